"""What an id is (an account, a stakeholder, a unit, a target...): one definition for the
file models, the account folder check and ``kam init``."""

from __future__ import annotations

import re

#: Also the JSON Schema pattern, where ``$`` is the very end of the text.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
_SLUG = re.compile(SLUG_PATTERN)


def is_slug(text: str) -> bool:
    """A whole-text match: Python's ``$`` also allows a final newline ("abc\\n")."""
    return _SLUG.fullmatch(text) is not None
