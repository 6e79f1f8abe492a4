"""kam import csv: an export that covers many customers brings in only the named account's
contacts, through the real CLI on real files.

Salesforce and HubSpot contact exports carry the account each contact is filed under
(Account Name, Company Name, Associated Company); a MAP.yaml can name such a column too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ACCOUNT, dedent, write_account
from kamtool.load.yamlread import parse


def people(folder: Path) -> list[dict]:
    return parse((folder / "stakeholders.yaml").read_text("utf-8")).data["stakeholders"] or []


def account(root: Path, account_id: str, name: str) -> Path:
    profile = ACCOUNT.format(id=account_id).replace(f"name: Acme {account_id}", f"name: {name}")
    return write_account(
        root, account_id, {"account.yaml": profile, "stakeholders.yaml": "stakeholders: []\n"}
    )


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    (folder / name).write_bytes(text.encode(encoding))
    return name


# a Salesforce Contact report over the whole book of business, German Excel style
REPORT = (
    "Contact ID;First Name;Last Name;Title;Reports To: Contact ID;Account Name\r\n"
    "0035A01;Jürgen;Weiß;Geschäftsführer;;ACME  corp\r\n"
    "0035G01;Hans;Müller;CIO;;Globex GmbH\r\n"
    "0035A02;Zoë;Brontë;CFO;0035A01;Acme Corp\r\n"
    ";Ohne;Kennung;Einkauf;;Globex GmbH\r\n"
    "0035I01;Ann;Lee;CTO;;Initech\r\n"
    "0035N01;Lone;Wolf;Advisor;;\r\n"
    "0035G02;Petra;Schmidt;CEO;0035G01;globex gmbh\r\n"
)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_only_the_accounts_rows_are_imported_and_the_rest_is_counted(kam, tmp_path, encoding):
    folder = account(tmp_path, "acme", "Acme Corp")
    name = write(tmp_path, "book.csv", REPORT, encoding)
    r = kam(tmp_path, "import", "csv", name, "--account", "acme")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("book.csv (salesforce map, ")
    assert lines[0].endswith("';'): 2 contacts; 2 new, 0 updated, 0 unchanged")
    # Globex's row without an id is Globex's problem: it does not stop Acme's import
    assert lines[1] == "4 rows name another account (Globex GmbH: 3, Initech: 1): left out"
    assert lines[2] == "1 row names no account: left out"
    got = {p["crm_id"]: p for p in people(folder)}
    assert set(got) == {"0035A01", "0035A02"}
    assert got["0035A01"]["name"] == "Jürgen Weiß"
    assert got["0035A02"]["reports_to"] == got["0035A01"]["id"]
    # run again: nothing to change, the same rows left out
    r = kam(tmp_path, "import", "csv", name, "--account", "acme", "--dry-run")
    assert r.exit_code == 0 and "nothing to change" in r.stdout
    assert "4 rows name another account" in r.stdout


def test_a_problem_in_the_accounts_own_rows_still_stops_it(kam, tmp_path):
    folder = account(tmp_path, "globex", "Globex GmbH")
    name = write(tmp_path, "book.csv", REPORT)
    r = kam(tmp_path, "import", "csv", name, "--account", "globex")
    assert r.exit_code == 1
    assert (
        r.stderr.splitlines()[0]
        == "book.csv:5: this row has no CRM id (column 'Contact ID' is empty): it cannot be "
        "matched later"
    )
    assert "1 problem in book.csv: nothing imported" in r.stderr
    assert people(folder) == []


def test_no_row_of_the_account_is_one_line_listing_the_accounts(kam, tmp_path):
    folder = account(tmp_path, "umbrella", "Umbrella Ltd")
    before = (folder / "stakeholders.yaml").read_bytes()
    name = write(tmp_path, "book.csv", REPORT)
    r = kam(tmp_path, "import", "csv", name, "--account", "umbrella")
    assert r.exit_code == 1
    (line,) = r.stderr.splitlines()
    assert line == (
        "kam: error: no row of book.csv names account 'Umbrella Ltd' (umbrella): its rows "
        "name 'Globex GmbH', 'ACME corp', 'Initech'; nothing imported (export this "
        "account's contacts, or make `name:` in account.yaml the name the CRM uses)"
    )
    assert (folder / "stakeholders.yaml").read_bytes() == before
    # an export of one other customer only is refused the same way
    one = write(tmp_path, "one.csv", "Contact ID,Last Name,Account Name\n1,Roe,Other Corp\n")
    r = kam(tmp_path, "import", "csv", one, "--account", "umbrella")
    assert r.exit_code == 1
    assert "its rows name 'Other Corp'; nothing imported" in r.stderr


def test_chinese_account_names_by_name_or_id_in_a_hubspot_export(kam, tmp_path):
    folder = account(tmp_path, "huadong-power", "华东电力")
    text = (
        "Record ID,First Name,Last Name,Job Title,Associated Company\n"
        "11,建国,陈,首席信息官,华东　电力\n"  # an ideographic space: spaces do not count
        "12,伟,张,采购总监,华北电网\n"
        "13,丽,王,财务总监,HUADONG-POWER\n"  # the account's id, in capitals
        "14,芳,李,,\n"
    )
    name = write(tmp_path, "hs.csv", text, "gbk")
    r = kam(tmp_path, "import", "csv", name, "--account", "huadong-power")
    assert r.exit_code == 0, r.stderr
    assert "hs.csv (hubspot map, GBK/GB18030, ','): 2 contacts; 2 new" in r.stdout
    assert "1 row names another account (华北电网): left out" in r.stdout
    assert "1 row names no account: left out" in r.stdout
    assert sorted(p["name"] for p in people(folder)) == ["王丽", "陈建国"]


def test_rows_of_one_account_and_rows_naming_none_all_come_in(kam, tmp_path):
    folder = account(tmp_path, "acme", "Acme Corp")
    text = (
        "Record ID,First Name,Last Name,Company Name\n"
        "1,Ann,Lee,acme corp\n"
        "2,Bo,Ek,\n"
        "3,Cy,Ng,Acme Corp\n"
    )
    name = write(tmp_path, "hs.csv", text)
    r = kam(tmp_path, "import", "csv", name, "--account", "acme")
    assert r.exit_code == 0, r.stderr
    assert "3 contacts; 3 new" in r.stdout and "left out" not in r.stdout
    assert len(people(folder)) == 3


def test_a_map_names_the_account_column(kam, tmp_path):
    folder = account(tmp_path, "nordtel", "Nordtel ASA")
    (tmp_path / "map.yaml").write_text(
        dedent(
            """
            columns:
              crm_id: Person ID
              name: Name
              account: [Organisation, Organization]
            """
        )
    )
    text = "Person ID\tName\tOrganization\n7\tIngrid Østergaard\tNordtel ASA\n8\tOla Nord\tTelia\n"
    name = write(tmp_path, "pd.csv", text)
    r = kam(tmp_path, "import", "csv", name, "--account", "nordtel", "--map", "map.yaml")
    assert r.exit_code == 0, r.stderr
    assert "1 row names another account (Telia): left out" in r.stdout
    assert [p["name"] for p in people(folder)] == ["Ingrid Østergaard"]


def test_an_export_of_many_accounts_names_the_largest_few(kam, tmp_path):
    folder = account(tmp_path, "acme", "Acme Corp")
    rows = ["Contact ID,Last Name,Account Name", "1,Lee,Acme Corp"]
    # customer k has k contacts: 2..13
    rows += [f"{k}-{i},Roe,Customer {k:02d}" for k in range(2, 14) for i in range(k)]
    name = write(tmp_path, "all.csv", "\n".join(rows) + "\n")
    r = kam(tmp_path, "import", "csv", name, "--account", "acme", env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.stderr
    said = " ".join(line.strip() for line in r.stdout.split("\n\n")[0].splitlines()[1:])
    assert said == (
        "90 rows name another account (Customer 13: 13, Customer 12: 12, Customer 11: 11, "
        "Customer 10: 10, Customer 09: 9 and 7 more): left out"
    )
    assert max(len(line) for line in r.stdout.splitlines()) <= 80
    assert [p["crm_id"] for p in people(folder)] == ["1"]
