"""Defects of a sales-ops trial: `kam check` wired into CI for an account repository whose
kam.yaml tunes rule levels (some raised to error, some lowered to info, one turned off),
gated with `--fail-on`, every CI format read side by side.

- JUnit wrote every finding as a failing test case, whatever `--fail-on` said: a green
  build (exit 0) showed a page of red tests, and `kam validate --format junit` failed a
  case for a KAM008 warning while validate passed. A finding below the threshold is now a
  passing case with its text in `system-out`; `failures` is what failed the run.
- SARIF gave each rule's `defaultConfiguration.level` from kam's built-in default, not
  from kam.yaml (KAM101 raised to error was a "warning" rule with "error" results, a rule
  turned off an enabled one); code-scanning views read the rule's level. `Rule.level`
  now answers for every writer.
- `kam validate` in a CI format, run from a folder below the repository root, named its
  files from that folder (`baltic-freight/stakeholders.yaml`), unlike check and stale
  (`accounts/baltic-freight/...`): annotations missed the pull request's files.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import write_account
from gitrepo import commit, new_repo

KAM_YAML = """\
accounts: accounts
rules:
  KAM101: error     # an unknown decision maker blocks the merge
  KAM105: info      # channels: nice to know
  KAM108: off       # we do not track coaches
  KAM204: info
