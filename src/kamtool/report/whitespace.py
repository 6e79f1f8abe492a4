"""Reporters for ``kam whitespace``: table, markdown, csv, json, from one summary
(``kamtool.analyse.whitespace``). Markdown is also what ``kam plan`` embeds for one account."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Protocol

from kamtool.i18n import N_, _, listed, ngettext
from kamtool.report.escape import csv_cell, md
from kamtool.report.jsonout import dumps

if TYPE_CHECKING:
    from kamtool.analyse.whitespace import Cell, Grid, OfferingShare, Summary
    from kamtool.jsontypes import JsonObject

LEGEND = N_(
    "ours: they buy it from us; competitor: from a competitor; open: a need we could win; "
    "none: no need; -: not recorded. Supporters: current people with attitude +1 or more "
    "in the buying centre or a unit below it."
)


def _offerings_heading(mapped: int) -> str:
    """The heading of the across-accounts table: "1 mapped account", "3 mapped accounts"."""
    return ngettext(
        "Offerings across {n} mapped account", "Offerings across {n} mapped accounts", mapped
    ).format(n=mapped)


class WhitespaceReporter(Protocol):
    def render(self, summary: Summary, *, invalid: list[str], color: bool, width: int) -> str: ...


def cell_text(cell: Cell) -> str:
    if cell.status is None:
        return "-"
    if cell.status == "competitor" and cell.competitor:
        return f"competitor ({cell.competitor})"
    return cell.status


def share_text(share: OfferingShare, status: str) -> str:
    count = getattr(share, status)
    if not share.mapped:
        return "-"
    from kamtool.report.labels import percent

    return f"{count} ({percent(share.share(status))}%)"


def _unmapped(summary: Summary) -> list[str]:
    return [g.account for g in summary.grids if not g.rows]


class TableReporter:
    def render(self, summary: Summary, *, invalid: list[str], color: bool, width: int) -> str:
        from rich.markup import escape
        from rich.table import Table

        from kamtool.report.term import console as make_console
        from kamtool.report.term import fits_unbroken, limited, record_lines, wrap_wide

        out = make_console(color, width)

        def records(title: str, columns: list[str], rows: list[list[str]]) -> bool:
            """The table as records when the terminal is too narrow for it without
            breaking a word or cutting a heading (40 columns): True when so printed."""
            heads = [(c, "left") for c in columns]
            if not limited(width) or fits_unbroken(heads, rows, width):
                return False
            for line in [*wrap_wide(title, width), *record_lines(heads, rows, width), ""]:
                out.print(escape(line), soft_wrap=True)
            return True

        def heading(title: str) -> None:
            for line in wrap_wide(title, width) if limited(width) else [title]:
                out.print(escape(line), soft_wrap=True)

        if not summary.shares:
            out.print(
                _(
                    "No offerings: list them in kam.yaml `offerings` (or record a `footprint` in account.yaml)."
                )
            )
        for g in summary.grids:
            if not g.rows:
                continue
            grid_title = _("{name} ({id}): buying centres x offerings").format(
                name=g.name, id=g.account
            )
            heads = [_("buying centre"), _("supporters"), *(name for _oid, name in g.offerings)]
            plain = [[r.name, str(r.supporters), *map(cell_text, r.cells)] for r in g.rows]
            if records(grid_title, heads, plain):
                continue
            # the heading above the table, wrapped at the terminal's width: as the table's
            # title, it wrapped at the table's, mid-phrase ("...：采购中心 / x 产品")
            heading(grid_title)
            t = Table()
            t.add_column(_("buying centre"), overflow="fold")
            t.add_column(_("supporters"), justify="right")
            for _oid, name in g.offerings:
                t.add_column(escape(name), overflow="fold")
            for r in g.rows:
                t.add_row(
                    escape(r.name), str(r.supporters), *[escape(cell_text(c)) for c in r.cells]
                )
            out.print(t)
        if summary.shares:
            mapped = summary.shares[0].mapped
            names = ["offering", "ours", "competitor", "open"]
            share_rows = [
                [s.name, *(share_text(s, k) for k in ("ours", "competitor", "open"))]
                for s in summary.shares
            ]
            heads = [_("offering"), *names[1:]]  # statuses as typed
            if records(_offerings_heading(mapped), heads, share_rows):
                summary_shown = True
            else:
                summary_shown = False
        if summary.shares and not summary_shown:
            heading(_offerings_heading(mapped))
            t = Table()
            for name in ("offering", "ours", "competitor", "open"):
                label = _("offering") if name == "offering" else name  # statuses as typed
                t.add_column(label, justify="left" if name == "offering" else "right")
            for s in summary.shares:
                t.add_row(
                    escape(s.name),
                    share_text(s, "ours"),
                    share_text(s, "competitor"),
                    share_text(s, "open"),
                )
            out.print(t)
        unmapped = _unmapped(summary)
        if unmapped:
            out.print(escape(_("no buying centres mapped: {ids}").format(ids=listed(unmapped))))
        if invalid:
            out.print(escape(_("not shown (files with errors): {ids}").format(ids=listed(invalid))))
        out.print(escape(_(LEGEND)))
        return str(out.file.getvalue())


def grid_markdown(g: Grid) -> str:
    """One account's grid as a Markdown table (no heading): also used by ``kam plan``."""
    head = [_("buying centre"), _("supporters"), *[name for _oid, name in g.offerings]]
    lines = [
        "| " + " | ".join(md(h) for h in head) + " |",
        "|---|---:|" + ":-:|" * len(g.offerings),
    ]
    for r in g.rows:
        cells = [md(cell_text(c)) for c in r.cells]
        lines.append("| " + " | ".join([md(r.name), str(r.supporters), *cells]) + " |")
    return "\n".join(lines) + "\n"


