"""Every JSON output is the text the standard library's json.dumps(indent=2) writes.

kam writes JSON with orjson for speed; re-encoding each output with the standard
library must give the very same bytes, on the examples and on a hostile, generated
portfolio (quotes, backslashes, control characters, non-Latin text, emoji).
"""

from __future__ import annotations

import json
import sys

import pytest

from conftest import REPO, write_account
from kamtool.report.jsonout import dumps, stdlib_dumps

HOSTILE = """\
stakeholders:
  - id: boss
    name: "Ünïcødé 中文 \\"q\\" back\\\\slash \\t tab \\u0001 ctl 🎉 </script>"
    roles: [D]
    attitude: -2
    intimacy: 1
    owner: li.ming
    channels: [calls]
    last_contact: 2025-01-20
"""


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    root = tmp_path_factory.mktemp("json-portfolio")
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    generate(root, 12)
    write_account(root, "hostile", {"stakeholders.yaml": HOSTILE})
    write_account(root, "broken", {"account.yaml": "id: broken\nname: [\n"})
    return root


COMMANDS = [
    ("check", "--format", "json"),
    ("check", "--format", "sarif"),
    ("check", "--format", "gitlab"),
    ("grade", "--format", "json"),
    ("grade", "--format", "json", "--explain"),
    ("portfolio", "--format", "json"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_json_outputs_are_what_the_standard_library_writes(kam, portfolio, args):
    out = kam(portfolio, *args).stdout
    assert out.strip()
    assert out == stdlib_dumps(json.loads(out))


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_json_outputs_on_the_examples(kam, args):
    out = kam(REPO, *args, "--examples").stdout
    assert out == stdlib_dumps(json.loads(out))


def test_schema_output(kam, tmp_path):
    out = kam(tmp_path, "schema").stdout
    assert out == stdlib_dumps(json.loads(out))


def test_values_orjson_refuses_fall_back_to_the_standard_library():
    doc = {"big": 2**70, "nested": [{"k": "v"}], 1: "int key"}
    assert dumps(doc) == stdlib_dumps(doc)
