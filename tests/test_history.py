"""kam history on scripted git repositories built in tmp_path: every listed revision equals
`kam grade --today <commit date>` run on that commit's tree; people over time; errors."""

from __future__ import annotations

import json
import subprocess

import pytest
from markdown_it import MarkdownIt

import gitrepo
from conftest import write_account
from test_plan_map_portfolio import mermaid_parse

PEOPLE = """\
stakeholders:
  - id: cto
    name: Ola Nordmann
    title: CTO
    roles: [D]
    attitude: 1
    intimacy: 0
    owner: kari
    backup: per
    channels: [a, b]
    last_contact: 2026-01-10
  - id: cfo
    name: Ingrid
    roles: [E]
    attitude: '?'
    reports_to: cto
    last_contact: 2026-02-01
"""


def git(repo, *args, date=None):
    return gitrepo.git(repo, *args, date=date, zone="+01:00")


def commit(repo, message, date):
    gitrepo.commit(repo, message, date, zone="+01:00")


def people_file(repo, account):
    return repo / "accounts" / account / "stakeholders.yaml"


@pytest.fixture
def repo(tmp_path):
    """Six weeks of a small portfolio: new accounts, attitude changes, a broken commit, a
    fix, a removed account, a kam.yaml change, and a side branch merged back."""
    r = gitrepo.new_repo(tmp_path / "repo")
    write_account(r, "fjord", {"stakeholders.yaml": PEOPLE})
    write_account(r, "bergen")
    commit(r, "start", "2026-01-05")
    people_file(r, "fjord").write_text(PEOPLE.replace("attitude: 1\n", "attitude: -2\n"))
    commit(r, "the CTO turns against us", "2026-01-12")
    write_account(r, "tromso")
    commit(r, "new account tromso", "2026-01-19")
    people_file(r, "fjord").write_text(PEOPLE.replace("attitude: 1\n", "attitude: 9\n"))
    commit(r, "typo breaks fjord", "2026-01-26")
    people_file(r, "fjord").write_text(
        PEOPLE.replace("attitude: 1\n", "attitude: 2\n")
        .replace("id: cto", "id: ola")
        .replace("reports_to: cto", "reports_to: ola")
    )
    commit(r, "fixed; cto renamed ola", "2026-02-02")
    import shutil

    shutil.rmtree(r / "accounts/bergen")
    commit(r, "bergen lost", "2026-02-09")
    (r / "kam.yaml").write_text("score:\n  decision_makers: 45\n  weighted_support: 10\n")
    commit(r, "weights", "2026-02-16")
    git(r, "checkout", "-qb", "side")
    people_file(r, "tromso").write_text(
        people_file(r, "tromso").read_text().replace("attitude: 2", "attitude: 3")
    )
    commit(r, "side change", "2026-02-18")
    git(r, "checkout", "-q", "main")
    git(r, "merge", "-q", "--no-ff", "side", "-m", "merge side", date="2026-02-23")
    return r


def grade_at(kam, repo, tmp_path, commit_id, today, account):
    where = tmp_path / f"wt-{commit_id[:7]}"
    if not where.exists():
        git(repo, "worktree", "add", "-q", "--detach", str(where), commit_id)
    r = kam(where, "grade", "--format", "json", "--today", today)
    return next(a for a in r.json()["accounts"] if a["id"] == account)


def test_history_json_equals_grade_at_every_commit(kam, repo, tmp_path):
    r = kam(repo, "history", "--format", "json", env={"KAM_TODAY": ""})
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    assert [a["id"] for a in doc["accounts"]] == ["bergen", "fjord", "tromso"]
    listed = 0
    for acct in doc["accounts"]:
        for rev in acct["revisions"]:
            assert rev["today"] == rev["date"]  # graded as of the commit date
            if rev["grade"] is None:
                assert rev["status"] == "removed"
                continue
            assert rev["grade"] == grade_at(
                kam, repo, tmp_path, rev["commit"], rev["today"], acct["id"]
            )
            listed += 1
    fjord = next(a for a in doc["accounts"] if a["id"] == "fjord")
    subjects = [rev["subject"] for rev in fjord["revisions"]]
    # first-parent, only commits that touched fjord (or kam.yaml): not tromso's or bergen's
    assert subjects == [
        "start",
        "the CTO turns against us",
        "typo breaks fjord",
        "fixed; cto renamed ola",
        "weights",
    ]
    broken = fjord["revisions"][2]
    assert broken["grade"]["valid"] is False and "did not load" in broken["change"]
    weights = fjord["revisions"][-1]
    assert weights["settings_changed"] is True
    assert weights["change"].startswith("settings changed (kam.yaml): ")
    tromso = next(a for a in doc["accounts"] if a["id"] == "tromso")
    # the new weights left tromso's grade and findings as they were: no row for them
    assert [rev["subject"] for rev in tromso["revisions"]] == [
        "new account tromso",
        "merge side",
    ]
    bergen = next(a for a in doc["accounts"] if a["id"] == "bergen")
    assert bergen["revisions"][-1]["status"] == "removed"
    assert listed >= 8
    # every commit of the scripted repository was checked for some account
    all_commits = git(repo, "log", "--first-parent", "--format=%H").split()
    seen = {rev["commit"] for a in doc["accounts"] for rev in a["revisions"]}
    assert seen == set(all_commits)


