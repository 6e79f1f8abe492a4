"""``kam import csv`` reports every problem of an export in one run: a row it cannot read
and a manager that matches nobody were reported in two rounds (the rows' problems first,
the managers only once those were fixed), which on a CRM export of thousands of rows
means one more export, edit and run for nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_account
from kamtool.load.yamlread import parse

ACCOUNT = (
    "id: nordbank\nname: Nordbank AG\nowner: anna\nreviewed: 2026-10-01\nposition: 3\nvalue: 3\n"
)


@pytest.fixture
def nordbank(tmp_path: Path) -> Path:
    write_account(
        tmp_path,
        "nordbank",
        {"account.yaml": ACCOUNT, "stakeholders.yaml": "stakeholders: []\n"},
    )
    return tmp_path


HEADER = "Contact ID,First Name,Last Name,Title,Reports To ID\n"


def test_row_problems_and_an_unmatched_manager_in_one_run(kam, nordbank):
    (nordbank / "export.csv").write_text(
        HEADER
        + "N1,Jürgen,Müller,CEO,\n"
        + "N2,,,CFO,N1\n"  # no name: refused
        + "N3,Eva,Braun,Controller,N2\n"  # her manager is the refused row: no second problem
        + "N4,Karl,Klein,Buyer,N99\n"  # a manager nobody in the export is
        + "N5,Otto,Ott,Buyer,1.23E+15\n",  # a manager id Excel rounded
        "utf-8",
    )
    r = kam(nordbank, "import", "csv", "export.csv", "--account", "nordbank")
    assert r.exit_code == 1
    lines = [line for line in r.stderr.splitlines() if line.startswith("export.csv:")]
    assert [line.split(":")[1] for line in lines] == ["3", "5", "6"]
    assert "contact 'N2' has no name" in lines[0]
    assert "Reports To ID 'N99' of 'Karl Klein' matches no CRM id" in lines[1]
    assert "scientific notation" in lines[2]
    assert "'N2' of 'Eva Braun'" not in r.stderr
    assert "3 problems in export.csv: nothing imported" in r.stderr
    assert people(nordbank) == []

    r = kam(nordbank, "import", "csv", "export.csv", "--account", "nordbank", "--format", "json")
    assert r.exit_code == 1
    assert [p["line"] for p in r.json()["problems"]] == [3, 5, 6]

    # the rows fixed, the manager of the fixed row is found: one round was enough
    (nordbank / "export.csv").write_text(
        HEADER
        + "N1,Jürgen,Müller,CEO,\n"
        + "N2,Ina,Iden,CFO,N1\n"
        + "N3,Eva,Braun,Controller,N2\n"
        + "N4,Karl,Klein,Buyer,\n"
        + "N5,Otto,Ott,Buyer,\n",
        "utf-8",
    )
    r = kam(nordbank, "import", "csv", "export.csv", "--account", "nordbank")
    assert r.exit_code == 0, r.stdout + r.stderr
    reports = {p["name"]: p.get("reports_to") for p in people(nordbank)}
    assert reports["Eva Braun"] == "ina-iden"


def test_a_manager_named_by_a_refused_rows_name_is_left_to_that_row(kam, nordbank):
    """Managers written by name (a hand-made or Chinese CRM column) and by e-mail: a refused
    row's name or address is not "matches nobody"."""
    (nordbank / "export.csv").write_text(
        "Contact ID,Full Name,Title,Manager,Email\n"
        + "N1,Jürgen Müller,CEO,,j@nordbank.example\n"
        + ",Ina Iden,CFO,Jürgen Müller,i@nordbank.example\n"  # no CRM id: refused
        + "N3,Eva Braun,Controller,Ina Iden,e@nordbank.example\n"
        + "N4,Karl Klein,Buyer,i@nordbank.example,\n"
        + "N5,Lena Lang,Buyer,Nobody Known,\n",
        "utf-8",
    )
    (nordbank / "map.yaml").write_text(
        "columns: {crm_id: Contact ID, name: Full Name, title: Title, manager: Manager, "
        "email: Email}\n",
        "utf-8",
    )
    r = kam(nordbank, "import", "csv", "export.csv", "--account", "nordbank", "--map", "map.yaml")
    assert r.exit_code == 1
    lines = [line for line in r.stderr.splitlines() if line.startswith("export.csv:")]
    assert [line.split(":")[1] for line in lines] == ["3", "6"], r.stderr
    assert "has no CRM id" in lines[0]
    assert "'Nobody Known' of 'Lena Lang' matches no" in lines[1]


