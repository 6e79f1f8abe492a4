"""Validation with pydantic-core's native checks gives what kam's Python checks give.

``fastvalidate.validate`` tries a validator in which ids, handles, dates and -3..3 scales are
checked by pydantic-core itself; whatever it refuses is validated again by the models,
whose Python checks accept a few more forms (a quoted date) and word kam's messages. That
is only right if every value the native checks accept, the Python checks accept too, with
the very same result: these tests hold them to it.
"""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import SchemaValidator, ValidationError

from conftest import EXAMPLES, REPO, write_account
from kamtool.load import models, yamlread
from kamtool.load.fastvalidate import fast_validator, native_checks, validate
from kamtool.load.models import FILE_MODELS

NATIVE = {check: SchemaValidator(schema) for check, schema in native_checks().items()}

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-6, 6),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.text(alphabet="az09._- \t\n\x1c\x85\u3000Z", max_size=8),
    st.sampled_from(["?", "? ", "zhang-wei", "li.ming", " ", "a\n", "2026-10-01", "张伟"]),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(-3, 3), max_size=2),
)


def python_check(check, value):
    try:
        return ("ok", check(value))
    except ValueError:
        return ("refused",)


@settings(max_examples=3000, deadline=None)
@given(values)
def test_native_checks_accept_only_what_python_checks_accept_unchanged(value):
    for check, native in NATIVE.items():
        try:
            got = native.validate_python(value)
        except ValidationError:
            continue
        expected = python_check(check, value)
        assert expected[0] == "ok", (check.__name__, value)
        assert got == expected[1] and type(got) is type(expected[1]), (check.__name__, value)


def test_handle_pattern_is_exactly_what_strip_keeps():
    """Every code point: the native handle check agrees with ``str.strip()``, both ways, and
    refuses the separators that write two people into one handle and the zero-width
    characters a paste brings (which would make another handle, invisibly)."""
    from kamtool.load.ids import ZERO_WIDTH

    native = NATIVE[models._handle]
    disagree = []
    for point in range(0x110000):
        if 0xD800 <= point <= 0xDFFF:
            continue
        text = chr(point)
        try:
            native.validate_python(text)
            accepted = True
        except ValidationError:
            accepted = False
        python = bool(text.strip()) and text not in models.HANDLE_SEPARATORS
        if accepted != (python and text not in ZERO_WIDTH):
            disagree.append(hex(point))
    assert disagree == []


def test_fast_validator_does_not_reuse_the_models_own_checks():
    """pydantic-core would reuse a model's prebuilt validator (with the Python checks) for a
    nested model; a quoted date, which only ``_date`` accepts, shows which one ran."""
    data = {"id": "x", "name": "X", "owner": "a", "reviewed": "2026-10-01"}
    data.update(position=1, value=1)
    with pytest.raises(ValidationError):
        fast_validator(FILE_MODELS["account"]).validate_python(data)
    person = {"id": "a", "name": "A", "attitude": 1, "last_contact": "2026-10-01"}
    with pytest.raises(ValidationError):
        fast_validator(FILE_MODELS["stakeholders"]).validate_python({"stakeholders": [person]})
    assert validate(FILE_MODELS["account"], data).reviewed == dt.date(2026, 10, 1)


def errors(exc: ValidationError) -> list[tuple]:
    return [(e["type"], e["loc"], e["msg"]) for e in exc.errors(include_url=False)]


def same_outcome(kind, data):
    model = FILE_MODELS[kind]
    try:
        slow = ("ok", model.model_validate(data))
    except ValidationError as exc:
        slow = ("error", errors(exc))
    try:
        fast = ("ok", validate(model, data))
    except ValidationError as exc:
        fast = ("error", errors(exc))
    assert fast == slow
    if fast[0] == "ok":
        assert type(fast[1]) is type(slow[1])
        assert fast[1].model_dump() == slow[1].model_dump()
        assert fast[1].model_fields_set == slow[1].model_fields_set


def test_same_models_on_examples_and_a_generated_portfolio(tmp_path):
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    folders = [*EXAMPLES.iterdir(), *generate(tmp_path, 40).iterdir()]
    seen = 0
    for folder in folders:
        for kind in FILE_MODELS:
            path = folder / f"{kind}.yaml"
            if path.is_file():
                same_outcome(kind, yamlread.parse(path.read_text(encoding="utf-8")).data)
                seen += 1
    assert seen > 150


person = st.fixed_dictionaries(
    {"id": values, "name": st.just("A"), "attitude": values},
    optional={
        "intimacy": values,
        "owner": values,
        "backup": values,
        "reports_to": values,
        "last_contact": values,
        "roles": st.lists(st.sampled_from(["D", "C", "coach", "D", "boss"]), max_size=3),
        "influences": st.lists(values, max_size=2),
    },
)


@settings(max_examples=500, deadline=None)
@given(st.lists(person, max_size=3))
def test_same_models_or_errors_on_random_stakeholders(people):
    same_outcome("stakeholders", {"stakeholders": people})


def test_forms_left_to_the_python_checks_still_load(kam, tmp_path):
    """A quoted date, a handle in Chinese and long role names: valid, graded as before."""
    write_account(
        tmp_path,
        "x",
        {
            "account.yaml": "id: x\nname: X\nowner: 李明\nreviewed: '2026-10-01'\n"
            "position: 3\nvalue: 3\n",
            "stakeholders.yaml": "stakeholders:\n  - {id: a, name: A, attitude: 2,"
            " roles: [decision-maker, D], owner: 李明, last_contact: '2026-11-01'}\n",
        },
    )
    r = kam(tmp_path, "grade", "--format", "json")
    assert r.exit_code == 0, r.stdout
    assert r.json()["accounts"][0]["valid"] is True
    assert r.json()["accounts"][0]["decision_makers"] == {"supportive": 1, "total": 1}


def test_id_with_a_trailing_newline_is_refused(kam, tmp_path):
    """``re.match`` with ``$`` let ``"a\\n"`` through as an id; both checks now refuse it."""
    write_account(
        tmp_path,
        "x",
        {"stakeholders.yaml": 'stakeholders:\n  - {id: "a\\n", name: A, attitude: 1}\n'},
    )
    r = kam(tmp_path, "validate", "--format", "json")
    assert r.exit_code == 1
    assert [(f["code"], f["line"]) for f in r.json()["findings"]] == [("KAM002", 2)]
