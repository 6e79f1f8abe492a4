"""kam agenda through the real CLI: ranking, filters, formats and the calendar file."""

from __future__ import annotations

import shlex
import shutil

import pytest

from conftest import EXAMPLES, REPO, write_account


def _items(r):
    return [(i["category"], i["account"], i["person"]) for i in r.json()["items"]]


def _li_ming(kam, tmp_path, today):
    """li.ming's agenda of the example accounts on ``today``, as JSON."""
    return kam(
        tmp_path,
        "agenda",
        str(EXAMPLES),
        "--owner",
        "li.ming",
        "--today",
        today,
        "--format",
        "json",
    )


def test_examples_li_ming_in_spec_order(kam, tmp_path):
    """Worked out by hand from the example files on 2026-11-30 (horizon 2026-12-07).

    Contacts (key people where li.ming is owner, backup or sponsor), due = last contact +
    warn_after (30 days in focus tiers): no decision maker is never met, so by tier
    (nordtel S before hansa-bank A), then influence weight (D 3 before E 2), then days
    overdue (never met counts as most overdue):
      nordtel anders-berg D, 10-28 (log) -> 33 days, 3 overdue
      nordtel zhang-wei D, 11-03 -> due 12-03, within 7 days
      nordtel maria-olsen E, never met
      nordtel petter-nyman E (backup li.ming), 10-20 -> 11 overdue
      hansa-bank claudia-richter D (backup li.ming), 08-20 -> 72 overdue
      hansa-bank markus-vogel E (backup li.ming), 09-01 -> 60 overdue
    (kessler-valves hans-kessler, backup li.ming, met 11-12: due 12-12, not this week.)
    Actions and goals due: nordtel cfo-intro (li.ming, due 11-15); goals are all in 2027.
    PBIPs within 90 days: nordtel energy-opt (2027-02-28, 90 days) with zhang-wei (-1).
    Nobody new in post (erik-lund since 2026-01-10), no announced departure.
    Sponsor touches: anders-berg's sponsor martin.kraus met him 2026-06-05, due 12-02.
    Reviews (entry every 90 days): claudia-richter due 07-31, markus-vogel due 11-30.
    """
    r = _li_ming(kam, tmp_path, "2026-11-30")
    assert r.exit_code == 0, r.stderr
    assert _items(r) == [
        ("contact", "nordtel", "anders-berg"),
        ("contact", "nordtel", "zhang-wei"),
        ("contact", "nordtel", "maria-olsen"),
        ("contact", "nordtel", "petter-nyman"),
        ("contact", "hansa-bank", "claudia-richter"),
        ("contact", "hansa-bank", "markus-vogel"),
        ("action", "nordtel", "maria-olsen"),
        ("pbip", "nordtel", "zhang-wei"),
        ("sponsor", "nordtel", "anders-berg"),
        ("review", "hansa-bank", "claudia-richter"),
        ("review", "hansa-bank", "markus-vogel"),
    ]
    items = r.json()["items"]
    assert items[0]["why"] == (
        "decision maker: 33 days since the last contact (log.yaml:23), "
        "over the 30-day limit (warn_after)"
    )
    # the accounts were named by their folder, from elsewhere: the commands name it too
    # (`kam log nordtel ...` would find no account where this ran)
    nordtel = shlex.quote(f"{EXAMPLES.as_posix()}/nordtel")
    assert items[0]["command"] == f"kam log {nordtel} anders-berg"
    assert items[3]["command"] == f"kam log {nordtel} petter-nyman --by wang.fang"
    assert items[2]["why"] == "evaluator, never met"
    assert items[8]["command"] == (
        f"kam log {nordtel} anders-berg --kind executive-meeting --by martin.kraus"
    )
    assert items[8]["owner"] == "martin.kraus" and items[8]["handles"]["li.ming"] == "owner"
    # zhang-wei is due on 12-03: "due in 2 days" on 12-01, "due today" on the day itself
    for today, state in (("2026-12-01", "due in 2 days"), ("2026-12-03", "due today")):
        r = _li_ming(kam, tmp_path, today)
        why = next(i["why"] for i in r.json()["items"] if i["person"] == "zhang-wei")
        assert why.endswith(f"), {state}, at the 30-day limit (warn_after)"), why


ACCOUNT = """\
id: {id}
name: {name}
owner: 周兰
reviewed: 2026-10-01
position: {pos}
value: {pos}
"""


