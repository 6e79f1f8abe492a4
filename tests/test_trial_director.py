"""A sales director's trial: an unhealthy portfolio of 37 accounts (four that do not load,
many stale, revenue in USD, EUR, BRL and KES, tiers A/B/C of kam.yaml), read through kam
grade, kam portfolio, kam map and kam plan, and new accounts made with kam init.

Each test is a defect that trial found: the grade table in folder order with no total;
tier shares that added up to 99%; 79.6% shown as 80%; shortfalls ranked in mixed
currencies; revenue without a rate silent in the tier table; a 25-person Graphviz map
many pages wide; no way to see only the decision chains; a CSV formula guard that spaces
before the sign got past; `kam init 0042` writing a number; a value-curve year given
twice passed; two people of one name indistinguishable in the score's inputs; `usd`
refused in kam.yaml but taken in account.yaml; a schema that let a manual tier go
without its reason; a blank offering name, an empty column heading."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess

import jsonschema
import pytest

from conftest import dedent, write_account

CONFIG = """\
tiers:
  - {name: A, label: Anchor, position: 4, value: 4}
  - {name: B, label: Builder, position: 2, value: 3}
  - {name: C, label: Casual, position: 1, value: 1}
focus_tiers: [A]
currency: USD
rates: {BRL: 0.2, EUR: 1.08, INR: 0.012}
"""

#: 33 customers that load, eleven a tier; no word is part of another (ids found in text)
WORDS = [
    "ipanema",
    "kaveri",
    "tsavo",
    "lisboa",
    "mombasa",
    "ohio",
    "recife",
    "nagpur",
    "durban",
    "quito",
    "salta",
    "ranchi",
    "kumasi",
    "belem",
    "pune",
    "gobabis",
    "arusha",
    "natal",
    "jaipur",
    "kisumu",
    "cusco",
    "mendoza",
    "surat",
    "tabora",
    "manaus",
    "goa",
    "lobito",
    "tete",
    "cuenca",
    "oruro",
    "vitoria",
    "bhuj",
    "kitwe",
]
#: (position, value) of each tier
TIER_AXES = {"A": (4, 4), "B": (2, 3), "C": (1, 1)}


def _people(n: int, attitudes: list[str], stale: bool) -> str:
    contact = "2026-03-01" if stale else "2026-11-10"
    out = ["stakeholders:"]
    for i in range(n):
        manager = f"\n    reports_to: p{(i - 1) // 3}" if i else ""
        out.append(
            f"""  - id: p{i}
    name: Person {i}{manager}
    roles: [{"D" if i < 2 else "E"}]
    attitude: {attitudes[i % len(attitudes)]}
    owner: rosa.lima
    backup: dev.patel
    channels: [email, visits]
    last_contact: {contact}
    reviewed: {contact}"""
        )
    return "\n".join(out) + "\n"


def _account(word: str, tier: str, revenue: str, currency: str, people: str) -> dict[str, str]:
    position, value = TIER_AXES[tier]
    return {
        "account.yaml": f"""\
            id: {word}
            name: {word.title()} Holdings
            owner: rosa.lima
            reviewed: 2026-06-01
            position: {position}
            value: {value}
            facts: {{revenue: {revenue}, currency: {currency}}}
            """,
        "stakeholders.yaml": people,
    }


def portfolio(root):
    """The director's 37 accounts: per tier ten converted to 100,000 USD each (USD, EUR
    1.08 x 92,592.59..., BRL 0.2 x 500,000) and one in KES, which has no rate; scores
    spread by attitudes; every third account stale; four accounts that do not load."""
    (root / "kam.yaml").write_text(CONFIG, encoding="utf-8")
    moneys = [("100000", "USD"), ("500000", "BRL"), ("100000", "USD")]
    attitudes = [["3", "2", "1"], ["1", "-1", '"?"'], ["2", "0"], ["-2", '"?"', "1"]]
    for i, word in enumerate(WORDS):
        tier = "ABC"[i % 3]
        revenue, currency = moneys[i % len(moneys)]
        if i // 3 == 10:  # the eleventh of each tier
            revenue, currency = "1000000", "KES"
        people = _people(4 + i % 5, attitudes[i % len(attitudes)], stale=i % 3 == 1)
        write_account(root, word, _account(word, tier, revenue, currency, people))
    write_account(root, "broken-syntax", {"account.yaml": "id: broken-syntax\nname: [Oops\n"})
    folder = write_account(root, "no-profile")
    (folder / "account.yaml").unlink()
    write_account(
        root, "blank-name", {"account.yaml": "id: blank-name\nname: '   '\nowner: rosa.lima\n"}
    )
    lowercase = _account("lower-usd", "B", "5", "usd", _people(3, ["1"], False))
    write_account(root, "lower-usd", lowercase)
    return root


BROKEN = ["blank-name", "broken-syntax", "lower-usd", "no-profile"]


def _grades(kam, root):
    r = kam(root, "grade", "--format", "json")
    assert r.exit_code == 1  # four accounts do not load
    return {a["id"]: a for a in r.json()["accounts"]}


def _expected_order(grades):
    rank = {"A": 0, "B": 1, "C": 2}
    broken = sorted(i for i, a in grades.items() if not a["valid"])
    graded = sorted(
        (i for i, a in grades.items() if a["valid"]),
        key=lambda i: (rank[grades[i]["tier"]], grades[i]["score"], i),
    )
    return broken + graded


def test_grade_table_puts_broken_accounts_first_then_tier_then_score_and_totals(kam, tmp_path):
    """The table listed the accounts in folder order: a broken account among the
    graded, tier A next to C. It now lists the accounts that did not load first, then by
    tier (kam.yaml's order) and score (lowest first), and ends with the total: how many
    accounts, how many did not load, how many of each letter."""
    root = portfolio(tmp_path)
    grades = _grades(kam, root)
    assert sorted(i for i, a in grades.items() if not a["valid"]) == BROKEN
    expected = _expected_order(grades)
    scores = {a["score"] for a in grades.values() if a["tier"] == "A"}
    assert len(scores) > 2  # the order within a tier is by score, not by chance

    r = kam(root, "grade", env={"COLUMNS": "250"})
    assert r.exit_code == 1
    body = r.stdout.split("total:")[0]
    found = sorted(expected, key=lambda i: body.index(f"{i}"))
    assert found == expected
    letters = {x: sum(1 for a in grades.values() if a["letter"] == x) for x in "ABCDE"}
    total = ", ".join(f"{n} {x}" for x, n in letters.items())
    assert f"total: 37 accounts, 4 could not be read; letters {total}" in r.stdout
    doc = kam(root, "grade", "--format", "json").json()
    assert doc["total"] == {"accounts": 37, "not_loaded": 4, "letters": letters}

    md = kam(root, "grade", "--format", "markdown").stdout
    assert md.index("blank-name") < md.index("Ipanema Holdings")
    assert f"total: 37 accounts, 4 could not be read; letters {total}" in md
    rows = list(csv.reader(io.StringIO(kam(root, "grade", "--format", "csv").stdout)))
    assert [row[0] for row in rows[1:]] == expected


def test_one_loaded_account_total_has_no_broken_part(kam, tmp_path):
    write_account(tmp_path, "kaveri")
    write_account(tmp_path, "tsavo")
    r = kam(tmp_path, "grade")
    assert r.exit_code == 0
    assert "total: 2 accounts; letters " in r.stdout and "could not be read" not in r.stdout


def _portfolio_json(kam, root):
    r = kam(root, "portfolio", "--format", "json")
    assert r.exit_code == 1
    return r.json()


def test_tier_shares_add_up_to_100_by_largest_remainder(kam, tmp_path):
    """Three tiers of eleven accounts and equal revenue: each a third, 33% three times,
    99% in all. The shares now add up to 100 (34, 33, 33: the extra point to the largest
    remainder), in JSON as whole `*_percent` fields beside the exact shares."""
    s = _portfolio_json(kam, portfolio(tmp_path))
    tiers = s["tiers"]
    assert [t["accounts"] for t in tiers] == [11, 11, 11]
    assert sum(t["account_percent"] for t in tiers) == 100 == s["total"]["account_percent"]
    assert sorted(t["account_percent"] for t in tiers) == [33, 33, 34]
    assert sum(t["revenue_percent"] for t in tiers) == 100 == s["total"]["revenue_percent"]
    assert [round(t["revenue"]) for t in tiers] == [1_000_000] * 3
    # the focus tier's share is rounded down: 33.3% is 33%, the headline's figure
    assert tiers[0]["revenue_percent"] == s["focus_revenue_percent"] == 33
    table = kam(tmp_path, "portfolio", env={"COLUMNS": "200"}).stdout
    assert "hold 33% of the revenue that could be converted" in table
    # 11 of 33 accounts: the first tier takes the point left (ties to the earlier)
    assert re.search(r"A Anchor \(focus\) .* 34% .* 33% ", table)
    assert re.search(r"B Builder .* 33% .* 34% ", table)
    assert re.search(r"total .* 100% .* 100% ", table)


def test_unconverted_revenue_is_reported_per_tier(kam, tmp_path):
    """1,000,000 KES in each tier has no rate: the tier table said nothing of it (only a
    note under the headline, for the whole portfolio). Each tier now shows what it holds
    that could not be converted, in the table and in JSON."""
    root = portfolio(tmp_path)
    s = _portfolio_json(kam, root)
    assert [t["unconverted"] for t in s["tiers"]] == [{"KES": 1_000_000.0}] * 3
    assert s["total"]["unconverted"] == {"KES": 3_000_000.0}
    table = kam(root, "portfolio", env={"COLUMNS": "200"}).stdout
    assert "converted" in table
    assert len(re.findall(r"│ 1,000,000 KES │", table)) == 3
    assert "│ 3,000,000 KES │" in table
    md = kam(root, "portfolio", "--format", "markdown").stdout
    assert "| not converted |" in md and md.count("| 1,000,000 KES |") == 3


def _curve_account(root, word, currency, expected, actual, position=1, value=1):
    write_account(
        root,
        word,
        {
            "account.yaml": f"""\
                id: {word}
                name: {word.title()} Ltda
                owner: rosa.lima
                reviewed: 2026-06-01
                position: {position}
                value: {value}
                facts: {{revenue: {actual}, currency: {currency}}}
                value_curve:
                  - {{year: 2025, expected: {expected}, actual: {actual}}}
                """
        },
    )


def test_shortfalls_are_ranked_by_the_revenue_missing_in_the_base_currency(kam, tmp_path):
    """The shortfalls came in folder order, each in its own currency: 50,000,000 INR
    missing looked like the worst, though it is 600,000 USD. They are now ranked by the
    revenue missing in the base currency, each line saying it; a gap in a currency with no
    rate cannot be ranked and comes last, saying so."""
    (tmp_path / "kam.yaml").write_text(CONFIG, encoding="utf-8")
    _curve_account(tmp_path, "kaveri", "INR", 100_000_000, 50_000_000)  # 600,000 USD
    _curve_account(tmp_path, "lisboa", "EUR", 2_000_000, 1_000_000)  # 1,080,000 USD
    _curve_account(tmp_path, "mombasa", "KES", 900_000_000, 100)  # no rate
    _curve_account(tmp_path, "ohio", "USD", 800_000, 500_000)  # 300,000 USD
    r = kam(tmp_path, "portfolio", "--format", "json")
    assert r.exit_code == 0
    shortfalls = r.json()["shortfalls"]
    assert [x["account"] for x in shortfalls] == ["lisboa", "kaveri", "ohio", "mombasa"]
    assert [x["missing_base"] for x in shortfalls] == [1_080_000.0, 600_000.0, 300_000.0, None]
    assert shortfalls[3]["missing"] == 899_999_900.0 and shortfalls[3]["currency"] == "KES"
    text = kam(tmp_path, "portfolio", env={"COLUMNS": "200"}).stdout
    assert "Value-curve shortfalls, largest gap first (revenue missing in USD):" in text
    lines = [line for line in text.splitlines() if "value curve 2025" in line]
    assert [line.split()[0] for line in lines] == ["Lisboa", "Kaveri", "Ohio", "Mombasa"]
    assert lines[0].endswith("of expected 2,000,000 EUR (missing 1,080,000 USD)")
    assert lines[3].endswith("(missing 899,999,900 KES, no rate to USD)")
    md = kam(tmp_path, "portfolio", "--format", "markdown").stdout.split("## Value-curve")[1]
    assert "Largest gap first, by the revenue missing in USD." in md
    assert md.index("Lisboa Ltda") < md.index("Kaveri Ltda") < md.index("Mombasa Ltda")


def test_a_share_just_short_of_a_threshold_is_shown_rounded_down(kam, tmp_path):
    """79.6% of the expected revenue was "80% of expected" beside a warning that it is
    below 80%; 79.6% of the revenue in the focus tier read "80%" in a headline that says
    below 80%. Both are rounded down now: 79%, in the finding, the plan, the portfolio."""
    (tmp_path / "kam.yaml").write_text(CONFIG, encoding="utf-8")
    _curve_account(tmp_path, "quito", "USD", 1000, 796, position=4, value=4)  # tier A
    _curve_account(tmp_path, "salta", "USD", 204, 204)  # tier C: 20.4% of the revenue
    check = kam(tmp_path, "check", "--format", "json")
    messages = [f["message"] for f in check.json()["findings"] if f["code"] == "KAM304"]
    assert messages == ["value curve 2025: actual 796 USD is 79% of expected 1,000 USD"]
    plan = kam(tmp_path, "plan", "quito")
    assert "| 2025 | 1,000 | 796 | 79% |" in plan.stdout.replace("**", "")
    s = kam(tmp_path, "portfolio", "--format", "json").json()
    assert s["focus_revenue_percent"] == 79 and s["focus_revenue_share"] == 0.796
    # the tier rows add up to 100 and the focus row is the headline's 79, not 80
    assert [t["revenue_percent"] for t in s["tiers"]] == [79, 0, 21]
    text = kam(tmp_path, "portfolio").stdout
    assert "hold 79% of revenue (below the 80%" in " ".join(text.split())
    assert "80%" not in text.replace("the 80%", "")


def test_dot_map_runs_left_to_right_above_twenty_people(kam, tmp_path):
    """A map of 25 people drawn top to bottom put a manager's reports in one row pages
    wide. Above 20 people in post the Graphviz map runs left to right; at 20 it stays top
    to bottom. Both render with Graphviz."""
    write_account(tmp_path, "tsavo", {"stakeholders.yaml": _people(25, ["1", "2"], False)})
    write_account(tmp_path, "ohio", {"stakeholders.yaml": _people(20, ["1", "2"], False)})
    wide = kam(tmp_path, "map", "tsavo", "--format", "dot")
    small = kam(tmp_path, "map", "ohio", "--format", "dot")
    assert wide.exit_code == 0 == small.exit_code
    assert "rankdir=LR;" in wide.stdout and "rankdir=TB;" not in wide.stdout
    assert "rankdir=TB;" in small.stdout
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz is not installed")
    for text in (wide.stdout, small.stdout):
        png = subprocess.run([dot, "-Tpng"], input=text.encode(), capture_output=True)
        assert png.returncode == 0 and png.stdout[:8] == b"\x89PNG\r\n\x1a\n", png.stderr


CHAIN_PEOPLE = """\
stakeholders:
  - {id: ceo, name: Chidi Okafor, roles: [D], attitude: 1, owner: rosa.lima}
  - {id: cfo, name: Beatriz Nunes, reports_to: ceo, attitude: "?"}
  - {id: buyer, name: Ama Owusu, reports_to: cfo, attitude: 2, owner: dev.patel}
  - {id: cto, name: Ravi Menon, reports_to: ceo, attitude: "?"}
  - {id: engineer, name: Lena Vogt, reports_to: cto, attitude: "?"}
  - {id: chair, name: Kwame Asante, attitude: 1, owner: rosa.lima}
  - {id: md, name: Sofia Reis, reports_to: chair, roles: [D], attitude: "?"}
  - {id: ops, name: Tunde Bello, reports_to: md, attitude: "?"}
  - {id: logged, name: Nia Mwangi, reports_to: ops, attitude: 1}
  - {id: outside, name: Yaw Boateng, attitude: 2, owner: dev.patel}
  - {id: gone, name: Ines Faro, reports_to: ceo, attitude: 2, owner: rosa.lima, left_on: 2026-05-01}
"""
CHAIN_LOG = """\
entries:
  - {date: 2026-11-02, with: [logged], by: [rosa.lima], kind: call}
"""


def test_map_chain_shows_only_the_lines_from_decision_makers_to_our_contacts(kam, tmp_path):
    """`kam map --chain`: the decision makers, our contacts (an owner, or a last contact:
    the log counts) in their reporting lines, below or above them, and everyone between.
    The CTO and the engineer (no contact of ours), a contact in no decision maker's line
    and a person who left are left out, and a note on stderr counts them."""
    write_account(tmp_path, "recife", {"stakeholders.yaml": CHAIN_PEOPLE, "log.yaml": CHAIN_LOG})
    whole = kam(tmp_path, "map", "recife", "--format", "mermaid")
    r = kam(tmp_path, "map", "recife", "--chain", "--format", "mermaid")
    assert whole.exit_code == 0 == r.exit_code
    for name in ("Ravi Menon", "Lena Vogt", "Yaw Boateng", "Ines Faro"):
        assert name in whole.stdout and name not in r.stdout
    kept = ("Chidi Okafor", "Beatriz Nunes", "Ama Owusu", "Kwame Asante", "Sofia Reis")
    for name in (*kept, "Tunde Bello", "Nia Mwangi"):
        assert name in r.stdout
    assert "--chain left out 4 people outside the reporting lines" in r.stderr
    tree = kam(tmp_path, "map", "recife", "--chain")
    assert "Ama Owusu" in tree.stdout and "Lena Vogt" not in tree.stdout


def test_map_chain_keeps_a_decision_maker_nobody_reaches(kam, tmp_path):
    people = dedent(
        """
        stakeholders:
          - {id: owner-ceo, name: Dara Singh, roles: [D], attitude: "?"}
          - {id: clerk, name: Femi Ade, reports_to: owner-ceo, attitude: "?"}
        """
    )
    write_account(tmp_path, "nagpur", {"stakeholders.yaml": people})
    r = kam(tmp_path, "map", "nagpur", "--chain")
    assert r.exit_code == 0
    assert "Dara Singh" in r.stdout and "Femi Ade" not in r.stdout


def test_csv_formula_guard_catches_spaces_before_the_sign(kam, tmp_path):
    """Both CSV outputs go through one guard: a cell whose text starts with = + - @
    (spaces before it too, which spreadsheets skip) is led by an apostrophe. The
    whitespace grid's CSV had no guard at all."""
    (tmp_path / "kam.yaml").write_text(
        "offerings:\n  - {id: pumps, name: Pumps}\n", encoding="utf-8"
    )
    write_account(
        tmp_path,
        "durban",
        {
            "account.yaml": """\
                id: durban
                name: "=HYPERLINK(\\"http://x\\")"
                owner: "  +rosa"
                reviewed: 2026-06-01
                position: 2
                value: 2
                competitors:
                  - {name: "@Rival"}
                footprint:
                  - {unit: plant, offering: pumps, status: competitor, competitor: "@Rival"}
                """,
            "org.yaml": """\
                units:
                  - {id: plant, name: "-Plant 1", buying_center: true}
                """,
        },
    )
    grades = list(csv.reader(io.StringIO(kam(tmp_path, "grade", "--format", "csv").stdout)))
    row = dict(zip(grades[0], grades[1], strict=True))
    assert row["name"] == '\'=HYPERLINK("http://x")' and row["owner"] == "'+rosa"
    ws = list(csv.reader(io.StringIO(kam(tmp_path, "whitespace", "--format", "csv").stdout)))
    row = dict(zip(ws[0], ws[1], strict=True))
    assert row["unit_name"] == "'-Plant 1" and row["competitor"] == "'@Rival"


def test_init_quotes_an_all_digit_id(kam, tmp_path):
    """`kam init 0042` wrote `id: 0042`, which YAML reads as the number 42: the new
    account failed its first `kam validate`. The id is quoted."""
    r = kam(tmp_path, "init", "0042", "--name", "Account 42")
    assert r.exit_code == 0, r.stdout + r.stderr
    text = (tmp_path / "accounts" / "0042" / "account.yaml").read_text(encoding="utf-8")
    assert '\nid: "0042"\n' in text
    v = kam(tmp_path, "validate", "0042")
    assert v.exit_code == 0, v.stdout + v.stderr


def test_a_value_curve_year_given_twice_is_a_duplicate(kam, tmp_path):
    """Two entries for 2026 on the value curve passed: which one is the plan? KAM004,
    at the second, naming the line of the first."""
    write_account(
        tmp_path,
        "pune",
        {
            "account.yaml": """\
                id: pune
                name: Pune Castings
                owner: rosa.lima
                reviewed: 2026-06-01
                position: 2
                value: 2
                value_curve:
                  - {year: 2026, expected: 100}
                  - {year: 2027, expected: 120}
                  - {year: 2026, expected: 90}
                """
        },
    )
    r = kam(tmp_path, "check", "--format", "json")
    dup = [f for f in r.json()["findings"] if f["code"] == "KAM004"]
    assert [(f["line"], f["message"]) for f in dup] == [
        (10, "value curve year 2026 is given twice (first on line 8)")
    ]
    assert r.exit_code == 1


def test_score_inputs_name_namesakes_by_id(kam, tmp_path):
    """Two decision makers called Maria Silva: the score's inputs read "mean support of
    Maria Silva (+2), Maria Silva (-1)", nobody could tell who is who. Namesakes are
    named with their ids; a name nobody shares stays as it is."""
    people = dedent(
        """
        stakeholders:
          - {id: maria-silva-cfo, name: Maria Silva, roles: [D], attitude: 2, owner: rosa.lima}
          - {id: maria-silva-ops, name: maria  silva, roles: [D, C], attitude: -1}
          - {id: joao, name: Joao Costa, roles: [C], attitude: 1, reports_to: maria-silva-cfo}
        """
    )
    write_account(tmp_path, "belem", {"stakeholders.yaml": people})
    r = kam(tmp_path, "grade", "belem", "--format", "json", "--explain")
    comps = r.json()["accounts"][0]["components"]
    assert comps["decision_makers"]["detail"] == (
        "mean support of Maria Silva (maria-silva-cfo) (+2), maria silva (maria-silva-ops) (-1)"
    )
    assert comps["coach"]["detail"] == "coach: maria silva (maria-silva-ops), Joao Costa"


@pytest.mark.parametrize(
    ("where", "text", "shown"),
    [
        ("account", "facts: {revenue: 5, currency: usd}", "facts.currency"),
        ("config", "currency: usd", "currency"),
    ],
)
def test_a_lowercase_currency_is_refused_alike_everywhere(kam, tmp_path, where, text, shown):
    """`currency: usd` was refused in kam.yaml (did you mean 'USD'?) but taken in
    account.yaml, where it stayed "usd" in every shortfall line. Both refuse it, in the
    same words, and the schema says the same."""
    account = dedent(
        """
        id: gobabis
        name: Gobabis Meat
        owner: rosa.lima
        reviewed: 2026-06-01
        position: 2
        value: 2
        """
    )
    if where == "account":
        account += text + "\n"
    else:
        (tmp_path / "kam.yaml").write_text(text + "\n", encoding="utf-8")
    write_account(tmp_path, "gobabis", {"account.yaml": account})
    r = kam(tmp_path, "validate")
    out = " ".join((r.stdout + r.stderr).split())
    assert r.exit_code in (1, 2)
    assert (
        f"KAM002 {shown}: must be a three-letter currency code in capitals, such as EUR or "
        "JPY; got 'usd' (did you mean 'USD'?)"
    ) in out
    schema = json.loads(kam(tmp_path, "schema").stdout)["account"]
    assert schema["$defs"]["Facts"]["properties"]["currency"]["anyOf"][0]["pattern"] == (
        "^[A-Z]{3}$"
    )


TIERED = """\
id: arusha
name: Arusha Coffee
owner: rosa.lima
reviewed: 2026-06-01
position: 2
value: 2
"""


@pytest.mark.parametrize(
    ("extra", "valid"),
    [
        ("", True),
        ("tier: S\n", False),
        ("tier: S\ntier_reason: '  '\n", False),
        ("tier: S\ntier_reason:\n", False),
        ("tier:\n", True),
        ("tier: S\ntier_reason: the board's pick\n", True),
    ],
)
def test_schema_and_kam_agree_that_a_manual_tier_needs_its_reason(kam, tmp_path, extra, valid):
    """kam refused `tier` without a `tier_reason` (KAM002); the published schema took
    it, so an editor showed no error where kam validate failed. Both refuse it now, a
    blank reason too."""
    from kamtool.load.yamlread import parse

    text = TIERED + extra
    write_account(tmp_path, "arusha", {"account.yaml": text})
    r = kam(tmp_path, "validate")
    assert (r.exit_code == 0) is valid, r.stdout
    schema = json.loads(kam(tmp_path, "schema").stdout)["account"]
    # as an editor reads the file: dates are YAML text (JSON Schema has no date type)
    data = json.loads(json.dumps(parse(text.encode()).data, default=str))
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(data))
    assert (not errors) is valid, errors


