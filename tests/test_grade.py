"""kam grade: tiers, scores and formats on the example accounts and small fixtures."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, REPO, dedent, write_account


def by_id(result):
    return {a["id"]: a for a in result.json()["accounts"]}


def test_examples_table(kam):
    r = kam(REPO, "grade", "--no-color")
    assert r.exit_code == 0, r.stdout
    for name in ("nordtel", "hansa-bank", "kessler-valves"):
        assert name in r.stdout
    assert "B / A" in r.stdout  # computed B, manual A for kessler-valves


def test_examples_json_scores_match_the_spec_formula(kam):
    """Expected values computed by hand from SPEC section 2 (see the arithmetic)."""
    r = kam(REPO, "grade", "--format", "json")
    assert r.exit_code == 0
    accts = by_id(r)
    # nordtel: key people anders(D,+1) zhang(D E,-1) erik(S C,+3) maria(E,?) petter(E,+2)
    #   DM 35*(4/6+2/6)/2=17.5; weighted 20*(3*4/6+3*2/6+2*1+0+2*5/6)/12=11.11;
    #   known 7*4/5=5.6; A/B 7*4/5=5.6; channels 6*3/5=3.6; coach 5;
    #   standing 0 (supporters at depth 2, CTO backer at depth 1); fresh 10*3/5=6 -> 54.41 -> 54 D
    n = accts["nordtel"]
    assert (n["tier"], n["computed_tier"], n["score"], n["letter"]) == ("S", "S", 54, "D")
    assert n["components"]["decision_makers"]["earned"] == 17.5
    assert n["components"]["competitive_standing"]["earned"] == 0
    assert n["decision_makers"] == {"supportive": 1, "total": 2}
    assert n["unknown_attitudes"] == 1
    # hansa-bank: claudia(D,+1) tobias(S E,+2) sabine(E,?) markus(E,0)
    #   DM 35*4/6=23.33; weighted 20*(3*4/6+2*5/6+0+2*3/6)/9=10.37; known 7*3/4=5.25;
    #   A/B 7*3/4=5.25; channels 6*2/4=3; coach 0; standing 10 (backer has no seniority);
    #   fresh (A is focus, 30d) 10*1/4=2.5 -> 59.70 -> 60 C
    h = accts["hansa-bank"]
    assert (h["tier"], h["score"], h["letter"]) == ("A", 60, "C")
    assert h["components"]["coach"]["earned"] == 0
    assert h["components"]["competitive_standing"]["earned"] == 10
    # kessler-valves: manual A over computed B; hans(D,+3) lena(S C,+2)
    #   35 + 20*(3*1+2*5/6)/5=18.67 + 7 + 7 + 6 + 5 + 10 + 10 -> 98.67 -> 99 A
    k = accts["kessler-valves"]
    assert (k["tier"], k["computed_tier"], k["tier_override"], k["score"], k["letter"]) == (
        "A",
        "B",
        "A",
        99,
        "A",
    )


def test_half_rounds_up(kam, tmp_path):
    """Two key people, attitudes +3 and '?': components chosen so the sum is exactly x.5."""
    write_account(
        tmp_path,
        "half",
        {
            "stakeholders.yaml": """
        stakeholders:
          - id: a
            name: A
            roles: [D]
            attitude: 0
            owner: x
            backup: y
            channels: [c1, c2]
            last_contact: 2026-11-20
    """
        },
    )
    # one key person, D, attitude 0: s=1/2. DM 17.5, weighted 10, known 7, A/B 7, channels 6,
    # coach 0, standing 10 (no backer), fresh 10 -> 67.5 -> 68
    r = kam(tmp_path, "grade", "--format", "json")
    assert by_id(r)["half"]["score"] == 68
    assert by_id(r)["half"]["letter"] == "C"


def test_no_key_people_scores_zero(kam, tmp_path):
    write_account(tmp_path, "empty", {"stakeholders.yaml": "stakeholders: []\n"})
    r = kam(tmp_path, "grade", "--format", "json")
    assert (by_id(r)["empty"]["score"], by_id(r)["empty"]["letter"]) == (0, "E")


FIVE_TIERS = """\
tiers:
  - {name: excellent,  label: Excellent,  position: 4, value: 5}
  - {name: strategic,  label: Strategic,  position: 4, value: 3}
  - {name: core,       label: Core,       position: 1, value: 4}
  - {name: value,      label: Value,      position: 2, value: 2}
  - {name: commercial, label: Commercial, position: 1, value: 1}
