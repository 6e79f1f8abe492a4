"""Processor time of two kam installs on the same portfolio, in paired rounds.

    python benchmarks/paired.py OLD_KAM NEW_KAM PORTFOLIO [--rounds 7] [-- ARGS...]

OLD_KAM and NEW_KAM are the ``kam`` executables of two checkouts (each with its own
virtual environment); ARGS default to ``check --format json``. Each round runs both, in
alternating order, and measures user + system time of the command and its workers
(``RUSAGE_CHILDREN``): on a shared 2-core machine whose speed swings 20-40% between
runs, processor time of paired runs says far more than wall time, and the median of the
rounds' ratios (new / old) more than either median alone. ``KAM_TODAY`` is fixed so both
see the same date; output goes to /dev/null (compare outputs with ``cmp`` separately).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time


def cpu_of(command: list[str], cwd: str, env: dict[str, str]) -> tuple[float, float]:
    """(processor seconds, wall seconds) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return cpu, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("portfolio")
    parser.add_argument("--rounds", type=int, default=7)
    argv = sys.argv[1:] if argv is None else argv
    split = argv.index("--") if "--" in argv else len(argv)
    opts = parser.parse_args(argv[:split])
    opts.args = argv[split + 1 :] or ["check", "--format", "json"]
    env = dict(os.environ, KAM_TODAY=os.environ.get("KAM_TODAY", "2026-11-24"))
    kams = {"old": opts.old, "new": opts.new}
    cpu: dict[str, list[float]] = {"old": [], "new": []}
    wall: dict[str, list[float]] = {"old": [], "new": []}
    for round_ in range(opts.rounds):
        order = ["old", "new"] if round_ % 2 == 0 else ["new", "old"]
        for which in order:
            c, w = cpu_of([kams[which], *opts.args], opts.portfolio, env)
            cpu[which].append(c)
            wall[which].append(w)
    ratios = [n / o for n, o in zip(cpu["new"], cpu["old"], strict=True)]
    med = statistics.median
    print(
        f"kam {' '.join(opts.args)}: processor time old {med(cpu['old']):.2f} s, "
        f"new {med(cpu['new']):.2f} s (medians of {opts.rounds} rounds); "
        f"new/old {med(ratios):.3f} (median of paired ratios, "
        f"range {min(ratios):.2f}-{max(ratios):.2f}); "
        f"wall old {med(wall['old']):.2f} s, new {med(wall['new']):.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
