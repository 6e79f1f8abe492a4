"""Deterministic synthetic portfolios: N accounts of about 25 stakeholders each.

    python benchmarks/generate.py OUT_DIR --accounts 2000 [--people 25] [--seed 7]
        [--health maintained|neglected]

Files look like real ones (comments, block and flow style, reporting lines,
influences, channels, targets, actions, opportunities). ``maintained`` (the default):
about a third of the accounts have findings (stale contacts, missing backups, unknown
attitudes), about 5 findings per account. ``neglected``: a portfolio nobody has looked
after for a year: nearly every entry's review and most key contacts are stale, some key
people were never contacted, actions are overdue: 40-50 findings per account, most of
them pointing into stakeholders.yaml.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

FIRST = [
    "Anna",
    "Li",
    "Wei",
    "Erik",
    "Maria",
    "Jonas",
    "Sara",
    "Chen",
    "Olga",
    "Tomas",
    "Ines",
    "Ravi",
    "Yuki",
    "Omar",
    "Lena",
]
LAST = [
    "Berg",
    "Zhang",
    "Olsen",
    "Holm",
    "Wang",
    "Kraus",
    "Lund",
    "Sato",
    "Costa",
    "Novak",
    "Singh",
    "Dahl",
    "Meyer",
]
TITLES = [
    "Chief Executive Officer",
    "Chief Technology Officer",
    "Chief Financial Officer",
    "Head of Procurement",
    "Head of Engineering",
    "IT Architect",
    "Operations Manager",
    "Security Officer",
    "Plant Manager",
    "Buyer",
]
OURS = ["li.ming", "wang.fang", "chen.jie", "sara.holm", "martin.kraus", "ana.ruiz"]
UNITS = ["board", "exec", "tech", "ops", "finance", "procurement", "security"]


HEALTHS = ("maintained", "neglected")


def account_files(
    i: int, people: int, rng: random.Random, health: str = "maintained"
) -> dict[str, str]:
    aid = f"acct-{i:05d}"
    position, value = rng.randint(1, 5), rng.randint(1, 5)
    neglected = health == "neglected"
    troubled = neglected or i % 3 == 0
    acct = [
        f"# {aid}: synthetic account for benchmarks",
        f"id: {aid}",
        f'name: "Customer {i} AG"',
        "industry: Manufacturing",
        f"owner: {rng.choice(OURS)}",
        f"stage: {rng.choice(['build', 'stabilize', 'strengthen'])}",
        f"reviewed: {2025 if neglected else 2026}-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
        f"position: {position}",
        f"value: {value}",
        "facts:",
        f"  revenue: {rng.randint(100, 50000) * 1000}",
        "  currency: EUR",
        f"  supplier_position: {rng.choice(['sole', 'primary', 'secondary', 'marginal'])}",
        "value_curve:",
        f"  - {{year: 2024, expected: 4000000, actual: {rng.randint(38, 48)}00000}}",
        f"  - {{year: 2025, expected: 5000000, actual: {rng.randint(35 if troubled else 45, 60)}00000}}",
        "  - {year: 2026, expected: 5000000}",
        "competitors:",
        "  - name: Rival",
        "    notes: incumbent in the core network",
        "needs:",
        "  - kind: explicit",
        "    text: Replace the legacy platform before end of support",
    ]
    org = ["units:"] + [
        f"  - {{id: {u}, name: {u.title()}{', parent: board' if u != 'board' else ''}}}"
        for u in UNITS
    ]
    st = ["# power map", "stakeholders:"]
    for p in range(people):
        pid = f"p{p:02d}"
        boss = None if p == 0 else f"p{(p - 1) // 3:02d}"
        score = rng.choice([-1, 0, 1, 1, 2, 2, 3]) if not troubled else rng.randint(-2, 3)
        att = "'?'" if (troubled and p % 7 == 3) else str(score)
        intimacy = max(-3, min(3, score + rng.choice([0, 0, 1, -1])))
        roles = "[D]" if p == 0 else rng.choice(["[S]", "[E]", "[I]", "[C]", "[S, E]", "[]"])
        layer = "key" if p < 12 else rng.choice(["general", "organizational"])
        lines = [
            f"  - id: {pid}",
            f"    name: {rng.choice(FIRST)} {rng.choice(LAST)}",
            f"    title: {rng.choice(TITLES)}",
            f"    unit: {rng.choice(UNITS)}",
        ]
        if boss:
            lines.append(f"    reports_to: {boss}")
        lines += [
            f"    roles: {roles}",
            f"    attitude: {att}",
            f"    intimacy: {intimacy}",
            f"    layer: {layer}",
            f"    owner: {rng.choice(OURS)}",
        ]
        if not (troubled and p % 5 == 1):
            lines.append(
                f"    backup: {OURS[(OURS.index(lines[-1].split(': ')[1]) + 1) % len(OURS)]}"
            )
        lines.append(
            "    channels: [quarterly review, steering committee]"
            if p % 4 or (p == 0 and not troubled)
            else "    channels:\n      - weekly call"
        )
        if p % 6 == 2 and p + 1 < people:
            lines.append(f"    influences: [p{p + 1:02d}]")
        if p == 4 and i % 4 == 0:
            lines.append("    competitor: Rival")
        if neglected:  # most contacts months old, a few key people never contacted
            when = (
                f"2026-11-{rng.randint(1, 20):02d}"
                if p % 6 == 5
                else f"{rng.choice([2025, 2026])}-{rng.randint(1, 8):02d}-{rng.randint(1, 28):02d}"
            )
            reviewed = f"{rng.choice([2024, 2025])}-{rng.randint(1, 12):02d}-01"
        else:
            when = (
                f"2026-{rng.randint(5, 11):02d}-{rng.randint(1, 20):02d}"
                if troubled and p % 4 == 0
                else f"2026-11-{rng.randint(1, 20):02d}"
            )
            reviewed = f"2026-{rng.randint(4, 11) if troubled and p % 4 == 0 else rng.randint(9, 11):02d}-01"
        if not (neglected and p % 11 == 7):
            lines.append(f"    last_contact: {when}   # last visit")
        lines.append(f"    reviewed: {reviewed}")
        if p == 0 and i % 5:
            lines.append("    sponsor: martin.kraus")
        if p % 5 == 0:
            lines += [
                "    notes: >-",
                "      Prefers short written briefs; asks about total cost of ownership",
                "      and delivery risk before every steering meeting.",
            ]
        if p % 8 == 0:
            lines += ["    personal:", "      interests: [sailing, chess]"]
        st += lines
    tg = [
        "period: 2027",
        "targets:",
        "  - {id: t1, kind: share, text: Raise share of spend, due: 2027-06-30, owner: li.ming}",
        f"  - {{id: t2, kind: beachhead, text: Win the pilot, due: {2026 if troubled else 2027}-{rng.randint(9, 12):02d}-15, owner: wang.fang}}",
        "relationship_goals:",
        "  - {stakeholder: p00, attitude: 2, by: 2027-03-31, owner: li.ming}",
        "actions:",
    ]
    for a in range(6):
        tg += [
            f"  - id: a{a}",
            f"    text: Follow-up meeting number {a}",
            f"    owner: {rng.choice(OURS)}",
            f"    due: {2026 if troubled and a < 2 else 2027}-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
            f"    status: {rng.choice(['planned', 'doing', 'done'])}",
            f"    stakeholder: p{rng.randint(0, people - 1):02d}",
            "    target: t1",
        ]
    tg += [
        "opportunities:",
        "  - {id: o1, name: Platform renewal, pbip: 2027-05-31, ready: 2027-03-31, value: 2500000}",
    ]
    return {
        "account.yaml": "\n".join(acct) + "\n",
        "org.yaml": "\n".join(org) + "\n",
        "stakeholders.yaml": "\n".join(st) + "\n",
        "targets.yaml": "\n".join(tg) + "\n",
    }


def generate(
    out: Path, accounts: int, people: int = 25, seed: int = 7, health: str = "maintained"
) -> Path:
    if health not in HEALTHS:
        raise ValueError(f"health must be one of {', '.join(HEALTHS)}, not {health!r}")
    root = out / "accounts"
    for i in range(accounts):
        rng = random.Random(seed * 1_000_003 + i)
        folder = root / f"acct-{i:05d}"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in account_files(i, people, rng, health).items():
            (folder / name).write_text(text, encoding="utf-8")
    return root


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--accounts", type=int, default=2000)
    ap.add_argument("--people", type=int, default=25)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--health", choices=HEALTHS, default="maintained")
    a = ap.parse_args()
    root = generate(a.out, a.accounts, a.people, a.seed, a.health)
    print(f"wrote {a.accounts} {a.health} accounts to {root}")


if __name__ == "__main__":
    main()
