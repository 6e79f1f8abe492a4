"""kam portfolio --since DATE|REV on a scripted repository: gained, lost, tier, letter and
score changes per tier, in table, markdown and json."""

from __future__ import annotations

import shutil

import pytest
from markdown_it import MarkdownIt

from conftest import write_account
from test_history import commit, git


@pytest.fixture
def repo(tmp_path):
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    git(r, "config", "user.email", "kam@example.com")
    git(r, "config", "user.name", "kam")
    for name in ("alta", "bodo", "hamar"):
        write_account(r, name)
    commit(r, "Q4 portfolio", "2025-12-15")
    shutil.rmtree(r / "accounts/bodo")
    write_account(r, "narvik")
    acct = r / "accounts/alta/account.yaml"
    acct.write_text(acct.read_text().replace("position: 3\nvalue: 3", "position: 4\nvalue: 5"))
    people = r / "accounts/hamar/stakeholders.yaml"
    people.write_text(people.read_text().replace("attitude: 2", "attitude: -3"))
    commit(r, "January changes", "2026-01-20")
    return r


def test_since_a_date(kam, repo):
    out = kam(repo, "portfolio", "--since", "2026-01-01", "--format", "json")
    assert out.exit_code == 0, out.stderr
    s = out.json()["since"]
    assert s["date"] == "2025-12-15" and s["accounts_then"] == 3 and s["accounts_now"] == 3
    assert [x["id"] for x in s["gained"]] == ["narvik"]
    assert [x["id"] for x in s["lost"]] == ["bodo"]
    assert s["tier_changes"] == [{"id": "alta", "from": "A", "to": "S"}]
    hamar = next(x for x in s["score_changes"] if x["id"] == "hamar")
    assert hamar["change"] < 0
    assert any(x["id"] == "hamar" for x in s["letter_changes"])
    by_tier = {t["tier"]: t for t in s["tiers"]}
    assert by_tier["S"]["entered"] == ["alta"] and by_tier["A"]["left"] == ["alta", "bodo"]
    assert by_tier["A"]["accounts_then"] == 3 and by_tier["A"]["accounts_now"] == 2


def test_since_a_revision_in_text_and_markdown(kam, repo):
    text = kam(repo, "portfolio", "--since", "HEAD~1", "--no-color").stdout
    assert "Since HEAD~1 (commit" in text and "of 2025-12-15): 3 → 3 accounts" in text
    assert "Accounts gained:\n  Acme narvik (narvik): A," in text
    assert "Accounts lost:\n  Acme bodo (bodo): A," in text
    assert "Tier changes:\n  Acme alta (alta): A → S" in text
    md = kam(repo, "portfolio", "--since", "HEAD~1", "--format", "markdown").stdout
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<li>Acme alta (alta): A → S</li>" in html and "<li>Acme bodo (bodo): A, " in html
    same = kam(repo, "portfolio", "--since", "HEAD", "--format", "json").json()["since"]
    assert same["gained"] == same["lost"] == same["tier_changes"] == same["score_changes"] == []


def test_since_errors(kam, repo, tmp_path):
    r = kam(repo, "portfolio", "--since", "nope")
    assert r.exit_code == 2 and "unknown revision 'nope'" in r.stderr
    early = kam(repo, "portfolio", "--since", "2020-01-01", "--format", "json").json()["since"]
    assert early["commit"] is None and len(early["gained"]) == 3
    plain = tmp_path / "plain"
    write_account(plain, "x")
    r = kam(plain, "portfolio", "--since", "2026-01-01")
    assert r.exit_code == 2 and "not inside a git repository" in r.stderr


def test_a_pinned_date_is_said(kam, repo):
    """With --today (or KAM_TODAY, which CI may set) the past side is graded as of that
    day too, as kam history does; a score change can then come from the date alone
    (contacts stale by then). The output said nothing of it."""
    pinned = kam(
        repo, "portfolio", "--since", "HEAD~1", "--today", "2026-11-30", "--format", "json"
    )
    note = pinned.json()["since"]["note"]
    assert note.startswith("both sides graded as of 2026-11-30 (--today or KAM_TODAY)")
    text = kam(repo, "portfolio", "--since", "HEAD~1", "--today", "2026-11-30", "--no-color")
    assert "both sides graded as of 2026-11-30" in " ".join(text.stdout.split())
    free = kam(repo, "portfolio", "--since", "HEAD~1", "--format", "json", env={"KAM_TODAY": ""})
    # unpinned, each side as of its own date: the months between age contacts too
    assert free.json()["since"]["note"].startswith("the past graded as of its commit's date (")


