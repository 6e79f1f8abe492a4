"""Reporters for findings (validate, check, stale)."""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Protocol, TypedDict

from kamtool import suggest
from kamtool.findings import SEVERITY_RANK, Finding, FindingValue
from kamtool.i18n import listed, number, pgettext
from kamtool.report.escape import inert_bidi
from kamtool.report.jsonout import dump_bytes
from kamtool.report.labels import N_, _, executive_sponsor, ngettext

if TYPE_CHECKING:
    from kamtool.core import RunResult

_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_RESET = "\x1b[0m"


def summary_line(findings: list[Finding], accounts: int) -> str:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    parts = [
        ngettext("{n} error", "{n} errors", counts["error"]).format(n=number(counts["error"])),
        ngettext("{n} warning", "{n} warnings", counts["warning"]).format(
            n=number(counts["warning"])
        ),
        _("{n} info").format(n=number(counts["info"])),
    ]
    return ngettext("{counts} in {n} account", "{counts} in {n} accounts", accounts).format(
        counts=_(", ").join(parts), n=number(accounts)
    )


#: From this many findings a text report ends with a count per rule: past a screen or two a
#: reader cannot see what matters in the list (a first CRM import of 3,000 people gives
#: 12,000 findings), and the grade view of one account shows the count instead of the list.
TALLY_FROM = 50


def rule_counts(findings: list[Finding]) -> list[tuple[str, str, int, str]]:
    """(code, severity, how many, the rule's summary in the output language) for each rule
    that gave findings: the most severe rules first, then the most frequent."""
    from kamtool.catalogue import RULES

    counts: dict[tuple[str, str], int] = {}
    for f in findings:
        counts[(f.code, f.severity)] = counts.get((f.code, f.severity), 0) + 1
    ordered = sorted(
        counts.items(), key=lambda item: (-SEVERITY_RANK[item[0][1]], -item[1], item[0][0])
    )
    return [
        (code, severity, n, _(RULES[code].summary) if code in RULES else "")
        for (code, severity), n in ordered
    ]


def rule_tally(findings: list[Finding], width: int | None = None) -> list[str]:
    """How many findings each rule gave (``rule_counts``), as text lines under a heading:
    ``  12000  KAM104 warning  Key person without owner...``."""
    from kamtool.report.term import cell_len, limited
    from kamtool.report.term import wrap_wide as wrap

    counts = rule_counts(findings)
    digits = max((len(number(n)) for _c, _s, n, _t in counts), default=1)
    words = {sev: _(sev) for _c, sev, _n, _t in counts}
    room = max((cell_len(w) for w in words.values()), default=0)
    heading = _("{n} findings by rule, most severe first:").format(n=number(len(findings)))
    lines = wrap(heading, width) if limited(width) and width is not None else [heading]
    for code, severity, n, text in counts:
        word = words[severity] + " " * (room - cell_len(words[severity]))
        head = f"  {number(n):>{digits}}  {code} {word}  "
        if limited(width):
            assert width is not None
            lines += wrap(text, width, " " * cell_len(head), head)
        else:
            lines.append(head + text)
    return lines


def by_severity(findings: list[Finding]) -> list[Finding]:
    """Most severe first, then by place (file, line, column, code): the order people read
    findings in (plan, grade, text output). Machine formats keep the loader's file order."""
    place = Finding.sort_key  # on the class: a key function in C
    return sorted(findings, key=lambda f: (-SEVERITY_RANK[f.severity], place(f)))


def hint_text(f: Finding) -> str:
    """The hint with its command made concrete: ``kam touch ACCOUNT PERSON`` becomes
    ``kam touch nordtel petter-nyman`` when the finding knows its account and person, and
    KAM205's ``--by SPONSOR`` names the sponsor (the owner of a sponsor-touch finding);
    each command is built by ``suggest`` (this run's ``--config`` repeated, the account
    named so that the command finds it)."""
    hint = f.hint
    data = f.data or {}
    if "`kam " in hint:
        words = {}
        person = data.get("person")
        if person:
            words["PERSON"] = str(person)
        sponsor = data.get("owner") if data.get("field") == "sponsor" else None
        if sponsor:
            words["SPONSOR"] = str(sponsor)
        folder = _account_folder(f.path, f.account) if f.account else None
        # the placeholders are words of the commands, filled in there: replacing them in
        # the built text as well would rewrite a folder or a --config path that holds
        # one (KEY-ACCOUNTS/acme becoming KEY-acmeS/acme)
        return suggest.commands_in(hint, f.account, folder, words)
    if "ACCOUNT" in hint and f.account:
        hint = hint.replace("ACCOUNT", f.account)
    person = data.get("person")
    if "PERSON" in hint and person:
        hint = hint.replace("PERSON", str(person))
    sponsor = data.get("owner") if data.get("field") == "sponsor" else None
    if "SPONSOR" in hint and sponsor:
        hint = hint.replace("SPONSOR", str(sponsor))
    return hint


