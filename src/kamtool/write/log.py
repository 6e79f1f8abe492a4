"""kam log: append one contact to an account's log.yaml, keeping every existing byte.

A YAML dumper would re-emit the whole file (comments, quoting, line breaks, a byte
order mark...). kam instead finds where the ``entries`` list ends and inserts the new
entry there, in the list's own style: a block item right after the last item's own lines,
written as that item is (``write.layout``: its lead ``  - `` or ``-   ``, key quotes,
block or flow lists, a blank line before it where the last two items have one; a footer
comment, blank lines and a document end ``...`` stay after it), a flow item
(``{date: ..., ...}``) before the ``]`` of a flow list such as ``entries: []``, with the
line ending of the line above (CRLF stays CRLF; a new file takes
the line ending of the account's other files, ``guard.account_line_ending``). The result is
parsed again and must hold exactly the old entries plus the new one, or nothing is
written. Every value is emitted as a YAML scalar that reads back as the same text:
plain when nothing could read it otherwise, else quoted (``guard.yaml_text``); a text
of several lines in a block item is a literal block (``guard.yaml_block_text``).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kamtool.errors import KamError, Refused, UsageError, did_you_mean
from kamtool.i18n import _, listed
from kamtool.load.models import LOG_KINDS, handle_key
from kamtool.load.yamlread import YamlError, _event_getter, parse
from kamtool.write.guard import (
    check_handle,
    comparable,
    is_handle,
    line_ending,
    yaml_block_text,
    yaml_text,
)
from kamtool.write.layout import account_lead, item_end, item_layout, key_quote, key_text
from kamtool.write.newlines import line_starts

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping
    from pathlib import Path

    from kamtool.load.accounts import Account
    from kamtool.load.locate import Workspace
    from kamtool.load.models import Stakeholder
    from kamtool.load.yamlread import Document, YamlData


class LogProblem(Refused):
    """The entry cannot be appended safely; nothing was written (exit 1)."""


@dataclass(frozen=True)
class NewEntry:
    """What ``kam log`` appends, already checked against the account."""

    date: dt.date
    with_: tuple[str, ...]
    by: tuple[str, ...]
    kind: str = "meeting"
    summary: str | None = None
    next: str | None = None

    def as_data(self) -> dict[str, YamlData]:
        """The entry as the YAML reader will give it back (for the check after the edit)."""
        out: dict[str, YamlData] = {
            "date": self.date,
            "with": list(self.with_),
            "by": list(self.by),
        }
        out["kind"] = self.kind
        if self.summary:
            out["summary"] = self.summary
        if self.next:
            out["next"] = self.next
        return out


def _fields(
    entry: NewEntry,
    *,
    flow: bool = False,
    indent: str = "",
    nl: str = "\n",
    dashes: str | None = None,
) -> list[tuple[str, str]]:
    """(key, YAML value) pairs; in a flow mapping a text is quoted where a comma, a colon
    or a bracket would end it; in a block mapping whose keys are at ``indent`` a text of
    several lines is a literal block (``yaml_block_text``), and ``with`` and ``by`` are
    block lists when ``dashes`` says how their items start right of the key's column
    (``- `` for ``with:`` over ``- kari``, ``  - `` for it over ``  - kari``, ``-   ``
    in a four-space file), else ``[...]``."""

    def text(value: str) -> str:
        return yaml_text(value, flow=True) if flow else yaml_block_text(value, indent, nl)

    def listed_(values: tuple[str, ...]) -> str:
        if dashes is None or flow:
            return "[" + ", ".join(yaml_text(v, flow=True) for v in values) + "]"
        return "".join(f"{nl}{indent}{dashes}{yaml_text(v)}" for v in values)

    out = [
        ("date", entry.date.isoformat()),
        ("with", listed_(entry.with_)),
        ("by", listed_(entry.by)),
        ("kind", entry.kind),
    ]
    if entry.summary:
        out.append(("summary", text(entry.summary)))
    if entry.next:
        out.append(("next", text(entry.next)))
    return out


def block_item(
    entry: NewEntry, lead: str, nl: str, quote: str = "", dashes: str | None = None
) -> str:
    """A block sequence item whose first line starts with ``lead`` (``  - ``, ``-   ``),
    its other keys under the first, each key in ``quote`` (``layout.key_quote``), its
    lists as ``dashes`` says (``_fields``)."""
    indent = " " * len(lead)
    fields = _fields(entry, indent=indent, nl=nl, dashes=dashes)
    lines = [
        f"{lead if i == 0 else indent}{key_text(k, quote)}:{v if v.startswith(nl) else ' ' + v}"
        for i, (k, v) in enumerate(fields)
    ]
    return nl.join(lines) + nl


def flow_item(entry: NewEntry) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in _fields(entry, flow=True)) + "}"


@dataclass
class _Shape:
    """Where the ``entries`` list is and how it is written, from the parser's events."""

    found: bool = False  # the root mapping has an ``entries`` key
    flow: bool = False  # the list is a flow sequence [...]
    dash_column: int = 0  # block list: column (0-based) of its items' "-"
    close: tuple[int, int] | None = None  # flow list: (line, column) 0-based of its "]"
    items: int = 0
    last_item_flow: bool = False  # block list whose last item is a {...} mapping
    last_start: tuple[int, int] | None = None  # (line, column) 0-based where the last item starts
    last_end: tuple[int, int] | None = None  # (line, column) 0-based where the last item ends
    root_flow: bool = False  # the whole document is one flow mapping {...}
    root_mapping: bool = False


