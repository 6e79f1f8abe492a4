"""A key account manager's weekly loop (kam log, agenda, touch, diff) on a team repository
whose kam.yaml switches rules off: what the loop still got wrong, through the real CLI."""

from __future__ import annotations

from pathlib import Path

from conftest import dedent, write_account

TODAY = "2026-12-03"

POLARIS = """\
id: polaris-freight
name: Polaris Freight AS
owner: ingrid.berg
stage: stabilize
reviewed: 2025-06-01
position: 4
value: 4
"""

POLARIS_PEOPLE = """\
stakeholders:
  - id: sigrid-hauge
    name: Sigrid Hauge
    title: CEO
    roles: [D]
    attitude: 2
    intimacy: 1
    owner: ingrid.berg
    backup: ola.nord
    sponsor: kari.dahl
    channels: [board, cfo]
    last_contact: 2026-09-01
    reviewed: 2026-07-01
  - id: per-lunde
    name: Per Lunde
    title: CTO
    roles: [E]
    attitude: 1
    owner: ola.nord
    backup: ingrid.berg
    in_post_since: 2026-11-20
    last_contact: 2026-11-15
    reviewed: 2026-11-01
  - id: tone-vik
    name: Tone Vik
    roles: [D, S]
    attitude: "?"
    owner: ola.nord
    backup: ingrid.berg
    left_on: 2027-01-20
    reviewed: 2026-11-01
  - id: peder-lund
    name: Peder Lund
    title: Former COO
    roles: [S]
    attitude: 2
    owner: ola.nord
    backup: ingrid.berg
    left_on: 2026-10-01
    last_contact: 2026-08-20
    reviewed: 2026-08-01
"""

POLARIS_TARGETS = """\
period: 2026
opportunities:
  - id: fleet-telematics
    name: Fleet telematics
    pbip: 2027-01-15
    ready: 2026-12-20
"""


def _polaris(root: Path) -> Path:
    return write_account(
        root,
        "polaris-freight",
        {
            "account.yaml": POLARIS,
            "stakeholders.yaml": POLARIS_PEOPLE,
            "targets.yaml": POLARIS_TARGETS,
        },
    )


def _categories(r) -> set[str]:
    return {i["category"] for i in r.json()["items"]}


# ---------------------------------------------------------------- 1. rules off, agenda
def test_agenda_steps_follow_the_rules_kam_yaml_turns_off(kam, tmp_path):
    """Every step a rule defines comes and goes with the rule: with the rules on, the
    account has a contact due (KAM201), a person never met (KAM204), one new in post
    (KAM111), an announced departure (KAM120), a sponsor touch (KAM205), reviews (KAM202,
    KAM203) and a PBIP (KAM308); with those rules off in kam.yaml, none of them is on the
    agenda (it proposed contacts due with KAM201 off)."""
    _polaris(tmp_path)
    on = kam(tmp_path, "agenda", "--days", "7", "--format", "json", "--today", TODAY)
    assert on.exit_code == 0, on.stderr
    assert _categories(on) == {
        "contact",
        "new-in-post",
        "departure",
        "sponsor",
        "review",
        "pbip",
    }
    # a changed severity changes nothing
    (tmp_path / "kam.yaml").write_text("rules:\n  KAM201: info\n  KAM204: error\n")
    same = kam(tmp_path, "agenda", "--format", "json", "--today", TODAY)
    assert same.json()["items"] == on.json()["items"]
    # the contacts due follow KAM201, the never met KAM204
    (tmp_path / "kam.yaml").write_text("rules:\n  KAM201: off\n")
    r = kam(tmp_path, "agenda", "--format", "json", "--today", TODAY)
    contacts = [i["person"] for i in r.json()["items"] if i["category"] == "contact"]
    assert contacts == ["tone-vik"]  # never met: KAM204's, still on
    (tmp_path / "kam.yaml").write_text("rules:\n  KAM201: off\n  KAM204: off\n")
    r = kam(tmp_path, "agenda", "--format", "json", "--today", TODAY)
    assert "contact" not in _categories(r)
    (tmp_path / "kam.yaml").write_text(
        dedent(
            """
            rules:
              KAM201: off
              KAM204: off
              KAM111: off
              KAM120: off
              KAM205: off
              KAM202: off
              KAM203: off
              KAM308: off
            """
        )
    )
    r = kam(tmp_path, "agenda", "--today", TODAY)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("Nothing due for anyone"), r.stdout
    # and says so, as kam stale does: a team does not wonder where its contacts went
    note = " ".join(r.stdout.splitlines()[1:])  # wrapped to the width
    assert note.startswith("Not checked (off in kam.yaml): KAM111 (")
    assert all(f"{code} (" in note for code in ("KAM120", "KAM201", "KAM204", "KAM308"))
    js = kam(tmp_path, "agenda", "--format", "json", "--today", TODAY).json()
    assert js["off"] == [
        "KAM111",
        "KAM120",
        "KAM201",
        "KAM202",
        "KAM203",
        "KAM204",
        "KAM205",
        "KAM308",
    ]
    (tmp_path / "kam.yaml").write_text("rules: {KAM201: off}\n")
    md = kam(tmp_path, "agenda", "--format", "markdown", "--today", TODAY)
    assert "\nNot checked (off in kam.yaml): KAM201 (Last contact older than the threshold).\n" in (
        md.stdout
    )
    (tmp_path / "kam.yaml").write_text("rules: {KAM108: off}\n")
    none = kam(tmp_path, "agenda", "--format", "json", "--today", TODAY).json()
    assert none["off"] == []


