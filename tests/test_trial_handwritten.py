"""Defects found by a small sales team (two of three in Chinese, `language: zh-CN`)
writing their accounts by hand in a text editor: the slips of someone typing YAML, each
told at its own line in the team's language, once, with what to write."""

from __future__ import annotations

import pytest

from conftest import dedent, write_account

PEOPLE = """\
stakeholders:
  - id: chen.gang
    name: 陈刚
    title: 首席信息官
    unit: it
    roles: [D]
    attitude: 1
    owner: wang.fang
  - id: liu.yang
    name: 刘洋
    reports_to: chen.gang
    unit: it
    roles: [E, I]
    attitude: "?"
    owner: zhao.lei
"""

ORG = """\
units:
  - id: it
    name: 信息技术部
  - id: stores
    name: 门店运营部
"""


def _repo(tmp_path, people=PEOPLE, language="zh-CN", **files):
    (tmp_path / ".git").mkdir(parents=True)
    (tmp_path / "kam.yaml").write_text(f"language: {language}\n", encoding="utf-8")
    write_account(tmp_path, "huarun", {"stakeholders.yaml": people, "org.yaml": ORG, **files})
    return tmp_path


def _findings(kam, repo, *args):
    r = kam(repo, "validate", "--format", "json", *args)
    return r.json()["findings"]


@pytest.mark.parametrize(
    "typed, lang, said",
    [
        (
            "attitude:1",
            "en",
            "no space after the colon of attitude: YAML needs a colon and a "
            "space: write attitude: 1",
        ),
        (
            "attitude:1",
            "zh-CN",
            "attitude 的冒号后缺少空格：YAML 需要冒号加一个空格，应写成 attitude: 1",
        ),
        ("attitude:\u30001", "en", "the space after 'attitude:' is a full-width space (U+3000)"),
        ("attitude:\u30001", "zh-CN", "“attitude:”后面是全角空格（U+3000）"),
    ],
)
def test_no_space_after_a_colon_is_named_at_its_own_line(kam, tmp_path, typed, lang, said):
    """`attitude:2` (no space) was libyaml's "while scanning a simple key: could not find
    expected ':'" at the NEXT line's first column, in any language."""
    repo = _repo(tmp_path, PEOPLE.replace("attitude: 1", typed))
    (f,) = _findings(kam, repo, "--lang", lang)
    assert f["code"] == "KAM001"
    assert said in f["message"], f["message"]
    assert (f["line"], f["column"]) == (7, 14)  # where the space belongs


def test_no_space_after_the_colon_of_an_item_s_first_key(kam, tmp_path):
    repo = _repo(tmp_path, PEOPLE.replace("  - id: liu.yang", "  - id:liu.yang"))
    (f,) = _findings(kam, repo, "--lang", "en")
    assert "write id: liu.yang" in f["message"], f["message"]
    assert (f["line"], f["column"]) == (9, 8)


@pytest.mark.parametrize(
    "old, new, line, col, said",
    [
        (
            "  - id: liu.yang",
            "   - id: liu.yang",
            9,
            4,
            "list item is indented 3 spaces and the items above it 2",
        ),
        (
            "  - id: liu.yang",
            "- id: liu.yang",
            9,
            1,
            "list item is indented 0 spaces and the items above it 2",
        ),
        (
            "    reports_to: chen.gang",
            "      reports_to: chen.gang",
            11,
            7,
            "key is indented 6 spaces and the key above it 4",
        ),
        (
            "    reports_to: chen.gang",
            "   reports_to: chen.gang",
            11,
            4,
            "key is indented 3 spaces and the key above it 4",
        ),
    ],
)
def test_a_misindented_item_or_key_says_the_indentation(kam, tmp_path, old, new, line, col, said):
    """libyaml said "while parsing a block collection: did not find expected '-'
    indicator" or "mapping values are not allowed in this context": true, and no help to
    someone who typed one space too many."""
    repo = _repo(tmp_path, PEOPLE.replace(old, new))
    (f,) = _findings(kam, repo, "--lang", "en")
    assert said in f["message"], f["message"]
    assert (f["line"], f["column"]) == (line, col)
    (f,) = _findings(kam, repo)
    assert "缩进" in f["message"], f["message"]


