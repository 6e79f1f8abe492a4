"""Defects found by new users on 2026-12-04: a Taiwan team typing kam's words in
traditional characters (`決策者`, `計劃中`, `--kind 拜訪`) got no "did you mean", an
amount typed as people write money (`９８,０００,０００`, `9800万`) was told only "must be
a number, not a text", and `language: zh-TW` in kam.yaml got no suggestion though
`--lang zh-TW` is taken."""

from __future__ import annotations

import pytest

from conftest import write_account

BOM = "\ufeff"


def _crlf(text: str) -> bytes:
    """A file as Notepad on a Traditional Chinese Windows saves it: BOM and CRLF."""
    return (BOM + text.replace("\n", "\r\n")).encode("utf-8")


def _taiwan_account(tmp_path, stakeholders: str, targets: str | None = None):
    files: dict[str, str | bytes] = {
        "stakeholders.yaml": _crlf(stakeholders),
    }
    if targets is not None:
        files["targets.yaml"] = _crlf(targets)
    write_account(tmp_path, "taiyang", files)


PERSON = """\
stakeholders:
  - id: lee.sy
    name: 李淑芬
    roles: [{roles}]
    attitude: {attitude}
    intimacy: 0
    owner: lin.mei
    last_contact: 2026-11-20
"""


@pytest.mark.parametrize(
    ("roles", "meant"),
    [("決策者", "D"), ("教練", "C"), ("評估者", "E"), ("影響者", "I")],
)
def test_a_role_in_traditional_characters_is_told_its_letter(kam, tmp_path, roles, meant):
    """`roles: [決策者]` said "unknown role" and nothing else; `[决策者]` was told D."""
    _taiwan_account(tmp_path, PERSON.format(roles=roles, attitude=1))
    r = kam(tmp_path, "validate", env={"LANG": "zh_TW.UTF-8"})
    assert r.exit_code == 1
    assert "stakeholders.yaml:4:13: KAM002" in r.stdout
    assert f"未知的角色“{roles}”" in r.stdout and f"（您是指“{meant}”吗？）" in r.stdout


@pytest.mark.parametrize(
    ("attitude", "advice"),
    [
        ("反對", "反对者请写 -1、-2 或 -3"),
        ("未接觸", '尚不了解请写带引号的 "?"'),
        ("積極", "支持者请写 1、2 或 3"),
    ],
)
def test_an_attitude_word_in_traditional_characters_gets_its_numbers(
    kam, tmp_path, attitude, advice
):
    _taiwan_account(tmp_path, PERSON.format(roles="D", attitude=attitude))
    r = kam(tmp_path, "validate", env={"LANG": "zh_HK.UTF-8"})
    assert r.exit_code == 1
    assert "stakeholders.yaml:5:15: KAM002" in r.stdout and advice in r.stdout


@pytest.mark.parametrize("status", ["計劃中", "計畫中"])
def test_a_status_in_traditional_characters_is_told_the_value(kam, tmp_path, status):
    """計畫 is how Taiwan writes 计划 (a plan), not 计画."""
    targets = (
        "actions:\n  - {id: visit1, text: 拜訪晶圓廠, owner: lin.mei, due: 2026-12-10, "
        f"stakeholder: lee.sy, status: {status}}}\n"
    )
    _taiwan_account(tmp_path, PERSON.format(roles="D", attitude=1), targets)
    r = kam(tmp_path, "validate", env={"LANG": "zh"})
    assert r.exit_code == 1
    assert f"实际为“{status}”（您是指“planned”吗？）" in r.stdout


