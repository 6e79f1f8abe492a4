"""The file formats of SPEC section 1, as pydantic models.

The same models validate files, produce ``kam schema`` and feed analysis.
Strict mode: YAML already types scalars, so ``"3"`` is not silently an int and
``20261001`` is not silently a date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)

from kamtool.i18n import N_, _, listed, quoted, simplified
from kamtool.load.ids import SLUG_PATTERN, ZERO_WIDTH, is_slug, slug_advice, strip_latin_marks

#: ASCII digits only: a date in full-width digits is told its ASCII form (``iso_form``)
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
#: dates written in another common form, each read one way only (year, month, day):
#: 2026/11/05, 2026.11.05, 2026-11-5, 05.11.2026 (day first, as where dots are used),
#: 2026年11月5日
_OTHER_DATE_FORMS = (
    (re.compile(r"(\d{4})([/.-])(\d{1,2})\2(\d{1,2})"), (1, 3, 4)),
    (re.compile(r"(\d{1,2})(\.)(\d{1,2})\.(\d{4})"), (4, 3, 1)),
    (re.compile(r"(\d{4})(年)(\d{1,2})月(\d{1,2})日"), (1, 3, 4)),
    # ISO 8601's basic form, as file names and many forms write a date: 20261205
    (re.compile(r"(\d{4})()(\d{2})(\d{2})"), (1, 3, 4)),
)
#: a number written as text: "+2", "-1", " 3"
#: a whole number written as text: in quotes, or in full-width characters (an input
#: method's "２", "－１"), which YAML reads as text too
_QUOTED_NUMBER = re.compile(r"\s*([+\-＋－]?\d+)\s*")
UNKNOWN: Final = "?"

ROLE_LONG = {
    "decision-maker": "D",
    "sponsor": "S",
    "evaluator": "E",
    "influencer": "I",
    "coach": "C",
}
ROLE_NAMES = {v: k for k, v in ROLE_LONG.items()}
#: each role in words, as outputs show it (translated where shown)
ROLE_WORDS = {
    "D": N_("decision maker"),
    "S": N_("sponsor"),
    "E": N_("evaluator"),
    "I": N_("influencer"),
    "C": N_("coach"),
}


#: an attitude or intimacy as the file holds it: -3..+3, or "?" when not yet known
AttitudeValue = int | Literal["?"]


def level(value: AttitudeValue | None) -> int | None:
    """The number of an attitude or intimacy, None when unknown ("?") or absent: the one
    place that knows the file's "?" (rules and renderers ask this, or the properties of
    ``Stakeholder``, never the sentinel)."""
    return value if isinstance(value, int) else None


def scale_text(value: AttitudeValue | None) -> str:
    """-3..+3 as text: '?' when unknown, '0' for neutral, a sign otherwise."""
    number = level(value)
    if number is None:
        return UNKNOWN
    return f"{number:+d}" if number else "0"


def personal_text(personal: Mapping[str, object] | None) -> str:
    """A person's ``personal:`` details as people read them: "hobby: golf; family: kid,
    dog" (lists joined as ``listed`` joins them, a nested mapping in parentheses, dates as
    YYYY-MM-DD), never a Python repr; "" when there are none. The plan and the diff show
    this; JSON keeps the data itself."""

    def pair(key: object, value: object) -> str:
        return f"{key}{_(': ')}{value_text(value)}"

    def value_text(value: object) -> str:
        if isinstance(value, dict):
            return _("({note})").format(note=listed(pair(k, v) for k, v in value.items()))
        if isinstance(value, list):
            return listed(value_text(v) for v in value)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dt.date):
            return value.isoformat()
        if value is None:
            return ""
        return " ".join(str(value).split())

    # the output language's punctuation: "hobby: golf; family: kid, dog" in English,
    # "爱好：高尔夫；家庭：孩子、狗" in Chinese (a clause's separators, a list's comma)
    return _("; ").join(pair(key, value) for key, value in (personal or {}).items())


def _slug(value: object, kind: str = "person") -> str:
    """An id; a text that is none is refused with ``slug_advice`` for ``kind``, what the
    id names (where its name in Chinese goes)."""
    if isinstance(value, str) and is_slug(value):
        return value
    if not isinstance(value, str):
        raise ValueError(_not(_("must be an id (a text such as 'zhang-wei')"), value))
    raise ValueError(
        _(
            "{value!r} is not a valid id: use lowercase letters, digits, '.', '_' and '-', "
            "starting with a letter or digit"
        ).format(value=value)
        + slug_advice(value, kind)
    )


class SlugCheck:
    """``_slug`` for the id of one kind of thing (an account, an offering, a unit...), so
    that an id written in Chinese is told where that thing's name goes, not a person's.
    Each is a native check of its own in ``fastvalidate``, which finds them in
    ``SLUG_CHECKS``."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.__name__ = "_slug"
        SLUG_CHECKS.append(self)

    def __call__(self, value: object) -> str:
        return _slug(value, self.kind)


SLUG_CHECKS: list[SlugCheck] = []


def _ref(value: object) -> str:
    """A reference to an entry of the account (a person, a unit, a target) by its id. Every
    text is taken here: whether it names an entry is KAM003's to say, with the entry meant
    (``reports_to: 陈刚``, a person named where the id goes, is told the id of 陈刚), not
    KAM002's "not a valid id" with no way to the entry."""
    if isinstance(value, str) and value.strip():
        return value
    return _slug(value)


