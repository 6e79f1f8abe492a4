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
    assert "与郑丽（zheng.li）、冯涛（feng.tao）的拜访（我方人员：zhou.min）" in r.stdout, r.stdout

    r = kam(repo, "diff", env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.stderr
    assert "拜访，与郑丽、冯涛（我方人员：zhou.min）" in r.stdout, r.stdout  # the kind in Chinese
    assert " （" not in r.stdout, r.stdout
    assert "已解决 KAM204" in r.stdout

    r = kam(repo, "portfolio", env={"COLUMNS": "80"})
    assert "S 战略客户（重点）" in r.stdout, r.stdout

    r = kam(repo, "map", "huaxin", "--no-color")
    assert r.stdout.startswith("华信重工机械股份有限公司（huaxin）\n"), r.stdout
    assert "孙艳，泵车事业部总经理 [D] 支持度 -2（支持远航智造）" in r.stdout, r.stdout
    assert "D 决策者、S 支持者" in r.stdout  # the legend's list
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


#: the control characters kam refuses in a value, raw or made by an escape (KAM001): a
#: writer's re-reading of its edit refuses them, so nothing holding one is written
_CONTROLS = "".join(map(chr, (*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))))


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(
        st.characters(codec="utf-8", exclude_characters=_CONTROLS), min_size=1, max_size=30
    )
)
def test_every_text_reads_back_as_written(text):
    """The one YAML text writer (log, import, init): whatever it writes, plain or quoted,
    in a block or inside [...] and {...}, reads back as that very text (but a control
    character, which kam refuses where it is written)."""
    for flow in (False, True):
        written = yaml_text(text, flow=flow)
        doc = f"k: [{written}]\n" if flow else f"k: {written}\n"
        data = parse(doc).data
        assert data == {"k": [text] if flow else text}, (text, written)


TARGETS = """\
period: 2027
actions:
  - id: zheng-li-intro
    text: 通过冯涛安排与郑丽总的首次会面，介绍起重机行业数字化案例
    owner: zhou.min
    due: 2026-11-27
    status: planned
    stakeholder: zheng.li
"""


