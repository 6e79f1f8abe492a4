"""KAM201-KAM204: stale data is the enemy (DOMAIN 1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, NamedTuple

from kamtool.analyse.grading import contact_threshold
from kamtool.analyse.rules import Context


class Overdue(NamedTuple):
    age: int  # days since the date
    level: str  # "warning" past warn_after, "error" past error_after
    limit: int  # the threshold passed, in days


def overdue(date: dt.date | None, today: dt.date, threshold: Any) -> Overdue | None:
    """How far ``date`` is past the threshold, or None while it is fresh (or absent)."""
    if date is None:
        return None
    age = (today - date).days
    if age > threshold.error_after:
        return Overdue(age, "error", threshold.error_after)
    if age > threshold.warn_after:
        return Overdue(age, "warning", threshold.warn_after)
    return None


def _stale(
    account: Any,
    code: str,
    kind: str,
    path: tuple,
    date: dt.date,
    late: Overdue,
    message: str,
    person: str | None,
    owner: str | None,
) -> Any:
    return account.finding(
        code,
        kind,
        path,
        message,
        severity=late.level,
        data={
            "person": person,
            "field": path[-1],
            "date": date.isoformat(),
            "age_days": late.age,
            "threshold_days": late.limit,
            "overdue_days": late.age - late.limit,
            "owner": owner,
        },
    )


def last_contact(account: Any, ctx: Context) -> Iterator[Any]:
    th = contact_threshold(ctx.tier, ctx.config)
    scope = "focus" if ctx.focus else "other"
    for i, p in ctx.key:
        late = overdue(p.last_contact, ctx.today, th)
        if late is not None:
            yield _stale(
                account,
                "KAM201",
                "stakeholders",
                ("stakeholders", i, "last_contact"),
                p.last_contact,
                late,
                f"last contact with {p.name} ({p.id}) was {late.age} days ago, "
                f"over the {late.limit}-day {late.level} threshold ({scope} tiers)",
                p.id,
                p.owner,
            )


def entry_reviewed(account: Any, ctx: Context) -> Iterator[Any]:
    th = ctx.config.freshness.stakeholder_reviewed
    for i, p in ctx.people:
        late = overdue(p.reviewed, ctx.today, th)
        if late is not None:
            yield _stale(
                account,
                "KAM202",
                "stakeholders",
                ("stakeholders", i, "reviewed"),
                p.reviewed,
                late,
                f"entry for {p.name} ({p.id}) was last reviewed {late.age} days ago, "
                f"over the {late.limit}-day {late.level} threshold",
                p.id,
                p.owner,
            )


def account_reviewed(account: Any, ctx: Context) -> Iterator[Any]:
    a = account.account
    late = overdue(a.reviewed, ctx.today, ctx.config.freshness.account_reviewed)
    if late is not None:
        yield _stale(
            account,
            "KAM203",
            "account",
            ("reviewed",),
            a.reviewed,
            late,
            f"account grading was last reviewed {late.age} days ago, "
            f"over the {late.limit}-day {late.level} threshold",
            None,
            a.owner,
        )


def missing_contact(account: Any, ctx: Context) -> Iterator[Any]:
    for i, p in ctx.key:
        if p.last_contact is None:
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
