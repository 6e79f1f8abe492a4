"""kam import csv on exports as messy CRMs write them: managers named by e-mail or by name
(Dynamics, Chinese CRMs, hand-made columns), the same person twice in the CRM."""

from __future__ import annotations

from pathlib import Path

from conftest import dedent, write_account
from kamtool.load.yamlread import parse


def people(folder: Path) -> dict[str, dict]:
    data = parse((folder / "stakeholders.yaml").read_text("utf-8")).data
    return {p["id"]: p for p in data["stakeholders"]}


def setup(tmp_path: Path, export: str, columns: str, encoding: str = "utf-8") -> Path:
    folder = write_account(
        tmp_path,
        "brightwater",
        {
            "stakeholders.yaml": """\
                stakeholders:
                  - id: hanne
                    name: Hanne Vik
                    attitude: 2
                    crm_id: H-1
                """
        },
    )
    (tmp_path / "export.csv").write_bytes(export.encode(encoding))
    (tmp_path / "map.yaml").write_text(dedent(columns), "utf-8")
    return folder


DYNAMICS_MAP = """\
    columns:
      crm_id: (Do Not Modify) Contact
      name: Full Name
      title: Job Title
      manager: Manager
      email: Email
    """


def test_managers_named_by_email_or_by_name(kam, tmp_path):
    """A Dynamics-style export names the manager by e-mail or by full name, not by CRM id:
    both resolve, to people of the export and to people already in the file."""
    folder = setup(
        tmp_path,
        "(Do Not Modify) Contact,Full Name,Job Title,Manager,Email\r\n"
        "c-1,Sofia Berg,CEO,,sofia@d.example\r\n"
        "c-2,Magnus Lind,CIO,Sofia Berg,Magnus@D.example\r\n"
        "c-3,Eva Holm,Architect,magnus@d.example,eva@d.example\r\n"
        "c-4,Nils Ek,Buyer,Hanne Vik,\r\n",
        DYNAMICS_MAP,
    )
    r = kam(
        tmp_path, "import", "csv", "export.csv", "--account", "brightwater", "--map", "map.yaml"
    )
    assert r.exit_code == 0, r.stderr
    got = people(folder)
    assert got["magnus-lind"]["reports_to"] == "sofia-berg"
    assert got["eva-holm"]["reports_to"] == "magnus-lind"  # by e-mail, case not counting
    assert got["nils-ek"]["reports_to"] == "hanne"  # a person of the file, by name
    assert "reports_to" not in got["sofia-berg"]
    assert "email" not in got["eva-holm"]  # read to find managers, never written
    again = kam(
        tmp_path, "import", "csv", "export.csv", "--account", "brightwater", "--map", "map.yaml"
    )
    assert "0 new, 0 updated, 4 unchanged" in again.stdout


def test_manager_name_shared_by_two_people_or_naming_nobody(kam, tmp_path):
    """A name two people share is never guessed; a manager named by nobody says what was
    tried; a manager cell naming the person themselves is their own manager. Each with its
    CSV line; nothing is written."""
    folder = setup(
        tmp_path,
        "(Do Not Modify) Contact,Full Name,Job Title,Manager,Email\r\n"
        "c-1,Kari Nordmann,CEO,,\r\n"
        "c-2,Kari Nordmann,CFO,,\r\n"
        "c-3,Per Hansen,Dev,kari nordmann,\r\n"
        "c-4,Old Boss,COO,Someone Who Left,\r\n"
        "c-5,Liv Berg,Buyer,Liv Berg,\r\n",
        DYNAMICS_MAP,
    )
    before = (folder / "stakeholders.yaml").read_bytes()
    r = kam(
        tmp_path, "import", "csv", "export.csv", "--account", "brightwater", "--map", "map.yaml"
    )
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert lines[0] == (
        "export.csv:4: Manager 'kari nordmann' of 'Per Hansen' names 2 people "
        "(line 2, line 3): put the manager's CRM id in the column"
    )
    assert lines[1].startswith(
        "export.csv:5: Manager 'Someone Who Left' of 'Old Boss' matches no CRM id, e-mail or "
        "name of a contact in the export or a person in stakeholders.yaml"
    )
    assert lines[2] == "export.csv:6: contact 'c-5' is their own manager (Manager 'Liv Berg')"
    assert "3 problems in export.csv: nothing imported" in lines[-1]
    assert (folder / "stakeholders.yaml").read_bytes() == before


