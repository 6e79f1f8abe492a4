"""kam's benchmark: every figure is a ratio to a baseline measured in the same run.

    python benchmarks/run.py [--sizes 200,2000] [--repeat 5] [--work DIR]

Baseline for check/grade: the time to merely read and load the same YAML files
with the fastest YAML loader installed (yaml_rs, PyYAML's libyaml loader,
ruamel's safe loader, kam's own reader: each is timed, the fastest wins). The
baseline, ``kam check`` and ``kam grade`` then run one after the other in each
of ``--repeat`` rounds; the ratio reported is the median of the rounds' ratios.
Start-up: ``kam --version`` against ``python -c "import typer"``.
Diff: ``kam diff`` on a 200-account git repository with 10 accounts changed,
against ``kam grade`` on the same repository.
Linearity: check time per account, past the fixed cost of a 1-account run, and the
cost of each further account between consecutive sizes.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PY = sys.executable
KAM = str(Path(PY).parent / "kam")
TODAY = "2026-11-24"

LOADERS = {
    "yaml_rs": "import yaml_rs\nload = lambda t: yaml_rs.loads(t)",
    "pyyaml-libyaml": "import yaml\nload = lambda t: yaml.load(t, Loader=yaml.CSafeLoader)",
    "ruamel-safe": "from ruamel.yaml import YAML\ny = YAML(typ='safe')\nload = y.load",
    "kam-reader": "from kamtool.load.yamlread import parse\nload = parse",
}

LOAD_SCRIPT = """
import sys, time
from pathlib import Path
{setup}
files = sorted(Path(sys.argv[1]).rglob('*.yaml'))
t = time.perf_counter()
for f in files:
    load(f.read_text(encoding='utf-8'))
