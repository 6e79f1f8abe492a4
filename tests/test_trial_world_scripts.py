"""Trial: an international account team (Dubai, Moscow, Tokyo, Bangkok, Seoul) whose
customers' people and companies have names in Arabic, Cyrillic, Japanese (half-width
katakana too), Hangul, Thai and Devanagari (combining marks), with apostrophes, quotes,
pipes, angle brackets, ampersands and entity-like text (``#1;``). Every drawing must show
those names as written."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import write_account
from gitrepo import commit, new_repo
from test_plan_map_portfolio import mermaid_parse, node_modules

COMPANY = 'Al-Noor "Trading" | <LLC> & Sons #1; {Gulf}'

ACCOUNT = f"""\
id: alnoor
name: '{COMPANY}'
owner: li.ming
reviewed: 2026-10-01
position: 3
value: 3
"""

PEOPLE = {
    "thai": "ปิยะนุช ศรีสุข",  # vowel signs above and below: combining marks
    "hindi": "प्रिया शर्मा",  # virama and matras
    "irish": "Sean O'Brien",
    "quoted": 'Jack "The Hammer" <b>Smith</b> & Co #1;',
    "arabic": "محمد بن راشد",
}


def _stakeholders() -> str:
    out = ["stakeholders:"]
    for i, (pid, name) in enumerate(PEOPLE.items()):
        quoted = name.replace("'", "''")
        out += [
            f"  - id: {pid}",
            f"    name: '{quoted}'",
            "    roles: [D]" if i == 0 else "    roles: [I]",
            f"    attitude: {i - 2}",
            f"    intimacy: {2 - i}",
            "    owner: li.ming",
            "    last_contact: 2026-11-01",
        ]
    return "\n".join(out) + "\n"


def _decoded(text: str) -> str:
    """What Mermaid draws of a text with entity codes (``#60;``)."""
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)


def _account(root: Path) -> Path:
    return write_account(
        root, "alnoor", {"account.yaml": ACCOUNT, "stakeholders.yaml": _stakeholders()}
    )


def test_quadrant_shows_names_and_title_as_written(kam, tmp_path):
    """The quadrant chart kept only letters, digits and ' .-' of a name: the Thai and
    Devanagari combining marks went ("ป ยะน ช ศร ส ข", "प र य शर म"), and O'Brien became
    "O Brien"; its title dropped ``<LLC> &`` and Mermaid drew ``#1;`` as character 1."""
    _account(tmp_path)
    r = kam(tmp_path, "map", "alnoor", "--quadrant")
    assert r.exit_code == 0, r.stderr
    names = [
        _decoded(m.group(1)) for m in re.finditer(r'^    "(.+?)":::role\w+: \[', r.stdout, re.M)
    ]
    assert sorted(names) == sorted(PEOPLE.values())
    title = re.search(r"^    title (.+)$", r.stdout, re.M)
    assert title is not None
    assert _decoded(title.group(1)) == f"Intimacy and support: {COMPANY}"
    # nothing Mermaid or a browser would read as markup or an entity is left raw
    for raw in ("<b>", "&", "#1;", '"The'):
        assert raw not in r.stdout.replace("#38;", "").replace("#35;", "")
    if node_modules():
        parsed = mermaid_parse(tmp_path, {"q.mmd": r.stdout})
        assert parsed.returncode == 0, parsed.stdout


def test_power_map_title_keeps_angle_brackets_and_ampersand(kam, tmp_path):
    """The flowchart's front-matter title dropped ``< > & { }`` ("AT&T" read "AT T"):
    Mermaid's sanitiser lets no escape of them through, so they are look-alikes now."""
    _account(tmp_path)
    r = kam(tmp_path, "map", "alnoor", "--format", "mermaid")
    assert r.exit_code == 0, r.stderr
    assert (
        'title: "Al-Noor \\"Trading\\" | \u2039LLC\u203a \uff06 Sons #1; \uff5bGulf\uff5d: '
        'power map"' in r.stdout
    )
    # the labels keep decoding to the names as written, Thai and Devanagari included
    labels = [_decoded(m) for m in re.findall(r'\["([^"]*)"\]', r.stdout)]
    for name in PEOPLE.values():
        assert any(label.split("<br/>")[0] == name for label in labels), name
    if node_modules():
        parsed = mermaid_parse(tmp_path, {"m.mmd": r.stdout})
        assert parsed.returncode == 0, parsed.stdout


def test_history_chart_title_shows_the_name_as_written(kam, tmp_path):
    """The xychart title of `kam history --format markdown` turned quotes and backticks
    into apostrophes and left ``#1;`` raw, which Mermaid drew as character 1."""
    repo = new_repo(tmp_path / "repo")
    _account(repo)
    commit(repo, "first", date="2026-11-01")
    people = repo / "accounts" / "alnoor" / "stakeholders.yaml"
    people.write_text(people.read_text().replace("attitude: -2", "attitude: 1"))
    commit(repo, "won over", date="2026-11-10")
    r = kam(repo, "history", "alnoor", "--format", "markdown")
    assert r.exit_code == 0, r.stderr
    title = re.search(r'^    title "(.+)"$', r.stdout, re.M)
    assert title is not None
    assert _decoded(title.group(1)) == f"{COMPANY}: relationship score"
    if node_modules():
        chart = r.stdout.split("```mermaid\n")[1].split("```")[0]
        parsed = mermaid_parse(tmp_path, {"h.mmd": chart})
        assert parsed.returncode == 0, parsed.stdout


