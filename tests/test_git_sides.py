"""The CI bot's trial of kam's git side (kam diff --fail-on-worse in pull requests, kam
history, kam portfolio --since): a gate must never pass by not looking. Each test builds
a real repository in tmp_path and runs the real CLI."""

from __future__ import annotations

import os

from conftest import STAKEHOLDERS, write_account
from gitrepo import commit, git, new_repo

WORSE = STAKEHOLDERS.replace("attitude: 2", "attitude: -2")


def _linked_repo(tmp_path):
    """Accounts under data/accounts, reached through ``accounts -> data/accounts``, a
    symbolic link committed in git (mode 120000); nordtel's decision maker then turns
    against us in a second commit."""
    repo = new_repo(tmp_path / "repo")
    write_account(repo / "data", "nordtel")
    write_account(repo / "data", "hansa")
    os.symlink("data/accounts", repo / "accounts")
    commit(repo, "accounts", "2026-11-01")
    (repo / "data/accounts/nordtel/stakeholders.yaml").write_text(WORSE)
    commit(repo, "the boss turned", "2026-11-10")
    assert git(repo, "ls-tree", "HEAD", "accounts").startswith("120000")
    return repo


def test_diff_follows_an_accounts_folder_linked_in_git(kam, tmp_path):
    repo = _linked_repo(tmp_path)
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse")
    # before: "0 changed, 0 added, 0 removed, 0 unchanged; 0 worse" and exit 0
    assert "1 changed, 0 added, 0 removed, 1 unchanged; 1 worse" in r.stdout
    assert "attitude +2 → -2" in r.stdout
    assert r.exit_code == 1


def test_history_and_portfolio_since_follow_the_link(kam, tmp_path):
    repo = _linked_repo(tmp_path)
    h = kam(repo, "history", "nordtel", "--format", "json")
    assert h.exit_code == 0, h.stderr
    scores = [s["grade"]["score"] for s in h.json()["accounts"][0]["revisions"]]
    assert len(scores) == 2 and scores[1] < scores[0]
    p = kam(repo, "portfolio", "--since", "HEAD~1")
    assert p.exit_code == 0, p.stderr
    assert "Acme nordtel (nordtel):" in p.stdout
    assert "Accounts gained: none" in p.stdout


def test_a_folder_moved_behind_a_link_is_read_where_each_revision_has_it(kam, tmp_path):
    """kam.yaml says ``accounts: accounts``; a commit moves the folder to data/accounts
    and commits a link ``accounts -> data/accounts`` in its place. The revisions before it
    have a plain folder ``accounts``: it was read at today's target, data/accounts, which
    they do not have (every account 'added', the history starting at the move)."""
    repo = new_repo(tmp_path / "repo")
    (repo / "kam.yaml").write_text("accounts: accounts\n")
    write_account(repo, "nordtel")
    write_account(repo, "hansa")
    commit(repo, "accounts", "2026-11-01")
    (repo / "data").mkdir()
    git(repo, "mv", "accounts", "data/accounts")
    os.symlink("data/accounts", repo / "accounts")
    (repo / "data/accounts/nordtel/stakeholders.yaml").write_text(WORSE)
    commit(repo, "moved behind a link; the boss turned", "2026-11-10")
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse")
    # before: "0 changed, 2 added, 0 removed, 0 unchanged"
    assert "1 changed, 0 added, 0 removed, 1 unchanged; 1 worse" in r.stdout, r.stdout
    assert "attitude +2 → -2" in r.stdout
    assert r.exit_code == 1
    h = kam(repo, "history", "nordtel", "--format", "json")
    assert h.exit_code == 0, h.stderr
    revisions = h.json()["accounts"][0]["revisions"]
    assert len(revisions) == 2, revisions  # before: only the move, as a new account


