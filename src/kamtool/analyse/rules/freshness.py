"""KAM201-KAM206: stale data is the enemy (method 1), and a date in the future is wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, NamedTuple

from kamtool.analyse.contact import source, sponsor_touches
from kamtool.analyse.grading import contact_threshold
from kamtool.analyse.rules import Context, days_text, focus_text, threshold_text
from kamtool.i18n import N_, _
from kamtool.rule import REGISTRY as RULES
from kamtool.rule import rule

if TYPE_CHECKING:
    from kamtool.findings import Finding, FindingValue
    from kamtool.load.accounts import Account
    from kamtool.load.config import Config, Threshold
    from kamtool.load.models import Stakeholder
    from kamtool.load.yamlread import Path_


class Overdue(NamedTuple):
    age: int  # days since the date
    level: str  # "warning" past warn_after, "error" past error_after
    limit: int  # the threshold passed, in days

    @property
    def setting(self) -> str:
        """The kam.yaml key of the threshold passed, ``warn_after`` or ``error_after``:
        what a message names it by. Never "the error threshold": kam.yaml's ``rules``
        may report the finding at another level (``KAM201: warning``), and a message
        saying "error" beside "(warning)" contradicts itself; the key says which of the
        two limits was passed, at any level."""
        return "error_after" if self.level == "error" else "warn_after"


def overdue(date: dt.date | None, today: dt.date, threshold: Threshold) -> Overdue | None:
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
    account: Account,
    code: str,
    kind: str,
    path: tuple,
    date: dt.date,
    late: Overdue,
    message: str,
    person: Stakeholder | None,
    owner: str | None,
    hint: str | None = None,
    source: str | None = None,
) -> Finding:
    # the keys of ``_who`` written out: no dictionary to merge for each of the 70,000
    # freshness findings of a neglected portfolio
    found = account.finding(
        code,
        kind,
        path,
        message,
        severity=late.level,
        hint=hint,
        data={
            "person": person.id if person is not None else None,
            "person_name": person.name if person is not None else None,
            "account_name": account.profile.name if account.profile is not None else None,
            "field": path[-1],
            "date": date.isoformat(),
            "age_days": late.age,
            "threshold_days": late.limit,
            "overdue_days": late.age - late.limit,
            "owner": owner,
            "source": source,
        },
    )
    if source is None:
        found.data["source"] = _at(found)
    return found


def _at(found: Finding) -> str:
    """``stakeholders.yaml:12``: where a finding's date is written when it is the
    finding's own place, as KAM201 names a date it did not take from the log. Every
    freshness finding with a date has ``source`` (the stale table's column), so a script
    reads the same keys from each of KAM201-KAM206; without a date it is null."""
    return f"{found.path.rpartition('/')[2]}:{found.line}"


def _who(account: Account, person: Stakeholder | None) -> dict[str, FindingValue]:
    """The person and the account of a freshness finding, by id (what commands take) and
    by name (what the stale table shows: people are named by name in every table)."""
    return {
        "person": person.id if person is not None else None,
        "person_name": person.name if person is not None else None,
        "account_name": account.profile.name if account.profile is not None else None,
    }


def _contact_settings(config: Config) -> str:
    lc = config.freshness.last_contact
    return _("{focus}: {focus_th}; other tiers: {other_th}").format(
        focus=focus_text(config),
        focus_th=threshold_text(lc.focus.warn_after, lc.focus.error_after),
        other_th=threshold_text(lc.other.warn_after, lc.other.error_after),
    )


def _stakeholder_reviewed_settings(config: Config) -> str:
    th = config.freshness.stakeholder_reviewed
    return threshold_text(th.warn_after, th.error_after)


def _account_reviewed_settings(config: Config) -> str:
    th = config.freshness.account_reviewed
    return threshold_text(th.warn_after, th.error_after)


def _sponsor_settings(config: Config) -> str:
    th = config.freshness.sponsor_touch
    return _("{focus}: {threshold}").format(
        focus=focus_text(config), threshold=threshold_text(th.warn_after, th.error_after)
    )


@rule(
    "KAM201",
    "stale-contact",
    "threshold",
    N_("Last contact older than the threshold"),
    N_(
        "Get in touch, then record it with `kam log ACCOUNT PERSON -m TEXT` "
        "(or `kam touch ACCOUNT PERSON` without a log)."
    ),
    settings=_contact_settings,
)
def last_contact(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a key person whose effective last contact (the latest of `last_contact`
    and the newest log.yaml entry with them in `with`) is older than the warn threshold
    (warning) or the error threshold (error) of the account's tier: focus tiers 30 and
    60 days, other tiers 90 and 180 (`freshness.last_contact` in kam.yaml). The finding
    stays at the person's entry in stakeholders.yaml (`last_contact`, else `id`), where a
    `# kam: disable=KAM201` comment belongs; its message and data say where the date came
    from (`log.yaml:41`).

    Why: stale data is the enemy: a relationship nobody has tended for months is not the
    relationship the file describes, and the plan built on it is wrong (method 1, 7).

    Fix: get in touch, then record it with `kam log ACCOUNT PERSON -m TEXT` (or
    `kam touch ACCOUNT PERSON` in a team that keeps no log)."""
    th = contact_threshold(ctx.tier, ctx.config)
    # the message, its words and the hint translated once an account, not once a
    # finding: a neglected portfolio has 18,000 of these findings (see KAM202)
    text = _(
        "last contact with {name} ({id}) was {age} ago{where}, "
        "over the {limit}-day limit ({setting}, {scope} tiers)"
    ).format
    scope = _(N_("focus") if ctx.focus else N_("other"))
    hint = _(RULES["KAM201"].hint)
    days: dict[int, str] = {}  # "95 days", once an age an account
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
                text(
                    name=p.name,
                    id=p.id,
                    age=days.get(late.age) or days.setdefault(late.age, days_text(late.age)),
                    where=_(" ({where})").format(where=where) if contact.from_log else "",
                    limit=late.limit,
                    setting=late.setting,
                    scope=scope,
                ),
                p,
                account.relationship_owner(p),
                hint,
                where,
            )
            found.data["field"] = "last_contact"
            yield found