def test_blank_names_are_findings_not_empty_headings(kam, tmp_path):
    """A name of spaces alone: an account is refused (KAM002, its id shown where its
    name would be, never an empty heading), and so is an offering of kam.yaml, whose
    name was an empty column heading of the whitespace grid."""
    root = portfolio(tmp_path)
    r = kam(root, "grade", env={"COLUMNS": "250"})
    found = "accounts/blank-name/account.yaml:2:7: KAM002 name: must not be empty"
    assert found in r.stdout + r.stderr
    assert re.search(r"│ blank-name +│ -", r.stdout)
    plan = kam(root, "plan", "blank-name")
    assert plan.exit_code == 1 and "has errors" in plan.stderr
    (root / "kam.yaml").write_text(
        CONFIG + "offerings:\n  - {id: pumps, name: '  '}\n", encoding="utf-8"
    )
    ws = kam(root, "whitespace")
    assert ws.exit_code == 2
    assert "KAM002 offerings #1 (pumps).name: must not be empty" in ws.stdout + ws.stderr


def test_maps_and_plan_name_namesakes_by_id(kam, tmp_path):
    """The same two Maria Silvas were two boxes "Maria Silva" in every map, two rows of
    the plan's stakeholder table, "~> Maria Silva" in the tree and "Not placed: Maria
    Silva, Maria Silva" under the quadrant. Every drawing and table of one account names
    them as the score's inputs do."""
    people = dedent(
        """
        stakeholders:
          - {id: maria-silva-cfo, name: Maria Silva, roles: [D], attitude: 2, owner: rosa.lima}
          - id: maria-silva-ops
            name: Maria Silva
            roles: [D]
            attitude: -1
            reports_to: maria-silva-cfo
            influences: [maria-silva-cfo]
          - {id: joao, name: Joao Costa, roles: [E], attitude: 1, reports_to: maria-silva-cfo}
        """
    )
    write_account(tmp_path, "belem", {"stakeholders.yaml": people})
    cfo, ops = "Maria Silva (maria-silva-cfo)", "Maria Silva (maria-silva-ops)"
    tree = kam(tmp_path, "map", "belem").stdout
    assert f"└── {cfo} [D] attitude +2" in tree
    assert f"{ops} [D] attitude -1 ~> {cfo}" in tree and "Joao Costa [E]" in tree
    for fmt in ("mermaid", "dot"):
        out = kam(tmp_path, "map", "belem", "--format", fmt).stdout
        assert cfo in out and ops in out and "Joao Costa" in out
    quadrant = kam(tmp_path, "map", "belem", "--quadrant", "--format", "markdown").stdout
    assert f"Not placed (attitude or intimacy unknown): {cfo}, {ops}, Joao Costa." in quadrant
    plan = kam(tmp_path, "plan", "belem").stdout
    assert f"| {cfo} |" in plan and f"| {ops} |" in plan and "| Joao Costa |" in plan