def _shape(text_: str) -> _Shape:
    get = _event_getter(text_)
    shape = _Shape()
    depth = 0  # collection nesting
    expect_key = True  # in the root mapping, the next node is a key
    key = None  # the root key whose value comes next
    entries_depth = 0  # depth inside the entries sequence (its items are at this depth)
    while True:
        event = get()
        kind = type(event).__name__
        if kind == "StreamEndEvent":
            return shape
        if kind in ("MappingStartEvent", "SequenceStartEvent"):
            if depth == 0:
                shape.root_mapping = kind == "MappingStartEvent"
                shape.root_flow = shape.root_mapping and bool(event.flow_style)
            elif depth == 1 and shape.root_mapping:  # a root value that is a collection
                if key == "entries":
                    shape.found = True
                    if kind == "SequenceStartEvent":
                        shape.flow = bool(event.flow_style)
                        shape.dash_column = event.start_mark.column
                        entries_depth = 2
            elif entries_depth and depth == entries_depth:
                shape.items += 1
                shape.last_item_flow = kind == "MappingStartEvent" and bool(event.flow_style)
                shape.last_start = (event.start_mark.line, event.start_mark.column)
            depth += 1
            continue
        if kind in ("MappingEndEvent", "SequenceEndEvent"):
            depth -= 1
            if entries_depth and depth == entries_depth:
                shape.last_end = (event.end_mark.line, event.end_mark.column)
            if entries_depth and depth == entries_depth - 1:
                if shape.flow:
                    shape.close = (event.start_mark.line, event.start_mark.column)
                entries_depth = 0
            if depth == 1:
                expect_key = True
            continue
        if kind in ("ScalarEvent", "AliasEvent"):
            if depth == 1 and shape.root_mapping:
                if expect_key:
                    key = event.value if kind == "ScalarEvent" else None
                    expect_key = False
                else:
                    if key == "entries":
                        shape.found = True  # ``entries:`` with a scalar (null) value
                    expect_key = True
            elif entries_depth and depth == entries_depth:
                shape.items += 1
                shape.last_item_flow = False
                shape.last_start = (event.start_mark.line, event.start_mark.column)
                shape.last_end = (event.end_mark.line, event.end_mark.column)


def _offset(text_: str, line0: int, col0: int) -> int:
    """The string index of a 0-based (line, column) the parser reported."""
    pos = 0
    for _line in range(line0):
        pos = text_.index("\n", pos) + 1
    return pos + col0


