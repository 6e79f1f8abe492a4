"""Trial of a Chinese key account team living a year with kam: everything that depends on
the date (thresholds reached on the day, the leap day, month and year ends, the planning
deadline, `--today` and KAM_TODAY, git history whose committer dates are out of order or
in another time zone), through the real CLI on real files and real git repositories."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import zoneinfo

import pytest

import gitrepo
from conftest import write_account
from test_history import held_spacer

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
    scores = held_spacer(axis, [int(x) for x in line.split("[")[1].rstrip("]").split(",")])
    head = kam(skewed, "grade", "jinhai-bank", "--format", "json", "--today", "2027-03-05")
    assert scores[-1] == head.json()["accounts"][0]["score"]
    assert scores[0] == scores[-2] != scores[-1]


def test_agenda_a_last_contact_dated_after_today_is_a_date_to_correct(kam, tmp_path):
    """A last_contact one day ahead (typed a day wrong) is KAM206 and not fresh in the
    score; the agenda counted from it: "-1 days since the last contact, due in 91 days"
    (中文 "距最近一次接触已 -1 天"). It asks, today, for the date to be corrected."""
    write_account(
        tmp_path,
        "jinhai-bank",
        {"account.yaml": BANK, "stakeholders.yaml": ZHAO.replace("2027-10-01", "2027-10-02")},
    )
    r = kam(tmp_path, "agenda", "--format", "json", "--today", "2027-10-01")
    assert r.exit_code == 0, r.stderr
    (item,) = [i for i in r.json()["items"] if i["category"] == "contact"]
    assert item["due"] == "2027-10-01" and item["days_overdue"] == 0
    assert "2027-10-02" in item["why"] and "-1 day" not in item["why"]
    assert item["command"] == "correct last_contact at accounts/jinhai-bank/stakeholders.yaml:8"
    zh = kam(tmp_path, "agenda", "--today", "2027-10-01", "--lang", "zh-CN")
    assert "-1 天" not in zh.stdout and "更正" in zh.stdout, zh.stdout
    # the score agrees: the contact is not fresh, and check says why
    check = kam(tmp_path, "check", "--format", "json", "--today", "2027-10-01")
    assert [f["code"] for f in check.json()["findings"] if f["code"].startswith("KAM20")] == [
        "KAM206"
    ]
    # with KAM206 off, no step: nothing to count from
    (tmp_path / "kam.yaml").write_text("rules: {KAM206: off}\n", encoding="utf-8")
    r = kam(tmp_path, "agenda", "--format", "json", "--today", "2027-10-01")
    assert [i for i in r.json()["items"] if i["category"] == "contact"] == []


NEW_BOSS = ZHAO.replace("last_contact: 2027-10-01", "in_post_since: 2027-10-01")


@pytest.mark.parametrize(
    ("today", "kam111", "kam114", "agenda"),
    [
        ("2027-12-29", True, True, True),  # 89 days in post
        ("2027-12-30", True, False, True),  # 90: SPEC KAM111 "within", KAM114 "under"
        ("2027-12-31", False, False, False),  # 91
    ],
)
def test_new_in_post_on_days_89_90_91(kam, tmp_path, today, kam111, kam114, agenda):
    """The day-90 boundary as SPEC words it and the README says; kam.yaml's schema
    described `new_in_post_days` as "fewer days than this", the opposite of KAM111."""
    write_account(
        tmp_path,
        "jinhai-bank",
        {"account.yaml": BANK + "stage: stabilize\n", "stakeholders.yaml": NEW_BOSS},
    )
    check = kam(tmp_path, "check", "--format", "json", "--today", today)
    codes = {f["code"] for f in check.json()["findings"]}
    assert ("KAM111" in codes, "KAM114" in codes) == (kam111, kam114)
    items = kam(tmp_path, "agenda", "--format", "json", "--today", today).json()["items"]
    assert any("new-in-post" in i["categories"] for i in items) == agenda
    kam(tmp_path, "schema", "-o", "schemas")
    described = (tmp_path / "schemas/kam.schema.json").read_text(encoding="utf-8")
    assert "in post for this many days or fewer is new in post" in described


@pytest.mark.parametrize(
    ("today", "year"),
    [
        ("2027-09-30", "2027"),  # still this year's: the one KAM306 has asked for since April
        ("2027-10-01", "2028"),  # drafted in the fourth quarter, issued at year end
        ("2027-12-31", "2028"),
        ("2028-01-01", "2028"),  # was 2029: in the middle of the 2028 planning
        ("2028-03-31", "2028"),  # the deadline
        ("2028-04-01", "2028"),  # the 2028 plan is late now (KAM306), still the one to write
    ],
)
def test_plan_without_targets_is_titled_with_the_year_being_planned(kam, tmp_path, today, year):
    write_account(
        tmp_path,
        "zhongshan-med",
        {"account.yaml": BANK.replace("jinhai-bank", "zhongshan-med").replace("2\n", "4\n")},
    )
    plan = kam(tmp_path, "plan", "zhongshan-med", "--today", today)
    assert plan.exit_code == 0, plan.stderr
    assert plan.stdout.splitlines()[0] == f"# Account plan {year}: 金海银行"
    zh = kam(tmp_path, "plan", "zhongshan-med", "--today", today, "--lang", "zh-CN")
    assert zh.stdout.splitlines()[0] == f"# {year} 年客户规划：金海银行"
    # kam init writes the same year as the new account's period
    made = kam(tmp_path, "init", "new-customer", "--today", today)
    assert made.exit_code == 0, made.stderr
    targets = (tmp_path / "accounts/new-customer/targets.yaml").read_text(encoding="utf-8")
    assert f"\nperiod: {year}\n" in targets
    if today == "2028-04-01":
        check = kam(tmp_path, "check", "zhongshan-med", "--today", today, "--format", "json")
        assert any(
            f["code"] == "KAM306" and "the 2028 plan was due by 2028-03-31" in f["message"]
            for f in check.json()["findings"]
        )


STRATEGIC = BANK.replace("jinhai-bank", "zhongshan-med").replace("2\n", "4\n")


@pytest.mark.parametrize(
    ("today", "days", "due", "overdue"),
    [
        ("2028-03-23", "7", None, None),  # the deadline is 8 days ahead: not this week
        ("2028-03-24", "7", "2028-03-31", -7),
        ("2028-03-31", "7", "2028-03-31", 0),  # the deadline itself: due today
        ("2028-04-01", "7", "2028-03-31", 1),  # KAM306 from today, and the agenda agrees
        ("2027-12-20", "120", "2028-03-31", -102),  # December: next year's set, not 2027's
    ],
)
def test_agenda_reminds_of_the_annual_plan(kam, tmp_path, today, days, due, overdue):
    """The planning deadline was on no agenda: a strategic account without a plan heard
    of it only from KAM306, the day after the deadline."""
    write_account(tmp_path, "zhongshan-med", {"account.yaml": STRATEGIC})
    r = kam(tmp_path, "agenda", "--format", "json", "--today", today, "--days", days)
    assert r.exit_code == 0, r.stderr
    plans = [i for i in r.json()["items"] if i["category"] == "plan"]
    if due is None:
        assert plans == []
        return
    (item,) = plans
    year = due[:4]
    assert (item["due"], item["days_overdue"], item["owner"]) == (due, overdue, "wang.fang")
    assert item["title"] == f"Issue the {year} plan"
    assert f"due by {due} (planning.deadline); no targets.yaml yet" in item["why"]
    assert item["command"] == (
        f"write the {year} targets, goals and actions in accounts/zhongshan-med/targets.yaml"
    )
    ics = kam(tmp_path, "agenda", "--format", "ics", "--today", today, "--days", days)
    assert "CATEGORIES:annual plan" in ics.stdout.replace("\r\n ", "")
    zh = kam(tmp_path, "agenda", "--today", today, "--days", days, "--lang", "zh-CN")
    assert f"发布 {year} 年规划" in zh.stdout


def test_agenda_plan_step_ends_with_the_plan_and_follows_kam306(kam, tmp_path):
    write_account(tmp_path, "zhongshan-med", {"account.yaml": STRATEGIC})
    folder = tmp_path / "accounts/zhongshan-med"
    # a period alone plans nothing (KAM306): still due
    (folder / "targets.yaml").write_text("period: 2028\n", encoding="utf-8")
    r = kam(tmp_path, "agenda", "--format", "json", "--today", "2028-03-30")
    (item,) = [i for i in r.json()["items"] if i["category"] == "plan"]
    assert item["why"].endswith("targets.yaml is for 2028")
    # written: gone the same day
    (folder / "targets.yaml").write_text(
        "period: 2028\nactions:\n  - {id: a1, text: 拜访, owner: wang.fang, due: 2028-06-30,"
        " status: planned}\n",
        encoding="utf-8",
    )
    r = kam(tmp_path, "agenda", "--format", "json", "--today", "2028-03-30")
    assert [i for i in r.json()["items"] if i["category"] == "plan"] == []
    # a B-tier account has no annual plan to issue
    write_account(tmp_path, "jinhai-bank", {"account.yaml": BANK})
    r = kam(tmp_path, "agenda", "jinhai-bank", "--format", "json", "--today", "2028-04-01")
    assert [i for i in r.json()["items"] if i["category"] == "plan"] == []
    # KAM306 off: no step, and the agenda says the rule is off
    (folder / "targets.yaml").unlink()
    (tmp_path / "kam.yaml").write_text("rules: {KAM306: off}\n", encoding="utf-8")
    r = kam(tmp_path, "agenda", "--format", "json", "--today", "2028-04-01")
    assert [i for i in r.json()["items"] if i["category"] == "plan"] == []
    assert "KAM306" in r.json()["off"]


def test_the_clocks_today_is_in_the_time_zone_tz_names(tmp_path):
    """Without --today or KAM_TODAY, today is the clock's date where TZ says (README, Use
    in CI: a runner keeps UTC; `TZ: Asia/Shanghai` makes it the team's day). Two zones 26
    hours apart are on two different dates at any moment."""
    write_account(tmp_path, "jinhai-bank", {"account.yaml": BANK, "stakeholders.yaml": ZHAO})
    seen = {}
    for zone in ("Etc/GMT-14", "Etc/GMT+12"):  # UTC+14 and UTC-12 (POSIX signs)
        env = {k: v for k, v in os.environ.items() if k != "KAM_TODAY"}
        env["TZ"] = zone
        before = dt.datetime.now(zoneinfo.ZoneInfo(zone)).date()
        r = subprocess.run(
            [sys.executable, "-m", "kamtool", "check", "--format", "json"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        after = dt.datetime.now(zoneinfo.ZoneInfo(zone)).date()
        seen[zone] = dt.date.fromisoformat(json.loads(r.stdout)["today"])
        assert seen[zone] in (before, after), (zone, r.stderr)
    assert seen["Etc/GMT-14"] > seen["Etc/GMT+12"]


@pytest.mark.parametrize(
    "args",
    [
        ("history", "--since", "2026-02-30"),
        ("portfolio", "--since", "2026-02-30"),
        ("history", "--until", "2026-02-30"),
        ("diff", "2026-02-30"),
        ("diff", "2026-02-30..HEAD"),
    ],
)
def test_a_day_no_calendar_has_is_told_so(kam, skewed, args):
    """`--since 2026-02-30` was told "--since must be a date YYYY-MM-DD or a revision",
    the form it was written in; as --today, --date and --contact say it now."""
    r = kam(skewed, *args)
    assert r.exit_code == 2
    assert "'2026-02-30' is not a real calendar date" in r.stderr
    assert "must be a date YYYY-MM-DD" not in r.stderr and len(r.stderr.splitlines()) == 1
    zh = kam(skewed, *args, "--lang", "zh-CN")
    assert "“2026-02-30”不是" in zh.stderr and "日期" in zh.stderr


CLEAN_BANK = """\
stakeholders:
  - id: zhao-lei
    name: 赵磊
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: wang.fang
    backup: li.ming
    channels: [微信, 季度拜访]
    last_contact: 2027-10-01
