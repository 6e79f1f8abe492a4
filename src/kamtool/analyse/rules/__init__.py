"""Analyse: the rule families of SPEC section 3. Each rule is a generator of findings
over one valid account; nothing here reads files or prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kamtool.findings import Finding


@dataclass(frozen=True)
class Context:
    config: Any
    today: dt.date
    grade: Any  # grading.Grade of this account: rules reuse what grading worked out
    #: (index in stakeholders.yaml, person) of the current people (not left), in file order
    people: list[tuple[int, Any]] = field(default_factory=list)
    #: the same for the current key people (``Stakeholder.is_key``)
    key: list[tuple[int, Any]] = field(default_factory=list)
    #: person id -> effective last contact (``analyse.contact``), log included
    contacts: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, account: Any, config: Any, today: dt.date, grade: Any) -> Context:
        """The context of one account: who is current and who is key, worked out once for
        every rule."""
        people = [(i, p) for i, p in enumerate(account.stakeholders) if p.left_on is None]
        key = [(i, p) for i, p in people if p.is_key]
        from kamtool.analyse.contact import effective_contacts

        return cls(
            config=config,
            today=today,
            grade=grade,
            people=people,
            key=key,
            contacts=effective_contacts(account, today),
        )

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


@cache
def all_rules() -> tuple[RuleFn, ...]:
    from kamtool.analyse.rules import freshness, planning, relationships

    return (*relationships.RULES, *freshness.RULES, *planning.RULES)


def run_rules(account: Any, ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for rule in all_rules():
        out.extend(rule(account, ctx))
    return out
