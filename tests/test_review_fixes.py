"""Defects found in review of the suggested commands (kamtool.suggest) and of kam diff
following moved accounts: a folder or a --config path holding a placeholder word
(ACCOUNT, PERSON), rich markup (``[team]``) or a leading dash, the state of one run
leaking into the next call in the same process, a followed diff suggesting commands that
miss the accounts, and the folder the accounts moved out of left behind, empty."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from conftest import write_account
from test_invocation_paths import STALE

#: a kam.yaml whose folder holds the words the catalogue's hints use as placeholders,
#: a space, Chinese and what rich reads as markup
CONFIG = "KEY-ACCOUNTS [team PERSON 团队]/kam.yaml"


@pytest.fixture
def odd(tmp_path: Path) -> Path:
    """kam.yaml in `KEY-ACCOUNTS [team PERSON 团队]/`, its accounts in `ACCOUNTS/` there;
    acme has a decision maker nobody has called for a year."""
    kam_dir = tmp_path / Path(CONFIG).parent
    kam_dir.mkdir(parents=True)
    (kam_dir / "kam.yaml").write_text("accounts: ACCOUNTS\n", encoding="utf-8")
    write_account(kam_dir, "acme", {"stakeholders.yaml": STALE})
    (kam_dir / "accounts").rename(kam_dir / "ACCOUNTS")
    return tmp_path


def test_placeholder_words_in_a_config_path_stay_as_typed(kam, odd):
    """The hint's ACCOUNT and PERSON were filled in twice: in the command's words, then
    in the whole text, so that `--config 'KEY-ACCOUNTS ...'` came out as
    `--config 'KEY-acmeS ...'` (and a folder `KEY-ACCOUNTS/acme` as `KEY-acmeS/acme`)."""
    check = kam(odd, "check", "--config", CONFIG)
    hinted = re.findall(r"`(kam [^`]+)`", check.stdout)
    quoted = shlex.quote(CONFIG)
    assert f"kam log acme chen-jing -m TEXT --config {quoted}" in hinted, hinted
    assert all("acmeS" not in c and "chen-jingS" not in c for c in hinted), hinted
    # pasted as printed, it records the contact in the same portfolio
    logged = kam(odd, *shlex.split(f"kam log acme chen-jing -m 电话 --config {quoted}")[1:])
    assert logged.exit_code == 0, logged.stderr
    assert "电话" in (odd / Path(CONFIG).parent / "ACCOUNTS/acme/log.yaml").read_text("utf-8")


def test_accounts_folder_named_with_a_placeholder_word(kam, odd, tmp_path):
    """Named by its folder from elsewhere, `.../KEY-ACCOUNTS [team PERSON 团队]/ACCOUNTS/acme`
    is printed as it is, not with the account's id put in for ACCOUNT."""
    folder = f"{Path(CONFIG).parent}/ACCOUNTS"
    check = kam(odd, "check", folder)
    acme = shlex.quote(f"{folder}/acme")
    assert f"`kam touch {acme} chen-jing`" in check.stdout, check.stdout


def test_rules_title_shows_a_config_path_with_brackets(kam, odd):
    """`kam rules`' title is drawn by rich: `[team PERSON 团队]` was read as markup and left
    out, giving `--config 'KEY-ACCOUNTS /kam.yaml'`."""
    listed = kam(odd, "rules", "--config", CONFIG)
    assert listed.exit_code == 0, listed.stderr
    first = listed.stdout.splitlines()[0]
    assert f"kam rules CODE --config {shlex.quote(CONFIG)}" in first, first


@pytest.mark.parametrize("args", [["--version"], ["--no-such-option"], ["check", "--bad"]])
def test_a_run_leaves_nothing_for_the_next_call(kam, odd, tmp_path, args):
    """A run that ended while its options were parsed (``kam --version``, a usage error)
    kept its context: a library call after it named an account outside that run's
    accounts folder by its path from that run's folder, not by its id."""
    kam(odd / Path(CONFIG).parent, *args)
    from kamtool import suggest

    elsewhere = tmp_path / "other" / "acme"
    assert suggest.account("acme", elsewhere, "log") == "acme"
    assert suggest.command("check") == "kam check"


