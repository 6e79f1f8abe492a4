"""A sales-ops team at a Chinese industrial company imports the people of its accounts from
CRM exports (GBK and UTF-8 files from Chinese Excel, a European CRM's semicolons, one export
covering many customers) and keeps them up to date: what that trial showed, through the
real CLI on real files, each kept from coming back."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import write_account
from kamtool.load.yamlread import parse


def people(folder: Path) -> list[dict]:
    return parse((folder / "stakeholders.yaml").read_text("utf-8")).data["stakeholders"]


def git(cwd: Path, *args: str) -> None:
    ident = ["-c", "user.email=k@example.com", "-c", "user.name=k"]
    subprocess.run(["git", *ident, *args], cwd=cwd, check=True, capture_output=True)


def crlf_csv(rows: list[list[str]], sep: str = ",") -> str:
    return "".join(sep.join(r) + "\r\n" for r in rows)


ZH_MAP = (
    "columns: {crm_id: 联系人编号, name: 姓名, title: 职位, manager: 上级, account: 客户名称}\n"
)


@pytest.fixture
def two_customers(tmp_path: Path) -> Path:
    for account_id, name in (("nanhai", "南海化工集团"), ("jinling", "金陵汽车零部件有限公司")):
        account = f"id: {account_id}\nname: {name}\nowner: chen.hui\nreviewed: 2026-10-01\n"
        account += "position: 3\nvalue: 3\n"
        write_account(
            tmp_path,
            account_id,
            {"account.yaml": account, "stakeholders.yaml": "stakeholders: []\n"},
        )
    (tmp_path / "map.yaml").write_text(ZH_MAP, "utf-8")
    return tmp_path


def test_a_contact_filed_under_two_accounts_imports_into_each(kam, two_customers):
    """One board member of two customers is one CRM contact exported once per customer,
    with the same id: the import of the second customer was refused ("P3001 is on line 2
    already: one contact per row"), though line 2 is the other customer's and left out."""
    rows = [
        ["联系人编号", "客户名称", "姓名", "职位", "上级"],
        ["P3001", "南海化工集团", "钱国栋", "董事", ""],
        ["P3002", "南海化工集团", "郭美玲", "生产副总", "钱国栋"],
        ["P4001", "金陵汽车零部件有限公司", "唐宇", "采购经理", ""],
        ["P3001", "金陵汽车零部件有限公司", "钱国栋", "独立董事", ""],
    ]
    (two_customers / "export.csv").write_bytes(crlf_csv(rows).encode("gbk"))
    for account_id in ("nanhai", "jinling"):
        r = kam(two_customers, "import", "csv", "export.csv", "--account", account_id,
                "--map", "map.yaml", "--lang", "zh-CN")  # fmt: skip
        assert r.exit_code == 0, r.stderr
        assert "一个联系人" not in r.stderr + r.stdout
    nanhai = people(two_customers / "accounts" / "nanhai")
    jinling = people(two_customers / "accounts" / "jinling")
    assert [(p["name"], p["title"]) for p in nanhai] == [("钱国栋", "董事"), ("郭美玲", "生产副总")]
    assert [(p["name"], p["title"], p["crm_id"]) for p in jinling] == [
        ("唐宇", "采购经理", "P4001"),
        ("钱国栋", "独立董事", "P3001"),
    ]
    # within one account the same id on two rows is still refused
    rows.append(["P3001", "金陵汽车零部件有限公司", "钱国栋", "董事长", ""])
    (two_customers / "export.csv").write_bytes(crlf_csv(rows).encode("gbk"))
    r = kam(two_customers, "import", "csv", "export.csv", "--account", "jinling",
            "--map", "map.yaml", "--dry-run")  # fmt: skip
    assert r.exit_code == 1
    assert "export.csv:6: 联系人编号 'P3001' is on line 5 already" in r.stderr


def test_a_namesake_in_another_account_is_no_note(kam, two_customers):
    """The note "the same person twice in the CRM? Both are imported" named a row of the
    other customer, which is not imported at all."""
    rows = [
        ["联系人编号", "客户名称", "姓名", "职位", "上级"],
        ["P3001", "南海化工集团", "钱国栋", "董事", ""],
        ["P4001", "金陵汽车零部件有限公司", "钱国栋", "独立董事", ""],
    ]
    (two_customers / "export.csv").write_bytes(crlf_csv(rows).encode("gbk"))
    r = kam(two_customers, "import", "csv", "export.csv", "--account", "jinling",
            "--map", "map.yaml")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert "has the name of line" not in r.stdout


def test_crm_ids_that_lost_their_leading_zeros_in_excel_are_refused(kam, tmp_path):
    """A European CRM writes contact numbers with leading zeros (000123); the next export,
    opened and saved in Excel, says 123. Nothing matched, and every person came in a second
    time (hans-becker-2...) while the real ones were listed as candidates for left_on."""
    write_account(tmp_path, "cj", {"stakeholders.yaml": "stakeholders: []\n"})
    (tmp_path / "map.yaml").write_text(
        "columns: {crm_id: Contact No., name: Full Name, title: Position, manager: Reports to}\n",
        "utf-8",
    )
    header = ["Contact No.", "Full Name", "Position", "Reports to", "Phone"]
    first = [
        header,
        ["000123", "Hans Becker", "Technical Director", "", "+49 40 1234567"],
        ["000124", "黄磊", "厂长", "", "+86 510 8888 0001"],
        ["000125", "徐文博", "Procurement Manager", "000124", "0510-88880002"],
    ]
    (tmp_path / "export.csv").write_text(crlf_csv(first, ";"), "utf-8")
    args = ("import", "csv", "export.csv", "--account", "cj", "--map", "map.yaml")
    assert kam(tmp_path, *args).exit_code == 0
    before = (tmp_path / "accounts" / "cj" / "stakeholders.yaml").read_bytes()
    excel = [header] + [
        [c.lstrip("0") if c[:1] == "0" and c.isdigit() else c for c in r] for r in first[1:]
    ]
    excel.append(["126", "何佳", "", "124", ""])
    (tmp_path / "export.csv").write_text(crlf_csv(excel, ";"), "utf-8")
    r = kam(tmp_path, *args)
    assert r.exit_code == 1
    assert (
        "export.csv:2: Contact No. '123' and the crm_id '000123' of Hans Becker (hans-becker) "
        "differ only in leading zeros: Excel drops the zeros" in " ".join(r.stderr.split())
    )
    assert "(so do 2 more rows: lines 3, 4)" in r.stderr
    assert (tmp_path / "accounts" / "cj" / "stakeholders.yaml").read_bytes() == before
    zh = kam(tmp_path, *args, "--lang", "zh-CN")
    assert zh.exit_code == 1
    assert "前导零" in zh.stderr and "differ" not in zh.stderr


def test_the_review_of_a_reimport_names_the_new_manager(kam, tmp_path):
    """People imported with Chinese names get ids from the CRM (crm-c0004): the review of
    a re-import said "reports to crm-c0004 → crm-c0008", which tells a reviewer nothing."""
    write_account(tmp_path, "sanhe", {"stakeholders.yaml": "stakeholders: []\n"})
    (tmp_path / "map.yaml").write_text(
        "columns: {crm_id: 客户ID, name: 姓名, title: 职位, manager: 直属上级}\n", "utf-8"
    )
    header = ["客户ID", "姓名", "职位", "直属上级"]
    rows = [header, ["C0002", "李秀英", "总经理", ""], ["C0004", "刘洋", "采购中心主任", "李秀英"]]
    rows.append(["C0007", "赵敏", "采购主管", "C0004"])
    (tmp_path / "export.csv").write_bytes(b"\xef\xbb\xbf" + crlf_csv(rows).encode("utf-8"))
    args = ("import", "csv", "export.csv", "--account", "sanhe", "--map", "map.yaml")
    assert kam(tmp_path, *args).exit_code == 0
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "import")
    rows[3][3] = "C0008"
    rows.append(["C0008", "孙浩", "采购中心主任", "C0002"])
    (tmp_path / "export.csv").write_bytes(crlf_csv(rows).encode("gbk"))
    dry = kam(tmp_path, *args, "--dry-run", "--lang", "zh-CN")
    assert "汇报给 刘洋 → 孙浩" in dry.stdout
    assert kam(tmp_path, *args).exit_code == 0
    assert "reports to 刘洋 → 孙浩" in kam(tmp_path, "diff").stdout
    assert (
        "汇报给 刘洋 → 孙浩"
        in kam(tmp_path, "diff", "--format", "markdown", "--lang", "zh-CN").stdout
    )
    # JSON keeps the ids, for scripts
    change = next(
        c
        for c in kam(tmp_path, "diff", "--format", "json").json()["accounts"][0]["changes"]
        if c["kind"] == "reports_to"
    )
    assert (change["before"], change["after"]) == ("crm-c0004", "crm-c0008")


