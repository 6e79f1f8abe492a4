"""Defects found running the weekly loop (log, touch, agenda, check, stale, plan, map) as a
key account manager in Shenzhen who works in Chinese: Chinese names, pinyin ids, and the
slips a Chinese input method makes (full-width colon and comma)."""

from __future__ import annotations

import pytest

from conftest import dedent, write_account
from test_i18n import _allowed_words, _no_english

ACCOUNT = """\
id: pengcheng-power
name: 鹏城电力集团有限公司
owner: chen.jing
reviewed: 2026-09-15
position: 5
value: 4
competitors:
  - {name: 华讯科技}
needs:
  - {kind: individual, text: 希望项目成为个人政绩, stakeholder: liu.jianguo}
footprint:
  - {unit: shuzihua, offering: cloud, status: open, competitor: 云帆数据}
"""

ORG = """\
units:
  - {id: jituan, name: 集团总部}
  - {id: shuzihua, name: 数字化部, parent: jituan, buying_center: true}
  - {id: shuzihua, name: 数字化部（重复）, parent: jituan}
  - {id: diaodu, name: 调度中心, parent: zongbu}
"""

PEOPLE = """\
stakeholders:
  - id: chen.haifeng
    name: 陈海峰
    title: 副总经理
    unit: shuzihua
    roles: [D]
    attitude: 2
    owner: chen.jing
    backup: he.li
    sponsor: lin.feng
    channels: [拜访, 微信]
    last_contact: 2026-11-10
    reviewed: 2026-11-10
  - id: zhang.lei
    name: 张磊
    unit: xinxi
    reports_to: chen.haifang
    influences: [chen.haifeng, huang.hong]
    competitor: 云帆数据
    attitude: 1
"""

TARGETS = """\
relationship_goals:
  - {stakeholder: lin.xuemei, attitude: 2, by: 2027-03-31, owner: he.li}
actions:
  - {id: a1, text: 高层会晤, owner: chen.jing, due: 2027-01-05, status: planned, stakeholder: zheng.jie, target: diaodu-yun}
"""

LOG = """\
entries:
  - {date: 2026-11-10, with: [chen.haifeng, wang.wei], by: [chen.jing]}
"""


def _repo(tmp_path, files):
    (tmp_path / ".git").mkdir()
    (tmp_path / "kam.yaml").write_text(
        "language: zh-CN\nofferings:\n  - {id: iot, name: 物联网终端}\n", encoding="utf-8"
    )
    write_account(tmp_path, "pengcheng-power", files)
    return tmp_path


def test_broken_references_are_told_in_chinese(kam, tmp_path):
    """Every KAM003 message was English in a Chinese run ("stakeholder 'liu.jianguo' does
    not exist"), and KAM004 named the kind of id in English ("unit id 'x' 重复")."""
    repo = _repo(
        tmp_path,
        {
            "account.yaml": ACCOUNT,
            "org.yaml": ORG,
            "stakeholders.yaml": PEOPLE,
            "targets.yaml": TARGETS,
            "log.yaml": LOG,
        },
    )
    r = kam(repo, "check", "--format", "json")
    assert r.exit_code == 1
    messages = {(f["code"], f["message"], f["hint"]) for f in r.json()["findings"]}
    said = [m for code, m, _h in messages if code in ("KAM003", "KAM004")]
    for expected in (
        "干系人“liu.jianguo”不存在",
        "部门“xinxi”不存在：org.yaml 中没有这个部门",
        "汇报对象 reports_to “chen.haifang”：没有这个编号的干系人",
        "influences 中的“huang.hong”：没有这个编号的干系人",
        "竞争对手“云帆数据”不在 account.yaml 的 competitors 中（已列出：华讯科技）",
        "上级部门“zongbu”：没有这个编号的部门",
        "业务覆盖中的产品“cloud”不是我方产品：kam.yaml 的 offerings 中没有它",
        "关系目标的对象“lin.xuemei”：没有这个编号的干系人",
        "行动的对象“zheng.jie”不存在",
        "行动的目标“diaodu-yun”：没有这个编号的目标",
        "日志记录的参与人“wang.wei”：没有这个编号的干系人",
        "部门 id “shuzihua”重复（首次出现在第 3 行）",
    ):
        assert expected in said, (expected, said)
    hints = {h for code, _m, h in messages if code == "KAM003"}
    assert "把它加到 account.yaml 的 `competitors` 中" in hints
    assert "您是指“chen.haifeng”吗？" in hints
    text = " ".join(m + " " + h for _c, m, h in messages if _c in ("KAM003", "KAM004"))
    data = [*(repo / "accounts" / "pengcheng-power").glob("*.yaml"), repo / "kam.yaml"]
    assert _no_english(text, _allowed_words(data)) == [], text
    # English stays as it was
    en = kam(repo, "check", "--format", "json", "--lang", "en").json()["findings"]
    assert "stakeholder 'liu.jianguo' does not exist" in {f["message"] for f in en}
    assert "footprint unit" not in " ".join(f["message"] for f in en)  # the unit exists


