"""The standard streams of a ``kam`` run, made safe before anything is read or written.

``cli.main`` calls ``prepare`` first; a library call leaves the caller's streams alone.

- A standard stream that is closed (``kam check >&-``, a service started without one) is
  opened on the null device: what would go there is dropped, the exit code still says
  how the run went, and no file kam opens takes descriptor 0, 1 or 2 (a git it starts
  would write its messages into it).
- Standard output in ASCII (the C or POSIX locale where Python does not turn it into
  UTF-8, ``PYTHONIOENCODING=ascii``) is written in UTF-8, as Python does for the C locale
  and as click does for its own lines: an ASCII locale is taken for an unconfigured one.
  In any other encoding that cannot write a character (a Chinese name in a Latin-1
  terminal, a Windows code page), the character is written as a ``\\uXXXX`` escape, as
  Python writes it to stderr; a table is drawn with ASCII lines there (``report.term``).
  A report never ends in a UnicodeEncodeError.
- A report that cannot be written (a full disk, ``> /dev/full``, an I/O error) ends the
  run with one line ``kam: error: cannot write the output: ...`` and exit 2
  (``OutputError``), not an internal error; what was left to write is dropped. A reader
  that stopped reading (``kam check | head -1``) is not an error of kam's: click ends the
  run quietly.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import sys

#: what the streams are opened on when closed
_MODES = ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w"))


class _Output(io.TextIOWrapper):
    """Standard output: a write or flush that fails raises ``OutputError`` once, and
    everything written after that is dropped (the exit flushes it again and would fail
    again). A closed pipe stays the OSError (EPIPE) click ends quietly."""

    failed = False

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # click asks with write(b"") whether it takes bytes
            return super().write(text)  # TypeError
        if self.failed or not text:  # and then with write(""): not a failure
            return len(text)
        try:
            return super().write(text)
        except OSError as exc:
            raise failure(exc) from None

    def flush(self) -> None:
        if self.failed:
            return
        try:
            super().flush()
        except OSError as exc:
            raise failure(exc) from None


def failure(exc: OSError) -> Exception:
    """What to raise for an OSError writing standard output: an EPIPE as it is (click
    ends the run quietly), else an ``OutputError``, and what follows is dropped."""
    if exc.errno == errno.EPIPE:
        return exc
    from kamtool.errors import OutputError
    from kamtool.i18n import os_reason

    if isinstance(sys.stdout, _Output):
        sys.stdout.failed = True
    return OutputError(os_reason(exc))


def prepare() -> None:
    """Open closed standard streams on the null device; give standard output an encoding
    that writes every character and a failure that is one line (see the module)."""
    for fd, name, mode in _MODES:
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: this one
            if null != fd:  # pragma: no cover - the lower ones were opened above
                os.dup2(null, fd)
                os.close(null)
            setattr(sys, name, open(fd, mode, encoding="utf-8", closefd=False))  # noqa: SIM115
    out = sys.stdout
    if not isinstance(out, io.TextIOWrapper) or isinstance(out, _Output):
        return  # replaced by a caller (a test's capture): left as it is
    try:
        codec = codecs.lookup(out.encoding).name
    except LookupError:  # pragma: no cover - Python opened it with this encoding
        codec = "ascii"
    encoding, errors = out.encoding, out.errors
    if codec == "ascii":
        encoding, errors = "utf-8", "backslashreplace"
    elif not codec.startswith("utf"):
        errors = "backslashreplace"
    out.flush()
    sys.stdout = _Output(
        out.detach(),
        encoding=encoding,
        errors=errors,
        newline=None,
        line_buffering=out.line_buffering,
        write_through=out.write_through,
    )
