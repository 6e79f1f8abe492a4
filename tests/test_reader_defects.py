"""Issue 12, defects 16, 17 and 19, through the real CLI and with each reader.

16: a control character is reported at its own line and column, not at 1:1.
17: plain scalars follow the YAML 1.2 core schema exactly: "0b1" and "1_000" are text,
    as are the other YAML 1.1-only forms (sexagesimal, yes/no/on/off, signed 0x/0o);
    "0o17" and "0x1F" are integers.
19: nesting deeper than 100 levels is refused as KAM001 as soon as it is reached.

Each runs with the native reader (the default where it was built) and with the Python
reader (``KAM_READER=python``, what runs without a compiler), which must agree.
"""

from __future__ import annotations

import pytest

from conftest import findings_of, write_account
from kamtool.load import yamlread
from kamtool.load.yamlread import MAX_DEPTH, YamlError, parse, parse_python

READERS = [
    pytest.param(
        {},
        id="native",
        marks=pytest.mark.skipif(yamlread._NATIVE is None, reason="native reader not built"),
    ),
    pytest.param({"KAM_READER": "python"}, id="python"),
]

PERSON = """\
stakeholders:
  - id: ana
    name: {name}
    title: {title}
    roles: [D]
    attitude: {attitude}
    intimacy: 1
    owner: li.ming
    backup: wang.fang
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
"""


def person(name: str = "Ana Lima", title: str = "CTO", attitude: str = "1") -> str:
    return PERSON.format(name=name, title=title, attitude=attitude)


def validate(kam, root, env):
    r = kam(root, "validate", "--format", "json", env=env)
    return r, r.json()["findings"]


# ---------------------------------------------------------------- defect 16
@pytest.mark.parametrize("env", READERS)
def test_control_character_reported_at_its_line_and_column(kam, tmp_path, env):
    write_account(tmp_path, "acme", {"stakeholders.yaml": person(name="Ana\x01Lima")})
    r, found = validate(kam, tmp_path, env)
    assert r.exit_code == 1
    (f,) = [f for f in found if f["code"] == "KAM001"]
    assert (f["line"], f["column"]) == (3, 14)  # "    name: Ana" then the \x01
    assert "an invisible control character (U+0001)" in f["message"]
    assert f["path"].endswith("acme/stakeholders.yaml")


@pytest.mark.parametrize("env", READERS)
def test_control_character_column_counts_characters_after_wide_ones(kam, tmp_path, env):
    """Columns count characters (as every other position does), not UTF-8 bytes; Windows
    line ends count as one break."""
    text = person(name="李明 Müller\x07", title="总经理").replace("\n", "\r\n")
    write_account(tmp_path, "acme", {"stakeholders.yaml": text.encode("utf-8")})
    _, found = validate(kam, tmp_path, env)
    assert ("KAM001", 3, 20) in [(f["code"], f["line"], f["column"]) for f in found]


@pytest.mark.parametrize("reader", [parse, parse_python], ids=["parse", "parse_python"])
def test_control_character_position_from_both_reader_functions(reader):
    with pytest.raises(YamlError) as caught:
        reader("a: 1\nb: é\n\nc: x\x1by\n")
    assert (caught.value.line, caught.value.column) == (4, 5)


# ---------------------------------------------------------------- defect 17
@pytest.mark.parametrize("env", READERS)
@pytest.mark.parametrize("attitude", ["0b1", "+0x1", "1:20", "yes", "on", "1_0"])
def test_yaml_1_1_forms_are_not_numbers(kam, tmp_path, env, attitude):
    """``attitude: 0b1`` was graded +1: in YAML 1.2 core it is the text "0b1"."""
    write_account(tmp_path, "acme", {"stakeholders.yaml": person(attitude=attitude)})
    r, found = validate(kam, tmp_path, env)
    assert r.exit_code == 1
    assert [(f["code"], f["line"], f["column"]) for f in found] == [("KAM002", 6, 15)]
    assert repr(attitude) in found[0]["message"] or attitude in found[0]["message"]


