"""KAM101-KAM120: the power map and the relationship (method 3-9).

Each rule is one function declared with its catalogue entry (``kamtool.rule.rule``); its
docstring is what ``kam rules CODE`` prints."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kamtool.analyse.rules import Context, days_text, focus_settings
from kamtool.findings import Finding
from kamtool.i18n import N_, _, listed, ngettext
from kamtool.load.slips import full_width_note
from kamtool.rule import rule

if TYPE_CHECKING:
    import datetime as dt

    from kamtool.load.accounts import Account
    from kamtool.load.config import Config
    from kamtool.load.models import Stakeholder

#: DOMAIN 3: a key post that changed this recently still counts as a change
KEY_POST_CHANGE_DAYS = 90
#: the relationship layers as messages name them (method 4)
LAYER_WORDS = (N_("key"), N_("general"), N_("organizational"))
#: KAM120: a departure announced this far ahead is worth planning for now
ANNOUNCED_DEPARTURE_DAYS = 180


@rule(
    "KAM101",
    "dm-attitude-unknown",
    "warning",
    N_("Decision maker with unknown attitude"),
    N_("Make contact and record their attitude: an unknown decision maker is the first priority."),
)
def dm_attitude_unknown(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a current decision maker (role D) whose attitude is `"?"`, not yet contacted.

    Why: the method says never to write 0 for someone you have not met: "?" marks a
    priority to make contact, and the decision maker decides the outcome (method 5).

    Fix: meet them, then record their attitude (-3..3) and the contact date."""
    for i, p in ctx.people:
        if "D" in p.roles and not p.attitude_known:
            yield account.finding(
                "KAM101",
                "stakeholders",
                ("stakeholders", i, "attitude"),
                _('decision maker {name} ({id}) has an unknown attitude "?"').format(
                    name=p.name, id=p.id
                ),
            )


