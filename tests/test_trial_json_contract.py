"""Defects a sales-operations engineer found building a nightly dashboard from kam's JSON
(every command's `--format json` joined into one table, then a BI tool): keys that were
"" or left out where the README promises null, freshness findings whose `data` had
different keys from rule to rule, a worst finding that could not be found again in
`kam check`, a rename that history did not name, a missing export that exited as if it
had problems, and a person whose entry had a typo reported as removed. Each test runs
the real CLI on a repository made here, with its git history."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from conftest import dedent
from gitrepo import commit, new_repo

CONFIG = """\
language: en
currency: CNY
rates: {USD: 7.1}
rules:
  KAM108: "off"
offerings:
  - {id: mes, name: MES 制造执行}
  - {id: iot, name: "IoT \\"Edge\\" platform"}
"""

HUAXIA_ACCOUNT = """\
id: huaxia-steel
name: 华夏钢铁集团有限公司
owner: li.ming
stage: build
reviewed: 2025-06-01
position: 5
value: 5
facts: {revenue: 320000000, currency: CNY}
footprint:
  - {unit: proc, offering: mes, status: ours}
  - {unit: proc, offering: iot, status: open}
"""
HUAXIA_ORG = """\
units:
  - {id: proc, name: 采购部, buying_center: true}
"""
HUAXIA_PEOPLE = """\
stakeholders:
  - id: zhang-wei
    name: 张伟
    title: 总经理
    unit: proc
    roles: [D]
    attitude: {attitude}
    owner: li.ming
    backup: wang.fang
    sponsor: chen.dong
    channels: [wechat, visits]
    last_contact: 2026-10-15
    reviewed: 2026-01-10
  - id: li-na
    name: 李娜
    roles: [S]
    attitude: 1
    owner: li.ming
    backup: wang.fang
    channels: [wechat, visits]
    last_contact: 2027-01-05
    reviewed: 2026-11-01
  - id: wang-qiang
    name: 王强
    roles: [E]
    attitude: "?"
    owner: li.ming
    backup: wang.fang
"""
HUAXIA_LOG = """\
entries:
  - date: 2026-11-20
    with: [li-na]
    by: [li.ming]
    summary: "Plant visit \\"Q4\\" 🚀"
"""
ACME_ACCOUNT = """\
id: acme
name: "Acme \\"Fast\\" Logistics,\\nInc. \\u202eKNAB\\u202c 🚀"
owner: o'brien
reviewed: 2026-09-01
position: 2
value: 2
facts: {revenue: 800000, currency: USD}
"""
ACME_PEOPLE = """\
stakeholders:
  - id: bob
    name: "Bob \\"The Builder\\" Stone"
    roles: [D]
    attitude: 1
    owner: o'brien
    backup: j.smith
    channels: [calls, visits]
    last_contact: 2026-11-20
    reviewed: 2026-11-01
"""


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(dedent(text), encoding="utf-8")


@pytest.fixture
def repo(tmp_path):
    """A team's account repository: two accounts, a few weeks of history."""
    root = new_repo(tmp_path / "accounts-repo")
    (root / "kam.yaml").write_text(CONFIG, encoding="utf-8")
    huaxia = root / "accounts" / "huaxia-steel"
    _write(
        huaxia,
        {
            "account.yaml": HUAXIA_ACCOUNT,
            "org.yaml": HUAXIA_ORG,
            "stakeholders.yaml": HUAXIA_PEOPLE.replace("{attitude}", "1"),
            "log.yaml": HUAXIA_LOG,
        },
    )
    _write(
        root / "accounts" / "acme", {"account.yaml": ACME_ACCOUNT, "stakeholders.yaml": ACME_PEOPLE}
    )
    commit(root, "initial import from the CRM", "2026-10-20")
    (huaxia / "stakeholders.yaml").write_text(
        dedent(HUAXIA_PEOPLE.replace("{attitude}", "3")), encoding="utf-8"
    )
    commit(root, "张伟 now fully supportive", "2026-11-10")
    return root


def _empty_strings(value: object, path: str = "") -> list[str]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _empty_strings(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for v in value for p in _empty_strings(v, f"{path}[]")]
    return [path] if value == "" else []


