"""Two accounts with the same display name (two "Müller AG": a holding and its plant) are
told apart wherever kam lists accounts by name: the id follows the name when, and only
when, another account of the list shares it (the position x value matrix of `kam
portfolio`, text and Markdown; `kam agenda` in Markdown and as a calendar); `kam grade`
and `kam stale` name every account "Name (id)" anyway."""

from __future__ import annotations

from conftest import write_account

LATE = """\
stakeholders:
  - id: boss
    name: Petra Lang
    roles: [D]
    attitude: 1
    owner: ana.ruiz
    last_contact: 2026-01-10
"""


def _three(root):
    (root / "kam.yaml").write_text("accounts: accounts\n", encoding="utf-8")
    for ident, name, position in (
        ("mueller-holding", "Müller AG", 4),
        ("mueller-werk", "MÜLLER AG", 1),  # the same name but for the case
        ("orsa", "Orsa Logistik", 2),
    ):
        account = (
            f"id: {ident}\nname: {name}\nowner: ana.ruiz\nreviewed: 2026-10-01\n"
            f"position: {position}\nvalue: 3\n"
        )
        write_account(root, ident, {"account.yaml": account, "stakeholders.yaml": LATE})


def test_portfolio_matrix_names_the_id_of_accounts_sharing_a_name(kam, tmp_path):
    _three(tmp_path)
    text = kam(tmp_path, "portfolio", env={"COLUMNS": "200"}).stdout
    assert "Müller AG (mueller-holding)" in text and "MÜLLER AG (mueller-werk)" in text
    assert "Orsa Logistik" in text and "(orsa)" not in text
    markdown = kam(tmp_path, "portfolio", "--format", "markdown").stdout
    row = next(line for line in markdown.splitlines() if line.startswith("| **3** |"))
    assert "Müller AG (mueller-holding)" in row and "MÜLLER AG (mueller-werk)" in row, row
    assert "Orsa Logistik |" in row


def test_agenda_markdown_and_calendar_name_the_id_of_accounts_sharing_a_name(kam, tmp_path):
    _three(tmp_path)
    markdown = kam(tmp_path, "agenda", "--format", "markdown").stdout
    assert "Contact Petra Lang (Müller AG, mueller-holding)" in markdown, markdown
    assert "Contact Petra Lang (MÜLLER AG, mueller-werk)" in markdown
    assert "Contact Petra Lang (Orsa Logistik)" in markdown
    calendar = kam(tmp_path, "agenda", "--format", "ics").stdout
    assert "SUMMARY:ana.ruiz: Contact Petra Lang (Müller AG\\, mueller-holding)" in calendar, (
        calendar
    )
    zh = kam(tmp_path, "--lang", "zh-CN", "agenda", "--format", "markdown").stdout
    assert "（Müller AG，mueller-holding）" in zh, zh


def test_grade_and_stale_name_each_account_with_its_id(kam, tmp_path):
    _three(tmp_path)
    for args in (["grade", "--format", "markdown"], ["stale"]):
        out = kam(tmp_path, *args, env={"COLUMNS": "200"}).stdout
        assert "Müller AG (mueller-holding)" in out and "MÜLLER AG (mueller-werk)" in out
