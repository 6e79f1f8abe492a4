"""An account folder renamed (git mv, and its id in account.yaml) is one account renamed in
kam diff, kam portfolio --since and kam history, by one rule (``match_accounts``): an
account gone and one come in the same comparison with the same profile name, a name no
other account on either side carries. Real repositories in tmp_path, the real CLI."""

from __future__ import annotations

import pytest

from conftest import write_account
from gitrepo import new_repo
from test_history import commit, git

ACCOUNT = """\
id: {id}
name: "  华信电力集团 "
owner: wang.fang
reviewed: 2026-10-01
position: 4
value: 4
"""

PEOPLE = """\
stakeholders:
  - id: zhang
    name: 张伟
    title: CTO
    roles: [D]
    attitude: "?"
    owner: wang.fang
    last_contact: 2026-09-01
"""


@pytest.fixture
def repo(tmp_path):
    """huaxin (with an unknown decision maker) and a neighbour; then huaxin is renamed
    huaxin-group, its id changed, the name kept (with other spacing), and its CTO met."""
    r = new_repo(tmp_path / "repo")
    write_account(
        r, "huaxin", {"account.yaml": ACCOUNT.format(id="huaxin"), "stakeholders.yaml": PEOPLE}
    )
    write_account(r, "zeta")
    commit(r, "start", "2026-01-05")
    people = r / "accounts/huaxin/stakeholders.yaml"
    people.write_text(PEOPLE.replace("last_contact: 2026-09-01", "last_contact: 2026-09-15"))
    commit(r, "met Zhang again", "2026-01-12")
    git(r, "mv", "accounts/huaxin", "accounts/huaxin-group")
    (r / "accounts/huaxin-group/account.yaml").write_text(
        ACCOUNT.format(id="huaxin-group").replace('"  华信电力集团 "', "华信电力集团")
    )
    people = r / "accounts/huaxin-group/stakeholders.yaml"
    people.write_text(people.read_text().replace('attitude: "?"', "attitude: 2"))
    commit(r, "the group takes over; Zhang supports us", "2026-01-19")
    return r


def _not_a_rename(kam, repo, gone: str, come: str) -> None:
    """The last commit's folder gone and folder come are two accounts in every view:
    diff (removed and added), portfolio --since (lost, nothing renamed) and history (the
    come account starts at that commit)."""
    doc = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    assert sorted((a["id"], a["status"]) for a in doc["accounts"]) == sorted(
        [(gone, "removed"), (come, "added")]
    )
    s = kam(repo, "portfolio", "--since", "HEAD~1", "--format", "json").json()["since"]
    assert s["renamed"] == [] and [x["id"] for x in s["lost"]] == [gone]
    revs = kam(repo, "history", come, "--format", "json").json()["accounts"][0]["revisions"]
    assert [r["status"] for r in revs] == ["added"]


def test_diff_says_renamed_once_with_changes_across_the_rename(kam, repo):
    doc = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    (acct,) = doc["accounts"]
    assert acct["id"] == "huaxin-group" and acct["status"] == "renamed"
    assert acct["renamed_from"] == "huaxin"
    kinds = [c["kind"] for c in acct["changes"]]
    assert kinds[0] == "renamed" and "attitude" in kinds and "person-added" not in kinds
    # findings compared across the rename: the unknown attitude resolved, nothing "new"
    assert [f["code"] for f in acct["resolved_findings"]] == ["KAM101"]
    assert acct["new_findings"] == []
    text = kam(repo, "diff", "HEAD~1", "HEAD").stdout
    assert "华信电力集团 (huaxin-group): renamed huaxin → huaxin-group; score " in text
    assert "account removed" not in text and "new account" not in text
    assert "1 changed (1 renamed), 0 added, 0 removed, 1 unchanged; 0 worse" in text
    md = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "markdown").stdout
    assert "**huaxin-group** (renamed from huaxin)" in md
    # from the working tree as well (git mv not committed yet)
    git(repo, "reset", "-q", "--soft", "HEAD~1")
    wt = kam(repo, "diff", "--format", "json").json()
    assert [(a["id"], a["status"]) for a in wt["accounts"]] == [("huaxin-group", "renamed")]


