"""KAM002 messages echo what the file says and, when the fix is certain, say what to write:
a date in another common form (its ISO form), a number on a scale written in quotes."""

from __future__ import annotations

import pytest

from conftest import write_account

PROFILE = (
    "id: hx\nname: 华星 Hx\nowner: li.ming\nreviewed: {reviewed}\nposition: {position}\nvalue: 4\n"
)


def messages(kam, root, account: str = "hx") -> dict[str, str]:
    r = kam(root, "validate", account, "--format", "json")
    assert r.exit_code == 1, r.stdout
    return {
        f["message"].split(":", 1)[0]: f["message"].split(": ", 1)[1]
        for f in r.json()["findings"]
        if f["code"] == "KAM002"
    }


@pytest.mark.parametrize(
    "written, expect",
    [
        ("2026/11/05", "must be a date YYYY-MM-DD, not '2026/11/05': write 2026-11-05"),
        ("2026.11.05", "must be a date YYYY-MM-DD, not '2026.11.05': write 2026-11-05"),
        ("05.11.2026", "must be a date YYYY-MM-DD, not '05.11.2026': write 2026-11-05"),
        ("5.1.2027", "must be a date YYYY-MM-DD, not '5.1.2027': write 2027-01-05"),
        ("2026-9-5", "must be a date YYYY-MM-DD, not '2026-9-5': write 2026-09-05"),
        ('"2026年11月5日"', "must be a date YYYY-MM-DD, not '2026年11月5日': write 2026-11-05"),
        # no guess: day and month cannot be told apart, or no such day
        ("05/11/2026", "must be a date YYYY-MM-DD, not '05/11/2026'"),
        ("31.02.2026", "must be a date YYYY-MM-DD, not '31.02.2026'"),
        ("2026/13/01", "must be a date YYYY-MM-DD, not '2026/13/01'"),
        ("last Tuesday", "must be a date YYYY-MM-DD, not 'last Tuesday'"),
        ("[2026, 11, 5]", "must be a date YYYY-MM-DD, not a list"),
    ],
)
def test_a_date_in_another_form(kam, tmp_path, written, expect):
    people = f"stakeholders:\n  - {{id: wu, name: 吴磊, attitude: 1, last_contact: {written}}}\n"
    write_account(tmp_path, "hx", {"stakeholders.yaml": people})
    got = messages(kam, tmp_path)
    assert got == {"stakeholders #1 (wu).last_contact": expect}


def test_account_dates_and_quoted_scales(kam, tmp_path):
    write_account(
        tmp_path,
        "hx",
        {
            "account.yaml": PROFILE.format(reviewed="2026.10.30", position='"4"'),
            "stakeholders.yaml": (
                "stakeholders:\n"
                '  - {id: wu, name: 吴磊, attitude: "+2", intimacy: "-1"}\n'
                '  - {id: li, name: Li Na, attitude: "5"}\n'
                "  - {id: ma, name: Ma Yun, attitude: '?'}\n"
            ),
        },
    )
    got = messages(kam, tmp_path)
    scale = 'must be a whole number from -3 to 3, or "?" if not yet known; got '
    assert got == {
        "reviewed": "must be a date YYYY-MM-DD, not '2026.10.30': write 2026-10-30",
        "position": "must be a whole number from 1 to 5; got '4' (a text: write 4 without quotes)",
        "stakeholders #1 (wu).attitude": scale + "'+2' (a text: write +2 without quotes)",
        "stakeholders #1 (wu).intimacy": scale + "'-1' (a text: write -1 without quotes)",
        "stakeholders #2 (li).attitude": scale + "'5'",  # off the scale: no advice to unquote
    }


def test_the_advice_is_right_and_translated(kam, tmp_path):
    """Writing what the message says makes the account valid; the message speaks Chinese."""
    people = 'stakeholders:\n  - {id: wu, name: 吴磊, attitude: "+2", last_contact: 05.11.2026}\n'
    folder = write_account(tmp_path, "hx", {"stakeholders.yaml": people})
    r = kam(tmp_path, "--lang", "zh-CN", "validate", "hx")
    assert "而不是“05.11.2026”：请写成 2026-11-05" in r.stdout + r.stderr
    assert "去掉引号，写成 +2" in r.stdout + r.stderr
    (folder / "stakeholders.yaml").write_text(
        "stakeholders:\n  - {id: wu, name: 吴磊, attitude: +2, last_contact: 2026-11-05}\n"
    )
    assert kam(tmp_path, "validate", "hx").exit_code == 0