def test_pinned_today_grades_every_revision_as_of_that_day(kam, repo, tmp_path):
    doc = kam(repo, "history", "fjord", "--format", "json", "--today", "2026-03-01").json()
    revs = doc["accounts"][0]["revisions"]
    assert {r["today"] for r in revs} == {"2026-03-01"} and doc["today"] == "2026-03-01"
    last = revs[-1]
    assert last["grade"] == grade_at(kam, repo, tmp_path, last["commit"], "2026-03-01", "fjord")


def test_person_over_time_follows_a_rename(kam, repo):
    r = kam(repo, "history", "fjord", "Ola Nordmann", "--format", "json", env={"KAM_TODAY": ""})
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    assert doc["person"] == "ola"
    people = [rev.get("person") for rev in doc["accounts"][0]["revisions"]]
    attitudes = [p["attitude"] if p else None for p in people]
    assert attitudes == [1, -2, None, 2, 2]  # None: the file did not load that week
    assert [p["id"] for p in people if p] == ["cto", "cto", "ola", "ola"]
    text = kam(repo, "history", "fjord", "ola", "--no-color", env={"KAM_TODAY": ""}).stdout
    assert "Ola Nordmann at" in text and "-2" in text and "did not load" in text


def test_a_person_not_yet_in_the_file_is_no_change_in_every_format(kam, tmp_path):
    """`kam history ACCOUNT PERSON` of someone added in the second commit showed, on the
    first row, the account's "new account, score 10 (E)" as if it were theirs; the README
    says a revision before the person came into the file is "no change to this person".
    The table, the Markdown and the JSON say so; an account restored without them says
    only their removal, not the rest of the restoration."""
    import shutil

    r = gitrepo.new_repo(tmp_path / "repo")
    folder = write_account(r, "huaxin", {"stakeholders.yaml": PEOPLE.split("  - id: cfo")[0]})
    commit(r, "new account", "2026-11-02")
    people_file(r, "huaxin").write_text(PEOPLE)
    commit(r, "the CFO", "2026-11-09")
    shutil.rmtree(folder)
    commit(r, "account gone", "2026-11-16")
    write_account(r, "huaxin", {"stakeholders.yaml": PEOPLE.split("  - id: cfo")[0]})
    commit(r, "account back, without the CFO", "2026-11-23")
    args = ("history", "huaxin", "cfo", "--today", "2026-12-05")
    doc = kam(r, *args, "--format", "json").json()
    revs = doc["accounts"][0]["revisions"]
    assert [(v["status"], v["person_status"], v["person_change"]) for v in revs] == [
        ("added", "absent", "no change to this person"),
        ("changed", "present", "first seen: attitude ?, intimacy ?, roles E"),
        ("removed", None, None),
        ("restored", "absent", "removed"),
    ]
    assert revs[0]["change"].startswith("new account")  # the account's own line stays
    md = kam(r, *args, "--format", "markdown")
    assert md.exit_code == 0, md.stderr
    rows = [line for line in md.stdout.splitlines() if line.startswith("| 2026-")]
    assert rows[0].endswith("| not in the file | no change to this person |"), rows[0]
    assert rows[3].endswith("| not in the file | removed |"), rows[3]
    assert "new account" not in md.stdout
    table = kam(r, *args, "--no-color", env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.stderr
    (first,) = [line for line in table.stdout.splitlines() if "2026-11-02" in line]
    assert "no change to this person" in first and "new account" not in first, first


def test_since_date_and_revision_and_until(kam, repo):
    doc = kam(
        repo, "history", "fjord", "--since", "2026-01-20", "--format", "json", env={"KAM_TODAY": ""}
    ).json()
    subjects = [r["subject"] for r in doc["accounts"][0]["revisions"]]
    assert subjects == ["(start)", "typo breaks fjord", "fixed; cto renamed ola", "weights"]
    assert doc["accounts"][0]["revisions"][0]["status"] == "start"
    first = git(repo, "log", "--format=%H", "--grep", "new account tromso").strip()
    by_rev = kam(
        repo, "history", "fjord", "--since", first, "--format", "json", env={"KAM_TODAY": ""}
    ).json()
    assert [r["subject"] for r in by_rev["accounts"][0]["revisions"]] == subjects
    until = kam(
        repo, "history", "--until", "HEAD~3", "--format", "json", env={"KAM_TODAY": ""}
    ).json()
    assert [a["id"] for a in until["accounts"]] == ["bergen", "fjord", "tromso"]
    assert until["accounts"][0]["revisions"][-1]["status"] != "removed"


def test_markdown_chart_renders_and_parses_with_mermaid(kam, repo, tmp_path):
    md = kam(repo, "history", "--format", "markdown", env={"KAM_TODAY": ""}).stdout
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert html.count('<code class="language-mermaid">') == 3 and "<table>" in html
    assert "did not load" in md and "the line holds its last score" in md
    blocks = [b.split("```")[0] for b in md.split("```mermaid\n")[1:]]
    assert all(b.split("\n")[1] == "xychart-beta" for b in blocks)
    out = mermaid_parse(tmp_path, {f"h{i}.mmd": b for i, b in enumerate(blocks)})
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("ok ") == 3 and "xychart" in out.stdout


def test_errors_are_one_line(kam, repo, tmp_path):
    r = kam(repo, "history", "nope")
    assert r.exit_code == 1 and "no account 'nope'" in r.stderr
    r = kam(repo, "history", "fjord", "nobody")
    assert r.exit_code == 1 and "no person 'nobody'" in r.stderr
    # nobody close to the name typed: whom the history names, as kam log says whom an
    # account lists (it said only "no person")
    r = kam(repo, "history", "fjord", "张伟")
    assert r.exit_code == 1
    told = "no person '张伟' in the history of 'fjord'; its history names 3 people (cto, cfo, ola)"
    assert told in r.stderr, r.stderr
    r = kam(repo, "history", "--since", "not-a-rev")
    assert r.exit_code == 2 and "unknown revision" in r.stderr
    plain = tmp_path / "plain"
    write_account(plain, "x")
    r = kam(plain, "history")
    assert r.exit_code == 2 and "not inside a git repository" in r.stderr
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{repo}", str(shallow)], check=True
    )
    r = kam(shallow, "history")
    assert r.exit_code == 2 and "shallow clone" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def _without_paths(data):
    if isinstance(data, dict):
        return {k: _without_paths(v) for k, v in data.items() if k != "path"}
    if isinstance(data, list):
        return [_without_paths(v) for v in data]
    return data


