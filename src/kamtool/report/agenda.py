"""Renderers of ``kam agenda``: a terminal table, Markdown, JSON and an iCalendar file.

``AGENDA`` maps each ``--format`` to its reporter; every reporter takes the ranked
agenda (``analyse.agenda.Agenda``) and returns text.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Protocol

from kamtool.i18n import N_, _, days_text, listed, ngettext, number, spaced
from kamtool.report.escape import code_span, md, one_line
from kamtool.report.findings import rules_off_note
from kamtool.report.jsonout import dumps
from kamtool.report.labels import account_names, executive_sponsor

if TYPE_CHECKING:
    from kamtool.analyse.agenda import Agenda, Item

CATEGORY_LABELS = {
    "contact": N_("contact"),
    "action": N_("action"),
    "goal": N_("goal"),
    "pbip": "PBIP",
    "new-in-post": N_("new in post"),
    "departure": N_("departure"),
    "sponsor": N_("sponsor"),
    "review": N_("review"),
    "plan": N_("annual plan"),
}


def category_label(category: str) -> str:
    """An item's category as a calendar shows it; a sponsor touch is our executive
    sponsor's, not the power-map role S."""
    if category == "sponsor":
        return executive_sponsor()
    return _(CATEGORY_LABELS[category])


def when(item: Item, today: dt.date) -> str:
    """``overdue 5d``, ``today`` or ``in 3d`` (``due`` itself for the JSON)."""
    late = (today - item.due).days
    if late > 0:
        return _("overdue {n}d").format(n=late)
    if late == 0:
        return _("today")
    return _("in {n}d").format(n=-late)


def _heading(agenda: Agenda, owner: str, count: int) -> str:
    role = "" if agenda.owner is None else _(" (owner, backup or sponsor)")
    if not agenda.days:  # --days 0: "and the next 0 days" said nothing
        text = ngettext(
            "{owner}{role}: {n} item for today ({today})",
            "{owner}{role}: {n} items for today ({today})",
            count,
        )
    else:
        text = ngettext(
            "{owner}{role}: {n} item for {today} and the next {days}",
            "{owner}{role}: {n} items for {today} and the next {days}",
            count,
        )
    text = text.format(
        owner=owner,
        role=role,
        n=count,
        today=agenda.today.isoformat(),
        days=days_text(agenda.days),
    )
    return text + leaving_note(agenda, owner)


def leaving_note(agenda: Agenda, owner: str) -> str:
    """`` (leaves us on 2026-12-31: hand these over)`` after the heading of a colleague in
    kam.yaml's ``colleagues_leaving``: what is due in their name is what they hand over
    (KAM122 lists every place still in their name). Empty for everyone else."""
    day = agenda.last_day(owner)
    if day is None:
        return ""
    if day >= agenda.today:
        return _(" (leaves us on {day}: hand these over)").format(day=day.isoformat())
    return _(" (left us on {day}: hand these over)").format(day=day.isoformat())


def role_note(agenda: Agenda, item: Item) -> str:
    """With ``--owner``, an item the handle is on only as backup or sponsor says so and
    names who acts ("(backup; owner tom.hill)"): per-person agendas put side by side do
    not count it twice as work of theirs. Empty for the handle's own items."""
    if agenda.owner is None or item.owner == agenda.owner:
        return ""
    role = item.handles.get(agenda.owner)
    # who acts is the person's owner, or someone else (the executive sponsor of a sponsor
    # touch, an action's owner who is the person's backup): "(backup; owner olivia.wells)"
    # made the sponsor the owner of a person she only sponsors
    owns = item.handles.get(item.owner) == "owner"
    if role == "backup":
        note = _("(backup; owner {owner})") if owns else _("(person's backup; acts: {owner})")
    elif role == "sponsor":
        note = _("(sponsor; owner {owner})") if owns else _("(person's sponsor; acts: {owner})")
    else:  # the person's owner, while someone else owns the action or goal
        note = _("(person's owner; acts: {owner})")
    return note.format(owner=item.owner)


def _after_account(note: str) -> str:
    """``note`` (already escaped) after the account's closing parenthesis: a space before
    it in English, none before a full-width parenthesis."""
    return spaced(note)


