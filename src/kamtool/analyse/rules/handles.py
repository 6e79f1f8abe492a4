"""The rule on the handles of our own people (KAM121): one colleague, one spelling."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kamtool.analyse.handles import handle_fields
from kamtool.analyse.rules import Context
from kamtool.i18n import N_, _
from kamtool.load.models import handle_key
from kamtool.rule import rule

if TYPE_CHECKING:
    from kamtool.findings import Finding
    from kamtool.load.accounts import Account
    from kamtool.load.yamlread import Path_


@rule(
    "KAM121",
    "handle-spelling",
    "warning",
    N_("One colleague's handle written two ways in an account"),
    N_("Write the handle one way everywhere in the account, as the message names it."),
)
def handle_spelling(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a handle of ours (an owner, backup, sponsor, team member, target or action
    owner, or a log entry's `by`) written in one place otherwise than in another of the
    same account, in capitals, spacing or separators only (`Li.Ming`, `li ming`,
    `li_ming` for `li.ming`; `138 0000 0000` for `13800000000`; full-width letters), at
    the first place of each other spelling.

    Why: every handle field takes one person, and kam tells people apart by the handle as
    written: two spellings are two colleagues, so the owner counts, `kam stale --owner`,
    `kam agenda --owner` and the A/B cover each see half of what one person holds, and a
    relationship owner looks missing where they are only misspelt (method 4).

    Fix: write the handle one way everywhere (the message names the spelling used most
    in the account, and where: one without spaces, as `kam log --by` takes it, else the
    one written most); `kam log --by` names that spelling too."""
    from kamtool.load.accounts import FILE_NAMES

    written: dict[str, list[tuple[str, Path_]]] = {}
    for kind, path, handle in handle_fields(account):
        written.setdefault(handle, []).append((kind, path))
    if len(written) < 2:
        return
    # each spelling keyed once (an account writes a handful of handles dozens of times)
    spellings: dict[str, dict[str, list[tuple[str, Path_]]]] = {}
    for handle, places in written.items():
        spellings.setdefault(handle_key(handle), {})[handle] = places
    for variants in spellings.values():
        if len(variants) < 2:
            continue
        # the one to keep: a spelling `kam log --by` takes (ASCII, no spaces), then the
        # spelling written most, then the first written
        order = list(variants)
        meant = max(
            order,
            key=lambda h: (
                h.isascii() and not any(c.isspace() for c in h),
                len(variants[h]),
                -order.index(h),
            ),
        )
        kind, path = variants[meant][0]
        line = account.position(kind, path)[0]
        where = f"{FILE_NAMES[kind]}:{line}"
        for handle in order:
            if handle == meant:
                continue
            at_kind, at_path = variants[handle][0]
            yield account.finding(
                "KAM121",
                at_kind,
                at_path,
                _(
                    "{handle!r} is {meant!r} ({where}) written another way: kam counts two "
                    "colleagues, and `kam agenda --owner {meant}` misses this one; write "
                    "{meant!r} here"
                ).format(handle=handle, meant=meant, where=where),
                data={"handle": handle, "meant": meant, "places": len(variants[handle])},
            )