def test_kam_yaml_folder_through_a_linked_folder(kam, tmp_path):
    """``accounts: sales/accounts`` in kam.yaml, where ``sales`` is a link to
    ``crm/sales``; the base revision had no kam.yaml (accounts at crm/sales/accounts,
    reached through the link ``accounts``), so each side's folder is found in its tree."""
    repo = new_repo(tmp_path / "repo")
    write_account(repo / "crm/sales", "nordtel")
    os.symlink("crm/sales", repo / "sales")
    os.symlink("crm/sales/accounts", repo / "accounts")
    commit(repo, "accounts", "2026-11-01")
    (repo / "accounts").unlink()
    (repo / "kam.yaml").write_text("accounts: sales/accounts\n")
    (repo / "crm/sales/accounts/nordtel/stakeholders.yaml").write_text(WORSE)
    commit(repo, "kam.yaml, and the boss turned", "2026-11-10")
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse")
    assert "1 changed, 0 added, 0 removed, 0 unchanged; 1 worse" in r.stdout
    assert r.exit_code == 1


def _two_commits(tmp_path):
    repo = new_repo(tmp_path / "repo")
    write_account(repo, "nordtel")
    (repo / "kam.yaml").write_text("accounts: accounts\n")
    commit(repo, "accounts", "2026-11-01")
    return repo


def test_head_side_without_its_accounts_folder_is_an_error(kam, tmp_path):
    repo = _two_commits(tmp_path)
    (repo / "kam.yaml").write_text("accounts: acounts\n")  # a typo in the pull request
    commit(repo, "typo", "2026-11-10")
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse")
    # before: "0 changed, 0 added, 1 removed, 0 unchanged; 0 worse" and exit 0
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.strip().splitlines() == [
        "kam: error: the accounts folder acounts does not exist at HEAD: every account would "
        "read as removed (check `accounts:` in kam.yaml, and that the folder is committed)"
    ]
    w = kam(repo, "diff", "HEAD~1")
    assert w.exit_code == 1
    assert "acounts does not exist in the working tree" in w.stderr


def test_a_base_side_without_the_folder_is_a_first_portfolio(kam, tmp_path):
    repo = new_repo(tmp_path / "repo")
    (repo / "README").write_text("sales\n")
    commit(repo, "start", "2026-10-01")
    write_account(repo, "nordtel")
    commit(repo, "first account", "2026-11-01")
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse")
    assert r.exit_code == 0, r.stderr
    assert "0 changed, 1 added, 0 removed" in r.stdout


def test_the_last_account_removed_is_removed_not_a_missing_folder(kam, tmp_path):
    """git keeps no empty folder: a pull request that removes the last account removes
    the accounts folder too. It was the error for a kam.yaml typo ("check `accounts:` in
    kam.yaml, and that the folder is committed"), with no review; it is the account
    removed, worse, as when other accounts stay."""
    repo = _two_commits(tmp_path)
    git(repo, "rm", "-rq", "accounts/nordtel")
    commit(repo, "handed to another team", "2026-11-10")
    assert not (repo / "accounts").exists()
    r = kam(repo, "diff", "HEAD~1", "HEAD")
    assert r.exit_code == 0, r.stderr
    assert "Acme nordtel (nordtel): account removed ▼" in r.stdout
    assert "0 changed, 0 added, 1 removed, 0 unchanged; 1 worse" in r.stdout
    assert kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse").exit_code == 1
    w = kam(repo, "diff", "HEAD~1")  # the working tree as the head side
    assert w.exit_code == 0 and "Acme nordtel (nordtel): account removed ▼" in w.stdout, w.stderr


def test_neither_side_with_an_account_is_an_error(kam, tmp_path):
    repo = new_repo(tmp_path / "repo")
    (repo / "kam.yaml").write_text("accounts: crm\n")
    (repo / "crm").mkdir()
    (repo / "crm/README").write_text("accounts go here\n")
    commit(repo, "start", "2026-10-01")
    (repo / "crm/README").write_text("accounts go here, one folder each\n")
    commit(repo, "readme", "2026-11-01")
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse")
    # before: "0 changed, 0 added, 0 removed, 0 unchanged; 0 worse" and exit 0
    assert r.exit_code == 1 and r.stdout == ""
    assert "no account in crm at HEAD~1 nor at HEAD: nothing was compared" in r.stderr


