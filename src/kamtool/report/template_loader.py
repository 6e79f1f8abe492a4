"""The loader of kam plan's Jinja templates: files stay inside the folder they are found in.

A repository's ``templates/`` folder arrives through pull requests, and a CI job that
publishes the plan would publish whatever a template reads. jinja's FileSystemLoader
follows symbolic links anywhere (``secret.md.j2 -> /proc/self/environ``,
``action_plan.md.j2 -> /etc/passwd``), so kam reads templates itself:

- a template file, and every folder on the way to it, must resolve inside the template
  folder it was found in;
- a template folder that lies in the repository (``templates/``, or a ``--template-dir``
  below the repository root) must itself resolve inside the repository;
- only regular files are read: never a FIFO, a device, or a file of /proc, /sys or /dev
  (pseudo-files that look regular and hold the process's secrets);
- a template must be UTF-8, and is reported by its own file name when it is not (a
  byte-order mark at its start is dropped).

A refusal is a ``TemplateProblem`` naming the file, which ``kam plan`` reports as a
one-line template error (exit 2).

A name under ``builtin/`` (``builtin/action_plan.md.j2``) is the built-in template of
that name, whatever the other folders hold: the way a part of one's own wraps the
built-in version of itself (an include of its own name would include itself).
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import BaseLoader, TemplateNotFound
from jinja2.loaders import split_template_path

from kamtool.i18n import _, os_reason
from kamtool.report.plan import TemplateProblem

if TYPE_CHECKING:
    from jinja2 import Environment

#: the folder-like prefix of a name that reaches the built-in template of that name
BUILTIN = "builtin"

#: pseudo file systems whose files report themselves as regular but are not data
_PSEUDO = (Path("/proc"), Path("/sys"), Path("/dev"))


@dataclass(frozen=True)
class TemplateFolder:
    """A folder templates are looked up in, in order. ``confine`` is the repository root
    when the folder lies in the repository (it must then resolve inside it), else None."""

    path: Path
    confine: Path | None = None


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _pseudo(real: Path) -> bool:
    return any(_inside(real, p) for p in _PSEUDO)


class NotATemplate(TemplateProblem):
    """An include or import of a name that is no template (``header.md``, ``os``): the
    plan reports it at the line of the include, which the loader does not know."""


class ConfinedLoader(BaseLoader):
    """FileSystemLoader's lookup (first folder that has the name wins) without leaving
    the folder. ``display`` turns a path into what the user reads in a message."""

    def __init__(
        self,
        folders: list[TemplateFolder],
        display: Callable[[Path], str] | None = None,
        builtin: TemplateFolder | None = None,
    ) -> None:
        self.display: Callable[[Path], str] = display or (lambda p: p.as_posix())
        #: the files read, as found (their folder as given, then the name)
        self.read: set[Path] = set()
        self.folders: list[tuple[Path, Path]] = []  # (as given, resolved)
        #: where ``builtin/NAME`` is looked up: the built-in templates' folder
        self.builtin: list[tuple[Path, Path]] = []
        for folder in folders:
            self.folders.append(self._checked(folder))
        if builtin is not None:
            self.builtin.append(self._checked(builtin))

    def _checked(self, folder: TemplateFolder) -> tuple[Path, Path]:
        """The folder as given and resolved; refused when it leaves its repository."""
        real = Path(os.path.realpath(folder.path))
        if folder.confine is not None:
            root = Path(os.path.realpath(folder.confine))
            if not _inside(real, root):
                raise TemplateProblem(
                    _(
                        "{path}: refused: the template folder resolves outside the "
                        "repository (to {target})"
                    ).format(path=self.display(folder.path), target=real.as_posix())
                )
        return folder.path, real

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # TemplateNotFound for '..' and the like
        if not template.endswith(".j2"):
            # only templates are read: an include of any other name (``etc/hostname``,
            # through a broad --template-dir such as /) would put that file in the plan
            raise NotATemplate(
                _("{name}: refused: only templates are read, files whose names end in .j2").format(
                    name=template
                )
            )
        folders = self.folders
        if len(pieces) > 1 and pieces[0] == BUILTIN and self.builtin:
            pieces, folders = pieces[1:], self.builtin
        for given, real_folder in folders:
            candidate = given.joinpath(*pieces)
            if not os.path.lexists(candidate):
                continue
            real = Path(os.path.realpath(candidate))
            shown = self.display(candidate)
            if not _inside(real, real_folder):
                raise TemplateProblem(
                    _(
                        "{path}: refused: it resolves outside the template folder {folder} "
                        "(to {target})"
                    ).format(path=shown, folder=self.display(given), target=real.as_posix())
                )
            text, mtime = self._read(real, shown)
            self.read.add(candidate)
            return text, shown, functools.partial(_unchanged, real, mtime)
        raise TemplateNotFound(template)

    def _read(self, real: Path, shown: str) -> tuple[str, float]:
        """The file's text, read only when it is a regular file of real data."""
        not_regular = _("{path}: refused: not a regular file (a device, a pipe or a folder)")
        try:
            before = os.stat(real)
        except OSError as exc:
            raise TemplateProblem(
                _("{path}: cannot read it: {reason}").format(path=shown, reason=os_reason(exc))
            ) from None
        if not stat.S_ISREG(before.st_mode) or _pseudo(real):
            raise TemplateProblem(not_regular.format(path=shown))
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(real, flags)
        except OSError as exc:
            raise TemplateProblem(
                _("{path}: cannot read it: {reason}").format(path=shown, reason=os_reason(exc))
            ) from None
        with os.fdopen(fd, "rb") as fh:
            # the file opened is the one checked (not swapped for a pipe since)
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise TemplateProblem(not_regular.format(path=shown))
            data = fh.read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            # at its line, as every template error (a GBK file from a Chinese Windows)
            line = data.count(b"\n", 0, exc.start) + 1
            raise TemplateProblem(
                _("{path}: not UTF-8 text (byte {offset}): save the template as UTF-8").format(
                    path=f"{shown}:{line}", offset=exc.start
                )
            ) from None
        # a byte-order mark (Notepad's "UTF-8 with BOM") is no text: kept, it started the
        # part's first line, so that its `## heading` was a paragraph in the plan
        return text.removeprefix("\ufeff"), before.st_mtime


def _unchanged(path: Path, mtime: float) -> bool:
    """jinja's ``uptodate``: the file read is still the same."""
    try:
        return os.path.getmtime(path) == mtime
    except OSError:
        return False


def misnamed_parts(folders: list[Path], builtin: Path, read: set[Path]) -> list[tuple[Path, str]]:
    """The files of one's own template folders that were not used and whose name is a slip
    of a part's (``acton_plan.md.j2``, ``Action_Plan.md.j2``, ``action_plan.md``), each
    with the part meant: such a file replaced nothing, and the plan came out built-in
    without a word. A file the plan read (a partial of one's own) is never one, nor is a
    slip of a part this plan did not use: beside a plan.md.j2 of one's own that has no
    needs, ``notes.md.j2`` was "did you mean 'needs.md.j2'?"."""
    from kamtool.errors import nearest

    try:
        shipped = set(os.listdir(builtin))
    except OSError:
        return []
    # the built-in parts this plan was made of: the ones a file could have replaced
    parts = sorted({p.name for p in read if p.parent == builtin and p.name in shipped})
    found = []
    for folder in folders:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            path = folder / name
            if name in shipped or path in read or not os.path.isfile(path):
                continue
            meant = nearest(name, parts)
            if meant is not None:
                found.append((path, meant))
    return found