def test_from_a_sub_folder(kam, repo):
    """The same history from an account folder as from the root; files named from the
    folder kam runs in, as `kam grade` there names them."""
    env = {"KAM_TODAY": ""}
    root = kam(repo, "history", "--format", "json", env=env).json()
    sub = kam(repo / "accounts/fjord", "history", "--format", "json", env=env).json()
    # the one path inside a sentence: a revision that did not load names its error's file
    as_in_sub = json.dumps(_without_paths(root)).replace("accounts/fjord/", "")
    assert json.dumps(_without_paths(sub)) == as_in_sub
    (fjord,) = [a for a in sub["accounts"] if a["id"] == "fjord"]
    last = fjord["revisions"][-1]
    assert last["grade"]["path"] == "."
    grade = kam(repo / "accounts/fjord", "grade", "--format", "json", "--today", last["today"])
    assert last["grade"] == grade.json()["accounts"][0]


def test_many_accounts_on_workers_give_the_same_history(kam, repo, tmp_path):
    """Enough accounts for worker processes (accounts are graded apart, each account's
    revisions in order on one worker): the same history as in one process, a broken
    kam.yaml and a removed account included, and each last revision equals `kam grade`."""
    for i in range(24):
        write_account(repo, f"k{i:02d}", {"stakeholders.yaml": PEOPLE})
    commit(repo, "24 accounts", "2026-03-02")
    for i in range(0, 24, 2):
        people_file(repo, f"k{i:02d}").write_text(PEOPLE.replace("attitude: 1\n", "attitude: -1\n"))
    commit(repo, "half of them turn", "2026-03-09")
    (repo / "kam.yaml").write_text("score: [broken\n")
    commit(repo, "a broken kam.yaml", "2026-03-16")
    (repo / "kam.yaml").write_text("score:\n  decision_makers: 40\n  weighted_support: 15\n")
    import shutil

    shutil.rmtree(repo / "accounts/k05")
    people_file(repo, "k07").write_text("stakeholders: [\n")
    commit(repo, "kam.yaml fixed, k05 lost, k07 broken", "2026-03-23")
    env = {"KAM_TODAY": ""}
    one = kam(repo, "history", "--format", "json", env={**env, "KAM_JOBS": "1"})
    two = kam(repo, "history", "--format", "json", env={**env, "KAM_JOBS": "2"})
    assert one.exit_code == two.exit_code == 1, one.stderr  # k07's newest revision does not load
    assert two.stdout == one.stdout
    doc = two.json()
    k02 = next(a for a in doc["accounts"] if a["id"] == "k02")
    statuses = [
        (r["subject"], r["status"], r.get("config_error") is not None) for r in k02["revisions"]
    ]
    assert statuses == [
        ("24 accounts", "added", False),
        ("half of them turn", "changed", False),
        ("a broken kam.yaml", "changed", True),
        ("kam.yaml fixed, k05 lost, k07 broken", "changed", False),
    ]
    k05 = next(a for a in doc["accounts"] if a["id"] == "k05")
    assert k05["revisions"][-1]["status"] == "removed"
    head = git(repo, "rev-parse", "HEAD").strip()
    for acct in ("k00", "k07", "k11", "fjord"):
        last = next(a for a in doc["accounts"] if a["id"] == acct)["revisions"][-1]
        assert last["grade"] == grade_at(kam, repo, tmp_path, head, last["today"], acct)
    md_one = kam(repo, "history", "--format", "markdown", env={**env, "KAM_JOBS": "1"}).stdout
    md_two = kam(repo, "history", "--format", "markdown", env={**env, "KAM_JOBS": "2"}).stdout
    assert md_two == md_one