def append_text(
    text_: str,
    entry: NewEntry,
    header: str,
    newline: str = "\n",
    lead: str | Callable[[], str] = "  - ",
) -> str:
    """The file's text with ``entry`` appended (``header`` opens a file that is empty);
    new lines end as the file's lines do, or with ``newline`` (the account's line ending,
    ``guard.account_line_ending``) in a file without a line break yet; a file without
    entries yet starts its list with ``lead`` (the account's, ``layout.account_lead``;
    a function is asked only then: it reads the account's stakeholders.yaml)."""
    nl = line_ending(text_) or newline
    try:
        shape = _shape(text_)
    except Exception as exc:  # libyaml's own errors: the account check catches them first
        raise LogProblem(_("log.yaml does not parse: {error}").format(error=exc)) from None
    not_a_mapping = not shape.root_mapping and not _only_comments(text_)
    if not_a_mapping or (shape.root_flow and not (shape.found and shape.flow)):
        raise LogProblem(
            _(
                "log.yaml is not a block mapping with an `entries:` list: "
                "rewrite it as `entries:` followed by `- date: ...` items to use kam log"
            )
        )
    end = "" if not text_ or text_.endswith("\n") else nl
    if not shape.found:
        opening = header.replace("\n", nl) if not text_.strip() else ""
        first = lead() if callable(lead) else lead
        return text_ + end + opening + "entries:" + nl + block_item(entry, first, nl)
    if shape.flow:
        assert shape.close is not None
        at = _offset(text_, *shape.close)
        if shape.items == 0 or shape.last_start is None or shape.last_end is None:
            return text_[:at] + flow_item(entry) + text_[at:]
        after = _offset(text_, *shape.last_end)  # right after the last item
        trailing = text_[after:at].lstrip(" \t\r\n").startswith(",")  # [{...},]
        indent = _indent_before(text_, _offset(text_, *shape.last_start))
        line_start = text_.rfind("\n", 0, at) + 1
        if indent is not None and _own_line(text_, at) and after < line_start:
            # one item a line and "]" on a line of its own: the new item on a line of its
            # own above the "]", a comma after the last item (before its comment) first
            item = indent + flow_item(entry) + ("," if trailing else "") + nl
            if trailing:
                return text_[:line_start] + item + text_[line_start:]
            return text_[:after] + "," + text_[after:line_start] + item + text_[line_start:]
        if trailing:
            insert = ("" if text_[at - 1 : at] in (" ", "\t") else " ") + flow_item(entry)
        else:
            insert = ", " + flow_item(entry)
        return text_[:at] + insert + text_[at:]
    if shape.items == 0:  # ``entries:`` with nothing (null): schema error, refused before
        raise LogProblem(_("log.yaml has `entries:` without a list"))
    return _append_block(text_, entry, shape, nl)


def _append_block(text_: str, entry: NewEntry, shape: _Shape, nl: str) -> str:
    """``entry`` as a new item of the block list ``entries``, right after the last item,
    written as it is (``layout``): what follows the list (a comment at the dashes'
    column or left of it, blank lines, a document end ``...``) stays after it."""
    try:
        doc = parse(text_)
    except YamlError as exc:
        at_error = f"{exc.line}:{exc.column}: {exc.message}"
        raise LogProblem(_("log.yaml does not parse: {error}").format(error=at_error)) from None
    items = doc.data["entries"]
    starts = line_starts(text_)
    where = [doc.position(("entries", i)) for i in range(max(0, len(items) - 2), len(items))]
    default = " " * shape.dash_column + "- "
    layout = item_layout(text_, starts, where, default)
    last = items[-1]
    tail = list(last.values())[-1] if isinstance(last, dict) and last else last
    keep = isinstance(tail, str) and tail.endswith("\n\n")
    end_line = item_end(text_, starts, where[-1][0], shape.dash_column, keep=keep)
    if end_line < len(starts):  # lines end as the line above them (a file mixing CRLF and LF)
        nl = "\r\n" if text_[starts[end_line] - 2 : starts[end_line]] == "\r\n" else "\n"
    if shape.last_item_flow:
        item = layout.lead + flow_item(entry) + nl
    else:
        keys = (
            [doc.position(("entries", len(items) - 1, k), key=True) for k in last]
            if isinstance(last, dict)
            else []
        )
        dashes = _list_dashes(text_, starts, doc, len(items) - 1)
        item = block_item(entry, layout.lead, nl, key_quote(text_, starts, keys), dashes)
    if layout.gap:
        item = nl + item
    at = starts[end_line] if end_line < len(starts) else len(text_)
    if at == len(text_) and text_ and not text_.endswith("\n"):
        item = nl + item  # after the last line, which had no line break
    return text_[:at] + item + text_[at:]


def _list_dashes(text_: str, starts: list[int], doc: Document, index: int) -> str | None:
    """How entry ``index`` writes its ``with`` (else ``by``) list: None for ``[...]``, else
    how an item's line goes on right of its key's column, up to the item: ``- `` for
    ``with:`` over ``- kari``, ``  - `` for ``  - kari``, ``-   `` for ``-   kari``."""
    entry = doc.data["entries"][index]
    for key in ("with", "by"):
        if isinstance(entry, dict) and isinstance(entry.get(key), list) and entry[key]:
            line, col = doc.position(("entries", index, key))
            key_line, key_col = doc.position(("entries", index, key), key=True)
            if line <= key_line or text_[starts[line - 1] + col - 1] != "-" or col < key_col:
                return None
            item_line, item_col = doc.position(("entries", index, key, 0))
            after = text_[starts[line - 1] + col : starts[line - 1] + item_col - 1]
            if item_line != line or after.strip(" ") or not after:
                after = " "  # the item on a line of its own, or after a tab
            return " " * (col - key_col) + "-" + after
    return None