def test_no_org_yaml_is_said_in_chinese(kam, tmp_path):
    repo = _repo(tmp_path, {"stakeholders.yaml": PEOPLE})
    r = kam(repo, "validate", "--format", "json")
    messages = [f["message"] for f in r.json()["findings"]]
    assert "部门“xinxi”不存在：没有 org.yaml" in messages, messages


@pytest.mark.parametrize(
    "line, lang, said",
    [
        ("    attitude：2\n", "zh-CN", "attitude 后面是全角冒号“：”：YAML 需要半角冒号加一个空格"),
        ("    attitude：2\n", "en", "a full-width colon '：' after attitude: YAML needs an ASCII"),
        ("    last_contact： 2026-11-10\n", "zh-CN", "last_contact 后面是全角冒号"),
    ],
)
def test_full_width_colon_is_named_at_its_line(kam, tmp_path, line, lang, said):
    """`attitude：2` typed with a Chinese input method was "while scanning a simple key:
    could not find expected ':'" on the NEXT line; it is named at its own line."""
    people = dedent(
        """
        stakeholders:
          - id: chen.haifeng
            name: 陈海峰
            roles: [D]
        """
    )
    text = people + line + "    owner: chen.jing\n"
    repo = _repo(tmp_path, {"stakeholders.yaml": text})
    r = kam(repo, "check", "--format", "json", "--lang", lang)
    assert r.exit_code == 1
    (f,) = [f for f in r.json()["findings"] if f["code"] == "KAM001"]
    assert said in f["message"], f["message"]
    assert f["line"] == 5
    assert f["column"] == line.index("：") + 1


def test_full_width_colon_as_last_line_and_in_kam_yaml(kam, tmp_path):
    repo = _repo(tmp_path, {})
    folder = repo / "accounts" / "pengcheng-power"
    text = (folder / "stakeholders.yaml").read_text(encoding="utf-8") + "    notes：老客户\n"
    (folder / "stakeholders.yaml").write_text(text, encoding="utf-8")
    r = kam(repo, "validate", "--format", "json")
    (f,) = r.json()["findings"]
    assert "notes 后面是全角冒号" in f["message"] and f["line"] == text.count("\n")
    # kam.yaml is read the same way: a usage error naming the slip
    (repo / "kam.yaml").write_text("language: zh-CN\nfocus_tiers：[S]\n", encoding="utf-8")
    r = kam(repo, "check")
    assert r.exit_code == 2
    assert "focus_tiers 后面是全角冒号" in r.stdout + r.stderr


def test_a_colon_inside_a_value_is_no_slip(kam, tmp_path):
    """A full-width colon inside a title is Chinese text, and an unrelated syntax error
    near it is not blamed on it."""
    people = dedent(
        """
        stakeholders:
          - id: chen.haifeng
            name: 陈海峰
            title: 副总经理：分管数字化
            attitude: 2
        """
    )
    repo = _repo(tmp_path, {"stakeholders.yaml": people})
    assert kam(repo, "validate").exit_code == 0
    (repo / "accounts" / "pengcheng-power" / "stakeholders.yaml").write_text(
        people + "    roles: [D\n", encoding="utf-8"
    )
    r = kam(repo, "validate", "--format", "json")
    (f,) = r.json()["findings"]
    assert "全角" not in f["message"]


