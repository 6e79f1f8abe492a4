"""Defects a sales-operations engineer found building a nightly dashboard from kam's JSON
(every command's `--format json` joined into one table, then a BI tool): keys that were
"" or left out where the README promises null, freshness findings whose `data` had
different keys from rule to rule, a worst finding that could not be found again in
`kam check`, a rename that history did not name, a missing export that exited as if it
had problems, and a person whose entry had a typo reported as removed. Each test runs
the real CLI on a repository made here, with its git history."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import dedent
from gitrepo import commit, new_repo

CONFIG = """\
language: en
currency: CNY
rates: {USD: 7.1}
rules:
  KAM108: "off"
offerings:
  - {id: mes, name: MES 制造执行}
  - {id: iot, name: "IoT \\"Edge\\" platform"}
"""

HUAXIA_ACCOUNT = """\
id: huaxia-steel
name: 华夏钢铁集团有限公司
owner: li.ming
stage: build
reviewed: 2025-06-01
position: 5
value: 5
facts: {revenue: 320000000, currency: CNY}
footprint:
  - {unit: proc, offering: mes, status: ours}
  - {unit: proc, offering: iot, status: open}
"""
HUAXIA_ORG = """\
units:
  - {id: proc, name: 采购部, buying_center: true}
"""
HUAXIA_PEOPLE = """\
stakeholders:
  - id: zhang-wei
    name: 张伟
    title: 总经理
    unit: proc
    roles: [D]
    attitude: {attitude}
    owner: li.ming
    backup: wang.fang
    sponsor: chen.dong
    channels: [wechat, visits]
    last_contact: 2026-10-15
    reviewed: 2026-01-10
  - id: li-na
    name: 李娜
    roles: [S]
    attitude: 1
    owner: li.ming
    backup: wang.fang
    channels: [wechat, visits]
    last_contact: 2027-01-05
    reviewed: 2026-11-01
  - id: wang-qiang
    name: 王强
    roles: [E]
    attitude: "?"
    owner: li.ming
    backup: wang.fang
"""
HUAXIA_LOG = """\
entries:
  - date: 2026-11-20
    with: [li-na]
    by: [li.ming]
    summary: "Plant visit \\"Q4\\" 🚀"
"""
ACME_ACCOUNT = """\
id: acme
name: "Acme \\"Fast\\" Logistics,\\nInc. \\u202eKNAB\\u202c 🚀"
owner: o'brien
reviewed: 2026-09-01
position: 2
value: 2
facts: {revenue: 800000, currency: USD}
"""
ACME_PEOPLE = """\
stakeholders:
  - id: bob
    name: "Bob \\"The Builder\\" Stone"
    roles: [D]
    attitude: 1
    owner: o'brien
    backup: j.smith
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
"""


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(dedent(text), encoding="utf-8")


@pytest.fixture
def repo(tmp_path):
    """A team's account repository: two accounts, a few weeks of history."""
    root = new_repo(tmp_path / "accounts-repo")
    (root / "kam.yaml").write_text(CONFIG, encoding="utf-8")
    huaxia = root / "accounts" / "huaxia-steel"
    _write(
        huaxia,
        {
            "account.yaml": HUAXIA_ACCOUNT,
            "org.yaml": HUAXIA_ORG,
            "stakeholders.yaml": HUAXIA_PEOPLE.replace("{attitude}", "1"),
            "log.yaml": HUAXIA_LOG,
        },
    )
    _write(
        root / "accounts" / "acme", {"account.yaml": ACME_ACCOUNT, "stakeholders.yaml": ACME_PEOPLE}
    )
    commit(root, "initial import from the CRM", "2026-10-20")
    (huaxia / "stakeholders.yaml").write_text(
        dedent(HUAXIA_PEOPLE.replace("{attitude}", "3")), encoding="utf-8"
    )
    commit(root, "张伟 now fully supportive", "2026-11-10")
    return root


