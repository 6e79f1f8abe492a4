"""A sales director's quarterly review (a new-user trial): a team's year of commits in a
real git repository made in tmp_path, read with kam diff, history and portfolio as the
README suggests. Each test is a defect the trial found."""

from __future__ import annotations

import pytest

import gitrepo
from conftest import dedent, write_account

TEAM = """\
stakeholders:
  - id: zhou.jianguo
    name: 周建国
    title: 董事长
    roles: [D]
    attitude: 1
    owner: li.ming
    backup: chen.hui
    last_contact: 2026-01-04
  - id: xie.na
    name: 谢娜
    title: 信息中心主任
    reports_to: zhou.jianguo
    roles: [E, C]
    attitude: 3
    intimacy: 2
    owner: li.ming
    last_contact: 2026-01-06
"""


def git(repo, *args, date=None):
    return gitrepo.git(repo, *args, date=date, zone="+08:00")


def commit(repo, message, date):
    gitrepo.commit(repo, message, date, zone="+08:00")


def people(repo):
    return repo / "accounts" / "pengcheng-power" / "stakeholders.yaml"


@pytest.fixture
def year(tmp_path):
    """Pengcheng over 2026: set up in January, the chairman cools in May, the champion
    leaves in August, a new person in October."""
    r = tmp_path / "sales"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    git(r, "config", "user.email", "li.ming@example.cn")
    git(r, "config", "user.name", "李明")
    write_account(r, "pengcheng-power", {"stakeholders.yaml": TEAM})
    commit(r, "鹏城电力 建档", "2026-01-06")
    people(r).write_text(dedent(TEAM).replace("attitude: 1", "attitude: -1"), encoding="utf-8")
    commit(r, "董事长态度转冷", "2026-05-12")
    text = people(r).read_text(encoding="utf-8")
    people(r).write_text(
        text.replace(
            "last_contact: 2026-01-06", "last_contact: 2026-07-02\n    left_on: 2026-07-31"
        ),
        encoding="utf-8",
    )
    commit(r, "谢娜调岗", "2026-08-03")
    with people(r).open("a", encoding="utf-8") as f:
        f.write("  - {id: han.bing, name: 韩冰, title: 信息中心主任, roles: [E], attitude: '?'}\n")
    commit(r, "韩冰接任", "2026-10-20")
    return r


def test_diff_takes_dates_for_a_quarter(kam, year):
    """`kam diff 2026-07-01 2026-10-01` compared nothing ("unknown revision '2026-07-01'",
    exit 2), though history and portfolio take dates: a director compares quarters, and
    had to dig the commits out with git rev-list. A date is the state at the start of
    that day, named with its commit in the heading."""
    r = kam(year, "diff", "2026-07-01", "2026-10-01")
    assert r.exit_code == 0, r.stderr
    q2 = git(year, "rev-list", "-1", "--before=2026-06-30T23:59:59+08:00", "HEAD").strip()
    q3 = git(year, "rev-list", "-1", "--before=2026-09-30T23:59:59+08:00", "HEAD").strip()
    assert r.stdout.startswith(f"kam diff 2026-07-01 ({q2[:7]}) → 2026-10-01 ({q3[:7]})")
    assert "谢娜 (信息中心主任)" in r.stdout and "left on 2026-07-31" in r.stdout
    assert "韩冰" not in r.stdout  # October's change is after the quarter
    assert "董事长" not in r.stdout  # May's change is before it
    # the same as the commits themselves
    by_rev = kam(year, "diff", q2, q3, "--format", "json").json()
    by_date = kam(year, "diff", "2026-07-01", "2026-10-01", "--format", "json").json()
    assert by_date["accounts"] == by_rev["accounts"]
    assert (by_date["base_commit"], by_date["head_commit"]) == (q2, q3)
    assert by_date["base"] == f"2026-07-01 ({q2[:7]})"
    assert kam(year, "diff", "--format", "json").json()["head_commit"] is None  # working tree
    # A..B and a date against the working tree
    assert kam(year, "diff", "2026-07-01..2026-10-01").stdout == r.stdout
    assert "韩冰" in kam(year, "diff", "2026-10-01").stdout
    # history --until takes a date the same way
    h = kam(year, "history", "pengcheng-power", "--until", "2026-07-01", "--format", "json")
    assert [row["date"] for row in h.json()["accounts"][0]["revisions"]] == [
        "2026-01-06",
        "2026-05-12",
    ]