def test_unconverted_revenue_per_tier_at_80_columns(kam, tmp_path):
    """At 80 columns the tiers table has no room for the column of revenue not
    converted: it stays a table, and each tier's unconverted revenue follows it."""
    root = portfolio(tmp_path)
    out = kam(root, "portfolio", env={"COLUMNS": "80"}).stdout
    assert "┃ tier " in out  # still a table, not a record a tier
    assert all(len(line) <= 80 for line in out.splitlines())
    text = " ".join(out.split())
    assert (
        "Not converted, per tier (left out of the shares): A Anchor (focus): 1,000,000 KES; "
        "B Builder: 1,000,000 KES; C Casual: 1,000,000 KES."
    ) in text


def test_plan_value_curve_in_the_portfolio_currency_when_the_account_names_none(kam, tmp_path):
    """KAM304 gave an account without `facts.currency` the portfolio's (kam.yaml
    `currency`): "actual 796 USD"; the plan's value curve beside it named no currency at
    all. Both say USD now."""
    (tmp_path / "kam.yaml").write_text("currency: USD\n", encoding="utf-8")
    write_account(
        tmp_path,
        "tete",
        {
            "account.yaml": """\
                id: tete
                name: Tete Coal
                owner: rosa.lima
                reviewed: 2026-06-01
                position: 2
                value: 2
                value_curve:
                  - {year: 2025, expected: 1000, actual: 796}
                """
        },
    )
    plan = kam(tmp_path, "plan", "tete").stdout
    assert "| year | expected (USD) | actual | actual / expected |" in plan
    assert "actual 796 USD is 79% of expected 1,000 USD" in plan


