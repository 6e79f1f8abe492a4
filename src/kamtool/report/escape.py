"""Escaping for every embedding format: what a name contains must never become markup.

Markdown is escaped with backslashes (CommonMark: any ASCII punctuation), and only where
a character would start markup: "R&D" and "attitude >= 1" stay as written in the file
someone reads raw (a PR comment's source, a plan in an editor), where "R&amp;D" read as a
typo. An ``&`` is escaped only before what reads as an entity ("&copy;", "&#38;"), a
``<`` only before what reads as a tag, an autolink or a comment ("<b>", "</i>", "<!--"),
a ``>`` only at the start (a quote).
"""

from __future__ import annotations

import re

_MD_SPECIAL = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "#": "\\#",
        "{": "\\{",
        "}": "\\}",
        "$": "\\$",
    }
)
#: an ``&`` CommonMark reads as the start of an entity or numeric character reference
_ENTITY = re.compile(r"&(?=[A-Za-z][A-Za-z0-9]*;|#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};)")
#: a ``<`` that starts raw HTML or an autolink: a tag, a closing tag, a comment, a
#: declaration, a processing instruction
_TAG = re.compile(r"<(?=[A-Za-z/!?])")


def one_line(text: object) -> str:
    return " ".join(str(text).split())


def md(text: object) -> str:
    """Markdown inline text, safe in a table cell: no pipes, no markup, no line breaks."""
    out = _TAG.sub(r"\\<", _ENTITY.sub(r"\\&", one_line(text).translate(_MD_SPECIAL)))
    return "\\" + out if out.startswith(">") else out


#: what a spreadsheet reads as the start of a formula (or of a command, a tab or a
#: carriage return before one): Excel, LibreOffice and Google Sheets skip spaces before it
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell of every CSV kam writes: text on one line, and text a spreadsheet would run
    as a formula (``=HYPERLINK(...)``, ``  +1``: spaces before the sign too) led by an
    apostrophe, which shows it as text. Numbers and empty cells are written as they are."""
    if not isinstance(value, str):
        return value
    text = one_line(value)
    if value.lstrip(" \u3000\xa0").startswith(_FORMULA_START):
        return "'" + text
    return text
