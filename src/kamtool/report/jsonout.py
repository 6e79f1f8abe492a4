"""JSON output: the text ``json.dumps(obj, indent=2, ensure_ascii=False)`` writes, fast.

The standard library's encoder works in pure Python as soon as output is indented:
about 0.3 s for the grades of 2,000 accounts, more than reading them. orjson (Rust)
writes the same text; tests compare the two byte for byte on kam's outputs. Where orjson
refuses a value (an integer beyond 64 bits, a key that is not text), the standard
library writes it. Known difference: orjson writes a float of 1e16 or more as ``1e16``
where the standard library writes ``1e+16`` (the same number), and NaN as null.

A JSON document never has a line that starts with ``::`` (after white space): a line
break is only ever written between tokens, and the next line starts with the indent and
a token (a bracket, a brace, a quoted text, a number or a word), a line break in a text
being written as ``\n``. So no line of it is a CI runner's workflow command
(``escape.inert_commands``), which ``cli._emit`` relies on.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import orjson


def dumps(obj: object, *, default: Callable[[object], object] | None = None) -> str:
    """Indented JSON text with a final newline."""
    try:
        # the final newline written by orjson: a text of 60 MB (the findings of a neglected
        # portfolio) is not copied once more to add it
        option = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
        return orjson.dumps(obj, default=default, option=option).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError: a value orjson refuses
        return stdlib_dumps(obj, default=default)


def dump_bytes(obj: object, *, default: Callable[[object], object] | None = None) -> bytes:
    """``dumps(obj).encode()``, without making the text: orjson's UTF-8 as it writes it, for
    a document that goes to standard output as bytes (the 60 MB of a neglected portfolio's
    findings were decoded, then encoded again: 0.1 s)."""
    try:
        option = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
        return orjson.dumps(obj, default=default, option=option)
    except TypeError:
        return stdlib_dumps(obj, default=default).encode("utf-8")


def stdlib_dumps(obj: object, *, default: Callable[[object], object] | None = None) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, default=default) + "\n"
