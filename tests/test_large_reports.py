"""Reports on an account as a first CRM import leaves it: hundreds of people nobody has met,
thousands of findings. The text report ends with a count per rule and the grade of one
account shows that count instead of burying the score under the list."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, write_account


def imported(tmp_path: Path, people: int) -> Path:
    """An account of ``people`` imported contacts (attitude "?", no owner, never met) under
    one decision maker whose attitude is known, and one error: a stale account review."""
    entries = ["stakeholders:"]
    entries += [
        "  - id: chief",
        "    name: Chief",
        "    roles: [D]",
        "    attitude: 1",
        "    owner: li.ming",
        "    backup: wang.fang",
        "    channels: [calls, visits]",
        "    last_contact: 2026-11-20",
    ]
    for i in range(people):
        entries += [f"  - id: p{i}", f"    name: Person {i}", "    attitude: '?'"]
    account = (
        "id: bigco\nname: BigCo\nowner: li.ming\nreviewed: 2024-01-01\nposition: 2\nvalue: 2\n"
    )
    write_account(
        tmp_path,
        "bigco",
        {"account.yaml": account, "stakeholders.yaml": "\n".join(entries) + "\n"},
    )
    return tmp_path


def test_check_text_ends_with_a_count_per_rule(kam, tmp_path):
    r = kam(imported(tmp_path, 30), "check", "bigco")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    # every finding is still listed, errors first; the tally comes before the summary line
    assert sum(1 for line in lines if ": KAM" in line) == 63
    assert lines[-1] == "1 error, 60 warnings, 2 info in 1 account"
    start = lines.index("63 findings by rule, most severe first:")
    assert lines[start - 1] == ""
    assert lines[start + 1 : -1] == [
        "   1  KAM203 error    Account grading inputs not reviewed within the threshold",
        "  30  KAM104 warning  Key person without owner, without backup, or backup = owner",
        "  30  KAM204 warning  Key person without last_contact",
        "   1  KAM108 info     No coach",
        "   1  KAM119 info     A decision maker without any individual need recorded",
    ]


def test_check_text_tally_wraps_in_a_narrow_terminal_and_speaks_chinese(kam, tmp_path):
    r = kam(imported(tmp_path, 30), "check", "bigco", env={"COLUMNS": "60"})
    lines = r.stdout.splitlines()
    start = lines.index("63 findings by rule, most severe first:")
    assert lines[start + 3 : start + 5] == [
        "  30  KAM104 warning  Key person without owner, without",
        "                      backup, or backup = owner",
    ]
    assert all(len(line) <= 60 for line in lines[start:])
    zh = kam(tmp_path, "check", "bigco", "--lang", "zh-CN")
    assert "共 63 个问题，按规则统计（最严重的在前）：" in zh.stdout


def test_a_few_findings_have_no_tally(kam, tmp_path):
    r = kam(imported(tmp_path, 5), "check", "bigco")
    assert "by rule" not in r.stdout
    assert r.stdout.splitlines()[-1] == "1 error, 10 warnings, 2 info in 1 account"


def test_grade_of_one_large_account_shows_the_count_not_the_list(kam, tmp_path):
    root = imported(tmp_path, 30)
    r = kam(root, "grade", "bigco")
    assert "score " in r.stdout and "key people" in r.stdout
    assert ": KAM104" not in r.stdout  # no finding listed one by one
    assert "  30  KAM104 warning  Key person without owner" in r.stdout
    assert r.stdout.rstrip().endswith("every finding, with its place: kam check bigco")
    # a terminal too narrow for the line: the command on a line of its own, whole
    folder = root / "accounts" / "bigco"
    long_id = "010-companhia-goiania-10"
    folder.rename(folder.with_name(long_id))
    account = folder.with_name(long_id) / "account.yaml"
    account.write_text(account.read_text("utf-8").replace("id: bigco", f"id: {long_id}"))
    narrow = kam(root, "grade", long_id, env={"COLUMNS": "60"})
    assert narrow.stdout.rstrip().endswith(
        f"every finding, with its place:\n  kam check {long_id}"
    ), narrow.stdout
    small = kam(imported(tmp_path, 5), "grade", "bigco")
    assert "accounts/bigco/stakeholders.yaml:" in small.stdout  # a few: listed as before
    assert "by rule" not in small.stdout


def test_plan_of_a_large_account_counts_findings_by_rule(kam, tmp_path):
    root = imported(tmp_path, 30)
    r = kam(root, "plan", "bigco")
    assert r.exit_code == 0, r.stderr
    findings = r.stdout.split("### Findings\n", 1)[1].split("\n### ", 1)[0]
    assert findings.strip().splitlines() == [
        "63 findings, counted by rule (the most severe first); `kam check bigco` lists each "
        "one with its place.",
        "",
        "| rule | severity | findings | what |",
        "|---|---|--:|---|",
        "| **KAM203** | error | 1 | Account grading inputs not reviewed within the threshold |",
        "| **KAM104** | warning | 30 | Key person without owner, without backup, or backup = "
        "owner |",
        "| **KAM204** | warning | 30 | Key person without last\\_contact |",
        "| **KAM108** | info | 1 | No coach |",
        "| **KAM119** | info | 1 | A decision maker without any individual need recorded |",
    ]
    assert "| Person 29 |" in r.stdout  # every person is still in the stakeholder table
    small = kam(imported(tmp_path, 5), "plan", "bigco")
    assert "- **KAM104** (warning) key person Person 0 (p0) has no owner" in small.stdout


def test_portfolio_headline_says_which_accounts_its_revenue_covers(kam, tmp_path):
    """An unhealthy portfolio: accounts whose files do not load are not graded, so their
    revenue is not in the total; the headline must not give it as the portfolio's."""
    profile = (
        "id: {id}\nname: {id}\nowner: li.ming\nreviewed: 2026-10-01\nposition: 4\nvalue: 4\n"
        "facts: {{revenue: 1000000, currency: EUR}}\n"
    )
    for account in ("ok1", "ok2", "selfish", "empty"):
        write_account(tmp_path, account, {"account.yaml": profile.format(id=account)})
    write_account(
        tmp_path,
        "selfish",
        {
            "account.yaml": profile.format(id="selfish"),
            "stakeholders.yaml": "stakeholders:\n  - {id: a, name: A, attitude: 1, reports_to: a}\n",
        },
    )
    (tmp_path / "accounts/empty/stakeholders.yaml").write_text("", "utf-8")
    r = kam(tmp_path, "portfolio")
    assert r.exit_code == 1
    assert r.stdout.splitlines()[0].startswith(
        "4 accounts, 2 of them graded; revenue of the graded: 2,000,000 EUR."
    )
    assert "Not graded (files with errors): empty, selfish." in r.stdout
    md = kam(tmp_path, "portfolio", "--format", "markdown")
    assert "4 accounts, 2 of them graded; revenue of the graded: 2,000,000 EUR." in md.stdout
    for account in ("selfish", "empty"):
        (tmp_path / "accounts" / account / "stakeholders.yaml").write_text(
            "stakeholders: []\n", "utf-8"
        )
    healthy = kam(tmp_path, "portfolio")
    assert healthy.stdout.startswith("4 accounts; revenue 4,000,000 EUR.")


