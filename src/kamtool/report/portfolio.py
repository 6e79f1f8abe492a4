"""Reporters for ``kam portfolio`` (registry.PORTFOLIO): table, markdown, json.

Each renders the plain data of ``kamtool.analyse.portfolio.summarise``. Tiers (S, A, B, C
by default) come from position and value; score letters (A-E) from the relationship score:
every output names which is which. The position x value matrix names its accounts, an
account whose manual tier differs from its cell's says so, and the notes say how revenue
in other currencies was converted or why it was left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kamtool.analyse.portfolio import LETTERS, MATRIX_NAMES
from kamtool.i18n import listed, number, spaced
from kamtool.report.escape import md
from kamtool.report.jsonout import dumps
from kamtool.report.labels import N_, _, account_names, ngettext, sentences, tier_label

if TYPE_CHECKING:
    from kamtool.jsontypes import JsonObject


def _no_shortfalls(s: JsonObject) -> str:
    """What an empty shortfall list means: "None." only when some account records actual
    revenue; else nothing could fall short, which a director must not read as good news."""
    if s.get("value_curve_accounts"):
        return _("None.")
    return _(
        "No account records an actual revenue in its value curve (account.yaml "
        "`value_curve`), so no shortfall can be seen."
    )


def money(x: float) -> str:
    return f"{x:,.0f}"


def pct(whole: int) -> str:
    """A whole percentage of the analysis (``*_percent``: the tiers' add up to 100, the
    focus share is rounded down), as every format shows it."""
    return f"{whole}%"


def shortfalls_heading(s: JsonObject) -> str:
    """What the order of the shortfalls is: the revenue missing, largest first, in the
    base currency (amounts in several currencies are never compared as they are)."""
    if not s["currency"]:
        return _("Largest gap first.")
    return _("Largest gap first, by the revenue missing in {currency}.").format(
        currency=s["currency"]
    )


def unconverted_text(r: JsonObject) -> str:
    """A tier's revenue that has no rate to the base currency, per currency: "200,000
    KES"; "-" for none."""
    return listed(f"{money(v)} {c or '?'}" for c, v in sorted(r["unconverted"].items())) or "-"


def shortfall_text(x: JsonObject, base: str, escape: Callable[[str], str] = str) -> str:
    """One value-curve shortfall: KAM304's sentence, then the revenue missing in the base
    currency, by which the list is ranked (or, without a rate, in its own)."""
    text = _("{account}: {message}").format(
        account=account_label(x, escape), message=escape(x["message"])
    )
    if x.get("missing_base") is None:
        missing = _("missing {amount} {currency}, no rate to {base}").format(
            amount=money(x["missing"]), currency=x["currency"] or "?", base=base or "?"
        )
    else:
        missing = _("missing {amount} {currency}").format(
            amount=money(x["missing_base"]), currency=base
        )
    return text + _(" ({missing})").format(missing=escape(missing.strip()))


def letters_text(letters: dict[str, int], sep: str | None = None) -> str:
    """``1 A, 2 D`` (``1 A、2 D``): how many accounts have each score letter, a list in the
    output language (``i18n.listed``); ``-`` for none. ``sep`` "\n" stacks them, one
    count and its letter a line (a narrow terminal table, where ", " let a count wrap
    away from its letter: "21 B, 12 / C, 11 D")."""
    counts = [f"{n} {x}" for x, n in ((x, letters[x]) for x in LETTERS) if n]
    return (listed(counts) if sep is None else sep.join(counts)) or "-"


#: the label analyse.portfolio gives the row of accounts no tier of kam.yaml covers (data,
#: English in JSON): marked here, translated where it is shown, as tier labels are
NO_TIER_LABEL = N_("no tier")


def tier_name(r: JsonObject) -> str:
    text = f"{r['tier']} {tier_label(r['tier'], r['label'])}".strip()
    return text + (spaced(_("(focus)")) if r["focus"] else "")


def mean_text(r: JsonObject) -> str:
    return "-" if r["mean_score"] is None else f"{r['mean_score']:.1f}"


