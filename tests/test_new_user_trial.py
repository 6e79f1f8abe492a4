"""Defects found trying kam as a new user on a medtech portfolio unlike the examples
(hospital groups, German, Chinese, Japanese and Korean names, a nested accounts folder)."""

from __future__ import annotations

import subprocess

from conftest import write_account


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