def test_an_import_names_whom_it_updated_and_what_in_the_output_language(kam, tmp_path):
    """After a real import the summary listed "crm-c0007: reports_to crm-c0004 → crm-c0008":
    the YAML key in English in a Chinese summary, and people by the ids an import gives
    Chinese names, where kam diff and --dry-run say "赵敏：汇报给 刘洋 → 孙浩"."""
    write_account(tmp_path, "sanhe", {"stakeholders.yaml": "stakeholders: []\n"})
    (tmp_path / "map.yaml").write_text(
        "columns: {crm_id: 客户ID, name: 姓名, title: 职位, manager: 直属上级}\n", "utf-8"
    )
    rows = [["客户ID", "姓名", "职位", "直属上级"], ["C0004", "刘洋", "采购中心主任", ""]]
    rows += [["C0008", "孙浩", "采购中心主任", ""], ["C0007", "赵敏", "", "C0004"]]
    (tmp_path / "export.csv").write_text(crlf_csv(rows), "utf-8")
    args = ("import", "csv", "export.csv", "--account", "sanhe", "--map", "map.yaml")
    assert kam(tmp_path, *args).exit_code == 0
    rows[3][2:] = ["采购主管", "C0008"]
    (tmp_path / "export.csv").write_text(crlf_csv(rows), "utf-8")
    r = kam(tmp_path, *args, "--lang", "zh-CN")
    assert r.exit_code == 0, r.stderr
    assert "  赵敏（crm-c0007）：职务 - → 采购主管\n" in r.stdout
    assert "  赵敏（crm-c0007）：汇报给 刘洋 → 孙浩\n" in r.stdout
    assert "reports_to" not in r.stdout and "title" not in r.stdout


