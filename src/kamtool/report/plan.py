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
    people = []
    for p in acct.account.stakeholders:
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
            "last_contact": p.last_contact.isoformat() if p.last_contact else "never",
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
        "people": [p for p in people if not p["left_on"]],
        "left": [p for p in people if p["left_on"]],
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
        "power_map": Markup(powermap.mermaid(acct.account)),
        "quadrant": Markup(powermap.quadrant(acct.account)),
        "include_personal": include_personal,
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
        extensions=["jinja2.ext.i18n"],
    )
    env.filters["md"] = md
    # {{ _("Targets") }} and {% trans %} read kam's message catalogue (kamtool.i18n); the
    # translated text goes through finalize like any value, so it is Markdown-escaped too
    from kamtool import i18n

    env.install_gettext_callables(i18n._, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
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