def test_a_log_kind_in_traditional_characters_is_told_the_kind(kam, tmp_path):
    _taiwan_account(tmp_path, PERSON.format(roles="D", attitude=1))
    r = kam(tmp_path, "log", "taiyang", "李淑芬", "--kind", "拜訪", env={"LANG": "zh_TW.UTF-8"})
    assert r.exit_code == 2
    assert "而不是“拜訪”（您是指“visit”吗？）" in " ".join(r.stderr.split())
    assert not (tmp_path / "accounts" / "taiyang" / "log.yaml").exists()


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("９８,０００,０００", "98000000"),
        ("98,000,000", "98000000"),
        ("９８００００００", "98000000"),
        ('"98000000"', "98000000"),
        ("98 000 000", "98000000"),
        ("9800万", "98000000"),
        ("１．５億", "150000000"),
        ("９８，０００", "98000"),
        ("1,234.5", "1234.5"),
    ],
)
def test_an_amount_written_as_people_write_money_is_told_the_number(kam, tmp_path, typed, number):
    """`revenue: ９８,０００,０００` was "must be a number, not a text" with nothing to
    type; `９８，０００` was even told about list items."""
    account = (
        "id: taiyang\nname: 太陽光電\nowner: lin.mei\nreviewed: 2026-10-01\nposition: 3\n"
        f"value: 3\nfacts:\n  revenue: {typed}\n  currency: TWD\n"
    )
    write_account(tmp_path, "taiyang", {"account.yaml": _crlf(account)})
    r = kam(tmp_path, "validate")
    assert r.exit_code == 1
    assert (
        "account.yaml:8:12: KAM002 facts.revenue: must be a number, not a text (a number is "
        f"written in ASCII digits, without quotes, separators or units: revenue: {number})"
    ) in r.stdout
    assert "list items" not in r.stdout


def test_a_year_in_full_width_digits_is_told_the_year_in_chinese(kam, tmp_path):
    account = (
        "id: taiyang\nname: 太陽光電\nowner: lin.mei\nreviewed: 2026-10-01\nposition: 3\n"
        'value: 3\nvalue_curve:\n  - {year: "２０２７", expected: 150000000}\n'
    )
    write_account(tmp_path, "taiyang", {"account.yaml": account})
    r = kam(tmp_path, "validate", env={"LANG": "zh_TW.UTF-8"})
    assert r.exit_code == 1
    assert "value_curve #1.year：必须是整数，而不是文本（数字请用半角阿拉伯数字书写" in r.stdout
    assert "year: 2027）" in r.stdout


def test_a_text_that_is_no_number_gets_no_number(kam, tmp_path):
    account = (
        "id: taiyang\nname: x\nowner: lin.mei\nreviewed: 2026-10-01\nposition: 3\n"
        "value: 3\nfacts:\n  revenue: NT$98000000\n"
    )
    write_account(tmp_path, "taiyang", {"account.yaml": account})
    r = kam(tmp_path, "validate")
    assert "facts.revenue: must be a number, not a text (error)" in r.stdout


@pytest.mark.parametrize(
    ("typed", "meant"), [("zh-TW", "zh-CN"), ("zh_Hant", "zh-CN"), ("en-GB", "en")]
)
def test_a_locale_name_as_the_language_of_kam_yaml_is_told_the_language(
    kam, tmp_path, typed, meant
):
    """`--lang zh-TW` gives the Chinese kam has; `language: zh-TW` was refused with no
    suggestion."""
    write_account(tmp_path, "taiyang")
    (tmp_path / "kam.yaml").write_text(f"language: {typed}\n", encoding="utf-8")
    r = kam(tmp_path, "validate")
    assert r.exit_code == 2
    assert (
        f"kam.yaml:1:11: KAM002 language: must be one of 'en' or 'zh-CN'; got '{typed}' "
        f"(did you mean '{meant}'?)"
    ) in r.stdout + r.stderr


@pytest.mark.parametrize(
    ("line", "col", "advice"),
    [
        (
            "max_file_size: 5MB",
            16,
            "max_file_size is counted in bytes, written without a unit: max_file_size: 5000000",
        ),
        ("max_file_size: 2 MiB", 16, "max_file_size: 2097152"),
        (
            "new_in_post_days: 90d",
            19,
            "new_in_post_days is counted in days, written without a unit: new_in_post_days: 90",
        ),
        ("new_in_post_days: ９０天", 19, "new_in_post_days: 90"),
        ("new_in_post_days: 12 weeks", 19, "new_in_post_days: 84"),
        ("new_in_post_days: 1.5w", 19, "new_in_post_days: 11"),
    ],
)
def test_a_count_typed_with_its_unit_in_kam_yaml_is_told_the_number(
    kam, tmp_path, line, col, advice
):
    """``max_file_size: 5MB`` and ``new_in_post_days: 90d`` (as the freshness durations
    are written) were only "must be a whole number, not a text"."""
    write_account(tmp_path, "taiyang")
    (tmp_path / "kam.yaml").write_text(line + "\n", encoding="utf-8")
    r = kam(tmp_path, "validate")
    assert r.exit_code == 2
    found = [ln for ln in (r.stdout + r.stderr).splitlines() if ln.startswith("kam.yaml:")]
    assert len(found) == 1 and found[0].startswith(f"kam.yaml:1:{col}: KAM002 "), found
    assert advice in found[0], found


