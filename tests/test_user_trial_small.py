"""Defects of a user trial: the stale table by names, empty revisions, list items by
position from 1, and Chinese counts kept whole when a line wraps."""

from __future__ import annotations

import itertools
import re
import subprocess

import pytest

from conftest import dedent, write_account

HUAXIN = {
    "account.yaml": """\
        id: huaxin
        name: 华信通信股份有限公司
        owner: zhao.lei
        reviewed: 2026-10-01
        position: 4
        value: 4
        """,
    "stakeholders.yaml": """\
        stakeholders:
          - id: liu-yang
            name: 刘洋
            roles: [D]
            attitude: 1
            owner: zhao.lei
            backup: sun.li
            last_contact: 2026-06-01
            reviewed: 2026-11-01
          - id: ouyang-xiaoming
            name: 欧阳晓明
            roles: [E]
            attitude: 0
            owner: sun.li
            backup: zhao.lei
            reviewed: 2026-01-02
        """,
}


def _blocks(text: str) -> list[str]:
    """The rows of a narrow stale table: parted by lines of spaces only."""
    return [b for b in re.split(r"\n *\n", text) if b.strip()]


def test_stale_table_names_people_and_accounts_by_name_with_their_ids(kam, tmp_path):
    """`kam stale` named people and accounts by id only ('huaxin', 'liu-yang') where every
    other table names them ("Hansa Bank AG (hansa-bank)"). Now: name and id on one line
    with room, the id under the name at 80 columns (ids whole, rows parted), in English
    and Chinese; the JSON keeps the ids and adds the names."""
    from rich.cells import cell_len

    write_account(tmp_path, "huaxin", HUAXIN)
    write_account(
        tmp_path,
        "fjord-energi",
        {
            "account.yaml": """\
                id: fjord-energi
                name: Fjord Energi Nordvest Kraftselskap ASA
                owner: ola.nordmann
                reviewed: 2026-10-01
                position: 3
                value: 3
                """,
            "stakeholders.yaml": """\
                stakeholders:
                  - id: kari
                    name: Kari Nordmann-Haugland Sørensen
                    roles: [D]
                    attitude: 1
                    owner: ola.nordmann
                    backup: per.hansen
                    last_contact: 2026-01-15
                    reviewed: 2026-11-01
                """,
        },
    )
    day = ("--today", "2026-12-01", "--no-color")
    wide = kam(tmp_path, "stale", *day, env={"COLUMNS": "250"}).stdout
    assert "华信通信股份有限公司 (huaxin)" in wide
    assert "欧阳晓明 (ouyang-xiaoming)" in wide and "刘洋 (liu-yang)" in wide
    assert "Kari Nordmann-Haugland Sørensen (kari)" in wide
    assert "Fjord Energi Nordvest Kraftselskap ASA (fjord-energi)" in wide

    people = {"liu-yang": "刘洋", "ouyang-xiaoming": "欧阳晓明", "kari": "Kari"}
    accounts = {"huaxin": "华信通信", "fjord-energi": "Fjord"}
    for lang in ("en", "zh-CN"):
        text = kam(tmp_path, "stale", *day, "--lang", lang, env={"COLUMNS": "80"}).stdout
        assert max(cell_len(line) for line in text.splitlines()) <= 80
        found = kam(tmp_path, "stale", *day, "--lang", lang, "--format", "json").json()
        rows = [f for f in found["findings"] if f["data"].get("person")]
        assert len(rows) >= 4
        blocks = _blocks(text)
        for f in rows:
            account, person = f["account"], f["data"]["person"]
            # one row has the account's and the person's names, each id whole on a line
            assert any(
                accounts[account] in b
                and people[person] in b
                and re.search(rf"^ *\({re.escape(account)}\) ", b, re.M)
                and re.search(rf"  \({re.escape(person)}\) ", b)
                for b in blocks
            ), (person, text)

    data = kam(tmp_path, "stale", *day, "--format", "json").json()["findings"]
    by_person = {f["data"]["person"]: f["data"] for f in data if f["data"].get("person")}
    assert by_person["ouyang-xiaoming"]["person_name"] == "欧阳晓明"
    assert by_person["ouyang-xiaoming"]["account_name"] == "华信通信股份有限公司"
    assert by_person["kari"]["person_name"] == "Kari Nordmann-Haugland Sørensen"
    account_level = [f for f in data if f["data"].get("person") is None]
    assert all(f["data"]["account_name"] for f in account_level)