def _portfolio(tmp_path):
    """Two accounts unlike the examples: a tier C shop and a tier S group, with Chinese
    handles, people never met, a decision maker new in post, an announced departure."""
    write_account(
        tmp_path,
        "small-shop",
        {
            "account.yaml": ACCOUNT.format(id="small-shop", name="Small, Shop; Ltd", pos=1),
            "stakeholders.yaml": """\
            stakeholders:
              - id: boss
                name: "Smith, John; Jr."
                roles: [D]
                attitude: "?"
                owner: 周兰
            """,
        },
    )
    write_account(
        tmp_path,
        "big-group",
        {
            "account.yaml": ACCOUNT.format(id="big-group", name="Big Group", pos=5),
            "stakeholders.yaml": """\
            stakeholders:
              - id: ceo
                name: CEO
                roles: [D]
                attitude: 1
                owner: 周兰
                in_post_since: 2026-10-01
                last_contact: 2026-09-20
              - id: cfo
                name: CFO
                roles: [E]
                attitude: 1
                owner: 王芳
                backup: 周兰
              - id: coach
                name: Coach
                roles: [C]
                attitude: 3
                owner: 王芳
                last_contact: 2026-10-01
              - id: leaving
                name: Leaving Soon
                roles: [S]
                attitude: 2
                owner: 王芳
                sponsor: 周兰
                left_on: 2027-01-15
                last_contact: 2026-11-20
            """,
            "log.yaml": """\
            entries:
              - date: 2026-11-01
                with: [coach]
                by: [王芳]
            """,
        },
    )


