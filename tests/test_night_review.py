"""Defects found reviewing the night's merges, each through the real CLI on real files."""

from __future__ import annotations

from conftest import write_account


def test_format_help_lists_formats_with_the_chinese_list_separator(kam, tmp_path):
    """`kam map --help --lang zh-CN` read "tree, mermaid 或 dot": an English comma in a
    Chinese list, where `import csv --help` and the schema messages write 、 (the
    "list of choices" separator)."""
    r = kam(tmp_path, "map", "--help", "--lang", "zh-CN", env={"COLUMNS": "200"})
    assert r.exit_code == 0
    assert "tree、mermaid 或 dot（默认 tree）" in r.stdout, r.stdout
    r = kam(tmp_path, "grade", "--help", "--lang", "zh-CN", env={"COLUMNS": "200"})
    assert "table、json、csv 或 markdown。" in r.stdout, r.stdout
    # English unchanged
    r = kam(tmp_path, "map", "--help", env={"COLUMNS": "200"})
    assert "tree, mermaid or dot (default tree)" in r.stdout, r.stdout


def test_log_by_a_handle_in_other_capitals_is_noted(kam, tmp_path):
    """`kam log ... --by Li.Ming` (for li.ming) was written without a note: difflib scores
    a change of case below its cutoff, though it is the likeliest slip of all."""
    write_account(tmp_path, "acme")
    r = kam(tmp_path, "log", "acme", "boss", "--by", "Li.Ming", "-m", "lunch")
    assert r.exit_code == 0, r.stderr
    assert "by: [Li.Ming]" in (tmp_path / "accounts" / "acme" / "log.yaml").read_text()
    assert r.stderr.strip() == (
        "kam: note: acme names 'Li.Ming' nowhere else; did you mean 'li.ming'? "
        "(logged as typed: fix it in accounts/acme/log.yaml:4)"
    ), r.stderr
    # the handle as the account writes it: no note
    r = kam(tmp_path, "log", "acme", "boss", "--by", "wang.fang")
    assert r.exit_code == 0 and r.stderr == "", r.stderr


def test_init_beside_a_partial_schemas_folder_writes_the_missing_schemas(kam, tmp_path):
    """With schemas/account.schema.json gone but the other schemas there, `kam init` was
    refused ("schemas/stakeholders.schema.json already exists ... (add --force to replace
    it)": `kam init` has no --force) and left the new account's folder empty behind it.
    It writes the missing schemas and leaves the others alone."""
    r = kam(tmp_path, "init", "acme", "--owner", "li.ming")
    assert r.exit_code == 0, r.stderr
    schemas = tmp_path / "schemas"
    (schemas / "account.schema.json").unlink()
    (schemas / "org.schema.json").unlink()
    (schemas / "stakeholders.schema.json").write_text("{}\n")  # the user's own, kept
    r = kam(tmp_path, "init", "beta", "--owner", "li.ming")
    assert r.exit_code == 0, r.stderr
    assert "created schemas/account.schema.json" in r.stdout
    assert "created schemas/org.schema.json" in r.stdout
    assert "schemas/stakeholders.schema.json" not in r.stdout
    assert (schemas / "stakeholders.schema.json").read_text() == "{}\n"
    assert (tmp_path / "accounts" / "beta" / "account.yaml").is_file()
    # `kam schema -o` still refuses an existing file and names its own --force
    r = kam(tmp_path, "schema", "-o", "schemas")
    assert r.exit_code == 1
    assert "(add --force to replace it)" in r.stderr, r.stderr


def test_a_contact_of_several_companies_with_a_full_width_semicolon_is_ours(kam, tmp_path):
    """A Chinese CRM user (or an input method) writes the companies of a contact with the
    full-width ；: 华南电网；鹏城电力 was left out as another account, while the same cell
    with an ASCII ';' was kept."""
    write_account(
        tmp_path,
        "pengcheng",
        {
            "account.yaml": "id: pengcheng\nname: 鹏城电力\nowner: li.ming\nreviewed: 2026-10-01\nposition: 3\nvalue: 3\n"
        },
    )
    (tmp_path / "hubspot.csv").write_text(
        "Record ID,Full Name,Job Title,Associated Company\r\n"
        "11,王伟,总经理,华南电网；鹏城电力\r\n"
        "12,李娜,CTO,鹏城电力\r\n"
        "13,张三,工程师,华南电网\r\n"
        "14,赵六,工程师,华南电网;鹏城电力\r\n",
        "utf-8",
    )
    r = kam(tmp_path, "import", "csv", "hubspot.csv", "--account", "pengcheng")
    assert r.exit_code == 0, r.stderr
    assert "3 contacts; 3 new" in r.stdout, r.stdout
    assert "1 row names another account (华南电网): left out" in r.stdout, r.stdout
    text = (tmp_path / "accounts" / "pengcheng" / "stakeholders.yaml").read_text("utf-8")
    assert "name: 王伟" in text and "name: 赵六" in text and "张三" not in text


def test_grade_worst_finding_lines_end_in_the_chinese_severity(kam, tmp_path):
    """`kam grade` in a narrow terminal lists each account's worst finding under the
    table: in Chinese it ended " (错误)", English brackets, where every other finding
    (check, grade ID, stderr) ends （错误） since the night's one rendering of a finding."""
    write_account(
        tmp_path,
        "pengcheng",
        {"stakeholders.yaml": "stakeholders:\n  - {id: 王伟, name: 王伟, attitude: 1}\n"},
    )
    r = kam(tmp_path, "grade", "--lang", "zh-CN", env={"COLUMNS": "80"})
    worst = r.stdout.split("各客户最严重的问题：", 1)[1]
    assert "中文姓名写在 name 下）（错误）" in worst, worst
    assert " (错误)" not in worst, worst
    r = kam(tmp_path, "grade", env={"COLUMNS": "80"})
    worst = r.stdout.split("Worst finding of each account:", 1)[1]
    assert "goes under name) (error)" in worst, worst
