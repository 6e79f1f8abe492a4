"""The rules on the handles of our own people: one colleague, one spelling (KAM121); no
work left in the name of a colleague who leaves (KAM122)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kamtool.analyse.handles import handle_fields
from kamtool.analyse.rules import Context
from kamtool.i18n import N_, _, listed
from kamtool.load.models import handle_key
from kamtool.rule import rule

if TYPE_CHECKING:
    from kamtool.findings import Finding
    from kamtool.load.accounts import Account
    from kamtool.load.config import Config
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
    same account, in capitals, spacing, separators or accents only (`Li.Ming`,
    `li ming`, `li_ming` for `li.ming`; `138 0000 0000` for `13800000000`; full-width
    letters; `ayse.yilmaz` for `ayşe.yılmaz`, as a keyboard without Turkish letters
    types it), at the first place of each other spelling.

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


def _leaving_settings(config: Config) -> str:
    leaving = config.colleagues_leaving
    if not leaving:
        return _("no colleague listed in colleagues_leaving")
    return _("last days: {leavers}").format(
        leavers=listed(f"{handle} {day.isoformat()}" for handle, day in sorted(leaving.items()))
    )


@rule(
    "KAM122",
    "colleague-leaving",
    "warning",
    N_("Work in the name of a colleague who leaves the company"),
    N_("Name the colleague who takes over, here and wherever the handle is still written."),
    settings=_leaving_settings,
)
def colleague_leaving(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a colleague listed in `colleagues_leaving` (kam.yaml: handle and last day)
    who is still the account's owner, in its team, the owner, backup or sponsor of a
    current person, or the owner of a target, a relationship goal or an open action
    (planned or doing), at each such place, whether the last day is ahead or past. A
    handle written another way (`Wang.Fang` for `wang.fang`) is the same colleague. The
    contact log is history and is not read: who took part in a past meeting stays as
    written; nor are people who have left the customer, with the goals and actions that
    name them (KAM115 says so), or actions done or dropped.

    Why: every relationship has an owner and a backup so that it never hangs on one
    person (method 4); a relationship in the name of someone who has gone has neither,
    and nobody's agenda shows what is due in it. Listing the leaver in kam.yaml before
    the last day turns the handover into a list, and keeps the name from coming back.

    Fix: write the successor's handle at each place (`kam agenda --owner HANDLE` shows
    what is due in the leaver's name first); keep the leaver in `colleagues_leaving`
    after the last day, so that a pasted old entry is caught."""
    leaving = ctx.config.colleagues_leaving
    if not leaving:
        return
    last_days = {handle_key(handle): day for handle, day in leaving.items()}
    people = account.stakeholders
    gone = {p.id for p in people if p.left_by(ctx.today)}
    t = account.targets
    day_of: dict[str, dt.date | None] = {}  # each spelling keyed once
    for kind, path, handle in handle_fields(account):
        if kind == "log":
            continue
        if handle in day_of:
            day = day_of[handle]
        else:
            day = day_of[handle] = last_days.get(handle_key(handle))
        if day is None:
            continue
        field = path[0]
        if field == "owner":
            what = _("the account's owner")
        elif field == "team":
            what = _("in the account team")
        elif field == "stakeholders":
            p = people[int(path[1])]
            if p.left_by(ctx.today):
                continue
            what = {
                "owner": _("the owner of {name} ({id})"),
                "backup": _("the backup of {name} ({id})"),
                "sponsor": _("the sponsor of {name} ({id})"),
            }[str(path[2])].format(name=p.name, id=p.id)
        elif field == "targets" and t is not None:
            what = _("the owner of target {id}").format(id=t.targets[int(path[1])].id)
        elif field == "relationship_goals" and t is not None:
            goal = t.relationship_goals[int(path[1])]
            if goal.stakeholder in gone:  # KAM115 says so
                continue
            what = _("the owner of the relationship goal for {name}").format(
                name=account.person_name(goal.stakeholder)
            )
        elif field == "actions" and t is not None:
            action = t.actions[int(path[1])]
            if action.status in ("done", "dropped") or action.stakeholder in gone:
                continue
            what = _("the owner of action {id}").format(id=action.id)
        else:
            continue
        text = (
            _("{handle!r}, {what}, leaves us on {day}: name the colleague who takes over")
            if day >= ctx.today
            else _("{handle!r}, {what}, left us on {day}: name the colleague who takes over")
        )
        yield account.finding(
            "KAM122",
            kind,
            path,
            text.format(handle=handle, what=what, day=day.isoformat()),
            data={"handle": handle, "last_day": day.isoformat()},
        )
