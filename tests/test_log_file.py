"""log.yaml (SPEC 1, v2): its schema, references, the effective last contact, KAM205, KAM206."""

from __future__ import annotations

import pytest

from conftest import findings_of, write_account

# A small focus-tier (S) account of a Chinese customer; nothing like the examples.
ACCOUNT = """\
id: huaxin
name: 华信电力
owner: zhou.lan
reviewed: 2026-10-01
position: 4
value: 4
"""

PEOPLE = """\
stakeholders:
  - id: wang-jun
    name: 王军
    roles: [D]
    attitude: 1
    intimacy: 1
    owner: zhou.lan
    backup: he.ping
    sponsor: gao.yuan
    channels: [a, b]
    last_contact: 2026-08-01
  - id: li-na
    name: 李娜
    roles: [C]
    attitude: 3
    intimacy: 2
    owner: he.ping
    backup: zhou.lan
    channels: [a, b]
    last_contact: 2026-11-20
  - id: old-boss
    name: 老板
    roles: [E]
    attitude: 1
    left_on: 2026-01-31
"""


def _account(tmp_path, log: str | None, people: str = PEOPLE):
    files = {"account.yaml": ACCOUNT, "stakeholders.yaml": people}
    if log is not None:
        files["log.yaml"] = log
    return write_account(tmp_path, "huaxin", files)


def _check(kam, tmp_path, *extra):
    return kam(tmp_path, "check", "--format", "json", "--fail-on", "info", *extra)


def test_schema_errors_and_broken_references_point_at_line_and_column(kam, tmp_path):
    _account(
        tmp_path,
        """\
        entries:
          - date: 2026-11-02
            with: [li-na, wang-jnu]
            by: [zhou.lan]
          - date: 2026-11-03
            wiht: [li-na]
            by: []
            kind: lunch
        """,
    )
    r = kam(tmp_path, "validate", "--format", "json")
    assert r.exit_code == 1
    found = {(f["code"], f["line"], f["column"]): f["message"] for f in r.json()["findings"]}
    assert ("KAM002", 6, 5) in found and "did you mean 'with'" in found[("KAM002", 6, 5)]
    # the entry misses `with`: the unknown key's "did you mean 'with'" says so, once
    assert ("KAM002", 5, 5) not in found
    assert ("KAM002", 7, 9) in found  # by: [] needs one of ours
    assert ("KAM002", 8, 11) in found and "meeting" in found[("KAM002", 8, 11)]
    assert found[("KAM002", 7, 9)].endswith("must have at least 1 item, not 0")
    # the readable entry's broken reference is reported in the same pass (SPEC 7)
    assert ("KAM003", 3, 19) in found
    _account(
        tmp_path,
        """\
        entries:
          - date: 2026-11-02
            with: [li-na, wang-jnu]
            by: [zhou.lan]
        """,
    )
    r = kam(tmp_path, "validate", "--format", "json")
    assert r.exit_code == 1
    [f] = r.json()["findings"]
    assert (f["code"], f["line"], f["column"]) == ("KAM003", 3, 19)
    assert f["hint"] == "Did you mean 'wang-jun'?"
    assert f["path"] == "accounts/huaxin/log.yaml"


def test_empty_log_and_empty_entries_are_valid(kam, tmp_path):
    for text in ("", "# nothing yet\n", "entries: []\n"):
        _account(tmp_path, text)
        r = kam(tmp_path, "validate")
        assert r.exit_code == 0, (text, r.stdout)


def test_schema_command_has_the_log(kam, tmp_path):
    r = kam(tmp_path, "schema")
    schema = r.json()["log"]
    entry = schema["$defs"]["LogEntry"]
    assert set(entry["required"]) == {"date", "with", "by"}
    assert entry["properties"]["with"]["minItems"] == 1
    assert "executive-meeting" in entry["properties"]["kind"]["enum"]


