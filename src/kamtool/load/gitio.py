"""Read files of a git revision through the ``git`` command: no checkout, no temp clone.

Everything kam reads from history comes through here: where the repository is
(``repo_root``; kam.yaml and the accounts folder are found by ``kamtool.load.locate``), which files an accounts folder holds at a
revision (``tree_files``, ``group_accounts``), the first-parent commits that changed them
(``first_parent_log``), and the blobs themselves, many per ``git cat-file --batch`` call
(``BlobTexts`` reads each distinct blob once per run and keeps what reading it gave).
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kamtool.i18n import _, ngettext, os_reason

# what reading a file gave: (text, None) or (None, (message, line, column)); plain tuples so
# that two revisions compare equal exactly when kam would read the same thing from them
Read = tuple[str | None, tuple[str, int, int] | None]
Files = dict[str, Read]
# path (repo-relative, POSIX) -> (mode, blob id)
Tree = dict[str, tuple[str, str]]

SYMLINK_MODE = "120000"


class GitError(Exception):
    """git is missing, the folder is not a repository, or a revision does not exist."""


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run one git command in ``cwd``. Every pathspec kam passes is a real path (an accounts
    folder, a file), never a pattern: ``--literal-pathspecs`` keeps a folder named
    ``kunden [EMEA]``, ``a*`` or ``:top`` from being read as a glob or as pathspec magic."""
    try:
        proc = subprocess.run(
            ["git", "--literal-pathspecs", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
        )
    except OSError as exc:
        raise _not_started(cwd, exc) from None
    except subprocess.TimeoutExpired:
        raise _too_long(args) from None
    if proc.returncode != 0:
        raise _failed(cwd, args, proc.stderr)
    return proc.stdout


#: seconds a git command may take
_TIMEOUT = 300


def _not_started(cwd: Path, exc: OSError) -> GitError:
    """Why git could not be started in ``cwd``, in one line."""
    if isinstance(exc, FileNotFoundError):
        if exc.filename is not None and os.fspath(exc.filename) == os.fspath(cwd):
            return GitError(_("{folder} does not exist").format(folder=cwd))
        return GitError(_("git is not installed"))
    if isinstance(exc, NotADirectoryError):
        return GitError(_("{folder} is not a folder").format(folder=cwd))
    if isinstance(exc, PermissionError):  # a folder this user may not enter, or git not runnable
        return GitError(
            _("cannot run git in {folder}: {reason}").format(folder=cwd, reason=os_reason(exc))
        )
    raise exc


def _too_long(args: tuple[str, ...]) -> GitError:
    return GitError(_("git {command} took too long").format(command=args[0]))


def _failed(cwd: Path, args: tuple[str, ...], stderr: bytes) -> GitError:
    """A git command that ended with an error: git's first line, or the fix for a repository
    of another user."""
    message = stderr.decode("utf-8", "replace").strip().splitlines()
    # git's own fix names safe.directory in every language git speaks
    if any("safe.directory" in line for line in message) or (
        message and "dubious ownership" in message[0]
    ):
        return GitError(_not_owned(cwd, message))
    return GitError(message[0] if message else _("git {command} failed").format(command=args[0]))


def git_together(cwd: Path, commands: list[tuple[tuple[str, ...], bytes | None]]) -> list[bytes]:
    """``[git(cwd, *args, stdin=stdin) for args, stdin in commands]``, the commands running
    at the same time: each git process works on its own processor while this one reads
    what they write (reading a few hundred files' blobs, git's inflating is most of the
    time; two processes halve it on two cores). Where pipes cannot be waited on together
    (Windows), one after the other."""
    if len(commands) < 2 or os.name == "nt":
        return [git(cwd, *args, stdin=stdin) for args, stdin in commands]
    import selectors
    import time

    procs: list[subprocess.Popen[bytes]] = []
    selector = selectors.DefaultSelector()
    try:
        for args, _stdin in commands:
            try:
                procs.append(
                    subprocess.Popen(
                        ["git", "--literal-pathspecs", *args],
                        cwd=cwd,
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                    )
                )
            except OSError as exc:
                raise _not_started(cwd, exc) from None
        output: dict[int, list[bytes]] = {}
        writing: dict[int, tuple[subprocess.Popen[bytes], memoryview]] = {}
        for proc, (_args, stdin) in zip(procs, commands, strict=True):
            assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
            if stdin:
                os.set_blocking(proc.stdin.fileno(), False)
                writing[proc.stdin.fileno()] = (proc, memoryview(stdin))
                selector.register(proc.stdin.fileno(), selectors.EVENT_WRITE)
            else:
                proc.stdin.close()
            for stream in (proc.stdout, proc.stderr):
                output[stream.fileno()] = []
                selector.register(stream.fileno(), selectors.EVENT_READ)
        deadline = time.monotonic() + _TIMEOUT
        while selector.get_map():
            ready = selector.select(max(0.0, deadline - time.monotonic()))
            if not ready:
                raise _too_long(commands[0][0])
            for key, _events in ready:
                fd = key.fd
                if fd in writing:
                    proc, rest = writing[fd]
                    try:
                        rest = rest[os.write(fd, rest[:_PIPE_CHUNK]) :]
                    except BlockingIOError:  # full again: written when there is room
                        pass
                    except BrokenPipeError:  # git stopped reading: its error says why
                        rest = rest[:0]
                    writing[fd] = (proc, rest)
                    if not rest:
                        selector.unregister(fd)
                        assert proc.stdin is not None
                        proc.stdin.close()
                    continue
                chunk = os.read(fd, 1 << 20)
                if chunk:
                    output[fd].append(chunk)
                else:
                    selector.unregister(fd)
        results = []
        for proc, (args, _stdin) in zip(procs, commands, strict=True):
            assert proc.stdout is not None and proc.stderr is not None
            if proc.wait() != 0:
                raise _failed(cwd, args, b"".join(output[proc.stderr.fileno()]))
            results.append(b"".join(output[proc.stdout.fileno()]))
        return results
    finally:
        selector.close()
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            for pipe in (proc.stdin, proc.stdout, proc.stderr):
                if pipe is not None:
                    pipe.close()
            proc.wait()


_PIPE_CHUNK = 1 << 16


_OBJECT_ID = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")


#: git's answers about commits named by their full ids (``_git_of_commit``), the latest last
_ANSWERS: dict[tuple[Path, tuple[str, ...], bytes | None], bytes] = {}
#: how many answers are kept
_KEPT = 32


def _git_of_commit(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """``git`` for a question about one commit named by its full id (what a tree holds,
    what a path is in it): the answer never changes, so one run asks git once. Finding
    each side's kam.yaml and accounts folder, then reading the folder, asked ``kam diff``
    the same six questions twice, a process each. The latest 32 answers are kept: a
    diff asks about a dozen, and a listing of a large accounts folder is a megabyte that
    a program using kam as a library should not hold for ever."""
    key = (cwd, args, stdin)
    answer = _ANSWERS.pop(key, None)
    if answer is None:
        answer = git(cwd, *args, stdin=stdin)
    _keep(key, answer)
    return answer


def _keep(key: tuple[Path, tuple[str, ...], bytes | None], answer: bytes) -> None:
    _ANSWERS[key] = answer
    while len(_ANSWERS) > _KEPT:
        del _ANSWERS[next(iter(_ANSWERS))]


def _about_commit(cwd: Path, commit: str, *args: str, stdin: bytes | None = None) -> bytes:
    """``git cwd args``, asked once a run when ``commit`` is a full object id."""
    if _OBJECT_ID.fullmatch(commit):
        return _git_of_commit(cwd, *args, stdin=stdin)
    return git(cwd, *args, stdin=stdin)


#: a question about a commit: (the commit, git's arguments, what git reads on its input)
Question = tuple[str, tuple[str, ...], bytes | None]


def ask_together(cwd: Path, questions: list[Question]) -> None:
    """Questions about commits named by their full ids, asked at the same time
    (``git_together``), each answer kept for the function that asks it (``tree_files``,
    ``paths_at``, ``folder_at``), which then starts no process: the two sides of a diff
    ask the same questions of their own commits, and one after the other each was a
    process to wait for. A question git refuses is left to be asked alone, where its
    error is said."""
    todo = list(
        dict.fromkeys(
            q for q in questions if _OBJECT_ID.fullmatch(q[0]) and (cwd, *q[1:]) not in _ANSWERS
        )
    )
    if len(todo) < 2:
        return
    try:
        answers = git_together(cwd, [(args, stdin) for _commit, args, stdin in todo])
    except GitError:
        return
    for (_commit, args, stdin), answer in zip(todo, answers, strict=True):
        _keep((cwd, args, stdin), answer)


def _not_owned(cwd: Path, message: list[str]) -> str:
    """git's refusal of a repository that belongs to another user (its ``safe.directory``
    check; common in CI containers, where the checkout and the job run as different
    users), in one line with git's own fix: its first line alone says what, not what to do."""
    fix = next((line.strip() for line in message if "safe.directory" in line), "")
    if not fix:
        fix = f"git config --global --add safe.directory {cwd.as_posix()}"
    return _(
        "git refuses to read this repository: it belongs to another user than the one "
        "running kam (git's safe.directory check; in CI, the checkout and the job often run "
        "as different users). If you trust it, run `{fix}`"
    ).format(fix=fix)


def toplevel(cwd: Path) -> Path:
    return Path(git(cwd, "rev-parse", "--show-toplevel").decode().strip())


def repo_root(cwd: Path, what: str = "kam diff") -> Path:
    """The root of the work tree holding ``cwd``, or a one-line GitError saying why not."""
    try:
        return toplevel(cwd)
    except GitError as exc:
        if "not a git repository" in str(exc):
            raise GitError(
                _(
                    "{folder} is not inside a git repository: {what} reads the history from git"
                ).format(folder=cwd.as_posix(), what=what)
            ) from None
        raise


def is_shallow(root: Path) -> bool:
    return git(root, "rev-parse", "--is-shallow-repository").decode().strip() == "true"


def whole_history_setting() -> str:
    """How to have the CI system that runs kam check out the whole history, in its own
    words: a GitLab job was told to set GitHub's `fetch-depth`, which GitLab does not
    read. Outside a known CI system, both."""
    if os.environ.get("GITLAB_CI"):
        return _('set the variable `GIT_DEPTH: "0"` in .gitlab-ci.yml')
    if os.environ.get("GITHUB_ACTIONS"):
        return _("set `fetch-depth: 0` in actions/checkout")
    return _(
        "in CI set `fetch-depth: 0` in actions/checkout (GitHub) or the variable "
        '`GIT_DEPTH: "0"` (GitLab)'
    )


def refuse_shallow(root: Path, what: str) -> None:
    """History read from a shallow clone would silently start at its cut: say so instead."""
    if is_shallow(root):
        raise GitError(
            _(
                "this is a shallow clone: {what} needs the whole history "
                "(run `git fetch --unshallow`, or {setting})"
            ).format(what=what, setting=whole_history_setting())
        )


#: a date where a revision goes (``kam diff 2026-07-01 2026-10-01``, ``history --until``)
DATE_REV = re.compile(r"\d{4}-\d{2}-\d{2}")


def _commit_question(rev: str) -> tuple[str, ...]:
    return ("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")


#: (folder, revision) -> git's answer, asked together for both sides of a diff
#: (``_resolve_together``) and taken by ``commit_of`` right after: a branch moves, so an
#: answer is never kept for a later question
_resolved: dict[tuple[Path, str], bytes] = {}


def _resolve_together(cwd: Path, revs: list[str]) -> None:
    """Both revisions of a diff asked of git at the same time (``git_together``), for
    ``commit_of``; one git refuses is asked again alone, where its error is said."""
    plain = [r for r in dict.fromkeys(revs) if not r.startswith("-") and not DATE_REV.fullmatch(r)]
    if len(plain) < 2:
        return
    try:
        answers = git_together(cwd, [(_commit_question(r), None) for r in plain])
    except GitError:
        return
    _resolved.update({(cwd, r): a for r, a in zip(plain, answers, strict=True)})


def commit_of(cwd: Path, rev: str) -> str:
    if rev.startswith("-"):
        raise GitError(_("not a revision: {rev}").format(rev=rev))
    if DATE_REV.fullmatch(rev):
        return commit_before(cwd, rev)
    try:
        answer = _resolved.pop((cwd, rev), None)
        if answer is None:
            answer = git(cwd, *_commit_question(rev))
        return answer.decode().strip()
    except GitError:
        if not _has_commits(cwd):
            raise GitError(
                _("the repository has no commits yet: commit the accounts first")
            ) from None
        raise GitError(
            _("unknown revision {rev!r}").format(rev=rev) + _unknown_hint(cwd, rev)
        ) from None


#: git's empty tree: the base of ``kam diff DATE`` for a date before the first commit (every
#: account of the head side is then "added", as ``portfolio --since`` counts it gained)
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


def commit_before(cwd: Path, day_text: str, *, empty_ok: bool = False) -> str:
    """A date YYYY-MM-DD where a revision goes: the accounts as they stood at the start of
    that day, i.e. the newest first-parent commit of HEAD made before it (committer date,
    the day ``history --since`` and ``portfolio --since`` count from). A manager comparing
    quarters thinks in dates (``kam diff 2026-07-01 2026-10-01``), not in commit ids; a
    date is read as a date first, as ``--since`` reads it."""
    try:
        day = dt.date.fromisoformat(day_text)
    except ValueError:  # written YYYY-MM-DD (DATE_REV), a day no calendar has: 2026-02-30
        raise GitError(_("{value!r} is not a real calendar date").format(value=day_text)) from None
    chain = first_parent_commits(cwd, commit_of(cwd, "HEAD"))
    found = last_commit_before(chain, day)
    if found is not None:
        return found
    if is_shallow(cwd):
        # the history was cut (CI checks out one commit by default): the commits before
        # the date are there, just not fetched; "before the first commit" counted every
        # account as added
        raise GitError(
            _(
                "no commit before {date} in this shallow clone (what it has starts on "
                "{first}): run `git fetch --unshallow`, or {setting}"
            ).format(date=day_text, first=chain[-1][1][:10], setting=whole_history_setting())
        )
    if empty_ok:
        return EMPTY_TREE
    raise GitError(
        _("no commit before {date}: the history starts on {first}").format(
            date=day_text, first=chain[-1][1][:10]
        )
    )


def last_commit_before(chain: list[tuple[str, str]], day: dt.date) -> str | None:
    """The accounts as they stood at the start of ``day``, in a first-parent ``chain``
    (newest first, with committer dates): the commit before the oldest one made on or
    after that day. What every date where a revision goes means (``kam diff DATE``,
    ``history --since/--until DATE``, ``portfolio --since DATE``).

    The day of a commit is its committer date in the committer's own time zone (a commit
    at 23:30 +08:00 is of that day wherever kam runs). Committer dates out of order (a
    rebase with ``--committer-date-is-author-date``, an amend, a machine's clock) never
    hide a change: a commit made on or after the day is after the start even when a later
    commit of the chain claims an earlier date, so ``--since 2026-03-01`` lists every commit
    made from March on, and ``--until`` ends before the first of them."""
    found = None
    for sha, iso in reversed(chain):  # oldest first
        if dt.date.fromisoformat(iso[:10]) >= day:
            break
        found = sha
    return found


_LONG_ID = re.compile(r"[0-9a-fA-F]{12,64}")


def abbrev_length(cwd: Path) -> int:
    """How many hex digits name a commit of this repository in what people read: git's
    own abbreviation (``core.abbrev``, else from the number of objects: 7 in a small
    repository, more in a large one)."""
    try:
        return max(7, len(git(cwd, "rev-parse", "--short", "HEAD").strip()))
    except GitError:  # no commit yet
        return 7


def short_commit(cwd: Path, commit: str) -> str:
    """A commit id as git abbreviates it in this repository (see ``abbrev_length``)."""
    return commit[: abbrev_length(cwd)]


def last_removals(cwd: Path, commit: str, paths: Iterable[str]) -> dict[str, tuple[str, dt.date]]:
    """For each of ``paths`` that a commit of the first-parent history of ``commit`` (itself
    included) deleted, the newest such commit and its committer date. An account added
    after a start (``--since``) is one restored when an earlier commit removed its
    account.yaml. One ``git log`` for all the paths (given on its standard input: a
    portfolio may gain thousands of accounts), not one an account."""
    wanted = list(dict.fromkeys(paths))
    if not wanted:
        return {}
    listing = "".join(f"{p}\n" for p in wanted if "\n" not in p)
    try:
        out = git(
            cwd,
            "log",
            "--first-parent",
            "--diff-filter=D",
            "--name-only",
            "-z",
            "--format=%x00%H %cI",
            "--stdin",
            commit,
            stdin=f"--\n{listing}".encode("utf-8", "surrogateescape"),
        )
    except GitError:
        return {}
    # each commit: NUL, "SHA DATE", NUL, newline, then its deleted paths each ending in
    # NUL; an empty field (paths are never empty) is the start of the next commit
    found: dict[str, tuple[str, dt.date]] = {}
    fields = out.split(b"\0")
    i = 0
    while i < len(fields):
        if fields[i] or i + 1 >= len(fields):
            i += 1
            continue
        sha, _sep, iso = fields[i + 1].decode("ascii", "replace").partition(" ")
        i += 2
        first = True
        while i < len(fields) and fields[i]:
            name = fields[i][1:] if first and fields[i].startswith(b"\n") else fields[i]
            first = False
            path = tree_path(name)
            if path not in found:
                found[path] = (sha, dt.date.fromisoformat(iso[:10]))
            i += 1
    return found


def pull_request_files(root: Path, base_ref: str | None) -> frozenset[str] | None:
    """The files a pull request changed, repo-relative: ``git diff`` from the merge base
    of its target branch (``GITHUB_BASE_REF``: ``origin/BRANCH``, as a checkout with
    ``fetch-depth: 0`` holds it, else ``BRANCH``) to HEAD; None outside a pull request
    or when the branch is not in the clone."""
    if not base_ref:
        return None
    for ref in (f"origin/{base_ref}", base_ref):
        try:
            out = git(root, "diff", "--name-only", "-z", "--no-renames", f"{ref}...HEAD")
        except GitError:
            continue
        return frozenset(tree_path(p) for p in out.split(b"\0") if p)
    return None


def revision_label(rev: str, commit: str, cwd: Path) -> str:
    """How a revision is named in a heading: as typed (a full commit id, as CI passes
    ``$CI_MERGE_REQUEST_DIFF_BASE_SHA``, abbreviated as git does), and for a date with the
    commit it stands for, so that the reader can check which state was compared."""
    if DATE_REV.fullmatch(rev):
        if commit == EMPTY_TREE:
            return _("{date} (before the first commit)").format(date=rev)
        return _("{date} ({commit})").format(date=rev, commit=short_commit(cwd, commit))
    if _LONG_ID.fullmatch(rev) and commit.startswith(rev.lower()):
        return short_commit(cwd, commit)
    return rev


def _unknown_hint(cwd: Path, rev: str) -> str:
    """What to do about a revision git does not know: the remote branch of that name when
    there is one (CI checks out ``origin/main``, not ``main``), else, in a shallow or
    single-branch clone, how to fetch it; for a date written otherwise than YYYY-MM-DD
    (``2026-7-1``, ``2026-07-01T08:00+08:00``), how to write it."""
    day = _date_meant(rev)
    if day is not None:
        return _(
            ": a date is written YYYY-MM-DD, without a time or a time zone: {date} (the "
            "accounts as they stood at the start of that day)"
        ).format(date=day.isoformat())
    try:
        remote = git(
            cwd, "for-each-ref", "--format=%(refname:short)", f"refs/remotes/*/{rev}"
        ).decode()
    except GitError:
        remote = ""
    names = [line for line in remote.splitlines() if line and not line.endswith("/HEAD")]
    if len(names) == 1:
        return _("; did you mean {name!r}?").format(name=names[0])
    near = _nearest_ref(cwd, rev)
    if near is not None:
        return _("; did you mean {name!r}?").format(name=near)
    try:
        shallow = is_shallow(cwd)
    except GitError:
        shallow = False
    if not shallow:
        return ""
    if re.fullmatch(r"[\w./-]+", rev) and ".." not in rev:  # a branch or tag name
        # one command that both fetches the branch under a name kam can read (a plain
        # ``git fetch origin main`` only sets FETCH_HEAD) and deepens this clone's history
        # down to the merge base that ``BASE...HEAD`` needs
        branch = rev.removeprefix("origin/")
        return _(
            " (this is a shallow clone: fetch it with "
            "`git fetch --unshallow origin {branch}:refs/remotes/origin/{branch}`, then "
            "compare with origin/{branch}; or {setting})"
        ).format(branch=branch, setting=whole_history_setting())
    return _(" (this is a shallow clone: run `git fetch --unshallow`, or {setting})").format(
        setting=whole_history_setting()
    )


#: a date with a time, a time zone or unpadded numbers: ``2026-7-1``, ``2026/07/01``,
#: ``2026-07-01T08:00:00+08:00``, ``2026-07-01 08:00 +0800`` (git's own date forms)
_DATE_LIKE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?", re.S)


def _date_meant(rev: str) -> dt.date | None:
    """The day a revision that git does not know names when it is a date written in
    another form than YYYY-MM-DD, else None."""
    found = _DATE_LIKE.fullmatch(rev.strip())
    if found is None:
        return None
    try:
        return dt.date(*(int(g) for g in found.groups()))
    except ValueError:
        return None


def _nearest_ref(cwd: Path, rev: str) -> str | None:
    """The branch or tag a mistyped name means (``mian`` for main, ``v1.O`` for v1.0,
    ``mian~2`` for main~2), by ``errors.nearest``: local and remote branches and tags."""
    from kamtool.errors import nearest

    name, suffix = re.fullmatch(r"([^~^@:]*)(.*)", rev, re.S).groups()  # type: ignore[union-attr]
    if not name:
        return None
    try:
        listing = git(
            cwd,
            "for-each-ref",
            "--format=%(refname:short)",
            "refs/heads",
            "refs/tags",
            "refs/remotes",
        ).decode("utf-8", "replace")
    except GitError:
        return None
    refs = [r for r in listing.splitlines() if r and not r.endswith("/HEAD")]
    near = nearest(name, [*refs, "HEAD"])
    return None if near is None or near == name else near + suffix


def merge_base(cwd: Path, left: str, right: str) -> str:
    """The commit ``left...right`` compares from. Two revisions without a common commit
    (a shallow clone cut above it, as CI checks out by default; or unrelated histories)
    get a message that says which and what to do, not git's silent exit status."""
    left_c, right_c = commit_of(cwd, left), commit_of(cwd, right)
    try:
        return git(cwd, "merge-base", left_c, right_c).decode().strip()
    except GitError:
        pass
    if is_shallow(cwd):
        raise GitError(
            _(
                "{left} and {right} have no common commit in this shallow clone: "
                "{left}...{right} needs their merge base (run `git fetch --unshallow`, "
                "or {setting})"
            ).format(left=left, right=right, setting=whole_history_setting())
        )
    from kamtool import suggest

    raise GitError(
        _(
            "{left} and {right} have no common commit (unrelated histories): "
            "compare them with `{command}`"
        ).format(left=left, right=right, command=suggest.command("diff", left, right))
    )


def _has_commits(cwd: Path) -> bool:
    """Whether any branch or tag holds a commit (a fresh ``git init`` has none)."""
    try:
        return bool(git(cwd, "rev-list", "-n", "1", "--all").strip())
    except GitError:
        return False


def reject_empty(value: str | None, what: str) -> None:
    """An empty revision or date (``kam diff "$BASE"`` with the variable unset, or
    ``"$BASE..$HEAD"`` with both) is an error, not HEAD: a CI gate comparing HEAD with
    itself would pass without having looked. ``what`` names the argument (BASE, --since)."""
    from kamtool.errors import UsageError

    if value is None:
        return
    if not value.strip() or value.strip() in ("..", "..."):
        raise UsageError(
            _(
                "{what} is empty ({value!r}): name a revision (commit, branch, tag) or a "
                "date YYYY-MM-DD; an unset variable gives an empty argument"
            ).format(what=what, value=value)
        )


def resolve_range(
    cwd: Path, base: str | None, head: str | None
) -> tuple[str, str | None, str, str]:
    """(base commit, head commit or None for the working tree, base label, head label).

    Accepts ``BASE``, ``BASE HEAD``, ``A..B`` and ``A...B`` (merge base of A and B against B).
    """
    if base and head is not None and ".." in base:
        # `kam diff HEAD~1..HEAD HEAD` was told "unknown revision 'HEAD~1..HEAD'": the
        # range is fine, the HEAD after it is one too many
        from kamtool import suggest

        left, right = base.replace("...", "..").split("..", 1)
        if "..." in base:  # the merge base: no pair of revisions says it
            raise GitError(
                _(
                    "{base} is a range and {head} is given too: name the two sides once, "
                    "as `{range}`"
                ).format(base=base, head=head, range=suggest.command("diff", base))
            )
        raise GitError(
            _(
                "{base} is a range and {head} is given too: name the two sides once, "
                "as `{range}` or `{pair}`"
            ).format(
                base=base,
                head=head,
                range=suggest.command("diff", base),
                pair=suggest.command("diff", left or "HEAD", right or "HEAD"),
            )
        )
    if base and head is None and "..." in base:
        left, right = base.split("...", 1)
        right = right or "HEAD"
        right_c = commit_of(cwd, right)
        merge = merge_base(cwd, left or "HEAD", right)
        return (
            merge,
            right_c,
            _("{base} (merge base with {head})").format(base=left or "HEAD", head=right),
            revision_label(right, right_c, cwd),
        )
    if base and head is None and ".." in base:
        left, right = base.split("..", 1)
        left, right = left or "HEAD", right or "HEAD"
        left_c = (
            commit_before(cwd, left, empty_ok=True)
            if DATE_REV.fullmatch(left)
            else commit_of(cwd, left)
        )
        right_c = commit_of(cwd, right)
        return (
            left_c,
            right_c,
            revision_label(left, left_c, cwd),
            revision_label(right, right_c, cwd),
        )
    base = base or "HEAD"
    if head is not None:
        _resolve_together(cwd, [base, head])
    try:
        # a quarter that starts before the repository did (``kam diff 2026-01-01
        # 2026-04-01``, the first commit on 6 January) compares with nothing: every
        # account is new
        base_c = (
            commit_before(cwd, base, empty_ok=True)
            if DATE_REV.fullmatch(base)
            else commit_of(cwd, base)
        )
        if head is None:
            return base_c, None, revision_label(base, base_c, cwd), _("working tree")
        head_c = commit_of(cwd, head)
    finally:
        _resolved.clear()  # taken, or left by an error: never read by a later question
    return base_c, head_c, revision_label(base, base_c, cwd), revision_label(head, head_c, cwd)


def _prefix_slash(prefix: str) -> str:
    return (prefix.rstrip("/") + "/") if prefix not in ("", ".") else ""


def tree_path(raw: bytes) -> str:
    """A path as git lists it (``-z``), as kam knows and shows it: a folder named with a
    newline or an escape sequence (``$'x\\n::error::...'``), or with bytes that are not
    UTF-8, is known by its name with those as U+FFFD (``shown_name``), as on disk, so no
    account id, path or table of kam diff, kam history or kam portfolio --since carries
    them into a terminal or a CI log (where the newline began a workflow command)."""
    from kamtool.load.ids import shown_name

    return shown_name(raw.decode("utf-8", "surrogateescape"))


def tree_question(commit: str, prefix: str, *extra: str) -> Question:
    """What ``tree_files`` asks git (for ``ask_together``)."""
    args = ["ls-tree", "-r", "-z", "--full-tree", commit]
    if (prefix and prefix != ".") or extra:
        args += ["--"]
        args += [_prefix_slash(prefix)] if prefix not in ("", ".") else ["."]
        args += list(extra)
    return commit, tuple(args), None


def tree_files(cwd: Path, commit: str, prefix: str, *extra: str) -> Tree:
    """path (repo-relative, POSIX) -> (mode, blob id) for every file under ``prefix``
    (and the ``extra`` paths, e.g. kam.yaml)."""
    _commit, args, _input = tree_question(commit, prefix, *extra)
    out: Tree = {}
    for entry in _about_commit(cwd, commit, *args).split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        mode, kind, oid = meta.decode().split()
        if kind == "blob":
            out[tree_path(path)] = (mode, oid)
    return out


@dataclass(frozen=True)
class TreeFolder:
    """A folder path of a revision as git stores it: ``path`` with every symbolic link on
    the way followed inside the repository (``accounts -> data/accounts``), as the file
    system follows it in the working tree; ``links`` the symbolic links followed
    (repo-relative), so that a history can watch them change; ``exists`` whether a folder
    is there at all."""

    path: str
    exists: bool
    links: tuple[str, ...] = ()


def folder_question(commit: str, path: str) -> Question | None:
    """The first question ``folder_at`` asks git (for ``ask_together``), if any."""
    path = posixpath.normpath(path) if path not in ("", ".") else "."
    if path == ".":
        return None
    return commit, ("cat-file", "--batch-check"), f"{commit}:{path}\n".encode()


def _object_type(cwd: Path, commit: str, path: str) -> str | None:
    """``tree``, ``blob`` (or ``commit``) for ``commit:path``, None when there is nothing."""
    name = f"{commit}:{path}\n".encode()
    out = _about_commit(cwd, commit, "cat-file", "--batch-check", stdin=name).decode()
    parts = out.split()
    return None if len(parts) < 2 or parts[-1] == "missing" else parts[1]


def folder_at(cwd: Path, commit: str, path: str) -> TreeFolder:
    """Where ``path`` (repo-relative, POSIX) is in the tree of ``commit``, following
    symbolic links committed in git (mode 120000) component by component, each relative to
    the folder it lies in. ``ls-tree -- accounts/`` lists nothing under a link named
    ``accounts``: read unfollowed, a linked accounts folder is a revision without accounts
    (every account "removed", a gate passed that read nothing). A link that leaves the
    repository, or a chain of more than 40 links, ends the walk where it is: such a folder
    does not exist in the revision (the working tree refuses it too)."""
    path = posixpath.normpath(path) if path not in ("", ".") else "."
    if path == ".":
        return TreeFolder(".", True)
    # the common case, no link on the way: one question to git
    if _object_type(cwd, commit, path) == "tree":
        return TreeFolder(path, True)
    done: list[str] = []
    todo = path.split("/")
    links: list[str] = []
    while todo:
        name = todo.pop(0)
        if name in ("", "."):
            continue
        if name == "..":
            if not done:
                return TreeFolder(path, False, tuple(links))
            done.pop()
            continue
        here = "/".join([*done, name])
        listing = git(cwd, "ls-tree", "-z", "--full-tree", commit, "--", here).split(b"\0")
        entry = next(
            (
                e
                for e in listing
                if e.partition(b"\t")[2].decode("utf-8", "surrogateescape") == here
            ),
            None,
        )
        if entry is None:
            return TreeFolder(path, False, tuple(links))
        mode, kind, oid = entry.partition(b"\t")[0].decode().split()
        if mode == SYMLINK_MODE and len(links) < 40:
            links.append(here)
            target = read_blobs(cwd, [oid]).get(oid, b"").decode("utf-8", "surrogateescape")
            if not target or target.startswith("/"):
                return TreeFolder(path, False, tuple(links))
            todo = target.split("/") + todo
            continue
        if kind != "tree":
            return TreeFolder(path, False, tuple(links))
        done.append(name)
    real = "/".join(done) or "."
    return TreeFolder(real, True, tuple(links))


def paths_question(commit: str, paths: list[str]) -> Question:
    """What ``paths_at`` asks git (for ``ask_together``)."""
    return commit, ("ls-tree", "-r", "-z", "--full-tree", commit, "--", *paths), None


def paths_at(cwd: Path, commit: str, paths: list[str]) -> Tree:
    """Those of ``paths`` (repo-relative files) that exist at ``commit``, and nothing else
    (``tree_files`` lists a whole folder)."""
    out: Tree = {}
    if not paths:
        return out
    listing = _about_commit(cwd, commit, *paths_question(commit, paths)[1])
    for entry in listing.split(b"\0"):
        meta, _, path = entry.partition(b"\t")
        if not entry or meta.split()[1:2] != [b"blob"]:
            continue
        name = tree_path(path)
        if name in paths:
            mode, _kind, oid = meta.decode().split()
            out[name] = (mode, oid)
    return out


def group_accounts(
    tree: Tree, prefix: str, names: set[str]
) -> dict[str, dict[str, tuple[str, str]]]:
    """account id -> file name -> (mode, blob id): the kam files of each account folder under
    ``prefix`` (folders starting with '.' or '_' are skipped, as on disk)."""
    from kamtool.load.accounts import meant_name

    pre = _prefix_slash(prefix)
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for path, entry in tree.items():
        if not path.startswith(pre):
            continue
        parts = path[len(pre) :].split("/")
        if len(parts) != 2 or parts[0].startswith((".", "_")):
            continue
        acct, name = parts
        files = out.setdefault(acct, {})
        if name in names or meant_name(name) is not None:
            # a misnamed file (targets.yml) too: the loader reports it, as on disk
            files[name] = entry
    return out


_OID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
#: repository root -> its promisor remote ("" for none): asked once per run
_PROMISOR: dict[Path, str] = {}
#: repository root -> the objects a partial clone holds (``fetch_missing``): listed once
_PRESENT: dict[Path, set[str]] = {}


def promisor_remote(cwd: Path) -> str | None:
    """The remote a partial clone (``git clone --filter=blob:none``, as many CI systems
    check out) fetches missing objects from, else None."""
    if cwd not in _PROMISOR:
        try:
            out = git(cwd, "config", "--get-regexp", r"^remote\..*\.promisor$").decode()
        except GitError:
            out = ""
        names = [
            line.split()[0][len("remote.") : -len(".promisor")]
            for line in out.splitlines()
            if line.split()[1:] == ["true"]
        ]
        _PROMISOR[cwd] = names[0] if names else ""
    return _PROMISOR[cwd] or None


def _partial_clone_error(remote: str, count: int, reason: str) -> GitError:
    return GitError(
        ngettext(
            "this is a partial clone (--filter=blob:none) and {count} file of the accounts "
            "is not here, nor could it be fetched from {remote} ({reason}): make the remote "
            "reachable, or clone without a filter (actions/checkout: no `filter:`; GitLab: no "
            "--filter in GIT_CLONE_EXTRA_FLAGS or GIT_FETCH_EXTRA_FLAGS)",
            "this is a partial clone (--filter=blob:none) and {count} files of the accounts "
            "are not here, nor could they be fetched from {remote} ({reason}): make the "
            "remote reachable, or clone without a filter (actions/checkout: no `filter:`; "
            "GitLab: no --filter in GIT_CLONE_EXTRA_FLAGS or GIT_FETCH_EXTRA_FLAGS)",
            count,
        ).format(count=count, remote=remote, reason=reason)
    )


def fetch_missing(cwd: Path, names: list[str]) -> None:
    """In a partial clone, the blobs of ``names`` that are not here, fetched from the
    promisor remote in ONE request: ``git cat-file --batch`` would fetch each missing blob
    on its own (a network round trip per file of every account read). A remote that
    cannot be reached is a one-line error saying what to do, not git's first line."""
    remote = promisor_remote(cwd)
    if remote is None:
        return
    wanted = [n for n in dict.fromkeys(names) if _OID.fullmatch(n)]
    if not wanted:
        return
    # the objects here, listed once while all that is wanted is among them (read_blobs is
    # called for each side and each link), again before anything is fetched (a process
    # that runs kam twice: the repository may have changed in between)
    here = _PRESENT.get(cwd)
    missing = wanted if here is None else [oid for oid in wanted if oid not in here]
    if missing:
        listing = git(
            cwd, "cat-file", "--batch-check=%(objectname)", "--batch-all-objects", "--unordered"
        )
        here = _PRESENT[cwd] = set(listing.decode().split())
        missing = [oid for oid in wanted if oid not in here]
    if not missing or here is None:
        return
    try:
        git(
            cwd,
            "-c",
            "fetch.negotiationAlgorithm=noop",
            "fetch",
            "--no-tags",
            "--no-write-fetch-head",
            "--recurse-submodules=no",
            "--filter=blob:none",
            "--stdin",
            remote,
            stdin=("\n".join(missing) + "\n").encode(),
        )
    except GitError as exc:
        raise _partial_clone_error(remote, len(missing), str(exc)) from None
    here.update(missing)


def read_blobs(cwd: Path, oids: list[str]) -> dict[str, bytes]:
    """Many blobs (or ``commit:path`` names) in one ``git cat-file --batch`` call (in a
    partial clone, the missing ones fetched first, in one request: ``fetch_missing``)."""
    unique = list(dict.fromkeys(oids))
    if not unique:
        return {}
    fetch_missing(cwd, unique)
    # many blobs: shared among as many ``cat-file`` processes as there are processors (up
    # to 4), which inflate them side by side (``git_together``)
    parts = max(1, min(os.cpu_count() or 1, 4, len(unique) // _BLOBS_A_PROCESS))
    shares = [unique[i::parts] for i in range(parts)]
    raws = git_together(
        cwd, [(("cat-file", "--batch"), ("\n".join(share) + "\n").encode()) for share in shares]
    )
    out: dict[str, bytes] = {}
    for share, raw in zip(shares, raws, strict=True):
        pos = 0
        for oid in share:
            nl = raw.index(b"\n", pos)
            header = raw[pos:nl].decode("utf-8", "replace").split()
            pos = nl + 1
            if len(header) < 3 or header[-1] == "missing" or not header[-1].isdigit():
                continue
            size = int(header[-1])
            out[oid] = raw[pos : pos + size]
            pos += size + 1
    return out


#: fewer blobs than twice this are read by one ``git cat-file`` process: a second one costs
#: more to start than it saves
_BLOBS_A_PROCESS = 100


@dataclass
class BlobTexts:
    """Each distinct blob read once per run (batched) and decoded by kam's own rules."""

    root: Path
    max_bytes: int
    cache: dict[str, Read] = field(default_factory=dict)

    def _decode(self, data: bytes) -> Read:
        from kamtool.load.accounts import decode, size_error

        too_big = size_error(len(data), self.max_bytes)
        text, error = (None, too_big) if too_big else decode(data)
        return (text, None if error is None else (error.message, error.line, error.column))

    def fetch(self, names: list[str]) -> None:
        """Read every name (blob id or ``commit:path``) not read yet, in one batch."""
        missing = [n for n in dict.fromkeys(names) if n not in self.cache]
        if not missing:
            return
        got = read_blobs(self.root, missing)
        for name in missing:
            data = got.get(name)
            self.cache[name] = (
                self._decode(data)
                if data is not None
                else (None, ("symbolic link to a file that is not in this revision", 1, 1))
            )

    def link_target(self, commit: str, prefix: str, acct: str, oid: str) -> str | None:
        """The ``commit:path`` a symlink blob points at, or None when it leaves the repository."""
        text = self.cache.get(oid, (None, None))[0] or ""
        target = posixpath.normpath(posixpath.join(_prefix_slash(prefix) + acct, text))
        inside = not text.startswith("/") and target != ".." and not target.startswith("../")
        return f"{commit}:{target}" if inside else None

    def account_files(
        self,
        commit: str,
        prefix: str,
        accounts: dict[str, dict[str, tuple[str, str]]],
    ) -> dict[str, dict[str, tuple[str, str]]]:
        """Each account's files as name -> key into ``cache`` (a blob id, or the ``commit:path``
        a symlink leads to inside the repository, followed as on disk); reads what is new."""
        self.fetch([oid for files in accounts.values() for _m, oid in files.values()])
        keys: dict[str, dict[str, tuple[str, str]]] = {}
        links: list[str] = []
        for acct, files in accounts.items():
            keys[acct] = {}
            for name, (mode, oid) in files.items():
                if mode == SYMLINK_MODE:
                    target = self.link_target(commit, prefix, acct, oid)
                    if target is None:
                        keys[acct][name] = ("outside", oid)
                        continue
                    links.append(target)
                    keys[acct][name] = ("link", target)
                else:
                    keys[acct][name] = ("blob", oid)
        self.fetch(links)
        return keys

    def read(self, key: tuple[str, str]) -> Read:
        kind, name = key
        if kind == "outside":
            message = _("symbolic link pointing outside the repository: not followed")
            return (None, (message, 1, 1))
        return self.cache[name]


@dataclass
class LogCommit:
    """One first-parent commit and the files it changed against its first parent."""

    commit: str
    date: str  # committer date, ISO 8601 with the committer's offset
    subject: str
    changes: Tree  # path -> (new mode, new blob id); a deleted path has mode "000000"


def first_parent_log(root: Path, revs: list[str], paths: list[str]) -> list[LogCommit]:
    """Commits of the first-parent chain that changed ``paths``, oldest first, each with its
    changes against its first parent (merges too): one ``git log`` for the whole range."""
    out = git(
        root,
        "log",
        "--first-parent",
        "--diff-merges=first-parent",
        "--raw",
        "--no-renames",
        "--no-abbrev",
        "-z",
        "--format=%x1e%H %cI%x00%s%x00",
        *revs,
        "--",
        *paths,
    )
    commits: list[LogCommit] = []
    for record in out.split(b"\x1e")[1:]:
        header, _, rest = record.partition(b"\0")
        subject, _, rest = rest.partition(b"\0")
        sha, _, date = header.decode().partition(" ")
        items = rest.lstrip(b"\0\n").split(b"\0")
        changes: Tree = {}
        i = 0
        while i + 1 < len(items):
            meta = items[i].decode("utf-8", "replace")
            if not meta.startswith(":"):
                i += 1
                continue
            _old_mode, new_mode, _old, new, _status = meta[1:].split()
            changes[tree_path(items[i + 1])] = (new_mode, new)
            i += 2
        commits.append(LogCommit(sha, date, subject.decode("utf-8", "replace"), changes))
    commits.reverse()
    return commits


def first_parent_commits(root: Path, until: str) -> list[tuple[str, str]]:
    """(commit, committer date ISO) of the whole first-parent chain of ``until``, newest first."""
    out = git(root, "log", "--first-parent", "--format=%H %cI", until).decode()
    return [tuple(line.split(" ", 1)) for line in out.splitlines() if line]  # type: ignore[misc]
