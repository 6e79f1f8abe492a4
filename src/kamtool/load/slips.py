"""Plain words for the YAML slips people make most, instead of the parser's own.

libyaml reports ``attitude: ?`` (the likeliest slip: "?" unquoted is YAML's complex-key
marker) as "mapping keys are not allowed in this context" (in braces, ``{id: p1, attitude:
?}``: "did not find expected node content"), and a tab as "found character
that cannot start any token"; both are right and neither says what to type. Each slip
here names what was written and the fix, at the slip's own position.

Typing in Chinese, the input method gives full-width punctuation: ``attitude：2`` (a
full-width colon is no key separator, so the line is text and libyaml complains about
the *next* line: "could not find expected ':'"), and ``roles: [E，I]`` (a full-width comma
separates nothing: one item ``E，I``). The first is a syntax error reworded here; the
second reads as data, so the messages about an unknown value add ``full_width_note``.
The input method's full-width space (U+3000) in an indentation is a syntax error too,
named at its own line.
"""

from __future__ import annotations

import re

from kamtool.i18n import _, line_list, ngettext, quoted
from kamtool.load.yamlread import YamlError, yaml_lines

_BARE_QUESTION = re.compile(r"^(\s*(?:-\s+)?[^\s#][^#]*?:\s+)\?\s*(#.*)?$")
#: the same slip inside braces (``{id: p1, attitude: ?}``, ``- {attitude: ?}``): a colon,
#: spaces and "?" (group 1) before a comma, a closing bracket, a comment or the end of the
#: line; the key is what stands before the colon since the last bracket or comma (found
#: apart: a key pattern in front made the search quadratic on a long line)
_FLOW_BARE_QUESTION = re.compile(r":[ \t]+(\?)[ \t]*(?=[,}\]#]|$)")
#: a key as it may stand before that colon (no quotes, no YAML indicators)
_FLOW_KEY = re.compile(r"[^\s{},\[\]#:'\"][^{},\[\]#:]*")
#: lines longer than this are no hand-written flow mapping: not searched
_FLOW_LINE_MAX = 2000
#: git's conflict markers, left at the start of a line when a merge conflict was not
#: resolved (``<<<<<<< HEAD``, ``=======``, ``>>>>>>> branch``)
_CONFLICT_MARKER = re.compile(r"^(<{7}|={7}|>{7})(?:[ \t].*)?$")
#: a key followed by a full-width colon (U+FF1A) where YAML needs ": "
_FULL_WIDTH_COLON = re.compile(r"^(\s*(?:-\s+)?)([^\W\d][\w.-]*)\s*：")