def test_agenda_steps_follow_a_disable_comment_where_the_finding_stands(kam, tmp_path):
    """`# kam: disable=KAM201` on Sigrid Hauge's last_contact silences her finding in
    kam stale, and her contact step too; Tone Vik's (never met, KAM204) stays."""
    folder = _polaris(tmp_path)
    people = folder / "stakeholders.yaml"
    text = people.read_text()
    people.write_text(
        text.replace(
            "    last_contact: 2026-09-01\n",
            "    last_contact: 2026-09-01  # kam: disable=KAM201 -- met at the board only\n",
        )
    )
    check = kam(tmp_path, "stale", "--format", "json", "--today", TODAY)
    assert "KAM201" not in {f["code"] for f in check.json()["findings"]}
    r = kam(tmp_path, "agenda", "--format", "json", "--today", TODAY)
    contacts = [i["person"] for i in r.json()["items"] if i["category"] == "contact"]
    assert "sigrid-hauge" not in contacts
    assert "tone-vik" in contacts  # never met: KAM204, not silenced


# ---------------------------------------------------------------- 2. --days 0
def test_agenda_for_today_only_says_today_not_the_next_0_days(kam, tmp_path):
    """`--days 0` is today's agenda: every heading says so, in English and Chinese, and
    the summary has no "0 in the next 0 days"."""
    _polaris(tmp_path)
    table = kam(tmp_path, "agenda", "--days", "0", "--today", TODAY, env={"COLUMNS": "120"})
    assert table.exit_code == 0, table.stderr
    assert "next 0 days" not in table.stdout
    assert "ingrid.berg: 3 items for today (2026-12-03)" in table.stdout
    assert table.stdout.rstrip().endswith("8 items for 3 people: 4 overdue, 4 due today")
    md = kam(tmp_path, "agenda", "--days", "0", "--format", "markdown", "--today", TODAY)
    assert md.stdout.startswith("# Agenda for today (2026-12-03)\n")
    zh = kam(tmp_path, "agenda", "--days", "0", "--lang", "zh-CN", "--today", TODAY)
    assert " 0 天内" not in zh.stdout
    assert "ingrid.berg：今天（2026-12-03）有 3 项待办" in zh.stdout
    assert zh.stdout.rstrip().endswith("逾期 4 项，今天到期 4 项")
    (tmp_path / "kam.yaml").write_text(
        "rules: {KAM201: off, KAM202: off, KAM204: off, KAM205: off}\n"
    )
    none = kam(tmp_path, "agenda", "--days", "0", "--owner", "kari.dahl", "--today", TODAY)
    assert none.stdout.startswith("Nothing due for kari.dahl today (2026-12-03).\n"), none.stdout
    seven = kam(tmp_path, "agenda", "--today", TODAY, env={"COLUMNS": "120"})
    assert "ingrid.berg: " in seven.stdout and "and the next 7 days" in seven.stdout