def test_misnamed_optional_files_are_findings_in_check_and_diff(kam, tmp_path):
    repo = _two_commits(tmp_path)
    targets = "period: {from: 2026-01-01, to: 2026-12-31}\ntargets: []\n"
    (repo / "accounts/nordtel/targets.yaml").write_text(targets)
    commit(repo, "targets", "2026-11-05")
    git(repo, "mv", "accounts/nordtel/targets.yaml", "accounts/nordtel/targets.yml")
    (repo / "accounts/nordtel/Log.yaml").write_text("entries: []\n")
    (repo / "accounts/nordtel/notes.md").write_text("not a kam file\n")
    commit(repo, "renamed by hand", "2026-11-10")
    c = kam(repo, "check", "--format", "json")
    got = {
        (f["code"], f["path"], f["message"]) for f in c.json()["findings"] if f["code"] == "KAM006"
    }
    # before: none; the account read as if it had no targets and no log
    assert got == {
        (
            "KAM006",
            "accounts/nordtel/targets.yml",
            "targets.yml is not read: did you mean targets.yaml?",
        ),
        ("KAM006", "accounts/nordtel/Log.yaml", "Log.yaml is not read: did you mean log.yaml?"),
    }
    assert c.exit_code == 1
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse")
    assert "new      KAM006 targets.yml is not read: did you mean targets.yaml?" in r.stdout
    assert "new      KAM006 Log.yaml is not read: did you mean log.yaml?" in r.stdout
    assert r.exit_code == 1
    # the required files as before: found under a near name, named in the message
    git(repo, "mv", "accounts/nordtel/stakeholders.yaml", "accounts/nordtel/stakeholders.yml")
    commit(repo, "people file renamed", "2026-11-12")
    r = kam(repo, "diff", "HEAD~1", "HEAD")
    assert "(found stakeholders.yml: did you mean stakeholders.yaml?)" in r.stdout


def test_files_of_the_users_own_are_not_misnamed_kam_files(kam, tmp_path):
    """KAM006 is an error no setting turns off: a file that only looks a little like
    log.yaml or org.yaml (blog.yaml, catalog.yaml, last year's log-2024.yaml) made the
    account fail kam check and the diff gate."""
    repo = _two_commits(tmp_path)
    folder = repo / "accounts/nordtel"
    own = ["blog.yaml", "catalog.yaml", "log-2024.yaml", "account-old.yaml", "dog.yaml"]
    own += ["notes.yaml", "targets.yaml.bak", "org-chart.yml", "targets-2025.yaml"]
    for name in own:
        (folder / name).write_text("x: 1\n")
    commit(repo, "the team's own files", "2026-11-05")
    c = kam(repo, "check", "--format", "json")
    got = {f["path"] for f in c.json()["findings"] if f["code"] == "KAM006"}
    assert got == set(), got
    assert c.exit_code == 0
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse")
    assert "KAM006" not in r.stdout and r.exit_code == 0, r.stdout
    # a missing required file still names a file like it in its message (a hint only)
    git(repo, "rm", "-q", "accounts/nordtel/account.yaml")
    commit(repo, "account.yaml gone", "2026-11-06")
    c = kam(repo, "check", "--format", "json")
    messages = {f["message"] for f in c.json()["findings"] if f["code"] == "KAM006"}
    assert messages == {
        "required file account.yaml is missing (found account-old.yaml: did you mean account.yaml?)"
    }, messages


def test_an_account_removed_fails_the_gate(kam, tmp_path):
    repo = _two_commits(tmp_path)
    write_account(repo, "hansa")
    commit(repo, "second account", "2026-11-05")
    git(repo, "rm", "-rq", "accounts/nordtel")
    commit(repo, "oops, a bad merge", "2026-11-10")
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse")
    # before: "0 changed, 0 added, 1 removed, 1 unchanged; 0 worse" and exit 0
    assert "Acme nordtel (nordtel): account removed ▼" in r.stdout
    assert "0 changed, 0 added, 1 removed, 1 unchanged; 1 worse" in r.stdout
    assert r.exit_code == 1
    m = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "markdown")
    assert "| **nordtel** (removed) ▼ |" in m.stdout
    assert m.exit_code == 0  # without --fail-on-worse: a review, not a gate
    # a rename is no loss: the same account under a new id
    git(repo, "mv", "accounts/hansa", "accounts/hansa-bank")
    (repo / "accounts/hansa-bank/account.yaml").write_text(
        (repo / "accounts/hansa-bank/account.yaml")
        .read_text()
        .replace("id: hansa", "id: hansa-bank")
    )
    commit(repo, "renamed", "2026-11-12")
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse")
    assert "0 worse" in r.stdout and r.exit_code == 0, r.stdout


