"""The power map (DOMAIN 5): org chart and decision chain as Mermaid, Graphviz DOT or a terminal
tree, and the intimacy x support quadrant as a Mermaid ``quadrantChart``.

Every drawing has a title and a legend (colour scale, role letters, line styles).
Reporting lines are solid, ``influences`` dashed; every node shows name, title, roles and
attitude; colour runs from red (-3) to green (+3), grey for unknown; decision makers have
a thick dark border (bold in the terminal). People who left are drawn apart, faded, with no
edge to anyone: a reporting line to someone gone is history, not a live line. Every label
is escaped for its format. Walks are iterative, so a reporting chain thousands deep draws
(no recursion limit). ``show`` adds ``owner`` (owner / backup) and ``contact`` (last
contact) to each node.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypedDict

from kamtool.i18n import aside, listed, number
from kamtool.report.escape import mermaid_text, mermaid_title, shown
from kamtool.report.labels import _, ngettext

if TYPE_CHECKING:
    from kamtool.load.accounts import Account
    from kamtool.load.models import Stakeholder

# red (-3) .. yellow (0) .. green (+3), and grey for unknown (None, "?" in the file)
ATTITUDE_FILL: dict[int | None, str] = {
    -3: "#d73027",
    -2: "#f46d43",
    -1: "#fdae61",
    0: "#fee08b",
    1: "#d9ef8b",
    2: "#a6d96a",
    3: "#1a9850",
    None: "#bdbdbd",
}
ATTITUDE_TEXT: dict[int | None, str] = {-3: "#ffffff", 3: "#ffffff"}
DM_STROKE = "#1b1b1b"
ROLE_ORDER = "DSEIC"


def role_words() -> dict[str, str]:
    from kamtool.load.models import ROLE_WORDS

    return {letter: _(words) for letter, words in ROLE_WORDS.items()}


def quadrant_names() -> dict[str, str]:
    return {
        "quadrant-1": _("Likely support"),
        "quadrant-2": _("May turn rationally"),
        "quadrant-3": _("Support nearly impossible"),
        "quadrant-4": _("Re-examine their needs"),
    }


SHOW_FIELDS = ("owner", "contact")


def attitude_text(p: Stakeholder) -> str:
    if not p.attitude_known:
        return _("attitude unknown")
    return _("attitude {value}").format(value=p.attitude_text)


def _roles(p: Stakeholder) -> str:
    return ",".join(p.roles) if p.roles else "-"


def is_dm(p: Stakeholder) -> bool:
    return "D" in p.roles


def _title(account: Account) -> str:
    return account.profile.name if account.profile is not None else account.id


def map_title(account: Account) -> str:
    return _("{name}: power map").format(name=_title(account))


def _extra(p: Stakeholder, show: Sequence[str]) -> list[str]:
    """The lines ``--show`` adds to a node."""
    out = []
    if "owner" in show:
        owner = p.owner or "-"
        out.append(
            _("owner {owner} / backup {backup}").format(owner=owner, backup=p.backup)
            if p.backup
            else _("owner {owner}").format(owner=owner)
        )
    if "contact" in show:
        out.append(
            _("last contact {date}").format(date=p.last_contact.isoformat())
            if p.last_contact
            else _("never contacted")
        )
    return out


def _node_lines(p: Stakeholder, show: Sequence[str]) -> list[str]:
    lines = [p.name]
    if p.title:
        lines.append(p.title)
    lines.append(f"[{_roles(p)}] {attitude_text(p)}")
    if p.competitor:
        lines.append(_("backs {competitor}").format(competitor=p.competitor))
    if p.left_on is not None:
        lines.append(_("left {date}").format(date=p.left_on.isoformat()))
    else:
        lines += _extra(p, show)
    return lines


def _live_edges(people: list[Stakeholder], ids: dict[str, str]) -> list[tuple[str, str, str]]:
    """Reporting lines (manager -> report), then influence (who sways -> whom), by node id,
    between people who have not left."""
    here = {p.id for p in people if p.left_on is None}
    out = [
        ("reports", ids[p.reports_to], ids[p.id])
        for p in people
        if p.id in here and p.reports_to in here
    ]
    out += [
        ("influences", ids[p.id], ids[o])
        for p in people
        if p.id in here
        for o in p.influences
        if o in here
    ]
    return out


def _legend_attitudes() -> list[tuple[int | None, str]]:
    return [
        (-3, _("-3 opposed")),
        (-2, "-2"),
        (-1, "-1"),
        (0, _("0 neutral")),
        (1, "+1"),
        (2, "+2"),
        (3, _("+3 supportive")),
        (None, _("? unknown")),
    ]


def _legend_roles() -> str:
    return listed(f"{k} {v}" for k, v in role_words().items())


# ---------------------------------------------------------------- Mermaid
LARGE_MAP = 20
"""Above this many people a Mermaid map runs left to right when it is wider than deep
(``sideways``): an org chart usually is, and drawn top-down Mermaid shrinks it to the page
width until its text is unreadable (5 px at 29 people); sideways it grows down the page,
which a reader scrolls. DOT lays out large maps better still (README)."""


def sideways(current: list[Stakeholder], above: int) -> bool:
    """Whether a map of ``current`` (the people in post) runs left to right: above
    ``above`` people, when its widest level of the reporting lines holds more people than
    there are levels. A chart is scaled to the page's width: top to bottom its width is
    its widest level, left to right its depth. A whole org chart is wider than deep; the
    chain of command from a decision maker eight levels down to our contact (``--chain``)
    is deeper than wide, and drawn sideways it was one strip 3,600 pixels wide whose text
    shrank to nothing on a page."""
    if len(current) <= above:
        return False
    from collections import Counter

    per_level = Counter(_depths(current).values())
    return max(per_level.values()) > len(per_level)


MERMAID_MAX_TEXT = 50_000
"""Mermaid's default ``maxTextSize`` (mermaid 11): a longer diagram is drawn as the single
box "Maximum text size in diagram exceeded"; GitHub and GitLab render with the defaults."""
MERMAID_MAX_EDGES = 500
"""Mermaid's default ``maxEdges``: a flowchart with more links fails with "Edge limit
exceeded" (invisible ``~~~`` links count)."""
MERMAID_MARGIN = 0.9
"""kam calls a diagram too large from 90% of either limit: Mermaid counts UTF-16 units
after its own clean-up, other renderers (older Mermaid, wikis) add their own text, and a
map a few people short of the limit stops drawing at the next change."""