def test_portfolio_since_lists_a_rename_not_a_lost_customer(kam, repo):
    s = kam(repo, "portfolio", "--since", "HEAD~1", "--format", "json").json()["since"]
    assert s["lost"] == [] and s["gained"] == []
    assert s["renamed"] == [{"from": "huaxin", "to": "huaxin-group", "name": "华信电力集团"}]
    assert [x["id"] for x in s["score_changes"]] == ["huaxin-group"]
    assert all(not t["entered"] and not t["left"] for t in s["tiers"])
    text = kam(repo, "portfolio", "--since", "HEAD~1", "--no-color").stdout
    assert (
        "Accounts lost: none" in text
        and "Accounts renamed:\n  华信电力集团 (huaxin-group): huaxin → huaxin-group" in text
    )


def test_history_of_the_new_id_follows_the_old_one(kam, repo):
    doc = kam(repo, "history", "huaxin-group", "--format", "json").json()
    (acct,) = doc["accounts"]
    revs = acct["revisions"]
    assert [r["subject"] for r in revs] == [
        "start",
        "met Zhang again",
        "the group takes over; Zhang supports us",
    ]
    assert [r["status"] for r in revs] == ["added", "changed", "renamed"]
    assert revs[2]["change"].startswith("renamed huaxin → huaxin-group; score ")
    # the rows before the rename are the old folder graded as it was
    assert revs[0]["grade"]["id"] == "huaxin"
    old = kam(repo, "history", "huaxin", "--format", "json").json()
    (acct,) = old["accounts"]
    last = acct["revisions"][-1]
    assert last["status"] == "renamed" and last["change"] == "account renamed to huaxin-group"
    every = kam(repo, "history", "--format", "json").json()
    assert [a["id"] for a in every["accounts"]] == ["huaxin-group", "zeta"]
    assert len(every["accounts"][0]["revisions"]) == 3


def test_an_ambiguous_name_is_not_a_rename(kam, repo):
    """Two accounts with the same name: a folder gone and one come are not matched."""
    write_account(repo, "zeta", {"account.yaml": ACCOUNT.format(id="zeta")})
    commit(repo, "zeta is in the same group", "2026-01-26")
    git(repo, "mv", "accounts/huaxin-group", "accounts/hx")
    acct = repo / "accounts/hx/account.yaml"
    acct.write_text(acct.read_text().replace("id: huaxin-group", "id: hx"))
    commit(repo, "short name", "2026-02-02")
    _not_a_rename(kam, repo, "huaxin-group", "hx")


OTHER = """\
id: {id}
name: {name}
owner: li.na
reviewed: 2026-10-01
position: 2
value: 2
"""


def _json_of_others(kam, repo, ids):
    return {a: kam(repo, "history", a, "--format", "json").json() for a in ids}


def test_a_freed_id_taken_by_another_account_keeps_the_renamed_accounts_past(kam, repo):
    """huaxin was renamed huaxin-group; later a new customer takes the folder huaxin: the
    group's history still starts at its first commit and says renamed; the new huaxin
    starts a history of its own; the other accounts' histories do not change."""
    before = _json_of_others(kam, repo, ["zeta"])
    write_account(repo, "huaxin", {"account.yaml": OTHER.format(id="huaxin", name="华鑫物流")})
    commit(repo, "a new customer, Huaxin Logistics", "2026-01-26")
    doc = kam(repo, "history", "huaxin-group", "--format", "json").json()
    (acct,) = doc["accounts"]
    assert [(r["subject"], r["status"]) for r in acct["revisions"]] == [
        ("start", "added"),
        ("met Zhang again", "changed"),
        ("the group takes over; Zhang supports us", "renamed"),
    ]
    every = kam(repo, "history", "--format", "json").json()
    by_id = {a["id"]: a for a in every["accounts"]}
    assert sorted(by_id) == ["huaxin", "huaxin-group", "zeta"]
    assert [r["status"] for r in by_id["huaxin-group"]["revisions"]] == [
        "added",
        "changed",
        "renamed",
    ]
    new = by_id["huaxin"]["revisions"]
    assert [(r["subject"], r["status"]) for r in new] == [
        ("a new customer, Huaxin Logistics", "added")
    ]
    assert new[0]["grade"]["name"] == "华鑫物流"
    # asked for by the old id: the group's rows until its rename, then the new customer
    old = kam(repo, "history", "huaxin", "--format", "json").json()["accounts"][0]["revisions"]
    assert [r["status"] for r in old] == ["added", "changed", "renamed", "added"]
    assert old[2]["change"] == "account renamed to huaxin-group"
    assert old[3]["change"].startswith("new account, score ")
    text = kam(repo, "history", "huaxin-group").stdout
    assert "account removed" not in text and text.count("new account") == 1
    assert _json_of_others(kam, repo, ["zeta"]) == before


