"""kam touch: set a person's last_contact / reviewed in place, byte for byte.

A round-trip YAML dumper re-emits the whole file and may re-indent lists or
re-wrap long lines. kam instead edits the text at the exact span of the value
(or inserts one line), then re-parses the result and checks that nothing but
the touched values changed before writing atomically.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kamtool.errors import Refused, UsageError, did_you_mean
from kamtool.i18n import _
from kamtool.load.accounts import decode
from kamtool.load.yamlread import Document, YamlError, parse, value_at
from kamtool.write.guard import comparable, edit_file, refuse_shared
from kamtool.write.layout import key_quote, key_text, value_start
from kamtool.write.newlines import at_open_end, content_end, line_starts, opened, with_lf

if TYPE_CHECKING:
    from kamtool.load.locate import Workspace


@dataclass
class TouchResult:
    path: Path
    changed: dict[str, tuple[str | None, str]]  # field -> (old, new)


def _index(starts: list[int], line: int, col: int) -> int:
    return starts[line - 1] + col - 1


def _parse(text: str, file: str) -> Document:
    try:
        return parse(text, spans=True)
    except YamlError as exc:
        raise UsageError(
            _("{file} does not parse ({line}:{column}: {error}): fix it first").format(
                file=file, line=exc.line, column=exc.column, error=exc.message
            )
        ) from None


def set_account_dates(
    text: str, values: dict[str, dt.date]
) -> tuple[str, dict[str, tuple[str | None, str]]]:
    """``set_dates`` for the account's own dates in account.yaml (``reviewed``: when its
    position, value and tier were last reviewed)."""
    doc = _parse(text, "account.yaml")
    if not isinstance(doc.data, dict):
        raise UsageError(_("account.yaml is not a mapping of keys"))
    for field in values:
        refuse_shared(doc, (field,), "account.yaml", field)
    return _apply(text, doc, (), doc.data, values, "account.yaml")


def set_dates(
    text: str, person: str, values: dict[str, dt.date]
) -> tuple[str, dict[str, tuple[str | None, str]]]:
    """Return the new text and what changed; raises UsageError when it cannot be done safely."""
    doc = _parse(text, "stakeholders.yaml")
    people = doc.data.get("stakeholders") if isinstance(doc.data, dict) else None
    if not isinstance(people, list):
        raise UsageError(_("stakeholders.yaml has no stakeholders list"))
    index = next(
        (i for i, p in enumerate(people) if isinstance(p, dict) and p.get("id") == person), None
    )
    if index is None:
        ids = [p.get("id") for p in people if isinstance(p, dict)]
        raise UsageError(
            _("no stakeholder {person!r} in this account").format(person=person)
            + did_you_mean(person, [str(i) for i in ids])
        )
    for field in values:
        refuse_shared(doc, ("stakeholders", index, field), person, field)
    return _apply(text, doc, ("stakeholders", index), people[index], values, person)


def _apply(
    text: str,
    doc: Document,
    base: tuple,
    entry: dict,
    values: dict[str, dt.date],
    who: str,
) -> tuple[str, dict[str, tuple[str | None, str]]]:
    """Set ``values`` in the mapping ``entry`` at ``base`` (a person's entry, or () for the
    whole file): each value replaced at its exact span, missing keys added in the
    mapping's own layout; the result re-parsed and checked to differ in nothing else."""
    changed: dict[str, tuple[str | None, str]] = {}
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) on the text
    starts = line_starts(text)
    inserts: list[tuple[str, str]] = []
    for field, day in values.items():
        new = day.isoformat()
        old = entry.get(field)
        old_txt = (
            old.isoformat() if isinstance(old, dt.date) else (None if old is None else str(old))
        )
        if field in entry:
            if old_txt == new:
                continue
            span = doc.spans.get((*base, field))
            if span is None:  # a list or mapping, not one value
                raise Refused(
                    _("cannot set {field} of {person}: it is not a single value").format(
                        field=field, person=who
                    )
                )
            sl, sc, el, ec = span
            a, b = _index(starts, sl, sc), _index(starts, el, ec)
            a = value_start(text, a, b)  # an anchor nothing uses, a tag: kept
            original = text[a:b]
            if original[:1] in ("'", '"'):
                replacement = original[0] + new + original[0]
            elif a == b:
                replacement = new if text[a - 1 : a] == " " else " " + new
            else:
                replacement = new
            edits.append((a, b, replacement))
        else:
            inserts.append((field, new))
        changed[field] = (old_txt, new)
    if inserts:
        insertion = _insertion(text, starts, doc, base, inserts)
        if at_open_end(text, insertion[0]):
            # after the last line, which has no line break: it gets one first, and the
            # file is read again so (``newlines.opened``); ``entry``'s dates are the same
            text = opened(text)
            return _apply(text, parse(text, spans=True), base, entry, values, who)
        edits.append(insertion)
    if not edits:
        return text, changed
    out = text
    for a, b, rep in sorted(edits, key=lambda e: e[0], reverse=True):
        out = out[:a] + rep + out[b:]
    _verify(doc, out, base, values)
    return out, changed