# ---------------------------------------------------------------- 3. one arrow
def test_touch_writes_a_change_with_the_arrow_diff_writes(kam, tmp_path):
    """`kam touch` printed "last_contact 2026-11-15 -> 2026-12-03" where `kam diff`
    prints "last contact 2026-11-15 → 2026-12-03" for the same change."""
    from gitrepo import commit, git

    git(tmp_path, "init", "-q", "-b", "main")
    _polaris(tmp_path)
    commit(tmp_path, "start", date="2026-12-01")
    touch = kam(tmp_path, "touch", "polaris-freight", "per-lunde", "--today", TODAY)
    assert touch.exit_code == 0, touch.stderr
    assert touch.stdout == "polaris-freight/per-lunde: last_contact 2026-11-15 → 2026-12-03\n"
    account = kam(tmp_path, "touch", "polaris-freight", "--reviewed", TODAY, "--today", TODAY)
    assert account.stdout == "polaris-freight: reviewed 2025-06-01 → 2026-12-03\n"
    diff = kam(tmp_path, "diff", "--today", TODAY)
    assert "2026-11-15 → 2026-12-03" in diff.stdout, diff.stdout
    assert "->" not in diff.stdout + touch.stdout


# ---------------------------------------------------------------- 4. did you mean
def test_did_you_mean_puts_current_people_first_and_says_who_left(kam, tmp_path):
    """ "Peder Lunde" (meant: Per Lunde, the CTO) got "did you mean 'Peder Lund'?", who
    left in October: `kam log` then refuses him. Current people come first now, and
    someone who left is said to have left, in log, touch and history alike."""
    from gitrepo import commit, git

    git(tmp_path, "init", "-q", "-b", "main")
    _polaris(tmp_path)
    commit(tmp_path, "start", date="2026-12-01")
    left = "'Per Lunde' or 'Peder Lund' (left on 2026-10-01)?"
    r = kam(tmp_path, "log", "polaris-freight", "Peder Lunde", "--today", TODAY)
    assert r.exit_code == 1
    assert r.stderr.strip().endswith("did you mean " + left), r.stderr
    r = kam(tmp_path, "touch", "polaris-freight", "peder-lnd", "--today", TODAY)
    assert r.stderr.strip().endswith(
        "did you mean 'per-lunde' or 'peder-lund' (left on 2026-10-01)?"
    ), r.stderr
    # only a departed person is close: suggested, and said to have left
    r = kam(tmp_path, "touch", "polaris-freight", "peder", "--today", TODAY)
    assert r.stderr.strip().endswith("did you mean 'peder-lund' (left on 2026-10-01)?")
    # an announced departure is current, and said to leave
    r = kam(tmp_path, "log", "polaris-freight", "tone-vic", "--today", TODAY)
    assert r.stderr.strip().endswith("did you mean 'tone-vik' (leaves on 2027-01-20)?")
    # someone current alone stays as it was
    r = kam(tmp_path, "log", "polaris-freight", "sigrid-huage", "--today", TODAY)
    assert r.stderr.strip().endswith("did you mean 'sigrid-hauge'?"), r.stderr
    r = kam(tmp_path, "history", "polaris-freight", "Peder Lunde", "--today", TODAY)
    assert r.exit_code == 1
    assert r.stderr.strip().endswith("did you mean " + left), r.stderr
    zh = kam(tmp_path, "log", "polaris-freight", "tone-vic", "--today", TODAY, "--lang", "zh-CN")
    assert "将于 2027-01-20 离开" in zh.stderr, zh.stderr


def test_did_you_mean_does_not_put_a_poor_current_match_before_a_near_exact_departed_one(
    kam, tmp_path
):
    """Review: 'karin-snd' (a letter missing from karin-sand, who left) was answered
    "did you mean 'maria-olsen' or 'karin-sand' (left on ...)?": a current person only
    passably alike came first. A current person comes first only when nearly as close."""
    people = dedent(
        """
        stakeholders:
          - {id: maria-olsen, name: Maria Olsen, roles: [D], attitude: 1, owner: a.b}
          - {id: karin-sand, name: Karin Sand, roles: [S], attitude: 1, owner: a.b,
             left_on: 2026-03-31}
        """
    )
    write_account(tmp_path, "nordlys", {"stakeholders.yaml": people})
    r = kam(tmp_path, "touch", "nordlys", "karin-snd", "--today", TODAY)
    assert r.exit_code == 1
    assert r.stderr.strip().endswith("did you mean 'karin-sand' (left on 2026-03-31)?"), r.stderr


# ---------------------------------------------------------------- 6. touch and import
KRANICH = """\
id: kranich-pharma
name: Kranich Pharma GmbH
owner: ingrid.berg
reviewed: 2026-03-01
position: 2
value: 2
"""
CRM = "Id,First Name,Last Name,Title\nC1,Jonas,Weber,CFO\nC2,Eva,Koch,Head of IT\n"


