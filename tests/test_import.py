"""kam import csv: CRM contact exports into stakeholders.yaml, through the real CLI on real files.

The exports in tests/data/import/ are written as the CRMs write them (see
tests/tools/make_crm_exports.py): a Salesforce Data Loader export (quoted, CRLF, quoted line
breaks), the same after a German Excel (``;``, Windows-1252), a HubSpot export (BOM).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import dedent, write_account
from kamtool.load.ids import is_slug
from kamtool.load.yamlread import parse

DATA = Path(__file__).parent / "data" / "import"
SF = "salesforce-dataloader.csv"
SF_DE = "salesforce-excel-de.csv"
HUBSPOT = "hubspot-contacts.csv"


def people(folder: Path) -> list[dict]:
    return parse((folder / "stakeholders.yaml").read_text("utf-8")).data["stakeholders"]


def export_rows(name: str, encoding: str = "utf-8-sig", delimiter: str = ",") -> list[dict]:
    text = (DATA / name).read_bytes().decode(encoding)
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    folder = write_account(
        tmp_path, "nordtel", {"stakeholders.yaml": "# nobody yet\nstakeholders: []\n"}
    )
    # the name the CRM files the contacts under (HubSpot's Company Name column)
    profile = (folder / "account.yaml").read_text("utf-8")
    (folder / "account.yaml").write_text(profile.replace("name: Acme nordtel", "name: Nordtel ASA"))
    for name in (SF, SF_DE, HUBSPOT):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def test_salesforce_into_empty_account(kam, empty):
    folder = empty / "accounts/nordtel"
    r = kam(empty, "import", "csv", SF, "--account", "nordtel")
    assert r.exit_code == 0, r.stderr
    assert "50 contacts; 50 new, 0 updated, 0 unchanged" in r.stdout
    assert "wrote accounts/nordtel/stakeholders.yaml" in r.stdout
    got = people(folder)
    assert len(got) == 50
    text = (folder / "stakeholders.yaml").read_text("utf-8")
    assert text.startswith("# nobody yet\nstakeholders:\n  - id: ingrid-ostergaard\n")
    # nobody has been met: "?", never 0; every id a valid, unique slug
    assert all(p["attitude"] == "?" for p in got)
    ids = [p["id"] for p in got]
    assert all(is_slug(i) for i in ids) and len(set(ids)) == 50
    by_crm = {p["crm_id"]: p for p in got}
    rows = export_rows(SF)
    for row in rows:
        p = by_crm[row["Id"]]
        assert p["title"] == row["Title"]
        if row["ReportsToId"]:
            assert p["reports_to"] == by_crm[row["ReportsToId"]]["id"]
        else:
            assert "reports_to" not in p
    names = {p["name"]: p["id"] for p in got}
    # accents folded; family name first for Chinese names, whose ids come from the CRM id
    assert names["José Müller"] == "jose-muller"
    assert names["Siobhán O'Connor"] == "siobhan-oconnor"
    assert names["Ægir Þórsson"] == "aegir-thorsson"
    assert names["Jürgen Weiß"] == "jurgen-weiss"
    assert names["张伟"] == "crm-0035g00000b0001aaz"
    assert names["Иван Петров"].startswith("crm-0035g00000")
    # two people of the same name: two entries
    assert sorted(i for i in ids if i.startswith("maria-garcia")) == [
        "maria-garcia",
        "maria-garcia-2",
    ]
    assert kam(empty, "validate").exit_code == 0


def test_second_import_changes_nothing(kam, empty):
    folder = empty / "accounts/nordtel"
    assert kam(empty, "import", "csv", SF, "--account", "nordtel").exit_code == 0
    first = (folder / "stakeholders.yaml").read_bytes()
    r = kam(empty, "import", "csv", SF, "--account", "nordtel")
    assert r.exit_code == 0
    assert "0 new, 0 updated, 50 unchanged" in r.stdout
    assert "nothing to change" in r.stdout
    assert (folder / "stakeholders.yaml").read_bytes() == first
    # the Excel round trip of the same export (cp1252, ';') is the same data: no change
    r = kam(empty, "import", "csv", SF_DE, "--account", "nordtel")
    assert r.exit_code == 0, r.stderr
    assert "Windows-1252, ';'" in r.stdout and "nothing to change" in r.stdout
    assert (folder / "stakeholders.yaml").read_bytes() == first


def test_windows_1252_semicolon_export(kam, empty):
    r = kam(empty, "import", "csv", SF_DE, "--account", "nordtel")
    assert r.exit_code == 0, r.stderr
    listed = people(empty / "accounts/nordtel")
    assert len(listed) == len(export_rows(SF_DE, "cp1252", ";")) > 30
    got = {p["name"]: p for p in listed}
    assert got["Françoise Lefèvre"]["title"] == "Chief Operating Officer"
    assert got["Grace Hopper"]["reports_to"] == "francoise-lefevre"
    assert "Antonín Dvořák" not in got  # ř has no place in Windows-1252: not in this file
    assert got["Zoë Brontë"]["reports_to"] == "siobhan-oconnor"


HAND_EDITED = """\
# yaml-language-server: $schema=../../schemas/stakeholders.schema.json
# Nordtel people, kept by hand since 2024.
stakeholders:
# --- board ---
- id: ingrid          # the CEO
  name: Ingrid Østergaard
  title: CEO  # short form we use
  roles: [D]
  attitude: 2
  intimacy: 1
  owner: li.ming
  backup: wang.fang
  channels: [board dinner, 'her EA']
  crm_id: 0035g00000A0000     # the 15-character id a report gave us
  personal:
    interests: [sailing]

