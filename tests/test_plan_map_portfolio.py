"""kam plan, kam map, kam portfolio: golden files, real Graphviz and Mermaid parsers, hostile names."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, write_account
from golden_util import assert_golden

TOOLS = Path(__file__).parent / "tools"


def node_modules() -> Path | None:
    for candidate in (os.environ.get("KAM_NODE_DIR"), str(REPO / ".ci" / "node")):
        if candidate and (Path(candidate) / "node_modules" / "mermaid").is_dir():
            return Path(candidate) / "node_modules"
    return None


def mermaid_parse(tmp_path: Path, texts: dict[str, str]) -> subprocess.CompletedProcess:
    modules = node_modules()
    if modules is None or shutil.which("node") is None:
        pytest.skip("mermaid (npm) or node not installed: .ci/run installs them")
    work = tmp_path / "mermaid"
    work.mkdir()
    (work / "node_modules").symlink_to(modules)
    shutil.copy(TOOLS / "mermaid_check.mjs", work / "check.mjs")
    files = []
    for name, text in texts.items():
        (work / name).write_text(text)
        files.append(name)
    return subprocess.run(
        ["node", "check.mjs", *files], cwd=work, capture_output=True, text=True, timeout=300
    )


def dot_render(tmp_path: Path, text: str, fmt: str = "svg") -> subprocess.CompletedProcess:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz dot not installed: .ci/run installs it")
    src = tmp_path / "map.dot"
    src.write_text(text)
    return subprocess.run(
        ["dot", f"-T{fmt}", str(src)], capture_output=True, text=True, timeout=120
    )


# ---------------------------------------------------------------- golden files
@pytest.mark.parametrize(
    "args, name",
    [
        (["map", "nordtel", "--format", "tree", "--no-color"], "map-nordtel.tree.txt"),
        (["map", "nordtel", "--format", "mermaid"], "map-nordtel.mmd"),
        (["map", "nordtel", "--format", "dot"], "map-nordtel.dot"),
        (["map", "nordtel", "--quadrant"], "map-nordtel.quadrant.mmd"),
        (["map", "hansa-bank", "--format", "mermaid"], "map-hansa-bank.mmd"),
        (["plan", "nordtel"], "plan-nordtel.md"),
        (["plan", "kessler-valves"], "plan-kessler-valves.md"),
        (["portfolio", "--format", "markdown"], "portfolio.md"),
        (["portfolio", "--format", "json"], "portfolio.json"),
        (["portfolio", "--no-color"], "portfolio.txt"),
    ],
)
def test_golden(kam, args, name):
    r = kam(REPO, *args)
    assert r.exit_code == 0, r.stderr
    assert_golden(name, r.stdout)


def test_dot_renders_with_graphviz(kam, tmp_path):
    for acct in ("nordtel", "hansa-bank", "kessler-valves"):
        out = dot_render(tmp_path, kam(REPO, "map", acct, "--format", "dot").stdout)
        assert out.returncode == 0, out.stderr
        assert "<svg" in out.stdout and "Warning" not in out.stderr


def test_mermaid_parses_with_real_parser(kam, tmp_path):
    texts = {}
    for acct in ("nordtel", "hansa-bank", "kessler-valves"):
        texts[f"{acct}.mmd"] = kam(REPO, "map", acct, "--format", "mermaid").stdout
        texts[f"{acct}-q.mmd"] = kam(REPO, "map", acct, "--quadrant").stdout
    out = mermaid_parse(tmp_path, texts)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("ok ") == 6
    assert "quadrantChart" in out.stdout and "flowchart" in out.stdout


def test_mermaid_checker_rejects_broken_input(tmp_path):
    out = mermaid_parse(tmp_path, {"bad.mmd": 'flowchart TD\n  a["x] -->\n'})
    assert out.returncode == 1 and "FAIL bad.mmd" in out.stdout


def test_plan_mermaid_blocks_parse(kam, tmp_path):
    plan = kam(REPO, "plan", "nordtel").stdout
    blocks = plan.split("```mermaid\n")[1:]
    texts = {f"b{i}.mmd": b.split("```")[0] for i, b in enumerate(blocks)}
    assert len(texts) == 3  # the power map, the quadrant, the value curve
    out = mermaid_parse(tmp_path, texts)
    assert out.returncode == 0, out.stdout


# ---------------------------------------------------------------- hostile names
HOSTILE_NAME = (
    'Evil | "quote" <script>alert(1)</script> ]] `tick` {{ 7*7 }} [x](http://e.vil)\\nnew'
)

HOSTILE = """\
stakeholders:
  - id: boss
    name: @NAME@
    title: "CEO\\nline2 | ]; \\"x\\""
    roles: [D]
    attitude: 1
    intimacy: 1
    owner: "a|b"
    backup: "<b>"
    channels: [x, y]
    last_contact: 2026-11-20
    influences: [cfo]
  - id: cfo
    name: "Back\\\\slash \\\\N \\\\l } {% raw %} #quot; %% comment"
    reports_to: boss
    roles: [E]
    attitude: -3
    intimacy: 3
    personal:
      secret: PERSONAL-SECRET-VALUE
