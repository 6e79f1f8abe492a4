"""``kam ... --help`` in the output language.

The help texts are written in English where the commands are declared (``help=N_(...)``
and the commands' docstrings, both in the message catalogue); typer and click print them
through a help formatter, and ``cli`` hands them the one below, which translates what it
is given as it lays it out: the usage line, the headings, each command's and option's
help, typer's ``[default: ...]`` and ``[required]`` notes. It measures text in terminal
cells (a Chinese character takes two), so a Chinese help fits the width click asked for,
where click's own formatter counts characters and overflows. Option names, placeholders
(``ID``, ``DATE``) and format names stay as they are typed. It also drops what typer adds
for programmers: an argument's Python type (``PATH <list[str]>``) and the braces around
a required one in the usage line (``{ID}``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from typer._click.formatting import HelpFormatter as ClickHelpFormatter  # typer's click

from kamtool.i18n import N_, _, listed

#: help texts that come from click and typer rather than from kam's declarations, and the
#: headings typer writes (through the standard library's gettext, which kam does not use)
_CLICK_TEXTS = (
    N_("Show this message and exit."),
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
)

#: help texts made from a sentence and a list of format names (``text, json or csv.``):
#: the English text as declared -> (its sentence, the names for each of its fields)
_FORMAT_HELPS: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {}


def format_help(sentence: str, **lists: Sequence[str]) -> str:
    """The English help of a ``--format`` option: ``sentence`` (marked ``N_()``, with a
    field per list of format names) filled with each list as ``a, b or c``; remembered,
    so that the help is translated with the names in the output language's list style."""
    english = {
        field: names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
        for field, names in lists.items()
    }
    text = sentence.format(**english)
    _FORMAT_HELPS[text] = (sentence, {field: tuple(names) for field, names in lists.items()})
    return text


def translate(text: str) -> str:
    """A help text of kam, typer or click in the output language (as it is when the
    catalogue has no translation for it)."""
    if text in _FORMAT_HELPS:
        sentence, lists = _FORMAT_HELPS[text]
        return _(sentence).format(**{field: _one_of(names) for field, names in lists.items()})
    return _(text)


def _one_of(names: Sequence[str]) -> str:
    """``a, b or c`` in the output language (``a、b 或 c``: the list separator of
    ``schema_errors``' lists of choices)."""
    return listed(names, "or")


#: typer's notes after an option's help: ``[default: table]``, ``[required]``
_NOTES = re.compile(r"\s*\[((?:default: [^\]]*|required)(?:; (?:default: [^\]]*|required))*)\]$")


def _translate_row(text: str) -> str:
    """An option's or command's help with typer's notes, translated part by part."""
    notes = _NOTES.search(text)
    if notes is None:
        return translate(text)
    parts = []
    for note in notes.group(1).split("; "):
        if note == "required":
            parts.append(_("required"))
        else:
            parts.append(_("default: {default}").format(default=note[len("default: ") :]))
    help_text = text[: notes.start()]
    joined = _("; ").join(parts)
    translated = translate(help_text) if help_text else ""
    return f"{translated}  [{joined}]" if translated else f"[{joined}]"


def short_help(help_text: str | None) -> str:
    """A command's line in the list of commands: the first sentence of its translated
    help (Chinese ends a sentence with 。), whole: the list wraps it."""
    if not help_text:
        return ""
    text = " ".join(translate(help_text).split("\n\n")[0].split())
    for end in ("。", ". "):
        if end in text:
            return text.split(end, 1)[0] + end.strip()
    return text


#: typer's Python type after an argument's placeholder (``PATH <list[str]>``)
_ARGUMENT_TYPE = re.compile(r"^([A-Z][A-Z|]*(?:\.\.\.)?) <[^>]*>$")
#: typer's braces around a required argument in the usage line (``{ID}``)
_REQUIRED = re.compile(r"\{([A-Z][A-Z|]*)\}")


class HelpFormatter(ClickHelpFormatter):
    """click's help layout, translating what it writes and measuring it in cells."""

    def __init__(
        self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None
    ) -> None:
        """As wide as click makes help (the terminal, at most 80 columns, less 2), the
        terminal's width read as every kam output reads it (``COLUMNS`` when set)."""
        if width is None:
            from kamtool.report.term import output_width

            width = max(min(output_width(), max_width or 80) - 2, 40)
        super().__init__(indent_increment, width, max_width)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        from kamtool.report.term import wrap_wide

        args = _REQUIRED.sub(r"\1", args)
        args = args.replace("[OPTIONS]", _("[OPTIONS]")).replace(
            "COMMAND [ARGS]...", _("COMMAND [ARGS]...")
        )
        if prefix is None:
            prefix = _("Usage: ")
        first = " " * self.current_indent + prefix + prog + " "
        indent = " " * (self.current_indent + 4)
        for line in wrap_wide(args, self.width, indent, first):
            self.write(line.rstrip() + "\n")

    def write_heading(self, heading: str) -> None:
        self.write(" " * self.current_indent + _("{heading}:").format(heading=_(heading)) + "\n")

    def write_text(self, text: str) -> None:
        from kamtool.report.term import wrap_wide

        indent = " " * self.current_indent
        paragraphs = translate(text).split("\n\n")
        for i, paragraph in enumerate(paragraphs):
            if i:
                self.write("\n")
            for line in wrap_wide(" ".join(paragraph.split()), self.width, indent, indent):
                self.write(line + "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        from rich.cells import cell_len

        from kamtool.report.term import wrap_wide

        rows = [(_ARGUMENT_TYPE.sub(r"\1", first), second) for first, second in rows]
        if not rows:
            return
        first_col = min(max(cell_len(first) for first, _second in rows), col_max) + col_spacing
        margin = " " * self.current_indent
        hang = margin + " " * first_col
        room = max(self.width - first_col - self.current_indent, 10)
        for first, second in rows:
            if not second:
                self.write(margin + first + "\n")
                continue
            text = " ".join(_translate_row(second).split())
            if cell_len(first) <= first_col - col_spacing:
                head = margin + first + " " * (first_col - cell_len(first))
            else:
                self.write(margin + first + "\n")
                head = hang
            lines = wrap_wide(text, self.current_indent + first_col + room, hang, head)
            for line in lines:
                self.write(line + "\n")
