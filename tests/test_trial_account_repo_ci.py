"""Trial: a sales-ops person wiring kam into an account repository's CI (GitHub Actions,
GitLab), reviewing pull requests with kam diff, and a director reading kam history and
kam portfolio --since over a year of commits (renames, removals, kam.yaml changes)."""

from __future__ import annotations

import json

from conftest import write_account
from gitrepo import commit, git, new_repo

PEOPLE = """\
stakeholders:
  - id: bob
    name: {bob}
    roles: [D, C]
    attitude: "?"
    intimacy: 1
    owner: li.ming
    last_contact: 2025-11-20
    reviewed: 2025-11-01
  - id: carl
    name: Carl Meier
    roles: [E]
    attitude: 1
    intimacy: 1
    owner: li.ming
"""

PROFILE = """\
id: {id}
name: {name}
owner: li.ming
reviewed: 2025-10-01
position: {position}
value: {value}
"""


def _account(root, acct, *, bob="Bob Stone", position=3, value=3):
    write_account(
        root,
        acct,
        {
            "account.yaml": PROFILE.format(
                id=acct, name=f"{acct.title()} Industries", position=position, value=value
            ),
            "stakeholders.yaml": PEOPLE.format(bob=bob),
        },
    )


def _year(tmp_path):
    """A year of commits: a nickname corrected, an account removed and added back, a
    rates-only kam.yaml change, a tier change, a kam.yaml change with an account edit."""
    repo = new_repo(tmp_path / "crm")
    (repo / "kam.yaml").write_text("accounts: accounts\ncurrency: EUR\n", encoding="utf-8")
    for acct in ("alpha", "beta", "gamma"):
        _account(repo, acct)
    commit(repo, "first accounts", "2025-12-01")
    _account(repo, "alpha", bob="Bobby Stone")
    commit(repo, "alpha: nickname", "2026-01-10")
    _account(repo, "alpha", bob="Robert Stone")
    commit(repo, "alpha: full name", "2026-02-10")
    git(repo, "rm", "-rq", "accounts/gamma")
    commit(repo, "gamma lost", "2026-03-01")
    (repo / "kam.yaml").write_text(
        "accounts: accounts\ncurrency: EUR\nrates: {USD: 0.9}\n", encoding="utf-8"
    )
    commit(repo, "rates", "2026-04-01")
    _account(repo, "gamma")
    commit(repo, "gamma back", "2026-05-01")
    _account(repo, "alpha", bob="Robert Stone", position=5, value=5)
    commit(repo, "alpha up", "2026-06-01")
    (repo / "kam.yaml").write_text(
        "accounts: accounts\ncurrency: EUR\nrates: {USD: 0.95}\n", encoding="utf-8"
    )
    (repo / "accounts/beta/account.yaml").write_text(
        PROFILE.format(id="beta", name="Beta Industries", position=3, value=3)
        + "industry: Steel\n",
        encoding="utf-8",
    )
    commit(repo, "rates again, beta's industry", "2026-08-01")
    return repo


def _rows(result, acct):
    for a in result.json()["accounts"]:
        if a["id"] == acct:
            return a["revisions"]
    raise AssertionError(f"{acct} not in the history")


def test_history_takes_folders_as_every_command_does(kam, tmp_path):
    repo = _year(tmp_path)
    everyone = kam(repo, "history", "--format", "json")
    assert kam(repo, "history", ".", "--format", "json").stdout == everyone.stdout
    assert kam(repo, "history", "accounts", "--format", "json").stdout == everyone.stdout
    one = kam(repo, "history", "alpha", "--format", "json")
    assert one.exit_code == 0
    for arg in ("accounts/alpha", "accounts/alpha/", "accounts/alpha/stakeholders.yaml"):
        r = kam(repo, "history", arg, "--format", "json")
        assert r.exit_code == 0, r.stderr
        assert r.stdout == one.stdout
    inside = kam(repo / "accounts" / "alpha", "history", ".", "--format", "json")
    assert [a["id"] for a in inside.json()["accounts"]] == ["alpha"]
    # from inside one account, another's id is still that account (not a path here)
    other = kam(repo / "accounts" / "alpha", "history", "beta", "--format", "json")
    assert [a["id"] for a in other.json()["accounts"]] == ["beta"]
    person = kam(repo, "history", "accounts/alpha", "bob")
    assert person.exit_code == 0 and "Robert Stone" in person.stdout
    # an empty argument (an unset variable) is no "every account"
    empty = kam(repo, "history", "")
    assert empty.exit_code == 2 and "the account is empty ('')" in empty.stderr
    # a folder outside the accounts folder is named as such, not as an unknown id
    (repo / "docs").mkdir()
    r = kam(repo, "history", "docs/")
    assert r.exit_code == 2 and "docs/ is not in the accounts folder accounts" in r.stderr


