"""kam plan's templates stay inside their folder: a symlink (a file, a folder on the way,
the template folder itself) that leaves it is refused; special files are never read."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import write_account


def repo_with_account(root: Path) -> Path:
    """A git repository (the confinement root) holding one account of our own."""
    repo = root / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    write_account(
        repo,
        "beta",
        {
            "account.yaml": "id: beta\nname: Beta 北方\nowner: li.ming\n"
            "reviewed: 2026-11-01\nposition: 4\nvalue: 4\n",
            "stakeholders.yaml": "stakeholders:\n  - {id: a, name: A, attitude: 1}\n",
        },
    )
    return repo


def outside_secret(root: Path) -> Path:
    secret = root / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("SECRET_TOKEN=hunter2\n")
    return secret


def refused(r, path: str) -> None:
    assert r.exit_code == 2, r.stdout[:200]
    assert "hunter2" not in r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"kam: error: template error: {path}: refused: "), r.stderr


def test_an_included_symlink_to_the_process_environment_is_refused(kam, tmp_path):
    repo = repo_with_account(tmp_path)
    (repo / "templates").mkdir()
    (repo / "templates" / "action_plan.md.j2").write_text('{% include "secret.md.j2" %}\n')
    (repo / "templates" / "secret.md.j2").symlink_to("/proc/self/environ")
    r = kam(repo, "plan", "beta", env={"SECRET_TOKEN": "hunter2"})
    refused(r, "templates/secret.md.j2")
    assert "outside the template folder templates" in r.stderr
    assert "PATH=" not in r.stdout


def test_a_template_symlinked_out_of_the_repository_is_refused(kam, tmp_path):
    repo = repo_with_account(tmp_path)
    secret = outside_secret(tmp_path)
    (repo / "templates").mkdir()
    (repo / "templates" / "action_plan.md.j2").symlink_to(secret)
    refused(kam(repo, "plan", "beta"), "templates/action_plan.md.j2")
    # and from a sub-folder (kam finds the repository's templates from there)
    # (named from there: ../templates/..., not this machine's absolute path)
    r = kam(repo / "accounts", "plan", "beta")
    refused(r, "../templates/action_plan.md.j2")


def test_a_symlink_to_elsewhere_in_the_repository_is_refused_too(kam, tmp_path):
    """Inside the repository but outside the template folder (an account's file)."""
    repo = repo_with_account(tmp_path)
    (repo / "templates").mkdir()
    (repo / "templates" / "plan.md.j2").symlink_to(repo / "accounts" / "beta" / "account.yaml")
    refused(kam(repo, "plan", "beta"), "templates/plan.md.j2")


def test_a_folder_on_the_way_that_leaves_is_refused(kam, tmp_path):
    repo = repo_with_account(tmp_path)
    secret = outside_secret(tmp_path)
    (repo / "templates").mkdir()
    (secret.parent / "secret.md.j2").write_text(secret.read_text())
    (repo / "templates" / "parts").symlink_to(secret.parent)
    (repo / "templates" / "plan.md.j2").write_text('{% include "parts/secret.md.j2" %}\n')
    refused(kam(repo, "plan", "beta"), "templates/parts/secret.md.j2")


def test_a_template_folder_symlinked_out_of_the_repository_is_refused(kam, tmp_path):
    repo = repo_with_account(tmp_path)
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "plan.md.j2").write_text("{{ account.name }} leaked\n")
    (repo / "templates").symlink_to(theirs)
    r = kam(repo, "plan", "beta")
    refused(r, "templates")
    assert "template folder resolves outside the repository" in r.stderr
    (repo / "templates").unlink()
    (repo / "mine").symlink_to(theirs)
    refused(kam(repo, "plan", "beta", "--template-dir", "mine"), "mine")
    # named where it is, a folder outside the repository is the user's own choice
    r = kam(repo, "plan", "beta", "--template-dir", str(theirs))
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "Beta 北方 leaked\n"


def test_symlinks_that_stay_inside_work(kam, tmp_path):
    repo = repo_with_account(tmp_path)
    tpl = repo / "templates"
    (tpl / "shared").mkdir(parents=True)
    (tpl / "shared" / "head.md.j2").write_text("# {{ account.name }}\n")
    (tpl / "head.md.j2").symlink_to("shared/head.md.j2")
    (tpl / "plan.md.j2").write_text('{% include "head.md.j2" %}done\n')
    r = kam(repo, "plan", "beta")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "# Beta 北方\ndone\n"


