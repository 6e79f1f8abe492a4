"""Known rough edges met by a key account manager and a sales-ops colleague who set kam
up for their team (kam.yaml with levels and thresholds of their own, plan templates of
their own), each confirmed through the real CLI on real files:

- a freshness finding reported as a warning (kam.yaml `rules: {KAM201: warning}`) said
  it was "over the 45-day error threshold": its message now names the limit by its
  kam.yaml key ("over the 45-day limit (error_after, focus tiers)"), right at any level;
"""

from __future__ import annotations

import json

from conftest import write_account

# ---------------------------------------------------------------- 1. threshold wording
LEVELS = """\
freshness:
  last_contact:
    focus: {warn_after: 21d, error_after: 45d}
  stakeholder_reviewed: {warn_after: 60d, error_after: 120d}
  account_reviewed: {warn_after: 200d, error_after: 300d}
rules:
  KAM201: warning
  KAM202: info
  KAM203: warning
  KAM205: error
"""

HAVEN_ACCOUNT = """\
id: havenlijn
name: Havenlijn Logistiek B.V.
owner: femke.devries
reviewed: 2025-10-01
position: 4
value: 4
"""

HAVEN_PEOPLE = """\
stakeholders:
  - id: joris-bakker
    name: Joris Bakker
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: femke.devries
    backup: sander.mol
    sponsor: ceo.ours
    channels: [calls, events]
    last_contact: 2026-08-01
    reviewed: 2026-03-01
  - id: anouk-visser
    name: Anouk Visser
    roles: [E]
    attitude: 1
    intimacy: 1
    owner: sander.mol
    backup: femke.devries
    channels: [email, visits]
    last_contact: 2026-10-20
    reviewed: 2026-09-01
"""

HAVEN_LOG = """\
entries:
  - date: 2026-05-01
    with: [joris-bakker]
    by: [ceo.ours]
    kind: executive-meeting
"""


def _levels_repo(tmp_path):
    (tmp_path / "kam.yaml").write_text(LEVELS, encoding="utf-8")
    write_account(
        tmp_path,
        "havenlijn",
        {"account.yaml": HAVEN_ACCOUNT, "stakeholders.yaml": HAVEN_PEOPLE, "log.yaml": HAVEN_LOG},
    )
    return tmp_path


def test_a_freshness_message_never_names_a_level_the_finding_is_not_reported_at(kam, tmp_path):
    repo = _levels_repo(tmp_path)
    text = kam(repo, "check", "--fail-on", "error")
    # KAM201 past its error_after, reported as kam.yaml says: a warning
    assert (
        "KAM201 last contact with Joris Bakker (joris-bakker) was 115 days ago, "
        "over the 45-day limit (error_after, focus tiers) (warning)"
    ) in text.stdout
    assert "over the 21-day limit (warn_after, focus tiers) (warning)" in text.stdout
    assert "over the 120-day limit (error_after) (info)" in text.stdout  # KAM202
    assert "over the 60-day limit (warn_after) (info)" in text.stdout
    assert "over the 300-day limit (error_after) (warning)" in text.stdout  # KAM203
    # KAM205 past its warn_after, raised to an error
    assert "over the 180-day limit (warn_after) (error)" in text.stdout
    for out in (text.stdout, kam(repo, "check", "--lang", "zh-CN").stdout):
        assert "threshold" not in out
        assert "错误期限" not in out and "警告期限" not in out
    zh = kam(repo, "check", "--lang", "zh-CN").stdout
    assert "超过 45 天的期限（error_after，重点级别）（警告）" in zh
    assert "超过 300 天的期限（error_after）（警告）" in zh

    findings = kam(repo, "check", "--format", "json").json()["findings"]
    stale = [f for f in findings if f["code"] in ("KAM201", "KAM202", "KAM203", "KAM205")]
    assert len(stale) == 6
    for f in stale:
        assert "threshold" not in f["message"]
        setting = "error_after" if "error_after" in f["message"] else "warn_after"
        assert f"over the {f['data']['threshold_days']}-day limit ({setting}" in f["message"]

    sarif = json.loads(kam(repo, "check", "--format", "sarif").stdout)
    results = sarif["runs"][0]["results"]
    texts = {r["message"]["text"] for r in results if r["ruleId"] in ("KAM201", "KAM203")}
    assert texts and all("error threshold" not in t for t in texts)
    assert {r["level"] for r in results if r["ruleId"] == "KAM201"} == {"warning"}


