"""Defects found making `kam plan` fit a machinery maker's own plan format, in Chinese, for
its account managers: templates of one's own (one part, every part, partials in a
sub-folder, macros, `builtin/`), dates written the Chinese way, the slips a user makes
(a BOM from Notepad, a missing endif, a field only some accounts have, a loop too big),
and whether what templates see is documented as it is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, write_account

ACCOUNT = """\
id: zhongtie
name: 中铁十四局集团
industry: 基建施工
owner: liu.yang
stage: strengthen
reviewed: 2026-10-15
position: 4
value: 4
facts: {revenue: 86000000, currency: CNY}
value_curve:
  - {year: 2025, expected: 80000000, actual: 61000000}
  - {year: 2027, expected: 90000000}
  - {year: 2029, expected: 120000000}
needs:
  - {kind: explicit, text: 盾构配套起重设备 40 台}
  - {kind: individual, text: 希望设备国产化率达标, stakeholder: zhao.gang}
competitors:
  - {name: 三一重工}
team:
  - {person: liu.yang, roles: [relationship-lead]}
footprint:
  - {unit: equip, offering: crane, status: ours}
"""

ORG = """\
units:
  - {id: hq, name: 集团总部}
  - {id: equip, name: 物资设备部, parent: hq, buying_center: true}
"""

STAKEHOLDERS = """\
stakeholders:
  - {id: zhao.gang, name: 赵刚, title: 总经理, unit: hq, roles: [D], attitude: 1, intimacy: 1,
     owner: liu.yang, backup: chen.li, channels: [微信, 年会], last_contact: 2026-11-20}
  - {id: qian.hong, name: 钱红, title: 物资设备部部长, unit: equip, reports_to: zhao.gang,
     roles: [D, E], attitude: -1, intimacy: 0, competitor: 三一重工, owner: liu.yang,
     last_contact: 2026-10-01, personal: {hobbies: [钓鱼]}}
  - {id: sun.wei, name: 孙伟, title: 采购主管, unit: equip, reports_to: qian.hong, roles: [S],
     attitude: "?"}
  - {id: li.na, name: 李娜, title: 前副总, unit: hq, roles: [I], attitude: 2,
     left_on: 2026-03-01}
"""

TARGETS = """\
period: 2027
strategy:
  level: 2
  needed_level: 4
  strengths: [起重机口碑好]
  weaknesses: [钱红倾向三一]
  big_play:
    - {kind: displace, text: 以整体方案替换三一挖掘机}
targets:
  - {id: t1, kind: share, text: 提升挖掘机份额, metric: 份额, baseline: 0.1, goal: 0.3,
     due: 2027-12-31, owner: liu.yang}
relationship_goals:
  - {stakeholder: qian.hong, attitude: 0, intimacy: 1, by: 2027-06-30, owner: liu.yang}
actions:
  - {id: a1, text: 邀请钱红参观长沙工厂, owner: liu.yang, due: 2026-11-20, status: planned,
     stakeholder: qian.hong}
  - {id: a2, text: 提交起重机技术方案, owner: chen.li, due: 2027-01-15, status: doing, target: t1}
opportunities:
  - {id: o1, name: 盾构配套起重机, pbip: 2027-04-30, ready: 2027-03-01, value: 32000000}
"""

LOG = """\
entries:
  - {date: 2026-10-01, with: [qian.hong], by: [liu.yang], kind: visit,
     summary: 拜访物资设备部, next: 安排工厂参观}
  - {date: 2026-11-20, with: [zhao.gang], by: [liu.yang], kind: executive-meeting,
     summary: 高层会谈}
"""

KAM_YAML = """\
team_roles: [relationship-lead, entrepreneur]
offerings:
  - {id: crane, name: 起重机}
  - {id: excavator, name: 挖掘机}