def test_a_folder_that_starts_with_a_dash_is_suggested_as_a_path(kam, odd, tmp_path):
    """`kam agenda ./-sales/accounts` suggested `kam log -sales/accounts/acme ...`, which
    kam reads as an option (a usage error) when pasted: the folder is given as ./-sales."""
    dashed = odd / "-sales"
    (odd / Path(CONFIG).parent / "ACCOUNTS").rename(dashed)
    agenda = kam(odd, "agenda", "./-sales", "--format", "json")
    commands = {i["command"] for i in agenda.json()["items"]}
    assert "kam log ./-sales/acme chen-jing --by zhou.lei" in commands, commands
    pasted = kam(odd, *shlex.split("kam log ./-sales/acme chen-jing --by zhou.lei -m 拜访")[1:])
    assert pasted.exit_code == 0, pasted.stderr
    assert "拜访" in (dashed / "acme/log.yaml").read_text("utf-8")


def test_a_followed_diff_suggests_commands_that_reach_the_moved_accounts(kam, tmp_path):
    """`kam diff` from a monorepo's root that followed the accounts into `销售 部/kam/`
    said of an account that does not load "(kam check lists the errors)": pasted there,
    kam check finds no kam.yaml. Its suggestions now name the kam.yaml it followed."""
    from test_invocation_paths import _accounts_repo, commit, git

    repo = _accounts_repo(tmp_path)
    (repo / "销售 部/kam").mkdir(parents=True)
    git(repo, "mv", "kam.yaml", "accounts", "销售 部/kam/")
    commit(repo, "into 销售 部/kam")
    (repo / "销售 部/kam/accounts/nanfeng/account.yaml").write_text("id: [\n", "utf-8")
    quoted = shlex.quote("销售 部/kam/kam.yaml")
    r = kam(repo, "diff", "HEAD~1")
    assert r.exit_code == 1
    assert f"nanfeng (kam check --config {quoted} lists the errors)" in r.stdout, r.stdout
    assert f"other commands need it named (kam check --config {quoted})" in r.stderr
    assert r.stderr.count("--config") == 1, r.stderr  # not named twice
    pasted = kam(repo, "check", "--config", "销售 部/kam/kam.yaml")
    assert pasted.exit_code == 1
    assert "kam/accounts/nanfeng/account.yaml:1:5: KAM001" in pasted.stdout  # at the [


@pytest.mark.parametrize("leftover", [(), (".DS_Store", "haitai/.stakeholders.yaml.swp")])
def test_diff_follows_past_the_empty_folder_the_accounts_left(kam, tmp_path, leftover):
    """`git mv accounts sales/kam/` leaves `accounts/` behind when anything untracked is in
    it (an editor's swap file, .DS_Store), and a file manager's move can leave it empty:
    kam diff from the root then saw a folder, did not follow, and read every account
    "removed" with exit 0; kam history did not follow either."""
    from test_invocation_paths import _accounts_repo, commit, git

    repo = _accounts_repo(tmp_path)
    (repo / "sales/kam").mkdir(parents=True)
    git(repo, "mv", "kam.yaml", "accounts", "sales/kam/")
    (repo / "accounts").mkdir()
    (repo / ".gitignore").write_text(".DS_Store\n*.swp\n", encoding="utf-8")
    for name in leftover:
        (repo / "accounts" / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / "accounts" / name).write_bytes(b"\0")
    r = kam(repo, "diff", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["accounts"] == [] and r.json()["unchanged"] == 2, r.stdout
    assert "sales/kam/kam.yaml reads them" in r.stderr
    commit(repo, "into sales/kam")
    history = kam(repo, "history", "haitai", "--format", "json")
    named = kam(repo, "history", "haitai", "--config", "sales/kam/kam.yaml", "--format", "json")
    assert history.exit_code == 0, history.stderr
    assert history.stdout == named.stdout
