"""KAM008: text cut by `` #``. In YAML a space and ``#`` start a comment, so the plain
value ``notes: order #123 pending`` is the text "order", and "#123 pending" is gone
without a word. A comment people write on purpose starts with ``# `` (a space after the
hash), as kam's own scaffolds write them; a ``#`` right against the next word (``#123``,
``#urgent``, ``#2楼``) after text on a value line is read as text that was cut.

Only the lines whose value the reader really ended there are reported: a ``#`` inside
quotes or in a block scalar (``notes: |``) is text, and stays so.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kamtool.i18n import _
from kamtool.load.yamlread import COMMENT_FOLD, value_at, yaml_lines

if TYPE_CHECKING:
    from kamtool.load.yamlread import Document, Path_

#: one line: the indentation, list dashes and key (group 1), the plain value the reader
#: keeps (group 2), and what the comment took (group 3)
_CUT = re.compile(
    r"^([ \t]*(?:-[ \t]+)*(?:[^\s#'\"{}\[\],:-][^:#]*:[ \t]+)?)"
    r"([^\s#'\"\[\]{}|>&*!%@`][^#]*?)[ \t]+#([^\s#].*)$"
)
#: how much of the text the example in the message repeats
_SHOWN = 60


def cut_values(text: str, doc: Document) -> list[tuple[int, int, str]]:
    """(line, column of the ``#``, message) for each plain value a `` #`` cut."""
    if not _may_cut(text):
        return []
    at: dict[tuple[int, int], Path_] | None = None
    out = []
    for number, line in enumerate(yaml_lines(text), start=1):
        if "#" not in line:
            continue
        m = _CUT.match(line)
        if m is None or m.group(3).lstrip().translate(COMMENT_FOLD).startswith("kam:"):
            continue
        if at is None:  # where each value starts, once a file has a candidate
            at = {pos: path for path, pos in doc.values.items()}
        path = at.get((number, len(m.group(1)) + 1))
        kept = m.group(2).rstrip()
        if path is None or value_at(doc.data, path) != kept:
            continue  # not where a plain value starts (a block scalar's line, a quote)
        key = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
        whole = f"{kept} #{m.group(3).rstrip()}"
        if len(whole) > _SHOWN:
            whole = whole[: _SHOWN - 1] + "…"
        quoted = f'"{whole}"' if '"' not in whole else "'" + whole.replace("'", "''") + "'"
        item = isinstance(path[-1], int)  # a list item: "- ..." is what to write
        message = _(
            "{key} reads {kept!r}: ' #' starts a comment in YAML, and {lost!r} is cut off; "
            "to keep it, put the whole value in quotes: {example} (a comment: write "
            "'# ' with a space)"
        ).format(
            key=f"{key} #{int(path[-1]) + 1}" if item else key,
            kept=kept,
            lost="#" + m.group(3).rstrip(),
            example=f"- {quoted}" if item else f"{key}: {quoted}",
        )
        out.append((number, m.end(2) + line[m.end(2) :].index("#") + 1, message))
    return out


def _may_cut(text: str) -> bool:
    """Whether ``text`` has a "#" against a character after blanks after text anywhere:
    the quick look over a whole file before its lines are read one by one. It visits
    only the "#" characters (a regular expression that has to try every position of
    every file cost 0.45 s on 8,000 files, for a rule that finds nothing in most)."""
    at = text.find("#")
    while at != -1:
        after = text[at + 1 : at + 2]
        if after and after != "#" and not after.isspace() and text[at - 1 : at] in (" ", "\t"):
            before = at - 1
            while before >= 0 and text[before] in " \t":
                before -= 1
            if before >= 0 and text[before] != "#" and not text[before].isspace():
                return True
        at = text.find("#", at + 1)
    return False
