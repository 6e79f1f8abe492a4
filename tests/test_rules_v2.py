"""The v2 rules (KAM114-KAM120, KAM206, KAM306-KAM309) and the v2 references: each fires at
the exact line and column SPEC 3 names, and the fix clears it. Files are written in full;
"today" is 2026-11-24 (conftest.TODAY). The account is a Swedish-Chinese joint venture
unlike the examples: other names, a Chinese decision maker, a three-level org."""

from __future__ import annotations

import pytest

from conftest import findings_of, write_account
from rulecheck import check, codes, write

FOCUS = """\
id: t
name: Lindqvist-华晨 Energy AB
owner: karin.berg
stage: stabilize
reviewed: 2026-10-01
position: 4
value: 4
"""

ONE_DM = """\
stakeholders:
  - id: chen
    name: 陈静
    roles: [D]
    attitude: 1
    intimacy: 1
    owner: karin.berg
    backup: olle.ek
    channels: [calls, board-dinners]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
"""


def with_lines(text: str, *extra: str) -> str:
    return text + "".join(line + "\n" for line in extra)


# ---------------------------------------------------------------- KAM114
def test_kam114_stage_after_a_new_decision_maker(kam, tmp_path):
    files = {
        "account.yaml": FOCUS,
        "stakeholders.yaml": with_lines(ONE_DM, "    in_post_since: 2026-10-01"),
    }
    got = check(kam, tmp_path, files)
    assert codes(got, "KAM114") == [("KAM114", 4, 8)], got  # the value of `stage`
    files["account.yaml"] = FOCUS.replace("stage: stabilize", "stage: build")
    assert codes(check(kam, tmp_path, files), "KAM114") == []
    # 90 days in post is no longer "under 90 days"
    files["account.yaml"] = FOCUS.replace("stabilize", "strengthen")
    files["stakeholders.yaml"] = with_lines(ONE_DM, "    in_post_since: 2026-08-26")
    assert codes(check(kam, tmp_path, files), "KAM114") == []


def test_kam114_stage_after_a_decision_maker_left(kam, tmp_path):
    left = with_lines(
        ONE_DM,
        "  - {id: wu, name: 吴强, roles: [D], attitude: 2, left_on: 2026-10-30}",
    )
    files = {"account.yaml": FOCUS.replace("stabilize", "strengthen"), "stakeholders.yaml": left}
    assert codes(check(kam, tmp_path, files), "KAM114") == [("KAM114", 4, 8)]
    files["stakeholders.yaml"] = left.replace("2026-10-30", "2026-05-30")
    assert codes(check(kam, tmp_path, files), "KAM114") == []


# ---------------------------------------------------------------- KAM115
LEAVER = with_lines(
    ONE_DM,
    "  - id: nils",
    "    name: Nils Holm",
    "    layer: general",
    "    attitude: 2",
    "    left_on: 2026-09-01",
)
PLAN_ON_LEAVER = """\
period: 2026
relationship_goals:
  - {stakeholder: nils, attitude: 3, by: 2027-06-30, owner: karin.berg}
actions:
  - id: lunch
    text: Lunch with Nils
    owner: olle.ek
    due: 2026-12-10
    status: planned
    stakeholder: nils
"""


def test_kam115_goal_and_open_action_on_a_leaver(kam, tmp_path):
    files = {"account.yaml": FOCUS, "stakeholders.yaml": LEAVER, "targets.yaml": PLAN_ON_LEAVER}
    got = codes(check(kam, tmp_path, files), "KAM115")
    assert got == [("KAM115", 3, 19), ("KAM115", 10, 18)], got
    fixed = PLAN_ON_LEAVER.replace(
        "stakeholder: nils, attitude: 3", "stakeholder: chen, attitude: 2"
    )
    files["targets.yaml"] = fixed.replace("status: planned", "status: dropped")
    assert codes(check(kam, tmp_path, files), "KAM115") == []


def test_kam115_not_for_an_announced_departure(kam, tmp_path):
    files = {
        "account.yaml": FOCUS,
        "stakeholders.yaml": LEAVER.replace("2026-09-01", "2027-02-01"),
        "targets.yaml": PLAN_ON_LEAVER,
    }
    got = check(kam, tmp_path, files)
    assert codes(got, "KAM115") == []
    assert codes(got, "KAM120") == [("KAM120", 16, 14)]


