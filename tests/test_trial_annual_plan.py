"""Defects found preparing the annual plan of a large conglomerate (about 170 people in 18
org units, Chinese and English names, several buying centres) as a senior key account
manager: `kam plan` in both languages and with the team's own templates, `kam map` with
--focus and --chain, and the slips a user makes in a custom template."""

from __future__ import annotations

import re

from conftest import write_account

ACCOUNT = """\
id: hengtai
name: 恒泰集团 Hengtai Group
owner: zhou.min
reviewed: 2026-10-01
position: 5
value: 4
"""

TARGETS = """\
period: 2027
targets:
  - {id: cloud, kind: beachhead, text: Hybrid cloud phase 1, metric: CNY, baseline: 0, goal: 45000000, due: 2027-09-30, owner: zhou.min}
  - {id: float-goal, kind: profit, text: Margin, baseline: 1250000.0, goal: 1234.5, due: 2027-09-30, owner: wu.hao}
  - {id: only-goal, kind: share, text: Share, goal: 12000000, due: 2027-12-31, owner: wu.hao}
  - {id: share, kind: share, text: Share of spend, baseline: 0.3, goal: "55%", due: 2027-12-31, owner: chen.jie}
"""


def _section(plan: str, heading: str) -> str:
    return plan.split(f"### {heading}\n", 1)[1].split("\n### ", 1)[0]


# ---------------------------------------------------------------- targets' numbers
def test_target_amounts_are_grouped_never_in_exponent_notation(kam, tmp_path):
    write_account(tmp_path, "hengtai", {"account.yaml": ACCOUNT, "targets.yaml": TARGETS})
    for lang in ("en", "zh-CN"):
        r = kam(tmp_path, "plan", "hengtai", "--lang", lang)
        assert r.exit_code == 0, r.stderr
        assert "e+0" not in r.stdout and "45000000" not in r.stdout
        assert "0 → 45,000,000" in r.stdout
        assert "1,250,000 → 1,234.5" in r.stdout  # a whole float without its ".0"
        assert "0.3 → 55%" in r.stdout
        assert "12,000,000" in r.stdout  # a goal alone


# ---------------------------------------------------------------- what needs attention
def _people(n_stale: int) -> str:
    """A CEO and two opposed division heads (decision makers), and n_stale junior staff
    whose last contact is long past the error threshold."""
    lines = ["stakeholders:"]
    lines += [
        "  - {id: ceo, name: Guo Qiang, roles: [D], attitude: 1, owner: zhou.min,"
        " backup: li.ming, last_contact: 2026-11-20}",
        "  - {id: cfo, name: 王娜, reports_to: ceo, roles: [D], attitude: -1, owner: li.ming,"
        " backup: zhou.min, last_contact: 2026-11-20}",
        "  - {id: energy, name: 胡志强, reports_to: ceo, roles: [D], attitude: -2,"
        " owner: li.ming, backup: zhou.min, last_contact: 2026-11-20}",
    ]
    for i in range(n_stale):
        lines.append(
            f"  - {{id: staff-{i:02d}, name: Staff {i:02d}, reports_to: ceo, attitude: 1,"
            f" owner: wu.hao, backup: li.ming, last_contact: 2026-05-{i + 1:02d}}}"
        )
    return "\n".join(lines) + "\n"


def _attention(plan: str, heading: str = "What needs attention") -> list[str]:
    section = plan.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line[:1].isdigit()]


def test_attention_is_not_filled_by_one_rule(kam, tmp_path):
    write_account(tmp_path, "hengtai", {"account.yaml": ACCOUNT, "stakeholders.yaml": _people(12)})
    items = _attention(kam(tmp_path, "plan", "hengtai").stdout)
    assert len(items) >= 2
    # the twelve stale contacts are one item naming the others, then the decision makers
    assert items[0].startswith("1. **error**: last contact with Staff 00")
    assert "Likewise: Staff 01, Staff 02, Staff 03 and 8 more." in items[0]
    assert sum("last contact with" in i for i in items) == 1
    opposed = next(i for i in items if "is opposed" in i)
    assert "decision maker 王娜 (cfo) is opposed" in opposed
    assert "Likewise: decision maker 胡志强 (energy) is opposed (attitude -2)." in opposed
    zh = _attention(kam(tmp_path, "plan", "hengtai", "--lang", "zh-CN").stdout, "需要关注的事项")
    assert "。同类还有：Staff 01、Staff 02、Staff 03" in zh[0]  # no space after 。
    assert any("同类还有：决策者胡志强（energy）反对" in i for i in zh)