def test_a_revision_after_a_broken_one_is_compared_with_the_last_that_loaded(kam, repo):
    """Trial defect: the row after a fix said "6 new, 1 resolved findings": every finding
    the account had before the break. It is compared with the last revision that loaded
    (the same as kam diff between those two commits) and still says it loads again."""
    doc = kam(repo, "history", "fjord", "--format", "json", "--today", "2026-03-01").json()
    revs = doc["accounts"][0]["revisions"]
    subjects = [r["subject"] for r in revs]
    broken, fixed = subjects.index("typo breaks fjord"), subjects.index("fixed; cto renamed ola")
    assert revs[broken]["grade"]["score"] is None or "did not load" in revs[broken]["change"]
    last_good = revs[broken - 1]
    row = revs[fixed]
    assert row["change"].startswith(
        f"the account loads again (compared with {last_good['short']}, the last revision"
    )
    diff = kam(
        repo,
        "diff",
        last_good["commit"],
        row["commit"],
        "--today",
        "2026-03-01",
        "--format",
        "json",
    ).json()
    (acct,) = [a for a in diff["accounts"] if a["id"] == "fjord"]
    new, resolved = len(acct["new_findings"]), len(acct["resolved_findings"])
    if new or resolved:
        assert f"findings: {new} new, {resolved} resolved" in row["change"]
    else:
        assert "findings" not in row["change"]
    # the changes since the last good revision: the CTO renamed and warmer, not "new account"
    kinds = [c["kind"] for c in row["changes"]]
    assert kinds[0] == "valid" and "person-renamed" in kinds and "attitude" in kinds, kinds
    assert [c["kind"] for c in row["changes"][1:]] == [c["kind"] for c in acct["changes"]]


def test_a_person_named_by_any_id_is_followed_across_renames(kam, tmp_path):
    """Trial defect: `kam history ACCOUNT OLD-ID` lost the person at the commit that renamed
    them (same crm_id, new id and a new spelling of the name): "not in the file" from
    then on, though kam diff shows one person renamed. Any id they had, or their name,
    follows the same person; a revision where the account did not load says so; the
    first row describes the person rather than "new account"."""
    r = gitrepo.new_repo(tmp_path / "crm")
    people = """\
stakeholders:
  - id: li-lei
    name: 李雷
    crm_id: C-0042
    roles: [D, E]
    attitude: 0
    intimacy: 1
    owner: han.mei
  - id: wang
    name: 王芳
    roles: [I]
    attitude: 1
    reports_to: li-lei
"""
    write_account(r, "dalian", {"stakeholders.yaml": people})
    commit(r, "start", "2026-03-02")
    path = people_file(r, "dalian")
    path.write_text(people.replace("attitude: 0", "attitude: 1"))
    commit(r, "warmer", "2026-03-09")
    path.write_text(people.replace("attitude: 0", "attitude: 1") + "  - id: [broken\n")
    commit(r, "broken", "2026-03-16")
    renamed = (
        people.replace("id: li-lei", "id: lei-li")
        .replace("name: 李雷", "name: Li Lei (李雷)")
        .replace("reports_to: li-lei", "reports_to: lei-li")
        .replace("attitude: 0", "attitude: 2")
    )
    path.write_text(renamed)
    commit(r, "CRM ids: Li Lei renamed, now a supporter", "2026-03-23")
    diff = kam(r, "diff", "HEAD~2", "HEAD", "--format", "json").json()
    kinds = [c["kind"] for c in diff["accounts"][0]["changes"]]
    assert "person-renamed" in kinds and "person-added" not in kinds, kinds
    rows = {}
    for wanted in ("li-lei", "lei-li", "Li Lei (李雷)", "李雷"):
        got = kam(r, "history", "dalian", wanted, "--format", "json")
        assert got.exit_code == 0, got.stderr
        doc = got.json()
        assert doc["person"] == "lei-li", wanted
        rows[wanted] = doc["accounts"][0]["revisions"]
    assert all(v == rows["lei-li"] for v in rows.values())
    revs = rows["li-lei"]
    assert [r["person_status"] for r in revs] == ["present", "present", "unread", "present"]
    assert [p["attitude"] if (p := r["person"]) else None for r in revs] == [0, 1, None, 2]
    assert [p["id"] for r in revs if (p := r["person"])] == ["li-lei", "li-lei", "lei-li"]
    assert revs[0]["person_change"] == "first seen: attitude 0, intimacy +1, roles DE"
    assert "attitude +1 → +2" in revs[3]["person_change"]
    text = kam(r, "history", "dalian", "li-lei", "--no-color", env={"COLUMNS": "200"}).stdout
    assert "the account could not be read" in text and "not in the file" not in text
    assert "new account" not in text