# ---------------------------------------------------------------- 2. empty paths
EMPTY_PATHS = [
    (["plan", "havenlijn", "--template-dir", ""], "--template-dir is empty ('')"),
    (["plan", "havenlijn", "--template-dir= "], "--template-dir is empty (' ')"),
    (["plan", "havenlijn", "-o", ""], "--output is empty ('')"),
    (["agenda", "-o", ""], "--output is empty ('')"),
    (["schema", "-o", ""], "--output is empty ('')"),
    (["check", "--config", ""], "--config is empty ('')"),
    (["--config=", "grade"], "--config is empty ('')"),
    (["import", "csv", "", "--account", "havenlijn", "--dry-run"], "FILE is empty ('')"),
    (["import", "csv", "x.csv", "--account", "", "--dry-run"], "the account is empty ('')"),
    (["check", ""], "the account is empty ('')"),
    (["grade", "havenlijn", ""], "the account is empty ('')"),
    (["whitespace", ""], "the account is empty ('')"),
    (["portfolio", ""], "the account is empty ('')"),
    (["plan", ""], "the account is empty ('')"),
    (["map", ""], "the account is empty ('')"),
    (["touch", "", "joris-bakker"], "the account is empty ('')"),
    (["log", "", "joris-bakker", "-m", "called"], "the account is empty ('')"),
    (["touch", "havenlijn", " ", "--reviewed", "2026-11-20"], "the person is empty (' ')"),
    (["log", "havenlijn", "", "-m", "called"], "the person is empty ('')"),
    (["check", "--today", ""], "--today is empty ('')"),
]


def test_an_empty_path_is_a_one_line_usage_error_never_the_current_folder(kam, tmp_path):
    repo = _levels_repo(tmp_path)
    # a folder that would pass for a template folder, and files `schema -o .` would write
    (repo / "plan.md.j2").write_text("NOT THE PLAN\n", encoding="utf-8")
    before = sorted(p.name for p in repo.iterdir())
    for args, message in EMPTY_PATHS:
        r = kam(repo, *args)
        assert r.exit_code == 2, (args, r.stdout, r.stderr)
        assert r.stdout == "", args
        (line,) = r.stderr.splitlines()
        assert line.startswith("kam: error: ") and message in line, (args, line)
    assert sorted(p.name for p in repo.iterdir()) == before  # nothing written
    # the same in Chinese
    zh = kam(repo, "plan", "havenlijn", "--template-dir", "", "--lang", "zh-CN")
    assert zh.exit_code == 2
    assert "--template-dir 为空（“”）" in zh.stderr


def test_every_path_option_of_every_command_refuses_an_empty_value():
    """The guard of the mechanism: every parameter typer would turn into a Path has kam's
    parser, so an option added later cannot take "" for the current folder again."""
    from pathlib import Path

    import typer.main

    from kamtool.cli import app

    def commands(group):
        for name in group.list_commands(None):
            command = group.commands[name]
            if hasattr(command, "commands"):
                yield from commands(command)
            else:
                yield command

    paths = 0
    for command in commands(typer.main.get_command(app)):
        for param in command.params:
            described = param.type_descriptor
            if described.annotation is Path:
                paths += 1
                assert described.parameter_info.parser is not None, (command.name, param.name)
    assert paths >= 6


