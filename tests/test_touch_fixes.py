"""`kam touch` is the tool for a missing or unreadable date: the write guard lets it fix
one, and still refuses a write on a broken account that fixes nothing.

An account with errors is refused by every write ("fix it first"). When the error is the
very date `kam touch` sets (account.yaml without ``reviewed``, ``reviewed: last week``,
a person's ``last_contact: 2026-13-01``), refusing sent the user to fix by hand what the
command was meant to fix. The guard now reads the account as the write would leave it:
one error fewer and none new, the write lands; else nothing is written and the errors
are listed.
"""

from __future__ import annotations

from conftest import TODAY, write_account
from gitrepo import commit, new_repo

ACCOUNT = """\
id: hanse
name: Hanse Logistik
owner: jonas.weber
position: 2
value: 4
"""

PEOPLE = """\
stakeholders:
  - id: cfo
    name: Petra Lange
    roles: [D]
    attitude: 1
    owner: jonas.weber
    backup: mia.koch
    last_contact: 2026-13-01
  - id: cio
    name: Uwe Brandt
    roles: [E]
    attitude: 0
    owner: jonas.weber
    last_contact: 2026-10-02
"""


def _repo(tmp_path, account: str = ACCOUNT, people: str = PEOPLE):
    root = new_repo(tmp_path / "sales")
    (root / "kam.yaml").write_text("accounts: accounts\n")
    folder = write_account(root, "hanse", {"account.yaml": account, "stakeholders.yaml": people})
    commit(root, "by hand")
    return root, folder


def _errors(kam, root) -> list[tuple[str, str]]:
    r = kam(root, "check", "--format", "json")
    return [(f["code"], f["message"]) for f in r.json()["findings"] if f["severity"] == "error"]


def test_touch_reviewed_adds_the_missing_date(kam, tmp_path):
    """account.yaml without ``reviewed`` (KAM002) and a person's impossible date: each
    touch fixes its own error, one at a time, and the account ends clean; a touch of
    someone whose entry is fine fixes nothing and is refused while the errors stand."""
    root, folder = _repo(tmp_path)
    assert {code for code, _m in _errors(kam, root)} == {"KAM002"}
    before = (folder / "stakeholders.yaml").read_bytes()
    r = kam(root, "touch", "hanse", "cio")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[-1] == (
        "kam: error: account 'hanse' cannot be changed safely: it has errors this change "
        "does not fix; fix it first (kam validate hanse); nothing written"
    )
    assert "last_contact" in r.stderr and "missing required key 'reviewed'" in r.stderr
    assert (folder / "stakeholders.yaml").read_bytes() == before

    r = kam(root, "touch", "hanse", "--reviewed", "today")
    assert (r.exit_code, r.stdout) == (0, f"hanse: reviewed set to {TODAY} (not set before)\n")
    assert (folder / "account.yaml").read_text() == ACCOUNT + f"reviewed: {TODAY}\n"
    r = kam(root, "touch", "hanse", "Petra Lange")  # by name, as for a readable entry
    assert (r.exit_code, r.stdout) == (0, f"hanse/cfo: last_contact 2026-13-01 → {TODAY}\n")
    assert (folder / "stakeholders.yaml").read_text() == PEOPLE.replace("2026-13-01", TODAY)
    assert _errors(kam, root) == []


def test_an_unreadable_review_date_is_replaced(kam, tmp_path):
    """``reviewed: last week`` (not a date) is replaced by `kam touch --reviewed`."""
    root, folder = _repo(
        tmp_path,
        account=ACCOUNT + "reviewed: last week\n",
        people=PEOPLE.replace("2026-13-01", "2026-11-02"),
    )
    r = kam(root, "touch", "hanse", "--reviewed", "2026-11-20")
    assert (r.exit_code, r.stdout) == (0, "hanse: reviewed last week → 2026-11-20\n")
    assert (folder / "account.yaml").read_text() == ACCOUNT + "reviewed: 2026-11-20\n"
    assert _errors(kam, root) == []


def test_other_errors_still_stop_every_write(kam, tmp_path):
    """An error the touch does not set (an attitude of 5, a file that does not parse)
    stops it, and `kam log` as before; a person not found in an account with errors gets
    the account's refusal, which lists the errors, rather than "no stakeholder"."""
    people = PEOPLE.replace("2026-13-01", "2026-11-02").replace("attitude: 0", "attitude: 5")
    root, folder = _repo(tmp_path, account=ACCOUNT + "reviewed: 2026-09-01\n", people=people)
    for args in (
        ["touch", "hanse", "cfo"],
        ["touch", "hanse", "cio"],  # the broken entry itself: the date is not its error
        ["touch", "hanse", "--reviewed", "today"],
        ["touch", "hanse", "nobody"],
        ["log", "hanse", "cfo", "-m", "Call about the tender"],
    ):
        r = kam(root, *args)
        assert r.exit_code == 1, args
        assert "cannot be changed safely" in r.stderr.splitlines()[-1], args
        assert "attitude" in r.stderr, args
    assert (folder / "stakeholders.yaml").read_text() == people
    assert not (folder / "log.yaml").exists()

    (folder / "stakeholders.yaml").write_text("stakeholders: [\n")
    r = kam(root, "touch", "hanse", "--reviewed", "today")
    assert r.exit_code == 1
    assert "stakeholders.yaml does not parse" in r.stderr.splitlines()[-1]


def test_an_entry_that_does_not_read_keeps_the_checks_of_one_that_does(kam, tmp_path):
    """A touch of an entry left out for its own problem skipped the checks every touch
    makes: a contact recorded after the person left, a date moved back, and a name two
    broken entries share guessed. Each is refused, nothing written."""
    people = """\
stakeholders:
  - id: wang-a
    name: Wang Li
    roles: [D]
    attitude: 1
    left_on: 2026-06-01
    last_contact: last week
  - id: zhao
    name: Zhao Min
    roles: [E]
    attitude: 1
    last_contact: 2026-11-20
    reviewed: someday
"""
    root, folder = _repo(tmp_path, account=ACCOUNT + "reviewed: 2026-09-01\n", people=people)
    for args in (
        ["touch", "hanse", "Wang Li"],  # left on 2026-06-01
        ["touch", "hanse", "zhao", "--contact", "2026-01-01", "--reviewed", "today"],
    ):
        r = kam(root, *args)
        assert r.exit_code == 1, (args, r.stdout)
    assert (folder / "stakeholders.yaml").read_text() == people
    twice = people.replace("  - id: zhao\n    name: Zhao Min", "  - id: wang-b\n    name: Wang Li")
    twice = twice.replace("    left_on: 2026-06-01\n", "")
    (folder / "stakeholders.yaml").write_text(twice)
    r = kam(root, "touch", "hanse", "wang li")
    assert r.exit_code == 1 and "cannot be changed safely" in r.stderr
    assert (folder / "stakeholders.yaml").read_text() == twice
    r = kam(root, "touch", "hanse", "wang-a")  # by its id: that one
    assert r.exit_code == 0, r.stderr
