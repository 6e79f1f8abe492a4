"""The intimacy x support chart of a large account: a dozen people share each place and
the labels naming them all ran into each other until none could be read (150 people, a
black smear across the chart). A label then names its first people (decision makers
first) and how many more, or, when not even one name fits, the number of its people;
the legend says so, in the chart, in `--format markdown` and in the plan."""

from __future__ import annotations

import re

from conftest import write_account
from test_plan_map_portfolio import mermaid_parse


def _people(attitudes, intimacies, per_place):
    rows = ["stakeholders:"]
    n = 0
    for attitude in attitudes:
        for intimacy in intimacies:
            for k in range(per_place):
                # the decision maker is the last one entered at each place
                role = "[D]" if k == per_place - 1 else "[]"
                rows += [
                    f"  - id: p{n:03d}",
                    f"    name: Firstname Lastname {n}",
                    f"    roles: {role}",
                    f"    attitude: {attitude}",
                    f"    intimacy: {intimacy}",
                ]
                n += 1
    return "\n".join(rows) + "\n"


def _chart(kam, tmp_path, name, people):
    write_account(tmp_path, name, {"stakeholders.yaml": people})
    out = kam(tmp_path, "map", name, "--quadrant", "--format", "markdown")
    assert out.exit_code == 0, out.stderr
    chart = out.stdout.split("```mermaid\n")[1].split("```")[0]
    labels = re.findall(r'^    "([^"]*)":::role', chart, flags=re.M)
    width = int(re.search(r"chartWidth: (\d+)", chart).group(1))
    return out.stdout, chart, labels, width


def test_crowded_points_name_the_decision_maker_and_how_many_more(kam, tmp_path):
    # three places a row, far apart: a name and a count fit, not twenty names
    people = _people([3], [-3, 0, 3], 20)
    md, chart, labels, width = _chart(kam, tmp_path, "wide", people)
    assert len(labels) == 3 and width <= 1200
    for label in labels:
        assert re.fullmatch(
            r"Firstname Lastname \d+(, Firstname Lastname \d+)* and \d+ more", label
        )
    # the decision maker (entered last) leads each label
    assert labels[0].startswith("Firstname Lastname 19")
    assert "a point names its first" in md and "the stakeholder table lists everyone" in md
    plan = kam(tmp_path, "plan", "wide")
    assert plan.exit_code == 0 and "a point names its first" in plan.stdout
    assert mermaid_parse(tmp_path, {"wide.mmd": chart}).returncode == 0


def test_dense_points_give_the_number_of_their_people(kam, tmp_path):
    # fifteen places over three rows, neighbours close: not even one name fits
    people = _people([1, 2, 3], [-1, 0, 1, 2, 3], 8)
    md, chart, labels, width = _chart(kam, tmp_path, "dense", people)
    assert sorted(set(labels)) == ["8 people"] and len(labels) == 15 and width <= 1200
    assert "a point that several people share gives their number" in md
    zh = kam(tmp_path, "map", "dense", "--quadrant", "--format", "markdown", "--lang", "zh-CN")
    assert '"8 人":::role' in zh.stdout and "多人共享的点只显示人数" in zh.stdout
    assert mermaid_parse(tmp_path, {"dense.mmd": chart}).returncode == 0