@pytest.mark.parametrize(
    "line, said",
    [
        ("    roles: [D，E]\n", "未知的角色“D，E”"),
        # a reference is any text to the schema: KAM003 says it names no one, and its
        # hint what the full-width comma did
        (
            "    influences: [zhang.lei、chen.haifeng]\n",
            "influences 中的“zhang.lei、chen.haifeng”",
        ),
        ("    roles: [D]\n    reports_to: zhang.lei，\n", "没有这个编号的干系人"),
    ],
)
def test_full_width_comma_in_a_list_is_named(kam, tmp_path, line, said):
    """`roles: [D，E]` reads as ONE item 'D，E': the message says the comma is full-width."""
    people = dedent(
        """
        stakeholders:
          - id: chen.haifeng
            name: 陈海峰
            attitude: 2
        """
    )
    text = people + line + "  - {id: zhang.lei, name: 张磊, attitude: 1}\n"
    repo = _repo(tmp_path, {"stakeholders.yaml": text})
    r = kam(repo, "validate", "--format", "json")
    assert r.exit_code == 1
    messages = [f"{f['message']} {f['hint']}" for f in r.json()["findings"]]
    assert any(said in m and "是全角字符：YAML 列表项之间要用半角逗号" in m for m in messages), (
        messages
    )


def test_full_width_comma_in_a_reference_is_the_hint(kam, tmp_path):
    """A person backing "华讯科技，云帆数据" (two competitors typed as one name) gets the
    full-width hint, not KAM003's generic one."""
    account = "id: pengcheng-power\nname: 鹏城电力\nowner: chen.jing\nreviewed: 2026-09-15\n"
    account += "position: 5\nvalue: 4\ncompetitors: [{name: 华讯科技}, {name: 云帆数据}]\n"
    people = SPONSORED + "    competitor: 华讯科技，云帆数据\n"
    repo = _repo(tmp_path, {"account.yaml": account, "stakeholders.yaml": people})
    r = kam(repo, "validate", "--format", "json", "--lang", "en")
    (f,) = r.json()["findings"]
    assert f["code"] == "KAM003"
    assert f["hint"].startswith("'，' is a full-width character"), f["hint"]


SPONSORED = """\
stakeholders:
  - id: chen.haifeng
    name: 陈海峰
    roles: [D]
    attitude: 2
    intimacy: 2
    owner: chen.jing
    backup: he.li
    sponsor: lin.feng
    channels: [拜访, 微信]
    last_contact: 2026-11-20
    reviewed: 2026-11-20
"""


def test_executive_sponsor_is_not_the_sponsor_role_in_chinese(kam, tmp_path):
    """`kam stale` showed the field of a KAM205 row as the English word 'sponsor' among
    Chinese ones, and the calendar filed sponsor touches under 支持者 (the power-map role S,
    "sponsor/user"): both are the executive sponsor, 高层赞助人. The KAM205 hint said
    `--by SPONSOR` where it knows the sponsor."""
    icalendar = pytest.importorskip("icalendar")
    repo = _repo(tmp_path, {"stakeholders.yaml": SPONSORED})
    # wide enough for each name and its id on one line (kam stale names people by both)
    r = kam(repo, "stale", "--no-color", env={"COLUMNS": "300"})
    row = next(line for line in r.stdout.splitlines() if "chen.haifeng" in line)
    assert "高层赞助人" in row and "sponsor" not in row, row
    r = kam(repo, "check", "--no-color", env={"COLUMNS": "300"})
    assert "--kind executive-meeting --by lin.feng`" in r.stdout, r.stdout
    assert "SPONSOR" not in r.stdout
    r = kam(repo, "agenda", "--format", "ics")
    cal = icalendar.Calendar.from_ical(r.stdout.encode("utf-8"))
    (event,) = [e for e in cal.walk("VEVENT") if "lin.feng" in str(e["SUMMARY"])]
    assert [str(c) for c in event["CATEGORIES"].cats] == ["高层赞助人"]
    en = kam(repo, "agenda", "--format", "ics", "--lang", "en")
    cal = icalendar.Calendar.from_ical(en.stdout.encode("utf-8"))
    (event,) = [e for e in cal.walk("VEVENT") if "lin.feng" in str(e["SUMMARY"])]
    assert [str(c) for c in event["CATEGORIES"].cats] == ["sponsor"]