# ---------------------------------------------------------------- 3. wrapping a built-in part
def test_a_template_of_ones_own_wraps_the_built_in_part_through_builtin(kam, tmp_path):
    repo = _levels_repo(tmp_path)
    (repo / "templates").mkdir()
    (repo / "templates" / "action_plan.md.j2").write_text(
        '{% include "builtin/action_plan.md.j2" %}\n\n_Reviewed every Monday at the stand-up._\n',
        encoding="utf-8",
    )
    outside = tmp_path.parent / f"{tmp_path.name}-team-templates"
    outside.mkdir()
    (outside / "plan.md.j2").write_text(
        '> Confidential: Havenlijn account team only\n{% include "builtin/plan.md.j2" %}',
        encoding="utf-8",
    )
    r = kam(repo, "plan", "havenlijn", "--template-dir", str(outside))
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "> Confidential: Havenlijn account team only"
    assert lines[1] == "# Account plan 2027: Havenlijn Logistiek B.V."
    # the built-in plan includes the repository's own action plan, which wraps the built-in
    action = r.stdout.index("## 3. Action plan")
    monday = r.stdout.index("_Reviewed every Monday at the stand-up._")
    assert action < monday < r.stdout.index("## Contact log")
    assert r.stdout.count("## 3. Action plan") == 1

    # extends works the same; and a part may still include itself with a guard
    (repo / "templates" / "action_plan.md.j2").write_text(
        '{% extends "builtin/action_plan.md.j2" %}', encoding="utf-8"
    )
    (repo / "templates" / "team.md.j2").write_text(
        "{% set depth = (depth if depth is defined else 0) + 1 %}level {{ depth }}\n"
        '{% if depth < 3 %}{% include "team.md.j2" %}{% endif %}',
        encoding="utf-8",
    )
    r = kam(repo, "plan", "havenlijn")
    assert r.exit_code == 0, r.stderr
    assert "level 1\nlevel 2\nlevel 3" in r.stdout


def test_a_part_that_includes_its_own_name_says_how_to_wrap_the_built_in(kam, tmp_path):
    repo = _levels_repo(tmp_path)
    (repo / "templates").mkdir()
    for tag in ("include", "extends"):
        (repo / "templates" / "action_plan.md.j2").write_text(
            f'{{% {tag} "action_plan.md.j2" %}}\n\nOur own closing line.\n', encoding="utf-8"
        )
        r = kam(repo, "plan", "havenlijn")
        assert r.exit_code == 2
        assert r.stderr == (
            "kam: error: template error: templates/action_plan.md.j2:1: action_plan.md.j2 "
            "includes itself without end: to add to the built-in action_plan.md.j2, include "
            "or extend 'builtin/action_plan.md.j2'\n"
        )
    zh = kam(repo, "plan", "havenlijn", "--lang", "zh-CN")
    assert "请 include 或 extend “builtin/action_plan.md.j2”" in zh.stderr
    # builtin/ reaches the built-in folder only, and climbs out of it no more than any name
    for name in ("builtin/nosuch.md.j2", "builtin/../../secret.md.j2"):
        (repo / "templates" / "action_plan.md.j2").write_text(
            f'{{% include "{name}" %}}', encoding="utf-8"
        )
        r = kam(repo, "plan", "havenlijn")
        assert r.exit_code == 2
        assert f"template not found (or outside the template folder): {name}" in r.stderr