def headline(s: JsonObject) -> str:
    cur = f" {s['currency']}" if s["currency"] else ""
    share = pct(s["focus_revenue_percent"])
    focus = listed(s["focus_tiers"])
    text = ngettext(
        "{n} account; revenue {revenue}{cur}.",
        "{n} accounts; revenue {revenue}{cur}.",
        s["accounts"],
    ).format(n=number(s["accounts"]), revenue=money(s["revenue_total"]), cur=cur)
    if s["invalid"]:
        # the revenue and every share are those of the accounts that could be read: the
        # headline must not give them as the whole portfolio's
        graded = s["accounts"] - len(s["invalid"])
        text = ngettext(
            "{n} account, {graded} of them graded; revenue of the graded: {revenue}{cur}.",
            "{n} accounts, {graded} of them graded; revenue of the graded: {revenue}{cur}.",
            s["accounts"],
        ).format(
            n=number(s["accounts"]),
            graded=number(graded),
            revenue=money(s["revenue_total"]),
            cur=cur,
        )
    if not s["revenue_total"]:
        return sentences(text, _("No revenue recorded: no shares to compare."))
    of_what = (
        _("of the revenue that could be converted")
        if s["unconverted"]
        else _("of the revenue recorded")
        if s.get("no_revenue")
        else _("of revenue")
    )
    verdict = (
        _("the 80/20 rule holds")
        if s["focus_revenue_share"] >= 0.8
        else _("below the 80% a focused portfolio shows")
    )
    return sentences(
        text,
        _("Focus tiers ({focus}) hold {share} {of_what} ({verdict}).").format(
            focus=focus, share=share, of_what=of_what, verdict=verdict
        ),
    )


def notes(s: JsonObject) -> list[str]:
    """Sentences about currencies and accounts left out, for every human format."""
    out = []
    if s["invalid"]:
        out.append(_("Not graded (files with errors): {ids}.").format(ids=listed(s["invalid"])))
    if s["currency_source"] == "most":
        out.append(
            _(
                "No base currency in kam.yaml (`currency`): {cur}, the currency most accounts "
                "use, is the base."
            ).format(cur=s["currency"])
        )
    if s["rates_used"]:
        rates = listed(f"1 {c} = {r:g} {s['currency']}" for c, r in s["rates_used"].items())
        out.append(_("Converted with the rates of kam.yaml: {rates}.").format(rates=rates))
    missing = s.get("no_revenue") or []
    if missing and s["revenue_total"]:
        out.append(
            ngettext(
                "No revenue recorded for {n} account ({ids}): it counts as 0 in the revenue "
                "and in every share (facts.revenue in account.yaml).",
                "No revenue recorded for {n} accounts ({ids}): they count as 0 in the revenue "
                "and in every share (facts.revenue in account.yaml).",
                len(missing),
            ).format(n=number(len(missing)), ids=listed(missing))
        )
    for u in s["unconverted"]:
        out.append(
            _(
                "Not converted: {amount} {cur} ({ids}) has no rate to {base} in kam.yaml "
                "(`rates`), so it is left out of the revenue and of every share."
            ).format(
                amount=money(u["revenue"]),
                cur=u["currency"] or "?",
                ids=listed(u["accounts"]),
                base=s["currency"] or _("a base currency"),
            )
        )
    return out


def account_label(x: JsonObject, escape: Callable[[str], str] = str) -> str:
    """ "Hansa Bank AG (hansa-bank)" as every account list of kam names an account (the id
    alone when it has no name), brackets in the output language's form."""
    if not x.get("name"):
        return escape(x["account"])
    return _("{name} ({id})").format(name=escape(x["name"]), id=escape(x["account"]))


def matrix_names(m: JsonObject) -> dict[str, str]:
    """The matrix's accounts by their names, with the id where two share a name."""
    return account_names((x["id"], x["name"]) for row in m["accounts"] for c in row for x in c)


