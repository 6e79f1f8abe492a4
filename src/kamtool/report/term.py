"""One way to draw rich output into a string, for every terminal reporter."""

from __future__ import annotations

import io
import os
import sys
from typing import TYPE_CHECKING, TextIO, cast

if TYPE_CHECKING:
    from rich.console import Console

    class StringConsole(Console):
        """What ``console`` returns: a Console whose file is the text written so far."""

        file: io.StringIO


UNLIMITED = 100_000
"""The width used when output goes to a file or a pipe: nothing is wrapped or cut."""


def output_width(stream: TextIO | None = None) -> int:
    """The width to draw for: ``COLUMNS`` when set (as rich reads it), else the terminal's
    width when standard output (or ``stream``, such as stderr) is a terminal, else no limit
    (a tree or table written to a file keeps whole lines; SPEC 7: wrap cells, never lines,
    and only where they are read).
    """
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    out = stream if stream is not None else sys.stdout
    try:
        if out.isatty():
            return os.get_terminal_size(out.fileno()).columns
    except (OSError, ValueError):
        pass
    return UNLIMITED


def limited(width: int | None) -> bool:
    return width is not None and width < UNLIMITED


def wrap(text: str, width: int, indent: str = "", first: str = "") -> list[str]:
    """``text`` as lines of at most ``width`` cells (CJK counts double): ``first`` before the
    first line, ``indent`` before the others; breaks at spaces, and inside a word only when
    the word alone is wider than the room."""
    return _fill([(word, True) for word in text.split()], width, indent, first)


def _fill(tokens: list[tuple[str, bool]], width: int, indent: str, first: str) -> list[str]:
    """Lay out ``(token, space before it)`` pairs in lines of at most ``width`` cells: a
    token goes to the next line when it does not fit, and is cut by cells only when it is
    wider than a whole line (``wrap`` and ``wrap_wide`` differ only in their tokens)."""
    from rich.cells import cell_len, chop_cells

    lines: list[str] = []
    line, used = first, cell_len(first)
    start = used
    for token, spaced in tokens:
        size = cell_len(token)
        gap = 1 if spaced and used > start else 0
        if used > start and used + gap + size > width:
            lines.append(line)
            line, used = indent, cell_len(indent)
            start, gap = used, 0
        line, used = line + " " * gap, used + gap
        room = max(width - used, 1)
        while size > room:  # a token wider than the line: cut it by cells
            head, *_ = chop_cells(token, room)
            # a wide character in a room of one cell: it goes whole (one cell over), or
            # the token would never get shorter
            head = head or token[0]
            lines.append(line + head)
            token = token[len(head) :]
            size = cell_len(token)
            line, used = indent, cell_len(indent)
            start = used
            room = max(width - used, 1)
        line, used = line + token, used + size
    if used > start or not lines:  # not a last line holding only the indent
        lines.append(line)
    return lines


#: punctuation that never starts a line (it stays with the character before it) and that
#: never ends one (it goes with the character after it), as Chinese typesetting has it
_NO_LINE_START = set("，。、；：！？）》」』”’…,.;:!?)]}%")
_NO_LINE_END = set("（《「『“‘([{")


def wrap_wide(text: str, width: int, indent: str = "", first: str = "") -> list[str]:
    """Like ``wrap`` for text with Chinese in it: a line may also break between two wide
    characters (Chinese has no spaces), never before closing or after opening
    punctuation; Latin words and code spans are kept whole where they fit."""
    from rich.cells import cell_len

    tokens: list[tuple[str, bool]] = []  # (text, a space before it)
    space = False
    for ch in text:
        if ch.isspace():
            space = True
            continue
        wide = cell_len(ch) == 2
        if tokens and not space:
            last = tokens[-1][0]
            joins = (
                ch in _NO_LINE_START
                or last[-1] in _NO_LINE_END
                or (not wide and cell_len(last[-1]) == 1)
            )
            if joins:
                tokens[-1] = (last + ch, tokens[-1][1])
                continue
        tokens.append((ch, space))
        space = False
    return _fill(tokens, width, indent, first)


