"""kam history, diff and portfolio --since on repositories unlike kam's own: committer
dates out of order along the first-parent chain, merges, a detached HEAD, kam.yaml in a
sub-folder, paths with spaces and Chinese characters. Real git repositories in tmp_path,
the real CLI."""

from __future__ import annotations

import gitrepo
from conftest import write_account
from test_history import PEOPLE, _history_chart
from test_plan_map_portfolio import mermaid_parse


def commit(repo, message, date):
    gitrepo.commit(repo, message, date)


def test_chart_follows_the_history_when_commit_dates_go_back(kam, tmp_path):
    """A commit dated before its parent (GIT_COMMITTER_DATE by hand, a clock set wrong):
    the chart sorted the revisions by date, so the parent's score was drawn after the
    commit that replaced it (82, 63, then 81 again) and the line did not end at the
    account's state at HEAD. A revision is drawn from the earliest date of it and the
    revisions after it: the line goes through the history in its order."""
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
    # week by week from 5 January: revision 1 (1 March) was replaced on 1 February by
    # revision 2, so from the week of 2 February the line shows revision 2 until April
    assert axis.startswith('    x-axis "2026" ["01-05", "01-12", ')
    assert scores == [by_revision[0]] * 4 + [by_revision[2]] * 9 + [by_revision[3]]
    assert by_revision[1] not in scores
    # a commit dated in the future, then ordinary ones: it stood until its child
    write_account(
        r, "skew", {"stakeholders.yaml": PEOPLE.replace("attitude: 1\n", "attitude: -2\n")}
    )
    commit(r, "dated next year", "2027-01-01")
    write_account(r, "skew", {"stakeholders.yaml": PEOPLE})
    commit(r, "back to now", "2026-04-10")
    history = kam(r, "history", "--format", "json", "--today", "2026-04-12").json()
    head = history["accounts"][0]["revisions"][-1]["grade"]["score"]
    _md, block2, axis2, scores2 = _history_chart(kam, r, "2026-04-12")
    assert scores2[-1] == head and axis2.endswith('"04-10", " "]')
    assert "2027" not in axis2
    out = mermaid_parse(tmp_path, {"skew.mmd": block, "future.mmd": block2})
    assert out.returncode == 0 and out.stdout.count("ok ") == 2, out.stdout + out.stderr
