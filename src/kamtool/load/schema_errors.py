"""Turn pydantic validation errors into KAM002 findings at the real line and column."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import BaseModel, ValidationError

from kamtool.load.yamlread import Document, Path_, YamlData

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails


def data_path(data: YamlData, loc: tuple[str | int, ...]) -> tuple[Path_, bool]:
    """The longest prefix of ``loc`` that exists in ``data``; True if the whole loc exists."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and isinstance(part, str) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]  # type: ignore[index]
        else:
            return tuple(out), False
        out.append(part)
    return tuple(out), True


def _unwrap(annotation: object) -> list[object]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[object] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def model_at(model: type[BaseModel], path: Path_) -> type[BaseModel] | None:
    """The model class that describes the mapping at ``path`` (for "did you mean")."""
    current: object = model
    for part in path:
        nxt = None
        for candidate in _unwrap(current):
            if (
                isinstance(part, str)
                and isinstance(candidate, type)
                and issubclass(candidate, BaseModel)
            ):
                field = candidate.model_fields.get(part) or next(
                    (f for f in candidate.model_fields.values() if f.alias == part), None
                )
                if field is not None:
                    nxt = field.annotation
                    break
            if isinstance(part, int) and typing.get_origin(candidate) is list:
                nxt = typing.get_args(candidate)[0]
                break
        if nxt is None:
            return None
        current = nxt
    for candidate in _unwrap(current):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def describe(path: Path_) -> str:
    """``stakeholders[2].channels[0]`` for messages."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_TYPE_WORDS = {
    "string_type": "must be a text",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping of keys",
    "model_attributes_type": "must be a mapping of keys",
    "date_type": "must be a date YYYY-MM-DD",
    "none_required": "must be empty",
}


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return f"must be one of {expected}; got {_short(err.get('input'))}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{err['msg'].lower().replace('input should be', 'must be')}; got {_short(err.get('input'))}"
    if kind in ("int_type", "int_from_float") and isinstance(err.get("input"), float):
        return f"must be a whole number, not {err['input']!r}"
    if kind in _TYPE_WORDS:
        return f"{_TYPE_WORDS[kind]}, not {_kind(err.get('input'))}"
    if kind == "too_short":
        return (
            err["msg"]
            .replace("List should have", "must have")
            .replace("Input should", "must")
            .replace(" after validation", "")
        )
    return err["msg"]


def _kind(value: object) -> str:
    from kamtool.load.models import _kind as k

    return k(value)


def _short(value: object) -> str:
    from kamtool.load.models import _show

    return _show(value)


def schema_problems(
    model: type[BaseModel], doc: Document, exc: ValidationError
) -> Iterator[tuple[tuple[int, int], str]]:
    """((line, col), message) for each distinct problem, deduplicating union branches."""
    seen: dict[tuple[object, ...], list[str]] = {}
    order: list[tuple] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        path, _exists = data_path(doc.data, loc)
        if kind == "missing":
            where = describe(loc[:-1])
            msg = f"missing required key '{loc[-1]}'" + (f" in {where}" if where else "")
            key: tuple[object, ...] = (path, "missing", loc[-1])
            pos = doc.position(path)
        elif kind == "extra_forbidden":
            name = loc[-1]
            allowed = []
            target = model_at(model, path[:-1])
            if target is not None:
                # the names as written in the file: ``with``, not the model's ``with_``
                allowed = [f.alias or n for n, f in target.model_fields.items()]
            near = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
            where = describe(path[:-1])
            msg = f"unknown key '{name}'" + (f" in {where}" if where else "")
            if near:
                msg += f" (did you mean '{near[0]}'?)"
            key = (path, "extra")
            pos = doc.position(path, key=True)
        else:
            msg = f"{describe(path) or 'file'}: {_message(err)}"
            if kind == "literal_error" and err.get("input") is not None:
                options = [
                    o.strip(" '")
                    for o in str((err.get("ctx") or {}).get("expected", ""))
                    .replace(" or ", ",")
                    .split(",")
                ]
                near = difflib.get_close_matches(str(err.get("input")), options, n=1, cutoff=0.6)
                if near:
                    msg += f" (did you mean '{near[0]}'?)"
            key = (path, "value")
            pos = doc.position(path)
        if key in seen:
            seen[key].append(msg)
            continue
        seen[key] = [msg]
        order.append((key, pos))
    for key, pos in order:
        messages = seen[key]
        if len(messages) == 1:
            yield pos, messages[0]
        else:  # union: "must be a number, or must be a text"
            first = messages[0]
            head = first.split(": ", 1)[0] if ": " in first else ""
            parts = []
            for m in messages:
                body = m.split(": ", 1)[1] if head and m.startswith(head + ": ") else m
                body = body.split(", not ")[0]
                if body not in parts:
                    parts.append(body)
            got = first.split(", not ", 1)[1] if ", not " in first else ""
            text = " or ".join(parts) + (f", not {got}" if got else "")
            yield pos, f"{head}: {text}" if head else text
