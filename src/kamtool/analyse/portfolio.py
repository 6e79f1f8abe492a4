"""kam portfolio: where the value is (DOMAIN 1-2): tiers, revenue shares, the position x value
matrix, scores per tier, value-curve shortfalls and manual tier overrides."""

from __future__ import annotations

from typing import Any

from kamtool.analyse.grading import computed_tier
from kamtool.report.escape import md
from kamtool.report.jsonout import dumps

LETTERS = "ABCDE"


def summarise(result: Any) -> dict[str, Any]:
    """Analysis of the whole portfolio as plain data; every format renders this."""
    config = result.config
    tiers = [t.name for t in config.tiers]
    valid = [a for a in result.accounts if a.valid]
    revenue_total = 0.0
    per_tier: dict[str, dict[str, Any]] = {
        t: {
            "tier": t,
            "label": config.tier(t).label or "",
            "focus": config.is_focus(t),
            "accounts": 0,
            "revenue": 0.0,
            "scores": [],
            "letters": dict.fromkeys(LETTERS, 0),
        }
        for t in tiers
    }
    untiered = {
        "tier": "-",
        "label": "no tier",
        "focus": False,
        "accounts": 0,
        "revenue": 0.0,
        "scores": [],
        "letters": dict.fromkeys(LETTERS, 0),
    }
    matrix = [[0] * 5 for _ in range(5)]  # [value-1][position-1]
    overrides, shortfalls = [], []
    currencies = set()
    for acct in valid:
        a = acct.account.account
        g = acct.grade
        row = per_tier.get(g.tier, untiered) if g.tier else untiered
        revenue = float(a.facts.revenue) if a.facts and a.facts.revenue is not None else 0.0
        if a.facts and a.facts.currency:
            currencies.add(a.facts.currency)
        row["accounts"] += 1
        row["revenue"] += revenue
        row["scores"].append(g.score)
        row["letters"][g.letter] += 1
        revenue_total += revenue
        matrix[a.value - 1][a.position - 1] += 1
        if a.tier and a.tier != g.computed_tier:
            overrides.append(
                {
                    "account": acct.id,
                    "computed": g.computed_tier or "-",
                    "manual": a.tier,
                    "reason": " ".join((a.tier_reason or "").split()),
                }
            )
        for f in acct.findings:
            if f.code == "KAM304":
                shortfalls.append(
                    {"account": acct.id, "message": f.message, "severity": f.severity}
                )
    rows = [*per_tier.values()] + ([untiered] if untiered["accounts"] else [])
    for r in rows:
        r["revenue_share"] = round(r["revenue"] / revenue_total, 4) if revenue_total else 0.0
        r["account_share"] = round(r["accounts"] / len(valid), 4) if valid else 0.0
        r["mean_score"] = round(sum(r["scores"]) / len(r["scores"]), 1) if r["scores"] else None
        del r["scores"]
    focus_share = (
        sum(r["revenue"] for r in rows if r["focus"]) / revenue_total if revenue_total else 0.0
    )
    regions = [
        [computed_tier(pos, val, config) or "-" for pos in range(1, 6)] for val in range(1, 6)
    ]
    return {
        "today": result.today.isoformat(),
        "accounts": len(result.accounts),
        "invalid": [a.id for a in result.accounts if not a.valid],
        "currency": ", ".join(sorted(currencies)) or "",
        "revenue_total": revenue_total,
        "focus_tiers": list(config.focus_tiers),
        "focus_revenue_share": round(focus_share, 4),
        "tiers": rows,
        "matrix": {
            "counts": matrix,
            "tiers": regions,
            "rows": "value 1..5",
            "columns": "position 1..5",
        },
        "overrides": overrides,
        "shortfalls": shortfalls,
    }


