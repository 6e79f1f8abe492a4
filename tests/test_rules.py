"""One test per rule: a minimal account triggers it at the exact line/column; the fix clears it."""

from __future__ import annotations

import pytest

from conftest import STAKEHOLDERS, findings_of, write_account
from rulecheck import check, codes

ACCOUNT = """\
id: t
name: T
owner: li.ming
reviewed: 2026-10-01
position: 2
value: 2
"""
FOCUS_ACCOUNT = ACCOUNT.replace("position: 2\nvalue: 2", "position: 4\nvalue: 4")

BOSS = STAKEHOLDERS  # one valid key person: a coach and decision maker, fresh and covered

LAYERS = """\
  - id: engineer
    name: Engineer
    layer: general
    attitude: 1
  - id: board
    name: Board
    layer: organizational
    attitude: 1
"""

RIVAL = """\
  - id: cto
    name: CTO
    reports_to: boss
    attitude: 0
    competitor: Rival
    owner: li.ming
    backup: wang.fang
    channels: [a, b]
    last_contact: 2026-11-20
  - id: fan
    name: Fan
    reports_to: cto
    attitude: 3
    owner: li.ming
    backup: wang.fang
    channels: [a, b]
    last_contact: 2026-11-20
"""

ACTION = """\
actions:
  - id: call
    text: Call
    owner: li.ming
    due: 2026-11-01
    status: planned
"""
TARGET = """\
targets:
  - id: win
    kind: share
    text: Win
    due: 2026-11-01
    owner: li.ming
"""
GOAL = """\
relationship_goals:
  - stakeholder: boss
    attitude: 3
    by: 2026-11-01
    owner: li.ming
"""
OPPORTUNITY = """\
opportunities:
  - {id: o, name: O, pbip: 2027-01-01, ready: 2027-02-01}
"""


def case(
    code: str,
    problem: tuple[int, int],
    fixed: dict[str, str] | None = None,
    **files: str,
):
    """One rule case, yamllint style: ``files`` (``stakeholders=...``, ``account=...``,
    ``targets=...``) are the account's files written out in full, replacing the clean
    baseline's; ``problem`` is where the finding must be; ``fixed`` the files (in full)
    that clear it again, the clean baseline when not given."""
    named = {f"{kind}.yaml": text for kind, text in files.items()}
    return pytest.param(code, named, problem, fixed or {}, id=code)


