"""The ``kam`` command: parses arguments, calls the core, prints a reporter's output.

Start-up matters (kam runs in pre-commit hooks): this module imports only typer
and the standard library; each command imports what it needs when it runs.
"""

import datetime as dt
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer._click.exceptions import UsageError as ClickUsageError  # typer's own click
from typer.core import TyperGroup

from kamtool import __version__
from kamtool.helptext import HelpFormatter, format_help, short_help  # light
from kamtool.i18n import N_, _, before_after, listed, ngettext, os_reason, quoted
from kamtool.report.registry import (  # names only: reporters load lazily
    CI_FORMATS,
    FORMAT_NAMES,
    MAPS,
    PORTFOLIO,
    QUADRANT,
)


def _formats(kind: str, sentence: str = N_("{choices}.")) -> str:
    """The help of ``--format``: the names of one reporter table as a list in
    ``sentence`` (translated with the list when --help is shown in another language)."""
    return format_help(sentence, choices=FORMAT_NAMES[kind])


if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Sequence

    from rich.progress import Progress, TaskID
    from typer._click.core import Command, Context, Parameter  # typer's own click
    from typer._click.exceptions import NoSuchOption
    from typer._click.formatting import HelpFormatter as ClickHelpFormatter
    from typer.core import _TyperParameter

    from kamtool.analyse.grading import Grade
    from kamtool.core import AccountResult, RunResult
    from kamtool.errors import KamError, NoAccountsFolder, NotFound, NothingRead
    from kamtool.findings import Finding
    from kamtool.load.accounts import Account
    from kamtool.load.locate import Workspace
    from kamtool.load.models import Stakeholder
    from kamtool.load.yamlread import YamlData
    from kamtool.report.findings import FindingsReporter


class _KamContext(typer.Context):
    """A run's context: its ``--help`` and usage lines are laid out by kam's formatter
    (in the output language, measured in terminal cells)."""

    formatter_class = HelpFormatter


