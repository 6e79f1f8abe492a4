"""A key account manager and her sales director in China keep their accounts on Windows:
CRLF line endings, a UTF-8 byte-order mark on some files, Chinese names and free text,
`git config core.autocrlf true`, LANG=zh_CN.UTF-8 and an 80-column console. Defects
found running the weekly loop there (validate, check, log, agenda, touch, map, diff,
portfolio) on such files."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gitrepo import commit, git, new_repo
from kamtool.load.yamlread import parse
from kamtool.write.guard import yaml_text

BOM = b"\xef\xbb\xbf"

ACCOUNT = """\
# 客户概况
id: huaxin
name: 华信重工机械股份有限公司
owner: zhou.min
stage: stabilize
reviewed: 2026-10-15
position: 5
value: 4
facts:
  revenue: 128000000
  currency: CNY
competitors:
  - {name: 远航智造}
"""

PEOPLE = """\
# 干系人（周敏维护）
stakeholders:
  - id: li.guoqiang
    name: 李国强
    title: 董事长
    roles: [D]
    attitude: 1
    intimacy: 0
    owner: zhou.min
    last_contact: 2026-09-20
  - id: sun.yan
    name: 孙艳
    title: 泵车事业部总经理
    reports_to: li.guoqiang
    roles: [D]
    attitude: -2
    intimacy: -1
    owner: zhou.min
    competitor: 远航智造
    last_contact: 2026-11-15
  - id: feng.tao
    name: 冯涛
    title: 起重机事业部IT经理
    reports_to: li.guoqiang
    roles: [E, C]
    attitude: 3
    intimacy: 2
    owner: zhou.min
    last_contact: 2026-11-20
  - id: zheng.li
    name: 郑丽
    title: 起重机事业部总经理
    reports_to: li.guoqiang
    roles: [D]
    attitude: "?"
    intimacy: "?"
    owner: zhou.min
"""


def windows(text: str, bom: bool = False) -> bytes:
    """The text as a Windows editor saves it: CRLF, and a byte-order mark when asked."""
    return (BOM if bom else b"") + text.replace("\n", "\r\n").encode("utf-8")


def team_repo(root: Path) -> Path:
    """A repository with core.autocrlf true and one account in Windows files, committed."""
    repo = new_repo(root / "team")
    git(repo, "config", "core.autocrlf", "true")
    (repo / "kam.yaml").write_bytes(windows("language: zh-CN\n"))
    folder = repo / "accounts" / "huaxin"
    folder.mkdir(parents=True)
    (folder / "account.yaml").write_bytes(windows(ACCOUNT, bom=True))
    (folder / "stakeholders.yaml").write_bytes(windows(PEOPLE, bom=True))
    commit(repo, "华信重工", date="2026-11-20")
    return repo


def test_no_stray_space_beside_full_width_brackets(kam, tmp_path):
    """Chinese output put a space between a full-width bracket and the next word, where
    the English text has one: "与 郑丽（zheng.li） 的拜访" (kam log), "需要 2 个独立渠道
    （警告）" (kam diff, while kam check wrote "渠道（警告）"), "S 战略客户 （重点）" (kam
    portfolio), "支持度 -2 (支持 远航智造)" in ASCII brackets (kam map)."""
    repo = team_repo(tmp_path)
    r = kam(repo, "log", "huaxin", "郑丽", "冯涛", "--kind", "visit", "-m", "首次拜访")
    assert r.exit_code == 0, r.stderr
    assert "与 郑丽（zheng.li），冯涛（feng.tao）的拜访（记录人 zhou.min）" in r.stdout, r.stdout

    r = kam(repo, "diff", env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.stderr
    assert "拜访，与 郑丽，冯涛（由 zhou.min）" in r.stdout, r.stdout  # the kind in Chinese
    assert " （" not in r.stdout, r.stdout
    assert "已解决 KAM204" in r.stdout

    r = kam(repo, "portfolio", env={"COLUMNS": "80"})
    assert "S 战略客户（重点）" in r.stdout, r.stdout

    r = kam(repo, "map", "huaxin", "--no-color")
    assert r.stdout.startswith("华信重工机械股份有限公司（huaxin）\n"), r.stdout
    assert "孙艳，泵车事业部总经理 [D] 支持度 -2（支持 远航智造）" in r.stdout, r.stdout
    assert "D 决策者，S 支持者" in r.stdout  # the legend's list
    r = kam(repo, "map", "huaxin", "--no-color", "--lang", "en")
    assert "孙艳, 泵车事业部总经理 [D] attitude -2 (backs 远航智造)" in r.stdout, r.stdout


def test_quadrant_title_keeps_its_separator(kam, tmp_path):
    """The quadrant chart's title lost its colon ("Intimacy and support Acme"; in Chinese
    "亲密度与支持度 华信重工..."): the title went through the filter meant for point
    labels. Mermaid reads a title to the end of its line."""
    repo = team_repo(tmp_path)
    zh = kam(repo, "map", "huaxin", "--quadrant").stdout
    assert "    title 亲密度与支持度：华信重工机械股份有限公司\n" in zh, zh
    assert "未标注（支持度或亲密度未知）：郑丽。" in zh
    en = kam(repo, "map", "huaxin", "--quadrant", "--lang", "en").stdout
    assert "    title Intimacy and support: 华信重工机械股份有限公司\n" in en, en


LOG = """\
# 联系记录
entries:
  - date: 2026-11-20
    with: [feng.tao]
    by: [zhou.min]
    kind: call
    summary: 冯涛：郑丽总下月有空
