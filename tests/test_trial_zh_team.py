"""A Chinese key-account team's week (a KAM, her manager, sales-ops), written in Chinese:
Chinese company, unit and person names, two people named 张伟 in one account, one person
who left, output in Chinese (``--lang zh-CN``), run through check, grade, stale, plan, map,
diff, history and log on a real git repository."""

from __future__ import annotations

import re

import pytest

from conftest import write_account
from gitrepo import commit, new_repo

ZH = ("--lang", "zh-CN")
TODAY = {"KAM_TODAY": "2026-12-03", "COLUMNS": "200"}

ACCOUNT = """\
id: huaxin-steel
name: 华信钢铁集团股份有限公司
industry: 钢铁制造
owner: zhao.min
stage: stabilize
reviewed: 2026-06-01
position: 4
value: 4
competitors:
  - {name: 中冶数科}
team:
  - {person: zhao.min, roles: [relationship-lead]}
  - {person: sun.li, roles: [technical-expert]}
"""

ORG = """\
units:
  - {id: zongbu, name: 集团总部}
  - {id: caigou, name: 采购中心, parent: zongbu, buying_center: true}
  - {id: xinxi, name: 信息化管理部, parent: zongbu, buying_center: true}
  - {id: shengchan, name: 生产制造部, parent: zongbu}
"""

PEOPLE = """\
stakeholders:
  - id: liu.jianhua
    name: 刘建华
    title: 总经理
    unit: zongbu
    roles: [D]
    attitude: 1
    intimacy: 1
    owner: zhao.min
    last_contact: 2026-03-01
    reviewed: 2026-03-01
  - id: zhang.wei
    name: 张伟
    title: 采购总监
    unit: caigou
    reports_to: liu.jianhua
    roles: [E]
    attitude: -1
    owner: zhao.min
    backup: sun.li
    last_contact: 2026-02-10
    reviewed: 2026-02-10
  - id: zhang.wei2
    name: 张伟
    title: 信息化部经理
    unit: xinxi
    reports_to: liu.jianhua
    roles: [S, C]
    attitude: 2
    intimacy: 2
    owner: sun.li
    last_contact: 2026-05-20
    reviewed: 2026-05-20
  - id: wang.fang
    name: 王芳
    title: 生产副总
    unit: shengchan
    reports_to: liu.jianhua
    roles: [I]
    attitude: 0
    owner: zhao.min
    last_contact: 2025-12-01
  - id: chen.gang
    name: 陈刚
    title: 原信息化部主任
    unit: xinxi
    roles: [D, S]
    attitude: 3
    owner: zhao.min
    left_on: 2026-04-30
    last_contact: 2026-04-01
"""

TARGETS = """\
period: 2027
targets:
  - {id: t1, kind: share, text: 提升在信息化项目中的份额至百分之四十, due: 2027-12-31, owner: zhao.min}
relationship_goals:
  - {stakeholder: zhang.wei, attitude: 1, by: 2027-03-31, owner: zhao.min}
actions:
  - {id: a1, text: 拜访采购中心张伟总监并介绍新产品线方案, owner: zhao.min, due: 2026-10-15, status: planned, stakeholder: zhang.wei}
opportunities:
  - {id: o1, name: 智能工厂二期, pbip: 2027-03-01, ready: 2027-05-01, value: 3000000}
"""

LOG = """\
entries:
  - {date: 2026-05-20, with: [zhang.wei2], by: [sun.li], kind: meeting, summary: 讨论了信息化二期项目的预算和时间安排以及数据中台建设的具体需求, next: 十月前提交方案}
"""


def _files(**changes: str) -> dict[str, str]:
    files = {
        "account.yaml": ACCOUNT,
        "org.yaml": ORG,
        "stakeholders.yaml": PEOPLE,
        "targets.yaml": TARGETS,
        "log.yaml": LOG,
    }
    files.update(changes)
    return files


@pytest.fixture
def repo(tmp_path):
    """The account committed once, in a real git repository."""
    path = new_repo(tmp_path / "repo")
    write_account(path, "huaxin-steel", _files())
    commit(path, "华信钢铁", date="2026-11-01")
    return path


