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
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, TypeVar

from kamtool.findings import Finding

if TYPE_CHECKING:
    from babel.messages.extract import _Keyword, _PyOptions

    from kamtool.load.config import Config

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
    #: the kam.yaml settings the rule follows, as a sentence for a given Config (``kam
    #: rules CODE`` prints it under the documentation, whose numbers are the defaults)
    settings: Callable[[Config], str] | None = field(default=None, compare=False, repr=False)

    def in_force(self, config: Config) -> str:
        """ "" or the sentence of the settings in force under ``config`` (a kam.yaml
        Config), in the output language."""
        return self.settings(config) if self.settings is not None else ""

    def level(self, config: Config | None = None) -> str:
        """The rule's level in force: kam.yaml's setting for it (``off``, ``error``,
        ``warning``, ``info``), else its default (``severity``; ``threshold`` for a rule
        whose findings take the level of the freshness threshold they passed). The one
        answer to "what level is this rule" for every report that names a rule's level
        (``kam rules``, SARIF's rule list); each finding already carries its own level
        (``kamtool.core.apply_policy`` applies the same setting)."""
        if config is not None:
            setting = config.rules.get(self.code)
            if setting is not None:
                return setting
        return self.severity

    def section(self, name: str) -> str:
        """The ``Finds:``, ``Why:`` or ``Fix:`` paragraph of the documentation, unwrapped
        (in English: ``kam rules`` translates it, as the catalogue holds each paragraph)."""
        return doc_section(self.doc, name)

    @property
    def finds(self) -> str:
        return self.section("finds")

    @property
    def why(self) -> str:
        return self.section("why")

    @property
    def fix(self) -> str:
        return self.section("fix")


def doc_section(doc: str, name: str) -> str:
    """The ``name`` paragraph ("finds", "why", "fix") of a rule's documentation, on one line
    with its first letter capitalised; "" when the documentation has none."""
    prefix = _SECTIONS[name]
    for paragraph in re.split(r"\n\s*\n", doc):
        text = " ".join(paragraph.split())
        if text.startswith(prefix):
            body = text[len(prefix) :].strip()
            return body[:1].upper() + body[1:]
    return ""


def extract_messages(
    fileobj: IO[bytes],
    keywords: Mapping[str, _Keyword],
    comment_tags: Collection[str],
    options: _PyOptions,
) -> Iterator[tuple[object, ...]]:  # babel's (line, function, message, comments)
    """A babel extraction method (babel.cfg) for kam's Python sources: the messages the
    standard Python extractor finds (``_()``, ``N_()``, ``ngettext``...), then each
    ``Finds:``, ``Why:`` and ``Fix:`` paragraph of the rule documentation in the file (a
    rule's docstring, or the ``doc=`` of a declared entry), exactly as ``Rule.section``
    gives it; and the docstring of each command of the CLI (a function decorated with
    ``@app.command()``), which is that command's ``--help``. So the paragraphs
    ``kam rules CODE`` prints and the commands' help are in the one message catalogue,
    and a changed docstring makes the catalogue stale like any changed message
    (``tools/catalogues.py --check``)."""
    import ast
    import io

    from babel.messages.extract import extract_python

    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    encoding = options.get("encoding", "utf-8")
    try:
        tree = ast.parse(source.decode(encoding) if isinstance(source, bytes) else source)
    except SyntaxError:  # a file being edited: its marked strings are all it gives
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and any(
            isinstance(d, ast.Call)
            and isinstance(d.func, ast.Attribute)
            and d.func.attr == "command"
            for d in node.decorator_list
        ):
            help_text = ast.get_docstring(node)  # cleaned, as typer gives it to click
            if help_text:
                yield node.body[0].lineno, "", help_text, []
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if "Finds:" not in node.value:
                continue
            doc = inspect.cleandoc(node.value)
            for name in _SECTIONS:
                text = doc_section(doc, name)
                if text:
                    yield node.lineno, "", text, []


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


def rule(
    code: str,
    name: str,
    severity: str,
    summary: str,
    hint: str,
    settings: Callable[[Config], str] | None = None,
) -> Callable[[F], F]:
    """Declare the analysis rule ``code`` and register the decorated function to run.

    The function takes (account, context) and yields findings with ``code`` only
    (``tests/test_catalogue.py`` checks that it does). ``settings``, for a rule whose
    behaviour depends on kam.yaml, says the values in force for a Config."""

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
                settings=settings,
            )
        )
        fn.code = code  # type: ignore[attr-defined]
        if fn not in CHECKS:
            CHECKS.append(fn)
        return fn

    return wrap