def _own_line(text_: str, at: int) -> bool:
    """Nothing but spaces stands before offset ``at`` on its line."""
    line_start = text_.rfind("\n", 0, at) + 1
    return not text_[line_start:at].strip()


def _indent_before(text_: str, at: int) -> str | None:
    """The spaces before offset ``at`` when only spaces stand before it on its line."""
    line_start = text_.rfind("\n", 0, at) + 1
    lead = text_[line_start:at]
    return lead if lead.strip(" \t") == "" else None


def _only_comments(text_: str) -> bool:
    return all(
        not line.strip() or line.lstrip().startswith("#") or line.strip() in ("---",)
        for line in text_.splitlines()
    )


def append_entry(
    raw: bytes | None,
    entry: NewEntry,
    header: str,
    newline: str = "\n",
    lead: str | Callable[[], str] = "  - ",
) -> bytes:
    """log.yaml's bytes (None: no file yet) -> the bytes with ``entry`` appended
    (``newline`` and ``lead``: the line ending and item lead of a new file, see
    ``append_text``).

    Raises LogProblem when the result would not read back as the old entries plus the
    new one: nothing is written then."""
    bom = b""
    if raw is None:
        old_text = ""
    else:
        if raw.startswith(b"\xef\xbb\xbf"):
            bom, raw = raw[:3], raw[3:]
        try:
            old_text = raw.decode("utf-8")
        except UnicodeDecodeError:
            from kamtool import suggest

            raise LogProblem(
                _("log.yaml is not UTF-8: fix it first ({command})").format(
                    command=suggest.command("validate")
                )
            ) from None
    new_text = append_text(old_text, entry, header, newline, lead)
    # the new entry starts on a line of its own: a last line without its line break gets
    # one first, and the old entries are compared as read with it (a block scalar that
    # ends the file, ``summary: |``, ends in that line break; it is not a change)
    end = "" if not old_text or old_text.endswith("\n") else line_ending(new_text) or newline
    _verify(old_text + end, new_text, entry)
    return bom + new_text.encode("utf-8")


def _verify(old_text: str, new_text: str, entry: NewEntry) -> None:
    try:
        before = parse(old_text).data if old_text.strip() else None
        after = parse(new_text).data
    except YamlError as exc:
        raise LogProblem(
            _(
                "could not append to log.yaml safely ({line}:{column}: {message}): nothing written"
            ).format(line=exc.line, column=exc.column, message=exc.message)
        ) from None
    entries = before.get("entries") if isinstance(before, dict) else None
    expected = {**(before if isinstance(before, dict) else {})}
    expected["entries"] = [*(entries or []), entry.as_data()]
    if comparable(after) != comparable(expected):
        raise LogProblem(
            _(
                "could not append to log.yaml safely (the result would read differently): "
                "nothing written"
            )
        )


def check_kind(kind: str) -> str:
    if kind not in LOG_KINDS:
        hint = did_you_mean(kind, LOG_KINDS)
        raise UsageError(
            _("--kind must be one of {kinds}, not {kind!r}{hint}").format(
                kinds=listed(LOG_KINDS), kind=kind, hint=hint
            )
        )
    return kind


def check_text(value: str | None, option: str) -> str | None:
    """A text option of ``kam log`` (``-m``, ``--next``): None when not given; a blank
    one (empty, spaces, a full-width space, only line breaks) is a usage error, before
    anything is read: an entry whose summary says nothing is noise in the log for good.
    So is one holding an invisible control character (an escape sequence pasted from a
    terminal): log.yaml would not read it (KAM001), and the refusal named the file's line
    rather than the option."""
    from kamtool.load.yamlread import CONTROL_CHARACTER

    control = CONTROL_CHARACTER.search(value) if value is not None else None
    if control is not None:
        raise UsageError(
            _(
                "{option} holds an invisible control character ({char}): delete it "
                "(an escape sequence pasted from a terminal?)"
            ).format(option=option, char=f"U+{ord(control.group()):04X}")
        )
    if value is None or value.strip():
        return value
    raise UsageError(
        _("{option} is blank: give the text, or leave the option out").format(option=option)
    )


