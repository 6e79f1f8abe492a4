"""kam diff against real git repositories built in tmp_path."""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import dedent, write_account

PEOPLE = """\
stakeholders:
  - id: zhang-wei
    name: Zhang Wei
    title: CTO
    roles: [D]
    attitude: 1
    intimacy: 0
    owner: li.ming
    backup: chen.jie
    channels: [a, b]
    last_contact: 2026-11-20
    personal:
      hobby: golf
  - id: erik
    name: Erik Lund
    roles: [S, C]
    attitude: 3
    owner: chen.jie
    backup: li.ming
    channels: [a, b]
    last_contact: 2026-11-20
"""


def git(repo, *args):
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "kam@example.com")
    git(tmp_path, "config", "user.name", "kam")
    write_account(tmp_path, "nordtel", {"stakeholders.yaml": PEOPLE})
    write_account(tmp_path, "hansa")
    write_account(tmp_path, "kessler")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "first")
    return tmp_path


def commit(repo, message):
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def test_no_changes(kam, repo):
    r = kam(repo, "diff")
    assert r.exit_code == 0
    assert "0 changed, 0 added, 0 removed, 3 unchanged" in r.stdout
    m = kam(repo, "diff", "--format", "markdown")
    assert "No relationship changes (3 accounts unchanged)" in m.stdout


def test_attitude_change_in_working_tree(kam, repo):
    (repo / "accounts/nordtel/stakeholders.yaml").write_text(
        PEOPLE.replace("attitude: 1\n    intimacy: 0", "attitude: -1\n    intimacy: 0")
    )
    r = kam(repo, "diff")
    assert "  Zhang Wei (CTO)\n    ▼ attitude +1 → -1\n" in r.stdout
    assert "Acme nordtel (nordtel): score" in r.stdout
    j = kam(repo, "diff", "--format", "json").json()
    (acct,) = j["accounts"]
    assert acct["id"] == "nordtel" and acct["status"] == "changed" and acct["worse"] is True
    att = next(c for c in acct["changes"] if c["kind"] == "attitude")
    assert (att["person"], att["before"], att["after"], att["direction"]) == (
        "zhang-wei",
        1,
        -1,
        -1,
    )
    assert acct["after"]["score"] < acct["before"]["score"]
    assert j["unchanged"] == 2
    new_codes = [f["code"] for f in acct["new_findings"]]
    assert new_codes == ["KAM102"]
    m = kam(repo, "diff", "--format", "markdown")
    assert "| **nordtel** ▼ | A |" in m.stdout and "▼" in m.stdout
    assert "<details>" in m.stdout and "- **Zhang Wei (CTO)**: attitude +1 → -1 ▼" in m.stdout
    assert kam(repo, "diff", "--fail-on-worse").exit_code == 1
    assert kam(repo, "diff").exit_code == 0


def test_history_rename_delete_broken(kam, repo):
    base = git(repo, "rev-parse", "HEAD").strip()
    # commit 2: rename a stakeholder's id, a new decision maker with unknown attitude
    people = (
        PEOPLE.replace("id: erik", "id: erik-lund")
        + "  - {id: maria, name: Maria Olsen, roles: [D], attitude: '?'}\n"
    )
    (repo / "accounts/nordtel/stakeholders.yaml").write_text(people)
    commit(repo, "rename erik, add the CFO")
    # commit 3: delete an account, break another
    import shutil

    shutil.rmtree(repo / "accounts/kessler")
    (repo / "accounts/hansa/account.yaml").write_text("id: hansa\nname: [broken\n")
    commit(repo, "delete kessler, break hansa")
    # commit 4: a new account
    write_account(repo, "newco")
    commit(repo, "new account")

    r = kam(repo, "diff", base, "HEAD")
    out = r.stdout
    assert "  Erik Lund\n    ~ id erik → erik-lund\n" in out
    assert "  Maria Olsen\n    ▼ new decision maker, attitude unknown\n" in out
    assert "Acme kessler (kessler): account removed" in out
    assert "Acme hansa (hansa): the account no longer loads" in out
    assert "Acme newco (newco): new account, score" in out
    assert "new      KAM001" in out
    j = kam(repo, "diff", base, "HEAD", "--format", "json").json()
    status = {a["id"]: a["status"] for a in j["accounts"]}
    assert status == {
        "hansa": "changed",
        "kessler": "removed",
        "newco": "added",
        "nordtel": "changed",
    }
    assert j["worse"] is True
    assert kam(repo, "diff", base, "HEAD", "--fail-on-worse").exit_code == 1
    m = kam(repo, "diff", base, "HEAD", "--format", "markdown").stdout
    assert "| **kessler** (removed) ▼ |" in m and "| **newco** (new) |" in m
    assert m.count("<details>") == 3  # kessler, removed, has nothing to open: a line
    # range forms
    same = kam(repo, "diff", f"{base}..HEAD", "--format", "json").json()
    assert [a["id"] for a in same["accounts"]] == [a["id"] for a in j["accounts"]]
    # the broken side only: HEAD~1 (hansa broken) vs HEAD (unchanged hansa): not listed
    step = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    assert [a["id"] for a in step["accounts"]] == ["newco"]