def test_a_file_that_cannot_be_read_says_why_in_the_output_language(kam, tmp_path):
    """A mistyped export path gave "无法读取 x.csv：No such file or directory": the
    system's reason stayed English in a Chinese line."""
    write_account(tmp_path, "sanhe", {"stakeholders.yaml": "stakeholders: []\n"})
    (tmp_path / "exports").mkdir()
    args = ("import", "csv", "--account", "sanhe", "--lang", "zh-CN")
    r = kam(tmp_path, *args, "三和联系人.csv")
    assert r.exit_code == 2  # a path that names no file: a usage error, as a missing --map
    assert r.stderr == "kam：错误：无法读取三和联系人.csv：没有这个文件或文件夹\n"
    assert "这是一个文件夹" in kam(tmp_path, *args, "exports").stderr
    en = kam(tmp_path, "import", "csv", "x.csv", "--account", "sanhe")
    assert "cannot read x.csv: No such file or directory" in en.stderr


def test_a_gbk_export_with_a_row_pasted_in_as_utf8_names_the_line(kam, tmp_path):
    """A GBK export from Chinese Excel with one row added in a UTF-8 editor was refused
    with "cannot tell the encoding" and no line: which row to fix was anybody's guess."""
    write_account(tmp_path, "sanhe", {"stakeholders.yaml": "stakeholders: []\n"})
    (tmp_path / "map.yaml").write_text(
        "columns: {crm_id: 客户ID, name: 姓名, title: 职位}\n", "utf-8"
    )
    rows = [
        ["客户ID", "姓名", "职位"],
        ["C0001", "王建国", "董事长"],
        ["C0002", "李秀英", "总经理"],
    ]
    raw = crlf_csv(rows).encode("gbk") + "C0010,钟南山,顾问\r\n".encode()
    (tmp_path / "export.csv").write_bytes(raw)
    args = ("import", "csv", "export.csv", "--account", "sanhe", "--map", "map.yaml")
    r = kam(tmp_path, *args)
    assert r.exit_code == 2
    assert "export.csv:4: this line is UTF-8 and line 1 is not: the file mixes two encodings" in (
        " ".join(r.stderr.split())
    )
    zh = kam(tmp_path, *args, "--lang", "zh-CN")
    assert "export.csv:4: 这一行是 UTF-8，而第 1 行不是" in zh.stderr
    # the other way round: a UTF-8 export with a GBK row
    raw = crlf_csv(rows).encode("utf-8") + "C0010,钟南山,顾问\r\n".encode("gbk")
    (tmp_path / "export.csv").write_bytes(raw)
    r = kam(tmp_path, *args)
    assert "export.csv:4: this line is not UTF-8 and line 1 is" in " ".join(r.stderr.split())


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # the customer's number first, then the contact's: the contact's is the id
        (
            "客户编号,客户名称,联系人编号,姓名,职位,上级编号",
            "columns: {crm_id: 联系人编号, name: 姓名, title: 职位, manager: 上级编号, "
            "account: 客户名称}",
        ),
        (
            "Contact No.;Full Name;Position;Department;Reports to;Attitude",
            "columns: {crm_id: Contact No., name: Full Name, title: Position, "
            "manager: Reports to, department: Department}",
        ),
    ],
    ids=["chinese-crm", "european-crm"],
)
def test_the_map_suggested_for_an_unknown_header_takes_the_right_columns(
    kam, tmp_path, header, expected
):
    """The columns: line offered for a header kam does not know took the customer's
    number (客户编号, the same on every row) for the contact's id when it came first, and
    left out 上级编号 (the manager's number) and a European CRM's "Contact No.": copied as
    given, the import lost the reporting lines or refused every row."""
    write_account(tmp_path, "sanhe", {"stakeholders.yaml": "stakeholders: []\n"})
    (tmp_path / "export.csv").write_bytes(b"\xef\xbb\xbf" + (header + "\r\n").encode())
    r = kam(tmp_path, "import", "csv", "export.csv", "--account", "sanhe")
    assert r.exit_code == 1
    assert expected in " ".join(r.stderr.split())