def test_diff_date_errors_are_one_line(kam, year):
    before = kam(year, "diff", "HEAD", "2025-12-01")
    assert before.exit_code == 2
    assert "no commit before 2025-12-01: the history starts on 2026-01-06" in before.stderr
    until = kam(year, "history", "--until", "2025-12-01")
    assert until.exit_code == 2 and "no commit before 2025-12-01" in until.stderr
    bad = kam(year, "diff", "2026-02-30")
    assert bad.exit_code == 2
    # written YYYY-MM-DD, a day no calendar has: said so, as --today and --date say it
    assert "'2026-02-30' is not a real calendar date" in bad.stderr


def test_diff_heading_in_chinese_names_the_working_tree(kam, year):
    """The zh-CN heading read `→ working tree` (and `(merge base with HEAD)`) in English."""
    people(year).write_text(
        people(year).read_text(encoding="utf-8").replace("attitude: -1", "attitude: 0"),
        encoding="utf-8",
    )
    r = kam(year, "diff", "--format", "markdown", "--lang", "zh-CN")
    assert "working tree" not in r.stdout
    assert "→ `工作区`" in r.stdout.splitlines()[0]
    git(year, "checkout", "-qb", "feature")
    commit(year, "x", "2026-11-01")
    m = kam(year, "diff", "main...HEAD", "--lang", "zh-CN")
    assert "merge base" not in m.stdout and "与 HEAD 的合并基础" in m.stdout


def test_champion_leaving_is_worse(kam, year):
    """The coach (谢娜, attitude +3) leaving was listed as a plain `- left on 2026-07-31`,
    neither ▼ nor counted as worse, while only a decision maker's departure was: the one
    departure a director must see first passed `--fail-on-worse`."""
    r = kam(year, "diff", "2026-07-01", "2026-10-01")
    assert "  谢娜 (信息中心主任)\n    ▼ left on 2026-07-31: our coach (attitude +3)\n" in r.stdout
    assert "1 worse" in r.stdout.splitlines()[-1]
    assert kam(year, "diff", "2026-07-01", "2026-10-01", "--fail-on-worse").exit_code == 1
    j = kam(year, "diff", "2026-07-01", "2026-10-01", "--format", "json").json()
    (left,) = [c for c in j["accounts"][0]["changes"] if c["kind"] == "person-left"]
    assert (left["person"], left["direction"]) == ("xie.na", -1)
    zh = kam(year, "diff", "2026-07-01", "2026-10-01", "--lang", "zh-CN")
    assert "▼ 2026-07-31 离开：我们的教练（支持度 +3）" in zh.stdout


def test_supporter_removed_is_worse_and_opponent_leaving_is_not(kam, tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "a@example.com")
    git(tmp_path, "config", "user.name", "a")
    crew = dedent(
        """
        stakeholders:
          - {id: klaus, name: Klaus Weber, roles: [D], attitude: 1, owner: anna.berg}
          - {id: jana, name: Jana Kowalski, reports_to: klaus, roles: [E], attitude: 2}
          - {id: erik, name: Erik Moe, reports_to: klaus, roles: [E], attitude: -2}
          - {id: tom, name: Tom Baker, reports_to: klaus, roles: [I], attitude: 1}
        """
    )
    write_account(tmp_path, "nordlicht", {"stakeholders.yaml": crew})
    commit(tmp_path, "first", "2026-03-01")
    lines = crew.splitlines(keepends=True)
    kept = [ln for ln in lines if "id: jana" not in ln and "id: tom" not in ln]
    text = "".join(kept).replace("attitude: -2}", "attitude: -2, left_on: 2026-05-01}")
    (tmp_path / "accounts/nordlicht/stakeholders.yaml").write_text(text, encoding="utf-8")
    r = kam(tmp_path, "diff")
    assert "  Jana Kowalski\n    ▼ removed: a supporter (attitude +2)\n" in r.stdout
    assert "  Tom Baker\n    - removed\n" in r.stdout  # a mild supporter: listed, not ▼
    assert "  Erik Moe\n    - left on 2026-05-01\n" in r.stdout  # an opponent leaving