#: what writes two people into one handle: "ana.ruiz, li.wei", "王芳、李伟", "ana/li",
#: "ana & li" (ASCII and full-width separators)
HANDLE_SEPARATORS: Final = ",;/&，、；／＆"
#: the characters ``str.strip()`` removes, spelt out (``\s`` differs between Python,
#: Rust and ECMA-262 regular expressions: U+001C-U+001F, U+FEFF)
_STRIPPED = r"\t-\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SEPARATOR_RE = re.compile(f"[{re.escape(HANDLE_SEPARATORS)}]")
#: exactly the texts ``_handle`` accepts: no separator, something besides white space; the
#: same for pydantic-core (the fast path) and for editors (JSON Schema, ECMA-262)
#: the zero-width characters text pasted from a chat app or a web page brings
#: (``kamtool.load.ids.ZERO_WIDTH``): a handle holding one is another handle, invisibly
_ZERO_WIDTH = r"\u200b\u200c\u200d\u2060\ufeff"
HANDLE_PATTERN: Final = (
    f"^[^{HANDLE_SEPARATORS}{_ZERO_WIDTH}]*"
    f"[^{_STRIPPED}{HANDLE_SEPARATORS}{_ZERO_WIDTH}][^{HANDLE_SEPARATORS}{_ZERO_WIDTH}]*$"
)


class SeveralPeople(ValueError):
    """Several people in a handle field: the message names the separator and the fix (no
    note on full-width list separators is added, the comma is no slip in a list here)."""


def _handle(value: object, advice: str = N_("one person per field")) -> str:
    """One colleague's handle. Two in one field (``ana.ruiz, li.wei``) would count as one
    person nobody is: refused, with ``advice`` (``{others}``: all but the first, ``{all}``:
    every one, as a YAML list) on where the field's file takes the others."""
    if isinstance(value, str) and value.strip():
        hidden = next((c for c in value if c in ZERO_WIDTH), None)
        if hidden is not None:
            clean = "".join(c for c in value if c not in ZERO_WIDTH)
            raise ValueError(
                _(
                    "{value!r} holds an invisible zero-width character (U+{code:04X}), "
                    "pasted with the text: write {clean!r}"
                ).format(value=value, code=ord(hidden), clean=clean)
            )
        if not any(c in HANDLE_SEPARATORS for c in value):
            return value
        people = [p.strip() for p in _SEPARATOR_RE.split(value) if p.strip()]
        if len(people) < 2:
            raise ValueError(
                _("{value!r} is not a handle: a handle has no {separators}").format(
                    value=value, separators=" ".join(HANDLE_SEPARATORS)
                )
            )
        advice_text = _(advice).format(others=listed(people[1:], "and"), all=", ".join(people))
        raise SeveralPeople(
            _("{value!r} names {n} people: {advice}").format(
                value=value, n=len(people), advice=advice_text
            )
        )
    raise ValueError(_not(_("must be a person's handle such as 'li.ming'"), value))


class HandleCheck:
    """``_handle`` for one kind of field, with its advice for a second person (an account's
    owner: the team; a person's owner: backup...). Each is a native check of its own in
    ``fastvalidate``, which finds them in ``HANDLE_CHECKS``."""

    def __init__(self, advice: str) -> None:
        self.advice = advice
        self.__name__ = "_handle"
        HANDLE_CHECKS.append(self)

    def __call__(self, value: object) -> str:
        return _handle(value, self.advice)


HANDLE_CHECKS: list[HandleCheck] = []

#: what does not tell two handles apart: white space of any kind and the separators
#: ``. _ -`` (``Li Ming``, ``li_ming``, ``li-ming`` and ``li.ming`` are one colleague;
#: ``138 0000 0000`` and ``13800000000`` one phone number)
_HANDLE_NOISE = re.compile(r"[\s._\-]+")


def handle_key(handle: str) -> str:
    """The form in which two handles are the same colleague: full-width characters as
    their ASCII forms (an input method's ｌｉ．ｍｉｎｇ), case, spacing, separators and the
    marks on Latin letters not counting (``ayşe.yılmaz`` and ``ayse.yilmaz``, as a
    keyboard without them writes the name; kana keep their marks: が is not か). The
    handle fields keep what was typed; KAM121 says when one account writes a handle two
    ways, and ``kam log --by`` names the spelling the account already uses."""
    if handle.isascii():  # nearly every handle: nothing to fold but case and separators
        return _HANDLE_NOISE.sub("", handle.casefold())
    return _HANDLE_NOISE.sub("", strip_latin_marks(handle.casefold()))


#: a date followed by other text (``2026-11-03 (call)``)
_DATE_AND_TEXT = re.compile(r"\s*([0-9]{4}-[0-9]{2}-[0-9]{2})[\s,;]+(\S.*)")
#: a date followed by a time of day (``2026-11-03 14:00``, ``2026-11-03T14:00:00``)
_DATE_TIME = re.compile(r"\s*([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[Tt]|\s+)[0-9]{1,2}[:：][0-9]{2}.*")


def _with_time(day: str) -> str:
    return _("must be a date without a time of day: kam records the day only, write {day}").format(
        day=day
    )


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError(_with_time(value.date().isoformat()))
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and DATE_RE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            message = _("{value!r} is not a real calendar date").format(value=value)
            raise ValueError(message) from None
    if isinstance(value, str):
        timed = _DATE_TIME.fullmatch(value)
        if timed is not None:
            raise ValueError(_with_time(timed.group(1)))
        noted = _DATE_AND_TEXT.fullmatch(value)
        if noted is not None and DATE_RE.fullmatch(noted.group(1)):
            raise ValueError(
                _(
                    "must be a date alone: write {day}, and keep {rest!r} in the notes or the log"
                ).format(day=noted.group(1), rest=noted.group(2).strip())
            )
        iso = iso_form(value)
        if iso is not None:
            raise ValueError(
                _("must be a date YYYY-MM-DD, not {value}: write {iso}").format(
                    value=_show(value), iso=iso
                )
            )
        raise ValueError(_("must be a date YYYY-MM-DD, not {value}").format(value=_show(value)))
    if isinstance(value, int) and not isinstance(value, bool):
        serial = _excel_date(value)
        if serial is not None:  # a date cell of a spreadsheet, pasted as its number
            raise ValueError(
                _(
                    "must be a date YYYY-MM-DD, not a number: {value} looks like a date as "
                    "Excel stores it ({day}): write {day}"
                ).format(value=value, day=serial)
            )
    raise ValueError(_not(_("must be a date YYYY-MM-DD"), value))