def test_a_single_revision_is_drawn_as_a_bar_not_empty_axes(kam, tmp_path):
    """Trial defect: one revision gave `line [67]`, which Mermaid draws as empty axes. One
    graded revision is a bar (and the legend says so); two or more stay a line."""
    r = gitrepo.new_repo(tmp_path / "one")
    write_account(r, "solo", {"stakeholders.yaml": PEOPLE})
    commit(r, "start", "2026-04-01")
    md = kam(r, "history", "--format", "markdown", "--today", "2026-04-02").stdout
    (block,) = [b.split("```")[0] for b in md.split("```mermaid\n")[1:]]
    score = kam(r, "grade", "--format", "json", "--today", "2026-04-02").json()["accounts"][0]
    assert f"    bar [{score['score']}]" in block and "line [" not in block
    assert "Bar: the relationship score (0-100) on the only date with a graded revision" in md
    first = block
    # a second revision that does not load: still one point, still a bar
    people_file(r, "solo").write_text(PEOPLE.replace("attitude: 1\n", "attitude: 9\n"))
    commit(r, "broken", "2026-04-08")
    md = kam(r, "history", "--format", "markdown", "--today", "2026-04-09").stdout
    assert "    bar [" in md and "From 2026-04-08 on the account was removed or did not load" in md
    # two graded revisions: a line through both
    people_file(r, "solo").write_text(PEOPLE)
    commit(r, "fixed", "2026-04-15")
    md = kam(r, "history", "--format", "markdown", "--today", "2026-04-16").stdout
    assert "    line [" in md and "    bar [" not in md and "Line: the relationship" in md
    out = mermaid_parse(tmp_path, {"one.mmd": first})  # the bar as Mermaid 11 reads it
    assert out.returncode == 0 and "ok " in out.stdout, out.stdout + out.stderr


def _commit_attitudes(kam, r, account, days, attitudes, today):
    """One commit a day, each giving the account's person another attitude; the scores
    ``kam history`` gives those revisions as of ``today``."""
    for n, (day, attitude) in enumerate(zip(days, attitudes, strict=True)):
        people = PEOPLE.replace("attitude: 1\n", f"attitude: {attitude}\n")
        write_account(r, account, {"stakeholders.yaml": people})
        commit(r, f"revision {n}", day)
    history = kam(r, "history", "--format", "json", "--today", today).json()
    return [rev["grade"]["score"] for rev in history["accounts"][0]["revisions"]]


def _history_chart(kam, repo, today):
    md = kam(repo, "history", "--format", "markdown", "--today", today).stdout
    (block,) = [b.split("```")[0] for b in md.split("```mermaid\n")[1:]]
    lines = block.splitlines()
    axis = next(line for line in lines if line.startswith("    x-axis "))
    values = next(line for line in lines if line.startswith("    line ["))
    scores = [int(v) for v in values.removeprefix("    line [").removesuffix("]").split(", ")]
    return md, block, axis, held_spacer(axis, scores)


def held_spacer(axis: str, scores: list[int]) -> list[int]:
    """The scores of the dated categories: the chart gives every category a value, the
    blank last one (room for the last label) the last score again; a category without one
    made Mermaid draw its line to a point with no y ("L700,NaN")."""
    categories = axis.split("[", 1)[1].rstrip("]").split('", "')
    assert len(categories) == len(scores), (axis, scores)
    assert categories[-1] == ' "' and scores[-1] == scores[-2], (axis, scores)
    return scores[:-1]


def test_chart_of_a_year_of_revisions_samples_month_ends(kam, tmp_path):
    """Twelve revisions in one year: the score at each month's end, then the last
    revision's; month-day labels with the year as the axis title, and an empty last
    category so the last label is not at the chart's edge (the director's case: the last
    label read "2026-11-3"); across a new year, the labels name the year."""
    r = gitrepo.new_repo(tmp_path / "year")
    days = [f"2025-{m:02d}-15" for m in range(1, 12)] + ["2025-11-30"]
    attitudes = [[1, 2, -1, 3][n % 4] for n in range(len(days))]
    by_revision = _commit_attitudes(kam, r, "fjell-ab", days, attitudes, "2025-12-01")
    md, block, axis, scores = _history_chart(kam, r, "2025-12-01")
    ends = ["01-31", "02-28", "03-31", "04-30", "05-31", "06-30", "07-31", "08-31", "09-30"]
    labels = [*ends, "10-31", "11-30", " "]
    assert axis == '    x-axis "2025" [' + ", ".join(f'"{x}"' for x in labels) + "]"
    # each month's end shows the revision of the 15th before it; the last point is the last
    assert scores == [*by_revision[:10], by_revision[-1]]
    assert "at the end of each month" in md
    # into the next year: the months name their year, the last point is a full date
    write_account(r, "fjell-ab", {"stakeholders.yaml": PEOPLE})
    commit(r, "new year", "2026-01-10")
    _md, block2, axis2, scores2 = _history_chart(kam, r, "2026-01-11")
    assert axis2.startswith('    x-axis ["2025-01", "2025-02", ')
    assert axis2.endswith('"2025-11", "2025-12", "2026-01-10", " "]')
    assert len(scores2) == 13 and scores2[11] == scores2[10]  # December: no commit
    out = mermaid_parse(tmp_path, {"year.mmd": block, "years.mmd": block2})
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("ok ") == 2 and "xychart" in out.stdout


