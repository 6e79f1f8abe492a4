"""A finding that changes severity is a change of the gate: `kam diff` lists it.

Raising an account into a focus tier turns a stale contact's warning (90-day limit)
into an error (60-day limit) without any new finding: `kam diff --fail-on-worse` passed
("0 worse") while `kam check` on the same tree failed. Findings are the same one across
sides by code, file, subject and message (``findings.identity``), not by severity: so a
warning that became an error is listed as the new error (the warning resolved), and
counts as worse; an error that became a warning is the error resolved. `kam history`
reads its rows the same way, so a kam.yaml-only commit that turns errors into warnings
gets its "settings changed" row.
"""

from __future__ import annotations

from conftest import write_account
from gitrepo import commit, git, new_repo

ACCOUNT = """\
id: acme
name: Acme GmbH
owner: j.weber
reviewed: 2026-02-01
position: 2
value: 2
"""

PEOPLE = """\
stakeholders:
  - id: anna
    name: Anna Öberg
    roles: [D]
    attitude: 1
    owner: j.weber
    backup: m.schulz
    channels: [phone, email]
    last_contact: 2025-12-01
"""

DAY = "2026-03-12"  # Anna's contact: 101 days old


def _repo(tmp_path):
    root = new_repo(tmp_path / "sales")
    write_account(root, "acme", {"account.yaml": ACCOUNT, "stakeholders.yaml": PEOPLE})
    commit(root, "acme", "2026-02-01")
    return root


def _kam201(result) -> list[tuple[str, str]]:
    return [(f["code"], f["severity"]) for f in result if f["code"] == "KAM201"]


def test_a_warning_that_becomes_an_error_is_worse(kam, tmp_path):
    root = _repo(tmp_path)
    before = kam(root, "check", "--today", DAY)
    assert before.exit_code == 0 and "over the 90-day limit" in before.stdout
    account = root / "accounts" / "acme" / "account.yaml"
    account.write_text(
        ACCOUNT.replace("position: 2", "position: 3").replace("value: 2", "value: 3")
    )
    assert kam(root, "check", "--today", DAY).exit_code == 1  # now an error: the gate fails

    r = kam(root, "diff", "--today", DAY, "--fail-on-worse", "--format", "json")
    assert r.exit_code == 1, r.stdout
    (acct,) = r.json()["accounts"]
    assert _kam201(acct["new_findings"]) == [("KAM201", "error")]
    assert _kam201(acct["resolved_findings"]) == [("KAM201", "warning")]
    text = kam(root, "diff", "--today", DAY)
    assert "1 worse" in text.stdout.splitlines()[-1], text.stdout
    assert (
        "new      KAM201 last contact with Anna Öberg (anna) was 101 days ago, over the 60-day"
        in text.stdout
    )

    # and back (position and value lowered, ▼ each): the error resolved, the warning new
    commit(root, "acme: focus tier", "2026-03-01")
    account.write_text(ACCOUNT)
    back = kam(root, "diff", "--today", DAY, "--format", "json")
    (acct,) = back.json()["accounts"]
    assert _kam201(acct["resolved_findings"]) == [("KAM201", "error")]
    assert _kam201(acct["new_findings"]) == [("KAM201", "warning")]


def test_a_settings_commit_that_changes_severities_has_its_history_row(kam, tmp_path):
    root = _repo(tmp_path)
    (root / "kam.yaml").write_text(
        "freshness:\n  last_contact:\n    other: {warn_after: 30d, error_after: 90d}\n"
    )
    commit(root, "stricter contacts", "2026-03-10")
    r = kam(root, "history", "acme", "--today", DAY, "--format", "json")
    assert r.exit_code == 0, r.stderr
    rows = r.json()["accounts"][0]["revisions"]
    assert len(rows) == 2, rows
    assert rows[-1]["settings_changed"] is True
    assert git(root, "log", "-1", "--format=%H").strip() == rows[-1]["commit"]


def test_a_finding_made_an_error_and_silenced_is_silenced_not_resolved(kam, tmp_path):
    """Raising the tier (the stale contact becomes an error) and silencing it in the same
    change read as the warning resolved: the severity in the key hid the silencing. It
    is "silenced, not resolved", and worse: the gate no longer fails on an error."""
    root = _repo(tmp_path)
    account = root / "accounts" / "acme" / "account.yaml"
    account.write_text(
        ACCOUNT.replace("position: 2", "position: 3").replace("value: 2", "value: 3")
    )
    people = root / "accounts" / "acme" / "stakeholders.yaml"
    people.write_text(
        PEOPLE.replace(
            "last_contact: 2025-12-01", "last_contact: 2025-12-01  # kam: disable=KAM201"
        )
    )
    r = kam(root, "diff", "--today", DAY, "--fail-on-worse", "--format", "json")
    assert r.exit_code == 1, r.stdout
    (acct,) = r.json()["accounts"]
    assert not [f for f in acct["resolved_findings"] if f["code"] == "KAM201"], acct
    silenced = [c for c in acct["changes"] if c["kind"] == "silenced"]
    assert len(silenced) == 1 and silenced[0]["direction"] == -1, acct["changes"]