# ---------------------------------------------------------------- KAM116
TEAM = """\
team:
  - person: karin.berg
    roles: [relationship-lead, entrepreneur]
  - person: olle.ek
    roles: [technical-expert]
"""


def test_kam116_team_roles_uncovered(kam, tmp_path):
    files = {"account.yaml": FOCUS + TEAM, "stakeholders.yaml": ONE_DM}
    got = codes(check(kam, tmp_path, files), "KAM116")
    assert got == [("KAM116", 8, 1)], got  # the `team` key
    r = kam(tmp_path, "check", "--format", "json", "--fail-on", "info")
    (f,) = [f for f in r.json()["findings"] if f["code"] == "KAM116"]
    assert "covers 3 of 8 roles" in f["message"]
    assert "innovator, collaborator, researcher, project-manager, sceptic" in f["message"]
    narrow = "team_roles: [relationship-lead, entrepreneur, technical-expert]\n"
    assert codes(check(kam, tmp_path, files, narrow), "KAM116") == []


def test_kam116_no_team_points_at_the_id(kam, tmp_path):
    files = {"account.yaml": FOCUS, "stakeholders.yaml": ONE_DM}
    assert codes(check(kam, tmp_path, files), "KAM116") == [("KAM116", 1, 5)]
    # not a focus tier: no finding
    files["account.yaml"] = FOCUS.replace("position: 4", "position: 2").replace(
        "value: 4", "value: 2"
    )
    assert codes(check(kam, tmp_path, files), "KAM116") == []


# ---------------------------------------------------------------- KAM117
BOARD = with_lines(
    ONE_DM,
    "  - id: sven",
    "    name: Sven Ahl",
    "    layer: organizational",
    "    attitude: -2",
    "    influences: [nobody-else, chen]",
    "  - {id: mei, name: 李梅, layer: general, attitude: '?', influences: [chen]}",
)


def test_kam117_hidden_chain_opposed_or_unknown(kam, tmp_path):
    files = {"account.yaml": FOCUS, "stakeholders.yaml": BOARD.replace("nobody-else, ", "")}
    got = codes(check(kam, tmp_path, files), "KAM117")
    # Sven's `influences` item naming chen; Mei's flow item
    assert got == [("KAM117", 16, 18), ("KAM117", 17, 69)], got
    files["stakeholders.yaml"] = (
        BOARD.replace("nobody-else, ", "").replace("attitude: -2", "attitude: 0")
    ).replace("attitude: '?'", "attitude: 1")
    assert codes(check(kam, tmp_path, files), "KAM117") == []


def test_kam117_points_at_the_item_naming_the_decision_maker(kam, tmp_path):
    files = {
        "account.yaml": FOCUS,
        "stakeholders.yaml": BOARD.replace("nobody-else", "olle-x").replace(
            "  - {id: mei", "  - {id: olle-x, name: Olle, attitude: 1}\n  - {id: mei"
        ),
    }
    got = codes(check(kam, tmp_path, files), "KAM117")
    assert ("KAM117", 16, 26) in got, got


# ---------------------------------------------------------------- KAM118
GATEKEEPER = with_lines(
    ONE_DM,
    "  - id: asa",
    "    name: Åsa Lund",
    "    title: Executive assistant",
    "    buying_roles: [user, gatekeeper]",
    "    attitude: 0",
)


def test_kam118_gatekeeper_without_owner(kam, tmp_path):
    files = {"account.yaml": FOCUS, "stakeholders.yaml": GATEKEEPER}
    assert codes(check(kam, tmp_path, files), "KAM118") == [("KAM118", 15, 26)]
    files["stakeholders.yaml"] = with_lines(GATEKEEPER, "    owner: olle.ek")
    assert codes(check(kam, tmp_path, files), "KAM118") == []
    # a general-layer gatekeeper is not a key-layer one
    files["stakeholders.yaml"] = with_lines(GATEKEEPER, "    layer: general")
    assert codes(check(kam, tmp_path, files), "KAM118") == []


