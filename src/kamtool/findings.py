"""A finding is a small value every reporter reads; nothing else carries problems."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from operator import attrgetter
from typing import NotRequired, TypedDict

SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}

#: a finding's machine-readable extras (``data`` in JSON): texts, numbers, lists of texts
FindingValue = str | int | float | bool | None | Sequence[str]

#: The order findings are reported in: file, line, column, code, message.
_SORT_FIELDS = attrgetter("path", "line", "column", "code", "message")


class _SortKey:
    """``Finding.sort_key``: on the class, a key function in C (``attrgetter``) for
    ``findings.sort(key=Finding.sort_key)``, about three times as fast as a Python method
    on the 90,000 findings of a neglected portfolio; on a finding, a method as before."""

    def __get__(
        self, obj: Finding | None, owner: type | None = None
    ) -> Callable[..., tuple[str, int, int, str, str]]:
        if obj is None:
            return _SORT_FIELDS
        return partial(_SORT_FIELDS, obj)


class FindingDict(TypedDict):
    """A finding in the JSON output (``--format json``)."""

    code: str
    severity: str
    path: str
    line: int
    column: int
    message: str
    hint: str
    account: str | None
    data: NotRequired[dict[str, FindingValue]]


@dataclass(slots=True, unsafe_hash=True)
class Finding:
    """One problem at one place. Treat it as a value: never assign to its fields, make a
    changed copy (``with_severity``, ``dataclasses.replace``). It is not a frozen dataclass
    because a frozen one is slow to build: its ``__init__`` goes through
    ``object.__setattr__`` once a field, 3-5x the cost of this one (measured), and a
    neglected portfolio builds 90,000 findings in the workers and again in the parent
    when their results are read back. Equality and hash leave ``data`` out, as before."""

    code: str
    severity: str
    path: str  # display path, POSIX, relative to the working directory when possible
    line: int
    column: int
    message: str
    hint: str = ""
    account: str | None = None
    data: dict[str, FindingValue] = field(default_factory=dict, compare=False, hash=False)

    def __reduce__(self) -> tuple[type[Finding], tuple[object, ...]]:
        # the constructor's arguments: rebuilding from them is about twice as fast as the
        # field-by-field state a frozen dataclass pickles (results travel between processes)
        return (
            Finding,
            (
                self.code,
                self.severity,
                self.path,
                self.line,
                self.column,
                self.message,
                self.hint,
                self.account,
                self.data,
            ),
        )

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self.severity]

    sort_key = _SortKey()

    def fails(self, fail_on: str) -> bool:
        """Whether this finding fails a run whose threshold is ``fail_on`` (``--fail-on``:
        its level is at or above it). The exit code of ``check``, ``stale`` and
        ``validate`` and the failing cases of JUnit read this one test."""
        return SEVERITY_RANK[self.severity] >= SEVERITY_RANK[fail_on]

    def with_severity(self, severity: str) -> Finding:
        return replace(self, severity=severity)

    def as_tuple(self) -> tuple[str, int, int]:
        """The compact form tests use: ("KAM101", 12, 5)."""
        return (self.code, self.line, self.column)

    def to_dict(self) -> FindingDict:
        out: FindingDict = {
            "code": self.code,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
            "account": self.account,
        }
        if self.data:
            out["data"] = self.data
        return out


def worst(findings: list[Finding]) -> Finding | None:
    """The most severe finding; among equals the first in file order.

    The worst severity first, then the first of its findings by a key function in C:
    ``kam grade`` asks this of every account, and one key tuple made in Python per
    finding took 0.3 s of a profiled parent on the 90,000 findings of a neglected portfolio."""
    if not findings:
        return None
    top = max({f.severity for f in findings}, key=SEVERITY_RANK.__getitem__)
    return min([f for f in findings if f.severity == top], key=_SORT_FIELDS)


_NUMBERS = re.compile(r"\d+")
_SOURCE = re.compile(r" \([^()]*\.yaml:\d+\)")


#: a person's id in brackets, as messages write a person: "Name (id)", "姓名（id）"
_PERSON_ID = re.compile(r"[(（]([^()（）\s]+)[)）]")
#: a person id's digits as characters no slug has, so that reading numbers as 0 leaves it
_ID_DIGITS = str.maketrans(
    "0123456789", "\ue000\ue001\ue002\ue003\ue004\ue005\ue006\ue007\ue008\ue009"
)


@dataclass(frozen=True)
class Subjects:
    """What an account's messages show that may be written anew without a finding
    changing: each person's name by id (a nickname corrected to the full name, same id)
    and the account's tier ("tier S account": a finding that holds in both tiers stays
    the same finding). ``plain`` gives a message without them. Made by
    ``AccountResult.subjects``; read by ``identity``."""

    names: dict[str, str]
    #: (the tier as messages show it, what stands for it instead), or None
    tier: tuple[str, str] | None

    def plain(self, message: str) -> str:
        if self.tier is not None and self.tier[0] in message:
            message = message.replace(*self.tier)
        if not self.names or ("(" not in message and "（" not in message):
            return message
        out, last = [], 0
        for m in _PERSON_ID.finditer(message):
            pid = m.group(1)
            name = self.names.get(pid)
            if not name:
                continue
            start = m.start()
            for shown in (name + " ", name):  # "Name (id)"; "姓名（id）"
                if message.endswith(shown, last, start):
                    start -= len(shown)
                    break
            out.append(message[last:start])
            # the id stays the person's when ``identity`` reads numbers as 0: p01 and p02,
            # huaxin-1 and huaxin-3 (ids numbered by a CRM) were one person there, so one
            # decision maker's KAM105 resolved and another's new cancelled out in a diff
            out.append(m.group(0)[0] + pid.translate(_ID_DIGITS) + m.group(0)[-1])
            last = m.end()
        return "".join(out) + message[last:] if out else message


def identity(f: Finding, subjects: Subjects | None = None) -> str:
    """What makes two findings the same one across runs and line moves: code, file, subject
    and the message without numbers (``fingerprint`` is its hash; ``kam diff`` compares
    these directly, without hashing thousands of them).

    A person's freshness finding (its ``data`` names the person and the ``field`` whose
    date is late) is that field of that person: its message's days, threshold, tier scope
    and the person's name describe it, and change with a tier, a threshold or a corrected
    name without making it another finding. So is a finding about a field of one
    opportunity (KAM308: its PBIP near while decision makers are not won, whoever they
    are this week), and a late action (KAM301: late whoever owns it, so a handover is no
    action resolved and another one new). Other messages name people and the tier too:
    with the account's ``subjects`` they are read without them.
    """
    data = f.data
    subject = (
        (data.get("person") or data.get("opportunity") or data.get("action")) if data else None
    )
    if subject and "field" in data:
        return f"{f.code}|{f.path}|{subject or ''}|@{data['field']}"
    # where a date was read ("(log.yaml:41)") is not what the finding is about: a stale
    # contact stays the same finding when the team starts logging, or logs again. Most
    # messages name no such place: a substring test spares them the search (the SARIF
    # writer asks this for each of a neglected portfolio's 90,000 findings)
    message = f.message if subjects is None else subjects.plain(f.message)
    text = _NUMBERS.sub("0", _SOURCE.sub("", message) if ".yaml:" in message else message)
    return f"{f.code}|{f.path}|{subject or ''}|{text}"


def fingerprint(f: Finding, subjects: Subjects | None = None) -> str:
    """Stable across runs and line moves: code, file, subject and the message without
    numbers, people's names and the tier (with the account's ``subjects``)."""
    return hashlib.sha256(identity(f, subjects).encode("utf-8")).hexdigest()[:32]
