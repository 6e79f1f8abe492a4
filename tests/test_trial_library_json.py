"""Defects a sales-ops developer found using kam as a library and through its JSON
(scripts, dashboards, pre-commit): see each test's docstring."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO, TODAY, venv_tool, write_account
from gitrepo import commit, new_repo


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)


# ---------------------------------------------------------------- the library, typed
USER_SCRIPT = """\
import datetime as dt

from kamtool.core import run
from kamtool.load.models import AccountFile, LogEntry, Stakeholder

person = Stakeholder(id="liu-yang", name="Liu Yang", attitude=2)
profile = AccountFile(
    id="hq-steel", name="HQ Steel", owner="chen.jing", reviewed=dt.date(2026, 10, 1),
    position=4, value=5,
)
met = LogEntry(date=dt.date(2026, 11, 2), with_=["liu-yang"], by=["chen.jing"])
people: list[str] = met.with_
result = run("accounts", today="2026-12-01")
first = result.accounts[0].grade
score: int | None = first.score if first is not None else None
"""


def test_a_script_using_kam_passes_mypy(tmp_path):
    """mypy said kamtool was "installed, but missing library stubs or py.typed marker";
    with the marker, each optional field was a "Missing named argument" (a default given
    as Field's first argument is invisible to type checkers), and a log entry could not
    be built at all: its people were the keyword `with`. A script building kam's models
    now type-checks as it runs."""
    script = tmp_path / "report.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(script),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    # and it runs: the same keyword builds the entry, and its JSON says `with` as the file
    from kamtool.load.models import LogEntry

    entry = LogEntry(date=dt.date(2026, 11, 2), with_=["liu-yang"], by=["chen.jing"])
    assert entry.with_ == ["liu-yang"]
    assert entry.model_dump(by_alias=True)["with"] == ["liu-yang"]
    assert LogEntry.model_validate(entry.model_dump(by_alias=True)) == entry


# ---------------------------------------------------------------- analyse on models
ACCOUNT = {
    "id": "polar-fish",
    "name": "Polar Fish AS",
    "owner": "kari.lie",
    "reviewed": "2026-10-01",
    "position": 4,
    "value": 4,
}
ORG = {
    "units": [
        {"id": "ops", "name": "Operations", "parent": "fleet"},
        {"id": "fleet", "name": "Fleet", "parent": "ops"},
    ]
}
PEOPLE = {
    "stakeholders": [
        {"id": "ola", "name": "Ola Nordmann", "roles": ["D"], "attitude": 1, "reports_to": "per"},
        {"id": "per", "name": "Per Hansen", "attitude": 0, "reports_to": "ola", "unit": "ops"},
        {"id": "per", "name": "Per Hansen jr.", "attitude": "?", "reports_to": "nobody"},
    ]
}


def test_analyse_of_an_account_built_from_models_finds_what_check_finds(kam, tmp_path):
    """A script that builds an account from its own data (`Account(profile=...,
    stakeholders=[...])`) and calls `kamtool.core.analyse` got a grade and the rules'
    findings, but none of kam check's structure errors: a reporting cycle, a duplicate
    id, a reports_to naming nobody all passed, and the account counted as valid."""
    from kamtool.core import analyse
    from kamtool.load.accounts import Account
    from kamtool.load.config import Config
    from kamtool.load.models import AccountFile, OrgFile, StakeholdersFile

    files = {"account.yaml": ACCOUNT, "org.yaml": ORG, "stakeholders.yaml": PEOPLE}
    write_account(tmp_path, "polar-fish", {k: json.dumps(v) + "\n" for k, v in files.items()})
    cli = kam(tmp_path, "check", "--format", "json")
    assert cli.exit_code == 1
    from_files = {(f["code"], f["message"]) for f in cli.json()["findings"]}
    assert {"KAM003", "KAM004", "KAM005"} <= {code for code, _m in from_files}

    account = Account(
        id="polar-fish",
        folder=tmp_path / "polar-fish",
        display="polar-fish",
        profile=AccountFile.model_validate(ACCOUNT),
        stakeholders=list(StakeholdersFile.model_validate(PEOPLE).stakeholders),
        org=OrgFile.model_validate(ORG),
    )
    result = analyse(account, Config(), dt.date.fromisoformat(TODAY))
    assert not result.valid and result.grade is None
    from_models = {(f.code, f.message) for f in result.findings}
    # messages that cite a line of the file ("first used on line 4") have no file here
    assert {c for c, _m in from_models} == {c for c, _m in from_files}
    assert {m for m in from_models if "line" not in m[1]} == {
        m for m in from_files if "line" not in m[1]
    }
    assert account.findings == []  # the caller's object is left as it was
    # an account without its profile says why it is invalid, as a folder without one does
    bare = analyse(Account(id="x", folder=tmp_path, display="x"), Config(), dt.date(2026, 11, 24))
    assert [f.code for f in bare.findings] == ["KAM006"]


# ---------------------------------------------------------------- the JSON Schema
def _schemas(kam, tmp_path: Path) -> dict[str, dict]:
    r = kam(tmp_path, "schema", "-o", "schemas")
    assert r.exit_code == 0, r.stdout + r.stderr
    return {
        p.name.removesuffix(".schema.json"): json.loads(p.read_text(encoding="utf-8"))
        for p in (tmp_path / "schemas").glob("*.schema.json")
    }


def test_schema_refuses_blank_names_and_accepts_comment_only_files(kam, tmp_path):
    """An editor accepted `name: "   "` (kam check: "must not be empty") and marked a
    targets.yaml of comments only as wrong ("None is not of type 'object'") though kam
    reads it as no targets. Schema and loader now agree on both."""
    schemas = _schemas(kam, tmp_path)
    write_account(
        tmp_path,
        "fjord",
        {
            "account.yaml": 'id: fjord\nname: "   "\nowner: kari.lie\nreviewed: 2026-10-01\n'
            "position: 3\nvalue: 3\n",
            "targets.yaml": "# targets come after the kick-off\n",
            "log.yaml": "# nothing logged yet\n",
            "org.yaml": "",
        },
    )
    r = kam(tmp_path, "validate", "--format", "json")
    assert [(f["code"], f["path"], f["message"]) for f in r.json()["findings"]] == [
        ("KAM002", "accounts/fjord/account.yaml", "name: must not be empty")
    ]
    profile = {**ACCOUNT, "id": "fjord"}
    draft4 = jsonschema.Draft4Validator
    for blank in ("   ", "\u3000", "\t"):
        assert not draft4(schemas["account"]).is_valid({**profile, "name": blank}), blank
        person = {"stakeholders": [{"id": "a", "name": blank, "attitude": 1}]}
        assert not draft4(schemas["stakeholders"]).is_valid(person), blank
    assert draft4(schemas["account"]).is_valid({**profile, "name": " Fjord "})
    for kind in ("targets", "log", "org", "kam"):
        assert draft4(schemas[kind]).is_valid(None), kind  # comments only
    for kind in ("account", "stakeholders"):
        assert not draft4(schemas[kind]).is_valid(None), kind  # kam: "is empty"


def test_schema_descriptions_do_not_cite_kams_internal_documents(kam, tmp_path):
    """Hover help in an editor read "Relationship stage (DOMAIN 3)" and "defaults as SPEC
    section 4": documents of kam's developers, not the user's."""
    texts = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            texts.extend(v for k, v in node.items() if k == "description" and isinstance(v, str))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(_schemas(kam, tmp_path))
    assert len(texts) > 100
    for text in texts:
        for internal in ("SPEC", "DOMAIN", "section ", "``"):
            assert internal not in text, text


def test_pre_commit_checks_a_commit_that_only_deletes_a_file(tmp_path):
    """The hooks ran only when a staged file matched `\\.ya?ml$`; `git rm org.yaml` stages
    no file pre-commit passes on, so the hook was skipped ("no files to check") and the
    commit left every `unit:` of stakeholders.yaml pointing at nothing. The hooks now run
    on every commit (always_run)."""
    exe = venv_tool("pre-commit")
    if exe is None:
        pytest.skip("pre-commit is not installed (.ci/run installs it)")
    repo = tmp_path / "sales"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "ops@example.com")
    git(repo, "config", "user.name", "Ops")
    write_account(
        repo,
        "harbour-freight",
        {
            "org.yaml": "units:\n  - {id: it, name: IT}\n",
            "stakeholders.yaml": """\
                stakeholders:
                  - id: ines
                    name: Ines Duarte
                    unit: it
                    roles: [D, C]
                    attitude: 2
                    owner: li.ming
                    backup: wang.fang
                    channels: [calls, visits]
                    last_contact: 2026-11-20
                    reviewed: 2026-11-01
                """,
        },
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "accounts")
    git(repo, "rm", "-q", "accounts/harbour-freight/org.yaml")
    env = {
        "PRE_COMMIT_HOME": str(tmp_path / "pc-home"),
        "KAM_TODAY": "2026-11-24",
        "PATH": str(Path(exe).parent) + ":" + os.environ["PATH"],
    }
    r = subprocess.run(
        [exe, "try-repo", str(REPO), "kam-validate"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Failed" in r.stdout and "Skipped" not in r.stdout
    assert "accounts/harbour-freight/stakeholders.yaml:4:11: KAM003" in r.stdout


# ---------------------------------------------------------------- JSON outputs
def test_agenda_json_lists_the_accounts_that_did_not_load(kam, tmp_path):
    """`kam agenda --format json` wrote the items of the accounts that loaded and said
    nothing of one that did not (only stderr and exit 1 did): a dashboard showed a
    quiet week for a broken account. The JSON now lists it under `invalid`."""
    write_account(tmp_path, "good")
    write_account(tmp_path, "broken-fish", {"account.yaml": "id: broken-fish\nname: B\n"})
    r = kam(tmp_path, "agenda", "--format", "json", "--days", "30")
    assert r.exit_code == 1
    doc = r.json()
    assert doc["invalid"] == ["broken-fish"]
    assert doc["today"] == TODAY
    assert all(item["account"] == "good" for item in doc["items"])
    ok = kam(tmp_path, "agenda", "good", "--format", "json")
    assert ok.exit_code == 0 and ok.json()["invalid"] == []


def test_whitespace_json_carries_its_day(kam, tmp_path):
    """Every other JSON output says the `today` it was worked out for; whitespace's did
    not (nor did its Markdown document, where the grades' and the portfolio's are dated),
    though who counts as a supporter and who has left depends on it."""
    (tmp_path / "kam.yaml").write_text("offerings:\n  - {id: cloud, name: Cloud}\n")
    write_account(tmp_path, "good")
    r = kam(tmp_path, "whitespace", "--format", "json", "--today", "2026-12-01")
    assert r.exit_code == 0
    assert r.json()["today"] == "2026-12-01"
    md = kam(tmp_path, "whitespace", "--format", "markdown", "--today", "2026-12-01")
    assert md.stdout.startswith("# Whitespace on 2026-12-01\n")  # as the grades' document
    zh = kam(tmp_path, "--lang", "zh-CN", "whitespace", "-f", "markdown", "--today", "2026-12-01")
    assert zh.stdout.startswith("# 空白点（2026-12-01）\n")


def test_portfolio_json_currency_is_null_when_none_is_set(kam, tmp_path):
    """With no currency anywhere the portfolio said `"currency": ""` (and
    `"currency_source": ""`), where a dashboard tests for null."""
    write_account(tmp_path, "good")
    doc = kam(tmp_path, "portfolio", "--format", "json").json()
    assert doc["currency"] is None and doc["currency_source"] is None
    write_account(
        tmp_path,
        "paid",
        {"account.yaml": ACCOUNT_WITH_REVENUE},
    )
    doc = kam(tmp_path, "portfolio", "--format", "json").json()
    assert doc["currency"] == "NOK" and doc["currency_source"] == "only"


ACCOUNT_WITH_REVENUE = """\
id: paid
name: Paid AS
owner: kari.lie
reviewed: 2026-10-01
position: 3
value: 3
facts: {revenue: 1500000, currency: NOK}
"""


def test_diff_json_writes_log_entries_with_the_files_keys(tmp_path, kam):
    """A new log entry in `kam diff --format json` read `"with_": [...]` (the Python
    attribute) where log.yaml says `with`, and an entry without `next` had no `next`
    key at all while another had one."""
    repo = new_repo(tmp_path / "repo")
    write_account(repo, "good")
    commit(repo, "start")
    (repo / "accounts" / "good" / "log.yaml").write_text(
        "entries:\n"
        "  - {date: 2026-11-20, with: [boss], by: [li.ming], kind: call, summary: renewal}\n",
        encoding="utf-8",
    )
    r = kam(repo, "diff", "--format", "json")
    changes = [c for a in r.json()["accounts"] for c in a["changes"]]
    (change,) = [c for c in changes if c["kind"] == "log-entry"]
    assert change["after"] == {
        "date": "2026-11-20",
        "with": ["boss"],
        "by": ["li.ming"],
        "kind": "call",
        "summary": "renewal",
        "next": None,
    }


def test_config_error_printed_by_a_script_says_what_is_wrong(tmp_path):
    """`print(exc)` of the ConfigError from `kamtool.core.run` said only "invalid
    configuration"; the problems were in `exc.findings`, which a script printing the
    exception never saw."""
    from kamtool.core import ConfigError, run

    write_account(tmp_path, "good")
    (tmp_path / "kam.yaml").write_text("focus_tier: [S]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        run(cwd=tmp_path, today=TODAY)
    text = str(caught.value)
    assert text.splitlines()[0] == "invalid configuration"
    assert "kam.yaml:1:1: KAM002 unknown key 'focus_tier' (did you mean 'focus_tiers'?)" in text
    assert caught.value.message == "invalid configuration"


# ---------------------------------------------------------------- kam import --format json
EXPORT = """\
Id,FirstName,LastName,Title,ReportsToId,Department,Account Name
003A1,Ingrid,Dahl,CIO,,,Acme good
003A2,Jonas,Lie,Buyer,003A1,,Acme good
003A3,Ola,Berg,CEO,,,Other Corp
"""


def test_import_json_reports_what_the_import_did(kam, tmp_path):
    """`kam import csv` had only its text summary: a script that imports each night could
    not tell who was added, who may have left, or whether anything was written. With
    `--format json` it can; a refused import says its problems there too (exit 1)."""
    write_account(tmp_path, "good")
    (tmp_path / "export.csv").write_text(EXPORT, encoding="utf-8")
    dry = kam(
        tmp_path,
        "import",
        "csv",
        "export.csv",
        "--account",
        "good",
        "--dry-run",
        "--format",
        "json",
    )
    assert dry.exit_code == 0, dry.stdout + dry.stderr
    doc = dry.json()
    assert doc["dry_run"] is True and doc["written"] is False
    assert [(p["id"], p["crm_id"], p["line"], p["reports_to"]) for p in doc["added"]] == [
        ("ingrid-dahl", "003A1", 2, None),
        ("jonas-lie", "003A2", 3, "ingrid-dahl"),
    ]
    assert doc["candidates"] == [{"id": "boss", "name": "The Boss", "crm_id": None}]
    assert doc["other_accounts"] == {"Other Corp": 1}
    assert doc["today"] == TODAY and doc["account"] == "good" and doc["map"] == "salesforce"
    before = (tmp_path / "accounts/good/stakeholders.yaml").read_text(encoding="utf-8")
    done = kam(tmp_path, "import", "csv", "export.csv", "--account", "good", "-f", "json")
    assert done.exit_code == 0 and done.json()["written"] is True
    assert (tmp_path / "accounts/good/stakeholders.yaml").read_text(encoding="utf-8") != before
    again = kam(tmp_path, "import", "csv", "export.csv", "--account", "good", "-f", "json")
    doc = again.json()
    assert doc["written"] is False and doc["added"] == [] and doc["unchanged"] == 2

    (tmp_path / "bad.csv").write_text("Id,FirstName,LastName\n003C1,,\n", encoding="utf-8")
    bad = kam(tmp_path, "import", "csv", "bad.csv", "--account", "good", "-f", "json")
    assert bad.exit_code == 1
    assert bad.json()["problems"] == [
        {
            "line": 2,
            "severity": "error",
            "message": "contact '003C1' has no name (columns 'FirstName' and 'LastName' are empty)",
        }
    ]
    assert bad.json()["written"] is False


def test_grade_json_gives_an_account_that_did_not_load_every_key(kam, tmp_path):
    """An account that did not load had 12 of a graded account's 19 keys in `kam grade
    --format json` (no `focus`, `stale`, `components`...): a dashboard reading
    `row["focus"]` failed on it. Its keys are now the same, null."""
    write_account(tmp_path, "good")
    write_account(tmp_path, "broken-fish", {"account.yaml": "id: broken-fish\nname: B\n"})
    good, broken = sorted(
        kam(tmp_path, "grade", "--format", "json").json()["accounts"],
        key=lambda a: a["valid"],
        reverse=True,
    )
    assert list(broken) == list(good)
    assert broken["valid"] is False and broken["focus"] is None and broken["components"] is None
    csv = kam(tmp_path, "grade", "--format", "csv").stdout.splitlines()
    assert any(line.startswith("broken-fish,") for line in csv)


def test_history_json_revisions_have_the_same_keys(kam, tmp_path):
    """In `kam history --format json` a revision whose kam.yaml did not load had no
    `changes` key, and only that one had `config_error`: a script iterating
    `rev["changes"]` failed on it. Every revision now has both (null when there is
    nothing to say)."""
    repo = new_repo(tmp_path / "repo")
    write_account(repo, "good")
    commit(repo, "start", date="2026-10-01")
    (repo / "kam.yaml").write_text("focus_tier: [S]\n", encoding="utf-8")
    commit(repo, "typo in kam.yaml", date="2026-10-05")
    (repo / "kam.yaml").write_text("focus_tiers: [S]\n", encoding="utf-8")
    stakeholders = repo / "accounts/good/stakeholders.yaml"
    stakeholders.write_text(
        stakeholders.read_text(encoding="utf-8").replace("attitude: 2", "attitude: 3"),
        encoding="utf-8",
    )
    commit(repo, "boss warmer", date="2026-10-10")
    r = kam(repo, "history", "good", "--format", "json")
    assert r.exit_code == 0, r.stdout + r.stderr
    revisions = r.json()["accounts"][0]["revisions"]
    assert len(revisions) == 3
    assert len({tuple(rev) for rev in revisions}) == 1, [list(rev) for rev in revisions]
    start, typo, warmer = revisions
    assert start["config_error"] is None and warmer["config_error"] is None
    assert typo["config_error"].startswith("kam.yaml:1:1: unknown key 'focus_tier'")
    assert typo["changes"] is None  # not graded: nothing to compare
    assert [c["kind"] for c in warmer["changes"]] == ["score", "attitude"]


def test_schema_asks_for_the_reason_of_a_manual_tier_as_kam_does(kam, tmp_path):
    """`tier: A` without `tier_reason` passed in the editor and failed `kam check`
    ("a manual tier needs a tier_reason saying why")."""
    schema = _schemas(kam, tmp_path)["account"]
    profile = {**ACCOUNT, "tier": "A"}
    write_account(tmp_path, "polar-fish", {"account.yaml": json.dumps(profile) + "\n"})
    r = kam(tmp_path, "validate", "--format", "json")
    assert [f["message"] for f in r.json()["findings"]] == [
        "a manual tier needs a tier_reason saying why"
    ]
    assert not jsonschema.Draft4Validator(schema).is_valid(profile)
    assert jsonschema.Draft4Validator(schema).is_valid({**profile, "tier_reason": "board"})