""".replace("@NAME@", json.dumps(HOSTILE_NAME))

TARGETS = """\
actions:
  - {id: a1, text: "Do <img src=x onerror=alert(1)> | now {{ 7*7 }}", owner: "li|ming", due: 2026-12-01, status: planned, stakeholder: boss}
opportunities:
  - {id: o1, name: "Deal | ]] {{ 7*7 }}", pbip: 2027-01-01, ready: 2027-02-01}
"""


@pytest.fixture
def hostile(tmp_path):
    account = 'id: evil\nname: "ACME | <b>bold</b> {{ 7*7 }}"\nowner: li.ming\nreviewed: 2026-10-01\nposition: 3\nvalue: 3\n'
    write_account(
        tmp_path,
        "evil",
        {"account.yaml": account, "stakeholders.yaml": HOSTILE, "targets.yaml": TARGETS},
    )
    return tmp_path


def _table_cells_ok(markdown: str) -> None:
    """Every table row has as many unescaped pipes as its header."""
    lines = markdown.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|---") or line.startswith("|:"):
            width = _pipes(lines[i - 1])
            j = i + 1
            while j < len(lines) and lines[j].startswith("|"):
                assert _pipes(lines[j]) == width, lines[j]
                j += 1


def _pipes(line: str) -> int:
    count, escaped = 0, False
    for ch in line:
        if ch == "|" and not escaped:
            count += 1
        escaped = ch == "\\" and not escaped
    return count


def raw_html(markdown: str) -> bool:
    """Whether a name became HTML: a tag of it in what CommonMark renders (escaped with
    backslashes in the Markdown, "<b>" is the text <b>, not a tag)."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(markdown)
    return any(tag in html for tag in ("<script", "<img", "<b>", "</b>"))


def test_hostile_names_in_plan(kam, hostile):
    r = kam(hostile, "plan", "evil")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "49" not in out  # {{ 7*7 }} is text, never evaluated
    assert "{{ 7*7 }}" not in out  # and escaped so no renderer evaluates it either
    assert not raw_html(out)
    import re

    assert not re.search(r"(?<!\\)\]\(http", out)  # brackets are escaped: no link is formed
    assert "PERSONAL-SECRET-VALUE" not in out
    _table_cells_ok(out)


def test_hostile_names_in_map_formats(kam, hostile, tmp_path):
    mm = kam(hostile, "map", "evil", "--format", "mermaid").stdout
    q = kam(hostile, "map", "evil", "--quadrant").stdout
    dot = kam(hostile, "map", "evil", "--format", "dot").stdout
    tree = kam(hostile, "map", "evil", "--format", "tree", "--no-color").stdout
    for text in (mm, q):
        assert "<script>" not in text
    for text in (mm, q, dot, tree):
        assert "PERSONAL-SECRET-VALUE" not in text
    assert 'Evil | "quote"' in tree  # the terminal shows the name as written
    assert "#60;script#62;" in mm
    parsed = mermaid_parse(tmp_path, {"m.mmd": mm, "q.mmd": q}) if node_modules() else None
    if parsed is not None:
        assert parsed.returncode == 0, parsed.stdout
    svg = dot_render(tmp_path, dot)
    assert svg.returncode == 0, svg.stderr
    assert "&lt;script&gt;" in svg.stdout  # Graphviz shows it as text


def test_hostile_names_in_grade_and_portfolio_markdown(kam, hostile):
    for args in (
        ["grade", "--format", "markdown"],
        ["portfolio", "--format", "markdown"],
        ["grade", "--format", "csv"],
    ):
        out = kam(hostile, *args).stdout
        assert (not raw_html(out) and "{{ 7*7 }}" not in out) or args[-1] == "csv"
        if args[-1] == "markdown":
            _table_cells_ok(out)


