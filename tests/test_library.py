"""kamtool.core.run as a library: a program with threads gets its results (never a hang,
never a word on its terminal), arguments are read as a caller means them or refused
with a KamError, and the fresh-interpreter pool fails cleanly."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import REPO
from kamtool import spawnpool
from kamtool.core import KamError, NotFound, UsageError, WorkerError, run

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate

TODAY = "2026-12-01"

#: the README's example plus a thread, and no ``if __name__ == "__main__":`` guard:
#: fresh interpreters that re-imported this script would run it again
THREADED_SCRIPT = textwrap.dedent(
    """\
    import json, sys, threading
    from kamtool.core import run

    stop = threading.Event()
    threading.Thread(target=stop.wait, daemon=True).start()

    def summary(result):
        return {
            "ids": [a.id for a in result.accounts],
            "scores": [a.grade.score if a.grade else None for a in result.accounts],
            "findings": [f.to_dict() for f in result.findings],
        }

    out = {}
    for name, jobs in (("auto", None), ("two", 2), ("one", 1)):
        out[name] = summary(run(["accounts"], today="2026-12-01", jobs=jobs))
    stop.set()
    with open(sys.argv[1], "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False)
    """
)


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_a_script_with_a_thread_gets_the_results_of_one_process(tmp_path, language):
    """The developer's report: 150+ accounts, a running thread, no main guard: kam hung
    and printed tracebacks. Now the automatic run stays in the process, jobs=2 uses
    fresh interpreters that import only kamtool, and both equal jobs=1, in kam.yaml's
    language, with nothing printed."""
    generate(tmp_path, 170, people=4, health="neglected")
    (tmp_path / "kam.yaml").write_text(f"language: {language}\n", encoding="utf-8")
    (tmp_path / "script.py").write_text(THREADED_SCRIPT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAM_", "LC_", "LANG"))}
    done = subprocess.run(
        [sys.executable, "script.py", "out.json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,  # a hang fails the test rather than the suite
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    out = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert len(out["one"]["ids"]) == 170 and len(out["one"]["findings"]) > 170
    assert out["auto"] == out["one"]
    assert out["two"] == out["one"]
    messages = " ".join(f["message"] for f in out["two"]["findings"])
    if language == "zh-CN":
        assert any("\u4e00" <= c <= "\u9fff" for c in messages)
    else:
        assert messages.isascii()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: kam runs in one process")
def test_the_kam_command_beside_a_thread_uses_fresh_interpreters(tmp_path):
    """kam itself (cli.main) is the whole program: where a fork is not safe it still runs
    on every core, in fresh interpreters, with the output of one process."""
    generate(tmp_path, 160, people=4, health="neglected")
    boot = (
        "import sys, threading\n"
        "threading.Thread(target=threading.Event().wait, daemon=True).start()\n"
        "from kamtool import parallel, spawnpool\n"
        "from kamtool.cli import main\n"
        "used = []\n"
        "real = spawnpool.run\n"
        "spawnpool.run = lambda *a, **k: used.append(1) or real(*a, **k)\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    sys.stderr.write(f'spawned={bool(used)}\\n')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAM_")}
    env["KAM_TODAY"] = TODAY

    def kam_check(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", boot, "check", "--format", "json"],
            cwd=tmp_path,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=180,
        )

    beside = kam_check()
    alone = kam_check(KAM_JOBS="1")
    assert beside.returncode == alone.returncode == 1  # a neglected portfolio has errors
    assert beside.stderr == "spawned=True\n" and alone.stderr == "spawned=False\n"
    assert json.loads(beside.stdout) == json.loads(alone.stdout)


def test_the_readme_library_example_runs(tmp_path):
    """The README's example, as shown, on a portfolio unlike the examples."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use as a library", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    generate(tmp_path, 4, people=3, seed=5, health="neglected")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stderr == ""
    assert "acct-00003" in done.stdout and "accounts/acct-00000/" in done.stdout
    empty = tmp_path / "empty"
    (empty / "accounts").mkdir(parents=True)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=empty, capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("kam: no account folders in accounts")


# ---------------------------------------------------------------- the fresh-interpreter pool
# module-level: a fresh interpreter finds them by name (this folder is on the caller's sys.path)
def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def fail_on_seven(n: int) -> int:
    if n == 7:
        raise ValueError("bad account")
    return n


def die_on_three(n: int) -> int:
    if n == 3:
        os._exit(3)
    return n


def test_fresh_interpreters_return_results_in_task_order():
    seen: list[tuple[int, int]] = []
    out = spawnpool.run(square_and_pid, list(range(23)), 2, seen.append)
    assert [r for r, _pid in out] == [n * n for n in range(23)]
    assert sorted(r for r, _pid in seen) == sorted(n * n for n in range(23))
    assert os.getpid() not in {pid for _r, pid in out}


def test_a_failing_task_in_a_fresh_interpreter_is_a_kam_error(capfd):
    with pytest.raises(WorkerError, match="task 7 failed in a worker process: ValueError: bad"):
        spawnpool.run(fail_on_seven, list(range(30)), 2)
    assert capfd.readouterr() == ("", "")


def test_a_fresh_interpreter_that_dies_is_a_kam_error_not_a_hang(capfd):
    with pytest.raises(KamError, match="a worker process ended during task 3"):
        spawnpool.run(die_on_three, list(range(10)), 2)
    assert capfd.readouterr() == ("", "")


def test_workers_that_cannot_start_leave_the_work_to_this_process(monkeypatch, capfd):
    """No Python to start (a missing executable), or one that exits before it is ready
    (here: a boot script that fails, as a broken install would): the run completes here."""
    monkeypatch.setattr(spawnpool, "_BOOT", "import sys\nprint('broken')\nsys.exit(3)\n")
    out = spawnpool.run(square_and_pid, list(range(9)), 2)
    assert [r for r, _pid in out] == [n * n for n in range(9)]
    assert {pid for _r, pid in out} == {os.getpid()}
    monkeypatch.setattr(sys, "executable", str(Path(sys.executable).parent / "no-such-python"))
    out = spawnpool.run(square_and_pid, list(range(9)), 2)
    assert {pid for _r, pid in out} == {os.getpid()}
    assert capfd.readouterr() == ("", "")


# ---------------------------------------------------------------- arguments
@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    generate(tmp_path, 5, people=3, seed=11, health="neglected")
    return tmp_path


def summary(result) -> list:
    return [f.to_dict() for f in result.findings] + [
        a.grade.score if a.grade else None for a in result.accounts
    ]


def test_one_path_as_a_str_or_path_is_one_argument(portfolio):
    listed = run(["accounts"], cwd=portfolio, today=TODAY)
    assert len(listed.accounts) == 5
    assert summary(run("accounts", cwd=portfolio, today=TODAY)) == summary(listed)
    one = run(portfolio / "accounts" / "acct-00002", cwd=portfolio, today=TODAY)
    assert [a.id for a in one.accounts] == ["acct-00002"]
    assert [a.id for a in run("acct-00003", cwd=portfolio, today=TODAY).accounts] == ["acct-00003"]


def test_finding_paths_are_relative_to_cwd(portfolio):
    inside = run(cwd=portfolio / "accounts", today=TODAY).findings
    above = run(cwd=portfolio, today=TODAY).findings
    assert inside and all(not f.path.startswith("accounts/") for f in inside)
    assert [f"accounts/{f.path}" for f in inside] == [f.path for f in above]
    elsewhere = portfolio / "elsewhere"
    elsewhere.mkdir()
    outside = run(portfolio / "accounts", cwd=elsewhere, today=TODAY).findings
    assert [f.path for f in outside] == [f"{portfolio.as_posix()}/{f.path}" for f in above]


def test_a_datetime_counts_as_its_date(portfolio):
    at_ten = run(cwd=portfolio, today=dt.datetime(2026, 12, 1, 10, 0))
    assert at_ten.today == dt.date(2026, 12, 1) and type(at_ten.today) is dt.date
    assert summary(at_ten) == summary(run(cwd=portfolio, today=TODAY))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"today": 20261201}, "today must be a date or text YYYY-MM-DD, not int 20261201"),
        ({"today": 2026.5}, "today must be a date or text YYYY-MM-DD, not float 2026.5"),
        ({"today": "soon"}, "today must be a date YYYY-MM-DD, not 'soon'"),
        ({"today": "2026-02-30"}, "today: '2026-02-30' is not a real calendar date"),
        ({"keep": "bogus"}, "keep must be one of all, grades, findings, not 'bogus'"),
        ({"paths": [3]}, "paths must be a path or a list of paths, not int 3"),
        ({"paths": b"accounts"}, "paths must be a path or a list of paths, not bytes"),
        ({"paths": 7}, "paths must be a path or a list of paths, not int 7"),
        ({"cwd": 5}, "cwd must be a path, not int 5"),
        ({"cwd": "/nonexistent-kam"}, "cwd must be an existing folder, not '/nonexistent-kam'"),
        ({"config_path": ["kam.yaml"]}, "config_path must be a path, not list"),
        ({"jobs": -1}, "jobs must be a whole number, 0 or more, not int -1"),
        ({"jobs": "2"}, "jobs must be a whole number, 0 or more, not str '2'"),
        ({"rules": "no"}, "rules must be True or False, not str 'no'"),
        ({"progress": 3}, "progress must be a callable(done, total), not int 3"),
    ],
)
def test_wrong_arguments_are_usage_errors(portfolio, kwargs, message):
    kwargs = {"today": TODAY, "cwd": portfolio, **kwargs}
    with pytest.raises(UsageError) as caught:
        run(**kwargs)
    assert message in caught.value.message
    assert isinstance(caught.value, KamError) and caught.value.exit_code == 2


