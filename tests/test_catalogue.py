"""The catalogue, the rules that emit its codes, their trigger tests, the README's rule table,
`kam rules` and the SARIF rule list are tied together: each test fails when one of them is
out of step with the others."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import re
from pathlib import Path

import pytest

from conftest import REPO, write_account
from golden_util import GOLDEN

TESTS = Path(__file__).parent


def test_every_rule_is_documented():
    from kamtool.catalogue import RULES

    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names)), "two rules share a name"
    for code, r in RULES.items():
        assert re.fullmatch(r"KAM\d{3}", code)
        assert r.code == code
        assert r.summary and r.hint, code
        assert r.finds and r.why and r.fix, f"{code}: the docstring needs Finds:, Why: and Fix:"
        assert "(method " in r.why or r.family == "structural", f"{code}: say why from the method"


def test_every_code_is_emitted_by_its_declared_rule():
    """Each analysis code is declared by exactly one registered rule function; each loader
    code appears in the loader's source."""
    from kamtool.analyse.rules import all_rules
    from kamtool.catalogue import RULES, STRUCTURAL
    from kamtool.load import accounts

    checks = all_rules()
    by_code = {fn.code: fn for fn in checks}
    assert len(by_code) == len(checks), "a code is declared by two functions"
    loader = inspect.getsource(accounts)
    for code, r in RULES.items():
        if code in STRUCTURAL:
            assert f'"{code}"' in loader, f"{code} is declared for the loader but never emitted"
            continue
        fn = by_code.get(code)
        assert fn is not None, f"{code} has no rule function"
        assert r.emitter == f"{fn.__module__}.{fn.__qualname__}"
        assert f'"{code}"' in inspect.getsource(fn), f"{fn.__name__} never emits {code}"
    assert set(by_code) | STRUCTURAL == set(RULES)


def _positioned_codes() -> set[str]:
    """Codes some test asserts at a line and column: ("KAM117", 16, 18) or a CASES entry of
    test_rules ("KAM101", {...}, (5, 15), ...)."""
    found: set[str] = set()
    for path in TESTS.glob("test_*.py"):
        text = path.read_text(encoding="utf-8")
        found.update(re.findall(r'"(KAM\d{3})",\s*\d+,\s*\d+\)', text))
    import test_rules

    found.update(case.values[0] for case in test_rules.CASES)
    return found


def test_every_code_has_a_trigger_test():
    from kamtool.catalogue import RULES

    missing = sorted(set(RULES) - _positioned_codes())
    assert not missing, f"no test triggers these at a line and column: {missing}"


def _cases() -> list[tuple[str, dict[str, str]]]:
    import test_rules

    # each case is a pytest.param(code, files, problem, fixed)
    return [
        (c.values[0], {"account.yaml": test_rules.ACCOUNT, **c.values[1]}) for c in test_rules.CASES
    ]


@pytest.mark.parametrize("code, files", _cases(), ids=[c[0] for c in _cases()])
def test_rule_functions_emit_only_their_code(tmp_path, code, files):
    """Run each rule function on its own over a trigger case: it yields its code only."""
    import test_rules
    from kamtool.analyse.grading import grade
    from kamtool.analyse.rules import Context, all_rules
    from kamtool.load.accounts import load_account
    from kamtool.load.config import Config

    folder = write_account(tmp_path, "t", {"stakeholders.yaml": test_rules.BOSS, **files})
    config = Config()
    today = dt.date(2026, 11, 24)
    acct = load_account(folder, config)
    assert acct.valid, acct.findings
    ctx = Context.of(acct, config, today, grade(acct, today, config))
    emitted = set()
    for fn in all_rules():
        got = {f.code for f in fn(acct, ctx)}
        assert got <= {fn.code}, f"{fn.__name__} emitted {got - {fn.code}}"
        emitted |= got
    assert code in emitted


def test_readme_rule_table_is_current():
    """Regenerate with: python -m kamtool.catalogue README.md"""
    from kamtool.catalogue import update_readme

    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert update_readme(text) == text, (
        "the README's rule table is out of date: run `python -m kamtool.catalogue README.md`"
    )


def test_readme_generator_rewrites_only_the_table(tmp_path):
    from kamtool.catalogue import README_END, README_START, main

    readme = tmp_path / "README.md"
    readme.write_text(f"# Intro\n\n{README_START}\nold table\n{README_END}\n\nThe end.\n")
    assert main([str(readme)]) == 0
    text = readme.read_text()
    assert text.startswith("# Intro\n\n") and text.endswith("\n\nThe end.\n")
    assert "old table" not in text and "| KAM309 | info |" in text
    readme.write_text("no markers")
    with pytest.raises(ValueError):
        main([str(readme)])