def build_entry(
    account: Account,
    people: list[Stakeholder],
    *,
    by: list[str],
    kind: str,
    date: dt.date,
    today: dt.date,
    summary: str | None,
    next_step: str | None,
    leaving: Mapping[str, dt.date] | None = None,
) -> NewEntry:
    """Check what the user asked against the loaded account; raises LogProblem for a
    refusal of the data (exit 1): a future date, someone who had left by then, on their
    side or ours (``leaving``: kam.yaml's ``colleagues_leaving``, handle -> last day)."""
    if date > today:
        raise LogProblem(
            _(
                "date {date} is in the future (today is {today}): log a contact once it happened"
            ).format(date=date.isoformat(), today=today.isoformat())
        )
    for p in people:
        if p.left_on is not None and p.left_on <= date:
            raise LogProblem(
                _(
                    "{name} ({id}) left on {left}: a contact on {date} cannot be logged with them"
                ).format(name=p.name, id=p.id, left=p.left_on.isoformat(), date=date.isoformat())
            )
    ids = tuple(dict.fromkeys(p.id for p in people))
    assert account.profile is not None  # a loaded, valid account
    handles = tuple(dict.fromkeys(by or [account.profile.owner]))
    if leaving:
        last_days = {handle_key(h): day for h, day in leaving.items()}
        for handle in handles:
            day = last_days.get(handle_key(handle))
            if day is not None and day < date:
                message = _(
                    "{handle} left us on {day} (colleagues_leaving in kam.yaml): a contact on "
                    "{date} cannot be logged by them"
                ).format(handle=handle, day=day.isoformat(), date=date.isoformat())
                if not by:  # the account's owner, taken for --by
                    message += _(
                        "; they are still the account's owner: name who took part with --by"
                    )
                raise LogProblem(message)
    return NewEntry(
        date=date,
        with_=ids,
        by=handles,
        kind=kind,
        summary=summary or None,
        next=next_step or None,
    )


@dataclass
class Recorded:
    """What ``kam log`` did."""

    account: Account
    entry: NewEntry
    line: int  # where the new entry starts in log.yaml
    created: Path | None = None  # log.yaml, when it did not exist before
    schema: Path | None = None  # the log's JSON Schema, when it was written for the modeline
    #: (the schema, why it could not be written: a full disk), when it could not: the
    #: entry is logged all the same
    schema_error: tuple[Path, str] | None = None
    #: (handle, the account's handle it nearly is) for each ``--by`` the account names
    #: nowhere but that is one slip from a handle it does name (``chen.jin``)
    near_misses: list[tuple[str, str]] = field(default_factory=list)
    #: each ``--by`` written in other letters than ASCII that the account names nowhere
    #: and that is no slip of a handle it names (``张总`` for ``zhang.zong``: a name or a
    #: title typed where a handle goes), with the account's handles (``name_handles``)
    typed_names: list[str] = field(default_factory=list)
    #: the handles the account names, sorted: said with ``typed_names``
    known_handles: list[str] = field(default_factory=list)


def name_handles(
    known: Collection[str], handles: list[str], near: list[tuple[str, str]]
) -> list[str]:
    """The ``--by`` handles that look like a person's name or title typed in their own
    script (张总, 陈杰) rather than a handle: not ASCII, not ``known`` (the handles the
    account names), and no near miss of one of them. Logged as typed (a team may write
    its handles so), but said: such an entry counts for no colleague the account knows
    (KAM205 did not see the sponsor's meeting ``--by 张总`` recorded)."""
    if not known:
        return []
    slips = {handle for handle, _near in near}
    return [
        h for h in dict.fromkeys(handles) if h not in known and h not in slips and not h.isascii()
    ]


def near_misses(known_handles: Collection[str], handles: list[str]) -> list[tuple[str, str]]:
    """The ``--by`` handles that look like a slip of one the account already names. Such
    a handle is still written (a new colleague may join a meeting), but a slip would be
    a person nobody else knows: KAM205 would not see the sponsor's meeting, and the
    slip would become a handle ``kam agenda --owner`` accepts. Said, not refused."""
    import difflib

    known = sorted(known_handles)
    # a handle in other capitals or spacing (Li.Ming, li ming for li.ming) is the
    # likeliest slip of all, and difflib, which compares characters as they are, scores
    # it below its cutoff; the same folding as KAM121's
    by_folded = {handle_key(h): h for h in known}
    out = []
    for handle in dict.fromkeys(handles):
        if handle in known:
            continue
        same = by_folded.get(handle_key(handle))
        near = (
            [same]
            if same is not None
            else difflib.get_close_matches(handle, known, n=1, cutoff=0.8)
        )
        if near:
            out.append((handle, near[0]))
    return out