class TableReporter:
    """The terminal view: one table per person who acts, cells wrap to the width."""

    def render(
        self, agenda: Agenda, *, color: bool = False, width: int = 100, **_options: object
    ) -> str:
        from kamtool.report.term import terminal_widths

        terminal_widths()
        from rich.markup import escape
        from rich.table import Table
        from rich.text import Text

        from kamtool.report.term import cell_len, limited, print_table, wrap_wide
        from kamtool.report.term import console as make_console

        console = make_console(color, width)
        groups = agenda.by_owner()
        # A command is copied and pasted: in a column of its own at 80 columns one of 36
        # characters broke in the middle ("kam log acct-00027 p00 --by / ana.ruiz").
        # When the longest command does not fit beside a readable "what and why" (about
        # 28 cells), the command goes under it, on a line of the wide column.
        longest = max((cell_len(i.command) for i in agenda.items), default=0)
        due_width = max((cell_len(when(i, agenda.today)) for i in agenda.items), default=0)
        due_width = max(due_width, cell_len(_("due")))
        beside = not limited(width) or due_width + 28 + longest + 10 <= width
        # under its step, the command has the wide column: the table's width less the
        # "due" column, the three rules and the padding ("│ due │ what │")
        room = width - due_width - 7
        # a bare word of a command that cannot fit the column (a long account id at 40
        # columns) was folded by the table: `nordlicht-energie-gmbh-an` over `d-co \`,
        # which pasted runs as two words. Then each step is a record across the line. (A
        # quoted message folded stays one word: the table keeps it.)
        records = (
            not beside
            and limited(width)
            and any(
                cell_len(word) + 4 > room
                for i in agenda.items
                if i.command.startswith("kam ")
                for word in _SHELL_WORD.findall(i.command)
                if "'" not in word and '"' not in word
            )
        )
        if not groups:
            console.print(
                (
                    _("Nothing due for {owner} today ({today}).")
                    if not agenda.days
                    else _("Nothing due for {owner} from {today} through the next {days}.")
                ).format(
                    owner=agenda.owner or _("anyone"),
                    today=agenda.today.isoformat(),
                    days=days_text(agenda.days),
                )
            )
        note = rules_off_note(agenda.off)
        if note and not groups:  # under the sentence, as kam stale says it
            for line in wrap_wide(note, width) if limited(width) else [note]:
                console.print(escape(line), soft_wrap=True)
        for n, (owner, items) in enumerate(groups.items()):
            if n:
                console.print()
            if records:
                for line, late_cells in _record_lines(agenda, owner, items, width):
                    shown = Text(line)
                    if color and late_cells:  # an overdue step's day in red, as in the table
                        shown.stylize("red", 0, late_cells)
                    console.print(shown, soft_wrap=True)
                continue
            table = Table(
                title=escape(_heading(agenda, owner, len(items))),
                title_justify="left",
                show_lines=True,
                expand=False,
            )
            table.add_column(_("due"), no_wrap=True)
            if beside:
                # the commands' column as wide as the longest command, the rest for the
                # words: rich shared a width between a ratio column and its min_width
                # past the terminal's (82 cells at 80), with Chinese due dates
                table.add_column(_("what and why"), ratio=1, overflow="fold")
                table.add_column(_("record with"), overflow="fold", width=longest)
            else:
                table.add_column(_("what and why (→ record with)"), overflow="fold")
            rows: list[list[str | Text]] = []
            styles: list[list[str | None]] = []
            # the step's title in bold where colours are on: the translated "{title}
            # ({account})" split around the title
            before, after = _("{title} ({account})").split("{title}", 1)

            def why(item: Item) -> str:
                """The reason, wrapped as kam wraps (a path cut after a folder) where the
                column is narrow: rich folded ``targets.yaml:22`` at any cell."""
                text = one_line(item.why)
                if beside or not limited(width) or all(cell_len(w) <= room for w in text.split()):
                    return text  # rich wraps it at its words, the column as wide as it was
                return "\n".join(wrap_wide(text, room))

            for item in items:
                late = (agenda.today - item.due).days > 0
                parts: tuple[str, ...] = (
                    before.format(account=item.account),
                    one_line(item.title),
                    after.format(account=item.account),
                    _after_account(one_line(role_note(agenda, item))),
                    "\n" + why(item),
                    "" if beside else "\n" + "\n".join(command_lines(item.command, room)),
                )
                what: str | Text = "".join(parts)
                if color:
                    what = Text.assemble(parts[0], (parts[1], "bold"), *parts[2:])
                if beside:
                    rows.append([when(item, agenda.today), what, item.command])
                    styles.append(["red" if color and late else None, None, None])
                else:
                    rows.append([when(item, agenda.today), what])
                    styles.append(["red" if color and late else None, None])
            # drawn as rich draws it, in a fraction of the time (a CRM import of
            # thousands of people gives thousands of steps)
            print_table(console, table, rows, styles)
        if note and groups:  # which steps no agenda of this team has
            console.print()
            for line in wrap_wide(note, width) if limited(width) else [note]:
                console.print(escape(line), soft_wrap=True)
        if len(groups) > 1:
            # a team's agenda runs to thousands of lines: the count at the end, where the
            # terminal stops, says what it adds up to
            console.print()
            summary = agenda_summary(agenda, len(groups))
            # wrapped as the notes of every report are: the terminal would wrap it anywhere
            for line in wrap_wide(summary, width) if limited(width) else [summary]:
                console.print(escape(line), soft_wrap=True)
        return console.file.getvalue()


