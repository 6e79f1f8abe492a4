"""The fork pool that runs large portfolios on every core: order, errors, no hangs, no zombies."""

from __future__ import annotations

import os

import pytest

from kamtool import forkpool

pytestmark = pytest.mark.skipif(not forkpool.available(), reason="no os.fork here")


def no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize("tasks,workers", [(0, 2), (1, 2), (3, 8), (57, 2), (200, 3)])
def test_results_come_back_in_task_order(tasks, workers):
    seen = []
    out = forkpool.run(lambda t: (t, os.getpid()), list(range(tasks)), workers, seen.append)
    assert [t for t, _pid in out] == list(range(tasks))
    assert sorted(t for t, _pid in seen) == list(range(tasks))
    assert len({pid for _t, pid in out}) <= max(1, min(tasks, workers))
    assert no_children_left()


def test_the_parent_works_beside_its_workers():
    """Two processes wanted: the parent and one forked child share the tasks (the parent
    does not sit idle collecting), and the child's results still come back in order."""
    import time

    def slow(t):
        time.sleep(0.01)
        return t, os.getpid()

    out = forkpool.run(slow, list(range(40)), 2)
    assert [t for t, _pid in out] == list(range(40))
    pids = {pid for _t, pid in out}
    assert os.getpid() in pids and len(pids) == 2
    assert no_children_left()


def test_work_is_shared_between_workers():
    import time

    def slow(t):
        time.sleep(0.01)
        return os.getpid()

    assert len(set(forkpool.run(slow, list(range(20)), 2))) == 2


def test_results_larger_than_a_pipe_buffer():
    out = forkpool.run(lambda t: bytes([t]) * 3_000_000, [1, 2, 3], 2)
    assert [len(x) for x in out] == [3_000_000] * 3 and out[2][0] == 3


def test_a_failing_task_is_an_error_not_a_hang():
    def task(t):
        if t == 7:
            raise ValueError("bad account")
        return t

    with pytest.raises(forkpool.WorkerError, match=r"(?s)task 7 failed.*ValueError: bad account"):
        forkpool.run(task, list(range(30)), 2)
    assert no_children_left()


def test_a_worker_that_dies_is_an_error_not_a_hang():
    import time

    parent = os.getpid()

    def task(t):
        if os.getpid() != parent:
            os._exit(3)  # a forked worker dies on its first task
        time.sleep(0.02)  # the parent, working beside it, leaves it tasks to take
        return t

    with pytest.raises(forkpool.WorkerError, match="ended"):
        forkpool.run(task, list(range(10)), 2)
    assert no_children_left()


def test_output_buffered_in_the_parent_is_not_written_by_workers(tmp_path):
    """Workers end with os._exit: what the parent has buffered is written once, by it."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from kamtool import forkpool\n"
        "sys.stdout.write('before\\n')\n"
        "print(sum(forkpool.run(lambda t: t, list(range(10)), 2)))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.stdout == "before\n45\n", out.stderr


def test_interrupting_a_parallel_run_leaves_no_worker_behind(tmp_path):
    """Ctrl-C while the workers run: kam says it was interrupted, exits 130 (the shell's
    code for it) and ends its workers."""
    import signal
    import time

    from processes import ENDED_ON_ITS_OWN, check_with_workers, portfolio

    proc = check_with_workers(portfolio(tmp_path), "2")
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    if proc.returncode in ENDED_ON_ITS_OWN:
        pytest.skip("the run ended before the interrupt arrived (a very fast machine)")
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert err.splitlines() == ["kam: interrupted"]  # one line says why the run ended
    # the workers end on their own once the parent is gone; a loaded machine may take a
    # moment to schedule them, so wait for it (bounded) rather than a fixed 0.2 s
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)  # nothing left in kam's process group


def test_a_program_with_threads_gets_fresh_interpreters_and_the_same_results(tmp_path):
    """Forking beside a running thread can deadlock the child: kam then spawns instead."""
    import sys
    import threading

    from conftest import REPO
    from kamtool.core import run

    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    generate(tmp_path, 60)
    alone = run([tmp_path / "accounts"], today="2026-11-24", cwd=tmp_path, jobs=2)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not forkpool.available()
        beside = run([tmp_path / "accounts"], today="2026-11-24", cwd=tmp_path, jobs=2)
    finally:
        stop.set()
        other.join()
    assert forkpool.available()
    assert [f.to_dict() for f in beside.findings] == [f.to_dict() for f in alone.findings]
    assert [a.grade.score for a in beside.accounts] == [a.grade.score for a in alone.accounts]
