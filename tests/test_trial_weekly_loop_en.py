"""Defects found living the weekly loop (agenda, log, touch, check, diff, history) for six
weeks over New Year 2026/2027 as an English-speaking key account manager: a hospital
group whose new CIO arrives mid-trial and a logistics customer of forty people."""

from __future__ import annotations

from conftest import write_account
from gitrepo import commit, new_repo

ACCOUNT = """\
id: st-aldric
name: St Aldric Health Partners
owner: sam.carter
stage: build
reviewed: 2026-11-30
position: 4
value: 4
"""

PEOPLE = """\
# Power map.  Attitude -3..3, "?" = never met.
stakeholders:
  - id: helen-marsh
    name: Dr Helen Marsh
    title: Chief Executive
    roles: [D]
    attitude: 2
    intimacy: 1
    owner: sam.carter
    backup: priya.nair
    channels: [QBR, exec dinner]
    last_contact: 2026-12-10
    reviewed: 2026-12-10
  - id: raj-patel                # COO
    name: Raj Patel
    reports_to: helen-marsh
    roles: [D, E]
    attitude: 2
    intimacy: 0
    owner: sam.carter
    backup: priya.nair
    last_contact: 2026-12-10
    reviewed: 2026-12-10
  - id: eleanor-vance   # new CIO
    name: Dr Eleanor Vance
    reports_to: helen-marsh
    roles: [D]
    attitude: "?"
    owner: sam.carter
    backup: priya.nair
    in_post_since: 2026-12-14
    reviewed: 2026-12-10
  - id: sarah-lin
    name: Sarah Lin
    title: Head of Procurement
    reports_to: helen-marsh
    roles: [E]
    attitude: -1
    owner: sam.carter
    backup: priya.nair
    last_contact: 2026-12-10
    reviewed: 2026-12-10
  - id: sarah-lindqvist
    name: Sarah Lindqvist
    title: Procurement officer
    reports_to: sarah-lin
    layer: general
    attitude: 0
    intimacy: 2
    owner: priya.nair
    last_contact: 2026-12-10
    reviewed: 2026-12-10
"""

TARGETS = """\
period: 2027
relationship_goals:
  - {stakeholder: sarah-lin, attitude: 0, by: 2026-12-18, owner: sam.carter}
actions:
  - {id: cio-intro, text: "Intro meeting with the new CIO", owner: sam.carter, due: 2026-12-16, status: planned, stakeholder: eleanor-vance}
"""


def _repo(tmp_path):
    (tmp_path / ".git").mkdir(parents=True)
    write_account(
        tmp_path,
        "st-aldric",
        {"account.yaml": ACCOUNT, "stakeholders.yaml": PEOPLE, "targets.yaml": TARGETS},
    )
    return tmp_path


def test_a_name_several_people_start_with_names_them_all(kam, tmp_path):
    """`kam log st-aldric Sarah` (Sarah Lin and Sarah Lindqvist) said "did you mean 'Sarah
    Lin'?": the closest spelling, as if she were the one meant; typed next, the contact went
    to whoever was closest to a first name."""
    repo = _repo(tmp_path)
    log = repo / "accounts" / "st-aldric" / "stakeholders.yaml"
    before = log.read_bytes()
    for args in (("log", "st-aldric", "Sarah", "-m", "x"), ("touch", "st-aldric", "sarah")):
        r = kam(repo, *args, env={"KAM_TODAY": "2026-12-21"})
        assert r.exit_code == 1, r.stderr
        assert "did you mean 'sarah-lin' or 'sarah-lindqvist'?" in r.stderr, r.stderr
    assert log.read_bytes() == before
    assert not (repo / "accounts" / "st-aldric" / "log.yaml").exists()
    # one person it starts, and a slip of one name, still suggest that one
    r = kam(repo, "log", "st-aldric", "raj", "-m", "x", env={"KAM_TODAY": "2026-12-21"})
    assert "did you mean 'raj-patel'?" in r.stderr
    r = kam(repo, "log", "st-aldric", "Sarah Lindqvst", env={"KAM_TODAY": "2026-12-21"})
    assert "did you mean 'Sarah Lindqvist'?" in r.stderr


def _agenda(kam, repo, today, days="7"):
    r = kam(repo, "agenda", "--days", days, "--format", "json", env={"KAM_TODAY": today})
    assert r.exit_code == 0, r.stderr
    return {x["title"]: x for x in r.json()["items"]}


