"""How a rule declares the code it emits, next to the code that emits it.

A rule is one function decorated with :func:`rule`: the decorator's arguments are the
catalogue entry (code, name, default severity, one-line summary, hint) and the function's
docstring is the user documentation ``kam rules CODE`` prints, in three paragraphs that
start with ``Finds:``, ``Why:`` and ``Fix:``. The loader's codes (KAM001-KAM006) are
declared the same way with :func:`declare` in ``kamtool.load.structural``.

Everything that lists rules (``kamtool.catalogue.RULES``, ``kam rules``, the README's
rule table, SARIF's rule list) reads the registry this module fills, so adding a rule is
one decorated function. This module imports nothing of kam, so load/ and analyse/ can
both use it without importing each other.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from kamtool.findings import Finding

SEVERITIES = ("error", "warning", "info", "threshold")
_SECTIONS = {"finds": "Finds:", "why": "Why:", "fix": "Fix:"}


@dataclass(frozen=True, slots=True)
class Rule:
    """One catalogue entry: what every reporter, ``kam rules`` and the README show."""

    code: str
    name: str
    severity: str  # the default; "threshold" for rules whose level comes from kam.yaml
    summary: str
    hint: str
    doc: str = ""  # "Finds: ...\n\nWhy: ...\n\nFix: ..."
    family: str = ""  # the module that emits it: structural, relationships, freshness, ...
    emitter: str = ""  # the function (or table) that emits it, for contributors

    def section(self, name: str) -> str:
        """The ``Finds:``, ``Why:`` or ``Fix:`` paragraph of the documentation, unwrapped."""
        prefix = _SECTIONS[name]
        for paragraph in re.split(r"\n\s*\n", self.doc):
            text = " ".join(paragraph.split())
            if text.startswith(prefix):
                body = text[len(prefix) :].strip()
                return body[:1].upper() + body[1:]
        return ""

    @property
    def finds(self) -> str:
        return self.section("finds")

    @property
    def why(self) -> str:
        return self.section("why")

    @property
    def fix(self) -> str:
        return self.section("fix")


#: every declared rule by code, filled as the modules that declare them are imported
REGISTRY: dict[str, Rule] = {}
#: the analysis rule functions in declaration order (``kamtool.analyse.rules.run_rules``)
CHECKS: list[Callable[..., Iterator[Finding]]] = []

F = TypeVar("F", bound=Callable[..., Iterator[Finding]])


def declare(entry: Rule) -> Rule:
    """Register a catalogue entry; a code declared twice is a programming error."""
    if entry.severity not in SEVERITIES:
        raise ValueError(f"{entry.code}: unknown severity {entry.severity!r}")
    old = REGISTRY.get(entry.code)
    if old is not None and old != entry:
        raise ValueError(f"{entry.code} is declared twice ({old.emitter} and {entry.emitter})")
    REGISTRY[entry.code] = entry
    return entry


def rule(code: str, name: str, severity: str, summary: str, hint: str) -> Callable[[F], F]:
    """Declare the analysis rule ``code`` and register the decorated function to run.

    The function takes (account, context) and yields findings with ``code`` only
    (``tests/test_catalogue.py`` checks that it does)."""

    def wrap(fn: F) -> F:
        module = fn.__module__.rsplit(".", 1)[-1]
        declare(
            Rule(
                code=code,
                name=name,
                severity=severity,
                summary=summary,
                hint=hint,
                doc=inspect.cleandoc(fn.__doc__ or ""),
                family=module,
                emitter=f"{fn.__module__}.{fn.__qualname__}",
            )
        )
        fn.code = code  # type: ignore[attr-defined]
        if fn not in CHECKS:
            CHECKS.append(fn)
        return fn

    return wrap
