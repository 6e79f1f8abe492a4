"""kam diff covers every field of every file (SPEC 5, v2): each kind of change appears in
text, markdown and json with its arrow; renames; an account that stops loading; sub-folders;
the markdown renders as CommonMark and lists never start with + or -."""

from __future__ import annotations

import subprocess

import pytest
from markdown_it import MarkdownIt

from conftest import dedent, write_account

ACCOUNT = """\
id: huaxin
name: 华信电力
owner: wang.fang
stage: build
reviewed: 2026-10-01
position: 4
value: 3
facts: {revenue: 800000, currency: CNY, supplier_position: secondary}
value_curve:
  - {year: 2026, expected: 800000, actual: 700000}
needs:
  - {kind: explicit, text: grid stability}
competitors:
  - {name: Vantor}
team:
  - {person: wang.fang, roles: [relationship-lead]}
"""

ORG = """\
units:
  - {id: hq, name: 总部}
  - {id: ops, name: 运维部, parent: hq}
"""

PEOPLE = """\
stakeholders:
  - id: zhang-wei
    name: 张伟
    title: CTO
    unit: hq
    roles: [D]
    attitude: 0
    intimacy: 1
    owner: wang.fang
    backup: li.ming
    channels: [wechat, email]
    last_contact: 2026-11-20
  - id: li-na
    name: 李娜
    unit: ops
    reports_to: zhang-wei
    roles: [E]
    attitude: 1
    owner: li.ming
    backup: wang.fang
    channels: [a, b]
    last_contact: 2026-11-01
  - id: sun-qi
    name: 孙琦
    reports_to: zhang-wei
    roles: [I]
    attitude: 2
    owner: li.ming
"""

TARGETS = """\
period: 2027
targets:
  - {id: grid-share, kind: share, text: 30% of grid spend, due: 2027-12-31, owner: wang.fang}
relationship_goals:
  - {stakeholder: zhang-wei, attitude: 2, by: 2027-03-31, owner: wang.fang}
  - {stakeholder: li-na, attitude: 1, by: 2027-06-30, owner: li.ming}
actions:
  - {id: cto-dinner, text: Dinner with the CTO, owner: wang.fang, due: 2027-01-15, status: planned, stakeholder: zhang-wei}
  - {id: demo, text: Lab demo, owner: li.ming, due: 2027-02-01, status: doing, stakeholder: li-na}
  - {id: visit, text: Plant visit, owner: li.ming, due: 2027-02-10, status: planned}
opportunities:
  - {id: substation, name: Substation upgrade, pbip: 2027-05-01, ready: 2027-04-01}
"""


def git(repo, *args):
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


def commit(repo, message):
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "kam@example.com")
    git(tmp_path, "config", "user.name", "kam")
    write_account(
        tmp_path,
        "huaxin",
        {
            "account.yaml": ACCOUNT,
            "org.yaml": ORG,
            "stakeholders.yaml": PEOPLE,
            "targets.yaml": TARGETS,
        },
    )
    write_account(tmp_path, "other")
    commit(tmp_path, "base")
    return tmp_path


def edit(repo, name, *pairs):
    path = repo / "accounts/huaxin" / name
    text = path.read_text()
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text)


def all_formats(kam, repo, *args, exit_code=0):
    text = kam(repo, "diff", *args, "--no-color")
    md = kam(repo, "diff", *args, "--format", "markdown")
    js = kam(repo, "diff", *args, "--format", "json")
    assert text.exit_code == md.exit_code == js.exit_code == exit_code, text.stderr
    return text.stdout, md.stdout, js.json()


def change(js, kind, **match):
    (acct,) = [a for a in js["accounts"] if a["id"] == "huaxin"]
    found = [
        c
        for c in acct["changes"]
        if c["kind"] == kind and all(c.get(k) == v for k, v in match.items())
    ]
    assert found, (kind, [c["kind"] for c in acct["changes"]])
    return found[0]


