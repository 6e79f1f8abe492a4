"""Run tasks on forked worker processes: the smallest pool that does kam's job.

concurrent.futures' process pool costs about 12 ms of imports (multiprocessing, logging,
subprocess...), a manager thread and a feeder thread before any work starts; a portfolio of
a few hundred accounts takes about 0.1 s in all, so that start was a visible share. Here the
workers are forked children that already hold everything imported and every task: the
parent tells each which task to do next (a 4-byte index on a pipe) and each sends back its
result pickled, length-prefixed, on a pipe of its own. Tasks are handed out as workers
finish, results come back in task order. Where ``os.fork`` does not exist, or other threads
run, ``parallel`` uses fresh interpreters (``spawnpool``) or this process instead.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import selectors
import signal
import struct
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar, cast

from kamtool.errors import WorkerError  # re-exported: a worker raised, or died
from kamtool.i18n import _

T = TypeVar("T")
R = TypeVar("R")

_INDEX = struct.Struct("<i")  # the next task for a worker; -1: no more work
_SIZE = struct.Struct("<Q")  # the length of a pickled (index, ok, value) frame


def available() -> bool:
    """Fork only where it exists and only in a single-threaded process: a child forked
    while another thread holds a lock (logging, a console, an allocator) can wait on it
    for ever. kam's CLI forks before it starts any thread; a program that runs threads of
    its own gets fresh interpreters or one process instead (see ``parallel``)."""
    import threading

    return hasattr(os, "fork") and threading.active_count() == 1


def run(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    workers: int,
    on_result: Callable[[R], None] | None = None,
) -> list[R]:
    """``[fn(t) for t in tasks]`` on ``workers`` forked processes; ``on_result`` sees each
    result as it arrives (in completion order)."""
    results: list[R | None] = [None] * len(tasks)
    pending = list(range(len(tasks) - 1, -1, -1))  # popped from the end: task 0 first
    busy: dict[int, int] = {}  # result fd -> index of the task its worker is doing
    children: dict[int, tuple[int, int]] = {}  # result fd -> (pid, task fd)
    selector = selectors.DefaultSelector()
    buffers: dict[int, bytearray] = {}
    try:
        for _worker in range(min(workers, len(tasks))):
            # an interrupt between the fork and this bookkeeping would leave a worker
            # nobody reaps: hold it until the worker is known (it arrives right after)
            held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
            try:
                fd, pid, task_fd = _fork_worker(fn, tasks, children, held)  # type: ignore[arg-type]
                children[fd] = (pid, task_fd)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
            buffers[fd] = bytearray()
            selector.register(fd, selectors.EVENT_READ)
            busy[fd] = _give(task_fd, pending)
        while busy:
            for key, _events in selector.select():
                fd = key.fd
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    raise WorkerError(
                        _("a worker process ended during task {index}").format(index=busy.get(fd))
                    )
                buffer = buffers[fd]
                buffer += chunk
                while len(buffer) >= _SIZE.size:
                    (size,) = _SIZE.unpack_from(buffer)
                    if len(buffer) < _SIZE.size + size:
                        break
                    index, ok, value = pickle.loads(buffer[_SIZE.size : _SIZE.size + size])
                    del buffer[: _SIZE.size + size]
                    if not ok:
                        raise WorkerError.task_failed(index, value)
                    results[index] = value
                    if on_result is not None:
                        on_result(value)
                    next_index = _give(children[fd][1], pending)
                    if next_index < 0:  # this worker is done and will end
                        del busy[fd]
                        selector.unregister(fd)
                        break
                    busy[fd] = next_index
        return cast("list[R]", results)  # every task's slot is filled by now
    finally:
        _stop(children, selector, killing=bool(busy))


def _give(task_fd: int, pending: list[int]) -> int:
    """Send the worker its next task (or -1: done); return what was sent."""
    index = pending.pop() if pending else -1
    try:
        os.write(task_fd, _INDEX.pack(index))
    except BrokenPipeError:
        raise WorkerError(_("a worker process ended unexpectedly")) from None
    return index


def _fork_worker(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    others: dict[int, tuple[int, int]],
    signals: set[signal.Signals] | None = None,
) -> tuple[int, int, int]:
    task_read, task_write = os.pipe()
    result_read, result_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: never returns
        code = 1
        try:
            if signals is not None:  # the caller's signal mask, not the one held for the fork
                signal.pthread_sigmask(signal.SIG_SETMASK, signals)
            os.close(task_write)
            os.close(result_read)
            for fd, (_pid, other_task_fd) in others.items():  # the parent's ends of others
                os.close(fd)
                os.close(other_task_fd)
            _serve(fn, tasks, task_read, result_write)
            code = 0
        finally:
            os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
    os.close(task_read)
    os.close(result_write)
    return result_read, pid, task_write


def _serve(fn: Callable[[T], R], tasks: Sequence[T], task_fd: int, result_fd: int) -> None:
    while True:
        raw = _read_exactly(task_fd, _INDEX.size)
        if not raw:
            return  # the parent is gone
        (index,) = _INDEX.unpack(raw)
        if index < 0:
            return
        frame: tuple[int, bool, R | str]  # (task, ok, its result or the traceback)
        try:
            frame = (index, True, fn(tasks[index]))
        except Exception:
            frame = (index, False, traceback.format_exc())
        data = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
        _write_all(result_fd, _SIZE.pack(len(data)) + data)


def _read_exactly(fd: int, size: int) -> bytes:
    out = b""
    while len(out) < size:
        chunk = os.read(fd, size - len(out))
        if not chunk:
            return b""
        out += chunk
    return out


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _stop(
    children: dict[int, tuple[int, int]], selector: selectors.BaseSelector, *, killing: bool
) -> None:
    """Close every pipe and reap every worker; on an error or interrupt, end them first."""
    for fd, (pid, task_fd) in children.items():
        if killing:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        os.close(task_fd)
        os.close(fd)
    selector.close()
    for pid, _task_fd in children.values():
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
