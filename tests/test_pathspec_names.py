"""Folder names that git would read as pathspec magic: glob characters (``*``, ``?``,
``[...]``) and a leading ``:``. kam hands git the accounts folder and file paths as
pathspecs; read as globs, ``kunden [EMEA]`` matches ``kunden E`` and not itself, and a
``*`` folder matches its neighbours. Every git call reads them literally."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_account
from gitrepo import commit, git

NAMES = ["kunden [EMEA]", "accounts*", ":top", "a?c"]


def _repo(tmp_path: Path, folder: str) -> Path:
    """kam.yaml naming ``folder`` as the accounts folder, with a decoy neighbour that the
    glob reading of ``folder`` would also match; then one commit that worsens acme."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "kam.yaml").write_text(f'accounts: "{folder}"\n', encoding="utf-8")
    write_account(repo, "acme")
    (repo / "accounts").rename(repo / folder)
    # what the glob forms would match instead: "kunden E", "accountsX", "abc"
    for decoy in ("kunden E", "accountsX", "abc"):
        write_account(repo / decoy, "decoy")
    commit(repo, "accounts", date="2026-10-01")
    path = repo / folder / "acme" / "stakeholders.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("attitude: 2", "attitude: -1"), encoding="utf-8"
    )
    commit(repo, "acme turned", date="2026-11-01")
    return repo


@pytest.mark.parametrize("folder", NAMES)
def test_diff_history_and_portfolio_since_read_the_folder_literally(kam, tmp_path, folder):
    repo = _repo(tmp_path, folder)
    original = (repo / folder / "acme" / "stakeholders.yaml").read_text(encoding="utf-8")
    assert "attitude: -1" in original, "the fixture must change an attitude"

    diff = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json")
    assert diff.exit_code in (0, 1), diff.stderr
    ids = [a["id"] for a in diff.json()["accounts"]]
    assert ids == ["acme"], ids

    history = kam(repo, "history", "acme", "--format", "json")
    assert history.exit_code == 0, history.stderr
    revisions = history.json()["accounts"][0]["revisions"]
    assert len(revisions) == 2, revisions

    since = kam(repo, "portfolio", "--since", "HEAD~1", "--format", "json")
    assert since.exit_code == 0, since.stderr
    assert "decoy" not in since.stdout
