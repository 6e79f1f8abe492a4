"""``kam import csv`` on a large export, as a ratio to reading the same CSV with the csv module.

    python benchmarks/import_csv.py [--rows 20000] [--repeat 3] [--work DIR]

The export is a deterministic Salesforce Data Loader file (every field quoted, CRLF, a
reporting hierarchy, one name in five Chinese, one in five accented, descriptions with
quoted line breaks). Each round runs, one after the other:

- baseline: ``python -c`` reading the file with ``csv.DictReader`` (a process, as kam is);
- ``kam import csv`` into an empty account (every row a new person, file written);
- the same import again (every row matched, nothing to change, nothing written);
- an import of the same export with every title changed (every entry edited in place);
- ``--dry-run`` of that last one (the before/after diff, nothing written).

Ratios are the median of the rounds' ratios; times the best of the rounds. Each is given
in wall-clock time and in CPU time (user + system of the process): on a shared machine
whose load swings, the CPU figures are the steadier ones.
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
KAM = str(Path(PY).parent / "kam")
TODAY = "2026-11-24"

FIRST = ["Anna", "José", "Erik", "Zoë", "Jonas", "Siobhán", "Olga", "Tomás", "Ines", "Ravi"]
LAST = ["Berg", "Müller", "Olsen", "Łukasiewicz", "Wang", "Kraus", "Lund", "Núñez", "Holm"]
CN_FIRST = ["伟", "芳", "娜", "洋", "静", "磊", "明", "秀英"]
CN_LAST = ["张", "王", "李", "刘", "陈", "赵", "黄", "周"]


def sf_id(i: int) -> str:
    return f"0035g{i:010d}AAA"


def write_export(path: Path, rows: int, title_suffix: str = "") -> None:
    header = ["Id", "FirstName", "LastName", "Title", "Department", "ReportsToId", "Description"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(header)
        for i in range(rows):
            if i % 5 == 0:
                first, last = CN_FIRST[i % 8], CN_LAST[(i // 8) % 8]
            else:
                first, last = FIRST[i % 10], LAST[(i // 10) % 9]
            boss = "" if i == 0 else sf_id((i - 1) // 8)  # eight reports each
            note = f"Met {i % 28 + 1} times,\nprefers calls" if i % 7 == 0 else ""
            title = f"Manager {i % 97}{title_suffix}"
            w.writerow([sf_id(i), first, last, title, "Operations", boss, note])


def setup_account(root: Path) -> Path:
    folder = root / "accounts" / "bigco"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "account.yaml").write_text(
        "id: bigco\nname: Big Co\nowner: li.ming\nreviewed: 2026-10-01\nposition: 3\nvalue: 3\n"
    )
    (folder / "stakeholders.yaml").write_text("# imported from Salesforce\nstakeholders: []\n")
    return folder


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of the process: user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    r = subprocess.run(
        cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(), check=False
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr.decode()[:500]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["KAM_TODAY"] = TODAY
    env.pop("KAM_DEBUG", None)
    return env


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kam-import-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    export, changed = work / "export.csv", work / "export-titles.csv"
    write_export(export, args.rows)
    write_export(changed, args.rows, " (new)")
    subprocess.run([PY, "-m", "compileall", "-q", str(Path(KAM).parents[1])], check=False)
    baseline_cmd = [
        PY,
        "-c",
        "import csv,sys\n"
        "with open(sys.argv[1], encoding='utf-8', newline='') as f: rows = list(csv.DictReader(f))",
        str(export),
    ]
    names = ["empty account", "second run", "every title changed", "dry run of that"]
    times: dict[str, list[float]] = {n: [] for n in ["baseline", *names]}
    cpus: dict[str, list[float]] = {n: [] for n in ["baseline", *names]}
    ratios: dict[str, list[float]] = {n: [] for n in names}
    cpu_ratios: dict[str, list[float]] = {n: [] for n in names}
    imp = [KAM, "import", "csv"]
    for _ in range(args.repeat):
        setup_account(work)
        base, base_cpu = timed(baseline_cmd, work)
        times["baseline"].append(base)
        cpus["baseline"].append(base_cpu)
        runs = [
            [*imp, str(export), "--account", "bigco"],
            [*imp, str(export), "--account", "bigco"],
            [*imp, str(changed), "--account", "bigco", "--dry-run"],
            [*imp, str(changed), "--account", "bigco"],
        ]
        order = [names[0], names[1], names[3], names[2]]
        for name, cmd in zip(order, runs, strict=True):
            t, cpu = timed(cmd, work)
            times[name].append(t)
            cpus[name].append(cpu)
            ratios[name].append(t / base)
            cpu_ratios[name].append(cpu / base_cpu)
    size = export.stat().st_size / 1e6
    yaml_size = (work / "accounts/bigco/stakeholders.yaml").stat().st_size / 1e6
    print(f"{args.rows:,} rows, export {size:.1f} MB, stakeholders.yaml {yaml_size:.1f} MB")
    print(
        f"baseline (csv.DictReader in a process): {min(times['baseline']):.2f} s "
        f"({min(cpus['baseline']):.2f} s CPU)"
    )
    for name in names:
        print(
            f"{name:>22}: {min(times[name]):.2f} s, "
            f"{statistics.median(ratios[name]):.1f}x the baseline; "
            f"CPU {min(cpus[name]):.2f} s, {statistics.median(cpu_ratios[name]):.1f}x"
        )


if __name__ == "__main__":
    main()