# ---------------------------------------------------------------- a team's own template
TEMPLATE_SLIPS = [
    # a misspelt variable: the one meant
    (
        "{% for o, items in action_by_owner.items() %}{% endfor %}",
        "templates/action_plan.md.j2:1: 'action_by_owner' is undefined"
        " (did you mean 'actions_by_owner'?)",
    ),
    # a key an item does not have: the keys it has (jinja said "'dict object' has no
    # attribute 'date'")
    (
        "{% for o, items in actions_by_owner.items() %}\n{{ items[0].date }}{% endfor %}",
        "templates/action_plan.md.j2:2: no 'date' here: the item has id, text, owner, due,",
    ),
    ("{{ account.nmae }}", "templates/action_plan.md.j2:1: no 'nmae' here (did you mean 'name'?)"),
    ("{{ people[0].personal }}", "only with --include-personal"),
    ("{{ people[7].name }}", "templates/action_plan.md.j2:1: no item 7 in a list of 1"),
    ("{{ account.name | upperr }}", "No filter named 'upperr' (did you mean 'upper'?)"),
    ("{% if people is defind %}{% endif %}", "(did you mean 'defined'?)"),
    # kam's own translation call without its value (was "KeyError: 'x'")
    (
        '{{ _("Owner: %(who)s") }}',
        "the text 'Owner: %(who)s' has %(who)s but no value who=... is given",
    ),
    # kam's number filter on text (was "ValueError: Cannot specify ',' with 's'.")
    (
        "{{ account.name | number }}",
        "the filter number needs a number, not '恒泰集团 Hengtai Group'",
    ),
    # an include of a file that is no template: at the line of the include
    (
        '\n{% include "header.md" %}',
        "templates/action_plan.md.j2:2: header.md: refused: only templates are read",
    ),
    ("{{ cycler.__init__.__globals__ }}", "refused by the sandbox"),
]


ACTIONS = """\
period: 2027
actions:
  - {id: briefing, text: Executive briefing, owner: zhou.min, due: 2027-02-01, status: planned}
"""


def test_template_slips_are_one_clear_line(kam, tmp_path):
    write_account(tmp_path, "hengtai", {"account.yaml": ACCOUNT, "targets.yaml": ACTIONS})
    (tmp_path / "templates").mkdir()
    for template, expected in TEMPLATE_SLIPS:
        (tmp_path / "templates" / "action_plan.md.j2").write_text(template, encoding="utf-8")
        r = kam(tmp_path, "plan", "hengtai")
        assert r.exit_code == 2, template
        assert r.stdout == "" and len(r.stderr.splitlines()) == 1, r.stderr
        assert r.stderr.startswith("kam: error: template error: "), r.stderr
        assert expected in r.stderr, (template, r.stderr)
        assert "dict object" not in r.stderr and "Error:" not in r.stderr


def test_template_slips_in_chinese(kam, tmp_path):
    write_account(tmp_path, "hengtai", {"account.yaml": ACCOUNT})
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "action_plan.md.j2").write_text("{{ account.nmae }}\n")
    r = kam(tmp_path, "plan", "hengtai", "--lang", "zh-CN")
    assert r.exit_code == 2
    assert "这里没有“nmae”（您是指“name”吗？）" in r.stderr


def test_a_missing_template_folder_is_one_line(kam, tmp_path):
    write_account(tmp_path, "hengtai", {"account.yaml": ACCOUNT})
    r = kam(tmp_path, "plan", "hengtai", "--template-dir", "team-templates")
    assert r.exit_code == 2 and r.stderr == "kam: error: no template folder team-templates\n"


# ---------------------------------------------------------------- a large account's people
ORG = """\
units:
  - {id: hq, name: 集团总部 Group HQ}
  - {id: energy, name: 恒泰能源 Hengtai Energy, parent: hq, buying_center: true}
  - {id: plants, name: Power Plants, parent: energy}
  - {id: logistics, name: Hengtai Logistics, parent: hq, buying_center: true}
"""


def _large_people() -> str:
    """24 people written in the order of a CRM export (by surname, not by org): the
    plants' staff first, the CEO in the middle, one person with no unit."""
    rows = [
        ("plant-06", "Ai Plant 6", "plants", "plant-head"),
        ("log-03", "Bo Log 3", "logistics", "log-head"),
        ("plant-head", "Cao Plant Head", "plants", "energy-head"),
        ("energy-head", "胡志强", "energy", "ceo"),
        ("ceo", "Guo Qiang", "hq", None),
        ("log-head", "郭丽", "logistics", "ceo"),
        ("drifter", "Zed No Unit", None, None),
    ]
    rows += [(f"plant-{i:02d}", f"Plant {i:02d}", "plants", "plant-head") for i in range(7, 14)]
    rows += [(f"log-{i:02d}", f"Log {i:02d}", "logistics", "log-head") for i in range(4, 14)]
    lines = ["stakeholders:"]
    for pid, name, unit, boss in rows:
        line = f"  - {{id: {pid}, name: {name}, attitude: '?'"
        line += f", unit: {unit}" if unit else ""
        line += f", reports_to: {boss}" if boss else ""
        lines.append(line + "}")
    return "\n".join(lines) + "\n"


