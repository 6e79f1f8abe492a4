"""Trial "large map": the key account manager of a state-owned provincial power company
(江川省电力公司 / Jiangchuan Provincial Power Co.) with a matrix organisation, a chain of
command nine levels deep, people of the same name in different units, outsiders who
sway the board, people who left and units nobody is known in, through `kam map` (tree,
Mermaid, DOT, --chain, --focus, --quadrant) and `kam plan`, rendered with the real
clients (mermaid 11, Graphviz)."""

from __future__ import annotations

import re
import shutil
import subprocess
from itertools import pairwise

import pytest

from conftest import dedent, write_account
from test_plan_map_portfolio import mermaid_parse

ACCOUNT = dedent(
    """
    id: jcpower
    name: 江川省电力公司 / Jiangchuan Provincial Power Co.
    owner: kam.lin
    reviewed: 2026-09-01
    position: 5
    value: 4
    """
)

ORG = dedent(
    """
    units:
      - {id: party, name: 党委 / Party Committee}
      - {id: exec, name: 总经理工作部 / Executive Office, parent: party}
      - {id: digital, name: 数字化部 / Digitalisation, parent: exec}
      - {id: ict, name: 信息通信分公司 / ICT Subsidiary, parent: digital}
      - {id: platform, name: 平台运维中心 / Platform Operations, parent: ict}
      - {id: dispatch, name: 电力调度控制中心 / Grid Dispatch, parent: exec}
      - {id: audit, name: 审计部 / Internal Audit, parent: exec}
      - {id: data-lab, name: "数据创新实验室 / Data *Innovation* Lab", parent: digital}
    """
)

# the chain of command from the chairman nine levels down to the engineer we know
CHAIN = [
    ("zhou-jianguo", "周建国", "党委书记、董事长 / Party Secretary & Chairman", "party", "D", "?"),
    ("xu-wenbo", "许文博", "总经理 / General Manager", "exec", "D", "0"),
    ("he-haiyan", "何海燕", "副总经理 / Deputy GM, Digitalisation", "exec", "D, S", "2"),
    ("cheng-xiaodong", "程晓东", "数字化部主任 / Head of Digitalisation", "digital", "S", "1"),
    ("wang-wei-ict", "王伟", "信通公司总经理 / GM, ICT Subsidiary", "ict", "E", "1"),
    ("jiang-zhiqiang", "蒋志强", "信通公司副总经理 / Deputy GM, ICT", "ict", "", "0"),
    ("li-na", "李娜", "平台运维中心主任 / Director, Platform Ops", "platform", "E", "2"),
    ("lv-zihan", "吕子涵", "运维一科科长 / Section Chief", "platform", "C", "3"),
    ("tian-gang", "田刚", "值班长 / Shift Team Lead", "platform", "", "?"),
    ("ding-jing", "丁静", "主任工程师 / Principal Engineer", "platform", "I", "1"),
]


def _person(pid, name, title, unit, roles, attitude, manager, extra=""):
    lines = [f"  - id: {pid}", f"    name: {name}", f'    title: "{title}"']
    if unit:
        lines.append(f"    unit: {unit}")
    if manager:
        lines.append(f"    reports_to: {manager}")
    lines.append(f"    roles: [{roles}]")
    lines.append(f'    attitude: "{attitude}"' if attitude == "?" else f"    attitude: {attitude}")
    return "\n".join(lines) + extra + "\n"


def stakeholders(side_reports: int = 1) -> str:
    """The chain, each of its managers with ``side_reports`` more people in the unit, a
    second 王伟 in dispatch, outsiders without a unit and one who left."""
    out = ["stakeholders:\n"]
    manager = None
    for pid, name, title, unit, roles, attitude in CHAIN:
        extra = "\n    owner: kam.lin" if pid in ("he-haiyan", "ding-jing", "li-na") else ""
        out.append(_person(pid, name, title, unit, roles, attitude, manager, extra))
        for i in range(side_reports if manager else 0):
            out.append(_person(f"{pid}-{i}", f"同事{i}", "工程师 / Engineer", unit, "", "?", pid))
        manager = pid
    out.append(
        _person("wang-wei-dispatch", "王伟", "调度员 / Dispatcher", "dispatch", "", "?", "xu-wenbo")
    )
    out.append(
        _person(
            "sun-liping",
            "孙立平",
            "省国资委处长 / Provincial SASAC",
            "",
            "I",
            "?",
            None,
            "\n    influences: [zhou-jianguo, xu-wenbo]",
        )
    )
    out.append(
        _person(
            "zheng-guoqiang",
            "郑国强",
            "原数字化部主任 / former Head",
            "digital",
            "S",
            "3",
            "he-haiyan",
            "\n    left_on: 2026-06-30",
        )
    )
    return "".join(out)


