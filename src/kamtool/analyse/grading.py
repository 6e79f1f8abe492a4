"""Analyse: tier and relationship score of SPEC section 2, from models only.

Arithmetic is exact (fractions) so that a score of 84.5 rounds to 85 and never
to 84 through float error.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, TypedDict

from kamtool.analyse.contact import effective_contacts
from kamtool.i18n import N_, _, aside, days_text, listed, number

if TYPE_CHECKING:
    from kamtool.analyse.contact import Contact
    from kamtool.load.accounts import Account
    from kamtool.load.config import Config, Threshold
    from kamtool.load.models import AccountFile, Stakeholder

ROLE_WEIGHT = {"D": 3, "S": 2, "E": 2, "I": 2, "C": 1}
LETTERS = ((85, "A"), (70, "B"), (55, "C"), (40, "D"))
COMPONENT_LABELS = {
    "decision_makers": N_("decision makers"),
    "weighted_support": N_("weighted support"),
    "known_attitudes": N_("known attitudes"),
    "ab_cover": N_("A/B cover"),
    "channels": N_("information channels"),
    "coach": N_("coach"),
    "competitive_standing": N_("competitive standing"),
    "freshness": N_("freshness"),
}


class ComponentDict(TypedDict):
    """A score component in the JSON output."""

    label: str
    points: int
    share: float
    earned: float
    detail: str


@dataclass
class Component:
    """One part of the score: ``points`` x ``share``, the share an exact fraction kept as two
    integers in lowest terms (plain values travel between processes; a Fraction would be
    rebuilt from text, or through its normalising constructor)."""

    name: str
    points: int
    numerator: int
    denominator: int
    detail: str

    @classmethod
    def ratio(cls, name: str, points: int, count: int, total: int, detail: str) -> Component:
        """The component with the share ``count / total`` (0 when ``total`` is 0), put in
        lowest terms as ``Fraction`` would, without building one (eight shares an
        account)."""
        if not total:
            return cls(name, points, 0, 1, detail)
        common = math.gcd(count, total)
        return cls(name, points, count // common, total // common, detail)

    def __reduce__(self) -> tuple[type[Component], tuple[str, int, int, int, str]]:
        # constructor arguments: 40% smaller and faster to read back than a dataclass's
        # pickled attribute dictionary (16,000 components travel for 2,000 accounts)
        return (Component, (self.name, self.points, self.numerator, self.denominator, self.detail))

    @property
    def share(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)

    @property
    def earned(self) -> Fraction:
        return self.points * self.share

    def to_dict(self) -> ComponentDict:
        return {
            "label": COMPONENT_LABELS[self.name],
            "points": self.points,
            # int / int is correctly rounded, as float(Fraction) is, and far cheaper
            "share": round(self.numerator / self.denominator, 4),
            "earned": round(self.points * self.numerator / self.denominator, 2),
            "detail": self.detail,
        }


@dataclass
class Grade:
    tier: str | None
    computed_tier: str | None
    tier_override: str | None
    tier_label: str | None
    focus: bool
    score: int
    letter: str
    components: list[Component] = field(default_factory=list)
    key_people: int = 0
    dm_supportive: int = 0
    dm_total: int = 0
    unknown_attitudes: int = 0
    #: (ok, our most senior supporter, their most senior backer): shared with rule KAM109
    standing: tuple[bool, Stakeholder | None, Stakeholder | None] = (True, None, None)


def _sixths(attitude: int | None) -> int:
    """Support s = (attitude + 3) / 6 (SPEC section 2), times 6 so that sums stay integers;
    0 for an unknown attitude."""
    return 0 if attitude is None else attitude + 3


def weight(roles: list[str]) -> int:
    return max(map(ROLE_WEIGHT.__getitem__, roles), default=1)


def letter_for(score: int) -> str:
    for floor, letter in LETTERS:
        if score >= floor:
            return letter
    return "E"


def _total_parts(comps: list[Component]) -> tuple[int, int]:
    """The exact sum of points x share as (numerator, denominator), over the shares'
    common denominator (no Fraction at all: 22,000 of them on 2,000 accounts)."""
    common = math.lcm(*(c.denominator for c in comps))
    return sum(c.points * c.numerator * (common // c.denominator) for c in comps), common


def _rounded(numerator: int, denominator: int) -> int:
    """numerator / denominator (a positive denominator) rounded half up, in integers:
    floor(n / d + 1/2) = floor((2n + d) / 2d), so 84.5 rounds to 85."""
    return (2 * numerator + denominator) // (2 * denominator)


def computed_tier(position: int, value: int, config: Config) -> str | None:
    for t in config.tiers:
        if position >= t.position and value >= t.value:
            return t.name
    return None


def seniority(people: list[Stakeholder]) -> dict[str, int]:
    """Depth in the reporting tree; people outside any reporting line are absent."""
    by_id = {p.id: p for p in people}
    has_reports = {p.reports_to for p in people if p.reports_to}
    depth: dict[str, int] = {}
    limit = len(by_id)
    for start in people:
        # up the reporting line to a person whose depth is known or to the top, then
        # down again giving each one on the way theirs: a loop, not a call a person
        # (a line longer than the people there is a cycle: nobody on it has a depth)
        chain: list[str] = []
        pid = start.id
        d: int | None
        while True:
            if pid in depth:
                d = depth[pid]
                break
            p = by_id.get(pid)
            if p is None or len(chain) > limit:
                d = None
                break
            boss = p.reports_to
            if boss is None or boss not in by_id:
                d = 0 if pid in has_reports else None
                if d is not None:
                    depth[pid] = d
                break
            chain.append(pid)
            pid = boss
        if d is None:
            continue
        for below in reversed(chain):
            d += 1
            depth[below] = d
    return depth


def standing(
    key_people: list[Stakeholder], depth: dict[str, int]
) -> tuple[bool, Stakeholder | None, Stakeholder | None]:
    """(ok, our most senior supporter, their most senior backer) among key people with a seniority."""
    ranked = [p for p in key_people if p.id in depth]
    backers = [p for p in ranked if p.competitor]
    supporters = [p for p in ranked if p.attitude_at_least(2)]
    top_backer = min(backers, key=lambda p: depth[p.id], default=None)
    top_supporter = min(supporters, key=lambda p: depth[p.id], default=None)
    if top_backer is None:
        return True, top_supporter, None
    if top_supporter is None:
        return False, None, top_backer
    return depth[top_supporter.id] <= depth[top_backer.id], top_supporter, top_backer


def effective_tier(acct_model: AccountFile, config: Config) -> tuple[str | None, str | None]:
    computed = computed_tier(acct_model.position, acct_model.value, config)
    return (acct_model.tier or computed), computed


def contact_threshold(tier: str | None, config: Config) -> Threshold:
    lc = config.freshness.last_contact
    return lc.focus if config.is_focus(tier) else lc.other


def grade(
    account: Account,
    today: dt.date,
    config: Config,
    contacts: dict[str, Contact] | None = None,
    *,
    details: bool = True,
) -> Grade:
    """Grade one valid account (an ``repo.Account`` with models). ``contacts``: the
    account's ``effective_contacts`` on ``today`` when the caller has them already
    (``core.analyse`` works them out once for grading and the rules). ``details=False``
    leaves each component's ``detail`` empty, for a caller that reads only the figures
    (``kam check`` drops the components: their texts named people for nothing)."""
    a = account.profile
    assert a is not None  # a valid account has its account.yaml
    tier, computed = effective_tier(a, config)
    tdef = config.tier(tier)
    people = account.stakeholders
    key = [p for p in people if p.layer == "key" and not p.left_by(today)]
    weights = config.score
    dms = [p for p in key if "D" in p.roles]
    g = Grade(
        tier=tier,
        computed_tier=computed,
        tier_override=a.tier,
        tier_label=tdef.label if tdef else None,
        focus=config.is_focus(tier),
        score=0,
        letter="E",
        key_people=len(key),
        dm_total=len(dms),
        dm_supportive=sum(1 for p in dms if p.attitude_at_least(1)),
        unknown_attitudes=sum(1 for p in key if not p.attitude_known),
    )
    n = len(key)

    comps: list[Component] = []
    if dms:  # integer sums of support in sixths, one exact fraction at the end
        dm_support, dm_scale = sum(_sixths(p.attitude_level) for p in dms), 6 * len(dms)
        # a list in the output language: "Anders Berg (+1), Zhang Wei (-1)", in Chinese
        # "李国强（+1）、王建国（+2）" (the list separator and the note are translated)
        detail = (
            _("mean support of {names}").format(
                names=listed(account.person_name(p.id) + aside(p.attitude_text) for p in dms)
            )
            if details
            else ""
        )
    else:
        dm_support, dm_scale = 0, 0
        detail = _("no decision maker (role D) among key people") if details else ""
    comps.append(
        Component.ratio("decision_makers", weights.decision_makers, dm_support, dm_scale, detail)
    )

    influence = [weight(p.roles) for p in key]
    wsum = sum(influence)
    ws = sum(w * _sixths(p.attitude_level) for w, p in zip(influence, key, strict=True))
    comps.append(
        Component.ratio(
            "weighted_support",
            weights.weighted_support,
            ws,
            6 * wsum,
            _("influence-weighted mean support over {n} key people (total weight {weight})").format(
                n=number(n), weight=number(wsum)
            )
            if details
            else "",
        )
    )
    known = n - g.unknown_attitudes
    comps.append(
        Component.ratio(
            "known_attitudes",
            weights.known_attitudes,
            known,
            n,
            _("{known} of {n} attitudes known").format(known=number(known), n=number(n))
            if details
            else "",
        )
    )
    covered = sum(1 for p in key if p.owner and p.backup and p.backup != p.owner)
    comps.append(
        Component.ratio(
            "ab_cover",
            weights.ab_cover,
            covered,
            n,
            _("{covered} of {n} with owner and a different backup").format(
                covered=number(covered), n=number(n)
            )
            if details
            else "",
        )
    )
    chan = sum(1 for p in key if p.channel_count >= 2)
    comps.append(
        Component.ratio(
            "channels",
            weights.channels,
            chan,
            n,
            _("{count} of {n} with 2 or more channels").format(count=number(chan), n=number(n))
            if details
            else "",
        )
    )
    coaches = [p for p in key if "C" in p.roles or p.attitude == 3]
    comps.append(
        Component.ratio(
            "coach",
            weights.coach,
            1 if coaches else 0,
            1,
            ""
            if not details
            else _("coach: {names}").format(
                names=listed(account.person_name(p.id) for p in coaches)
            )
            if coaches
            else _("no key person with role C or attitude +3"),
        )
    )
    depth = seniority(people)
    ok, sup, backer = g.standing = standing(key, depth)
    if not details:
        detail = ""
    elif not n:
        # an account without key people scores 0 (SPEC 2): the component earns nothing
        # either, or --explain would list 10 points beside a score of 0
        detail = _("no key people: an account without key people scores 0")
    elif backer is None:
        detail = _("no competitor backer with a place in the reporting lines")
    elif sup is None:
        detail = _(
            "{name} backs {competitor} (depth {depth}); no supporter of ours has a place in "
            "the reporting lines"
        ).format(
            name=account.person_name(backer.id),
            competitor=backer.competitor,
            depth=depth[backer.id],
        )
    else:
        detail = (
            _(
                "our most senior supporter {supporter} (depth {supporter_depth}) is at least as "
                "senior as {name}, who backs {competitor} (depth {depth})"
            )
            if ok
            else _(
                "our most senior supporter {supporter} (depth {supporter_depth}) is below "
                "{name}, who backs {competitor} (depth {depth})"
            )
        ).format(
            supporter=account.person_name(sup.id),
            supporter_depth=depth[sup.id],
            name=account.person_name(backer.id),
            competitor=backer.competitor,
            depth=depth[backer.id],
        )
    comps.append(
        Component.ratio(
            "competitive_standing",
            weights.competitive_standing,
            1 if ok and n else 0,
            1,
            detail,
        )
    )
    warn = contact_threshold(tier, config).warn_after
    # the effective last contact (SPEC 2 v2): last_contact or the log, whichever is later;
    # a date in the future is a data error (KAM206), never fresh
    if contacts is None:
        contacts = effective_contacts(account, today)
    fresh = sum(
        1 for p in key if p.id in contacts and 0 <= (today - contacts[p.id].date).days <= warn
    )
    comps.append(
        Component.ratio(
            "freshness",
            weights.freshness,
            fresh,
            n,
            _("{fresh} of {n} contacted within {days}").format(
                fresh=number(fresh), n=number(n), days=days_text(warn)
            )
            if details
            else "",
        )
    )
    g.components = comps
    if n:
        g.score = _rounded(*_total_parts(comps))
    g.letter = letter_for(g.score)
    return g
