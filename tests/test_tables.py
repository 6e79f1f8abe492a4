"""The fast table drawing (report.term.print_table) against rich drawing the same table:
the same output, byte for byte, for random tables (wrapping, CJK, long words, colours,
narrow and wide terminals, both table forms kam uses)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from kamtool.report.term import console, print_table

WORDS = st.sampled_from(
    [
        "acct-00001",
        "li.ming",
        "p1003",
        "stakeholders.yaml:15039",
        "华东区域中心",
        "王芳",
        "very-long-identifier-that-never-fits-anywhere",
        "error",
        "1,065d/180d",
        "",
        "a",
        "Nordtel GmbH",
        "采购部 总监",
        "x\ty",
        " lead space",
        "two\nlines",
        "\n",
        "why:\nthe reason 原因",
    ]
)
CELL = st.lists(WORDS, min_size=0, max_size=4).map(" ".join)
STYLE = st.sampled_from([None, None, "red", "bold", "yellow", "text"])


def make_table(
    ncols: int, narrow: bool, lines: bool, justify: list[str], wraps: list[bool]
) -> Table:
    t = Table(
        title="Stale data on 2026-12-01 华东",
        title_justify="left",
        box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD,
        padding=(0, 1, 0, 0) if narrow else (0, 1),
        pad_edge=not narrow,
        show_lines=lines,
    )
    for i in range(ncols):
        t.add_column(f"col{i} 列", justify=justify[i], no_wrap=not wraps[i], overflow="fold")  # type: ignore[arg-type]
    return t


@settings(max_examples=300, deadline=None)
@given(
    ncols=st.integers(1, 6),
    data=st.data(),
    narrow=st.booleans(),
    lines=st.booleans(),
    color=st.booleans(),
    width=st.sampled_from([30, 50, 80, 120, 300]),
)
def test_print_table_draws_what_rich_draws(ncols, data, narrow, lines, color, width):
    justify = data.draw(
        st.lists(st.sampled_from(["left", "right", "center"]), min_size=ncols, max_size=ncols)
    )
    wraps = data.draw(st.lists(st.booleans(), min_size=ncols, max_size=ncols))
    rows = data.draw(st.lists(st.lists(CELL, min_size=ncols, max_size=ncols), max_size=8))
    styles = data.draw(
        st.lists(
            st.lists(STYLE, min_size=ncols, max_size=ncols), min_size=len(rows), max_size=len(rows)
        )
    )
    # "text": a rich Text whose first word is bold (the agenda's step titles)
    cells = [
        [
            Text.from_markup(
                f"[bold]{escape(c.split(' ')[0])}[/] " + escape(" ".join(c.split(" ")[1:]))
            )
            if s == "text"
            else c
            for c, s in zip(row, row_styles, strict=True)
        ]
        for row, row_styles in zip(rows, styles, strict=True)
    ]
    styles = [[None if s == "text" else s for s in r] for r in styles]
    rich_console = console(color, width)
    expected = make_table(ncols, narrow, lines, justify, wraps)
    for row, row_styles in zip(cells, styles, strict=True):
        expected.add_row(
            *(
                c if isinstance(c, Text) else f"[{s}]{escape(c)}[/]" if s and c else escape(c)
                for c, s in zip(row, row_styles, strict=True)
            )
        )
    rich_console.print(expected)

    fast_console = console(color, width)
    print_table(fast_console, make_table(ncols, narrow, lines, justify, wraps), cells, styles)
    assert fast_console.file.getvalue() == rich_console.file.getvalue()


def test_print_table_text_cells_with_their_own_styles():
    """Text cells (a bold title then plain lines, as the agenda has) are drawn by rich."""
    rows = [
        [
            Text.from_markup("[bold]Call 王芳[/] (acct)\nwhy: " + "long words " * 8),
            "2026-12-0" + str(i),
        ]
        for i in range(3)
    ]
    a, b = console(True, 60), console(True, 60)
    t = make_table(2, False, True, ["left", "left"], [True, False])
    for r in rows:
        t.add_row(*r)
    a.print(t)
    print_table(b, make_table(2, False, True, ["left", "left"], [True, False]), rows)
    assert b.file.getvalue() == a.file.getvalue()