def _account(tmp_path, side_reports: int = 1):
    write_account(
        tmp_path,
        "jcpower",
        {"account.yaml": ACCOUNT, "org.yaml": ORG, "stakeholders.yaml": stakeholders(side_reports)},
    )


def _dot_size(tmp_path, text: str) -> tuple[float, float]:
    """Width and height (inches) of the graph as Graphviz lays it out."""
    if shutil.which("dot") is None:
        pytest.skip("Graphviz dot not installed: .ci/run installs it")
    r = subprocess.run(["dot", "-Tplain"], input=text, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    _graph, _scale, width, height = r.stdout.split("\n", 1)[0].split()
    return float(width), float(height)


def test_a_chain_of_command_nine_levels_deep_is_drawn_top_to_bottom(kam, tmp_path):
    # the chain from the chairman to the engineer we know, each manager with one more
    # report: 21 people in post, ten levels, never more than two on a level. Drawn left
    # to right (every map above 20 people was) it was one strip 3,600 pixels wide and 470
    # high whose text shrank to nothing on a page; top to bottom it is taller than wide
    _account(tmp_path)
    mm = kam(tmp_path, "map", "jcpower", "--format", "mermaid")
    assert mm.exit_code == 0, mm.stderr
    assert "\nflowchart TD\n" in mm.stdout and "direction LR" in mm.stdout
    assert mermaid_parse(tmp_path, {"chain.mmd": mm.stdout}).returncode == 0
    dot = kam(tmp_path, "map", "jcpower", "--format", "dot")
    assert "rankdir=TB;" in dot.stdout
    # Graphviz's own layout: top to bottom, half the width it takes left to right
    width = _dot_size(tmp_path, dot.stdout)[0]
    sideways = _dot_size(tmp_path, dot.stdout.replace("rankdir=TB;", "rankdir=LR;"))[0]
    assert width < sideways / 2, (width, sideways)


def test_a_wide_org_chart_still_runs_left_to_right(kam, tmp_path):
    # the same company with five people beside each manager: 69 in post on eleven
    # levels, six on most, fourteen under the general manager: wider than deep
    _account(tmp_path, side_reports=5)
    extra = "".join(
        _person(f"staff-{i}", f"职员{i}", "专责 / Specialist", "exec", "", "?", "xu-wenbo")
        for i in range(12)
    )
    path = tmp_path / "accounts" / "jcpower" / "stakeholders.yaml"
    path.write_text(path.read_text() + extra)
    mm = kam(tmp_path, "map", "jcpower", "--format", "mermaid")
    assert "\nflowchart LR\n" in mm.stdout and "direction TB" in mm.stdout
    assert mermaid_parse(tmp_path, {"wide.mmd": mm.stdout}).returncode == 0
    dot = kam(tmp_path, "map", "jcpower", "--format", "dot").stdout
    assert "rankdir=LR;" in dot
    width = _dot_size(tmp_path, dot)[0]
    assert width < _dot_size(tmp_path, dot.replace("rankdir=LR;", "rankdir=TB;"))[0]


QUADRANT_PEOPLE = dedent(
    """
    stakeholders:
      - {id: xu-wenbo, name: 许文博, roles: [D], attitude: 0, intimacy: -2}
      - {id: li-na-finance, name: 李娜, roles: [E], attitude: 0, intimacy: -1}
      - {id: li-na-ict, name: 李娜, roles: [E], attitude: 2, intimacy: 2}
      - {id: jiang-zhiqiang, name: 蒋志强, attitude: 0, intimacy: 0}
      - {id: zhang-lei-materials, name: 张磊, roles: [E], attitude: -2, intimacy: -3}
      - {id: zhang-lei-dispatch, name: 张磊, roles: [S], attitude: 1, intimacy: "?"}
      - {id: wang-wei-ict, name: 王伟, roles: [E], attitude: 1, intimacy: 0}
      - {id: wang-wei-north, name: 王伟, roles: [S], attitude: 1, intimacy: 0}
      - {id: ding-jing, name: 丁静, roles: [I], attitude: 1, intimacy: 1}
      - {id: qian-xuemin, name: 钱学民（原信通公司总经理）, roles: [C], attitude: 3, intimacy: 3}
    """
)


def _geometry(text: str) -> tuple[float, float, float, list[tuple[float, float, str]], str]:
    """What mermaid 11 draws of a quadrantChart: the chart's width, the left edge and the
    width of the quadrants (the y-axis's labels take 2 x 5 + 16 px at the left edge, then
    the padding), each point's label with its x in pixels and y, and the title."""
    conf = dict(re.findall(r"^ {4}(\w+): (\d+)$", text, re.M))
    width, padding = float(conf["chartWidth"]), float(conf.get("quadrantPadding", 5))
    left, inner = padding + 26, width - 2 * padding - 26
    points = [
        (left + float(x) * inner, float(y), label)
        for label, x, y in re.findall(r'^ {4}"(.*)":::\w+: \[([\d.]+), ([\d.]+)\]$', text, re.M)
    ]
    title = re.search(r"^ {4}title (.*)$", text, re.M)
    assert title is not None
    return width, left, inner, points, title.group(1)


def _px(text: str, size: int) -> float:
    """A generous width of ``text`` in a sans-serif font: a CJK character a full em, any
    other 0.5 em (Arial and Trebuchet average less)."""
    return sum(size if "\u3000" <= ch <= "\uffef" else size * 0.5 for ch in text)


def test_the_quadrant_chart_cuts_no_name_and_runs_none_into_another(kam, tmp_path):
    # a utility's long name in two scripts was cut at both ends of the chart's title
    # ("ntimacy and support: ... Power Co"); the person at intimacy -3 lost the first
    # character of "张磊 (zhang-lei-materials)" at the chart's left edge, the coach at +3 the
    # end of theirs at the right; names on one row ran into each other
    # ("许文博李娜 (li-na-finance)蒋志强")
    write_account(
        tmp_path, "jcpower", {"account.yaml": ACCOUNT, "stakeholders.yaml": QUADRANT_PEOPLE}
    )
    for args in (("map", "jcpower", "--quadrant"), ("plan", "jcpower")):
        out = kam(tmp_path, *args)
        assert out.exit_code == 0, out.stderr
        chart = out.stdout
        if args[0] == "plan":
            chart = chart.split("```mermaid\n")[2].split("```")[0]
            assert chart.lstrip("-\n").startswith("config:\n  quadrantChart:")
        width, left, inner, points, title = _geometry(chart)
        assert _px(title.replace("#38;", "&"), 20) <= width, (title, width)
        names = {label for _x, _y, label in points}
        assert "张磊 (zhang-lei-materials)" in names and "钱学民（原信通公司总经理）" in names
        for x, _y, label in points:
            half = _px(label, 13) / 2
            assert x - half >= 26 and x + half <= width, (label, x, width)
        for y in {y for _x, y, _label in points}:
            row = sorted((x, label) for x, yy, label in points if yy == y)
            for (xa, a), (xb, b) in pairwise(row):
                assert xb - xa >= (_px(a, 13) + _px(b, 13)) / 2, (a, b)
        assert left + inner <= width
        assert mermaid_parse(tmp_path, {f"{args[0]}.mmd": chart}).returncode == 0
        (tmp_path / "mermaid").rename(tmp_path / f"mermaid-{args[0]}")


def test_chain_keeps_the_hidden_decision_chain(kam, tmp_path):
    # the provincial official outside the org chart who sways the chairman and the general
    # manager (KAM117 warns of him) was left out of `kam map --chain`: the chain of a
    # state-owned utility without its regulator
    _account(tmp_path)
    r = kam(tmp_path, "map", "jcpower", "--chain", "--no-color")
    assert r.exit_code == 0, r.stderr
    assert (
        "孙立平, 省国资委处长 / Provincial SASAC [I] attitude unknown ~> 周建国, 许文博" in r.stdout
    )
    assert "同事0" not in r.stdout and "王伟 (wang-wei-dispatch)" not in r.stdout
    assert "left out 11 people" in r.stderr
    dot = kam(tmp_path, "map", "jcpower", "--chain", "--format", "dot").stdout
    assert "孙立平" in dot and "style=dashed, constraint=false" in dot


def _wide_and_deep(tmp_path):
    """The utility with everyone known: twelve in the general manager's office with an
    attitude, five beside each manager down the chain, all with one."""
    _account(tmp_path, side_reports=5)
    path = tmp_path / "accounts" / "jcpower" / "stakeholders.yaml"
    staff = "".join(
        _person(f"staff-{i}", f"职员{i}", "专责 / Specialist", "exec", "", "1", "xu-wenbo")
        for i in range(12)
    )
    path.write_text(path.read_text().replace('attitude: "?"', "attitude: 0") + staff)


def test_plan_of_a_large_account_draws_the_decision_chains_when_the_focused_map_is_too_wide(
    kam, tmp_path
):
    # 69 people in post, all with a known attitude: the focused map leaves nobody out,
    # eleven levels deep and fourteen wide, so it runs left to right, eleven boxes across
    # a page, its text shrunk to a few pixels (132 people at the utility: 3-pixel text). The plan
    # draws the decision chains: the decision makers, our contacts in their lines,
    # everyone between, the official who sways the board
    _wide_and_deep(tmp_path)
    r = kam(tmp_path, "plan", "jcpower")
    assert r.exit_code == 0, r.stderr
    section = r.stdout.split("### Power map\n", 1)[1].split("\n### ", 1)[0]
    chart = section.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert "\nflowchart TD\n" in chart
    assert "孙立平" in chart and "丁静" in chart and "周建国" in chart
    assert "职员" not in chart and "同事" not in chart
    assert (
        "The map shows 11 people: the decision makers, our contacts in their reporting lines, "
        "everyone between and whoever influences a decision maker; the 59 others are left "
        "out (`kam map jcpower --focus --format dot` draws the people who matter, "
        "`kam map jcpower` everyone)."
    ) in " ".join(section.split())
    assert mermaid_parse(tmp_path, {"plan-map.mmd": chart}).returncode == 0
    zh = kam(tmp_path, "plan", "jcpower", "--lang", "zh-CN").stdout
    assert "`kam map jcpower --focus --format dot`" in zh and "The map shows" not in zh


def test_plan_names_the_org_units_nobody_is_known_in(kam, tmp_path):
    # internal audit, which can stop a state utility's tender, and the new data lab have
    # nobody on the map: the plan's tables by org unit showed the units with people and
    # never said which ones had none. The digital department, whose people all sit in the
    # units below it, is not one of them
    _account(tmp_path)
    r = kam(tmp_path, "plan", "jcpower")
    assert r.exit_code == 0, r.stderr
    assert (
        "21 people in 6 org units, unit by unit as the org chart reads (each manager, then "
        "the people who report to them). Nobody is known in 2 org units: 审计部 / Internal "
        "Audit, 数据创新实验室 / Data \\*Innovation\\* Lab."
    ) in r.stdout
    zh = kam(tmp_path, "plan", "jcpower", "--lang", "zh-CN").stdout
    assert (
        "（先列上级，再列其下属）。有 2 个组织单元中没有任何已知人员：审计部 / Internal Audit、"
        "数据创新实验室 / Data \\*Innovation\\* Lab。"
    ) in zh


def test_map_says_when_a_page_would_shrink_the_mermaid_map_past_reading(kam, tmp_path):
    # the whole utility in Mermaid: eleven levels deep and fourteen wide, so eleven boxes
    # across, drawn on a page in 3-pixel text, with not a word from kam (it spoke only
    # past Mermaid's size limits). The decision chains, top to bottom, are two across
    _wide_and_deep(tmp_path)
    whole = kam(tmp_path, "map", "jcpower", "--format", "mermaid")
    assert whole.exit_code == 0
    assert (
        "kam: note: this map is 11 boxes across: a page shrinks it until its text cannot "
        "be read; --chain (the decision chains) draws the people a deal turns on, --format "
        "dot (Graphviz) or the tree (--format tree) keep everyone legible"
    ) in " ".join(whole.stderr.split())
    chain = kam(tmp_path, "map", "jcpower", "--format", "mermaid", "--chain")
    assert "boxes across" not in chain.stderr and "\nflowchart TD\n" in chain.stdout
    for args in (("--format", "dot"), ("--format", "tree"), ("--quadrant",)):
        assert "boxes across" not in kam(tmp_path, "map", "jcpower", *args).stderr
    zh = kam(tmp_path, "map", "jcpower", "--format", "mermaid", "--lang", "zh-CN")
    assert "kam：提示：此图横向有 11 个方框" in zh.stderr
