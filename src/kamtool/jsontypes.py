"""Types of the plain data kam builds for output.

``JsonObject`` is a JSON object as a command builds it for ``--format json``, for the
Markdown and table renderers or as a Jinja context: nested values of every JSON type
(and dates, for templates), whose shape the one renderer that reads it knows. Smaller
records with a fixed shape get a ``TypedDict`` of their own instead.
"""

from __future__ import annotations

from typing import Any

JsonObject = dict[str, Any]  # values of every JSON type, nested (see the docstring)
