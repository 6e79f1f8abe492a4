"""A 40-column terminal and long unbroken ids and names: every table that cannot fit
even in its narrow form is shown as records (term.record_lines), so nothing is cut, no
column is squeezed to nothing, and no line is wider than the terminal."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from conftest import EXAMPLES, STAKEHOLDERS, write_account

LONG_ID = "guangzhou-international-heavy-industries-and-logistics-holding-group"
LONG_PERSON = "a-very-long-stakeholder-identifier-without-any-break-at-all"
LONG_OWNER = "zhang.sanfeng.extremely-long-handle-name"
LONG_NAME = "欧阳明远欧阳明远欧阳明远欧阳明远欧阳明远"

PEOPLE = f"""\
stakeholders:
  - id: {LONG_PERSON}
    name: {LONG_NAME}
    roles: [D]
    attitude: -2
    intimacy: 1
    owner: {LONG_OWNER}
    last_contact: 2025-01-01
    reviewed: 2025-01-01
"""


def _flat(text: str) -> str:
    """The output with its line breaks and the indentation after them taken out: a word
    broken over two lines reads whole again."""
    return re.sub(r"\n *", "", text)


def _check(text: str, width: int) -> None:
    assert "Traceback" not in text
    assert max(cell_len(line) for line in text.splitlines()) <= width, text
    assert "…" not in text, text
    # a squeezed-out column leaves two rules side by side
    assert not re.search("┃┃|││|┏┳|┳┓", text), text


@pytest.fixture
def long_repo(tmp_path):
    (tmp_path / ".git").mkdir()
    account = (
        f"id: {LONG_ID}\nname: 广州国际重工物流控股集团股份有限公司\nowner: {LONG_OWNER}\n"
        "reviewed: 2026-10-01\nposition: 1\nvalue: 1\n"
    )
    write_account(tmp_path, LONG_ID, {"account.yaml": account, "stakeholders.yaml": PEOPLE})
    write_account(tmp_path, "acme")
    return tmp_path


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("command", ["grade", "stale"])
def test_the_account_tables_become_records_with_every_id_whole(kam, long_repo, lang, command):
    r = kam(long_repo, "--lang", lang, command, env={"COLUMNS": "40"})
    _check(r.stdout, 40)
    flat = _flat(r.stdout)
    assert LONG_ID in flat, r.stdout
    if command == "stale":
        assert LONG_PERSON in flat and LONG_OWNER in flat and LONG_NAME in flat, r.stdout
    else:
        acme = "（acme）" if lang == "zh-CN" else "(acme)"
        assert acme in flat and LONG_OWNER in flat, r.stdout


def test_grade_records_read_heading_then_value(kam, long_repo):
    r = kam(long_repo, "--lang", "zh-CN", "grade", env={"COLUMNS": "40"})
    lines = r.stdout.splitlines()
    assert lines[0] == "客户评级（2026-11-24）", lines
    assert "Acme acme（acme）" in lines, lines
    assert any(line.startswith("  责任人 li.ming；") for line in lines), lines


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_portfolio_tier_table_keeps_every_tier_and_figure(kam, lang):
    r = kam(EXAMPLES.parent, "--lang", lang, "portfolio", env={"COLUMNS": "40"})
    _check(r.stdout, 40)
    if lang == "zh-CN":
        for tier in ("S 战略客户（重点）", "A 伙伴客户（重点）", "B 价值客户", "C 一般客户"):
            assert tier in r.stdout.splitlines(), r.stdout
        assert "营收（EUR）48,200,000；营收占比 86%" in r.stdout, r.stdout
        assert "评级分布 1 A、1 C" in r.stdout, r.stdout
    else:
        assert "S Strategic (focus)" in r.stdout.splitlines(), r.stdout
        assert "score letters 1 A, 1 C" in r.stdout, r.stdout


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_whitespace_grid_keeps_its_headings(kam, lang):
    r = kam(EXAMPLES.parent, "--lang", lang, "whitespace", env={"COLUMNS": "40"})
    _check(r.stdout, 40)
    flat = _flat(r.stdout)
    supporters = "支持者 1" if lang == "zh-CN" else "supporters 1"
    assert supporters in flat and "competitor (Kairo Systems)" in r.stdout, r.stdout


def test_eighty_columns_keep_the_tables(kam):
    r = kam(EXAMPLES.parent, "--lang", "zh-CN", "portfolio", env={"COLUMNS": "80"})
    assert "┏" in r.stdout and "客户分级" in r.stdout
    r = kam(EXAMPLES.parent, "--lang", "zh-CN", "grade", env={"COLUMNS": "80"})
    assert any(re.search(r"wang\.fang +A +60 +C", line) for line in r.stdout.splitlines())


@pytest.mark.parametrize("command", ["grade", "stale"])
def test_one_long_id_at_eighty_columns_keeps_the_table(kam, tmp_path, command):
    """An id of 50 letters among ordinary ones at 80 columns: the table as before (that
    id broken over two lines of its cell), not 300 accounts as records for one id; the
    worst finding stays on the line of its id. Records are for a terminal where the table
    itself cannot fit (40 columns)."""
    (tmp_path / ".git").mkdir()
    long_id = "nordic-telecommunications-infrastructure-holding-ab"
    # people named and with ids as in a real portfolio: "Dr. Claudia Richter
    # (claudia-richter)" takes its column too
    people = STAKEHOLDERS.replace("id: boss", "id: claudia-richter")
    people = people.replace("name: The Boss", "name: Dr. Claudia Richter")
    people = people.replace("owner: li.ming", "owner: wang.fang")
    for account_id in ("acme", "hansa"):
        write_account(tmp_path, account_id, {"stakeholders.yaml": people})
    write_account(tmp_path, long_id, {"stakeholders.yaml": people.replace("ion: 2", "ion: -2")})
    r = kam(tmp_path, command, env={"COLUMNS": "80", "KAM_TODAY": "2027-06-01"})
    assert r.exit_code in (0, 1), r.stderr
    lines = r.stdout.splitlines()
    assert "─" * 20 in r.stdout, r.stdout  # the table's rule under its headings
    # no record ("  owner li.ming; tier A", "  person Dr. Claudia Richter ...")
    assert not any(line.startswith(("  owner ", "  person ")) for line in lines), r.stdout
    assert max(cell_len(line) for line in lines) <= 80
    if command == "grade":
        assert any(line.startswith(f"  {long_id}: KAM") for line in lines), r.stdout


def test_a_chinese_whitespace_grid_at_eighty_columns_stays_a_table(kam, tmp_path):
    """Chinese names have no spaces: each counted as one unbreakable word, a Chinese
    portfolio's grid (buying centres and offerings named in Chinese) became records at
    80 columns, where it had always been a table whose names wrap between characters."""
    import shutil

    shutil.copytree(EXAMPLES, tmp_path / "accounts")
    (tmp_path / ".git").mkdir()
    kam_yaml = (EXAMPLES.parent / "kam.yaml").read_text(encoding="utf-8")
    for english, chinese in [
        ("Core network", "核心网络解决方案"),
        ("Radio access", "无线接入网络"),
        ("Energy optimisation", "能源优化服务"),
        ("Managed services", "托管运维服务"),
    ]:
        kam_yaml = kam_yaml.replace(f"name: {english}}}", f"name: {chinese}}}")
    (tmp_path / "kam.yaml").write_text(kam_yaml, encoding="utf-8")
    org = tmp_path / "accounts/nordtel/org.yaml"
    text = org.read_text(encoding="utf-8")
    for english, chinese in [
        ("Core Network Engineering", "核心网络工程部"),
        ("Radio Access Networks", "无线接入网络事业部"),
        ("IT & Cloud Platforms", "信息技术与云平台部"),
    ]:
        text = text.replace(f"name: {english},", f"name: {chinese},")
    org.write_text(text, encoding="utf-8")
    r = kam(tmp_path, "--lang", "zh-CN", "whitespace", "nordtel", env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.stderr
    assert "核心网络解决方案" in kam_yaml and "┃ 采购中心" in r.stdout, r.stdout
    assert "支持者 1；" not in r.stdout, r.stdout  # no record
    _check(r.stdout, 80)
    narrow = kam(tmp_path, "--lang", "zh-CN", "whitespace", "nordtel", env={"COLUMNS": "40"})
    _check(narrow.stdout, 40)
    assert "支持者 1；" in _flat(narrow.stdout), narrow.stdout  # records where it cannot fit


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_usage_error_is_fitted_at_its_words(kam, lang):
    """click's own usage errors (English) were one long line that a 40-column terminal cut
    mid-word ('kam r' / 'ules takes --format, --config, --no-colo' / 'r'); the Chinese
    ones were fitted already. Each line now fits, broken between words."""
    r = kam(EXAMPLES.parent, "--lang", lang, "rules", "--examples", env={"COLUMNS": "40"})
    assert r.exit_code == 2
    lines = r.stderr.splitlines()
    assert all(cell_len(line) <= 40 for line in lines), r.stderr
    text = " ".join(line.strip() for line in lines)
    assert "--no-color" in text and ("kam rules takes" in text or "kam rules 的选项有" in text)
    wide = kam(EXAMPLES.parent, "--lang", lang, "rules", "--examples", env={"COLUMNS": "200"})
    assert len(wide.stderr.splitlines()) == 4  # usage, help, blank, the error: one line


#: an account id too long for the agenda table's column at 40 columns
LONG_ID = "nordlicht-energie-gmbh-and-co"


def _long_id_account(root, *actions: str) -> None:
    """An account with a long id whose targets.yaml holds ``actions`` (flow mappings)."""
    lines = "".join(f"  - {a}\n" for a in actions)
    write_account(root, LONG_ID, {"targets.yaml": "period: 2027\nactions:\n" + lines})


def test_an_agenda_whose_commands_cannot_fit_the_table_is_records(kam, tmp_path):
    """At 40 columns a long account id did not fit the table's column: the table folded
    the command (`nordlicht-energie-gmbh-an` over `d-co \\`, two words once pasted) and
    the file to edit ('customers/key-accounts/nord' over 'licht-...'). The steps are
    then records across the line: every command pastes back to the one kam runs, and
    every line fits."""
    _long_id_account(
        tmp_path,
        "{id: kickoff, text: Kick-off workshop, owner: anna.berg, due: 2026-12-05, status: doing, stakeholder: boss}",
    )
    r = kam(tmp_path, "agenda", "--days", "30", env={"COLUMNS": "40"})
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert all(cell_len(line) <= 40 for line in lines), r.stdout
    assert not any(line.startswith("│") for line in lines), r.stdout
    commands = [
        i["command"]
        for i in kam(tmp_path, "agenda", "--days", "30", "--format", "json").json()["items"]
    ]
    pasted, current = [], []
    for line in lines:
        if line.strip().startswith("→ kam "):
            current = [line.strip()[2:]]
        elif current:
            current.append(line.strip())
        if current and not line.endswith(" \\"):
            pasted.append(" ".join(part.removesuffix(" \\") for part in current))
            current = []
    assert sorted(pasted) == sorted(commands), (pasted, commands)
    # the file to edit, cut only after a folder or a hyphen
    at = [line.strip() for line in lines if "accounts/" in line or "targets.yaml" in line]
    assert "".join(at).endswith("accounts/nordlicht-energie-gmbh-and-co/targets.yaml:3"), at
    assert all(part.endswith(("/", "-", ":3")) for part in at), at
    # 80 columns keep the table
    wide = kam(tmp_path, "agenda", "--days", "30", env={"COLUMNS": "80"})
    assert any(line.startswith("│") for line in wide.stdout.splitlines()), wide.stdout


def test_accounts_in_a_narrow_history_are_apart(kam, tmp_path):
    """At 40 columns each account's history is records (a date, then its cells); the next
    account's name came right under the last record, as one more line of it ("... score 59
    (unchanged)" over "Acme (acme)" over "2026-11-21"). A blank line parts them, as one
    parts the records of an account."""
    from gitrepo import commit, new_repo

    repo = new_repo(tmp_path / "repo")
    early = STAKEHOLDERS.replace("2026-11-20", "2026-05-01").replace("2026-11-01", "2026-04-01")
    for name in ("acme", "zenith"):
        write_account(repo, name, {"stakeholders.yaml": early})
    commit(repo, "start", "2026-05-02")
    for name in ("acme", "zenith"):
        write_account(repo, name, {"stakeholders.yaml": STAKEHOLDERS})
    commit(repo, "met the boss", "2026-11-21")
    r = kam(repo, "history", env={"COLUMNS": "40"})
    assert r.exit_code == 0, r.stderr
    _check(r.stdout, 40)
    lines = r.stdout.splitlines()
    titles = [i for i, line in enumerate(lines) if line.endswith("(zenith)")]
    assert titles and "│" not in r.stdout, r.stdout
    for i in titles:
        assert lines[i - 1] == "", r.stdout


def test_an_overdue_step_stays_red_in_agenda_records(tmp_path):
    """An overdue step's day is red in the agenda's table; at 40 columns, where the steps
    are records across the line, it was plain text like the steps not yet due."""
    from test_trial_environment import _env, _in_terminal

    _long_id_account(
        tmp_path,
        "{id: kickoff, text: Kick-off workshop, owner: anna.berg, due: 2026-11-20, status: doing, stakeholder: boss}",
        "{id: review, text: Account review, owner: anna.berg, due: 2026-12-20, status: planned, stakeholder: boss}",
    )
    env = _env(KAM_TODAY="2026-12-01", TERM="xterm-256color")
    shown, err = _in_terminal(tmp_path, "agenda", "--days", "30", env=env, columns=40)
    assert b"Traceback" not in err, err
    assert not any(line.startswith("│") for line in shown.splitlines()), shown  # records
    late = [line for line in shown.splitlines() if "overdue 11d" in line]
    due = [line for line in shown.splitlines() if "in 19d" in line]
    assert late and due, shown
    assert "\x1b[31m" in late[0] and "\x1b[31m" not in due[0], shown


@pytest.mark.parametrize(
    "text",
    [
        "Energy-per-bit lab demo for the core engineering team",
        "Krause's energy-per-bit lab demo for the core engineering team",
        "能效实验室演示，面向核心工程团队的所有成员，以及他们的主管",
    ],
)
def test_a_long_message_in_agenda_records_pastes_as_one_word(kam, tmp_path, text):
    """In agenda records at 40 columns a quoted message longer than the line was cut at
    the edge with a bare line break: pasted, the shell kept the break inside the quotes and
    `kam log` recorded "...for the cor\\ne engineering team". The quote is now closed,
    the line continued and the quote opened again, which the shell joins into one word."""
    import shlex
    import shutil
    import subprocess

    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash to paste into")
    quoted = text.replace('"', '\\"')
    _long_id_account(
        tmp_path,
        f'{{id: kickoff, text: "{quoted}", owner: anna.berg, due: 2026-12-05, status: doing, stakeholder: boss}}',
    )
    r = kam(tmp_path, "agenda", "--days", "30", env={"COLUMNS": "40"})
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert all(cell_len(line) <= 40 for line in lines), r.stdout
    blocks = []
    for start, line in enumerate(lines):
        if line.strip().startswith("→ kam log"):
            end = start
            while lines[end].endswith("\\"):
                end += 1
            blocks.append("\n".join(lines[start : end + 1]).replace("→ kam", "", 1))
    (pasted,) = [b for b in blocks if " -m " in b]
    got = subprocess.run(
        [bash, "-c", "printf '%s\\0' " + pasted], capture_output=True, text=True, check=True
    ).stdout.split("\0")[:-1]
    (command,) = [
        i["command"]
        for i in kam(tmp_path, "agenda", "--days", "30", "--format", "json").json()["items"]
        if i["command"].startswith("kam log") and " -m " in i["command"]
    ]
    assert got == shlex.split(command)[1:], pasted
    assert text in got
