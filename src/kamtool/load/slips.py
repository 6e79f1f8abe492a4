"""Plain words for the YAML slips people make most, instead of the parser's own.

libyaml reports ``attitude: ?`` (the likeliest slip: "?" unquoted is YAML's complex-key
marker) as "mapping keys are not allowed in this context", and a tab as "found character
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

from kamtool.i18n import _
from kamtool.load.yamlread import YamlError

_BARE_QUESTION = re.compile(r"^(\s*(?:-\s+)?[^\s#][^#]*?:\s+)\?\s*(#.*)?$")
#: a key followed by a full-width colon (U+FF1A) where YAML needs ": "
_FULL_WIDTH_COLON = re.compile(r"^(\s*(?:-\s+)?)([^\W\d][\w.-]*)\s*：")
#: full-width separators an input method types between list items: comma, ideographic
#: comma (顿号), semicolon
_FULL_WIDTH_SEPARATORS = "，、；"
#: how many lines above a syntax error a full-width space in an indentation is looked for
#: (the parser notices it where the text it makes breaks the structure, a few keys on)
_LOOK_BACK = 10


def full_width_note(value: object) -> str:
    """A sentence naming the full-width separator in ``value`` (``"E，I"``: two items
    typed as one) or in one of the texts of the list ``value``, to add to a message about
    the value; empty when there is none."""
    texts = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    chars = (c for text in texts if isinstance(text, str) for c in text)
    found = next((c for c in chars if c in _FULL_WIDTH_SEPARATORS), None)
    if found is None:
        return ""
    return _(
        "{char!r} is a full-width character: YAML separates list items with an ASCII comma "
        "and a space, as in [a, b]"
    ).format(char=found)


def explain(text: str, err: YamlError) -> YamlError:
    """``err`` reworded when it is one of the known slips; otherwise ``err`` itself."""
    lines = text.splitlines()
    # the parser notices a bare "?" on its line or on the next one
    for number in (err.line, err.line - 1):
        if 1 <= number <= len(lines):
            m = _BARE_QUESTION.match(lines[number - 1])
            if m:
                key = m.group(1).strip().lstrip("- ").rstrip(": ").strip()
                return YamlError(
                    _(
                        '{key}: ? must be quoted: write {key}: "?" (unquoted, YAML reads ? as '
                        "the start of a complex key)"
                    ).format(key=key),
                    number,
                    len(m.group(1)) + 1,
                )
    # the line the parser stopped at, or the previous lines down to the last one with
    # content (a full-width colon makes its line text; the parser notices on the next key)
    colon_errors = ("could not find expected ':'", "mapping values are not allowed")
    for number in range(err.line, max(err.line - 4, 0), -1):
        if not 1 <= number <= len(lines) or not any(e in err.english for e in colon_errors):
            continue
        m = _FULL_WIDTH_COLON.match(lines[number - 1])
        if m:
            key = m.group(2)
            return YamlError(
                _(
                    "a full-width colon '：' after {key}: YAML needs an ASCII colon and a "
                    "space: write {key}: ..."
                ).format(key=key),
                number,
                m.end(),
            )
    # a full-width space (U+3000, the input method's space) where YAML needs ASCII
    # spaces: in an indentation or alone on a blank-looking line, it is text to YAML, and
    # the parser stops lines later, where that text breaks the structure
    for number in range(err.line, max(err.line - _LOOK_BACK, 0), -1):
        if not 1 <= number <= len(lines):
            continue
        line = lines[number - 1]
        lead = line[: len(line) - len(line.lstrip(" \t\u3000"))]
        if "\u3000" in lead:
            return YamlError(
                _(
                    "a full-width space (U+3000) at the start of the line: YAML indents "
                    "with ASCII spaces only; replace it with spaces, or delete it on an "
                    "empty line"
                ),
                number,
                lead.index("\u3000") + 1,
            )
    if "cannot start any token" in err.english or "found a tab" in err.english:
        for number in (err.line, err.line - 1):
            if 1 <= number <= len(lines) and "\t" in lines[number - 1]:
                col = lines[number - 1].index("\t") + 1
                return YamlError(
                    _(
                        "a tab character: YAML indents with spaces only; replace the tab with spaces"
                    ),
                    number,
                    col,
                )
    return err
