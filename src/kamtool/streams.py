"""The standard streams of a ``kam`` run, made safe before anything is read or written.

``cli.main`` calls ``prepare`` first; a library call leaves the caller's streams alone.

- A standard stream that is closed (``kam check >&-``, a service started without one) is
  opened on the null device: what would go there is dropped, the exit code still says
  how the run went, and no file kam opens takes descriptor 0, 1 or 2 (a git it starts
  would write its messages into it).
- A locale whose encoding is ASCII runs kam in Python's UTF-8 mode (``utf8_mode``), as
  Python itself does for the C locale unless told not to: the command line, the files'
  names and the text kam reads are all UTF-8.
- Standard output and error in ASCII all the same (``PYTHONIOENCODING=ascii``) are
  written in UTF-8, as click does for its own lines: ASCII is taken for an unconfigured
  encoding.
  In any other encoding that cannot write a character (a Chinese name in a Latin-1
  terminal, a Windows code page), the character is written as a ``\\uXXXX`` escape, as
  Python writes it to stderr; a table is drawn with ASCII lines there (``report.term``).
  A report never ends in a UnicodeEncodeError.
- Standard error is written in the same way, but a message it cannot take (``2>
  /dev/full``) is dropped: there is nowhere to say so, and the exit code is the run's.
- A report that cannot be written (a full disk, ``> /dev/full``, an I/O error) ends the
  run with one line ``kam: error: cannot write the output: ...`` and exit 2
  (``OutputError``), not an internal error; what was left to write is dropped. A reader
  that stopped reading (``kam check | head -1``) is not an error of kam's: click ends the
  run quietly.
"""

from __future__ import annotations

import codecs
import contextlib
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


class _Diagnostics(io.TextIOWrapper):
    """Standard error: a message that cannot be written (a full disk, a closed pipe) is
    dropped, as there is nowhere left to say so; the exit code still says how the run
    went. A failing stderr made the run an internal error, exit 1 (the code of findings),
    after a plan written whole to standard output."""

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            return super().write(text)  # TypeError, as for standard output
        try:
            return super().write(text)
        except OSError:
            return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError):
            super().flush()


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


def utf8_mode() -> None:
    """Run in Python's UTF-8 mode where the locale's encoding is ASCII: start again with
    ``PYTHONUTF8=1`` (the same program, arguments and streams). Python turns it on itself
    for the C and POSIX locales unless told not to (``PYTHONUTF8=0``,
    ``PYTHONCOERCECLOCALE=0``); told not to, it read the command line as ASCII, so
    ``kam log acme "Bjørn Ødegård"`` found no such person and ``-m "会议"`` was refused:
    every file kam reads is UTF-8, and the terminal that typed them sent UTF-8. Not where
    the mode was asked off on the command line (``-X utf8=0``): once, never in a loop."""
    if sys.flags.utf8_mode or os.environ.get("PYTHONUTF8") == "1" or os.name != "posix":
        return
    if "utf8" in sys._xoptions:  # ``-X utf8=0`` outranks PYTHONUTF8: starting again is vain
        return
    if _codec(sys.getfilesystemencoding()) != "ascii":
        return
    argv = getattr(sys, "orig_argv", None)
    if not sys.executable or not argv:  # pragma: no cover - an embedded interpreter
        return
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
        os.execve(sys.executable, argv, {**os.environ, "PYTHONUTF8": "1"})
    except OSError:  # pragma: no cover - cannot start again: go on as it is
        return


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
    err = sys.stderr
    if isinstance(err, io.TextIOWrapper) and not isinstance(err, _Diagnostics):
        err.flush()
        sys.stderr = _Diagnostics(
            err.detach(),
            encoding="utf-8" if _codec(err.encoding) == "ascii" else err.encoding,
            errors=err.errors,  # Python's backslashreplace
            newline="\n",
            line_buffering=err.line_buffering,
            write_through=err.write_through,
        )
    out = sys.stdout
    if not isinstance(out, io.TextIOWrapper) or isinstance(out, _Output):
        return  # replaced by a caller (a test's capture): left as it is
    codec = _codec(out.encoding)
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
        # as Python opens standard output on every platform: no translation here (on
        # Windows the C runtime's text mode writes "\r\n" for "\n"; None translated it
        # a second time, "\r\r\n" at the end of every line of a report)
        newline="\n",
        line_buffering=out.line_buffering,
        write_through=out.write_through,
    )


def _codec(encoding: str) -> str:
    """The codec's own name (``ANSI_X3.4-1968`` and ``US-ASCII`` are ``ascii``)."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:  # pragma: no cover - Python opened the stream with it
        return "ascii"