def test_merge_base_range(kam, repo):
    git(repo, "checkout", "-qb", "feature")
    (repo / "accounts/nordtel/stakeholders.yaml").write_text(
        PEOPLE.replace("attitude: 3", "attitude: 2")
    )
    commit(repo, "erik cools")
    git(repo, "checkout", "-q", "main")
    (repo / "accounts/hansa/stakeholders.yaml").write_text(
        (repo / "accounts/hansa/stakeholders.yaml")
        .read_text()
        .replace("attitude: 2", "attitude: 3")
    )
    commit(repo, "change on main")
    git(repo, "checkout", "-q", "feature")
    r = kam(repo, "diff", "main...HEAD", "--format", "json").json()
    assert [a["id"] for a in r["accounts"]] == ["nordtel"]  # main's own change is not in the PR
    direct = kam(repo, "diff", "main", "HEAD", "--format", "json").json()
    assert sorted(a["id"] for a in direct["accounts"]) == ["hansa", "nordtel"]


def test_personal_changes_hidden_unless_asked(kam, repo):
    (repo / "accounts/nordtel/stakeholders.yaml").write_text(
        PEOPLE.replace("hobby: golf", "hobby: secret-sailing")
    )
    r = kam(repo, "diff")
    assert "  Zhang Wei (CTO)\n    ~ personal details changed" in r.stdout
    for fmt in ("text", "markdown", "json"):
        out = kam(repo, "diff", "--format", fmt).stdout
        assert "secret-sailing" not in out and "golf" not in out
    shown = kam(repo, "diff", "--include-personal").stdout
    assert "secret-sailing" in shown


def test_comment_only_change_is_not_reported(kam, repo):
    path = repo / "accounts/nordtel/stakeholders.yaml"
    path.write_text("# reviewed in the QBR\n" + PEOPLE)
    j = kam(repo, "diff", "--format", "json").json()
    assert j["accounts"] == [] and j["unchanged"] == 3


def test_owner_and_roles_changes(kam, repo):
    people = PEOPLE.replace("    backup: chen.jie\n", "").replace("roles: [S, C]", "roles: [S]")
    (repo / "accounts/nordtel/stakeholders.yaml").write_text(people)
    out = kam(repo, "diff").stdout
    assert "  Zhang Wei (CTO)\n    ▼ backup chen.jie → -" in out
    assert "  Erik Lund\n    ~ roles SC → S" in out


def test_unknown_revision_and_not_a_repo(kam, repo, tmp_path_factory):
    r = kam(repo, "diff", "nope")
    assert r.exit_code == 2 and "unknown revision 'nope'" in r.stderr
    plain = tmp_path_factory.mktemp("plain")
    write_account(plain, "x")
    r = kam(plain, "diff")
    assert r.exit_code == 2 and "kam: error:" in r.stderr


def test_tier_change(kam, repo):
    acct = repo / "accounts/hansa/account.yaml"
    acct.write_text(acct.read_text().replace("position: 3\nvalue: 3", "position: 4\nvalue: 4"))
    out = kam(repo, "diff").stdout
    assert "Acme hansa (hansa): tier A → S" in out
    j = kam(repo, "diff", "--format", "json").json()
    assert j["accounts"][0]["after"]["tier"] == "S"
    json.dumps(j)
    _ = dedent


