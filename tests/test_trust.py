"""Issue 12: a gate you can trust. Each test names the defect or friction it covers and
runs the real CLI on real files (git repositories made here)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import STAKEHOLDERS, venv_tool, write_account

PEOPLE_TWO = (
    STAKEHOLDERS
    + """\
  - id: rolf
    name: Rolf Meyer
    roles: [E]
    attitude: 1
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
"""
)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


def make_repo(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "t@example.com")
    git(root, "config", "user.name", "T")
    return root


# ---------------------------------------------------------------- 1: from any sub-folder
def test_d1_diff_from_a_sub_folder_sees_the_same_change(kam, tmp_path):
    repo = make_repo(tmp_path)
    write_account(repo, "acme")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    path = repo / "accounts" / "acme" / "stakeholders.yaml"
    path.write_text(path.read_text().replace("attitude: 2", "attitude: -2"))
    at_root = kam(repo, "diff", "--fail-on-worse", "--format", "json")
    below = kam(repo / "accounts", "diff", "--fail-on-worse", "--format", "json")
    deeper_dir = repo / "accounts" / "acme"
    deeper = kam(deeper_dir, "diff", "--fail-on-worse", "--format", "json")
    assert at_root.exit_code == below.exit_code == deeper.exit_code == 1
    # the same change; its files named from where kam runs, as kam check names them there
    assert below.stdout == at_root.stdout.replace('"accounts/acme/', '"acme/')
    assert deeper.stdout == at_root.stdout.replace('"accounts/acme/', '"')
    for where, got in ((repo, at_root), (repo / "accounts", below), (deeper_dir, deeper)):
        check = kam(where, "check", "--format", "json", "--fail-on", "info").json()
        in_check = {(f["code"], f["path"], f["line"]) for f in check["findings"]}
        (acme,) = got.json()["accounts"]
        new = {(f["code"], f["path"], f["line"]) for f in acme["new_findings"]}
        assert new and new <= in_check, (new, in_check)


def test_d1_every_command_finds_kam_yaml_upward(kam, tmp_path):
    make_repo(tmp_path)
    (tmp_path / "kam.yaml").write_text("accounts: customers\n")
    write_account(tmp_path, "acme")
    (tmp_path / "accounts").rename(tmp_path / "customers")
    sub = tmp_path / "customers" / "acme"
    r = kam(sub, "grade", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert [a["id"] for a in r.json()["accounts"]] == ["acme"]
    # and names an account by id from anywhere in the repository
    assert kam(sub, "check", "acme").exit_code == 0


def test_d1_kam_yaml_above_the_repository_is_not_used(kam, tmp_path):
    (tmp_path / "kam.yaml").write_text("accounts: elsewhere\n")
    repo = make_repo(tmp_path / "repo")
    write_account(repo, "acme")
    r = kam(repo / "accounts", "grade", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert [a["id"] for a in r.json()["accounts"]] == ["acme"]


# ---------------------------------------------------------------- 2: never skip a broken one
BROKEN = STAKEHOLDERS.replace("attitude: 2", "attitude: 9")


def test_d2_stale_reports_an_account_it_could_not_load(kam, tmp_path):
    write_account(tmp_path, "good")
    write_account(tmp_path, "bad", {"stakeholders.yaml": BROKEN})
    r = kam(tmp_path, "stale")
    assert r.exit_code == 1
    assert "accounts/bad/stakeholders.yaml:5:15: KAM002" in r.stderr
    j = kam(tmp_path, "stale", "--format", "json")
    assert j.exit_code == 1
    assert ("KAM002", "accounts/bad/stakeholders.yaml") in {
        (f["code"], f["path"]) for f in j.json()["findings"]
    }


@pytest.mark.parametrize(
    "args",
    [("grade",), ("grade", "--format", "json"), ("portfolio",), ("plan", "bad"), ("map", "bad")],
)
def test_d2_commands_that_read_accounts_fail_on_a_broken_one(kam, tmp_path, args):
    write_account(tmp_path, "good")
    write_account(tmp_path, "bad", {"stakeholders.yaml": BROKEN})
    r = kam(tmp_path, *args)
    assert r.exit_code == 1
    assert "KAM002" in r.stderr


# ---------------------------------------------------------------- 3: "." in an account
def test_d3_validate_dot_inside_an_account_folder(kam, tmp_path):
    folder = write_account(tmp_path, "acme")
    r = kam(folder, "validate", ".")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "KAM006" not in r.stdout


# ---------------------------------------------------------------- 7: future dates on the command line
def test_d7_touch_refuses_a_future_contact(kam, tmp_path):
    folder = write_account(tmp_path, "acme")
    before = (folder / "stakeholders.yaml").read_bytes()
    r = kam(tmp_path, "touch", "acme", "boss", "--contact", "2099-01-01")
    # refused as data, exit 1, as `kam log --date` refuses a future date (SPEC)
    assert r.exit_code == 1 and "in the future" in r.stderr, r.stderr
    assert "nothing written" in r.stderr
    assert (folder / "stakeholders.yaml").read_bytes() == before
    log = kam(tmp_path, "log", "acme", "boss", "-m", "lunch", "--date", "2099-01-01")
    assert log.exit_code == r.exit_code == 1, log.stderr
    reviewed = kam(tmp_path, "touch", "acme", "--reviewed", "2099-01-01")
    assert reviewed.exit_code == 1 and "in the future" in reviewed.stderr
    assert not (folder / "log.yaml").exists()
    # a malformed date stays a usage error
    assert kam(tmp_path, "touch", "acme", "boss", "--contact", "2099-13-01").exit_code == 2


# ---------------------------------------------------------------- 8: broken account, no write
def test_d8_touch_refuses_an_account_with_a_duplicate_person(kam, tmp_path):
    doubled = PEOPLE_TWO.replace("id: rolf", "id: boss")
    folder = write_account(tmp_path, "acme", {"stakeholders.yaml": doubled})
    before = (folder / "stakeholders.yaml").read_bytes()
    r = kam(tmp_path, "touch", "acme", "boss")
    assert r.exit_code == 1
    assert "KAM004" in r.stderr and "nothing written" in r.stderr
    assert (folder / "stakeholders.yaml").read_bytes() == before


# ---------------------------------------------------------------- 9: no YAML injection
@pytest.mark.parametrize("owner", ['"', "li.ming\ntier: S", "li.ming # note", "", " li.ming"])
def test_d9_init_refuses_an_owner_that_is_not_a_handle(kam, tmp_path, owner):
    (tmp_path / "accounts").mkdir()
    r = kam(tmp_path, "init", "acme", "--owner", owner)
    assert r.exit_code == 2 and "not a handle" in r.stderr
    assert not (tmp_path / "accounts" / "acme").exists()


@pytest.mark.parametrize("name", ['Kessler "K" & Söhne: #1', "tier: S\nx", "- a", "yes", "@home"])
def test_d9_init_writes_any_name_as_yaml_text(kam, tmp_path, name):
    (tmp_path / "accounts").mkdir()
    r = kam(tmp_path, "init", "acme", "--name", name, "--owner", "王芳")
    assert r.exit_code == 0, r.stderr
    from kamtool.load.yamlread import parse

    data = parse((tmp_path / "accounts" / "acme" / "account.yaml").read_text()).data
    assert data["name"] == name and data["owner"] == "王芳"
    assert kam(tmp_path, "validate").exit_code == 0


# ---------------------------------------------------------------- 10: permissions
def test_d10_touch_refuses_a_read_only_file(kam, tmp_path):
    folder = write_account(tmp_path, "acme")
    path = folder / "stakeholders.yaml"
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        r = kam(tmp_path, "touch", "acme", "boss")
        assert r.exit_code == 1 and "read-only" in r.stderr
        assert path.read_bytes() == before
        assert stat.S_IMODE(path.stat().st_mode) == 0o444
    finally:
        path.chmod(0o644)


def test_d10_touch_keeps_mode_owner_and_group(kam, tmp_path):
    folder = write_account(tmp_path, "acme")
    path = folder / "stakeholders.yaml"
    path.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(path, 12345, 23456)
    r = kam(tmp_path, "touch", "acme", "boss")
    assert r.exit_code == 0, r.stderr
    info = path.stat()
    assert stat.S_IMODE(info.st_mode) == 0o640
    if os.geteuid() == 0:
        assert (info.st_uid, info.st_gid) == (12345, 23456)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run kam as another user")
def test_d10_an_unprivileged_user_cannot_replace_someone_elses_file(tmp_path):
    exe = venv_tool("kam")
    if exe is None:
        pytest.skip("kam entry point not installed")
    shared = Path(os.environ.get("TMPDIR", "/tmp")) / f"kam-perm-{os.getpid()}"
    shared.mkdir(mode=0o777, exist_ok=True)
    shared.chmod(0o777)
    try:
        folder = write_account(shared, "acme")
        for p in (shared, shared / "accounts", folder):
            p.chmod(0o777)
        path = folder / "stakeholders.yaml"
        path.chmod(0o644)  # owned by root, readable by all, writable by root only
        before = path.read_bytes()
        try:
            r = subprocess.run(
                [exe, "touch", "acme", "boss"],
                cwd=shared,
                capture_output=True,
                text=True,
                user=65534,
                group=65534,
                env={**os.environ, "KAM_TODAY": "2026-11-24", "HOME": str(shared)},
            )
        except PermissionError:
            pytest.skip("the Python running kam is not readable by an unprivileged user")
        if "Permission denied" in r.stderr and "kam" not in r.stderr:
            pytest.skip("the Python running kam is not readable by an unprivileged user")
        assert r.returncode == 1, r.stderr
        assert "read-only" in r.stderr or "another user" in r.stderr
        assert path.read_bytes() == before and path.stat().st_uid == 0
    finally:
        subprocess.run(["rm", "-rf", str(shared)], check=False)


# ---------------------------------------------------------------- 11: symlinked folders
def test_d11_an_account_folder_linking_outside_is_not_read_nor_written(kam, tmp_path):
    repo = make_repo(tmp_path / "repo")
    write_account(repo, "good")
    outside = write_account(tmp_path / "elsewhere", "acme")
    (repo / "accounts" / "acme").symlink_to(outside, target_is_directory=True)
    before = (outside / "stakeholders.yaml").read_bytes()
    r = kam(repo, "check", "--format", "json")
    assert r.exit_code == 1
    found = {(f["code"], f["account"]) for f in r.json()["findings"]}
    assert ("KAM006", "acme") in found
    t = kam(repo, "touch", "acme", "boss")
    assert t.exit_code == 1 and "nothing written" in t.stderr
    assert (outside / "stakeholders.yaml").read_bytes() == before


def test_d11_an_account_folder_linking_inside_is_read(kam, tmp_path):
    repo = make_repo(tmp_path / "repo")
    real = write_account(repo / "archive", "acme")
    (repo / "accounts").mkdir()
    (repo / "accounts" / "acme").symlink_to(real, target_is_directory=True)
    assert kam(repo, "grade", "acme").exit_code == 0


def test_d11_plan_output_through_a_link_leaving_the_repository_is_refused(kam, tmp_path):
    repo = make_repo(tmp_path / "repo")
    write_account(repo, "acme")
    (tmp_path / "out").mkdir()
    (repo / "plans").symlink_to(tmp_path / "out", target_is_directory=True)
    r = kam(repo, "plan", "acme", "-o", "plans/acme.md")
    assert r.exit_code == 1 and "outside the repository" in r.stderr
    assert not (tmp_path / "out" / "acme.md").exists()


# ---------------------------------------------------------------- 12: no internal errors
def test_d12_init_where_the_account_folder_is_a_file(kam, tmp_path):
    (tmp_path / "accounts").mkdir()
    (tmp_path / "accounts" / "acme").write_text("not a folder")
    r = kam(tmp_path, "init", "acme")
    assert r.exit_code == 1 and "not a folder" in r.stderr
    assert "internal error" not in r.stderr


def test_d12_init_with_a_very_long_id(kam, tmp_path):
    (tmp_path / "accounts").mkdir()
    r = kam(tmp_path, "init", "a" * 300)
    assert r.exit_code == 2 and "at most 100" in r.stderr


def test_d12_touch_in_a_read_only_folder(kam, tmp_path):
    folder = write_account(tmp_path, "acme")
    folder.chmod(0o555)
    try:
        r = kam(tmp_path, "touch", "acme", "boss")
        if os.geteuid() == 0:
            # root may write into any folder; it must simply work
            assert r.exit_code == 0, r.stderr
        else:
            assert r.exit_code == 1 and "read-only folder" in r.stderr
        assert "internal error" not in r.stderr
    finally:
        folder.chmod(0o755)


def test_d12_map_of_a_reporting_chain_1000_deep(kam, tmp_path):
    lines = ["stakeholders:"]
    for i in range(1000):
        lines += [f"  - id: p{i}", f"    name: P {i}", "    attitude: 1"]
        if i:
            lines.append(f"    reports_to: p{i - 1}")
    write_account(tmp_path, "deep", {"stakeholders.yaml": "\n".join(lines) + "\n"})
    for fmt in ("tree", "mermaid", "dot"):
        r = kam(tmp_path, "map", "deep", "--format", fmt)
        assert "internal error" not in r.stderr
        assert r.exit_code in (0, 2), r.stderr


# ---------------------------------------------------------------- 15: dates are YYYY-MM-DD
@pytest.mark.parametrize(
    "args",
    [
        ("touch", "acme", "boss", "--contact", "20261127"),
        ("touch", "acme", "boss", "--contact", "2026-W48-1"),
        ("touch", "acme", "boss", "--reviewed", "2026-11-31"),
        ("grade", "--today", "2026W481"),
        ("grade", "--today", "20261130"),
    ],
)
def test_d15_command_line_dates_are_yyyy_mm_dd_only(kam, tmp_path, args):
    folder = write_account(tmp_path, "acme")
    before = (folder / "stakeholders.yaml").read_bytes()
    r = kam(tmp_path, *args)
    assert r.exit_code == 2 and ("YYYY-MM-DD" in r.stderr or "calendar date" in r.stderr)
    assert (folder / "stakeholders.yaml").read_bytes() == before


def test_d15_kam_today_in_the_environment_is_strict_too(kam, tmp_path):
    write_account(tmp_path, "acme")
    r = kam(tmp_path, "grade", env={"KAM_TODAY": "2026-W48-1"})
    assert r.exit_code == 2 and "KAM_TODAY" in r.stderr


# ---------------------------------------------------------------- 18: pre-commit rev
def test_d18_readme_pins_a_rev_that_exists():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert "rev: v0.1.0" not in readme


# ---------------------------------------------------------------- friction
def test_f_every_command_takes_an_id_or_a_path(kam, tmp_path):
    write_account(tmp_path, "st-aurelia")
    for args in (
        ("grade", "st-aurelia"),
        ("check", "st-aurelia"),
        ("stale", "st-aurelia"),
        ("validate", "st-aurelia"),
        ("plan", "st-aurelia"),
        ("map", "st-aurelia"),
        ("plan", "accounts/st-aurelia"),
        ("grade", "accounts/st-aurelia"),
        ("grade", "accounts"),
    ):
        r = kam(tmp_path, *args)
        assert r.exit_code == 0, (args, r.stderr)


def test_f_unknown_ids_get_did_you_mean(kam, tmp_path):
    write_account(tmp_path, "nordtel")
    for args in (("grade", "nordtl"), ("plan", "nordtl"), ("touch", "nordtl", "boss")):
        r = kam(tmp_path, *args)
        assert r.exit_code == 1
        assert "no account 'nordtl'; did you mean 'nordtel'?" in r.stderr


def test_f_plan_and_map_without_an_id_list_the_accounts(kam, tmp_path):
    write_account(tmp_path, "acme")
    write_account(tmp_path, "zenith")
    for cmd in ("plan", "map"):
        r = kam(tmp_path, cmd)
        assert r.exit_code == 2
        assert "acme, zenith" in r.stderr


def test_f_touch_by_exact_name_and_did_you_mean(kam, tmp_path):
    folder = write_account(tmp_path, "acme", {"stakeholders.yaml": PEOPLE_TWO})
    r = kam(tmp_path, "touch", "acme", "Rolf Meyer", "--contact", "2026-11-23")
    assert r.exit_code == 0, r.stderr
    assert "acme/rolf: last_contact 2026-11-20 → 2026-11-23" in r.stdout
    assert "last_contact: 2026-11-23" in (folder / "stakeholders.yaml").read_text()
    r = kam(tmp_path, "touch", "acme", "Rolf Meier")
    assert r.exit_code == 1 and "did you mean 'Rolf Meyer'?" in r.stderr


def test_f_init_from_the_accounts_folder_creates_the_account_there(kam, tmp_path):
    make_repo(tmp_path)
    (tmp_path / "accounts").mkdir()
    r = kam(tmp_path / "accounts", "init", "acme")
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "accounts" / "acme" / "account.yaml").is_file()
    assert not (tmp_path / "accounts" / "accounts").exists()


def test_f_init_modeline_points_at_schemas_that_exist(kam, tmp_path):
    make_repo(tmp_path)
    (tmp_path / "accounts").mkdir()
    assert kam(tmp_path, "init", "acme").exit_code == 0
    text = (tmp_path / "accounts" / "acme" / "stakeholders.yaml").read_text()
    rel = text.splitlines()[0].split("$schema=")[1]
    assert (tmp_path / "accounts" / "acme" / rel).resolve().is_file()


def test_f_plan_output_creates_its_folder(kam, tmp_path):
    write_account(tmp_path, "acme")
    r = kam(tmp_path, "plan", "acme", "-o", "plans/2027/acme.md")
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "plans" / "2027" / "acme.md").read_text().startswith("#")
    again = kam(tmp_path, "plan", "acme", "-o", "plans/2027/acme.md")
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_f_diff_takes_no_color_and_help_shows_no_bool(kam, tmp_path):
    repo = make_repo(tmp_path)
    write_account(repo, "acme")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    assert kam(repo, "diff", "--no-color").exit_code == 0
    for cmd in ("diff", "check", "grade", "touch", "plan"):
        h = kam(repo, cmd, "--help")
        assert h.exit_code == 0 and "<bool>" not in h.stdout


def test_f_concurrent_touches_all_land(tmp_path):
    exe = venv_tool("kam")
    if exe is None:
        pytest.skip("kam entry point not installed")
    people = "stakeholders:\n" + "".join(
        f"  - id: p{i}\n    name: P {i}\n    attitude: 1\n    last_contact: 2026-01-01\n"
        for i in range(12)
    )
    folder = write_account(tmp_path, "acme", {"stakeholders.yaml": people})
    env = {**os.environ, "KAM_TODAY": "2026-11-24"}
    procs = [
        subprocess.Popen(
            [exe, "touch", "acme", f"p{i}"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(12)
    ]
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 12, results
    text = (folder / "stakeholders.yaml").read_text()
    assert text.count("last_contact: 2026-11-24") == 12


def test_f_touch_waits_for_another_kam_writing_the_same_folder(tmp_path):
    # The compare-and-swap of a write is atomic among kam processes: while one holds the
    # folder's lock, another waits, then edits the file as the first one left it.
    fcntl = pytest.importorskip("fcntl")
    exe = venv_tool("kam")
    if exe is None:
        pytest.skip("kam entry point not installed")
    folder = write_account(tmp_path, "acme")
    path = folder / "stakeholders.yaml"
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        proc = subprocess.Popen(
            [exe, "touch", "acme", "boss"],
            cwd=tmp_path,
            env={**os.environ, "KAM_TODAY": "2026-11-24"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        with pytest.raises(subprocess.TimeoutExpired):
            proc.wait(timeout=3)  # blocked on the lock, nothing written yet
        assert "2026-11-24" not in path.read_text()
        path.write_text(path.read_text() + "# edited meanwhile\n")
    finally:
        os.close(fd)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    text = path.read_text()
    assert "2026-11-24" in text and "# edited meanwhile" in text


def test_f_no_internal_error_anywhere_in_this_file(kam):
    # a guard that the module-level CLI handler is the real one
    assert "kamtool.cli" in sys.modules
    src = (Path(__file__).resolve().parents[1] / "src" / "kamtool" / "cli.py").read_text()
    assert src.count("except KamError") == 1


# ---------------------------------------------------------------- messages that help
def test_f_unquoted_question_mark_names_the_slip(kam, tmp_path):
    people = STAKEHOLDERS.replace("attitude: 2", "attitude: ?")
    write_account(tmp_path, "acme", {"stakeholders.yaml": people})
    r = kam(tmp_path, "validate")
    assert r.exit_code == 1
    assert (
        'accounts/acme/stakeholders.yaml:5:15: KAM001 attitude: ? must be quoted: write attitude: "?"'
        in r.stdout
    )
    assert "hint:" in r.stdout


def test_f_a_tab_names_the_slip(kam, tmp_path):
    people = STAKEHOLDERS.replace("    name: The Boss", "\tname: The Boss")
    write_account(tmp_path, "acme", {"stakeholders.yaml": people})
    r = kam(tmp_path, "validate")
    assert r.exit_code == 1
    assert (
        "stakeholders.yaml:3:1: KAM001 a tab character: YAML indents with spaces only" in r.stdout
    )


def test_f_kam_yaml_whole_number_message(kam, tmp_path):
    write_account(tmp_path, "acme")
    (tmp_path / "kam.yaml").write_text("score:\n  decision_makers: 35.5\n")
    r = kam(tmp_path, "grade")
    assert r.exit_code == 2
    assert (
        "kam.yaml:2:20: KAM002 score.decision_makers: must be a whole number, not 35.5" in r.stderr
    )


@pytest.mark.parametrize("tier, near", [("s", "S"), ("Strategic", "S"), ("partner", "A")])
def test_f_manual_tier_did_you_mean(kam, tmp_path, tier, near):
    account = (
        "id: acme\nname: Acme\nowner: li.ming\nreviewed: 2026-10-01\nposition: 3\nvalue: 3\n"
        f"tier: {tier}\ntier_reason: board decision\n"
    )
    write_account(tmp_path, "acme", {"account.yaml": account})
    r = kam(tmp_path, "validate")
    assert r.exit_code == 1
    assert f"did you mean {near!r}?" in r.stdout


def test_f_a_schema_error_hides_no_reference_duplicate_or_cycle(kam, tmp_path):
    people = """\
        stakeholders:
          - id: a
            name: A
            attitude: 9
          - id: b
            name: B
            attitude: 1
            reports_to: nobody
          - id: b
            name: B2
            attitude: 1
          - id: c
            name: C
            attitude: 1
            reports_to: a
          - id: d
            name: D
            attitude: 1
            reports_to: e
          - id: e
            name: E
            attitude: 1
            reports_to: d
        """
    write_account(tmp_path, "acme", {"stakeholders.yaml": people})
    r = kam(tmp_path, "validate", "--format", "json")
    assert r.exit_code == 1
    found = [(f["code"], f["line"], f["column"]) for f in r.json()["findings"]]
    assert found == [
        ("KAM002", 4, 15),  # the schema error
        ("KAM003", 8, 17),  # a broken reference in another entry
        ("KAM004", 9, 9),  # a duplicate id
        ("KAM005", 19, 17),  # a cycle
    ]  # and c's reference to the unreadable entry a is not called broken


def test_f_plan_templates_of_the_repository_are_found_from_a_sub_folder(kam, tmp_path):
    make_repo(tmp_path)
    write_account(tmp_path, "acme")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "plan.md.j2").write_text("# Our own plan for {{ account.name }}\n")
    for where in (tmp_path, tmp_path / "accounts", tmp_path / "accounts" / "acme"):
        r = kam(where, "plan", "acme")
        assert r.exit_code == 0, r.stderr
        assert r.stdout.startswith("# Our own plan for Acme acme"), r.stdout[:80]


@pytest.mark.parametrize("command", ["check", "stale", "validate", "grade", "agenda", "portfolio"])
def test_an_empty_accounts_folder_does_not_pass(kam, tmp_path, command):
    """A gate that read no account passed by not looking ('0 errors ... in 0 accounts',
    exit 0): an empty accounts folder, or a folder named that holds no account, is an
    error (exit 1) saying nothing was read."""
    (tmp_path / "accounts").mkdir()
    r = kam(tmp_path, command)
    assert r.exit_code == 1, r.stdout
    assert r.stderr.strip() == (
        "kam: error: no account folders in accounts: nothing was read; "
        "run `kam init ID` to start one"
    )
    (tmp_path / "notes").mkdir()
    r = kam(tmp_path, command, "notes")
    assert r.exit_code == 1 and "no account folders in notes" in r.stderr
    write_account(tmp_path, "acme")
    assert kam(tmp_path, command).exit_code in (0, 1)
    assert "nothing was read" not in kam(tmp_path, command).stderr


def test_a_device_is_neither_a_file_nor_a_folder(kam, tmp_path):
    write_account(tmp_path, "acme")
    r = kam(tmp_path, "check", "/dev/null")
    assert r.exit_code == 2
    assert r.stderr.strip() == (
        "kam: error: /dev/null is neither a file nor a folder: name an account or a folder"
    )


def test_output_to_a_folder_says_it_is_a_folder(kam, tmp_path):
    """`-o accounts` said 'accounts already exists: not overwritten', as if a file."""
    write_account(tmp_path, "acme")
    for args in (["plan", "acme"], ["agenda", "--format", "ics"]):
        r = kam(tmp_path, *args, "-o", "accounts")
        assert r.exit_code == 1
        assert r.stderr.strip() == "kam: error: accounts is a folder: name a file in it to write"


def test_config_problems_are_listed_in_file_order(kam, tmp_path):
    write_account(tmp_path, "acme")
    (tmp_path / "kam.yaml").write_text("rules: [1]\nfreshness: 3\n")
    r = kam(tmp_path, "check")
    lines = [line.split(": KAM002")[0] for line in r.stderr.splitlines() if "KAM002" in line]
    assert lines == ["kam.yaml:1:8", "kam.yaml:2:12"]


@pytest.mark.parametrize(
    "args",
    [["history"], ["diff"], ["diff", "HEAD~1"], ["portfolio", "--since", "2026-01-01"]],
)
def test_a_repository_with_no_commits_says_so(kam, tmp_path, args):
    """A fresh `git init`: 'unknown revision HEAD' (or git's own 'fatal: ambiguous
    argument') told a new user nothing."""
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    write_account(tmp_path, "acme")
    r = kam(tmp_path, *args)
    assert r.exit_code == 2
    assert r.stderr.strip() == (
        "kam: error: the repository has no commits yet: commit the accounts first"
    )


def test_stale_summary_counts_the_accounts_it_could_not_read(kam, tmp_path):
    """`kam stale` printed '0 errors ... in 1 account' under its table and exited 1 for an
    account that did not load (shown on stderr): the summary counts them too."""
    write_account(tmp_path, "acme", {"stakeholders.yaml": "stakeholders: [\n"})
    r = kam(tmp_path, "stale", "--no-color")
    assert r.exit_code == 1
    assert r.stdout.strip().splitlines()[-1] == "1 error, 0 warnings, 0 info in 1 account"
    assert "KAM001" in r.stderr
