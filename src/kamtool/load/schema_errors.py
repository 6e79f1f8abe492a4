"""Turn pydantic validation errors into KAM002 findings at the real line and column."""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

from pydantic import BaseModel, ValidationError

from kamtool.errors import close_options
from kamtool.i18n import (
    LANGUAGES,
    N_,
    _,
    aside,
    listed,
    meant_by_word,
    ngettext,
    normalise,
    quoted,
)
from kamtool.load.models import SeveralPeople, file_key
from kamtool.load.slips import INVISIBLE_SPACES, full_width_note, indentation_message
from kamtool.load.yamlread import Document, Path_, YamlData, value_at

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


def _choices(model: type[BaseModel], path: Path_, key: str | int) -> list[str]:
    """The values a missing key may take when it takes a fixed few (a target's ``kind``,
    an action's ``status``), for the message: "missing required key 'kind'" alone sent a
    new user to the schema to learn what to write."""
    target = model_at(model, path)
    field = target.model_fields.get(str(key)) if target is not None else None
    if field is None:
        return []
    kinds = [c for c in _unwrap(field.annotation) if c is not type(None)]
    if any(typing.get_origin(c) is not typing.Literal for c in kinds):
        # a number or "?" (an attitude): "one of ?" named the rare choice alone; the
        # field's other values are not a few words to list
        return []
    return [str(value) for candidate in kinds for value in typing.get_args(candidate)]


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
                    (
                        f
                        for n, f in candidate.model_fields.items()
                        if file_key(n, candidate) == part
                    ),
                    None,
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


#: the keys that name a list item in a message, the first one it has: a person's or a
#: target's id, a log entry's date, a value curve point's year, a competitor's name
_ITEM_NAMES = ("id", "date", "year", "name", "person", "stakeholder")


def _item_name(item: object, about: object = None) -> str | None:
    """What names a list item for its reader (``zhang-wei``, ``2026-10-20``), if anything;
    never the key ``about`` the message is about (a bad date does not name its entry)."""
    if not isinstance(item, dict):
        return None
    for key in _ITEM_NAMES:
        if key == about:
            continue
        value = item.get(key)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, str | dt.date) or (key == "year" and isinstance(value, int)):
            text = " ".join(str(value).split())
            # a colon would read as the end of the path ("entries #2 (a: b).by: ...")
            if text and ":" not in text and "：" not in text:
                return text if len(text) <= 40 else text[:39] + "…"
    return None


def describe(path: Path_, data: YamlData | None = None) -> str:
    """``stakeholders #3 (zhang-wei).channels #1`` for messages: keys as written in the
    file, list items by their position counted from 1 (as people count, and as the
    finding's line shows them), with the item's id, date or name when ``data`` (the
    file's contents) gives one."""
    out = ""
    node: object = data
    for i, part in enumerate(path):
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            named = _item_name(item, path[i + 1] if i + 1 < len(path) else None)
            out += (" " if out else "") + f"#{part + 1}" + (aside(named) if named else "")
            node = item
        else:
            out += ("." if out else "") + str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


_TYPE_WORDS = {
    "string_type": N_("must be a text"),
    "int_type": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_type": N_("must be a number"),
    "bool_type": N_("must be true or false"),
    "list_type": N_("must be a list"),
    "dict_type": N_("must be a mapping"),
    "model_type": N_("must be a mapping of keys"),
    "model_attributes_type": N_("must be a mapping of keys"),
    "date_type": N_("must be a date YYYY-MM-DD"),
    "none_required": N_("must be empty"),
}
#: pydantic's bounds, each worded with the bound and the value as placeholders
_BOUNDS = {
    "greater_than_equal": ("ge", N_("must be greater than or equal to {limit}; got {value}")),
    "less_than_equal": ("le", N_("must be less than or equal to {limit}; got {value}")),
    "greater_than": ("gt", N_("must be greater than {limit}; got {value}")),
    "less_than": ("lt", N_("must be less than {limit}; got {value}")),
}


#: what people write for "off" where kam wants the word (a rule's severity in kam.yaml)
_OFF_WORDS = frozenset({"no", "false", "none", "null", "disable", "disabled", "0", "n"})