@functools.lru_cache(maxsize=4096)  # a few files an account, each with many findings
def _account_folder(path: str, account: str) -> str:
    """The folder of ``account`` as a finding at ``path`` names it: the finding's path, or
    the folder of its file."""
    return path if posixpath.basename(path) == account else (posixpath.dirname(path) or ".")


def severity_tail(f: Finding) -> str:
    """ "(error)" / "（错误）": what ends a finding's first line, in the output language."""
    return _(" ({severity})").format(severity=_(f.severity)).strip()


def finding_lines(f: Finding, width: int, *, hints: bool = True) -> list[str]:
    """One finding as people read it: ``path:line:col: CODE message (severity)``, then its
    hint, in the output language's words and punctuation ("（警告）", "建议："). Wrapped to
    ``width`` when the output is a terminal (``limited``), else one line each. The one
    form of `kam check`'s text, `kam grade ID`'s findings and the findings on stderr."""
    return _Lines(hints)(f, width)


class _Lines:
    """``finding_lines`` with the words every finding's lines share (the severities, the
    hint's label) translated once a report, not three times a finding (a text report of
    a neglected portfolio writes 90,000 findings)."""

    def __init__(self, hints: bool = True) -> None:
        from kamtool.report import term

        self.term = term
        self.hints = hints
        self.severity = {s: _(" ({severity})").format(severity=_(s)) for s in SEVERITY_RANK}
        self.hint = _("hint: {hint}")

    def __call__(self, f: Finding, width: int) -> list[str]:
        term = self.term
        head = inert_bidi(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}")
        severity = self.severity.get(f.severity)
        if severity is None:  # not a level kam writes: translated as before
            severity = _(" ({severity})").format(severity=_(f.severity))
        hint = inert_bidi(hint_text(f)) if self.hints else ""
        if not term.limited(width):
            lines = [head + severity]
            return lines + (["    " + self.hint.format(hint=hint)] if hint else [])
        sep = " " if severity.startswith(" ") else ""
        lines = term.wrap_tail(head, severity.strip(), width, indent="    ", sep=sep)
        if hint:
            label = self.hint.format(hint="")
            lines += term.wrap_wide(hint, width, indent="          ", first="    " + label)
        return lines


class TextReporter:
    """``path:line:col: CODE message (severity)``, the form editors and terminals link, most
    severe first, each with its hint under it as compilers print notes. In a terminal
    (or under ``COLUMNS``) long messages wrap onto indented lines; piped output keeps one
    line per finding."""

    def render(
        self,
        result: RunResult,
        findings: list[Finding],
        *,
        color: bool = False,
        hints: bool = True,
        width: int | None = None,
    ) -> str:
        from kamtool.report.term import limited, output_width
        from kamtool.report.term import wrap_wide as wrap

        if width is None:
            width = output_width()
        lines = []
        finding_lines = _Lines(hints)
        for f in by_severity(findings):
            block = finding_lines(f, width)
            if color:  # colour after wrapping: escape codes take no columns
                word = _(f.severity)
                sev = severity_tail(f)
                n = max(i for i, line in enumerate(block) if line.endswith(sev))
                coloured = sev.replace(word, f"{_COLOURS[f.severity]}{word}{_RESET}", 1)
                block[n] = block[n][: -len(sev)] + coloured
            lines += block
        if len(findings) >= TALLY_FROM:
            lines += ["", *rule_tally(findings, width)]
        lines += (
            wrap(summary_line(findings, len(result.accounts)), width)
            if limited(width)
            else [summary_line(findings, len(result.accounts))]
        )
        return "\n".join(lines) + "\n"