def _mermaid_comment(line: str) -> bool:
    """A line Mermaid drops before measuring (``%%`` but not a ``%%{...}%%`` directive)."""
    bare = line.lstrip()
    return bare.startswith("%%") and not bare.startswith("%%{")


def mermaid_size(text: str) -> tuple[int, int]:
    """(text size, links) as Mermaid counts them: front matter and ``%%`` comment lines
    are not part of the size, characters count as UTF-16 units; links are every
    ``-->``, ``-.->`` and ``~~~`` (labels never contain them: ``>`` and ``~`` become
    entity codes)."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            lines = lines[end + 1 :]
    body = [ln for ln in lines if not _mermaid_comment(ln)]
    code = "\n".join(body)
    size = len(code.encode("utf-16-le")) // 2
    if not code.lstrip().startswith(("flowchart", "graph")):
        return size, 0  # a quadrantChart's axes (``x-axis a --> b``) are not links
    return size, code.count("-->") + code.count("-.->") + code.count("~~~")


def mermaid_too_large(text: str) -> bool:
    """Whether Mermaid with its default configuration (GitHub, GitLab) would refuse to
    draw this diagram, with kam's margin (README, "Power map")."""
    size, links = mermaid_size(text)
    return size > MERMAID_MAX_TEXT * MERMAID_MARGIN or links > MERMAID_MAX_EDGES * MERMAID_MARGIN


def too_large_note(*, quadrant: bool = False, plan: str = "kam plan") -> str:
    """The one line ``kam map`` prints on stderr under a diagram Mermaid will not draw;
    ``plan``: the ``kam plan`` command of that account (``suggest``)."""
    if quadrant:
        return _(
            "kam: note: this chart names too many people for Mermaid's default limits "
            "({size:,} characters): GitHub and GitLab will not draw it; the stakeholder "
            "table of `{command}` has everyone's attitude and intimacy"
        ).format(size=MERMAID_MAX_TEXT, command=plan)
    return _(
        "kam: note: this diagram is too large for Mermaid's default limits ({size:,} characters, "
        "{edges} links): GitHub and GitLab will not draw it; use --focus (the people who "
        "matter and their managers), --format dot (Graphviz) or the tree (--format tree)"
    ).format(size=MERMAID_MAX_TEXT, edges=MERMAID_MAX_EDGES)


def chain_note(left_out: int) -> str:
    """The line ``kam map --chain`` prints on stderr: what the map leaves out."""
    return ngettext(
        "kam: note: --chain left out {n} person outside the reporting lines between the "
        "decision makers and our contacts (or who left)",
        "kam: note: --chain left out {n} people outside the reporting lines between the "
        "decision makers and our contacts (or who left)",
        left_out,
    ).format(n=left_out)


def focus_note(left_out: int) -> str:
    """The line ``kam map --focus`` prints on stderr: what the map leaves out."""
    return ngettext(
        "kam: note: --focus left out {n} person without a role, a known attitude, an owner, "
        "a competitor they back or a line of influence (and nobody like that below them)",
        "kam: note: --focus left out {n} people without a role, a known attitude, an owner, "
        "a competitor they back or a line of influence (and nobody like that below them)",
        left_out,
    ).format(n=left_out)


def _att_class(level: int | None) -> str:
    if level is None:
        return "att_unknown"
    return f"att_{'m' if level < 0 else 'p'}{abs(level)}"