def _not(requirement: str, got: str) -> str:
    return _("{requirement}, not {got}").format(requirement=requirement, got=got)


def _not_separator() -> str:
    """What joins a requirement and the kind given instead (", not " in English), for
    merging the branches of a union."""
    return _("{requirement}, not {got}").format(requirement="\0", got="\0").split("\0")[1]


def _one_of(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" joined and quoted in the output language
    (“a”、“b” 或 “c”)."""
    head, sep, last = expected.rpartition(" or ")
    items = [*head.split(", "), last] if sep else [expected]
    return listed((quoted(x[1:-1]) if x[:1] == x[-1:] == "'" else x for x in items), "or")


def _message(err: ErrorDetails) -> str:
    """One pydantic error in kam's words, in the output language: each kind of error has
    its own sentence, with the field's limits and the value found as placeholders."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind == "literal_error":
        expected = _one_of(str(ctx.get("expected", "")))
        return _("must be one of {expected}; got {value}").format(
            expected=expected, value=_short(err.get("input"))
        )
    if kind in _BOUNDS:
        bound, text = _BOUNDS[kind]
        return _(text).format(limit=_bound(ctx.get(bound, "?")), value=_bound(err.get("input")))
    if kind == "finite_number":  # .inf, .nan
        return _("must be a finite number; got {value}").format(value=_short(err.get("input")))
    if kind in ("int_type", "int_from_float") and isinstance(err.get("input"), float):
        return _not(_("must be a whole number"), repr(err["input"]))
    if kind in _TYPE_WORDS:
        return _not(_(_TYPE_WORDS[kind]), _kind(err.get("input")))
    if kind == "too_short":
        least = int(ctx.get("min_length", 1))
        return ngettext(
            "must have at least {n} item, not {actual}",
            "must have at least {n} items, not {actual}",
            least,
        ).format(n=least, actual=ctx.get("actual_length", 0))
    if kind == "too_long":
        most = int(ctx.get("max_length", 0))
        return ngettext(
            "must have at most {n} item, not {actual}",
            "must have at most {n} items, not {actual}",
            most,
        ).format(n=most, actual=ctx.get("actual_length", "?"))
    if kind == "string_too_short":
        return _("must not be empty")
    if kind == "string_too_long":
        return _("must be at most {n} characters long").format(n=ctx.get("max_length", "?"))
    if kind == "string_pattern_mismatch":
        return _("must match the pattern {pattern}; got {value}").format(
            pattern=ctx.get("pattern", "?"), value=_short(err.get("input"))
        )
    return err["msg"]


def _bound(value: object) -> str:
    """A bound or the number found beyond it, as a person writes it: ``1000000000``, not
    pydantic's ``1000000000.0`` or ``1e+18``."""
    if isinstance(value, float) and value.is_integer() and abs(value) <= 1e21:
        return str(int(value))
    return _short(value)


def _kind(value: object) -> str:
    from kamtool.load.models import _kind as k

    return k(value)


def _short(value: object) -> str:
    from kamtool.load.models import _show

    return _show(value)


#: the words people write for a key in place of kam's own: a key of the file (by its name
#: as written, or ``Model.key`` for one model alone) -> what else it gets called. An
#: unknown key that is one of these (in any case, with ``-``, spaces or camelCase) gets
#: "did you mean" the key, where spelling alone (difflib) finds nothing: ``start_date``
#: is not a slip of ``in_post_since``. A word only counts where the model has that key
#: (``position`` in a person's entry is their ``title``; in account.yaml it is a key).
# fmt: off
KEY_SYNONYMS: dict[str, tuple[str, ...]] = {
    # stakeholders.yaml
    "in_post_since": (
        "start_date", "started", "started_on", "start", "since", "joined", "joined_on",
        "date_joined", "in_post", "in_role_since", "in_position_since", "hired", "hire_date",
    ),
    "left_on": (
        "left", "left_date", "end_date", "departed", "departed_on", "departure",
        "departure_date", "leaving_date", "leaving_on",
    ),
    "last_contact": (
        "last_contacted", "last_contact_date", "last_met", "last_meeting", "contacted",
        "last_touch", "last_seen",
    ),
    "reviewed": ("last_reviewed", "review_date", "reviewed_on", "last_review", "verified"),
    "title": ("job_title", "jobtitle", "position", "job", "function", "designation"),
    "reports_to": (
        "manager", "boss", "superior", "supervisor", "line_manager", "reporting_to",
        "reports_into",
    ),
    "unit": ("department", "dept", "division", "org_unit", "business_unit"),
    "attitude": ("support", "stance", "sentiment", "disposition"),
    "intimacy": ("closeness", "rapport", "relationship", "proximity"),
    "backup": ("deputy", "b_role", "backup_owner", "secondary_owner"),
    "sponsor": ("executive_sponsor", "exec_sponsor"),
    "channels": ("info_channels", "information_channels", "sources"),
    "competitor": ("backs", "backed_competitor", "competitor_backed"),
    "crm_id": ("crm", "salesforce_id", "hubspot_id", "external_id", "contact_id"),
    "personal": ("private", "personal_details", "private_details"),
    "notes": ("note", "comment", "comments", "remarks"),
    # every file
    "name": ("full_name", "fullname", "customer_name", "company_name", "company", "customer"),
    "owner": ("account_manager", "relationship_owner", "a_role", "responsible", "assignee"),
    "stakeholder": ("person", "contact", "stakeholder_id"),
    # account.yaml and org.yaml
    "industry": ("sector", "vertical"),
    "tier_reason": ("reason", "override_reason"),
    "parent": ("parent_unit", "part_of", "belongs_to"),
    "expected": ("planned", "forecast", "plan"),
    "actual": ("actuals", "achieved"),
    # targets.yaml and log.yaml
    "period": ("planning_period", "fiscal_year", "plan_year"),
    "relationship_goals": ("goals",),
    "opportunities": ("deals", "pipeline"),
    "kind": ("type",),
    "text": ("description", "desc"),
    "due": ("due_date", "deadline", "due_on"),
    "status": ("state",),
    "pbip": ("decision_date", "investment_decision"),
    "ready": ("ready_date", "ready_on", "delivery_date"),
    "RelationshipGoal.by": ("due", "due_date", "deadline", "date"),
    "LogEntry.with": ("attendees", "participants", "people", "contacts", "met_with"),
    "LogEntry.by": ("us", "our_side", "ours", "attended_by", "logged_by"),
    "summary": ("minutes", "description", "outcome", "notes", "note"),
    "next": ("next_step", "next_steps", "follow_up", "followup"),
    # kam.yaml
    "language": ("lang", "locale"),
}
# fmt: on


def _key_form(name: str) -> str:
    """A key as the synonyms are written: ``startDate``, ``Start Date``, ``start-date``
    are all ``start_date``."""
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip())
    return re.sub(r"[\s\-]+", "_", snake).casefold()


