"""Read YAML into plain Python data plus the position of every key and value.

Why not ruamel's round-trip loader: it parses about 0.3 MB/s, far too slow for
a portfolio checked on every push. kam drives libyaml's event parser and builds
the data itself, which gives exact 1-based line/column for every node, lets it
refuse object-building tags, bound alias expansion and reject duplicate keys
with their position, and refuse nesting deeper than MAX_DEPTH levels. Plain
scalars are resolved with the YAML 1.2 core schema (plus dates).

Two readers share that work. The native one (``native/kamyaml.c``, compiled
into the wheel with a vendored libyaml) builds plain documents in C, about six
times faster; anything unusual it hands to the Python reader, which takes
libyaml's events one by one from ``ruamel.yaml.clib`` and handles every case.
Without a compiler at install time kam uses the Python reader alone.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Callable
from typing import Any, Protocol

from kamtool.i18n import N_, _

Path_ = tuple[str | int, ...]
Pos = tuple[int, int]
#: data as read from YAML, before validation (None, bool, int, float, str, date, datetime,
#: and lists and mappings of them): finding out its shape is validation's job
YamlData = Any  # raw YAML before validation


class Mark(Protocol):
    """Where a parser event starts or ends (0-based), in libyaml's and ruamel's events."""

    line: int
    column: int


#: Nodes that alias expansion may add to a document, beyond the nodes written.
ALIAS_EXPANSION_LIMIT = 10_000
#: Collections nested deeper than this are refused (KAM001) as soon as the parser reaches
#: them: no kam file nests more than a few levels, and libyaml's scanner slows down
#: quadratically with the depth of flow collections (a 20,000-deep one took seconds).
#: The native reader (native/kamyaml.c, KAM_MAX_DEPTH) stops at the same depth.
MAX_DEPTH = 100

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    "!",
    _CORE + "str",
    _CORE + "int",
    _CORE + "float",
    _CORE + "bool",
    _CORE + "null",
    _CORE + "map",
    _CORE + "seq",
    _CORE + "timestamp",
}

# The YAML 1.2 core schema (YAML 1.2.2, 10.3.2), exactly: no YAML 1.1 forms. "0b1",
# "1_000", "+0x1F", "0o-7", "1:20" (sexagesimal), "yes"/"no"/"on"/"off" stay text;
# "0o17" and "0x1F" are integers, "1e3" a float. Plus timestamps (dates), as ruamel reads
# them: kam's date fields are written as plain dates.
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
#: Python refuses to convert more than 4,300 decimal digits to an int (the conversion takes
#: quadratic time) and names its own setting in the error; no value of kam is a number that
#: long, so a longer one stays the text it is, which the schema refuses at its own position
#: like any text where a number belongs
_MAX_DIGITS = 4000
#: the same bound for 0x and 0o numbers, which Python converts without a limit but which
#: are then written in decimal (a message quoting the value): in bits, 4,000 decimal digits
_MAX_BITS = int(_MAX_DIGITS * 3.3219)
_FLOAT = re.compile(
    r"""^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)
