"""kam diff reads the two sides from git and shares what is the same on both (a file's
parse and validated model, an account whose blob ids did not change): the result must be
exactly what grading and checking each revision on its own gives. Each test builds a real
repository, checks both revisions out into their own folders (with the working tree's
kam.yaml, as kam diff grades both sides with it) and compares kam diff's json with
`kam grade` and `kam check` run there: scores, letters, tiers, validity, and the findings
listed as new and resolved."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from conftest import write_account
from gitrepo import commit, git

KAM_YAML = """\
freshness:
  last_contact:
    focus: {warn_after: 90d, error_after: 180d}
    other: {warn_after: 90d, error_after: 180d}
"""

# the same portfolio read with stricter thresholds: a contact of 2026-09-20 turns stale
KAM_YAML_STRICT = KAM_YAML.replace(
    "focus: {warn_after: 90d, error_after: 180d}", "focus: {warn_after: 30d, error_after: 60d}"
)

ACCOUNT = """\
id: {id}
name: {name}
owner: li.ming
reviewed: 2026-10-01
position: 3
value: 3
"""

ORG = """\
units:
  - {id: hq, name: Headquarters}
  - {id: ops, name: Operations, parent: hq}
"""

PEOPLE = """\
stakeholders:
  - id: chen
    name: 陈静
    title: CEO
    unit: hq
    roles: [D, C]
    attitude: 1
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-09-20
    reviewed: 2026-11-01
  - id: okafor
    name: Ngozi Okafor
    unit: ops
    reports_to: chen
    roles: [E]
    attitude: 0
    owner: wang.fang
    channels: [mail]
    last_contact: 2026-11-10
  - id: berg
    name: Lars Berg
    unit: ops
    reports_to: okafor
    roles: [I]
    attitude: -1
    last_contact: 2026-05-02
"""

TARGETS = """\
period: 2027
targets:
  - {id: share, kind: share, text: 40% of spend, due: 2027-12-31, owner: li.ming}
relationship_goals:
  - {stakeholder: okafor, attitude: 2, by: 2027-03-31, owner: wang.fang}
actions:
  - {id: visit, text: Site visit, owner: li.ming, due: 2027-01-15, status: planned, stakeholder: okafor}
"""


def full(account_id: str, name: str) -> dict[str, str]:
    return {
        "account.yaml": ACCOUNT.format(id=account_id, name=name),
        "org.yaml": ORG,
        "stakeholders.yaml": PEOPLE,
        "targets.yaml": TARGETS,
    }


def edit(repo: Path, path: str, *pairs: tuple[str, str]) -> None:
    file = repo / "accounts" / path
    text = file.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    file.write_text(text, encoding="utf-8")


def _key(f: dict) -> tuple:
    """kam diff matches findings by code, file, subject and message with numbers ignored
    (``kamtool.findings.fingerprint``): "95 days ago" becoming "96 days ago" is the same one."""
    subject = (f.get("data") or {}).get("person")
    text = re.sub(r"\d+", "0", re.sub(r" \([^()]*\.yaml:\d+\)", "", f["message"]))
    return (f["code"], f["path"], subject, text)


def _exact(f: dict) -> tuple:
    return (f["code"], f["path"], f["line"], f["column"], f["message"])


def _minus(a: list[dict], b: list[dict]) -> list[tuple]:
    """The findings of ``a`` beyond those of ``b`` with the same key, as diff counts them
    (the first ones of a key in file order are the matched ones)."""
    have = Counter(_key(f) for f in b)
    seen: Counter = Counter()
    out = []
    for f in a:
        seen[_key(f)] += 1
        if seen[_key(f)] > have[_key(f)]:
            out.append(_exact(f))
    return sorted(out)


def at_revision(kam, repo: Path, rev: str | None, where: Path) -> tuple[dict, dict]:
    """(grade by account id, findings by account id) of ``rev`` (None: the working tree)
    checked out alone, graded with the working tree's kam.yaml."""
    if rev is None:
        shutil.copytree(repo / "accounts", where / "accounts")
    else:
        where.mkdir()
        archive = subprocess.run(
            ["git", "archive", "--format=tar", rev], cwd=repo, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(where)], input=archive, check=True)
    shutil.copy(repo / "kam.yaml", where / "kam.yaml")
    (where / "accounts").mkdir(exist_ok=True)
    grade = kam(where, "grade", "--format", "json")
    check = kam(where, "check", "--format", "json")
    assert grade.exit_code in (0, 1) and check.exit_code in (0, 1), grade.stderr + check.stderr
    grades = {a["id"]: a for a in grade.json()["accounts"]}
    findings: dict[str, list[dict]] = {acct: [] for acct in grades}
    for f in check.json()["findings"]:
        findings.setdefault(f["account"], []).append(f)
    return grades, findings


