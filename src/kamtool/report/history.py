"""Reporters for ``kam history``: a table per account (or per person), json, and markdown
with the score over time as a Mermaid ``xychart-beta`` (GitHub renders it)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

from kamtool.i18n import _, ngettext
from kamtool.load.models import scale_text
from kamtool.report.diff import arrow, headline
from kamtool.report.escape import md, mermaid_text, one_line
from kamtool.report.grades import row
from kamtool.report.jsonout import dumps

if TYPE_CHECKING:
    from rich.table import Table

    from kamtool.analyse.diff import Change
    from kamtool.analyse.history import AccountHistory, HistoryResult, Revision
    from kamtool.core import AccountResult
    from kamtool.jsontypes import JsonObject


#: a commit's changes up to this many are said in its line, more are counted
SPELLED_OUT = 2


def change_text(rev: Revision) -> str:
    """What this revision did to the account, in one line."""
    if rev.config_error:
        return _("not graded: kam.yaml of this revision does not load ({error})").format(
            error=rev.config_error
        )
    r = rev.result
    if rev.status == "start":
        if r is not None and not r.valid:
            # why its cells are empty ("state at the start" with "-" said nothing)
            return _("state at the start: {what}").format(what=_not_loaded(r))
        if rev.start_unread:  # the revisions before it in the window were not graded
            return _("state at the start (the first revision whose kam.yaml loads)")
        return _("state at the start")
    if rev.status == "removed":
        return _("account removed")
    if rev.renamed_to is not None:
        return _("account renamed to {id}").format(id=rev.renamed_to)
    if rev.removed_in is not None:  # the account back after a commit removed it
        commit, day = rev.removed_in
        back = _("account restored (removed {date} in {commit})").format(
            date=day.isoformat(), commit=commit[: rev.abbrev]
        )
        if r is not None and not r.valid:
            return _("{restored}; {change}").format(restored=back, change=_not_loaded(r))
        if rev.diff is None and r is not None and r.grade is not None:
            score = _("score {score} ({letter})").format(score=r.grade.score, letter=r.grade.letter)
            return _("{restored}; {change}").format(restored=back, change=score)
        if rev.diff is None:
            return back
        text = headline(rev.diff, spell_out=SPELLED_OUT)
        return _("{restored}; {change}").format(restored=back, change=text)
    if r is not None and not r.valid:
        return _not_loaded(r)
    if rev.diff is None:
        return _("new account")
    text = headline(rev.diff, score_note=split_text(rev), spell_out=SPELLED_OUT)
    if rev.settings_changed:  # the account's files did not change: say what did
        return _("settings changed (kam.yaml): {change}").format(change=text)
    return text


def split_text(rev: Revision) -> str:
    """The score's change split between the commit and time passing ("-4 by the commit,
    -7 by time passing"), when time did part of it (contacts aged between the two
    commits); empty when the commit did it all, or nothing was graded to split."""
    if rev.score_by_commit is None or rev.score_by_time is None or rev.score_by_time == 0:
        return ""
    return _("{by_commit:+d} by the commit, {by_time:+d} by time passing").format(
        by_commit=rev.score_by_commit, by_time=rev.score_by_time
    )


def _not_loaded(r: AccountResult) -> str:
    """ "the account did not load (2 errors: path:line CODE message)"."""
    errors = sum(1 for f in r.findings if f.severity == "error")
    first = next((f for f in r.findings if f.severity == "error"), None)
    where = (
        _(": {summary}").format(
            summary=f"{first.path}:{first.line} {first.code} {one_line(first.message)}"
        )
        if first
        else ""
    )
    return ngettext(
        "the account did not load ({n} error{where})",
        "the account did not load ({n} errors{where})",
        errors,
    ).format(n=errors, where=where)


def person_change_text(rev: Revision) -> str:
    """What this revision did to the followed person, in one line (their attitude, roles,
    owner... as `kam diff` words them); the account's own line when the revision is not
    a comparison (the first one, a removal, an account that did not load). A revision
    where the person is not in the file says "no change to this person" (the one that
    removed them excepted), whatever it did to the account: the same in the table, the
    Markdown and the JSON, which all take their text from here."""
    p = rev.person
    r = rev.result
    if p is not None and p.id is not None and p.first:
        # the first row that has them describes them (not "new account")
        said = (
            _("at the start: attitude {attitude}, intimacy {intimacy}, roles {roles}")
            if rev.status == "start"
            # after revisions that could not be read they may have been there all along
            else _(
                "the account loads again: attitude {attitude}, intimacy {intimacy}, roles {roles}"
            )
            if p.after_unread
            else _("first seen: attitude {attitude}, intimacy {intimacy}, roles {roles}")
        )
        return said.format(
            attitude=scale_text(p.attitude),
            intimacy=scale_text(p.intimacy),
            roles="".join(p.roles) or "-",
        )
    if p is None or p.unread or r is None or not r.valid or rev.config_error:
        # the account is not there, or was not read: its own line says why
        return change_text(rev)
    if p.id is None and rev.status != "start":
        # not in the file: before they came in, what the revision did to the account (the
        # new CFO's history read "score 58 → 64; 张伟: attitude ? → +1" in weeks before
        # the CFO existed, and the commit that made the account "new account, score 10
        # (E)") is no change of theirs; after, only their removal is. The start of a
        # range is no change at all: it says so
        if p.gone is None or rev.diff is None:
            return _("no change to this person")
        followed = p.gone
    elif p.id is None or rev.status in ("added", "restored") or rev.diff is None:
        return change_text(rev)
    else:
        followed = p.id
    # marked ▼ / ▲ as `kam diff` marks them: "attitude +1 → -1 ▼" is what a reader of a
    # person's history looks for; joined as the output language joins clauses
    mine = [(c.detail or c.text) + arrow(c) for c in rev.diff.changes if _about(c, followed)]
    return _("; ").join(mine) if mine else _("no change to this person")


def _about(change: Change, person: str) -> bool:
    """The change concerns ``person``: it is about them, or it is a log entry they took
    part in (a meeting is what a person's history is read for: the new CIO's showed the
    action "Intro meeting" done and "no change" for the week of the meeting itself)."""
    if change.person == person:
        return True
    if change.kind == "log-entry":
        entry = change.after
    elif change.kind == "log-entry-removed":
        entry = change.before
    else:
        return False
    return person in getattr(entry, "with_", ())


def _cells(rev: Revision) -> tuple[str, str, str]:
    g = rev.result.grade if rev.result is not None else None
    if g is None:
        return ("-", "-", "-")
    return (g.tier or "-", str(g.score), g.letter)


def _person_cells(rev: Revision) -> tuple[str, str, str, str]:
    p = rev.person
    if p is None or p.id is None:
        if p is not None and p.unread:
            return ("-", "-", "-", _("the account could not be read"))
        return ("-", "-", "-", _("not in the file") if rev.result is not None else "-")
    roles = "".join(p.roles)
    if p.left_on:
        # the departure is the person's, said beside their roles (which no longer count):
        # beside the owner, "owner li.na (left 2026-07-10)" read as our manager gone
        day = p.left_on.isoformat()
        roles = (roles + _(" (left {date})") if roles else _("left {date}")).format(date=day)
    return (scale_text(p.attitude), scale_text(p.intimacy), roles or "-", p.owner or "-")


def _split_unchanged(result: HistoryResult) -> tuple[list[AccountHistory], list[AccountHistory]]:
    """(accounts with a change in the range, accounts without one). With ``--since``, an
    account no commit touched has one row, its state at the start: ten one-row tables
    (and, in Markdown, ten one-point charts) buried the three accounts that moved. Those
    are listed together in one table at the end instead. A person's history is one
    account and is never split."""
    if result.person or result.since is None:
        return result.accounts, []
    moved: list[AccountHistory] = []
    still: list[AccountHistory] = []
    for acct in result.accounts:
        alone = len(acct.revisions) == 1 and acct.revisions[0].status == "start"
        (still if alone else moved).append(acct)
    return moved, still


def _unchanged_title(result: HistoryResult) -> str:
    if result.until != "HEAD":
        return _("No change from {since} to {until}").format(since=result.since, until=result.until)
    return _("No change since {since}").format(since=result.since)


def _person_name(acct: AccountHistory, asked: str) -> str:
    """The followed person's latest name (else what was typed): whom the history is of,
    with their id when someone else in the account has the same name then
    (``Account.person_name``: the history of 张伟（zhang.wei2）)."""
    for r in reversed(acct.revisions):
        p = r.person
        if p is not None and p.name and p.id is not None:
            return r.result.account.person_name(p.id) if r.result is not None else p.name
    return asked


def _room(table: Table, rows: list[list[str]], width: int) -> tuple[int, int]:
    """The width the change column (the last) gets when every other column keeps its
    widest cell, and the width of the longest change."""
    from kamtool.report.term import cell_len

    others = [cell_len(str(c.header)) for c in table.columns[:-1]]
    for cells in rows:
        for i, cell in enumerate(cells[:-1]):
            others[i] = max(others[i], cell_len(cell))
    count = len(table.columns)
    # each column's padding (one cell each side) and the box's count + 1 lines
    room = width - sum(w + 2 for w in others) - 2 - (count + 1)
    return room, max((cell_len(r[-1]) for r in rows), default=0)


def _change_room(table: Table, rows: list[list[str]], width: int) -> int | None:
    """The width the change column gets when every other column keeps its widest cell,
    for wrapping the change text with ``wrap_wide`` (rich would split "7 项变化" after
    the number, as it splits any words); None when that leaves too little room and rich
    had better share the width itself."""
    room, longest = _room(table, rows, width)
    return room if 12 <= room < longest else None


#: a history is a table while its change column gets at least this many cells
#: for changes longer than that; narrower, each row is a record: at 80 columns the six
#: columns before it left it 13 cells, and "last contact 2024-03-17 → 2024-07-15;
#: reviewed ..." stood five lines tall beside columns that repeated the same values
PERSON_CHANGE_MIN = 30
#: an account's history, whose change column is one sentence a revision, keeps its table
#: at 80 columns (31 cells); at 60 the change got 11 ("(unchange" over "d)")
ACCOUNT_CHANGE_MIN = 24


class TableHistory:
    def render(
        self,
        result: HistoryResult,
        *,
        color: bool = False,
        width: int | None = None,
        **_options: object,
    ) -> str:
        from rich.markup import escape
        from rich.table import Table

        from kamtool.report.term import console as make_console
        from kamtool.report.term import fits_unbroken, record_lines, wrap_wide

        if width is None:
            from kamtool.report.term import limited, output_width

            # COLUMNS or the terminal's width; a file or a pipe gets 200 columns
            width = output_width() if limited(output_width()) else 200
        con = make_console(color, width)
        if result.pinned_today:
            con.print(
                _("graded as of {date} (--today or KAM_TODAY)").format(
                    date=result.pinned_today.isoformat()
                )
            )
        moved, still = _split_unchanged(result)
        # after an account's records, a blank line: the next account's name (or the
        # table of the unchanged) is no more line of its last record
        apart = False
        for acct in moved:
            if apart:
                con.print("")
                apart = False
            title = _("{name} ({id})").format(name=acct.name, id=acct.id)
            if result.person:
                title = _("{person} at {account}").format(
                    person=_person_name(acct, result.person), account=title
                )
            t = Table(title=escape(title), title_justify="left")
            t.add_column(_("date"))
            t.add_column(_("commit"))
            if result.person:
                for col in (_("attitude"), _("intimacy"), _("roles")):
                    t.add_column(col)
                t.add_column(_("owner"), overflow="fold")  # a handle is never cut short
            else:
                t.add_column(_("tier"))
                t.add_column(_("score"), justify="right")
                t.add_column(_("letter"))
            t.add_column(_("change"), overflow="fold")
            rows = []
            for rev in acct.revisions:
                cells = _person_cells(rev) if result.person else _cells(rev)
                change = person_change_text(rev) if result.person else change_text(rev)
                rows.append([rev.date.isoformat(), rev.short, *cells, one_line(change)])
            # a person's seven columns: at 80 the change ("reports to zhang-wei →
            # crm-0035g00...") got a dozen cells and ids broke mid-word; an account's six
            # at 40 cut the dates and headings ("202…", "sc…") and broke the change a
            # few letters a line: a row a record instead
            columns = [(str(c.header), "left") for c in t.columns]
            change_width, longest = _room(t, rows, width)
            least = PERSON_CHANGE_MIN if result.person else ACCOUNT_CHANGE_MIN
            cramped = change_width < min(longest, least)
            if cramped or not fits_unbroken(columns, rows, width):
                for line in [*wrap_wide(title, width), *record_lines(columns, rows, width)]:
                    con.print(escape(line), soft_wrap=True)
                apart = True
                continue
            room = _change_room(t, rows, width)
            for *row_cells, change in rows:
                if room is not None:  # wrapped here: a count keeps its measure word
                    change = "\n".join(wrap_wide(change, room))
                t.add_row(*row_cells, escape(change))
            con.print(t)
        if still:
            if apart:
                con.print("")
            t = Table(title=escape(_unchanged_title(result)), title_justify="left")
            t.add_column(_("account"), overflow="fold")
            t.add_column(_("tier"))
            t.add_column(_("score"), justify="right")
            t.add_column(_("letter"))
            for acct in still:
                name = _("{name} ({id})").format(name=acct.name, id=acct.id)
                t.add_row(escape(name), *_cells(acct.revisions[0]))
            con.print(t)
        return con.file.getvalue()


def revision_dict(rev: Revision) -> JsonObject:
    out: JsonObject = {
        "commit": rev.commit,
        "short": rev.short,
        "date": rev.date.isoformat(),
        "today": rev.today.isoformat(),
        "subject": rev.subject,
        "status": rev.status,
        "change": change_text(rev),
        "grade": row(rev.result) if rev.result is not None else None,
        # the score's change split (null unless this revision and the previous one were
        # graded): by_commit + by_time is the change of grade.score
        "score_by_commit": rev.score_by_commit,
        "score_by_time": rev.score_by_time,
        # the commit changed kam.yaml and none of the account's files
        "settings_changed": rev.settings_changed,
    }
    # every revision has the same keys: null when kam.yaml loaded, or when there was no
    # earlier revision to compare with; "removed_in" is null but for status "restored"
    # (the commit that had removed the account)
    out["removed_in"] = (
        {"commit": rev.removed_in[0], "date": rev.removed_in[1].isoformat()}
        if rev.removed_in is not None
        else None
    )
    # status "renamed": the account's id before (on the row under its new id) or after
    # (on the old id's last row), as `kam diff` gives renamed_from; else null
    out["renamed_from"] = rev.diff.renamed_from if rev.diff is not None else None
    out["renamed_to"] = rev.renamed_to
    out["config_error"] = rev.config_error or None
    out["changes"] = [c.to_dict() for c in rev.diff.changes] if rev.diff is not None else None
    # the person's keys on every revision, null unless a PERSON was asked for (`kam
    # history ID PERSON`): a key without a value is null, never left out
    out["person"] = out["person_status"] = out["person_change"] = None
    if rev.person is not None:
        p = rev.person
        out["person"] = (
            None
            if p.id is None
            else {
                "id": p.id,
                "name": p.name,
                "attitude": p.attitude,
                "intimacy": p.intimacy,
                "roles": p.roles,
                "owner": p.owner,
                "left_on": p.left_on.isoformat() if p.left_on else None,
            }
        )
        out["person_status"] = "unread" if p.unread else "absent" if p.id is None else "present"
        out["person_change"] = person_change_text(rev)
    return out


class JsonHistory:
    def render(self, result: HistoryResult, **_options: object) -> str:
        doc = {
            "since": result.since,
            "until": result.until,
            "today": result.pinned_today.isoformat() if result.pinned_today else None,
            "person": result.person,
            "accounts": [
                {"id": a.id, "name": a.name, "revisions": [revision_dict(r) for r in a.revisions]}
                for a in result.accounts
            ],
        }
        return dumps(doc, default=str)


#: widest chart (px) the history draws: GitHub shows Markdown in a column about a
#: thousand pixels wide and scales a wider Mermaid chart down to it, so a chart of
#: eighteen weekly dates (1,800 px) came out with its labels at half size, unreadable
MAX_CHART_WIDTH = 1050
#: room (px) under the axis for one label: "11-30" (one year, the year is the axis
#: title), "2025-11" (months across years), "2025-11-30" (days or weeks across years)
LABEL_WIDTH = {"one_year": 50, "month": 75, "date": 100}


def _most_samples(kind: str) -> int:
    """How many dates of a kind of label fit the chart (one category is the empty one
    that ends the line, see :func:`xychart`)."""
    return MAX_CHART_WIDTH // LABEL_WIDTH[kind] - 1


def time_samples(first: dt.date, last: dt.date) -> tuple[list[dt.date], str]:
    """The dates a score-over-time chart samples between two revisions' dates, evenly
    spaced in time, and the unit of the step ("day", "week" or "month").

    Mermaid's xychart spaces its points evenly whatever their labels say, so a chart of
    one point per revision drew ten commits in March as wide as the quiet months around
    them. Sampling the score on a regular calendar (every day for a short span, every
    week for a few months, else the end of every month, or of every second, third...
    month for spans of years) keeps the line's shape true to time; the last sample is
    always the last revision's date (the score now). No more dates are sampled than
    their labels fit in MAX_CHART_WIDTH (:func:`_most_samples`)."""
    span = (last - first).days
    one_year = first.year == last.year
    limit = _most_samples("one_year" if one_year else "date")
    if span < limit:
        return [first + dt.timedelta(days=k) for k in range(span + 1)], "day"
    if span <= 7 * (limit - 1):
        days = list(range(0, span, 7))
        return [first + dt.timedelta(days=k) for k in days] + [last], "week"
    limit = _most_samples("one_year" if one_year else "month")
    months = (last.year - first.year) * 12 + last.month - first.month
    step = -(-months // (limit - 1))  # ceiling: the month ends and the last date fit
    out = []
    for k in range(0, months, step):
        year, month0 = divmod(first.month - 1 + k, 12)
        out.append(_month_end(first.year + year, month0 + 1))
    return [*out, last], "month"


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _score_at(points: list[tuple[dt.date, int]], day: dt.date) -> int:
    """The score of the last revision dated on or before ``day`` (points in date order)."""
    score = points[0][1]
    for when, value in points:
        if when > day:
            break
        score = value
    return score


def chart_points(
    revisions: list[Revision], since: dt.date | None = None, today: dt.date | None = None
) -> list[tuple[dt.date, int]]:
    """(date, score) of each graded revision, in first-parent order, each dated no earlier
    than any revision before it. Committer dates need not follow the history (a commit
    made with GIT_COMMITTER_DATE, a clock set wrong, a rebase keeping dates): sorted by
    date, a revision that a later commit had already replaced was drawn after it (the
    line went back to a score the account no longer had), and the last point was not
    the account's state at the end. A revision stands from the day it and every revision
    before it had been made: the date each point is drawn at is the latest date of it
    and the revisions before it, the rule by which a date names a revision (``kam diff
    DATE``, ``--since DATE``: the commit before the oldest one made on or after that day,
    ``last_commit_before``), so no change made in March is drawn away by a later commit
    that claims a February date.

    ``since``: the day ``--since DATE`` named. The first revision is then the state at
    the start, committed maybe years before; drawn from its commit's date, the chart of
    "since June" spanned two years in two-month steps and hid June's changes. It is
    drawn from that day instead, as the history's heading says.

    ``today``: the day the history is read on. A commit dated after it and after the last
    commit (a clock a year ahead) cannot have been made then: its revision and the ones
    after it are drawn on the later of those two days, not months past today."""
    out: list[tuple[dt.date, int]] = []
    latest: dt.date | None = None
    bound = max(today, revisions[-1].date) if today and revisions else None
    for r in revisions:  # a revision left out (removed, not loaded) counts too
        latest = r.date if latest is None else max(latest, r.date)
        if bound is not None:
            latest = min(latest, bound)
        if r.result is not None and r.result.grade is not None:
            out.append((max(latest, since) if since else latest, r.result.grade.score))
    return out


def xychart(
    name: str,
    revisions: list[Revision],
    since: dt.date | None = None,
    today: dt.date | None = None,
) -> tuple[str, str] | None:
    """The score over time, sampled on a regular calendar (see :func:`time_samples`), and
    the legend that says how; revisions where the account did not load are left out.
    None when no revision was graded."""
    points = chart_points(revisions, since, today)
    if not points:
        return None
    samples, unit = time_samples(points[0][0], points[-1][0])
    scores = [_score_at(points, day) for day in samples]
    # Mermaid centres each label under its point and the last point sits a few pixels
    # from the chart's right edge, so a long last label was cut ("2026-11-3"). Dates of
    # one year are written "11-30" with the year as the axis title; and a line ends one
    # empty category before the edge, which leaves the last label its room whatever the
    # number of points (a bar of one point is drawn in the middle of its band).
    years = {day.year for day in samples}
    one_year = len(years) == 1
    if unit == "month":
        labels = [day.strftime("%m-%d") if one_year else day.isoformat()[:7] for day in samples]
        if not one_year:  # the last sample is a day (today's state), not a month end
            labels[-1] = samples[-1].isoformat()
    else:
        labels = [day.strftime("%m-%d") if one_year else day.isoformat() for day in samples]
    if len(samples) > 1:
        # the blank category that leaves the last label its room takes the last score
        # too: without a value of its own Mermaid drew the line's path to a point with no
        # y ("L700,NaN", path data browsers reject); held, the line runs level into it, as
        # it holds a score over days with no commit (the legend says so)
        labels.append(" ")
        scores.append(scores[-1])
    axis_title = f'"{years.pop()}" ' if one_year else ""
    kind = "one_year" if one_year else "month" if unit == "month" else "date"
    width = max(600, LABEL_WIDTH[kind] * len(labels))  # room for each date under the axis
    values = ", ".join(str(score) for score in scores)
    chart = "\n".join(
        [
            # the default palette draws the line in a pale lilac: a strong blue instead
            '%%{init: {"xyChart": {"width": '
            + str(width)
            + '}, "themeVariables": {"xyChart": {"plotColorPalette": "#1f6feb"}}}}%%',
            "xychart-beta",
            '    title "{}"'.format(
                mermaid_text(_("{name}: relationship score").format(name=name))
            ),
            "    x-axis {}[{}]".format(axis_title, ", ".join(f'"{x}"' for x in labels)),
            '    y-axis "{}" 0 --> 100'.format(mermaid_text(_("score (0-100)"))),
            # one sample: a line of one point draws nothing (empty axes); a bar shows it
            f"    {'bar' if len(samples) == 1 else 'line'} [{values}]",
        ]
    )
    legend = _legend(unit, len(samples), samples)
    if len(samples) > 1:
        legend += _(
            " The line ends in a blank step at the right, level with the last score: room "
            "for the last date's label."
        )
    return chart, legend


def _legend(unit: str, count: int, samples: list[dt.date]) -> str:
    if count == 1:
        return _(
            "Bar: the relationship score (0-100) on the only date with a graded revision "
            "(a line needs two)."
        )
    if unit == "day":
        return _(
            "Line: the relationship score (0-100) day by day, as the last commit on or "
            "before each day left it (the table names the commits)."
        )
    if unit == "week":
        return _(
            "Line: the relationship score (0-100) week by week, as the last commit on or "
            "before each date left it; the last point is the latest revision (the table "
            "names the commits)."
        )
    step = _months_between(samples[0], samples[1]) if count > 2 else 1
    if step > 1:
        return _(
            "Line: the relationship score (0-100) at the end of every {n} months, as the "
            "last commit on or before it left it; the last point is the latest revision "
            "(the table names the commits)."
        ).format(n=step)
    return _(
        "Line: the relationship score (0-100) at the end of each month, as the last commit "
        "on or before it left it; the last point is the latest revision (the table names "
        "the commits)."
    )


def score_gaps(revisions: list[Revision]) -> list[tuple[dt.date, dt.date | None]]:
    """(first day, day it ended or None) of each stretch, after the first graded revision,
    in which the account had no grade: removed from the repository or not loading. The
    chart cannot leave a hole (Mermaid's xychart takes a number at every point), so it
    holds the last score over such a stretch; the legend has to say where."""
    gaps: list[tuple[dt.date, dt.date | None]] = []
    graded_once = False
    start: dt.date | None = None
    for r in revisions:
        graded = r.result is not None and r.result.grade is not None
        if graded:
            if start is not None:
                gaps.append((start, r.date))
                start = None
            graded_once = True
        elif graded_once and start is None:
            start = r.date
    if start is not None:
        gaps.append((start, None))
    return gaps


#: stretches without a grade the legend names by their dates; more are counted
GAPS_NAMED = 3


def gaps_legend(revisions: list[Revision]) -> str:
    """The chart legend's sentences on where the account had no grade (``score_gaps``)."""
    out = ""
    # a stretch that began and ended on one day is not in the chart, whose points are the
    # last revision of a day or later (the table lists it): "From 04-08 to 04-08", under
    # a bar, said the line held a score it never left
    gaps = [(start, end) for start, end in score_gaps(revisions) if end != start]
    for start, end in gaps[:GAPS_NAMED]:
        if end is None:
            out += _(
                " From {start} on the account was removed or did not load: the chart ends "
                "with its last score before."
            ).format(start=start.isoformat())
        else:
            out += _(
                " From {start} to {end} the account was removed or did not load: the line "
                "holds its last score over that time."
            ).format(start=start.isoformat(), end=end.isoformat())
    rest = len(gaps) - GAPS_NAMED
    if rest > 0:
        out += ngettext(
            " The same for {n} more stretch (see the table).",
            " The same for {n} more stretches (see the table).",
            rest,
        ).format(n=rest)
    return out


def _months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _since_day(since: str | None) -> dt.date | None:
    """The day ``--since DATE`` named (None for a revision)."""
    from kamtool.load.gitio import DATE_REV

    if since is None or not DATE_REV.fullmatch(since):
        return None
    try:
        return dt.date.fromisoformat(since)
    except ValueError:
        return None


class MarkdownHistory:
    def render(self, result: HistoryResult, **_options: object) -> str:
        until = one_line(result.until).replace("`", "")
        if result.since:
            # both ends as code, as `kam diff` names its two revisions: "since fy26-q1 up
            # to `fy26-q2`" set two tags of one kind apart
            heading = _("History since `{since}` up to `{until}`").format(
                since=one_line(result.since).replace("`", ""), until=until
            )
        else:
            heading = _("History up to `{until}`").format(until=until)
        out = [f"# {heading}", ""]
        if result.pinned_today:
            out += [
                _("Every revision graded as of {date}.").format(
                    date=result.pinned_today.isoformat()
                ),
                "",
            ]
        else:
            out += [_("Each revision graded as of its commit date."), ""]
        moved, still = _split_unchanged(result)
        for acct in moved:
            title = _("{name} ({id})").format(name=md(acct.name), id=md(acct.id))
            if result.person:
                # whose history this is, as the terminal table's title says (the heading
                # named only the account, and no line of the page named the person)
                title = _("{person} at {account}").format(
                    person=md(_person_name(acct, result.person)), account=title
                )
            out += ["## " + title, ""]
            if result.person:
                out += self._person(acct)
                continue
            chart = xychart(acct.name, acct.revisions, _since_day(result.since), result.today)
            if chart:
                mermaid, legend = chart
                out += ["```mermaid", mermaid, "```", ""]
                out += [legend + gaps_legend(acct.revisions), ""]
            out += [
                "| {} |".format(
                    " | ".join(
                        (_("date"), _("commit"), _("tier"), _("score"), _("letter"), _("change"))
                    )
                ),
                "|---|---|---|---:|---|---|",
            ]
            for rev in acct.revisions:
                tier, score, letter = _cells(rev)
                out.append(
                    f"| {rev.date.isoformat()} | `{rev.short}` | {md(tier)} | {score} | {letter} | {md(change_text(rev))} |"
                )
            out.append("")
        if still:
            out += ["## " + md(_unchanged_title(result)), ""]
            out += [
                "| {} |".format(" | ".join((_("account"), _("tier"), _("score"), _("letter")))),
                "|---|---|---:|---|",
            ]
            for acct in still:
                tier, score, letter = _cells(acct.revisions[0])
                name = _("{name} ({id})").format(name=md(acct.name), id=md(acct.id))
                out.append(f"| {name} | {md(tier)} | {score} | {letter} |")
            out.append("")
        return "\n".join(out).rstrip("\n") + "\n"

    def _person(self, acct: AccountHistory) -> list[str]:
        columns = (_("date"), _("commit"), _("attitude"), _("intimacy"), _("roles"), _("owner"))
        out = [
            "| {} |".format(" | ".join((*columns, _("change")))),
            "|---|---|---|---|---|---|---|",
        ]
        for rev in acct.revisions:
            cells = " | ".join(md(c) for c in _person_cells(rev))
            out.append(
                f"| {rev.date.isoformat()} | `{rev.short}` | {cells} | {md(person_change_text(rev))} |"
            )
        out.append("")
        return out


class HistoryReporter(Protocol):
    def render(self, result: HistoryResult, *, color: bool = False) -> str: ...


HISTORIES: dict[str, type[HistoryReporter]] = {
    "table": TableHistory,
    "json": JsonHistory,
    "markdown": MarkdownHistory,
}
