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

#: the bidi embeddings, overrides and isolates: one in a name (U+202E, "right-to-left
#: override") reversed the rest of its line where Markdown or HTML is shown (a message,
#: the file path after it), and no backslash or entity keeps it from acting; shown as
#: U+FFFD, as the terminal's power map shows them (the direction marks stay: ``shown``)
_BIDI_CONTROLS = {code: "\ufffd" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
#: those characters
BIDI_CONTROLS = frozenset(map(chr, _BIDI_CONTROLS))

_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def inert_bidi(text: str) -> str:
    """``text`` with its bidi embeddings, overrides and isolates shown as U+FFFD, for plain
    text a browser or a bidi terminal lays out (a CI log, a GitHub annotation): U+202E in
    a name reversed the rest of the finding's line there. Text without one (nearly all) is
    returned after one scan, or none when it is ASCII (a flag of the text: most findings'
    lines, 180,000 of them in a check of a neglected portfolio)."""
    if text.isascii():
        return text
    return text.translate(_BIDI_CONTROLS) if _BIDI.search(text) else text


#: a line a CI runner reads as a command: GitHub Actions runs ``::error file=...::``,
#: ``::add-mask::``, ``::stop-commands::``... at the start of any line of a step's
#: output, after white space of any kind (the runner trims Unicode's: a full-width or a
#: no-break space before ``::`` is no protection)
_COMMAND_LINE = re.compile(r"^([^\S\n]*):(?=:)", re.MULTILINE)


def inert_commands(text: str) -> str:
    """``text`` with no line a CI runner would run as a workflow command: the first colon
    of a line that starts with ``::`` (after spaces) shown as U+FFFD. Only a name can put
    one there (an account named ``::error file=x::...``, at the start of a line of its own
    or where a narrow terminal wraps it), and a fork's pull request may write that name;
    ``--format github`` writes its own commands and is not passed through this."""
    return _COMMAND_LINE.sub("\\1\ufffd", text) if "::" in text else text


_MD_SPECIAL = (
    str.maketrans(
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
    | _BIDI_CONTROLS
)
#: an ``&`` CommonMark reads as the start of an entity or numeric character reference
_ENTITY = re.compile(r"&(?=[A-Za-z][A-Za-z0-9]*;|#[0-9]{1,7};|#[xX][0-9A-Fa-f]{1,6};)")
#: a ``<`` that starts raw HTML or an autolink: a tag, a closing tag, a comment, a
#: declaration, a processing instruction
_TAG = re.compile(r"<(?=[A-Za-z/!?])")


def one_line(text: object) -> str:
    return " ".join(str(text).split())


#: an @-mention as GitHub and GitLab read one (``@octocat``, ``@acme/security-team``): at
#: the start of a word, not in an e-mail address (``li@acme.com``)
_MENTION = re.compile(r"(?<![\w.+-])@(?=[A-Za-z0-9])")


def no_mention(text: str) -> str:
    """``text`` with each @-mention broken by a zero-width space (``@&#8203;team``, as
    Renovate writes them): a name or title ``@acme/security-team`` in a pull request's
    account file made kam's PR comment ping that team (and a plan committed as Markdown
    whoever it names). It reads the same; no backslash stops a mention."""
    return _MENTION.sub("@&#8203;", text) if "@" in text else text


def md(text: object) -> str:
    """Markdown inline text, safe in a table cell: no pipes, no markup, no line breaks, no
    @-mentions."""
    out = _TAG.sub(r"\\<", _ENTITY.sub(r"\\&", one_line(text).translate(_MD_SPECIAL)))
    out = no_mention(out)
    return "\\" + out if out.startswith(">") else out


def code_span(text: object) -> str:
    """A Markdown code span holding ``text`` as it is, on one line, whatever backticks it
    holds (a fence of more backticks than any run inside), its bidi controls shown as
    U+FFFD: no backslash escapes a code span, and a right-to-left override in a command
    (an action's text in ``kam log ... -m``) reversed the rest of its line."""
    text = one_line(text).translate(_BIDI_CONTROLS)
    ticks = "`"
    while ticks in text:
        ticks += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def html_text(text: object) -> str:
    """Text inside an HTML element of a Markdown file (a ``<summary>`` line): escaped as
    HTML, on one line, its bidi controls shown as U+FFFD as in Markdown."""
    import html

    return no_mention(html.escape(one_line(text).translate(_BIDI_CONTROLS), quote=False))


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


#: the format characters (Unicode Cf, which ``str.isprintable`` rejects) that are part
#: of a name's text: the joiners of an emoji sequence (👩\u200d💻) and of Persian and
#: Indic words, the direction marks of right-to-left text; not the bidi overrides and
#: isolates, which would reorder what follows them
_TEXT_FORMAT_CHARS = frozenset("\u200c\u200d\u200e\u200f\u061c")


def shown(ch: str) -> bool:
    """Whether a character of a name or text is shown as it is where a control character
    (an escape sequence driving a terminal, a line break) would be replaced."""
    return ch.isprintable() or ch in _TEXT_FORMAT_CHARS


#: what a Mermaid label, title or quoted name shows as it is; everything else of ASCII
#: becomes an entity code
_MERMAID_SAFE = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:_-+/()'"
)


def mermaid_text(text: object) -> str:
    """Text of a Mermaid diagram that decodes entity codes (``#35;``) where it draws it: a
    flowchart label, a quadrant chart's title and its quoted point names, an xychart's
    quoted title. Every ASCII character that could close the label or quote, start
    markup or an entity, or open a directive (``%%``) becomes an entity code; the rest
    of Unicode is no syntax to Mermaid and stays as written (letters of any script with
    their combining marks, a Thai vowel sign, a Devanagari matra, "：", "«»", emoji), so
    the drawing shows the name exactly as written."""
    out = []
    for ch in " ".join(str(text).split()):
        if ch in _MERMAID_SAFE or (ord(ch) > 127 and shown(ch)):
            out.append(ch)
        else:
            out.append(f"#{ord(ch)};")
    return "".join(out)


#: look-alikes for what Mermaid's front-matter title cannot show: it decodes no entity
#: codes and passes the text through an HTML sanitiser, which drops ``<LLC>`` as a tag
#: and shows ``&`` as ``&amp;``; and for braces, which a site generator's templates
#: (Liquid's ``{{ }}``) would evaluate even in a code block
_TITLE_LOOKALIKES = str.maketrans(
    {"<": "\u2039", ">": "\u203a", "&": "\uff06", "{": "\uff5b", "}": "\uff5d"}
)


def mermaid_title(text: object) -> str:
    """A Mermaid front-matter ``title`` (a flowchart's), as a JSON string (valid YAML) on
    one line: its text as written, but for ``< > & { }``, which no escape gets through
    (see ``_TITLE_LOOKALIKES``), shown as their look-alikes ``‹ › ＆ ｛ ｝`` ("AT＆T", not
    "AT T")."""
    import json

    clean = "".join(ch if shown(ch) else " " for ch in str(text))
    return json.dumps(" ".join(clean.split()).translate(_TITLE_LOOKALIKES), ensure_ascii=False)
