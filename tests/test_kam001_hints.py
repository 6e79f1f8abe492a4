"""KAM001 says what to do for the two unreadable files people make most: a file indented
with tabs (an editor set to tabs) and an empty file. The general hint ("no tags, no
multi-documents, UTF-8") fits neither."""

from __future__ import annotations

from conftest import write_account

ACCOUNT_WITH_TABS = (
    "id: acme\nname: Acme\nowner: li.ming\nreviewed: 2026-10-01\nposition: 3\nvalue: 3\n"
    "facts:\n\tsupplier_position: none\n\trevenue: 3\n"
)


def _finding(kam, repo, *lang):
    r = kam(repo, *lang, "validate", "--format", "json")
    (found,) = [f for f in r.json()["findings"] if f["code"] == "KAM001"]
    return found


def test_tabs_name_every_tabbed_line_at_the_first_tab(kam, tmp_path):
    (tmp_path / ".git").mkdir()
    write_account(tmp_path, "acme", {"account.yaml": ACCOUNT_WITH_TABS})
    f = _finding(kam, tmp_path)
    assert (f["path"], f["line"], f["column"]) == ("accounts/acme/account.yaml", 8, 1), f
    assert f["hint"].startswith("Indent with spaces: lines 8, 9 start with a tab."), f
    assert "insert spaces for Tab" in f["hint"], f
    zh = _finding(kam, tmp_path, "--lang", "zh-CN")
    assert zh["hint"].startswith("请用空格缩进：第 8、9 行以制表符开头。"), zh


def test_a_tab_after_spaces_is_pointed_at(kam, tmp_path):
    (tmp_path / ".git").mkdir()
    people = "stakeholders:\n  - id: a\n  \t name: A\n"
    write_account(tmp_path, "acme", {"stakeholders.yaml": people})
    f = _finding(kam, tmp_path)
    assert (f["line"], f["column"]) == (3, 3), f
    assert f["hint"].startswith("Indent with spaces: line 3 starts with a tab."), f


def test_an_empty_file_is_told_the_keys_it_needs(kam, tmp_path):
    (tmp_path / ".git").mkdir()
    write_account(tmp_path, "acme", {"account.yaml": "# to do\n"})
    f = _finding(kam, tmp_path)
    assert (f["path"], f["line"], f["column"]) == ("accounts/acme/account.yaml", 1, 1), f
    assert f["hint"].startswith(
        "Write at least `id`, `name`, `owner`, `reviewed`, `position` and `value` in it"
    ), f
    zh = _finding(kam, tmp_path, "--lang", "zh-CN")
    assert zh["hint"].startswith(
        "请至少写入 `id`、`name`、`owner`、`reviewed`、`position` 和 `value`"
    ), zh


def test_an_empty_stakeholders_file_is_told_its_list(kam, tmp_path):
    (tmp_path / ".git").mkdir()
    write_account(tmp_path, "acme", {"stakeholders.yaml": ""})
    f = _finding(kam, tmp_path)
    assert f["hint"].startswith("Write at least `stakeholders` in it"), f


def test_a_tab_after_a_dash_names_its_line(kam, tmp_path):
    """A tab right after a list's "-" is what stops the parser, though no line starts
    with one: the hint named no line at all ("lines  start with a tab")."""
    (tmp_path / ".git").mkdir()
    people = "stakeholders:\n-\tid: a\n  name: A\n"
    write_account(tmp_path, "acme", {"stakeholders.yaml": people})
    f = _finding(kam, tmp_path)
    assert (f["line"], f["column"]) == (2, 2), f
    assert f["message"].startswith("a tab character"), f
    assert f["hint"].startswith("Indent with spaces: line 2 starts with a tab."), f


def test_a_tab_that_did_not_stop_the_parser_is_not_blamed(kam, tmp_path):
    """``revenue:<tab>@5``: the parser stops at the '@', not at the tab before it; the
    message said "a tab character" and the hint named no line."""
    (tmp_path / ".git").mkdir()
    account = ACCOUNT_WITH_TABS.replace("facts:\n\tsupplier_position: none\n\trevenue: 3\n", "")
    write_account(tmp_path, "acme", {"account.yaml": account + "facts:\n  revenue:\t@5\n"})
    f = _finding(kam, tmp_path)
    assert (f["line"], f["column"]) == (8, 12), f
    assert "tab" not in f["message"] and "tab" not in f["hint"], f
