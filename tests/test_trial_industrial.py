"""Defects found setting kam up from nothing for a team of six key account managers at an
industrial company (steel, machinery, a 61-person CRM import, a Chinese account, a
deliberately broken account), each through the real CLI on files built here."""

from __future__ import annotations

from conftest import dedent, findings_of, write_account

BROKEN_PROFILE = """\
id: broken
name: Broken Co
owner: k.meyer
reviewed: 2026-13-01
position: "4"
value: high
"""

CYCLE_AND_DUPLICATE = """\
stakeholders:
  - id: a-one
    name: A One
    reports_to: b-two
    attitude: 2
  - id: b-two
    name: B Two
    reports_to: a-one
    attitude: 1
  - id: a-one
    name: A One Again
    attitude: 1
"""


def test_a_broken_account_yaml_hides_no_cycle_or_duplicate_in_stakeholders(kam, tmp_path):
    """A bad date and two wrong types in account.yaml made kam skip every check of
    stakeholders.yaml: the reporting cycle and the duplicate id surfaced only after
    account.yaml was fixed, a second round of fixing (SPEC 7: every problem in one pass)."""
    write_account(
        tmp_path,
        "broken",
        {"account.yaml": BROKEN_PROFILE, "stakeholders.yaml": CYCLE_AND_DUPLICATE},
    )
    r = kam(tmp_path, "validate", "--format", "json")
    assert r.exit_code == 1
    got = findings_of(r)
    assert ("KAM002", 4, 11) in got  # the bad date
    assert ("KAM005", 4, 17) in got  # a-one -> b-two -> a-one
    assert ("KAM004", 10, 9) in got  # a-one twice
    # the same in the text a person reads
    text = kam(tmp_path, "validate").stdout
    assert "cycle in reporting lines: a-one -> b-two -> a-one" in text
    assert "duplicate stakeholder id 'a-one'" in text


def test_references_into_an_unreadable_file_are_not_reported_as_broken(kam, tmp_path):
    """One unknown key in org.yaml gave six false errors "unit 'rolling' does not exist:
    there is no org.yaml", one for each person and footprint cell naming a unit, and one
    unreadable competitor entry gave "competitor ... is not in account.yaml competitors
    (none listed)" for everyone backing it: the one real error was buried."""
    account = dedent(
        """
        id: steel
        name: Steel AG
        owner: j.weber
        reviewed: 2026-10-01
        position: 3
        value: 3
        competitors:
          - {name: Voltron Drives, notes: cheaper, strong in service}
        footprint:
          - {unit: rolling, offering: drives, status: competitor, competitor: Voltron Drives}
        """
    )
    people = dedent(
        """
        stakeholders:
          - id: petra
            name: Petra Vogel
            unit: rolling
            attitude: -1
            competitor: Voltron Drives
          - id: tobias
            name: Tobias Brandt
            unit: nowhere
            reports_to: petra
            attitude: 1
        """
    )
    org = "units:\n  - {id: rolling, name: Rolling Mill}\nextra: 1\n"
    write_account(
        tmp_path, "steel", {"account.yaml": account, "stakeholders.yaml": people, "org.yaml": org}
    )
    r = kam(tmp_path, "validate", "--format", "json")
    assert r.exit_code == 1
    found = r.json()["findings"]
    codes = sorted((f["path"].rsplit("/", 1)[1], f["code"]) for f in found)
    # the two real errors: the competitor entry's stray comma, org.yaml's unknown key
    assert codes == [("account.yaml", "KAM002"), ("org.yaml", "KAM002")], found
    # once org.yaml reads, a unit that really is missing is reported again
    (tmp_path / "accounts" / "steel" / "org.yaml").write_text(
        "units:\n  - {id: rolling, name: Rolling Mill}\n", encoding="utf-8"
    )
    r = kam(tmp_path, "validate", "--format", "json")
    messages = [f["message"] for f in r.json()["findings"] if f["code"] == "KAM003"]
    assert messages == ["unit 'nowhere' does not exist: org.yaml has no such unit"]


def _with_revenue(account_id: str, revenue: int | None, position: int, value: int) -> str:
    facts = f"facts:\n  revenue: {revenue}\n  currency: EUR\n" if revenue is not None else ""
    return (
        f"id: {account_id}\nname: {account_id.title()} AG\nowner: s.fischer\n"
        f"reviewed: 2026-10-01\nposition: {position}\nvalue: {value}\n{facts}"
    )


