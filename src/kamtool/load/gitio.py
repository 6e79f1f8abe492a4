"""Read files of a git revision through the ``git`` command: no checkout, no temp clone."""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    """git is missing, the folder is not a repository, or a revision does not exist."""


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, capture_output=True, timeout=300, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took too long") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[0] if message else f"git {args[0]} failed")
    return proc.stdout


def toplevel(cwd: Path) -> Path:
    return Path(git(cwd, "rev-parse", "--show-toplevel").decode().strip())


def commit_of(cwd: Path, rev: str) -> str:
    if rev.startswith("-"):
        raise GitError(f"not a revision: {rev}")
    try:
        return git(cwd, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(f"unknown revision {rev!r}") from None


def resolve_range(
    cwd: Path, base: str | None, head: str | None
) -> tuple[str, str | None, str, str]:
    """(base commit, head commit or None for the working tree, base label, head label).

    Accepts ``BASE``, ``BASE HEAD``, ``A..B`` and ``A...B`` (merge base of A and B against B).
    """
    if base and head is None and "..." in base:
        left, right = base.split("...", 1)
        right = right or "HEAD"
        right_c = commit_of(cwd, right)
        merge = git(cwd, "merge-base", commit_of(cwd, left or "HEAD"), right_c).decode().strip()
        return merge, right_c, f"{left or 'HEAD'}...{right}", right
    if base and head is None and ".." in base:
        left, right = base.split("..", 1)
        right = right or "HEAD"
        return commit_of(cwd, left or "HEAD"), commit_of(cwd, right), left or "HEAD", right
    base = base or "HEAD"
    base_c = commit_of(cwd, base)
    if head is None:
        return base_c, None, base, "working tree"
    return base_c, commit_of(cwd, head), base, head


def tree_files(cwd: Path, commit: str, prefix: str) -> dict[str, tuple[str, str]]:
    """path (repo-relative, POSIX) -> (mode, blob id) for every file under ``prefix``."""
    args = ["ls-tree", "-r", "-z", "--full-tree", commit]
    if prefix and prefix != ".":
        args += ["--", prefix.rstrip("/") + "/"]
    out: dict[str, tuple[str, str]] = {}
    for entry in git(cwd, *args).split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        mode, kind, oid = meta.decode().split()
        if kind == "blob":
            out[path.decode("utf-8", "surrogateescape")] = (mode, oid)
    return out


def read_blobs(cwd: Path, oids: list[str]) -> dict[str, bytes]:
    """Many blobs in one ``git cat-file --batch`` call."""
    unique = list(dict.fromkeys(oids))
    if not unique:
        return {}
    raw = git(cwd, "cat-file", "--batch", stdin=("\n".join(unique) + "\n").encode())
    out: dict[str, bytes] = {}
    pos = 0
    for oid in unique:
        nl = raw.index(b"\n", pos)
        header = raw[pos:nl].decode().split()
        pos = nl + 1
        if len(header) < 3 or header[1] == "missing":
            continue
        size = int(header[2])
        out[oid] = raw[pos : pos + size]
        pos += size + 1
    return out
