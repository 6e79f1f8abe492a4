"""Trial "hostile pull request": a platform engineer decides whether kam may run in CI on
pull requests from forks, and on a repository a colleague pushed. Account repositories
written to attack kam (files, folder names, links, kam.yaml), through the real CLI."""

from __future__ import annotations

import os
import time
from pathlib import Path

from conftest import write_account
from gitrepo import commit, new_repo

SECRET_ACCOUNT = "id: secret\nname: TOPSECRET-NAME\nowner: a.b\nreviewed: 2026-01-01\n"
SECRET_ACCOUNT += "position: 3\nvalue: 3\n"


def _outside_account(tmp_path: Path) -> Path:
    """An account folder outside the repository (another checkout, a runner's folder)."""
    folder = tmp_path / "outside" / "secret"
    folder.mkdir(parents=True)
    (folder / "account.yaml").write_text(SECRET_ACCOUNT, encoding="utf-8")
    (folder / "stakeholders.yaml").write_text(
        "stakeholders:\n  - {id: p, name: P, attitude: 1}\n", encoding="utf-8"
    )
    return folder


def test_a_million_wrong_values_on_one_line_are_reported_in_linear_time(tmp_path, kam):
    # `channels: [1,1,1,...]`: each number is a text expected (KAM002), and each finding
    # split the whole file into lines, then the whole line after the value, to quote the
    # number as written: 100,000 items took 34 s, a 2 MB file (a million) hours
    n = 150_000
    write_account(
        tmp_path,
        "acme",
        {
            "stakeholders.yaml": "stakeholders:\n  - {id: p, name: P, attitude: 1, channels: ["
            + "1," * n
            + "1]}\n"
        },
    )
    start = time.monotonic()
    r = kam(tmp_path, "validate")
    elapsed = time.monotonic() - start
    assert r.exit_code == 1
    assert f"{n + 1:,} errors" in r.stdout + r.stderr
    assert elapsed < 40, elapsed  # about 10 s here; quadratic, it was minutes


def test_a_number_too_long_for_python_is_a_schema_error_at_its_line(tmp_path, kam):
    # `position: 999...` (5,000 digits): Python's refusal ("Exceeds the limit (4300
    # digits) for integer string conversion ... use sys.set_int_max_str_digits()") was the
    # KAM001 message, at line 1 column 1
    account = f"id: acme\nname: Acme\nowner: li.ming\nreviewed: 2026-10-01\nposition: {'9' * 5000}\nvalue: 3\n"
    write_account(tmp_path, "acme", {"account.yaml": account})
    r = kam(tmp_path, "check", "--format", "json")
    assert r.exit_code == 1
    findings = r.json()["findings"]
    assert [(f["code"], f["line"], f["column"]) for f in findings if f["severity"] == "error"] == [
        ("KAM002", 5, 11)
    ]
    assert "set_int_max_str_digits" not in r.stdout
    assert "must be a whole number from 1 to 5" in findings[0]["message"]


def test_a_hexadecimal_number_too_long_for_python_is_a_schema_error_too(tmp_path, kam):
    # `position: 0xfff...` is converted without Python's limit, but the number is then
    # written in a message in decimal (6,000 digits): "Exceeds the limit (4300 digits)..."
    # was the KAM002 message in an account, and an internal error in kam.yaml
    account = f"id: acme\nname: Acme\nowner: li.ming\nreviewed: 2026-10-01\nposition: 0x{'f' * 5000}\nvalue: 3\n"
    write_account(tmp_path, "acme", {"account.yaml": account})
    r = kam(tmp_path, "check", "--format", "json")
    assert r.exit_code == 1
    findings = [f for f in r.json()["findings"] if f["severity"] == "error"]
    assert [(f["code"], f["line"], f["column"]) for f in findings] == [("KAM002", 5, 11)]
    assert "set_int_max_str_digits" not in r.stdout
    assert "must be a whole number from 1 to 5" in findings[0]["message"]
    (tmp_path / "kam.yaml").write_text(f"new_in_post_days: 0o{'7' * 6000}\n", encoding="utf-8")
    for args in (("check",), ("rules", "KAM111")):
        r = kam(tmp_path, *args)
        assert r.exit_code == 2, args
        assert "internal error" not in r.stdout + r.stderr, args
        assert "set_int_max_str_digits" not in r.stdout + r.stderr, args
        assert "kam.yaml:1:19: KAM002 new_in_post_days:" in r.stdout + r.stderr, args


