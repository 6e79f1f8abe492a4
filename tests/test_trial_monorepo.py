"""Defects found wiring kam into the CI of a company monorepo: kam.yaml in a sub-folder
(`sales/kam/`), the accounts in a folder with a space and Chinese characters, kam run
from the repository root, from inside an account folder and from an unrelated folder,
and CI checkouts (shallow, detached, only `origin/main`)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import write_account
from gitrepo import commit, git

ACCOUNTS = "客户 账户"  # a folder name with a space and Chinese characters


@pytest.fixture
def mono(tmp_path: Path) -> Path:
    """A monorepo: services/ beside sales/kam/kam.yaml, whose accounts folder is
    `sales/kam/客户 账户` with two accounts, one with a stale contact (an error)."""
    repo = tmp_path / "mono"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "services" / "api").mkdir(parents=True)
    (repo / "services" / "api" / "main.py").write_text("print('hi')\n", encoding="utf-8")
    kam_dir = repo / "sales" / "kam"
    kam_dir.mkdir(parents=True)
    (kam_dir / "kam.yaml").write_text(f"accounts: {ACCOUNTS}\n", encoding="utf-8")
    write_account(kam_dir, "acme")
    stale = (kam_dir / "accounts" / "acme" / "stakeholders.yaml").read_text(encoding="utf-8")
    write_account(
        kam_dir,
        "zenith",
        {
            "stakeholders.yaml": stale.replace(
                "last_contact: 2026-11-20", "last_contact: 2026-01-02"
            )
        },
    )
    (kam_dir / "accounts").rename(kam_dir / ACCOUNTS)
    commit(repo, "accounts")
    return repo


def test_paths_from_inside_an_account_folder_are_relative_not_absolute(kam, mono):
    """Run from inside one account folder, the other account's findings were printed with
    this machine's absolute path, in text and in the CI formats (which promise paths
    from the repository root)."""
    acme = mono / "sales" / "kam" / ACCOUNTS / "acme"
    where = f"sales/kam/{ACCOUNTS}/zenith/stakeholders.yaml"
    text = kam(acme, "check")
    assert text.exit_code == 1
    assert "../zenith/stakeholders.yaml:10:19: KAM201" in text.stdout, text.stdout
    assert str(mono) not in text.stdout
    github = kam(acme, "check", "--format", "github")
    assert f"file={where},line=10," in github.stdout, github.stdout
    sarif = kam(acme, "check", "--format", "sarif").json()
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for res in sarif["runs"][0]["results"]
        for loc in res["locations"]
    }
    quoted = "sales/kam/%E5%AE%A2%E6%88%B7%20%E8%B4%A6%E6%88%B7/"
    assert f"{quoted}zenith/stakeholders.yaml" in uris
    assert all(uri.startswith(quoted) for uri in uris), uris
    gitlab = {
        issue["location"]["path"] for issue in kam(acme, "check", "--format", "gitlab").json()
    }
    assert where in gitlab
    assert all(path.startswith(f"sales/kam/{ACCOUNTS}/") for path in gitlab), gitlab
    junit = kam(acme, "check", "--format", "junit").stdout  # from the root, as the others
    assert f'classname="{where}"' in junit and str(mono) not in junit
    # the account folder itself is still shown as it was: below the working folder
    assert "stakeholders.yaml" in kam(acme, "check", ".", "--fail-on", "info").stdout


def test_paths_from_an_unrelated_folder_with_config(kam, mono):
    """From services/api with --config, findings are `../../sales/...`, never absolute."""
    api = mono / "services" / "api"
    r = kam(api, "check", "--config", "../../sales/kam/kam.yaml")
    assert r.exit_code == 1
    assert f"../../sales/kam/{ACCOUNTS}/zenith/stakeholders.yaml:10:19" in r.stdout, r.stdout
    assert str(mono) not in r.stdout
    r = kam(api, "check", "--config", "../../sales/kam/kam.yaml", "--format", "github")
    assert f"file=sales/kam/{ACCOUNTS}/zenith/stakeholders.yaml," in r.stdout


def test_outside_the_repository_a_path_stays_absolute(kam, mono, tmp_path):
    """A path in no repository of the working folder cannot be given relative to it in
    a useful way: it stays absolute (and the CI formats do not invent a prefix)."""
    elsewhere = tmp_path / "elsewhere"
    write_account(elsewhere, "orbit", {"account.yaml": "id: orbit\n"})
    r = kam(mono, "validate", str(elsewhere / "accounts"))
    assert r.exit_code == 1
    assert f"{(elsewhere / 'accounts' / 'orbit').as_posix()}/account.yaml:" in r.stdout


def test_no_kam_yaml_found_says_so_rather_than_offering_kam_init(kam, mono):
    """From the monorepo's root (kam.yaml is in sales/kam) the error only said there was
    no accounts folder at `accounts` and offered `kam init`; `kam diff` printed "0
    changed ... 0 unchanged" and exited 0: a review that read nothing passed."""
    for cmd in (("check",), ("grade",), ("diff", "HEAD")):
        r = kam(mono, *cmd)
        assert r.exit_code == 2, (cmd, r.stdout, r.stderr)
        assert "no kam.yaml in this folder or above it" in r.stderr, r.stderr
        assert "--config" in r.stderr
    # with kam.yaml found, the message stays the plain one
    kam_dir = mono / "sales" / "kam"
    (kam_dir / "kam.yaml").write_text("accounts: nowhere\n", encoding="utf-8")
    commit(mono, "kam.yaml names a folder that is not there")
    r = kam(kam_dir, "diff")
    assert r.exit_code == 2
    assert "no accounts folder at nowhere (accounts: nowhere in kam.yaml," in r.stderr
    assert "no kam.yaml" not in r.stderr