def _record_lines(
    agenda: Agenda, owner: str, items: list[Item], width: int
) -> list[tuple[str, int]]:
    """One owner's steps as records across a narrow terminal: the heading, then for each
    step its due day and title, its reason and its command indented under it, each
    wrapped at words (a path after a folder) and the command broken between its words.
    Each line comes with the number of characters at its start that say an overdue step's
    day (0 for the others), which the table shows in red."""
    from kamtool.report.term import cell_len, wrap_wide

    out = [(line, 0) for line in wrap_wide(_heading(agenda, owner, len(items)), width)]
    for item in items:
        title = _("{title} ({account})").format(
            title=one_line(item.title), account=item.account
        ) + _after_account(one_line(role_note(agenda, item)))
        due = when(item, agenda.today)
        first = wrap_wide(f"{due} · {title}", width, indent="  ")
        late = (agenda.today - item.due).days > 0
        out += [("", 0), (first[0], min(len(due), len(first[0])) if late else 0)]
        lines = first[1:]
        lines += wrap_wide(one_line(item.why), width, indent="  ", first="  ")
        if not item.command.startswith("kam "):  # an instruction ("set status: ..."): text
            lines += wrap_wide("→ " + item.command, width, indent="    ", first="  ")
        else:
            for line in command_lines(item.command, width - 2):
                # a quoted message longer than the line is folded, as the table folded it
                # (one word still, whatever its breaks)
                line = "  " + line
                while cell_len(line) > width:
                    head, line = _fold_command(line, width)
                    lines.append(head)
                lines.append(line)
        out += [(line, 0) for line in lines]
    return out


def _fold_command(line: str, width: int) -> tuple[str, str]:
    """A command's line longer than ``width`` cut in two so that, pasted, the shell still
    reads the same words: inside a quoted message the quote is closed, the line continued
    (``'...lab demo for the '\\``) and the quote opened again at the start of the next
    line (``'core engineering team'``), which the shell joins into one word; a cut inside
    the quotes with a bare line break put a newline into the logged message. The cut is
    after a space where the quote has one. A bare word too long for any line is folded
    where it fills the line (no shell reading keeps it whole)."""
    cut = _fold_at(line, width)
    quotes = _open_quotes(line)
    last = cut - 2  # room for the closing quote and the backslash
    opened = quotes[last] if last > 0 else None
    if opened is None:
        return line[:cut], line[cut:]
    best = last
    for at in range(last, 0, -1):  # back to a space within the same quotes, if any
        if quotes[at] is None:
            break
        if line[at - 1] == " ":
            best = at
            break
    closing = '"' if opened == '"' else "'"
    return line[:best] + closing + "\\", opened + line[best:]