# ---------------------------------------------------------------- templates
def test_user_template_override(kam, tmp_path):
    import shutil as sh

    sh.copytree(REPO / "accounts", tmp_path / "accounts")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "action_plan.md.j2").write_text(
        "## 3. Our way of planning\n{% for owner, items in actions_by_owner.items() %}* {{ owner }}: {{ items | length }} actions\n{% endfor %}"
    )
    out = kam(tmp_path, "plan", "nordtel").stdout
    assert "## 3. Our way of planning" in out and "* li.ming: 1 actions" in out
    assert "## 1. Current-state assessment" in out  # the other parts stay built-in
    other = tmp_path / "mine"
    other.mkdir()
    (other / "plan.md.j2").write_text("Only {{ account.name }} scored {{ grade.score }}.\n")
    r = kam(tmp_path, "plan", "nordtel", "--template-dir", "mine")
    assert r.stdout == "Only Nordtel Group scored 54.\n"


@pytest.mark.parametrize(
    "template, expect",
    [
        ("{{ ''.__class__.__mro__ }}", "sandbox"),
        ("{{ account.__class__ }}", "sandbox"),
        ("{{ cycler.__init__.__globals__.os }}", ""),
        ("{{ no_such_variable }}", "plan.md.j2:1"),
        ("line one\n{% for x in %}", "plan.md.j2:2"),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxxxx{% endfor %}{% endfor %}",
            "stopped",
        ),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "plan.md.j2"),
    ],
    ids=["mro", "class", "globals", "undefined", "syntax", "explode", "recursion"],
)
def test_hostile_templates_fail_cleanly(kam, tmp_path, template, expect):
    import shutil as sh

    sh.copytree(REPO / "accounts", tmp_path / "accounts")
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "plan.md.j2").write_text(template)
    r = kam(tmp_path, "plan", "nordtel", "--template-dir", "t")
    assert r.exit_code == 2, r.stdout[:200]
    assert r.stderr.startswith("kam: error: template error: ")
    assert expect in r.stderr
    assert "object" not in r.stdout and "<class" not in r.stdout


def test_plan_personal_only_when_asked(kam):
    assert "offshore sailing" not in kam(REPO, "plan", "nordtel").stdout
    assert "offshore sailing" in kam(REPO, "plan", "nordtel", "--include-personal").stdout


def test_plan_personal_details_read_as_text(kam, tmp_path):
    """`family: [kid]` was printed as `family: \\['kid'\\]` (a Python list, escaped)."""
    people = (
        "stakeholders:\n"
        "  - id: qian\n    name: 钱老师\n    roles: [D]\n    attitude: 2\n"
        "    personal:\n      hobby: golf\n      family: [kid, dog]\n"
        "      birthday: 1975-03-02\n      tea: {kind: 龙井, sugar: false}\n"
    )
    write_account(tmp_path, "beta", {"stakeholders.yaml": people})
    plan = kam(tmp_path, "plan", "beta", "--include-personal").stdout
    row = next(line for line in plan.splitlines() if line.startswith("| 钱老师 |"))
    assert row.endswith(
        "| hobby: golf; family: kid, dog; birthday: 1975-03-02; tea: (kind: 龙井, sugar: false) |"
    )
    assert "'" not in row and "[" not in row and "{" not in row
    assert "golf" not in kam(tmp_path, "plan", "beta").stdout


def test_plan_output_file_atomic_and_no_overwrite(kam, tmp_path):
    import shutil as sh

    sh.copytree(REPO / "accounts", tmp_path / "accounts")
    r = kam(tmp_path, "plan", "nordtel", "-o", "plan.md")
    assert r.exit_code == 0 and (tmp_path / "plan.md").read_text().startswith(
        "# Account plan 2027: Nordtel Group"
    )
    again = kam(tmp_path, "plan", "nordtel", "-o", "plan.md")
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert kam(tmp_path, "plan", "nordtel", "-o", "plan.md", "--force").exit_code == 0


def test_map_and_plan_unknown_or_broken_account(kam, tmp_path):
    write_account(tmp_path, "bad", {"account.yaml": "id: bad\nname: [\n"})
    r = kam(tmp_path, "map", "nope")
    assert r.exit_code == 1 and "no account 'nope'" in r.stderr
    r = kam(tmp_path, "plan", "bad")
    assert r.exit_code == 1 and "KAM001" in r.stderr


