"""Where an account names colleagues of ours: every handle field (the fields that take one
person each, ``HandleCheck`` in ``kamtool.load.models``), with where it is written.

``account_handles`` (the agenda's ``--owner``, ``kam log --by``'s near misses) and KAM121
(one handle written two ways) read the same list, so a new handle field is added here once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kamtool.load.accounts import Account
    from kamtool.load.yamlread import Path_


def handle_fields(account: Account) -> Iterator[tuple[str, Path_, str]]:
    """(file kind, path, handle) of every handle an account names, in file order: the
    account's owner and team, each person's owner, backup and sponsor, the owners of
    targets, relationship goals and actions, and who took part in logged contacts."""
    a = account.profile
    if a is None:
        return
    yield "account", ("owner",), a.owner
    for i, m in enumerate(a.team):
        yield "account", ("team", i, "person"), m.person
    for i, p in enumerate(account.stakeholders):
        for key in ("owner", "backup", "sponsor"):
            handle = getattr(p, key)
            if handle:
                yield "stakeholders", ("stakeholders", i, key), handle
    t = account.targets
    if t is not None:
        for i, x in enumerate(t.targets):
            yield "targets", ("targets", i, "owner"), x.owner
        for i, g in enumerate(t.relationship_goals):
            yield "targets", ("relationship_goals", i, "owner"), g.owner
        for i, c in enumerate(t.actions):
            yield "targets", ("actions", i, "owner"), c.owner
    if account.log is not None:
        for i, entry in enumerate(account.log.entries):
            for j, handle in enumerate(entry.by):
                yield "log", ("entries", i, "by", j), handle


def account_handles(account: Account) -> set[str]:
    """Every handle of our side one account names (``handle_fields``), as written."""
    return {handle for _kind, _path, handle in handle_fields(account)}
