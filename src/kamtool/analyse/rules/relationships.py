"""KAM101-KAM120: the power map and the relationship (DOMAIN 3-9).

Each rule is one function declared with its catalogue entry (``kamtool.rule.rule``); its
docstring is what ``kam rules CODE`` prints."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kamtool.analyse.rules import Context
from kamtool.findings import Finding
from kamtool.load.models import UNKNOWN
from kamtool.rule import rule

#: DOMAIN 3: a key post that changed this recently still counts as a change
KEY_POST_CHANGE_DAYS = 90
#: KAM120: a departure announced this far ahead is worth planning for now
ANNOUNCED_DEPARTURE_DAYS = 180


def _att(p: Any) -> int | None:
    return None if p.attitude == UNKNOWN else int(p.attitude)


def _int(p: Any) -> int | None:
    return None if p.intimacy == UNKNOWN else int(p.intimacy)


@rule(
    "KAM101",
    "dm-attitude-unknown",
    "warning",
    "Decision maker with unknown attitude",
    "Make contact and record their attitude: an unknown decision maker is the first priority.",
)
def dm_attitude_unknown(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: a current decision maker (role D) whose attitude is `"?"`, not yet contacted.

    Why: the method says never to write 0 for someone you have not met: "?" marks a
    priority to make contact, and the decision maker decides the outcome (DOMAIN 5).

    Fix: meet them, then record their attitude (-3..3) and the contact date."""
    for i, p in ctx.people:
        if "D" in p.roles and p.attitude == UNKNOWN:
            yield account.finding(
                "KAM101",
                "stakeholders",
                ("stakeholders", i, "attitude"),
                f'decision maker {p.name} ({p.id}) has an unknown attitude "?"',
            )