"""


@pytest.mark.parametrize(
    ("today", "stale_rc", "warn_rc", "zh"),
    [
        ("2027-12-29", 0, 0, None),  # 89 days
        ("2027-12-30", 0, 0, None),  # 90: still within warn_after (<=)
        ("2027-12-31", 0, 1, "最近一次接触是 91 天前，超过 90 天的期限"),
        ("2028-03-29", 0, 1, "最近一次接触是 180 天前，超过 90 天的期限"),  # 180: a warning
        ("2028-03-30", 1, 1, "最近一次接触是 181 天前，超过 180 天的期限"),  # the gate trips
    ],
)
def test_the_ci_gate_trips_on_the_day(kam, tmp_path, today, stale_rc, warn_rc, zh):
    """A B-tier account (other tiers: warn after 90 days, error after 180) contacted on
    2027-10-01, across the year end and the leap day: `kam stale` (fail on error) and
    `kam check --fail-on warning` exit 1 from exactly the right day, KAM_TODAY and
    --today alike, the Chinese message counting the same days."""
    write_account(tmp_path, "jinhai-bank", {"account.yaml": BANK, "stakeholders.yaml": CLEAN_BANK})
    assert kam(tmp_path, "stale", "--today", today).exit_code == stale_rc
    assert kam(tmp_path, "stale", env={"KAM_TODAY": today}).exit_code == stale_rc
    check = kam(tmp_path, "check", "--fail-on", "warning", "--today", today, "--lang", "zh-CN")
    assert check.exit_code == warn_rc, check.stdout
    if zh:
        assert zh in check.stdout
    # --today wins over KAM_TODAY
    both = kam(tmp_path, "stale", "--today", today, env={"KAM_TODAY": "2030-01-01"})
    assert both.exit_code == stale_rc


@pytest.mark.parametrize(
    ("today", "severity"),
    [
        ("2028-03-30", None),
        ("2028-03-31", "warning"),
        ("2028-04-29", "warning"),
        ("2028-04-30", "error"),
    ],
)
def test_a_contact_on_the_leap_day(kam, tmp_path, today, severity):
    """A strategic account (focus: warn after 30 days, error after 60) met on 2028-02-29:
    30 days later is 2028-03-30, 60 days 2028-04-29."""
    people = CLEAN_BANK.replace("2027-10-01", "2028-02-29")
    write_account(
        tmp_path, "zhongshan-med", {"account.yaml": STRATEGIC, "stakeholders.yaml": people}
    )
    r = kam(tmp_path, "stale", "--format", "json", "--today", today)
    found = [f["severity"] for f in r.json()["findings"] if f["code"] == "KAM201"]
    assert found == ([severity] if severity else [])


def test_agenda_plan_step_says_an_empty_file_of_the_year_plans_nothing(kam, tmp_path):
    """The step's reason ended "targets.yaml is for 2028" where the file of that very year
    held nothing (as kam init writes it): read as if the plan were there. It now says no
    target, goal or action is in it yet; a file of another year keeps its words."""
    write_account(tmp_path, "zhongshan-med", {"account.yaml": STRATEGIC})
    folder = tmp_path / "accounts/zhongshan-med"
    (folder / "targets.yaml").write_text("period: 2028\n", encoding="utf-8")
    r = kam(tmp_path, "agenda", "--format", "json", "--today", "2028-03-30")
    (item,) = [i for i in r.json()["items"] if i["category"] == "plan"]
    assert "no target, goal or action yet; targets.yaml is for 2028" in item["why"]
    zh = kam(tmp_path, "agenda", "--today", "2028-03-30", "--lang", "zh-CN")
    assert "尚未写入目标、关系目标或行动" in zh.stdout.replace("\n", "").replace(" ", "")
    (folder / "targets.yaml").write_text("period: 2027\n", encoding="utf-8")
    r = kam(tmp_path, "agenda", "--format", "json", "--today", "2028-03-30")
    (item,) = [i for i in r.json()["items"] if i["category"] == "plan"]
    assert item["why"].endswith("; targets.yaml is for 2027")
    assert "no target" not in item["why"]
