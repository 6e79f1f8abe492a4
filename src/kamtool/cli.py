"""The ``kam`` command: parses arguments, calls the core, prints a reporter's output.

Start-up matters (kam runs in pre-commit hooks): this module imports only typer
and the standard library; each command imports what it needs when it runs.
"""

import gc
import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from kamtool import __version__

app = typer.Typer(
    name="kam",
    help="Key account management on plain YAML files in git.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Accounts folder or account folders (default: the accounts folder of kam.yaml, or ./accounts)."
    ),
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="kam.yaml to use (default: ./kam.yaml if present).")
]
TodayOpt = Annotated[
    str | None,
    typer.Option(
        "--today",
        envvar="KAM_TODAY",
        help="Date to judge freshness against, YYYY-MM-DD (env KAM_TODAY).",
    ),
]
NoColorOpt = Annotated[bool, typer.Option("--no-color", help="No colours (also: NO_COLOR set).")]
ExamplesOpt = Annotated[
    bool, typer.Option("--examples", help="Use the example accounts shipped with kam.")
]


def _version(value: bool) -> None:
    if value:
        from kamtool.load.yamlread import (
            reader_name,  # light: says whether the native reader is in use
        )

        typer.echo(f"kam {__version__} ({reader_name()} YAML reader)")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Validate, grade, plan and gate key-account files kept in git."""


# ---------------------------------------------------------------- plumbing
def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"kam: error: {message}", err=True)
    raise typer.Exit(code)


def _config_error(exc: Any) -> NoReturn:
    for f in exc.findings:
        typer.echo(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}", err=True)
    _fail("invalid configuration")


def _use_color(no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def _run(
    paths: list[Path] | None,
    config: Path | None,
    today: str | None,
    examples: bool = False,
    rules: bool = True,
    keep: str = "findings",
) -> Any:
    """Call the core, turning usage and config problems into one-line errors with exit 2.

    keep: what each account's result keeps (see core.run): "findings" by default,
    "grades" for grade and portfolio, "all" for plan and map."""
    from kamtool.core import ConfigError, UsageError, examples_dir, run

    try:
        chosen = list(paths or [])
        if examples:
            chosen.append(examples_dir())
        result = run(
            chosen,
            config_path=config,
            today=today,
            rules=rules,
            progress=_progress_bar(),
            keep=keep,
        )
    except UsageError as exc:
        _fail(str(exc))
    except ConfigError as exc:
        _config_error(exc)
    return result


class _ProgressBar:
    """A rich progress bar on stderr, shown only for large runs in a terminal."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < 50:  # about 200 files
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("checking accounts", total=total)
        self.bar.update(self.task, completed=done)
        if done >= total:
            self.bar.stop()


def _progress_bar() -> Any:
    return _ProgressBar() if sys.stderr.isatty() and not os.environ.get("CI") else None


def _emit(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _choice(value: str, options: dict[str, Any], option: str) -> None:
    if value not in options:
        _fail(f"{option} must be one of {', '.join(options)}, not {value!r}")


# ---------------------------------------------------------------- commands
@app.command()
def validate(
    paths: PathsArg = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    no_color: NoColorOpt = False,
    examples: ExamplesOpt = False,
) -> None:
    """Check syntax, schema and references only (KAM001-KAM006)."""
    from kamtool.report.findings import FINDINGS

    _choice(fmt, FINDINGS, "--format")
    result = _run(paths, config, today, examples, rules=False)
    findings = result.findings
    _emit(FINDINGS[fmt]().render(result, findings, color=_use_color(no_color)))
    raise typer.Exit(1 if any(f.severity == "error" for f in findings) else 0)


@app.command()
def grade(
    paths: PathsArg = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, json, csv or markdown.")
    ] = "table",
    explain: Annotated[
        bool, typer.Option("--explain", help="Show every score component with its inputs.")
    ] = False,
    no_color: NoColorOpt = False,
    examples: ExamplesOpt = False,
) -> None:
    """Grade the accounts: tier, relationship score and letter."""
    from kamtool.report.grades import GRADES

    _choice(fmt, GRADES, "--format")
    result = _run(paths, config, today, examples, keep="grades")
    _emit(GRADES[fmt]().render(result, explain=explain, color=_use_color(no_color)))
    raise typer.Exit(1 if any(not a.valid for a in result.accounts) else 0)


FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="text, json, github, sarif, junit or gitlab (github is the default inside GitHub Actions).",
    ),
]
FailOnOpt = Annotated[
    str, typer.Option("--fail-on", help="Exit 1 on findings at or above: error, warning or info.")
]


def _ci_format(fmt: str | None) -> str:
    if fmt is not None:
        return fmt
    if os.environ.get("GITHUB_ACTIONS") and os.environ.get("GITHUB_WORKFLOW"):
        return "github"
    return "text"


def _repo_relative(findings: list[Any]) -> list[Any]:
    """CI formats want paths from the repository root, not from where kam ran."""
    import dataclasses
    import subprocess

    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-prefix"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return findings
    prefix = top.stdout.strip() if top.returncode == 0 else ""
    if not prefix:
        return findings
    return [
        f if f.path.startswith("/") else dataclasses.replace(f, path=prefix + f.path)
        for f in findings
    ]


def _report_findings(
    result: Any, findings: list[Any], fmt: str, fail_on: str, no_color: bool, table: Any = None
) -> None:
    from kamtool.findings import SEVERITY_RANK
    from kamtool.report.findings import FINDINGS

    if fmt in ("sarif", "gitlab", "github"):
        findings = _repo_relative(findings)
    reporter = table() if (table is not None and fmt == "text") else FINDINGS[fmt]()
    _emit(reporter.render(result, findings, color=_use_color(no_color)))
    floor = SEVERITY_RANK[fail_on]
    raise typer.Exit(1 if any(f.rank >= floor for f in findings) else 0)


def _check_options(fmt: str | None, fail_on: str) -> str:
    from kamtool.report.findings import FINDINGS

    chosen = _ci_format(fmt)
    _choice(chosen, FINDINGS, "--format")
    _choice(fail_on, {"error": 1, "warning": 1, "info": 1}, "--fail-on")
    return chosen


@app.command()
def check(
    paths: PathsArg = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    fmt: FormatOpt = None,
    fail_on: FailOnOpt = "error",
    no_color: NoColorOpt = False,
    examples: ExamplesOpt = False,
) -> None:
    """Every finding of the rule catalogue; exit 1 at or above --fail-on."""
    chosen = _check_options(fmt, fail_on)
    result = _run(paths, config, today, examples)
    _report_findings(result, result.findings, chosen, fail_on, no_color)


@app.command()
def stale(
    paths: PathsArg = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    fmt: FormatOpt = None,
    fail_on: FailOnOpt = "error",
    no_color: NoColorOpt = False,
    examples: ExamplesOpt = False,
) -> None:
    """Freshness findings only (KAM201-KAM204), most overdue first."""
    from kamtool.catalogue import FRESHNESS
    from kamtool.report.findings import StaleTableReporter

    chosen = _check_options(fmt, fail_on)
    result = _run(paths, config, today, examples)
    findings = [f for f in result.findings if f.code in FRESHNESS]
    _report_findings(result, findings, chosen, fail_on, no_color, table=StaleTableReporter)


@app.command()
def diff(
    base: Annotated[
        str | None, typer.Argument(help="Base revision (default HEAD); also A..B or A...B.")
    ] = None,
    head: Annotated[
        str | None, typer.Argument(help="Head revision (default: the working tree).")
    ] = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text, markdown (for a PR comment) or json.")
    ] = "text",
    fail_on_worse: Annotated[
        bool,
        typer.Option(
            "--fail-on-worse", help="Exit 1 when a score dropped or a new error appeared."
        ),
    ] = False,
    include_personal: Annotated[
        bool,
        typer.Option(
            "--include-personal", help="Show what changed under personal: (hidden by default)."
        ),
    ] = False,
) -> None:
    """What changed in the relationships between two git revisions."""
    from kamtool.analyse.diff import run_diff
    from kamtool.core import ConfigError, UsageError
    from kamtool.report.diff import DIFFS

    _choice(fmt, DIFFS, "--format")
    try:
        result = run_diff(
            base, head, config_path=config, today=today, include_personal=include_personal
        )
    except UsageError as exc:
        _fail(str(exc))
    except ConfigError as exc:
        _config_error(exc)
    _emit(DIFFS[fmt]().render(result))
    raise typer.Exit(1 if fail_on_worse and result.worse else 0)


