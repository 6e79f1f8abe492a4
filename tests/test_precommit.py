"""The pre-commit hook through the real pre-commit tool on a sample repository."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, venv_tool, write_account


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)


def test_kam_check_hook_with_real_pre_commit(tmp_path):
    exe = venv_tool("pre-commit")
    if exe is None:
        pytest.skip("pre-commit is not installed (.ci/run installs it)")
    repo = tmp_path / "accounts-repo"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "ci@example.com")
    git(repo, "config", "user.name", "CI")
    write_account(repo, "good")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "accounts")
    env = {
        "PRE_COMMIT_HOME": str(tmp_path / "pc-home"),
        "KAM_TODAY": "2026-11-24",
        "PATH": str(Path(exe).parent) + ":" + os.environ["PATH"],
    }

    def hook() -> subprocess.CompletedProcess:
        return subprocess.run(
            [exe, "try-repo", str(REPO), "kam-check", "--all-files"],
            cwd=repo,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    ok = hook()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "kam check" in ok.stdout and "Passed" in ok.stdout
    write_account(
        repo, "broken", {"stakeholders.yaml": "stakeholders:\n  - {id: a, name: A, attitude: 9}\n"}
    )
    git(repo, "add", "-A")
    bad = hook()
    assert bad.returncode == 1
    assert "Failed" in bad.stdout
    assert "accounts/broken/stakeholders.yaml:2:32: KAM002" in bad.stdout
