"""Paths and commands as kam writes them for wherever it ran: the CI formats' paths (JUnit
as SARIF, GitHub and GitLab; the example accounts), the suggested commands that repeat
what was needed to reach the same portfolio, kam diff from a monorepo's root after the
accounts folder moved, and account files over a megabyte."""

from __future__ import annotations

import json
import re
import shlex
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import EXAMPLES, write_account
from gitrepo import commit, git

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


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["grade", "--format", "json"],
        ["stale", "--format", "json"],
        ["validate"],
        ["portfolio", "--format", "json"],
        ["whitespace"],
    ],
)
def test_examples_with_an_id_reads_that_example_account_alone(kam, tmp_path, args):
    """`kam check --examples hansa-bank` reported no such account outside a repository, and
    inside one read the repository's own `hansa-bank` beside all three examples: with
    --examples an id names an example account, in the commands over many accounts as in
    `kam plan` and `kam agenda`."""
    own = tmp_path / "repo"
    write_account(own, "hansa-bank", {"stakeholders.yaml": STALE})  # an example's namesake
    git(own, "init", "-q")
    for where in (tmp_path, own):
        r = kam(where, *args, "--examples", "hansa-bank")
        assert r.exit_code in (0, 1), r.stderr
        out = r.stdout
        assert "chen-jing" not in out and "陈静" not in out, out[:1000]  # not the namesake
        assert "nordtel" not in out and "kessler" not in out, out[:1000]  # nor the others
        assert "hansa" in out.lower() or "1 account" in out, out[:1000]
    slip = kam(tmp_path, args[0], "--examples", "hansa-bnk")
    assert slip.exit_code == 1 and "did you mean 'hansa-bank'" in slip.stderr


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


# ---------------------------------------------------------------- suggested commands
def _people(n: int) -> str:
    """n decision makers nobody has called since December 2025: n KAM201 errors."""
    out = ["stakeholders:"]
    for i in range(n):
        out += [
            f"  - id: p{i:03d}",
            f"    name: 客户联系人{i:03d}",
            "    roles: [D]",
            "    attitude: 1",
            "    intimacy: 1",
            "    owner: zhou.lei",
            "    last_contact: 2025-12-01",
            "    reviewed: 2026-11-01",
        ]
    return "\n".join(out) + "\n"


def _hinted(text: str) -> list[str]:
    """The commands in backticks of a text."""
    return re.findall(r"`(kam [^`]+)`", text)


def _paste(kam, where: Path, command: str):
    """Run a suggested command as the user pastes it into the shell, in the same folder."""
    words = shlex.split(command)
    assert words[0] == "kam", command
    return kam(where, *words[1:])


@pytest.fixture
def sales(tmp_path: Path) -> Path:
    """A company repository: kam.yaml in `销售 团队/kam.yaml` (a space in the folder),
    its accounts in `客户/`; `acme` with a stale decision maker, `globex` with 60,
    `broken` with an account.yaml that does not load."""
    repo = tmp_path / "corp"
    kam_dir = repo / "销售 团队"
    kam_dir.mkdir(parents=True)
    (kam_dir / "kam.yaml").write_text("accounts: 客户\n", encoding="utf-8")
    write_account(kam_dir, "acme", {"stakeholders.yaml": STALE})
    write_account(kam_dir, "globex", {"stakeholders.yaml": _people(60)})
    write_account(kam_dir, "broken", {"account.yaml": "id: broken\nname: [\n"})
    (kam_dir / "accounts").rename(kam_dir / "客户")
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "accounts")
    return repo


CONFIG = "销售 团队/kam.yaml"
QUOTED = "--config '销售 团队/kam.yaml'"