# ---------------------------------------------------------------- 4. unknown options
def test_an_unknown_option_suggests_only_a_close_one_else_lists_the_real_ones(kam, tmp_path):
    repo = _levels_repo(tmp_path)
    takes = (
        "kam plan takes --output, --template-dir, --include-personal, --force, --config, "
        "--today, --no-color, --examples, --lang"
    )
    for args in (["--format", "markdown"], ["--format"]):
        r = kam(repo, "plan", "havenlijn", *args)
        assert r.exit_code == 2
        assert r.stderr.splitlines()[-1] == f"Error: No such option: --format ({takes})"
        assert "--force" not in r.stderr.replace(", --force,", "")
    for args, line in [
        (["plan", "havenlijn", "--out", "p.md"], "No such option: --out; did you mean --output?"),
        (["grade", "--fromat", "json"], "No such option: --fromat; did you mean --format?"),
        (["agenda", "--day", "3"], "No such option: --day; did you mean --days?"),
        (["check", "--fail", "warning"], "No such option: --fail; did you mean --fail-on?"),
        (
            ["plan", "havenlijn", "--templates", "t"],
            "No such option: --templates; did you mean --template-dir?",
        ),
        (["check", "--hlep"], "No such option: --hlep; did you mean --help?"),
        (["report"], "No such command 'report'."),  # not 'import'
        (["agneda"], "No such command 'agneda'. Did you mean 'agenda'?"),
    ]:
        r = kam(repo, *args)
        assert r.exit_code == 2, args
        assert r.stderr.splitlines()[-1] == f"Error: {line}", (args, r.stderr)
    zh = kam(repo, "plan", "havenlijn", "--format", "md", "--lang", "zh-CN")
    assert zh.exit_code == 2
    assert zh.stderr.splitlines()[-1].startswith(
        "kam：错误：没有选项 --format（kam plan 的选项有：--output、--template-dir、"
    )
    zh = kam(repo, "grade", "--fromat", "json", "--lang", "zh-CN")
    assert zh.stderr.splitlines()[-1] == "kam：错误：没有选项 --fromat；您是指 --format 吗？"


# ---------------------------------------------------------------- 5. did you mean
def test_did_you_mean_a_key_only_when_it_is_a_slip_of_the_keyboard(kam, tmp_path):
    repo = _levels_repo(tmp_path)
    people = HAVEN_PEOPLE.replace(
        "    roles: [D, C]\n    attitude: 2\n",
        "    roles: [D, C]\n    attitude: 2\n"
        "    phone: '+31 10 555 0101'\n"  # a field kam does not have: not 'owner'
        "    attitdue: 1\n"  # two letters swapped
        "    ownr: femke.devries\n"  # one letter missing
        "    email: joris@havenlijn.nl\n"
        "    职位: 首席运营官\n"
        "    last_contact_date: 2026-11-01\n",  # the key with an ending of its own
    )
    (repo / "accounts" / "havenlijn" / "stakeholders.yaml").write_text(people, encoding="utf-8")
    (repo / "kam.yaml").write_text(LEVELS + "currencies: EUR\nrule: {}\n", encoding="utf-8")
    r = kam(repo, "validate", "--format", "json")
    assert r.exit_code == 2  # kam.yaml first
    config = [f["message"] for f in r.json()["findings"]]
    assert "unknown key 'currencies' (did you mean 'currency'?)" in config
    assert "unknown key 'rule' (did you mean 'rules'?)" in config
    (repo / "kam.yaml").write_text(LEVELS, encoding="utf-8")
    r = kam(repo, "validate", "--format", "json")
    found = {f["message"].split("'")[1]: f["message"] for f in r.json()["findings"]}
    assert "did you mean" not in found["phone"]
    assert "did you mean" not in found["email"]
    assert "did you mean" not in found["职位"]
    assert found["attitdue"].endswith("(did you mean 'attitude'?)")
    assert found["ownr"].endswith("(did you mean 'owner'?)")
    assert found["last_contact_date"].endswith("(did you mean 'last_contact'?)")
    # a value of a fixed list and a command's value: the same test of close
    assert "(did you mean 'json'?)" in kam(repo, "grade", "--format", "jsn").stderr
    r = kam(repo, "log", "havenlijn", "joris-bakker", "--kind", "mail", "-m", "x")
    assert "(did you mean 'email'?)" in r.stderr
    r = kam(repo, "log", "havenlijn", "joris-bakker", "--kind", "phone", "-m", "x")
    assert "did you mean" not in r.stderr  # not 'other'


# ---------------------------------------------------------------- 6. a new log.yaml in diff
JINHE_PEOPLE = """\
stakeholders:
  - id: chen-jing
    name: 陈静
    roles: [D, C]
    attitude: 1
    intimacy: 1
    owner: zhao.lei
    backup: sun.yu
    channels: [微信, 电话]
    last_contact: 2026-09-15
    reviewed: 2026-11-01
"""

