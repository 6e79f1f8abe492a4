"""The library API: load -> analyse, returning results; never prints, never exits.

The CLI is a thin layer over :func:`run`; other programs may call it directly::

    from kamtool.core import run
    result = run(["accounts"], today="2026-11-24")
    for acct in result.accounts:
        print(acct.id, acct.grade.score if acct.grade else "invalid")
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, cast

from kamtool.errors import ConfigError, KamError, NotFound, UsageError, WorkerError
from kamtool.findings import Finding, Subjects, worst
from kamtool.i18n import _, listed
from kamtool.load.accounts import Account, checked, load_account, silenced_at
from kamtool.load.locate import Workspace, account_folders, resolve_today, workspace
from kamtool.load.structural import STRUCTURAL  # light: no rule family imported yet

if TYPE_CHECKING:
    from kamtool.analyse.grading import Grade
    from kamtool.load.config import Config

__all__ = [
    "AccountResult",
    "ConfigError",
    "KamError",
    "NotFound",
    "RunResult",
    "UsageError",
    "WorkerError",
    "Workspace",
    "analyse",
    "resolve_today",
    "run",
]


@dataclass
class AccountResult:
    account: Account
    grade: Grade | None = None  # None when the account is invalid
    findings: list[Finding] = field(default_factory=list)
    #: each person's name by id, kept by ``slim(names=True)`` when the people go
    names: dict[str, str] | None = None
    #: the findings a ``# kam: disable=`` comment silenced (not those kam.yaml turns
    #: off): what `kam diff` tells apart from a finding resolved
    silenced: list[Finding] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.account.id

    def subjects(self, renamed: dict[str, str] | None = None) -> Subjects:
        """What this account's messages show that may be written anew without a finding
        changing (``findings.Subjects``: people's names, the tier), for ``identity`` and
        ``fingerprint``; people renamed (``renamed``: old id -> new) by their new ids."""
        from kamtool.i18n import _

        ids = renamed or {}
        names = self.names
        if names is None:
            names = {p.id: p.name for p in self.account.stakeholders if p.name}
        if ids:
            names = {ids.get(pid, pid): name for pid, name in names.items()}
        tier = self.grade.tier if self.grade is not None else None
        form = _("tier {tier} account")
        return Subjects(names, (form.format(tier=tier), form.format(tier="*")) if tier else None)

    @property
    def valid(self) -> bool:
        return self.grade is not None

    def worst(self) -> Finding | None:
        return worst(self.findings)

    def slim(self, keep: str, names: bool = False) -> None:
        """Drop what the command will not read (see ``run``): "grades" keeps the profile,
        files, findings and grade; "findings" keeps files, findings and the grade's figures;
        ``names`` keeps each person's name by id (``subjects``)."""
        if names:
            self.names = {p.id: p.name for p in self.account.stakeholders if p.name}
        self.silenced = []  # read by kam diff's comparison only, before any slimming
        self.account.drop_people()
        self.account.org = None
        self.account.targets = None
        self.account.log = None
        if self.grade is not None:
            self.grade.standing = (self.grade.standing[0], None, None)
        if keep == "findings":
            self.account.profile = None
            if self.grade is not None:
                self.grade.components = []


@dataclass
class RunResult:
    config: Config
    config_path: Path | None
    today: dt.date
    accounts: list[AccountResult]

    @cached_property
    def findings(self) -> list[Finding]:
        """Every account's findings in file order (computed once)."""
        out = [f for a in self.accounts for f in a.findings]
        out.sort(key=Finding.sort_key)
        return out

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def fails(self, fail_on: str) -> bool:
        return any(f.fails(fail_on) for f in self.findings)

    def get(self, account_id: str) -> AccountResult | None:
        for a in self.accounts:
            if a.id == account_id:
                return a
        return None


def settings(
    config_path: str | Path | None = None,
    today: str | dt.date | None = None,
    cwd: str | Path | None = None,
) -> Workspace:
    """The workspace (see ``kamtool.load.locate``); kept under its earlier name."""
    return workspace(config_path, today, cwd)


def apply_policy(
    findings: Iterable[Finding],
    account: Account,
    config: Config,
    silenced: list[Finding] | None = None,
) -> list[Finding]:
    """Severity overrides and ``off`` from kam.yaml, then inline ``# kam: disable=`` comments
    (the findings those silence go to ``silenced`` when it is given).

    Only files with such comments are looked at, and with neither settings nor comments
    (most accounts) the findings are only sorted: with the loop this took 2.7% of a
    profiled check of a neglected portfolio's 90,000 findings, without it 0.8%."""
    by_display = {src.display: src.suppress for src in account.files.values() if src.suppress}
    overrides = config.rules
    if not overrides and not by_display:
        out = list(findings)
        out.sort(key=Finding.sort_key)
        return out
    out = []
    for f in findings:
        if f.code not in STRUCTURAL:
            setting = overrides.get(f.code)
            if setting == "off":
                continue
            if setting is not None:
                f = f.with_severity(setting)
            comments = by_display.get(f.path)
            if comments is not None and silenced_at(comments, f.code, f.line):
                if silenced is not None:
                    silenced.append(f)
                continue
        out.append(f)
    out.sort(key=Finding.sort_key)
    return out


def analyse(
    account: Account, config: Config, today: dt.date, *, rules: bool = True, details: bool = True
) -> AccountResult:
    """Grade an account and run every rule on it; an invalid account keeps only its load
    findings. An account built from models rather than loaded (``Account(profile=...,
    stakeholders=[...])``) first gets the loader's structure checks (references,
    duplicates, cycles, the id; see ``kamtool.load.accounts.checked``): the result's
    ``account`` is then a checked copy, and the findings are those ``kam check`` gives
    for the same data in files (at line 1, column 1: there is no file to point into).
    ``details=False``: the grade's components without their texts (``grade``), for a
    result slimmed to its findings (``AccountResult.slim("findings")`` drops them)."""
    account = checked(account, config)
    silenced: list[Finding] = []
    if not account.valid:
        kept = apply_policy(account.findings, account, config, silenced)
        return AccountResult(account, None, kept, silenced=silenced)
    from kamtool.analyse.contact import effective_contacts
    from kamtool.analyse.grading import grade
    from kamtool.analyse.rules import Context, run_rules

    # who was last contacted when: grading and the rules read the same, worked out once
    contacts = effective_contacts(account, today)
    g = grade(account, today, config, contacts, details=details)
    findings = list(account.findings)
    if rules:
        ctx = Context.of(account, config, today, g, contacts)
        findings.extend(run_rules(account, ctx))
    kept = apply_policy(findings, account, config, silenced)
    return AccountResult(account, g, kept, silenced=silenced)


#: what ``run(keep=...)`` accepts (see ``AccountResult.slim``)
KEEP_CHOICES = ("all", "grades", "findings")


def run(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
    *,
    config_path: str | os.PathLike[str] | None = None,
    today: str | dt.date | None = None,
    cwd: str | os.PathLike[str] | None = None,
    rules: bool = True,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    keep: str = "all",
    accounts: str | os.PathLike[str] | None = None,
    names: bool = False,
) -> RunResult:
    """Load and analyse the accounts under ``paths``; return what was found. Never prints,
    never exits: every refusal is a ``KamError`` (see below).

    paths: account ids, account folders or accounts folders, as ``kam check`` takes them
      (one str or path is one of them); relative ones are read from ``cwd``. Default: the
      configured accounts folder (kam.yaml's ``accounts``, else ``accounts/``).
    config_path: the kam.yaml to use (relative to ``cwd``); default: the nearest one from
      ``cwd`` up to the repository root.
    today: the date grades and rules are worked out for: a ``datetime.date`` (a datetime
      counts as its date) or text YYYY-MM-DD; default: KAM_TODAY, else the system date.
    cwd: the folder the run works from, as the current folder of ``kam``: paths and
      config_path are relative to it, the repository and kam.yaml are found from it, and
      every ``Finding.path`` is written relative to it, with ``/`` (absolute when the
      file lies outside it).
      Default: the process's current folder.
    rules: False grades the accounts without running the rules (only loading findings).
    jobs: processes to use: 1 stays in this one; default (None or 0): KAM_JOBS, else every
      core once there are 150+ accounts. Workers are forked; in a program running other
      threads, where a fork is not safe, they are fresh interpreters (which import only
      kamtool) only when jobs or KAM_JOBS asks for them, else the run stays in this process.
    progress: optional callable(done, total), called in this thread as accounts complete.
    keep: what each account's result keeps, for commands that read less: "all"; "grades"
      (no stakeholder, org or target models: grade, portfolio); "findings" (no profile model
      and no score components either: check, stale, validate). Less to keep is less memory
      and, on several processes, less to send back to this one.
    accounts: the accounts folder to read instead of the configured one (relative to
      ``cwd``): ids in ``paths`` are looked up there, and no ``paths`` reads all of it
      (``kam --examples`` passes kam's example accounts).
    names: keep each person's name by id when ``keep`` drops the people
      (``AccountResult.names``), for finding fingerprints that a corrected name does not
      change (``AccountResult.subjects``; the SARIF and GitLab reports).

    Raises ``UsageError`` (a bad argument, date or path; kam.yaml named but missing),
    ``ConfigError`` (kam.yaml invalid: ``.findings`` say where), ``NotFound`` (no such
    account, no account folders) and ``WorkerError`` (a worker process failed); all are
    ``KamError``, with ``.message`` worded for a person.
    """
    folder_args = _path_arguments(paths)
    _check_options(config_path, cwd, rules, jobs, progress, keep, names)
    ws = workspace(
        None if config_path is None else os.fspath(config_path),
        today,
        None if cwd is None else os.fspath(cwd),
        # ids name accounts of another folder then, so they choose no kam.yaml
        named=[os.fspath(p) for p in folder_args] if accounts is None else (),
    )
    if accounts is not None:
        ws = replace(ws, accounts_dir=Path(os.path.abspath(ws.cwd / os.fspath(accounts))))
    folders = account_folders(ws, [os.fspath(p) for p in folder_args])
    results = _analyse_all(
        folders, ws.config, ws.root, ws.cwd, ws.today, rules, jobs, progress, keep, names
    )
    return RunResult(config=ws.config, config_path=ws.config_path, today=ws.today, accounts=results)


def _is_path(value: object) -> bool:
    return isinstance(value, str) or (
        isinstance(value, os.PathLike) and isinstance(os.fspath(value), str)
    )


def _path_arguments(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None,
) -> list[str | os.PathLike[str]]:
    """``run``'s paths as a list: one str or path is one argument, not its characters."""
    if paths is None:
        return []
    if _is_path(paths):
        return [cast("str | os.PathLike[str]", paths)]
    if isinstance(paths, bytes) or not isinstance(paths, Iterable):
        raise UsageError(_bad_type("paths", _("a path or a list of paths"), paths))
    out = list(paths)
    for item in out:
        if not _is_path(item):
            raise UsageError(_bad_type("paths", _("a path or a list of paths"), item))
    return out


def _check_options(
    config_path: object,
    cwd: object,
    rules: object,
    jobs: object,
    progress: object,
    keep: object,
    names: object = False,
) -> None:
    """Refuse, worded for the caller, what ``run`` would otherwise misread or fail on
    far from the call (a number for a path, a typo in ``keep``)."""
    for name, value in (("config_path", config_path), ("cwd", cwd)):
        if value is not None and not _is_path(value):
            raise UsageError(_bad_type(name, _("a path"), value))
    if isinstance(cwd, (str, os.PathLike)) and not os.path.isdir(cwd):
        raise UsageError(_("cwd must be an existing folder, not {value!r}").format(value=cwd))
    for flag, value in (("rules", rules), ("names", names)):
        if not isinstance(value, bool):
            raise UsageError(_bad_type(flag, _("True or False"), value))
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0):
        raise UsageError(_bad_type("jobs", _("a whole number, 0 or more"), jobs))
    if progress is not None and not callable(progress):
        raise UsageError(_bad_type("progress", _("a callable(done, total)"), progress))
    if keep not in KEEP_CHOICES:
        raise UsageError(
            _("keep must be one of {choices}, not {value!r}").format(
                choices=listed(KEEP_CHOICES), value=keep
            )
        )