@rule(
    "KAM102",
    "dm-opposed",
    "warning",
    "Decision maker opposed",
    "Plan how to win them over (their needs, a sponsor at their level) or how to limit their weight.",
)
def dm_opposed(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: a current decision maker whose attitude is below 0.

    Why: an opposed decision maker can stop the deal on their own; the relationship plan
    must say how to change their mind or limit their weight (DOMAIN 5, 6).

    Fix: set a relationship goal for them, find their individual needs, give them an
    executive sponsor of equal status; update the attitude when it changes."""
    for i, p in ctx.people:
        a = _att(p)
        if "D" in p.roles and a is not None and a < 0:
            yield account.finding(
                "KAM102",
                "stakeholders",
                ("stakeholders", i, "attitude"),
                f"decision maker {p.name} ({p.id}) is opposed (attitude {a:+d})",
            )


def _left_decision_makers(account: Any, ctx: Context) -> list[tuple[int, Any]]:
    return [
        (i, p)
        for i, p in enumerate(account.stakeholders)
        if p.left_by(ctx.today) and "D" in p.roles
    ]


@rule(
    "KAM103",
    "no-decision-maker",
    "warning",
    "No decision maker identified",
    "Map the decision chain and mark who decides (role D).",
)
def no_decision_maker(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: an account where no current stakeholder has role D (and none has left:
    that is KAM112).

    Why: the power map starts from the decision chain (DOMAIN 5); without the decider,
    the score's largest component is 0 and every relationship plan aims at the wrong
    people.

    Fix: map the decision chain and give role D to whoever makes or approves the final
    decision."""
    if any("D" in p.roles for _i, p in ctx.people) or _left_decision_makers(account, ctx):
        return
    yield account.finding(
        "KAM103",
        "stakeholders",
        ("stakeholders",),
        "no decision maker identified (no current stakeholder has role D)",
        key=True,
    )


@rule(
    "KAM104",
    "ab-cover",
    "warning",
    "Key person without owner, without backup, or backup = owner",
    "Name a primary owner and a different backup so the relationship never hangs on one person.",
)
def ab_cover(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: a key person without an `owner`, without a `backup`, or whose backup is
    the owner.

    Why: A/B roles: each key person is covered by a primary and a backup owner so that
    no relationship hangs on one employee (DOMAIN 6).

    Fix: set `owner` and a different `backup` on the person's entry."""
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


@rule(
    "KAM105",
    "channels",
    "warning",
    "Key decision maker or coach with fewer than 2 information channels",
    "Open a second independent channel to cross-check what you hear.",
)
def channels(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: a key decision maker or coach with fewer than two `channels`.

    Why: for important targets the method asks for at least two stable, independent
    information channels, to cross-check what we hear (DOMAIN 6).

    Fix: open a second independent channel (another colleague, a partner, a regular
    meeting) and list it under `channels`."""
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


@rule(
    "KAM106",
    "rational-turn-risk",
    "warning",
    "Supports us but not close: may turn when a competitor comes",
    "Deepen the personal relationship: they like the offer, not yet us.",
)
def rational_turn_risk(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: a current person with attitude 2 or more and intimacy 0 or less.

    Why: high support with low intimacy means they like the product, not us: they may
    "turn rationally" when a competitor comes (DOMAIN 5).

    Fix: deepen the personal relationship (meetings outside the office, shared
    activities), then record the new intimacy."""
    for i, p in ctx.people:
        a, n = _att(p), _int(p)
        if a is not None and n is not None and a >= 2 and n <= 0:
            yield account.finding(
                "KAM106",
                "stakeholders",
                ("stakeholders", i, "intimacy"),
                f"{p.name} ({p.id}) supports us ({a:+d}) but intimacy is {n:+d}: may turn rationally when a competitor comes",
            )


@rule(
    "KAM107",
    "friendly-not-supportive",
    "info",
    "Close but not supportive",
    "Re-examine their needs and constraints; do not misread friendliness as support.",
)
def friendly_not_supportive(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: a current person with intimacy 2 or more and attitude 0 or less.

    Why: friendly but not backing us (their role, a policy): the relationship is easy to
    misread as support (DOMAIN 5).

    Fix: re-examine their needs and constraints, and record what holds them back."""
    for i, p in ctx.people:
        a, n = _att(p), _int(p)
        if a is not None and n is not None and n >= 2 and a <= 0:
            yield account.finding(
                "KAM107",
                "stakeholders",
                ("stakeholders", i, "intimacy"),
                f"{p.name} ({p.id}) is close (intimacy {n:+d}) but not supportive ({a:+d}): re-examine their needs",
            )


@rule(
    "KAM108",
    "no-coach",
    "info",
    "No coach",
    "Develop a coach: someone who supports us and guides us through the deal.",
)
def coach(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: an account where no key person has role C or attitude +3.

    Why: a coach supports us and guides us through the deal; without one we learn about
    the customer's decision only from the outside (DOMAIN 5).

    Fix: develop a coach among the supporters and give them role C."""
    if not any("C" in p.roles or p.attitude == 3 for _i, p in ctx.key):
        yield account.finding(
            "KAM108",
            "stakeholders",
            ("stakeholders",),
            "no coach: no key person has role C or attitude +3",
            key=True,
        )


@rule(
    "KAM109",
    "outranked",
    "warning",
    "A competitor's backer outranks our most senior supporter",
    "Win a supporter at least as senior as the competitor's backer, or change the business goal.",
)
def outranked(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: a key person who backs a competitor and sits higher in the reporting lines
    than our most senior supporter (attitude 2 or more).

    Why: our supporters must not be clearly lower in the hierarchy than the competitor's:
    if theirs is the CEO, we need the board (DOMAIN 6).

    Fix: win a supporter at least as senior as the competitor's backer, or change the
    business goal."""
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


@rule(
    "KAM110",
    "missing-layers",
    "warning",
    "Focus-tier account without general or organizational layer",
    "Cover all three relationship layers: key, general and organizational.",
)
def layers(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: a focus-tier account without any current `general` or any `organizational`
    layer stakeholder.

    Why: every account needs the key layer; strategic accounts need all three: the
    general layer for broad coverage (the way in when the key layer is closed) and the
    organisational layer for company-to-company trust (DOMAIN 4).

    Fix: map and cover people of the missing layers (set their `layer`)."""
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


@rule(
    "KAM111",
    "new-in-post",
    "info",
    "Key person new in post",
    "A change of person in a key post can reset the relationship: re-verify their attitude.",
)
def new_in_post(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: a key person whose `in_post_since` is within the last 90 days
    (`new_in_post_days` in kam.yaml).

    Why: a change of person in a key post can send an account back to "build": what we
    knew of the post's attitude may no longer hold (DOMAIN 3, 7).

    Fix: meet them, re-verify their attitude and intimacy, and update the entry."""
    days = ctx.config.new_in_post_days
    for i, p in ctx.key:
        if p.in_post_since is not None and 0 <= (ctx.today - p.in_post_since).days <= days:
            yield account.finding(
                "KAM111",
                "stakeholders",
                ("stakeholders", i, "in_post_since"),
                f"{p.name} ({p.id}) is new in post since {p.in_post_since.isoformat()}: re-verify their attitude",
            )


@rule(
    "KAM112",
    "dm-left",
    "warning",
    "The decision maker left and no decision maker remains",
    "Re-map the decision chain: find who decides now.",
)
def dm_left(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: no current stakeholder has role D, and a decision maker has left (their
    `left_on` is today or earlier).

    Why: people in key posts change; when the decider leaves, the decision chain must be
    mapped again before anything else (DOMAIN 3, 7).

    Fix: find who decides now, add them with role D, and plan the first contact."""
    if any("D" in p.roles for _i, p in ctx.people):
        return
    left = _left_decision_makers(account, ctx)
    if left:
        i, p = max(left, key=lambda ip: ip[1].left_on)
        yield account.finding(
            "KAM112",
            "stakeholders",
            ("stakeholders", i, "left_on"),
            f"decision maker {p.name} ({p.id}) left on {p.left_on.isoformat()} and no one with role D remains",
        )


@rule(
    "KAM113",
    "no-executive-sponsor",
    "info",
    "Focus-tier account where no decision maker has an executive sponsor",
    "Name an executive sponsor of equal status for a decision maker.",
)
def executive_sponsor(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: a focus-tier account where no current decision maker has a `sponsor`.

    Why: key people get an executive sponsor of equal status from our side, who meets
    them at visits, fairs and key dates (DOMAIN 6).

    Fix: choose a sponsor for a decision maker (equal status, matching business, will to
    solve problems) and set their `sponsor`."""
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


@rule(
    "KAM114",
    "stage-after-key-change",
    "warning",
    "Stage is stabilize or strengthen but a key post changed",
    "Set the stage back to build and re-verify the new person's attitude, or record why the relationship holds.",
)
def stage_after_key_change(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: an account at stage `stabilize` or `strengthen` where a key person with
    role D or S has been in post for under 90 days, or a decision maker left within the
    last 90 days.

    Why: a change of person in a key post can send an account back to "build": the trust
    the stage rests on was with someone else (DOMAIN 3, 7).

    Fix: set `stage: build` until the new person's attitude is verified and the
    relationship rebuilt (or silence this finding with a reason if it truly holds)."""
    a = account.account
    if a.stage not in ("stabilize", "strengthen"):
        return
    changes: list[str] = []
    for _i, p in ctx.key:
        if not ({"D", "S"} & set(p.roles)) or p.in_post_since is None:
            continue
        days = (ctx.today - p.in_post_since).days
        if 0 <= days < KEY_POST_CHANGE_DAYS:
            changes.append(f"{p.name} ({p.id}) in post since {p.in_post_since.isoformat()}")
    for _i, p in _left_decision_makers(account, ctx):
        if (ctx.today - p.left_on).days < KEY_POST_CHANGE_DAYS:
            changes.append(f"decision maker {p.name} ({p.id}) left on {p.left_on.isoformat()}")
    if changes:
        yield account.finding(
            "KAM114",
            "account",
            ("stage",),
            f"stage is {a.stage} but a key post changed: {'; '.join(changes)}: back to build",
        )


@rule(
    "KAM115",
    "plan-names-leaver",
    "warning",
    "A relationship goal or an open action names a person who has left",
    "Aim the goal or action at the successor, or drop it.",
)
def plan_names_leaver(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: a relationship goal, or an action still `planned` or `doing`, whose
    `stakeholder` has left (their `left_on` is today or earlier).

    Why: a plan aimed at someone who is gone spends effort on nobody, and hides that the
    post they held has no goal at all (DOMAIN 6, 7).

    Fix: aim the goal or the action at their successor, or set the action to `dropped`
    and remove the goal."""
    t = account.targets
    if t is None:
        return
    gone = {p.id: p for p in account.stakeholders if p.left_by(ctx.today)}
    for i, g in enumerate(t.relationship_goals):
        p = gone.get(g.stakeholder)
        if p is not None:
            yield account.finding(
                "KAM115",
                "targets",
                ("relationship_goals", i, "stakeholder"),
                f"relationship goal for {p.name} ({p.id}), who left on {p.left_on.isoformat()}",
            )
    for i, act in enumerate(t.actions):
        p = gone.get(act.stakeholder) if act.stakeholder else None
        if p is not None and act.status in ("planned", "doing"):
            yield account.finding(
                "KAM115",
                "targets",
                ("actions", i, "stakeholder"),
                f"action {act.id} ({act.status}) is with {p.name} ({p.id}), who left on {p.left_on.isoformat()}",
            )


@rule(
    "KAM116",
    "team-roles",
    "info",
    "Focus-tier account whose team leaves a team role uncovered",
    "Give each missing role to someone in the account team (one person may hold several).",
)
def team_roles(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: a focus-tier account whose `team` leaves a role of `team_roles` (kam.yaml;
    by default all eight RAIN roles) uncovered; one finding names all missing roles.

    Why: RAIN's strategic account team covers eight roles (relationship lead,
    entrepreneur, innovator, collaborator, technical expert, researcher, project manager,
    sceptic); a missing one is work nobody does (DOMAIN 9).

    Fix: give each missing role to a member of `team` in account.yaml (one person may
    hold several), or narrow `team_roles` in kam.yaml to the roles your firm uses."""
    if not ctx.focus:
        return
    a = account.account
    covered = {role for member in a.team for role in member.roles}
    missing = [r for r in ctx.config.team_roles if r not in covered]
    if not missing:
        return
    where: tuple[str, ...] = ("team",) if a.team else ("id",)
    yield account.finding(
        "KAM116",
        "account",
        where,
        f"tier {ctx.tier} account: the team covers {len(ctx.config.team_roles) - len(missing)} of "
        f"{len(ctx.config.team_roles)} roles; missing: {', '.join(missing)}",
        key=bool(a.team),
        data={"missing_roles": missing},
    )


@rule(
    "KAM117",
    "hidden-chain-opposed",
    "warning",
    "Someone who influences a decision maker is opposed or unknown",
    "Win over the influencer, or plan how to counter their sway over the decision maker.",
)
def hidden_chain(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: a current person who `influences` a current decision maker and whose own
    attitude is below 0 or unknown (`"?"`).

    Why: the hidden decision chain (board members, family, friends, regulators) sways the
    decider from outside the formal flow; an opposed or unknown influencer can undo what
    we built with the decision maker (DOMAIN 5).

    Fix: make contact with the influencer and record their attitude, then set a
    relationship goal for them or plan how to counter their sway."""
    deciders = {p.id: p for _i, p in ctx.people if "D" in p.roles}
    for i, p in ctx.people:
        a = _att(p)
        if a is not None and a >= 0:
            continue
        for j, target in enumerate(p.influences):
            dm = deciders.get(target)
            if dm is None or dm.id == p.id:
                continue
            state = 'unknown ("?")' if a is None else f"opposed ({a:+d})"
            yield account.finding(
                "KAM117",
                "stakeholders",
                ("stakeholders", i, "influences", j),
                f"{p.name} ({p.id}) influences decision maker {dm.name} ({dm.id}) and is {state}",
            )


@rule(
    "KAM118",
    "gatekeeper-without-owner",
    "warning",
    "A key-layer gatekeeper without an owner",
    "Name an owner for the gatekeeper: they decide who on our side gets through.",
)
def gatekeeper(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: a current key-layer person whose `buying_roles` include `gatekeeper` and
    who has no `owner`.

    Why: the gatekeeper can block our access to everyone else in the decision chain;
    a gatekeeper nobody on our side looks after is a door that can close (DOMAIN 5).

    Fix: set the gatekeeper's `owner` (and a `backup`)."""
    for i, p in ctx.key:
        if p.owner or "gatekeeper" not in p.buying_roles:
            continue
        yield account.finding(
            "KAM118",
            "stakeholders",
            ("stakeholders", i, "buying_roles", p.buying_roles.index("gatekeeper")),
            f"gatekeeper {p.name} ({p.id}) has no owner on our side",
        )


@rule(
    "KAM119",
    "dm-individual-need",
    "info",
    "A decision maker without any individual need recorded",
    "Record what this decision maker wants for themselves: a need of kind individual naming them.",
)
def dm_individual_need(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: a current decision maker with no need of kind `individual` naming them
    (`needs` in account.yaml, `stakeholder: their id`).

    Why: needs have three layers; the implicit individual one (a decision-chain member's
    own stakes: achievement, respect and safety, power and interest) is what moves a
    decider, and it is personal to them (DOMAIN 8).

    Fix: add a need `{kind: individual, text: ..., stakeholder: ID}` to account.yaml
    (keep anything private under the person's `personal:` instead)."""
    wanted = {n.stakeholder for n in account.account.needs if n.kind == "individual"}
    for i, p in ctx.people:
        if "D" in p.roles and p.id not in wanted:
            yield account.finding(
                "KAM119",
                "stakeholders",
                ("stakeholders", i, "roles"),
                f"decision maker {p.name} ({p.id}) has no individual need recorded",
            )


@rule(
    "KAM120",
    "announced-departure",
    "info",
    "Announced departure: left_on is in the future",
    "Plan the successor: find who takes over the post and start that relationship now.",
)
def announced_departure(account: Any, ctx: Context) -> Iterator[Finding]:
    """Finds: a person whose `left_on` is in the future, within 180 days. Until that day
    they still count in the score and the coverage.

    Why: a change of person in a key post can send the account back to "build"; an
    announced departure is the time to meet the successor, while the leaver can still
    introduce us (DOMAIN 3, 7).

    Fix: find the successor, add them to stakeholders.yaml and plan the first contact."""
    for i, p in enumerate(account.stakeholders):
        if p.left_on is None:
            continue
        days = (p.left_on - ctx.today).days
        if 0 < days <= ANNOUNCED_DEPARTURE_DAYS:
            yield account.finding(
                "KAM120",
                "stakeholders",
                ("stakeholders", i, "left_on"),
                f"{p.name} ({p.id}) leaves on {p.left_on.isoformat()}, in {days} days: plan the successor",
            )
