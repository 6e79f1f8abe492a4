"""KAM301-KAM309: the plan against the calendar, the value curve and the whitespace
(method 2, 6, 8, 9)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kamtool.analyse.rules import Context, days_text, focus_settings
from kamtool.i18n import N_, _, listed, percent, pgettext
from kamtool.load.models import scale_text
from kamtool.rule import rule

if TYPE_CHECKING:
    from kamtool.findings import Finding
    from kamtool.load.accounts import Account
    from kamtool.load.config import Config
    from kamtool.load.models import TargetsFile

#: DOMAIN 6: plant relationships early; a decision this close needs its deciders won now
PLANT_EARLY_DAYS = 180


@rule(
    "KAM301",
    "action-overdue",
    "warning",
    N_("Action overdue"),
    N_("Finish it, move its date, or set status to dropped."),
)
def overdue_actions(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: an action whose `due` date has passed while its status is still `planned`
    or `doing`.

    Why: the action plan is the third piece of the annual set; monitoring and adjusting
    it (the weekly review) is what makes it a plan rather than a wish (method 6).

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
                _("action {id} ({owner}) was due {due}, {days} ago, and is still {status}").format(
                    id=a.id,
                    owner=a.owner,
                    due=a.due.isoformat(),
                    days=days_text(days),
                    status=_(a.status),
                ),
                # the same finding while the action is late, whoever owns it: a handover
                # to a successor is no action "resolved" and another one "new"
                data={"action": a.id, "field": "due", "owner": a.owner},
            )


@rule(
    "KAM302",
    "target-past-date",
    "warning",
    N_("Target or relationship goal past its date"),
    N_("Close it out: record the result, move the date, or remove it."),
)
def past_targets(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a target past its `due` date, or a relationship goal past its `by` date
    that the person's attitude (and intimacy) has not reached. A person who has left
    reaches no goal, whatever attitude they left with (KAM115 asks to close the goal or
    move it to the successor).

    Why: the target task book is reviewed and adjusted, not left to expire; a past target
    says nothing about what we aim for now (method 6).

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
                _("target {id} was due {due}").format(id=x.id, due=x.due.isoformat()),
            )
    people = {p.id: p for p in account.stakeholders}
    for i, g in enumerate(t.relationship_goals):
        if g.by >= ctx.today:
            continue
        p = people.get(g.stakeholder)
        if p is not None and g.reached_by(p, ctx.today):
            continue
        # the person by name and id, as every other finding about a person names them
        who = _("{name} ({id})").format(name=p.name, id=p.id) if p is not None else g.stakeholder
        yield account.finding(
            "KAM302",
            "targets",
            ("relationship_goals", i, "by"),
            _(
                "relationship goal for {stakeholder}, attitude {attitude}, was due {by} and is not reached"
            ).format(stakeholder=who, attitude=scale_text(g.attitude), by=g.by.isoformat()),
        )


@rule(
    "KAM303",
    "opportunity-not-ready",
    "warning",
    N_("Opportunity ready only after its PBIP"),
    N_("Pull the delivery forward or the opportunity cannot be won."),
)
def opportunities(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: an opportunity whose `ready` date (when our offer can be delivered) is
    after its `pbip` (the customer's investment decision).

    Why: an opportunity is only reachable if we can deliver by the customer's PBIP; after
    it we cannot compete unless the roadmap moves (method 8).

    Fix: pull the delivery forward, or stop counting on the opportunity. Once the PBIP
    has passed the customer has decided: record whether it was won or lost and remove the
    opportunity, or set the PBIP the customer plans now."""
    t = account.targets
    if t is None:
        return
    for i, o in enumerate(t.opportunities):
        if o.ready > o.pbip:
            days = (o.ready - o.pbip).days
            message = _(
                "opportunity {id}: our offer is ready {ready}, {days} after the customer's PBIP {pbip}"
            ).format(
                id=o.id,
                ready=o.ready.isoformat(),
                days=days_text(days),
                pbip=o.pbip.isoformat(),
            )
            hint = None
            if o.pbip < ctx.today:
                # the customer has decided: pulling our delivery forward is no help now
                passed = _("{message}; the PBIP passed {days} ago").format(
                    message=message, days=days_text((ctx.today - o.pbip).days)
                )
                message = passed
                hint = _(_PBIP_PASSED_HINT)
            yield account.finding(
                "KAM303",
                "targets",
                ("opportunities", i, "ready"),
                message,
                hint=hint,
                # one finding before and after the PBIP passes
                data={"opportunity": o.id, "field": "ready"},
            )