def test_rows_under_a_short_form_of_the_account_name_are_not_hidden(kam, tmp_path):
    """An export of many customers files one contact under 恒通电缆, the rest under
    恒通电缆有限公司: the row was left out as another account's, and the list of accounts
    left out, cut after five, hid exactly that name under "另有 1 个"; in Chinese the counts
    read "东方机械制造有限公司: 3", an English colon."""
    account = "id: hengtong\nname: 恒通电缆有限公司\nowner: wang.jing\nreviewed: 2026-10-01\n"
    write_account(
        tmp_path,
        "hengtong",
        {
            "account.yaml": account + "position: 2\nvalue: 2\n",
            "stakeholders.yaml": "stakeholders: []\n",
        },
    )
    (tmp_path / "map.yaml").write_text(ZH_MAP, "utf-8")
    rows = [["联系人编号", "客户名称", "姓名", "职位", "上级"]]
    for n, company in enumerate(["东方机械", "金陵汽车", "北方水泥", "南海化工", "天山油田"]):
        rows += [[f"P{n}{i}", company, f"员工{n}{i}", "", ""] for i in range(2)]
    rows += [["P6001", "恒通电缆有限公司", "曹颖", "技术总监", ""]]
    rows += [["P6002", "恒通电缆", "彭涛", "采购员", "曹颖"]]
    (tmp_path / "export.csv").write_bytes(crlf_csv(rows).encode("gbk"))
    args = ("import", "csv", "export.csv", "--account", "hengtong", "--map", "map.yaml")
    r = kam(tmp_path, *args, "--dry-run", "--lang", "zh-CN")
    assert r.exit_code == 0, r.stderr
    text = " ".join(r.stdout.split())
    assert "11 行属于其他客户（恒通电缆 1 行、东方机械 2 行、" in text
    assert "注意：“恒通电缆”（1 行）看起来是“恒通电缆有限公司”的另一种写法" in text
    data = kam(tmp_path, *args, "--dry-run", "--format", "json").json()
    assert data["other_accounts_alike"] == {"恒通电缆": 1}


def test_a_row_without_id_or_name_names_the_empty_column(kam, tmp_path):
    """ "这一行没有 CRM 编号" and "联系人“C0002”没有姓名" said what was missing but not in which
    column of a header the user had mapped themselves (客户ID, 姓名)."""
    write_account(tmp_path, "sanhe", {"stakeholders.yaml": "stakeholders: []\n"})
    (tmp_path / "map.yaml").write_text(
        "columns: {crm_id: 客户ID, name: 姓名, title: 职位}\n", "utf-8"
    )
    rows = [["客户ID", "姓名", "职位"], ["", "王建国", "董事长"], ["C0002", "", "总经理"]]
    (tmp_path / "export.csv").write_bytes(crlf_csv(rows).encode("gbk"))
    args = ("import", "csv", "export.csv", "--account", "sanhe", "--map", "map.yaml")
    r = kam(tmp_path, *args, "--lang", "zh-CN")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[:2] == [
        "export.csv:2: 这一行没有 CRM 编号（“客户ID”列为空）：以后无法匹配",
        "export.csv:3: 联系人“C0002”没有姓名（“姓名”列为空）",
    ]