- {id: zhang-wei, name: 张伟, roles: [E], attitude: 1, notes: "met at MWC"}

- id: jose
  name: José Müller
  title: Chief Financial Officer
  attitude: -1
  owner: chen.jie
  notes: |
    Sceptical about the price.
    # not a comment: text of the note

  # he reads every contract himself
- id: olaf
  name: Olaf Retired
  attitude: 3
  left_on: 2025-06-30

- id: lisa
  name: Lisa Handmade
  attitude: "?"
# end of the list
"""


def test_hand_edited_entries_and_comments_survive(kam, empty):
    folder = empty / "accounts/nordtel"
    (folder / "stakeholders.yaml").write_text(HAND_EDITED, "utf-8")
    r = kam(empty, "import", "csv", SF, "--account", "nordtel")
    assert r.exit_code == 0, r.stderr
    assert "50 contacts; 47 new, 3 updated, 0 unchanged" in r.stdout
    text = (folder / "stakeholders.yaml").read_text("utf-8")
    # byte for byte: the export owns title, reports_to and crm_id; nothing else moved
    expected_head = (
        HAND_EDITED.replace(
            "  title: CEO  # short form we use",
            "  title: Chief Executive Officer  # short form we use",
        )
        .replace(
            'notes: "met at MWC"}',
            'notes: "met at MWC", title: Chief Technology Officer, reports_to: ingrid, '
            "crm_id: 0035g00000b0001AAZ}",
        )
        .replace(
            "    # not a comment: text of the note\n",
            "    # not a comment: text of the note\n"
            "  reports_to: ingrid\n  crm_id: 0035g00000C0002WAZ\n",
        )
        .replace("# end of the list\n", "")
    )
    assert text.startswith(expected_head)
    tail = text[len(expected_head) :]
    assert tail.startswith("\n- id: francoise-lefevre\n  name: Françoise Lefèvre\n")
    assert tail.endswith("# end of the list\n")
    got = {p["id"]: p for p in people(folder)}
    # what people typed is untouched
    assert got["ingrid"]["attitude"] == 2 and got["ingrid"]["roles"] == ["D"]
    assert got["ingrid"]["personal"] == {"interests": ["sailing"]}
    assert got["zhang-wei"]["attitude"] == 1 and got["zhang-wei"]["notes"] == "met at MWC"
    assert got["jose"]["owner"] == "chen.jie" and got["jose"]["attitude"] == -1
    # the people the export reports to them point at the hand-made ids
    assert got["lukasz-wojcik"]["reports_to"] == "zhang-wei"
    assert got["siobhan-oconnor"]["reports_to"] == "jose"
    # not in the export: a candidate for left_on (Olaf has left already), nothing set
    assert "candidates for left_on" in r.stdout
    assert "  Lisa Handmade (lisa): no crm_id" in r.stdout
    assert "olaf" not in r.stdout.split("candidates for left_on")[1]
    assert "left_on" not in got["lisa"]
    assert kam(empty, "validate").exit_code == 0
    # and again: nothing to do
    before = (folder / "stakeholders.yaml").read_bytes()
    r = kam(empty, "import", "csv", SF, "--account", "nordtel")
    assert "nothing to change" in r.stdout
    assert (folder / "stakeholders.yaml").read_bytes() == before


def test_crlf_file_and_bom_kept(kam, empty):
    folder = empty / "accounts/nordtel"
    original = b"\xef\xbb\xbf" + HAND_EDITED.replace("\n", "\r\n").encode("utf-8")
    (folder / "stakeholders.yaml").write_bytes(original)
    assert kam(empty, "import", "csv", SF, "--account", "nordtel").exit_code == 0
    data = (folder / "stakeholders.yaml").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# yaml-language-server")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert len(people(folder)) == 5 + 47


def test_hubspot_export_with_bom_and_a_map_for_the_manager(kam, empty):
    folder = empty / "accounts/nordtel"
    r = kam(empty, "import", "csv", HUBSPOT, "--account", "nordtel")  # recognised: HubSpot
    assert r.exit_code == 0, r.stderr
    assert "(hubspot map, UTF-8 with BOM, ',')" in r.stdout
    got = {p["name"]: p for p in people(folder)}
    assert got["张伟"]["crm_id"] == "101" and got["张伟"]["title"] == "Chief Technology Officer"
    assert "reports_to" not in got["张伟"]  # HubSpot has no standard manager property
    # a MAP.yaml names the custom property; matched by Record ID, the hierarchy comes in
    (empty / "hubspot-map.yaml").write_text(
        dedent(
            """
            # our HubSpot portal
            columns:
              crm_id: Record ID
              first_name: First Name
              last_name: Last Name
              title: Job Title
              manager: [Reports To, Manager Record ID]
            """
        )
    )
    r = kam(empty, "import", "csv", HUBSPOT, "--account", "nordtel", "--map", "hubspot-map.yaml")
    assert r.exit_code == 0, r.stderr
    assert "0 new, 49 updated, 1 unchanged" in r.stdout
    got = {p["name"]: p for p in people(folder)}
    assert got["张伟"]["reports_to"] == "ingrid-ostergaard"
    assert got["王芳"]["reports_to"] == got["张伟"]["id"]
    # the new crm_id is text, though HubSpot's ids look like numbers
    assert 'crm_id: "101"' in (folder / "stakeholders.yaml").read_text("utf-8")


def test_dry_run_prints_what_kam_diff_prints_and_writes_nothing(kam, empty):
    def git(*args):
        subprocess.run(["git", *args], cwd=empty, check=True, capture_output=True)

    folder = empty / "accounts/nordtel"
    (folder / "stakeholders.yaml").write_text(HAND_EDITED, "utf-8")
    git("init", "-q", "-b", "main")
    git("-c", "user.email=k@example.com", "-c", "user.name=k", "add", "-A")
    git("-c", "user.email=k@example.com", "-c", "user.name=k", "commit", "-qm", "start")
    before = (folder / "stakeholders.yaml").read_bytes()
    dry = kam(empty, "import", "csv", SF, "--account", "nordtel", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "dry run: nothing written" in dry.stdout
    assert (folder / "stakeholders.yaml").read_bytes() == before
    assert kam(empty, "import", "csv", SF, "--account", "nordtel").exit_code == 0
    diff = kam(empty, "diff")

    def change_lines(out: str) -> list[str]:
        return [line for line in out.splitlines() if line.startswith("  ")]

    dry_changes = change_lines(dry.stdout.split("\n1 changed")[0])
    assert dry_changes and dry_changes == change_lines(diff.stdout)
    assert "title CEO → Chief Executive Officer" in dry.stdout
    assert "+ Ingrid" not in dry.stdout  # matched, not added
    assert (
        "  Françoise Lefèvre (Chief Operating Officer)\n    + new stakeholder, attitude unknown"
        in dry.stdout
    )


def test_units_from_departments(kam, empty):
    folder = empty / "accounts/nordtel"
    (folder / "org.yaml").write_text(
        dedent(
            """
            units:
              - {id: technology, name: Technology}
              - {id: procurement, name: Procurement & Sourcing}
              - {id: finance, name: Group Finance}
            """
        )
    )
    (empty / "map.yaml").write_text(
        dedent(
            """
            columns:
              crm_id: Id
              first_name: FirstName
              last_name: LastName
              department: Department
            units:
              procurement: procurement
              Finance: finance
            """
        )
    )
    r = kam(empty, "import", "csv", SF, "--account", "nordtel", "--map", "map.yaml")
    assert r.exit_code == 0, r.stderr
    got = {p["name"]: p for p in people(folder)}
    assert got["张伟"]["unit"] == "technology"  # the unit's id
    assert got["Zoë Brontë"]["unit"] == "procurement"  # the map
    assert got["José Müller"]["unit"] == "finance"
    assert "unit" not in got["Grace Hopper"]  # Operations: no such unit
    assert "department 'Operations' is no unit of org.yaml" in r.stdout
    assert "title" not in got["张伟"]  # not in this map


# ---------------------------------------------------------------- problems
HEADER = '"Id","FirstName","LastName","Title","ReportsToId","Description"\r\n'


def write_csv(folder: Path, body: str, name: str = "x.csv", encoding: str = "utf-8") -> str:
    (folder / name).write_bytes(body.encode(encoding))
    return name


def test_unknown_manager_is_reported_with_its_line_and_nothing_is_written(kam, empty):
    folder = empty / "accounts/nordtel"
    before = (folder / "stakeholders.yaml").read_bytes()
    name = write_csv(
        empty,
        HEADER
        + '"0031","Ann","Lee","CEO","",""\r\n'
        + '"0032","Bo","Ek","CTO","0031","a note\r\nover two lines"\r\n'
        + '"0033","Cy","Ng","CFO","0099",""\r\n',
    )
    r = kam(empty, "import", "csv", name, "--account", "nordtel", "--map", "salesforce")
    assert r.exit_code == 1
    # line 5: the quoted line break made the second record two lines long
    assert "x.csv:5: ReportsToId '0099' of 'Cy Ng' matches no CRM id, e-mail or name" in r.stderr
    assert "nothing imported" in r.stderr
    assert (folder / "stakeholders.yaml").read_bytes() == before


def test_rows_that_cannot_be_mapped(kam, empty):
    name = write_csv(
        empty,
        HEADER
        + '"0031","Ann","Lee","CEO","",""\r\n'
        + '"","Bo","Ek","CTO","0031",""\r\n'
        + '"0033","","","CFO","0031",""\r\n'
        + '"0031","Ann","Lee","Chair","",""\r\n'
        + '"0035","Di","Ox","VP","0031","",unquoted, extra\r\n'
        + "\r\n",
    )
    r = kam(empty, "import", "csv", name, "--account", "nordtel")
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert lines[0] == (
        "x.csv:3: this row has no CRM id (column 'Id' is empty): it cannot be matched later"
    )
    assert (
        lines[1]
        == "x.csv:4: contact '0033' has no name (columns 'FirstName' and 'LastName' are empty)"
    )
    assert lines[2].startswith("x.csv:5: Id '0031' is on line 2 already")
    assert lines[3].startswith("x.csv:6: this row has 8 fields but the header has 6")
    assert "4 problems in x.csv: nothing imported" in lines[-1]


def test_missing_required_column(kam, empty):
    name = write_csv(empty, "FirstName;LastName;Title\nAnn;Lee;CEO\n")
    r = kam(empty, "import", "csv", name, "--account", "nordtel", "--map", "salesforce")
    assert r.exit_code == 1
    assert "x.csv:1: missing required column: crm_id ('Id', 'Contact ID'" in r.stderr
    assert "the header has 'FirstName', 'LastName', 'Title'" in r.stderr
    r = kam(empty, "import", "csv", name, "--account", "nordtel")
    assert r.exit_code == 1
    assert "cannot tell which CRM wrote this export" in r.stderr and "--map" in r.stderr


def test_encodings(kam, empty):
    # neither UTF-8, Windows-1252 (0x81 is undefined) nor GBK (0x81 needs a second byte)
    (empty / "bad.csv").write_bytes(HEADER.encode() + b'"1","A\x81","B","","",""\r\n')
    r = kam(empty, "import", "csv", "bad.csv", "--account", "nordtel")
    assert r.exit_code == 2
    assert "bad.csv: cannot tell the encoding of this export" in r.stderr
    # a MAP.yaml's encoding is used as it says: the bad byte's line
    (empty / "map.yaml").write_text("columns: {crm_id: Id, name: FirstName}\nencoding: utf-8\n")
    r = kam(empty, "import", "csv", "bad.csv", "--account", "nordtel", "--map", "map.yaml")
    assert r.exit_code == 1
    assert "bad.csv:2: not valid UTF-8 (byte 0x81)" in r.stderr
    # UTF-16 (Excel's "Unicode text": tab-separated)
    text = "Id\tFirstName\tLastName\n0031\t伟\t张\n"
    (empty / "u16.csv").write_bytes(text.encode("utf-16"))
    r = kam(empty, "import", "csv", "u16.csv", "--account", "nordtel", "--map", "salesforce")
    assert r.exit_code == 0, r.stderr
    assert people(empty / "accounts/nordtel")[0]["name"] == "张伟"


def test_excel_sep_line_and_report_footer(kam, empty):
    body = (
        "sep=;\r\n"
        "Contact ID;First Name;Last Name;Title\r\n"
        "0035g00000A0000;Ingrid;Østergaard;CEO\r\n"
        "\r\n"
        '"Nordtel ASA"\r\n'
        '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\r\n'
        '"Confidential Information - Do Not Distribute"\r\n'
        '"Generated By:  Li Ming  11/24/2026 9:15 AM"\r\n'
    )
    name = write_csv(empty, body, encoding="cp1252")
    r = kam(empty, "import", "csv", name, "--account", "nordtel")
    assert r.exit_code == 0, r.stderr
    assert "x.csv:5: note: skipped 4 footer line(s) after the blank line 4" in r.stdout
    (p,) = people(empty / "accounts/nordtel")
    assert p["name"] == "Ingrid Østergaard" and p["crm_id"] == "0035g00000A0000"
    # the 18-character form of the same id is the same person
    r = kam(empty, "import", "csv", SF, "--account", "nordtel")
    assert r.exit_code == 0
    assert "49 new, 1 updated" in r.stdout
    assert (
        sum(1 for q in people(empty / "accounts/nordtel") if q["name"] == "Ingrid Østergaard") == 1
    )


def test_name_match_ambiguous(kam, empty):
    folder = empty / "accounts/nordtel"
    (folder / "stakeholders.yaml").write_text(
        dedent(
            """
            stakeholders:
              - {id: maria-a, name: Maria Garcia, attitude: 1}
              - {id: maria-b, name: Maria Garcia, attitude: 2}
            """
        )
    )
    r = kam(empty, "import", "csv", SF, "--account", "nordtel")
    assert r.exit_code == 1
    assert "'Maria Garcia' matches 2 people by name (maria-a, maria-b)" in r.stderr
    assert "`crm_id: 0035g00000E0009QAZ`" in r.stderr


def test_broken_account_is_refused(kam, empty):
    folder = empty / "accounts/nordtel"
    broken = "stakeholders:\n  - id: a\n    name: A\n    attitude: 7\n"
    (folder / "stakeholders.yaml").write_text(broken)
    r = kam(empty, "import", "csv", SF, "--account", "nordtel")
    assert r.exit_code == 1
    assert "KAM002" in r.stderr and "cannot be changed safely" in r.stderr
    assert (folder / "stakeholders.yaml").read_text() == broken


def test_cycle_the_export_would_create_is_refused(kam, empty):
    folder = empty / "accounts/nordtel"
    (folder / "stakeholders.yaml").write_text(
        dedent(
            """
            stakeholders:
              - id: ann
                name: Ann Lee
                attitude: 1
                reports_to: bo
              - id: bo
                name: Bo Ek
                attitude: 1
            """
        )
    )
    name = write_csv(
        empty, HEADER + '"0032","Bo","Ek","CTO","0031",""\r\n"0031","Ann","Lee","CEO","",""\r\n'
    )
    before = (folder / "stakeholders.yaml").read_bytes()
    r = kam(empty, "import", "csv", name, "--account", "nordtel")
    assert r.exit_code == 1
    assert "KAM005" in r.stderr and "nothing written" in r.stderr
    assert (folder / "stakeholders.yaml").read_bytes() == before


def test_bad_map_file(kam, empty):
    (empty / "map.yaml").write_text(
        dedent(
            """
            columns:
              crm_id: Id
              first_nme: FirstName
              title: 3
            """
        )
    )
    r = kam(empty, "import", "csv", SF, "--account", "nordtel", "--map", "map.yaml")
    assert r.exit_code == 2
    assert (
        "map.yaml:3:3: KAM002 unknown key 'first_nme' in columns (did you mean 'first_name'?)"
        in r.stderr
    )
    assert "map.yaml:4:10: KAM002" in r.stderr
    r = kam(empty, "import", "csv", SF, "--account", "nordtel", "--map", "sap")
    assert r.exit_code == 2 and "use salesforce, hubspot or the path of a MAP.yaml" in r.stderr
    r = kam(empty, "import", "csv", SF, "--account", "nordtl")
    assert r.exit_code == 1 and "no account 'nordtl'" in r.stderr


def test_account_as_a_folder_from_a_sub_folder_and_read_only_refused(kam, empty):
    (empty / ".git").mkdir()  # the repository root: kam finds accounts/ from below
    sub = empty / "exports" / "2026"
    sub.mkdir(parents=True)
    shutil.copy(DATA / SF, sub / SF)
    folder = empty / "accounts/nordtel"
    (folder / "stakeholders.yaml").chmod(0o444)
    r = kam(sub, "import", "csv", SF, "--account", "../../accounts/nordtel")
    assert r.exit_code == 1 and "read-only" in r.stderr
    assert (folder / "stakeholders.yaml").read_text() == "# nobody yet\nstakeholders: []\n"
    (folder / "stakeholders.yaml").chmod(0o640)
    r = kam(sub, "import", "csv", SF, "--account", "nordtel")
    assert r.exit_code == 0, r.stderr
    assert len(people(folder)) == 50
    assert (folder / "stakeholders.yaml").stat().st_mode & 0o777 == 0o640


def test_flow_list_of_people(kam, empty):
    """A file that writes the list in flow style: an update in place works; new people
    cannot be appended to `[...]` in block style, and kam says so and writes nothing."""
    folder = empty / "accounts/nordtel"
    text = 'stakeholders: [{id: ingrid, name: Ingrid Østergaard, attitude: 2, crm_id: "0035g00000A0000QAZ"}]\n'
    (folder / "stakeholders.yaml").write_text(text, "utf-8")
    name = write_csv(empty, HEADER + '"0035g00000A0000QAZ","Ingrid","Østergaard","CEO","",""\r\n')
    r = kam(empty, "import", "csv", name, "--account", "nordtel")
    assert r.exit_code == 0, r.stderr
    assert (folder / "stakeholders.yaml").read_text("utf-8") == text.replace(
        '"}]', '", title: CEO}]'
    )
    before = (folder / "stakeholders.yaml").read_bytes()
    r = kam(empty, "import", "csv", SF, "--account", "nordtel")
    assert r.exit_code == 1
    assert "kam cannot append new people to it; nothing written" in r.stderr
    assert (folder / "stakeholders.yaml").read_bytes() == before


def test_empty_export_and_header_only(kam, empty):
    folder = empty / "accounts/nordtel"
    (folder / "stakeholders.yaml").write_text(HAND_EDITED, "utf-8")
    write_csv(empty, "", "none.csv")
    r = kam(empty, "import", "csv", "none.csv", "--account", "nordtel")
    assert r.exit_code == 1 and "none.csv:1: the file is empty: no header line" in r.stderr
    write_csv(empty, HEADER, "header.csv")
    r = kam(empty, "import", "csv", "header.csv", "--account", "nordtel", "--map", "salesforce")
    assert r.exit_code == 0, r.stderr
    assert "0 contacts; 0 new, 0 updated, 0 unchanged" in r.stdout
    # everyone who has not left is a candidate; nothing is set
    assert "candidates for left_on" in r.stdout and "  Ingrid Østergaard (ingrid): " in r.stdout
    assert (folder / "stakeholders.yaml").read_text("utf-8") == HAND_EDITED


EXOTIC = """\
stakeholders:
  - id: a
    name: Ann "the boss" Lee
    title: 'Head of R&D: ''core'''   # quoted, with a comment
    attitude: 1
    channels:
      - calls
      - "visits"
    personal:
      family: {kids: 2}
  - id: b
    name: Bo
    title: a plain title
      continued on the next line
    attitude: "?"
  - id: c
    name: Cy
    attitude: 0
    notes: >
      folded
      text
  - id: d
    name: Di
    attitude: 2
    roles: [D,
      C]
  - id: e
    name: "Em
      two lines"
    attitude: -1
    channels: []   # none yet

    # a comment inside the entry, after a blank line
  - id: f
    name: Fay
    reports_to: a
    attitude: 3
