"""Trial of a sales director preparing the quarterly business review from a year of an
account repository's git history (pull requests merged, quarter tags, a person who left
the customer): what `kam history`, `kam portfolio --since` and `kam diff` say about it."""

from __future__ import annotations

import pytest

import gitrepo
from conftest import write_account

PEOPLE = """\
stakeholders:
  - id: he-haiyan
    name: 何海燕
    title: 采购总监
    roles: [D]
    attitude: 1
    intimacy: 0
    owner: li.na
    backup: zhou.jun
    channels: [微信, 季度拜访]
    last_contact: 2026-01-02
  - id: lin-jun
    name: 林军
    title: CTO
    reports_to: he-haiyan
    roles: [E]
    attitude: 2
    owner: li.na
    last_contact: 2026-01-02
"""


def commit(repo, message, date):
    gitrepo.commit(repo, message, date, zone="+08:00")


@pytest.fixture
def year(tmp_path):
    """Two quarters of a bank account: a pull request merged with a merge commit, a tag
    per quarter, and the decision maker leaving the customer in the third."""
    r = gitrepo.new_repo(tmp_path / "repo")
    write_account(r, "huaxin-bank", {"stakeholders.yaml": PEOPLE})
    write_account(r, "wz-bank")
    commit(r, "初始导入", "2026-01-05")
    gitrepo.git(r, "tag", "fy26-q1")
    gitrepo.git(r, "checkout", "-qb", "pr/li-na")
    people = r / "accounts/huaxin-bank/stakeholders.yaml"
    people.write_text(PEOPLE.replace("attitude: 2\n", "attitude: 3\n"))
    commit(r, "林军 大力支持", "2026-04-20")
    gitrepo.git(r, "checkout", "-q", "main")
    gitrepo.git(
        r,
        "-c",
        "user.name=director",
        "-c",
        "user.email=d@example.cn",
        "merge",
        "--no-ff",
        "-qm",
        "Merge pull request #1",
        "pr/li-na",
        date="2026-04-22",
        zone="+08:00",
    )
    gitrepo.git(r, "tag", "fy26-q2")
    people.write_text(
        PEOPLE.replace("attitude: 2\n", "attitude: 3\n").replace(
            "    intimacy: 0\n", "    intimacy: 0\n    left_on: 2026-07-10\n"
        )
    )
    commit(r, "华信银行: 决策人离职", "2026-07-12")
    return r


@pytest.mark.parametrize(
    "args",
    [
        ("portfolio", "--since", "2026-04-01T00:00:00+08:00"),
        ("portfolio", "--since", "2026-04-01 08:00 +0800"),
        ("history", "--since", "2026-4-1"),
        ("history", "--until", "2026/04/01"),
        ("diff", "2026-4-1", "HEAD"),
    ],
)
def test_a_date_written_with_a_time_or_unpadded_says_how_to_write_it(kam, year, args):
    """Trial defect: `kam portfolio --since 2026-07-01T00:00:00+08:00` (a date as git and
    most tools write it, or `2026-7-1`) said only "unknown revision": the director could
    not tell that kam reads dates, only not in that form. It now says how to write it."""
    result = kam(year, *args, "--lang", "en")
    assert result.exit_code == 2
    assert "a date is written YYYY-MM-DD, without a time or a time zone: 2026-04-01" in (
        result.stderr
    ), result.stderr
    zh = kam(year, *args, "--lang", "zh-CN")
    assert zh.exit_code == 2
    assert "日期写作 YYYY-MM-DD，不带时间或时区：2026-04-01" in zh.stderr, zh.stderr


def test_a_real_revision_is_still_read_and_a_wrong_tag_still_gets_its_hint(kam, year):
    assert kam(year, "portfolio", "--since", "fy26-q2").exit_code == 0
    wrong = kam(year, "portfolio", "--since", "fy26-q9", "--lang", "en")
    assert wrong.exit_code == 2
    assert "did you mean 'fy26-q1'?" in wrong.stderr and "YYYY-MM-DD" not in wrong.stderr


