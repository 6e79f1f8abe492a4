"""The one place every label, heading and message of a report passes through: kam's
message catalogue (``kamtool.i18n``). ``_("decision maker")`` is the label in the output
language; labels with values use named fields, ``_("{n} accounts").format(n=3)``, so a
translation may move the value. Finding codes, JSON keys and rule ids never pass through
here.
"""

from __future__ import annotations

from kamtool.i18n import N_, _, ngettext

__all__ = ["N_", "_", "ngettext"]