def test_ranking_on_a_portfolio_unlike_the_examples(kam, tmp_path):
    _portfolio(tmp_path)
    r = kam(tmp_path, "agenda", "--today", "2026-11-30", "--days", "3", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert _items(r) == [
        # never-met decision makers first, even in tier C
        ("contact", "small-shop", "boss"),
        # then tier S: weight 3 (ceo, 71 days), 2 (cfo never met; leaving, due 12-20 is
        # beyond 3 days), 1 (coach: the log's 11-01 is 29 days, due 12-01)
        # (and new in post since 10-01, not met since: the same meeting, one step)
        ("contact", "big-group", "ceo"),
        ("contact", "big-group", "cfo"),
        ("contact", "big-group", "coach"),
        ("departure", "big-group", "leaving"),
        # a focus-tier account: the sponsor never met them in the log
        ("sponsor", "big-group", "leaving"),
    ]
    # --days 0: only what is due today or overdue
    r = kam(tmp_path, "agenda", "--today", "2026-11-30", "--days", "0", "--format", "json")
    assert ("contact", "big-group", "coach") not in _items(r)
    # --owner matches owner, backup and sponsor
    r = kam(tmp_path, "agenda", "--today", "2026-11-30", "--owner", "王芳", "--format", "json")
    assert _items(r) == [
        ("contact", "big-group", "cfo"),
        ("contact", "big-group", "coach"),
        ("departure", "big-group", "leaving"),
        ("sponsor", "big-group", "leaving"),
    ]
    r = kam(
        tmp_path,
        "agenda",
        "big-group",
        "--today",
        "2026-11-30",
        "--owner",
        "周兰",
        "--format",
        "json",
    )
    assert {i["person"]: i["handles"]["周兰"] for i in r.json()["items"]} == {
        "ceo": "owner",
        "cfo": "backup",
        "leaving": "sponsor",
    }


def test_broken_account_is_reported_and_exits_1(kam, tmp_path):
    _portfolio(tmp_path)
    (tmp_path / "accounts" / "small-shop" / "log.yaml").write_text("entries:\n  - date: x\n")
    r = kam(tmp_path, "agenda", "--today", "2026-11-30", "--format", "json")
    assert r.exit_code == 1
    assert "accounts/small-shop/log.yaml:2:11: KAM002 entries #1.date: must be a date" in r.stderr
    assert "could not load small-shop" in r.stderr
    assert {i["account"] for i in r.json()["items"]} == {"big-group"}


def test_usage_errors(kam, tmp_path):
    _portfolio(tmp_path)
    assert kam(tmp_path, "agenda", "--format", "pdf").exit_code == 2
    assert kam(tmp_path, "agenda", "--days", "-1").exit_code == 2
    r = kam(tmp_path, "agenda", "--owner", "周蓝")  # a handle no account names
    assert r.exit_code == 1 and "no account names '周蓝'" in r.stderr
    r = kam(tmp_path, "agenda", "--owner", "wang.fang")
    assert r.exit_code == 1 and "did you mean" not in r.stderr
    r = kam(tmp_path, "agenda", "nowhere")  # an unknown account id: not found
    assert r.exit_code == 1 and "no account 'nowhere'" in r.stderr


def test_markdown_is_a_list_per_owner_with_escaped_text(kam, tmp_path):
    _portfolio(tmp_path)
    r = kam(tmp_path, "agenda", "--today", "2026-11-30", "--format", "markdown")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "# Agenda for 2026-11-30 and the next 7 days"
    # ceo: the contact and new in post are one step
    assert "## 周兰: 3 items for 2026-11-30 and the next 7 days" in lines
    assert (
        "1. **today**: Contact Smith, John; Jr. (Small, Shop; Ltd): decision maker, never met. "
        "Record: `kam log small-shop boss`"
    ) in lines


def test_table_fits_80_columns(kam, tmp_path):
    r = kam(tmp_path, "agenda", "--examples", "--today", "2026-11-30", env={"COLUMNS": "80"})
    assert r.exit_code == 0
    assert max(len(line) for line in r.stdout.splitlines()) <= 80
    assert "kam log nordtel anders-berg" in r.stdout


def _ics(kam, tmp_path, *extra):
    out = tmp_path / "agenda.ics"
    r = kam(
        tmp_path,
        "agenda",
        "--today",
        "2026-11-30",
        "--format",
        "ics",
        "-o",
        str(out),
        "--force",
        *extra,
    )
    assert r.exit_code == 0, r.stderr
    return out.read_bytes()


def test_ics_is_valid_stable_and_escapes_text(kam, tmp_path):
    icalendar = pytest.importorskip("icalendar")
    vobject = pytest.importorskip("vobject")
    _portfolio(tmp_path)
    first = _ics(kam, tmp_path)
    assert first == _ics(kam, tmp_path)  # same day, same bytes
    lines = first.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75  # RFC 5545 3.1: folded at 75 octets
    cal = icalendar.Calendar.from_ical(first)
    events = cal.walk("VEVENT")
    assert len(events) == 6  # ceo's contact and new-in-post meeting are one
    for e in events:
        assert e["UID"].endswith("@kam") and e.get("DTSTAMP") is not None
        assert e.decoded("DTEND") - e.decoded("DTSTART") == __import__("datetime").timedelta(1)
        assert "VALUE=DATE" in e["DTSTART"].to_ical().decode() or len(e["DTSTART"].to_ical()) == 8
    boss = [e for e in events if "Smith" in str(e["SUMMARY"])]
    assert str(boss[0]["SUMMARY"]) == "周兰: Contact Smith, John; Jr. (Small, Shop; Ltd)"
    desc = str(boss[0]["DESCRIPTION"])
    assert desc == "decision maker, never met\n\nRecord it: kam log small-shop boss\n\nOwner: 周兰"
    assert b"Smith\\, John\\; Jr." in first  # escaped on the wire
    # a second, independent parser reads the same events and text
    parsed = vobject.readOne(first.decode("utf-8"))
    summaries = sorted(str(v.summary.value) for v in parsed.vevent_list)
    assert summaries == sorted(str(e["SUMMARY"]) for e in events)
    [vboss] = [v for v in parsed.vevent_list if "Smith" in v.summary.value]
    assert vboss.description.value == desc
    assert vboss.uid.value == str(boss[0]["UID"])
    # the next week: the same items keep their UIDs
    again = tmp_path / "next-week.ics"
    r = kam(tmp_path, "agenda", "--today", "2026-12-01", "--format", "ics", "-o", str(again))
    assert r.exit_code == 0
    later = icalendar.Calendar.from_ical(again.read_bytes()).walk("VEVENT")
    assert {str(e["UID"]) for e in events} & {str(e["UID"]) for e in later} == {
        str(e["UID"]) for e in events
    }


def test_output_file_is_not_replaced_without_force(kam, tmp_path):
    _portfolio(tmp_path)
    out = tmp_path / "agenda.ics"
    out.write_text("mine")
    r = kam(tmp_path, "agenda", "--format", "ics", "-o", str(out))
    assert r.exit_code == 1 and "already exists" in r.stderr
    assert out.read_text() == "mine"


def test_log_then_agenda_drops_the_item(kam, tmp_path):
    shutil.copytree(EXAMPLES, tmp_path / "accounts")
    env = {"KAM_TODAY": "2026-11-30"}
    before = kam(tmp_path, "agenda", "--owner", "li.ming", "--format", "json", env=env)
    assert ("contact", "nordtel", "maria-olsen") in _items(before)
    r = kam(tmp_path, "log", "nordtel", "Maria Olsen", "-m", "Intro with Petter Nyman", env=env)
    assert r.exit_code == 0, r.stderr
    after = kam(tmp_path, "agenda", "--owner", "li.ming", "--format", "json", env=env)
    assert ("contact", "nordtel", "maria-olsen") not in _items(after)


@pytest.mark.parametrize(
    "text",
    ["plain", "two words", "Sabine Krause's team", 'say "hi"', "it's $5", "a\\b", "王芳's 会议"],
)
def test_commands_are_shell_words_that_read_back(text):
    import shlex

    from kamtool.suggest import command

    line = command("log", "acme", "per", "-m", text)
    assert shlex.split(line) == ["kam", "log", "acme", "per", "-m", text]
    if text == "Sabine Krause's team":
        assert line.endswith('-m "Sabine Krause\'s team"')


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("table", "agenda.txt"), ("markdown", "agenda.md"), ("ics", "agenda-li.ming.ics")],
)
def test_examples_golden(kam, tmp_path, fmt, name):
    from golden_util import assert_golden

    args = ["agenda", "--today", "2026-11-30", "--format", fmt]
    if fmt == "ics":
        args += ["--owner", "li.ming"]
    r = kam(REPO, *args, env={"COLUMNS": "80"})  # the examples, with paths relative to it
    assert r.exit_code == 0, r.stderr
    assert_golden(name, r.stdout)


