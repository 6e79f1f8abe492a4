"""Load: account folders on disk -> models with positions and structural findings.

Loading never prints and never raises for file content: every problem becomes
a KAM001-KAM006 finding, and a broken account never stops the others.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import functools
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final, cast

from kamtool.errors import ConfigError, UsageError
from kamtool.findings import Finding, FindingValue
from kamtool.i18n import N_, _, listed, name_key, ngettext, os_reason
from kamtool.load.cut_text import cut_values
from kamtool.load.ids import is_slug, shown_name, slug_advice
from kamtool.load.structural import STRUCTURAL_RULES  # noqa: F401  (declares KAM001-KAM006)
from kamtool.load.yamlread import (
    COMMENT_FOLD,
    Document,
    Path_,
    YamlData,
    YamlError,
    yaml_lines,
)
from kamtool.rule import REGISTRY as RULES

if TYPE_CHECKING:
    import datetime as dt

    from pydantic import ValidationError

    from kamtool.load.config import Config
    from kamtool.load.models import (
        AccountFile,
        KamModel,
        LogFile,
        OrgFile,
        Stakeholder,
        StakeholdersFile,
        TargetsFile,
    )

FILE_NAMES = {
    "account": "account.yaml",
    "stakeholders": "stakeholders.yaml",
    "org": "org.yaml",
    "targets": "targets.yaml",
    "log": "log.yaml",
}
REQUIRED = ("account", "stakeholders")
_SUPPRESS_RE = re.compile(r"#\s*kam:\s*disable=([A-Za-z0-9_, ]+)")


def _disable_comment(line: str) -> re.Match[str] | None:
    """The ``# kam: disable=`` comment of ``line`` (``_SUPPRESS_RE``), its full-width
    characters read as ASCII (``COMMENT_FOLD``)."""
    if not line.isascii():
        line = line.translate(COMMENT_FOLD)
    return _SUPPRESS_RE.search(line) if "kam:" in line else None


def _may_disable(text: str) -> bool:
    """Whether ``text`` may hold a ``# kam: disable=`` comment (a quick look at the whole
    file first: most files hold none)."""
    return "kam:" in text or "kam：" in text or "ｋａｍ" in text


@dataclass
class SourceFile:
    """One loaded file; its path on disk is the account's folder joined with its name."""

    kind: str
    display: str
    doc: Document | None = None
    suppress: dict[int, frozenset[str]] = field(default_factory=dict)


def silenced_at(suppress: dict[int, frozenset[str]], code: str, line: int) -> bool:
    """Whether a ``# kam: disable=`` comment on ``line`` or on the line above it silences
    ``code`` (``suppress``: a file's comments, ``SourceFile.suppress``)."""
    return code in suppress.get(line, ()) or code in suppress.get(line - 1, ())