CASES = [
    case(
        "KAM101",
        problem=(5, 15),
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: "?"
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
""",
    ),
    case(
        "KAM102",
        problem=(5, 15),
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: -1
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
""",
    ),
    case(
        "KAM103",
        problem=(1, 1),
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [C]
    attitude: 2
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
""",
    ),
    case(
        "KAM104",
        problem=(7, 12),
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: li.ming
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
""",
    ),
    case(
        "KAM104",
        problem=(8, 13),
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: li.ming
    backup: li.ming
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
""",
    ),
    case(
        "KAM105",
        problem=(9, 15),
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
""",
    ),
    case(
        "KAM106",
        problem=(6, 15),
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 2
    intimacy: 0
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
""",
    ),
    case(
        "KAM107",
        problem=(6, 15),
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 0
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
""",
    ),
    case(
        "KAM108",
        problem=(1, 1),
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D]
    attitude: 2
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
""",
    ),
    case(
        "KAM109",
        problem=(16, 17),
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 1
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
  - id: cto
    name: CTO
    reports_to: boss
    attitude: 0
    competitor: Rival
    owner: li.ming
    backup: wang.fang
    channels: [a, b]
    last_contact: 2026-11-20
  - id: fan
    name: Fan
    reports_to: cto
    attitude: 3
    owner: li.ming
    backup: wang.fang
    channels: [a, b]
    last_contact: 2026-11-20
""",
        account="""\
id: t
name: T
owner: li.ming
reviewed: 2026-10-01
position: 2
value: 2
competitors:
  - name: Rival
""",
        fixed={
            "stakeholders.yaml": """\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 1
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
  - id: cto
    name: CTO
    reports_to: boss
    attitude: 0
    competitor: Rival
    owner: li.ming
    backup: wang.fang
    channels: [a, b]
    last_contact: 2026-11-20
  - id: fan
    name: Fan
    reports_to: boss
    attitude: 3
    owner: li.ming
    backup: wang.fang
    channels: [a, b]
    last_contact: 2026-11-20
"""
        },
    ),
    case(
        "KAM110",
        problem=(1, 1),
        account="""\
id: t
name: T
owner: li.ming
reviewed: 2026-10-01
position: 4
value: 4
""",
        fixed={
            "stakeholders.yaml": """\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
  - id: engineer
    name: Engineer
    layer: general
    attitude: 1
  - id: board
    name: Board
    layer: organizational
    attitude: 1
"""
        },
    ),
    case(
        "KAM111",
        problem=(12, 20),
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
    in_post_since: 2026-10-01
""",
        fixed={
            "stakeholders.yaml": """\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
    in_post_since: 2026-01-01
"""
        },
    ),
    case(
        "KAM112",
        problem=(12, 60),
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [C]
    attitude: 2
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
  - {id: old, name: Old, roles: [D], attitude: 1, left_on: 2026-06-01}
""",
    ),
    case(
        "KAM113",
        problem=(2, 5),
        account="""\
id: t
name: T
owner: li.ming
reviewed: 2026-10-01
position: 4
value: 4
""",
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
  - id: engineer
    name: Engineer
    layer: general
    attitude: 1
  - id: board
    name: Board
    layer: organizational
    attitude: 1
""",
        fixed={
            "stakeholders.yaml": """\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
    sponsor: the.ceo
  - id: engineer
    name: Engineer
    layer: general
    attitude: 1
  - id: board
    name: Board
    layer: organizational
    attitude: 1
"""
        },
    ),
    case(
        "KAM201",
        problem=(10, 19),
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-08-01
    reviewed: 2026-11-01
""",
    ),
    case(
        "KAM202",
        problem=(11, 15),
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-05-01
""",
    ),
    case(
        "KAM203",
        problem=(4, 11),
        account="""\
id: t
name: T
owner: li.ming
reviewed: 2025-06-01
position: 2
value: 2
""",
    ),
    case(
        "KAM204",
        problem=(2, 5),
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    reviewed: 2026-11-01
""",
    ),
    case(
        "KAM301",
        problem=(5, 10),
        targets="""\
actions:
  - id: call
    text: Call
    owner: li.ming
    due: 2026-11-01
    status: planned
""",
        fixed={
            "targets.yaml": """\
actions:
  - id: call
    text: Call
    owner: li.ming
    due: 2026-11-01
    status: done
"""
        },
    ),
    case(
        "KAM302",
        problem=(5, 10),
        targets="""\
targets:
  - id: win
    kind: share
    text: Win
    due: 2026-11-01
    owner: li.ming
""",
        fixed={
            "targets.yaml": """\
targets:
  - id: win
    kind: share
    text: Win
    due: 2027-01-01
    owner: li.ming
"""
        },
    ),
    case(
        "KAM302",
        problem=(4, 9),
        targets="""\
relationship_goals:
  - stakeholder: boss
    attitude: 3
    by: 2026-11-01
    owner: li.ming
""",
        fixed={
            "targets.yaml": """\
relationship_goals:
  - stakeholder: boss
    attitude: 2
    by: 2026-11-01
    owner: li.ming
"""
        },
    ),
    case(
        "KAM303",
        problem=(2, 47),
        targets="""\
opportunities:
  - {id: o, name: O, pbip: 2027-01-01, ready: 2027-02-01}
""",
        fixed={
            "targets.yaml": """\
opportunities:
  - {id: o, name: O, pbip: 2027-01-01, ready: 2026-12-01}
"""
        },
    ),
    case(
        "KAM304",
        problem=(8, 41),
        account="""\
id: t
name: T
owner: li.ming
reviewed: 2026-10-01
position: 2
value: 2
value_curve:
  - {year: 2025, expected: 100, actual: 50}
""",
        fixed={
            "account.yaml": """\
id: t
name: T
owner: li.ming
reviewed: 2026-10-01
position: 2
value: 2
value_curve:
  - {year: 2025, expected: 100, actual: 80}
"""
        },
    ),
    case(
        "KAM305",
        problem=(7, 7),
        account="""\
id: t
name: T
owner: li.ming
reviewed: 2026-10-01
position: 2
value: 2
tier: A
tier_reason: reference customer
""",
        fixed={
            "account.yaml": """\
id: t
name: T
owner: li.ming
reviewed: 2026-10-01
position: 2
value: 2
tier: B
tier_reason: reference customer
"""
        },
    ),
    case(
        "KAM121",
        problem=(7, 12),
        stakeholders="""\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: Li.Ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
""",
    ),
]


