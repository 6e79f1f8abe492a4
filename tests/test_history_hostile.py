"""kam history, diff and portfolio --since on repositories unlike kam's own: committer
dates out of order along the first-parent chain, merges, a detached HEAD, kam.yaml in a
sub-folder, paths with spaces and Chinese characters. Real git repositories in tmp_path,
the real CLI."""

from __future__ import annotations

import gitrepo
from conftest import write_account
from test_history import PEOPLE, _history_chart, held_spacer, people_file
from test_plan_map_portfolio import mermaid_parse


def commit(repo, message, date):
    gitrepo.commit(repo, message, date)


def test_chart_follows_the_history_when_commit_dates_go_back(kam, tmp_path):
    """A commit dated before its parent (GIT_COMMITTER_DATE by hand, a clock set wrong):
    the chart sorted the revisions by date, so the parent's score was drawn after the
    commit that replaced it (82, 63, then 81 again) and the line did not end at the
    account's state at HEAD. A revision is drawn from the latest date of it and the
    revisions before it (the rule by which a date names a revision: the commit before
    the oldest one made on or after that day): the line goes through the history in its
    order, and no change is drawn before a commit under it was made."""
    r = gitrepo.new_repo(tmp_path / "skew")
    days = ["2026-01-05", "2026-03-01", "2026-02-01", "2026-04-01"]
    for n, (day, attitude) in enumerate(zip(days, [1, 2, -1, 3], strict=True)):
        write_account(
            r,
            "skew",
            {"stakeholders.yaml": PEOPLE.replace("attitude: 1\n", f"attitude: {attitude}\n")},
        )
        commit(r, f"revision {n}", day)
    history = kam(r, "history", "--format", "json", "--today", "2026-04-02").json()
    revisions = history["accounts"][0]["revisions"]
    assert [rev["date"] for rev in revisions] == days  # the table keeps the commits' dates
    by_revision = [rev["grade"]["score"] for rev in revisions]
    assert len(set(by_revision)) == 4
    _md, block, axis, scores = _history_chart(kam, r, "2026-04-02")
    # week by week from 5 January: revision 2 (dated 1 February) was made after revision
    # 1 of 1 March, which it replaced the same day: from the week of 2 March the line
    # shows revision 2 until April
    assert axis.startswith('    x-axis "2026" ["01-05", "01-12", ')
    assert scores == [by_revision[0]] * 8 + [by_revision[2]] * 5 + [by_revision[3]]
    assert by_revision[1] not in scores
    # a commit dated in the future (a clock a year ahead), then an ordinary one: both are
    # drawn on the day the history is read, never months past it
    write_account(
        r, "skew", {"stakeholders.yaml": PEOPLE.replace("attitude: 1\n", "attitude: -2\n")}
    )
    commit(r, "dated next year", "2027-01-01")
    write_account(r, "skew", {"stakeholders.yaml": PEOPLE})
    commit(r, "back to now", "2026-04-10")
    history = kam(r, "history", "--format", "json", "--today", "2026-04-12").json()
    head = history["accounts"][0]["revisions"][-1]["grade"]["score"]
    _md, block2, axis2, scores2 = _history_chart(kam, r, "2026-04-12")
    assert scores2[-1] == head and axis2.endswith('"04-06", "04-12", " "]')
    assert "2027" not in axis2
    out = mermaid_parse(tmp_path, {"skew.mmd": block, "future.mmd": block2})
    assert out.returncode == 0 and out.stdout.count("ok ") == 2, out.stdout + out.stderr


def _worktree_grade(kam, repo, tmp_path, commit_id, today):
    """`kam grade --format json --today` on that commit's tree: account id -> its row."""
    where = tmp_path / f"wt-{commit_id[:12]}"
    if not where.exists():
        gitrepo.git(repo, "worktree", "add", "-q", "--detach", str(where), commit_id)
    r = kam(where, "grade", "--format", "json", "--today", today)
    return {a["id"]: a for a in r.json()["accounts"]}


