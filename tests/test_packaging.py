"""The wheel: with a compiler it carries the native reader; with KAM_PURE=1 it is pure
Python and kam still works, through the Python reader, with the same findings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO, TODAY


def build_wheel(tmp_path: Path, pure: bool) -> Path:
    """Build from a copy of the sources (the build must not touch the working tree)."""
    src = tmp_path / "src-copy"
    shutil.copytree(
        REPO,
        src,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", ".ci", "*.so", "__pycache__", ".hypothesis", "build", "dist"
        ),
    )
    out = tmp_path / "wheels"
    env = {k: v for k, v in os.environ.items() if k != "KAM_PURE"}
    if pure:
        env["KAM_PURE"] = "1"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(src),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    (wheel,) = out.glob("kamtool-*.whl")
    return wheel


def test_wheel_carries_the_native_reader_and_the_examples(tmp_path):
    wheel = build_wheel(tmp_path, pure=False)
    assert not wheel.name.endswith("-none-any.whl"), wheel.name  # a platform wheel
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("kamtool/_kamyaml") for n in names)
    assert "kamtool/_data/accounts/nordtel/stakeholders.yaml" in names
    assert "kamtool/_data/templates/plan.md.j2" in names
    assert "kamtool/locale/zh_CN/LC_MESSAGES/kam.mo" in names  # the Chinese catalogue
    assert "kamtool/py.typed" in names  # PEP 561: type checkers read kam's annotations
    assert not any(n.startswith("native/") or n.endswith(".c") for n in names)


def test_pure_wheel_reads_with_the_python_reader_and_finds_the_same(tmp_path, kam):
    wheel = build_wheel(tmp_path, pure=True)
    assert wheel.name.endswith("-py3-none-any.whl"), wheel.name
    unpacked = tmp_path / "pure"
    zipfile.ZipFile(wheel).extractall(unpacked)
    assert not list(unpacked.rglob("_kamyaml*"))
    work = tmp_path / "work"
    shutil.copytree(REPO / "accounts", work / "accounts")
    env = {**os.environ, "PYTHONPATH": str(unpacked), "KAM_TODAY": TODAY, "NO_COLOR": "1"}
    env.pop("KAM_READER", None)
    probe = subprocess.run(
        [sys.executable, "-c", "from kamtool.load import yamlread; print(yamlread.reader_name())"],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
    )
    assert probe.stdout.strip() == "python", probe.stderr
    pure = subprocess.run(
        [sys.executable, "-m", "kamtool.cli", "check", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
    )
    native = kam(work, "check", "--format", "json")
    assert pure.returncode == native.exit_code == 1
    assert pure.stdout == native.stdout and '"findings"' in pure.stdout