# the boss's own stakes (KAM119 asks for an individual need for each decision maker)
NEEDS = """\
needs:
  - {kind: individual, text: Recognition for the network, stakeholder: boss}
"""


#: The clean account every case starts from, and the fix when a case names none.
BASELINE = {"account.yaml": ACCOUNT + NEEDS, "stakeholders.yaml": BOSS}


def setup(tmp_path, files):
    write_account(tmp_path, "t", {**BASELINE, **files})


def test_baseline_is_clean(kam, tmp_path):
    setup(tmp_path, {})
    r = kam(tmp_path, "check", "--format", "json", "--fail-on", "info")
    assert r.json()["findings"] == []
    assert r.exit_code == 0


@pytest.mark.parametrize("code, files, problem, fixed", CASES)
def test_rule_fires_at_position_and_fix_clears_it(kam, tmp_path, code, files, problem, fixed):
    got = check(kam, tmp_path, {**BASELINE, **files})
    assert (code, *problem) in got, got
    # the fix: the case's files with the fixed ones in place, or the clean baseline
    fix = {**BASELINE, **files, **fixed} if fixed else BASELINE
    assert codes(check(kam, tmp_path, fix), code) == []


def test_kam112_replaces_kam103(kam, tmp_path):
    setup(
        tmp_path,
        {
            "stakeholders.yaml": BOSS.replace("[D, C]", "[C]")
            + "  - {id: old, name: Old, roles: [D], attitude: 1, left_on: 2026-06-01}\n"
        },
    )
    codes = [f[0] for f in findings_of(kam(tmp_path, "check", "--format", "json"))]
    assert "KAM112" in codes and "KAM103" not in codes


def test_people_who_left_do_not_count(kam, tmp_path):
    setup(
        tmp_path,
        {
            "stakeholders.yaml": BOSS
            + "  - {id: gone, name: Gone, roles: [D], attitude: '?', left_on: 2026-01-01}\n"
        },
    )
    assert findings_of(kam(tmp_path, "check", "--format", "json", "--fail-on", "info")) == []


def test_today_flips_kam201_from_warning_to_error(kam, tmp_path):
    # tier B (not focus): warn after 90 days, error after 180; last contact 2026-05-01
    setup(
        tmp_path,
        {"stakeholders.yaml": BOSS.replace("last_contact: 2026-11-20", "last_contact: 2026-05-01")},
    )
    before = kam(
        tmp_path, "check", "--format", "json", "--today", "2026-10-28"
    )  # 180 days: still a warning
    after = kam(tmp_path, "check", "--format", "json", "--today", "2026-10-29")  # 181 days: error
    sev = lambda r: [f["severity"] for f in r.json()["findings"] if f["code"] == "KAM201"]  # noqa: E731
    assert sev(before) == ["warning"] and before.exit_code == 0
    assert sev(after) == ["error"] and after.exit_code == 1
    via_env = kam(tmp_path, "check", "--format", "json", env={"KAM_TODAY": "2026-10-29"})
    assert sev(via_env) == ["error"]


def test_focus_tiers_are_stricter(kam, tmp_path):
    # 40 days since contact: fine for tier B (90d), a warning for tier S (30d)
    stale = BOSS.replace("last_contact: 2026-11-20", "last_contact: 2026-10-15") + LAYERS
    people = stale.replace("    owner: li.ming\n", "    owner: li.ming\n    sponsor: ceo\n", 1)
    setup(tmp_path, {"stakeholders.yaml": people})
    assert [
        f for f in findings_of(kam(tmp_path, "check", "--format", "json")) if f[0] == "KAM201"
    ] == []
    setup(tmp_path, {"stakeholders.yaml": people, "account.yaml": FOCUS_ACCOUNT})
    assert ("KAM201", 11, 19) in findings_of(kam(tmp_path, "check", "--format", "json"))