def _money(x: float) -> str:
    return f"{x:,.0f}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def render_markdown(s: dict[str, Any]) -> str:
    out = [f"# Portfolio on {s['today']}", ""]
    cur = f" ({md(s['currency'])})" if s["currency"] else ""
    out.append(
        f"{s['accounts']} accounts; revenue {_money(s['revenue_total'])}{cur}. "
        f"Focus tiers ({md(', '.join(s['focus_tiers']))}) hold **{_pct(s['focus_revenue_share'])}** of revenue"
        + (
            " (the 80/20 rule holds)."
            if s["focus_revenue_share"] >= 0.8
            else " (below the 80% a focused portfolio shows)."
        )
    )
    if s["invalid"]:
        out.append(f"Not graded (files with errors): {md(', '.join(s['invalid']))}.")
    out += [
        "",
        "## Tiers",
        "",
        "| tier | accounts | share | revenue | revenue share | mean score | A | B | C | D | E |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in s["tiers"]:
        label = f"{md(r['tier'])} {md(r['label'])}".strip() + (" (focus)" if r["focus"] else "")
        letters = " | ".join(str(r["letters"][x]) for x in LETTERS)
        mean = "-" if r["mean_score"] is None else f"{r['mean_score']:g}"
        out.append(
            f"| {label} | {r['accounts']} | {_pct(r['account_share'])} | {_money(r['revenue'])} | "
            f"{_pct(r['revenue_share'])} | {mean} | {letters} |"
        )
    out += [
        "",
        "## Position x value",
        "",
        "Each cell: number of accounts, and the tier that cell gives.",
        "",
        "| value \\\\ position | 1 | 2 | 3 | 4 | 5 |",
        "|---|---|---|---|---|---|",
    ]
    m = s["matrix"]
    for v in range(5, 0, -1):
        cells = [
            f"{m['counts'][v - 1][p - 1]} ({md(m['tiers'][v - 1][p - 1])})" for p in range(1, 6)
        ]
        out.append(f"| **{v}** | " + " | ".join(cells) + " |")
    out += ["", "## Value-curve shortfalls", ""]
    out += [f"- {md(x['account'])}: {md(x['message'])}" for x in s["shortfalls"]] or ["None."]
    out += ["", "## Manual tiers that differ from the computed tier", ""]
    out += [
        f"- {md(x['account'])}: computed {md(x['computed'])}, manual {md(x['manual'])}: {md(x['reason'])}"
        for x in s["overrides"]
    ] or ["None."]
    return "\n".join(out) + "\n"


def render_json(s: dict[str, Any]) -> str:
    return dumps(s)


def render_table(s: dict[str, Any], *, color: bool = False, width: int = 110) -> str:
    from rich.markup import escape
    from rich.table import Table

    from kamtool.report.term import console as make_console

    console = make_console(color, width)
    cur = f" {s['currency']}" if s["currency"] else ""
    console.print(
        escape(
            f"{s['accounts']} accounts, revenue {_money(s['revenue_total'])}{cur}; focus tiers "
            f"({', '.join(s['focus_tiers'])}) hold {_pct(s['focus_revenue_share'])} of revenue"
        )
    )
    if s["invalid"]:
        console.print(escape(f"not graded (files with errors): {', '.join(s['invalid'])}"))
    t = Table(title="Tiers", title_justify="left")
    for col in ("tier", "accounts", "share", "revenue", "rev. share", "mean score", *LETTERS):
        t.add_column(col, justify="left" if col == "tier" else "right")
    for r in s["tiers"]:
        mean = "-" if r["mean_score"] is None else f"{r['mean_score']:g}"
        t.add_row(
            escape(f"{r['tier']} {r['label']}".strip() + (" *" if r["focus"] else "")),
            str(r["accounts"]),
            _pct(r["account_share"]),
            _money(r["revenue"]),
            _pct(r["revenue_share"]),
            mean,
            *[str(r["letters"][x]) for x in LETTERS],
        )
    console.print(t)
    mt = Table(title="Position x value (accounts, tier of the cell)", title_justify="left")
    mt.add_column("value \\ position")
    for p in range(1, 6):
        mt.add_column(str(p), justify="center")
    m = s["matrix"]
    for v in range(5, 0, -1):
        mt.add_row(
            str(v),
            *[
                escape(f"{m['counts'][v - 1][p - 1]} {m['tiers'][v - 1][p - 1]}")
                for p in range(1, 6)
            ],
        )
    console.print(mt)
    if s["shortfalls"]:
        console.print("Value-curve shortfalls:")
        for x in s["shortfalls"]:
            console.print(escape(f"  {x['account']}: {x['message']}"))
    if s["overrides"]:
        console.print("Manual tiers that differ from the computed tier:")
        for x in s["overrides"]:
            console.print(
                escape(
                    f"  {x['account']}: computed {x['computed']}, manual {x['manual']}: {x['reason']}"
                )
            )
    return console.file.getvalue()
