"""KAM301-KAM305: the plan against the calendar and the value curve (DOMAIN 2, 6, 8)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kamtool.analyse.rules import Context
from kamtool.load.models import UNKNOWN


def overdue_actions(account: Any, ctx: Context) -> Iterator[Any]:
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


def past_targets(account: Any, ctx: Context) -> Iterator[Any]:
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


def opportunities(account: Any, ctx: Context) -> Iterator[Any]:
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


def value_curve(account: Any, ctx: Context) -> Iterator[Any]:
    for i, v in enumerate(account.account.value_curve):
        if v.year < ctx.today.year and v.actual is not None and v.actual < 0.8 * v.expected:
            pct = round(100 * v.actual / v.expected) if v.expected else 0
            yield account.finding(
                "KAM304",
                "account",
                ("value_curve", i, "actual"),
                f"value curve {v.year}: actual {_num(v.actual)} is {pct}% of expected {_num(v.expected)}",
            )


def tier_override(account: Any, ctx: Context) -> Iterator[Any]:
    a = account.account
    if a.tier is not None and a.tier != ctx.computed_tier:
        yield account.finding(
            "KAM305",
            "account",
            ("tier",),
            f"manual tier {a.tier} differs from the computed tier {ctx.computed_tier or '-'} (position {a.position}, value {a.value})",
        )


RULES = [overdue_actions, past_targets, opportunities, value_curve, tier_override]


def _num(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"