def test_score_changes_put_the_largest_drops_and_rises_first(kam, tmp_path):
    """The director read "Score changes" after a year: Beijing Rail +16 above Acme
    Steel +18. The list was sorted by the signed change, so the drops came largest
    first and the rises smallest first. Drops still come first, each half largest first."""
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    git(r, "config", "user.email", "kam@example.com")
    git(r, "config", "user.name", "kam")
    before = {"rise-small": 1, "rise-big": -3, "drop-small": 2, "drop-big": 2}
    after = {"rise-small": 2, "rise-big": 3, "drop-small": 1, "drop-big": -3}
    for attitudes, day in ((before, "2025-12-15"), (after, "2026-06-15")):
        for name, attitude in attitudes.items():
            folder = write_account(r, name)
            people = folder / "stakeholders.yaml"
            people.write_text(people.read_text().replace("attitude: 2", f"attitude: {attitude}"))
        commit(r, f"state of {day}", day)
    out = kam(r, "portfolio", "--since", "2026-01-01", "--format", "json", "--today", "2026-06-16")
    changes = out.json()["since"]["score_changes"]
    assert [x["id"] for x in changes] == ["drop-big", "drop-small", "rise-big", "rise-small"]
    assert (
        changes[0]["change"]
        < changes[1]["change"]
        < 0
        < changes[3]["change"]
        < changes[2]["change"]
    )
    text = kam(r, "portfolio", "--since", "2026-01-01", "--today", "2026-06-16", "--no-color")
    listed = text.stdout.split("Score changes:\n")[1]
    assert listed.index("(rise-big)") < listed.index("(rise-small)")


def test_since_names_the_kam_yaml_settings_that_moved_the_scores(kam, repo):
    """Each side is graded with its own kam.yaml. A commit that only changed the score
    weights listed eight "Score changes" and said nothing of why, where kam diff of the
    same commits said "kam.yaml settings differ ...": the director read relationships
    improving that no one had touched. The section now names the settings and their
    values then and now, in every format."""
    (repo / "kam.yaml").write_text("score: {decision_makers: 35, freshness: 10}\n")
    commit(repo, "kam.yaml", "2026-02-01")
    same = kam(repo, "portfolio", "--since", "HEAD", "--format", "json").json()["since"]
    assert same["settings_changed"] == [] and same["settings"] == []
    (repo / "kam.yaml").write_text("score: {decision_makers: 25, freshness: 20}\n")
    commit(repo, "new weights", "2026-02-10")
    s = kam(repo, "portfolio", "--since", "HEAD~1", "--format", "json").json()["since"]
    assert s["score_changes"], "the weights alone moved a score: the test can tell"
    assert s["settings_changed"] == ["score"]
    assert s["settings"] == [
        {"key": "score.decision_makers", "before": 35, "after": 25},
        {"key": "score.freshness", "before": 10, "after": 20},
    ]
    text = kam(repo, "portfolio", "--since", "HEAD~1", "--no-color").stdout
    assert (
        "kam.yaml settings differ between then and now: score; each side is graded with its "
        "own kam.yaml, so a grade may have moved by a setting alone\n"
        "  score.decision_makers: 35 → 25\n  score.freshness: 10 → 20\n"
    ) in text
    md = kam(repo, "portfolio", "--since", "HEAD~1", "--format", "markdown").stdout
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<li><code>score.decision_makers</code>: <code>35</code> → <code>25</code></li>" in html
    assert "differ between then and now: <code>score</code>; each side" in html
    zh = kam(repo, "portfolio", "--since", "HEAD~1", "--lang", "zh-CN").stdout
    assert "kam.yaml 设置在当时与现在之间不同：score" in zh


def test_a_past_kam_yaml_that_does_not_load_leaves_the_report_standing(kam, tmp_path):
    """`kam portfolio --since` at a commit whose kam.yaml did not load refused the whole
    report (exit 2, JSON empty), though today's kam.yaml was fine: that side is graded
    with today's kam.yaml, and the note says so."""
    import gitrepo
    from conftest import write_account
    from gitrepo import commit

    r = gitrepo.new_repo(tmp_path / "repo")
    (r / "kam.yaml").write_text("accounts: accounts\nlanguage: de\n", encoding="utf-8")
    write_account(r, "acme")
    commit(r, "broken", "2026-02-01")
    (r / "kam.yaml").write_text("accounts: accounts\n", encoding="utf-8")
    commit(r, "fixed", "2026-02-02")
    out = kam(r, "portfolio", "--since", "2026-02-02", "--format", "json")
    assert out.exit_code == 0, out.stderr
    note = out.json()["since"]["note"]
    assert note.startswith("kam.yaml at 2026-02-02 does not load (kam.yaml:2:11:"), note
    assert "that side is graded with today's kam.yaml" in note
    text = kam(r, "portfolio", "--since", "2026-02-02")
    assert text.exit_code == 0 and "Accounts gained: none" in text.stdout, text.stdout


def test_without_a_pinned_date_the_note_says_time_moves_grades_too(tmp_path):
    """Without --today the past is graded as of its commit's date and today's files as
    of today, so contacts age between the two: the note that says a change can come
    from the date alone was given only when the date was pinned, where it matters less."""
    import gitrepo
    from conftest import write_account
    from gitrepo import commit
    from kamtool.analyse.portfolio_since import _then

    r = gitrepo.new_repo(tmp_path / "repo")
    write_account(r, "acme")
    commit(r, "one", "2026-02-01")
    _commit, day, _results, note, _past, _settings = _then("2026-03-01", None, r, pinned=None)
    assert day is not None and day.isoformat() == "2026-02-01"
    assert note is not None and note.startswith(
        "the past graded as of its commit's date (2026-02-01), today's files as of today: "
        "a change can come from the date alone"
    ), note
