"""README "When a colleague leaves": every command it shows is run, in order, on a git
copy of the example accounts, and prints what the README quotes (kam through the real
CLI; git, xargs and sed as a shell runs them). Only `git commit` at the end is left out
(it needs an identity)."""

from __future__ import annotations

import shlex
import shutil
import subprocess

import gitrepo
from conftest import EXAMPLES, REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _steps() -> list[tuple[str, str]]:
    """(command, the output quoted under it) of each `$` line of the section's blocks."""
    start = README.index("## When a colleague leaves")
    section = README[start : README.index("\n## Use in CI", start)]
    steps: list[tuple[str, str]] = []
    for block in section.split("```console\n")[1:]:
        lines = block[: block.index("```")].splitlines()
        i = 0
        while i < len(lines):
            command = lines[i][2:]
            while command.endswith("\\"):  # continued on the next line
                i += 1
                command = command[:-1] + lines[i].strip()
            out = []
            i += 1
            while i < len(lines) and not lines[i].startswith("$ "):
                out.append(lines[i])
                i += 1
            steps.append((command, "\n".join(out)))
    return steps


def test_the_takeover_commands_print_what_the_readme_shows(kam, tmp_path):
    repo = gitrepo.new_repo(tmp_path / "repo")
    shutil.copytree(EXAMPLES, repo / "accounts")
    shutil.copy(REPO / "kam.yaml", repo / "kam.yaml")
    gitrepo.commit(repo, "the example accounts", "2026-11-01")
    steps = _steps()
    assert [c.split()[:2] for c in (c for c, _o in steps)] == [
        ["kam", "grade"],
        ["git", "grep"],
        ["kam", "agenda"],
        ["git", "grep"],
        ["git", "grep"],
        ["kam", "grade"],
        ["kam", "validate"],
        ["kam", "diff"],
        ["kam", "log"],
        ["git", "commit"],
    ]
    for command, quoted in steps:
        if command.startswith("git commit"):
            continue
        if command.startswith("kam "):
            r = kam(repo, *shlex.split(command)[1:], env={"COLUMNS": "100"})
            printed = (r.stdout + r.stderr).rstrip("\n")
        else:
            run = subprocess.run(command, shell=True, cwd=repo, capture_output=True, text=True)
            printed = run.stdout.rstrip("\n")
        assert printed == quoted, (command, printed)
    assert "wang.fang" not in (repo / "accounts/hansa-bank/account.yaml").read_text("utf-8")
