"""The file formats of SPEC section 1, as pydantic models.

The same models validate files, produce ``kam schema`` and feed analysis.
Strict mode: YAML already types scalars, so ``"3"`` is not silently an int and
``20261001`` is not silently a date.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
)

from kamtool.i18n import _
from kamtool.load.ids import SLUG_PATTERN, is_slug

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: dates written in another common form, each read one way only (year, month, day):
#: 2026/11/05, 2026.11.05, 2026-11-5, 05.11.2026 (day first, as where dots are used),
#: 2026年11月5日
_OTHER_DATE_FORMS = (
    (re.compile(r"(\d{4})([/.-])(\d{1,2})\2(\d{1,2})"), (1, 3, 4)),
    (re.compile(r"(\d{1,2})(\.)(\d{1,2})\.(\d{4})"), (4, 3, 1)),
    (re.compile(r"(\d{4})(年)(\d{1,2})月(\d{1,2})日"), (1, 3, 4)),
)
#: a number written as text: "+2", "-1", " 3"
_QUOTED_NUMBER = re.compile(r"\s*([+-]?\d+)\s*")
UNKNOWN: Final = "?"

ROLE_LONG = {
    "decision-maker": "D",
    "sponsor": "S",
    "evaluator": "E",
    "influencer": "I",
    "coach": "C",
}
ROLE_NAMES = {v: k for k, v in ROLE_LONG.items()}


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


def _slug(value: object) -> str:
    if isinstance(value, str) and is_slug(value):
        return value
    if not isinstance(value, str):
        raise ValueError(_not(_("must be an id (a text such as 'zhang-wei')"), value))
    raise ValueError(
        _(
            "{value!r} is not a valid id: use lowercase letters, digits, '.', '_' and '-', "
            "starting with a letter or digit"
        ).format(value=value)
    )


def _handle(value: object) -> str:
    if isinstance(value, str) and value.strip():
        return value
    raise ValueError(_not(_("must be a person's handle such as 'li.ming'"), value))


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError(_("must be a date YYYY-MM-DD without a time"))
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and DATE_RE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            message = _("{value!r} is not a real calendar date").format(value=value)
            raise ValueError(message) from None
    if isinstance(value, str):
        iso = iso_form(value)
        if iso is not None:
            raise ValueError(
                _("must be a date YYYY-MM-DD, not {value}: write {iso}").format(
                    value=_show(value), iso=iso
                )
            )
        raise ValueError(_("must be a date YYYY-MM-DD, not {value}").format(value=_show(value)))
    raise ValueError(_not(_("must be a date YYYY-MM-DD"), value))


def iso_form(text: str) -> str | None:
    """The ISO form (YYYY-MM-DD) of a date written in another common form, when the text
    reads as exactly one real date that way; else None (no guess at 05/11/2026, which
    is 5 November in one country and May 11 in another)."""
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
    """ " (written as text: remove the quotes)" for a number in quotes on the scale, else ""."""
    if isinstance(value, str):
        found = _QUOTED_NUMBER.fullmatch(value)
        if found is not None and low <= int(found.group(1)) <= high:
            return _(" (a text: write {number} without quotes)").format(number=found.group(1))
    return ""


def _attitude(value: object) -> AttitudeValue:
    if isinstance(value, int) and not isinstance(value, bool) and -3 <= value <= 3:
        return value
    if value == UNKNOWN and isinstance(value, str):
        return UNKNOWN
    raise ValueError(
        _('must be a whole number from -3 to 3, or "?" if not yet known; got {value}').format(
            value=_show(value)
        )
        + _unquoted(value, -3, 3)
    )


def _scale(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and -3 <= value <= 3:
        return value
    raise ValueError(
        _("must be a whole number from -3 to 3; got {value}").format(value=_show(value))
        + _unquoted(value, -3, 3)
    )


def _one_to_five(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return value
    raise ValueError(
        _("must be a whole number from 1 to 5; got {value}").format(value=_show(value))
        + _unquoted(value, 1, 5)
    )


def _roles(value: object) -> list[str]:
    if not isinstance(value, list):
        raise ValueError(_not(_("must be a list of roles such as [D, C]"), value))
    out: list[str] = []
    for item in value:
        if isinstance(item, str) and item in ROLE_NAMES:
            code = item
        elif isinstance(item, str) and item in ROLE_LONG:
            code = ROLE_LONG[item]
        else:
            raise ValueError(
                _(
                    "unknown role {value}: use D, S, E, I, C or decision-maker, sponsor, "
                    "evaluator, influencer, coach"
                ).format(value=_show(item))
            )
        if code not in out:
            out.append(code)
    return out


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
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


Slug = Annotated[
    str,
    PlainValidator(_slug),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN}),
]
Handle = Annotated[str, PlainValidator(_handle), WithJsonSchema({"type": "string", "minLength": 1})]
IsoDate = Annotated[
    dt.date,
    PlainValidator(_date),
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
    list[str],
    PlainValidator(_roles),
    WithJsonSchema(
        {
            "type": "array",
            "items": {"enum": [*ROLE_NAMES, *ROLE_LONG]},
        }
    ),
]


class KamModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=False, populate_by_name=True)


# ---------------------------------------------------------------- account.yaml
class Facts(KamModel):
    revenue: float | None = None
    currency: str | None = None
    supplier_position: Literal["sole", "primary", "secondary", "marginal", "none"] | None = None
    procurement: Literal["central", "distributed"] | None = None
    buying: Literal["recurring", "one-off"] | None = None
    product_fit: Literal["high", "medium", "low"] | None = None


class ValuePoint(KamModel):
    year: int
    expected: float
    actual: float | None = None


class Need(KamModel):
    kind: Literal["explicit", "organizational", "individual"]
    text: str
    stakeholder: Slug | None = None


class Competitor(KamModel):
    name: str
    notes: str | None = None


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
    person: Handle
    roles: list[TeamRole] = Field(default_factory=list)


FootprintStatus = Literal["ours", "competitor", "open", "none"]


class FootprintCell(KamModel):
    """One cell of the whitespace grid: what a buying centre buys of one of our offerings.

    ``ours``: it buys it from us; ``competitor``: from a competitor (``competitor`` says
    which); ``open``: a need we could win; ``none``: no need."""

    unit: Slug
    offering: Slug
    status: FootprintStatus
    competitor: str | None = None


class AccountFile(KamModel):
    """account.yaml: the profile and the grading inputs."""

    id: Slug
    name: str
    industry: str | None = None
    owner: Handle
    stage: Literal["build", "stabilize", "strengthen"] | None = None
    reviewed: IsoDate
    position: OneToFive
    value: OneToFive
    tier: str | None = None
    tier_reason: str | None = None
    facts: Facts | None = None
    value_curve: list[ValuePoint] = Field(default_factory=list)
    needs: list[Need] = Field(default_factory=list)
    competitors: list[Competitor] = Field(default_factory=list)
    team: list[TeamMember] = Field(default_factory=list)
    footprint: list[FootprintCell] = Field(default_factory=list)


# ---------------------------------------------------------------- org.yaml
class Unit(KamModel):
    id: Slug
    name: str
    parent: Slug | None = None
    buying_center: bool = False  # buys on its own: a row of the whitespace grid


class OrgFile(KamModel):
    """org.yaml: organisation units."""

    units: list[Unit] = Field(default_factory=list)


# ---------------------------------------------------------------- stakeholders.yaml
class Stakeholder(KamModel):
    id: Slug
    name: str
    title: str | None = None
    unit: Slug | None = None
    reports_to: Slug | None = None
    roles: Roles = Field(default_factory=list)
    buying_roles: list[
        Literal["initiator", "user", "influencer", "decider", "approver", "buyer", "gatekeeper"]
    ] = Field(default_factory=list)
    attitude: Attitude
    intimacy: Attitude = UNKNOWN
    layer: Literal["key", "general", "organizational"] = "key"
    owner: Handle | None = None
    backup: Handle | None = None
    sponsor: Handle | None = None
    channels: list[str] = Field(default_factory=list)
    influences: list[Slug] = Field(default_factory=list)
    competitor: str | None = None
    in_post_since: IsoDate | None = None
    left_on: IsoDate | None = None
    last_contact: IsoDate | None = None
    reviewed: IsoDate | None = None
    notes: str | None = None
    crm_id: str | None = None  # the person's id in the CRM they came from; unique in the account
    personal: dict[str, Any] | None = None  # free-form: whatever the team records

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

    stakeholders: list[Stakeholder] = Field(default_factory=list)


# ---------------------------------------------------------------- targets.yaml
class Target(KamModel):
    id: Slug
    kind: Literal["beachhead", "share", "profit", "competition", "relationship"]
    text: str
    metric: str | None = None
    baseline: int | float | str | None = None
    goal: int | float | str | None = None
    due: IsoDate
    owner: Handle


class RelationshipGoal(KamModel):
    stakeholder: Slug
    attitude: Scale
    intimacy: Scale | None = None
    by: IsoDate
    owner: Handle

    def reached_by(self, person: Stakeholder) -> bool:
        """Whether ``person`` is where this goal wants them: attitude (and intimacy, when the
        goal names one) known and at least the goal's; an unknown one has not reached it."""
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
    id: Slug
    text: str
    owner: Handle
    due: IsoDate
    status: Literal["planned", "doing", "done", "dropped"]
    stakeholder: Slug | None = None
    target: Slug | None = None