def test_symlinked_file_inside_repo_is_followed_on_both_sides(kam, repo):
    """A stakeholders file shared through a symlink reads the same from git and from disk."""
    shared = repo / "shared-people.yaml"
    shared.write_text(PEOPLE)
    target = repo / "accounts/nordtel/stakeholders.yaml"
    target.unlink()
    target.symlink_to("../../shared-people.yaml")
    (repo / "accounts/hansa/org.yaml").symlink_to("/etc/hostname")  # outside: never followed
    commit(repo, "share the people file")
    j = kam(repo, "diff", "--format", "json").json()
    assert j["accounts"] == [] and j["unchanged"] == 3  # nothing changed, nothing spurious
    shared.write_text(PEOPLE.replace("attitude: 3", "attitude: 1"))
    out = kam(repo, "diff").stdout
    assert "  Erik Lund\n    ▼ attitude +3 → +1" in out
    step = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    hansa = next(a for a in step["accounts"] if a["id"] == "hansa")
    assert any("outside the repository" in f["message"] for f in hansa["new_findings"])
    assert "nordtel" not in [a["id"] for a in step["accounts"]]  # same content through the link


def test_personal_details_read_as_text_not_python(kam, repo):
    """`kam diff --include-personal` printed `~ personal {} → {'hobby': 'golf', ...}`:
    the details now read "hobby: golf; family: kid, dog"; JSON keeps the data."""
    path = repo / "accounts/nordtel/stakeholders.yaml"
    path.write_text(
        PEOPLE.replace(
            "    personal:\n      hobby: golf\n",
            "    personal:\n      hobby: golf\n      family: [kid, dog]\n"
            "      tea: {kind: 龙井, sugar: false}\n",
        )
        + "    personal: {languages: [sv, en]}\n"  # Erik, the last person
    )
    shown = kam(repo, "diff", "--include-personal", env={"COLUMNS": "120"}).stdout
    assert (
        "~ personal hobby: golf → hobby: golf; family: kid, dog; tea: (kind: 龙井, sugar: false)"
    ) in shown
    assert "~ personal - → languages: sv, en" in shown
    assert "{" not in shown and "'" not in shown and "[" not in shown
    md = kam(repo, "diff", "--include-personal", "--format", "markdown").stdout
    assert "family: kid, dog" in md and "{" not in md and "'kid'" not in md
    data = kam(repo, "diff", "--include-personal", "--format", "json").json()
    personal = [c for a in data["accounts"] for c in a["changes"] if c["kind"] == "personal"]
    assert {"languages": ["sv", "en"]} in [c["after"] for c in personal]
    assert {"hobby": "golf"} in [c["before"] for c in personal]


def test_a_removed_account_in_markdown_is_a_line_with_its_last_grade(kam, repo):
    """A removed account has no changes to list: its markdown entry was an empty
    <details> block (a summary that opened on nothing). It is one line, as in the text
    output, saying it was removed and its last grade (the JSON's ``before``)."""
    import shutil

    shutil.rmtree(repo / "accounts/kessler")
    commit(repo, "kessler handed over")
    before = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json").json()["accounts"][0]
    score, letter = before["before"]["score"], before["before"]["letter"]
    said = f"account removed ▼; last score {score} ({letter})"
    assert f"Acme kessler (kessler): {said}\n" in kam(repo, "diff", "HEAD~1", "HEAD").stdout
    m = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "markdown").stdout
    assert "<details>" not in m and "<summary>" not in m
    assert f"\n**Acme kessler** (kessler): {said}\n\n<sub>" in m


def test_personal_details_in_chinese_use_chinese_punctuation(kam, repo):
    """In Chinese the details read "爱好：高尔夫；家庭：孩子、狗" (the catalogue's "：", "；"
    and list comma "、"), not the English ", ", "; ", ": " in a Chinese sentence; a nested
    mapping is in full-width parentheses. English stays as it was (the test above)."""
    path = repo / "accounts/nordtel/stakeholders.yaml"
    path.write_text(
        PEOPLE.replace(
            "    personal:\n      hobby: golf\n",
            "    personal:\n      爱好: 高尔夫\n      家庭: [孩子, 狗]\n"
            "      茶: {种类: 龙井, 加糖: false}\n",
        )
    )
    args = ("diff", "--include-personal", "--lang", "zh-CN")
    shown = kam(repo, *args, env={"COLUMNS": "200"}).stdout
    said = "爱好：高尔夫；家庭：孩子、狗；茶：（种类：龙井、加糖：false）"
    assert f"→ {said}\n" in shown, shown
    md = kam(repo, *args, "--format", "markdown").stdout
    assert said in md, md