def test_config_changes_severity_and_turns_rules_off(kam, tmp_path):
    setup(tmp_path, {"stakeholders.yaml": BOSS.replace("[D, C]", "[D]")})  # KAM108 info
    (tmp_path / "kam.yaml").write_text("rules:\n  KAM108: error\n")
    r = kam(tmp_path, "check", "--format", "json")
    assert [f["severity"] for f in r.json()["findings"]] == ["error"] and r.exit_code == 1
    (tmp_path / "kam.yaml").write_text("rules:\n  KAM108: off\n")
    r = kam(tmp_path, "check", "--format", "json", "--fail-on", "info")
    assert r.json()["findings"] == [] and r.exit_code == 0


def test_freshness_thresholds_configurable(kam, tmp_path):
    setup(
        tmp_path,
        {"stakeholders.yaml": BOSS.replace("last_contact: 2026-11-20", "last_contact: 2026-11-10")},
    )
    (tmp_path / "kam.yaml").write_text(
        "freshness:\n  last_contact:\n    other: {warn_after: 1w, error_after: 2w}\n"
    )
    assert ("KAM201", 10, 19) in findings_of(kam(tmp_path, "check", "--format", "json"))


def test_inline_disable_on_line_and_line_above(kam, tmp_path):
    text = BOSS.replace(
        "intimacy: 2", "intimacy: 0  # kam: disable=KAM106 -- policy forbids private contact"
    )
    setup(tmp_path, {"stakeholders.yaml": text})
    assert [
        f for f in findings_of(kam(tmp_path, "check", "--format", "json")) if f[0] == "KAM106"
    ] == []
    text = BOSS.replace("    intimacy: 2", "    # kam: disable=KAM105,KAM106\n    intimacy: 0")
    setup(tmp_path, {"stakeholders.yaml": text})
    assert [
        f for f in findings_of(kam(tmp_path, "check", "--format", "json")) if f[0] == "KAM106"
    ] == []
    text = BOSS.replace("    intimacy: 2", "    # kam: disable=KAM105\n    intimacy: 0")
    setup(tmp_path, {"stakeholders.yaml": text})
    assert ("KAM106", 7, 15) in findings_of(kam(tmp_path, "check", "--format", "json"))


def test_a_disable_comment_typed_with_a_chinese_input_method(kam, tmp_path):
    """``# kam：disable=KAM105，KAM106`` (a full-width colon and comma from a Chinese
    input method) silenced KAM105 alone, or nothing, and said nothing. Its full-width
    characters read as their ASCII forms, ``、`` as a comma; a code that names no rule is
    still KAM007, at its column."""
    for comment in (
        "# kam：disable=KAM105，KAM106 -- 政策不允许私下接触",
        "# kam: disable=KAM105、KAM106",
        "# ｋａｍ：ｄｉｓａｂｌｅ＝ＫＡＭ１０５，ＫＡＭ１０６",
    ):
        text = BOSS.replace("    intimacy: 2", f"    {comment}\n    intimacy: 0")
        setup(tmp_path, {"stakeholders.yaml": text})
        found = findings_of(kam(tmp_path, "check", "--format", "json"))
        assert [f for f in found if f[0] in ("KAM105", "KAM106", "KAM007", "KAM008")] == [], (
            comment,
            found,
        )
    text = BOSS.replace("    intimacy: 2", "    # kam：disable=KAM106，KAM1O5\n    intimacy: 0")
    setup(tmp_path, {"stakeholders.yaml": text})
    found = findings_of(kam(tmp_path, "check", "--format", "json"))
    assert [f for f in found if f[0] in ("KAM106", "KAM007")] == [("KAM007", 6, 26)], found


