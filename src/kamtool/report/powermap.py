"""The power map (DOMAIN 5): org chart and decision chain as Mermaid, Graphviz DOT or a terminal tree.

Reporting lines are solid, ``influences`` dashed; every node shows name, title,
roles and attitude; colour runs from red (-3) to green (+3), grey for unknown.
People who left are drawn apart and faded. Every label is escaped for its format.
"""

from __future__ import annotations

from typing import Any

from kamtool.load.models import UNKNOWN

# red (-3) .. yellow (0) .. green (+3), and grey for "?"
ATTITUDE_FILL = {
    -3: "#d73027",
    -2: "#f46d43",
    -1: "#fdae61",
    0: "#fee08b",
    1: "#d9ef8b",
    2: "#a6d96a",
    3: "#1a9850",
    UNKNOWN: "#bdbdbd",
}
ATTITUDE_TEXT = {-3: "#ffffff", 3: "#ffffff"}
ROLE_WORDS = {
    "D": "decision maker",
    "S": "sponsor",
    "E": "evaluator",
    "I": "influencer",
    "C": "coach",
}

QUADRANTS = {
    "quadrant-1": "Likely support",
    "quadrant-2": "May turn rationally",
    "quadrant-3": "Support nearly impossible",
    "quadrant-4": "Re-examine their needs",
}


def attitude_text(value: Any) -> str:
    from kamtool.load.models import scale_text

    return "attitude unknown" if value == UNKNOWN else f"attitude {scale_text(value)}"


def _level(value: Any) -> Any:
    return UNKNOWN if value == UNKNOWN else int(value)


def _roles(p: Any) -> str:
    return ",".join(p.roles) if p.roles else "-"


def _edges(people: list[Any], ids: dict[str, str]) -> list[tuple[str, str, str]]:
    """Reporting lines (manager -> report), then influence (who sways -> whom), by node id."""
    out = [("reports", ids[p.reports_to], ids[p.id]) for p in people if p.reports_to in ids]
    out += [("influences", ids[p.id], ids[o]) for p in people for o in p.influences if o in ids]
    return out


# ---------------------------------------------------------------- Mermaid
_MERMAID_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,_-+/()'")


def mermaid_text(text: object) -> str:
    """A Mermaid label: every character that could close the label or make markup becomes
    an entity code (``#35;``); letters of any script stay readable."""
    out = []
    for ch in " ".join(str(text).split()):
        if ch in _MERMAID_SAFE or (ch.isalnum() and ord(ch) > 127):
            out.append(ch)
        else:
            out.append(f"#{ord(ch)};")
    return "".join(out)


def mermaid(account: Any) -> str:
    people = account.stakeholders
    ids = {p.id: f"n{i}" for i, p in enumerate(people)}
    out = ["flowchart TD"]
    current = [p for p in people if p.left_on is None]
    left = [p for p in people if p.left_on is not None]

    def node(p: Any) -> str:
        label = "<br/>".join(
            mermaid_text(x)
            for x in (
                p.name,
                p.title or "",
                f"[{_roles(p)}] {attitude_text(p.attitude)}",
                f"backs {p.competitor}" if p.competitor else "",
            )
            if x
        )
        return f'    {ids[p.id]}["{label}"]'

    for p in current:
        out.append(node(p))
    if left:
        out.append('    subgraph left_group["Left"]')
        for p in left:
            out.append("    " + node(p))
        out.append("    end")
    for kind, a, b in _edges(people, ids):
        out.append(f"    {a} --> {b}" if kind == "reports" else f"    {a} -.->|influences| {b}")
    for level, fill in ATTITUDE_FILL.items():
        name = "att_unknown" if level == UNKNOWN else f"att_{'m' if level < 0 else 'p'}{abs(level)}"
        color = ATTITUDE_TEXT.get(level, "#000000")
        out.append(f"    classDef {name} fill:{fill},stroke:#555555,color:{color}")
    out.append("    classDef left fill:#eeeeee,stroke:#aaaaaa,color:#999999,stroke-dasharray:4 3")
    for p in current:
        level = _level(p.attitude)
        name = "att_unknown" if level == UNKNOWN else f"att_{'m' if level < 0 else 'p'}{abs(level)}"
        out.append(f"    class {ids[p.id]} {name}")
    for p in left:
        out.append(f"    class {ids[p.id]} left")
    return "\n".join(out) + "\n"


def _quadrant_name(text: str) -> str:
    cleaned = "".join(ch if (ch.isalnum() or ch in " .-") else " " for ch in text)
    return " ".join(cleaned.split()) or "unnamed"


def _title(account: Any) -> str:
    return account.account.name if account.account is not None else account.id


def _coord(v: float) -> str:
    """Mermaid's quadrant lexer takes 1 but not 1.0."""
    return "1" if v >= 1 else f"{v:.2f}"