@pytest.mark.parametrize(
    "typed",
    ["阿卜杜拉•买买提", "阿卜杜拉・买买提", "阿卜杜拉.买买提", "阿卜杜拉 · 买买提"],
    ids=["bullet", "katakana-dot", "full-stop", "spaced"],
)
def test_a_transliterated_name_is_found_whichever_dot_is_typed(kam, tmp_path, typed):
    """The CRM wrote 阿卜杜拉·买买提 (U+00B7); typed with the bullet or the katakana dot an
    input method gives, or a full stop, kam log refused "no stakeholder", though it found
    the person without case, spaces or full-width letters."""
    people_yaml = (
        "stakeholders:\n  - id: crm-c0006\n    name: 阿卜杜拉·买买提\n    attitude: '?'\n"
        "    crm_id: C0006\n"
    )
    write_account(tmp_path, "sanhe", {"stakeholders.yaml": people_yaml})
    r = kam(tmp_path, "log", "sanhe", typed, "-m", "电话沟通", "--kind", "call", "--lang", "zh-CN")
    assert r.exit_code == 0, r.stderr
    assert "与阿卜杜拉·买买提（crm-c0006）的电话" in r.stdout
    touch = kam(tmp_path, "touch", "sanhe", typed, "--reviewed", "2026-11-20")
    assert touch.exit_code == 0, touch.stderr


def test_an_export_naming_the_account_only_otherwise_names_that_spelling_first(kam, tmp_path):
    """When no row names the account, the refusal lists the accounts the file holds, the
    most rows first and cut after five: the one spelling like the account's (恒通电缆 for
    恒通电缆有限公司), the one to fix, was hidden in "另有 1 个"."""
    account = "id: hengtong\nname: 恒通电缆有限公司\nowner: wang.jing\nreviewed: 2026-10-01\n"
    write_account(
        tmp_path,
        "hengtong",
        {
            "account.yaml": account + "position: 2\nvalue: 2\n",
            "stakeholders.yaml": "stakeholders: []\n",
        },
    )
    (tmp_path / "map.yaml").write_text(ZH_MAP, "utf-8")
    rows = [["联系人编号", "客户名称", "姓名", "职位", "上级"]]
    for n, company in enumerate(["东方机械", "金陵汽车", "北方水泥", "南海化工", "天山油田"]):
        rows += [[f"P{n}{i}", company, f"员工{n}{i}", "", ""] for i in range(2)]
    rows += [["P6002", "恒通电缆", "彭涛", "采购员", ""]]
    (tmp_path / "export.csv").write_bytes(crlf_csv(rows).encode("gbk"))
    r = kam(tmp_path, "import", "csv", "export.csv", "--account", "hengtong", "--map", "map.yaml")
    assert r.exit_code == 1
    assert "its rows name '恒通电缆', '东方机械'" in " ".join(r.stderr.split())


def test_a_map_asking_for_attitude_says_why_not_in_the_output_language(kam, tmp_path):
    """A map with `attitude: 态度` got "unknown key 'attitude' (did you mean 'title'?)" and,
    in a Chinese run, the English hint "Correct the key or value as the message says"."""
    write_account(tmp_path, "sanhe", {"stakeholders.yaml": "stakeholders: []\n"})
    (tmp_path / "map.yaml").write_text(
        "columns: {crm_id: 客户ID, name: 姓名, attitude: 态度, last_contact: 最近联系, titel: 职位}\n",
        "utf-8",
    )
    rows = [
        ["客户ID", "姓名", "职位", "态度", "最近联系"],
        ["C0001", "王建国", "董事长", "支持", "2026/3/5"],
    ]
    (tmp_path / "export.csv").write_bytes(crlf_csv(rows).encode("gbk"))
    args = ("import", "csv", "export.csv", "--account", "sanhe", "--map", "map.yaml")
    r = kam(tmp_path, *args, "--lang", "zh-CN")
    assert r.exit_code == 2
    out = r.stdout + r.stderr
    assert "map.yaml:1:35: KAM002 columns：“attitude”不会被导入" in out
    assert "map.yaml:1:49: KAM002 columns：“last_contact”不会被导入" in out
    assert "您是指“title”吗" in out  # the slip in titel is still a slip, in the same run
    assert "Correct the key" not in out
    assert "建议：删除这个键" in out