def test_kam_yaml_cannot_send_kam_outside_the_repository(tmp_path, kam):
    # a pull request's kam.yaml `accounts: ../outside` (or /etc) made every command list
    # and read the folders there, and touch, log and init write there
    _outside_account(tmp_path)
    repo = new_repo(tmp_path / "repo")
    write_account(repo, "acme")
    for folder in ("../outside", str(tmp_path / "outside")):
        (repo / "kam.yaml").write_text(f"accounts: {folder}\n", encoding="utf-8")
        for args in (("grade",), ("check",), ("touch", "secret", "p"), ("init", "fresh")):
            r = kam(repo, *args)
            assert r.exit_code == 2, (args, r.stdout, r.stderr)
            assert "TOPSECRET" not in r.stdout + r.stderr
            assert "kam.yaml:1:11: KAM002 accounts: " in r.stderr
            assert "is outside the repository" in r.stderr
    assert sorted(p.name for p in (tmp_path / "outside").iterdir()) == ["secret"]
    assert "last_contact" not in (tmp_path / "outside/secret/stakeholders.yaml").read_text()
    # inside the repository, by any spelling, it is as before; an outside folder named on
    # the command line is what the user asked for
    (repo / "kam.yaml").write_text("accounts: sub/../accounts\n", encoding="utf-8")
    assert kam(repo, "check").exit_code == 0
    assert "TOPSECRET-NAME" in kam(repo, "grade", str(tmp_path / "outside")).stdout


def test_symbolic_link_loops_are_findings_not_an_internal_error(tmp_path, kam):
    # account.yaml -> account.yaml ended the run "kam: internal error: RuntimeError:
    # Symlink loop from ..."; a loop of two links in accounts/ stopped every command with
    # "cannot read the folder accounts: Too many levels of symbolic links"
    write_account(tmp_path, "acme")
    looped = write_account(tmp_path, "looped")
    (looped / "account.yaml").unlink()
    os.symlink("account.yaml", looped / "account.yaml")
    os.symlink("loop2", tmp_path / "accounts" / "loop1")
    os.symlink("loop1", tmp_path / "accounts" / "loop2")
    r = kam(tmp_path, "check")
    assert r.exit_code == 1, r.stderr
    assert "internal error" not in r.stdout + r.stderr
    assert (
        "accounts/looped/account.yaml:1:1: KAM001 cannot read the file: Too many levels of "
        "symbolic links (error)"
    ) in r.stdout
    assert "in 2 accounts" in r.stdout  # acme checked too; the looping links are no folders


#: a folder name that, printed as it is, begins a GitHub workflow command of its own
INJECTING = "x\n::error file=evil.py,line=1::INJECTED"
COLOURING = "e\x1b[31mred"


def _control_lines(text: str) -> list[str]:
    return [
        line for line in text.splitlines() if line.startswith("::error file=evil") or "\x1b" in line
    ]


def test_control_characters_in_folder_names_reach_no_output(tmp_path, kam):
    # a folder named with a newline began a line of the CI log ("::error file=evil.py...",
    # a workflow command GitHub runs) in the text findings, the annotations past GitHub's
    # cap, the tables and the summaries; an escape sequence recoloured the terminal
    repo = new_repo(tmp_path / "repo")
    write_account(repo, "acme")
    commit(repo, "acme")
    for name in (INJECTING, COLOURING):
        write_account(repo, name)
    for args in (
        ("check",),
        ("check", "--format", "github"),
        ("grade",),
        ("grade", "--format", "csv"),
        ("portfolio",),
        ("stale",),
        ("diff",),
    ):
        r = kam(repo, *args)
        assert r.exit_code == 1, args
        assert _control_lines(r.stdout + r.stderr) == [], args
    r = kam(repo, "check")
    assert (
        "accounts/x\ufffd::error file=evil.py,line=1::INJECTED:1:1: KAM006 folder name " in r.stdout
    )
    assert "folder name 'e\\x1b[31mred' is not a valid account id" in r.stdout  # said in letters
    # the command to run next names the folder as bash reads it back: $'...'
    r = kam(repo, "grade")
    assert "$'accounts/e\\x1b[31mred'" in r.stderr
    assert "$'accounts/x\\x0a::error file=evil.py,line=1::INJECTED'" in r.stderr
    # committed, the same names in diff and history
    commit(repo, "hostile names")
    for args in (("diff", "HEAD~1", "HEAD"), ("history",), ("portfolio", "--since", "HEAD~1")):
        r = kam(repo, *args)
        assert _control_lines(r.stdout + r.stderr) == [], args
        assert "x\ufffd::error" in r.stdout + r.stderr, args