def test_chart_fits_the_page_so_its_labels_stay_readable(kam, tmp_path):
    """The director's case: an account changed on 10 December and on 1 April, read
    across the new year. The chart sampled every week with full dates, eighteen labels
    of 100 px: 1,800 px, which GitHub scales down to its column of about a thousand, so
    the dates and the axis came out at half size. A chart is now never wider than
    MAX_CHART_WIDTH (1,050 px): fewer, coarser samples when the labels would not fit."""
    cases = [
        # across a new year, four months: month ends, not eighteen weeks
        (["2025-12-10", "2026-04-01"], "2026-04-02", '["2025-12", "2026-01", "2026-02"'),
        # within one year, five months: month ends, not twenty-two weeks
        (["2026-01-05", "2026-06-01"], "2026-06-02", '"2026" ["01-31", "02-28", "03-31"'),
        # across years, three years of months: every third month
        (["2024-01-15", "2026-11-20"], "2026-11-21", '["2024-01", "2024-04", "2024-07"'),
    ]
    blocks = {}
    for n, (days, today, start) in enumerate(cases):
        r = gitrepo.new_repo(tmp_path / f"wide-{n}")
        _commit_attitudes(kam, r, "wide", days, [-2, 3], today)
        _md, block, axis, _scores = _history_chart(kam, r, today)
        width = int(block.split('"width": ')[1].split("}")[0])
        labels = axis.split("[", 1)[1].rstrip("]").split(", ")
        assert width <= 1050 and axis.startswith("    x-axis " + start), axis
        # each label keeps the room the chart was sized for: 50, 75 or 100 px
        widest = max(len(x.strip('"')) for x in labels[:-2])
        assert width / len(labels) >= {5: 50, 7: 75, 10: 100}[widest], (width, labels)
        blocks[f"c{n}.mmd"] = block
    out = mermaid_parse(tmp_path, blocks)
    assert out.returncode == 0 and out.stdout.count("ok ") == 3, out.stdout + out.stderr


def test_chart_spaces_its_points_by_time_not_by_commit(kam, tmp_path):
    """Three commits in three days of March and one in September: one point a revision
    drew the three March days as wide as the six months after them. The chart samples
    the calendar instead: days for a few weeks, weeks for a few months, month ends for
    longer, the score held from the last commit on or before each date."""
    r = gitrepo.new_repo(tmp_path / "bursty")
    days = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-09-01"]
    by_revision = _commit_attitudes(kam, r, "burst", days, [3, -2, 2, -3], "2026-09-02")
    assert len(set(by_revision)) > 2  # the scores differ: the test can tell them apart
    _md, block, axis, scores = _history_chart(kam, r, "2026-09-02")
    labels = ["03-31", "04-30", "05-31", "06-30", "07-31", "08-31", "09-01", " "]
    assert axis == '    x-axis "2026" [' + ", ".join(f'"{x}"' for x in labels) + "]"
    assert scores == [by_revision[2]] * 6 + [by_revision[3]]
    # the three March days alone: one point a day
    git(r, "reset", "-q", "--hard", "HEAD~1")
    md, block2, axis2, scores2 = _history_chart(kam, r, "2026-09-02")
    assert axis2 == '    x-axis "2026" ["03-01", "03-02", "03-03", " "]'
    assert scores2 == by_revision[:3] and "day by day" in md
    # ten weeks: one point a week, the last revision last
    write_account(r, "burst", {"stakeholders.yaml": PEOPLE})
    commit(r, "later", "2026-05-12")
    md, block3, axis3, scores3 = _history_chart(kam, r, "2026-09-02")
    assert axis3.startswith('    x-axis "2026" ["03-01", "03-08", "03-15", ')
    assert axis3.endswith('"05-03", "05-10", "05-12", " "]') and "week by week" in md
    assert scores3[0] == by_revision[0] and scores3[1] == by_revision[2]
    out = mermaid_parse(tmp_path, {"m.mmd": block, "d.mmd": block2, "w.mmd": block3})
    assert out.returncode == 0 and out.stdout.count("ok ") == 3, out.stdout + out.stderr


