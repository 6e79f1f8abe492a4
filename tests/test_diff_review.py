"""kam diff as the pull-request review: an account of the head side that does not load
fails the run (SPEC 7, "a gate never passes by not looking") while the whole diff is still
printed; the markdown comment fits in one GitHub comment however big the change."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import write_account

GOOD_PEOPLE = "stakeholders:\n  - {id: a, name: Agnieszka Nowak, roles: [D], attitude: 1}\n"
# an indentation slip: not YAML any more
BROKEN_PEOPLE = "stakeholders:\n  - id: x\n   name: bad\n"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "kam@example.com")
    git(tmp_path, "config", "user.name", "kam")
    write_account(tmp_path, "wisla", {"stakeholders.yaml": GOOD_PEOPLE})
    write_account(tmp_path, "odra")
    commit(tmp_path, "base")
    git(tmp_path, "checkout", "-qb", "feature")
    return tmp_path


def people(repo: Path, account: str) -> Path:
    return repo / "accounts" / account / "stakeholders.yaml"


# ---------------------------------------------------------------- exit 1 for a broken head
def test_an_account_that_stops_loading_fails_the_diff_and_is_still_shown(kam, repo):
    people(repo, "wisla").write_text(BROKEN_PEOPLE)
    commit(repo, "broken")
    for fmt in ("text", "markdown", "json"):
        r = kam(repo, "diff", "main...HEAD", "--format", fmt)
        assert r.exit_code == 1, (fmt, r.stdout, r.stderr)
        assert r.stderr == ""
    md = kam(repo, "diff", "main...HEAD", "--format", "markdown").stdout
    # the whole diff is there: the table row, the account's block, its load error
    assert "| **wisla** ▼ |" in md and "**does not load** ▼" in md
    assert "the account no longer loads: 1 error in its files" in md
    assert "`KAM001`" in md and "</details>" in md and "judged on" in md
    assert "▼ 1 account does not load in `HEAD`: **wisla** (kam check lists the errors)" in md
    text = kam(repo, "diff", "main...HEAD").stdout
    assert text.rstrip().endswith(
        "1 account does not load in HEAD: wisla (kam check lists the errors)"
    )
    js = kam(repo, "diff", "main...HEAD", "--format", "json").json()
    assert js["does_not_load"] == ["wisla"]
    # --fail-on-worse adds nothing to an exit that is 1 already; the working tree too
    assert kam(repo, "diff", "main...HEAD", "--fail-on-worse").exit_code == 1
    assert kam(repo, "diff", "main").exit_code == 1


def test_still_broken_and_only_its_broken_file_changed_still_fails(kam, repo):
    """The change left the account as broken as it was: not listed as changed (nothing can
    be compared), but said and failing: the head side was read and did not load."""
    people(repo, "wisla").write_text(BROKEN_PEOPLE)
    commit(repo, "broken")
    people(repo, "wisla").write_text(BROKEN_PEOPLE.replace("id: x", "id: y"))
    commit(repo, "still broken")
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json")
    assert r.exit_code == 1
    assert r.json()["accounts"] == [] and r.json()["does_not_load"] == ["wisla"]
    md = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "markdown")
    assert md.exit_code == 1 and "does not load in `HEAD`: **wisla**" in md.stdout
    html = MarkdownIt("commonmark").render(md.stdout)
    assert "<strong>wisla</strong>" in html


def test_still_broken_with_a_change_elsewhere_says_it_does_not_load(kam, repo):
    people(repo, "wisla").write_text(BROKEN_PEOPLE)
    commit(repo, "broken")
    account = repo / "accounts/wisla/account.yaml"
    account.write_text(account.read_text().replace("name: Acme wisla", "name: Wisła SA"))
    commit(repo, "renamed the company")
    text = kam(repo, "diff", "HEAD~1", "HEAD")
    assert text.exit_code == 1
    assert "wisla: the account still does not load; 1 change" in text.stdout
    md = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "markdown").stdout
    assert "| **does not load**; 1 |" in md


def test_new_account_that_does_not_load_fails(kam, repo):
    write_account(repo, "bug", {"stakeholders.yaml": BROKEN_PEOPLE})
    commit(repo, "new, broken")
    r = kam(repo, "diff", "main...HEAD")
    assert r.exit_code == 1 and "bug: new account, invalid: it does not load" in r.stdout


def test_what_is_not_a_broken_head_keeps_exit_0(kam, repo):
    # broken on main, removed on the branch: nothing of the head side fails to load
    people(repo, "wisla").write_text(BROKEN_PEOPLE)
    commit(repo, "broken")
    git(repo, "branch", "-f", "main", "HEAD")
    shutil.rmtree(repo / "accounts/wisla")
    commit(repo, "remove the broken account")
    assert kam(repo, "diff", "main...HEAD").exit_code == 0
    # fixed again: loads again, exit 0
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-qb", "fix")
    people(repo, "wisla").write_text(GOOD_PEOPLE)
    commit(repo, "fixed")
    r = kam(repo, "diff", "main...HEAD")
    assert r.exit_code == 0 and "the account loads again" in r.stdout
    # broken on both sides but not touched by the change: not read, so not failed here
    # (kam check, the gate, reads every account)
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-qb", "other")
    people(repo, "odra").write_text(GOOD_PEOPLE)
    commit(repo, "odra only")
    r = kam(repo, "diff", "main...HEAD", "--format", "json")
    assert r.exit_code == 0 and r.json()["does_not_load"] == []
    assert kam(repo, "check").exit_code == 1


# ---------------------------------------------------------------- one comment, any size
SURNAMES = ("王", "Kowalska", "李", "Nowak", "陈", "Øverland", "García", "张")
TITLES = ("工程师", "Head of Procurement", "CFO", "Netzplaner", "采购经理")


def crm_import(repo: Path, account: str, people: int) -> None:
    """A CRM export landed in one commit: ``people`` new contacts, attitudes not yet known,
    a decision maker every seventh, a reporting line every third (findings of several kinds,
    names in Chinese and other scripts, titles of every length)."""
    lines = ["stakeholders:"]
    for i in range(people):
        pid = f"c{i:05d}"
        lines.append(f"  - id: {pid}")
        lines.append(f"    name: {SURNAMES[i % len(SURNAMES)]} {i}")
        lines.append(f"    title: {TITLES[i % len(TITLES)]}")
        if i % 7 == 0:
            lines.append("    roles: [D]")
        if i % 3 == 0 and i:
            lines.append(f"    reports_to: c{i // 3:05d}")
        lines.append('    attitude: "?"' if i % 2 else f"    attitude: {i % 3 - 1}")
    people_file(repo, account).write_text("\n".join(lines) + "\n")


def people_file(repo: Path, account: str) -> Path:
    return repo / "accounts" / account / "stakeholders.yaml"


def small_change(repo: Path) -> None:
    crm_import(repo, "wisla", 4)
    odra = people_file(repo, "odra")
    odra.write_text(
        odra.read_text().replace("attitude: 2", "attitude: -1").replace("intimacy: 2", "intimacy: 0")
    )
    write_account(repo, "nowa")
    commit(repo, "a small change")


def test_a_small_diff_is_unchanged_by_the_budget(kam, repo):
    """Below the budget the comment is exactly what it always was (golden file written
    before the budget existed)."""
    from golden_util import assert_golden

    small_change(repo)
    r = kam(repo, "diff", "main...HEAD", "--format", "markdown")
    assert r.exit_code == 0
    assert "shortened" not in r.stdout and "more new findings" not in r.stdout
    assert_golden("diff-review-small.md", r.stdout)