def test_a_chinese_name_takes_no_space_from_the_chinese_around_it(kam, repo):
    out = kam(repo, *ZH, "check", env=TODAY).stdout
    assert "KAM201 与刘建华（liu.jianhua）最近一次接触是 277 天前" in out, out
    assert "KAM105 决策者刘建华（liu.jianhua）只有 0 个信息渠道" in out, out
    # digits and Latin text keep their space
    assert "已过 49 天" in out and "KAM307 S 级客户" in out
    assert not re.search(r"[\u4e00-\u9fff] [刘张王陈李]", out), out
    # a Latin name in the same message keeps the space the catalogue puts there
    latin = PEOPLE.replace("name: 刘建华", "name: Jianhua Liu")
    write_account(repo, "huaxin-steel", _files(**{"stakeholders.yaml": latin}))
    out = kam(repo, *ZH, "check", env=TODAY).stdout
    assert "KAM201 与 Jianhua Liu（liu.jianhua）最近一次接触" in out, out


def _second_commit(repo, people: str, log: str = LOG) -> None:
    write_account(repo, "huaxin-steel", _files(**{"stakeholders.yaml": people, "log.yaml": log}))
    commit(repo, "更新", date="2026-12-01")


def test_grade_stale_and_diff_use_full_width_brackets_and_colons(kam, repo):
    grade = kam(repo, *ZH, "grade", "huaxin-steel", env=TODAY).stdout
    assert grade.splitlines()[0] == "华信钢铁集团股份有限公司（huaxin-steel）", grade
    stale = kam(repo, *ZH, "stale", env=TODAY).stdout
    assert "华信钢铁集团股份有限公司（huaxin-steel）" in stale, stale
    assert "王芳（wang.fang）" in stale, stale
    write_account(
        repo, "dongfang-port", {"account.yaml": ACCOUNT.replace("huaxin-steel", "dongfang-port")}
    )
    portfolio = kam(repo, *ZH, "grade", env={**TODAY, "COLUMNS": "80"}).stdout
    assert "  huaxin-steel：KAM201" in portfolio, portfolio
    _second_commit(repo, PEOPLE.replace("    attitude: -1\n", "    attitude: 1\n"))
    diff = kam(repo, *ZH, "diff", "HEAD~1", "HEAD", env=TODAY).stdout
    assert "（huaxin-steel）：评分 " in diff, diff
    for out in (grade, stale, portfolio, diff):
        # no ASCII bracket or colon beside Chinese text
        assert not re.search(r"[\u4e00-\u9fff][(:]|[):][\u4e00-\u9fff]", out), out


def test_a_log_entrys_by_field_reads_our_people(kam, repo):
    """`by` is who on our side took part: 我方人员, not 期限 (a goal's date) nor 记录人."""
    log = LOG.replace("by: [sun.li]", "by: [sun.li, zhao.min]")
    _second_commit(repo, PEOPLE, log)
    diff = kam(repo, *ZH, "diff", "HEAD~1", "HEAD", env=TODAY).stdout
    assert "与张伟（zhang.wei2）（我方人员：sun.li、zhao.min）：讨论了" in diff, diff
    assert "期限" not in diff and "记录人" not in diff and "由" not in diff, diff
    plan = kam(repo, *ZH, "plan", "huaxin-steel", env=TODAY).stdout
    assert "| 日期 | 类型 | 对象 | 我方人员 | 概要 |" in plan, plan
    logged = kam(repo, *ZH, "log", "huaxin-steel", "liu.jianhua", "-m", "电话沟通", env=TODAY)
    assert "（我方人员：zhao.min）" in logged.stdout, logged.stdout
    diff = kam(repo, *ZH, "diff", "HEAD", env=TODAY).stdout
    assert "与刘建华（我方人员：zhao.min）：电话沟通" in diff, diff


def test_two_people_named_zhang_wei_are_told_apart(kam, repo):
    grade = kam(repo, *ZH, "grade", "huaxin-steel", env=TODAY).stdout
    assert "教练：张伟（zhang.wei2）" in grade, grade
    plan = kam(repo, *ZH, "plan", "huaxin-steel", env=TODAY).stdout
    # the relationship goal, the action and the log name which 张伟
    assert "| 张伟（zhang.wei） | -1 → +1 |" in plan, plan
    assert "| 拜访采购中心张伟总监并介绍新产品线方案 | 张伟（zhang.wei） |" in plan, plan
    assert "| 会面 | 张伟（zhang.wei2） | sun.li |" in plan, plan
    assert "| 刘建华 | 总经理 |" in plan  # a name nobody shares stays as it is
    r = kam(repo, *ZH, "history", "huaxin-steel", "张伟", env=TODAY)
    assert r.exit_code == 2 and r.stdout == "", r.stdout
    assert r.stderr == (
        "kam：错误：客户 huaxin-steel 中有 2 人名为“张伟”："
        "zhang.wei（采购总监）、zhang.wei2（信息化部经理）；请使用 id\n"
    ), r.stderr
    one = kam(repo, *ZH, "history", "huaxin-steel", "zhang.wei2", env=TODAY)
    assert one.exit_code == 0 and "信息化部经理" not in one.stderr, one.stderr
    assert "+2" in one.stdout, one.stdout
    assert "华信钢铁集团股份有限公司（huaxin-steel）的张伟（zhang.wei2）" in one.stdout, one.stdout