def near_key(name: str, model: type[BaseModel] | None, allowed: list[str]) -> str | None:
    """The key of ``allowed`` (the keys of ``model``) an unknown key ``name`` most likely
    meant: the same key in another case or with other separators (``In-Post-Since``), a
    synonym of one (``KEY_SYNONYMS``: ``start_date`` -> ``in_post_since``), else the
    closest in spelling (``atitude`` -> ``attitude``); None when nothing is close."""
    form = _key_form(name)
    by_form = {_key_form(key): key for key in allowed}
    if form in by_form:
        return by_form[form]
    owner = model.__name__ if model is not None else ""
    for key in allowed:
        words = KEY_SYNONYMS.get(f"{owner}.{key}") or KEY_SYNONYMS.get(key, ())
        if form in words:
            return key
    near = close_options(name, allowed)  # a slip of the keyboard: not 'owner' for 'phone'
    return near[0] if near else None


def _written_number(lines: list[str] | None, pos: tuple[int, int]) -> str | None:
    """The plain number as the file spells it at ``pos`` (``00123``, where YAML gives the
    number 123); None without the file's ``lines`` or without a number there. Only the
    number is read, not the rest of its line: a flow list of a million numbers is one line."""
    if lines is None:
        return None
    line, col = pos
    if not 1 <= line <= len(lines) or col < 1:
        return None
    token = _NUMBER_TOKEN.match(lines[line - 1], col - 1)
    return token.group() if token else None


