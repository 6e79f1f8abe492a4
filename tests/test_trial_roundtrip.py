"""Trial: kam's write commands (log, touch, import) on files written by other people, in
their own style, as a pull request reviews them.

An edit by kam changes only what it means to change, written the way the file already
writes it: the new log entry or person right after the last one, with its dash, key
column, key quotes and blank line between items as the file has them; the file's footer
(a comment at the dashes' column, blank lines, a document end ``...``, a missing last line
break) stays at the end. Every file here is written by hand, not by kam's generator, and
each edit is checked through the real CLI: the diff (only the lines meant), the data read
back (the old data plus the change), and ``kam check`` (the same findings but the ones the
edit meant to resolve). Files kam cannot edit safely are refused, exit 1, untouched.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import time

import pytest

from conftest import write_account
from gitrepo import commit, git, new_repo
from kamtool.load.yamlread import parse

ACCOUNT = """\
id: acme
name: Acme 华信
owner: li.ming
reviewed: 2026-10-01
position: 3
value: 3
"""

PEOPLE = """\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    last_contact: 2026-11-20
  - id: cfo
    name: 张伟
    roles: [D]
    attitude: "?"
    owner: li.ming
    backup: wang.fang
"""


def _repo(tmp_path, files: dict[str, bytes]):
    """A git repository holding the account ``acme`` with ``files`` (bytes, as typed),
    committed, so that ``git diff`` shows what kam changed."""
    root = new_repo(tmp_path / "team")
    (root / "kam.yaml").write_text("accounts: accounts\n")
    folder = write_account(root, "acme", {"account.yaml": ACCOUNT, "stakeholders.yaml": PEOPLE})
    for name, data in files.items():
        (folder / name).write_bytes(data)
    commit(root, "hand-written")
    return root, folder


def _findings(kam, root) -> set[tuple[str, str, str]]:
    r = kam(root, "check", "--format", "json")
    return {(f["code"], f["path"], f["message"]) for f in r.json()["findings"]}


def _added_only(old: bytes, new: bytes) -> list[str]:
    """The lines ``new`` adds to ``old``; fails when it removes or changes any."""
    a, b = old.decode("utf-8-sig").splitlines(True), new.decode("utf-8-sig").splitlines(True)
    added = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        # the last line without its line break gets one when lines go after it
        assert op == "insert" or (i2 - i1 == 1 and a[i1] + b[j1][len(a[i1]) :] == b[j1]), (
            op,
            a[i1:i2],
            b[j1:j2],
        )
        added += b[j1:j2] if op == "insert" else b[j1 + 1 : j2]
    return added


# ---------------------------------------------------------------- kam log
NEW_ENTRY = ["date: 2026-11-24", "with: [cfo]", "by: [li.ming]", "kind: call", "summary: 预算"]
LOG_ARGS = ["log", "acme", "张伟", "--kind", "call", "-m", "预算"]


def _entry(lead: str, *, quote: str = "") -> str:
    pad = " " * len(lead)
    lines = []
    for i, field in enumerate(NEW_ENTRY):
        key, value = field.split(": ", 1)
        lines.append(f"{lead if i == 0 else pad}{quote}{key}{quote}: {value}\n")
    return "".join(lines)


# (log.yaml as typed, where the new entry goes: the text it follows, the entry's text)
LOGS = {
    # a document start and end, a modeline: the entry goes above the "..."
    "document-end": (
        "# yaml-language-server: $schema=../../schemas/log.schema.json\n---\nentries:\n"
        "  - date: 2026-11-01\n    with: [boss]\n    by: [li.ming]\n...\n",
        "    by: [li.ming]\n",
        _entry("  - "),
    ),
    # four-space style: "-   " before each item's first key, the others under it
    "four-space": (
        "entries:\n-   date: 2026-11-01\n    with: [boss]\n    by: [li.ming]\n"
        "    summary: >-\n        A long folded summary\n        over two lines.\n",
        "        over two lines.\n",
        _entry("-   "),
    ),
    # the example accounts' own style: a blank line between entries
    "blank-lines": (
        "entries:\n  - date: 2026-11-01\n    with: [boss]\n    by: [li.ming]\n\n"
        "  # a comment above the second entry\n"
        "  - date: 2026-11-02\n    with: [boss]\n    by: [li.ming]\n    next: call back\n",
        "    next: call back\n",
        "\n" + _entry("  - "),
    ),
    # a footer: blank lines and a comment at the dashes' column stay at the end, as does
    # the missing last line break; a comment indented under the last entry is its own
    "footer": (
        "entries:\n  - date: 2026-11-01\n    with: [boss]\n    by: [li.ming]\n"
        "    # more about this call to come\n\n\n# end of the 2026 log\t(tab)",
        "    # more about this call to come\n",
        _entry("  - "),
    ),
    # every key quoted
    "quoted-keys": (
        'entries:\n  - "date": 2026-11-01\n    "with": ["boss"]\n    "by": ["li.ming"]\n',
        '    "by": ["li.ming"]\n',
        _entry("  - ", quote='"'),
    ),
    # a kept block text ("|+") ends in its blank line: the entry goes after it
    "kept-text": (
        "entries:\n  - date: 2026-11-01\n    with: [boss]\n    by: [li.ming]\n"
        "    summary: |+\n      kept\n\n",
        "      kept\n\n",
        _entry("  - "),
    ),
}


@pytest.mark.parametrize("style", list(LOGS))
@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_log_appends_after_the_last_entry_in_the_file_s_own_layout(kam, tmp_path, style, crlf):
    """Trial defects: `kam log` put the entry at the end of the file, after a footer
    comment, and refused a file ending in a document end `...` ("did not find expected
    <document start>"); it wrote `  - date:` with two-space keys under a file's `-   date:`
    four-space items, glued the entry to the last one where the file (as the example
    accounts do) parts entries by a blank line, and wrote plain keys in a file that
    quotes them."""
    text, after, entry = LOGS[style]
    nl = "\r\n" if crlf else "\n"
    old = ("\ufeff" if crlf else "") + text.replace("\n", nl)
    root, folder = _repo(tmp_path, {"log.yaml": old.encode()})
    before = _findings(kam, root)
    r = kam(root, *LOG_ARGS)
    assert r.exit_code == 0, r.stderr
    new = (folder / "log.yaml").read_bytes().decode()
    at = old.index(after.replace("\n", nl)) + len(after.replace("\n", nl))
    assert new == old[:at] + entry.replace("\n", nl) + old[at:]
    # the data: the old entries and the new one; the findings: the same
    assert (
        parse(new.lstrip("\ufeff")).data["entries"][:-1]
        == parse(old.lstrip("\ufeff")).data["entries"]
    )
    resolved = {f for f in before if f[0] == "KAM204" and "(cfo)" in f[2]}
    assert resolved and _findings(kam, root) == before - resolved
    assert "log.yaml" in git(root, "diff", "--stat")
    git(root, "checkout", "--", ".")  # undo by git: the file as it was, byte for byte
    assert (folder / "log.yaml").read_bytes() == old.encode()


def test_log_into_a_flow_list_of_one_item_a_line(kam, tmp_path):
    """Trial defect: in a flow list of one entry a line, its "]" on a line of its own and
    no comma after the last entry, the entry went onto the "]" line (`, {date: ...}]`);
    it goes on a line of its own, a comma after the last entry, before its comment."""
    old = (
        "entries: [\n"
        "    {date: 2026-11-01, with: [boss], by: [li.ming]},\n"
        "    {date: 2026-11-02, with: [boss], by: [li.ming]}  # the last one\n"
        "]\n# end\n"
    )
    root, folder = _repo(tmp_path, {"log.yaml": old.encode()})
    r = kam(root, *LOG_ARGS)
    assert r.exit_code == 0, r.stderr
    assert (folder / "log.yaml").read_text() == (
        "entries: [\n"
        "    {date: 2026-11-01, with: [boss], by: [li.ming]},\n"
        "    {date: 2026-11-02, with: [boss], by: [li.ming]},  # the last one\n"
        "    {date: 2026-11-24, with: [cfo], by: [li.ming], kind: call, summary: 预算}\n"
        "]\n# end\n"
    )


# ---------------------------------------------------------------- kam touch
def test_touch_writes_a_new_key_quoted_as_the_entry_s_keys(kam, tmp_path):
    """Trial defect: in a file that quotes every key, `kam touch` added a plain
    `last_contact:` under `"owner": "li.ming"`."""
    people = (
        '"stakeholders":\n'
        '    - "id": "cfo"\n'
        '      "name": "张伟"   # CFO\n'
        '      "roles": ["D"]\n'
        '      "attitude": "?"\n'
        '      "owner": "li.ming"\n'
        '      "backup": "wang.fang"\n'
        "    - {'id': 'eng', 'name': 'Eng', 'roles': ['E'], 'attitude': 1, 'owner': 'li.ming'}\n"
    )
    root, folder = _repo(tmp_path, {"stakeholders.yaml": people.encode()})
    assert kam(root, "touch", "acme", "cfo").exit_code == 0
    assert kam(root, "touch", "acme", "eng", "--reviewed", "today").exit_code == 0
    assert (folder / "stakeholders.yaml").read_text() == people.replace(
        '"wang.fang"\n', '"wang.fang"\n      "last_contact": 2026-11-24\n'
    ).replace("'li.ming'}", "'li.ming', 'reviewed': 2026-11-24}")


# ---------------------------------------------------------------- kam import
EXPORT = (
    "Id,FirstName,LastName,Title,ReportsToId\n"
    "003A,The,Boss,Chief Executive,\n"
    "003B,Wei,Zhang,CFO 财务总监,003A\n"
)


@pytest.mark.parametrize(
    ("people", "added"),
    [
        (  # four-space items parted by blank lines: the new person too
            "stakeholders:\n-   id: boss\n    name: The Boss\n    roles: [D]\n    attitude: 2\n"
            "    owner: li.ming\n\n-   id: cfo\n    name: 张伟\n    roles: [D]\n"
            '    attitude: "?"\n    owner: li.ming\n# footer\n',
            '\n-   id: wei-zhang\n    name: Wei Zhang\n    title: CFO 财务总监\n    reports_to: boss\n    attitude: "?"\n    crm_id: 003B\n',
        ),
        (  # every key quoted
            '"stakeholders":\n  - "id": "boss"\n    "name": "The Boss"\n    "roles": ["D"]\n'
            '    "attitude": 2\n    "owner": "li.ming"\n',
            '  - "id": wei-zhang\n    "name": Wei Zhang\n    "title": CFO 财务总监\n    "reports_to": boss\n    "attitude": "?"\n    "crm_id": 003B\n',
        ),
        (  # one person a line, as a flow mapping
            "stakeholders:\n  - {id: boss, name: The Boss, roles: [D], attitude: 2, owner: li.ming}\n",
            '  - {id: wei-zhang, name: Wei Zhang, title: CFO 财务总监, reports_to: boss, attitude: "?", crm_id: 003B}\n',
        ),
    ],
    ids=["four-space-blank-lines", "quoted-keys", "flow-people"],
)
def test_import_writes_a_new_person_as_the_last_one_is_written(kam, tmp_path, people, added):
    """Trial defects: `kam import csv` wrote each new person in its own `  - id:` block
    style, whatever the file's: under flow-mapping people (`- {id: ..., name: ...}`),
    under people whose keys are all quoted, with no blank line where the file parts its
    people by one, and (taking the first person's layout) where the last differs."""
    root, folder = _repo(tmp_path, {"stakeholders.yaml": people.encode()})
    (root / "c.csv").write_text(EXPORT)
    r = kam(root, "import", "csv", "c.csv", "--account", "acme")
    assert r.exit_code == 0, r.stderr
    new = (folder / "stakeholders.yaml").read_text()
    assert added in new
    assert new.endswith(added + "# footer\n" if "# footer" in people else added)
    old_people, new_people = parse(people).data["stakeholders"], parse(new).data["stakeholders"]
    assert [p["id"] for p in new_people] == [*(p["id"] for p in old_people), "wei-zhang"]
    assert {k: v for k, v in new_people[0].items() if k not in ("title", "crm_id")} == old_people[0]
    assert kam(root, "validate").exit_code == 0


# ---------------------------------------------------------------- refusals
def test_refusals_leave_the_file_as_it_was(kam, tmp_path):
    """What kam cannot edit safely is refused with exit 1 and one error line, the file
    untouched: a read-only file, a file that is a symbolic link, duplicate keys."""
    root, folder = _repo(tmp_path, {"log.yaml": b"entries: []\n"})
    people = folder / "stakeholders.yaml"
    old = people.read_bytes()
    people.chmod(0o444)
    r = kam(root, "touch", "acme", "cfo")
    assert (r.exit_code, r.stderr.splitlines()) == (
        1,
        ["kam: error: accounts/acme/stakeholders.yaml is read-only: not changed"],
    )
    people.chmod(0o644)
    (root / "shared.yaml").write_bytes(old)
    people.unlink()
    os.symlink("../../shared.yaml", people)
    r = kam(root, "touch", "acme", "cfo")
    assert r.exit_code == 1 and "is a symbolic link: not replaced" in r.stderr
    assert (root / "shared.yaml").read_bytes() == old
    people.unlink()
    doubled = old.replace(
        b"    owner: li.ming\n    backup", b"    owner: li.ming\n    owner: x\n    backup"
    )
    people.write_bytes(doubled)
    for args in (["touch", "acme", "cfo"], LOG_ARGS):
        r = kam(root, *args)
        assert r.exit_code == 1 and "cannot be changed safely" in r.stderr.splitlines()[-1]
    assert people.read_bytes() == doubled
    assert (folder / "log.yaml").read_bytes() == b"entries: []\n"


def test_two_writers_at_once_both_land(tmp_path):
    """`kam log` and `kam touch` at the same moment on one account, three rounds: every
    entry and the date land, the files read back valid."""
    from conftest import venv_tool

    exe = venv_tool("kam")
    if exe is None:
        pytest.skip("kam entry point not installed")
    log = "entries:\n-   date: 2026-11-01\n    with: [boss]\n    by: [li.ming]\n\n# end\n"
    root, folder = _repo(tmp_path, {"log.yaml": log.encode()})
    env = {**os.environ, "KAM_TODAY": "2026-11-24"}
    for n in range(3):
        procs = [
            subprocess.Popen([exe, *args], cwd=root, env=env)
            for args in (
                ["log", "acme", "boss", "-m", f"a{n}"],
                ["log", "acme", "cfo", "-m", f"b{n}"],
                ["touch", "acme", "cfo", "--reviewed", "today"],
            )
        ]
        assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    data = parse((folder / "log.yaml").read_text()).data
    assert sorted(e.get("summary", "") for e in data["entries"]) == [
        "",
        *sorted(f"{x}{n}" for x in "ab" for n in range(3)),
    ]
    assert (folder / "log.yaml").read_text().endswith("\n\n# end\n")
    assert subprocess.run([exe, "validate"], cwd=root, env=env).returncode == 0


def test_an_import_that_lost_a_race_says_so_in_one_line_with_the_file_s_path(kam, tmp_path):
    """Trial defect: a `kam touch` landing while `kam import` was writing had the import
    refuse with the file's absolute path (`/home/.../accounts/acme/stakeholders.yaml
    changed on disk ...`) and in English whatever the language: the path as every other
    message names it, the words translated. The touch's change stays."""
    from conftest import venv_tool

    exe = venv_tool("kam")
    if exe is None:
        pytest.skip("kam entry point not installed")
    root, folder = _repo(tmp_path, {})
    (root / "c.csv").write_text(EXPORT)
    gate = tmp_path / "gate"
    env = {
        **os.environ,
        "KAM_TODAY": "2026-11-24",
        "KAM_FAULT": "pause-before-check",
        "KAM_FAULT_GATE": str(gate),
    }
    importing = subprocess.Popen(
        [exe, "import", "csv", "c.csv", "--account", "acme"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    ready = tmp_path / "gate.ready"
    for _ in range(3000):
        if ready.exists() or importing.poll() is not None:
            break
        time.sleep(0.01)
    assert ready.exists()
    assert kam(root, "touch", "acme", "cfo").exit_code == 0
    touched = (folder / "stakeholders.yaml").read_bytes()
    gate.write_text("go")
    _out, err = importing.communicate(timeout=120)
    assert importing.returncode == 1
    assert err.splitlines() == [
        "kam: error: accounts/acme/stakeholders.yaml changed on disk while kam was updating "
        "it: nothing written, run again"
    ]
    assert (folder / "stakeholders.yaml").read_bytes() == touched
    assert not list(folder.glob(".*kamtmp"))


def test_import_keeps_the_quotes_of_a_value_it_replaces(kam, tmp_path):
    """Trial defect: `kam import` replaced `title: "Head of IT"` by `title: CIO` and
    `title: 'Finance'` by a double-quoted text: the pull request showed a change of
    quoting the team had not made. A replaced value keeps its quotes."""
    people = (
        "stakeholders:\n"
        '  - id: boss\n    name: The Boss\n    title: "Head of IT"\n    roles: [D]\n'
        "    attitude: 2\n    owner: li.ming\n    crm_id: '003A'\n"
        "  - id: cfo\n    name: Wei Zhang\n    title: 'Finance'   # since 2024\n"
        '    roles: [D]\n    attitude: 1\n    owner: li.ming\n    crm_id: "003B"\n'
    )
    root, folder = _repo(tmp_path, {"stakeholders.yaml": people.encode()})
    (root / "c.csv").write_text(
        'Id,FirstName,LastName,Title\n003A,The,Boss,CIO\n003B,Wei,Zhang,"CFO: ""it\'s"" 财务"\n'
    )
    r = kam(root, "import", "csv", "c.csv", "--account", "acme")
    assert r.exit_code == 0, r.stderr
    assert (folder / "stakeholders.yaml").read_text() == people.replace(
        '"Head of IT"', '"CIO"'
    ).replace("'Finance'", "'CFO: \"it''s\" 财务'")
    assert (
        parse((folder / "stakeholders.yaml").read_text()).data["stakeholders"][1]["title"]
        == 'CFO: "it\'s" 财务'
    )


@pytest.mark.parametrize(
    "dashes", ["- ", "  - ", "-   "], ids=["not-indented", "indented", "four-space"]
)
def test_log_writes_block_lists_where_the_last_entry_has_them(kam, tmp_path, dashes):
    """Trial defect: under entries that write `with:` and `by:` as block lists (their
    dashes indented under the key or not, `-   boss` in a four-space file), `kam log`
    wrote `with: [cfo]`."""
    old = (
        "entries:\n- date: 2026-11-01\n  with:\n"
        f"  {dashes}boss\n  by:\n  {dashes}li.ming\n  kind: call\n"
    )
    root, folder = _repo(tmp_path, {"log.yaml": old.encode()})
    r = kam(root, "log", "acme", "张伟", "boss", "--by", "li.ming", "--by", "wang.fang")
    assert r.exit_code == 0, r.stderr
    assert (folder / "log.yaml").read_text() == old + (
        f"- date: 2026-11-24\n  with:\n  {dashes}cfo\n  {dashes}boss\n"
        f"  by:\n  {dashes}li.ming\n  {dashes}wang.fang\n  kind: meeting\n"
    )


def test_a_file_that_mixes_crlf_and_lf_keeps_each_line_s_ending(kam, tmp_path):
    """Trial defect: in a stakeholders.yaml saved on Windows (CRLF) and extended in
    another editor (LF), `kam touch` and `kam import` wrote every line in CRLF: a
    one-date edit showed as every LF line changed. Each line the edit keeps keeps its own
    ending; a line it adds ends as the line above it."""
    people = (
        "# saved on Windows\r\nstakeholders:\r\n  - id: boss\r\n    name: The Boss\r\n"
        "    roles: [D]\r\n    attitude: 2\r\n    owner: li.ming\r\n    backup: wang.fang\n"
        "    last_contact: 2026-11-01\n  - id: cfo\n    name: 张伟\n    roles: [I]\n"
        "    attitude: 1\n"
    )
    root, folder = _repo(tmp_path, {"stakeholders.yaml": people.encode()})
    path = folder / "stakeholders.yaml"
    assert kam(root, "touch", "acme", "boss").exit_code == 0
    assert kam(root, "touch", "acme", "cfo").exit_code == 0
    assert path.read_bytes() == people.replace("2026-11-01", "2026-11-24").encode() + (
        b"    last_contact: 2026-11-24\n"
    )
    (root / "c.csv").write_text("Id,FirstName,LastName,Title\n003A,The,Boss,CIO\n")
    assert kam(root, "import", "csv", "c.csv", "--account", "acme").exit_code == 0
    assert (
        b"    backup: wang.fang\n    last_contact: 2026-11-24\n    title: CIO\n    crm_id: 003A\n"
        in (path.read_bytes())
    )
    assert path.read_bytes().startswith(people[: people.index("    backup")].encode())
    # a file in CRLF throughout stays so
    crlf = people.replace("\r\n", "\n").replace("\n", "\r\n")
    path.write_bytes(crlf.encode())
    assert kam(root, "touch", "acme", "cfo", "--reviewed", "today").exit_code == 0
    assert path.read_bytes() == crlf.encode() + b"    reviewed: 2026-11-24\r\n"


def test_log_lines_end_as_the_line_above_them(kam, tmp_path):
    """In a log that mixes CRLF and LF, the new entry's lines end as the last entry's
    last line does (they took the first line's ending: CRLF lines among LF ones)."""
    old = "# log\r\nentries:\r\n  - date: 2026-11-01\r\n    with: [boss]\n    by: [li.ming]\n"
    root, folder = _repo(tmp_path, {"log.yaml": old.encode()})
    assert kam(root, *LOG_ARGS).exit_code == 0
    assert (folder / "log.yaml").read_bytes() == (old + _entry("  - ")).encode()


def test_a_new_log_follows_the_account_s_item_layout(kam, tmp_path):
    """Trial defect: in an account written with four-space items (`-   id: boss`), the
    log.yaml that `kam log` started wrote `  - date:`; it starts its list as the
    account's stakeholders.yaml does, as it takes their line ending."""
    people = PEOPLE.replace("  - ", "-   ").replace("\n    ", "\n    ")
    root, folder = _repo(tmp_path, {"stakeholders.yaml": people.encode()})
    r = kam(root, *LOG_ARGS)
    assert r.exit_code == 0, r.stderr
    assert (folder / "log.yaml").read_text().endswith("entries:\n" + _entry("-   "))
    (folder / "log.yaml").write_text("# nothing yet\n")
    assert kam(root, *LOG_ARGS).exit_code == 0
    assert (folder / "log.yaml").read_text() == "# nothing yet\nentries:\n" + _entry("-   ")


def test_touch_and_import_keep_a_value_s_tag_and_anchor(kam, tmp_path):
    """Trial defect: `kam touch` replaced `last_contact: !!str 2026-11-20` by a bare date
    and `kam import` `title: !!str 2024` by `title: "CIO"` without its tag: the tag (how
    the value reads) went with the old value. The edit keeps a value's tag, as it keeps
    an anchor nothing uses."""
    people = PEOPLE.replace("last_contact: 2026-11-20", "last_contact: !!str 2026-11-20").replace(
        "    name: 张伟\n", "    name: 张伟\n    title: &t !!str Head of IT   # tagged\n"
    )
    root, folder = _repo(tmp_path, {"stakeholders.yaml": people.encode()})
    assert kam(root, "touch", "acme", "boss").exit_code == 0
    (root / "c.csv").write_text("Id,Name,Title\n003B,张伟,CIO\n")
    r = kam(root, "import", "csv", "c.csv", "--account", "acme")
    assert r.exit_code == 0, r.stderr
    text = (folder / "stakeholders.yaml").read_text()
    assert "    last_contact: !!str 2026-11-24\n" in text
    assert "    title: &t !!str CIO   # tagged\n" in text
