"""KAM101-KAM113: the power map and the relationship (DOMAIN 4-6)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kamtool.analyse.rules import Context
from kamtool.findings import Finding
from kamtool.load.models import UNKNOWN


def _att(p: Any) -> int | None:
    return None if p.attitude == UNKNOWN else int(p.attitude)


def _int(p: Any) -> int | None:
    return None if p.intimacy == UNKNOWN else int(p.intimacy)


def dm_attitude(account: Any, ctx: Context) -> Iterator[Finding]:
    for i, p in ctx.people:
        if "D" not in p.roles:
            continue
        path = ("stakeholders", i, "attitude")
        if p.attitude == UNKNOWN:
            yield account.finding(
                "KAM101",
                "stakeholders",
                path,
                f'decision maker {p.name} ({p.id}) has an unknown attitude "?"',
            )
        elif int(p.attitude) < 0:
            yield account.finding(
                "KAM102",
                "stakeholders",
                path,
                f"decision maker {p.name} ({p.id}) is opposed (attitude {int(p.attitude):+d})",
            )


def decision_chain(account: Any, ctx: Context) -> Iterator[Finding]:
    if any("D" in p.roles for _i, p in ctx.people):
        return
    left = [
        (i, p)
        for i, p in enumerate(account.stakeholders)
        if p.left_on is not None and "D" in p.roles
    ]
    if left:
        i, p = max(left, key=lambda ip: ip[1].left_on)
        yield account.finding(
            "KAM112",
            "stakeholders",
            ("stakeholders", i, "left_on"),
            f"decision maker {p.name} ({p.id}) left on {p.left_on.isoformat()} and no one with role D remains",
        )
    else:
        yield account.finding(
            "KAM103",
            "stakeholders",
            ("stakeholders",),
            "no decision maker identified (no current stakeholder has role D)",
            key=True,
        )


def ab_cover(account: Any, ctx: Context) -> Iterator[Finding]:
    for i, p in ctx.key:
        base = ("stakeholders", i)
        if not p.owner and not p.backup:
            yield account.finding(
                "KAM104",
                "stakeholders",
                (*base, "id"),
                f"key person {p.name} ({p.id}) has no owner and no backup on our side",
                key=True,
            )
        elif not p.owner:
            yield account.finding(
                "KAM104",
                "stakeholders",
                (*base, "id"),
                f"key person {p.name} ({p.id}) has no owner (A role)",
                key=True,
            )
        elif not p.backup:
            yield account.finding(
                "KAM104",
                "stakeholders",
                (*base, "owner"),
                f"key person {p.name} ({p.id}) has no backup owner (B role)",
            )
        elif p.backup == p.owner:
            yield account.finding(
                "KAM104",
                "stakeholders",
                (*base, "backup"),
                f"backup {p.backup} is also the owner of {p.name} ({p.id})",
            )


def channels(account: Any, ctx: Context) -> Iterator[Finding]:
    for i, p in ctx.key:
        if ("D" in p.roles or "C" in p.roles) and len(p.channels) < 2:
            path = ("stakeholders", i, "channels") if p.channels else ("stakeholders", i, "id")
            role = "decision maker" if "D" in p.roles else "coach"
            yield account.finding(
                "KAM105",
                "stakeholders",
                path,
                f"{role} {p.name} ({p.id}) has {len(p.channels)} information channel(s); 2 independent ones are needed",
                key=not p.channels,
            )


def attitude_intimacy(account: Any, ctx: Context) -> Iterator[Finding]:
    for i, p in ctx.people:
        a, n = _att(p), _int(p)
        if a is None or n is None:
            continue
        path = ("stakeholders", i, "intimacy")
        if a >= 2 and n <= 0:
            yield account.finding(
                "KAM106",
                "stakeholders",
                path,
                f"{p.name} ({p.id}) supports us ({a:+d}) but intimacy is {n:+d}: may turn rationally when a competitor comes",
            )
        elif n >= 2 and a <= 0:
            yield account.finding(
                "KAM107",
                "stakeholders",
                path,
                f"{p.name} ({p.id}) is close (intimacy {n:+d}) but not supportive ({a:+d}): re-examine their needs",
            )


def coach(account: Any, ctx: Context) -> Iterator[Finding]:
    if not any("C" in p.roles or p.attitude == 3 for _i, p in ctx.key):
        yield account.finding(
            "KAM108",
            "stakeholders",
            ("stakeholders",),
            "no coach: no key person has role C or attitude +3",
            key=True,
        )


def outranked(account: Any, ctx: Context) -> Iterator[Finding]:
    ok, sup, backer = ctx.grade.standing
    if ok or backer is None:
        return
    i = account.stakeholders.index(backer)
    if sup is None:
        msg = (
            f"{backer.name} ({backer.id}) backs {backer.competitor} and no supporter of ours "
            "(attitude >= 2) has a place in the reporting lines"
        )
    else:
        msg = (
            f"{backer.name} ({backer.id}), who backs {backer.competitor}, outranks our most senior "
            f"supporter {sup.name} ({sup.id})"
        )
    yield account.finding("KAM109", "stakeholders", ("stakeholders", i, "competitor"), msg)


def layers(account: Any, ctx: Context) -> Iterator[Finding]:
    if not ctx.focus:
        return
    present = {p.layer for _i, p in ctx.people}
    missing = [x for x in ("general", "organizational") if x not in present]
    if missing:
        yield account.finding(
            "KAM110",
            "stakeholders",
            ("stakeholders",),
            f"tier {ctx.tier} account without any {' or '.join(missing)} layer stakeholder",
            key=True,
        )


def new_in_post(account: Any, ctx: Context) -> Iterator[Finding]:
    days = ctx.config.new_in_post_days
    for i, p in ctx.key:
        if p.in_post_since is not None and 0 <= (ctx.today - p.in_post_since).days <= days:
            yield account.finding(
                "KAM111",
                "stakeholders",
                ("stakeholders", i, "in_post_since"),
                f"{p.name} ({p.id}) is new in post since {p.in_post_since.isoformat()}: re-verify their attitude",
            )


def executive_sponsor(account: Any, ctx: Context) -> Iterator[Finding]:
    if not ctx.focus:
        return
    dms = [(i, p) for i, p in ctx.people if "D" in p.roles]
    if dms and not any(p.sponsor for _i, p in dms):
        i, _p = dms[0]
        yield account.finding(
            "KAM113",
            "stakeholders",
            ("stakeholders", i, "id"),
            f"tier {ctx.tier} account: no decision maker has an executive sponsor",
            key=True,
        )


RULES = [
    dm_attitude,
    decision_chain,
    ab_cover,
    channels,
    attitude_intimacy,
    coach,
    outranked,
    layers,
    new_in_post,
    executive_sponsor,
]