@rule(
    "KAM202",
    "stale-entry",
    "threshold",
    N_("Stakeholder entry not reviewed within the threshold"),
    N_("Confirm the entry is accurate, then `kam touch ACCOUNT PERSON --reviewed today`."),
    settings=_stakeholder_reviewed_settings,
)
def entry_reviewed(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a current person whose entry was last `reviewed` longer ago than the
    threshold (warn 90 days, error 180: `freshness.stakeholder_reviewed`).

    Why: titles, roles and attitudes change; an entry nobody has confirmed for half a
    year grades the account on old news (method 1).

    Fix: confirm the entry is accurate, then `kam touch ACCOUNT PERSON --reviewed today`."""
    th = ctx.config.freshness.stakeholder_reviewed
    # translated once an account: the 52,000 findings of a neglected portfolio's 2,000
    # accounts asked for the same three texts each (with KAM201: 290,000 calls of `_`
    # in a check, 87,000 now)
    text = _(
        "entry for {name} ({id}) was last reviewed {age} ago, "
        "over the {limit}-day limit ({setting})"
    ).format
    hint = _(RULES["KAM202"].hint)
    days: dict[int, str] = {}  # "95 days", once an age an account
    for i, p in ctx.people:
        late = overdue(p.reviewed, ctx.today, th)
        if late is not None and p.reviewed is not None:
            age = days.get(late.age) or days.setdefault(late.age, days_text(late.age))
            yield _stale(
                account,
                "KAM202",
                "stakeholders",
                ("stakeholders", i, "reviewed"),
                p.reviewed,
                late,
                text(
                    name=p.name,
                    id=p.id,
                    age=age,
                    limit=late.limit,
                    setting=late.setting,
                ),
                p,
                account.relationship_owner(p),
                hint,
            )


@rule(
    "KAM203",
    "stale-grading",
    "threshold",
    N_("Account grading inputs not reviewed within the threshold"),
    N_("Review position, value and tier, then `kam touch ACCOUNT --reviewed today`."),
    settings=_account_reviewed_settings,
)
def account_reviewed(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: an account whose grading inputs (`reviewed` in account.yaml) are older
    than the threshold (warn 365 days, error 450: `freshness.account_reviewed`).

    Why: grading is scored yearly and reviewed when reality departs from the plan; one
    firm still used a three-year-old grading table for 2,000 customers (method 1, 2).

    Fix: review position, value and tier (and correct them in account.yaml), then
    `kam touch ACCOUNT --reviewed today`, which sets `reviewed` in account.yaml."""
    a = ctx.profile
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
                "account grading was last reviewed {age} ago, "
                "over the {limit}-day limit ({setting})"
            ).format(age=days_text(late.age), limit=late.limit, setting=late.setting),
            None,
            account.relationship_owner(),
        )


#: KAM204's hint for a key person whose attitude is already "?" (not yet met)
_NEVER_MET_HINT = N_(
    "Plan a first contact, then record it with `kam log ACCOUNT PERSON -m TEXT` "
    "(or `kam touch ACCOUNT PERSON --contact DATE` without a log)."
)