def _bad_type(name: str, wanted: str, value: object) -> str:
    return _("{name} must be {wanted}, not {kind} {value!r}").format(
        name=name, wanted=wanted, kind=type(value).__name__, value=value
    )


#: Accounts per task sent to a worker.
_CHUNK = 25


def _analyse_chunk(args: tuple) -> list[AccountResult]:
    folders, config, base, cwd, day, rules, keep, names = args
    gc.disable()  # a worker started by spawn; a forked one inherits the caller's setting
    out = []
    for folder in folders:
        result = analyse(
            load_account(folder, config, base, cwd),
            config,
            day,
            rules=rules,
            details=keep != "findings",  # the components go: their texts are not made
        )
        result.account.release_sources()  # findings carry their positions; the parse trees can go
        if keep != "all":
            result.slim(keep, names)
        out.append(result)
    return out


def _prepare_workers() -> None:
    """Import and build here what every account needs, once: forked workers inherit it
    instead of each paying for it on their first account."""
    from kamtool.analyse.rules import all_rules
    from kamtool.load.fastvalidate import fast_validator
    from kamtool.load.models import FILE_MODELS

    all_rules()  # imports grading and the rule modules
    for model in FILE_MODELS.values():
        fast_validator(model)


def _analyse_all(
    folders: list[Path],
    config: Config,
    base: Path,
    cwd: Path,
    day: dt.date,
    rules: bool,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
    keep: str = "all",
    names: bool = False,
) -> list[AccountResult]:
    """Load and analyse every account, on several processes when the portfolio is large."""
    from kamtool.parallel import map_chunks

    tasks = [
        (folders[i : i + _CHUNK], config, base, cwd, day, rules, keep, names)
        for i in range(0, len(folders), _CHUNK)
    ]
    parts = map_chunks(
        _analyse_chunk,
        tasks,
        items=len(folders),
        jobs=jobs,
        chunk=_CHUNK,
        progress=progress,
        prepare=_prepare_workers,
    )
    return [result for part in parts for result in part]


def examples_dir() -> Path:
    """The example accounts shipped with kam (inside the wheel, or the source checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / "accounts", here.parents[1] / "accounts"):
        if candidate.is_dir():
            return candidate
    raise UsageError(_("the example accounts are not installed"))


def templates_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / "templates", here.parents[1] / "templates"):
        if candidate.is_dir():
            return candidate
    raise UsageError(_("the plan templates are not installed"))