def crm_org(tmp_path: Path, people: int) -> Path:
    """A CRM import's org chart of ``people`` (none met, no role) under one CEO, and the
    few the account team has worked on, deep in it: a decision maker against us, a coach
    who influences them, a supporter with an owner."""
    lines = ["stakeholders:", "  - {id: ceo, name: The CEO, attitude: '?'}"]
    for i in range(people):
        boss = "ceo" if i < 10 else f"p{i // 10 - 1}"
        lines.append(f"  - {{id: p{i}, name: Person {i}, attitude: '?', reports_to: {boss}}}")
    text = "\n".join(lines) + "\n"
    text = text.replace(
        "{id: p250, name: Person 250, attitude: '?',",
        "{id: p250, name: Person 250, attitude: -1, roles: [D],",
    )
    text = text.replace(
        "{id: p40, name: Person 40, attitude: '?',",
        "{id: p40, name: Person 40, attitude: 2, roles: [C], influences: [p250],",
    )
    text = text.replace(
        "{id: p7, name: Person 7, attitude: '?',",
        "{id: p7, name: Person 7, attitude: 1, owner: li.ming,",
    )
    write_account(tmp_path, "bigco", {"stakeholders.yaml": text})
    return tmp_path


def test_map_focus_draws_the_people_who_matter_and_their_managers(kam, tmp_path):
    root = crm_org(tmp_path, 300)
    r = kam(root, "map", "bigco", "--focus")
    assert r.exit_code == 0, r.stderr
    # p250 reports to p24, who reports to p1, who reports to the CEO; p40 to p3 to the CEO
    assert r.stdout.splitlines()[:8] == [
        "Acme bigco (bigco)",
        "└── The CEO [-] attitude unknown",
        "    ├── Person 1 [-] attitude unknown",
        "    │   └── Person 24 [-] attitude unknown",
        "    │       └── Person 250 [D] attitude -1",
        "    ├── Person 3 [-] attitude unknown",
        "    │   └── Person 40 [C] attitude +2 ~> Person 250",
        "    └── Person 7 [-] attitude +1",
    ]
    assert r.stderr == (
        "kam: note: --focus left out 294 people without a role, a known attitude, an owner, "
        "a competitor they back or a line of influence (and nobody like that below them)\n"
    )
    dot = kam(root, "map", "bigco", "--focus", "--format", "dot")
    assert dot.stdout.count("[label=") == 7 and "Person 299" not in dot.stdout
    everyone = kam(root, "map", "bigco")
    assert "Person 299" in everyone.stdout and everyone.stderr == ""