def test_lowered_goal_signs_intimacy_as_attitude(kam, year):
    """`goal for 邓海 lowered: attitude +2 → +1, intimacy 1 → 0`: the intimacy had no sign
    beside a signed attitude, as if a different scale."""
    targets = year / "accounts/pengcheng-power/targets.yaml"
    goal = "relationship_goals:\n  - {{stakeholder: zhou.jianguo, attitude: 2, {i}by: 2026-12-31, owner: li.ming}}\n"
    targets.write_text(goal.format(i="intimacy: 1, "), encoding="utf-8")
    commit(year, "goal", "2026-11-02")
    targets.write_text(goal.format(i="intimacy: 0, ").replace("attitude: 2", "attitude: 1"))
    r = kam(year, "diff")
    assert "▼ goal for 周建国 lowered: attitude +2 → +1, intimacy +1 → 0 by 2026-12-31" in r.stdout
    targets.write_text(goal.format(i="").replace("attitude: 2", "attitude: 1"))
    r = kam(year, "diff")
    assert "▼ goal for 周建国 lowered: attitude +2 → +1, intimacy +1 → - by 2026-12-31" in r.stdout


def test_person_history_marks_worse_and_names_the_person(kam, year):
    """A person's history showed `attitude +1 → -1` with no ▼ (kam diff marks it), joined
    clauses with an English '; ' in Chinese, and its Markdown never named the person."""
    r = kam(year, "history", "pengcheng-power", "zhou.jianguo", "--format", "json").json()
    changes = [rev["person_change"] for rev in r["accounts"][0]["revisions"]]
    assert changes[1] == "attitude +1 → -1 ▼"
    xie = kam(year, "history", "pengcheng-power", "谢娜", "--lang", "zh-CN", "--format", "json")
    left = xie.json()["accounts"][0]["revisions"][2]["person_change"]
    assert left == "2026-07-31 离开：我们的教练（支持度 +3） ▼；最近接触 2026-01-06 → 2026-07-02"
    md = kam(year, "history", "pengcheng-power", "xie.na", "--format", "markdown").stdout
    assert "\n## 谢娜 at Acme pengcheng-power (pengcheng-power)\n" in md
    zh = kam(year, "history", "pengcheng-power", "xie.na", "-f", "markdown", "--lang", "zh-CN")
    assert "（pengcheng-power）的谢娜\n" in zh.stdout


def test_portfolio_since_does_not_say_a_broken_account_entered_a_tier(kam, year):
    """Pengcheng was S all year, unreadable for a while (a log entry without `by`):
    `portfolio --since` said "S: 1 → 2 accounts ...; entered: 鹏城电力" as if it had been
    promoted. It is named as unreadable then; the counts also say "1 account", and the
    means have one decimal, as the portfolio's own table prints them. (The commits are
    dated after the year's: dated in June after the October commits, the start of 1 July
    was read as the broken June state only while a date named the newest commit dated
    before it.)"""
    write_account(year, "xinghe-auto")
    commit(year, "星河", "2026-10-22")
    log = year / "accounts/pengcheng-power/log.yaml"
    log.write_text(
        "entries:\n  - {date: 2026-06-10, with: [xie.na], kind: visit, summary: 拜访}\n",
        encoding="utf-8",
    )
    commit(year, "拜访记录（漏了 by）", "2026-10-25")
    log.write_text(
        "entries:\n  - {date: 2026-06-10, with: [xie.na], by: [li.ming], kind: visit}\n",
        encoding="utf-8",
    )
    commit(year, "补上 by", "2026-11-02")
    j = kam(year, "portfolio", "--since", "2026-10-28", "--format", "json").json()["since"]
    assert j["not_graded_then"] == ["pengcheng-power"]
    for tier in j["tiers"]:
        assert "pengcheng-power" not in tier["entered"] + tier["left"]
    (mine,) = [t for t in j["tiers"] if "pengcheng-power" in t["unread_then"]]
    text = kam(year, "portfolio", "--since", "2026-10-28").stdout
    tier = mine["tier"]
    assert (
        f"  {tier}: 1 → 2 accounts, mean score {mine['mean_score_then']:.1f} → "
        f"{mine['mean_score_now']:.1f}; could not be read then: Acme pengcheng-power "
        "(pengcheng-power)\n"
    ) in text
    assert "entered" not in text
    zh = kam(year, "portfolio", "--since", "2026-10-28", "--lang", "zh-CN").stdout
    assert f"  {tier}：1 → 2 个客户，平均评分" in zh and "；当时无法读取：" in zh