def test_a_byte_the_given_encoding_cannot_read_names_the_column_and_the_way_out(kam, tmp_path):
    """`--encoding gb2312` on a GBK export whose names hold 喆 gave "不是有效的 gb2312（字节
    0x86）": no column, nothing to do about it (GB18030 reads every Chinese character);
    a BOM-marked UTF-8 file with a GBK row was told the same bare words."""
    write_account(tmp_path, "hn", {"stakeholders.yaml": "stakeholders: []\n"})
    (tmp_path / "map.yaml").write_text(
        "columns: {crm_id: 编号, name: 姓名, title: 职务}\n", "utf-8"
    )
    rows = [
        ["编号", "姓名", "职务"],
        ["HN-001", "周志强", "总经理"],
        ["HN-005", "冯喆", "高级工程师"],
    ]
    (tmp_path / "export.csv").write_bytes(crlf_csv(rows).encode("gbk"))
    args = ("import", "csv", "export.csv", "--account", "hn", "--map", "map.yaml", "--dry-run")
    r = kam(tmp_path, *args, "--encoding", "gb2312", "--lang", "zh-CN")
    assert r.exit_code == 1
    assert (
        "export.csv:3: 不是有效的 GB2312（字节 0x86），位于“姓名”列：GB18030 能读出所有汉字"
        in r.stderr
    )
    assert kam(tmp_path, *args, "--encoding", "gb18030").exit_code == 0
    en = kam(tmp_path, *args, "--encoding", "utf-8")
    assert "export.csv:1: not valid UTF-8 (byte 0xb1): the file is in another encoding" in (
        " ".join(en.stderr.split())
    )
    # a UTF-8 file (with a byte order mark) and one row written in GBK
    raw = b"\xef\xbb\xbf" + crlf_csv(rows[:2]).encode() + crlf_csv(rows[2:]).encode("gbk")
    (tmp_path / "export.csv").write_bytes(raw)
    bom = kam(tmp_path, *args)
    assert bom.exit_code == 2
    assert (
        "export.csv:3: this line is not UTF-8 and line 1 is: the file mixes two encodings"
    ) in " ".join(bom.stderr.split())


def test_an_updated_namesake_is_named_with_the_id_once(kam, tmp_path):
    """Of two 张伟 the one whose title changed was listed as "张伟 (zhang-wei) (zhang-wei)":
    the summary added the id to a name that already carried it; people left out of the
    export were named the other way round ("abdullah: 阿卜杜拉 (no crm_id)")."""
    stakeholders = """\
        stakeholders:
          - {id: zhang-wei, name: 张伟, crm_id: C100, title: 工程师, attitude: 0}
          - {id: zhang-wei-2, name: 张伟, crm_id: C101, title: 采购经理, attitude: 0}
          - {id: abdullah, name: 阿卜杜拉·买买提, title: 总监, attitude: 0}
        """
    write_account(tmp_path, "hengtong", {"stakeholders.yaml": stakeholders})
    (tmp_path / "map.yaml").write_text(ZH_MAP, "utf-8")
    rows = [
        ["联系人编号", "姓名", "职位"],
        ["C100", "张伟", "高级工程师"],
        ["C101", "张伟", "采购经理"],
    ]
    (tmp_path / "export.csv").write_text(crlf_csv(rows), "utf-8")
    r = kam(tmp_path, "import", "csv", "export.csv", "--account", "hengtong", "--map", "map.yaml")
    assert r.exit_code == 0, r.stderr
    assert "  张伟 (zhang-wei): title 工程师 → 高级工程师\n" in r.stdout
    assert "  阿卜杜拉·买买提 (abdullah): no crm_id\n" in r.stdout