def test_suggested_commands_repeat_config_and_work_when_pasted(kam, sales):
    """From the repository root with --config, every command kam suggested left the
    option out: pasted, `kam log acme chen-jing -m TEXT` found no accounts folder at the
    root (or another kam.yaml's). Each one now repeats it, quoted for the shell."""
    kam_dir = sales / "销售 团队"
    check = kam(sales, "check", "--config", CONFIG)
    assert check.exit_code == 1
    hinted = _hinted(check.stdout)
    assert f"kam log acme chen-jing -m TEXT {QUOTED}" in hinted, hinted
    assert f"kam touch acme chen-jing {QUOTED}" in hinted
    assert all(QUOTED in c or c.startswith("kam schema") for c in hinted), hinted
    # pasted in the same folder, it records the contact in the same portfolio
    logged = _paste(kam, sales, f"kam log acme chen-jing -m 电话沟通 {QUOTED}")
    assert logged.exit_code == 0, logged.stderr
    assert "电话沟通" in (kam_dir / "客户/acme/log.yaml").read_text(encoding="utf-8")

    # the grade tally of an account with 60 findings names the command that lists them
    tally = kam(sales, "grade", "globex", "--config", CONFIG)
    assert f"every finding, with its place: kam check globex {QUOTED}" in tally.stdout
    listed = _paste(kam, sales, f"kam check globex {QUOTED}")
    assert listed.stdout.count(": KAM201 ") == 60

    # an account that does not load: the stderr note's command reads that account
    graded = kam(sales, "grade", "--config", CONFIG)
    assert graded.exit_code == 1
    assert f"fix it (kam validate broken {QUOTED})" in graded.stderr, graded.stderr
    fixed = _paste(kam, sales, f"kam validate broken {QUOTED}")
    assert fixed.exit_code == 1 and "团队/客户/broken/account.yaml:2:7: KAM001" in fixed.stdout

    # the agenda's steps
    agenda = kam(sales, "agenda", "--config", CONFIG, "--format", "json").json()
    commands = {i["command"] for i in agenda["items"]}
    assert f"kam log globex p000 --by zhou.lei {QUOTED}" in commands, sorted(commands)[:5]
    assert all(c.endswith(QUOTED) for c in commands)
    assert _paste(kam, sales, f"kam log globex p000 --by zhou.lei {QUOTED}").exit_code == 0

    # the same from the folder of kam.yaml, without the option: short, as before
    here = kam(kam_dir, "check")
    assert "`kam touch globex p001`" in here.stdout
    assert "--config" not in here.stdout
    assert (
        "every finding, with its place: kam check globex\n"
        in kam(kam_dir, "grade", "globex").stdout
    )
    assert "(kam validate broken)" in kam(kam_dir, "grade").stderr


def test_accounts_named_by_folder_are_suggested_by_folder(kam, sales, tmp_path):
    """`kam agenda ../corp/销售 团队/客户` from another folder suggested `kam log acme ...`,
    which finds no account there: the account is named as it was reached, by its folder."""
    elsewhere = tmp_path / "home"
    elsewhere.mkdir()
    folder = "../corp/销售 团队/客户"
    agenda = kam(elsewhere, "agenda", folder, "--format", "json")
    commands = {i["command"] for i in agenda.json()["items"]}
    # outside the working folder, a folder is shown in full, as kam shows every such path
    acme = shlex.quote(f"{(sales / '销售 团队/客户/acme').as_posix()}")
    expected = f"kam log {acme} chen-jing --by zhou.lei"
    assert expected in commands, sorted(commands)[:5]
    check = kam(elsewhere, "check", folder)
    assert f"`kam touch {acme} chen-jing`" in check.stdout, check.stdout
    assert _paste(kam, elsewhere, expected + " -m 拜访").exit_code == 0
    graded = kam(elsewhere, "grade", folder)
    broken = shlex.quote(f"{(sales / '销售 团队/客户/broken').as_posix()}")
    assert f"(kam validate {broken})" in graded.stderr, graded.stderr
    # below the working folder, it is the path from there
    inside = kam(sales, "agenda", "销售 团队/客户", "--format", "json").json()
    assert "kam log '销售 团队/客户/globex' p000 --by zhou.lei" in {
        i["command"] for i in inside["items"]
    }


