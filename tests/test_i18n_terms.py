"""One Chinese word for one English term across every output: 'graded' is 评级 (已评级,
未评级) everywhere, never 评分 (which is the relationship score) nor 分级 (which is
the tiering by position and value, and 'no tier' is 未分级)."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from conftest import REPO, write_account

PO = REPO / "src" / "kamtool" / "locale" / "zh_CN" / "LC_MESSAGES" / "kam.po"


def _pairs() -> list[tuple[str, str]]:
    with PO.open("rb") as f:
        catalogue = read_po(f)
    out = []
    for m in catalogue:
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if ids[0]:
            out += [(i, s) for i, s in zip(ids, strings, strict=False) if s]
    return out


def test_graded_is_one_word_in_the_catalogue():
    """Every message about being graded (graded, not graded, graded as of, a revision
    without a grade) says 评级, and none of them says 评分 or 分级 for it."""
    # (re-grade, re-graded: tiering again by position and value, 重新分级, is another term)
    graded = re.compile(r"(?<!re-)\b(not |un)?graded\b|\bwithout a grade\b|\bcannot grade\b", re.I)
    checked = 0
    for english, chinese in _pairs():
        if not graded.search(english):
            continue
        checked += 1
        # "grading inputs" (the position and value a tier comes from) is 分级依据
        assert "评级" in chinese, (english, chinese)
        told = chinese.replace("关系评分", "").replace("评分（0-100）", "")
        assert not re.search(r"(已|未|不|无法|按 \S+ |日期)评分", told), (english, chinese)
        assert "未分级" not in chinese, (english, chinese)
    assert checked >= 12


def test_one_word_for_manual_tier_and_the_general_layer():
    for english, chinese in _pairs():
        if re.search(r"\bmanual\b", english) and "tier" in english.lower() + chinese:
            assert "手动" not in chinese, (english, chinese)  # 手工定级, as everywhere
        if "general" in english and ("layer" in english or "--layer" in english):
            assert "普通层" not in chinese, (english, chinese)  # 普遍层: the method's word


def test_portfolio_in_chinese_says_graded_one_way(kam, tmp_path):
    """The portfolio of three accounts, one with a broken file: the headline's 已评级 and
    the line naming the ungraded account's 未评级 are the same word."""
    write_account(tmp_path, "huadong-steel")
    write_account(tmp_path, "xinan-power")
    write_account(tmp_path, "broken-co", {"stakeholders.yaml": "stakeholders: [\n"})
    r = kam(tmp_path, "portfolio", "--lang", "zh_CN", "--no-color")
    assert r.exit_code == 1
    out = r.stdout
    assert "3 个客户，其中 2 个已评级" in out
    assert "未评级（文件有错误）：broken-co。" in out
    assert "未分级（文件" not in out and "未评分" not in out


def test_attitude_is_zhi_chi_du_everywhere():
    """A stakeholder's attitude (-3..+3 toward us) is 支持度, the method's own word (its
    "亲密度与支持度" model, "支持度标注"), never 态度: the tables, headings, findings,
    hints, diff sentences and help all say the one word."""
    checked = 0
    for english, chinese in _pairs():
        assert "态度" not in chinese, (english, chinese)
        # the word, not a placeholder ({attitude}) nor the YAML key in a code span
        prose = re.sub(r"\{[^}]*\}|`[^`]*`", "", english)
        if re.search(r"\battitudes?\b", prose):
            checked += 1
            assert "支持度" in chinese, (english, chinese)
    assert checked >= 40


def test_attitude_in_chinese_outputs_is_one_word(kam, tmp_path):
    """Through the CLI: a decision maker of unknown attitude, as grade, check and the
    agenda say it in Chinese."""
    write_account(
        tmp_path,
        "huadong-steel",
        {
            "stakeholders.yaml": """\
            stakeholders:
              - id: huang.zhiqiang
                name: 黄志强
                roles: [D]
                attitude: "?"
                owner: li.ming
            """,
        },
    )
    outputs = [
        kam(tmp_path, *args, "--lang", "zh_CN", env={"COLUMNS": "200"}).stdout
        for args in (("grade", "--explain"), ("check",), ("rules", "KAM104"))
    ]
    assert "支持度未知" in outputs[0] and "已知支持度" in outputs[0]
    assert "决策者黄志强（huang.zhiqiang）支持度未知" in outputs[1]
    assert not any("态度" in out for out in outputs)


