"""A commit that changes only kam.yaml (tiers, weights) changes accounts' grades without
touching their files: `kam history` lists it for each account whose grade or findings it
changed, saying so ("settings changed (kam.yaml): tier A → B ..."), and leaves it out for
the others (a row "score 54 (unchanged)" explained nothing). Each listed row still equals
`kam grade --format json` at its commit."""

from __future__ import annotations

import gitrepo
from conftest import write_account
from gitrepo import commit, git

TIERS = """\
tiers:
  - {{name: key, label: Key account, position: {key}, value: 3}}
  - {{name: other, position: 1, value: 1}}
focus_tiers: [key]
"""


def _repo(tmp_path):
    r = gitrepo.new_repo(tmp_path / "repo")
    (r / "kam.yaml").write_text("accounts: accounts\n" + TIERS.format(key=3), encoding="utf-8")
    for ident, position in (("orsa", 3), ("bexa", 1)):
        account = (
            f"id: {ident}\nname: {ident.title()} AG\nowner: ana.ruiz\nreviewed: 2026-10-01\n"
            f"position: {position}\nvalue: 3\n"
        )
        write_account(r, ident, {"account.yaml": account})
    commit(r, "two accounts", "2026-10-05")
    (r / "kam.yaml").write_text("accounts: accounts\n" + TIERS.format(key=4), encoding="utf-8")
    commit(r, "key accounts need position 4", "2026-10-12")
    return r


def test_a_settings_commit_is_a_row_where_it_changed_the_grade(kam, tmp_path):
    repo = _repo(tmp_path)
    doc = kam(repo, "history", "--format", "json", "--today", "2026-11-24").json()
    revisions = {a["id"]: a["revisions"] for a in doc["accounts"]}
    orsa = revisions["orsa"]
    assert [r["subject"] for r in orsa] == ["two accounts", "key accounts need position 4"]
    row = orsa[-1]
    assert row["settings_changed"] is True and row["status"] == "changed"
    assert row["change"].startswith("settings changed (kam.yaml): tier key → other"), row
    # bexa was 'other' before and after: the commit did nothing to it
    assert [r["subject"] for r in revisions["bexa"]] == ["two accounts"]
    assert revisions["bexa"][0]["settings_changed"] is False
    for acct, revs in revisions.items():
        for rev in revs:
            where = tmp_path / f"wt-{rev['short']}"
            if not where.exists():
                git(repo, "worktree", "add", "-q", "--detach", str(where), rev["commit"])
            grade = kam(where, "grade", "--format", "json", "--today", "2026-11-24").json()
            assert rev["grade"] == next(a for a in grade["accounts"] if a["id"] == acct)
    text = kam(repo, "history", "orsa", "--today", "2026-11-24", env={"COLUMNS": "200"})
    assert "settings changed (kam.yaml): tier key → other" in text.stdout, text.stdout
    zh = kam(repo, "--lang", "zh-CN", "history", "orsa", "--today", "2026-11-24")
    assert "设置已改（kam.yaml）：" in zh.stdout, zh.stdout


def test_a_window_that_starts_where_kam_yaml_does_not_load_calls_no_account_new(kam, tmp_path):
    """`kam history --since` from a commit whose kam.yaml did not load called every
    account of the next commit "new account" (JSON status "added"), though each had been
    there all along: that row is the start of what could be graded."""
    import gitrepo
    from conftest import write_account
    from gitrepo import commit

    r = gitrepo.new_repo(tmp_path / "repo")
    (r / "kam.yaml").write_text("accounts: accounts\n", encoding="utf-8")
    write_account(r, "acme")
    commit(r, "start", "2026-01-10")
    (r / "kam.yaml").write_text("accounts: accounts\nlanguage: de\n", encoding="utf-8")
    commit(r, "broken", "2026-02-01")
    (r / "kam.yaml").write_text("accounts: accounts\n", encoding="utf-8")
    commit(r, "fixed", "2026-02-02")
    out = kam(r, "history", "--since", "2026-02-02", "--format", "json")
    assert out.exit_code == 0, out.stderr
    (acme,) = out.json()["accounts"]
    rows = [(row["status"], row["change"]) for row in acme["revisions"]]
    assert rows[0][0] == "start" and rows[0][1].startswith("not graded: kam.yaml")
    assert rows[1] == ("start", "state at the start (the first revision whose kam.yaml loads)")
    assert all("new account" not in change for _status, change in rows), rows