def quadrant(account: Any) -> str:
    name = _title(account)
    out = [
        "quadrantChart",
        f"    title Intimacy and support: {_quadrant_name(name)}",
        "    x-axis Distant --> Close",
        "    y-axis Opposed --> Supportive",
    ]
    for key, label in QUADRANTS.items():
        out.append(f"    {key} {label}")
    skipped = []
    for p in account.stakeholders:
        if p.left_on is not None:
            continue
        if p.attitude == UNKNOWN or p.intimacy == UNKNOWN:
            skipped.append(p.id)
            continue
        x = (int(p.intimacy) + 3) / 6
        y = (int(p.attitude) + 3) / 6
        out.append(f"    {_quadrant_name(p.name)}: [{_coord(x)}, {_coord(y)}]")
    if skipped:
        out.append(f"    %% not placed (attitude or intimacy unknown): {', '.join(skipped)}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- Graphviz
def dot_text(text: object) -> str:
    """Inside a DOT double-quoted string: backslash (escape sequences such as \\N) and quote."""
    return " ".join(str(text).split()).replace("\\", "\\\\").replace('"', '\\"')


def dot(account: Any) -> str:
    people = account.stakeholders
    ids = {p.id: f"n{i}" for i, p in enumerate(people)}
    title = _title(account)
    out = [
        "digraph power_map {",
        f'    label="{dot_text(title)}: power map";',
        "    labelloc=t;",
        '    fontname="Helvetica";',
        "    rankdir=TB;",
        '    node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '    edge [color="#555555"];',
    ]

    def node(p: Any, indent: str = "    ") -> str:
        parts = (
            [p.name]
            + ([p.title] if p.title else [])
            + [f"[{_roles(p)}] {attitude_text(p.attitude)}"]
        )
        label = "\\n".join(dot_text(x) for x in parts)
        if p.left_on is not None:
            return (
                f'{indent}{ids[p.id]} [label="{label}\\nleft {p.left_on.isoformat()}", '
                'fillcolor="#eeeeee", fontcolor="#999999", style="rounded,filled,dashed"];'
            )
        level = _level(p.attitude)
        font = ATTITUDE_TEXT.get(level, "#000000")
        return f'{indent}{ids[p.id]} [label="{label}", fillcolor="{ATTITUDE_FILL[level]}", fontcolor="{font}"];'

    for p in people:
        if p.left_on is None:
            out.append(node(p))
    left = [p for p in people if p.left_on is not None]
    if left:
        out.append("    subgraph cluster_left {")
        out.append('        label="Left"; style=dashed; color="#aaaaaa";')
        for p in left:
            out.append(node(p, "        "))
        out.append("    }")
    for kind, a, b in _edges(people, ids):
        if kind == "reports":
            out.append(f"    {a} -> {b};")
        else:
            out.append(
                f'    {a} -> {b} [style=dashed, constraint=false, label="influences", fontsize=8];'
            )
    out.append("}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- terminal tree
def tree(account: Any, *, color: bool = False, width: int = 100) -> str:

    from rich.markup import escape
    from rich.tree import Tree

    from kamtool.report.term import console as make_console

    console = make_console(color, width)
    people = account.stakeholders
    by_id = {p.id: p for p in people}
    children: dict[str | None, list[Any]] = {}
    for p in people:
        if p.left_on is not None:
            continue
        parent = (
            p.reports_to if p.reports_to in by_id and by_id[p.reports_to].left_on is None else None
        )
        children.setdefault(parent, []).append(p)

    def style(p: Any) -> str:
        level = _level(p.attitude)
        if level == UNKNOWN:
            return "dim"
        return "red" if level < 0 else "green" if level > 0 else "yellow"

    def label(p: Any) -> str:
        title = f", {p.title}" if p.title else ""
        text = f"{escape(p.name)}{escape(title)} [{_roles(p)}] {attitude_text(p.attitude)}"
        if p.competitor:
            text += escape(f" (backs {p.competitor})")
        if p.influences:
            text += " ~> " + ", ".join(escape(by_id[o].name) for o in p.influences if o in by_id)
        return f"[{style(p)}]{text}[/]" if color else text

    name = _title(account)
    root = Tree(escape(f"{name} ({account.id})"))

    def add(node: Any, parent: str | None, seen: set[str]) -> None:
        for p in children.get(parent, []):
            if p.id in seen:
                continue
            add(node.add(label(p)), p.id, seen | {p.id})

    add(root, None, set())
    left = [p for p in people if p.left_on is not None]
    if left:
        gone = root.add("left")
        for p in left:
            gone.add(f"{escape(p.name)} (left {p.left_on.isoformat()})")
    console.print(root)
    return console.file.getvalue()