def test_an_account_named_by_its_customer_name_gets_its_id(kam, tmp_path):
    """`kam log 鹏城电力集团有限公司 ...` (the customer's name where the folder id goes) was
    "no account ... (accounts: a, b, c)": the id whose account.yaml has that name, or a
    name containing what was typed, is suggested. Nothing is written."""
    repo = _repo(tmp_path, {"account.yaml": ACCOUNT.split("competitors:")[0]})
    write_account(repo, "haixing-pharma")
    for typed in ("鹏城电力集团有限公司", "鹏城电力"):
        r = kam(repo, "log", typed, "boss", "-m", "拜访")
        assert r.exit_code == 1
        assert f"没有客户“{typed}”；您是指“pengcheng-power”吗？" in r.stderr, r.stderr
    assert not (repo / "accounts" / "pengcheng-power" / "log.yaml").exists()
    r = kam(repo, "plan", "Acme haixing-pharma", "--lang", "en")  # the other one's name
    assert "did you mean 'haixing-pharma'?" in r.stderr, r.stderr
    # a word in no account's name: the listing, as before
    r = kam(repo, "check", "深圳")
    assert r.exit_code == 1 and "（客户：haixing-pharma、pengcheng-power）" in r.stderr


def test_refreshing_the_weekly_calendar_names_force(kam, tmp_path):
    """Exporting the agenda to the same .ics every week was refused with "已存在：未覆盖"
    and no word of how to replace it; the refusal names --force, which replaces it."""
    repo = _repo(tmp_path, {"stakeholders.yaml": SPONSORED})
    assert kam(repo, "agenda", "--format", "ics", "-o", "week.ics").exit_code == 0
    r = kam(repo, "agenda", "--format", "ics", "-o", "week.ics")
    assert r.exit_code == 1
    assert "week.ics 已存在：未覆盖（加上 --force 可替换它）" in r.stderr, r.stderr
    assert kam(repo, "agenda", "--format", "ics", "-o", "week.ics", "--force").exit_code == 0
    # kam init has no --force: its refusal does not offer one
    r = kam(repo, "init", "pengcheng-power")
    assert r.exit_code == 1 and "--force" not in r.stderr, r.stderr


def test_agenda_says_the_person_of_an_open_action_has_left(kam, tmp_path):
    """An open action for someone who left (梁晓燕 went to a competitor) was listed as an
    ordinary to-do whose record step was "set status: done": it says they left, and to
    close it (done or dropped) or give it to the successor, as KAM115 advises."""
    people = SPONSORED + "  - {id: liang.xiaoyan, name: 梁晓燕, attitude: 1, left_on: 2026-10-15}\n"
    targets = dedent(
        """
        actions:
          - id: h2
            text: 与梁晓燕确认采购流程
            owner: he.li
            due: 2026-11-28
            status: planned
            stakeholder: liang.xiaoyan
        """
    )
    repo = _repo(tmp_path, {"stakeholders.yaml": people, "targets.yaml": targets})
    r = kam(repo, "agenda", "--owner", "he.li", "--format", "markdown")
    assert r.exit_code == 0, r.stderr
    (line,) = [ln for ln in r.stdout.splitlines() if "h2" in ln]
    assert "行动 h2 为计划中，2026-11-28 到期；梁晓燕已于 2026-10-15 离开" in line, line
    assert "targets.yaml:6 关闭它：状态设为 done 或 dropped，或把 stakeholder 改为接任者" in line
    assert "kam log" not in line


