"""One way to draw rich output into a string, for every terminal reporter."""

from __future__ import annotations

import io
import itertools
import os
import re
import sys
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, TextIO, cast

from kamtool.i18n import PATH, is_path, is_wide
from kamtool.report.escape import inert_bidi

if TYPE_CHECKING:
    from rich.cells import CellTable
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    class StringConsole(Console):
        """What ``console`` returns: a Console whose file is the text written so far."""

        file: io.StringIO


_WIDTHS_SET = False


def terminal_widths() -> None:
    """Have rich measure text as the terminal draws it, once per process, before the first
    measure: a spacing vowel sign of Devanagari and the other Indic scripts (Unicode
    category Mc: the ा of राजेश) takes a cell in the terminals kam is read in (glibc's
    wcwidth, xterm, VTE, tmux, Windows console), where rich's width table counts it as
    none, so a table row with a Hindi name came out wider than the terminal and wrapped
    (SPEC 7: wrap cells, never lines). Combining marks that do not take a cell (Mn, the
    Thai vowel signs above and below) stay at none. The bidi embeddings, overrides and
    isolates take one: a terminal report shows each as U+FFFD (``_TerminalText``). A rich
    without that table (before 14) is left as it is."""
    global _WIDTHS_SET
    if _WIDTHS_SET:
        return
    _WIDTHS_SET = True
    import functools
    import unicodedata

    import rich.cells

    from kamtool.report.escape import BIDI_CONTROLS

    caches = ("get_character_cell_size", "cached_cell_len")
    if not hasattr(rich.cells, "load_cell_table") or not all(
        hasattr(getattr(rich.cells, name, None), "cache_clear") for name in caches
    ):
        return
    load = rich.cells.load_cell_table

    @functools.cache
    def spacing_marks_one_cell(unicode_version: str = "auto") -> CellTable:
        table = load(unicode_version)
        try:
            return _spacing_marks_one_cell(table)
        except (AttributeError, TypeError, ValueError):  # a rich whose table is otherwise
            return table

    def _spacing_marks_one_cell(table: CellTable) -> CellTable:
        widths: list[tuple[int, int, int]] = []
        for start, end, size in table.widths:
            if size != 0:
                widths.append((start, end, size))
                continue
            run = None  # the start of the current run of zero-width code points
            for code in range(start, end + 1):
                # not listed: one cell (a bidi control is shown as U+FFFD, one cell)
                if unicodedata.category(chr(code)) == "Mc" or chr(code) in BIDI_CONTROLS:
                    if run is not None:
                        widths.append((run, code - 1, 0))
                        run = None
                elif run is None:
                    run = code
            if run is not None:
                widths.append((run, end, 0))
        return table._replace(widths=widths)

    rich.cells.load_cell_table = spacing_marks_one_cell
    rich.cells.get_character_cell_size.cache_clear()
    rich.cells.cached_cell_len.cache_clear()


def cell_len(text: str) -> int:
    """Cells ``text`` takes in a terminal, with ``terminal_widths`` in force: every report
    measures through this one, so a column measured by a report and the table rich draws
    agree (a Hindi name measured before the adjustment and drawn after it did not)."""
    terminal_widths()
    from rich.cells import cell_len as measure

    return measure(text)


UNLIMITED = 100_000
"""The width used when output goes to a file or a pipe: nothing is wrapped or cut."""


#: the width of a terminal that reports none
UNKNOWN_TERMINAL = 80


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
            # a terminal that does not know its size says 0 columns (``docker run -t``
            # before the size is set, a serial console, a pseudo-terminal opened by a
            # program): 80, as every terminal program assumes, not a column a character
            return os.get_terminal_size(out.fileno()).columns or UNKNOWN_TERMINAL
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
    terminal_widths()
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
            # a path or an id is cut after a folder or a word of it, where one ends in
            # the room: "accounts/acme/" over "stakeholders.yaml:26:19:", never
            # "stakeholders.yaml:26:" over "19:", a line number split from its column
            head = _at_separator(head)
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


def _at_separator(head: str) -> str:
    """``head``, the part of a word too wide for its line that fits, shortened to end
    after its last ``/`` (else ``-`` or ``_``) when it has one past its first characters;
    else as it is."""
    for marks in ("/\\", "-_"):
        cut = max(head.rfind(m) for m in marks) + 1
        if cut > len(head) // 3:
            return head[:cut]
    return head