class MarkdownReporter:
    def render(self, summary: Summary, *, invalid: list[str], color: bool, width: int) -> str:
        # dated as the grades' and the portfolio's documents are: a report kept in a wiki
        # says which day it describes
        title = (
            _("Whitespace on {date}").format(date=summary.today.isoformat())
            if summary.today is not None
            else _("Whitespace")
        )
        parts = ["# " + title, ""]
        if not summary.shares:
            parts += [
                _(
                    "No offerings: list them in kam.yaml `offerings` (or record a `footprint` in account.yaml)."
                ),
                "",
            ]
        for g in summary.grids:
            if not g.rows:
                continue
            parts += [f"## {md(g.name)} (`{g.account}`)", "", grid_markdown(g)]
        if summary.shares:
            mapped = summary.shares[0].mapped
            parts += [
                "## " + _offerings_heading(mapped),
                "",
                "| " + _("offering") + " | ours | competitor | open |",
                "|---|---:|---:|---:|",
            ]
            for s in summary.shares:
                parts.append(
                    f"| {md(s.name)} | {share_text(s, 'ours')} | "
                    f"{share_text(s, 'competitor')} | {share_text(s, 'open')} |"
                )
            parts.append("")
        unmapped = _unmapped(summary)
        if unmapped:
            parts += [_("No buying centres mapped: {ids}.").format(ids=md(listed(unmapped))), ""]
        if invalid:
            parts += [
                _("Not shown (files with errors): {ids}.").format(ids=md(listed(invalid))),
                "",
            ]
        parts += [md(_(LEGEND)), ""]
        return "\n".join(parts)


class CsvReporter:
    """One row per account x buying centre x offering: the data to pivot in a spreadsheet
    (the shares across accounts are a pivot of the status column)."""

    def render(self, summary: Summary, *, invalid: list[str], color: bool, width: int) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(
            ["account", "unit", "unit_name", "supporters", "offering", "status", "competitor"]
        )
        for g in summary.grids:
            for r in g.rows:
                for (oid, _name), c in zip(g.offerings, r.cells, strict=True):
                    w.writerow(
                        [
                            csv_cell(x)
                            for x in (
                                g.account,
                                r.unit,
                                r.name,
                                r.supporters,
                                oid,
                                c.status or "",
                                c.competitor or "",
                            )
                        ]
                    )
        return buf.getvalue()


def as_dict(summary: Summary, invalid: list[str]) -> JsonObject:
    return {
        "today": summary.today.isoformat() if summary.today is not None else None,
        "accounts": [
            {
                "id": g.account,
                "name": g.name,
                "mapped": g.mapped,
                "buying_centers": [
                    {
                        "unit": r.unit,
                        "name": r.name,
                        "supporters": r.supporters,
                        "cells": {
                            oid: {"status": c.status, "competitor": c.competitor}
                            for (oid, _n), c in zip(g.offerings, r.cells, strict=True)
                        },
                    }
                    for r in g.rows
                ],
            }
            for g in summary.grids
        ],
        "offerings": [
            {
                "id": s.offering,
                "name": s.name,
                "mapped_accounts": s.mapped,
                "ours": s.ours,
                "competitor": s.competitor,
                "open": s.open,
                "shares": {k: s.share(k) for k in ("ours", "competitor", "open")},
            }
            for s in summary.shares
        ],
        "invalid": invalid,
    }


class JsonReporter:
    def render(self, summary: Summary, *, invalid: list[str], color: bool, width: int) -> str:
        return dumps(as_dict(summary, invalid))


WHITESPACE: dict[str, type[WhitespaceReporter]] = {
    "table": TableReporter,
    "markdown": MarkdownReporter,
    "csv": CsvReporter,
    "json": JsonReporter,
}