class Opportunity(KamModel):
    id: Slug
    name: str
    pbip: IsoDate
    ready: IsoDate
    value: float | None = None


class BigPlay(KamModel):
    kind: Literal["strengthen", "new-relationships", "raise-value", "displace", "block"]
    text: str


class Strategy(KamModel):
    """RAIN's strategy questions (DOMAIN 9): the relationship level now and the level the
    goals need (1..5), strengths, weaknesses and the big play."""

    level: OneToFive | None = None
    needed_level: OneToFive | None = None
    strengths: list[str] = Field(default_factory=list)
    weaknesses: list[str] = Field(default_factory=list)
    big_play: list[BigPlay] = Field(default_factory=list)


class TargetsFile(KamModel):
    """targets.yaml: targets, relationship goals, actions, opportunities, strategy."""

    period: str | int | None = None
    targets: list[Target] = Field(default_factory=list)
    relationship_goals: list[RelationshipGoal] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    opportunities: list[Opportunity] = Field(default_factory=list)
    strategy: Strategy | None = None


# ---------------------------------------------------------------- log.yaml (v2)
LOG_KINDS = ("meeting", "call", "email", "visit", "event", "executive-meeting", "other")
LogKind = Literal["meeting", "call", "email", "visit", "event", "executive-meeting", "other"]


class LogEntry(KamModel):
    """One contact: when, with whom of the customer's people, by whom of ours."""

    date: IsoDate
    #: ``with`` in the file (a Python keyword, hence the alias)
    with_: list[Slug] = Field(alias="with", min_length=1)
    by: list[Handle] = Field(min_length=1)
    kind: LogKind = "meeting"
    summary: str | None = None
    next: str | None = None


class LogFile(KamModel):
    """log.yaml: the interaction log, oldest first; ``kam log`` appends at the end."""

    entries: list[LogEntry] = Field(default_factory=list)


FILE_MODELS: dict[str, type[KamModel]] = {
    "account": AccountFile,
    "stakeholders": StakeholdersFile,
    "org": OrgFile,
    "targets": TargetsFile,
    "log": LogFile,
}
