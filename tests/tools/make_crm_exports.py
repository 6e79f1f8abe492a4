"""Writes the CRM export fixtures of tests/data/import/ (run it to refresh them).

Three exports of the same kind of customer, written the way the tools write them:

- ``salesforce-dataloader.csv``: a Data Loader export of 50 contacts of one account: API
  column names, every field quoted, CRLF line ends, UTF-8 without BOM, 18-character ids,
  a reporting hierarchy four levels deep through ``ReportsToId``, Chinese, accented and
  Cyrillic names, two different people with the same name, descriptions with commas,
  quotes and line breaks inside.
- ``salesforce-excel-de.csv``: the Latin-script contacts of the same export after a round
  trip through Excel on a German Windows: ``;`` delimiter, Windows-1252, quotes only where
  needed.
- ``hubspot-contacts.csv``: a HubSpot contact export (UTF-8 with BOM, numeric Record IDs,
  property labels as column names) with a custom "Manager Record ID" property.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "import"

# (first, last, title, department, manager index or None)
PEOPLE: list[tuple[str, str, str, str, int | None]] = [
    ("Ingrid", "Østergaard", "Chief Executive Officer", "Executive Board", None),  # 0
    ("伟", "张", "Chief Technology Officer", "Technology", 0),  # 1
    ("José", "Müller", "Chief Financial Officer", "Finance", 0),  # 2
    ("Françoise", "Lefèvre", "Chief Operating Officer", "Operations", 0),  # 3
    ("Siobhán", "O'Connor", "VP Procurement", "Procurement", 2),  # 4
    ("芳", "王", "VP Network Engineering", "Technology", 1),  # 5
    ("Łukasz", "Wójcik", "VP IT Operations", "Technology", 1),  # 6
    ("Zoë", "Brontë", "Head of Strategic Sourcing", "Procurement", 4),  # 7
    ("Björn", "Åkesson", "Category Manager, Network", "Procurement", 7),  # 8
    ("Maria", "Garcia", "Category Manager, IT", "Procurement", 7),  # 9
    ("Maria", "Garcia", "Energy Buyer", "Procurement", 7),  # 10: same name, other person
    ("娜", "李", "Director Radio Access", "Technology", 5),  # 11
    ("洋", "刘", "Director Core Network", "Technology", 5),  # 12
    ("静", "陈", "Senior Architect", "Technology", 12),  # 13
    ("Иван", "Петров", "Transport Network Lead", "Technology", 12),  # 14
    ("Nuño", "Peña", "Director Data Centres", "Technology", 6),  # 15
    ("Ægir", "Þórsson", "Site Reliability Lead", "Technology", 15),  # 16
    ("Antonín", "Dvořák", "Energy Efficiency Manager", "Operations", 3),  # 17
    ("Grace", "Hopper", "Head of Field Operations", "Operations", 3),  # 18
    ("Ada", "Lovelace", "Regional Manager North", "Operations", 18),  # 19
    ("Alan", "Turing", "Regional Manager South", "Operations", 18),  # 20
    ("Hedy", "Lamarr", "Spectrum Manager", "Technology", 11),  # 21
    ("Katherine", "Johnson", "Financial Controller", "Finance", 2),  # 22
    ("Dorothy", "Vaughan", "Budget Analyst", "Finance", 22),  # 23
    ("Mary", "Jackson", "Treasury Manager", "Finance", 2),  # 24
    ("Ewa", "Żółkiewska", "Legal Counsel", "Legal", 0),  # 25
    ("Søren", "Kierkegaard", "Head of Strategy", "Strategy", 0),  # 26
    ("Émile", "Durkheim", "Business Analyst", "Strategy", 26),  # 27
    ("明", "黄", "Radio Planning Engineer", "Technology", 11),  # 28
    ("磊", "赵", "Core Network Engineer", "Technology", 12),  # 29
    ("秀英", "周", "Test Manager", "Technology", 12),  # 30
    ("Niamh", "Ní Bhriain", "Security Officer", "Technology", 6),  # 31
    ("Jürgen", "Weiß", "Facility Manager", "Operations", 17),  # 32
    ("Chloé", "Dubois", "Sustainability Officer", "Operations", 17),  # 33
    ("Rafael", "Núñez", "Procurement Analyst", "Procurement", 8),  # 34
    ("Anaïs", "Nin", "Supplier Quality Manager", "Procurement", 7),  # 35
    ("Tomás", "Ó Briain", "Field Engineer", "Operations", 19),  # 36
    ("Ilse", "Meitner", "Field Engineer", "Operations", 20),  # 37
    ("Ole", "Rømer", "Network Analyst", "Technology", 13),  # 38
    ("Marie", "Curie", "Innovation Lead", "Strategy", 26),  # 39
    ("Nils", "Bohr", "Lab Manager", "Technology", 13),  # 40
    ("Ana", "Ramírez", "HR Business Partner", "Human Resources", 3),  # 41
    ("Kofi", "Mensah", "IT Service Manager", "Technology", 6),  # 42
    ("Aiko", "Tanaka", "Vendor Manager", "Procurement", 4),  # 43
    ("Priya", "Raman", "Data Protection Officer", "Legal", 25),  # 44
    ("Lars", "Ødegård", "Contract Manager", "Procurement", 43),  # 45
    ("Renée", "Lévesque", "Executive Assistant", "Executive Board", 0),  # 46
    ("Sven", "Hedin", "Capacity Planner", "Technology", 12),  # 47
    ("Oskar", "Schindler", "Operations Analyst", "Operations", 18),  # 48
    ("Fatima", "Al-Fihri", "Training Manager", "Human Resources", 41),  # 49
]


def sf_id(i: int) -> str:
    """An 18-character Salesforce contact id (prefix 003, case-sensitive body, suffix)."""
    body = f"0035g00000{'AbCdE'[i % 5]}{i:04d}"
    return body + "QAW"[i % 3] + "A" + "Z"[0]


def description(i: int) -> str:
    if i % 7 == 0:
        return f'Met at the "Nordic Telecom" fair, 2025.\nPrefers calls, not email;\nsee notes {i}'
    if i % 5 == 0:
        return "Budget owner, sign-off above 50,000"
    return ""


def salesforce_rows() -> list[list[str]]:
    header = [
        "Id",
        "AccountId",
        "Salutation",
        "FirstName",
        "LastName",
        "Title",
        "Department",
        "ReportsToId",
        "Email",
        "Phone",
        "MailingCity",
        "Description",
        "OwnerId",
        "CreatedDate",
    ]
    rows = [header]
    for i, (first, last, title, dept, boss) in enumerate(PEOPLE):
        rows.append(
            [
                sf_id(i),
                "0015g00000Nordx1AAA",
                "Ms." if i % 2 else "Mr.",
                first,
                last,
                title,
                dept,
                sf_id(boss) if boss is not None else "",
                f"contact{i}@nordtel.example",
                f"+47 22 00 {i:02d} 00",
                "Oslo",
                description(i),
                "0055g00000Ownr1AAA",
                f"2024-03-0{1 + i % 9}T09:15:00.000Z",
            ]
        )
    return rows


def write_dataloader() -> None:
    buf = io.StringIO(newline="")
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(salesforce_rows())
    (OUT / "salesforce-dataloader.csv").write_bytes(buf.getvalue().encode("utf-8"))


def write_excel_de() -> None:
    def latin(text: str) -> bool:
        try:
            text.encode("cp1252")
            return True
        except UnicodeEncodeError:
            return False

    rows = salesforce_rows()
    keep = [rows[0]] + [r for r in rows[1:] if latin(r[3] + r[4])]
    # a contact whose manager did not survive the filter is exported without one
    ids = {r[0] for r in keep}
    for r in keep[1:]:
        if r[7] and r[7] not in ids:
            r[7] = ""
        r[11] = r[11].encode("cp1252", "replace").decode("cp1252")
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(keep)
    (OUT / "salesforce-excel-de.csv").write_bytes(buf.getvalue().encode("cp1252"))


def write_hubspot() -> None:
    header = [
        "Record ID",
        "First Name",
        "Last Name",
        "Email",
        "Phone Number",
        "Job Title",
        "Company Name",
        "Contact owner",
        "Lifecycle Stage",
        "Create Date",
        "Manager Record ID",
    ]
    rows = [header]
    for i, (first, last, title, _dept, boss) in enumerate(PEOPLE):
        rows.append(
            [
                str(51 + i * 50),
                first,
                last,
                f"contact{i}@nordtel.example",
                f"+47 22 00 {i:02d} 00",
                title,
                "Nordtel ASA",
                "Li Ming",
                "Opportunity" if i % 3 else "Customer",
                f"2024-03-0{1 + i % 9} 09:15",
                str(51 + boss * 50) if boss is not None else "",
            ]
        )
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (OUT / "hubspot-contacts.csv").write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    write_dataloader()
    write_excel_de()
    write_hubspot()