@dataclass
class Account:
    """One customer folder: its files, its validated models and its load findings."""

    id: str
    folder: Path
    display: str
    files: dict[str, SourceFile] = field(default_factory=dict)
    #: account.yaml: the profile and the grading inputs (None when it is missing or unreadable)
    profile: AccountFile | None = None
    stakeholders: list[Stakeholder] = field(default_factory=list)
    org: OrgFile | None = None
    targets: TargetsFile | None = None
    log: LogFile | None = None  # None when the account has no log.yaml
    #: kinds of the files that are there but gave no model (not YAML, not a mapping, or
    #: nothing salvageable from the schema): their empty model above says nothing about
    #: what they hold, so `kam diff` does not read "no people" as "everyone removed"
    unread: frozenset[str] = frozenset()
    findings: list[Finding] = field(default_factory=list)
    #: (file kind, list key) -> the file's index of each entry read, when entries that
    #: failed the schema were left out (see ``_salvage``)
    renumbered: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    #: (file kind, list key) -> ids of the entries left out (names, for competitors), each
    #: with its index in the file: references to them are not reported as broken while the
    #: entries themselves are being fixed, and an entry read beside one of the same id is
    #: still a duplicate
    dropped_ids: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    #: (file kind, list key) -> the entries left out, as the file holds them (mappings of
    #: its keys): ``kam diff`` tells an entry that stopped loading (a typo in a log entry's
    #: ``kind``, a goal's level) from one removed, also in lists whose entries have no id
    dropped_entries: dict[tuple[str, str], list[dict[str, YamlData]]] = field(default_factory=dict)
    #: the structure checks (``check_structure``: references, duplicates, cycles, the id)
    #: have run and their findings are in ``findings``: the loader sets it; an Account a
    #: program builds from models has it False, and ``kamtool.core.analyse`` runs them
    checked: bool = False
    #: ``person_name``'s index of the people (which list it was made for, people by id,
    #: the ids of people whose name another shares); not copied by ``dataclasses.replace``
    _people: tuple[tuple[int, int], dict[str, Stakeholder], frozenset[str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def file_model(self, kind: str) -> KamModel | None:
        """The model read from one file kind of ``FILE_NAMES`` other than stakeholders
        (held as a list of people): ``account`` is the profile."""
        return {
            "account": self.profile,
            "org": self.org,
            "targets": self.targets,
            "log": self.log,
        }.get(kind)

    def person_name(
        self, pid: str | None, *, left_by: dt.date | None = None, with_id: bool = False
    ) -> str:
        """A person of this account as every output names them: their name, with their id
        when someone else in the account has the same name (two 张伟: "张伟（zhang.wei2）",
        "Zhang Wei (zhang.wei2)"), the id when nobody here has it ("-" for none). With
        ``left_by``, a person who has left by that day says so ("陈刚（2026-04-30 离开）"),
        where a plan would otherwise show them as current. The one place that decides how a
        person is named among others of the same name. ``with_id``: with the id whatever
        the name, once (a list of the people an import changed)."""
        if not pid:
            return "-"
        key = (id(self.stakeholders), len(self.stakeholders))
        if self._people is None or self._people[0] != key:  # once per list of people
            by_id = {p.id: p for p in self.stakeholders}
            # one key a person; the ids of those whose key another person shares
            keys = [(p.id, name_key(p.name)) for p in self.stakeholders]
            counts = Counter(k for _pid, k in keys)
            shared_ids = frozenset(i for i, k in keys if counts[k] > 1)
            self._people = (key, by_id, shared_ids)
        _key, by_id, shared_ids = self._people
        person = by_id.get(pid)
        if person is None:
            return pid
        name = " ".join(person.name.split()) or pid
        shared = (with_id and name != pid) or pid in shared_ids
        text = _("{name} ({id})").format(name=name, id=pid) if shared else name
        if left_by is not None and person.left_on is not None and person.left_on <= left_by:
            text += _(" (left {date})").format(date=person.left_on.isoformat())
        return text

    def relationship_owner(self, person: Stakeholder | None = None) -> str | None:
        """Who on our side owns the relationship with ``person``, the one to act when it
        needs a contact or a review: the person's `owner`, else the account's `owner` (the
        account manager holds every relationship not given to someone else, as `kam log`
        records a contact by them when no `--by` is given). For no person, the account's
        owner; None only when account.yaml could not be read. `kam stale`, the agenda and
        the freshness findings' `owner` all ask here; the plan and the power map show the
        person's own `owner` field ("-" when unset: KAM104 says it is missing)."""
        if person is not None and person.owner:
            return person.owner
        return self.profile.owner if self.profile is not None else None

    def as_of(self, today: dt.date) -> Account:
        """This account as of ``today``: a person whose ``left_on`` is still ahead has not
        left yet (an announced departure, KAM120), so drawings that split people into
        current and left (the power map) see them as current. The rest is shared."""
        import dataclasses

        if not any(p.left_on is not None and p.left_on > today for p in self.stakeholders):
            return self
        people = [
            p.model_copy(update={"left_on": None})
            if p.left_on is not None and p.left_on > today
            else p
            for p in self.stakeholders
        ]
        return dataclasses.replace(self, stakeholders=people)

    def with_distinct_names(self) -> Account:
        """This account with each person named as every drawing, table and agenda line
        of one account shows them (``person_name``): by name, and "Maria Silva
        (maria-silva-ops)" where another person of the account has the same name: two
        boxes, rows or lines named "Maria Silva" read as one person. The account itself
        when no two share a name. The rest is shared."""
        import dataclasses

        shown = {p.id: self.person_name(p.id) for p in self.stakeholders}
        if all(shown[p.id] == p.name for p in self.stakeholders):
            return self
        people = [
            p if shown[p.id] == p.name else p.model_copy(update={"name": shown[p.id]})
            for p in self.stakeholders
        ]
        return dataclasses.replace(self, stakeholders=people)

    def drop_people(self) -> None:
        """Forget the people, and ``person_name``'s index of them, for a result a command
        will not read them from: a worker sends back less (the index alone made 50,000
        models travel back on 2,000 accounts, +40% processor time for `kam check`)."""
        self.stakeholders = []
        self._people = None

    def release_sources(self) -> None:
        """Drop parse trees once analysed: findings carry their positions already."""
        for src in self.files.values():
            src.doc = None

    @property
    def valid(self) -> bool:
        return self.profile is not None and not any(f.severity == "error" for f in self.findings)

    def file_display(self, kind: str) -> str:
        if kind in self.files:
            return self.files[kind].display
        return _join_display(self.display, FILE_NAMES[kind])

    def position(self, kind: str, path: Path_, *, key: bool = False) -> tuple[int, int]:
        src = self.files.get(kind)
        if src is None or src.doc is None:
            return (1, 1)
        if self.renumbered and len(path) > 1 and (kind, str(path[0])) in self.renumbered:
            # a list read without its unreadable entries: back to the file's own numbering
            original = self.renumbered[(kind, str(path[0]))]
            path = (path[0], original[int(path[1])], *path[2:])
        return src.doc.position(path, key=key)

    def silences(self, code: str, kind: str, path: Path_, *, key: bool = False) -> bool:
        """Whether a ``# kam: disable=CODE`` comment silences a finding of ``code`` at
        ``path`` of the ``kind`` file (where ``finding`` would put it): for what follows a
        rule without being one of its findings (the agenda's steps)."""
        src = self.files.get(kind)
        if src is None or not src.suppress:
            return False
        return silenced_at(src.suppress, code, self.position(kind, path, key=key)[0])

    def finding(
        self,
        code: str,
        kind: str,
        path: Path_,
        message: str,
        *,
        key: bool = False,
        severity: str | None = None,
        hint: str | None = None,
        data: dict[str, FindingValue] | None = None,
    ) -> Finding:
        rule = RULES[code]
        src = self.files.get(kind)
        if src is not None and src.doc is not None:  # the frequent case, without detours
            if self.renumbered:  # a list read without its unreadable entries
                line, col = self.position(kind, path, key=key)
            else:
                line, col = src.doc.position(path, key=key)
            display = src.display
        else:
            line, col = 1, 1
            display = self.file_display(kind)
        return Finding(
            code,
            severity or rule.severity,
            display,
            line,
            col,
            message,
            hint if hint is not None else _(rule.hint),
            self.id,
            data or {},
        )


def _repeats(keys: Iterable[Hashable | None]) -> Iterator[tuple[int, int]]:
    """(index, index of the first with the same key) of each entry whose key an earlier
    entry has; entries without a key (None) repeat nothing."""
    first: dict[Hashable, int] = {}
    for i, key in enumerate(keys):
        if key is not None and first.setdefault(key, i) != i:
            yield i, first[key]


def _join_display(folder: str, name: str) -> str:
    return name if folder in ("", ".") else f"{folder}/{name}"


def display_path(path: Path, cwd: Path | None = None) -> str:
    """POSIX path relative to the working directory: below it as ``a/b``, elsewhere in the
    same git repository as ``../a/b`` (run from inside one account folder, the other
    accounts are ``../acme/...``, as git and compilers print them, and never this
    machine's absolute path, which CI formats would then carry); absolute only for a path
    outside the working directory's repository (or outside it, with no repository)."""
    from kamtool.load.locate import git_root

    cwd = (cwd or Path.cwd()).absolute()
    full = path.absolute()
    try:
        return full.relative_to(cwd).as_posix() or "."
    except ValueError:
        pass
    repo = git_root(cwd)
    if repo is not None and full.is_relative_to(repo):
        return Path(os.path.relpath(full, cwd)).as_posix()
    return full.as_posix()


# ---------------------------------------------------------------- discovery
def is_account_folder(path: Path) -> bool:
    """Whether ``path`` holds any of the account files (a link counts, even a broken one).
    A folder this user may not look into is taken for one (its load says it cannot be
    read), rather than raising PermissionError."""
    for name in FILE_NAMES.values():
        try:
            os.lstat(path / name)
        except FileNotFoundError:
            continue
        except PermissionError:
            return os.path.isdir(path)
        except OSError:
            continue
        return True
    return False


def unreadable_folder(folder: Path, exc: OSError) -> UsageError:
    """The one-line error for a folder of accounts that cannot be listed (permissions)."""
    return UsageError(
        _("cannot read the folder {folder}: {reason}").format(
            folder=display_path(folder), reason=os_reason(exc)
        )
    )


def discover(paths: Iterable[Path], accounts: Collection[Path] = ()) -> list[Path]:
    """Account folders named by the paths: an account folder, or a folder of them;
    ``accounts`` are paths known to be account folders (folders of the accounts folder),
    read as accounts whatever they hold."""
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        if not p.exists():
            raise UsageError(_("no such file or folder: {arg}").format(arg=p))
        if p.is_file():
            p = p.parent
        if p in accounts or is_account_folder(p):
            found = [(p, p.resolve())]
        else:
            real = p.resolve()
            try:
                with os.scandir(p) as entries:  # one directory read; no resolve but links
                    folders = [
                        (e.name, e.is_symlink())
                        for e in entries
                        if not e.name.startswith((".", "_")) and _is_folder(e)
                    ]
            except OSError as exc:  # a folder this user may not list
                raise unreadable_folder(p, exc) from None
            # in the order of their paths (the same as the names' order but for a
            # case-insensitive file system), sorted on strings rather than Path objects
            folders.sort(key=lambda item: os.path.normcase(item[0]))
            found = []
            for name, link in folders:
                child = p / name
                found.append((child, child.resolve() if link else real / name))
        for c, key in found:
            if key not in seen:
                seen.add(key)
                out.append(c)
    return out


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether a folder's entry is a folder (or a link to one). A link that leads nowhere
    is none, whether it dangles or loops (``loop1 -> loop2 -> loop1``): a loop made
    ``is_dir`` raise, which stopped the run as "cannot read the folder accounts"."""
    try:
        return entry.is_dir()
    except OSError:
        return False


# ---------------------------------------------------------------- reading
def read_text(path: Path, base: Path | None, max_bytes: int) -> tuple[str | None, YamlError | None]:
    """Bytes -> text, refusing what a file must not be, with a position for decode errors."""
    got = read_if_present(path, base, max_bytes)
    if got is None:
        return None, YamlError(_("cannot read the file: No such file or directory"))
    return got


def read_if_present(
    path: Path | str, base: Path | None, max_bytes: int, *, folder_closed: bool = False
) -> tuple[str | None, YamlError | None] | None:
    """As read_text, or None when nothing (not even a broken link) is at ``path``.
    ``folder_closed``: raise PermissionError when the folder holding it may not be looked
    into (``load_account`` reports the folder once, not each file it might hold).

    One lstat for a plain file: a portfolio of 2,000 accounts reads 8,000 files."""
    name = os.fspath(path)
    try:
        info = os.lstat(name)
    except FileNotFoundError:
        return None
    except PermissionError as exc:
        if folder_closed:  # the folder may not be looked into: the caller says so once
            raise
        return None, _unreadable(_("cannot read the file: {reason}"), exc)
    except OSError as exc:
        return None, _os_error(exc)
    try:
        if stat.S_ISLNK(info.st_mode):
            # realpath, not Path.resolve: a link loop (account.yaml -> account.yaml) made
            # resolve raise RuntimeError, which ended the whole run as an internal error
            target = Path(os.path.realpath(name))
            if base is not None and not _inside(target, base.resolve()):
                return None, YamlError(
                    _("symbolic link pointing outside the repository: not followed"),
                    hint=_link_out_hint(),
                )
            try:
                info = os.stat(name)
            except OSError as exc:  # a dangling link or a loop: the system says which
                return None, _os_error(exc, link=True)
        if stat.S_ISDIR(info.st_mode):
            return None, YamlError(
                _("this is a folder, but a YAML file is expected here"), hint=_not_a_file_hint()
            )
        if not stat.S_ISREG(info.st_mode):
            return None, YamlError(_("not a regular file"), hint=_not_a_file_hint())
        too_big = size_error(info.st_size, max_bytes)
        if too_big is not None:
            return None, too_big
        raw = _read_bytes(name, info.st_size, max_bytes + 1)
    except PermissionError as exc:
        return None, _unreadable(_("cannot read the file: {reason}"), exc)
    except OSError as exc:
        return None, _os_error(exc)
    return decode(raw)


def _link_out_hint() -> str:
    return _(
        "kam follows no symbolic link out of the repository (a review would not see what "
        "it reads): put the file itself in the repository, or run kam where the link "
        "stays inside it."
    )


def _not_a_file_hint() -> str:
    return _(
        "Put the account's YAML file itself under this name: kam reads regular files, "
        "not folders, pipes or devices."
    )


def _os_error(exc: OSError, *, link: bool = False) -> YamlError:
    """KAM001 for a file the system would not read (not a permission: ``_unreadable``):
    the system's reason, and, for a symbolic link that leads nowhere, to mend or remove
    it rather than KAM001's advice on YAML."""
    hint = (
        _(
            "The symbolic link leads to no file (its target was moved or removed, or links "
            "lead in a circle): point it at the file, or put the file itself here."
        )
        if link
        else _(
            "The system refused to read the file: check the disk and the file, then run kam again."
        )
    )
    return YamlError(_("cannot read the file: {reason}").format(reason=os_reason(exc)), hint=hint)


def _unreadable(message: str, exc: OSError) -> YamlError:
    """KAM001 for a file or an account folder the user running kam may not read: the
    system's reason, and what to do about it rather than KAM001's advice on YAML."""
    return YamlError(
        message.format(reason=os_reason(exc)),
        hint=_(
            "kam reads the files as the user it runs as: give that user permission to read "
            "them (and to open their folder), or run kam as a user who may."
        ),
    )


#: flags of the one ``os.open`` a file is read with (binary on Windows too)
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_bytes(name: str, size: int, limit: int) -> bytes:
    """The first ``limit`` bytes of the file, read through its descriptor: one read of
    the ``size`` it had when it was looked at (and a byte more, to see it grew), without
    the buffered file object ``open`` builds (about 4 us a file, 8,000 files a portfolio)."""
    fd = os.open(name, _READ_FLAGS)
    try:
        raw = os.read(fd, min(size + 1, limit))
        if len(raw) > size or len(raw) < min(size, limit):  # it grew, or a short read
            parts = [raw]
            got = len(raw)
            while got < limit:
                more = os.read(fd, min(limit - got, 1 << 20))
                if not more:
                    break
                parts.append(more)
                got += len(more)
            raw = b"".join(parts)
    finally:
        os.close(fd)
    return raw


def size_error(size: int, max_bytes: int) -> YamlError | None:
    if size > max_bytes:
        return YamlError(
            _(
                "file is {size:,} bytes, over the limit of {limit:,} bytes (max_file_size in kam.yaml)"
            ).format(size=size, limit=max_bytes),
            hint=_(
                "An account file this large is most likely not one kam should read (an "
                "export, a log pasted in): split it, or raise max_file_size in kam.yaml."
            ),
        )
    return None


def decode(raw: bytes) -> tuple[str | None, YamlError | None]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in raw[:4] and _utf16(raw)):
        return None, YamlError(
            _("file is UTF-16, not UTF-8: save it as UTF-8"),
            hint=_(
                'Windows programs (Notepad\'s "Unicode", Excel\'s "Unicode text") save '
                'UTF-16: open the file, choose Save As, and pick the encoding "UTF-8".'
            ),
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        from kamtool.load.csvimport import ENCODING_LABELS, legacy_encoding

        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        legacy = legacy_encoding(raw)
        if legacy is None:
            message = _("not valid UTF-8 (byte 0x{byte:02x}): save the file as UTF-8")
        else:  # Notepad's "ANSI": GBK on a Chinese Windows, Windows-1252 on a Western one
            message = _(
                "not valid UTF-8 (byte 0x{byte:02x}): the file reads as {encoding} (what "
                'Windows calls "ANSI"): save it as UTF-8'
            )
        return None, YamlError(
            message.format(
                byte=raw[exc.start],
                encoding="GBK" if legacy == "gb18030" else ENCODING_LABELS.get(legacy or "", ""),
            ),
            line,
            col,
        )
    return text, None


def _utf16(raw: bytes) -> bool:
    """UTF-16 without a byte order mark (``csvimport.utf16_without_bom``, imported only for
    a file that starts with a NUL byte): said so, not "control character #x0000" at 1:2."""
    from kamtool.load.csvimport import utf16_without_bom

    return utf16_without_bom(raw) is not None


def _inside(path: Path, base: Path) -> bool:
    try:
        path.relative_to(base)
        return True
    except ValueError:
        return False


def suppressions(text: str) -> dict[int, frozenset[str]]:
    """Line number -> codes silenced there by ``# kam: disable=KAM106,KAM105 -- reason``."""
    if not _may_disable(text):
        return {}
    out: dict[int, frozenset[str]] = {}
    for number, line in enumerate(yaml_lines(text), start=1):
        m = _disable_comment(line)
        if m:
            codes = frozenset(c.strip().upper() for c in m.group(1).split(",") if c.strip())
            out[number] = codes
    return out


def unknown_disable_codes(text: str, display: str, account_id: str) -> list[Finding]:
    """KAM007 for each code of a ``# kam: disable=`` comment that names no rule, at the
    code, with the code it most likely means."""
    from kamtool.catalogue import code_meant
    from kamtool.errors import did_you_mean

    out = []
    for number, line in enumerate(yaml_lines(text), start=1):
        m = _disable_comment(line)
        if m is None:
            continue
        start = m.start(1)
        for piece in re.finditer(r"[^,]+", m.group(1)):
            code = piece.group().strip()
            if not code or code.upper() in RULES:
                continue
            column = start + piece.start() + (len(piece.group()) - len(piece.group().lstrip()))
            message = _("{code!r} in this `# kam: disable=` comment is no rule code").format(
                code=code
            ) + did_you_mean(code_meant(code), RULES)
            out.append(_f("KAM007", display, number, column + 1, message, account_id))
    return out


def parse_document(text: str) -> Document:
    from kamtool.load.yamlread import parse

    return parse(text)


# ---------------------------------------------------------------- one account
def load_account(
    folder: Path,
    config: Config,
    base: Path | None = None,
    cwd: Path | None = None,
    replaced: dict[str, str] | None = None,
) -> Account:
    """Load one account folder from disk.

    ``base`` is the repository root: nothing is read through a symbolic link (a file's
    or a folder's) that leads out of it. A folder outside ``base`` (named on the command
    line) is held to its own repository, or to its parent folder outside git.
    ``replaced`` maps a file's name to the text read in place of the disk's: the account
    as a write would leave it, checked before the write lands (``guard.refuse_unfixed``)."""
    # kam's own folders are absolute and normalised (``account_folders``): their checks
    # are string operations on what was worked out once a run; any other path goes the
    # general way, with the same results
    here = _plain(folder)
    root = _plain_once(os.fspath(base)) if here is not None and base is not None else None
    if base is not None:
        if root is not None and here is not None and _within(here, root):
            inside = _within(_real_text(here), _real_text(root))
        else:
            base = _base_for_folder(folder, base)
            inside = _inside(_real(folder), _real(base))
        if not inside:
            return linked_out(
                folder, shown_name(folder.name), shown_name(display_path(folder, cwd))
            )
    where = os.fspath(folder)
    # the first file is read here: a folder this user may not look into is one finding
    # (KAM001 on the folder), not one for each file it might hold, "required file
    # missing" among them; no file is looked at twice
    first = FILE_NAMES["account"]
    try:
        read_first = read_if_present(
            os.path.join(where, first), base, config.max_file_size, folder_closed=True
        )
    except PermissionError as exc:
        return _closed_folder(folder, display_path(folder, cwd), exc)

    def read(name: str) -> tuple[str | None, YamlError | None] | None:
        if replaced is not None and name in replaced:
            text = replaced[name]  # held to the size a file on disk is held to
            return text, size_error(len(text.encode("utf-8")), config.max_file_size)
        if name == first:
            return read_first
        return read_if_present(os.path.join(where, name), base, config.max_file_size)

    def siblings() -> list[str]:
        # asked for each account without log.yaml or targets.yaml (a misnamed one?):
        # scandir's entries know their type without a stat each, as Path.iterdir's do not
        try:
            with os.scandir(where) as entries:
                return [e.name for e in entries if e.is_file()]
        except OSError:
            return []

    display = _display_below(here, cwd)
    if display is None:
        display = display_path(folder, cwd)
    acct = build_account(folder, display, read, siblings, config)
    if not acct.files:  # none of the account files: perhaps a folder of accounts
        nested = nested_accounts(folder)
        if nested:
            acct.findings = [_grouping_folder(acct, nested)]
    return acct


def _closed_folder(folder: Path, display: str, exc: PermissionError) -> Account:
    """An account whose folder this user may not look into (``chmod 000``): one KAM001
    on the folder."""
    acct = Account(id=shown_name(folder.name), folder=folder, display=shown_name(display))
    err = _unreadable(_("cannot read the account folder: {reason}"), exc)
    acct.findings.append(_f("KAM001", acct.display, 1, 1, err.message, acct.id, err.hint))
    acct.checked = True
    return acct


def nested_accounts(folder: Path) -> list[str]:
    """The account folders directly inside ``folder`` (a region or team folder)."""
    try:
        children = sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:
        return []
    return [p.name for p in children if is_account_folder(p)]


def _grouping_folder(acct: Account, nested: list[str]) -> Finding:
    """One finding for a folder of accounts inside the accounts folder (``apac/keio``),
    instead of two "required file missing" that send the user to create files there."""
    import dataclasses

    shown = listed(nested, shown=3)
    found = _f(
        "KAM006",
        acct.display,
        1,
        1,
        ngettext(
            "{folder} is not an account but holds {n} account folder ({names}): kam reads "
            "account folders directly inside the accounts folder, so it is not read; move "
            "it up one level",
            "{folder} is not an account but holds {n} account folders ({names}): kam reads "
            "account folders directly inside the accounts folder, so they are not read; "
            "move them up one level",
            len(nested),
        ).format(folder=acct.id, n=len(nested), names=shown),
        acct.id,
    )
    hint = _("Move the account folders into the accounts folder itself (one level).")
    return dataclasses.replace(found, hint=hint)


def build_account(
    folder: Path,
    display: str,
    read: Callable[[str], tuple[str | None, YamlError | None] | None],
    siblings: Callable[[], list[str]],
    config: Config,
    parse: Callable[[str], Document] | None = None,
    validated: dict[tuple[str, str], KamModel] | None = None,
) -> Account:
    """Files -> models and structural findings; ``read(name)`` gives (text, error) or None
    when the file does not exist, so the same code loads from disk or from a git revision.
    ``parse`` replaces ``parse_document`` (kam history passes one that parses each text once).
    ``validated`` maps (file kind, text) to the model that text validated into: a caller that
    builds the same file twice (kam diff, both sides of an account) validates it once. Only
    a file that validates cleanly is kept there; the model is read, never changed, by what
    follows, so both accounts may share it."""
    from pydantic import ValidationError

    from kamtool.load.fastvalidate import validate
    from kamtool.load.models import FILE_MODELS

    # a folder's name as shown: a control character in it never reaches an output
    display = shown_name(display)
    acct = Account(id=shown_name(folder.name), folder=folder, display=display)
    models: dict[str, KamModel] = {}
    others: list[str] | None = None  # the folder's files, listed once, when one is missing

    def listing() -> list[str]:
        nonlocal others
        if others is None:
            others = sorted(siblings())
        return others

    def misnamed(name: str) -> str | None:
        return next((o for o in listing() if meant_name(o) == name), None)

    def near(name: str) -> str | None:
        """A file under a name like a required file's, for its "did you mean" (an
        account-old.yaml where account.yaml is missing): only a hint, so looser than
        ``meant_name``, which makes a finding of its own."""
        found = misnamed(name)
        if found is None:
            close = difflib.get_close_matches(name, listing(), n=1, cutoff=0.75)
            found = close[0] if close else None
        return found

    for kind, name in FILE_NAMES.items():
        got = read(name)
        if got is None:
            if kind in REQUIRED:
                acct.findings.append(_missing_file(acct, near(name), kind))
            else:
                found = misnamed(name)
                if found is not None:
                    acct.findings.append(_misnamed_file(acct, found, name))
            continue
        src = SourceFile(kind=kind, display=_join_display(display, name))
        acct.files[kind] = src
        text, err = got
        if err is None and text is not None:
            src.suppress = suppressions(text)
            if src.suppress:
                acct.findings.extend(unknown_disable_codes(text, src.display, acct.id))
            try:
                src.doc = (parse or parse_document)(text)
            except YamlError as exc:
                from kamtool.load.slips import explain

                err = explain(text, exc)
            else:
                acct.findings.extend(
                    _f("KAM008", src.display, line, col, message, acct.id)
                    for line, col, message in cut_values(text, src.doc)
                )
        if err is not None:
            acct.findings.append(
                _f("KAM001", src.display, err.line, err.column, err.message, acct.id, err.hint)
            )
            continue
        doc = src.doc
        assert doc is not None
        if doc.data is None:
            if kind in REQUIRED:
                acct.findings.append(
                    _f(
                        "KAM001",
                        src.display,
                        1,
                        1,
                        (
                            _(
                                "{name} holds only comments, which is an empty file to kam: "
                                "it needs at least its required keys"
                            )
                            if text is not None and text.strip()
                            else _("{name} is empty: it needs at least its required keys")
                        ).format(name=name),
                        acct.id,
                        _empty_hint(kind),
                    )
                )
            else:
                models[kind] = FILE_MODELS[kind]()
            continue
        if not isinstance(doc.data, dict):
            from kamtool.load.slips import full_width_keys

            wide = full_width_keys(text) if isinstance(doc.data, str) and text else None
            acct.findings.append(
                _f("KAM001", src.display, wide.line, wide.column, wide.message, acct.id)
                if wide is not None
                else _f(
                    "KAM002",
                    src.display,
                    *doc.position(()),
                    _("{name} must be a mapping of keys at the top level").format(name=name),
                    acct.id,
                )
            )
            continue
        model = FILE_MODELS[kind]
        assert text is not None
        reused = validated.get((kind, text)) if validated is not None else None
        if reused is not None:
            models[kind] = reused
            continue
        try:
            models[kind] = validate(model, doc.data)
            if validated is not None:
                validated[(kind, text)] = models[kind]
        except ValidationError as exc:
            from kamtool.load.schema_errors import schema_problems

            for (line, col), msg in schema_problems(model, doc, exc, text):
                acct.findings.append(_f("KAM002", src.display, line, col, msg, acct.id))
            salvaged = _salvage(model, doc.data, exc)
            if salvaged is not None:  # the readable entries, for the structure checks below
                models[kind], kept, dropped = salvaged
                acct.renumbered.update({(kind, k): v for k, v in kept.items()})
                acct.dropped_ids.update({(kind, k): v for k, v in dropped.items()})
                for key, read_at in kept.items():
                    entries = doc.data[key]
                    assert isinstance(entries, list)  # _salvage kept entries of a list
                    left_out = set(range(len(entries))) - set(read_at)
                    acct.dropped_entries[(kind, key)] = [
                        e for i, e in enumerate(entries) if i in left_out and isinstance(e, dict)
                    ]
    # each kind's model is FILE_MODELS[kind] (validated above)
    acct.profile = cast("AccountFile | None", models.get("account"))
    sh = cast("StakeholdersFile | None", models.get("stakeholders"))
    acct.stakeholders = list(sh.stakeholders) if sh is not None else []
    acct.org = cast("OrgFile | None", models.get("org"))
    acct.targets = cast("TargetsFile | None", models.get("targets"))
    acct.log = cast("LogFile | None", models.get("log"))
    acct.unread = frozenset(kind for kind in acct.files if kind not in models)
    if not is_slug(folder.name):
        # not the rule's hint ("make id equal the folder name"): that copies the bad name
        acct.findings.append(
            Finding(
                "KAM006",
                RULES["KAM006"].severity,
                display,
                1,
                1,
                _("folder name {name!r} is not a valid account id").format(name=folder.name)
                + _folder_advice(folder.name, acct.profile),
                _(
                    "Rename the folder to a valid id (lowercase latin letters, digits, '.', "
                    "'_' and '-', starting with a letter or digit) and write the same id "
                    "under `id` in account.yaml."
                ),
                acct.id,
            )
        )
    if acct.profile is not None or sh is not None:
        # every problem in one pass (SPEC 7): references, duplicates and cycles of the
        # entries and files that could be read, beside the errors of the others (a bad
        # date in account.yaml hid a reporting cycle in stakeholders.yaml)
        acct.findings.extend(check_structure(acct, config))
    acct.checked = True
    acct.findings.sort(key=Finding.sort_key)
    return acct


def checked(acct: Account, config: Config) -> Account:
    """An account as the loader would give it: a copy of one a program built from models,
    with the findings of ``check_structure`` (and a missing profile: KAM006, as a missing
    account.yaml), so it is analysed as ``kam check`` analyses the same data read from
    files; an account from the loader is returned as it is."""
    if acct.checked:
        return acct
    found = list(acct.findings)
    if acct.profile is None:
        found.append(_missing_file(acct, None, "account"))
    found.extend(check_structure(acct, config))
    found.sort(key=Finding.sort_key)
    return dataclasses.replace(acct, findings=found, checked=True)


#: the key other entries name a list's entries by, where it is not ``id``: a stakeholder's
#: or a footprint cell's ``competitor`` names an account.yaml competitor by its ``name``
_REFERENCED_BY = {"competitors": "name"}


def _salvage(
    model: type[KamModel], data: dict[str, YamlData], exc: ValidationError
) -> tuple[KamModel, dict[str, list[int]], dict[str, dict[str, int]]] | None:
    """The file's model without the list entries that failed the schema, so references,
    duplicates and cycles of the others are still checked (SPEC 7, every problem in one
    pass); None when an error lies outside a top-level list's entries."""
    from pydantic import ValidationError

    from kamtool.load.fastvalidate import validate

    bad: dict[str, set[int]] = {}
    for err in exc.errors(include_url=False):
        loc = err["loc"]
        if len(loc) < 2 or not isinstance(loc[0], str) or not isinstance(loc[1], int):
            return None
        if not isinstance(data.get(loc[0]), list):
            return None
        bad.setdefault(loc[0], set()).add(loc[1])
    trimmed = dict(data)
    kept: dict[str, list[int]] = {}
    dropped: dict[str, dict[str, int]] = {}
    for key, indices in bad.items():
        items = data[key]
        kept[key] = [i for i in range(len(items)) if i not in indices]
        trimmed[key] = [items[i] for i in kept[key]]
        named_by = _REFERENCED_BY.get(key, "id")
        dropped[key] = {
            str(items[i][named_by]): i
            for i in sorted(indices, reverse=True)  # the first of a repeated id wins
            if isinstance(items[i], dict) and isinstance(items[i].get(named_by), str)
        }
    try:
        return validate(model, trimmed), kept, dropped
    except ValidationError:
        return None


def _folder_advice(name: str, profile: AccountFile | None) -> str:
    """What to name a folder whose name is no id: the id its account.yaml gives, when that
    is one, else what ``slug_advice`` says of the name (pinyin for Chinese, lowercase)."""
    if profile is not None and isinstance(profile.id, str) and is_slug(profile.id):
        return _(" (its account.yaml has id {id!r}: rename the folder to that)").format(
            id=profile.id
        )
    return slug_advice(name, "account")


def linked_out(folder: Path, account_id: str, display: str) -> Account:
    """An account folder that is a symbolic link leading outside the repository: not read,
    one KAM006 at the folder (``kam check``, and ``kam diff`` on the working tree, whose
    ``LINKED_OUT`` marks such a folder)."""
    acct = Account(id=account_id, folder=folder, display=display)
    acct.findings.append(
        _f(
            "KAM006",
            display,
            1,
            1,
            _("this account folder is a symbolic link leading outside the repository: not read"),
            account_id,
            hint=_(
                "Put the account's folder itself in the repository in place of the "
                "link, or delete the link: kam reads only what the repository holds, "
                "so that a pull request cannot point it at other files."
            ),
        )
    )
    acct.checked = True
    return acct


#: the one entry of a working tree's account folder that links outside the repository, in
#: place of its files (``kam diff``): a name no file can have
LINKED_OUT: Final = "\0linked-out"


def _f(
    code: str,
    path: str,
    line: int,
    col: int,
    message: str,
    account: str | None,
    hint: str = "",
) -> Finding:
    """A finding of ``code`` with ``hint`` (the rule's general hint when empty)."""
    rule = RULES[code]
    return Finding(code, rule.severity, path, line, col, message, hint or _(rule.hint), account)


def _empty_hint(kind: str) -> str:
    """KAM001's advice for an empty required file: the keys to write first (its required
    ones; all of its top-level keys when none is required on its own: `stakeholders`)."""
    from kamtool.load.models import FILE_MODELS

    fields = FILE_MODELS[kind].model_fields
    keys = [name for name, field in fields.items() if field.is_required()] or list(fields)
    return _(
        "Write at least {keys} in it (`kam schema` gives your editor every key and its "
        "type), or restore the file from git if it was emptied by mistake."
    ).format(keys=listed((f"`{k}`" for k in keys), "and"))


def meant_name(name: str) -> str | None:
    """The kam file (``FILE_NAMES``) a file of an account folder was meant to be, else
    None: ``targets.yml``, ``Targets.yaml``, ``stakeholder.yaml``, ``logs.yaml``. kam reads
    only the exact names, so such a file is read as no file at all (an account without
    targets looks like one that has none); the loader reports it (KAM006), and the git
    sides of kam diff and kam history keep it (``gitio.group_accounts``) so that they do.

    KAM006 is an error no setting turns off, so only a name that can be nothing but a
    slip counts: kam's name in other letter case or as ``.yml``, with an ``s`` added or
    dropped, or a typo in one of the long names (``acount``, ``stakeholdres``). A file
    of the user's own beside them (``blog.yaml``, ``catalog.yaml``, ``log-2024.yaml``,
    ``account-old.yaml``) is none of kam's business: a near spelling of the short names
    ``org`` and ``log`` is far too common among real names."""
    if name in _KAM_NAMES:
        return None
    stem, dot, ext = name.casefold().rpartition(".")
    if not dot or ext not in ("yaml", "yml"):
        return None
    for kam_stem, kam_name in _KAM_STEMS.items():
        if stem in (kam_stem, kam_stem + "s") or (kam_stem.endswith("s") and stem == kam_stem[:-1]):
            return kam_name
    near = difflib.get_close_matches(stem, _LONG_STEMS, n=1, cutoff=0.85)
    return _KAM_STEMS[near[0]] if near else None


_KAM_NAMES = frozenset(FILE_NAMES.values())
#: ``account`` -> ``account.yaml``: the stems ``meant_name`` compares a file's name with
_KAM_STEMS = {name.rpartition(".")[0]: name for name in FILE_NAMES.values()}
#: the stems long enough for a typo of them to be only a typo (not ``org``, ``log``)
_LONG_STEMS = [stem for stem in _KAM_STEMS if len(stem) >= 6]


def _missing_file(acct: Account, found: str | None, kind: str) -> Finding:
    """A required file that is not there. Its hint says what to do about the file, not the
    rule's own hint, which is about an ``id`` that differs from the folder name."""
    name = FILE_NAMES[kind]
    msg = _("required file {name} is missing").format(name=name)
    if found:
        msg += _(" (found {found}: did you mean {name}?)").format(found=found, name=name)
        hint = _("Rename {found} to {name}; kam reads only these file names: {names}.").format(
            found=found, name=name, names=listed(FILE_NAMES.values(), "and")
        )
    else:
        hint = _(
            "Create {name} in the account folder: every account needs account.yaml and "
            "stakeholders.yaml (`kam init ID` writes both, with comments, for a new account)."
        ).format(name=name)
    return _f("KAM006", _join_display(acct.display, name), 1, 1, msg, acct.id, hint)


def _misnamed_file(acct: Account, found: str, name: str) -> Finding:
    """An optional file under a name kam does not read (``targets.yml``): the account
    would read as if it had none, without a word."""
    return _f(
        "KAM006",
        _join_display(acct.display, found),
        1,
        1,
        _("{found} is not read: did you mean {name}?").format(found=found, name=name),
        acct.id,
        _("Rename {found} to {name}; kam reads only these file names: {names}.").format(
            found=found, name=name, names=listed(FILE_NAMES.values(), "and")
        ),
    )


def _id_mismatch(acct: Account) -> Finding:
    assert acct.profile is not None  # called only once account.yaml was read
    return acct.finding(
        "KAM006",
        "account",
        ("id",),
        _("id {id!r} differs from the folder name {acct_id!r}").format(
            id=acct.profile.id, acct_id=acct.id
        ),
    )


# ---------------------------------------------------------------- cross-file structure
def check_structure(acct: Account, config: Config) -> Iterator[Finding]:
    """KAM002 (cross-field), KAM003 references, KAM004 duplicates (ids, crm_id, footprint
    cells), KAM005 cycles, KAM006 id.

    A file that is there but could not be read (a syntax error, or a schema error outside
    a list's entries) says nothing about what it holds, and neither does a required file
    that is missing: references into it are not checked (``None`` below), so its own
    findings are not buried under "no such stakeholder" or "there is no org.yaml" for
    every reference to it. Everything else is checked all the same."""
    a = acct.profile
    if a is not None and a.id != acct.id and is_slug(acct.id):
        # (a folder name that is no id has its own finding, which says to rename it and
        # write the same id: "make id equal the folder name" would copy the bad name)
        yield _id_mismatch(acct)
    if a is not None and a.tier is not None and config.tier(a.tier) is None:
        names = listed(t.name for t in config.tiers)
        by_word = {t.name.lower(): t.name for t in config.tiers}
        by_word.update({(t.label or "").lower(): t.name for t in config.tiers if t.label})
        near = by_word.get(a.tier.strip().lower())
        yield acct.finding(
            "KAM002",
            "account",
            ("tier",),
            _("tier {tier!r} is not a defined tier ({names})").format(tier=a.tier, names=names)
            + (_(": did you mean {name!r}?").format(name=near) if near else ""),
        )
    if a is not None and a.tier is not None and not (a.tier_reason or "").strip():
        yield acct.finding(
            "KAM002",
            "account",
            ("tier",),
            _("a manual tier needs a tier_reason saying why"),
            key=True,
        )

    people = acct.stakeholders
    ids = _unique(acct, "stakeholders", "stakeholders", [p.id for p in people], N_("stakeholder"))
    yield from ids[1]
    # an account built from models (no files) holds the people it has
    people_read = (
        "stakeholders" in acct.files or not acct.files
    ) and "stakeholders" not in acct.unread
    person_ids = (
        ids[0] | acct.dropped_ids.get(("stakeholders", "stakeholders"), {}).keys()
        if people_read
        else None
    )
    units = acct.org.units if acct.org is not None else []
    u = _unique(acct, "org", "units", [x.id for x in units], N_("unit"))
    yield from u[1]
    unit_ids = (
        u[0] | acct.dropped_ids.get(("org", "units"), {}).keys()
        if "org" not in acct.unread
        else None
    )
    competitor_names = (
        {c.name for c in a.competitors}
        | acct.dropped_ids.get(("account", "competitors"), {}).keys()
        if a is not None
        else None
    )

    broken: list[Finding] = []

    def ref(
        kind: str,
        value: str | None,
        valid: set[str] | None,
        template: str,
        path: Path_,
        fallback: str | None = None,
        names: Callable[[], dict[str, str]] | None = None,
    ) -> None:
        """A KAM003 finding when ``value`` names nothing in ``valid``. ``template`` and
        ``fallback`` are untranslated (``N_``) texts, translated here, only for the rare
        reference that is broken; ``template`` names the value ``{value}`` and may use
        ``{listed}`` (the account's competitors). ``valid`` is None when the file it
        comes from could not be read: nothing is reported then. ``names`` (gives an
        entry's name -> its id) finds the entry a name written where its id goes means."""
        if value is not None and valid is not None and value not in valid:
            hint = _near_hint(value, valid, _(fallback) if fallback else None, names)
            message = _(template).format(value=value, listed=competitors())
            broken.append(acct.finding("KAM003", kind, path, message, hint=hint))

    def competitors() -> str:
        return listed(sorted(competitor_names or ())) or _("none listed")

    # a person or a unit named by its name where its id goes (``reports_to: 陈刚``): the
    # maps are built only for a broken reference, never for the sound accounts
    # names of the entries left out for a problem of their own (``atitude: 2``) too: the
    # reference written as such a person's name is still told the id to write
    def person_names() -> dict[str, str]:
        return _names_to_ids(
            [(p.name, p.id) for p in people] + _dropped_names(acct, "stakeholders", "stakeholders")
        )

    def unit_names() -> dict[str, str]:
        return _names_to_ids([(x.name, x.id) for x in units] + _dropped_names(acct, "org", "units"))

    if acct.org is not None:
        unknown_unit = N_("unit {value!r} does not exist: org.yaml has no such unit")
        unknown_cell_unit = N_("footprint unit {value!r} does not exist: org.yaml has no such unit")
    else:
        unknown_unit = N_("unit {value!r} does not exist: there is no org.yaml")
        unknown_cell_unit = N_("footprint unit {value!r} does not exist: there is no org.yaml")
    unknown_competitor = N_("competitor {value!r} is not in account.yaml competitors ({listed})")
    add_competitor = N_("Add it to `competitors` in account.yaml")
    for i, p in enumerate(people):
        # each reference is tested here before ``ref`` is called: nearly every one is
        # sound, and 2,000 accounts of 25 people made 200,000 calls, each building a
        # path and a message template for nothing
        if p.unit is not None and unit_ids is not None and p.unit not in unit_ids:
            ref(
                "stakeholders",
                p.unit,
                unit_ids,
                unknown_unit,
                ("stakeholders", i, "unit"),
                names=unit_names,
            )
        if p.reports_to is not None and person_ids is not None and p.reports_to not in person_ids:
            ref(
                "stakeholders",
                p.reports_to,
                person_ids,
                N_("reports_to {value!r}: no stakeholder has this id"),
                ("stakeholders", i, "reports_to"),
                names=person_names,
            )
        for j, other in enumerate(p.influences):
            if person_ids is not None and other not in person_ids:
                ref(
                    "stakeholders",
                    other,
                    person_ids,
                    N_("influences {value!r}: no stakeholder has this id"),
                    ("stakeholders", i, "influences", j),
                    names=person_names,
                )
        if (
            p.competitor is not None
            and competitor_names is not None
            and p.competitor not in competitor_names
        ):
            ref(
                "stakeholders",
                p.competitor,
                competitor_names,
                unknown_competitor,
                ("stakeholders", i, "competitor"),
                add_competitor,
            )
        if p.left_on is not None and p.in_post_since is not None and p.left_on < p.in_post_since:
            yield acct.finding(
                "KAM002",
                "stakeholders",
                ("stakeholders", i, "left_on"),
                _(
                    "{name} ({id}): left_on {left} is before in_post_since {since}: nobody "
                    "leaves a post before taking it; correct one of the dates"
                ).format(
                    name=p.name,
                    id=p.id,
                    left=p.left_on.isoformat(),
                    since=p.in_post_since.isoformat(),
                ),
            )
        if p.reports_to == p.id:
            yield acct.finding(
                "KAM005",
                "stakeholders",
                ("stakeholders", i, "reports_to"),
                _("{id!r} reports to themselves").format(id=p.id),
            )
    for i, unit in enumerate(units):
        ref(
            "org",
            unit.parent,
            unit_ids,
            N_("parent {value!r}: no unit has this id"),
            ("units", i, "parent"),
            names=unit_names,
        )
        if unit.parent == unit.id:
            yield acct.finding(
                "KAM005",
                "org",
                ("units", i, "parent"),
                _("unit {id!r} is its own parent").format(id=unit.id),
            )
    for i, need in enumerate(a.needs if a is not None else ()):
        ref(
            "account",
            need.stakeholder,
            person_ids,
            N_("stakeholder {value!r} does not exist"),
            ("needs", i, "stakeholder"),
            names=person_names,
        )
    # offerings are checked once kam.yaml lists them; without the list, the footprint's own
    # offering ids are the whitespace grid's columns (so a portfolio works before it is
    # configured, and the example accounts work anywhere)
    offering_ids = {o.id for o in config.offerings}
    cells: dict[tuple[str, str], int] = {}
    for i, cell in enumerate(a.footprint if a is not None else ()):
        ref(
            "account",
            cell.unit,
            unit_ids,
            unknown_cell_unit,
            ("footprint", i, "unit"),
            names=unit_names,
        )
        if offering_ids:
            ref(
                "account",
                cell.offering,
                offering_ids,
                N_(
                    "footprint offering {value!r} is not one of ours: kam.yaml offerings has no "
                    "such offering"
                ),
                ("footprint", i, "offering"),
                N_("Add it to `offerings` in kam.yaml, or use the id of an offering listed there"),
            )
        ref(
            "account",
            cell.competitor,
            competitor_names,
            unknown_competitor,
            ("footprint", i, "competitor"),
            add_competitor,
        )
        first = cells.setdefault((cell.unit, cell.offering), i)
        if first != i:
            line = acct.position("account", ("footprint", first, "unit"))[0]
            yield acct.finding(
                "KAM004",
                "account",
                ("footprint", i, "offering"),
                _(
                    "footprint cell {unit} x {offering} is given twice (first on line {line})"
                ).format(unit=cell.unit, offering=cell.offering, line=line),
            )
    # a year given twice on the value curve: which of the two is the plan? (KAM304 and
    # the plan's chart would read both, the portfolio one)
    curve = a.value_curve if a is not None else []
    for i, first in _repeats(point.year for point in curve):
        line = acct.position("account", ("value_curve", first, "year"))[0]
        yield acct.finding(
            "KAM004",
            "account",
            ("value_curve", i, "year"),
            _("value curve year {year} is given twice (first on line {line})").format(
                year=curve[i].year, line=line
            ),
        )
    for i, first in _repeats(p.crm_id for p in people):
        line = acct.position("stakeholders", ("stakeholders", first, "crm_id"))[0]
        yield acct.finding(
            "KAM004",
            "stakeholders",
            ("stakeholders", i, "crm_id"),
            _("duplicate crm_id {crm_id!r}: {id} (line {line}) has it too").format(
                crm_id=people[i].crm_id, id=people[first].id, line=line
            ),
        )
    t = acct.targets
    if t is not None:
        tids = _unique(acct, "targets", "targets", [x.id for x in t.targets], N_("target"))
        tids = (tids[0] | acct.dropped_ids.get(("targets", "targets"), {}).keys(), tids[1])
        yield from tids[1]
        yield from _unique(acct, "targets", "actions", [x.id for x in t.actions], N_("action"))[1]
        yield from _unique(
            acct, "targets", "opportunities", [x.id for x in t.opportunities], N_("opportunity")
        )[1]
        for i, g in enumerate(t.relationship_goals):
            ref(
                "targets",
                g.stakeholder,
                person_ids,
                N_("relationship goal for {value!r}: no stakeholder has this id"),
                ("relationship_goals", i, "stakeholder"),
                names=person_names,
            )
        for i, act in enumerate(t.actions):
            ref(
                "targets",
                act.stakeholder,
                person_ids,
                N_("action stakeholder {value!r} does not exist"),
                ("actions", i, "stakeholder"),
                names=person_names,
            )
            ref(
                "targets",
                act.target,
                tids[0],
                N_("action target {value!r}: no target has this id"),
                ("actions", i, "target"),
            )
    if acct.log is not None:
        for i, entry in enumerate(acct.log.entries):
            for j, who in enumerate(entry.with_):
                ref(
                    "log",
                    who,
                    person_ids,
                    N_("log entry with {value!r}: no stakeholder has this id"),
                    ("entries", i, "with", j),
                    names=person_names,
                )
    yield from broken

    yield from _cycles(
        acct,
        "stakeholders",
        "stakeholders",
        "reports_to",
        [(p.id, p.reports_to) for p in people],
        N_("cycle in reporting lines: {chain}"),
        N_("Break the cycle: somebody at the top reports to nobody."),
    )
    yield from _cycles(
        acct,
        "org",
        "units",
        "parent",
        [(x.id, x.parent) for x in units],
        N_("cycle in unit parents: {chain}"),
        N_("Break the cycle: the top unit of the chain has no parent."),
    )


def _dropped_names(acct: Account, kind: str, key: str) -> list[tuple[str, str]]:
    """(name, id) of the entries of ``kind``'s list ``key`` left out of the model for a
    schema problem (``Account.dropped_entries``) that have both as texts."""
    return [
        (name, entry_id)
        for entry in acct.dropped_entries.get((kind, key), [])
        if isinstance(name := entry.get("name"), str)
        and isinstance(entry_id := entry.get("id"), str)
    ]


def _names_to_ids(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """An entry's name (case not counting) -> its id, for the names only one entry has."""
    found: dict[str, set[str]] = {}
    for name, entry_id in pairs:
        found.setdefault(name.strip().casefold(), set()).add(entry_id)
    return {name: ids.pop() for name, ids in found.items() if len(ids) == 1 and name}


def _near_hint(
    value: str,
    options: Iterable[str],
    fallback: str | None = None,
    names: Callable[[], dict[str, str]] | None = None,
) -> str:
    """ "Did you mean ...?" for a close option, else ``fallback`` or KAM003's own hint;
    a value with a full-width separator (``influences: [a，b]``) is told so first, and a
    value that is the name of an entry (``names()``) is told that entry's id."""
    from kamtool.load.slips import full_width_note

    note = full_width_note(value)
    if note:
        return note
    named = names().get(value.strip().casefold()) if names is not None else None
    if named is not None:
        return _("{value!r} is the name of {id!r}: write its id, {id}").format(
            value=value, id=named
        )
    near = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return (
        _("Did you mean {name!r}?").format(name=near[0])
        if near
        else (fallback or _(RULES["KAM003"].hint))
    )


def _unique(
    acct: Account, kind: str, key: str, ids: list[str], what: str
) -> tuple[set[str], list[Finding]]:
    seen: dict[str, int] = {}
    findings = []
    for i, x in enumerate(ids):
        if x in seen:
            first = acct.position(kind, (key, seen[x], "id"))[0]
            findings.append(
                acct.finding(
                    "KAM004",
                    kind,
                    (key, i, "id"),
                    _("duplicate {what} id {x!r} (first used on line {first})").format(
                        what=_(what), x=x, first=first
                    ),
                )
            )
        else:
            seen[x] = i
    dropped = acct.dropped_ids.get((kind, key))
    if dropped:
        findings.extend(_duplicates_of_dropped(acct, kind, key, seen, dropped, what))
    return set(seen), findings


def _duplicates_of_dropped(
    acct: Account, kind: str, key: str, seen: dict[str, int], dropped: dict[str, int], what: str
) -> Iterator[Finding]:
    """KAM004 for an id that an entry left out for its schema errors shares with an entry
    that was read (``seen``: id -> index among those read): the duplicate is there whatever
    the fix of the other entry, so it is reported in the same pass. Positions are the
    file's own (the entry left out has no index among those read)."""
    src = acct.files[kind]
    assert src.doc is not None  # entries were left out of a file that parsed
    original = acct.renumbered.get((kind, key), [])
    for x, read_at in seen.items():
        if x not in dropped or read_at >= len(original):
            continue
        earlier, later = sorted((original[read_at], dropped[x]))
        first = src.doc.position((key, earlier, "id"))[0]
        line, col = src.doc.position((key, later, "id"))
        yield _f(
            "KAM004",
            src.display,
            line,
            col,
            _("duplicate {what} id {x!r} (first used on line {first})").format(
                what=_(what), x=x, first=first
            ),
            acct.id,
        )


def _cycles(
    acct: Account,
    kind: str,
    key: str,
    field_name: str,
    edges: list[tuple[str, str | None]],
    message: str,
    hint: str,
) -> Iterator[Finding]:
    """KAM005 for each cycle; ``message`` and ``hint`` are untranslated (``N_``) texts,
    the message with a ``{chain}`` placeholder."""
    parent = {child: par for child, par in edges if par is not None and par != child}
    index: dict[str, int] = {}
    for i, (child, _par) in enumerate(edges):
        index.setdefault(child, i)
    state: dict[str, bool] = {}  # True: on the chain being followed; False: settled
    for start, _par in edges:
        if start in state:
            continue
        path: list[str] = []
        node: str | None = start
        while node is not None and node not in state:
            state[node] = True
            path.append(node)
            node = parent.get(node)
        if node is not None and state[node]:
            cycle = path[path.index(node) :]
            first = min(cycle, key=lambda c: index[c])
            k = cycle.index(first)
            chain = " -> ".join([*cycle[k:], *cycle[:k], first])
            yield acct.finding(
                "KAM005",
                kind,
                (key, index[first], field_name),
                _(message).format(chain=chain),
                hint=_(hint),
            )
        for visited in path:
            state[visited] = False


# ---------------------------------------------------------------- config
def load_config(path: Path | None, cwd: Path | None = None) -> Config:
    """kam.yaml -> Config; problems raise ConfigError with findings at their lines."""
    from pydantic import ValidationError

    from kamtool.load.config import Config, check_config_semantics, rule_code_problems

    if path is None:
        return Config()
    from kamtool.load.locate import CONFIG_MAX_BYTES

    display = display_path(path, cwd)
    text, err = read_text(path, None, CONFIG_MAX_BYTES)
    doc = None
    if err is None and text is not None:
        try:
            doc = parse_document(text)
        except YamlError as exc:
            from kamtool.load.slips import explain

            err = explain(text, exc)
    if err is not None:
        raise ConfigError(
            [_f("KAM001", display, err.line, err.column, err.message, None, err.hint)]
        )
    assert doc is not None
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        from kamtool.load.slips import full_width_keys

        wide = full_width_keys(text) if isinstance(data, str) and text else None
        if wide is not None:
            raise ConfigError([_f("KAM001", display, wide.line, wide.column, wide.message, None)])
        raise ConfigError(
            [
                _f(
                    "KAM002",
                    display,
                    1,
                    1,
                    _("{name} must be a mapping of keys at the top level").format(name="kam.yaml"),
                    None,
                )
            ]
        )

    def found(problems: list[tuple[tuple, str]]) -> list[Finding]:
        return [
            _f(
                "KAM002",
                display,
                # a rule code, a rate's currency or a leaver's handle, tiers or rates as a whole:
                # at the key
                *doc.position(
                    p,
                    key=p in (("tiers",), ("rates",))
                    or (
                        isinstance(p[-1], str) and p[0] in ("rules", "rates", "colleagues_leaving")
                    ),
                ),
                m,
                None,
            )
            for p, m in problems
        ]

    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        from kamtool.load.schema_errors import schema_problems

        findings = [
            _f("KAM002", display, line, col, msg, None)
            for (line, col), msg in schema_problems(Config, doc, exc, text)
        ]
        # the rule codes need nothing else to be valid: said with the schema's problems
        rules = data.get("rules")
        if isinstance(rules, dict):
            findings += found(rule_code_problems(rules))
        findings.sort(key=Finding.sort_key)
        raise ConfigError(findings) from None
    problems = check_config_semantics(config)
    problems += _accounts_leaving_repository(path, config.accounts)
    if problems:
        raise ConfigError(found(problems))
    return config


def config_finding(
    path: Path, cwd: Path | None, key: tuple[str, ...], message: str, hint: str = ""
) -> Finding:
    """A KAM002 finding of kam.yaml at the value of ``key`` (line 1 when the file does not
    say it or cannot be read again): for a problem of the setting found after kam.yaml
    loaded, such as an accounts folder that is not there, so that it reaches every format
    as kam.yaml's other problems do."""
    from kamtool.load.locate import CONFIG_MAX_BYTES

    line, col = 1, 1
    text, err = read_text(path, None, CONFIG_MAX_BYTES)
    if err is None and text is not None:
        with contextlib.suppress(YamlError):
            line, col = parse_document(text).position(key)
    return _f("KAM002", display_path(path, cwd), line, col, message, None, hint)


def _accounts_leaving_repository(path: Path, accounts: str) -> list[tuple[tuple, str]]:
    """``accounts:`` of a kam.yaml in a git repository names a folder inside it: a kam.yaml
    from a pull request (``accounts: /etc``, ``../other-repo/accounts``) must not make kam
    read, list or write folders outside the repository, as a symbolic link may not. An
    accounts folder outside every repository is named on the command line instead."""
    from kamtool.load.locate import git_root

    folder = Path(os.path.abspath(path.parent))
    repo = git_root(folder)
    target = Path(os.path.abspath(folder / accounts))
    if repo is None or target == repo or repo in target.parents:
        return []
    message = _(
        "accounts: {folder} is outside the repository: kam reads and writes accounts only "
        "inside the repository of kam.yaml; name a folder inside it (an outside folder is "
        "named on the command line: kam check PATH)"
    ).format(folder=accounts)
    return [(("accounts",), message)]


def _real(path: Path) -> Path:
    """``path`` with its links followed; a folder's parent is resolved once per run (a
    portfolio's accounts share one), the folder itself only when it is a link."""
    if os.path.islink(path):
        return path.resolve()
    return _real_folder(os.path.abspath(path.parent)) / path.name


@functools.lru_cache(maxsize=64)
def _real_folder(path: str) -> Path:
    return Path(path).resolve()


# Paths as strings, for the checks made once an account (``load_account``). A path kam
# built itself (``os.path.abspath``, ``Path / name``) is absolute and normalised; for
# such a path on POSIX these give what the pathlib functions above give, without their
# parsing (about 40 us an account: 2,000 accounts made 18,000 Path objects).


def _plain(path: Path | str) -> str | None:
    """``path`` as a string when it is absolute and normalised on POSIX (no ``.``,
    ``..``, double or trailing slash, nor pathlib's ``//`` root), else None."""
    text = os.fspath(path)
    if (
        os.name == "posix"
        and text.startswith("/")
        and not text.startswith("//")
        and os.path.normpath(text) == text
    ):
        return text
    return None


#: ``_plain`` of the repository root and the working folder, the same for every account
_plain_once = functools.lru_cache(maxsize=16)(_plain)


def _within(path: str, folder: str) -> bool:
    """``_inside`` for two ``_plain`` paths (or two resolved ones): ``path`` is
    ``folder`` or lies below it."""
    if folder == "/":
        return not path.startswith("//")  # pathlib's other root
    return path == folder or (
        path.startswith(folder) and path[len(folder) : len(folder) + 1] == "/"
    )


def _real_text(path: str) -> str:
    """``_real`` of a ``_plain`` path, as a string."""
    if os.path.islink(path) or path == "/":
        return os.fspath(_real(Path(path)))
    parent, name = path.rsplit("/", 1)
    real = os.fspath(_real_folder(parent or "/"))
    return f"{real}/{name}" if real != "/" else f"/{name}"


def _display_below(path: str | None, cwd: Path | None) -> str | None:
    """``display_path`` of a ``_plain`` path below the (``_plain``) working folder; None
    for any other, which ``display_path`` works out."""
    if path is None or cwd is None:
        return None
    here = _plain_once(os.fspath(cwd))
    if here is None or not _within(path, here):
        return None
    return (path[len(here) + 1 :] if here != "/" else path[1:]) or "."


def _base_for_folder(folder: Path, root: Path) -> Path:
    """``root`` when the folder (as named, links not followed) lies in it; else the
    repository holding the folder, else the folder that holds it."""
    from kamtool.load.locate import git_root

    here = Path(os.path.abspath(folder))
    if _inside(here, Path(os.path.abspath(root))):
        return root
    return git_root(here) or here.parent