def test_log_by_a_slip_of_a_known_handle_is_noted(kam, tmp_path):
    """`kam log ... --by chen.jin` (for chen.jing) was written without a word: the slip
    became a handle nobody else has (the sponsor's meeting unseen by KAM205, and
    `kam agenda --owner chen.jin` then accepted). It is still written (a new colleague may
    join a meeting) but noted, on stderr, with the handle it nearly is."""
    repo = _repo(tmp_path, {"stakeholders.yaml": SPONSORED})
    r = kam(repo, "log", "pengcheng-power", "陈海峰", "--by", "chen.jin", "--by", "lin.feng")
    assert r.exit_code == 0, r.stderr
    assert "by: [chen.jin, lin.feng]" in (
        repo / "accounts" / "pengcheng-power" / "log.yaml"
    ).read_text(encoding="utf-8")
    assert r.stderr.strip() == (
        "kam：提示：pengcheng-power 中别处没有“chen.jin”；您是指“chen.jing”吗？"
        "（已按输入记录：可在 accounts/pengcheng-power/log.yaml:4 修改）"
    ), r.stderr
    # a colleague the account has never named, like no one it names: no note
    r = kam(repo, "log", "pengcheng-power", "chen.haifeng", "--by", "zhou.tao", "-m", "技术交流")
    assert r.exit_code == 0 and r.stderr == "", r.stderr
    # and once logged, a handle is known: no note the second time
    r = kam(repo, "log", "pengcheng-power", "chen.haifeng", "--by", "chen.jin")
    assert r.exit_code == 0 and r.stderr == "", r.stderr


def test_agenda_thresholds_read_as_thresholds_in_chinese(kam, tmp_path):
    """ "距最近一次接触已 77 天，60 天后为错误" read as "an error 60 days from now" beside
    "5 天后到期" (due 5 days from now): the threshold is said as one, 超过 60 天即为错误."""
    people = SPONSORED.replace("last_contact: 2026-11-20", "last_contact: 2026-09-01")
    people += "  - {id: xu.yan, name: 徐艳, roles: [S], attitude: 1, owner: chen.jing, "
    people += "last_contact: 2026-10-27}\n"
    people += "  - {id: zhang.lei, name: 张磊, roles: [S], attitude: 1, owner: chen.jing, "
    people += "last_contact: 2026-10-10}\n"
    repo = _repo(tmp_path, {"stakeholders.yaml": people})
    r = kam(repo, "agenda", "--format", "markdown")
    text = r.stdout
    # the limit by its kam.yaml key, as kam check names it (a level kam.yaml may change)
    assert (
        "距最近一次接触已 84 天（stakeholders.yaml:11），超过 30 天的期限（warn\\_after）和 60 天的期限（error\\_after）"
        in text
    )
    assert (
        "距最近一次接触已 45 天（stakeholders.yaml:14），超过 30 天的期限（warn\\_after）" in text
    )
    assert (
        "距最近一次接触已 28 天（stakeholders.yaml:13），2 天后到期，即 30 天的期限（warn\\_after）"
        in text
    )
    assert "天后为错误" not in text and "天后警告" not in text


@pytest.mark.parametrize(
    "typed, said",
    [
        ("１", "实际为“１”（这是全角字符：请写成半角的 1）"),
        ("－２", "实际为“－２”（这是全角字符：请写成半角的 -2）"),
        ('"2"', "实际为“2”（这是文本：去掉引号，写成 2）"),  # as before
    ],
)
def test_full_width_digits_are_named(kam, tmp_path, typed, said):
    """`attitude: １` (a full-width digit) was told "这是文本：去掉引号，写成 １": there were
    no quotes, and １ is what was written."""
    people = SPONSORED.replace("attitude: 2", f"attitude: {typed}")
    repo = _repo(tmp_path, {"stakeholders.yaml": people})
    r = kam(repo, "validate", "--format", "json")
    (f,) = r.json()["findings"]
    assert said in f["message"], f["message"]