def test_portfolio_shares_and_matrix(kam):
    s = kam(REPO, "portfolio", "--format", "json").json()
    tiers = {t["tier"]: t for t in s["tiers"]}
    # revenue: nordtel 48.2M (S); hansa 6.1M + kessler 1.9M (A, manual) of 56.2M
    assert tiers["S"]["revenue"] == 48_200_000 and tiers["A"]["revenue"] == 8_000_000
    assert s["focus_revenue_share"] == 1.0
    assert tiers["A"]["mean_score"] == 79.5  # (60 + 99) / 2
    counts = s["matrix"]["counts"]
    assert counts[4 - 1][5 - 1] == 1 and counts[3 - 1][3 - 1] == 1 and counts[5 - 1][2 - 1] == 1
    assert s["matrix"]["tiers"][4][1] == "B"  # value 5, position 2: the "granary" is B by default
    assert [o["account"] for o in s["overrides"]] == ["kessler-valves"]
    assert [x["account"] for x in s["shortfalls"]] == ["hansa-bank"]


# ---------------------------------------------------------------- Mermaid's default limits
def _org(count: int, *, names: str = "long", influence_every: int = 0) -> str:
    """A stakeholders.yaml of `count` people in a four-wide hierarchy: long Chinese and
    English titles (the text limit) or two-letter names (to reach the link limit first)."""
    rows = ["stakeholders:"]
    for i in range(count):
        if names == "long":
            name = f"王{i}号 Abteilungsleiterin {i}"
            extra = f", title: 采购与供应链管理部门负责人 Head of Procurement {i}, roles: [E]"
        else:
            name, extra = f"q{i}", ""
        boss = f", reports_to: s{(i - 1) // 4}" if i else ""
        infl = (
            f", influences: [s{i // 3}]"
            if influence_every and i > 3 and i % influence_every == 0
            else ""
        )
        rows.append(f"  - {{id: s{i}, name: {name}, attitude: {i % 7 - 3}{extra}{boss}{infl}}}")
    return "\n".join(rows) + "\n"


def test_kam_limits_are_mermaids_defaults(tmp_path):
    """The limits kam checks against are those of the Mermaid GitHub and GitLab use."""
    from kamtool.report.powermap import MERMAID_MAX_EDGES, MERMAID_MAX_TEXT

    modules = node_modules()
    if modules is None or shutil.which("node") is None:
        pytest.skip("mermaid (npm) or node not installed: .ci/run installs them")
    work = tmp_path / "node"
    work.mkdir()
    (work / "node_modules").symlink_to(modules)
    (work / "limits.mjs").write_text(
        'import { JSDOM } from "jsdom";\n'
        'const dom = new JSDOM("<!DOCTYPE html><body></body>");\n'
        "globalThis.window = dom.window; globalThis.document = dom.window.document;\n"
        'const { default: mermaid } = await import("mermaid");\n'
        "const c = mermaid.mermaidAPI.defaultConfig;\n"
        "console.log(JSON.stringify([c.maxTextSize, c.maxEdges]));\n"
    )
    out = subprocess.run(["node", "limits.mjs"], cwd=work, capture_output=True, text=True)
    assert json.loads(out.stdout) == [MERMAID_MAX_TEXT, MERMAID_MAX_EDGES], out.stderr


def test_a_map_too_large_for_mermaid_is_written_with_a_note(kam, tmp_path):
    """Near 400 people a map passes Mermaid's 50,000 characters: kam still writes it (a
    Mermaid with higher limits draws it) and says on stderr what to use instead."""
    from kamtool.report.powermap import mermaid_size

    write_account(tmp_path, "konzern", {"stakeholders.yaml": _org(450, influence_every=5)})
    write_account(tmp_path, "klein", {"stakeholders.yaml": _org(120, influence_every=5)})
    big = kam(tmp_path, "map", "konzern", "--format", "mermaid")
    assert big.exit_code == 0 and big.stdout.count('["王') == 450
    assert mermaid_size(big.stdout)[0] > 50_000 > len(big.stderr)
    assert big.stderr.count("\n") == 1 and "too large for Mermaid" in big.stderr
    assert "--format dot" in big.stderr
    small = kam(tmp_path, "map", "klein", "--format", "mermaid")
    assert small.exit_code == 0 and small.stderr == "" and small.stdout.count('["王') == 120
    for fmt in ("dot", "tree"):  # the formats the note points to say nothing
        r = kam(tmp_path, "map", "konzern", "--format", fmt)
        assert r.exit_code == 0 and r.stderr == ""
    zh = kam(tmp_path, "map", "konzern", "--format", "mermaid", "--lang", "zh-CN")
    assert zh.exit_code == 0 and "--format dot" in zh.stderr and "Mermaid" in zh.stderr
    assert "too large" not in zh.stderr and "超出" in zh.stderr