def test_a_misspelt_key_is_one_finding(kam, tmp_path):
    """`atitude: 1` was two errors: the unknown key with its "did you mean 'attitude'?",
    and "missing required key 'attitude' ...: one of ?" at the top of the entry."""
    repo = _repo(tmp_path, PEOPLE.replace("attitude: 1", "atitude: 1"))
    (f,) = _findings(kam, repo, "--lang", "en")
    assert f["message"].startswith("unknown key 'atitude'"), f["message"]
    assert "did you mean 'attitude'?" in f["message"]
    # typed with the input method's full-width space before the colon: the space is named
    repo = _repo(tmp_path / "wide", PEOPLE.replace("attitude: 1", "attitude\u3000: 1"))
    (f,) = _findings(kam, repo)
    assert "全角空格" in f["message"] and "您是指“attitude”吗" in f["message"], f["message"]
    # a key really missing is still told, without "one of ?" (an attitude is -3..+3 or ?)
    repo = _repo(tmp_path / "gone", PEOPLE.replace("    attitude: 1\n", ""))
    (f,) = _findings(kam, repo, "--lang", "en")
    assert f["message"] == "missing required key 'attitude' in stakeholders #1 (chen.gang)"


@pytest.mark.parametrize(
    "old, new, hint",
    [
        (
            "reports_to: chen.gang",
            "reports_to: 陈刚",
            "'陈刚' is the name of 'chen.gang': write its id, chen.gang",
        ),
        ("reports_to: chen.gang", "reports_to: Chen Gang", "Did you mean 'chen.gang'?"),
        (
            "    unit: it\n    roles: [E",
            "    unit: 门店运营部\n    roles: [E",
            "'门店运营部' is the name of 'stores': write its id, stores",
        ),
    ],
)
def test_a_reference_by_name_is_told_the_id(kam, tmp_path, old, new, hint):
    """`reports_to: 陈刚` was "not a valid id ... (an id is written in latin letters, such
    as pinyin; the name goes under name)", advice for an `id`, and `reports_to: Chen Gang`
    was told "did you mean 'chen-gang'?", an id nobody has."""
    assert old in PEOPLE
    repo = _repo(tmp_path, PEOPLE.replace(old, new), language="en")
    (f,) = _findings(kam, repo)
    assert f["code"] == "KAM003"
    assert f["hint"] == hint, f
    assert "pinyin" not in f["message"] + f["hint"]


def test_a_reference_by_name_is_told_the_id_while_that_entry_has_a_slip(kam, tmp_path):
    """陈刚's entry with a misspelt key (`atitude`) is left out of the model, and the
    reference `reports_to: 陈刚` lost its "write its id, chen.gang" for KAM003's general
    hint: one problem hid the fix of the other (every problem in one pass)."""
    people = PEOPLE.replace("reports_to: chen.gang", "reports_to: 陈刚").replace(
        "    attitude: 1\n", "    atitude: 1\n"
    )
    repo = _repo(tmp_path, people, language="en")
    found = {f["code"]: f for f in _findings(kam, repo)}
    assert sorted(found) == ["KAM002", "KAM003"], found
    assert found["KAM003"]["hint"] == "'陈刚' is the name of 'chen.gang': write its id, chen.gang"


def test_a_log_entry_with_a_name_is_told_the_id(kam, tmp_path):
    log = "entries:\n  - {date: 2026-11-20, with: [陈刚], by: [wang.fang]}\n"
    repo = _repo(tmp_path, **{"log.yaml": log})
    (f,) = _findings(kam, repo)
    assert f["code"] == "KAM003" and f["line"] == 2
    assert f["hint"] == "“陈刚”是“chen.gang”的名称：这里要写编号 chen.gang", f


@pytest.mark.parametrize(
    "roles, meant",
    [("[决策者]", "D"), ("[decision maker]", "D"), ("[e]", "E"), ("[教练]", "C"), ("[Coach]", "C")],
)
def test_a_role_in_words_is_told_its_letter(kam, tmp_path, roles, meant):
    """`roles: [决策者]` (the role as kam's own Chinese output names it) and `[decision
    maker]` were told the list of roles, with no "did you mean"."""
    repo = _repo(tmp_path, PEOPLE.replace("roles: [D]", f"roles: {roles}"))
    (f,) = _findings(kam, repo, "--lang", "en")
    assert f["message"].endswith(f"(did you mean '{meant}'?)"), f["message"]
    (f,) = _findings(kam, repo)
    assert f"您是指“{meant}”吗" in f["message"], f["message"]