class _KamGroup(TyperGroup):
    """Every command runs inside this: a KamError becomes its findings, one line
    ``kam: error: ...`` and its exit code (the one handler of SPEC 5's exit codes)."""

    context_class = _KamContext

    def get_command(self, ctx: "Context", cmd_name: str) -> "Command | None":
        """Every command, those added later included, takes ``--lang`` (SPEC 5) and
        prints its help through kam's formatter."""
        command = super().get_command(ctx, cmd_name)
        if command is not None and not any(p.name == "lang" for p in command.params):
            command.params.append(_lang_option(self))
        if command is not None:
            command.context_class = _KamContext
        return command

    def format_commands(self, ctx: "Context", formatter: "ClickHelpFormatter") -> None:
        """The list of commands, each with the first sentence of its help in the output
        language (typer cuts the English help by characters, which a translation
        would not fit)."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, short_help(command.help)))
        if rows:
            with formatter.section(N_("Commands")):
                formatter.write_dl(rows)

    def resolve_command(
        self, ctx: "Context", args: list[str]
    ) -> "tuple[str | None, Command | None, list[str]]":
        """An unknown command suggests the commands a slip of the keyboard away
        (``errors.close_options``), as an unknown option does: typer's difflib took
        ``kam report`` for ``import``."""
        try:
            return super().resolve_command(ctx, args)
        except ClickUsageError as exc:
            cut = exc.message.find(". Did you mean ")
            if args and exc.message.startswith("No such command") and cut != -1:
                exc.message = exc.message[: cut + 1]
            if args and exc.message.startswith("No such command"):
                from kamtool.errors import close_options

                names = [n for n in self.list_commands(ctx) if not self.commands[n].hidden]
                close = close_options(args[0], names)
                if close:
                    exc.message = exc.message.rstrip(".") + ". Did you mean {}?".format(
                        ", ".join(repr(n) for n in close)
                    )
            raise

    def parse_args(self, ctx: "Context", args: list[str]) -> list[str]:
        """The output language is settled here, before any option is parsed or checked,
        so that every message (a bad option, a bad date, click's own usage errors) is in
        it; ``kam --version`` reads nothing."""
        if ctx.parent is None:
            from kamtool import i18n

            i18n.reset()  # a new run (tests run many in one process)
            if "--version" not in args:  # (which suggests nothing: no import at start-up)
                from kamtool import suggest

                suggest.begin()  # what the commands it suggests repeat: its options, below
                _settle_language(args)
            args = _globals_after_command(args)
        try:
            return super().parse_args(ctx, args)
        except ClickUsageError as exc:
            _usage_error(exc)

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        from kamtool.errors import KamError

        try:
            return super().invoke(ctx)
        except ClickUsageError as exc:  # a command's own options, parsed in here
            _usage_error(exc)
        except KeyboardInterrupt:
            # typer ends a run on Ctrl-C with a bare exit 130: the user is told why it ended
            # (and, with stdout sent to a file, that the file is incomplete)
            _interrupted()
        except KamError as exc:
            _print_error(exc)
            ctx.exit(exc.exit_code)
        except RecursionError:
            _print_plain(
                _("kam: error: {message}").format(
                    message=_(
                        "the data nests too deeply to process (a cycle or a chain of over 1,000 levels?)"
                    )
                )
            )
            ctx.exit(2)

    def main(self, *args: Any, **kwargs: Any) -> Any:  # click's signature
        """The whole run, however it ends (``--version``, a usage error while the options
        are parsed, an exit): what it suggests and the language it chose (``--lang``,
        kam.yaml) are forgotten with it, so that a library call or another run in the same
        process suggests and speaks from its own context."""
        try:
            return super().main(*args, **kwargs)
        finally:
            suggest = sys.modules.get("kamtool.suggest")  # imported by the runs that use it
            if suggest is not None:
                suggest.end()
            i18n = sys.modules.get("kamtool.i18n")
            if i18n is not None:
                i18n.reset()


#: SPEC 5's global options, which every command that reads accounts takes, and
#: ``--examples`` (the README's common options): given before the command's name
#: (``kam --today 2026-12-01 grade``, as git takes ``git -C``), they are passed on to it;
#: a command without the option refuses it as usual
_GLOBAL_VALUE_OPTIONS = ("--config", "--today", "--format", "-f")
_GLOBAL_FLAGS = ("--no-color", "--examples")


def _globals_after_command(args: list[str]) -> list[str]:
    """``kam --today D --no-color grade X`` read as ``kam grade --today D --no-color X``."""
    before: list[str] = []
    moved: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--" or not arg.startswith("-"):  # the command's name (or no command)
            if not moved or arg == "--":
                return args
            # at the end (before a ``--``): a group's command (``import csv``) takes them
            # after its own name, and click reads options among the arguments anywhere
            rest = args[i:]
            cut = rest.index("--") if "--" in rest else len(rest)
            return [*before, *rest[:cut], *moved, *rest[cut:]]
        name = arg.split("=", 1)[0]
        takes_value = "=" not in arg and name in (*_GLOBAL_VALUE_OPTIONS, "--lang")
        step = 2 if takes_value else 1
        if name in _GLOBAL_VALUE_OPTIONS or name in _GLOBAL_FLAGS:
            moved += args[i : i + step]
        else:
            before += args[i : i + step]
        i += step
    return args


def _early_options(args: list[str]) -> tuple[str | None, str | None]:
    """The values of ``--lang`` and ``--config`` in the raw arguments (the last one given
    wins, as when click parses them; nothing after ``--``)."""
    found: dict[str, str | None] = {"--lang": None, "--config": None}
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            break
        for name in found:
            if arg == name:
                found[name] = next(rest, None)
            elif arg.startswith(name + "="):
                found[name] = arg[len(name) + 1 :]
    return found["--lang"], found["--config"]


def _settle_language(args: list[str]) -> None:
    """This run's output language, from the raw arguments and kam.yaml's ``language``
    alone (read without loading the rest: an invalid kam.yaml still speaks it), before
    click checks a single option. The options themselves set it again when parsed."""
    from kamtool import i18n

    lang, config = _early_options(args)
    chosen = i18n.normalise(lang) if lang is not None else None
    if chosen is not None:
        i18n.use(chosen)
        return  # --lang wins; an unknown one is refused in kam.yaml's language below
    from kamtool.load.locate import config_language, find_config_for

    try:
        here = Path(os.path.abspath(os.getcwd()))
    except OSError:  # the current folder is gone: the command says so in English
        return
    i18n.configure(config_language(find_config_for(config, here)))


def _usage_error(exc: "ClickUsageError") -> NoReturn:
    """click's usage errors (an unknown option, a missing argument, a value of the wrong
    type) in the output language: click's own text in English, else the same lines
    translated, ending in ``kam: error: ...`` like kam's own usage errors (exit 2); in
    either, fitted to a narrow terminal at its words, as every message of kam's is (the
    terminal cut ``kam rules`` into ``kam r`` / ``ules`` at 40 columns)."""
    from typer._click import exceptions as ce

    from kamtool import i18n

    if isinstance(exc, ce.NoSuchOption):
        _options_meant(exc)
    if isinstance(exc, ce.NoArgsIsHelpError):
        raise exc
    english = i18n.current() == i18n.DEFAULT
    lines = []
    if exc.ctx is not None:
        lines.append(exc.ctx.get_usage())  # in the output language (kam's formatter)
        if exc.ctx.command.get_help_option(exc.ctx) is not None:
            lines.append(
                _("Try '{command} {option}' for help.").format(
                    command=exc.ctx.command_path, option=exc.ctx.help_option_names[0]
                )
            )
        lines.append("")
    if english:  # click's own words, as click writes them; fitted to a narrow terminal
        lines.append(f"Error: {exc.format_message()}")
    else:
        lines.append(_("kam: error: {message}").format(message=_click_message(exc)))
    _print_plain("\n".join(lines))
    raise typer.Exit(exc.exit_code)


def _options_meant(exc: "NoSuchOption") -> None:
    """The message of an unknown option, in the output language, with what it suggests:
    the command's options a slip of the keyboard away (``errors.close_options``:
    ``--fromat`` is ``--format``, ``--out`` the start of ``--output``), else every option
    the command takes. click's own suggestions (difflib) named options that only share
    letters: ``kam plan --format`` got "Possible options: --force", ``--fromat`` also
    ``--bom``."""
    from kamtool.errors import close_options

    exc.possibilities = None  # click's own "(Possible options: ...)" is not added
    ctx = exc.ctx
    if ctx is None:
        exc.message = _("No such option: {option}").format(option=exc.option_name)
        return
    options = [
        p for p in ctx.command.params if isinstance(p, typer.core.TyperOption) and not p.hidden
    ]
    names = [name for p in options for name in (*p.opts, *p.secondary_opts)]
    if ctx.command.get_help_option(ctx) is not None:
        names += ctx.help_option_names
    by_word = {name.lstrip("-"): name for name in names if name.startswith("--")}
    typed = exc.option_name.lstrip("-")
    close = [by_word[w] for w in close_options(typed, by_word)] if typed else []
    if close:
        exc.message = _("No such option: {option}; did you mean {options}?").format(
            option=exc.option_name, options=listed(close, "or")
        )
        return
    exc.message = _("No such option: {option} ({command} takes {options})").format(
        option=exc.option_name,
        command=ctx.command_path,
        # the long form of each option, once (-o/--output is --output)
        options=listed(dict.fromkeys(max(p.opts, key=len) for p in options)),
    )


def _param_name(param: "_TyperParameter") -> str:
    """A parameter as click names it in its errors ('PERSON', '--days'), the quoted part
    quoted as every name a user reads is (``i18n.quoted``: “PERSON” in Chinese)."""
    import re

    return re.sub(r"'([^']*)'", lambda m: quoted(m.group(1)), param.get_error_hint())


def _click_message(exc: "ClickUsageError") -> str:
    """What a click usage error says, translated (its English text when it is one kam
    does not know)."""
    import re

    from typer._click import exceptions as ce

    if isinstance(exc, ce.NoSuchOption):
        return exc.message  # in the output language (_options_meant)
    if isinstance(exc, ce.MissingParameter) and exc.param is not None:
        name = _param_name(exc.param)
        if exc.param.param_type_name == "argument":
            return _("missing argument {name}").format(name=name)
        return _("missing option {name}").format(name=name)
    if isinstance(exc, ce.BadParameter) and exc.param is not None:
        name = _param_name(exc.param)
        return _("invalid value for {name}: {problem}").format(name=name, problem=exc.message)
    if isinstance(exc, ce.BadOptionUsage) and "requires" in exc.message:
        return _("option {option} needs a value").format(option=exc.option_name)
    if isinstance(exc, ce.BadOptionUsage) and "does not take a value" in exc.message:
        return _("option {option} takes no value").format(option=exc.option_name)
    extra = re.fullmatch(r"Got unexpected extra argument\(s\) \((.*)\)", exc.message, re.S)
    if extra:
        return _("unexpected extra arguments: {arguments}").format(arguments=extra.group(1))
    if exc.message == "Missing command.":  # of kam, or of a group such as ``kam import``
        path = exc.ctx.command_path if exc.ctx is not None else "kam"
        return _("missing command ({help} lists them)").format(help=f"{path} -h")
    command = re.fullmatch(r"No such command '(.*?)'\.(?: Did you mean '(.*)'\?)?", exc.message)
    if command:
        # click names every close command ("'check', 'schema'"), the closest first
        close = command.group(2)
        hint = _("; did you mean {name!r}?").format(name=close.split("', '")[0]) if close else ""
        return _("no such command {name!r}").format(name=command.group(1)) + hint
    return exc.format_message()


def _set_lang(_ctx: "Context | None", _param: "Parameter | None", value: str | None) -> None:
    """``--lang``: the output language of this run, over kam.yaml and the locale."""
    if value is None:
        return
    from kamtool import i18n

    language = i18n.normalise(value)
    if language is None:
        _choice(value, i18n.LANGUAGES, "--lang")
    i18n.use(language)


def _lang_option(group: TyperGroup) -> "Parameter":
    """The group's own ``--lang`` (built by typer, so it fits the click typer runs on),
    copied for a command: eager, setting the language before anything is printed."""
    import copy

    option = copy.copy(next(p for p in group.params if p.name == "lang"))
    option.expose_value = False
    option.is_eager = True
    option.callback = _set_lang
    return option


app = typer.Typer(
    name="kam",
    cls=_KamGroup,
    help=N_("Key account management on plain YAML files in git."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

PathsArg = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="PATH",
        help=N_(
            "Account ids, account folders or accounts folders (default: every account "
            "of the accounts folder, found from kam.yaml or the repository root)."
        ),
        show_default=False,
    ),
]


def _path(option: str) -> "Callable[[str | Path], Path]":
    """The parser (typer's ``parser=``) of every option and argument that takes a path:
    typer reads an empty one as ``Path("")``, the current folder, so that
    ``--template-dir "$DIR"`` with the variable unset took the current folder for the
    templates, ``schema -o ""`` wrote its files there and ``plan -o ""`` blamed a symbolic
    link. An empty path is a usage error naming ``option`` instead (exit 2)."""

    def parse(value: str | Path) -> Path:
        if isinstance(value, Path):  # a default
            return value
        if not value.strip():
            from kamtool.errors import UsageError

            raise UsageError(
                _(
                    "{option} is empty ({value!r}): name a file or folder; an unset "
                    "variable gives an empty argument"
                ).format(option=option, value=value)
            )
        return Path(value)

    return parse


def _remember_config(value: Path | None) -> Path | None:
    """``--config``: the commands this run suggests repeat it (``kamtool.suggest``)."""
    from kamtool import suggest

    suggest.remember(config=value)
    return value


def _remember_examples(value: bool) -> bool:
    """``--examples``: the commands this run suggests repeat it where they take it."""
    from kamtool import suggest

    suggest.remember(examples=value)
    return value


ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help=N_("kam.yaml to use (default: the nearest kam.yaml up to the repository root)."),
        callback=_remember_config,
        parser=_path("--config"),
    ),
]


def _today_option(value: str) -> str:
    """The parser of ``--today``: a bad date is told here, named as the option the user
    typed (``--today must be a date YYYY-MM-DD``), as ``--date`` is; the library, which
    reads it again, names its parameter ``today``. The text is passed on unchanged."""
    from kamtool.load.locate import parse_today

    parse_today(value, "--today")
    return value


TodayOpt = Annotated[
    str | None,
    typer.Option(
        "--today",
        metavar="DATE",
        help=N_(
            "Date to judge freshness against, YYYY-MM-DD (else the environment variable "
            "KAM_TODAY, else the system date)."
        ),
        show_default=False,
        parser=_today_option,
    ),
]
NoColorOpt = Annotated[
    bool, typer.Option("--no-color", help=N_("No colours (also: NO_COLOR set)."))
]
ExamplesOpt = Annotated[
    bool,
    typer.Option(
        "--examples",
        help=N_("Use the example accounts shipped with kam."),
        callback=_remember_examples,
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help=N_("Replace an existing output file."))]
BomOpt = Annotated[
    bool | None,
    typer.Option(
        "--bom/--no-bom",
        help=N_(
            "With --format csv: a byte-order mark at the start, which Excel needs to read the "
            "UTF-8 (Chinese names) right. By default there is one when the output goes to a "
            "file (> grades.csv), none when a program reads it (a pipe) or on a terminal."
        ),
        show_default=False,
    ),
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
            "--version", callback=_version, is_eager=True, help=N_("Show the version and exit.")
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="LANG",
            help=N_("Output language: en or zh-CN (else kam.yaml language, else LANG)."),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Validate, grade, plan and gate key-account files kept in git."""
    _set_lang(None, None, lang)  # the language was settled from the arguments (parse_args)


# ---------------------------------------------------------------- plumbing
def _print_plain(text: str) -> None:
    """A message on stderr, fitted to the terminal when stderr is one (or to ``COLUMNS``)."""
    from kamtool.report.term import fit_lines, limited, output_width

    width = output_width(sys.stderr)
    if limited(width):
        text = "\n".join(fit_lines(text.split("\n"), width))
    from kamtool.report.escape import inert_commands

    sys.stderr.write(inert_commands(text) + "\n")


def _finding_lines(findings: "list[Finding]") -> str:
    """Findings for stderr, each with its hint; wrapped like `kam check`'s text when stderr
    is a terminal (or under ``COLUMNS``), one line each into a file or a pipe."""
    from kamtool.report.findings import finding_lines
    from kamtool.report.term import output_width

    width = output_width(sys.stderr)
    return "\n".join(line for f in findings for line in finding_lines(f, width))


def _print_error(exc: "KamError") -> None:
    if exc.findings:
        _print_plain(_finding_lines(exc.findings))
    _print_plain(_("kam: error: {message}").format(message=exc.message))


def _fail(message: str, code: int = 2) -> NoReturn:
    from kamtool.errors import KamError

    error = KamError(message)
    error.exit_code = code
    raise error


def _use_color(no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def _workspace(
    config: Path | None,
    today: str | None,
    examples: bool = False,
    named: "Sequence[str | None]" = (),
) -> "Workspace":
    """The workspace of this run; with ``--examples`` its accounts folder is kam's example
    accounts, so that ids name example accounts in every command that reads them.
    ``named``: the command's account arguments, whose kam.yaml the run reads
    (``locate.workspace``)."""
    from kamtool.load.locate import workspace
    from kamtool.parallel import env_jobs

    # KAM_JOBS is refused when malformed by every command that reads the repository, not
    # only by those that happen to run workers: `KAM_JOBS=two kam agenda` passed
    env_jobs()
    args = [] if examples else [a for a in named if a is not None]
    ws = workspace(config, today, named=args)
    if examples:
        from dataclasses import replace

        from kamtool.core import examples_dir

        ws = replace(ws, accounts_dir=examples_dir())
    return ws


def _run(
    paths: list[str] | None,
    config: Path | None,
    today: str | None,
    examples: bool = False,
    rules: bool = True,
    keep: str = "findings",
    fmt: str | None = None,
) -> "RunResult":
    """Load and analyse the named accounts (ids, folders; default all).

    keep: what each account's result keeps (see core.run): "findings" by default,
    "grades" for grade and portfolio, "all" for plan and map. ``fmt``: the findings
    format asked for; the fingerprints of SARIF and GitLab need people's names."""
    from kamtool.core import examples_dir, run

    return run(
        list(paths or []),
        config_path=config,
        today=today,
        rules=rules,
        progress=_progress_bar(),
        keep=keep,
        accounts=examples_dir() if examples else None,
        names=fmt in ("sarif", "gitlab"),
    )


def _broken(result: "RunResult") -> "list[Finding]":
    """The error findings of the accounts that did not load (SPEC 7: a gate never passes
    by not looking): every command that reads accounts shows them and exits 1."""
    return [f for a in result.accounts if not a.valid for f in a.findings if f.severity == "error"]


def _report_broken(result: "RunResult") -> int:
    """Show the accounts that did not load on stderr; 1 when there are any."""
    broken = _broken(result)
    if not broken:
        return 0
    from kamtool import suggest

    _print_plain(_finding_lines(broken))
    names = sorted({f.account or f.path for f in broken})
    unread = sorted((a.account for a in result.accounts if not a.valid), key=lambda a: a.id)
    command = suggest.command(
        "validate", *(suggest.account(a.id, a.folder, "validate") for a in unread)
    )
    _print_plain(
        ngettext(
            "kam: {n} account could not be read ({names}): fix it ({command})",
            "kam: {n} accounts could not be read ({names}): fix them ({command})",
            len(names),
        ).format(n=len(names), names=listed(names), command=command)
    )
    return 1


class _ProgressBar:
    """A rich progress bar on stderr, shown only for large runs in a terminal."""

    def __init__(self) -> None:
        self.bar: Progress | None = None
        self.task: TaskID  # set with the bar

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < 50:  # about 200 files
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(_("checking accounts"), total=total)
        self.bar.update(self.task, completed=done)
        if done >= total:
            self.bar.stop()


def _progress_bar() -> "_ProgressBar | None":
    """A bar where it can be redrawn: a terminal that moves the cursor (not ``TERM=dumb``,
    where rich left a stray empty line on stderr instead), outside CI."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return None
    return _ProgressBar() if sys.stderr.isatty() else None


#: the formats a person reads in a terminal, written in the terminal's encoding; every
#: other one is data for a program or a file (JSON, SARIF, JUnit, GitLab, a runner's
#: workflow commands, Markdown, Mermaid, DOT, iCalendar, CSV), written in UTF-8 whatever
#: the locale says, as each of them is defined to be: in a Latin-1 locale or a Windows
#: code page, `kam check -f sarif > kam.sarif` wrote "ø" as one byte into a file that
#: declares (XML) or must be (JSON) UTF-8, which its reader then refused
TERMINAL_FORMATS = frozenset({"text", "table", "tree"})


#: formats whose report is one JSON document, which has no line a CI runner reads as a
#: command (``jsonout``): the search for ``::`` took 0.09 s of a neglected portfolio's
#: 60 MB of findings, ``:`` being on nearly every line of it
JSON_FORMATS = frozenset({"json", "sarif", "gitlab"})


def _emit(text: str | bytes, *, commands: bool = False, fmt: str = "text") -> None:
    """A report on stdout in format ``fmt``. No line of it is a CI runner's workflow
    command (``escape.inert_commands``: a name starting a line with ``::error ...``), but
    for ``--format github``, whose commands are the report (``commands``), and a JSON
    document (``JSON_FORMATS``; as bytes, always one), which cannot hold one."""
    if isinstance(text, bytes):
        _emit_bytes(text)
        return
    if not commands and not (fmt in JSON_FORMATS and text.startswith(("{", "["))):
        from kamtool.report.escape import inert_commands

        text = inert_commands(text)
    if fmt not in TERMINAL_FORMATS:
        _emit_bytes(text.encode("utf-8"))
        return
    sys.stdout.write(text)
    sys.stdout.flush()


def _emit_csv(text: str, bom: bool | None) -> None:
    """CSV as UTF-8 whatever the terminal's encoding, after a byte-order mark when it goes
    to a file (or ``--bom``): a CSV file is opened by double-clicking it, and Excel reads
    UTF-8 only after a BOM (without one, Chinese names come out garbled); Excel's own "CSV
    UTF-8" writes one. A program that reads kam's output (``kam grade -f csv | cut ...``,
    ``csv.reader(sys.stdin)``, a test capturing it) would take the mark for the first
    column's name: a pipe, a terminal or any stream that is not a file gets none, unless
    ``--bom`` (``| tee grades.csv``); ``--no-bom`` leaves it out of a file too (docs:
    README, "CSV and Excel")."""
    if bom is None:
        bom = _stdout_is_a_file()
    _emit_bytes(text.encode("utf-8-sig" if bom else "utf-8"))


def _emit_bytes(data: bytes) -> None:
    """UTF-8 bytes on stdout, past its text layer and whatever encoding that has."""
    sys.stdout.flush()
    raw = getattr(sys.stdout, "buffer", None)
    if raw is None:  # a text-only stream put in place of stdout: the text, BOM included
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return
    try:
        raw.write(data)
        raw.flush()
    except OSError as exc:  # past the text stream: its failure is raised here
        from kamtool.streams import failure

        raise failure(exc) from None


def _stdout_is_a_file() -> bool:
    """Whether standard output is redirected into a regular file (``> grades.csv``)."""
    import stat

    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):  # no file descriptor: an in-memory stream
        return False


def _choice(value: str, options: "Collection[str]", option: str) -> None:
    if value not in options:
        from kamtool.errors import did_you_mean

        _fail(
            _("{option} must be one of {choices}, not {value!r}{hint}").format(
                option=option,
                choices=listed(options),
                value=value,
                hint=did_you_mean(value, options),
            )
        )


# ---------------------------------------------------------------- commands
@app.command()
def validate(
    paths: PathsArg = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=_formats(
                "findings", N_("{choices} (github is the default inside GitHub Actions).")
            ),
        ),
    ] = None,
    no_color: NoColorOpt = False,
    examples: ExamplesOpt = False,
) -> None:
    """Check syntax, schema and references only (KAM001-KAM006)."""
    from kamtool.report.findings import FINDINGS

    # inside GitHub Actions annotations by default, as check and stale write them
    fmt = _ci_format(fmt)
    _choice(fmt, FINDINGS, "--format")
    # validate's threshold is error (it has no --fail-on): a KAM007/KAM008 warning is
    # reported, in JUnit as a passing case, and does not fail the run
    result = _gate_run(
        paths, config, today, examples, fmt, rules=False, fail_on="error", command="validate"
    )
    _report_findings(
        result, result.findings, fmt, "error", no_color, examples=examples, command="validate"
    )


@app.command()
def grade(
    paths: PathsArg = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help=_formats("grades"))
    ] = "table",
    explain: Annotated[
        bool, typer.Option("--explain", help=N_("Show every score component with its inputs."))
    ] = False,
    no_color: NoColorOpt = False,
    examples: ExamplesOpt = False,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="HANDLE",
            help=N_("Only the accounts whose account.yaml owner is this handle."),
        ),
    ] = None,
    bom: BomOpt = None,
) -> None:
    """Grade the accounts: tier, relationship score and letter."""
    from kamtool.report.grades import GRADES

    _choice(fmt, GRADES, "--format")
    result = _run(paths, config, today, examples, keep="grades")
    if owner is not None:
        result = _owned_by(result, owner)
    out = GRADES[fmt]().render(result, explain=explain, color=_use_color(no_color))
    if fmt == "csv":
        _emit_csv(out, bom)
    else:
        _emit(out, fmt=fmt)
    raise typer.Exit(_report_broken(result))


def _unknown_handle(handle: str, known: set[str], message: str) -> "NotFound":
    """The one-line error for a handle no account names (``message`` has ``{owner}`` and
    ``{hint}``), with the nearest known handle as a did-you-mean."""
    from kamtool.errors import NotFound, nearest

    near = nearest(handle, sorted(known))
    hint = _("; did you mean {name!r}?").format(name=near) if near else ""
    return NotFound(message.format(owner=handle, hint=hint))


def _may_be_owned_by(account: "Account", owner: str) -> bool:
    """``--owner``'s one rule for whose an account is: its account.yaml names ``owner``
    as the owner, or it could not be read (no known owner: it may be theirs, and a gate
    never passes by not looking). ``grade``, ``stale`` and ``agenda`` keep an account
    that did not load by it."""
    return account.profile is None or account.profile.owner == owner


def _owned_by(result: "RunResult", owner: str) -> "RunResult":
    """``--owner``: the accounts whose account.yaml names ``owner`` as their owner. An
    account whose account.yaml did not load has no known owner: it stays in the report
    (owner "-", not graded), as it may be theirs; a gate never passes by not looking."""
    from dataclasses import replace

    owners = {a.account.profile.owner for a in result.accounts if a.account.profile is not None}
    if owners and owner not in owners:
        raise _unknown_handle(owner, owners, _("no account has {owner!r} as its owner{hint}"))
    return replace(
        result,
        accounts=[a for a in result.accounts if _may_be_owned_by(a.account, owner)],
    )


def _stale_of(result: "RunResult", owner: str, codes: "Collection[str]") -> "RunResult":
    """``kam stale --owner``: the freshness rows ``owner`` owns (the owner column: the
    person's relationship owner, else the account's), in the accounts that have one or
    whose account.yaml names them; an account that did not load stays in as ``grade
    --owner`` keeps it (its account.yaml names them, or cannot be read)."""
    from dataclasses import replace

    def theirs(f: "Finding") -> bool:
        return f.code in codes and isinstance(f.data, dict) and f.data.get("owner") == owner

    known = {a.account.profile.owner for a in result.accounts if a.account.profile is not None}
    known |= {
        str(f.data["owner"])
        for f in result.findings
        if f.code in codes and isinstance(f.data, dict) and f.data.get("owner")
    }
    if known and owner not in known:
        raise _unknown_handle(
            owner, known, _("no account or stale row has {owner!r} as its owner{hint}")
        )
    kept = []
    for a in result.accounts:
        profile = a.account.profile
        if not a.valid:
            if _may_be_owned_by(a.account, owner):
                kept.append(a)
            continue
        rows = [f for f in a.findings if theirs(f)]
        if rows or (profile is not None and profile.owner == owner):
            kept.append(replace(a, findings=rows))
    return replace(result, accounts=kept)


FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help=_formats("findings", N_("{choices} (github is the default inside GitHub Actions).")),
    ),
]
FailOnOpt = Annotated[
    str,
    typer.Option(
        "--fail-on",
        metavar="LEVEL",
        help=N_("Exit 1 on findings at or above: error, warning or info."),
    ),
]


def _ci_format(fmt: str | None) -> str:
    if fmt is not None:
        return fmt
    if os.environ.get("GITHUB_ACTIONS") and os.environ.get("GITHUB_WORKFLOW"):
        return "github"
    return "text"


def _report_findings(
    result: "RunResult",
    findings: "list[Finding]",
    fmt: str,
    fail_on: str,
    no_color: bool,
    table: "Callable[[], FindingsReporter] | None" = None,
    examples: bool = False,
    command: str = "check",
) -> None:
    _emit(
        _rendered(result, findings, fmt, fail_on, no_color, table, examples, command),
        commands=fmt == "github",
        fmt=fmt,
    )
    raise typer.Exit(1 if any(f.fails(fail_on) for f in findings) else 0)


def _rendered(
    result: "RunResult",
    findings: "list[Finding]",
    fmt: str,
    fail_on: str,
    no_color: bool,
    table: "Callable[[], FindingsReporter] | None" = None,
    examples: bool = False,
    command: str = "check",
) -> str | bytes:
    """The findings in ``fmt`` (JSON as UTF-8 bytes), the CI formats with their paths from
    the repository root; ``fail_on``, the run's threshold, decides which of them JUnit
    writes as failures, in a test suite named after the ``command`` (``kam validate``,
    ``kam stale``): a job that runs two of them gets two suites."""
    from kamtool.report.findings import FINDINGS, JsonReporter

    extra: dict[str, object] = {}
    if fmt in CI_FORMATS:
        from kamtool.core import examples_dir
        from kamtool.load.locate import git_root
        from kamtool.report.ci import CiPaths, JunitReporter

        here = Path.cwd()
        # the repository the files are in, wherever kam ran (``--config`` from outside it)
        inside = [*([result.config_path.parent] if result.config_path else []), here]
        inside += [a.account.folder for a in result.accounts[:1]]
        root = next((r for r in map(git_root, inside) if r is not None), None)
        paths = CiPaths(here, root, examples_dir() if examples else None)
        if fmt == "junit":  # names its files itself: its hints read each finding's own path
            return JunitReporter().render(
                result,
                findings,
                paths=paths,
                fail_on=fail_on,
                suite=f"kam {command}",
                rules=command != "validate",
            )
        # fingerprints are made from the path as the CI system reads it
        findings = paths.findings(findings)
        if fmt == "github" and root is not None:
            from kamtool.load.gitio import pull_request_files

            extra["changed"] = pull_request_files(root, os.environ.get("GITHUB_BASE_REF"))
    if fmt == "json" and command != "check":
        from kamtool.catalogue import FRESHNESS, RULES

        # the rules this command reports, of which the document lists those turned off
        extra["rules"] = (
            FRESHNESS
            if command == "stale"
            else [code for code, r in RULES.items() if r.family == "structural"]
        )
    reporter = table() if (table is not None and fmt == "text") else FINDINGS[fmt]()
    if isinstance(reporter, JsonReporter):  # UTF-8 as orjson writes it, never decoded
        return reporter.render_bytes(result, findings, **extra)  # type: ignore[arg-type]
    if fmt == "sarif":
        from kamtool.report.ci import SarifReporter

        if isinstance(reporter, SarifReporter):  # UTF-8 as it is put together, never a text
            return reporter.render_bytes(result, findings)
    kwargs = {"hints": True} if fmt == "text" and table is None else extra
    return reporter.render(result, findings, color=_use_color(no_color), **kwargs)


def _gate_run(
    paths: list[str] | None,
    config: Path | None,
    today: str | None,
    examples: bool,
    fmt: str,
    rules: bool = True,
    keep: str = "findings",
    fail_on: str = "error",
    command: str = "check",
) -> "RunResult":
    """``_run`` for the commands a CI system reads (check, stale, validate). A kam.yaml
    that does not load is a config error (exit 2) in every format; in a format other than
    text its findings are also written in that format, where the CI system reads them: an
    annotation on kam.yaml's line in a pull request, a SARIF result, a failing JUnit case,
    a Code Quality issue, JSON's findings. Text alone, on stderr, left the pull request
    that broke kam.yaml without a mark on it, and an empty SARIF or JUnit file that the
    upload step then failed to read."""
    from kamtool.errors import ConfigError, NoAccountsFolder, NothingRead

    try:
        return _run(paths, config, today, examples, rules=rules, keep=keep, fmt=fmt)
    except (NothingRead, NoAccountsFolder) as exc:
        # no account to read: in a CI format, one error on the folder, so that the report
        # file says why the gate failed rather than being empty (exit 1 or 2 as ever)
        if fmt == "text" or exc.folder is None:
            raise
        _emit_error_finding(exc, _nothing_read_finding(exc), fmt, fail_on, today, examples, command)
    except ConfigError as exc:
        if fmt == "text" or not exc.findings:
            raise

        _emit_error_finding(exc, exc.findings, fmt, fail_on, today, examples, command)


def _nothing_read_finding(exc: "NothingRead | NoAccountsFolder") -> "list[Finding]":
    """The finding of a folder with no account to read (``NothingRead``,
    ``NoAccountsFolder``), on the folder."""
    from kamtool import suggest
    from kamtool.findings import Finding
    from kamtool.load.accounts import display_path
    from kamtool.rule import REGISTRY

    assert exc.folder is not None
    shown = display_path(exc.folder, Path.cwd())
    hint = exc.hint or _(
        "Run `{init}` to start one, or name the folder that holds the accounts."
    ).format(init=suggest.command("init", "ID"))
    return [Finding("KAM006", REGISTRY["KAM006"].severity, shown, 1, 1, exc.summary, hint, None)]


def _emit_error_finding(
    exc: "KamError",
    findings: "list[Finding]",
    fmt: str,
    fail_on: str,
    today: str | None,
    examples: bool,
    command: str,
) -> NoReturn:
    """An error of a gate command (check, stale, validate) that ends the run before any
    account is read, written as ``findings`` in a CI format on stdout, and as ever on
    stderr; exit with the error's code."""
    from kamtool.core import RunResult
    from kamtool.load.config import Config
    from kamtool.load.locate import resolve_today

    where = Path(os.path.abspath(findings[0].path))
    result = RunResult(Config(), where, resolve_today(today), [])
    _emit(
        _rendered(result, findings, fmt, fail_on, True, examples=examples, command=command),
        commands=fmt == "github",
        fmt=fmt,
    )
    # and on stderr as always: a report written to a file (> kam.sarif) leaves the
    # log with the lines that say what to fix
    _print_error(exc)
    raise typer.Exit(exc.exit_code) from None


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
    result = _gate_run(paths, config, today, examples, chosen, fail_on=fail_on)
    _report_findings(result, result.findings, chosen, fail_on, no_color, examples=examples)


@app.command()
def stale(
    paths: PathsArg = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    fmt: FormatOpt = None,
    fail_on: FailOnOpt = "error",
    no_color: NoColorOpt = False,
    examples: ExamplesOpt = False,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="HANDLE",
            help=N_(
                "Only the rows this handle owns: the person's relationship owner, else the "
                "account's owner (the owner column)."
            ),
        ),
    ] = None,
) -> None:
    """Freshness findings only (KAM201-KAM206), errors first, then the most overdue."""
    from kamtool.catalogue import FRESHNESS
    from kamtool.report.findings import StaleTableReporter

    # its text is a table, as grade's, agenda's and portfolio's, which are asked for by
    # that name: `--format table` is the text here too
    chosen = _check_options("text" if fmt == "table" else fmt, fail_on)
    # --owner reads each account's owner from its profile, which "findings" drops
    result = _gate_run(
        paths,
        config,
        today,
        examples,
        chosen,
        keep="findings" if owner is None else "grades",
        fail_on=fail_on,
        command="stale",
    )
    if owner is not None:
        result = _stale_of(result, owner, FRESHNESS)
    findings = [f for f in result.findings if f.code in FRESHNESS]
    if chosen == "text":
        # the table has no room for a file that did not load: those go to stderr, and
        # still fail the run
        if _report_broken(result):
            table = StaleTableReporter().render(
                result, findings, color=_use_color(no_color), unread=_broken(result)
            )
            _emit(table)
            raise typer.Exit(1)
    else:
        findings = sorted([*findings, *_broken(result)], key=lambda f: f.sort_key())
    _report_findings(
        result,
        findings,
        chosen,
        fail_on,
        no_color,
        table=StaleTableReporter,
        examples=examples,
        command="stale",
    )


