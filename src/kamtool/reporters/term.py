"""One way to draw rich output into a string, for every terminal reporter."""

from __future__ import annotations

import io
from typing import Any


def console(color: bool, width: int) -> Any:
    """A rich Console writing to memory; colours only when asked (terminal, no NO_COLOR)."""
    from rich.console import Console

    return Console(
        file=io.StringIO(),
        force_terminal=color,
        no_color=not color,
        width=width,
        highlight=False,
        color_system="standard" if color else None,
    )