# (file, edits, json kind, sentence, direction) for every kind of change the issue names
CASES = [
    ("account.yaml", [("stage: build", "stage: stabilize")], "stage", "stage build → stabilize", 0),
    ("account.yaml", [("position: 4", "position: 3")], "position", "position 4 → 3", -1),
    ("account.yaml", [("value: 3", "value: 4")], "value", "value 3 → 4", 1),
    (
        "account.yaml",
        [("revenue: 800000", "revenue: 1200000")],
        "revenue",
        "facts revenue 800,000 → 1,200,000",
        1,
    ),
    (
        "account.yaml",
        [("actual: 700000}", "actual: 750000}\n  - {year: 2027, expected: 900000}")],
        "value-curve-added",
        "new value curve 2027: expected 900,000",
        0,
    ),
    (
        "account.yaml",
        [
            (
                "  - {kind: explicit, text: grid stability}",
                "  - {kind: individual, text: 晋升, stakeholder: zhang-wei}",
            )
        ],
        "need-added",
        "new need individual 晋升: stakeholder zhang-wei",
        0,
    ),
    (
        "account.yaml",
        [("  - {name: Vantor}", "  - {name: Vantor}\n  - {name: Norgrid}")],
        "competitor-added",
        "new competitor Norgrid",
        0,
    ),
    (
        "account.yaml",
        [
            (
                "roles: [relationship-lead]}",
                "roles: [relationship-lead]}\n  - {person: chen.jie, roles: [technical-expert]}",
            )
        ],
        "team-member-added",
        "new team member chen.jie: roles technical-expert",
        0,
    ),
    (
        "org.yaml",
        [("name: 运维部, parent: hq", "name: 运维中心, parent: hq")],
        "name",
        "unit ops (运维中心): name 运维部 → 运维中心",
        0,
    ),
    ("stakeholders.yaml", [("attitude: 0\n", "attitude: -1\n")], "attitude", "attitude 0 → -1", -1),
    ("stakeholders.yaml", [("intimacy: 1", "intimacy: 2")], "intimacy", "intimacy +1 → +2", 1),
    (
        "stakeholders.yaml",
        [("channels: [wechat, email]", "channels: [wechat]")],
        "channels",
        "channels − email",
        0,
    ),
    (
        "stakeholders.yaml",
        [("last_contact: 2026-11-01", "last_contact: 2026-11-22")],
        "last_contact",
        "last contact 2026-11-01 → 2026-11-22",
        0,
    ),
    ("stakeholders.yaml", [("unit: ops", "unit: hq")], "unit", "unit ops → hq", 0),
    ("stakeholders.yaml", [("roles: [E]", "roles: [E, C]")], "roles", "roles E → EC", 0),
    (
        "stakeholders.yaml",
        [
            (
                "    attitude: 2\n    owner: li.ming\n",
                "    attitude: 2\n    owner: li.ming\n    sponsor: ceo.liu\n",
            )
        ],
        "sponsor",
        "sponsor - → ceo.liu",
        1,
    ),
    (
        "stakeholders.yaml",
        [("    roles: [I]\n", "    roles: [I]\n    competitor: Vantor\n")],
        "competitor",
        "backs competitor - → Vantor",
        -1,
    ),
    (
        "stakeholders.yaml",
        [
            (
                "    attitude: 2\n    owner: li.ming\n",
                "    attitude: 2\n    owner: li.ming\n    layer: general\n",
            )
        ],
        "layer",
        "layer key → general",
        0,
    ),
    (
        "targets.yaml",
        [
            (
                "{stakeholder: zhang-wei, attitude: 2, by: 2027-03-31",
                "{stakeholder: zhang-wei, attitude: 1, by: 2027-03-31",
            )
        ],
        "goal",
        "goal for 张伟 lowered: attitude +2 → +1 by 2027-03-31",
        -1,
    ),
    (
        "targets.yaml",
        [("{stakeholder: li-na, attitude: 1", "{stakeholder: li-na, attitude: 3")],
        "goal",
        "goal for 李娜 raised: attitude +1 → +3 by 2027-06-30",
        1,
    ),
    (
        "targets.yaml",
        [("status: planned, stakeholder: zhang-wei", "status: dropped, stakeholder: zhang-wei")],
        "action-status",
        "action cto-dinner (Dinner with the CTO) dropped (with decision maker 张伟): planned → dropped",
        -1,
    ),
    (
        "targets.yaml",
        [("status: doing, stakeholder: li-na", "status: done, stakeholder: li-na")],
        "action-status",
        "action demo (Lab demo) done: doing → done",
        1,
    ),
    (
        "targets.yaml",
        [("status: planned}", "status: dropped}")],
        "action-status",
        "action visit (Plant visit) dropped: planned → dropped",
        0,
    ),
    (
        "targets.yaml",
        [("ready: 2027-04-01", "ready: 2027-06-01")],
        "opportunity",
        "opportunity substation (Substation upgrade): ready 2027-04-01 → 2027-06-01, now after the PBIP 2027-05-01: unreachable",
        -1,
    ),
    (
        "targets.yaml",
        [("due: 2027-12-31", "due: 2027-09-30")],
        "due",
        "target grid-share (30% of grid spend): due 2027-12-31 → 2027-09-30",
        0,
    ),
    ("targets.yaml", [("period: 2027", "period: 2027-H1")], "period", "period 2027 → 2027-H1", 0),
]


