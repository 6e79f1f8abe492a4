"""Analyse: the rule families of SPEC section 3. Each rule is a generator of findings
over one valid account; nothing here reads files or prints.

A rule is one function in a family module, declared with its catalogue entry by
``kamtool.rule.rule``; importing the family registers it (no list to keep by hand)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from kamtool.findings import Finding
from kamtool.i18n import days_text

if TYPE_CHECKING:
    from kamtool.analyse.contact import Contact
    from kamtool.analyse.grading import Grade
    from kamtool.load.accounts import Account
    from kamtool.load.config import Config
    from kamtool.load.models import AccountFile, Stakeholder


@dataclass(frozen=True)
class Context:
    #: account.yaml of the account the rules look at (rules run over valid accounts only,
    #: which always have one)
    profile: AccountFile
    config: Config
    today: dt.date
    grade: Grade  # this account's: rules reuse what grading worked out
    #: (index in stakeholders.yaml, person) of the current people (not left by today: a
    #: future ``left_on`` is an announced departure), in file order
    people: list[tuple[int, Stakeholder]] = field(default_factory=list)
    #: the same for the current key-layer people
    key: list[tuple[int, Stakeholder]] = field(default_factory=list)
    #: person id -> effective last contact (``analyse.contact``), log included
    contacts: dict[str, Contact] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        account: Account,
        config: Config,
        today: dt.date,
        grade: Grade,
        contacts: dict[str, Contact] | None = None,
    ) -> Context:
        """The context of one account: who is current and who is key, worked out once for
        every rule (``contacts``: the account's ``effective_contacts`` on ``today``, when
        the caller has them already)."""
        people = [(i, p) for i, p in enumerate(account.stakeholders) if not p.left_by(today)]
        key = [(i, p) for i, p in people if p.layer == "key"]
        from kamtool.analyse.contact import effective_contacts

        if account.profile is None:
            raise ValueError(f"{account.id}: rules run over valid accounts only")
        return cls(
            profile=account.profile,
            config=config,
            today=today,
            grade=grade,
            people=people,
            key=key,
            contacts=effective_contacts(account, today) if contacts is None else contacts,
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


RuleFn = Callable[["Account", Context], Iterator[Finding]]


# ---------------------------------------------------------------- settings in force
# A rule's documentation gives kam's defaults (the README's table is generated from it);
# ``kam rules CODE`` adds a sentence with the values of the kam.yaml in use, built here
# (``settings=`` of ``kamtool.rule.rule``).
def threshold_text(warn_after: int, error_after: int) -> str:
    from kamtool.i18n import _

    return _("warn after {warn}, error after {error}").format(
        warn=days_text(warn_after), error=days_text(error_after)
    )


def focus_text(config: Config) -> str:
    """Which tiers are focus tiers, as a clause: "focus tiers S, A"."""
    from kamtool.i18n import _, listed

    if not config.focus_tiers:
        return _("no focus tiers")
    return _("focus tiers {tiers}").format(tiers=listed(config.focus_tiers))


def focus_settings(config: Config) -> str:
    """The settings of a rule that looks at focus-tier accounts only."""
    from kamtool.i18n import _

    return _("applies to {focus}").format(focus=focus_text(config))


#: the family modules; a new family is one more name here
FAMILIES = ("relationships", "freshness", "planning", "handles")


@cache
def all_rules() -> tuple[RuleFn, ...]:
    """Every rule function, in declaration order (importing a family declares its rules)."""
    import importlib

    from kamtool.rule import CHECKS

    for family in FAMILIES:
        importlib.import_module(f"kamtool.analyse.rules.{family}")
    return tuple(CHECKS)


def run_rules(account: Account, ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for rule in all_rules():
        out.extend(rule(account, ctx))
    return out
