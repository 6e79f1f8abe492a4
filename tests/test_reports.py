"""Issue 17 and the report parts of issue 12: what people read first, charts that do not
overlap, legends, tables that fit 80 columns (CJK included), currencies, deep chains."""

from __future__ import annotations

import re

import pytest

from conftest import ACCOUNT, REPO, STAKEHOLDERS, write_account
from test_plan_map_portfolio import dot_render, mermaid_parse, node_modules

# ---------------------------------------------------------------- an account unlike the examples
CN_ACCOUNT = """\
id: {id}
name: 华东电力集团有限公司
owner: wang.fang
reviewed: 2026-10-01
position: 5
value: 5
facts: {{revenue: {revenue}, currency: {currency}}}
competitors:
  - name: Rivalco
"""

CN_PEOPLE = """\
stakeholders:
  - id: zhang-wei
    name: 张伟
    title: 总经理
    roles: [D]
    attitude: -2
    intimacy: 0
    owner: wang.fang
    backup: li.ming
    channels: [a]
    last_contact: 2026-11-20
    competitor: Rivalco
  - id: li-na
    name: 李娜
    title: 财务总监
    roles: [D, E]
    attitude: "?"
    reports_to: zhang-wei
    owner: li.ming
  - id: wang-qiang
    name: 王强
    roles: [E]
    attitude: 1
    intimacy: 1
    reports_to: zhang-wei
    owner: li.ming
    backup: wang.fang
    last_contact: 2026-06-01
  - id: chen-jing
    name: 陈静
    roles: [I]
    attitude: 1
    intimacy: 1
    reports_to: wang-qiang
    owner: li.ming
    last_contact: 2026-11-01
  - id: zhao-lei
    name: 赵磊
    roles: [C]
    attitude: 3
    intimacy: 3
    reports_to: wang-qiang
    owner: li.ming
    backup: wang.fang
    channels: [a, b]
    last_contact: 2026-11-21
  - id: liu-yang
    name: 刘洋
    roles: [S]
    attitude: 0
    intimacy: 2
    reports_to: zhang-wei
    owner: li.ming
    last_contact: 2026-11-02
  - id: sun-li
    name: 孙丽
    attitude: 2
    intimacy: "?"
    reports_to: liu-yang
  - id: zhou-jie
    name: 周杰
    roles: [S]
    attitude: 2
    reports_to: zhang-wei
    left_on: 2026-05-01
    owner: li.ming
"""

CN_TARGETS = """\
opportunities:
  - {id: grid, name: 智能电网, pbip: 2027-01-15, ready: 2027-04-01, value: 8000000}
"""


@pytest.fixture
def cn(tmp_path):
    write_account(
        tmp_path,
        "huadong",
        {
            "account.yaml": CN_ACCOUNT.format(id="huadong", revenue=10_000_000, currency="CNY"),
            "stakeholders.yaml": CN_PEOPLE,
            "targets.yaml": CN_TARGETS,
        },
    )
    write_account(tmp_path, "small")  # conftest's little EUR-less account
    return tmp_path


