"""What ``kam import`` prints: kam diff's own words for the changes, then what the import
itself knows (rows read, people matched, candidates for ``left_on``, notes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kamtool.load.csvimport import ENCODING_LABELS
from kamtool.report.escape import one_line

if TYPE_CHECKING:
    import datetime as dt

    from kamtool.load.csvimport import ColumnMap, Export, Problem
    from kamtool.write.importer import Prepared

DELIMITERS = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}


def problem_lines(display: str, problems: list[Problem]) -> list[str]:
    """``export.csv:12: message`` (notes say so), in line order."""
    out = []
    for p in problems:
        tag = "note: " if p.severity == "note" else ""
        out.append(f"{display}:{p.line}: {tag}{one_line(p.message)}")
    return out


def render_import(
    prepared: Prepared,
    export: Export,
    colmap: ColumnMap,
    *,
    dry_run: bool,
    today: dt.date,
) -> str:
    from kamtool.analyse.diff import DiffResult
    from kamtool.report.diff import TextDiff

    plan = prepared.plan
    out: list[str] = []
    if prepared.changed and prepared.diff is not None:
        d = prepared.diff
        keep = d.changes or d.new_findings or d.resolved_findings
        result = DiffResult(
            prepared.account.display,
            f"after importing {export.display}",
            today,
            [d] if keep else [],
            0 if keep else 1,
        )
        out.append(TextDiff().render(result).rstrip("\n"))
        out.append("")
    encoding = ENCODING_LABELS.get(export.encoding, export.encoding)
    updated = plan.matched - plan.unchanged
    out.append(
        f"{export.display} ({colmap.name} map, {encoding}, "
        f"{DELIMITERS.get(export.delimiter, repr(export.delimiter))}): {len(export.rows)} contacts; "
        f"{len(plan.added)} new, {updated} updated, {plan.unchanged} unchanged"
    )
    if plan.updates:
        out.append("Set from the export on people already in the file:")
    for u in plan.updates:
        out.append(f"  {u.person}: {u.field} {one_line(u.old or '-')} → {one_line(u.new)}")
    if plan.candidates:
        out.append("")
        out.append(
            f"In {prepared.path.name} but not in the export ({len(plan.candidates)}): "
            "candidates for left_on (nothing set):"
        )
        for c in plan.candidates:
            crm = f"crm_id {c.crm_id}" if c.crm_id else "no crm_id"
            out.append(f"  {c.id}: {one_line(c.name)} ({crm})")
    notes = [p for p in plan.problems if p.severity == "note"]
    if notes:
        out.append("")
        out.extend(problem_lines(export.display, notes))
    out.append("")
    if not prepared.changed:
        out.append(f"nothing to change: {prepared.path.name} is up to date with the export")
    elif dry_run:
        out.append("dry run: nothing written")
    else:
        out.append(
            f"wrote {prepared.account.display}/{prepared.path.name}: "
            "`kam diff` shows the changes in full"
        )
    return "\n".join(out) + "\n"