def _open_quotes(line: str) -> list[str | None]:
    """For each index of ``line``, the quote a shell is inside before that character (``'``,
    ``"`` or ``$'``), else None; a cut there may close and reopen it. Not between a
    backslash and the character it escapes, where a cut would change what it means."""
    state: list[str | None] = []
    opened: str | None = None
    i = 0
    while i < len(line):
        c = line[i]
        state.append(opened)
        if opened is None:
            if c == "$" and line[i + 1 : i + 2] == "'":
                state.append(None)  # between $ and its quote
                opened, i = "$'", i + 2
                continue
            if c in "'\"":
                opened = c
            elif c == "\\":
                state.append(None)
                i += 2
                continue
        elif opened != "'" and c == "\\":  # an escape in "..." and $'...'
            state.append(None)
            i += 2
            continue
        elif c == opened[-1]:  # its closing quote: ' for '...' and $'...', " for "..."
            opened = None
        i += 1
    state.append(opened)
    return state[: len(line) + 1]


def _fold_at(line: str, width: int) -> int:
    """The index at which ``line`` fills ``width`` cells."""
    from kamtool.report.term import cell_len

    cut = 0
    while cut < len(line) and cell_len(line[: cut + 1]) <= width:
        cut += 1
    return max(cut, 1)


#: a shell word as ``suggest.word`` writes it: bare, or quoted in parts ('a b', "it's")
_SHELL_WORD = re.compile(r"""(?:[^\s'"]+|'[^']*'|"(?:[^"\\]|\\.)*")+""")


def command_lines(command: str, room: int) -> list[str]:
    """``→ kam log ...`` under a step, in ``room`` cells: on one line when it fits, else
    broken between its words with a shell's line continuation (`` \\`` at the end of
    each line but the last), so that the lines pasted together still run as one command
    (an instruction that is no ``kam`` command wraps as text). A command folded by the table at any character ("... --by" on one line,
    "martin.kraus" on the next) ran as two commands: the first without its value."""
    from kamtool.report.term import terminal_widths

    terminal_widths()
    from kamtool.report.term import cell_len

    first = "→ " + command
    if cell_len(first) <= room or not command.startswith("kam "):
        return [first]  # a step with no command ("set status: done at ...") wraps as text
    lines: list[str] = []
    line = "→"
    for shell_word in _SHELL_WORD.findall(command):
        # the line's first word stays on it, however long (the table folds it then)
        if line.strip() != "→" and cell_len(line) + 1 + cell_len(shell_word) + 2 > room:
            lines.append(line + " \\")
            line = " "
        line += " " + shell_word
    return [*lines, line]


def agenda_summary(agenda: Agenda, owners: int) -> str:
    """ "1,493 items for 6 people: 1,204 overdue, 12 due today, 277 in the next 7 days"."""
    late = sum(1 for item in agenda.items if item.due < agenda.today)
    today = sum(1 for item in agenda.items if item.due == agenda.today)
    later = len(agenda.items) - late - today
    people = ngettext("{n} item for {owners}", "{n} items for {owners}", len(agenda.items)).format(
        n=number(len(agenda.items)),
        owners=ngettext("{n} person", "{n} people", owners).format(n=number(owners)),
    )
    if not agenda.days:  # nothing can be due later: the agenda is today's alone
        return _("{people}: {late} overdue, {today} due today").format(
            people=people, late=number(late), today=number(today)
        )
    return _("{people}: {late} overdue, {today} due today, {later} in the next {days}").format(
        people=people,
        late=number(late),
        today=number(today),
        later=number(later),
        days=days_text(agenda.days),
    )


