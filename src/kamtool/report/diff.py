"""Reporters for ``kam diff``: text for the terminal, markdown for a PR comment, json."""

from __future__ import annotations

from typing import Any

from kamtool.report.escape import md, one_line
from kamtool.report.jsonout import dumps

_SIGN = {"person-added": "+", "person-removed": "-", "person-left": "-", "person-renamed": "~"}


def _name(d: Any) -> str:
    side = d.after or d.before
    acct = side.account.account if side is not None else None
    return acct.name if acct is not None else d.id


def headline(d: Any) -> str:
    if d.status == "added":
        s = d.score_after
        return "new account" + (
            f", score {s} ({d.after.grade.letter})" if s is not None else ", invalid"
        )
    if d.status == "removed":
        return "account removed"
    parts = [c.text for c in d.changes if c.kind in ("tier", "score", "invalid", "valid")]
    if d.new_findings or d.resolved_findings:
        parts.append(f"{len(d.new_findings)} new, {len(d.resolved_findings)} resolved findings")
    return "; ".join(parts) or "details changed"


def _people(d: Any) -> list[Any]:
    return [
        c for c in d.changes if c.kind not in ("tier", "score", "computed-tier", "invalid", "valid")
    ]


def _marker(c: Any) -> str:
    if c.kind in _SIGN:
        return _SIGN[c.kind]
    return "▲" if c.direction > 0 else "▼" if c.direction < 0 else "~"


class TextDiff:
    def render(self, result: Any, **_: Any) -> str:
        out = [
            f"kam diff {result.base_label} → {result.head_label} (today {result.today.isoformat()})"
        ]
        for d in result.accounts:
            out.append("")
            out.append(f"{d.id}: {headline(d)}")
            for c in _people(d):
                out.append(f"  {_marker(c)} {one_line(c.text)}")
            for f in d.new_findings:
                out.append(f"  new      {f.code} {one_line(f.message)} ({f.severity})")
            for f in d.resolved_findings:
                out.append(f"  resolved {f.code} {one_line(f.message)}")
        out.append("")
        out.append(_summary(result))
        return "\n".join(out) + "\n"


def _summary(result: Any) -> str:
    counts = {
        k: sum(1 for d in result.accounts if d.status == k) for k in ("changed", "added", "removed")
    }
    worse = sum(1 for d in result.accounts if d.worse)
    return (
        f"{counts['changed']} changed, {counts['added']} added, {counts['removed']} removed, "
        f"{result.unchanged} unchanged; {worse} worse"
    )


class MarkdownDiff:
    """Ready to post as a pull-request comment: a summary table, then one collapsible block per account."""

    def render(self, result: Any, **_: Any) -> str:
        out = [
            f"### kam diff: `{md(result.base_label)}` → `{md(result.head_label)}`",
            "",
        ]
        if not result.accounts:
            out.append(f"No relationship changes ({result.unchanged} accounts unchanged).")
            return "\n".join(out) + "\n"
        out += ["| account | tier | score | people | findings |", "|---|---|---|---|---|"]
        for d in result.accounts:
            tier = _pair(d, "tier")
            score = _score_cell(d)
            people = _people(d)
            added = sum(1 for c in people if c.kind == "person-added")
            gone = sum(1 for c in people if c.kind in ("person-removed", "person-left"))
            changed = len(
                {
                    c.person
                    for c in people
                    if c.kind not in ("person-added", "person-removed", "person-left")
                }
            )
            people_txt = (
                " ".join(
                    x
                    for x in (
                        f"+{added}" if added else "",
                        f"−{gone}" if gone else "",
                        f"~{changed}" if changed else "",
                    )
                    if x
                )
                or "-"
            )
            findings = f"+{len(d.new_findings)} / −{len(d.resolved_findings)}"
            status = {"added": " (new)", "removed": " (removed)"}.get(d.status, "")
            out.append(f"| **{md(d.id)}**{status} | {tier} | {score} | {people_txt} | {findings} |")
        out.append("")
        for d in result.accounts:
            out.append("<details>")
            blank = True
            out.append(f"<summary><b>{md(_name(d))}</b> ({md(d.id)}): {md(headline(d))}</summary>")
            out.append("")
            for c in _people(d):
                out.append(f"- {_marker(c)} {md(c.text)}")
            blank = not _people(d)
            if d.new_findings:
                if not blank:
                    out.append("")
                blank = False
                out.append("New findings:")
                out.append("")
                for f in d.new_findings:
                    out.append(
                        f"- `{f.code}` {md(f.message)} ({f.severity}) — `{md(f.path)}:{f.line}`"
                    )
            if d.resolved_findings:
                if not blank:
                    out.append("")
                out.append("Resolved findings:")
                out.append("")
                for f in d.resolved_findings:
                    out.append(f"- ~~`{f.code}` {md(f.message)}~~")
            out.append("")
            out.append("</details>")
        out.append("")
        out.append(f"<sub>{md(_summary(result))}; judged on {result.today.isoformat()}</sub>")
        return "\n".join(out) + "\n"


def _pair(d: Any, kind: str) -> str:
    for c in d.changes:
        if c.kind == kind:
            return f"{md(c.before or '-')} → {md(c.after or '-')}"
    side = d.after or d.before
    g = side.grade if side is not None else None
    return md(g.tier or "-") if g is not None else "-"


def _score_cell(d: Any) -> str:
    b, a = d.score_before, d.score_after
    if b is None and a is None:
        return "-"
    if b is None or a is None:
        return str(a if a is not None else b)
    if a == b:
        return str(a)
    return f"{b} → {a} {'▲' if a > b else '▼'}"


class JsonDiff:
    def render(self, result: Any, **_: Any) -> str:
        def side(r: Any) -> Any:
            if r is None:
                return None
            g = r.grade
            return {
                "valid": g is not None,
                "tier": g.tier if g else None,
                "score": g.score if g else None,
                "letter": g.letter if g else None,
            }

        doc = {
            "base": result.base_label,
            "head": result.head_label,
            "today": result.today.isoformat(),
            "unchanged": result.unchanged,
            "worse": result.worse,
            "accounts": [
                {
                    "id": d.id,
                    "status": d.status,
                    "worse": d.worse,
                    "before": side(d.before),
                    "after": side(d.after),
                    "changes": [c.to_dict() for c in d.changes],
                    "new_findings": [f.to_dict() for f in d.new_findings],
                    "resolved_findings": [f.to_dict() for f in d.resolved_findings],
                }
                for d in result.accounts
            ],
        }
        return dumps(doc, default=str)


DIFFS: dict[str, type] = {"text": TextDiff, "markdown": MarkdownDiff, "json": JsonDiff}