"""


def _repo(tmp_path: Path) -> Path:
    """A company repository: kam.yaml at the top, one full account and one bare one."""
    (tmp_path / "kam.yaml").write_text(KAM_YAML, encoding="utf-8")
    write_account(
        tmp_path,
        "zhongtie",
        {
            "account.yaml": ACCOUNT,
            "org.yaml": ORG,
            "stakeholders.yaml": STAKEHOLDERS,
            "targets.yaml": TARGETS,
            "log.yaml": LOG,
        },
    )
    write_account(tmp_path, "dealer")  # no targets.yaml: no strategy, no actions
    (tmp_path / "templates").mkdir()
    return tmp_path


def _template(root: Path, name: str, text: str | bytes) -> None:
    path = root / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def _one_error_line(r) -> str:
    assert r.exit_code == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr
    return lines[0]


# ---------------------------------------------------------------- a template saved with a BOM
def test_a_byte_order_mark_is_not_written_into_the_plan(kam, tmp_path):
    # Notepad's "UTF-8 with BOM": the mark went into the plan before "## 三、行动计划",
    # which GitHub then showed as a paragraph "## 三、行动计划", not a heading
    root = _repo(tmp_path)
    _template(root, "action_plan.md.j2", "\ufeff## 三、行动计划\n\n{{ account.name }}\n".encode())
    r = kam(root, "plan", "zhongtie", "--lang", "zh-CN")
    assert r.exit_code == 0, r.stderr
    assert "\ufeff" not in r.stdout
    assert "\n## 三、行动计划\n\n中铁十四局集团\n" in r.stdout
    # a part that extends the built-in one, saved with a BOM, writes no BOM either
    _template(
        root, "action_plan.md.j2", '\ufeff{% extends "builtin/action_plan.md.j2" %}\n'.encode()
    )
    r = kam(root, "plan", "zhongtie", "--lang", "zh-CN")
    assert r.exit_code == 0, r.stderr
    assert "\ufeff" not in r.stdout and "\n## 3. 客户关系行动计划\n" in r.stdout


# ---------------------------------------------------------------- dates in the Chinese way
DATE_MACRO = (
    "{% macro 日期(d) %}{% if d %}{{ d[:4] }}年{{ d[5:7]|int }}月{{ d[8:10]|int }}日"
    "{% else %}从未{% endif %}{% endmacro %}\n"
)


def test_a_person_never_met_has_no_date_rather_than_a_word(kam, tmp_path):
    # last_contact was the date or the word "never" (从未): a macro writing dates the
    # Chinese way made "从未年0月0日" of it; every other date is "" when there is none
    root = _repo(tmp_path)
    _template(root, "parts/macros.md.j2", DATE_MACRO)
    _template(
        root,
        "action_plan.md.j2",
        '{% import "parts/macros.md.j2" as m %}\n'
        "{% for p in people %}\n- {{ p.name }}：{{ m.日期(p.last_contact) }}\n{% endfor %}\n",
    )
    r = kam(root, "plan", "zhongtie", "--lang", "zh-CN")
    assert r.exit_code == 0, r.stderr
    assert "- 赵刚：2026年11月20日\n" in r.stdout
    assert "- 孙伟：从未\n" in r.stdout
    assert "从未年" not in r.stdout
    # the built-in stakeholder table still says so, in either language
    (root / "templates" / "action_plan.md.j2").unlink()
    zh = kam(root, "plan", "zhongtie", "--lang", "zh-CN").stdout
    assert "| 孙伟 | 采购主管 | S | ? | ? | - / - | 从未 |" in zh
    en = kam(root, "plan", "zhongtie").stdout
    assert "| 孙伟 | 采购主管 | S | ? | ? | - / - | never |" in en


# ---------------------------------------------------------------- a field some accounts lack
def test_a_strategy_some_accounts_lack_says_to_test_it_first(kam, tmp_path):
    # jinja said "'None' has no attribute 'level'", in English in a Chinese run
    root = _repo(tmp_path)
    _template(root, "target_book.md.j2", "## 二、目标任务书\n\n关系层级：{{ strategy.level }}\n")
    assert kam(root, "plan", "zhongtie").exit_code == 0  # this account has one
    line = _one_error_line(kam(root, "plan", "dealer"))
    assert line == (
        "kam: error: template error: templates/target_book.md.j2:3: no 'level' here: the "
        "value is empty for this account (as `strategy` is for an account without one): "
        "test it first, {% if strategy %}"
    )
    zh = _one_error_line(kam(root, "plan", "dealer", "--lang", "zh-CN"))
    assert "templates/target_book.md.j2:3: 这里没有“level”：该值在这个客户中为空" in zh
    assert "None" not in zh


# ---------------------------------------------------------------- a missing endif
UNCLOSED = [
    # the if of line 6 is never closed: jinja stopped at the endfor of line 7
    (
        "## 三、行动计划\n\n{% for owner, items in actions_by_owner.items() %}\n### {{ owner }}\n"
        "{% for a in items %}\n- {{ a.text }}{% if a.overdue %}（已逾期）\n{% endfor %}\n\n"
        "{% endfor %}\n说明：以上为本年度行动。\n",
        "templates/action_plan.md.j2:6: the {% if %} of this line is not closed before the "
        "{% endfor %} of line 7: add {% endif %}",
    ),
    # an if never closed, in a part that goes on for lines after it (jinja: the last line)
    (
        "## 三\n{% if targets %}\n{% for t in targets %}\n- {{ t.text }}\n{% endfor %}\n"
        "{% set note %}x{% endset %}\n{% set n = 1 %}\n\n\n说明\n",
        "templates/action_plan.md.j2:2: the {% if %} of this line is never closed: add {% endif %}",
    ),
    (
        "{% macro 行(a) %}\n| {{ a.text }} |\n\n{% for x in targets %}{% endfor %}\n",
        "templates/action_plan.md.j2:1: the {% macro %} of this line is never closed: add "
        "{% endmacro %}",
    ),
]


def test_a_block_left_open_is_named_at_the_line_that_opened_it(kam, tmp_path):
    root = _repo(tmp_path)
    for template, expected in UNCLOSED:
        _template(root, "action_plan.md.j2", template)
        assert _one_error_line(kam(root, "plan", "zhongtie")).endswith(expected), template
    _template(root, "action_plan.md.j2", UNCLOSED[0][0])
    zh = _one_error_line(kam(root, "plan", "zhongtie", "--lang", "zh-CN"))
    assert zh.endswith(
        "templates/action_plan.md.j2:6: 这一行的 {% if %} 在第 7 行的 {% endfor %} 之前没有结束："
        "请加上 {% endif %}"
    )


# ---------------------------------------------------------------- templates that loop a lot
def test_a_plan_too_long_is_stopped_at_the_line_writing_it(kam, tmp_path):
    # the error named plan.md.j2 with no line, whichever part was writing
    root = _repo(tmp_path)
    _template(
        root,
        "target_book.md.j2",
        "## 二\n\n{% for i in range(100000) %}\n{{ account.name * 10 }}{% endfor %}\n",
    )
    line = _one_error_line(kam(root, "plan", "zhongtie"))
    assert line.endswith(
        "templates/target_book.md.j2:4: output over 5,000,000 characters: stopped"
    ), line


def test_a_loop_that_runs_too_long_is_stopped_at_its_line(kam, tmp_path):
    root = _repo(tmp_path)
    _template(
        root,
        "target_book.md.j2",
        "## 二\n\n{% for i in range(100000) %}\n"
        "{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
    )
    line = _one_error_line(kam(root, "plan", "zhongtie", "--lang", "zh-CN"))
    assert line.endswith("templates/target_book.md.j2:4: 渲染超过 10 秒：已停止"), line


def test_a_range_too_large_is_the_sandboxs_refusal(kam, tmp_path):
    # was "template too deep or too large (OverflowError)"
    root = _repo(tmp_path)
    _template(root, "target_book.md.j2", "## 二\n{% for i in range(1000000) %}{% endfor %}\n")
    line = _one_error_line(kam(root, "plan", "zhongtie"))
    assert line.endswith(
        "templates/target_book.md.j2:2: a range of more than 100,000 numbers is refused by "
        "the sandbox"
    ), line


def test_a_template_error_in_chinese_keeps_file_line_colon(kam, tmp_path):
    # "file:1：被沙箱拒绝" beside "file:1: 这里没有...": one form, as every file:line: of kam
    root = _repo(tmp_path)
    _template(root, "action_plan.md.j2", "\n{{ account.name.__class__ }}\n")
    line = _one_error_line(kam(root, "plan", "zhongtie", "--lang", "zh-CN"))
    assert "templates/action_plan.md.j2:2: 被沙箱拒绝：" in line, line


# (template text, its error in Chinese) for jinja's common syntax and runtime errors
JINJA_SLIPS = [
    ("{{ account.name }\n", "意外的“}”"),
    ("{{ account.name | upperr }}\n", "没有名为“upperr”的过滤器（您是指“upper”吗？）"),
    ("{{ account.name.foo.bar }}\n", "“str object”没有属性“foo”"),
    ("{% foreach x in y %}{% endfor %}\n", "遇到未知标签“foreach”（您是指“for”吗？）。"),
    ("{{ account.name\n", "模板意外结束，缺少“输出语句结尾”。"),
    ("{{ account name }}\n", "这里应为“输出语句结尾”，实际是“name”"),
    ("{{ account ! }}\n", "第 11 个字符处有意外的字符 '!'"),
    ("{% if %}{% endif %}\n", "这里应为表达式，实际是“语句块结尾”"),
    ("{% %}\n", "这里应为标签名"),
]


@pytest.mark.parametrize(("text", "chinese"), JINJA_SLIPS)
def test_jinja_s_own_errors_in_chinese_and_unchanged_in_english(kam, tmp_path, text, chinese):
    """jinja speaks English only: a template author working in Chinese read "unexpected
    '}'" inside a Chinese error line. Its common messages are now in the output
    language; in English the line still carries jinja's own words, as jinja raised them."""
    from jinja2 import TemplateError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    root = _repo(tmp_path)
    _template(root, "action_plan.md.j2", text)
    line = _one_error_line(kam(root, "plan", "zhongtie", "--lang", "zh-CN"))
    assert line.endswith("templates/action_plan.md.j2:1: " + chinese), line
    english = _one_error_line(kam(root, "plan", "zhongtie"))
    try:  # what jinja itself says (no kam hint), compiled and run with nothing defined
        env = ImmutableSandboxedEnvironment()
        env.from_string(text).render(account={"name": "x"}, y=[])
        raise AssertionError("the template should fail")
    except TemplateError as exc:
        own = exc.message or str(exc)
    words = english.split("templates/action_plan.md.j2:1: ", 1)[1]
    hint = re.search(r" \(did you mean '\w+'\?\)", words)
    assert (words.replace(hint.group(0), "") if hint else words) == own.rstrip(".") + (
        "." if own.endswith(".") and not own.startswith("No filter") else ""
    )


