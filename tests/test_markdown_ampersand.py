"""What someone wrote with ``&``, ``<`` or ``>`` reads as written in kam's Markdown, raw
(a plan opened in an editor, a PR comment's source) and rendered by a CommonMark renderer:
"R&D review & pricing", not "R&amp;D review &amp; pricing". Only what would become
markup is escaped, with a backslash: an entity ("&copy;"), a tag ("<b>"), a quote
(">" first)."""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt

from conftest import write_account

WRITTEN = {
    "title": "CEO & Head of R&D <b>x</b> &copy; {x}",
    "summary": "R&D review & pricing: margin >= 5% and < 8%",
    "action": "> Q&A with <CFO> & ops",
}


def _account(root):
    (root / "kam.yaml").write_text("accounts: accounts\n", encoding="utf-8")
    write_account(
        root,
        "orsa",
        {
            "stakeholders.yaml": f"""\
                stakeholders:
                  - id: p-lang
                    name: Petra Lang
                    title: "{WRITTEN["title"]}"
                    roles: [D]
                    attitude: 2
                    owner: ana.ruiz
                    last_contact: 2026-11-01
                """,
            "log.yaml": f"""\
                entries:
                  - date: 2026-11-01
                    with: [p-lang]
                    by: [ana.ruiz]
                    summary: "{WRITTEN["summary"]}"
                """,
            "targets.yaml": f"""\
                actions:
                  - id: a1
                    text: "{WRITTEN["action"]}"
                    owner: ana.ruiz
                    due: 2026-12-01
                    status: planned
                """,
        },
    )


def _cells(rendered: str) -> list[str]:
    return [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", rendered)]


def test_plan_keeps_what_was_written_with_ampersands(kam, tmp_path):
    _account(tmp_path)
    r = kam(tmp_path, "plan", "orsa")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "&amp;" not in out and "&lt;" not in out and "&gt;" not in out
    assert "| R&D review & pricing: margin >= 5% and < 8% |" in out
    assert "CEO & Head of R&D \\<b>x\\</b> \\&copy; \\{x\\}" in out
    assert "\\> Q&A with \\<CFO> & ops" in out
    cells = _cells(MarkdownIt("commonmark").enable("table").render(out))
    for text in WRITTEN.values():
        assert text in cells, (text, cells)