@app.command()
def diff(
    base: Annotated[
        str | None,
        typer.Argument(
            metavar="BASE",
            help=N_(
                "Base revision (default HEAD); also A..B or A...B; a date YYYY-MM-DD is the "
                "last commit before that day."
            ),
        ),
    ] = None,
    head: Annotated[
        str | None,
        typer.Argument(
            metavar="HEAD", help=N_("Head revision or date (default: the working tree).")
        ),
    ] = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=_formats("diff", N_("{choices} (markdown for a PR comment).")),
        ),
    ] = "text",
    fail_on_worse: Annotated[
        bool,
        typer.Option(
            "--fail-on-worse",
            help=N_(
                "Exit 1 when an account got worse: a lower score, a change marked ▼ (attitude "
                "down, goal lowered, action on a decision maker dropped, opportunity now after its "
                "PBIP...), an account removed, an account that stopped loading, or a new error."
            ),
        ),
    ] = False,
    include_personal: Annotated[
        bool,
        typer.Option(
            "--include-personal", help=N_("Show what changed under personal: (hidden by default).")
        ),
    ] = False,
    no_color: NoColorOpt = False,
) -> None:
    """What changed in the relationships between two git revisions (from any folder of the
    repository). Exits 1 when an account of the head side does not load; the markdown fits
    in one pull-request comment."""
    from kamtool.analyse.diff import run_diff
    from kamtool.report.diff import DIFFS

    _choice(fmt, DIFFS, "--format")
    from kamtool import suggest

    suggest.remember(revisions=tuple(r for r in (base, head) if r is not None))
    _future_dates(today, config, base, head)
    result = run_diff(
        base, head, config_path=config, today=today, include_personal=include_personal
    )
    _follow(result.followed)
    _emit(DIFFS[fmt]().render(result), fmt=fmt)
    _followed_note(result.followed)
    # an account of the head side that does not load fails the run (SPEC 7: a gate never
    # passes by not looking); --fail-on-worse adds every regression
    broken = result.not_loading or result.config_broken
    raise typer.Exit(1 if broken or (fail_on_worse and result.worse) else 0)