_TIMESTAMP = re.compile(
    r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
    (?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
    (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
    re.X,
)
_FIRST_CHARS = set("-+0123456789.~nNtTfF")


class YamlError(Exception):
    """A document that cannot become data; carries a 1-based position."""

    def __init__(
        self,
        message: str,
        line: int = 1,
        column: int = 1,
        *,
        english: str | None = None,
        hint: str = "",
        explained: bool = False,
        opened: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        #: advice for this error in particular, in place of KAM001's general one
        self.hint = hint
        #: libyaml's own English words when ``message`` is their translation (the slips
        #: of ``slips.explain`` are recognised by these, in every output language)
        self.english = english if english is not None else message
        #: the message says exactly what is wrong: no slip of ``slips.explain`` rewords it
        self.explained = explained
        #: where the ``[...]`` or ``{...}`` the parser was in opened (line, column), for
        #: an error inside one: libyaml notices an unclosed one lines later, or past the
        #: file's end (``slips._unclosed_flow`` points at the bracket)
        self.opened = opened


def _duplicate(key: str, first: Pos | None, line: int, column: int) -> YamlError:
    """A key written twice in one mapping: refused (never the second silently winning),
    with the line of the first, so the reader sees both values and keeps the right one."""
    if first is None:
        return YamlError(_("duplicate key {key!r} in this mapping").format(key=key), line, column)
    return YamlError(
        _(
            "{key} is written twice in this entry (first on line {first}): a key holds one "
            "value, and kam does not guess which one you meant"
        ).format(key=key, first=first[0]),
        line,
        column,
        hint=_(
            "Keep the line with the right value and delete the other (line {first} or line {line})."
        ).format(first=first[0], line=line)
        if first[0] != line
        else _("Keep the right value and delete the other."),
    )


class Document:
    """Parsed data with positions: ``values[path]`` and ``keys[path]`` are (line, col).

    A document from the native reader keeps its positions as ``marks``, one (line, column,
    subtree size) triple per node in document order, and answers a lookup with one call
    into C (``_kamyaml.position``) that goes down the path: a mapping entry by scanning the
    mapping's few keys, a list item through the list's table of child nodes, worked out
    the first time the list is gone through and kept (as is a key table for a mapping of
    more than 16 keys). No lookup walks the siblings before its node, which made one
    account of 10,000 people quadratic. ``values`` and ``keys`` are only built if someone
    asks for them.
    """

    __slots__ = (
        "_keys",
        "_tables",
        "_values",
        "aliased",
        "data",
        "flow_ends",
        "marks",
        "merged",
        "shared",
        "spans",
    )

    def __init__(
        self,
        data: YamlData,
        values: dict[Path_, Pos] | None = None,
        keys: dict[Path_, Pos] | None = None,
        *,
        marks: memoryview | None = None,
    ) -> None:
        self.data = data
        self._values = values
        self._keys = keys
        self.marks = marks
        #: lookup tables the native lookup builds on a container's first lookup: a list's
        #: child node indices (bytes of C ints) under its node index, a large mapping's
        #: key -> key node under -(node index + 1)
        self._tables: dict[int, object] = {}  # built and read in C only
        #: with ``parse(text, spans=True)``: scalar value path -> (start line, col, end line,
        #: col), and flow mapping path -> (line, col) of its closing brace; for in-place edits.
        self.spans: dict[Path_, tuple[int, int, int, int]] = {}
        self.flow_ends: dict[Path_, Pos] = {}
        #: also with spans: the nodes an in-place edit must not change alone, because the
        #: text holds them once for several places. ``shared``: a node whose anchor an
        #: alias or merge key later uses -> (anchor, line of the anchor); ``aliased``: a
        #: node that is a copy made by an alias -> (anchor, line of the alias); ``merged``:
        #: a key a merge key ``<<`` brought in -> line of the merge key's value.
        self.shared: dict[Path_, tuple[str, int]] = {}
        self.aliased: dict[Path_, tuple[str, int]] = {}
        self.merged: dict[Path_, int] = {}
        if marks is None:
            self._values = {} if values is None else values
            self._keys = {} if keys is None else keys

    @property
    def values(self) -> dict[Path_, Pos]:
        if self._values is None:
            self._values, self._keys = self._all_positions()
        return self._values

    @property
    def keys(self) -> dict[Path_, Pos]:
        if self._keys is None:
            self._values, self._keys = self._all_positions()
        return self._keys

    def position(self, path: Path_, *, key: bool = False) -> Pos:
        """Best position for ``path``: the key (if asked and known), the value, or the
        nearest ancestor that exists (a missing key is reported at its mapping)."""
        p = path if path.__class__ is tuple else tuple(path)
        if self.marks is not None:  # the frequent case: one call into C
            found = _native_position(self.data, self.marks, self._tables, p, key)
            if found is not None:
                return found
        while True:
            found = self._exact(p, key)
            if found is not None:
                return found
            if not p:
                return (1, 1)
            p = p[:-1]
            key = True

    def _exact(self, path: Path_, key: bool) -> Pos | None:
        """The position of ``path`` itself (its key if asked and it has one), or None."""
        if self.marks is None:
            if key and path in self.keys:
                return self.keys[path]
            return self.values.get(path, self.keys.get(path))
        return _native_position(self.data, self.marks, self._tables, path, key)

    def _all_positions(self) -> tuple[dict[Path_, Pos], dict[Path_, Pos]]:
        """Every path's position, as the Python reader records them."""
        m = self.marks
        assert m is not None  # a document without marks has its positions already
        values: dict[Path_, Pos] = {}
        keys: dict[Path_, Pos] = {}
        if not len(m):
            return values, keys

        def walk(node: YamlData, path: Path_, index: int) -> None:
            values[path] = (m[3 * index], m[3 * index + 1])
            j = index + 1
            if node.__class__ is dict:
                for k, v in node.items():
                    keys[(*path, k)] = (m[3 * j], m[3 * j + 1])
                    walk(v, (*path, k), j + 1)
                    j += 1 + m[3 * (j + 1) + 2]
            elif node.__class__ is list:
                for i, v in enumerate(node):
                    walk(v, (*path, i), j)
                    j += m[3 * j + 2]

        walk(self.data, (), 0)
        return values, keys


def _to_int(text: str) -> int:
    """An integer of the core schema (``_INT`` matched): decimal with an optional sign,
    or unsigned 0o octal / 0x hexadecimal."""
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _to_float(text: str) -> float:
    t = text.lower()
    if t.endswith(".inf"):
        return float("-inf") if t.startswith("-") else float("inf")
    if t.endswith(".nan"):
        return float("nan")
    return float(t)


def _to_timestamp(text: str) -> _dt.date | _dt.datetime | str:
    try:
        if len(text) == 10:
            return _dt.date.fromisoformat(text)
        return _dt.datetime.fromisoformat(text.replace("t", "T").replace("Z", "+00:00"))
    except ValueError:
        return text


def resolve_plain(text: str) -> YamlData:
    """YAML 1.2 core schema resolution of a plain (unquoted) scalar, plus dates."""
    if not text:
        return None
    if text[0] not in _FIRST_CHARS:
        return text
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text[0] in "tT"
    if _INT.match(text):
        if text.startswith(("0o", "0x")):
            number = _to_int(text)  # linear in its length; 0x of 5,000 digits is 6,000
            return text if number.bit_length() > _MAX_BITS else number
        if len(text) > _MAX_DIGITS:
            return text
        return _to_int(text)
    if _FLOAT.match(text):
        return _to_float(text)
    if _TIMESTAMP.match(text):
        return _to_timestamp(text)
    return text


def _tagged(value: str, tag: str, line: int, col: int) -> YamlData:
    kind = tag[len(_CORE) :] if tag.startswith(_CORE) else "str"
    if kind == "str":
        return value
    resolved = resolve_plain(value)
    ok = {
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "bool": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "timestamp": lambda v: isinstance(v, _dt.date),
    }.get(kind)
    if ok is None or not ok(resolved):
        message = _("value {value!r} does not fit its tag !!{kind}")
        raise YamlError(message.format(value=value, kind=kind), line, col)
    return float(resolved) if kind == "float" else resolved


def _open_flow(text: str) -> tuple[int, int] | None:
    """(line, column) of the innermost ``[`` or ``{`` still open where libyaml's scanner
    stops (``roles: [D,`` at the end of the file), from its own tokens, so a bracket in a
    quoted text or a comment is none; None when every one is closed, or without libyaml."""
    try:
        from _ruamel_yaml import CParser
    except ImportError:  # pragma: no cover - only without the C extension
        return None
    get_token = CParser(text).get_token
    opened: list[tuple[int, int]] = []
    try:
        while (token := get_token()) is not None:
            kind = type(token).__name__
            if kind in ("FlowSequenceStartToken", "FlowMappingStartToken"):
                opened.append((token.start_mark.line + 1, token.start_mark.column + 1))
            elif kind in ("FlowSequenceEndToken", "FlowMappingEndToken") and opened:
                opened.pop()
    except Exception:  # a scanner error further on: what was open before it
        pass
    return opened[-1] if opened else None


def _event_getter(text: str) -> Callable[[], Any]:  # events of many classes, duck-typed
    """A function returning the next parser event: libyaml's, or ruamel's pure-Python parser."""
    try:
        from _ruamel_yaml import CParser  # libyaml: the fast path

        return CParser(text).get_event
    except ImportError:  # pragma: no cover - only without the C extension
        from ruamel.yaml import YAML

        return iter(YAML(typ="safe", pure=True).parse(text)).__next__


class _Builder:
    __slots__ = ("anchor_nodes", "anchors", "budget", "doc", "stack")

    def __init__(self) -> None:
        self.doc = Document(data=None)
        self.anchors: dict[str, tuple[YamlData, int]] = {}
        #: one record per open collection, mutated in place on the hot path:
        #: [container, path, pending_key, size, anchor, mark]
        self.stack: list[list[Any]] = []  # six slots of six types
        self.budget = ALIAS_EXPANSION_LIMIT
        #: with spans: anchor -> (path, line) of the node that defines it now
        self.anchor_nodes: dict[str, tuple[Path_, int]] = {}

    def add(self, value: YamlData, size: int, mark: Mark, anchor: str | None) -> Path_ | None:
        line, col = mark.line + 1, mark.column + 1
        if anchor:
            self.anchors[anchor] = (value, size)
        if not self.stack:
            self.doc.data = value
            self.doc.values[()] = (line, col)
            return ()
        top = self.stack[-1]
        container = top[0]
        top[3] += size
        if isinstance(container, list):
            path = (*top[1], len(container))
            container.append(value)
            self.doc.values[path] = (line, col)
            return path
        if top[2] is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise YamlError(
                    _("complex mapping keys (a list or mapping as a key) are not supported"),
                    line,
                    col,
                )
            key = value
            if key is None:
                key = ""
            if not isinstance(key, str):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            if key in container:
                raise _duplicate(key, self.doc.keys.get((*top[1], key)), line, col)
            top[2] = key
            self.doc.keys[(*top[1], key)] = (line, col)
            return None
        key = top[2]
        top[2] = _NO_KEY
        container[key] = value
        path = (*top[1], key)
        self.doc.values[path] = (line, col)
        return path

    def child_path(self) -> Path_:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top[0], list):
            return (*top[1], len(top[0]))
        if top[2] is _NO_KEY:
            raise YamlError(
                _("complex mapping keys (a list or mapping as a key) are not supported")
            )
        return (*top[1], top[2])


_NO_KEY = object()


#: the native reader: (text, resolve_plain) -> (data, marks as bytes of C ints), or None
#: for a document it leaves to the Python reader
NativeBuild = Callable[[str, Callable[[str], YamlData]], "tuple[YamlData, bytes] | None"]
#: the native lookup of a path's position in a document it built
NativePosition = Callable[[YamlData, memoryview, dict[int, object], Path_, bool], "Pos | None"]


def _native_builder() -> NativeBuild | None:
    try:
        from kamtool._kamyaml import (
            build,  # built from native/kamyaml.c when a compiler was at hand
        )
    except ImportError:
        return None
    return build


_NATIVE = _native_builder()


def _native_lookup() -> NativePosition:
    try:
        from kamtool._kamyaml import position
    except ImportError:  # no native reader: no document has marks, nothing calls this

        def position(*_args: object) -> Pos | None:
            raise RuntimeError("no native reader: no document has marks")

    return position


#: (data, marks, tables, path, key) -> (line, column) or None: the O(1) lookup, in C
_native_position = _native_lookup()


def python_reader_forced() -> bool:
    """``KAM_READER=python`` reads every file with the Python reader (to compare, or debug)."""
    return os.environ.get("KAM_READER", "").strip().lower() == "python"


def reader_name() -> str:
    """Which reader parses plain files here: "native" or "python"."""
    return "native" if _NATIVE is not None and not python_reader_forced() else "python"


def parse(text: str, *, spans: bool = False) -> Document:
    """Parse one YAML document. Raises :class:`YamlError` with a 1-based position.

    The native reader (C, libyaml) builds the data and positions of plain documents; it
    hands anything unusual (errors, tags, anchors, merge keys...) to the Python reader,
    which drives the same libyaml parser event by event, so both give the same result.
    """
    doc = None
    if _NATIVE is not None and not spans and not python_reader_forced():
        try:
            built = _NATIVE(text, resolve_plain)
        except (UnicodeError, ValueError):
            built = None  # text libyaml cannot take as UTF-8: the Python reader explains
        if built is not None:
            data, marks = built
            doc = Document(data, marks=memoryview(marks).cast("i"))
    if doc is None:
        doc = parse_python(text, spans=spans)
    # only a double-quoted escape ("\e", "\x1b") makes one (the text may come as bytes)
    if ("\\" if isinstance(text, str) else b"\\") in text:
        _refuse_escaped_controls(doc)
    return doc


#: the control characters libyaml refuses in the file but makes from a double-quoted
#: escape ("\e[31m", "\x07", "\r", "\u009b"): C0 but tab and line feed, DEL, C1. In a
#: name they would reach every output as they are (recolour or move a terminal's cursor,
#: break a DOT, XML or calendar file), so they are refused as the raw ones are
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _refuse_escaped_controls(doc: Document) -> None:
    """KAM001 at the first key or value holding a control character made by an escape."""
    search = CONTROL_CHARACTER.search

    def walk(node: YamlData, path: Path_) -> None:
        if node.__class__ is str:
            found = search(node)
            if found is not None:
                raise _escaped_control(doc.position(path), found.group())
        elif node.__class__ is dict:
            for k, v in node.items():
                in_key = search(k) if k.__class__ is str else None
                if in_key is not None:
                    raise _escaped_control(doc.position((*path, k), key=True), in_key.group())
                walk(v, (*path, k))
        elif node.__class__ is list:
            for i, v in enumerate(node):
                walk(v, (*path, i))

    walk(doc.data, ())


def _escaped_control(where: Pos, ch: str) -> YamlError:
    code = f"U+{ord(ch):04X}"
    return YamlError(
        _(
            "an escape in this quoted text makes an invisible control character ({char}), "
            "which would garble or recolour what kam prints"
        ).format(char=code),
        *where,
        hint=_("Delete the escape (a backslash and what follows it, such as \\e[31m or \\x07)."),
        explained=True,
    )


def parse_python(text: str, *, spans: bool = False) -> Document:
    """The Python reader: every case, every error, optional spans for in-place edits."""
    from ruamel.yaml.events import (
        ScalarEvent,
        StreamEndEvent,
    )

    b = _Builder()
    docs = 0
    stack = b.stack
    values = b.doc.values
    keys = b.doc.keys
    try:
        get = _event_getter(text)
        while True:
            event = get()
            cls = event.__class__
            if cls is ScalarEvent and not event.anchor and stack and event.tag is None:
                # the hot path: an untagged scalar inside a collection
                top = stack[-1]
                container = top[0]
                mark = event.start_mark
                value = event.value
                if event.style in (None, "") and event.implicit[0]:
                    value = resolve_plain(value)
                top[3] += 1
                if container.__class__ is list:
                    path = (*top[1], len(container))
                    container.append(value)
                    values[path] = (mark.line + 1, mark.column + 1)
                elif top[2] is _NO_KEY:
                    key = value
                    if key.__class__ is not str:
                        key = (
                            ""
                            if key is None
                            else str(key).lower()
                            if isinstance(key, bool)
                            else str(key)
                        )
                    if key in container:
                        raise _duplicate(
                            key, keys.get((*top[1], key)), mark.line + 1, mark.column + 1
                        )
                    top[2] = key
                    keys[(*top[1], key)] = (mark.line + 1, mark.column + 1)
                    continue
                else:
                    key = top[2]
                    top[2] = _NO_KEY
                    container[key] = value
                    path = (*top[1], key)
                    values[path] = (mark.line + 1, mark.column + 1)
                if spans:
                    em = event.end_mark
                    b.doc.spans[path] = (mark.line + 1, mark.column + 1, em.line + 1, em.column + 1)
                continue
            if cls is StreamEndEvent:
                break
            kind = cls.__name__
            if kind == "ScalarEvent":
                tag = event.tag
                if tag is not None and tag not in _ALLOWED_TAGS:
                    raise YamlError(
                        _("YAML tag {tag} is not allowed: kam files hold plain data only").format(
                            tag=_short_tag(tag)
                        ),
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                    )
                if tag is not None and tag != "!":
                    value = _tagged(
                        event.value, tag, event.start_mark.line + 1, event.start_mark.column + 1
                    )
                elif tag is None and event.style in (None, "") and event.implicit[0]:
                    value = resolve_plain(event.value)
                else:
                    value = event.value
                where = b.add(value, 1, event.start_mark, event.anchor)
                if spans and where is not None:
                    sm, em = event.start_mark, event.end_mark
                    b.doc.spans[where] = (sm.line + 1, sm.column + 1, em.line + 1, em.column + 1)
                    if event.anchor:
                        b.anchor_nodes[event.anchor] = (where, sm.line + 1)
            elif kind in ("MappingStartEvent", "SequenceStartEvent"):
                tag = event.tag
                want = _CORE + ("map" if kind == "MappingStartEvent" else "seq")
                if tag is not None and tag not in ("!", want):
                    raise YamlError(
                        _("YAML tag {tag} is not allowed: kam files hold plain data only").format(
                            tag=_short_tag(tag)
                        ),
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                    )
                if len(b.stack) >= MAX_DEPTH:
                    raise YamlError(
                        _(
                            "collections nested more than {depth} levels deep: "
                            "kam files are never this deep"
                        ).format(depth=MAX_DEPTH),
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                    )
                container = {} if kind == "MappingStartEvent" else []
                path = b.child_path()
                b.stack.append([container, path, _NO_KEY, 1, event.anchor, event.start_mark])
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                container, path, _pending, size, anchor, mark = b.stack.pop()
                if spans and kind == "MappingEndEvent" and event.start_mark.line + 1 >= 1:
                    b.doc.flow_ends[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
                if isinstance(container, dict) and "<<" in container:
                    _merge(container, b.doc, path)
                if anchor:
                    b.anchors[anchor] = (container, size)
                if spans and anchor:
                    b.anchor_nodes[anchor] = (path, mark.line + 1)
                b.add(container, size, mark, None)
            elif kind == "AliasEvent":
                anchor = event.anchor
                if anchor not in b.anchors:
                    raise YamlError(
                        _("alias *{anchor} names no anchor defined before it").format(
                            anchor=anchor
                        ),
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                    )
                value, size = b.anchors[anchor]
                b.budget -= size
                if b.budget < 0:
                    raise YamlError(
                        _(
                            "alias expansion over the limit ({limit} nodes): "
                            "aliases may not multiply the document"
                        ).format(limit=ALIAS_EXPANSION_LIMIT),
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                    )
                where = b.add(value, size, event.start_mark, None)
                if spans:
                    line = event.start_mark.line + 1
                    if where is not None:
                        b.doc.aliased[where] = (anchor, line)
                    if anchor in b.anchor_nodes:
                        node, anchor_line = b.anchor_nodes[anchor]
                        b.doc.shared[node] = (anchor, anchor_line)
            elif kind == "DocumentStartEvent":
                docs += 1
                if docs > 1:
                    raise YamlError(
                        _("more than one YAML document in the file (a second '---')"),
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                    )
    except YamlError:
        raise
    except Exception as exc:  # libyaml scanner/parser errors carry a problem_mark
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        message = (
            _("{where}: {problem}").format(where=_libyaml(context), problem=_libyaml(problem))
            if context and problem
            else _libyaml(str(problem or exc))
        )
        if mark is not None:
            english = f"{context}: {problem}" if context and problem else str(problem or exc)
            flow = getattr(exc, "context_mark", None)
            flow_context = str(context or "")
            opened = (
                _open_flow(text)  # its mark is the item due, past the end: not the bracket
                if flow_context.startswith("while parsing a flow node")
                else (flow.line + 1, flow.column + 1)
                if flow is not None and flow_context.startswith("while parsing a flow")
                else None
            )
            raise YamlError(
                message, mark.line + 1, mark.column + 1, english=english, opened=opened
            ) from None
        offset = getattr(exc, "position", None)  # libyaml's reader: a byte offset, no mark
        if isinstance(offset, int) and hasattr(exc, "reason"):
            message = str(exc).splitlines()[0]
            character = getattr(exc, "character", None)
            if isinstance(character, int):
                english = f"unacceptable character #x{character:04x}: {exc.reason}"
                message = _("unacceptable character #x{code:04x}: {reason}").format(
                    code=character, reason=_libyaml(str(exc.reason))
                )
                raise YamlError(message, *_line_column(text, offset), english=english) from None
            raise YamlError(message, *_line_column(text, offset)) from None
        raise YamlError(message) from None
    return b.doc


#: libyaml's own words for a syntax error (its "context" and "problem"), as the parser
#: reports them in English; shown in the output language (KAM001)
LIBYAML_WORDS = frozenset(
    (
        N_("block sequence entries are not allowed in this context"),
        N_("control characters are not allowed"),
        N_("could not find expected ':'"),
        N_("could not find expected directive name"),
        N_("did not find URI escaped octet"),
        N_("did not find expected '!'"),
        N_("did not find expected ',' or ']'"),
        N_("did not find expected ',' or '}'"),
        N_("did not find expected '-' indicator"),
        N_("did not find expected <document start>"),
        N_("did not find expected <stream-start>"),
        N_("did not find expected alphabetic or numeric character"),
        N_("did not find expected comment or line break"),
        N_("did not find expected digit or '.' character"),
        N_("did not find expected hexdecimal number"),
        N_("did not find expected key"),
        N_("did not find expected node content"),
        N_("did not find expected tag URI"),
        N_("did not find expected version number"),
        N_("did not find expected whitespace"),
        N_("did not find expected whitespace or line break"),
        N_("did not find the expected '>'"),
        N_("expected low surrogate area"),
        N_("found a tab character that violates indentation"),
        N_("found a tab character where an indentation space is expected"),
        N_("found an incorrect leading UTF-8 octet"),
        N_("found an incorrect trailing UTF-8 octet"),
        N_("found an indentation indicator equal to 0"),
        N_("found character that cannot start any token"),
        N_("found duplicate %TAG directive"),
        N_("found duplicate %YAML directive"),
        N_("found extremely long version number"),
        N_("found incompatible YAML document"),
        N_("found invalid Unicode character escape code"),
        N_("found undefined tag handle"),
        N_("found unexpected ':'"),
        N_("found unexpected document indicator"),
        N_("found unexpected end of stream"),
        N_("found unexpected non-alphabetical character"),
        N_("found unknown directive name"),
        N_("found unknown escape character"),
        N_("incomplete UTF-16 character"),
        N_("incomplete UTF-16 surrogate pair"),
        N_("incomplete UTF-8 octet sequence"),
        N_("input error"),
        N_("input is too long"),
        N_("invalid Unicode character"),
        N_("invalid leading UTF-8 octet"),
        N_("invalid length of a UTF-8 sequence"),
        N_("invalid trailing UTF-8 octet"),
        N_("mapping keys are not allowed in this context"),
        N_("mapping values are not allowed in this context"),
        N_("unexpected low surrogate area"),
        N_("while parsing a %TAG directive"),
        N_("while parsing a block collection"),
        N_("while parsing a block mapping"),
        N_("while parsing a block node"),
        N_("while parsing a flow mapping"),
        N_("while parsing a flow node"),
        N_("while parsing a flow sequence"),
        N_("while parsing a node"),
        N_("while parsing a quoted scalar"),
        N_("while parsing a tag"),
        N_("while parsing a tag directive"),
        N_("while scanning a %TAG directive"),
        N_("while scanning a %YAML directive"),
        N_("while scanning a block scalar"),
        N_("while scanning a directive"),
        N_("while scanning a plain scalar"),
        N_("while scanning a quoted scalar"),
        N_("while scanning a simple key"),
        N_("while scanning a tag"),
        N_("while scanning a tag directive"),
        N_("while scanning an alias"),
        N_("while scanning an anchor"),
        N_("while scanning for the next token"),
    )
)


def _libyaml(text: str) -> str:
    """libyaml's English words in the output language (words it does not have: as given)."""
    return _(text) if text in LIBYAML_WORDS else text


_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def _line_column(text: str, offset: int) -> Pos:
    """1-based (line, column) of the character at UTF-8 byte ``offset`` of ``text``, with
    lines broken where libyaml breaks them and the column counted in characters."""
    before = text.encode("utf-8")[:offset].decode("utf-8", "replace")
    breaks = list(_BREAK.finditer(before))
    if not breaks:
        return (1, len(before) + 1)
    return (len(breaks) + 1, len(before) - breaks[-1].end() + 1)


def _merge(mapping: dict, doc: Document, path: Path_) -> None:
    """Apply a ``<<`` merge key: keys already in the mapping win."""
    source = mapping.pop("<<")
    pos = doc.values.pop((*path, "<<"), None)
    doc.keys.pop((*path, "<<"), None)
    sources = source if isinstance(source, list) else [source]
    for item in sources:
        if not isinstance(item, dict):
            raise YamlError(_("a merge key '<<' must name a mapping"), *(pos or (1, 1)))
        for k, v in item.items():
            if k not in mapping:
                mapping[k] = v
                if pos:
                    doc.values[(*path, k)] = pos
                    doc.keys[(*path, k)] = pos
                    doc.merged[(*path, k)] = pos[0]


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


#: the line breaks of the reader (libyaml, YAML 1.1): \r\n, \r, \n, and NEL, LS and PS
#: (U+0085, U+2028, U+2029), which may stand in a quoted value of a valid file. Not
#: str.splitlines: it also breaks at \v, \f and \x1c-\x1e, which the reader refuses
#: (KAM001), so that such a file's comments were counted on other lines than its findings
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def value_at(data: YamlData, path: Path_) -> YamlData:
    """The value at ``path`` of parsed data (the path exists in it)."""
    for part in path:
        data = data[part]
    return data


#: a ``# kam: disable=`` comment typed with a Chinese input method (``kam：disable=KAM104，
#: KAM204``, ``KAM104、KAM204``) read as typed in ASCII: full-width forms as their ASCII
#: ones, one character for one so that columns stay; not the full-width ＃, which YAML
#: does not read as a comment
COMMENT_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if c != 0xFF03} | {
    0x3000: 0x20,
    0x3001: 0x2C,
}


def yaml_lines(text: str) -> list[str]:
    """The lines of ``text`` as the reader counts them (every position kam reports)."""
    return _YAML_BREAK.split(text)
