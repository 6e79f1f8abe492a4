"""Trying to break the fork pool where the parent works beside its workers (real processes)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from kamtool import forkpool

pytestmark = pytest.mark.skipif(not forkpool.available(), reason="no os.fork here")


def no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_a_task_of_the_parent_that_raises_ends_the_workers():
    parent = os.getpid()

    def task(t):
        if os.getpid() == parent:
            raise RuntimeError("the parent's own task")
        time.sleep(0.01)
        return t

    with pytest.raises(forkpool.WorkerError, match="the parent's own task"):
        forkpool.run(task, list(range(40)), 3)
    assert no_children_left()


def test_a_result_that_cannot_be_pickled_is_an_error_not_a_hang():
    parent = os.getpid()

    def task(t):
        if os.getpid() != parent:
            return threading.Lock()  # pickle refuses it
        time.sleep(0.01)
        return t

    with pytest.raises(forkpool.WorkerError):
        forkpool.run(task, list(range(10)), 2)
    assert no_children_left()


@pytest.mark.parametrize("workers", [2, 3, 8])
def test_more_tasks_than_a_pipe_holds_indices(workers):
    n = 40_000  # 160 kB of indices: more than a default pipe
    out = forkpool.run(lambda t: t * 2, list(range(n)), workers)
    assert out == [t * 2 for t in range(n)]
    assert no_children_left()


def test_a_slow_parent_with_workers_sending_more_than_their_pipe():
    parent = os.getpid()

    def task(t):
        if os.getpid() == parent:
            time.sleep(0.3)  # a long task of its own while the child fills its pipe
            return b""
        return bytes([t % 256]) * 400_000

    out = forkpool.run(task, list(range(30)), 2)
    assert len(out) == 30
    assert all(x == b"" or x == bytes([i % 256]) * 400_000 for i, x in enumerate(out))
    assert no_children_left()


def test_an_exception_that_is_not_an_exception_in_a_worker(tmp_path):
    """SystemExit raised in a worker's task (not an Exception): an error, never a hang."""
    parent = os.getpid()

    def task(t):
        if os.getpid() != parent:
            raise SystemExit(4)
        time.sleep(0.01)
        return t

    with pytest.raises(forkpool.WorkerError):
        forkpool.run(task, list(range(10)), 2)
    assert no_children_left()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("jobs", ["2", "3"])
def test_ctrl_c_to_the_whole_group(tmp_path, jobs):
    """The terminal sends SIGINT to every process of the group: kam and its workers."""
    from processes import ENDED_ON_ITS_OWN, check_with_workers, portfolio

    portfolio(tmp_path)
    for delay in (0.0, 0.02, 0.05):
        proc = check_with_workers(tmp_path, jobs)
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
        assert "Traceback" not in err, err
        assert proc.returncode in (*ENDED_ON_ITS_OWN, 130), err
        assert len(err.strip().splitlines()) <= 1, err
        if proc.returncode == 130:
            assert err.splitlines() == ["kam: interrupted"]
        deadline = time.monotonic() + 10
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _group_alive(proc.pid)


@pytest.mark.parametrize("jobs", ["1", "2", "3", "8"])
def test_kam_jobs_gives_the_same_report(tmp_path, jobs):
    from conftest import REPO

    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    generate(tmp_path, 130)
    kam = [sys.executable, "-c", "from kamtool.cli import main; main()"]
    outs = []
    for j in ("1", jobs):
        env = {**os.environ, "KAM_TODAY": "2026-11-24", "KAM_JOBS": j}
        for cmd in (["check", "--format", "json"], ["grade", "--format", "json"]):
            p = subprocess.run(kam + cmd, cwd=tmp_path, env=env, capture_output=True)
            assert b"Traceback" not in p.stderr
            outs.append(p.stdout)
    assert outs[:2] == outs[2:]


@pytest.mark.parametrize("workers", [2, 3])
def test_an_interrupt_held_over_a_fork_ends_the_run_cleanly(workers):
    """Ctrl-C while a worker is being forked is held until the worker is known, and
    arrives as the signals are let through again: the run ends as interrupted, with no
    worker left behind. It ended as "internal error: OSError: Bad file descriptor" (the
    worker's pipe closed twice), and its workers were neither ended nor reaped. The
    interrupt is sent by the process itself, at the fork (``os.register_at_fork``)."""
    script = (
        "import os, signal, time\n"
        "from kamtool import forkpool\n"
        "os.register_at_fork(before=lambda: os.kill(os.getpid(), signal.SIGINT))\n"
        "def task(t):\n"
        "    time.sleep(0.01)\n"
        "    return t\n"
        "try:\n"
        f"    forkpool.run(task, list(range(40)), {workers})\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted')\n"
        "try:\n"
        "    os.waitpid(-1, os.WNOHANG)\n"
        "    print('a worker left')\n"
        "except ChildProcessError:\n"
        "    print('none left')\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.stdout == "interrupted\nnone left\n", out.stderr