def test_a_person_who_left_is_marked_beside_their_roles_not_the_owner(kam, year):
    """Trial defect: the history of the decision maker who left the customer showed
    "owner li.na (left 2026-07-10)" (Chinese "责任人 li.na（2026-07-10 离开）"): read as our
    account manager li.na gone. The departure is the person's, said with their roles."""
    wide = {"COLUMNS": "200"}
    en = kam(year, "history", "huaxin-bank", "he-haiyan", "--lang", "en", env=wide).stdout
    assert "li.na (left" not in en, en
    row = next(line for line in en.splitlines() if "2026-07-12" in line)
    assert "D (left 2026-07-10)" in row and "│ li.na " in row, en
    zh = kam(year, "history", "huaxin-bank", "he-haiyan", "--lang", "zh-CN", env=wide).stdout
    assert "li.na（" not in zh and "D（2026-07-10 离开）" in zh, zh
    narrow = kam(year, "history", "huaxin-bank", "he-haiyan", "--lang", "en", env={"COLUMNS": "80"})
    assert "roles D (left 2026-07-10);" in " ".join(narrow.stdout.split()), narrow.stdout
    md = kam(year, "history", "huaxin-bank", "he-haiyan", "--format", "markdown", "--lang", "en")
    assert (
        "| D (left 2026-07-10) | li.na | left on 2026-07-10: a decision maker (attitude +1) ▼ |"
        in md.stdout
    ), md.stdout
    # a person without roles who left: the cell says only that
    people = year / "accounts/huaxin-bank/stakeholders.yaml"
    people.write_text(people.read_text().replace("    roles: [D]\n", ""))
    commit(year, "roles unknown", "2026-07-20")
    md = kam(year, "history", "huaxin-bank", "he-haiyan", "--format", "markdown", "--lang", "en")
    assert "| left 2026-07-10 | li.na |" in md.stdout, md.stdout


def test_the_markdown_heading_names_both_ends_alike(kam, year):
    """Trial defect: `kam history --since fy26-q1 --until fy26-q2 --format markdown` was
    headed "History since fy26-q1 up to `fy26-q2`": two tags of one kind set apart (the
    first as text, the second as code); `kam diff` names both ends as code."""
    md = kam(year, "history", "--since", "fy26-q1", "--until", "fy26-q2", "--format", "markdown")
    assert md.stdout.splitlines()[0] == "# History since `fy26-q1` up to `fy26-q2`", md.stdout
    zh = kam(year, "history", "--since", "2026-01-01", "--format", "markdown", "--lang", "zh-CN")
    assert zh.stdout.splitlines()[0] == "# 历史：自 `2026-01-01` 至 `HEAD`", zh.stdout


def test_findings_of_people_whose_ids_differ_in_a_number_are_not_one(kam, tmp_path):
    """Trial defect: ids numbered by a CRM (huaxin-1, huaxin-3) were one person to the
    diff's finding matching (numbers read as 0): when the decision maker huaxin-1 left,
    the diff listed huaxin-3's KAM105 as resolved (it still holds); and one decision
    maker's unknown attitude found out while another's became unknown showed nothing."""
    people = """\
stakeholders:
  - id: p1
    name: 何海燕
    roles: [D]
    attitude: '?'
    last_contact: 2026-11-01
  - id: p3
    name: 黄秀英
    roles: [D]
    attitude: 1
    last_contact: 2026-11-01
"""
    r = gitrepo.new_repo(tmp_path / "repo")
    write_account(r, "huaxin-bank", {"stakeholders.yaml": people})
    commit(r, "start", "2026-11-02")
    path = r / "accounts/huaxin-bank/stakeholders.yaml"
    path.write_text(
        people.replace("attitude: '?'", "attitude: X")
        .replace("attitude: 1", "attitude: '?'")
        .replace("attitude: X", "attitude: 1")
    )
    commit(r, "swap", "2026-11-03")
    out = kam(r, "diff", "HEAD~", "HEAD", "--lang", "en").stdout
    assert "new      KAM101 decision maker 黄秀英 (p3)" in out, out
    assert "resolved KAM101 decision maker 何海燕 (p1)" in out, out
    assert "findings: 1 new, 1 resolved" in out, out


