"""kam diff: what changed in the relationships between two revisions, not which lines moved.

Both sides are read through git (``ls-tree`` + one ``cat-file --batch``), or from
the working tree, and graded with the same config and the same date. Accounts
whose files are byte-identical on both sides are not analysed at all.

Every field of every file is compared: the models are walked field by field (pydantic's
``model_fields``), so a field or a file kind added to the models is diffed without code of
its own; the fields a manager cares about most get sentences of their own and a direction
(▲ better for us, ▼ worse): attitudes, goals, actions, opportunities against the PBIP...
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from kamtool.core import AccountResult, analyse
from kamtool.errors import UsageError
from kamtool.findings import Finding, Subjects, identity
from kamtool.i18n import ARROW, N_, _, before_after, listed, ngettext, pgettext
from kamtool.load.accounts import (
    FILE_NAMES,
    LINKED_OUT,
    build_account,
    linked_out,
    meant_name,
    parse_document,
    read_if_present,
    unreadable_folder,
)
from kamtool.load.gitio import (
    EMPTY_TREE,
    BlobTexts,
    Files,
    GitError,
    Read,
    TreeFolder,
    abbrev_length,
    ask_together,
    folder_at,
    folder_question,
    group_accounts,
    last_removals,
    paths_at,
    paths_question,
    repo_root,
    resolve_range,
    tree_files,
    tree_question,
)
from kamtool.load.ids import shown_name
from kamtool.load.locate import no_accounts_folder
from kamtool.load.models import UNKNOWN, AttitudeValue, file_key, personal_text, scale_text

if TYPE_CHECKING:
    from kamtool.jsontypes import JsonObject
    from kamtool.load.accounts import Account
    from kamtool.load.config import Config
    from kamtool.load.locate import Workspace
    from kamtool.load.models import KamModel, Stakeholder
    from kamtool.load.yamlread import Document, YamlData

#: a field's value on one side of a change: whatever a model holds (a number, a text, a
#: date, a list, a nested model), compared and shown by its kind
FieldValue = Any  # values of every field type of every model
#: an entry of one of the files' lists (an action, a goal, a unit...): read by field name
Entry = Any  # entries of a dozen models, read by duck typing

# groups of changes inside an account, in the order they are shown
GROUPS = {
    "account": "profile",
    "stakeholders": "people",
    "org": "organisation",
    "targets": "plan",
    "log": "log",
}


@dataclass
class Change:
    """One change, as a sentence a manager understands, with what it is about."""

    kind: str  # e.g. "attitude", "goal", "action-status", "person-added", "stage"
    text: str  # the whole sentence: "Zhang Wei (CTO): attitude +1 → -1"
    person: str | None = None  # the stakeholder it is about (id on the head side)
    before: FieldValue = None
    after: FieldValue = None
    direction: int = 0  # +1 better for us, -1 worse, 0 neither
    group: str = ""  # profile, people, organisation, plan, log (or a new file kind)
    subject: str = ""  # who or what inside the group: "Zhang Wei (CTO)", "action call-cto"
    detail: str = ""  # the sentence without its subject
    field: str = ""  # where: file kind and field path, "targets.actions[call-cto].status"

    def to_dict(self) -> JsonObject:
        # a key without a value is null in JSON, never "" (README, JSON output): the
        # grade's own changes (score, tier, the account loading) have no subject and no
        # field, and a script testing ``subject is None`` must not meet an empty text
        return {
            "kind": self.kind,
            "group": self.group or None,
            "subject": self.subject or None,
            "person": self.person,
            "field": self.field or None,
            "before": _jsonable(self.before),
            "after": _jsonable(self.after),
            "direction": self.direction,
            "text": self.text,
        }


def _jsonable(value: object) -> object:
    """A value of the files as JSON; an entry (a model) with every key of its file kind,
    as the file writes it (``with``), null or empty where unset: the same keys whichever
    entry changed, for scripts that read them. ``personal`` is never written."""
    if isinstance(value, BaseModel):
        return {
            file_key(name, type(value)): _jsonable(getattr(value, name))
            for name in type(value).model_fields
            if name != "personal"
        }
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


@dataclass
class AccountDiff:
    id: str
    status: str  # added, removed, changed, renamed (``renamed_from`` -> ``id``)
    before: AccountResult | None
    after: AccountResult | None
    changes: list[Change] = field(default_factory=list)
    new_findings: list[Finding] = field(default_factory=list)
    resolved_findings: list[Finding] = field(default_factory=list)
    renamed_from: str | None = None  # the account's id on the base side, when renamed
    #: an account added that a commit before the base removed (its account.yaml): that
    #: commit, as git abbreviates it, and its date; the account is restored, not new
    removed_in: tuple[str, str, dt.date] | None = None

    @property
    def score_before(self) -> int | None:
        return _score(self.before)

    @property
    def score_after(self) -> int | None:
        return _score(self.after)

    @property
    def stopped_loading(self) -> bool:
        return (
            self.before is not None
            and self.before.valid
            and self.after is not None
            and not self.after.valid
        )

    @property
    def loads_again(self) -> bool:
        """The base side did not load and the head side does: its grade and findings are
        new information, not compared with anything (none of them is "new")."""
        return (
            self.before is not None
            and not self.before.valid
            and self.after is not None
            and self.after.valid
        )

    @property
    def worse(self) -> bool:
        """Something went the wrong way: a lower score, a change marked ▼ (an attitude down,
        a lowered goal, a dropped action on a decision maker, an opportunity that became
        unreachable...), an account that stopped loading, or a new error. An account that
        loads again is worse only by a ▼ change in the files that loaded on both sides:
        its grade and findings were not known before, so they are no regression. An
        account removed is worse too: a key account's whole folder lost in a pull request
        (by accident, or in a bad merge) must not pass ``--fail-on-worse`` unnoticed; one
        renamed (the same name under a new id) is no loss."""
        b, a = self.score_before, self.score_after
        dropped = b is not None and a is not None and a < b
        return (
            self.status == "removed"
            or dropped
            or self.stopped_loading
            or any(c.direction < 0 for c in self.changes)
            or any(f.severity == "error" for f in self.new_findings)
        )

    @property
    def better(self) -> int:
        return sum(1 for c in self.changes if c.direction > 0 and c.group != "grade")

    @property
    def worse_count(self) -> int:
        return sum(1 for c in self.changes if c.direction < 0 and c.group != "grade")


@dataclass
class DiffResult:
    base_label: str
    head_label: str
    today: dt.date
    accounts: list[AccountDiff]
    unchanged: int
    # accounts read on the head side that do not load but are not listed (the change left
    # them as broken as they were, or touched only comments): they still fail the run
    still_broken: list[str] = field(default_factory=list)
    #: the commits compared (None: the working tree, or no git revision): a label such as
    #: ``2026-07-01 (eb7331d)`` or ``main (merge base with HEAD)`` is for people
    base_commit: str | None = None
    head_commit: str | None = None
    #: the kam.yaml the accounts were followed to (``follow_moved_portfolio``), as the
    #: user would name it with --config from the working folder; None when not followed
    followed: str | None = None
    #: the kam.yaml settings (top-level keys) that differ between the two sides: both are
    #: graded with one kam.yaml (the working tree's), so a grade moved by a setting the
    #: change made shows only as a grade moved, unless the reader is told
    settings_changed: list[str] = field(default_factory=list)
    #: each setting under those keys that differs, with its value on each side
    settings: list[SettingChange] = field(default_factory=list)
    #: the kam.yaml both sides were graded with, as the user names it (None: defaults)
    graded_with: str | None = None
    #: each side whose own kam.yaml does not load (``_settings_changed``): its settings
    #: were not compared; the head side's fails the run (``config_broken``)
    config_unloaded: list[ConfigUnloaded] = field(default_factory=list)

    @property
    def config_broken(self) -> bool:
        """The head side's kam.yaml does not load: the change leaves the repository with
        settings kam cannot read, and the gate fails (exit 1) as for an account of the
        head side that does not load (SPEC 7: a gate never passes by not looking)."""
        return any(c.side == "head" for c in self.config_unloaded)

    @property
    def worse(self) -> bool:
        """An account worse, or the head side's kam.yaml broken: the change leaves the
        repository worse either way (JSON's ``worse`` said false while kam diff failed)."""
        return self.config_broken or any(a.worse for a in self.accounts)

    @property
    def not_loading(self) -> list[str]:
        """Every account of the head side that was read and does not load, sorted: SPEC 7,
        "a gate never passes by not looking", so ``kam diff`` exits 1 for each (an account
        the change did not touch is not read; ``kam check`` reads them all)."""
        broken = {d.id for d in self.accounts if d.after is not None and not d.after.valid}
        return sorted(broken | set(self.still_broken))


@dataclass(frozen=True)
class SettingChange:
    """One kam.yaml setting that differs between the two sides of a diff: its key as a
    dotted path (``rules.KAM106``, ``freshness.last_contact.focus.warn_after``; a list
    such as ``tiers`` or ``focus_tiers`` is one setting) and its value on each side as
    kam reads it, as JSON data (durations in days, defaults filled in); None: not set (a
    rule's severity not set is its default)."""

    key: str
    before: object
    after: object


def setting_changes(before: Config, after: Config) -> list[SettingChange]:
    """Every setting that differs between two configs, in kam.yaml's order of keys: a
    pull request that only changes kam.yaml says what it changed (``rules.KAM106:
    warning → off``), not only that ``rules`` did."""
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    out: list[SettingChange] = []

    def walk(key: str, a: object, b: object) -> None:
        if a == b:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for name in dict.fromkeys([*a, *b]):
                walk(f"{key}.{name}", a.get(name), b.get(name))
            return
        out.append(SettingChange(key, a, b))

    for name in type(after).model_fields:
        walk(name, old[name], new[name])
    return out


@dataclass(frozen=True)
class ConfigUnloaded:
    """A side's kam.yaml that does not load: the side ("base" or "head"), the revision as
    the user named it, the file (repository-relative) and the first error, as
    ``kam check`` words it ("kam.yaml:2:1: accounts is written twice ...")."""

    side: str
    revision: str
    path: str
    error: str


def _settings_changed(
    rs: RepoSettings,
    blobs: BlobTexts,
    base: tuple[str, str | None],
    head: tuple[str, str | None] | None,
) -> tuple[list[SettingChange], dict[str, str]]:
    """The kam.yaml settings whose values differ between the base side (commit, its
    kam.yaml repo-relative) and the head side (None: the working tree's settings), as
    kam reads them (defaults filled in: a key written out with its default value is no
    change); none when either side's kam.yaml does not load. Then, for each side whose
    kam.yaml does not load ("base", "head"), its first error: said in the output (a
    pull request that breaks kam.yaml read as "0 changed", its settings silently not
    compared), and the head side's fails the run as an account that does not load does."""
    from kamtool.load.config import Config

    def source(commit: str, config_rel: str | None) -> str | None:
        """The blob of the side's kam.yaml ("": none, the defaults; None: not there)."""
        if config_rel is None:
            return ""
        found = paths_at(rs.root, commit, [config_rel])
        return found[config_rel][1] if config_rel in found else None

    from kamtool.analyse.history import TextCache, config_at

    cache = TextCache()
    errors: dict[str, str] = {}

    def at(side: str, oid: str | None, config_rel: str | None) -> Config | None:
        if oid == "":
            return Config()
        config, error = config_at(rs.root, blobs, oid, cache, Config())
        if error is not None:
            name = config_rel or "kam.yaml"
            errors[side] = (
                name + error[len("kam.yaml") :] if error.startswith("kam.yaml") else error
            )
        return config

    base_oid = source(*base)
    head_oid = None if head is None else source(*head)
    before = at("base", base_oid, base[1])
    if head is None:
        after: Config | None = rs.settings.config
    elif head_oid == base_oid:
        # the same kam.yaml on both sides, or none on either: the same settings (and the
        # same error, if it does not load)
        if "base" in errors:
            errors["head"] = errors["base"]
        return [], errors
    else:
        after = at("head", head_oid, head[1])
    if before is None or after is None:
        return [], errors
    return setting_changes(before, after), errors


def _score(r: AccountResult | None) -> int | None:
    return r.grade.score if r is not None and r.grade is not None else None


# ---------------------------------------------------------------- where the repository is
@dataclass(frozen=True)
class RepoSettings:
    """The repository root, the settings, and the accounts folder relative to the root."""

    root: Path
    settings: Workspace
    accounts_dir: Path
    prefix: str  # the accounts folder, repo-relative POSIX ("accounts")
    config_rel: str | None  # kam.yaml, repo-relative POSIX, when it is inside the repository

    def shown(self, prefix: str) -> ShownFolder:
        """How findings and grades name the accounts of the repo-relative folder ``prefix``:
        relative to the working folder, as ``kam check`` and ``kam grade`` name the same
        files (run from a monorepo's ``sales/kam``, ``accounts/acme``, not
        ``sales/kam/accounts/acme``; from inside ``acme``, ``.``), so that a path in
        ``kam diff`` or ``kam history`` is the one in ``kam grade``."""
        folder = self.root / prefix if prefix not in ("", ".") else self.root
        here = Path(os.path.realpath(self.settings.cwd))
        try:
            inside = here.relative_to(folder.resolve()).as_posix()
        except ValueError:
            return ShownFolder(self.settings.display(folder))
        return ShownFolder(".", "" if inside == "." else inside)


@dataclass(frozen=True)
class ShownFolder:
    """An accounts folder as the user reads it (see ``RepoSettings.shown``); a plain value,
    sent to worker processes with the revisions to grade."""

    folder: str  # relative to the working folder, or absolute outside its repository
    inside: str = ""  # the working folder below the accounts folder ("acme"), if it is there

    def account(self, account_id: str) -> str:
        """The account's folder as findings name it: ``.`` for the one the user is in."""
        if self.inside:
            return posixpath.relpath(account_id, self.inside)
        return account_id if self.folder in ("", ".") else f"{self.folder}/{account_id}"

    def account_folder(self, account_id: str) -> Path:
        """The account's folder as a path that ends in its id (the id is the folder's name)
        and leads there from the working folder: ``../acme`` from inside ``acme``."""
        if self.inside:
            return Path(posixpath.relpath(".", self.inside), account_id)
        return Path(self.account(account_id))


def repo_settings(
    config_path: str | Path | None,
    today: str | dt.date | None,
    cwd: str | Path | None,
    what: str = "kam diff",
) -> RepoSettings:
    """The workspace every command starts from (``kamtool.load.locate``: kam.yaml upward
    from the working folder, the accounts folder relative to it, else ``accounts/`` at the
    repository root), plus the git side: the work tree's root as git sees it
    (``git rev-parse --show-toplevel``) and the accounts folder relative to it. So these
    commands work from any sub-folder. Problems are UsageError (one line, exit 2)."""
    from kamtool.load.locate import current_folder, workspace

    cwd_p = Path(cwd) if cwd is not None else current_folder()
    # the repository is the one kam.yaml lies in when it is named (--config): run from
    # anywhere, as kam grade --config is; else the working folder's
    ws = workspace(config_path, today, cwd_p) if config_path is not None else None
    anchor = ws.config_path.parent if ws is not None and ws.config_path is not None else cwd_p
    try:
        root = repo_root(anchor, what).resolve()
    except GitError as exc:
        raise UsageError(str(exc)) from None
    if ws is None:
        ws = workspace(config_path, today, cwd_p)
    folder = ws.accounts_dir.absolute()
    try:
        prefix = folder.resolve().relative_to(root).as_posix()
    except ValueError:
        raise UsageError(
            _("the accounts folder {folder} is not inside the git repository").format(
                folder=folder.as_posix()
            )
        ) from None
    config_rel = None
    if ws.config_path is not None:
        try:
            config_rel = ws.config_path.resolve().relative_to(root).as_posix()
        except ValueError:
            config_rel = None
    return RepoSettings(root, ws, folder, prefix, config_rel)


def kam_yaml_candidates(rs: RepoSettings, named_config: bool = False) -> list[str] | None:
    """Where a revision's kam.yaml may be, repo-relative, in the order kam looks: the file
    named with ``--config``, then ``kam.yaml`` in the working folder and each parent up to
    the root. None when the working folder (or the named file) is outside the repository:
    then today's accounts folder holds for every revision."""
    if named_config and rs.config_rel is None:
        return None
    try:
        here = rs.settings.cwd.resolve().relative_to(rs.root).as_posix()
    except ValueError:
        return None
    folders = [] if here in ("", ".") else [here]
    while folders and "/" in folders[-1]:
        folders.append(folders[-1].rsplit("/", 1)[0])
    candidates = [f"{f}/kam.yaml" for f in folders] + ["kam.yaml"]
    if named_config and rs.config_rel is not None:
        candidates.insert(0, rs.config_rel)
    return candidates


def layout_at(
    rs: RepoSettings, blobs: BlobTexts, commit: str, named_config: bool = False
) -> tuple[str, str | None]:
    """(the accounts folder, kam.yaml), repo-relative, as they were at ``commit``: found in
    that revision's tree as ``workspace`` finds them on disk (kam.yaml in the working
    folder or the nearest parent up to the root, its ``accounts:`` relative to it, else
    ``accounts`` at the root; a kam.yaml named with ``--config`` first, where it was in
    that revision). So a change that moves the accounts folder (into a monorepo's
    ``sales/kam/``, or ``accounts:`` renamed) compares each account with itself rather
    than listing every account as removed and added. A kam.yaml named outside the
    repository, one of that revision that does not load, or whose folder leaves the
    repository, says nothing about the folder: today's is used. A symbolic link on the way
    to the folder, committed in git (``accounts -> data/accounts``), is followed in that
    revision's tree (``gitio.folder_at``), as the file system follows it on disk."""
    folder, config_rel = tree_layout(rs, blobs, commit, named_config)
    return (folder if isinstance(folder, str) else folder.path), config_rel


def tree_layout(
    rs: RepoSettings, blobs: BlobTexts, commit: str, named_config: bool = False
) -> tuple[str | TreeFolder, str | None]:
    """``layout_at`` with the folder as found in the revision's tree (a ``TreeFolder``:
    whether it is there, and the links followed), or a plain path where today's holds."""
    folder, config_rel = _layout_folder(rs, blobs, commit, named_config)
    if folder is None:
        return rs.prefix, config_rel
    real = folder_at(rs.root, commit, folder)
    if (
        config_rel is not None
        and rs.config_rel is not None
        and folder == _written(rs.config_rel, rs.settings.config.accounts)
        and not real.exists
    ):
        # today's folder, as kam.yaml names it, not in that revision's tree: where it is
        # today (``rs.prefix`` is that folder resolved: ``accounts: current`` may be a
        # symbolic link to ``customers-2026`` that git does not hold). A revision that has
        # the folder is read where it has it: a folder since moved to ``data/accounts``
        # behind a link ``accounts`` was a plain folder then, not today's target
        return rs.prefix, config_rel
    return real, config_rel


def _layout_folder(
    rs: RepoSettings, blobs: BlobTexts, commit: str, named_config: bool = False
) -> tuple[str | None, str | None]:
    """(the folder ``tree_layout`` looks for in the revision's tree, None where today's
    holds; the revision's kam.yaml)."""
    candidates = kam_yaml_candidates(rs, named_config)
    if candidates is None:
        return None, rs.config_rel
    found = paths_at(rs.root, commit, candidates)
    config_rel = _kam_yaml_of(found, candidates)
    if config_rel is None:
        return "accounts", None
    from kamtool.analyse.history import TextCache, config_at

    default = rs.settings.config
    config, _error = config_at(rs.root, blobs, found[config_rel][1], TextCache(), default)
    if config is None:
        return None, config_rel
    folder = _written(config_rel, config.accounts)
    if folder == ".." or folder.startswith(("../", "/")):
        return None, config_rel
    return folder, config_rel


def _kam_yaml_of(found: dict[str, tuple[str, str]], candidates: list[str]) -> str | None:
    """The kam.yaml a revision is read with: the first of ``candidates`` in its tree (not a
    symbolic link)."""
    return next((c for c in candidates if c in found and found[c][0] != "120000"), None)


def _ask_layouts(rs: RepoSettings, commits: list[str], named_config: bool = False) -> None:
    """The first questions ``tree_layout`` asks git about each side, asked of both sides'
    commits together (``ask_together``): where kam.yaml is, and for a side without one,
    the ``accounts`` folder."""
    candidates = kam_yaml_candidates(rs, named_config)
    if candidates is None or len(commits) < 2:
        return
    ask_together(rs.root, [paths_question(c, candidates) for c in commits])
    ask_together(
        rs.root,
        [
            q
            for c in commits
            if _kam_yaml_of(paths_at(rs.root, c, candidates), candidates) is None
            and (q := folder_question(c, "accounts")) is not None
        ],
    )


def _ask_listings(root: Path, sides: list[tuple[str, str]]) -> None:
    """The listings of the accounts folders of both sides ((commit, folder)), asked
    together (``ask_together``)."""
    ask_together(root, [tree_question(c, prefix) for c, prefix in sides])


def follow_moved_portfolio(
    rs: RepoSettings,
    base_c: str,
    head_c: str | None,
    today: str | dt.date | None,
    cwd: str | Path | None,
) -> RepoSettings | None:
    """The settings of the kam.yaml the accounts moved to, when they moved out of reach.

    kam looks for kam.yaml upward from the working folder, never down into sub-folders
    (SPEC 1): from a monorepo's root, after the accounts folder and its kam.yaml moved
    into ``sales/kam/`` (or kam.yaml's ``accounts:`` there was renamed), kam finds no
    kam.yaml and reads ``accounts/`` at the root, where the base revision had every
    account and the head side has none: every account read "removed". Here, when no
    kam.yaml was found or named, the base side had accounts where kam reads them, and the
    head side has none there, the head side's kam.yaml files (in its tree; for the
    working tree, the files git knows or would add) are tried: the one whose accounts
    folder holds the most of the base side's accounts (by folder name; none shared, none
    followed; a tie, none followed) is read as if named with ``--config``, so each
    account is compared with itself, as from that kam.yaml's folder. It must exist in
    the working tree (``--config`` reads it there); None when nothing is followed."""
    from kamtool.errors import KamError
    from kamtool.load.gitio import git
    from kamtool.load.locate import CONFIG_NAME, account_ids

    blobs = BlobTexts(rs.root, rs.settings.config.max_file_size)
    base_prefix, _config = layout_at(rs, blobs, base_c)
    if head_c is not None:  # both folders listed at once (the diff reads both anyway)
        _ask_listings(rs.root, [(base_c, base_prefix), (head_c, layout_at(rs, blobs, head_c)[0])])
    base_ids = set(moved_accounts(_tree_accounts(blobs, base_c, base_prefix), base_prefix, rs))
    if not base_ids:
        return None
    if head_c is None:
        if holds_accounts(rs.accounts_dir):
            return None
        listing = git(rs.root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    else:
        head_prefix = layout_at(rs, blobs, head_c)[0]
        if moved_accounts(_tree_accounts(blobs, head_c, head_prefix), head_prefix, rs):
            return None
        listing = git(rs.root, "ls-tree", "-r", "-z", "--name-only", "--full-tree", head_c)
    names = {
        p.decode("utf-8", "surrogateescape") for p in listing.split(b"\0") if p
    }  # the working tree lists a file both staged and changed once
    found = sorted(n for n in names if posixpath.basename(n) == CONFIG_NAME)
    scored: list[tuple[int, RepoSettings]] = []
    for rel in found:
        path = rs.root / rel
        if not path.is_file():
            continue
        try:
            other = repo_settings(path, today, cwd)
        except KamError:
            continue  # a kam.yaml that does not load, or names a folder outside git
        if head_c is None:
            head_ids = set(account_ids(other.accounts_dir))
        else:
            prefix = layout_at(other, blobs, head_c, named_config=True)[0]
            head_ids = set(_tree_accounts(blobs, head_c, prefix))
        shared = len(base_ids & head_ids)
        if shared:
            scored.append((shared, other))
    scored.sort(key=lambda s: -s[0])
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1]


def holds_accounts(folder: Path) -> bool:
    """Whether the working tree's ``folder`` holds an account folder: the folder the
    accounts moved out of may stay behind, empty (git does not track folders) or holding
    an editor's leftovers, and holds nothing kam reads."""
    from kamtool.load.accounts import is_account_folder
    from kamtool.load.locate import account_ids

    return any(is_account_folder(folder / name) for name in account_ids(folder))


def follow_moved_history(
    rs: RepoSettings, until_c: str, today: str | dt.date | None, cwd: str | Path | None
) -> RepoSettings | None:
    """``follow_moved_portfolio`` for ``kam history``, whose head side is ``until_c``:
    its base is the revision before the last commit that changed what kam reads from
    the working folder (the accounts folder there, or a kam.yaml it would find), when
    that revision had accounts there."""
    from kamtool.load.gitio import git

    paths = [rs.prefix or ".", *(kam_yaml_candidates(rs) or [])]
    last = git(
        rs.root, "log", "-1", "--first-parent", "--format=%H", until_c, "--", *paths
    ).decode()
    if not last.strip():
        return None
    parents = git(rs.root, "rev-list", "--parents", "-n", "1", last.strip()).decode().split()
    if len(parents) < 2:
        return None
    return follow_moved_portfolio(rs, parents[1], until_c, today, cwd)


def _written(config_rel: str, accounts: str) -> str:
    """The accounts folder as a kam.yaml at ``config_rel`` names it, repo-relative."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(config_rel), accounts))


# ---------------------------------------------------------------- reading both sides
def _tree_accounts(
    blobs: BlobTexts, commit: str, prefix: str
) -> dict[str, dict[str, tuple[str, str]]]:
    names = set(FILE_NAMES.values())
    return group_accounts(tree_files(blobs.root, commit, prefix), prefix, names)


def moved_accounts(
    accounts: dict[str, dict[str, tuple[str, str]]], prefix: str, rs: RepoSettings
) -> dict[str, dict[str, tuple[str, str]]]:
    """A revision's accounts in another folder than today's (``layout_at``: `accounts/` at
    the root before any kam.yaml) are only folders with a kam file in them: an unrelated
    folder of that name in a monorepo is not a portfolio of accounts that do not load."""
    if prefix == rs.prefix:
        return accounts
    return {a: files for a, files in accounts.items() if files}


def _git_side(
    blobs: BlobTexts,
    commit: str,
    prefix: str,
    accounts: dict[str, dict[str, tuple[str, str]]] | None = None,
) -> dict[str, Files]:
    if accounts is None:
        accounts = _tree_accounts(blobs, commit, prefix)
    keys = blobs.account_files(commit, prefix, accounts)
    return {
        acct: {name: blobs.read(key) for name, key in files.items()} for acct, files in keys.items()
    }


def _worktree_side(folder: Path, root: Path, max_bytes: int) -> dict[str, Files]:
    """The working tree, read by the same rules as every other command (symlinks, size, UTF-8)."""
    out: dict[str, Files] = {}
    if not folder.is_dir():
        return out
    try:
        subs = sorted(folder.iterdir())
    except OSError as exc:  # unreadable: what kam check says of the same folder
        raise unreadable_folder(folder, exc) from None
    real_root = Path(os.path.realpath(root))
    for sub in subs:
        if not sub.is_dir() or sub.name.startswith((".", "_")):
            continue
        files: Files = {}
        if sub.is_symlink() and not Path(os.path.realpath(sub)).is_relative_to(real_root):
            # an account folder linking outside the repository is not read, as kam check
            # does not read it (it read /etc/... or another checkout into the diff)
            out[shown_name(sub.name)] = {LINKED_OUT: (None, None)}  # one KAM006, as kam check
            continue
        # kam's files, and one misnamed (targets.yml), which the loader reports as the
        # git side's ``group_accounts`` keeps it; an unreadable folder: each file's read
        # says why, as kam check's loader does
        try:
            names = [p.name for p in sub.iterdir()]
        except OSError:
            names = []
        misnamed = sorted(n for n in names if meant_name(n) is not None)
        for name in [*FILE_NAMES.values(), *misnamed]:
            got = read_if_present(sub / name, root, max_bytes)
            if got is not None:
                text, error = got
                files[name] = (
                    text,
                    None if error is None else (error.message, error.line, error.column),
                )
        out[shown_name(sub.name)] = files  # as the git side knows it (``tree_path``)
    return out


def build_from_files(
    account_id: str,
    files: dict[str, Read],
    display_root: str | ShownFolder,  # the accounts folder: str, as it is shown
    config: Config,
    parse: Callable[[str], Document] | None = None,
    validated: dict[tuple[str, str], KamModel] | None = None,
) -> Account:
    """An Account from the texts of its files (as read from git), with kam's usual findings
    (``parse`` and ``validated``: see ``build_account``)."""
    from kamtool.load.yamlread import YamlError

    def read(name: str) -> tuple[str | None, YamlError | None] | None:
        if name not in files:
            return None
        text, error = files[name]
        return text, None if error is None else YamlError(*error)

    if not isinstance(display_root, ShownFolder):
        display_root = ShownFolder(display_root)
    display = display_root.account(account_id)
    if LINKED_OUT in files:
        return linked_out(display_root.account_folder(account_id), account_id, display)
    extra = {"parse": parse} if parse is not None else {}
    return build_account(
        display_root.account_folder(account_id),
        display,
        read,
        lambda: list(files),
        config,
        validated=validated,
        **extra,
    )


# ---------------------------------------------------------------- values as text
def _show(value: object) -> str:
    if value is None or value == [] or value == {}:
        return "-"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}".rstrip("0")
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return listed(_show(v) for v in value) or "-"
    if isinstance(value, BaseModel):
        return _describe(value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items())
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else text[:77] + "..."


def _describe(item: BaseModel, skip: tuple[str, ...] = ()) -> str:
    """A model in one line: its set fields, as 'field value' pairs."""
    parts = []
    for name in type(item).model_fields:
        if name in skip or name == "personal":
            continue
        value = getattr(item, name)
        if value is None or value == [] or value == {}:
            continue
        parts.append(f"{_field_label(name, value)} {_show(value)}")
    return _(", ").join(parts)


#: the fields of the YAML files as a sentence names them (a field not listed: its key)
FIELD_LABELS = {
    "pbip": N_("PBIP"),
    "crm_id": N_("CRM id"),
    "reports_to": N_("reports to"),
    "tier": N_("manual tier"),
    "tier_reason": N_("tier reason"),
    "actual": N_("actual"),
    "attitude": N_("attitude"),
    "backup": N_("backup"),
    "baseline": N_("baseline"),
    "big_play": N_("big play"),
    "buying": N_("buying"),
    "buying_center": N_("buying center"),
    "buying_roles": N_("buying roles"),
    "by": N_("by"),
    "channels": N_("channels"),
    "competitor": N_("competitor"),
    "competitors": N_("competitors"),
    "currency": N_("currency"),
    "date": N_("date"),
    "due": N_("due"),
    "expected": N_("expected"),
    "facts": N_("facts"),
    "footprint": N_("footprint"),
    "goal": N_("goal"),
    "in_post_since": N_("in post since"),
    "industry": N_("industry"),
    "influences": N_("influences"),
    "intimacy": N_("intimacy"),
    "kind": N_("kind"),
    "last_contact": N_("last contact"),
    "layer": N_("layer"),
    "level": N_("level"),
    "metric": N_("metric"),
    "name": N_("name"),
    "needed_level": N_("needed level"),
    "needs": N_("needs"),
    "next": N_("next"),
    "notes": N_("notes"),
    "offering": N_("offering"),
    "owner": N_("owner"),
    "parent": N_("parent"),
    "period": N_("period"),
    "person": N_("person"),
    "position": N_("position"),
    "procurement": N_("procurement"),
    "product_fit": N_("product fit"),
    "ready": N_("ready"),
    "revenue": N_("revenue"),
    "reviewed": N_("reviewed"),
    "roles": N_("roles"),
    "stage": N_("stage"),
    "stakeholder": N_("stakeholder"),
    "status": N_("status"),
    "strategy": N_("strategy"),
    "strengths": N_("strengths"),
    "summary": N_("summary"),
    "supplier_position": N_("supplier position"),
    "target": N_("target"),
    "team": N_("team"),
    "text": N_("text"),
    "title": N_("title"),
    "unit": N_("unit"),
    "units": N_("units"),
    "value": N_("value"),
    "value_curve": N_("value curve"),
    "weaknesses": N_("weaknesses"),
    "with_": N_("with"),
    "year": N_("year"),
}


def _field_label(name: str, value: object = None) -> str:
    if name == "sponsor":  # a person's executive sponsor, not the S role
        return pgettext("executive sponsor", "sponsor")
    if name == "by" and isinstance(value, list):  # a log entry's people, not a goal's date
        return pgettext("logged by", "by")
    if name == "goal":  # a target's figure, not a relationship goal (both 目标 in Chinese)
        return pgettext("a target's figure", "goal")
    label = FIELD_LABELS.get(name)
    return _(label) if label else name.replace("_", " ")


def _arrow(before: object, after: object) -> str:
    return before_after(_show(before), _show(after))


def _sign(before: object, after: object) -> int:
    """+1 when a number went up, -1 when down, 0 otherwise (or when either is missing)."""
    if isinstance(before, (int, float)) and isinstance(after, (int, float)):
        return (after > before) - (after < before)
    return 0


def _dir(before: AttitudeValue | None, after: AttitudeValue | None) -> int:
    """+1 when an attitude change is good for us; learning an attitude counts by its sign."""
    b = None if before == UNKNOWN or before is None else int(before)
    a = None if after == UNKNOWN or after is None else int(after)
    if a is None and b is None:
        return 0
    if b is None:
        return (a > 0) - (a < 0)  # type: ignore[operator]
    if a is None:
        return -1
    return (a > b) - (a < b)


# ---------------------------------------------------------------- walking models
# list fields whose items are matched by these fields (else by "id", else by whole value)
LIST_KEYS: dict[str, tuple[str, ...]] = {
    "value_curve": ("year",),
    "needs": ("kind", "text"),
    "competitors": ("name",),
    "team": ("person",),
    "relationship_goals": ("stakeholder",),
    "footprint": ("unit", "offering"),
    "big_play": ("kind", "text"),
}
ITEM_NAMES = {  # also the kinds of changes ("need-added"): translated only where shown
    "value_curve": N_("value curve"),
    "needs": N_("need"),
    "competitors": N_("competitor"),
    "team": N_("team member"),
    "units": N_("unit"),
    "targets": N_("target"),
    "relationship_goals": N_("goal"),
    "actions": N_("action"),
    "opportunities": N_("opportunity"),
    "footprint": N_("footprint"),
    "entries": N_("log entry"),
    "big_play": N_("big play"),
}
FOOTPRINT_RANK = {"ours": 2, "open": 1, "none": 0, "competitor": -1}


class _Context:
    """What sentences need to know: people's names and roles on both sides."""

    def __init__(self, before: Account, after: Account) -> None:
        self.sides = [(side, {p.id for p in side.stakeholders}) for side in (after, before)]
        #: list key -> ids (names, for competitors) of the entries left out of each side
        #: because they fail the schema (``Account.dropped_ids``): such an entry is not
        #: "removed" (or "added" when it loads again), it is not compared
        self.unread_before = _dropped(before)
        self.unread_after = _dropped(after)
        #: list key -> the entries left out of each side as the file holds them, for the
        #: lists whose entries have no id (the log, goals, the footprint)
        self.unread_entries_before = _dropped_entries(before)
        self.unread_entries_after = _dropped_entries(after)
        self.deciders: set[str] = set()
        for side in (before, after):
            for p in side.stakeholders:
                if "D" in p.roles:
                    self.deciders.add(p.id)

    def person(self, pid: str | None) -> str:
        """A person by name as the side that has them names them (the newer first): told
        apart from another of the same name by their id (``Account.person_name``)."""
        if not pid:
            return "-"
        for side, ids in self.sides:
            if pid in ids:
                return side.person_name(pid)
        return str(pid)


def _dropped(acct: Account) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for (_kind, key), ids in acct.dropped_ids.items():
        out.setdefault(key, set()).update(ids)
    return out


def _dropped_entries(acct: Account) -> dict[str, list[dict[str, YamlData]]]:
    out: dict[str, list[dict[str, YamlData]]] = {}
    for (_kind, key), entries in acct.dropped_entries.items():
        out.setdefault(key, []).extend(entries)
    return out


def _as_written(value: object) -> str:
    """A value of an entry, a model's or the file's own, in one comparable form."""
    import json

    return json.dumps(_jsonable(value), sort_keys=True, ensure_ascii=False, default=str)


def _unread_match(
    item: Entry, keys: tuple[str, ...] | None, unread: list[dict[str, YamlData]]
) -> bool:
    """Whether ``item``, missing on the other side, is there as one of the entries that
    side could not read (``unread``, the file's mappings): then it was not removed (or
    added), it stopped (or started) loading. An entry with key fields is the one whose
    keys the file writes alike; one without (a log entry) the one that writes most of
    its keys alike (a typo in one value leaves the rest). A match is used up, so that one
    unreadable entry accounts for one entry of the other side."""
    if not unread:
        return False
    written = _jsonable(item)
    assert isinstance(written, dict)  # an entry is a model
    best, best_same = -1, 0
    for i, raw in enumerate(unread):
        if keys:
            names = [file_key(k, type(item)) for k in keys]
            if all(_as_written(raw.get(n)) == _as_written(written.get(n)) for n in names):
                best = i
                break
            continue
        same = sum(1 for k, v in raw.items() if _as_written(v) == _as_written(written.get(k)))
        if same * 2 > len(raw) and same > best_same:
            best, best_same = i, same
    if best < 0:
        return False
    del unread[best]
    return True


def _unread_entry(label: str, loads_again: bool) -> tuple[str, str]:
    """The sentence for an entry that one side could not read, as ``_unread_changes``
    words a whole file: (detail, text)."""
    detail = (
        _("loads again: not compared with the version that did not load")
        if loads_again
        else _("does not load any more: its changes are not compared")
    )
    return detail, _("{label}: {changes}{state}").format(label=label, changes=detail, state="")


def _unread_item(
    list_name: str,
    item: Entry,
    keys: tuple[str, ...] | None,
    where: str,
    ctx: _Context,
    emit: Callable[..., None],
    *,
    loads_again: bool,
) -> None:
    """An entry one side holds and the other could not read: said once, not compared."""
    text = _unread_entry(_item_label(list_name, item, keys, ctx), loads_again)[1]
    emit("unreadable", text, None, None, where)


def _key_fields(list_name: str, model: type[BaseModel]) -> tuple[str, ...] | None:
    fields = model.model_fields
    wanted = LIST_KEYS.get(list_name)
    if wanted and all(f in fields for f in wanted):
        return wanted
    if "id" in fields:
        return ("id",)
    return None


def _keyed(items: list[Entry], keys: tuple[str, ...]) -> dict[tuple, Entry]:
    out: dict[tuple, Entry] = {}
    seen: Counter = Counter()
    for item in items:
        k = tuple(getattr(item, f) for f in keys)
        seen[k] += 1
        out[(*k, seen[k])] = item  # a repeated key: matched by occurrence
    return out


def _item_label(list_name: str, item: Entry, keys: tuple[str, ...] | None, ctx: _Context) -> str:
    known = ITEM_NAMES.get(list_name)
    noun = _(known) if known else list_name.replace("_", " ").removesuffix("s")
    if list_name == "relationship_goals":
        return _("goal for {person}").format(person=ctx.person(item.stakeholder))
    if list_name == "team":
        return _("team member {person}").format(person=item.person)
    if list_name == "entries":  # a log entry: its date, kind and people
        return _log_line(item, ctx, whole=False)
    if list_name == "footprint":
        return _("footprint {unit} × {offering}").format(
            unit=getattr(item, "unit", "?"), offering=getattr(item, "offering", "?")
        )
    if keys == ("id",):
        title = getattr(item, "name", None) or getattr(item, "text", None)
        return f"{noun} {item.id}" + (_(" ({title})").format(title=_show(title)) if title else "")
    if keys:
        return f"{noun} " + " ".join(_show(getattr(item, k)) for k in keys)
    return noun


def _list_changes(
    list_name: str,
    before: list[FieldValue],
    after: list[FieldValue],
    where: str,
    ctx: _Context,
    emit: Callable[..., None],
) -> None:
    sample = (before or after)[0] if (before or after) else None
    if not isinstance(sample, BaseModel):  # a list of plain values: what came and went
        gone = [x for x in before if x not in after]
        came = [x for x in after if x not in before]
        if not gone and not came:
            if before != after:
                emit(
                    list_name,
                    _("{field} reordered").format(field=_field_label(list_name, after)),
                    before,
                    after,
                    where,
                )
            return
        show = ctx.person if list_name in PERSON_REFERENCES else _show
        parts = [f"+ {show(x)}" for x in came] + [f"− {show(x)}" for x in gone]
        label = _field_label(list_name, after)
        emit(list_name, f"{label} {_(', ').join(parts)}", before, after, where)
        return
    keys = _key_fields(list_name, type(sample))
    # an entry the other side holds but could not read (a typo in its status, a role
    # letter, a log entry's kind): neither added nor removed, and said so once
    top = where in ("", list_name)  # a list of the file itself, not one inside an entry
    unread_before = ctx.unread_before.get(list_name, set()) if top else set()
    unread_after = ctx.unread_after.get(list_name, set()) if top else set()
    entries_before = list(ctx.unread_entries_before.get(list_name, ())) if top else []
    entries_after = list(ctx.unread_entries_after.get(list_name, ())) if top else []
    if keys is None:  # no identity: items added and removed by value (log entries)
        old = Counter(_frozen(x) for x in before)
        new = Counter(_frozen(x) for x in after)
        seen: Counter = Counter()
        # by date, as everything that reads the log orders it: a back-dated entry is
        # appended at the end of the file, and came after a later one in the review
        added_entries: list[Entry] = []
        for x in sorted(after, key=_entry_date):
            k = _frozen(x)
            seen[k] += 1
            if seen[k] > old.get(k, 0):
                added_entries.append(x)
        seen = Counter()
        removed_entries: list[Entry] = []
        for x in before:
            k = _frozen(x)
            seen[k] += 1
            if seen[k] > new.get(k, 0):
                removed_entries.append(x)
        edited = _edited_entries(removed_entries, added_entries)
        for was, now in edited:
            at = f"{where}[{_show(getattr(now, 'date', None))}]"
            _item_changed(list_name, was, now, ENTRY_IDENTITY, at, ctx, emit)
        paired = {id(x) for pair in edited for x in pair}
        for x in added_entries:
            if id(x) in paired:
                continue
            if _unread_match(x, None, entries_before):
                _unread_item(list_name, x, None, where, ctx, emit, loads_again=True)
            else:
                _added(list_name, x, None, where, ctx, emit)
        for x in removed_entries:
            if id(x) in paired:
                continue
            if _unread_match(x, None, entries_after):
                _unread_item(list_name, x, None, where, ctx, emit, loads_again=False)
            else:
                _removed(list_name, x, None, where, ctx, emit)
        return
    old_k, new_k = _keyed(before, keys), _keyed(after, keys)
    # the added entries, then the removed ones; each found unread on the other side is
    # "loads again" (after) or "does not load any more" (before)
    for side, other, unread, entries, again, report in (
        (new_k, old_k, unread_before, entries_before, True, _added),
        (old_k, new_k, unread_after, entries_after, False, _removed),
    ):
        for ident, item in side.items():
            if ident in other:
                continue
            at = f"{where}[{_show(list(ident[:-1]))}]"
            if (len(keys) == 1 and str(ident[0]) in unread) or _unread_match(item, keys, entries):
                _unread_item(list_name, item, keys, at, ctx, emit, loads_again=again)
                continue
            report(list_name, item, keys, at, ctx, emit)
    for ident, item in new_k.items():
        if ident in old_k and old_k[ident] != item:
            _item_changed(
                list_name,
                old_k[ident],
                item,
                keys,
                f"{where}[{_show(list(ident[:-1]))}]",
                ctx,
                emit,
            )


#: what tells a log entry from another when one of its other fields (its summary, its
#: next step) was edited: the contact itself, when and how and who took part
ENTRY_IDENTITY = ("date", "with_", "by", "kind")


def _edited_entries(went: list[Entry], came: list[Entry]) -> list[tuple[Entry, Entry]]:
    """(old, new) pairs of entries without an id (log entries) that are one entry edited:
    an entry gone and one come with the same date, people and kind, each the only one of
    that identity among those gone and among those come. Its summary corrected read as a
    new entry and a removed one ("2 changes"); two entries of one day, people and kind
    edited at once stay added and removed (which became which is not known)."""
    if not went or not came or not all(hasattr(x, "with_") for x in (*went, *came)):
        return []

    def ident(x: Entry) -> tuple:
        return tuple(_frozen_value(getattr(x, f, None)) for f in ENTRY_IDENTITY)

    gone = Counter(ident(x) for x in went)
    come = Counter(ident(x) for x in came)
    olds = {ident(x): x for x in went if gone[ident(x)] == 1}
    return [(olds[ident(x)], x) for x in came if come[ident(x)] == 1 and ident(x) in olds]


def _frozen_value(value: object) -> object:
    """A field's value as a dictionary key (a list of people as a tuple)."""
    return tuple(value) if isinstance(value, list) else value


def _titled(item: Entry, keys: tuple[str, ...] | None) -> tuple[str, ...]:
    """The field ``_item_label`` shows as an entry's title (``target t1 (its text)``),
    which its list of fields then leaves out rather than repeat it."""
    if keys != ("id",):
        return ()
    for name in ("name", "text"):
        if getattr(item, name, None):
            return (name,)
    return ()


def _entry_date(item: Entry) -> dt.date:
    """A log entry's date (the order the log is read in); other items keep their order."""
    return getattr(item, "date", None) or dt.date.min


def _frozen(item: BaseModel) -> str:
    import json

    return json.dumps(_jsonable(item), sort_keys=True, ensure_ascii=False, default=str)


#: an action's status, a value of targets.yaml shown as a label (the plan translates it too)
ACTION_STATUSES = (N_("planned"), N_("doing"), N_("done"), N_("dropped"))


def _status(value: str) -> str:
    return _(value) if value in ACTION_STATUSES else value


def _open(action: Entry) -> bool:
    return getattr(action, "status", None) in ("planned", "doing")


def _added(
    list_name: str,
    item: Entry,
    keys: tuple[str, ...] | None,
    where: str,
    ctx: _Context,
    emit: Callable[..., None],
) -> None:
    label = _item_label(list_name, item, keys, ctx)
    if list_name == "relationship_goals":
        emit(
            "goal-added",
            _("new {label}: {level} by {by} (owner {owner})").format(
                label=label, level=item.target_text, by=_show(item.by), owner=item.owner
            ),
            None,
            item,
            where,
            person=item.stakeholder,
        )
        return
    if list_name == "actions":
        on = (
            _(" with {person}").format(person=ctx.person(item.stakeholder))
            if getattr(item, "stakeholder", None)
            else ""
        )
        emit(
            "action-added",
            _("new {label}{with_person}: {status}, owner {owner}, due {due}").format(
                label=label,
                with_person=on,
                status=_status(item.status),
                owner=item.owner,
                due=_show(item.due),
            ),
            None,
            item,
            where,
            person=getattr(item, "stakeholder", None),
        )
        return
    if list_name == "opportunities":
        late = _(" (ready after the PBIP)") if item.ready > item.pbip else ""
        emit(
            "opportunity-added",
            _("new {label}: PBIP {pbip}, ready {ready}{late}").format(
                label=label, pbip=_show(item.pbip), ready=_show(item.ready), late=late
            ),
            None,
            item,
            where,
        )
        return
    if list_name == "entries":
        emit("log-entry", _("new {entry}").format(entry=_log_line(item, ctx)), None, item, where)
        return
    emit(
        f"{ITEM_NAMES.get(list_name, list_name)}-added".replace(" ", "-"),
        _("new {label}: {fields}")
        .format(label=label, fields=_describe(item, (*(keys or ()), *_titled(item, keys))))
        .rstrip(": ："),
        None,
        item,
        where,
    )


def _removed(
    list_name: str,
    item: Entry,
    keys: tuple[str, ...] | None,
    where: str,
    ctx: _Context,
    emit: Callable[..., None],
) -> None:
    label = _item_label(list_name, item, keys, ctx)
    if list_name == "actions":
        on_dm = getattr(item, "stakeholder", None) in ctx.deciders and _open(item)
        emit(
            "action-removed",
            _("{label} removed while still {status}").format(
                label=label, status=_status(item.status)
            )
            + (
                _(" (with decision maker {person})").format(person=ctx.person(item.stakeholder))
                if on_dm
                else ""
            )
            if _open(item)
            else _("{label} removed ({status})").format(label=label, status=_status(item.status)),
            item,
            None,
            where,
            direction=-1 if on_dm else 0,
            person=getattr(item, "stakeholder", None),
        )
        return
    if list_name == "relationship_goals":
        emit(
            "goal-removed",
            _("{label} removed (was {level} by {by})").format(
                label=label, level=item.target_text, by=_show(item.by)
            ),
            item,
            None,
            where,
            person=item.stakeholder,
        )
        return
    if list_name == "entries":
        emit(
            "log-entry-removed",
            _("removed {entry}").format(entry=_log_line(item, ctx)),
            item,
            None,
            where,
        )
        return
    emit(
        f"{ITEM_NAMES.get(list_name, list_name)}-removed".replace(" ", "-"),
        _("{label} removed").format(label=label),
        item,
        None,
        where,
    )


def _log_line(entry: Entry, ctx: _Context, *, whole: bool = True) -> str:
    """A log entry in a sentence; ``whole=False``: its date, kind and people only."""
    who = listed(
        ctx.person(p) for p in getattr(entry, "with_", None) or getattr(entry, "with", None) or []
    )
    by = listed(getattr(entry, "by", None) or [])
    kind = getattr(entry, "kind", None)
    kind = _(kind) if kind else _("contact")
    text = _("log entry {date} {kind}").format(date=_show(getattr(entry, "date", None)), kind=kind)
    if who:
        text += _(" with {person}").format(person=who)
    if not whole:
        return text
    if by:
        text += _(" (by {people})").format(people=by)
    summary = getattr(entry, "summary", None)
    if summary:
        text += _(": {summary}").format(summary=_show(summary))
    step = getattr(entry, "next", None)
    if step:  # the agreed next step is what a reviewer looks for first
        text += _("; next step: {next}").format(next=_show(step))
    return text


def _item_changed(
    list_name: str,
    old: Entry,
    new: Entry,
    keys: tuple[str, ...],
    where: str,
    ctx: _Context,
    emit: Callable[..., None],
) -> None:
    label = _item_label(list_name, new, keys, ctx)
    handled: set[str] = set(keys)
    if list_name == "relationship_goals":
        handled |= {"attitude", "intimacy", "by"}
        moves = [_sign(old.attitude, new.attitude)]
        if old.intimacy is not None and new.intimacy is not None:
            moves.append(_sign(old.intimacy, new.intimacy))
        level_changed = old.attitude != new.attitude or old.intimacy != new.intimacy
        if level_changed:
            d = -1 if -1 in moves else (1 if 1 in moves else 0)
            verb = {1: _("raised"), -1: _("lowered"), 0: _("changed")}[d]
            parts = []
            if old.attitude != new.attitude:
                parts.append(
                    _("attitude {value}").format(
                        value=before_after(scale_text(old.attitude), scale_text(new.attitude))
                    )
                )
            if old.intimacy != new.intimacy:
                # signed as the attitude beside it (and the goal's own text) are: +2 → +1
                intimacy = [
                    "-" if v is None else scale_text(v) for v in (old.intimacy, new.intimacy)
                ]
                parts.append(_("intimacy {value}").format(value=f" {ARROW} ".join(intimacy)))
            by = _("by {date}").format(
                date=_show(new.by) if old.by == new.by else _arrow(old.by, new.by)
            )
            emit(
                "goal",
                _("{label} {verb}: {changes} {by}").format(
                    label=label, verb=verb, changes=_(", ").join(parts), by=by
                ),
                old,
                new,
                where,
                direction=d,
                person=new.stakeholder,
            )
        elif old.by != new.by:
            verb = _("postponed") if new.by > old.by else _("brought forward")
            emit(
                "goal-date",
                _("{label} {verb}: {level} by {by}").format(
                    label=label, verb=verb, level=new.target_text, by=_arrow(old.by, new.by)
                ),
                old.by,
                new.by,
                where + ".by",
                person=new.stakeholder,
            )
    elif list_name == "actions":
        handled.add("status")
        if old.status != new.status:
            on_dm = new.stakeholder in ctx.deciders if new.stakeholder else False
            d = 1 if new.status == "done" else (-1 if new.status == "dropped" and on_dm else 0)
            word = _status(new.status)
            with_dm = (
                _(" (with decision maker {person})").format(person=ctx.person(new.stakeholder))
                if on_dm and d < 0
                else ""
            )
            emit(
                "action-status",
                _("{label} {verb}{with_dm}: {change}").format(
                    label=label,
                    verb=word,
                    with_dm=with_dm,
                    change=before_after(_status(old.status), _status(new.status)),
                ),
                old.status,
                new.status,
                where + ".status",
                direction=d,
                person=new.stakeholder,
            )
    elif list_name == "opportunities":
        handled |= {"ready", "pbip"}
        if old.ready != new.ready or old.pbip != new.pbip:
            was_ok, is_ok = old.ready <= old.pbip, new.ready <= new.pbip
            d = 0 if was_ok == is_ok else (1 if is_ok else -1)
            parts = []
            if old.ready != new.ready:
                parts.append(_("ready {date}").format(date=_arrow(old.ready, new.ready)))
            if old.pbip != new.pbip:
                parts.append(f"PBIP {_arrow(old.pbip, new.pbip)}")
            state = {
                -1: _(", now after the PBIP {date}: unreachable").format(date=_show(new.pbip)),
                1: _(", now in time for the PBIP {date}").format(date=_show(new.pbip)),
                0: "" if is_ok else _(" (still after the PBIP)"),
            }[d]
            emit(
                "opportunity",
                _("{label}: {changes}{state}").format(
                    label=label, changes=_(", ").join(parts), state=state
                ),
                old,
                new,
                where,
                direction=d,
            )
    elif list_name == "footprint" and "status" in type(new).model_fields:
        handled.add("status")
        if old.status != new.status:
            d = _sign(FOOTPRINT_RANK.get(old.status, 0), FOOTPRINT_RANK.get(new.status, 0))
            emit(
                "footprint",
                _("{label}: {changes}{state}").format(
                    label=label, changes=_arrow(old.status, new.status), state=""
                ),
                old.status,
                new.status,
                where + ".status",
                direction=d,
            )
    prefix = _("{label}: {changes}{state}").format(label=label, changes="", state="")
    _model_changes(old, new, where, ctx, emit, prefix=prefix, skip=handled)


# fields whose rising number is good for us (the rest are neutral)
RISING_IS_BETTER = {"position", "value", "revenue", "level", "actual"}


def _model_changes(
    old: Entry,
    new: Entry,
    where: str,
    ctx: _Context,
    emit: Callable[..., None],
    prefix: str = "",
    skip: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Every field of a model, in declaration order: nested models and lists are walked."""
    model = type(new if new is not None else old)
    for name in model.model_fields:
        if name in skip:
            continue
        b = getattr(old, name, None) if old is not None else None
        a = getattr(new, name, None) if new is not None else None
        if b == a:
            continue
        path = f"{where}.{name}" if where else name
        if isinstance(a, BaseModel) or isinstance(b, BaseModel):
            sub = f"{prefix}{_field_label(name)} "
            _model_changes(b, a, path, ctx, emit, prefix=sub)
            continue
        if isinstance(a, list) or isinstance(b, list):

            def nested(kind: str, text: str, *rest: FieldValue, **kw: FieldValue) -> None:
                emit(kind, prefix + text, *rest, **kw)

            _list_changes(name, b or [], a or [], path, ctx, nested)
            continue
        d = _sign(b, a) if name in RISING_IS_BETTER else 0
        if name in PERSON_REFERENCES:  # a manager by name: an imported id is crm-0035g00000b
            shown = before_after(ctx.person(_text(b)), ctx.person(_text(a)))
        else:
            shown = _arrow(b, a)
        emit(name, f"{prefix}{_field_label(name)} {shown}", b, a, path, direction=d)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


# ---------------------------------------------------------------- people
def _label(p: Stakeholder) -> str:
    return _("{name} ({title})").format(name=p.name, title=p.title) if p.title else p.name


def match_people(old: dict[str, Stakeholder], new: dict[str, Stakeholder]) -> dict[str, str]:
    """Renamed people, old id -> new id: an id gone and one come that are the same person
    (the same ``crm_id``, or the same name and the same reporting line). Two people who
    both carry a ``crm_id`` and whose ids differ are two people, whatever their names: a
    namesake under the same manager is not a rename."""
    removed = [i for i in old if i not in new]
    added = [i for i in new if i not in old]
    renamed: dict[str, str] = {}

    def boss(pid: str | None) -> str | None:
        return renamed.get(pid, pid) if pid else None

    progress = True
    while progress and removed and added:
        progress = False
        for rid in list(removed):
            p = old[rid]
            crm = getattr(p, "crm_id", None)
            match = None
            if crm:
                match = next((a for a in added if getattr(new[a], "crm_id", None) == crm), None)
            if match is None:
                same = [
                    a
                    for a in added
                    if new[a].name == p.name
                    and new[a].reports_to == boss(p.reports_to)
                    and not (crm and getattr(new[a], "crm_id", None) not in (None, crm))
                ]
                match = same[0] if len(same) == 1 else None
            if match is not None:
                renamed[rid] = match
                removed.remove(rid)
                added.remove(match)
                progress = True
    return renamed


PERSON_SPECIAL = {
    "id",
    "name",
    "title",
    "attitude",
    "intimacy",
    "roles",
    "owner",
    "backup",
    "sponsor",
    "competitor",
    "left_on",
    "personal",
}


def _is_loss(p: Stakeholder) -> bool:
    """Whether losing this person (they left, or were taken out of the file) is worse for
    us: a decision maker, and as much our coach or a strong supporter (attitude +2 or
    more), the champion whose departure a director must see first (DOMAIN 4)."""
    return "D" in p.roles or "C" in p.roles or p.attitude_at_least(2)


def _loss_note(p: Stakeholder) -> str:
    """Why a departure is ▼: ``: a decision maker (attitude +2)``, ``: our coach`` or
    ``: a supporter (attitude +2)``. The heading shows the person's title, not their
    role, so a decision maker's departure said nothing of why it mattered."""
    if "D" in p.roles:
        return _(": a decision maker (attitude {value})").format(value=scale_text(p.attitude))
    if "C" in p.roles:
        return _(": our coach (attitude {value})").format(value=scale_text(p.attitude))
    if p.attitude_at_least(2):
        return _(": a supporter (attitude {value})").format(value=scale_text(p.attitude))
    return ""


def _first_of_each_id(
    people: Iterable[Stakeholder],
) -> tuple[dict[str, Stakeholder], list[Stakeholder]]:
    """Each id's first entry, and the entries that repeat an id before them."""
    first: dict[str, Stakeholder] = {}
    repeats: list[Stakeholder] = []
    for p in people:
        if p.id in first:
            repeats.append(p)
        else:
            first[p.id] = p
    return first, repeats


def _unmatched_repeats(mine: list[Stakeholder], theirs: list[Stakeholder]) -> list[Stakeholder]:
    """The repeated entries of one side that the other side has no equal of (each of the
    other side's entries stands for one)."""
    left = list(theirs)
    out = []
    for p in mine:
        if p in left:
            left.remove(p)
        else:
            out.append(p)
    return out


def _people_changes(
    before: Account,
    after: Account,
    ctx: _Context,
    include_personal: bool,
    today: dt.date | None = None,
) -> tuple[list[Change], dict[str, str]]:
    # a person whose entry one side could not read (``attitude: 5``, a role letter X) is
    # not removed, nor added when the entry loads again: one line says it is not compared
    # (an id also read on that side, from a second entry, is that entry's)
    unread_after = ctx.unread_after.get("stakeholders", set())
    if unread_after:
        unread_after = unread_after - {p.id for p in after.stakeholders}
    unread_before = ctx.unread_before.get("stakeholders", set())
    if unread_before:
        unread_before = unread_before - {p.id for p in before.stakeholders}
    old, extra_old = _first_of_each_id(p for p in before.stakeholders if p.id not in unread_after)
    new, extra_new = _first_of_each_id(p for p in after.stakeholders if p.id not in unread_before)
    # an id written twice (KAM004) is two entries: the first is the person, compared with
    # the other side's first; a repeat is matched only with an equal repeat of the other
    # side, else it is an entry added (or removed): a person pasted twice was told as the
    # first entry renamed, retitled and warmed up into the second
    repeats_added = _unmatched_repeats(extra_new, extra_old)
    repeats_removed = _unmatched_repeats(extra_old, extra_new)
    renamed = match_people(old, new)
    old = {pid: renamed_refs(p, renamed) for pid, p in old.items()}
    out: list[Change] = []
    subject = ""
    person: str | None = None

    def emit(
        kind: str,
        detail: str,
        b: FieldValue = None,
        a: FieldValue = None,
        where: str = "",
        direction: int = 0,
        person_id: str | None = None,
        **_options: object,
    ) -> None:
        out.append(
            Change(
                kind,
                _("{label}: {changes}{state}").format(label=subject, changes=detail, state=""),
                person_id or person,
                b,
                a,
                direction,
                GROUPS["stakeholders"],
                subject,
                detail,
                where,
            )
        )

    for side, loads_again in (
        ((before, False), (after, True)) if unread_before or unread_after else ()
    ):
        for p in side.stakeholders:
            if p.id in (unread_before if loads_again else unread_after):
                subject, person = _label(p), p.id
                emit(
                    "unreadable",
                    _unread_entry(subject, loads_again)[0],
                    where=f"stakeholders[{p.id}]",
                )
    added = [p for pid, p in new.items() if pid not in old and pid not in renamed.values()]
    for p in [*added, *repeats_added]:
        pid = p.id
        subject, person = _label(p), pid
        what = _("new decision maker") if "D" in p.roles else _("new stakeholder")
        roles = "".join(p.roles)
        att = (
            _("attitude unknown")
            if p.attitude == UNKNOWN
            else _("attitude {value}").format(value=scale_text(p.attitude))
        )
        backs = _(", backs {competitor}").format(competitor=p.competitor) if p.competitor else ""
        hostile = "D" in p.roles and (p.attitude == UNKNOWN or int(p.attitude) < 0)
        # a person recorded with their departure (a former decision maker kept for the
        # history) is said to have left, and is not a worse change: they count for nothing;
        # one whose departure is announced (left_on after today) counts until then, so a
        # hostile newcomer stays worse, and the line says when they leave
        gone = p.left_on is not None and (today is None or p.left_on <= today)
        left = (
            _(", left on {date}").format(date=_show(p.left_on))
            if gone
            else _(", leaves on {date}").format(date=_show(p.left_on))
            if p.left_on is not None
            else ""
        )
        emit(
            "person-added",
            f"{what}{f' [{roles}]' if roles and 'D' not in p.roles else ''}{_(', ')}{att}"
            f"{backs}{left}",
            None,
            p.id,
            f"stakeholders[{pid}]",
            -1 if (hostile or p.competitor) and not gone else 0,
        )
    removed = [p for pid, p in old.items() if pid not in new and pid not in renamed]
    for p in [*removed, *repeats_removed]:
        pid = p.id
        subject, person = _label(p), pid
        emit(
            "person-removed",
            _("removed") + _loss_note(p),
            p.id,
            None,
            f"stakeholders[{pid}]",
            -1 if _is_loss(p) else 0,
        )
    for pid, b in new.items():
        oid = next((o for o, n in renamed.items() if n == pid), pid)
        a = old.get(oid)
        if a is None or (a == b and oid == pid):
            continue
        subject, person = _label(b), pid
        where = f"stakeholders[{pid}]"
        if oid != pid:
            emit("person-renamed", f"id {before_after(oid, pid)}", oid, pid, where + ".id")
        if a.left_on != b.left_on:
            if a.left_on is None:
                emit(
                    "person-left",
                    _("left on {date}").format(date=_show(b.left_on)) + _loss_note(a),
                    None,
                    b.left_on,
                    where + ".left_on",
                    -1 if _is_loss(a) else 0,
                )
            elif b.left_on is None:
                emit(
                    "person-returned",
                    _("back in post (left on {date} removed)").format(date=_show(a.left_on)),
                    a.left_on,
                    None,
                    where + ".left_on",
                )
            else:
                emit(
                    "left_on",
                    _("left on {date}").format(date=_arrow(a.left_on, b.left_on)),
                    a.left_on,
                    b.left_on,
                    where + ".left_on",
                )
        if a.name != b.name:
            name = f"{_field_label('name')} {before_after(a.name, b.name)}"
            emit("name", name, a.name, b.name, where + ".name")
        if a.title != b.title:
            title = f"{_field_label('title')} {_arrow(a.title, b.title)}"
            emit("title", title, a.title, b.title, where + ".title")
        for fld in ("attitude", "intimacy"):
            x, y = getattr(a, fld), getattr(b, fld)
            if x != y:
                emit(
                    fld,
                    f"{_field_label(fld)} {before_after(scale_text(x), scale_text(y))}",
                    x,
                    y,
                    f"{where}.{fld}",
                    _dir(x, y),
                )
        if a.roles != b.roles:
            emit(
                "roles",
                f"{_field_label('roles')} {before_after(''.join(a.roles) or '-', ''.join(b.roles) or '-')}",
                a.roles,
                b.roles,
                where + ".roles",
            )
        for fld in ("owner", "backup", "sponsor", "competitor"):
            x, y = getattr(a, fld), getattr(b, fld)
            if x != y:
                d = -1 if x and not y else (1 if y and not x else 0)
                if fld == "competitor":
                    d = -d
                label = _("backs competitor") if fld == "competitor" else _field_label(fld)
                emit(fld, f"{label} {_arrow(x, y)}", x, y, f"{where}.{fld}", d)
        if a.personal != b.personal:
            if include_personal:
                emit(
                    "personal",
                    _("personal {change}").format(
                        change=_arrow(
                            personal_text(a.personal) or None, personal_text(b.personal) or None
                        )
                    ),
                    a.personal,
                    b.personal,
                    where + ".personal",
                )
            else:
                changed = _("personal details changed")
                emit("personal", changed, None, None, where + ".personal")

        def rest(kind: str, detail: str, *args: FieldValue, **kw: FieldValue) -> None:
            emit(kind, detail, *args, **kw)

        _model_changes(a, b, where, ctx, rest, skip=PERSON_SPECIAL)
    return out, renamed


# ---------------------------------------------------------------- renamed accounts
def account_name(files: Mapping[str, Read] | None) -> str | None:
    """The ``name`` in an account's account.yaml (stripped), or None when there is no such
    file, it does not parse, or it has no name: what ``match_accounts`` compares."""
    from kamtool.load.yamlread import YamlError

    got = (files or {}).get(FILE_NAMES["account"])
    text = got[0] if got is not None else None
    if text is None:
        return None
    try:
        data = parse_document(text).data
    except YamlError:
        return None
    name = data.get("name") if isinstance(data, dict) else None
    return name.strip() or None if isinstance(name, str) else None


#: the share of two accounts' people (by id and name) that must be the same for a
#: folder renamed together with its profile name to count as one account renamed
SAME_PEOPLE = 0.8

#: an account's people as the second key of ``match_accounts``: (id, name) pairs
People = frozenset[tuple[str, str]]


def match_accounts(
    before: Mapping[str, str | None],
    after: Mapping[str, str | None],
    people_before: Callable[[str], People] | None = None,
    people_after: Callable[[str], People] | None = None,
) -> dict[str, str]:
    """Renamed accounts, old id -> new id, from every account's profile name on each side
    (``account_name``): an id gone and an id come in the same comparison are one account
    renamed when their names are equal (exactly, after stripping) and no other account on
    either side has that name. The profile has no ``crm_id`` (people have one, and
    ``match_people`` prefers it); a name carried by two accounts decides nothing.

    When the name changed too (a folder, its id and its name changed in one commit: a
    customer taken over and renamed), the people decide, given ``people_before`` and
    ``people_after`` (``account_people``, asked only for the ids gone and come that the
    names left unmatched): a gone and a come account are one when at least
    ``SAME_PEOPLE`` of their people are the same (by id and name, two at the least), each
    is the other's only best match, and no other account on either side is as alike (the
    same people in several accounts, copied from a template, decide nothing). The one rule of ``kam diff``, ``kam history`` and
    ``kam portfolio --since``."""
    removed = [i for i in before if i not in after]
    added = [i for i in after if i not in before]
    if not removed or not added:
        return {}
    count_before = Counter(n for n in before.values() if n)
    count_after = Counter(n for n in after.values() if n)

    def unique(name: str | None) -> bool:
        return name is not None and count_before[name] == 1 and count_after[name] == 1

    come = {after[a]: a for a in added if unique(after[a])}
    matched = {r: come[n] for r in removed if unique(n := before[r]) and n in come}
    if people_before is None or people_after is None:
        return matched
    gone = [r for r in removed if r not in matched]
    taken = set(matched.values())
    new = [a for a in added if a not in taken]
    if not gone or not new:
        return matched
    pairs = _match_by_people({r: people_before(r) for r in gone}, {a: people_after(a) for a in new})
    if pairs:
        # people copied from one template into several accounts say nothing of which is
        # which: a pair counts only when no third account, on either side, is as alike
        others = [(people_before, i) for i in before if i not in after] + [
            (people_after, i) for i in after
        ]
        for old, new_id in pairs.items():
            mine = people_before(old)
            if not any(
                i not in (old, new_id) and _likeness(mine, of(i)) >= SAME_PEOPLE for of, i in others
            ):
                matched[old] = new_id
    return matched


def _likeness(a: People, b: People) -> float:
    """The share of two accounts' people that are the same (0 below two in common)."""
    common = len(a & b)
    return common / len(a | b) if common >= 2 else 0.0


def _match_by_people(gone: Mapping[str, People], come: Mapping[str, People]) -> dict[str, str]:
    """Pairs of a gone and a come account with mostly the same people (``match_accounts``):
    each the other's single best, at least ``SAME_PEOPLE`` of their people in common."""

    scores = {(g, c): _likeness(gone[g], come[c]) for g in gone for c in come}

    def best(of: str, pairs: list[tuple[str, str]]) -> tuple[str, str] | None:
        ranked = sorted(pairs, key=lambda p: scores[p], reverse=True)
        if not ranked or scores[ranked[0]] < SAME_PEOPLE:
            return None
        if len(ranked) > 1 and scores[ranked[1]] == scores[ranked[0]]:
            return None  # two equally good: nothing decides
        return ranked[0]

    out = {}
    for g in gone:
        pick = best(g, [(g, c) for c in come])
        if pick is not None and best(pick[1], [(x, pick[1]) for x in gone]) == pick:
            out[g] = pick[1]
    return out


def account_people(files: Mapping[str, Read] | None) -> People:
    """Each person's (id, name) in an account's stakeholders.yaml (names stripped), what
    ``match_accounts`` compares when the profile name changed too; empty when there is no
    such file or it does not parse."""
    from kamtool.load.yamlread import YamlError

    got = (files or {}).get(FILE_NAMES["stakeholders"])
    text = got[0] if got is not None else None
    if text is None:
        return frozenset()
    try:
        data = parse_document(text).data
    except YamlError:
        return frozenset()
    people = data.get("stakeholders") if isinstance(data, dict) else None
    return people_pairs(people if isinstance(people, list) else [])


def people_pairs(people: Iterable[object]) -> People:
    """(id, stripped name) of each entry that has both as text: from parsed YAML or from
    loaded ``Stakeholder`` models alike."""
    out = set()
    for p in people:
        if isinstance(p, dict):
            pid, name = p.get("id"), p.get("name")
        else:
            pid, name = getattr(p, "id", None), getattr(p, "name", None)
        if isinstance(pid, str) and isinstance(name, str) and name.strip():
            out.add((pid, name.strip()))
    return frozenset(out)


# fields that name a stakeholder by id: a renamed person's old id there reads as the new one
REFERENCE_FIELDS = {"stakeholder", "reports_to", "influences", "with", "with_"}
#: the fields that name people of the account, shown by name in a change (as the log's
#: "with" is): "reports to crm-c0004 → crm-c0008" told a reviewer nothing
PERSON_REFERENCES = frozenset({"stakeholder", "reports_to", "influences"})


def renamed_refs(value: FieldValue, renamed: dict[str, str]) -> FieldValue:
    """A copy of a model (or list of them) whose references to renamed people use the new ids."""
    if not renamed:
        return value
    if isinstance(value, list):
        return [renamed_refs(v, renamed) for v in value]
    if not isinstance(value, BaseModel):
        return value
    update: dict[str, FieldValue] = {}
    for name in type(value).model_fields:
        v = getattr(value, name)
        if name in REFERENCE_FIELDS:
            if isinstance(v, str) and v in renamed:
                update[name] = renamed[v]
            elif isinstance(v, list) and any(x in renamed for x in v if isinstance(x, str)):
                update[name] = [renamed.get(x, x) if isinstance(x, str) else x for x in v]
        elif isinstance(v, (BaseModel, list)):
            new = renamed_refs(v, renamed)
            if new != v:
                update[name] = new
    return value.model_copy(update=update) if update else value


# ---------------------------------------------------------------- other files
def _file_models(acct: Account) -> dict[str, FieldValue]:
    """Each file kind's model on an Account (``FILE_NAMES`` order); people are separate."""
    out = {}
    for kind in FILE_NAMES:
        if kind == "stakeholders":
            continue
        out[kind] = acct.file_model(kind)
    return out


def _unread_changes(before: Account, after: Account) -> list[Change]:
    """A file that does not load on one side: one line saying so, instead of comparing its
    empty model with the other side's (every person "removed", then "added" again)."""
    out = []
    for kind, name in FILE_NAMES.items():
        if kind in after.unread and kind not in before.unread:
            detail = _("does not load any more: its changes are not compared")
        elif kind in before.unread and kind not in after.unread:
            detail = _("loads again: not compared with the version that did not load")
        else:
            continue
        text = _("{label}: {changes}{state}").format(label=name, changes=detail, state="")
        group = GROUPS.get(kind, kind)
        out.append(Change("unreadable", text, None, None, None, 0, group, name, detail, kind))
    return out


def _file_changes(
    before: Account,
    after: Account,
    ctx: _Context,
    renamed: dict[str, str],
    unread: frozenset[str] = frozenset(),
) -> list[Change]:
    out: list[Change] = []
    old_models = {k: renamed_refs(v, renamed) for k, v in _file_models(before).items()}
    new_models = _file_models(after)
    for kind in old_models:
        if kind in unread:
            continue
        b, a = old_models[kind], new_models.get(kind)
        if b == a:
            continue
        group = GROUPS.get(kind, kind)

        def emit(
            what: str,
            text: str,
            x: FieldValue = None,
            y: FieldValue = None,
            where: str = "",
            direction: int = 0,
            person: str | None = None,
            group: str = group,
            kind: str = kind,
            **_options: object,
        ) -> None:
            out.append(
                Change(what, text, person, x, y, direction, group, "", text, f"{kind}.{where}")
            )

        if isinstance(a, list) or isinstance(b, list):  # a file kind held as a plain list
            _list_changes(kind, b or [], a or [], "", ctx, emit)
            continue
        # a file added or removed whole: its entries, units, targets... are the changes
        # (a new log.yaml of two entries is two changes, as two entries added to one
        # that was there); "targets.yaml added" says it when it brings none of them, also
        # beside a field it sets (a new targets.yaml of `period: 2027` and empty lists)
        whole = None
        if b is None and a is not None and kind != "account":
            whole = (f"{kind}-added", _("{file} added").format(file=FILE_NAMES[kind]))
        if a is None and b is not None and kind != "account":
            whole = (f"{kind}-removed", _("{label} removed").format(label=FILE_NAMES[kind]))
        if a is None or b is None:
            empty = type(a if a is not None else b)()
            b, a = (empty, a) if b is None else (b, empty)
        before_count = len(out)
        _model_changes(b, a, "", ctx, emit, skip={"id"} if kind == "account" else frozenset())
        if whole is not None and not any(
            isinstance(c.before, BaseModel) or isinstance(c.after, BaseModel)
            for c in out[before_count:]
        ):
            emit(whole[0], whole[1], None, None, "")
            out.insert(before_count, out.pop())  # the file first, then what it sets
    return out


# ---------------------------------------------------------------- comparing
#: a finding as both sides of a diff are matched on: code, severity, ``findings.identity``
FindingKey = tuple[str, str, str]


def _finding_key(
    f: Finding,
    renamed: dict[str, str] | None = None,
    moved: tuple[str, str] | None = None,
    shown: Subjects | None = None,
) -> FindingKey:
    """What makes a finding the same on both sides (``identity``, of the message without
    what ``shown`` names: people's names, the tier), with the base side's renamed people
    read by their new ids and, for a renamed account, its old folder (``moved``: old
    display folder, new one) read as the new one. Its severity too: a warning that became
    an error (a tier raised into the focus tiers, a stricter threshold) changes the gate,
    so it is the error new and the warning resolved, as ``kam check`` sees it."""
    if moved is not None and f.path.startswith(moved[0] + "/"):
        import dataclasses

        f = dataclasses.replace(f, path=moved[1] + f.path[len(moved[0]) :])
    if renamed:
        subject = f.data.get("person") if f.data else None
        message = f.message
        for old_id, new_id in renamed.items():
            message = re.sub(rf"(?<![\w.-]){re.escape(old_id)}(?![\w-])", new_id, message)
        if subject in renamed or message != f.message:
            import dataclasses

            data = dict(f.data)
            if subject in renamed:
                data["person"] = renamed[subject]
            f = dataclasses.replace(f, message=message, data=data)
    return (f.code, f.severity, identity(f, shown))


def _shown(result: AccountResult, renamed: dict[str, str] | None = None) -> Subjects:
    """One side's ``Subjects``; the base side's people renamed (``renamed``: old id -> new)
    by their new ids, as ``_finding_key`` reads its messages."""
    return result.subjects(renamed)


def _grade_changes(before: AccountResult, after: AccountResult) -> list[Change]:
    out: list[Change] = []
    gb, ga = before.grade, after.grade
    assert gb is not None and ga is not None  # called when both sides are valid
    if gb.tier != ga.tier:
        out.append(
            Change(
                "tier",
                _("tier {change}").format(change=before_after(gb.tier or "-", ga.tier or "-")),
                None,
                gb.tier,
                ga.tier,
                0,
                "grade",
            )
        )
    if gb.computed_tier != ga.computed_tier and ga.tier_override:
        out.append(
            Change(
                "computed-tier",
                _("computed tier {change}").format(
                    change=before_after(gb.computed_tier or "-", ga.computed_tier or "-")
                ),
                None,
                gb.computed_tier,
                ga.computed_tier,
                0,
                "grade",
            )
        )
    if gb.score != ga.score or gb.letter != ga.letter:
        letters = (
            _(" ({change})").format(change=before_after(gb.letter, ga.letter))
            if gb.letter != ga.letter
            else ""
        )
        out.append(
            Change(
                "score",
                _("score {change}").format(change=f"{before_after(gb.score, ga.score)}{letters}"),
                None,
                gb.score,
                ga.score,
                (ga.score > gb.score) - (ga.score < gb.score),
                "grade",
            )
        )
    for c in out:
        c.detail = c.text
    return out


def compare(
    acct_id: str,
    before: AccountResult | None,
    after: AccountResult | None,
    include_personal: bool,
    today: dt.date | None = None,
) -> AccountDiff:
    """What changed in one account. ``today``: the day the head side is graded as of, which
    tells a person added with a departure that has happened from one announced (who still
    counts until then); without it, any ``left_on`` reads as a departure."""
    if before is None:
        d = AccountDiff(acct_id, "added", None, after)
        d.new_findings = list(after.findings) if after else []
        return d
    if after is None:
        # the account is gone, not its problems solved: nothing is listed as resolved
        return AccountDiff(acct_id, "removed", before, None)
    d = AccountDiff(acct_id, "changed", before, after)
    moved: tuple[str, str] | None = None
    if before.account.id != acct_id:  # one account renamed (``match_accounts``)
        d.status, d.renamed_from = "renamed", before.account.id
        moved = (before.account.display, after.account.display)
        text = _("renamed {change}").format(change=before_after(before.account.id, acct_id))
        d.changes.append(
            Change("renamed", text, None, before.account.id, acct_id, 0, "grade", detail=text)
        )
    renamed: dict[str, str] = {}
    if before.valid and after.valid:
        d.changes.extend(_grade_changes(before, after))
    if before.account.profile is not None and after.account.profile is not None:
        ctx = _Context(before.account, after.account)
        unread = before.account.unread | after.account.unread
        people: list[Change] = []
        if "stakeholders" not in unread:
            people, renamed = _people_changes(
                before.account, after.account, ctx, include_personal, today
            )
        d.changes.extend(_file_changes(before.account, after.account, ctx, renamed, unread))
        d.changes.extend(people)
        d.changes.extend(_unread_changes(before.account, after.account))
        if not unread:
            d.changes.extend(_handover_leftovers(before.account, after.account, ctx))
    was, now = _shown(before, renamed), _shown(after)
    if before.valid and not after.valid:
        errors = sum(1 for f in after.findings if f.severity == "error")
        d.changes.insert(
            0,
            Change(
                "invalid",
                ngettext(
                    "the account no longer loads: {n} error in its files "
                    "(it is not graded, and its other findings are not checked)",
                    "the account no longer loads: {n} errors in its files "
                    "(it is not graded, and its other findings are not checked)",
                    errors,
                ).format(n=errors),
                None,
                None,
                None,
                -1,
                "grade",
            ),
        )
        # the head side was not analysed: its load errors are new, nothing is "resolved"
        old = Counter(_finding_key(f, moved=moved, shown=was) for f in before.findings)
        d.new_findings = [f for f in after.findings if old[_finding_key(f, shown=now)] == 0]
        return d
    if not before.valid and after.valid:
        grade = after.grade
        assert grade is not None  # valid: graded
        text = _("the account loads again, score {score} ({letter})").format(
            score=grade.score, letter=grade.letter
        )
        d.changes.insert(
            0 if moved is None else 1, Change("valid", text, None, None, grade.score, 1, "grade")
        )
        # the base side was not analysed (only its load errors are known): its load errors
        # that went away are resolved, and nothing of the head side is "new"
        fixed = Counter(_finding_key(f, shown=now) for f in after.findings)
        old_keys = [_finding_key(f, moved=moved, shown=was) for f in before.findings]
        d.resolved_findings = _beyond(before.findings, old_keys, fixed)
    else:
        old_keys = [_finding_key(f, renamed, moved, was) for f in before.findings]
        new_keys = [_finding_key(f, shown=now) for f in after.findings]
        d.new_findings = _beyond(after.findings, new_keys, Counter(old_keys))
        d.resolved_findings = _beyond(before.findings, old_keys, Counter(new_keys))
        # silenced is matched without the severity: a warning the head side made an
        # error (a tier raised) and silenced is still that finding, silenced, not fixed
        key_of = {id(f): (k[0], k[2]) for f, k in zip(before.findings, old_keys, strict=True)}
        head_keys = [(f, _finding_key(f, shown=now)) for f in after.silenced]
        hidden = Counter((k[0], k[2]) for _f, k in head_keys)
        silenced_errors = {(k[0], k[2]) for f, k in head_keys if f.severity == "error"}
        d.resolved_findings = _silenced(d, key_of, hidden, silenced_errors)
    for c in d.changes:
        if not c.detail:
            c.detail = c.text
    return d


def _looked_after_by(account: Account) -> set[str]:
    """The handles that look after the account: its owner, and each current person's
    owner, backup and executive sponsor."""
    profile = account.profile
    handles = {profile.owner} if profile is not None and profile.owner else set()
    for p in account.stakeholders:
        if p.left_on is None:
            handles |= {h for h in (p.owner, p.backup, p.sponsor) if h}
    return handles


def _handover_leftovers(before: Account, after: Account, ctx: _Context) -> list[Change]:
    """An account handed over (its owner leaves the team, 王芳 → 赵磊) whose owner no longer
    looks after anyone in it, but still owns targets, relationship goals, open actions or
    a place in the account team: the handover is not finished, and nobody will chase those
    items (the diff listed the owner changes and nothing else). A note, not ▼: the items
    are the same as before."""
    old_owner = before.profile.owner if before.profile is not None else None
    if not old_owner or old_owner in _looked_after_by(after):
        return []
    left: list[str] = []
    t = after.targets
    if t is not None:
        left += [_("target {id}").format(id=x.id) for x in t.targets if x.owner == old_owner]
        left += [
            _("goal for {person}").format(person=ctx.person(g.stakeholder))
            for g in t.relationship_goals
            if g.owner == old_owner
        ]
        left += [
            _("action {id}").format(id=a.id) for a in t.actions if a.owner == old_owner and _open(a)
        ]
    if after.profile is not None and any(m.person == old_owner for m in after.profile.team):
        left.append(_("a place in the account team"))
    if not left:
        return []
    text = _("{handle} no longer looks after anyone here but still owns: {items}").format(
        handle=old_owner, items=listed(left)
    )
    return [Change("handover", text, None, old_owner, None, 0, GROUPS["account"], detail=text)]


def _silenced(
    d: AccountDiff,
    key_of: dict[int, tuple[str, str]],
    hidden: Counter[tuple[str, str]],
    errors: set[tuple[str, str]],
) -> list[Finding]:
    """The resolved findings of ``d`` that a `# kam: disable=` comment of the head side
    silenced rather than resolved: each becomes a change of its own ("KAM102 silenced by
    a comment in stakeholders.yaml, not resolved: ..."), and the rest are returned. Shown
    struck through as resolved, a comment that hid a finding read as a fix in the review.
    A finding counts as silenced when the head side still finds it and a comment drops it
    (``hidden``: the keys of the head side's silenced findings, ``key_of``: each base
    finding's key, by ``id``, both without severity; ``errors``: the keys silenced as
    errors on the head side); a finding really fixed beside a comment added for another
    finding of the same rule and file stays resolved."""
    from kamtool.load.accounts import FILE_NAMES

    kinds = {name: kind for kind, name in FILE_NAMES.items()}
    kept: list[Finding] = []
    for f in d.resolved_findings:
        key = key_of[id(f)]
        if hidden[key] <= 0:
            kept.append(f)
            continue
        hidden[key] -= 1
        name = f.path.replace("\\", "/").rsplit("/", 1)[-1]
        kind = kinds.get(name, "")
        text = _(
            "{code} silenced by a '# kam: disable={code}' comment in {file}, not resolved: "
            "{message}"
        ).format(code=f.code, file=name, message=f.message)
        # an error silenced is one the gate no longer fails on: worse, as a new error is
        worse = -1 if f.severity == "error" or key in errors else 0
        d.changes.append(
            Change("silenced", text, None, f.message, None, worse, "silenced", field=kind)
        )
    return kept


def _beyond(
    findings: list[Finding], keys: list[FindingKey], other: Counter[FindingKey]
) -> list[Finding]:
    """The findings (in order) whose key occurs more often here than on the other side:
    a multiset difference, so that a second identical finding is new even when the first
    was there before."""
    seen: Counter[FindingKey] = Counter()
    out = []
    for f, k in zip(findings, keys, strict=True):
        seen[k] += 1
        if seen[k] > other.get(k, 0):
            out.append(f)
    return out


def run_diff(
    base: str | None,
    head: str | None,
    *,
    config_path: str | Path | None = None,
    today: str | dt.date | None = None,
    cwd: str | Path | None = None,
    include_personal: bool = False,
) -> DiffResult:
    from kamtool.load.gitio import reject_empty

    reject_empty(base, "BASE")
    reject_empty(head, "HEAD")
    rs = repo_settings(config_path, today, cwd, "kam diff")
    root = rs.root
    named = config_path is not None
    followed = None
    try:
        base_c, head_c, base_label, head_label = resolve_range(root, base, head)
        if head_c is not None:
            _ask_layouts(rs, [base_c, head_c], named)
        if not named and rs.settings.config_path is None:
            moved = follow_moved_portfolio(rs, base_c, head_c, today, cwd)
            if moved is not None:  # read as if the user had named that kam.yaml
                rs, named = moved, True
                followed = rs.settings.display(rs.settings.config_path or rs.root)
        day, config = rs.settings.today, rs.settings.config
        blobs = BlobTexts(root, config.max_file_size)
        # each side's accounts folder where that revision had it (a folder moved between
        # them is the same accounts); findings are shown under the head side's folder
        base_prefix, base_kam_yaml = layout_at(rs, blobs, base_c, named)
        head_prefix, head_kam_yaml = (
            (rs.prefix, None) if head_c is None else layout_at(rs, blobs, head_c, named)
        )
        settings_changed, config_errors = _settings_changed(
            rs, blobs, (base_c, base_kam_yaml), (head_c, head_kam_yaml) if head_c else None
        )
        if head_c is not None:
            _ask_listings(root, [(base_c, base_prefix), (head_c, head_prefix)])
        left_tree = moved_accounts(_tree_accounts(blobs, base_c, base_prefix), base_prefix, rs)
        if (
            head_c is not None
            and not _emptied(left_tree, base_prefix, head_prefix)
            and not folder_at(root, head_c, head_prefix).exists
        ):
            # read as "every account removed, 0 worse", a kam.yaml whose ``accounts:`` names
            # a folder the head side does not have (a typo, a folder not committed) passed
            # the gate; a base side without it is a first portfolio: every account added
            if not left_tree and rs.settings.config_path is None:
                # no kam.yaml and no accounts on either side (a monorepo's root): the
                # error every command gives there, naming the kam.yaml below (exit 2)
                raise no_accounts_folder(rs.settings)
            raise _no_folder_at(rs, head_prefix, head_label)
        same: set[str] = set()
        if head_c is not None:
            right_tree = moved_accounts(_tree_accounts(blobs, head_c, head_prefix), head_prefix, rs)
            # the same blob ids (and no symbolic link, whose target may differ): unchanged,
            # without reading a byte
            same = {
                a
                for a, files in left_tree.items()
                if right_tree.get(a) == files
                and all(mode != "120000" for mode, _oid in files.values())
            }
            # both sides' blobs in one ``git cat-file --batch``
            blobs.fetch(
                [
                    oid
                    for tree in (left_tree, right_tree)
                    for a, files in tree.items()
                    if a not in same
                    for _mode, oid in files.values()
                ]
            )
            right = _git_side(
                blobs, head_c, head_prefix, {a: f for a, f in right_tree.items() if a not in same}
            )
        else:
            right = _worktree_side(rs.accounts_dir, root, config.max_file_size)
        left = _git_side(
            blobs, base_c, base_prefix, {a: f for a, f in left_tree.items() if a not in same}
        )
    except GitError as exc:
        raise UsageError(str(exc)) from None
    if not left_tree and not right and not rs.accounts_dir.is_dir():
        # no accounts folder on either side: "0 changed" would pass a review that read
        # nothing (SPEC 7), as kam check refuses the same folder
        raise no_accounts_folder(rs.settings)
    if (
        head_c is None
        and not rs.accounts_dir.is_dir()
        and not _emptied(left_tree, base_prefix, head_prefix)
    ):
        raise _no_folder_at(rs, head_prefix, None)
    if not left_tree and not right:
        from kamtool.errors import NotFound

        raise NotFound(
            _(
                "no account in {folder} at {base} nor at {head}: nothing was compared "
                "(check `accounts:` in kam.yaml, and that the accounts are committed)"
            ).format(folder=_shown_folder(rs, head_prefix), base=base_label, head=head_label)
        )
    diffs: list[AccountDiff] = []
    still_broken: list[str] = []
    work: list[tuple[str, Files | None, Files | None, str | None]] = []
    unchanged = len(same)
    renames = _renamed_accounts(blobs, left_tree, same, left, right)
    came_from = {new: old for old, new in renames.items()}
    for acct_id in sorted(set(left) | set(right)):
        if acct_id in renames:
            continue  # compared under its new id
        base_id = came_from.get(acct_id)
        lf, rf = left.get(base_id or acct_id), right.get(acct_id)
        if base_id is None and lf is not None and rf is not None and lf == rf:
            unchanged += 1
            continue
        work.append((acct_id, lf, rf, base_id))
    for d in _compare_all(work, rs.shown(head_prefix), config, day, include_personal):
        if (
            d.status == "changed"
            and not d.changes
            and not d.new_findings
            and not d.resolved_findings
        ):
            unchanged += 1  # only comments or formatting changed
            if d.after is not None and not d.after.valid:
                still_broken.append(d.id)
            continue
        diffs.append(d)
    _restored(root, base_c, base_prefix, diffs)
    return DiffResult(
        base_label,
        head_label,
        day,
        diffs,
        unchanged,
        still_broken,
        base_commit=None if base_c == EMPTY_TREE else base_c,
        head_commit=head_c,
        followed=followed,
        settings_changed=(
            list(dict.fromkeys(c.key.split(".")[0] for c in settings_changed))
            if base_c != EMPTY_TREE
            else []
        ),
        settings=settings_changed if base_c != EMPTY_TREE else [],
        graded_with=(
            rs.settings.display(rs.settings.config_path) if rs.settings.config_path else None
        ),
        config_unloaded=[
            ConfigUnloaded(
                side,
                base_label if side == "base" else head_label,
                (base_kam_yaml if side == "base" else head_kam_yaml) or "kam.yaml",
                config_errors[side],
            )
            for side in ("base", "head")
            if side in config_errors and (side == "head" or base_c != EMPTY_TREE)
        ],
    )


def _restored(root: Path, base_c: str, prefix: str, diffs: list[AccountDiff]) -> None:
    """Mark each account added that a commit before the base removed (``removed_in``):
    one ``git log`` for all of them (``last_removals``, as ``kam portfolio --since`` and
    ``kam history`` find an account restored), none when no account was added."""
    added = [d for d in diffs if d.status == "added"]
    if not added or base_c == EMPTY_TREE:
        return
    pre = f"{prefix}/" if prefix not in ("", ".") else ""
    found = last_removals(root, base_c, (f"{pre}{d.id}/account.yaml" for d in added))
    if not found:
        return
    abbrev = abbrev_length(root)
    for d in added:
        hit = found.get(f"{pre}{d.id}/account.yaml")
        if hit is not None:
            d.removed_in = (hit[0], hit[0][:abbrev], hit[1])


def _emptied(base_tree: dict[str, dict[str, tuple[str, str]]], base: str, head: str) -> bool:
    """Whether a head side without its accounts folder had its accounts removed: the base
    side held accounts in the very folder the head side names (git keeps no empty folder,
    so a pull request that removes the last account, or hands the whole portfolio over,
    removes the folder). Those are "account removed ▼", each worse; a folder named only by
    the head side (a typo in ``accounts:``, a folder not committed) is the error."""
    return bool(base_tree) and base == head


def _shown_folder(rs: RepoSettings, prefix: str) -> str:
    """A repo-relative folder as the user names it from the working folder."""
    return rs.settings.display(rs.root / prefix if prefix not in ("", ".") else rs.root)


def _no_folder_at(rs: RepoSettings, prefix: str, revision: str | None) -> Exception:
    """The error for a head side without its accounts folder (``revision``; None: the
    working tree): exit 1, naming both."""
    from kamtool.errors import NotFound

    folder = _shown_folder(rs, prefix)
    if revision is None:
        return NotFound(
            _(
                "the accounts folder {folder} does not exist in the working tree: every "
                "account would read as removed (check `accounts:` in kam.yaml)"
            ).format(folder=folder)
        )
    return NotFound(
        _(
            "the accounts folder {folder} does not exist at {revision}: every account would "
            "read as removed (check `accounts:` in kam.yaml, and that the folder is committed)"
        ).format(folder=folder, revision=revision)
    )


def _renamed_accounts(
    blobs: BlobTexts,
    left_tree: dict[str, dict[str, tuple[str, str]]],
    same: set[str],
    left: dict[str, Files],
    right: dict[str, Files],
) -> dict[str, str]:
    """Accounts renamed between the two sides (``match_accounts``), old id -> new id. The
    names of the accounts unchanged on both sides count for uniqueness too: their
    account.yaml is read only when some account went and another came."""
    if not (set(left) - set(right)) or not (set(right) - set(left)):
        return {}
    account_yaml = FILE_NAMES["account"]
    kept: dict[str, str] = {}  # unchanged account -> its account.yaml blob
    for a in same:
        entry = left_tree[a].get(account_yaml)
        if entry is not None and entry[0] != "120000":
            kept[a] = entry[1]
    blobs.fetch(list(kept.values()))
    unchanged = {
        a: account_name({account_yaml: blobs.read(("blob", oid))}) for a, oid in kept.items()
    }
    before = {**unchanged, **{a: account_name(f) for a, f in left.items()}}
    after = {**unchanged, **{a: account_name(f) for a, f in right.items()}}
    people_yaml = FILE_NAMES["stakeholders"]
    fetched: list[bool] = []
    kept_people = {
        a: e[1]
        for a in same
        if (e := left_tree[a].get(people_yaml)) is not None and e[0] != "120000"
    }

    def people(side: dict[str, Files]) -> Callable[[str], People]:
        def of(a: str) -> People:
            if a in side:
                return account_people(side[a])
            entry = kept_people.get(a)  # unchanged: the same blob on both sides
            if entry is None:
                return frozenset()
            if not fetched:  # all of them at once, the first time
                blobs.fetch(list(kept_people.values()))
                fetched.append(True)
            return account_people({people_yaml: blobs.read(("blob", entry))})

        return of

    return match_accounts(before, after, people(left), people(right))


#: changed accounts per task of a worker: small tasks, so that the two workers end
#: together (with 10, one of them often waited 20-40 ms for the other's last task)
_CHUNK = 5


def _compare_chunk(args: tuple) -> list[AccountDiff]:
    """Both sides of some accounts analysed and compared; the results keep only what the
    reports read (the profile's name, the grade's figures; the findings that differ are in
    the diff itself), so that little travels back from a worker."""
    from kamtool.load.accounts import parse_document

    work, prefix, config, day, include_personal = args
    out = []
    documents: dict[str, Document] = {}  # a file the same on both sides is parsed once
    validated: dict[tuple[str, str], KamModel] = {}  # ... and validated once

    def parse(text: str) -> Document:
        doc = documents.get(text)
        if doc is None:
            doc = documents[text] = parse_document(text)
        return doc

    for acct_id, lf, rf, base_id in work:
        documents.clear()
        validated.clear()
        # the grade's components go (below) unread: their texts are not made
        before = (
            analyse(
                build_from_files(base_id or acct_id, lf, prefix, config, parse, validated),
                config,
                day,
                details=False,
            )
            if lf is not None
            else None
        )
        after = (
            analyse(
                build_from_files(acct_id, rf, prefix, config, parse, validated),
                config,
                day,
                details=False,
            )
            if rf is not None
            else None
        )
        d = compare(acct_id, before, after, include_personal, day)
        for side in (d.before, d.after):
            if side is not None:
                side.account.release_sources()
                side.slim("grades")
                # compared already: the reports read the findings that differ (in ``d``)
                side.findings = []
                side.account.findings = []
                side.account.files = {}
                if side.grade is not None:
                    side.grade.components = []
        out.append(d)
    return out


def _compare_all(
    work: list[tuple[str, Files | None, Files | None, str | None]],
    prefix: ShownFolder,
    config: Config,
    day: dt.date,
    include_personal: bool,
) -> list[AccountDiff]:
    """Every changed account compared, on several processes when there are many (as kam
    check: two analyses an account)."""
    from kamtool.core import _prepare_workers
    from kamtool.parallel import map_chunks

    tasks = [
        (work[i : i + _CHUNK], prefix, config, day, include_personal)
        for i in range(0, len(work), _CHUNK)
    ]
    parts = map_chunks(
        _compare_chunk, tasks, items=2 * len(work), chunk=2 * _CHUNK, prepare=_prepare_workers
    )
    return [d for part in parts for d in part]