def _value_note(
    err: ErrorDetails,
    path: Path_,
    lines: list[str] | None,
    pos: tuple[int, int],
    model: type[BaseModel] | None = None,
) -> str:
    """Advice for a value of the wrong kind that is a common slip of hand-written YAML: a
    list key with nothing after it (``channels:``), a list typed as a text (``channels:
    calls, visits``), a text YAML read as a number (``crm_id: 00123``, as the file's
    ``lines`` spell it at ``pos``)."""
    kind, value = err["type"], err.get("input")
    key = next((p for p in reversed(path) if isinstance(p, str)), "")
    needs = _needs_an_item(model, path) if kind == "list_type" and value is None else None
    if needs == "required":  # a log entry's with: an empty list is refused too
        return _("nothing after {key}: write at least one item in brackets").format(key=key)
    if needs == "optional":  # kam.yaml's tiers: an empty list is refused, no line is the default
        return _(
            "nothing after {key}: write at least one item in brackets, or delete the line"
        ).format(key=key)
    if kind == "list_type" and value is None:
        return _(
            "nothing after {key}: write {key}: [] for none, or the items in brackets, or "
            "delete the line"
        ).format(key=key)
    if kind == "list_type" and isinstance(value, str):
        items = [p.strip() for p in re.split(r"[,，、;；]", value) if p.strip()]
        return _("a list is written in brackets: {key}: [{items}]").format(
            key=key, items=", ".join(items)
        )
    if kind in ("float_type", "int_type") and value is None and lines is not None:
        # `rates: {USD: 0,92}`: the decimal comma ended the value inside the braces, and
        # 92 became a key without a value
        found = _decimal_comma(lines, pos, path)
        if found:
            return _(
                "a comma ends a value inside {braces}: write a decimal number with a point, "
                "{example}"
            ).format(braces="{...}", example=f"{found[1]}: {found[2]}.{path[-1]}")
    if kind in ("float_type", "int_type") and isinstance(value, str):
        counted = _counted(key, value)
        if counted is not None:
            return _("{key} is counted in {unit}, written without a unit: {example}").format(
                key=key, unit=_(counted[0]), example=f"{key}: {counted[1]}"
            )
        number = _plain_number(value)
        if number is not None and (kind == "float_type" or "." not in number):
            example = number if isinstance(path[-1], int) else f"{key}: {number}"
            return _(
                "a number is written in ASCII digits, without quotes, separators or units: "
                "{example}"
            ).format(example=example)
    if kind != "string_type" or not isinstance(value, int | float):
        return ""
    typed = _written_number(lines, pos)
    if typed:
        example = f'"{typed}"' if isinstance(path[-1], int) else f'{key}: "{typed}"'
        if typed != str(value):  # 00123 is 123, +86 is 86, 1.50 is 1.5
            return _(
                "without quotes YAML reads {written} as the number {value}: put it in "
                "quotes, {example}"
            ).format(written=typed, value=value, example=example)
        return _("put it in quotes to make it a text: {example}").format(example=example)
    return ""


#: a number as people write it in a text: grouped by thousands (``98,000,000``,
#: ``98 000 000``) or not, with a fraction or not; after NFKC, so full-width digits and
#: commas (``９８，０００``) are these
_WRITTEN_NUMBER = re.compile(r"([-+]?)([1-9]\d{0,2}(?:[, ]\d{3})+|\d+)(\.\d+)?")
#: the same as much of Europe writes it: ``1.200.000`` or ``1.200.000,50``, and a decimal
#: comma, ``0,92`` (a comma before other than three digits, or after a lone 0)
_EUROPEAN_NUMBER = re.compile(
    r"([-+]?)(\d{1,3}(?:[. ]\d{3})+|0|\d+(?=,(?:\d{1,2}|\d{4,})$))(,\d+)?"
)
#: the Chinese units of large numbers, ``9800万``
_LARGE_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}