def test_an_account_one_level_too_deep_is_named_where_it_is(kam, tmp_path):
    """`kam log n04-wonka ...` with the accounts in region folders (accounts/north/...)
    said "no account 'n04-wonka' (accounts: east, north)", as if it did not exist; it
    now says where it is and what to do, in every command that takes an account."""
    for region, account in (("north", "n04-wonka"), ("east", "e02-acme")):
        write_account(tmp_path, account)
        (tmp_path / "accounts" / region).mkdir()
        (tmp_path / "accounts" / account).rename(tmp_path / "accounts" / region / account)
    message = (
        "kam: error: no account 'n04-wonka': accounts/north/n04-wonka is one level too deep: "
        "kam reads account folders directly inside the accounts folder, not in north; move "
        "the account folders of north up one level"
    )
    for args in (
        ("log", "n04-wonka", "boss", "-m", "x"),
        ("plan", "n04-wonka"),
        ("grade", "n04-wonka"),
    ):
        r = kam(tmp_path, *args)
        assert r.exit_code == 1, args
        assert message in " ".join(r.stderr.split()), args
    r = kam(tmp_path, "map", "n04-wonka", env={"LANG": "zh_CN.UTF-8"})
    assert "没有客户“n04-wonka”：accounts/north/n04-wonka 多嵌套了一级" in r.stderr


FIVE_TIERS = """\
tiers:
  - {name: excellent,  label: Excellent,  position: 4, value: 5}
  - {name: strategic,  label: Strategic,  position: 4, value: 3}
  - {name: core,       label: Core,       position: 1, value: 4}
  - {name: value,      label: Value,      position: 2, value: 2}
  - {name: commercial, label: Commercial, position: 1, value: 1}
focus_tiers: [excellent, strategic, core]
"""


@pytest.mark.parametrize(("width", "lang"), [("40", "en"), ("70", "en"), ("40", "zh-CN")])
def test_the_matrix_of_a_five_tier_portfolio_breaks_no_tier_name(kam, tmp_path, width, lang):
    """With the README's five-tier model, the position x value grid at 40 and even 70
    columns broke the tier names in its cells ("(co" over "re)", "(excelle" over "nt)
    2"); it is now one record per value, each cell after its position."""
    (tmp_path / "kam.yaml").write_text(FIVE_TIERS, encoding="utf-8")
    for i, (position, value) in enumerate([(1, 1), (4, 5), (4, 3), (1, 4), (3, 2)]):
        account = (
            f"id: acct-{i}\nname: Customer {i} International Holdings\nowner: li.ming\n"
            f"reviewed: 2026-10-01\nposition: {position}\nvalue: {value}\n"
        )
        write_account(tmp_path, f"acct-{i}", {"account.yaml": account})
    r = kam(tmp_path, "--lang", lang, "portfolio", env={"COLUMNS": width})
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    for name in ("commercial", "excellent", "strategic", "core"):
        assert any(f"({name})" in line for line in lines), name
    assert not any(line.rstrip().endswith(("(co", "(excelle", "(strateg")) for line in lines)
    value, position = ("value", "position") if lang == "en" else ("价值", "地位")
    start = lines.index(f"{value} 5")
    assert lines[start + 1].startswith(f"  {position} 1 (core)")
    assert f"{position} 4 (excellent) 1" in " ".join(lines[start : start + 6])