def test_the_link_limit_counts_too(kam, tmp_path):
    """Short names keep the text small; 470 people (478 links with the legend's invisible
    ones) pass kam's margin under Mermaid's maxEdges of 500, and 590 fail in Mermaid
    itself ("Edge limit exceeded", which mermaid.parse checks); 390 pass both."""
    from kamtool.report.powermap import mermaid_size

    write_account(tmp_path, "links", {"stakeholders.yaml": _org(470, names="short")})
    write_account(tmp_path, "more", {"stakeholders.yaml": _org(590, names="short")})
    write_account(tmp_path, "fewer", {"stakeholders.yaml": _org(390, names="short")})
    maps = {}
    for name in ("links", "more", "fewer"):
        r = kam(tmp_path, "map", name, "--format", "mermaid")
        assert r.exit_code == 0
        maps[name] = r
    # for 470 people only the links can be the reason
    size, links = mermaid_size(maps["links"].stdout)
    assert size < 45_000 and 450 < links < 500
    assert "too large for Mermaid" in maps["links"].stderr
    assert "too large for Mermaid" in maps["more"].stderr
    assert maps["fewer"].stderr == ""
    parsed = mermaid_parse(
        tmp_path, {"more.mmd": maps["more"].stdout, "fewer.mmd": maps["fewer"].stdout}
    )
    assert "FAIL more.mmd" in parsed.stdout and "Edge limit exceeded" in parsed.stdout
    assert "ok fewer.mmd flowchart" in parsed.stdout


def test_a_plan_puts_a_note_in_place_of_a_map_mermaid_cannot_draw(kam, tmp_path):
    write_account(tmp_path, "konzern", {"stakeholders.yaml": _org(450, influence_every=5)})
    r = kam(tmp_path, "plan", "konzern")
    assert r.exit_code == 0, r.stderr
    plan = r.stdout
    section = plan.split("### Power map", 1)[1].split("### ", 1)[0]
    assert "```mermaid" not in section and "flowchart" not in section
    assert "450 people is too large for Mermaid" in section
    assert "`kam map konzern --format dot`" in section
    assert all(f"王{i}号" in plan for i in (0, 225, 449))  # the stakeholder table stays
    small = tmp_path / "small"
    write_account(small, "klein", {"stakeholders.yaml": _org(60, influence_every=5)})
    section = kam(small, "plan", "klein").stdout.split("### Power map", 1)[1]
    assert section.split("### ", 1)[0].count("```mermaid") == 1
    assert "too large" not in section


def test_a_quadrant_naming_thousands_of_people_becomes_a_note_in_the_plan(kam, tmp_path):
    """The quadrant names everyone at each point: about 1,500 people with long names pass kam's margin
    under Mermaid's 50,000 characters; the plan says where to find them instead."""
    from kamtool.report.powermap import mermaid_size

    people = _org(1800).replace(", attitude:", ", intimacy: 1, attitude:")
    write_account(tmp_path, "volk", {"stakeholders.yaml": people})
    quadrant = kam(tmp_path, "map", "volk", "--quadrant")
    assert quadrant.exit_code == 0 and mermaid_size(quadrant.stdout)[0] > 45_000
    assert "names too many people for Mermaid" in quadrant.stderr
    assert quadrant.stderr.count("\n") == 1
    md = kam(tmp_path, "map", "volk", "--quadrant", "--format", "markdown")
    assert "```mermaid" in md.stdout and "too many people" in md.stderr
    write_account(tmp_path, "klein", {"stakeholders.yaml": _org(50)})
    assert kam(tmp_path, "map", "klein", "--quadrant").stderr == ""
    plan = kam(tmp_path, "plan", "volk").stdout
    section = plan.split("### Intimacy and support", 1)[1].split("\n## ", 1)[0]
    assert "```mermaid" not in section and "quadrantChart" not in section
    assert "`kam map volk --quadrant`" in section