def test_a_mistyped_branch_or_tag_gets_did_you_mean(kam, tmp_path):
    repo = _two_commits(tmp_path)
    git(repo, "tag", "v1.0")
    write_account(repo, "hansa")
    commit(repo, "second account", "2026-11-05")
    cases = [
        (("diff", "mian", "HEAD"), "unknown revision 'mian'; did you mean 'main'?"),
        (("diff", "mian...HEAD"), "unknown revision 'mian'; did you mean 'main'?"),
        (("diff", "HEAD", "mian~1"), "unknown revision 'mian~1'; did you mean 'main~1'?"),
        (("history", "--since", "v1.O"), "unknown revision 'v1.O'; did you mean 'v1.0'?"),
        (("portfolio", "--since", "V1.0"), "unknown revision 'V1.0'; did you mean 'v1.0'?"),
    ]
    for args, message in cases:
        r = kam(repo, *args)
        assert r.exit_code == 2 and r.stdout == "", args
        assert r.stderr.strip().splitlines() == [f"kam: error: {message}"], args
    r = kam(repo, "diff", "zzzzzzzz")
    assert r.stderr.strip() == "kam: error: unknown revision 'zzzzzzzz'"


def _partial_clone(tmp_path):
    """A repository with accounts removed and changed, pushed to a local bare "remote"
    that allows filters, and cloned from it with --filter=blob:none (as CI checks out):
    the blobs of the older commits are not in the clone."""
    repo = _two_commits(tmp_path)
    write_account(repo, "hansa")
    write_account(repo, "kessler")
    commit(repo, "two more", "2026-11-05")
    git(repo, "rm", "-rq", "accounts/kessler")
    (repo / "accounts/nordtel/stakeholders.yaml").write_text(WORSE)
    (repo / "accounts/hansa/stakeholders.yaml").write_text(WORSE)
    commit(repo, "the boss turned", "2026-11-10")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(remote, "config", "uploadpack.allowFilter", "true")
    git(repo, "push", "-q", str(remote), "main")
    git(tmp_path, "clone", "-q", "--filter=blob:none", remote.as_uri(), "clone")
    clone = tmp_path / "clone"
    assert git(clone, "config", "remote.origin.promisor").strip() == "true"
    return clone, remote


def test_partial_clone_fetches_the_missing_blobs_in_one_request(kam, tmp_path):
    clone, _remote = _partial_clone(tmp_path)
    trace = tmp_path / "trace.txt"
    r = kam(clone, "diff", "HEAD~1", "HEAD", "--fail-on-worse", env={"GIT_TRACE": str(trace)})
    assert "0 changed" not in r.stdout
    assert "2 changed, 0 added, 1 removed, 0 unchanged; 3 worse" in r.stdout
    assert r.exit_code == 1
    fetches = [line for line in trace.read_text().splitlines() if "built-in: git fetch" in line]
    # before: one lazy fetch per missing blob, each a round trip to the remote
    assert len(fetches) == 1, fetches


def test_partial_clone_with_the_remote_gone_says_what_to_do(kam, tmp_path):
    clone, remote = _partial_clone(tmp_path)
    remote.rename(tmp_path / "moved.git")
    r = kam(clone, "diff", "HEAD~1", "HEAD", "--fail-on-worse")
    assert r.exit_code == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(
        "kam: error: this is a partial clone (--filter=blob:none) and 2 files of the accounts "
        "are not here, nor could they be fetched from origin ("
    )
    assert "clone without a filter (actions/checkout: no `filter:`" in lines[0]
    h = kam(clone, "history", "nordtel")
    assert h.exit_code == 2 and "this is a partial clone" in h.stderr