def test_a_pbip_finding_names_a_few_decision_makers_and_counts_the_rest(kam, tmp_path):
    """An account of 800 people with 93 decision makers unmet or opposed made KAM308 one
    message of 93 names, which filled the plan's "What needs attention"."""
    people = "stakeholders:\n" + "".join(
        f"  - {{id: p{i:03d}, name: Person {i}, roles: [D], attitude: '?', intimacy: 0}}\n"
        for i in range(30)
    )
    targets = (
        "opportunities:\n  - {id: o1, name: ERP renewal, pbip: 2027-01-22, ready: 2026-12-01}\n"
    )
    write_account(tmp_path, "acme", {"stakeholders.yaml": people, "targets.yaml": targets})
    r = kam(tmp_path, "check", "--format", "json")
    (found,) = [f for f in r.json()["findings"] if f["code"] == "KAM308"]
    assert found["message"].endswith("Person 7 (p007, ?) and 22 more")
    assert "Person 8 " not in found["message"]
    assert found["data"]["decision_makers"] == [f"p{i:03d}" for i in range(30)]
    plan = kam(tmp_path, "plan", "acme")
    assert "Person 7 (p007, ?) and 22 more" in plan.stdout
    assert "Person 29" not in plan.stdout.split("## 1.")[0]


def test_a_person_history_says_nothing_of_theirs_before_they_came_and_after_they_went(
    kam, tmp_path
):
    """`kam history huaxin liu.yang` of a CFO who came in week 3 read, in weeks 1 and 2,
    the account's changes ("score 58 → 64; 张伟 (采购经理): attitude ? → +1"), as if they
    were the CFO's; a week after the removal it showed the account's changes again."""
    import gitrepo

    repo = gitrepo.new_repo(tmp_path / "repo")
    boss = (
        "stakeholders:\n  - {id: zhang.wei, name: 张伟, roles: [D], attitude: '?', intimacy: 0}\n"
    )
    cfo = "  - {id: liu.yang, name: 刘洋, roles: [D], attitude: '?', intimacy: 0}\n"
    folder = write_account(repo, "huaxin", {"stakeholders.yaml": boss})
    gitrepo.commit(repo, "start", date="2026-11-02")
    (folder / "stakeholders.yaml").write_text(boss.replace("'?'", "1"), encoding="utf-8")
    gitrepo.commit(repo, "boss supportive", date="2026-11-09")
    (folder / "stakeholders.yaml").write_text(boss.replace("'?'", "1") + cfo, encoding="utf-8")
    gitrepo.commit(repo, "new cfo", date="2026-11-16")
    (folder / "stakeholders.yaml").write_text(boss.replace("'?'", "2"), encoding="utf-8")
    gitrepo.commit(repo, "cfo gone, boss +2", date="2026-11-23")
    (folder / "stakeholders.yaml").write_text(boss.replace("'?'", "3"), encoding="utf-8")
    gitrepo.commit(repo, "boss +3", date="2026-11-30")
    r = kam(repo, "history", "huaxin", "liu.yang", "--format", "json")
    assert r.exit_code == 0, r.stderr
    changes = [rev["person_change"] for rev in r.json()["accounts"][0]["revisions"]]
    # the commit that made the account is no change of the CFO's either
    assert changes[0] == "no change to this person"
    assert changes[1] == "no change to this person"
    assert changes[2].startswith("first seen: attitude ?")
    assert changes[3] == "removed: a decision maker (attitude ?) ▼", changes[3]
    assert changes[4] == "no change to this person"


@pytest.mark.parametrize("typed", ["Li Ming", "li ming", "LI MING"])
def test_a_by_written_as_a_name_is_told_the_account_handle(kam, tmp_path, typed):
    """`kam log acme boss --by "Li Ming"` was refused as "not a handle" with only the
    rule for handles; the account's own handle `li.ming` is what was meant."""
    write_account(tmp_path, "acme")
    r = kam(tmp_path, "log", "acme", "boss", "--by", typed, "-m", "x")
    assert r.exit_code == 2
    assert f"--by '{typed}' is not a handle" in r.stderr
    assert "(did you mean 'li.ming'?)" in " ".join(r.stderr.split())
    assert not (tmp_path / "accounts" / "acme" / "log.yaml").exists()


def test_a_by_that_is_no_handle_and_like_none_gets_no_suggestion(kam, tmp_path):
    write_account(tmp_path, "acme")
    r = kam(tmp_path, "log", "acme", "boss", "--by", "Zed Q", "-m", "x")
    assert r.exit_code == 2 and "did you mean" not in r.stderr