#: punctuation that never starts a line (it stays with the character before it) and that
#: never ends one (it goes with the character after it), as Chinese typesetting has it
_NO_LINE_START = set("，。、；：！？）》」』”’…,.;:!?)]}%")
_NO_LINE_END = set("（《「『“‘([{")
#: the same as one text, for str.lstrip: "（1 个错误" is a count after its bracket
_OPENING = "".join(sorted(_NO_LINE_END))


#: the marks of a change for the better or the worse (kam diff, kam history)
_ARROWS = frozenset("▲▼")

#: straight quotes, which open and close alike
_QUOTES = frozenset("'\"`")

#: a number as counts are written (``3``, ``1,504``, ``73%``, ``-2``, ``4.5``)
_NUMBER = re.compile(r"[+-]?\d[\d,.]*%?")


def wrap_wide(text: str, width: int, indent: str = "", first: str = "") -> list[str]:
    """Like ``wrap`` for text with Chinese in it: a line may also break between two wide
    characters (Chinese has no spaces), never before closing or after opening
    punctuation; Latin words, code spans and paths are kept whole where they fit (a path
    too long for a line breaks after one of its "/", never inside a Chinese folder name)."""
    return _fill(_wide_tokens(text), width, indent, first)


def wrap_items(
    lead: str, items: list[str], sep: str, width: int, indent: str = "", first: str = ""
) -> list[str]:
    """``lead`` followed by ``items`` joined by ``sep`` (", " or Chinese "，"), laid out as
    ``wrap_wide`` does, but each item (a name: "Customer 28 AG", "Hansa Bank AG") kept whole
    on a line where it fits: a list of names broke between a name's words
    ("Customer / 28 AG"), and a reader took the pieces for two names. ``lead`` ends with a
    space when the first item should have one before it."""
    tokens = _wide_tokens(lead)
    mark, spaced = sep.rstrip(), sep != sep.rstrip()
    for i, item in enumerate(items):
        text = item + (mark if i < len(items) - 1 else "")
        tokens.append((text, (lead != lead.rstrip() or not tokens) if i == 0 else spaced))
    return _fill(tokens, width, indent, first)


def _wide_tokens(text: str) -> list[tuple[str, bool]]:
    """``wrap_wide``'s units: (text, a space before it)."""
    terminal_widths()
    from rich.cells import cell_len

    tokens: list[tuple[str, bool]] = []  # (text, a space before it)
    space = False
    opened = False  # the last character opened a quotation: the next one stays with it
    for ch in _path_runs(text):
        if len(ch) > 1:  # a path: one token, broken only after a "/" when wider than a line
            if tokens and not space and (opened or tokens[-1][0][-1] in _NO_LINE_END):
                tokens[-1] = (tokens[-1][0] + ch, tokens[-1][1])  # "（" stays with it
            else:
                tokens.append((ch, space))
            space = opened = False
            continue
        if ch.isspace():
            space = True
            opened = False
            continue
        if ch in _QUOTES:
            # a straight quote opens after a space (or first) and closes otherwise, as
            # around the text of a command (-m '拜访邓总'): it stays with what it quotes
            opened = space or not tokens
            if not opened:
                tokens[-1] = (tokens[-1][0] + ch, tokens[-1][1])
                continue
            tokens.append((ch, space))
            space = False
            continue
        if opened:
            tokens[-1] = (tokens[-1][0] + ch, tokens[-1][1])
            opened = False
            continue
        if ch in _ARROWS and tokens:
            # kam diff's ▲ / ▼ after a change ("-1 → +1 ▼") stays with it: an arrow on
            # a line of its own says nothing
            last, spaced = tokens[-1]
            tokens[-1] = (last + (" " if space else "") + ch, spaced)
            space = False
            continue
        if tokens and tokens[-1][0] in _ARROWS:
            # and one that leads a change ("▲ 支持度 -1 → +1") stays with what follows
            tokens[-1] = (tokens[-1][0] + (" " if space else "") + ch, tokens[-1][1])
            space = False
            continue
        wide = cell_len(ch) == 2
        if tokens and wide and _NUMBER.fullmatch(tokens[-1][0].lstrip(_OPENING)):
            # a number keeps the measure word after it ("已解决 1 个", "21 个警告"): a
            # count is never split from what it counts
            last, spaced = tokens[-1]
            tokens[-1] = (last + (" " if space else "") + ch, spaced)
            space = False
            continue
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
    return _keep_comparisons(tokens)


