"""The one place every label, heading and message of a report passes through.

``_("decision maker")`` returns its text unchanged today. Written this way (the gettext
convention), the strings can be extracted into a message catalogue later (pybabel
extract finds ``_()`` calls) and translated without touching each reporter. Labels
with values use named fields, ``_("{n} accounts").format(n=3)``, so a translation may
move the value. Finding codes, JSON keys and rule ids never pass through here.
"""

from __future__ import annotations


def _(message: str) -> str:
    """The label in the output language (English until a catalogue is installed)."""
    return message