def test_people_who_left_are_marked_in_the_plan(kam, repo):
    targets = TARGETS.replace(
        "relationship_goals:\n",
        "relationship_goals:\n"
        "  - {stakeholder: chen.gang, attitude: 3, by: 2027-06-30, owner: sun.li}\n",
    ).replace(
        "opportunities:\n",
        "  - {id: a2, text: 与陈刚主任沟通二期预算, owner: sun.li, due: 2027-01-20,"
        " status: planned, stakeholder: chen.gang}\nopportunities:\n",
    )
    log = LOG + (
        "  - {date: 2026-04-01, with: [chen.gang], by: [sun.li], kind: call,"
        " summary: 离职安排, next: 找到继任者}\n"
    )
    write_account(repo, "huaxin-steel", _files(**{"targets.yaml": targets, "log.yaml": log}))
    plan = kam(repo, *ZH, "plan", "huaxin-steel", env=TODAY).stdout
    gone = "陈刚（2026-04-30 离开）"
    assert f"| {gone} | +3 → +3 |" in plan, plan  # the goal
    assert f"| 与陈刚主任沟通二期预算 | {gone} | 计划中 |" in plan, plan  # the action
    assert f"| 电话 | {gone} | sun.li |" in plan, plan  # the log
    assert f"- 2026-04-01，sun.li 与{gone}：找到继任者" in plan, plan  # the open next step
    assert "\n已离开：陈刚（2026-04-30）。\n" in plan, plan
    # nowhere named without the mark but in the list of those who left and the power map
    bare = [
        line
        for line in plan.splitlines()
        if "陈刚" in line
        and gone not in line
        and "已离开" not in line
        and "陈刚（chen.gang）" not in line
    ]
    assert all("陈刚<br/>" in line or "与陈刚主任" in line for line in bare), bare


def test_a_corrected_name_is_a_name_change_not_new_findings(kam, repo):
    _second_commit(repo, PEOPLE.replace("name: 王芳", "name: 汪芳"))
    diff = kam(repo, *ZH, "diff", "HEAD~1", "HEAD", env=TODAY).stdout
    assert "  汪芳（生产副总）\n    ~ 姓名 王芳 → 汪芳\n" in diff, diff
    assert "  新增 " not in diff and "  已解决 " not in diff, diff
    assert "；1 项变化\n" in diff, diff


ARROW_ALONE = re.compile(r"(^|│)\s*[▲▼]\s*(│|$)")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_an_arrow_is_never_wrapped_onto_a_line_of_its_own(kam, repo, lang):
    _second_commit(repo, PEOPLE.replace("    attitude: 1\n", "    attitude: -1\n", 1))
    for width in range(60, 101):
        env = {**TODAY, "COLUMNS": str(width)}
        for args in (
            ("history", "huaxin-steel", "liu.jianhua"),
            ("history", "huaxin-steel"),
            ("diff", "HEAD~1", "HEAD"),
        ):
            out = kam(repo, "--lang", lang, *args, "--no-color", env=env).stdout
            assert "▼" in out, out
            alone = [line for line in out.splitlines() if ARROW_ALONE.search(line)]
            assert not alone, (width, args, out)


def test_a_misplaced_entry_is_named_in_full_width_brackets(kam, repo):
    """An action written under `opportunities:` (a slip of the indentation): the entry is
    named by its id in the brackets Chinese uses."""
    targets = TARGETS + (
        "  - {id: a2, text: 与陈刚主任沟通二期预算, owner: sun.li, due: 2027-01-20,"
        " status: planned}\n"
    )
    write_account(repo, "huaxin-steel", _files(**{"targets.yaml": targets}))
    out = kam(repo, *ZH, "check", env=TODAY).stdout
    assert "KAM002 opportunities #2（a2）中缺少必需的键“name”" in out, out
    english = kam(repo, "check", env=TODAY).stdout
    assert "missing required key 'name' in opportunities #2 (a2)" in english, english