def test_an_export_unreadable_part_way_reports_no_manager_guesses(kam, nordbank):
    """An unclosed quote stops the reading: what follows is unknown, so a manager named
    after it is not reported as matching nobody."""
    (nordbank / "export.csv").write_text(
        HEADER + "N1,Jürgen,Müller,CEO,N7\n" + '"N2,Ina,Iden,CFO,N1\n' + "N7,Eva,Braun,CTO,\n",
        "utf-8",
    )
    r = kam(nordbank, "import", "csv", "export.csv", "--account", "nordbank")
    assert r.exit_code == 1
    assert "cannot read the CSV" in r.stderr
    assert "matches no" not in r.stderr


def test_a_manager_on_a_refused_row_of_another_account_is_still_a_problem(kam, nordbank):
    """A refused row of another account is left out with its problem: a row of this
    account naming it as manager has no problem of its own to wait for. Its manager was
    dropped without a word, and the import wrote Eva Braun without a reporting line."""
    (nordbank / "export.csv").write_text(
        "Contact ID,First Name,Last Name,Title,Reports To ID,Account Name\n"
        + "N1,Jürgen,Müller,CEO,,Nordbank AG\n"
        + "N2,,,CFO,N1,Other Corp\n"  # no name: refused, and of another account
        + "N3,Eva,Braun,Controller,N2,Nordbank AG\n",
        "utf-8",
    )
    r = kam(nordbank, "import", "csv", "export.csv", "--account", "nordbank")
    assert r.exit_code == 1, r.stdout
    assert "export.csv:4: Reports To ID 'N2' of 'Eva Braun' matches no CRM id" in r.stderr
    assert "1 problem in export.csv: nothing imported" in r.stderr
    assert people(nordbank) == []


def people(root: Path) -> list[dict]:
    text = (root / "accounts" / "nordbank" / "stakeholders.yaml").read_text("utf-8")
    return parse(text).data["stakeholders"]


def test_ids_excel_turned_into_dates_are_refused_with_the_reason(kam, nordbank):
    """Excel reads a short id with a dash or a slash (Siebel's 1-12, a hand-made 3/4) as a
    date when it opens the export, and saves the date it shows: imported, every contact
    would come in under an id the CRM never gave, and the next import would match nobody."""
    (nordbank / "export.csv").write_text(
        HEADER
        + "12-Jan,Jürgen,Müller,CEO,\n"  # was 1-12, en-US
        + "1月3日,Ina,Iden,CFO,\n"  # was 1-3, a Chinese Excel
        + "1-4ABC,Eva,Braun,Controller,4-Jan\n"  # a Siebel id kept; its manager's turned
        + "1-5ABC,Karl,Klein,Buyer,1-4ABC\n",
        "utf-8",
    )
    r = kam(nordbank, "import", "csv", "export.csv", "--account", "nordbank")
    assert r.exit_code == 1
    lines = [line for line in r.stderr.splitlines() if line.startswith("export.csv:")]
    assert [line.split(":")[1] for line in lines] == ["2", "3", "4"], r.stderr
    assert "CRM id '12-Jan' reads as a date: Excel turns a short id" in lines[0]
    assert "CRM id '1月3日' reads as a date" in lines[1]
    assert "the manager's CRM id '4-Jan' reads as a date" in lines[2]
    assert people(nordbank) == []
    r = kam(nordbank, "import", "csv", "export.csv", "--account", "nordbank", "--lang", "zh-CN")
    assert "CRM 编号“12-Jan”被读成了日期" in r.stderr
