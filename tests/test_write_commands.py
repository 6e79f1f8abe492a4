"""kam touch, kam init, kam schema: writes that keep every other byte and never half-write."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys

import pytest

from conftest import EXAMPLES, REPO, TODAY, venv_tool, write_account

ODD = """\
# Stakeholders of ACME -- keep this header
stakeholders:
    -   id: ann                       # the CFO
        name: 'Ann O''Neil'
        attitude: 1
        last_contact: "2026-01-05"    # quoted on purpose
        channels:
            - phone
            - "lunch, monthly"
    -   id: bob
        name: Bob
        attitude: -1
        last_contact:
        notes: |
            Long note
              with indentation
    - {id: cy, name: "Cy", attitude: '?'}
    -   id: dee
        name: Dee
        attitude: 2
        reviewed: 2026-01-01   # trailing comment
"""


def lines_changed(before: bytes, after: bytes) -> list[int]:
    a, b = before.split(b"\n"), after.split(b"\n")
    return [i + 1 for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y]


@pytest.fixture
def odd(tmp_path):
    folder = write_account(tmp_path, "acme", {"stakeholders.yaml": ODD})
    return tmp_path, folder / "stakeholders.yaml"


def test_touch_quoted_date_changes_only_that_value(kam, odd):
    root, path = odd
    before = path.read_bytes()
    r = kam(root, "touch", "acme", "ann", "--contact", "2026-11-20")
    assert r.exit_code == 0, r.stderr
    after = path.read_bytes()
    assert after == before.replace(b'last_contact: "2026-01-05"', b'last_contact: "2026-11-20"')
    assert "ann: last_contact 2026-01-05 → 2026-11-20" in r.stdout


def test_touch_empty_value_default_today(kam, odd):
    root, path = odd
    before = path.read_bytes()
    assert kam(root, "touch", "acme", "bob").exit_code == 0
    after = path.read_bytes()
    assert after == before.replace(
        b"        last_contact:\n", b"        last_contact: 2026-11-24\n"
    )


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "acme/{who}: {field} set to 2026-11-24 (not set before)"),
        ("zh-CN", "acme/{who}：{field} 设为 2026-11-24（此前未填写）"),
    ],
)
def test_touch_of_a_date_not_set_before_says_so(kam, odd, lang, said):
    """Trial defect: `kam touch --reviewed` of a person with no `reviewed` printed
    "reviewed - -> 2026-11-24"; a date set for the first time says so, in either
    language (the key stays as it is typed in the file); a date replaced keeps its arrow."""
    root, _path = odd
    for who, field, args in [
        ("ann", "reviewed", ["--reviewed", "today"]),  # no key
        ("bob", "last_contact", []),  # an empty key
    ]:
        r = kam(root, "--lang", lang, "touch", "acme", who, *args)
        assert r.exit_code == 0, r.stderr
        assert r.stdout == said.format(who=who, field=field) + "\n", r.stdout
        assert " - " not in r.stdout
    r = kam(root, "--lang", lang, "touch", "acme", "dee", "--reviewed", "today")
    sep = {"en": ": ", "zh-CN": "："}[lang]
    assert r.stdout == f"acme/dee{sep}reviewed 2026-01-01 → 2026-11-24\n", r.stdout


def test_touch_inserts_missing_key_in_block_and_flow_mappings(kam, odd):
    root, path = odd
    before = path.read_bytes()
    assert (
        kam(
            root, "touch", "acme", "dee", "--contact", "2026-11-01", "--reviewed", "today"
        ).exit_code
        == 0
    )
    after = path.read_bytes()
    expected = before.replace(
        b"        reviewed: 2026-01-01   # trailing comment\n",
        b"        reviewed: 2026-11-24   # trailing comment\n        last_contact: 2026-11-01\n",
    )
    assert after == expected
    before = after
    assert kam(root, "touch", "acme", "cy").exit_code == 0
    after = path.read_bytes()
    assert after == before.replace(b"attitude: '?'}", b"attitude: '?', last_contact: 2026-11-24}")
    assert kam(root, "validate").exit_code == 0


def test_touch_after_block_scalar(kam, tmp_path):
    text = "stakeholders:\n  - id: a\n    name: A\n    attitude: 1\n    notes: |\n      one\n      two\n\n  - id: b\n    name: B\n    attitude: 1\n"
    folder = write_account(tmp_path, "x", {"stakeholders.yaml": text})
    assert kam(tmp_path, "touch", "x", "a").exit_code == 0
    assert (folder / "stakeholders.yaml").read_text() == text.replace(
        "      two\n", "      two\n    last_contact: 2026-11-24\n"
    )


def test_touch_keeps_crlf_bom_and_mode(kam, tmp_path):
    text = "\ufeffstakeholders:\r\n  - id: a\r\n    name: A\r\n    attitude: 1\r\n    last_contact: 2026-01-01\r\n"
    folder = write_account(tmp_path, "x", {"stakeholders.yaml": text.encode("utf-8")})
    path = folder / "stakeholders.yaml"
    os.chmod(path, 0o600)
    assert kam(tmp_path, "touch", "x", "a").exit_code == 0
    assert path.read_bytes() == text.replace("2026-01-01", "2026-11-24").encode("utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_touch_refuses_broken_file_and_unknown_person(kam, tmp_path):
    folder = write_account(
        tmp_path, "x", {"stakeholders.yaml": "stakeholders:\n  - id: a\n    name: [A\n"}
    )
    before = (folder / "stakeholders.yaml").read_bytes()
    r = kam(tmp_path, "touch", "x", "a")
    assert r.exit_code == 1 and "does not parse" in r.stderr
    assert (folder / "stakeholders.yaml").read_bytes() == before
    write_account(tmp_path, "x")
    r = kam(tmp_path, "touch", "x", "bos")
    assert (
        r.exit_code == 1
        and "no stakeholder 'bos'" in r.stderr
        and "did you mean 'boss'" in r.stderr
    )
    r = kam(tmp_path, "touch", "nope", "a")
    assert r.exit_code == 1 and "no account 'nope'" in r.stderr
    r = kam(tmp_path, "touch", "x", "boss", "--contact", "soon")
    assert r.exit_code == 2


def test_touch_without_a_person_sets_the_accounts_reviewed(kam, tmp_path):
    """The agenda's "review the grading" step and KAM203 had no command to record it
    ("update reviewed at account.yaml:7"): `kam touch ACCOUNT --reviewed DATE` sets the
    account's own date, changing nothing else, byte for byte (CRLF, a comment, a BOM)."""
    text = (
        "\ufeffid: x\r\nname: X AG\r\nowner: li.ming\r\n"
        "reviewed: 2025-01-02  # last grading review\r\nposition: 3\r\nvalue: 3\r\n"
    )
    folder = write_account(tmp_path, "x", {"account.yaml": text.encode("utf-8")})
    path = folder / "account.yaml"
    stakeholders = (folder / "stakeholders.yaml").read_bytes()
    assert "KAM203" in kam(tmp_path, "check", "x").stdout
    r = kam(tmp_path, "touch", "x", "--reviewed", "today")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "x: reviewed 2025-01-02 → 2026-11-24\n"
    assert path.read_bytes() == text.replace("2025-01-02", "2026-11-24").encode("utf-8")
    assert (folder / "stakeholders.yaml").read_bytes() == stakeholders
    assert "KAM203" not in kam(tmp_path, "check", "x").stdout
    assert kam(tmp_path, "touch", "x", "--reviewed", "today").stdout == ("x: already up to date\n")
    # an earlier date is not a review: refused, with where to correct a wrong date
    r = kam(tmp_path, "touch", "x", "--reviewed", "2026-01-01")
    assert r.exit_code == 1 and "not moved back" in r.stderr and "account.yaml:4" in r.stderr
    # without a person there is no contact to record
    for args in ((), ("--contact", "today")):
        r = kam(tmp_path, "touch", "x", *args)
        assert r.exit_code == 2 and "name the PERSON" in r.stderr, r.stderr
    assert path.read_bytes() == text.replace("2025-01-02", "2026-11-24").encode("utf-8")


