"""Values the YAML text holds once for several places (an anchor and its aliases, a merge
key): kam touch and kam import refuse to edit them in place (exit 1, naming the line),
never an internal error, and nothing is written."""

from __future__ import annotations

import pytest

from conftest import write_account

SHARED = """\
stakeholders:
  - {id: a1, name: Ada Wen, attitude: 1, last_contact: &met 2026-11-05}
  - &base
    id: a2
    name: 王芳
    attitude: 1
    last_contact: *met
  - <<: *base
    id: a3
    name: Bo Lindqvist
  - {id: a4, name: Dan Okafor, attitude: -2, last_contact: &lone 2026-10-01}
"""


@pytest.fixture
def shared(tmp_path):
    folder = write_account(tmp_path, "tiangong", {"stakeholders.yaml": SHARED})
    return tmp_path, folder / "stakeholders.yaml"


@pytest.mark.parametrize(
    "person, option, reason",
    [
        (
            "a1",
            "--contact",
            "cannot set last_contact of a1: it is shared through the anchor &met on line 2 "
            "(an alias uses it elsewhere; setting it here would change that too): edit "
            "stakeholders.yaml by hand, or give each place its own value instead of the "
            "anchor and alias",
        ),
        (
            "a2",
            "--contact",
            "cannot set last_contact of a2: it comes from the alias *met on line 7: edit "
            "stakeholders.yaml by hand, or write the value in place of the alias",
        ),
        (
            "a3",
            "--contact",
            "cannot set last_contact of a3: it comes from a merge key '<<' on line 8: edit "
            "stakeholders.yaml by hand",
        ),
        # adding a date to a mapping another entry merges would add it there too
        (
            "a2",
            "--reviewed",
            "cannot set reviewed of a2: it is shared through the anchor &base on line 3 "
            "(an alias uses it elsewhere; setting it here would change that too): edit "
            "stakeholders.yaml by hand, or give each place its own value instead of the "
            "anchor and alias",
        ),
    ],
    ids=["anchor-owner", "alias", "merge-key", "insert-into-merged-mapping"],
)
def test_touch_refuses_a_shared_value(kam, shared, person, option, reason):
    root, path = shared
    r = kam(root, "touch", "tiangong", person, option, "2026-11-20")
    assert r.exit_code == 1, r.stdout + r.stderr
    assert r.stderr.strip() == f"kam: error: {reason}"
    assert "internal error" not in r.stderr
    assert path.read_text("utf-8") == SHARED


def test_touch_by_name_names_the_person_found(kam, shared):
    root, path = shared
    r = kam(root, "touch", "tiangong", "王芳", "--contact", "2026-11-20")
    assert r.exit_code == 1
    assert "of a2: it comes from the alias *met on line 7" in r.stderr
    assert path.read_text("utf-8") == SHARED


def test_an_anchor_nothing_uses_is_kept_and_its_value_set(kam, shared):
    root, path = shared
    r = kam(root, "touch", "tiangong", "a4", "--contact", "2026-11-20")
    assert r.exit_code == 0, r.stderr
    assert path.read_text("utf-8") == SHARED.replace(
        "last_contact: &lone 2026-10-01", "last_contact: &lone 2026-11-20"
    )


def test_the_refusal_is_translated(kam, shared):
    root, path = shared
    r = kam(root, "--lang", "zh-CN", "touch", "tiangong", "a2", "--contact", "2026-11-20")
    assert r.exit_code == 1
    assert "*met" in r.stderr and "7" in r.stderr and "alias" not in r.stderr
    assert path.read_text("utf-8") == SHARED


def test_import_refuses_to_change_a_shared_title(kam, tmp_path):
    text = (
        "stakeholders:\n"
        "  - {id: ada-wen, name: Ada Wen, attitude: 1, crm_id: C1, title: &t Director}\n"
        "  - {id: bo-lin, name: Bo Lin, attitude: 1, crm_id: C2, title: *t}\n"
    )
    folder = write_account(tmp_path, "tiangong", {"stakeholders.yaml": text})
    (tmp_path / "x.csv").write_text(
        '"Id","FirstName","LastName","Title"\n"C1","Ada","Wen","CFO"\n"C2","Bo","Lin","Director"\n'
    )
    r = kam(tmp_path, "import", "csv", "x.csv", "--account", "tiangong")
    assert r.exit_code == 1, r.stdout + r.stderr
    assert "cannot set title of ada-wen: it is shared through the anchor &t on line 2" in (r.stderr)
    assert (folder / "stakeholders.yaml").read_text("utf-8") == text