def _insertion(
    text: str, starts: list[int], doc: Document, base: tuple, fields: list[tuple[str, str]]
) -> tuple[int, int, str]:
    """Add missing keys to the person's mapping (or the file's, ``base`` ()): a new line
    (block) or before the brace (flow)."""
    item_line, item_col = doc.values.get(base, (1, 1))
    pos = _index(starts, item_line, item_col)
    own_keys = [doc.keys[p] for p in doc.keys if len(p) == len(base) + 1 and p[: len(base)] == base]
    quote = key_quote(text, starts, own_keys)  # "last_contact" where every key is quoted
    if base and text[pos : pos + 1] == "{":
        end_line, end_col = doc.flow_ends[base]
        at = _index(starts, end_line, end_col)
        addition = "".join(f", {key_text(k, quote)}: {v}" for k, v in fields)
        return at, at, addition
    key_cols = {col for _line, col in own_keys}
    if len(key_cols) != 1:
        raise UsageError(_("cannot find the indentation of the keys there: add the date by hand"))
    indent = next(iter(key_cols)) - 1
    last_line = max(
        [sp[2] if sp[3] > 1 else sp[2] - 1 for p, sp in doc.spans.items() if p[: len(base)] == base]
        + [doc.keys[p][0] for p in doc.keys if p[: len(base)] == base]
    )
    first_line = item_line
    # a block scalar's span ends after its trailing blank lines: the new key goes above
    # them, unless the scalar keeps them (``|+``: they are part of its text)
    own = [p for p in doc.spans if p[: len(base)] == base]
    last = max(own, key=lambda p: doc.spans[p][2:], default=None)
    tail = value_at(doc.data, last) if last is not None else None
    last_line = content_end(text, starts, first_line, last_line, tail)
    at = starts[last_line] if last_line < len(starts) else len(text)
    # a line break first where the text there does not end one (a file without its last)
    prefix = "" if at == 0 or text[at - 1 : at] == "\n" else "\n"
    addition = prefix + "".join(f"{' ' * indent}{key_text(k, quote)}: {v}\n" for k, v in fields)
    return at, at, addition


def _verify(before: Document, text: str, base: tuple, values: dict[str, dt.date]) -> None:
    file = "stakeholders.yaml" if base else "account.yaml"
    try:
        after = parse(text)
    except YamlError as exc:
        raise Refused(
            _("could not update {file} safely ({message}): nothing written").format(
                file=file, message=exc.message
            )
        ) from None
    import copy

    expected = copy.deepcopy(before.data)
    mapping = expected
    for key in base:
        mapping = mapping[key]
    mapping.update(values)
    if comparable(after.data) != comparable(expected):
        raise Refused(
            _(
                "could not update {file} safely (the edit would change other data): nothing written"
            ).format(file=file)
        )


def touch(
    ws: Workspace,
    folder: Path,
    person: str | None,
    values: dict[str, dt.date],
    before_write: Callable[[str, str], None] | None = None,
) -> TouchResult:
    """Set the dates on one person's entry (or, ``person`` None, the account's own in
    account.yaml), through the write guard (a concurrent change to the file is read again
    and the edit redone). ``before_write(file name, new text)`` may refuse the result
    before it lands (``guard.refuse_unfixed``)."""
    file = "stakeholders.yaml" if person is not None else "account.yaml"
    path = folder / file
    changed: dict[str, tuple[str | None, str]] = {}

    def edit(raw: bytes | None) -> bytes | None:
        if raw is None:
            raise UsageError(
                _("no {file} in {folder}").format(file=file, folder=ws.display(folder))
            )
        bom = raw.startswith(b"\xef\xbb\xbf")
        text, err = decode(raw)
        if err is not None or text is None:
            raise UsageError(
                _("{file} cannot be read: {error}").format(
                    file=file, error=err.message if err else _("unknown error")
                )
            )
        work, line_ends = with_lf(text)
        if person is None:
            new, now_changed = set_account_dates(work, values)
        else:
            new, now_changed = set_dates(work, person, values)
        changed.clear()
        changed.update(now_changed)
        if new == work:
            return None
        new = line_ends(new)
        if before_write is not None:
            before_write(file, new)
        return (b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8")

    edit_file(ws, path, edit)
    return TouchResult(path, changed)