def mermaid(account: Account, show: Sequence[str] = ()) -> str:
    people = account.stakeholders
    ids = {p.id: f"n{i}" for i, p in enumerate(people)}
    current = [p for p in people if p.left_on is None]
    left = [p for p in people if p.left_on is not None]
    large = sideways(current, LARGE_MAP)
    out = ["---", f"title: {mermaid_title(map_title(account))}", "config:", "  flowchart:"]
    out += ["    nodeSpacing: 30", "---", "flowchart LR" if large else "flowchart TD"]

    def node(p: Stakeholder, indent: str = "    ") -> str:
        lines = [mermaid_text(x) for x in _node_lines(p, show)]
        return f'{indent}{ids[p.id]}["{"<br/>".join(lines)}"]'

    out += [node(p) for p in current]
    for kind, a, b in _live_edges(people, ids):
        influences = mermaid_text(_("influences"))
        out.append(f"    {a} --> {b}" if kind == "reports" else f"    {a} -.->|{influences}| {b}")
    if left:
        out.append(
            '    subgraph left_group["{}"]'.format(mermaid_text(_("Left (no longer in post)")))
        )
        out += [node(p, "        ") for p in left]
        out.append("    end")
    # the legend: a separate group: a row of colour swatches and one box of text
    out.append('    subgraph legend["{}"]'.format(mermaid_text(_("Legend"))))
    # across the flow: a row under a top-down chart, a column beside a sideways one
    out.append("        direction TB" if large else "        direction LR")
    keys = []
    for i, (level, text) in enumerate(_legend_attitudes()):
        keys.append(f"lg{i}")
        short = text.split()[0]
        out.append(f'        lg{i}["{mermaid_text(short)}"]:::{_att_class(level)}')
    text_lines = [
        _("colour: attitude, -3 opposed to +3 supportive, grey unknown"),
        _("thick border: decision maker"),
        _legend_roles(),
        _("solid arrow: reports to (manager to report)"),
        _("dashed arrow: influences"),
    ]
    out.append(
        '        lg_text["' + "<br/>".join(mermaid_text(x) for x in text_lines) + '"]:::legendbox'
    )
    out.append("        " + " ~~~ ".join([*keys, "lg_text"]))
    out.append("    end")
    deepest = _deepest(current)
    if deepest is not None:  # an invisible link puts the legend under the chart
        out.append(f"    {ids[deepest.id]} ~~~ legend")
    for level, fill in ATTITUDE_FILL.items():
        color = ATTITUDE_TEXT.get(level, "#000000")
        out.append(f"    classDef {_att_class(level)} fill:{fill},stroke:#555555,color:{color}")
    out.append(f"    classDef dm stroke:{DM_STROKE},stroke-width:4px")
    out.append("    classDef left fill:#eeeeee,stroke:#aaaaaa,color:#777777,stroke-dasharray:4 3")
    out.append("    classDef legendbox fill:#ffffff,stroke:#cccccc,color:#333333")
    for p in current:
        out.append(f"    class {ids[p.id]} {_att_class(p.attitude_level)}")
    dms = [ids[p.id] for p in current if is_dm(p)]
    if dms:
        out.append(f"    class {','.join(dms)} dm")
    if left:
        out.append(f"    class {','.join(ids[p.id] for p in left)} left")
    out.append("    style legend fill:#fafafa,stroke:#cccccc")
    return "\n".join(out) + "\n"


#: the most boxes side by side across the page (``across``) of a Mermaid map that can
#: still be read: a box is about 220 px wide, and a page (GitHub's ~900 px) scales a wider
#: map down until its 16 px text is under 9. A utility's 132 people who matter, eleven
#: levels deep, drew in 3-pixel text: ``kam map`` says so (``too_wide_note``), the plan
#: draws the decision chains instead (``map_people.chain``) when they are narrower
READABLE_ACROSS = 6


def too_wide_note(boxes: int, *, chain: bool) -> str:
    """The line ``kam map --format mermaid`` prints on stderr under a map a page shrinks
    until its text cannot be read; ``chain``: drawn with ``--chain`` already."""
    if chain:
        return _(
            "kam: note: this map is {n} boxes across: a page shrinks it until its text "
            "cannot be read; --format dot (Graphviz) or the tree (--format tree) keep it "
            "legible"
        ).format(n=number(boxes))
    return _(
        "kam: note: this map is {n} boxes across: a page shrinks it until its text "
        "cannot be read; --chain (the decision chains) draws the people a deal turns on, "
        "--format dot (Graphviz) or the tree (--format tree) keep everyone legible"
    ).format(n=number(boxes))


def across(account: Account) -> int:
    """How many boxes of the Mermaid map of ``account`` stand side by side across the
    page: its levels when it runs left to right, else its widest level. A page scales
    the map to its width, so this is what decides whether its text can be read."""
    from collections import Counter

    current = [p for p in account.stakeholders if p.left_on is None]
    if not current:
        return 0
    per_level = Counter(_depths(current).values())
    return len(per_level) if sideways(current, LARGE_MAP) else max(per_level.values())