def test_examples_suggest_examples_where_the_command_takes_it(kam, tmp_path):
    """`kam grade --examples` and the like read kam's example accounts: a suggested
    command that reads (`kam check`) repeats --examples; one that writes (`kam log`) is
    shown as typed for your own accounts, never pointing into kam's installation."""
    r = kam(tmp_path, "check", "--examples")
    hinted = _hinted(r.stdout)
    assert "kam log hansa-bank claudia-richter -m TEXT" in hinted, hinted
    assert str(EXAMPLES) not in "".join(hinted)
    plan = kam(tmp_path, "plan", "--examples")
    assert plan.exit_code == 2 and "name an account: kam plan ID --examples" in plan.stderr
    assert _paste(kam, tmp_path, "kam plan nordtel --examples").exit_code == 0


# ---------------------------------------------------------------- kam diff after a move
def _accounts_repo(tmp_path: Path) -> Path:
    """A repository with kam.yaml at the root and two accounts in `accounts/`."""
    repo = tmp_path / "company"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "kam.yaml").write_text("accounts: accounts\n", encoding="utf-8")
    write_account(repo, "haitai", {"stakeholders.yaml": STALE})
    write_account(repo, "nanfeng")
    (repo / "README.md").write_text("monorepo\n", encoding="utf-8")
    commit(repo, "accounts at the root")
    return repo


def _statuses(result) -> list[tuple[str, str]]:
    return [(a["id"], a["status"]) for a in result.json()["accounts"]]


def test_diff_from_the_root_follows_accounts_moved_into_a_sub_folder(kam, tmp_path):
    """kam.yaml and the accounts moved from the root into `sales/kam/` (`accounts:`
    renamed to `客户` on the way) and one person turned: `kam diff` from the repository
    root read "2 removed", exit 0, while from `sales/kam` or with --config it compared each
    account with itself. kam finds kam.yaml upward only, so from the root the head side
    had no accounts where kam reads them; now the kam.yaml they moved to is followed."""
    repo = _accounts_repo(tmp_path)
    (repo / "sales/kam").mkdir(parents=True)
    git(repo, "mv", "kam.yaml", "sales/kam/kam.yaml")
    git(repo, "mv", "accounts", "sales/kam/客户")
    (repo / "sales/kam/kam.yaml").write_text("accounts: 客户\n", encoding="utf-8")
    people = repo / "sales/kam/客户/haitai/stakeholders.yaml"
    people.write_text(STALE.replace("attitude: 1", "attitude: -1"), encoding="utf-8")
    # another team's portfolio, sharing no account, is not where these went
    other = repo / "ops"
    (other / "kam.yaml").parent.mkdir()
    (other / "kam.yaml").write_text("accounts: accounts\n", encoding="utf-8")
    write_account(other, "tianhe")
    # the working tree first (staged and not), then the commit
    for revisions in (("HEAD",), ("HEAD~1", "HEAD")):
        if revisions == ("HEAD~1", "HEAD"):
            commit(repo, "into sales/kam")
        r = kam(repo, "diff", *revisions, "--format", "json")
        assert r.exit_code == 0, r.stderr
        assert _statuses(r) == [("haitai", "changed")], (revisions, r.stdout)
        assert r.json()["unchanged"] == 1 and r.json()["worse"] is True
        assert (
            "the accounts moved to where sales/kam/kam.yaml reads them and were read there"
            in r.stderr
        )
        assert "(kam check --config sales/kam/kam.yaml)" in r.stderr
        # the same as from the folder of kam.yaml, and with --config from the root
        here = kam(repo / "sales/kam", "diff", *revisions, "--format", "json")
        named = kam(repo, "diff", *revisions, "--config", "sales/kam/kam.yaml", "--format", "json")
        assert _statuses(here) == _statuses(named) == _statuses(r)
        assert here.stderr == named.stderr == ""
    text = kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse")
    assert text.exit_code == 1 and "0 removed" in text.stdout, text.stdout
    assert "attitude +1 → -1" in text.stdout
    zh = kam(repo, "diff", "HEAD~1", "HEAD", "--lang", "zh-CN")
    assert "客户已移到 sales/kam/kam.yaml 所指的位置" in zh.stderr
    # kam history from the root read the same way: the accounts go on, not "removed"
    history = kam(repo, "history", "haitai", "--format", "json")
    assert history.exit_code == 0, history.stderr
    named = kam(repo, "history", "haitai", "--config", "sales/kam/kam.yaml", "--format", "json")
    assert history.stdout == named.stdout
    statuses = [r["status"] for r in history.json()["accounts"][0]["revisions"]]
    assert "removed" not in statuses and statuses[0] == "added", statuses
    assert "sales/kam/kam.yaml reads them" in history.stderr


