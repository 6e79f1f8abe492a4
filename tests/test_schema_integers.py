"""The published JSON Schema and kam agree on every integer field: a whole number written
with a fraction (``attitude: 2.0``) is refused by both (kam: KAM002; the schema: draft 4's
"integer", which Python's jsonschema and check-jsonschema read as a number without a
fraction), and the same number written 2 is accepted by both. Each integer field of
every file kind is tried (the list is checked against the schemas themselves)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import jsonschema
import pytest

from conftest import venv_tool, write_account
from kamtool.load.yamlread import parse

ACCOUNT = """\
id: sanya-resort
name: 三亚湾度假酒店集团
owner: lin.hui
reviewed: 2026-10-01
position: {position}
value: 2
value_curve:
  - {{year: {year}, expected: 1200000}}
"""
PEOPLE = """\
stakeholders:
  - id: chen-yu
    name: 陈雨
    roles: [D]
    attitude: {attitude}
    intimacy: {intimacy}
    owner: lin.hui
"""
TARGETS = """\
period: {period}
strategy:
  level: {level}
  needed_level: {needed_level}
relationship_goals:
  - {{stakeholder: chen-yu, attitude: {goal_attitude}, intimacy: {goal_intimacy}, by: 2027-06-30, owner: lin.hui}}
"""
CONFIG = """\
new_in_post_days: {new_in_post_days}
max_file_size: {max_file_size}
focus_tiers: [S]
tiers:
  - {{name: S, position: {tier_position}, value: {tier_value}}}
  - {{name: C, position: 1, value: 1}}
score:
  decision_makers: {decision_makers}
  weighted_support: {weighted_support}
  known_attitudes: {known_attitudes}
  ab_cover: {ab_cover}
  channels: {channels}
  coach: {coach}
  competitive_standing: {competitive_standing}
  freshness: {freshness}
freshness:
  stakeholder_reviewed: {{warn_after: {warn_after}, error_after: {error_after}}}