def test_init_refuses_a_blank_name(kam, tmp_path):
    """`kam init brisa --name "   "` named the customer "brisa" (its id, not even "Brisa"
    as without --name) without a word. A name of spaces is refused, nothing written."""
    r = kam(tmp_path, "init", "brisa", "--name", "   ")
    assert r.exit_code == 2
    assert "--name '   ' is blank: give the customer's name, or leave --name out" in r.stderr
    assert not (tmp_path / "accounts" / "brisa").exists()
    assert kam(tmp_path, "init", "brisa").exit_code == 0
    assert "\nname: Brisa\n" in (tmp_path / "accounts/brisa/account.yaml").read_text("utf-8")


def test_narrow_grade_table_still_ends_with_the_total(kam, tmp_path):
    """At 80 columns the worst findings move under the table; the total line is still
    the last line of the grades, in the table's order."""
    root = portfolio(tmp_path)
    out = kam(root, "grade", env={"COLUMNS": "80"}).stdout
    lines = out.rstrip("\n").splitlines()
    assert lines[-1].startswith("total: 37 accounts, 4 could not be read; letters ")
    assert "Worst finding of each account:" in out
    below = out.split("Worst finding of each account:")[1]
    assert below.index("blank-name:") < below.index("ipanema:")


def test_agenda_names_namesakes_by_id(kam, tmp_path):
    """Two overdue Maria Silvas were two agenda lines "Contact Maria Silva (belem)"."""
    people = dedent(
        """
        stakeholders:
          - {id: maria-silva-cfo, name: Maria Silva, roles: [D], attitude: 2, owner: rosa.lima, last_contact: 2026-01-05}
          - {id: maria-silva-ops, name: Maria Silva, roles: [D], attitude: 1, owner: rosa.lima, last_contact: 2026-02-05}
        """
    )
    write_account(tmp_path, "belem", {"stakeholders.yaml": people})
    titles = [i["title"] for i in kam(tmp_path, "agenda", "--format", "json").json()["items"]]
    assert "Contact Maria Silva (maria-silva-cfo)" in titles
    assert "Contact Maria Silva (maria-silva-ops)" in titles
