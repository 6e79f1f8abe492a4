"""Trial: a sales-ops engineer sets kam up as the CI gate and pull-request reviewer of a
team's account repository (accounts under `crm/客户` through kam.yaml, Chinese and English
accounts, renames, merges, a shallow clone), checking that the gate never passes by not
looking and that every report file a CI system reads says why it failed."""

from __future__ import annotations

import json

import pytest

from conftest import write_account
from gitrepo import commit, new_repo


def _moved_folder(tmp_path):
    """A repository whose kam.yaml names `crm/customers` while the accounts stayed in
    `crm/accounts`: a pull request that renamed the setting and not the folder."""
    repo = new_repo(tmp_path / "sales")
    (repo / "kam.yaml").write_text("language: en\naccounts: crm/customers\n", encoding="utf-8")
    write_account(repo / "crm", "nordic-freight")
    commit(repo, "accounts", "2026-11-02")
    return repo


@pytest.mark.parametrize("command", ["check", "stale", "validate"])
def test_kam_yaml_naming_a_missing_accounts_folder_is_a_finding_of_every_ci_format(
    kam, tmp_path, command
):
    """`accounts: crm/customers` naming no folder exited 2 with one line on stderr and
    nothing on stdout in every format: the SARIF, JUnit and Code Quality files were empty
    (upload-sarif then failed on an empty file, the pull request got no annotation), as
    an invalid kam.yaml's were before it became a finding. It is kam.yaml's finding now,
    at its `accounts:` value, exit 2 as before."""
    repo = _moved_folder(tmp_path)
    github = kam(repo, command, "--format", "github")
    assert github.exit_code == 2
    assert github.stdout.startswith("::error file=kam.yaml,line=2,col=11,title=KAM002 ")
    assert "no accounts folder at crm/customers" in github.stderr
    sarif = kam(repo, command, "--format", "sarif")
    assert sarif.exit_code == 2
    (result,) = json.loads(sarif.stdout)["runs"][0]["results"]
    assert result["ruleId"] == "KAM002" and "crm/customers" in result["message"]["text"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "kam.yaml"
    assert location["region"] == {"startLine": 2, "startColumn": 11}
    junit = kam(repo, command, "--format", "junit")
    assert junit.exit_code == 2
    assert 'failures="1"' in junit.stdout and 'classname="kam.yaml"' in junit.stdout
    gitlab = kam(repo, command, "--format", "gitlab")
    assert gitlab.exit_code == 2
    assert [(i["location"]["path"], i["location"]["lines"]["begin"]) for i in gitlab.json()] == [
        ("kam.yaml", 2)
    ]
    data = kam(repo, command, "--format", "json")
    assert data.exit_code == 2
    assert [(f["path"], f["line"], f["code"]) for f in data.json()["findings"]] == [
        ("kam.yaml", 2, "KAM002")
    ]
    # text, from a sub-folder: the finding on stderr with the path from there, and the
    # sentence that says what to do
    text = kam(repo / "crm", command)
    assert text.exit_code == 2 and text.stdout == ""
    assert "../kam.yaml:2:11: KAM002 " in text.stderr
    assert "kam: error: no accounts folder at customers (accounts: crm/customers in" in (
        text.stderr
    )


def test_the_missing_accounts_folder_is_said_in_chinese_too(kam, tmp_path):
    repo = _moved_folder(tmp_path)
    r = kam(repo, "check", "--format", "json", "--lang", "zh-CN")
    assert r.exit_code == 2
    (finding,) = r.json()["findings"]
    assert finding["message"] == (
        "accounts: kam.yaml 所在的文件夹下没有 crm/customers 文件夹：一个客户也没有读取"
    )


def test_the_readme_workflow_that_uploads_sarif_may_upload_it(tmp_path):
    """The README's GitHub Actions example uploads kam.sarif with
    github/codeql-action/upload-sarif but granted no permission: with the read-only
    token GitHub gives new repositories and organisations by default, the upload failed
    ("Resource not accessible by integration") and turned the job red while the gate
    passed. It asks for `security-events: write` (and `actions: read`, which the upload
    needs in a private repository), and is a valid workflow."""
    import yaml

    from conftest import REPO, venv_tool

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("# .github/workflows/accounts.yml")
    text = readme[start : readme.index("```", start)]
    workflow = yaml.safe_load(text)
    job = workflow["jobs"]["kam"]
    assert any("upload-sarif" in step.get("uses", "") for step in job["steps"])
    granted = {**workflow.get("permissions", {}), **job.get("permissions", {})}
    assert granted.get("security-events") == "write"
    assert granted.get("actions") == "read" and granted.get("contents") == "read"
    tool = venv_tool("check-jsonschema")
    if tool is not None:
        import subprocess

        path = tmp_path / "accounts.yml"
        path.write_text(text, encoding="utf-8")
        checked = subprocess.run(
            [tool, "--builtin-schema", "vendor.github-workflows", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert checked.returncode == 0, checked.stdout


def _breaking_pull_request(tmp_path):
    """main holds two accounts; the branch breaks one's stakeholders.yaml (an unclosed
    flow list, as a hurried edit in the browser leaves it)."""
    repo = new_repo(tmp_path / "sales")
    (repo / "kam.yaml").write_text("accounts: 客户/accounts\n", encoding="utf-8")
    for acct in ("nordic-freight", "changjiang-bank"):
        write_account(repo / "客户", acct)
    commit(repo, "accounts", "2026-11-02")
    people = repo / "客户" / "accounts" / "changjiang-bank" / "stakeholders.yaml"
    people.write_text(
        people.read_text(encoding="utf-8").replace("attitude: 2", "attitude: [2"),
        encoding="utf-8",
    )
    commit(repo, "长江银行: broken", "2026-11-20")
    return repo


def _row(markdown: str, acct: str) -> list[str]:
    line = next(x for x in markdown.splitlines() if x.startswith(f"| **{acct}**"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_the_review_table_does_not_show_the_old_score_of_an_account_that_stopped_loading(
    kam, tmp_path
):
    """In the pull-request comment's table, an account the branch broke showed tier `-`
    and score `91`: the score it had before, in the column a manager reads as the score
    now, beside a tier that was not there. Both cells say what changed: `A → -`,
    `91 → -`; and back: `- → A`, `- → 91`."""
    repo = _breaking_pull_request(tmp_path)
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "markdown")
    assert r.exit_code == 1
    account, tier, score, changes, _findings = _row(r.stdout, "changjiang-bank")
    assert "▼" in account and "does not load" in changes
    assert (tier, score) == ("A → -", "91 → - ▼")
    back = kam(repo, "diff", "HEAD", "HEAD~1", "--format", "markdown")
    assert back.exit_code == 0
    _account, tier, score, _changes, _findings = _row(back.stdout, "changjiang-bank")
    assert (tier, score) == ("- → A", "- → 91")


@pytest.mark.parametrize("command", ["check", "stale", "validate"])
def test_an_accounts_folder_with_no_account_is_a_finding_of_every_ci_format(kam, tmp_path, command):
    """A pull request that moved every account out of `crm/data` (or a repository set up
    before its first account) failed the gate with exit 1, and a line on stderr only: the
    SARIF, JUnit, Code Quality and JSON reports were empty files, which upload-sarif and
    a script reading the JSON then failed on, and the pull request had no annotation
    saying why the gate failed. The reports now hold one error on the folder; exit 1 as
    before, and the text output is unchanged."""
    repo = new_repo(tmp_path / "sales")
    (repo / "kam.yaml").write_text("accounts: crm/data\n", encoding="utf-8")
    (repo / "crm" / "data").mkdir(parents=True)
    message = "no account folders in crm/data: nothing was read"
    github = kam(repo / "crm", command, "--format", "github")
    assert github.exit_code == 1
    assert github.stdout.startswith("::error file=crm/data,line=1,col=1,title=KAM006 ")
    # the message names the folder as the text output does, from where kam ran
    assert "::no account folders in data: nothing was read\n" in github.stdout
    sarif = kam(repo, command, "--format", "sarif")
    assert sarif.exit_code == 1
    (result,) = json.loads(sarif.stdout)["runs"][0]["results"]
    assert result["level"] == "error" and message in result["message"]["text"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "crm/data"
    junit = kam(repo, command, "--format", "junit")
    assert junit.exit_code == 1
    assert 'failures="1"' in junit.stdout and 'classname="crm/data"' in junit.stdout
    gitlab = kam(repo, command, "--format", "gitlab")
    assert gitlab.exit_code == 1
    assert [i["location"]["path"] for i in gitlab.json()] == ["crm/data"]
    data = kam(repo, command, "--format", "json")
    assert data.exit_code == 1
    assert [(f["code"], f["path"]) for f in data.json()["findings"]] == [("KAM006", "crm/data")]
    text = kam(repo, command)
    assert text.exit_code == 1 and text.stdout == ""
    assert text.stderr.strip() == f"kam: error: {message}; run `kam init ID` to start one"


def test_a_person_added_who_has_left_reads_so_in_the_review(kam, tmp_path):
    """A pull request that records a former decision maker for the history (`left_on`
    set, attitude never known) read "new decision maker, attitude unknown ▼" in the
    comment, a worse change: a manager took them for a new, unknown decision maker to win
    over. The line says they left, and is not worse: they count for nothing now."""
    repo = new_repo(tmp_path / "sales")
    write_account(repo, "changjiang-bank")
    commit(repo, "accounts", "2026-11-02")
    people = repo / "accounts" / "changjiang-bank" / "stakeholders.yaml"
    with people.open("a", encoding="utf-8") as out:
        out.write(
            '  - id: zhao-lei\n    name: 赵磊\n    roles: [D]\n    attitude: "?"\n'
            "    left_on: 2026-06-30\n"
            "  - id: qian-li\n    name: 钱力\n    roles: [I]\n    attitude: 1\n"
            "    left_on: 2026-10-01\n"
        )
    commit(repo, "长江银行: former decision makers", "2026-11-20")
    r = kam(repo, "diff", "HEAD~1", "HEAD")
    assert r.exit_code == 0, r.stderr
    assert "+ new decision maker, attitude unknown, left on 2026-06-30" in r.stdout
    assert "+ new stakeholder [I], attitude +1, left on 2026-10-01" in r.stdout
    assert "▼" not in r.stdout and "worse" not in r.stdout.split("\n\n")[1]
    data = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    added = [c for c in data["accounts"][0]["changes"] if c["kind"] == "person-added"]
    assert [c["direction"] for c in added] == [0, 0]
    # a hostile decision maker whose departure is only announced counts until then: the
    # change stays worse, and says when they leave
    with people.open("a", encoding="utf-8") as out:
        out.write(
            "  - id: sun-tao\n    name: 孙涛\n    roles: [D]\n    attitude: -2\n"
            "    left_on: 2027-03-31\n"
        )
    commit(repo, "长江银行: a new CFO, leaving next spring", "2026-11-22")
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse")
    assert "▼ new decision maker, attitude -2, leaves on 2027-03-31" in r.stdout, r.stdout
    assert r.exit_code == 1
    zh = kam(repo, "--lang", "zh-CN", "diff", "HEAD~1", "HEAD")
    assert "将于 2027-03-31 离开" in zh.stdout, zh.stdout


def test_a_repository_with_no_accounts_folder_is_a_finding_of_every_ci_format(kam, tmp_path):
    """A team's repository wired to CI before its first account, or a change that removed
    `accounts/` (no kam.yaml): exit 2 and empty report files. The CI formats hold one
    error on the folder kam looked for; exit 2 and the text output as before."""
    repo = new_repo(tmp_path / "sales")
    (repo / "README.md").write_text("Key accounts\n", encoding="utf-8")
    commit(repo, "start", "2026-11-02")
    sarif = kam(repo, "check", "--format", "sarif")
    assert sarif.exit_code == 2
    (result,) = json.loads(sarif.stdout)["runs"][0]["results"]
    assert result["message"]["text"] == "no accounts folder at accounts: nothing was read"
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "accounts"
    junit = kam(repo, "validate", "--format", "junit")
    assert junit.exit_code == 2 and 'classname="accounts"' in junit.stdout
    text = kam(repo, "check")
    assert text.exit_code == 2 and text.stdout == ""
    assert text.stderr.startswith("kam: error: no accounts folder at accounts and no kam.yaml")


def test_a_path_that_names_nothing_is_a_finding_of_every_ci_format(kam, tmp_path):
    """A CI job that checks the accounts a pull request touched, one of which the pull
    request removed (`kam check acme --format sarif > kam.sarif`), or a path mistyped in
    the workflow: the report file was empty and the upload step failed on it, hiding why
    the gate failed. Each CI format holds one error on the argument; the exit code and
    the line on stderr are as before (1: no such account; 2: no such path)."""
    repo = new_repo(tmp_path / "sales")
    write_account(repo, "changjiang-bank")
    commit(repo, "accounts", "2026-11-02")
    for args, code, message, where in (
        (
            ["huaxin"],
            1,
            "no account 'huaxin' (accounts: changjiang-bank)",
            "huaxin",
        ),
        (
            ["accounts/huaxin/stakeholders.yaml"],
            2,
            "no such file or folder: accounts/huaxin/stakeholders.yaml",
            "accounts/huaxin/stakeholders.yaml",
        ),
    ):
        sarif = kam(repo, "check", *args, "--format", "sarif")
        assert sarif.exit_code == code
        assert sarif.stderr == f"kam: error: {message}\n"
        (result,) = json.loads(sarif.stdout)["runs"][0]["results"]
        assert result["message"]["text"] == message
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == where
        # what to do about a name or a path typed wrong, not "run kam init to start one"
        help_text = json.loads(kam(repo, "check", *args, "--format", "json").stdout)["findings"][0][
            "hint"
        ]
        assert help_text.startswith(("Name an account by its id", "Correct the path")), help_text
        for command, fmt in (("stale", "gitlab"), ("validate", "junit"), ("check", "json")):
            r = kam(repo, command, *args, "--format", fmt)
            assert r.exit_code == code and message in r.stdout, (command, fmt)
        text = kam(repo, "check", *args)
        assert (text.exit_code, text.stdout) == (code, "")
    plan = kam(repo, "plan", "huaxin")
    assert (plan.exit_code, plan.stdout) == (1, "")
    assert plan.stderr == "kam: error: no account 'huaxin' (accounts: changjiang-bank)\n"


def test_a_new_target_is_not_told_twice(kam, tmp_path):
    """A new target read "new target t1 (份额提升到30%): kind share, text 份额提升到30%,
    due ...": its text in the title and again among its fields, which a manager reads
    twice in the comment. The title names it once; the other fields follow."""
    repo = new_repo(tmp_path / "sales")
    write_account(repo, "changjiang-bank")
    commit(repo, "accounts", "2026-11-02")
    (repo / "accounts" / "changjiang-bank" / "targets.yaml").write_text(
        "period: 2026\ntargets:\n  - id: t1\n    kind: share\n    text: 份额提升到30%\n"
        "    due: 2026-12-31\n    owner: li.ming\n",
        encoding="utf-8",
    )
    commit(repo, "长江银行: plan", "2026-11-20")
    r = kam(repo, "diff", "HEAD~1", "HEAD")
    assert (
        "+ new target t1 (份额提升到30%): kind share, due 2026-12-31, owner li.ming\n" in r.stdout
    )
    assert r.stdout.count("份额提升到30%") == 1


def test_junit_does_not_pass_the_files_of_an_account_it_could_not_check(kam, tmp_path):
    """In `kam check --format junit`, the account whose stakeholders.yaml the branch broke
    had its account.yaml as a passing test case, "no findings": the test report showed a
    file the rules never looked at (the account did not load) as checked and clean. It
    is a skipped case saying why; `kam validate`, which reads every file's syntax and
    schema, keeps it as a passing case."""
    import xml.etree.ElementTree as ET

    from conftest import REPO

    repo = _breaking_pull_request(tmp_path)
    r = kam(repo, "check", "--format", "junit")
    assert r.exit_code == 1
    xmlschema = pytest.importorskip("xmlschema")
    xmlschema.XMLSchema(str(REPO / "tests" / "data" / "junit.xsd")).validate(r.stdout)
    suite = ET.fromstring(r.stdout).find("testsuite")
    assert suite is not None and suite.get("skipped") == "1"
    cases = {(c.get("classname"), c.get("name")): c for c in suite.iter("testcase")}
    broken = "客户/accounts/changjiang-bank/account.yaml"
    case = cases[(broken, "not checked")]
    skipped = case.find("skipped")
    assert skipped is not None
    assert skipped.get("message") == (
        "not checked: the account does not load (its errors are failing cases)"
    )
    assert (broken, "no findings") not in cases
    # the account that loads has no skipped case
    assert not [
        c
        for (path, _name), c in cases.items()
        if "nordic-freight" in path and c.find("skipped") is not None
    ]
    validate = kam(repo, "validate", "--format", "junit")
    assert f'classname="{broken}" name="no findings"' in validate.stdout
    assert 'skipped="0"' in validate.stdout


def test_kam_yaml_naming_one_account_as_the_accounts_folder_is_refused(kam, tmp_path):
    """A pull request that set `accounts: 客户/accounts/nordic-freight` (one account's
    folder) made `kam check` read that one account as the whole portfolio: "0 errors in
    1 account", exit 0, while the account the same branch broke was never read; `kam
    diff` read no account at all on the head side. An accounts folder that holds account
    files of its own is refused as kam.yaml's error at `accounts:`, exit 2, in every
    format, before any account is read."""
    repo = _breaking_pull_request(tmp_path)
    (repo / "kam.yaml").write_text("accounts: 客户/accounts/nordic-freight\n", encoding="utf-8")
    r = kam(repo, "check")
    assert r.exit_code == 2 and r.stdout == ""
    assert (
        "kam.yaml:1:11: KAM002 accounts: 客户/accounts/nordic-freight is an account folder "
        "(it holds account.yaml and stakeholders.yaml): kam would read it as the only account"
        in r.stderr
    )
    github = kam(repo, "check", "--format", "github")
    assert github.exit_code == 2
    assert github.stdout.startswith("::error file=kam.yaml,line=1,col=11,title=KAM002 ")
    assert kam(repo, "grade").exit_code == 2
    # named on the command line, one account folder is one account, as ever
    (repo / "kam.yaml").write_text("accounts: 客户/accounts\n", encoding="utf-8")
    one = kam(repo, "check", "客户/accounts/nordic-freight")
    assert one.exit_code == 0 and "in 1 account" in one.stdout


def _silencing_pull_request(tmp_path):
    """main: a decision maker opposed (KAM102) and a contact 90 days old (KAM201, an
    error for a focus-tier account); the branch adds `# kam: disable=` comments for both
    and changes nothing else."""
    repo = new_repo(tmp_path / "sales")
    people = (
        "stakeholders:\n  - id: boss\n    name: 王强\n    roles: [D, C]\n"
        "    attitude: -1{att}\n    intimacy: 1\n    owner: li.ming\n    backup: wang.fang\n"
        "    channels: [calls, visits]\n    last_contact: 2026-08-26{contact}\n"
        "    reviewed: 2026-11-01\n"
    )
    write_account(repo, "changjiang-bank", {"stakeholders.yaml": people.format(att="", contact="")})
    commit(repo, "accounts", "2026-11-02")
    write_account(
        repo,
        "changjiang-bank",
        {
            "stakeholders.yaml": people.format(
                att="  # kam: disable=KAM102 -- known", contact="  # kam: disable=KAM201"
            )
        },
    )
    commit(repo, "长江银行: quiet the gate", "2026-11-20")
    return repo


def test_a_finding_silenced_in_the_pull_request_is_not_shown_as_resolved(kam, tmp_path):
    """A pull request that only added `# kam: disable=KAM102` and `# kam: disable=KAM201`
    comments showed both findings struck through as "resolved" in the review comment: a
    manager read a comment that hides a problem as the problem fixed. Each is a change of
    its own, "silenced ..., not resolved", under a heading that says so; the silenced
    error (the stale contact the gate failed on) is a worse change, so --fail-on-worse
    fails; the opposed decision maker (a warning) is shown without failing it."""
    repo = _silencing_pull_request(tmp_path)
    assert kam(repo, "check").exit_code == 0  # the gate passes now
    r = kam(repo, "diff", "HEAD~1", "HEAD")
    assert r.exit_code == 0, r.stderr
    assert "resolved KAM" not in r.stdout and "0 new, 2 resolved" not in r.stdout
    assert "  findings silenced, not resolved\n" in r.stdout
    assert (
        "    ▼ KAM201 silenced by a '# kam: disable=KAM201' comment in stakeholders.yaml, "
        "not resolved: last contact with 王强 (boss) was"
    ) in r.stdout
    assert (
        "    ~ KAM102 silenced by a '# kam: disable=KAM102' comment in stakeholders.yaml, "
        "not resolved: decision maker 王强 (boss) is opposed (attitude -1)"
    ) in r.stdout
    md = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "markdown").stdout
    assert "**Findings silenced, not resolved**" in md and "~~" not in md
    data = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    (acct,) = data["accounts"]
    assert acct["resolved_findings"] == []
    assert sorted(c["kind"] for c in acct["changes"]) == ["silenced", "silenced"]
    assert kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse").exit_code == 1


def test_a_finding_fixed_beside_a_comment_for_another_is_resolved(kam, tmp_path):
    """Silenced was told by counting the file's disable comments for the rule: a pull
    request that really won over one opposed decision maker and added a comment for
    another's KAM102 listed the won one as "silenced, not resolved". A finding is silenced
    only when the head side still finds it and a comment drops it."""
    repo = new_repo(tmp_path / "sales")
    people = (
        "stakeholders:\n"
        "  - {{id: boss, name: 王强, roles: [D], attitude: {boss}, owner: li.ming,"
        " backup: wang.fang, channels: [a, b], last_contact: 2026-11-20}}\n"
        "  - {{id: cfo, name: 赵敏, roles: [D], attitude: -1, owner: li.ming,"
        " backup: wang.fang, channels: [a, b], last_contact: 2026-11-20}}{note}\n"
    )
    write_account(repo, "changjiang-bank", {"stakeholders.yaml": people.format(boss=-1, note="")})
    commit(repo, "accounts", "2026-11-02")
    write_account(
        repo,
        "changjiang-bank",
        {"stakeholders.yaml": people.format(boss=1, note="  # kam: disable=KAM102")},
    )
    commit(repo, "王强 won over; 赵敏 known", "2026-11-20")
    data = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    (acct,) = data["accounts"]
    resolved = [f["message"] for f in acct["resolved_findings"] if f["code"] == "KAM102"]
    assert resolved == ["decision maker 王强 (boss) is opposed (attitude -1)"], acct
    silenced = [c["text"] for c in acct["changes"] if c["kind"] == "silenced"]
    assert len(silenced) == 1 and "赵敏 (cfo)" in silenced[0], silenced


def test_account_files_left_in_the_accounts_folder_itself_do_not_hide_the_accounts(kam, tmp_path):
    """An account.yaml copied into `accounts/` itself (beside the account folders, a
    template someone saved there) made kam read the whole accounts folder as one account:
    "folder name 'accounts' is not a valid account id", "required file stakeholders.yaml
    is missing", "in 1 account", and none of the real accounts was checked. It is refused
    with what to do, exit 2, and in a CI format one error on the folder."""
    repo = new_repo(tmp_path / "sales")
    for acct in ("nordic-freight", "changjiang-bank"):
        write_account(repo, acct)
    (repo / "accounts" / "account.yaml").write_text(
        "id: new-customer\nname: 新客户\nowner: li.ming\nreviewed: 2026-11-01\n"
        "position: 3\nvalue: 3\n",
        encoding="utf-8",
    )
    commit(repo, "accounts and a template", "2026-11-20")
    r = kam(repo, "check")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith(
        "kam: error: the accounts folder accounts holds account files of its own "
        "(account.yaml): kam would read it as one account and not the account folders in it"
    )
    sarif = kam(repo, "check", "--format", "sarif")
    assert sarif.exit_code == 2
    (result,) = json.loads(sarif.stdout)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "accounts"
    # one account's folder named on the command line is one account, as ever
    assert kam(repo, "check", "accounts/nordic-freight").exit_code in (0, 1)
    assert "in 1 account" in kam(repo, "check", "accounts/nordic-freight").stdout


def test_validate_annotates_in_github_actions_as_check_and_stale_do(kam, tmp_path):
    """Inside GitHub Actions `kam check` and `kam stale` write annotations by themselves,
    as the README's table of formats says of all three; `kam validate` wrote plain text,
    so a workflow step running it left the pull request without a mark on the broken
    line. It chooses `github` the same way; `--format text` still gives text."""
    repo = _breaking_pull_request(tmp_path)
    actions = {"GITHUB_ACTIONS": "true", "GITHUB_WORKFLOW": "accounts"}
    r = kam(repo, "validate", env=actions)
    assert r.exit_code == 1
    # at the "[" never closed, on the line the pull request changed
    assert r.stdout.startswith(
        "::error file=客户/accounts/changjiang-bank/stakeholders.yaml,line=5,col=15,"
    )
    text = kam(repo, "validate", "--format", "text", env=actions)
    assert text.stdout.startswith("客户/accounts/changjiang-bank/stakeholders.yaml:5:15:")