def test_actions_and_goals_of_people_who_left(kam, tmp_path):
    write_account(
        tmp_path,
        "acme",
        {
            "stakeholders.yaml": """\
            stakeholders:
              - {id: boss, name: Boss, roles: [D], attitude: 2, owner: li.ming, last_contact: 2026-11-29}
              - {id: gone, name: Gone, attitude: 0, left_on: 2026-10-01}
            """,
            "targets.yaml": """\
            relationship_goals:
              - {stakeholder: gone, attitude: 2, by: 2026-11-01, owner: li.ming}
            actions:
              - {id: farewell, text: Farewell lunch, owner: li.ming, due: 2026-11-20, status: planned, stakeholder: gone}
              - {id: call-boss, text: Call the boss, owner: wang.fang, due: 2026-12-02, status: doing, stakeholder: boss}
            """,
        },
    )
    r = kam(tmp_path, "agenda", "--today", "2026-11-30", "--format", "json")
    items = {(i["category"], i["person"]): i for i in r.json()["items"]}
    # the goal too is closed in targets.yaml, not with a `kam log` that would be refused
    assert items[("goal", "gone")]["command"] == (
        "close it at accounts/acme/targets.yaml:2: remove the goal, or stakeholder: their successor"
    )
    # `kam log` would refuse someone who left, and "done" would record what did not happen:
    # the item says they left, and the command says where to close or hand on the action
    assert items[("action", "gone")]["command"] == (
        "close it at accounts/acme/targets.yaml:4: status done or dropped, "
        "or stakeholder: their successor"
    )
    assert items[("action", "gone")]["why"].endswith("; Gone left on 2026-10-01")
    assert (
        items[("action", "boss")]["command"]
        == "kam log acme boss --by wang.fang -m 'Call the boss'"
    )
    assert items[("action", "boss")]["handles"] == {"wang.fang": "owner", "li.ming": "owner"}


@pytest.mark.parametrize(
    ("intimacy", "lang", "said"),
    [
        ("", "en", "not achievable: left"),
        (", intimacy: 3", "en", "not achievable: left"),
        ("", "zh-CN", "无法达成：已离开"),
    ],
)
def test_goal_of_someone_who_left_is_never_reached(kam, tmp_path, intimacy, lang, said):
    """Old Li left with attitude +3; the goal asked for +2. `kam plan` showed the goal
    reached ("yes") and `kam agenda` left out the step to close it, which it gave only
    when the goal also asked for an intimacy he had not. Someone who has left reaches no
    goal: the plan says so, and the agenda asks to close or move it either way."""
    write_account(
        tmp_path,
        "acme",
        {
            "stakeholders.yaml": """\
            stakeholders:
              - {id: boss, name: Boss, roles: [D], attitude: 2, owner: wang.fang, last_contact: 2026-11-29}
              - {id: old.li, name: Old Li, roles: [E], attitude: 3, owner: wang.fang, left_on: 2026-09-30}
            """,
            "targets.yaml": f"""\
            period: 2026
            relationship_goals:
              - {{stakeholder: old.li, attitude: 2, by: 2027-01-31, owner: wang.fang{intimacy}}}
            """,
        },
    )
    plan = kam(tmp_path, "--lang", lang, "plan", "acme", "--today", "2026-12-05")
    assert plan.exit_code == 0, plan.stderr
    (row,) = [line for line in plan.stdout.splitlines() if line.startswith("| Old Li")]
    assert row.endswith(f"| {said} |"), row
    agenda = kam(tmp_path, "agenda", "--today", "2026-12-05", "--days", "60", "--format", "json")
    assert agenda.exit_code == 0, agenda.stderr
    (goal,) = [i for i in agenda.json()["items"] if i["category"] == "goal"]
    assert goal["person"] == "old.li" and goal["due"] == "2027-01-31"
    assert goal["why"].endswith("; Old Li left on 2026-09-30")
    assert goal["command"] == (
        "close it at accounts/acme/targets.yaml:3: remove the goal, or stakeholder: their successor"
    )
    # past its date, the goal is not reached either (KAM302 beside KAM115)
    check = kam(tmp_path, "check", "--format", "json", "--today", "2027-02-01")
    codes = sorted(f["code"] for f in check.json()["findings"] if f["code"] in ("KAM115", "KAM302"))
    assert codes == ["KAM115", "KAM302"]