"""


def test_positions_without_spans_match_the_python_reader():
    """The importer reads the positions of the entries it edits from the native reader's
    marks and the text where it can be sure; wherever it answers, the answer is what the
    Python reader with spans says."""
    from kamtool.load.yamlread import parse, parse_python
    from kamtool.write import importer
    from kamtool.write.newlines import line_starts

    for text in (EXOTIC, HAND_EDITED):
        whole = parse(text)
        full = parse_python(text, spans=True)
        starts = line_starts(text)
        n = len(whole.data["stakeholders"])
        exact = importer._last_lines(full, text, starts)
        answered = 0
        for i in range(n):
            view = importer._View(whole.data)
            for j in (i, i + 1):
                if j < n:
                    view.values[("stakeholders", j)] = whole.position(("stakeholders", j))
            stop = view.values[("stakeholders", i + 1)][0] if i + 1 < n else len(starts) + 1
            last = importer._fast_entry(text, starts, whole, view, i, stop)
            if last is None:
                continue
            answered += 1
            assert last == exact[i], (i, last, exact[i])
            for path, span in view.spans.items():
                assert span == full.spans[path], path
            for path, pos in view.keys.items():
                assert pos == full.keys[path], path
        assert answered >= 2


def test_crm_id_duplicates_are_kam004(kam, tmp_path):
    write_account(
        tmp_path,
        "acme",
        {
            "stakeholders.yaml": """
            stakeholders:
              - {id: a, name: A, attitude: 1, crm_id: "42"}
              - {id: b, name: B, attitude: 1, crm_id: "42"}
            """
        },
    )
    r = kam(tmp_path, "validate")
    assert r.exit_code == 1
    assert "stakeholders.yaml:3:" in r.stdout and "KAM004 duplicate crm_id '42'" in r.stdout


def test_someone_who_left_is_history_the_import_leaves_them_as_they_were(kam, empty):
    """A person who left keeps the title and manager they had: the import matched a CRM
    namesake to them by name (a common Chinese name in a 300-contact export) and moved the
    departed evaluator under a stranger with a new title. A name alone no longer matches
    someone who left: the row comes in as a new person, with a note; matched by crm id,
    their entry is left as it is; an announced departure (left_on ahead) still matches."""
    folder = empty / "accounts/nordtel"
    (folder / "stakeholders.yaml").write_text(
        dedent(
            """
            stakeholders:
              - {id: wang-fang, name: 王芳, title: GM, attitude: -1, left_on: 2026-09-30}
              - {id: li-na, name: Li Na, title: CFO, attitude: 1, left_on: 2026-08-01,
                 crm_id: '0042'}
              - {id: bo-ek, name: Bo Ek, title: CTO, attitude: 1, left_on: 2027-03-01}
            """
        )
    )
    name = write_csv(
        empty,
        HEADER
        + '"0031","Ann","Lee","CEO","",""\r\n'
        + '"0032","芳","王","Buyer","0031",""\r\n'
        + '"0042","Na","Li","CEO office","0031",""\r\n'
        + '"0043","Bo","Ek","Chief Technology Officer","0031",""\r\n',
    )
    r = kam(empty, "import", "csv", name, "--account", "nordtel", "--today", "2026-12-01")
    assert r.exit_code == 0, r.stderr
    assert (
        "x.csv:3: note: '王芳' (Id '0032') has the name of 'wang-fang', who left on "
        "2026-09-30: imported as a new person, 'crm-0032' (if it is them, delete "
        "'crm-0032' and give 'wang-fang' `crm_id: 0032`)"
    ) in r.stdout
    by_id = {p["id"]: p for p in people(folder)}
    assert by_id["wang-fang"] == {
        "id": "wang-fang",
        "name": "王芳",
        "title": "GM",
        "attitude": -1,
        "left_on": dt.date(2026, 9, 30),
    }
    assert by_id["crm-0032"]["title"] == "Buyer"
    assert by_id["li-na"]["title"] == "CFO" and "reports_to" not in by_id["li-na"]
    assert by_id["bo-ek"]["title"] == "Chief Technology Officer"
    assert by_id["bo-ek"]["crm_id"] == "0043"