def test_diff_from_the_root_follows_a_renamed_accounts_key_below(kam, tmp_path):
    """The other way a portfolio leaves the root: kam.yaml already in `crm/`, its
    `accounts:` renamed from `../accounts` (the root's folder) to `客户` beside it."""
    repo = _accounts_repo(tmp_path)
    (repo / "crm").mkdir()
    git(repo, "mv", "kam.yaml", "crm/kam.yaml")
    (repo / "crm/kam.yaml").write_text("accounts: ../accounts\n", encoding="utf-8")
    commit(repo, "kam.yaml into crm")
    git(repo, "mv", "accounts", "crm/客户")
    (repo / "crm/kam.yaml").write_text("accounts: 客户\n", encoding="utf-8")
    commit(repo, "accounts beside it")
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json")
    assert r.exit_code == 0 and _statuses(r) == [] and r.json()["unchanged"] == 2, r.stdout


def test_accounts_really_removed_at_the_root_stay_removed(kam, tmp_path):
    """Nothing to follow when the accounts are gone (no kam.yaml holds them): every
    account removed (each worse, so ``--fail-on-worse`` stops it), not the error of a
    head side whose kam.yaml names a folder it does not have (test_git_sides)."""
    repo = _accounts_repo(tmp_path)
    git(repo, "rm", "-rq", "accounts", "kam.yaml")
    commit(repo, "portfolio handed over")
    r = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json")
    assert sorted(_statuses(r)) == [("haitai", "removed"), ("nanfeng", "removed")]
    assert r.stderr == "" and r.exit_code == 0
    gate = kam(repo, "diff", "HEAD~1", "HEAD", "--fail-on-worse")
    assert gate.exit_code == 1 and "2 removed, 0 unchanged; 2 worse" in gate.stdout


def test_suggest_knows_which_commands_take_config_and_examples():
    """The suggested commands add --config and --examples only where the command takes
    them (`kam schema --config` would be refused): the tables agree with the CLI."""
    import typer.main

    from kamtool import suggest
    from kamtool.cli import app

    takes: dict[str, set[str]] = {"--config": set(), "--examples": set()}

    def walk(command, prefix: str) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            full = f"{prefix} {name}".strip()
            if getattr(sub, "commands", None):
                walk(sub, full)
                continue
            for param in sub.params:
                for option in takes:
                    if option in getattr(param, "opts", ()):
                        takes[option].add(full)

    walk(typer.main.get_command(app), "")
    assert takes["--config"] == set(suggest.TAKES_CONFIG)
    assert takes["--examples"] == set(suggest.TAKES_EXAMPLES)


def test_commands_in_fills_words_into_a_text_built_once(tmp_path):
    """commands_in builds a text's commands once for an account and fills each finding's
    words in afterwards: the words are quoted as ``command`` quotes them in place, the
    --config path keeps its own placeholder words, and a later --config is a new build."""
    from kamtool import suggest

    text = "Call, then `kam log ACCOUNT PERSON -m TEXT` or `kam touch ACCOUNT PERSON --by SPONSOR`."
    suggest.begin(tmp_path)
    try:
        suggest.remember(config="KEY PERSON/kam.yaml")
        for person, sponsor in [("boss", "ana"), ("o'neil", "a b"), ("$x", "ana"), ("", "-")]:
            words = {"PERSON": person, "SPONSOR": sponsor}
            want = (
                f"Call, then `{suggest.command('log', 'acme', person, '-m', 'TEXT')}` or "
                f"`{suggest.command('touch', 'acme', person, '--by', sponsor)}`."
            )
            assert suggest.commands_in(text, "acme", None, words) == want
        assert "--config 'KEY PERSON/kam.yaml'" in want
        assert suggest.commands_in(text, "acme") == (
            f"Call, then `{suggest.command('log', 'acme', 'PERSON', '-m', 'TEXT')}` or "
            f"`{suggest.command('touch', 'acme', 'PERSON', '--by', 'SPONSOR')}`."
        )
        suggest.remember(config="other.yaml")
        assert "--config other.yaml" in suggest.commands_in(text, "acme", None, {"PERSON": "x"})
    finally:
        suggest.end()
    assert suggest.commands_in(text, "acme", None, {"PERSON": "x"}) == (
        "Call, then `kam log acme x -m TEXT` or `kam touch acme x --by SPONSOR`."
    )


