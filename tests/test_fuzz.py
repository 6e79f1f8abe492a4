"""Fuzzing: generated and mutated accounts, and every case of the YAML test suite as every file kind.

Property: every run ends with findings or success, never an exception or a hang,
and the other accounts' results are unchanged.

    KAM_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest tests/test_fuzz.py   # a long run
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, write_account
from kamtool.core import run

CORPUS = REPO.parent / "shared" / "corpus" / "yaml-test-suite"
EXAMPLES = int(os.environ.get("KAM_FUZZ_EXAMPLES", "300"))
KINDS = ("account.yaml", "stakeholders.yaml", "org.yaml", "targets.yaml")
SECONDS_PER_RUN = 5.0


def summary(result, account_id="good"):
    acct = result.get(account_id)
    return (acct.grade.score, acct.grade.tier, [f.as_tuple() for f in acct.findings])


@pytest.fixture(scope="module")
def arena(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    write_account(root, "good")
    write_account(root, "bad")
    baseline = summary(run(cwd=root, today="2026-11-24"))
    return root, baseline


def reset_bad(root: Path) -> None:
    """The 'bad' account back to a valid one, so the next case exercises analysis too."""
    for kind in ("org.yaml", "targets.yaml"):
        (root / "accounts" / "bad" / kind).unlink(missing_ok=True)
    write_account(root, "bad")


def check_one(root: Path, baseline, name: str, content: bytes) -> None:
    (root / "accounts" / "bad" / name).write_bytes(content)
    started = time.perf_counter()
    result = run(cwd=root, today="2026-11-24")
    elapsed = time.perf_counter() - started
    assert elapsed < SECONDS_PER_RUN, f"{elapsed:.1f}s for one file"
    assert summary(result) == baseline
    bad = result.get("bad")
    for f in bad.findings:
        assert f.line >= 1 and f.column >= 1 and f.code.startswith("KAM") and f.message


def corpus_cases() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p / "in.yaml" for p in CORPUS.iterdir() if (p / "in.yaml").is_file())


@pytest.mark.skipif(
    not corpus_cases(), reason="the YAML test suite corpus is not beside the repository"
)
def test_yaml_test_suite_as_every_file_kind(arena):
    root, baseline = arena
    cases = corpus_cases()
    assert len(cases) > 300
    for case in cases:
        data = case.read_bytes()
        for kind in KINDS:
            check_one(root, baseline, kind, data)
            reset_bad(root)


# ---------------------------------------------------------------- generated accounts
slug = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
handle = st.from_regex(r"[a-z]{2,6}\.[a-z]{2,6}", fullmatch=True)
date = st.dates().map(lambda d: d.isoformat())
attitude = st.one_of(st.integers(-3, 3), st.just("?"))


@st.composite
def people(draw):
    ids = draw(st.lists(slug, min_size=1, max_size=8, unique=True))
    out = []
    for i, pid in enumerate(ids):
        p = {"id": pid, "name": draw(st.text(min_size=1, max_size=20)), "attitude": draw(attitude)}
        if draw(st.booleans()):
            p["roles"] = draw(
                st.lists(st.sampled_from(["D", "S", "E", "I", "C", "coach"]), max_size=3)
            )
        if i and draw(st.booleans()):
            p["reports_to"] = ids[draw(st.integers(0, i - 1))]
        if draw(st.booleans()):
            p["influences"] = draw(st.lists(st.sampled_from(ids), max_size=2))
        for key in ("owner", "backup", "sponsor"):
            if draw(st.booleans()):
                p[key] = draw(handle)
        for key in ("last_contact", "reviewed", "in_post_since"):
            if draw(st.booleans()):
                p[key] = draw(date)
        if draw(st.booleans()):
            p["intimacy"] = draw(attitude)
        if draw(st.booleans()):
            p["layer"] = draw(st.sampled_from(["key", "general", "organizational"]))
        if draw(st.booleans()):
            p["channels"] = draw(st.lists(st.text(max_size=10), max_size=3))
        out.append(p)
    return out


MUTATIONS = [
    "none",
    "wrong-type",
    "out-of-range",
    "delete-key",
    "duplicate-id",
    "cycle",
    "unicode",
    "huge",
    "deep",
    "unknown-key",
]


@st.composite
def mutated(draw):
    ppl = draw(people())
    mutation = draw(st.sampled_from(MUTATIONS))
    doc: object = {"stakeholders": ppl}
    victim = ppl[draw(st.integers(0, len(ppl) - 1))]
    if mutation == "wrong-type":
        victim[draw(st.sampled_from(["name", "attitude", "roles", "last_contact"]))] = draw(
            st.one_of(
                st.integers(),
                st.floats(allow_nan=True),
                st.booleans(),
                st.none(),
                st.lists(st.integers(), max_size=2),
                st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
            )
        )
    elif mutation == "out-of-range":
        victim["attitude"] = draw(st.integers().filter(lambda x: not -3 <= x <= 3))
    elif mutation == "delete-key":
        victim.pop(draw(st.sampled_from(["id", "name", "attitude"])), None)
    elif mutation == "duplicate-id":
        ppl.append(dict(victim))
    elif mutation == "cycle":
        victim["reports_to"] = ppl[-1]["id"]
        ppl[-1]["reports_to"] = victim["id"]
    elif mutation == "unicode":
        victim["name"] = (
            draw(
                st.text(
                    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40
                )
            )
            + "\u202e\u0000\ufeff"
        )
    elif mutation == "huge":
        victim["notes"] = "x" * draw(st.integers(10_000, 200_000))
    elif mutation == "deep":
        nest: object = 1
        for _ in range(draw(st.integers(50, 400))):
            nest = [nest]
        victim["personal"] = {"deep": nest}
    elif mutation == "unknown-key":
        victim[draw(st.text(min_size=1, max_size=10))] = 1
    style = draw(st.sampled_from(["json", "block"]))
    text = json.dumps(doc, ensure_ascii=draw(st.booleans())) if style == "json" else to_block(doc)
    return text.encode("utf-8", "surrogatepass")


def to_block(value, indent=0) -> str:
    """A small block-style YAML emitter (scalars as JSON strings, which YAML reads the same)."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return pad + "{}\n"
        out = ""
        for k, v in value.items():
            key = json.dumps(str(k))
            if isinstance(v, (dict, list)) and v:
                out += f"{pad}{key}:\n" + to_block(v, indent + 2)
            else:
                out += f"{pad}{key}: {json.dumps(v) if not isinstance(v, (dict, list)) else ('{}' if isinstance(v, dict) else '[]')}\n"
        return out
    if isinstance(value, list):
        out = ""
        for v in value:
            if isinstance(v, (dict, list)) and v:
                inner = to_block(v, indent + 2)
                out += f"{pad}- " + inner[indent + 2 :]
            else:
                out += f"{pad}- {json.dumps(v) if not isinstance(v, (dict, list)) else ('{}' if isinstance(v, dict) else '[]')}\n"
        return out
    return pad + json.dumps(value) + "\n"


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(content=mutated())
def test_mutated_stakeholders(arena, content):
    root, baseline = arena
    reset_bad(root)
    check_one(root, baseline, "stakeholders.yaml", content)


@settings(
    max_examples=max(50, EXAMPLES // 3),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(content=st.binary(max_size=400), kind=st.sampled_from(KINDS))
def test_random_bytes_as_any_file(arena, content, kind):
    root, baseline = arena
    check_one(root, baseline, kind, content)
    reset_bad(root)


def test_cli_on_corpus_sample(kam, tmp_path):
    """A few corpus cases through the real CLI: exit codes 0/1 and no traceback."""
    cases = corpus_cases()[:25]
    if not cases:
        pytest.skip("corpus not present")
    write_account(tmp_path, "good")
    for case in cases:
        write_account(tmp_path, "bad", {"stakeholders.yaml": case.read_bytes()})
        for cmd in ("validate", "check", "grade"):
            assert kam(tmp_path, cmd, "--format", "json").exit_code in (0, 1)
