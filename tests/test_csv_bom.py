"""CSV outputs (kam grade, kam whitespace) start with a UTF-8 byte-order mark, which Excel
needs to read Chinese names from a double-clicked file, when they go to a file; a pipe gets
none (a program reads it); --bom and --no-bom decide. Run as a
user would: the real `kam` writing into a file."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY
from test_whitespace import write_two_customers

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def chinese_portfolio(tmp_path: Path) -> Path:
    write_two_customers(tmp_path)
    return tmp_path


def kam_to_file(cwd: Path, out: Path, *args: str) -> bytes:
    """`kam ARGS > out` in cwd, with a C locale (no UTF-8 in the environment: the CSV
    must be UTF-8 all the same); the file's bytes."""
    env = {**os.environ, "KAM_TODAY": TODAY, "LC_ALL": "C", "LANG": "C"}
    env.pop("PYTHONIOENCODING", None)
    with out.open("wb") as f:
        done = subprocess.run(
            [sys.executable, "-m", "kamtool", *args], cwd=cwd, stdout=f, env=env, check=False
        )
    assert done.returncode == 0
    return out.read_bytes()


def read_back(path: Path) -> list[dict[str, str]]:
    """As a Python program (or Excel) reads a CSV with a byte-order mark."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(
    ("command", "first_column", "chinese"),
    [
        (["grade", "--format", "csv"], "id", "上海港务集团"),
        (["whitespace", "--format", "csv"], "account", "码头运营"),
    ],
)
def test_csv_starts_with_a_bom_and_reads_back(chinese_portfolio, command, first_column, chinese):
    out = chinese_portfolio / "out.csv"
    data = kam_to_file(chinese_portfolio, out, *command)
    assert data.startswith(BOM + first_column.encode() + b",")
    assert data.count(BOM) == 1  # once, at the start
    text = data[len(BOM) :].decode("utf-8")  # the rest is plain UTF-8
    assert chinese in text
    rows = read_back(out)
    assert rows and first_column in rows[0]  # the header's first name, not "\ufeffid"
    assert any(chinese in value for row in rows for value in row.values())

    plain = kam_to_file(chinese_portfolio, out, *command, "--no-bom")
    assert plain == data[len(BOM) :]
    assert read_back(out) == rows  # utf-8-sig reads a file without a BOM the same


def test_only_csv_gets_a_bom(chinese_portfolio):
    out = chinese_portfolio / "out.txt"
    for fmt in ("json", "markdown", "table"):
        data = kam_to_file(chinese_portfolio, out, "grade", "--format", fmt)
        assert not data.startswith(BOM)
        assert "上海港".encode() in data


def kam_to_pipe(cwd: Path, *args: str) -> bytes:
    """`kam ARGS | program`: what the program reads from the pipe."""
    env = {**os.environ, "KAM_TODAY": TODAY}
    done = subprocess.run(
        [sys.executable, "-m", "kamtool", *args], cwd=cwd, capture_output=True, env=env
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(
    ("command", "first_column"),
    [(["grade", "--format", "csv"], "id"), (["whitespace", "--format", "csv"], "account")],
)
def test_a_program_reading_the_csv_from_a_pipe_gets_no_bom(
    chinese_portfolio, command, first_column
):
    data = kam_to_pipe(chinese_portfolio, *command)
    assert data.startswith(first_column.encode() + b",")
    rows = list(csv.DictReader(data.decode("utf-8").splitlines()))  # as a script reads stdin
    assert rows and first_column in rows[0]
    # the same bytes as the file, less its mark; --bom puts it in (`| tee grades.csv`)
    in_file = kam_to_file(chinese_portfolio, chinese_portfolio / "out.csv", *command)
    assert in_file == BOM + data
    assert kam_to_pipe(chinese_portfolio, *command, "--bom") == BOM + data
    assert kam_to_pipe(chinese_portfolio, *command, "--no-bom") == data
