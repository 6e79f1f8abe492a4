"""Trial "odd names": accounts whose names and texts hold markup, formula prefixes,
escape sequences, right-to-left text and the like, through every output."""

from __future__ import annotations

from conftest import dedent, write_account

PERSON_WITH_ESCAPE = dedent(
    r"""
    stakeholders:
      - id: bob
        name: "Bob \e[31mRED\e[0m \"B\""
        roles: [D]
        attitude: 1
        intimacy: 1
        owner: li.ming
        backup: wang.fang
        channels: [calls, visits]
        last_contact: 2026-11-20
        reviewed: 2026-11-01
    """
)


def test_a_control_character_made_by_an_escape_is_refused_like_a_raw_one(tmp_path, kam):
    # "\e[31m" in a double-quoted name is an ESC character in the value: it reached the
    # terminal raw in `kam check`, `kam agenda`, `kam plan` (recolouring it) and went into
    # DOT, CSV and ICS files; a raw ESC in the file is KAM001, so is one made by an escape
    write_account(tmp_path, "acme", {"stakeholders.yaml": PERSON_WITH_ESCAPE})
    r = kam(tmp_path, "check", "--format", "json")
    assert r.exit_code == 1
    codes = [(f["code"], f["path"].split("/")[-1], f["line"]) for f in r.json()["findings"]]
    assert ("KAM001", "stakeholders.yaml", 3) in codes
    kam001 = next(f for f in r.json()["findings"] if f["code"] == "KAM001")
    assert "U+001B" in kam001["message"]
    assert "quote mark" not in kam001["message"]  # not taken for a quoting slip
    for args in (("check",), ("agenda",), ("grade",), ("map", "acme"), ("stale",)):
        out = kam(tmp_path, *args)
        assert "\x1b[31mRED" not in out.stdout + out.stderr, args
    # escapes making ordinary text stay fine: a tab, a line break, a quote, a backslash
    fine = PERSON_WITH_ESCAPE.replace(r"\e[31mRED\e[0m", r"a\tb\\c\n\u00e9")
    write_account(tmp_path, "acme", {"stakeholders.yaml": fine})
    r = kam(tmp_path, "check", "--format", "json")
    assert not [f for f in r.json()["findings"] if f["code"] == "KAM001"]


def test_an_ics_event_title_is_one_line_for_an_action_written_as_a_block(tmp_path, kam):
    # `text: |` (a block scalar) is how a long action is written; the calendar event's
    # SUMMARY held its line breaks ("line one\nline two\n (Acme)") where every other
    # output (table, Markdown) gives the title on one line
    write_account(
        tmp_path,
        "acme",
        {
            "targets.yaml": """\
            period: 2026
            actions:
              - id: brief
                text: |
                  Brief the board | pipe
                  <b>second</b> line
                owner: li.ming
                due: 2026-11-26
                status: planned
            """
        },
    )
    r = kam(tmp_path, "agenda", "--format", "ics")
    assert r.exit_code == 0, r.stdout
    from icalendar import Calendar

    cal = Calendar.from_ical(r.stdout.encode())
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert "li.ming: Action: Brief the board | pipe <b>second</b> line (Acme acme)" in summaries


def test_a_bidi_override_in_a_name_cannot_reverse_the_rest_of_a_markdown_line(tmp_path, kam):
    # U+202E (right-to-left override) in a name reversed everything after it on its
    # line where GitHub shows the Markdown: the message and the file path after the
    # name read backwards ("yrtne gol on"); in Markdown and in the HTML <summary> of
    # `kam diff` it is shown as U+FFFD
    from gitrepo import commit, new_repo

    root = new_repo(tmp_path / "repo")
    write_account(root, "acme")
    commit(root, "first", date="2026-11-01")
    person = STAKEHOLDERS_RTL
    write_account(
        root,
        "acme",
        {
            "account.yaml": 'id: acme\nname: "Acme \u202eevil"\nowner: li.ming\n'
            "reviewed: 2026-10-01\nposition: 3\nvalue: 3\n",
            "stakeholders.yaml": person,
        },
    )
    for args in (
        ("grade", "--format", "markdown"),
        ("diff", "HEAD", "--format", "markdown"),
        ("plan", "acme"),
        ("agenda", "--format", "markdown"),
    ):
        out = kam(root, *args).stdout
        assert "\u202e" not in out and "\u2066" not in out, args
        assert "\ufffdevil" in out or "\ufffdrtl" in out, args


