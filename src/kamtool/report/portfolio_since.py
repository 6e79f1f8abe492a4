"""The ``--since`` section of ``kam portfolio``: text and markdown (json carries the data)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kamtool.i18n import _
from kamtool.report.escape import md, one_line

if TYPE_CHECKING:
    from kamtool.jsontypes import JsonObject


def _when(s: JsonObject) -> str:
    if s["commit"] is None:
        return _("Since {since}").format(since=s["since"])
    return _("Since {since} (commit {commit} of {date})").format(
        since=s["since"], commit=s["commit"][:7], date=s["date"]
    )


def _mean(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"


def _account(x: JsonObject) -> str:
    grade = (
        _("{tier}, {score} ({letter})").format(
            tier=x["tier"] or "-", score=x["score"], letter=x["letter"]
        )
        if x["valid"]
        else _("not graded")
    )
    return _("{label}: {changes}{state}").format(label=x["id"], changes=grade, state="")


def _change(account: str, change: str) -> str:
    return _("{label}: {changes}{state}").format(label=account, changes=change, state="")


def _accounts(s: JsonObject) -> str:
    return _("{then} → {now} accounts").format(then=s["accounts_then"], now=s["accounts_now"])


def _lines(s: JsonObject) -> list[tuple[str, list[str]]]:
    """(heading, items) for each part, the same in every format."""
    tiers = [
        _("{tier}: {then} → {now} accounts, mean score {mean_then} → {mean_now}").format(
            tier=t["tier"],
            then=t["accounts_then"],
            now=t["accounts_now"],
            mean_then=_mean(t["mean_score_then"]),
            mean_now=_mean(t["mean_score_now"]),
        )
        + (_("; entered: {ids}").format(ids=", ".join(t["entered"])) if t["entered"] else "")
        + (_("; left: {ids}").format(ids=", ".join(t["left"])) if t["left"] else "")
        for t in s["tiers"]
    ]
    parts = [
        (_("Per tier"), tiers),
        (_("Accounts gained"), [_account(x) for x in s["gained"]]),
        (_("Accounts lost"), [_account(x) for x in s["lost"]]),
        (
            _("Accounts renamed"),
            [_("{old} → {new}").format(old=x["from"], new=x["to"]) for x in s["renamed"]],
        ),
        (
            _("Tier changes"),
            [_change(x["id"], f"{x['from'] or '-'} → {x['to'] or '-'}") for x in s["tier_changes"]],
        ),
        (
            _("Letter changes"),
            [_change(x["id"], f"{x['from']} → {x['to']}") for x in s["letter_changes"]],
        ),
        (
            _("Score changes"),
            [
                _change(
                    x["id"],
                    f"{x['from']} → {x['to']}"
                    + _(" ({change})").format(change=f"{x['change']:+d}")
                    + f" {'▲' if x['change'] > 0 else '▼'}",
                )
                for x in s["score_changes"]
            ],
        ),
    ]
    if s["not_graded_then"] or s["not_graded_now"]:
        parts.append(
            (
                _("Not graded (files with errors)"),
                [
                    _("then: {ids}").format(ids=", ".join(s["not_graded_then"]) or "-"),
                    _("now: {ids}").format(ids=", ".join(s["not_graded_now"]) or "-"),
                ],
            )
        )
    return parts


def render_text(s: JsonObject) -> str:
    out = ["", f"{_when(s)}{_(': ')}{_accounts(s)}"]
    if s["note"]:
        out.append(one_line(s["note"]))
    for heading, items in _lines(s):
        out.append(heading + _(":") + ("" if items else _(" none")))
        out += [f"  {one_line(i)}" for i in items]
    from kamtool.report.term import fit_lines

    return "\n".join(fit_lines(out)) + "\n"


def render_markdown(s: JsonObject) -> str:
    out = ["", f"## {md(_when(s))}", "", _accounts(s) + _(".")]
    if s["note"]:
        out += ["", md(s["note"])]
    for heading, items in _lines(s):
        out += ["", f"**{heading}**", ""]
        out += [f"- {md(i)}" for i in items] or [_("None.")]
    return "\n".join(out) + "\n"