def test_a_role_nobody_uses_gets_no_guess(kam, tmp_path):
    repo = _repo(tmp_path, PEOPLE.replace("roles: [D]", "roles: [拍板人]"))
    (f,) = _findings(kam, repo, "--lang", "en")
    assert "did you mean" not in f["message"]


def test_left_on_before_in_post_since_is_an_error(kam, tmp_path):
    """A person who left before taking the post was accepted without a word."""
    people = PEOPLE.replace(
        "    owner: wang.fang\n",
        "    owner: wang.fang\n    in_post_since: 2024-03-01\n    left_on: 2023-05-01\n",
    )
    repo = _repo(tmp_path, people)
    (f,) = _findings(kam, repo, "--lang", "en")
    assert f["code"] == "KAM002" and (f["line"], f["column"]) == (10, 14)
    assert "left_on 2023-05-01 is before in_post_since 2024-03-01" in f["message"]
    (f,) = _findings(kam, repo)
    assert "陈刚（chen.gang）：离任日期 left_on 2023-05-01 早于上任日期" in f["message"]
    # the same day, or a departure after, is fine
    fine = people.replace("left_on: 2023-05-01", "left_on: 2024-03-01")
    assert _findings(kam, _repo(tmp_path / "fine", fine)) == []


@pytest.mark.parametrize(
    "old, new, said",
    [
        ('attitude: "?"', "attitude: “?”", 'use ASCII quotes, "?", or none'),
        ("  - id: liu.yang", "  - id: “liu.yang”", 'use ASCII quotes, "liu.yang", or none'),
        (
            "reports_to: chen.gang",
            "reports_to: ‘chen.gang’",
            'use ASCII quotes, "chen.gang", or none',
        ),
    ],
)
def test_full_width_quotes_are_named(kam, tmp_path, old, new, said):
    """`attitude: “?”` typed with Chinese quotation marks was "must be ... or "?"; got
    '“?”'", leaving the reader to spot the difference between two pairs of quotes."""
    repo = _repo(tmp_path, PEOPLE.replace(old, new), language="en")
    (f,) = _findings(kam, repo)
    assert said in f["message"] + f["hint"], f


@pytest.mark.parametrize("typed", ["２０２６-１１-０５", "２０２６－１１－０５"])
def test_a_date_in_full_width_digits_is_told_its_ascii_form(kam, tmp_path, typed):
    """It was "'２０２６-１１-０５' is not a real calendar date": it is one, in the wrong digits."""
    people = PEOPLE.replace(
        "    owner: wang.fang\n", f"    owner: wang.fang\n    last_contact: {typed}\n"
    )
    (f,) = _findings(kam, _repo(tmp_path, people), "--lang", "en")
    assert f["message"].endswith(": write 2026-11-05"), f["message"]


def test_a_command_line_date_in_another_form_is_told_the_iso_form(kam, tmp_path):
    repo = _repo(tmp_path)
    r = kam(repo, "touch", "huarun", "chen.gang", "--contact", "2026/11/20", "--lang", "en")
    assert r.exit_code == 2
    assert r.stderr.strip().endswith(
        "not '2026/11/20': write 2026-11-20 (or 'today' for 2026-11-24)"
    ), r.stderr
    r = kam(repo, "grade", "--today", "２０２６-１１-２０", "--lang", "en")
    assert r.exit_code == 2 and "write 2026-11-20" in r.stderr, r.stderr
    r = kam(repo, "touch", "huarun", "chen.gang", "--contact", "2026年11月20日")
    assert "请写成 2026-11-20" in r.stderr, r.stderr


def test_a_person_typed_where_the_account_goes(kam, tmp_path):
    """From inside the account's folder, `kam touch chen.gang` was told to "name the
    PERSON whose contact to record" (it had), and `kam log chen.gang ...` "no account"
    with the list of accounts."""
    repo = _repo(tmp_path)
    inside = repo / "accounts" / "huarun"
    r = kam(inside, "touch", "chen.gang", "--lang", "en")
    assert r.exit_code == 1
    assert (
        "no account 'chen.gang'; 'chen.gang' is a person of account 'huarun': the account "
        "comes first"
    ) in r.stderr, r.stderr
    r = kam(inside, "log", "刘洋", "chen.gang", "-m", "拜访")
    assert "“刘洋”是客户“huarun”的干系人：应先写客户编号" in r.stderr, r.stderr
    # the account alone, with no person and no --reviewed, still asks for the PERSON
    r = kam(inside, "touch", "huarun", "--lang", "en")
    assert r.exit_code == 2 and "name the PERSON" in r.stderr


