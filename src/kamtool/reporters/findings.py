"""Reporters for findings (validate, check, stale)."""

from __future__ import annotations

import json
from typing import Any

from ..findings import Finding

_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
_RESET = "\x1b[0m"


def summary_line(findings: list[Finding], accounts: int) -> str:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    parts = [f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items()]
    return f"{', '.join(parts)} in {accounts} account{'s' if accounts != 1 else ''}"


class TextReporter:
    """``path:line:col: CODE message (severity)``: the form editors and terminals link."""

    def render(
        self, result: Any, findings: list[Finding], *, color: bool = False, hints: bool = False
    ) -> str:
        lines = []
        for f in findings:
            sev = f.severity
            if color:
                sev = f"{_COLOURS[sev]}{sev}{_RESET}"
            lines.append(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message} ({sev})")
            if hints and f.hint:
                lines.append(f"    hint: {f.hint}")
        lines.append(summary_line(findings, len(result.accounts)))
        return "\n".join(lines) + "\n"


class JsonReporter:
    def render(self, result: Any, findings: list[Finding], **_: Any) -> str:
        doc = {
            "today": result.today.isoformat(),
            "summary": {
                "accounts": len(result.accounts),
                "errors": sum(1 for f in findings if f.severity == "error"),
                "warnings": sum(1 for f in findings if f.severity == "warning"),
                "infos": sum(1 for f in findings if f.severity == "info"),
            },
            "findings": [f.to_dict() for f in findings],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


FINDINGS: dict[str, type] = {
    "text": TextReporter,
    "json": JsonReporter,
}