#: kam.yaml's keys counted in a unit, and the units a user may type after the number
_SIZE_UNITS: Final = {
    "b": 1, "byte": 1, "bytes": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000**2,
    "mb": 1000**2, "mib": 1024**2, "g": 1000**3, "gb": 1000**3, "gib": 1024**3,
}  # fmt: skip
_DAY_UNITS: Final = {
    "d": 1,
    "day": 1,
    "days": 1,
    "天": 1,
    "日": 1,
    "w": 7,
    "week": 7,
    "weeks": 7,
    "周": 7,
}
_COUNTED_VALUE = re.compile(r"(\d+(?:\.\d+)?)\s*([^\d\s.]+)")


def _counted(key: str, text: str) -> tuple[str, int] | None:
    """(unit, number) for a count typed with its unit where kam.yaml counts in one unit
    (``max_file_size: 5MB`` is 5000000 bytes, ``new_in_post_days: 90d`` is 90 days);
    None for any other key or text."""
    import unicodedata

    if key == "max_file_size":
        unit, units = N_("bytes"), _SIZE_UNITS
    elif key.endswith("_days"):
        unit, units = N_("days"), _DAY_UNITS
    else:
        return None
    found = _COUNTED_VALUE.fullmatch(unicodedata.normalize("NFKC", text).strip().casefold())
    if found is None or found[2] not in units:
        return None
    from decimal import ROUND_HALF_UP, Decimal

    # half a day or byte up, as people round (1.5w is 11 days, not round()'s 10)
    count = Decimal(found[1]) * units[found[2]]
    return unit, int(count.to_integral_value(rounding=ROUND_HALF_UP))


def _plain_number(text: str) -> str | None:
    """The number a text YAML did not read as one spells (``９８,０００,０００``,
    ``"98000000"``, ``98 000 000``, ``9800万``), as kam reads it (``98000000``); None
    when the text is no number."""
    import unicodedata
    from decimal import Decimal

    typed = unicodedata.normalize("NFKC", text).strip().strip("\"'“”‘’").strip()
    factor = _LARGE_UNITS.get(typed[-1:], 1)
    if factor != 1:
        typed = typed[:-1].strip()
    found = _WRITTEN_NUMBER.fullmatch(typed)
    if found is not None:
        sign, whole, fraction = found.groups()
        digits = sign + whole.replace(",", "").replace(" ", "") + (fraction or "")
    else:
        found = _EUROPEAN_NUMBER.fullmatch(typed)
        if found is None or ("." not in typed and "," not in typed):
            return None
        sign, whole, fraction = found.groups()
        digits = sign + whole.replace(".", "").replace(" ", "") + (fraction or "").replace(",", ".")
    number = Decimal(digits) * factor
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


#: a plain number as written (the start of a value: ``00123``, ``+86``, ``1.50``)
_NUMBER_TOKEN = re.compile(r"[-+.0-9][0-9A-Za-z._+-]*")


def _needs_an_item(model: type[BaseModel] | None, path: Path_) -> str | None:
    """Whether the list at ``path`` must hold at least one item (``min_length``): None when
    it need not, else "required" or "optional" as its key is (an optional key left out
    takes its default)."""
    parent = model_at(model, path[:-1]) if model is not None and path else None
    if parent is None or not isinstance(path[-1], str):
        return None
    field = next(
        (f for n, f in parent.model_fields.items() if file_key(n, parent) == path[-1]), None
    )
    if field is None or not any(getattr(m, "min_length", 0) for m in field.metadata):
        return None
    return "required" if field.is_required() else "optional"


#: errors of a value of the right type beyond a limit: in a union (``int | float | str``)
#: the branch that took the type says what is wrong, the others' "must be a text" does not
_LIMIT_ERRORS = frozenset(
    {
        "finite_number",
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "string_too_short",
        "string_too_long",
        "too_short",
        "too_long",
    }
)


