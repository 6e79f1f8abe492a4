"""A sales director inherits a team repository nobody kept for six months: five account
managers' styles, two of them gone, stale contacts, a kam.yaml with its own tiers and
currencies. What kam showed them that misled, and how it reads now."""

from __future__ import annotations

import re

import gitrepo
from conftest import dedent, write_account
from gitrepo import commit

KAM_YAML = """\
accounts: accounts
currency: EUR
rates: {{USD: 0.92, CNY: {cny}}}
"""

PEOPLE = """\
stakeholders:
  - id: ola-berg
    name: Ola Berg
    roles: [D]
    attitude: 1
    intimacy: 1
    owner: t.andersen
    backup: li.na
    channels: [QBR, site visit]
    last_contact: 2026-02-20
    reviewed: 2026-02-20
"""


def _rates_repo(tmp_path):
    """One account written in February; in June a rate of kam.yaml changes, which moves no
    grade of it, while its contact went stale in between (time, not the settings)."""
    r = gitrepo.new_repo(tmp_path / "repo")
    (r / "kam.yaml").write_text(KAM_YAML.format(cny=0.13), encoding="utf-8")
    account = (
        "id: fjord-aqua\nname: Fjord Aqua AS\nowner: t.andersen\nreviewed: 2026-02-20\n"
        "position: 2\nvalue: 2\nfacts: {revenue: 2300000, currency: EUR}\n"
    )
    write_account(r, "fjord-aqua", {"account.yaml": account, "stakeholders.yaml": PEOPLE})
    commit(r, "fjord aqua", "2026-02-25")
    (r / "kam.yaml").write_text(KAM_YAML.format(cny=0.128), encoding="utf-8")
    commit(r, "kam.yaml: CNY rate from finance", "2026-06-02")
    return r


def test_a_rate_change_is_no_history_row_of_an_account_it_did_not_touch(kam, tmp_path):
    """Graded as of each commit's date, the account's contact had gone stale by the day of
    the kam.yaml commit: that is time passing, not the settings, so the commit is no row
    ("settings changed (kam.yaml): findings: 1 new" blamed the rate for a stale contact)."""
    repo = _rates_repo(tmp_path)
    doc = kam(repo, "history", "--format", "json", env={"KAM_TODAY": ""}).json()
    (acct,) = doc["accounts"]
    assert [r["subject"] for r in acct["revisions"]] == ["fjord aqua"], acct["revisions"]
    text = kam(repo, "history", "fjord-aqua", env={"KAM_TODAY": "", "COLUMNS": "200"})
    assert "settings changed" not in text.stdout, text.stdout


def test_a_settings_row_still_shows_what_the_settings_did(kam, tmp_path):
    """A kam.yaml change that does move the account (a looser contact threshold) stays a
    row: the stale contact it forgives is resolved by the settings."""
    repo = _rates_repo(tmp_path)
    (repo / "kam.yaml").write_text(
        KAM_YAML.format(cny=0.128)
        + dedent(
            """
            freshness:
              last_contact:
                other: {warn_after: 200d, error_after: 400d}
            """
        ),
        encoding="utf-8",
    )
    commit(repo, "contacts every 200 days", "2026-06-10")
    doc = kam(repo, "history", "--format", "json", env={"KAM_TODAY": ""}).json()
    (acct,) = doc["accounts"]
    subjects = [r["subject"] for r in acct["revisions"]]
    assert subjects == ["fjord aqua", "contacts every 200 days"], subjects
    row = acct["revisions"][-1]
    assert row["settings_changed"] is True
    assert row["change"].startswith("settings changed (kam.yaml)"), row


TARGETS = """\
period: 2026
actions:
  - {id: exec-visit, text: Executive visit, owner: s.kowalski, due: 2026-05-15, status: planned}
"""


