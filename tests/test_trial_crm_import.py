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