def test_portfolio_since_counts_one_account(kam, year):
    text = kam(year, "portfolio", "--since", "2026-07-01").stdout
    assert ": 1 → 1 account\n" in text and "1 → 1 accounts" not in text
    assert ", mean score " in text and "1 → 1 account, mean score" in text


def test_portfolio_says_when_no_value_curve_can_show_a_shortfall(kam, tmp_path):
    """ "Value-curve shortfalls: None." over ten accounts none of which records an actual
    revenue: the director read good news where there was no data."""
    write_account(tmp_path, "huaxin-bank")
    md = kam(tmp_path, "portfolio", "--format", "markdown").stdout
    section = md.split("## Value-curve shortfalls\n\n", 1)[1].split("\n", 1)[0]
    assert section.startswith("No account records an actual revenue in its value curve")
    assert "No account records an actual revenue" in kam(tmp_path, "portfolio").stdout
    assert kam(tmp_path, "portfolio", "--format", "json").json()["value_curve_accounts"] == 0
    profile = tmp_path / "accounts/huaxin-bank/account.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8")
        + "value_curve:\n  - {year: 2025, expected: 100, actual: 100}\n",
        encoding="utf-8",
    )
    md = kam(tmp_path, "portfolio", "--format", "markdown").stdout
    assert "## Value-curve shortfalls\n\nNone.\n" in md
    assert "No account records" not in kam(tmp_path, "portfolio").stdout
    zh = kam(tmp_path, "portfolio", "--lang", "zh-CN", "-f", "markdown")
    assert "## 价值回报缺口\n\n无。\n" in zh.stdout


def test_plan_marks_a_past_pbip_and_an_overdue_goal(kam, tmp_path):
    """The plan said "ready 46 days before PBIP" for an opportunity whose PBIP had passed a
    month before (the customer's budget decision was taken), and showed a relationship
    goal two quarters past its date like any other; actions past due said **overdue**."""
    write_account(
        tmp_path,
        "huaxin-bank",
        {
            "targets.yaml": """
            relationship_goals:
              - {stakeholder: boss, attitude: 3, by: 2026-06-30, owner: zhao.lei}
              - {stakeholder: boss, attitude: 3, by: 2027-06-30, owner: zhao.lei}
            opportunities:
              - {id: cloud-2, name: 私有云二期, pbip: 2026-10-31, ready: 2026-09-15}
              - {id: cloud-3, name: 私有云三期, pbip: 2027-03-31, ready: 2027-01-15}
            """
        },
    )
    r = kam(tmp_path, "plan", "huaxin-bank", "-o", "plan.md")
    assert r.exit_code == 0, r.stderr
    plan = (tmp_path / "plan.md").read_text(encoding="utf-8")
    assert (
        "| 私有云二期 |  | 2026-10-31 | 2026-09-15 | **PBIP passed 24 days ago: update or remove it** |"
        in plan
    )
    assert "| 私有云三期 |  | 2027-03-31 | 2027-01-15 | ready 75 days before PBIP |" in plan
    assert "| 2026-06-30 **overdue** | zhao.lei | no |" in plan
    assert "| 2027-06-30 | zhao.lei | no |" in plan
    kam(tmp_path, "plan", "huaxin-bank", "-o", "plan-zh.md", "--lang", "zh-CN")
    zh = (tmp_path / "plan-zh.md").read_text(encoding="utf-8")
    assert "**PBIP 已过去 24 天：请更新或删除该机会点**" in zh