def test_handing_over_a_late_action_is_no_finding_resolved(kam, tmp_path):
    """The director hands a departed colleague's late action to a successor: the action is
    as late as before, so `kam diff` lists no KAM301 resolved (the old owner's) and none
    new (the successor's); it says the owner changed. `kam check --format json` carries
    the action, the field and the owner in the finding's data."""
    repo = gitrepo.new_repo(tmp_path / "repo")
    (repo / "kam.yaml").write_text("accounts: accounts\n", encoding="utf-8")
    write_account(repo, "baltic-port", {"targets.yaml": TARGETS})
    commit(repo, "baltic port", "2026-05-01")
    path = repo / "accounts" / "baltic-port" / "targets.yaml"
    path.write_text(TARGETS.replace("s.kowalski", "j.weber"), encoding="utf-8")
    doc = kam(repo, "diff", "--format", "json").json()
    (acct,) = doc["accounts"]
    codes = [f["code"] for f in acct["new_findings"] + acct["resolved_findings"]]
    assert "KAM301" not in codes, acct
    text = kam(repo, "diff", env={"COLUMNS": "200"}).stdout
    assert "owner s.kowalski → j.weber" in text, text
    assert "resolved" not in text, text
    check = kam(repo, "check", "--format", "json").json()
    (late,) = [f for f in check["findings"] if f["code"] == "KAM301"]
    assert late["data"] == {"action": "exec-visit", "field": "due", "owner": "j.weber"}
    # a CI system's test history follows it too: the JUnit case is the action's, not its owner's
    junit = kam(repo, "check", "--format", "junit", "--fail-on", "error").stdout
    assert 'name="KAM301 exec-visit: due"' in junit, junit


GONE = """\
stakeholders:
  - id: priya-raman
    name: Priya Raman
    roles: [D]
    attitude: -1
    owner: s.kowalski
    last_contact: 2026-01-10
    reviewed: 2026-01-10
    left_on: 2026-02-28
  - id: ben-whitaker
    name: Ben Whitaker
    roles: [D]
    attitude: 1
    owner: s.kowalski
    last_contact: 2026-11-20
    reviewed: 2026-11-20
"""

GOALS = """\
period: 2026
relationship_goals:
  - {stakeholder: priya-raman, attitude: 2, by: 2026-04-30, owner: s.kowalski}
actions:
  - {id: exec-visit, text: Executive visit, owner: s.kowalski, due: 2026-05-15, status: planned,
     stakeholder: priya-raman}
"""


def test_the_agenda_lists_a_goal_for_someone_who_left_as_it_lists_an_action(kam, tmp_path):
    """A departed colleague's overdue goal for a decision maker who has left the customer
    is KAM115 and KAM302 in `kam check`; the agenda of its owner left it out altogether,
    while the action with the same person was a step ("close it ..."). Both are now."""
    write_account(
        tmp_path,
        "krakow-metro",
        {
            "account.yaml": "id: krakow-metro\nname: Kraków Metro\nowner: s.kowalski\n"
            "reviewed: 2026-11-01\nposition: 2\nvalue: 3\n",
            "stakeholders.yaml": GONE,
            "targets.yaml": GOALS,
        },
    )
    doc = kam(tmp_path, "agenda", "--owner", "s.kowalski", "--format", "json").json()
    goals = [i for i in doc["items"] if i["category"] == "goal"]
    assert len(goals) == 1, doc["items"]
    (goal,) = goals
    assert goal["person"] == "priya-raman"
    assert "Priya Raman left on 2026-02-28" in goal["why"], goal
    assert goal["command"] == (
        "close it at accounts/krakow-metro/targets.yaml:3: remove the goal, "
        "or stakeholder: their successor"
    ), goal
    assert "kam log" not in goal["command"]
    zh = kam(tmp_path, "--lang", "zh-CN", "agenda", "--owner", "s.kowalski", "--format", "markdown")
    assert "remove the goal" not in zh.stdout, zh.stdout


OPPORTUNITIES = """\
period: 2026
opportunities:
  - {id: retrofit, name: Retrofit programme, pbip: 2026-02-15, ready: 2026-11-01}
  - {id: phase2, name: Phase 2, pbip: 2027-03-28, ready: 2027-05-01}
"""