STAKEHOLDERS_RTL = dedent(
    """
    stakeholders:
      - id: boss
        name: "Eve \u2066x\u2069 \u202ertl"
        roles: [D, C]
        attitude: 2
        intimacy: 2
        owner: li.ming
        backup: wang.fang
        channels: [calls, visits]
        last_contact: 2026-09-20
        reviewed: 2026-11-01
    """
)


def test_a_bidi_override_cannot_reverse_a_code_span_either(tmp_path, kam):
    # the agenda's command to record an action holds the action's text (`kam log ... -m
    # '...'`) in a code span, where no backslash escapes: U+202E there reversed the rest
    # of the line as in a name; a backtick in it needs a longer fence, not a changed text
    write_account(
        tmp_path,
        "acme",
        {
            "targets.yaml": """\
            period: 2026
            actions:
              - id: brief
                text: "Brief `the` board \u202eevil"
                owner: li.ming
                stakeholder: boss
                due: 2026-11-26
                status: doing
            """,
            "stakeholders.yaml": STAKEHOLDERS_RTL,
        },
    )
    out = kam(tmp_path, "agenda", "--format", "markdown").stdout
    (line,) = [line for line in out.splitlines() if "Brief" in line and "kam log" in line]
    assert "\u202e" not in line and "\u2066" not in line, line
    assert "``kam log acme boss" in line and "Brief `the` board \ufffdevil" in line, line


def test_a_control_character_in_kam_log_text_names_the_option(tmp_path, kam):
    # pasted from a terminal, an escape sequence in -m was refused by the guard that reads
    # log.yaml back, in words about the file's line 14, column 14; the option is named
    write_account(tmp_path, "acme", {"stakeholders.yaml": STAKEHOLDERS_RTL})
    for option in ("-m", "--next"):
        r = kam(tmp_path, "log", "acme", "boss", option, "met \x1b[31mred")
        assert r.exit_code == 2, r.stderr
        assert "holds an invisible control character (U+001B)" in r.stderr, r.stderr
        assert not (tmp_path / "accounts" / "acme" / "log.yaml").exists()
    ok = kam(tmp_path, "log", "acme", "boss", "-m", "line one\nline two\ttabbed")
    assert ok.exit_code == 0, ok.stderr


def test_a_bidi_override_cannot_reverse_a_finding_line_in_a_ci_log(tmp_path, kam):
    # a CI log and a GitHub annotation are laid out by the browser: U+202E in a name
    # reversed the rest of the finding's line (the message, the severity) there as in
    # Markdown; text and github output show it as U+FFFD, JSON keeps the name as written
    write_account(tmp_path, "acme", {"stakeholders.yaml": STAKEHOLDERS_RTL})
    for fmt in ("text", "github"):
        out = kam(tmp_path, "check", "--format", fmt, env={"GITHUB_ACTIONS": ""}).stdout
        assert "rtl" in out and "\u202e" not in out and "\u2066" not in out, (fmt, out)
        assert "\ufffdrtl" in out, fmt
    data = kam(tmp_path, "check", "--format", "json").json()
    assert any("\u202ertl" in f["message"] for f in data["findings"])


def test_a_bidi_override_cannot_reverse_a_terminal_table_or_the_diff_text(tmp_path, kam):
    # the terminal tables (grade, agenda, stale, history, portfolio) and kam diff's plain
    # text, which a CI log shows too, passed U+202E through: shown as U+FFFD there as in
    # text findings and Markdown; the table stays aligned (the override took no cell in
    # the width the table was drawn with, U+FFFD takes one)
    from gitrepo import commit, new_repo
    from kamtool.report.term import cell_len

    root = new_repo(tmp_path / "repo")
    write_account(root, "acme")
    commit(root, "first", date="2026-11-01")
    write_account(
        root,
        "acme",
        {
            "account.yaml": 'id: acme\nname: "Acme \u202eevil"\nowner: li.ming\n'
            "reviewed: 2026-10-01\nposition: 3\nvalue: 3\n",
            "stakeholders.yaml": STAKEHOLDERS_RTL,
        },
    )
    for args in (("grade",), ("agenda", "--days", "90"), ("stale",), ("diff", "HEAD")):
        out = kam(root, *args, env={"COLUMNS": "100"}).stdout
        assert "\u202e" not in out and "\u2066" not in out, (args, out)
        assert "\ufffdevil" in out or "\ufffdrtl" in out, (args, out)
        boxed = [line for line in out.splitlines() if line and line[0] in "┃│┡┏└├"]
        assert len({cell_len(line) for line in boxed}) <= 1, (args, out)