def test_log_entry_makes_a_stale_person_fresh_and_says_where(kam, tmp_path):
    # wang-jun: last_contact 2026-08-01 is 115 days old on 2026-11-24 (focus: error after 60)
    _account(tmp_path, None)
    before = _check(kam, tmp_path).json()["findings"]
    assert [f["severity"] for f in before if f["code"] == "KAM201"] == ["error"]
    _account(
        tmp_path,
        """\
        # our contacts
        entries:
          - date: 2026-09-20
            with: [wang-jun]
            by: [zhou.lan]
        """,
    )
    # 65 days since 2026-09-20: still an error, but the date now comes from the log
    [f] = [f for f in _check(kam, tmp_path).json()["findings"] if f["code"] == "KAM201"]
    assert f["data"]["date"] == "2026-09-20" and f["data"]["source"] == "log.yaml:3"
    assert "(log.yaml:3)" in f["message"]
    assert (f["path"], f["line"]) == ("accounts/huaxin/stakeholders.yaml", 11)
    stale = kam(tmp_path, "stale", "--no-color")
    assert "log.yaml:3" in stale.stdout
    _account(
        tmp_path,
        """\
        entries:
          - {date: 2026-09-20, with: [wang-jun], by: [zhou.lan]}
          - {date: 2026-11-10, with: [li-na, wang-jun], by: [he.ping], kind: call}
        """,
    )
    assert not [f for f in _check(kam, tmp_path).json()["findings"] if f["code"] == "KAM201"]


def test_kam204_only_without_any_contact(kam, tmp_path):
    people = PEOPLE.replace("    last_contact: 2026-08-01\n", "")
    _account(tmp_path, None, people)
    assert ("KAM204", 2, 5) in findings_of(_check(kam, tmp_path))
    _account(tmp_path, "entries:\n  - {date: 2026-11-01, with: [wang-jun], by: [x]}\n", people)
    assert "KAM204" not in [c for c, _l, _c in findings_of(_check(kam, tmp_path))]


def test_future_log_entry_is_kam206_and_not_a_contact(kam, tmp_path):
    _account(
        tmp_path,
        "entries:\n  - date: 2026-12-24\n    with: [wang-jun]\n    by: [zhou.lan]\n",
    )
    r = _check(kam, tmp_path)
    found = {(f["code"], f["line"], f["column"]): f for f in r.json()["findings"]}
    f206 = found[("KAM206", 2, 11)]
    assert f206["severity"] == "warning"
    assert f206["message"].startswith("date 2026-12-24 is in the future")
    # the future entry does not refresh wang-jun: his KAM201 still reads 2026-08-01
    [f201] = [f for f in r.json()["findings"] if f["code"] == "KAM201"]
    assert f201["data"]["date"] == "2026-08-01"


@pytest.mark.parametrize(
    ("log", "today", "expected"),
    [
        (None, "2026-11-24", ("warning", "no meeting")),
        # a meeting without the sponsor is no sponsor touch
        (
            "  - {date: 2026-11-01, with: [wang-jun], by: [zhou.lan]}\n",
            "2026-11-24",
            ("warning", "no meeting"),
        ),
        # the sponsor met him: fresh for 180 days
        (
            "  - {date: 2026-06-01, with: [wang-jun], by: [gao.yuan, zhou.lan]}\n",
            "2026-11-24",
            None,
        ),
        # 181 days later: warning; 366 days: error
        (
            "  - {date: 2026-06-01, with: [wang-jun], by: [gao.yuan]}\n",
            "2026-11-29",
            ("warning", "181 days"),
        ),
        (
            "  - {date: 2026-06-01, with: [wang-jun], by: [gao.yuan]}\n",
            "2027-06-02",
            ("error", "366 days"),
        ),
    ],
)
def test_kam205_sponsor_touch(kam, tmp_path, log, today, expected):
    text = None if log is None else "entries:\n" + log
    _account(tmp_path, text)
    r = _check(kam, tmp_path, "--today", today)
    got = [f for f in r.json()["findings"] if f["code"] == "KAM205"]
    if expected is None:
        assert got == []
        return
    [f] = got
    assert (f["code"], f["line"], f["column"]) == ("KAM205", 9, 14)  # wang-jun's `sponsor`
    assert f["severity"] == expected[0] and expected[1] in f["message"]
    if "days" in expected[1]:
        assert f["data"]["source"] == "log.yaml:2"