def test_a_finding_at_40_columns_keeps_its_line_and_column_together(kam, tmp_path):
    """At 40 columns `accounts/e06-hooli/stakeholders.yaml:26:19:` (41 cells) was cut at
    the 40th cell, "stakeholders.yaml:26:" over "19: KAM201", a line number parted from
    its column; the path is now cut after a folder. The heading of the count by rule
    ("2,099 findings by rule, most severe first:", 42 cells) went past the edge."""
    people = "stakeholders:\n" + "".join(
        f"  - {{id: p{i:03d}, name: P {i}, roles: [D], attitude: '?', intimacy: 0}}\n"
        for i in range(12)
    )
    write_account(tmp_path, "e06-hooli-group", {"stakeholders.yaml": people})
    r = kam(tmp_path, "check", env={"COLUMNS": "40"})
    lines = r.stdout.splitlines()
    assert all(len(line) <= 40 for line in lines), [x for x in lines if len(x) > 40]
    assert "accounts/e06-hooli-group/" in lines
    import re

    places = [line for line in lines if line.startswith("    stakeholders.yaml:")]
    assert len(places) >= 12
    assert all(re.match(r"    stakeholders\.yaml:\d+:\d+: KAM\d{3}( |$)", x) for x in places)
    assert "findings by rule, most severe" in r.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("log", "ｔａｉｙａｎｇ", "boss", "-m", "x"),
            "no account 'ｔａｉｙａｎｇ'; did you mean 'taiyang'?",
        ),
        (("log", "taiyang", "boss", "--kind", "ｃａｌｌ"), "not 'ｃａｌｌ' (did you mean 'call'?)"),
        (("grade", "--format", "ｊｓｏｎ"), "not 'ｊｓｏｎ' (did you mean 'json'?)"),
        (("agenda", "--days", "７"), "not '７' (full-width characters: write 7)"),
        (("log", "taiyang", "ｂｏｓｓ", "-m", "x"), "did you mean 'boss'?"),
    ],
)
def test_what_is_typed_in_full_width_letters_is_told_the_ascii_one(kam, tmp_path, args, said):
    """An input method left in full-width mode types ｊｓｏｎ for json: refused with no
    suggestion, though a slip of one letter got one."""
    write_account(tmp_path, "taiyang")
    r = kam(tmp_path, *args)
    assert r.exit_code in (1, 2)
    assert said in " ".join(r.stderr.split())
    assert not (tmp_path / "accounts" / "taiyang" / "log.yaml").exists()


@pytest.mark.parametrize(
    ("header", "columns"),
    [
        (
            "姓名,職稱,部門,客戶ID",
            "columns: {crm_id: 客戶ID, name: 姓名, title: 職稱, department: 部門}",
        ),
        (
            "姓名,职称,部门,客户ID",
            "columns: {crm_id: 客户ID, name: 姓名, title: 职称, department: 部门}",
        ),
    ],
)
def test_a_taiwan_crm_export_is_given_its_map_line(kam, tmp_path, header, columns):
    """The `columns:` line kam writes for an unknown header read 客户ID, 姓名, 部门 but not
    the traditional 客戶ID, 職稱, 部門 (only `name: 姓名` came out), nor 职称 (a title)."""
    write_account(tmp_path, "taiyang")
    (tmp_path / "export.csv").write_bytes(
        (BOM + header + "\r\n張志明,總經理,董事會,C001\r\n").encode("utf-8")
    )
    r = kam(tmp_path, "import", "csv", "export.csv", "--account", "taiyang", "--dry-run")
    assert r.exit_code == 1
    assert columns in " ".join((r.stdout + r.stderr).split())


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("３０d", "30d"),
        ("60天", "60d"),
        ("3个月", "3m"),
        ('"6 W"', "6w"),
        ("2週", "2w"),
        ("30days", "30d"),
    ],
)
def test_a_duration_typed_otherwise_is_told_the_duration(kam, tmp_path, typed, meant):
    """`warn_after: ３０d` or `60天` in kam.yaml got the rule for durations but not the
    one to write."""
    write_account(tmp_path, "acme")
    (tmp_path / "kam.yaml").write_text(
        f"freshness:\n  last_contact:\n    focus: {{warn_after: {typed}, error_after: 90d}}\n",
        encoding="utf-8",
    )
    r = kam(tmp_path, "validate")
    assert r.exit_code == 2
    assert f"(write {meant}) (error)" in r.stdout + r.stderr