def test_a_fifo_is_never_opened(kam, tmp_path):
    repo = repo_with_account(tmp_path)
    (repo / "templates").mkdir()
    os.mkfifo(repo / "templates" / "plan.md.j2")  # opening it to read would block forever
    r = kam(repo, "plan", "beta")
    assert r.exit_code == 2
    assert r.stderr.strip() == (
        "kam: error: template error: templates/plan.md.j2: "
        "refused: not a regular file (a device, a pipe or a folder)"
    )


@pytest.mark.parametrize("name", ["../../../../etc/passwd", "../accounts/beta/account.yaml"])
def test_an_include_that_climbs_out_says_what_is_wrong(kam, tmp_path, name):
    repo = repo_with_account(tmp_path)
    (repo / "tpl2").mkdir()
    (repo / "tpl2" / "action_plan.md.j2").write_text(f'first\n{{% include "{name}" %}}\n')
    r = kam(repo, "plan", "beta", "--template-dir", "tpl2")
    assert r.exit_code == 2
    assert r.stderr.strip() == (
        "kam: error: template error: tpl2/action_plan.md.j2:2: "
        f"template not found (or outside the template folder): {name}"
    )


def test_a_template_that_is_not_utf8_is_named(kam, tmp_path):
    repo = repo_with_account(tmp_path)
    (repo / "templates").mkdir()
    (repo / "templates" / "action_plan.md.j2").write_bytes("# 行动计划\n".encode("gb18030"))
    r = kam(repo, "plan", "beta")
    assert r.exit_code == 2
    assert r.stderr.strip() == (
        "kam: error: template error: templates/action_plan.md.j2:1: "
        "not UTF-8 text (byte 2): save the template as UTF-8"
    )


def test_refusals_are_translated(kam, tmp_path):
    repo = repo_with_account(tmp_path)
    secret = outside_secret(tmp_path)
    (repo / "templates").mkdir()
    (repo / "templates" / "plan.md.j2").symlink_to(secret)
    r = kam(repo, "--lang", "zh-CN", "plan", "beta")
    assert r.exit_code == 2
    assert "templates/plan.md.j2" in r.stderr and "refused" not in r.stderr
    assert "hunter2" not in r.stdout + r.stderr


def test_a_template_folder_linked_within_the_repository_works(kam, tmp_path):
    """templates -> docs/plan-templates: the link stays in the repository, so it is used."""
    repo = repo_with_account(tmp_path)
    shared = repo / "docs" / "plan-templates"
    shared.mkdir(parents=True)
    (shared / "plan.md.j2").write_text("计划：{{ account.name }}\n")
    (repo / "templates").symlink_to("docs/plan-templates")
    r = kam(repo, "plan", "beta")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "计划：Beta 北方\n"


def test_only_templates_are_included_through_a_broad_template_dir(kam, tmp_path):
    """A repository template (which a pull request can change) included `etc/hostname`
    through `--template-dir /`: only names ending in .j2 are read as templates."""
    repo = repo_with_account(tmp_path)
    secret = outside_secret(tmp_path)
    (repo / "templates").mkdir()
    rel = secret.relative_to(secret.anchor).as_posix()
    (repo / "templates" / "plan.md.j2").write_text('{% include "' + rel + '" %}\n')
    r = kam(repo, "plan", "beta", "--template-dir", secret.anchor)
    assert r.exit_code == 2 and "hunter2" not in r.stdout + r.stderr
    assert (
        f"templates/plan.md.j2:1: {rel}: refused: only templates are read, files whose " in r.stderr
    )


def test_sandbox_refusals_are_translated(kam, tmp_path):
    """'refused by the sandbox' stayed English inside the Chinese error line."""
    repo = repo_with_account(tmp_path)
    (repo / "templates").mkdir()
    (repo / "templates" / "plan.md.j2").write_text('{{ "".__class__.__mro__ }}\n')
    r = kam(repo, "--lang", "zh-CN", "plan", "beta")
    assert r.exit_code == 2
    assert "被沙箱拒绝" in r.stderr and "refused by the sandbox" not in r.stderr
    r = kam(repo, "plan", "beta")
    assert "refused by the sandbox" in r.stderr