print(time.perf_counter() - t)
"""

MAXRSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def best(
    cmd: list[str], repeat: int, cwd: Path | None = None, extra: dict[str, str] | None = None
) -> float:
    env = {**os.environ, "KAM_TODAY": TODAY, "NO_COLOR": "1", **(extra or {})}
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return min(times)


def load_once(script: str, root: Path) -> float | None:
    """Wall time of one loader run over the YAML files under ``root``; None if it failed."""
    t = time.perf_counter()
    r = subprocess.run([PY, "-c", script, str(root)], capture_output=True, text=True)
    wall = time.perf_counter() - t
    return wall if r.returncode == 0 else None


def loader_times(root: Path, repeat: int) -> dict[str, float]:
    """Each installed loader once; those within 4x of the fastest again, best of ``repeat``
    (a neighbour's burst during one first run must not disqualify a fast loader)."""

    out: dict[str, float] = {}
    scripts = {}
    for name, setup in LOADERS.items():
        if subprocess.run([PY, "-c", setup], capture_output=True).returncode != 0:
            continue  # not installed
        scripts[name] = LOAD_SCRIPT.format(setup=setup)
        first = load_once(scripts[name], root)
        if first is not None:
            out[name] = first
    fastest = min(out.values())
    for name, first in list(out.items()):
        if first <= 4 * fastest:
            runs = [first, *(load_once(scripts[name], root) for _ in range(repeat - 1))]
            out[name] = min(r for r in runs if r is not None)
    return out


def paired(root: Path, base_script: str, rounds: int) -> tuple[float, float, float, float, float]:
    """Baseline, check and grade run one after the other in each round, so that all three
    see the same machine; the ratio is the median of the rounds' ratios (robust to a
    neighbour's burst on a shared machine). Returns best times and median ratios."""
    import statistics

    bases, checks, grades, check_ratios, grade_ratios = [], [], [], [], []
    for _ in range(rounds):
        b = load_once(base_script, root / "accounts")
        if b is None:
            raise SystemExit(f"the baseline loader failed on {root}")
        c = best([KAM, "check", "--format", "json"], 1, root)
        g = best([KAM, "grade", "--format", "json"], 1, root)
        bases.append(b)
        checks.append(c)
        grades.append(g)
        check_ratios.append(c / b)
        grade_ratios.append(g / b)
    return (
        min(bases),
        min(checks),
        min(grades),
        statistics.median(check_ratios),
        statistics.median(grade_ratios),
    )


def peak_mb(cmd: list[str], cwd: Path) -> float:
    env = {**os.environ, "KAM_TODAY": TODAY}
    r = subprocess.run([PY, "-c", MAXRSS, *cmd], cwd=cwd, env=env, capture_output=True, text=True)
    return int(r.stdout.strip() or 0) / 1024


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def bench_diff(work: Path, repeat: int) -> tuple[float, float]:
    repo = work / "diff-repo"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    generate(repo, 200)
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "bench@example.com")
    git(repo, "config", "user.name", "bench")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "portfolio")
    for i in range(0, 200, 20):  # 10 accounts change
        p = repo / "accounts" / f"acct-{i:05d}" / "stakeholders.yaml"
        p.write_text(p.read_text().replace("attitude: 2", "attitude: 1", 1))
    diff = best([KAM, "diff", "--format", "json"], repeat, repo)
    grade = best([KAM, "grade", "--format", "json"], repeat, repo)
    return diff, grade


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="200,2000")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--work", type=Path, default=None)
    a = ap.parse_args()
    work = a.work or Path(tempfile.mkdtemp(prefix="kam-bench-"))
    # kam as pip installs it, with its bytecode compiled (an editable install under
    # PYTHONDONTWRITEBYTECODE would otherwise compile kam's modules on every run)
    import kamtool

    subprocess.run([PY, "-m", "compileall", "-q", str(Path(kamtool.__file__).parent)], check=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores\n")
    rows = []
    for n in [int(x) for x in a.sizes.split(",")]:
        root = work / f"p{n}"
        if not (root / "accounts").is_dir():
            generate(root, n)
        size = sum(f.stat().st_size for f in (root / "accounts").rglob("*.yaml")) / 1e6
        loads = loader_times(root / "accounts", a.repeat)
        base_name = min(loads, key=loads.__getitem__)
        base, check, grade, check_ratio, grade_ratio = paired(
            root, LOAD_SCRIPT.format(setup=LOADERS[base_name]), a.repeat
        )
        python_reader = best([KAM, "check", "--format", "json"], 1, root, {"KAM_READER": "python"})
        mem = peak_mb([KAM, "check", "--format", "json"], root)
        rows.append((n, size, loads, base_name, base, check, grade, mem))
        print(f"{n} accounts, {size:.1f} MB of YAML")
        for name, t in sorted(loads.items(), key=lambda kv: kv[1]):
            print(f"  load with {name:15s} {t:7.2f} s")
        print(f"  baseline ({base_name}, best of the paired rounds) {base:.2f} s")
        print(f"  kam check          {check:7.2f} s  = {check_ratio:5.2f} x baseline")
        print(f"  kam grade          {grade:7.2f} s  = {grade_ratio:5.2f} x baseline")
        print(f"  kam check, Python reader only (KAM_READER=python) {python_reader:.2f} s")
        print(f"  kam check peak memory {mem:.0f} MB")
        print(f"  per account: check {check / n * 1000:.2f} ms\n")
    typer_t = best([PY, "-c", "import typer"], 10)
    version_t = best([KAM, "--version"], 10)
    print(
        f"start-up: kam --version {version_t * 1000:.0f} ms, import typer {typer_t * 1000:.0f} ms "
        f"= {version_t / typer_t:.2f} x"
    )
    diff, grade = bench_diff(work, a.repeat)
    print(
        f"diff: kam diff (200 accounts, 10 changed) {diff:.2f} s, kam grade {grade:.2f} s = {diff / grade:.2f} x"
    )
    if rows:
        one = work / "p1"
        if not (one / "accounts").is_dir():
            generate(one, 1)
        fixed = best([KAM, "check", "--format", "json"], a.repeat, one)
        print(f"fixed cost: kam check on a 1-account portfolio {fixed:.2f} s")
        per = [r[5] / r[0] for r in rows]
        marginal = [(r[5] - fixed) / (r[0] - 1) for r in rows]
        print(
            "check time per account (ms): "
            + ", ".join(f"{r[0]}: {p * 1000:.2f}" for r, p in zip(rows, per, strict=True))
        )
        print(
            "marginal time per account, past the fixed cost (ms): "
            + ", ".join(f"{r[0]}: {m * 1000:.2f}" for r, m in zip(rows, marginal, strict=True))
        )
        if len(rows) >= 2:
            steps = [
                (a[0], b[0], (b[5] - a[5]) / (b[0] - a[0])) for a, b in itertools.pairwise(rows)
            ]
            print(
                "cost of each further account, between sizes (ms): "
                + ", ".join(f"{n0} to {n1}: {x * 1000:.3f}" for n0, n1, x in steps)
            )


if __name__ == "__main__":
    main()