def _assert_equals_grade(kam, repo, tmp_path, doc):
    """Every graded revision of a history equals kam grade at its commit, as of its date."""
    checked = 0
    for acct in doc["accounts"]:
        for rev in acct["revisions"]:
            if rev["grade"] is None:
                continue
            grades = _worktree_grade(kam, repo, tmp_path, rev["commit"], rev["today"])
            assert rev["grade"] == grades[acct["id"]], (acct["id"], rev["subject"])
            checked += 1
    return checked


def test_since_a_revision_off_the_first_parent_history(kam, tmp_path):
    """--since a commit of a branch merged since: the rows mixed that commit's tree with
    the main line's changes (b shown as the side branch had it at main commits that never
    had it, and "unchanged" at the merge that changed it). Then it started where that
    branch left the main line, while its note said it started "where side left it" and
    kam diff side and kam portfolio --since side measured from side's own files. The
    history now starts from side's own files too, its rows are the main line's commits
    from the merge that brought side in (the first counted from side's files), stderr
    says so, and each row equals kam grade there. An --until older than --since is an
    error, not --since's state under --until's name."""
    r = gitrepo.new_repo(tmp_path / "merged")
    write_account(r, "a", {"stakeholders.yaml": PEOPLE})
    write_account(r, "b", {"stakeholders.yaml": PEOPLE})
    commit(r, "start", "2026-01-05")
    start = gitrepo.git(r, "rev-parse", "HEAD").strip()
    gitrepo.git(r, "checkout", "-qb", "side")
    people_file(r, "b").write_text(PEOPLE.replace("attitude: 1\n", "attitude: 3\n"))
    commit(r, "side: b won over", "2026-01-10")
    side = gitrepo.git(r, "rev-parse", "HEAD").strip()
    gitrepo.git(r, "checkout", "-q", "main")
    people_file(r, "a").write_text(PEOPLE.replace("attitude: 1\n", "attitude: -1\n"))
    commit(r, "main: a lost", "2026-01-12")
    gitrepo.git(r, "merge", "-q", "--no-ff", "side", "-m", "merge side", date="2026-01-20")
    merge = gitrepo.git(r, "rev-parse", "HEAD").strip()
    people_file(r, "a").write_text(PEOPLE.replace("attitude: 1\n", "attitude: 2\n"))
    commit(r, "main: a won back", "2026-01-25")
    for fmt in ("table", "json", "markdown"):
        out = kam(r, "history", "--since", side[:9], "--format", fmt, "--today", "2026-02-01")
        assert out.exit_code == 0, out.stderr
        assert (
            f"{side[:9]} is not on the first-parent history of HEAD: the history starts from "
            f"{side[:9]}'s own files, and its rows are the commits of that history from "
            f"{merge[:7]}, which merged it" in out.stderr
        ), out.stderr
    doc = kam(r, "history", "--since", "side", "--format", "json", "--today", "2026-02-01").json()
    revisions = {a["id"]: a["revisions"] for a in doc["accounts"]}
    # b as side had it (won over), and the merge changed nothing of it since
    assert [rev["subject"] for rev in revisions["b"]] == ["(start)"]
    assert revisions["b"][0]["commit"] == side
    # a: side's a (before main lost it), then the merge (which brought main's a), then main
    assert [rev["subject"] for rev in revisions["a"]] == [
        "(start)",
        "merge side",
        "main: a won back",
    ]
    assert "attitude +1 → -1" in revisions["a"][1]["change"]
    # the same ends as kam diff and kam portfolio --since measure between
    diff = kam(r, "diff", "side", "HEAD", "--format", "json", "--today", "2026-02-01").json()
    assert [d["id"] for d in diff["accounts"]] == ["a"]
    since = kam(r, "portfolio", "--since", "side", "--format", "json", "--today", "2026-02-01")
    (moved,) = since.json()["since"]["score_changes"]
    assert moved["id"] == "a" and moved["from"] == revisions["a"][0]["grade"]["score"]
    assert since.json()["since"]["commit"] == side == revisions["a"][0]["commit"]
    assert _assert_equals_grade(kam, r, tmp_path, doc) == 4
    # a branch never merged: from its own files, then the main line after it left
    gitrepo.git(r, "checkout", "-q", "-b", "lone", side)
    people_file(r, "b").write_text(PEOPLE.replace("attitude: 1\n", "attitude: -2\n"))
    commit(r, "lone: b lost", "2026-01-22")
    lone = gitrepo.git(r, "rev-parse", "HEAD").strip()
    gitrepo.git(r, "checkout", "-q", "main")
    out = kam(r, "history", "b", "--since", "lone", "--format", "json", "--today", "2026-02-01")
    assert out.exit_code == 0, out.stderr
    assert (
        f"lone is not on the first-parent history of HEAD and was not merged into it: the "
        f"history starts from lone's own files, and its rows are the commits of that history "
        f"after {start[:7]}, where lone left it"
    ) in out.stderr, out.stderr
    b = out.json()["accounts"][0]["revisions"]
    # the main line's states of b after it, the first counted from lone's own b (-2)
    assert [rev["subject"] for rev in b] == ["(start)", "main: a lost", "merge side"], b
    assert b[0]["commit"] == lone
    assert "attitude -2 → +1" in b[1]["change"] and "attitude +1 → +3" in b[2]["change"]
    diff = kam(r, "diff", "lone", "HEAD", "--format", "json", "--today", "2026-02-01").json()
    (changed,) = [d for d in diff["accounts"] if d["id"] == "b"]
    assert b[-1]["grade"]["score"] == changed["after"]["score"]
    assert b[0]["grade"]["score"] == changed["before"]["score"]
    # --until older than --since
    out = kam(r, "history", "a", "--since", "HEAD", "--until", "HEAD~2")
    assert out.exit_code == 2 and out.stdout == ""
    assert "--since HEAD comes after --until HEAD~2" in out.stderr
    assert "Traceback" not in out.stderr
    # a revision of an unrelated history
    gitrepo.git(r, "checkout", "-q", "--orphan", "other")
    commit(r, "unrelated", "2026-01-26")
    out = kam(r, "history", "--since", "main")
    assert out.exit_code == 2 and "no common commit (unrelated histories)" in out.stderr