def test_our_sponsor_beside_owner_and_backup_is_one_word():
    """A colleague's place as "owner, backup or sponsor" (the agenda's --owner, its
    heading, KAM121's and KAM122's texts) is our executive sponsor, 赞助人; 支持者 is a
    supporter on the customer's side (attitude 1 or more), another thing altogether."""
    checked = 0
    for english, chinese in _pairs():
        if re.search(r"\bbackup,? (or|and)? ?sponsor\b|\bbackup, sponsor\b", english):
            checked += 1
            assert "赞助人" in chinese and "支持者" not in chinese, (english, chinese)
    assert checked >= 4


def test_kam116_names_the_missing_team_roles_in_the_output_language(kam, tmp_path):
    """KAM116 listed the missing roles by their ids in Chinese output ("缺少：researcher、
    sceptic") where the plan's team table names them 研究者, 质疑者: the name, with the id
    that kam.yaml and account.yaml write beside it; English keeps the ids."""
    from conftest import write_account

    account = (
        "id: t\nname: T\nowner: a.b\nreviewed: 2026-10-01\nposition: 4\nvalue: 4\n"
        "team:\n  - {person: a.b, roles: [relationship-lead, entrepreneur, innovator, "
        "collaborator, technical-expert, project-manager]}\n"
    )
    write_account(tmp_path, "t", {"account.yaml": account})
    (tmp_path / ".git").mkdir()

    def kam116(*lang: str) -> str:
        out = kam(tmp_path, *lang, "check", "--format", "json", "--fail-on", "info")
        return next(f["message"] for f in out.json()["findings"] if f["code"] == "KAM116")

    assert kam116().endswith("missing: researcher, sceptic")
    assert kam116("--lang", "zh-CN").endswith("缺少：研究者（researcher）、质疑者（sceptic）")


def test_init_writes_its_placeholder_person_in_the_output_language(kam, tmp_path):
    """`kam init` in a zh-CN repository wrote `name: First Contact`, and every finding
    on the placeholder read "决策者 First Contact ..." until it was replaced."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "kam.yaml").write_text("language: zh-CN\n", encoding="utf-8")
    assert kam(tmp_path, "init", "dx", "--owner", "chen.jie").exit_code == 0
    people = (tmp_path / "accounts" / "dx" / "stakeholders.yaml").read_text(encoding="utf-8")
    assert "    name: 首位联系人\n" in people, people
    assert "First Contact" not in kam(tmp_path, "check", "dx").stdout


def test_an_id_in_full_width_latin_letters_is_given_its_ascii_form(kam, tmp_path):
    """`kam init ｐｅｎｇｃｈｅｎｇ` (an input method's full-width letters) was told that ids are
    written in latin letters such as pinyin: huaxin, though it was pinyin already."""
    (tmp_path / ".git").mkdir()
    out = kam(tmp_path, "init", "ｐｅｎｇｃｈｅｎｇ")
    assert out.exit_code == 2
    assert "(did you mean 'pengcheng'?)" in out.stderr, out.stderr
    wide = kam(tmp_path, "init", "鹏城电力")
    assert "such as pinyin" in wide.stderr, wide.stderr


def test_a_currency_written_by_its_chinese_name_is_given_its_code(kam, tmp_path):
    """`currency: 人民币` was told only that a code goes there: the code is named."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "kam.yaml").write_text("currency: 人民币\n", encoding="utf-8")
    out = kam(tmp_path, "validate")
    assert out.exit_code == 2
    assert "got '人民币' (did you mean 'CNY'?)" in out.stdout + out.stderr, out.stdout
