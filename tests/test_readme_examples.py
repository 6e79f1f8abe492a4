"""What the README quotes is what kam does: its example kam.yaml is the example
repository's, and "A week with kam" shows what `kam log` prints and appends and what
`kam agenda` says, run on a copy of the example accounts (the README's PR comment and CI
files are checked in test_ci_docs.py, its rule table in test_catalogue.py, its library
example in test_library.py)."""

from __future__ import annotations

import re
import shutil

from conftest import EXAMPLES, REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _block_after(marker: str, fence: str) -> str:
    """The first fenced block of kind ``fence`` after ``marker`` in the README."""
    start = README.index(marker)
    opening = README.index(f"```{fence}\n", start) + len(fence) + 4
    return README[opening : README.index("```", opening)]


def _block_holding(text: str) -> str:
    """The fenced block of the README whose text holds ``text``."""
    at = README.index(text)
    opening = README.rindex("```", 0, at)
    opening = README.index("\n", opening) + 1
    return README[opening : README.index("```", at)]


def test_readme_shows_the_example_kam_yaml_verbatim():
    shown = _block_after("A real one, the example repository's `kam.yaml`", "yaml")
    assert shown == (REPO / "kam.yaml").read_text(encoding="utf-8")


def test_a_week_with_kam_log_prints_and_appends_what_the_readme_shows(kam, tmp_path):
    console = _block_after("**After each contact**", "console")
    command, printed = console.split("\n", 1)[0], console.split("\n")[-2]
    assert command.startswith("$ kam log nordtel maria-olsen")
    # the README's command, continued over three lines
    args = [
        "log",
        "nordtel",
        "maria-olsen",
        "Petter Nyman",
        "--kind",
        "meeting",
        "-m",
        "CFO wants the business case in numbers, not slides",
        "--next",
        "Send the core-swap business case by 2026-12-15",
    ]
    for arg in args[4:]:
        assert arg in console, f"the README's command no longer has {arg!r}"
    shutil.copytree(EXAMPLES, tmp_path / "accounts")
    shutil.copy(REPO / "kam.yaml", tmp_path / "kam.yaml")
    log = tmp_path / "accounts" / "nordtel" / "log.yaml"
    before = log.read_text(encoding="utf-8")
    r = kam(tmp_path, *args, env={"KAM_TODAY": "2026-11-30"})
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == printed
    # the entry as the README shows it, without its explaining comments
    shown = _block_holding("# accounts/nordtel/log.yaml: oldest first")
    entry = [re.sub(r"\s+#.*$", "", line) for line in shown.splitlines()[2:]]
    after = log.read_text(encoding="utf-8")
    assert after.startswith(before)
    # after a blank line, as the example log parts its entries
    assert after[len(before) :].splitlines() == ["", *entry]
    # the line the README quotes is where the entry starts
    line = int(printed.rsplit(":", 1)[1])
    assert after.splitlines()[line - 1] == entry[0]


def test_a_week_with_kam_agenda_says_why_as_the_readme_shows(kam, tmp_path):
    """The why and the command the README quotes for the Monday agenda (the day after
    the log entry above, before it is written)."""
    shutil.copytree(EXAMPLES, tmp_path / "accounts")
    shutil.copy(REPO / "kam.yaml", tmp_path / "kam.yaml")
    why = (
        "decision maker: 33 days since the last contact (log.yaml:23), over the 30-day limit "
        "(warn_after)"
    )
    assert f'why ("{why}")' in " ".join(README.split())
    assert "(`kam log nordtel anders-berg`)" in README
    r = kam(tmp_path, "agenda", "--owner", "li.ming", "--format", "markdown")
    assert r.exit_code == 0, r.stderr
    assert "2026-11-24" in r.stdout  # conftest's date; the README's agenda is on 11-30
    r = kam(
        tmp_path,
        "agenda",
        "--owner",
        "li.ming",
        "--format",
        "markdown",
        env={"KAM_TODAY": "2026-11-30"},
    )
    assert r.exit_code == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if "Contact Anders Berg" in x)
    # (Markdown escapes the key's underscore: warn\_after)
    assert why.replace("_", "\\_") in line and "`kam log nordtel anders-berg`" in line