def test_portfolio_says_whose_revenue_is_missing_from_the_shares(kam, tmp_path):
    """Two of four accounts had no revenue yet (a fresh CRM import, a small customer), and
    the portfolio said "Focus tiers hold 100% of revenue (the 80/20 rule holds)" with no
    word that half the accounts counted as 0."""
    write_account(tmp_path, "steel", {"account.yaml": _with_revenue("steel", 4200000, 4, 4)})
    write_account(tmp_path, "pumps", {"account.yaml": _with_revenue("pumps", None, 4, 3)})
    write_account(tmp_path, "tiny", {"account.yaml": _with_revenue("tiny", None, 1, 1)})
    r = kam(tmp_path, "portfolio")
    assert r.exit_code == 0, r.stderr
    text = " ".join(r.stdout.split())
    assert "hold 100% of the revenue recorded" in text
    assert (
        "No revenue recorded for 2 accounts (pumps, tiny): they count as 0 in the revenue "
        "and in every share" in text
    )
    md = " ".join(kam(tmp_path, "portfolio", "--format", "markdown").stdout.split())
    assert "No revenue recorded for 2 accounts (pumps, tiny)" in md
    assert kam(tmp_path, "portfolio", "--format", "json").json()["no_revenue"] == ["pumps", "tiny"]
    zh = " ".join(kam(tmp_path, "portfolio", "--lang", "zh-CN").stdout.split())
    assert "pumps、tiny" in zh and "No revenue" not in zh
    # every account with its revenue: no note, and the headline as before
    write_account(tmp_path, "pumps", {"account.yaml": _with_revenue("pumps", 900000, 4, 3)})
    write_account(tmp_path, "tiny", {"account.yaml": _with_revenue("tiny", 10000, 1, 1)})
    text = " ".join(kam(tmp_path, "portfolio").stdout.split())
    assert "No revenue recorded" not in text and "of revenue (" in text


def test_ci_files_install_a_pinned_kam_not_a_pypi_name():
    """The ready-made CI files ran `pip install kamtool`, but kam is not on PyPI: a team
    copying them got "No matching distribution" (or whatever someone else published under
    the name). Every install line of docs/ci and of the README's CI examples installs one
    commit from git, as the pre-commit section pins one."""
    import re
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    texts = [p.read_text(encoding="utf-8") for p in sorted((repo / "docs" / "ci").glob("*.yml"))]
    texts.append((repo / "README.md").read_text(encoding="utf-8"))
    steps = [line.strip() for text in texts for line in text.splitlines()]
    installs = [line for line in steps if line.startswith(("- run: pip install", "- pip install"))]
    ci_installs = [line for line in installs if "kamtool" in line]
    assert len(ci_installs) >= 4, installs
    pinned = re.compile(r'pip install (-q )?"kamtool @ git\+https://\S+@[0-9a-f]{40}"$')
    for line in ci_installs:
        assert pinned.search(line.strip()), line


def test_schema_help_names_the_draft_it_writes(kam, tmp_path):
    """`kam schema --help` said "draft 2020-12" while it writes draft 4 schemas (as the
    README explains: only there can `attitude: 2.0` be refused)."""
    import json

    help_text = " ".join(kam(tmp_path, "schema", "--help").stdout.split())
    assert "draft 4" in help_text and "2020-12" not in help_text
    schemas = json.loads(kam(tmp_path, "schema").stdout)
    assert {s["$schema"] for s in schemas.values()} == {"http://json-schema.org/draft-04/schema#"}
    zh = " ".join(kam(tmp_path, "schema", "--help", "--lang", "zh-CN").stdout.split())
    assert "draft 4" in zh and "2020-12" not in zh


def test_init_shows_what_an_entry_of_targets_yaml_holds_and_each_example_validates(kam, tmp_path):
    """`kam init` wrote `targets: []` and three more empty lists with no word on what an
    entry holds: the first target written by hand lacked `kind`, and the schema error did
    not say what kind takes. Each list now has one commented entry above it, with the
    values its keys take; uncommented, every example is a valid entry."""
    r = kam(tmp_path, "init", "pumpen-ag", "--owner", "s.fischer")
    assert r.exit_code == 0, r.stderr
    path = tmp_path / "accounts" / "pumpen-ag" / "targets.yaml"
    text = path.read_text(encoding="utf-8")
    assert "kind: beachhead | share | profit | competition | relationship" in text
    assert "status: planned | doing | done | dropped" in text
    lines = text.splitlines()
    filled = []
    for i, line in enumerate(lines):
        if line.endswith(": []") and not line.startswith("#"):
            example = next(x for x in reversed(lines[:i]) if x.startswith("# - {"))
            filled += [line[: -len(" []")], "  " + example[2:]]
        else:
            filled.append(line)
    path.write_text("\n".join(filled) + "\n", encoding="utf-8")
    r = kam(tmp_path, "validate", "pumpen-ag")
    assert r.exit_code == 0, r.stdout + r.stderr
    data = kam(tmp_path, "check", "pumpen-ag", "--format", "json").json()
    assert not [f for f in data["findings"] if f["code"] <= "KAM006"]
    # the explanations are in the output language; the keys and values stay data
    r = kam(tmp_path, "init", "huaxin", "--owner", "li.na", "--lang", "zh-CN")
    zh = (tmp_path / "accounts" / "huaxin" / "targets.yaml").read_text(encoding="utf-8")
    assert "客户的投资决策日期" in zh and "kind: beachhead | share" in zh