def test_an_account_removed_and_added_back_is_restored(kam, tmp_path):
    repo = _year(tmp_path)
    removal = git(repo, "rev-parse", "--short", "HEAD~4").strip()
    rows = _rows(kam(repo, "history", "gamma", "--format", "json"), "gamma")
    assert [r["status"] for r in rows] == ["added", "removed", "restored"]
    assert rows[2]["removed_in"]["date"] == "2026-03-01"
    assert rows[2]["change"] == (
        f"account restored (removed 2026-03-01 in {removal}); score 24 (unchanged)"
    )
    # the range starts after the removal: still the account restored, not a new one
    since = kam(repo, "history", "gamma", "--since", "2026-03-15")
    assert f"account restored (removed 2026-03-01 in {removal}); score 24 (E)" in since.stdout
    assert "new account" not in since.stdout
    portfolio = kam(repo, "portfolio", "--since", "2026-03-15")
    assert (
        f"Gamma Industries (gamma): A, 24 (E); restored (removed 2026-03-01 in {removal})"
        in portfolio.stdout
    )
    data = kam(repo, "portfolio", "--since", "2026-03-15", "--format", "json").json()
    gained = data["since"]["gained"]
    assert [g["id"] for g in gained] == ["gamma"] and gained[0]["restored"]["short"] == removal
    # an account new in the range is not "restored"
    fresh = kam(repo, "portfolio", "--since", "2025-12-01", "--format", "json").json()
    assert all(g.get("restored") is None for g in fresh["since"]["gained"])


def test_a_name_written_out_anew_or_a_tier_change_keeps_the_findings(kam, tmp_path):
    repo = _year(tmp_path)
    rows = _rows(kam(repo, "history", "alpha", "--format", "json"), "alpha")
    by_subject = {r["subject"]: r["change"] for r in rows}
    assert by_subject["alpha: nickname"] == (
        "score 24 (unchanged); Bobby Stone: name Bob Stone → Bobby Stone"
    )
    assert "findings" not in by_subject["alpha: full name"]
    for lang in ("en", "zh-CN"):  # "Name (id)" and "姓名（id）"
        diff = kam(repo, "diff", "HEAD~6", "HEAD~5", "--format", "json", "--lang", lang).json()
        [alpha] = diff["accounts"]
        assert alpha["new_findings"] == [] and alpha["resolved_findings"] == []
    # a tier change between two focus tiers (A to S): "tier A account ..." is still the
    # finding "tier S account ...", and the stale contact the same stale contact
    up = kam(repo, "diff", "HEAD~2", "HEAD~1", "--format", "json").json()
    [alpha] = up["accounts"]
    assert alpha["before"]["tier"] == "A" and alpha["after"]["tier"] == "S"
    assert alpha["new_findings"] == [] and alpha["resolved_findings"] == []
    assert "findings" not in by_subject["alpha up"]


def test_a_tier_entering_the_focus_adds_its_findings_and_keeps_the_others(kam, tmp_path):
    """Into a focus tier, the focus tier's findings are new; the stale contact, whose
    message now names the focus threshold, is the same finding, not one resolved and one new."""
    repo = new_repo(tmp_path / "crm")
    (repo / "kam.yaml").write_text("focus_tiers: [S]\n", encoding="utf-8")
    _account(repo, "alpha", position=3, value=3)
    commit(repo, "alpha at A", "2026-01-05")
    _account(repo, "alpha", position=5, value=5)
    commit(repo, "alpha at S", "2026-02-05")
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    [alpha] = r["accounts"]
    assert alpha["before"]["tier"] == "A" and alpha["after"]["tier"] == "S"
    assert alpha["resolved_findings"] == []
    new = {f["code"] for f in alpha["new_findings"]}
    assert "KAM306" in new and "KAM201" not in new
    stale = kam(repo, "check", "--format", "json").json()["findings"]
    assert any(
        f["code"] == "KAM201" and "(error_after, focus tiers)" in f["message"] for f in stale
    )


