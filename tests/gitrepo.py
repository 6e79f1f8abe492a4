"""Real git repositories for the tests: one ``git`` runner and one ``commit``, shared by
every test file that builds a history (they were copied into ten files).

``date`` (YYYY-MM-DD) sets author and committer date, at ``time`` in ``zone``; the
identity is passed on the command line, so no global or repository git config is needed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git(repo: Path, *args: str, date: str | None = None, zone: str = "+00:00") -> str:
    env = dict(os.environ)
    if date:
        env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"] = f"{date}T10:00:00{zone}"
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True, env=env
    ).stdout


def commit(repo: Path, message: str, date: str | None = None, zone: str = "+00:00") -> None:
    git(repo, "add", "-A")
    git(
        repo,
        "-c",
        "user.name=kam test",
        "-c",
        "user.email=test@example.com",
        "commit",
        "-qm",
        message,
        date=date,
        zone=zone,
    )


def new_repo(path: Path) -> Path:
    """An empty repository at ``path`` (created), on branch main."""
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    return path