def test_an_overdue_goal_says_its_date(kam, tmp_path):
    """ "attitude 0 3 days past its date": the goal's level ran into the days, and its date
    was gone once it passed."""
    items = _agenda(kam, _repo(tmp_path), "2026-12-21")
    why = items["Relationship goal: Sarah Lin"]["why"]
    assert why.startswith("attitude 0 by 2026-12-18, 3 days overdue; now attitude -1"), why


def test_an_action_with_a_person_says_how_it_is_closed(kam, tmp_path):
    """The agenda's step for an action with a person is `kam log ... -m TEXT`; logged so, the
    action was back the next Monday, still "planned, 5 days overdue", with the same step:
    the log records the meeting, the action's status closes it."""
    repo = _repo(tmp_path)
    line = 5  # the action in targets.yaml
    r = kam(
        repo,
        "log",
        "st-aldric",
        "eleanor-vance",
        "--date",
        "2026-12-16",
        "-m",
        "Intro meeting with the new CIO",
        env={"KAM_TODAY": "2026-12-21"},
    )
    assert r.exit_code == 0, r.stderr
    item = _agenda(kam, repo, "2026-12-21")["Action: Intro meeting with the new CIO"]
    assert item["why"] == (
        "action cio-intro is planned, 5 days overdue; once done, set status: done at "
        f"accounts/st-aldric/targets.yaml:{line}"
    ), item["why"]
    assert item["command"].startswith("kam log st-aldric eleanor-vance -m ")
    r = kam(repo, "agenda", "--format", "markdown", env={"KAM_TODAY": "2026-12-21"})
    assert f"set status: done at accounts/st-aldric/targets.yaml:{line}. Record: `kam log" in (
        r.stdout
    )


def test_new_in_post_today_is_not_zero_days(kam, tmp_path):
    """The CIO's first day: "in post since 2026-12-14 (0 days)"."""
    items = _agenda(kam, _repo(tmp_path), "2026-12-14")
    why = items["Contact Dr Eleanor Vance"]["why"]
    assert "in post since 2026-12-14 (today), not met since" in why, why
    later = _agenda(kam, _repo(tmp_path / "b"), "2026-12-16")["Contact Dr Eleanor Vance"]
    assert "in post since 2026-12-14 (2 days), not met since" in later["why"]


def test_neutral_levels_in_findings_have_no_sign(kam, tmp_path):
    """KAM106 said "supports us (+2) but intimacy is +0": neutral is 0 everywhere else
    (diff, history, the plan)."""
    repo = _repo(tmp_path)
    r = kam(repo, "check", "--format", "json", env={"KAM_TODAY": "2026-12-21"})
    messages = [f["message"] for f in r.json()["findings"] if f["code"] in ("KAM106", "KAM107")]
    assert sorted(messages) == [
        "Raj Patel (raj-patel) supports us (+2) but intimacy is 0: may turn rationally "
        "when a competitor comes",
        "Sarah Lindqvist (sarah-lindqvist) is close (intimacy +2) but not supportive (0): "
        "re-examine their needs",
    ], messages


def test_markdown_agenda_names_an_account_it_left_out(kam, tmp_path):
    """A tab slipped into stakeholders.yaml: the Markdown agenda a CI job publishes to the
    team wiki said "Nothing due for anyone." (the error went to the job's log only)."""
    repo = _repo(tmp_path)
    people = repo / "accounts" / "st-aldric" / "stakeholders.yaml"
    people.write_text(PEOPLE.replace("    intimacy: 1\n", "\tintimacy: 1\n"), encoding="utf-8")
    write_account(repo, "meridian")
    out = repo / "agenda.md"
    r = kam(repo, "agenda", "--format", "markdown", "-o", str(out))
    assert r.exit_code == 1
    text = out.read_text(encoding="utf-8")
    assert (
        "Left out: st-aldric could not be loaded (`kam validate` says why); nothing of it is "
        "in this agenda."
    ) in text, text
    r = kam(repo, "agenda", "meridian", "--format", "markdown")
    assert "Left out" not in r.stdout


LOG = """\
# Contact log -- oldest first.  DON'T reorder.
entries:
  - date: 2026-12-10
    with: [helen-marsh]
    by: [sam.carter]
    kind: meeting
    summary: "QBR: volumes up 12%"   # keep quotes
# end of log
"""


