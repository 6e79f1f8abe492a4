"""Defects found trying kam as a new user on a Chinese hospital portfolio: accounts in a
nested folder with a Chinese name (``data/客户档案``), ids such as ``301_hosp`` and
``pumch..2``, names with rare characters (李𠮷), a settings file in Chinese, a git
history of several commits, and the weekly loop read in an 80-column terminal."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from conftest import write_account
from gitrepo import commit, new_repo

FOLDER = "data/客户档案"

TARGETS = """\
period: 2027
actions:
  - {id: meet-qian, text: 拜会钱院长, owner: li.ming, due: 2026-11-20, status: planned, stakeholder: boss}
"""


def _hospital_repo(root):
    """A repository whose accounts live in ``data/客户档案`` (kam.yaml says so)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / ".git").mkdir()
    (root / "kam.yaml").write_text(f"accounts: {FOLDER}\nlanguage: zh-CN\n", encoding="utf-8")
    folder = write_account(root / "data", "301_hosp", {"targets.yaml": TARGETS})
    (root / FOLDER).mkdir(parents=True)
    folder.rename(root / FOLDER / "301_hosp")
    (root / "data" / "accounts").rmdir()
    return root


@pytest.mark.parametrize("width", range(60, 81))
def test_a_path_with_chinese_folder_names_is_never_broken_inside_a_folder_name(
    kam, tmp_path, width
):
    """The agenda told wang.qiang to set the status "在 data/客户档" on one line and
    "案/301_hosp/targets.yaml:8" on the next: Chinese text may break between any two
    characters, a path may not (it is copied whole; a break may only follow a "/")."""
    repo = _hospital_repo(tmp_path / "repo")
    r = kam(repo, "agenda", env={"COLUMNS": str(width)})
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= width, r.stdout
    path = f"{FOLDER}/301_hosp/targets.yaml:3"
    inner = [line.strip(" │") for line in lines]
    joined = "".join(inner)
    assert path in joined, r.stdout
    # wherever the path is broken, the break follows one of its "/"
    for line in inner:
        for cut in range(1, len(path)):
            head = path[:cut]
            if line.endswith(head) and path not in line:
                assert head.endswith("/"), f"{head!r} ends a line:\n{r.stdout}"


def test_score_components_in_json_are_labelled_in_the_output_language(kam, tmp_path):
    """`kam grade --format json` of a team whose kam.yaml says `language: zh-CN` gave each
    component's `detail` in Chinese and its `label` in English ("decision makers"): a
    dashboard built on the JSON showed the two languages side by side. The README lists
    `label` among the texts that are in the output language; the keys stay English."""
    repo = _hospital_repo(tmp_path / "repo")
    doc = kam(repo, "grade", "--format", "json").json()
    components = doc["accounts"][0]["components"]
    assert components["decision_makers"]["label"] == "决策者", components
    assert components["ab_cover"]["label"] == "AB角覆盖", components
    assert all(not c["label"].isascii() for c in components.values()), components
    components = kam(repo, "grade", "--format", "json", "--lang", "en").json()["accounts"][0][
        "components"
    ]
    assert components["decision_makers"]["label"] == "decision makers", components


