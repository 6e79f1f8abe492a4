"""How low `kam diff` can go while it analyses the head side whole: the floor of its ratio.

    python benchmarks/diff_floor.py [--accounts 200] [--weeks 52] [--repeat 7] [--work DIR]

On the repository of benchmarks/history.py (200 accounts, a year of weekly commits: 166
accounts changed between the first and the last), paired rounds of

- ``kam grade --format json`` (the final tree),
- ``kam diff HEAD~52 HEAD --format json`` as it is,
- the same diff with its base side free: every changed account compared with nothing
  (as if the account were new), so that only the head side is read, parsed, checked,
  graded and run through the rules, plus git's reading and the comparison.

The third is not a real output (it reports 166 accounts as added); it measures what any
work saved on the base side could at most bring. CPU is user + system of kam and its
workers and the git processes it starts; ratios are medians of the rounds' ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from history import KAM, TODAY, build, timed

#: ``kam diff`` with the base side of every changed account left out (lf = None)
_BASE_FREE = """
import sys
import kamtool.analyse.diff as diff
from kamtool.cli import main

whole = diff._compare_chunk


def head_only(args):
    work, *rest = args
    return whole(([(a, None if rf is not None else lf, rf, b) for a, lf, rf, b in work], *rest))


diff._compare_chunk = head_only
sys.argv = ["kam", *sys.argv[1:]]
main()
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=200)
    ap.add_argument("--weeks", type=int, default=52)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--work", type=Path, default=None)
    a = ap.parse_args()
    work = a.work or Path(tempfile.mkdtemp(prefix="kam-diff-floor-"))
    repo = work / f"history-{a.accounts}-{a.weeks}"
    if not repo.exists():
        build(repo, a.accounts, a.weeks)
    import kamtool

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(kamtool.__file__).parent)], check=True
    )
    env = {**os.environ, "NO_COLOR": "1", "KAM_TODAY": TODAY}
    diff_args = ["diff", f"HEAD~{a.weeks}", "HEAD", "--format", "json"]
    runs: dict[str, list[tuple[float, float]]] = {"grade": [], "diff": [], "base free": []}
    for _ in range(a.repeat):
        runs["grade"].append(timed([KAM, "grade", "--format", "json"], repo, env))
        runs["diff"].append(timed([KAM, *diff_args], repo, env))
        runs["base free"].append(timed([sys.executable, "-c", _BASE_FREE, *diff_args], repo, env))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {a.repeat} rounds")
    for name in ("diff", "base free"):
        wall, cpu = (
            statistics.median(r[i] / g[i] for r, g in zip(runs[name], runs["grade"], strict=True))
            for i in (0, 1)
        )
        print(f"  kam {name:10s} {wall:.2f}x grade (wall), {cpu:.2f}x (CPU)")


if __name__ == "__main__":
    main()
