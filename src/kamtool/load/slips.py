"""Plain words for the YAML slips people make most, instead of the parser's own.

libyaml reports ``attitude: ?`` (the likeliest slip: "?" unquoted is YAML's complex-key
marker) as "mapping keys are not allowed in this context", and a tab as "found character
that cannot start any token"; both are right and neither says what to type. Each slip
here names what was written and the fix, at the slip's own position.
"""

from __future__ import annotations

import re

from kamtool.i18n import _
from kamtool.load.yamlread import YamlError

_BARE_QUESTION = re.compile(r"^(\s*(?:-\s+)?[^\s#][^#]*?:\s+)\?\s*(#.*)?$")


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