def cell_names(cell: list[JsonObject], labels: dict[str, str]) -> list[str]:
    """The names of one cell's accounts (``labels``: ``matrix_names``)."""
    names = []
    for x in cell[:MATRIX_NAMES]:
        name = labels[x["id"]]
        if x["manual"]:
            name += _(" (manual {tier})").format(tier=x["tier"])  # zh: no space before （
        names.append(name)
    if len(cell) > MATRIX_NAMES:
        names.append(_("+ {n} more").format(n=len(cell) - MATRIX_NAMES))
    return names


MATRIX_NOTE = N_(
    "Each cell: the tier that position and value give (in brackets), then the accounts in "
    "it. An account marked (manual X) has a tier set by hand in account.yaml (see the manual "
    "tiers below), not the tier of its cell."
)
MATRIX_COUNT_NOTE = N_(
    "Each cell: the tier that position and value give (in brackets), then how many "
    "accounts are in it; the accounts of each cell follow. An account marked (manual X) has "
    "a tier set by hand in account.yaml (see the manual tiers below), not the tier of its "
    "cell."
)
TIERS_NOTE = N_(
    "Tiers come from position and value; score letters (A >= 85, B >= 70, C >= 55, D >= 40, "
    "else E) from the relationship score."
)


class JsonPortfolio:
    def render(self, summary: JsonObject, **_opts: object) -> str:
        return dumps(summary)


class MarkdownPortfolio:
    def render(self, summary: JsonObject, **_opts: object) -> str:
        s = summary
        out = ["# {}".format(_("Portfolio on {date}").format(date=s["today"])), ""]
        out.append(md(headline(s)).replace("\\(", "(").replace("\\)", ")"))
        for n in notes(s):
            out += ["", md(n).replace("\\`", "`")]  # the notes' `kam.yaml keys` are code
        cur = f" ({md(s['currency'])})" if s["currency"] else ""
        out += [
            "",
            "## {}".format(_("Tiers")),
            "",
            md(_(TIERS_NOTE)),
            "",
            "| {} | {} | {} | {}{} | {} | {} | {} |{}".format(
                _("tier"),
                _("accounts"),
                _("share"),
                _("revenue"),
                cur,
                _("revenue share"),
                _("mean score"),
                _("score letters"),
                # revenue without a rate, per tier: left out of the shares, not dropped
                " {} |".format(_("not converted")) if s["unconverted"] else "",
            ),
            "|---|---:|---:|---:|---:|---:|---|" + ("---:|" if s["unconverted"] else ""),
        ]
        for r in s["tiers"]:
            out.append(
                f"| {md(tier_name(r))} | {r['accounts']} | {pct(r['account_percent'])} | "
                f"{money(r['revenue'])} | {pct(r['revenue_percent'])} | {mean_text(r)} | "
                f"{letters_text(r['letters'])} |"
                + (f" {md(unconverted_text(r))} |" if s["unconverted"] else "")
            )
        t = s["total"]
        out.append(
            "| **{}** | **{}** | {} | **{}** | {} | {} | {} |{}".format(
                _("total"),
                t["accounts"],
                pct(t["account_percent"]),
                money(t["revenue"]),
                pct(t["revenue_percent"]),
                mean_text(t),
                letters_text(t["letters"]),
                f" {md(unconverted_text(t))} |" if s["unconverted"] else "",
            )
        )
        out += [
            "",
            "## {}".format(_("Position x value")),
            "",
            md(_(MATRIX_NOTE)),
            "",
            "| {} \\\\ {} | 1 | 2 | 3 | 4 | 5 |".format(_("value"), _("position")),
            "|---|---|---|---|---|---|",
        ]
        m = s["matrix"]
        labels = matrix_names(m)
        for v in range(5, 0, -1):
            cells = []
            for p in range(1, 6):
                names = cell_names(m["accounts"][v - 1][p - 1], labels)
                text = f"({md(m['tiers'][v - 1][p - 1])})"
                if names:  # one name a line: a name may hold a comma ("Andaluz, S.A.")
                    text += " " + "<br>".join(md(n) for n in names)
                cells.append(text)
            out.append(f"| **{v}** | " + " | ".join(cells) + " |")
        out += ["", "## {}".format(_("Value-curve shortfalls")), ""]
        if s["shortfalls"]:
            out += [md(shortfalls_heading(s)), ""]
        out += ["- " + shortfall_text(x, s["currency"], md) for x in s["shortfalls"]] or [
            _no_shortfalls(s)
        ]
        out += ["", "## {}".format(_("Manual tiers that differ from the computed tier")), ""]
        out += [
            f"- {account_label(x, md)}: "
            + md(
                _("computed {computed}, manual {manual}: {reason}").format(
                    computed=x["computed"], manual=x["manual"], reason=x["reason"]
                )
            )
            for x in s["overrides"]
        ] or [_("None.")]
        return "\n".join(out) + "\n"