def _edit_both(kam, tmp_path: Path, text: str, touch: list[str]) -> tuple[str, str]:
    """stakeholders.yaml after `kam touch kranich-pharma ...touch` and, from the same
    text, after `kam import csv` of CRM: the two files, as bytes read back."""
    out = []
    for name, args in (("touch", ["touch", "kranich-pharma", *touch]), ("import", None)):
        root = tmp_path / name
        folder = write_account(
            root, "kranich-pharma", {"account.yaml": KRANICH, "stakeholders.yaml": None}
        )
        (folder / "stakeholders.yaml").write_bytes(text.encode())
        if args is None:
            (root / "crm.csv").write_text(CRM)
            args = [
                "import",
                "csv",
                "crm.csv",
                "--account",
                "kranich-pharma",
                "--map",
                "salesforce",
            ]
        r = kam(root, *args, "--today", TODAY)
        assert r.exit_code == 0, r.stdout + r.stderr
        out.append((folder / "stakeholders.yaml").read_bytes().decode())
    return out[0], out[1]


def test_touch_and_import_treat_the_last_line_and_kept_blank_lines_alike(kam, tmp_path):
    """Each had its own handling of a file's final line break and of `|+` block scalars
    (write/newlines.py now). Without a final line break, a value replaced on the last
    line left it so in kam touch, while kam import added one; a key added after a block
    scalar that ends the file goes on a line of its own in both; after `|+`, whose blank
    line is part of its text, the new key goes below that line in both."""
    # a value replaced on the last line: no line break added by either
    text = (
        "stakeholders:\n"
        "  - id: jonas-weber\n    name: Jonas Weber\n    attitude: 1\n    crm_id: C1\n"
        "    title: CEO\n    reviewed: 2026-11-01\n"
        "  - id: eva-koch\n    name: Eva Koch\n    attitude: 1\n    crm_id: C2\n"
        "    reviewed: 2026-11-01\n    title: IT"
    )
    touched, imported = _edit_both(kam, tmp_path / "a", text, ["eva-koch", "--reviewed", TODAY])
    assert touched == text.replace(
        "    reviewed: 2026-11-01\n    title: IT", "    reviewed: 2026-12-03\n    title: IT"
    )
    assert imported == text.replace("title: CEO", "title: CFO").replace(
        "title: IT", "title: Head of IT"
    )
    assert not touched.endswith("\n") and not imported.endswith("\n")
    # a key added after a block scalar that ends the file, and after a `|+` one
    text = (
        "stakeholders:\n"
        "  - id: jonas-weber\n    name: Jonas Weber\n    attitude: 1\n    crm_id: C1\n"
        "    notes: |+\n      likes football\n\n"
        "  - id: eva-koch\n    name: Eva Koch\n    attitude: 1\n    crm_id: C2\n"
        "    notes: |\n      short"
    )
    touched, imported = _edit_both(kam, tmp_path / "b", text, ["jonas-weber", "--reviewed", TODAY])
    assert touched == text.replace("football\n\n", "football\n\n    reviewed: 2026-12-03\n")
    assert imported == (
        text.replace("football\n\n", "football\n\n    title: CFO\n") + "\n    title: Head of IT\n"
    )
    touched, _ = _edit_both(kam, tmp_path / "c", text, ["eva-koch", "--reviewed", TODAY])
    assert touched == text + "\n    reviewed: 2026-12-03\n"


