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
    assert "\nhuaxin-steel：评分 " in diff, diff
    for out in (grade, stale, portfolio, diff):
        # no ASCII bracket or colon beside Chinese text
        assert not re.search(r"[\u4e00-\u9fff][(:]|[):][\u4e00-\u9fff]", out), out