def test_only_a_name_like_the_accounts_is_noted_as_its_other_spelling(kam, tmp_path):
    """For account ``ge`` (General Electric) the rows of Orange SA and Grainger were noted
    as "looks like 'General Electric' spelled otherwise": the test was the letters of the
    id, ``ge``, anywhere in the company's name."""
    assert kam(tmp_path, "init", "ge", "--name", "General Electric").exit_code == 0
    (tmp_path / "map.yaml").write_text(
        "columns: {crm_id: Id, name: Name, title: Title, account: Company}\n", "utf-8"
    )
    rows = [["Id", "Company", "Name", "Title"], ["1", "General Electric", "Ann Lee", "CTO"]]
    rows += [["2", "Orange SA", "Luc Martin", "CIO"], ["3", "Grainger", "Bo Diaz", "Buyer"]]
    rows += [["4", "General", "Eva Roth", "Engineer"], ["5", "Generali", "Tom Kurz", "CFO"]]
    (tmp_path / "export.csv").write_text(crlf_csv(rows), "utf-8")
    args = ("import", "csv", "export.csv", "--account", "ge", "--map", "map.yaml", "--dry-run")
    r = kam(tmp_path, *args)
    assert r.exit_code == 0, r.stderr
    assert "note: 'General' (1 row) looks like 'General Electric' spelled otherwise" in r.stdout
    assert "Orange SA' (" not in r.stdout and "Grainger' (" not in r.stdout
    assert kam(tmp_path, *args, "--format", "json").json()["other_accounts_alike"] == {"General": 1}


HENGTONG = {
    "account.yaml": "id: hengtong\nname: 恒通电缆有限公司\nowner: li.ming\nreviewed: 2026-10-01\n"
    "position: 3\nvalue: 3\n",
    "stakeholders.yaml": "stakeholders: []\n",
}


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["utf8", "utf8-bom"])
@pytest.mark.parametrize("given", ["gbk", "gb2312", "gb18030"])
def test_a_gb_encoding_given_for_a_utf8_file_says_the_file_is_utf8(kam, tmp_path, bom, given):
    """`--encoding gbk` on a UTF-8 export advised "give gb18030", which failed again, and
    with a byte order mark named the column '瀹㈡埛鍚嶇О' (客户名称 read as GBK)."""
    write_account(tmp_path, "hengtong", HENGTONG)
    (tmp_path / "map.yaml").write_text(ZH_MAP, "utf-8")
    rows = [
        ["联系人编号", "客户名称", "姓名", "职位"],
        ["C001", "恒通电缆有限公司", "周敏", "工程师"],
    ]
    rows += [["C002", "恒通电缆有限公司", "吴磊", "采购经理"]]
    (tmp_path / "export.csv").write_bytes(bom + crlf_csv(rows).encode())
    args = ("import", "csv", "export.csv", "--account", "hengtong", "--map", "map.yaml")
    r = kam(tmp_path, *args, "--encoding", given, "--dry-run")
    assert r.exit_code == 1
    text = " ".join(r.stderr.split())
    assert "this file is UTF-8: leave out --encoding" in text
    assert "column" not in text and "give gb18030" not in text
    zh = kam(tmp_path, *args, "--encoding", given, "--dry-run", "--lang", "zh-CN")
    assert "这个文件是 UTF-8" in zh.stderr
    assert kam(tmp_path, *args, "--dry-run").exit_code == 0


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["utf8", "utf8-bom"])
@pytest.mark.parametrize("given", [None, "utf-8", "gbk"])
def test_a_utf8_export_with_a_gbk_row_is_told_one_way(kam, tmp_path, bom, given):
    """A UTF-8 export with one row added in GBK: without a byte order mark "this line is
    not UTF-8 ... write those rows again" (exit 2), with one "save the whole file again as
    CSV UTF-8" (exit 1), which keeps the GBK bytes of that row."""
    write_account(tmp_path, "hengtong", HENGTONG)
    (tmp_path / "map.yaml").write_text(ZH_MAP, "utf-8")
    rows = [
        ["联系人编号", "客户名称", "姓名", "职位"],
        ["C001", "恒通电缆有限公司", "周敏", "工程师"],
    ]
    raw = bom + crlf_csv(rows).encode() + "C002,恒通电缆有限公司,吴磊,采购经理\r\n".encode("gbk")
    raw += "C003,恒通电缆有限公司,郑洁,技术总监\r\n".encode()
    (tmp_path / "export.csv").write_bytes(raw)
    args = ("import", "csv", "export.csv", "--account", "hengtong", "--map", "map.yaml")
    r = kam(tmp_path, *args, *(("--encoding", given) if given else ()), "--dry-run")
    assert r.exit_code == 2
    text = " ".join(r.stderr.split())
    assert "export.csv:3: this line is not UTF-8 and line 1 is: the file mixes two" in text
    assert "Write those rows again in the program that wrote the rest" in text
    assert "whole file again" not in text