def _excel_date(number: int) -> str | None:
    """The date a spreadsheet's day number stands for (days since 1899-12-30, as Excel
    and LibreOffice count), for numbers between 1990 and 2100; else None."""
    if not 32874 <= number <= 73050:
        return None
    return (dt.date(1899, 12, 30) + dt.timedelta(days=number)).isoformat()


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
#: an English month name with the day and year: "3 Nov 2026", "03-Nov-2026" (Excel's
#: format), "November 3, 2026", "Nov. 3 2026"
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})")


def _month_name_date(text: str) -> str | None:
    """The ISO form of a date written with an English month name, else None."""
    found = _DAY_MONTH_YEAR.fullmatch(text)
    if found is not None:
        day, month, year = found.groups()
    else:
        found = _MONTH_DAY_YEAR.fullmatch(text)
        if found is None:
            return None
        month, day, year = found.groups()
    name = month.casefold()
    if name == "sept":
        name = "sep"
    if name in _MONTHS:
        number = _MONTHS.index(name) + 1
    elif name in _MONTH_NAMES:
        number = _MONTH_NAMES.index(name) + 1
    else:
        return None
    try:
        return dt.date(int(year), number, int(day)).isoformat()
    except ValueError:
        return None


def iso_form(text: str) -> str | None:
    """The ISO form (YYYY-MM-DD) of a date written in another common form, when the text
    reads as exactly one real date that way; else None (no guess at 05/11/2026, which
    is 5 November in one country and May 11 in another)."""
    import unicodedata

    # full-width digits and dashes (an input method's ２０２６－１１－０５) read as ASCII
    text = unicodedata.normalize("NFKC", text)
    named = _month_name_date(text.strip())
    if named is not None:
        return named
    for pattern, (year, month, day) in _OTHER_DATE_FORMS:
        found = pattern.fullmatch(text.strip())
        if found is None:
            continue
        try:
            return dt.date(
                int(found.group(year)), int(found.group(month)), int(found.group(day))
            ).isoformat()
        except ValueError:
            return None
    return None


def _unquoted(value: object, low: int, high: int) -> str:
    """ " (written as text: remove the quotes)" for a number in quotes on the scale, and
    " (full-width digits: write 2)" for one typed in full-width characters, else ""."""
    import unicodedata

    if isinstance(value, str):
        found = _QUOTED_NUMBER.fullmatch(value)
        if found is None:
            return ""
        invisible = next((c for c in value if c in "\u00a0\u3000"), None)
        if invisible is not None:  # ``attitude: \u00a02``, pasted: YAML reads a text
            from kamtool.load.slips import space_name

            return _(" ({space} beside the number, pasted with it: delete it)").format(
                space=space_name(invisible)
            )
        typed = found.group(1)
        number = unicodedata.normalize("NFKC", typed)
        try:
            whole = int(number)
        except ValueError:  # digits of another script (Arabic-Indic...): no advice
            return ""
        if not low <= whole <= high:
            return ""
        if not typed.isascii():
            return _(" (full-width characters: write {number})").format(number=whole)
        return _(" (a text: write {number} without quotes)").format(number=typed)
    return ""


#: an attitude written in words, as a spreadsheet or a CRM has it (in English or Chinese)
#: -> what to write instead; the number is the manager's judgement, so a word that says
#: only "for" or "against" is told the range, never given one value
_ATTITUDE_WORDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "positive",
            "supportive",
            "support",
            "supporter",
            "for",
            "pro",
            "friendly",
            "支持",
            "积极",
            "正面",
            "友好",
            "支持者",
        ),
        N_("for a supporter write 1, 2 or 3 (3: an exclusive supporter)"),
    ),
    **dict.fromkeys(
        (
            "negative",
            "against",
            "opposed",
            "opponent",
            "hostile",
            "contra",
            "反对",
            "消极",
            "负面",
            "敌对",
            "反对者",
        ),
        N_("for an opponent write -1, -2 or -3 (-3: an active opponent)"),
    ),
    **dict.fromkeys(
        ("neutral", "indifferent", "中立", "中性", "一般"),
        N_("for neutral write 0"),
    ),
    **dict.fromkeys(
        ("unknown", "n/a", "na", "tbd", "not met", "未知", "不详", "不清楚", "待定", "未接触"),
        N_('for not yet known write "?" with the quotes'),
    ),
}


def _attitude_word(value: object) -> str:
    """ " (an attitude in words: write ...)" for an attitude written as a word, else ""."""
    if not isinstance(value, str):
        return ""
    advice = _ATTITUDE_WORDS.get(simplified(" ".join(value.split()).casefold()))
    return (
        _(" (a word where kam takes a number: {advice})").format(advice=_(advice)) if advice else ""
    )


def _attitude(value: object) -> AttitudeValue:
    if isinstance(value, int) and not isinstance(value, bool) and -3 <= value <= 3:
        return value
    if value == UNKNOWN and isinstance(value, str):
        return UNKNOWN
    raise ValueError(
        _('must be a whole number from -3 to 3, or "?" if not yet known; got {value}').format(
            value=_show(value)
        )
        + (_unquoted(value, -3, 3) or _attitude_word(value))
    )


