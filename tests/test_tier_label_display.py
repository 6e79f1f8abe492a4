"""A tier whose label is its name again but for the case (``{name: platin, label:
Platin}``) is shown once, "platin (focus)", not "platin Platin (focus)" (portfolio) or
"platin (Platin)" (grade, plan); a label that says more (S, Strategic) is still shown."""

from __future__ import annotations

from conftest import write_account

CONFIG = """\
accounts: accounts
tiers:
  - {name: platin, label: Platin, position: 4, value: 4}
  - {name: Gold, label: " gold ", position: 2, value: 2}
  - {name: C, label: Commercial, position: 1, value: 1}
focus_tiers: [platin]
"""


def _portfolio(root):
    (root / "kam.yaml").write_text(CONFIG, encoding="utf-8")
    for ident, level in (("orsa", 4), ("bexa", 2), ("cora", 1)):
        account = (
            f"id: {ident}\nname: {ident.title()} AG\nowner: ana.ruiz\nreviewed: 2026-10-01\n"
            f"position: {level}\nvalue: {level}\n"
        )
        write_account(root, ident, {"account.yaml": account})


def test_a_label_equal_to_the_tier_name_is_not_repeated(kam, tmp_path):
    _portfolio(tmp_path)
    outputs = {
        "portfolio": kam(tmp_path, "portfolio", env={"COLUMNS": "200"}).stdout,
        "portfolio markdown": kam(tmp_path, "portfolio", "--format", "markdown").stdout,
        "grade": kam(tmp_path, "grade", "orsa").stdout,
        "plan": kam(tmp_path, "plan", "orsa").stdout,
    }
    for name, out in outputs.items():
        assert "platin Platin" not in out and "(Platin)" not in out, (name, out)
        assert "Gold gold" not in out and "(gold)" not in out.replace("(Gold)", ""), name
    assert "platin (focus)" in outputs["portfolio"]
    assert "| platin (focus) |" in outputs["portfolio markdown"]
    assert "| Gold |" in outputs["portfolio markdown"]
    assert "| C Commercial |" in outputs["portfolio markdown"]
    assert "tier platin: position 4, value 4" in outputs["grade"]
    assert "**platin**, a focus tier:" in outputs["plan"]
    assert "tier C (Commercial):" in kam(tmp_path, "grade", "cora").stdout
