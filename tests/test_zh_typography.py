"""Chinese typography of kam's messages, read from the real CLI in zh-CN: lists joined
with 、 (和/或 before the last where a sentence needs it, i18n.listed), the user's text
in “…” (i18n.quoted, the catalogue's marks), no space beside those marks. English keeps
its own ", " and 'quotes'."""

from __future__ import annotations

import re

from conftest import dedent, write_account

ZH = ("--lang", "zh-CN")


def _repo(tmp_path, ids=("acme", "beta")):
    (tmp_path / ".git").mkdir()
    for account_id in ids:
        write_account(tmp_path, account_id)
    return tmp_path


def test_choices_of_an_option_are_listed_with_the_chinese_list_mark(kam, tmp_path):
    repo = _repo(tmp_path)
    r = kam(repo, *ZH, "check", "--format", "xml")
    assert r.exit_code == 2, r.stderr
    assert "--format 必须是 text、json、github、sarif、junit、gitlab 之一" in r.stderr, r.stderr
    assert ", " not in r.stderr and "，github" not in r.stderr, r.stderr
    english = kam(repo, "check", "--format", "xml").stderr
    assert "one of text, json, github, sarif, junit, gitlab, not 'xml'" in english, english


def test_an_unknown_account_lists_the_ids_with_the_list_mark_and_quotes_the_input(kam, tmp_path):
    repo = _repo(tmp_path)
    r = kam(repo, *ZH, "grade", "nosuch")
    assert r.exit_code == 1
    assert "没有客户“nosuch”（客户：acme、beta）" in r.stderr, r.stderr
    assert "'" not in r.stderr, r.stderr
    assert "no account 'nosuch' (accounts: acme, beta)" in kam(repo, "grade", "nosuch").stderr


def test_a_long_list_names_the_first_and_counts_the_rest(kam, tmp_path):
    repo = _repo(tmp_path, ids=[f"acct-{i:02}" for i in range(13)])
    r = kam(repo, *ZH, "grade", "nosuch")
    assert "（客户：acct-00、acct-01、" in r.stderr, r.stderr
    assert "acct-09，另有 3 个）" in r.stderr, r.stderr
    english = kam(repo, "grade", "nosuch").stderr
    assert "acct-08, acct-09 and 3 more)" in english, english


def test_people_in_a_log_line_are_listed_with_the_list_mark(kam, tmp_path):
    people = dedent(
        """
        stakeholders:
          - {id: zheng.li, name: 郑丽, attitude: 1, owner: li.ming, reviewed: 2026-11-01}
          - {id: feng.tao, name: 冯涛, attitude: 1, owner: li.ming, reviewed: 2026-11-01}
        """
    )
    repo = tmp_path
    (repo / ".git").mkdir()
    write_account(repo, "huaxin", {"stakeholders.yaml": people})
    r = kam(
        repo, *ZH, "log", "huaxin", "zheng.li", "feng.tao", "-m", "x", "--by", "a.b", "--by", "c.d"
    )
    assert r.exit_code == 0, r.stderr
    assert "郑丽（zheng.li）、冯涛（feng.tao）" in r.stdout, r.stdout
    assert "（我方人员：a.b、c.d）" in r.stdout, r.stdout


def test_allowed_values_are_quoted_and_joined_with_or(kam, tmp_path):
    repo = _repo(tmp_path, ids=())
    write_account(repo, "acme", {"account.yaml": "id: acme\nname: Acme\nstage: grow\n"})
    r = kam(repo, *ZH, "validate", "--format", "json")
    (message,) = [f["message"] for f in r.json()["findings"] if "stage" in f["message"]]
    assert "stage：必须是“build”、“stabilize”或“strengthen”之一；实际为“grow”" in message, message
    english = kam(repo, "validate", "--format", "json").json()["findings"]
    assert any(
        "must be one of 'build', 'stabilize' or 'strengthen'; got 'grow'" in f["message"]
        for f in english
    ), english


def test_no_ascii_quote_and_no_space_beside_chinese_quotes(kam, tmp_path):
    repo = _repo(tmp_path)
    outputs = [
        kam(repo, *ZH, "log", "acme", "nobody", "-m", "x").stderr,
        kam(repo, *ZH, "agenda", "--days", "abc").stderr,
        kam(repo, *ZH, "log", "acme", "boss", "-m", "x", "--kind", "vist").stderr,
        kam(repo, *ZH, "rules", "KAM1088").stderr,
        kam(repo, *ZH, "log").stderr,
    ]
    for text in outputs:
        assert "“" in text, outputs
        assert "'" not in text, text
        assert not re.search(r"[\u4e00-\u9fff] “|” [\u4e00-\u9fff]", text), text


def test_a_name_keeps_the_spaces_its_writer_put_beside_quotation_marks(kam, tmp_path):
    """Only the template's own spaces beside “ ” go: a name written 李 “老李” 明 is shown
    as written (it was 李“老李”明 when the spaces were taken out of the whole message)."""
    repo = _repo(tmp_path, ids=("acme",))
    people = repo / "accounts" / "acme" / "stakeholders.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("The Boss", "李 “老李” 明"))
    out = kam(repo, *ZH, "check").stdout
    assert "决策者李 “老李” 明（boss）" in out, out


def test_characters_that_cannot_be_seen_are_escaped_inside_the_quotes(kam, tmp_path):
    repo = _repo(tmp_path)
    r = kam(repo, *ZH, "grade", "no\tsuch")
    assert "没有客户“no\\tsuch”" in r.stderr, r.stderr


# ---------------------------------------------------------------- the catalogue itself


def _chinese_messages() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every translation in the Chinese catalogue (each plural form)."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    po = Path(__file__).resolve().parents[1] / "src/kamtool/locale/zh_CN/LC_MESSAGES/kam.po"
    with po.open("rb") as handle:
        catalogue = read_po(handle)
    out = []
    for message in catalogue:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        out += [(msgid, text) for text in texts if text]
    return out


#: the units a count is written with in Chinese
_UNITS = "天个年月周项条次人行位名家岁倍秒分"
#: a number (digits, or a field the code fills with a count) written against Chinese
_TIGHT_NUMBER = re.compile(
    rf"(\d|\{{\w+(?::[^}}]*)?\}})[{_UNITS}]|[\u4e00-\u9fff]\d|\d[\u4e00-\u9fff]"
)


def test_numbers_and_units_are_spaced_as_the_catalogue_writes_them():
    """ "3 天", "第 4 行", "80 天后": a space between a number and the Chinese next to it,
    in every message (it said "3 天" in most and "3天" in the agenda's short forms)."""
    tight = [(i, s) for i, s in _chinese_messages() if _TIGHT_NUMBER.search(s)]
    assert not tight, tight
    spaced = [s for _i, s in _chinese_messages() if re.search(rf"\{{n\}} [{_UNITS}]", s)]
    assert len(spaced) > 50  # the rule is the catalogue's own usual style


def test_the_catalogue_quotes_with_chinese_marks():
    """No 'ASCII quotes' around a word in a Chinese message (the user's text comes in
    through {name!r}, which i18n.quoted writes “name”), and no space beside “ ”."""
    ascii_quoted = [(i, s) for i, s in _chinese_messages() if re.search(r"'[^'\s]+'", s)]
    assert not ascii_quoted, ascii_quoted
    beside = re.compile(r"[\u4e00-\u9fff，。：；）] (“|\{\w+!r\})|(”|\{\w+!r\}) [\u4e00-\u9fff]")
    spaced = [(i, s) for i, s in _chinese_messages() if beside.search(s)]
    assert not spaced, spaced
