"""kam plan: the annual three-piece set (DOMAIN 6) rendered from sandboxed jinja2 templates.

Templates get plain data, never models or Python objects with methods, and run
in jinja2's SandboxedEnvironment with StrictUndefined. Every ``{{ value }}`` is
escaped for Markdown unless it is pre-rendered markup (tables of numbers, the
Mermaid blocks), so a customer name cannot inject links, HTML or table cells.
Rendering stops past a size or time bound, for templates that loop or explode.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Callable, Collection, Generator, Iterable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Final, cast

from kamtool import suggest
from kamtool.analyse.rules.relationships import TEAM_ROLE_LABELS
from kamtool.i18n import (
    N_,
    _,
    before_after,
    days_text,
    listed,
    names_apart,
    ngettext,
    number,
    percent,
)
from kamtool.load.models import personal_text, scale_text
from kamtool.report.escape import code_span, md
from kamtool.report.labels import sentences, tier_label

if TYPE_CHECKING:
    import datetime as dt

    from jinja2 import StrictUndefined, nodes
    from jinja2.runtime import Context
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from markupsafe import Markup

    from kamtool.core import AccountResult, RunResult
    from kamtool.findings import Finding
    from kamtool.jsontypes import JsonObject
    from kamtool.load.accounts import Account
    from kamtool.load.models import Stakeholder, ValuePoint

MAX_OUTPUT_CHARS = 5_000_000
MAX_SECONDS = 10.0
ENTRY = "plan.md.j2"


class TemplateProblem(Exception):
    """A template that does not render: the message is ``file:line: what``."""


ATTENTION_MAX = 5
# What a director must see first (issue 17): errors, then decision makers, then the
# competitive standing, then PBIP risks; then the other warnings, then infos.
ATTENTION_GROUP = {
    "KAM101": 1,
    "KAM102": 1,
    "KAM103": 1,
    "KAM112": 1,
    "KAM117": 1,
    "KAM109": 2,
    "KAM303": 3,
    "KAM308": 3,
}


def attention_key(f: Finding) -> tuple[int, tuple[str, int, int, str, str]]:
    if f.severity == "error":
        group = 0
    elif f.severity == "warning":
        group = ATTENTION_GROUP.get(f.code, 4)
    else:
        group = 5
    return (group, f.sort_key())


def attention(analysed: AccountResult, check_command: str) -> list[JsonObject]:
    """The plan's opening items: the most severe findings (``attention_key``), one per rule
    and severity, so that twelve stale contacts with junior staff do not push the opposed
    decision maker and the PBIP at risk out of the five a director reads. Each item says
    who else the same finding is about (``more``, ``more_line``: "Likewise: 王娜, Ma Lei
    and 13 more."), or how many more there are and the command that lists them."""
    from markupsafe import Markup

    ordered = sorted(analysed.findings, key=attention_key)
    shown: list[Finding] = []
    alike: dict[tuple[str, str], list[Finding]] = {}
    for f in ordered:
        kind = (f.code, f.severity)
        if kind in alike:
            alike[kind].append(f)
        elif len(shown) < ATTENTION_MAX:
            shown.append(f)
            alike[kind] = []
    items = []
    for f in shown:
        item = _finding(f)
        others = alike[(f.code, f.severity)]
        people = [str((o.data or {}).get("person") or "") for o in others]
        item["more"] = len(others)
        if not others:
            item["more_line"] = ""
        elif all(people):
            names = list(dict.fromkeys(analysed.account.person_name(p) for p in people))
            item["more_line"] = Markup(
                md(_("Likewise: {people}.").format(people=listed(names, shown=ATTENTION_NAMES)))
            )
        elif len(others) <= ATTENTION_MESSAGES:
            said = _("; ").join(_no_stop(o.message) for o in others)
            item["more_line"] = Markup(md(_("Likewise: {people}.").format(people=said)))
        else:
            item["more_line"] = md_with_code(
                ngettext(
                    "{n} more like it: `{command}` lists every finding.",
                    "{n} more like it: `{command}` lists every finding.",
                    len(others),
                ).format(n=number(len(others)), command=check_command)
            )
        items.append(item)
    return items


#: how many others of the same finding an item of "What needs attention" names, and up to
#: how many others it quotes whole when their findings name no person in their data
ATTENTION_NAMES = 3
ATTENTION_MESSAGES = 2


def md_with_code(text: str) -> Markup:
    """Markdown for a hint: the text escaped, the parts in backticks kept as code spans (the
    catalogue's commands, made concrete with ids, which are slugs and hold no backtick)."""
    from markupsafe import Markup

    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: all text
        return Markup(md(text))
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(f"`{part}`" if part else "")
            continue
        lead = " " if part[:1].isspace() else ""
        trail = " " if part[-1:].isspace() and part.strip() else ""
        out.append(lead + md(part) + trail if part.strip() else (" " if part else ""))
    return Markup("".join(out))


def _no_stop(text: str) -> str:
    """Text that a template follows with its own full stop: without one of its own."""
    text = " ".join(str(text).split())
    return text[:-1] if text.endswith((".", "。")) else text


def _change(baseline: float | str | None, goal: float | str | None) -> str:
    """A target's movement without a dangling arrow: ``0.35 → 0.5``, ``goal 1``, ``from 3``,
    ``0 → 45,000,000``."""
    if baseline is not None and goal is not None:
        return before_after(_metric(baseline), _metric(goal))
    if goal is not None:
        return _("goal {goal}").format(goal=_metric(goal))
    if baseline is not None:
        return _("from {baseline}").format(baseline=_metric(baseline))
    return ""


def _metric(value: float | str) -> str:
    """A target's baseline or goal as kam prints every number: a whole one grouped by
    threes (45,000,000, never ``4.5e+07`` nor ``45000000.0``), a fraction as written
    (0.35, 1,234.5); text as it is (``30%``)."""
    if not _is_num(value):
        return str(value)
    assert not isinstance(value, str)
    if isinstance(value, int) or (value.is_integer() and abs(value) <= MAX_WHOLE):
        return number(int(value))
    return format(value, ",")


#: the largest whole number a baseline or goal is written out in digits (kam's largest
#: amount of money); beyond it a float is written as Python writes it (``1e+300``)
MAX_WHOLE = 10**18


def _is_num(*values: object) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def context(
    result: RunResult, analysed: AccountResult, *, include_personal: bool = False
) -> JsonObject:
    """Plain data for the templates; the only place that decides what a plan may show."""

    import dataclasses

    from kamtool.report import powermap
    from kamtool.report.findings import TALLY_FROM, by_severity, rule_counts
    from kamtool.report.grades import points_text

    # namesakes named with their ids in every table and drawing of the plan
    analysed = dataclasses.replace(analysed, account=analysed.account.with_distinct_names())
    a = analysed.account.profile
    g = analysed.grade
    assert a is not None and g is not None  # plans are made for valid accounts only
    today = result.today
    people_by_id = {p.id: p for p in analysed.account.stakeholders}
    as_of = analysed.account.as_of(today)  # the maps as of today: announced departures still count
    from kamtool.analyse.contact import effective_contacts

    contacts = effective_contacts(analysed.account, today)

    def who(pid: str) -> str:
        """A person a goal, an action, a need or a log entry is with: by name, told apart
        from another of the same name, and marked when they have left."""
        return analysed.account.person_name(pid, left_by=today)

    people: list[JsonObject] = []
    rows: dict[str, JsonObject] = {}
    p: Stakeholder | None  # below: the person a goal or an action is with, if known
    for p in analysed.account.stakeholders:
        contact = contacts.get(p.id)
        row: JsonObject = {
            "id": p.id,
            "name": analysed.account.person_name(p.id),
            "title": p.title or "",
            "roles": ",".join(p.roles) or "-",
            "attitude": p.attitude_text,
            "intimacy": p.intimacy_text,
            "layer": p.layer,
            "owner": p.owner or "-",
            "backup": p.backup or "-",
            "sponsor": p.sponsor or "",
            # the effective last contact (SPEC 2 v2): last_contact or the log; a date or
            # nothing, as every date a template gets (the word "never" is the template's:
            # a date of one's own format turned it into "never年0月0日")
            "last_contact": contact.date.isoformat() if contact else "",
            "left_on": p.left_on.isoformat() if p.left_on else "",
            "channels": p.channel_count,
            "competitor": p.competitor or "",
        }
        if include_personal:
            row["personal"] = personal_text(p.personal)
        people.append(row)
        rows[p.id] = row
    t = analysed.account.targets
    targets: list[JsonObject] = []
    goals: list[JsonObject] = []
    opportunities: list[JsonObject] = []
    actions: list[JsonObject] = []
    if t is not None:
        for x in sorted(t.targets, key=lambda x: x.due):
            targets.append(
                {
                    "id": x.id,
                    "kind": _(x.kind),
                    "text": x.text,
                    "metric": x.metric or "",
                    "baseline": "" if x.baseline is None else x.baseline,
                    "goal": "" if x.goal is None else x.goal,
                    "change": _change(x.baseline, x.goal),
                    "due": x.due.isoformat(),
                    "owner": x.owner,
                    "past": x.due < today,
                }
            )
        for goal in sorted(t.relationship_goals, key=lambda x: x.by):
            p = people_by_id.get(goal.stakeholder)
            reached = p is not None and goal.reached_by(p, today)
            goals.append(
                {
                    "person": who(goal.stakeholder),
                    "attitude_from": scale_text(p.attitude if p else None),
                    "attitude_to": scale_text(goal.attitude),
                    "intimacy_from": scale_text(p.intimacy if p else None),
                    "intimacy_to": "" if goal.intimacy is None else scale_text(goal.intimacy),
                    "by": goal.by.isoformat(),
                    "owner": goal.owner,
                    "reached": reached,
                    # the person has left: the goal can no longer be reached, only closed
                    # or moved to the successor (KAM115), and the table says so
                    "left": p is not None and p.left_by(today),
                    # as an action's due date is: a goal past its date and not reached
                    "overdue": goal.by < today and not reached,
                }
            )
        for o in sorted(t.opportunities, key=lambda o: o.pbip):
            gap = (o.pbip - o.ready).days
            # a PBIP in the past: the customer's budget decision has been taken, and "ready
            # 46 days before PBIP" read as if the opportunity were still ahead
            past = o.pbip < today
            if past:
                status = _("PBIP passed {days} ago: update or remove it").format(
                    days=days_text((today - o.pbip).days)
                )
            elif gap >= 0:
                status = _("ready {days} before PBIP").format(days=days_text(gap))
            else:
                status = _("LATE: ready {days} after PBIP").format(days=days_text(-gap))
            opportunities.append(
                {
                    "id": o.id,
                    "name": o.name,
                    "value": "" if o.value is None else f"{o.value:,.0f}",
                    "pbip": o.pbip.isoformat(),
                    "ready": o.ready.isoformat(),
                    "status": status,
                    "late": gap < 0,
                    "past": past,
                }
            )
        for act in t.actions:
            p = people_by_id.get(act.stakeholder) if act.stakeholder else None
            actions.append(
                {
                    "id": act.id,
                    "text": act.text,
                    "owner": act.owner,
                    "due": act.due.isoformat(),
                    "status": _(act.status),
                    "person": who(act.stakeholder) if act.stakeholder else "",
                    "target": act.target or "",
                    "overdue": act.status in ("planned", "doing") and act.due < today,
                    "_due": act.due,
                }
            )
    by_owner: dict[str, list[JsonObject]] = {}
    for item in sorted(actions, key=lambda x: (x["owner"], x["_due"], x["id"])):
        by_owner.setdefault(item["owner"], []).append(
            {k: v for k, v in item.items() if k != "_due"}
        )
    ctx_check_command = suggest.command(
        "check", suggest.account(analysed.id, analysed.account.folder, "check")
    )
    computed = g.computed_tier or "-"
    tier_why = _("position {position}, value {value}: computed tier {tier}").format(
        position=a.position, value=a.value, tier=computed
    )
    if a.tier:
        tier_why += _("; manual tier {tier} ({reason})").format(
            tier=a.tier, reason=_no_stop(a.tier_reason or _("no reason given"))
        )
    return {
        "today": today.isoformat(),
        "period": (
            t.period
            if t is not None and t.period is not None
            else result.config.planning.year_in_preparation(today)
        ),
        "account": {
            "id": analysed.id,
            "name": a.name,
            "industry": a.industry or "",
            "owner": a.owner,
            "stage": _(a.stage) if a.stage else "",
            "position": a.position,
            "value": a.value,
            "reviewed": a.reviewed.isoformat(),
            "competitors": [c.name for c in a.competitors],
            "needs": [{"kind": n.kind, "text": n.text} for n in a.needs],
            "team": [{"person": m.person, "roles": ", ".join(m.roles)} for m in a.team],
        },
        "grade": {
            "tier": g.tier or "-",
            "tier_label": tier_label(g.tier, g.tier_label),
            "computed_tier": computed,
            "override": a.tier or "",
            "why": tier_why,
            "score": g.score,
            "letter": g.letter,
            "focus": g.focus,
            "components": [
                {
                    "label": _(c.to_dict()["label"]),
                    "points": c.points,
                    "earned": points_text(c.to_dict()["earned"]),
                    "detail": c.detail,
                }
                for c in g.components
            ],
        },
        # a left_on still ahead is an announced departure: they are on the team until then
        "people": [p for p in people if not p["left_on"] or p["left_on"] > today.isoformat()],
        "people_by_unit": (unit_groups := _people_by_unit(analysed.account, rows, today)),
        "people_by_unit_intro": _people_by_unit_intro(unit_groups, analysed.account, today),
        "left": [p for p in people if p["left_on"] and p["left_on"] <= today.isoformat()],
        "findings": [_finding(f) for f in by_severity(analysed.findings)],
        # thousands of findings (a first CRM import) would fill the plan: the default
        # template shows the count per rule instead, and the command that lists them
        "findings_many": len(analysed.findings) >= TALLY_FROM,
        "finding_counts": [
            {"code": code, "severity": _(severity), "count": n, "rule": summary}
            for code, severity, n, summary in rule_counts(analysed.findings)
        ],
        "check_command": ctx_check_command,
        "log_command": suggest.command(
            "log",
            suggest.account(analysed.id, analysed.account.folder, "log"),
            "PERSON",
            "-m",
            "TEXT",
        ),
        "attention": attention(analysed, check_command=str(ctx_check_command)),
        "targets": targets,
        "goals": goals,
        "opportunities": opportunities,
        "actions_by_owner": by_owner,
        **_diagrams(as_of, analysed.account.folder, contacts.keys()),
        "quadrant_legend": powermap.quadrant_legend(powermap.quadrant_labels_shown(as_of)),
        **_not_placed(as_of),
        **log_context(analysed.account, today),
        "include_personal": include_personal,
        **method_sections(result, analysed),
    }


#: from how many people in post an account is large for its plan: the stakeholder table is
#: one table per org unit (170 people in one table, in file order, were a wall in which
#: no unit could be found), and the power map is the focused one when that leaves anyone
#: out (a 12,000-pixel chart, half of it grey names nobody has met); the Mermaid map
#: turns left to right from the same size
LARGE_ACCOUNT_FROM = 21


def _people_by_unit(
    account: Account, rows: dict[str, JsonObject], today: dt.date
) -> list[JsonObject]:
    """The stakeholder table's groups for a large account with org units: ``unit`` (its
    name, ``""`` for the people with none), ``heading`` ("Grid & Trading (9 people)"),
    ``people`` (the rows, as the org chart reads);
    empty for a small account or one without org.yaml, whose table stays one."""
    from kamtool.analyse.map_people import by_unit

    current = [p for p in account.stakeholders if not p.left_by(today)]
    org = account.org
    if org is None or not org.units or len(current) < LARGE_ACCOUNT_FROM:
        return []
    names = names_apart((u.id, u.name) for u in org.units)
    groups: list[JsonObject] = []
    for uid, group in by_unit(current, org.units):
        unit = names[uid] if uid else ""
        heading = ngettext("{unit} ({n} person)", "{unit} ({n} people)", len(group)).format(
            unit=unit or _("No org unit"), n=number(len(group))
        )
        groups.append({"unit": unit, "heading": heading, "people": [rows[p.id] for p in group]})
    if sum(1 for g in groups if g["unit"]) < 2:
        # one unit, or nobody placed in any (every ``unit:`` unset or unknown): grouping
        # would only put a heading over the one table
        return []
    return groups


#: the org units nobody is known in named at most under a large account's stakeholders
BLIND_UNITS_NAMED = 12


def _people_by_unit_intro(groups: list[JsonObject], account: Account, today: dt.date) -> str:
    """The sentence over a large account's tables by org unit: how many people in how
    many units (the group of people with no unit is not a unit), and the org units
    nobody is known in (``units_nobody_known_in``), which no table shows."""
    if not groups:
        return ""
    from kamtool.analyse.map_people import units_nobody_known_in

    units = sum(1 for g in groups if g["unit"])
    people = sum(len(g["people"]) for g in groups)
    intro = ngettext(
        "{n} people in {units} org unit, unit by unit as the org chart reads (each "
        "manager, then the people who report to them).",
        "{n} people in {units} org units, unit by unit as the org chart reads (each "
        "manager, then the people who report to them).",
        units,
    ).format(n=number(people), units=number(units))
    org_units = account.org.units if account.org is not None else []
    current = [p for p in account.stakeholders if not p.left_by(today)]
    blind = units_nobody_known_in(current, org_units)
    if not blind:
        return intro
    names = names_apart((u.id, u.name) for u in org_units)
    # text: the template escapes it for Markdown (a unit's name is the user's)
    return sentences(
        intro,
        ngettext(
            "Nobody is known in {n} org unit: {units}.",
            "Nobody is known in {n} org units: {units}.",
            len(blind),
        ).format(
            n=number(len(blind)),
            units=listed((names[uid] for uid in blind), shown=BLIND_UNITS_NAMED),
        ),
    )


def _not_placed(as_of: Account) -> dict[str, object]:
    """``not_placed``: everyone the quadrant chart cannot place, by name (for a template
    of one's own); ``not_placed_line``: the legend's sentence, naming the people with a
    role first and at most a dozen (after a CRM import, hundreds of names buried it)."""
    from kamtool.report import powermap

    unplaced = powermap.quadrant_points(as_of)[1]
    return {
        "not_placed": [p.name for p in unplaced],
        "not_placed_line": powermap.not_placed(as_of, unplaced, str) if unplaced else "",
    }


def _diagrams(as_of: Account, folder: Path, contacted: Collection[str]) -> dict[str, object]:
    """The power map and the quadrant as Mermaid text, or ``""`` with a note in its place
    when Mermaid's default limits (GitHub, GitLab) would refuse to draw it: a plan must not
    carry a block that renders as "Maximum text size in diagram exceeded" (README). A large
    account's map is the focused one, or the decision chains when the focused one is still
    too wide to read on a page (``powermap.READABLE_ACROSS``); ``contacted``: the people with a last
    contact (file or log)."""
    from markupsafe import Markup

    from kamtool.report import powermap

    account = suggest.account(as_of.id, folder, "map")
    in_post = sum(1 for p in as_of.stakeholders if p.left_on is None)
    if in_post == 0:
        # a chart of the legend alone read as a chart that failed to draw: said instead
        # (and neither chart is drawn to be thrown away)
        nobody = _(
            "Nobody in post to draw yet: the people go in stakeholders.yaml (`{command}` "
            "brings them from a CRM export)."
        ).format(command=suggest.command("import csv", "FILE", "--account", account))
        return {
            "power_map": "",
            "power_map_note": md_with_code(nobody),
            "quadrant": "",
            "quadrant_note": md_with_code(nobody),
        }
    power_map = powermap.mermaid(as_of)
    quadrant = powermap.quadrant(as_of)
    map_large = powermap.mermaid_too_large(power_map)
    quadrant_large = powermap.mermaid_too_large(quadrant)
    map_note = ""
    if map_large or in_post >= LARGE_ACCOUNT_FROM:
        map_note = (
            _(
                "The power map of {people} people is too large for Mermaid's default limits "
                "(GitHub and GitLab would not draw it): draw it with Graphviz, "
                "`{dot}`, or read it as a tree, `{tree}`."
            ).format(
                people=number(len(as_of.stakeholders)),
                dot=suggest.command("map", account, "--format", "dot"),
                tree=suggest.command("map", account),
            )
            if map_large
            else ""
        )
        # a CRM import's thousands nobody has met, a conglomerate's 170 people of whom half
        # are names in a grey wall: the map of those who matter (and it fits)
        from kamtool.analyse.map_people import focus

        focused, left_out = focus(as_of)
        focused_map = powermap.mermaid(focused)
        drawn = as_of
        if left_out and focused.stakeholders and not powermap.mermaid_too_large(focused_map):
            power_map, map_large, drawn = focused_map, False, focused
            map_note = ngettext(
                "The map shows {shown} person: those with a role, a known attitude, an owner, "
                "a competitor they back or a line of influence, and their managers; the {left} "
                "others are left out (`{command}` draws everyone).",
                "The map shows {shown} people: those with a role, a known attitude, an owner, "
                "a competitor they back or a line of influence, and their managers; the {left} "
                "others are left out (`{command}` draws everyone).",
                len(focused.stakeholders),
            ).format(
                shown=number(len(focused.stakeholders)),
                left=number(left_out),
                command=suggest.command("map", account),
            )
        if map_large or powermap.across(drawn) > powermap.READABLE_ACROSS:
            from kamtool.analyse.map_people import chain

            chained, chain_out = chain(as_of, contacted)
            chain_map = powermap.mermaid(chained)
            if (
                chain_out
                and chained.stakeholders
                and not powermap.mermaid_too_large(chain_map)
                and (map_large or powermap.across(chained) < powermap.across(drawn))
            ):
                power_map, map_large = chain_map, False
                map_note = ngettext(
                    "The map shows {shown} person: the decision makers, our contacts in their "
                    "reporting lines, everyone between and whoever influences a decision "
                    "maker; the {left} others are left out (`{focus}` draws the people who "
                    "matter, `{whole}` everyone).",
                    "The map shows {shown} people: the decision makers, our contacts in their "
                    "reporting lines, everyone between and whoever influences a decision "
                    "maker; the {left} others are left out (`{focus}` draws the people who "
                    "matter, `{whole}` everyone).",
                    len(chained.stakeholders),
                ).format(
                    shown=number(len(chained.stakeholders)),
                    left=number(chain_out),
                    focus=suggest.command("map", account, "--focus", "--format", "dot"),
                    whole=suggest.command("map", account),
                )
    return {
        "power_map": "" if map_large else Markup(power_map),
        "power_map_note": md_with_code(map_note),
        "quadrant": "" if quadrant_large else Markup(quadrant),
        "quadrant_note": md_with_code(
            _(
                "The intimacy and support chart names too many people for Mermaid's default "
                "limits: `{command}` writes it for a Mermaid with higher limits; "
                "the stakeholder table above has everyone's attitude and intimacy."
            ).format(command=suggest.command("map", account, "--quadrant"))
            if quadrant_large
            else ""
        ),
    }


NEED_LAYERS = (
    ("explicit", N_("Explicit needs (stated, in the tender)")),
    ("organizational", N_("Implicit organisational needs")),
    ("individual", N_("Implicit individual needs (a decision-chain member's own stakes)")),
)
BIG_PLAY_LABELS = {
    "strengthen": N_("strengthen"),
    "new-relationships": N_("create new relationships"),
    "raise-value": N_("raise the value"),
    "displace": N_("displace a competitor"),
    "block": N_("block a competitor"),
}
#: values of the files' enumerations that a plan shows as words (stage, target kinds,
#: action status): translated where shown, written in English in the YAML
VALUE_WORDS = (
    N_("build"),
    N_("stabilize"),
    N_("strengthen"),
    N_("beachhead"),
    N_("share"),
    N_("profit"),
    N_("competition"),
    N_("relationship"),
    N_("planned"),
    N_("doing"),
    N_("done"),
    N_("dropped"),
    # log.yaml kinds
    N_("meeting"),
    N_("call"),
    N_("email"),
    N_("visit"),
    N_("event"),
    N_("executive-meeting"),
    N_("other"),
)


def method_sections(result: RunResult, analysed: AccountResult) -> JsonObject:
    """What the method asks the plan to hold besides people and targets (DOMAIN 2, 8, 9):
    the account team and its role coverage, the value curve, needs by layer and whose they
    are, the whitespace grid and the strategy."""
    from markupsafe import Markup

    from kamtool.analyse.whitespace import grid
    from kamtool.report.whitespace import grid_markdown

    a = analysed.account.profile
    assert a is not None  # a valid account
    config = result.config
    people_by_id = {p.id: p for p in analysed.account.stakeholders}

    holders: dict[str, list[str]] = {}
    for m in a.team:
        for role in m.roles:
            holders.setdefault(role, []).append(m.person)
    roles = [
        {
            "role": _(TEAM_ROLE_LABELS[r]) if r in TEAM_ROLE_LABELS else r,
            "people": listed(holders.get(r, [])),
            "covered": r in holders,
        }
        for r in config.team_roles
    ]
    team = {
        "members": [
            {
                "person": m.person,
                "roles": listed(
                    _(TEAM_ROLE_LABELS[r]) if r in TEAM_ROLE_LABELS else r for r in m.roles
                ),
            }
            for m in a.team
        ],
        "roles": roles,
        "covered": sum(1 for r in roles if r["covered"]),
        "required": len(roles),
    }

    needs = []
    for kind, label in NEED_LAYERS:
        items = []
        for n in a.needs:
            if n.kind != kind:
                continue
            p = people_by_id.get(n.stakeholder) if n.stakeholder else None
            name = analysed.account.person_name(p.id, left_by=result.today) if p else ""
            whose = (
                (_("{name}, {title}").format(name=name, title=p.title) if p.title else name)
                if p
                else ""
            )
            items.append({"text": n.text, "whose": whose or _("the organisation")})
        needs.append({"kind": kind, "label": _(label), "entries": items})

    curve = sorted(a.value_curve, key=lambda v: v.year)
    # the account's currency, else the portfolio's (kam.yaml `currency`), as KAM304 says it
    currency = (a.facts.currency if a.facts and a.facts.currency else "") or config.currency or ""
    # the years KAM304 found short (its findings, so its threshold and severity decide)
    short = {f.data["year"] for f in analysed.findings if f.code == "KAM304" and f.data}
    value_rows = []
    for v in curve:
        # rounded down (i18n.percent), as KAM304 says it: 79.6% reads 79%, a shortfall
        pct = percent(v.actual / v.expected) if v.actual is not None and v.expected else None
        value_rows.append(
            {
                "year": v.year,
                "expected": _money(v.expected),
                "actual": "" if v.actual is None else _money(v.actual),
                "pct": "" if pct is None else f"{pct}%",
                "shortfall": v.year in short,
            }
        )
    value_curve = {
        "rows": value_rows,
        "currency": currency,
        "chart": Markup(value_chart(curve, currency)) if curve else "",
        # the years the chart puts on its axis without an entry, for its legend
        "gap_years": listed(str(y) for y in gap_years(curve)),
    }

    g = grid(analysed.account, config, result.today)
    whitespace = {
        "table": Markup(grid_markdown(g)) if g.rows and g.offerings else "",
        "offerings": len(g.offerings),
        "rows": len(g.rows),
    }

    t = analysed.account.targets
    st = t.strategy if t is not None else None
    strategy = None
    if st is not None:
        strategy = {
            "level": st.level or "",
            "needed_level": st.needed_level or "",
            "gap": (st.needed_level - st.level) if st.level and st.needed_level else None,
            "strengths": list(st.strengths),
            "weaknesses": list(st.weaknesses),
            "big_play": [
                {"kind": _(BIG_PLAY_LABELS.get(b.kind, b.kind)), "text": b.text}
                for b in st.big_play
            ],
        }
    return {
        "team": team,
        "needs_by_layer": needs,
        "value_curve": value_curve,
        "whitespace": whitespace,
        "strategy": strategy,
    }


def _money(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


#: the longest value curve whose missing years the chart puts on its axis
GAP_YEARS_SPAN = 30


def gap_years(curve: list[ValuePoint]) -> list[int]:
    """The years between a value curve's first and last that have no entry (none for a
    curve spanning more than GAP_YEARS_SPAN years: it is drawn as recorded)."""
    if not curve or curve[-1].year - curve[0].year > GAP_YEARS_SPAN:
        return []
    have = {v.year for v in curve}
    return [y for y in range(curve[0].year, curve[-1].year) if y not in have]


def with_gap_years(curve: list[ValuePoint]) -> list[ValuePoint]:
    """The curve (by year) with each missing year put in, its expected value on the
    straight line between the recorded years around it and no actual. Mermaid spaces
    the categories of an xychart evenly, so 2024, 2025, 2027, 2029 drew two years'
    growth as steep as one year's; with the missing years on the axis the line keeps
    the shape of the curve in time (the table lists only what was recorded)."""
    gaps = set(gap_years(curve))
    if not gaps:
        return curve
    from kamtool.load.models import ValuePoint

    out: list[ValuePoint] = []
    for before, after in pairwise(curve):
        out.append(before)
        for year in range(before.year + 1, after.year):
            if year in gaps:
                t = (year - before.year) / (after.year - before.year)
                expected = before.expected + (after.expected - before.expected) * t
                out.append(ValuePoint(year=year, expected=expected))
    return [*out, curve[-1]]


def value_chart(curve: list[ValuePoint], currency: str) -> str:
    """The value curve as a Mermaid ``xychart-beta``: expected as a line, actual as bars
    (the years that have one, from the first year on: a bar chart cannot skip a year, so
    a year without an actual is drawn as 0 only between years that have one); a year
    missing between recorded ones is on the axis too (:func:`with_gap_years`)."""
    import re

    unit = re.sub(r"[^A-Za-z]", "", currency)[:8]
    top = max([v.expected for v in curve] + [v.actual or 0 for v in curve])
    scale, label = (
        (1e6, _("million")) if top >= 1e6 else ((1e3, _("thousand")) if top >= 1e4 else (1, ""))
    )
    axis = " ".join(x for x in (unit, label) if x) or _("value")

    def num(x: float) -> str:
        return f"{x / scale:.2f}".rstrip("0").rstrip(".")

    curve = with_gap_years(curve)
    years = ", ".join(f'"{v.year}"' for v in curve)
    last_actual = max((i for i, v in enumerate(curve) if v.actual is not None), default=-1)
    lines = [
        # the default palette draws the bars in a pale lilac, faint beside the line: the
        # history chart's blue for the actual bars, a dark grey for the expected line (the
        # palette goes by the order the plots are written: bars first, then the line)
        '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "'
        + ("#1f6feb, #57606a" if last_actual >= 0 else "#57606a")
        + '"}}}}%%',
        "xychart-beta",
        '    title "'
        + _("Value curve: expected (line) and actual (bars), {axis}").format(axis=axis)
        + '"',
        f"    x-axis [{years}]",
        # from 0: bars cut off at the smallest value would exaggerate every difference
        f'    y-axis "{axis}" 0 --> {num(top * 1.1 if top > 0 else 1)}',
    ]
    if last_actual >= 0:
        bars = ", ".join(num(v.actual or 0) for v in curve[: last_actual + 1])
        lines.append(f"    bar [{bars}]")
    lines.append(f"    line [{', '.join(num(v.expected) for v in curve)}]")
    return "\n".join(lines) + "\n"


#: how many of the newest log entries a plan shows
RECENT_LOG = 10


def log_context(account: Account, today: dt.date) -> JsonObject:
    """The log for the plan: the newest entries, newest first, and the next steps still
    open. A next step is open until a later entry (by date) involves any of the same people: the follow-up contact is where it
    was taken up, and what came of it is that entry's own business."""

    def names(ids: list[str]) -> str:
        return listed(account.person_name(i, left_by=today) for i in ids)

    # by date, file order among equals: a back-dated `kam log --date` is appended at the end
    entries = sorted(account.log.entries, key=lambda e: e.date) if account.log else []
    rows = [
        {
            "date": e.date.isoformat(),
            "kind": _(e.kind),
            "with": names(e.with_),
            "by": listed(e.by),
            "summary": e.summary or "",
            "next": e.next or "",
        }
        for e in entries
    ]
    open_steps = []
    for i, e in enumerate(entries):
        if not e.next:
            continue
        later = entries[i + 1 :]
        if not any(set(e.with_) & set(x.with_) for x in later):
            open_steps.append(rows[i])
    return {
        "log": rows[-RECENT_LOG:][::-1],
        "log_total": len(rows),
        "next_steps": open_steps,
    }


def _finding(f: Finding) -> JsonObject:
    from kamtool.report.findings import hint_text

    person = (f.data or {}).get("person")
    return {
        "code": f.code,
        "severity": _(f.severity),
        "message": _no_stop(f.message),
        "hint": md_with_code(hint_text(f)),
        "person": person or "",
        "where": f"{Path(f.path).name}:{f.line}",
    }


def _finalize(value: object) -> str:
    from markupsafe import Markup

    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return md(value)


class Written:
    """How many characters of the plan have been written."""

    chars: int = 0


def environment(
    template_dirs: list[Path],
    repository: Path | None = None,
    display: Callable[[Path], str] | None = None,
    data_names: Iterable[str] = (),
    written: Written | None = None,
) -> ImmutableSandboxedEnvironment:
    """The sandboxed environment over the template folders, first match wins. A folder
    that lies in ``repository`` must resolve inside it, and every template file inside
    the folder it is found in (template_loader.ConfinedLoader); TemplateProblem if not.
    ``data_names`` are the names of the data the templates get (a misspelt one is
    matched against them); ``written`` counts the plan's characters as render reads them
    (a value that would take it past the limit is refused where it is written)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from kamtool.core import templates_dir
    from kamtool.report.template_loader import ConfinedLoader, TemplateFolder

    def folder(d: Path) -> TemplateFolder:
        absolute = Path(os.path.abspath(d))
        lies_in = repository is not None and (
            absolute == repository or repository in absolute.parents
        )
        return TemplateFolder(d, repository if lies_in else None)

    folders = [folder(d) for d in template_dirs]
    written = written or Written()

    class Undefined(StrictUndefined):
        """StrictUndefined whose message says what was meant: a template's typo
        (``action_by_owner``, ``items[0].date``) names the variable or key it is close to,
        or the keys the item has, in one line (jinja says "'dict object' has no
        attribute 'date'")."""

        __slots__ = ()

        @property
        def _undefined_message(self) -> str:
            known = [*data_names, *env.globals]
            return undefined_message(self, known) or super()._undefined_message

    class Environment(ImmutableSandboxedEnvironment):
        """Notes the templates that include, import or extend their own name: a part of
        one's own that means to wrap the built-in one of its name includes itself, without
        end; the error then says to name the built-in (``builtin/NAME``). Refuses, before
        it is made, a value larger than a plan may be (``sized``): ``"x" * 10**10``,
        ``10**(10**8)``, ``"x".center(10**10)``, ``lipsum(10**6)``."""

        includes_itself: list[str]
        intercepted_binops = frozenset({"*", "**", "%"})

        def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
            tree = super()._parse(source, name, filename)
            text_after_extends(tree, name, filename)
            return tree

        def join_path(self, template: str, parent: str) -> str:
            if template == parent:
                self.includes_itself.append(template)
            return template

        def call_binop(
            self, context: Context, operator: str, left: object, right: object
        ) -> object:
            sized_operation(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def call(
            __self, __context: Context, __obj: object, *args: object, **kwargs: object
        ) -> object:
            # a str's format method comes wrapped by the sandbox (``__wrapped__``)
            bound = getattr(__obj, "__wrapped__", __obj)
            owner = getattr(bound, "__self__", None)
            name = getattr(bound, "__name__", "")
            counts = name in _STR_SIZERS if isinstance(owner, str) else name == _LIPSUM
            formats = [owner] if isinstance(owner, str) and name.startswith("format") else []
            sized_arguments(formats, [*args, *kwargs.values()] if counts else [])
            return super().call(__context, __obj, *args, **kwargs)

    def finalize(value: object) -> str:
        """``_finalize``, refusing the value that would take the plan past its limit, at
        the template line writing it (render counts the output as it reads it, where only
        the line of a part's include can be named)."""
        text = _finalize(value)
        if written.chars + len(text) > MAX_OUTPUT_CHARS:
            raise _Overlong
        return text

    env = Environment(
        loader=ConfinedLoader(folders, display, builtin=folder(templates_dir())),
        undefined=Undefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,
        extensions=["jinja2.ext.i18n"],
    )
    env.includes_itself = []
    for name in SIZED_FILTERS:  # filters are called directly, not through env.call
        env.filters[name] = _sized_filter(env.filters[name], counts=name != "format")
    env.filters["md"] = md
    # {% trans %} and {{ _("Targets") }} read kam's message catalogue (kamtool.i18n)
    from kamtool import i18n

    env.filters["number"] = _number_filter  # 67,919: counts grouped as kam prints them

    env.install_gettext_callables(i18n._, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = template_gettext
    env.globals["pgettext"] = template_pgettext
    return env


def text_after_extends(tree: nodes.Template, name: str | None, filename: str | None) -> None:
    """Refuse what a template that extends another writes outside its blocks: jinja drops
    it without a word, and the built-in templates have no blocks, so ``{% extends
    "builtin/plan.md.j2" %}`` and a line of one's own under it gave the built-in plan
    without the line. What comes before the ``extends`` is written, as jinja does."""
    from jinja2 import nodes as n
    from jinja2.exceptions import TemplateSyntaxError

    extends = None
    for node in tree.body:
        if isinstance(node, n.Extends):
            parent = node.template
            if isinstance(parent, n.Const) and parent.value == name:
                return  # extends itself: said as such when it recurses (``includes_itself``)
            extends = node
        elif (
            extends is not None
            and isinstance(node, n.Block)
            and isinstance(extends.template, n.Const)
            and str(extends.template.value).startswith("builtin/")
        ):
            # a block of a built-in part, which has none: dropped as well
            shown = extends.template.value
            raise TemplateSyntaxError(
                _(
                    "{parent!r} has no {{% block {block} %}} (the built-in templates have "
                    "none): what it holds is never written; include it instead, {include}, "
                    "and write around it"
                ).format(parent=shown, block=node.name, include=f'{{% include "{shown}" %}}'),
                node.lineno,
                name,
                filename,
            )
        elif extends is not None and isinstance(node, n.Output):
            for part in node.nodes:
                if isinstance(part, n.TemplateData) and not part.data.strip():
                    continue
                line = part.lineno
                if isinstance(part, n.TemplateData):  # the line its first letter is on
                    line += part.data[: len(part.data) - len(part.data.lstrip())].count("\n")
                parent = extends.template
                shown = parent.value if isinstance(parent, n.Const) else "..."
                raise TemplateSyntaxError(
                    _(
                        "what a template that extends {parent!r} writes outside a "
                        "{{% block %}} is never written (the built-in templates have no "
                        "blocks): include it instead, {include}, and write around it"
                    ).format(parent=shown, include=f'{{% include "{shown}" %}}'),
                    line,
                    name,
                    filename,
                )


#: the filters whose arguments set the size of what they make (a width, a count), and
#: ``format``, whose format string does (``"%0999999999d"|format(1)``)
SIZED_FILTERS = ("center", "format", "indent", "wordwrap", "truncate", "batch", "slice")
#: the methods of a str whose numbers are a width, and lipsum's name (its count)
_STR_SIZERS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_LIPSUM = "generate_lorem_ipsum"
#: a width or precision in a %- or {}-format string: ``%0999999999d``, ``{:>999999999}``
_FORMAT_WIDTH = re.compile(r"(?:%[-#0 +*]*|:[^{}]*?)([0-9]{7,})")


def _too_large(value: object) -> None:
    """SecurityError for a number that would make a value larger than a plan may be."""
    from jinja2.exceptions import SecurityError

    raise SecurityError(
        _("{value} is too large here: a plan is at most {limit} characters").format(
            value=f"{value:,}" if isinstance(value, int) else value,
            limit=f"{MAX_OUTPUT_CHARS:,}",
        )
    )


def sized_arguments(formats: Iterable[object], sizes: Iterable[object]) -> None:
    """Refuse a call whose size (a width of ``str.center``, a sized filter's or lipsum's
    count: ``sizes``) or whose format string's width (``formats``: the str of
    ``str.format``, the text of the ``format`` filter or of ``%``) exceeds the plan's
    limit: the value would be made in one step, which neither the output limit nor the
    clock can stop. Other numbers (a revenue given to ``format``) are values."""
    for value in sizes:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_OUTPUT_CHARS:
            _too_large(value)
    for value in formats:
        width = _FORMAT_WIDTH.search(value) if isinstance(value, str) else None
        if width is not None and int(width.group(1)) > MAX_OUTPUT_CHARS:
            _too_large(int(width.group(1)))


def sized_operation(operator: str, left: object, right: object) -> None:
    """Refuse ``text * n`` and ``[...] * n`` longer than a plan may be, and a power whose
    result has more than a plan's digits (``10**(10**8)`` took the memory of the machine)."""
    if operator == "%":  # "%0999999999d" % 1
        sized_arguments([left], [])
    elif operator == "*":
        for seq, times in ((left, right), (right, left)):
            if (
                isinstance(seq, str | list | tuple)
                and isinstance(times, int)
                and len(seq) * times > MAX_OUTPUT_CHARS
            ):
                _too_large(times)
    elif (
        operator == "**"
        and isinstance(left, int)
        and isinstance(right, int)
        and abs(left) > 1
        and right * abs(left).bit_length() > MAX_OUTPUT_CHARS
    ):
        _too_large(f"{left}**{right}")


def _sized_filter(function: Callable[..., object], counts: bool) -> Callable[..., object]:
    import functools

    # the value filtered comes first (after the environment or context it may be passed)
    value = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(function)
    def sized(*args: object, **kwargs: object) -> object:
        if counts:
            sized_arguments([], [*args[value + 1 :], *kwargs.values()])
        else:  # format: its text is the format
            sized_arguments(args[value : value + 1], [])
        return function(*args, **kwargs)

    return sized


class _Overtime(BaseException):
    """Rendering ran past MAX_SECONDS (a BaseException: no ``except Exception`` of jinja or
    of a filter takes it for an error of its own)."""


class _Overlong(BaseException):
    """The plan grew past MAX_OUTPUT_CHARS: thrown into the rendering where it stands, so
    that the error names the template line that was writing (as _Overtime does)."""


@contextlib.contextmanager
def _clock(seconds: float) -> Iterator[bool]:
    """Raise _Overtime in the rendering after ``seconds``, wherever it is: a template's
    loops that write nothing (``{% for i in range(100000) %}{% for j in range(100000) %}``)
    never reached the check made at each piece of output, and ran for hours. Only the main
    thread can be signalled; elsewhere (and without SIGALRM) the check at each piece of
    output remains. Yields whether the clock runs (then it alone stops the rendering, in
    the template line that runs, which the error names)."""
    import signal
    import threading

    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield False
        return

    def overtime(_signum: int, _frame: object) -> None:
        raise _Overtime

    previous = signal.signal(signal.SIGALRM, overtime)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def undefined_message(u: StrictUndefined, names: Iterable[str]) -> str | None:
    """What an undefined value's error says: the name, and the one meant when one is close
    (among ``names``, the plan's data and the globals, for a variable; among an item's
    keys for a key), else the keys the item has; None for jinja's own message."""
    from collections.abc import Mapping

    from jinja2.utils import missing

    from kamtool.errors import did_you_mean

    obj = u._undefined_obj
    name = u._undefined_name
    if u._undefined_hint:
        return None
    if obj is missing:
        return _("{name!r} is undefined{hint}").format(
            name=name, hint=did_you_mean(str(name), names)
        )
    if isinstance(obj, Mapping) and isinstance(name, str):
        keys = [str(k) for k in obj]
        near = did_you_mean(name, keys)
        if name == "personal" and "personal" not in keys and "name" in keys:
            return _("no 'personal' here: a plan shows personal details only with {option}").format(
                option="--include-personal"
            )
        if near:
            return _("no {name!r} here{hint}").format(name=name, hint=near)
        return _("no {name!r} here: the item has {keys}").format(
            name=name, keys=listed(keys, shown=TEMPLATE_KEYS_SHOWN)
        )
    if isinstance(obj, (list, tuple)) and isinstance(name, int):
        return _("no item {index} in a list of {n}").format(index=name, n=number(len(obj)))
    if isinstance(obj, str) and isinstance(name, str) and _ISO_DATE.fullmatch(obj):
        # `{{ a.due.year }}`, `today.strftime(...)`: jinja said "'str object' has no
        # attribute 'year'"
        return _(
            "no {name!r} here: a date is text, {date!r}: cut out what you need ({example} "
            "is the year)"
        ).format(name=name, date=obj, example="d[:4]")
    if obj is None:
        # a value some accounts lack (`strategy.level` of an account without a strategy):
        # jinja said "'None' has no attribute 'level'"
        return _(
            "no {name!r} here: the value is empty for this account (as `strategy` is for an "
            "account without one): test it first, {example}"
        ).format(name=name, example="{% if strategy %}")
    return None


#: a date as templates get it (docs/templates.md: dates are text)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

#: how many of an item's keys an undefined key's message lists
TEMPLATE_KEYS_SHOWN = 15


def _number_filter(value: object) -> str:
    """``{{ n | number }}``: a number grouped by threes; anything else is a template error
    that says so (``format`` said "Cannot specify ',' with 's'")."""
    from jinja2.exceptions import TemplateRuntimeError

    if not _is_num(value):
        shown = str(value)
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        raise TemplateRuntimeError(
            _("the filter number needs a number, not {value!r}").format(value=shown)
        )
    assert isinstance(value, (int, float))
    return _metric(value)


def template_gettext(message: str, /, **values: object) -> Markup:
    """``{{ _("Account `%(id)s`, owned by %(owner)s", id=..., owner=...) }}`` in a template:
    the text in the output language with each value escaped for Markdown. The translated
    text is kam's own catalogue, not data, so it may carry Markdown (a code span, bold);
    placeholders are named (``%(id)s``), so a translation may move them."""

    from kamtool import i18n

    # always formatted, as jinja's own newstyle gettext does: a literal % is written %%
    return _filled(message, i18n._(message), values)


#: a placeholder that is the whole of a code span in a template's text: "`%(id)s`"
_CODE_PLACEHOLDER = re.compile(r"`%\((\w+)\)s`")


def _filled(message: str, translated: str, values: dict[str, object]) -> Markup:
    """A template's text with its values, each escaped for Markdown; a placeholder with no
    value (``_("Hello %(x)s")``) is a template error that names it, not "KeyError: 'x'"."""
    from jinja2.exceptions import TemplateRuntimeError
    from markupsafe import Markup

    from kamtool import i18n

    # a value that is a code span of its own ("`%(id)s`") is written as code: no
    # backslash escapes anything inside a code span, and `301\_hosp` showed its "\"
    as_code = set(_CODE_PLACEHOLDER.findall(translated))
    if as_code:
        translated = _CODE_PLACEHOLDER.sub(r"%(\1)s", translated)
    escaped: dict[str, object] = {
        k: Markup(code_span(v)) if k in as_code else v if isinstance(v, Markup) else md(v)
        for k, v in values.items()
    }
    try:
        return Markup(i18n.percent_format(translated, escaped))
    except KeyError as exc:
        raise TemplateRuntimeError(
            _("the text {text!r} has %({name})s but no value {name}=... is given").format(
                text=message, name=exc.args[0]
            )
        ) from None
    except (ValueError, TypeError, IndexError) as exc:
        raise TemplateRuntimeError(
            _("the text {text!r} cannot be filled in: {error}").format(text=message, error=exc)
        ) from None


def template_pgettext(context: str, message: str, /, **values: object) -> Markup:
    """``{{ pgettext("logged by", "by") }}``: ``template_gettext`` for a word whose sense
    depends on where it stands."""

    from kamtool import i18n

    return _filled(message, i18n.pgettext(context, message), values)


def _where(exc: BaseException, dirs: list[Path]) -> str:
    lineno = getattr(exc, "lineno", None)
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    if lineno is None:
        # the innermost template line running: a frame jinja rewrote (its file is the
        # template), or the compiled code of one it did not (a BaseException such as
        # _Overtime passes jinja by), whose line is mapped back to the template's
        tb = exc.__traceback__
        while tb is not None:
            template = tb.tb_frame.f_globals.get("__jinja_template__")
            if template is not None and template.filename:
                name, lineno = template.filename, template.get_corresponding_lineno(tb.tb_lineno)
            elif tb.tb_frame.f_code.co_filename.endswith(".j2"):
                name, lineno = tb.tb_frame.f_code.co_filename, tb.tb_lineno
            tb = tb.tb_next
    if name:
        p = Path(name)
        for d in dirs:
            with contextlib.suppress(ValueError):
                name = (d / p.name).as_posix() if p.is_absolute() and p.parent == d else name
        name = Path(name).name if Path(name).is_absolute() else name
    return f"{name or ENTRY}:{lineno or 1}"


#: the tags that open a block closed by ``end`` and their name (``set`` only without ``=``)
_BLOCK_TAGS = frozenset(
    {"for", "if", "macro", "call", "filter", "block", "with", "autoescape", "trans", "set"}
)
_INNERMOST = re.compile(r"The innermost block that needs to be closed is '(\w+)'")


def _unclosed_block(
    exc: BaseException, env: ImmutableSandboxedEnvironment | None, dirs: list[Path]
) -> str | None:
    """``file:line: ...`` for a block never closed (an ``{% if %}`` without its ``{% endif
    %}``), at the line that opened it; None for any other error. jinja reports it where it
    gave up, at the end of the file or at the next ``{% endfor %}``, which in a long part
    is far from the slip, and says nothing of the line of the ``if``."""
    from jinja2 import TemplateSyntaxError

    if not isinstance(exc, TemplateSyntaxError) or env is None or not exc.source:
        return None
    innermost = _INNERMOST.search(exc.message or "")
    if innermost is None:
        return None
    tag = innermost.group(1)
    opened: list[tuple[str, int]] = []  # the blocks open, (tag, line), innermost last
    found_end = ""  # the end tag jinja stopped at, if it did not stop at the end
    try:
        tokens = [t for t in env.lex(exc.source) if t[1] != "whitespace"]
    except TemplateSyntaxError:
        return None
    i = 0
    while i < len(tokens):
        line, kind, _value = tokens[i]
        i += 1
        if kind != "block_begin" or i >= len(tokens) or tokens[i][1] != "name":
            continue
        name = tokens[i][2]
        rest = []
        while i < len(tokens) and tokens[i][1] != "block_end":
            rest.append(tokens[i][1])
            i += 1
        if name in _BLOCK_TAGS and not (name == "set" and "assign" in rest):
            opened.append((name, line))
        elif name.startswith("end"):
            if opened and opened[-1][0] == name[3:]:
                opened.pop()
            else:
                found_end = name if line == exc.lineno else ""
                if found_end and found_end not in _tags(env):
                    return None  # `{% endfi %}`: a slip, said as an unknown tag
                break
    lines = [line for t, line in opened if t == tag]
    if not lines:
        return None
    where = _where(exc, dirs).rsplit(":", 1)[0]
    if found_end:
        return _(
            "{where}:{line}: the {{% {tag} %}} of this line is not closed before the "
            "{{% {end} %}} of line {end_line}: add {{% end{tag} %}}"
        ).format(where=where, line=lines[-1], tag=tag, end=found_end, end_line=exc.lineno)
    return _(
        "{where}:{line}: the {{% {tag} %}} of this line is never closed: add {{% end{tag} %}}"
    ).format(where=where, line=lines[-1], tag=tag)


#: jinja's messages, sentence by sentence, in kam's words: jinja speaks English only, and
#: a template author working in Chinese read "unexpected '}'" in a Chinese error line.
#: Each msgid is jinja's own wording, so the English output is jinja's message as it was;
#: the quoted values (a tag, a name, a token) stay as jinja quotes them. A sentence not
#: listed here stays in jinja's words.
_JINJA_SENTENCES: Final = [
    (
        re.compile(r"Encountered unknown tag (?P<tag>'[^']*')(?P<hint>[^.]*)\."),
        N_("Encountered unknown tag '{tag}'{hint}."),
    ),
    (
        re.compile(r"Jinja was looking for the following tags: (?P<tags>.*?)\.(?= |$)"),
        N_("Jinja was looking for the following tags: {tags}."),
    ),
    (
        re.compile(
            r"You probably made a nesting mistake\. Jinja is expecting this tag, but "
            r"currently looking for (?P<tags>.*?)\.(?= |$)"
        ),
        N_(
            "You probably made a nesting mistake. Jinja is expecting this tag, but currently "
            "looking for {tags}."
        ),
    ),
    (
        re.compile(r"The innermost block that needs to be closed is (?P<tag>'[^']*')\."),
        N_("The innermost block that needs to be closed is '{tag}'."),
    ),
    (re.compile(r"Unexpected end of template\."), N_("Unexpected end of template.")),
    (
        re.compile(r"unexpected end of template, expected (?P<token>'[^']*')\."),
        N_("unexpected end of template, expected '{token}'."),
    ),
    (
        re.compile(r"expected token (?P<token>'[^']*'), got (?P<got>'[^']*')"),
        N_("expected token '{token}', got '{got}'"),
    ),
    (
        re.compile(r"unexpected (?P<got>'[^']*'), expected (?P<token>'[^']*')"),
        N_("unexpected '{got}', expected '{token}'"),
    ),
    (
        re.compile(r"unexpected char (?P<char>'[^']*'|\"[^\"]*\") at (?P<at>\d+)"),
        N_("unexpected char {char} at {at}"),
    ),
    (re.compile(r"unexpected (?P<got>'[^']*')"), N_("unexpected '{got}'")),
    (
        re.compile(r"Expected an expression, got (?P<got>'[^']*')"),
        N_("Expected an expression, got '{got}'"),
    ),
    (
        re.compile(r"No filter named (?P<name>'[^']*')(?P<hint>[^.]*)\.?$"),
        N_("No filter named '{name}'{hint}"),
    ),
    (
        re.compile(r"No test named (?P<name>'[^']*')(?P<hint>[^.]*)\.?$"),
        N_("No test named '{name}'{hint}"),
    ),
    (
        re.compile(r"(?P<owner>'[^']*') has no attribute (?P<name>'[^']*')"),
        N_("'{owner}' has no attribute '{name}'"),
    ),
    (re.compile(r"tag name expected"), N_("tag name expected")),
    (re.compile(r"expected name or number"), N_("expected name or number")),
    (re.compile(r"Invalid character in identifier"), N_("Invalid character in identifier")),
]
#: what jinja calls a token in its messages (``'end of print statement'``)
_JINJA_TOKENS: Final = {
    "'begin of comment'": N_("begin of comment"),
    "'end of comment'": N_("end of comment"),
    "'begin of statement block'": N_("begin of statement block"),
    "'end of statement block'": N_("end of statement block"),
    "'begin of print statement'": N_("begin of print statement"),
    "'end of print statement'": N_("end of print statement"),
    "'end of template'": N_("end of template"),
}


def _unquoted(value: str) -> str:
    """One quoted value without its quotes (``'do'``: the words quote it); a list of
    them (``'endfor' or 'else'``) stays as jinja wrote it: cut at its ends, it read
    "endfor' or 'else"."""
    if len(value) > 1 and value[0] == value[-1] == "'" and value.count("'") == 2:
        return value[1:-1]
    return value


def _jinja_words(message: str) -> str:
    """``message``, one of jinja's, in the output language (``_JINJA_SENTENCES``)."""
    out: list[str] = []
    i = 0
    while i < len(message):
        for pattern, words in _JINJA_SENTENCES:
            found = pattern.match(message, i)
            if found is None:
                continue
            values = {  # a quoted value without its quotes: the words quote it their way
                k: _(_JINJA_TOKENS[v]) if v in _JINJA_TOKENS else v if k == "char" else _unquoted(v)
                for k, v in found.groupdict().items()
            }
            if "tags" in values:  # 'endfor' or 'else': the "or" in the output language
                values["tags"] = values["tags"].replace(" or ", _(" or "))
            out.append(_(words).format(**values))
            i = found.end()
            if out[-1].endswith("。") and message[i : i + 1] == " ":
                i += 1  # a Chinese full stop takes no space after it
            break
        else:
            out.append(message[i])
            i += 1
    return "".join(out)


#: other languages' words for a tag of jinja's (PHP's and Perl's `elseif`, `elsif`)
_TAG_SYNONYMS = {"elseif": "elif", "elsif": "elif", "foreach": "for", "endforeach": "endfor"}


def _tags(env: ImmutableSandboxedEnvironment) -> list[str]:
    """Every tag a template may write: jinja's statements, the extensions' tags, and the
    words that continue or close a block."""
    from jinja2.parser import _statement_keywords

    tags = set(_statement_keywords) | {"elif", "else"}
    for extension in env.extensions.values():
        tags |= set(extension.tags)
    tags |= {"end" + t for t in _BLOCK_TAGS}
    return sorted(tags)


def render(
    ctx: JsonObject,
    template_dirs: list[Path],
    repository: Path | None = None,
    display: Callable[[Path], str] | None = None,
    read: set[Path] | None = None,
) -> str:
    """Render the plan; any template problem becomes TemplateProblem('file:line: message').
    Template folders lying in ``repository`` are confined to it (see ``environment``).
    ``read``, when given, receives the template files the plan was made from."""
    from jinja2 import TemplateError, TemplateNotFound, TemplatesNotFound
    from jinja2.exceptions import SecurityError

    from kamtool.errors import did_you_mean
    from kamtool.report.template_loader import BUILTIN, ConfinedLoader, NotATemplate

    started = time.monotonic()
    out: list[str] = []
    env = None
    try:
        with _clock(MAX_SECONDS) as timed:
            written = Written()
            env = environment(
                template_dirs, repository, display, data_names=list(ctx), written=written
            )
            template = env.get_template(ENTRY)
            # a generator (jinja types it an iterator), into which an error can be thrown
            chunks = cast("Generator[str, None, None]", template.generate(**ctx))
            for chunk in chunks:
                written.chars += len(chunk)
                # thrown in, so that the error says which line of which part was running
                if written.chars > MAX_OUTPUT_CHARS:
                    chunks.throw(_Overlong())
                if not timed and time.monotonic() - started > MAX_SECONDS:
                    chunks.throw(_Overtime())
                out.append(chunk)
    except _Overtime as exc:
        raise TemplateProblem(
            _("{entry}: rendering took over {seconds} seconds: stopped").format(
                entry=_where(exc, template_dirs), seconds=f"{MAX_SECONDS:g}"
            )
        ) from None
    except _Overlong as exc:
        raise TemplateProblem(
            _("{entry}: output over {limit} characters: stopped").format(
                entry=_where(exc, template_dirs), limit=f"{MAX_OUTPUT_CHARS:,}"
            )
        ) from None
    except NotATemplate as exc:
        raise TemplateProblem(f"{_where(exc, template_dirs)}: {exc}") from None
    except TemplateProblem:
        raise
    except SecurityError as exc:
        raise TemplateProblem(
            _("{where}: refused by the sandbox: {error}").format(
                where=_where(exc, template_dirs), error=exc
            )
        ) from None
    except TemplateNotFound as exc:
        names = exc.templates if isinstance(exc, TemplatesNotFound) else [exc.name]
        missing = ", ".join(str(n) for n in names)
        raise TemplateProblem(
            f"{_where(exc, template_dirs)}: "
            + _("template not found (or outside the template folder): {name}").format(name=missing)
        ) from None
    except TemplateError as exc:
        unclosed = _unclosed_block(exc, env, template_dirs)
        if unclosed is not None:
            raise TemplateProblem(unclosed) from None
        message = exc.message or str(exc)
        # "No filter named 'upperr'.": and the one meant, among the filters (tests) there are
        unknown = re.fullmatch(r"No (filter|test) named '([^']*)'( found)?\.?", message)
        if unknown and env is not None:
            known = env.filters if unknown.group(1) == "filter" else env.tests
            message = message.rstrip(".") + did_you_mean(unknown.group(2), known)
        # "Encountered unknown tag 'foreach'.": and the tag meant (for, endif...), among
        # those jinja was looking for when it says which
        tag = re.match(r"Encountered unknown tag '([^']*)'\.", message)
        if tag and env is not None:
            wanted = re.search(r"looking for the following tags: ([^.]*)\.", message)
            options = re.findall(r"'([^']*)'", wanted.group(1)) if wanted else []
            slip = _TAG_SYNONYMS.get(tag.group(1), tag.group(1))
            hint = did_you_mean(slip, options) or did_you_mean(slip, _tags(env))
            message = message[: tag.end() - 1] + hint + message[tag.end() - 1 :]
        message = _jinja_words(message)
        raise TemplateProblem(f"{_where(exc, template_dirs)}: {message}") from None
    except RecursionError as exc:
        itself = getattr(env, "includes_itself", None)
        if itself:
            # a part of one's own wrapping the built-in one: `{% include "plan.md.j2" %}`
            # in plan.md.j2 is itself (the first folder that has the name wins)
            raise TemplateProblem(
                _(
                    "{where}: {name} includes itself without end: to add to the built-in "
                    "{name}, include or extend {builtin!r}"
                ).format(
                    where=_where(exc, template_dirs),
                    name=itself[0],
                    builtin=f"{BUILTIN}/{itself[0]}",
                )
            ) from None
        raise TemplateProblem(
            _("{where}: template too deep or too large ({kind})").format(
                where=_where(exc, template_dirs), kind=type(exc).__name__
            )
        ) from None
    except (MemoryError, OverflowError) as exc:
        from jinja2.sandbox import MAX_RANGE

        if isinstance(exc, OverflowError) and "MAX_RANGE" in str(exc):
            # `range(1000000)`: the sandbox's own limit, not a template too deep
            raise TemplateProblem(
                _("{where}: a range of more than {limit} numbers is refused by the sandbox").format(
                    where=_where(exc, template_dirs), limit=number(MAX_RANGE)
                )
            ) from None
        raise TemplateProblem(
            _("{where}: template too deep or too large ({kind})").format(
                where=_where(exc, template_dirs), kind=type(exc).__name__
            )
        ) from None
    except Exception as exc:  # a template error jinja does not wrap (e.g. a bad filter argument)
        raise TemplateProblem(
            f"{_where(exc, template_dirs)}: {type(exc).__name__}: {exc}"
        ) from None
    if read is not None and env is not None and isinstance(env.loader, ConfinedLoader):
        read.update(env.loader.read)
    return "".join(out)
