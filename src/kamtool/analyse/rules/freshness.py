"""KAM201-KAM206: stale data is the enemy (DOMAIN 1), and a date in the future is wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, NamedTuple

from kamtool.analyse.grading import contact_threshold
from kamtool.analyse.rules import Context
from kamtool.i18n import N_, _
from kamtool.rule import rule


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


@rule(
    "KAM201",
    "stale-contact",
    "threshold",
    N_("Last contact older than the threshold"),
    N_("Get in touch, then record it with `kam touch ACCOUNT PERSON`."),
)
def last_contact(account: Any, ctx: Context) -> Iterator[Any]:
    """Finds: a key person whose `last_contact` is older than the warn threshold
    (warning) or the error threshold (error) of the account's tier: focus tiers 30 and
    60 days, other tiers 90 and 180 (`freshness.last_contact` in kam.yaml).

    Why: stale data is the enemy: a relationship nobody has tended for months is not the
    relationship the file describes, and the plan built on it is wrong (DOMAIN 1, 7).

    Fix: get in touch, then record the contact with `kam touch ACCOUNT PERSON`."""
    th = contact_threshold(ctx.tier, ctx.config)
    scope = N_("focus") if ctx.focus else N_("other")
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
                _(
                    "last contact with {name} ({id}) was {age} days ago, "
                    "over the {limit}-day {level} threshold ({scope} tiers)"
                ).format(
                    name=p.name,
                    id=p.id,
                    age=late.age,
                    limit=late.limit,
                    level=_(late.level),
                    scope=_(scope),
                ),
                p.id,
                p.owner,
            )


@rule(
    "KAM202",
    "stale-entry",
    "threshold",
    N_("Stakeholder entry not reviewed within the threshold"),
    N_("Confirm the entry is accurate, then `kam touch ACCOUNT PERSON --reviewed today`."),
)
def entry_reviewed(account: Any, ctx: Context) -> Iterator[Any]:
    """Finds: a current person whose entry was last `reviewed` longer ago than the
    threshold (warn 90 days, error 180: `freshness.stakeholder_reviewed`).

    Why: titles, roles and attitudes change; an entry nobody has confirmed for half a
    year grades the account on old news (DOMAIN 1).

    Fix: confirm the entry is accurate, then `kam touch ACCOUNT PERSON --reviewed today`."""
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
                _(
                    "entry for {name} ({id}) was last reviewed {age} days ago, "
                    "over the {limit}-day {level} threshold"
                ).format(name=p.name, id=p.id, age=late.age, limit=late.limit, level=_(late.level)),
                p.id,
                p.owner,
            )


@rule(
    "KAM203",
    "stale-grading",
    "threshold",
    N_("Account grading inputs not reviewed within the threshold"),
    N_("Review position, value and tier, then update `reviewed` in account.yaml."),
)
def account_reviewed(account: Any, ctx: Context) -> Iterator[Any]:
    """Finds: an account whose grading inputs (`reviewed` in account.yaml) are older
    than the threshold (warn 365 days, error 450: `freshness.account_reviewed`).

    Why: grading is scored yearly and reviewed when reality departs from the plan; one
    firm still used a three-year-old grading table for 2,000 customers (DOMAIN 1, 2).

    Fix: review position, value and tier, then update `reviewed` in account.yaml."""
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
            _(
                "account grading was last reviewed {age} days ago, "
                "over the {limit}-day {level} threshold"
            ).format(age=late.age, limit=late.limit, level=_(late.level)),
            None,
            a.owner,
        )


@rule(
    "KAM204",
    "no-contact-date",
    "warning",
    N_("Key person without last_contact"),
    N_('Record the last real contact, or mark the attitude "?" and plan a first contact.'),
)
def missing_contact(account: Any, ctx: Context) -> Iterator[Any]:
    """Finds: a current key person without a `last_contact` date.

    Why: without a date nobody can tell whether the relationship is tended; the person
    never counts as fresh in the score (DOMAIN 1).

    Fix: record the last real contact with `kam touch ACCOUNT PERSON --contact DATE`,
    or mark the attitude `"?"` and plan a first contact."""
    for i, p in ctx.key:
        if p.last_contact is None:
            yield account.finding(
                "KAM204",
                "stakeholders",
                ("stakeholders", i, "id"),
                _("key person {name} ({id}) has no last_contact date").format(name=p.name, id=p.id),
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


@rule(
    "KAM206",
    "future-date",
    "warning",
    N_("A date that cannot be in the future is"),
    N_("Correct the date: it records something that has happened, so it is today or earlier."),
)
def future_date(account: Any, ctx: Context) -> Iterator[Any]:
    """Finds: a `last_contact`, `reviewed` (of a person or of the account) or
    `in_post_since` after today (`--today` / `KAM_TODAY`).

    Why: stale data is the enemy (DOMAIN 1), and these dates record what has happened:
    a future one is a typo (2062 for 2026) that would otherwise keep a person "fresh"
    for decades. A future `last_contact` is
    not fresh in the score. (A future `left_on` is fine: an announced departure, KAM120.)

    Fix: correct the date to the day it happened."""
    a = account.account
    if a.reviewed > ctx.today:
        yield _future(
            account, "account", ("reviewed",), a.reviewed, ctx, _("account reviewed"), None
        )
    for i, p in enumerate(account.stakeholders):
        for name in ("last_contact", "reviewed", "in_post_since"):
            day = getattr(p, name)
            if day is not None and day > ctx.today:
                yield _future(
                    account,
                    "stakeholders",
                    ("stakeholders", i, name),
                    day,
                    ctx,
                    _("{field} of {name} ({id})").format(field=name, name=p.name, id=p.id),
                    p,
                )


def _future(
    account: Any,
    kind: str,
    path: tuple[Any, ...],
    day: dt.date,
    ctx: Context,
    what: str,
    person: Any,
) -> Any:
    days = (day - ctx.today).days
    return account.finding(
        "KAM206",
        kind,
        path,
        _("{what} is {day}, {days} days in the future (today is {today})").format(
            what=what, day=day.isoformat(), days=days, today=ctx.today.isoformat()
        ),
        data={
            "person": person.id if person is not None else None,
            "field": path[-1],
            "date": day.isoformat(),
            "age_days": -days,
            "threshold_days": None,
            "overdue_days": None,
            "owner": person.owner if person is not None else account.account.owner,
        },
    )