def _scale(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and -3 <= value <= 3:
        return value
    raise ValueError(
        _("must be a whole number from -3 to 3; got {value}").format(value=_show(value))
        + (_unquoted(value, -3, 3) or _attitude_word(value))
    )


def _one_to_five(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return value
    raise ValueError(
        _("must be a whole number from 1 to 5; got {value}").format(value=_show(value))
        + _unquoted(value, 1, 5)
    )


#: what separates items typed as one text: ``decision maker, user``, ``D、E``
_TEXT_LIST_SEPARATORS = re.compile(r"[,，、;；/]")


def _roles_list(value: object) -> object:
    """Before the items are read: a list, with the message that says what it should hold
    (``roles:`` with nothing after it, or the roles typed as a text, told how to write
    them)."""
    if value is None:
        raise ValueError(
            _(
                "nothing after roles: write the roles in brackets, roles: [D, E], "
                "or roles: [] for none (or delete the line)"
            )
        )
    if isinstance(value, str):
        parts = [p.strip() for p in _TEXT_LIST_SEPARATORS.split(value) if p.strip()]
        letters = [ROLE_LONG.get(p, p if p in ROLE_NAMES else _role_meant(p)) for p in parts]
        example = (
            "[" + ", ".join(str(x) for x in dict.fromkeys(letters)) + "]"
            if parts and all(letters)
            else "[D, E]"
        )
        raise ValueError(
            _(
                "must be a list in brackets, not a text: write roles: {example} (D decision "
                "maker, S sponsor/user, E evaluator, I influencer, C coach)"
            ).format(example=example)
        )
    if not isinstance(value, list):
        raise ValueError(_not(_("must be a list of roles such as [D, C]"), value))
    return value


def _role(item: object) -> str:
    """One power-map role, its long form read as its letter. Checked item by item so that an
    unknown role is reported at its own line and column, and every unknown one is."""
    if isinstance(item, str) and item in ROLE_NAMES:
        return item
    if isinstance(item, str) and item in ROLE_LONG:
        return ROLE_LONG[item]
    meant = _role_meant(item) if isinstance(item, str) else None
    words = item.split() if isinstance(item, str) else []
    if meant is None and len(words) > 1 and all(w.upper() in ROLE_NAMES for w in words):
        # ``[D E]``: two roles with a space between them are one item to YAML
        raise ValueError(
            _("{value} is {n} roles in one item: separate them with a comma, [{roles}]").format(
                value=_show(item), n=len(words), roles=", ".join(w.upper() for w in words)
            )
        )
    raise ValueError(
        _(
            "unknown role {value}: use D, S, E, I, C or decision-maker, sponsor, "
            "evaluator, influencer, coach"
        ).format(value=_show(item))
        + (_(" (did you mean {name!r}?)").format(name=meant) if meant else "")
    )


def _role_meant(text: str) -> str | None:
    """The role letter a text that is no role most likely means: the letter in lower case
    (``e``), the long form with a space (``decision maker``), or the role in words in a
    language kam speaks (``决策者``, ``決策者``, ``Coach``); None when it is none of these."""
    from kamtool.i18n import in_every_language

    typed = simplified(" ".join(text.replace("-", " ").replace("_", " ").split()).casefold())
    if typed.upper() in ROLE_NAMES:
        return typed.upper()
    if typed in ("user", "用户", "使用者"):  # S is the sponsor or user
        return "S"
    for letter, long in ROLE_NAMES.items():
        words = {long.replace("-", " "), *in_every_language(ROLE_WORDS[letter])}
        if typed in {w.casefold() for w in words}:
            return letter
    return None


def _unique_roles(codes: list[str]) -> list[str]:
    """``[D, decision-maker]`` is one role: repeats are dropped, the first order kept."""
    return list(dict.fromkeys(codes))


def _kind(value: object) -> str:
    names = {
        bool: _("true/false"),
        int: _("a number"),
        float: _("a number"),
        str: _("a text"),
        list: _("a list"),
        dict: _("a mapping"),
        type(None): _("empty"),
    }
    if isinstance(value, dt.date):
        return _("a date")
    return names.get(type(value), type(value).__name__)


def _not(requirement: str, value: object) -> str:
    """ "must be a date, not a number": what a value must be and what kind it is instead."""
    return _("{requirement}, not {got}").format(requirement=requirement, got=_kind(value))


def _show(value: object) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, (dict, list)):
        return _kind(value)
    if isinstance(value, dt.date):  # YAML reads 2026-03-31 as a date: shown as written
        return value.isoformat()
    text = quoted(value) if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


SLUG_SCHEMA = WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN})
#: a person's id (stakeholders.yaml)
Slug = Annotated[str, PlainValidator(_slug), SLUG_SCHEMA]
#: the ids of other things, each refused with advice on where that thing's name goes
AccountId = Annotated[str, PlainValidator(SlugCheck("account")), SLUG_SCHEMA]
OfferingId = Annotated[str, PlainValidator(SlugCheck("offering")), SLUG_SCHEMA]
UnitId = Annotated[str, PlainValidator(SlugCheck("unit")), SLUG_SCHEMA]
OpportunityId = Annotated[str, PlainValidator(SlugCheck("opportunity")), SLUG_SCHEMA]
TargetId = Annotated[str, PlainValidator(SlugCheck("target")), SLUG_SCHEMA]
#: an id naming another entry (``reports_to``, ``unit``, ``with``...): the schema of an id,
#: any text in the model (``_ref``)
Ref = Annotated[
    str,
    PlainValidator(_ref),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN}),
]
HANDLE_SCHEMA = WithJsonSchema({"type": "string", "minLength": 1, "pattern": HANDLE_PATTERN})
#: a field naming one colleague, each with where a second one goes
TeamHandle = Annotated[
    str,
    PlainValidator(
        HandleCheck(N_("one person per entry: give {others} an entry of their own in team"))
    ),
    HANDLE_SCHEMA,
]
AccountOwner = Annotated[
    str,
    PlainValidator(
        HandleCheck(
            N_("one person per field: keep the account manager here and put {others} in team")
        )
    ),
    HANDLE_SCHEMA,
]
PersonOwner = Annotated[
    str,
    PlainValidator(HandleCheck(N_("one person per field: put {others} in backup"))),
    HANDLE_SCHEMA,
]
PersonBackup = Annotated[
    str,
    PlainValidator(
        HandleCheck(N_("one person per field: keep the backup here and put the other in owner"))
    ),
    HANDLE_SCHEMA,
]
PersonSponsor = Annotated[
    str,
    PlainValidator(
        HandleCheck(
            N_(
                "one person per field: keep the executive sponsor here and put {others} in owner or backup"
            )
        )
    ),
    HANDLE_SCHEMA,
]
TargetOwner = Annotated[
    str,
    PlainValidator(
        HandleCheck(
            N_("one person per field: keep one owner and name {others} in the target's text")
        )
    ),
    HANDLE_SCHEMA,
]
GoalOwner = Annotated[
    str,
    PlainValidator(
        HandleCheck(
            N_("one person per field: keep one owner and give {others} actions of their own")
        )
    ),
    HANDLE_SCHEMA,
]
ActionOwner = Annotated[
    str,
    PlainValidator(
        HandleCheck(
            N_("one person per field: keep one owner and give {others} an action of their own")
        )
    ),
    HANDLE_SCHEMA,
]
LogBy = Annotated[
    str,
    PlainValidator(HandleCheck(N_("one person per item: by: [{all}]"))),
    HANDLE_SCHEMA,
]
IsoDate = Annotated[
    dt.date,
    PlainValidator(_date),
    # written as JSON by the date's own text: pydantic's serializer behind a plain
    # validator warned "Expected `date`" for each date it wrote (kam diff of a kam.yaml
    # with dates, ``model_dump(mode="json")``), though it wrote the same text
    PlainSerializer(dt.date.isoformat, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
Attitude = Annotated[
    AttitudeValue,
    PlainValidator(_attitude),
    WithJsonSchema({"oneOf": [{"type": "integer", "minimum": -3, "maximum": 3}, {"const": "?"}]}),
]
Scale = Annotated[
    int, PlainValidator(_scale), WithJsonSchema({"type": "integer", "minimum": -3, "maximum": 3})
]
OneToFive = Annotated[
    int,
    PlainValidator(_one_to_five),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 5}),
]
Roles = Annotated[
    list[Annotated[str, PlainValidator(_role)]],
    BeforeValidator(_roles_list),
    AfterValidator(_unique_roles),
    WithJsonSchema(
        {
            "type": "array",
            "items": {"enum": [*ROLE_NAMES, *ROLE_LONG]},
        }
    ),
]


CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def _currency(value: str) -> str:
    """A currency code, in kam.yaml (``currency``, ``rates``) and in account.yaml
    (``facts.currency``) alike: three capitals; ``usd`` is refused with the code meant
    (did you mean 'USD'?), never read as another currency. The type (text) is checked
    before, in pydantic's words."""
    if CURRENCY_RE.match(value):
        return value
    from kamtool.errors import did_you_mean

    upper = value.strip().upper()
    meant = upper if CURRENCY_RE.match(upper) else _CURRENCY_NAMES.get(value.strip())
    raise ValueError(
        _(
            "must be a three-letter currency code in capitals, such as EUR or JPY; got {value}"
        ).format(value=_show(value))
        + (did_you_mean(meant, [meant]) if meant else "")
    )


#: currencies written by their names, as a Chinese finance sheet has them -> the code
_CURRENCY_NAMES = {
    "人民币": "CNY",
    "元": "CNY",
    "美元": "USD",
    "欧元": "EUR",
    "日元": "JPY",
    "港币": "HKD",
    "港元": "HKD",
    "英镑": "GBP",
    "新台币": "TWD",
    "韩元": "KRW",
    "瑞士法郎": "CHF",
    "新加坡元": "SGD",
}


Currency = Annotated[
    str,
    AfterValidator(_currency),
    WithJsonSchema({"type": "string", "pattern": CURRENCY_RE.pattern}),
]


#: the largest amount of money kam reads (revenue, a value curve's year, an opportunity's
#: value, a rate): far past any account's, in any currency, and far enough below what a
#: float holds that sums and conversions of a portfolio stay numbers (``1e308`` or
#: ``.inf`` made the portfolio's total infinite and its shares not a number)
MAX_AMOUNT: Final = 10**18
#: an amount of money: a finite number between -MAX_AMOUNT and MAX_AMOUNT
Amount = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_AMOUNT, le=MAX_AMOUNT)]
#: a measure (a target's baseline and goal): any number but ``.inf`` and ``.nan``, which
#: the plan showed as "nan → inf"
Finite = Annotated[float, Field(allow_inf_nan=False)]


#: a name (of a person, the customer, a unit, a competitor, an opportunity) as every
#: output shows it: without the spaces at its ends, ordinary or the full-width one a
#: Chinese input method leaves (``name: 邓海　``), which nobody can see or type. Decided
#: here, where the file is read, for every command and format alike (positions come
#: from the parse tree, not from the value, and stay exact); a check native to
#: pydantic-core, so the fast validation path strips the same.
#: The schema says the same to an editor: at least one character that is not a space.
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    WithJsonSchema({"type": "string", "minLength": 1, "pattern": r"\S"}),
]


class KamModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=False, populate_by_name=True)


def file_key(name: str, model: type[BaseModel]) -> str:
    """A field's key as the file (and kam's JSON) writes it: ``with`` for ``LogEntry.with_``."""
    field = model.model_fields.get(name)
    alias = field.validation_alias if field is not None else None
    return alias if isinstance(alias, str) else name


# ---------------------------------------------------------------- account.yaml
class Facts(KamModel):
    revenue: Amount | None = Field(
        default=None, description="Revenue with us over the last 12 months (a number, in currency)."
    )
    currency: Currency | None = Field(
        default=None,
        description="Currency of revenue, a three-letter code in capitals such as EUR (kam.yaml rates convert it).",
    )
    supplier_position: Literal["sole", "primary", "secondary", "marginal", "none"] | None = Field(
        default=None,
        description="Our position as a supplier: sole, primary, secondary, marginal or none.",
    )
    procurement: Literal["central", "distributed"] | None = Field(
        default=None, description="How the customer buys: central or distributed procurement."
    )
    buying: Literal["recurring", "one-off"] | None = Field(
        default=None, description="Whether the customer buys recurring or one-off."
    )
    product_fit: Literal["high", "medium", "low"] | None = Field(
        default=None,
        description="How well our products fit the customer's needs: high, medium or low.",
    )


