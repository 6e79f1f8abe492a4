"""kam diff as the pull-request review: an account of the head side that does not load
fails the run (SPEC 7, "a gate never passes by not looking") while the whole diff is still
printed; the markdown comment fits in one GitHub comment however big the change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import write_account
from test_diff_reuse import commit, git

GOOD_PEOPLE = "stakeholders:\n  - {id: a, name: Agnieszka Nowak, roles: [D], attitude: 1}\n"
# an indentation slip: not YAML any more
BROKEN_PEOPLE = "stakeholders:\n  - id: x\n   name: bad\n"


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
    assert "Wisła SA (wisla): the account still does not load; 1 change" in text.stdout
    md = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "markdown").stdout
    assert "| **does not load**; 1 |" in md


def test_new_account_that_does_not_load_fails(kam, repo):
    write_account(repo, "bug", {"stakeholders.yaml": BROKEN_PEOPLE})
    commit(repo, "new, broken")
    r = kam(repo, "diff", "main...HEAD")
    assert r.exit_code == 1 and "Acme bug (bug): new account, invalid: it does not load" in r.stdout


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
        odra.read_text()
        .replace("attitude: 2", "attitude: -1")
        .replace("intimacy: 2", "intimacy: 0")
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


def utf16(text: str) -> int:
    """Characters as GitHub's strictest reading counts them (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def whole_markdown(repo: Path, base: str) -> str:
    """The markdown without a budget (the library, for comparison with the CLI's)."""
    from kamtool.analyse.diff import run_diff
    from kamtool.report.diff import MarkdownDiff

    return MarkdownDiff().render(run_diff(base, None, cwd=repo, today=TODAY), budget=10**9)


TODAY = "2026-11-24"


def test_a_crm_import_of_3000_people_fits_in_one_comment(kam, repo):
    crm_import(repo, "wisla", 3000)
    people_file(repo, "odra").write_text(
        people_file(repo, "odra").read_text().replace("attitude: 2", "attitude: 0")
    )
    commit(repo, "CRM import")
    r = kam(repo, "diff", "main...HEAD", "--format", "markdown")
    assert r.exit_code == 0, r.stderr
    md = r.stdout
    assert utf16(md) <= 60_000 and len(md.encode()) < 262_144
    js = kam(repo, "diff", "main...HEAD", "--format", "json").json()
    wisla = next(a for a in js["accounts"] if a["id"] == "wisla")
    assert len(wisla["new_findings"]) > 1000 and len(wisla["changes"]) > 3000  # JSON: all
    text = kam(repo, "diff", "main...HEAD").stdout
    assert sum(ln.startswith("  new ") for ln in text.splitlines()) == sum(
        len(a["new_findings"]) for a in js["accounts"]
    )  # text: all
    # the headline, the notice, every account's row and summary line are there
    assert md.startswith("### kam diff: `main (merge base with HEAD)` → `HEAD`\n\n")
    assert "**This comment was shortened** to fit in one comment" in md
    assert "| **wisla** ▼ |" in md and "| **odra** ▼ |" in md
    assert md.count("<details>") == md.count("</details>") == 2
    assert "<summary><b>Acme wisla</b> (wisla): score " in md
    assert "<summary><b>Acme odra</b> (odra): " in md
    # what was left out is said, with the number, and the numbers add up
    import re

    more_new = re.search(
        r"^… and ([\d,]+) more new findings \(run `kam diff main\.\.\.HEAD --format text` or "
        r"`kam check` "
        r"for all\)$",
        md,
        re.M,
    )
    assert more_new, md[-3000:]
    wisla_block = md.split("(wisla): ", 1)[1].split("</details>", 1)[0]
    listed_new = wisla_block.split("**New findings**", 1)[1].count("\n- `KAM")
    assert listed_new + int(more_new.group(1).replace(",", "")) == len(wisla["new_findings"])
    more_changes = re.search(r"^… and ([\d,]+) more changes \(", wisla_block, re.M)
    assert more_changes
    listed = wisla_block.split("**New findings**", 1)[0].count("\n- **")
    assert listed + int(more_changes.group(1).replace(",", "")) == len(wisla["changes"]) - 1
    # a small account's lists are not cut
    assert "… and" not in md.split("(odra): ", 1)[1].split("</details>", 1)[0]
    # every line is a whole line of the uncut comment, or one of the notes: no cut inside
    # a table row, a code span, an HTML tag or a list entry
    whole = whole_markdown(repo, "main...HEAD")
    assert utf16(whole) > 200_000
    lines = set(whole.splitlines())
    extra = [ln for ln in md.splitlines() if ln not in lines]
    assert extra and all(
        ln.startswith(("… and ", "**This comment was shortened**")) for ln in extra
    ), extra
    # and it renders as CommonMark: one table, both blocks, lists that are lists
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert html.count("<table>") == 1 and html.count("<tr>") == 3
    assert "<li></li>" not in html and "<li>\n<ul>" not in html
    assert "<p>… and " in html and "<code>kam check</code>" in html


def test_very_many_accounts_keep_their_rows_then_say_how_many_are_left_out(kam, repo):
    """When even one entry per account does not fit, the details go, then table rows."""
    ids = [f"grupa-energetyczna-polnoc-zachod-oddzial-{i:04d}" for i in range(800)]
    for acct in ids:
        write_account(repo, acct)
    commit(repo, "a portfolio moved in")
    md = kam(repo, "diff", "main...HEAD", "--format", "markdown").stdout
    assert utf16(md) <= 60_000
    assert "the details of the accounts are left out" in md and "<details>" not in md
    rows = [ln for ln in md.splitlines() if ln.startswith("| **grupa-")]
    assert 100 < len(rows) < 800
    # the command repeats the revisions this comment compared
    left = 800 - len(rows)
    assert f"… and {left} more accounts (run `kam diff main...HEAD --format text` for all)" in md
    assert md.rstrip().endswith("0 removed, 2 unchanged; 0 worse; judged on 2026-11-24</sub>")
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert html.count("<tr>") == len(rows) + 1


def test_many_broken_accounts_are_counted_and_the_first_named(kam, repo):
    for i in range(53):
        write_account(repo, f"zepsute-{i:02d}", {"stakeholders.yaml": BROKEN_PEOPLE})
    commit(repo, "53 broken accounts")
    md = kam(repo, "diff", "main...HEAD", "--format", "markdown")
    assert md.exit_code == 1
    line = md.stdout.splitlines()[2]
    assert line.startswith("▼ 53 accounts do not load in `HEAD`: **zepsute-00**, ")
    assert line.endswith("**zepsute-49** and 3 more (kam check lists the errors)")
    js = kam(repo, "diff", "main...HEAD", "--format", "json").json()
    assert len(js["does_not_load"]) == 53  # json and text name them all
    assert "zepsute-52 (kam check" in kam(repo, "diff", "main...HEAD").stdout