def _future_dates(today: str | None, config: Path | None, *revisions: str | None) -> None:
    """A note for each date where a revision goes (``--since``, ``--until``, ``kam diff``'s
    sides) that is after today and after HEAD's last commit: it names the latest commit, so
    "no change since 2027-03-01" read as a quiet quarter when the year was mistyped. A day
    after a ``--today`` pinned in the past that a later commit follows names an earlier
    commit than the latest: no note."""
    import re

    from kamtool.load.gitio import (
        DATE_REV,
        GitError,
        first_parent_commits,
        last_commit_before,
    )
    from kamtool.load.locate import resolve_today

    days = [
        part
        for rev in revisions
        if rev
        for part in re.split(r"\.\.\.?", rev)
        if DATE_REV.fullmatch(part)
    ]
    if not days:
        return
    now = resolve_today(today)
    # HEAD's first parents with their dates, read once a date is after today
    chain: list[tuple[str, str]] | None = None
    for day in dict.fromkeys(days):
        try:
            later = dt.date.fromisoformat(day) > now
        except ValueError:
            continue  # not a date: said where it is read
        if later and chain is None:
            where = config.parent if config is not None else Path.cwd()
            try:
                chain = first_parent_commits(where, "HEAD")
            except (GitError, OSError, ValueError):
                chain = []  # not read: said where the revision is read
        # the latest commit is what the day names (the rule every date where a revision
        # goes follows: last_commit_before), not merely a day after HEAD's own date
        if later and chain and last_commit_before(chain, dt.date.fromisoformat(day)) == chain[0][0]:
            _print_plain(
                _(
                    "kam: note: {date} is after today ({today}): it stands for the latest commit"
                ).format(date=day, today=now.isoformat())
            )


