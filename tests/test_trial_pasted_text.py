"""A key account manager writes YAML by hand and pastes from Word, Excel, WeChat and
e-mail; sales-ops imports CRM exports with Chinese headers. Each slip is told its cause
and its fix, in English and in Chinese, at its own line, through the real CLI."""

from __future__ import annotations

import pytest

from conftest import write_account

PERSON = "stakeholders:\n  - id: li-na\n    name: 李娜\n    roles: [D]\n"


def _findings(kam, root, *lang):
    r = kam(root, *lang, "validate", "--format", "json")
    assert r.exit_code == 1, r.stdout
    return r.json()["findings"]


def _one(kam, root, text, *lang, file="stakeholders.yaml"):
    (root / ".git").mkdir(exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    write_account(root, "acme", {file: data})
    found = _findings(kam, root, *lang)
    assert len(found) == 1, found
    return found[0]


def test_a_colon_and_space_inside_a_value_is_told_to_quote_it(kam, tmp_path):
    f = _one(kam, tmp_path, PERSON + "    attitude: 1\n    notes: met him: friendly # wechat\n")
    assert (f["code"], f["line"], f["column"]) == ("KAM001", 6, 19), f
    assert "the value of notes holds a colon and a space" in f["message"], f
    assert 'notes: "met him: friendly"' in f["message"], f
    assert "in quotes" in f["hint"], f
    zh = _one(
        kam, tmp_path, PERSON + "    attitude: 1\n    notes: met him: friendly\n", "--lang", "zh-CN"
    )
    assert "冒号加空格" in zh["message"] and 'notes: "met him: friendly"' in zh["message"], zh


def test_a_value_with_a_double_quote_is_shown_in_single_quotes(kam, tmp_path):
    f = _one(kam, tmp_path, PERSON + '    attitude: 1\n    notes: said: "call me"\n')
    assert "notes: 'said: \"call me\"'" in f["message"], f


@pytest.mark.parametrize(
    ("line", "expect_en", "expect_zh"),
    [
        ("    notes:\u00a0friendly\n", "no-break space (U+00A0)", "不间断空格（U+00A0）"),
        ("  \u00a0\u00a0notes: friendly\n", "no-break space (U+00A0) at the start", "行首"),
        (
            "\u3000\u3000\u3000\u3000notes: friendly\n",
            "full-width space (U+3000) at the start",
            "行首",
        ),
    ],
)
def test_a_pasted_space_after_a_colon_or_as_indentation_is_named(
    kam, tmp_path, line, expect_en, expect_zh
):
    text = PERSON + "    attitude: 1\n" + line
    f = _one(kam, tmp_path, text)
    assert f["line"] == 6, f
    assert expect_en in f["message"], f
    assert "ASCII space" in f["message"], f
    zh = _one(kam, tmp_path, text, "--lang", "zh-CN")
    assert expect_zh in zh["message"], zh


def test_a_required_key_behind_pasted_spaces_is_one_finding(kam, tmp_path):
    """``    　　attitude: 1``: two full-width spaces after the indentation make the key
    "　　attitude", unknown, and the entry lacked its attitude: two findings for one slip
    ("missing required key 'attitude'" at the entry's top sent the user to add a line
    the file has). One, at the key, as for a misspelt key."""
    f = _one(kam, tmp_path, PERSON + "    \u3000\u3000attitude: 1\n")
    assert (f["code"], f["line"], f["column"]) == ("KAM002", 5, 5), f
    assert f["message"].startswith("unknown key 'attitude': a full-width space (U+3000)"), f


def test_a_pasted_space_beside_a_number_is_named(kam, tmp_path):
    f = _one(kam, tmp_path, PERSON + "    attitude: \u00a02\n")
    assert "a no-break space (U+00A0) beside the number" in f["message"], f
    assert "without quotes" not in f["message"], f


def test_a_lone_dash_for_attitude_says_what_to_write(kam, tmp_path):
    f = _one(kam, tmp_path, PERSON + "    attitude: -\n")
    assert (f["code"], f["line"], f["column"]) == ("KAM001", 5, 15), f
    assert "a lone '-' after attitude" in f["message"], f
    assert 'or "?" if not yet known' in f["message"], f
    zh = _one(kam, tmp_path, PERSON + "    attitude: -\n", "--lang", "zh-CN")
    assert "只有一个“-”" in zh["message"], zh


@pytest.mark.parametrize(
    ("word", "advice"),
    [
        ("positive", "for a supporter write 1, 2 or 3"),
        ("支持", "for a supporter write 1, 2 or 3"),
        ("Neutral", "for neutral write 0"),
        ("反对", "for an opponent write -1, -2 or -3"),
        ("未知", 'for not yet known write "?"'),
    ],
)
def test_an_attitude_in_words_is_told_the_number(kam, tmp_path, word, advice):
    f = _one(kam, tmp_path, PERSON + f"    attitude: {word}\n")
    assert f["code"] == "KAM002" and advice in f["message"], f


def test_an_attitude_in_words_in_chinese_output(kam, tmp_path):
    f = _one(kam, tmp_path, PERSON + "    attitude: 支持\n", "--lang", "zh-CN")
    assert "支持者请写 1、2 或 3" in f["message"], f


def test_a_key_written_twice_names_both_lines(kam, tmp_path):
    f = _one(kam, tmp_path, PERSON + "    attitude: 1\n    attitude: 2\n")
    assert (f["code"], f["line"], f["column"]) == ("KAM001", 6, 5), f
    assert "attitude is written twice in this entry (first on line 5)" in f["message"], f
    assert (
        f["hint"] == "Keep the line with the right value and delete the other (line 5 or line 6)."
    ), f
    zh = _one(kam, tmp_path, PERSON + "    attitude: 1\n    attitude: 2\n", "--lang", "zh-CN")
    assert "写了两次" in zh["message"], zh


@pytest.mark.parametrize(("char", "shown"), [("\x07", "U+0007 BEL"), ("\x1b", "U+001B ESC")])
def test_a_pasted_control_character_is_named_with_how_to_remove_it(kam, tmp_path, char, shown):
    f = _one(kam, tmp_path, PERSON + f"    attitude: 1\n    notes: hello{char}there\n")
    assert (f["line"], f["column"]) == (6, 17), f
    assert f"an invisible control character ({shown})" in f["message"], f
    assert f["hint"].startswith("Delete the character at this position"), f
    zh = _one(kam, tmp_path, PERSON + f"    attitude: 1\n    notes: a{char}\n", "--lang", "zh-CN")
    assert "控制字符" in zh["message"], zh


def test_a_date_with_a_time_is_told_the_date(kam, tmp_path):
    for value in ("2026-11-03 14:00", "2026-11-03 14:00:00", "2026-11-03T14:00"):
        f = _one(kam, tmp_path, PERSON + f"    attitude: 1\n    last_contact: {value}\n")
        assert f["code"] == "KAM002", f
        assert "without a time of day" in f["message"] and "write 2026-11-03" in f["message"], f
    zh = _one(
        kam,
        tmp_path,
        PERSON + "    attitude: 1\n    last_contact: 2026-11-03 14:00\n",
        "--lang",
        "zh-CN",
    )
    assert "2026-11-03" in zh["message"] and "时间" in zh["message"], zh


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_file_saved_as_utf16_without_bom_is_said_so(kam, tmp_path, encoding):
    f = _one(kam, tmp_path, (PERSON + "    attitude: 1\n").encode(encoding))
    assert (f["code"], f["line"], f["column"]) == ("KAM001", 1, 1), f
    assert f["message"] == "file is UTF-16, not UTF-8: save it as UTF-8", f
    assert "Save As" in f["hint"], f


def test_key_value_without_a_space(kam, tmp_path):
    f = _one(kam, tmp_path, PERSON + "    attitude:1\n")
    assert "no space after the colon of attitude" in f["message"], f


def test_a_file_of_comments_only(kam, tmp_path):
    """An optional file holding only comments is an empty file: fine; a required one is
    told what it needs."""
    (tmp_path / ".git").mkdir()
    write_account(
        tmp_path, "acme", {"org.yaml": "# units to come\n# later\n", "log.yaml": "# none\n"}
    )
    r = kam(tmp_path, "validate")
    assert r.exit_code == 0, r.stdout
    f = _one(kam, tmp_path, "# people to come\n")
    assert f["message"].startswith(
        "stakeholders.yaml holds only comments, which is an empty file"
    ), f


def test_a_list_typed_as_text_is_told_the_list(kam, tmp_path):
    f = _one(
        kam,
        tmp_path,
        "stakeholders:\n  - id: li-na\n    name: 李娜\n    attitude: 1\n    roles: decision maker, user\n",
    )
    assert "write roles: [D, S]" in f["message"], f
    f = _one(kam, tmp_path, PERSON + "    attitude: 1\n    channels: calls, wechat\n")
    assert "channels: [calls, wechat]" in f["message"], f


def test_a_number_where_a_text_goes_keeps_its_zeros_in_quotes(kam, tmp_path):
    f = _one(kam, tmp_path, PERSON + "    attitude: 1\n    crm_id: 00123  # from the CRM\n")
    assert 'reads 00123 as the number 123: put it in quotes, crm_id: "00123"' in f["message"], f
    zh = _one(kam, tmp_path, PERSON + "    attitude: 1\n    crm_id: 00123\n", "--lang", "zh-CN")
    assert 'crm_id: "00123"' in zh["message"] and "引号" in zh["message"], zh


def test_an_empty_list_key_says_how_to_write_none(kam, tmp_path):
    f = _one(
        kam, tmp_path, "stakeholders:\n  - id: li-na\n    name: 李娜\n    attitude: 1\n    roles:\n"
    )
    assert "nothing after roles" in f["message"] and "roles: []" in f["message"], f
    f = _one(kam, tmp_path, PERSON + "    attitude: 1\n    channels:\n")
    assert "write channels: [] for none" in f["message"], f


# ---------------------------------------------------------------- 1 day, not 1 days
def test_one_day_is_singular_in_every_message(kam, tmp_path):
    (tmp_path / ".git").mkdir()
    write_account(
        tmp_path,
        "acme",
        {
            "stakeholders.yaml": PERSON
            + "    attitude: 1\n    last_contact: 2026-11-25\n    left_on: 2026-11-25\n",
            "targets.yaml": "period: 2026\nactions:\n"
            "  - {id: a1, text: Call, owner: li.ming, due: 2026-11-23, status: planned}\n",
        },
    )
    r = kam(tmp_path, "check", "--fail-on", "error")
    assert "1 days" not in r.stdout, r.stdout
    assert "was due 2026-11-23, 1 day ago" in r.stdout, r.stdout
    assert "2026-11-25, 1 day in the future" in r.stdout, r.stdout
    assert "in 1 day: plan the successor" in r.stdout, r.stdout
    r = kam(tmp_path, "agenda", "--days", "1")
    assert "1 days" not in r.stdout and "the next 1 day" in r.stdout, r.stdout
    zh = kam(tmp_path, "--lang", "zh-CN", "check")
    assert "已过 1 天" in zh.stdout, zh.stdout


# ---------------------------------------------------------------- touch and log
BLOCK_PERSON = PERSON + "    attitude: 1\n    notes: |\n      Met at the fair.\n      Likes tea."
BLOCK_LOG = (
    "entries:\n  - date: 2026-11-20\n    with: [li-na]\n    by: [li.ming]\n    summary: >\n"
    "      Long talk about\n      the tender."
)


@pytest.mark.parametrize("end", ["", "\n", "\n\n"])
def test_touch_and_log_after_a_block_scalar(kam, tmp_path, end):
    (tmp_path / ".git").mkdir()
    folder = write_account(
        tmp_path, "acme", {"stakeholders.yaml": BLOCK_PERSON + end, "log.yaml": BLOCK_LOG + end}
    )
    r = kam(tmp_path, "touch", "acme", "li-na")
    assert r.exit_code == 0, r.stdout + r.stderr
    r = kam(tmp_path, "log", "acme", "li-na", "-m", "Dinner")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert kam(tmp_path, "validate").exit_code == 0
    from kamtool.load.yamlread import parse

    people = parse((folder / "stakeholders.yaml").read_text("utf-8")).data["stakeholders"]
    assert people[0]["notes"] == "Met at the fair.\nLikes tea.\n"
    assert str(people[0]["last_contact"]) == "2026-11-24"
    entries = parse((folder / "log.yaml").read_text("utf-8")).data["entries"]
    assert entries[0]["summary"] == "Long talk about the tender.\n"
    assert entries[1]["summary"] == "Dinner"


def test_touch_and_log_after_a_block_scalar_that_keeps_its_blank_lines(kam, tmp_path):
    (tmp_path / ".git").mkdir()
    people = BLOCK_PERSON.replace("notes: |", "notes: |+") + "\n\n\n"
    more = "  - id: bo\n    name: Bo\n    attitude: 1\n"
    folder = write_account(
        tmp_path,
        "acme",
        {"stakeholders.yaml": people + more, "log.yaml": BLOCK_LOG.replace(">", "|+") + "\n\n"},
    )
    assert kam(tmp_path, "touch", "acme", "li-na").exit_code == 0
    assert kam(tmp_path, "log", "acme", "li-na", "-m", "Dinner").exit_code == 0
    from kamtool.load.yamlread import parse

    data = parse((folder / "stakeholders.yaml").read_text("utf-8")).data["stakeholders"]
    assert data[0]["notes"] == "Met at the fair.\nLikes tea.\n\n\n"
    assert str(data[0]["last_contact"]) == "2026-11-24" and data[1]["id"] == "bo"
    entries = parse((folder / "log.yaml").read_text("utf-8")).data["entries"]
    assert entries[0]["summary"] == "Long talk about\nthe tender.\n\n" and len(entries) == 2


def test_import_after_a_block_scalar_without_a_final_line_break(kam, tmp_path):
    (tmp_path / ".git").mkdir()
    folder = write_account(tmp_path, "acme", {"stakeholders.yaml": BLOCK_PERSON})
    (tmp_path / "c.csv").write_text("Id,FirstName,LastName,Title\n0031,Anna,Lind,CFO\n")
    r = kam(tmp_path, "import", "csv", "c.csv", "--account", "acme")
    assert r.exit_code == 0, r.stdout + r.stderr
    from kamtool.load.yamlread import parse

    data = parse((folder / "stakeholders.yaml").read_text("utf-8")).data["stakeholders"]
    assert data[0]["notes"] == "Met at the fair.\nLikes tea.\n" and data[1]["name"] == "Anna Lind"


# ---------------------------------------------------------------- kam import
def test_an_export_with_chinese_headers_is_shown_its_map(kam, tmp_path):
    (tmp_path / ".git").mkdir()
    write_account(tmp_path, "acme")
    (tmp_path / "zh.csv").write_text(
        "姓名,职位,部门,手机,邮箱,客户ID\n李娜,采购经理,采购部,13800000000,lina@x.cn,C001\n",
        encoding="utf-8",
    )
    r = kam(tmp_path, "import", "csv", "zh.csv", "--account", "acme")
    assert r.exit_code == 1
    assert "give --map MAP.yaml" in (r.stdout + r.stderr), r.stdout + r.stderr
    assert "columns: {crm_id: 客户ID, name: 姓名, title: 职位, department: 部门, email: 邮箱}" in (
        r.stdout + r.stderr
    )
    # the example works as it is
    (tmp_path / "map.yaml").write_text(
        "columns: {crm_id: 客户ID, name: 姓名, title: 职位, department: 部门, email: 邮箱}\n",
        encoding="utf-8",
    )
    r = kam(tmp_path, "import", "csv", "zh.csv", "--account", "acme", "--map", "map.yaml")
    assert r.exit_code == 0, (r.stdout + r.stderr) + r.stderr
    zh = kam(
        tmp_path,
        "--lang",
        "zh-CN",
        "import",
        "csv",
        "zh.csv",
        "--account",
        "acme",
        "--map",
        "salesforce",
    )
    assert "MAP.yaml" in (zh.stdout + zh.stderr) and "crm_id: 客户ID" in (zh.stdout + zh.stderr), (
        zh.stdout + zh.stderr
    )


def test_an_export_without_an_id_column_gets_a_placeholder(kam, tmp_path):
    (tmp_path / ".git").mkdir()
    write_account(tmp_path, "acme")
    (tmp_path / "zh.csv").write_text("姓,名,职务\n李,娜,经理\n", encoding="utf-8")
    r = kam(tmp_path, "import", "csv", "zh.csv", "--account", "acme")
    assert "columns: {crm_id: " in (
        r.stdout + r.stderr
    ) and "first_name: 名, last_name: 姓, title: 职务}" in (r.stdout + r.stderr)


def test_duplicate_rows_are_read_once_with_a_note(kam, tmp_path):
    (tmp_path / ".git").mkdir()
    write_account(tmp_path, "acme")
    (tmp_path / "dup.csv").write_text(
        "Id,FirstName,LastName,Title\n0031,Anna,Lind,CFO\n0032,Bo,Berg,CTO\n"
        "0031,Anna,Lind,CFO\n0032,Bo,Berg,CTO\n0033,Cai,Xu,CEO\n"
    )
    r = kam(tmp_path, "import", "csv", "dup.csv", "--account", "acme")
    assert r.exit_code == 0, (r.stdout + r.stderr) + r.stderr
    assert "3 new" in (r.stdout + r.stderr), r.stdout + r.stderr
    assert "2 duplicate rows skipped (lines 4, 5)" in (r.stdout + r.stderr), r.stdout + r.stderr
    # the same id with other values is still two contacts in one: refused
    (tmp_path / "dup.csv").write_text(
        "Id,FirstName,LastName,Title\n0031,Anna,Lind,CFO\n0031,Anna,Lind,CEO\n"
    )
    r = kam(tmp_path, "import", "csv", "dup.csv", "--account", "acme")
    assert r.exit_code == 1 and "is on line 2 already" in (r.stdout + r.stderr), r.stdout + r.stderr
    zh_file = "Id,FirstName,LastName\n1,A,B\n1,A,B\n"
    (tmp_path / "dup.csv").write_text(zh_file)
    zh = kam(
        tmp_path, "--lang", "zh-CN", "import", "csv", "dup.csv", "--account", "acme", "--dry-run"
    )
    assert "重复" in (zh.stdout + zh.stderr), zh.stdout + zh.stderr


# ---------------------------------------------------------------- more slips of the kind
def test_a_colon_and_space_inside_braces_is_told_to_quote_it(kam, tmp_path):
    f = _one(
        kam,
        tmp_path,
        "stakeholders:\n  - {id: a, name: A, attitude: 1, notes: met him: friendly}\n",
    )
    assert (f["code"], f["line"], f["column"]) == ("KAM001", 2, 49), f
    assert 'notes: "met him: friendly"' in f["message"], f


def test_a_bracket_never_closed_is_told_at_the_bracket(kam, tmp_path):
    """``roles: [D, S`` without its ``]``: libyaml stops on the next key's line, or on a
    line past the end of the file (where a pull request cannot show an annotation), with
    "did not find expected ',' or ']'". kam points at the bracket and says it is open; an
    error on the bracket's own line keeps the parser's position."""
    f = _one(kam, tmp_path, PERSON.replace("[D]", "[D, S") + "    attitude: 1\n")
    assert (f["line"], f["column"]) == (4, 12), f
    assert f["message"] == "the [ opened here is never closed: end the list with ]", f
    f = _one(kam, tmp_path, "stakeholders:\n  - {id: a, name: A, roles: [D]\n")
    assert (f["line"], f["column"]) == (2, 5), f
    assert f["message"] == "the { opened here is never closed: end the mapping with }", f
    f = _one(kam, tmp_path, "stakeholders:\n  - {id: a, name: A, roles: [D]\n", "--lang", "zh-CN")
    assert f["message"] == "此处打开的 { 没有闭合：请用 } 结束这个映射", f
    # left empty, or ending in a comma, at the end of the file: libyaml's "did not find
    # expected node content" stood on a line past the end
    f = _one(kam, tmp_path, PERSON.replace("[D]", "[D,"))
    assert (f["line"], f["column"]) == (4, 12), f
    assert f["message"] == "the [ opened here is never closed: end the list with ]", f
    f = _one(kam, tmp_path, "stakeholders: [")
    assert (f["line"], f["column"]) == (1, 15), f
    f = _one(kam, tmp_path, "stakeholders:\n  - {id: a, name: A} x\n")
    assert f["line"] == 2 and "never closed" not in f["message"], f


def test_quotes_inside_quotes_and_a_quote_never_closed(kam, tmp_path):
    f = _one(kam, tmp_path, PERSON + '    attitude: 1\n    notes: "he said "ok" and left"\n')
    assert (f["line"], f["column"]) == (6, 22), f
    assert "notes: 'he said \"ok\" and left'" in f["message"], f
    f = _one(kam, tmp_path, PERSON + "    attitude: 1\n    notes: 'it's fine'\n")
    assert 'notes: "it\'s fine"' in f["message"] and "twice ('')" in f["message"], f
    f = _one(kam, tmp_path, 'stakeholders:\n  - id: a\n    name: "A\n    attitude: 1\n')
    assert (f["line"], f["column"]) == (3, 11), f
    assert f["message"].startswith('the quote " opened here is never closed'), f
    zh = _one(
        kam,
        tmp_path,
        'stakeholders:\n  - id: a\n    name: "A\n    attitude: 1\n',
        "--lang",
        "zh-CN",
    )
    assert "没有闭合" in zh["message"], zh


def test_a_zero_width_character_in_an_id_or_a_handle(kam, tmp_path):
    f = _one(kam, tmp_path, "stakeholders:\n  - id: zhang\u200bwei\n    name: A\n    attitude: 1\n")
    assert "invisible zero-width character (U+200B)" in f["message"], f
    assert "did you mean 'zhangwei'?" in f["message"], f
    f = _one(kam, tmp_path, PERSON + "    attitude: 1\n    owner: li.ming\u200b\n")
    assert f["message"].endswith(
        "holds an invisible zero-width character (U+200B), pasted with the text: write 'li.ming'"
    ), f


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("46330", "46330 looks like a date as Excel stores it (2026-11-04): write 2026-11-04"),
        ("2026-11-03 (call)", "must be a date alone: write 2026-11-03, and keep '(call)'"),
        ("3 Nov 2026", "write 2026-11-03"),
        ("03-Nov-2026", "write 2026-11-03"),
        ("November 3, 2026", "write 2026-11-03"),
    ],
)
def test_dates_as_spreadsheets_and_people_write_them(kam, tmp_path, value, said):
    f = _one(kam, tmp_path, PERSON + f"    attitude: 1\n    last_contact: {value}\n")
    assert f["code"] == "KAM002" and said in f["message"], f