# ---------------------------------------------------------------- an account, however named
def _named_ways(tmp_path: Path) -> Path:
    """A repository with one account, a link to its accounts folder from outside it, an
    account folder linking out of it and a file linking out of the account."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    write_account(repo, "acme", {"stakeholders.yaml": STALE})
    write_account(repo, "other")
    away = write_account(tmp_path / "elsewhere", "away")
    (repo / "accounts" / "away").symlink_to(away, target_is_directory=True)
    (repo / "accounts" / "other" / "log.yaml").symlink_to(away / "account.yaml")
    (tmp_path / "via").symlink_to(repo / "accounts", target_is_directory=True)
    return repo


@pytest.mark.parametrize(
    ("where", "args", "prefix"),
    [
        ("repo", ["accounts/acme"], "accounts/acme/"),
        ("repo", ["{root}/repo/accounts/acme"], "accounts/acme/"),
        ("repo/accounts", ["acme/../acme"], "acme/"),
        ("repo/accounts/acme", ["."], ""),
        ("repo/accounts/acme", [], ""),
        ("repo/accounts/other", ["../acme"], "../acme/"),
        (".", ["via/acme"], "via/acme/"),
        (".", ["{root}/via/acme"], "via/acme/"),
        ("via/acme", ["."], ""),
    ],
)
def test_an_account_is_shown_as_it_was_named(kam, tmp_path, where, args, prefix):
    """Every finding's path is the account folder as named, from the working folder:
    relative, absolute, through a link to the accounts folder, from inside the account
    (kam works these out with strings for its own absolute folders, and with pathlib for
    any other path: both give the same)."""
    _named_ways(tmp_path)
    named = [a.format(root=tmp_path) for a in args]
    r = kam(tmp_path / where, "check", "--format", "json", *named)
    paths = {f["path"] for f in r.json()["findings"] if f["account"] == "acme"}
    assert f"{prefix}stakeholders.yaml" in paths
    assert all(p.startswith(prefix) for p in paths), paths


def test_links_out_of_the_repository_are_refused_wherever_kam_runs(kam, tmp_path):
    """An account folder and an account file linking out of the repository are not read,
    at the paths they were named by, from the root or from inside the accounts folder."""
    repo = _named_ways(tmp_path)
    for where, accounts in ((repo, "accounts/"), (repo / "accounts", ""), (tmp_path / "via", "")):
        found = {
            (f["code"], f["path"])
            for f in kam(where, "check", "--format", "json").json()["findings"]
        }
        assert ("KAM006", f"{accounts}away") in found
        assert ("KAM001", f"{accounts}other/log.yaml") in found


def test_an_account_folder_linking_out_says_what_to_do_about_the_link(kam, tmp_path):
    """The hint of an account folder linking out of the repository is about the link, not
    KAM006's general "make id equal the folder name", which sent the user to the files."""
    repo = _named_ways(tmp_path)
    r = kam(repo, "check", "away")
    assert "accounts/away:1:1: KAM006 this account folder is a symbolic link" in r.stdout
    assert "hint: Put the account's folder itself in the repository in place of the link" in (
        r.stdout
    )
    assert "Make `id` equal the folder name" not in r.stdout