def test_an_account_renamed_back_is_one_history(kam, repo):
    """huaxin-group renamed hx, then back to huaxin-group: one history of five rows."""
    before = _json_of_others(kam, repo, ["zeta"])
    for old, new, day in (
        ("huaxin-group", "hx", "2026-01-26"),
        ("hx", "huaxin-group", "2026-02-02"),
    ):
        git(repo, "mv", f"accounts/{old}", f"accounts/{new}")
        acct = repo / f"accounts/{new}/account.yaml"
        acct.write_text(acct.read_text().replace(f"id: {old}", f"id: {new}"))
        commit(repo, f"{old} is now {new}", day)
    doc = kam(repo, "history", "huaxin-group", "--format", "json").json()
    (acct,) = doc["accounts"]
    revs = acct["revisions"]
    assert [r["status"] for r in revs] == ["added", "changed", "renamed", "renamed", "renamed"]
    assert revs[3]["change"].startswith("renamed huaxin-group → hx; score ")
    assert revs[4]["change"].startswith("renamed hx → huaxin-group; score ")
    every = kam(repo, "history", "--format", "json").json()
    assert [(a["id"], len(a["revisions"])) for a in every["accounts"]] == [
        ("huaxin-group", 5),
        ("zeta", 1),
    ]
    hx = kam(repo, "history", "hx", "--format", "json").json()["accounts"][0]["revisions"]
    assert [r["status"] for r in hx] == ["added", "changed", "renamed", "renamed", "renamed"]
    assert hx[-1]["change"] == "account renamed to huaxin-group"
    text = kam(repo, "history", "huaxin-group").stdout
    assert "account removed" not in text and text.count("new account") == 1
    assert _json_of_others(kam, repo, ["zeta"]) == before


TEAM = """\
stakeholders:
{people}
"""
PERSON = """\
  - id: {id}
    name: {name}
    title: {title}
    roles: [{role}]
    attitude: 1
    owner: wang.fang
    last_contact: 2026-09-01
"""
BOARD = [
    ("zhang-wei", "张伟", "CTO", "D"),
    ("li-na", "李娜", "CFO", "E"),
    ("chen-jie", "陈杰", "CPO", "S"),
    ("wang-fang", "王芳", "Head of IT", "I"),
]


def _team(rows):
    return TEAM.format(
        people="".join(PERSON.format(id=i, name=n, title=t, role=r) for i, n, t, r in rows).rstrip(
            "\n"
        )
    )


@pytest.fixture
def takeover(tmp_path):
    """huaxin (four people) and zeta; then huaxin is taken over: folder, id and name all
    change in one commit (华信电力集团 -> 国电华信能源), a fifth person joins."""
    r = new_repo(tmp_path / "repo")
    write_account(
        r,
        "huaxin",
        {
            "account.yaml": ACCOUNT.format(id="huaxin"),
            "stakeholders.yaml": _team(BOARD),
        },
    )
    write_account(r, "zeta")
    commit(r, "start", "2026-01-05")
    git(r, "mv", "accounts/huaxin", "accounts/gd-huaxin")
    (r / "accounts/gd-huaxin/account.yaml").write_text(
        ACCOUNT.format(id="gd-huaxin").replace('"  华信电力集团 "', "国电华信能源")
    )
    (r / "accounts/gd-huaxin/stakeholders.yaml").write_text(
        _team([*BOARD, ("zhou-min", "周敏", "COO", "I")])
    )
    commit(r, "taken over by Guodian: new name, a COO", "2026-01-12")
    return r


