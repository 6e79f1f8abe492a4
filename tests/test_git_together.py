"""Several git processes at once (``gitio.git_together``): kam diff and kam history read
a few hundred blobs with two or more ``git cat-file --batch`` side by side. What comes
back must be what one process gives, whatever the size of what is written to them and
read from them, and a git that fails says what the same command alone says."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitrepo import commit, git, new_repo
from kamtool.load import gitio
from kamtool.load.gitio import GitError, git_together, read_blobs


@pytest.fixture
def many_files(tmp_path: Path) -> Path:
    """A repository of 300 files, each its own text, one of them larger than a pipe holds."""
    repo = new_repo(tmp_path / "repo")
    for i in range(300):
        (repo / f"f{i:04d}.yaml").write_text(f"id: f{i}\nnote: {'x' * i}\n", encoding="utf-8")
    (repo / "big.yaml").write_text("line: 1\n" * 40_000, encoding="utf-8")
    commit(repo, "files")
    return repo


def blob_ids(repo: Path) -> list[str]:
    return [line.split()[2] for line in git(repo, "ls-tree", "HEAD").splitlines()]


def test_blobs_read_by_several_processes_are_what_git_holds(many_files: Path) -> None:
    oids = blob_ids(many_files)
    alone = {oid: gitio.git(many_files, "cat-file", "blob", oid) for oid in oids}
    together = read_blobs(many_files, oids)  # 301 blobs: two processes on two processors
    assert together == alone
    # the same shared among four processes, each given every fourth one
    shares = [oids[i::4] for i in range(4)]
    raws = git_together(
        many_files,
        [(("cat-file", "--batch"), ("\n".join(share) + "\n").encode()) for share in shares],
    )
    for share, raw in zip(shares, raws, strict=True):
        assert raw == gitio.git(
            many_files, "cat-file", "--batch", stdin=("\n".join(share) + "\n").encode()
        )


def test_more_written_and_read_than_a_pipe_holds(many_files: Path) -> None:
    """Each process is given about 200 kB of names and answers with more: writing to one
    while the other's answer fills its pipe must not stall."""
    names = [f"HEAD:f{i % 300:04d}.yaml" for i in range(8000)]
    stdin = ("\n".join(names) + "\n").encode()
    raws = git_together(
        many_files,
        [(("cat-file", "--batch-check"), stdin), (("cat-file", "--batch"), stdin)],
    )
    assert raws[0] == gitio.git(many_files, "cat-file", "--batch-check", stdin=stdin)
    assert raws[1] == gitio.git(many_files, "cat-file", "--batch", stdin=stdin)
    assert raws[1].count(b" blob ") == 8000


def test_a_failing_git_says_what_it_says_alone(many_files: Path, tmp_path: Path) -> None:
    with pytest.raises(GitError) as alone:
        gitio.git(many_files, "rev-parse", "--verify", "no-such-branch")
    with pytest.raises(GitError) as together:
        git_together(
            many_files,
            [
                (("cat-file", "--batch"), "\n".join(blob_ids(many_files)).encode()),
                (("rev-parse", "--verify", "no-such-branch"), None),
            ],
        )
    assert str(together.value) == str(alone.value) != ""
    # not a repository, and a folder that does not exist: git's line, kam's line
    outside = tmp_path / "plain"
    outside.mkdir()
    for folder in (outside, tmp_path / "missing"):
        with pytest.raises(GitError) as alone:
            gitio.git(folder, "rev-parse", "--show-toplevel")
        with pytest.raises(GitError) as together:
            git_together(folder, [(("rev-parse", "--show-toplevel"), None)] * 2)
        assert str(together.value) == str(alone.value) != ""