@pytest.mark.parametrize(
    "name, pairs, kind, sentence, direction",
    CASES,
    ids=[f"{c[0]}:{c[2]}:{i}" for i, c in enumerate(CASES)],
)
def test_each_kind_of_change(kam, repo, name, pairs, kind, sentence, direction):
    edit(repo, name, *pairs)
    text, md, js = all_formats(kam, repo)
    c = change(js, kind)
    assert sentence in c["text"], c["text"]
    assert c["direction"] == direction
    mark = {1: "▲", -1: "▼", 0: None}[direction]
    detail = c["text"].split(": ", 1)[1] if c["group"] == "people" else c["text"]
    if mark:
        assert f"{mark} {detail}" in text
        assert f"{_md(detail)} {mark}" in md
    else:
        assert detail in text and _md(detail) in md
    # the markdown is CommonMark whose lists never turn into empty nested bullets
    tokens = MarkdownIt("commonmark").parse(md)
    inline = [t for t in tokens if t.type == "inline"]
    assert all(t.content.strip() for t in inline)
    assert "- + " not in md and "- - " not in md
    worse = kam(repo, "diff", "--fail-on-worse").exit_code
    assert worse == (1 if (direction < 0 or js["accounts"][0]["worse"]) else 0)


def _md(text: str) -> str:
    from kamtool.report.escape import md

    return md(text)


def test_people_added_removed_left_and_log_of_changes(kam, repo):
    edit(
        repo,
        "stakeholders.yaml",
        (
            "    last_contact: 2026-11-01\n",
            "    last_contact: 2026-11-01\n    left_on: 2026-11-15\n",
        ),
    )
    people = (repo / "accounts/huaxin/stakeholders.yaml").read_text()
    people += "  - {id: zhao-lei, name: 赵磊, roles: [D], attitude: '?', competitor: Vantor}\n"
    people = people.replace(
        "  - id: sun-qi\n    name: 孙琦\n    reports_to: zhang-wei\n    roles: [I]\n    attitude: 2\n    owner: li.ming\n",
        "",
    )
    (repo / "accounts/huaxin/stakeholders.yaml").write_text(people)
    text, md, js = all_formats(kam, repo)
    assert "  赵磊\n    ▼ new decision maker, attitude unknown, backs Vantor\n" in text
    assert "  孙琦\n    ▼ removed: a supporter (attitude +2)\n" in text  # a supporter lost
    assert "  李娜\n    - left on 2026-11-15\n" in text
    assert "- **赵磊**: new decision maker, attitude unknown, backs Vantor ▼" in md
    assert change(js, "person-added")["person"] == "zhao-lei"
    assert change(js, "person-removed")["person"] == "sun-qi"
    assert kam(repo, "diff", "--fail-on-worse").exit_code == 1


def test_summary_counts_worse_accounts_whose_score_did_not_move(kam, repo):
    """Defect 12.4: a CTO going down and a new competitor backer are 'worse' even when the
    rounded score stays; the markdown summary says so."""
    edit(
        repo, "stakeholders.yaml", ("    roles: [I]\n", "    roles: [I]\n    competitor: Vantor\n")
    )
    text, md, js = all_formats(kam, repo)
    assert js["worse"] is True and js["accounts"][0]["worse"] is True
    assert text.rstrip().endswith("1 worse")
    assert "| **huaxin** ▼ |" in md
    assert "1 worse; judged on" in md


