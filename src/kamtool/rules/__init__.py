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
    tier: str | None  # the account's effective tier (manual override wins)
    computed_tier: str | None

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