# ---------------------------------------------------------------- what templates see
DOC = REPO / "docs" / "templates.md"


def _doc_tables() -> tuple[list[str], dict[str, list[str]]]:
    """docs/templates.md's names (first column of "The names") and, per row of "The
    keys", the names it is about and the keys it lists (every `key` of the cell before
    a parenthesis or as written)."""
    text = DOC.read_text(encoding="utf-8")
    names_part = text.split("## The names", 1)[1].split("## The keys", 1)[0]
    keys_part = text.split("## The keys", 1)[1].split("## The parts", 1)[0]
    names = re.findall(r"^\| `([a-z_]+)` \|", names_part, re.M)
    keys: dict[str, list[str]] = {}
    for row in re.findall(r"^\| (.+?) \| (.+) \|$", keys_part, re.M):
        if row[0] in ("of", "---"):
            continue
        cell = re.sub(r"\([^()]*(\([^()]*\)[^()]*)*\)", "", row[1])  # without the asides
        keys[row[0]] = re.findall(r"`([a-z_]+)`", cell)
    return names, keys


def test_the_documented_names_and_keys_are_what_templates_see(tmp_path):
    from kamtool import core
    from kamtool.report.plan import context

    root = _repo(tmp_path)
    result = core.run(root / "accounts" / "zhongtie", today="2026-11-24", cwd=root, keep="all")
    ctx = context(result, result.accounts[0], include_personal=True)
    names, keys = _doc_tables()
    assert sorted(names) == sorted(ctx), "docs/templates.md lists other names than kam gives"
    item = {
        "`account`": ctx["account"],
        "`grade`": ctx["grade"],
        "`attention`": ctx["attention"][0],
        "`findings`": ctx["findings"][0],
        "`finding_counts`": ctx["finding_counts"][0],
        "`people`, `left`": ctx["people"][0],
        "`targets`": ctx["targets"][0],
        "`goals`": ctx["goals"][0],
        "`opportunities`": ctx["opportunities"][0],
        "each action of `actions_by_owner`": ctx["actions_by_owner"]["liu.yang"][0],
        "`log`, `next_steps`": ctx["log"][0],
        "`team`": ctx["team"],
        "`needs_by_layer`": ctx["needs_by_layer"][0],
        "`value_curve`": ctx["value_curve"],
        "`whitespace`": ctx["whitespace"],
        "`strategy`": ctx["strategy"],
    }
    findings_keys = set(ctx["findings"][0])
    for row, value in item.items():
        documented = set(keys[row])
        if row == "`attention`":  # "the keys of `findings`, and ..."
            documented = (documented - {"findings"}) | findings_keys
        assert documented == set(value), row
    # the rows the docs give that are lists of lists (people_by_unit: a large account)
    assert set(keys["`people_by_unit`"]) == {"unit", "heading", "people"}