def test_a_date_after_today_says_it_stands_for_the_latest_commit(kam, year):
    """Trial defect: `kam portfolio --since 2027-03-01` (the year mistyped) and
    `kam history --since 2027-03-01` said "no change since 2027-03-01" and nothing else: a
    quiet quarter, to a director. The date names the latest commit; a note says so."""
    for args in (
        ("portfolio", "--since", "2027-03-01"),
        ("history", "--since", "2027-03-01"),
        ("diff", "2027-03-01"),
        ("diff", "fy26-q1..2027-03-01"),
    ):
        result = kam(year, *args, "--lang", "en")
        assert result.exit_code == 0, result.stderr
        assert (
            "kam: note: 2027-03-01 is after today (2026-11-24): it stands for the latest commit"
            in " ".join(result.stderr.split())
        ), (args, result.stderr)
    zh = kam(year, "history", "--since", "2027-03-01", "--lang", "zh-CN")
    assert "kam：提示：2027-03-01 晚于今天（2026-11-24）：它代表最新的提交" in zh.stderr, zh.stderr
    # a date up to today, a tag, and --today moving today: no note
    for args in (
        ("portfolio", "--since", "2026-11-24"),
        ("history", "--since", "fy26-q2"),
        ("history", "--since", "2027-03-01", "--today", "2027-03-02"),
    ):
        assert "is after today" not in kam(year, *args, "--lang", "en").stderr, args


def test_the_default_tier_labels_in_a_settings_change_are_in_the_output_language(kam, year):
    """Trial defect: the mid-year kam.yaml (stricter tiers, Chinese labels) showed in a
    Chinese `kam diff` as "tiers：[S (Strategic) 4/4, A (Partner) 3/3, ...] → [S (战略)
    5/4, ...]": the default labels in English, where `kam grade` and `kam portfolio` of
    the same revision say 战略客户, 伙伴客户."""
    (year / "kam.yaml").write_text(
        "tiers:\n"
        "  - {name: S, label: 战略, position: 5, value: 4}\n"
        "  - {name: A, label: 伙伴, position: 4, value: 3}\n"
        "  - {name: B, label: 价值, position: 2, value: 2}\n"
        "  - {name: C, label: 一般, position: 1, value: 1}\n"
    )
    commit(year, "年中: 更严格的层级", "2026-07-20")
    zh = kam(year, "diff", "HEAD~", "HEAD", "--lang", "zh-CN").stdout
    flat = " ".join(zh.split())
    assert "[S (战略客户) 4/4, A (伙伴客户) 3/3, B (价值客户) 1/2, C (一般客户) 1/1]" in flat, zh
    assert "Strategic" not in zh and "[S (战略) 5/4," in flat, zh
    md = kam(year, "diff", "HEAD~", "HEAD", "--lang", "zh-CN", "--format", "markdown").stdout
    assert "`[S (战略客户) 4/4, A (伙伴客户) 3/3" in md, md
    en = kam(year, "diff", "HEAD~", "HEAD", "--lang", "en").stdout
    assert "[S (Strategic) 4/4, A (Partner) 3/3" in " ".join(en.split()), en


def test_a_revision_that_loads_again_splits_its_change_into_commit_and_time(kam, tmp_path):
    """Trial defect: 昆明烟草's file was broken on 02-10 and fixed on 02-12, five weeks after
    the last revision that loaded. The fix's row said "score 58 → 50 ▼" with no "by the
    commit / by time passing": five weeks of contacts going stale were put down to the
    fix (JSON: score_by_commit and score_by_time null), unlike every other row."""
    people = PEOPLE.replace("2026-01-02", "2025-12-20")
    r = gitrepo.new_repo(tmp_path / "repo")
    write_account(r, "km-tobacco", {"stakeholders.yaml": people})
    commit(r, "start", "2026-01-05")
    path = r / "accounts/km-tobacco/stakeholders.yaml"
    path.write_text(people.replace("stakeholders:\n", 'stakeholders:\n- id: x\n  name: "未闭合\n'))
    commit(r, "broken", "2026-02-10")
    path.write_text(people.replace("attitude: 2\n", "attitude: 1\n"))
    commit(r, "fixed", "2026-02-12")
    doc = kam(r, "history", "--format", "json", env={"KAM_TODAY": ""}).json()
    start, broken, fixed = doc["accounts"][0]["revisions"]
    assert broken["grade"]["valid"] is False
    change = fixed["grade"]["score"] - start["grade"]["score"]
    assert fixed["score_by_time"] is not None and fixed["score_by_time"] < 0, fixed
    assert fixed["score_by_commit"] + fixed["score_by_time"] == change, fixed
    text = kam(r, "history", "--lang", "en", env={"KAM_TODAY": "", "COLUMNS": "200"}).stdout
    by = f"{fixed['score_by_commit']:+d} by the commit, {fixed['score_by_time']:+d} by time passing"
    assert "the account loads again" in text and by in text, text


