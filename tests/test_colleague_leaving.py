"""KAM122: work still in the name of a colleague who leaves the company (kam.yaml
``colleagues_leaving``), through the real CLI on real files."""

from __future__ import annotations

from conftest import dedent, findings_of, write_account

ACCOUNT = dedent(
    """
    id: tide
    name: Tidewater Shipping
    owner: Wang.Fang
    reviewed: 2026-10-01
    position: 3
    value: 3
    team:
      - {person: wang.fang, roles: [relationship-lead]}
      - {person: li.ming, roles: [technical-expert]}
    """
)

STAKEHOLDERS = dedent(
    """
    stakeholders:
      - id: coo
        name: Michael Okafor
        roles: [D]
        attitude: 1
        intimacy: 2
        owner: li.ming
        backup: wang fang
        sponsor: chen.jie
        channels: [calls, visits]
        last_contact: 2026-11-20
        reviewed: 2026-11-01
      - id: gone
        name: Sara Lindqvist
        roles: [E]
        attitude: 0
        intimacy: 1
        owner: wang.fang
        backup: li.ming
        channels: [calls, visits]
        last_contact: 2026-06-20
        reviewed: 2026-06-01
        left_on: 2026-07-01
    """
)

TARGETS = dedent(
    """
    period: 2026
    targets:
      - {id: share, kind: share, text: Half the fleet telematics, due: 2026-12-31, owner: wang.fang}
    relationship_goals:
      - {stakeholder: coo, attitude: 2, by: 2027-03-31, owner: wang.fang}
    actions:
      - {id: demo, text: Fleet demo, owner: wang.fang, due: 2026-12-15, status: planned, stakeholder: coo}
      - {id: visit, text: Site visit, owner: wang.fang, due: 2026-10-15, status: done, stakeholder: coo}
    """
)

LOG = dedent(
    """
    entries:
      - date: 2026-11-20
        with: [coo]
        by: [wang.fang]
        kind: meeting
        summary: Quarterly review
    """
)


def leaving_repo(tmp_path, leaving: str):
    write_account(
        tmp_path,
        "tide",
        {
            "account.yaml": ACCOUNT,
            "stakeholders.yaml": STAKEHOLDERS,
            "targets.yaml": TARGETS,
            "log.yaml": LOG,
        },
    )
    (tmp_path / "kam.yaml").write_text(f"colleagues_leaving: {leaving}\n", "utf-8")
    return tmp_path


def kam122(result) -> list[tuple[str, int, str]]:
    return [
        (f["path"].rsplit("/", 1)[-1], f["line"], f["message"])
        for f in result.json()["findings"]
        if f["code"] == "KAM122"
    ]


def test_every_place_in_a_leavers_name_in_any_spelling_and_only_current_work(kam, tmp_path):
    root = leaving_repo(tmp_path, "{wang.fang: 2026-12-31}")
    r = kam(root, "check", "--format", "json")
    at = [f for f in findings_of(r) if f[0] == "KAM122"]
    assert at[:3] == [("KAM122", 3, 8), ("KAM122", 8, 14), ("KAM122", 8, 13)]  # at the handle
    found = kam122(r)
    assert [(file, line) for file, line, _m in found] == [
        ("account.yaml", 3),  # the account's owner, spelt Wang.Fang
        ("account.yaml", 8),  # in the team
        ("stakeholders.yaml", 8),  # a backup, spelt "wang fang"
        ("targets.yaml", 3),  # a target
        ("targets.yaml", 5),  # a relationship goal
        ("targets.yaml", 7),  # an open action; the done one, the log and Sara (left) not
    ]
    messages = [m for _f, _l, m in found]
    assert messages[0] == (
        "'Wang.Fang', the account's owner, leaves us on 2026-12-31: "
        "name the colleague who takes over"
    )
    assert "the backup of Michael Okafor (coo)" in messages[2]
    assert "the owner of target share" in messages[3]
    assert "the owner of the relationship goal for Michael Okafor" in messages[4]
    assert "the owner of action demo" in messages[5]

    # after the last day: "left us"; a second leaver (a sponsor) found too
    root = leaving_repo(tmp_path, "{wang.fang: 2026-11-01, chen.jie: 2026-11-30}")
    found = kam122(kam(root, "check", "--format", "json"))
    assert len(found) == 7
    assert all("left us on 2026-11-01" in m for _f, _l, m in found if "chen.jie" not in m)
    sponsor = [m for _f, _l, m in found if "chen.jie" in m]
    assert sponsor == [
        "'chen.jie', the sponsor of Michael Okafor (coo), leaves us on 2026-11-30: "
        "name the colleague who takes over"
    ]