def _portfolio_of(root, names: dict[str, tuple[str, int, int]]) -> None:
    from conftest import ACCOUNT

    for acct, (name, position, value) in names.items():
        text = (
            ACCOUNT.format(id=acct)
            .replace(f"name: Acme {acct}", f"name: {name}")
            .replace("position: 3", f"position: {position}")
            .replace("value: 3", f"value: {value}")
        )
        write_account(root, acct, {"account.yaml": text})


def test_matrix_at_80_columns_keeps_each_name_whole(kam, tmp_path):
    """At 80 columns the 5 x 5 grid broke names in the middle ("Customer / 36 AG,
    Customer 5 / AG"): too narrow for a name a line, the grid counts each cell's accounts
    and the names follow, each whole, cell by cell."""
    _portfolio_of(
        tmp_path,
        {
            "rhein": ("Rheinische Maschinenfabrik AG", 2, 5),
            "osaka": ("Osaka Precision Instruments", 2, 5),
            "norte": ("Distribuidora del Norte SA", 2, 5),
            "tiny": ("Tiny Co", 4, 1),
            "lyon": ("Compagnie Lyonnaise", 1, 3),
            "kyoto": ("Kyoto Optical Works", 3, 3),
        },
    )
    out = kam(tmp_path, "portfolio", env={"COLUMNS": "80"}).stdout
    assert "│ 5                │ (B)   │ (B) 3 │" in out, out  # counted
    assert "(C) 1" in out
    listed = [line for line in out.splitlines() if line.startswith(("  value", "    "))]
    text = "\n".join(listed)
    assert listed[0].startswith("  value 5, position 2 (B): ")
    for name in (
        "Rheinische Maschinenfabrik AG",
        "Osaka Precision Instruments",
        "Distribuidora del Norte SA",
        "Compagnie Lyonnaise",
        "Kyoto Optical Works",
    ):
        assert name in text, text  # on one line
    assert "  value 1, position 4 (C): Tiny Co" in out
    assert all(len(line) <= 80 for line in out.splitlines())


def test_matrix_names_one_a_line_when_they_fit(kam, tmp_path):
    _portfolio_of(tmp_path, {"a": ("Ab AG", 1, 1), "b": ("Cd AG", 1, 1), "c": ("Ef", 5, 5)})
    out = kam(tmp_path, "portfolio", env={"COLUMNS": "80"}).stdout
    assert "│ (C)     │" in out and "│ - Ab AG │" in out and "│ - Cd AG │" in out, out
    assert "  value " not in out


def test_quadrant_comment_names_the_people_not_placed_as_written(kam, tmp_path):
    """The quadrant chart's `%%` line of the people it cannot place cleaned their names
    as its axis labels are cleaned: "阿依古丽·买买提" read "阿依古丽 买买提". A comment line
    keeps the name as written (a line break in a name still cannot end the comment)."""
    people = (
        "stakeholders:\n"
        '  - {id: ayi, name: "阿依古丽·买买提", roles: [D], attitude: "?"}\n'
        '  - {id: obrien, name: "Seán O\'Brien-Smith (CFO)", roles: [E], attitude: 1}\n'
        "  - {id: zhao, name: 赵磊, roles: [S], attitude: 2, intimacy: 1}\n"
    )
    write_account(tmp_path, "acme", {"stakeholders.yaml": people})
    r = kam(tmp_path, "map", "acme", "--quadrant")
    assert r.exit_code == 0, r.stderr
    (comment,) = [line for line in r.stdout.splitlines() if "Not placed" in line]
    assert comment.startswith("    %% ")
    assert "阿依古丽·买买提" in comment and "Seán O'Brien-Smith (CFO)" in comment, comment
    out = mermaid_parse(tmp_path, {"q.mmd": r.stdout})
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("columns", ["50", "60", "70", "80"])
def test_the_tiers_note_keeps_each_threshold_whole(kam, columns):
    """The note under the tiers table was the table's caption, wrapped at the table's
    width, and in Chinese it broke inside a threshold ("D >= / 40"). It is wrapped at the
    terminal's width, and a comparison stays on one line."""
    r = kam(REPO, "portfolio", "--lang", "zh-CN", env={"COLUMNS": columns})
    note = [line for line in r.stdout.splitlines() if ">=" in line or "85" in line]
    assert note, r.stdout
    text = "".join(note)
    for threshold in ("A >= 85", "B >= 70", "C >= 55", "D >= 40"):
        assert threshold in text, text
    assert not any(line.rstrip().endswith(">=") for line in note), note
    assert not any(line.startswith(("85", "70", "55", "40")) for line in note), note
