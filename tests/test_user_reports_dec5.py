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


# ---------------------------------------------------------------- 4. ids written in Chinese
ZH_ID_RULE = "不是有效的编号：请使用小写字母、数字、“.”、“_”和“-”，并以字母或数字开头"


def test_an_id_in_chinese_is_told_where_the_name_of_what_it_names_goes(kam, tmp_path):
    """Every id written in Chinese was told "中文姓名写在 name 下", a person's name: an
    account's name goes in account.yaml (or `kam init --name`), an offering's in kam.yaml
    `offerings`, a unit's in org.yaml; a person's stays as it was."""
    repo = _repo(tmp_path, ZH_YAML + "offerings:\n  - {id: peiwang, name: 配网自动化}\n")
    folder = repo / "accounts" / "acme"
    profile = (folder / "account.yaml").read_text(encoding="utf-8")
    profile = profile.replace("id: acme", "id: 华信") + (
        "footprint:\n  - {unit: hq, offering: 配网自动化, status: open}\n"
    )
    (folder / "account.yaml").write_text(profile, encoding="utf-8")
    (folder / "org.yaml").write_text("units:\n  - {id: 总部, name: 总部}\n", encoding="utf-8")
    people = (folder / "stakeholders.yaml").read_text(encoding="utf-8")
    (folder / "stakeholders.yaml").write_text(people.replace("id: boss", "id: 张伟"), "utf-8")
    r = kam(repo, "validate", "--format", "json", env=DAY)
    said = {f["message"].split("：", 1)[0]: f["message"] for f in r.json()["findings"]}
    assert said["id"].endswith(
        f"“华信”{ZH_ID_RULE}"
        "（客户 id 用拉丁字母书写，例如拼音 huaxin；中文客户名称写在 account.yaml 的 name 下）"
    ), said
    assert said["footprint #1.offering"].endswith(
        f"“配网自动化”{ZH_ID_RULE}（产品编号用拉丁字母书写，例如拼音 peiwang-zidonghua；"
        "中文产品名称写在 kam.yaml 的 offerings 中该产品的 name 下）"
    ), said
    unit = next(m for k, m in said.items() if k.startswith("units #1"))
    assert unit.endswith(
        "（部门编号用拉丁字母书写，例如拼音 caiwu-bu；中文部门名称写在 org.yaml 的 name 下）"
    )
    person = next(m for k, m in said.items() if k.startswith("stakeholders #1"))
    assert person.endswith("（编号用拉丁字母书写，例如拼音 zhang.wei；中文姓名写在 name 下）")
    assert sum("中文姓名" in m for m in said.values()) == 1, said


def test_an_offering_declared_in_chinese_in_kam_yaml_is_told_the_same(kam, tmp_path):
    repo = _repo(tmp_path, ZH_YAML + "offerings:\n  - {id: 配网自动化, name: 配网自动化}\n")
    r = kam(repo, "validate", env=DAY)
    assert r.exit_code == 2
    assert "中文产品名称写在 kam.yaml 的 offerings 中该产品的 name 下" in r.stdout + r.stderr
    assert "中文姓名" not in r.stdout + r.stderr


def test_init_of_an_id_in_chinese_is_told_to_give_the_name_with_name(kam, tmp_path):
    repo = _repo(tmp_path)
    r = kam(repo, "init", "华信", env=DAY)
    assert r.exit_code == 2
    assert r.stderr == (
        f"kam：错误：“华信”{ZH_ID_RULE.replace('编号', '客户 id')}"
        "（客户 id 用拉丁字母书写，例如拼音 huaxin；中文客户名称用 --name 给出）\n"
    ), r.stderr
    r = kam(repo, "--lang", "en", "init", "华信", env=DAY)
    assert r.stderr.endswith(
        "(an account id is written in latin letters, such as pinyin: huaxin; give the "
        "customer's name in Chinese with --name)\n"
    ), r.stderr
    assert not (repo / "accounts" / "华信").exists()
    # a folder named in Chinese is an account id too: its name goes in account.yaml
    write_account(repo, "重工")
    r = kam(repo, "check", "--format", "json", env=DAY)
    (folder,) = [f["message"] for f in r.json()["findings"] if f["code"] == "KAM006"]
    assert folder.endswith("中文客户名称写在 account.yaml 的 name 下）"), folder


# ---------------------------------------------------------------- 5. init's bad arguments
def test_bad_arguments_of_init_are_usage_errors(kam, tmp_path):
    """`kam init ""` exited 1 where every other command's empty account is a usage error
    (exit 2), `--owner ""` 1 where `--name ""` is 2, an invalid id 1: each is a bad
    argument, exit 2, one line, nothing written; the messages are as they were."""
    repo = _repo(tmp_path, kam_yaml=None)
    cases = [
        (["init", ""], "kam: error: '' is not a valid account id: use lowercase letters"),
        (["init", " "], "kam: error: ' ' is not a valid account id"),
        (["init", "Huaxin2"], "(did you mean 'huaxin2'?)"),
        (["init", "华信"], "give the customer's name in Chinese with --name)"),
        (["init", "x" * 101], "the account id is 101 characters long: at most 100"),
        (["init", "x1", "--owner", ""], "kam: error: --owner '' is not a handle"),
        (["init", "x1", "--owner", "li ming"], "(did you mean 'li.ming'?)"),
        (["init", "x1", "--name", ""], "kam: error: --name '' is blank"),
    ]
    for args, message in cases:
        r = kam(repo, *args, env=DAY)
        assert r.exit_code == 2, (args, r.exit_code, r.stderr)
        assert message in r.stderr, (args, r.stderr)
        assert r.stderr.count("\n") == 1, (args, r.stderr)
    assert sorted(p.name for p in (repo / "accounts").iterdir()) == ["acme"]
    # a refusal that is no bad argument keeps exit 1: the folder exists
    assert kam(repo, "init", "acme", env=DAY).exit_code == 1


def test_a_by_that_is_no_handle_is_a_usage_error_as_a_bad_date_is(kam, tmp_path):
    repo = _repo(tmp_path, kam_yaml=None)
    r = kam(repo, "log", "acme", "boss", "--by", "li ming", "-m", "met", env=DAY)
    assert r.exit_code == 2 and "--by 'li ming' is not a handle" in r.stderr, r.stderr
    assert "(did you mean 'li.ming'?)" in r.stderr
    assert kam(repo, "log", "acme", "boss", "--date", "x", env=DAY).exit_code == 2
    assert not (repo / "accounts" / "acme" / "log.yaml").exists()
