"""A compact way to test a rule, in the style of yamllint's ``check(conf, problem=(line, col))``:
the files are written out in full in the test, the findings come back as
``(code, line, column)`` tuples, through the real CLI (``kam check --format json``).

    got = check(kam, tmp_path, {"account.yaml": ..., "stakeholders.yaml": ...})
    assert ("KAM117", 12, 9) in got
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import dedent, findings_of


def write(root: Path, files: dict[str, str], config: str | None = None, account: str = "t") -> Path:
    """The account ``account`` under root/accounts with exactly ``files`` (and kam.yaml)."""
    folder = root / "accounts" / account
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(dedent(text), encoding="utf-8")
    cfg = root / "kam.yaml"
    if config is not None:
        cfg.write_text(dedent(config), encoding="utf-8")
    elif cfg.exists():
        cfg.unlink()
    return folder


def check(
    kam, root: Path, files: dict[str, str], config: str | None = None, *args: str
) -> list[tuple[str, int, int]]:
    """Every finding of ``kam check`` on one account made of ``files``, as tuples."""
    write(root, files, config)
    return findings_of(kam(root, "check", "--format", "json", "--fail-on", "info", *args))


def codes(found: list[tuple[str, int, int]], code: str) -> list[tuple[str, int, int]]:
    return [f for f in found if f[0] == code]