def wrap_tail(
    text: str, tail: str, width: int, indent: str = "", first: str = "", sep: str = " "
) -> list[str]:
    """``wrap_wide(text + sep + tail)`` with ``tail`` (a finding's severity in parentheses,
    "(警告)") kept whole: on the last line when it fits there, else on a line of its own;
    between wide characters the plain wrap could cut a two-character word in half."""
    from rich.cells import cell_len

    lines = wrap_wide(text, width, indent, first)
    if cell_len(lines[-1]) + cell_len(sep) + cell_len(tail) <= width:
        lines[-1] += sep + tail
    else:
        lines.append(indent + tail)
    return lines


def fit_lines(lines: list[str], width: int | None = None) -> list[str]:
    """Plain text lines fitted to the terminal (``output_width`` when ``width`` is None):
    a longer line is wrapped by cells (``wrap_wide``), its continuation indented two more
    than the line; nothing is wrapped when the output goes to a file or a pipe."""
    from rich.cells import cell_len

    if width is None:
        width = output_width()
    if not limited(width):
        return lines
    out: list[str] = []
    for line in lines:
        if cell_len(line) <= width:
            out.append(line)
            continue
        lead = len(line) - len(line.lstrip(" "))
        out += wrap_wide(line[lead:], width, indent=" " * (lead + 2), first=" " * lead)
    return out


def console(color: bool, width: int | None = None) -> StringConsole:
    """A rich Console writing to memory; colours only when asked (terminal, no NO_COLOR)."""
    from rich.console import Console

    if width is None:
        width = output_width()
    made = Console(
        file=io.StringIO(),
        force_terminal=color,
        no_color=not color,
        width=width,
        highlight=False,
        emoji=False,  # a name like ":fire:" is text, not an emoji
        color_system="standard" if color else None,
    )
    return cast("StringConsole", made)


def natural_width(columns: list[tuple[str, str]], rows: list[list[str]]) -> int:
    """The width of a table with nothing wrapped: cells, one space each side, borders."""
    from rich.cells import cell_len

    widths = [cell_len(name) for name, _j in columns]
    for r in rows:
        for i, cell in enumerate(r[: len(columns)]):
            widths[i] = max(widths[i], cell_len(cell))
    return sum(widths) + 3 * len(widths) + 1


def narrow_width(columns: list[tuple[str, str]], rows: list[list[str]]) -> int:
    """The width of the narrow form of a table (``box.SIMPLE_HEAD``, one cell of padding
    on the right, no padding at the edges) with nothing wrapped."""
    return natural_width(columns, rows) - len(columns)


def plain_table(
    title: str, columns: list[tuple[str, str]], rows: list[list[str]], width: int
) -> str | None:
    """The table rich draws (heavy head box, left-justified title, one space of padding,
    no wrapping) for plain text, in a fraction of the time: rich spends about a millisecond
    a row, which a 2,000-account grade table cannot afford. None when the table would not
    fit ``width`` (rich then shrinks columns, so rich draws it) or a cell holds control
    characters or leading or trailing spaces.
    """
    from rich.cells import cell_len

    header = [name for name, _ in columns]
    widths = [cell_len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            if not cell.isprintable() or cell != cell.strip():
                return None  # rich trims and justifies such cells its own way
            n = cell_len(cell)
            if n > widths[i]:
                widths[i] = n
    total = sum(widths) + 3 * len(widths) + 1
    if total > width or cell_len(title) > total:
        return None

    def fit(cell: str, size: int, justify: str) -> str:
        room = size - cell_len(cell)
        if justify == "right":
            return " " * room + cell
        if justify == "center":
            left = room // 2
            return " " * left + cell + " " * (room - left)
        return cell + " " * room

    def line(cells: list[str], edge: str, middle: str, right: str) -> str:
        parts = [f" {fit(c, w, j)} " for c, w, (_, j) in zip(cells, widths, columns, strict=True)]
        return edge + middle.join(parts) + right

    def rule(left: str, fill: str, cross: str, right: str) -> str:
        return left + cross.join(fill * (w + 2) for w in widths) + right

    out = [
        title + " " * (total - cell_len(title)),
        rule("┏", "━", "┳", "┓"),
        line(header, "┃", "┃", "┃"),
        rule("┡", "━", "╇", "┩"),
    ]
    out.extend(line(row, "│", "│", "│") for row in rows)
    out.append(rule("└", "─", "┴", "┘"))
    return "\n".join(out) + "\n"
