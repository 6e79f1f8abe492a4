"""kam history and kam diff over a year of commits, as ratios to one kam grade.

    python benchmarks/history.py [--accounts 200] [--weeks 52] [--repeat 5] [--work DIR] [--packed]

Builds a git repository of N generated accounts (benchmarks/generate.py), then one commit
a week, each touching 5-10 accounts as a team does (attitudes, contacts, an action's
status, a new person now and then), with committer dates a week apart. Then, in paired
rounds (each round runs all three one after the other, the ratio is the median of the
rounds' ratios, as in run.py):

- ``kam history --format json`` over the whole history, each revision graded as of its
  commit date; target: at most 3x one ``kam grade --format json`` of the final tree;
- ``kam diff HEAD~52 HEAD --format json`` (the first week against the last); target:
  under 1x ``kam grade``;
- ``kam diff HEAD~1 HEAD --format json`` (the last week: a pull request's size), for
  comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

KAM = str(Path(sys.executable).parent / "kam")
TODAY = "2026-11-24"


def git(cwd: Path, *args: str, date: str | None = None) -> None:
    env = dict(os.environ)
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T09:00:00+00:00"
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def week_of_edits(repo: Path, accounts: int, week: int, rng: random.Random) -> None:
    """5-10 accounts changed: an attitude, a contact date, an action's status, a new person."""
    day = dt.date(2025, 11, 3) + dt.timedelta(weeks=week)
    for i in rng.sample(range(accounts), rng.randint(5, 10)):
        folder = repo / "accounts" / f"acct-{i:05d}"
        people = folder / "stakeholders.yaml"
        text = people.read_text()
        kind = rng.randrange(4)
        if kind == 0:
            a, b = rng.sample(["attitude: 2", "attitude: 1", "attitude: -1", "attitude: 0"], 2)
            text = text.replace(a, b, 1)
        elif kind == 1:
            head, sep, rest = text.partition("last_contact: ")
            if sep:
                text = head + sep + day.isoformat() + rest[10:]
        elif kind == 2:
            targets = folder / "targets.yaml"
            t = targets.read_text()
            targets.write_text(t.replace("status: planned", "status: done", 1))
        else:
            text += (
                f"  - id: new-{week}\n    name: New Person {week}\n    roles: [E]\n"
                f"    attitude: '?'\n    last_contact: {day.isoformat()}\n"
            )
        people.write_text(text)


def build(repo: Path, accounts: int, weeks: int) -> None:
    repo.mkdir(parents=True)
    generate(repo, accounts)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "bench@example.com")
    git(repo, "config", "user.name", "bench")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "portfolio", date="2025-11-01")
    rng = random.Random(52)
    for week in range(weeks):
        week_of_edits(repo, accounts, week, rng)
        git(repo, "add", "-A")
        date = (dt.date(2025, 11, 3) + dt.timedelta(weeks=week)).isoformat()
        git(repo, "commit", "-qm", f"week {week + 1}", date=date)


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its workers): on a shared machine whose
    other tenants keep the cores busy, CPU time still compares the work done."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=200)
    ap.add_argument("--weeks", type=int, default=52)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument(
        "--packed",
        action="store_true",
        help="run `git gc` first: objects in a pack, as in a clone (CI), not one file each "
        "(the repository in --work stays packed for later runs)",
    )
    a = ap.parse_args()
    work = a.work or Path(tempfile.mkdtemp(prefix="kam-history-bench-"))
    repo = work / f"history-{a.accounts}-{a.weeks}"
    if not repo.exists():
        build(repo, a.accounts, a.weeks)
    if a.packed:
        git(repo, "gc", "-q")
    # kam as pip installs it, with its bytecode compiled (as run.py does: an editable
    # install under PYTHONDONTWRITEBYTECODE would compile kam's modules on every run, and
    # diff and history import more of them than grade)
    import kamtool

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(kamtool.__file__).parent)], check=True
    )
    base = {**os.environ, "NO_COLOR": "1"}
    pinned = {**base, "KAM_TODAY": TODAY}
    dated = {k: v for k, v in base.items() if k != "KAM_TODAY"}
    rounds: dict[str, list[tuple[float, float]]] = {
        "grade": [],
        "history": [],
        "diff": [],
        "week": [],
    }
    for _ in range(a.repeat):
        rounds["grade"].append(timed([KAM, "grade", "--format", "json"], repo, pinned))
        rounds["history"].append(timed([KAM, "history", "--format", "json"], repo, dated))
        rounds["diff"].append(
            timed([KAM, "diff", f"HEAD~{a.weeks}", "HEAD", "--format", "json"], repo, pinned)
        )
        # one week's commit, the size of a pull request under review: 5-10 accounts
        rounds["week"].append(
            timed([KAM, "diff", "HEAD~1", "HEAD", "--format", "json"], repo, pinned)
        )

    def ratio(name: str, which: int) -> float:
        return statistics.median(
            r[which] / g[which] for r, g in zip(rounds[name], rounds["grade"], strict=True)
        )

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(
        f"{a.accounts} accounts, {a.weeks} weekly commits of 5-10 accounts each"
        + (", objects packed" if a.packed else ", loose objects")
    )
    for name, label, target in (
        ("grade", "kam grade (final tree)", ""),
        ("history", "kam history (all commits)", "target <= 3x"),
        ("diff", f"kam diff HEAD~{a.weeks} HEAD", "target < 1x"),
        ("week", "kam diff HEAD~1 HEAD", "(one week)"),
    ):
        wall = min(r[0] for r in rounds[name])
        cpu = min(r[1] for r in rounds[name])
        line = f"  {label:28s} wall {wall:6.2f} s, CPU {cpu:6.2f} s"
        if target:
            line += (
                f" = {ratio(name, 0):.2f} x grade (wall), {ratio(name, 1):.2f} x (CPU); {target}"
            )
        print(line)


if __name__ == "__main__":
    main()
