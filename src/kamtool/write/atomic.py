"""Safe writes: a file is either the old one or the new one, whole, never half.

Temp file in the same folder, fsync, then an atomic rename (or a hard link for
"create, never overwrite"), then fsync of the folder.

"Replace only if unchanged" (``expect``) is a compare-and-swap: the comparison and the
rename happen under an advisory lock on the folder (:func:`folder_lock`), so two kam
processes can never both see the old bytes and both rename: the second one sees the
first one's file and reports :class:`Changed` (an editor that does not lock is still
caught by the comparison, except inside the few microseconds of the rename).
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kamtool.errors import Refused


class WriteError(Refused):
    """A write that kam refused or could not do; the message is for the user (exit 1)."""


class Changed(WriteError):
    """The file changed on disk between kam's read and its write: nothing written."""


class Exists(WriteError):
    """The file kam was to create exists (it may have appeared meanwhile): not overwritten."""


def _fault(point: str) -> None:
    """Fault injection for the crash tests (off unless KAM_FAULT is set):
    ``before-rename`` dies right there; ``pause-before-check`` waits for the file named
    by KAM_FAULT_GATE, so a test can change the file under kam's feet."""
    wanted = os.environ.get("KAM_FAULT")
    if wanted is None or wanted != point:
        return
    if point == "before-rename":
        os._exit(70)
    gate = Path(os.environ.get("KAM_FAULT_GATE", ""))
    if str(gate):
        Path(str(gate) + ".ready").write_text("ready")
        import time

        deadline = time.monotonic() + 30
        while not gate.exists() and time.monotonic() < deadline:
            time.sleep(0.01)


#: Folders this process holds the lock of, with how deep: a lock taken again inside
#: itself (edit_file around atomic_write) is not taken twice, which would deadlock.
_HELD: dict[str, int] = {}


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock (``flock``) on ``folder`` while the block runs.

    Only kam processes take it; it leaves no file behind (the folder itself is locked),
    and it is released by the kernel if the process dies. Where locking is not
    available (no ``fcntl``, a file system that refuses it) the block runs unlocked
    and the ``expect`` comparison is the only guard, as before.
    """
    key = os.path.abspath(folder)
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            os.close(fd)
            fd = -1
        _HELD[key] = 1
        try:
            yield
        finally:
            del _HELD[key]
    finally:
        if fd >= 0:
            os.close(fd)  # closing the descriptor releases the lock


def atomic_write(
    path: Path,
    data: bytes,
    *,
    overwrite: bool = False,
    expect: bytes | None = None,
    mode: int | None = None,
    shown: str | None = None,
) -> None:
    """Write ``data`` to ``path`` atomically.

    overwrite: replace an existing file (otherwise refuse if it exists).
    expect: the bytes the file had when read; refuse if it changed on disk since.
    mode: permission bits for the new file (default: the old file's, or 0o644).
    shown: the path as the user reads it, for the message of a failed write.
    """
    try:
        _write(path, data, overwrite, expect, mode, shown if shown is not None else str(path))
    except WriteError:
        raise
    except OSError as exc:  # a read-only folder, a name too long, a full disk...
        from kamtool.i18n import _, os_reason

        raise WriteError(
            _("cannot write {path}: {reason}").format(
                path=shown if shown is not None else path, reason=os_reason(exc)
            )
        ) from None


def _write(
    path: Path, data: bytes, overwrite: bool, expect: bytes | None, mode: int | None, shown: str
) -> None:
    """``atomic_write``; ``shown`` names the path in a message, as the user reads it."""
    from kamtool.i18n import _

    folder = path.parent
    if not folder.is_dir():
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(folder))
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise WriteError(_("{path} is not a regular file: not replaced").format(path=shown))
    old = path.stat() if path.exists() else None
    if mode is None:
        mode = old.st_mode & 0o7777 if old is not None else 0o644
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".kamtmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if old is not None and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
            try:  # keep the replaced file's owner and group (possible for root or a group member)
                os.chown(tmp, old.st_uid, old.st_gid)
            except PermissionError:
                raise WriteError(
                    _(
                        "{path} belongs to another user or group: not replaced "
                        "(it would change hands)"
                    ).format(path=shown)
                ) from None
        _fault("pause-before-check")
        with folder_lock(folder) if expect is not None else contextlib.nullcontext():
            if expect is not None:
                try:
                    current = path.read_bytes()
                except OSError:
                    current = None
                if current != expect:
                    raise Changed(
                        _(
                            "{path} changed on disk while kam was updating it: "
                            "nothing written, run again"
                        ).format(path=shown)
                    )
            _fault("before-rename")
            _place(tmp, path, overwrite, shown)
        _fsync_dir(folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _place(tmp: Path, path: Path, overwrite: bool, shown: str) -> None:
    """Move the finished temp file to its name: replace, or create and never overwrite
    (a file that appeared since the command looked: the command's own check names the
    option that replaces one, where it has one)."""
    from kamtool.i18n import _

    if overwrite:
        os.replace(tmp, path)
        return
    exists = Exists(_("{path} already exists: not overwritten").format(path=shown))
    try:
        os.link(tmp, path)  # fails if the file exists: never overwrite silently
    except FileExistsError:
        raise exists from None
    except OSError:
        # file systems without hard links: check, then rename (small race window)
        if path.exists():
            raise exists from None
        os.replace(tmp, path)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
