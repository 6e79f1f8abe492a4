"""A finding is a small value every reporter reads; nothing else carries problems."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import Any

SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: str
    path: str  # display path, POSIX, relative to the working directory when possible
    line: int
    column: int
    message: str
    hint: str = ""
    account: str | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # the constructor's arguments: rebuilding from them is about twice as fast as the
        # field-by-field state a frozen dataclass pickles (results travel between processes)
        return (
            Finding,
            (
                self.code,
                self.severity,
                self.path,
                self.line,
                self.column,
                self.message,
                self.hint,
                self.account,
                self.data,
            ),
        )

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self.severity]

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def with_severity(self, severity: str) -> Finding:
        return replace(self, severity=severity)

    def as_tuple(self) -> tuple[str, int, int]:
        """The compact form tests use: ("KAM101", 12, 5)."""
        return (self.code, self.line, self.column)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "code": self.code,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
            "account": self.account,
        }
        if self.data:
            out["data"] = self.data
        return out


def worst(findings: list[Finding]) -> Finding | None:
    """The most severe finding; among equals the first in file order."""
    if not findings:
        return None
    return min(findings, key=lambda f: (-f.rank, f.sort_key()))


def fingerprint(f: Finding) -> str:
    """Stable across runs and line moves: code, file, subject and the message without numbers."""
    subject = f.data.get("person") if f.data else None
    # where a date was read ("(log.yaml:41)") is not what the finding is about: a stale
    # contact stays the same finding when the team starts logging, or logs again
    text = re.sub(r" \([^()]*\.yaml:\d+\)", "", f.message)
    text = re.sub(r"\d+", "0", text)
    raw = f"{f.code}|{f.path}|{subject or ''}|{text}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]
