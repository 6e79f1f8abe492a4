"""``attitude: ?`` unquoted in flow style (``{id: p1, attitude: ?}``, ``- {attitude: ?}``)
gets the message block style gets: the key, and "write it quoted", at the "?", from the
native reader and from the Python reader alike, in English and in Chinese (libyaml's own
words were "while parsing a flow node: did not find expected node content")."""

from __future__ import annotations

import pytest

from conftest import write_account

FORMS = {
    "one line": ("  - {id: p1, name: Petra Lang, roles: [D], attitude: ?}\n", 2, "attitude"),
    "before another key": (
        "  - {id: p1, name: Petra Lang, attitude: ?, intimacy: 1}\n",
        2,
        "attitude",
    ),
    "after a known attitude": (
        "  - {id: p1, name: Petra Lang, attitude: 1, intimacy: ?  }\n",
        2,
        "intimacy",
    ),
    "an item of its own": (
        "  - id: p1\n    name: Petra Lang\n    attitude: 1\n  - {attitude: ?}\n",
        5,
        "attitude",
    ),
    "over lines": ("  - {id: p1, name: Petra Lang,\n     attitude: ?\n    }\n", 3, "attitude"),
}


@pytest.mark.parametrize("reader", ["native", "python"])
@pytest.mark.parametrize("form", FORMS)
def test_unquoted_question_mark_in_flow_style(kam, tmp_path, form, reader):
    body, line, key = FORMS[form]
    column = ("stakeholders:\n" + body).splitlines()[line - 1].index(f"{key}: ?") + len(key) + 3
    write_account(tmp_path, "orsa", {"stakeholders.yaml": "stakeholders:\n" + body})
    env = {"KAM_READER": "python"} if reader == "python" else {}
    r = kam(tmp_path, "validate", "orsa", env=env)
    assert r.exit_code == 1
    where = f"accounts/orsa/stakeholders.yaml:{line}:{column}: KAM001 "
    assert f'{where}{key}: ? must be quoted: write {key}: "?"' in r.stdout, r.stdout
    zh = kam(tmp_path, "--lang", "zh-CN", "validate", "orsa", env=env)
    assert f'{where}{key}: ? 必须加引号：请写成 {key}: "?"' in zh.stdout, zh.stdout