def test_no_account_in_the_history_is_said_not_an_empty_table(kam, tmp_path):
    """Accounts written but never committed, or a run where kam finds no accounts folder
    (a monorepo's sub-folder without kam.yaml above it): kam history printed nothing (or
    an empty JSON list) and exited 0, where kam grade and kam diff say why."""
    r = gitrepo.new_repo(tmp_path / "fresh")
    (r / "README.md").write_text("sales\n")
    commit(r, "readme", "2026-01-05")
    write_account(r, "acme")  # not committed
    for fmt in ("table", "json", "markdown"):
        out = kam(r, "history", "--format", fmt)
        assert out.exit_code == 1 and out.stdout == "", out.stdout
        assert "no account in the history of accounts up to HEAD" in out.stderr
        assert "commit them first" in out.stderr
    # a monorepo: the accounts under sales/kam, run from the team's folder above it
    m = gitrepo.new_repo(tmp_path / "mono")
    (m / "sales/kam").mkdir(parents=True)
    (m / "sales/kam/kam.yaml").write_text("language: en\n")
    write_account(m / "sales/kam", "acme")
    commit(m, "accounts", "2026-01-05")
    for fmt in ("table", "json", "markdown"):
        out = kam(m / "sales", "history", "--format", fmt)
        grade = kam(m / "sales", "grade", "--format", fmt)
        assert out.exit_code == grade.exit_code == 2 and out.stdout == ""
        assert out.stderr == grade.stderr and "no accounts folder at ../accounts" in out.stderr
    out = kam(r, "history", "--lang", "zh-CN")
    assert out.exit_code == 1 and "kam history" in out.stderr and "no account" not in out.stderr