# ---------------------------------------------------------------- KAM119
def test_kam119_decision_maker_without_individual_need(kam, tmp_path):
    files = {"account.yaml": FOCUS, "stakeholders.yaml": ONE_DM}
    assert codes(check(kam, tmp_path, files), "KAM119") == [("KAM119", 4, 12)]
    files["account.yaml"] = FOCUS + (
        "needs:\n  - {kind: explicit, text: Grid balancing tender, stakeholder: chen}\n"
    )
    assert codes(check(kam, tmp_path, files), "KAM119") == [("KAM119", 4, 12)]
    files["account.yaml"] += "  - {kind: individual, text: 在集团内获得认可, stakeholder: chen}\n"
    assert codes(check(kam, tmp_path, files), "KAM119") == []


# ---------------------------------------------------------------- KAM120 and a future left_on
def test_kam120_announced_departure_still_counts(kam, tmp_path):
    files = {
        "account.yaml": FOCUS,
        "stakeholders.yaml": with_lines(ONE_DM, "    left_on: 2027-03-31"),
    }
    got = check(kam, tmp_path, files)
    assert codes(got, "KAM120") == [("KAM120", 12, 14)]
    assert codes(got, "KAM103") == [] and codes(got, "KAM112") == []
    graded = kam(tmp_path, "grade", "--format", "json").json()
    files["stakeholders.yaml"] = ONE_DM
    check(kam, tmp_path, files)
    assert codes(check(kam, tmp_path, files), "KAM120") == []
    unchanged = kam(tmp_path, "grade", "--format", "json").json()
    # until 2027-03-31 the person counts in the score exactly as before
    assert graded["accounts"][0]["score"] == unchanged["accounts"][0]["score"] > 0
    # more than 180 days ahead: not yet worth a finding
    files["stakeholders.yaml"] = with_lines(ONE_DM, "    left_on: 2027-06-01")
    assert codes(check(kam, tmp_path, files), "KAM120") == []
    # on the day itself they have left
    files["stakeholders.yaml"] = with_lines(ONE_DM, "    left_on: 2026-11-24")
    got = check(kam, tmp_path, files)
    assert codes(got, "KAM120") == [] and codes(got, "KAM112") == [("KAM112", 12, 14)]


# ---------------------------------------------------------------- KAM206
def test_kam206_future_dates(kam, tmp_path):
    people = (
        ONE_DM.replace("last_contact: 2026-11-20", "last_contact: 2062-11-20").replace(
            "reviewed: 2026-11-01", "reviewed: 2026-12-01"
        )
        + "    in_post_since: 2027-01-01\n"
    )
    files = {
        "account.yaml": FOCUS.replace("reviewed: 2026-10-01", "reviewed: 2026-11-25"),
        "stakeholders.yaml": people,
    }
    got = codes(check(kam, tmp_path, files), "KAM206")
    assert got == [("KAM206", 5, 11), ("KAM206", 10, 19), ("KAM206", 11, 15), ("KAM206", 12, 20)]
    files = {"account.yaml": FOCUS, "stakeholders.yaml": ONE_DM}
    assert codes(check(kam, tmp_path, files), "KAM206") == []


def test_future_last_contact_is_not_fresh(kam, tmp_path):
    files = {"account.yaml": FOCUS, "stakeholders.yaml": ONE_DM}
    check(kam, tmp_path, files)
    fresh = kam(tmp_path, "grade", "--format", "json", "--explain").json()["accounts"][0]
    files["stakeholders.yaml"] = ONE_DM.replace("2026-11-20", "2062-11-20")
    check(kam, tmp_path, files)
    future = kam(tmp_path, "grade", "--format", "json", "--explain").json()["accounts"][0]

    def freshness(acct):
        return acct["components"]["freshness"]["earned"]

    assert freshness(fresh) == 10 and freshness(future) == 0
    assert future["score"] == fresh["score"] - 10