def test_a_folder_named_with_bytes_that_are_not_utf8_is_suggested_as_bash_reads_it(tmp_path, kam):
    # "fix it (kam validate 'accounts/bad\\udcffname')": Python's escape of the byte, which
    # names no folder when pasted ("no such file or folder"); bash's $'...' gives the byte
    write_account(tmp_path, "acme")
    write_account(tmp_path, "good")
    os.rename(
        os.fsencode(tmp_path / "accounts" / "good"),
        os.fsencode(tmp_path / "accounts") + b"/bad\xffname",
    )
    r = kam(tmp_path, "grade")
    assert r.exit_code == 1
    assert "(kam validate $'accounts/bad\\xffname')" in r.stderr
    r = kam(tmp_path, "validate", os.fsdecode(b"accounts/bad\xffname"))  # as bash passes it
    assert "accounts/bad\ufffdname:1:1: KAM006 folder name" in r.stdout


def test_a_folder_named_like_an_option_is_suggested_by_its_path(tmp_path, kam):
    # "fix them (kam validate --output=x -rf)": pasted, those are options, not accounts
    write_account(tmp_path, "acme")
    write_account(tmp_path, "-rf")
    r = kam(tmp_path, "grade")
    assert r.exit_code == 1
    assert "(kam validate accounts/-rf)" in r.stderr


def test_diff_does_not_read_through_an_account_folder_linking_outside(tmp_path, kam):
    # `kam diff` (HEAD against the working tree, or `kam diff origin/main` in a checked-out
    # pull request) read accounts/leak -> /elsewhere/secret into the diff, though kam check
    # refuses that folder
    _outside_account(tmp_path)
    repo = new_repo(tmp_path / "repo")
    write_account(repo, "acme")
    commit(repo, "acme")
    os.symlink(tmp_path / "outside" / "secret", repo / "accounts" / "leak")
    for fmt in ("text", "json", "markdown"):
        r = kam(repo, "diff", "--format", fmt)
        assert r.exit_code == 1
        assert "TOPSECRET" not in r.stdout + r.stderr, fmt
    r = kam(repo, "diff")
    assert "leak: new account, invalid: it does not load" in r.stdout
    # the one finding kam check gives that folder, not a KAM001 for each required file
    told = "KAM006 this account folder is a symbolic link leading outside the repository"
    assert r.stdout.count(told) == 1, r.stdout
    assert "KAM001" not in r.stdout
    check = kam(repo, "check", "--format", "json").json()["findings"]
    (diffed,) = kam(repo, "diff", "--format", "json").json()["accounts"][0]["new_findings"]
    assert [f for f in check if f["account"] == "leak"] == [diffed]
    # in Chinese too, as kam check says it
    r = kam(repo, "diff", "--lang", "zh-CN")
    assert "symbolic link" not in r.stdout
    assert "KAM006 此客户文件夹是指向仓库之外的符号链接：未读取" in r.stdout
    (repo / "accounts" / "leak").unlink()
    os.symlink(
        tmp_path / "outside" / "secret" / "stakeholders.yaml",
        repo / "accounts" / "acme" / "stakeholders.yaml.tmp",
    )
    os.replace(
        repo / "accounts" / "acme" / "stakeholders.yaml.tmp",
        repo / "accounts" / "acme" / "stakeholders.yaml",
    )
    r = kam(repo, "check", "--lang", "zh-CN")
    assert (
        "accounts/acme/stakeholders.yaml:1:1: KAM001 符号链接指向仓库之外：未跟随（错误）"
        in r.stdout
    )