def test_the_same_person_twice_in_the_crm_is_a_note(kam, tmp_path):
    """Two rows of one name and two CRM ids: both come in (people do share names), with a
    note naming both lines, so duplicates in the CRM do not double people unnoticed."""
    folder = setup(
        tmp_path,
        "联系人编号,姓名,职务\r\nFX1,刘洋,工程师\r\n\r\nFX2,刘洋,工程师\r\nFX3,王芳,总监\r\n",
        """\
        columns:
          crm_id: 联系人编号
          name: 姓名
          title: 职务
        """,
        encoding="gbk",
    )
    r = kam(
        tmp_path, "import", "csv", "export.csv", "--account", "brightwater", "--map", "map.yaml"
    )
    assert r.exit_code == 0, r.stderr
    assert "3 new" in r.stdout
    assert (
        "export.csv:4: note: '刘洋' (联系人编号 'FX2') has the name of line 2 ('FX1'): "
        "the same person twice in the CRM?"
    ) in r.stdout
    names = sorted(p["name"] for p in people(folder).values())
    assert names == ["Hanne Vik", "刘洋", "刘洋", "王芳"]


def test_an_import_that_would_make_the_file_too_large_to_read_writes_nothing(kam, tmp_path):
    """The file an import writes must be one kam reads: over max_file_size it would be
    refused by every command after (and by the next import), so nothing is written."""
    folder = setup(
        tmp_path,
        "(Do Not Modify) Contact,Full Name,Job Title,Manager,Email\r\n"
        + "".join(f"c-{i},Person Number {i},Engineer,,\r\n" for i in range(40)),
        DYNAMICS_MAP,
    )
    (tmp_path / "kam.yaml").write_text("max_file_size: 2000\n", "utf-8")
    before = (folder / "stakeholders.yaml").read_bytes()
    r = kam(
        tmp_path, "import", "csv", "export.csv", "--account", "brightwater", "--map", "map.yaml"
    )
    assert r.exit_code == 1
    assert (
        "accounts/brightwater/stakeholders.yaml:1:1: KAM001 file is 4,330 bytes" in r.stderr
        and "over the limit of 2,000 bytes (max_file_size in kam.yaml)" in r.stderr
    )
    assert "the import would leave the account with errors: nothing written" in r.stderr
    assert (folder / "stakeholders.yaml").read_bytes() == before
    assert kam(tmp_path, "validate").exit_code == 0


def test_blank_lines_above_the_header_are_skipped(kam, tmp_path):
    """A report tool or a spreadsheet may leave empty rows above the header: the header is
    the first line with something on it, sniffed for its delimiter, and every line number
    after it is still the file's."""
    folder = setup(
        tmp_path,
        "\r\n,,\r\n\r\nId;Name;Title\r\n1;Ann Lee;CEO\r\n2;Bo Ek;CTO;extra\r\n",
        "columns:\n  crm_id: Id\n  name: Name\n  title: Title\n",
    )
    r = kam(
        tmp_path, "import", "csv", "export.csv", "--account", "brightwater", "--map", "map.yaml"
    )
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "export.csv:6: this row has 4 fields but the header has 3: a delimiter inside a value "
        "that is not quoted?"
    )
    (tmp_path / "export.csv").write_text("\r\n\r\nId;Name;Title\r\n1;Ann Lee;CEO\r\n", "utf-8")
    r = kam(
        tmp_path, "import", "csv", "export.csv", "--account", "brightwater", "--map", "map.yaml"
    )
    assert r.exit_code == 0, r.stderr
    assert "(map.yaml map, UTF-8, ';'): 1 contact; 1 new" in r.stdout
    assert people(folder)["ann-lee"]["title"] == "CEO"


