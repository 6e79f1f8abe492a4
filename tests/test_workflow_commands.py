"""No line of kam's output is a CI runner's workflow command unless it is meant to be
(``--format github``): GitHub Actions runs ``::error file=...::``, ``::add-mask::``,
``::stop-commands::``... wherever a line of a step's log starts with ``::`` (after
spaces), and a fork's pull request writes the account and person names."""

from __future__ import annotations

import re

from conftest import dedent, write_account

COMMAND = re.compile(r"^[ \t]*::", re.MULTILINE)

PEOPLE = dedent(
    """
    stakeholders:
      - id: boss
        name: "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW ::error file=a::INJ"
        roles: [D]
        attitude: "?"
        intimacy: 1
        owner: li.ming
        channels: [calls]
        last_contact: 2026-08-20
        reviewed: 2026-11-01
    """
)


def hostile(tmp_path):
    account = (
        'id: acme\nname: "::error file=evil.py,line=1::INJECTED"\nowner: li.ming\n'
        "reviewed: 2026-10-01\nposition: 3\nvalue: 3\n"
    )
    write_account(tmp_path, "acme", {"account.yaml": account, "stakeholders.yaml": PEOPLE})
    return tmp_path


def test_a_name_never_starts_a_line_of_the_log(kam, tmp_path):
    root = hostile(tmp_path)
    for columns in ("80", "200"):
        for args in (
            ("grade",),  # one account: its detailed view starts with the name
            ("grade", "acme"),
            ("map", "acme"),  # the tree's root is the account's name
            ("stale",),  # at 80 columns a table of records, each a line of its own
            ("check",),
            ("agenda", "--days", "60"),
            ("portfolio",),
            # JSON documents are written without the search for ``::`` (cli.JSON_FORMATS):
            # a name is always inside a quoted text there, never at a line's start
            ("check", "--format", "json"),
            ("check", "--format", "sarif"),
            ("check", "--format", "gitlab"),
            ("grade", "--format", "json"),
            ("stale", "--format", "json"),
        ):
            r = kam(root, *args, env={"COLUMNS": columns})
            assert not COMMAND.search(r.stdout), (args, columns, r.stdout)
            assert not COMMAND.search(r.stderr), (args, columns, r.stderr)
    r = kam(root, "grade", "acme")
    assert r.stdout.startswith("\ufffd:error file=evil.py,line=1::INJECTED (acme)")


def test_the_github_format_still_writes_its_own_commands(kam, tmp_path):
    root = hostile(tmp_path)
    r = kam(root, "check", "--format", "github")
    *annotations, summary = r.stdout.splitlines()
    assert len(annotations) == 11
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in annotations)
    assert summary == "1 error, 6 warnings, 4 info in 1 account"


def test_white_space_of_any_kind_before_a_command_is_no_protection():
    """The runner trims Unicode white space before it looks for ``::``: a full-width space
    (U+3000, an input method's), a no-break space or an em space before it still made a
    command."""
    from kamtool.report.escape import inert_commands

    for lead in ("", "  ", "\t", "\u3000", "\xa0", "\u2003 "):
        text = f"first line\n{lead}::error file=a::INJ\nlast"
        assert not COMMAND_ANY_SPACE.search(inert_commands(text)), repr(lead)
    assert inert_commands("kam::ok, not at a line's start") == "kam::ok, not at a line's start"


COMMAND_ANY_SPACE = re.compile(r"^[^\S\n]*::", re.MULTILINE)