def _plan_with(tmp_path: Path, kam, template: str):
    write_account(tmp_path, "acme")
    folder = tmp_path / "tpl"
    folder.mkdir(exist_ok=True)
    (folder / "plan.md.j2").write_text(template, encoding="utf-8")
    start = time.monotonic()
    r = kam(tmp_path, "plan", "acme", "--template-dir", str(folder))
    return r, time.monotonic() - start


def test_a_template_that_loops_without_writing_is_stopped_by_the_clock(tmp_path, kam):
    # the 10-second limit was checked only when the template wrote something: two loops
    # that write nothing (10**10 turns) or one lipsum(10**6) call ran for hours
    for template in (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{{ lipsum(4000000) }}",
    ):
        r, elapsed = _plan_with(tmp_path, kam, template)
        assert r.exit_code == 2
        # at the line that was running when the clock stopped it
        assert "plan.md.j2:1: rendering took over 10 seconds: stopped" in r.stderr, template
        assert elapsed < 30, (template, elapsed)


def test_a_template_cannot_make_a_value_larger_than_a_plan_in_one_step(tmp_path, kam):
    # each made gigabytes in one step, before the output limit could count them (a CI
    # runner's memory: killed, or minutes of swapping)
    for template in (
        '{{ "x" * 10**10 }}',
        "{{ ['x'] * 10**9 }}",
        "{{ 10**(10**8) }}",
        '{{ "%0999999999d"|format(1) }}',
        '{{ "%0999999999d" % 1 }}',
        '{{ "{:>999999999}".format(1) }}',
        '{{ "x".center(10**10) }}',
        '{{ "x"|center(10**10) }}',
        '{{ "a b"|indent(10**9) }}',
    ):
        r, elapsed = _plan_with(tmp_path, kam, template)
        assert r.exit_code == 2, template
        assert "plan.md.j2:1: refused by the sandbox: " in r.stderr, (template, r.stderr)
        assert "is too large here: a plan is at most 5,000,000 characters" in r.stderr
        assert elapsed < 10, (template, elapsed)
    # numbers that are values, not sizes, and sizes a plan may have, are as before
    r, _elapsed = _plan_with(
        tmp_path,
        kam,
        '{{ "{:,}".format(123456789012) }} {{ "%d"|format(99999999999) }} '
        '{{ "x"|center(7) }} {{ "ab" * 3 }} {{ 2**20 }} {{ "%05d" % 42 }}',
    )
    assert r.exit_code == 0, r.stderr
    assert "123,456,789,012 99999999999 " in r.stdout
    assert " ababab 1048576 00042" in r.stdout


MENTIONING = """\
stakeholders:
  - id: boss
    name: Ola @acme/security-team Nordmann
    title: "ping @octocat, mail ola@kunde.no"
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
"""


def test_names_in_a_pull_request_mention_nobody_in_kams_markdown(tmp_path, kam):
    # a name "@acme/security-team" in an account file of a fork's pull request made the
    # PR comment (kam diff --format markdown) ping that team, and a committed plan whoever
    # it names; an e-mail address is no mention and stays as written
    repo = new_repo(tmp_path / "repo")
    write_account(repo, "acme")
    commit(repo, "acme")
    write_account(repo, "acme", {"stakeholders.yaml": MENTIONING})
    outputs = {
        "diff": kam(repo, "diff", "--format", "markdown").stdout,
        "plan": kam(repo, "plan", "acme").stdout,
        "grade": kam(repo, "grade", "--format", "markdown").stdout,
    }
    for name, text in outputs.items():
        assert "@acme" not in text and "@octocat" not in text, name
    assert "Ola @&#8203;acme/security-team Nordmann" in outputs["diff"]
    assert "ping @&#8203;octocat, mail ola@kunde.no" in outputs["plan"]
    assert "<b>Acme acme</b>" in outputs["diff"]  # the <summary> line is HTML, as before