# ---------------------------------------------------------------- 5. restored in a diff
def test_diff_says_an_account_removed_before_and_back_in_the_change_is_restored(kam, tmp_path):
    """Polaris Freight was removed on main in November and a pull request brings it back:
    `kam diff main` called it a plain "new account"; it says restored now, with the
    commit that removed it, as `kam history` does. An account that never existed is
    still new."""
    from gitrepo import commit, git

    git(tmp_path, "init", "-q", "-b", "main")
    _polaris(tmp_path)
    commit(tmp_path, "start", date="2026-10-01")
    git(tmp_path, "rm", "-rq", "accounts/polaris-freight")
    write_account(tmp_path, "kranich-pharma", {"account.yaml": KRANICH})
    commit(tmp_path, "polaris gone", date="2026-11-01")
    removal = git(tmp_path, "rev-parse", "HEAD").strip()
    short = git(tmp_path, "rev-parse", "--short", "HEAD").strip()
    git(tmp_path, "checkout", "-q", "-b", "restore")
    git(tmp_path, "checkout", "-q", "HEAD~1", "--", "accounts/polaris-freight")
    write_account(tmp_path, "nordlys")
    commit(tmp_path, "polaris back", date="2026-12-02")
    text = kam(tmp_path, "diff", "main", "HEAD", "--today", TODAY)
    assert text.exit_code == 0, text.stderr
    assert f"(polaris-freight): account restored (removed 2026-11-01 in {short}); score" in (
        text.stdout
    ), text.stdout
    assert "Acme nordlys (nordlys): new account, score" in text.stdout
    md = kam(tmp_path, "diff", "main", "HEAD", "--format", "markdown", "--today", TODAY)
    assert "| **polaris-freight** (restored)" in md.stdout, md.stdout
    assert "| **nordlys** (new) |" in md.stdout
    js = kam(tmp_path, "diff", "main", "HEAD", "--format", "json", "--today", TODAY).json()
    accounts = {a["id"]: a for a in js["accounts"]}
    assert accounts["polaris-freight"]["status"] == "added"
    assert accounts["polaris-freight"]["removed_in"] == {"commit": removal, "date": "2026-11-01"}
    assert accounts["nordlys"]["removed_in"] is None
    zh = kam(tmp_path, "diff", "main", "HEAD", "--lang", "zh-CN", "--today", TODAY)
    assert f"客户已恢复（曾于 2026-11-01 在 {short} 删除）" in zh.stdout


# ---------------------------------------------------------------- stale says what it skips
def test_stale_says_which_freshness_rules_kam_yaml_turns_off(kam, tmp_path):
    """With KAM201 off, `kam stale` said "every date is within its threshold" of a team
    whose decision maker was last met 93 days ago; it says what it did not check now."""
    _polaris(tmp_path)
    (tmp_path / "kam.yaml").write_text(
        "rules: {KAM201: off, KAM202: off, KAM203: off, KAM204: off, KAM205: off}\n"
    )
    r = kam(tmp_path, "stale", "--today", TODAY, env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "Nothing is stale on 2026-12-03: every date checked is within its threshold."
    note = " ".join(lines[1:-1])  # wrapped to the width
    assert note.startswith("Not checked (off in kam.yaml): KAM201 (Last contact older than")
    assert all(f"{code} (" in note for code in ("KAM202", "KAM203", "KAM204", "KAM205"))
    assert lines[-1] == "0 errors, 0 warnings, 0 info in 1 account"
    (tmp_path / "kam.yaml").write_text("rules: {KAM201: off}\n")
    table = kam(tmp_path, "stale", "--today", TODAY, env={"COLUMNS": "160"})
    assert table.exit_code == 1  # the account's review is an error
    assert "Not checked (off in kam.yaml): KAM201 (Last contact older than the threshold)." in (
        table.stdout
    )
    zh = kam(tmp_path, "stale", "--today", TODAY, "--lang", "zh-CN", env={"COLUMNS": "160"})
    assert "未检查（kam.yaml 中已关闭）：KAM201（" in zh.stdout
    (tmp_path / "kam.yaml").write_text("rules: {KAM108: off}\n")
    on = kam(tmp_path, "stale", "--today", TODAY, env={"COLUMNS": "160"})
    assert "Not checked" not in on.stdout
    # nothing off, nothing stale: the sentence and the count, no blank line between
    write_account(tmp_path / "fresh", "fresh")
    (tmp_path / "fresh" / "kam.yaml").write_text("rules: {KAM108: off}\n")
    fresh = kam(tmp_path / "fresh", "stale", "--today", "2026-11-24")
    assert fresh.stdout.splitlines()[1:] == ["0 errors, 0 warnings, 0 info in 1 account"], (
        fresh.stdout
    )


def test_did_you_mean_a_chinese_name_one_character_from_two_people_one_of_whom_left(kam, tmp_path):
    """'王放' is one character from 王芳 (in post) and from 王方 (left): among everyone
    the slip is ambiguous and nothing was suggested; among the people in post it is 王芳,
    as it was before people who left were considered."""
    people = dedent(
        """
        stakeholders:
          - {id: wang-fang, name: 王芳, roles: [D], attitude: 1, owner: li.ming}
          - {id: wang-fang2, name: 王方, roles: [S], attitude: 1, owner: li.ming,
             left_on: 2026-05-01}
        """
    )
    write_account(tmp_path, "huaxin", {"stakeholders.yaml": people})
    r = kam(tmp_path, "log", "huaxin", "王放", "--today", TODAY)
    assert r.exit_code == 1
    assert r.stderr.strip().endswith("did you mean '王芳'?"), r.stderr