@rule(
    "KAM204",
    "no-contact-date",
    "warning",
    N_("Key person without last_contact"),
    N_('Record the last real contact, or mark the attitude "?" and plan a first contact.'),
)
def missing_contact(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a current key person without a `last_contact` date and without any
    log.yaml entry that has them in `with`.

    Why: without a date nobody can tell whether the relationship is tended; the person
    never counts as fresh in the score (method 1).

    Fix: record the last real contact with `kam touch ACCOUNT PERSON --contact DATE`,
    or mark the attitude `"?"` and plan a first contact (for someone whose attitude is
    already `"?"`, the hint says only the latter)."""
    for i, p in ctx.key:
        if p.id not in ctx.contacts:
            yield account.finding(
                "KAM204",
                "stakeholders",
                ("stakeholders", i, "id"),
                _("key person {name} ({id}) has no last_contact date and no log entry").format(
                    name=p.name, id=p.id
                ),
                # "mark the attitude ?" told a user whose file says "?" to do what is done
                hint=None if p.attitude_known else _(_NEVER_MET_HINT),
                key=True,
                data={
                    **_who(account, p),
                    "field": "last_contact",
                    "date": None,
                    "age_days": None,
                    "threshold_days": None,
                    "overdue_days": None,
                    "owner": account.relationship_owner(p),
                    "source": None,
                },
            )


@rule(
    "KAM205",
    "sponsor-touch",
    "threshold",
    N_(
        "Focus-tier account: a key person's executive sponsor has not met them within the threshold"
    ),
    N_(
        "Set up an executive meeting, then record it with "
        "`kam log ACCOUNT PERSON --kind executive-meeting --by SPONSOR`."
    ),
    settings=_sponsor_settings,
)
def sponsor_touch(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: in a focus-tier account, a key person whose executive `sponsor` has not met
    them (no log.yaml entry with the sponsor in `by` and the person in `with`) within
    `sponsor_touch` (warn 180 days, error 365). A sponsor who never met them in the log is
    a warning: the log may be new, and an error would fail every gate on the day a team
    adopts it.

    Why: the executive sponsor ("key customer expansion card") works through regular
    meetings at visits, fairs and key dates; a sponsor who never meets their counterpart
    is a name on paper (method 6).

    Fix: set up an executive meeting, then record it with
    `kam log ACCOUNT PERSON --kind executive-meeting --by SPONSOR`."""
    if not ctx.focus:
        return
    th = ctx.config.freshness.sponsor_touch
    touches = sponsor_touches(account, ctx.today)
    for i, p in ctx.key:
        if not p.sponsor:
            continue
        met = touches.get((p.id, p.sponsor))
        data: dict[str, FindingValue] = {
            **_who(account, p),
            "field": "sponsor",
            "date": None,
            "age_days": None,
            "threshold_days": None,
            "overdue_days": None,
            "owner": p.sponsor,
            "source": None,
        }
        if met is None:
            yield account.finding(
                "KAM205",
                "stakeholders",
                ("stakeholders", i, "sponsor"),
                _(
                    "executive sponsor {sponsor} has no meeting with {name} ({id}) in the log"
                ).format(sponsor=p.sponsor, name=p.name, id=p.id),
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
                _(
                    "executive sponsor {sponsor} last met {name} ({id}) {age} "
                    "ago ({where}), over the {limit}-day limit ({setting})"
                ).format(
                    sponsor=p.sponsor,
                    name=p.name,
                    id=p.id,
                    age=days_text(late.age),
                    where=where,
                    limit=late.limit,
                    setting=late.setting,
                ),
                p,
                p.sponsor,
                source=where,
            )
            yield found


@rule(
    "KAM206",
    "future-date",
    "warning",
    N_("A date in the future where none can be"),
    N_("Correct the date: it records something that has happened, so it is today or earlier."),
)
def future_date(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a `last_contact`, `reviewed` (of a person or of the account),
    `in_post_since` or log.yaml entry `date` after today (`--today` / `KAM_TODAY`).

    Why: stale data is the enemy (method 1), and these dates record what has happened:
    a future one is a typo (2062 for 2026) that would otherwise keep a person "fresh"
    for decades. A future `last_contact` is
    not fresh in the score. (A future `left_on` is fine: an announced departure, KAM120.)

    Fix: correct the date to the day it happened."""
    a = ctx.profile
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
    log = getattr(account, "log", None)
    for i, entry in enumerate(log.entries if log is not None else ()):
        if entry.date > ctx.today:
            found = account.finding(
                "KAM206",
                "log",
                ("entries", i, "date"),
                _(
                    "date {date} is in the future (today is {today}): a log entry records a contact that happened"
                ).format(date=entry.date.isoformat(), today=ctx.today.isoformat()),
                data={
                    **_who(account, None),
                    "field": "date",
                    "date": entry.date.isoformat(),
                    "age_days": (ctx.today - entry.date).days,
                    "threshold_days": None,
                    "overdue_days": None,
                    "owner": account.relationship_owner(),
                },
            )
            found.data["source"] = _at(found)
            yield found


def _future(
    account: Account,
    kind: str,
    path: Path_,
    day: dt.date,
    ctx: Context,
    what: str,
    person: Stakeholder | None,
) -> Finding:
    days = (day - ctx.today).days
    found = account.finding(
        "KAM206",
        kind,
        path,
        _("{what} is {day}, {days} in the future (today is {today})").format(
            what=what, day=day.isoformat(), days=days_text(days), today=ctx.today.isoformat()
        ),
        data={
            **_who(account, person),
            "field": path[-1],
            "date": day.isoformat(),
            "age_days": -days,
            "threshold_days": None,
            "overdue_days": None,
            "owner": account.relationship_owner(person),
        },
    )
    found.data["source"] = _at(found)
    return found