class MarkdownReporter:
    """A list per person (CommonMark lists render the same on GitHub and GitLab)."""

    def render(self, agenda: Agenda, **_options: object) -> str:
        lines = [
            "# "
            + (
                _("Agenda for today ({today})")
                if not agenda.days
                else _("Agenda for {today} and the next {days}")
            ).format(today=agenda.today.isoformat(), days=days_text(agenda.days)),
            "",
        ]
        if agenda.invalid:
            # the file is read where the terminal's error is not (a wiki, an issue): an
            # account left out must not pass for one with nothing due (SPEC 7)
            lines += [
                ngettext(
                    "Left out: {ids} could not be loaded (`kam validate` says why); "
                    "nothing of it is in this agenda.",
                    "Left out: {ids} could not be loaded (`kam validate` says why); "
                    "nothing of them is in this agenda.",
                    len(agenda.invalid),
                ).format(ids=md(listed(agenda.invalid))),
                "",
            ]
        groups = agenda.by_owner()
        if not groups:
            lines += [
                _("Nothing due for {owner}.").format(owner=md(agenda.owner or _("anyone"))),
                "",
            ]
        if agenda.off:
            lines += [md(rules_off_note(agenda.off)), ""]
        names = account_names(((i.account, i.account_name) for i in agenda.items), True)
        for owner, items in groups.items():
            lines += [f"## {md(_heading(agenda, owner, len(items)))}", ""]
            for item in items:
                lines.append(
                    "1. "
                    + _("**{when}**: {title} ({account}){role}: {why}. Record: {command}").format(
                        when=md(when(item, agenda.today)),
                        title=md(item.title),
                        account=md(names[item.account]),
                        role=_after_account(md(role_note(agenda, item))),
                        why=md(item.why),
                        command=code_span(item.command),
                    )
                )
            lines.append("")
        return "\n".join(lines)


class JsonReporter:
    def render(self, agenda: Agenda, **_options: object) -> str:
        return dumps(
            {
                "today": agenda.today.isoformat(),
                "days": agenda.days,
                "owner": agenda.owner,
                "items": [item.to_dict(agenda.today) for item in agenda.items],
                "invalid": agenda.invalid,
                # the rules kam.yaml turns off that would say a step is due: none listed
                "off": agenda.off,
                # the last day of each colleague of the items who is leaving
                "colleagues_leaving": {
                    handle: day.isoformat()
                    for handle in sorted({agenda.owner or i.owner for i in agenda.items})
                    if (day := agenda.last_day(handle)) is not None
                },
            }
        )


class IcsReporter:
    """RFC 5545: one all-day VEVENT per item on its due day (today when overdue).

    UIDs come from what the item is about (account, kind, person or action), so a
    calendar subscribed to the file updates events in place from week to week; DTSTAMP is
    the agenda's day, so two runs on the same day write the same bytes."""

    def render(self, agenda: Agenda, **_options: object) -> str:
        from icalendar import Calendar, Event

        cal = Calendar()
        cal.add("prodid", "-//kamtool//kam agenda//EN")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")  # a published calendar, as subscriptions expect
        cal.add("x-wr-calname", f"kam agenda{f' ({agenda.owner})' if agenda.owner else ''}")
        stamp = dt.datetime.combine(agenda.today, dt.time(0, 0), tzinfo=dt.UTC)
        names = account_names(((i.account, i.account_name) for i in agenda.items), True)
        for item in agenda.items:
            day = max(item.due, agenda.today)
            event = Event()
            event.add("uid", item.uid)
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            if day < dt.date.max:
                event.add("dtend", day + dt.timedelta(days=1))
            # else (``due: 9999-12-31``, a "some day" some teams write) no DTEND: an
            # all-day event without one lasts its day (RFC 5545 3.6.1); the day after it
            # is beyond every calendar's dates (and ended the run as an internal error)
            # a team calendar (no --owner) says whose item it is
            who = "" if agenda.owner else f"{item.owner}: "
            # an event's title is one line, as in every other output: an action's text
            # written as a block scalar (``text: |``) keeps no line breaks in it
            event.add("summary", one_line(f"{who}{item.title} ({names[item.account]})"))
            event.add(
                "description",
                _("{why}\n\nRecord it: {command}\n\nOwner: {owner}").format(
                    why=item.why, command=item.command, owner=item.owner
                ),
            )
            event.add("categories", [category_label(item.category)])
            event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
            cal.add_component(event)
        return cal.to_ical().decode("utf-8")


class AgendaReporter(Protocol):
    def render(self, agenda: Agenda, *, color: bool = False, width: int = 100) -> str: ...


AGENDA: dict[str, type[AgendaReporter]] = {
    "table": TableReporter,
    "markdown": MarkdownReporter,
    "json": JsonReporter,
    "ics": IcsReporter,
}