def test_a_disable_comment_naming_no_rule_is_kam007(kam, tmp_path):
    """A typo in `# kam: disable=` (KAM1O5 with a letter O) silenced nothing and said
    nothing: KAM007 at the code, with the code meant; the codes that are rules still
    silence, and kam.yaml cannot turn KAM007 off (the fix is in the comment)."""
    text = BOSS.replace(
        "    intimacy: 2", "    # kam: disable=KAM106, KAM1O5,kam999 -- why\n    intimacy: 0"
    )
    setup(tmp_path, {"stakeholders.yaml": text})
    r = kam(tmp_path, "check", "--format", "json")
    found = [f for f in r.json()["findings"] if f["code"] in ("KAM007", "KAM106")]
    assert [(f["code"], f["line"], f["column"], f["severity"]) for f in found] == [
        ("KAM007", 6, 28, "warning"),
        ("KAM007", 6, 35, "warning"),
    ], found
    assert ("KAM007", 6, 28) in findings_of(r)
    assert "'KAM1O5'" in found[0]["message"] and "did you mean 'KAM105'?" in found[0]["message"]
    assert "'kam999'" in found[1]["message"]
    assert kam(tmp_path, "check", "--fail-on", "warning").exit_code == 1
    (tmp_path / "kam.yaml").write_text("rules:\n  KAM007: off\n")
    r = kam(tmp_path, "check")
    assert r.exit_code == 2 and "KAM007" in r.stdout + r.stderr
    # why, in its own words: KAM007 is no broken file (as KAM001-KAM006 are)
    assert (
        "kam.yaml:2:3: KAM002 KAM007 reports a `# kam: disable=` comment that names no rule: "
        "correct the comment; kam.yaml cannot change it or turn it off (error)"
    ) in r.stderr.splitlines(), r.stderr
    assert "broken file" not in r.stderr
    zh = kam(tmp_path, "check", "--lang", "zh-CN")
    assert "KAM007 报告的是没有指明任何规则的 `# kam: disable=` 注释" in zh.stderr, zh.stderr


@pytest.mark.parametrize("fail_on, code", [("error", 0), ("warning", 1), ("info", 1)])
def test_fail_on_levels_warning(kam, tmp_path, fail_on, code):
    setup(
        tmp_path, {"stakeholders.yaml": BOSS.replace("[calls, visits]", "[calls]")}
    )  # KAM105 warning
    assert kam(tmp_path, "check", "--fail-on", fail_on).exit_code == code


@pytest.mark.parametrize("fail_on, code", [("error", 0), ("warning", 0), ("info", 1)])
def test_fail_on_levels_info(kam, tmp_path, fail_on, code):
    setup(tmp_path, {"stakeholders.yaml": BOSS.replace("[D, C]", "[D]")})  # KAM108 info
    assert kam(tmp_path, "check", "--fail-on", fail_on).exit_code == code


def test_bad_fail_on_is_usage_error(kam, tmp_path):
    setup(tmp_path, {})
    assert kam(tmp_path, "check", "--fail-on", "fatal").exit_code == 2


def test_stale_lists_only_freshness_sorted_by_overdue(kam, tmp_path):
    two = BOSS.replace("last_contact: 2026-11-20", "last_contact: 2026-08-01") + (
        "  - {id: b, name: B, attitude: 1, owner: x, backup: y, last_contact: 2026-03-01}\n"
        "  - {id: c, name: C, attitude: 1, owner: x, backup: y}\n"
    )
    setup(tmp_path, {"stakeholders.yaml": two})
    r = kam(tmp_path, "stale", "--format", "json")
    codes = [f["code"] for f in r.json()["findings"]]
    assert set(codes) <= {"KAM201", "KAM202", "KAM203", "KAM204"}
    t = kam(tmp_path, "stale", "--no-color")
    lines = [ln for ln in t.stdout.splitlines() if "│ T (t) " in ln]
    people = [ln.split("│")[2].strip() for ln in lines]
    # issue 12 defect 13: errors first (b, 268d over 180), then the warnings: never
    # contacted (c), then by how overdue (boss, 115d over 90)
    assert people == ["B (b)", "C (c)", "The Boss (boss)"], t.stdout
    assert t.exit_code == 1  # b is past the error threshold


def test_disable_comments_count_lines_as_the_reader_does(kam, tmp_path):
    """A line separator (U+2028) in a quoted value is a line break to the reader (YAML
    1.1), so every position after it is a line further down; the disable comments and
    KAM007 count lines the same way, or they would silence the line above."""
    text = BOSS.replace("name: The Boss", 'name: "The\u2028Boss"').replace(
        "    intimacy: 2", "    intimacy: 0  # kam: disable=KAM106,KAM1O5"
    )
    setup(tmp_path, {"stakeholders.yaml": text})
    found = findings_of(kam(tmp_path, "check", "--format", "json"))
    assert [f for f in found if f[0] == "KAM106"] == [], found
    line = 1 + text.replace("\u2028", "\n").split("\n").index(
        "    intimacy: 0  # kam: disable=KAM106,KAM1O5"
    )
    assert ("KAM007", line, 40) in found, found
