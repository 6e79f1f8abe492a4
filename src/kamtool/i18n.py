"""The output language: one GNU gettext message catalogue per language (SPEC 4 ``language``,
SPEC 5 ``--lang``).

Every label, heading, message and hint a person reads is written in English in the code,
marked with ``_()`` (or ``N_()`` where the text is a module constant, translated where it
is shown, or ``ngettext`` where it counts; the Finds/Why/Fix paragraphs of a rule's
docstring are extracted whole by ``kamtool.rule.extract_messages``), and looked up in
``kamtool/locale/<ll_CC>/LC_MESSAGES/kam.mo`` at run time through the standard library's
``gettext``. English needs no catalogue: the source strings are the English text, so an
English run never opens a file and a run that prints nothing (``kam --version``) loads
nothing at all.

Which language, first that applies:
1. ``--lang`` on the command line (``use``);
2. ``language`` in kam.yaml (``configure``, called when kam.yaml is read);
3. the environment's locale, ``LC_ALL``, then ``LC_MESSAGES``, then ``LANG`` (the first
   set one decides, as in POSIX), when it names Chinese (``zh_CN.UTF-8``, ``zh_Hans``...);
4. English.

Codes, ids, JSON keys, SARIF rule ids and CSV headers are never translated.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gettext as _gettext

DOMAIN = "kam"
LOCALE_DIR = Path(__file__).parent / "locale"
#: the languages kam ships, as written on the command line and in kam.yaml
LANGUAGES = ("en", "zh-CN")
DEFAULT = "en"

_explicit: str | None = None  # --lang
_configured: str | None = None  # kam.yaml language
_resolved: str | None = None  # what current() found, until one of the above changes
_cache: dict[str, _gettext.NullTranslations] = {}


def normalise(value: str) -> str | None:
    """A language as kam names it (``en``, ``zh-CN``) from what a user or a locale writes
    (``zh_CN``, ``zh-cn``, ``zh_CN.UTF-8``, ``zh_Hans``, ``en_GB``); None when kam has no
    catalogue for it. Every Chinese locale reads the simplified Chinese catalogue, the only
    Chinese one kam ships."""
    tag = value.split(".", 1)[0].split("@", 1)[0].strip().replace("_", "-").lower()
    if not tag:
        return None
    if tag == "zh" or tag.startswith("zh-"):
        return "zh-CN"
    if tag == "en" or tag.startswith("en-") or tag in ("c", "posix"):
        return "en"
    return None


def from_environment() -> str:
    """The locale's language when kam has a catalogue for it, else English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:  # the first one set decides, even when it is C or a language kam lacks
            return normalise(value) or DEFAULT
    return DEFAULT


def reset() -> None:
    """Forget --lang and kam.yaml's choice (a new command run in the same process)."""
    global _explicit, _configured, _resolved
    _explicit = None
    _configured = None
    _resolved = None


def use(language: str | None) -> None:
    """Take the language given on the command line (it wins over kam.yaml)."""
    global _explicit, _resolved
    _explicit = language
    _resolved = None


def configure(language: str | None) -> None:
    """Take kam.yaml's ``language`` (None: kam.yaml does not say)."""
    global _configured, _resolved
    _configured = language
    _resolved = None


def current() -> str:
    """The language of this run's output (worked out once: every message asks)."""
    global _resolved
    if _resolved is None:
        _resolved = _explicit or _configured or from_environment()
    return _resolved


def _translations(language: str) -> _gettext.NullTranslations:
    found = _cache.get(language)
    if found is None:
        import gettext

        if language == DEFAULT:
            found = gettext.NullTranslations()
        else:
            # a missing catalogue (a broken install) falls back to the English source text
            found = gettext.translation(
                DOMAIN, LOCALE_DIR, languages=[language.replace("-", "_")], fallback=True
            )
        _cache[language] = found
    return found


def _(message: str) -> str:
    """``message`` in the output language (the English source text for ``en``)."""
    language = current()
    if language == DEFAULT:
        return message
    return _translations(language).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the output language."""
    language = current()
    if language == DEFAULT:
        return singular if n == 1 else plural
    return _translations(language).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the sense ``context`` gives it (the same English word with two
    translations: "by" a date, "by" a person)."""
    language = current()
    if language == DEFAULT:
        return message
    return _translations(language).pgettext(context, message)


def in_every_language(message: str) -> list[str]:
    """``message`` as each language kam speaks says it (the English first): the words a
    user may type for one of kam's values in whatever language they think in (a role
    written ``[决策者]`` in an account of a team whose output is English)."""
    return [
        message if language == DEFAULT else _translations(language).gettext(message)
        for language in LANGUAGES
    ]


def meant_by_word(value: str, options: Iterable[str]) -> str | None:
    """The option ``value`` names in a language kam speaks (``拜访`` for ``visit``, ``计划中``
    for ``planned``: the word kam's own output shows for it), else None."""
    typed = value.strip().casefold()
    found = [o for o in options if typed in (w.casefold() for w in in_every_language(o))]
    return found[0] if len(found) == 1 and typed else None


def N_(message: str) -> str:
    """Marks a module-level text for the catalogue; it is translated where it is shown."""
    return message


gettext = _


#: the brackets a Chinese note opens with: no space goes before them
FULL_WIDTH_OPEN = frozenset("（《「『“【")


def spaced(note: str) -> str:
    """``note`` as it follows a word: after a space in English ("Strategic (focus)"),
    directly when the translation opens it with a full-width bracket ("战略客户（重点）");
    empty for an empty note. The one place that decides that space."""
    if not note:
        return ""
    return note if note[0] in FULL_WIDTH_OPEN else " " + note


def aside(note: str) -> str:
    """``note`` in parentheses as it follows a word: " (note)", or "（note）" in Chinese."""
    return spaced(_("({note})").format(note=note)) if note else ""


#: the severity words as people read them (text outputs); JSON, SARIF and --fail-on keep
#: the English word, which is a value, not a label
SEVERITY_WORDS = (N_("error"), N_("warning"), N_("info"))
#: the labels of the default tiers (kam.yaml may name its own, shown as written)
DEFAULT_TIER_LABELS = (N_("Strategic"), N_("Partner"), N_("Value"), N_("General"))


def number(n: int) -> str:
    """A count as kam prints every number (sums of money, file sizes, counts): digits
    grouped by threes with a comma, 67,919. That is the grouping of English and of
    Chinese as written in mainland China (CLDR zh: 67,919), the two output languages, so
    no locale database is consulted."""
    return f"{n:,}"


#: line numbers a summary names before it counts the rest
LINES_SHOWN = 12


def line_list(lines: list[int]) -> str:
    """ "lines 4, 9, 12" (up to LINES_SHOWN, then "and 30 more")."""
    shown = _(", ").join(str(n) for n in lines[:LINES_SHOWN])
    named = ngettext("line {lines}", "lines {lines}", len(lines)).format(lines=shown)
    if len(lines) > LINES_SHOWN:
        return _("{lines} and {n} more").format(lines=named, n=len(lines) - LINES_SHOWN)
    return named
