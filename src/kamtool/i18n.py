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

import math
import os
import re
import string
import unicodedata
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
            language = normalise(value) or DEFAULT
            if language != DEFAULT and not _writes_catalogue(value):
                return DEFAULT
            return language
    return DEFAULT


def _writes_catalogue(locale: str) -> bool:
    """Whether the character set a locale names (``zh_TW.Big5``) can write the Chinese
    catalogue. Big5 has no simplified characters: half of every line came out as
    ``\u4e2a`` escapes, and English reads better than that. A locale without one, or
    with one Python does not know, is taken to write it."""
    codeset = locale.split("@", 1)[0].partition(".")[2]
    if not codeset:
        return True
    try:
        "个客户没有过期".encode(codeset)
    except LookupError:
        return True
    except UnicodeEncodeError:
        return False
    return True


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


class _Quoting(string.Formatter):
    """``str.format`` with ``!r`` meaning "the user's text, quoted as the output language
    quotes" (``quoted``) rather than Python's repr."""

    def convert_field(self, value: object, conversion: str | None) -> object:
        if conversion == "r":
            return quoted(value)
        return super().convert_field(value, conversion)


_QUOTING = _Quoting()


#: a space between a Chinese quotation mark and Chinese text next to it (a field filled
#: with a quoted value where the template has a space: "实际为 “１”" -> "实际为“１”")
_SPACE_BY_QUOTE = re.compile(
    r"(?<=[\u3000-\u9fff\uff00-\uffef“”]) (?=“)|(?<=”) (?=[\u3000-\u9fff\uff00-\uffef])"
)


#: a template's parts as ``string.Formatter.parse`` gives them
_Parts = tuple[tuple[str, str | None, str | None, str | None], ...]


class _Template:
    """What ``Message.format`` needs to know of one template, worked out once: its parts,
    and the spaces of its own text that stand between its Chinese and a field (``gaps``:
    part index and side, 0 the space after the field before it, 1 the space before the
    field after it). Only those spaces may go, and only when the value there is Chinese
    at that edge; a template without them is plain ``str.format``."""

    __slots__ = ("gaps", "parts", "plain", "quotes")

    def __init__(self, template: str) -> None:
        #: it quotes (a ``!r`` field, or Chinese quotation marks of its own)
        self.quotes = "!r" in template or "“" in template or "”" in template
        self.parts: _Parts = tuple(_QUOTING.parse(template))
        names = [field for _lit, field, _spec, _conv in self.parts if field is not None]
        # a field named by position, attribute or index, or a nested width: the general path
        self.plain = all(name.isidentifier() for name in names) and not any(
            "{" in (spec or "") for _lit, _field, spec, _conv in self.parts
        )
        gaps: list[tuple[int, int, str]] = []
        for i, (literal, field, _spec, _conv) in enumerate(self.parts):
            if len(literal) < 2:
                continue
            before = self.parts[i - 1][1] if i > 0 else None
            if before is not None and literal[0] == " " and _wide(literal[1]):
                gaps.append((i, 0, before))  # "{name} 的", after the previous part's field
            if field is not None and literal[-1] == " " and _wide(literal[-2]):
                gaps.append((i, 1, field))  # "与 {name}"
        self.gaps: tuple[tuple[int, int, str], ...] = tuple(gaps)


_TEMPLATES: dict[str, _Template] = {}


def _template(text: str) -> _Template:
    found = _TEMPLATES.get(text)
    if found is None:
        found = _TEMPLATES[text] = _Template(text)
    return found


def _wide_edge(value: object, last: bool) -> bool:
    """Whether a field's value starts (ends, ``last``) with Chinese text; numbers never do."""
    if isinstance(value, (int, float)):
        return False
    text = value if isinstance(value, str) else str(value)
    if not text or is_path(text):  # a path keeps its spaces: "已创建 客户档案/acme/log.yaml"
        return False
    char = text[-1] if last else text[0]
    # Latin letters, digits and their punctuation: no lookup (nothing below U+1100 is wide)
    return char >= "\u1100" and _wide(char)