# ---------------------------------------------------------------- the plan opens with what matters
def _attention(plan: str) -> list[str]:
    section = plan.split("## What needs attention\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if re.match(r"\d+\. ", line)]


@pytest.mark.parametrize("account", ["nordtel", "hansa-bank", "kessler-valves"])
def test_plan_opens_with_the_most_severe_finding(kam, account):
    plan = kam(REPO, "plan", account).stdout
    assert plan.index("## What needs attention") < plan.index("## 1. Current-state assessment")
    items = _attention(plan)
    assert 1 <= len(items) <= 5
    findings = kam(REPO, "check", f"accounts/{account}", "--format", "json").json()["findings"]
    from kamtool.findings import SEVERITY_RANK

    worst = max(SEVERITY_RANK[f["severity"]] for f in findings)
    name = next(k for k, v in SEVERITY_RANK.items() if v == worst)
    assert items[0].startswith(f"1. **{name}**")
    ranks = [SEVERITY_RANK[re.search(r"\*\*(\w+)\*\*", i).group(1)] for i in items]
    assert ranks == sorted(ranks, reverse=True)  # never a warning above an error


def test_attention_order_decision_makers_then_competition_then_pbip(kam):
    items = _attention(kam(REPO, "plan", "nordtel").stdout)
    assert "decision maker Zhang Wei" in items[0] and "is opposed" in items[0]  # KAM102
    assert "backs Vantor" in items[1]  # KAM109
    assert "PBIP" in items[2]  # KAM303
    assert all("Next:" in i for i in items)


def test_attention_errors_first_and_real_commands(kam, cn):
    plan = kam(cn, "plan", "huadong").stdout
    items = _attention(plan)
    assert items[0].startswith("1. **error**") and "王强" in items[0]  # 173 days: KAM201 error
    assert "`kam touch huadong wang-qiang`" in items[0]  # the command, as code
    findings = plan.split("### Findings\n", 1)[1].split("\n### ", 1)[0]
    for text in (findings, *items):
        assert "ACCOUNT" not in text and "PERSON" not in text and "\\`" not in text
    # then the decision makers: 张伟 opposed (KAM102), 李娜 never met (KAM101)
    assert "张伟" in items[1] and "李娜" in items[2]


def test_findings_sorted_by_severity_in_plan_and_text(kam):
    plan = kam(REPO, "plan", "hansa-bank").stdout
    section = plan.split("### Findings\n", 1)[1].split("\n### ", 1)[0]
    sev = re.findall(r"\((error|warning|info)\)", section)
    order = {"error": 0, "warning": 1, "info": 2}
    assert sev == sorted(sev, key=order.get) and sev[0] == "error"
    text = kam(REPO, "check", "--no-color").stdout
    levels = re.findall(r"^\S+: KAM\d+ .*\((error|warning|info)\)$", text, re.M)
    assert levels == sorted(levels, key=order.get)


def test_text_output_shows_hints_under_findings(kam):
    lines = kam(REPO, "check", "accounts/nordtel", "--no-color").stdout.splitlines()
    i = next(n for n, ln in enumerate(lines) if "KAM201" in ln)
    assert lines[i + 1].startswith("    hint: Get in touch")
    assert "`kam touch nordtel petter-nyman`" in lines[i + 1]  # the command, made concrete


def test_plan_tables_consistent(kam):
    plan = kam(REPO, "plan", "nordtel").stdout
    assert " → 1 |" not in plan and "|  →  |" not in plan and "| goal 1 |" in plan
    assert "zhang-wei (" not in plan.split("### Relationship score", 1)[1].split("###", 1)[0]
    earned = re.findall(r"^\| [a-zA-Z/ ]+ \| \d+ \| ([\d.]+) \|", plan, re.M)
    assert earned and all(re.fullmatch(r"\d+\.\d", e) for e in earned)  # one decimal, always
    kessler = kam(REPO, "plan", "kessler-valves").stdout
    assert ".)." not in kessler and ".." not in kessler.replace("...", "")


# ---------------------------------------------------------------- quadrant
def _points(q: str) -> list[tuple[str, float, float]]:
    out = []
    for m in re.finditer(r'^    "(.+?)"(?::::\w+)?: \[([\d.]+), ([\d.]+)\]$', q, re.M):
        out.append((m.group(1), float(m.group(2)), float(m.group(3))))
    return out


@pytest.mark.parametrize("where, account", [("repo", "nordtel"), ("cn", "huadong")])
def test_quadrant_points(kam, cn, where, account):
    root = REPO if where == "repo" else cn
    q = kam(root, "map", account, "--quadrant").stdout
    points = _points(q)
    assert points
    coords = [(x, y) for _, x, y in points]
    assert len(coords) == len(set(coords))  # one point per place, its label names everyone
    for _, x, y in points:
        assert 0.05 <= x <= 0.95 and 0.05 <= y <= 0.95
        assert x != 0.5 and y != 0.5  # never on a divider
    plan = kam(root, "plan", account).stdout
    table = plan.split("### Stakeholders\n", 1)[1].split("\n###", 1)[0]
    stake = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^\| ([^|]+) \| [^|]* \| [^|]* \| ([^|]+) \| ([^|]+) \|", table, re.M)
    }
    unknown = sorted(
        n.strip() for n, (att, inti) in stake.items() if "?" in (att + inti) and n != "name"
    )
    listed = re.search(r"Not placed \(attitude or intimacy unknown\): (.+)\.$", plan, re.M)
    assert sorted(x.strip() for x in listed.group(1).split(",")) == unknown


