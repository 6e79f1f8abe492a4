"""Analyse: the rule families of SPEC section 3. Each rule is a generator of findings
over one valid account; nothing here reads files or prints.

A rule is one function in a family module, declared with its catalogue entry by
``kamtool.rule.rule``; importing the family registers it (no list to keep by hand)."""

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
    #: (index in stakeholders.yaml, person) of the current people (not left by today: a
    #: future ``left_on`` is an announced departure), in file order
    people: list[tuple[int, Any]] = field(default_factory=list)
    #: the same for the current key-layer people
    key: list[tuple[int, Any]] = field(default_factory=list)
    #: person id -> effective last contact (``analyse.contact``), log included
    contacts: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, account: Any, config: Any, today: dt.date, grade: Any) -> Context:
        """The context of one account: who is current and who is key, worked out once for
        every rule."""
        people = [(i, p) for i, p in enumerate(account.stakeholders) if not p.left_by(today)]
        key = [(i, p) for i, p in people if p.layer == "key"]
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


#: the family modules; a new family is one more name here
FAMILIES = ("relationships", "freshness", "planning")


@cache
def all_rules() -> tuple[RuleFn, ...]:
    """Every rule function, in declaration order (importing a family declares its rules)."""
    import importlib

    from kamtool.rule import CHECKS

    for family in FAMILIES:
        importlib.import_module(f"kamtool.analyse.rules.{family}")
    return tuple(CHECKS)


def run_rules(account: Any, ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for rule in all_rules():
        out.extend(rule(account, ctx))
    return out
