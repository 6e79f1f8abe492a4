"""kam diff A B when a side's own kam.yaml does not load: it printed "0 changed ... 0
worse", exit 0, JSON `settings_changed: []`, as if the settings had not changed. The side
whose kam.yaml does not load is now named first in text, markdown and JSON
(`config_does_not_load`), its settings not compared; the head side's exits 1, as an
account that does not load on the head side does."""

from __future__ import annotations

import gitrepo
from conftest import write_account
from gitrepo import commit


def _repo(tmp_path, broken: str):
    """Commit 1 with a good kam.yaml, commit 2 breaks it, commit 3 mends it (the working
    tree loads, as when the pull request under review is not checked out)."""
    r = gitrepo.new_repo(tmp_path / "repo")
    (r / "kam.yaml").write_text("accounts: accounts\n", encoding="utf-8")
    write_account(r, "acme")
    commit(r, "one", "2026-10-01")
    (r / "kam.yaml").write_text("accounts: accounts\n" + broken, encoding="utf-8")
    commit(r, "two", "2026-10-02")
    (r / "kam.yaml").write_text("accounts: accounts\n", encoding="utf-8")
    commit(r, "three", "2026-10-03")
    return r


def test_a_head_kam_yaml_that_does_not_load_is_said_and_fails(kam, tmp_path):
    for broken, said in (
        ("accounts: other\n", "accounts is written twice"),
        ("focus_tiers: [S\n", "the [ opened here is never closed"),
    ):
        r = _repo(tmp_path / said.split()[0], broken)
        text = kam(r, "diff", "HEAD~2", "HEAD~1")
        assert text.exit_code == 1, text.stdout
        line = text.stdout.splitlines()[1]
        assert line.startswith("▼ kam.yaml does not load in HEAD~1: kam.yaml:2:"), text.stdout
        assert said in line and "its settings are not compared" in line
        # the count line says why the run fails: "0 worse" alone read as a pass
        assert text.stdout.rstrip().endswith("; 0 worse; and kam.yaml does not load ▼")
        md = kam(r, "diff", "HEAD~2", "HEAD~1", "--format", "markdown")
        assert md.exit_code == 1
        assert "▼ `kam.yaml` does not load in `HEAD~1`: kam.yaml:2:" in md.stdout, md.stdout
        js = kam(r, "diff", "HEAD~2", "HEAD~1", "--format", "json")
        assert js.exit_code == 1
        (unloaded,) = js.json()["config_does_not_load"]
        assert unloaded["side"] == "head" and unloaded["revision"] == "HEAD~1"
        assert unloaded["path"] == "kam.yaml" and said in unloaded["error"]
        assert js.json()["worse"] is True
        # the base side's: said, and no failure (the change mends it)
        back = kam(r, "diff", "HEAD~1", "HEAD")
        assert back.exit_code == 0, back.stdout
        assert "kam.yaml does not load in HEAD~1: kam.yaml:2:" in back.stdout
        assert "▼ kam.yaml" not in back.stdout
        js = kam(r, "diff", "HEAD~1", "HEAD", "--format", "json").json()
        assert [c["side"] for c in js["config_does_not_load"]] == ["base"]
        assert js["worse"] is False


def test_kam_yaml_that_loads_on_both_sides_says_nothing(kam, tmp_path):
    r = _repo(tmp_path, "freshness: {}\n")
    js = kam(r, "diff", "HEAD~2", "HEAD", "--format", "json")
    assert js.exit_code == 0 and js.json()["config_does_not_load"] == []
    assert "does not load" not in kam(r, "diff", "HEAD~2", "HEAD").stdout


def test_each_account_counted_worse_is_marked_in_the_text(kam, tmp_path):
    """The text counted "1 worse" for a new account with an error, or one that stopped
    loading, while no line showed which (the Markdown table marked the row ▼)."""
    r = gitrepo.new_repo(tmp_path / "repo")
    (r / "kam.yaml").write_text("accounts: accounts\n", encoding="utf-8")
    write_account(r, "acme")
    commit(r, "one", "2026-10-01")
    write_account(
        r, "beta", {"stakeholders.yaml": "stakeholders:\n  - {id: a, name: A, attitude: 5}\n"}
    )
    out = kam(r, "diff")
    assert out.exit_code == 1
    line = next(x for x in out.stdout.splitlines() if "(beta)" in x)
    assert line.endswith("(beta): new account, invalid: it does not load ▼"), out.stdout
    assert out.stdout.rstrip().splitlines()[-2].endswith("; 1 worse"), out.stdout
    commit(r, "beta", "2026-10-04")
    (r / "accounts" / "acme" / "account.yaml").write_text("id: acme\nname: [\n", encoding="utf-8")
    gone = kam(r, "diff")
    line = next(x for x in gone.stdout.splitlines() if "(acme)" in x)
    assert "no longer loads" in line and line.endswith("▼"), gone.stdout
