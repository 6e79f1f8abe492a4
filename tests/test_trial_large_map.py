"""Trial "large map": the key account manager of a state-owned provincial power company
(江川省电力公司 / Jiangchuan Provincial Power Co.) with a matrix organisation, a chain of
command nine levels deep, people of the same name in different units, outsiders who
sway the board, people who left and units nobody is known in, through `kam map` (tree,
Mermaid, DOT, --chain, --focus, --quadrant) and `kam plan`, rendered with the real
clients (mermaid 11, Graphviz)."""

from __future__ import annotations

import shutil
import subprocess

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
    # the same company with five people beside each manager: 56 in post on ten levels,
    # up to five on a level... and the general manager's office of twelve: wider than deep
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