def test_a_kam_yaml_change_that_moves_no_grade_is_no_history_row(kam, tmp_path):
    repo = _year(tmp_path)
    history = kam(repo, "history", "--format", "json")
    for acct in ("alpha", "gamma"):
        subjects = [r["subject"] for r in _rows(history, acct)]
        assert "rates" not in subjects
        assert "rates again, beta's industry" not in subjects
    beta = [r["subject"] for r in _rows(history, "beta")]
    assert beta == ["first accounts", "rates again, beta's industry"]


def test_commit_ids_are_short_in_human_output(kam, tmp_path):
    repo = _year(tmp_path)
    base = git(repo, "rev-parse", "HEAD~1").strip()
    short = git(repo, "rev-parse", "--short", "HEAD~1").strip()
    r = kam(repo, "diff", base, "HEAD")
    assert r.stdout.startswith(f"kam diff {short} → HEAD")
    assert base not in r.stdout
    md = kam(repo, "diff", base, "HEAD", "--format", "markdown")
    assert base not in md.stdout and short in md.stdout
    j = kam(repo, "diff", base, "HEAD", "--format", "json").json()
    assert j["base"] == short and j["base_commit"] == base
    # git abbreviates further in a repository whose core.abbrev asks for it
    git(repo, "config", "core.abbrev", "10")
    ten = git(repo, "rev-parse", "--short", "HEAD~1").strip()
    assert len(ten) == 10
    assert kam(repo, "diff", base, "HEAD").stdout.startswith(f"kam diff {ten} → HEAD")
    table = kam(repo, "history", "beta").stdout
    assert git(repo, "rev-parse", "--short", "HEAD").strip() in table
    since = kam(repo, "portfolio", "--since", "2026-03-15").stdout
    assert f"(commit {git(repo, 'rev-parse', '--short', 'HEAD~4').strip()} of" in since


def test_kam001_names_a_merge_conflict_and_a_colon_in_a_value(kam, tmp_path):
    write_account(
        tmp_path,
        "delta",
        {
            "account.yaml": (
                "id: delta\nname: Delta AG\nowner: li.ming\n<<<<<<< HEAD\nposition: 3\n"
                "=======\nposition: 4\n>>>>>>> feature/delta\nvalue: 3\n"
            )
        },
    )
    write_account(
        tmp_path,
        "omega",
        {
            "account.yaml": (
                "id: omega\nname: Omega AG\nowner: li.ming\nposition: 3\nvalue: 3\nneeds:\n"
                "  - kind: explicit\n    text: cut cost: 30% by 2027  # their words\n"
            )
        },
    )
    r = kam(tmp_path, "validate")
    assert r.exit_code == 1
    assert (
        "accounts/delta/account.yaml:4:1: KAM001 a merge conflict was left in the file: "
        "line 4 holds git's conflict marker '<<<<<<<'; keep the lines that are right, and "
        "delete the markers (<<<<<<<, =======, >>>>>>>) and the lines you do not keep"
    ) in r.stdout
    assert "Resolve the conflict (git status lists the files)" in r.stdout
    assert (
        "accounts/omega/account.yaml:8:19: KAM001 the value of text holds a colon and a "
        "space (': '), which YAML reads as the start of another key: put the whole value "
        'in quotes: text: "cut cost: 30% by 2027"'
    ) in r.stdout
    zh = kam(tmp_path, "validate", "--lang", "zh-CN")
    assert "合并冲突" in zh.stdout


