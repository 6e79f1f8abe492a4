"""Which people a power map draws (``kam map --focus``, ``kam map --chain``, the plan's map
of a large account): selections of an account's people, as analysis, so the renderers in
``kamtool.report.powermap`` draw whatever account they are given."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kamtool.load.accounts import Account
    from kamtool.load.models import Stakeholder


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
    below or above them; and everyone on that line between the two. A decision maker no
    contact of ours reaches stays, alone: the gap the map is for. Contacts outside every
    decision maker's line, the people off those lines and those who left are left out.
    Returns the account and how many people were left out."""
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