def test_owner_agenda_marks_items_held_only_as_backup_or_sponsor(kam, tmp_path):
    """Per-person agendas side by side: an item 周兰 is on only as backup or sponsor says
    so and names who acts, so it is not counted as 周兰's own work; 周兰's own items (the
    executive meeting 周兰 holds as sponsor included) are plain."""
    _portfolio(tmp_path)
    args = ["agenda", "big-group", "--today", "2026-11-30", "--owner", "周兰"]
    md = kam(tmp_path, *args, "--format", "markdown").stdout
    assert "Contact CFO (Big Group) (backup; owner 王芳): evaluator, never met." in md
    assert "Plan the successor of Leaving Soon (Big Group) (sponsor; owner 王芳): leaves" in md
    assert "Contact CEO (Big Group): decision maker" in md
    assert "Executive meeting with Leaving Soon (Big Group): executive sponsor" in md
    assert md.count("; owner ") == 2
    table = kam(tmp_path, *args, "--no-color", env={"COLUMNS": "200"}).stdout
    assert "Contact CFO (big-group) (backup; owner 王芳)" in table
    assert "Plan the successor of Leaving Soon (big-group) (sponsor; owner 王芳)" in table
    assert table.count("; owner ") == 2
    zh = kam(tmp_path, "--lang", "zh-CN", *args, "--format", "markdown").stdout
    assert "联系 CFO（Big Group）（备份；责任人王芳）：" in zh
    assert "（Big Group）（高层赞助人；责任人王芳）：" in zh
    # without --owner every item sits under whoever acts: no note anywhere
    team = kam(tmp_path, "agenda", "big-group", "--today", "2026-11-30", "-f", "markdown")
    assert "; owner " not in team.stdout


def _western_grid(tmp_path):
    """A Chinese utility unlike the examples: its chairman 高明 is a decision maker in the
    organizational layer (met at the top-level meetings, with our executive sponsor), its
    key decision maker 马军 leaves in 45 days, a general-layer evaluator."""
    write_account(
        tmp_path,
        "xibei-grid",
        {
            "account.yaml": """\
id: xibei-grid
name: 西北电网
owner: zhao.lei
reviewed: 2026-11-01
position: 4
value: 4
""",
            "stakeholders.yaml": """\
stakeholders:
  - id: ma-jun
    name: 马军
    roles: [D]
    attitude: 2
    intimacy: 3
    owner: zhao.lei
    backup: sun.li
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
    left_on: 2027-01-15
  - id: gao-ming
    name: 高明
    layer: organizational
    roles: [D]
    attitude: 1
    intimacy: 2
    owner: zhao.lei
    sponsor: wu.dong
    channels: [visits]
    last_contact: 2025-10-01
    in_post_since: 2026-11-10
    reviewed: 2026-11-01
  - id: he-ping
    name: 何平
    layer: general
    roles: [E]
    attitude: 0
    owner: sun.li
    last_contact: 2025-01-01
    reviewed: 2026-11-01
""",
        },
    )


def _agenda(kam, tmp_path, *extra):
    r = kam(tmp_path, "agenda", "--today", "2026-12-01", "--format", "json", *extra)
    assert r.exit_code == 0, r.stderr
    return r.json()["items"]


def test_announced_departure_plans_the_successor_and_a_last_meeting(kam, tmp_path):
    """马军 leaves on 2027-01-15: the successor step is due now, the meeting with him two
    weeks before his last day (2027-01-01), in a 60-day agenda but not in this week's."""
    _western_grid(tmp_path)
    week = [(i["category"], i["person"], i["due"]) for i in _agenda(kam, tmp_path)]
    assert ("departure", "ma-jun", "2026-12-01") in week
    assert not any(due == "2027-01-01" for _c, _p, due in week)
    items = _agenda(kam, tmp_path, "--days", "60")
    gone = [i for i in items if i["category"] == "departure"]
    assert [(i["person"], i["due"]) for i in gone] == [
        ("ma-jun", "2026-12-01"),
        ("ma-jun", "2027-01-01"),
    ]
    assert gone[1]["title"] == "Meet 马军 before they leave"
    assert "2027-01-15" in gone[1]["why"] and "hand the relationship over" in gone[1]["why"]
    assert gone[1]["command"] == "kam log xibei-grid ma-jun"
    assert gone[1]["owner"] == "zhao.lei" and gone[1]["handles"]["sun.li"] == "backup"
    zh = kam(tmp_path, "agenda", "--today", "2026-12-01", "--days", "60", "--lang", "zh_CN")
    assert "在马军离任前与其会面" in zh.stdout and "把关系交接好" in zh.stdout