def test_quadrant_shares_a_point_and_marks_decision_makers(kam):
    q = kam(REPO, "map", "nordtel", "--quadrant").stdout
    names = [n for n, _, _ in _points(q)]
    assert "Anders Berg, Jonas Ek" in names  # equal values: one point, one label
    assert re.search(r'^    "Zhang Wei":::roleD: ', q, re.M)
    assert "classDef roleD" in q and "Not placed" in q and "Maria Olsen" in q


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_quadrant_markdown_shows_its_legend(kam, cn, tmp_path, lang):
    """Mermaid's quadrantChart draws no legend, so the bare chart keeps it in comments;
    `--format markdown` gives the chart in a fenced block and the legend as text a reader
    sees on GitHub (SPEC 7: every chart has a legend)."""
    from markdown_it import MarkdownIt

    bare = kam(cn, "map", "huadong", "--quadrant", "--lang", lang).stdout
    md = kam(cn, "map", "huadong", "--quadrant", "--format", "markdown", "--lang", lang).stdout
    assert md.startswith("```mermaid\n" + bare + "```\n")
    html = MarkdownIt("commonmark").render(md)
    visible = html.split("</code></pre>", 1)[1]
    legend = [line.split("%% ", 1)[1] for line in bare.splitlines() if "%% " in line]
    assert len(legend) == 3  # colours, shared points, the people not placed
    for line in legend:
        assert line.rstrip("。.") in visible
    if node_modules():
        out = mermaid_parse(tmp_path, {"q.mmd": md.split("```mermaid\n")[1].split("```")[0]})
        assert out.returncode == 0, out.stdout
    wrong = kam(cn, "map", "huadong", "--quadrant", "--format", "dot")
    assert wrong.exit_code == 2 and "mermaid, markdown" in wrong.stderr


def test_zero_sits_with_the_negative_half(kam, cn):
    q = kam(cn, "map", "huadong", "--quadrant").stdout
    (x, y) = next((x, y) for n, x, y in _points(q) if "刘洋" in n)  # attitude 0, intimacy +2
    assert y < 0.5 < x


# ---------------------------------------------------------------- maps
def test_maps_have_title_legend_and_left_people_apart(kam, cn, tmp_path):
    mm = kam(cn, "map", "huadong", "--format", "mermaid").stdout
    dot = kam(cn, "map", "huadong", "--format", "dot").stdout
    tree = kam(cn, "map", "huadong", "--no-color").stdout
    assert mm.startswith("---\ntitle: ") and 'subgraph legend["Legend"]' in mm
    assert "classDef dm" in mm and re.search(r"class n0(,n\d+)* dm", mm)
    left_id = "n7"  # 周杰 left: no edge touches them
    assert not re.search(rf"\b{left_id}\b.*-->|-->.*\b{left_id}\b", mm)
    assert not re.search(rf"\b{left_id}\b -> |-> {left_id}\b", dot)
    assert "cluster_legend" in dot and "backs Rivalco" in dot and "penwidth=3.5" in dot
    assert "Legend:" in tree and "backs Rivalco" in tree
    if node_modules():
        out = mermaid_parse(
            tmp_path, {"m.mmd": mm, "q.mmd": kam(cn, "map", "huadong", "--quadrant").stdout}
        )
        assert out.returncode == 0, out.stdout
    svg = dot_render(tmp_path, dot)
    assert svg.returncode == 0 and "Warning" not in svg.stderr


def test_map_show_owner_and_contact(kam):
    for fmt in ("tree", "mermaid", "dot"):
        out = kam(REPO, "map", "nordtel", "--format", fmt, "--show", "owner,contact").stdout
        assert "owner li.ming" in out and "last contact 2026-11-03" in out
        assert "never contacted" in out
    # what --show adds is the person's own, so it comes before the influence arrow (after
    # it, "~> Anders Berg (last contact 2026-06-12)" read as Anders Berg's date)
    tree = kam(REPO, "map", "nordtel", "--show", "contact").stdout
    assert "attitude +1 (last contact 2026-06-12) ~> Anders Berg\n" in tree, tree
    bad = kam(REPO, "map", "nordtel", "--show", "phone")
    assert bad.exit_code == 2 and "owner, contact" in bad.stderr


def test_map_formats_come_from_the_registry(kam):
    from kamtool.report.registry import MAPS, PORTFOLIO

    assert MAPS.names() == ["tree", "mermaid", "dot"]
    r = kam(REPO, "map", "nordtel", "--format", "svg")
    assert r.exit_code == 2 and "tree, mermaid, dot" in r.stderr
    assert kam(REPO, "portfolio", "--format", "csv").exit_code == 2
    for name in PORTFOLIO.names():
        assert kam(REPO, "portfolio", "--format", name).exit_code == 0
    help_text = kam(REPO, "map", "--help").stdout
    assert "tree, mermaid or dot" in help_text