TWO_ENTRIES = """\
  - date: 2026-11-20
    with: [{who}]
    by: [zhao.lei]
    kind: visit
    summary: plant tour
  - date: 2026-11-22
    with: [{who}]
    by: [zhao.lei]
    kind: call
"""


def test_a_new_log_yaml_counts_its_entries_as_entries_added_to_an_old_one_do(kam, tmp_path):
    from gitrepo import commit, new_repo

    repo = new_repo(tmp_path / "team")
    _levels_repo(repo)
    write_account(repo, "jinhe-pharma", {"stakeholders.yaml": JINHE_PEOPLE})
    commit(repo, "two accounts; havenlijn keeps a log, jinhe-pharma none yet")
    log = repo / "accounts" / "havenlijn" / "log.yaml"
    log.write_text(HAVEN_LOG + TWO_ENTRIES.format(who="anouk-visser"), encoding="utf-8")
    (repo / "accounts" / "jinhe-pharma" / "log.yaml").write_text(
        "entries:\n" + TWO_ENTRIES.format(who="chen-jing"), encoding="utf-8"
    )
    commit(repo, "two contacts each")

    text = kam(repo, "diff", "HEAD~1", "HEAD").stdout
    heads = [
        line for line in text.splitlines() if "(havenlijn)" in line or "(jinhe-pharma)" in line
    ]
    assert len(heads) == 2 and all("; 2 changes" in line for line in heads), heads
    assert "log.yaml added" not in text  # the two entries say it
    markdown = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "markdown").stdout
    rows = [line for line in markdown.splitlines() if line.startswith("| **")]
    assert [row.split(" | ")[3] for row in rows] == ["2", "2"], rows
    doc = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    for account in doc["accounts"]:
        logged = [c["kind"] for c in account["changes"] if c["group"] == "log"]
        assert logged == ["log-entry", "log-entry"], (account["id"], logged)

    # removed whole: the entries removed, as many as were there
    back = kam(repo, "diff", "HEAD", "HEAD~1", "--format", "json").json()
    jinhe = next(a for a in back["accounts"] if a["id"] == "jinhe-pharma")
    assert [c["kind"] for c in jinhe["changes"] if c["group"] == "log"] == ["log-entry-removed"] * 2
    # a log.yaml without entries yet: the file added is the one change there is
    (repo / "accounts" / "jinhe-pharma" / "log.yaml").unlink()
    commit(repo, "no log")
    (repo / "accounts" / "jinhe-pharma" / "log.yaml").write_text("entries: []\n", encoding="utf-8")
    text = kam(repo, "diff").stdout
    assert "; 1 change" in text and "+ log.yaml added" in text
    commit(repo, "an empty log")
    # a targets.yaml that sets its period and lists nothing yet: the file added is said
    # beside the field it sets, and its removal too (the period alone hid both)
    targets = repo / "accounts" / "jinhe-pharma" / "targets.yaml"
    targets.write_text("period: 2027\ntargets: []\nactions: []\n", encoding="utf-8")
    commit(repo, "a plan begun")
    for revs, file_line, period in (
        (("HEAD~1", "HEAD"), "+ targets.yaml added", "period - → 2027"),
        (("HEAD", "HEAD~1"), "- targets.yaml removed", "period 2027 → -"),
    ):
        text = kam(repo, "diff", *revs).stdout
        assert file_line in text and period in text, text
        assert text.index(file_line) < text.index(period)
        assert "; 2 changes" in text, text