def test_notes_of_several_lines_are_a_literal_block(kam, tmp_path):
    """`kam log -m $'Peak planning:\\n- lane 7: "urgent"'` wrote one double-quoted line,
    "Peak planning:\\n- lane 7: \\"urgent\\"", unreadable in the file and its diff."""
    repo = _repo(tmp_path)
    log = repo / "accounts" / "st-aldric" / "log.yaml"
    log.write_text(LOG, encoding="utf-8")
    summary = 'Peak planning:\n- lane 7: "urgent"\n\n  - EDI: Q1'
    r = kam(
        repo,
        "log",
        "st-aldric",
        "Raj Patel",
        "-m",
        summary,
        "--next",
        "Send the SLA: v2 # not v1\n",
        env={"KAM_TODAY": "2026-12-21"},
    )
    assert r.exit_code == 0, r.stderr
    # the new entry goes after the last one, the file's footer comment stays its last line
    head = LOG.split("# end of log\n")[0]
    assert log.read_text(encoding="utf-8") == head + (
        "  - date: 2026-12-21\n"
        "    with: [raj-patel]\n"
        "    by: [sam.carter]\n"
        "    kind: meeting\n"
        "    summary: |-\n"
        "      Peak planning:\n"
        '      - lane 7: "urgent"\n'
        "\n"
        "        - EDI: Q1\n"
        "    next: |\n"
        "      Send the SLA: v2 # not v1\n"
        "# end of log\n"
    )
    r = kam(repo, "check", "--format", "json", env={"KAM_TODAY": "2026-12-21"})
    assert not [f for f in r.json()["findings"] if f["code"].startswith("KAM00")]
    r = kam(repo, "plan", "st-aldric", env={"KAM_TODAY": "2026-12-21"})
    assert "(sam.carter): Send the SLA: v2 \\# not v1\n" in r.stdout
    # what a literal block cannot show as typed stays one quoted line
    r = kam(repo, "log", "st-aldric", "raj-patel", "-m", "two spaces  \nat the end")
    assert r.exit_code == 0, r.stderr
    assert log.read_text(encoding="utf-8").endswith(
        '    summary: "two spaces  \\nat the end"\n# end of log\n'
    )


def test_diff_lists_new_log_entries_by_date(kam, tmp_path):
    """The week's review: an entry back-dated with `kam log --date` is appended at the end
    of log.yaml, and `kam diff` listed it after the later one (12-14, then 12-13), where
    everything else that reads the log orders it by date."""
    repo = new_repo(tmp_path / "repo")
    write_account(
        repo,
        "st-aldric",
        {"account.yaml": ACCOUNT, "stakeholders.yaml": PEOPLE, "log.yaml": LOG},
    )
    commit(repo, "week 2", date="2026-12-11")
    for day, text in (("2026-12-14", "Welcome call"), ("2026-12-13", "LinkedIn message")):
        r = kam(
            repo,
            "log",
            "st-aldric",
            "eleanor-vance",
            "--date",
            day,
            "-m",
            text,
            env={"KAM_TODAY": "2026-12-14"},
        )
        assert r.exit_code == 0, r.stderr
    for fmt in ("text", "markdown"):
        r = kam(repo, "diff", "--format", fmt, env={"KAM_TODAY": "2026-12-14"})
        assert r.exit_code == 0, r.stdout
        lines = [x for x in r.stdout.splitlines() if "new log entry" in x]
        assert ["2026-12-13" in lines[0], "2026-12-14" in lines[1]] == [True, True], lines


def test_a_sponsor_touch_in_the_backups_agenda_names_who_acts(kam, tmp_path):
    """In priya.nair's agenda (the CIO's backup), the executive sponsor's meeting said
    "(backup; owner olivia.wells)": the sponsor is not the CIO's owner (sam.carter is);
    she is who acts."""
    repo = _repo(tmp_path)
    people = repo / "accounts" / "st-aldric" / "stakeholders.yaml"
    people.write_text(
        PEOPLE.replace("    in_post_since: 2026-12-14\n", "    sponsor: olivia.wells\n"),
        encoding="utf-8",
    )
    r = kam(repo, "agenda", "--owner", "priya.nair", "--format", "markdown")
    assert r.exit_code == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if "Executive meeting with" in x)
    assert "(St Aldric Health Partners) (person's backup; acts: olivia.wells):" in line, line
    # a contact she backs up is still the owner's to make
    line = next(x for x in r.stdout.splitlines() if "Contact Dr Eleanor Vance" in x)
    assert "(backup; owner sam.carter)" in line, line


