"""The fast path of validation: each model's pydantic-core validator with kam's Python
checks of ids, handles, dates and -3..+3 scales replaced by native constraints.

A portfolio's files pass the native checks without a Python call per field; anything
they refuse is validated again by the models themselves (``validate``), which word kam's
messages and accept the rarer forms. Kept apart from the models so that what the models
mean and how they are made fast can be read (and changed) separately.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kamtool.load.ids import SLUG_PATTERN
from kamtool.load.models import (
    HANDLE_CHECKS,
    HANDLE_PATTERN,
    ROLE_NAMES,
    SLUG_CHECKS,
    UNKNOWN,
    KamModel,
    _attitude,
    _date,
    _handle,
    _one_to_five,
    _ref,
    _role,
    _roles_list,
    _scale,
    _slug,
)

if TYPE_CHECKING:
    from pydantic_core import CoreSchema, SchemaValidator

    from kamtool.load.yamlread import YamlData


def native_checks() -> dict[Callable[[object], object], CoreSchema]:
    """pydantic-core schemas that accept a subset of what each Python check above accepts,
    returning the very same value: a portfolio's files pass them without a Python call per
    field. Anything they refuse goes back to the Python checks (see ``validate``).

    ``HANDLE_PATTERN`` is exactly the set of texts ``_handle`` accepts (checked over every
    code point in the tests); a quoted date (a text, not a date) is left to ``_date``; a
    role is one of the letters (``_role`` also reads the long names, which are left to it);
    repeated roles are still dropped by ``_unique_roles``."""
    from pydantic_core import core_schema as cs

    handle = cs.str_schema(strict=True, pattern=HANDLE_PATTERN)
    return {
        _slug: cs.str_schema(strict=True, pattern=SLUG_PATTERN),
        **dict.fromkeys(SLUG_CHECKS, cs.str_schema(strict=True, pattern=SLUG_PATTERN)),
        _ref: cs.str_schema(strict=True, pattern=SLUG_PATTERN),
        _handle: handle,
        **dict.fromkeys(HANDLE_CHECKS, handle),
        _date: cs.date_schema(strict=True),
        _attitude: cs.union_schema(
            [cs.int_schema(strict=True, ge=-3, le=3), cs.literal_schema([UNKNOWN])],
            mode="left_to_right",
        ),
        _scale: cs.int_schema(strict=True, ge=-3, le=3),
        _one_to_five: cs.int_schema(strict=True, ge=1, le=5),
        _role: cs.literal_schema(list(ROLE_NAMES)),
    }


#: checks run before a value's own schema that the native schema does without: each only
#: refuses what the strict list schema it wraps refuses too (``_roles_list``: nothing, a
#: text or another value where a list of roles goes), so the file goes back to the
#: models, whose check words the message
_NATIVE_BEFORE_SKIPPED = (_roles_list,)


#: a node of a pydantic-core schema while it is rewritten: a schema (a mapping), a list of
#: them, or a leaf value
SchemaNode = Any  # pydantic-core schemas are TypedDicts of a hundred kinds


def _with_native_checks(
    schema: SchemaNode, native: dict[Callable[[object], object], CoreSchema], classes: list[type]
) -> SchemaNode:
    """A copy of a core schema with ``native`` checks in place; ``classes`` gets its models."""
    if isinstance(schema, list):
        return [_with_native_checks(item, native, classes) for item in schema]
    if not isinstance(schema, dict):
        return schema
    kind = schema.get("type")
    if kind == "function-plain":
        replacement = native.get(schema["function"]["function"])
        if replacement is not None:
            return replacement
    elif (
        kind == "function-before"
        and schema["function"]["function"] in _NATIVE_BEFORE_SKIPPED
        and schema["schema"].get("type") == "list"
    ):
        inner = _with_native_checks(schema["schema"], native, classes)
        return {**inner, "strict": True}
    elif kind == "model":
        classes.append(schema["cls"])
    return {key: _with_native_checks(value, native, classes) for key, value in schema.items()}


_FAST_VALIDATORS: dict[type[KamModel], SchemaValidator] = {}


def fast_validator(model: type[KamModel]) -> SchemaValidator:
    """The model's validator with ``native_checks`` in place of the Python ones (built once)."""
    validator = _FAST_VALIDATORS.get(model)
    if validator is None:
        from pydantic_core import SchemaValidator

        classes: list[type[KamModel]] = []
        schema = _with_native_checks(model.__pydantic_core_schema__, native_checks(), classes)
        # pydantic-core reuses a complete model's own validator for a model schema (its
        # "prebuilt" shortcut), which would bring the Python checks back: mark the models
        # incomplete while this validator is built.
        for cls in classes:
            cls.__pydantic_complete__ = False
        try:
            validator = _FAST_VALIDATORS[model] = SchemaValidator(schema)
        finally:
            for cls in classes:
                cls.__pydantic_complete__ = True
    return validator


def validate(model: type[KamModel], data: YamlData) -> KamModel:
    """``model.model_validate(data)``, the same result, mostly without Python calls.

    Data the native checks refuse (an error, or one of the rarer forms only the Python checks
    accept) is validated again by the model itself, which raises kam's own messages."""
    from pydantic_core import ValidationError

    try:
        return fast_validator(model).validate_python(data)
    except ValidationError:
        return model.model_validate(data)
