"""kam whitespace: the grid of buying centres x offerings per account and each offering's
share across accounts, on a portfolio unlike the examples (a Chinese port operator, a
Norwegian fish farm, an account with nothing mapped), with the counts worked out by hand."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import write_account
from golden_util import assert_golden

KAM_YAML = """\
offerings:
  - {id: cloud, name: 云服务}
  - {id: iot, name: IoT platform}
  - {id: support, name: Support}
"""

PORT_ACCOUNT = """\
id: shanghai-port
name: 上海港务集团
owner: li.ming
reviewed: 2026-10-01
position: 4
value: 3
competitors:
  - name: Alibaba Cloud
footprint:
  - {unit: ops, offering: cloud, status: ours}
  - {unit: ops, offering: iot, status: open}
  - {unit: it, offering: cloud, status: competitor, competitor: Alibaba Cloud}
  - {unit: it, offering: support, status: none}
"""
PORT_ORG = """\
units:
  - {id: hq, name: 集团总部}
  - {id: ops, name: 码头运营, parent: hq, buying_center: true}
  - {id: terminals, name: Yangshan terminals, parent: ops}
  - {id: it, name: 信息中心, parent: hq, buying_center: true}
"""
PORT_PEOPLE = """\
stakeholders:
  - {id: wang, name: 王磊, unit: terminals, roles: [D], attitude: 2}
  - {id: li, name: 李娜, unit: ops, attitude: 1}
  - {id: zhao, name: 赵军, unit: it, attitude: 0}
  - {id: gone, name: 孙伟, unit: it, attitude: 3, left_on: 2026-01-01}
  - {id: leaving, name: 周敏, unit: it, attitude: 2, left_on: 2027-02-01}
  - {id: hq-fan, name: 钱芳, unit: hq, attitude: 3}
"""
FISH_ACCOUNT = """\
id: fjord-salmon
name: Fjord Salmon ASA
owner: kari.nilsen
reviewed: 2026-10-01
position: 2
value: 2
competitors:
  - name: Azure
footprint:
  - {unit: farms, offering: iot, status: open}
  - {unit: farms, offering: cloud, status: competitor, competitor: Azure}
"""
FISH_ORG = "units:\n  - {id: farms, name: Sea farms, buying_center: true}\n"
FISH_PEOPLE = """\
stakeholders:
  - {id: ola, name: Ola Nordmann, unit: farms, roles: [D], attitude: "?"}