class Message(str):
    """A translated message whose ``{name!r}`` fields quote with ``quoted``: Chinese
    writes “name”, not 'name', and no space beside those marks (the full-width marks
    bring their own). English keeps Python's own quoting ('name', "it's"), which is what
    ``quoted`` gives there, so English messages stay plain ``str``.

    The one place that spaces a filled value in Chinese text: a catalogue writes
    "与 {name} 联系" so that a Latin name stands apart ("与 Bob Stone 联系"); a Chinese
    name takes no space from the template's Chinese beside it ("与张伟联系"). Spaces next
    to Latin text or digits stay ("已过 49 天"), and so do the spaces between two filled
    values and every space inside a value."""

    __slots__ = ()

    def format(self, /, *args: object, **kwargs: object) -> str:
        template = str(self)
        # most messages (tens of thousands of freshness findings) quote nothing: C's
        # str.format, with the spaces between the template's Chinese and a Chinese value
        # taken out where the template has such a space (worked out once per template)
        t = _template(template)
        if not t.quotes:
            plain = str.format(template, *args, **kwargs)
            if "“" not in plain and "”" not in plain:
                if not t.gaps:
                    return plain
                if t.plain and not args:
                    return _close_gaps(t, kwargs) or plain
        # the fields filled first, then the spaces of the template's own text taken out
        # where they stand beside a quotation mark or between the template's Chinese and
        # a filled value's Chinese; a field's value (a name the user wrote as 李 “老李” 明)
        # keeps every space it has
        parts: list[tuple[str, bool]] = []  # (text, is the template's own)
        paths: set[int] = set()  # the parts that are a path: the spaces beside them stay
        auto = 0
        for literal, field, spec, conversion in t.parts:
            if literal:
                parts.append((literal, True))
            if field is None:
                continue
            if field == "":
                field, auto = str(auto), auto + 1
            value, _key = _QUOTING.get_field(field, args, kwargs)
            value = _QUOTING.convert_field(value, conversion)
            spec = _QUOTING.vformat(spec, args, kwargs) if spec else ""
            filled = _QUOTING.format_field(value, spec)
            if is_path(filled):
                paths.add(len(parts))
            parts.append((filled, False))
        out: list[str] = []
        for i, (text, own) in enumerate(parts):
            if own:
                before = parts[i - 1][0][-1:] if i > 0 else ""
                after = parts[i + 1][0][:1] if i + 1 < len(parts) else ""
                around = before + text + after
                gone = {
                    m.start() - len(before)
                    for m in _SPACE_BY_QUOTE.finditer(around)
                    if len(before) <= m.start() < len(before) + len(text)
                }
                # Chinese of the template beside a filled value's Chinese
                wide_inside = len(text) > 1 and text[0] == " " and _wide(text[1])
                if wide_inside and before and _wide(before) and i - 1 not in paths:
                    gone.add(0)
                wide_inside = len(text) > 1 and text[-1] == " " and _wide(text[-2])
                if wide_inside and after and _wide(after) and i + 1 not in paths:
                    gone.add(len(text) - 1)
                text = "".join(c for k, c in enumerate(text) if k not in gone)
            out.append(text)
        return "".join(out)


_PERCENT_FIELD = re.compile(r"%\((\w+)\)s|%%|[{}]")
#: a conversion other than %(name)s (``%(n)d``, ``%(x).2f``)
_OTHER_PERCENT = re.compile(r"%\(\w+\)(?!s)")


def percent_format(template: str, values: dict[str, object]) -> str:
    """A ``%(name)s`` template (the plan templates' ``_("...", name=...)``, as jinja's
    gettext writes them) filled as ``Message.format`` fills a ``{name}`` one, spaces
    beside Chinese values included: one rule for both kinds of template."""

    if _OTHER_PERCENT.search(template):  # %(n)d in a template of the user's own: as written
        return template % values

    def brace(m: re.Match[str]) -> str:
        if m.group(1):
            return "{" + m.group(1) + "}"
        return "%" if m.group(0) == "%%" else m.group(0) * 2

    return Message(_PERCENT_FIELD.sub(brace, template)).format(**values)


def _close_gaps(t: _Template, values: dict[str, object]) -> str | None:
    """``t`` filled with ``values``, the spaces of ``t.gaps`` that stand beside a Chinese
    value taken out; None when none does (the plain ``str.format`` is the text)."""
    gone = {(i, side) for i, side, name in t.gaps if _wide_edge(values[name], side == 0)}
    if not gone:
        return None
    parts = t.parts
    out: list[str] = []
    for i, (literal, field, spec, conversion) in enumerate(parts):
        if (i, 0) in gone:
            literal = literal[1:]
        if (i, 1) in gone:
            literal = literal[:-1]
        out.append(literal)
        if field is not None:
            value = values[field]
            if conversion == "s":
                value = str(value)
            elif conversion == "a":
                value = ascii(value)
            out.append(format(value, spec or ""))
    return "".join(out)


