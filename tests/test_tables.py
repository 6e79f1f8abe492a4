"""The fast table drawing (report.term.print_table) against rich drawing the same table:
the same output, byte for byte, for random tables (wrapping, CJK, long words, colours,
narrow and wide terminals, both table forms kam uses, with and without the table's
edges)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.cells import cell_len
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from conftest import REPO, write_account
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
    ncols: int,
    narrow: bool,
    lines: bool,
    justify: list[str],
    wraps: list[bool],
    edge: bool = True,
) -> Table:
    t = Table(
        title="Stale data on 2026-12-01 华东",
        title_justify="left",
        box=box.SIMPLE_HEAD if narrow else box.HEAVY_HEAD,
        padding=(0, 1, 0, 0) if narrow else (0, 1),
        pad_edge=not narrow,
        show_lines=lines,
        show_edge=edge,
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
    edge=st.booleans(),
)
def test_print_table_draws_what_rich_draws(ncols, data, narrow, lines, color, width, edge):
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
    expected = make_table(ncols, narrow, lines, justify, wraps, edge)
    for row, row_styles in zip(cells, styles, strict=True):
        expected.add_row(
            *(
                c if isinstance(c, Text) else f"[{s}]{escape(c)}[/]" if s and c else escape(c)
                for c, s in zip(row, row_styles, strict=True)
            )
        )
    rich_console.print(expected)

    fast_console = console(color, width)
    made = make_table(ncols, narrow, lines, justify, wraps, edge)
    print_table(fast_console, made, cells, styles, wide_breaks=False)
    assert fast_console.file.getvalue() == rich_console.file.getvalue()


@pytest.mark.parametrize("lines", [False, True])
def test_a_table_without_edges_is_drawn_by_hand_as_rich_draws_it(lines):
    """The narrow stale table drops its blank edges (show_edge=False): print_table draws
    it itself (the rows are never handed to rich's table) and the same as rich."""
    rows = [
        ["长江航运集团\n(changjiang-shipping)", "黄志强\n(huang.zhiqiang)", "183天/60天", "错误"],
        ["华东钢铁\n(huadong-steel)", "欧阳明远\n(ouyang.mingyuan)", "72天/60天", "警告"],
    ]
    justify, wraps = ["left", "left", "right", "left"], [True, True, False, False]
    expected = console(False, 80)
    table = make_table(4, True, lines, justify, wraps, edge=False)
    for row in rows:
        table.add_row(*row)
    expected.print(table)
    fast = console(False, 80)
    made = make_table(4, True, lines, justify, wraps, edge=False)
    print_table(fast, made, rows, wide_breaks=False)
    assert not made.rows  # drawn by hand: rich's own drawing would have added them
    assert fast.file.getvalue() == expected.file.getvalue()
    drawn = [line for line in fast.file.getvalue().splitlines()[2:] if line.strip()]
    assert drawn and not any(line.startswith(" ") for line in drawn)  # no blank edge


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
    print_table(
        b, make_table(2, False, True, ["left", "left"], [True, False]), rows, wide_breaks=False
    )
    assert b.file.getvalue() == a.file.getvalue()


def test_chinese_stale_table_names_people_over_their_ids_at_80_columns(kam, tmp_path):
    """A Chinese portfolio (kam.yaml `language: zh-CN`) with long ids: at 80 columns the
    narrow table (no edges) still has room for each name over its id, every id whole;
    in English the same accounts still fit, by ids alone."""
    from rich.cells import cell_len

    (tmp_path / "kam.yaml").write_text("language: zh-CN\n", encoding="utf-8")
    people = """\
        stakeholders:
          - {id: huang.zhiqiang, name: 黄志强, roles: [D], attitude: 1, owner: zhou.lan,
             last_contact: 2026-06-01}
          - {id: ouyang.mingyuan, name: 欧阳明远, roles: [E], attitude: 0,
             owner: wang.fang, last_contact: 2026-08-15}
        """
    for account, name in (("changjiang-shipping", "长江航运集团"), ("huadong-steel", "华东钢铁")):
        write_account(
            tmp_path,
            account,
            {
                "account.yaml": f"id: {account}\nname: {name}\nowner: zhou.lan\n"
                "reviewed: 2026-10-01\nposition: 3\nvalue: 3\n",
                "stakeholders.yaml": people,
            },
        )
    r = kam(tmp_path, "stale", env={"COLUMNS": "80"})
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    assert lines[1].startswith("客户 ")  # no blank edge before the first column
    rows = [line.split() for line in lines[3:] if line.strip()]
    assert rows[0][:2] == ["长江航运集团", "黄志强"]
    assert rows[1][:2] == ["(changjiang-shipping)", "(huang.zhiqiang)"]
    assert ["(huadong-steel)", "(ouyang.mingyuan)"] in rows
    assert lines[-2] == "" and lines[-1].startswith("2 个客户中：4 个错误")
    english = kam(tmp_path, "stale", "--lang", "en", env={"COLUMNS": "80"}).stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in english)
    assert english[1].split() == ["account", "person", "field", "age/limit", "owner", "severity"]
    # English words are wider ("contact", "severity"): one cell short of names over ids,
    # the ids alone, whole
    assert english[3].split() == [
        "changjiang-shipping",
        "huang.zhiqiang",
        "contact",
        "176d/60d",
        "zhou.lan",
        "error",
    ]