def _union_messages(branches: list[tuple[str, str]]) -> list[str]:
    """The messages of one value's union branches worth saying: a limit the value broke
    alone (``goal: .inf`` "must be a finite number; got inf", not also "must be a whole
    number" and "must be a text"), and "a number" without "a whole number" beside it."""
    limits = [msg for kind, msg in branches if kind in _LIMIT_ERRORS]
    if limits:
        return limits
    kinds = {kind for kind, _msg in branches}
    if kinds & {"float_type", "float_parsing"}:
        branches = [(k, m) for k, m in branches if k not in ("int_type", "int_parsing")]
    return [msg for _kind, msg in branches]


def _decimal_comma(lines: list[str], pos: tuple[int, int], path: Path_) -> re.Match[str] | None:
    """``rates: {USD: 0,92}``: the decimal comma ended the value inside the braces, and
    92 became a key without a value. The match of the key before it and its whole part
    (``USD``, ``0``), when ``path`` is such a key."""
    if not path or not str(path[-1]).isdigit():
        return None
    line = lines[pos[0] - 1] if 0 < pos[0] <= len(lines) else ""
    return re.search(
        r"([^\s{,:]+)\s*:\s*(-?\d+)\s*,\s*" + re.escape(str(path[-1])) + r"\s*[,}]", line
    )