def test_a_large_accounts_people_are_listed_unit_by_unit(kam, tmp_path):
    write_account(
        tmp_path,
        "hengtai",
        {"account.yaml": ACCOUNT, "org.yaml": ORG, "stakeholders.yaml": _large_people()},
    )
    plan = kam(tmp_path, "plan", "hengtai").stdout
    section = _section(plan, "Stakeholders").strip()
    # four units; the people with none are no fifth unit
    assert section.startswith("24 people in 4 org units, unit by unit as the org chart reads")
    headings = [line for line in section.splitlines() if line.startswith("#### ")]
    assert headings == [
        "#### 集团总部 Group HQ (1 person)",
        "#### 恒泰能源 Hengtai Energy (1 person)",
        "#### Power Plants (9 people)",
        "#### Hengtai Logistics (12 people)",
        "#### No org unit (1 person)",
    ]
    plants = section.split("#### Power Plants (9 people)\n", 1)[1].split("\n####", 1)[0]
    names = re.findall(r"^\| ([^|]+?) \|", plants, re.M)[1:]  # without the header
    assert names[0] == "Cao Plant Head" and "Ai Plant 6" in names  # the head, then reports
    zh = kam(tmp_path, "plan", "hengtai", "--lang", "zh-CN").stdout
    assert "#### 恒泰能源 Hengtai Energy（1 人）" in zh and "#### 未归属组织单元（1 人）" in zh


def test_unit_tables_only_when_people_are_in_two_units_or_more(kam, tmp_path):
    """Review: with org units but nobody's `unit:` set, the plan said "23 people in 1
    org units" over one table headed "No org unit". That is one table, as for a small
    account. And someone whose departure is only announced stays under their manager
    (they started a branch of their own, away from their unit's head)."""
    nobody_placed = re.sub(r", unit: \w+", "", _large_people())
    write_account(
        tmp_path,
        "hengtai",
        {"account.yaml": ACCOUNT, "org.yaml": ORG, "stakeholders.yaml": nobody_placed},
    )
    section = _section(kam(tmp_path, "plan", "hengtai").stdout, "Stakeholders").strip()
    assert "####" not in section and section.startswith("| name | title |"), section
    leaving = _large_people().replace(
        "name: Ai Plant 6, attitude: '?'", "name: Ai Plant 6, attitude: '?', left_on: 2027-06-30"
    )
    write_account(tmp_path, "hengtai", {"stakeholders.yaml": leaving})
    plan = kam(tmp_path, "plan", "hengtai", "--today", "2026-12-03").stdout
    plants = plan.split("#### Power Plants (9 people)\n", 1)[1].split("\n####", 1)[0]
    names = re.findall(r"^\| ([^|]+?) \|", plants, re.M)[1:]
    assert names[0] == "Cao Plant Head" and names[1] == "Ai Plant 6", names


def test_a_small_accounts_people_stay_one_table(kam, tmp_path):
    write_account(tmp_path, "hengtai", {"account.yaml": ACCOUNT, "org.yaml": ORG})
    section = _section(kam(tmp_path, "plan", "hengtai").stdout, "Stakeholders").strip()
    assert "####" not in section and section.startswith("| name | title |")


def test_a_large_accounts_plan_draws_the_focused_map(kam, tmp_path):
    """170 people drew a Mermaid chart 12,000 pixels tall in the plan, half of it grey
    people nobody has met; it fitted Mermaid's limits, so the plan drew it whole."""
    people = _large_people().replace(
        "{id: ceo, name: Guo Qiang, attitude: '?'", "{id: ceo, name: Guo Qiang, attitude: 1"
    )
    people = people.replace(
        "{id: log-07, name: Log 07, attitude: '?'", "{id: log-07, name: Log 07, attitude: -1"
    )
    write_account(
        tmp_path,
        "hengtai",
        {"account.yaml": ACCOUNT, "org.yaml": ORG, "stakeholders.yaml": people},
    )
    section = _section(kam(tmp_path, "plan", "hengtai").stdout, "Power map")
    assert "```mermaid" in section
    assert "Log 07" in section and "郭丽" in section and "Guo Qiang" in section
    assert "Plant 08" not in section and "Zed No Unit" not in section
    assert (
        "The map shows 3 people: those with a role, a known attitude, an owner, a competitor "
        "they back or a line of influence, and their managers; the 21 others are left out "
        "(`kam map hengtai` draws everyone)."
    ) in section
    # the stakeholder table keeps everyone
    assert "Plant 08" in _section(kam(tmp_path, "plan", "hengtai").stdout, "Stakeholders")