def test_unknown_command_in_chinese_names_one_command(kam, tmp_path):
    """click's "Did you mean 'check', 'schema'?" came out as 您是指 "check', 'schema" 吗？"""
    r = kam(_repo(tmp_path), "chek")
    assert r.exit_code == 2
    assert "没有命令“chek”；您是指“check”吗？" in r.stderr, r.stderr


def test_next_year_s_empty_plan_is_due_by_its_own_deadline(kam, tmp_path):
    """`kam init` late in the year writes `period:` next year; KAM306 then said to set
    the period to this year, the opposite of what the scaffold had done, and later called
    the empty 2027 file late on the 2026 deadline while the agenda and the rule's own text
    gave it until 2027-03-31. Next year's file is due by next year's deadline."""
    repo = _repo(tmp_path, language="en")
    (repo / "accounts" / "huarun" / "account.yaml").write_text(
        "id: huarun\nname: 华润\nowner: wang.fang\nreviewed: 2026-11-01\nposition: 5\nvalue: 5\n",
        encoding="utf-8",
    )
    (repo / "accounts" / "huarun" / "targets.yaml").write_text(
        "period: 2027\ntargets: []\n", encoding="utf-8"
    )
    r = kam(repo, "check", "--format", "json")
    assert [f for f in r.json()["findings"] if f["code"] == "KAM306"] == []
    r = kam(repo, "check", "--format", "json", "--today", "2027-04-01")
    (f,) = [f for f in r.json()["findings"] if f["code"] == "KAM306"]
    assert f["message"] == (
        "targets.yaml for 2027 has no targets, relationship goals or actions: "
        "the 2027 plan was due by 2027-03-31"
    )
    (repo / "accounts" / "huarun" / "targets.yaml").write_text("period: 2026\n", encoding="utf-8")
    r = kam(repo, "check", "--format", "json")
    (f,) = [f for f in r.json()["findings"] if f["code"] == "KAM306"]
    assert "the 2026 plan was due by 2026-03-31" in f["message"]
    assert "set targets.yaml `period` to this year" in f["hint"]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_new_account_in_december_agenda_and_kam306_agree(kam, tmp_path, lang):
    """A strategic account made with `kam init` in December: its targets.yaml is for
    2027 and empty. `kam check` said the 2026 plan was late while `kam agenda` gave the
    2027 plan until 2027-03-31 and `kam rules KAM306` said a later year is not late. Now
    the rule is silent until 2027's deadline, the agenda lists the step with that date,
    and both name 2027-03-31 once it has passed."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "kam.yaml").write_text(f"language: {lang}\n", encoding="utf-8")
    made = kam(
        tmp_path,
        "init",
        "huaxin",
        "--name",
        "华信重工机械股份有限公司",
        "--owner",
        "li.na",
        "--today",
        "2026-12-05",
    )
    assert made.exit_code == 0, made.stderr
    account = tmp_path / "accounts/huaxin/account.yaml"
    text = account.read_text(encoding="utf-8")
    text = text.replace("\nposition: 1 ", "\nposition: 4 ").replace("\nvalue: 1 ", "\nvalue: 4 ")
    account.write_text(text, encoding="utf-8")
    assert "\nperiod: 2027\n" in (tmp_path / "accounts/huaxin/targets.yaml").read_text(
        encoding="utf-8"
    )

    def plan_state(today, days):
        check = kam(tmp_path, "check", "--format", "json", "--today", today)
        assert check.exit_code == 0, check.stderr
        assert any(f["code"] == "KAM307" for f in check.json()["findings"])  # tier S
        late = [f["message"] for f in check.json()["findings"] if f["code"] == "KAM306"]
        agenda = kam(tmp_path, "agenda", "--format", "json", "--today", today, "--days", days)
        assert agenda.exit_code == 0, agenda.stderr
        steps = [i for i in agenda.json()["items"] if i["category"] == "plan"]
        return late, [(s["due"], "2027" in s["title"]) for s in steps]

    assert plan_state("2026-12-05", "130") == ([], [("2027-03-31", True)])
    assert plan_state("2026-12-05", "60") == ([], [])
    late, steps = plan_state("2027-04-01", "7")
    assert steps == [("2027-03-31", True)]
    (message,) = late
    assert "2027-03-31" in message and "2026" not in message, message


AGENDA_PEOPLE = dedent(
    """
    stakeholders:
      - id: zhou.jianguo
        name: 周建国
        roles: [D]
        attitude: 1
        owner: li.na
        last_contact: 2026-09-01
      - id: zheng.min
        name: 郑敏
        reports_to: zhou.jianguo
        roles: [D]
        attitude: -1
        owner: li.na
        last_contact: 2026-06-30
        in_post_since: 2026-10-01
    """
)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_agenda_fits_the_terminal_at_every_width(kam, tmp_path, lang):
    """At 80 columns the Chinese agenda's rows were 82 cells wide under an 80-cell border:
    rich gave the commands' column its minimum beyond the terminal's width."""
    (tmp_path / ".git").mkdir()
    write_account(tmp_path, "zhongjian-8", {"stakeholders.yaml": AGENDA_PEOPLE})
    from rich.cells import cell_len

    for width in range(76, 121):
        r = kam(tmp_path, "agenda", "--lang", lang, env={"COLUMNS": str(width)})
        assert r.exit_code == 0, r.stderr
        widest = max(cell_len(line) for line in r.stdout.splitlines())
        assert widest <= width, (width, r.stdout)
        assert "kam log zhongjian-8 zhou.jianguo" in r.stdout


def test_a_value_in_the_words_of_kam_s_output_is_told_the_value(kam, tmp_path):
    """`status: 计划中` and `kam log ... --kind 拜访`, the words kam's Chinese output shows
    for `planned` and `visit`, got the list of values and no "did you mean"."""
    targets = (
        "period: 2027\nactions:\n"
        "  - {id: visit-cio, text: 拜访陈刚, owner: wang.fang, due: 2026-12-15, status: 计划中}\n"
    )
    repo = _repo(tmp_path, **{"targets.yaml": targets})
    (f,) = _findings(kam, repo, "--lang", "en")
    assert f["message"].endswith("got '计划中' (did you mean 'planned'?)"), f["message"]
    r = kam(repo, "log", "huarun", "chen.gang", "--kind", "拜访", "-m", "见面")
    assert r.exit_code == 2
    assert "（您是指“visit”吗？）" in r.stderr, r.stderr
    assert not (repo / "accounts" / "huarun" / "log.yaml").exists()


def test_a_plan_late_in_december_asks_for_the_plan_in_preparation(kam, tmp_path):
    """In December a focus account without targets.yaml was told "set targets.yaml
    `period` to this year": a 2026 plan three weeks before 2026 ends, while `kam plan`
    and `kam agenda` already name 2027. From October the hint asks for the plan in
    preparation, which replaces this year's (and once written, the finding is gone)."""
    root = tmp_path
    (root / ".git").mkdir()
    assert kam(root, "init", "acme", "--name", "Acme S.A.", "--owner", "ana.silva").exit_code == 0
    folder = root / "accounts" / "acme"
    (folder / "targets.yaml").unlink()
    account = folder / "account.yaml"
    text = account.read_text("utf-8")
    account.write_text(
        text.replace("position: 1 ", "position: 5 ").replace("value: 1 ", "value: 5 "), "utf-8"
    )

    def kam306(day: str) -> dict:
        r = kam(root, "check", "--format", "json", "--today", day)
        (found,) = [f for f in r.json()["findings"] if f["code"] == "KAM306"]
        return found

    december = kam306("2026-12-05")
    assert december["message"].endswith("the 2026 plan was due by 2026-03-31"), december
    assert december["hint"].startswith("Issue the 2027 plan now, the one in preparation"), december
    assert "due by 2027-03-31; `kam plan ID` renders the set" in december["hint"], december
    assert kam306("2026-09-30")["hint"].startswith("Issue this year's three-piece set")
    (folder / "targets.yaml").write_text(
        "period: 2027\ntargets:\n  - {id: t1, kind: share, text: Share, due: 2027-12-31, "
        "owner: ana.silva}\n",
        "utf-8",
    )
    r = kam(root, "check", "--format", "json", "--today", "2026-12-05")
    assert not [f for f in r.json()["findings"] if f["code"] == "KAM306"]