def test_a_drop_is_split_between_the_commit_and_time_passing(kam, tmp_path):
    """Between two commits fifteen weeks apart the contacts aged out (freshness lost) while
    the commit won a decision maker over: the change is given as two parts, each equal to
    `kam grade` on the trees (the first commit's tree graded as of the second's date),
    in the table, Markdown and JSON; pinned to one date, time does nothing."""
    r = gitrepo.new_repo(tmp_path / "repo")
    people = """\
        stakeholders:
          - id: huang.zhiqiang
            name: 黄志强
            roles: [D]
            attitude: 0
            owner: zhou.lan
            backup: wang.fang
            channels: [visits, calls]
            last_contact: 2026-02-20
          - id: ouyang.mingyuan
            name: 欧阳明远
            roles: [E]
            attitude: 1
            owner: wang.fang
            last_contact: 2026-02-25
        """
    write_account(r, "changjiang-shipping", {"stakeholders.yaml": people})
    commit(r, "first entries", "2026-03-02")
    path = people_file(r, "changjiang-shipping")
    path.write_text(path.read_text().replace("attitude: 0", "attitude: 2"))
    commit(r, "huang won over at the expo", "2026-06-15")
    doc = kam(r, "history", "--format", "json", env={"KAM_TODAY": ""}).json()
    first, second = doc["accounts"][0]["revisions"]
    assert first["score_by_commit"] is None and first["score_by_time"] is None
    old_then = grade_at(kam, r, tmp_path, first["commit"], "2026-03-02", "changjiang-shipping")
    old_now = grade_at(kam, r, tmp_path, first["commit"], "2026-06-15", "changjiang-shipping")
    new_now = grade_at(kam, r, tmp_path, second["commit"], "2026-06-15", "changjiang-shipping")
    assert first["grade"] == old_then and second["grade"] == new_now  # unchanged fields
    by_commit = new_now["score"] - old_now["score"]
    by_time = old_now["score"] - old_then["score"]
    assert by_commit > 0 > by_time  # the commit gained, the aging contacts lost
    assert (second["score_by_commit"], second["score_by_time"]) == (by_commit, by_time)
    note = f"{by_commit:+d} by the commit, {by_time:+d} by time passing"
    score = f"score {old_then['score']} → {new_now['score']}"
    assert second["change"].startswith(score) and note in second["change"]
    table = kam(r, "history", env={"KAM_TODAY": "", "COLUMNS": "200"}).stdout
    assert note in table
    markdown = kam(r, "history", "--format", "markdown", env={"KAM_TODAY": ""}).stdout
    assert note in markdown
    zh = kam(r, "history", "--lang", "zh_CN", env={"KAM_TODAY": "", "COLUMNS": "200"}).stdout
    assert f"提交带来 {by_commit:+d}，时间推移带来 {by_time:+d}" in zh
    pinned = kam(r, "history", "--format", "json", "--today", "2026-06-15").json()
    second = pinned["accounts"][0]["revisions"][1]
    assert (second["score_by_commit"], second["score_by_time"]) == (by_commit, 0)
    assert "by time passing" not in second["change"]


def test_a_commit_of_one_or_two_changes_says_them_in_its_line(kam, tmp_path):
    """The history line of a commit said "1 change (1 worse)": the reader had to run kam
    diff on that commit to learn that the CTO had turned. Up to two changes are said as
    kam diff says them (with ▼ / ▲); more are counted."""
    r = gitrepo.new_repo(tmp_path / "turns")
    _commit_attitudes(kam, r, "fjell-ab", ["2026-03-01", "2026-04-01"], [2, -1], "2026-05-01")
    people = PEOPLE.replace("attitude: 1\n", "attitude: -1\n").replace(
        "intimacy: 0\n", "intimacy: 2\n"
    )
    people = people.replace("title: CTO", "title: Group CTO").replace("owner: kari", "owner: per")
    write_account(r, "fjell-ab", {"stakeholders.yaml": people})
    commit(r, "three changes", "2026-04-15")
    table = kam(r, "history", "--today", "2026-05-01", env={"COLUMNS": "200"}).stdout
    (turned,) = [line for line in table.splitlines() if "2026-04-01" in line]
    assert "Ola Nordmann (CTO): attitude +2 → -1 ▼" in turned, turned
    assert "1 change" not in turned
    (three,) = [line for line in table.splitlines() if "2026-04-15" in line]
    assert "3 changes" in three and "attitude" not in three, three
    js = kam(r, "history", "--format", "json", "--today", "2026-05-01").json()
    changes = [rev["change"] for rev in js["accounts"][0]["revisions"]]
    assert any("attitude +2 → -1 ▼" in c for c in changes)
    md = kam(r, "history", "--format", "markdown", "--today", "2026-05-01").stdout
    assert "attitude +2 → -1 ▼" in md


def test_chart_legend_names_the_stretches_without_a_grade(kam, repo):
    """Mermaid's xychart takes a number at every point, so the line holds the last score
    while the account did not load and ends at its last score once it is removed; the
    legend only counted "1 revision without a grade left out", and a reader took the
    flat line for a steady relationship. It now says from when to when."""
    fjord = kam(repo, "history", "fjord", "--format", "markdown").stdout
    assert (
        "From 2026-01-26 to 2026-02-02 the account was removed or did not load: the line "
        "holds its last score over that time." in fjord
    ), fjord
    bergen = kam(repo, "history", "bergen", "--format", "markdown").stdout
    assert (
        "From 2026-02-09 on the account was removed or did not load: the chart ends with its "
        "last score before." in bergen
    ), bergen
    tromso = kam(repo, "history", "tromso", "--format", "markdown").stdout
    assert "removed or did not load" not in tromso