def _follow(followed: str | None) -> None:
    """A kam diff or kam history that followed the accounts to another kam.yaml read them
    as if it had been named: the commands it suggests (``kam check`` under an account that
    does not load, ``kam diff --format text`` under a shortened comment) name it too."""
    if followed is not None:
        from kamtool import suggest

        suggest.remember(config=followed)


def _followed_note(followed: str | None) -> None:
    """The note under a kam diff or kam history that followed the accounts to the kam.yaml
    they moved to (``analyse.diff.follow_moved_portfolio``): where, and how to name it."""
    if followed is None:
        return
    from kamtool import suggest

    _print_plain(
        _(
            "kam: note: no kam.yaml in this folder or above it: the accounts moved to where "
            "{config} reads them and were read there; from here, other commands need it "
            "named ({command})"
        ).format(config=followed, command=suggest.command("check"))  # --config: _follow
    )


@app.command()
def history(
    account: Annotated[
        str | None, typer.Argument(metavar="ID", help=N_("Account id (default: every account)."))
    ] = None,
    person: Annotated[
        str | None,
        typer.Argument(metavar="PERSON", help=N_("A person of that account, by id or exact name.")),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", metavar="DATE|REV", help=N_("Start at this date (YYYY-MM-DD) or revision.")
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="REV|DATE",
            help=N_(
                "End at this revision, or at the last commit before a date YYYY-MM-DD (default HEAD)."
            ),
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=_formats("history", N_("{choices} (markdown with a score chart).")),
        ),
    ] = "table",
    config: ConfigOpt = None,
    today: TodayOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """Tier, score and letter at every commit that changed an account (first-parent
    history), or one person's attitude, intimacy, roles and owner over time. Each revision
    is graded as of its commit date unless --today pins one."""
    from kamtool.analyse.history import run_history
    from kamtool.report.history import HISTORIES

    _choice(fmt, HISTORIES, "--format")
    if person is not None and account is None:
        _fail(_("name the account before the person"))
    _future_dates(today, config, since, until)
    result = run_history(
        account, person, since=since, until=until, today=today or None, config_path=config
    )
    _follow(result.followed)
    if result.start_note is not None:
        _print_plain(_("kam: note: {note}").format(note=result.start_note))
    _emit(HISTORIES[fmt]().render(result, color=_use_color(no_color)), fmt=fmt)
    _followed_note(result.followed)
    raise typer.Exit(1 if result.broken else 0)


#: the words a date option takes for today's date: English, and Chinese as typed
_TODAY_WORDS = frozenset({"today", "今天"})


def _date_opt(value: str | None, option: str, today: dt.date) -> dt.date | None:
    """A date option: YYYY-MM-DD or 'today'; never after today (it records what happened).
    A malformed date is a usage error (exit 2); a well-formed one after today is refused as
    data (exit 1, nothing written), as `kam log --date` refuses it (SPEC: exit 1): a script
    tells the two slips apart by the same code in both commands."""
    from kamtool.errors import Refused, UsageError
    from kamtool.load.locate import parse_date

    if value is None:
        return None
    # 今天 as a Chinese user types the word (the option's help names "today")
    if value.strip().lower() in _TODAY_WORDS:
        day = today
    else:
        try:
            day = parse_date(value, option)
        except UsageError as exc:
            raise UsageError(
                _("{error} (or 'today' for {today})").format(
                    error=exc.message, today=today.isoformat()
                )
            ) from None
    if day > today:
        raise Refused(
            _("{option} {day} is in the future (today is {today}); nothing written").format(
                option=option, day=day.isoformat(), today=today.isoformat()
            )
        )
    return day


@app.command()
def touch(
    account: Annotated[str, typer.Argument(metavar="ID", help=N_("Account id or folder."))],
    person: Annotated[
        str | None,
        typer.Argument(
            metavar="PERSON",
            help=N_(
                "Stakeholder id, or their exact name. Without it, --reviewed sets the "
                "account's own reviewed date in account.yaml (its position, value and tier "
                "reviewed)."
            ),
            show_default=False,
        ),
    ] = None,
    contact: Annotated[
        str | None,
        typer.Option(
            "--contact",
            metavar="DATE",
            help=N_(
                "Set last_contact: YYYY-MM-DD or 'today'. Without options: last_contact today."
            ),
        ),
    ] = None,
    reviewed: Annotated[
        str | None,
        typer.Option("--reviewed", metavar="DATE", help=N_("Set reviewed: YYYY-MM-DD or 'today'.")),
    ] = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """Record a contact or a review in place, keeping every other byte of the file."""
    from functools import partial

    from kamtool.load.locate import account_folder
    from kamtool.write.guard import load_for_write, refuse_unfixed
    from kamtool.write.touch import touch as do_touch

    ws = _workspace(config, today, named=[account])
    values: dict[str, dt.date] = {}
    c = _date_opt(contact, "--contact", ws.today)
    r = _date_opt(reviewed, "--reviewed", ws.today)
    if person is None:
        # the account's own date: its grading (position, value, tier) reviewed (KAM203)
        if c is not None or r is None:
            from kamtool.errors import UsageError

            # a person typed where the account goes (`kam touch sun.li`) is told so,
            # not asked for the PERSON it named
            account_folder(ws, account)

            raise UsageError(
                _(
                    "name the PERSON whose contact to record; without a PERSON, kam touch "
                    "sets the account's own reviewed date: --reviewed DATE"
                )
            )
        # the account may have errors this write fixes: a missing or unreadable reviewed
        acct = load_for_write(ws, account_folder(ws, account), fixing=True)
        _refuse_moving_account_back(acct, r, ws.today)
        check = partial(refuse_unfixed, ws, acct)
        result = do_touch(ws, acct.folder, None, {"reviewed": r}, before_write=check)
        if not result.changed:
            typer.echo(_("{account}: already up to date").format(account=acct.id))
        for field, (old, new) in result.changed.items():
            line = (
                _("{account}: {field} {change}")
                if old
                else _("{account}: {field} set to {new} (not set before)")
            )
            typer.echo(
                line.format(account=acct.id, field=field, change=before_after(old, new), new=new)
            )
        return
    if c is None and r is None:
        c = ws.today
    if c is not None:
        values["last_contact"] = c
    if r is not None:
        values["reviewed"] = r
    acct = load_for_write(ws, account_folder(ws, account), fixing=True)
    person_id, who = _person_to_touch(acct, person, ws.today)
    if who is not None and c is not None and who.left_on is not None and who.left_on <= c:
        from kamtool.errors import Refused

        # as `kam log` refuses it: a contact after someone left is a slip of the data
        raise Refused(
            _(
                "{name} ({id}) left on {left}: a contact on {date} cannot be recorded "
                "with them; nothing written"
            ).format(name=who.name, id=who.id, left=who.left_on.isoformat(), date=c.isoformat())
        )
    _refuse_moving_back(acct, person_id, values, ws.today, who)
    check = partial(refuse_unfixed, ws, acct)
    result = do_touch(ws, acct.folder, person_id, values, before_write=check)
    if not result.changed:
        typer.echo(
            _("{account}/{person}: already up to date").format(account=acct.id, person=person_id)
        )
    for field, (old, new) in result.changed.items():
        # field: the key as it is typed in the file, in every language
        if old:
            line = _("{account}/{person}: {field} {change}")
        else:  # no date before (no key, or an empty one): not "reviewed - -> 2026-11-24"
            line = _("{account}/{person}: {field} set to {new} (not set before)")
        typer.echo(
            line.format(
                account=acct.id,
                person=person_id,
                field=field,
                change=before_after(old, new),
                new=new,
            )
        )


def _person_to_touch(acct: "Account", arg: str, today: dt.date) -> "tuple[str, Stakeholder | None]":
    """The id of the person ``kam touch`` dates, with their entry; the entry is None for
    a person whose entry does not read (``last_contact: last week``) in an account the
    write guard let through for a fix: the touch may be that fix, and is checked as such
    before it lands. Anyone else not found in an account with errors: the account's
    refusal, its errors listed, not "no stakeholder" for someone whose entry is broken."""
    from kamtool.errors import NotFound
    from kamtool.load.locate import find_person
    from kamtool.write.guard import errors_of, refusal

    try:
        who = find_person(acct, arg, today)[1]
    except NotFound:
        if not errors_of(acct):
            raise
    else:
        return who.id, who
    from kamtool.i18n import name_key

    unread = _unread_entries(acct)
    # as find_person reads a person: the id first, else a name only one entry has
    matched = [e for e in unread if e["id"] == arg] or [
        e for e in unread if isinstance(e.get("name"), str) and name_key(e["name"]) == name_key(arg)
    ]
    if len(matched) != 1 or "left_on" in matched[0]:
        # several: never guessed; one who may have left: the refusal of a contact after
        # a departure cannot be checked on an entry that does not read
        raise refusal(acct)
    return str(matched[0]["id"]), None


def _unread_entries(acct: "Account") -> "list[dict[str, YamlData]]":
    """The entries of stakeholders.yaml left out for a schema problem of their own, with
    an id: the people `kam touch` may still date, as a fix (``_person_to_touch``)."""
    dropped = acct.dropped_entries.get(("stakeholders", "stakeholders"), [])
    return [e for e in dropped if isinstance(e.get("id"), str)]


def _unread_entry(acct: "Account", person_id: str) -> "dict[str, YamlData]":
    return next(e for e in _unread_entries(acct) if e["id"] == person_id)


def _refuse_moving_account_back(acct: "Account", new: dt.date, today: dt.date) -> None:
    """``_refuse_moving_back`` for the account's own ``reviewed``."""
    from kamtool.errors import Refused

    old = acct.profile.reviewed if acct.profile is not None else None
    if old is None or new >= old or old > today:
        return
    line = acct.position("account", ("reviewed",))[0]
    raise Refused(
        _(
            "{account}: reviewed is already {old}, later than {new}: not moved back (to "
            "correct a wrong date, edit {where}); nothing written"
        ).format(
            account=acct.id,
            old=old.isoformat(),
            new=new.isoformat(),
            where=f"{acct.file_display('account')}:{line}",
        )
    )


def _refuse_moving_back(
    acct: "Account",
    person_id: str,
    values: dict[str, dt.date],
    today: dt.date,
    who: "Stakeholder | None" = None,
) -> None:
    """`kam touch` records a contact or a review: a date before the one already there
    would make the entry say the last contact (or review) was earlier than it was, and
    the person stale. Refused, with where to correct a wrong date by hand, and (for a
    contact) that an earlier contact belongs in the log. A date already there that lies
    in the future (KAM206, a slip) may be replaced: that is the fix. ``who``: the
    person's entry; without it, the entry that does not read (``_person_to_touch``), whose
    dates that read as dates count alike."""
    from kamtool.errors import Refused

    if who is not None:
        name: object = who.name
        current: dict[str, object] = {"last_contact": who.last_contact, "reviewed": who.reviewed}
    else:
        entry = _unread_entry(acct, person_id)
        name, current = entry.get("name") or person_id, dict(entry)
    for field, new in values.items():
        old = current.get(field)
        if not isinstance(old, dt.date) or new >= old or old > today:
            continue
        if who is not None:
            path: tuple[str | int, ...] = ("stakeholders", acct.stakeholders.index(who), field)
            line = acct.position("stakeholders", path)[0]
        else:  # the entry's place in the file itself: it is in no list the model read
            index = acct.dropped_ids[("stakeholders", "stakeholders")][person_id]
            doc = acct.files["stakeholders"].doc
            line = doc.position(("stakeholders", index, field))[0] if doc is not None else 1
        where = f"{acct.file_display('stakeholders')}:{line}"
        if field == "last_contact":
            message = _(
                "{name} ({id}): last_contact is already {old}, later than {new}: not moved "
                "back; an earlier contact goes in the log ({command}), a wrong date is "
                "corrected in {where}; nothing written"
            )
        else:
            message = _(
                "{name} ({id}): {field} is already {old}, later than {new}: not moved back "
                "(to correct a wrong date, edit {where}); nothing written"
            )
        from kamtool import suggest

        command = suggest.command(
            "log",
            suggest.account(acct.id, acct.folder, "log"),
            person_id,
            "--date",
            new.isoformat(),
        )
        raise Refused(
            message.format(
                name=name,
                id=person_id,
                field=field,
                old=old,
                new=new,
                where=where,
                command=command,
            )
        )


@app.command("log")
def log_(
    account: Annotated[str, typer.Argument(metavar="ID", help=N_("Account id or folder."))],
    people: Annotated[
        list[str],
        typer.Argument(
            metavar="PERSON", help=N_("The customer's people who took part: ids or exact names.")
        ),
    ],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            metavar="KIND",
            help=N_("meeting, call, email, visit, event, executive-meeting or other."),
        ),
    ] = "meeting",
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            metavar="HANDLE",
            help=N_("Our people who took part (repeat; default: the account owner)."),
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", metavar="DATE", help=N_("When it happened, YYYY-MM-DD (default: today).")
        ),
    ] = None,
    message: Annotated[
        str | None,
        typer.Option("--message", "-m", metavar="TEXT", help=N_("What was said or learned.")),
    ] = None,
    next_step: Annotated[
        str | None, typer.Option("--next", metavar="TEXT", help=N_("The agreed next step."))
    ] = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """Append one contact to the account's log.yaml, keeping every existing byte."""
    from kamtool.load.locate import parse_date
    from kamtool.write.log import check_kind, check_text, record

    check_kind(kind)  # usage errors before anything is read
    check_text(message, "-m/--message")
    check_text(next_step, "--next")
    day = parse_date(date, "--date") if date is not None else None
    ws = _workspace(config, today, named=[account])
    done = record(
        ws,
        account,
        people,
        kind=kind,
        by=by or [],
        date=day,
        summary=message,
        next_step=next_step,
    )
    entry = done.entry
    people_by_id = {p.id: p for p in done.account.stakeholders}
    names = listed(_("{name} ({id})").format(name=people_by_id[i].name, id=i) for i in entry.with_)
    if done.created is not None:
        typer.echo(_("created {path}").format(path=ws.display(done.created)))
    if done.schema is not None:
        typer.echo(
            _("wrote {path} (the schema its first line names)").format(path=ws.display(done.schema))
        )
    typer.echo(
        _("logged {kind} with {names} on {date} by {by}: {where}").format(
            kind=_(entry.kind),
            names=names,
            date=entry.date.isoformat(),
            by=listed(entry.by),
            where=f"{done.account.file_display('log')}:{done.line}",
        )
    )
    if done.schema_error is not None:
        from kamtool import suggest

        missing, error = done.schema_error
        typer.echo(
            _(
                "kam: note: the schema the first line of log.yaml names was not written "
                "({error}); `{command}` writes it"
            ).format(
                error=error, command=suggest.command("schema", "-o", ws.display(missing.parent))
            ),
            err=True,
        )
    for handle in done.typed_names:
        typer.echo(
            _(
                "kam: note: {account} names {handle!r} nowhere else, and its handles are "
                "{handles}: if {handle!r} is one of them, write that handle in {where} "
                "(logged as typed; a new colleague's handle is fine as it is)"
            ).format(
                account=done.account.id,
                handle=handle,
                handles=listed(done.known_handles, shown=8),
                where=f"{done.account.file_display('log')}:{done.line}",
            ),
            err=True,
        )
    for handle, near in done.near_misses:
        typer.echo(
            _(
                "kam: note: {account} names {handle!r} nowhere else; did you mean {near!r}? "
                "(logged as typed: fix it in {where})"
            ).format(
                account=done.account.id,
                handle=handle,
                near=near,
                where=f"{done.account.file_display('log')}:{done.line}",
            ),
            err=True,
        )


