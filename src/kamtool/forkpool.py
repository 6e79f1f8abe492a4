"""Run tasks on forked worker processes: the smallest pool that does kam's job.

concurrent.futures' process pool costs about 12 ms of imports (multiprocessing, logging,
subprocess...), a manager thread and a feeder thread before any work starts; a portfolio of
a few hundred accounts takes about 0.1 s in all, so that start was a visible share. Here the
workers are forked children that already hold everything imported and every task, and each
sends back its results pickled, length-prefixed, on a pipe of its own; results come back in
task order.

The calling process works too (``_run_beside``): with N processes wanted it forks N - 1
children and takes tasks beside them from one shared queue, a pipe that holds every task's
4-byte index before the first fork (each process reads the next index when it is free).
Between its own tasks it reads back what the children sent. Its own results are neither
pickled nor read back, and on a machine of N cores no core waits on a parent that only
collects. A child must not stall while the parent is busy with a task: that needs result
pipes large enough to hold a few results (``F_SETPIPE_SZ``, Linux); where they cannot be
made so, the parent hands out the tasks and only collects (``_run_collecting``, each
worker told its next task on a pipe of its own).

Where ``os.fork`` does not exist, or other threads run, ``parallel`` uses fresh interpreters
(``spawnpool``) or this process instead.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import selectors
import signal
import struct
import traceback
from collections.abc import Callable, Iterator, Sequence
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
    """``[fn(t) for t in tasks]`` on ``workers`` processes, this one among them where it
    can be (see the module's text); ``on_result`` sees each result as it arrives (in
    completion order). A task that raises, in any of them, is a ``WorkerError``."""
    if workers > 1 and len(tasks) > 1:
        results = _run_beside(fn, tasks, workers, on_result)
        if results is not None:
            return results
    return _run_collecting(fn, tasks, workers, on_result)


#: room in a child's result pipe: what it may send ahead while the parent works on a task
#: of its own (a task of 25 neglected accounts pickles to about 240 kB)
_RESULT_ROOM = 1 << 20


def _room(fd: int, size: int) -> bool:
    """Whether the pipe of ``fd`` could be made to hold ``size`` bytes (Linux only)."""
    try:
        import fcntl

        return bool(fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, size) >= size)
    except (ImportError, AttributeError, OSError):
        return False


def _task_queue(count: int) -> int | None:
    """The read end of a pipe that holds the indices ``0 .. count - 1``, its write end
    closed, so that whoever reads after the last index reads the end of the file; None
    where the pipe cannot hold them all."""
    read_fd, write_fd = os.pipe()
    try:
        data = struct.pack(f"<{count}i", *range(count))
        os.set_blocking(write_fd, False)
        if len(data) > 4096 and not _room(write_fd, len(data)):
            os.close(read_fd)
            return None
        try:
            written = os.write(write_fd, data)
        except BlockingIOError:
            written = 0
        if written != len(data):
            os.close(read_fd)
            return None
    finally:
        os.close(write_fd)
    return read_fd


def _run_beside(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    workers: int,
    on_result: Callable[[R], None] | None,
) -> list[R] | None:
    """``run`` with this process working beside ``workers - 1`` children, all taking tasks
    from one queue; None (nothing started) where the pipes cannot be made large enough."""
    first = os.pipe()
    queue = _task_queue(len(tasks)) if _room(first[1], _RESULT_ROOM) else None
    if queue is None:
        os.close(first[0])
        os.close(first[1])
        return None
    results: list[R | None] = [None] * len(tasks)
    done = bytearray(len(tasks))  # 1 for each task whose result is in
    missing = len(tasks)
    children: dict[int, tuple[int, int]] = {}  # result fd -> (pid, -1: no task pipe)
    selector = selectors.DefaultSelector()
    buffers: dict[int, bytearray] = {}
    complete = False

    def arrived(index: int, value: R) -> None:
        nonlocal missing
        results[index] = value
        done[index] = 1
        missing -= 1
        if on_result is not None:
            on_result(value)

    def collect(timeout: float | None) -> None:
        """Read what the children sent (waiting at most ``timeout``); a child that ended
        is forgotten here, and any task it left undone is found missing at the end."""
        for key, _events in selector.select(timeout):
            fd = key.fd
            chunk = os.read(fd, _RESULT_ROOM)
            if not chunk:
                selector.unregister(fd)
                continue
            for index, value in _frames(buffers[fd], chunk):
                arrived(index, cast("R", value))

    try:
        pipe: tuple[int, int] | None = first
        for _worker in range(min(workers, len(tasks)) - 1):
            if pipe is None:
                pipe = os.pipe()
                _room(pipe[1], _RESULT_ROOM)  # a child that cannot send ahead only waits
            # an interrupt between the fork and this bookkeeping would leave a worker
            # nobody reaps: hold it until the worker is known (it arrives right after)
            held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
            try:
                fd, pid, _none = _fork_worker(fn, tasks, children, held, queue, pipe)  # type: ignore[arg-type]
                children[fd] = (pid, -1)
                # the worker's now (its ends closed or in ``children``), before an interrupt
                # held over the fork arrives: else closed twice below, and no worker ended
                pipe = None
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
            buffers[fd] = bytearray()
            selector.register(fd, selectors.EVENT_READ)
        while raw := _read_exactly(queue, _INDEX.size):
            (index,) = _INDEX.unpack(raw)
            try:
                value = fn(tasks[index])
            except Exception:
                raise WorkerError.task_failed(index, traceback.format_exc()) from None
            arrived(index, value)
            collect(0)
        while missing and selector.get_map():
            collect(None)
        if missing:
            index = done.index(0)
            raise WorkerError(_("a worker process ended during task {index}").format(index=index))
        complete = True
        return cast("list[R]", results)  # every task's slot is filled by now
    finally:
        if pipe is not None:  # made, but no child was forked with it
            os.close(pipe[0])
            os.close(pipe[1])
        os.close(queue)
        _stop(children, selector, killing=not complete)


def _run_collecting(
    fn: Callable[[T], R],
    tasks: Sequence[T],
    workers: int,
    on_result: Callable[[R], None] | None = None,
) -> list[R]:
    """``run`` with a parent that hands out the tasks and collects: each worker is told its
    next task on a pipe of its own as it sends a result back."""
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
                for index, value in _frames(buffers[fd], chunk):
                    result = cast("R", value)  # what fn returned in the child
                    results[index] = result
                    if on_result is not None:
                        on_result(result)
                    next_index = _give(children[fd][1], pending)
                    if next_index < 0:  # this worker is done and will end
                        del busy[fd]
                        selector.unregister(fd)
                        break
                    busy[fd] = next_index
        return cast("list[R]", results)  # every task's slot is filled by now
    finally:
        _stop(children, selector, killing=bool(busy))


def _frames(buffer: bytearray, chunk: bytes) -> Iterator[tuple[int, object]]:
    """The (task index, result) of each whole frame a child's pipe holds once ``chunk`` is
    added to what came before it (``buffer``, which keeps the part of a frame still to
    come); a task that raised in the child raises its WorkerError here."""
    buffer += chunk
    while len(buffer) >= _SIZE.size:
        (size,) = _SIZE.unpack_from(buffer)
        if len(buffer) < _SIZE.size + size:
            return
        index, ok, value = pickle.loads(buffer[_SIZE.size : _SIZE.size + size])
        del buffer[: _SIZE.size + size]
        if not ok:
            raise WorkerError.task_failed(index, value)
        yield index, value


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
    queue: int | None = None,
    result_pipe: tuple[int, int] | None = None,
) -> tuple[int, int, int]:
    """Fork a worker serving ``tasks``: (its result fd, its pid, the fd to tell it its next
    task on, -1 when it reads them from the shared ``queue``)."""
    task_read, task_write = os.pipe() if queue is None else (queue, -1)
    result_read, result_write = os.pipe() if result_pipe is None else result_pipe
    pid = os.fork()
    if pid == 0:  # the worker: never returns
        code = 1
        try:
            if signals is not None:  # the caller's signal mask, not the one held for the fork
                signal.pthread_sigmask(signal.SIG_SETMASK, signals)
            if task_write >= 0:
                os.close(task_write)
            os.close(result_read)
            for fd, (_pid, other_task_fd) in others.items():  # the parent's ends of others
                os.close(fd)
                if other_task_fd >= 0:
                    os.close(other_task_fd)
            _serve(fn, tasks, task_read, result_write)
            code = 0
        finally:
            os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
    if queue is None:
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
        if task_fd >= 0:
            os.close(task_fd)
        os.close(fd)
    selector.close()
    for pid, _task_fd in children.values():
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