def schema_problems(
    model: type[BaseModel], doc: Document, exc: ValidationError, text: str | None = None
) -> Iterator[tuple[tuple[int, int], str]]:
    """((line, col), message) for each distinct problem, deduplicating union branches;
    with the file's ``text``, a value YAML typed otherwise than written is quoted as
    written (``crm_id: 00123``)."""
    seen: dict[tuple[object, ...], list[tuple[str, str]]] = {}  # key -> (error kind, message)
    order: list[tuple] = []
    #: (mapping, key) of each unknown key's "did you mean": ``atitude: 2`` is one slip,
    #: told once, not also as "missing required key 'attitude'" at the entry's top
    meant_keys: set[tuple[Path_, str]] = set()
    #: the file's lines, split once: a file of a million wrong values is a million errors
    lines = text.split("\n") if text is not None else None
    errors = exc.errors(include_url=False)
    #: a decimal comma in braces (``{BRL: 0,18}``) is one slip, told at the "18" that
    #: lost its value: not also as BRL's 0 out of range and "18" as no currency code
    comma_keys: set[Path_] = set()
    comma_cut: set[Path_] = set()
    for err in errors if lines is not None else ():
        if err["type"] in ("float_type", "int_type") and err.get("input") is None:
            path, _exists = data_path(doc.data, tuple(err["loc"]))
            found = _decimal_comma(lines or [], doc.position(path), path)
            if found:
                comma_keys.add(path)
                comma_cut.add((*path[:-1], found[1]))
    for err in errors:
        loc = tuple(err["loc"])
        kind = err["type"]
        path, _exists = data_path(doc.data, loc)
        if kind == "missing":
            where = describe(loc[:-1], doc.data)
            msg = (
                _("missing required key {key!r} in {where}").format(key=loc[-1], where=where)
                if where
                else _("missing required key {key!r}").format(key=loc[-1])
            )
            choices = _choices(model, path, loc[-1])
            if choices:
                msg += _(": one of {values}").format(values=listed(choices))
            key: tuple[object, ...] = (path, "missing", loc[-1])
            pos = doc.position(path)
        elif kind == "extra_forbidden":
            name = loc[-1]
            allowed = []
            target = model_at(model, path[:-1])
            if target is not None:
                # the names as written in the file: ``with``, not the model's ``with_``
                allowed = [file_key(n, target) for n in target.model_fields]
            meant = near_key(str(name), target, allowed)
            where = describe(path[:-1], doc.data)
            msg = (
                _("unknown key {key!r} in {where}").format(key=name, where=where)
                if where
                else _("unknown key {key!r}").format(key=name)
            )
            lead = str(name)[:1]
            if lead in INVISIBLE_SPACES:
                # ``\u00a0\u00a0notes: ...`` pasted from Word or WeChat: the "indentation"
                # is part of the key, which lands in the wrong mapping
                bare = str(name).strip(INVISIBLE_SPACES + " ")
                msg = _("unknown key {key!r}: {problem}").format(
                    key=bare, problem=indentation_message(lead)
                )
                if bare in allowed:  # one slip: not also "missing required key 'attitude'"
                    meant_keys.add((path[:-1], bare))
            elif meant:
                msg += _(" (did you mean {name!r}?)").format(name=meant)
                meant_keys.add((path[:-1], meant))
                if "\u3000" in str(name):  # invisible in the message: say it
                    msg += _(" (the key holds a full-width space (U+3000): delete it)")
            elif " " in str(name) and value_at(doc.data, path) is None:
                # `{name: Voltron, notes: cheaper, strong in service}`: the comma ended the
                # notes, and "strong in service" became a key without a value
                msg += _(
                    " (a comma ends a value inside {braces}: put text that holds a comma in "
                    "quotes, {example})"
                ).format(braces="{...}", example='notes: "cheaper, strong in service"')
            key = (path, "extra")
            pos = doc.position(path, key=True)
        else:
            msg = _("{where}: {problem}").format(
                where=describe(path, doc.data) or _("file"), problem=_message(err)
            )
            if kind == "literal_error" and err.get("input") is not None:
                options = [
                    o.strip(" '")
                    for o in str((err.get("ctx") or {}).get("expected", ""))
                    .replace(" or ", ",")
                    .split(",")
                ]
                typed = str(err.get("input"))
                near = close_options(typed, options)[:1]
                if "off" in options and typed.casefold() in _OFF_WORDS:
                    near = ["off"]  # `KAM108: no` (or false) turns the rule off, not 'info'
                if not near:  # the start of one value: 'zh' for 'zh-CN', 'exec' for ...
                    starting = [
                        o for o in options if typed and o.casefold().startswith(typed.casefold())
                    ]
                    near = starting if len(starting) == 1 else []
                if not near and set(options) == set(LANGUAGES):
                    # a language as a locale names it: `language: zh-TW` (or zh_Hant,
                    # en-GB) is the catalogue kam has for it, as `--lang zh-TW` is
                    spoken = normalise(typed)
                    near = [spoken] if spoken else []
                if not near:  # the value in the words of kam's output (计划中: planned)
                    word = meant_by_word(typed, options)
                    near = [word] if word else []
                if near:
                    msg += _(" (did you mean {name!r}?)").format(name=near[0])
            several = isinstance((err.get("ctx") or {}).get("error"), SeveralPeople)
            # a number where a number goes is told as one (９８，０００), not as a list
            number = kind in ("float_type", "int_type")
            note = "" if several or number else full_width_note(err.get("input"))
            pos = doc.position(path)
            note = note or _value_note(err, path, lines, pos, model)
            if note:  # [E，I]: one item where two were meant
                msg = _("{message} ({note})").format(message=msg, note=note)
            key = (path, "value")
            pos = doc.position(path)
            if "[key]" in loc:  # the key of a mapping (rates: {92: ...}), not its value:
                # a problem of its own, not one branch of a union with the value's
                key, pos = (path, "key"), doc.position(path, key=True)
        if key in seen:
            seen[key].append((kind, msg))
            continue
        seen[key] = [(kind, msg)]
        order.append((key, pos))
    for key, pos in order:
        if key[1] == "missing" and (key[0], key[2]) in meant_keys:
            continue
        if key[0] in comma_cut or (key[0] in comma_keys and key[1] != "value"):
            continue
        messages = _union_messages(seen[key])
        if len(messages) == 1:
            yield pos, messages[0]
        else:  # union: "must be a number or must be a text, not a list"
            colon = _("{where}: {problem}").format(where="\0", problem="\0").split("\0")[1]
            no = _not_separator()
            first = messages[0]
            head = first.split(colon, 1)[0] if colon in first else ""
            parts = []
            for m in messages:
                body = m.split(colon, 1)[1] if head and m.startswith(head + colon) else m
                body = body.split(no)[0]
                if body not in parts:
                    parts.append(body)
            got = first.split(no, 1)[1] if no in first else ""
            text = _(" or ").join(parts)
            text = _not(text, got) if got else text
            yield pos, _("{where}: {problem}").format(where=head, problem=text) if head else text
