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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from kamtool.errors import ConfigError, KamError, UsageError
from kamtool.findings import SEVERITY_RANK, Finding, worst
from kamtool.i18n import _
from kamtool.load.accounts import Account, load_account
from kamtool.load.locate import Workspace, account_folders, resolve_today, workspace
from kamtool.load.structural import STRUCTURAL  # light: no rule family imported yet

if TYPE_CHECKING:
    from kamtool.analyse.grading import Grade
    from kamtool.load.config import Config

__all__ = [
    "AccountResult",
    "ConfigError",
    "KamError",
    "RunResult",
    "UsageError",
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

    @property
    def id(self) -> str:
        return self.account.id

    @property
    def valid(self) -> bool:
        return self.grade is not None

    def worst(self) -> Finding | None:
        return worst(self.findings)

    def slim(self, keep: str) -> None:
        """Drop what the command will not read (see ``run``): "grades" keeps the profile,
        files, findings and grade; "findings" keeps files, findings and the grade's figures."""
        self.account.stakeholders = []
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
        floor = SEVERITY_RANK[fail_on]
        return any(f.rank >= floor for f in self.findings)

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


def apply_policy(findings: Iterable[Finding], account: Account, config: Config) -> list[Finding]:
    """Severity overrides and ``off`` from kam.yaml, then inline ``# kam: disable=`` comments.

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
            silenced = by_display.get(f.path)
            if silenced is not None and (
                f.code in silenced.get(f.line, ()) or f.code in silenced.get(f.line - 1, ())
            ):
                continue
        out.append(f)
    out.sort(key=Finding.sort_key)
    return out


def analyse(
    account: Account, config: Config, today: dt.date, *, rules: bool = True
) -> AccountResult:
    """Grade a loaded account and run every rule on it; an invalid account keeps only its load findings."""
    if not account.valid:
        return AccountResult(account, None, apply_policy(account.findings, account, config))
    from kamtool.analyse.grading import grade
    from kamtool.analyse.rules import Context, run_rules

    g = grade(account, today, config)
    findings = list(account.findings)
    if rules:
        ctx = Context.of(account, config, today, g)
        findings.extend(run_rules(account, ctx))
    return AccountResult(account, g, apply_policy(findings, account, config))


def run(
    paths: Iterable[str | Path] | None = None,
    *,
    config_path: str | Path | None = None,
    today: str | dt.date | None = None,
    cwd: str | Path | None = None,
    rules: bool = True,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    keep: str = "all",
) -> RunResult:
    """Load and analyse the accounts under ``paths`` (default: the configured accounts folder).

    jobs: processes to use (default: KAM_JOBS, else every core once there are 150+ accounts).
    progress: optional callable(done, total), called as accounts complete.
    keep: what each account's result keeps, for commands that read less: "all"; "grades"
    (no stakeholder, org or target models: grade, portfolio); "findings" (no profile model
    and no score components either: check, stale, validate). Less to keep is less memory
    and, on several processes, less to send back to this one.
    """
    ws = workspace(config_path, today, cwd)
    folders = account_folders(ws, list(paths or []))
    results = _analyse_all(
        folders, ws.config, ws.root, ws.cwd, ws.today, rules, jobs, progress, keep
    )
    return RunResult(config=ws.config, config_path=ws.config_path, today=ws.today, accounts=results)


#: Accounts per task sent to a worker.
_CHUNK = 25


def _analyse_chunk(args: tuple) -> list[AccountResult]:
    folders, config, base, cwd, day, rules, keep = args
    gc.disable()  # a worker started by spawn; a forked one inherits the caller's setting
    out = []
    for folder in folders:
        result = analyse(load_account(folder, config, base, cwd), config, day, rules=rules)
        result.account.release_sources()  # findings carry their positions; the parse trees can go
        if keep != "all":
            result.slim(keep)
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
) -> list[AccountResult]:
    """Load and analyse every account, on several processes when the portfolio is large."""
    from kamtool.parallel import map_chunks

    tasks = [
        (folders[i : i + _CHUNK], config, base, cwd, day, rules, keep)
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
