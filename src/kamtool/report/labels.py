"""The one place every label, heading and message of a report passes through: kam's
message catalogue (``kamtool.i18n``). ``_("decision maker")`` is the label in the output
language; labels with values use named fields, ``_("{n} accounts").format(n=3)``, so a
translation may move the value. Finding codes, JSON keys and rule ids never pass through
here.
"""

from __future__ import annotations

from collections.abc import Iterable

from kamtool.i18n import N_, _, names_apart, ngettext, percent, pgettext

__all__ = [
    "N_",
    "_",
    "account_names",
    "executive_sponsor",
    "ngettext",
    "percent",
    "sentences",
    "tier_label",
]


def tier_label(name: str | None, label: str | None) -> str:
    """A tier's label as shown beside its name, in the output language: empty when there
    is none or when it is the name again up to case and spaces (a tier ``platin`` labelled
    ``Platin`` reads "platin", not "platin Platin" or "platin (Platin)")."""
    if not label or " ".join(label.split()).casefold() == " ".join((name or "").split()).casefold():
        return ""
    return _(label)


def account_names(
    accounts: Iterable[tuple[str, str | None]], in_brackets: bool = False
) -> dict[str, str]:
    """Each account (id, name) of a list as the list shows it (``i18n.names_apart``): its
    name, with its id where another account of the list has the same name."""
    return names_apart(accounts, in_brackets)


def executive_sponsor() -> str:
    """ "sponsor" as our executive sponsor of a person (the ``sponsor`` field, KAM205), not
    the power-map role S (sponsor/user): Chinese names the two with different words."""
    return pgettext("executive sponsor", "sponsor")


def sentences(*parts: str) -> str:
    """Sentences one after the other: a space after an English full stop, none after a
    full-width one (。！？), as Chinese text is written."""
    out = ""
    for part in parts:
        if out and part:
            out += "" if out.endswith(("。", "！", "？", "）")) else " "
        out += part
    return out