TODAY = {"KAM_TODAY": "2026-12-03"}
COMMANDS = [
    ("grade",),
    ("check",),
    ("stale",),
    ("validate",),
    ("agenda", "--days", "30"),
    ("history",),
    ("history", "huaxia-steel", "zhang-wei"),
    ("diff", "HEAD~1", "HEAD"),
    ("portfolio",),
    ("portfolio", "--since", "2026-11-01"),
    ("whitespace",),
    ("rules",),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_json_output_holds_an_empty_string(kam, repo, args):
    """The README: "A key that has no value is null (or an empty list), never left out
    and never ``""``". The score, tier and loading changes of `kam diff` and `kam history`
    had `"subject": ""` and `"field": ""`, and `kam rules` `"in_force": ""` for a rule no
    setting changes: a script testing `is None` took them for values."""
    r = kam(repo, *args, "--format", "json", env=TODAY)
    assert r.exit_code in (0, 1), r.stderr
    assert _empty_strings(r.json()) == []


def test_a_grade_change_has_no_subject_and_no_field(kam, repo):
    diff = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json", "--today", "2026-12-03")
    changes = diff.json()["accounts"][0]["changes"]
    score = next(c for c in changes if c["kind"] == "score")
    assert (score["group"], score["subject"], score["field"]) == ("grade", None, None)
    attitude = next(c for c in changes if c["kind"] == "attitude")
    assert attitude["subject"] == "张伟 (总经理)"
    assert attitude["field"] == "stakeholders[zhang-wei].attitude"
    history = kam(repo, "history", "huaxia-steel", "--format", "json", "--today", "2026-12-03")
    last = history.json()["accounts"][0]["revisions"][-1]
    assert [c["subject"] for c in last["changes"] if c["kind"] == "score"] == [None]
    rules = {r["code"]: r for r in kam(repo, "rules", "--format", "json").json()["rules"]}
    assert rules["KAM117"]["in_force"] is None
    assert rules["KAM201"]["in_force"].startswith("focus tiers S, A")


def test_freshness_findings_carry_the_same_data_keys(kam, repo):
    """KAM201 and a met KAM205 had `data.source`, KAM202, KAM203, KAM204, KAM206 and an
    unmet KAM205 had not: `f["data"]["source"]` over the freshness findings raised
    KeyError. Every freshness finding has the same keys now, `source` the file and line
    the date is read from (as the stale table's "from" column), null without a date."""
    r = kam(repo, "check", "--format", "json", "--today", "2026-12-03", "--fail-on", "info")
    fresh = [f for f in r.json()["findings"] if f["code"] in FRESHNESS]
    assert {f["code"] for f in fresh} == FRESHNESS
    keys = {tuple(f["data"]) for f in fresh}
    assert keys == {
        (
            "person",
            "person_name",
            "account_name",
            "field",
            "date",
            "age_days",
            "threshold_days",
            "overdue_days",
            "owner",
            "source",
        )
    }
    by_code = {(f["code"], f["data"]["person"]): f for f in fresh}
    for f in fresh:
        name = f["path"].rsplit("/", 1)[-1]
        if f["data"]["date"] is None:  # never contacted, or a sponsor never met
            assert f["data"]["source"] is None
        elif f["code"] != "KAM201":  # KAM201 may name the log
            assert f["data"]["source"] == f"{name}:{f['line']}"
    assert by_code[("KAM201", "zhang-wei")]["data"]["source"] == "stakeholders.yaml:12"
    assert by_code[("KAM203", None)]["data"]["source"] == "account.yaml:5"
    assert by_code[("KAM204", "wang-qiang")]["data"]["source"] is None
    assert by_code[("KAM205", "zhang-wei")]["data"]["source"] is None
    assert by_code[("KAM206", "li-na")]["data"]["source"] == "stakeholders.yaml:21"
    # the stale table shows the same place
    table = kam(repo, "stale", "--today", "2026-12-03").stdout
    assert "account.yaml:5" in table and "stakeholders.yaml:21" in table


FRESHNESS = {"KAM201", "KAM202", "KAM203", "KAM204", "KAM205", "KAM206"}


def test_the_worst_finding_of_grade_is_found_in_check(kam, repo):
    """`worst_finding` had no column: a dashboard joining `kam grade` to `kam check` on
    (code, path, line, column) found nothing; history's grade is the same row."""
    grade = kam(repo, "grade", "--format", "json", "--today", "2026-12-03").json()
    check = kam(repo, "check", "--format", "json", "--today", "2026-12-03").json()
    places = {(f["code"], f["path"], f["line"], f["column"]) for f in check["findings"]}
    for acct in grade["accounts"]:
        w = acct["worst_finding"]
        assert (w["code"], w["path"], w["line"], w["column"]) in places
    history = kam(repo, "history", "huaxia-steel", "--format", "json").json()
    assert "column" in history["accounts"][0]["revisions"][-1]["grade"]["worst_finding"]


def test_history_revisions_have_the_same_keys_and_name_a_rename(kam, repo):
    """Without a PERSON the revisions of `kam history` had no `person`, `person_status`,
    `person_change` (the README: never left out); and a renamed account's row said
    "renamed northwind → ..." only in the sentence, where `kam diff` gives renamed_from."""
    folder = repo / "accounts" / "acme"
    folder.rename(repo / "accounts" / "acme-logistics")
    text = (repo / "accounts" / "acme-logistics" / "account.yaml").read_text(encoding="utf-8")
    (repo / "accounts" / "acme-logistics" / "account.yaml").write_text(
        text.replace("id: acme\n", "id: acme-logistics\n"), encoding="utf-8"
    )
    commit(repo, "acme: the id the CRM uses", "2026-11-20")
    plain = kam(repo, "history", "--format", "json", "--today", "2026-12-03").json()
    person = kam(
        repo, "history", "huaxia-steel", "zhang-wei", "--format", "json", "--today", "2026-12-03"
    ).json()
    plain_keys = {tuple(r) for a in plain["accounts"] for r in a["revisions"]}
    person_keys = {tuple(r) for a in person["accounts"] for r in a["revisions"]}
    assert len(plain_keys) == 1 and plain_keys == person_keys
    rows = {a["id"]: a["revisions"] for a in plain["accounts"]}
    huaxia = rows["huaxia-steel"][-1]
    assert (huaxia["person"], huaxia["person_status"], huaxia["person_change"]) == (None,) * 3
    assert person["accounts"][0]["revisions"][-1]["person"]["attitude"] == 3
    renamed = rows["acme-logistics"][-1]
    assert (renamed["status"], renamed["renamed_from"], renamed["renamed_to"]) == (
        "renamed",
        "acme",
        None,
    )
    old = kam(repo, "history", "acme", "--format", "json", "--today", "2026-12-03").json()
    last = old["accounts"][0]["revisions"][-1]
    assert (last["status"], last["renamed_from"], last["renamed_to"]) == (
        "renamed",
        None,
        "acme-logistics",
    )


def test_an_export_that_is_not_there_is_a_usage_error(kam, repo):
    """`kam import csv contacts.csv` of a file that is not there exited 1, the code of an
    export with problems; a missing --map, --config or --template-dir exits 2 (README:
    exit 2 for a missing path). A nightly job tells "the export did not arrive" apart
    from "the export has problems" by the code; stdout stays empty."""
    args = ("import", "csv", "--account", "huaxia-steel", "--dry-run", "--format", "json")
    missing = kam(repo, *args, "exports/contacts.csv")
    assert missing.exit_code == 2
    assert missing.stdout == ""
    assert "cannot read exports/contacts.csv: No such file or directory" in missing.stderr
    (repo / "exports").mkdir()
    assert kam(repo, *args, "exports").exit_code == 2
    (repo / "exports" / "contacts.csv").write_text(
        "Contact ID,First Name,Last Name,Title\n003A1,伟,张,总经理\n", encoding="utf-8"
    )
    there = kam(repo, *args, "exports/contacts.csv")
    assert there.exit_code == 0, there.stderr
    assert there.json()["updated"] == [
        {"person": "zhang-wei", "field": "crm_id", "old": None, "new": "003A1", "line": 2}
    ]


def test_a_person_whose_entry_has_a_typo_is_not_removed(kam, repo):
    """`roles: [X]` for a decision maker made the account stop loading (right) and made
    `kam diff` report "▼ 张伟: removed" (JSON: person-removed), and an action with
    `status: finished` "removed while still planned": a reviewer read that the decision
    maker had been taken out. Such an entry is not compared, and the diff says so; when
    it loads again it is not "new" either."""
    people = repo / "accounts" / "huaxia-steel" / "stakeholders.yaml"
    targets = repo / "accounts" / "huaxia-steel" / "targets.yaml"
    plan = (
        "period: 2026\nactions:\n  - {id: demo, text: Demo, owner: li.ming, "
        "due: 2026-12-20, status: doing, stakeholder: li-na}\n"
    )
    targets.write_text(plan, encoding="utf-8")
    commit(repo, "the plan", "2026-11-21")
    people.write_text(
        people.read_text(encoding="utf-8").replace("roles: [D]", "roles: [X]"), encoding="utf-8"
    )
    targets.write_text(plan.replace("doing", "finished"), encoding="utf-8")
    commit(repo, "typos", "2026-11-25")
    broken = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json", "--today", "2026-12-03")
    assert broken.exit_code == 1
    changes = broken.json()["accounts"][0]["changes"]
    assert [(c["kind"], c["field"], c["direction"]) for c in changes] == [
        ("invalid", None, -1),
        ("unreadable", "targets.actions[demo]", 0),
        ("unreadable", "stakeholders[zhang-wei]", 0),
    ]
    assert changes[2]["person"] == "zhang-wei"
    assert changes[2]["text"] == (
        "张伟 (总经理): does not load any more: its changes are not compared"
    )
    assert changes[1]["text"] == (
        "action demo (Demo): does not load any more: its changes are not compared"
    )
    text = kam(repo, "diff", "HEAD~1", "HEAD", "--today", "2026-12-03").stdout
    assert "▼ removed" not in text and "removed while" not in text
    assert "张伟 (总经理)\n    ~ does not load any more: its changes are not compared" in text
    people.write_text(
        people.read_text(encoding="utf-8").replace("roles: [X]", "roles: [D]"), encoding="utf-8"
    )
    targets.write_text(plan, encoding="utf-8")
    again = kam(repo, "diff", "--format", "json", "--today", "2026-12-03").json()
    kinds = [(c["kind"], c["field"]) for c in again["accounts"][0]["changes"]]
    assert ("unreadable", "stakeholders[zhang-wei]") in kinds
    assert ("unreadable", "targets.actions[demo]") in kinds
    assert not any(k.endswith("-added") for k, _f in kinds)


TEXTS = {
    "message", "hint", "title", "why", "text", "change", "detail", "label", "note",
    "summary", "finds", "fix", "person_change", "in_force", "command", "subject",
}  # fmt: skip


def _same_but_texts(en: object, zh: object, path: str = "") -> list[str]:
    if type(en) is not type(zh):
        return [f"{path}: {en!r} / {zh!r}"]
    if isinstance(en, dict):
        assert isinstance(zh, dict)
        if list(en) != list(zh):
            return [f"{path}: keys {list(en)} / {list(zh)}"]
        return [
            p for k in en if k not in TEXTS for p in _same_but_texts(en[k], zh[k], f"{path}.{k}")
        ]
    if isinstance(en, list):
        assert isinstance(zh, list)
        if len(en) != len(zh):
            return [f"{path}: {len(en)} / {len(zh)} items"]
        return [p for x, y in zip(en, zh, strict=True) for p in _same_but_texts(x, y, path)]
    return [] if en == zh else [f"{path}: {en!r} / {zh!r}"]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_the_output_language_changes_only_the_sentences(kam, repo, args):
    """`--lang zh-CN` translates the sentences and nothing a script compares: keys,
    codes, severities, kinds, statuses, ids, dates and numbers are the same (the diff's
    `base`/`head` are labels of the revisions, "working tree" in the output language)."""
    en = kam(repo, *args, "--format", "json", env=TODAY)
    zh = kam(repo, *args, "--format", "json", "--lang", "zh-CN", env=TODAY)
    assert en.exit_code == zh.exit_code
    assert _same_but_texts(en.json(), zh.json()) == []


def test_the_schema_is_draft_4_and_agrees_with_kam_on_these_files(kam, repo):
    """`kam schema` is valid draft 4; the files kam accepts validate, and a plain type
    error kam refuses (KAM002) the schema refuses too."""
    from kamtool.load.yamlread import parse

    schemas = kam(repo, "schema").json()
    for schema in schemas.values():
        jsonschema.Draft4Validator.check_schema(schema)

    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if hasattr(value, "isoformat") else value

    def errors(path: Path, kind: str) -> list[str]:
        data = plain(parse(path.read_text(encoding="utf-8")).data)
        return [e.message for e in jsonschema.Draft4Validator(schemas[kind]).iter_errors(data)]

    files = sorted((repo / "accounts").rglob("*.yaml"))
    assert len(files) == 6
    for path in files:
        assert errors(path, path.stem) == [], path
    assert errors(repo / "kam.yaml", "config") == []
    people = repo / "accounts" / "acme" / "stakeholders.yaml"
    for slip in ("attitude: 1\n", "channels: [calls, visits]\n", 'name: "Bob'):
        bad = {
            "attitude: 1\n": "attitude: high\n",
            "channels: [calls, visits]\n": "channels: calls\n",
            'name: "Bob': 'name: ["Bob',
        }[slip]
        text = ACME_PEOPLE.replace(slip, bad)
        if slip.startswith("name"):
            text = text.replace('Stone"\n', 'Stone"]\n')
        people.write_text(dedent(text), encoding="utf-8")
        refused = kam(repo, "validate", "acme", "--format", "json")
        assert [f["code"] for f in refused.json()["findings"]] == ["KAM002"], slip
        assert errors(people, "stakeholders"), slip


def test_shares_are_exact_and_the_80_20_verdict_follows_them(kam, tmp_path):
    """The portfolio rounded its shares to 4 places and its mean scores to 1 in the data
    (README: numbers are exact, the tables round): 79,996 of 100,000 in the focus tier was
    `focus_revenue_share: 0.8`, and the headline, reading that, said "hold 79% of revenue
    (the 80/20 rule holds)". Whitespace shares were rounded too (1 of 3 was 0.3333)."""
    (tmp_path / "kam.yaml").write_text("offerings:\n  - {id: mes, name: MES}\n", encoding="utf-8")
    for aid, grade, revenue, status in (
        ("big", 5, 79_996, "ours"),
        ("mid", 1, 10_000, "open"),
        ("small", 1, 10_004, "open"),
    ):
        _write(
            tmp_path / "accounts" / aid,
            {
                "account.yaml": f"""\
                    id: {aid}
                    name: {aid.title()} AG
                    owner: li.ming
                    reviewed: 2026-11-01
                    position: {grade}
                    value: {grade}
                    facts: {{revenue: {revenue}, currency: EUR}}
                    footprint:
                      - {{unit: hq, offering: mes, status: {status}}}
                    """,
                "org.yaml": "units:\n  - {id: hq, name: HQ, buying_center: true}\n",
                "stakeholders.yaml": ACME_PEOPLE.replace("last_contact: 2026-11-20", "")
                .replace("bob", "boss")
                .replace("attitude: 1", f"attitude: {1 if aid != 'mid' else 2}"),
            },
        )
    data = kam(tmp_path, "portfolio", "--format", "json").json()
    assert data["focus_revenue_share"] == 0.79996 and data["focus_revenue_percent"] == 79
    tiers = {t["tier"]: t for t in data["tiers"]}
    assert tiers["C"]["revenue_share"] == 20_004 / 100_000
    assert tiers["C"]["account_share"] == 2 / 3
    assert (
        tiers["C"]["mean_score"]
        == sum(
            a["score"]
            for a in kam(tmp_path, "grade", "--format", "json").json()["accounts"]
            if a["tier"] == "C"
        )
        / 2
    )
    headline = " ".join(kam(tmp_path, "portfolio").stdout.split())
    assert "hold 79% of revenue (below the 80% a focused portfolio shows)" in headline
    shares = kam(tmp_path, "whitespace", "--format", "json").json()["offerings"][0]["shares"]
    assert shares == {"ours": 1 / 3, "competitor": 0.0, "open": 2 / 3}


def test_the_findings_json_names_the_rules_turned_off(kam, repo):
    """With `KAM201: off` in kam.yaml, `kam stale` says under its table "Not checked (off
    in kam.yaml): KAM201 (...)", and the agenda's JSON has `off`; `kam stale --format
    json` was an empty list of findings and nothing else: a dashboard read "nothing is
    stale" of contacts nobody checked. check, validate and stale list the codes of their
    rules that kam.yaml turns off."""
    config = repo / "kam.yaml"
    config.write_text(
        CONFIG.replace('KAM108: "off"', 'KAM108: "off"\n  KAM201: "off"\n  KAM203: "off"'),
        encoding="utf-8",
    )
    stale = kam(repo, "stale", "--format", "json", env=TODAY).json()
    assert stale["off"] == ["KAM201", "KAM203"]
    assert not {"KAM201", "KAM203"} & {f["code"] for f in stale["findings"]}
    assert kam(repo, "check", "--format", "json", env=TODAY).json()["off"] == [
        "KAM108",
        "KAM201",
        "KAM203",
    ]
    assert kam(repo, "validate", "--format", "json", env=TODAY).json()["off"] == []
    text = " ".join(kam(repo, "stale", env=TODAY).stdout.split())
    assert "Not checked (off in kam.yaml): KAM201" in text
