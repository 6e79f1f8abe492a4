"""Values at the ends of what a field takes.

The first and the last day Python can count (0001-01-01, 9999-12-31) in every date a
file takes, and as ``--today``: some teams write ``due: 9999-12-31`` for "some day", and
a slip of the keyboard writes year 1. Every command ends with its output or a finding,
never an internal error: a day after 9999-12-31 (an all-day event's end in the agenda's
calendar) or before 0001-01-01 (the farewell meeting before a departure) does not exist."""

from __future__ import annotations

import shutil

import pytest

from conftest import EXAMPLES, dedent, write_account
from gitrepo import commit, new_repo

COMMANDS = [
    ("check", "--format", "json"),
    ("check", "--format", "sarif"),
    ("stale",),
    ("grade",),
    ("grade", "nordtel"),
    ("agenda", "--days", "4000000"),
    ("agenda", "--days", "4000000", "--format", "ics"),
    ("agenda", "--format", "json"),
    ("plan", "nordtel"),
    ("map", "nordtel"),
    ("portfolio",),
    ("whitespace",),
    ("history", "nordtel", "ingrid-dahl"),
    ("diff", "HEAD~1"),
]


@pytest.fixture(scope="module")
def extreme_repo(tmp_path_factory):
    root = new_repo(tmp_path_factory.mktemp("extreme") / "repo")
    shutil.copytree(EXAMPLES, root / "accounts")
    commit(root, "as it was", date="2026-11-01")
    folder = root / "accounts" / "nordtel"
    edits = {
        "stakeholders.yaml": [
            ("left_on: 2027-04-30", "left_on: 0001-01-20"),
            ("last_contact: 2026-10-28", "last_contact: 0001-01-01"),
            ("reviewed: 2026-10-28", "reviewed: 9999-12-31"),
        ],
        "targets.yaml": [
            ("due: 2027-06-30", "due: 9999-12-31"),
            ("due: 2026-11-15", "due: 0001-01-01"),
            ("due: 2026-12-10", "due: 9999-12-31"),
            ("by: 2027-06-30", "by: 9999-12-31"),
            ("by: 2027-03-31", "by: 0001-01-01"),
            ("pbip: 2027-04-30, ready: 2027-03-15", "pbip: 9999-12-31, ready: 0001-01-01"),
            ("pbip: 2027-02-28, ready: 2027-05-31", "pbip: 0001-01-01, ready: 9999-12-31"),
        ],
        "log.yaml": [("date: 2026-06-05", "date: 0001-01-01")],
        "account.yaml": [("reviewed: 2026-09-15", "reviewed: 0001-01-01")],
    }
    for name, pairs in edits.items():
        path = folder / name
        text = path.read_text("utf-8")
        for old, new in pairs:
            assert old in text, (name, old)
            text = text.replace(old, new, 1)
        path.write_text(text, "utf-8")
    commit(root, "the first and the last days", date="2026-11-20")
    return root


@pytest.mark.parametrize("today", ["2026-12-03", "0001-01-01", "0001-01-10", "9999-12-31"])
def test_every_command_on_the_first_and_last_days(kam, extreme_repo, today):
    failed = []
    for args in COMMANDS:
        r = kam(extreme_repo, *args, env={"KAM_TODAY": today})
        if r.exit_code not in (0, 1) or "internal error" in r.stderr:
            failed.append((args, r.exit_code, r.stderr.strip()[-300:]))
    assert failed == []


def test_an_item_due_on_the_last_day_is_a_one_day_event(kam, extreme_repo):
    """No DTEND for an event on 9999-12-31 (the day after it does not exist): an all-day
    event without one lasts its day (RFC 5545 3.6.1)."""
    from icalendar import Calendar

    r = kam(extreme_repo, "agenda", "--days", "4000000", "--format", "ics")
    assert r.exit_code == 0, r.stderr
    events = Calendar.from_ical(r.stdout).walk("VEVENT")
    last = [e for e in events if e.decoded("dtstart").isoformat() == "9999-12-31"]
    assert last and all("DTEND" not in e for e in last)
    others = [e for e in events if e not in last]
    assert others and all((e.decoded("dtend") - e.decoded("dtstart")).days == 1 for e in others)


def test_a_targets_baseline_and_goal_are_finite_numbers_or_text(kam, tmp_path):
    """``goal: .inf`` and ``baseline: .nan`` were taken, and the plan's target table said
    "nan → inf"; every amount already had to be finite. A value no branch of "a number or
    a text" takes is told once, without "a whole number" beside "a number"."""
    targets = dedent(
        """
        period: 2026
        targets:
          - {id: a, kind: share, text: Share, baseline: .nan, goal: .inf, due: 2026-12-31, owner: li.ming}
          - {id: b, kind: share, text: Share, baseline: [1], goal: 0.5, due: 2026-12-31, owner: li.ming}
          - {id: c, kind: share, text: Share, baseline: 35%, goal: 1e300, due: 2026-12-31, owner: li.ming}
        """
    )
    write_account(tmp_path, "acme", {"targets.yaml": targets})
    r = kam(tmp_path, "validate", "--format", "json")
    got = [(f["line"], f["column"], f["message"]) for f in r.json()["findings"]]
    assert got == [
        (3, 49, "targets #1 (a).baseline: must be a finite number; got nan"),
        (3, 61, "targets #1 (a).goal: must be a finite number; got inf"),
        (4, 49, "targets #2 (b).baseline: must be a number or must be a text, not a list"),
    ], got
    zh = kam(tmp_path, "validate", "--lang", "zh-CN")
    assert "targets #1（a）.goal：必须是有限的数字；实际为 inf（错误）" in zh.stdout, zh.stdout
