"""Whitespace: what each buying centre buys of each of our offerings (DOMAIN 9, SPEC 5).

Per account a grid: rows are the buying centres (org units with ``buying_center: true``,
and any unit a ``footprint`` cell names), columns are kam.yaml ``offerings`` (without
them, the offering ids the footprints name, in order of first appearance), each cell
the status the footprint records (or nothing when it records none), and each row the
number of supporters (current people with attitude >= 1) in that unit or below it.
Across accounts, each offering's share of mapped accounts where it is ours, a
competitor's, or open. Plain data; the renderers are in ``kamtool.report.whitespace``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kamtool.core import AccountResult
    from kamtool.load.accounts import Account
    from kamtool.load.config import Config
    from kamtool.load.models import FootprintCell, Stakeholder, Unit

STATUSES = ("ours", "competitor", "open", "none")


@dataclass(frozen=True)
class Cell:
    status: str | None  # None: the footprint says nothing about this cell
    competitor: str | None = None


@dataclass(frozen=True)
class Row:
    unit: str
    name: str
    supporters: int
    cells: tuple[Cell, ...]  # in the order of the grid's offerings


@dataclass(frozen=True)
class Grid:
    account: str
    name: str
    offerings: tuple[tuple[str, str], ...]  # (id, name)
    rows: tuple[Row, ...]

    @property
    def mapped(self) -> bool:
        """Whether the footprint records anything at all for this account."""
        return any(c.status is not None for r in self.rows for c in r.cells)

    def statuses(self, offering: str) -> set[str]:
        """Every status this offering has in some buying centre of the account."""
        i = [o for o, _n in self.offerings].index(offering)
        return {s for r in self.rows if (s := r.cells[i].status) is not None}


@dataclass(frozen=True)
class OfferingShare:
    offering: str
    name: str
    ours: int
    competitor: int
    open: int
    mapped: int  # accounts whose footprint records something

    def share(self, status: str) -> float:
        count = getattr(self, status)
        return count / self.mapped if self.mapped else 0.0


@dataclass
class Summary:
    grids: list[Grid] = field(default_factory=list)
    shares: list[OfferingShare] = field(default_factory=list)
    #: the day the grids were worked out for (who counts as a supporter, who has left)
    today: dt.date | None = None


def subtree(units: Iterable[Unit], root: str) -> set[str]:
    """The unit ``root`` and every unit below it (safe on cycles: each unit once)."""
    children: dict[str, list[str]] = {}
    for u in units:
        if u.parent is not None:
            children.setdefault(u.parent, []).append(u.id)
    seen = {root}
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def supporters(
    people: Iterable[Stakeholder], unit_ids: set[str], today: dt.date
) -> list[Stakeholder]:
    """Current people (not left by ``today``) with attitude >= 1 in one of ``unit_ids``."""
    return [
        p for p in people if p.unit in unit_ids and not p.left_by(today) and p.attitude_at_least(1)
    ]


def offerings_of(
    config: Config, footprints: Iterable[Iterable[FootprintCell]]
) -> tuple[tuple[str, str], ...]:
    """The grid's columns: kam.yaml ``offerings``, else every offering id the footprints
    name, in order of first appearance (named by their ids)."""
    if config.offerings:
        return tuple((o.id, o.name) for o in config.offerings)
    seen: dict[str, None] = {}
    for footprint in footprints:
        for cell in footprint:
            seen.setdefault(cell.offering, None)
    return tuple((o, o) for o in seen)


def grid(
    account: Account,
    config: Config,
    today: dt.date,
    offerings: tuple[tuple[str, str], ...] | None = None,
) -> Grid:
    """The whitespace grid of one valid account (``kamtool.load.accounts.Account``);
    ``offerings``: the columns (default: ``offerings_of`` this account alone)."""
    profile = account.profile
    assert profile is not None  # a valid account
    units = list(account.org.units) if account.org is not None else []
    named = {c.unit for c in profile.footprint}
    rows_units = [u for u in units if u.buying_center or u.id in named]
    if offerings is None:
        offerings = offerings_of(config, [profile.footprint])
    cells = {(c.unit, c.offering): c for c in profile.footprint}
    rows = []
    for u in rows_units:
        count = len(supporters(account.stakeholders, subtree(units, u.id), today))
        row_cells = []
        for offering, _name in offerings:
            c = cells.get((u.id, offering))
            row_cells.append(Cell(c.status, c.competitor) if c else Cell(None))
        rows.append(Row(u.id, u.name, count, tuple(row_cells)))
    return Grid(profile.id, profile.name, offerings, tuple(rows))


def summarise(results: Iterable[AccountResult], config: Config, today: dt.date) -> Summary:
    """Grids of the valid accounts and each offering's share across the mapped ones."""
    valid = [r for r in results if r.valid]
    columns = offerings_of(
        config, [r.account.profile.footprint for r in valid if r.account.profile is not None]
    )
    grids = [grid(r.account, config, today, columns) for r in valid]
    mapped = [g for g in grids if g.mapped]
    shares = []
    for offering, name in columns:
        counts = {s: 0 for s in STATUSES}
        for g in mapped:
            for status in g.statuses(offering):
                counts[status] += 1
        shares.append(
            OfferingShare(
                offering,
                name,
                counts["ours"],
                counts["competitor"],
                counts["open"],
                len(mapped),
            )
        )
    return Summary(grids, shares, today)
