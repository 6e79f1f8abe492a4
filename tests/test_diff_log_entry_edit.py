"""A log entry whose summary (or next step) was corrected, its date, people and kind as
they were, showed in kam diff as a new entry and a removed one ("2 changes"). It is one
entry changed: "log entry 2026-04-29 call with Anna: summary A → B", when that identity
(date, with, by, kind) is the only one among the entries gone and among those come."""

from __future__ import annotations

import gitrepo
from conftest import write_account
from gitrepo import commit

PEOPLE = """\
stakeholders:
  - id: anna
    name: Anna
    roles: [D]
    attitude: 1
    owner: li.ming
"""

ENTRY = """\
  - date: {date}
    with: [anna]
    by: [li.ming]
    kind: call
    summary: {summary}
"""


def _log(*entries: tuple[str, str]) -> str:
    return "entries:\n" + "".join(ENTRY.format(date=d, summary=s) for d, s in entries)


def _repo(tmp_path, before: str, after: str):
    r = gitrepo.new_repo(tmp_path / "repo")
    write_account(r, "acme", {"stakeholders.yaml": PEOPLE, "log.yaml": before})
    commit(r, "log", "2026-05-01")
    (r / "accounts" / "acme" / "log.yaml").write_text(after, encoding="utf-8")
    commit(r, "edit", "2026-05-02")
    return r


def test_a_summary_corrected_is_one_change(kam, tmp_path):
    r = _repo(
        tmp_path,
        _log(("2026-04-29", "A"), ("2026-04-30", "X")),
        _log(("2026-04-29", "B"), ("2026-04-30", "X")),
    )
    out = kam(r, "diff", "HEAD~", "HEAD")
    assert out.exit_code == 0
    assert "1 change\n" in out.stdout, out.stdout
    assert "~ log entry 2026-04-29 call with Anna: summary A → B" in out.stdout
    assert "new log entry" not in out.stdout and "removed log entry" not in out.stdout
    (acme,) = kam(r, "diff", "HEAD~", "HEAD", "--format", "json").json()["accounts"]
    (change,) = acme["changes"]
    assert (change["kind"], change["before"], change["after"]) == ("summary", "A", "B")
    assert change["group"] == "log"
    md = kam(r, "diff", "HEAD~", "HEAD", "--format", "markdown").stdout
    assert "- log entry 2026-04-29 call with Anna: summary A → B" in md, md


def test_two_entries_of_one_identity_edited_stay_added_and_removed(kam, tmp_path):
    """Two calls with Anna on one day, both edited: which became which is not known."""
    r = _repo(
        tmp_path,
        _log(("2026-04-29", "A"), ("2026-04-29", "C")),
        _log(("2026-04-29", "B"), ("2026-04-29", "D")),
    )
    out = kam(r, "diff", "HEAD~", "HEAD").stdout
    assert out.count("new log entry") == 2 and out.count("removed log entry") == 2, out


def test_an_entry_of_another_date_is_still_added_and_removed(kam, tmp_path):
    r = _repo(tmp_path, _log(("2026-04-29", "A")), _log(("2026-04-28", "A")))
    out = kam(r, "diff", "HEAD~", "HEAD").stdout
    assert "new log entry 2026-04-28" in out and "removed log entry 2026-04-29" in out, out