def side(grade: dict | None) -> dict | None:
    if grade is None:
        return None
    valid = grade["valid"]
    return {
        "valid": valid,
        "tier": grade["tier"] if valid else None,
        "score": grade["score"] if valid else None,
        "letter": grade["letter"] if valid else None,
    }


def assert_diff_is_both_sides(
    kam,
    repo: Path,
    tmp: Path,
    base: str,
    head: str | None,
    env: dict[str, str] | None = None,
    renamed: dict[str, str] | None = None,
) -> dict:
    """kam diff BASE HEAD (HEAD None: the working tree) against grade and check run on each
    revision alone; returns the diff's json by account id. ``renamed`` (old id -> new id):
    accounts the diff compares across a rename (the base side's findings read with the new
    folder in their paths)."""
    got = kam(repo, "diff", base, *([head] if head else []), "--format", "json", env=env)
    # exit 1 exactly when an account the diff read on the head side does not load (SPEC 7)
    not_loading = got.json()["does_not_load"]
    assert got.exit_code == (1 if not_loading else 0), got.stderr
    diff = {a["id"]: a for a in got.json()["accounts"]}
    g_base, f_base = at_revision(kam, repo, base, tmp / "base")
    g_head, f_head = at_revision(kam, repo, head, tmp / "head")
    broken_head = {a for a, g in g_head.items() if not g["valid"]}
    assert set(not_loading) <= broken_head
    assert {a for a, d in diff.items() if d["after"] and not d["after"]["valid"]} <= set(
        not_loading
    )
    for old, new in (renamed or {}).items():
        assert old not in diff and diff[new]["renamed_from"] == old
        g_base[new] = g_base.pop(old)
        f_base[new] = [
            {**f, "path": f["path"].replace(f"accounts/{old}/", f"accounts/{new}/")}
            for f in f_base.pop(old)
        ]
    for acct in sorted(set(g_base) | set(g_head)):
        before, after = g_base.get(acct), g_head.get(acct)
        if before is None:
            new, resolved = sorted(map(_exact, f_head[acct])), []
        elif after is None:
            new, resolved = [], []  # an account removed is not its findings resolved
        elif not after["valid"] and before["valid"]:
            new, resolved = _minus(f_head[acct], f_base[acct]), []
        else:
            new = _minus(f_head[acct], f_base[acct])
            resolved = _minus(f_base[acct], f_head[acct])
        if acct not in diff:
            assert before is not None and after is not None, acct
            assert side(before) == side(after), acct
            assert not new and not resolved, (acct, new, resolved)
            continue
        d = diff[acct]
        assert d["before"] == side(before), acct
        assert d["after"] == side(after), acct
        assert sorted(map(_exact, d["new_findings"])) == new, acct
        assert sorted(map(_exact, d["resolved_findings"])) == resolved, acct
    return diff


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "kam@example.com")
    git(repo, "config", "user.name", "kam")
    (repo / "kam.yaml").write_text(KAM_YAML, encoding="utf-8")
    for acct, name in (
        ("steady", "Steady Mining"),
        ("moved", "Nordlicht Energie"),
        ("spaced", "空格 Logistics"),
        ("gone", "Gone Retail"),
        ("mixed", "Mixed Signals"),
        ("refs", "Referenz Bau"),
        ("broken", "Broken Tools"),
    ):
        write_account(repo, acct, full(acct, name))
    # a schema error the same on both sides: the file is never reused as a clean model
    edit(repo, "broken/stakeholders.yaml", ("attitude: -1", "attitude: -7"))
    commit(repo, "base")
    return repo


@pytest.mark.parametrize("committed", [True, False], ids=["two-commits", "working-tree"])
def test_diff_equals_grading_each_revision_alone(
    kam, repo: Path, tmp_path: Path, committed: bool
) -> None:
    # the account folder renamed, its name kept: one account renamed (``match_accounts``)
    git(repo, "mv", "accounts/moved", "accounts/moved-on")
    edit(repo, "moved-on/account.yaml", ("id: moved", "id: moved-on"))
    # only spaces and blank lines: other blob ids, the same data, findings on other lines
    edit(
        repo,
        "spaced/stakeholders.yaml",
        ("stakeholders:\n", "stakeholders:\n\n\n"),
        ("title: CEO", "title:    CEO   "),
    )
    shutil.rmtree(repo / "accounts/gone")
    write_account(repo, "fresh", full("fresh", "Fresh Foods 新鲜"))
    # one file changed, three the same on both sides (shared models)
    edit(
        repo, "mixed/stakeholders.yaml", ("attitude: 0", "attitude: 2"), ("[mail]", "[mail, calls]")
    )
    # only org.yaml changed: the unchanged stakeholders now name a unit that is gone
    edit(repo, "refs/org.yaml", ("  - {id: ops, name: Operations, parent: hq}\n", ""))
    # the broken file unchanged, another file changed beside it
    edit(repo, "broken/account.yaml", ("value: 3", "value: 4"))
    moved = {"moved": "moved-on"}
    if committed:
        commit(repo, "head")
        diff = assert_diff_is_both_sides(kam, repo, tmp_path, "HEAD~1", "HEAD", renamed=moved)
    else:  # HEAD against the files on disk, read by the same rules
        diff = assert_diff_is_both_sides(kam, repo, tmp_path, "HEAD", None, renamed=moved)
    assert diff["moved-on"]["status"] == "renamed"
    assert diff["gone"]["status"] == "removed" and diff["fresh"]["status"] == "added"
    assert "steady" not in diff and "spaced" not in diff
    assert any(f["code"] == "KAM003" for f in diff["refs"]["new_findings"])
    assert diff["mixed"]["before"]["score"] != diff["mixed"]["after"]["score"]
    assert diff["broken"]["before"]["valid"] is False