def test_rename_is_one_rename_and_keeps_findings(kam, repo):
    # zhang-wei becomes zw (same name, no boss), li-na becomes lina (same name and the same
    # reporting line, the boss renamed in the same change)
    people = PEOPLE.replace("id: zhang-wei", "id: zw").replace(
        "reports_to: zhang-wei", "reports_to: zw"
    )
    people = people.replace("id: li-na", "id: lina")
    (repo / "accounts/huaxin/stakeholders.yaml").write_text(people)
    targets = TARGETS.replace("stakeholder: zhang-wei", "stakeholder: zw").replace(
        "stakeholder: li-na", "stakeholder: lina"
    )
    (repo / "accounts/huaxin/targets.yaml").write_text(targets)
    text, md, js = all_formats(kam, repo)
    (acct,) = js["accounts"]
    kinds = [c["kind"] for c in acct["changes"]]
    assert kinds.count("person-renamed") == 2
    assert "person-added" not in kinds and "person-removed" not in kinds
    assert "goal-added" not in kinds and "goal-removed" not in kinds
    assert acct["new_findings"] == [] and acct["resolved_findings"] == []
    assert "  张伟 (CTO)\n    ~ id zhang-wei → zw\n" in text
    assert "- **李娜**: id li-na → lina" in md


def test_same_name_elsewhere_in_the_org_is_not_a_rename(kam, repo):
    people = PEOPLE.replace(
        "id: sun-qi\n    name: 孙琦\n    reports_to: zhang-wei",
        "id: sun-qi-2\n    name: 孙琦\n    reports_to: li-na",
    )
    (repo / "accounts/huaxin/stakeholders.yaml").write_text(people)
    _text, _md, js = all_formats(kam, repo)
    kinds = [c["kind"] for c in js["accounts"][0]["changes"]]
    assert "person-renamed" not in kinds and "person-added" in kinds and "person-removed" in kinds


def test_different_crm_ids_are_different_people_whatever_the_name(kam, repo):
    """Same name, same manager, a new id and another crm_id: a namesake who joined as the
    other left (two CRM records), not one person renamed."""
    people = PEOPLE.replace(
        "id: sun-qi\n    name: 孙琦\n", "id: sun-qi\n    name: 孙琦\n    crm_id: C-100\n"
    )
    (repo / "accounts/huaxin/stakeholders.yaml").write_text(people)
    commit(repo, "crm ids")
    (repo / "accounts/huaxin/stakeholders.yaml").write_text(
        people.replace("id: sun-qi\n", "id: sun-qi-2\n").replace("C-100", "C-200")
    )
    _text, _md, js = all_formats(kam, repo)
    kinds = [c["kind"] for c in js["accounts"][0]["changes"]]
    assert "person-renamed" not in kinds
    assert "person-added" in kinds and "person-removed" in kinds


def test_account_that_stops_loading_lists_no_resolved_findings(kam, repo):
    """Defect 12.5."""
    base = kam(repo, "check", "--format", "json").json()
    assert any(f["account"] == "huaxin" for f in base["findings"])  # it has findings to lose
    (repo / "accounts/huaxin/stakeholders.yaml").write_text(
        PEOPLE.replace("attitude: 1\n", "attitude: 9\n")
    )
    text, md, js = all_formats(kam, repo, exit_code=1)  # SPEC 7: a gate never passes ...
    (acct,) = js["accounts"]
    assert acct["stopped_loading"] is True and acct["worse"] is True
    assert acct["resolved_findings"] == []
    assert [f["code"] for f in acct["new_findings"]] == ["KAM002"]
    assert "华信电力 (huaxin): the account no longer loads: 1 error in its files" in text
    assert "resolved" not in text.replace("0 resolved", "")
    assert "Resolved findings" not in md and "**does not load** ▼" in md
    assert kam(repo, "diff", "--fail-on-worse").exit_code == 1


def test_a_file_that_stops_loading_is_not_everyone_removed(kam, repo):
    """A stakeholders.yaml that is no longer YAML holds nobody as far as kam can tell: the
    diff says the file does not load, not that every person was removed (and, once the
    file is fixed, not that they were all added again)."""
    path = repo / "accounts/huaxin/stakeholders.yaml"
    path.write_text("stakeholders:\n  - id: [broken\n")
    text, md, js = all_formats(kam, repo, exit_code=1)
    (acct,) = js["accounts"]
    kinds = [c["kind"] for c in acct["changes"]]
    assert "person-removed" not in kinds and kinds.count("unreadable") == 1
    assert (
        "  stakeholders.yaml\n    ~ does not load any more: its changes are not compared\n" in text
    )
    assert "- **stakeholders.yaml**: does not load any more" in md
    assert "removed" not in text.replace("0 removed", "")
    commit(repo, "broken")
    path.write_text(PEOPLE)
    _text, _md, js = all_formats(kam, repo)
    (acct,) = js["accounts"]
    kinds = [c["kind"] for c in acct["changes"]]
    assert "person-added" not in kinds and kinds.count("unreadable") == 1
    assert any("loads again" in c["text"] for c in acct["changes"])
    zh = kam(repo, "diff", "--lang", "zh-CN").stdout
    assert "stakeholders.yaml" in zh and "does not load" not in zh and "loads again" not in zh


