"""kam plan: the annual three-piece set (DOMAIN 6) rendered from sandboxed jinja2 templates.

Templates get plain data, never models or Python objects with methods, and run
in jinja2's SandboxedEnvironment with StrictUndefined. Every ``{{ value }}`` is
escaped for Markdown unless it is pre-rendered markup (tables of numbers, the
Mermaid blocks), so a customer name cannot inject links, HTML or table cells.
Rendering stops past a size or time bound, for templates that loop or explode.
"""

from __future__ import annotations

import contextlib
import time
import traceback
from pathlib import Path
from typing import Any

from kamtool.load.models import UNKNOWN
from kamtool.report.escape import md

MAX_OUTPUT_CHARS = 5_000_000
MAX_SECONDS = 10.0
ENTRY = "plan.md.j2"


class TemplateProblem(Exception):
    """A template that does not render: the message is ``file:line: what``."""


def _att(v: Any) -> str:
    from kamtool.load.models import scale_text

    return scale_text(v)


def context(result: Any, acct: Any, *, include_personal: bool = False) -> dict[str, Any]:
    """Plain data for the templates; the only place that decides what a plan may show."""
    from markupsafe import Markup

    from kamtool.report import powermap

    a = acct.account.account
    g = acct.grade
    today = result.today
    people_by_id = {p.id: p for p in acct.account.stakeholders}
    from kamtool.analyse.contact import effective_contacts

    contacts = effective_contacts(acct.account, today)
    people = []
    for p in acct.account.stakeholders:
        contact = contacts.get(p.id)
        row = {
            "id": p.id,
            "name": p.name,
            "title": p.title or "",
            "roles": ",".join(p.roles) or "-",
            "attitude": _att(p.attitude),
            "intimacy": _att(p.intimacy),
            "layer": p.layer,
            "owner": p.owner or "-",
            "backup": p.backup or "-",
            "sponsor": p.sponsor or "",
            # the effective last contact (SPEC 2 v2): last_contact or the log
            "last_contact": contact.date.isoformat() if contact else "never",
            "left_on": p.left_on.isoformat() if p.left_on else "",
            "channels": len(p.channels),
            "competitor": p.competitor or "",
        }
        if include_personal:
            row["personal"] = ", ".join(f"{k}: {v}" for k, v in (p.personal or {}).items())
        people.append(row)
    t = acct.account.targets
    targets, goals, opportunities, actions = [], [], [], []
    if t is not None:
        for x in sorted(t.targets, key=lambda x: x.due):
            targets.append(
                {
                    "id": x.id,
                    "kind": x.kind,
                    "text": x.text,
                    "metric": x.metric or "",
                    "baseline": "" if x.baseline is None else x.baseline,
                    "goal": "" if x.goal is None else x.goal,
                    "due": x.due.isoformat(),
                    "owner": x.owner,
                    "past": x.due < today,
                }
            )
        for x in sorted(t.relationship_goals, key=lambda x: x.by):
            p = people_by_id.get(x.stakeholder)
            goals.append(
                {
                    "person": p.name if p else x.stakeholder,
                    "attitude_from": _att(p.attitude if p else None),
                    "attitude_to": _att(x.attitude),
                    "intimacy_from": _att(p.intimacy if p else None),
                    "intimacy_to": "" if x.intimacy is None else _att(x.intimacy),
                    "by": x.by.isoformat(),
                    "owner": x.owner,
                    "reached": bool(
                        p
                        and p.attitude != UNKNOWN
                        and int(p.attitude) >= x.attitude
                        and (
                            x.intimacy is None
                            or (p.intimacy != UNKNOWN and int(p.intimacy) >= x.intimacy)
                        )
                    ),
                }
            )
        for o in sorted(t.opportunities, key=lambda o: o.pbip):
            gap = (o.pbip - o.ready).days
            opportunities.append(
                {
                    "id": o.id,
                    "name": o.name,
                    "value": "" if o.value is None else f"{o.value:,.0f}",
                    "pbip": o.pbip.isoformat(),
                    "ready": o.ready.isoformat(),
                    "status": f"ready {gap} days before PBIP"
                    if gap >= 0
                    else f"LATE: ready {-gap} days after PBIP",
                    "late": gap < 0,
                }
            )
        for x in t.actions:
            p = people_by_id.get(x.stakeholder) if x.stakeholder else None
            actions.append(
                {
                    "id": x.id,
                    "text": x.text,
                    "owner": x.owner,
                    "due": x.due.isoformat(),
                    "status": x.status,
                    "person": p.name if p else "",
                    "target": x.target or "",
                    "overdue": x.status in ("planned", "doing") and x.due < today,
                    "_due": x.due,
                }
            )
    by_owner: dict[str, list[dict[str, Any]]] = {}
    for x in sorted(actions, key=lambda x: (x["owner"], x["_due"], x["id"])):
        by_owner.setdefault(x["owner"], []).append({k: v for k, v in x.items() if k != "_due"})
    computed = g.computed_tier or "-"
    tier_why = f"position {a.position}, value {a.value}: computed tier {computed}"
    if a.tier:
        tier_why += f"; manual tier {a.tier} ({a.tier_reason or 'no reason given'})"
    return {
        "today": today.isoformat(),
        "period": (t.period if t is not None and t.period is not None else today.year + 1),
        "account": {
            "id": acct.id,
            "name": a.name,
            "industry": a.industry or "",
            "owner": a.owner,
            "stage": a.stage or "",
            "position": a.position,
            "value": a.value,
            "reviewed": a.reviewed.isoformat(),
            "competitors": [c.name for c in a.competitors],
            "needs": [{"kind": n.kind, "text": n.text} for n in a.needs],
            "team": [{"person": m.person, "roles": ", ".join(m.roles)} for m in a.team],
        },
        "grade": {
            "tier": g.tier or "-",
            "tier_label": g.tier_label or "",
            "computed_tier": computed,
            "override": a.tier or "",
            "why": tier_why,
            "score": g.score,
            "letter": g.letter,
            "focus": g.focus,
            "components": [
                {
                    "label": c.to_dict()["label"],
                    "points": c.points,
                    "earned": f"{c.to_dict()['earned']:g}",
                    "detail": c.detail,
                }
                for c in g.components
            ],
        },
        # a left_on still ahead is an announced departure: they are on the team until then
        "people": [p for p in people if not p["left_on"] or p["left_on"] > today.isoformat()],
        "left": [p for p in people if p["left_on"] and p["left_on"] <= today.isoformat()],
        "findings": [
            {
                "code": f.code,
                "severity": f.severity,
                "message": f.message,
                "hint": f.hint,
                "where": f"{Path(f.path).name}:{f.line}",
            }
            for f in acct.findings
        ],
        "targets": targets,
        "goals": goals,
        "opportunities": opportunities,
        "actions_by_owner": by_owner,
        "power_map": Markup(powermap.mermaid(acct.account.as_of(today))),
        "quadrant": Markup(powermap.quadrant(acct.account.as_of(today))),
        **log_context(acct.account, people_by_id),
        "include_personal": include_personal,
        **method_sections(result, acct),
    }


