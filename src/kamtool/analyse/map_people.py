"""Which people a power map draws (``kam map --focus``, ``kam map --chain``, the plan's map
of a large account): selections of an account's people, as analysis, so the renderers in
``kamtool.report.powermap`` draw whatever account they are given."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kamtool.load.accounts import Account
    from kamtool.load.models import Stakeholder, Unit


def focus(account: Account) -> tuple[Account, int]:
    """The account with only the people a power map is about (``kam map --focus``): those
    with a power-map role, a known attitude, an owner on our side, a competitor they back
    or a line of influence (either end), and the managers above each of them, so every
    reporting line drawn is a real one. Someone who left is drawn apart, with no reporting
    line, so their managers are not kept for them. A first CRM import brings thousands of people
    nobody has met; their map is grey noise in which the few who matter cannot be seen.
    Returns the account and how many people were left out."""
    import dataclasses

    people = account.stakeholders
    by_id = {p.id: p for p in people}
    influenced = {target for p in people for target in p.influences}
    keep: set[str] = set()
    for p in people:
        if (
            p.roles
            or p.attitude_known
            or p.owner
            or p.competitor
            or p.influences
            or p.id in influenced
        ):
            if p.left_on is not None:
                # drawn apart, with no reporting line: their managers are not kept for them
                keep.add(p.id)
                continue
            current: Stakeholder | None = p
            while current is not None and current.id not in keep:
                keep.add(current.id)
                current = by_id.get(current.reports_to) if current.reports_to else None
    kept = [p for p in people if p.id in keep]
    return dataclasses.replace(account, stakeholders=kept), len(people) - len(kept)


def chain(account: Account, contacted: Collection[str]) -> tuple[Account, int]:
    """The account with only its reporting chains from the decision makers to our
    contacts (``kam map --chain``): every decision maker (role D) in post; every contact
    of ours in post (a person with an ``owner`` on our side, or ``contacted``: a last
    contact, in the file or the log) who stands in a decision maker's reporting line,
    below or above them; everyone on that line between the two; and the hidden decision
    chain (DOMAIN 5): whoever in post ``influences`` a decision maker (a regulator, a
    consultant, a board member outside the org chart: a chain that left out the official
    who sways the chairman hid the risk KAM117 warns of), without their own managers. A
    decision maker no contact of ours reaches stays, alone: the gap the map is for.
    Contacts outside every decision maker's line, the people off those lines and those
    who left are left out. Returns the account and how many people were left out."""
    import dataclasses

    people = account.stakeholders
    in_post = {p.id: p for p in people if p.left_on is None}
    dms = {pid for pid, p in in_post.items() if "D" in p.roles}
    ours = {pid for pid, p in in_post.items() if p.owner or pid in contacted}

    def line_up(pid: str) -> list[str]:
        """``pid`` and the managers above them, nearest first (a cycle ends it)."""
        path = [pid]
        manager = in_post[pid].reports_to
        while manager in in_post and manager not in path:
            path.append(manager)
            manager = in_post[manager].reports_to
        return path

    keep = set(dms)
    keep.update(pid for pid, p in in_post.items() if dms.intersection(p.influences))
    for pid in in_post:
        path = line_up(pid)
        # a contact below a decision maker, or a decision maker below a contact: the
        # line from the one to the other, both ends included
        ends = (dms if pid in ours else set()) | (ours if pid in dms else set())
        for i, above in enumerate(path[1:], 1):
            if above in ends:
                keep.update(path[: i + 1])
    kept = [p for p in people if p.id in keep]
    return dataclasses.replace(account, stakeholders=kept), len(people) - len(kept)


def reporting_order(people: list[Stakeholder]) -> list[Stakeholder]:
    """``people`` as an org chart reads them (the order of ``kam map``'s tree): each
    manager followed by their reports, depth first, the people at the top and each
    manager's reports in file order. A plan's stakeholder table of a large account in
    the order of a CRM export scattered every org unit over the table. People whose
    manager is not among ``people`` (the caller leaves out who left) start a branch of
    their own; a cycle
    (an error of the data) keeps each person once."""
    ids = {p.id for p in people}
    reports: dict[str, list[Stakeholder]] = {}
    tops: list[Stakeholder] = []
    for p in people:
        if p.reports_to in ids and p.reports_to != p.id:
            reports.setdefault(p.reports_to, []).append(p)
        else:
            tops.append(p)
    out: list[Stakeholder] = []
    seen: set[str] = set()
    stack = list(reversed(tops))
    while stack:
        p = stack.pop()
        if p.id in seen:
            continue
        seen.add(p.id)
        out.append(p)
        stack.extend(reversed(reports.get(p.id, [])))
    # people only a cycle reaches (no top above them): after the rest, in file order
    out.extend(p for p in people if p.id not in seen)
    return out


def by_unit(
    people: list[Stakeholder], units: list[Unit]
) -> list[tuple[str | None, list[Stakeholder]]]:
    """``people`` grouped by their org unit, as a reader of a large account's plan looks
    for them (who do we know in the energy division?): the units in the order of the org
    chart (each unit, then the units below it, org.yaml's order among siblings), units
    without people left out, each unit's people in ``reporting_order``; people with no
    unit (or one org.yaml does not have) last, as the group ``None``."""
    known = {u.id for u in units}
    below: dict[str | None, list[str]] = {}
    for u in units:
        parent = u.parent if u.parent in known and u.parent != u.id else None
        below.setdefault(parent, []).append(u.id)
    order: list[str] = []
    seen: set[str] = set()
    stack = list(reversed(below.get(None, [])))
    while stack:
        uid = stack.pop()
        if uid in seen:
            continue
        seen.add(uid)
        order.append(uid)
        stack.extend(reversed(below.get(uid, [])))
    order.extend(u.id for u in units if u.id not in seen)  # units only a cycle reaches
    members: dict[str | None, list[Stakeholder]] = {}
    for p in people:
        members.setdefault(p.unit if p.unit in known else None, []).append(p)
    groups: list[tuple[str | None, list[Stakeholder]]] = [
        (uid, reporting_order(members[uid])) for uid in order if uid in members
    ]
    if None in members:
        groups.append((None, reporting_order(members[None])))
    return groups


def units_nobody_known_in(people: list[Stakeholder], units: list[Unit]) -> list[str]:
    """The ids of the org units (org.yaml's order) with nobody of ``people`` in them or in
    any unit below them: the blind spots of the org chart (a state utility's internal
    audit, which can stop a deal, with nobody on the map). A unit whose people all sit in
    the units below it is not one."""
    known = {u.id for u in units}
    parent = {u.id: u.parent for u in units if u.parent in known and u.parent != u.id}
    covered: set[str] = set()
    for p in people:
        unit = p.unit if p.unit in known else None
        while unit is not None and unit not in covered:
            covered.add(unit)
            unit = parent.get(unit)
    return [u.id for u in units if u.id not in covered]