def test_portfolio_since_names_a_renamed_account(kam, year):
    """Trial defect: `kam portfolio --since fy26-start` listed "Accounts renamed:
    nordic-paper → nordic-paper-cn", ids alone, where every other list of the section
    names the account ("Nordic Paper (中国) (nordic-paper-cn): A → B")."""
    gitrepo.git(year, "mv", "accounts/wz-bank", "accounts/wz-bank-cn")
    account = year / "accounts/wz-bank-cn/account.yaml"
    account.write_text(account.read_text().replace("id: wz-bank", "id: wz-bank-cn"))
    commit(year, "温州银行 改名目录", "2026-08-01")
    text = kam(year, "portfolio", "--since", "fy26-q2", "--lang", "en", "--no-color").stdout
    assert "Accounts renamed:\n  Acme wz-bank (wz-bank-cn): wz-bank → wz-bank-cn\n" in text, text
    md = kam(year, "portfolio", "--since", "fy26-q2", "--format", "markdown", "--lang", "zh-CN")
    assert "- Acme wz-bank（wz-bank-cn）：wz-bank → wz-bank-cn\n" in md.stdout, md.stdout


def test_an_account_not_there_yet_at_until_says_up_to_when_and_its_id_then(kam, year):
    """Trial defect: `kam history nordic-paper-cn --until fy26-q1` (the account renamed in
    the second quarter, after the accounts folder had moved to data/accounts) said "no
    account 'nordic-paper-cn' in the history of data/accounts": not "up to fy26-q1", and
    no hint of its id then, since the hint read data/accounts at fy26-q1, where nothing was."""
    (year / "kam.yaml").write_text("accounts: accounts\n")
    commit(year, "kam.yaml", "2026-07-15")
    gitrepo.git(year, "mv", "accounts/huaxin-bank", "accounts/huaxin-bank-cn")
    account = year / "accounts/huaxin-bank-cn/account.yaml"
    account.write_text(account.read_text().replace("id: huaxin-bank", "id: huaxin-bank-cn"))
    commit(year, "华信 改名", "2026-08-01")
    (year / "data").mkdir()
    gitrepo.git(year, "mv", "accounts", "data/accounts")
    (year / "kam.yaml").write_text("accounts: data/accounts\n")
    commit(year, "目录调整", "2026-09-01")
    r = kam(year, "history", "huaxin-bank-cn", "--until", "fy26-q2", "--lang", "en")
    assert r.exit_code == 1
    said = " ".join(r.stderr.split())
    assert (
        "no account 'huaxin-bank-cn' in the history of data/accounts up to fy26-q2; "
        "did you mean 'huaxin-bank'?" in said
    ), r.stderr
    zh = kam(year, "history", "huaxin-bank-cn", "--until", "fy26-q2", "--lang", "zh-CN")
    assert "（截至 fy26-q2）" in zh.stderr, zh.stderr
    # up to HEAD: no "up to", as before
    r = kam(year, "history", "huaxin-bank-c", "--lang", "en")
    assert "up to" not in r.stderr and "did you mean 'huaxin-bank-cn'?" in r.stderr, r.stderr


@pytest.mark.parametrize("until", ["2026-04-01", "fy26-q1"])
def test_since_a_date_after_until_is_refused_as_a_revision_is(kam, year, until):
    """Trial defect: `kam history --since 2026-07-01 --until 2026-04-01` (the two dates
    swapped) printed "No change from 2026-07-01 to 2026-04-01" and a table of the
    accounts as they were at the end; `--since fy26-q2 --until fy26-q1` is refused."""
    r = kam(year, "history", "--since", "2026-07-01", "--until", until, "--lang", "en")
    assert r.exit_code == 2, r.stdout
    assert f"--since 2026-07-01 comes after --until {until}: name an earlier date" in " ".join(
        r.stderr.split()
    ), r.stderr
    zh = kam(year, "history", "--since", "2026-07-01", "--until", until, "--lang", "zh-CN")
    assert "请指定更早的日期" in zh.stderr, zh.stderr


