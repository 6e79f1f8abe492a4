"""kam where a platform engineer puts it: a locale whose standard output is ASCII or
Latin-1, a full disk behind standard output, standard streams closed, a current folder
deleted under the shell or closed to the user, a terminal that reports no size, an
account folder or file without read permission, a malformed KAM_JOBS. Every run is the
real program in a process of its own (``python -m kamtool``): the streams, the locale and
the current folder are the process's own, which an in-process runner replaces."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import TODAY, write_account

STAKEHOLDERS_ZH = """\
stakeholders:
  - id: wang-jianguo
    name: 王建国
    title: 总经理
    roles: [D]
    attitude: "?"
    owner: zhou.lei
    backup: li.na
    channels: [微信, 电话]
    last_contact: 2026-11-01
    reviewed: 2026-11-01
  - id: bjorn
    name: Bjørn Ødegård
    reports_to: wang-jianguo
    roles: [C]
    attitude: 2
    intimacy: 1
    owner: zhou.lei
    backup: li.na
    channels: [phone, email]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
"""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "GITHUB_ACTIONS")}
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "PYTHONIOENCODING", "COLUMNS"):
        env.pop(name, None)
    env.update({"KAM_TODAY": TODAY, "LANG": "en_US.UTF-8"})
    env.update(extra)
    return env


def _run(
    cwd: Path, *args: str, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "kamtool", *args],
        cwd=cwd,
        env=env if env is not None else _env(),
        capture_output=kwargs.pop("capture_output", True),
        timeout=120,
        **kwargs,
    )


def _no_crash(err: bytes) -> None:
    text = err.decode("utf-8", "replace")
    assert "Traceback" not in text and "internal error" not in text, text
    assert "Exception ignored" not in text, text


@pytest.fixture
def zh_repo(tmp_path: Path) -> Path:
    write_account(
        tmp_path,
        "huaxin-steel",
        {
            "account.yaml": (
                "id: huaxin-steel\nname: 华信钢铁集团\nowner: zhou.lei\n"
                "reviewed: 2026-10-01\nposition: 3\nvalue: 3\n"
            ),
            "stakeholders.yaml": STAKEHOLDERS_ZH,
        },
    )
    return tmp_path


# ---------------------------------------------------------------- the encoding of stdout
@pytest.mark.parametrize(
    "locale_env",
    [
        {"PYTHONIOENCODING": "ascii"},
        # the C locale where Python is told not to make it UTF-8 (a minimal container)
        {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
    ],
    ids=["PYTHONIOENCODING=ascii", "LC_ALL=C"],
)
def test_an_ascii_stdout_still_gets_the_chinese_names(zh_repo, locale_env):
    """Every report with a Chinese name in it ended in "kam: internal error:
    UnicodeEncodeError: 'ascii' codec can't encode characters" (exit 2) when standard
    output was ASCII. An ASCII locale is taken for an unconfigured one, as Python does for
    the C locale and as click already did for kam's own lines (--help, "created ..."):
    the report is written in UTF-8."""
    env = _env(**locale_env)
    for args, code in (
        (["check", "--fail-on", "info"], 1),
        (["grade"], 0),
        (["grade", "--lang", "zh-CN"], 0),
        (["grade", "huaxin-steel", "--format", "json"], 0),
        (["map", "huaxin-steel"], 0),
        (["plan", "huaxin-steel"], 0),
    ):
        got = _run(zh_repo, *args, env=env)
        _no_crash(got.stderr)
        assert got.returncode == code, (args, got.stderr)
        out = got.stdout.decode("utf-8")
        assert "王建国" in out or "华信钢铁集团" in out, (args, out)
    lines = _run(zh_repo, "check", "--lang", "zh-CN", env=env)
    assert "决策者" in lines.stdout.decode("utf-8")


def test_names_typed_in_an_ascii_locale_are_found(zh_repo):
    """In the C locale with Python's UTF-8 handling turned off (a minimal image that sets
    PYTHONUTF8=0 / PYTHONCOERCECLOCALE=0), the command line was read as ASCII: ``kam log
    huaxin-steel "Bjørn Ødegård"`` answered "no stakeholder 'Bj\\udcc3\\udcb8rn ...'; did
    you mean 'Bjørn Ødegård'?" and ``-m 会议`` was refused. kam starts again in UTF-8
    mode there: the terminal typed UTF-8, and every file kam reads is UTF-8. Messages on
    stderr come out in UTF-8 too, not as escapes."""
    env = _env(LC_ALL="C", LANG="C", PYTHONCOERCECLOCALE="0", PYTHONUTF8="0")
    got = _run(zh_repo, "log", "huaxin-steel", "Bjørn Ødegård", "王建国", "-m", "季度会议", env=env)
    _no_crash(got.stderr)
    assert got.returncode == 0, got.stderr.decode("utf-8", "replace")
    assert "logged meeting with Bjørn Ødegård (bjorn), 王建国 (wang-jianguo)" in (
        got.stdout.decode("utf-8")
    )
    log = (zh_repo / "accounts" / "huaxin-steel" / "log.yaml").read_text(encoding="utf-8")
    assert "summary: 季度会议" in log
    missing = _run(zh_repo, "log", "huaxin-steel", "王建", env=env)
    assert missing.returncode == 1
    assert "'王建'" in missing.stderr.decode("utf-8")


def test_utf8_mode_turned_off_on_the_command_line_starts_kam_once(zh_repo):
    """``python -X utf8=0 -m kamtool`` in an ASCII locale: ``-X utf8=0`` outranks the
    PYTHONUTF8=1 kam starts again with, so starting again only doubled the start-up (the
    second start did not run in UTF-8 mode either). ``-X importtime`` shows each start: one."""
    env = _env(LC_ALL="C", LANG="C", PYTHONCOERCECLOCALE="0", PYTHONUTF8="0")
    args = [sys.executable, "-X", "utf8=0", "-X", "importtime", "-m", "kamtool", "--version"]
    got = subprocess.run(args, cwd=zh_repo, env=env, capture_output=True, timeout=120)
    assert got.returncode == 0, got.stderr
    starts = [ln for ln in got.stderr.decode().splitlines() if ln.endswith("| kamtool.cli")]
    assert len(starts) == 1, got.stderr.decode()[-2000:]
    # without -X utf8=0, kam does start again, in UTF-8 mode (the test above)
    again = subprocess.run(args[:1] + args[3:], cwd=zh_repo, env=env, capture_output=True)
    starts = [ln for ln in again.stderr.decode().splitlines() if ln.endswith("| kamtool.cli")]
    assert len(starts) == 2


def test_a_latin1_stdout_escapes_what_it_cannot_write_and_draws_ascii_lines(zh_repo):
    """In an encoding that has Ø but no Chinese (a Latin-1 terminal; a Windows code page
    is the same case), what it can write comes out as itself and the rest as \\uXXXX
    escapes, as Python writes it to stderr; a table is drawn with ASCII lines, where its
    box-drawing lines would have come out as rows of escapes."""
    env = _env(PYTHONIOENCODING="latin-1")
    got = _run(zh_repo, "map", "huaxin-steel", env=env)
    _no_crash(got.stderr)
    assert got.returncode == 0
    out = got.stdout.decode("latin-1")
    assert "Bjørn Ødegård" in out
    assert "\\u738b\\u5efa\\u56fd" in out  # 王建国
    table = _run(zh_repo, "grade", env=env)
    _no_crash(table.stderr)
    assert table.returncode == 0
    text = table.stdout.decode("latin-1")
    assert "\\u2501" not in text and "\\u2500" not in text and "\\u2502" not in text, text
    assert "\\u534e\\u4fe1" in text and "+---" in text, text  # 华信, ASCII lines


def test_data_formats_are_utf8_whatever_the_locale(zh_repo):
    """The formats read by programs and written to files (SARIF, JUnit, GitLab, JSON, a
    runner's workflow commands, Markdown, Mermaid, iCalendar) are UTF-8 by their own
    definitions. In a Latin-1 locale (and a Windows code page, where a redirected stdout
    takes the ANSI code page) ``kam check -f sarif > kam.sarif`` wrote "ø" as the byte
    0xF8 into a file that must be UTF-8, and the JUnit file declared encoding="UTF-8"
    over Latin-1 bytes: both were refused by their readers. The terminal formats still
    follow the locale."""
    import xml.etree.ElementTree as ET

    env = _env(PYTHONIOENCODING="latin-1")

    def out(*args: str) -> str:
        got = _run(zh_repo, *args, env=env)
        _no_crash(got.stderr)
        assert got.returncode in (0, 1), (args, got.stderr)
        return got.stdout.decode("utf-8")  # UnicodeDecodeError on Latin-1 bytes

    for fmt in ("json", "sarif", "gitlab"):
        report = out("check", "--fail-on", "info", "-f", fmt)
        json.loads(report)
        assert "王建国" in report, fmt
    junit = out("check", "--fail-on", "info", "-f", "junit")
    ET.fromstring(junit.encode("utf-8"))
    assert "王建国" in junit
    github = _run(zh_repo, "check", "-f", "github", env=_env(PYTHONIOENCODING="latin-1"))
    assert "王建国" in github.stdout.decode("utf-8")
    assert "王建国" in out("grade", "huaxin-steel", "-f", "json")
    assert "Bjørn Ødegård" in out("map", "huaxin-steel", "-f", "mermaid")
    assert "王建国" in out("plan", "huaxin-steel")
    assert "王建国" in out("agenda", "-f", "ics", "--days", "60")
    # the terminal's own formats stay in its encoding
    tree = _run(zh_repo, "map", "huaxin-steel", env=env).stdout
    assert "Bjørn".encode("latin-1") in tree


# ---------------------------------------------------------------- stdout cannot be written
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["grade"],
        ["grade", "--format", "csv"],
        ["rules"],
        ["--help"],
        ["--version"],
    ],
    ids=" ".join,
)
def test_a_full_disk_behind_stdout_is_one_line(zh_repo, args):
    """``kam check > /dev/full`` (the report goes to a file on a full disk) ended in
    "kam: internal error: OSError: [Errno 28] No space left on device"; --help and
    --version too. It is one line saying the output could not be written, exit 2."""
    with open("/dev/full", "wb") as full:
        got = _run(zh_repo, *args, stdout=full, stderr=subprocess.PIPE, capture_output=False)
    _no_crash(got.stderr)
    assert got.stderr.decode() == "kam: error: cannot write the output: No space left on device\n"
    assert got.returncode == 2


def test_a_closed_stdout_or_stderr_loses_only_what_went_there(zh_repo):
    """``kam check >&-`` ended in "kam: internal error: AttributeError: 'NoneType' object
    has no attribute 'isatty'" for every command; with stderr closed (``2>&-``) a broken
    account's message killed the run before the report was written. A closed stream is
    opened on the null device: the exit code still says how the run went."""
    write_account(zh_repo, "broken", {"stakeholders.yaml": "stakeholders: [\n"})

    def close(fd: int) -> Callable[[], None]:
        return lambda: os.close(fd)

    for args, code in ((["check"], 1), (["grade"], 1), (["map", "huaxin-steel"], 0)):
        got = _run(zh_repo, *args, preexec_fn=close(1))
        _no_crash(got.stderr)
        assert got.returncode == code, (args, got.stderr)
    # stderr closed: the report is still on stdout
    got = _run(zh_repo, "grade", preexec_fn=close(2))
    assert got.returncode == 1
    assert "华信钢铁集团" in got.stdout.decode()


def test_a_closed_stdin_is_no_matter(zh_repo):
    got = _run(zh_repo, "check", preexec_fn=lambda: os.close(0))
    _no_crash(got.stderr)
    assert got.returncode == 0


# ---------------------------------------------------------------- the current folder
def test_a_current_folder_deleted_under_the_shell_is_one_line(tmp_path):
    """A shell left in a folder that was removed (``git worktree remove``, a CI clean-up
    step): every command ended in "kam: internal error: FileNotFoundError: [Errno 2] No
    such file or directory"."""
    gone = tmp_path / "gone"
    gone.mkdir()
    for args in (["check"], ["grade"], ["diff"], ["init", "acme"], ["rules"], ["history"]):
        got = _run(gone, *args, preexec_fn=lambda: os.rmdir(gone))
        _no_crash(got.stderr)
        assert got.returncode == 2, (args, got.stderr)
        assert got.stderr.decode() == (
            "kam: error: the current folder no longer exists (it was deleted or moved while "
            "you were in it): change to the repository's folder again\n"
        ), args
        gone.mkdir()


# ---------------------------------------------------------------- a terminal without a size
def _in_terminal(
    cwd: Path, *args: str, env: dict[str, str], stream: str = "stdout", columns: int = 0
) -> tuple[str, bytes]:
    """Run kam with ``stream`` (stdout or stderr) on a new pseudo-terminal of ``columns``
    columns (0: a size never set, as a new one has); (what the terminal got, the other
    stream's bytes)."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    if columns:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    # the other stream into a file: a pipe nobody reads while the terminal is read fills
    with tempfile.TemporaryFile() as other:
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "kamtool", *args],
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=slave if stream == "stdout" else other,
                stderr=slave if stream == "stderr" else other,
            )
            os.close(slave)
            chunks = []
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the program closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            proc.wait(timeout=120)
        finally:
            os.close(master)
        other.seek(0)
        rest = other.read()
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n"), rest


def test_a_terminal_that_reports_no_width_gets_80_columns(zh_repo):
    """A pseudo-terminal whose size was never set says 0 columns (``docker run -t``
    before the size arrives, a serial console, a program's pty): kam drew for 0 columns,
    one character a line, and ``kam grade ACCOUNT`` printed nothing at all."""
    env = _env()
    check, err = _in_terminal(zh_repo, "check", "--fail-on", "info", env=env)
    _no_crash(err)
    check = re.sub(r"\x1b\[[0-9;]*m", "", check)  # its colours
    assert "accounts/huaxin-steel/stakeholders.yaml:" in check, check[:300]
    assert max(map(len, check.splitlines())) <= 80
    grade, err = _in_terminal(zh_repo, "grade", "huaxin-steel", env=env)
    _no_crash(err)
    assert "score" in grade and "王建国" in grade, grade[:300]


def test_no_progress_bar_on_a_dumb_terminal(tmp_path):
    """The progress bar of a large run (on stderr, when it is a terminal) on TERM=dumb,
    a terminal that cannot move the cursor back: rich drew nothing but left an empty
    line on stderr. No bar there, as none in CI; a terminal that can redraw still gets it."""
    for i in range(60):
        write_account(tmp_path, f"acct-{i:02d}")
    dumb = _env(TERM="dumb")
    dumb.pop("CI", None)  # on a CI runner (CI=true) too: TERM=dumb alone keeps the bar away
    shown, out = _in_terminal(tmp_path, "check", env=dumb, stream="stderr", columns=100)
    _no_crash(out)
    assert shown == ""
    redraws = _env(TERM="xterm")
    redraws.pop("CI", None)
    shown, _out = _in_terminal(tmp_path, "check", env=redraws, stream="stderr", columns=100)
    assert "checking accounts" in shown
    # a CI runner's log is no terminal to redraw, even when it gives the job one
    shown, _out = _in_terminal(
        tmp_path, "check", env={**redraws, "CI": "true"}, stream="stderr", columns=100
    )
    assert shown == ""


# ---------------------------------------------------------------- KAM_JOBS
@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "two"])
def test_a_malformed_kam_jobs_is_refused_like_a_malformed_kam_today(kam, tmp_path, value):
    """KAM_JOBS=two or -1 was quietly read as "kam chooses" (every core): the opposite of
    what a CI job that sets it to limit kam asked for. KAM_TODAY=tomorrow is refused."""
    write_account(tmp_path, "acme")
    r = kam(tmp_path, "check", env={"KAM_JOBS": value})
    assert r.exit_code == 2
    assert r.stderr == (
        "kam: error: KAM_JOBS must be a number of processes (0 or unset: kam chooses), "
        f"not {value!r}\n"
    )
    for fine in ("", "0", "1", " 2 "):
        assert kam(tmp_path, "check", env={"KAM_JOBS": fine}).exit_code == 0, fine


@pytest.mark.parametrize(
    "command", [["agenda"], ["map", "acme"], ["touch", "acme", "boss"], ["plan", "acme"]]
)
def test_a_malformed_kam_jobs_is_refused_by_every_command_that_reads_accounts(
    kam, tmp_path, command
):
    """``KAM_JOBS=two kam agenda`` passed: only the commands that happened to start
    workers read KAM_JOBS. A CI job's setting is wrong for all of them or for none."""
    write_account(tmp_path, "acme")
    r = kam(tmp_path, *command, env={"KAM_JOBS": "two"})
    assert (r.exit_code, r.stderr) == (
        2,
        "kam: error: KAM_JOBS must be a number of processes (0 or unset: kam chooses), not 'two'\n",
    )
    assert kam(tmp_path, *command, env={"KAM_JOBS": "1"}).exit_code in (0, 1)


# ---------------------------------------------------------------- permissions
def _as_other_user() -> list[str] | None:
    """The prefix that runs a command as a user the permissions apply to: none needed for
    a user; ``setpriv`` to nobody for root (who reads any file), when it can run kam."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import kamtool"], capture_output=True, timeout=60
    )
    return prefix if probe.returncode == 0 else None


@pytest.fixture
def shared_repo() -> Iterator[Path]:
    """A repository another user can reach (pytest's tmp_path is root's own, 0700)."""
    top = Path(tempfile.mkdtemp(prefix="kam-perm-"))
    top.chmod(0o755)
    try:
        yield top
    finally:
        for folder, dirs, _files in os.walk(top):
            for d in dirs:
                os.chmod(os.path.join(folder, d), 0o755)
        shutil.rmtree(top, ignore_errors=True)


def _open_to_all(root: Path) -> None:
    for folder, _dirs, files in os.walk(root):
        os.chmod(folder, 0o777)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o666)


def test_an_account_folder_without_read_permission(shared_repo):
    """``chmod 000 accounts/acme``: kam check gave five KAM001 "cannot read the file",
    one for each file the folder might hold (log.yaml, org.yaml, targets.yaml among them,
    which it does not), each with KAM001's advice on YAML; plan, map and ``validate
    accounts/acme`` ended in "kam: internal error: PermissionError"; kam log said
    "account.yaml, log.yaml, org.yaml, stakeholders.yaml, targets.yaml does not parse";
    ``kam init acme`` ended in an internal error. Now: one KAM001 on the folder saying
    so and what to do, the other account still checked, one line for the rest."""
    prefix = _as_other_user()
    if prefix is None:
        pytest.skip("running as root without a way to run kam as another user (setpriv)")
    write_account(shared_repo, "acme")
    write_account(shared_repo, "nordwind")
    _open_to_all(shared_repo)
    closed = shared_repo / "accounts" / "acme"
    env = _env()

    def run(*args: str, cwd: Path = shared_repo) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, sys.executable, "-m", "kamtool", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    closed.chmod(0)
    try:
        got = run("check", "--format", "json")
        _no_crash(got.stderr.encode())
        assert got.returncode == 1
        findings = [
            (f["path"], f["code"], f["message"], f["hint"])
            for f in json.loads(got.stdout)["findings"]
            if f["account"] == "acme"
        ]
        assert findings == [
            (
                "accounts/acme",
                "KAM001",
                "cannot read the account folder: Permission denied",
                "kam reads the files as the user it runs as: give that user permission to "
                "read them (and to open their folder), or run kam as a user who may.",
            )
        ]
        for args in (
            ["plan", "acme"],
            ["map", "acme"],
            ["validate", "accounts/acme"],
            ["grade", "acme"],
        ):
            got = run(*args)
            _no_crash(got.stderr.encode())
            assert got.returncode == 1, (args, got.stderr)
            shown = got.stdout + got.stderr  # validate's findings are its report
            assert "accounts/acme:1:1: KAM001 cannot read the account folder" in shown, args
        got = run("log", "acme", "boss", "-m", "call")
        assert got.returncode == 1
        assert got.stderr.endswith(
            "kam: error: account 'acme' cannot be changed safely: its folder cannot be read; "
            "fix it first (kam validate acme); nothing written\n"
        ), got.stderr
        got = run("init", "acme")
        assert got.returncode == 1
        assert got.stderr == (
            "kam: error: accounts/acme already exists and cannot be read (Permission "
            "denied): nothing written\n"
        )
        # run from inside the closed folder: kam.yaml is looked for above it, as git does
        got = run("check", cwd=closed)
        _no_crash(got.stderr.encode())
        assert got.returncode == 1
        assert got.stdout.startswith(".:1:1: KAM001 cannot read the account folder"), got.stdout
        assert "nordwind/account.yaml" in got.stdout  # and the other account is checked
        got = run("diff", cwd=closed)
        _no_crash(got.stderr.encode())
        assert got.returncode == 2
    finally:
        closed.chmod(0o777)


def test_a_file_without_read_permission_says_what_to_do(shared_repo):
    """A single file with mode 000 got KAM001's hint on fixing YAML syntax."""
    prefix = _as_other_user()
    if prefix is None:
        pytest.skip("running as root without a way to run kam as another user (setpriv)")
    write_account(shared_repo, "acme", {"targets.yaml": "period: 2027\n"})
    _open_to_all(shared_repo)
    (shared_repo / "accounts" / "acme" / "targets.yaml").chmod(0)
    got = subprocess.run(
        [*prefix, sys.executable, "-m", "kamtool", "check"],
        cwd=shared_repo,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    _no_crash(got.stderr.encode())
    assert got.returncode == 1
    assert got.stdout.startswith(
        "accounts/acme/targets.yaml:1:1: KAM001 cannot read the file: Permission denied "
        "(error)\n    hint: kam reads the files as the user it runs as:"
    ), got.stdout


# ---------------------------------------------------------------- a write that fails part of the way
def _file_size_limit(limit: int) -> Callable[[], None]:
    """A process whose files cannot grow past ``limit`` bytes: a write past it fails
    (EFBIG, "File too large") as on a full disk, at a place a test chooses."""
    import resource

    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_kam_init_that_fails_part_of_the_way_leaves_no_half_account(tmp_path):
    """A full disk while ``kam init acme`` wrote its four files left account.yaml,
    stakeholders.yaml and org.yaml without targets.yaml; ``kam check`` then failed on the
    half account and another ``kam init acme`` refused: "accounts/acme already exists and
    is not empty". The error named the file by this machine's absolute path. Now what the
    run wrote is taken back, and the error names the file as every message does."""
    pytest.importorskip("resource")
    sizes = tmp_path / "sizes"
    sizes.mkdir()
    assert _run(sizes, "init", "acme").returncode == 0
    made = {p.name: p.stat().st_size for p in (sizes / "accounts" / "acme").iterdir()}
    limit = made["targets.yaml"] - 1  # written last
    if any(size >= limit for name, size in made.items() if name != "targets.yaml"):
        pytest.skip(f"targets.yaml is not the largest account file here: {made}")
    repo = tmp_path / "repo"
    repo.mkdir()
    assert _run(repo, "schema", "-o", "schemas").returncode == 0  # the schemas are there
    got = _run(repo, "init", "acme", preexec_fn=_file_size_limit(limit))
    _no_crash(got.stderr)
    assert got.returncode == 1
    assert got.stderr.decode() == (
        "kam: error: cannot write accounts/acme/targets.yaml: File too large\n"
    )
    assert not (repo / "accounts" / "acme").exists()
    again = _run(repo, "init", "acme")
    assert again.returncode == 0, again.stderr
    assert _run(repo, "validate").returncode == 0


def test_kam_init_that_fails_in_a_new_repository_leaves_no_empty_folders(tmp_path):
    """In a repository with no accounts/ and no schemas/ yet, ``kam init`` makes both; when
    its first write failed (a full disk), the schemas folder was taken back but an empty
    accounts/ stayed: the next ``kam check`` found an accounts folder with no account."""
    pytest.importorskip("resource")
    repo = tmp_path / "repo"
    repo.mkdir()
    got = _run(repo, "init", "acme", preexec_fn=_file_size_limit(200))
    _no_crash(got.stderr)
    assert got.returncode == 1
    assert got.stderr.decode().startswith("kam: error: cannot write schemas/"), got.stderr
    assert sorted(p.name for p in repo.iterdir()) == []
    assert _run(repo, "init", "acme").returncode == 0


def test_kam_log_whose_schema_cannot_be_written_still_says_it_logged(tmp_path):
    """``kam log`` into a new log.yaml writes the entry, then the JSON Schema its first
    line names. When the schema could not be written (a full disk), kam said "kam: error:
    cannot write .../schemas/log.schema.json" and exited 1, with the entry already in
    log.yaml: the user logged the meeting again, twice in the log. The entry is what was
    asked for: exit 0, and a note on the schema."""
    pytest.importorskip("resource")
    write_account(tmp_path, "acme")
    got = _run(
        tmp_path, "log", "acme", "boss", "-m", "quarterly review", preexec_fn=_file_size_limit(2000)
    )
    _no_crash(got.stderr)
    assert got.returncode == 0, got.stderr
    assert "logged meeting with The Boss (boss)" in got.stdout.decode()
    assert got.stderr.decode() == (
        "kam: note: the schema the first line of log.yaml names was not written (cannot "
        "write schemas/log.schema.json: File too large); `kam schema -o schemas` writes it\n"
    )
    log = (tmp_path / "accounts" / "acme" / "log.yaml").read_text(encoding="utf-8")
    assert log.count("quarterly review") == 1
    assert not (tmp_path / "schemas" / "log.schema.json").exists()


def test_output_to_the_repository_folder_itself_is_a_folder(kam, tmp_path):
    """``kam plan acme -o .`` at the repository's root was refused as ".: the path leads
    outside the repository through a symbolic link" (the check looked at the folder above
    the root); there is no link: the path is a folder, as ``-o accounts`` says."""
    write_account(tmp_path, "acme")
    (tmp_path / ".git").mkdir()  # the root of a repository
    for args in (["plan", "acme"], ["agenda"]):
        r = kam(tmp_path, *args, "-o", ".")
        assert r.exit_code == 1
        assert r.stderr == "kam: error: . is a folder: name a file in it to write\n", args
    r = kam(tmp_path / "accounts", "plan", "acme", "-o", "..")
    assert r.stderr == "kam: error: .. is a folder: name a file in it to write\n"