"""


def test_log_writes_chinese_free_text_as_typed_into_a_windows_file(kam, tmp_path):
    """kam log quoted every Chinese summary (`summary: "首次拜访：..."`): only a few ASCII
    characters counted as safe, so full-width punctuation, which every Chinese sentence
    has, was quoted too, unlike the entries typed by hand above it. The file's byte
    order mark, CRLF line ends and comments stay."""
    repo = team_repo(tmp_path)
    path = repo / "accounts" / "huaxin" / "log.yaml"
    old = windows(LOG, bom=True)
    path.write_bytes(old)
    summary = "王总：预算已批，下周三（12月9日）开评审会；注意：德科也在跟进"
    r = kam(
        repo, "log", "huaxin", "李国强", "--kind", "call", "-m", summary, "--next", "发 ROI, 报价"
    )
    assert r.exit_code == 0, r.stderr
    new = path.read_bytes()
    assert new.startswith(old)
    added = new[len(old) :].decode("utf-8")
    assert added == (
        "  - date: 2026-11-24\r\n"
        "    with: [li.guoqiang]\r\n"
        "    by: [zhou.min]\r\n"
        "    kind: call\r\n"
        f"    summary: {summary}\r\n"
        "    next: 发 ROI, 报价\r\n"
    ), added
    # what YAML would read otherwise is still quoted
    for text, written in (
        ("2026-12-01", '"2026-12-01"'),
        ("#1 叶青说：总裁下周有空", '"#1 叶青说：总裁下周有空"'),
        ("备注: 明年再议", '"备注: 明年再议"'),
        ("　全角空格开头", '"　全角空格开头"'),
    ):
        r = kam(repo, "log", "huaxin", "li.guoqiang", "-m", text)
        assert r.exit_code == 0, r.stderr
        assert path.read_bytes().endswith(f"    summary: {written}\r\n".encode()), text
    assert kam(repo, "validate").exit_code == 0


@settings(max_examples=400, deadline=None)
@given(text=st.text(min_size=1, max_size=30))
def test_every_text_reads_back_as_written(text):
    """The one YAML text writer (log, import, init): whatever it writes, plain or quoted,
    in a block or inside [...] and {...}, reads back as that very text."""
    for flow in (False, True):
        written = yaml_text(text, flow=flow)
        doc = f"k: [{written}]\n" if flow else f"k: {written}\n"
        data = parse(doc).data
        assert data == {"k": [text] if flow else text}, (text, written)
