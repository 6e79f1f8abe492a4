"""Paths and commands as kam writes them for wherever it ran: the CI formats' paths (JUnit
as SARIF, GitHub and GitLab; the example accounts), the suggested commands that repeat
what was needed to reach the same portfolio, kam diff from a monorepo's root after the
accounts folder moved, and account files over a megabyte."""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import EXAMPLES, write_account


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", message)


STALE = """\
stakeholders:
  - id: chen-jing
    name: 陈静
    roles: [D]
    attitude: 1
    intimacy: 1
    owner: zhou.lei
    last_contact: 2025-12-01
    reviewed: 2026-11-01
"""


def _junit_files(xml: str) -> set[str]:
    return {case.get("classname") for case in ET.fromstring(xml).iter("testcase")}


def test_junit_paths_are_from_the_repository_root_as_every_ci_format(kam, tmp_path):
    """JUnit gave paths from the folder kam ran in (`../beta/stakeholders.yaml` from
    inside another account), while SARIF, GitHub and GitLab give them from the repository
    root: the same report uploaded from a sub-folder pointed at files that do not exist."""
    repo = tmp_path / "crm"
    (repo / "ops").mkdir(parents=True)
    kam_dir = repo / "ops"
    (kam_dir / "kam.yaml").write_text("accounts: 客户\n", encoding="utf-8")
    write_account(kam_dir, "alpha")
    write_account(kam_dir, "beta", {"stakeholders.yaml": STALE})
    (kam_dir / "accounts").rename(kam_dir / "客户")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "accounts")
    expected = {f"ops/客户/{a}/{f}" for a in ("alpha", "beta") for f in ("account.yaml",)}
    expected |= {"ops/客户/alpha/stakeholders.yaml", "ops/客户/beta/stakeholders.yaml"}
    seen = []
    for where in (repo, kam_dir, kam_dir / "客户" / "alpha"):
        args = ("--config", "ops/kam.yaml") if where == repo else ()
        r = kam(where, "check", "--format", "junit", "--fail-on", "info", *args)
        assert r.exit_code == 1, r.stderr
        files = _junit_files(r.stdout)
        assert files == expected, (where, files)
        assert "../" not in r.stdout and str(repo) not in r.stdout
        # the failure's own text names the file the same way
        assert "ops/客户/beta/stakeholders.yaml:8:19: KAM201" in r.stdout
        gitlab = kam(where, "check", "--format", "gitlab", *args).json()
        assert {i["location"]["path"] for i in gitlab} <= files
        # the same report (the hints' commands repeat --config where it was given)
        seen.append(sorted(r.stdout.replace(" --config ops/kam.yaml", "").splitlines()))
    assert seen[0] == seen[1] == seen[2]


def test_examples_in_ci_formats_name_files_as_accounts_not_the_installation(kam, tmp_path):
    """`kam check --examples --format sarif` wrote `file:`-less absolute URIs holding the
    installation's path on this machine (site-packages, a checkout): each machine made
    a different report, and a code-scanning upload pointed at nothing. The example
    accounts are named as they would lie in a repository: `accounts/ID/FILE`."""
    install = str(EXAMPLES.parent)
    outside = tmp_path / "plain"
    outside.mkdir()
    inside = tmp_path / "repo" / "sub"
    inside.mkdir(parents=True)
    git(tmp_path / "repo", "init", "-q")
    sarifs = []
    for where in (outside, inside):
        r = kam(where, "check", "--examples", "--format", "sarif")
        assert r.exit_code == 1 and install not in r.stdout, r.stdout[:2000]
        doc = json.loads(r.stdout)
        uris = {
            loc["physicalLocation"]["artifactLocation"]["uri"]
            for res in doc["runs"][0]["results"]
            for loc in res["locations"]
        }
        assert uris and all(re.fullmatch(r"accounts/[a-z-]+/[a-z]+\.yaml", u) for u in uris), uris
        assert "accounts/nordtel/stakeholders.yaml" in uris
        sarifs.append(r.stdout)
        for fmt in ("junit", "gitlab", "github"):
            out = kam(where, "check", "--examples", "--format", fmt).stdout
            assert install not in out and "accounts/nordtel/" in out, (fmt, out[:500])
    assert sarifs[0] == sarifs[1]
    # text output is for the person at this machine: there the real path is what opens
    text = kam(outside, "check", "--examples").stdout
    assert f"{EXAMPLES.as_posix()}/nordtel/" in text


def _big_account(account_id: str, name: str, needs: int) -> str:
    """An account.yaml as a CRM import writes it: the profile, then thousands of needs."""
    head = (
        f"id: {account_id}\nname: {name}\nowner: zhou.lei\nreviewed: 2026-10-01\n"
        "position: 4\nvalue: 4\nneeds:\n"
    )
    item = "  - kind: explicit\n    text: 二期项目的网络改造需求，编号 {n:05d}，来自客户关系管理系统的导入记录\n"
    return head + "".join(item.format(n=n) for n in range(needs))


def test_an_account_yaml_over_a_megabyte_is_found_by_its_name(kam, tmp_path):
    """The did-you-mean for a customer's name read account.yaml only up to 1,000,000
    bytes, a limit of its own: an account kam loads (the limit is max_file_size, 5 MB by
    default) was silently left out, and its name suggested nothing."""
    write_account(tmp_path, "pengcheng-power", {"stakeholders.yaml": STALE})
    write_account(tmp_path, "nanhai-steel")
    big = _big_account("pengcheng-power", "鹏城电力集团有限公司", 9_000)
    (tmp_path / "accounts/pengcheng-power/account.yaml").write_text(big, encoding="utf-8")
    assert len(big.encode()) > 1_100_000
    assert kam(tmp_path, "grade", "pengcheng-power").exit_code == 0  # kam reads it
    r = kam(tmp_path, "grade", "鹏城电力")
    assert r.exit_code == 1
    assert "no account '鹏城电力'; did you mean 'pengcheng-power'?" in r.stderr, r.stderr
    # over kam.yaml's max_file_size the file is refused everywhere, and said so: the
    # name lookup leaves it out, the account's own run reports the size (KAM001)
    (tmp_path / "kam.yaml").write_text("max_file_size: 1000000\n", encoding="utf-8")
    r = kam(tmp_path, "grade", "鹏城电力")
    assert r.exit_code == 1 and "did you mean" not in r.stderr
    r = kam(tmp_path, "validate", "pengcheng-power")
    assert r.exit_code == 1
    assert "KAM001 file is 1," in r.stdout and "over the limit of 1,000,000 bytes" in r.stdout


def test_kam_yaml_language_after_the_first_megabyte(kam, tmp_path):
    """kam.yaml's `language` was looked for in its first 1,000,000 bytes only: past a
    long block (a commented list of rates, many offerings) it was missed and the run's
    first messages came out in English, though the full load then read zh-CN."""
    write_account(tmp_path, "acme")
    history = "".join(
        f"# 2025-{n % 12 + 1:02d}: rate review {n:06d}, CNY per EUR\n" for n in range(30_000)
    )
    text = f"{history}language: zh-CN\n"
    assert len(text.encode()) > 1_100_000
    (tmp_path / "kam.yaml").write_text(text, encoding="utf-8")
    r = kam(tmp_path, "grade", "--today", "2026-13-01")
    assert r.exit_code == 2
    assert r.stderr.startswith("kam：错误："), r.stderr
    graded = kam(tmp_path, "grade")
    assert graded.exit_code == 0 and "关系评分" in graded.stdout, graded.stderr