def _deepest(people: list[Stakeholder]) -> Stakeholder | None:
    """The person deepest in the reporting lines."""
    depth = _depths(people)
    return max(people, key=lambda p: depth[p.id], default=None)


def _depths(people: list[Stakeholder]) -> dict[str, int]:
    """Each person's level in the reporting lines among ``people``, 0 at the top
    (iteratively: chains may be long; a cycle counts from where it is entered)."""
    by_id = {p.id: p for p in people}
    depth: dict[str, int] = {}
    cur: Stakeholder | None
    for p in people:
        chain, cur = [], p
        while cur is not None and cur.id not in depth and cur.id not in chain:
            chain.append(cur.id)
            cur = by_id.get(cur.reports_to) if cur.reports_to else None
        base = depth.get(cur.id, -1) if cur is not None else -1
        for pid in reversed(chain):
            base += 1
            depth[pid] = base
    return depth


# ---------------------------------------------------------------- quadrant
def _quadrant_name(text: str) -> str:
    """An axis's or a quadrant's label, unquoted: letters of any script with their
    combining marks (a Thai vowel sign is part of its word), digits, `` .-``."""
    import unicodedata

    cleaned = "".join(
        ch if (ch.isalnum() or ch in " .-" or unicodedata.category(ch)[0] == "M") else " "
        for ch in text
    )
    return " ".join(cleaned.split()) or _("unnamed")


def _comment_text(text: str) -> str:
    """Text inside a ``%%`` comment line: anything but a line break (or another control
    character), its white space one space."""
    return " ".join("".join(" " if ch.isspace() or ord(ch) < 32 else ch for ch in text).split())


# Where each value of the -3..+3 scale sits on an axis of the chart. Mermaid divides the
# chart at 0.5; the convention (SPEC 2's "support" counts from +1, KAM106/KAM107 treat
# intimacy 0 as not close): 0 sits with the negative values, in the lower or left half,
# so no point lies on a divider and none on the frame (all within [0.05, 0.95]).
AXIS = {-3: 0.05, -2: 0.17, -1: 0.29, 0: 0.41, 1: 0.61, 2: 0.78, 3: 0.95}
# Upwards the quadrants' headings sit at the top of each half: support stays clear of them.
AXIS_Y = {-3: 0.06, -2: 0.17, -1: 0.28, 0: 0.38, 1: 0.6, 2: 0.74, 3: 0.88}

ROLE_POINT = {  # colour and radius of a point by the person's most important role
    "D": ("#08306b", 9),
    "S": ("#2171b5", 6),
    "E": ("#6a51a3", 6),
    "I": ("#e6550d", 6),
    "C": ("#238b45", 6),
    "-": ("#737373", 5),
}


def main_role(p: Stakeholder) -> str:
    for r in ROLE_ORDER:
        if r in p.roles:
            return r
    return "-"


class QuadrantPoint(TypedDict):
    """One point of the quadrant chart: everyone at one (intimacy, attitude)."""

    x: float
    y: float
    people: list[Stakeholder]
    role: str  # the most influential role among them, or "-"


#: the people not placed on the quadrant chart named at most: a CRM import's hundreds
#: nobody has met, each named, buried the chart's legend under a wall of names
NOT_PLACED_NAMED = 12


def not_placed(account: Account, unplaced: list[Stakeholder], name: Callable[[str], str]) -> str:
    """The legend's line for the people the chart cannot place: those with a power-map
    role first (the decision maker nobody has met is the news), then the others, up to
    NOT_PLACED_NAMED by name and how many more."""
    ranked = sorted(unplaced, key=lambda p: (ROLE_ORDER + "-").index(main_role(p)))
    names = listed((name(account.person_name(p.id)) for p in ranked), shown=NOT_PLACED_NAMED)
    from kamtool.i18n import percent_format

    return percent_format(
        _("Not placed (attitude or intimacy unknown): %(names)s."), {"names": names}
    )


def quadrant_points(account: Account) -> tuple[list[QuadrantPoint], list[Stakeholder]]:
    """The points of the chart, one per distinct (intimacy, attitude), each naming everyone
    at that place; and the people not placed (attitude or intimacy unknown)."""
    places: dict[tuple[float, float], list[Stakeholder]] = {}
    unplaced = []
    for p in account.stakeholders:
        if p.left_on is not None:
            continue
        attitude, intimacy = p.attitude_level, p.intimacy_level
        if attitude is None or intimacy is None:
            unplaced.append(p)
            continue
        places.setdefault((AXIS[intimacy], AXIS_Y[attitude]), []).append(p)
    points: list[QuadrantPoint] = []
    for (x, y), group in places.items():
        role = min((main_role(p) for p in group), key=lambda r: (ROLE_ORDER + "-").index(r))
        points.append({"x": x, "y": y, "people": group, "role": role})
    return points, unplaced


