"""The one gate every write goes through (`touch`, `log`, `init`, `import`, `-o`).

A write is refused, with nothing written, when
- the account it changes does not load cleanly (KAM001-KAM006 errors): editing a file
  kam cannot fully read could silently pick the wrong entry; a write that is itself the
  fix (`kam touch --reviewed` where the date is missing or unreadable) goes through when
  every file parses, no id is doubled, and it fixes an error and adds none
  (``refuse_unfixed``);
- the path leaves the repository through a symbolic link, a folder's included;
- the file or its folder is read-only, or the file belongs to another user (replacing it
  would hand it to the caller); owner, group and mode of a replaced file are kept.
A value from the command line never lands in YAML where it could read as anything else:
ids and handles are validated, text goes through :func:`yaml_text`.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kamtool.errors import Refused, UsageError
from kamtool.i18n import _, listed, ngettext, os_reason
from kamtool.load.ids import is_slug, slug_advice
from kamtool.write.atomic import Changed, Exists, atomic_write, folder_lock

if TYPE_CHECKING:
    from kamtool.findings import Finding
    from kamtool.load.accounts import Account
    from kamtool.load.locate import Workspace
    from kamtool.load.yamlread import Document

#: A handle on our side (``li.ming``, ``anna.berg@corp``, ``王芳``): letters, digits and
#: ``. _ - @ +``; no spaces, quotes, ``#`` or ``:`` that YAML would read otherwise.
_HANDLE = re.compile(r"[^\W_][\w.@+-]*")
#: How often a read-edit-write is tried again when the file changed under it.
ATTEMPTS = 6


def is_handle(value: str) -> bool:
    return _HANDLE.fullmatch(value) is not None


def folded_handle(value: str) -> str | None:
    """The handle a text typed for one likely means: full-width characters as their ASCII
    forms (an input method's ``ｃｈｅｎ　ｊｉｎｇ``), its spaces made dots, quotes dropped
    (``"chen jing"``: ``chen.jing``), when that is a handle."""
    import unicodedata

    plain = unicodedata.normalize("NFKC", value).replace('"', " ").replace("'", " ")
    folded = ".".join(plain.split())
    return folded if is_handle(folded) else None


def check_handle(value: str, option: str, meant: str | None = None) -> str:
    """``value`` when it is a handle, else refused, with "did you mean ``meant``?" when the
    caller has a handle to suggest (one the account names, or ``folded_handle``). The
    value is an option's (``--owner``, ``--by``): a bad one is a usage error (exit 2), as
    a bad ``--date`` or ``--kind`` of the same command is; it was exit 1, the code of a
    write kam refuses, while ``init --name ""`` was exit 2."""
    if is_handle(value):
        return value
    message = _(
        "{option} {value!r} is not a handle: use letters, digits and . _ - @ + "
        "(such as li.ming), no spaces or quotes"
    ).format(option=option, value=value)
    if meant is not None:
        message += _(" (did you mean {name!r}?)").format(name=meant)
    raise UsageError(message)


def check_id(value: str, what: str, kind: str) -> str:
    """``value`` when it is a slug; ``what`` names it in the refusal ("account id"),
    translated where it is shown, and ``kind`` is what it names, for ``slug_advice``
    (where its name goes). The value is a command-line argument (``kam init ID``): a bad
    one, an empty one included, is a usage error (exit 2), as an empty account argument
    of every other command is; it was exit 1, the code of a write kam refuses."""
    if is_slug(value) and len(value) <= 100:
        return value
    if len(value) > 100:
        raise UsageError(
            _("the {what} is {n} characters long: at most 100").format(what=_(what), n=len(value))
        )
    raise UsageError(
        _(
            "{value!r} is not a valid {what}: use lowercase letters, digits, '.', '_' and '-', "
            "starting with a letter or digit"
        ).format(value=value, what=_(what))
        + slug_advice(value, kind)
    )


#: what a plain scalar cannot start with (YAML's indicators)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
#: the escapes a reader knows at sight (YAML's, as JSON writes them)
_SHORT_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
#: what a number, date, boolean or null starts with: such a text is checked by the resolver
_MAY_RESOLVE = frozenset("-+0123456789.~nNtTfFyYoO")


def yaml_text(value: str, *, flow: bool = False) -> str:
    """``value`` as a YAML scalar that reads back as exactly that text, the one way every
    writer (log, import, init) writes a text: plain when nothing could read it otherwise,
    so that free text reads as typed in the file (``summary: 首次拜访：对远程运维感兴趣``,
    ``summary: CFO wants numbers, not slides``), else double-quoted with escapes.
    ``flow``: the value goes inside ``[...]`` or ``{...}``, where a comma, a colon and
    brackets end it, so those are quoted too."""
    if _plain_is_safe(value, flow):
        return value
    return _double_quoted(value)


def yaml_text_as(value: str, written: str, *, flow: bool = False) -> str:
    """``value`` as a YAML scalar in the quotes of the one it replaces (``written``, as the
    file has it): ``title: "Head of IT"`` becomes ``title: "CIO"``, ``'Finance'`` becomes
    ``'CFO'``, a plain one ``yaml_text`` (plain where nothing could read it otherwise). A
    text single quotes cannot hold as typed (a line break, a tab, a control character)
    is double-quoted."""
    if written[:1] == '"':
        return _double_quoted(value)
    if written[:1] == "'" and all(map(_shown, value)):
        return "'" + value.replace("'", "''") + "'"
    return yaml_text(value, flow=flow)


def _double_quoted(value: str) -> str:
    """``value`` double-quoted, with YAML's escapes where a character cannot be shown."""
    out = ['"']
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif _shown(ch):
            out.append(ch)
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def yaml_block_text(value: str, indent: str, nl: str = "\n") -> str:
    """``value`` as a YAML scalar for a block mapping whose keys are at ``indent``: a text
    of several lines as a literal block (``|-``, its lines below the key, each as typed),
    which a reviewer reads in the file and in its diff as written, where one double-quoted
    line ("Peak planning:\\n- lane 7: \\"urgent\\"\\n...") hid the lines and escaped the
    quotes; ``yaml_text`` for one line, or for what a literal block cannot hold as it is
    (a character written as an escape, spaces a reader could not see at a line's end or
    before its first line, more than one line break at the end)."""
    lines = value.split("\n")
    if len(lines) < 2 or not lines[0].strip() or lines[0][0] == " ":
        return yaml_text(value)
    chomp = "-"
    if lines[-1] == "":
        lines.pop()
        chomp = ""
        if lines[-1] == "":
            return yaml_text(value)  # kept trailing blank lines: "|+", rare enough
    for line in lines:
        if line != line.rstrip() or not all(map(_shown, line)):
            return yaml_text(value)
    pad = indent + "  "
    return "|" + chomp + "".join(nl + (pad + line if line else "") for line in lines)


def _shown(ch: str) -> bool:
    """Written as it is: printable, or a space (the full-width space of a Chinese input
    method, a no-break space); not tabs, line breaks (U+2028 too), the byte order mark
    or control characters, which are escaped."""
    return ch.isprintable() or unicodedata.category(ch) == "Zs"


def _plain_is_safe(value: str, flow: bool) -> bool:
    # no space of any kind at either end: a reader could not see it
    if not value or not all(map(_shown, value)) or value != value.strip():
        return False
    if value[0] in _INDICATORS or value.startswith(("---", "...")):
        return False
    if ": " in value or " #" in value or value.endswith(":"):
        return False  # a key, a comment
    if flow and any(ch in ":#,[]{}?" for ch in value):  # libyaml ends one at "?" too
        return False
    if value[0] in _MAY_RESOLVE:
        from kamtool.load.yamlread import resolve_plain

        return resolve_plain(value) == value  # not a number, date, boolean or null
    return True


def line_ending(text: str) -> str | None:
    """The line ending ``text`` is written with, that of its first line break ("\\r\\n"
    from Windows editors, else "\\n"); None when it has no line break. Every writer asks
    here: an edit writes its new lines with the file's ending (``log``; ``touch`` and
    ``import`` through ``newlines.with_lf``, which keeps each kept line's own), a file kam creates in an account with the ending of the account's files
    (``account_line_ending``)."""
    first = text.find("\n")
    if first < 0:
        return None
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def account_line_ending(folder: Path) -> str:
    """The line ending of a new file in the account ``folder``: that of its account.yaml,
    else of the first of its other files that has a line break ("\\r\\n" in an account
    edited on Windows stays "\\r\\n" in the log kam starts there); "\\n" when none."""
    return _files_line_ending(folder) or "\n"


def _files_line_ending(folder: Path) -> str | None:
    """The line ending of the account ``folder``'s files (account.yaml first); None when
    none of them has a line break."""
    from kamtool.load.accounts import FILE_NAMES  # account.yaml first

    for name in FILE_NAMES.values():
        try:
            with open(folder / name, "rb") as f:
                head = f.read(65536)  # the first line break is near the start
        except OSError:
            continue
        found = line_ending(head.decode("utf-8", "replace"))
        if found is not None:
            return found
    return None


#: how many of the existing accounts a new account asks for their line ending
ACCOUNTS_ASKED = 25


def new_account_line_ending(accounts_dir: Path) -> str:
    """The line ending of a new account's files (``kam init``): that of most of the
    accounts already there (the first ``ACCOUNTS_ASKED`` by name), so a repository
    edited on Windows ("\\r\\n") gets no account in "\\n"; "\\n" in a repository without
    accounts, or on a tie."""
    from kamtool.load.locate import account_ids

    votes = {"\r\n": 0, "\n": 0}
    for account_id in account_ids(accounts_dir)[:ACCOUNTS_ASKED]:
        found = _files_line_ending(accounts_dir / account_id)
        if found is not None:
            votes[found] += 1
    return "\r\n" if votes["\r\n"] > votes["\n"] else "\n"


def load_for_write(ws: Workspace, folder: Path, *, fixing: bool = False) -> Account:
    """Load an account to change it; a broken one is refused with its findings.

    ``fixing``: the write may itself be a fix (``kam touch ID --reviewed today`` on an
    account.yaml without ``reviewed``, or whose date does not read as one): an account
    whose files all parse and whose ids are unique is returned despite its errors, and
    the caller hands the text it means to write to ``refuse_unfixed``."""
    from kamtool.load.accounts import load_account

    acct = load_account(folder, ws.config, ws.root, ws.cwd)
    errors = errors_of(acct)
    if errors and not (fixing and not any(f.code in _NEVER_FIXED for f in errors)):
        raise _refusal(acct, errors, fixing=False)
    return acct


#: errors no write goes past: a file kam cannot read whole, or an id two entries share,
#: where an edit could land on the wrong entry
_NEVER_FIXED = frozenset({"KAM001", "KAM004"})


def errors_of(acct: Account) -> list[Finding]:
    """The account's errors: any of them stops a write that does not fix it."""
    return [f for f in acct.findings if f.severity == "error"]


def refuse_unfixed(ws: Workspace, acct: Account, name: str, text: str) -> None:
    """On an account with errors, refuse the write of ``text`` to its file ``name``
    unless it is a fix: the account read as the write would leave it has fewer errors,
    and none it did not have before (compared by code, file and message: the lines of
    those after an inserted line move). The errors are fixed one write at a time (a
    person's broken date, then the account's missing ``reviewed``), each its own
    command; a write beside the errors, fixing none, waits until they are fixed.
    Nothing to check on an account without errors. The account is read again as it is
    now: the edit runs under the folder's lock on the file as read then, and another
    writer may have fixed (or broken) something since ``acct`` was loaded."""
    if not errors_of(acct):
        return
    from collections import Counter

    from kamtool.load.accounts import load_account

    before = errors_of(load_account(acct.folder, ws.config, ws.root, ws.cwd))
    if not before:
        return

    after = load_account(acct.folder, ws.config, ws.root, ws.cwd, replaced={name: text})
    left = errors_of(after)

    def key(f: Finding) -> tuple[str, str, str]:
        return f.code, f.path, f.message

    added = Counter(map(key, left)) - Counter(map(key, before))
    if added or len(left) >= len(before):
        raise _refusal(after, left, fixing=True)


def refusal(acct: Account) -> Refused:
    """The refusal of a write to ``acct`` for its errors (a command that cannot go on
    with an account it was handed with ``fixing``: the person it names is in an entry
    that does not read)."""
    return _refusal(acct, errors_of(acct), fixing=False)


def _refusal(acct: Account, errors: list[Finding], *, fixing: bool) -> Refused:
    unreadable = sorted({f.path.rsplit("/", 1)[-1] for f in errors if f.code == "KAM001"})
    if any(f.code == "KAM001" and f.path == acct.display for f in errors):
        why = _("its folder cannot be read")  # one finding on the folder itself
    elif unreadable:
        why = ngettext("{files} does not parse", "{files} do not parse", len(unreadable)).format(
            files=listed(unreadable)
        )
    elif fixing:
        why = _("it has errors this change does not fix")
    else:
        why = _("it has errors")
    from kamtool import suggest

    command = suggest.command("validate", suggest.account(acct.id, acct.folder, "validate"))
    return Refused(
        _(
            "account {id!r} cannot be changed safely: {why}; fix it first "
            "({command}); nothing written"
        ).format(id=acct.id, command=command, why=why),
        errors,
    )


def check_writable(
    ws: Workspace, path: Path, *, create: bool = False, replace_option: str | None = None
) -> None:
    """Refuse a path kam may not write (see the module's docstring). ``replace_option``:
    the command's option that replaces an existing file (``--force``), named when
    ``create`` refuses one (a weekly calendar export hits this every week)."""
    from kamtool.load.locate import git_root

    path = Path(os.path.abspath(path))
    if os.path.isdir(path) and not os.path.islink(path):
        # first: `-o .` at the repository's root is a folder, not a path whose parent
        # (above the root) "leads outside the repository through a symbolic link"
        raise Refused(
            _("{path} is a folder: name a file in it to write").format(path=ws.display(path))
        )
    # the repository the path lies in: the workspace's, else the git repository holding
    # it; a path in no repository at all (`-o ~/calendars/me.ics`) leaves none
    inside = path == ws.root or ws.root in path.parents
    base = ws.root if inside else git_root(path)
    folder = path.parent
    if not os.path.isdir(folder):  # False, not PermissionError, where it cannot be seen
        # a folder that does not exist yet: its nearest existing ancestor must be inside
        existing = next((p for p in folder.parents if os.path.isdir(p)), folder.anchor)
        where = Path(existing).resolve()
    else:
        where = folder.resolve()
    real_base = base.resolve() if base is not None else None
    if real_base is not None and where != real_base and real_base not in where.parents:
        raise Refused(
            _(
                "{path}: the path leads outside the repository through a symbolic "
                "link: nothing written"
            ).format(path=ws.display(path))
        )
    if os.path.islink(path):
        raise Refused(_("{path} is a symbolic link: not replaced").format(path=ws.display(path)))
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise Refused(f"{ws.display(path)}: {os_reason(exc)}") from None
    if info is not None:
        shown = ws.display(path)
        if stat.S_ISDIR(info.st_mode):
            raise Refused(_("{path} is a folder: name a file in it to write").format(path=shown))
        if create and replace_option:
            raise Refused(
                _("{path} already exists: not overwritten (add {option} to replace it)").format(
                    path=shown, option=replace_option
                )
            )
        if create:
            raise Refused(_("{path} already exists: not overwritten").format(path=shown))
        if not stat.S_ISREG(info.st_mode):
            raise Refused(_("{path} is not a regular file: not replaced").format(path=shown))
        if not _may_write(info):
            raise Refused(_("{path} is read-only: not changed").format(path=shown))
        if info.st_uid != os.geteuid() and os.geteuid() != 0:
            raise Refused(
                _("{path} belongs to another user: not replaced (it would become yours)").format(
                    path=shown
                )
            )
    # the folder the file goes into, else (to be created) the existing one it is made in
    into = folder if os.path.isdir(folder) else _existing_ancestor(folder)
    if into is not None and not os.access(into, os.W_OK):
        raise _read_only_folder(ws, into)


def _existing_ancestor(folder: Path) -> Path | None:
    """The nearest folder at or above ``folder`` that exists (None: none does)."""
    return next((p for p in (folder, *folder.parents) if os.path.isdir(p)), None)


def _read_only_folder(ws: Workspace, folder: Path) -> Refused:
    return Refused(
        _("{path} is a read-only folder: nothing written").format(path=ws.display(folder))
    )


def _may_write(info: os.stat_result) -> bool:
    """The permission bits that apply to the caller allow writing. For root, who may write
    anything, a file with no write bit at all is still read-only: someone made it so."""
    uid = os.geteuid()
    if uid == 0:
        return bool(info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    if info.st_uid == uid:
        return bool(info.st_mode & stat.S_IWUSR)
    if info.st_gid in os.getgroups() or info.st_gid == os.getegid():
        return bool(info.st_mode & stat.S_IWGRP)
    return bool(info.st_mode & stat.S_IWOTH)


def write_file(
    ws: Workspace,
    path: Path,
    data: bytes,
    *,
    expect: bytes | None = None,
    create: bool = False,
    make_folders: bool = False,
    replace_option: str | None = None,
) -> None:
    """Check, then write atomically (replacing only when ``create`` is false), keeping
    the replaced file's owner, group and mode."""
    check_writable(ws, path, create=create, replace_option=replace_option)
    if make_folders:
        make_folder(ws, path.parent)
    atomic_write(path, data, overwrite=not create, expect=expect, shown=ws.display(path))


def make_folder(ws: Workspace, folder: Path) -> None:
    """Create ``folder`` and its missing parents; one that cannot be made is refused in
    the words of every other write (a read-only folder), never with a bare OS error."""
    if not folder.is_dir():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            import errno

            # root passes check_writable's access check, yet an immutable folder or a read-only
            # file system still refuses it: the same words as for any read-only folder
            holder = _existing_ancestor(folder)
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and holder is not None:
                raise _read_only_folder(ws, holder) from None
            raise Refused(
                _("cannot create the folder {path}: {error}").format(
                    path=ws.display(folder), error=os_reason(exc)
                )
            ) from None


def edit_file(
    ws: Workspace,
    path: Path,
    edit: Callable[[bytes | None], bytes | None],
    *,
    attempts: int = ATTEMPTS,
) -> bool:
    """Read ``path`` (None when absent), let ``edit`` compute the new bytes (None: no
    change) and write them, again from a fresh read when another process changed the
    file in between (two `kam touch` at once both land). Returns whether it wrote."""
    import random
    import time

    for attempt in range(attempts):
        try:
            # Other kam processes wait here rather than retry (see folder_lock); an
            # editor that does not lock is still caught by the expect comparison.
            with folder_lock(path.parent):
                try:
                    before: bytes | None = path.read_bytes()
                except FileNotFoundError:
                    before = None
                except OSError as exc:
                    raise Refused(
                        _("cannot read {file}: {error}").format(
                            file=ws.display(path), error=os_reason(exc)
                        )
                    ) from None
                after = edit(before)
                if after is None or after == before:
                    return False
                write_file(ws, path, after, expect=before, create=before is None)
                return True
        except (Changed, Exists) as exc:
            if attempt == attempts - 1 or (isinstance(exc, Exists) and before is not None):
                raise
            time.sleep(random.uniform(0.005, 0.03) * (attempt + 1))
    return False


def comparable(value: object) -> object:
    """Data as it reads, for checking an edit before it is written: dates as ISO text, so
    a quoted date and a plain one compare equal (touch and log re-read what they wrote
    and refuse a result that would read differently from what they meant)."""
    import datetime as dt

    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def refuse_shared(doc: Document, path: tuple[str | int, ...], person: str, field: str) -> None:
    """Refuse (exit 1) to edit a value the file holds once for several places: one an
    anchor lends to an alias or merge key elsewhere (setting it would change those too,
    silently), or one that is itself an alias's or merge key's copy (there is no value
    of this person's own to edit). The same for a value to be added to such a mapping.
    ``doc`` must come from ``parse(text, spans=True)``."""
    for depth in range(len(path), 0, -1):
        node = path[:depth]
        if node in doc.aliased:
            name, line = doc.aliased[node]
            reason = _("it comes from the alias *{anchor} on line {line}").format(
                anchor=name, line=line
            )
            advice = _("edit stakeholders.yaml by hand, or write the value in place of the alias")
        elif node in doc.merged:
            reason = _("it comes from a merge key '<<' on line {line}").format(
                line=doc.merged[node]
            )
            advice = _("edit stakeholders.yaml by hand")
        elif node in doc.shared:
            name, line = doc.shared[node]
            reason = _(
                "it is shared through the anchor &{anchor} on line {line} "
                "(an alias uses it elsewhere; setting it here would change that too)"
            ).format(anchor=name, line=line)
            advice = _(
                "edit stakeholders.yaml by hand, or give each place its own value "
                "instead of the anchor and alias"
            )
        else:
            continue
        raise Refused(
            _("cannot set {field} of {person}: {reason}: {advice}").format(
                field=field, person=person, reason=reason, advice=advice
            )
        )