def full_width_keys(text: str) -> YamlError | None:
    """A file that read as one text, not a mapping, because every key was typed with the
    full-width colon of a Chinese input method (``id：c4``): the first such key, as the
    one-line slip is told (a file of them parsed without a parser error, and was only
    "must be a mapping of keys"). None when the first line with content has no such
    key."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        return _full_width_colon(line, number)
    return None


def _full_width_colon(line: str, number: int) -> YamlError | None:
    """The error for a key on ``line`` (line ``number``) followed by a full-width colon;
    None when it has none."""
    m = _FULL_WIDTH_COLON.match(line)
    if m is None:
        return None
    key = m.group(2)
    return YamlError(
        _(
            "a full-width colon '：' after {key}: YAML needs an ASCII colon and a "
            "space: write {key}: ..."
        ).format(key=key),
        number,
        m.end(),
    )


#: a key whose colon is followed by its value with no ASCII space between them
#: (``attitude:2``, or the input method's full-width space: ``attitude:\u30002``): YAML
#: reads the whole line as one text, and the parser complains on the next line
_NO_SPACE_AFTER_COLON = re.compile(r"^(\s*(?:-\s+)?)([^\W\d][\w.-]*):([\u3000\u00a0]*)(?=[^\s:/#])")
#: a key and a plain value that holds a colon and a space (``notes: met him: friendly``):
#: YAML reads the second ": " as a key of its own ("mapping values are not allowed")
_COLON_IN_VALUE = re.compile(r"^(\s*(?:-\s+)?)([^\s#:'\"{\[][^:#]*?):[ \t]+([^\s'\"{\[|>&*!].*)$")
#: a key whose value is a lone "-" (``attitude: -``, "none yet" in a spreadsheet): YAML
#: reads it as a list item ("block sequence entries are not allowed in this context")
_LONE_DASH = re.compile(r"^(\s*(?:-\s+)?)([^\s#:'\"][^:#]*?):[ \t]+-[ \t]*(?:#.*)?$")
#: the spaces Word, WeChat, e-mail and web pages paste that look like a space and are not
#: one to YAML: the no-break space (U+00A0) and the input method's full-width space
INVISIBLE_SPACES = "\u00a0\u3000"
#: the keys whose value is a -3..+3 scale or "?"
_SCALE_KEYS = frozenset({"attitude", "intimacy"})
#: full-width separators an input method types between list items: comma, ideographic
#: comma (顿号), semicolon
_FULL_WIDTH_SEPARATORS = "，、；"
#: how many lines above a syntax error a full-width space in an indentation is looked for
#: (the parser notices it where the text it makes breaks the structure, a few keys on)
_LOOK_BACK = 10


#: the quotation marks a Chinese input method types (opening -> closing): to YAML they are
#: part of the text, so `attitude: “?”` is the text “?”, not "?"
_FULL_WIDTH_QUOTES = {"“": "”", "‘": "’", "「": "」", "『": "』", "＂": "＂"}


def full_width_note(value: object) -> str:
    """A sentence naming the full-width separator in ``value`` (``"E，I"``: two items
    typed as one) or in one of the texts of the list ``value``, or the full-width
    quotation marks around it (``“?”``), to add to a message about the value; empty when
    there is none."""
    if isinstance(value, str) and len(value) > 2:
        close = _FULL_WIDTH_QUOTES.get(value[0])
        if close is not None and value[-1] == close:
            return _(
                "{open}{close} are full-width quotation marks, part of the text to YAML: "
                'use ASCII quotes, "{text}", or none'
            ).format(open=value[0], close=close, text=value[1:-1])
    texts = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    chars = (c for text in texts if isinstance(text, str) for c in text)
    found = next((c for c in chars if c in _FULL_WIDTH_SEPARATORS), None)
    if found is None:
        return ""
    return _(
        "{char!r} is a full-width character: YAML separates list items with an ASCII comma "
        "and a space, as in [a, b]"
    ).format(char=found)


def space_name(ch: str) -> str:
    """The name of an invisible space, as a message names it."""
    return _("a full-width space (U+3000)") if ch == "\u3000" else _("a no-break space (U+00A0)")


#: the control characters text pasted from another program brings most, by name
_CONTROL_ERROR = re.compile(r"unacceptable character #x([0-9a-f]{4}): control characters")
_CONTROL_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "BS",
    0x0B: "VT",
    0x0C: "FF",
    0x1B: "ESC",
    0x7F: "DEL",
}


def control_character(code: int) -> tuple[str, str]:
    """KAM001's message and hint for a control character at its position: which one (its
    code and name), that it is invisible, and to delete it."""
    name = _CONTROL_NAMES.get(code, "")
    shown = f"U+{code:04X}" + (f" {name}" if name else "")
    return (
        _(
            "an invisible control character ({char}), usually pasted with text from another "
            "program: delete it"
        ).format(char=shown),
        _(
            "Delete the character at this position (in most editors: put the cursor just "
            "after it and press Backspace; it may look like nothing at all), or retype the "
            "text instead of pasting it."
        ),
    )


def _bare_question(key: str) -> str:
    return _(
        '{key}: ? must be quoted: write {key}: "?" (unquoted, YAML reads ? as '
        "the start of a complex key)"
    ).format(key=key)


def explain(text: str, err: YamlError) -> YamlError:
    """``err`` reworded when it is one of the known slips; otherwise ``err`` itself."""
    if err.explained:
        return err
    lines = yaml_lines(text)  # as the parser counts them
    conflict = _merge_conflict(lines)
    if conflict is not None:
        return conflict
    control = _CONTROL_ERROR.match(err.english)
    if control is not None:
        message, hint = control_character(int(control.group(1), 16))
        return YamlError(message, err.line, err.column, hint=hint)
    # the parser notices a bare "?" on its line or on the next one
    for number in (err.line, err.line - 1):
        if 1 <= number <= len(lines):
            m = _BARE_QUESTION.match(lines[number - 1])
            if m:
                key = m.group(1).strip().lstrip("- ").rstrip(": ").strip()
                return YamlError(
                    _bare_question(key),
                    number,
                    len(m.group(1)) + 1,
                )
    # each of these knows one slip and says None for any other; the first that knows wins
    for slip in (
        _flow_bare_question,
        _quote_slip,
        _colon_in_flow_value,
        _comment_in_flow,
        _unclosed_flow,
        _lone_dash,
        _colon_in_value,
    ):
        known = slip(lines, err)
        if known is not None:
            return known
    # the line the parser stopped at, or the previous lines down to the last one with
    # content (a full-width colon makes its line text; the parser notices on the next key)
    colon_errors = ("could not find expected ':'", "mapping values are not allowed")
    for number in range(err.line, max(err.line - 4, 0), -1):
        if not 1 <= number <= len(lines) or not any(e in err.english for e in colon_errors):
            continue
        colon_slip = _full_width_colon(lines[number - 1], number)
        if colon_slip is not None:
            return colon_slip
    # a key and its value with no ASCII space after the colon: the line is one text
    for number in range(err.line, max(err.line - 4, 0), -1):
        if not 1 <= number <= len(lines) or not any(e in err.english for e in colon_errors):
            continue
        m = _NO_SPACE_AFTER_COLON.match(lines[number - 1])
        if m:
            key, wide = m.group(2), m.group(3)
            value = lines[number - 1][m.end() :].split(" #", 1)[0].strip()
            message = (
                _(
                    "the space after '{key}:' is a full-width space (U+3000): YAML needs an "
                    "ASCII space after the colon: write {key}: {value}"
                )
                if "\u3000" in wide
                else _(
                    "the space after '{key}:' is a no-break space (U+00A0), as Word, WeChat "
                    "and web pages paste it: YAML needs an ASCII space after the colon: "
                    "write {key}: {value}"
                )
                if wide
                else _(
                    "no space after the colon of {key}: YAML needs a colon and a space: "
                    "write {key}: {value}"
                )
            )
            return YamlError(
                message.format(key=key, value=value),
                number,
                len(m.group(1)) + len(key) + 2,
            )
    # a full-width space (U+3000, the input method's space) where YAML needs ASCII
    # spaces: in an indentation or alone on a blank-looking line, it is text to YAML, and
    # the parser stops lines later, where that text breaks the structure
    for number in range(err.line, max(err.line - _LOOK_BACK, 0), -1):
        if not 1 <= number <= len(lines):
            continue
        line = lines[number - 1]
        lead = line[: len(line) - len(line.lstrip(" \t" + INVISIBLE_SPACES))]
        wide = next((c for c in lead if c in INVISIBLE_SPACES), None)
        if wide is not None:
            return YamlError(
                indentation_message(wide),
                number,
                lead.index(wide) + 1,
            )
    indented = _misindented(lines, err)
    if indented is not None:
        return indented
    if "cannot start any token" in err.english or "found a tab" in err.english:
        for number in (err.line, err.line - 1):
            line = lines[number - 1] if 1 <= number <= len(lines) else ""
            # a tab where YAML indents (before the text, after a list's "-"), or the very
            # character the parser stopped at; a tab further on (``revenue:\t@5``) is
            # not what stopped it, and the error there is the parser's own
            at = line[err.column - 1 : err.column] if number == err.line else ""
            if "\t" in _indentation(line) or at == "\t":
                col = line.index("\t") + 1 if at != "\t" else err.column
                return YamlError(
                    _(
                        "a tab character: YAML indents with spaces only; replace the tab with spaces"
                    ),
                    number,
                    col,
                    hint=_tab_hint(lines, number),
                )
    return err


def indentation_message(space: str) -> str:
    """KAM001's (or an unknown key's) words for an invisible space in an indentation."""
    return _(
        "{space} at the start of the line, pasted with the text: YAML indents with ASCII "
        "spaces only; replace it with spaces, or delete it on an empty line"
    ).format(space=space_name(space))


#: a key and a quoted value with more text after its closing quote: the same quote
#: inside (``notes: "he said "ok" and left"``, ``notes: 'it's fine'``)
_QUOTE_INSIDE = re.compile(
    r"^(\s*(?:-\s+)?)([^\s#:'\"][^:#]*?):[ \t]+(([\"'])(?:(?!\4).)*\4)[ \t]*([^\s#,}\]].*)$"
)
#: a line that opens a quoted value and does not close it
_QUOTE_OPEN = re.compile(r"^\s*(?:-\s+)?(?:[^\s#:'\"][^:#]*?:[ \t]+|-[ \t]+)([\"'])")


def _quote_slip(lines: list[str], err: YamlError) -> YamlError | None:
    """A quote inside a value in the same quotes (``"he said "ok""``, ``'it's'``): the
    value ends at the inner quote and libyaml stops at the text after it; a quote opened
    and never closed: libyaml stops at the end of the file, far from it."""
    if "end of stream" in err.english and "quoted scalar" in err.english:
        for number in range(min(err.line, len(lines)), 0, -1):
            m = _QUOTE_OPEN.match(lines[number - 1])
            if m is not None and lines[number - 1].count(m.group(1)) % 2 == 1:
                return YamlError(
                    _(
                        "the quote {quote} opened here is never closed, so the rest of the "
                        "file became its text: close it at the end of the value"
                    ).format(quote=m.group(1)),
                    number,
                    m.start(1) + 1,
                )
        return None
    if not 1 <= err.line <= len(lines):
        return None
    m = _QUOTE_INSIDE.match(lines[err.line - 1])
    if m is None:
        return None
    key, quote = m.group(2).strip(), m.group(4)
    whole = (m.group(3) + m.group(5)).split(" #", 1)[0].rstrip()[1:-1]
    if quote == '"':
        fixed = "'" + whole.replace("'", "''") + "'"
        advice = _("put it in single quotes instead: {key}: {fixed}")
    else:
        fixed = '"' + whole.replace("\\", "\\\\").replace('"', '\\"') + '"'
        advice = _(
            "write the apostrophe twice ('') inside single quotes, or use double quotes: {key}: {fixed}"
        )
    return YamlError(
        _(
            "the value of {key} holds its own quote mark {quote}, which ends the quoted text: {advice}"
        ).format(key=key, quote=quote, advice=advice.format(key=key, fixed=fixed)),
        err.line,
        m.start(5) + 1,
    )


#: a " #" (a comment's start) inside an unclosed ``{...}`` or ``[...]`` on one line
_FLOW_COMMENT = re.compile(r"[{\[][^}\]\n]*?[ \t](#)")


def _colon_in_flow_value(lines: list[str], err: YamlError) -> YamlError | None:
    """``- {id: a, notes: met him: friendly}``: inside braces a colon and a space end a
    plain value too; libyaml says "did not find expected ',' or '}'"."""
    if "did not find expected ',' or '}'" not in err.english:
        return None
    if not 1 <= err.line <= len(lines):
        return None
    line = lines[err.line - 1]
    at = min(err.column - 1, len(line))
    start = max(line.rfind("{", 0, at), line.rfind(",", 0, at)) + 1
    ends = [i for i in (line.find(",", at), line.find("}", at)) if i >= 0]
    segment = line[start : min(ends) if ends else len(line)]
    m = re.fullmatch(r"\s*([^\s:'\"{}\[\],]+):[ \t]+([^'\"\[{][^,}]*?:[ \t].*?)\s*", segment)
    if m is None:
        return None
    return _colon_error(m.group(1), m.group(2), err)


def _comment_in_flow(lines: list[str], err: YamlError) -> YamlError | None:
    """``- {id: a, name: Room 5 #2, attitude: 1}``: the " #" starts a comment inside the
    braces, the rest of the line is gone, and libyaml misses the closing brace later."""
    if "did not find expected ',' or" not in err.english:
        return None
    for number in range(err.line, max(err.line - 3, 0), -1):
        if not 1 <= number <= len(lines):
            continue
        m = _FLOW_COMMENT.search(lines[number - 1])
        if m is not None:
            return YamlError(
                _(
                    "' #' inside {braces} starts a comment in YAML, and the rest of the line "
                    "is cut off: put the value that holds the '#' in quotes, or delete the "
                    "comment"
                ).format(braces="{...}" if "{" in m.group(0)[:1] else "[...]"),
                number,
                m.start(1) + 1,
            )
    return None


def _unclosed_flow(lines: list[str], err: YamlError) -> YamlError | None:
    """``roles: [D, S`` with no ``]``: libyaml notices on the next key's line, or past the
    end of the file (a line that does not exist, where no annotation can stand), and
    names neither the bracket nor where it opened. Said at the bracket."""
    if err.opened is None or "did not find expected" not in err.english:
        return None
    line, column = err.opened
    if line >= err.line or not 1 <= line <= len(lines):
        return None  # on the bracket's own line the parser's position is the better one
    bracket = lines[line - 1][column - 1 : column]
    if bracket not in ("[", "{"):
        return None
    close = "]" if bracket == "[" else "}"
    return YamlError(
        _("the {bracket} opened here is never closed: end the {what} with {close}").format(
            bracket=bracket, close=close, what=_("list") if bracket == "[" else _("mapping")
        ),
        line,
        column,
    )


def _merge_conflict(lines: list[str]) -> YamlError | None:
    """A merge conflict left in the file: git's markers make no YAML, and the parser's
    words ("could not find expected ':'") say nothing of the merge."""
    for number, line in enumerate(lines, 1):
        m = _CONFLICT_MARKER.match(line.rstrip("\r\n"))
        if m:
            return YamlError(
                _(
                    "a merge conflict was left in the file: line {line} holds git's "
                    "conflict marker {marker}; keep the lines that are right, and delete "
                    "the markers (<<<<<<<, =======, >>>>>>>) and the lines you do not keep"
                ).format(line=number, marker=quoted(m.group(1))),
                number,
                1,
                hint=_(
                    "Resolve the conflict (git status lists the files), then commit the "
                    "resolved file."
                ),
            )
    return None


def _lone_dash(lines: list[str], err: YamlError) -> YamlError | None:
    """``attitude: -``: a lone dash after a key, read as a list item."""
    if "block sequence entries are not allowed" not in err.english:
        return None
    if not 1 <= err.line <= len(lines):
        return None
    m = _LONE_DASH.match(lines[err.line - 1])
    if m is None:
        return None
    key = m.group(2).strip()
    advice = (
        _('write a number from -3 to 3 (0 is neutral), or "?" if not yet known')
        if key in _SCALE_KEYS
        else _('write the value, put the dash in quotes ("-"), or delete the line')
    )
    return YamlError(
        _(
            "a lone '-' after {key}: YAML reads it as the start of a list, not a value: {advice}"
        ).format(key=key, advice=advice),
        err.line,
        err.column,
    )


def _colon_in_value(lines: list[str], err: YamlError) -> YamlError | None:
    """``notes: met him: friendly``: a colon and a space inside a value, read as a key."""
    if "mapping values are not allowed" not in err.english:
        return None
    if not 1 <= err.line <= len(lines):
        return None
    line = lines[err.line - 1]
    m = _COLON_IN_VALUE.match(line)
    # the parser stops at the colon inside the value, after the key's own
    if m is None or err.column - 1 < m.start(3):
        return None
    return _colon_error(m.group(2).strip(), m.group(3).split(" #", 1)[0].rstrip(), err)


def _colon_error(key: str, value: str, err: YamlError) -> YamlError:
    """KAM001 for a value that holds ': ' (in a block mapping or inside braces), with the
    value written in quotes: double ones, single ones when it holds a double quote."""
    quoted = f'"{value}"' if '"' not in value else "'" + value.replace("'", "''") + "'"
    return YamlError(
        _(
            "the value of {key} holds a colon and a space (': '), which YAML reads as the "
            "start of another key: put the whole value in quotes: {key}: {quoted}"
        ).format(key=key, quoted=quoted),
        err.line,
        err.column,
        hint=_(
            "Put a value that holds ': ' in quotes (single quotes when it holds a double "
            "quote), or write the colon without a space after it."
        ),
    )


def _indentation(line: str) -> str:
    """What indents ``line`` in YAML: its leading blanks and the "-" of list items."""
    return line[: len(line) - len(line.lstrip(" \t-"))]


def _tab_hint(lines: list[str], number: int) -> str:
    """KAM001's advice for a file indented with tabs: which lines to change (an editor
    set to tabs indents every line so, not only the one the parser stopped at: line
    ``number``, which is always named) and how to stop it happening again."""
    tabbed = [n for n, line in enumerate(lines, 1) if "\t" in _indentation(line)]
    if number not in tabbed:
        tabbed = sorted([*tabbed, number])
    return ngettext(
        "Indent with spaces: {lines} starts with a tab. Replace the tab with spaces (as "
        "many as the lines around it use) and set your editor to insert spaces for Tab.",
        "Indent with spaces: {lines} start with a tab. Replace each tab with spaces (as "
        "many as the lines around it use) and set your editor to insert spaces for Tab.",
        len(tabbed),
    ).format(lines=line_list(tabbed))


def _flow_bare_question(lines: list[str], err: YamlError) -> YamlError | None:
    """``attitude: ?`` in a flow mapping: libyaml says "did not find expected node content"
    at the ``?`` (or at the line after it), naming neither the key nor the quotes."""
    for number in (err.line, err.line - 1):
        if not 1 <= number <= len(lines) or len(lines[number - 1]) > _FLOW_LINE_MAX:
            continue
        line = lines[number - 1]
        found = [
            m
            for m in _FLOW_BARE_QUESTION.finditer(line)
            if number < err.line or m.start(1) < err.column
        ]
        for m in reversed(found):
            start = max(line.rfind(c, 0, m.start()) for c in "{},[]") + 1
            key = _FLOW_KEY.fullmatch(line[start : m.start()].strip())
            if key:
                return YamlError(_bare_question(key.group()), number, m.start(1) + 1)
    return None


#: what libyaml says at a line indented unlike its neighbours
_INDENT_ERRORS = (
    "did not find expected '-' indicator",
    "did not find expected key",
    "mapping values are not allowed",
)
_KEY_LINE = re.compile(r"^( *)(- +)?([^\s#-][^:#]*?): +\S")


def _content(line: str) -> bool:
    text = line.strip()
    return bool(text) and not text.startswith("#")


def _misindented(lines: list[str], err: YamlError) -> YamlError | None:
    """A list item or a key indented unlike the ones above it (``   - id: x`` under items
    at two spaces, a key one space further in than the keys of its entry): libyaml says
    "did not find expected '-' indicator" or "mapping values are not allowed", which
    names neither the indentation nor the one to use."""
    if not any(e in err.english for e in _INDENT_ERRORS) or not 1 <= err.line <= len(lines):
        return None
    line = lines[err.line - 1]
    if "\t" in line or "\u3000" in line or not _content(line):
        return None
    indent = len(line) - len(line.lstrip(" "))
    above = [lines[n] for n in range(err.line - 2, -1, -1) if _content(lines[n])]
    if not above:
        return None
    if line.lstrip().startswith("- "):
        item = next((a for a in above if a.lstrip().startswith("- ")), None)
        want = len(item) - len(item.lstrip(" ")) if item is not None else None
        message = _(
            "this list item is indented {n} spaces and the items above it {want}: indent "
            "the items of one list alike"
        )
    else:
        m = _KEY_LINE.match(above[0])
        if m is None or above[0].rstrip().endswith(":"):
            return None
        want = len(m.group(1)) + len(m.group(2) or "")
        message = _(
            "this key is indented {n} spaces and the key above it {want}: indent the keys "
            "of one entry alike"
        )
    if want is None or want == indent:
        return None
    return YamlError(message.format(n=indent, want=want), err.line, indent + 1)