def test_last_meeting_is_dropped_once_they_were_met_in_their_last_month(kam, tmp_path):
    _western_grid(tmp_path)
    r = kam(
        tmp_path,
        "log",
        "xibei-grid",
        "ma-jun",
        "-m",
        "交接会议",
        "--date",
        "2027-01-05",
        "--today",
        "2027-01-06",
    )
    assert r.exit_code == 0, r.stderr
    items = _agenda(kam, tmp_path, "--days", "60", "--today", "2027-01-06")
    assert [i["title"] for i in items if i["category"] == "departure"] == [
        "Plan the successor of 马军"
    ]


def test_departure_beyond_180_days_shows_in_a_longer_agenda(kam, tmp_path):
    _western_grid(tmp_path)
    path = tmp_path / "accounts" / "xibei-grid" / "stakeholders.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2027-01-15", "2027-08-01"), "utf-8")
    assert not [i for i in _agenda(kam, tmp_path) if i["category"] == "departure"]
    long = _agenda(kam, tmp_path, "--days", "365")
    assert [(i["person"], i["due"]) for i in long if i["category"] == "departure"] == [
        ("ma-jun", "2026-12-01"),
        ("ma-jun", "2027-07-18"),
    ]


def test_decision_maker_of_the_organizational_layer_is_on_the_agenda(kam, tmp_path):
    """高明 (organizational layer, role D): overdue contact, new in post and not met since,
    and our executive sponsor's touch; the general-layer evaluator 何平, overdue as long,
    is no contact item (contacts concern key people and decision makers)."""
    _western_grid(tmp_path)
    items = _agenda(kam, tmp_path)
    about_gao = [(i["categories"], i["owner"]) for i in items if i["person"] == "gao-ming"]
    # the overdue contact and the meeting since he took the post are one step
    assert (["contact", "new-in-post"], "zhao.lei") in about_gao
    assert (["sponsor"], "wu.dong") in about_gao
    assert len(about_gao) == 2
    contact = next(i for i in items if i["person"] == "gao-ming" and i["category"] == "contact")
    assert contact["why"].startswith("decision maker, organizational layer: 426 days")
    assert "in post since 2026-11-10" in contact["why"]
    assert contact["due"] == "2025-10-31"  # the earlier date: the contact, before his post
    # ranked with the other decision makers: weight 3, overdue, ahead of nobody-D items
    assert items[0]["person"] == "gao-ming"
    assert not [i for i in items if i["person"] == "he-ping" and i["category"] == "contact"]
    zh = kam(tmp_path, "agenda", "--today", "2026-12-01", "--lang", "zh_CN").stdout
    assert "决策者，组织层" in zh


def _leaving_overdue(tmp_path, left_on: str) -> None:
    """One tier-B account whose decision maker 黄志强, not met for months, leaves on
    ``left_on``; a second person is only overdue."""
    write_account(
        tmp_path,
        "changjiang-shipping",
        {
            "account.yaml": ACCOUNT.format(id="changjiang-shipping", name="长江航运", pos=2),
            "stakeholders.yaml": f"""\
            stakeholders:
              - id: huang.zhiqiang
                name: 黄志强
                roles: [D]
                attitude: 1
                owner: 周兰
                last_contact: 2026-08-01
                left_on: {left_on}
              - id: li.na
                name: 李娜
                roles: [E]
                attitude: 0
                owner: 周兰
                last_contact: 2026-08-01
            """,
        },
    )


def test_contact_due_and_last_meeting_before_leaving_are_one_step(kam, tmp_path):
    """黄志强 leaves on 2026-12-10 and has not been met since August: the overdue contact
    and the meeting before he leaves are one step in every format, dated and ranked as
    the departure's, its reason naming both; the successor step stays its own."""
    _leaving_overdue(tmp_path, "2026-12-10")
    items = _agenda(kam, tmp_path)
    huang = [i for i in items if i["person"] == "huang.zhiqiang"]
    assert [(i["title"], i["categories"], i["due"]) for i in huang] == [
        ("Plan the successor of 黄志强", ["departure"], "2026-12-01"),
        ("Meet 黄志强 before they leave", ["departure", "contact"], "2026-12-01"),
    ]
    why = huang[1]["why"]
    assert why.startswith("leaves on 2026-12-10: hand the relationship over")
    assert "; decision maker: 122 days since the last contact" in why
    # ranked among the departures, after the contacts (李娜's stays a contact)
    assert [(i["category"], i["person"]) for i in items] == [
        ("contact", "li.na"),
        ("departure", "huang.zhiqiang"),
        ("departure", "huang.zhiqiang"),
    ]
    args = ("agenda", "--today", "2026-12-01")
    text = kam(tmp_path, *args, env={"COLUMNS": "120"}).stdout
    assert "Contact 黄志强" not in text and text.count("Meet 黄志强 before they leave") == 1
    assert "122 days since the last contact" in text
    md = kam(tmp_path, *args, "--format", "markdown").stdout
    assert "Contact 黄志强" not in md
    assert "Meet 黄志强 before they leave (长江航运): leaves on 2026-12-10" in md
    assert "122 days since the last contact" in md
    ics = kam(tmp_path, *args, "--format", "ics").stdout.replace("\r\n ", "")
    assert "Contact 黄志强" not in ics and ics.count("Meet 黄志强 before they leave") == 1
    assert "122 days since the last contact" in ics
    zh = kam(tmp_path, *args, "--lang", "zh_CN", "--format", "markdown").stdout
    assert zh.count("黄志强") == 2  # the successor step and the one meeting
    assert "；决策者：距最近一次接触已 122 天" in zh