def test_kam_diff_names_the_kam_yaml_settings_that_changed(kam, tmp_path):
    repo = _year(tmp_path)
    r = kam(repo, "diff", "HEAD~1", "HEAD")
    assert r.stdout.splitlines()[1] == (
        "kam.yaml settings differ between HEAD~1 and HEAD: rates (both sides are graded "
        "with kam.yaml as it is in the working tree)"
    )
    md = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "markdown").stdout
    assert "kam.yaml settings differ between HEAD~1 and HEAD: `rates`" in md
    assert kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json").json()["settings_changed"] == [
        "rates"
    ]
    # a key written out with its default value changes nothing
    (repo / "kam.yaml").write_text(
        "accounts: accounts\ncurrency: EUR\nrates: {USD: 0.95}\nfocus_tiers: [S, A]\n",
        encoding="utf-8",
    )
    commit(repo, "focus tiers written out", "2026-09-01")
    same = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    assert same["settings_changed"] == []
    (repo / "kam.yaml").write_text(
        "accounts: accounts\ncurrency: EUR\nrates: {USD: 0.95}\nfocus_tiers: [S]\n",
        encoding="utf-8",
    )
    moved = kam(repo, "diff", "HEAD")  # against the working tree
    assert "kam.yaml settings differ between HEAD and working tree: focus_tiers" in moved.stdout
    assert kam(repo, "diff", "HEAD~3", "HEAD~2").stdout.count("kam.yaml settings") == 0


def test_sarif_does_not_send_the_reader_to_a_package_index(kam, tmp_path):
    _account(tmp_path, "alpha")
    doc = json.loads(kam(tmp_path, "check", "--format", "sarif").stdout)
    driver = doc["runs"][0]["tool"]["driver"]
    assert "pypi.org" not in json.dumps(driver)
    assert driver.get("informationUri", "https://").startswith("https://")


def _case_names(xml: str) -> list[str]:
    import xml.etree.ElementTree as ET

    return [case.get("name", "") for case in ET.fromstring(xml).iter("testcase")]