"""
#: every integer field, its file and its whole-number value (the schema path it is in)
FIELDS = {
    "position": ("account", 3, "/properties/position"),
    "year": ("account", 2027, "/$defs/ValuePoint/properties/year"),
    "attitude": ("stakeholders", 2, "/$defs/Stakeholder/properties/attitude"),
    "intimacy": ("stakeholders", -1, "/$defs/Stakeholder/properties/intimacy"),
    "period": ("targets", 2027, "/properties/period"),
    "level": ("targets", 3, "/$defs/Strategy/properties/level"),
    "needed_level": ("targets", 4, "/$defs/Strategy/properties/needed_level"),
    "goal_attitude": ("targets", 1, "/$defs/RelationshipGoal/properties/attitude"),
    "goal_intimacy": ("targets", 2, "/$defs/RelationshipGoal/properties/intimacy"),
    "new_in_post_days": ("config", 60, "/properties/new_in_post_days"),
    "max_file_size": ("config", 2000000, "/properties/max_file_size"),
    "tier_position": ("config", 4, "/$defs/TierDef/properties/position"),
    "tier_value": ("config", 4, "/$defs/TierDef/properties/value"),
    "decision_makers": ("config", 35, "/$defs/ScoreWeights/properties/decision_makers"),
    "weighted_support": ("config", 20, "/$defs/ScoreWeights/properties/weighted_support"),
    "known_attitudes": ("config", 7, "/$defs/ScoreWeights/properties/known_attitudes"),
    "ab_cover": ("config", 7, "/$defs/ScoreWeights/properties/ab_cover"),
    "channels": ("config", 6, "/$defs/ScoreWeights/properties/channels"),
    "coach": ("config", 5, "/$defs/ScoreWeights/properties/coach"),
    "competitive_standing": ("config", 10, "/$defs/ScoreWeights/properties/competitive_standing"),
    "freshness": ("config", 10, "/$defs/ScoreWeights/properties/freshness"),
    "warn_after": ("config", 45, "/$defs/Threshold/properties/warn_after"),
    "error_after": ("config", 90, "/$defs/Threshold/properties/error_after"),
}
#: integer fields that take any number as well (a target's baseline and goal: 0.35 is a
#: share), so 2.0 is right there for kam and for the schema alike
ANY_NUMBER = {"/$defs/Target/properties/baseline", "/$defs/Target/properties/goal"}
# position and value of the account and the other fields share a kind with these
FIELDS["value"] = ("account", 2, "/properties/value")


def _values(fractional: str | None) -> dict[str, str]:
    """Every field at its whole value, ``fractional`` written as N.0."""
    return {
        name: f"{value}.0" if name == fractional else str(value)
        for name, (_kind, value, _path) in FIELDS.items()
    }


def _write(root, fractional: str | None) -> None:
    v = _values(fractional)
    (root / "kam.yaml").write_text(CONFIG.format(**v), encoding="utf-8")
    account = ACCOUNT.format(**v).replace("value: 2\n", f"value: {v['value']}\n", 1)
    write_account(
        root,
        "sanya-resort",
        {
            "account.yaml": account,
            "stakeholders.yaml": PEOPLE.format(**v),
            "targets.yaml": TARGETS.format(**v),
        },
    )


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(x) for k, x in value.items()}
    if isinstance(value, list):
        return [_plain(x) for x in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The schemas as `kam schema -o` writes them."""
    root = tmp_path_factory.mktemp("schemas")
    done = subprocess.run(
        [venv_tool("kam") or "kam", "schema", "-o", str(root / "schemas")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return {
        p.name.split(".")[0]: json.loads(p.read_text(encoding="utf-8"))
        for p in (root / "schemas").iterdir()
    }


def _schema_errors(published, root) -> dict[str, list[str]]:
    files = {
        "account": root / "accounts" / "sanya-resort" / "account.yaml",
        "stakeholders": root / "accounts" / "sanya-resort" / "stakeholders.yaml",
        "targets": root / "accounts" / "sanya-resort" / "targets.yaml",
        "kam": root / "kam.yaml",
    }
    out = {}
    for kind, path in files.items():
        schema = published[kind]
        validator = jsonschema.validators.validator_for(schema)(schema)
        data = _plain(parse(path.read_text(encoding="utf-8")).data)
        # where each error is, and where the errors under an anyOf or oneOf are (a
        # strategy that is "a Strategy or null" fails as a whole, its level inside)
        paths = []
        pending = list(validator.iter_errors(data))
        while pending:
            error = pending.pop()
            paths.append("/".join(str(x) for x in error.absolute_path))
            pending += error.context
        out[kind] = paths
    return out


def test_every_integer_field_is_tried(published):
    found = set()

    def walk(node, path):
        if isinstance(node, dict):
            kinds = [node.get("type")] + [s.get("type") for s in node.get("oneOf", [])]
            kinds += [s.get("type") for s in node.get("anyOf", [])]
            if "integer" in kinds:
                found.add(path)
            for key, value in node.items():
                if key not in ("oneOf", "anyOf"):
                    walk(value, f"{path}/{key}")

    for schema in published.values():
        walk(schema, "")
    tried = {path for _kind, _value, path in FIELDS.values()}
    assert found == tried | ANY_NUMBER


def test_whole_numbers_pass_both(kam, tmp_path, published):
    _write(tmp_path, None)
    r = kam(tmp_path, "validate", "--format", "json")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert all(errors == [] for errors in _schema_errors(published, tmp_path).values())


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_a_fraction_is_refused_by_kam_and_by_the_schema(kam, tmp_path, published, field):
    _write(tmp_path, field)
    kind = FIELDS[field][0]
    r = kam(tmp_path, "validate")
    assert r.exit_code != 0
    key = field.removeprefix("goal_").removeprefix("tier_")
    said = r.stdout + r.stderr
    assert "KAM002" in said and key in said, said
    errors = _schema_errors(published, tmp_path)
    file_kind = "kam" if kind == "config" else kind
    assert any(path.endswith(key) for path in errors[file_kind]), errors
    assert all(not e for k, e in errors.items() if k != file_kind), errors