@app.command()
def agenda(
    paths: PathsArg = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="HANDLE",
            help=N_("Only items where this handle is owner, backup or sponsor."),
        ),
    ] = None,
    days: Annotated[
        str, typer.Option("--days", metavar="N", help=N_("Look this many days ahead."))
    ] = "7",
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help=_formats("agenda"))
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=N_("Write to this file (e.g. a calendar to subscribe to; - for standard output)."),
            parser=_path("--output"),
        ),
    ] = None,
    force: ForceOpt = False,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    no_color: NoColorOpt = False,
    examples: ExamplesOpt = False,
) -> None:
    """What to do in the next N days, per owner, ranked; each item with its kam log command."""

    from kamtool.analyse.agenda import build, known_handles
    from kamtool.report.agenda import AGENDA

    _choice(fmt, AGENDA, "--format")
    ahead = _days(days)
    ws = _workspace(config, today, examples, named=paths or [])
    loaded, unloaded = _load_for_reading(ws, paths or [])
    if owner is not None:
        # the owner an account.yaml names is known even when the account did not load
        handles = known_handles(loaded) | {a.profile.owner for a in unloaded if a.profile}
        if loaded and owner not in handles:
            raise _unknown_handle(
                owner, handles, _("no account names {owner!r} as owner, backup or sponsor{hint}")
            )
        # an account that did not load is said only when it may be theirs, as grade
        # --owner and stale --owner keep it: another owner's broken file is not their task
        unloaded = [a for a in unloaded if _may_be_owned_by(a, owner)]
    broken = [f for a in unloaded for f in a.findings if f.severity == "error"]
    plan = build(loaded, ws.config, ws.today, ahead, owner, invalid=[a.id for a in unloaded])
    width = _width()
    to_stdout = output is None or _is_stdout(output)
    text = AGENDA[fmt]().render(plan, color=to_stdout and _use_color(no_color), width=width)
    if output is None or _is_stdout(output):
        _emit(text, fmt=fmt)
    else:
        target = _write_output(ws, output, text, force)
        typer.echo(
            ngettext("wrote {path} ({n} item)", "wrote {path} ({n} items)", len(plan.items)).format(
                path=ws.display(target), n=len(plan.items)
            )
        )
    if broken:
        from kamtool.errors import Broken

        accounts = sorted({f.account or f.path for f in broken})
        raise Broken(
            ngettext(
                "could not load {ids}: the agenda leaves it out",
                "could not load {ids}: the agenda leaves them out",
                len(accounts),
            ).format(ids=listed(accounts)),
            broken,
        )


def _days(value: str) -> int:
    """``--days``: a whole number of days, 0 or more (read by kam, so that the message is
    kam's own, in the output language, not the parser's)."""
    text = value.strip()
    if not text.isascii() or not text.lstrip("+").isdigit() or text.startswith("++"):
        from kamtool.errors import typed_form

        wide = typed_form(text)  # ７, typed in full width
        _fail(
            _("--days must be a whole number of days, 0 or more, not {value!r}").format(value=value)
            + (
                _(" (full-width characters: write {number})").format(number=int(wide))
                if wide != text and wide.isascii() and wide.isdigit()
                else ""
            )
        )
    return int(text)


def _load_for_reading(
    ws: "Workspace", paths: list[str]
) -> "tuple[list[tuple[Account, Grade]], list[Account]]":
    """(account, grade) of each valid account named (ids, folders; default all), and the
    ones that did not load (their findings say why). Parse trees are kept: items cite
    file lines."""
    from kamtool.core import analyse
    from kamtool.load.accounts import load_account
    from kamtool.load.locate import account_folders, base_of

    loaded: list[tuple[Account, Grade]] = []
    broken: list[Account] = []
    for folder in account_folders(ws, paths):
        acct = load_account(folder, ws.config, base_of(folder, ws), ws.cwd)
        result = analyse(acct, ws.config, ws.today, rules=False)
        if result.grade is not None:  # valid
            loaded.append((acct, result.grade))
        else:
            broken.append(acct)
    return loaded, broken


#: the owner ``kam init`` writes when it is given none
_PLACEHOLDER_OWNER = "your.name"