def test_diff_of_a_monorepo_branch_from_root_with_config(kam, mono):
    git(mono, "checkout", "-q", "-b", "feature")
    people = mono / "sales" / "kam" / ACCOUNTS / "acme" / "stakeholders.yaml"
    people.write_text(
        people.read_text(encoding="utf-8").replace("attitude: 2", "attitude: -1"),
        encoding="utf-8",
    )
    commit(mono, "acme cooled")
    git(mono, "checkout", "-q", "main")
    (mono / "services" / "api" / "main.py").write_text("print('main')\n", encoding="utf-8")
    commit(mono, "unrelated")
    git(mono, "checkout", "-q", "--detach", "feature")  # as CI checks out a pull request
    r = kam(mono, "diff", "main...HEAD", "--config", "sales/kam/kam.yaml", "--format", "json")
    assert r.exit_code == 0, r.stderr
    j = r.json()
    assert [a["id"] for a in j["accounts"]] == ["acme"] and j["unchanged"] == 1


def _clone(source: Path, target: Path, *args: str) -> Path:
    subprocess.run(
        ["git", "clone", "-q", *args, f"file://{source}", str(target)],
        check=True,
        capture_output=True,
    )
    return target


def _feature_branch_checkout(mono: Path, tmp_path: Path) -> Path:
    """A feature branch that changed acme, main moved on elsewhere, and the depth-1 clone
    of the feature branch that CI checks out."""
    git(mono, "checkout", "-q", "-b", "feature")
    (mono / "sales" / "kam" / ACCOUNTS / "acme" / "org.yaml").write_text(
        "units:\n  - {id: it, name: IT}\n", encoding="utf-8"
    )
    commit(mono, "org")
    git(mono, "checkout", "-q", "main")
    (mono / "services" / "api" / "main.py").write_text("print('main')\n", encoding="utf-8")
    commit(mono, "unrelated")
    git(mono, "checkout", "-q", "feature")
    return _clone(mono, tmp_path / "ci", "--depth", "1", "-b", "feature")