def test_stale_table_of_a_future_log_date_names_the_account(kam, tmp_path):
    """A log entry dated in the future (KAM206) had no data: its stale row read '(account)',
    no field, 'never'. It now says the date, how far ahead, and the account by name."""
    files = dict(HUAXIN)
    files["log.yaml"] = """\
        entries:
          - date: 2027-01-05
            with: [liu-yang]
            by: [zhao.lei]
            summary: the year mistyped
        """
    write_account(tmp_path, "huaxin", files)
    text = kam(tmp_path, "stale", "--today", "2026-12-01", env={"COLUMNS": "200"}).stdout
    (row,) = [line for line in text.splitlines() if "2027-01-05" in line]
    assert "华信通信股份有限公司 (huaxin)" in row and "in 35d" in row and "log.yaml:2" in row


def _git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)


def _repo_with_a_change(root):
    """Two commits, and an attitude changed since: comparing HEAD with itself would say
    nothing changed; HEAD~1 with HEAD says what did."""
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.email", "kam@example.com")
    _git(root, "config", "user.name", "kam")
    write_account(root, "huaxin", HUAXIN)
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "first")
    people = root / "accounts" / "huaxin" / "stakeholders.yaml"
    people.write_text(
        people.read_text(encoding="utf-8").replace("attitude: 1", "attitude: -1"),
        encoding="utf-8",
    )
    _git(root, "commit", "-qam", "liu-yang turned")
    return root


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (("diff", ""), "BASE"),
        (("diff", " "), "BASE"),
        (("diff", "", "HEAD"), "BASE"),
        (("diff", "HEAD~1", ""), "HEAD"),
        (("diff", ".."), "BASE"),
        (("diff", "..."), "BASE"),
        (("diff", "", "--fail-on-worse"), "BASE"),
        (("history", "--since", ""), "--since"),
        (("history", "huaxin", "--until", ""), "--until"),
        (("portfolio", "--since", ""), "--since"),
        (("portfolio", "--since", "", "--format", "json"), "--since"),
    ],
)
def test_an_empty_revision_is_an_error_not_head(kam, tmp_path, args, what):
    """`kam diff ""` (a CI job's `kam diff "$BASE"` with the variable unset) compared HEAD
    with the working tree and passed; `history --since ""` and `--until ""` read all of
    history. Each is now one line on stderr that names the empty argument, exit 2."""
    repo = _repo_with_a_change(tmp_path)
    r = kam(repo, *args)
    assert r.exit_code == 2, r.stdout
    assert r.stdout == ""
    (line,) = r.stderr.splitlines()
    assert line.startswith(f"kam: error: {what} is empty (")
    zh = kam(repo, "--lang", "zh-CN", *args)
    assert zh.exit_code == 2 and f"{what} 为空" in zh.stderr


def test_revisions_that_are_not_empty_still_compare(kam, tmp_path):
    """The check refuses only what is empty: a named base and git's own `main...` (the
    right side of a range left out is HEAD) still compare."""
    repo = _repo_with_a_change(tmp_path)
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse")
    assert r.exit_code == 1 and "liu-yang" in r.stdout
    assert kam(repo, "diff", "HEAD~1...").exit_code == 0
    assert kam(repo, "history", "huaxin", "--since", "2000-01-01").exit_code == 0


