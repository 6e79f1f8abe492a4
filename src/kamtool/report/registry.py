"""Reporter registries for ``kam map`` and ``kam portfolio``: one Protocol per output kind,
one registry per kind, whose names feed the ``--format`` choices and help text.

This module is imported when the CLI starts (the help text needs the names), so it holds
no reporter code: an entry names its class as ``module:Class`` and is imported only when
that format is used.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from kamtool.jsontypes import JsonObject
    from kamtool.load.accounts import Account

R = TypeVar("R")


class MapReporter(Protocol):
    """Draws one account's power map (an ``Account`` of the loader)."""

    def render(
        self,
        account: Account,
        *,
        color: bool = False,
        width: int | None = None,
        show: Sequence[str] = (),
    ) -> str: ...


class PortfolioReporter(Protocol):
    """Renders the plain data of ``analyse.portfolio.summarise``."""

    def render(
        self, summary: JsonObject, *, color: bool = False, width: int | None = None
    ) -> str: ...


class Registry(Generic[R]):
    """Format name -> reporter class, imported lazily; ``names`` and ``help`` for the CLI."""

    def __init__(self, kind: str, entries: dict[str, str]) -> None:
        self.kind = kind
        self._entries = dict(entries)

    def names(self) -> list[str]:
        return list(self._entries)

    def help(self) -> str:
        """``tree, mermaid or dot``: the choices as a sentence for ``--format``'s help."""
        return choices(self.names())

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def get(self, name: str) -> R:
        """A new reporter for ``name`` (KeyError for an unknown name)."""
        module, _, attr = self._entries[name].partition(":")
        cls = getattr(importlib.import_module(module), attr)
        reporter: R = cls()
        return reporter


#: The format names of the other commands' reporter tables (``FINDINGS``, ``GRADES``,
#: ``DIFFS``...), for the CLI's ``--format`` help without importing a reporter at start-up;
#: ``tests/test_catalogue.py`` fails when one differs from its table.
FORMAT_NAMES: dict[str, tuple[str, ...]] = {
    "findings": ("text", "json", "github", "sarif", "junit", "gitlab"),
    "grades": ("table", "json", "csv", "markdown"),
    "diff": ("text", "markdown", "json"),
    "history": ("table", "json", "markdown"),
    "agenda": ("table", "markdown", "json", "ics"),
    "rules": ("table", "markdown", "json"),
    "whitespace": ("table", "markdown", "csv", "json"),
    "import": ("text", "json"),
}
#: the findings formats CI systems read: their paths are given from the repository root
#: (``report.ci.CiPaths``), wherever kam runs from
CI_FORMATS = ("github", "sarif", "junit", "gitlab")


def choices(names: Sequence[str]) -> str:
    """``text, markdown or json``: format names as a sentence for ``--format``'s help."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


MAPS: Registry[MapReporter] = Registry(
    "map",
    {
        "tree": "kamtool.report.powermap:TreeMap",
        "mermaid": "kamtool.report.powermap:MermaidMap",
        "dot": "kamtool.report.powermap:DotMap",
    },
)
QUADRANT: Registry[MapReporter] = Registry(
    "quadrant",
    {
        "mermaid": "kamtool.report.powermap:QuadrantChart",
        "markdown": "kamtool.report.powermap:QuadrantMarkdown",
    },
)
PORTFOLIO: Registry[PortfolioReporter] = Registry(
    "portfolio",
    {
        "table": "kamtool.report.portfolio:TablePortfolio",
        "json": "kamtool.report.portfolio:JsonPortfolio",
        "markdown": "kamtool.report.portfolio:MarkdownPortfolio",
    },
)
