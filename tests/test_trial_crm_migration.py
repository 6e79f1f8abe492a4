"""A sales-ops migration from a CRM, through the real CLI on real files: what a first import
of real exports (Salesforce, HubSpot, a German Excel, a Chinese CRM) showed, each kept
from coming back."""

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


@pytest.fixture
def acme(tmp_path: Path) -> Path:
    write_account(tmp_path, "acme", {"stakeholders.yaml": "stakeholders: []\n"})
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "start")
    return tmp_path


def test_namesakes_are_two_people_in_the_dry_run_and_the_diff(kam, acme):
    """Two contacts of one name and one title (the CRM holds many) were shown as ONE heading
    over two "new stakeholder" lines, as if one person had been added twice."""
    (acme / "export.csv").write_text(
        "Id,FirstName,LastName,Title\n"
        "0035g0000000001AAA,Anna,Weiß,Engineer\n"
        "0035g0000000002AAA,Jörg,Groß,CEO\n"
        "0035g0000000003AAA,Anna,Weiß,Engineer\n",
        "utf-8",
    )
    dry = kam(acme, "import", "csv", "export.csv", "--account", "acme", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert (
        "  Anna Weiß (Engineer) [anna-weiss]\n    + new stakeholder, attitude unknown\n"
        in dry.stdout
    )
    assert (
        "  Anna Weiß (Engineer) [anna-weiss-2]\n    + new stakeholder, attitude unknown\n"
        in dry.stdout
    )
    # a name of its own keeps its plain heading
    assert "  Jörg Groß (CEO)\n    + new stakeholder" in dry.stdout
    assert kam(acme, "import", "csv", "export.csv", "--account", "acme").exit_code == 0
    diff = kam(acme, "diff")
    assert "Anna Weiß (Engineer) [anna-weiss-2]" in diff.stdout
    markdown = kam(acme, "diff", "--format", "markdown")
    # Markdown escapes the brackets: they show as typed, never as a link
    assert "**Anna Weiß (Engineer) \\[anna-weiss\\]**: new stakeholder" in markdown.stdout
    assert "**Anna Weiß (Engineer) \\[anna-weiss-2\\]**: new stakeholder" in markdown.stdout


def test_a_salesforce_contact_report_brings_its_reporting_lines(kam, acme):
    """A Salesforce Contact report names the manager in "Reports To" (a name, not an id):
    the column was not read, and 60 people came in without one reporting line."""
    (acme / "report.csv").write_text(
        '"Contact ID","First Name","Last Name","Title","Account Name","Reports To"\n'
        '"0035g0000100001","Renée","García","CEO","Acme acme",""\n'
        '"0035g0000100002","Jörg","Bäcker","Head of IT","Acme acme","Renée García"\n'
        "\n"
        '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n',
        "utf-8",
    )
    r = kam(acme, "import", "csv", "report.csv", "--account", "acme")
    assert r.exit_code == 0, r.stdout + r.stderr
    by_id = {p["id"]: p for p in people(acme / "accounts/acme")}
    assert by_id["jorg-backer"]["reports_to"] == "renee-garcia"
    assert "reports_to" not in by_id["renee-garcia"]


def test_columns_the_import_does_not_read_are_named(kam, acme):
    """An export's attitude and last-activity columns were dropped without a word: a user
    migrating from the CRM believed them imported."""
    (acme / "export.csv").write_text(
        "\ufeffRecord ID,First Name,Last Name,Job Title,Phone Number,Last Activity Date,"
        "Attitude,Lead Status\n"
        "51000000001,Zoë,Köhler,CFO,+49 30 1234,05.03.2026,Supporter,Open\n",
        "utf-8",
    )
    r = kam(acme, "import", "csv", "export.csv", "--account", "acme")
    assert r.exit_code == 0, r.stdout + r.stderr
    said = " ".join(r.stdout.split())  # as one line, however the terminal wraps it
    assert (
        "4 columns not imported (Phone Number, Last Activity Date, Attitude, Lead Status): "
        "kam takes only the CRM id, the name, the title, the manager and the department; "
        "attitudes and contacts are your team's to record" in said
    )
    (person,) = people(acme / "accounts/acme")
    assert person["attitude"] == "?" and "last_contact" not in person
    zh = kam(acme, "import", "csv", "export.csv", "--account", "acme", "--lang", "zh-CN")
    # output to a pipe is not wrapped
    assert "4 列未导入（Phone Number、Last Activity Date、Attitude、Lead Status）" in zh.stdout
    # an export of only what kam reads says nothing about columns
    (acme / "lean.csv").write_text("Record ID,First Name,Last Name\n51000000002,Li,Na\n", "utf-8")
    lean = kam(acme, "import", "csv", "lean.csv", "--account", "acme")
    assert lean.exit_code == 0 and "not imported" not in lean.stdout


def test_a_rerun_does_not_say_again_that_it_imports_namesakes(kam, acme):
    """The note on two rows of one name ("Both are imported as different people") came on
    every later run, when nothing was imported: 1,900 such lines on an unchanged export."""
    (acme / "export.csv").write_text(
        "Id,FirstName,LastName\n0035g0000000001AAA,Anna,Weiß\n0035g0000000002AAA,Anna,Weiß\n",
        "utf-8",
    )
    first = kam(acme, "import", "csv", "export.csv", "--account", "acme")
    assert first.exit_code == 0, first.stdout + first.stderr
    assert "export.csv:3: note: 'Anna Weiß'" in first.stdout
    again = kam(acme, "import", "csv", "export.csv", "--account", "acme")
    assert again.exit_code == 0
    assert "nothing to change" in again.stdout
    assert "note: 'Anna Weiß'" not in again.stdout
    # a third namesake coming in later is noted, beside the one already in the file
    with (acme / "export.csv").open("a", encoding="utf-8") as f:
        f.write("0035g0000000003AAA,Anna,Weiß\n")
    third = kam(acme, "import", "csv", "export.csv", "--account", "acme")
    assert "export.csv:4: note: 'Anna Weiß'" in third.stdout
    assert "export.csv:3: note" not in third.stdout


def test_a_manager_named_family_name_first(kam, acme):
    """A manager column that lists people as address books do ("Müller, Jürgen") matched
    nobody, and the import was refused with "export the manager too", who was there."""
    (acme / "export.csv").write_text(
        "Id;FirstName;LastName;Title;ReportsToId;Email\n"
        "0031;Jürgen;Müller;CEO;;J.Mueller@Probe.de\n"
        "0032;Anna;Schäfer;CFO;j.mueller@probe.de;anna@probe.de\n"
        "0033;Björn;Groß;CTO;Müller, Jürgen;b@probe.de\n"
        "0034;Zoë;Weiß;CIO;Nobody, Known;z@probe.de\n",
        "utf-8",
    )
    refused = kam(acme, "import", "csv", "export.csv", "--account", "acme")
    assert refused.exit_code == 1
    assert "export.csv:5: ReportsToId 'Nobody, Known' of 'Zoë Weiß' matches no" in (
        refused.stdout + refused.stderr
    )
    text = (acme / "export.csv").read_text("utf-8").replace("Nobody, Known", "")
    (acme / "export.csv").write_text(text, "utf-8")
    r = kam(acme, "import", "csv", "export.csv", "--account", "acme")
    assert r.exit_code == 0, r.stdout + r.stderr
    by_id = {p["id"]: p for p in people(acme / "accounts/acme")}
    assert by_id["bjorn-gross"]["reports_to"] == "jurgen-muller"
    assert by_id["anna-schafer"]["reports_to"] == "jurgen-muller"  # e-mail, case not counting


def test_counts_of_a_big_account_are_grouped_as_every_count(kam, tmp_path):
    """`kam grade` of an account of a thousand imported people said "over 1000 key
    people", "0 of 1000 attitudes known" under "4,011 findings by rule": counts are
    grouped by thousands wherever people read them; JSON keeps plain numbers."""
    people_yaml = "stakeholders:\n" + "".join(
        f'  - {{id: p{i}, name: Person {i}, attitude: "?"}}\n' for i in range(1000)
    )
    write_account(tmp_path, "big", {"stakeholders.yaml": people_yaml})
    write_account(tmp_path, "small")
    one = kam(tmp_path, "grade", "big", env={"COLUMNS": "200"})
    assert "score 10 (E) over 1,000 key people;" in one.stdout
    assert "unknown attitudes 1,000; stale 1,000" in one.stdout
    assert "0 of 1,000 attitudes known" in one.stdout
    assert "over 1,000 key people (total weight 1,000)" in one.stdout
    table = kam(tmp_path, "grade", env={"COLUMNS": "200"})
    assert "1,000" in table.stdout and "1000" not in table.stdout
    data = kam(tmp_path, "grade", "--format", "json").json()
    big = next(a for a in data["accounts"] if a["id"] == "big")
    assert big["key_people"] == 1000 and big["unknown_attitudes"] == 1000