class ValuePoint(KamModel):
    year: int = Field(description="The year of this point of the value-return curve.")
    expected: Amount = Field(description="The value we expect from the account in this year.")
    actual: Amount | None = Field(
        default=None,
        description="The value the account actually returned (left out for years not yet closed).",
    )


class Need(KamModel):
    kind: Literal["explicit", "organizational", "individual"] = Field(
        description="Layer of the need: explicit (stated), organizational or individual."
    )
    text: str = Field(description="The need in words.")
    stakeholder: Ref | None = Field(
        default=None, description="Whose need it is: a stakeholder id of this account."
    )


class Competitor(KamModel):
    name: Name = Field(description="The competitor's name (stakeholders' competitor refers to it).")
    notes: str | None = Field(
        default=None, description="Free text about the competitor at this account."
    )


TeamRole = Literal[
    "relationship-lead",
    "entrepreneur",
    "innovator",
    "collaborator",
    "technical-expert",
    "researcher",
    "project-manager",
    "sceptic",
]


TEAM_ROLES: tuple[TeamRole, ...] = get_args(TeamRole)


class TeamMember(KamModel):
    person: TeamHandle = Field(
        description="Handle of a member of our account team, such as li.ming."
    )
    roles: list[TeamRole] = Field(
        default_factory=list,
        description="Their roles in the team (kam.yaml team_roles lists the roles the team should cover).",
    )


FootprintStatus = Literal["ours", "competitor", "open", "none"]


class FootprintCell(KamModel):
    """One cell of the whitespace grid: what a buying centre buys of one of our offerings.

    `ours`: it buys it from us; `competitor`: from a competitor (`competitor` says
    which); `open`: a need we could win; `none`: no need."""

    unit: Ref = Field(description="The buying centre: an org.yaml unit id.")
    offering: OfferingId = Field(description="One of our offerings: an id from kam.yaml offerings.")
    status: FootprintStatus = Field(
        description="ours (it buys from us), competitor (from a competitor), open (a need we could win) or none (no need)."
    )
    competitor: Name | None = Field(
        default=None, description="Which competitor supplies it (with status competitor)."
    )


#: ``tier`` needs a ``tier_reason`` with something besides white space (the check in
#: ``accounts.check_references``), in the schema's words for editors: no tier, a null
#: tier, or a reason. Draft 4's ``dependencies`` would ask a reason of ``tier: null`` too,
#: which kam reads as no tier.
_TIER_NEEDS_REASON: dict[str, JsonValue] = {
    "anyOf": [
        {"not": {"required": ["tier"]}},
        {"properties": {"tier": {"type": "null", "description": "No manual tier."}}},
        {
            "required": ["tier_reason"],
            "properties": {
                "tier_reason": {
                    "type": "string",
                    "pattern": f"[^{_STRIPPED}]",
                    "description": "Why the tier is set by hand: required with tier, not blank.",
                }
            },
        },
    ]
}


class AccountFile(KamModel):
    """account.yaml: the profile and the grading inputs."""

    # a manual tier needs its reason (``check_structure`` says so): editors too
    model_config = ConfigDict(json_schema_extra=_TIER_NEEDS_REASON)

    id: AccountId = Field(description="The account id: must equal the folder name.")
    name: Name = Field(description="The customer's name.")
    industry: str | None = Field(default=None, description="The customer's industry (free text).")
    owner: AccountOwner = Field(description="Our account manager: a handle such as li.ming.")
    stage: Literal["build", "stabilize", "strengthen"] | None = Field(
        default=None, description="Relationship stage: build, stabilize or strengthen."
    )
    reviewed: IsoDate = Field(
        description="When the grading inputs were last reviewed (YYYY-MM-DD)."
    )
    position: OneToFive = Field(
        description="The customer's own standing in its market, 1 (low) to 5 (high): axis 1 of the tier."
    )
    value: OneToFive = Field(
        description="The value of its business with us, 1 (low) to 5 (high): axis 2 of the tier."
    )
    tier: str | None = Field(
        default=None,
        description="Manual override of the computed tier (a tier name from kam.yaml); needs tier_reason.",
    )
    tier_reason: str | None = Field(
        default=None, description="Why the tier is set by hand (required with tier)."
    )
    facts: Facts | None = Field(
        default=None, description="Optional evidence behind position and value."
    )
    value_curve: list[ValuePoint] = Field(
        default_factory=list,
        description="The value-return curve: expected and actual value per year.",
    )
    needs: list[Need] = Field(
        default_factory=list,
        description="The customer's needs in three layers: explicit, organizational, individual.",
    )
    competitors: list[Competitor] = Field(
        default_factory=list, description="Competitors present at the account."
    )
    team: list[TeamMember] = Field(
        default_factory=list, description="Our account team and the roles each member plays."
    )
    footprint: list[FootprintCell] = Field(
        default_factory=list,
        description="Whitespace grid: what each buying centre buys of each of our offerings.",
    )


# ---------------------------------------------------------------- org.yaml
class Unit(KamModel):
    id: UnitId = Field(description="The unit's id, unique in org.yaml.")
    name: Name = Field(description="The unit's name.")
    parent: Ref | None = Field(
        default=None, description="The unit this one belongs to: another unit id."
    )
    buying_center: bool = Field(
        default=False,
        description="true when the unit buys on its own (a row of the whitespace grid).",
    )


class OrgFile(KamModel):
    """org.yaml: organisation units."""

    units: list[Unit] = Field(
        default_factory=list, description="The customer's organisation units."
    )