def test_a_missing_key_that_takes_a_few_values_names_them(kam, tmp_path):
    """ "missing required key 'kind' in targets #1" did not say what `kind` takes: a new
    user had to read `kam schema`'s JSON to find beachhead, share, profit..."""
    targets = dedent(
        """
        period: 2027
        targets:
          - {id: retrofit, text: Win the retrofit, due: 2027-09-30, owner: j.weber}
        actions:
          - {id: workshop, text: Service workshop, owner: m.koch, due: 2027-01-15}
        """
    )
    write_account(tmp_path, "steel", {"targets.yaml": targets})
    r = kam(tmp_path, "validate", "--format", "json")
    assert r.exit_code == 1
    messages = {(f["line"], f["message"]) for f in r.json()["findings"]}
    assert messages == {
        (
            3,
            "missing required key 'kind' in targets #1 (retrofit): one of beachhead, share, "
            "profit, competition, relationship",
        ),
        (
            5,
            "missing required key 'status' in actions #1 (workshop): one of planned, doing, done, dropped",
        ),
    }
    # a missing key that takes any text says nothing more
    write_account(tmp_path, "steel", {"targets.yaml": "targets:\n  - {id: t, kind: share}\n"})
    found = kam(tmp_path, "validate", "--format", "json").json()["findings"]
    assert "missing required key 'text' in targets #1 (t)" in {f["message"] for f in found}
    zh = kam(tmp_path, "validate", "--lang", "zh-CN").stdout
    assert "缺少必需的键“text”" in zh and "可选值" not in zh


def test_one_key_person_and_one_broken_account_are_counted_in_the_singular(kam, tmp_path):
    """`kam grade ID` of a small account said "over 1 key people", and the agenda with
    one account that did not load said "could not load broken: the agenda leaves them out"."""
    write_account(tmp_path, "kleinmetall")
    r = kam(tmp_path, "grade", "kleinmetall")
    assert "over 1 key person;" in r.stdout, r.stdout
    write_account(
        tmp_path,
        "broken",
        {"account.yaml": BROKEN_PROFILE, "stakeholders.yaml": CYCLE_AND_DUPLICATE},
    )
    r = kam(tmp_path, "agenda")
    assert r.exit_code == 1
    assert "could not load broken: the agenda leaves it out" in r.stderr, r.stderr
    zh = kam(tmp_path, "grade", "kleinmetall", "--lang", "zh-CN").stdout
    assert "基于 1 位关键人" in zh


def test_a_comma_in_flow_mapping_text_is_explained(kam, tmp_path):
    """`{name: Voltron Drives, notes: cheaper, strong in service}` gave "unknown key
    'strong in service'", which did not say that the comma had ended the notes."""
    account = dedent(
        """
        id: steel
        name: Steel AG
        owner: j.weber
        reviewed: 2026-10-01
        position: 3
        value: 3
        competitors:
          - {name: Voltron Drives, notes: cheaper, strong in service}
          - {name: Other, extra: 1}
        """
    )
    write_account(tmp_path, "steel", {"account.yaml": account})
    found = kam(tmp_path, "validate", "--format", "json").json()["findings"]
    messages = {(f["line"], f["column"]): f["message"] for f in found}
    assert messages[(8, 44)] == (
        "unknown key 'strong in service' in competitors #1 (Voltron Drives) (a comma ends a "
        'value inside {...}: put text that holds a comma in quotes, notes: "cheaper, strong '
        'in service")'
    )
    # a mistyped key is still a mistyped key, with no word about commas
    assert messages[(9, 19)] == "unknown key 'extra' in competitors #2 (Other)"
    zh = kam(tmp_path, "validate", "--lang", "zh-CN").stdout
    assert "含逗号的文字请加引号" in zh


def test_init_suggests_a_manual_tier_of_the_repository_tiers(kam, tmp_path):
    """With kam.yaml's own tiers (strategic, growth, core, commercial), `kam init` still
    suggested `# tier: A`, an error (KAM002) once uncommented."""
    (tmp_path / "kam.yaml").write_text(
        dedent(
            """
            tiers:
              - {name: strategic, position: 4, value: 4}
              - {name: growth, position: 3, value: 3}
              - {name: commercial, position: 1, value: 1}
            focus_tiers: [strategic, growth]
            """
        ),
        encoding="utf-8",
    )
    assert kam(tmp_path, "init", "pumpen", "--owner", "s.fischer").exit_code == 0
    path = tmp_path / "accounts" / "pumpen" / "account.yaml"
    text = path.read_text(encoding="utf-8")
    assert "# tier: growth" in text and "# tier: A " not in text
    text = text.replace("# tier: growth", "tier: growth").replace(
        "# tier_reason: ...", "tier_reason: framework agreement signed"
    )
    path.write_text(text, encoding="utf-8")
    r = kam(tmp_path, "validate", "pumpen")
    assert r.exit_code == 0, r.stdout