def quadrant_legend(named: int | None = None) -> list[str]:
    """The chart's legend as lines of text (Mermaid's quadrantChart draws none itself);
    ``named``: how many names a point's label shows, when not all (:func:`_point_labels`)."""
    words = {**role_words(), "-": _("no role")}
    colours = {
        "D": _("dark blue (largest)"),
        "S": _("blue"),
        "E": _("purple"),
        "I": _("orange"),
        "C": _("green"),
        "-": _("grey"),
    }
    return [
        _("Point colour by role: {roles}.").format(
            roles=_("; ").join(
                _("{role}: {colour}").format(role=words[r], colour=colours[r]) for r in ROLE_POINT
            )
        ),
        _(
            "People at the same place share one point; 0 counts as not supportive and not "
            "close (lower and left halves)."
        ),
        *(
            [
                _(
                    "So that the names stay readable, a point that several people share "
                    "gives their number; the stakeholder table lists everyone."
                )
            ]
            if named == 0
            else []
        ),
        *(
            [
                ngettext(
                    "So that the names stay readable, a point names its first person and how "
                    "many more share it; the stakeholder table lists everyone.",
                    "So that the names stay readable, a point names its first {n} people and "
                    "how many more share it; the stakeholder table lists everyone.",
                    named,
                ).format(n=named)
            ]
            if named
            else []
        ),
    ]


# The quadrant chart's geometry as mermaid 11 lays it out (its defaults, but for the size
# and the labels' font): the y-axis's labels take 2 x 5 + 16 px at the left edge, then a
# padding surrounds the quadrants; the title (20 px) is centred over the whole width, each point's label
# (13 px) centred under its point; neither is ever wrapped and what passes the chart's
# edge is cut.
QUADRANT_WIDTH = 604
"""The width of the four quadrants (in a chart 640 wide): of a chart of few people."""
QUADRANT_MAX_WIDTH = 1000
"""The widest the quadrants grow so that neighbouring names do not run into each other: a
page (GitHub's ~900 px) scales a wider chart down, and its text with it."""
QUADRANT_Y_AXIS = 2 * 5 + 16
QUADRANT_PADDING = 5
QUADRANT_HEIGHT = 560
POINT_FONT = 13
TITLE_FONT = 20


def _text_px(text: str, size: int) -> float:
    """About how wide ``text`` is drawn in a sans-serif font of ``size`` px: a CJK
    character a full em, any other half of one (Arial and Trebuchet average less, Verdana
    a little more)."""
    from kamtool.i18n import is_wide

    return size * sum(1.0 if is_wide(ch) else 0.5 for ch in text)


def _quadrant_width(labels: list[tuple[float, float, str]]) -> float:
    """The width of the four quadrants at which names side by side on a row do not run
    into each other (at least QUADRANT_WIDTH; uncapped)."""
    from itertools import pairwise

    width = float(QUADRANT_WIDTH)
    rows: dict[float, list[tuple[float, float]]] = {}
    for x, y, label in labels:
        rows.setdefault(y, []).append((x, _text_px(label, POINT_FONT) / 2 + 3))
    for row in rows.values():
        row.sort()
        for (xa, ha), (xb, hb) in pairwise(row):
            width = max(width, (ha + hb) / (xb - xa))
    return width


def _point_labels(
    points: list[QuadrantPoint], names: list[list[str]], ranked: list[list[str]]
) -> tuple[list[str], int | None]:
    """Each point's label and how many names a label shows (None: all). A point names
    everyone at its place; in a large account a dozen people share a place and the
    labels of neighbouring points, wider than the quadrants can grow, ran into one
    another until no name could be read (150 people: a black smear across the chart).
    Then each label names its first people and how many more (``ranked``: the names with
    the decision makers first, then sponsors...), as few as the rows need to fit in
    QUADRANT_MAX_WIDTH; when not even one name fits, a shared point gives the number of
    its people (0); the legend says so."""
    full = [listed(n) for n in names]
    at = [(pt["x"], pt["y"]) for pt in points]
    if _quadrant_width([(x, y, t) for (x, y), t in zip(at, full, strict=True)]) <= (
        QUADRANT_MAX_WIDTH
    ):
        return full, None
    most = max(len(n) for n in names)
    for count in range(most - 1, 0, -1):
        labels = [listed(n, shown=count) for n in ranked]
        fits = _quadrant_width([(x, y, t) for (x, y), t in zip(at, labels, strict=True)])
        if fits <= QUADRANT_MAX_WIDTH:
            return labels, count
    # not even one name and a count fit: a shared point gives the number of its people
    counts = [
        n[0] if len(n) == 1 else ngettext("{n} person", "{n} people", len(n)).format(n=len(n))
        for n in names
    ]
    return counts, 0


def _point_names(
    account: Account, points: list[QuadrantPoint]
) -> tuple[list[list[str]], list[list[str]]]:
    """The names at each point in file order, and ranked by role (decision makers first,
    file order among equals): the names a shortened label keeps."""
    order = ROLE_ORDER + "-"
    names = [[account.person_name(p.id) for p in pt["people"]] for pt in points]
    ranked = [
        [
            account.person_name(p.id)
            for p in sorted(pt["people"], key=lambda p: order.index(main_role(p)))
        ]
        for pt in points
    ]
    return names, ranked


