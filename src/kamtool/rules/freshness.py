"""KAM201-KAM204: stale data is the enemy (DOMAIN 1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..grading import contact_threshold
from . import Context


def _level(age: int, threshold: Any) -> str | None:
    if age > threshold.error_after:
        return "error"
    if age > threshold.warn_after:
        return "warning"
    return None


def _data(
    person: Any, field: str, date: Any, age: int, threshold: Any, level: str, owner: Any
) -> dict:
    limit = threshold.error_after if level == "error" else threshold.warn_after
    return {
        "person": person,
        "field": field,
        "date": date.isoformat(),
        "age_days": age,
        "threshold_days": limit,
        "overdue_days": age - limit,
        "owner": owner,
    }


def last_contact(account: Any, ctx: Context) -> Iterator[Any]:
    th = contact_threshold(ctx.tier, ctx.config)
    scope = "focus" if ctx.focus else "other"
    for i, p in enumerate(account.stakeholders):
        if p.left_on is not None or p.layer != "key" or p.last_contact is None:
            continue
        age = (ctx.today - p.last_contact).days
        level = _level(age, th)
        if level:
            limit = th.error_after if level == "error" else th.warn_after
            yield account.finding(
                "KAM201",
                "stakeholders",
                ("stakeholders", i, "last_contact"),
                f"last contact with {p.name} ({p.id}) was {age} days ago, over the {limit}-day {level} threshold ({scope} tiers)",
                severity=level,
                data=_data(p.id, "last_contact", p.last_contact, age, th, level, p.owner),
            )


def entry_reviewed(account: Any, ctx: Context) -> Iterator[Any]:
    th = ctx.config.freshness.stakeholder_reviewed
    for i, p in enumerate(account.stakeholders):
        if p.left_on is not None or p.reviewed is None:
            continue
        age = (ctx.today - p.reviewed).days
        level = _level(age, th)
        if level:
            limit = th.error_after if level == "error" else th.warn_after
            yield account.finding(
                "KAM202",
                "stakeholders",
                ("stakeholders", i, "reviewed"),
                f"entry for {p.name} ({p.id}) was last reviewed {age} days ago, over the {limit}-day {level} threshold",
                severity=level,
                data=_data(p.id, "reviewed", p.reviewed, age, th, level, p.owner),
            )


def account_reviewed(account: Any, ctx: Context) -> Iterator[Any]:
    th = ctx.config.freshness.account_reviewed
    a = account.account
    age = (ctx.today - a.reviewed).days
    level = _level(age, th)
    if level:
        limit = th.error_after if level == "error" else th.warn_after
        yield account.finding(
            "KAM203",
            "account",
            ("reviewed",),
            f"account grading was last reviewed {age} days ago, over the {limit}-day {level} threshold",
            severity=level,
            data=_data(None, "reviewed", a.reviewed, age, th, level, a.owner),
        )


def missing_contact(account: Any, ctx: Context) -> Iterator[Any]:
    for i, p in enumerate(account.stakeholders):
        if p.left_on is None and p.layer == "key" and p.last_contact is None:
            yield account.finding(
                "KAM204",
                "stakeholders",
                ("stakeholders", i, "id"),
                f"key person {p.name} ({p.id}) has no last_contact date",
                key=True,
                data={
                    "person": p.id,
                    "field": "last_contact",
                    "date": None,
                    "age_days": None,
                    "threshold_days": None,
                    "overdue_days": None,
                    "owner": p.owner,
                },
            )


RULES = [last_contact, entry_reviewed, account_reviewed, missing_contact]
