"""Reporters for ``kam grade``: table, json, csv, markdown, and the one-account view."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Protocol, TypedDict

from kamtool.analyse.portfolio import grade_totals
from kamtool.catalogue import FRESHNESS
from kamtool.i18n import number
from kamtool.report.escape import csv_cell, md, one_line
from kamtool.report.jsonout import dumps
from kamtool.report.labels import N_, _, ngettext, tier_label

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from kamtool.analyse.grading import Component, Grade
    from kamtool.core import AccountResult, RunResult
    from kamtool.findings import Finding
    from kamtool.jsontypes import JsonObject


def points_text(value: float) -> str:
    """Score points in every human table: one decimal, always (17.5, 11.1, 5.0)."""
    return f"{value:.1f}"


def stale_count(acct: AccountResult) -> int:
    return sum(1 for f in acct.findings if f.code in FRESHNESS)


def tier_text(g: Grade) -> str:
    if g.tier_override and g.tier_override != g.computed_tier:
        return f"{g.computed_tier or '-'} / {g.tier_override}"
    return g.tier or "-"


class WorstFinding(TypedDict):
    """The account's most severe finding, with the place `kam check` gives it (``path``,
    ``line``, ``column``: a script finds the same finding in `kam check --format json`)."""

    code: str
    severity: str
    message: str
    path: str
    line: int
    column: int


def worst_finding(acct: AccountResult) -> WorstFinding | None:
    w = acct.worst()
    if w is None:
        return None
    return {
        "code": w.code,
        "severity": w.severity,
        "message": w.message,
        "path": w.path,
        "line": w.line,
        "column": w.column,
    }


def severity_counts(findings: list[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity] += 1
    return counts


def row(analysed: AccountResult) -> JsonObject:
    """One account as plain data: the single source for every grade format."""
    a = analysed.account
    g = analysed.grade
    base: JsonObject = {
        "id": analysed.id,
        "name": a.profile.name if a.profile is not None else None,
        "owner": a.profile.owner if a.profile is not None else None,
        "path": a.display,
        "valid": g is not None,
        "worst_finding": worst_finding(analysed),
        "findings": severity_counts(analysed.findings),
    }
    if g is None:
        # every key of a graded account, null: a script reads the same shape for each
        base.update(
            tier=None,
            computed_tier=None,
            tier_override=None,
            tier_label=None,
            focus=None,
            score=None,
            letter=None,
            key_people=None,
            decision_makers=None,
            unknown_attitudes=None,
            stale=None,
            components=None,
        )
        return base
    base.update(
        tier=g.tier,
        computed_tier=g.computed_tier,
        tier_override=g.tier_override,
        tier_label=g.tier_label,
        focus=g.focus,
        score=g.score,
        letter=g.letter,
        key_people=g.key_people,
        decision_makers={"supportive": g.dm_supportive, "total": g.dm_total},
        unknown_attitudes=g.unknown_attitudes,
        stale=stale_count(analysed),
        components={c.name: component(c) for c in g.components},
    )
    return base


def component(c: Component) -> JsonObject:
    """One score component as plain data, its ``label`` in the output language as its
    ``detail`` is (the keys stay English; the README's JSON contract)."""
    d = c.to_dict()
    return {**d, "label": _(d["label"])}


class JsonGrades:
    def render(self, result: RunResult, **_: object) -> str:
        doc = {
            "today": result.today.isoformat(),
            "accounts": [row(a) for a in result.accounts],
            "total": grade_totals(result),
        }
        return dumps(doc)


CSV_COMPONENTS = (
    "decision_makers",
    "weighted_support",
    "known_attitudes",
    "ab_cover",
    "channels",
    "coach",
    "competitive_standing",
    "freshness",
)


class CsvGrades:
    def render(self, result: RunResult, **_: object) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(
            [
                "id",
                "name",
                "owner",
                "tier",
                "computed_tier",
                "tier_override",
                "score",
                "letter",
                "dm_supportive",
                "dm_total",
                "unknown_attitudes",
                "stale",
                "worst_finding",
                *CSV_COMPONENTS,
            ]
        )
        for acct in by_tier_then_score(result):
            r = row(acct)
            comps = r.get("components") or {}
            dm = r.get("decision_makers") or {}
            w.writerow(
                [
                    csv_cell(r["id"]),
                    csv_cell(r["name"] or ""),
                    csv_cell(r["owner"] or ""),
                    r["tier"] or "",
                    r["computed_tier"] or "",
                    r["tier_override"] or "",
                    "" if r["score"] is None else r["score"],
                    r["letter"] or "",
                    dm.get("supportive", ""),
                    dm.get("total", ""),
                    r.get("unknown_attitudes", ""),
                    r.get("stale", ""),
                    (r["worst_finding"] or {}).get("code", ""),
                    *[comps[c]["earned"] if c in comps else "" for c in CSV_COMPONENTS],
                ]
            )
        return buf.getvalue()


def account_label(r: JsonObject) -> str:
    """An account as people name it, with the id kam commands take: "Customer 17 AG
    (acct17)" (as the portfolio names them); the id alone when the name is unknown."""
    from kamtool.report.term import named

    return named(r["name"], r["id"])


def tier_order(result: RunResult) -> dict[str | None, int]:
    tiers = [t.name for t in result.config.tiers] if getattr(result, "config", None) else []
    return {name: i for i, name in enumerate(tiers)}


def by_tier_then_score(result: RunResult) -> list[AccountResult]:
    """Accounts that did not load first, then by tier (the configured order, S first) and
    score, lowest first: the focus accounts that need help lead."""
    order = tier_order(result)

    def key(acct: AccountResult) -> tuple[int, int, int, str]:
        g = acct.grade
        if g is None:
            return (0, 0, 0, acct.id)
        return (1, order.get(g.tier, len(order)), g.score, acct.id)

    return sorted(result.accounts, key=key)


def _total_lines(result: RunResult, width: int) -> list[str]:
    """``total_line`` wrapped to ``width``, each letter's count kept with its letter: at 40
    columns "letters 0 A, 0 B, 15" ended a line and "C, 30 D" began the next."""
    from kamtool.i18n import listed, pgettext
    from kamtool.report.term import wrap_items, wrap_wide

    line = total_line(result)
    counts = [f"{number(n)} {x}" for x, n in grade_totals(result)["letters"].items()]
    head, found, tail = line.rpartition(listed(counts))
    if not found or not head:
        return wrap_wide(line, width, "  ")
    lines = wrap_items(head, counts, pgettext("list of items", ", "), width, "  ")
    lines[-1] += tail
    return lines


def total_line(result: RunResult) -> str:
    """The grade table's last line: how many accounts, how many could not be read, and
    how many have each score letter, every letter named (0 E says none is failing)."""
    from kamtool.i18n import listed

    t = grade_totals(result)
    broken = t["not_loaded"]
    counts = listed(f"{number(n)} {x}" for x, n in t["letters"].items())
    n = t["accounts"]
    if broken:
        return ngettext(
            "total: {n} account, {broken} could not be read; letters {letters}",
            "total: {n} accounts, {broken} could not be read; letters {letters}",
            n,
        ).format(n=number(n), broken=number(broken), letters=counts)
    return ngettext(
        "total: {n} account; letters {letters}", "total: {n} accounts; letters {letters}", n
    ).format(n=number(n), letters=counts)


class MarkdownGrades:
    """For a report or a PR: a heading with the date, accounts by tier then score (worst
    focus accounts first), the worst finding with its severity."""

    def render(self, result: RunResult, *, explain: bool = False, **_opts: object) -> str:
        out = [
            "## {}".format(_("Account grades on {date}").format(date=result.today.isoformat())),
            "",
            _(
                "By tier, then score (lowest first). Score letters: A >= 85, B >= 70, C >= 55, "
                "D >= 40, else E."
            ),
            "",
            "| "
            + " | ".join(
                [
                    _("account"),
                    _("owner"),
                    _("tier"),
                    _("score"),
                    _("letter"),
                    _("DMs supportive"),
                    _("unknown attitudes"),
                    _("stale"),
                    _("worst finding"),
                    _("severity"),
                ]
            )
            + " |",
            "|---|---|---|---:|:-:|:-:|---:|---:|---|---|",
        ]
        accounts = by_tier_then_score(result)
        for acct in accounts:
            r = row(acct)
            g = acct.grade
            worst = r["worst_finding"]
            worst_txt = f"{worst['code']} {md(worst['message'])}" if worst else ""
            sev = _(worst["severity"]) if worst else ""
            name = md(account_label(r))
            owner = md(r["owner"] or "-")
            if g is None:
                out.append(f"| {name} | {owner} | - | - | - | - | - | - | {worst_txt} | {sev} |")
                continue
            out.append(
                f"| {name} | {owner} | {md(tier_text(g))} | {g.score} | {g.letter} | "
                f"{g.dm_supportive}/{g.dm_total} | {g.unknown_attitudes} | {r['stale']} | {worst_txt} | {sev} |"
            )
        out += ["", md(total_line(result))]
        if explain:
            for acct in accounts:
                if acct.grade is None:
                    continue
                out += [
                    "",
                    f"### {md(acct.id)}: {acct.grade.score} ({acct.grade.letter})",
                    "",
                    "| {} | {} | {} | {} |".format(
                        _("component"), _("points"), _("earned"), _("inputs")
                    ),
                    "|---|---:|---:|---|",
                ]
                for c in acct.grade.components:
                    d = c.to_dict()
                    out.append(
                        f"| {md(_(d['label']))} | {c.points} | {points_text(d['earned'])} | {md(c.detail)} |"
                    )
        return "\n".join(out) + "\n"


class TableGrades:
    """A rich table for the terminal; one account gives the detailed view."""

    def render(
        self,
        result: RunResult,
        *,
        explain: bool = False,
        color: bool = False,
        width: int | None = None,
    ) -> str:
        from rich.table import Table

        from kamtool.report.term import (
            TableForm,
            add_columns,
            keeping_ids_whole,
            names_have_room,
            natural_width,
            output_width,
            print_table,
        )
        from kamtool.report.term import console as make_console

        if width is None:
            width = output_width()
        console = make_console(color, width)
        if len(result.accounts) == 1 and result.accounts[0].grade is not None:
            self._detail(console, result.accounts[0], result)
            return console.file.getvalue()
        title = _("Accounts graded on {date}").format(date=result.today.isoformat())
        # the accounts that did not load first, then by tier and score (lowest first)
        accounts = by_tier_then_score(result)
        rows = [_plain_row(a) for a in accounts]
        columns = [(_(name), justify) for name, justify in _COLUMNS]
        worst_below: list[tuple[str, str, str]] = []
        if natural_width(columns, rows) > width:
            # too narrow for a finding per row: the table without it, the findings under it
            columns = columns[:-1]
            worst_below = [
                # the severity as every finding ends in the output language: (警告) is
                # （警告） in Chinese, with no space before it (report.findings)
                (
                    a.id,
                    f"{w['code']} {w['message']}",
                    _(" ({severity})").format(severity=_(w["severity"])),
                )
                for a in accounts
                if (w := worst_finding(a)) is not None
            ]
            rows = [r[:-1] for r in rows]
        from rich import box

        # too wide: the table drops its inner rules (box.SIMPLE_HEAD) and its blank edge
        # cells, and chooses its form and column widths as the stale table does
        # (term.keeping_ids_whole): each name over its id (the id on a line of its own,
        # never broken), then the score and its letter in one column ("62 C"), then the
        # same with the ids alone
        narrow = natural_width(columns, rows) > width
        wraps = {_("account"), _("tier"), _("worst finding")}
        fixed: list[int] | None = None
        merged = False  # score and letter in one column
        plain = (columns, rows)  # one line a cell: the records' source
        records = False
        if narrow:
            # a header wider than every cell under it takes that width from the names:
            # "DMs +/all" (9 cells over "1/2") goes on two lines
            dms = _(_COLUMNS[5][0])
            columns = [(_("DMs\n+/all"), j) if c == dms else (c, j) for c, j in columns]
            count = len(columns)
            merged_columns = [*columns[:4], *columns[5:]]

            def forms(rows: list[list[str]]) -> list[TableForm]:
                joined = [[*r[:3], _score_and_letter(r[3], r[4]), *r[5:]] for r in rows]
                return [(columns, rows), (merged_columns, joined)]

            named_forms = forms([_plain_row(a, breaks=True)[:count] for a in accounts])
            ids_rows = [[a.id, *r[1:]] for a, r in zip(accounts, rows, strict=True)]
            chosen = keeping_ids_whole([*named_forms, *forms(ids_rows)], width, wraps)
            if chosen is None and names_have_room(named_forms[-1], width, wraps):
                # room for names, but not for the longest id whole: it breaks
                columns, rows = named_forms[-1]
            elif chosen is None:  # no room for the table at all: an account a record
                records = True
            else:
                (columns, rows), fixed = chosen
            merged = columns is merged_columns
        if records:
            from kamtool.report.term import record_lines, wrap_wide

            for line in [*wrap_wide(title, width), *record_lines(*plain, width)]:
                console.print(_esc(line), soft_wrap=True)
        else:
            table = Table(
                title=_esc(title),
                title_justify="left",
                box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD,
                padding=(0, 1, 0, 0) if narrow else (0, 1),
                pad_edge=not narrow,
                show_edge=not narrow,
                # a narrow table's names take two lines or more: a blank line between the
                # rows says which lines are one row (as in the stale table)
                show_lines=narrow and any("\n" in r[0] for r in rows),
            )
            # names and findings wrap inside their cells when the terminal is narrow
            add_columns(table, columns, wraps, fixed)
            styles: list[list[str | None]] | None = None
            cells: list[list[str | Text]] = [list(r) for r in rows]
            if color:
                from rich.text import Span, Text

                styles = []
                for acct, cell_row in zip(accounts, cells, strict=True):
                    style: list[str | None] = [None] * len(columns)
                    if acct.grade is None:
                        style[0] = "red"
                    elif merged:  # the letter alone coloured, not the score beside it
                        text = str(cell_row[3])
                        letter = len(text) - len(acct.grade.letter)
                        cell_row[3] = Text(
                            text, spans=[Span(letter, len(text), _LETTER_STYLE[acct.grade.letter])]
                        )
                    else:
                        style[4] = _LETTER_STYLE[acct.grade.letter]
                    styles.append(style)
            # drawn the way rich draws it, in a fraction of the time (2,000 accounts)
            print_table(console, table, cells, styles)
        if worst_below:
            from kamtool.report.term import NAME_ROOM, cell_len, wrap_tail, wrap_wide

            console.print(_("Worst finding of each account:"))
            for account_id, text, severity in worst_below:
                # "beta: " ("beta：" in Chinese, whose colon brings its own room)
                first = "  " + _("{account}: {message}").format(account=account_id, message="")
                # an id that leaves the finding less than a name's room: on its own
                # line(s), whole (at 80 columns an id of 55 letters keeps its line)
                if cell_len(first) > width - NAME_ROOM:
                    for line in wrap_wide(first.strip(), width, "  ", "  "):
                        console.print(_esc(line), soft_wrap=True)
                    first = "    "
                sep = " " if severity.startswith(" ") else ""
                tail = severity.strip()
                for line in wrap_tail(text, tail, width, indent="    ", first=first, sep=sep):
                    console.print(_esc(line), soft_wrap=True)
        # the last line of the grades, under the worst findings when they moved below
        for line in _total_lines(result, width):
            console.print(_esc(line), soft_wrap=True)
        if explain:
            for acct in accounts:
                if acct.grade is not None:
                    console.print()
                    self._components(console, acct)
        return console.file.getvalue()

    def _components(self, console: Console, acct: AccountResult) -> None:
        from rich.table import Table

        g = acct.grade
        assert g is not None  # called for graded accounts only
        from kamtool.report.term import fits_unbroken, limited, record_lines, wrap_wide

        title = _("{account}: score {score} ({letter})").format(
            account=acct.id, score=g.score, letter=g.letter
        )
        heads = [_("component"), _("points"), _("earned"), _("inputs")]
        rows = [
            [_(c.to_dict()["label"]), str(c.points), points_text(c.to_dict()["earned"]), c.detail]
            for c in g.components
        ]
        columns = [(h, "left") for h in heads]
        width = console.width
        if limited(width) and not fits_unbroken(columns, rows, width):
            # 40 columns broke words in every cell ("componen" over "t", "Al-Fars" over
            # "i"): a component a record, its figures and inputs after their headings
            for line in [*wrap_wide(title, width), *record_lines(columns, rows, width)]:
                console.print(_esc(line), soft_wrap=True)
            return
        t = Table(title=title, title_justify="left")
        t.add_column(heads[0], overflow="fold")
        t.add_column(heads[1], justify="right", no_wrap=True)
        t.add_column(heads[2], justify="right", no_wrap=True)
        t.add_column(heads[3], overflow="fold")
        for label, points, earned, detail in rows:
            t.add_row(label, points, earned, _esc(detail))
        console.print(t)

    def _detail(self, console: Console, analysed: AccountResult, result: RunResult) -> None:
        from kamtool.report.findings import TALLY_FROM, rule_tally

        g = analysed.grade
        a = analysed.account.profile
        assert g is not None and a is not None  # one valid account
        console.print(_("{name} ({id})").format(name=_esc(a.name), id=analysed.id), style="bold")
        why = _("position {position}, value {value} → computed tier {tier}").format(
            position=a.position, value=a.value, tier=g.computed_tier or "-"
        )
        if g.tier_override:
            why += _("; manual tier {tier}: {reason}").format(
                tier=g.tier_override, reason=_esc(one_line(a.tier_reason or ""))
            )
        # one sentence per language, so its punctuation is the language's (级别 S（战略客户）：)
        label = tier_label(g.tier, g.tier_label)
        if label:
            head = _("tier {tier} ({label}): {why}").format(
                tier=g.tier or "-", label=label, why=why
            )
        else:
            head = _("tier {tier}: {why}").format(tier=g.tier or "-", why=why)
        from kamtool.report.term import limited
        from kamtool.report.term import wrap_wide as wrap

        def say(text: str) -> None:
            """A line of the heading, its continuation indented (rich wrapped it flush)."""
            lines = wrap(text, console.width, "  ") if limited(console.width) else [text]
            for line in lines:
                console.print(line, soft_wrap=True)

        say(head)
        say(
            ngettext(
                "score {score} ({letter}) over {n} key person; "
                "decision makers supportive {supportive}/{total}; "
                "unknown attitudes {unknown}; stale {stale}",
                "score {score} ({letter}) over {n} key people; "
                "decision makers supportive {supportive}/{total}; "
                "unknown attitudes {unknown}; stale {stale}",
                g.key_people,
            ).format(
                score=g.score,
                letter=g.letter,
                n=number(g.key_people),
                supportive=number(g.dm_supportive),
                total=number(g.dm_total),
                unknown=number(g.unknown_attitudes),
                stale=number(stale_count(analysed)),
            )
        )
        console.print()
        self._components(console, analysed)
        if len(analysed.findings) >= TALLY_FROM:
            # thousands of findings (a first CRM import) would bury the grade: the count per
            # rule, and where the list is
            console.print()
            for line in rule_tally(analysed.findings, console.width):
                console.print(_esc(line), soft_wrap=True)
            from kamtool.report.term import cell_len

            command = check_command(analysed)
            said = _("every finding, with its place: {command}")
            whole = said.format(command=command)
            if cell_len(whole) <= console.width:
                console.print(_esc(whole), soft_wrap=True)
            else:  # the command on a line of its own, whole: it is pasted as it stands
                lead = said.split("{command}")[0].rstrip()
                console.print(_esc(lead), soft_wrap=True)
                console.print(_esc("  " + command), soft_wrap=True)
        elif analysed.findings:
            from kamtool.report.findings import by_severity, finding_lines

            console.print()
            for f in by_severity(analysed.findings):
                for line in finding_lines(f, console.width):
                    console.print(_esc(line), soft_wrap=True)


_COLUMNS = [
    (N_("account"), "left"),
    (N_("owner"), "left"),
    (N_("tier"), "left"),
    (N_("score"), "right"),
    (N_("letter"), "center"),
    (N_("DMs +/all"), "center"),
    (N_("unknown"), "right"),
    (N_("stale"), "right"),
    (N_("worst finding"), "left"),
]


def _plain_row(acct: AccountResult, breaks: bool = False) -> list[str]:
    """One account's cells of the grade table, as plain text, from ``row``; ``breaks``:
    the account's id on a line of its own under its name (``term.named``)."""
    from kamtool.report.term import named

    r = row(acct)
    wtxt = _short_finding(r["worst_finding"])
    label = named(r["name"], r["id"], breaks)
    owner = one_line(r["owner"] or "-")
    if acct.grade is None:  # not valid
        return [label, owner, "-", "-", "-", "-", "-", "-", wtxt]
    dms = r["decision_makers"]
    return [
        label,
        owner,
        tier_text(acct.grade),
        str(r["score"]),
        r["letter"],
        f"{number(dms['supportive'])}/{number(dms['total'])}",
        number(r["unknown_attitudes"]),
        number(r["stale"]),
        wtxt,
    ]


def _score_and_letter(score: str, letter: str) -> str:
    """The narrow grade table's one column for both: "62 C"; "-" for an account that
    did not load."""
    return f"{score} {letter}" if score != "-" else "-"


def _short_finding(worst: WorstFinding | None, limit: int = 40) -> str:
    if not worst:
        return ""
    from rich.cells import set_cell_size

    from kamtool.report.term import cell_len

    text = f"{worst['code']} {worst['message']}"
    # in terminal cells: a CJK character takes two
    return text if cell_len(text) <= limit else set_cell_size(text, limit - 3) + "..."


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


_LETTER_STYLE = {"A": "green", "B": "green", "C": "yellow", "D": "red", "E": "red"}


class GradesReporter(Protocol):
    def render(self, result: RunResult, *, explain: bool = False, color: bool = False) -> str: ...


GRADES: dict[str, type[GradesReporter]] = {
    "table": TableGrades,
    "json": JsonGrades,
    "csv": CsvGrades,
    "markdown": MarkdownGrades,
}


def check_command(analysed: AccountResult) -> str:
    """``kam check ID``, the command that lists an account's findings with their places
    (``suggest``: as the user pastes it after this run)."""
    from kamtool import suggest

    account = analysed.account
    return suggest.command("check", suggest.account(account.id, account.folder, "check"))
