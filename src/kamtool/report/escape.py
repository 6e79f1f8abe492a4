"""Escaping for every embedding format: what a name contains must never become markup."""

from __future__ import annotations

_MD_SPECIAL = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
        "#": "\\#",
        "{": "&#123;",
        "}": "&#125;",
        "$": "\\$",
    }
)


def one_line(text: object) -> str:
    return " ".join(str(text).split())


def md(text: object) -> str:
    """Markdown inline text, safe in a table cell: no pipes, no markup, no line breaks."""
    return one_line(text).translate(_MD_SPECIAL)
