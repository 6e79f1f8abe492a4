"""Review of the merged trials (leaver's agenda, extreme dates, JSON contract, templates,
large maps, unfriendly environments): the defects found by running kam, each held here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import TODAY, write_account

#: kam's own entry point (``cli.main``, which prepares the standard streams) on a platform
#: whose line separator is ``\r\n``: Python's pure-Python ``io`` stands in for the C one,
#: whose separator is fixed when Python is built, so that Windows' newline translation can
#: be seen on any system
WINDOWS_NEWLINES = """\
import _pyio, io, os, sys
os.linesep = "\\r\\n"
io.TextIOWrapper = _pyio.TextIOWrapper
# standard output as Python opens it on every platform (newline "\\n": on Windows the C
# runtime's text mode makes each "\\n" "\\r\\n" below it)
sys.stdout = _pyio.TextIOWrapper(sys.stdout.detach(), encoding="utf-8", newline="\\n")
from kamtool.cli import main
main()
"""


def test_standard_output_keeps_pythons_newlines(tmp_path: Path) -> None:
    """kam put its own wrapper on standard output (``streams.prepare``) with newline=None,
    which translates every "\\n" to the platform's separator: on Windows, where the C
    runtime already writes "\\r\\n" for "\\n", each line of a report ended "\\r\\r\\n". The
    wrapper writes lines as Python's own standard output does."""
    write_account(tmp_path, "acme")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAM_")}
    env.update({"KAM_TODAY": TODAY, "LANG": "en_US.UTF-8", "COLUMNS": "100"})
    for args in (["rules", "KAM101"], ["grade"], ["check", "--format", "json"]):
        got = subprocess.run(
            [sys.executable, "-c", WINDOWS_NEWLINES, *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            timeout=120,
        )
        assert got.returncode in (0, 1), got.stderr
        assert got.stdout.count(b"\n") > 3, got.stdout
        assert b"\r" not in got.stdout, (args, got.stdout[:300])


def test_no_slip_is_pointed_out_for_a_part_the_plan_does_not_use(kam, tmp_path: Path) -> None:
    """kam plan names a file of one's templates whose name is a slip of a part's. Beside a
    plan.md.j2 of one's own that uses no built-in part, every spare file near a part's
    name was "did you mean": notes.md.j2 'needs.md.j2', a part this plan has not got. Only
    the parts the plan was made of are meant; the built-in plan's slips are still said."""
    write_account(tmp_path, "acme")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "plan.md.j2").write_text("# {{ account.name }}\n", encoding="utf-8")
    (templates / "notes.md.j2").write_text("spare\n", encoding="utf-8")
    (templates / "acton_plan.md.j2").write_text("spare\n", encoding="utf-8")
    r = kam(tmp_path, "plan", "acme")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("# "), r.stdout
    assert r.stderr == ""
    # with the built-in plan, which has an action plan, a slip of its name is a slip
    (templates / "plan.md.j2").unlink()
    r = kam(tmp_path, "plan", "acme")
    assert r.exit_code == 0, r.stderr
    assert (
        "kam: note: templates/acton_plan.md.j2 replaces no part of the plan: did you mean "
        "'action_plan.md.j2'?"
    ) in r.stderr.splitlines()


def test_a_standard_error_that_cannot_be_written_does_not_change_the_exit_code(
    tmp_path: Path,
) -> None:
    """stderr on a full disk (``2> /dev/full``, a log file on the disk that filled): a
    note kam could not write there was an internal error, exit 1, the code of findings,
    after a plan written whole; with standard output failing too it was exit 1, not the 2
    of "cannot write the output". The note is dropped, the exit code is the run's."""
    if not os.path.exists("/dev/full"):  # pragma: no cover - not Linux
        return
    write_account(tmp_path, "acme")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "acton_plan.md.j2").write_text("spare\n", encoding="utf-8")  # a note
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAM_")}
    env.update({"KAM_TODAY": TODAY, "LANG": "en_US.UTF-8"})

    def run(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
        with open("/dev/full", "wb") as full:
            return subprocess.run(
                [sys.executable, "-m", "kamtool", *args],
                cwd=tmp_path,
                env=env,
                stdout=full if stdout is None else stdout,
                stderr=full,
                timeout=120,
            )

    got = run("plan", "acme")
    assert got.returncode == 0
    assert b"\n## 3. Action plan\n" in got.stdout
    assert run("grade", "--today", "someday").returncode == 2  # a usage error stays one
    assert run("grade", stdout=None).returncode == 2  # cannot write the output
