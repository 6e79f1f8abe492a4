"""Report: findings and grades -> text. Reporters never compute grades or read files.

Two registries by format name: ``FINDINGS`` (validate, check, stale) and
``GRADES`` (grade). A reporter is a small class with ``render(result) -> str``.
"""

from __future__ import annotations

from typing import Any


def findings_reporter(name: str) -> Any:
    from .findings import FINDINGS

    return FINDINGS[name]()


def grade_reporter(name: str) -> Any:
    from .grades import GRADES

    return GRADES[name]()