def test_from_a_sub_folder_with_kam_yaml_at_the_root(kam, repo):
    """Defect 12.1: the same answer from accounts/, from an account folder, and from the root."""
    (repo / "kam.yaml").write_text("accounts: accounts\n")
    commit(repo, "config")
    edit(repo, "stakeholders.yaml", ("attitude: 0\n", "attitude: -2\n"))
    commit(repo, "the CTO turns")
    root = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json")
    for where, folder in ((repo / "accounts", "huaxin/"), (repo / "accounts/huaxin", "")):
        sub = kam(where, "diff", "HEAD~1", "HEAD", "--format", "json")
        # files named from where kam runs, as kam check names them there
        assert sub.stdout == root.stdout.replace('"accounts/huaxin/', f'"{folder}')
        assert kam(where, "diff", "HEAD~1", "HEAD", "--fail-on-worse").exit_code == 1
    assert [a["id"] for a in root.json()["accounts"]] == ["huaxin"]


def test_accounts_folder_named_in_kam_yaml(kam, repo):
    git(repo, "mv", "accounts", "customers")
    (repo / "kam.yaml").write_text("accounts: customers\n")
    commit(repo, "move")
    (repo / "customers/huaxin/stakeholders.yaml").write_text(
        PEOPLE.replace("intimacy: 1", "intimacy: -1")
    )
    (repo / "customers/deep").mkdir()
    out = kam(repo / "customers/deep", "diff").stdout
    assert "  张伟 (CTO)\n    ▼ intimacy +1 → -1" in out


def test_markdown_renders_and_is_valid_commonmark(kam, repo):
    edit(
        repo,
        "stakeholders.yaml",
        ("attitude: 0\n", "attitude: -1\n"),
        ("roles: [E]", "roles: [E, C]"),
    )
    edit(repo, "targets.yaml", ("ready: 2027-04-01", "ready: 2027-06-01"))
    md = kam(repo, "diff", "--format", "markdown").stdout
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<table>" in html and "<details>" in html
    assert "<li><strong>张伟 (CTO)</strong>: attitude 0 → -1 ▼</li>" in html
    assert "unreachable ▼</li>" in html
    # no list item is empty and none holds only a nested list
    assert "<li></li>" not in html and "<li>\n<ul>" not in html


def test_shallow_clone_and_outside_git_are_one_line_errors(kam, repo, tmp_path_factory):
    plain = tmp_path_factory.mktemp("plain")
    write_account(plain, "x")
    r = kam(plain, "diff")
    assert r.exit_code == 2 and "is not inside a git repository" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    _ = dedent


@pytest.mark.skipif(
    "crm_id" not in __import__("kamtool.load.models").load.models.Stakeholder.model_fields,
    reason="crm_id is added to the models by the CRM import work",
)
def test_rename_by_crm_id_even_with_a_new_name(kam, repo):
    people = PEOPLE.replace(
        "    last_contact: 2026-11-20\n", "    last_contact: 2026-11-20\n    crm_id: C-001\n", 1
    )
    (repo / "accounts/huaxin/stakeholders.yaml").write_text(people)
    commit(repo, "crm ids")
    renamed = people.replace("id: zhang-wei\n    name: 张伟", "id: zhang-wei-2\n    name: 张 伟")
    (repo / "accounts/huaxin/stakeholders.yaml").write_text(
        renamed.replace("reports_to: zhang-wei", "reports_to: zhang-wei-2")
    )
    (repo / "accounts/huaxin/targets.yaml").write_text(
        TARGETS.replace("stakeholder: zhang-wei", "stakeholder: zhang-wei-2")
    )
    _text, _md, js = all_formats(kam, repo)
    kinds = [c["kind"] for c in js["accounts"][0]["changes"]]
    assert kinds.count("person-renamed") == 1 and "name" in kinds
    assert "person-added" not in kinds and "person-removed" not in kinds