def test_folder_id_and_name_changed_together_are_one_account_by_its_people(kam, takeover):
    """The name no longer matches; four of the five people (by id and name) do: one
    account renamed in diff, portfolio --since and history alike."""
    doc = kam(takeover, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    (acct,) = doc["accounts"]
    assert (acct["id"], acct["status"], acct["renamed_from"]) == (
        "gd-huaxin",
        "renamed",
        "huaxin",
    )
    kinds = [c["kind"] for c in acct["changes"]]
    assert "person-added" in kinds and "person-removed" not in kinds
    text = kam(takeover, "diff", "HEAD~1", "HEAD").stdout
    assert "account removed" not in text and "new account" not in text
    assert "1 changed (1 renamed), 0 added, 0 removed" in text
    s = kam(takeover, "portfolio", "--since", "HEAD~1", "--format", "json").json()["since"]
    assert s["lost"] == [] and s["gained"] == []
    assert s["renamed"] == [{"from": "huaxin", "to": "gd-huaxin", "name": "国电华信能源"}]
    revs = kam(takeover, "history", "gd-huaxin", "--format", "json").json()["accounts"][0][
        "revisions"
    ]
    assert [r["status"] for r in revs] == ["added", "renamed"]
    old = kam(takeover, "history", "huaxin", "--format", "json").json()["accounts"][0]
    assert old["revisions"][-1]["change"] == "account renamed to gd-huaxin"


def test_a_new_customer_with_other_people_is_not_the_one_that_went(kam, takeover):
    """A folder gone and one come whose names differ and who share one person of four:
    a customer lost and another won, not a rename."""
    git(takeover, "rm", "-q", "-r", "accounts/gd-huaxin")
    others = [
        ("zhang-wei", "张伟", "CTO", "D"),
        *[(f"p{i}", f"员工{i}", "VP", "I") for i in range(3)],
    ]
    write_account(
        takeover,
        "dongfang",
        {
            "account.yaml": ACCOUNT.format(id="dongfang").replace('"  华信电力集团 "', "东方电气"),
            "stakeholders.yaml": _team(others),
        },
    )
    commit(takeover, "lost Huaxin, won Dongfang", "2026-01-19")
    _not_a_rename(kam, takeover, "gd-huaxin", "dongfang")


def test_two_accounts_with_the_same_people_decide_nothing(kam, takeover):
    """The gone account's people are in two come accounts alike: no rename is guessed."""
    git(takeover, "mv", "accounts/gd-huaxin", "accounts/hx-north")
    north = takeover / "accounts/hx-north/account.yaml"
    north.write_text(
        north.read_text()
        .replace("id: gd-huaxin", "id: hx-north")
        .replace("国电华信能源", "华信北方")
    )
    write_account(
        takeover,
        "hx-south",
        {
            "account.yaml": ACCOUNT.format(id="hx-south").replace('"  华信电力集团 "', "华信南方"),
            "stakeholders.yaml": (takeover / "accounts/hx-north/stakeholders.yaml").read_text(),
        },
    )
    commit(takeover, "split in two", "2026-01-19")
    doc = kam(takeover, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    assert sorted((a["id"], a["status"]) for a in doc["accounts"]) == [
        ("gd-huaxin", "removed"),
        ("hx-north", "added"),
        ("hx-south", "added"),
    ]


def test_people_copied_into_another_account_decide_nothing(kam, takeover):
    """A third account, unchanged, holds the same people (copied from one template): the
    folder gone and the one come are not guessed to be one account."""
    write_account(
        takeover,
        "template-copy",
        {
            "account.yaml": ACCOUNT.format(id="template-copy").replace(
                '"  华信电力集团 "', "模板客户"
            ),
            "stakeholders.yaml": _team(BOARD),
        },
    )
    commit(takeover, "a third account from the same template", "2026-01-19")
    git(takeover, "mv", "accounts/gd-huaxin", "accounts/gd")
    acct = takeover / "accounts/gd/account.yaml"
    acct.write_text(
        acct.read_text().replace("id: gd-huaxin", "id: gd").replace("国电华信能源", "国电")
    )
    (takeover / "accounts/gd/stakeholders.yaml").write_text(_team(BOARD))
    commit(takeover, "gd", "2026-01-26")
    _not_a_rename(kam, takeover, "gd-huaxin", "gd")