focus_tiers: [excellent, strategic, core]
"""


def test_five_tier_model_regrades_examples(kam, tmp_path):
    import shutil

    shutil.copytree(EXAMPLES, tmp_path / "accounts")
    # the example kessler-valves has a manual tier A, which the five-tier model does not know
    acct = tmp_path / "accounts" / "kessler-valves" / "account.yaml"
    text = acct.read_text().replace("tier: A\n", "")
    text = text.split("tier_reason:")[0] + "facts:" + text.split("facts:", 1)[1]
    acct.write_text(text)
    (tmp_path / "kam.yaml").write_text(FIVE_TIERS)
    r = kam(tmp_path, "grade", "--format", "json")
    assert r.exit_code == 0, r.stdout + r.stderr
    accts = by_id(r)
    # nordtel 5/4 -> strategic (excellent needs value 5); hansa 3/3 -> value (core needs value 4);
    # kessler 2/5 -> core (the "granary")
    assert accts["nordtel"]["tier"] == "strategic"
    assert accts["hansa-bank"]["tier"] == "value"
    assert accts["kessler-valves"]["tier"] == "core"
    # hansa is no longer a focus tier: last contacts judged against 90 days, not 30
    # claudia 96d (stale), tobias 14d, sabine none, markus 84d -> 2/4 fresh -> 5 points
    assert accts["hansa-bank"]["components"]["freshness"]["earned"] == 5
    assert accts["hansa-bank"]["focus"] is False


def test_three_tier_model(kam, tmp_path):
    write_account(
        tmp_path,
        "small",
        {
            "account.yaml": """
        id: small
        name: Small
        owner: a
        reviewed: 2026-10-01
        position: 2
        value: 2
    """
        },
    )
    (tmp_path / "kam.yaml").write_text(
        dedent("""
        tiers:
          - {name: strategic, position: 4, value: 4}
          - {name: value, position: 2, value: 2}
          - {name: commercial, position: 1, value: 1}
        focus_tiers: [strategic]
    """)
    )
    r = kam(tmp_path, "grade", "--format", "json")
    assert by_id(r)["small"]["tier"] == "value"


def test_csv_and_markdown(kam):
    r = kam(REPO, "grade", "--format", "csv")
    assert r.exit_code == 0
    # read by a program (here: captured), no byte-order mark; a file gets one (test_csv_bom)
    assert r.stdout.startswith("id,")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["id"]: row["score"] for row in rows} == {
        "hansa-bank": "60",
        "kessler-valves": "99",
        "nordtel": "54",
    }
    m = kam(REPO, "grade", "--format", "markdown", "--explain")
    # issue 17: the markdown opens with a heading and the date, then the table
    assert m.stdout.startswith("## Account grades on 2026-11-24\n")
    assert "\n| account | owner | tier |" in m.stdout
    assert "| Nordtel Group (nordtel) | li.ming | S | 54 | D | 1/2 |" in m.stdout
    assert "### nordtel: 54 (D)" in m.stdout


def test_explain_and_single_account_view(kam):
    r = kam(REPO, "grade", "accounts/nordtel", "--no-color")
    assert r.exit_code == 0
    assert "competitive standing" in r.stdout
    assert "zhang-wei" in r.stdout
    assert "position 5, value 4 → computed tier S" in r.stdout
    e = kam(REPO, "grade", "--explain", "--no-color")
    assert e.stdout.count("information channels") == 3


def test_today_changes_freshness(kam):
    early = by_id(kam(REPO, "grade", "--format", "json", "--today", "2026-11-19"))
    late = by_id(kam(REPO, "grade", "--format", "json", env={"KAM_TODAY": "2027-03-01"}))
    assert early["nordtel"]["components"]["freshness"]["earned"] == 8  # petter 30 days: still fresh
    assert late["nordtel"]["components"]["freshness"]["earned"] == 0


def test_bad_today_is_usage_error(kam):
    r = kam(REPO, "grade", "--today", "yesterday")
    assert r.exit_code == 2
    assert "YYYY-MM-DD" in r.stderr


def test_csv_neutralises_formulas(kam, tmp_path):
    write_account(
        tmp_path,
        "evil",
        {
            "account.yaml": """
        id: evil
        name: "=HYPERLINK(\\"http://x\\")"
        owner: a
        reviewed: 2026-10-01
        position: 2
        value: 2
    """
        },
    )
    r = kam(tmp_path, "grade", "--format", "csv")
    assert "'=HYPERLINK" in r.stdout


def test_json_is_valid_with_invalid_account(kam, tmp_path):
    write_account(tmp_path, "good")
    write_account(tmp_path, "bad", {"account.yaml": "id: bad\nname: [\n"})
    r = kam(tmp_path, "grade", "--format", "json")
    assert r.exit_code == 1
    accts = by_id(r)
    assert accts["good"]["score"] is not None
    assert accts["bad"]["valid"] is False and accts["bad"]["worst_finding"]["code"] == "KAM001"
    json.dumps(accts)


def test_parallel_run_gives_identical_results(kam, tmp_path):
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    generate(tmp_path, 60)
    one = kam(tmp_path, "check", "--format", "json", env={"KAM_JOBS": "1"})
    two = kam(tmp_path, "check", "--format", "json", env={"KAM_JOBS": "2"})
    assert one.stdout == two.stdout and one.exit_code == two.exit_code
    g1 = kam(tmp_path, "grade", "--format", "json", env={"KAM_JOBS": "1"}).stdout
    g2 = kam(tmp_path, "grade", "--format", "json", env={"KAM_JOBS": "2"}).stdout
    assert g1 == g2 and len(json.loads(g1)["accounts"]) == 60


def test_what_a_run_keeps_does_not_change_findings_or_grades(tmp_path):
    import sys

    from kamtool.core import run

    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    generate(tmp_path, 20)
    runs = {
        keep: run([tmp_path / "accounts"], today="2026-11-24", cwd=tmp_path, keep=keep)
        for keep in ("all", "grades", "findings")
    }
    findings = {k: [f.to_dict() for f in r.findings] for k, r in runs.items()}
    assert findings["all"] == findings["grades"] == findings["findings"] and findings["all"]
    scores = {
        k: [(a.id, a.grade.score, a.grade.letter) for a in r.accounts] for k, r in runs.items()
    }
    assert scores["all"] == scores["grades"] == scores["findings"]
    full, grades, lean = (runs[k].accounts[0] for k in ("all", "grades", "findings"))
    assert full.account.stakeholders and full.grade.components
    assert not grades.account.stakeholders and grades.account.profile and grades.grade.components
    assert lean.account.profile is None and not lean.grade.components


def _seniority_by_definition(people):
    """The reference: a person's depth is the number of steps up their reporting line to
    its head, when that head has reports; none for a line that loops or a lone person."""
    by_id = {p.id: p for p in people}
    has_reports = {p.reports_to for p in people if p.reports_to}
    out = {}
    for pid in by_id:
        steps, seen, node = 0, {pid}, by_id[pid]
        while node.reports_to is not None and node.reports_to in by_id:
            if node.reports_to in seen:
                break
            seen.add(node.reports_to)
            node, steps = by_id[node.reports_to], steps + 1
        else:
            if steps or pid in has_reports:
                out[pid] = steps
    return out


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 8), st.one_of(st.none(), st.integers(0, 9))), max_size=9))
def test_seniority_follows_its_definition(edges):
    from types import SimpleNamespace

    from kamtool.analyse.grading import seniority

    people = [
        SimpleNamespace(id=f"p{a}", reports_to=None if b is None else f"p{b}") for a, b in edges
    ]
    assert seniority(people) == _seniority_by_definition(people)


def test_progress_counts_every_account_once_whichever_way_the_run_goes(tmp_path):
    """The callback behind the progress bar: counts rise to the total, on one process or several."""
    import sys

    from kamtool.core import run

    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    generate(tmp_path, 60)
    for jobs in (1, 2):
        seen: list[tuple[int, int]] = []
        result = run(
            [tmp_path / "accounts"],
            today="2026-11-24",
            cwd=tmp_path,
            jobs=jobs,
            progress=lambda done, total, seen=seen: seen.append((done, total)),
        )
        assert len(result.accounts) == 60
        assert [t for _d, t in seen] == [60] * len(seen) and len(seen) == 3
        assert [d for d, _t in seen] == sorted(d for d, _t in seen) and seen[-1] == (60, 60)


def _owned_portfolio(root):
    """Four accounts of three owners (one Chinese name, one long one), one of them
    broken in its stakeholders, one whose account.yaml does not load at all."""
    owners = {
        "beta": ("Beta Werkzeugmaschinen Aktiengesellschaft", "zhao.lei"),
        "gamma": ("华东精密机械有限公司", "zhao.lei"),
        "delta": ("Delta Ltd", "maria.ortiz"),
        "omega": ("Omega SpA", "zhao.lei"),
    }
    for account_id, (name, owner) in owners.items():
        write_account(
            root,
            account_id,
            {
                "account.yaml": f"id: {account_id}\nname: {name}\nowner: {owner}\n"
                "reviewed: 2026-10-01\nposition: 4\nvalue: 4\n"
            },
        )
    (root / "accounts" / "omega" / "stakeholders.yaml").write_text("stakeholders: [\n")
    write_account(root, "lost", {"account.yaml": "id: lost\nname: [\n"})


def test_owner_keeps_that_owners_accounts_in_every_format(kam, tmp_path):
    _owned_portfolio(tmp_path)
    r = kam(tmp_path, "grade", "--owner", "zhao.lei", "--format", "json")
    accounts = by_id(r)
    # the broken stakeholders of omega and the unreadable lost are still a failure (exit
    # 1); lost, whose owner cannot be read, stays in every owner's report
    assert r.exit_code == 1
    assert set(accounts) == {"beta", "gamma", "omega", "lost"}
    assert {a["owner"] for a in accounts.values()} == {"zhao.lei", None}
    assert "lost" in r.stderr and "omega" in r.stderr
    rows = list(
        csv.DictReader(
            io.StringIO(
                kam(tmp_path, "grade", "--owner", "maria.ortiz", "-f", "csv", "--no-bom").stdout
            )
        )
    )
    # the account that cannot be read first, as in the table
    assert [(row["id"], row["owner"]) for row in rows] == [("lost", ""), ("delta", "maria.ortiz")]
    m = kam(tmp_path, "grade", "--owner", "zhao.lei", "-f", "markdown").stdout
    assert "| 华东精密机械有限公司 (gamma) | zhao.lei | S |" in m
    assert "| Omega SpA (omega) | zhao.lei | - |" in m
    assert "delta" not in m
    everyone = by_id(kam(tmp_path, "grade", "-f", "json"))
    assert everyone["delta"]["owner"] == "maria.ortiz" and everyone["lost"]["owner"] is None


def test_unknown_owner_is_one_line_with_a_did_you_mean(kam, tmp_path):
    _owned_portfolio(tmp_path)
    r = kam(tmp_path, "grade", "--owner", "zhao.li")
    assert r.exit_code == 1 and r.stdout == ""
    assert (
        r.stderr == "kam: error: no account has 'zhao.li' as its owner; did you mean 'zhao.lei'?\n"
    )
    far = kam(tmp_path, "grade", "--owner", "nobody-at-all")
    assert far.exit_code == 1
    assert far.stderr == "kam: error: no account has 'nobody-at-all' as its owner\n"
    zh = kam(tmp_path, "--lang", "zh-CN", "grade", "--owner", "maria.ortis")
    assert zh.exit_code == 1 and "“maria.ortiz”" in zh.stderr and "责任人" in zh.stderr


def test_table_names_each_account_and_its_owner_within_the_terminal(kam, tmp_path):
    from rich.cells import cell_len

    _owned_portfolio(tmp_path)
    for lang in ("en", "zh-CN"):
        r = kam(tmp_path, "--lang", lang, "grade", "--no-color", env={"COLUMNS": "80"})
        lines = r.stdout.splitlines()
        assert all(cell_len(line) <= 80 for line in lines), r.stdout
        text = " ".join(r.stdout.split())
        # names wrap between words; ids are never cut in the middle
        for account_id in ("beta", "gamma", "delta", "omega"):
            assert f"({account_id})" in text, r.stdout
        assert "maria.ortiz" in r.stdout and "zhao.lei" in r.stdout
    wide = kam(tmp_path, "grade", "--no-color", env={"COLUMNS": "200"}).stdout
    assert "│ Delta Ltd (delta) " in wide and "│ maria.ortiz │" in wide


def _named_accounts(root, names: dict[str, tuple[str, str]]) -> None:
    """Accounts id -> (name, owner), each of one key person, tier S."""
    for account_id, (name, owner) in names.items():
        write_account(
            root,
            account_id,
            {
                "account.yaml": f"id: {account_id}\nname: {name}\nowner: {owner}\n"
                "reviewed: 2026-10-01\nposition: 4\nvalue: 4\n"
            },
        )


def test_narrow_table_keeps_long_ids_whole_at_80_columns(kam, tmp_path):
    """Trial defect: at 80 columns the English table broke "(changjiang-shipping)" and
    "(nordlicht-logistics)" in the middle, one cell short. The narrow table drops its
    blank edge cells and puts "DMs +/all" on two lines, and the names get those cells."""
    from rich.cells import cell_len

    names = {
        "changjiang-shipping": ("长江航运集团", "zhao.lei"),
        "nordlicht-logistics": ("Nordlicht Logistik GmbH", "anna.berg"),
        "huaxin-bank": ("华信银行股份有限公司", "zhao.lei"),
    }
    _named_accounts(tmp_path, names)
    for lang in ("en", "zh-CN"):
        r = kam(tmp_path, "--lang", lang, "grade", "--no-color", env={"COLUMNS": "80"})
        lines = r.stdout.splitlines()
        assert all(cell_len(line) <= 80 for line in lines), r.stdout
        for account_id in names:
            assert any(f"({account_id})" in line for line in lines), r.stdout
        # no blank edge cell before the names
        assert any(line.startswith("(changjiang-shipping)") for line in lines), r.stdout
    header = kam(tmp_path, "grade", "--no-color", env={"COLUMNS": "80"}).stdout
    assert "DMs +/all" not in header and "+/all" in header
    wide = kam(tmp_path, "grade", "--no-color", env={"COLUMNS": "200"}).stdout
    assert "DMs +/all" in wide


def test_colour_table_colours_the_letter_not_the_score(tmp_path, monkeypatch):
    """A terminal gets colours (kam checks it is a tty, so the reporter is called here on
    a real run): the letter cell is coloured, the score beside it stays plain."""
    import re

    from kamtool import i18n
    from kamtool.core import run
    from kamtool.report.grades import TableGrades

    _owned_portfolio(tmp_path)
    monkeypatch.chdir(tmp_path)
    i18n.reset()  # an earlier test's --lang zh-CN is not this run's
    result = run([], today="2026-11-24", keep="grades")
    text = TableGrades().render(result, color=True, width=200)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert "Delta Ltd (delta)" in plain and "maria.ortiz" in plain
    coloured = re.findall(r"\x1b\[[0-9;]*m([^\x1b]*)\x1b\[0m", text)
    delta = next(a for a in result.accounts if a.id == "delta").grade
    assert delta is not None and delta.letter in coloured
    assert str(delta.score) not in coloured


def test_narrow_table_keeps_ids_whole_as_the_stale_table_does(kam, tmp_path):
    """Trial defect: at 80 columns the English table cut "(changjiang-shipping-group)"
    and "(vereinigte-stahlwerke-ruhr)" in the middle, where the stale table of the same
    accounts kept them whole. The grade table now chooses its form as the stale table
    does (report.term.keeping_ids_whole): each name over its id, then the score and its
    letter in one column, then the ids alone."""
    import re

    from rich.cells import cell_len

    from kamtool.core import run
    from kamtool.report.grades import TableGrades

    names = {
        "schwarzwald-praezision": (
            "Schwarzwald Präzisionsmaschinenbau GmbH & Co. KG",
            "k.lindqvist",
        ),
        "changjiang-shipping-group": ("长江航运集团控股有限公司", "zhao.lei"),
        "nordlicht-logistics": ("Nordlicht Logistik GmbH", "anna.berg"),
        "vereinigte-stahlwerke-ruhr": ("Vereinigte Stahlwerke Ruhr AG", "maria.ortiz"),
    }
    _named_accounts(tmp_path, names)
    for lang in ("en", "zh-CN"):
        r = kam(tmp_path, "--lang", lang, "grade", "--no-color", env={"COLUMNS": "80"})
        lines = r.stdout.splitlines()
        assert all(cell_len(line) <= 80 for line in lines), r.stdout
        for account_id, (_name, owner) in names.items():
            assert any(f"({account_id})" in line for line in lines), r.stdout
            assert owner in r.stdout
    english = kam(tmp_path, "grade", "--no-color", env={"COLUMNS": "80"}).stdout
    grades = {a["id"]: a for a in kam(tmp_path, "grade", "--format", "json").json()["accounts"]}
    nord = grades["nordlicht-logistics"]
    # score and letter share a column
    assert re.search(rf"  {nord['score']} {nord['letter']}  ", english), english
    # in colour the letter alone is coloured, in the shared column too
    result = run([str(tmp_path / "accounts")], today="2026-11-24", keep="grades")
    text = TableGrades().render(result, color=True, width=80)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert "(changjiang-shipping-group)" in plain
    coloured = re.findall(r"\x1b\[[0-9;]*m([^\x1b]*)\x1b\[0m", text)
    assert nord["letter"] in coloured
    assert not any(str(nord["score"]) in c for c in coloured), coloured


def test_one_account_heading_wraps_with_an_indent(kam, tmp_path):
    """The heading of one account's grade wrapped flush left at 80 columns, so its
    second line ("attitudes 1; stale 2") read as a line of its own."""
    args = ("grade", "nordtel", "--examples", "--today", "2026-11-24")
    lines = kam(tmp_path, *args, env={"COLUMNS": "60"}).stdout.splitlines()
    score = next(i for i, line in enumerate(lines) if line.startswith("score "))
    assert lines[score + 1].startswith("  ") and lines[score + 1].strip(), lines[:6]
    assert all(len(line) <= 60 for line in lines[: score + 2])
