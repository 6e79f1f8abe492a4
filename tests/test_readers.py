"""The two YAML readers give the same data, positions, errors and findings.

The native reader (C, built into the wheel) takes plain documents; the Python reader
takes everything and is what runs without a compiler. ``KAM_READER=python`` forces it.
Also: the fast plain-text grade table draws exactly what rich draws.
"""

from __future__ import annotations

import math
import os
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, REPO, write_account
from kamtool.load import yamlread
from kamtool.load.yamlread import YamlError, parse, resolve_plain

CORPUS = REPO.parent / "shared" / "corpus" / "yaml-test-suite"
native = pytest.mark.skipif(
    yamlread._NATIVE is None, reason="the native reader was not built (KAM_PURE or no compiler)"
)


def canon(v):
    """Data with its types, so 1 and 1.0 and True differ, and NaN equals itself."""
    if isinstance(v, dict):
        return ("d", tuple((k, canon(x)) for k, x in v.items()))
    if isinstance(v, list):
        return ("l", tuple(canon(x) for x in v))
    if isinstance(v, float) and math.isnan(v):
        return ("nan",)
    return (type(v).__name__, v)


def parse_with_python_reader(text: str):
    """``parse`` as ``KAM_READER=python`` runs it: the Python reader, then what ``parse``
    checks after either reader (a control character made by an escape is KAM001)."""
    before = os.environ.get("KAM_READER")
    os.environ["KAM_READER"] = "python"
    try:
        return parse(text)
    finally:
        if before is None:
            del os.environ["KAM_READER"]
        else:
            os.environ["KAM_READER"] = before


def outcome(reader, text: str):
    """Data, every position, and what position() answers for every path, present or not."""
    try:
        doc = reader(text)
    except YamlError as exc:
        return ("error", exc.message, exc.line, exc.column)
    asked = {}
    paths = {(), ("nope",), (0,), (-1,)} | set(doc.values) | set(doc.keys)
    for p in sorted(paths, key=repr):
        for q in (p, (*p, "missing"), (*p, 99)):
            asked[q] = (doc.position(q), doc.position(q, key=True))
    return ("ok", canon(doc.data), doc.values, doc.keys, asked)


def test_native_reader_is_built_where_a_compiler_is():
    """CI installs with a compiler: a silently pure install would lose the speed."""
    if os.environ.get("KAM_PURE"):
        pytest.skip("KAM_PURE asks for the Python reader only")
    assert yamlread.reader_name() == "native"


def test_version_names_the_reader_in_use(kam, tmp_path):
    """A user wondering why kam is slow can see whether the native reader was built."""
    forced = kam(tmp_path, "--version", env={"KAM_READER": "python"})
    assert forced.exit_code == 0 and forced.stdout.strip().endswith("(python YAML reader)")
    default = kam(tmp_path, "--version").stdout.strip()
    assert default.endswith(f"({yamlread.reader_name()} YAML reader)")


@native
@pytest.mark.skipif(not CORPUS.is_dir(), reason="the YAML test suite is not beside the repo")
def test_same_result_on_every_yaml_test_suite_case():
    built = 0
    for case in sorted(CORPUS.iterdir()):
        f = case / "in.yaml"
        if not f.exists():
            continue
        try:
            text = f.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        assert outcome(parse, text) == outcome(parse_with_python_reader, text), case.name
        built += yamlread._NATIVE(text, resolve_plain) is not None
    assert built >= 150  # most valid cases are read natively, the rest handed over


_ATOMS = [
    "a", "b c", "1", "-2", "+3", "007", "0x1F", "0o7", "1_0", "1.5", "-.5", ".inf", ".NaN", "~",
    "null", "NULL", "true", "False", "2026-10-01", "2026-02-30", "0000-01-01", "2026-1-2 3:04:05",
    "12:30", "http://x.y/z", "'q'", '"d"', '"2026-10-01"', "''", "'it''s'", '"\\u00e9"', "é", "中文",
    "x # c", "-", "?", "?x", "%x", "|", ">", "[]", "{}", "[a, b]", "{a: 1}", "[a, {b: c}]",
    "{a: [1, 2]}", "&a x", "*a", "!!str 1", "!t x", "<<", "1234567890123456789", "._", "",
]  # fmt: skip


@st.composite
def documents(draw):
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        indent = "  " * draw(st.integers(0, 2))
        kind = draw(st.sampled_from(["pair", "item", "nest", "raw"]))
        atom = draw(st.sampled_from(_ATOMS))
        key = draw(st.sampled_from(["k", "key", "a b", "x1", "1", "true", '"q"', "<<", atom]))
        if kind == "pair":
            lines.append(f"{indent}{key}: {atom}")
        elif kind == "item":
            lines.append(f"{indent}- {atom}")
        elif kind == "nest":
            lines.append(f"{indent}{key}:")
        else:
            lines.append(f"{indent}{atom}")
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))


@native
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_same_result_on_generated_documents(text):
    assert outcome(parse, text) == outcome(parse_with_python_reader, text)


@native
@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0123456789-+.:_~eExXob nNtTfFlu", min_size=1, max_size=14))
def test_plain_scalars_resolve_alike(raw):
    scalar = raw.strip()
    built = yamlread._NATIVE(f"k: {scalar}\n", resolve_plain)
    if built is None or not isinstance(built[0], dict) or list(built[0]) != ["k"]:
        return  # not one plain scalar value: the Python reader reads it
    assert canon(built[0]["k"]) == canon(resolve_plain(scalar))


def _portfolio(tmp_path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    generate(tmp_path, 30)
    write_account(
        tmp_path,
        "odd-yaml",
        {
            "stakeholders.yaml": """\
            defaults: &d {owner: li.ming, backup: wang.fang, reviewed: 2026-11-01}
            stakeholders:
              - <<: *d
                id: boss
                name: !!str The Boss
                roles: [D, C]
                attitude: -2
                intimacy: 1
                channels: [calls]
                last_contact: 2026-01-20
            """
        },
    )
    write_account(tmp_path, "broken", {"stakeholders.yaml": "stakeholders:\n  - id: [\n"})
    return tmp_path


@pytest.mark.parametrize("command", ["check", "validate", "grade"])
def test_findings_identical_whichever_reader(kam, tmp_path, command):
    root = _portfolio(tmp_path)
    args = [command, "--format", "json"]
    native_run = kam(root, *args, env={"KAM_JOBS": "1"})
    python_run = kam(root, *args, env={"KAM_JOBS": "1", "KAM_READER": "python"})
    assert native_run.stdout == python_run.stdout
    assert native_run.exit_code == python_run.exit_code
    if command == "check":
        found = native_run.json()["findings"]
        assert len(found) > 50
        assert {f["code"] for f in found} >= {"KAM001", "KAM102", "KAM201"}
        assert any(f["line"] > 20 for f in found)


def test_examples_identical_whichever_reader(kam):
    native_run = kam(EXAMPLES.parent, "check", "--examples", "--format", "json")
    python_run = kam(
        EXAMPLES.parent, "check", "--examples", "--format", "json", env={"KAM_READER": "python"}
    )
    assert native_run.stdout == python_run.stdout and native_run.json()["findings"]


# the grade table's fast drawing: tests/test_tables.py (print_table against rich)