def test_text_output_rules_catalogue_and_chinese(kam, tmp_path):
    root = leaving_repo(tmp_path, "{wang.fang: 2026-12-31}")
    r = kam(root, "check")
    assert r.exit_code == 0  # a warning by default
    assert "accounts/tide/account.yaml:3:8: KAM122 'Wang.Fang', the account's owner" in r.stdout
    assert "hint: Name the colleague who takes over" in r.stdout
    r = kam(root, "rules", "KAM122")
    assert "Last days: wang.fang 2026-12-31." in r.stdout  # the settings in force
    r = kam(root, "check", "--lang", "zh-CN")
    assert "“Wang.Fang”是客户负责人，将于 2026-12-31 离职" in r.stdout
    # as an error, the gate fails
    (root / "kam.yaml").write_text(
        "colleagues_leaving: {wang.fang: 2026-12-31}\nrules: {KAM122: error}\n", "utf-8"
    )
    assert kam(root, "check").exit_code == 1


def test_nothing_without_the_setting_and_a_bad_entry_is_a_config_error(kam, tmp_path):
    root = leaving_repo(tmp_path, "{}")
    assert kam122(kam(root, "check", "--format", "json")) == []
    (root / "kam.yaml").write_text("colleagues_leaving: {wang.fang: soon}\n", "utf-8")
    r = kam(root, "check")
    assert r.exit_code == 2
    assert "kam.yaml:1" in r.stderr and "colleagues_leaving" in r.stderr
    (root / "kam.yaml").write_text("colleagues_leaving: {'wang.fang, li.ming': 2026-12-31}\n")
    r = kam(root, "check")
    assert r.exit_code == 2
    assert "names 2 people" in r.stderr


