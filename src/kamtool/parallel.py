"""Parallel runs, behind one function: ``map_chunks``.

Each task is a chunk of accounts; the results come back in task order. One process
below ``PARALLEL_THRESHOLD`` accounts (starting workers costs more than it saves); above
it, forked workers (``forkpool``). Where fork is not safe (a calling program that runs
threads: a child forked while another thread holds a lock can wait on it for ever) or does
not exist (Windows), fresh interpreters (``spawnpool``) are used only when that is known
to be wanted: in the ``kam`` command itself (``cli.main`` calls ``allow_fresh_interpreters``)
or when the caller asked for processes (``jobs=``, ``KAM_JOBS``); a library call otherwise
stays in its own process, which is never wrong, only slower. However the work is shared,
a worker that fails or dies ends the run with ``WorkerError`` (a ``KamError``), never a
hang, and nothing is printed. The cyclic garbage collector is off while results are
built: they hold no cycles, and its passes only cost time.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Below this many accounts one process is faster than starting a pool.
PARALLEL_THRESHOLD = 150

_fresh_interpreters_allowed = False


def allow_fresh_interpreters() -> None:
    """Let automatic parallel runs start fresh interpreters where fork is not safe: the
    ``kam`` command says so (it is the whole program); a library caller asks with
    ``jobs=`` instead."""
    global _fresh_interpreters_allowed
    _fresh_interpreters_allowed = True


def env_jobs() -> int:
    """KAM_JOBS: a number of processes, 0 (or unset, or empty) for kam's choice. Anything
    else is refused (UsageError, exit 2), as a malformed KAM_TODAY is: ``KAM_JOBS=two``
    or ``-1`` quietly meant "every core", the opposite of what a CI job limiting kam asked.
    ASCII digits only: ``int`` would take ``٣`` or ``1_0``."""
    env = os.environ.get("KAM_JOBS", "").strip()
    if not env:
        return 0
    if not (env.isascii() and env.isdigit()):
        from kamtool.errors import UsageError
        from kamtool.i18n import _

        raise UsageError(
            _(
                "KAM_JOBS must be a number of processes (0 or unset: kam chooses), not {value!r}"
            ).format(value=env)
        )
    return int(env)


def _requested(jobs: int | None) -> bool:
    """Whether the caller asked for a number of processes (``jobs=`` or KAM_JOBS), rather
    than leaving it to kam."""
    if jobs is None:
        return env_jobs() > 0
    return jobs > 0


def jobs_for(requested: int | None, items: int, chunk: int) -> int:
    """Processes to use: ``requested``, else KAM_JOBS, else every core for a large run."""
    if requested is None:
        requested = env_jobs()
    if requested == 0:  # automatic: every core, for a portfolio large enough to pay
        requested = (os.cpu_count() or 1) if items >= PARALLEL_THRESHOLD else 1
    return max(1, min(requested, 8, max(1, items // chunk)))


def map_chunks(
    fn: Callable[[T], list[R]],
    tasks: Sequence[T],
    *,
    items: int,
    jobs: int | None = None,
    chunk: int = 25,
    progress: Callable[[int, int], None] | None = None,
    prepare: Callable[[], None] | None = None,
) -> list[list[R]]:
    """``[fn(task) for task in tasks]``, on several processes when ``items`` is large.

    progress(done, items) is called as parts arrive; prepare() runs once in this process
    before workers are forked, so they inherit what it builds."""
    workers = jobs_for(jobs, items, chunk)
    done = 0

    def arrived(part: list[R]) -> None:
        nonlocal done
        done += len(part)
        if progress:
            progress(done, items)

    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parts(fn, tasks, workers, arrived, prepare, _requested(jobs))
    finally:
        if collecting:
            gc.enable()


def _parts(
    fn: Callable[[T], list[R]],
    tasks: Sequence[T],
    workers: int,
    arrived: Callable[[list[R]], None],
    prepare: Callable[[], None] | None,
    requested: bool = False,
) -> list[list[R]]:
    from kamtool import forkpool

    if workers > 1 and len(tasks) > 1:
        if forkpool.available():
            if prepare is not None:
                prepare()
            return forkpool.run(fn, list(tasks), workers, arrived)
        # no fork (Windows), or other threads running: fresh interpreters when wanted
        from kamtool import spawnpool

        if (requested or _fresh_interpreters_allowed) and spawnpool.available():
            return spawnpool.run(fn, list(tasks), workers, arrived)
    parts = []
    for task in tasks:
        parts.append(fn(task))
        arrived(parts[-1])
    return parts