def test_a_bad_kam_today_is_named(portfolio, monkeypatch):
    monkeypatch.setenv("KAM_TODAY", "tomorrow")
    with pytest.raises(UsageError, match="KAM_TODAY must be a date YYYY-MM-DD, not 'tomorrow'"):
        run(cwd=portfolio)


def test_keep_choices_are_accepted(portfolio):
    for keep in ("all", "grades", "findings"):
        assert len(run(cwd=portfolio, today=TODAY, keep=keep).accounts) == 5


def test_no_such_account_is_not_found(portfolio):
    with pytest.raises(NotFound, match="no account 'nobody'"):
        run("nobody", cwd=portfolio, today=TODAY)


def test_a_command_run_earlier_in_the_process_leaves_no_language_behind(kam, portfolio):
    """`kam --lang zh-CN ...` run in the same process (a tool, a test harness) left its
    language set: the library's next run spoke Chinese to a caller who never asked."""
    r = kam(portfolio, "--lang", "zh-CN", "check", "nobody")
    assert r.exit_code == 1 and "没有客户" in r.stderr
    with pytest.raises(NotFound, match="no account 'nobody'"):
        run("nobody", cwd=portfolio, today=TODAY)


def test_a_file_as_cwd_is_refused(portfolio):
    """run(cwd="kam.yaml") ran from the file's folder as if nothing were wrong."""
    (portfolio / "notes.txt").write_text("x")
    with pytest.raises(UsageError, match="cwd must be an existing folder"):
        run(today=TODAY, cwd=portfolio / "notes.txt")