@pytest.mark.parametrize("env", READERS)
@pytest.mark.parametrize(
    ("written", "shown"), [("0o1", "+1"), ("0x2", "+2"), ("+2", "+2"), ("-0", "0")]
)
def test_yaml_1_2_core_integers_are_numbers(kam, tmp_path, env, written, shown):
    write_account(tmp_path, "acme", {"stakeholders.yaml": person(attitude=written)})
    assert findings_of(kam(tmp_path, "validate", "--format", "json", env=env)) == []
    r = kam(tmp_path, "map", "acme", "--no-color", env=env)
    assert r.exit_code == 0, r.stdout
    assert f"Ana Lima, CTO [D] attitude {shown}\n" in r.stdout


@pytest.mark.parametrize("env", READERS)
def test_underscored_title_is_text(kam, tmp_path, env):
    """``title: 1_000`` was refused as a number; it is the title "1_000"."""
    write_account(tmp_path, "acme", {"stakeholders.yaml": person(title="1_000")})
    assert findings_of(kam(tmp_path, "validate", "--format", "json", env=env)) == []
    r = kam(tmp_path, "map", "acme", "--no-color", env=env)
    assert r.exit_code == 0, r.stdout
    assert "Ana Lima, 1_000 [D] attitude +1\n" in r.stdout


CORE = {
    # YAML 1.1 only, text in 1.2 core
    "0b1": "0b1",
    "1_000": "1_000",
    "+0x1F": "+0x1F",
    "-0o17": "-0o17",
    "0x_1F": "0x_1F",
    "1:20": "1:20",
    "190:20:30": "190:20:30",
    "yes": "yes",
    "No": "No",
    "on": "on",
    "OFF": "OFF",
    "y": "y",
    "1_0.5": "1_0.5",
    "+.nan": "+.nan",
    "._": "._",
    # YAML 1.2 core
    "0o17": 15,
    "0x1F": 31,
    "0x1f": 31,
    "010": 10,
    "+12": 12,
    "-7": -7,
    "12345678901234567890123": 12345678901234567890123,
    "1e3": 1000.0,
    "-1.5E-2": -0.015,
    ".5": 0.5,
    "1.": 1.0,
    "+.inf": float("inf"),
    "-.Inf": float("-inf"),
    "True": True,
    "FALSE": False,
    "~": None,
    "Null": None,
}


@pytest.mark.parametrize("reader", [parse, parse_python], ids=["parse", "parse_python"])
@pytest.mark.parametrize(("plain", "value"), list(CORE.items()))
def test_both_readers_resolve_the_core_schema(reader, plain, value):
    got = reader(f"k: {plain}\nl:\n  - {plain}\n").data
    assert got["k"] == value and type(got["k"]) is type(value)
    assert got["l"] == [value] and type(got["l"][0]) is type(value)


# ---------------------------------------------------------------- defect 19
def deep_flow(depth: int) -> str:
    return "notes: " + "{a: " * depth + "1" + "}" * depth + "\n"


@pytest.mark.parametrize("env", READERS)
def test_deep_nesting_refused_as_kam001(kam, tmp_path, env):
    """A 20,000-deep flow mapping (libyaml took seconds on it) is refused where it passes
    100 levels: the top-level mapping is level 1, so the 100th flow mapping is too deep."""
    write_account(tmp_path, "acme", {"targets.yaml": deep_flow(20_000)})
    r, found = validate(kam, tmp_path, env)
    assert r.exit_code == 1
    (f,) = [f for f in found if f["code"] == "KAM001"]
    assert (f["line"], f["column"]) == (1, len("notes: ") + 4 * (MAX_DEPTH - 1) + 1)
    assert f"nested more than {MAX_DEPTH} levels" in f["message"]


@pytest.mark.parametrize("reader", [parse, parse_python], ids=["parse", "parse_python"])
@pytest.mark.parametrize(
    "text",
    [
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        "".join("  " * i + "- \n" for i in range(MAX_DEPTH)) + "  " * MAX_DEPTH + "- x\n",
        "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH)) + "  " * MAX_DEPTH + "x: 1\n",
    ],
    ids=["flow", "block-list", "block-map"],
)
def test_both_readers_stop_past_max_depth(reader, text):
    with pytest.raises(YamlError, match="nested more than 100 levels"):
        reader(text)


@pytest.mark.parametrize("reader", [parse, parse_python], ids=["parse", "parse_python"])
def test_exactly_max_depth_is_read(reader):
    text = "[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH
    node = reader(text).data
    for _ in range(MAX_DEPTH - 1):
        node = node[0]
    assert node == [1]