def test_one_contact_per_row_within_an_account_however_the_export_names_it(kam, tmp_path):
    """The same CRM id on a row under 恒通电缆有限公司 (the account's name) and on one under
    hengtong (its id) passed the export's check, which told the accounts apart by their
    spelling; a later guard then reported KAM004 at a line of a stakeholders.yaml never
    written. A name shared across the two spellings was not noted either."""
    write_account(tmp_path, "hengtong", HENGTONG)
    (tmp_path / "map.yaml").write_text(ZH_MAP, "utf-8")
    rows = [
        ["联系人编号", "客户名称", "姓名", "职位"],
        ["C001", "恒通电缆有限公司", "王强", "经理"],
    ]
    rows += [
        ["C009", "恒通电缆有限公司", "周敏", "工程师"],
        ["C009", "hengtong", "周敏", "高级工程师"],
    ]
    rows += [["C010", "华南电网", "李雷", "工程师"]]
    (tmp_path / "export.csv").write_text(crlf_csv(rows), "utf-8")
    args = ("import", "csv", "export.csv", "--account", "hengtong", "--map", "map.yaml")
    r = kam(tmp_path, *args, "--dry-run")
    assert r.exit_code == 1
    assert "export.csv:4: 联系人编号 'C009' is on line 3 already: one contact per row" in r.stderr
    assert "KAM004" not in r.stderr + r.stdout
    # the same row under the other spelling is the contact exported twice, read once
    rows[3][3] = "工程师"
    rows += [["C011", "hengtong", "王强", "工程师"]]
    (tmp_path / "export.csv").write_text(crlf_csv(rows), "utf-8")
    r = kam(tmp_path, *args)
    assert r.exit_code == 0, r.stderr
    assert "export.csv:4: note: 1 duplicate row skipped (line 4)" in r.stdout
    assert "export.csv:6: note: '王强' (联系人编号 'C011') has the name of line 2" in r.stdout
    assert [p["crm_id"] for p in people(tmp_path / "accounts" / "hengtong")] == [
        "C001",
        "C009",
        "C011",
    ]


def test_a_name_padded_with_a_full_width_space_is_the_same_name(kam, two_customers):
    """A Chinese CRM pads a two-character name to three characters' width (周　杰, with
    U+3000). A manager cell typed 周杰 matched nobody ("matches no CRM id, e-mail or name
    of a contact"), though `kam touch` and `kam log` read the two as one, and the new
    person was written `name: 周 杰`, with an ASCII space nobody typed. The name is written
    as exported, and matched as every command matches a name; a person already in the
    file as 周杰 is updated, not added a second time."""
    rows = [
        ["联系人编号", "客户名称", "姓名", "职位", "上级"],
        ["P3001", "南海化工集团", "周\u3000杰", "总经理", ""],
        ["P3002", "南海化工集团", "吴 芳", "调度员", "周杰"],
    ]
    (two_customers / "export.csv").write_bytes(crlf_csv(rows).encode("gbk"))
    args = ("import", "csv", "export.csv", "--account", "nanhai", "--map", "map.yaml")
    r = kam(two_customers, *args)
    assert r.exit_code == 0, r.stdout + r.stderr
    folder = two_customers / "accounts" / "nanhai"
    got = {p["name"]: p for p in people(folder)}
    assert sorted(got) == ["吴 芳", "周\u3000杰"], got
    assert got["吴 芳"]["reports_to"] == got["周\u3000杰"]["id"]

    # the file's own 周杰 (typed by hand, no CRM id yet) is the export's 周　杰
    (folder / "stakeholders.yaml").write_text(
        "stakeholders:\n  - id: zhou.jie\n    name: 周杰\n    attitude: 1\n", "utf-8"
    )
    r = kam(two_customers, *args)
    assert r.exit_code == 0, r.stdout + r.stderr
    got = {p["id"]: p for p in people(folder)}
    assert got["zhou.jie"]["crm_id"] == "P3001" and got["zhou.jie"]["name"] == "周杰", got
    assert len(got) == 2, got