def test_a_stretch_without_a_grade_within_one_day_is_not_in_the_legend(kam, tmp_path):
    """A commit that broke an account, fixed the same day, is not in the chart (each
    point is the last commit of its day): the legend said "From 2026-04-08 to 2026-04-08
    ... the line holds its last score over that time", under a bar. The table lists it;
    a stretch over days is still named."""
    r = gitrepo.new_repo(tmp_path / "one")
    write_account(r, "solo", {"stakeholders.yaml": PEOPLE})
    commit(r, "start", "2026-04-08")
    people_file(r, "solo").write_text(PEOPLE.replace("attitude: 1\n", "attitude: 9\n"))
    commit(r, "broken", "2026-04-08")
    people_file(r, "solo").write_text(PEOPLE)
    commit(r, "fixed", "2026-04-08")
    md = kam(r, "history", "--format", "markdown", "--today", "2026-04-09").stdout
    assert "    bar [" in md and "did not load (" in md  # the table names the revision
    assert "From 2026-04-08" not in md and "holds its last score" not in md, md
    # broken over two days: named
    people_file(r, "solo").write_text(PEOPLE.replace("attitude: 1\n", "attitude: 9\n"))
    commit(r, "broken again", "2026-04-10")
    people_file(r, "solo").write_text(PEOPLE)
    commit(r, "fixed again", "2026-04-12")
    md = kam(r, "history", "--format", "markdown", "--today", "2026-04-13").stdout
    assert "From 2026-04-10 to 2026-04-12 the account was removed or did not load" in md
    assert "From 2026-04-08" not in md


def test_a_person_at_80_columns_breaks_no_id(kam, tmp_path):
    """Trial defect: at 80 columns a person's history (seven columns) left the change a
    dozen cells: 'crm-0035g0' / '000000031a' / 'aa', and a lone ')' under the owner's
    '(left 2026-09-30'. A person's table that cannot fit with every word whole is shown
    as records, each row's cells after their headings, nothing broken; a wide terminal
    keeps the table."""
    r = gitrepo.new_repo(tmp_path / "crm")
    people = """\
stakeholders:
  - id: wang-fang
    name: 王芳
    title: GM
    roles: [E]
    attitude: -1
    owner: li.na
    left_on: 2026-09-30
  - id: crm-0035g0000000031aaa
    name: 何艳
    attitude: '?'
  - id: he-yan
    name: 何艳
    attitude: '?'
"""
    # two 何艳: the change names the manager with the id that tells them apart
    write_account(r, "huaxin", {"stakeholders.yaml": people})
    commit(r, "start", "2026-11-02")
    path = people_file(r, "huaxin")
    path.write_text(people.replace("    title: GM\n", "    reports_to: crm-0035g0000000031aaa\n"))
    commit(r, "CRM import", "2026-11-25")
    text = kam(r, "history", "huaxin", "wang-fang", env={"COLUMNS": "80"}).stdout
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines), text
    assert "crm-0035g0000000031aaa" in text and "roles E (left 2026-09-30)" in text
    assert "2026-11-25" in lines and "  commit " in text
    wide = kam(r, "history", "huaxin", "wang-fang", env={"COLUMNS": "200"}).stdout
    assert "┃ date" in wide and "crm-0035g0000000031aaa" in wide


def test_a_persons_history_at_80_columns_is_records_not_a_cramped_table(kam, tmp_path):
    """At 80 columns the six columns before a person's change left it 13 cells: "last
    contact 2026-05-01 → 2026-09-01; reviewed ..." stood five lines tall. A row is a
    record there; a wide terminal keeps the table."""
    from conftest import STAKEHOLDERS
    from gitrepo import commit, new_repo

    repo = new_repo(tmp_path / "repo")
    early = STAKEHOLDERS.replace("2026-11-20", "2026-05-01").replace("2026-11-01", "2026-04-01")
    write_account(repo, "acme", {"stakeholders.yaml": early})
    commit(repo, "start", "2026-05-02")
    write_account(repo, "acme", {"stakeholders.yaml": STAKEHOLDERS})
    commit(repo, "met the boss", "2026-11-21")
    narrow = kam(repo, "history", "acme", "boss", env={"COLUMNS": "80"})
    assert narrow.exit_code == 0, narrow.stderr
    assert "┃" not in narrow.stdout and "│" not in narrow.stdout, narrow.stdout
    assert (
        "change last contact 2026-05-01 → 2026-11-20; reviewed 2026-04-01 → 2026-11-01"
        in narrow.stdout
    ), narrow.stdout
    assert all(len(line) <= 80 for line in narrow.stdout.splitlines())
    wide = kam(repo, "history", "acme", "boss", env={"COLUMNS": "160"})
    assert "┃ date" in wide.stdout and "│ 2026-11-21 │" in wide.stdout, wide.stdout
