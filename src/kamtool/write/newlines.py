"""Where a command that edits a YAML file in place (``kam touch``, ``kam import``) puts
new lines: the rules both follow, in one place.

- A file whose last line has no line break gets one only when lines are added after
  that line (``at_open_end``, then ``opened``, and the edit is worked out again on the
  text read so): a value replaced on the last line, or a key added to an entry above
  it, leaves the file without one, as every byte but the changed values stays (SPEC 6);
  a key added after a block scalar that ends the file (``notes: |``) needs it, or the
  key's line became part of that text.
- New keys of an entry go after its last line of content (``content_end``): above the
  trailing blank lines of a block scalar that ends the entry, which are not part of its
  text, unless the scalar keeps them (``|+``): then they are its text, and the new key
  goes after them.

Offsets and lines are those of text with ``\\n`` line ends (the callers turn CRLF files
into it and back with ``with_lf``, which keeps the ending of each line an edit kept).
"""

from __future__ import annotations

from collections.abc import Callable


def line_starts(text: str) -> list[int]:
    """The offset where each line starts: line ``n`` (1-based) starts at ``[n - 1]``."""
    starts = [0]
    find = text.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def line_text(text: str, starts: list[int], line: int) -> str:
    """Line ``line`` (1-based) without its line break."""
    end = starts[line] - 1 if line < len(starts) else len(text)
    return text[starts[line - 1] : end]


def at_open_end(text: str, offset: int) -> bool:
    """Whether lines inserted at ``offset`` go after the last line of ``text`` while that
    line has no line break: the edit must be worked out again on ``opened(text)``."""
    return offset == len(text) and bool(text) and not text.endswith("\n")


def opened(text: str) -> str:
    """``text`` with a line break after its last line (when it has none). The caller reads
    the text again: a block scalar that ends the file now ends in that line break, which
    becomes part of its text as the new lines go after it."""
    return text if not text or text.endswith("\n") else text + "\n"


def content_end(text: str, starts: list[int], first: int, last: int, tail: object) -> int:
    """The last line of an entry's content, given its ``first`` line and the ``last``
    line its values reach: above the blank lines that end a block scalar, unless the
    value that ends the entry (``tail``, as read) keeps them (``|+``: a text ending in
    a blank line)."""
    if isinstance(tail, str) and tail.endswith("\n\n"):
        return last
    while last > first and not line_text(text, starts, last).strip():
        last -= 1
    return last


def with_lf(text: str) -> tuple[str, Callable[[str], str]]:
    """``text`` with ``\\n`` line ends, for an edit worked out on it, and the function that
    gives the edited text its line ends back: a file in CRLF (its first line's ending)
    gets CRLF again; in a file that mixes both (lines added with another editor), every
    line the edit kept or rewrote keeps its own ending and a line it added ends as the
    line above it, where turning every line to CRLF changed lines nobody touched."""
    first = text.find("\n")
    if first <= 0 or text[first - 1] != "\r":
        return text, _same
    lf = text.replace("\r\n", "\n")
    if text.count("\n") == text.count("\r\n"):
        return lf, _crlf
    ends = [piece.endswith("\r") for piece in text.split("\n")[:-1]]
    old = lf.split("\n")

    def back(new: str) -> str:
        import difflib

        lines = new.split("\n")
        crlf: list[bool | None] = [None] * (len(lines) - 1)
        matcher = difflib.SequenceMatcher(None, old, lines, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    if i < len(ends) and j < len(crlf):
                        crlf[j] = ends[i]
        out = []
        previous = True  # the file's ending, that of its first line
        for n, line in enumerate(lines[:-1]):
            # a line the edit added ends as the line above it does
            kept = crlf[n]
            if kept is not None:
                previous = kept
            out.append(line + ("\r\n" if previous else "\n"))
        return "".join(out) + lines[-1]

    return lf, back


def _same(text: str) -> str:
    return text


def _crlf(text: str) -> str:
    return text.replace("\n", "\r\n")