def test_an_opportunity_whose_pbip_has_passed_says_so(kam, tmp_path):
    """KAM303 told the director to "pull the delivery forward" for an opportunity whose
    PBIP had passed ten months ago: the customer has decided. Such a finding says the PBIP
    passed and asks for the outcome; one still ahead keeps its advice. Either is one
    finding across the PBIP (`data`: opportunity, field), so a diff does not call it new."""
    write_account(tmp_path, "bergmann-chemie", {"targets.yaml": OPPORTUNITIES})
    doc = kam(tmp_path, "check", "--format", "json", "--today", "2026-12-03").json()
    late = {f["data"]["opportunity"]: f for f in doc["findings"] if f["code"] == "KAM303"}
    assert late["retrofit"]["message"].endswith("; the PBIP passed 291 days ago"), late
    assert late["retrofit"]["hint"].startswith("The customer's decision date has passed")
    assert "passed" not in late["phase2"]["message"]
    assert late["phase2"]["hint"].startswith("Pull the delivery forward")
    assert late["retrofit"]["data"] == {"opportunity": "retrofit", "field": "ready"}
    text = kam(tmp_path, "check", "--today", "2026-12-03", env={"COLUMNS": "200"}).stdout
    assert "record whether it was won or lost" in text, text
    zh = kam(tmp_path, "--lang", "zh-CN", "check", "--today", "2026-12-03").stdout
    assert "PBIP 已过去 291 天" in zh, zh
    junit = kam(tmp_path, "check", "--format", "junit", "--today", "2026-12-03").stdout
    assert 'name="KAM303 retrofit: ready"' in junit, junit


FIVE_TIERS = """\
accounts: accounts
tiers:
  - {name: excellent, label: Excellent, position: 4, value: 5}
  - {name: strategic, label: Strategic, position: 4, value: 3}
  - {name: core, label: Core, position: 1, value: 4}
  - {name: value, label: Value, position: 2, value: 2}
  - {name: commercial, label: Commercial, position: 1, value: 1}
focus_tiers: [excellent, strategic]
"""


def _five_tier_portfolio(root) -> None:
    """Three accounts under the team's five tiers, in three cells of the grid."""
    (root / "kam.yaml").write_text(FIVE_TIERS, encoding="utf-8")
    for ident, position, value in (("hartmann", 5, 5), ("gdansk", 1, 1), ("baltic", 4, 4)):
        account = (
            f"id: {ident}\nname: {ident.title()} GmbH\nowner: j.weber\nreviewed: 2026-11-01\n"
            f"position: {position}\nvalue: {value}\n"
        )
        write_account(root, ident, {"account.yaml": account})


def test_the_matrix_of_a_five_tier_model_keeps_tier_names_whole_at_80_columns(kam, tmp_path):
    """At 80 columns the position x value grid of the team's own tiers broke them in the
    middle ("(commercia" over "l) 2", "(excellent" over ") 1"). Each tier stays whole;
    a count goes under its tier."""
    _five_tier_portfolio(tmp_path)
    out = kam(tmp_path, "portfolio", env={"COLUMNS": "80"}).stdout
    grid = out[out.index("Position x value") : out.index("Each cell")]
    assert max(len(line.rstrip()) for line in grid.splitlines()) <= 80, grid
    for tier in ("excellent", "strategic", "core", "value", "commercial"):
        assert f"({tier})" in grid, grid
        for line in grid.splitlines():
            assert line.count(f"({tier[:4]}") == line.count(f"({tier})"), grid


def test_the_narrow_grid_keeps_its_corner_on_two_lines_in_chinese_too(kam, tmp_path):
    """In the narrow grid the Chinese corner "价值 \\ 地位" stood on three lines ("价值",
    "\\", then "地位" beside the column numbers); it reads as the English one does, "价值 \\"
    over "地位". And with no currency set the revenue heading has no blank second line
    (it sat a line above the other headings)."""
    _five_tier_portfolio(tmp_path)
    zh = kam(tmp_path, "portfolio", "--lang", "zh-CN", env={"COLUMNS": "80"}).stdout
    lines = zh.splitlines()
    corner = next(i for i, line in enumerate(lines) if line.startswith("价值"))
    assert lines[corner].rstrip() == "价值 \\", zh
    assert lines[corner + 1].startswith("地位"), zh
    en = kam(tmp_path, "portfolio", env={"COLUMNS": "80"}).stdout.splitlines()
    tier_line = next(line for line in en if "┃ tier" in line)
    # "revenue" on the line of "tier", "accounts" and "share", nothing under it
    assert re.search(r"┃\s+revenue\s+┃", tier_line), "\n".join(en)
