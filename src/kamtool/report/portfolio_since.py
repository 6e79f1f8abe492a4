"""The ``--since`` section of ``kam portfolio``: text and markdown (json carries the data)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kamtool.i18n import _, before_after, listed, ngettext
from kamtool.report.escape import code_span, md, one_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from kamtool.core import RunResult
    from kamtool.jsontypes import JsonObject


class _Names:
    """What the section needs beyond the summary, read from the run's result (the
    accounts now): each account as "Name (id)", as the rest of the portfolio names it,
    and whether its tier now is a manual override of account.yaml. Accounts gone since
    take their name from the summary's lost list (the name they had then)."""

    def __init__(self, s: JsonObject, result: RunResult | None) -> None:
        self.names: dict[str, str] = {}
        self.manual: dict[str, str | None] = {}  # id -> the computed tier it overrides
        for x in s["lost"] + s["gained"]:
            if x.get("name"):
                self.names[x["id"]] = x["name"]
        for acct in result.accounts if result is not None else []:
            profile, grade = acct.account.profile, acct.grade
            if profile is not None and isinstance(profile.name, str) and profile.name.strip():
                self.names[acct.id] = profile.name
            if grade and grade.tier_override and grade.tier_override != grade.computed_tier:
                self.manual[acct.id] = grade.computed_tier

    def label(self, account_id: str) -> str:
        name = self.names.get(account_id)
        if not name:
            return account_id
        return _("{name} ({id})").format(name=one_line(name), id=account_id)

    def ids(self, account_ids: list[str]) -> str:
        return listed(self.label(i) for i in account_ids)

    def tier_change(self, x: JsonObject) -> str:
        """ "C → S", and "(manual; computed C)" when the tier now is set by hand in
        account.yaml: not an improvement of the relationship."""
        text = before_after(x["from"] or "-", x["to"] or "-")
        if x["id"] in self.manual:
            mark = _("(manual; computed {tier})").format(tier=self.manual[x["id"]] or "-")
            # a space before it in English, none before a full-width parenthesis
            text += ("" if mark.startswith("（") else " ") + mark
        return text


def _when(s: JsonObject) -> str:
    if s["commit"] is None:
        return _("Since {since}").format(since=s["since"])
    return _("Since {since} (commit {commit} of {date})").format(
        since=s["since"], commit=s["short"], date=s["date"]
    )


def _mean(x: float | None) -> str:
    """One decimal, as every human table prints scores (59.5, 38.0)."""
    return "-" if x is None else f"{x:.1f}"


def _account(x: JsonObject, names: _Names) -> str:
    grade = (
        _("{tier}, {score} ({letter})").format(
            tier=x["tier"] or "-", score=x["score"], letter=x["letter"]
        )
        if x["valid"]
        else _("not graded")
    )
    back = x.get("restored")
    state = (
        _("; restored (removed {date} in {commit})").format(date=back["date"], commit=back["short"])
        if back
        else ""
    )
    return _("{label}: {changes}{state}").format(
        label=names.label(x["id"]), changes=grade, state=state
    )


def _change(account: str, change: str) -> str:
    return _("{label}: {changes}{state}").format(label=account, changes=change, state="")


def _accounts(s: JsonObject) -> str:
    return ngettext("{then} → {now} account", "{then} → {now} accounts", s["accounts_now"]).format(
        then=s["accounts_then"], now=s["accounts_now"]
    )