def quadrant_labels_shown(account: Account) -> int | None:
    """How many names each point of the account's chart shows (None: all), for the
    legend printed apart from the chart (the plan, ``--format markdown``)."""
    points = quadrant_points(account)[0]
    if not points:
        return None
    return _point_labels(points, *_point_names(account, points))[1]


def _quadrant_size(title: str, labels: list[tuple[float, float, str]]) -> tuple[int, int, int]:
    """(chart width, chart height, padding) in which no name is cut and names side by side
    do not run into each other: ``labels`` are (x, y, label) of the points. Mermaid centres
    each label under its point and the title over the chart, and cuts what passes the edge:
    "张磊 (zhang-lei-materials)" at -3 lost its 张, a utility's long name lost the title's
    first and last letters, "王伟 (wang-wei-north)" ran into "丁静" beside it. The four
    quadrants widen until neighbours on a row fit (up to ``QUADRANT_MAX_WIDTH``); the
    padding around them grows until the names at the edges and the title fit."""
    half = [(x, y, _text_px(label, POINT_FONT) / 2 + 3) for x, y, label in labels]
    width = min(_quadrant_width(labels), float(QUADRANT_MAX_WIDTH))
    pad = float(QUADRANT_PADDING)
    for x, _y, h in half:
        # on the left, clear of the y-axis's labels (drawn at the chart's edge)
        pad = max(pad, h - x * width, h - (1 - x) * width)
    chart = width + 2 * pad + QUADRANT_Y_AXIS
    title_px = _text_px(title, TITLE_FONT) + 2 * 10
    if title_px > chart:
        pad += (title_px - chart) / 2
        chart = title_px
    pad_px = int(pad + 0.999)
    grown = 2 * (pad_px - QUADRANT_PADDING)  # the padding takes as much off the height
    return int(width) + 2 * pad_px + QUADRANT_Y_AXIS, QUADRANT_HEIGHT + grown, pad_px


def quadrant(account: Account, show: Sequence[str] = ()) -> str:
    name = _title(account)
    title = _("Intimacy and support: {name}").format(name=name)
    points, unplaced = quadrant_points(account)
    labels, named = _point_labels(points, *_point_names(account, points))
    width, height, padding = _quadrant_size(
        title, [(pt["x"], pt["y"], label) for pt, label in zip(points, labels, strict=True)]
    )
    out = [
        "---",
        "config:",
        "  quadrantChart:",
        f"    chartWidth: {width}",
        f"    chartHeight: {height}",
        "    pointLabelFontSize: 13",
        *([f"    quadrantPadding: {padding}"] if padding != QUADRANT_PADDING else []),
        "---",
        "quadrantChart",
        f"    title {mermaid_text(title)}",
        "    x-axis {} --> {}".format(_quadrant_name(_("Distant")), _quadrant_name(_("Close"))),
        "    y-axis {} --> {}".format(
            _quadrant_name(_("Opposed")), _quadrant_name(_("Supportive"))
        ),
    ]
    for key, label in quadrant_names().items():
        out.append(f"    {key} {_quadrant_name(label)}")
    for pt, text in zip(points, labels, strict=True):
        # quoted: the names as written, in any script, their punctuation as entity codes
        label = mermaid_text(text)
        role = pt["role"] if pt["role"] != "-" else "None"
        out.append(f'    "{label}":::role{role}: [{pt["x"]:.2f}, {pt["y"]:.2f}]')
    for role, (color, radius) in ROLE_POINT.items():
        name_ = f"role{role if role != '-' else 'None'}"
        out.append(f"    classDef {name_} color: {color}, radius: {radius}")
    for line in quadrant_legend(named):
        out.append(f"    %% {line}")
    if unplaced:
        # a comment line: the names as written ("阿依古丽·买买提"), on one line; the
        # axis labels' cleaning (``_quadrant_name``) made its dot a space
        out.append("    %% " + not_placed(account, unplaced, _comment_text))
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- Graphviz
def dot_text(text: object) -> str:
    """Inside a DOT double-quoted string: backslash (escape sequences such as \\N) and quote."""
    return " ".join(str(text).split()).replace("\\", "\\\\").replace('"', '\\"')


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _dot_legend() -> list[str]:
    cells = "".join(
        f'<TD BGCOLOR="{ATTITUDE_FILL[level]}"><FONT COLOR="{ATTITUDE_TEXT.get(level, "#000000")}">'
        f"{_html(text)}</FONT></TD>"
        for level, text in _legend_attitudes()
    )
    span = len(_legend_attitudes())
    rows = [
        '<TR><TD COLSPAN="{}"><B>{}</B></TD></TR>'.format(span, _html(_("Legend"))),
        f"<TR>{cells}</TR>",
        f'<TR><TD COLSPAN="{span}">{_html(_legend_roles())}</TD></TR>',
        '<TR><TD COLSPAN="{}"><B>{}</B></TD></TR>'.format(
            span, _html(_("decision maker: thick border"))
        ),
        '<TR><TD COLSPAN="{}">{}</TD></TR>'.format(
            span, _html(_("solid arrow: reports to (manager to report); dashed arrow: influences"))
        ),
        '<TR><TD COLSPAN="{}">{}</TD></TR>'.format(
            span, _html(_("faded, dashed box: left (no longer in post)"))
        ),
    ]
    return [
        "    subgraph cluster_legend {",
        '        label=""; style=invis;',
        '        legend [shape=plaintext, style=filled, fillcolor="#ffffff", fontsize=9, '
        'label=<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3" BGCOLOR="#ffffff">'
        + "".join(rows)
        + "</TABLE>>];",
        "    }",
    ]