def _doc_templates() -> dict[str, str]:
    """The example templates of docs/templates.md, by the path their first line names."""
    text = DOC.read_text(encoding="utf-8")
    found = {}
    for block in re.findall(r"```jinja\n(.*?)```", text, re.S):
        first = re.match(r"\{# templates/([^ :]+)", block)
        if first:
            found[first.group(1)] = block
    return found


def test_the_documented_chinese_plan_renders_as_shown(kam, tmp_path):
    root = _repo(tmp_path)
    examples = _doc_templates()
    assert set(examples) == {
        "parts/macros.md.j2",
        "plan.md.j2",
        "action_plan.md.j2",
        "target_book.md.j2",
    }
    for name, text in examples.items():
        _template(root, name, text)
    r = kam(root, "plan", "zhongtie", "--lang", "zh-CN")
    assert r.exit_code == 0, r.stderr
    plan = r.stdout
    assert plan.startswith(
        "# 2027 年度客户规划：中铁十四局集团\n\n> 内部资料　｜　编制日期：2026年11月24日\n"
    )
    assert "\n## 需要关注的事项\n" in plan and "\n## 1. 客户关系现状评估\n" in plan
    assert (
        "\n## 三、行动计划\n\n**chen.li**（1 项）\n\n- 2027年1月15日：提交起重机技术方案\n" in plan
    )
    assert "- 2026年11月20日：邀请钱红参观长沙工厂（对象：钱红） **已逾期**\n" in plan
    assert "关系层级还需提升 2 级。" in plan
    assert "\n## 接触日志\n" in plan
    # the same templates for an account with no actions, targets or strategy
    r = kam(root, "plan", "dealer", "--lang", "zh-CN")
    assert r.exit_code == 0, r.stderr
    assert "暂无行动。" in r.stdout and "关系层级还需提升" not in r.stdout


