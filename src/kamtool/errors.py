"""One family of errors for everything kam refuses or cannot do, each with its exit code.

The library raises them; the CLI has one handler that prints the findings an error
carries (``path:line:col: CODE message``), then ``kam: error: <message>``, and exits
with the error's code. So no command needs a try/except of its own, and a new kind of
problem is one subclass here, not a new ``except`` in every command.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from kamtool.findings import Finding


def did_you_mean(value: str, options: Iterable[str]) -> str:
    """ " (did you mean 'x'?)" for the option closest to ``value``, else "": the one hint
    every refused choice gives (an option's value, a kam.yaml rule code, a log kind).
    An option equal to ``value`` but for case (``kam105``, ``JSON``) is the one meant, and
    so is one whose word in a language kam speaks it is (``拜访``: visit)."""
    from kamtool.i18n import _

    near = nearest(value, options)
    return _(" (did you mean {name!r}?)").format(name=near) if near else ""


def nearest(value: str, options: Iterable[str]) -> str | None:
    """The option ``value`` most likely means (see ``did_you_mean``), else None: for the
    messages that word their did-you-mean otherwise ("; did you mean 'x'?")."""
    from kamtool.i18n import meant_by_word

    choices = [str(o) for o in options]
    value = typed_form(value)
    folded = [o for o in choices if o.casefold() == value.casefold()]
    near = folded or close_options(value, choices)
    if near:
        return near[0]
    # the option in the words of kam's output: `--kind 拜访` is visit
    return meant_by_word(value, choices)


def typed_form(value: str) -> str:
    """``value`` with letters and digits typed in full width (an input method left in
    full-width mode: ``ｔａｉｙａｎｇ``, ``ｊｓｏｎ``, ``７``) as the ASCII ones they stand
    for (NFKC), for comparing with kam's words and ids; what was typed is still refused
    as typed."""
    import unicodedata

    return value if value.isascii() else unicodedata.normalize("NFKC", value)


def close_options(value: str, options: Iterable[str]) -> list[str]:
    """The options ``value`` is a slip of the keyboard away from, the closest first: the
    one test of "close" behind every "did you mean" for a word of kam's vocabulary (a key
    of a file or of kam.yaml, a value of a fixed list, a command's option, a branch).

    Close is a few typing slips: a letter wrong, missing, extra, or two letters swapped
    (``attitdue``, ``ownr``, ``--fromat``), one such slip in a word of up to six
    characters, two up to ten, three beyond; or the start of the option, or the option
    the start of it (``last_contact_date``, ``--out``), of three characters or more; or
    another ending of the same word, two thirds of it the same start (``currencies``,
    ``--templates`` for ``--template-dir``).
    difflib's ratio (0.6) took words that share letters for close: 'phone' for 'owner',
    '--format' for '--force'. A word of one or two characters is close to nothing but
    itself in another case; so is a Chinese word to an English one, which shares no
    letter with it."""
    typed = typed_form(value).casefold()
    scored = []
    for option in dict.fromkeys(str(o) for o in options):
        other = option.casefold()
        if other == typed:
            scored.append((0, option))
            continue
        shorter, longer = sorted((len(typed), len(other)))
        distance = _slips(typed, other)
        same_start = next(
            (i for i, (a, b) in enumerate(zip(typed, other, strict=False)) if a != b), shorter
        )
        if (
            (distance <= (longer + 1) // 4 and shorter >= 3)
            or (same_start == shorter >= 3)  # the start of the other
            or (same_start >= 5 and same_start * 3 >= longer * 2)  # currencies: currency
        ):
            scored.append((distance, option))
    return [option for _d, option in sorted(scored, key=lambda s: s[0])]


def _slips(a: str, b: str) -> int:
    """The typing slips between two words: letters replaced, missing or added, and two
    neighbours swapped (the optimal string alignment distance)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, previous2[j - 2] + 1)
            row.append(best)
        previous2, previous = previous, row
    return previous[-1]