@app.command()
def init(
    account: Annotated[
        str, typer.Argument(metavar="ID", help=N_("New account id (becomes the folder name)."))
    ],
    name: Annotated[
        str | None, typer.Option("--name", metavar="NAME", help=N_("Customer name."))
    ] = None,
    owner: Annotated[
        str, typer.Option("--owner", metavar="HANDLE", help=N_("Our account manager's handle."))
    ] = _PLACEHOLDER_OWNER,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """Scaffold accounts/ID/ with commented files; never overwrites."""
    from kamtool.load.locate import refuse_second_portfolio
    from kamtool.write.scaffold import init_account

    ws = _workspace(config, today)
    refuse_second_portfolio(ws)
    written = init_account(ws, account, name, owner)
    for p in written:
        typer.echo(_("created {path}").format(path=ws.display(p)))
    from kamtool import suggest

    command = suggest.command("validate", account)
    if owner == _PLACEHOLDER_OWNER:
        # the scaffold's owner is a placeholder that every file of the account repeats: left
        # as it is, the plan's title page names "your.name" as the account manager
        typer.echo(
            _(
                "next: fill in position, value and the stakeholders, put your handle where "
                "the files say {placeholder} (or run kam init with --owner), then run "
                "`{command}`"
            ).format(placeholder=_PLACEHOLDER_OWNER, command=command)
        )
        return
    typer.echo(
        _("next: fill in position, value and the stakeholders, then run `{command}`").format(
            command=command
        )
    )


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help=N_("Write one .schema.json per file kind here."),
            parser=_path("--output"),
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=N_("Replace existing schema files."))
    ] = False,
    no_color: NoColorOpt = False,
) -> None:
    """JSON Schema (draft 4) for each file kind and for kam.yaml."""
    from kamtool.write.scaffold import schemas, write_schemas

    if output is None:
        from kamtool.report.jsonout import dumps

        _emit(dumps(schemas()), fmt="json")
        return
    ws = _workspace(None, None)
    for p in write_schemas(ws, output, force, replace_option="--force"):
        typer.echo(_("wrote {path}").format(path=ws.display(p)))


def _one_account(
    account_id: str | None, config: Path | None, today: str | None, examples: bool, command: str
) -> "tuple[RunResult, AccountResult]":
    """Load one account named by id or folder; a missing or broken one exits 1, no
    argument lists the accounts."""
    from kamtool import suggest
    from kamtool.core import run
    from kamtool.errors import Broken, UsageError
    from kamtool.load.locate import account_folder, account_ids

    ws = _workspace(config, today, examples, named=[account_id])
    if account_id is None:
        ids = account_ids(ws.accounts_dir)
        listing = (
            listed(ids) if ids else _("none in {folder}").format(folder=ws.display(ws.accounts_dir))
        )
        raise UsageError(
            _("name an account: {command} (accounts: {listing})").format(
                command=suggest.command(command, "ID"), listing=listing
            )
        )
    folder = account_folder(ws, account_id)
    result = run([folder], config_path=config, today=ws.today, cwd=ws.cwd, keep="all")
    acct = result.accounts[0]
    if not acct.valid:
        raise Broken(
            _("account {id!r} has errors: fix them first ({command})").format(
                id=acct.id,
                command=suggest.command(
                    "validate", suggest.account(acct.id, acct.account.folder, "validate")
                ),
            ),
            [f for f in acct.findings if f.severity == "error"],
        )
    return result, acct


AccountArg = Annotated[
    str | None, typer.Argument(metavar="ID", help=N_("Account id or folder."), show_default=False)
]


@app.command("map")
def map_(
    account: AccountArg = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=format_help(
                N_(
                    "{maps} (default tree); with --quadrant {quadrant} "
                    "(default mermaid; markdown adds the legend as text)."
                ),
                maps=MAPS.names(),
                quadrant=QUADRANT.names(),
            ),
            show_default=False,
        ),
    ] = None,
    quadrant: Annotated[
        bool, typer.Option("--quadrant", help=N_("Intimacy x support as a Mermaid quadrantChart."))
    ] = False,
    show: Annotated[
        str,
        typer.Option(
            "--show",
            metavar="FIELDS",
            help=N_("Add to each person: owner (owner / backup), contact (last contact)."),
        ),
    ] = "",
    focus: Annotated[
        bool,
        typer.Option(
            "--focus",
            help=N_(
                "Only the people with a role, a known attitude, an owner, a competitor they back "
                "or a line of influence, and their managers (a CRM import's thousands nobody has "
                "met left out)."
            ),
        ),
    ] = False,
    chain: Annotated[
        bool,
        typer.Option(
            "--chain",
            help=N_(
                "Only the reporting chains from the decision makers to our contacts (people "
                "with an owner or a last contact): the decision makers, the contacts in their "
                "reporting lines, everyone between, and whoever influences a decision maker."
            ),
        ),
    ] = False,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    no_color: NoColorOpt = False,
    examples: ExamplesOpt = False,
) -> None:
    """The power map: reporting lines, influence, roles and attitudes."""
    from kamtool.report.powermap import SHOW_FIELDS

    table = QUADRANT if quadrant else MAPS
    fmt = fmt or table.names()[0]
    _choice(fmt, dict.fromkeys(table.names()), "--format")
    fields = [x.strip() for x in show.split(",") if x.strip()]
    for field in fields:
        _choice(field, dict.fromkeys(SHOW_FIELDS), "--show")
    result, analysed = _one_account(account, config, today, examples, "map")
    reporter = table.get(fmt)
    # as of today: someone whose departure is announced (left_on ahead) is still in post;
    # namesakes named with their ids ("Maria Silva (maria-silva-ops)")
    current = analysed.account.as_of(result.today)
    drawn = current.with_distinct_names()
    if "contact" in fields:
        from kamtool.analyse.contact import with_effective_contacts

        drawn = with_effective_contacts(drawn, result.today)
    left_out = 0
    if focus:
        from kamtool.analyse.map_people import focus as focused

        drawn, left_out = focused(drawn)
    chain_left_out = 0
    if chain:
        from kamtool.analyse.contact import effective_contacts
        from kamtool.analyse.map_people import chain as chained

        drawn, chain_left_out = chained(drawn, effective_contacts(drawn, result.today).keys())
    text = reporter.render(drawn, color=_use_color(no_color), show=fields)
    _emit(text, fmt=fmt)
    if fmt != "tree" and not any(p.left_on is None for p in current.stakeholders):
        # the diagram is written (a file a page includes stays valid) and holds the
        # legend alone: said, as the tree says it in its body
        _print_plain(_("kam: note: nobody in post to draw: the people go in stakeholders.yaml"))
    if left_out:
        from kamtool.report.powermap import focus_note

        _print_plain(focus_note(left_out))
    if chain_left_out:
        from kamtool.report.powermap import chain_note

        _print_plain(chain_note(chain_left_out))
    if fmt in ("mermaid", "markdown"):
        from kamtool.report import powermap

        # still written: a Mermaid set up with higher limits draws it
        diagram = powermap.quadrant(drawn, fields) if quadrant else text
        boxes = 0 if quadrant else powermap.across(drawn)
        if powermap.mermaid_too_large(diagram):
            from kamtool import suggest

            shown = analysed.account
            plan = suggest.command("plan", suggest.account(shown.id, shown.folder, "plan"))
            _print_plain(powermap.too_large_note(quadrant=quadrant, plan=plan))
        elif boxes > powermap.READABLE_ACROSS:
            _print_plain(powermap.too_wide_note(boxes, chain=chain))


@app.command()
def plan(
    account: AccountArg = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=N_("Write the plan to this file (- for standard output)."),
            parser=_path("--output"),
        ),
    ] = None,
    template_dir: Annotated[
        Path | None,
        typer.Option(
            "--template-dir",
            metavar="DIR",
            help=N_("Templates that override the built-in ones by file name."),
            parser=_path("--template-dir"),
        ),
    ] = None,
    include_personal: Annotated[
        bool,
        typer.Option(
            "--include-personal", help=N_("Include personal: details (left out by default).")
        ),
    ] = False,
    force: ForceOpt = False,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    no_color: NoColorOpt = False,
    examples: ExamplesOpt = False,
) -> None:
    """The annual three-piece set as Markdown: assessment, target task book, action plan."""
    from kamtool.core import templates_dir
    from kamtool.errors import UsageError
    from kamtool.report.plan import TemplateProblem, context, render

    result, acct = _one_account(account, config, today, examples, "plan")
    dirs = []
    if template_dir is not None:
        if not template_dir.is_dir():
            raise UsageError(_("no template folder {path}").format(path=template_dir))
        dirs.append(template_dir)
    ws = _workspace(config, today, named=[account])
    # the repository's own templates/: beside kam.yaml, else at the repository root
    base = ws.config_path.parent if ws.config_path else ws.root
    if (base / "templates").is_dir():
        dirs.append(base / "templates")
    dirs.append(templates_dir())
    read: set[Path] = set()
    try:
        text = render(
            context(result, acct, include_personal=include_personal),
            dirs,
            repository=ws.root,
            display=ws.display,
            read=read,
        )
    except TemplateProblem as exc:
        raise UsageError(_("template error: {problem}").format(problem=exc)) from None
    from kamtool.report.template_loader import misnamed_parts

    for path, meant in misnamed_parts(dirs[:-1], dirs[-1], read):
        typer.echo(
            _("kam: note: {path} replaces no part of the plan: did you mean {meant!r}?").format(
                path=ws.display(path), meant=meant
            ),
            err=True,
        )
    if output is None or _is_stdout(output):
        _emit(text, fmt="markdown")
        return
    path = _write_output(ws, output, text, force)
    typer.echo(_("wrote {path}").format(path=ws.display(path)))


def _is_stdout(output: Path) -> bool:
    """``-o -`` is standard output, as for most command-line tools (a file named ``-`` is
    written by its full path: ``./-`` reaches kam as ``-``)."""
    return str(output) == "-"


def _write_output(ws: "Workspace", output: Path, text: str, force: bool) -> Path:
    """``-o FILE`` of every command: through the write guard (symlinks, permissions,
    never overwriting without --force), creating missing folders."""
    from kamtool.write.guard import write_file

    path = Path(os.path.abspath(ws.cwd / output))
    write_file(
        ws,
        path,
        text.encode("utf-8"),
        create=not force,
        make_folders=True,
        replace_option="--force",
    )
    return path


@app.command()
def portfolio(
    paths: PathsArg = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=format_help(N_("{choices}."), choices=PORTFOLIO.names()),
        ),
    ] = "table",
    no_color: NoColorOpt = False,
    examples: ExamplesOpt = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE|REV",
            help=N_(
                "Also show what moved since this date (YYYY-MM-DD) or git revision: accounts "
                "gained and lost, tier, letter and score changes per tier."
            ),
        ),
    ] = None,
) -> None:
    """All accounts: tiers and revenue shares, position x value matrix, scores, shortfalls."""
    from kamtool.analyse import portfolio as pf

    _choice(fmt, dict.fromkeys(PORTFOLIO.names()), "--format")
    result = _run(paths, config, today, examples, keep="grades")
    summary = pf.summarise(result)
    moved = None
    if since is not None:
        from kamtool.analyse.portfolio_since import since_summary

        _future_dates(today, config, since)
        moved = since_summary(result, since, config_path=config, today=today)
    if fmt == "json" and moved is not None:
        summary["since"] = moved
    _emit(PORTFOLIO.get(fmt).render(summary, color=_use_color(no_color)), fmt=fmt)
    if moved is not None and fmt != "json":
        from kamtool.report import portfolio_since

        render = (
            portfolio_since.render_markdown if fmt == "markdown" else portfolio_since.render_text
        )
        _emit(render(moved, result), fmt=fmt)
    raise typer.Exit(_report_broken(result))


