"""kam log through the real CLI: appends one entry and leaves every other byte as it was."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from conftest import venv_tool, write_account

ACCOUNT = """\
id: acme
name: Acme Öl & Gas
owner: ola.nordmann
reviewed: 2026-10-01
position: 4
value: 4
"""

# four key people (focus tier S: fresh within 30 days) and one who left
PEOPLE = """\
stakeholders:
  - id: kari
    name: Kari Nordmann
    roles: [D]
    attitude: 2
    owner: ola.nordmann
    last_contact: 2026-11-20
  - id: per
    name: Per Hansen
    roles: [E]
    attitude: 1
    last_contact: 2026-06-01
  - id: zhao
    name: 赵敏
    roles: [I]
    attitude: "?"
  - id: "true"
    name: Truls Berg
    attitude: 0
    last_contact: 2026-07-01
  - id: gone
    name: Gone Person
    attitude: 1
    left_on: 2026-05-01
"""

COMMENTED = """\
# yaml-language-server: $schema=../../schemas/log.schema.json
# Acme: who we met, oldest first.
entries:
  - date: 2026-11-20   # the kick-off
    with: [kari]
    by: [ola.nordmann]
    summary: |
      Two lines
      of notes.

# (end of the 2026 entries)
"""

CASES = {
    "comments": COMMENTED.encode(),
    "crlf": COMMENTED.replace("\n", "\r\n").encode(),
    "bom": b"\xef\xbb\xbf" + COMMENTED.encode(),
    "bom-crlf-no-final-newline": b"\xef\xbb\xbf"
    + COMMENTED.rstrip("\n").replace("\n", "\r\n").encode(),
    "zero-indent": b"entries:\n- date: 2026-11-20\n  with: [kari]\n  by: [x]\n",
    "flow-items": b"entries:\n    - {date: 2026-11-20, with: [kari], by: [x]}\n",
}

NEW_BLOCK = (
    "  - date: 2026-11-24\n"
    "    with: [per, zhao]\n"
    "    by: [ola.nordmann]\n"
    "    kind: call\n"
    # several lines: a literal block, as typed (a flow item below keeps one quoted line)
    "    summary: |-\n"
    '      Price list: 5% off, "final"; call back\n'
    "      after Easter\n"
)
ARGS = [
    "per",
    "赵敏",
    "--kind",
    "call",
    "-m",
    'Price list: 5% off, "final"; call back\nafter Easter',
]


def _setup(tmp_path, log: bytes | None):
    folder = write_account(tmp_path, "acme", {"account.yaml": ACCOUNT, "stakeholders.yaml": PEOPLE})
    if log is not None:
        (folder / "log.yaml").write_bytes(log)
    return folder / "log.yaml"


@pytest.mark.parametrize("case", list(CASES))
def test_appends_only_new_lines(kam, tmp_path, case):
    old = CASES[case]
    path = _setup(tmp_path, old)
    r = kam(tmp_path, "log", "acme", *ARGS)
    assert r.exit_code == 0, r.stderr
    new = path.read_bytes()
    nl = b"\r\n" if b"\r\n" in old else b"\n"
    body = NEW_BLOCK.encode()
    if case == "zero-indent":
        body = b"\n".join(line[2:] for line in body.split(b"\n"))
    if case == "flow-items":
        body = (
            b"    - {date: 2026-11-24, with: [per, zhao], by: [ola.nordmann], kind: call, "
            + b'summary: "Price list: 5% off, \\"final\\"; call back\\nafter Easter"}\n'
        )
    appended = body.replace(b"\n", nl)
    # right after the last entry: the file's footer (a blank line, a comment at the
    # dashes' column) stays at its end, as does its missing last line break
    footer = old.find(nl + b"# (end")
    if footer >= 0:
        assert new == old[:footer] + appended + old[footer:]
    else:
        lead = b"" if old.endswith(b"\n") else nl
        assert new == old + lead + appended
    check = kam(tmp_path, "validate")
    assert check.exit_code == 0, check.stdout


@pytest.mark.parametrize(
    ("old", "inserted_at", "inserted"),
    [
        (
            b"entries: []\n",
            10,
            b"{date: 2026-11-24, with: [per], by: [ola.nordmann], kind: meeting}",
        ),
        (
            b"# log\nentries: [{date: 2026-11-20, with: [kari], by: [x]}]  # flow\n",
            57,
            b", {date: 2026-11-24, with: [per], by: [ola.nordmann], kind: meeting}",
        ),
        (
            b"entries: [\r\n  {date: 2026-11-20, with: [kari], by: [x]},\r\n]\r\n",
            58,
            b"  {date: 2026-11-24, with: [per], by: [ola.nordmann], kind: meeting},\r\n",
        ),
    ],
)
def test_flow_lists_get_an_inserted_flow_item(kam, tmp_path, old, inserted_at, inserted):
    path = _setup(tmp_path, old)
    r = kam(tmp_path, "log", "acme", "per")
    assert r.exit_code == 0, r.stderr
    assert path.read_bytes() == old[:inserted_at] + inserted + old[inserted_at:]
    assert kam(tmp_path, "validate").exit_code == 0


def test_missing_file_is_created_with_a_schema_modeline(kam, tmp_path):
    path = _setup(tmp_path, None)
    (tmp_path / "kam.yaml").write_text("accounts: accounts\n")
    r = kam(
        tmp_path,
        "log",
        "acme",
        "Per Hansen",
        "--by",
        "ola.nordmann",
        "--by",
        "李明",
        "--date",
        "2026-11-02",
    )
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == [
        "created accounts/acme/log.yaml",
        "wrote schemas/log.schema.json (the schema its first line names)",
        "logged meeting with Per Hansen (per) on 2026-11-02 by ola.nordmann, 李明: "
        "accounts/acme/log.yaml:4",
    ]
    schema = json.loads((tmp_path / "schemas" / "log.schema.json").read_text())
    assert schema["title"] == "LogFile"
    assert path.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schemas/log.schema.json\n"
        "# Contact log, oldest first; `kam log` appends new entries at the end.\n"
        "entries:\n"
        "  - date: 2026-11-02\n"
        "    with: [per]\n"
        "    by: [ola.nordmann, 李明]\n"
        "    kind: meeting\n"
    )
    # a quoted id ("true") and the schema in the repository
    r = kam(tmp_path, "log", "acme", "true", "--next", "send: the offer")
    assert r.exit_code == 0, r.stderr
    assert path.read_text(encoding="utf-8").endswith(
        '    with: ["true"]\n    by: [ola.nordmann]\n    kind: meeting\n    next: "send: the offer"\n'
    )
    assert kam(tmp_path, "validate").exit_code == 0


def test_a_new_log_follows_the_accounts_crlf_line_ends(kam, tmp_path):
    """Trial defect: in an account whose files a Windows editor saved with CRLF line
    ends, `kam log` created log.yaml with LF ones; a new file follows the account's
    files (guard.account_line_ending), an existing log its own."""
    folder = write_account(tmp_path, "acme", {"account.yaml": None, "stakeholders.yaml": None})
    (folder / "account.yaml").write_bytes(ACCOUNT.replace("\n", "\r\n").encode())
    (folder / "stakeholders.yaml").write_bytes(PEOPLE.replace("\n", "\r\n").encode())
    r = kam(tmp_path, "log", "acme", "per", "-m", "first call\nsecond line")
    assert r.exit_code == 0, r.stderr
    data = (folder / "log.yaml").read_bytes()
    assert data.count(b"\r\n") >= 7 and b"\n" not in data.replace(b"\r\n", b""), data
    assert data.endswith(
        b"    kind: meeting\r\n    summary: |-\r\n      first call\r\n      second line\r\n"
    )
    r = kam(tmp_path, "log", "acme", "kari", "--kind", "call")
    assert r.exit_code == 0, r.stderr
    again = (folder / "log.yaml").read_bytes()
    assert again.startswith(data) and b"\n" not in again.replace(b"\r\n", b"")
    assert kam(tmp_path, "validate").exit_code == 0
    # an account saved with LF line ends keeps getting LF
    lf = write_account(tmp_path, "beta", {"account.yaml": ACCOUNT.replace("acme", "beta")})
    (lf / "stakeholders.yaml").write_text(PEOPLE, encoding="utf-8")
    assert kam(tmp_path, "log", "beta", "per").exit_code == 0
    assert b"\r" not in (lf / "log.yaml").read_bytes()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["nobody"], 1, "no stakeholder 'nobody' in acme"),
        # nobody close: whom the account lists, and where a new person goes first
        (
            ["张伟"],
            1,
            "its stakeholders.yaml lists 5 people (kari, per, zhao, true, gone): a new person",
        ),
        (["pre"], 1, "did you mean 'per'?"),
        (["gone"], 1, "Gone Person (gone) left on 2026-05-01"),
        (["per", "--date", "2026-11-25"], 1, "date 2026-11-25 is in the future"),
        (["per", "--date", "25.11.2026"], 2, "--date must be a date YYYY-MM-DD"),
        (["per", "--date", "2026-02-30"], 2, "not a real calendar date"),
        (["per", "--kind", "meting"], 2, "did you mean 'meeting'?"),
        (["per", "--by", "li ming"], 2, "is not a handle"),
        (["per", "--by", "x: [1]"], 2, "is not a handle"),
        # a blank summary or next step (trial: it wrote `summary: "  "`)
        (["per", "-m", "  "], 2, "kam: error: -m/--message is blank"),
        (["per", "-m", ""], 2, "kam: error: -m/--message is blank"),
        (["per", "--message", "\u3000\n"], 2, "kam: error: -m/--message is blank"),
        (["per", "-m", "met", "--next", " \t"], 2, "kam: error: --next is blank"),
    ],
)
def test_refusals_write_nothing(kam, tmp_path, args, code, message):
    path = _setup(tmp_path, COMMENTED.encode())
    r = kam(tmp_path, "log", "acme", *args)
    assert r.exit_code == code, r.stdout
    assert message in r.stderr
    if code == 2:
        assert r.stderr.count("\n") == 1, r.stderr  # one line
    assert path.read_bytes() == COMMENTED.encode()
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "account.yaml",
        "log.yaml",
        "stakeholders.yaml",
    ]


def test_unknown_account_and_broken_account_are_refused(kam, tmp_path):
    path = _setup(tmp_path, COMMENTED.encode())
    r = kam(tmp_path, "log", "acmee", "per")
    assert r.exit_code == 1 and "no account 'acmee'" in r.stderr
    # a broken log (a reference to nobody) makes the account broken: nothing appended
    broken = COMMENTED.replace("with: [kari]", "with: [karl]").encode()
    path.write_bytes(broken)
    r = kam(tmp_path, "log", "acme", "per")
    assert r.exit_code == 1
    assert "log.yaml:5:12: KAM003" in r.stderr and "has errors" in r.stderr
    assert path.read_bytes() == broken


def test_a_log_that_is_one_flow_mapping_without_entries_is_refused(kam, tmp_path):
    path = _setup(tmp_path, b"{}\n")
    r = kam(tmp_path, "log", "acme", "per")
    assert r.exit_code == 1 and "entries:" in r.stderr
    assert path.read_bytes() == b"{}\n"


def test_killed_before_rename_leaves_the_old_file_whole(tmp_path):
    exe = venv_tool("kam")
    if exe is None:
        pytest.skip("kam entry point not installed")
    path = _setup(tmp_path, CASES["crlf"])
    env = {**os.environ, "KAM_TODAY": "2026-11-24", "KAM_FAULT": "before-rename"}
    proc = subprocess.run([exe, "log", "acme", "per"], cwd=tmp_path, env=env, capture_output=True)
    assert proc.returncode == 70  # died where the fault was injected
    assert path.read_bytes() == CASES["crlf"]
    # a killed process cannot clean up its temporary file; kam never reads it
    assert subprocess.run([exe, "validate"], cwd=tmp_path, env=env).returncode == 0
    # a missing file stays missing
    path.unlink()
    proc = subprocess.run([exe, "log", "acme", "per"], cwd=tmp_path, env=env, capture_output=True)
    assert proc.returncode == 70 and not path.exists()


def _freshness(kam, tmp_path):
    r = kam(tmp_path, "grade", "--format", "json", "--explain")
    [acct] = r.json()["accounts"]
    return acct["components"]["freshness"]


def test_logged_meeting_clears_kam201_and_raises_freshness_by_the_spec_amount(kam, tmp_path):
    _setup(tmp_path, None)
    # 2026-11-24, tier S (focus: fresh within 30 days), key people kari, per, zhao, "true":
    # kari (4 days) is fresh; per (176 days) and "true" (146 days) are KAM201 errors;
    # zhao has no contact (KAM204). Freshness = 10 x 1/4 = 2.5 points.
    before = _freshness(kam, tmp_path)
    assert (before["share"], before["earned"]) == (0.25, 2.5)
    check = kam(tmp_path, "check", "--format", "json").json()["findings"]
    assert {f["data"]["person"] for f in check if f["code"] == "KAM201"} == {"per", "true"}
    assert kam(tmp_path, "log", "acme", "per", "-m", "met at last").exit_code == 0
    # per is fresh now: 2 of 4, 10 x 2/4 = 5.0 points, exactly 10 x 1/4 = 2.5 more
    after = _freshness(kam, tmp_path)
    assert (after["share"], after["earned"]) == (0.5, 5.0)
    assert after["earned"] - before["earned"] == 2.5
    check = kam(tmp_path, "check", "--format", "json").json()["findings"]
    assert {f["data"]["person"] for f in check if f["code"] == "KAM201"} == {"true"}


def test_read_only_log_and_symlinked_folder_are_refused(kam, tmp_path):
    path = _setup(tmp_path, COMMENTED.encode())
    path.chmod(0o444)
    r = kam(tmp_path, "log", "acme", "per")
    assert r.exit_code == 1 and "read-only" in r.stderr
    assert path.read_bytes() == COMMENTED.encode()
    path.chmod(0o640)
    # the account folder is a link to a folder outside the repository
    outside = tmp_path / "outside"
    (tmp_path / "repo" / "accounts").mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    path.parent.rename(outside)
    (tmp_path / "repo" / "accounts" / "acme").symlink_to(outside)
    r = kam(tmp_path / "repo", "log", "acme", "per")
    assert r.exit_code == 1
    assert (outside / "log.yaml").read_bytes() == COMMENTED.encode()


def test_mode_is_kept(kam, tmp_path):
    path = _setup(tmp_path, COMMENTED.encode())
    path.chmod(0o600)
    assert kam(tmp_path, "log", "acme", "per").exit_code == 0
    assert path.stat().st_mode & 0o777 == 0o600


def test_concurrent_logs_all_land(tmp_path):
    exe = venv_tool("kam")
    if exe is None:
        pytest.skip("kam entry point not installed")
    path = _setup(tmp_path, COMMENTED.encode())
    env = {**os.environ, "KAM_TODAY": "2026-11-24"}
    procs = [
        subprocess.Popen(
            [exe, "log", "acme", "per", "-m", f"note {i}"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(6)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, results
    text = path.read_text()
    head, footer = COMMENTED.split("\n# (end")
    assert text.startswith(head) and text.endswith("\n# (end" + footer)
    assert sorted(f"note {i}" for i in range(6)) == sorted(
        line.split("summary: ")[1] for line in text.splitlines() if "summary: note" in line
    )


@pytest.mark.parametrize("cmd", ["log", "agenda"])
def test_help_shows_no_bool(kam, tmp_path, cmd):
    h = kam(tmp_path, cmd, "--help")
    assert h.exit_code == 0 and "<bool>" not in h.stdout


def test_a_person_typed_in_other_case_or_spacing_is_found(kam, tmp_path):
    """`kam log acme "kari  nordmann"` finds Kari Nordmann: a command line is typed as
    one says the name; the id is still what the entry records."""
    path = _setup(tmp_path, None)
    r = kam(tmp_path, "log", "acme", "kari  nordmann", "--date", "2026-11-24", "-m", "met")
    assert r.exit_code == 0, r.stderr
    assert "with: [kari]" in path.read_text(encoding="utf-8")
    # a name that matches two people only loosely is refused as any shared name is
    stakeholders = tmp_path / "accounts" / "acme" / "stakeholders.yaml"
    stakeholders.write_text(
        PEOPLE + "  - id: per2\n    name: PER HANSEN\n    attitude: 0\n", encoding="utf-8"
    )
    r = kam(tmp_path, "log", "acme", "per hansen", "-m", "met")
    assert r.exit_code == 2 and "2 people are named 'per hansen'" in r.stderr
    # the exact name still picks its one person
    r = kam(tmp_path, "log", "acme", "Per Hansen", "--date", "2026-11-24", "-m", "met")
    assert r.exit_code == 0, r.stderr


def test_a_name_typed_for_by_is_said_with_the_accounts_handles(kam, tmp_path):
    """`kam log ... --by 张总` (a title typed where a handle goes) was logged in silence:
    the entry counts for no colleague the account knows, and KAM205 kept saying the
    sponsor zhang.zong had not met them. Logged as typed, with a note naming the
    account's handles; an ASCII handle the account does not know stays a new colleague."""
    from conftest import write_account

    people = (
        "stakeholders:\n  - id: sima.guang\n    name: 司马光\n    roles: [D]\n"
        "    attitude: 2\n    owner: chen.jie\n    sponsor: zhang.zong\n"
    )
    write_account(tmp_path, "dx", {"stakeholders.yaml": people})
    (tmp_path / ".git").mkdir()
    out = kam(tmp_path, "log", "dx", "司马光", "--by", "张总", "-m", "visit")
    assert out.exit_code == 0, out.stderr
    assert "kam: note: dx names '张总' nowhere else, and its handles are " in out.stderr
    assert "chen.jie" in out.stderr and "zhang.zong" in out.stderr, out.stderr
    assert "by: [张总]" in (tmp_path / "accounts" / "dx" / "log.yaml").read_text(encoding="utf-8")
    new = kam(tmp_path, "log", "dx", "司马光", "--by", "wang.wu", "-m", "visit")
    assert new.exit_code == 0 and "note" not in new.stderr, new.stderr