# ---------------------------------------------------------------- KAM306
def test_kam306_no_plan_after_the_deadline(kam, tmp_path):
    files = {"account.yaml": FOCUS, "stakeholders.yaml": ONE_DM}
    assert codes(check(kam, tmp_path, files), "KAM306") == [("KAM306", 1, 5)]
    # before the deadline of this year: not late yet
    got = check(kam, tmp_path, files, None, "--today", "2026-03-31")
    assert codes(got, "KAM306") == []
    late = check(kam, tmp_path, files, "planning: {deadline: 11-30}\n")
    assert codes(late, "KAM306") == []


@pytest.mark.parametrize(
    "period, fires",
    [
        ("2025", True),
        ("2024-2025", True),
        ("FY25", True),  # names no year kam can read
        ("2026", False),
        ("2026-H2", False),
        ("2025-2027", False),
        ("2027-H1", False),  # next year's set, issued at year end, replaces this one
    ],
)
def test_kam306_period_must_cover_this_year(kam, tmp_path, period, fires):
    files = {
        "account.yaml": FOCUS,
        "stakeholders.yaml": ONE_DM,
        "targets.yaml": f"# the plan\nperiod: {period}\n{ONE_ACTION}",
    }
    got = codes(check(kam, tmp_path, files), "KAM306")
    assert got == ([("KAM306", 2, 9)] if fires else []), got


ONE_ACTION = """\
actions:
  - {id: visit-chen, text: plant visit, owner: karin.berg, due: 2027-01-31, status: planned, stakeholder: chen}
"""