def test_two_roles_with_a_space_between_them(kam, tmp_path):
    f = _one(
        kam, tmp_path, "stakeholders:\n  - id: a\n    name: A\n    attitude: 1\n    roles: [D E]\n"
    )
    assert "'D E' is 2 roles in one item: separate them with a comma, [D, E]" in f["message"], f


def test_kam_log_refusals_are_in_chinese(kam, tmp_path):
    (tmp_path / ".git").mkdir()
    write_account(tmp_path, "acme", {"log.yaml": "{}\n"})
    r = kam(tmp_path, "--lang", "zh-CN", "log", "acme", "boss", "-m", "x")
    assert r.exit_code == 1
    assert "log.yaml 不是带 `entries:` 列表的块映射" in r.stdout + r.stderr, r.stdout + r.stderr


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_chinese_file_in_utf16_without_bom(kam, tmp_path, encoding):
    text = "# 客户的干系人，由销售运营从企业微信整理后粘贴到这里，请勿随意修改格式\n" + PERSON
    f = _one(kam, tmp_path, (text + "    attitude: 1\n").encode(encoding))
    assert f["message"] == "file is UTF-16, not UTF-8: save it as UTF-8", f


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_an_export_in_utf16_without_bom_is_read(kam, tmp_path, encoding):
    (tmp_path / ".git").mkdir()
    write_account(tmp_path, "acme")
    csv = "Id\tFirstName\tLastName\tTitle\n0031\t娜\t李\t采购经理\n"
    (tmp_path / "u16.csv").write_bytes(csv.encode(encoding))
    r = kam(tmp_path, "import", "csv", "u16.csv", "--account", "acme", "--dry-run")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "(salesforce map, UTF-16, tab): 1 contact; 1 new" in r.stdout, r.stdout