def test_a_duration_that_is_no_slip_gets_no_duration(kam, tmp_path):
    write_account(tmp_path, "acme")
    (tmp_path / "kam.yaml").write_text(
        "freshness:\n  last_contact:\n    focus: {warn_after: soon, error_after: 90d}\n",
        encoding="utf-8",
    )
    r = kam(tmp_path, "validate")
    assert r.exit_code == 2 and "(write" not in r.stdout + r.stderr


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("[S， A]", "focus tier 'S， A' is not a defined tier (S, A, B, C) ('，' is a full-width"),
        ("[S、A]", "focus tier 'S、A' is not a defined tier (S, A, B, C) ('、' is a full-width"),
        ("[Ｓ, a]", "focus tier 'Ｓ' is not a defined tier (S, A, B, C) (did you mean 'S'?)"),
    ],
)
def test_a_focus_tier_typed_with_full_width_marks_is_told_so(kam, tmp_path, typed, said):
    """`focus_tiers: [S， A]` was "not a defined tier" with no word of the comma, as
    `roles: [D，E]` has."""
    write_account(tmp_path, "acme")
    (tmp_path / "kam.yaml").write_text(f"focus_tiers: {typed}\n", encoding="utf-8")
    r = kam(tmp_path, "validate")
    assert r.exit_code == 2
    assert said in r.stdout + r.stderr


def test_the_grade_total_at_40_columns_keeps_each_count_with_its_letter(kam, tmp_path):
    """ "total: 60 accounts; letters 0 A, 0 B, 15" over "C, 30 D, 15 E" at 40 columns."""
    for i in range(12):
        write_account(tmp_path, f"acct-{i:02d}")
    r = kam(tmp_path, "grade", env={"COLUMNS": "40"})
    assert r.exit_code == 0, r.stderr
    tail = r.stdout.splitlines()[-2:]
    assert tail[0].startswith("total: 12 accounts; letters")
    for line in tail:
        assert not line.rstrip(", ").split()[-1].isdigit(), tail


@pytest.mark.parametrize(
    ("typed", "number"),
    [("1.200.000", "1200000"), ("1.200.000,50", "1200000.5"), ("0,92", "0.92"), ("0,920", "0.92")],
)
def test_an_amount_in_european_writing_is_told_the_number(kam, tmp_path, typed, number):
    account = (
        "id: acme\nname: Acme\nowner: li.ming\nreviewed: 2026-10-01\nposition: 3\n"
        f"value: 3\nfacts:\n  revenue: {typed}\n"
    )
    write_account(tmp_path, "acme", {"account.yaml": account})
    r = kam(tmp_path, "validate")
    assert f"separators or units: revenue: {number})" in r.stdout


def test_a_decimal_comma_in_a_rate_between_braces_is_told_the_point(kam, tmp_path):
    """`rates: {USD: 0,92}` read as USD: 0 and a key 92 with no value: "rates.92: must be
    a three-letter currency code ...; got '92' or must be a number", two problems run
    into one sentence, and no word of the comma. Then three findings for the one slip
    (USD's 0 out of range, 92 no currency code, 92 without a value): one, at the 92,
    that names the comma."""
    write_account(tmp_path, "acme")
    (tmp_path / "kam.yaml").write_text("currency: EUR\nrates: {USD: 0,92}\n", encoding="utf-8")
    r = kam(tmp_path, "validate")
    out = r.stdout + r.stderr
    assert r.exit_code == 2
    found = [line for line in out.splitlines() if "KAM002" in line]
    assert found == [
        "kam.yaml:2:18: KAM002 rates.92: must be a number, not empty (a comma ends a value "
        "inside {...}: write a decimal number with a point, USD: 0.92) (error)"
    ], out


@pytest.mark.parametrize(
    ("locale", "summary"),
    [
        ("zh_TW.Big5", "0 errors, 0 warnings, 0 info in 1 account"),
        ("zh_HK.big5hkscs", "0 errors, 0 warnings, 0 info in 1 account"),
        ("zh_TW.UTF-8", "1 个客户中：0 个错误"),
        ("zh_CN.GB18030", "1 个客户中：0 个错误"),
    ],
)
def test_a_big5_locale_gets_english_not_escapes(kam, tmp_path, locale, summary):
    """A Big5 locale has no simplified characters: "1 \\u4e2a客\\u6237中：0 \\u4e2a\\u9519
    \\u8bef" was what its terminal showed. A locale whose character set cannot write the
    Chinese catalogue gets English."""
    write_account(tmp_path, "acme")
    r = kam(tmp_path, "validate", env={"LANG": locale})
    assert r.exit_code == 0
    assert summary in r.stdout


