"""A ``kam check`` run caught while its worker processes run, for the tests that
interrupt it (test_forkpool, test_forkpool_review): one way to start it and to tell that
the workers have started, where the two tests had a copy each."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO


def portfolio(path: Path, accounts: int = 800) -> Path:
    """A generated portfolio (benchmarks/generate.py) large enough to run on workers."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    generate(path, accounts)
    return path


def check_with_workers(cwd: Path, jobs: str) -> subprocess.Popen[str]:
    """``kam check`` in a session of its own (its process group is its id), returned once
    its workers run (or it ended); skips where /proc does not list a process's children."""
    env = {**os.environ, "KAM_TODAY": "2026-11-24", "KAM_JOBS": jobs}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from kamtool.cli import main; main()", "check"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        text=True,
    )
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 30
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if children.read_text().split():  # the workers are running
                break
        except OSError:
            proc.kill()
            proc.communicate()
            pytest.skip("no /proc/PID/task/PID/children here to see the workers start")
        time.sleep(0.002)
    return proc


#: ``kam check``'s own exit codes: a run that ended before an interrupt arrived
ENDED_ON_ITS_OWN = (0, 1)