def _quoting(text: str) -> str:
    """``text`` as a message whose fields quote in the output language."""
    return Message(text) if "{" in text else text


def _(message: str) -> str:
    """``message`` in the output language (the English source text for ``en``)."""
    language = current()
    if language == DEFAULT:
        return message
    return _quoting(_translations(language).gettext(message))


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the output language."""
    language = current()
    if language == DEFAULT:
        return singular if n == 1 else plural
    return _quoting(_translations(language).ngettext(singular, plural, n))


def pgettext(context: str, message: str) -> str:
    """``message`` in the sense ``context`` gives it (the same English word with two
    translations: "by" a date, "by" a person)."""
    language = current()
    if language == DEFAULT:
        return message
    return _quoting(_translations(language).pgettext(context, message))


def quoted(value: object) -> str:
    """A user's text (a typed value, a name, a key) quoted in a message: 'Li Ming' in
    English (Python's quoting, which escapes what cannot be seen), “李明” in Chinese (the
    catalogue's marks, characters that cannot be seen written as escapes). Every
    ``{name!r}`` field of a translated message goes through here."""
    text = str(value)
    language = current()
    if language == DEFAULT:
        return repr(text)
    marks = pgettext("quoting a user's text", "'{text}'")
    if marks == "'{text}'":
        return repr(text)
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return str.format(marks, text=shown)


def in_every_language(message: str) -> list[str]:
    """``message`` as each language kam speaks says it (the English first): the words a
    user may type for one of kam's values in whatever language they think in (a role
    written ``[决策者]`` in an account of a team whose output is English)."""
    return [
        message if language == DEFAULT else _translations(language).gettext(message)
        for language in LANGUAGES
    ]


#: the words Taiwan writes otherwise than mainland China, beyond the characters: 計畫
#: (a plan) is 计划, not the 计画 its characters give
_TAIWAN_WORDS = (("計畫", "計劃"),)
_SIMPLIFIED: dict[int, int] | None = None


def simplified(text: str) -> str:
    """``text`` with its traditional characters in their simplified forms (``決策者`` is
    ``决策者``, ``計畫中`` is ``计划中``): kam speaks simplified Chinese only, and reads the
    words of its vocabulary typed in traditional characters (a team in Taiwan or Hong
    Kong) as the words they are. For comparing typed words only: what kam writes or shows
    keeps the user's characters."""
    global _SIMPLIFIED
    if text.isascii():
        return text
    if _SIMPLIFIED is None:
        from kamtool.traditional import HANS, HANT

        _SIMPLIFIED = str.maketrans(HANT, HANS)
    table = _SIMPLIFIED
    for taiwan, mainland in _TAIWAN_WORDS:
        text = text.replace(taiwan, mainland)
    return text.translate(table)


def meant_by_word(value: str, options: Iterable[str]) -> str | None:
    """The option ``value`` names in a language kam speaks (``拜访`` for ``visit``, ``计划中``
    for ``planned``: the word kam's own output shows for it; in traditional characters
    too, ``拜訪``), else None."""
    typed = simplified(value.strip().casefold())
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


#: the operating system's reasons a file cannot be read or written, by errno, in the
#: words of its own (C library) messages: Python gives them in English whatever the
#: locale, and "无法读取 x.csv：No such file or directory" was English in a Chinese line
_OS_REASONS = {
    "ENOENT": N_("No such file or directory"),
    "EACCES": N_("Permission denied"),
    "EPERM": N_("Operation not permitted"),
    "EISDIR": N_("Is a directory"),
    "ENOTDIR": N_("Not a directory"),
    "ENAMETOOLONG": N_("File name too long"),
    "EROFS": N_("Read-only file system"),
    "ENOSPC": N_("No space left on device"),
    "ELOOP": N_("Too many levels of symbolic links"),
    "EEXIST": N_("File exists"),
}