def test_kam_diff_names_a_leaver_added_to_kam_yaml_without_warnings(kam, tmp_path):
    """A kam.yaml change is listed setting by setting; a date in kam.yaml made pydantic
    print a "serializer warning" for each date on the way (a UserWarning on stderr)."""
    import os
    import subprocess
    import sys

    from gitrepo import commit, new_repo

    root = leaving_repo(new_repo(tmp_path / "repo"), "{}")
    commit(root, "first", date="2026-11-01")
    (root / "kam.yaml").write_text("colleagues_leaving: {wang.fang: 2026-12-31}\n", "utf-8")
    r = kam(root, "diff")
    assert "  colleagues_leaving.wang.fang: not set → 2026-12-31" in r.stdout
    # warnings print to the real stderr: run the real process
    run = subprocess.run(
        [sys.executable, "-m", "kamtool", "diff"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "KAM_TODAY": "2026-11-24"},
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""


def test_kam_log_refuses_a_contact_by_a_colleague_after_their_last_day(kam, tmp_path):
    root = leaving_repo(tmp_path, "{wang.fang: 2026-11-10}")
    log = root / "accounts" / "tide" / "log.yaml"
    before = log.read_bytes()
    # the account's owner (Wang.Fang) is the default --by
    r = kam(root, "log", "tide", "coo", "-m", "Call")
    assert r.exit_code == 1
    assert (
        "Wang.Fang left us on 2026-11-10 (colleagues_leaving in kam.yaml): a contact on "
        "2026-11-24 cannot be logged by them; they are still the account's owner: name who "
        "took part with --by"
    ) in r.stderr
    r = kam(root, "log", "tide", "coo", "--by", "li.ming", "--by", "wang fang", "-m", "Call")
    assert r.exit_code == 1 and "wang fang left us on 2026-11-10" in r.stderr
    assert log.read_bytes() == before
    # before the last day, and by someone else, it is logged
    r = kam(root, "log", "tide", "coo", "--by", "wang.fang", "--date", "2026-11-09", "-m", "x")
    assert r.exit_code == 0, r.stderr
    r = kam(root, "log", "tide", "coo", "--by", "li.ming", "-m", "Handover call")
    assert r.exit_code == 0, r.stderr


def test_the_agenda_never_prints_a_kam_log_that_kam_log_would_refuse(kam, tmp_path):
    """After a colleague's last day, kam log refuses them as --by (the account's owner is
    the default): the agenda's record command says ``--by HANDLE`` in their place."""
    root = leaving_repo(tmp_path, "{wang.fang: 2026-12-31}")
    items = kam(root, "agenda", "--days", "60", "--format", "json").json()["items"]
    before = {x["title"]: x["command"] for x in items}
    assert before["Action: Fleet demo"] == "kam log tide coo --by wang.fang -m 'Fleet demo'"
    assert before["Contact Michael Okafor"] == "kam log tide coo --by li.ming"
    (root / "kam.yaml").write_text("colleagues_leaving: {wang.fang: 2026-11-10}\n", "utf-8")
    items = kam(root, "agenda", "--days", "60", "--format", "json").json()["items"]
    after = {x["title"]: x["command"] for x in items}
    assert after["Action: Fleet demo"] == "kam log tide coo --by HANDLE -m 'Fleet demo'"
    assert after["Contact Michael Okafor"] == "kam log tide coo --by li.ming"


def test_the_agendas_command_pasted_without_filling_in_handle_is_refused(kam, tmp_path):
    """`kam log tide coo --by HANDLE -m 'Fleet demo'`, pasted from the agenda as it stands:
    HANDLE looks like a handle, so the contact was logged by a colleague named HANDLE."""
    root = leaving_repo(tmp_path, "{wang.fang: 2026-11-10}")
    log = (root / "accounts" / "tide" / "log.yaml").read_bytes()
    for lang, said in (
        ("en", "--by HANDLE stands for who took part: write their handle (such as li.ming)"),
        ("zh-CN", "--by HANDLE 代表参加的同事：请写上其账号（如 li.ming）"),
    ):
        r = kam(root, "log", "tide", "coo", "--by", "HANDLE", "-m", "Fleet demo", "--lang", lang)
        assert r.exit_code == 2, r.stdout
        assert said in r.stderr, r.stderr
    assert (root / "accounts" / "tide" / "log.yaml").read_bytes() == log


def test_goals_and_actions_about_someone_who_left_are_kam115s_not_kam122s(kam, tmp_path):
    root = leaving_repo(tmp_path, "{wang.fang: 2026-12-31}")
    targets = root / "accounts" / "tide" / "targets.yaml"
    targets.write_text(
        TARGETS.replace(
            "actions:\n",
            "  - {stakeholder: gone, attitude: 1, by: 2027-03-31, owner: wang.fang}\n"
            "actions:\n"
            "  - {id: farewell, text: Farewell lunch, owner: wang.fang, due: 2026-12-20, "
            "status: planned, stakeholder: gone}\n",
        ),
        "utf-8",
    )
    r = kam(root, "check", "--format", "json")
    found = [f for f in r.json()["findings"] if f["path"].endswith("targets.yaml")]
    lines = {f["code"]: [] for f in found}
    for f in found:
        lines[f["code"]].append(f["line"])
    assert lines["KAM115"] == [6, 8]  # the goal and the action naming Sara, who left
    assert lines["KAM122"] == [3, 5, 9]  # the target, the goal for coo, the demo


def test_one_colleague_written_two_ways_in_colleagues_leaving_is_refused(kam, tmp_path):
    root = leaving_repo(tmp_path, "{}")
    (root / "kam.yaml").write_text(
        "colleagues_leaving:\n  wang.fang: 2026-12-31\n  Wang Fang: 2026-11-01\n", "utf-8"
    )
    r = kam(root, "check")
    assert r.exit_code == 2
    assert (
        "kam.yaml:3:3: KAM002 'Wang Fang' is 'wang.fang' written another way: one colleague, "
        "one entry with their last day"
    ) in r.stderr


def test_the_agenda_heads_a_leavers_items_as_theirs_to_hand_over(kam, tmp_path):
    """What is due in a leaver's name is what they hand over: their heading says so, before
    and after the last day, in any spelling of the handle, in every format; a colleague
    not leaving gets no note."""
    root = leaving_repo(tmp_path, "{Wang.Fang: 2026-12-31}")
    md = kam(root, "agenda", "--days", "60", "--format", "markdown").stdout
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert any(
        h.startswith("## wang.fang: ") and h.endswith(" (leaves us on 2026-12-31: hand these over)")
        for h in headings
    ), headings
    assert [h for h in headings if "hand these over" in h and "wang.fang" not in h] == []
    table = kam(root, "agenda", "--days", "60", "--owner", "wang.fang", env={"COLUMNS": "200"})
    assert "(leaves us on 2026-12-31: hand these over)" in table.stdout, table.stdout
    zh = kam(root, "agenda", "--days", "60", "--owner", "wang.fang", "--lang", "zh-CN")
    assert "（将于 2026-12-31 离职：请交接以下事项）" in zh.stdout, zh.stdout
    doc = kam(root, "agenda", "--days", "60", "--format", "json").json()
    assert doc["colleagues_leaving"] == {"wang.fang": "2026-12-31"}
    (root / "kam.yaml").write_text("colleagues_leaving: {wang.fang: 2026-11-10}\n", "utf-8")
    md = kam(root, "agenda", "--days", "60", "--format", "markdown").stdout
    assert "(left us on 2026-11-10: hand these over)" in md, md
    (root / "kam.yaml").write_text("language: en\n", "utf-8")
    doc = kam(root, "agenda", "--days", "60", "--format", "json").json()
    assert doc["colleagues_leaving"] == {}
    assert "hand these over" not in kam(root, "agenda", "--days", "60").stdout