def test_contact_and_last_meeting_weeks_apart_stay_two_steps(kam, tmp_path):
    """Leaving on 2027-01-20, the meeting before he leaves is on 2027-01-06: five weeks
    after the overdue contact, two meetings, two steps."""
    _leaving_overdue(tmp_path, "2027-01-20")
    items = _agenda(kam, tmp_path, "--days", "60")
    huang = [(i["categories"], i["due"]) for i in items if i["person"] == "huang.zhiqiang"]
    assert huang == [
        (["contact"], "2026-10-30"),
        (["departure"], "2026-12-01"),
        (["departure"], "2027-01-06"),
    ]


def test_a_team_agenda_ends_with_its_count(kam, tmp_path):
    """Thousands of lines for a team: the last line adds them up (overdue, today, later),
    the same figures as the JSON; one person's agenda has its count in its heading."""
    args = ("agenda", "--examples", "--today", "2026-11-30", "--days", "14")
    items = kam(tmp_path, *args, "--format", "json").json()["items"]
    owners = {i["owner"] for i in items}
    assert len(owners) > 1
    late = sum(1 for i in items if i["due"] < "2026-11-30")
    today = sum(1 for i in items if i["due"] == "2026-11-30")
    last = kam(tmp_path, *args, env={"COLUMNS": "80"}).stdout.splitlines()[-1]
    count = (
        f"{len(items)} items for {len(owners)} people: {late} overdue, {today} due today, "
        f"{len(items) - late - today} in the next 14 days"
    )
    assert last == count
    # in a narrower terminal the count wraps at its width, as the tables above it do
    narrow = kam(tmp_path, *args, env={"COLUMNS": "50"}).stdout.splitlines()
    assert all(len(line) <= 50 for line in narrow), [ln for ln in narrow if len(ln) > 50]
    assert " ".join(narrow[-2:]) == count, narrow[-3:]
    one = kam(tmp_path, *args, "--owner", sorted(owners)[0], env={"COLUMNS": "80"}).stdout
    assert "people:" not in one.splitlines()[-1]


def test_stale_and_agenda_name_the_same_owner_for_a_person_without_one(kam, tmp_path):
    """Trial defect: for a person with no `owner`, `kam stale` said owner "-" where the
    agenda gave the step to the account's owner. Both ask Account.relationship_owner:
    the person's owner, else the account's (who `kam log` records when no --by is given)."""
    write_account(
        tmp_path,
        "acme",
        {
            "account.yaml": "id: acme\nname: Acme AG\nowner: li.ming\nreviewed: 2026-10-01\n"
            "position: 2\nvalue: 2\n",
            "stakeholders.yaml": """\
            stakeholders:
              - id: ann
                name: Ann Berg
                roles: [D]
                attitude: 1
                owner: wang.fang
                last_contact: 2026-05-01
                reviewed: 2026-01-10
              - id: bo
                name: Bo Ek
                roles: [E]
                attitude: 1
                last_contact: 2026-05-01
                reviewed: 2026-01-10
              - id: cy
                name: Cy Lund
                roles: [I]
                attitude: "?"
            """,
        },
    )
    stale = kam(tmp_path, "stale", "--format", "json", "--fail-on", "info")
    by_stale = {
        (f["data"]["person"], f["data"]["field"]): f["data"]["owner"]
        for f in stale.json()["findings"]
    }
    assert by_stale == {
        ("ann", "last_contact"): "wang.fang",
        ("ann", "reviewed"): "wang.fang",
        ("bo", "last_contact"): "li.ming",
        ("bo", "reviewed"): "li.ming",
        ("cy", "last_contact"): "li.ming",
    }, by_stale
    agenda = kam(tmp_path, "agenda", "--format", "json").json()["items"]
    fields = {"contact": "last_contact", "review": "reviewed"}
    by_agenda = {
        (i["person"], fields[i["category"]]): i["owner"] for i in agenda if i["category"] in fields
    }
    assert by_agenda == by_stale, agenda
    table = kam(tmp_path, "stale", "--no-color", env={"COLUMNS": "200"}).stdout
    rows = [line for line in table.splitlines() if "Bo Ek" in line or "Cy Lund" in line]
    assert len(rows) == 3 and all("│ li.ming " in line for line in rows), table