# ---------------------------------------------------------------- extends, dates, tags
def test_a_line_under_an_extends_of_a_built_in_part_is_not_dropped_silently(kam, tmp_path):
    # the README offered "include (or extend)": jinja drops what a template that extends
    # writes outside its blocks, and the built-in parts have none, so the plan came out
    # built-in, without the line, exit 0
    root = _repo(tmp_path)
    _template(root, "plan.md.j2", '{% extends "builtin/plan.md.j2" %}\n\n> 机密：内部资料\n')
    line = _one_error_line(kam(root, "plan", "zhongtie"))
    assert line.endswith(
        "templates/plan.md.j2:3: what a template that extends 'builtin/plan.md.j2' writes "
        "outside a {% block %} is never written (the built-in templates have no blocks): "
        'include it instead, {% include "builtin/plan.md.j2" %}, and write around it'
    ), line
    # a block of one's own: the built-in part has none to fill
    _template(
        root,
        "plan.md.j2",
        '{% extends "builtin/plan.md.j2" %}\n{% block header %}\n> 机密\n{% endblock %}\n',
    )
    line = _one_error_line(kam(root, "plan", "zhongtie", "--lang", "zh-CN"))
    assert line.endswith(
        "templates/plan.md.j2:2: “builtin/plan.md.j2”中没有 {% block header %}（内置模板没有 "
        'block）：其中的内容永远不会输出；请改用 {% include "builtin/plan.md.j2" %} 包含它，'
        "再在前后写自己的内容"
    ), line
    # what jinja does write, before the extends, and an extends with nothing else, work
    _template(
        root, "plan.md.j2", '> 机密：内部资料\n{% extends "builtin/plan.md.j2" %}\n{# 注 #}\n'
    )
    r = kam(root, "plan", "zhongtie")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("> 机密：内部资料\n# Account plan 2027: 中铁十四局集团\n")
    # the README's way
    _template(root, "plan.md.j2", '> 机密：内部资料\n\n{% include "builtin/plan.md.j2" %}\n')
    assert kam(root, "plan", "zhongtie").stdout.startswith("> 机密：内部资料\n\n# Account plan")