def test_fail_on_worse_help_names_a_removed_account(kam, tmp_path):
    """Since 327ef22 an account removed fails --fail-on-worse; the option's help still
    listed only scores, ▼ changes, accounts that stop loading and new errors."""
    r = kam(tmp_path, "diff", "--help")
    text = " ".join(r.stdout.split())  # the help is wrapped to the terminal
    assert "an account removed, an account that stopped loading" in text, r.stdout
    zh = kam(tmp_path, "--lang", "zh-CN", "diff", "--help")
    assert "客户被删除、客户无法再读取" in "".join(zh.stdout.split()), zh.stdout


def test_a_repository_of_another_user_says_how_to_trust_it(kam, tmp_path):
    """git refuses a repository owned by another user (its safe.directory check, common in
    CI containers); its first line says only "dubious ownership": kam names the fix.
    GIT_TEST_ASSUME_DIFFERENT_OWNER is git's own switch for testing that refusal."""
    repo = _two_commits(tmp_path)
    env = {"GIT_TEST_ASSUME_DIFFERENT_OWNER": "1"}
    for args in (("diff",), ("history", "nordtel"), ("portfolio", "--since", "2026-10-01")):
        r = kam(repo, *args, env=env)
        assert r.exit_code == 2, args
        (line,) = r.stderr.strip().splitlines()
        assert "belongs to another user" in line
        assert "`git config --global --add safe.directory " in line
    assert kam(repo, "check", env=env).exit_code == 0  # no git needed: checked as usual


def test_a_missing_required_file_is_told_to_be_created_not_to_fix_the_id(kam, tmp_path):
    """KAM006's own hint is about an id that differs from its folder: a missing
    stakeholders.yaml was told 'Make `id` equal the folder name'. It is told to create
    the file (or to rename the one found under a near name), in either language."""
    folder = write_account(tmp_path, "acme")
    (folder / "stakeholders.yaml").unlink()
    r = kam(tmp_path, "validate", "--format", "json")
    (found,) = [f for f in r.json()["findings"] if f["code"] == "KAM006"]
    assert found["message"] == "required file stakeholders.yaml is missing"
    assert found["hint"].startswith("Create stakeholders.yaml in the account folder"), found
    assert "`kam init ID`" in found["hint"] and "id` equal" not in found["hint"]
    zh = kam(tmp_path, "--lang", "zh-CN", "validate")
    assert "在客户文件夹中创建 stakeholders.yaml" in zh.stdout, zh.stdout
    (folder / "stakeholder.yaml").write_text("stakeholders: []\n", encoding="utf-8")
    r = kam(tmp_path, "validate", "--format", "json")
    (found,) = [f for f in r.json()["findings"] if f["code"] == "KAM006"]
    assert "did you mean stakeholders.yaml?" in found["message"]
    assert found["hint"].startswith("Rename stakeholder.yaml to stakeholders.yaml"), found


def test_a_range_with_a_head_after_it_is_told_as_such(kam, tmp_path):
    """`kam diff HEAD~1..HEAD HEAD` said "unknown revision 'HEAD~1..HEAD'": the range is
    fine, the second argument is one too many."""
    import gitrepo
    from conftest import write_account
    from gitrepo import commit

    r = gitrepo.new_repo(tmp_path / "repo")
    write_account(r, "acme")
    commit(r, "one", "2026-10-01")
    (r / "accounts" / "acme" / "account.yaml").write_text(
        (r / "accounts" / "acme" / "account.yaml").read_text(encoding="utf-8") + "# two\n",
        encoding="utf-8",
    )
    commit(r, "two", "2026-10-02")
    out = kam(r, "diff", "HEAD~1..HEAD", "HEAD")
    assert out.exit_code == 2
    assert (
        "HEAD~1..HEAD is a range and HEAD is given too: name the two sides once, as "
        "`kam diff 'HEAD~1..HEAD'` or `kam diff 'HEAD~1' HEAD`" in out.stderr
    ), out.stderr
    assert "unknown revision" not in out.stderr
    assert kam(r, "diff", "HEAD~1", "HEAD").exit_code == 0