def os_reason(exc: OSError) -> str:
    """Why an OSError happened, in the output language (its strerror for an errno kam
    has no words for): every message that passes on the system's reason uses this."""
    import errno

    name = errno.errorcode.get(exc.errno or 0)
    text = _OS_REASONS.get(name or "")
    if text is not None:
        return _(text)
    return exc.strerror or str(exc)


def name_key(name: str) -> str:
    """A name as a reader tells names apart, and as one types it on a command line: not
    by case or spaces (张伟 and 张 伟, "Zhang Wei" and "zhang  wei" are one), nor by the
    Unicode form of the same letters (NFKC): the half-width katakana of an old CRM
    export and the full-width ones a Japanese input method types (ｻﾄｳ and サトウ), a
    precomposed and a decomposed "ë", full-width Latin. Namesakes are named with their
    ids by it (``Account.person_name``, ``names_apart``), and a person argument that
    matches no name exactly is matched by it (``find_person``). Nor by which dot stands
    between the parts of a transliterated name (阿卜杜拉·买买提): the middle dot, the bullet
    and the katakana dot that input methods and CRMs put there, or a full stop typed in
    its place, are one. Nor by Turkish and Azeri casing: ``AYŞE YILMAZ`` (a CRM export in
    capitals) is Ayşe Yılmaz, and İlker typed ilker, though Unicode's case folding, made
    for other languages, folds I to i, not to the ı of Yılmaz, and İ to i with a dot."""
    return "".join(fold_case(name).split()).translate(_NAME_DOTS)