def test_kam205_only_for_focus_tiers_and_configurable(kam, tmp_path):
    _account(tmp_path, "entries:\n  - {date: 2026-06-01, with: [wang-jun], by: [gao.yuan]}\n")
    (tmp_path / "kam.yaml").write_text(
        "freshness:\n  sponsor_touch: {warn_after: 30d, error_after: 90d}\n"
    )
    [f] = [f for f in _check(kam, tmp_path).json()["findings"] if f["code"] == "KAM205"]
    assert f["severity"] == "error"
    (tmp_path / "kam.yaml").write_text("focus_tiers: [A]\n")
    assert "KAM205" not in [c for c, _l, _c in findings_of(_check(kam, tmp_path))]


def test_plan_shows_the_newest_ten_entries_and_the_open_next_steps(kam, tmp_path):
    rows = ["entries:"]
    for day in range(1, 13):  # 12 entries; the plan shows the newest 10
        rows.append(
            f"  - {{date: 2026-10-{day:02d}, with: [li-na], by: [he.ping], summary: 'visit {day}'}}"
        )
    rows += [
        "  - date: 2026-11-02",
        "    with: [wang-jun]",
        "    by: [zhou.lan]",
        "    summary: 'Budget | *not* <b>approved</b>'",
        "    next: 'Send the [offer](http://x.invalid) | price'",
        "  - {date: 2026-11-03, with: [li-na], by: [he.ping], next: closed by the next entry}",
        "  - {date: 2026-11-04, with: [li-na, old-boss], by: [he.ping], kind: email}",
    ]
    _account(tmp_path, "\n".join(rows) + "\n")
    r = kam(tmp_path, "plan", "huaxin")
    assert r.exit_code == 0, r.stderr
    log = r.stdout.split("## Contact log", 1)[1]
    assert "The newest 10 of 15 entries in log.yaml, newest first." in log
    table = [line for line in log.splitlines() if line.startswith("| 2026-")]
    assert [line.split(" | ")[0] for line in table] == [
        "| 2026-11-04",
        "| 2026-11-03",
        "| 2026-11-02",
        *[f"| 2026-10-{d:02d}" for d in range(12, 5, -1)],
    ]
    assert table[0] == "| 2026-11-04 | email | 李娜, 老板 (left 2026-01-31) | he.ping |  |"
    assert "Budget \\| \\*not\\* \\<b>approved\\</b>" in table[2]
    steps = log.split("### Next steps still open", 1)[1]
    assert (
        "- 2026-11-02, with 王军 (zhou.lan): Send the \\[offer\\](http://x.invalid) \\| price"
        in steps
    )
    assert "closed by the next entry" not in steps
    # the stakeholder table reads the effective last contact: wang-jun's log entry of
    # 11-02 beats his last_contact of 08-01; li-na's last_contact of 11-20 beats the log
    row = {line.split(" | ")[0]: line for line in r.stdout.splitlines() if line.startswith("| ")}
    assert row["| 王军"].endswith("| 2026-11-02 |")
    assert row["| 李娜"].endswith("| 2026-11-20 |")


def test_starting_a_log_does_not_make_a_stale_contact_new_in_diff(kam, tmp_path):
    import subprocess

    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.email", "kam@example.com")
    git("config", "user.name", "kam")
    _account(tmp_path, None)
    git("add", "-A")
    git("commit", "-qm", "before the log")
    # a logged contact that leaves wang-jun stale (65 days): the date now comes from the log
    _account(tmp_path, "entries:\n  - {date: 2026-09-20, with: [wang-jun], by: [gao.yuan]}\n")
    j = kam(tmp_path, "diff", "--format", "json").json()
    [acct] = j["accounts"]
    kam201 = [
        f
        for key in ("findings_new", "findings_resolved", "new_findings", "resolved_findings")
        for f in acct.get(key, [])
        if f["code"] == "KAM201"
    ]
    assert kam201 == []
    assert "KAM201" not in kam(tmp_path, "diff").stdout


def test_a_last_contact_in_the_future_is_not_fresh(kam, tmp_path):
    # li-na's last_contact 2026-11-20 is fresh on 2026-11-24; moved into the future it is not
    people = PEOPLE.replace("last_contact: 2026-11-20", "last_contact: 2026-12-20")
    for text, share in ((PEOPLE, 0.5), (people, 0.0)):
        _account(tmp_path, None, text)
        r = kam(tmp_path, "grade", "--format", "json", "--explain")
        assert r.json()["accounts"][0]["components"]["freshness"]["share"] == share