def test_sarif_rule_list_is_the_catalogue():
    from kamtool.catalogue import RULES

    sarif = json.loads((GOLDEN / "check.sarif").read_text(encoding="utf-8"))
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    assert [r["name"] for r in rules] == [r.name for r in RULES.values()]


def test_kam_rules_lists_the_catalogue_with_configured_severity(kam, tmp_path):
    from kamtool.catalogue import RULES

    (tmp_path / "kam.yaml").write_text("rules:\n  KAM108: off\n  KAM116: warning\n")
    r = kam(tmp_path, "rules", "--format", "json")
    assert r.exit_code == 0
    got = {x["code"]: x for x in r.json()["rules"]}
    assert list(got) == list(RULES)
    assert got["KAM108"]["severity"] == "off" and got["KAM108"]["default_severity"] == "info"
    assert got["KAM116"]["severity"] == "warning"
    assert got["KAM201"]["default_severity"] == "by threshold"
    table = kam(tmp_path, "rules").stdout
    assert all(code in table for code in RULES)
    md = kam(tmp_path, "rules", "--format", "markdown").stdout
    assert "| KAM108 | info | off |" in md


def test_kam_rules_one_rule_in_full(kam, tmp_path):
    from kamtool.catalogue import RULES

    r = kam(tmp_path, "rules", "kam117")
    assert r.exit_code == 0
    rule = RULES["KAM117"]
    flat = " ".join(r.stdout.split())
    for part in (
        "What it finds",
        "Why it matters",
        "How to fix it",
        rule.finds,
        rule.why,
        rule.fix,
    ):
        assert " ".join(part.split()) in flat
    assert r.stdout.startswith("KAM117 hidden-chain-opposed: ")
    md = kam(tmp_path, "rules", "KAM117", "--format", "markdown").stdout
    assert md.startswith("## KAM117 hidden-chain-opposed\n")


def test_kam_rules_unknown_code(kam, tmp_path):
    r = kam(tmp_path, "rules", "KAM11")
    assert r.exit_code == 1
    assert "no rule 'KAM11'; did you mean" in r.stderr
    assert kam(tmp_path, "rules", "--format", "xml").exit_code == 2


def test_readme_rule_example_is_the_real_code():
    """The contributor section shows KAM118 as it is in the code, not a sketch."""
    from kamtool.analyse.rules.relationships import gatekeeper

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### Adding a rule", 1)[1]
    shown = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert shown == inspect.getsource(gatekeeper)


def test_kam_rules_table_shows_configured_only_when_set(kam, tmp_path):
    plain = kam(tmp_path, "rules").stdout
    assert "configured" not in plain.splitlines()[2]
    (tmp_path / "kam.yaml").write_text("rules:\n  KAM108: off\n")
    lines = kam(tmp_path, "rules").stdout.splitlines()
    assert "configured" in lines[2]
    assert any("KAM108" in line and " off " in line for line in lines)


def test_format_names_in_the_help_are_the_reporter_tables():
    """The CLI's --format help comes from registry.FORMAT_NAMES (no reporter imported at
    start-up); each entry must name exactly the formats its reporter table has."""
    from kamtool.report.agenda import AGENDA
    from kamtool.report.diff import DIFFS
    from kamtool.report.findings import FINDINGS
    from kamtool.report.grades import GRADES
    from kamtool.report.history import HISTORIES
    from kamtool.report.importing import IMPORT_FORMATS
    from kamtool.report.registry import FORMAT_NAMES
    from kamtool.report.rules import RULES_FORMATS
    from kamtool.report.whitespace import WHITESPACE

    tables = {
        "findings": FINDINGS,
        "grades": GRADES,
        "diff": DIFFS,
        "history": HISTORIES,
        "agenda": AGENDA,
        "rules": RULES_FORMATS,
        "whitespace": WHITESPACE,
        "import": IMPORT_FORMATS,
    }
    assert set(FORMAT_NAMES) == set(tables)
    for kind, table in tables.items():
        assert FORMAT_NAMES[kind] == tuple(table), kind


def test_every_format_option_help_names_the_formats_kam_accepts(kam, tmp_path):
    from kamtool.report.registry import FORMAT_NAMES, choices

    for command, kind in [
        ("validate", "findings"),
        ("check", "findings"),
        ("stale", "findings"),
        ("grade", "grades"),
        ("diff", "diff"),
        ("history", "history"),
        ("agenda", "agenda"),
        ("rules", "rules"),
        ("whitespace", "whitespace"),
    ]:
        text = " ".join(kam(tmp_path, command, "--help").stdout.split())
        assert choices(FORMAT_NAMES[kind]) in text.replace("│", " ").replace("  ", " "), command