def test_three_dot_diff_in_a_shallow_clone_says_why(kam, mono, tmp_path):
    """`kam diff origin/main...HEAD` in a depth-1 checkout printed "git merge-base
    failed"; `main` that exists only as `origin/main` was "unknown revision 'main'"."""
    clone = _feature_branch_checkout(mono, tmp_path)
    git(clone, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main")
    here = clone / "sales" / "kam"
    r = kam(here, "diff", "origin/main...HEAD")
    assert r.exit_code == 2
    assert "merge-base failed" not in r.stderr
    assert "origin/main and HEAD have no common commit in this shallow clone" in r.stderr
    assert "fetch-depth: 0" in r.stderr
    # each CI system is told its own setting: GitLab does not read GitHub's fetch-depth
    lab = kam(here, "diff", "origin/main...HEAD", env={"GITLAB_CI": "true"})
    assert 'set the variable `GIT_DEPTH: "0"` in .gitlab-ci.yml' in lab.stderr, lab.stderr
    assert "fetch-depth" not in lab.stderr
    hub = kam(here, "history", env={"GITHUB_ACTIONS": "true", "GITLAB_CI": ""})
    assert "or set `fetch-depth: 0` in actions/checkout)" in hub.stderr, hub.stderr
    assert "GIT_DEPTH" not in hub.stderr
    r = kam(here, "diff", "main...HEAD")
    assert r.exit_code == 2
    assert "unknown revision 'main'; did you mean 'origin/main'?" in r.stderr, r.stderr
    r = kam(here, "diff", "HEAD~1")
    assert r.exit_code == 2 and "this is a shallow clone" in r.stderr, r.stderr
    # the full clone compares, from the merge base
    full = _clone(mono, tmp_path / "full", "-b", "feature")
    r = kam(full / "sales" / "kam", "diff", "origin/main...HEAD", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert [a["id"] for a in r.json()["accounts"]] == ["acme"]


def test_three_dot_diff_of_unrelated_histories(kam, mono):
    git(mono, "checkout", "-q", "--orphan", "other")
    commit(mono, "orphan")
    r = kam(mono, "diff", "main...HEAD", "--config", "sales/kam/kam.yaml")
    assert r.exit_code == 2
    assert "main and HEAD have no common commit (unrelated histories)" in r.stderr
    # the command it suggests reaches the same portfolio: --config repeated
    assert "`kam diff main HEAD --config sales/kam/kam.yaml`" in r.stderr
    assert (
        json.loads(
            kam(
                mono, "diff", "main", "HEAD", "--config", "sales/kam/kam.yaml", "--format", "json"
            ).stdout
        )["unchanged"]
        == 2
    )


@pytest.fixture
def moved(tmp_path: Path) -> Path:
    """A repository whose accounts were at the root (no kam.yaml), then moved into the
    monorepo's `sales/kam/` with a kam.yaml there, in one commit; acme also changed."""
    repo = tmp_path / "moved"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write_account(repo, "acme")
    write_account(repo, "zenith")
    commit(repo, "accounts at the root")
    (repo / "sales" / "kam").mkdir(parents=True)
    git(repo, "mv", "accounts", f"sales/kam/{ACCOUNTS}")
    (repo / "sales" / "kam" / "kam.yaml").write_text(f"accounts: {ACCOUNTS}\n", encoding="utf-8")
    people = repo / "sales" / "kam" / ACCOUNTS / "acme" / "stakeholders.yaml"
    people.write_text(
        people.read_text(encoding="utf-8").replace("attitude: 2", "attitude: 1"), encoding="utf-8"
    )
    commit(repo, "into the monorepo's sales/kam")
    return repo


def test_diff_across_a_moved_accounts_folder_compares_each_account_with_itself(kam, moved):
    """A pull request that moved the accounts folder (into sales/kam/, with a kam.yaml
    there) was reviewed as every account added, with all their findings new and "worse":
    the base side was read at today's folder, where that revision had nothing."""
    for where, args in (
        (moved / "sales" / "kam", ()),
        (moved / "sales" / "kam" / ACCOUNTS / "zenith", ()),
        (moved, ("--config", "sales/kam/kam.yaml")),
    ):
        r = kam(where, "diff", "HEAD~1", "HEAD", "--format", "json", *args)
        assert r.exit_code == 0, (where, r.stderr)
        j = r.json()
        assert [(a["id"], a["status"]) for a in j["accounts"]] == [("acme", "changed")], where
        assert j["unchanged"] == 1 and j["worse"] is True  # attitude 2 -> 1, nothing else
        assert all(not a["new_findings"] for a in j["accounts"]), j["accounts"]
    # the working tree against the revision before the move, too
    r = kam(moved / "sales" / "kam", "diff", "HEAD~1", "--format", "json")
    assert [a["id"] for a in r.json()["accounts"]] == ["acme"]
    # from the root without kam.yaml: followed to sales/kam/kam.yaml, said on stderr
    # (it read "removed, removed": test_invocation_paths has the cases)
    r = kam(moved, "diff", "HEAD~1", "HEAD", "--format", "json")
    assert [(a["id"], a["status"]) for a in r.json()["accounts"]] == [("acme", "changed")]
    assert "sales/kam/kam.yaml" in r.stderr


def test_accounts_key_renamed_in_kam_yaml(kam, moved):
    """kam.yaml's `accounts:` renamed with the folder: the same accounts, unchanged."""
    kam_dir = moved / "sales" / "kam"
    git(moved, "mv", f"sales/kam/{ACCOUNTS}", "sales/kam/customers")
    (kam_dir / "kam.yaml").write_text("accounts: customers\n", encoding="utf-8")
    commit(moved, "customers")
    j = kam(kam_dir, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    assert j["accounts"] == [] and j["unchanged"] == 2


def test_portfolio_since_across_a_moved_accounts_folder(kam, moved):
    r = kam(moved / "sales" / "kam", "portfolio", "--since", "HEAD~1", "--format", "json")
    assert r.exit_code == 0, r.stderr
    since = r.json()["since"]
    assert since["gained"] == [] and since["lost"] == [], since


def _rows(result) -> list[tuple[str, str, int | None]]:
    return [
        (rev["subject"], rev["status"], (rev["grade"] or {}).get("score"))
        for rev in result.json()["accounts"][0]["revisions"]
    ]


def test_history_goes_on_across_a_moved_accounts_folder(kam, moved):
    """`kam history` read only today's folder: an account's history started at the move
    ("new account"), everything before it lost; from the repository root, where kam
    reads `accounts/`, it ended there ("account removed")."""
    kam_dir = moved / "sales" / "kam"
    zenith = kam_dir / ACCOUNTS / "zenith" / "stakeholders.yaml"
    zenith.write_text(
        zenith.read_text(encoding="utf-8").replace("attitude: 2", "attitude: -2"),
        encoding="utf-8",
    )
    commit(moved, "zenith's boss turned")
    git(moved, "mv", f"sales/kam/{ACCOUNTS}/zenith", f"sales/kam/{ACCOUNTS}/zenith-group")
    account = kam_dir / ACCOUNTS / "zenith-group" / "account.yaml"
    account.write_text(
        account.read_text(encoding="utf-8").replace("id: zenith", "id: zenith-group"),
        encoding="utf-8",
    )
    commit(moved, "zenith renamed")
    r = kam(kam_dir, "history", "zenith-group", "--format", "json")
    assert r.exit_code == 0, r.stderr
    rows = _rows(r)
    # the move wrote a kam.yaml that moved none of zenith's grade or findings: no row of
    # it (a commit changing kam.yaml and other accounts lists only the accounts it moved)
    assert [(s, st) for s, st, _score in rows] == [
        ("accounts at the root", "added"),
        ("zenith's boss turned", "changed"),
        ("zenith renamed", "renamed"),
    ], rows
    assert rows[0][2] > rows[1][2] == rows[2][2]
    # the same from inside an account folder and with --config from the root
    assert (
        _rows(kam(kam_dir / ACCOUNTS / "acme", "history", "zenith-group", "--format", "json"))
        == rows
    )
    named = kam(
        moved, "history", "zenith-group", "--config", "sales/kam/kam.yaml", "--format", "json"
    )
    assert [s for s, _st, _score in _rows(named)] == [
        "accounts at the root",
        "zenith's boss turned",
        "zenith renamed",
    ]  # with --config too
    # --since a revision before the move starts there, in the old folder
    since = kam(kam_dir, "history", "acme", "--since", "HEAD~3", "--format", "json")
    assert [(s, st) for s, st, _score in _rows(since)] == [
        ("(start)", "start"),
        ("into the monorepo's sales/kam", "changed"),
    ]
    # a person is followed across the move too
    person = kam(kam_dir, "history", "acme", "boss", "--format", "json")
    assert person.exit_code == 0, person.stderr
    assert len(person.json()["accounts"][0]["revisions"]) == 2


def test_an_unrelated_accounts_folder_at_the_root_is_not_read_as_accounts(kam, tmp_path):
    """A monorepo with a billing service's `accounts/` at the root from before kam came
    (in `sales/kam/`): the revisions before kam.yaml existed read `accounts/` at the root
    by kam's rule, but a folder there with no kam file is no account (not "removed", not
    "lost", not a history of an account that does not load)."""
    repo = tmp_path / "billing"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "accounts" / "ledger").mkdir(parents=True)
    (repo / "accounts" / "ledger" / "config.yml").write_text("rate: 1\n", encoding="utf-8")
    commit(repo, "billing")
    kam_dir = repo / "sales" / "kam"
    kam_dir.mkdir(parents=True)
    (kam_dir / "kam.yaml").write_text("accounts: customers\n", encoding="utf-8")
    write_account(kam_dir, "acme")
    (kam_dir / "accounts").rename(kam_dir / "customers")
    commit(repo, "kam")
    diff = kam(kam_dir, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    assert [(a["id"], a["status"]) for a in diff["accounts"]] == [("acme", "added")]
    since = kam(kam_dir, "portfolio", "--since", "HEAD~1", "--format", "json").json()["since"]
    assert since["lost"] == [] and [a["id"] for a in since["gained"]] == ["acme"]
    history = kam(kam_dir, "history", "--format", "json").json()
    assert [a["id"] for a in history["accounts"]] == ["acme"]


@pytest.mark.parametrize(
    "text",
    [
        b"language: zh-CN\r\naccounts: accounts\r\n",  # CRLF, as Windows editors save it
        b"\xef\xbb\xbflanguage: zh-CN\naccounts: accounts\n",  # a byte order mark
        b'\xef\xbb\xbflanguage: "zh-CN"  # the team reads Chinese\r\n',
    ],
)
def test_kam_yaml_language_is_read_with_crlf_or_a_bom(kam, tmp_path, text):
    """The language is read before anything else (a bad --today is already worded in
    it); with CRLF line ends or a BOM, kam.yaml's `language: zh-CN` was missed there and
    the first error came out in English."""
    write_account(tmp_path, "acme")
    (tmp_path / "kam.yaml").write_bytes(text)
    r = kam(tmp_path, "grade", "--today", "2026-13-01")
    assert r.exit_code == 2
    assert r.stderr.startswith("kam：错误："), r.stderr


def test_accounts_folder_named_through_a_symbolic_link(kam, tmp_path):
    """`accounts: current`, a link to this year's folder: kam diff, history and portfolio
    --since read the linked folder at every revision (reading each revision's folder as
    kam.yaml writes it must not lose the link)."""
    repo = tmp_path / "linked"
    (repo / "sales").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    write_account(repo / "sales", "acme")
    (repo / "sales" / "accounts").rename(repo / "sales" / "customers-2026")
    (repo / "sales" / "current").symlink_to("customers-2026", target_is_directory=True)
    (repo / "sales" / "kam.yaml").write_text("accounts: current\n", encoding="utf-8")
    commit(repo, "accounts")
    people = repo / "sales" / "customers-2026" / "acme" / "stakeholders.yaml"
    people.write_text(
        people.read_text(encoding="utf-8").replace("attitude: 2", "attitude: 0"),
        encoding="utf-8",
    )
    commit(repo, "acme cooled")
    here = repo / "sales"
    diff = kam(here, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    assert [(a["id"], a["status"]) for a in diff["accounts"]] == [("acme", "changed")]
    history = kam(here, "history", "acme", "--format", "json")
    assert [r["status"] for r in history.json()["accounts"][0]["revisions"]] == [
        "added",
        "changed",
    ]
    since = kam(here, "portfolio", "--since", "HEAD~1", "--format", "json").json()["since"]
    assert since["gained"] == [] and since["lost"] == []


def test_shallow_clone_advice_works_as_given(kam, mono, tmp_path):
    """The command kam suggests for a branch a depth-1 checkout lacks, run as printed,
    makes the three-dot diff work (``git fetch origin main`` alone only set FETCH_HEAD)."""
    clone = _feature_branch_checkout(mono, tmp_path)
    here = clone / "sales" / "kam"
    r = kam(here, "diff", "main...HEAD")
    assert r.exit_code == 2
    advice = re.search(r"`(git fetch [^`]+)`", r.stderr)
    assert advice is not None, r.stderr
    assert "then compare with origin/main" in r.stderr
    subprocess.run(advice.group(1).split(), cwd=clone, check=True, capture_output=True)
    r = kam(here, "diff", "origin/main...HEAD", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert [a["id"] for a in r.json()["accounts"]] == ["acme"]


@pytest.mark.parametrize("where", ["sales/kam", f"sales/kam/{ACCOUNTS}/acme"])
def test_history_and_diff_name_files_as_grade_does(kam, mono, where):
    """Run from kam.yaml's folder, `kam grade` named `客户 账户/acme/...` but `kam history`
    and `kam diff` named the same files from the repository root
    (`sales/kam/客户 账户/acme/...`); from inside acme grade says `.` and history said
    `../acme`, and read the id of `.` as '' (KAM006). The same file has one name."""
    here = mono / where
    grade = {a["id"]: a for a in kam(here, "grade", "--format", "json").json()["accounts"]}
    history = kam(here, "history", "--format", "json").json()
    for acct in history["accounts"]:
        if acct["id"] in grade:
            assert acct["revisions"][-1]["grade"] == grade[acct["id"]]
    assert set(grade) <= {a["id"] for a in history["accounts"]}

    stakeholders = mono / "sales/kam" / ACCOUNTS / "acme" / "stakeholders.yaml"
    stakeholders.write_text(
        stakeholders.read_text(encoding="utf-8").replace("attitude: 2", "attitude: -1"),
        encoding="utf-8",
    )
    check = kam(here, "check", "--format", "json").json()
    in_check = {(f["code"], f["path"], f["line"]) for f in check["findings"]}
    diff = kam(here, "diff", "--format", "json").json()
    (acme,) = [a for a in diff["accounts"] if a["id"] == "acme"]
    new = {(f["code"], f["path"], f["line"]) for f in acme["new_findings"]}
    assert new and new <= in_check, (new, in_check)


def test_git_commands_with_config_work_from_outside_the_repository(kam, mono, tmp_path):
    """`kam grade --config sales/kam/kam.yaml` works from any folder; diff, history and
    portfolio --since looked for the repository from the working folder and said "not
    inside a git repository". The repository is the one kam.yaml lies in."""
    outside = tmp_path / "outside"
    outside.mkdir()
    config = str(mono / "sales" / "kam" / "kam.yaml")
    stakeholders = mono / "sales/kam" / ACCOUNTS / "acme" / "stakeholders.yaml"
    stakeholders.write_text(
        stakeholders.read_text(encoding="utf-8").replace("attitude: 2", "attitude: -1"),
        encoding="utf-8",
    )
    diff = kam(outside, "diff", "--config", config, "--format", "json")
    assert diff.exit_code == 0, diff.stderr
    assert [a["id"] for a in diff.json()["accounts"]] == ["acme"]
    history = kam(outside, "history", "acme", "--config", config, "--format", "json")
    assert history.exit_code == 0, history.stderr
    since = kam(outside, "portfolio", "--since", "HEAD", "--config", config)
    assert since.exit_code == 0, since.stderr
    # without --config the working folder's repository is still the one meant
    r = kam(outside, "diff")
    assert r.exit_code == 2 and "not inside a git repository" in r.stderr


def test_no_kam_yaml_found_names_the_one_below(kam, mono):
    """Trial: a sales-ops user keeps kam.yaml in `crm/` and runs kam at the repository
    root, as for git. The error said there was no kam.yaml in this folder or above it, and
    `kam log` / `kam import` only "there is no accounts folder at accounts": nothing said
    that the kam.yaml is one folder down, or how to reach it. Now the error names the
    kam.yaml files below (a few levels, hidden folders left out) and how to use one."""
    hint = (
        "no kam.yaml in this folder or above it (kam looks upward, as git does); below "
        "it: sales/kam/kam.yaml: run kam there (`cd sales/kam`) or add `--config "
        "sales/kam/kam.yaml`"
    )
    for cmd in (("check",), ("agenda",), ("log", "acme", "boss", "-m", "hi")):
        r = kam(mono, *cmd)
        assert r.exit_code in (1, 2), (cmd, r.stdout, r.stderr)
        assert hint in " ".join(r.stderr.split()), (cmd, r.stderr)
    # the way the hint says works
    assert kam(mono, "check", "--config", "sales/kam/kam.yaml").exit_code == 1
    # from services/api there is none below: the message stays as it was
    r = kam(mono / "services" / "api", "check")
    assert r.exit_code == 2 and "below it" not in r.stderr
    # two of them: both named
    other = mono / "export" / "kam.yaml"
    other.parent.mkdir()
    other.write_text("accounts: customers\n", encoding="utf-8")
    r = kam(mono, "grade")
    assert "below it: export/kam.yaml, sales/kam/kam.yaml: run kam there (`cd export`)" in (
        " ".join(r.stderr.split())
    ), r.stderr


# ---- the kam.yaml that governs a named path ----------------------------------------
def _team_rules(mono: Path, text: str) -> None:
    config = mono / "sales" / "kam" / "kam.yaml"
    config.write_text(f"accounts: {ACCOUNTS}\n{text}", encoding="utf-8")


def test_a_path_named_from_the_root_is_read_with_its_teams_kam_yaml(kam, mono):
    """From a monorepo's root (no kam.yaml there), `kam check sales/kam/<accounts>` read
    the accounts with the built-in settings: the team's severities did not apply, so the
    gate passed what the team's own run fails. The nearest kam.yaml above a path governs
    it, as ruff and eslint find a file's settings."""
    acme = f"sales/kam/{ACCOUNTS}/acme"
    assert kam(mono, "check", acme).exit_code == 0  # before the team raised KAM110: warnings only
    _team_rules(mono, "rules:\n  KAM110: error\n")
    team = kam(mono / "sales" / "kam", "check", "acme", "--format", "json")
    assert team.exit_code == 1
    assert ("KAM110", "error") in {(f["code"], f["severity"]) for f in team.json()["findings"]}
    for args in ([f"sales/kam/{ACCOUNTS}"], [acme], [f"{acme}/account.yaml"]):
        root = kam(mono, "check", *args, "--format", "json")
        assert root.exit_code == 1, root.stdout
        assert ("KAM110", "error") in {(f["code"], f["severity"]) for f in root.json()["findings"]}
    # the findings of one account are the same, run from the team's folder or the root
    alone = kam(mono / "sales" / "kam", "check", "acme", "--format", "json").json()["findings"]
    named = kam(mono, "check", f"sales/kam/{ACCOUNTS}/acme", "--format", "json").json()
    assert [(f["code"], f["severity"], f["message"]) for f in named["findings"]] == [
        (f["code"], f["severity"], f["message"]) for f in alone
    ]


def test_the_teams_language_is_kept_to_the_last_line(kam, mono):
    """The team's `language:` governs the whole output: the summary line was English
    because the suggested commands' look at the workspace set the language again."""
    _team_rules(mono, "language: zh-CN\n")
    out = kam(mono, "check", f"sales/kam/{ACCOUNTS}")
    assert out.exit_code == 1
    assert out.stdout.rstrip().splitlines()[-1] == "2 个客户中：1 个错误，6 个警告，6 个提示", (
        out.stdout
    )
    # the suggested commands name the account by its path: from the root an id names none
    assert f"`kam touch 'sales/kam/{ACCOUNTS}/zenith'" in out.stdout, out.stdout


def test_a_write_on_a_named_path_uses_the_teams_folder_for_its_schema(kam, mono):
    """`kam log` on an account named by its path from the root wrote its new log's schema
    in schemas/ at the repository root, not beside the team's kam.yaml."""
    done = kam(mono, "log", f"sales/kam/{ACCOUNTS}/acme", "boss", "-m", "call")
    assert done.exit_code == 0, done.stdout + done.stderr
    assert (mono / "sales" / "kam" / "schemas" / "log.schema.json").is_file()
    assert not (mono / "schemas").exists()


def test_paths_under_two_kam_yaml_files_are_refused(kam, mono):
    """Two paths under different kam.yaml files (two teams' settings) cannot be read in
    one run: a one-line usage error naming each path with its kam.yaml, exit 2."""
    other = mono / "emea"
    write_account(other, "beta")
    (other / "kam.yaml").write_text("accounts: accounts\n", encoding="utf-8")
    out = kam(mono, "check", f"sales/kam/{ACCOUNTS}", "emea/accounts/beta")
    assert out.exit_code == 2
    assert (
        f"sales/kam/{ACCOUNTS} is read with sales/kam/kam.yaml and emea/accounts/beta with "
        "emea/kam.yaml" in out.stderr
    ), out.stderr
    # an id is read with the kam.yaml of the folder kam runs in: here emea's
    mixed = kam(other, "check", "beta", f"../sales/kam/{ACCOUNTS}/acme")
    assert mixed.exit_code == 2
    assert "beta is read with kam.yaml and" in mixed.stderr, mixed.stderr
    # each alone is read, with its own kam.yaml
    assert kam(mono, "check", "emea/accounts/beta").exit_code == 0
    # --config names the one kam.yaml for all
    assert kam(mono, "validate", "--config", "emea/kam.yaml", "emea/accounts/beta").exit_code == 0


def test_an_id_from_the_root_is_pointed_to_the_kam_yaml_that_holds_it(kam, mono):
    """With two teams' kam.yaml below the root, `kam check zenith` from the root named
    the first found (`emea/kam.yaml`), not the tree that holds zenith."""
    write_account(mono / "emea", "beta")
    (mono / "emea" / "kam.yaml").write_text("accounts: accounts\n", encoding="utf-8")
    for command in ("check", "plan"):
        out = kam(mono, command, "zenith")
        assert out.exit_code == 1, out.stderr
        assert (
            "below it: sales/kam/kam.yaml, emea/kam.yaml: run kam there (`cd sales/kam`)"
            in out.stderr
        ), out.stderr
    assert "below it: emea/kam.yaml, sales/kam/kam.yaml" in kam(mono, "check", "beta").stderr


def test_init_at_the_root_does_not_start_a_second_portfolio(kam, mono):
    """`kam init` at the root (no kam.yaml there, the team's below) wrote accounts/ and
    schemas/ at the root: every later run there read that stray portfolio with the
    built-in settings and no longer pointed at the team's kam.yaml."""
    out = kam(mono, "init", "nowy", "--owner", "jan.k")
    assert out.exit_code == 2
    assert "below it: sales/kam/kam.yaml: run kam there (`cd sales/kam`)" in out.stderr
    assert not (mono / "accounts").exists() and not (mono / "schemas").exists()
    # where the team's kam.yaml governs, init writes into its accounts folder
    here = kam(mono / "sales" / "kam", "init", "nowy", "--owner", "jan.k")
    assert here.exit_code == 0, here.stderr
    assert (mono / "sales" / "kam" / ACCOUNTS / "nowy" / "account.yaml").is_file()


def test_diff_between_two_revisions_at_the_root_points_below(kam, mono):
    """`kam diff HEAD HEAD` at the root said "the accounts folder accounts does not exist
    at HEAD ... check `accounts:` in kam.yaml" (there is none), exit 1, where `kam diff
    HEAD` and every other command there name the team's kam.yaml, exit 2."""
    out = kam(mono, "diff", "HEAD", "HEAD")
    assert out.exit_code == 2, out.stderr
    assert "below it: sales/kam/kam.yaml: run kam there (`cd sales/kam`)" in out.stderr