class TablePortfolio:
    """The terminal view: fits the terminal's width by wrapping cells (names, labels)."""

    def render(
        self, summary: JsonObject, *, color: bool = False, width: int | None = None, **_o: object
    ) -> str:
        from rich.markup import escape
        from rich.table import Table

        from kamtool.report.term import console as make_console
        from kamtool.report.term import limited, output_width, wrap_items
        from kamtool.report.term import wrap_wide as wrap

        s = summary
        if width is None:
            width = output_width()
        console = make_console(color, width)

        def say(text: str, indent: str = "", first: str = "") -> None:
            lines = wrap(text, width, indent, first) if limited(width) else [first + text]
            for line in lines:
                console.print(escape(line), soft_wrap=True)

        say(headline(s))
        for n in notes(s):
            say(n.replace("`", ""), "  ")
        cur = f" ({s['currency']})" if s["currency"] else ""
        # the note under the table is printed as every other line, at the terminal's width:
        # as the table's caption it wrapped at the table's, and broke "D >= / 40"
        t = Table(title=_("Tiers"), title_justify="left")
        from kamtool.report.term import cell_len, fits_unbroken, natural_width

        def widest(texts: list[str]) -> int:
            return max(cell_len(line) for text in texts for line in text.split("\n"))

        named = [(escape(tier_name(r)), r) for r in s["tiers"]]
        total = (_("total"), s["total"])

        def layout(
            unconverted: bool,
        ) -> tuple[
            list[tuple[str, str]],
            Callable[[str, JsonObject, str | None], list[str]],
            list[list[str]],
            int,
        ]:
            """The tiers table's headings, its cells, its rows and the narrowest it gets,
            with or without the column of revenue not converted."""
            heads = [  # two-line headings: the numbers under them never break
                (_("tier"), "left"),
                (_("accounts"), "right"),
                (_("share"), "right"),
                # the currency under it; none set: one line, not a blank one under it
                (_("revenue") + ("\n" + cur.strip() if cur else ""), "right"),
                (_("revenue\nshare"), "right"),
                (_("mean\nscore"), "right"),
                (_("score\nletters"), "left"),
                # revenue without a rate, per tier: left out of the shares, never dropped
                *([(_("not\nconverted"), "right")] if unconverted else []),
            ]

            def tier_cells(name: str, r: JsonObject, sep: str | None) -> list[str]:
                return [
                    name,
                    number(r["accounts"]),
                    pct(r["account_percent"]),
                    money(r["revenue"]),
                    pct(r["revenue_percent"]),
                    mean_text(r),
                    letters_text(r["letters"], sep),
                    *([unconverted_text(r)] if unconverted else []),
                ]

            flat = [tier_cells(name, r, None) for name, r in [*named, total]]
            # too narrow for the table on one line a tier: each letter count on its own line
            sep = "\n" if limited(width) and natural_width(heads, flat) > width else None
            stacked = [tier_cells(name, r, sep) for name, r in [*named, total]]
            # the narrowest the table gets: the numbers whole, the tier 9 cells ("B Value"
            # on one line, "(focus)" under it), one space each side and the rules
            least = 9 + sum(
                widest([head, *(r[i] for r in stacked)]) for i, (head, _j) in enumerate(heads) if i
            )
            return heads, tier_cells, stacked, least + 3 * len(heads) + 1

        heads, tier_cells, stacked, least = layout(bool(s["unconverted"]))
        # a terminal too narrow for the column of revenue not converted (80 columns): the
        # table without it, and each tier's under it, rather than a tier a record
        unconverted_below = False
        if s["unconverted"] and limited(width) and least > width:
            narrower = layout(False)
            if narrower[3] <= width:
                heads, tier_cells, stacked, least = narrower
                unconverted_below = True
        if limited(width) and least > width:
            # not even that fits (40 columns): rich squeezed the tier and letters columns
            # to nothing; a tier a record instead, every figure after its heading
            from kamtool.report.term import record_lines

            plain = [tier_cells(name, r, None) for name, r in [*named, total]]
            say(_("Tiers"))
            for line in record_lines(heads, plain, width):
                console.print(line, soft_wrap=True)
            say(_(TIERS_NOTE))
        else:
            for col, justify in heads:
                # numbers never break; labels and headings wrap inside their cells
                t.add_column(col, justify=justify, overflow="fold")  # type: ignore[arg-type]
            # the figures never break (the revenue not converted neither: "5,500,000 KES")
            for column in [*t.columns[1:6], *t.columns[7:]]:
                column.no_wrap = True
            t.columns[0].min_width = 9  # "B Value" on one line, "(focus)" under it
            for row in stacked[:-1]:
                t.add_row(*row)
            t.add_section()
            t.add_row(*stacked[-1], style="bold" if color else None)
            console.print(t)
            say(_(TIERS_NOTE))
        if unconverted_below:
            by_tier = [
                _("{tier}: {amount}").format(tier=tier_name(r), amount=unconverted_text(r))
                for r in s["tiers"]
                if r["unconverted"]
            ]
            say(
                _("Not converted, per tier (left out of the shares): {tiers}.").format(
                    tiers=_("; ").join(by_tier)
                ),
                "  ",
            )
        m = s["matrix"]
        labels = matrix_names(m)
        corner = _("value \\ position")
        grid_heads = [(corner, "left")] + [(str(p), "left") for p in range(1, 6)]

        def grid() -> list[list[str]]:
            """The matrix's rows, each cell its tier then its accounts' names: one name a
            line, each after a dash when the cell holds several (a name may hold a comma,
            "Grupo Andaluz, S.A.": joined by commas, one cell read as three accounts)."""
            rows = []
            for v in range(5, 0, -1):
                cells = [str(v)]
                for p in range(1, 6):
                    names = cell_names(m["accounts"][v - 1][p - 1], labels)
                    tier = f"({m['tiers'][v - 1][p - 1]})"
                    if len(names) > 1:
                        cells.append("\n".join([tier, *(f"- {n}" for n in names)]))
                    else:
                        cells.append(" ".join([tier, *names]))
                rows.append(cells)
            return rows

        # In a terminal too narrow for each name whole on a line, the cells broke names
        # in the middle ("Customer / 36 AG"): the grid then counts each cell's accounts,
        # and the names follow it, cell by cell, each whole.
        rows = grid()
        listed = limited(width) and natural_width(grid_heads, rows) > width
        if listed:
            rows = [
                [str(v)]
                + [
                    " ".join(
                        [f"({m['tiers'][v - 1][p - 1]})"]
                        + ([number(len(cell))] if (cell := m["accounts"][v - 1][p - 1]) else [])
                    )
                    for p in range(1, 6)
                ]
                for v in range(5, 0, -1)
            ]
        # Tier names of a team's own (commercial, excellent) can be too long even for the
        # counts in boxed cells: "(commercia" over "l) 2". The grid then drops its inner
        # rules (box.SIMPLE_HEAD, as the narrow grade table does), each column as wide as
        # its longest word, so that a count goes under its tier rather than a tier breaks
        # ... and the corner keeps "value \\" together on its first line: broken at each
        # space, a Chinese corner stood on three lines, "价值", "\\" and "地位", the last
        # one read as the heading of the row of column numbers
        value_word, sep, position_word = corner.partition(" \\ ")
        corner_lines = [f"{value_word} \\", position_word] if sep else corner.split()
        need = [
            max(
                cell_len(word)
                for word in (corner_lines if i == 0 else head.split())
                + [w for r in rows for w in r[i].split()]
            )
            for i, (head, _justify) in enumerate(grid_heads)
        ]
        narrow = (
            listed
            and not fits_unbroken(grid_heads, rows, width)
            and sum(need) + 2 * len(need) - 1 <= width
        )
        # not even that fits (40 columns and tier names of the team's own: "(co / re)"
        # over "mme / rci / al)"): each value a record, its cells after their positions
        records = listed and not narrow and not fits_unbroken(grid_heads, rows, width)
        if records:
            from kamtool.report.term import record_lines

            say(_("Position x value"))
            heads = [(corner, "left")] + [
                (_("position {position}").format(position=p), "left") for p in range(1, 6)
            ]
            named_rows = [[_("value {value}").format(value=row[0]), *row[1:]] for row in rows]
            for line in record_lines(heads, named_rows, width):
                console.print(escape(line), soft_wrap=True)
        elif narrow:
            from rich import box

            mt = Table(
                title=_("Position x value"),
                title_justify="left",
                box=box.SIMPLE_HEAD,
                padding=(0, 1, 0, 0),
                pad_edge=False,
                show_edge=False,
                show_lines=True,
            )
            titles = ["\n".join(corner_lines)] + [title for title, _justify in grid_heads[1:]]
            for title, size in zip(titles, need, strict=True):
                mt.add_column(title, overflow="fold", width=size)
        else:
            mt = Table(
                title=_("Position x value"),
                title_justify="left",
            )
            for head, _justify in grid_heads:
                mt.add_column(head, overflow="fold")
        if not records:
            for row in rows:
                mt.add_row(*(escape(c) for c in row))
            console.print(mt)
        # the note under the table, as wide as the terminal: as the caption of a narrow
        # table, rich wrapped the Chinese note at its few spaces, half a line at a time
        say(_(MATRIX_COUNT_NOTE if listed else MATRIX_NOTE))
        if listed:
            for v in range(5, 0, -1):
                for p in range(1, 6):
                    names = cell_names(m["accounts"][v - 1][p - 1], labels)
                    if names:
                        cell = _("value {value}, position {position} ({tier})").format(
                            value=v, position=p, tier=m["tiers"][v - 1][p - 1]
                        )
                        lead = _("{cell}: {names}").format(cell=cell, names="\0")
                        head, _sep, tail = lead.partition("\0")
                        # "; " between names: a name may hold a comma
                        lines = wrap_items(head, names, _("; "), width, "    ", "  ")
                        lines[-1] += tail
                        for line in lines:
                            console.print(escape(line), soft_wrap=True)
        if s["shortfalls"]:
            say(
                _(
                    "Value-curve shortfalls, largest gap first (revenue missing in {currency}):"
                ).format(currency=s["currency"])
                if s["currency"]
                else _("Value-curve shortfalls, largest gap first:")
            )
            for x in s["shortfalls"]:
                say(shortfall_text(x, s["currency"]), "    ", "  ")
        elif not s.get("value_curve_accounts") and s["total"]["accounts"]:
            say(_no_shortfalls(s))
        if s["overrides"]:
            say(_("Manual tiers that differ from the computed tier:"))
            for x in s["overrides"]:
                say(
                    _("{account}: computed {computed}, manual {manual}: {reason}").format(
                        account=account_label(x),
                        computed=x["computed"],
                        manual=x["manual"],
                        reason=x["reason"],
                    ),
                    "    ",
                    "  ",
                )
        return console.file.getvalue()
