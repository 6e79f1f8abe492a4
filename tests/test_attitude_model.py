"""The model is the one place that knows an unknown attitude is written "?": rules and
renderers ask a person for ``attitude_level``, ``attitude_known``, ``attitude_at_least``
or ``attitude_text``, and a relationship goal for ``reached_by``."""

from __future__ import annotations

import datetime as dt

import pytest

from kamtool.load.fastvalidate import validate
from kamtool.load.models import RelationshipGoal, Stakeholder, StakeholdersFile, level, scale_text


def person(**fields: object) -> Stakeholder:
    return Stakeholder.model_validate({"id": "wang-fang", "name": "王芳", **fields})


@pytest.mark.parametrize(
    ("written", "number", "text"),
    [("?", None, "?"), (0, 0, "0"), (3, 3, "+3"), (-2, -2, "-2"), (None, None, "?")],
)
def test_level_and_text_of_each_form(written, number, text):
    assert level(written) == number
    assert scale_text(written) == text


def test_unknown_attitude_is_never_at_least_anything():
    p = person(attitude="?")
    assert p.attitude == "?"  # the file's own value is kept (JSON, schema, writing back)
    assert p.attitude_level is None and not p.attitude_known
    assert not p.attitude_at_least(-3)
    assert p.attitude_text == "?"
    assert p.intimacy == "?" and p.intimacy_level is None  # intimacy defaults to unknown
    assert not p.intimacy_at_least(-3)


def test_known_attitude_compares_as_a_number():
    p = person(attitude=-1, intimacy=2)
    assert p.attitude_known and p.attitude_level == -1
    assert p.attitude_at_least(-1) and not p.attitude_at_least(0)
    assert p.intimacy_at_least(2) and not p.intimacy_at_least(3)
    assert (p.attitude_text, p.intimacy_text) == ("-1", "+2")


def goal(**fields: object) -> RelationshipGoal:
    base = {"stakeholder": "wang-fang", "attitude": 1, "by": dt.date(2027, 3, 31), "owner": "li"}
    return RelationshipGoal.model_validate({**base, **fields})


@pytest.mark.parametrize(
    ("attitude", "intimacy", "wanted_intimacy", "reached"),
    [
        (1, "?", None, True),  # no intimacy asked for: the attitude alone decides
        (2, 0, None, True),
        (0, 3, None, False),
        ("?", 3, None, False),  # unknown never reaches a goal
        (1, "?", 1, False),
        (1, 1, 1, True),
        (3, 0, 1, False),
    ],
)
def test_goal_reached_by(attitude, intimacy, wanted_intimacy, reached):
    p = person(attitude=attitude, intimacy=intimacy)
    assert goal(intimacy=wanted_intimacy).reached_by(p, dt.date(2026, 12, 5)) is reached


@pytest.mark.parametrize(
    ("left_on", "reached"),
    [
        ("2026-09-30", False),  # gone: the attitude they left with reaches nothing
        ("2026-12-05", False),  # their last day is today: gone as KAM115 counts it
        ("2026-12-06", True),  # an announced departure: still in post today
    ],
)
def test_a_person_who_has_left_reaches_no_goal(left_on, reached):
    p = person(attitude=3, intimacy=3, left_on=left_on)
    assert goal(attitude=2).reached_by(p, dt.date(2026, 12, 5)) is reached


def test_fast_path_gives_the_same_unknown():
    """The native check of the fast validator keeps "?" as the model does."""
    data = {"stakeholders": [{"id": "a", "name": "A", "attitude": "?", "intimacy": -3}]}
    fast = validate(StakeholdersFile, data)
    assert isinstance(fast, StakeholdersFile)
    p = fast.stakeholders[0]
    assert (p.attitude_level, p.intimacy_level, p.attitude_known) == (None, -3, False)
    assert fast == StakeholdersFile.model_validate(data)
