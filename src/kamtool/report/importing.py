"""What ``kam import`` prints: kam diff's own words for the changes, then what the import
itself knows (rows read, people matched, candidates for ``left_on``, notes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kamtool.i18n import N_, _, before_after, line_list, listed, ngettext, pgettext, quoted
from kamtool.load.csvimport import ENCODING_LABELS
from kamtool.report.escape import one_line

if TYPE_CHECKING:
    import datetime as dt

    from kamtool.findings import Finding
    from kamtool.jsontypes import JsonObject
    from kamtool.load.csvimport import ColumnMap, Export, Problem
    from kamtool.write.importer import Prepared

SHOWN_ACCOUNTS = 5  # an export of the whole book of business names hundreds
#: From this many new key-layer people an import says what the key layer means: a whole
#: contact list there turns every one into a finding and sinks the score
MANY_NEW_KEY = 20
#: the export's columns kam does not read, named in the summary up to this many
SHOWN_COLUMNS = 8

DELIMITERS = {",": "','", ";": "';'", "\t": N_("tab"), "|": "'|'"}


#: notes on rows that share a name with an earlier row, shown one by one up to this many
NAMESAKES_SHOWN = 10


def problem_lines(display: str, problems: list[Problem]) -> list[str]:
    """``export.csv:12: message`` (notes say so), in line order."""
    out = []
    for p in problems:
        tag = _("note: ") if p.severity == "note" else ""
        out.append(f"{display}:{p.line}: {tag}{one_line(p.message)}")
    return out


def render_import(
    prepared: Prepared,
    export: Export,
    colmap: ColumnMap,
    *,
    dry_run: bool,
    today: dt.date,
    width: int | None = None,
) -> str:
    from kamtool.analyse.diff import DiffResult
    from kamtool.report.diff import TextDiff
    from kamtool.report.term import fit_lines

    plan = prepared.plan
    out: list[str] = []
    if prepared.changed and prepared.diff is not None:
        d = prepared.diff
        keep = d.changes or d.new_findings or d.resolved_findings
        result = DiffResult(
            prepared.account.display,
            _("after importing {file}").format(file=export.display),
            today,
            [d] if keep else [],
            0 if keep else 1,
        )
        out.extend(TextDiff().render(result, width=width).rstrip("\n").split("\n"))
        out.append("")
    encoding = _(ENCODING_LABELS.get(export.encoding, export.encoding))
    updated = plan.matched - plan.unchanged
    delimiter = DELIMITERS.get(export.delimiter)
    out.append(
        ngettext(
            "{file} ({map} map, {encoding}, {delimiter}): {rows} contact; "
            "{new} new, {updated} updated, {unchanged} unchanged",
            "{file} ({map} map, {encoding}, {delimiter}): {rows} contacts; "
            "{new} new, {updated} updated, {unchanged} unchanged",
            len(export.rows),
        ).format(
            file=export.display,
            map=colmap.name,
            encoding=encoding,
            delimiter=_(delimiter) if delimiter else quoted(export.delimiter),
            rows=len(export.rows),
            new=len(plan.added),
            updated=updated,
            unchanged=plan.unchanged,
        )
    )
    others = {name: n for name, n in export.left_out.items() if name}
    if others:
        rows = sum(others.values())
        names = listed(  # the most rows first
            (
                name
                if len(others) == 1
                # "Globex GmbH: 3"; in Chinese "Globex GmbH 3 行"
                else pgettext("rows of an account", "{account}: {n}").format(account=name, n=n)
                for name, n in others.items()
            ),
            shown=SHOWN_ACCOUNTS,
        )
        out.append(
            ngettext(
                "{n} row names another account ({names}): left out",
                "{n} rows name another account ({names}): left out",
                rows,
            ).format(n=rows, names=one_line(names))
        )
        name = prepared.account.profile.name if prepared.account.profile else prepared.account.id
        for spelled, n in export.alike.items():
            out.append(
                ngettext(
                    "note: {spelled!r} ({n} row) looks like {name!r} spelled otherwise: if it "
                    "is this account, correct the company of those contacts in the CRM and "
                    "export again",
                    "note: {spelled!r} ({n} rows) looks like {name!r} spelled otherwise: if it "
                    "is this account, correct the company of those contacts in the CRM and "
                    "export again",
                    n,
                ).format(spelled=one_line(spelled), n=n, name=one_line(name))
            )
    if export.unread:
        columns = listed(export.unread, shown=SHOWN_COLUMNS)
        out.append(
            ngettext(
                "{n} column not imported ({names}): kam takes only the CRM id, the name, the "
                "title, the manager and the department; attitudes and contacts are your "
                "team's to record (`attitude:` in stakeholders.yaml, `kam log` for a contact)",
                "{n} columns not imported ({names}): kam takes only the CRM id, the name, the "
                "title, the manager and the department; attitudes and contacts are your "
                "team's to record (`attitude:` in stakeholders.yaml, `kam log` for a contact)",
                len(export.unread),
            ).format(n=len(export.unread), names=one_line(columns))
        )
    if export.left_out.get(""):
        out.append(
            ngettext(
                "{n} row names no account: left out",
                "{n} rows name no account: left out",
                export.left_out[""],
            ).format(n=export.left_out[""])
        )
    # the diff above (--dry-run) shows every one of them already: a 3,000-person update
    # would be listed twice
    shown_in_diff = prepared.changed and prepared.diff is not None
    updates = [] if shown_in_diff else plan.updates
    if updates:
        out.append(_("Set from the export on people already in the file:"))
    if updates:
        from kamtool.analyse.diff import FIELD_LABELS

        # named as kam diff names them: "赵敏（crm-c0007）：汇报给 刘洋 → 孙浩", not by the
        # ids an import gives people with Chinese names alone
        side = prepared.after or prepared.account
    for u in updates:
        old, new = u.old or "-", u.new
        if u.field == "reports_to":
            old, new = side.person_name(u.old), side.person_name(u.new)
        change = f"{_(FIELD_LABELS[u.field])} {before_after(one_line(old), one_line(new))}"
        who = one_line(side.person_name(u.person, with_id=True))
        out.append(
            "  " + _("{label}: {changes}{state}").format(label=who, changes=change, state="")
        )
    if plan.candidates:
        out.append("")
        out.append(
            _(
                "In {file} but not in the export ({n}): candidates for left_on (nothing set):"
            ).format(file=prepared.path.name, n=len(plan.candidates))
        )
        for c in plan.candidates:
            crm = f"crm_id {c.crm_id}" if c.crm_id else _("no crm_id")
            who = _("{name} ({id})").format(name=one_line(c.name), id=c.id)
            out.append(
                "  " + _("{label}: {changes}{state}").format(label=who, changes=crm, state="")
            )
    notes = [p for p in plan.problems if p.severity == "note"]
    namesakes = [p for p in notes if p.namesakes is not None]
    # a CRM full of duplicates printed one note a row, hundreds of them: the first few
    # say what it is, then one line counts the rest and names their lines
    hidden = namesakes[NAMESAKES_SHOWN:]
    notes = [p for p in notes if p not in hidden]
    new_key = sum(1 for p in plan.added if p.layer == "key")
    if notes or new_key >= MANY_NEW_KEY:
        out.append("")
        out.extend(problem_lines(export.display, notes))
    if hidden:
        out.append(
            ngettext(
                "note: {n} more row has the name of an earlier row ({lines}): each is "
                "imported as a person of its own",
                "note: {n} more rows have the name of an earlier row ({lines}): each is "
                "imported as a person of its own",
                len(hidden),
            ).format(n=len(hidden), lines=line_list([p.line for p in hidden]))
        )
    if new_key >= MANY_NEW_KEY:
        out.append(
            _(
                "note: {n} new people come in on the key layer, the people who decide the "
                "outcome: each counts in the score and needs an owner and a contact. A CRM's "
                "whole contact list belongs in the general layer (--layer general); then "
                "set `layer: key` on the deciders"
            ).format(n=new_key)
        )
    out.append("")
    if not prepared.changed:
        out.append(
            _("nothing to change: {file} is up to date with the export").format(
                file=prepared.path.name
            )
        )
    elif dry_run:
        out.append(_("dry run: nothing written"))
    else:
        from kamtool import suggest

        out.append(
            _("wrote {path}: `{command}` shows the changes in full").format(
                path=f"{prepared.account.display}/{prepared.path.name}",
                command=suggest.command("diff"),
            )
        )
    return "\n".join(fit_lines(out, width)) + "\n"


def import_json(
    prepared: Prepared | None,
    export: Export,
    colmap: ColumnMap | None,
    *,
    dry_run: bool,
    today: dt.date,
    written: bool,
    problems: list[Problem],
    findings: list[Finding],
) -> str:
    """``kam import csv --format json``: what the import did (or would do, ``dry_run``),
    for a script. ``problems``: the export's errors that stopped it; ``findings``: the
    errors the account would have had (both mean nothing was written)."""
    from kamtool.report.jsonout import dumps

    plan = prepared.plan if prepared is not None else None

    def problem(p: Problem) -> JsonObject:
        return {"line": p.line, "severity": p.severity, "message": p.message}

    notes = [p for p in (plan.problems if plan is not None else export.problems)]
    notes = [p for p in notes if p.severity == "note"]
    return dumps(
        {
            "today": today.isoformat(),
            "account": prepared.account.id if prepared is not None else None,
            "file": export.display,
            "path": (
                f"{prepared.account.display}/{prepared.path.name}" if prepared is not None else None
            ),
            "map": colmap.name if colmap is not None else None,
            "encoding": export.encoding,
            "delimiter": export.delimiter,
            "rows": len(export.rows),
            "dry_run": dry_run,
            "written": written,
            "added": [
                {
                    "id": p.id,
                    "name": p.name,
                    "crm_id": p.crm_id,
                    "line": p.line,
                    "title": p.title,
                    "unit": p.unit,
                    "reports_to": p.reports_to,
                    "layer": p.layer,
                }
                for p in (plan.added if plan is not None else [])
            ],
            "updated": [
                {"person": u.person, "field": u.field, "old": u.old, "new": u.new, "line": u.line}
                for u in (plan.updates if plan is not None else [])
            ],
            "unchanged": plan.unchanged if plan is not None else 0,
            "candidates": [
                {"id": c.id, "name": c.name, "crm_id": c.crm_id}
                for c in (plan.candidates if plan is not None else [])
            ],
            "other_accounts": {name: n for name, n in export.left_out.items() if name},
            "other_accounts_alike": dict(export.alike),
            "rows_without_account": export.left_out.get("", 0),
            "unread_columns": list(export.unread),
            "notes": [problem(p) for p in notes],
            "problems": [problem(p) for p in problems],
            "findings": [f.to_dict() for f in findings],
        }
    )


#: ``kam import csv --format``: the summary people read, or JSON for a script
IMPORT_FORMATS = {"text": render_import, "json": import_json}