"""

OSTSEE = {
    "account.yaml": """\
        id: ostsee-logistik
        name: Ostsee Logistik GmbH
        industry: logistics
        owner: jana.kowalski
        stage: build
        reviewed: 2026-06-01
        position: 4
        value: 4
        facts:
          supplier_position: secondary
        """,
    "stakeholders.yaml": """\
        stakeholders:
          - id: henrik-larsen
            name: Henrik Larsen
            title: CFO
            roles: [D]
            attitude: "?"
            intimacy: "?"
            owner: jana.kowalski
            channels: [email]
          - id: ute-brandt
            name: Ute Brandt
            title: Head of Fleet
            roles: [E]
            attitude: 2
            intimacy: 1
            owner: jana.kowalski
            backup: piotr.nowak
            channels: [email, phone]
            last_contact: 2026-05-01
        """,
}

BALTIC = {
    "account.yaml": """\
        id: baltic-freight
        name: Baltic Freight AB
        owner: jana.kowalski
        reviewed: 2026-11-01
        position: 1
        value: 1
        """,
    "stakeholders.yaml": """\
        stakeholders:
          - id: sven-ek
            name: Sven Ek
            title: CEO #1 in Sweden
            roles: [D, C]
            attitude: 2
            intimacy: 3
            owner: jana.kowalski
            backup: piotr.nowak
            channels: [email, phone, linkedin]
            last_contact: 2026-11-20
            reviewed: 2026-11-20
        """,
}

TODAY = ("--today", "2026-12-03")


def _repo(tmp_path, config: str = KAM_YAML):
    repo = new_repo(tmp_path / "key-accounts")
    (repo / "kam.yaml").write_text(config, encoding="utf-8")
    write_account(repo, "ostsee-logistik", OSTSEE)
    write_account(repo, "baltic-freight", BALTIC)
    commit(repo, "accounts")
    return repo


# ------------------------------------------------------------- each format read back
_GITHUB = {"error": "error", "warning": "warning", "notice": "info"}
_SARIF = {"error": "error", "warning": "warning", "note": "info"}
_GITLAB = {"critical": "error", "major": "warning", "info": "info"}
_TAIL = re.compile(r": (KAM\d{3}) .* \((error|warning|info)\)$")


def _levels(fmt: str, out: str) -> list[tuple[str, str]]:
    """(code, level) of every finding a report carries, sorted."""
    if fmt == "text" and "│" in out:  # kam stale's table: its severity column
        rows = [line.split("│") for line in out.splitlines() if line.startswith("│")]
        found = [("KAM2xx", row[-2].strip()) for row in rows]
    elif fmt == "text":
        found = [m.groups() for m in map(_TAIL.search, out.splitlines()) if m]
    elif fmt == "json":
        found = [(f["code"], f["severity"]) for f in json.loads(out)["findings"]]
    elif fmt == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        found = [(r["ruleId"], _SARIF[r["level"]]) for r in results]
    elif fmt == "gitlab":
        found = [(i["check_name"], _GITLAB[i["severity"]]) for i in json.loads(out)]
    elif fmt == "github":
        found = [
            (m.group(2), _GITHUB[m.group(1)])
            for m in re.finditer(r"^::(\w+) file=[^\n]*?title=(KAM\d{3}) ", out, re.M)
        ]
    else:
        assert fmt == "junit"
        found = []
        for case in ET.fromstring(out).iter("testcase"):
            failure, note = case.find("failure"), case.find("system-out")
            if failure is not None:
                code, level = failure.get("type", "").split()
                found.append((code, level))
            elif note is not None:
                m = _TAIL.search((note.text or "").splitlines()[0])
                assert m, note.text
                found.append(m.groups())
    return sorted(found)


FORMATS = ["text", "json", "github", "sarif", "junit", "gitlab"]


# ------------------------------------------------------------------------ JUnit threshold
def test_junit_fails_only_the_findings_at_or_above_fail_on(kam, tmp_path):
    repo = _repo(tmp_path)
    r = kam(repo, "check", "--format", "junit", *TODAY)
    assert r.exit_code == 1  # KAM101 (raised to error) and KAM201 past error_after
    suite = ET.fromstring(r.stdout)
    failing = sorted(
        c.find("failure").get("type")
        for c in suite.iter("testcase")
        if c.find("failure") is not None
    )
    assert failing == ["KAM101 error", "KAM201 error"]
    assert suite.get("failures") == "2" and suite.find("testsuite").get("failures") == "2"
    # a warning below the threshold: reported, with its text, level and hint, not failed
    (kam104,) = [c for c in suite.iter("testcase") if c.get("name").startswith("KAM104 ")]
    assert kam104.find("failure") is None and kam104.find("skipped") is None
    text = kam104.find("system-out").text
    assert text.startswith(
        "accounts/ostsee-logistik/stakeholders.yaml:8:12: KAM104 key person Henrik Larsen "
        "(henrik-larsen) has no backup owner (B role) (warning)\n"
        "below the fail level (error): reported, does not fail the run\nhint: "
    ), text

    # the same cases with --fail-on warning: the warnings fail too, the infos do not
    warn = kam(repo, "check", "--format", "junit", "--fail-on", "warning", *TODAY)
    assert warn.exit_code == 1
    cases = list(ET.fromstring(warn.stdout).iter("testcase"))
    assert [c.get("name") for c in cases] == [c.get("name") for c in suite.iter("testcase")]
    levels = {
        c.find("failure").get("type").split()[1] for c in cases if c.find("failure") is not None
    }
    assert levels == {"error", "warning"}


def test_a_green_build_has_no_failing_test_case(kam, tmp_path):
    """Only warnings and infos left (the errors lowered in kam.yaml): exit 0, and the
    report a CI server shows is all green, every finding still in it."""
    repo = _repo(
        tmp_path, KAM_YAML.replace("KAM101: error", "KAM101: warning") + "  KAM201: warning\n"
    )
    r = kam(repo, "check", "--format", "junit", *TODAY)
    assert r.exit_code == 0, r.stdout
    root = ET.fromstring(r.stdout)
    assert root.get("failures") == "0"
    assert "<failure" not in r.stdout
    notes = [c for c in root.iter("testcase") if c.find("system-out") is not None]
    assert len(notes) == len(kam(repo, "check", "--format", "json", *TODAY).json()["findings"])


def test_validate_junit_does_not_fail_a_warning_and_names_files_from_the_root(kam, tmp_path):
    """validate's threshold is error: its KAM008 warning (a title cut by ' #') passes. Run
    from an account's folder its CI formats name files from the repository root, as
    check's do."""
    repo = _repo(tmp_path)
    here = repo / "accounts"
    r = kam(here, "validate", "--format", "junit", *TODAY)
    assert r.exit_code == 0
    root = ET.fromstring(r.stdout)
    assert root.get("failures") == "0" and "<failure" not in r.stdout
    (case,) = [c for c in root.iter("testcase") if c.get("name").startswith("KAM008 ")]
    assert case.get("classname") == "accounts/baltic-freight/stakeholders.yaml"
    assert "(warning)" in case.find("system-out").text
    github = kam(here, "validate", "--format", "github", *TODAY)
    assert github.stdout.startswith(
        "::warning file=accounts/baltic-freight/stakeholders.yaml,line=4,col=16,title=KAM008 "
    ), github.stdout
    sarif = json.loads(kam(here, "validate", "--format", "sarif", *TODAY).stdout)
    (result,) = sarif["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "accounts/baltic-freight/stakeholders.yaml"
    gitlab = kam(here, "validate", "--format", "gitlab", *TODAY).json()
    assert [i["location"]["path"] for i in gitlab] == ["accounts/baltic-freight/stakeholders.yaml"]


# -------------------------------------------------------------------- SARIF rule levels
def test_sarif_rule_levels_follow_kam_yaml(kam, tmp_path):
    repo = _repo(tmp_path)
    sarif = json.loads(kam(repo, "check", "--format", "sarif", *TODAY).stdout)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    config = {r["id"]: r["defaultConfiguration"] for r in rules}
    assert config["KAM101"] == {"level": "error"}  # raised
    assert config["KAM105"] == {"level": "note"}  # lowered
    assert config["KAM204"] == {"level": "note"}
    assert config["KAM108"] == {"enabled": False, "level": "none"}  # off
    assert config["KAM201"] == {"level": "warning"}  # by threshold, not set
    assert config["KAM104"] == {"level": "warning"}  # default
    assert config["KAM119"] == {"level": "note"}
    # each result's level is its rule's, but for a rule that takes its level from a
    # threshold; each ruleIndex points at its rule
    for result in run["results"]:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        if result["ruleId"] not in {"KAM201", "KAM202", "KAM203", "KAM205"}:
            assert rule["defaultConfiguration"]["level"] == result["level"], result["ruleId"]
    assert "KAM108" not in {r["ruleId"] for r in run["results"]}
    # without kam.yaml's rules: the defaults
    plain = _repo(tmp_path / "plain", "accounts: accounts\n")
    rules = json.loads(kam(plain, "check", "--format", "sarif", *TODAY).stdout)["runs"][0]
    config = {r["id"]: r["defaultConfiguration"] for r in rules["tool"]["driver"]["rules"]}
    assert config["KAM101"] == config["KAM105"] == {"level": "warning"}
    assert config["KAM108"] == {"level": "note"}


def test_sarif_with_configured_levels_passes_the_multitool(kam, tmp_path):
    from test_check_formats import multitool_errors

    repo = _repo(tmp_path)
    sarif = kam(repo, "check", "--format", "sarif", *TODAY).stdout
    assert multitool_errors(sarif, tmp_path) == []


# ------------------------------------------------------------ every format, one verdict
@pytest.mark.parametrize("fail_on", ["error", "warning", "info"])
@pytest.mark.parametrize("command", ["check", "stale"])
def test_every_format_carries_the_configured_levels_and_one_exit_code(
    kam, tmp_path, command, fail_on
):
    repo = _repo(tmp_path)
    seen = {}
    for fmt in FORMATS:
        r = kam(repo, command, "--format", fmt, "--fail-on", fail_on, "--no-color", *TODAY)
        seen[fmt] = (r.exit_code, _levels(fmt, r.stdout))
    exits = {code for code, _found in seen.values()}
    assert len(exits) == 1, seen
    found = seen["json"][1]
    if command == "stale":  # the table names the person and field, not the code
        assert sorted(lvl for _c, lvl in seen.pop("text")[1]) == sorted(
            level for _c, level in found
        )
    assert all(levels == found for _code, levels in seen.values()), seen
    if command == "check":
        assert ("KAM101", "error") in found and ("KAM105", "info") in found
    assert ("KAM204", "info") in found
    assert not any(code == "KAM108" for code, _level in found)  # off: in no format
    rank = {"info": 1, "warning": 2, "error": 3}
    assert exits == {1 if any(rank[lvl] >= rank[fail_on] for _c, lvl in found) else 0}
    junit = kam(repo, command, "--format", "junit", "--fail-on", fail_on, *TODAY)
    failing = int(ET.fromstring(junit.stdout).get("failures"))
    assert failing == sum(1 for _c, lvl in found if rank[lvl] >= rank[fail_on])


# ------------------------------------------------------------------- JUnit suite names
@pytest.mark.parametrize("command", ["check", "stale", "validate"])
def test_junit_names_its_suite_after_the_command(kam, tmp_path, command):
    """A job that writes `kam validate` and `kam check` reports got two suites both
    named "kam check"; each is now named after the command, a broken kam.yaml's too."""
    repo = _repo(tmp_path)
    r = kam(repo, command, "--format", "junit", *TODAY)
    assert ET.fromstring(r.stdout).find("testsuite").get("name") == f"kam {command}"
    (repo / "kam.yaml").write_text("rules:\n  KAM106: erorr\n", encoding="utf-8")
    broken = kam(repo, command, "--format", "junit", *TODAY)
    assert broken.exit_code == 2
    suite = ET.fromstring(broken.stdout).find("testsuite")
    assert suite.get("name") == f"kam {command}" and suite.get("failures") == "1"


# ------------------------------------------------- kam.yaml's rules: every problem at once
def test_a_misspelt_level_and_a_misspelt_code_are_reported_together(kam, tmp_path):
    """`KAM201: Error` (a schema problem) hid `kam101: error` and `KAM002: off` (rule
    codes, checked only once the schema passed): a CI run per mistake."""
    repo = _repo(tmp_path, "rules:\n  kam101: error\n  KAM201: Error\n  KAM002: off\n")
    r = kam(repo, "check", "--format", "json", *TODAY)
    assert r.exit_code == 2
    got = [(f["line"], f["column"], f["message"]) for f in r.json()["findings"]]
    assert got == [
        (2, 3, "unknown rule code 'kam101' (did you mean 'KAM101'?)"),
        (
            3,
            11,
            "rules.KAM201: must be one of 'off', 'error', 'warning' or 'info'; got 'Error' "
            "(did you mean 'error'?)",
        ),
        (4, 3, "KAM002 reports a broken file and cannot be changed or turned off"),
    ], got
    text = kam(repo, "validate", *TODAY)
    assert text.exit_code == 2
    assert [
        line.split(": KAM002 ")[0] for line in text.stderr.splitlines() if ": KAM002 " in line
    ] == [
        "kam.yaml:2:3",
        "kam.yaml:3:11",
        "kam.yaml:4:3",
    ], text.stderr


# ----------------------------------------------- GitHub's overflow in the output language
def test_github_overflow_is_in_the_output_language_at_the_configured_level(kam, tmp_path):
    """Past GitHub's 10 annotations per level the summary annotation and the log lines
    were English ("12 more error findings ... (error)") in a Chinese report."""
    people = "".join(
        f"  - {{id: p{i}, name: P{i}, roles: [D], attitude: '?', owner: jana.kowalski}}\n"
        for i in range(12)
    )
    repo = new_repo(tmp_path / "konten")
    (repo / "kam.yaml").write_text("rules:\n  KAM101: error\n", encoding="utf-8")
    write_account(repo, "t", {"stakeholders.yaml": "stakeholders:\n" + people})
    commit(repo, "accounts")
    r = kam(repo, "check", "--format", "github", "--lang", "zh-CN", *TODAY)
    assert r.exit_code == 1
    errors = [ln for ln in r.stdout.splitlines() if ln.startswith("::error")]
    assert errors[-1] == (
        "::error title=kam：更多问题::另有 3 条错误未加注释（GitHub 每个级别最多显示 10 条），"
        "均列在下方日志中"
    ), errors[-1]
    log = [ln for ln in r.stdout.splitlines() if ln.startswith("accounts/") and "KAM101" in ln]
    assert len(log) == 3 and all(ln.endswith("（错误）") for ln in log), log
    english = kam(repo, "check", "--format", "github", *TODAY).stdout
    assert "3 more error findings are not annotated" in english