def test_an_id_in_chinese_or_capitals_is_told_what_to_write(kam, tmp_path):
    """`id: 谢娜` and `kam init 鹏城电力` got only the rule (lowercase letters, digits...);
    a Chinese id is told that ids are latin letters (pinyin) and the name goes under
    `name` (`kam init`'s: in --name), and `kam init "PengCheng Power"` the id it most
    likely meant."""
    people = SPONSORED.replace("id: chen.haifeng", "id: 陈海峰")
    repo = _repo(tmp_path, {"stakeholders.yaml": people})
    (f,) = kam(repo, "validate", "--format", "json").json()["findings"]
    assert f["message"].endswith(
        "“陈海峰”不是有效的编号：请使用小写字母、数字、“.”、“_”和“-”，并以字母或数字开头"
        "（编号用拉丁字母书写，例如拼音 zhang.wei；中文姓名写在 name 下）"
    ), f["message"]
    r = kam(repo, "init", "鹏城电力")
    assert r.exit_code == 2 and "中文客户名称用 --name 给出" in r.stderr, r.stderr
    r = kam(repo, "init", "PengCheng Power", "--lang", "en")
    assert "(did you mean 'pengcheng-power'?)" in r.stderr, r.stderr
    assert not (repo / "accounts" / "PengCheng Power").exists()
    # a full-width comma is named as such, not as a Chinese id
    people = SPONSORED.replace("    attitude: 2\n", "    attitude: 2\n    reports_to: a，b\n")
    (repo / "accounts" / "pengcheng-power" / "stakeholders.yaml").write_text(people)
    (f,) = kam(repo, "validate", "--format", "json").json()["findings"]
    assert "全角字符" in f["hint"] and "拼音" not in f["message"] + f["hint"], f


def test_choices_are_listed_in_chinese_punctuation(kam, tmp_path):
    """ "必须是 'build', 'stabilize'或'strengthen' 之一": English commas around a Chinese 或;
    the choices are joined with 、 as a Chinese list is. English is unchanged."""
    account = ACCOUNT.split("competitors:")[0] + "stage: grow\n"
    repo = _repo(tmp_path, {"account.yaml": account})
    (f,) = kam(repo, "validate", "--format", "json").json()["findings"]
    assert "stage：必须是“build”、“stabilize”或“strengthen”之一；实际为“grow”" in f["message"]
    (f,) = kam(repo, "validate", "--format", "json", "--lang", "en").json()["findings"]
    assert "stage: must be one of 'build', 'stabilize' or 'strengthen'; got 'grow'" in f["message"]


def test_names_with_ids_in_full_width_brackets_in_log_and_agenda(kam, tmp_path):
    """`kam log` said "与 陈海峰 (chen.haifeng) 的会面" and the agenda table "联系 陈海峰
    (pengcheng-power)" while every other Chinese output writes name（id）."""
    repo = _repo(tmp_path, {"stakeholders.yaml": SPONSORED})
    r = kam(repo, "log", "pengcheng-power", "chen.haifeng", "-m", "拜访", "--date", "2026-09-01")
    assert "与陈海峰（chen.haifeng）的会面" in r.stdout, r.stdout
    # wide enough for the step on one line beside its 75-character command (at 120 the
    # table was 133 cells wide before the commands' column stopped overflowing)
    r = kam(repo, "agenda", "--no-color", env={"COLUMNS": "160"})
    assert "与陈海峰的高层会面（pengcheng-power）" in r.stdout, r.stdout
    r = kam(repo, "agenda", "--no-color", "--lang", "en", env={"COLUMNS": "160"})
    assert "陈海峰 (pengcheng-power)" in r.stdout, r.stdout


