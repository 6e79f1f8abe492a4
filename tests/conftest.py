"""Shared helpers: real files in tmp_path, the real CLI through typer's CliRunner."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest
import typer.testing
from typer.testing import CliRunner

from kamtool.cli import app

# typer turns the app into a click command on every CliRunner.invoke (about 20 ms: it
# reads the signature of each of kam's commands); the real `kam` builds it once a
# process, so the tests do too. The command is the same object kam runs: nothing of
# the CLI is replaced, only the rebuilding is skipped.
_build_command = typer.testing._get_command
_COMMAND = _build_command(app)
typer.testing._get_command = lambda given: _COMMAND if given is app else _build_command(given)

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "accounts"
TODAY = "2026-11-24"

ACCOUNT = """\
id: {id}
name: Acme {id}
owner: li.ming
reviewed: 2026-10-01
position: 3
value: 3
"""

STAKEHOLDERS = """\
stakeholders:
  - id: boss
    name: The Boss
    roles: [D, C]
    attitude: 2
    intimacy: 2
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
"""


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def write_account(root: Path, account_id: str, files: dict[str, str] | None = None) -> Path:
    """An account folder under root/accounts; files default to a small valid account."""
    folder = root / "accounts" / account_id
    folder.mkdir(parents=True, exist_ok=True)
    contents = {"account.yaml": ACCOUNT.format(id=account_id), "stakeholders.yaml": STAKEHOLDERS}
    contents.update(files or {})
    for name, text in contents.items():
        if text is None:
            continue
        data = text if isinstance(text, bytes) else dedent(text).encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def kam(monkeypatch):
    """Run the real CLI in a given folder: kam(tmp_path, "grade", "--format", "json")."""

    def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Result:
        monkeypatch.chdir(cwd)
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
        monkeypatch.setenv("KAM_TODAY", TODAY)
        for k, v in (env or {}).items():
            monkeypatch.setenv(k, v)
        runner = CliRunner()
        r = runner.invoke(app, list(args), catch_exceptions=True)
        assert r.exception is None or isinstance(r.exception, SystemExit), (
            f"exception escaped: {r.exception!r}\n{r.output}"
        )
        assert "Traceback (most recent call last)" not in r.output
        return Result(r.exit_code, r.stdout, r.stderr)

    return run


def findings_of(result: Result) -> list[tuple[str, int, int]]:
    return [(f["code"], f["line"], f["column"]) for f in result.json()["findings"]]


os.environ.pop("NO_COLOR", None)
# English output unless a test asks for another language: the locale of whoever runs the
# tests must not change the golden files (kam reads LC_ALL, LC_MESSAGES and LANG)
os.environ.pop("LC_ALL", None)
os.environ.pop("LC_MESSAGES", None)
os.environ["LANG"] = "C.UTF-8"


def venv_tool(name: str) -> str | None:
    """An executable installed beside this Python (the venv's bin), else on PATH."""
    import shutil
    import sys

    here = Path(sys.executable).parent / name
    if here.exists():
        return str(here)
    return shutil.which(name)


#: Tests of more than a few seconds each (kill loops, real pre-commit, wheels, property
#: tests with thousands of examples): `pytest -m "not slow"` leaves them out of the
#: everyday run; CI (`.ci/run`) runs everything. One list, so a test's speed is decided
#: in one place.
SLOW = {
    "test_kill_during_touch_leaves_old_or_new_file_whole",
    "test_kam_check_hook_with_real_pre_commit",
    "test_mutated_stakeholders",
    "test_yaml_test_suite_as_every_file_kind",
    "test_seniority_follows_its_definition",
    "test_same_result_on_generated_documents",
    "test_plain_scalars_resolve_alike",
    "test_wheel_carries_the_native_reader_and_the_examples",
    "test_pure_wheel_reads_with_the_python_reader_and_finds_the_same",
    "test_native_checks_accept_only_what_python_checks_accept_unchanged",
    "test_same_models_or_errors_on_random_stakeholders",
    "test_f_concurrent_touches_all_land",
    # each 1.4-3 s on the 2-core machine (pytest --durations): CI runs them, the
    # everyday `pytest -m "not slow"` stays under a minute
    "test_f_touch_waits_for_another_kam_writing_the_same_folder",
    "test_interrupting_a_parallel_run_leaves_no_worker_behind",
    "test_a_changed_rule_paragraph_makes_the_catalogue_stale",
    "test_positions_are_where_ruamel_puts_keys_and_values",
    "test_print_table_draws_what_rich_draws",
    "test_ci_files_validate_against_their_official_schemas",
    "test_reader_matches_ruamel_on_generated_portfolio",
    "test_many_accounts_on_workers",
    "test_concurrent_logs_all_land",
    # a 3,000-person import and an 800-account diff in one comment (5-9 s each)
    "test_a_crm_import_of_3000_people_fits_in_one_comment",
    "test_very_many_accounts_keep_their_rows_then_say_how_many_are_left_out",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.originalname in SLOW or item.name in SLOW:
            item.add_marker(pytest.mark.slow)


def pytest_sessionstart(session):
    """Compile kam's modules once, as `pip install` does: many tests run the real `kam`
    in a subprocess, and with PYTHONDONTWRITEBYTECODE set (common in containers and CI)
    each of those would compile every module it imports again (Python still reads
    bytecode that exists; it only does not write it)."""
    import compileall

    compileall.compile_dir(REPO / "src" / "kamtool", quiet=1, workers=1)
