"""Findings and their positions are the same as before the O(1) position lookup (issue 18).

The native reader used to find a finding's node by walking the document's marks from
the root, skipping every sibling before it (quadratic in one large file). It now goes
down the path in C through per-container tables. Two independent checks on generated
neglected portfolios (about 45 findings an account, nearly all pointing into
stakeholders.yaml), one of them a single account of 3,000 people:

- ``kam check --format json`` gives byte-identical output with the previous lookup,
  kept below, put back in place of the new one;
- every finding's line and column is where ruamel's round-trip loader, which knows
  nothing of kam's reader, puts a key or a value of that file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from kamtool.load import yamlread
from kamtool.load.yamlread import Document, Path_, Pos

native = pytest.mark.skipif(yamlread._NATIVE is None, reason="the native reader was not built")


def previous_exact(self: Document, path: Path_, key: bool) -> Pos | None:
    """Document._exact as it was: the node found by skipping whole subtrees from the root."""
    if self.marks is None:
        if key and path in self.keys:
            return self.keys[path]
        return self.values.get(path, self.keys.get(path))
    found = previous_node(self, path) if len(self.marks) else None
    if found is None:
        return None
    index, key_index = found
    if key and key_index is not None:
        index = key_index
    return (self.marks[3 * index], self.marks[3 * index + 1])


def previous_node(self: Document, path: Path_) -> tuple[int, int | None] | None:
    m = self.marks
    node: Any = self.data
    index, key_index = 0, None
    for part in path:
        if node.__class__ is dict:
            if part.__class__ is not str or part not in node:
                return None
            j = index + 1
            for k in node:
                if k == part:
                    break
                j += 1 + m[3 * (j + 1) + 2]
            key_index, index = j, j + 1
        elif node.__class__ is list:
            if part.__class__ is not int or not 0 <= part < len(node):
                return None
            j = index + 1
            for _ in range(part):
                j += m[3 * j + 2]
            key_index, index = None, j
        else:
            return None
        node = node[part]
    return index, key_index


def _generate(root: Path, accounts: int, people: int) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    generate(root, accounts, people=people, health="neglected")
    (root / "kam.yaml").write_text("max_file_size: 20000000\n")
    return root


@pytest.fixture(scope="module")
def neglected(tmp_path_factory):
    return _generate(tmp_path_factory.mktemp("neglected"), 20, 25)


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """One account of 3,000 people: a CRM import."""
    return _generate(tmp_path_factory.mktemp("crowded"), 1, 3000)


@native
@pytest.mark.parametrize("portfolio", ["neglected", "crowded"])
def test_findings_identical_to_the_previous_lookup(kam, monkeypatch, request, portfolio):
    root = request.getfixturevalue(portfolio)
    now = kam(root, "check", "--format", "json")
    monkeypatch.setattr(Document, "_exact", previous_exact)
    before = kam(root, "check", "--format", "json")
    assert now.exit_code == before.exit_code == 1
    assert now.stdout == before.stdout
    findings = now.json()["findings"]
    assert len(findings) >= (20 * 40 if portfolio == "neglected" else 3000)
    # the findings point all over the files, not at a few lines
    assert len({(f["path"], f["line"]) for f in findings}) > len(findings) // 2


@pytest.mark.parametrize("reader", [{}, {"KAM_READER": "python"}], ids=["default", "python"])
def test_positions_are_where_ruamel_puts_keys_and_values(kam, neglected, reader):
    from ruamel.yaml import YAML

    def positions(path: Path) -> set[tuple[int, int]]:
        out = {(1, 1)}  # a file-level finding

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for k, v in node.items():
                    kl, kc = node.lc.key(k)
                    vl, vc = node.lc.value(k)
                    out.update({(kl + 1, kc + 1), (vl + 1, vc + 1)})
                    walk(v)
            elif isinstance(node, list):
                for i, v in enumerate(node):
                    il, ic = node.lc.item(i)
                    out.add((il + 1, ic + 1))
                    walk(v)

        walk(YAML(typ="rt").load(path.read_text(encoding="utf-8")))
        return out

    r = kam(neglected, "check", "--format", "json", env=reader)
    findings = r.json()["findings"]
    assert len(findings) > 20 * 40
    known: dict[str, set[tuple[int, int]]] = {}
    for f in findings:
        if f["path"] not in known:
            file = neglected / f["path"]
            known[f["path"]] = positions(file) if file.is_file() else {(1, 1)}
        assert (f["line"], f["column"]) in known[f["path"]], f
    codes = {f["code"] for f in findings}
    assert {"KAM201", "KAM202", "KAM203", "KAM204"} <= codes
    assert json.loads(r.stdout)["summary"]["errors"] > 0