def test_map_shows_the_effective_last_contact(kam, tmp_path):
    """`kam map ID --show contact` said "never contacted" for 韩冰, met on 2026-10-28 and
    logged with kam log, and an older date for 刘洋 than the plan's table beside it: the
    map read `last_contact` alone, not the log."""
    write_account(
        tmp_path,
        "pengcheng-power",
        {
            "stakeholders.yaml": """
            stakeholders:
              - {id: liu.yang, name: 刘洋, roles: [D], attitude: 2, last_contact: 2026-01-04}
              - {id: han.bing, name: 韩冰, reports_to: liu.yang, roles: [E], attitude: 0}
              - {id: gao.feng, name: 高峰, reports_to: liu.yang, roles: [E], attitude: -1}
            """,
            "log.yaml": """
            entries:
              - {date: 2026-03-12, with: [liu.yang], by: [li.ming], kind: meeting}
              - {date: 2026-10-28, with: [han.bing], by: [li.ming], kind: meeting}
              - {date: 2026-12-20, with: [gao.feng], by: [li.ming], kind: meeting}
            """,
        },
    )
    tree = kam(tmp_path, "map", "pengcheng-power", "--show", "contact").stdout
    assert "刘洋 [D] attitude +2 (last contact 2026-03-12)" in tree
    assert "韩冰 [E] attitude 0 (last contact 2026-10-28)" in tree
    # a log entry after today did not happen yet (KAM206), as everywhere else
    assert "高峰 [E] attitude -1 (never contacted)" in tree
    for fmt in ("mermaid", "dot"):
        drawn = kam(tmp_path, "map", "pengcheng-power", "--show", "contact", "-f", fmt).stdout
        assert "last contact 2026-10-28" in drawn and "2026-01-04" not in drawn


def test_overdue_goal_finding_names_the_person(kam, tmp_path):
    """KAM302 said "relationship goal for qian.bo (attitude +0)": the id alone, where every
    other finding about a person says "钱波 (qian.bo)", and a signed zero."""
    write_account(
        tmp_path,
        "huaxin-bank",
        {
            "stakeholders.yaml": """
            stakeholders:
              - {id: wu.min, name: 吴敏, roles: [D], attitude: -1, owner: zhao.lei}
            """,
            "targets.yaml": """
            relationship_goals:
              - {stakeholder: wu.min, attitude: 0, by: 2026-09-30, owner: zhao.lei}
            """,
        },
    )
    out = kam(tmp_path, "check", "--fail-on", "info").stdout
    assert "KAM302 relationship goal for 吴敏 (wu.min), attitude 0, was due 2026-09-30" in out
    zh = kam(tmp_path, "check", "--lang", "zh-CN").stdout
    assert "对吴敏（wu.min）的关系目标（支持度 0）应于 2026-09-30 达成" in zh


def test_diff_lists_new_findings_most_severe_first(kam, year):
    """A quarter's new findings came in file order: infos and warnings first, the errors
    (a decision maker not met for a year) at the bottom of the list, where a long
    pull-request comment is cut. They are sorted as kam check sorts them."""
    with people(year).open("a", encoding="utf-8") as f:
        f.write(
            "  - {id: song.gang, name: 宋刚, roles: [D], attitude: '?', last_contact: 2025-06-01}\n"
        )
    severities = {"error": 0, "warning": 1, "info": 2}
    text = kam(year, "diff").stdout
    found = [line.rsplit("(", 1)[1].rstrip(")") for line in text.splitlines() if "new  " in line]
    assert "error" in found and "info" in found, text
    assert found == sorted(found, key=severities.__getitem__)
    md = kam(year, "diff", "--format", "markdown").stdout
    marks = [
        line.split(" (")[-1].split(")")[0]
        for line in md.split("**New findings**", 1)[1].split("</details>", 1)[0].splitlines()
        if line.startswith("- `KAM")
    ]
    assert marks and marks == sorted(marks, key=severities.__getitem__), marks