# ---------------------------------------------------------------- agenda, as kam check
def test_the_agenda_names_a_contact_limit_by_its_key_as_kam_check_does(kam, tmp_path):
    """kam.yaml reports KAM201 as a warning; the agenda said "error after 45 days" of the
    same contact (and "warning after 21 days" where kam.yaml makes it an error)."""
    repo = _levels_repo(tmp_path)
    for level in ("warning", "error"):
        (repo / "kam.yaml").write_text(
            LEVELS.replace("KAM201: warning", f"KAM201: {level}"), encoding="utf-8"
        )
        items = kam(repo, "agenda", "--format", "json", "--days", "30").json()["items"]
        why = {i["person"]: i["why"] for i in items if i["category"] == "contact"}
        assert why["joris-bakker"] == (
            "decision maker: 115 days since the last contact (stakeholders.yaml:11), "
            "over the 21-day limit (warn_after) and the 45-day one (error_after)"
        )
        assert why["anouk-visser"].endswith("over the 21-day limit (warn_after)")
    text = kam(repo, "agenda", "--days", "30", "--no-color").stdout
    assert "error after" not in text and "warning after" not in text
    zh = kam(repo, "agenda", "--format", "json", "--lang", "zh-CN").json()["items"]
    assert any(
        i["why"].endswith("超过 21 天的期限（warn_after）和 45 天的期限（error_after）") for i in zh
    )


# ---------------------------------------------------------------- one reading of a name
def test_kam_history_finds_a_person_by_name_as_kam_log_does(kam, tmp_path):
    """kam log and touch find 阿卜杜拉·买买提 typed with another dot, or "anna lind" for Anna
    Lind; kam history matched the name exactly and said "no person", in the account's
    history and in revisions where the account did not load alike."""
    from gitrepo import commit, new_repo

    repo = new_repo(tmp_path / "team")
    people = (
        "stakeholders:\n  - id: crm-c0006\n    name: 阿卜杜拉·买买提\n    attitude: 1\n"
        "    roles: [D]\n  - id: anna-lind\n    name: Anna Lind\n    attitude: '?'\n"
    )
    write_account(repo, "sanhe", {"stakeholders.yaml": people})
    commit(repo, "first")
    stakeholders = repo / "accounts" / "sanhe" / "stakeholders.yaml"
    stakeholders.write_text(people.replace("attitude: 1", "attitude: 2"), encoding="utf-8")
    commit(repo, "warmer")
    for typed in ("阿卜杜拉.买买提", "阿卜杜拉•买买提", "阿卜杜拉 · 买买提"):
        r = kam(repo, "history", "sanhe", typed, "--format", "json")
        assert r.exit_code == 0, r.stderr
        attitudes = [row["person"]["attitude"] for row in r.json()["accounts"][0]["revisions"]]
        assert attitudes == [1, 2], attitudes
    assert kam(repo, "history", "sanhe", "anna lind").exit_code == 0
    # in revisions where the account does not load (a schema error): read from its files
    broken = people.replace("attitude: 1", "attitude: 2").replace("'?'", "9")
    stakeholders.write_text(broken, encoding="utf-8")
    commit(repo, "an attitude of 9")
    r = kam(repo, "history", "sanhe", "阿卜杜拉.买买提", "--since", "HEAD", "--format", "json")
    assert r.exit_code == 1 and "no person" not in r.stderr, r.stderr
    assert [row["person"]["attitude"] for row in r.json()["accounts"][0]["revisions"]] == [2]


def test_the_agenda_names_one_limit_once_when_both_keys_give_it(kam, tmp_path):
    """A team that sets warn_after and error_after alike (30d, 30d) read "over the 30-day
    limit (warn_after) and the 30-day one (error_after)"."""
    repo = _levels_repo(tmp_path)
    (repo / "kam.yaml").write_text(
        "freshness:\n  last_contact:\n    focus: {warn_after: 30d, error_after: 30d}\n"
        "    other: {warn_after: 30d, error_after: 30d}\n",
        encoding="utf-8",
    )
    items = kam(repo, "agenda", "--format", "json", "--days", "30").json()["items"]
    why = [i["why"] for i in items if i["category"] == "contact" and "limit" in i["why"]]
    assert why and all("the 30-day one" not in w for w in why), why
    assert any(w.endswith("over the 30-day limit (warn_after, error_after)") for w in why), why
    zh = kam(repo, "agenda", "--format", "json", "--days", "30", "--lang", "zh-CN").json()
    assert any(i["why"].endswith("（warn_after、error_after）") for i in zh["items"]), zh