def test_no_contact_falls_due_after_an_announced_departure(kam, tmp_path):
    """The day before Avery Davis retired, the agenda listed "Contact Avery Davis: due in 13
    days" and put the event in the calendar a fortnight after she left."""
    repo = _repo(tmp_path)
    people = repo / "accounts" / "st-aldric" / "stakeholders.yaml"
    people.write_text(
        PEOPLE.replace(
            "    last_contact: 2026-12-10\n    reviewed: 2026-12-10\n  - id: eleanor-vance",
            "    last_contact: 2026-12-21\n    reviewed: 2026-10-01\n"
            "    left_on: 2027-01-08   # retiring\n  - id: eleanor-vance",
        ),
        encoding="utf-8",
    )
    items = _agenda(kam, repo, "2027-01-07", days="14")
    about_raj = {t: x["why"] for t, x in items.items() if x["person"] == "raj-patel"}
    assert "Contact Raj Patel" not in about_raj, about_raj
    # what is due before the last day stays: the review is overdue, the successor is planned
    assert "Review the entry of Raj Patel" in about_raj, about_raj
    assert "Plan the successor of Raj Patel" in about_raj, about_raj
    # leaving after the contact falls due, the contact is listed as before
    people.write_text(
        people.read_text(encoding="utf-8").replace("left_on: 2027-01-08", "left_on: 2027-03-01"),
        encoding="utf-8",
    )
    items = _agenda(kam, repo, "2027-01-07", days="14")
    assert items["Contact Raj Patel"]["due"] == "2027-01-20"


def test_two_goals_for_one_person_by_one_date_are_two_calendar_events(kam, tmp_path):
    """sam.carter's goal and priya.nair's goal for Sarah Lin, both by 2027-01-15, had one
    UID: a calendar importing the file kept one event of the two."""
    repo = _repo(tmp_path)
    targets = repo / "accounts" / "st-aldric" / "targets.yaml"
    targets.write_text(
        TARGETS.replace(
            "actions:\n",
            "  - {stakeholder: sarah-lin, attitude: 1, by: 2026-12-18, owner: priya.nair}\n"
            "actions:\n",
        ),
        encoding="utf-8",
    )
    r = kam(repo, "agenda", "--format", "json", env={"KAM_TODAY": "2026-12-14"})
    goals = [x for x in r.json()["items"] if x["category"] == "goal"]
    assert len(goals) == 2 and goals[0]["uid"] != goals[1]["uid"], goals
    out = repo / "team.ics"
    r = kam(repo, "agenda", "--format", "ics", "-o", str(out), env={"KAM_TODAY": "2026-12-14"})
    assert r.exit_code == 0, r.stderr
    uids = [x for x in out.read_text(encoding="utf-8").splitlines() if x.startswith("UID:")]
    assert len(uids) == len(set(uids)), uids
    # the goal that was there first keeps the UID it had before the second came
    before = kam(repo, "agenda", "--format", "json", env={"KAM_TODAY": "2026-12-14"})
    targets.write_text(TARGETS, encoding="utf-8")
    alone = kam(repo, "agenda", "--format", "json", env={"KAM_TODAY": "2026-12-14"})
    (uid,) = [x["uid"] for x in alone.json()["items"] if x["category"] == "goal"]
    assert uid == next(
        x["uid"]
        for x in before.json()["items"]
        if x["category"] == "goal" and x["owner"] == "sam.carter"
    )


def test_a_persons_history_shows_the_meetings_with_them(kam, tmp_path):
    """`kam history st-aldric eleanor-vance` said "no change to this person" for the week
    of the welcome call with the new CIO: the log entries she took part in were left out
    of her history (her action's "done" was in it)."""
    repo = new_repo(tmp_path / "repo")
    write_account(
        repo, "st-aldric", {"account.yaml": ACCOUNT, "stakeholders.yaml": PEOPLE, "log.yaml": LOG}
    )
    commit(repo, "week 2", date="2026-12-11")
    for who, text in (("eleanor-vance", "Welcome call"), ("raj-patel", "SLA data")):
        r = kam(repo, "log", "st-aldric", who, "-m", text, env={"KAM_TODAY": "2026-12-14"})
        assert r.exit_code == 0, r.stderr
    commit(repo, "week 3", date="2026-12-14")
    r = kam(
        repo,
        "history",
        "st-aldric",
        "eleanor-vance",
        "--format",
        "json",
        env={"KAM_TODAY": "2026-12-14"},
    )
    assert r.exit_code == 0, r.stderr
    last = r.json()["accounts"][0]["revisions"][-1]
    assert last["person_change"] == (
        "new log entry 2026-12-14 meeting with Dr Eleanor Vance (by sam.carter): Welcome call"
    ), last
    r = kam(
        repo,
        "history",
        "st-aldric",
        "helen-marsh",
        "--format",
        "json",
        env={"KAM_TODAY": "2026-12-14"},
    )
    assert r.json()["accounts"][0]["revisions"][-1]["person_change"] == "no change to this person"
