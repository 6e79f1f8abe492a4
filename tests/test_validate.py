"""kam validate: KAM001-KAM006 at their exact line and column; one bad file hides nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import STAKEHOLDERS, findings_of, write_account

THREE_PEOPLE = """
stakeholders:
  - id: ann
    name: Ann
    attitude: 1
  - id: bob
    name: Bob
    attitude: 2
  - id: cy
    name: Cy
    attitude: "?"
    channels:
      - phone
      - 42
"""


def check_still_graded(kam, root):
    r = kam(root, "grade", "--format", "json")
    good = next(a for a in r.json()["accounts"] if a["id"] == "good")
    assert good["valid"] and good["score"] is not None
    return r


def test_clean_account_validates(kam, tmp_path):
    write_account(tmp_path, "good")
    r = kam(tmp_path, "validate")
    assert r.exit_code == 0
    assert "0 errors" in r.stdout


@pytest.mark.parametrize(
    "files, expected",
    [
        # KAM001: syntax error points at the problem
        # (at the bracket never closed, not past the end of the file)
        ({"stakeholders.yaml": "stakeholders:\n  - id: a\n    name: [A\n"}, ("KAM001", 3, 11)),
        # KAM001: object-constructing tag
        ({"account.yaml": "id: x\nname: !!python/object/apply:os.system [ls]\n"}, ("KAM001", 2, 7)),
        # KAM001: empty required file
        ({"account.yaml": "# nothing here\n"}, ("KAM001", 1, 1)),
        # KAM002: the 3rd stakeholder's channels list item
        ({"stakeholders.yaml": THREE_PEOPLE}, ("KAM002", 13, 9)),
        # KAM002: unknown key with its own position
        (
            {"stakeholders.yaml": "stakeholders:\n  - id: a\n    name: A\n    atitude: 1\n"},
            ("KAM002", 4, 5),
        ),
        # KAM002: out of range deep in a list
        (
            {"stakeholders.yaml": "stakeholders:\n  - id: a\n    name: A\n    attitude: 5\n"},
            ("KAM002", 4, 15),
        ),
        # KAM003: reports_to nobody
        (
            {
                "stakeholders.yaml": "stakeholders:\n  - id: a\n    name: A\n    attitude: 1\n    reports_to: zed\n"
            },
            ("KAM003", 5, 17),
        ),
        # KAM004: duplicate id points at the second one
        (
            {
                "stakeholders.yaml": "stakeholders:\n  - {id: a, name: A, attitude: 1}\n  - {id: a, name: B, attitude: 1}\n"
            },
            ("KAM004", 3, 10),
        ),
        # KAM005: cycle in reporting lines
        (
            {
                "stakeholders.yaml": "stakeholders:\n  - {id: a, name: A, attitude: 1, reports_to: b}\n  - {id: b, name: B, attitude: 1, reports_to: a}\n"
            },
            ("KAM005", 2, 47),
        ),
        # KAM006: id differs from the folder name
        (
            {
                "account.yaml": "id: other\nname: X\nowner: a\nreviewed: 2026-01-01\nposition: 1\nvalue: 1\n"
            },
            ("KAM006", 1, 5),
        ),
        # KAM006: required file missing
        ({"stakeholders.yaml": None}, ("KAM006", 1, 1)),
    ],
    ids=[
        "syntax",
        "tag",
        "empty",
        "channels-item",
        "unknown-key",
        "range",
        "reference",
        "duplicate",
        "cycle",
        "id",
        "missing-file",
    ],
)
def test_structural_findings_exact_position(kam, tmp_path, files, expected):
    write_account(tmp_path, "good")
    folder = write_account(tmp_path, "broken", {k: v for k, v in files.items() if v is not None})
    for name in [k for k, v in files.items() if v is None]:
        (folder / name).unlink()
    r = kam(tmp_path, "validate", "--format", "json")
    assert r.exit_code == 1
    assert expected in findings_of(r), r.stdout
    assert all(f["account"] == "broken" for f in r.json()["findings"])
    check_still_graded(kam, tmp_path)


def test_text_format_is_editor_clickable(kam, tmp_path):
    write_account(tmp_path, "broken", {"stakeholders.yaml": THREE_PEOPLE})
    r = kam(tmp_path, "validate")
    assert (
        "accounts/broken/stakeholders.yaml:13:9: KAM002 stakeholders #3 (cy).channels #2: must be a text, not a number "
        '(put it in quotes to make it a text: "42") (error)' in r.stdout
    )


PERSON = "stakeholders:\n  - id: a\n    name: A\n    attitude: 1\n"


@pytest.mark.parametrize(
    ("file", "text", "key", "meant"),
    [
        # trial: `start_date` got no hint, spelling alone is far from in_post_since
        ("stakeholders.yaml", PERSON + "    {key}: 2026-01-01\n", "start_date", "in_post_since"),
        ("stakeholders.yaml", PERSON + "    {key}: 2026-01-01\n", "since", "in_post_since"),
        ("stakeholders.yaml", PERSON + "    {key}: 2026-01-01\n", "joined", "in_post_since"),
        ("stakeholders.yaml", PERSON + "    {key}: 2026-01-01\n", "startDate", "in_post_since"),
        ("stakeholders.yaml", PERSON + "    {key}: 2026-01-01\n", "Start-Date", "in_post_since"),
        ("stakeholders.yaml", PERSON + "    {key}: 2026-01-01\n", "In-Post-Since", "in_post_since"),
        ("stakeholders.yaml", PERSON + "    {key}: 2026-06-30\n", "end_date", "left_on"),
        ("stakeholders.yaml", PERSON + "    {key}: CFO\n", "job_title", "title"),
        ("stakeholders.yaml", PERSON + "    {key}: CFO\n", "position", "title"),
        ("stakeholders.yaml", PERSON + "    {key}: a\n", "manager", "reports_to"),
        ("stakeholders.yaml", PERSON + "    {key}: finance\n", "department", "unit"),
        ("stakeholders.yaml", PERSON + "    {key}: 2026-11-01\n", "last_met", "last_contact"),
        ("stakeholders.yaml", PERSON + "    {key}: x\n", "comment", "notes"),
        # spelling still finds its slips first
        ("stakeholders.yaml", PERSON + "    {key}: 1\n", "atitude", "attitude"),
        ("account.yaml", None, "sector", "industry"),
        (
            "log.yaml",
            "entries:\n  - date: 2026-11-01\n    with: [a]\n    by: [li.ming]\n    {key}: x\n",
            "next_step",
            "next",
        ),
        (
            "log.yaml",
            "entries:\n  - date: 2026-11-01\n    by: [li.ming]\n    {key}: [a]\n",
            "attendees",
            "with",
        ),
        (
            "targets.yaml",
            "actions:\n  - {{id: x, text: t, owner: li.ming, status: planned, {key}: 2027-01-01}}\n",
            "deadline",
            "due",
        ),
        (
            "targets.yaml",
            "relationship_goals:\n  - {{stakeholder: a, attitude: 2, owner: li.ming, {key}: 2027-01-01}}\n",
            "deadline",
            "by",
        ),
    ],
)
def test_did_you_mean_knows_the_words_people_use_for_a_key(kam, tmp_path, file, text, key, meant):
    if text is None:  # account.yaml: the default one, with the key added
        from conftest import ACCOUNT

        text = ACCOUNT.format(id="x") + "{key}: Steel\n"
    files = {"stakeholders.yaml": PERSON, file: text.format(key=key)}
    write_account(tmp_path, "x", files)
    r = kam(tmp_path, "validate", "--format", "json")
    messages = [f["message"] for f in r.json()["findings"] if "unknown key" in f["message"]]
    assert len(messages) == 1, r.stdout
    assert messages[0].startswith(f"unknown key '{key}'"), messages
    assert messages[0].endswith(f"(did you mean '{meant}'?)"), messages
    zh = kam(tmp_path, "--lang", "zh-CN", "validate", "--format", "json").json()["findings"]
    assert any(f"“{meant}”" in f["message"] for f in zh), zh


def test_a_key_that_means_nothing_gets_no_guess(kam, tmp_path):
    write_account(tmp_path, "x", {"stakeholders.yaml": PERSON + "    favourite_colour: blue\n"})
    r = kam(tmp_path, "validate", "--format", "json")
    (message,) = [f["message"] for f in r.json()["findings"]]
    assert message == "unknown key 'favourite_colour' in stakeholders #1 (a)"


def test_did_you_mean(kam, tmp_path):
    write_account(
        tmp_path,
        "x",
        {"stakeholders.yaml": "stakeholders:\n  - id: a\n    name: A\n    atitude: 1\n"},
    )
    r = kam(tmp_path, "validate")
    assert "unknown key 'atitude' in stakeholders #1 (a) (did you mean 'attitude'?)" in r.stdout
    # one slip, one finding: not also "missing required key 'attitude'"
    assert "missing required key" not in r.stdout


def test_long_role_names_and_unknown_role(kam, tmp_path):
    write_account(
        tmp_path,
        "x",
        {
            "stakeholders.yaml": "stakeholders:\n  - {id: a, name: A, attitude: 1, roles: [decision-maker, coach]}\n"
        },
    )
    assert kam(tmp_path, "validate").exit_code == 0
    write_account(
        tmp_path,
        "x",
        {"stakeholders.yaml": "stakeholders:\n  - {id: a, name: A, attitude: 1, roles: [boss]}\n"},
    )
    r = kam(tmp_path, "validate")
    assert r.exit_code == 1 and "unknown role 'boss'" in r.stdout


def test_dates_are_strict(kam, tmp_path):
    write_account(
        tmp_path,
        "x",
        {"account.yaml": "id: x\nname: X\nowner: a\nreviewed: 20261001\nposition: 1\nvalue: 1\n"},
    )
    r = kam(tmp_path, "validate", "--format", "json")
    assert ("KAM002", 4, 11) in findings_of(r)
    write_account(
        tmp_path,
        "x",
        {
            "account.yaml": "id: x\nname: X\nowner: a\nreviewed: '2026-10-01'\nposition: 1\nvalue: 1\n"
        },
    )
    assert kam(tmp_path, "validate").exit_code == 0
    write_account(
        tmp_path,
        "x",
        {"account.yaml": "id: x\nname: X\nowner: a\nreviewed: 2026-02-30\nposition: 1\nvalue: 1\n"},
    )
    assert ("KAM002", 4, 11) in findings_of(kam(tmp_path, "validate", "--format", "json"))


def test_manual_tier_needs_reason_and_must_exist(kam, tmp_path):
    write_account(
        tmp_path,
        "x",
        {
            "account.yaml": "id: x\nname: X\nowner: a\nreviewed: 2026-10-01\nposition: 1\nvalue: 1\ntier: Z\n"
        },
    )
    r = kam(tmp_path, "validate", "--format", "json")
    msgs = [f["message"] for f in r.json()["findings"]]
    assert any("not a defined tier" in m for m in msgs)
    assert any("tier_reason" in m for m in msgs)


def test_reference_to_missing_unit_and_competitor(kam, tmp_path):
    write_account(
        tmp_path,
        "x",
        {
            "stakeholders.yaml": "stakeholders:\n  - {id: a, name: A, attitude: 1, unit: sales, competitor: Vantor}\n"
        },
    )
    r = kam(tmp_path, "validate", "--format", "json")
    codes = findings_of(r)
    assert ("KAM003", 2, 41) in codes  # unit
    assert ("KAM003", 2, 60) in codes  # competitor
    hints = {f["column"]: f["hint"] for f in r.json()["findings"] if f["code"] == "KAM003"}
    assert hints == {  # nothing close to suggest: the rule's own hint, or the field's
        41: "Point at an existing id, or add the missing entry.",
        60: "Add it to `competitors` in account.yaml",
    }


def test_config_error_exits_2_with_its_own_line(kam, tmp_path):
    write_account(tmp_path, "good")
    (tmp_path / "kam.yaml").write_text("focus_tiers: [S]\nscore:\n  decision_makers: 50\n")
    r = kam(tmp_path, "validate")
    assert r.exit_code == 2
    assert "kam.yaml:3:3: KAM002" in r.stderr and "sum to 115" in r.stderr


def test_config_unknown_rule_code(kam, tmp_path):
    write_account(tmp_path, "good")
    (tmp_path / "kam.yaml").write_text("rules:\n  KAM10: off\n")
    r = kam(tmp_path, "validate")
    assert r.exit_code == 2 and "kam.yaml:2:3" in r.stderr


def test_missing_path_is_usage_error(kam, tmp_path):
    r = kam(tmp_path, "validate", "nowhere/")
    assert r.exit_code == 2
    assert "no such file or folder" in r.stderr
    # a bare word is an account id (SPEC 1): an unknown one is "not found", exit 1
    r = kam(tmp_path, "validate", "nowhere")
    assert r.exit_code == 1
    assert "no account 'nowhere'" in r.stderr


def test_no_accounts_folder(kam, tmp_path):
    r = kam(tmp_path, "grade")
    assert r.exit_code == 2 and "no accounts folder" in r.stderr


def test_unknown_format_is_usage_error(kam, tmp_path):
    write_account(tmp_path, "good")
    assert kam(tmp_path, "grade", "--format", "xml").exit_code == 2


HOSTILE = [
    b"",
    b"\x00\x01\x02",
    b"\xff\xfe\x00a",
    b"a: \xff\n",
    b"[1, 2]\n",
    b"just text\n",
    b"- - - -\n",
    b"a: &a [*a]\n",
    b"? [x]\n: 1\n",
    b"stakeholders: 12\n",
    b"stakeholders:\n  - 12\n",
    b"stakeholders:\n  - id: A B\n    name: 1\n    attitude: true\n",
    b"---\na: 1\n---\nb: 2\n",
    b"!!python/object:os.system\n",
    b"stakeholders: !!set {a}\n",
    b"\t- a\n",
    b"a: 'unterminated\n",
    b"stakeholders:\n  - {id: a, name: b, attitude: '?', intimacy: 9, layer: top, roles: D}\n",
    b"\xef\xbb\xbfstakeholders: []\n",
    b"stakeholders:\n" + b"  - {id: p, name: n, attitude: 1}\n" * 3,
    "stakeholders:\n  - {id: 'é', name: \"\\u202e\", attitude: 1}\n".encode(),
    b"<<: {stakeholders: []}\n",
    b"stakeholders: [{<<: 1}]\n",
    b"%YAML 9.9\n---\na: 1\n",
]


@pytest.mark.parametrize("content", HOSTILE, ids=[str(i) for i in range(len(HOSTILE))])
@pytest.mark.parametrize("name", ["account.yaml", "stakeholders.yaml", "org.yaml", "targets.yaml"])
def test_no_traceback_for_any_content(kam, tmp_path, content, name):
    write_account(tmp_path, "good")
    write_account(tmp_path, "bad", {name: content})
    for command in ("validate", "grade"):
        r = kam(tmp_path, command, "--format", "json")
        assert r.exit_code in (0, 1)
    check_still_graded(kam, tmp_path)


def test_cli_module_imports_nothing_heavy():
    code = (
        "import sys, kamtool.cli\n"
        "heavy = [m for m in ('jinja2', 'ruamel', 'ruamel.yaml', 'pydantic', 'rich') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    heavy = [m for m in out.stdout.strip().split(",") if m]
    assert not {"jinja2", "ruamel", "ruamel.yaml", "pydantic"} & set(heavy), heavy


def test_installed_entry_point(tmp_path):
    from conftest import venv_tool

    exe = venv_tool("kam")
    if exe is None:
        pytest.skip("kam entry point not on PATH (package not installed)")
    out = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("kam ")
    bad = subprocess.run([exe, "grade", str(tmp_path / "nope")], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_every_reference_kind_is_checked(kam, tmp_path):
    write_account(
        tmp_path,
        "x",
        {
            "account.yaml": "id: x\nname: X\nowner: a\nreviewed: 2026-10-01\nposition: 1\nvalue: 1\nneeds:\n  - {kind: individual, text: t, stakeholder: bos}\n",
            "org.yaml": "units:\n  - {id: sales, name: Sales, parent: hq}\n",
            "stakeholders.yaml": "stakeholders:\n  - {id: boss, name: B, attitude: 1, influences: [cfo]}\n",
            "targets.yaml": (
                "targets:\n  - {id: t1, kind: share, text: T, due: 2027-01-01, owner: a}\n"
                "relationship_goals:\n  - {stakeholder: cto, attitude: 1, by: 2027-01-01, owner: a}\n"
                "actions:\n  - {id: a1, text: A, owner: a, due: 2027-01-01, status: planned, stakeholder: ceo, target: t2}\n"
            ),
        },
    )
    r = kam(tmp_path, "validate", "--format", "json")
    got = sorted(
        (f["path"].split("/")[-1], f["line"], f["column"], f["code"]) for f in r.json()["findings"]
    )
    assert got == [
        ("account.yaml", 8, 46, "KAM003"),  # need stakeholder
        ("org.yaml", 2, 38, "KAM003"),  # unit parent
        ("stakeholders.yaml", 2, 51, "KAM003"),  # influences
        ("targets.yaml", 4, 19, "KAM003"),  # relationship goal
        ("targets.yaml", 6, 80, "KAM003"),  # action stakeholder
        ("targets.yaml", 6, 93, "KAM003"),  # action target
    ], got
    hints = [f["hint"] for f in r.json()["findings"]]
    assert "Did you mean 'boss'?" in hints


def test_unknown_roles_point_at_each_role(kam, tmp_path):
    """Each unknown role is reported at its own line and column (not at the list or its
    first item), and a second unknown role is not hidden behind the first."""
    write_account(
        tmp_path,
        "x",
        {
            "stakeholders.yaml": """\
                stakeholders:
                  - id: a
                    name: A
                    attitude: 1
                    roles:
                      - D
                      - S
                      - boss
                  - id: b
                    name: B
                    attitude: 1
                    roles: [D, decision-maker, X, Y]
                  - id: c
                    name: C
                    attitude: 1
                    roles: D
                """
        },
    )
    r = kam(tmp_path, "validate")
    assert r.exit_code == 1
    path = "accounts/x/stakeholders.yaml"
    assert f"{path}:8:9: KAM002 stakeholders #1 (a).roles #3: unknown role 'boss'" in r.stdout
    assert f"{path}:12:32: KAM002 stakeholders #2 (b).roles #3: unknown role 'X'" in r.stdout
    assert f"{path}:12:35: KAM002 stakeholders #2 (b).roles #4: unknown role 'Y'" in r.stdout
    assert (
        f"{path}:16:12: KAM002 stakeholders #3 (c).roles: must be a list in brackets, not a "
        "text: write roles: [D]" in r.stdout
    )


def test_a_name_of_only_spaces_is_empty_and_refused(kam, tmp_path):
    """Names are read without the spaces at their ends; one of only spaces (a full-width
    space typed in a Chinese editor) became "" and the map showed ", Chair of the Board".
    A name must say something: KAM002 at the value."""
    people = STAKEHOLDERS.replace("name: The Boss", 'name: "\u3000 "')
    write_account(tmp_path, "acme", {"stakeholders.yaml": people})
    r = kam(tmp_path, "validate", "--format", "json")
    found = [(f["code"], f["line"], f["message"]) for f in r.json()["findings"]]
    assert ("KAM002", 3, "stakeholders #1 (boss).name: must not be empty") in found, found