def test_map_focus_does_not_keep_the_managers_of_someone_who_left(kam, tmp_path):
    """A decision maker who left stays on the map, drawn apart with no reporting line; the
    CRM import had given them a manager deep in the chart, and --focus drew that manager
    and the whole chain above them, grey boxes kept for a line it does not draw."""
    root = crm_org(tmp_path, 300)
    path = root / "accounts" / "bigco" / "stakeholders.yaml"
    text = path.read_text("utf-8").replace(
        "{id: p180, name: Person 180, attitude: '?',",
        "{id: p180, name: Person 180, attitude: -2, roles: [D], left_on: 2026-09-30,",
    )
    path.write_text(text, "utf-8")
    r = kam(root, "map", "bigco", "--focus", "--today", "2026-12-01")
    assert r.exit_code == 0, r.stderr
    assert "Person 180" in r.stdout  # p180 reports to p17, who reports to p0
    assert "Person 17 " not in r.stdout and "Person 0 " not in r.stdout
    assert "left out 293 people" in r.stderr


def test_quadrant_names_a_dozen_not_placed_people_those_with_a_role_first(kam, tmp_path):
    """After a CRM import the quadrant's legend named all 300 people nobody has met, in
    the file's order, in the chart's comment and again under it (the plan too): the
    decision maker nobody has placed was somewhere in a wall of names. Now the people
    with a role come first, and a dozen are named, then how many more."""
    root = crm_org(tmp_path, 300)
    line = (
        "Not placed (attitude or intimacy unknown): Person 250, Person 40, The CEO, "
        "Person 0, Person 1, Person 2, Person 3, Person 4, Person 5, Person 6, Person 7, "
        "Person 8 and 289 more."
    )
    r = kam(root, "map", "bigco", "--quadrant", "--format", "markdown")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.count(line) == 2  # the chart's comment and the legend under it
    plan = kam(root, "plan", "bigco")
    assert plan.exit_code == 0, plan.stderr
    assert plan.stdout.count(line) == 2
    zh = kam(root, "plan", "bigco", "--lang", "zh-CN").stdout
    assert "未标注（支持度或亲密度未知）：Person 250、Person 40、The CEO、" in zh
    assert "Person 8，另有 289 个。" in zh


def test_plan_draws_the_focused_map_when_everyone_is_too_many_for_mermaid(kam, tmp_path):
    root = crm_org(tmp_path, 600)
    big = kam(root, "map", "bigco", "--format", "mermaid")
    assert "too large for Mermaid's default limits" in big.stderr and "--focus" in big.stderr
    r = kam(root, "plan", "bigco")
    assert r.exit_code == 0, r.stderr
    section = r.stdout.split("### Power map\n", 1)[1].split("\n### ", 1)[0]
    assert "```mermaid" in section
    assert "Person 250" in section and "Person 40" in section and "Person 599" not in section
    assert (
        "The map shows 7 people: those with a role, a known attitude, an owner, a competitor "
        "they back or a line of influence, and their managers; the 594 others are left out "
        "(`kam map bigco` draws everyone)."
    ) in section


def test_portfolio_letters_stay_with_their_counts_at_80_columns(kam, tmp_path):
    """On an unhealthy generated portfolio the tier table's "score letters" cell ("27 B,
    39 C, 28 D, 1 E") wrapped at 80 columns as "21 B, 12 / C, 11 D", a count on one line
    and its letter on the next. A narrow table stacks them, one count and letter a line;
    a wide one keeps them on one line."""
    import re
    import sys

    from rich.cells import cell_len

    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    generate(tmp_path, 40, health="neglected")
    summary = kam(tmp_path, "portfolio", "--format", "json", "--today", "2026-11-24").json()
    groups = [
        f"{n} {letter}"
        for row in [*summary["tiers"], summary["total"]]
        for letter, n in row["letters"].items()
        if n
    ]
    assert len(summary["total"]["letters"]) >= 3  # long enough to wrap
    for lang in ("en", "zh-CN"):
        narrow = kam(
            tmp_path, "portfolio", "--today", "2026-11-24", "--lang", lang, env={"COLUMNS": "80"}
        ).stdout
        assert max(cell_len(line) for line in narrow.splitlines()) <= 80
        cells = [
            cell.strip()
            for line in narrow.splitlines()
            if line.startswith("│")
            for cell in [line.split("│")[-2]]
        ]
        for group in groups:
            assert group in cells, (group, narrow)
        assert not any(re.fullmatch(r"\d+(, \d+ [A-E])*,? ?\d*", c) for c in cells if c)
    wide = kam(tmp_path, "portfolio", "--today", "2026-11-24", env={"COLUMNS": "200"}).stdout
    total = summary["total"]["letters"]
    one_line = ", ".join(f"{n} {x}" for x, n in total.items() if n)
    assert one_line in wide
