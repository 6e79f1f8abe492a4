"""Defects found trying kam as a new user on a medtech portfolio unlike the examples
(hospital groups, German, Chinese, Japanese and Korean names, a nested accounts folder)."""

from __future__ import annotations

import subprocess

from conftest import dedent, write_account


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _medtech_repo(root):
    """A git repository whose accounts live in a nested folder named by kam.yaml."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    (root / "kam.yaml").write_text("accounts: data/kunden\n", encoding="utf-8")
    folder = write_account(root / "data" / "x", "klinikum")
    (root / "data" / "kunden").mkdir(parents=True)
    folder.rename(root / "data" / "kunden" / "klinikum")
    (root / "data" / "x" / "accounts").rmdir()
    (root / "data" / "x").rmdir()
    return root


def test_output_file_outside_any_repository_is_written(kam, tmp_path):
    """`-o` to a folder in no repository (a calendar in the home folder) was refused as
    'leads outside the repository through a symbolic link', which it did not."""
    repo = _medtech_repo(tmp_path / "repo")
    outside = tmp_path / "calendars"
    outside.mkdir()
    r = kam(repo, "agenda", "--format", "ics", "-o", str(outside / "team.ics"))
    assert "symbolic link" not in r.stderr, r.stderr
    assert (outside / "team.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    # a folder that does not exist yet, outside any repository, is created
    r = kam(repo, "plan", "klinikum", "-o", str(tmp_path / "plans" / "2027" / "k.md"))
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "plans" / "2027" / "k.md").is_file()


def test_output_through_a_symlink_out_of_the_repository_is_still_refused(kam, tmp_path):
    repo = _medtech_repo(tmp_path / "repo")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (repo / "out").symlink_to(outside, target_is_directory=True)
    r = kam(repo, "agenda", "--format", "ics", "-o", "out/team.ics")
    assert r.exit_code == 1
    assert "outside the repository through a symbolic link" in r.stderr
    assert not (outside / "team.ics").exists()


UNIT_CYCLE = """\
units:
  - {id: leitung, name: Klinikleitung, parent: verwaltung}
  - {id: verwaltung, name: Verwaltung, parent: leitung}
"""


def test_unit_cycle_speaks_of_units_in_both_languages(kam, tmp_path):
    """KAM005 on org.yaml said "unit parents" inside the Chinese message and told the
    user that "somebody at the top reports to nobody", which is about people."""
    write_account(tmp_path, "klinik", {"org.yaml": UNIT_CYCLE})
    r = kam(tmp_path, "check", "--format", "json")
    (f,) = [f for f in r.json()["findings"] if f["code"] == "KAM005"]
    assert (f["line"], f["message"]) == (
        2,
        "cycle in unit parents: leitung -> verwaltung -> leitung",
    )
    assert "unit" in f["hint"] and "reports to" not in f["hint"]
    r = kam(tmp_path, "check", "--format", "json", "--lang", "zh-CN")
    (f,) = [f for f in r.json()["findings"] if f["code"] == "KAM005"]
    assert f["message"] == "部门上下级关系中存在循环：leitung -> verwaltung -> leitung"
    assert "部门" in f["hint"] and "汇报" not in f["hint"]


def test_reporting_cycle_is_translated(kam, tmp_path):
    people = dedent(
        """\
        stakeholders:
          - {id: zhang-wei, name: 张伟, reports_to: li-na, attitude: 1}
          - {id: li-na, name: 李娜, reports_to: zhang-wei, attitude: "?"}
        """
    )
    write_account(tmp_path, "ruijin", {"stakeholders.yaml": people})
    r = kam(tmp_path, "validate", "--lang", "zh-CN")
    assert r.exit_code == 1
    assert "汇报关系中存在循环：zhang-wei -> li-na -> zhang-wei" in r.stdout
    assert "reporting" not in r.stdout
