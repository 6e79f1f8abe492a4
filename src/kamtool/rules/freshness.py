"""KAM201-KAM204: stale data is the enemy (DOMAIN 1)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..grading import contact_threshold
from . import Context


def _stale(
    account: Any,
    ctx: Context,
    code: str,
    kind: str,
    path: tuple,
    date: Any,
    threshold: Any,
    describe: Any,
    person: str | None,
    owner: str | None,
) -> Iterator[Any]:
    """One finding when ``date`` is older than the threshold: a warning past warn_after, an
    error past error_after; ``describe(age, limit, level)`` writes the message."""
    age = (ctx.today - date).days
    if age > threshold.error_after:
        level, limit = "error", threshold.error_after
    elif age > threshold.warn_after:
        level, limit = "warning", threshold.warn_after
    else:
        return
    yield account.finding(
        code,
        kind,
        path,
        describe(age, limit, level),
        severity=level,
        data={
            "person": person,
            "field": path[-1],
            "date": date.isoformat(),
            "age_days": age,
            "threshold_days": limit,
            "overdue_days": age - limit,
            "owner": owner,
        },
    )


def last_contact(account: Any, ctx: Context) -> Iterator[Any]:
    th = contact_threshold(ctx.tier, ctx.config)
    scope = "focus" if ctx.focus else "other"
    for i, p in ctx.key:
        if p.last_contact is not None:
            yield from _stale(
                account,
                ctx,
                "KAM201",
                "stakeholders",
                ("stakeholders", i, "last_contact"),
                p.last_contact,
                th,
                lambda age, limit, level, p=p: (
                    f"last contact with {p.name} ({p.id}) was {age} days ago, "
                    f"over the {limit}-day {level} threshold ({scope} tiers)"
                ),
                p.id,
                p.owner,
            )


def entry_reviewed(account: Any, ctx: Context) -> Iterator[Any]:
    th = ctx.config.freshness.stakeholder_reviewed
    for i, p in ctx.people:
        if p.reviewed is not None:
            yield from _stale(
                account,
                ctx,
                "KAM202",
                "stakeholders",
                ("stakeholders", i, "reviewed"),
                p.reviewed,
                th,
                lambda age, limit, level, p=p: (
                    f"entry for {p.name} ({p.id}) was last reviewed {age} days ago, "
                    f"over the {limit}-day {level} threshold"
                ),
                p.id,
                p.owner,
            )


def account_reviewed(account: Any, ctx: Context) -> Iterator[Any]:
    a = account.account
    yield from _stale(
        account,
        ctx,
        "KAM203",
        "account",
        ("reviewed",),
        a.reviewed,
        ctx.config.freshness.account_reviewed,
        lambda age, limit, level: (
            f"account grading was last reviewed {age} days ago, over the {limit}-day {level} threshold"
        ),
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