@pytest.mark.parametrize("keep", ["grades", "findings"])
def test_a_slimmed_result_carries_no_people(keep):
    """What a worker sends back for check, stale, validate and grade holds no people: not
    the list, nor an index of it built while grading (namesakes named with their ids).
    Those 25 models an account, unpickled in the parent, cost kam check 40% more
    processor time on 2,000 accounts."""
    import pickle

    from kamtool.core import run
    from kamtool.load.models import Stakeholder

    result = run(str(REPO / "accounts"), today="2026-11-30", jobs=1, keep="all")
    account = result.accounts[0]
    assert account.account.stakeholders
    account.account.person_name(account.account.stakeholders[0].id)  # builds the index
    account.slim(keep)
    payload = pickle.dumps(account)
    assert Stakeholder.__name__.encode() not in payload


def test_the_readme_diff_and_history_example_runs(tmp_path):
    """The README's example of run_diff and run_history, as shown, on a repository of two
    commits: what it prints agrees with `kam diff` and `kam history --format json`."""
    import gitrepo

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use as a library", 1)[1]
    code = next(c for c in section.split("```python\n")[1:] if "run_diff" in c).split("```")[0]
    repo = gitrepo.new_repo(tmp_path / "team")
    generate(repo, 3, people=4, seed=11, health="neglected")
    gitrepo.commit(repo, "three accounts", date="2026-10-01")
    people = repo / "accounts" / "acct-00001" / "stakeholders.yaml"
    before = people.read_text(encoding="utf-8")
    after = before.replace("attitude: ", "attitude: -3  # was ", 1)
    assert after != before
    people.write_text(after, encoding="utf-8")
    gitrepo.commit(repo, "acct-00001: the first person turned against us", date="2026-11-02")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    lines = done.stdout.splitlines()
    cli = json.loads(
        subprocess.run(
            [sys.executable, "-m", "kamtool", "diff", "HEAD~1", "HEAD", "--format", "json"],
            cwd=repo,
            capture_output=True,
            text=True,
            env={**os.environ, "KAM_TODAY": "2026-11-24"},
        ).stdout
    )
    (changed,) = cli["accounts"]
    assert lines[0] == (
        f"acct-00001 changed {changed['before']['score']} -> {changed['after']['score']}"
    )
    assert any("attitude" in line and "-3" in line for line in lines[1:]), lines
    history = json.loads(
        subprocess.run(
            [sys.executable, "-m", "kamtool", "history", "--format", "json"],
            cwd=repo,
            capture_output=True,
            text=True,
            env={**os.environ, "KAM_TODAY": "2026-11-24"},
        ).stdout
    )
    rows = [line.split() for line in lines if line.startswith("acct-") and " 2026-" in line]
    assert len(rows) == sum(len(a["revisions"]) for a in history["accounts"]) == 4, lines
    for acct in history["accounts"]:
        for rev in acct["revisions"]:
            assert [acct["id"], rev["date"], rev["commit"][:7]] in [r[:3] for r in rows]
