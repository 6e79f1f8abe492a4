"""The effective last contact of SPEC section 2 (v2): the latest of a person's
``last_contact`` in stakeholders.yaml and the newest log.yaml entry that has them in
``with``, with where that date came from.

Everything that judges how recent a contact is (score freshness, KAM201, KAM204,
``kam stale``, ``kam agenda``, the plan) reads it from here, so a team that keeps a log
and a team that only runs ``kam touch`` get the same answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kamtool.load.accounts import Account
    from kamtool.load.yamlread import Path_


@dataclass(frozen=True, slots=True)
class Contact:
    """A person's effective last contact."""

    date: dt.date
    #: "log" when a log entry gave the date, "stakeholders" when ``last_contact`` did
    origin: str
    #: the log entry's index in ``entries`` (origin "log"), else None
    entry: int | None = None

    @property
    def from_log(self) -> bool:
        return self.origin == "log"


def effective_contacts(account: Account, today: dt.date) -> dict[str, Contact]:
    """Person id -> effective last contact, for every person who has one.

    A log entry dated after ``today`` did not happen yet (it is KAM206) and never counts;
    on the same day the log entry wins, since it records more than a date."""
    out: dict[str, Contact] = {}
    for p in account.stakeholders:
        if p.last_contact is not None:
            out[p.id] = Contact(p.last_contact, "stakeholders")
    log = getattr(account, "log", None)
    if log is None:
        return out
    for i, entry in enumerate(log.entries):
        if entry.date > today:
            continue
        for person in entry.with_:
            known = out.get(person)
            if known is None or entry.date >= known.date:
                out[person] = Contact(entry.date, "log", i)
    return out


def sponsor_touches(account: Account, today: dt.date) -> dict[tuple[str, str], tuple[dt.date, int]]:
    """(person id, our handle) -> (date, entry index) of the newest log entry with that
    handle in ``by`` and the person in ``with``: when an executive sponsor last met them."""
    out: dict[tuple[str, str], tuple[dt.date, int]] = {}
    log = getattr(account, "log", None)
    if log is None:
        return out
    for i, entry in enumerate(log.entries):
        if entry.date > today:
            continue
        for person in entry.with_:
            for handle in entry.by:
                known = out.get((person, handle))
                if known is None or entry.date >= known[0]:
                    out[(person, handle)] = (entry.date, i)
    return out


def source(account: Account, person_index: int, contact: Contact) -> str:
    """Where a contact's date is written, as ``log.yaml:41`` or ``stakeholders.yaml:12``."""
    path: Path_
    if contact.from_log and contact.entry is not None:
        kind, path = "log", ("entries", contact.entry, "date")
    else:
        kind, path = "stakeholders", ("stakeholders", person_index, "last_contact")
    line = account.position(kind, path)[0]
    # the file's name: the display path is POSIX, so its last part, without building a
    # PurePosixPath per stale contact (18,000 on a neglected portfolio: 3% of a profiled check)
    return f"{account.file_display(kind).rpartition('/')[2]}:{line}"


def with_effective_contacts(account: Account, today: dt.date) -> Account:
    """The account with each person's ``last_contact`` replaced by their effective last
    contact: what ``kam map --show contact`` draws. The map read ``last_contact`` alone,
    so a person met last month and recorded with ``kam log`` showed "never contacted"
    beside a plan that gave the meeting's date. The rest is shared."""
    import dataclasses

    contacts = effective_contacts(account, today)
    people = [
        p.model_copy(update={"last_contact": contacts[p.id].date})
        if p.id in contacts and contacts[p.id].date != p.last_contact
        else p
        for p in account.stakeholders
    ]
    return dataclasses.replace(account, stakeholders=people)