def _width() -> int:
    """The width to draw tables for (``report.term.output_width``: COLUMNS, the terminal,
    else no limit)."""
    from kamtool.report.term import output_width

    return output_width()


@app.command()
def rules(
    code: Annotated[
        str | None,
        typer.Argument(metavar="CODE", help=N_("One rule code (KAM116) to show in full.")),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help=_formats("rules"))
    ] = "table",
    config: ConfigOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """The rule catalogue: code, default and configured severity, what, why and how to fix."""
    from kamtool.catalogue import RULES
    from kamtool.report.rules import RULES_FORMATS

    _choice(fmt, RULES_FORMATS, "--format")
    from kamtool.errors import NotFound

    st = _workspace(config, None)
    chosen = list(RULES.values())
    if code is not None:
        wanted = code.strip().upper()
        if wanted not in RULES:
            from kamtool.catalogue import code_meant
            from kamtool.errors import nearest

            # the code meant as kam.yaml's rules: finds it (KAM1O5: KAM105)
            near = nearest(code_meant(wanted), RULES)
            raise NotFound(
                _("no rule {code!r}").format(code=code)
                + (_("; did you mean {name!r}?").format(name=near) if near else "")
            )
        chosen = [RULES[wanted]]
    reporter = RULES_FORMATS[fmt]()
    _emit(reporter.render(chosen, st.config, full=code is not None, width=_width()), fmt=fmt)


@app.command()
def whitespace(
    paths: PathsArg = None,
    config: ConfigOpt = None,
    today: TodayOpt = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help=_formats("whitespace"))
    ] = "table",
    no_color: NoColorOpt = False,
    examples: ExamplesOpt = False,
    bom: BomOpt = None,
) -> None:
    """Buying centres x offerings per account, and each offering's share across accounts."""
    from kamtool.analyse.whitespace import summarise
    from kamtool.report.whitespace import WHITESPACE

    _choice(fmt, WHITESPACE, "--format")
    result = _run(paths, config, today, examples, keep="all")
    invalid = [a for a in result.accounts if not a.valid]
    if invalid:  # as every command shows them: severity, hint, fitted to the terminal
        _print_plain(_finding_lines(_broken(result)))
    summary = summarise(result.accounts, result.config, result.today)
    reporter = WHITESPACE[fmt]()
    out = reporter.render(
        summary, invalid=[a.id for a in invalid], color=_use_color(no_color), width=_width()
    )
    if fmt == "csv":
        _emit_csv(out, bom)
    else:
        _emit(out, fmt=fmt)
    raise typer.Exit(1 if invalid else 0)


import_app = typer.Typer(
    name="import",
    cls=_KamGroup,  # its commands take --lang too
    help=N_("Create or update people from another tool's export."),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(import_app, name="import")


@import_app.command("csv")
def import_csv(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help=N_("The CRM's contact export (CSV)."), parser=_path("FILE")
        ),
    ],
    account: Annotated[
        str,
        typer.Option(
            "--account", metavar="ID", help=N_("The account the contacts belong to (id or folder).")
        ),
    ],
    map_: Annotated[
        str | None,
        typer.Option(
            "--map",
            metavar="MAP",
            help=N_(
                "salesforce, hubspot, or a MAP.yaml naming the columns (default: recognised "
                "from the header)."
            ),
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=N_("Show what would change; write nothing."))
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            metavar="ENCODING",
            help=N_(
                "The export's encoding (gbk, cp1252, shift_jis...), when kam cannot tell it "
                "(default: UTF-8, else detected: Windows-1252 or GBK)."
            ),
        ),
    ] = None,
    layer: Annotated[
        str,
        typer.Option(
            "--layer",
            metavar="LAYER",
            help=N_(
                "The layer new people come in on: key (who decides the outcome), general "
                "(broad coverage: a CRM's whole contact list) or organizational."
            ),
        ),
    ] = "key",
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help=_formats("import"))
    ] = "text",
    config: ConfigOpt = None,
    today: TodayOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """Create or update people in stakeholders.yaml from a CRM contact export.

    Matched by crm_id, else by exact name; new people get attitude "?"; only title,
    reports_to, unit and crm_id of existing people change. Nothing is written when any row
    has a problem."""
    from kamtool.errors import Refused, UsageError
    from kamtool.load.csvimport import column_map, encoding_option, read_export
    from kamtool.load.locate import account_folder
    from kamtool.report.importing import IMPORT_FORMATS, import_json, problem_lines, render_import
    from kamtool.write.guard import load_for_write, write_file
    from kamtool.write.importer import account_of, keep_account_rows, prepare

    _choice(layer, dict.fromkeys(("key", "general", "organizational")), "--layer")
    _choice(fmt, IMPORT_FORMATS, "--format")
    ws = _workspace(config, today, named=[account])
    codec = encoding_option(encoding) if encoding is not None else None
    colmap = column_map(map_, ws.cwd, ws.display) if map_ is not None else None
    acct = load_for_write(ws, account_folder(ws, account))
    shown = ws.display(ws.cwd / file)
    try:
        raw = (ws.cwd / file).read_bytes()
    except OSError as exc:
        message = _("cannot read {file}: {error}").format(file=shown, error=os_reason(exc))
        # a path that names no file is a usage error (exit 2), as a missing --config,
        # --map or --template-dir is: a nightly job whose export did not arrive is told
        # apart from an export with problems (exit 1)
        if isinstance(exc, (FileNotFoundError, IsADirectoryError, NotADirectoryError)):
            raise UsageError(message) from None
        raise Refused(message) from None
    export, colmap = read_export(raw, shown, colmap, encoding=codec, account_of=account_of(acct))
    export = keep_account_rows(export, acct)
    prepared = None
    # every problem at once: the rows' own and, where the whole file was read, what the
    # plan finds (a manager matching nobody, a department no unit has); a manager on a
    # refused row is left to that row's problem
    if colmap is not None and export.whole:
        prepared = prepare(
            acct, export, colmap, ws.config, ws.today, diff=dry_run and fmt == "text", layer=layer
        )
        problems = prepared.plan.errors
    else:
        problems = export.errors

    def report_json(written: bool, findings: "list[Finding] | None" = None) -> None:
        _emit(
            import_json(
                prepared,
                export,
                colmap,
                dry_run=dry_run,
                today=ws.today,
                written=written,
                problems=problems,
                findings=findings or [],
            ),
            fmt="json",
        )

    if problems:
        if fmt == "json":
            report_json(False)
        else:
            _print_plain("\n".join(problem_lines(shown, problems)))
        raise Refused(
            ngettext(
                "{n} problem in {file}: nothing imported",
                "{n} problems in {file}: nothing imported",
                len(problems),
            ).format(n=len(problems), file=shown)
        )
    assert prepared is not None and colmap is not None  # no problems: prepared above
    if prepared.breaks:
        breaks = prepared.breaks_located(shown)
        if fmt == "json":
            report_json(False, breaks)
        raise Refused(_("the import would leave the account with errors: nothing written"), breaks)
    written = prepared.changed and not dry_run
    if written:
        write_file(ws, prepared.path, prepared.after_bytes, expect=prepared.before_bytes)
    if fmt == "json":
        report_json(written)
    else:
        _emit(render_import(prepared, export, colmap, dry_run=dry_run, today=ws.today))


def _interrupted() -> NoReturn:
    """Ctrl-C (SIGINT): one line saying so, exit 130 (128 + SIGINT, as shells report it);
    the workers of a parallel run end on their own once kam is gone (``kamtool.forkpool``)."""
    import contextlib

    with contextlib.suppress(OSError, ValueError):  # stderr closed or gone meanwhile
        sys.stderr.write(_("kam: interrupted") + "\n")
        sys.stderr.flush()
    sys.exit(130)


def main() -> None:
    """Entry point: never a traceback for the user."""
    # kam uses no pydantic plugin; looking for them scans every installed package's
    # entry points at the first model, a cost each run would pay before any work.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from kamtool import streams
    from kamtool.errors import OutputError

    streams.utf8_mode()  # an ASCII locale: start again in UTF-8 mode (kamtool.streams)
    streams.prepare()  # closed streams, an ASCII stdout, a failing write (kamtool.streams)
    # A kam run lasts seconds and what it builds (parsed files, models, findings, reports)
    # holds no reference cycles worth collecting before it exits: the cyclic collector's
    # passes over the imports and the loaded accounts cost 15% of a small run's time.
    gc.disable()
    # the whole program is kam: where fork is not safe, fresh interpreters are
    from kamtool.parallel import allow_fresh_interpreters

    allow_fresh_interpreters()
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        _interrupted()
    except OutputError as exc:
        # stdout failed outside a command (--help, --version); inside one, the group's
        # one handler of kam's errors has said so already
        _print_error(exc)
        sys.exit(exc.exit_code)
    except Exception as exc:  # pragma: no cover - the last line of defence
        if os.environ.get("KAM_DEBUG"):
            raise
        sys.stderr.write(
            f"kam: internal error: {type(exc).__name__}: {exc} (set KAM_DEBUG=1 for details)\n"
        )
        sys.exit(2)


def entry() -> NoReturn:
    """The ``kam`` command (and ``python -m kamtool``): ``main``, then out of the process
    without tearing the interpreter down, as mypy's command does. Python's exit frees every
    object one by one: the parsed accounts, models and findings of a large run (a neglected
    portfolio of 2,000 accounts: 90,000 findings) took 20-35 ms after the report was
    written, and nobody reads memory a process gives back. What the ordinary exit would
    still do is done first: both streams flushed (a flush that fails, and a run left with
    threads or exit handlers, take the ordinary way, which reports as before). A program
    that embeds kam calls ``main``, whose ``SystemExit`` it can catch."""
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:  # pragma: no cover - typer always ends with SystemExit
        code = 0
    if code is None:
        code = 0
    if not isinstance(code, int) or not _quiet_exit_possible():
        sys.exit(code)
    os._exit(code)


def _quiet_exit_possible() -> bool:
    """Whether the process may end at once: both standard streams flushed without error,
    no other thread running, no exit handler registered (they would not run)."""
    import atexit
    import threading

    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except Exception:  # the ordinary exit reports it, as it always has
        return False
    pending = getattr(atexit, "_ncallbacks", None)
    return threading.active_count() == 1 and pending is not None and pending() == 0


if __name__ == "__main__":  # pragma: no cover
    main()