def test_the_rule_table_breaks_chinese_summaries_between_characters(kam, tmp_path):
    """`kam rules` in Chinese left "客户 id" alone on a line and put the rest of KAM006's
    summary on the next ones: the table wrapped its cells only at spaces, as for English,
    where every other table of kam breaks Chinese between two characters."""
    repo = _hospital_repo(tmp_path / "repo")
    r = kam(repo, "rules", env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80, r.stdout
    (row,) = [line for line in lines if "KAM006" in line]
    assert "客户 id 与文件夹名" in row, r.stdout


PERSON = """\
stakeholders:
  - id: xia-q
    name: 夏强
    title: 院长
    roles: [D]
    attitude: 0
    owner: li.ming
    backup: wang.fang
    channels: [院办, 学会]
    last_contact: 2026-11-20
"""

DUPLICATE = """\
  - id: xia-q
    name: 夏强（重复录入）
    roles: [S]
    attitude: 1
    owner: li.ming
"""


def _committed(tmp_path, people):
    repo = new_repo(tmp_path / "repo")
    write_account(repo, "renji-east", {"stakeholders.yaml": people})
    commit(repo, "renji-east", date="2026-11-01")
    return repo


def test_a_person_entered_twice_is_an_added_entry_not_a_change_of_the_first(kam, tmp_path):
    """A colleague pasted 夏强 a second time under the same id. `kam diff` told the
    reviewer that 夏强 had been renamed, had lost his title, backup and channels, and had
    warmed up ("▲ 支持度 0 → +1"): the second entry was compared with the first as if it
    replaced it. The first entry is unchanged; the second is a new entry (and KAM004)."""
    repo = _committed(tmp_path, PERSON)
    people = repo / "accounts" / "renji-east" / "stakeholders.yaml"
    people.write_text(PERSON + DUPLICATE, encoding="utf-8")
    r = kam(repo, "diff", "--format", "json")
    assert r.exit_code == 1, r.stderr  # the account no longer loads
    (acct,) = r.json()["accounts"]
    kinds = [(c["kind"], c["person"]) for c in acct["changes"] if c["person"]]
    assert kinds == [("person-added", "xia-q")], acct["changes"]
    assert [f["code"] for f in acct["new_findings"]] == ["KAM004"]
    r = kam(repo, "diff", "--lang", "zh-CN")
    assert "支持度 0 → +1" not in r.stdout, r.stdout
    assert "夏强（重复录入）" in r.stdout and "新干系人" in r.stdout, r.stdout
    # the duplicate committed, then deleted: the one entry removed, the first unchanged
    commit(repo, "duplicate", date="2026-11-02")
    people.write_text(PERSON, encoding="utf-8")
    (acct,) = kam(repo, "diff", "--format", "json").json()["accounts"]
    kinds = [(c["kind"], c["person"]) for c in acct["changes"] if c["person"]]
    assert kinds == [("person-removed", "xia-q")], acct["changes"]


def test_the_power_map_title_fits_a_narrow_terminal(kam, tmp_path):
    """`kam map ruijin.2024-north` in a 40-column pane: every person's line was wrapped
    to fit, but the first line, the account's name and id, ran one column past the edge
    and the terminal broke it where it liked."""
    repo = _hospital_repo(tmp_path / "repo")
    account = (repo / FOLDER / "301_hosp" / "account.yaml").read_text(encoding="utf-8")
    account = account.replace("name: Acme 301_hosp", "name: 上海瑞金医院（北院）影像中心")
    (repo / FOLDER / "301_hosp" / "account.yaml").write_text(account, encoding="utf-8")
    for width in (30, 40):
        r = kam(repo, "map", "301_hosp", env={"COLUMNS": str(width)})
        assert r.exit_code == 0, r.stderr
        assert max(cell_len(line) for line in r.stdout.splitlines()) <= width, r.stdout
        assert "上海瑞金医院（北院）影像中心" in r.stdout.replace("\n", ""), r.stdout
    # to a file or a pipe nothing is wrapped
    r = kam(repo, "map", "301_hosp")
    assert r.stdout.splitlines()[0] == "上海瑞金医院（北院）影像中心（301_hosp）", r.stdout


FIVE_TIERS_ZH = """\
language: zh-CN
tiers:
  - {name: 优质, label: 优质客户, position: 4, value: 5}
  - {name: 战略, label: 战略客户, position: 4, value: 3}
  - {name: 核心, label: 粮仓客户, position: 1, value: 4}
  - {name: 价值, position: 2, value: 2}
  - {name: 普通, position: 1, value: 1}
focus_tiers: [优质, 战略]
"""

MANUAL = """\
id: sinopharm
name: 国药控股无锡有限公司
owner: liu.yang
reviewed: 2026-10-01
position: 2
value: 3
tier: 核心
tier_reason: 区域独家配送
"""


def test_chinese_tier_names_stay_apart_from_the_words_around_them(kam, tmp_path):
    """The five-tier model of the method, named in Chinese in kam.yaml (优质, 战略, 核心,
    价值, 普通): KAM305 read "手工定级核心与计算出的级别价值不同", the tier 价值 running
    into the words around it and into the 价值 (value) axis after it. The Chinese
    messages name a tier with 为 ("is") before it, so a Chinese tier name reads apart as a
    Latin one does (手工定级为 S)."""
    (tmp_path / "kam.yaml").write_text(FIVE_TIERS_ZH, encoding="utf-8")
    write_account(tmp_path, "sinopharm", {"account.yaml": MANUAL})
    r = kam(tmp_path, "check", "--format", "json")
    (f,) = [f for f in r.json()["findings"] if f["code"] == "KAM305"]
    assert f["message"] == "手工定级为核心，而计算级别为价值（地位 2，价值 3）"
    r = kam(tmp_path, "grade", "sinopharm")
    assert "→ 计算级别为价值；手工定级为核心：区域独家配送" in r.stdout.replace("\n  ", ""), (
        r.stdout
    )
    r = kam(tmp_path, "plan", "sinopharm")
    assert "计算级别为价值；手工定级为核心（区域独家配送）" in r.stdout, r.stdout


def test_a_path_that_starts_in_chinese_keeps_its_space_from_the_verb(kam, tmp_path):
    """Run from ``data/``, `kam log 客户档案/301_hosp boss -m ...` said
    "已创建客户档案/301_hosp/log.yaml": the space that parts a Chinese name from the
    Chinese beside it ("与张伟联系") was taken from a path too, which then read as one
    word with the verb and could not be picked out to copy."""
    repo = _hospital_repo(tmp_path / "repo")
    r = kam(repo / "data", "log", "客户档案/301_hosp", "boss", "-m", "电话沟通")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("已创建 客户档案/301_hosp/log.yaml\n"), r.stdout
    assert r.stdout.rstrip().endswith("：客户档案/301_hosp/log.yaml:4"), r.stdout
    # a Chinese name still takes no space from the Chinese beside it
    assert "与The Boss（boss）" in r.stdout or "与 The Boss" in r.stdout, r.stdout
    r = kam(repo / "data", "plan", "客户档案/301_hosp", "-o", "计划/301.md")
    assert r.exit_code == 0, r.stderr
    assert "已写入 计划/301.md" in r.stdout + r.stderr, (r.stdout, r.stderr)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_an_id_in_a_code_span_of_the_plan_is_not_escaped(kam, tmp_path, lang):
    """The plan of 301_hosp began "客户 `301\\_hosp`", and its log section said "record
    one with `kam log 301\\_hosp PERSON -m TEXT`": the id was escaped for Markdown text
    inside a code span, where no backslash escapes anything, so GitHub showed the
    backslash and the pasted command named no account."""
    repo = _hospital_repo(tmp_path / "repo")
    r = kam(repo, "plan", "301_hosp", "--lang", lang)
    assert r.exit_code == 0, r.stderr
    assert "`301_hosp`" in r.stdout.split("\n", 3)[2], r.stdout[:300]
    assert "`kam log 301_hosp PERSON -m TEXT`" in r.stdout, r.stdout
    assert "\\_hosp`" not in r.stdout


CHANNELS_TYPED_WITH_AN_IME = """\
stakeholders:
  - id: zhang-san
    name: 张三
    roles: [D, C]
    attitude: 2
    intimacy: 1
    owner: li.ming
    backup: wang.fang
    channels: [微信，电话]
    last_contact: 2026-11-20
"""


@pytest.mark.parametrize("separator", ["，", "、"])
def test_two_channels_typed_with_a_chinese_comma_are_told_why_they_count_as_one(
    kam, tmp_path, separator
):
    """`channels: [微信，电话]`, typed with a Chinese input method, is one channel to YAML;
    KAM105 said "只有 1 个信息渠道" and left the user looking at two channels. A role list
    typed so ([D，C]) was told about the full-width comma; the channels now are too."""
    people = CHANNELS_TYPED_WITH_AN_IME.replace("，", separator)
    write_account(tmp_path, "zhongshan", {"stakeholders.yaml": people})
    r = kam(tmp_path, "check", "--format", "json", "--lang", "zh-CN")
    (f,) = [f for f in r.json()["findings"] if f["code"] == "KAM105"]
    assert f["message"] == (
        f"决策者张三（zhang-san）只有 1 个信息渠道；需要 2 个独立渠道"
        f"（“{separator}”是全角字符：YAML 列表项之间要用半角逗号加空格分隔，如 [a, b]）"
    )
    r = kam(tmp_path, "check", "--format", "json", "--lang", "en")
    (f,) = [f for f in r.json()["findings"] if f["code"] == "KAM105"]
    assert "is a full-width character: YAML separates list items" in f["message"]
    # two channels written right: no finding
    write_account(tmp_path, "zhongshan", {"stakeholders.yaml": people.replace(separator, ", ")})
    r = kam(tmp_path, "check", "--format", "json")
    assert "KAM105" not in [f["code"] for f in r.json()["findings"]]


BROKEN_TARGETS = """\
actions:
  - {id: meet, text: 拜会钱院长, owner: li.ming, due: 2026-12-10, status: planned, stakeholder: qian}
"""


def test_a_person_is_not_first_seen_where_the_account_loads_again(kam, tmp_path):
    """The account's first commit did not load (an action named a person not yet in the
    file), though its stakeholders.yaml held The Boss; `kam history ACCOUNT boss` said
    "first seen" at the commit that fixed the action, as if he had come in then."""
    repo = new_repo(tmp_path / "repo")
    folder = write_account(repo, "301_hosp", {"targets.yaml": BROKEN_TARGETS})
    commit(repo, "start", date="2026-03-02")
    (folder / "targets.yaml").write_text("actions: []\n", encoding="utf-8")
    commit(repo, "action fixed", date="2026-10-10")
    r = kam(repo, "history", "301_hosp", "boss", "--format", "json")
    assert r.exit_code == 0, r.stderr
    revs = r.json()["accounts"][0]["revisions"]
    # the first commit's stakeholders.yaml loaded (only targets.yaml had the error): The
    # Boss is there from the start, his row shows him, and the fix changed nothing of his
    assert [rev["person_status"] for rev in revs] == ["present", "present"]
    assert revs[0]["person_change"] == "first seen: attitude +2, intimacy +2, roles DC"
    assert revs[0]["person"]["attitude"] == 2, revs[0]
    assert "first seen" not in revs[1]["person_change"], revs[1]
    # a commit whose stakeholders.yaml itself did not load: "the account loads again"
    (folder / "stakeholders.yaml").write_text("stakeholders: [\n", encoding="utf-8")
    commit(repo, "people file broken", date="2026-10-20")
    write_account(repo, "301_hosp", {"targets.yaml": "actions: []\n"})
    commit(repo, "people file restored", date="2026-10-21")
    revs = kam(repo, "history", "301_hosp", "boss", "--format", "json").json()["accounts"][0]
    statuses = [rev["person_status"] for rev in revs["revisions"]]
    assert statuses == ["present", "present", "unread", "present"], statuses
    r = kam(repo, "history", "301_hosp", "boss", "--format", "json", "--lang", "zh-CN")
    change = r.json()["accounts"][0]["revisions"][0]["person_change"]
    assert "支持度 +2" in change and "客户重新可以读取" not in change, change


def test_a_compact_date_on_the_command_line_is_told_its_iso_form(kam, tmp_path):
    """`--today 20261205` (how dates are written in file names and many Chinese forms)
    was refused with only "must be a date YYYY-MM-DD", where `--date 2026/12/05` and
    `2026年12月5日` were told what to write."""
    repo = _hospital_repo(tmp_path / "repo")
    r = kam(repo, "grade", "--today", "20261205", "--lang", "en")
    assert r.exit_code == 2
    assert "not '20261205': write 2026-12-05" in " ".join(r.stderr.split()), r.stderr
    r = kam(repo, "log", "301_hosp", "boss", "--date", "20261123", "-m", "x")
    assert r.exit_code == 2
    assert "请写成 2026-11-23" in r.stderr.replace("\n  ", ""), r.stderr
    assert not (repo / FOLDER / "301_hosp" / "log.yaml").exists()
    # not a real date: no suggestion
    r = kam(repo, "grade", "--today", "20261399", "--lang", "en")
    assert r.exit_code == 2 and "write" not in r.stderr, r.stderr