@pytest.mark.skipif(
    "log" not in __import__("kamtool.load.accounts").load.accounts.FILE_NAMES,
    reason="log.yaml is added by the interaction-log work",
)
def test_new_log_entries_are_listed(kam, repo):
    log = repo / "accounts/huaxin/log.yaml"
    log.write_text(
        "entries:\n  - {date: 2026-11-02, with: [zhang-wei], by: [wang.fang], kind: call, summary: budget}\n"
    )
    commit(repo, "log")
    log.write_text(
        log.read_text()
        + "  - {date: 2026-11-20, with: [zhang-wei, li-na], by: [wang.fang], kind: visit, summary: 参观工厂}\n"
        + "  - {date: 2026-11-21, with: [li-na], by: [wang.fang], kind: call, summary: 报价,\n"
        + "     next: 12 月 15 日前发技术方案}\n"
    )
    text, md, js = all_formats(kam, repo)
    c = change(js, "log-entry")
    assert c["group"] == "log" and c["direction"] == 0
    assert c["text"] == "new log entry 2026-11-20 visit with 张伟, 李娜 (by wang.fang): 参观工厂"
    assert (
        "  log\n    + new log entry 2026-11-20 visit with 张伟, 李娜 (by wang.fang): 参观工厂"
        in text
    )
    assert (
        "**Log**\n\n- new log entry 2026-11-20 visit with 张伟, 李娜 (by wang.fang): 参观工厂" in md
    )
    entries = [x["text"] for x in js["accounts"][0]["changes"] if x["kind"] == "log-entry"]
    # the agreed next step is shown too (it was left out: a field of the file not in the diff)
    assert entries[1] == (
        "new log entry 2026-11-21 call with 李娜 (by wang.fang): 报价; next step: "
        "12 月 15 日前发技术方案"
    )
    assert len(entries) == 2


def test_an_account_that_loads_again_lists_no_finding_as_new(kam, repo):
    """Trial defect: after a broken commit was fixed, every finding the account always had
    was listed as "new" (and an error-level one counted the fix as worse). The account
    loads again: one line with its grade; its findings are not compared with a version
    that was never analysed; only the load errors that went away are resolved."""
    (repo / "kam.yaml").write_text("rules:\n  KAM101: error\n")  # an error-level finding
    commit(repo, "unknown attitudes are errors here")
    people = repo / "accounts/huaxin/stakeholders.yaml"
    good = people.read_text()
    # a person with an unknown attitude: a KAM101 error the account had all along
    extra = "  - id: ghost\n    name: Gao Shan\n    roles: [D]\n    attitude: '?'\n"
    good = good + extra
    people.write_text(good)
    commit(repo, "a decision maker we do not know yet")
    people.write_text(good + "  - {id: [broken\n")
    commit(repo, "broken")
    people.write_text(good)
    commit(repo, "fixed")
    text, md, js = all_formats(kam, repo, "HEAD~1", "HEAD")
    (acct,) = js["accounts"]
    assert acct["loads_again"] is True and acct["worse"] is False and js["worse"] is False
    assert acct["new_findings"] == []
    assert [f["code"] for f in acct["resolved_findings"]] == ["KAM001"]
    assert [c["kind"] for c in acct["changes"]] == ["valid", "unreadable"]
    assert acct["changes"][0]["text"] == "the account loads again, score {} ({})".format(
        acct["after"]["score"], acct["after"]["letter"]
    )
    assert "华信电力 (huaxin): the account loads again, score " in text and "  new " not in text
    assert "0 worse" in text and "New findings" not in md
    # the summary table's row says so too, as a row says an account stopped loading
    # (it showed only a score: why it had none before was in the details)
    assert "| **huaxin** | " in md and "| **loads again** ▲; 1 | +0 / −1 |" in md, md
    zh = kam(repo, "diff", "HEAD~1", "HEAD", "--lang", "zh-CN").stdout
    assert "客户重新可以读取，评分" in zh and "0 个变差" in zh and "  新增 " not in zh
    # --fail-on-worse: the fix is no regression; its KAM101 error was there before the break
    assert kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse").exit_code == 0
    # ... but a ▼ change in a file that loaded on both sides still counts
    edit(repo, "account.yaml", ("position: 4\n", "position: 2\n"))
    commit(repo, "position down")
    both = kam(repo, "diff", "HEAD~2", "HEAD", "--format", "json").json()
    (acct,) = both["accounts"]
    assert acct["loads_again"] is True and acct["new_findings"] == [] and acct["worse"] is True
    assert kam(repo, "diff", "HEAD~2", "HEAD", "--fail-on-worse").exit_code == 1