def test_history_since_groups_the_accounts_nothing_changed(kam, year):
    """`kam history --since` over a portfolio printed a one-row table (and in Markdown a
    one-point chart) for every account no commit touched, burying the ones that moved;
    they are one table at the end, "No change since ..."."""
    write_account(year, "huaxin-bank")
    write_account(year, "xinghe-auto")
    commit(year, "两个客户", "2026-10-25")
    text = people(year).read_text(encoding="utf-8")
    people(year).write_text(text.replace("attitude: -1", "attitude: 0"), encoding="utf-8")
    commit(year, "董事长缓和", "2026-11-05")
    text = kam(year, "history", "--since", "2026-11-01").stdout
    changed, unchanged = text.split("No change since 2026-11-01", 1)
    assert "Acme pengcheng-power (pengcheng-power)" in changed
    assert "Acme huaxin-bank (huaxin-bank)" in unchanged
    assert "Acme xinghe-auto (xinghe-auto)" in unchanged
    assert "pengcheng-power" not in unchanged
    assert text.count("state at the start") == 1  # pengcheng's own first row only
    md = kam(year, "history", "--since", "2026-11-01", "--format", "markdown").stdout
    assert md.count("```mermaid") == 1
    tail = md.split("## No change since 2026-11-01\n\n", 1)[1]
    assert tail.startswith("| account | tier | score | letter |\n|---|---|---:|---|\n")
    assert "| Acme huaxin-bank (huaxin-bank) | " in tail
    # the json keeps every account's rows; without --since nothing is grouped
    js = kam(year, "history", "--since", "2026-11-01", "--format", "json").json()
    assert len(js["accounts"]) == 3
    assert "No change" not in kam(year, "history").stdout
    zh = kam(year, "history", "--since", "2026-11-01", "--lang", "zh-CN").stdout
    assert "自 2026-11-01 以来没有变化" in zh


def test_portfolio_since_markdown_note_is_a_sentence(kam, year):
    md = kam(year, "portfolio", "--since", "2026-07-01", "--format", "markdown").stdout
    assert "\nBoth sides graded as of 2026-11-24 (--today or KAM\\_TODAY)" in md
    assert "graded as of its commit's date.\n" in md


def test_diff_from_a_date_before_the_first_commit_adds_every_account(kam, year):
    """The first quarter began before the repository did (first commit 2026-01-06):
    `kam diff 2026-01-01 2026-04-01` said "no commit before"; it compares with nothing,
    every account is new, as `portfolio --since 2026-01-01` counts it gained."""
    r = kam(year, "diff", "2026-01-01", "2026-04-01")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("kam diff 2026-01-01 (before the first commit) → 2026-04-01 (")
    assert "Acme pengcheng-power (pengcheng-power): new account, score" in r.stdout
    assert "0 changed, 1 added, 0 removed, 0 unchanged" in r.stdout
    js = kam(year, "diff", "2026-01-01..2026-04-01", "--format", "json").json()
    assert js["base_commit"] is None and js["accounts"][0]["status"] == "added"
    zh = kam(year, "diff", "2026-01-01", "2026-04-01", "--lang", "zh-CN").stdout
    assert zh.startswith("kam diff 2026-01-01（第一个提交之前） → 2026-04-01（")


def test_portfolio_manual_tier_mark_has_no_space_before_a_full_width_bracket(kam, tmp_path):
    """`金陵钢铁集团 （手工定级 A）`: the space an English "(manual A)" needs stayed before
    the full-width bracket of the Chinese output."""
    folder = write_account(tmp_path, "jinling-steel")
    profile = folder / "account.yaml"
    text = profile.read_text(encoding="utf-8").replace(
        "name: Acme jinling-steel", "name: 金陵钢铁集团"
    )
    profile.write_text(text + "tier: S\ntier_reason: 集团战略客户\n", encoding="utf-8")
    zh = kam(tmp_path, "portfolio", "--lang", "zh-CN", "--format", "markdown").stdout
    assert "金陵钢铁集团（手工定级 S）" in zh
    assert "金陵钢铁集团 (manual S)" in kam(tmp_path, "portfolio", "--format", "markdown").stdout


def test_history_start_row_says_when_the_account_did_not_load(kam, year):
    """With --since, the first row of an account that did not load then said only "state
    at the start", its tier and score "-" without a reason."""
    log = year / "accounts/pengcheng-power/log.yaml"
    log.write_text("entries:\n  - {date: 2026-10-25, with: [xie.na], kind: visit}\n")
    commit(year, "漏了 by", "2026-10-25")
    log.write_text("entries:\n  - {date: 2026-10-25, with: [xie.na], by: [li.ming], kind: visit}\n")
    commit(year, "补上", "2026-11-10")
    js = kam(year, "history", "pengcheng-power", "--since", "2026-11-01", "-f", "json").json()
    first = js["accounts"][0]["revisions"][0]
    assert first["status"] == "start"
    assert first["change"].startswith("state at the start: the account did not load (1 error: ")
    assert "KAM002 missing required key 'by'" in first["change"]
    zh = kam(
        year, "history", "pengcheng-power", "--since", "2026-11-01", "-f", "json", "--lang", "zh-CN"
    )
    assert zh.json()["accounts"][0]["revisions"][0]["change"].startswith("起始状态：客户无法读取")