#: people in post above which the Graphviz map runs left to right when it is wider than
#: deep (``sideways``): top to bottom, a manager's twenty reports stand in one row many
#: pages wide, unreadable when scaled to a page; left to right they stand in one column
#: and the names keep their size
DOT_LEFT_TO_RIGHT_ABOVE = 20


def dot(account: Account, show: Sequence[str] = ()) -> str:
    people = account.stakeholders
    ids = {p.id: f"n{i}" for i, p in enumerate(people)}
    in_post = [p for p in people if p.left_on is None]
    rankdir = "LR" if sideways(in_post, DOT_LEFT_TO_RIGHT_ABOVE) else "TB"
    out = [
        "digraph power_map {",
        f'    label="{dot_text(map_title(account))}";',
        "    labelloc=t;",
        '    fontname="Helvetica";',
        "    fontsize=16;",
        f"    rankdir={rankdir};",
        '    node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '    edge [color="#555555"];',
    ]

    def node(p: Stakeholder, indent: str = "    ") -> str:
        label = "\\n".join(dot_text(x) for x in _node_lines(p, show))
        if p.left_on is not None:
            return (
                f'{indent}{ids[p.id]} [label="{label}", '
                'fillcolor="#eeeeee", fontcolor="#777777", color="#aaaaaa", style="rounded,filled,dashed"];'
            )
        level = p.attitude_level
        font = ATTITUDE_TEXT.get(level, "#000000")
        extra = f', penwidth=3.5, color="{DM_STROKE}"' if is_dm(p) else ""
        return f'{indent}{ids[p.id]} [label="{label}", fillcolor="{ATTITUDE_FILL[level]}", fontcolor="{font}"{extra}];'

    for p in people:
        if p.left_on is None:
            out.append(node(p))
    for kind, a, b in _live_edges(people, ids):
        if kind == "reports":
            out.append(f"    {a} -> {b};")
        else:
            out.append(
                '    {} -> {} [style=dashed, constraint=false, label="{}", fontsize=8];'.format(
                    a, b, dot_text(_("influences"))
                )
            )
    left = [p for p in people if p.left_on is not None]
    if left:
        out.append("    subgraph cluster_left {")
        out.append(
            '        label="{}"; style=dashed; color="#aaaaaa";'.format(
                dot_text(_("Left (no longer in post)"))
            )
        )
        for p in left:
            out.append(node(p, "        "))
        out.append("    }")
    out += _dot_legend()
    out.append("}")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- terminal tree
_ANSI = {"red": "\x1b[31m", "green": "\x1b[32m", "yellow": "\x1b[33m", "dim": "\x1b[2m"}
_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def printable(text: str) -> str:
    """One line of terminal text: whitespace runs become one space and control characters
    (an escape sequence in a name would drive the terminal) become U+FFFD; the joiner of
    an emoji sequence or a Persian word and a direction mark stay (``escape.shown``)."""
    return " ".join("".join(ch if shown(ch) or ch.isspace() else "\ufffd" for ch in text).split())


def _walk(
    roots: list[Stakeholder], children: dict[str, list[Stakeholder]], more_after_roots: bool = False
) -> Iterator[tuple[Stakeholder, list[bool]]]:
    """Depth first, without recursion: each person with, for each level above and their
    own, whether that node is the last of its siblings (which decides the guides);
    ``more_after_roots``: something follows the last root (the group of people who left)."""
    stack: list[tuple[list[Stakeholder], int, list[bool]]] = [(roots, 0, [])]
    seen: set[str] = set()
    while stack:
        nodes, i, lasts = stack.pop()
        if i >= len(nodes):
            continue
        p = nodes[i]
        stack.append((nodes, i + 1, lasts))
        if p.id in seen:
            continue
        seen.add(p.id)
        last = i == len(nodes) - 1 and not (more_after_roots and not lasts)
        mine = [*lasts, last]
        yield p, mine
        kids = children.get(p.id)
        if kids:
            stack.append((kids, 0, mine))