# ---------------------------------------------------------------- stakeholders.yaml
class Stakeholder(KamModel):
    id: Slug = Field(description="The person's id, unique in the account, such as zhang-wei.")
    name: Name = Field(description="The person's name.")
    title: str | None = Field(default=None, description="Job title.")
    unit: Ref | None = Field(
        default=None, description="Their organisation unit: an id from org.yaml."
    )
    reports_to: Ref | None = Field(
        default=None,
        description="Their manager: a stakeholder id (the org chart's reporting line).",
    )
    roles: Roles = Field(
        default_factory=list,
        description="Power-map roles: D decision maker, S sponsor/user, E evaluator, I influencer, C coach (long forms accepted).",
    )
    buying_roles: list[
        Literal["initiator", "user", "influencer", "decider", "approver", "buyer", "gatekeeper"]
    ] = Field(
        default_factory=list,
        description="Roles in the buying process: initiator, user, influencer, decider, approver, buyer, gatekeeper.",
    )
    attitude: Attitude = Field(
        description='Support for us, -3 (active opponent) to +3 (exclusive supporter), or "?" if not yet known.'
    )
    intimacy: Attitude = Field(
        default=UNKNOWN,
        description='Closeness of the relationship, -3 to +3, or "?" if not yet known (the default).',
    )
    layer: Literal["key", "general", "organizational"] = Field(
        default="key",
        description="Relationship layer: key (the default), general or organizational.",
    )
    owner: PersonOwner | None = Field(
        default=None, description="Our primary relationship owner (A role): a handle."
    )
    backup: PersonBackup | None = Field(
        default=None, description="Our backup owner (B role): a handle, different from owner."
    )
    sponsor: PersonSponsor | None = Field(
        default=None, description="Our executive sponsor for this person: a handle."
    )
    channels: list[str] = Field(
        default_factory=list, description="Independent information channels to this person."
    )
    influences: list[Ref] = Field(
        default_factory=list,
        description="Hidden decision chain: ids of the people whose decisions this person sways.",
    )
    competitor: Name | None = Field(
        default=None,
        description="The competitor this person backs (a name from account.yaml competitors).",
    )
    in_post_since: IsoDate | None = Field(
        default=None, description="When they took their current post (YYYY-MM-DD)."
    )
    left_on: IsoDate | None = Field(
        default=None,
        description="When they left the post or the company: kept for history, no longer counted.",
    )
    last_contact: IsoDate | None = Field(
        default=None, description="Last real contact by anyone on our side (YYYY-MM-DD)."
    )
    reviewed: IsoDate | None = Field(
        default=None, description="When this entry was last confirmed accurate (YYYY-MM-DD)."
    )
    notes: str | None = Field(default=None, description="Free text about the person.")
    crm_id: str | None = Field(
        default=None,
        description="The person's id in the CRM they were imported from; unique in the account.",
    )
    personal: dict[str, Any] | None = Field(  # free-form: whatever the team records
        default=None,
        description="Private details (interests, family...): never shown unless --include-personal is given.",
    )

    @property
    def current(self) -> bool:
        return self.left_on is None

    def left_by(self, today: dt.date) -> bool:
        """Whether they have left by ``today``: a ``left_on`` still in the future is an
        announced departure (KAM120), and until then the person counts as before."""
        return self.left_on is not None and self.left_on <= today

    @property
    def is_key(self) -> bool:
        return self.layer == "key" and self.left_on is None

    @property
    def channel_count(self) -> int:
        """The independent information channels (SPEC 2, KAM105): one channel written twice
        (``email`` and ``Email``, or with other spacing) is one, and a blank entry is none,
        or a copied line would pass for the second channel the method asks for."""
        channels = self.channels
        if not channels:
            return 0
        return len({" ".join(c.split()).casefold() for c in channels} - {""})

    def repeated_channel(self) -> str | None:
        """The first channel listed again (as written there), else None."""
        seen: set[str] = set()
        for c in self.channels:
            norm = " ".join(c.split()).casefold()
            if norm and norm in seen:
                return " ".join(c.split())
            seen.add(norm)
        return None

    @property
    def attitude_level(self) -> int | None:
        """The attitude as a number, None when not yet known (``level``, inlined: grading
        and the rules ask this some 130 times an account)."""
        value = self.attitude
        return value if isinstance(value, int) else None

    @property
    def intimacy_level(self) -> int | None:
        """The intimacy as a number, None when not yet known."""
        value = self.intimacy
        return value if isinstance(value, int) else None

    @property
    def attitude_known(self) -> bool:
        return self.attitude != UNKNOWN

    def attitude_at_least(self, minimum: int) -> bool:
        """Whether the attitude is known and at least ``minimum`` (an unknown one never is)."""
        number = self.attitude_level
        return number is not None and number >= minimum

    def intimacy_at_least(self, minimum: int) -> bool:
        """Whether the intimacy is known and at least ``minimum``."""
        number = self.intimacy_level
        return number is not None and number >= minimum

    @property
    def attitude_text(self) -> str:
        """'+2', '0', '-1' or '?'."""
        return scale_text(self.attitude)

    @property
    def intimacy_text(self) -> str:
        return scale_text(self.intimacy)


class StakeholdersFile(KamModel):
    """stakeholders.yaml: the people, their roles and attitudes."""

    stakeholders: list[Stakeholder] = Field(
        default_factory=list,
        description="The customer's people: roles, attitudes and reporting lines.",
    )


# ---------------------------------------------------------------- targets.yaml
class Target(KamModel):
    id: TargetId = Field(description="The target's id, unique in targets.yaml.")
    kind: Literal["beachhead", "share", "profit", "competition", "relationship"] = Field(
        description="beachhead, share, profit, competition or relationship."
    )
    text: str = Field(description="The target in words.")
    metric: str | None = Field(default=None, description="What is measured.")
    baseline: int | Finite | str | None = Field(
        default=None, description="Where the metric stands now."
    )
    goal: int | Finite | str | None = Field(
        default=None, description="Where the metric should be by due."
    )
    due: IsoDate = Field(description="When the target is due (YYYY-MM-DD).")
    owner: TargetOwner = Field(description="Who on our side owns the target: a handle.")