def _date_opt(value: str | None, name: str, default: Any) -> Any:
    import datetime as dt

    if value is None:
        return None
    if value.strip().lower() == "today":
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"{name} must be a date YYYY-MM-DD, not {value!r}")


def _settings(config: Path | None, today: str | None = None) -> Any:
    """core.settings with its problems as one-line errors (exit 2)."""
    from kamtool.core import ConfigError, UsageError, settings

    try:
        return settings(config, today)
    except UsageError as exc:
        _fail(str(exc))
    except ConfigError as exc:
        _config_error(exc)


@app.command()
def touch(
    account: Annotated[str, typer.Argument(help="Account id (its folder name).")],
    person: Annotated[str, typer.Argument(help="Stakeholder id.")],
    contact: Annotated[
        str | None,
        typer.Option(
            "--contact",
            help="Set last_contact: YYYY-MM-DD or 'today'. Without options: last_contact today.",
        ),
    ] = None,
    reviewed: Annotated[
        str | None, typer.Option("--reviewed", help="Set reviewed: YYYY-MM-DD or 'today'.")
    ] = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
) -> None:
    """Record a contact or a review in place, keeping every other byte of the file."""
    from kamtool.core import UsageError
    from kamtool.write.touch import touch as do_touch

    st = _settings(config, today)
    day = st.today
    values = {}
    c = _date_opt(contact, "--contact", day)
    r = _date_opt(reviewed, "--reviewed", day)
    if c is None and r is None:
        c = day
    if c is not None:
        values["last_contact"] = c
    if r is not None:
        values["reviewed"] = r
    root = st.accounts_dir
    folder = root / account
    if not folder.is_dir():
        _fail(f"no account {account!r} in {root.as_posix()}", 1)
    try:
        result = do_touch(folder, person, values)
    except UsageError as exc:
        _fail(str(exc), 1)
    if not result.changed:
        typer.echo(f"{account}/{person}: already up to date")
    for field, (old, new) in result.changed.items():
        typer.echo(f"{account}/{person}: {field} {old or '-'} -> {new}")


@app.command()
def init(
    account: Annotated[str, typer.Argument(help="New account id (becomes the folder name).")],
    name: Annotated[str | None, typer.Option("--name", help="Customer name.")] = None,
    owner: Annotated[
        str, typer.Option("--owner", help="Our account manager's handle.")
    ] = "your.name",
    config: ConfigOpt = None,
    today: TodayOpt = None,
) -> None:
    """Scaffold accounts/ID/ with commented files; never overwrites."""
    from kamtool.core import UsageError
    from kamtool.write.scaffold import init_account

    st = _settings(config, today)
    schema_dir = (st.config_path.parent if st.config_path else st.cwd) / "schemas"
    try:
        written = init_account(st.accounts_dir, account, name, owner, st.today, schema_dir)
    except UsageError as exc:
        _fail(str(exc), 1)
    for p in written:
        typer.echo(f"created {p.as_posix()}")
    typer.echo("next: fill in position, value and the stakeholders, then run `kam validate`")


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write one .schema.json per file kind here."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace existing schema files.")] = False,
) -> None:
    """JSON Schema (draft 2020-12) for each file kind and for kam.yaml."""

    from kamtool.core import UsageError
    from kamtool.write.scaffold import schemas, write_schemas

    if output is None:
        from kamtool.report.jsonout import dumps

        _emit(dumps(schemas()))
        return
    try:
        for p in write_schemas(output, force):
            typer.echo(f"wrote {p.as_posix()}")
    except UsageError as exc:
        _fail(str(exc), 1)