#: a comparison written between two words ("D >= 40", "score < 55")
_COMPARISONS = frozenset({">=", "<=", "=", "<", ">", "≥", "≤", "≠"})


def _keep_comparisons(tokens: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """A comparison stays whole on one line: a footnote's "D >= 40" broke after ">=",
    and the threshold stood alone at the start of the next line."""
    if not any(text in _COMPARISONS for text, _space in tokens):
        return tokens
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(tokens):
        text, spaced = tokens[i]
        if text in _COMPARISONS and out and i + 1 < len(tokens):
            before, before_spaced = out.pop()
            after, after_spaced = tokens[i + 1]
            joined = before + (" " if spaced else "") + text + (" " if after_spaced else "")
            out.append((joined + after, before_spaced))
            i += 2
            continue
        out.append((text, spaced))
        i += 1
    return out


def _path_runs(text: str) -> list[str]:
    """``text`` as its characters, but for each path with a wide character in it (a
    Chinese folder name), which comes as one item: ``wrap_wide`` breaks between any two
    Chinese characters, and broke "data/客户档" from "案/acme/targets.yaml:8"."""
    if "/" not in text:
        return list(text)
    out: list[str] = []
    done = 0
    for m in PATH.finditer(text):
        path = m.group()
        if cell_len(path) > len(path) and is_path(path):
            out += [*text[done : m.start()], path]
            done = m.end()
    return [*out, *text[done:]]


def wrap_tail(
    text: str, tail: str, width: int, indent: str = "", first: str = "", sep: str = " "
) -> list[str]:
    """``wrap_wide(text + sep + tail)`` with ``tail`` (a finding's severity in parentheses,
    "(警告)") kept whole: on the last line when it fits there, else on a line of its own;
    between wide characters the plain wrap could cut a two-character word in half."""
    terminal_widths()
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
    terminal_widths()
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


def named(name: str | None, ident: str, breaks: bool = False) -> str:
    """A person or an account as every table names them ("Hansa Bank AG (hansa-bank)",
    "华信钢铁（huaxin-steel）" in Chinese): the id alone when the name is unknown or is
    the id. ``breaks``: the id in its parentheses on a line of its own (a narrow table:
    the name wraps at its spaces, the id stays whole under it, and a cell whose lines fit
    is still drawn by hand, not by rich's slow wrapping). That line holds a Latin id and
    nothing else, so its parentheses are the narrow ones in Chinese too: two full-width
    ones would take four more cells in each name column, and a Chinese table of long ids
    at 80 columns would lose its names; joined back onto the name (``_one_line``) they
    become the language's."""
    from kamtool.i18n import _

    name = " ".join(name.split()) if name else ""
    if not name or name == ident:
        return ident
    if breaks:
        return f"{name}\n({ident})"
    return _("{name} ({id})").format(name=name, id=ident)


#: a table's columns (heading, justification) and its rows of plain cells
TableForm = tuple[list[tuple[str, str]], list[list[str]]]


#: the room a name column of a narrow table keeps before the table becomes records: an
#: id longer than this may break (``names_have_room``)
NAME_ROOM = 16


def widths_keeping_ids_whole(
    columns: list[tuple[str, str]],
    rows: list[list[str]],
    width: int,
    wraps: set[str],
    cap: int | None = None,
) -> list[int] | None:
    """The widths of the columns of the narrow table (``box.SIMPLE_HEAD`` without its
    blank edges, one cell of padding on the right of every column but the last) of
    ``rows`` in ``width`` cells with every id whole, or None when it cannot have them: a
    column named in ``wraps`` keeps room for its longest last line (the "(id)" under a
    name, an owner's id), the others for their whole cells; what is left goes to the
    wrapping columns by how much they lack. (Rich would narrow the widest columns evenly:
    a long account name next to a person would cut the person's id.)"""
    terminal_widths()
    from rich.cells import cell_len

    count = len(columns)
    # a heading of two lines ("DMs\n+/all") is as wide as its wider line
    natural = [max(map(cell_len, name.split("\n"))) for name, _j in columns]
    need = list(natural)
    for row in rows:
        for i, cell in enumerate(row[:count]):
            size = len if cell.isascii() else cell_len
            if "\n" in cell:
                lines = cell.split("\n")
                n, last = max(map(size, lines)), size(lines[-1])
            else:
                n = last = size(cell)
            if n > natural[i]:
                natural[i] = n
            if last > need[i]:
                need[i] = last
    for i, (name, _j) in enumerate(columns):
        if name not in wraps:
            need[i] = natural[i]
        elif cap is not None:  # an id longer than ``cap`` may break
            need[i] = min(need[i], cap)
    # the lines between the columns, the padding (no edges: they would only be blank)
    room = width - (count - 1) - (count - 1)
    if sum(need) > room:
        return None
    lacking = [n - w for n, w in zip(natural, need, strict=True)]
    spare = room - sum(need)
    if sum(lacking) <= spare:
        return natural
    got = [w + spare * short // sum(lacking) for w, short in zip(need, lacking, strict=True)]
    for i in sorted(range(count), key=lambda i: -lacking[i])[: room - sum(got)]:
        got[i] += 1
    return got


def keeping_ids_whole(
    forms: Sequence[TableForm], width: int, wraps: set[str]
) -> tuple[TableForm, list[int]] | None:
    """The first of ``forms`` (the same table ever narrower: names over their ids, fewer
    columns, ids alone) whose narrow table fits ``width`` with every id whole, and its
    column widths (``widths_keeping_ids_whole``); None when none fits. Every narrow
    table that names accounts or people (``kam stale``, ``kam grade``) chooses so: an id
    broken in the middle cannot be searched for or pasted into a command."""
    for form in forms:
        fixed = widths_keeping_ids_whole(*form, width, wraps)
        if fixed is not None:
            return form, fixed
    return None


def names_have_room(form: TableForm, width: int, wraps: set[str]) -> bool:
    """Whether the narrow table ``form`` (its names over their ids) fits ``width`` with
    every column but the names whole and each name column ``NAME_ROOM`` cells wide (or
    as wide as its longest id, when shorter): then an id longer than that breaks, as
    rich lays the names out, and the table stays a table (one over-long id among 300
    accounts at 80 columns); else nothing fits and the rows become records
    (``record_lines``)."""
    return widths_keeping_ids_whole(*form, width, wraps, cap=NAME_ROOM) is not None


def _one_line(text: str) -> str:
    """A cell or heading of several lines ("DMs\\n+/all", a name over its "(id)") as one
    line: its lines joined by a space, or directly between two Chinese characters
    ("营收\\n占比" is 营收占比)."""
    from kamtool.i18n import _

    lines = [part.strip() for part in text.split("\n") if part.strip()]
    out = lines[0] if lines else ""
    for part in lines[1:]:
        if part[0] == "(" and part[-1] == ")":  # an id under its name (``named``)
            out = _("{name} ({id})").format(name=out, id=part[1:-1])
        else:
            out += part if is_wide(out[-1]) and is_wide(part[0]) else " " + part
    return out


#: the cells a run of Chinese text keeps on a line of a table cell: four characters, so
#: that a three-character heading (支持者) is never cut
WIDE_ROOM = 8


def fits_unbroken(columns: list[tuple[str, str]], rows: list[list[str]], width: int) -> bool:
    """Whether a boxed table of ``rows`` fits ``width`` cells with no word (no id, no
    number) broken and no heading cut: each column as wide as its longest word, one
    space each side, the rules. A table that does not is shown as records
    (``record_lines``). Chinese text has no spaces and breaks between its characters, as
    it is read: a run of wide characters needs room for ``WIDE_ROOM`` cells of it, not
    for the whole name ("核心网络工" over "程部" is how a Chinese table reads; a
    Chinese portfolio at 80 columns keeps its table)."""
    terminal_widths()
    from rich.cells import cell_len

    def longest(text: str) -> int:
        best = 0
        for word in text.split():
            for wide, run in itertools.groupby(word, is_wide):
                size = cell_len("".join(run))
                best = max(best, min(size, WIDE_ROOM) if wide else size)
        return best

    need = [longest(name) for name, _j in columns]
    for row in rows:
        for i, cell in enumerate(row[: len(columns)]):
            need[i] = max(need[i], longest(cell))
    return sum(need) + 3 * len(need) + 1 <= width


def record_lines(columns: list[tuple[str, str]], rows: list[list[str]], width: int) -> list[str]:
    """A table too wide for the terminal even in its narrow form (40 columns and ids of
    50 characters) as records, nothing cut and nothing dropped: each row's first cell on
    a line of its own, then its other cells after their headings ("owner wang.fang;
    score 60 C"), two cells in, each kept whole on a line where it fits; a blank line
    between rows. Rich would squeeze a column to one cell, or to none, and lose it."""
    terminal_widths()
    from rich.cells import cell_len

    from kamtool.i18n import _

    heads = [_one_line(name) for name, _j in columns]
    out: list[str] = []
    for i, row in enumerate(rows):
        if i:
            out.append("")
        out += wrap_wide(_one_line(row[0]), width)
        items = [
            # no space after a full-width bracket ("营收（EUR）48,200,000"): it has its own
            f"{head}{'' if head.endswith('）') else ' '}{_one_line(cell)}".strip()
            for head, cell in zip(heads[1:], row[1:], strict=False)
            if cell.strip()
        ]
        sep = _("; ")
        mark, spaced = sep.rstrip(), sep != sep.rstrip()
        tokens: list[tuple[str, bool]] = []
        for k, item in enumerate(items):
            text = item + (mark if k < len(items) - 1 else "")
            if cell_len(text) <= width - 2:  # whole on a line where it fits
                tokens.append((text, k > 0 and spaced))
            else:  # else broken as wrap_wide breaks, not in a word, and a count kept
                # with its measure word ("1 个错误", never "1" over "个错误")
                pieces = _wide_tokens(text)
                if pieces:
                    pieces[0] = (pieces[0][0], k > 0 and spaced)
                tokens += pieces
        if tokens:
            out += _fill(tokens, width, "  ", "  ")
    return out


class _TerminalText(io.StringIO):
    """What a terminal report's console writes: its text with bidi embeddings, overrides
    and isolates shown as U+FFFD (``escape.inert_bidi``), as every other output shows
    them; U+202E in a name reversed the rest of its line in a terminal or CI log that
    lays out right-to-left text. Each is measured as the one cell U+FFFD takes
    (``terminal_widths``), so that a table stays aligned."""

    def write(self, text: str) -> int:
        return super().write(inert_bidi(text))

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """Standard output's encoding, which rich reads to choose its lines: in one that
        has no box-drawing characters (Latin-1, a Windows code page) a table is drawn with
        ASCII lines, where its lines came out as rows of ``\\u2501`` escapes
        (``kamtool.streams``)."""
        return (getattr(sys.stdout, "encoding", None) or "utf-8").lower()


def console(color: bool, width: int | None = None) -> StringConsole:
    """A rich Console writing to memory; colours only when asked (terminal, no NO_COLOR)."""
    from rich.console import Console

    terminal_widths()

    if width is None:
        width = output_width()
    made = Console(
        file=_TerminalText(),
        force_terminal=color,
        no_color=not color,
        width=width,
        highlight=False,
        emoji=False,  # a name like ":fire:" is text, not an emoji
        color_system="standard" if color else None,
    )
    return cast("StringConsole", made)


def natural_width(columns: list[tuple[str, str]], rows: list[list[str]]) -> int:
    """The width of a table with nothing wrapped (a cell's lines as they are): cells, one
    space each side, borders."""
    terminal_widths()
    from rich.cells import cell_len

    widths = [cell_len(name) for name, _j in columns]
    for r in rows:
        for i, cell in enumerate(r[: len(columns)]):
            # an ASCII cell is as wide as it is long (cell_len looks up every character);
            # a cell of several lines is as wide as its widest line
            size = len if cell.isascii() else cell_len
            n = max(map(size, cell.split("\n"))) if "\n" in cell else size(cell)
            if n > widths[i]:
                widths[i] = n
    return sum(widths) + 3 * len(widths) + 1


def narrow_width(columns: list[tuple[str, str]], rows: list[list[str]]) -> int:
    """The width of the narrow form of a table (``box.SIMPLE_HEAD``, one cell of padding
    on the right, no padding at the edges) with nothing wrapped."""
    return natural_width(columns, rows) - len(columns)


def print_table(
    console: Console,
    table: Table,
    rows: Sequence[Sequence[str | Text]],
    styles: Sequence[Sequence[str | None]] | None = None,
    *,
    wide_breaks: bool = True,
) -> None:
    """Print ``table`` (its columns set, no rows added) with ``rows`` into ``console``, as
    ``console.print(table)`` would draw it with the rows added, in a fraction of the time.

    One difference, ``wide_breaks``: a cell with Chinese (wide characters) that must wrap
    breaks where ``wrap_wide`` breaks a line, between two Chinese characters and never
    before a closing bracket or after an opening one, rather than where rich breaks,
    only at spaces: rich put "天（stakeholders.yaml:40），1" on a line of its own, away
    from its number, and left "联系" alone on a line. The column widths stay rich's.

    Rich renders every cell through a dozen layers (padding, measurement, segments,
    cropping): about a millisecond a row, fifteen seconds for the stale table of a CRM
    import of 10,000 people. Here rich still decides the column widths (its own code, on
    the few rows that decide them: the widest cell and the longest word of each column)
    and draws the title, the heading and the rules; a body cell that fits its column on
    one line (nearly all) is padded by hand, any other (one that wraps, holds a tab or a
    control character, or is rich ``Text`` with styles of its own) is drawn by rich's
    own cell code. The output is the same, byte for byte (tests/test_tables.py draws
    random tables both ways).

    ``rows`` hold plain text (not markup: nothing is escaped) or rich ``Text``;
    ``styles`` (same shape, optional) a style for each plain cell ("red", "bold").
    Tables with a footer, row styles or sections are drawn by rich itself; tables with or
    without edges (``show_edge``) by hand.
    """
    import copy
    import dataclasses

    terminal_widths()

    from rich.cells import cell_len
    from rich.padding import Padding
    from rich.segment import Segment

    columns = table.columns
    plain_layout = (
        not table.show_footer
        and not table.row_styles
        and not table.leading
        and not table.rows
        and not table.collapse_padding
        and table.box is not None
        and table.width is None
        and not table.expand
        and table.min_width is None
        and table.show_header
    )

    def by_rich() -> None:
        for r, row in enumerate(rows):
            table.add_row(
                *(_as_text(c, styles[r][i] if styles else None) for i, c in enumerate(row))
            )
        console.print(table)

    if not plain_layout or not _rich_layout_api(console, table):
        by_rich()
        return

    def plain(cell: str | Text) -> str | None:
        """The text of a cell drawn by hand (one line, or lines split at newlines, each
        printable, with no space at either end), or None for a cell rich must draw."""
        if isinstance(cell, str):
            text = cell
        elif cell.style or cell.justify or cell.overflow or cell.no_wrap is not None:
            return None
        else:
            text = cell.plain
        if "\n" in text:
            if text.startswith("\n") or text.endswith("\n"):
                return None
            if all(p.isprintable() and p == p.strip() for p in text.split("\n")):
                return text
            return None
        return text if text.isprintable() and text == text.strip() else None

    # the rows that decide the widths: per column, the widest cell and the longest word
    # (rich measures a cell as (longest word, widest line)); cells rich might measure
    # otherwise (tabs, control characters, spaces at the ends) go in whole
    deciding: set[int] = set()
    widest = [(-1, -1)] * len(columns)
    longest = [(-1, -1)] * len(columns)
    for r, row in enumerate(rows):
        for i, cell in enumerate(row):
            text = plain(cell)
            if text is None:
                deciding.add(r)
                continue
            # (an ASCII text is as wide as it is long: cell_len, a dict lookup a
            # character, is the cost of a big table)
            size = len if text.isascii() else cell_len
            n = max(map(size, text.split("\n"))) if "\n" in text else size(text)
            if n > widest[i][0]:
                widest[i] = (n, r)
            if " " in text or "\n" in text:
                n = max(map(size, text.split()), default=n)
            if n > longest[i][0]:
                longest[i] = (n, r)
    deciding.update(r for _n, r in widest + longest if r >= 0)

    def bare(keep_width: bool) -> Table:
        made = copy.copy(table)
        made.rows = []
        made.columns = [dataclasses.replace(c, _cells=[]) for c in columns]
        if not keep_width:
            made.title = None
        return made

    probe = bare(keep_width=False)
    for r in sorted(deciding):
        probe.add_row(*(_as_text(c) for c in rows[r]))
    options = console.options
    max_width = options.max_width
    widths = probe._calculate_column_widths(
        console, options.update_width(max_width - probe._extra_width)
    )
    if any(w <= probe._get_padding_width(i) for i, w in enumerate(widths)):
        by_rich()  # a terminal too narrow for the headings: rich squeezes its own way
        return

    # title, heading and the rules above and below the rows: rich draws them, with every
    # column fixed at the width it would have had with all the rows in
    head = bare(keep_width=True)
    for i, column in enumerate(head.columns):
        column.width = max(widths[i] - head._get_padding_width(i), 0)
        column.min_width = column.max_width = None
    with console.capture() as captured:
        console.print(head)
    drawn = captured.get().splitlines(keepends=True)
    # with edges, the last line is the bottom edge (drawn after the rows); without them
    # the heading's rule is the last line and nothing comes after the rows
    top, bottom = (drawn[:-1], drawn[-1:]) if table.show_edge else (drawn, [])

    assert table.box is not None  # plain_layout
    box = table.box.substitute(
        options, safe=table.safe_box if table.safe_box is not None else console.safe_box
    )
    pads = []
    for i in range(len(columns)):
        _t, right, _b, left = table.padding
        if not table.pad_edge:
            left = 0 if i == 0 else left
            right = 0 if i == len(columns) - 1 else right
        pads.append((left, right))
    edge = table.show_edge
    rule = box.get_row(widths, "row", edge=edge) + "\n" if table.show_lines else ""
    render = console._render_buffer
    cache: dict[tuple[str, str | None, int], list[str]] = {}

    def drawn_cell(cell: str | Text, style: str | None, i: int) -> list[str]:
        """The cell as rich draws it: one string a line, ``widths[i]`` cells each."""
        width, column = widths[i], columns[i]
        left, right = pads[i]
        if (
            style is None
            and type(cell) is str
            and cell.isascii()
            and cell.isprintable()
            and (not cell or (cell[0] != " " and cell[-1] != " "))
        ):
            # the common cell (an id, a date, a number): one ASCII line without spaces at
            # its ends, justified by hand when it fits
            gap = width - left - right - len(cell)
            if gap >= 0:
                if column.justify == "right":
                    return [" " * (left + gap) + cell + " " * right]
                if column.justify == "center":
                    half = gap // 2
                    return [" " * (left + half) + cell + " " * (gap - half + right)]
                return [" " * left + cell + " " * (gap + right)]
        text = plain(cell)
        if text is not None and (style is None or isinstance(cell, str)):
            drawn = by_hand(_as_text(cell, style) if style else cell, text, i)
            if drawn is None and wide_breaks and not columns[i].no_wrap:
                broken = _wide_lines(_as_text(cell, style) if style else cell, text, room(i))
                if broken is not None:
                    drawn = by_hand(broken, broken if isinstance(broken, str) else broken.plain, i)
            if drawn is not None:
                return drawn
        key = (cell, style, i) if isinstance(cell, str) else None
        if key is not None and key in cache:
            return cache[key]
        lines = console.render_lines(
            Padding(_as_text(cell, style), (0, right, 0, left)),
            options.update(
                width=width,
                justify=column.justify,
                no_wrap=column.no_wrap,
                overflow=column.overflow,
                height=None,
                highlight=column.highlight,
            ),
            style=console.get_style(column.style or ""),
        )
        shaped = Segment.set_shape(lines, width)
        out = [render(line) for line in shaped]
        if key is not None:
            cache[key] = out
        return out

    def room(i: int) -> int:
        left, right = pads[i]
        return widths[i] - left - right

    def by_hand(cell: str | Text, text: str, i: int) -> list[str] | None:
        """A cell whose every line fits its column, justified as rich justifies a line
        (styles rendered as rich renders them); None when a line must wrap."""
        left, right = pads[i]
        justify = columns[i].justify
        room = widths[i] - left - right
        pieces = text.split("\n")
        size = len if text.isascii() else cell_len
        if any(size(p) > room for p in pieces):
            return None
        if isinstance(cell, str) or not cell.spans:
            drawn = pieces
        else:
            drawn = [
                render(list(line.render(console))) for line in cell.split("\n", allow_blank=True)
            ]
        out = []
        for shown, piece in zip(drawn, pieces, strict=True):
            gap = room - size(piece)
            if justify == "right":
                shown = " " * gap + shown
            elif justify == "center":
                shown = " " * (gap // 2) + shown + " " * (gap - gap // 2)
            else:
                shown = shown + " " * gap
            out.append(" " * left + shown + " " * right)
        return out

    left_edge, vertical, right_edge = box.mid_left, box.mid_vertical, box.mid_right
    body: list[str] = []
    for r, row in enumerate(rows):
        cells = [drawn_cell(c, styles[r][i] if styles else None, i) for i, c in enumerate(row)]
        height = max(len(c) for c in cells)
        if r == len(rows) - 1:
            left_edge, vertical, right_edge = box.foot_left, box.foot_vertical, box.foot_right
        if not edge:  # show_edge=False: the rows have no left and right borders
            left_edge = right_edge = ""
        for n in range(height):
            parts = [c[n] if n < len(c) else " " * widths[i] for i, c in enumerate(cells)]
            body.append(left_edge + vertical.join(parts) + right_edge + "\n")
        if rule and r < len(rows) - 1:
            body.append(rule)
    console.file.write("".join(top) + "".join(body) + "".join(bottom))


def _wide_lines(cell: str | Text, text: str, room: int) -> str | Text | None:
    """``cell`` broken into lines of at most ``room`` cells by ``wrap_wide`` (a rich Text
    keeps its styles), or None when it has no wide character nor a ▲ / ▼ (rich's breaks
    at spaces are the same, but rich would put an arrow on a line of its own) or a line
    has a word wider than the room (rich folds it)."""
    terminal_widths()
    from rich.cells import cell_len

    if room < 2 or (cell_len(text) == len(text) and not _ARROWS.intersection(text)):
        return None
    lines: list[str] = []
    for piece in text.split("\n"):
        lines += wrap_wide(piece, room) if cell_len(piece) > room else [piece]
    if any(cell_len(line) > room for line in lines):
        return None
    if isinstance(cell, str):
        return "\n".join(lines)
    # the same lines cut from the Text: each line's characters in order, the spaces
    # wrap_wide dropped at a break left out
    from rich.text import Text as RichText

    parts, at = [], 0
    for line in lines:
        while at < len(text) and text[at].isspace() and not line[:1].isspace():
            at += 1
        start = at
        for ch in line:
            same = at < len(text) and (text[at] == ch or (ch == " " and text[at].isspace()))
            if not same:
                return None  # not the text's characters in order: rich draws the cell
            at += 1
        parts.append(cell[start:at])
    return RichText("\n").join(parts)


#: what print_table uses of rich beyond its public API: the code that decides the column
#: widths (Table), the one that turns segments into text (Console), a column's cells
_RICH_LAYOUT = (
    ("table", ("_calculate_column_widths", "_extra_width", "_get_padding_width")),
    ("console", ("_render_buffer",)),
)


def _rich_layout_api(console: Console, table: Table) -> bool:
    """Whether this rich has the private methods print_table borrows (tested with rich
    13.8, the oldest typer allows, to 15): a rich that renamed one draws the table itself,
    slowly but right, rather than fail."""
    import dataclasses

    owners = {"table": table, "console": console}
    if not all(hasattr(owners[o], name) for o, names in _RICH_LAYOUT for name in names):
        return False
    columns = table.columns
    return not columns or (
        dataclasses.is_dataclass(columns[0])
        and "_cells" in {f.name for f in dataclasses.fields(columns[0])}
    )


def _as_text(cell: str | Text, style: str | None = None) -> Text:
    from rich.text import Span, Text

    if isinstance(cell, Text):
        return cell
    # a span over the whole text, as markup ("[red]error[/]") makes: the padding that
    # justifies the cell stays unstyled
    return Text(cell, spans=[Span(0, len(cell), style)] if style else None)


def add_columns(
    table: Table,
    columns: Sequence[tuple[str, str]],
    wraps: Collection[str],
    fixed: Sequence[int] | None,
) -> None:
    """The columns of a grade or stale table: (heading, justify) each; the ``wraps`` ones
    wrap inside their cells (names, findings), the others never; ``fixed`` widths from
    ``widths_keeping_ids_whole`` when the terminal is narrow."""
    for i, (col, justify) in enumerate(columns):
        table.add_column(
            col,
            justify=justify,  # type: ignore[arg-type]
            no_wrap=col not in wraps,
            overflow="fold",
            width=fixed[i] if fixed is not None else None,
        )