@rule(
    "KAM102",
    "dm-opposed",
    "warning",
    N_("Decision maker opposed"),
    N_(
        "Plan how to win them over (their needs, a sponsor at their level) or how to limit their weight."
    ),
)
def dm_opposed(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a current decision maker whose attitude is below 0.

    Why: an opposed decision maker can stop the deal on their own; the relationship plan
    must say how to change their mind or limit their weight (method 5, 6).

    Fix: set a relationship goal for them, find their individual needs, give them an
    executive sponsor of equal status; update the attitude when it changes."""
    for i, p in ctx.people:
        a = p.attitude_level
        if "D" in p.roles and a is not None and a < 0:
            yield account.finding(
                "KAM102",
                "stakeholders",
                ("stakeholders", i, "attitude"),
                _("decision maker {name} ({id}) is opposed (attitude {a:+d})").format(
                    name=p.name, id=p.id, a=a
                ),
            )


def _left_decision_makers(account: Account, ctx: Context) -> list[tuple[int, Stakeholder, dt.date]]:
    """(index, person, the day they left) of each decision maker gone by today."""
    return [
        (i, p, p.left_on)
        for i, p in enumerate(account.stakeholders)
        if p.left_on is not None and p.left_by(ctx.today) and "D" in p.roles
    ]


@rule(
    "KAM103",
    "no-decision-maker",
    "warning",
    N_("No decision maker identified"),
    N_("Map the decision chain and mark who decides (role D)."),
)
def no_decision_maker(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: an account where no current stakeholder has role D (and none has left:
    that is KAM112).

    Why: the power map starts from the decision chain (method 5); without the decider,
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
        _("no decision maker identified (no current stakeholder has role D)"),
        key=True,
    )


@rule(
    "KAM104",
    "ab-cover",
    "warning",
    N_("Key person without owner, without backup, or backup = owner"),
    N_(
        "Name a primary owner and a different backup so the relationship never hangs on one person."
    ),
)
def ab_cover(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a key person without an `owner`, without a `backup`, or whose backup is
    the owner.

    Why: A/B roles: each key person is covered by a primary and a backup owner so that
    no relationship hangs on one employee (method 6).

    Fix: set `owner` and a different `backup` on the person's entry."""
    for i, p in ctx.key:
        base = ("stakeholders", i)
        if not p.owner and not p.backup:
            yield account.finding(
                "KAM104",
                "stakeholders",
                (*base, "id"),
                _("key person {name} ({id}) has no owner and no backup on our side").format(
                    name=p.name, id=p.id
                ),
                key=True,
            )
        elif not p.owner:
            yield account.finding(
                "KAM104",
                "stakeholders",
                (*base, "id"),
                _("key person {name} ({id}) has no owner (A role)").format(name=p.name, id=p.id),
                key=True,
            )
        elif not p.backup:
            yield account.finding(
                "KAM104",
                "stakeholders",
                (*base, "owner"),
                _("key person {name} ({id}) has no backup owner (B role)").format(
                    name=p.name, id=p.id
                ),
            )
        elif p.backup == p.owner:
            yield account.finding(
                "KAM104",
                "stakeholders",
                (*base, "backup"),
                _("backup {backup} is also the owner of {name} ({id})").format(
                    backup=p.backup, name=p.name, id=p.id
                ),
            )


@rule(
    "KAM105",
    "channels",
    "warning",
    N_("Key decision maker or coach with fewer than 2 information channels"),
    N_("Open a second independent channel to cross-check what you hear."),
)
def channels(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a key decision maker or coach with fewer than two distinct `channels` (one
    channel written twice, in any case or spacing, is one; a blank entry is none).

    Why: for important targets the method asks for at least two stable, independent
    information channels, to cross-check what we hear (method 6).

    Fix: open a second independent channel (another colleague, a partner, a regular
    meeting) and list it under `channels`."""
    for i, p in ctx.key:
        if ("D" in p.roles or "C" in p.roles) and (count := p.channel_count) < 2:
            path = ("stakeholders", i, "channels") if p.channels else ("stakeholders", i, "id")
            if "D" in p.roles:
                said = ngettext(
                    "decision maker {name} ({id}) has {n} information channel; 2 independent "
                    "ones are needed",
                    "decision maker {name} ({id}) has {n} information channels; 2 independent "
                    "ones are needed",
                    count,
                )
            else:
                said = ngettext(
                    "coach {name} ({id}) has {n} information channel; 2 independent ones "
                    "are needed",
                    "coach {name} ({id}) has {n} information channels; 2 independent ones "
                    "are needed",
                    count,
                )
            said = said.format(name=p.name, id=p.id, n=count)
            if count < len(p.channels):
                # [email, email] or a blank entry: say why the list counts less than it holds
                repeated = p.repeated_channel()
                said += (
                    _(" ({channel} is listed more than once)").format(channel=repeated)
                    if repeated is not None
                    else _(" (a blank entry is no channel)")
                )
            elif note := full_width_note(p.channels):
                # [微信，电话], typed with a Chinese input method: one channel to YAML
                said = _("{message} ({note})").format(message=said, note=note)
            yield account.finding("KAM105", "stakeholders", path, said, key=not p.channels)


@rule(
    "KAM106",
    "rational-turn-risk",
    "warning",
    N_("Supports us but not close: may turn when a competitor comes"),
    N_("Deepen the personal relationship: they like the offer, not yet us."),
)
def rational_turn_risk(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a current person with attitude 2 or more and intimacy 0 or less.

    Why: high support with low intimacy means they like the product, not us: they may
    "turn rationally" when a competitor comes (method 5).

    Fix: deepen the personal relationship (meetings outside the office, shared
    activities), then record the new intimacy."""
    for i, p in ctx.people:
        a, n = p.attitude_level, p.intimacy_level
        if a is not None and n is not None and a >= 2 and n <= 0:
            yield account.finding(
                "KAM106",
                "stakeholders",
                ("stakeholders", i, "intimacy"),
                _(
                    "{name} ({id}) supports us ({a}) but intimacy is {n}: may turn rationally when a competitor comes"
                ).format(name=p.name, id=p.id, a=p.attitude_text, n=p.intimacy_text),
            )


@rule(
    "KAM107",
    "friendly-not-supportive",
    "info",
    N_("Close but not supportive"),
    N_("Re-examine their needs and constraints; do not misread friendliness as support."),
)
def friendly_not_supportive(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a current person with intimacy 2 or more and attitude 0 or less.

    Why: friendly but not backing us (their role, a policy): the relationship is easy to
    misread as support (method 5).

    Fix: re-examine their needs and constraints, and record what holds them back."""
    for i, p in ctx.people:
        a, n = p.attitude_level, p.intimacy_level
        if a is not None and n is not None and n >= 2 and a <= 0:
            yield account.finding(
                "KAM107",
                "stakeholders",
                ("stakeholders", i, "intimacy"),
                _(
                    "{name} ({id}) is close (intimacy {n}) but not supportive ({a}): re-examine their needs"
                ).format(name=p.name, id=p.id, n=p.intimacy_text, a=p.attitude_text),
            )


@rule(
    "KAM108",
    "no-coach",
    "info",
    N_("No coach"),
    N_("Develop a coach: someone who supports us and guides us through the deal."),
)
def coach(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: an account where no key person has role C or attitude +3.

    Why: a coach supports us and guides us through the deal; without one we learn about
    the customer's decision only from the outside (method 5).

    Fix: develop a coach among the supporters and give them role C."""
    if not any("C" in p.roles or p.attitude == 3 for _i, p in ctx.key):
        yield account.finding(
            "KAM108",
            "stakeholders",
            ("stakeholders",),
            _("no coach: no key person has role C or attitude +3"),
            key=True,
        )


@rule(
    "KAM109",
    "outranked",
    "warning",
    N_("A competitor's backer outranks our most senior supporter"),
    N_(
        "Win a supporter at least as senior as the competitor's backer, or change the business goal."
    ),
)
def outranked(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a key person who backs a competitor and sits higher in the reporting lines
    than our most senior supporter (attitude 2 or more).

    Why: our supporters must not be clearly lower in the hierarchy than the competitor's:
    if theirs is the CEO, we need the board (method 6).

    Fix: win a supporter at least as senior as the competitor's backer, or change the
    business goal."""
    ok, sup, backer = ctx.grade.standing
    if ok or backer is None:
        return
    i = account.stakeholders.index(backer)
    if sup is None:
        msg = _(
            "{name} ({id}) backs {competitor} and no supporter of ours "
            "(attitude >= 2) has a place in the reporting lines"
        ).format(name=backer.name, id=backer.id, competitor=backer.competitor)
    else:
        msg = _(
            "{name} ({id}), who backs {competitor}, outranks our most senior "
            "supporter {supporter} ({supporter_id})"
        ).format(
            name=backer.name,
            id=backer.id,
            competitor=backer.competitor,
            supporter=sup.name,
            supporter_id=sup.id,
        )
    yield account.finding("KAM109", "stakeholders", ("stakeholders", i, "competitor"), msg)


@rule(
    "KAM110",
    "missing-layers",
    "warning",
    N_("Focus-tier account without general or organizational layer"),
    N_("Cover all three relationship layers: key, general and organizational."),
    settings=focus_settings,
)
def layers(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a focus-tier account without any current `general` or any `organizational`
    layer stakeholder.

    Why: every account needs the key layer; strategic accounts need all three: the
    general layer for broad coverage (the way in when the key layer is closed) and the
    organisational layer for company-to-company trust (method 4).

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
            _("tier {tier} account without any {names} layer stakeholder").format(
                tier=ctx.tier, names=listed((_(m) for m in missing), "or")
            ),
            key=True,
        )


def _new_in_post_settings(config: Config) -> str:
    return _("new in post: in post for {days} or fewer").format(
        days=days_text(config.new_in_post_days)
    )


def _team_settings(config: Config) -> str:
    return _("{applies}; the roles a team should cover: {roles}").format(
        applies=focus_settings(config), roles=listed(config.team_roles) or _("none")
    )


@rule(
    "KAM111",
    "new-in-post",
    "info",
    N_("Key person new in post"),
    N_(
        "A change of person in a key post can reset the relationship: meet them, then set "
        "their attitude and intimacy from what you learned."
    ),
    settings=_new_in_post_settings,
)
def new_in_post(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a key person whose `in_post_since` is within the last 90 days
    (`new_in_post_days` in kam.yaml).

    Why: a change of person in a key post can send an account back to "build": what we
    knew of the post's attitude may no longer hold (method 3, 7).

    Fix: meet them, re-verify their attitude and intimacy, and update the entry."""
    days = ctx.config.new_in_post_days
    for i, p in ctx.key:
        if p.in_post_since is not None and 0 <= (ctx.today - p.in_post_since).days <= days:
            yield account.finding(
                "KAM111",
                "stakeholders",
                ("stakeholders", i, "in_post_since"),
                _(
                    "{name} ({id}) is new in post since {in_post_since}: re-verify their attitude"
                ).format(name=p.name, id=p.id, in_post_since=p.in_post_since.isoformat()),
            )


@rule(
    "KAM112",
    "dm-left",
    "warning",
    N_("The decision maker left and no decision maker remains"),
    N_("Re-map the decision chain: find who decides now."),
)
def dm_left(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: no current stakeholder has role D, and a decision maker has left (their
    `left_on` is today or earlier).

    Why: people in key posts change; when the decider leaves, the decision chain must be
    mapped again before anything else (method 3, 7).

    Fix: find who decides now, add them with role D, and plan the first contact."""
    if any("D" in p.roles for _i, p in ctx.people):
        return
    left = _left_decision_makers(account, ctx)
    if left:
        i, p, _left_on = max(left, key=lambda x: x[2])
        yield account.finding(
            "KAM112",
            "stakeholders",
            ("stakeholders", i, "left_on"),
            _(
                "decision maker {name} ({id}) left on {left_on} and no one with role D remains"
            ).format(name=p.name, id=p.id, left_on=str(p.left_on)),
        )


@rule(
    "KAM113",
    "no-executive-sponsor",
    "info",
    N_("Focus-tier account where no decision maker has an executive sponsor"),
    N_("Name an executive sponsor of equal status for a decision maker."),
    settings=focus_settings,
)
def executive_sponsor(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a focus-tier account where no current decision maker has a `sponsor`.

    Why: key people get an executive sponsor of equal status from our side, who meets
    them at visits, fairs and key dates (method 6).

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
            _("tier {tier} account: no decision maker has an executive sponsor").format(
                tier=ctx.tier
            ),
            key=True,
        )


@rule(
    "KAM114",
    "stage-after-key-change",
    "warning",
    N_("Stage is stabilize or strengthen but a key post changed"),
    N_(
        "Set the stage back to build and re-verify the new person's attitude, or record why the relationship holds."
    ),
)
def stage_after_key_change(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: an account at stage `stabilize` or `strengthen` where a key person with
    role D or S has been in post for under 90 days, or a decision maker left within the
    last 90 days.

    Why: a change of person in a key post can send an account back to "build": the trust
    the stage rests on was with someone else (method 3, 7).

    Fix: set `stage: build` until the new person's attitude is verified and the
    relationship rebuilt (or silence this finding with a reason if it truly holds)."""
    a = ctx.profile
    if a.stage not in ("stabilize", "strengthen"):
        return
    changes: list[str] = []
    for _i, p in ctx.key:
        if not ({"D", "S"} & set(p.roles)) or p.in_post_since is None:
            continue
        days = (ctx.today - p.in_post_since).days
        if 0 <= days < KEY_POST_CHANGE_DAYS:
            changes.append(
                _("{name} ({id}) in post since {day}").format(
                    name=p.name, id=p.id, day=p.in_post_since.isoformat()
                )
            )
    for _i, p, left_on in _left_decision_makers(account, ctx):
        if (ctx.today - left_on).days < KEY_POST_CHANGE_DAYS:
            changes.append(
                _("decision maker {name} ({id}) left on {day}").format(
                    name=p.name, id=p.id, day=left_on.isoformat()
                )
            )
    if changes:
        yield account.finding(
            "KAM114",
            "account",
            ("stage",),
            _("stage is {stage} but a key post changed: {names}: back to build").format(
                stage=_(a.stage), names=_("; ").join(changes)
            ),
        )


@rule(
    "KAM115",
    "plan-names-leaver",
    "warning",
    N_("A relationship goal or an open action names a person who has left"),
    N_("Aim the goal or action at the successor, or drop it."),
)
def plan_names_leaver(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a relationship goal, or an action still `planned` or `doing`, whose
    `stakeholder` has left (their `left_on` is today or earlier).

    Why: a plan aimed at someone who is gone spends effort on nobody, and hides that the
    post they held has no goal at all (method 6, 7).

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
                _("relationship goal for {name} ({id}), who left on {left_on}").format(
                    name=p.name, id=p.id, left_on=str(p.left_on)
                ),
            )
    for i, act in enumerate(t.actions):
        p = gone.get(act.stakeholder) if act.stakeholder else None
        if p is not None and act.status in ("planned", "doing"):
            yield account.finding(
                "KAM115",
                "targets",
                ("actions", i, "stakeholder"),
                _("action {id} ({status}) is with {name} ({person}), who left on {left_on}").format(
                    id=act.id,
                    status=_(act.status),
                    name=p.name,
                    person=p.id,
                    left_on=str(p.left_on),
                ),
            )


#: the RAIN team roles (``team_roles`` in kam.yaml) by id, as every output names them
TEAM_ROLE_LABELS = {
    "relationship-lead": N_("relationship lead"),
    "entrepreneur": N_("entrepreneur (drives growth)"),
    "innovator": N_("innovator (creates value)"),
    "collaborator": N_("collaborator"),
    "technical-expert": N_("technical expert"),
    "researcher": N_("researcher"),
    "project-manager": N_("project manager"),
    "sceptic": N_("sceptic"),
}


def team_role_name(role: str) -> str:
    """A team role as a finding names it: its id in English (what kam.yaml and
    account.yaml write), the translated name with the id beside it in another language
    (研究者（researcher）; the plan's team table names it so too)."""
    label = TEAM_ROLE_LABELS.get(role)
    if label is None or _(label) == label:
        return role
    return _("{name} ({id})").format(name=_(label), id=role)


@rule(
    "KAM116",
    "team-roles",
    "info",
    N_("Focus-tier account whose team leaves a team role uncovered"),
    N_("Give each missing role to someone in the account team (one person may hold several)."),
    settings=_team_settings,
)
def team_roles(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a focus-tier account whose `team` leaves a role of `team_roles` (kam.yaml;
    by default all eight RAIN roles) uncovered; one finding names all missing roles.

    Why: RAIN's strategic account team covers eight roles (relationship lead,
    entrepreneur, innovator, collaborator, technical expert, researcher, project manager,
    sceptic); a missing one is work nobody does (method 9).

    Fix: give each missing role to a member of `team` in account.yaml (one person may
    hold several), or narrow `team_roles` in kam.yaml to the roles your firm uses."""
    if not ctx.focus:
        return
    a = ctx.profile
    covered = {role for member in a.team for role in member.roles}
    missing = [r for r in ctx.config.team_roles if r not in covered]
    if not missing:
        return
    where: tuple[str, ...] = ("team",) if a.team else ("id",)
    yield account.finding(
        "KAM116",
        "account",
        where,
        _("tier {tier} account: the team covers {covered} of {n} roles; missing: {names}").format(
            tier=ctx.tier,
            covered=len(ctx.config.team_roles) - len(missing),
            n=len(ctx.config.team_roles),
            names=listed(team_role_name(r) for r in missing),
        ),
        key=bool(a.team),
        data={"missing_roles": missing},
    )


@rule(
    "KAM117",
    "hidden-chain-opposed",
    "warning",
    N_("Someone who influences a decision maker is opposed or unknown"),
    N_("Win over the influencer, or plan how to counter their sway over the decision maker."),
)
def hidden_chain(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a current person who `influences` a current decision maker and whose own
    attitude is below 0 or unknown (`"?"`).

    Why: the hidden decision chain (board members, family, friends, regulators) sways the
    decider from outside the formal flow; an opposed or unknown influencer can undo what
    we built with the decision maker (method 5).

    Fix: make contact with the influencer and record their attitude, then set a
    relationship goal for them or plan how to counter their sway."""
    deciders = {p.id: p for _i, p in ctx.people if "D" in p.roles}
    for i, p in ctx.people:
        a = p.attitude_level
        if a is not None and a >= 0:
            continue
        for j, target in enumerate(p.influences):
            dm = deciders.get(target)
            if dm is None or dm.id == p.id:
                continue
            state = _('unknown ("?")') if a is None else _("opposed ({a:+d})").format(a=a)
            yield account.finding(
                "KAM117",
                "stakeholders",
                ("stakeholders", i, "influences", j),
                _(
                    "{name} ({id}) influences decision maker {dm_name} ({dm_id}) and is {state}"
                ).format(name=p.name, id=p.id, dm_name=dm.name, dm_id=dm.id, state=state),
            )


@rule(
    "KAM118",
    "gatekeeper-without-owner",
    "warning",
    N_("A key-layer gatekeeper without an owner"),
    N_("Name an owner for the gatekeeper: they decide who on our side gets through."),
)
def gatekeeper(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a current key-layer person whose `buying_roles` include `gatekeeper` and
    who has no `owner`.

    Why: the gatekeeper can block our access to everyone else in the decision chain;
    a gatekeeper nobody on our side looks after is a door that can close (method 5).

    Fix: set the gatekeeper's `owner` (and a `backup`)."""
    for i, p in ctx.key:
        if p.owner or "gatekeeper" not in p.buying_roles:
            continue
        yield account.finding(
            "KAM118",
            "stakeholders",
            ("stakeholders", i, "buying_roles", p.buying_roles.index("gatekeeper")),
            _("gatekeeper {name} ({id}) has no owner on our side").format(name=p.name, id=p.id),
        )


@rule(
    "KAM119",
    "dm-individual-need",
    "info",
    N_("A decision maker without any individual need recorded"),
    N_(
        "Record what this decision maker wants for themselves: a need of kind individual naming them."
    ),
)
def dm_individual_need(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a current decision maker with no need of kind `individual` naming them
    (`needs` in account.yaml, `stakeholder: their id`).

    Why: needs have three layers; the implicit individual one (a decision-chain member's
    own stakes: achievement, respect and safety, power and interest) is what moves a
    decider, and it is personal to them (method 8).

    Fix: add a need `{kind: individual, text: ..., stakeholder: ID}` to account.yaml
    (keep anything private under the person's `personal:` instead)."""
    wanted = {n.stakeholder for n in ctx.profile.needs if n.kind == "individual"}
    for i, p in ctx.people:
        if "D" in p.roles and p.id not in wanted:
            yield account.finding(
                "KAM119",
                "stakeholders",
                ("stakeholders", i, "roles"),
                _("decision maker {name} ({id}) has no individual need recorded").format(
                    name=p.name, id=p.id
                ),
            )


@rule(
    "KAM120",
    "announced-departure",
    "info",
    N_("Announced departure: left_on is in the future"),
    N_("Plan the successor: find who takes over the post and start that relationship now."),
)
def announced_departure(account: Account, ctx: Context) -> Iterator[Finding]:
    """Finds: a person whose `left_on` is in the future, within 180 days. Until that day
    they still count in the score and the coverage.

    Why: a change of person in a key post can send the account back to "build"; an
    announced departure is the time to meet the successor, while the leaver can still
    introduce us (method 3, 7).

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
                _("{name} ({id}) leaves on {left_on}, in {days}: plan the successor").format(
                    name=p.name, id=p.id, left_on=str(p.left_on), days=days_text(days)
                ),
            )