def test_kam_yaml_changed_between_revisions(kam, repo: Path, tmp_path: Path) -> None:
    """Both sides are graded with the working tree's kam.yaml: a stricter threshold
    committed beside an account change turns stale contacts into findings on both sides
    alike, so an unchanged account shows nothing and a changed one only its own change."""
    (repo / "kam.yaml").write_text(KAM_YAML_STRICT, encoding="utf-8")
    edit(repo, "mixed/stakeholders.yaml", ("last_contact: 2026-09-20", "last_contact: 2026-11-20"))
    commit(repo, "stricter thresholds, one contact")
    diff = assert_diff_is_both_sides(kam, repo, tmp_path, "HEAD~1", "HEAD")
    assert set(diff) == {"mixed"}
    # the contact of 2026-09-20 was stale under the strict threshold: resolved by the edit
    assert any(f["code"].startswith("KAM2") for f in diff["mixed"]["resolved_findings"])
    # and with the base's kam.yaml in the working tree, that contact was not stale at all
    (repo / "kam.yaml").write_text(KAM_YAML, encoding="utf-8")
    lenient = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    (mixed,) = lenient["accounts"]
    assert not any(f["code"].startswith("KAM2") for f in mixed["resolved_findings"])


def test_many_accounts_on_workers(kam, repo: Path, tmp_path: Path) -> None:
    """Enough changed accounts for the worker processes (the results they send back are
    trimmed to what the reports read): the same figures as grading each side alone."""
    for i in range(80):
        people = PEOPLE if i % 3 else PEOPLE.replace("attitude: -1", "attitude: '?'")
        write_account(
            repo, f"k{i:03d}", {**full(f"k{i:03d}", f"Kunde {i}"), "stakeholders.yaml": people}
        )
    commit(repo, "more accounts")
    for i in range(80):
        if i % 4 == 0:
            edit(repo, f"k{i:03d}/targets.yaml", ("status: planned", "status: done"))
        elif i % 4 == 1:
            edit(repo, f"k{i:03d}/stakeholders.yaml", ("attitude: 1", "attitude: -2"))
        elif i % 4 == 2:
            edit(
                repo,
                f"k{i:03d}/stakeholders.yaml",
                ("last_contact: 2026-05-02", "last_contact: 2026-11-02"),
            )
        else:
            edit(repo, f"k{i:03d}/org.yaml", ("name: Operations", "name: Betrieb"))
    commit(repo, "a week of edits")
    # two worker processes, whatever the machine (80 changed accounts: 160 analyses)
    diff = assert_diff_is_both_sides(kam, repo, tmp_path, "HEAD~1", "HEAD", {"KAM_JOBS": "2"})
    assert len(diff) == 80


@pytest.mark.parametrize("settings", [True, False], ids=["kam-yaml", "no-kam-yaml"])
def test_diff_asks_git_each_question_once(kam, repo: Path, tmp_path: Path, settings: bool) -> None:
    """Finding each side's kam.yaml and accounts folder, then listing the folder, asked git
    the same questions about the same commits twice, a process each (17 git processes for
    a diff where 11 do): what a commit holds is asked once a run."""
    if not settings:  # no kam.yaml: kam also looks for a portfolio moved between the sides
        git(repo, "rm", "-q", "kam.yaml")
        commit(repo, "no settings")
    edit(repo, "mixed/stakeholders.yaml", ("attitude: 0", "attitude: 2"))
    commit(repo, "head")
    trace = tmp_path / "git-trace.txt"
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json", env={"GIT_TRACE": str(trace)})
    assert r.exit_code == 0, r.stderr
    assert [a["id"] for a in r.json()["accounts"]] == ["mixed"]
    asked = Counter(
        line.split("built-in: ", 1)[1]
        for line in trace.read_text(encoding="utf-8").splitlines()
        if "built-in: git ls-tree" in line
    )
    assert asked and max(asked.values()) == 1, asked