def test_schema_messages_count_list_items_from_1_and_name_them(kam, tmp_path):
    """KAM002 said `entries[1]` of the second log entry (counted from 0) while its line
    pointed at the second: every file kind now names a list item by its position from 1
    and, where it has one, its id, date or year; never by the value the message is about.
    The JSON fields are unchanged (only the message's words)."""
    write_account(
        tmp_path,
        "huaxin",
        {
            "account.yaml": dedent(HUAXIN["account.yaml"])
            + "value_curve:\n  - {year: 2025, expected: 100}\n  - {year: 2026, expected: lots}\n",
            "stakeholders.yaml": """\
                stakeholders:
                  - {id: liu-yang, name: 刘洋, attitude: 1, channels: [wechat, 42]}
                  - {id: wang-fei, name: 王菲, attitude: 1, last_contact: 2026/10/20}
                """,
            "log.yaml": """\
                entries:
                  - {date: 2026-10-02, with: [liu-yang], by: [zhao.lei], summary: lunch}
                  - {date: 2026-10-20, with: [liu-yang], by: zhao.lei, summary: visit}
                  - {date: 20.10.2026, with: [liu-yang], by: [zhao.lei], summary: call}
                """,
            "org.yaml": """\
                units:
                  - {id: hq, name: 总部}
                  - {id: it, nme: 信息中心}
                """,
        },
    )
    (tmp_path / "kam.yaml").write_text(
        "offerings:\n  - {id: core, name: Core}\n  - {id: radio, name: [Radio]}\n",
        encoding="utf-8",
    )
    r = kam(tmp_path, "validate", "huaxin", "--format", "json")
    assert r.exit_code == 2  # kam.yaml is invalid: a configuration error
    assert "kam.yaml:3:" in r.stderr and "offerings #2 (radio).name: must be a text" in r.stderr
    (tmp_path / "kam.yaml").unlink()

    r = kam(tmp_path, "validate", "huaxin", "--format", "json")
    found = {(f["path"].rsplit("/", 1)[-1], f["line"]): f for f in r.json()["findings"]}
    messages = {where: f["message"] for where, f in found.items()}
    all_messages = [f["message"] for f in r.json()["findings"]]
    assert messages[("stakeholders.yaml", 2)].startswith(
        "stakeholders #1 (liu-yang).channels #2: must be a text, not a number"
    )
    assert messages[("stakeholders.yaml", 3)].startswith(
        "stakeholders #2 (wang-fei).last_contact: must be a date"
    )
    assert messages[("log.yaml", 3)] == (
        "entries #2 (2026-10-20).by: must be a list, not a text "
        "(a list is written in brackets: by: [zhao.lei])"
    )
    # the entry whose date is wrong is not named by that date
    assert messages[("log.yaml", 4)].startswith("entries #3.date: must be a date")
    # the misspelt key is one finding, its did-you-mean naming the key it stands for
    assert not any(m.startswith("missing required key 'name'") for m in all_messages)
    assert "unknown key 'nme' in units #2 (it) (did you mean 'name'?)" in all_messages
    assert any(
        m.startswith("value_curve #2 (2026).expected: must be a number") for m in all_messages
    )
    assert not any(re.search(r"\[\d+\]", m) for m in all_messages)
    # the finding's fields as before: code, severity, path, line, column, message, hint
    assert all(
        set(f) == {"code", "severity", "path", "line", "column", "message", "hint", "account"}
        for f in r.json()["findings"]
    )

    zh = kam(tmp_path, "validate", "huaxin", "--lang", "zh-CN").stdout
    assert "KAM002 entries #2（2026-10-20）.by：必须是列表，而不是文本" in zh
    assert "KAM002 stakeholders #1（liu-yang）.channels #2：必须是文本" in zh


def _split_counts(text: str) -> list[str]:
    """Places where a wrapped line ends in a number and the next line goes on with its
    measure word ("已解决 1" / "个"), or a line ends in a measure word's first half."""
    lines = text.splitlines()
    return [
        f"{a.rstrip()!r} / {b.strip()!r}"
        for a, b in itertools.pairwise(lines)
        if re.search(r"\d$", a.rstrip()) and re.match(r"[│ ]*(个|项)", b.lstrip())
    ]


def test_chinese_counts_keep_their_measure_word_when_a_line_wraps(kam, tmp_path):
    """In an 80-column terminal a Chinese `kam diff` read '已解决 1' / '个' across two
    lines, and `kam history` '7' / '项变化'; `kam check` and `kam stale` split '6' / '个警告'
    at narrower widths. A number now stays with its measure word, at every width."""
    from rich.cells import cell_len

    repo = _repo_with_a_change(tmp_path)
    people = repo / "accounts" / "huaxin" / "stakeholders.yaml"
    people.write_text(
        people.read_text(encoding="utf-8").replace("backup: sun.li\n", ""), encoding="utf-8"
    )
    _git(repo, "commit", "-qam", "no backup for liu-yang")
    day = ("--today", "2026-12-01", "--lang", "zh-CN", "--no-color")
    seen_counts = 0
    for width in range(30, 81, 2):
        env = {"COLUMNS": str(width)}
        outputs = [
            kam(repo, "diff", "HEAD~2", *day[:2], *day[2:4], env=env).stdout,
            kam(repo, "history", "huaxin", *day, env=env).stdout,
            kam(repo, "check", *day, env=env).stdout,
            kam(repo, "stale", *day, env=env).stdout,
        ]
        for text in outputs:
            assert all(cell_len(line) <= width for line in text.splitlines()), (width, text)
            assert _split_counts(text) == [], (width, text)
            seen_counts += len(re.findall(r"\d (个|项)", text))
    assert seen_counts > 100  # the outputs do hold counts to keep whole
