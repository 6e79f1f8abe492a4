"""Defects users reported on 2026-12-05, each through the real CLI on real files: SARIF
rule help in the output language, the name a bad --today is told by, one Chinese term
for role S, advice on ids that fits what the id names, and init's bad arguments as
usage errors (exit 2)."""

from __future__ import annotations

from pathlib import Path

from conftest import write_account

ZH_YAML = "language: zh-CN\n"
DAY = {"KAM_TODAY": "2026-12-05"}


def _repo(tmp_path: Path, kam_yaml: str | None = ZH_YAML) -> Path:
    (tmp_path / ".git").mkdir(parents=True)
    write_account(tmp_path, "acme")
    if kam_yaml is not None:
        (tmp_path / "kam.yaml").write_text(kam_yaml, encoding="utf-8")
    return tmp_path


# ---------------------------------------------------------------- 1. SARIF rule help
def test_sarif_rule_help_is_in_the_output_language(kam, tmp_path):
    """Each rule's fullDescription and help said in English what `kam rules CODE` says in
    Chinese: a code-scanning alert showed a Chinese title over English paragraphs."""
    repo = _repo(tmp_path)
    sarif = kam(repo, "check", "--format", "sarif", env=DAY).json()
    catalogue = {r["code"]: r for r in kam(repo, "rules", "--format", "json").json()["rules"]}
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) == len(catalogue) > 20
    for rule in rules:
        ours = catalogue[rule["id"]]
        assert rule["shortDescription"]["text"] == ours["summary"]
        assert rule["fullDescription"]["text"] == ours["finds"]
        assert rule["help"]["text"] == f"为什么重要：{ours['why']}如何修正：{ours['fix']}"
        assert rule["help"]["markdown"] == (
            f"**为什么重要。** {ours['why']}\n\n**如何修正。** {ours['fix']}"
        )
        assert "Why it matters" not in str(rule) and "How to fix" not in str(rule)


def test_sarif_rule_help_in_english_is_unchanged(kam, tmp_path):
    repo = _repo(tmp_path, kam_yaml=None)
    sarif = kam(repo, "check", "--format", "sarif", env=DAY).json()
    catalogue = {r["code"]: r for r in kam(repo, "rules", "--format", "json").json()["rules"]}
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]:
        ours = catalogue[rule["id"]]
        assert rule["fullDescription"]["text"] == ours["finds"]
        assert rule["help"]["text"] == (
            f"Why it matters: {ours['why']} How to fix it: {ours['fix']}"
        )
        assert rule["help"]["markdown"] == (
            f"**Why it matters.** {ours['why']}\n\n**How to fix it.** {ours['fix']}"
        )


# ---------------------------------------------------------------- 2. a bad --today
def test_a_bad_today_option_is_named_as_typed(kam, tmp_path):
    """`--today 2026/12/05` was told as "today (--today) 必须是...": the option is named
    as the user typed it, in both languages, as --date is."""
    repo = _repo(tmp_path)
    r = kam(repo, "grade", "--today", "2026/12/05", env=DAY)
    assert r.exit_code == 2
    assert r.stderr == (
        "kam：错误：--today 必须是 YYYY-MM-DD 格式的日期，而不是“2026/12/05”：请写成 2026-12-05\n"
    ), r.stderr
    r = kam(repo, "--lang", "en", "grade", "--today", "2026/12/05", env=DAY)
    assert r.exit_code == 2
    assert r.stderr == (
        "kam: error: --today must be a date YYYY-MM-DD, not '2026/12/05': write 2026-12-05\n"
    ), r.stderr
    # before the command too, where it is passed on to the command
    r = kam(repo, "--today", "2026-02-30", "grade", env=DAY)
    assert r.exit_code == 2 and "--today：“2026-02-30”不是日历上存在的日期" in r.stderr, r.stderr
    r = kam(repo, "grade", "--today", "", env=DAY)
    assert r.exit_code == 2 and r.stderr.startswith("kam：错误：--today 为空"), r.stderr
    assert "today (" not in r.stderr


def test_a_bad_kam_today_is_named_by_the_variable(kam, tmp_path):
    repo = _repo(tmp_path)
    r = kam(repo, "grade", env={"KAM_TODAY": "2026/12/05"})
    assert r.exit_code == 2
    assert r.stderr == (
        "kam：错误：KAM_TODAY 必须是 YYYY-MM-DD 格式的日期，而不是“2026/12/05”：请写成 2026-12-05\n"
    ), r.stderr


# ---------------------------------------------------------------- 3. role S, one term
def test_role_s_has_one_chinese_term(kam, tmp_path):
    """Role S (sponsor/user, DOMAIN 5) was 发起人/使用者 in the message on roles written
    as a text and 支持者(/使用者) in the scaffold's comment and the map's legend: one
    English term is one Chinese word everywhere (README, 'Output language')."""
    repo = _repo(tmp_path)
    people = (repo / "accounts" / "acme" / "stakeholders.yaml").read_text(encoding="utf-8")
    (repo / "accounts" / "acme" / "stakeholders.yaml").write_text(
        people.replace("roles: [D, C]", "roles: D, C"), encoding="utf-8"
    )
    r = kam(repo, "validate", "--format", "json", env=DAY)
    messages = " ".join(f["message"] for f in r.json()["findings"])
    assert "S 支持者/使用者" in messages and "发起人" not in messages, messages
    assert kam(repo, "init", "huaxin", "--name", "华信", env=DAY).exit_code == 0
    scaffold = (repo / "accounts" / "huaxin" / "stakeholders.yaml").read_text(encoding="utf-8")
    assert "S 支持者/使用者" in scaffold, scaffold
    legend = kam(repo, "map", "huaxin", "--format", "tree", env=DAY).stdout
    assert "S 支持者" in legend, legend


def test_role_s_and_the_executive_sponsor_each_have_one_word_in_the_catalogue():
    """Every message naming role S says 支持者 for it, never 发起人; our executive sponsor
    of a person (the ``sponsor`` field) is 高层赞助人, never 高层支持人."""
    from babel.messages.pofile import read_po

    from conftest import REPO

    po = REPO / "src" / "kamtool" / "locale" / "zh_CN" / "LC_MESSAGES" / "kam.po"
    with po.open("rb") as f:
        catalogue = read_po(f)
    roles = 0
    for m in catalogue:
        english, chinese = str(m.id if isinstance(m.id, str) else m.id[0]), str(m.string)
        assert "发起人" not in chinese and "高层支持人" not in chinese, (english, chinese)
        if "S sponsor/user" in english:
            roles += 1
            assert "S 支持者/使用者" in chinese, (english, chinese)
        if "executive sponsor" in english:
            assert "高层赞助人" in chinese, (english, chinese)
    assert roles >= 2