def test_diff_says_what_a_handover_left_with_the_old_owner(kam, tmp_path):
    """王芳 left the team: her account went to 陈辉 (owner of the account and of each
    person), and the diff listed the owner changes and nothing else, while the target,
    the relationship goal and her place in the account team stayed hers: items nobody
    will chase. The diff says so, once, in the commit of the handover."""
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "w@example.cn")
    git(tmp_path, "config", "user.name", "王芳")
    folder = write_account(
        tmp_path,
        "xinghe-auto",
        {
            "stakeholders.yaml": """
            stakeholders:
              - {id: huang.zhiqiang, name: 黄志强, roles: [D], attitude: 0, owner: wang.fang, backup: chen.hui}
            """,
            "targets.yaml": """
            targets:
              - {id: mes-upgrade, kind: share, text: MES, owner: wang.fang, due: 2027-06-30}
            relationship_goals:
              - {stakeholder: huang.zhiqiang, attitude: 1, by: 2027-06-30, owner: wang.fang}
            actions:
              - {id: dinner, text: 晚宴, owner: wang.fang, due: 2026-06-15, status: done}
              - {id: demo, text: 演示, owner: wang.fang, due: 2027-01-15, status: planned}
            """,
        },
    )
    profile = folder / "account.yaml"
    text = profile.read_text(encoding="utf-8")
    owner = next(line for line in text.splitlines() if line.startswith("owner:"))
    profile.write_text(
        text.replace(owner, "owner: wang.fang")
        + "team:\n  - {person: wang.fang, roles: [relationship-lead]}\n",
        encoding="utf-8",
    )
    commit(tmp_path, "星河", "2026-02-03")
    people_file = folder / "stakeholders.yaml"
    people_file.write_text(
        people_file.read_text(encoding="utf-8").replace(
            "owner: wang.fang, backup: chen.hui", "owner: chen.hui, backup: sun.qi"
        ),
        encoding="utf-8",
    )
    profile.write_text(
        profile.read_text(encoding="utf-8").replace("owner: wang.fang", "owner: chen.hui"),
        encoding="utf-8",
    )
    r = kam(tmp_path, "diff")
    note = (
        "wang.fang no longer looks after anyone here but still owns: target mes-upgrade, "
        "goal for 黄志强, action demo, a place in the account team"
    )
    assert f"  profile\n    ~ owner wang.fang → chen.hui\n    ~ {note}\n" in r.stdout
    assert "action dinner" not in r.stdout  # done: nothing to chase
    assert kam(tmp_path, "diff", "--fail-on-worse").exit_code == 0  # a note, not ▼
    js = kam(tmp_path, "diff", "--format", "json").json()["accounts"][0]["changes"]
    assert [c["before"] for c in js if c["kind"] == "handover"] == ["wang.fang"]
    zh = kam(tmp_path, "diff", "--lang", "zh-CN").stdout
    assert "wang.fang 已不再负责这里的任何人，但仍是以下各项的责任人：目标 mes-upgrade、" in zh
    # a handover that moved everything says nothing more
    for path in (folder / "targets.yaml", profile):
        path.write_text(
            path.read_text(encoding="utf-8").replace("wang.fang", "chen.hui"), encoding="utf-8"
        )
    assert "no longer looks after" not in kam(tmp_path, "diff").stdout


def test_history_range_names_both_ends_of_the_unchanged_table(kam, year):
    text = kam(year, "history", "--since", "2026-08-10", "--until", "2026-10-01").stdout
    assert "No change from 2026-08-10 to 2026-10-01" in text
    assert "Acme pengcheng-power (pengcheng-power)" in text.split("No change from", 1)[1]
    zh = kam(year, "history", "--since", "2026-08-10", "--until", "2026-10-01", "--lang", "zh-CN")
    assert "从 2026-08-10 到 2026-10-01 没有变化" in zh.stdout