def test_finding_lines_stay_aligned_when_wrapped(kam, repo):
    """Trial defect: in a narrow terminal the first "new" finding kept its padding and the
    wrapped ones lost it ("new KAM105 ..."); every finding's code starts in one column."""
    edit(repo, "stakeholders.yaml", ("attitude: 1\n", "attitude: '?'\n"))
    edit(repo, "account.yaml", ("position: 4\n", "position: 2\n"))
    for columns in ("60", "200"):
        out = kam(repo, "diff", env={"COLUMNS": columns}).stdout
        lines = [ln for ln in out.splitlines() if ln.startswith(("  new ", "  resolved "))]
        assert lines, out
        for ln in lines:
            assert ln.startswith(("  new      KAM", "  resolved KAM")), out
            assert len(ln) <= int(columns)
        # a wrapped finding goes on under its code, not under the label
        for i, ln in enumerate(out.splitlines()):
            if ln.startswith("  new ") and i + 1 < len(out.splitlines()):
                nxt = out.splitlines()[i + 1]
                assert not nxt.strip() or nxt.startswith(("  new ", "  resolved ", "           "))


LOG = """\
entries:
  - {date: 2026-11-02, with: [zhang-wei], by: [wang.fang], kind: call, summary: Budget call}
  - {date: 2026-11-20, with: [li-na], by: [li.ming], kind: visit, summary: Lab tour}
"""


def test_entries_without_an_id_that_stop_loading_are_not_removed(kam, repo):
    """A log entry, a relationship goal and a footprint cell have no id: one that fails the
    schema (a typo in its kind, its level, its status) is left out of its side, and the
    diff said "removed" (and "new" once fixed). It now says the entry does not load any
    more, as it says of a person or an action with an id; a real removal in the same
    file is still a removal."""
    (repo / "accounts/huaxin/log.yaml").write_text(LOG)
    edit(
        repo,
        "account.yaml",
        ("team:", "footprint:\n  - {unit: ops, offering: grid, status: open}\nteam:"),
    )
    commit(repo, "log and footprint")
    edit(
        repo,
        "log.yaml",
        ("kind: call", "kind: cal"),
        ("  - {date: 2026-11-20", "  - {date: 2026-11-21"),
    )
    edit(repo, "targets.yaml", ("attitude: 2, by", "attitude: 5, by"))
    edit(repo, "account.yaml", ("status: open}", "status: opne}"))
    text, md, js = all_formats(kam, repo, exit_code=1)
    (acct,) = js["accounts"]
    unread = [c["text"] for c in acct["changes"] if c["kind"] == "unreadable"]
    assert unread == [
        "footprint ops × grid: does not load any more: its changes are not compared",
        "goal for 张伟: does not load any more: its changes are not compared",
        "log entry 2026-11-02 call with 张伟: does not load any more: its changes are not compared",
    ], unread
    kinds = [c["kind"] for c in acct["changes"]]
    assert "goal-removed" not in kinds and "footprint-removed" not in kinds
    # the other log entry was edited (its date): one entry removed and one added
    assert kinds.count("log-entry") == 1 and "log-entry-removed" in kinds
    assert "removed log entry 2026-11-02" not in text
    assert "log entry 2026-11-02 call with 张伟: does not load any more" in text
    assert "does not load any more" in md
    # fixed again: the entries "load again", not "new"
    commit(repo, "typos")
    edit(repo, "log.yaml", ("kind: cal", "kind: call"))
    edit(repo, "targets.yaml", ("attitude: 5, by", "attitude: 2, by"))
    edit(repo, "account.yaml", ("status: opne}", "status: open}"))
    _text, _md, js = all_formats(kam, repo)
    (acct,) = js["accounts"]
    again = [c["text"] for c in acct["changes"] if c["kind"] == "unreadable"]
    assert "goal-added" not in [c["kind"] for c in acct["changes"]]
    assert again == [
        "footprint ops × grid: loads again: not compared with the version that did not load",
        "goal for 张伟: loads again: not compared with the version that did not load",
        "log entry 2026-11-02 call with 张伟: loads again: not compared with the version that did not load",
    ], again
