"""A field that names one colleague (an account's owner, a person's owner, backup and
sponsor, an owner in targets.yaml, a team member, each of a log entry's ``by``) takes one
handle: ``ana.ruiz, li.wei``, ``王芳、李伟``, ``ana/li`` or ``ana & li`` would be one
"person" nobody is, and stale, agenda and owner counts would be wrong. Refused (KAM002)
with where the field's file takes the other; the native (fast) check, the model's Python
check and the JSON Schema editors get accept the very same texts.
"""

from __future__ import annotations

import json
import re

import jsonschema
from pydantic_core import SchemaValidator, ValidationError

from conftest import write_account
from kamtool.load import models
from kamtool.load.fastvalidate import native_checks


def _portfolio(root):
    (root / "kam.yaml").write_text("accounts: accounts\n", encoding="utf-8")
    write_account(
        root,
        "orsa",
        {
            "account.yaml": """\
                id: orsa
                name: Orsa Logistik
                owner: ana.ruiz, li.wei
                reviewed: 2026-09-01
                position: 3
                value: 3
                team:
                  - {person: ana/li, roles: [relationship-lead]}
                """,
            "stakeholders.yaml": """\
                stakeholders:
                  - id: p-lang
                    name: Petra Lang
                    roles: [D]
                    attitude: 2
                    owner: 王芳、李伟
                    backup: ana；li
                    sponsor: ana & li
                    last_contact: 2026-10-01
                """,
            "log.yaml": """\
                entries:
                  - date: 2026-10-01
                    with: [p-lang]
                    by: [ana.ruiz; li.wei]
                    summary: Review
                """,
            "targets.yaml": """\
                period: 2026
                targets:
                  - {id: t1, kind: share, text: Grow, due: 2026-12-31, owner: ana，li}
                """,
        },
    )


def test_two_people_in_one_handle_field_are_refused_with_where_the_other_goes(kam, tmp_path):
    _portfolio(tmp_path)
    r = kam(tmp_path, "validate", "--format", "json")
    assert r.exit_code == 1
    got = {
        (f["path"].rsplit("/", 1)[-1], f["line"]): f["message"]
        for f in r.json()["findings"]
        if f["code"] == "KAM002"
    }
    assert got == {
        ("account.yaml", 3): "owner: 'ana.ruiz, li.wei' names 2 people: one person per field: "
        "keep the account manager here and put li.wei in team",
        ("account.yaml", 8): "team #1.person: 'ana/li' names 2 people: one person "
        "per entry: give li an entry of their own in team",
        ("stakeholders.yaml", 6): "stakeholders #1 (p-lang).owner: '王芳、李伟' names 2 people: "
        "one person per field: put 李伟 in backup",
        ("stakeholders.yaml", 7): "stakeholders #1 (p-lang).backup: 'ana；li' names 2 people: "
        "one person per field: keep the backup here and put the other in owner",
        ("stakeholders.yaml", 8): "stakeholders #1 (p-lang).sponsor: 'ana & li' names 2 people: "
        "one person per field: keep the executive sponsor here and put li in owner or backup",
        ("log.yaml", 4): "entries #1 (2026-10-01).by #1: 'ana.ruiz; li.wei' names 2 people: "
        "one person per item: by: [ana.ruiz, li.wei]",
        ("targets.yaml", 3): "targets #1 (t1).owner: 'ana，li' names 2 people: one person per "
        "field: keep one owner and name li in the target's text",
    }
    zh = kam(tmp_path, "--lang", "zh-CN", "validate")
    assert "“王芳、李伟”写了 2 个人" in zh.stdout, zh.stdout


def test_one_handle_per_field_still_loads(kam, tmp_path):
    _portfolio(tmp_path)
    folder = tmp_path / "accounts" / "orsa"
    for name in ("account.yaml", "stakeholders.yaml", "log.yaml", "targets.yaml"):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(ana\.ruiz|ana|王芳)(, |/|、|；| & |; |，)(li\.wei|li|李伟)", r"\1", text)
        path.write_text(text, encoding="utf-8")
    r = kam(tmp_path, "validate", "--format", "json")
    assert [f for f in r.json()["findings"] if f["code"] == "KAM002"] == []


def test_native_python_and_json_schema_accept_the_same_handles(kam, tmp_path):
    """Every code point alone, and between two letters: the fast path's native pattern,
    each field's Python check and the JSON Schema ``kam schema`` writes agree."""
    native = SchemaValidator(native_checks()[models._handle])
    (tmp_path / "kam.yaml").write_text("accounts: accounts\n", encoding="utf-8")
    assert kam(tmp_path, "schema", "-o", str(tmp_path / "s")).exit_code == 0
    schema = json.loads((tmp_path / "s" / "stakeholders.schema.json").read_text("utf-8"))
    person = schema["$defs"]["Stakeholder"]["properties"]
    handle = next(o for o in person["owner"]["anyOf"] if o.get("type") == "string")
    editor = jsonschema.Draft4Validator(handle)
    checks = [models._handle, *models.HANDLE_CHECKS]
    assert len(checks) == 10
    disagree = []
    for point in range(0x110000):
        if 0xD800 <= point <= 0xDFFF:
            continue
        for text in (chr(point), f"a{chr(point)}b"):
            try:
                native.validate_python(text)
                fast = True
            except ValidationError:
                fast = False
            slow = set()
            for check in checks:
                try:
                    check(text)
                    slow.add(True)
                except ValueError:
                    slow.add(False)
            if slow != {fast} or editor.is_valid(text) != fast:
                disagree.append(hex(point))
    assert disagree == []
    refused = [
        s for s in ("a,b", "王芳、李伟", "a/b", "a & b", "a；b", "a，b", "a;b") if _ok(native, s)
    ]
    assert refused == []


def _ok(validator, text):
    try:
        validator.validate_python(text)
        return True
    except ValidationError:
        return False