def test_a_date_asked_for_its_year_says_dates_are_text(kam, tmp_path):
    # jinja said "'str object' has no attribute 'year'"
    root = _repo(tmp_path)
    _template(root, "parts/m.md.j2", "{% macro 日期(d) %}\n{{ d.year }}年\n{% endmacro %}\n")
    _template(root, "action_plan.md.j2", '{% import "parts/m.md.j2" as m %}\n{{ m.日期(today) }}\n')
    line = _one_error_line(kam(root, "plan", "zhongtie"))
    assert line.endswith(
        "templates/parts/m.md.j2:2: no 'year' here: a date is text, '2026-11-24': cut out "
        "what you need (d[:4] is the year)"
    ), line
    _template(root, "action_plan.md.j2", '{{ today.strftime("%Y年%m月%d日") }}\n')
    zh = _one_error_line(kam(root, "plan", "zhongtie", "--lang", "zh-CN"))
    assert zh.endswith(
        "templates/action_plan.md.j2:1: 这里没有“strftime”：日期是文本“2026-11-24”：截取所需部分（d[:4] 为年份）"
    )


def test_a_misspelt_tag_says_which_was_meant(kam, tmp_path):
    root = _repo(tmp_path)
    for template, meant in (
        ("{% foreach t in targets %}{{ t.text }}{% endforeach %}\n", "'for'"),
        ("{% if targets %}\nx\n{% endfi %}\n", "'endif'"),
        ("{% if targets %}\nx\n{% elseif people %}\ny\n{% endif %}\n", "'elif'"),
        ("{% for t in targets %}\nx\n{% endfro %}\n", "'endfor'"),
    ):
        _template(root, "action_plan.md.j2", template)
        line = _one_error_line(kam(root, "plan", "zhongtie"))
        assert f"(did you mean {meant}?)" in line, (template, line)
        assert re.search(r"templates/action_plan\.md\.j2:\d: Encountered unknown tag", line)


