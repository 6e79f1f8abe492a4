"""Trial of a Chinese key account team living a year with kam: everything that depends on
the date (thresholds reached on the day, the leap day, month and year ends, the planning
deadline, `--today` and KAM_TODAY, git history whose committer dates are out of order or
in another time zone), through the real CLI on real files and real git repositories."""

from __future__ import annotations

import pytest

import gitrepo
from conftest import write_account

ZHAO = """\
stakeholders:
  - id: zhao-lei
    name: 赵磊
    roles: [D]
    attitude: 0
    owner: wang.fang
    backup: li.ming
    last_contact: 2027-10-01
"""

BANK = """\
id: jinhai-bank
name: 金海银行
owner: wang.fang
reviewed: 2027-06-30
position: 2
value: 2
"""


def _git_commit(repo, message: str, when: str) -> None:
    import os
    import subprocess

    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    env = dict(os.environ, GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=li.ming",
            "-c",
            "user.email=li.ming@example.cn",
            "commit",
            "-qm",
            message,
        ],
        cwd=repo,
        check=True,
        env=env,
    )


@pytest.fixture
def skewed(tmp_path):
    """A year of 金海银行 whose last commit claims a date before the three commits under
    it (committer dates out of order, as a rebase keeping the author dates leaves them):
    the attitude of 赵磊 goes 0 (January), +1 (1 March, 23:30 in Beijing), +2 (2 March,
    00:30 in Beijing: still 1 March in UTC), then -1 in a commit dated 15 February."""
    r = gitrepo.new_repo(tmp_path / "repo")
    write_account(r, "jinhai-bank", {"account.yaml": BANK, "stakeholders.yaml": ZHAO})
    _git_commit(r, "导入", "2027-01-02T10:00:00+08:00")
    people = r / "accounts/jinhai-bank/stakeholders.yaml"
    for attitude, when in (
        ("1", "2027-03-01T23:30:00+08:00"),
        ("2", "2027-03-02T00:30:00+08:00"),
        ("-1", "2027-02-15T10:00:00+08:00"),
    ):
        people.write_text(ZHAO.replace("attitude: 0", f"attitude: {attitude}"), encoding="utf-8")
        _git_commit(r, f"赵磊 {attitude}", when)
    return r


def _subjects(result) -> list[str]:
    return [rev["subject"] for rev in result.json()["accounts"][0]["revisions"]]


def test_since_a_date_lists_every_commit_made_from_that_day_even_out_of_order(kam, skewed):
    """`--since 2027-03-01` starts before the first commit made on 1 March: the three
    changes of March are listed, though the newest commit claims 15 February (it was the
    start before: "no change since" over a table that hid three attitude moves)."""
    r = kam(skewed, "history", "jinhai-bank", "--since", "2027-03-01", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert _subjects(r) == ["(start)", "赵磊 1", "赵磊 2", "赵磊 -1"]
    assert r.json()["accounts"][0]["revisions"][0]["date"] == "2027-01-02"


def test_since_a_day_in_the_committers_time_zone(kam, skewed):
    """A commit at 00:30 on 2 March in Beijing (16:30 on 1 March in UTC) is of 2 March,
    wherever kam runs: `--since 2027-03-02` starts at the commit of 1 March."""
    for zone in ("UTC", "America/New_York", "Asia/Shanghai"):
        r = kam(
            skewed,
            "history",
            "jinhai-bank",
            "--since",
            "2027-03-02",
            "--format",
            "json",
            env={"TZ": zone},
        )
        assert r.exit_code == 0, r.stderr
        assert _subjects(r) == ["(start)", "赵磊 2", "赵磊 -1"], zone
        assert r.json()["accounts"][0]["revisions"][0]["date"] == "2027-03-01", zone


def test_until_a_date_ends_before_the_first_commit_of_that_day(kam, skewed):
    r = kam(skewed, "history", "jinhai-bank", "--until", "2027-03-01", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert _subjects(r) == ["导入"]


def test_diff_and_portfolio_since_a_date_see_the_changes_of_the_quarter(kam, skewed):
    d = kam(skewed, "diff", "2027-03-01", "HEAD", "--format", "json")
    assert d.exit_code == 0, d.stderr
    assert d.json()["base"].startswith("2027-03-01")
    assert [a["id"] for a in d.json()["accounts"] if a.get("status") != "unchanged"] == [
        "jinhai-bank"
    ]
    p = kam(skewed, "portfolio", "--since", "2027-03-01", "--format", "json")
    assert p.exit_code == 0, p.stderr
    since = p.json()["since"]
    assert since["date"] == "2027-01-02"
    assert [c["id"] for c in since["score_changes"]] == ["jinhai-bank"]


def test_no_note_of_the_latest_commit_for_a_day_that_names_an_earlier_one(kam, skewed):
    """A day after today and after HEAD's own date, but before a commit under HEAD, names
    that commit's parent: no note that it "stands for the latest commit"."""
    r = kam(skewed, "history", "jinhai-bank", "--since", "2027-03-02", "--today", "2027-02-20")
    assert r.exit_code == 0, r.stderr
    assert "latest commit" not in r.stderr
    r = kam(skewed, "history", "jinhai-bank", "--since", "2027-03-03", "--today", "2027-02-20")
    assert "2027-03-03 is after today (2027-02-20): it stands for the latest commit" in r.stderr


def test_history_chart_draws_the_march_changes_in_march(kam, skewed):
    """The chart follows the same rule: the last commit, dated 15 February but made after
    the commits of 1 and 2 March, is drawn on 2 March; the line no longer ends on 15
    February with the March changes drawn away."""
    r = kam(skewed, "history", "jinhai-bank", "--format", "markdown", "--today", "2027-03-05")
    assert r.exit_code == 0, r.stderr
    chart = r.stdout.split("```mermaid\n")[1].split("```")[0]
    axis = next(line for line in chart.splitlines() if "x-axis" in line)
    line = next(line for line in chart.splitlines() if line.strip().startswith("line ["))
    assert axis.endswith('"02-27", "03-02", " "]'), axis
    scores = [int(x) for x in line.split("[")[1].rstrip("]").split(",")]
    head = kam(skewed, "grade", "jinhai-bank", "--format", "json", "--today", "2027-03-05")
    assert scores[-1] == head.json()["accounts"][0]["score"]
    assert scores[0] == scores[-2] != scores[-1]
