"""KAM201-KAM204: stale data is the enemy (DOMAIN 1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any, NamedTuple

from kamtool.analyse.contact import source, sponsor_touches
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
    """KAM201 on the effective last contact (log included). The finding stays at the
    person's entry in stakeholders.yaml (``last_contact``, else ``id``), where a
    ``# kam: disable=KAM201`` comment belongs; its message and data say where the date came
    from."""
    th = contact_threshold(ctx.tier, ctx.config)
    scope = "focus" if ctx.focus else "other"
    for i, p in ctx.key:
        contact = ctx.contacts.get(p.id)
        if contact is None:
            continue
        late = overdue(contact.date, ctx.today, th)
        if late is not None:
            where = source(account, i, contact)
            found = _stale(
                account,
                "KAM201",
                "stakeholders",
                ("stakeholders", i, "last_contact" if p.last_contact is not None else "id"),
                contact.date,
                late,
                f"last contact with {p.name} ({p.id}) was {late.age} days ago"
                + (f" ({where})" if contact.from_log else "")
                + f", over the {late.limit}-day {late.level} threshold ({scope} tiers)",
                p.id,
                p.owner,
            )
            found.data["field"] = "last_contact"
            found.data["source"] = where
            yield found


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
        if p.id not in ctx.contacts:
            yield account.finding(
                "KAM204",
                "stakeholders",
                ("stakeholders", i, "id"),
                f"key person {p.name} ({p.id}) has no last_contact date and no log entry",
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


def sponsor_touch(account: Any, ctx: Context) -> Iterator[Any]:
    """KAM205: in a focus-tier account, a key person's executive ``sponsor`` should meet
    them (a log entry with the sponsor in ``by`` and the person in ``with``) within
    ``sponsor_touch``. A sponsor who never met them in the log is a warning: the log may
    be new, and an error would fail every gate on the day a team adopts it."""
    if not ctx.focus:
        return
    th = ctx.config.freshness.sponsor_touch
    touches = sponsor_touches(account, ctx.today)
    for i, p in ctx.key:
        if not p.sponsor:
            continue
        met = touches.get((p.id, p.sponsor))
        data = {
            "person": p.id,
            "field": "sponsor",
            "date": None,
            "age_days": None,
            "threshold_days": None,
            "overdue_days": None,
            "owner": p.sponsor,
        }
        if met is None:
            yield account.finding(
                "KAM205",
                "stakeholders",
                ("stakeholders", i, "sponsor"),
                f"executive sponsor {p.sponsor} has no meeting with {p.name} ({p.id}) in the log",
                severity="warning",
                data=data,
            )
            continue
        late = overdue(met[0], ctx.today, th)
        if late is not None:
            where = f"{PurePosixPath(account.file_display('log')).name}:" + str(
                account.position("log", ("entries", met[1], "date"))[0]
            )
            found = _stale(
                account,
                "KAM205",
                "stakeholders",
                ("stakeholders", i, "sponsor"),
                met[0],
                late,
                f"executive sponsor {p.sponsor} last met {p.name} ({p.id}) {late.age} days "
                f"ago ({where}), over the {late.limit}-day {late.level} threshold",
                p.id,
                p.sponsor,
            )
            found.data["source"] = where
            yield found


def future_log_dates(account: Any, ctx: Context) -> Iterator[Any]:
    """KAM206 for log entries: a contact cannot have happened after today."""
    log = getattr(account, "log", None)
    if log is None:
        return
    for i, entry in enumerate(log.entries):
        if entry.date > ctx.today:
            yield account.finding(
                "KAM206",
                "log",
                ("entries", i, "date"),
                f"date {entry.date.isoformat()} is in the future (today is "
                f"{ctx.today.isoformat()}): a log entry records a contact that happened",
            )


RULES = [
    last_contact,
    entry_reviewed,
    account_reviewed,
    missing_contact,
    sponsor_touch,
    future_log_dates,
]