def _one_account(account_id: str, config: Path | None, today: str | None, examples: bool) -> Any:
    """Load one account by id from the accounts folder; a missing or broken one exits 1."""
    from kamtool.core import examples_dir

    root = examples_dir() if examples else _settings(config, today).accounts_dir
    folder = root / account_id
    if not (folder.is_dir() and (folder / "account.yaml").exists()):
        _fail(f"no account {account_id!r} in {root.as_posix()}", 1)
    result = _run([folder], config, today, keep="all")
    acct = result.accounts[0]
    if not acct.valid:
        for f in acct.findings:
            typer.echo(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}", err=True)
        _fail(f"account {account_id!r} has errors: fix them first (kam validate)", 1)
    return result, acct


@app.command("map")
def map_(
    account: Annotated[str, typer.Argument(help="Account id.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="tree, mermaid or dot.")] = "tree",
    quadrant: Annotated[
        bool, typer.Option("--quadrant", help="Intimacy x support as a Mermaid quadrantChart.")
    ] = False,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    no_color: NoColorOpt = False,
    examples: ExamplesOpt = False,
) -> None:
    """The power map: reporting lines, influence, roles and attitudes."""
    from kamtool.report import powermap

    _choice(fmt, {"tree": 1, "mermaid": 1, "dot": 1}, "--format")
    _result, acct = _one_account(account, config, today, examples)
    if quadrant:
        _emit(powermap.quadrant(acct.account))
    elif fmt == "mermaid":
        _emit(powermap.mermaid(acct.account))
    elif fmt == "dot":
        _emit(powermap.dot(acct.account))
    else:
        _emit(powermap.tree(acct.account, color=_use_color(no_color)))


@app.command()
def plan(
    account: Annotated[str, typer.Argument(help="Account id.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the plan to this file.")
    ] = None,
    template_dir: Annotated[
        Path | None,
        typer.Option(
            "--template-dir", help="Templates that override the built-in ones by file name."
        ),
    ] = None,
    include_personal: Annotated[
        bool,
        typer.Option("--include-personal", help="Include personal: details (left out by default)."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing output file.")
    ] = False,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    examples: ExamplesOpt = False,
) -> None:
    """The annual three-piece set as Markdown: assessment, target task book, action plan."""
    from kamtool.core import templates_dir
    from kamtool.report.plan import TemplateProblem, context, render

    result, acct = _one_account(account, config, today, examples)
    dirs = []
    if template_dir is not None:
        if not template_dir.is_dir():
            _fail(f"no template folder {template_dir}")
        dirs.append(template_dir)
    base = result.config_path.parent if result.config_path else Path.cwd()
    if (base / "templates").is_dir():
        dirs.append(base / "templates")
    dirs.append(templates_dir())
    try:
        text = render(context(result, acct, include_personal=include_personal), dirs)
    except TemplateProblem as exc:
        _fail(f"template error: {exc}")
    if output is None:
        _emit(text)
        return
    from kamtool.write.atomic import WriteError, atomic_write

    try:
        atomic_write(output, text.encode("utf-8"), overwrite=force)
    except WriteError as exc:
        _fail(str(exc), 1)
    typer.echo(f"wrote {output.as_posix()}")


@app.command()
def portfolio(
    paths: PathsArg = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or markdown.")] = "table",
    no_color: NoColorOpt = False,
    examples: ExamplesOpt = False,
) -> None:
    """All accounts: tiers and revenue shares, position x value matrix, scores, shortfalls."""
    from kamtool.analyse import portfolio as pf

    _choice(fmt, {"table": 1, "json": 1, "markdown": 1}, "--format")
    result = _run(paths, config, today, examples, keep="grades")
    summary = pf.summarise(result)
    if fmt == "json":
        _emit(pf.render_json(summary))
    elif fmt == "markdown":
        _emit(pf.render_markdown(summary))
    else:
        _emit(pf.render_table(summary, color=_use_color(no_color)))


import_app = typer.Typer(
    name="import",
    help="Create or update people from another tool's export.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(import_app, name="import")


@import_app.command("csv")
def import_csv(
    file: Annotated[Path, typer.Argument(help="The CRM's contact export (CSV).")],
    account: Annotated[
        str, typer.Option("--account", help="The account the contacts belong to (id or folder).")
    ],
    map_: Annotated[
        str | None,
        typer.Option(
            "--map",
            help="salesforce, hubspot, or a MAP.yaml naming the columns (default: recognised "
            "from the header).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """Create or update people in stakeholders.yaml from a CRM contact export.

    Matched by crm_id, else by exact name; new people get attitude "?"; only title,
    reports_to, unit and crm_id of existing people change. Nothing is written when any row
    has a problem."""
    from kamtool.load.accounts import base_for, display_path, load_account
    from kamtool.load.csvimport import BUILT_IN, ExportError, MapError, read_export
    from kamtool.report.importing import problem_lines, render_import
    from kamtool.write.atomic import WriteError, atomic_write
    from kamtool.write.importer import ImportError_, prepare

    st = _settings(config, today)
    colmap = None
    if map_ is not None and map_.lower() in BUILT_IN:
        colmap = BUILT_IN[map_.lower()]
    elif map_ is not None:
        from kamtool.load.csvimport import load_map

        map_path = Path(map_)
        if not map_path.is_file():
            _fail(f"--map {map_!r}: use {', '.join(BUILT_IN)} or the path of a MAP.yaml file")
        try:
            colmap = load_map(map_path, display_path(map_path, st.cwd))
        except MapError as exc:
            for f in exc.findings:
                typer.echo(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}", err=True)
            _fail("invalid import map")
    folder = st.accounts_dir / account
    if not (folder / "account.yaml").is_file():
        _fail(f"no account {account!r} in {st.accounts_dir.as_posix()}", 1)
    acct = load_account(folder, st.config, base_for(st.config_path, st.cwd), st.cwd)
    if not acct.valid:
        _echo_findings([f for f in acct.findings if f.severity == "error"])
        _fail(f"account {account!r} has errors: fix them first (nothing imported)", 1)
    shown = display_path(file, st.cwd)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        _fail(f"cannot read {shown}: {exc.strerror or exc}", 1)
    try:
        export, colmap = read_export(raw, shown, colmap)
        prepared = prepare(acct, export, colmap, st.config, st.today, diff=dry_run)
    except ExportError as exc:
        for line in problem_lines(shown, exc.problems):
            typer.echo(line, err=True)
        _fail(f"cannot import {shown}: nothing written", 1)
    except ImportError_ as exc:
        _fail(f"{exc}", 1)
    errors = prepared.plan.errors
    if errors:
        for line in problem_lines(shown, errors):
            typer.echo(line, err=True)
        _fail(f"{len(errors)} problem(s) in {shown}: nothing imported", 1)
    if prepared.breaks:
        _echo_findings(prepared.breaks)
        _fail("the import would leave the account with errors: nothing written", 1)
    if prepared.changed and not dry_run:
        try:
            atomic_write(
                prepared.path, prepared.after_bytes, overwrite=True, expect=prepared.before_bytes
            )
        except WriteError as exc:
            _fail(str(exc), 1)
    _emit(render_import(prepared, export, colmap, dry_run=dry_run, today=st.today))


def _echo_findings(findings: list[Any]) -> None:
    for f in findings:
        typer.echo(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message} ({f.severity})", err=True)


def main() -> None:
    """Entry point: never a traceback for the user."""
    # kam uses no pydantic plugin; looking for them scans every installed package's
    # entry points at the first model, a cost each run would pay before any work.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # A kam run lasts seconds and what it builds (parsed files, models, findings, reports)
    # holds no reference cycles worth collecting before it exits: the cyclic collector's
    # passes over the imports and the loaded accounts cost 15% of a small run's time.
    gc.disable()
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("kam: interrupted\n")
        sys.exit(130)
    except Exception as exc:  # pragma: no cover - the last line of defence
        if os.environ.get("KAM_DEBUG"):
            raise
        sys.stderr.write(
            f"kam: internal error: {type(exc).__name__}: {exc} (set KAM_DEBUG=1 for details)\n"
        )
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