def test_an_export_of_blank_lines_says_so(kam, tmp_path):
    setup(tmp_path, "\r\n \r\n,,\r\n", "columns:\n  crm_id: Id\n  name: Name\n")
    r = kam(
        tmp_path, "import", "csv", "export.csv", "--account", "brightwater", "--map", "map.yaml"
    )
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "export.csv:1: the file has only blank lines (or empty cells): no header line"
    )


def test_dry_run_lists_each_update_once(kam, tmp_path):
    """--dry-run shows the changes as kam diff does; the import's own list of the values it
    sets would repeat every one (3,000 lines twice for a CRM-wide title change). Without
    --dry-run that list is the record of what was set."""
    folder = setup(
        tmp_path,
        "Id,Name,Title\r\nH-1,Hanne Vik,Chief Executive\r\n",
        "columns:\n  crm_id: Id\n  name: Name\n  title: Title\n",
    )
    dry = kam(
        tmp_path,
        "import",
        "csv",
        "export.csv",
        "--account",
        "brightwater",
        "--map",
        "map.yaml",
        "--dry-run",
    )
    assert dry.exit_code == 0, dry.stderr
    assert dry.stdout.count("Chief Executive") == 2  # the person's heading and the change
    assert "~ title - → Chief Executive" in dry.stdout
    assert "Set from the export" not in dry.stdout
    real = kam(
        tmp_path, "import", "csv", "export.csv", "--account", "brightwater", "--map", "map.yaml"
    )
    assert (
        "Set from the export on people already in the file:\n"
        "  Hanne Vik (hanne): title - → Chief Executive" in real.stdout
    )
    assert people(folder)["hanne"]["title"] == "Chief Executive"


def test_a_contact_of_several_companies_is_ours_when_one_of_them_is(kam, tmp_path):
    """HubSpot writes every company a contact is associated with into one Associated
    Company cell, separated by ';': the contact is this account's when one of them is."""
    folder = setup(tmp_path, "", "columns:\n  crm_id: Id\n  name: Name\n")
    (folder / "account.yaml").write_text(
        (folder / "account.yaml").read_text("utf-8").replace("Acme brightwater", "Brightwater AS")
    )
    (tmp_path / "hubspot.csv").write_text(
        "Record ID,First Name,Last Name,Associated Company\r\n"
        "201,Una,Berg,Brightwater AS\r\n"
        '202,Tor,Lie,"Partner Consulting;BRIGHTWATER  AS"\r\n'
        "203,Eli,Moe,Other Co\r\n"
        '204,Siv,Dal,"Other Co;Partner Consulting"\r\n',
        "utf-8",
    )
    r = kam(tmp_path, "import", "csv", "hubspot.csv", "--account", "brightwater")
    assert r.exit_code == 0, r.stderr
    assert "(hubspot map, UTF-8, ','): 2 contacts; 2 new" in r.stdout
    assert (
        "2 rows name another account (Other Co: 1, Other Co;Partner Consulting: 1): left out"
        in r.stdout
    )
    assert {p["name"] for p in people(folder).values()} == {"Hanne Vik", "Una Berg", "Tor Lie"}


