"""Reporters for ``kam diff``: text for the terminal, markdown for a PR comment, json.

Changes are grouped per account, then per part of it: the grade, the profile, each person,
the organisation, the plan, the log. Text marks each change at the start of its line
(``▲`` better, ``▼`` worse, ``+`` new, ``-`` gone, ``~`` changed); markdown puts the arrow
after the sentence and never starts a list item with ``+`` or ``-`` (CommonMark would read
a nested empty list).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from kamtool import suggest
from kamtool.i18n import N_, _, before_after, listed, ngettext, pgettext, spaced
from kamtool.report.escape import code_span, html_text, md, one_line
from kamtool.report.findings import by_severity
from kamtool.report.jsonout import dumps
from kamtool.report.labels import tier_label

if TYPE_CHECKING:
    from kamtool.analyse.diff import (
        AccountDiff,
        Change,
        ConfigUnloaded,
        DiffResult,
        SettingChange,
    )
    from kamtool.core import AccountResult

_ADDED = {"person-added"}
_GONE = {"person-removed", "person-left"}
_HEADLINE = ("renamed", "invalid", "valid", "tier", "computed-tier", "score")
GROUP_TITLES = {
    "profile": N_("Profile"),
    "people": N_("People"),
    "organisation": N_("Organisation"),
    "plan": N_("Plan"),
    "log": N_("Log"),
    "silenced": N_("Findings silenced, not resolved"),
}


def _name(d: AccountDiff) -> str:
    """The account's name on the head side, else the base side's (an account whose
    account.yaml no longer loads is still called what it was), else its id."""
    for side in (d.after, d.before):
        profile = side.account.profile if side is not None else None
        if profile is not None:
            return profile.name
    return d.id


def _counts(d: AccountDiff) -> str:
    worse, better = d.worse_count, d.better
    parts = []
    if worse:
        parts.append(_("{n} worse").format(n=worse))
    if better:
        parts.append(_("{n} better").format(n=better))
    return _(", ").join(parts)


def headline(d: AccountDiff, score_note: str = "", spell_out: int = 0) -> str:
    """The account's change in one line (``_headline``), ending in ▼ when the account is
    worse and nothing in it says so: a new account with an error, one that stopped
    loading (the count line said "1 worse" while no line of the text showed which, where
    the Markdown table marks the row)."""
    line = _headline(d, score_note, spell_out)
    # a tally of worse changes ("3 changes (2 worse)") says it already
    return f"{line} ▼" if d.worse and "▼" not in line and not d.worse_count else line


def _headline(d: AccountDiff, score_note: str = "", spell_out: int = 0) -> str:
    """The account's change in one line; ``score_note`` (kam history: how much of the
    score's change the commit made and how much time did) follows the score's part.
    Up to ``spell_out`` changes are said as they are ("Zhang Wei (CTO): attitude -1 →
    -2 ▼") rather than counted ("1 change (1 worse)"): kam history's line is all a
    reader sees of a commit, where kam diff lists every change below it."""
    if d.status == "added":
        grade = d.after.grade if d.after is not None else None
        if d.removed_in is not None:  # back after a commit removed it, as kam history says
            _commit, short, day = d.removed_in
            back = _("account restored (removed {date} in {commit})").format(
                date=day.isoformat(), commit=short
            )
            change = (
                _("invalid: it does not load")
                if grade is None
                else _("score {score} ({letter})").format(score=grade.score, letter=grade.letter)
            )
            return _("{restored}; {change}").format(restored=back, change=change)
        if grade is None:
            return _("new account, invalid: it does not load")
        return _("new account, score {score} ({letter})").format(
            score=grade.score, letter=grade.letter
        )
    if d.status == "removed":
        removed = _("account removed") + " ▼"  # worse: --fail-on-worse fails on it
        grade = d.before.grade if d.before is not None else None
        if grade is None:  # it did not load before it was removed: no grade to name
            return removed
        return (
            removed
            + _("; ")
            + _("last score {score} ({letter})").format(score=grade.score, letter=grade.letter)
        )
    noted = _("{change}: {note}") if score_note else "{change}"
    parts = [
        # the score's move carries its arrow here too, as in the Markdown table's cell
        noted.format(change=c.text + arrow(c), note=score_note) if c.kind == "score" else c.text
        for c in d.changes
        if c.kind in _HEADLINE
    ]
    if d.before is not None and not d.before.valid and d.after is not None and not d.after.valid:
        parts.insert(0, _("the account still does not load"))
    loads_again = d.loads_again
    if (
        not loads_again
        and not any(c.kind in ("score", "invalid") for c in d.changes)
        and (d.score_after is not None)
    ):
        unchanged = _("score {score} (unchanged)").format(score=d.score_after)
        parts.append(noted.format(change=unchanged, note=score_note))
    others = [c for c in d.changes if c.kind not in _HEADLINE]
    if others and len(others) <= spell_out:
        parts.extend(c.text + arrow(c) for c in others)
    elif others:
        tally = _counts(d)
        parts.append(
            ngettext("{n} change", "{n} changes", len(others)).format(n=len(others))
            + (_(" ({tally})").format(tally=tally) if tally else "")
        )
    if d.new_findings or d.resolved_findings:
        parts.append(
            _("findings: {new} new, {resolved} resolved").format(
                new=len(d.new_findings), resolved=len(d.resolved_findings)
            )
        )
    return _("; ").join(parts) or _("details changed")


def grouped(d: AccountDiff) -> list[tuple[str, list[tuple[str, list[Change]]]]]:
    """(group, [(subject, changes)]) in the order of GROUP_TITLES, then any other group.
    The changes of one person stay together under their own heading: two people who share a
    name and a title (two 'Anna Weiß (Engineer)' of a CRM import) are two headings, each
    with the person's id, never one heading over both people's changes."""
    groups: dict[str, dict[tuple[str, str | None], list[Change]]] = {}
    for c in d.changes:
        if c.kind in _HEADLINE:
            continue
        person = c.person if c.group == "people" else None
        groups.setdefault(c.group or "other", {}).setdefault((c.subject, person), []).append(c)
    order = [g for g in GROUP_TITLES if g in groups] + [g for g in groups if g not in GROUP_TITLES]
    out = []
    for g in order:
        shared = Counter(subject for subject, _person in groups[g])
        out.append(
            (
                g,
                [
                    (
                        _("{subject} [{id}]").format(subject=subject, id=person)
                        if subject and person and shared[subject] > 1
                        else subject,
                        changes,
                    )
                    for (subject, person), changes in groups[g].items()
                ],
            )
        )
    return out


def marker(c: Change) -> str:
    if c.direction > 0:
        return "▲"
    if c.direction < 0:
        return "▼"
    if c.kind in _ADDED or c.kind.endswith("-added") or c.kind == "log-entry":
        return "+"
    if c.kind in _GONE or c.kind.endswith("-removed"):
        return "-"
    return "~"


def arrow(c: Change) -> str:
    return " ▲" if c.direction > 0 else " ▼" if c.direction < 0 else ""


def _title(group: str) -> str:
    title = GROUP_TITLES.get(group)
    return _(title) if title else group.replace("_", " ").capitalize()


class TextDiff:
    def render(self, result: DiffResult, *, width: int | None = None, **_options: object) -> str:
        from kamtool.report.term import (
            cell_len,
            fit_lines,
            limited,
            named,
            output_width,
            wrap_tail,
            wrap_wide,
        )

        if width is None:
            width = output_width()

        def finding_line(label: str, code: str, message: str, tail: str = "") -> list[str]:
            """A finding under its label ("new", "resolved") as a column: a line too long
            for the terminal wraps under the code, never collapsing the label's padding
            (a plain re-wrap squeezes the spaces that align "new" with "resolved")."""
            text = f"{label}{code} {one_line(message)}"
            whole = text + spaced(tail)
            if not limited(width) or cell_len(whole) <= width:
                return [whole]
            lead = " " * cell_len(label)
            body = f"{code} {one_line(message)}"
            if tail:
                sep = "" if spaced(tail) == tail else " "
                return wrap_tail(body, tail, width, indent=lead + "  ", first=label, sep=sep)
            return wrap_wide(body, width, indent=lead + "  ", first=label)

        out = [
            _("kam diff {base} → {head} (today {today})").format(
                base=result.base_label, head=result.head_label, today=result.today.isoformat()
            )
        ]
        out += [config_unloaded(c, c.revision) for c in result.config_unloaded]
        if result.settings_changed:
            out.append(settings_note(result, listed(result.settings_changed)))
            out += [f"  {line}" for line in setting_lines(result)]
        for d in result.accounts:
            out.append("")
            out.append(
                _("{account}: {message}").format(
                    account=named(_name(d), d.id), message=one_line(headline(d))
                )
            )
            for group, subjects in grouped(d):
                for subject, changes in subjects:
                    if subject:
                        out.append(f"  {one_line(subject)}")
                        for c in changes:
                            out.append(f"    {marker(c)} {one_line(c.detail)}")
                    else:
                        out.append(f"  {_title(group).lower()}")
                        for c in changes:
                            out.append(f"    {marker(c)} {one_line(c.detail)}")
            new_label, resolved_label = _finding_labels()
            for f in by_severity(d.new_findings):
                severity = _("({severity})").format(severity=_(f.severity))
                out += finding_line(new_label, f.code, f.message, severity)
            for f in by_severity(d.resolved_findings):
                out += finding_line(resolved_label, f.code, f.message)
        out.append("")
        out.append(summary(result))
        if result.not_loading:
            out.append(not_loading(result, result.head_label, listed(result.not_loading)))
        # a bidi override in a name reversed the rest of its line in a CI log or a
        # terminal: shown as U+FFFD, as text findings show it
        from kamtool.report.escape import inert_bidi

        return "\n".join(fit_lines([inert_bidi(line) for line in out], width)) + "\n"


def _finding_labels() -> tuple[str, str]:
    """The "new" and "resolved" labels before a finding, padded to one width (in cells)
    so that the codes line up in every language."""
    from kamtool.report.term import cell_len

    new, resolved = pgettext("diff finding", "new"), pgettext("diff finding", "resolved")
    width = max(cell_len(new), cell_len(resolved))
    return (
        "  " + new + " " * (width - cell_len(new) + 1),
        "  " + resolved + " " * (width - cell_len(resolved) + 1),
    )


def settings_note(result: DiffResult, keys: str) -> str:
    """The kam.yaml settings the two sides differ in (``keys``, listed as the format
    writes them): grades and findings may have moved by them, though both sides are
    graded with one kam.yaml."""
    graded = (
        _("both sides are graded with {file} as it is in the working tree").format(
            file=result.graded_with
        )
        if result.graded_with
        else _("both sides are graded with kam's default settings")
    )
    return _("kam.yaml settings differ between {base} and {head}: {keys} ({how})").format(
        base=result.base_label, head=result.head_label, keys=keys, how=graded
    )


def setting_lines(result: DiffResult, code: Callable[[str], str] = str) -> list[str]:
    """Each kam.yaml setting the two sides differ in, with its value on each side
    (``rules.KAM106: warning → off``); ``code`` writes a key or a value as the format
    shows code (Markdown: in backticks)."""
    return setting_change_lines(result.settings, code)


def setting_change_lines(
    settings: Iterable[SettingChange], code: Callable[[str], str] = str
) -> list[str]:
    """:func:`setting_lines` of any list of setting changes (``kam portfolio --since``
    says them too)."""
    import orjson

    lines = []
    for c in settings:
        before, after = setting_value(c.key, c.before, code), setting_value(c.key, c.after, code)
        if before == after:  # a difference the short form leaves out (a tier's label)
            before, after = (code(orjson.dumps(v).decode()) for v in (c.before, c.after))
        lines.append(
            _("{key}: {before} → {after}").format(key=code(c.key), before=before, after=after)
        )
    return lines


def setting_value(key: str, value: object, code: Callable[[str], str] = str) -> str:
    """A kam.yaml value as kam.yaml writes it: a duration in days (``30d``), a list in
    brackets, a tier as its name, label and minimums (``A (Partner) 3/3``), an offering
    as its id and name; a rule's severity not set is its default."""
    import orjson

    if value is None:
        if key.startswith("rules."):
            from kamtool.catalogue import RULES
            from kamtool.report.rules import default_severity, severity_text

            rule = RULES.get(key.partition(".")[2])
            if rule is not None:
                return _("{severity} (default)").format(
                    severity=severity_text(default_severity(rule))
                )
        return _("not set")
    if key.startswith("freshness.") and isinstance(value, int):
        return code(f"{value}d")
    if isinstance(value, list):
        items = []
        for item in value:
            if isinstance(item, dict) and "position" in item:  # a tier
                # its label as grade and portfolio show it: a default one in the output
                # language ("S (战略客户) 4/4", not "S (Strategic) 4/4" in Chinese)
                given = item.get("label")
                label = tier_label(str(item.get("name")), given if isinstance(given, str) else None)
                label = f" ({label})" if label else ""
                items.append(
                    f"{item.get('name')}{label} {item.get('position')}/{item.get('value')}"
                )
            elif isinstance(item, dict) and "id" in item:  # an offering
                items.append(f"{item['id']} ({item.get('name')})")
            elif isinstance(item, dict):
                items.append(orjson.dumps(item).decode())
            else:
                items.append(str(item))
        return code(f"[{', '.join(items)}]")
    return code(str(value))


def config_unloaded(
    c: ConfigUnloaded, revision: str, path: str | None = None, escape: Callable[[str], str] = str
) -> str:
    """A side's kam.yaml that does not load, said first: its settings were not compared
    (a kam.yaml broken in a pull request read as "0 changed ... 0 worse"), and the head
    side's fails the run. ``revision`` and ``path`` as the output names them, ``escape``
    for the error's text (Markdown)."""
    if c.side == "head":
        text = _(
            "▼ {path} does not load in {revision}: {error} (its settings are not compared; "
            "{command} lists the errors)"
        )
    else:
        text = _("{path} does not load in {revision}: {error} (its settings are not compared)")
    return text.format(
        path=path or c.path,
        revision=revision,
        error=escape(one_line(c.error)),
        command=suggest.command("check"),
    )


def not_loading(result: DiffResult, head: str, ids: str) -> str:
    """The accounts of the head side that do not load: why ``kam diff`` exits 1."""
    n = len(result.not_loading)
    return ngettext(
        "{n} account does not load in {head}: {ids} ({command} lists the errors)",
        "{n} accounts do not load in {head}: {ids} ({command} lists the errors)",
        n,
    ).format(n=n, head=head, ids=ids, command=suggest.command("check"))


def _commands(text: str) -> str:
    """The ``kam diff`` and ``kam check`` a message suggests, as the user pastes them
    after this run (``suggest``: its revisions and --config repeated)."""
    return suggest.commands_in(text, lead={"diff": suggest.revisions()})


def summary(result: DiffResult) -> str:
    """The closing count line; with the head side's kam.yaml broken it says so, which the
    count of worse accounts alone did not ("0 worse" in a run that fails)."""
    counts = _summary_counts(result)
    if result.config_broken:
        return _("{counts}; and kam.yaml does not load ▼").format(counts=counts)
    return counts


def _summary_counts(result: DiffResult) -> str:
    counts = {
        k: sum(1 for d in result.accounts if d.status == k)
        for k in ("changed", "renamed", "added", "removed")
    }
    worse = sum(1 for d in result.accounts if d.worse)
    # a renamed account is a changed one; how many were renamed is said only when some were
    if counts["renamed"]:
        return _(
            "{changed} changed ({renamed} renamed), {added} added, {removed} removed, "
            "{unchanged} unchanged; {worse} worse"
        ).format(
            changed=counts["changed"] + counts["renamed"],
            renamed=counts["renamed"],
            added=counts["added"],
            removed=counts["removed"],
            unchanged=result.unchanged,
            worse=worse,
        )
    return _(
        "{changed} changed, {added} added, {removed} removed, {unchanged} unchanged; {worse} worse"
    ).format(
        changed=counts["changed"],
        added=counts["added"],
        removed=counts["removed"],
        unchanged=result.unchanged,
        worse=worse,
    )


#: What one markdown diff may hold, in characters: GitHub refuses a comment body over 65,536
#: characters (HTTP 422); the rest is room for the workflow's marker line and a margin.
#: Counted in UTF-16 code units (an emoji counts 2), the strictest reading of "characters":
#: 60,000 of them are also under GitHub's 262,144-byte cap in UTF-8 and GitLab's note limit.
MARKDOWN_BUDGET = 60_000


def comment_length(text: str) -> int:
    """The length of a comment as the strictest counter of characters sees it (UTF-16)."""
    return len(text.encode("utf-16-le")) // 2


#: how many accounts that do not load the markdown names (it counts them all)
_NAMED_BROKEN = 50

#: an account's block: (title, entries), an entry (kind, its lines, how many things it says)
_Sections = list[tuple[str, list[tuple[str, list[str], int]]]]


@dataclass
class _Cut:
    """How much of a shortened comment was left out, for the notice at its top."""

    changes: int = 0
    findings: int = 0


class MarkdownDiff:
    """Ready to post as a pull-request comment: a summary table, then one collapsible block
    per account (valid CommonMark: GitHub and GitLab render it as meant).

    It fits in one comment: past ``budget`` characters the lists of each account (changes,
    new and resolved findings) are cut to the same number of entries, each cut list saying
    how many it left out, so that every account keeps its table row and summary line; only
    when even that does not fit are the details, then table rows, left out. Cuts fall
    between list entries, never inside one (a table row, a code span, an HTML tag), and
    the comment says at its top that it was shortened. Below the budget the output is
    exactly the whole diff."""

    def render(
        self, result: DiffResult, *, budget: int = MARKDOWN_BUDGET, **_options: object
    ) -> str:
        sections = {id(d): _sections(d) for d in result.accounts}  # built once, cut many times
        whole = self._compose(result, sections, None, None)
        if comment_length(whole) <= budget or not result.accounts:
            return whole
        longest = max(
            (len(entries) for parts in sections.values() for _t, entries in parts), default=0
        )
        # the most entries per list that fits (the length grows with it)
        low, high = 0, longest
        while low < high:
            mid = (low + high + 1) // 2
            if comment_length(self._compose(result, sections, mid, None)) <= budget:
                low = mid
            else:
                high = mid - 1
        cut = self._compose(result, sections, low, None)
        if comment_length(cut) <= budget:
            return cut
        # not even one entry per list: the table alone, with as many rows as fit
        rows = len(result.accounts)
        low, high = 0, rows
        while low < high:
            mid = (low + high + 1) // 2
            if comment_length(self._compose(result, sections, None, mid)) <= budget:
                low = mid
            else:
                high = mid - 1
        return self._compose(result, sections, None, low)

    def _compose(
        self, result: DiffResult, sections: dict[int, _Sections], cap: int | None, rows: int | None
    ) -> str:
        """The comment with at most ``cap`` entries per list (None: all), or, when ``rows``
        is given, only the table's first ``rows`` rows and no details."""
        out = [
            f"### kam diff: {code_span(result.base_label)} → {code_span(result.head_label)}",
            "",
        ]
        for c in result.config_unloaded:
            out += [config_unloaded(c, code_span(c.revision), code_span(c.path), md), ""]
        if result.settings_changed:
            keys = listed(code_span(k) for k in result.settings_changed)
            out += [settings_note(result, keys), ""]
            lines = setting_lines(result, code=code_span)
            if lines:
                out += [*(f"- {line}" for line in lines), ""]
        if result.not_loading:
            # named up to a point: a thousand broken accounts must not fill the comment
            ids = listed((f"**{md(i)}**" for i in result.not_loading), shown=_NAMED_BROKEN)
            out += [
                "▼ " + not_loading(result, code_span(result.head_label), ids),
                "",
            ]
        if not result.accounts:
            out.append(
                _("No relationship changes ({n} accounts unchanged).").format(n=result.unchanged)
            )
            return "\n".join(out) + "\n"
        notice_at = len(out)
        cut = _Cut()
        shown = result.accounts if rows is None else result.accounts[:rows]
        out += [
            "| {} |".format(
                " | ".join((_("account"), _("tier"), _("score"), _("changes"), _("findings")))
            ),
            "|---|---|---|---|---|",
        ]
        out += [_row(d) for d in shown]
        out.append("")
        if rows is not None:
            if rows < len(result.accounts):  # past the budget: the rest of the table
                left = len(result.accounts) - rows
                out.append(
                    _commands(
                        ngettext(
                            "… and {n} more account (run `kam diff --format text` for all)",
                            "… and {n} more accounts (run `kam diff --format text` for all)",
                            left,
                        ).format(n=_count(left))
                    )
                )
                out.append("")
        else:
            for d in result.accounts:
                out += _block(d, sections[id(d)], cap, cut)
        judged = _("{summary}; judged on {date}").format(
            summary=md(summary(result)), date=result.today.isoformat()
        )
        out.append(f"<sub>{judged}</sub>")
        if cap is not None or rows is not None:
            out[notice_at:notice_at] = [_notice(cut, rows is not None), ""]
        return "\n".join(out) + "\n"


def _count(n: int) -> str:
    """A count in a sentence, with thousands separators (1,438)."""
    return f"{n:,}"


def _notice(cut: _Cut, details_left_out: bool) -> str:
    """The line at the top of a shortened comment: that it was shortened, and how much."""
    if details_left_out:
        return _commands(
            _(
                "**This comment was shortened** to fit in one comment: the details of the "
                "accounts are left out. Run `kam diff --format text` for everything."
            )
        )
    return _commands(
        _(
            "**This comment was shortened** to fit in one comment: {changes} changes and "
            "{findings} findings are not listed. Run `kam diff --format text` or `kam check` "
            "for everything."
        ).format(changes=_count(cut.changes), findings=_count(cut.findings))
    )


def _row(d: AccountDiff) -> str:
    """The account's row of the summary table."""
    others = [c for c in d.changes if c.kind not in _HEADLINE]
    tally = _counts(d)
    changes = (
        (f"{len(others)}" + (_(" ({tally})").format(tally=tally) if tally else ""))
        if others
        else "-"
    )
    broken = d.after is not None and not d.after.valid
    marked = True  # the cell holds Markdown of its own (escaped parts)
    if d.stopped_loading:
        changes = _("**does not load** ▼") + (f"{_('; ')}{changes}" if others else "")
    elif broken and d.status != "added":
        changes = _("**does not load**") + (f"{_('; ')}{md(changes)}" if others else "")
    elif d.loads_again:  # as a row says it stopped loading, the row says it is back
        changes = _("**loads again** ▲") + (f"{_('; ')}{md(changes)}" if others else "")
    else:
        marked = False
    findings = f"+{len(d.new_findings)} / −{len(d.resolved_findings)}"
    status = {"added": _(" (new)"), "removed": _(" (removed)")}.get(d.status, "")
    if d.removed_in is not None:
        status = _(" (restored)")
    if d.renamed_from is not None:
        status = _(" (renamed from {id})").format(id=md(d.renamed_from))
    worse = " ▼" if d.worse else ""
    return (
        f"| **{md(d.id)}**{status}{worse} | {_pair(d, 'tier')} | {_score_cell(d)} "
        f"| {changes if marked else md(changes)} | {findings} |"
    )


#: kinds of list in an account's block: the note that says how many were left out
_MORE_CHANGES = "changes"
_MORE_NEW = "new"
_MORE_RESOLVED = "resolved"


def _sections(d: AccountDiff) -> _Sections:
    """The account's block as (title, entries); an entry is (kind, its lines, how many
    things it says): one list entry with any list nested in it, the unit a cut keeps or
    leaves out whole."""
    sections: _Sections = []
    for group, subjects in grouped(d):
        entries: list[tuple[str, list[str], int]] = []
        for subject, said in subjects:
            if subject and len(said) == 1:
                c = said[0]
                line = _("{label}: {changes}{state}").format(
                    label=f"**{md(subject)}**", changes=md(c.detail), state=arrow(c)
                )
                entries.append((_MORE_CHANGES, [f"- {line}"], 1))
            elif subject:
                lines = [f"- **{md(subject)}**"] + [f"  - {md(c.detail)}{arrow(c)}" for c in said]
                entries.append((_MORE_CHANGES, lines, len(said)))
            else:
                entries += [(_MORE_CHANGES, [f"- {md(c.detail)}{arrow(c)}"], 1) for c in said]
        sections.append((f"**{_title(group)}**", entries))
    if d.new_findings:
        sections.append(
            (
                "**{}**".format(_("New findings")),
                [
                    (
                        _MORE_NEW,
                        [
                            f"- `{f.code}` {md(f.message)}"
                            + _(" ({severity})").format(severity=_(f.severity))
                            + f"{_(', ')}{code_span(f'{f.path}:{f.line}')}"
                        ],
                        1,
                    )
                    for f in by_severity(d.new_findings)
                ],
            )
        )
    if d.resolved_findings:
        sections.append(
            (
                "**{}**".format(_("Resolved findings")),
                [
                    (_MORE_RESOLVED, [f"- ~~`{f.code}` {md(f.message)}~~"], 1)
                    for f in by_severity(d.resolved_findings)
                ],
            )
        )
    return sections


def _more(kind: str, n: int) -> str:
    """The paragraph after a cut list: how many entries it left out, and where they are."""
    if kind == _MORE_NEW:
        text = ngettext(
            "… and {n} more new finding (run `kam diff --format text` or `kam check` for all)",
            "… and {n} more new findings (run `kam diff --format text` or `kam check` for all)",
            n,
        )
    elif kind == _MORE_RESOLVED:
        text = ngettext(
            "… and {n} more resolved finding (run `kam diff --format text` for all)",
            "… and {n} more resolved findings (run `kam diff --format text` for all)",
            n,
        )
    else:
        text = ngettext(
            "… and {n} more change (run `kam diff --format text` for all)",
            "… and {n} more changes (run `kam diff --format text` for all)",
            n,
        )
    return _commands(text.format(n=_count(n)))


def _block(d: AccountDiff, sections: _Sections, cap: int | None, cut: _Cut) -> list[str]:
    """The account's collapsible block, each list cut to ``cap`` entries (None: all).
    An account with nothing to list under its summary (removed; only its score changed)
    is its summary line as a paragraph: a block that opens on nothing reads as broken."""
    if not sections:
        line = _("{name} ({id}): {headline}").format(
            name=f"**{md(_name(d))}**", id=md(d.id), headline=md(headline(d))
        )
        return [line, ""]
    out = [
        "<details>",
        "<summary>{}</summary>".format(
            _("{name} ({id}): {headline}").format(
                name=f"<b>{html_text(_name(d))}</b>",
                id=html_text(d.id),
                headline=html_text(headline(d)),
            )
        ),
        "",
    ]
    for title, entries in sections:
        out.append(title)
        out.append("")
        kept = entries if cap is None else entries[:cap]
        for _kind, lines, _n in kept:
            out += lines
        if kept:
            out.append("")
        left = entries[len(kept) :]
        if left:
            kind = left[0][0]
            n = sum(count for _k, _lines, count in left)
            if kind == _MORE_CHANGES:
                cut.changes += n
            else:
                cut.findings += n
            out.append(_more(kind, n))
            out.append("")
    out.append("</details>")
    out.append("")
    return out


def _pair(d: AccountDiff, kind: str) -> str:
    for c in d.changes:
        if c.kind == kind:
            return before_after(md(c.before or "-"), md(c.after or "-"))
    if d.stopped_loading or d.loads_again:  # graded on one side only: both said
        tiers = [
            r.grade.tier if r is not None and r.grade is not None else None
            for r in (d.before, d.after)
        ]
        return before_after(*(md(t or "-") for t in tiers))
    side = d.after or d.before
    g = side.grade if side is not None else None
    return md(g.tier or "-") if g is not None else "-"


def _score_cell(d: AccountDiff) -> str:
    """The score column: one score for an account added or removed, ``before → after``
    with its arrow for a change, and ``84 → - ▼`` for an account that stopped loading (its
    old score alone read as its score now, beside a tier of ``-``)."""
    b, a = d.score_before, d.score_after
    if d.stopped_loading:
        return f"{before_after(b, '-')} ▼"
    if d.loads_again:
        return before_after("-", a)
    if b is None and a is None:
        return "-"
    if b is None or a is None:
        return str(a if a is not None else b)
    if a == b:
        return str(a)
    return f"{before_after(b, a)} {'▲' if a > b else '▼'}"


class JsonDiff:
    def render(self, result: DiffResult, **_options: object) -> str:
        def side(r: AccountResult | None) -> dict[str, object] | None:
            if r is None:
                return None
            g = r.grade
            return {
                "valid": g is not None,
                "tier": g.tier if g else None,
                "score": g.score if g else None,
                "letter": g.letter if g else None,
            }

        doc = {
            "base": result.base_label,
            "head": result.head_label,
            "base_commit": result.base_commit,
            "head_commit": result.head_commit,
            "today": result.today.isoformat(),
            "unchanged": result.unchanged,
            "worse": result.worse,
            "does_not_load": result.not_loading,
            # each side whose own kam.yaml does not load (its settings not compared); a
            # head side's exits 1
            "config_does_not_load": [
                {"side": c.side, "revision": c.revision, "path": c.path, "error": c.error}
                for c in result.config_unloaded
            ],
            # the top-level kam.yaml keys that differ between the two sides
            "settings_changed": result.settings_changed,
            # each setting that differs, with its value on each side (None: not set)
            "settings": [
                {"key": c.key, "before": c.before, "after": c.after} for c in result.settings
            ],
            "accounts": [
                {
                    "id": d.id,
                    "status": d.status,
                    "renamed_from": d.renamed_from,
                    # an account added that a commit before the base removed: restored
                    "removed_in": (
                        {"commit": d.removed_in[0], "date": d.removed_in[2].isoformat()}
                        if d.removed_in is not None
                        else None
                    ),
                    "worse": d.worse,
                    "stopped_loading": d.stopped_loading,
                    "loads_again": d.loads_again,
                    "before": side(d.before),
                    "after": side(d.after),
                    "changes": [c.to_dict() for c in d.changes],
                    "new_findings": [f.to_dict() for f in d.new_findings],
                    "resolved_findings": [f.to_dict() for f in d.resolved_findings],
                }
                for d in result.accounts
            ],
        }
        return dumps(doc, default=str)


class DiffReporter(Protocol):
    def render(self, result: DiffResult) -> str: ...


DIFFS: dict[str, type[DiffReporter]] = {
    "text": TextDiff,
    "markdown": MarkdownDiff,
    "json": JsonDiff,
}
