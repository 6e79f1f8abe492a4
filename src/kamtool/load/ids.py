"""What an id is (an account, a stakeholder, a unit, a target...): one definition for the
file models, the account folder check and ``kam init``."""

from __future__ import annotations

import re
import unicodedata

from kamtool.i18n import N_, _

#: Also the JSON Schema pattern, where ``$`` is the very end of the text.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
_SLUG = re.compile(SLUG_PATTERN)


def is_slug(text: str) -> bool:
    """A whole-text match: Python's ``$`` also allows a final newline ("abc\\n")."""
    return _SLUG.fullmatch(text) is not None


#: a control character: C0 (tab and line feed included), DEL, C1; and a byte of a name
#: that is not UTF-8 (``os.listdir`` gives it as a lone surrogate, which no output encodes)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def shown_name(text: str) -> str:
    """A name from the file system (an account folder's, a path) as kam shows it: its
    control characters and bytes that are not UTF-8 as U+FFFD. Files hold none (KAM001), but a folder may be named
    ``$'x\\n::error::...'`` or hold a terminal's escape sequence; shown as it is, it
    began a line of its own in the log (a GitHub workflow command) or recoloured the
    terminal, in every table, list and finding that names the account."""
    return _CONTROL.sub("\ufffd", text) if _CONTROL.search(text) else text


# ---------------------------------------------------------------- Latin names as ids
_LATIN_EXTRA = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ł": "l",
        "Ł": "l",
        "þ": "th",
        "Þ": "th",
        "ħ": "h",
        "Ħ": "h",
        "ı": "i",
        "'": "",
        "’": "",
    }
)


def strip_latin_marks(text: str) -> str:
    """``Ayşe Yılmaz`` -> ``Ayse Yilmaz``: Latin letters without their accents (ß as ss,
    æ as ae, ı as i...), full-width forms as ASCII; other scripts as they are, kana with
    their marks (が is not か)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LATIN_EXTRA))
    kept: list[str] = []
    for char in decomposed:
        # a mark after an ASCII letter (or after its other marks) is a Latin accent
        if unicodedata.combining(char) and kept and kept[-1].isascii():
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def fold_latin(text: str) -> str | None:
    """``José Müller`` -> ``Jose Muller``: Latin letters without their accents
    (``strip_latin_marks``); None when the text has letters outside the Latin script
    (张伟, Иван)."""
    folded = strip_latin_marks(text)
    if any(c.isalpha() and not c.isascii() for c in folded):
        return None
    return folded


def latin_slug(name: str) -> str | None:
    """``José Müller`` -> ``jose-muller`` (a new person's id in ``kam import``); None when
    the name has letters outside the Latin script, which have no slug of their own."""
    text = fold_latin(name)
    if text is None:
        return None
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or None


#: characters that take no room on screen and come with text pasted from chat apps and web
#: pages: zero-width space, non-joiner, joiner, word joiner, and a byte-order mark inside
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")


#: what to write for an id typed in Chinese (or another wide script), by what the id names:
#: the id in latin letters, and the name where that thing's name goes. One sentence for
#: every id told a person's name goes under ``name`` (``kam init 华信`` was told 中文姓名),
#: where an account's goes in ``--name`` and an offering's in kam.yaml ``offerings``.
WIDE_ID_ADVICE = {
    "person": N_(
        " (an id is written in latin letters, such as pinyin: zhang.wei; the name in "
        "Chinese goes under name)"
    ),
    "account": N_(
        " (an account id is written in latin letters, such as pinyin: huaxin; the "
        "customer's name in Chinese goes under name in account.yaml)"
    ),
    # kam init's argument: the name is given beside it
    "account argument": N_(
        " (an account id is written in latin letters, such as pinyin: huaxin; give the "
        "customer's name in Chinese with --name)"
    ),
    "offering": N_(
        " (an offering id is written in latin letters, such as pinyin: peiwang-zidonghua; "
        "the offering's name in Chinese goes under name in kam.yaml offerings)"
    ),
    "unit": N_(
        " (a unit id is written in latin letters, such as pinyin: caiwu-bu; the unit's "
        "name in Chinese goes under name in org.yaml)"
    ),
    "opportunity": N_(
        " (an opportunity id is written in latin letters, such as pinyin: erqi-kuojian; "
        "its name in Chinese goes under name)"
    ),
    # targets and actions have no name: their words are their text
    "target": N_(
        " (an id is written in latin letters, such as pinyin: mes-shengji; what it says "
        "in Chinese goes under text)"
    ),
}


def slug_advice(text: str, kind: str = "person") -> str:
    """What to write instead of ``text``, which is not an id, as a clause to add to the
    message that says so (empty when there is nothing better to say than the rule):
    "PengCheng Power" -> " (did you mean 'pengcheng-power'?)", "josé" -> 'jose'; an id in
    Chinese (or any wide script) -> ids are latin letters such as pinyin, and the name
    goes where the name of what the id names goes (``kind``, a key of
    ``WIDE_ID_ADVICE``)."""
    wide_letters = (
        c
        for c in text
        if unicodedata.east_asian_width(c) in ("W", "F") and unicodedata.category(c)[0] == "L"
    )
    hidden = next((c for c in text if c in ZERO_WIDTH), None)
    if hidden is not None:  # pasted from WeChat or a web page: invisible in the file
        clean = "".join(c for c in text if c not in ZERO_WIDTH)
        return _(
            " (it holds an invisible zero-width character (U+{code:04X}), pasted with the "
            "text: delete it{meant})"
        ).format(
            code=ord(hidden),
            meant=_(": did you mean {id!r}?").format(id=clean) if is_slug(clean) else "",
        )
    # josé -> jose, Müller -> muller, and the full-width ｐｅｎｇｃｈｅｎｇ of an input
    # method -> pengcheng (folded as latin letters before they count as wide ones)
    folded = fold_latin(text)
    guess = re.sub(r"\s+", "-", (folded if folded is not None else text).strip().lower())
    if guess != text and is_slug(guess):
        return _(" (did you mean {id!r}?)").format(id=guess)
    if any(wide_letters):  # not full-width punctuation: slips.full_width_note says that
        return _(WIDE_ID_ADVICE[kind])
    return ""