CONFIGURED = """\
tiers:
  - {name: Gold, position: 4, value: 4}
  - {name: Rest, position: 1, value: 1}
focus_tiers: [Gold]
freshness:
  last_contact:
    focus: {warn_after: 2w, error_after: 1m}
    other: {warn_after: 45d, error_after: 100d}
  stakeholder_reviewed: {warn_after: 10d, error_after: 20d}
  account_reviewed: {warn_after: 1y, error_after: 500d}
  sponsor_touch: {warn_after: 40d, error_after: 70d}
new_in_post_days: 30
planning: {deadline: 02-29}
team_roles: [relationship-lead, sceptic]
max_file_size: 123456
"""

#: what `kam rules CODE` must say under the kam.yaml above
IN_FORCE = {
    "KAM001": "Files over 123,456 bytes are refused.",
    "KAM110": "Applies to focus tiers Gold.",
    "KAM111": "New in post: in post for 30 days or fewer.",
    "KAM113": "Applies to focus tiers Gold.",
    "KAM116": "Applies to focus tiers Gold; the roles a team should cover: "
    "relationship-lead, sceptic.",
    "KAM201": "Focus tiers Gold: warn after 14 days, error after 30 days; "
    "other tiers: warn after 45 days, error after 100 days.",
    "KAM202": "Warn after 10 days, error after 20 days.",
    "KAM203": "Warn after 365 days, error after 500 days.",
    "KAM205": "Focus tiers Gold: warn after 40 days, error after 70 days.",
    "KAM306": "Applies to focus tiers Gold; the plan for year Y is due by 02-29 of Y.",
    "KAM307": "Applies to focus tiers Gold.",
}


@pytest.mark.parametrize("code", sorted(IN_FORCE))
def test_kam_rules_code_states_the_settings_in_force(kam, tmp_path, code):
    """The documentation gives kam's defaults (the README's table is generated from it);
    `kam rules CODE` adds the values of the kam.yaml in use, in every format."""
    repo, plain = tmp_path / "configured", tmp_path / "plain"
    repo.mkdir()
    plain.mkdir()
    (repo / "kam.yaml").write_text(CONFIGURED)
    expected = IN_FORCE[code]
    text = kam(repo, "rules", code)
    assert text.exit_code == 0, text.stderr
    flat = " ".join(text.stdout.split())
    assert f"In this repository (kam.yaml) {expected}" in flat
    md = kam(repo, "rules", code, "--format", "markdown").stdout
    assert f"**In this repository (kam.yaml):** {expected}" in md
    got = kam(repo, "rules", code, "--format", "json").json()["rules"][0]
    assert got["in_force"][:1].upper() + got["in_force"][1:] + "." == expected
    # without a kam.yaml the same sentence gives the defaults
    default = kam(plain, "rules", code, "--format", "json").json()["rules"][0]["in_force"]
    assert default and default != got["in_force"]


def test_default_settings_are_what_the_documentation_says(kam, tmp_path):
    flat = " ".join(kam(tmp_path, "rules", "KAM201").stdout.split())
    assert "focus tiers 30 and 60 days, other tiers 90 and 180" in flat  # the docstring
    assert (
        "Focus tiers S, A: warn after 30 days, error after 60 days; other tiers: warn after "
        "90 days, error after 180 days." in flat
    )
    assert "In this repository" not in kam(tmp_path, "rules", "KAM117").stdout
    assert (
        kam(tmp_path, "rules", "KAM117", "--format", "json").json()["rules"][0]["in_force"] is None
    )
    # the README's table stays the defaults, whatever kam.yaml says
    from kamtool.catalogue import readme_table

    assert "In this repository" not in readme_table()


def test_every_rule_that_reads_kam_yaml_states_its_settings():
    """A rule whose code reads the configuration (ctx.config, or ctx.focus: the focus
    tiers) must say the values in force: `kam rules CODE` would otherwise print only the
    defaults of its documentation."""
    from kamtool.catalogue import RULES
    from kamtool.rule import CHECKS

    # read kam.yaml only for words in the message: the offerings' names, the currency
    names_only = {"KAM309", "KAM304"}
    for fn in CHECKS:
        source = inspect.getsource(fn)
        reads = ("ctx.config" in source or "ctx.focus" in source) and fn.code not in names_only
        assert (RULES[fn.code].settings is not None) == reads, fn.code