def test_junit_case_names_stay_when_lines_move_and_days_pass(kam, tmp_path):
    _account(tmp_path, "alpha")
    names = _case_names(kam(tmp_path, "check", "--format", "junit").stdout)
    assert names and not any(" line " in n or " col " in n for n in names)
    assert "KAM201 bob: last_contact" in names
    assert 'KAM101 decision maker Bob Stone (bob) has an unknown attitude "?"' in names
    assert len(set(names)) == len(names)
    # lines move (a comment on top), a month passes: the same names
    folder = tmp_path / "accounts" / "alpha"
    for name in ("account.yaml", "stakeholders.yaml"):
        path = folder / name
        path.write_text("# moved down\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    later = kam(tmp_path, "check", "--format", "junit", "--today", "2026-12-24").stdout
    assert sorted(_case_names(later)) == sorted(names)


def test_github_annotations_put_broken_accounts_then_the_pull_requests_files_first(kam, tmp_path):
    repo = new_repo(tmp_path / "crm")
    for acct in ("aaa", "bbb", "ccc", "ddd"):
        _account(repo, acct)
    commit(repo, "accounts", "2026-01-05")
    git(repo, "checkout", "-qb", "feature")
    (repo / "accounts/ddd/account.yaml").write_text(
        PROFILE.format(id="ddd", name="Ddd Industries", position=3, value=3) + "industry: Rail\n",
        encoding="utf-8",
    )
    (repo / "accounts/ccc/stakeholders.yaml").write_text("stakeholders:\n  - id: [\n", "utf-8")
    commit(repo, "ddd's industry, ccc broken", "2026-02-05")
    env = {"GITHUB_BASE_REF": "main"}
    out = kam(repo, "check", "--format", "github", env=env).stdout.splitlines()
    files = [
        line.split("file=")[1].split(",")[0]
        for line in out
        if line.startswith("::") and "file=" in line
    ]
    assert files[0] == "accounts/ccc/stakeholders.yaml"
    changed = [i for i, f in enumerate(files) if f == "accounts/ddd/account.yaml"]
    others = [i for i, f in enumerate(files) if f.startswith(("accounts/aaa", "accounts/bbb"))]
    assert changed and others and max(changed) < min(others)
    # outside a pull request: the broken account first, then file order
    plain = kam(repo, "check", "--format", "github", env={"GITHUB_BASE_REF": ""})
    plain = plain.stdout.splitlines()
    files = [
        line.split("file=")[1].split(",")[0]
        for line in plain
        if line.startswith("::") and "file=" in line
    ]
    assert files[0] == "accounts/ccc/stakeholders.yaml"
    assert files[1].startswith("accounts/aaa/")


def test_ci_paths_are_from_the_repository_root_with_config_from_elsewhere(kam, tmp_path):
    repo = _year(tmp_path)
    outside = tmp_path / "runner"
    outside.mkdir()
    config = "../crm/kam.yaml"
    gitlab = json.loads(kam(outside, "check", "--config", config, "--format", "gitlab").stdout)
    assert gitlab and all(i["location"]["path"].startswith("accounts/") for i in gitlab)
    github = kam(outside, "check", "--config", config, "--format", "github").stdout
    assert "file=accounts/alpha/" in github and "file=../crm" not in github
    sarif = json.loads(kam(outside, "check", "--config", config, "--format", "sarif").stdout)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert uris and all(u.startswith("accounts/") for u in uris)
    junit = kam(outside, "check", "--config", config, "--format", "junit").stdout
    assert 'classname="accounts/alpha/stakeholders.yaml"' in junit
    assert "../crm/accounts" not in junit  # (hints repeat --config ../crm/kam.yaml: commands)
    # the same paths as from the repository itself
    inside = json.loads(kam(repo, "check", "--format", "gitlab").stdout)
    assert [i["location"] for i in inside] == [i["location"] for i in gitlab]
    assert [i["fingerprint"] for i in inside] == [i["fingerprint"] for i in gitlab]


def test_stale_with_nothing_stale_says_so(kam, tmp_path):
    write_account(tmp_path, "fresh")
    r = kam(tmp_path, "stale")
    assert r.exit_code == 0
    assert r.stdout == (
        "Nothing is stale on 2026-11-24: every date is within its threshold.\n"
        "0 errors, 0 warnings, 0 info in 1 account\n"
    )
    zh = kam(tmp_path, "stale", "--lang", "zh-CN")
    assert "┏" not in zh.stdout and zh.stdout.splitlines()[0].startswith("2026-11-24 没有")


def test_many_accounts_restored_at_once_each_name_their_own_last_removal(kam, tmp_path):
    """kam portfolio --since and kam history ask git once for every account gained: each
    still names its own newest removal before the start (one removed twice names the
    second), and an account that never existed before is not "restored"."""
    repo = new_repo(tmp_path / "crm")
    (repo / "kam.yaml").write_text("accounts: accounts\n", encoding="utf-8")
    for acct in ("alpha", "delta", "epsilon"):
        _account(repo, acct)
    commit(repo, "first accounts", "2026-01-01")
    git(repo, "rm", "-rq", "accounts/delta")
    commit(repo, "delta lost", "2026-02-01")
    git(repo, "rm", "-rq", "accounts/epsilon")
    commit(repo, "epsilon lost", "2026-02-15")
    _account(repo, "delta")
    commit(repo, "delta back", "2026-03-01")
    git(repo, "rm", "-rq", "accounts/delta")
    commit(repo, "delta lost again", "2026-04-01")
    _account(repo, "alpha", position=4)
    commit(repo, "alpha moves", "2026-04-20")
    for acct in ("delta", "epsilon", "zeta"):
        _account(repo, acct)
    commit(repo, "three accounts back or new", "2026-05-01")
    short = {
        day: git(repo, "log", "-1", "--format=%h", f"--before={day}T23:00:00Z").strip()
        for day in ("2026-02-15", "2026-04-01")
    }
    data = kam(repo, "portfolio", "--since", "2026-04-10", "--format", "json").json()
    restored = {g["id"]: g["restored"] for g in data["since"]["gained"]}
    assert set(restored) == {"delta", "epsilon", "zeta"}
    assert restored["delta"]["date"] == "2026-04-01"
    assert restored["delta"]["short"] == short["2026-04-01"]
    assert restored["epsilon"]["date"] == "2026-02-15"
    assert restored["epsilon"]["short"] == short["2026-02-15"]
    assert restored["zeta"] is None
    history = kam(repo, "history", "--since", "2026-04-10", "--format", "json").json()
    first = {a["id"]: a["revisions"][0] for a in history["accounts"]}
    assert first["delta"]["removed_in"]["date"] == "2026-04-01"
    assert first["epsilon"]["removed_in"]["date"] == "2026-02-15"
    assert first["zeta"]["status"] == "added" and not first["zeta"].get("removed_in")