def test_a_name_two_people_share_is_suggested_as_the_name(kam, tmp_path):
    """Two people named 王伟: `kam log ... 王` suggested 'wang.wei2', one of them picked at
    random. The name is suggested; typed, it lists both ids."""
    people = SPONSORED + (
        "  - {id: wang.wei, name: 王伟, title: 采购, attitude: 1}\n"
        "  - {id: wang.wei2, name: 王伟, title: 财务, attitude: 0}\n"
    )
    repo = _repo(tmp_path, {"stakeholders.yaml": people})
    for typed in ("王", "王玮"):
        r = kam(repo, "log", "pengcheng-power", typed)
        assert r.exit_code == 1
        assert f"没有干系人“{typed}”；您是指“王伟”吗？" in r.stderr, r.stderr
    r = kam(repo, "log", "pengcheng-power", "王伟")
    assert "有 2 人名为“王伟”：wang.wei（采购）、wang.wei2（财务）；请使用 id" in r.stderr, r.stderr
    r = kam(repo, "--lang", "en", "log", "pengcheng-power", "王伟")
    assert "named '王伟' in pengcheng-power: wang.wei (采购), wang.wei2 (财务); use the id" in (
        r.stderr
    ), r.stderr
    # a name only one person has still suggests their id
    r = kam(repo, "log", "pengcheng-power", "陈海")
    assert "您是指“chen.haifeng”吗？" in r.stderr, r.stderr


def test_one_form_for_findings_in_check_grade_and_stderr(kam, tmp_path):
    """`kam check` wrote "(警告)" and "提示: " (English punctuation; and 提示 was also the
    word for the severity info, "（提示）\\n    提示：..."), while the same finding on stderr
    read "（警告）" and "提示："; `kam grade ID` had a third copy. One form now: severity in
    full-width brackets, the hint labelled 建议."""
    repo = _repo(tmp_path, {"stakeholders.yaml": SPONSORED})
    check = kam(repo, "check", "--no-color", "--fail-on", "info", env={"COLUMNS": "300"})
    grade = kam(repo, "grade", "pengcheng-power", "--no-color", env={"COLUMNS": "300"})
    kam205 = [ln for ln in check.stdout.splitlines() if "KAM205" in ln]
    assert kam205 and kam205[0].endswith("的会面（警告）"), kam205
    hint = "    建议：安排一次高层会面，然后用 `kam log pengcheng-power chen.haifeng"
    assert hint in check.stdout and hint in grade.stdout
    block = check.stdout[check.stdout.index(kam205[0]) :].split("\n")[:2]
    assert "\n".join(block) in grade.stdout
    # an info finding no longer reads 提示 twice
    info = [ln for ln in check.stdout.splitlines() if ln.endswith("（提示）")]
    assert info and "    提示：" not in check.stdout
    # the same finding on stderr, from an account that did not load
    (repo / "accounts" / "pengcheng-power" / "org.yaml").write_text("units: [\n")
    r = kam(repo, "agenda", env={"COLUMNS": "300"})
    assert "（错误）\n    建议：修正此处的 YAML" in r.stderr, r.stderr


def test_stage_is_named_in_chinese_in_kam114(kam, tmp_path):
    """KAM114 said "阶段为stabilize": the stage is shown in words, as the plan shows it."""
    account = ACCOUNT.split("competitors:")[0] + "stage: stabilize\n"
    people = SPONSORED + "    in_post_since: 2026-11-01\n"
    people += "  - {id: xu.min, name: 许敏, roles: [S], attitude: 1, in_post_since: 2026-10-01}\n"
    repo = _repo(tmp_path, {"account.yaml": account, "stakeholders.yaml": people})
    findings = kam(repo, "check", "--format", "json").json()["findings"]
    (f,) = [f for f in findings if f["code"] == "KAM114"]
    assert f["message"].startswith("阶段为“稳定”，但关键岗位已换人：陈海峰（chen.haifeng）"), f
    assert "；许敏（xu.min）" in f["message"] and f["message"].endswith("应回到“建立”阶段")
    en = kam(repo, "check", "--format", "json", "--lang", "en").json()["findings"]
    (f,) = [f for f in en if f["code"] == "KAM114"]
    assert f["message"].startswith("stage is stabilize but a key post changed:"), f