class JsonReporter:
    def render(
        self,
        result: RunResult,
        findings: list[Finding],
        *,
        rules: Iterable[str] | None = None,
        **_options: object,
    ) -> str:
        """``rules``: the codes the command reports (default: every rule); those kam.yaml
        turns off are the document's ``off``, as the text says "Not checked (off in
        kam.yaml)" under the stale table: with KAM201 off, no finding is not "fresh"."""
        return self.render_bytes(result, findings, rules=rules).decode("utf-8")

    def render_bytes(
        self, result: RunResult, findings: list[Finding], *, rules: Iterable[str] | None = None
    ) -> bytes:
        """``render`` as UTF-8, for standard output (``jsonout.dump_bytes``)."""
        from kamtool.catalogue import RULES

        scope = RULES if rules is None else rules
        doc = {
            "today": result.today.isoformat(),
            "summary": {
                "accounts": len(result.accounts),
                "errors": sum(1 for f in findings if f.severity == "error"),
                "warnings": sum(1 for f in findings if f.severity == "warning"),
                "infos": sum(1 for f in findings if f.severity == "info"),
            },
            # a finding with data is handed to orjson as it is: orjson writes a dataclass's
            # fields in their order, as ``to_dict`` does, without a dictionary per finding
            # (the writer in one process on 600 neglected accounts' findings: 0.085 s ->
            # 0.066 s). One without data is written by ``to_dict``, which leaves the
            # empty ``data`` out; so is any finding the standard library writes.
            "findings": [f if f.data else f.to_dict() for f in findings],
            "off": sorted(code for code in scope if result.config.turns_off(code)),
        }
        return dump_bytes(doc, default=_finding_dict)


def _finding_dict(value: object) -> object:
    """``default`` for the JSON writers: a finding as ``to_dict`` writes it."""
    if isinstance(value, Finding):
        return value.to_dict()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def _ci(name: str) -> type[FindingsReporter]:
    from kamtool.report import ci

    return getattr(ci, name)


