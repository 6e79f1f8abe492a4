"""kam portfolio --since names accounts as the rest of the portfolio does ("Name (id)")
and marks a tier change that comes from a manual override in account.yaml."""

from __future__ import annotations

import shutil

from markdown_it import MarkdownIt

from conftest import write_account
from test_history import commit, git


def _account(account_id: str, name: str, position: int, value: int, extra: str = "") -> str:
    return (
        f"id: {account_id}\nname: {name}\nowner: zhao.lei\nreviewed: 2026-10-01\n"
        f"position: {position}\nvalue: {value}\n{extra}"
    )


def _repo(tmp_path):
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    git(r, "config", "user.email", "kam@example.com")
    git(r, "config", "user.name", "kam")
    accounts = {
        "acct05": ("Customer 05 GmbH", 3, 3),
        "acct17": ("Customer 17 AG", 1, 1),  # tier C from its position and value
        "acct21": ("上海远景科技有限公司", 3, 3),
    }
    for i, (name, p, v) in accounts.items():
        write_account(r, i, {"account.yaml": _account(i, name, p, v)})
    commit(r, "Q4", "2026-06-30")
    shutil.rmtree(r / "accounts/acct05")
    # acct17 set to S by hand; acct21 earns S from its position and value
    write_account(
        r,
        "acct17",
        {
            "account.yaml": _account(
                "acct17", "Customer 17 AG", 1, 1, "tier: S\ntier_reason: board\n"
            )
        },
    )
    write_account(r, "acct21", {"account.yaml": _account("acct21", "上海远景科技有限公司", 5, 5)})
    write_account(r, "acct30", {"account.yaml": _account("acct30", "Nuevo Cliente SA", 3, 3)})
    commit(r, "H2", "2026-11-20")
    return r


def test_since_names_accounts_and_marks_manual_tiers(kam, tmp_path):
    r = _repo(tmp_path)
    text = kam(r, "portfolio", "--since", "2026-07-01", "--no-color").stdout
    assert "Accounts gained:\n  Nuevo Cliente SA (acct30): A," in text
    assert "Accounts lost:\n  Customer 05 GmbH (acct05): A," in text
    assert "  Customer 17 AG (acct17): C → S (manual; computed C)\n" in text
    assert "  上海远景科技有限公司 (acct21): A → S\n" in text  # earned: no mark
    assert "entered: Customer 17 AG (acct17), 上海远景科技有限公司 (acct21)" in text
    md = kam(r, "portfolio", "--since", "2026-07-01", "--format", "markdown").stdout
    html = MarkdownIt("commonmark").render(md)
    assert "<li>Customer 17 AG (acct17): C → S (manual; computed C)</li>" in html
    assert "<li>Customer 05 GmbH (acct05): A, " in html
    # the json keeps ids and the analysis' fields (the names are the report's)
    s = kam(r, "portfolio", "--since", "2026-07-01", "--format", "json").json()["since"]
    assert {"id": "acct17", "from": "C", "to": "S"} in s["tier_changes"]
    zh = kam(r, "--lang", "zh-CN", "portfolio", "--since", "2026-07-01", "--no-color").stdout
    assert "  Customer 17 AG（acct17）：C → S（手工定级；计算结果为 C）\n" in zh