def test_agenda_and_kam203_give_the_account_review_command(kam, tmp_path):
    write_account(tmp_path, "x", {"account.yaml": ACCOUNT_OLD_REVIEW})
    check = kam(tmp_path, "check", "x", env={"COLUMNS": "200"}).stdout
    assert "KAM203" in check and "`kam touch x --reviewed today`" in check, check
    items = kam(tmp_path, "agenda", "--format", "json").json()["items"]
    (review,) = [i for i in items if i["title"].startswith("Review the account's grading")]
    assert review["command"] == "kam touch x --reviewed today"
    assert kam(tmp_path, *review["command"].split()[1:]).exit_code == 0
    assert not [
        i
        for i in kam(tmp_path, "agenda", "--format", "json").json()["items"]
        if i["title"].startswith("Review the account's grading")
    ]


ACCOUNT_OLD_REVIEW = """\
id: x
name: X AG
owner: li.ming
reviewed: 2025-01-02
position: 3
value: 3
"""


def test_touch_crash_before_rename_leaves_original(tmp_path):
    exe = venv_tool("kam")
    if exe is None:
        pytest.skip("kam entry point not installed")
    folder = write_account(tmp_path, "x")
    path = folder / "stakeholders.yaml"
    before = path.read_bytes()
    env = {**os.environ, "KAM_FAULT": "before-rename", "KAM_TODAY": "2026-11-24"}
    proc = subprocess.run(
        [exe, "touch", "x", "boss"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 70  # died where the rename would happen
    assert path.read_bytes() == before
    env.pop("KAM_FAULT")
    assert subprocess.run([exe, "touch", "x", "boss"], cwd=tmp_path, env=env).returncode == 0
    assert path.read_bytes() == before.replace(b"2026-11-20", b"2026-11-24")


def test_init_scaffold_validates_and_never_overwrites(kam, tmp_path):
    r = kam(tmp_path, "init", "acme", "--name", 'ACME: "Widgets" & Co', "--owner", "li.ming")
    assert r.exit_code == 0, r.stderr
    folder = tmp_path / "accounts" / "acme"
    for name in ("account.yaml", "stakeholders.yaml", "org.yaml", "targets.yaml"):
        text = (folder / name).read_text()
        assert text.startswith("# yaml-language-server: $schema=../../schemas/")
    assert kam(tmp_path, "validate").exit_code == 0
    g = kam(tmp_path, "grade", "--format", "json").json()
    assert g["accounts"][0]["name"] == 'ACME: "Widgets" & Co'
    before = (folder / "account.yaml").read_bytes()
    again = kam(tmp_path, "init", "acme")
    assert again.exit_code == 1 and "is an account already" in again.stderr
    assert (folder / "account.yaml").read_bytes() == before
    assert kam(tmp_path, "init", "Bad Id").exit_code == 2


def _crlf_account(root, account_id):
    folder = write_account(root, account_id)
    for path in folder.iterdir():
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


def test_init_follows_the_crlf_line_endings_of_the_repository(kam, tmp_path):
    """A team that edits its accounts on Windows (CRLF): a new account's files came out
    in LF, so every later edit on Windows rewrote each line of them in the diff."""
    (tmp_path / ".git").mkdir()
    _crlf_account(tmp_path, "beta")
    _crlf_account(tmp_path, "gamma")
    write_account(tmp_path, "delta")  # one account in LF: most decide
    r = kam(tmp_path, "--lang", "zh-CN", "init", "acme", "--owner", "li.ming")
    assert r.exit_code == 0, r.stderr
    for name in ("account.yaml", "stakeholders.yaml", "org.yaml", "targets.yaml"):
        data = (tmp_path / "accounts" / "acme" / name).read_bytes()
        assert data.count(b"\r\n") == data.count(b"\n") >= 3, (name, data[:80])
    assert kam(tmp_path, "validate", "acme").exit_code == 0
    # the log kam starts there follows the account's own files
    assert kam(tmp_path, "log", "acme", "first-contact", "-m", "hi").exit_code == 0
    log = (tmp_path / "accounts" / "acme" / "log.yaml").read_bytes()
    assert log.count(b"\r\n") == log.count(b"\n")


def test_init_keeps_lf_in_an_lf_repository(kam, tmp_path):
    (tmp_path / ".git").mkdir()
    write_account(tmp_path, "beta")
    assert kam(tmp_path, "init", "acme").exit_code == 0
    assert b"\r" not in (tmp_path / "accounts" / "acme" / "account.yaml").read_bytes()


def test_an_id_ending_in_a_newline_is_no_id(kam, tmp_path):
    """One id rule everywhere, matched against the whole text (``$`` allows a final "\n")."""
    r = kam(tmp_path, "init", "acme\n")
    assert r.exit_code == 2 and "not a valid account id" in r.stderr
    assert not (tmp_path / "accounts").exists() or not any((tmp_path / "accounts").iterdir())
    write_account(tmp_path, "good")
    if sys.platform != "win32":  # a folder name with a newline: POSIX file systems allow it
        (tmp_path / "accounts" / "good").rename(tmp_path / "accounts" / "good\n")
        found = kam(tmp_path, "validate", "--format", "json").json()["findings"]
        assert "KAM006" in {f["code"] for f in found}


def _yaml_to_json(path):
    from kamtool.load.yamlread import parse

    def plain(v):
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        if isinstance(v, dt.date):
            return v.isoformat()
        return v

    return plain(parse(path.read_text()).data)


def test_schema_validates_examples_and_rejects_bad_attitude(kam, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    r = kam(tmp_path, "schema", "-o", "schemas")
    assert r.exit_code == 0
    schemas = {p.name: json.loads(p.read_text()) for p in (tmp_path / "schemas").iterdir()}
    assert set(schemas) == {
        "account.schema.json",
        "stakeholders.schema.json",
        "org.schema.json",
        "targets.schema.json",
        "log.schema.json",
        "kam.schema.json",
    }
    for s in schemas.values():
        # draft 4: "integer" is a number without a fraction, as kam reads it
        assert s["$schema"] == "http://json-schema.org/draft-04/schema#"
        jsonschema.Draft4Validator.check_schema(s)
    for folder in EXAMPLES.iterdir():
        for kind in ("account", "stakeholders", "org", "targets", "log"):
            f = folder / f"{kind}.yaml"
            if f.exists():
                jsonschema.Draft4Validator(schemas[f"{kind}.schema.json"]).validate(
                    _yaml_to_json(f)
                )
    bad = _yaml_to_json(EXAMPLES / "nordtel" / "stakeholders.yaml")
    bad["stakeholders"][0]["attitude"] = 5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schemas["stakeholders.schema.json"]).validate(bad)
    bad["stakeholders"][0]["attitude"] = 2.0  # kam: KAM002 (tests/test_schema_integers.py)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schemas["stakeholders.schema.json"]).validate(bad)
    bad["stakeholders"][0]["attitude"] = "?"
    bad["stakeholders"][0]["atitude"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schemas["stakeholders.schema.json"]).validate(bad)


def test_schema_check_jsonschema_tool(kam, tmp_path):
    exe = venv_tool("check-jsonschema")
    if exe is None:
        pytest.skip("check-jsonschema not installed")
    kam(tmp_path, "schema", "-o", "schemas")
    ok = subprocess.run(
        [
            exe,
            "--schemafile",
            str(tmp_path / "schemas" / "stakeholders.schema.json"),
            str(EXAMPLES / "hansa-bank" / "stakeholders.yaml"),
        ],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_schema_refuses_overwrite_without_force(kam, tmp_path):
    assert kam(tmp_path, "schema", "-o", "schemas").exit_code == 0
    target = tmp_path / "schemas" / "kam.schema.json"
    target.write_text("mine")
    r = kam(tmp_path, "schema", "-o", "schemas")
    assert r.exit_code == 1 and "not overwritten" in r.stderr
    assert target.read_text() == "mine"
    assert kam(tmp_path, "schema", "-o", "schemas", "--force").exit_code == 0
    assert json.loads(target.read_text())["title"] == "Config"
    out = kam(tmp_path, "schema")
    assert set(json.loads(out.stdout)) == {
        "account",
        "stakeholders",
        "org",
        "targets",
        "log",
        "config",
    }
    _ = (REPO, sys)


def _schema_fields(schema: dict, node: dict, where: str):
    """Every property of every object of a schema (following $ref), as (where, spec)."""
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    for key in ("anyOf", "oneOf"):
        for sub in node.get(key, []):
            yield from _schema_fields(schema, sub, where)
    if "items" in node:
        yield from _schema_fields(schema, node["items"], where + "[]")
    for name, spec in node.get("properties", {}).items():
        yield f"{where}.{name}", spec
        yield from _schema_fields(schema, spec, f"{where}.{name}")


def test_every_field_of_every_schema_has_a_description(kam, tmp_path):
    """Editors show a field's description on hover (README): none may be missing."""
    assert kam(tmp_path, "schema", "-o", "schemas").exit_code == 0
    for path in sorted((tmp_path / "schemas").iterdir()):
        schema = json.loads(path.read_text())
        fields = list(_schema_fields(schema, schema, path.name))
        assert len(fields) >= 5, path.name  # org.yaml: units and the 4 keys of a unit
        missing = [where for where, spec in fields if not spec.get("description")]
        assert missing == [], missing


def _config_verdicts(kam, tmp_path, text: str, validator) -> tuple[bool, bool]:
    """(kam accepts the kam.yaml, the schema accepts it), read as kam reads YAML (1.2:
    ``off`` is text)."""
    (tmp_path / "kam.yaml").write_text(text)
    write_account(tmp_path, "acme")
    kam_ok = kam(tmp_path, "validate").exit_code == 0
    return kam_ok, validator.is_valid(_yaml_to_json(tmp_path / "kam.yaml"))


@pytest.mark.parametrize(
    "text, accepted",
    [
        ("rules: {KAM108: off, KAM105: error}\n", True),
        ("rules: {KAM999: off}\n", False),  # no such rule
        ("rules: {KAM001: off}\n", False),  # a broken file is always an error
        ("rules: {KAM006: warning}\n", False),
        ("rules: {kam108: off}\n", False),
    ],
)
def test_kam_yaml_schema_accepts_the_rule_codes_kam_accepts(kam, tmp_path, text, accepted):
    jsonschema = pytest.importorskip("jsonschema")
    kam(tmp_path, "schema", "-o", "schemas")
    schema = json.loads((tmp_path / "schemas" / "kam.schema.json").read_text())
    validator = jsonschema.Draft4Validator(schema)
    assert _config_verdicts(kam, tmp_path, text, validator) == (accepted, accepted)


def test_a_whole_number_written_as_2_0_is_refused_by_kam_and_by_the_schema(kam, tmp_path):
    """kam takes attitude 2 and refuses 2.0 (YAML types it a float); the draft 4 schema
    refuses it too (README, "Editor set-up"; every integer field: test_schema_integers)."""
    jsonschema = pytest.importorskip("jsonschema")
    kam(tmp_path, "schema", "-o", "schemas")
    schema = json.loads((tmp_path / "schemas" / "stakeholders.schema.json").read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    person = {"id": "wu", "name": "Wu", "attitude": 2}
    assert validator.is_valid({"stakeholders": [person]})
    assert not validator.is_valid({"stakeholders": [{**person, "attitude": 2.0}]})
    assert not validator.is_valid({"stakeholders": [{**person, "attitude": 2.5}]})
    write_account(
        tmp_path,
        "acme",
        {"stakeholders.yaml": "stakeholders:\n  - {id: wu, name: Wu, attitude: 2.0}\n"},
    )
    r = kam(tmp_path, "validate", "acme")
    assert r.exit_code == 1 and "KAM002" in r.stdout and "whole number" in r.stdout
    assert (
        'the schemas are draft 4, where "integer" means a number written without a fraction'
        in _readme_editor_section()
    )


def _readme_editor_section() -> str:
    text = (REPO / "README.md").read_text()
    return " ".join(text.split())


def test_output_dash_is_standard_output_for_plan_and_agenda(kam, tmp_path):
    """`-o -` writes to standard output, as most tools read it; it used to create a file
    named `-` in the current folder. A file of that name is written by its full path."""
    write_account(tmp_path, "acme")
    plan = kam(tmp_path, "plan", "acme", "--today", TODAY, "-o", "-")
    assert plan.exit_code == 0, plan.stderr
    assert plan.stdout.startswith("# Account plan")
    agenda = kam(tmp_path, "agenda", "--today", TODAY, "--format", "ics", "-o", "-")
    assert agenda.exit_code == 0, agenda.stderr
    assert agenda.stdout.startswith("BEGIN:VCALENDAR")
    assert not (tmp_path / "-").exists()
    named = kam(tmp_path, "plan", "acme", "--today", TODAY, "-o", str(tmp_path / "-"))
    assert named.exit_code == 0, named.stderr
    assert (tmp_path / "-").read_text(encoding="utf-8").startswith("# Account plan")


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_init_without_an_owner_says_to_replace_the_placeholder(kam, tmp_path, lang):
    """`kam init ID` without --owner writes `owner: your.name` in every file, and its next
    step spoke only of position, value and the stakeholders: the placeholder stayed, and
    the plan's first line named "your.name" as the account manager. The next step now
    says to put one's handle there; with --owner it says nothing of it."""
    r = kam(tmp_path, "--lang", lang, "init", "acme")
    assert r.exit_code == 0, r.stderr
    assert "owner: your.name" in (tmp_path / "accounts/acme/account.yaml").read_text()
    (next_step,) = [line for line in r.stdout.splitlines() if "kam validate acme" in line]
    assert "your.name" in next_step and "--owner" in next_step
    given = kam(tmp_path, "--lang", lang, "init", "beta", "--owner", "li.ming")
    assert given.exit_code == 0, given.stderr
    (next_step,) = [line for line in given.stdout.splitlines() if "kam validate beta" in line]
    assert "your.name" not in next_step and "--owner" not in next_step


def test_init_owner_with_a_space_is_told_the_handle_it_means(kam, tmp_path):
    """`kam log --by "chen jing"` says "did you mean 'chen.jing'?" when the account names
    that handle; `kam init --owner "chen jing"` refused the same slip without one. A new
    account names no handle yet: init suggests the text with its spaces made dots."""
    (tmp_path / "accounts").mkdir()
    r = kam(tmp_path, "init", "newco", "--owner", "chen jing")
    assert r.exit_code == 2
    assert r.stderr.strip().endswith("(did you mean 'chen.jing'?)"), r.stderr
    assert not (tmp_path / "accounts" / "newco").exists()
    zh = kam(tmp_path, "--lang", "zh-CN", "init", "newco", "--owner", "chen  jing")
    assert "chen.jing" in zh.stderr and zh.exit_code == 2, zh.stderr
    # typed with a Chinese input method's full-width letters and space
    wide = kam(tmp_path, "init", "newco", "--owner", "ｃｈｅｎ　ｊｉｎｇ")
    assert wide.stderr.strip().endswith("(did you mean 'chen.jing'?)"), wide.stderr
    # nothing to suggest when the folded text is no handle either
    r = kam(tmp_path, "init", "newco", "--owner", "#")
    assert r.exit_code == 2 and "did you mean" not in r.stderr
    assert kam(tmp_path, "init", "newco", "--owner", "chen.jing").exit_code == 0