@pytest.fixture(scope="module")
def crm_import(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One neglected account of 1,500 people, as a first CRM import gives: over a
    thousand stale entries (generated by benchmarks/generate.py, names unlike the
    examples')."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    root = tmp_path_factory.mktemp("crm")
    generate(root, 1, people=1500, health="neglected")
    return root


def test_stale_table_of_a_crm_import_fits_an_80_column_terminal(kam, crm_import):
    """`kam stale` on one neglected account of 1,500 people (a CRM import) in an 80-column
    terminal: every line fits, every stale person has a row, the summary closes it."""
    tmp_path = crm_import
    r = kam(tmp_path, "stale", env={"COLUMNS": "80"})
    from rich.cells import cell_len

    lines = r.stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    as_json = kam(tmp_path, "stale", "--format", "json").json()["findings"]
    # each row names the account, its id on the line under the name
    rows = [line for line in lines if line.lstrip().startswith("(acct-00000)")]
    assert len(rows) == len(as_json) > 1000
    errors = sum(1 for f in as_json if f["severity"] == "error")
    assert errors >= 1000 and lines[-1].startswith(f"{errors:,} errors, ")  # grouped: 1,504


@pytest.mark.parametrize(
    ("lang", "heading", "summary"),
    [
        ("en", "{n} findings by rule, most severe first:", "{e} errors, "),
        ("zh_CN", "共 {n} 个问题，按规则统计（最严重的在前）：", "1 个客户中：{e} 个错误，"),
    ],
)
def test_counts_per_rule_are_grouped_by_thousands(kam, crm_import, lang, heading, summary):
    """The count per rule (past 50 findings) in check, grade and plan: 1,504 as every
    other number kam prints, in English and in Chinese (which groups the same way)."""
    found = kam(crm_import, "check", "--format", "json").json()["findings"]
    n = len(found)
    errors = sum(1 for f in found if f["severity"] == "error")
    kam202 = sum(1 for f in found if f["code"] == "KAM202")
    assert n > 1000 and kam202 > 1000
    out = kam(crm_import, "check", "--lang", lang).stdout
    assert heading.format(n=f"{n:,}") in out
    assert f"  {kam202:,}  KAM202 " in out
    digits = len(f"{kam202:,}")  # small counts right-aligned under the grouped ones
    assert "\n  " + "1".rjust(digits) + "  KAM" in out
    assert summary.format(e=f"{errors:,}") in out.splitlines()[-1]
    detail = kam(crm_import, "grade", "acct-00000", "--lang", lang).stdout
    assert heading.format(n=f"{n:,}") in detail and f"  {kam202:,}  KAM202 " in detail
    plan = kam(crm_import, "plan", "acct-00000", "--lang", lang).stdout
    assert f"| **KAM202** | {'error' if lang == 'en' else '错误'} | {kam202:,} |" in plan
    assert str(kam202) not in plan.replace(f"{kam202:,}", "")


def test_the_fast_drawing_is_used_with_the_installed_rich():
    """The random tables above compare print_table's own drawing with rich's only when
    print_table draws them: with a rich missing what it borrows, both would be rich's."""
    from kamtool.report.term import _rich_layout_api

    table = make_table(2, False, False, ["left", "left"], [True, True])
    assert _rich_layout_api(console(False, 80), table)


def test_a_rich_without_the_borrowed_methods_still_draws_the_tables(kam, monkeypatch):
    """rich's private methods may change in a release pyproject allows: kam then draws
    its tables with rich's public API (slower), the same text, and no traceback. (rich's
    own drawing calls the methods print_table borrows, so a future rich that renamed one
    is played by print_table looking for a name this rich lacks.)"""
    from kamtool.report import term

    before = {c: kam(REPO, c, "--examples") for c in ("grade", "stale", "agenda")}
    renamed = (("table", ("_calculate_column_widths_v2",)), *term._RICH_LAYOUT)
    monkeypatch.setattr(term, "_RICH_LAYOUT", renamed)
    assert not term._rich_layout_api(console(False, 80), Table())
    for command, expected in before.items():
        after = kam(REPO, command, "--examples")
        assert (after.exit_code, after.stdout) == (expected.exit_code, expected.stdout)
        assert "┏" in after.stdout


@settings(max_examples=200, deadline=None)
@given(
    ncols=st.integers(1, 4),
    data=st.data(),
    width=st.sampled_from([30, 50, 80]),
)
def test_chinese_cells_break_between_characters_and_keep_the_table(ncols, data, width):
    """A cell with Chinese that must wrap breaks between characters (wrap_wide), not
    only at spaces as rich does: the table keeps its shape (every line as wide as the
    rules) and every cell its text, in order."""
    rows = data.draw(st.lists(st.lists(CELL, min_size=ncols, max_size=ncols), max_size=6))
    out = console(False, width)
    made = make_table(ncols, False, True, ["left"] * ncols, [True] * ncols)
    print_table(out, made, rows)
    drawn = out.file.getvalue().splitlines()
    ruled = [line for line in drawn if line[:1] in "┏┡├└"]
    assert len({cell_len(line) for line in ruled}) == 1
    assert all(cell_len(line) == cell_len(ruled[0]) for line in drawn if line[:1] == "│")
    blocks: list[list[str]] = [[]]
    for line in drawn[drawn.index(ruled[1]) + 1 :]:
        if line[:1] == "│":
            blocks[-1].append(line)
        elif line[:1] == "├":
            blocks.append([])
    if not rows:
        return
    for row, block in zip(rows, blocks, strict=True):
        columns = ["".join(line.split("│")[i + 1] for line in block) for i in range(ncols)]
        for cell, shown in zip(row, columns, strict=True):
            assert "".join(shown.split()) == "".join(cell.split())