def tree(
    account: Account, *, color: bool = False, width: int | None = None, show: Sequence[str] = ()
) -> str:
    from kamtool.report.term import limited, output_width, wrap_wide
    from kamtool.report.term import wrap as wrap_cells

    if width is None:
        width = output_width()
    people = account.stakeholders
    by_id = {p.id: p for p in people}
    current = [p for p in people if p.left_on is None]
    here = {p.id for p in current}
    children: dict[str, list[Stakeholder]] = {}
    roots = []
    for p in current:
        if p.reports_to in here and p.reports_to != p.id:
            children.setdefault(p.reports_to, []).append(p)
        else:
            roots.append(p)
    left = [p for p in people if p.left_on is not None]

    def paint(text: str, p: Stakeholder) -> str:
        if not color:
            return text
        level = p.attitude_level
        style = (
            "dim" if level is None else "red" if level < 0 else "green" if level > 0 else "yellow"
        )
        return f"{_ANSI[style]}{_BOLD if is_dm(p) else ''}{text}{_RESET}"

    def label(p: Stakeholder) -> str:
        title = _(", ") + p.title if p.title else ""
        text = f"{p.name}{title} [{_roles(p)}] {attitude_text(p)}"
        if p.competitor:
            text += aside(_("backs {competitor}").format(competitor=p.competitor))
        extra = _extra(p, show)
        if extra:
            # before the arrow: after it, a date read as the influenced person's
            text += aside(_("; ").join(extra))
        if p.influences:
            text += " ~> " + listed(account.person_name(o) for o in p.influences if o in by_id)
        return printable(text)

    room = width if limited(width) else None
    max_levels = max((room - 24) // 4, 1) if room else None
    heading = printable(_("{name} ({id})").format(name=_title(account), id=account.id))
    # the heading fits the terminal as each person's line does (it ran past a narrow one)
    lines = wrap_wide(heading, room, indent="  ") if room else [heading]

    def emit(text: str, lasts: list[bool], p: Stakeholder | None = None) -> None:
        guides = ["    " if last else "│   " for last in lasts[:-1]]
        branch = "└── " if lasts[-1] else "├── "
        more = "    " if lasts[-1] else "│   "
        if max_levels is not None and len(guides) >= max_levels:
            # deeper than the terminal can indent: say how deep instead of drawing it
            depth = f"┆{len(lasts)}┆ "
            guides = [depth, *guides[-2:]]
        head = "".join(guides)
        if room is None:
            lines.append(head + branch + (paint(text, p) if p is not None else text))
            return
        parts = wrap_cells(text, room, indent=head + more, first=head + branch)
        for k, part in enumerate(parts):
            prefix = head + branch if k == 0 else head + more
            body = part[len(prefix) :]
            lines.append(prefix + (paint(body, p) if p is not None else body))

    if not people:  # a heading and a legend alone read as a map that failed to draw
        empty = _("nobody yet: add the people to stakeholders.yaml (or `kam import csv`)")
        lines += wrap_wide(empty, room, indent="  ") if room else [empty]
    for p, lasts in _walk(roots, children, more_after_roots=bool(left)):
        emit(label(p), lasts, p)
    if left:
        emit(_("left (no longer in post)"), [True])
        for i, p in enumerate(left):
            gone = _("{name} (left {date})").format(name=p.name, date=str(p.left_on))
            emit(printable(gone), [True, i == len(left) - 1])
    legend = [
        _("Legend: [roles] {roles}; ~> influences").format(roles=_legend_roles()),
    ]
    if color:
        legend.append(
            _(
                "colour: red opposed, yellow neutral, green supportive, dim unknown; bold: decision maker"
            )
        )
    for text in legend:
        lines += wrap_cells(text, room, indent="  ") if room else [text]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- reporters (registry.MAPS)
class TreeMap:
    def render(
        self,
        account: Account,
        *,
        color: bool = False,
        width: int | None = None,
        show: Sequence[str] = (),
    ) -> str:
        return tree(account, color=color, width=width, show=show)


class MermaidMap:
    def render(self, account: Account, *, show: Sequence[str] = (), **_opts: object) -> str:
        return mermaid(account, show)


class DotMap:
    def render(self, account: Account, *, show: Sequence[str] = (), **_opts: object) -> str:
        return dot(account, show)


class QuadrantChart:
    """The bare Mermaid chart (a ``.mmd`` file, a Mermaid editor): its legend is in
    ``%%`` comments, since Mermaid's quadrantChart draws none."""

    def render(self, account: Account, *, show: Sequence[str] = (), **_opts: object) -> str:
        return quadrant(account, show)


class QuadrantMarkdown:
    """The chart in a fenced block with its legend as text under it, as ``kam plan`` shows
    it: what to paste into a pull request, an issue or a wiki page (every chart has a
    legend a reader can see, SPEC 7)."""

    def render(self, account: Account, *, show: Sequence[str] = (), **_opts: object) -> str:
        from kamtool.report.escape import md

        out = [f"```mermaid\n{quadrant(account, show)}```", ""]
        out += [md(line) + "\n" for line in quadrant_legend(quadrant_labels_shown(account))]
        unplaced = quadrant_points(account)[1]
        if unplaced:
            out.append(md(not_placed(account, unplaced, str)) + "\n")
        return "\n".join(out)