def fold_case(text: str) -> str:
    """Text as names are compared, spaces kept: NFKC (full-width and half-width forms as
    one), case folded, and Turkish and Azeri casing made one (``YILMAZ`` is ``Yılmaz``:
    Unicode folds I to i, not to ı, and İ to i with a combining dot). ``name_key`` and
    the import's likeness of account names (``alike_accounts``) both start from it."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return folded.replace("i\u0307", "i").replace("\u0131", "i")


#: the dots written between the parts of a name (U+00B7 middle dot, the bullet, the
#: hyphenation point, the katakana middle dot, bullet and dot operators, a full stop)
_NAME_DOTS = str.maketrans(dict.fromkeys("\u2022\u2027\u30fb\u2219\u22c5.", "\u00b7"))


def names_apart(
    entries: Iterable[tuple[str, str | None]], in_brackets: bool = False
) -> dict[str, str]:
    """Each entry (id, name) of a list as the list shows it: its name, or "Müller AG
    (alpha)" when another entry of the list has the same name (up to case and spaces: two
    "Müller AG" would read as one), or the id when it has no name. For accounts in a
    report and for the people of one account alike (two "Ana Souza" in a score's inputs
    are "Ana Souza (ana-souza)" and "Ana Souza (ana-souza-2)"). ``in_brackets``: for a
    name shown in brackets, "Müller AG, alpha" (no brackets in brackets)."""
    from collections import Counter

    pairs = dict(entries)
    both = _("{name}, {id}") if in_brackets else _("{name} ({id})")

    counts = Counter(name_key(name) for name in pairs.values() if name)
    return {
        ident: (
            ident
            if not name
            else both.format(name=name, id=ident)
            if counts[name_key(name)] > 1
            else name
        )
        for ident, name in pairs.items()
    }


def percent(share: float) -> int:
    """A share (0..1) as a whole percentage, rounded down: 79.6% of a goal is shown 79%,
    never 80%, so a figure just short of a threshold (80% of the expected revenue, 80% of
    the revenue in the focus tiers) never reads as reaching it. The tolerance keeps a
    whole percentage that floating point stores a hair below it (0.29 * 100) whole."""
    return math.floor(100 * share + 1e-9)


def percents(parts: Iterable[float], points: int = 100) -> list[int]:
    """Whole percentages of the parts of one total that add up to ``points`` (100; less
    for a group of a table whose share is given apart), by largest remainder: each part's
    exact share of ``points`` rounded down, then the points left go to the largest
    fractions, ties to the earlier part. So a column of shares sums to its total's 100%.
    All 0 when the total is 0."""
    values = list(parts)
    total = sum(values)
    if total <= 0:
        return [0] * len(values)
    exact = [points * v / total for v in values]
    whole = [math.floor(x + 1e-9) for x in exact]
    left = points - sum(whole)
    by_remainder = sorted(range(len(values)), key=lambda i: (-(exact[i] - whole[i]), i))
    for i in by_remainder[: max(left, 0)]:
        whole[i] += 1
    return whole


#: line numbers a summary names before it counts the rest
LINES_SHOWN = 12


#: the arrow between a value before and after a change, in every output
ARROW = "→"


def before_after(before: object, after: object) -> str:
    """``before → after``: how every command writes a value that changed (`kam diff`,
    `kam touch`, `kam import --dry-run`, `kam history`, the plan's baseline and goal), so
    that one command does not write ``->`` where another writes ``→``."""
    return f"{before} {ARROW} {after}"


def days_text(days: int) -> str:
    """A count of days as every output says it: "1 day", "3 days" ("1 天", "3 天"): the one
    place that pluralises it, so no message writes "1 days"."""
    return ngettext("{n} day", "{n} days", days).format(n=number(days))


def is_wide(char: str) -> bool:
    """A character two cells wide (CJK, full-width): Chinese text, which has no spaces
    between its words. The one test of it for the messages here and the terminal
    tables (``report.term``)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


#: a path in a text ("data/客户档案/acme/targets.yaml:8", "客户档案/acme/"): folders, each
#: followed by "/", then a file name or id in Latin letters (with its ":line"), or nothing;
#: spaces, brackets, quotation marks and Chinese punctuation end it
PATH = re.compile(r"(?:[^\s/，。、；：！？（）()“”‘’'\"`《》「」]+/)+[A-Za-z0-9._:-]*")


def is_path(text: str) -> bool:
    """Whether ``text`` is a path as ``PATH`` finds one, with a Latin letter or digit in it
    ("支持者/使用者" is not one): a path is one word, whatever its script, so it keeps the
    spaces beside it and is never broken inside a folder name."""
    return "/" in text and PATH.fullmatch(text) is not None and _LATIN.search(text) is not None


_LATIN = re.compile("[A-Za-z0-9]")


def _wide(char: str) -> bool:
    """A character of Chinese text: ``is_wide``, or a Chinese quotation mark (which
    Unicode counts as of ambiguous width)."""
    return is_wide(char) or char in "“”‘’"


def _around(left: str, word: str, right: str) -> str:
    """``left word right`` with a space between a wide (CJK) word the catalogue writes
    without spaces ("和") and a narrow item next to it ("json 和 csv", but "张三和李四"):
    the spacing of Chinese text around Latin letters and digits. English words bring
    their own spaces (" and ")."""
    if word and left and not word[0].isspace() and _wide(word[0]) != _wide(left[-1]):
        word = " " + word
    if word and right and not word[-1].isspace() and _wide(word[-1]) != _wide(right[0]):
        word = word + " "
    return left + word + right


def listed(items: Iterable[object], last: str = "", *, shown: int | None = None) -> str:
    """Names or items as a list in a message, in the output language: "a, b, c"
    ("a、b、c"); with ``last="and"`` or ``last="or"`` the last joined with that word
    ("a, b or c", "a、b 或 c"); with ``shown``, the first ``shown`` and how many more
    ("a, b and 3 more", "a、b 等 5 项"). The one place that joins a list for a person to
    read (clauses of a sentence keep their own comma)."""
    names = [str(x) for x in items]
    more = len(names) - shown if shown is not None and len(names) > shown else 0
    if more:
        names = names[:shown]
    sep = pgettext("list of items", ", ")
    if more:
        return pgettext("list of items", "{items} and {n} more").format(
            items=sep.join(names), n=number(more)
        )
    if len(names) < 2 or last not in ("and", "or"):
        return sep.join(names)
    if last == "and":
        word = pgettext("list of items", " and ")
    else:
        word = pgettext("list of items", " or ")
    return _around(sep.join(names[:-1]), word, names[-1])


def line_list(lines: list[int]) -> str:
    """ "lines 4, 9, 12" (up to LINES_SHOWN, then "and 30 more")."""
    shown = listed(str(n) for n in lines[:LINES_SHOWN])
    named = ngettext("line {lines}", "lines {lines}", len(lines)).format(lines=shown)
    if len(lines) > LINES_SHOWN:
        return _("{lines} and {n} more").format(lines=named, n=len(lines) - LINES_SHOWN)
    return named