def test_log_takes_the_handle_the_agenda_prints(kam, tmp_path):
    """People owned by ``o'brien`` (a handle the files accept) got agenda items saying
    `kam log ... --by "o'brien"`, and that command was refused: "is not a handle"."""
    import shlex

    import yaml

    people = _stakeholders().replace("owner: li.ming", 'owner: "o\'brien"')
    people = people.replace("last_contact: 2026-11-01", "last_contact: 2026-06-01")
    folder = write_account(
        tmp_path, "alnoor", {"account.yaml": ACCOUNT, "stakeholders.yaml": people}
    )
    agenda = kam(tmp_path, "agenda", "--format", "json")
    assert agenda.exit_code == 0, agenda.stderr
    commands = [i["command"] for i in agenda.json()["items"] if "--by" in i["command"]]
    assert commands and all('--by "o\'brien"' in c for c in commands)
    args = shlex.split(commands[0])
    assert args[0] == "kam"
    r = kam(tmp_path, *args[1:])
    assert r.exit_code == 0, r.stderr
    entries = yaml.safe_load((folder / "log.yaml").read_text(encoding="utf-8"))["entries"]
    assert entries[-1]["by"] == ["o'brien"]
    assert kam(tmp_path, "validate").exit_code == 0
    # a handle the account does not name yet is still checked
    r = kam(tmp_path, "log", "alnoor", "irish", "--by", "new'person")
    assert r.exit_code == 2 and "is not a handle" in r.stderr


def test_a_name_is_found_in_either_width_or_unicode_form(kam, tmp_path):
    """A Tokyo user typed サトウ ハナコ (full-width, as the input method gives it) for a
    person imported from a CRM as ｻﾄｳ ﾊﾅｺ (half-width katakana): "no stakeholder", and
    no "did you mean" either. So was a "Zoë" typed precomposed for a decomposed one."""
    import unicodedata

    people = dedent_people(
        [("sato", "ｻﾄｳ ﾊﾅｺ"), ("zoe", unicodedata.normalize("NFD", "Zoë Martin"))]
    )
    folder = write_account(tmp_path, "tokyo", {"stakeholders.yaml": people})
    for typed, pid in (("サトウ ハナコ", "sato"), ("Zoë Martin", "zoe")):
        r = kam(tmp_path, "log", "tokyo", typed, "-m", "met")
        assert r.exit_code == 0, r.stderr
        assert f"({pid})" in r.stdout
        r = kam(tmp_path, "touch", "tokyo", typed, "--contact", "2026-11-20")
        assert r.exit_code == 0, r.stderr
    assert "with: [zoe]" in (folder / "log.yaml").read_text(encoding="utf-8")


def dedent_people(people: list[tuple[str, str]]) -> str:
    out = ["stakeholders:"]
    for pid, name in people:
        out += [f"  - id: {pid}", f"    name: {name}", "    attitude: 1", "    owner: li.ming"]
    return "\n".join(out) + "\n"


def test_joiners_and_direction_marks_stay_in_the_tree_and_titles(kam, tmp_path):
    """`kam map --format tree` printed "Zoë 👩\ufffd💻": the zero-width joiner of the emoji
    sequence (and of a Persian word, ZWNJ) counted as a control character."""
    coder = "Zoë 👩\u200d💻"
    persian = "می\u200cخواهم"
    rtl = "\u200fمحمد"
    people = dedent_people([("zoe", coder), ("reza", persian), ("mo", rtl)])
    account = "id: emoji\nname: 'Dev 👩\u200d💻 Team'\nowner: li.ming\nreviewed: 2026-10-01\n"
    account += "position: 3\nvalue: 3\n"
    write_account(tmp_path, "emoji", {"account.yaml": account, "stakeholders.yaml": people})
    tree = kam(tmp_path, "map", "emoji", "--format", "tree", "--no-color")
    assert tree.exit_code == 0, tree.stderr
    assert "\ufffd" not in tree.stdout
    for name in (coder, persian, "محمد"):
        assert name in tree.stdout
    mm = kam(tmp_path, "map", "emoji", "--format", "mermaid").stdout
    assert 'title: "Dev 👩\u200d💻 Team: power map"' in mm
    labels = [_decoded(m).split("<br/>")[0] for m in re.findall(r'\["([^"]*)"\]', mm)]
    assert coder in labels and persian in labels


def _cells(line: str) -> int:
    """A line's width as a terminal draws it (glibc's wcwidth, xterm, VTE, tmux): wide and
    full-width characters 2, combining marks that do not space (Mn, Me) and format
    characters 0, everything else, a spacing vowel sign (Mc) included, 1."""
    import unicodedata

    width = 0
    for ch in line:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def test_tables_with_hindi_names_fit_the_terminal(kam, tmp_path):
    """A row naming राजेश कुमार came out 3 cells wider than the terminal (rich counts a
    Devanagari spacing vowel sign as no cell, the terminal draws it in one) and wrapped:
    a border alone on the next line, "warni" / "ng"."""
    hindi = [
        ("rajesh", "राजेश कुमार"),
        ("priya", "प्रिया शर्मा"),
        ("anil", "अनिल कुमार सिन्हा"),
        ("sunita", "सुनीता देवी"),
    ]
    people = dedent_people(hindi).replace("attitude: 1", 'attitude: "?"\n    roles: [D]')
    write_account(tmp_path, "delhi", {"stakeholders.yaml": people})
    for width in (60, 80, 100):
        for args in (("stale", "--no-color"), ("agenda", "--no-color", "--days", "30")):
            r = kam(tmp_path, *args, env={"COLUMNS": str(width)})
            assert "राजेश कुमार" in r.stdout, r.stdout
            lines = r.stdout.splitlines()
            assert max(map(_cells, lines)) <= width, (width, args, r.stdout)
            boxed = [_cells(line) for line in lines if line.startswith(("│", "┃", "┏", "└"))]
            assert len(set(boxed)) <= 1, (width, args, r.stdout)
