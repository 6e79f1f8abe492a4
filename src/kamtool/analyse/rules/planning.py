"""KAM301-KAM309: the plan against the calendar, the value curve and the whitespace
(DOMAIN 2, 6, 8, 9)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kamtool.analyse.rules import Context
from kamtool.load.models import UNKNOWN
from kamtool.rule import rule

#: DOMAIN 6: plant relationships early; a decision this close needs its deciders won now
PLANT_EARLY_DAYS = 180


@rule(
    "KAM301",
    "action-overdue",
    "warning",
    "Action overdue",
    "Finish it, move its date, or set status to dropped.",
)
def overdue_actions(account: Any, ctx: Context) -> Iterator[Any]:
    """Finds: an action whose `due` date has passed while its status is still `planned`
    or `doing`.

    Why: the action plan is the third piece of the annual set; monitoring and adjusting
    it (the weekly review) is what makes it a plan rather than a wish (DOMAIN 6).

    Fix: finish it and set `status: done`, move its `due` date, or set `status: dropped`."""
    t = account.targets
    if t is None:
        return
    for i, a in enumerate(t.actions):
        if a.status in ("planned", "doing") and a.due < ctx.today:
            days = (ctx.today - a.due).days
            yield account.finding(
                "KAM301",
                "targets",
                ("actions", i, "due"),
                f"action {a.id} ({a.owner}) was due {a.due.isoformat()}, {days} days ago, and is still {a.status}",
            )


@rule(
    "KAM302",
    "target-past-date",
    "warning",
    "Target or relationship goal past its date",
    "Close it out: record the result, move the date, or remove it.",
)
def past_targets(account: Any, ctx: Context) -> Iterator[Any]:
    """Finds: a target past its `due` date, or a relationship goal past its `by` date
    that the person's attitude (and intimacy) has not reached.

    Why: the target task book is reviewed and adjusted, not left to expire; a past target
    says nothing about what we aim for now (DOMAIN 6).

    Fix: record the result and remove it, or move the date."""
    t = account.targets
    if t is None:
        return
    for i, x in enumerate(t.targets):
        if x.due < ctx.today:
            yield account.finding(
                "KAM302",
                "targets",
                ("targets", i, "due"),
                f"target {x.id} was due {x.due.isoformat()}",
            )
    people = {p.id: p for p in account.stakeholders}
    for i, g in enumerate(t.relationship_goals):
        if g.by >= ctx.today:
            continue
        p = people.get(g.stakeholder)
        if p is not None and _reached(p, g):
            continue
        yield account.finding(
            "KAM302",
            "targets",
            ("relationship_goals", i, "by"),
            f"relationship goal for {g.stakeholder} (attitude {g.attitude:+d}) was due {g.by.isoformat()} and is not reached",
        )


def _reached(p: Any, g: Any) -> bool:
    if p.attitude == UNKNOWN or int(p.attitude) < g.attitude:
        return False
    return not (g.intimacy is not None and (p.intimacy == UNKNOWN or int(p.intimacy) < g.intimacy))


@rule(
    "KAM303",
    "opportunity-not-ready",
    "warning",
    "Opportunity ready only after its PBIP",
    "Pull the delivery forward or the opportunity cannot be won.",
)
def opportunities(account: Any, ctx: Context) -> Iterator[Any]:
    """Finds: an opportunity whose `ready` date (when our offer can be delivered) is
    after its `pbip` (the customer's investment decision).

    Why: an opportunity is only reachable if we can deliver by the customer's PBIP; after
    it we cannot compete unless the roadmap moves (DOMAIN 8).

    Fix: pull the delivery forward, or stop counting on the opportunity."""
    t = account.targets
    if t is None:
        return
    for i, o in enumerate(t.opportunities):
        if o.ready > o.pbip:
            days = (o.ready - o.pbip).days
            yield account.finding(
                "KAM303",
                "targets",
                ("opportunities", i, "ready"),
                f"opportunity {o.id}: our offer is ready {o.ready.isoformat()}, {days} days after the customer's PBIP {o.pbip.isoformat()}",
            )


@rule(
    "KAM304",
    "value-shortfall",
    "warning",
    "Value curve shortfall (actual below 80% of expected)",
    "Re-grade the account or change the strategy: we under-invested or over-rated it.",
)
def value_curve(account: Any, ctx: Context) -> Iterator[Any]:
    """Finds: a past year of the `value_curve` whose `actual` is below 80% of its
    `expected`.

    Why: the value-return curve tracks the account against what we expected; a shortfall
    means we under-invested or over-rated the account (DOMAIN 2).

    Fix: re-grade the account (position, value, tier) or change the strategy."""
    for i, v in enumerate(account.account.value_curve):
        if v.year < ctx.today.year and v.actual is not None and v.actual < 0.8 * v.expected:
            pct = round(100 * v.actual / v.expected) if v.expected else 0
            yield account.finding(
                "KAM304",
                "account",
                ("value_curve", i, "actual"),
                f"value curve {v.year}: actual {_num(v.actual)} is {pct}% of expected {_num(v.expected)}",
            )


@rule(
    "KAM305",
    "tier-override",
    "info",
    "Manual tier differs from the computed tier",
    "Check the override is still justified by tier_reason, or remove it.",
)
def tier_override(account: Any, ctx: Context) -> Iterator[Any]:
    """Finds: a manual `tier` in account.yaml that differs from the tier position and
    value give.

    Why: a manual tier is allowed (a reference customer, a strategic bet) but must stay
    a conscious, explained exception (DOMAIN 2).

    Fix: check the override is still justified by `tier_reason`, or remove it."""
    a = account.account
    if a.tier is not None and a.tier != ctx.computed_tier:
        yield account.finding(
            "KAM305",
            "account",
            ("tier",),
            f"manual tier {a.tier} differs from the computed tier {ctx.computed_tier or '-'} (position {a.position}, value {a.value})",
        )


def period_years(period: object) -> tuple[int, int] | None:
    """The first and last year a targets.yaml ``period`` names: ``2027``, ``2027-H1``,
    ``2027-Q3`` name 2027; ``2026-2028`` or ``2026/2028`` name 2026 to 2028. None when it
    names no year."""
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", str(period))]
    return (min(years), max(years)) if years else None


@rule(
    "KAM306",
    "plan-late",
    "warning",
    "The annual plan is late",
    "Issue this year's three-piece set: set targets.yaml `period` to this year with its targets, goals and actions.",
)
def plan_late(account: Any, ctx: Context) -> Iterator[Any]:
    """Finds: after the planning deadline of year Y (`planning.deadline` in kam.yaml,
    default `03-31`), a focus-tier account with no targets.yaml, or whose `period` does
    not cover Y (`2027`, `2027-H1`, `2026-2028` cover the years they name). A period of a
    later year is not late: next year's set, issued at year end, replaces this one.

    Why: the annual three-piece set (assessment, target task book, action plan) is issued
    at year end and finished by the end of March; a focus account without this year's
    plan is managed from memory (DOMAIN 6).

    Fix: write this year's targets.yaml (`kam plan ID` renders the set) and set its
    `period` to the year it covers."""
    if not ctx.focus:
        return
    year = ctx.today.year
    deadline = ctx.config.planning.deadline_in(year)
    if ctx.today <= deadline:
        return
    t = account.targets
    late = f"the {year} plan was due by {deadline.isoformat()}"
    if t is None:
        yield account.finding(
            "KAM306",
            "account",
            ("id",),
            f"tier {ctx.tier} account has no targets.yaml: {late}",
        )
        return
    years = period_years(t.period) if t.period is not None else None
    if years is not None and years[1] >= year:
        return
    if t.period is None:
        yield account.finding("KAM306", "targets", (), f"targets.yaml has no period: {late}")
    else:
        yield account.finding(
            "KAM306",
            "targets",
            ("period",),
            f"targets.yaml period {t.period} does not cover {year}: {late}",
        )


@rule(
    "KAM307",
    "value-curve-horizon",
    "warning",
    "Focus-tier account without an expected value one and three years out",
    "Add `expected` for next year and for three years ahead to the value curve.",
)
def value_curve_horizon(account: Any, ctx: Context) -> Iterator[Any]:
    """Finds: a focus-tier account whose `value_curve` has no `expected` for next year,
    or none for three years ahead; one finding names the missing years.

    Why: the value-return curve states the revenue we expect one and three years out, so
    that the actuals can be tracked against it and the account re-graded when they fall
    short (DOMAIN 2).

    Fix: add `{year: Y, expected: ...}` entries for next year and for three years ahead
    to `value_curve` in account.yaml."""
    if not ctx.focus:
        return
    a = account.account
    have = {v.year for v in a.value_curve}
    wanted = (ctx.today.year + 1, ctx.today.year + 3)
    missing = [str(y) for y in wanted if y not in have]
    if not missing:
        return
    if a.value_curve:
        where, key, msg = ("value_curve",), True, "the value curve has no expected value for "
    else:
        where, key, msg = ("id",), False, "no value curve: no expected value for "
    yield account.finding(
        "KAM307",
        "account",
        where,
        f"tier {ctx.tier} account: {msg}{' and '.join(missing)} (one and three years out)",
        key=key,
    )


@rule(
    "KAM308",
    "plant-early",
    "warning",
    "PBIP within 180 days and a decision maker opposed or unknown",
    "Meet the decision makers now: a relationship takes months to build, the PBIP will not wait.",
)
def plant_early(account: Any, ctx: Context) -> Iterator[Any]:
    """Finds: an opportunity whose `pbip` is today or within the next 180 days while a
    current decision maker is opposed (attitude below 0) or unknown (`"?"`).

    Why: plant relationships early: building one takes six months to three years, and
    the customer decides at the PBIP whether we are ready or not (DOMAIN 6, 8).

    Fix: meet the decision makers now (executive sponsor, coach, their individual needs)
    and set relationship goals due before the PBIP."""
    t = account.targets
    if t is None:
        return
    blockers = [
        p
        for _i, p in ctx.people
        if "D" in p.roles and (p.attitude == UNKNOWN or int(p.attitude) < 0)
    ]
    if not blockers:
        return
    names = ", ".join(
        f"{p.name} ({p.id}, {'?' if p.attitude == UNKNOWN else format(int(p.attitude), '+d')})"
        for p in blockers
    )
    for i, o in enumerate(t.opportunities):
        days = (o.pbip - ctx.today).days
        if 0 <= days <= PLANT_EARLY_DAYS:
            yield account.finding(
                "KAM308",
                "targets",
                ("opportunities", i, "pbip"),
                f"opportunity {o.id}: PBIP {o.pbip.isoformat()} is in {days} days and "
                f"decision makers are not won: {names}",
            )


@rule(
    "KAM309",
    "whitespace-no-supporter",
    "info",
    "An open whitespace cell in a buying centre without a supporter",
    "Win a supporter in that buying centre before going after the open need.",
)
def whitespace_no_supporter(account: Any, ctx: Context) -> Iterator[Any]:
    """Finds: a `footprint` cell with `status: open` whose buying centre (the unit) has
    no current supporter (attitude 1 or more) in that unit or any unit below it.

    Why: an open need is only winnable through people who back us there; RAIN's strategy
    asks for the value for each buying centre and the relationships to deliver it
    (DOMAIN 9).

    Fix: map the buying centre's people and win a supporter there (a relationship goal
    and actions), then go after the open need."""
    from kamtool.analyse.whitespace import subtree, supporters

    units = list(account.org.units) if account.org is not None else []
    unit_names = {u.id: u.name for u in units}
    offering_names = {o.id: o.name for o in ctx.config.offerings}
    for i, cell in enumerate(account.account.footprint):
        if cell.status != "open":
            continue
        if supporters(account.stakeholders, subtree(units, cell.unit), ctx.today):
            continue
        yield account.finding(
            "KAM309",
            "account",
            ("footprint", i, "status"),
            f"{offering_names.get(cell.offering, cell.offering)} is open in buying centre "
            f"{unit_names.get(cell.unit, cell.unit)} ({cell.unit}), where no one supports us "
            "(attitude >= 1)",
        )


def _num(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"