def test_at_80_columns_each_command_is_whole_under_its_step(kam, tmp_path):
    """At 80 columns the "record with" column broke commands in the middle ("kam log
    acct-00027 p00 --by / ana.ruiz"), which cannot be pasted: when the longest command
    does not fit beside the step, it goes under it, on one line of the wide column."""
    args = ("agenda", "--examples", "--today", "2026-11-30")
    items = kam(tmp_path, *args, "--format", "json").json()["items"]
    narrow = kam(tmp_path, *args, env={"COLUMNS": "80"}).stdout
    assert "┃ what and why (→ record with)" in narrow, narrow
    for item in items:
        if item["command"].startswith("kam ") and len(item["command"]) <= 55:
            assert f"→ {item['command']}" in narrow, item["command"]
    assert all(len(line) <= 80 for line in narrow.splitlines())
    wide = kam(tmp_path, *args, env={"COLUMNS": "200"}).stdout
    assert "┃ record with" in wide and "→ kam" not in wide


def _commands_under_steps(table: str) -> list[str]:
    """The commands of a narrow agenda table as a shell reads them when pasted: the lines
    of the wide column from '→ ' on, each line ending in ' \\' continued by the next."""
    cells = [line.rsplit("│", 2)[1].strip() for line in table.splitlines() if "│" in line]
    out: list[str] = []
    going = False
    for cell in cells:
        if cell.startswith("→ "):
            out.append(cell[2:])
        elif going:
            out[-1] += " " + cell
        else:
            continue
        going = out[-1].endswith(" \\")
        if going:
            out[-1] = out[-1][:-2]
    return out


@pytest.mark.parametrize("columns", ["80", "100"])
def test_a_command_too_long_for_its_line_is_continued_as_the_shell_reads_it(kam, tmp_path, columns):
    """A command longer than the wide column (`kam log nordtel anders-berg --kind
    executive-meeting --by martin.kraus` at 80 columns) was folded by the table ("... --by"
    on one line, "martin.kraus" on the next): pasted, it ran as two commands, the first
    without its value. It is broken between words, each line ending in ' \\', so that the
    lines pasted together are the one command (a word wider than the column, such as a
    long -m text, still wraps in the table)."""
    args = ("agenda", "--examples", "--today", "2026-11-30")
    items = kam(tmp_path, *args, "--format", "json").json()["items"]
    narrow = kam(tmp_path, *args, env={"COLUMNS": columns}).stdout
    assert all(len(line) <= int(columns) for line in narrow.splitlines()), narrow
    shown = [c for c in _commands_under_steps(narrow) if c.startswith("kam ")]
    commands = [i["command"] for i in items if i["command"].startswith("kam ")]
    assert sorted(map(shlex.split, shown)) == sorted(map(shlex.split, commands)), shown
    assert any(len(c) > int(columns) - 12 for c in commands)  # some did not fit on a line


def test_owner_agenda_names_only_broken_accounts_that_may_be_theirs(kam, tmp_path):
    """`kam agenda --owner li.ming` listed every account that did not load on stderr,
    another owner's too, and failed on it. Like `kam grade --owner` and `kam stale
    --owner`, it keeps an account that did not load only when its account.yaml names
    them or cannot be read."""
    broken_people = "stakeholders:\n  - id: boss\n    name: [unclosed\n"
    write_account(tmp_path, "mine")
    write_account(
        tmp_path,
        "theirs",
        {
            "account.yaml": (
                "id: theirs\nname: Theirs\nowner: wang.fang\nreviewed: 2026-10-01\n"
                "position: 3\nvalue: 3\n"
            ),
            "stakeholders.yaml": broken_people,
        },
    )
    write_account(tmp_path, "mine-broken", {"stakeholders.yaml": broken_people})
    write_account(tmp_path, "unreadable", {"account.yaml": "id: unreadable\nname: [x\n"})
    args = ("agenda", "--today", "2026-11-30", "--owner", "li.ming")
    r = kam(tmp_path, *args)
    assert r.exit_code == 1
    assert "could not load mine-broken, unreadable: the agenda leaves them out" in r.stderr
    assert "theirs" not in r.stderr, r.stderr
    grade = kam(tmp_path, "grade", "--owner", "li.ming", "--format", "json").stdout
    assert '"theirs"' not in grade and '"mine-broken"' in grade and '"unreadable"' in grade
    # the other owner still hears of theirs; with nothing broken of theirs, exit 0
    other = kam(tmp_path, "agenda", "--today", "2026-11-30", "--owner", "wang.fang")
    assert "theirs" in other.stderr and "mine-broken" not in other.stderr, other.stderr
    import shutil

    shutil.rmtree(tmp_path / "accounts/mine-broken")
    shutil.rmtree(tmp_path / "accounts/unreadable")
    ok = kam(tmp_path, *args)
    assert ok.exit_code == 0 and "could not load" not in ok.stderr, ok.stderr
