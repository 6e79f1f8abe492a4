"""The ``--since`` section of ``kam portfolio``: text and markdown (json carries the data)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kamtool.report.escape import md, one_line

if TYPE_CHECKING:
    from kamtool.jsontypes import JsonObject


def _when(s: JsonObject) -> str:
    if s["commit"] is None:
        return f"Since {s['since']}"
    return f"Since {s['since']} (commit {s['commit'][:7]} of {s['date']})"


def _mean(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"


def _account(x: JsonObject) -> str:
    grade = f"{x['tier'] or '-'}, {x['score']} ({x['letter']})" if x["valid"] else "not graded"
    return f"{x['id']}: {grade}"


def _lines(s: JsonObject) -> list[tuple[str, list[str]]]:
    """(heading, items) for each part, the same in every format."""
    tiers = [
        f"{t['tier']}: {t['accounts_then']} → {t['accounts_now']} accounts, mean score "
        f"{_mean(t['mean_score_then'])} → {_mean(t['mean_score_now'])}"
        + (f"; entered: {', '.join(t['entered'])}" if t["entered"] else "")
        + (f"; left: {', '.join(t['left'])}" if t["left"] else "")
        for t in s["tiers"]
    ]
    parts = [
        ("Per tier", tiers),
        ("Accounts gained", [_account(x) for x in s["gained"]]),
        ("Accounts lost", [_account(x) for x in s["lost"]]),
        (
            "Tier changes",
            [f"{x['id']}: {x['from'] or '-'} → {x['to'] or '-'}" for x in s["tier_changes"]],
        ),
        ("Letter changes", [f"{x['id']}: {x['from']} → {x['to']}" for x in s["letter_changes"]]),
        (
            "Score changes",
            [
                f"{x['id']}: {x['from']} → {x['to']} ({x['change']:+d}) {'▲' if x['change'] > 0 else '▼'}"
                for x in s["score_changes"]
            ],
        ),
    ]
    if s["not_graded_then"] or s["not_graded_now"]:
        parts.append(
            (
                "Not graded (files with errors)",
                [
                    f"then: {', '.join(s['not_graded_then']) or '-'}",
                    f"now: {', '.join(s['not_graded_now']) or '-'}",
                ],
            )
        )
    return parts


def render_text(s: JsonObject) -> str:
    out = ["", f"{_when(s)}: {s['accounts_then']} → {s['accounts_now']} accounts"]
    if s["note"]:
        out.append(one_line(s["note"]))
    for heading, items in _lines(s):
        out.append(f"{heading}:" + ("" if items else " none"))
        out += [f"  {one_line(i)}" for i in items]
    return "\n".join(out) + "\n"


def render_markdown(s: JsonObject) -> str:
    out = ["", f"## {md(_when(s))}", "", f"{s['accounts_then']} → {s['accounts_now']} accounts."]
    if s["note"]:
        out += ["", md(s["note"])]
    for heading, items in _lines(s):
        out += ["", f"**{heading}**", ""]
        out += [f"- {md(i)}" for i in items] or ["None."]
    return "\n".join(out) + "\n"