def test_layer_for_new_people_and_the_note_on_a_whole_contact_list(kam, tmp_path):
    """A CRM's whole contact list on the key layer (the people who decide the outcome)
    sinks the score and turns every one into findings; --layer general brings them in as
    broad coverage, the note says so, and a later import never moves anyone's layer."""
    export = "Id,Name,Title\r\n" + "".join(f"C{i},Person {i},Engineer\r\n" for i in range(25))
    folder = setup(tmp_path, export, "columns:\n  crm_id: Id\n  name: Name\n  title: Title\n")
    args = ("import", "csv", "export.csv", "--account", "brightwater", "--map", "map.yaml")
    dry = kam(tmp_path, *args, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "note: 25 new people come in on the key layer" in dry.stdout
    assert "(--layer general)" in dry.stdout
    r = kam(tmp_path, *args, "--layer", "general")
    assert r.exit_code == 0, r.stderr
    assert "key layer" not in r.stdout
    got = people(folder)
    assert got["person-0"]["layer"] == "general" and got["person-0"]["attitude"] == "?"
    assert "layer" not in got["hanne"]
    check = kam(tmp_path, "check", "brightwater", "--format", "json")
    # general-layer people are coverage, not key people without an owner or a contact
    about_them = [f["code"] for f in check.json()["findings"] if "Person " in f["message"]]
    assert about_them == []
    again = kam(tmp_path, *args)  # default layer: nobody's layer changes
    assert "0 new, 0 updated, 25 unchanged" in again.stdout
    assert people(folder)["person-0"]["layer"] == "general"
    bad = kam(tmp_path, *args, "--layer", "generall")
    assert bad.exit_code == 2
    assert "--layer must be one of key, general, organizational, not 'generall'" in bad.stderr


def test_a_few_new_key_people_get_no_note(kam, tmp_path):
    setup(tmp_path, "Id,Name\r\nC1,Ann Lee\r\n", "columns:\n  crm_id: Id\n  name: Name\n")
    r = kam(
        tmp_path, "import", "csv", "export.csv", "--account", "brightwater", "--map", "map.yaml"
    )
    assert r.exit_code == 0 and "key layer" not in r.stdout


def test_a_cycle_the_import_would_make_points_at_rows_and_lines_that_exist(kam, tmp_path):
    """Nothing is written when the import would leave a reporting cycle, so its findings
    cannot point into the file the import did not write: a new person's at the export's
    row, a changed person's at the row that changed them."""
    folder = setup(
        tmp_path,
        "Id,Name,Manager\r\nA1,Ann Lee,B1\r\nB1,Bo Ek,C1\r\nC1,Cy Ng,A1\r\nD1,Di Ox,\r\n",
        "columns:\n  crm_id: Id\n  name: Name\n  manager: Manager\n",
    )
    before = (folder / "stakeholders.yaml").read_bytes()
    args = ("import", "csv", "export.csv", "--account", "brightwater", "--map", "map.yaml")
    r = kam(tmp_path, *args)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == (
        "export.csv:2:1: KAM005 cycle in reporting lines: ann-lee -> bo-ek -> cy-ng -> ann-lee "
        "(error)"
    )
    assert (folder / "stakeholders.yaml").read_bytes() == before
    # Hanne (in the file, hand-written reports_to) and Cy (updated by row 3) make a cycle
    (folder / "stakeholders.yaml").write_text(
        dedent(
            """\
            stakeholders:
              - id: cy
                name: Cy Ng
                attitude: 1
              - id: hanne
                name: Hanne Vik
                attitude: 2
                reports_to: cy
                crm_id: H-1
            """
        ),
        "utf-8",
    )
    (tmp_path / "export.csv").write_text("Id,Name,Manager\r\nH-1,Hanne Vik,\r\nC1,Cy Ng,H-1\r\n")
    r = kam(tmp_path, *args)
    assert r.exit_code == 1
    # the new file would have had it on Cy's new reports_to, at its line 5, which in the
    # file as it is is Hanne's entry: row 3 of the export is what changed Cy
    assert r.stderr.splitlines()[0] == (
        "export.csv:3:1: KAM005 cycle in reporting lines: cy -> hanne -> cy (error)"
    )


def test_ids_excel_turned_into_rounded_numbers_are_refused(kam, tmp_path):
    """Opened and saved in Excel, a HubSpot export's 12-digit Record IDs become 1.23457E+11:
    imported, they would match nobody next time (every person again, as a new one)."""
    folder = setup(tmp_path, "", "columns:\n  crm_id: Id\n  name: Name\n")
    before = (folder / "stakeholders.yaml").read_bytes()
    (tmp_path / "hubspot.csv").write_text(
        "Record ID,First Name,Last Name,Manager\r\n"
        "123456789012,Una,Berg,\r\n"
        "1.23457E+11,Tor,Lie,\r\n"
        '123456789013,Eli,Moe,"1,23457e+11"\r\n',
        "utf-8",
    )
    (tmp_path / "map.yaml").write_text(
        "columns:\n  crm_id: Record ID\n  first_name: First Name\n  last_name: Last Name\n"
        "  manager: Manager\n",
        "utf-8",
    )
    r = kam(
        tmp_path, "import", "csv", "hubspot.csv", "--account", "brightwater", "--map", "map.yaml"
    )
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert lines[0].startswith(
        "hubspot.csv:3: CRM id '1.23457E+11' is a number as Excel shows a long one "
        "(scientific notation): its digits are lost"
    )
    assert lines[1].startswith(
        "hubspot.csv:4: the manager's CRM id '1,23457e+11' is a number as Excel"
    )
    assert "2 problems in hubspot.csv: nothing imported" in lines[-1]
    assert (folder / "stakeholders.yaml").read_bytes() == before


def test_a_manager_cell_on_many_rows_is_one_problem(kam, tmp_path):
    """A name two people share, written as the manager on many rows, was one error a row
    with the same fix: now one error, at its first row, naming the other rows."""
    rows = "".join(f"c-{i},Report {i},Dev,kari nordmann,\r\n" for i in range(3, 8))
    rows += "c-8,Other,Dev,Nobody Known,\r\nc-9,Other Two,Dev,nobody known,\r\n"
    setup(
        tmp_path,
        "(Do Not Modify) Contact,Full Name,Job Title,Manager,Email\r\n"
        "c-1,Kari Nordmann,CEO,,\r\n"
        "c-2,Kari Nordmann,CFO,,\r\n" + rows,
        DYNAMICS_MAP,
    )
    r = kam(
        tmp_path, "import", "csv", "export.csv", "--account", "brightwater", "--map", "map.yaml"
    )
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert lines[0] == (
        "export.csv:4: Manager 'kari nordmann' of 'Report 3' names 2 people "
        "(line 2, line 3): put the manager's CRM id in the column; Manager names the same "
        "on 4 more rows (lines 5, 6, 7, 8)"
    ), lines
    assert lines[1].startswith("export.csv:9: Manager 'Nobody Known' of 'Other' matches no")
    assert lines[1].endswith("; Manager names the same on 1 more row (line 10)"), lines[1]
    assert "2 problems in export.csv: nothing imported" in lines[-1], lines


def test_many_namesakes_are_counted_after_the_first_ten(kam, tmp_path):
    """A CRM of many duplicates printed one note a row: the first ten, then one line."""
    rows = "".join(f"d-{i},Dup {i % 2},Dev,,\r\n" for i in range(14))
    setup(
        tmp_path,
        "(Do Not Modify) Contact,Full Name,Job Title,Manager,Email\r\n" + rows,
        DYNAMICS_MAP,
    )
    r = kam(
        tmp_path, "import", "csv", "export.csv", "--account", "brightwater", "--map", "map.yaml"
    )
    assert r.exit_code == 0, r.stderr
    notes = [line for line in r.stdout.splitlines() if "the name of" in line]
    assert len(notes) == 11, notes
    assert notes[-1] == (
        "note: 2 more rows have the name of an earlier row (lines 14, 15): each is imported "
        "as a person of its own"
    )
