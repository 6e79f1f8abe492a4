"""Reporters for findings (validate, check, stale)."""

from __future__ import annotations

from typing import Any

from kamtool.findings import Finding
from kamtool.report.jsonout import dumps

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
        return dumps(doc)


def _ci(name: str) -> type:
    from kamtool.report import ci

    return getattr(ci, name)


class _Lazy:
    """Registry entry that imports its reporter class only when used."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self) -> Any:
        return _ci(self.name)()


FINDINGS: dict[str, Any] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": _Lazy("GithubReporter"),
    "sarif": _Lazy("SarifReporter"),
    "junit": _Lazy("JunitReporter"),
    "gitlab": _Lazy("GitlabReporter"),
}


def stale_rows(findings: list[Finding]) -> list[dict[str, Any]]:
    """Freshness findings as rows, most overdue first (never-contacted people lead)."""
    rows = []
    for f in findings:
        d = f.data or {}
        rows.append(
            {
                "account": f.account,
                "person": d.get("person"),
                "field": d.get("field"),
                "date": d.get("date"),
                # where the date is written (log.yaml:41 when the log gave the last contact)
                "source": d.get("source")
                or (f"{f.path.rsplit('/', 1)[-1]}:{f.line}" if d.get("date") else None),
                "age_days": d.get("age_days"),
                "threshold_days": d.get("threshold_days"),
                "overdue_days": d.get("overdue_days"),
                "owner": d.get("owner"),
                "severity": f.severity,
                "code": f.code,
                "location": f"{f.path}:{f.line}:{f.column}",
            }
        )
    rows.sort(
        key=lambda r: (
            r["overdue_days"] is not None,
            -(r["overdue_days"] or 0),
            r["account"] or "",
            r["person"] or "",
        )
    )
    return rows


class StaleTableReporter:
    """``kam stale`` in the terminal: who to call first."""

    def render(
        self,
        result: Any,
        findings: list[Finding],
        *,
        color: bool = False,
        width: int = 120,
        **_: Any,
    ) -> str:

        from rich.markup import escape
        from rich.table import Table

        from kamtool.report.term import console as make_console

        console = make_console(color, width)
        table = Table(title=f"Stale data on {result.today.isoformat()}", title_justify="left")
        columns = ("account", "person", "field", "date", "from", "age", "threshold", "owner")
        for col in (*columns, "severity"):
            table.add_column(
                col,
                justify="right" if col in ("age", "threshold") else "left",
                # where the date came from may wrap rather than cut the other columns
                no_wrap=col != "from",
                overflow="fold" if col == "from" else "ellipsis",
                min_width=10 if col == "date" else None,
            )
        for r in stale_rows(findings):
            sev = r["severity"]
            if color:
                sev = f"[{'red' if sev == 'error' else 'yellow' if sev == 'warning' else 'cyan'}]{sev}[/]"
            table.add_row(
                escape(r["account"] or ""),
                escape(r["person"] or "(account)"),
                r["field"] or "",
                r["date"] or "never",
                escape(r["source"] or "-"),
                "-" if r["age_days"] is None else f"{r['age_days']}d",
                "-" if r["threshold_days"] is None else f"{r['threshold_days']}d",
                escape(r["owner"] or "-"),
                sev,
            )
        console.print(table)
        console.print(summary_line(findings, len(result.accounts)))
        return console.file.getvalue()
