"""Safe writes: a file is either the old one or the new one, whole, never half.

Temp file in the same folder, fsync, then an atomic rename (or a hard link for
"create, never overwrite"), then fsync of the folder.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class WriteError(Exception):
    """A write that kam refused or could not do; the message is for the user."""


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


def atomic_write(
    path: Path,
    data: bytes,
    *,
    overwrite: bool = False,
    expect: bytes | None = None,
    mode: int | None = None,
) -> None:
    """Write ``data`` to ``path`` atomically.

    overwrite: replace an existing file (otherwise refuse if it exists).
    expect: the bytes the file had when read; refuse if it changed on disk since.
    mode: permission bits for the new file (default: the old file's, or 0o644).
    """
    folder = path.parent
    if not folder.is_dir():
        raise WriteError(f"folder does not exist: {folder}")
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise WriteError(f"{path} is not a regular file: not replaced")
    if mode is None:
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".kamtmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        _fault("pause-before-check")
        if expect is not None:
            try:
                current = path.read_bytes()
            except OSError:
                current = None
            if current != expect:
                raise WriteError(
                    f"{path} changed on disk while kam was updating it: nothing written, run again"
                )
        _fault("before-rename")
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the file exists: never overwrite silently
            except FileExistsError:
                raise WriteError(
                    f"{path} already exists: not overwritten (use --force to replace it)"
                ) from None
            except OSError:
                # file systems without hard links: check, then rename (small race window)
                if path.exists():
                    raise WriteError(
                        f"{path} already exists: not overwritten (use --force to replace it)"
                    ) from None
                os.replace(tmp, path)
        _fsync_dir(folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


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