def test_setting_up_a_team_runs_as_the_readme_shows(kam, tmp_path):
    """The README had no "from nothing" path for a team: the first steps were spread over
    the CRM import, the kam.yaml reference and the editor set-up. Its "Setting up a team"
    block is run here line by line, as a new user pastes it."""
    import shlex
    import subprocess

    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Setting up a team")
    opening = readme.index("```sh\n", start) + len("```sh\n")
    block = readme[opening : readme.index("```", opening)]
    cwd = tmp_path
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    results = {}
    for line in block.splitlines():
        command = line.split("   #")[0].strip()
        for part in command.split(" && "):
            words = shlex.split(part)
            if words[0] == "cd":
                cwd = cwd / words[1]
            elif words[0] == "git":
                subprocess.run(words, cwd=cwd, check=True, capture_output=True, env=env)
            else:
                assert words[0] == "kam", line
                r = kam(cwd, *words[1:])
                results[words[1]] = r
                assert r.exit_code == 0, (line, r.stdout, r.stderr)
    assert (cwd / "schemas" / "stakeholders.schema.json").is_file()
    assert (
        (cwd / "accounts" / "huaxin" / "account.yaml")
        .read_text(encoding="utf-8")
        .count("华信重工机械股份有限公司")
    )
    assert "first-contact" in results["check"].stdout
    log = subprocess.run(["git", "log", "--oneline"], cwd=cwd, capture_output=True, text=True)
    assert "first accounts" in log.stdout


def test_an_id_shared_with_an_entry_that_has_schema_errors_is_a_duplicate_at_once(kam, tmp_path):
    """Two people with one id, the first with an impossible date: only the date was
    reported, and the duplicate id appeared once the date was fixed (a second round). Either
    order: the entry with errors first, or second."""
    people = dedent(
        """
        stakeholders:
          - id: a-one
            name: A One
            attitude: 2
            last_contact: 2026-11-31
          - id: b-two
            name: B Two
            attitude: 1
          - id: a-one
            name: A One Again
            attitude: 1
          - id: b-two
            name: B Again
            attitude: 9
        """
    )
    write_account(tmp_path, "broken", {"stakeholders.yaml": people})
    r = kam(tmp_path, "validate", "--format", "json")
    got = {(f["code"], f["line"], f["column"], f["message"]) for f in r.json()["findings"]}
    assert got == {
        (
            "KAM002",
            5,
            19,
            "stakeholders #1 (a-one).last_contact: '2026-11-31' is not a real calendar date",
        ),
        ("KAM004", 9, 9, "duplicate stakeholder id 'a-one' (first used on line 2)"),
        ("KAM004", 12, 9, "duplicate stakeholder id 'b-two' (first used on line 6)"),
        (
            "KAM002",
            14,
            15,
            'stakeholders #4 (b-two).attitude: must be a whole number from -3 to 3, or "?" if '
            "not yet known; got 9",
        ),
    }


def test_kam204_hint_does_not_ask_to_mark_a_never_met_person_unknown_again(kam, tmp_path):
    """Trial note: a key person with attitude "?" and no contact got KAM204's hint "mark
    the attitude "?" and plan a first contact" (already done). Their hint now asks only
    for the first contact; a key person whose attitude is known keeps the full hint."""
    people = """\
        stakeholders:
          - {id: ma.jun, name: 马军, roles: [D], attitude: "?", owner: zhou.lan}
          - {id: li.na, name: 李娜, roles: [D], attitude: 1, owner: zhou.lan}
        """
    write_account(tmp_path, "xinda", {"stakeholders.yaml": dedent(people)})
    r = kam(tmp_path, "check", "--format", "json", "--today", "2026-11-30")
    hints = {f["data"]["person"]: f["hint"] for f in r.json()["findings"] if f["code"] == "KAM204"}
    assert set(hints) == {"ma.jun", "li.na"}
    assert hints["ma.jun"].startswith("Plan a first contact") and '"?"' not in hints["ma.jun"]
    assert 'mark the attitude "?"' in hints["li.na"]
    text = kam(tmp_path, "check", "--today", "2026-11-30", env={"COLUMNS": "200"}).stdout
    assert "kam log xinda ma.jun -m TEXT" in text
    zh = kam(tmp_path, "check", "--today", "2026-11-30", "--lang", "zh-CN").stdout
    assert "首次接触" in zh
