"""How an edit writes a new item of a block list, or a new key of an entry, the way the
file already writes its own (``kam log``, ``kam import``, ``kam touch``): one set of rules.

- **Where a new item goes**: right after the last item's own lines (``item_end``): its
  keys and values, and the comments indented under it. What follows the list stays after
  the new item: blank lines, a comment at the column of the list's dashes or left of it
  (a footer, a commented-out template, ``# end of 2026``), a document end ``...``, and the
  last line's missing line break (added only when the new lines go after that line).
- **How it is written** (``item_layout``): with the last item's lead (``  - ``, ``-   ``:
  the dash's column and the spaces after it, so the keys line up as the file's do), one
  blank line before it when a blank line parts the last two items, and keys quoted as
  the entry's keys are (``"name": ...`` in a file that quotes every key: ``key_text``).

Lines are 1-based, offsets those of text with ``\\n`` line ends (the callers turn CRLF
files into it and back), as in :mod:`kamtool.write.newlines`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kamtool.write.newlines import line_starts, line_text

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class ItemLayout:
    lead: str  # what starts an item's first line, up to its first key: "  - ", "-   "
    gap: bool  # a blank line parts the last two items: the new one gets one too

    @property
    def indent(self) -> str:
        """The indentation of the item's other keys: under its first one."""
        return " " * len(self.lead)


def item_end(text: str, starts: list[int], first: int, dash: int, *, keep: bool) -> int:
    """The last line of the block list item whose first line is ``first`` and whose dash
    is at column ``dash`` (0-based): the lines after it indented deeper than the dash
    (its keys, values, block text and the comments under it), trailing blank lines not
    included unless the item's last value keeps them (``keep``: a ``|+`` text ending in
    a blank line, whose blank lines are its text)."""
    last = first
    for line in range(first + 1, len(starts) + 1):
        content = line_text(text, starts, line)
        stripped = content.lstrip(" ")
        if not stripped.strip():
            continue
        if len(content) - len(stripped) <= dash:
            break
        last = line
    if keep:
        while last < len(starts) and not line_text(text, starts, last + 1).strip():
            if last + 1 == len(starts) and starts[-1] == len(text):
                break  # the empty "line" after the file's last line break
            last += 1
    return last


def item_lead(text: str, starts: list[int], item: tuple[int, int]) -> str | None:
    """What starts the first line of the block list item whose first value is at
    ``item`` (line, column, 1-based), up to that value: ``  - ``, ``-   ``; None when the
    line holds more than a dash and spaces before it (a flow list ``[...]``, the first
    key on the line after the dash)."""
    line, col = item
    lead = line_text(text, starts, line)[: col - 1]
    if lead.strip() != "-" or not lead.isascii() or "\t" in lead:
        return None
    return lead


def item_layout(
    text: str, starts: list[int], items: list[tuple[int, int]], default: str
) -> ItemLayout:
    """The layout of a new item after ``items``, each (line, column) 1-based of an item's
    first value (its first key), the last two at least when there are two; ``default``
    the lead where the last item's first line has none to copy (``item_lead``)."""
    lead = item_lead(text, starts, items[-1]) or default
    dash = lead.index("-")
    gap = False
    if len(items) > 1:
        before = items[-2][0]
        end = item_end(text, starts, before, dash, keep=False)
        gap = any(not line_text(text, starts, n).strip() for n in range(end + 1, items[-1][0]))
    return ItemLayout(lead, gap)


def key_quote(text: str, starts: list[int], keys: list[tuple[int, int]]) -> str:
    """The quote every one of ``keys`` (line, column, 1-based) is written in (``"`` or
    ``'``), or "" when one is plain or they differ: a new key is written as the others."""
    quotes = {text[starts[line - 1] + col - 1] for line, col in keys}
    if len(quotes) == 1:
        (quote,) = quotes
        if quote in "\"'":
            return quote
    return ""


def key_text(key: str, quote: str) -> str:
    """``key`` (a plain word: kam's own keys) in ``quote``."""
    return f"{quote}{key}{quote}"


def account_lead(folder: Path) -> str:
    """The item lead of a list in a file kam starts in the account ``folder`` (its
    log.yaml): that of the first person in its stakeholders.yaml (``-   `` in an account
    written with four-space items), else ``  - ``."""
    from kamtool.load.yamlread import YamlError, parse

    try:
        text = (folder / "stakeholders.yaml").read_bytes().decode("utf-8-sig")
        doc = parse(text)
    except (OSError, UnicodeError, YamlError):
        return "  - "
    people = doc.data.get("stakeholders") if isinstance(doc.data, dict) else None
    if not isinstance(people, list) or not people:
        return "  - "
    lead = item_lead(text, line_starts(text), doc.position(("stakeholders", 0)))
    return lead if lead is not None else "  - "


#: a value's properties before it, an anchor and a tag in either order (``&met``,
#: ``!!str``, ``!!str &met``), each followed by spaces
_PROPERTIES = re.compile(r"(?:[&!][^\s,\[\]{}]*[ \t]+)+")


def value_start(text: str, start: int, end: int) -> int:
    """Where the value itself starts in the span ``start``..``end`` of a scalar: after its
    anchor and tag (``&met 2026-11-05``, ``!!str Head of IT``), which an edit keeps: an
    anchor nothing uses names the value still, a tag says how it reads."""
    found = _PROPERTIES.match(text, start, end)
    return found.end() if found else start