def _lines(s: JsonObject, result: RunResult | None = None) -> list[tuple[str, list[str]]]:
    """(heading, items) for each part, the same in every format; ``result`` (the run now)
    names the accounts and tells manual tiers (without it: ids, as the json has them)."""
    names = _Names(s, result)
    tiers = [
        ngettext(
            "{tier}: {then} → {now} account, mean score {mean_then} → {mean_now}",
            "{tier}: {then} → {now} accounts, mean score {mean_then} → {mean_now}",
            t["accounts_now"],
        ).format(
            tier=t["tier"],
            then=t["accounts_then"],
            now=t["accounts_now"],
            mean_then=_mean(t["mean_score_then"]),
            mean_now=_mean(t["mean_score_now"]),
        )
        + (_("; entered: {ids}").format(ids=names.ids(t["entered"])) if t["entered"] else "")
        + (_("; left: {ids}").format(ids=names.ids(t["left"])) if t["left"] else "")
        + (
            _("; could not be read then: {ids}").format(ids=names.ids(t["unread_then"]))
            if t.get("unread_then")
            else ""
        )
        + (
            _("; cannot be read now: {ids}").format(ids=names.ids(t["unread_now"]))
            if t.get("unread_now")
            else ""
        )
        for t in s["tiers"]
    ]
    parts = [
        (_("Per tier"), tiers),
        (_("Accounts gained"), [_account(x, names) for x in s["gained"]]),
        (_("Accounts lost"), [_account(x, names) for x in s["lost"]]),
        (
            _("Accounts renamed"),
            # named as every other line names an account (the name, then the change): the
            # ids alone ("nordic-paper → nordic-paper-cn") left the reader to guess whose
            [
                _change(names.label(x["to"]), _("{old} → {new}").format(old=x["from"], new=x["to"]))
                for x in s["renamed"]
            ],
        ),
        (
            _("Tier changes"),
            [_change(names.label(x["id"]), names.tier_change(x)) for x in s["tier_changes"]],
        ),
        (
            _("Letter changes"),
            [
                _change(names.label(x["id"]), before_after(x["from"], x["to"]))
                for x in s["letter_changes"]
            ],
        ),
        (
            _("Score changes"),
            [
                _change(
                    names.label(x["id"]),
                    before_after(x["from"], x["to"])
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
                    # named as the rest of the section names accounts, not by id alone
                    _("then: {ids}").format(ids=names.ids(s["not_graded_then"]) or "-"),
                    _("now: {ids}").format(ids=names.ids(s["not_graded_now"]) or "-"),
                ],
            )
        )
    return parts


def _settings(s: JsonObject, code: Callable[[str], str] = str) -> tuple[str, list[str]]:
    """The sentence naming the kam.yaml settings that differ between then and now (each
    side graded with its own, so a score can move by new weights alone: the director read
    eight score changes that no relationship had made), and each setting with its value
    then and now, as kam diff writes them; ("", []) when none differ."""
    if not s.get("settings_changed"):
        return "", []
    from kamtool.analyse.diff import SettingChange
    from kamtool.report.diff import setting_change_lines

    sentence = _(
        "kam.yaml settings differ between then and now: {keys}; each side is graded with "
        "its own kam.yaml, so a grade may have moved by a setting alone"
    ).format(keys=listed(code(k) for k in s["settings_changed"]))
    changes = [SettingChange(c["key"], c["before"], c["after"]) for c in s["settings"]]
    return sentence, setting_change_lines(changes, code)


def render_text(s: JsonObject, result: RunResult | None = None) -> str:
    out = ["", f"{_when(s)}{_(': ')}{_accounts(s)}"]
    if s["note"]:
        out.append(one_line(s["note"]))
    sentence, settings = _settings(s)
    if sentence:
        out.append(sentence)
        out += [f"  {one_line(x)}" for x in settings]
    for heading, items in _lines(s, result):
        out.append(heading + _(":") + ("" if items else _(" none")))
        out += [f"  {one_line(i)}" for i in items]
    from kamtool.report.term import fit_lines

    return "\n".join(fit_lines(out)) + "\n"


def render_markdown(s: JsonObject, result: RunResult | None = None) -> str:
    out = ["", f"## {md(_when(s))}", "", _accounts(s) + _(".")]
    if s["note"]:
        # a paragraph of its own: a sentence (the text output prints it as a line)
        note = s["note"][:1].upper() + s["note"][1:]
        out += ["", md(note if note.endswith(("。", ".")) else note + _("."))]
    sentence, settings = _settings(s, code_span)
    if sentence:
        out += ["", sentence + _("."), ""]
        out += [f"- {x}" for x in settings]
    for heading, items in _lines(s, result):
        out += ["", f"**{heading}**", ""]
        out += [f"- {md(i)}" for i in items] or [_("None.")]
    return "\n".join(out) + "\n"