def _new_handle(account: Account, handle: str) -> str:
    """A ``--by`` the account names nowhere: refused when it is no handle, with the
    account's handle it is written otherwise (``--by "Ole H"`` for ``ole.h``, as the
    agenda and KAM121 fold handles), else kept (a new colleague may join a meeting)."""
    if is_handle(handle):
        return handle
    from kamtool.analyse.handles import account_handles

    near = near_misses(account_handles(account), [handle])
    return check_handle(handle, "--by", near[0][1] if near else None)


def record(
    ws: Workspace,
    account_arg: str,
    people: list[str],
    *,
    kind: str,
    by: list[str],
    date: dt.date | None,
    summary: str | None,
    next_step: str | None,
) -> Recorded:
    """``kam log``: check everything, append through the write guard (a concurrent
    change is read again and the entry appended to it), and say where it went. A new
    log.yaml gets a schema modeline; like ``kam init``, the schema it names is written
    when the repository does not have it yet."""
    import os

    from kamtool.analyse.handles import account_handles
    from kamtool.load.locate import account_folder, find_person
    from kamtool.write.guard import account_line_ending, edit_file, load_for_write, write_file
    from kamtool.write.scaffold import SCHEMA_FILES, schemas

    check_kind(kind)
    summary = check_text(summary, "-m/--message")
    next_step = check_text(next_step, "--next")
    acct = load_for_write(ws, account_folder(ws, account_arg))
    # a handle the account's files already name is theirs as written (``o'brien``): the
    # agenda and KAM205's hint print `--by` with it; a new one must look like a handle
    known = account_handles(acct)
    if "HANDLE" in by and "HANDLE" not in known:
        # the agenda's placeholder where the colleague is past their last day, pasted as
        # it stands: it looks like a handle, and the contact was logged by "HANDLE"
        raise UsageError(
            _("--by HANDLE stands for who took part: write their handle (such as li.ming)")
        )
    handles = [h if h in known else _new_handle(acct, h) for h in by]
    # who has left by the day of the entry is suggested last when a name is mistyped
    chosen = [find_person(acct, arg, date or ws.today)[1] for arg in people]
    entry = build_entry(
        acct,
        chosen,
        by=handles,
        kind=kind,
        date=date or ws.today,
        today=ws.today,
        summary=summary,
        next_step=next_step,
        leaving=ws.config.colleagues_leaving,
    )
    path: Path = acct.folder / "log.yaml"
    schema_dir = (ws.config_path.parent if ws.config_path else ws.root) / "schemas"
    schema_path = schema_dir / SCHEMA_FILES["log"]
    rel = os.path.relpath(schema_path, acct.folder).replace(os.sep, "/")
    from kamtool.write.scaffold import comment_lines

    header = f"# yaml-language-server: $schema={rel}\n" + comment_lines(
        _("Contact log, oldest first; `kam log` appends new entries at the end.")
    )
    before: list[bytes | None] = []
    written: list[bytes] = []

    def edit(raw: bytes | None) -> bytes:
        before.append(raw)
        # the item lead of the stakeholders' file, read only for a log without entries yet
        lead = functools.partial(account_lead, acct.folder)
        written.append(append_entry(raw, entry, header, account_line_ending(acct.folder), lead))
        return written[-1]

    edit_file(ws, path, edit)
    doc = parse(written[-1].decode("utf-8-sig"))
    done = Recorded(acct, entry, doc.position(("entries", len(doc.data["entries"]) - 1))[0])
    from kamtool.analyse.handles import account_handles

    known = account_handles(acct)  # the account as it was before this entry
    done.near_misses = near_misses(known, handles)
    done.typed_names = name_handles(known, handles, done.near_misses)
    if done.typed_names:
        done.known_handles = sorted(known)
    if before[-1] is None:
        done.created = path
        if not schema_path.exists():
            from kamtool.report.jsonout import dumps

            data = dumps(schemas()["log"]).encode()
            # the entry is in log.yaml by now: a schema that cannot be written (a full
            # disk) is said, not an error, which had a user log the meeting twice
            try:
                write_file(ws, schema_path, data, create=True, make_folders=True)
            except KamError as exc:
                done.schema_error = (schema_path, exc.message)
            else:
                done.schema = schema_path
    return done
