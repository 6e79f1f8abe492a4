"""Defects found preparing the annual plan of a large conglomerate (about 170 people in 18
org units, Chinese and English names, several buying centres) as a senior key account
manager: `kam plan` in both languages and with the team's own templates, `kam map` with
--focus and --chain, and the slips a user makes in a custom template."""

from __future__ import annotations

from conftest import write_account

ACCOUNT = """\
id: hengtai
name: 恒泰集团 Hengtai Group
owner: zhou.min
reviewed: 2026-10-01
position: 5
value: 4
"""

TARGETS = """\
period: 2027
targets:
  - {id: cloud, kind: beachhead, text: Hybrid cloud phase 1, metric: CNY, baseline: 0, goal: 45000000, due: 2027-09-30, owner: zhou.min}
  - {id: float-goal, kind: profit, text: Margin, baseline: 1250000.0, goal: 1234.5, due: 2027-09-30, owner: wu.hao}
  - {id: only-goal, kind: share, text: Share, goal: 12000000, due: 2027-12-31, owner: wu.hao}
  - {id: share, kind: share, text: Share of spend, baseline: 0.3, goal: "55%", due: 2027-12-31, owner: chen.jie}
"""


def _section(plan: str, heading: str) -> str:
    return plan.split(f"### {heading}\n", 1)[1].split("\n### ", 1)[0]


# ---------------------------------------------------------------- targets' numbers
def test_target_amounts_are_grouped_never_in_exponent_notation(kam, tmp_path):
    write_account(tmp_path, "hengtai", {"account.yaml": ACCOUNT, "targets.yaml": TARGETS})
    for lang in ("en", "zh-CN"):
        r = kam(tmp_path, "plan", "hengtai", "--lang", lang)
        assert r.exit_code == 0, r.stderr
        assert "e+0" not in r.stdout and "45000000" not in r.stdout
        assert "0 → 45,000,000" in r.stdout
        assert "1,250,000 → 1,234.5" in r.stdout  # a whole float without its ".0"
        assert "0.3 → 55%" in r.stdout
        assert "12,000,000" in r.stdout  # a goal alone