def test_the_tags_jinja_looked_for_keep_their_quotes(kam, tmp_path):
    """ "Jinja was looking for the following tags: endfor' or 'else.": the rewording cut
    the list's first and last quote, as it does a single quoted value's."""
    root = _repo(tmp_path)
    _template(
        root,
        "action_plan.md.j2",
        "{% set x = [1] %}{% for i in x %}{% do x.append(i) %}{% endfor %}\n",
    )
    line = _one_error_line(kam(root, "plan", "zhongtie"))
    assert line.endswith(
        "Encountered unknown tag 'do'. Jinja was looking for the following tags: 'endfor' "
        "or 'else'. The innermost block that needs to be closed is 'for'."
    ), line
    zh = _one_error_line(kam(root, "plan", "zhongtie", "--lang", "zh-CN"))
    assert "Jinja 此时在找这些标签：'endfor'或'else'。" in zh, zh


def test_a_template_saved_as_gbk_is_named_at_its_line(kam, tmp_path):
    # "templates/action_plan.md.j2: not UTF-8 text (byte 22)": the one template error
    # without a line
    root = _repo(tmp_path)
    _template(
        root,
        "action_plan.md.j2",
        "## 3. Action plan\n\n{{ account.name }} 行动计划\n".encode("gbk"),
    )
    line = _one_error_line(kam(root, "plan", "zhongtie", "--lang", "zh-CN"))
    assert line.endswith(
        "templates/action_plan.md.j2:3: 不是 UTF-8 文本（第 38 字节）：请将模板保存为 UTF-8"
    ), line


def test_an_override_under_a_misspelt_name_is_pointed_out(kam, tmp_path):
    # `acton_plan.md.j2`, `action-plan.md.j2`, `action_plan.md`: the file replaced
    # nothing and the plan came out built-in, exit 0, without a word
    root = _repo(tmp_path)
    for name in ("acton_plan.md.j2", "Action-Plan.md.j2", "target_book.md", "plans.md.j2"):
        _template(root, name, "## 三、行动计划\n")
    _template(root, "公司页眉.md.j2", "> 内部资料\n")  # a partial of one's own, not a slip
    r = kam(root, "plan", "zhongtie")
    assert r.exit_code == 0, r.stderr
    assert "\n## 3. Action plan\n" in r.stdout
    assert r.stderr.splitlines() == [
        "kam: note: templates/Action-Plan.md.j2 replaces no part of the plan: did you mean "
        "'action_plan.md.j2'?",
        "kam: note: templates/acton_plan.md.j2 replaces no part of the plan: did you mean "
        "'action_plan.md.j2'?",
        "kam: note: templates/plans.md.j2 replaces no part of the plan: did you mean 'plan.md.j2'?",
        "kam: note: templates/target_book.md replaces no part of the plan: did you mean "
        "'target_book.md.j2'?",
    ]
    # a file the plan reads is one's own partial, whatever its name
    _template(
        root, "plan.md.j2", '{% include "plans.md.j2" %}\n{% include "builtin/plan.md.j2" %}\n'
    )
    r = kam(root, "plan", "zhongtie", "--lang", "zh-CN")
    assert r.exit_code == 0, r.stderr
    assert "plans.md.j2" not in r.stderr
    assert (
        "kam：提示：templates/acton_plan.md.j2 没有替换规划的任何部分：您是指“action_plan.md.j2”吗？"
        in r.stderr.splitlines()
    )