"""


def write_two_customers(root: Path) -> None:
    """The Chinese port and the Norwegian fish farmer, with their offerings mapped."""
    (root / "kam.yaml").write_text(KAM_YAML, encoding="utf-8")
    write_account(
        root,
        "shanghai-port",
        {"account.yaml": PORT_ACCOUNT, "org.yaml": PORT_ORG, "stakeholders.yaml": PORT_PEOPLE},
    )
    write_account(
        root,
        "fjord-salmon",
        {"account.yaml": FISH_ACCOUNT, "org.yaml": FISH_ORG, "stakeholders.yaml": FISH_PEOPLE},
    )


@pytest.fixture
def portfolio(tmp_path):
    write_two_customers(tmp_path)
    write_account(tmp_path, "tiny")  # nothing mapped
    return tmp_path


def test_grid_counts_by_hand(kam, portfolio):
    r = kam(portfolio, "whitespace", "--format", "json")
    assert r.exit_code == 0, r.stderr
    data = r.json()
    accounts = {a["id"]: a for a in data["accounts"]}
    port = accounts["shanghai-port"]["buying_centers"]
    # rows: the buying centres in org order (hq and terminals are not buying centres)
    assert [b["unit"] for b in port] == ["ops", "it"]
    # ops: 王磊 in terminals (below ops, +2) and 李娜 in ops (+1); hq's 钱芳 is above it
    assert port[0]["supporters"] == 2
    # it: 赵军 is neutral, 孙伟 left, 周敏 leaves only in 2027 and still counts
    assert port[1]["supporters"] == 1
    assert port[0]["cells"] == {
        "cloud": {"status": "ours", "competitor": None},
        "iot": {"status": "open", "competitor": None},
        "support": {"status": None, "competitor": None},
    }
    assert port[1]["cells"]["cloud"] == {"status": "competitor", "competitor": "Alibaba Cloud"}
    assert port[1]["cells"]["support"]["status"] == "none"
    fish = accounts["fjord-salmon"]["buying_centers"]
    assert [(b["unit"], b["supporters"]) for b in fish] == [("farms", 0)]  # "?" is no supporter
    assert accounts["tiny"] == {
        "id": "tiny",
        "name": "Acme tiny",
        "mapped": False,
        "buying_centers": [],
    }
    # across the 2 mapped accounts: cloud is ours at 1, a competitor's at 2 (the port's IT
    # centre and the fish farm); IoT is open at both; support is nowhere ours/theirs/open
    shares = {o["id"]: o for o in data["offerings"]}
    assert {k: shares["cloud"][k] for k in ("mapped_accounts", "ours", "competitor", "open")} == {
        "mapped_accounts": 2,
        "ours": 1,
        "competitor": 2,
        "open": 0,
    }
    assert shares["cloud"]["shares"] == {"ours": 0.5, "competitor": 1.0, "open": 0.0}
    assert (shares["iot"]["ours"], shares["iot"]["competitor"], shares["iot"]["open"]) == (0, 0, 2)
    assert (shares["support"]["ours"], shares["support"]["open"]) == (0, 0)


@pytest.mark.parametrize(
    "fmt, name",
    [
        ("table", "whitespace.txt"),
        ("markdown", "whitespace.md"),
        ("csv", "whitespace.csv"),
        ("json", "whitespace.json"),
    ],
)
def test_whitespace_golden(kam, portfolio, fmt, name):
    # the golden CSV without the byte-order mark (which tests/test_csv_bom.py checks)
    extra = ["--no-bom"] if fmt == "csv" else []
    r = kam(portfolio, "whitespace", "--format", fmt, "--no-color", *extra)
    assert r.exit_code == 0
    assert_golden(name, r.stdout)


def test_csv_is_one_row_per_cell(kam, portfolio):
    out = kam(portfolio, "whitespace", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    # 2 buying centres x 3 offerings at the port, 1 x 3 at the farm
    assert len(rows) == 9
    assert {r["account"] for r in rows} == {"shanghai-port", "fjord-salmon"}
    it_cloud = [r for r in rows if r["unit"] == "it" and r["offering"] == "cloud"]
    assert it_cloud == [
        {
            "account": "shanghai-port",
            "unit": "it",
            "unit_name": "信息中心",
            "supporters": "1",
            "offering": "cloud",
            "status": "competitor",
            "competitor": "Alibaba Cloud",
        }
    ]


def test_broken_account_is_reported_and_exits_1(kam, portfolio):
    write_account(
        portfolio,
        "broken",
        {"stakeholders.yaml": "stakeholders:\n  - {id: x, name: X, attitude: 9}\n"},
    )
    r = kam(portfolio, "whitespace")
    assert r.exit_code == 1
    assert "KAM002" in r.stderr and "broken" in r.stdout
    assert "上海港务集团" in r.stdout


def test_without_offerings_the_footprint_names_the_columns(kam, portfolio):
    (portfolio / "kam.yaml").unlink()
    r = kam(portfolio, "whitespace", "--format", "json")
    assert r.exit_code == 0, r.stderr
    data = r.json()
    # in order of first appearance over the accounts (fjord-salmon comes first)
    assert [(o["id"], o["name"]) for o in data["offerings"]] == [
        ("iot", "iot"),
        ("cloud", "cloud"),
        ("support", "support"),
    ]
    port = next(a for a in data["accounts"] if a["id"] == "shanghai-port")
    assert list(port["buying_centers"][0]["cells"]) == ["iot", "cloud", "support"]


def test_without_offerings_or_footprint_says_how_to_get_a_grid(kam, tmp_path):
    write_account(tmp_path, "plain")
    r = kam(tmp_path, "whitespace", "--format", "markdown")
    assert r.exit_code == 0
    assert "No offerings: list them in kam.yaml `offerings`" in r.stdout


def test_markdown_escapes_names(kam, portfolio):
    write_account(
        portfolio,
        "evil",
        {
            "account.yaml": "id: evil\nname: 'Evil | <b>Co</b>'\nowner: x\nreviewed: 2026-10-01\nposition: 1\nvalue: 1\n"
            "footprint:\n  - {unit: u, offering: cloud, status: open}\n",
            "org.yaml": "units:\n  - {id: u, name: '[click](http://x) | *bold*'}\n",
        },
    )
    out = kam(portfolio, "whitespace", "--format", "markdown").stdout
    assert "\\[click\\](http://x) \\| \\*bold\\*" in out
    assert "Evil \\| \\<b>Co\\</b>" in out


def test_bad_format_is_a_usage_error(kam, portfolio):
    r = kam(portfolio, "whitespace", "--format", "xml")
    assert r.exit_code == 2 and "table, markdown, csv, json" in r.stderr


def test_one_mapped_account_is_singular(kam, portfolio):
    """The heading said '1 mapped account(s)'."""
    import re

    for fmt in ("table", "markdown"):
        r = kam(portfolio, "whitespace", "fjord-salmon", "--format", fmt)
        assert r.exit_code == 0, r.stderr
        assert re.search(r"Offerings across 1 mapped account\s*$", r.stdout, re.M), r.stdout


def test_a_long_heading_wraps_at_the_terminal_not_at_the_table(kam, tmp_path):
    """The grid's heading was the table's title, wrapped at the table's width: a Chinese
    customer's long name broke it mid-phrase ("...：采购中心 / x 产品") on a terminal with
    room for it. It wraps at the terminal's width, as every other line."""
    write_two_customers(tmp_path)
    account = tmp_path / "accounts" / "shanghai-port" / "account.yaml"
    account.write_text(
        account.read_text("utf-8").replace(
            "name: 上海港务集团", "name: 上海国际港务集团股份有限公司"
        ),
        "utf-8",
    )
    r = kam(tmp_path, "whitespace", "--lang", "zh-CN", env={"COLUMNS": "80"})
    assert "上海国际港务集团股份有限公司（shanghai-port）：采购中心 x 产品\n" in r.stdout, r.stdout