@pytest.mark.parametrize(
    "plan, fires",
    [
        ("", True),  # a period alone plans nothing
        ("targets: []\nrelationship_goals: []\nactions: []\nopportunities: []\n", True),
        (
            "opportunities:\n  - {id: grid, name: Grid upgrade, pbip: 2027-09-30, ready: 2027-06-30}\n",
            True,
        ),
        (ONE_ACTION, False),
        (
            "targets:\n  - {id: t1, kind: share, text: 30% share, due: 2026-12-31, owner: karin.berg}\n",
            False,
        ),
        (
            "relationship_goals:\n  - {stakeholder: chen, attitude: 2, by: 2026-12-31, owner: karin.berg}\n",
            False,
        ),
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_kam306_a_period_without_targets_goals_or_actions_is_no_plan(
    kam, tmp_path, plan, fires, lang
):
    """Trial defect: a targets.yaml holding only `period: 2026` (as a new file has it)
    counted as this year's plan; the three-piece set needs targets, goals or actions."""
    files = {
        "account.yaml": FOCUS,
        "stakeholders.yaml": ONE_DM,
        "targets.yaml": f"# the plan\nperiod: 2026\n{plan}",
    }
    write(tmp_path, files)
    r = kam(tmp_path, "--lang", lang, "check", "--format", "json", "--fail-on", "info")
    got = codes(findings_of(r), "KAM306")
    assert got == ([("KAM306", 2, 9)] if fires else []), got
    if fires:
        (message,) = [f["message"] for f in r.json()["findings"] if f["code"] == "KAM306"]
        said = {"en": "has no targets, relationship goals or actions", "zh-CN": "没有"}[lang]
        assert said in message and "2026" in message, message
    # before the deadline nothing is late, planned or not
    early = check(kam, tmp_path, files, None, "--today", "2026-03-31")
    assert codes(early, "KAM306") == []


# ---------------------------------------------------------------- KAM307
def test_kam307_value_curve_horizon(kam, tmp_path):
    files = {"account.yaml": FOCUS, "stakeholders.yaml": ONE_DM}
    assert codes(check(kam, tmp_path, files), "KAM307") == [("KAM307", 1, 5)]
    curve = "value_curve:\n  - {year: 2025, expected: 9.5e6, actual: 9.1e6}\n  - {year: 2027, expected: 1.2e7}\n"
    files["account.yaml"] = FOCUS + curve
    assert codes(check(kam, tmp_path, files), "KAM307") == [("KAM307", 8, 1)]
    r = kam(tmp_path, "check", "--format", "json", "--fail-on", "info").json()
    (f,) = [f for f in r["findings"] if f["code"] == "KAM307"]
    assert "2029" in f["message"] and "2027" not in f["message"].split("for ")[1]
    files["account.yaml"] += "  - {year: 2029, expected: 1.6e7}\n"
    assert codes(check(kam, tmp_path, files), "KAM307") == []


# ---------------------------------------------------------------- KAM308
OPPORTUNITY = """\
period: 2026
opportunities:
  - id: battery-park
    name: Battery park phase 2
    pbip: 2027-02-15
    ready: 2027-01-10
"""


def test_kam308_plant_early(kam, tmp_path):
    files = {
        "account.yaml": FOCUS,
        "stakeholders.yaml": ONE_DM.replace("attitude: 1", 'attitude: "?"'),
        "targets.yaml": OPPORTUNITY,
    }
    assert codes(check(kam, tmp_path, files), "KAM308") == [("KAM308", 5, 11)]
    files["stakeholders.yaml"] = ONE_DM.replace("attitude: 1", "attitude: -1")
    assert codes(check(kam, tmp_path, files), "KAM308") == [("KAM308", 5, 11)]
    files["stakeholders.yaml"] = ONE_DM
    assert codes(check(kam, tmp_path, files), "KAM308") == []
    # a PBIP more than 180 days away leaves time to plant
    files["stakeholders.yaml"] = ONE_DM.replace("attitude: 1", "attitude: -1")
    files["targets.yaml"] = OPPORTUNITY.replace("2027-02-15", "2027-06-15").replace(
        "2027-01-10", "2027-05-10"
    )
    assert codes(check(kam, tmp_path, files), "KAM308") == []


def test_kam308_stays_one_finding_when_the_decision_makers_blocking_change(kam, tmp_path):
    """KAM308 names the decision makers not won; when a second one turns against us the
    opportunity's finding is the same one, not "new" and "resolved" in kam diff (and the
    same alert in code scanning)."""
    from gitrepo import commit, new_repo

    repo = new_repo(tmp_path / "r")
    second = ONE_DM.replace("attitude: 1", 'attitude: "?"') + (
        "  - {id: ola, name: Ola Berg, roles: [D], attitude: 1, intimacy: 1, owner: karin.berg,"
        " backup: olle.ek, channels: [calls, mail], last_contact: 2026-11-20,"
        " reviewed: 2026-11-01}\n"
    )
    write_account(
        repo,
        "t",
        {"account.yaml": FOCUS, "stakeholders.yaml": second, "targets.yaml": OPPORTUNITY},
    )
    commit(repo, "one decision maker unknown", "2026-11-20")
    before = kam(repo, "check", "--format", "sarif").json()["runs"][0]["results"]
    write_account(repo, "t", {"stakeholders.yaml": second.replace("attitude: 1,", "attitude: -2,")})
    r = kam(repo, "diff", "--format", "json")
    (acct,) = r.json()["accounts"]
    assert not [f for f in acct["new_findings"] if f["code"] == "KAM308"]
    assert not [f for f in acct["resolved_findings"] if f["code"] == "KAM308"]
    after = kam(repo, "check", "--format", "sarif").json()["runs"][0]["results"]

    def kam308(results):
        return [
            (r["partialFingerprints"]["kamFinding/v1"], r["message"]["text"])
            for r in results
            if r["ruleId"] == "KAM308"
        ]

    (one,), (two,) = kam308(before), kam308(after)
    assert "Ola Berg" not in one[1] and "Ola Berg (ola, -2)" in two[1]
    assert one[0] == two[0]


# ---------------------------------------------------------------- KAM309 and the footprint
ORG = """\
units:
  - {id: group, name: Koncernen}
  - {id: trading, name: Energy trading, parent: group, buying_center: true}
  - {id: desk, name: Nordic desk, parent: trading}
  - {id: grid, name: 电网运营, parent: group, buying_center: true}
"""
OFFERINGS = """\
offerings:
  - {id: forecasting, name: Load forecasting}
  - {id: storage, name: Storage control}
"""
FOOTPRINT = """\
footprint:
  - {unit: trading, offering: forecasting, status: ours}
  - {unit: trading, offering: storage, status: open}
  - {unit: grid, offering: storage, status: competitor, competitor: Voltra}
competitors:
  - name: Voltra
"""


def test_kam309_open_cell_without_supporter(kam, tmp_path):
    files = {
        "account.yaml": FOCUS + FOOTPRINT,
        "stakeholders.yaml": ONE_DM,
        "org.yaml": ORG,
    }
    got = codes(check(kam, tmp_path, files, OFFERINGS), "KAM309")
    assert got == [("KAM309", 10, 48)], got
    # a supporter in a unit below the buying centre is enough
    files["stakeholders.yaml"] = with_lines(
        ONE_DM, "  - {id: per, name: Per Ek, unit: desk, layer: general, attitude: 1}"
    )
    assert codes(check(kam, tmp_path, files, OFFERINGS), "KAM309") == []
    # a neutral person is not a supporter; nor is one who has left
    for person in (
        "  - {id: per, name: Per Ek, unit: desk, layer: general, attitude: 0}",
        "  - {id: per, name: Per Ek, unit: desk, attitude: 2, left_on: 2026-01-01}",
    ):
        files["stakeholders.yaml"] = with_lines(ONE_DM, person)
        assert codes(check(kam, tmp_path, files, OFFERINGS), "KAM309") == [("KAM309", 10, 48)]


def test_footprint_references_are_kam003(kam, tmp_path):
    bad = (
        FOOTPRINT.replace("unit: grid", "unit: gird")
        .replace("offering: forecasting", "offering: forcasting")
        .replace("competitor: Voltra}", "competitor: Voltera}")
    )
    files = {"account.yaml": FOCUS + bad, "stakeholders.yaml": ONE_DM, "org.yaml": ORG}
    got = codes(check(kam, tmp_path, files, OFFERINGS), "KAM003")
    assert got == [("KAM003", 9, 31), ("KAM003", 11, 12), ("KAM003", 11, 69)], got
    r = kam(tmp_path, "validate", "--format", "json")
    hints = {(f["line"], f["column"]): f["hint"] for f in r.json()["findings"]}
    assert hints[(9, 31)] == "Did you mean 'forecasting'?"
    assert hints[(11, 12)] == "Did you mean 'grid'?"
    assert hints[(11, 69)] == "Did you mean 'Voltra'?"
    # without offerings in kam.yaml, the footprint's offering ids are the grid's columns:
    # nothing to check them against (units and competitors still are)
    got = codes(check(kam, tmp_path, {**files, "account.yaml": FOCUS + bad}), "KAM003")
    assert got == [("KAM003", 11, 12), ("KAM003", 11, 69)], got


def test_duplicate_footprint_cell_and_crm_id_are_kam004(kam, tmp_path):
    dup = FOOTPRINT.replace(
        "status: open}", "status: open}\n  - {unit: trading, offering: storage, status: none}"
    )
    people = with_lines(
        ONE_DM.replace(
            "    reviewed: 2026-11-01\n", "    reviewed: 2026-11-01\n    crm_id: 0031x\n"
        ),
        "  - {id: per, name: Per Ek, attitude: 1, crm_id: 0031x}",
    )
    files = {"account.yaml": FOCUS + dup, "stakeholders.yaml": people, "org.yaml": ORG}
    got = codes(check(kam, tmp_path, files, OFFERINGS), "KAM004")
    # the second cell's offering; the second person's crm_id
    assert got == [("KAM004", 11, 31), ("KAM004", 13, 50)], got


def test_new_kam_yaml_keys_are_validated(kam, tmp_path):
    files = {"account.yaml": FOCUS, "stakeholders.yaml": ONE_DM}
    bad = (
        "planning: {deadline: 02-30}\n"
        "team_roles: [relationship-lead, skeptic]\n"
        "language: fr\n"
        "offerings:\n  - {id: a, name: A}\n  - {id: a, name: B}\n"
    )
    from rulecheck import write

    write(tmp_path, files, bad)
    r = kam(tmp_path, "check", "--format", "json")
    assert r.exit_code == 2
    assert "invalid configuration" in r.stderr
    assert "kam.yaml:1:22: KAM002" in r.stderr


def test_kam306_targets_without_period_points_at_the_file(kam, tmp_path):
    files = {
        "account.yaml": FOCUS,
        "stakeholders.yaml": ONE_DM,
        "targets.yaml": "# targets, no period yet\ntargets: []\n",
    }
    assert codes(check(kam, tmp_path, files), "KAM306") == [("KAM306", 2, 1)]
