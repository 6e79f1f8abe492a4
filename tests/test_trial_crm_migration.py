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