def test_deep_reporting_chain_draws_in_every_format(kam, tmp_path):
    people = ["stakeholders:"]
    for i in range(1000):
        people.append(f"  - id: p{i}\n    name: Person {i}\n    attitude: 1")
        if i:
            people.append(f"    reports_to: p{i - 1}")
    write_account(tmp_path, "deep", {"stakeholders.yaml": "\n".join(people) + "\n"})
    for args in (
        ["--format", "tree"],
        ["--format", "mermaid"],
        ["--format", "dot"],
        ["--quadrant"],
    ):
        r = kam(tmp_path, "map", "deep", *args)
        assert r.exit_code == 0, (args, r.stderr)
    piped = kam(tmp_path, "map", "deep", "--no-color").stdout
    assert "Person 999" in piped and max(len(x) for x in piped.splitlines()) > 3000  # not cut
    narrow = kam(tmp_path, "map", "deep", "--no-color", env={"COLUMNS": "80"}).stdout
    from rich.cells import cell_len

    assert "Person 999" in narrow and max(cell_len(x) for x in narrow.splitlines()) <= 80


# ---------------------------------------------------------------- 80 columns, CJK included
COMMANDS = [
    ["grade"],
    ["grade", "--explain"],
    ["stale"],
    ["portfolio"],
    ["check"],
    ["map", "{acct}"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
@pytest.mark.parametrize("where", ["repo", "cn"])
def test_no_line_wider_than_80_cells(kam, cn, args, where):
    from rich.cells import cell_len

    root, acct = (REPO, "nordtel") if where == "repo" else (cn, "huadong")
    args = [a.format(acct=acct) for a in args]
    r = kam(root, *args, "--no-color", env={"COLUMNS": "80"})
    assert r.stdout.strip(), r.stderr
    wide = [line for line in r.stdout.splitlines() if cell_len(line) > 80]
    assert not wide, "\n".join(wide)
    if where == "cn" and args[0] in ("grade", "check", "map"):
        assert re.search(r"[\u4e00-\u9fff]", r.stdout)  # the Chinese names are there


def test_grade_single_account_fits_80(kam, cn):
    from rich.cells import cell_len

    r = kam(cn, "grade", "accounts/huadong", "--no-color", env={"COLUMNS": "80"})
    assert "张伟" in r.stdout
    assert max(cell_len(x) for x in r.stdout.splitlines()) <= 80


def test_piped_output_is_not_wrapped(kam):
    r = kam(REPO, "check", "--no-color")
    assert any(len(x) > 120 for x in r.stdout.splitlines())  # one line per finding


# ---------------------------------------------------------------- grade markdown
def test_grade_markdown_heading_severity_and_worst_focus_first(kam):
    m = kam(REPO, "grade", "--format", "markdown").stdout
    assert m.startswith("## Account grades on 2026-11-24")
    rows = [ln for ln in m.splitlines() if ln.startswith("| ") and not ln.startswith("| account")]
    assert [r.split(" | ")[0][2:] for r in rows] == [
        "Nordtel Group (nordtel)",
        "Hansa Bank AG (hansa-bank)",
        "Kessler Ventiltechnik GmbH (kessler-valves)",
    ]
    assert rows[0].endswith("| warning |") and rows[1].endswith("| error |")


# ---------------------------------------------------------------- portfolio currencies
def _portfolio(tmp_path, config: str | None) -> None:
    write_account(
        tmp_path,
        "eur-one",
        {"account.yaml": CN_ACCOUNT.format(id="eur-one", revenue=1_000_000, currency="EUR")},
    )
    write_account(
        tmp_path,
        "nok-two",
        {"account.yaml": CN_ACCOUNT.format(id="nok-two", revenue=10_000_000, currency="NOK")},
    )
    if config is not None:
        (tmp_path / "kam.yaml").write_text(config)


def test_portfolio_never_adds_currencies(kam, tmp_path):
    _portfolio(tmp_path, "currency: EUR\n")
    s = kam(tmp_path, "portfolio", "--format", "json").json()
    assert s["currency"] == "EUR" and s["revenue_total"] == 1_000_000
    assert s["unconverted"] == [{"currency": "NOK", "revenue": 10_000_000, "accounts": ["nok-two"]}]
    assert s["focus_revenue_share"] == 1.0  # of what could be converted
    text = kam(tmp_path, "portfolio", "--no-color").stdout
    assert "11,000,000" not in text and "10,000,000 NOK (nok-two) has no rate to EUR" in text
    md = kam(tmp_path, "portfolio", "--format", "markdown").stdout
    assert "left out of the revenue and of every share" in md and "11,000,000" not in md


def test_portfolio_converts_with_rates(kam, tmp_path):
    _portfolio(tmp_path, "currency: EUR\nrates: {NOK: 0.085}\n")
    s = kam(tmp_path, "portfolio", "--format", "json").json()
    assert s["revenue_total"] == pytest.approx(1_850_000)
    assert s["unconverted"] == [] and s["rates_used"] == {"NOK": 0.085}
    assert "1 NOK = 0.085 EUR" in kam(tmp_path, "portfolio", "--no-color").stdout


def test_portfolio_without_base_currency_says_which(kam, tmp_path):
    _portfolio(tmp_path, None)
    s = kam(tmp_path, "portfolio", "--format", "json").json()
    assert s["currency"] == "EUR" and s["currency_source"] == "most"  # tie: alphabetical
    assert "the currency most accounts use" in kam(tmp_path, "portfolio", "--no-color").stdout


def test_bad_rate_is_a_config_error(kam, tmp_path):
    _portfolio(tmp_path, "currency: EUR\nrates: {NOK: -1}\n")
    r = kam(tmp_path, "portfolio")
    assert r.exit_code == 2 and "kam.yaml:2" in r.stderr


def test_portfolio_matrix_names_accounts_and_total(kam):
    md = kam(REPO, "portfolio", "--format", "markdown").stdout
    assert "Kessler Ventiltechnik GmbH (manual A)" in md and "(S) Nordtel Group" in md
    assert "| **total** | **3** |" in md and "score letters" in md
    s = kam(REPO, "portfolio", "--format", "json").json()
    assert s["total"]["accounts"] == 3
    assert [x["id"] for x in s["matrix"]["accounts"][4][1]] == ["kessler-valves"]


def test_tree_never_passes_control_characters(kam, tmp_path):
    people = 'stakeholders:\n  - {id: x, name: "Evil\\e[31m red\\u0007", roles: [D], attitude: 1}\n'
    write_account(tmp_path, "esc", {"stakeholders.yaml": people})
    # a control character made by an escape is refused where it is written (KAM001 at
    # the value), so it never reaches the tree nor any other output
    r = kam(tmp_path, "map", "esc", "--no-color")
    out = r.stdout + r.stderr
    assert "\x1b" not in out and "\x07" not in out and "KAM001" in out and r.exit_code == 1


def test_large_mermaid_map_runs_sideways(kam, tmp_path):
    people = ["stakeholders:"]
    for i in range(25):
        people.append(
            f"  - {{id: p{i}, name: P {i}, attitude: 1"
            + (f", reports_to: p{(i - 1) // 3}}}" if i else "}")
        )
    write_account(tmp_path, "big", {"stakeholders.yaml": "\n".join(people) + "\n"})
    mm = kam(tmp_path, "map", "big", "--format", "mermaid").stdout
    assert "\nflowchart LR\n" in mm and "direction TB" in mm
    assert "\nflowchart TD\n" in kam(REPO, "map", "nordtel", "--format", "mermaid").stdout


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_stale_table_at_80_columns_keeps_ids_whole(kam, lang):
    """At 80 columns `kam stale` broke person ids mid-word ('claudia-ri' / 'chter'): the
    table now first merges age and limit, then leaves out where each date came from,
    before any id would wrap. Every id of the JSON output appears whole on one line, the
    account's and the person's in the same row (rows are parted by a blank line)."""
    from rich.cells import cell_len

    args = ("stale", "--examples", "--no-color", "--lang", lang, "--today", "2026-11-30")
    text = kam(REPO, *args, env={"COLUMNS": "80"}).stdout
    rows = kam(REPO, *args, "--format", "json").json()["findings"]
    assert rows and max(cell_len(line) for line in text.splitlines()) <= 80
    blocks = [b.splitlines() for b in re.split(r"\n *\n", text)]
    for f in rows:
        person = f["data"].get("person")
        if person:
            assert any(
                any(f"({f['account']})" in line for line in b)
                and any(f"({person})" in line for line in b)
                for b in blocks
            ), person
    wide = kam(REPO, *args, env={"COLUMNS": "160"}).stdout
    assert "log.yaml:" in wide  # with room, where each date came from is shown


def test_stale_table_says_how_far_ahead_a_future_date_is(kam, tmp_path):
    """KAM206 (a contact date in the future) is in the freshness family `kam stale`
    lists; its age read '-151d' under 'Stale data'. It now says how far ahead it is."""
    from conftest import STAKEHOLDERS

    people = STAKEHOLDERS.replace("last_contact: 2026-11-20", "last_contact: 2027-04-24")
    write_account(tmp_path, "zukunft", {"stakeholders.yaml": people})
    env = {"COLUMNS": "120"}
    r = kam(tmp_path, "stale", "--no-color", "--today", "2026-11-24", env=env)
    (row,) = [line for line in r.stdout.splitlines() if "The Boss" in line]
    assert "in 151d" in row and "-151d" not in row
    r = kam(tmp_path, "stale", "--no-color", "--today", "2026-11-24", "--lang", "zh-CN", env=env)
    (row,) = [line for line in r.stdout.splitlines() if "The Boss" in line]
    assert "151 天后" in row and "-151" not in row
    assert "KAM201-KAM206" in kam(tmp_path, "stale", "--help").stdout


def test_percentages_round_down_one_way():
    """9 of 40 is 22.5%, 11 of 40 27.5%: Python's round gave 22% and 28%, two halves
    rounded two ways in one table. Every percentage is rounded down now (a share just
    short of a threshold never reads as reaching it: 79.6% is 79%), whole percentages
    that floating point stores a hair below (0.29 * 100) staying whole."""
    from kamtool.report.labels import percent

    assert [percent(9 / 40), percent(11 / 40), percent(0.225), percent(2 / 3)] == [22, 27, 22, 66]
    assert [percent(0), percent(1), percent(0.004), percent(0.796), percent(0.29)] == [
        0,
        100,
        0,
        79,
        29,
    ]


def test_value_shortfall_names_the_currency(kam, tmp_path):
    """A portfolio mixes currencies: '34,000,000' in NOK read as euros next to EUR
    accounts. The shortfall names the account's currency (else kam.yaml's)."""
    curve = "value_curve:\n  - {year: 2025, expected: 34000000, actual: 23800000}\n"
    acct = "id: {id}\nname: {id} AS\nowner: li.ming\nreviewed: 2026-10-01\nposition: 4\nvalue: 4\n"
    write_account(
        tmp_path,
        "fjord",
        {"account.yaml": acct.format(id="fjord") + "facts: {revenue: 1, currency: NOK}\n" + curve},
    )
    write_account(tmp_path, "acme", {"account.yaml": acct.format(id="acme") + curve})
    (tmp_path / "kam.yaml").write_text("currency: EUR\nrates: {NOK: 0.085}\n")
    text = kam(tmp_path, "portfolio", "--no-color", env={"COLUMNS": "200"}).stdout
    # each account by name and id, as in every other account list of kam
    fjord = "fjord AS (fjord): value curve 2025: actual 23,800,000 NOK is 70% of expected"
    assert fjord + " 34,000,000 NOK" in text
    acme = "acme AS (acme): value curve 2025: actual 23,800,000 EUR is 70% of expected"
    assert acme + " 34,000,000 EUR" in text


def test_portfolio_of_one_account_and_its_code_spans(kam, tmp_path):
    """'1 accounts;' for one account; and in Markdown a note's `rates` showed its
    backticks escaped (\\`rates\\`) instead of as code."""
    from markdown_it import MarkdownIt

    acct = "id: ost\nname: Ost AB\nowner: li.ming\nreviewed: 2026-10-01\nposition: 4\nvalue: 4\n"
    write_account(tmp_path, "ost", {"account.yaml": acct + "facts: {revenue: 5, currency: SEK}\n"})
    (tmp_path / "kam.yaml").write_text("currency: EUR\n")
    text = kam(tmp_path, "portfolio", "--no-color", env={"COLUMNS": "200"}).stdout
    assert "1 account; revenue" in text and "1 accounts" not in text
    md = kam(tmp_path, "portfolio", "--format", "markdown").stdout
    assert "\\`" not in md
    assert "<code>rates</code>" in MarkdownIt("commonmark").render(md)


def test_stale_owner_keeps_the_rows_that_handle_owns(kam, tmp_path):
    """Trial: on Monday each account manager wants their own stale dates, as `kam agenda
    --owner` and `kam grade --owner` give theirs; `kam stale --owner` was "No such
    option". It keeps the rows of the owner column (the person's relationship owner, else
    the account's), the accounts they own that do not load, and exits as the rows say."""
    people = STAKEHOLDERS.replace("last_contact: 2026-11-20", "last_contact: 2026-01-02")
    write_account(tmp_path, "acme", {"stakeholders.yaml": people})
    write_account(
        tmp_path,
        "globex",
        {
            "account.yaml": ACCOUNT.format(id="globex").replace("li.ming", "wang.fang"),
            "stakeholders.yaml": people.replace("owner: li.ming", "owner: wang.fang").replace(
                "backup: wang.fang", "backup: li.ming"
            ),
        },
    )
    write_account(
        tmp_path,
        "broken",
        {
            "account.yaml": ACCOUNT.format(id="broken").replace("li.ming", "wang.fang"),
            "stakeholders.yaml": "stakeholders: [\n",
        },
    )
    everyone = kam(tmp_path, "stale", "--format", "json").json()
    assert {f["account"] for f in everyone["findings"]} == {"acme", "globex", "broken"}
    mine = kam(tmp_path, "stale", "--owner", "li.ming", "--format", "json")
    assert mine.exit_code == 1
    rows = mine.json()["findings"]
    assert [(f["account"], f["code"]) for f in rows] == [("acme", "KAM201")]
    theirs = kam(tmp_path, "stale", "--owner", "wang.fang", "--format", "json").json()
    assert {f["account"] for f in theirs["findings"]} == {"globex", "broken"}
    table = kam(tmp_path, "stale", "--owner", "li.ming")
    assert "acme" in table.stdout and "globex" not in table.stdout + table.stderr
    typo = kam(tmp_path, "stale", "--owner", "li.mnig")
    assert typo.exit_code == 1
    assert "no account or stale row has 'li.mnig' as its owner; did you mean 'li.ming'?" in (
        typo.stderr
    )


def test_the_map_of_an_account_without_people_says_so(kam, tmp_path):
    """`kam map` of a new account printed its heading and the legend, nothing between: a
    map that seemed to fail. It says nobody is recorded yet, and where people go."""
    write_account(tmp_path, "taiyuan", {"stakeholders.yaml": "stakeholders: []\n"})
    r = kam(tmp_path, "map", "taiyuan")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[1] == (
        "nobody yet: add the people to stakeholders.yaml (or `kam import csv`)"
    )
    zh = kam(tmp_path, "map", "taiyuan", "--lang", "zh-CN")
    assert "还没有任何人" in zh.stdout
    # a diagram is still written (a page that includes it stays valid), and a note says why
    # it holds the legend alone
    for args in (["--format", "mermaid"], ["--format", "dot"], ["--quadrant"]):
        r = kam(tmp_path, "map", "taiyuan", *args)
        assert r.exit_code == 0 and r.stdout, args
        assert r.stderr == (
            "kam: note: nobody in post to draw: the people go in stakeholders.yaml\n"
        ), args
    # the plan says so where the stakeholder table and the two charts would be
    plan = kam(tmp_path, "plan", "taiyuan").stdout
    assert "Nobody recorded yet: the people go in stakeholders.yaml." in plan
    assert "```mermaid\n---\ntitle" not in plan and "quadrantChart" not in plan
    assert plan.count("Nobody in post to draw yet") == 2, plan


def test_stale_says_which_columns_a_narrow_terminal_left_out(kam):
    """At 80 columns `kam stale` drops the date and where it came from (the README lists
    both) without a word; a note names them. `--format table` is its text, as it is the
    name of grade's, agenda's and portfolio's."""
    narrow = kam(REPO, "stale", "--format", "table", env={"COLUMNS": "80"})
    assert narrow.exit_code == 1, narrow.stderr
    assert "Left out for the terminal's width: date, from (a wider terminal, or" in narrow.stdout
    wide = kam(REPO, "stale", env={"COLUMNS": "250"})
    assert "Left out" not in wide.stdout and " date " in wide.stdout
    zh = kam(REPO, "stale", "--lang", "zh-CN", env={"COLUMNS": "80"})
    assert "因终端宽度而省略" in zh.stdout