class _Lazy:
    """Registry entry that imports its reporter class only when used."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self) -> FindingsReporter:
        return _ci(self.name)()


class FindingsReporter(Protocol):
    """Renders findings (``kam validate``, ``check``, ``stale``); formats ignore options
    they do not use."""

    def render(
        self,
        result: RunResult,
        findings: list[Finding],
        *,
        color: bool = False,
        hints: bool = True,
        width: int | None = None,
    ) -> str: ...


FINDINGS: dict[str, Callable[[], FindingsReporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": _Lazy("GithubReporter"),
    "sarif": _Lazy("SarifReporter"),
    "junit": _Lazy("JunitReporter"),
    "gitlab": _Lazy("GitlabReporter"),
}


class StaleRow(TypedDict):
    """One row of ``kam stale`` (the JSON output's ``stale`` entries)."""

    account: str | None
    account_name: str | None
    person: str | None
    person_name: str | None
    field: str | None
    date: str | None
    source: str | None
    age_days: int | None
    threshold_days: int | None
    overdue_days: int | None
    owner: str | None
    severity: str
    code: str
    location: str


def _text(value: FindingValue) -> str | None:
    return value if isinstance(value, str) else None


def _days(value: FindingValue) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def stale_rows(findings: list[Finding]) -> list[StaleRow]:
    """Freshness findings as rows: errors first, then the most overdue (never-contacted
    people lead their severity)."""
    rows: list[StaleRow] = []
    for f in findings:
        d = f.data or {}
        rows.append(
            {
                "account": f.account,
                "account_name": _text(d.get("account_name")),
                "person": _text(d.get("person")),
                "person_name": _text(d.get("person_name")),
                "field": _text(d.get("field")),
                "date": _text(d.get("date")),
                # where the date is written (log.yaml:41 when the log gave the last contact)
                "source": _text(d.get("source"))
                or (f"{f.path.rsplit('/', 1)[-1]}:{f.line}" if d.get("date") else None),
                "age_days": _days(d.get("age_days")),
                "threshold_days": _days(d.get("threshold_days")),
                "overdue_days": _days(d.get("overdue_days")),
                "owner": _text(d.get("owner")),
                "severity": f.severity,
                "code": f.code,
                "location": f"{f.path}:{f.line}:{f.column}",
            }
        )
    # errors first, then by how overdue (people never contacted lead their severity)
    rows.sort(
        key=lambda r: (
            -SEVERITY_RANK[r["severity"]],
            r["overdue_days"] is not None,
            -(r["overdue_days"] or 0),
            r["account"] or "",
            r["person"] or "",
        )
    )
    return rows


_FIELD_WORDS = {"last_contact": N_("contact"), "reviewed": N_("reviewed")}


def _field_word(field: str | None) -> str:
    """The stale table's word for a finding's field: contact, reviewed, the executive
    sponsor's touch (KAM205); other fields (a future date's key) as written in the file."""
    if field == "sponsor":
        return executive_sponsor()
    return _(_FIELD_WORDS[field]) if field in _FIELD_WORDS else field or ""


def _age(days: int | None) -> str:
    """A date's age for the stale table; a date in the future (KAM206: it cannot be) says
    how far ahead it is, not a negative age."""
    if days is None:
        return "-"
    if days < 0:
        return _("in {n}d").format(n=-days)
    return _("{n}d").format(n=days)


def _age_limit(cells: list[str], row: StaleRow) -> str:
    """Age and limit in one cell of the narrow stale table: "96d/60d", in Chinese with the
    unit once ("96/60 天": the catalogue's "3 天" twice would not fit an 80-column table);
    a date in the future keeps its own words ("in 5d/60d")."""
    age, limit = row["age_days"], row["threshold_days"]
    if age is not None and age >= 0 and limit is not None:
        return _("{age}d/{limit}d").format(age=age, limit=limit)
    return f"{cells[5]}/{cells[6]}"


def _ids_only(
    stale: list[StaleRow], make_rows: Callable[[bool], list[list[str]]]
) -> list[list[str]]:
    """The stale rows with accounts and people by id alone: the last resort of a terminal
    too narrow for a name over its id."""
    rows = make_rows(False)
    for row, r in zip(rows, stale, strict=True):
        row[0] = r["account"] or ""
        if r["person"]:
            row[1] = r["person"]
    return rows


def _not_checked(result: RunResult) -> str:
    """The freshness rules kam.yaml turns off, as a sentence ("" for none): the stale
    table and its "nothing is stale" say what they did not look at (with KAM201 off, a
    contact 155 days old was "within its threshold")."""
    from kamtool.catalogue import FRESHNESS

    return rules_off_note(code for code in FRESHNESS if result.config.turns_off(code))


def rules_off_note(codes: Iterable[str]) -> str:
    """ "Not checked (off in kam.yaml): KAM201 (Last contact older than the threshold)."
    for the rules ``codes`` that kam.yaml turns off, "" for none: what `kam stale` and
    `kam agenda` say they left out."""
    from kamtool.catalogue import RULES

    off = sorted(codes)
    if not off:
        return ""
    return _("Not checked (off in kam.yaml): {rules}.").format(
        rules=listed(
            pgettext("a rule's code and summary", "{code} ({summary})").format(
                code=code, summary=_(RULES[code].summary)
            )
            for code in off
        )
    )


class StaleTableReporter:
    """``kam stale`` in the terminal: who to call first. Fits the terminal's width by
    wrapping cells (names, owners); dates and numbers never wrap."""

    def render(
        self,
        result: RunResult,
        findings: list[Finding],
        *,
        color: bool = False,
        width: int | None = None,
        unread: Sequence[Finding] = (),
        **_opts: object,
    ) -> str:
        """``unread``: the error findings of accounts that did not load, shown on stderr
        rather than in the table but counted in its summary line."""
        from rich.markup import escape
        from rich.table import Table

        from kamtool.report.term import (
            add_columns,
            keeping_ids_whole,
            named,
            names_have_room,
            natural_width,
            output_width,
            print_table,
        )
        from kamtool.report.term import console as make_console

        if width is None:
            width = output_width()
        console = make_console(color, width)
        columns = [
            (_("account"), "left"),
            (_("person"), "left"),
            (_("field"), "left"),
            (_("date"), "left"),
            (_("from"), "left"),
            (_("age"), "right"),
            (_("limit"), "right"),
            (_("owner"), "left"),
            (_("severity"), "left"),
        ]
        stale = stale_rows(findings)
        off = _not_checked(result)
        if not stale:  # a sentence, not a table of headings over nothing
            from kamtool.report.term import wrap_wide

            if off:  # "every date is within its threshold" of dates kam did not look at
                said = (
                    _(
                        "Nothing is stale on {date} in the accounts that loaded: every date "
                        "checked is within its threshold."
                    )
                    if unread
                    else _(
                        "Nothing is stale on {date}: every date checked is within its threshold."
                    )
                )
            else:
                said = (
                    _(
                        "Nothing is stale on {date} in the accounts that loaded: every date is "
                        "within its threshold."
                    )
                    if unread
                    else _("Nothing is stale on {date}: every date is within its threshold.")
                )
            said = said.format(date=result.today.isoformat())
            line = summary_line([*findings, *unread], len(result.accounts))
            notes = wrap_wide(off, width) if off else []
            for part in [*wrap_wide(said, width), *notes, *wrap_wide(line, width)]:
                console.print(escape(part), soft_wrap=True)
            return console.file.getvalue()
        account_label = _("(account)")

        def make_rows(breaks: bool) -> list[list[str]]:
            return [
                [
                    named(r["account_name"], r["account"] or "", breaks),
                    named(r["person_name"], r["person"], breaks) if r["person"] else account_label,
                    _field_word(r["field"]),
                    r["date"] or _("never"),
                    r["source"] or "-",  # where the date came from (log.yaml:41)
                    _age(r["age_days"]),
                    "-" if r["threshold_days"] is None else _("{n}d").format(n=r["threshold_days"]),
                    r["owner"] or "-",
                    severities[r["severity"]],
                ]
                for r in stale
            ]

        severities = {level: _(level) for level in SEVERITY_RANK}
        rows = make_rows(breaks=False)
        narrow = natural_width(columns, rows) > width
        fixed: list[int] | None = None  # the narrow table's column widths (ids kept whole)
        wraps = {_("account"), _("person"), _("owner"), _("field"), _("from")}
        plain = (columns, rows)  # one line a cell: the records' source
        every_column = [name for name, _justify in columns]
        records = False
        if narrow:
            # a narrow terminal: the table drops its inner rules, names take their ids to
            # the next line (the name wraps, the id stays whole), then, until it fits, age
            # and limit share a column ("96d/60d") and the date (which the age tells) goes,
            # then where each date came from (``kam check`` says it), and last the names:
            # ids never break mid-word while that can be helped (an id broken cannot be
            # searched for)
            full = columns
            merged_columns = [*full[:3], full[4], (_("age/limit"), "right"), *full[7:]]

            def forms(
                rows: list[list[str]],
            ) -> list[tuple[list[tuple[str, str]], list[list[str]]]]:
                merged_rows = [
                    [*r[:3], r[4], _age_limit(r, row) if r[5] != "-" else _("never"), *r[7:]]
                    for r, row in zip(rows, stale, strict=True)
                ]
                return [
                    (full, rows),
                    (merged_columns, merged_rows),
                    (merged_columns[:3] + merged_columns[4:], [r[:3] + r[4:] for r in merged_rows]),
                ]

            named_forms = forms(make_rows(breaks=True))
            chosen = keeping_ids_whole(
                [*named_forms, *forms(_ids_only(stale, make_rows))], width, wraps
            )
            if chosen is None and names_have_room(named_forms[-1], width, wraps):
                # room for names, but not for the longest id whole: it breaks
                columns, rows = named_forms[-1]
            elif chosen is None:  # no room for the table at all: a row a record
                records = True
            else:
                (columns, rows), fixed = chosen
        # in a narrow terminal the table drops its inner rules (box.SIMPLE_HEAD) and its
        # edges, blank in that box: the 18 cells of lines go to the names, which then seldom
        # break mid-word (print_table draws a table without edges as fast as one with them)
        title = _("Stale data on {date}").format(date=result.today.isoformat())
        if records:
            from kamtool.report.term import record_lines, wrap_wide

            for line in [*wrap_wide(title, width), *record_lines(*plain, width)]:
                console.print(escape(line), soft_wrap=True)
        else:
            from rich import box

            table = Table(
                title=title,
                title_justify="left",
                box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD,
                padding=(0, 1, 0, 0) if narrow else (0, 1),
                pad_edge=not narrow,
                show_edge=not narrow,
                # a narrow table's names take two lines or more: a blank line between the
                # rows says which lines are one row
                show_lines=narrow and any("\n" in r[0] or "\n" in r[1] for r in rows),
            )
            add_columns(table, columns, wraps, fixed)
            styles = None
            if color:
                styles = [
                    [
                        *[None] * (len(columns) - 1),
                        {"error": "red", "warning": "yellow"}.get(sev, "cyan"),
                    ]
                    for sev in (r["severity"] for r in stale)
                ]
            print_table(console, table, rows, styles)
        # the accounts that did not load are shown on stderr, not in the table, but they
        # are counted: the summary must not say "0 errors" of a run that fails on them
        counted = [*findings, *unread]
        # wrapped as kam check wraps it: a count keeps its measure word ("6 个警告")
        from kamtool.report.term import limited, wrap_wide

        line = summary_line(counted, len(result.accounts))
        if narrow:  # the blank line the narrow table's bottom edge was
            console.print()
        shown = {name for name, _justify in columns} | {_("age"), _("limit")}
        gone = [name for name in every_column if name not in shown]
        if gone and not records:  # not silently: the README lists them
            note = _(
                "Left out for the terminal's width: {columns} (a wider terminal, or "
                "--format json, has them)."
            ).format(columns=listed(gone))
            for part in wrap_wide(note, width):
                console.print(escape(part), soft_wrap=True)
            console.print()  # the summary stands apart, as under the table
        if off:
            for part in wrap_wide(off, width) if limited(width) else [off]:
                console.print(escape(part), soft_wrap=True)
        for part in wrap_wide(line, width) if limited(width) else [line]:
            console.print(escape(part), soft_wrap=True)
        return console.file.getvalue()
