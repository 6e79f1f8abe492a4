"""kam.yaml: tiers, focus tiers, freshness thresholds, score weights, rule policy."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Annotated, Final, Literal

from pydantic import Field, PlainValidator, WithJsonSchema, model_validator

from kamtool.i18n import _, aside, listed
from kamtool.load.models import (
    HANDLE_SCHEMA,
    TEAM_ROLES,
    Currency,
    IsoDate,
    KamModel,
    Name,
    OfferingId,
    TeamRole,
    _handle,
    _show,
)

#: a count and its unit; at most 99999 days, 9999 weeks or months, 999 years: far past any
#: threshold a team means (turn the rule off instead), and within the dates Python can
#: count to (``reviewed + warn_after`` past the year 9999 stopped ``kam agenda``)
DURATION_RE = re.compile(r"^(\d{1,5})(d)$|^(\d{1,4})([wm])$|^(\d{1,3})(y)$", re.ASCII)
MAX_DURATION_DAYS = 99999
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


def _duration(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_DURATION_DAYS:
        return value
    if isinstance(value, str):
        m = DURATION_RE.match(value.strip())
        if m:
            count, unit = (g for g in m.groups() if g is not None)
            return int(count) * _UNIT_DAYS[unit]
    meant = _duration_meant(value)
    raise ValueError(
        _(
            "must be a duration such as 30d, 6w, 3m (30-day months) or 1y, at most 99999d, "
            "9999w, 9999m or 999y; got {value}"
        ).format(value=_show(value))
        + (_(" (write {duration})").format(duration=meant) if meant else "")
    )


def _focus_note(name: str, names: Iterable[str]) -> str:
    """ " (did you mean 'A'?)" for a focus tier that is a defined one but for the case or
    full-width letters (``ａ``), else the note on a full-width separator in it
    (``[S， A]``, one item where two were meant), else ""."""
    from kamtool.errors import did_you_mean
    from kamtool.load.slips import full_width_note

    note = full_width_note(name)
    return aside(note) if note else did_you_mean(name, names)


#: a duration's unit in words, as people type it (``60天``, ``3个月``, ``30 days``), the
#: longer first
_UNIT_WORDS = (
    ("months", "m"),
    ("month", "m"),
    ("weeks", "w"),
    ("week", "w"),
    ("years", "y"),
    ("year", "y"),
    ("days", "d"),
    ("day", "d"),
    ("个月", "m"),
    ("個月", "m"),
    ("星期", "w"),
    ("天", "d"),
    ("日", "d"),
    ("周", "w"),
    ("週", "w"),
    ("月", "m"),
    ("年", "y"),
)


def _duration_meant(value: object) -> str | None:
    """The duration a text that is none most likely means: in full-width characters
    (``３０d``), with a space or a capital (``30 D``), or its unit in words (``60天``,
    ``3个月``, ``30 days``); None when it is no such slip."""
    import unicodedata

    if not isinstance(value, str):
        return None
    text = "".join(unicodedata.normalize("NFKC", value).split()).lower()
    for word, unit in _UNIT_WORDS:
        if text.endswith(word):
            text = text[: -len(word)] + unit
            break
    if text == value.strip() or not DURATION_RE.match(text):
        return None
    return text


Duration = Annotated[
    int,
    PlainValidator(_duration),
    WithJsonSchema(
        {
            "oneOf": [
                # kam reads the text with the spaces around it stripped, as YAML would
                # have given it unquoted
                {"type": "string", "pattern": r"^\s*(\d{1,5}d|\d{1,4}[wm]|\d{1,3}y)\s*$"},
                {"type": "integer", "minimum": 0, "maximum": MAX_DURATION_DAYS},
            ]
        }
    ),
]

SCORE_COMPONENTS: dict[str, int] = {
    "decision_makers": 35,
    "weighted_support": 20,
    "known_attitudes": 7,
    "ab_cover": 7,
    "channels": 6,
    "coach": 5,
    "competitive_standing": 10,
    "freshness": 10,
}


class TierDef(KamModel):
    name: str = Field(description="The tier's name, such as S.")
    label: str | None = Field(default=None, description="The tier's label, such as Strategic.")
    position: int = Field(ge=1, le=5, description="Minimum position (1 to 5) for this tier.")
    value: int = Field(ge=1, le=5, description="Minimum value (1 to 5) for this tier.")


class Threshold(KamModel):
    """dbt-style freshness: older than warn_after warns, older than error_after fails."""

    warn_after: Duration = Field(
        description="Older than this warns: a duration such as 30d, 2w, 3m (30-day months), 1y, or days."
    )
    error_after: Duration = Field(
        description="Older than this is an error: a duration such as 60d, 2m, 1y, or days."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Threshold:
        if self.error_after < self.warn_after:
            raise ValueError(_("error_after must not be shorter than warn_after"))
        return self


class ContactThresholds(KamModel):
    focus: Threshold = Field(
        default=Threshold(warn_after=30, error_after=60),
        description="Last-contact thresholds for people at accounts of the focus tiers (KAM201).",
    )
    other: Threshold = Field(
        default=Threshold(warn_after=90, error_after=180),
        description="Last-contact thresholds for people at other accounts (KAM201).",
    )


class Freshness(KamModel):
    last_contact: ContactThresholds = Field(
        default=ContactThresholds(),
        description="How old a key person's last contact may be (KAM201).",
    )
    stakeholder_reviewed: Threshold = Field(
        default=Threshold(warn_after=90, error_after=180),
        description="How old a stakeholder's reviewed date may be (KAM202).",
    )
    account_reviewed: Threshold = Field(
        default=Threshold(warn_after=365, error_after=450),
        description="How old account.yaml's reviewed date may be (KAM203).",
    )
    #: v2, KAM205: how often an executive sponsor should meet their counterpart
    sponsor_touch: Threshold = Field(
        default=Threshold(warn_after=180, error_after=365),
        description="How often an executive sponsor should meet their counterpart (KAM205).",
    )


class ScoreWeights(KamModel):
    decision_makers: int = Field(
        default=35, ge=0, le=100, description="Points for decision makers' attitude (default 35)."
    )
    weighted_support: int = Field(
        default=20, ge=0, le=100, description="Points for support weighted by role (default 20)."
    )
    known_attitudes: int = Field(
        default=7, ge=0, le=100, description="Points for attitudes known (default 7)."
    )
    ab_cover: int = Field(
        default=7, ge=0, le=100, description="Points for A/B owner cover of key people (default 7)."
    )
    channels: int = Field(
        default=6,
        ge=0,
        le=100,
        description="Points for independent information channels (default 6).",
    )
    coach: int = Field(
        default=5, ge=0, le=100, description="Points for having a coach (default 5)."
    )
    competitive_standing: int = Field(
        default=10,
        ge=0,
        le=100,
        description="Points for standing against competitors (default 10).",
    )
    freshness: int = Field(
        default=10, ge=0, le=100, description="Points for recent contact (default 10)."
    )

    @model_validator(mode="after")
    def _sum_is_100(self) -> ScoreWeights:
        total = sum(getattr(self, name) for name in SCORE_COMPONENTS)
        if total != 100:
            raise ValueError(
                _("score weights must sum to 100; they sum to {total}").format(total=total)
            )
        return self


#: the largest rate: one unit of a currency worth a billion of the base currency (amounts
#: are at most ``MAX_AMOUNT``: their conversions stay numbers)
MAX_RATE: Final = 10**9

RuleSetting = Literal["off", "error", "warning", "info"]

MONTH_DAY_RE = re.compile(r"^(\d{2})-(\d{2})$")


def _month_day(value: object) -> str:
    if isinstance(value, str):
        m = MONTH_DAY_RE.match(value)
        if m:
            try:  # 2000 is a leap year: 02-29 is a day of some years
                dt.date(2000, int(m.group(1)), int(m.group(2)))
                return value
            except ValueError:
                message = _("{value!r} is not a day of the year").format(value=value)
                raise ValueError(message) from None
    if isinstance(value, dt.date):  # 2026-03-31 is a date of one year, not a day of every year
        raise ValueError(
            _(
                "must be a day of the year MM-DD, without the year; got {value} (did you mean {day!r}?)"
            ).format(value=_show(value), day=f"{value.month:02d}-{value.day:02d}")
        )
    raise ValueError(
        _("must be a day of the year MM-DD such as 03-31; got {value}").format(value=_show(value))
    )


#: the days of the year MM-DD as a pattern (02-29 included), for editors: the schema
#: refuses 13-01 and 02-30 as kam does
_DAYS_OF_THE_YEAR = (
    r"^(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-9])"
    r"|(?:0[13-9]|1[0-2])-30"
    r"|(?:0[13578]|1[02])-31)$"
)

MonthDay = Annotated[
    str,
    PlainValidator(_month_day),
    WithJsonSchema({"type": "string", "pattern": _DAYS_OF_THE_YEAR}),
]


class Offering(KamModel):
    """Something we sell: a column of the whitespace grid (`footprint` in account.yaml)."""

    id: OfferingId = Field(description="The offering's id (account.yaml footprint refers to it).")
    name: Name = Field(description="The offering's name (a column heading of the grid).")


class Planning(KamModel):
    #: the three-piece set for year Y is due by this day of Y (DOMAIN 6: end of March)
    deadline: MonthDay = Field(
        default="03-31",
        description="The plan for year Y is due by this day of Y, MM-DD (default 03-31).",
    )

    def deadline_in(self, year: int) -> dt.date:
        """The deadline as a date of ``year`` (02-29 is 02-28 in other years)."""
        import calendar

        month, day = (int(x) for x in self.deadline.split("-"))
        if (month, day) == (2, 29) and not calendar.isleap(year):
            day = 28
        return dt.date(year, month, day)

    @staticmethod
    def year_in_preparation(today: dt.date) -> int:
        """The year whose three-piece set is written on ``today`` when no targets.yaml
        names one (``kam plan``'s title, ``kam init``'s `period`): next year from October,
        when the set is drafted to be issued at year end (DOMAIN 6), else this year: the
        plan KAM306 asks for until then ("the 2028 plan was due by 2028-03-31"). Always
        next year, a plan drafted in February 2028, in the middle of the 2028 planning,
        was titled 2029."""
        return today.year + (1 if today.month >= 10 else 0)


DEFAULT_TIERS = [
    TierDef(name="S", label="Strategic", position=4, value=4),
    TierDef(name="A", label="Partner", position=3, value=3),
    TierDef(name="B", label="Value", position=1, value=2),
    TierDef(name="C", label="General", position=1, value=1),
]


#: a colleague of ours in ``colleagues_leaving``: one handle a key
LeaverHandle = Annotated[str, PlainValidator(_handle), HANDLE_SCHEMA]


class Config(KamModel):
    """kam.yaml, the team's settings: every key is optional (the README's kam.yaml section
    lists the defaults)."""

    accounts: str = Field(
        default="accounts", description="The folder where account folders live (default accounts)."
    )
    tiers: list[TierDef] = Field(
        default_factory=lambda: list(DEFAULT_TIERS),
        min_length=1,
        description="Tiers in order, first match wins: name, label and the minimum position and value.",
    )
    focus_tiers: list[str] = Field(
        default_factory=lambda: ["S", "A"],
        description="The tiers that get the most attention (default S and A).",
    )
    freshness: Freshness = Field(
        default=Freshness(), description="Freshness thresholds for contacts and reviews."
    )
    score: ScoreWeights = Field(
        default=ScoreWeights(),
        description="Weights of the relationship score's components; must sum to 100.",
    )
    rules: dict[str, RuleSetting] = Field(
        default_factory=dict,
        description="Severity per rule code: off, error, warning or info (KAM001-KAM006 cannot be changed).",
    )
    max_file_size: int = Field(
        default=5_000_000,
        ge=1_000,
        description="Largest file kam reads, in bytes; larger files are refused.",
    )
    new_in_post_days: int = Field(
        default=90,
        ge=0,
        description="Someone in post for this many days or fewer is new in post (KAM111, kam agenda; default 90).",
    )
    #: the output language (SPEC 4); None: --lang, else the locale (LANG), else en
    language: Literal["en", "zh-CN"] | None = Field(
        default=None, description="Output language: en or zh-CN (default: --lang, else the locale)."
    )
    currency: Currency | None = Field(
        default=None, description="The portfolio's base currency, a three-letter code such as EUR."
    )
    # what one unit of each currency is worth in ``currency``; a rate is positive
    rates: dict[Currency, Annotated[float, Field(gt=0, le=MAX_RATE, allow_inf_nan=False)]] = Field(
        default_factory=dict,
        description="What one unit of each currency is worth in currency; revenue without a rate is never added in.",
    )
    team_roles: list[TeamRole] = Field(
        default_factory=lambda: list(TEAM_ROLES),
        description="The roles an account team should cover.",
    )
    planning: Planning = Field(default=Planning(), description="When the annual plan is due.")
    offerings: list[Offering] = Field(
        default_factory=list, description="What we sell: the columns of the whitespace grid."
    )
    #: our colleagues who leave (or have left) the company, by handle, with their last day:
    #: every account, person, target, goal and open action still in their name is KAM122
    colleagues_leaving: dict[LeaverHandle, IsoDate] = Field(
        default_factory=dict,
        description="Colleagues of ours who leave the company: handle -> last day (YYYY-MM-DD). What is still in their name is KAM122.",
    )

    def tier(self, name: str | None) -> TierDef | None:
        for t in self.tiers:
            if t.name == name:
                return t
        return None

    def is_focus(self, tier: str | None) -> bool:
        return tier is not None and tier in self.focus_tiers

    def turns_off(self, code: str) -> bool:
        """Whether ``rules:`` turns the rule ``code`` off (``code: off``)."""
        return self.rules.get(code) == "off"


def check_config_semantics(config: Config) -> list[tuple[tuple, str]]:
    """Cross-field problems pydantic cannot see: (path, message) pairs."""
    problems: list[tuple[tuple, str]] = []
    names = [t.name for t in config.tiers]
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            problems.append(
                (("tiers", i, "name"), _("tier {name!r} is defined twice").format(name=name))
            )
        seen.add(name)
    defined = list(dict.fromkeys(names))
    if "focus_tiers" not in config.model_fields_set:
        # a table of tiers of its own, and focus_tiers left at its default (S, A): one
        # problem at the tiers the user wrote, naming the key to add, not two at line 1
        missing = [name for name in config.focus_tiers if name not in names]
        if missing:
            problems.append(
                (
                    ("tiers",),
                    _(
                        "focus_tiers is not set, and its default ({default}) names {missing}, "
                        "which these tiers ({names}) do not have: add focus_tiers with the "
                        "tiers that get the most attention, such as focus_tiers: [{first}]"
                    ).format(
                        default=listed(config.focus_tiers),
                        missing=listed(missing),
                        names=listed(defined),
                        first=defined[0],
                    ),
                )
            )
    else:
        for i, name in enumerate(config.focus_tiers):
            if name not in names:
                problems.append(
                    (
                        ("focus_tiers", i),
                        _("focus tier {name!r} is not a defined tier ({names})").format(
                            name=name, names=listed(defined)
                        )
                        + _focus_note(name, names),
                    )
                )
    seen_offerings: set[str] = set()
    for i, offering in enumerate(config.offerings):
        if offering.id in seen_offerings:
            problems.append(
                (
                    ("offerings", i, "id"),
                    _("offering {id!r} is defined twice").format(id=offering.id),
                )
            )
        seen_offerings.add(offering.id)
    if config.rates and config.currency is None:
        # without a base, the rates would be read against the currency most accounts use
        # that day: the portfolio's totals would change meaning with the mix of accounts
        problems.append(
            (
                ("rates",),
                _(
                    "rates say what one unit of each currency is worth in currency, which is "
                    "not set: add currency: with the currency of the rates, such as "
                    "currency: EUR"
                ),
            )
        )
    for currency, rate in config.rates.items():
        if currency == config.currency and rate != 1:
            problems.append(
                (
                    ("rates", currency),
                    _(
                        "{currency} is the base currency (currency: {currency}): one "
                        "{currency} is 1 {currency}; delete this rate"
                    ).format(currency=currency),
                )
            )
        if not rate > 0:
            problems.append(
                (
                    ("rates", currency),
                    _("rate for {currency} must be above 0").format(currency=currency),
                )
            )
    # one colleague, one last day: two spellings of a handle (wang.fang, Wang.Fang) gave
    # two days, and the later entry silently won
    from kamtool.load.models import handle_key

    spelt: dict[str, str] = {}
    for handle in config.colleagues_leaving:
        first = spelt.setdefault(handle_key(handle), handle)
        if first != handle:
            problems.append(
                (
                    ("colleagues_leaving", handle),
                    _(
                        "{handle!r} is {first!r} written another way: one colleague, one "
                        "entry with their last day"
                    ).format(handle=handle, first=first),
                )
            )
    return problems + rule_code_problems(config.rules)


def rule_code_problems(codes: Iterable[object]) -> list[tuple[tuple, str]]:
    """The codes of kam.yaml's ``rules:`` that name no rule it may set (an unknown code,
    a loader's code), as (path, message) pairs. They need nothing else of kam.yaml to be
    valid: ``load_config`` asks this of the ``rules:`` it read when the schema failed
    too, so a kam.yaml with a misspelt level and a misspelt code says both at once, not
    one per CI run."""
    from kamtool.catalogue import RULES, STRUCTURAL

    problems: list[tuple[tuple, str]] = []
    for code in codes:
        if not isinstance(code, str):  # the schema says what is wrong with it
            continue
        if code not in RULES:
            from kamtool.catalogue import code_meant
            from kamtool.errors import did_you_mean

            hint = did_you_mean(code_meant(code), RULES)
            problems.append(
                (
                    ("rules", code),
                    _("unknown rule code {code!r}{hint}").format(code=code, hint=hint),
                )
            )
        elif code in STRUCTURAL:
            message = (
                # KAM007 is no broken file: a misspelt code in a comment, fixed there
                _(
                    "{code} reports a `# kam: disable=` comment that names no rule: correct "
                    "the comment; kam.yaml cannot change it or turn it off"
                )
                if RULES[code].severity != "error"
                else _("{code} reports a broken file and cannot be changed or turned off")
            )
            problems.append((("rules", code), message.format(code=code)))
    return problems