def test_a_name_typed_in_the_other_script_is_suggested(kam, tmp_path):
    """`kam log taiyang 张国强` (a colleague typing simplified) for 張國強 said "its
    stakeholders.yaml lists 4 people ...: a new person goes there first", as if the
    person were not there; the account's name typed so (太阳光电) got no suggestion."""
    people = (
        "stakeholders:\n  - {id: zhang.gq, name: 張國強, roles: [D], attitude: 1, intimacy: 0}\n"
        "  - {id: lin.mei, name: 林美, roles: [E], attitude: 1, intimacy: 0}\n"
    )
    account = (
        "id: taiyang\nname: 太陽光電科技股份有限公司\nowner: li.ming\nreviewed: 2026-10-01\n"
        "position: 3\nvalue: 3\n"
    )
    write_account(tmp_path, "taiyang", {"account.yaml": account, "stakeholders.yaml": people})
    r = kam(tmp_path, "log", "taiyang", "张国强", "-m", "x", env={"LANG": "zh_TW.UTF-8"})
    assert r.exit_code == 1
    assert "没有干系人“张国强”；您是指“張國強”吗？" in r.stderr
    r = kam(tmp_path, "touch", "taiyang", "张国强", env={"LANG": "C.UTF-8"})
    assert "did you mean '張國強'?" in r.stderr
    r = kam(tmp_path, "log", "太阳光电", "zhang.gq", "-m", "x")
    assert "no account '太阳光电'; did you mean 'taiyang'?" in r.stderr
    assert not (tmp_path / "accounts" / "taiyang" / "log.yaml").exists()


def test_an_account_history_at_40_columns_is_records_not_cut_cells(kam, tmp_path):
    """`kam history huaxin` at 40 columns cut the dates and headings ("202…", "sc…",
    "let…") and broke the change three letters a line; a person's history was records
    already. At 80 the account's table stays."""
    import gitrepo

    repo = gitrepo.new_repo(tmp_path / "repo")
    folder = write_account(repo, "huaxin")
    gitrepo.commit(repo, "start", date="2026-11-02")
    text = (folder / "account.yaml").read_text(encoding="utf-8")
    (folder / "account.yaml").write_text(text.replace("value: 3", "value: 4"), encoding="utf-8")
    gitrepo.commit(repo, "value up", date="2026-11-09")
    narrow = kam(repo, "history", "huaxin", env={"COLUMNS": "40"})
    assert narrow.exit_code == 0, narrow.stderr
    assert "…" not in narrow.stdout
    lines = narrow.stdout.splitlines()
    assert "2026-11-09" in lines and all(len(x) <= 40 for x in lines)
    assert any(x.startswith("  commit ") and "score" in x for x in lines)
    wide = kam(repo, "history", "huaxin", env={"COLUMNS": "80"})
    assert "┃ date" in wide.stdout


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_rule_table_at_40_columns_breaks_no_rule_name(kam, tmp_path, lang):
    """`kam rules` at 40 columns broke the names of rules in their cells ("yaml-sy" over
    "ntax"); it is one record per rule there. At 80 it stays a table."""
    write_account(tmp_path, "acme")
    r = kam(tmp_path, "--lang", lang, "rules", env={"COLUMNS": "40"})
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert "KAM001" in lines and all(len(x) <= 40 for x in lines)
    assert "yaml-syntax" in r.stdout and "┃" not in r.stdout
    wide = kam(tmp_path, "--lang", lang, "rules", env={"COLUMNS": "80"})
    assert "┃" in wide.stdout


def test_the_score_components_at_40_columns_break_no_word(kam, tmp_path):
    """`kam grade ID` at 40 columns broke a word in nearly every cell of its components
    ("componen" over "t", "attitude" over "s"); they are records there."""
    write_account(tmp_path, "acme")
    r = kam(tmp_path, "grade", "acme", env={"COLUMNS": "40"})
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "decision makers" in lines and "known attitudes" in lines
    assert all(len(x) <= 40 for x in lines)
    assert "┃" not in r.stdout
    wide = kam(tmp_path, "grade", "acme", env={"COLUMNS": "80"})
    assert "┃ component" in wide.stdout