def test_agenda_breaks_chinese_between_characters_at_80_columns(kam, tmp_path):
    """At 80 columns the agenda's cells broke only at spaces, as rich breaks English:
    "联系" alone on a line above "李国强（huaxin）", a count away from its unit ("已 65" /
    "天（stakeholders.yaml:10），超过..."), a line ending in "-m" and the quoted text on
    the next. Chinese breaks between characters; a number keeps its unit, an opening
    quote the text it opens."""
    repo = team_repo(tmp_path)
    (repo / "accounts" / "huaxin" / "targets.yaml").write_bytes(windows(TARGETS))
    r = kam(repo, "agenda", "--no-color", env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    cells = [part.strip() for line in lines for part in line.split("│")[1:-1]]
    assert "联系" not in cells, r.stdout
    assert not any(c.startswith(("天", "后")) for c in cells), r.stdout
    assert not any(c.endswith(("-m", " '")) for c in cells), r.stdout
    # a command too long for its line goes on with a shell's continuation (" \\"), its
    # quoted text whole on the next line (pasted, a line break inside the quotes would
    # have gone into the log)
    wide = [line.split("│")[-2].strip() for line in lines if line.count("│") == 3]
    going_on = [prev.endswith(" \\") for prev in ["", *wide[:-1]]]
    assert not any(
        c.startswith(("'", "，", "）")) and not cont for c, cont in zip(wide, going_on, strict=True)
    ), r.stdout
    assert "'通过冯涛安排与郑丽总的首次会面，介绍起重机行业数字化案例'" in wide, r.stdout
    assert any(c.startswith("决策者：距最近一次接触已 65 天") for c in cells), r.stdout


def test_a_file_saved_as_gbk_is_named_so(kam, tmp_path):
    """Notepad's "ANSI" on a Chinese Windows is GBK: a file saved so by mistake was "not
    valid UTF-8 (byte 0xbe): save the file as UTF-8", which a manager who never chose
    an encoding cannot act on. It is said to read as GBK (the judgement kam import makes
    of a CRM export); bytes no legacy code page reads plausibly keep the plain message."""
    repo = team_repo(tmp_path)
    path = repo / "accounts" / "huaxin" / "targets.yaml"
    path.write_bytes(TARGETS.replace("\n", "\r\n").encode("gbk"))
    r = kam(repo, "validate", env={"COLUMNS": "200"})
    assert r.exit_code == 1
    # (GBK's 通 is CD A8, which UTF-8 reads as one character: the next byte is the bad one)
    assert "targets.yaml:4:12: KAM001 不是有效的 UTF-8（字节 0xb9）：文件看起来是按 GBK" in r.stdout
    assert "请另存为 UTF-8" in r.stdout, r.stdout
    r = kam(repo, "validate", "--lang", "en", env={"COLUMNS": "200"})
    assert 'the file reads as GBK (what Windows calls "ANSI"): save it as UTF-8' in r.stdout
    path.write_bytes(b"period: 2027\nnotes: \xff\xfe\xfd\n")
    r = kam(repo, "validate", "--lang", "en", env={"COLUMNS": "200"})
    assert "not valid UTF-8 (byte 0xff): save the file as UTF-8" in r.stdout, r.stdout


def test_the_input_methods_full_width_space_is_named(kam, tmp_path):
    """A Chinese input method in full-width mode types U+3000 for a space. On an empty
    line between two people, libyaml took it for text and stopped three lines on ("扫描
    简单键时：找不到应有的 ':'", at a line with nothing wrong); after a name it made the
    name '邓海　', which `kam log ... 邓海` could not find ("did you mean 'deng.hai'?")."""
    repo = team_repo(tmp_path)
    path = repo / "accounts" / "huaxin" / "stakeholders.yaml"
    people = PEOPLE.replace("  - id: sun.yan\n", "\u3000\u3000\n  - id: sun.yan\n")
    path.write_bytes(windows(people, bom=True))
    r = kam(repo, "validate", env={"COLUMNS": "200"})
    assert r.exit_code == 1
    assert "stakeholders.yaml:11:1: KAM001 行首有随粘贴带入的全角空格（U+3000）" in r.stdout, (
        r.stdout
    )
    r = kam(repo, "validate", "--lang", "en", env={"COLUMNS": "200"})
    assert "11:1: KAM001 a full-width space (U+3000) at the start of the line" in r.stdout

    path.write_bytes(windows(PEOPLE.replace("name: 孙艳\n", "name: 孙艳\u3000\n"), bom=True))
    assert kam(repo, "validate").exit_code == 0
    r = kam(repo, "log", "huaxin", "孙艳", "-m", "电话沟通")
    assert r.exit_code == 0, r.stderr
    assert "with: [sun.yan]" in (path.parent / "log.yaml").read_text(encoding="utf-8")


def test_names_are_shown_without_the_spaces_at_their_ends(kam, tmp_path):
    """Trial defect: `name: 孙艳　` (the input method's full-width space after it) and
    `name: " Feng Tao "` were shown with those spaces in every output ("孙艳　（sun.yan）",
    "│  Feng Tao  (feng.tao)"). Names are read without them (models.Name), once for every
    command; the findings stay at the same lines and columns."""
    repo = team_repo(tmp_path)
    folder = repo / "accounts" / "huaxin"
    spaced_people = PEOPLE.replace("name: 孙艳\n", "name: 孙艳\u3000\n").replace(
        "name: 冯涛\n", 'name: " Feng Tao  "\n'
    )
    plain_people = PEOPLE.replace("name: 冯涛\n", "name: Feng Tao\n")
    spaced_account = ACCOUNT.replace(
        "name: 华信重工机械股份有限公司", "name: 华信重工机械股份有限公司\u3000"
    )

    def outputs() -> dict[str, str]:
        got = {}
        for name, args in {
            "check": ["check", "--format", "json", "--fail-on", "info"],
            "check-text": ["check", "--fail-on", "info"],
            "grade": ["grade", "--format", "json"],
            "grade-table": ["grade", "huaxin"],
            "stale": ["stale"],
            "agenda": ["agenda", "--format", "json"],
            "map": ["map", "huaxin"],
            "plan": ["plan", "huaxin"],
        }.items():
            for lang in ("zh-CN", "en"):
                r = kam(repo, "--lang", lang, *args, env={"COLUMNS": "200"})
                assert r.exit_code in (0, 1), r.stderr
                got[f"{name}-{lang}"] = r.stdout + r.stderr
        return got

    (folder / "account.yaml").write_bytes(windows(spaced_account, bom=True))
    (folder / "stakeholders.yaml").write_bytes(windows(spaced_people, bom=True))
    spaced = outputs()
    for name, text in spaced.items():
        assert "\u3000" not in text, (name, text)
    assert "孙艳（sun.yan）" in spaced["check-text-zh-CN"], spaced["check-text-zh-CN"]
    grade = kam(repo, "grade", "--format", "json").json()["accounts"][0]
    assert grade["name"] == "华信重工机械股份有限公司"
    # the same files without those spaces: the same outputs, findings at the same places
    (folder / "account.yaml").write_bytes(windows(ACCOUNT, bom=True))
    (folder / "stakeholders.yaml").write_bytes(windows(plain_people, bom=True))
    plain = outputs()
    assert spaced == plain


def test_lists_in_chinese_output_use_full_width_punctuation(kam, tmp_path):
    """Trial defect: the plan's score table said "李国强 (+1), 孙艳 (-2)" and the
    portfolio "重点级别（S, A）", ASCII brackets and commas in Chinese sentences. Lists
    are joined with the output language's separator (_(", ")) and notes put in its
    brackets (i18n.aside), in every output that shows them."""
    repo = team_repo(tmp_path)
    dms = "李国强（+1）、孙艳（-2）、郑丽（?）的平均支持度"
    plan = kam(repo, "plan", "huaxin").stdout
    (row,) = [line for line in plan.splitlines() if line.startswith("| 决策者 |")]
    assert row.endswith(f"| {dms} |"), row
    score_table = plan[plan.index("| 评分项 |") :].split("\n\n")[0]
    assert ", " not in score_table and " (" not in score_table, score_table
    explain = kam(repo, "grade", "huaxin", env={"COLUMNS": "200"}).stdout
    assert dms in explain, explain
    portfolio = kam(repo, "portfolio").stdout
    assert "重点级别（S、A）" in portfolio, portfolio
    english = kam(repo, "--lang", "en", "plan", "huaxin").stdout
    assert "mean support of 李国强 (+1), 孙艳 (-2), 郑丽 (?)" in english