class KamError(Exception):
    """A problem for the user, worded for them; ``exit_code`` is what ``kam`` exits with."""

    exit_code = 2

    def __init__(self, message: str, findings: Iterable[Finding] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.findings: list[Finding] = list(findings)

    def __str__(self) -> str:
        """The message, then each finding as `kam` prints it (``path:line:col: CODE
        message (severity)`` and its hint): what a program that prints the exception
        shows, where ``invalid configuration`` alone said nothing of what to fix."""
        if not self.findings:
            return self.message
        from kamtool.report.findings import finding_lines
        from kamtool.report.term import UNLIMITED

        lines = [line for f in self.findings for line in finding_lines(f, UNLIMITED)]
        return "\n".join([self.message, *lines])


class UsageError(KamError):
    """What the user asked for cannot be done as asked (a bad option, date or path): exit 2."""

    exit_code = 2


class ConfigError(KamError):
    """kam.yaml is invalid; the findings say where: exit 2."""

    exit_code = 2

    def __init__(self, findings: Iterable[Finding], message: str | None = None) -> None:
        from kamtool.i18n import _

        # in file order, as every other list of findings: pydantic reports fields in the
        # model's order, not the file's
        ordered = sorted(findings, key=lambda f: (f.line, f.column))
        super().__init__(message or _("invalid configuration"), ordered)


class NotFound(KamError):
    """A requested account, person or revision does not exist: exit 1 (SPEC 5)."""

    exit_code = 1


class _NoAccountRead(KamError):
    """An error that ends a run before any account is read: ``folder`` is the folder kam
    looked in, when there is one, and ``summary`` what to say of it, for the CI formats,
    which report it as a finding on the folder."""

    def __init__(
        self, message: str, folder: Path | None = None, summary: str = "", hint: str = ""
    ) -> None:
        super().__init__(message)
        self.folder = folder
        self.summary = summary
        #: what to do, in the finding the CI formats write (else: start an account there)
        self.hint = hint


class NothingRead(_NoAccountRead, NotFound):
    """No account folder where accounts were to be read (an empty accounts folder, a
    folder named that holds none): the gate read nothing, exit 1 (SPEC 7)."""


class NoAccountsFolder(_NoAccountRead, UsageError):
    """No accounts folder kam can read where it looked, and no kam.yaml that named one (a
    repository with no account yet, one whose accounts folder a change removed, or one
    whose accounts folder holds account files itself): exit 2."""


class Refused(KamError):
    """A write kam will not do (a broken account, a read-only file, a path leaving the
    repository) or could not do; nothing was written: exit 1."""

    exit_code = 1


class Broken(KamError):
    """The accounts a command needs did not load; the findings say why: exit 1."""

    exit_code = 1


class OutputError(KamError):
    """Standard output cannot be written (a full disk, an I/O error): the report is lost,
    so the run ends with one line saying so: exit 2 (``kamtool.streams``)."""

    exit_code = 2

    def __init__(self, reason: str) -> None:
        from kamtool.i18n import _

        super().__init__(_("cannot write the output: {reason}").format(reason=reason))


class WorkerError(KamError):
    """A worker process of a parallel run failed or ended before sending its result; the
    run is abandoned (no partial result). ``details`` keeps the worker's traceback, when
    there is one, for a bug report: the message is its last line."""

    exit_code = 2

    def __init__(self, message: str, details: str | None = None) -> None:
        super().__init__(message)
        self.details = details

    @classmethod
    def task_failed(cls, index: int, traceback: str) -> WorkerError:
        """A task that raised in a worker (either pool): its traceback's last line as the
        message, the whole traceback as ``details``."""
        from kamtool.i18n import _

        lines = [line for line in traceback.splitlines() if line.strip()]
        last = lines[-1].strip() if lines else traceback
        return cls(
            _("task {index} failed in a worker process: {error}").format(index=index, error=last),
            details=traceback,
        )