def test_touch_does_not_move_a_date_back(kam, tmp_path):
    """`kam touch ... --contact 2026-10-01` on someone last met 2026-11-20 set
    last_contact back to October without a word: the entry then said they were last met
    earlier than they were, and they showed up as stale. Refused (exit 1, nothing
    written), saying where an earlier contact goes (the log) and where to fix a wrong
    date. A date in the future (KAM206) may still be replaced: that is its fix."""
    repo = _repo(tmp_path, {"stakeholders.yaml": SPONSORED})
    path = repo / "accounts" / "pengcheng-power" / "stakeholders.yaml"
    before = path.read_bytes()
    r = kam(repo, "touch", "pengcheng-power", "陈海峰", "--contact", "2026-10-01")
    assert r.exit_code == 1
    assert (
        "陈海峰（chen.haifeng）：last_contact 已是 2026-11-20，晚于 2026-10-01：不会往回改；"
        "更早的接触请记入日志（kam log pengcheng-power chen.haifeng --date 2026-10-01），"
        "写错的日期请直接在 accounts/pengcheng-power/stakeholders.yaml:11 修改；未写入任何内容"
    ) in r.stderr, r.stderr
    r = kam(repo, "touch", "pengcheng-power", "chen.haifeng", "--reviewed", "2026-11-01")
    assert r.exit_code == 1 and "reviewed 已是 2026-11-20" in r.stderr, r.stderr
    assert path.read_bytes() == before
    # the same day, or later, is recorded as before
    r = kam(repo, "touch", "pengcheng-power", "chen.haifeng", "--contact", "2026-11-20")
    assert r.exit_code == 0, r.stderr
    r = kam(repo, "touch", "pengcheng-power", "chen.haifeng", "--reviewed", "2026-11-23")
    assert r.exit_code == 0 and "reviewed 2026-11-20 → 2026-11-23" in r.stdout
    # a slip into the future is corrected by touching
    path.write_text(SPONSORED.replace("last_contact: 2026-11-20", "last_contact: 2027-11-20"))
    r = kam(repo, "touch", "pengcheng-power", "chen.haifeng", "--contact", "2026-11-20")
    assert r.exit_code == 0 and "last_contact 2027-11-20 → 2026-11-20" in r.stdout, r.stderr


def test_portfolio_headline_sentences_join_as_chinese(kam, tmp_path):
    """ "营收 4,200,000 CNY。 重点级别...": a space after the full-width full stop, as an
    English join leaves it; none in Chinese, one in English."""
    account = ACCOUNT.split("competitors:")[0] + "facts: {revenue: 4200000, currency: CNY}\n"
    repo = _repo(tmp_path, {"account.yaml": account})
    r = kam(repo, "portfolio", "--no-color", env={"COLUMNS": "160"})
    assert "1 个客户；营收 4,200,000 CNY。重点级别（S、A）占营收的 100%" in r.stdout, r.stdout
    r = kam(repo, "portfolio", "--no-color", "--lang", "en", env={"COLUMNS": "160"})
    assert "1 account; revenue 4,200,000 CNY. Focus tiers (S, A) hold 100%" in r.stdout


def test_the_start_of_an_allowed_value_is_a_did_you_mean(kam, tmp_path):
    """`language: zh` in kam.yaml got no "did you mean 'zh-CN'" (too short for a close
    spelling), nor `kind: exec` in log.yaml 'executive-meeting': the one allowed value a
    typed value starts is suggested."""
    repo = _repo(
        tmp_path, {"log.yaml": LOG.replace("by: [chen.jing]}", "by: [chen.jing], kind: exec}")}
    )
    (repo / "kam.yaml").write_text("language: zh\n", encoding="utf-8")
    r = kam(repo, "check", "--lang", "en")
    assert r.exit_code == 2
    assert "got 'zh' (did you mean 'zh-CN'?)" in r.stdout + r.stderr
    (repo / "kam.yaml").write_text("language: zh-CN\n", encoding="utf-8")
    r = kam(repo, "validate", "--format", "json")
    kinds = [f["message"] for f in r.json()["findings"] if "kind" in f["message"]]
    assert kinds and kinds[0].endswith("实际为“exec”（您是指“executive-meeting”吗？）"), kinds
