"""kam history: each account's tier, score and letter at every commit that changed it.

Git holds the history already: one ``git log --first-parent --raw`` lists the commits that
touched the accounts folder (or kam.yaml) with the blob ids they wrote, one
``git cat-file --batch`` reads every distinct blob, and each distinct file text is parsed
once however many revisions share it. An account is graded at a commit only when that
commit changed it (or kam.yaml), as of the commit's committer date (what the score was
then) unless ``--today`` pins one date: the same as ``kam grade --today <date>`` run on
that commit's tree.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kamtool.analyse.diff import AccountDiff, build_from_files, compare, match_people, repo_settings
from kamtool.core import AccountResult, analyse
from kamtool.errors import ConfigError, NotFound, UsageError
from kamtool.i18n import _
from kamtool.load.accounts import FILE_NAMES, load_config
from kamtool.load.gitio import (
    DATE_REV,
    BlobTexts,
    GitError,
    LogCommit,
    Tree,
    abbrev_length,
    commit_of,
    first_parent_commits,
    first_parent_log,
    git,
    last_commit_before,
    last_removals,
    refuse_shallow,
    short_commit,
    tree_files,
)
from kamtool.load.ids import is_slug

if TYPE_CHECKING:
    from collections.abc import Callable

    from kamtool.analyse.diff import People, RepoSettings, ShownFolder
    from kamtool.analyse.grading import Grade
    from kamtool.load.accounts import Account
    from kamtool.load.config import Config
    from kamtool.load.gitio import Read
    from kamtool.load.models import AttitudeValue, KamModel
    from kamtool.load.yamlread import Document

DATE_RE = DATE_REV  # a date where a revision goes: one pattern for diff, history, portfolio
DELETED = "000000"


@dataclass
class PersonState:
    """One person at one revision (None fields when they are not in the file)."""

    id: str | None
    name: str | None = None
    attitude: AttitudeValue | None = None
    intimacy: AttitudeValue | None = None
    roles: list[str] = field(default_factory=list)
    owner: str | None = None
    left_on: dt.date | None = None
    #: the account's people could not be read at this revision (not "not in the file")
    unread: bool = False
    #: the first revision that has this person (their row describes them)
    first: bool = False
    #: that first revision follows revisions where the account could not be read: the
    #: person may have been in those files, so they are not "first seen" there
    after_unread: bool = False
    #: not in the file: the id they had where last seen before (None: not seen yet),
    #: for the row that removed them
    gone: str | None = None


@dataclass
class Revision:
    commit: str
    date: dt.date  # committer date
    today: dt.date  # the date it was graded as of
    subject: str
    status: str  # start, added, changed, removed, renamed, restored
    result: AccountResult | None  # None when the account is not in this revision
    diff: AccountDiff | None = None  # against the account's previous revision
    person: PersonState | None = None
    config_error: str | None = None
    renamed_to: str | None = None  # status "renamed" on the old id's last row: its new id
    #: status "start" on a later row: the first revision graded, the window having begun
    #: where kam.yaml did not load (the account was there: not "new account")
    start_unread: bool = False
    #: status "restored" (the account back after a commit removed it): that commit and
    #: its date; the diff is against the account as it was before it was removed
    removed_in: tuple[str, dt.date] | None = None
    #: the score's change since the previous revision, split (``_split_change``): what
    #: the commit did (this score minus the previous revision's models graded as of this
    #: revision's date) and what time did (the previous models as of this date minus as of
    #: theirs: contacts aging). None unless both revisions were graded.
    score_by_commit: int | None = None
    score_by_time: int | None = None
    #: the commit changed kam.yaml (weights, tiers, thresholds) and none of the account's
    #: files: listed only when that changed the account's grade or findings
    settings_changed: bool = False

    #: hex digits of a commit id as git abbreviates them in the repository (``short``)
    abbrev: int = 7

    @property
    def short(self) -> str:
        return self.commit[: self.abbrev]


@dataclass
class AccountHistory:
    id: str
    revisions: list[Revision] = field(default_factory=list)

    @property
    def name(self) -> str:
        for r in reversed(self.revisions):
            if r.result is not None and r.result.account.profile is not None:
                return str(r.result.account.profile.name)
        return self.id


@dataclass
class HistoryResult:
    since: str | None
    until: str
    pinned_today: dt.date | None
    person: str | None
    accounts: list[AccountHistory]
    #: the kam.yaml the accounts were followed to (``follow_moved_portfolio``), as the
    #: user would name it with --config; None when not followed
    followed: str | None = None
    #: why the history starts at another commit than --since named (``_on_first_parent``)
    start_note: str | None = None
    #: the day the history is read on (--today, KAM_TODAY or the clock): the chart draws
    #: nothing after it nor after the last commit, whichever is later
    today: dt.date | None = None

    @property
    def broken(self) -> bool:
        """The newest revision of some account does not load (exit 1, as kam grade)."""
        for a in self.accounts:
            last = a.revisions[-1] if a.revisions else None
            if last is not None and last.result is not None and not last.result.valid:
                return True
        return False


class TextCache:
    """Each distinct text parsed once, each account state built once, each (state, date)
    graded once per run."""

    def __init__(self) -> None:
        self.documents: dict[str, Document] = {}
        self.accounts: dict[tuple, Account] = {}
        self.results: dict[tuple, AccountResult] = {}
        self.configs: dict[str, tuple[Config | None, str | None]] = {}
        #: (file kind, text) -> its validated model (``build_account``): a file that stays
        #: the same over many revisions is validated once (validation reads no kam.yaml;
        #: what does, the structure checks and rules, runs again for each account state)
        self.validated: dict[tuple[str, str], KamModel] = {}

    def parse(self, text: str) -> Document:
        doc = self.documents.get(text)
        if doc is None:
            from kamtool.load.accounts import parse_document

            doc = self.documents[text] = parse_document(text)
        return doc


def since_commit(root: Path, since: str, until: str = "HEAD") -> str | None:
    """The commit ``--since`` names (history, portfolio --since): a revision's commit, or
    for a date YYYY-MM-DD the newest first-parent commit of ``until`` made before that
    day; None when there is none."""
    until = commit_of(root, until)  # a clear message for a repository with no commits
    if not DATE_RE.fullmatch(since):
        return commit_of(root, since)
    from kamtool.load.locate import parse_date

    # written YYYY-MM-DD: a day no calendar has (2026-02-30) is told so, not to write a date
    day = parse_date(since, "--since")
    return last_commit_before(first_parent_commits(root, until), day)


def date_of(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso[:10])


def config_at(
    root: Path, blobs: BlobTexts, oid: str | None, cache: TextCache, default: Config
) -> tuple[Config | None, str | None]:
    """kam.yaml as it was in a revision, checked as kam does (same messages); (config, error)."""
    if oid is None:
        return default, None
    if oid not in cache.configs:
        blobs.fetch([oid])
        text, error = blobs.read(("blob", oid))
        if text is None:
            reason = error[0] if error else _("unreadable")
            cache.configs[oid] = (None, f"kam.yaml: {reason}")
        else:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "kam.yaml"
                path.write_text(text, encoding="utf-8")
                try:
                    cache.configs[oid] = (load_config(path, Path(tmp)), None)
                except ConfigError as exc:
                    first = exc.findings[0]
                    cache.configs[oid] = (
                        None,
                        f"kam.yaml:{first.line}:{first.column}: {first.message}",
                    )
    return cache.configs[oid]


def _person(result: AccountResult | None, pid: str | None) -> PersonState | None:
    if result is None or pid is None:
        return None
    for p in result.account.stakeholders:
        if p.id == pid:
            return PersonState(
                p.id, p.name, p.attitude, p.intimacy, list(p.roles), p.owner, p.left_on
            )
    return PersonState(None)


def run_history(
    account: str | None = None,
    person: str | None = None,
    *,
    since: str | None = None,
    until: str | None = None,
    today: str | dt.date | None = None,
    config_path: str | Path | None = None,
    cwd: str | Path | None = None,
) -> HistoryResult:
    from kamtool.analyse.diff import follow_moved_history, holds_accounts
    from kamtool.load.gitio import reject_empty

    reject_empty(since, "--since")
    reject_empty(until, "--until")
    rs = repo_settings(config_path, today, cwd, "kam history")
    root = rs.root
    from kamtool.load.locate import today_is_pinned

    pinned = rs.settings.today if today_is_pinned(today) else None
    named = config_path is not None
    followed = None
    try:
        refuse_shallow(root, "kam history")
        until_c = commit_of(root, until or "HEAD")
        if not named and rs.settings.config_path is None and not holds_accounts(rs.accounts_dir):
            moved = follow_moved_history(rs, until_c, today, cwd)
            if moved is not None:  # read as if the user had named that kam.yaml
                rs, named = moved, True
                followed = rs.settings.display(rs.settings.config_path or rs.root)
        account = account_argument(rs, account)
        if person is not None:
            from kamtool.load.locate import refuse_empty_person

            refuse_empty_person(person)
        if person is not None and account is None:
            raise UsageError(_("name the account before the person"))
        config = rs.settings.config
        if since and DATE_RE.fullmatch(since):
            _refuse_since_after_until(root, since, until, until_c)
        boundary = since_commit(root, since, until_c) if since else None
        start_note = None
        # --since REV off the first-parent chain: the chain commit the rows follow
        # (``after``: the range is after..until) and the first row, counted from REV's
        # own files (``_on_first_parent``)
        after = boundary
        first_row: str | None = None
        if since and boundary is not None and not DATE_RE.fullmatch(since):
            after, first_row, start_note = _on_first_parent(root, boundary, until_c, since, until)
        folder = f"{rs.prefix}/" if rs.prefix not in ("", ".") else ""
        # the whole accounts folder even for one account: a folder renamed into it (or it
        # into another) is followed (``_renames``)
        paths = [folder or "."]
        config_rel = rs.config_rel if not named else None
        if config_rel:
            paths.append(config_rel)
        revs = [f"{after}..{until_c}" if after else until_c]
        blobs = BlobTexts(root, config.max_file_size)
        moves = _layouts(rs, blobs, revs, boundary, named)
        if moves is not None and first_row is not None:
            # the accounts folder moved in the range, and REV is off the chain: started
            # where REV's branch meets the chain, as the note says (``_on_first_parent``)
            boundary, first_row = after, None
            start_note = _fork_note(root, since or "", until, after or "")
            moves = _layouts(rs, blobs, revs, boundary, named)
        if moves is None:
            log = first_parent_log(root, revs, paths)
            state: Tree = (
                tree_files(root, boundary, rs.prefix, *([config_rel] if config_rel else []))
                if boundary
                else {}
            )
            if first_row is not None:
                log = _from_own_files(root, log, state, first_row, rs.prefix, config_rel)
        else:  # the accounts folder moved in the range: read as if it had always been here
            log, state = _as_today(rs, config_rel, revs, boundary, moves)
        renames = _renames(log, state, rs.prefix, blobs)
        wanted = None if account is None else _lineage(account, renames)

        def needed(path: str) -> bool:
            if wanted is None or path == config_rel:
                return True
            return path.startswith(folder) and path[len(folder) :].split("/", 1)[0] in wanted

        # every blob the range wrote, and the start, in one batch (for one account: its
        # folders' only)
        blobs.fetch(
            [oid for p, (mode, oid) in state.items() if needed(p)]
            + [
                oid
                for c in log
                for p, (mode, oid) in c.changes.items()
                if mode != DELETED and needed(p)
            ]
        )
        start_date = (
            date_of(git(root, "log", "-1", "--format=%cI", boundary).decode().strip())
            if boundary
            else None
        )
        try:
            result = _walk(
                rs,
                config,
                config_rel,
                blobs,
                state,
                boundary,
                start_date,
                log,
                account,
                person,
                pinned,
                since,
                until or "HEAD",
                renames,
                wanted,
                named,
            )
        except NotFound as missing:
            if person is None or account is None or not since:
                raise
            # a person named by an id they had before --since (wz-1, renamed wz-ceo in
            # April; the history since July): found in the whole history, followed under
            # the id they have in the range. Only when not found: the whole history is read
            # on this path alone. Told "did you mean 'wz-7'?", someone else, before.
            later = _renamed_since(account, person, until, today, config_path, cwd)
            if later is None:
                raise
            try:
                return run_history(
                    account,
                    later,
                    since=since,
                    until=until,
                    today=today,
                    config_path=config_path,
                    cwd=cwd,
                )
            except NotFound:
                raise missing from None
    except GitError as exc:
        raise UsageError(str(exc)) from None
    result.followed = followed
    result.start_note = start_note
    return result


def _renamed_since(
    account: str,
    person: str,
    until: str | None,
    today: str | dt.date | None,
    config_path: str | Path | None,
    cwd: str | Path | None,
) -> str | None:
    """The id at ``until`` of the person the whole history knows as ``person``, when it is
    another id (they were renamed), else None."""
    try:
        whole = run_history(
            account, person, until=until, today=today, config_path=config_path, cwd=cwd
        )
    except (NotFound, UsageError):
        return None
    return whole.person if whole.person not in (None, person) else None


def _refuse_since_after_until(root: Path, since: str, until: str | None, until_c: str) -> None:
    """``--since DATE`` that names a later state than ``--until``: its commit (the newest
    first-parent commit of HEAD before that day) comes after the ``--until`` commit, as
    ``--since REV`` after ``--until`` is refused. Read on the way to ``--until`` instead,
    it was the ``--until`` commit itself: "No change from 2026-07-01 to 2026-04-01" over a
    table of the accounts as they were at the end. A date whose commit is the ``--until``
    one (no commit in between, or a date after HEAD's last commit) is no change."""
    try:
        day = dt.date.fromisoformat(since)
    except ValueError:
        return  # not a date: said where it is read
    dated = first_parent_commits(root, commit_of(root, "HEAD"))
    chain = [sha for sha, _day in dated]
    start = last_commit_before(dated, day)
    if start is None or until_c not in chain or start == until_c:
        return
    if chain.index(start) < chain.index(until_c):  # newest first: the start is later
        raise GitError(
            _("--since {since} comes after --until {until}: name an earlier date").format(
                since=since, until=until or "HEAD"
            )
        )


def account_argument(rs: RepoSettings, arg: str | None) -> str | None:
    """The account an argument of ``kam history`` names, as every command takes one: an
    id, or a path from the working folder: an account folder or a file in one (its id;
    the folder may be gone from the working tree, the account removed since), the
    accounts folder or a folder holding it (None: every account)."""
    import os

    if arg is None:
        return None
    from kamtool.load.locate import refuse_empty_account

    refuse_empty_account(arg)  # `kam history "$ACCOUNT"` with the variable unset: not every account
    path = os.path.realpath(rs.settings.cwd / arg)
    if is_slug(arg) and not os.path.lexists(path):
        return arg  # an id (a removed account's too), not a path
    accounts = os.path.realpath(rs.accounts_dir)
    if path == accounts or accounts.startswith(path.rstrip(os.sep) + os.sep):
        return None
    if path.startswith(accounts + os.sep):
        return Path(os.path.relpath(path, accounts)).parts[0]
    if os.path.lexists(path):
        raise UsageError(
            _("{arg} is not in the accounts folder {folder}").format(
                arg=arg, folder=rs.settings.display(rs.accounts_dir)
            )
        )
    return arg  # told "no account" with the accounts the history holds


def _on_first_parent(
    root: Path, since_c: str, until_c: str, since: str, until: str | None
) -> tuple[str, str | None, str | None]:
    """Where the rows of ``--since REV`` begin on the first-parent history of ``until``:
    (the chain commit the range starts after, the first row when REV is off the chain,
    a note when it is). The history is a row per commit of that chain, each read as the
    state before it plus what it changed; from a commit off the chain (on a branch merged
    since, or a branch that moved on since this one left it) those rows mixed that
    commit's tree with the chain's changes: states no commit ever had.

    The history still starts from REV's own files, as ``kam diff REV`` and ``kam portfolio
    --since REV`` measure from them; its rows are the chain's commits that include REV
    (from the merge that brought it in), or, for a REV never merged, the chain's commits
    after the newest one REV descends from. The first row is counted from REV's own files
    to that commit's (``_from_own_files``), each later one from the commit before it."""
    chain = [sha for sha, _day in first_parent_commits(root, until_c)]
    if since_c in set(chain):
        return since_c, None, None
    until_text = until or "HEAD"
    ancestors = set(git(root, "rev-list", since_c).decode().split())
    if until_c in ancestors:
        raise GitError(
            _("--since {since} comes after --until {until}: name an earlier revision").format(
                since=since, until=until_text
            )
        )
    # the chain's commits that include REV (merged into the chain), newest first
    including = set(
        git(root, "rev-list", "--ancestry-path", f"{since_c}..{until_c}").decode().split()
    )
    merged = [sha for sha in chain if sha in including]
    if merged:
        first = merged[-1]
        note = _(
            "{since} is not on the first-parent history of {until}: the history starts from "
            "{since}'s own files, and its rows are the commits of that history from {commit}, "
            "which merged it"
        )
        text = note.format(since=since, until=until_text, commit=short_commit(root, first))
        return chain[chain.index(first) + 1], first, text
    for i, sha in enumerate(chain):
        if sha in ancestors:
            note = _(
                "{since} is not on the first-parent history of {until} and was not merged "
                "into it: the history starts from {since}'s own files, and its rows are the "
                "commits of that history after {commit}, where {since} left it"
            )
            text = note.format(since=since, until=until_text, commit=short_commit(root, sha))
            return sha, chain[i - 1], text
    from kamtool.load.gitio import merge_base

    merge_base(root, since, until_text)  # says why there is none (unrelated, shallow)
    raise GitError(_("unknown revision {rev!r}").format(rev=since))  # not reached


def _fork_note(root: Path, since: str, until: str | None, commit: str) -> str:
    """The note for ``--since REV`` off the chain when the history cannot start from REV's
    own files (the accounts folder moved in the range): it starts at ``commit`` instead."""
    return _(
        "{since} is not on the first-parent history of {until}: the accounts folder moved "
        "in the range, so the history starts at {commit} of that history, not at {since}'s "
        "own files"
    ).format(since=since, until=until or "HEAD", commit=short_commit(root, commit))


def _from_own_files(
    root: Path,
    log: list[LogCommit],
    start: Tree,
    first: str,
    prefix: str,
    config_rel: str | None,
) -> list[LogCommit]:
    """The log with its first row (``first``, the oldest commit of the range) counted from
    the start's own files (``start``: REV's tree, off the chain) to that commit's, not from
    the chain commit before it: its changes are whatever differs between the two trees,
    and the row is there whenever they differ, also when ``first`` changed nothing of the
    accounts against its first parent."""
    after = tree_files(root, first, prefix, *([config_rel] if config_rel else []))
    changes: Tree = {
        p: after.get(p, (DELETED, "0" * 40))
        for p in set(start) | set(after)
        if start.get(p) != after.get(p)
    }
    rest = [c for c in log if c.commit != first]
    if not changes:
        return rest
    date, _sep, subject = (
        git(root, "log", "-1", "--format=%cI%x00%s", first).decode().rstrip("\n").partition("\0")
    )
    return [LogCommit(first, date, subject, changes), *rest]


#: where kam's files were: (the accounts folder, kam.yaml or None), repo-relative
Layout = tuple[str, str | None]


def _layouts(
    rs: RepoSettings, blobs: BlobTexts, revs: list[str], boundary: str | None, named: bool
) -> tuple[Layout, dict[str, Layout], list[str]] | None:
    """Where the accounts folder was over the range, when it was not always where it is
    today (moved into a monorepo's ``sales/kam/``, ``accounts:`` renamed): (the layout at
    the start, the layout from each commit that changed a kam.yaml kam would have found,
    the paths those kam.yaml may have), else None (the common case: nothing to follow).
    Each layout is ``layout_at`` of that commit, the rule kam diff reads a revision by."""
    from kamtool.analyse.diff import kam_yaml_candidates, layout_at, tree_layout
    from kamtool.load.gitio import TreeFolder

    candidates = kam_yaml_candidates(rs, named)
    if candidates is None:
        return None
    today: Layout = (rs.prefix, None if named else rs.config_rel)

    def at(commit: str) -> Layout:
        prefix, config = layout_at(rs, blobs, commit, named)
        return prefix, None if named else config

    start: Layout = at(boundary) if boundary else ("accounts", None)
    # a symbolic link on the way to the folder (``accounts -> data/accounts``, committed):
    # the commits that made or changed it change where the accounts are, as a kam.yaml does
    folder = tree_layout(rs, blobs, revs[-1].rpartition("..")[2], named)[0]
    links = list(folder.links) if isinstance(folder, TreeFolder) else []
    watched = [*candidates, *links]
    changed = {c.commit: at(c.commit) for c in first_parent_log(rs.root, revs, watched)}
    layouts = [start, *changed.values()]
    if all(p == today[0] and (c is None or c == today[1]) for p, c in layouts):
        return None
    return start, changed, watched


def _as_today(
    rs: RepoSettings,
    config_rel: str | None,
    revs: list[str],
    boundary: str | None,
    moves: tuple[Layout, dict[str, Layout], list[str]],
) -> tuple[list[LogCommit], Tree]:
    """The log and the start state with every path moved to where it is today: a file of
    the accounts folder of its revision is under today's folder, that revision's kam.yaml
    is today's, anything else is left out. At a commit that moved the folder, its changes
    are what differs between the state before and the tree after (the same files moved
    are no change), so the rest of history reads one folder throughout and an account
    that moved is the same account, not one removed and one added."""
    start, changed, candidates = moves
    today_pre = f"{rs.prefix}/" if rs.prefix not in ("", ".") else ""

    kam_files = set(FILE_NAMES.values())

    def move(path: str, layout: Layout) -> str | None:
        prefix, config = layout
        if config is not None and path == config:
            return config_rel
        pre = f"{prefix}/" if prefix not in ("", ".") else ""
        if not path.startswith(pre) or path in candidates:
            return None
        rest = path[len(pre) :]
        # another folder than today's (`accounts/` at the root before any kam.yaml): only
        # kam's own files, so that an unrelated folder of that name in a monorepo does not
        # turn into accounts that do not load
        if prefix != rs.prefix and rest.rpartition("/")[2] not in kam_files:
            return None
        return today_pre + rest

    def moved_tree(tree: Tree, layout: Layout) -> Tree:
        out: Tree = {}
        for path, entry in tree.items():
            to = move(path, layout)
            if to is not None:
                out[to] = entry
        return out

    def read_tree(commit: str, layout: Layout) -> Tree:
        prefix, config = layout
        return moved_tree(
            tree_files(rs.root, commit, prefix, *([config] if config else [])), layout
        )

    folders = {p for p, _c in [start, *changed.values()]}
    paths = sorted({f or "." for f in folders} | set(candidates))
    state = read_tree(boundary, start) if boundary else {}
    running = dict(state)
    layout = start
    out: list[LogCommit] = []
    for c in first_parent_log(rs.root, revs, paths):
        if c.commit in changed:
            layout = changed[c.commit]
            after = read_tree(c.commit, layout)
            changes: Tree = {
                p: after.get(p, (DELETED, "0" * 40))
                for p in set(running) | set(after)
                if running.get(p) != after.get(p)
            }
        else:
            changes = {}
            for path, entry in c.changes.items():
                to = move(path, layout)
                if to is not None:
                    changes[to] = entry
        for path, entry in changes.items():
            if entry[0] == DELETED:
                running.pop(path, None)
            else:
                running[path] = entry
        if changes:
            out.append(LogCommit(c.commit, c.date, c.subject, changes))
    return out, state


#: (commit, old id, new id) for each account renamed in the range, oldest first
Renames = list[tuple[str, str, str]]


def _renames(log: list[LogCommit], start: Tree, prefix: str, blobs: BlobTexts) -> Renames:
    """Accounts renamed in the range: at each commit where an account folder went and
    another came, the profile names of every account before and after it are matched
    (``match_accounts``, the rule of kam diff and kam portfolio --since). Only path changes
    are read, and an account.yaml (and, when the names leave a folder unmatched, a
    stakeholders.yaml) only at such a commit."""
    from kamtool.analyse.diff import account_name, account_people, match_accounts

    pre = f"{prefix}/" if prefix not in ("", ".") else ""
    account_yaml = FILE_NAMES["account"]
    people_yaml = FILE_NAMES["stakeholders"]
    files_in: dict[str, int] = {}  # account folder -> its files (group_accounts' rule)
    yaml_of: dict[str, tuple[str, str]] = {}  # account folder -> its account.yaml entry
    people_of: dict[str, tuple[str, str]] = {}  # account folder -> its stakeholders.yaml

    def folder_file(path: str) -> tuple[str, str] | None:
        if not path.startswith(pre):
            return None
        parts = path[len(pre) :].split("/")
        if len(parts) != 2 or parts[0].startswith((".", "_")):
            return None
        return parts[0], parts[1]

    def apply(path: str, entry: tuple[str, str] | None, existed: bool) -> None:
        got = folder_file(path)
        if got is None:
            return
        acct, name = got
        files_in[acct] = files_in.get(acct, 0) + (entry is not None) - existed
        held = yaml_of if name == account_yaml else people_of if name == people_yaml else None
        if held is not None:
            if entry is None:
                held.pop(acct, None)
            else:
                held[acct] = entry

    def names(folders: set[str], yamls: dict[str, tuple[str, str]]) -> dict[str, str | None]:
        entries = {a: yamls.get(a) for a in folders}
        blobs.fetch([e[1] for e in entries.values() if e is not None and e[0] != "120000"])
        return {
            a: account_name({account_yaml: blobs.read(("blob", e[1]))})
            if e is not None and e[0] != "120000"
            else None
            for a, e in entries.items()
        }

    def people(entries: dict[str, tuple[str, str]]) -> Callable[[str], People]:
        fetched: list[bool] = []

        def of(folder: str) -> People:
            e = entries.get(folder)
            if e is None or e[0] == "120000":
                return frozenset()
            if not fetched:  # every folder's at once, the first time
                blobs.fetch([x[1] for x in entries.values() if x[0] != "120000"])
                fetched.append(True)
            return account_people({people_yaml: blobs.read(("blob", e[1]))})

        return of

    for path, entry in start.items():
        apply(path, entry, False)
    out: Renames = []
    tree = dict(start)
    for c in log:
        went = any(m == DELETED and folder_file(p) for p, (m, _o) in c.changes.items())
        before = {a for a, n in files_in.items() if n > 0} if went else set()
        yamls_before = dict(yaml_of) if went else {}
        people_before = dict(people_of) if went else {}
        for path, (mode, oid) in c.changes.items():
            existed = path in tree
            if mode == DELETED:
                tree.pop(path, None)
                apply(path, None, existed)
            else:
                tree[path] = (mode, oid)
                apply(path, (mode, oid), existed)
        if not went:
            continue
        after = {a for a, n in files_in.items() if n > 0}
        if not (before - after) or not (after - before):
            continue
        matched = match_accounts(
            names(before, yamls_before),
            names(after, yaml_of),
            people(people_before),
            people(dict(people_of)),
        )
        out += [(c.commit, old, new) for old, new in sorted(matched.items())]
    return out


def _lineage(account: str, renames: Renames) -> set[str]:
    """The folders whose history is ``account``'s: itself and every id renamed into it,
    however many renames back (and the id it was renamed to, for the row saying so)."""
    out = {account}
    for _c, old, new in reversed(renames):
        if new in out:
            out.add(old)
    out |= {new for _c, old, new in renames if old == account}
    return out


def _accounts_in(state: Tree, prefix: str) -> dict[str, dict[str, tuple[str, str]]]:
    from kamtool.load.gitio import group_accounts

    return group_accounts(state, prefix, set(FILE_NAMES.values()))


@dataclass
class _Step:
    """One row of an account's history, worked out from the log before anything is graded:
    the account's files at that commit (None: removed, or kam.yaml did not load) and the
    kam.yaml it is graded with."""

    commit: str
    day: dt.date  # committer date
    when: dt.date  # graded as of
    subject: str
    status: str
    keys: dict[str, tuple[str, str]] | None = None
    config: Config | None = None
    config_key: str = ""
    config_error: str | None = None
    folder: str = ""  # the account folder the files were in (an account renamed since)
    renamed_to: str | None = None
    #: an account added in the range that a commit before the start had removed (--since):
    #: that commit and its date
    removed_in: tuple[str, dt.date] | None = None
    #: the commit changed kam.yaml and none of the account's files (listed only when that
    #: changed the account's grade or findings, whatever other accounts the commit changed)
    settings: bool = False


#: accounts per task sent to a worker
_CHUNK = 8


def _walk(
    rs: RepoSettings,
    default_config: Config,
    config_rel: str | None,
    blobs: BlobTexts,
    state: Tree,
    boundary: str | None,
    start_date: dt.date | None,
    log: list[LogCommit],
    account: str | None,
    person: str | None,
    pinned: dt.date | None,
    since: str | None,
    until: str,
    renames: Renames,
    wanted: set[str] | None,
    named: bool = False,
) -> HistoryResult:
    """The log walked once, in this process, into each account's steps (git is read here);
    then each account's steps graded and compared in turn, accounts on several processes
    when there are many (an account's revisions depend on each other, accounts do not)."""
    prefix = rs.prefix
    pre = f"{prefix}/" if prefix not in ("", ".") else ""
    configs = TextCache()  # kam.yaml at each revision, loaded once per blob
    steps: dict[str, list[_Step]] = {}
    present: dict[str, bool] = {}  # the account is in the last revision graded

    def config_for(st: Tree) -> tuple[Config | None, str | None, str]:
        if not config_rel:
            return default_config, None, ""
        entry = st.get(config_rel)
        oid = entry[1] if entry else None
        cfg, error = config_at(rs.root, blobs, oid, configs, _default_config())
        return cfg, error, oid or ""

    def rows(
        commit: str,
        day: dt.date,
        subject: str,
        touched: set[str] | None,
        status_of: Callable[[str], str],
        settings_only: Callable[[str], bool] = lambda _a: False,
    ) -> None:
        cfg, error, cfg_key = config_for(state)
        accounts = _accounts_in(state, prefix)
        names = set(accounts) | {a for a, there in present.items() if there}
        if touched is not None:
            names &= touched
        if wanted is not None:
            names &= wanted
        keys = blobs.account_files(commit, prefix, {a: accounts[a] for a in names if a in accounts})
        when = pinned or day
        for acct in sorted(names):
            mine = steps.setdefault(acct, [])
            if acct not in accounts:
                if present.get(acct):
                    mine.append(_Step(commit, day, when, subject, "removed"))
                    present[acct] = False
                continue
            if cfg is None:  # kam.yaml of this revision does not load: say so, keep the last grade
                mine.append(
                    _Step(
                        commit, day, when, subject, status_of(acct), config_error=error, folder=acct
                    )
                )
                continue
            mine.append(
                _Step(
                    commit,
                    day,
                    when,
                    subject,
                    status_of(acct),
                    keys[acct],
                    cfg,
                    cfg_key,
                    None,
                    acct,
                    settings=settings_only(acct),
                )
            )
            present[acct] = True

    if boundary is not None and start_date is not None:
        rows(boundary, start_date, "(start)", None, lambda _a: "start")
    for c in log:
        files: set[str] = set()  # the accounts whose files the commit changed
        config_touched = False  # the commit wrote kam.yaml (moved it, perhaps unchanged)
        config_before = state.get(config_rel) if config_rel else None
        for path, (mode, oid) in c.changes.items():
            if mode == DELETED:
                state.pop(path, None)
            else:
                state[path] = (mode, oid)
            if config_rel and path == config_rel:
                config_touched = True
            elif path.startswith(pre):
                files.add(path[len(pre) :].split("/", 1)[0])
        # kam.yaml says something else now (not only moved with the accounts)
        settings = config_touched and state.get(config_rel or "") != config_before

        def settings_only(acct: str, files: set[str] = files, settings: bool = settings) -> bool:
            return settings and acct not in files and bool(present.get(acct))

        rows(
            c.commit,
            date_of(c.date),
            c.subject,
            None if config_touched else files,  # a new kam.yaml may change every grade
            lambda a: "changed" if present.get(a) else "added",
            settings_only,
        )
    order = {c.commit: i + 1 for i, c in enumerate(log)}
    if boundary is not None:
        order[boundary] = 0
        # back in the range after a removal before it
        added = [a for a, mine in steps.items() if mine and mine[0].status == "added"]
        removals = last_removals(rs.root, boundary, (f"{pre}{a}/account.yaml" for a in added))
        for acct in added:
            removal = removals.get(f"{pre}{acct}/account.yaml")
            if removal is not None:
                steps[acct][0] = replace(steps[acct][0], removed_in=removal)
    steps = _follow_renames({a: s for a, s in steps.items() if s}, renames, account, order)
    if account is not None:  # the folders it was renamed from or to are not shown apart
        steps = {a: s for a, s in steps.items() if a == account}
    if account is None and not steps:
        # no account at any revision of the range: an empty table and exit 0 said nothing
        # (kam grade and kam diff refuse a folder that is not there; accounts never
        # committed, or an --until before them, are "not found")
        if not rs.accounts_dir.is_dir():
            from kamtool.load.locate import no_accounts_folder

            raise no_accounts_folder(rs.settings)
        raise NotFound(
            _("no account in the history of {folder} up to {until}").format(
                folder=prefix or ".", until=until
            )
            + (_(" since {since}").format(since=since) if since else "")
            + _(": kam history reads the accounts from commits (commit them first)")
        )
    if account is not None and account not in steps:
        from kamtool.analyse.diff import layout_at
        from kamtool.load.gitio import tree_files
        from kamtool.load.locate import _did_you_mean

        # the accounts at `until` (the log above read only the named folder), for the hint,
        # where the accounts folder was then (moved since: `data/accounts` held nothing
        # at an --until before the move, and the hint was lost)
        then = layout_at(rs, blobs, until, named)[0]
        there = _accounts_in(tree_files(rs.root, until, then), then)
        raise NotFound(
            _("no account {account!r} in the history of {folder}").format(
                account=account, folder=prefix or "."
            )
            + (_(" up to {until}").format(until=until) if until != "HEAD" else "")
            + (_(" since {since}").format(since=since) if since else "")
            + _did_you_mean(account, there)
        )
    histories = _grade_steps(
        steps,
        blobs,
        rs.shown(prefix),
        keep_people=person is not None,
        abbrev=abbrev_length(rs.root),
    )
    pid = None
    if person is not None:
        assert account is not None
        results = [r.result for r in histories[account].revisions if r.result is not None]
        pid = _follow_person(histories[account], person)
        if pid is None:
            from kamtool.load.locate import person_hint

            # each person as the newest revision that has them says (who has left since)
            known = {p.id: p for r in results for p in r.account.stakeholders}
            raise NotFound(
                _("no person {person!r} in the history of {account!r}").format(
                    person=person, account=account
                )
                + (
                    person_hint(person, list(known.values()), rs.settings.today)
                    or _people_named_hint(list(known))
                )
            )
    return HistoryResult(
        since,
        until,
        pinned,
        pid,
        [histories[a] for a in sorted(histories)],
        today=rs.settings.today,
    )


def _people_named_hint(ids: list[str]) -> str:
    """When no one the history names is close to the name typed: whom it names (up to
    five ids, then how many more), as ``kam log`` says whom the account lists."""
    from kamtool.i18n import listed, ngettext, number

    if not ids:
        return _("; its history names nobody")
    return ngettext(
        "; its history names {n} person ({ids})",
        "; its history names {n} people ({ids})",
        len(ids),
    ).format(n=number(len(ids)), ids=listed(ids, shown=5))


def _follow_renames(
    steps: dict[str, list[_Step]], renames: Renames, account: str | None, order: dict[str, int]
) -> dict[str, list[_Step]]:
    """An account renamed is one history under its new id: the old folder's rows, then
    the rename's row ("renamed"), then the new folder's. Asked for by its old id, the
    history ends with a row saying what it was renamed to (not "account removed").

    A folder's rows are cut into stretches, one per time the folder existed (a stretch
    ends with its "removed" row): an id freed by a rename can be taken by another account
    later, or an account renamed back to it. A rename links the old folder's stretch that
    ends at the rename commit to the new folder's stretch that starts there, so each
    account's chain of stretches follows its renames, and an id reused by another account
    starts a new history at that account's first commit. ``order``: commit -> position."""
    stretches: list[tuple[str, list[_Step]]] = []
    for acct, rows in steps.items():
        current: list[_Step] = []
        for st in rows:
            current.append(st)
            if st.status == "removed":
                stretches.append((acct, current))
                current = []
        if current:
            stretches.append((acct, current))
    ending = {
        (a, rows[-1].commit): i
        for i, (a, rows) in enumerate(stretches)
        if rows[-1].status == "removed"
    }
    starting = {(a, rows[0].commit): i for i, (a, rows) in enumerate(stretches)}
    following: dict[int, int] = {}  # stretch -> the stretch it was renamed into
    preceded: set[int] = set()
    for commit, old, new in renames:
        before, after = ending.get((old, commit)), starting.get((new, commit))
        if before is None or after is None or before in following or after in preceded:
            continue
        following[before] = after
        preceded.add(after)
    chains: list[list[int]] = []
    for i in range(len(stretches)):
        if i in preceded:
            continue
        chain = [i]
        while chain[-1] in following:
            chain.append(following[chain[-1]])
        chains.append(chain)

    def rows_of(chain: list[int], upto: int) -> list[_Step]:
        """The chain's rows to its stretch ``upto``: each rename one "renamed" row (the
        old folder's "removed" row dropped); a stretch renamed after ``upto`` ends with
        the row saying what it was renamed to."""
        out: list[_Step] = []
        for k, i in enumerate(chain[: upto + 1]):
            rows = stretches[i][1]
            if k > 0:
                rows = [replace(rows[0], status="renamed"), *rows[1:]]
            if k < len(chain) - 1 and k < upto:
                rows = rows[:-1]
            elif k < len(chain) - 1:  # renamed after the stretch asked for
                rows = [
                    *rows[:-1],
                    replace(rows[-1], status="renamed", renamed_to=stretches[chain[k + 1]][0]),
                ]
            out += rows
        return out

    # (id, position of its stretch's first row, rows): each id's histories in time order
    parts: list[tuple[str, int, list[_Step]]] = []
    for chain in chains:
        last = len(chain) - 1
        label = stretches[chain[last]][0]
        if account is None or label == account:
            parts.append((label, order[stretches[chain[last]][1][0].commit], rows_of(chain, last)))
            continue
        mine = [k for k, i in enumerate(chain) if stretches[i][0] == account]
        if mine:  # renamed away from the id asked for: its rows until then
            k = mine[-1]
            parts.append((account, order[stretches[chain[k]][1][0].commit], rows_of(chain, k)))
    out: dict[str, list[_Step]] = {}
    for label, _at, rows in sorted(parts, key=lambda p: (p[0], p[1])):
        out.setdefault(label, []).extend(rows)
    return out


def _grade_steps(
    steps: dict[str, list[_Step]],
    blobs: BlobTexts,
    prefix: ShownFolder,
    *,
    keep_people: bool,
    abbrev: int = 7,
) -> dict[str, AccountHistory]:
    """Every account's steps graded and compared, on several processes for a large history.
    Each task carries the texts its accounts read (a forked worker shares them with this
    process; a spawned one gets them pickled)."""
    from kamtool.core import _prepare_workers
    from kamtool.parallel import map_chunks

    names = sorted(steps)
    tasks = []
    for i in range(0, len(names), _CHUNK):
        part = {a: steps[a] for a in names[i : i + _CHUNK]}
        texts = {
            k: blobs.read(k) for s in part.values() for st in s for k in (st.keys or {}).values()
        }
        tasks.append((part, texts, prefix, keep_people, abbrev))
    graded = sum(1 for s in steps.values() for st in s if st.keys is not None)
    parts = map_chunks(
        _grade_chunk,
        tasks,
        items=graded,
        chunk=max(1, graded * _CHUNK // max(1, len(names))),
        prepare=_prepare_workers,
    )
    return {h.id: h for part in parts for h in part}


def _grade_chunk(
    args: tuple[dict[str, list[_Step]], dict[tuple[str, str], Read], ShownFolder, bool, int],
) -> list[AccountHistory]:
    """Some accounts' histories: each distinct account state built once, each (state, date)
    graded once, each revision compared with the one before it."""
    from kamtool.analyse.grading import grade

    part, texts, prefix, keep_people, abbrev = args
    out = []
    cache = TextCache()  # texts parsed and validated once for the whole task
    for acct, acct_steps in part.items():
        cache.accounts.clear()  # account states and their grades: this account's only
        cache.results.clear()
        history = AccountHistory(acct)
        previous: AccountResult | None = None
        # the models and kam.yaml ``previous`` was graded from, and as of when: graded
        # again as of the next revision's date to split its change (``_split_change``)
        graded_from: tuple[Account, Config, dt.date] | None = None
        # the newest revision that loaded, and its commit: a revision after some that did
        # not load is compared with it (what really changed since), not with a broken one
        loaded: tuple[str, AccountResult] | None = None
        # the models, kam.yaml and date ``loaded`` was graded from (as ``graded_from``): the
        # revision that loads again splits its change against it
        loaded_from: tuple[Account, Config, dt.date] | None = None
        # the last commit that removed the account, and the account before it: a folder of
        # that id added back later is the account restored, compared with how it was
        gone: tuple[str, dt.date, AccountResult | None] | None = None
        # the window began at a revision whose kam.yaml did not load, and no revision of
        # the account has been graded since: the first graded is its start, not its birth
        unread_start = False
        for s in acct_steps:
            if s.config_error is not None:  # kam.yaml did not load: the last grade stands
                unread_start = unread_start or (s.status == "start" and previous is None)
                history.revisions.append(
                    Revision(
                        s.commit,
                        s.day,
                        s.when,
                        s.subject,
                        s.status,
                        None,
                        config_error=s.config_error,
                    )
                )
                continue
            if s.renamed_to is not None:  # the old id's last row: renamed, nothing graded
                history.revisions.append(
                    Revision(
                        s.commit, s.day, s.when, s.subject, s.status, None, renamed_to=s.renamed_to
                    )
                )
                # a later account with this id starts anew
                previous = loaded = loaded_from = graded_from = gone = None
                continue
            result = None
            built = None
            if s.keys is not None and s.config is not None:
                folder = s.folder or acct
                state_key = (s.config_key, folder, tuple(sorted(s.keys.items())))
                built = cache.accounts.get(state_key)
                if built is None:
                    files = {name: texts[k] for name, k in s.keys.items()}
                    built = cache.accounts[state_key] = build_from_files(
                        folder, files, prefix, s.config, cache.parse, cache.validated
                    )
                result = cache.results.get((state_key, s.when))
                if result is None:
                    result = cache.results[(state_key, s.when)] = analyse(built, s.config, s.when)
            rev = Revision(s.commit, s.day, s.when, s.subject, s.status, result)
            rev.settings_changed = s.settings
            if s.settings and _settings_did_nothing(acct, graded_from, rev):
                # kam.yaml changed nothing of the account: no row (and no comparison to
                # make for it), and the next revision is compared with the last one shown
                # (what time did shows there). Its files are loaded and unchanged: it
                # neither was removed nor comes back here.
                gone = None
                continue
            if unread_start and result is not None:
                rev.status, rev.start_unread = "start", True
            elif s.removed_in is not None and result is not None:  # removed before the start
                rev.status, rev.removed_in = "restored", s.removed_in
            elif s.status == "added" and gone is not None and result is not None:
                rev.status, rev.removed_in = "restored", (gone[0], gone[1])
                if gone[2] is not None:
                    rev.diff = compare(
                        s.folder or acct, gone[2], result, include_personal=False, today=rev.today
                    )
            elif s.status != "start" and (previous is not None or result is not None):
                rev.diff = _compare_step(
                    s.folder or acct, previous, result, loaded, abbrev, rev.today
                )
                if previous is not None and not previous.valid and loaded is not None:
                    # loads again: compared with the last revision that loaded, and its
                    # change split against that one too (weeks of contacts aging were
                    # put down to the fix: "score 58 → 50" with no "-5 by time passing")
                    _split_change(rev, loaded[1], loaded_from, grade)
                else:
                    _split_change(rev, previous, graded_from, grade)
            if s.status == "removed":
                gone = (s.commit, s.day, loaded[1] if loaded is not None else previous)
            elif result is not None:
                gone = None
            history.revisions.append(rev)
            unread_start = False
            previous = result
            graded_from = None
            if built is not None and s.config is not None:
                graded_from = (built, s.config, s.when)
            if result is None:
                loaded = loaded_from = None  # removed: a later folder of that name starts anew
            elif result.valid:
                loaded, loaded_from = (s.commit, result), graded_from
        for rev in history.revisions:
            rev.abbrev = abbrev
        if not keep_people:  # what the reports read of each revision: its grade row
            for r in cache.results.values():
                r.account.release_sources()
                r.slim("grades")
        out.append(history)
    return out


def _settings_did_nothing(
    acct: str,
    graded_from: tuple[Account, Config, dt.date] | None,
    rev: Revision,
) -> bool:
    """A kam.yaml change that did nothing to this account: its files as they were, graded
    with the old kam.yaml as of this revision's date, have the revision's grade (tier,
    score, letter, whether it loads) and findings. As of this date, not the previous
    revision's: what time did since then (contacts gone stale) is no change of kam.yaml."""
    now = rev.result
    if graded_from is None or now is None:
        return False
    account, config, _when = graded_from
    then = analyse(account, config, rev.today)
    if then.valid != now.valid:
        return False
    d = compare(acct, then, now, include_personal=False, today=rev.today)
    if d.new_findings or d.resolved_findings:
        return False
    before, after = then.grade, now.grade
    if before is None or after is None:
        return before is after
    return (before.tier, before.score, before.letter) == (after.tier, after.score, after.letter)


def _split_change(
    rev: Revision,
    previous: AccountResult | None,
    graded_from: tuple[Account, Config, dt.date] | None,
    grade: Callable[[Account, dt.date, Config], Grade],
) -> None:
    """Split the score's change from the previous revision into what the commit did and
    what time did: the previous revision's models (already loaded) graded as of this
    revision's date, a grade only (no rules), once a revision. With ``--today`` both
    are graded as of the same day and time did nothing."""
    now = rev.result.grade if rev.result is not None else None
    before = previous.grade if previous is not None else None
    if now is None or before is None or graded_from is None:
        return
    account, config, when = graded_from
    aged = before.score if when == rev.today else grade(account, rev.today, config).score
    rev.score_by_commit = now.score - aged
    rev.score_by_time = aged - before.score


def _compare_step(
    acct: str,
    previous: AccountResult | None,
    result: AccountResult | None,
    loaded: tuple[str, AccountResult] | None,
    abbrev: int = 7,
    today: dt.date | None = None,
) -> AccountDiff:
    """A revision compared with the one before it; one that loads again after revisions
    that did not is compared with the last one that loaded (its findings then are not all
    "new"), and still says that it loads again."""
    if (
        previous is not None
        and not previous.valid
        and result is not None
        and result.valid
        and loaded is not None
    ):
        from kamtool.analyse.diff import Change

        commit, last = loaded
        d = compare(acct, last, result, include_personal=False, today=today)
        text = _("the account loads again (compared with {commit}, the last revision that loaded)")
        again = Change("valid", text.format(commit=commit[:abbrev]), None, None, None, 1, "grade")
        again.detail = again.text
        d.changes.insert(0, again)
        return d
    return compare(acct, previous, result, include_personal=False, today=today)


def _default_config() -> Config:
    from kamtool.load.config import Config

    return Config()


def _people_read(result: AccountResult | None) -> bool:
    """Whether this revision's people count: the account loaded, or at least its
    stakeholders.yaml did, without an error of its own (an account that did not load
    because of targets.yaml still says who was who: its person row shows them, where it
    said "the account could not be read"). Otherwise the revision is matched across, and
    its person row says the account could not be read."""
    if result is None:
        return False
    if result.valid:
        return True
    acct = result.account
    people = acct.files.get("stakeholders")
    if people is None or "stakeholders" in acct.unread or acct.profile is None:
        return False
    return not any(f.severity == "error" and f.path == people.display for f in acct.findings)


def _person_lines(history: AccountHistory) -> list[dict[str, int]]:
    """For each revision, person id -> the number of the line of identity it belongs to:
    one person keeps one number across renames (``match_people``, the rule kam diff
    shows: same crm_id, or same name and reporting line), revisions whose people could
    not be read matched across, as kam diff compares them with the last that loaded."""
    out: list[dict[str, int]] = []
    later_id: dict[str, int] = {}  # an id seen before: the same person when they come back
    last: AccountResult | None = None
    last_lines: dict[str, int] = {}
    count = 0
    for rev in history.revisions:
        r = rev.result
        if not _people_read(r):
            out.append({})
            continue
        assert r is not None
        lines: dict[str, int] = {}
        renamed: dict[str, str] = {}
        if last is not None:
            old = {p.id: p for p in last.account.stakeholders}
            new = {p.id: p for p in r.account.stakeholders}
            renamed = {n: o for o, n in match_people(old, new).items()}
        for p in r.account.stakeholders:
            pid = str(p.id)
            was = renamed.get(pid, pid)
            if was in last_lines:
                lines[pid] = last_lines[was]
            elif pid in later_id and later_id[pid] not in lines.values():
                lines[pid] = later_id[pid]
            else:
                count += 1
                lines[pid] = count
            later_id[pid] = lines[pid]
        out.append(lines)
        last, last_lines = r, lines
    return out


def _follow_person(history: AccountHistory, wanted: str) -> str | None:
    """The person named by any id they had (old or new) or their exact name, followed over
    every revision; their id at the newest revision that has them, or None when no
    revision has such a person."""
    lines = _person_lines(history)
    line = None
    for rev, ids in zip(reversed(history.revisions), reversed(lines), strict=True):
        r = rev.result
        if r is None or not ids:
            continue
        for p in r.account.stakeholders:
            if p.id == wanted and p.id in ids:
                line = ids[str(p.id)]
                break
        if line is not None:
            break
    if line is None:  # not an id: a name, newest first
        from kamtool.load.locate import people_named

        for rev, ids in zip(reversed(history.revisions), reversed(lines), strict=True):
            r = rev.result
            match = [p for _i, p in people_named(r.account.stakeholders, wanted)] if r else []
            if len(match) > 1:  # two 张伟: which one is for the user to say, by id
                from kamtool.load.locate import namesakes

                raise namesakes(history.id, wanted, match)
            if match and str(match[0].id) in ids:
                line = ids[str(match[0].id)]
                break
    if line is None:  # in no revision that loaded: by id or name where the files have them
        return _follow_unloaded(history, wanted)
    newest: str | None = None
    seen = unread = False
    for rev, ids in zip(history.revisions, lines, strict=True):
        who = next((pid for pid, n in ids.items() if n == line), None)
        if rev.result is None:
            rev.person = None
        elif not _people_read(rev.result):  # the account could not be read there
            rev.person = PersonState(None, unread=True)
            unread = True
        elif who is None:
            rev.person = PersonState(None, gone=newest)  # not in the file
        else:
            rev.person = _person(rev.result, who)
            if rev.person is not None and rev.person.id is not None:
                rev.person.first = not seen
                rev.person.after_unread = not seen and unread
                seen, newest = True, who
    return newest


def _follow_unloaded(history: AccountHistory, wanted: str) -> str | None:
    """A person only in revisions where the account did not load: found by id or name
    (``people_named``), shown where the files have them (nothing to match renames against)."""
    from kamtool.load.locate import people_named

    pid = None
    for rev in reversed(history.revisions):
        r = rev.result
        people = r.account.stakeholders if r else []
        found = [p for p in people if p.id == wanted] or [
            p for _i, p in people_named(people, wanted)
        ]
        if len(found) > 1:
            from kamtool.load.locate import namesakes

            raise namesakes(history.id, wanted, found)
        if found:
            pid = str(found[0].id)
            break
    if pid is None:
        return None
    seen = unread = False
    for rev in history.revisions:
        rev.person = _person(rev.result, pid)
        if rev.person is not None and rev.person.id is None and not _people_read(rev.result):
            rev.person.unread = unread = True
        if rev.person is not None and rev.person.id is not None:
            rev.person.after_unread = not seen and unread
            rev.person.first, seen = not seen, True
    return pid