_PBIP_PASSED_HINT = N_(
    "The customer's decision date has passed: record whether it was won or lost and remove "
    "the opportunity, or set the PBIP the customer plans now."
)


@rule(
    "KAM304",
    "value-shortfall",
    "warning",
    N_("Value curve shortfall (actual below 80% of expected)"),
    N_("Re-grade the account or change the strategy: we under-invested or over-rated it."),
)
def value_curve(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a past year of the `value_curve` whose `actual` is below 80% of its
    `expected`.

    Why: the value-return curve tracks the account against what we expected; a shortfall
    means we under-invested or over-rated the account (method 2).

    Fix: re-grade the account (position, value, tier) or change the strategy."""
    facts = ctx.profile.facts
    # the curve is in the account's currency (else the portfolio's): a portfolio mixes
    # them, and "34,000,000" in NOK is not 34,000,000 in EUR
    currency = (facts.currency if facts is not None else None) or ctx.config.currency or ""
    unit = f" {currency}" if currency else ""
    for i, v in enumerate(ctx.profile.value_curve):
        if v.year < ctx.today.year and v.actual is not None and v.actual < 0.8 * v.expected:
            # rounded down: 79.6% is a shortfall and reads 79%, never 80%
            pct = percent(v.actual / v.expected) if v.expected else 0
            yield account.finding(
                "KAM304",
                "account",
                ("value_curve", i, "actual"),
                _("value curve {year}: actual {actual} is {pct}% of expected {expected}").format(
                    year=v.year,
                    actual=_num(v.actual) + unit,
                    pct=pct,
                    expected=_num(v.expected) + unit,
                ),
                # the portfolio ranks shortfalls by the revenue missing, in its base currency
                data={
                    "year": v.year,
                    "expected": v.expected,
                    "actual": v.actual,
                    "currency": currency or None,
                },
            )


@rule(
    "KAM305",
    "tier-override",
    "info",
    N_("Manual tier differs from the computed tier"),
    N_("Check the override is still justified by tier_reason, or remove it."),
)
def tier_override(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a manual `tier` in account.yaml that differs from the tier position and
    value give.

    Why: a manual tier is allowed (a reference customer, a strategic bet) but must stay
    a conscious, explained exception (method 2).

    Fix: check the override is still justified by `tier_reason`, or remove it."""
    a = ctx.profile
    if a.tier is not None and a.tier != ctx.computed_tier:
        yield account.finding(
            "KAM305",
            "account",
            ("tier",),
            _(
                "manual tier {tier} differs from the computed tier {computed} (position {position}, value {value})"
            ).format(
                tier=a.tier, computed=ctx.computed_tier or "-", position=a.position, value=a.value
            ),
        )


def period_years(period: object) -> tuple[int, int] | None:
    """The first and last year a targets.yaml ``period`` names: ``2027``, ``2027-H1``,
    ``2027-Q3`` name 2027; ``2026-2028`` or ``2026/2028`` name 2026 to 2028. None when it
    names no year."""
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", str(period))]
    return (min(years), max(years)) if years else None


def plan_covers(t: TargetsFile | None, year: int) -> bool:
    """Whether targets.yaml holds a plan for ``year``: a `period` that covers it or a
    later year (next year's set, issued at year end, replaces this one) and at least one
    target, relationship goal or action. What KAM306 asks for after the deadline and the
    agenda's "issue the plan" step before it."""
    if t is None or t.period is None:
        return False
    years = period_years(t.period)
    return (
        years is not None
        and years[1] >= year
        and bool(t.targets or t.relationship_goals or t.actions)
    )


def plan_due(config: Config, year: int, t: TargetsFile | None) -> tuple[int, dt.date]:
    """The plan asked for in ``year`` and the date it is due by: the plan of ``year``,
    or of a later year that targets.yaml's `period` already names. Next year's set,
    issued at year end, replaces this one, so its own year's deadline is the one that
    counts: an empty 2027 file written in December 2026 (as `kam init` writes it) is not
    late on the 2026 deadline, and is late after 2027's if it is still empty.

    The one function KAM306 (``year`` this year: late once the date has passed) and the
    agenda's "issue the plan" step (``year`` the year in preparation: listed once the
    date is within its days) take the year and the date from, so the two never name
    different plans or deadlines. A year no date can name (after 9999) is due never
    (``dt.date.max``)."""
    years = period_years(t.period) if t is not None and t.period is not None else None
    if years is not None and years[0] > year:
        year = years[0]
    deadline = config.planning.deadline_in(year) if year <= dt.MAXYEAR else dt.date.max
    return year, deadline


def _deadline_settings(config: Config) -> str:
    return _("{applies}; the plan for year Y is due by {deadline} of Y").format(
        applies=focus_settings(config), deadline=config.planning.deadline
    )


@rule(
    "KAM306",
    "plan-late",
    "warning",
    N_("The annual plan is late"),
    N_(
        "Issue this year's three-piece set: set targets.yaml `period` to this year with its targets, goals and actions."
    ),
    settings=_deadline_settings,
)
def plan_late(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: after the planning deadline of year Y (`planning.deadline` in kam.yaml,
    default `03-31`), a focus-tier account with no targets.yaml, or whose `period` does
    not cover Y (`2027`, `2027-H1`, `2026-2028` cover the years they name), or whose
    targets.yaml holds no plan: not one target, relationship goal or action (a `period`
    alone, as a new file has it, plans nothing). A period of a later year is not late:
    next year's set, issued at year end, replaces this one, and is due by its own year's
    deadline (an empty `period: 2027`, as `kam init` writes it from October, is late
    after 2027-03-31, not before; until then `kam agenda` lists the step to issue it).

    Why: the annual three-piece set (assessment, target task book, action plan) is issued
    at year end and finished by the end of March; a focus account without this year's
    plan is managed from memory (method 6).

    Fix: write this year's targets.yaml (`kam plan ID` renders the set) and set its
    `period` to the year it covers."""
    if not ctx.focus:
        return
    t = account.targets
    year, deadline = plan_due(ctx.config, ctx.today.year, t)
    if ctx.today <= deadline or plan_covers(t, year):
        return
    late = _("the {year} plan was due by {deadline}").format(
        year=year, deadline=deadline.isoformat()
    )
    hint = _next_plan_hint(ctx, year)
    if t is None:
        yield account.finding(
            "KAM306",
            "account",
            ("id",),
            _("tier {tier} account has no targets.yaml: {late}").format(tier=ctx.tier, late=late),
            hint=hint,
        )
        return
    years = period_years(t.period) if t.period is not None else None
    if years is not None and years[1] >= year:
        # the period covers the year (a later year's is the year asked for, plan_due),
        # and the file plans nothing in it
        yield account.finding(
            "KAM306",
            "targets",
            ("period",),
            _(
                "targets.yaml for {period} has no targets, relationship goals or actions: {late}"
            ).format(period=t.period, late=late),
        )
        return
    if t.period is None:
        yield account.finding(
            "KAM306",
            "targets",
            (),
            _("targets.yaml has no period: {late}").format(late=late),
            hint=hint,
        )
    else:
        yield account.finding(
            "KAM306",
            "targets",
            ("period",),
            _("targets.yaml period {period} does not cover {year}: {late}").format(
                period=t.period, year=year, late=late
            ),
            hint=hint,
        )


def _next_plan_hint(ctx: Context, year: int) -> str | None:
    """From October the plan in preparation is next year's (``year_in_preparation``, as
    `kam plan` and `kam agenda` name it): the fix of a late plan is then that one, which
    replaces this year's (``plan_due``), not a plan for a year about to end; the rule's
    own hint ("set period to this year") otherwise."""
    coming, due = plan_due(ctx.config, ctx.config.planning.year_in_preparation(ctx.today), None)
    if coming <= year or due == dt.date.max:  # (no date names a plan after 9999)
        return None
    return _(
        "Issue the {year} plan now, the one in preparation: targets.yaml with period: {year} "
        "and its targets, goals and actions (due by {deadline}; `kam plan ID` renders the "
        "set); it replaces the {old} plan, which is no longer asked for."
    ).format(year=coming, deadline=due.isoformat(), old=year)


@rule(
    "KAM307",
    "value-curve-horizon",
    "warning",
    N_("Focus-tier account without an expected value one and three years out"),
    N_("Add `expected` for next year and for three years ahead to the value curve."),
    settings=focus_settings,
)
def value_curve_horizon(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a focus-tier account whose `value_curve` has no `expected` for next year,
    or none for three years ahead; one finding names the missing years.

    Why: the value-return curve states the revenue we expect one and three years out, so
    that the actuals can be tracked against it and the account re-graded when they fall
    short (method 2).

    Fix: add `{year: Y, expected: ...}` entries for next year and for three years ahead
    to `value_curve` in account.yaml."""
    if not ctx.focus:
        return
    a = ctx.profile
    have = {v.year for v in a.value_curve}
    wanted = (ctx.today.year + 1, ctx.today.year + 3)
    missing = [str(y) for y in wanted if y not in have]
    if not missing:
        return
    if a.value_curve:
        where, key = ("value_curve",), True
        msg = _(
            "tier {tier} account: the value curve has no expected value for {years} "
            "(one and three years out)"
        )
    else:
        where, key = ("id",), False
        msg = _(
            "tier {tier} account: no value curve: no expected value for {years} "
            "(one and three years out)"
        )
    yield account.finding(
        "KAM307",
        "account",
        where,
        # each year with its unit where a language writes one (2027 年和 2029 年)
        msg.format(
            tier=ctx.tier,
            years=listed(
                (pgettext("a year in a list", "{year}").format(year=y) for y in missing), "and"
            ),
        ),
        key=key,
    )


#: the decision makers KAM308 names, before "and N more" (JSON `data` lists them all)
BLOCKERS_NAMED = 8


@rule(
    "KAM308",
    "plant-early",
    "warning",
    N_("PBIP within 180 days and a decision maker opposed or unknown"),
    N_(
        "Meet the decision makers now: a relationship takes months to build, the PBIP will not wait."
    ),
)
def plant_early(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: an opportunity whose `pbip` is today or within the next 180 days while a
    current decision maker is opposed (attitude below 0) or unknown (`"?"`).

    Why: plant relationships early: building one takes six months to three years, and
    the customer decides at the PBIP whether we are ready or not (method 6, 8).

    Fix: meet the decision makers now (executive sponsor, coach, their individual needs)
    and set relationship goals due before the PBIP."""
    t = account.targets
    if t is None:
        return
    blockers = [p for _i, p in ctx.people if "D" in p.roles and not p.attitude_at_least(0)]
    if not blockers:
        return
    # the first ones by name, then how many more: an imported account's 130 unmet
    # decision makers made one message of 130 names, in the plan's five points too
    names = listed(
        (
            _("{name} ({id}, {attitude})").format(
                name=p.name,
                id=p.id,
                attitude="?" if p.attitude_level is None else format(p.attitude_level, "+d"),
            )
            for p in blockers
        ),
        shown=BLOCKERS_NAMED,
    )
    for i, o in enumerate(t.opportunities):
        days = (o.pbip - ctx.today).days
        if 0 <= days <= PLANT_EARLY_DAYS:
            yield account.finding(
                "KAM308",
                "targets",
                ("opportunities", i, "pbip"),
                _(
                    "opportunity {id}: PBIP {pbip} is in {days} and decision makers are not won: {names}"
                ).format(id=o.id, pbip=o.pbip.isoformat(), days=days_text(days), names=names),
                # the same finding while the PBIP is near, whichever decision makers block
                data={
                    "opportunity": o.id,
                    "field": "pbip",
                    "decision_makers": [p.id for p in blockers],
                },
            )


@rule(
    "KAM309",
    "whitespace-no-supporter",
    "info",
    N_("An open whitespace cell in a buying centre without a supporter"),
    N_("Win a supporter in that buying centre before going after the open need."),
)
def whitespace_no_supporter(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a `footprint` cell with `status: open` whose buying centre (the unit) has
    no current supporter (attitude 1 or more) in that unit or any unit below it.

    Why: an open need is only winnable through people who back us there; RAIN's strategy
    asks for the value for each buying centre and the relationships to deliver it
    (method 9).

    Fix: map the buying centre's people and win a supporter there (a relationship goal
    and actions), then go after the open need."""
    from kamtool.analyse.whitespace import subtree, supporters

    units = list(account.org.units) if account.org is not None else []
    unit_names = {u.id: u.name for u in units}
    offering_names = {o.id: o.name for o in ctx.config.offerings}
    for i, cell in enumerate(ctx.profile.footprint):
        if cell.status != "open":
            continue
        if supporters(account.stakeholders, subtree(units, cell.unit), ctx.today):
            continue
        yield account.finding(
            "KAM309",
            "account",
            ("footprint", i, "status"),
            _(
                "{offering} is open in buying centre {centre} ({unit}), where no one supports us (attitude >= 1)"
            ).format(
                offering=offering_names.get(cell.offering, cell.offering),
                centre=unit_names.get(cell.unit, cell.unit),
                unit=cell.unit,
            ),
        )


def _num(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"