def test_since_a_date_with_no_commit_before_until_is_still_no_change(kam, year):
    """A date after the --until commit but before the next commit names the same state
    (no change); a date after HEAD's last commit, up to HEAD, too."""
    for args in (
        ("--since", "2026-02-01", "--until", "fy26-q1"),
        ("--since", "2026-08-01"),
        ("--since", "2026-05-01", "--until", "2026-06-01"),
    ):
        r = kam(year, "history", *args, "--lang", "en")
        assert r.exit_code == 0, (args, r.stderr)
        assert "\nNo change " in r.stdout, (args, r.stdout)


def test_a_person_named_by_an_id_they_had_before_since_is_followed(kam, year):
    """Trial defect: 朱秀英's id wz-1 became wz-ceo in April; `kam history wz-bank wz-1
    --since fy26-q2` said "no person 'wz-1' ...; did you mean 'wz-7'?" (someone else).
    A person may be named by any id they ever had: followed under their id in the range."""
    people = year / "accounts/huaxin-bank/stakeholders.yaml"
    renamed = people.read_text().replace("id: lin-jun", "id: jun-lin")
    people.write_text(renamed)
    commit(year, "林军 id 规范化", "2026-07-20")
    people.write_text(renamed.replace("attitude: 3\n", "attitude: -1\n"))
    commit(year, "林军 转冷", "2026-08-10")
    r = kam(year, "history", "huaxin-bank", "lin-jun", "--since", "2026-08-01", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    flat = " ".join(r.stdout.split())
    assert "林军 at Acme huaxin-bank (huaxin-bank)" in flat, r.stdout
    assert "attitude +3 → -1 ▼" in flat, r.stdout
    # someone the account never had is still not found, with the hint as before
    r = kam(year, "history", "huaxin-bank", "jun-lim", "--since", "2026-08-01", "--lang", "en")
    assert r.exit_code == 1 and "did you mean 'jun-lin'?" in r.stderr, r.stderr


def test_portfolio_since_names_an_account_not_graded_then(kam, year):
    """Trial defect: `kam portfolio --since 2026-02-11` (the day 昆明烟草's file was broken)
    ended with "Not graded (files with errors): then: km-tobacco", the id alone, where
    the same section's tier line said "could not be read then: 昆明云南烟草 (km-tobacco)"."""
    people = year / "accounts/huaxin-bank/stakeholders.yaml"
    good = people.read_text()
    people.write_text(good.replace("stakeholders:\n", 'stakeholders:\n- id: x\n  name: "未闭合\n'))
    commit(year, "broken", "2026-08-01")
    people.write_text(good)
    commit(year, "fixed", "2026-08-03")
    text = kam(year, "portfolio", "--since", "2026-08-02", "--lang", "en", "--no-color").stdout
    assert "Not graded (files with errors):\n  then: Acme huaxin-bank (huaxin-bank)\n" in text, text


def test_a_date_after_a_pinned_today_but_before_a_commit_gets_no_note(tmp_path, kam):
    """`--today 2026-06-01` (a report pinned to a day) with `--since 2026-07-01`, commits
    in May and August: the date stands for the May commit, not the latest; the note said
    "2026-07-01 is after today (2026-06-01): it stands for the latest commit"."""
    from conftest import write_account
    from gitrepo import commit, new_repo

    repo = new_repo(tmp_path / "repo")
    write_account(repo, "acme")
    commit(repo, "acme", "2026-05-01")
    (repo / "accounts" / "acme" / "account.yaml").write_text(
        (repo / "accounts" / "acme" / "account.yaml")
        .read_text()
        .replace("position: 3", "position: 4")
    )
    commit(repo, "acme up", "2026-08-01")
    for args in (
        ("history", "--since", "2026-07-01"),
        ("portfolio", "--since", "2026-07-01"),
        ("diff", "2026-07-01", "HEAD"),
    ):
        r = kam(repo, *args, "--today", "2026-06-01")
        assert "is after today" not in r.stderr, (args, r.stderr)
    # after the last commit too: the note, as for a mistyped year
    r = kam(repo, "history", "--since", "2026-09-01", "--today", "2026-06-01")
    assert "kam: note: 2026-09-01 is after today (2026-06-01)" in r.stderr, r.stderr