def test_an_export_that_is_not_there_is_a_usage_error(kam, repo):
    """`kam import csv contacts.csv` of a file that is not there exited 1, the code of an
    export with problems; a missing --map, --config or --template-dir exits 2 (README:
    exit 2 for a missing path). A nightly job tells "the export did not arrive" apart
    from "the export has problems" by the code; stdout stays empty."""
    args = ("import", "csv", "--account", "huaxia-steel", "--dry-run", "--format", "json")
    missing = kam(repo, *args, "exports/contacts.csv")
    assert missing.exit_code == 2
    assert missing.stdout == ""
    assert "cannot read exports/contacts.csv: No such file or directory" in missing.stderr
    (repo / "exports").mkdir()
    assert kam(repo, *args, "exports").exit_code == 2
    (repo / "exports" / "contacts.csv").write_text(
        "Contact ID,First Name,Last Name,Title\n003A1,伟,张,总经理\n", encoding="utf-8"
    )
    there = kam(repo, *args, "exports/contacts.csv")
    assert there.exit_code == 0, there.stderr
    assert there.json()["updated"] == [
        {"person": "zhang-wei", "field": "crm_id", "old": None, "new": "003A1", "line": 2}
    ]


def test_a_person_whose_entry_has_a_typo_is_not_removed(kam, repo):
    """`roles: [X]` for a decision maker made the account stop loading (right) and made
    `kam diff` report "▼ 张伟: removed" (JSON: person-removed), and an action with
    `status: finished` "removed while still planned": a reviewer read that the decision
    maker had been taken out. Such an entry is not compared, and the diff says so; when
    it loads again it is not "new" either."""
    people = repo / "accounts" / "huaxia-steel" / "stakeholders.yaml"
    targets = repo / "accounts" / "huaxia-steel" / "targets.yaml"
    plan = (
        "period: 2026\nactions:\n  - {id: demo, text: Demo, owner: li.ming, "
        "due: 2026-12-20, status: doing, stakeholder: li-na}\n"
    )
    targets.write_text(plan, encoding="utf-8")
    commit(repo, "the plan", "2026-11-21")
    people.write_text(
        people.read_text(encoding="utf-8").replace("roles: [D]", "roles: [X]"), encoding="utf-8"
    )
    targets.write_text(plan.replace("doing", "finished"), encoding="utf-8")
    commit(repo, "typos", "2026-11-25")
    broken = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json", "--today", "2026-12-03")
    assert broken.exit_code == 1
    changes = broken.json()["accounts"][0]["changes"]
    assert [(c["kind"], c["field"], c["direction"]) for c in changes] == [
        ("invalid", None, -1),
        ("unreadable", "targets.actions[demo]", 0),
        ("unreadable", "stakeholders[zhang-wei]", 0),
    ]
    assert changes[2]["person"] == "zhang-wei"
    assert changes[2]["text"] == (
        "张伟 (总经理): does not load any more: its changes are not compared"
    )
    assert changes[1]["text"] == (
        "action demo (Demo): does not load any more: its changes are not compared"
    )
    text = kam(repo, "diff", "HEAD~1", "HEAD", "--today", "2026-12-03").stdout
    assert "▼ removed" not in text and "removed while" not in text
    assert "张伟 (总经理)\n    ~ does not load any more: its changes are not compared" in text
    people.write_text(
        people.read_text(encoding="utf-8").replace("roles: [X]", "roles: [D]"), encoding="utf-8"
    )
    targets.write_text(plan, encoding="utf-8")
    again = kam(repo, "diff", "--format", "json", "--today", "2026-12-03").json()
    kinds = [(c["kind"], c["field"]) for c in again["accounts"][0]["changes"]]
    assert ("unreadable", "stakeholders[zhang-wei]") in kinds
    assert ("unreadable", "targets.actions[demo]") in kinds
    assert not any(k.endswith("-added") for k, _f in kinds)
