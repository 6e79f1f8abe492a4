"""Analyse: the rule families of SPEC section 3. Each rule is a generator of findings
over one valid account; nothing here reads files or prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..findings import Finding


@dataclass(frozen=True)
class Context:
    config: Any
    today: dt.date
    grade: Any  # grading.Grade of this account: rules reuse what grading worked out

    @property
    def tier(self) -> str | None:
        """The account's effective tier (a manual override wins)."""
        return self.grade.tier

    @property
    def computed_tier(self) -> str | None:
        return self.grade.computed_tier

    @property
    def focus(self) -> bool:
        return self.config.is_focus(self.tier)


RuleFn = Callable[[Any, Context], Iterator[Finding]]


def all_rules() -> list[RuleFn]:
    from . import freshness, planning, relationships

    return [*relationships.RULES, *freshness.RULES, *planning.RULES]


def run_rules(account: Any, ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for rule in all_rules():
        out.extend(rule(account, ctx))
    return out
