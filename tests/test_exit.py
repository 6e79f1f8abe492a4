"""How the ``kam`` command ends (``cli.entry``): once the report is written and both
streams are flushed it leaves without tearing the interpreter down, and nothing of what
the ordinary exit does for a user is lost: the whole report, the exit code, the exit
handlers and threads of a program that runs kam's entry point itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO

TODAY = "2026-11-24"


def _run(args: list[str], cwd: Path, code: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAM_")}
    env["KAM_TODAY"] = TODAY
    cmd = (
        [sys.executable, "-m", "kamtool", *args]
        if code is None
        else [sys.executable, "-c", code, *args]
    )
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def _portfolio(path: Path) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    generate(path, 120, people=6, health="neglected")
    return path


def test_a_large_report_is_whole_and_the_exit_code_kept(tmp_path):
    root = _portfolio(tmp_path)
    r = _run(["check", "--format", "json"], root)
    doc = json.loads(r.stdout)  # the whole document, to its last byte
    assert doc["summary"]["errors"] > 0 and r.returncode == 1, r.stderr
    assert len(doc["findings"]) == sum(doc["summary"].values()) - doc["summary"]["accounts"]
    text = _run(["check"], root)
    assert text.returncode == 1 and text.stdout.endswith("\n")
    s = doc["summary"]
    last = text.stdout.splitlines()[-1]  # the summary: written last, so the whole report was
    assert last == (
        f"{s['errors']:,} errors, {s['warnings']:,} warnings, {s['infos']:,} info "
        f"in {s['accounts']} accounts"
    )
    clean = _run(["--version"], root)
    assert clean.returncode == 0 and clean.stdout.startswith("kam ")


ENTRY = "import sys\nsys.argv[0] = 'kam'\n{before}\nfrom kamtool.cli import entry\nentry()\n"


def test_exit_handlers_of_a_program_running_the_entry_point_still_run(tmp_path):
    before = "import atexit\natexit.register(lambda: sys.stderr.write('handler ran\\n'))"
    r = _run(["--version"], tmp_path, ENTRY.format(before=before))
    assert r.returncode == 0 and r.stdout.startswith("kam ")
    assert r.stderr == "handler ran\n"


def test_a_thread_still_running_is_waited_for(tmp_path):
    before = (
        "import threading, time\n"
        "def late():\n"
        "    time.sleep(0.3)\n"
        "    print('thread done', flush=True)\n"
        "threading.Thread(target=late).start()"
    )
    r = _run(["--version"], tmp_path, ENTRY.format(before=before))
    assert r.returncode == 0
    assert r.stdout.splitlines()[-1] == "thread done", r.stdout


def test_a_report_that_cannot_be_written_still_says_so(tmp_path):
    if not os.path.exists("/dev/full"):
        return
    root = _portfolio(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAM_")}
    env["KAM_TODAY"] = TODAY
    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [sys.executable, "-m", "kamtool", "check", "--format", "json"],
            cwd=root,
            env=env,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert r.returncode == 2
    assert r.stderr.startswith("kam: error: cannot write the output"), r.stderr