class RelationshipGoal(KamModel):
    stakeholder: Ref = Field(description="The person: a stakeholder id.")
    attitude: Scale = Field(description="The attitude they should have by the date, -3 to +3.")
    intimacy: Scale | None = Field(
        default=None, description="The intimacy they should have by the date, -3 to +3 (optional)."
    )
    by: IsoDate = Field(description="The date the goal is due (YYYY-MM-DD).")
    owner: GoalOwner = Field(description="Who on our side owns the goal: a handle.")

    def reached_by(self, person: Stakeholder, today: dt.date) -> bool:
        """Whether ``person`` is where this goal wants them on ``today``: attitude (and
        intimacy, when the goal names one) known and at least the goal's; an unknown one
        has not reached it. Nor has someone who has left by ``today``: the attitude they
        left with wins us nothing, and a goal for them is closed or moved to the successor
        (KAM115), never achieved (``kam plan`` had it "reached: yes", and the agenda then
        left out the step to close it)."""
        if person.left_by(today):
            return False
        if not person.attitude_at_least(self.attitude):
            return False
        return self.intimacy is None or person.intimacy_at_least(self.intimacy)

    @property
    def target_text(self) -> str:
        """What the goal asks for, as people read it: "attitude +2, intimacy 0" (the
        agenda, the diff)."""
        text = _("attitude {value}").format(value=scale_text(self.attitude))
        if self.intimacy is not None:
            text += _(", intimacy {value}").format(value=scale_text(self.intimacy))
        return text


class Action(KamModel):
    id: TargetId = Field(description="The action's id, unique in targets.yaml.")
    text: str = Field(description="What is to be done.")
    owner: ActionOwner = Field(description="Who does it: a handle.")
    due: IsoDate = Field(description="When it is due (YYYY-MM-DD).")
    status: Literal["planned", "doing", "done", "dropped"] = Field(
        description="planned, doing, done or dropped."
    )
    stakeholder: Ref | None = Field(
        default=None, description="The person it is aimed at: a stakeholder id."
    )
    target: Ref | None = Field(default=None, description="The target it serves: a target id.")


class Opportunity(KamModel):
    id: OpportunityId = Field(description="The opportunity's id, unique in targets.yaml.")
    name: Name = Field(description="The opportunity's name.")
    pbip: IsoDate = Field(description="The customer's investment decision date (PBIP, YYYY-MM-DD).")
    ready: IsoDate = Field(
        description="When our offer can be delivered (YYYY-MM-DD); after pbip is too late."
    )
    value: Amount | None = Field(default=None, description="The opportunity's value.")


class BigPlay(KamModel):
    kind: Literal["strengthen", "new-relationships", "raise-value", "displace", "block"] = Field(
        description="strengthen, new-relationships, raise-value, displace or block."
    )
    text: str = Field(description="The play in words.")


class Strategy(KamModel):
    """RAIN's strategy questions: the relationship level now and the level the
    goals need (1..5), strengths, weaknesses and the big play."""

    level: OneToFive | None = Field(
        default=None, description="The overall relationship level now, 1 to 5."
    )
    needed_level: OneToFive | None = Field(
        default=None, description="The relationship level the goals need, 1 to 5."
    )
    strengths: list[str] = Field(default_factory=list, description="Our strengths at the account.")
    weaknesses: list[str] = Field(
        default_factory=list, description="Our weaknesses at the account."
    )
    big_play: list[BigPlay] = Field(
        default_factory=list, description="The big play: what we will do to reach the needed level."
    )


class TargetsFile(KamModel):
    """targets.yaml: targets, relationship goals, actions, opportunities, strategy."""

    period: str | int | None = Field(
        default=None, description="The planning period, such as 2027 or 2027-H1."
    )
    targets: list[Target] = Field(default_factory=list, description="Targets for the period.")
    relationship_goals: list[RelationshipGoal] = Field(
        default_factory=list,
        description="Where a person's attitude (and intimacy) should be by a date.",
    )
    actions: list[Action] = Field(
        default_factory=list, description="Actions with owner, due date and status."
    )
    opportunities: list[Opportunity] = Field(
        default_factory=list,
        description="Opportunities with the customer's decision date and our ready date.",
    )
    strategy: Strategy | None = Field(
        default=None,
        description="RAIN's strategy questions: relationship level now and needed, strengths, weaknesses, big play.",
    )


# ---------------------------------------------------------------- log.yaml (v2)
LOG_KINDS = ("meeting", "call", "email", "visit", "event", "executive-meeting", "other")
LogKind = Literal["meeting", "call", "email", "visit", "event", "executive-meeting", "other"]


class LogEntry(KamModel):
    """One contact: when, with whom of the customer's people, by whom of ours."""

    date: IsoDate = Field(description="When the contact happened (YYYY-MM-DD); not in the future.")
    #: ``with`` in the file and in JSON (a Python keyword): ``LogEntry(with_=[...])`` or
    #: ``LogEntry.model_validate({"with": [...]})`` build one, ``entry.with_`` reads it and
    #: ``model_dump(by_alias=True)`` writes ``with`` again (validation and serialisation
    #: aliases, not ``alias``: type checkers then take ``with_`` as the keyword it is)
    with_: list[Ref] = Field(
        validation_alias="with",
        serialization_alias="with",
        min_length=1,
        description="The customer's people who took part: stakeholder ids (at least one).",
    )
    by: list[LogBy] = Field(
        min_length=1, description="Our people who took part: handles (at least one)."
    )
    kind: LogKind = Field(
        default="meeting",
        description="meeting (the default), call, email, visit, event, executive-meeting or other.",
    )
    summary: str | None = Field(default=None, description="What was said or learned.")
    next: str | None = Field(default=None, description="The agreed next step.")


class LogFile(KamModel):
    """log.yaml: the interaction log, oldest first; `kam log` appends at the end."""

    entries: list[LogEntry] = Field(
        default_factory=list, description="Contacts, oldest first; kam log appends at the end."
    )


FILE_MODELS: dict[str, type[KamModel]] = {
    "account": AccountFile,
    "stakeholders": StakeholdersFile,
    "org": OrgFile,
    "targets": TargetsFile,
    "log": LogFile,
}
