"""Run tasks on fresh Python interpreters, where forking is not safe (a program with
threads) or not possible (Windows).

concurrent.futures' spawned workers re-import the calling program's main script: a
script without an ``if __name__ == "__main__":`` guard then runs again in every worker,
which fails to start, prints a traceback on the caller's stderr, and can leave the caller
waiting for ever. These workers import only kamtool: each is ``python -c`` with a few
lines that take the caller's ``sys.path`` and language, then serve tasks read from stdin
(the function and its argument, pickled, length-prefixed) and answer on stdout. Their
stderr goes nowhere, so nothing reaches the caller's terminal; a worker that cannot start
leaves its share to the others (or to this process when none starts), and one that dies
or fails during a task ends the run with a ``WorkerError``. One thread a worker in this
process talks to it (pipes cannot be polled on Windows); results are handed to the
caller's thread, in task order.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import IO, TypeVar, cast

from kamtool.errors import WorkerError
from kamtool.i18n import _

T = TypeVar("T")
R = TypeVar("R")

_SIZE = struct.Struct("<Q")  # the length of the pickled frame that follows
#: what a worker's thread tells the caller's: (kind, task index, result or traceback)
_Event = tuple[str, int, object]

#: what a fresh interpreter runs: the caller's sys.path first (kamtool may be importable
#: only through it), then kamtool's worker loop
_BOOT = (
    "import sys, pickle, struct\n"
    "size, = struct.unpack('<Q', sys.stdin.buffer.read(8))\n"
    "sys.path[:] = pickle.loads(sys.stdin.buffer.read(size))\n"
    "from kamtool.spawnpool import serve\n"
    "serve()\n"
)


def available() -> bool:
    """A Python that can be started again as ``sys.executable -c``: not a frozen
    application (whose executable is the application itself) nor an embedding one."""
    return bool(sys.executable) and not getattr(sys, "frozen", False)


def run(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    workers: int,
    on_result: Callable[[R], None] | None = None,
) -> list[R]:
    """``[fn(t) for t in tasks]`` on up to ``workers`` fresh interpreters; ``fn`` must be
    a module-level function of kamtool (it is pickled by name). ``on_result`` sees each
    result as it arrives, in this thread."""
    results: list[R | None] = [None] * len(tasks)
    pending = list(range(len(tasks) - 1, -1, -1))  # popped from the end: task 0 first
    lock = threading.Lock()
    events: queue.Queue[_Event] = queue.Queue()
    setup = (_frame(list(sys.path)), _frame(_language()))

    def take() -> int | None:
        with lock:
            return pending.pop() if pending else None

    procs: list[subprocess.Popen[bytes]] = []
    threads: list[threading.Thread] = []
    failed = True
    try:
        for _i in range(min(workers, len(tasks))):
            try:
                proc = subprocess.Popen(
                    [sys.executable, "-c", _BOOT],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            except OSError:
                break  # no more workers: those started (or this process) do the work
            procs.append(proc)
            thread = threading.Thread(
                target=_drive, args=(proc, fn, tasks, setup, take, events), daemon=True
            )
            thread.start()
            threads.append(thread)
        live = len(threads)
        done = 0
        while done < len(tasks):
            if live == 0:  # no worker could start: the rest here
                while (index := take()) is not None:
                    results[index] = fn(tasks[index])
                    done += 1
                    if on_result is not None:
                        on_result(cast("R", results[index]))
                break
            try:
                kind, index, value = events.get(timeout=0.2)  # Ctrl-C stays responsive
            except queue.Empty:
                continue
            if kind == "result":
                results[index] = cast("R", value)
                done += 1
                if on_result is not None:
                    on_result(cast("R", value))
            elif kind in ("ended", "no-start"):
                live -= 1
            elif kind == "failed":
                raise WorkerError.task_failed(index, str(value))
            else:  # "died"
                raise WorkerError(
                    _("a worker process ended during task {index}").format(index=index),
                    details=None if value is None else str(value),
                )
        failed = False
        return cast("list[R]", results)  # every task's slot is filled by now
    finally:
        _stop(procs, threads, killing=failed)


def _language() -> str:
    from kamtool import i18n

    return i18n.current()


def _drive(
    proc: subprocess.Popen[bytes],
    fn: Callable[[T], R],
    tasks: Sequence[T],
    setup: tuple[bytes, bytes],
    take: Callable[[], int | None],
    events: queue.Queue[_Event],
) -> None:
    """One worker's conversation, on a thread of its own: set it up, wait until it is
    ready, then hand it tasks until none are left. Exactly one last event says how it
    ended: "ended", "no-start" (it never became ready: it took no task), "failed" (its
    task raised) or "died"."""
    stdin, stdout = cast("IO[bytes]", proc.stdin), cast("IO[bytes]", proc.stdout)
    index = -1
    try:
        for frame in setup:
            stdin.write(frame)
        stdin.flush()
        if _read_frame(stdout) != b"ready":
            events.put(("no-start", -1, None))
            return
        while (next_index := take()) is not None:
            index = next_index
            stdin.write(_frame((fn, tasks[index])))
            stdin.flush()
            raw = _read_frame(stdout)
            if raw is None:
                events.put(("died", index, None))
                return
            ok, value = pickle.loads(raw)
            events.put(("result" if ok else "failed", index, value))
            if not ok:
                return
        events.put(("ended", -1, None))
    except Exception:  # a broken pipe, a result that does not unpickle
        events.put(("no-start" if index < 0 else "died", index, traceback.format_exc()))


def _stop(
    procs: list[subprocess.Popen[bytes]], threads: list[threading.Thread], *, killing: bool
) -> None:
    """End every worker: closing its stdin tells it there is no more work; on an error or
    an interrupt it is killed first."""
    for proc in procs:
        if killing:
            with contextlib.suppress(OSError):
                proc.kill()
        with contextlib.suppress(OSError):
            cast("IO[bytes]", proc.stdin).close()
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for thread in threads:
        thread.join(timeout=10)
    for proc in procs:
        with contextlib.suppress(OSError):
            cast("IO[bytes]", proc.stdout).close()


def _frame(value: object) -> bytes:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return _SIZE.pack(len(data)) + data


def _read_frame(stream: IO[bytes]) -> bytes | None:
    """The next length-prefixed frame, or None at the end of the stream."""
    head = stream.read(_SIZE.size)
    if len(head) < _SIZE.size:
        return None
    (size,) = _SIZE.unpack(head)
    data = stream.read(size)
    return data if len(data) == size else None


def serve() -> None:
    """The worker's side (in the fresh interpreter, ``sys.path`` already the caller's):
    take the language, say ready, then answer each ``(fn, task)`` frame with
    ``(True, fn(task))`` or ``(False, traceback)`` until stdin ends."""
    import gc

    gc.disable()  # as the parent: results hold no cycles
    inp = sys.stdin.buffer
    # answers go on a copy of stdout; anything printed goes nowhere, not into the frames
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    raw = _read_frame(inp)
    if raw is None:
        return
    from kamtool import i18n

    i18n.use(pickle.loads(raw))
    out.write(_SIZE.pack(5) + b"ready")
    out.flush()
    while (raw := _read_frame(inp)) is not None:
        try:
            fn, task = pickle.loads(raw)
            answer = (True, fn(task))
        except Exception:
            answer = (False, traceback.format_exc())
        try:
            frame = _frame(answer)
        except Exception:  # a result that does not pickle
            frame = _frame((False, traceback.format_exc()))
        out.write(frame)
        out.flush()