def test_diff_from_a_date_the_shallow_clone_cut_off(kam, tmp_path):
    """kam diff DATE in a shallow clone (CI's default checkout), the date before the
    commits fetched: it compared with the empty tree, "before the first commit", and
    listed every account as added. The commits are there, only not fetched: say so."""
    r = gitrepo.new_repo(tmp_path / "full")
    write_account(r, "acme", {"stakeholders.yaml": PEOPLE})
    commit(r, "start", "2026-01-05")
    people_file(r, "acme").write_text(PEOPLE.replace("attitude: 1\n", "attitude: 2\n"))
    commit(r, "better", "2026-02-05")
    shallow = tmp_path / "shallow"
    gitrepo.git(tmp_path, "clone", "-q", "--depth", "1", f"file://{r}", str(shallow))
    for args in (["2026-01-10"], ["2026-01-10..HEAD"], ["2026-01-10", "HEAD"]):
        out = kam(shallow, "diff", *args)
        assert out.exit_code == 2 and out.stdout == "", out.stdout
        assert out.stderr.startswith(
            "kam: error: no commit before 2026-01-10 in this shallow clone (what it has "
            "starts on 2026-02-05): run `git fetch --unshallow`"
        )
        assert len(out.stderr.splitlines()) == 1
    # a date the clone does reach still works, and the full clone reads the first date
    assert kam(shallow, "diff", "2026-02-06", "--format", "json").exit_code == 0
    full = kam(r, "diff", "2026-01-10", "HEAD", "--format", "json")
    assert full.exit_code == 0 and "before the first commit" not in full.stdout


def test_chart_since_a_date_starts_on_that_date(kam, tmp_path):
    """--since 2026-06-01 where the last commit before it is two years older: the chart
    started at that commit's date, in two-month steps, and June's three changes were one
    step at its right edge. It starts on the day --since names."""
    r = gitrepo.new_repo(tmp_path / "old")
    write_account(r, "acme", {"stakeholders.yaml": PEOPLE})
    commit(r, "start", "2024-03-01")
    days = ["2026-06-03", "2026-06-10", "2026-06-20"]
    for day, attitude in zip(days, [2, -1, 3], strict=True):
        people_file(r, "acme").write_text(
            PEOPLE.replace("attitude: 1\n", f"attitude: {attitude}\n")
        )
        commit(r, f"attitude {attitude}", day)
    args = ["--since", "2026-06-01", "--today", "2026-06-21"]
    doc = kam(r, "history", "--format", "json", *args).json()
    scores = [rev["grade"]["score"] for rev in doc["accounts"][0]["revisions"]]
    assert doc["accounts"][0]["revisions"][0]["date"] == "2024-03-01"  # the start row
    md = kam(r, "history", "--format", "markdown", *args).stdout
    (block,) = [b.split("```")[0] for b in md.split("```mermaid\n")[1:]]
    axis = next(x for x in block.splitlines() if x.startswith("    x-axis "))
    line = next(x for x in block.splitlines() if x.startswith("    line ["))
    labels = [f"06-{d:02d}" for d in range(1, 21)]
    assert axis == '    x-axis "2026" [' + ", ".join(f'"{x}"' for x in [*labels, " "]) + "]"
    drawn = [int(v) for v in line.removeprefix("    line [").removesuffix("]").split(", ")]
    drawn = held_spacer(axis, drawn)
    assert drawn == [scores[0]] * 2 + [scores[1]] * 7 + [scores[2]] * 10 + [scores[3]]
    # --since a revision: from that commit's date, as before
    md = kam(
        r, "history", "--format", "markdown", "--since", "HEAD~3", "--today", "2026-06-21"
    ).stdout
    assert '"2024-03", ' in md
    out = mermaid_parse(tmp_path, {"since.mmd": block})
    assert out.returncode == 0 and out.stdout.count("ok ") == 1, out.stdout + out.stderr