TEAM_ROLE_LABELS = {
    "relationship-lead": "relationship lead",
    "entrepreneur": "entrepreneur (drives growth)",
    "innovator": "innovator (creates value)",
    "collaborator": "collaborator",
    "technical-expert": "technical expert",
    "researcher": "researcher",
    "project-manager": "project manager",
    "sceptic": "sceptic",
}
NEED_LAYERS = (
    ("explicit", "Explicit needs (stated, in the tender)"),
    ("organizational", "Implicit organisational needs"),
    ("individual", "Implicit individual needs (a decision-chain member's own stakes)"),
)
BIG_PLAY_LABELS = {
    "strengthen": "strengthen",
    "new-relationships": "create new relationships",
    "raise-value": "raise the value",
    "displace": "displace a competitor",
    "block": "block a competitor",
}


def method_sections(result: Any, acct: Any) -> dict[str, Any]:
    """What the method asks the plan to hold besides people and targets (DOMAIN 2, 8, 9):
    the account team and its role coverage, the value curve, needs by layer and whose they
    are, the whitespace grid and the strategy."""
    from markupsafe import Markup

    from kamtool.analyse.whitespace import grid
    from kamtool.report.whitespace import grid_markdown

    a = acct.account.account
    config = result.config
    people_by_id = {p.id: p for p in acct.account.stakeholders}

    holders: dict[str, list[str]] = {}
    for m in a.team:
        for role in m.roles:
            holders.setdefault(role, []).append(m.person)
    roles = [
        {
            "role": TEAM_ROLE_LABELS.get(r, r),
            "people": ", ".join(holders.get(r, [])),
            "covered": r in holders,
        }
        for r in config.team_roles
    ]
    team = {
        "members": [
            {"person": m.person, "roles": ", ".join(TEAM_ROLE_LABELS.get(r, r) for r in m.roles)}
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
            whose = (f"{p.name}, {p.title}" if p.title else p.name) if p else ""
            items.append({"text": n.text, "whose": whose or "the organisation"})
        needs.append({"kind": kind, "label": label, "entries": items})

    curve = sorted(a.value_curve, key=lambda v: v.year)
    currency = (a.facts.currency if a.facts and a.facts.currency else "") or ""
    value_rows = []
    for v in curve:
        pct = round(100 * v.actual / v.expected) if v.actual is not None and v.expected else None
        value_rows.append(
            {
                "year": v.year,
                "expected": _money(v.expected),
                "actual": "" if v.actual is None else _money(v.actual),
                "pct": "" if pct is None else f"{pct}%",
                "shortfall": pct is not None and pct < 80 and v.year < result.today.year,
            }
        )
    value_curve = {
        "rows": value_rows,
        "currency": currency,
        "chart": Markup(value_chart(curve, currency)) if curve else "",
    }

    g = grid(acct.account, config, result.today)
    whitespace = {
        "table": Markup(grid_markdown(g)) if g.rows and g.offerings else "",
        "offerings": len(g.offerings),
        "rows": len(g.rows),
    }

    t = acct.account.targets
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
                {"kind": BIG_PLAY_LABELS.get(b.kind, b.kind), "text": b.text} for b in st.big_play
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


def value_chart(curve: list[Any], currency: str) -> str:
    """The value curve as a Mermaid ``xychart-beta``: expected as a line, actual as bars
    (the years that have one, from the first year on: a bar chart cannot skip a year, so
    a year without an actual is drawn as 0 only between years that have one)."""
    import re

    unit = re.sub(r"[^A-Za-z]", "", currency)[:8]
    top = max([v.expected for v in curve] + [v.actual or 0 for v in curve])
    scale, label = (
        (1e6, "million") if top >= 1e6 else ((1e3, "thousand") if top >= 1e4 else (1, ""))
    )
    axis = " ".join(x for x in (unit, label) if x) or "value"

    def num(x: float) -> str:
        return f"{x / scale:.2f}".rstrip("0").rstrip(".")

    years = ", ".join(f'"{v.year}"' for v in curve)
    last_actual = max((i for i, v in enumerate(curve) if v.actual is not None), default=-1)
    lines = [
        "xychart-beta",
        f'    title "Value curve: expected (line) and actual (bars), {axis}"',
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


def log_context(account: Any, people_by_id: dict[str, Any]) -> dict[str, Any]:
    """The log for the plan: the newest entries, newest first, and the next steps still
    open. A next step is open until a later entry (by date) involves any of the same people: the follow-up contact is where it
    was taken up, and what came of it is that entry's own business."""

    def names(ids: list[str]) -> str:
        return ", ".join(people_by_id[i].name if i in people_by_id else i for i in ids)

    # by date, file order among equals: a back-dated `kam log --date` is appended at the end
    entries = sorted(account.log.entries, key=lambda e: e.date) if account.log else []
    rows = [
        {
            "date": e.date.isoformat(),
            "kind": e.kind,
            "with": names(e.with_),
            "by": ", ".join(e.by),
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


def _finalize(value: Any) -> Any:
    from markupsafe import Markup

    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return md(value)


def environment(template_dirs: list[Path]) -> Any:
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader([str(d) for d in template_dirs]),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters["md"] = md
    return env


def _where(exc: BaseException, dirs: list[Path]) -> str:
    lineno = getattr(exc, "lineno", None)
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    if lineno is None:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith(".j2"):
                name, lineno = frame.filename, frame.lineno
                break
    if name:
        p = Path(name)
        for d in dirs:
            with contextlib.suppress(ValueError):
                name = (d / p.name).as_posix() if p.is_absolute() and p.parent == d else name
        name = Path(name).name if Path(name).is_absolute() else name
    return f"{name or ENTRY}:{lineno or 1}"


def render(ctx: dict[str, Any], template_dirs: list[Path]) -> str:
    """Render the plan; any template problem becomes TemplateProblem('file:line: message')."""
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError

    env = environment(template_dirs)
    started = time.monotonic()
    out: list[str] = []
    size = 0
    try:
        template = env.get_template(ENTRY)
        for chunk in template.generate(**ctx):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateProblem(
                    f"{ENTRY}: output over {MAX_OUTPUT_CHARS:,} characters: stopped"
                )
            if time.monotonic() - started > MAX_SECONDS:
                raise TemplateProblem(
                    f"{ENTRY}: rendering took over {MAX_SECONDS:g} seconds: stopped"
                )
            out.append(chunk)
    except TemplateProblem:
        raise
    except SecurityError as exc:
        raise TemplateProblem(
            f"{_where(exc, template_dirs)}: refused by the sandbox: {exc}"
        ) from None
    except TemplateError as exc:
        raise TemplateProblem(f"{_where(exc, template_dirs)}: {exc.message or exc}") from None
    except (RecursionError, MemoryError, OverflowError) as exc:
        raise TemplateProblem(
            f"{_where(exc, template_dirs)}: template too deep or too large ({type(exc).__name__})"
        ) from None
    except Exception as exc:  # a template error jinja does not wrap (e.g. a bad filter argument)
        raise TemplateProblem(
            f"{_where(exc, template_dirs)}: {type(exc).__name__}: {exc}"
        ) from None
    return "".join(out)
