"""Defects found trying kam as a new user on a medtech portfolio unlike the examples
(hospital groups, German, Chinese, Japanese and Korean names, a nested accounts folder)."""

from __future__ import annotations

import subprocess

from conftest import dedent, write_account


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _medtech_repo(root):
    """A git repository whose accounts live in a nested folder named by kam.yaml."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    (root / "kam.yaml").write_text("accounts: data/kunden\n", encoding="utf-8")
    folder = write_account(root / "data" / "x", "klinikum")
    (root / "data" / "kunden").mkdir(parents=True)
    folder.rename(root / "data" / "kunden" / "klinikum")
    (root / "data" / "x" / "accounts").rmdir()
    (root / "data" / "x").rmdir()
    return root


def test_output_file_outside_any_repository_is_written(kam, tmp_path):
    """`-o` to a folder in no repository (a calendar in the home folder) was refused as
    'leads outside the repository through a symbolic link', which it did not."""
    repo = _medtech_repo(tmp_path / "repo")
    outside = tmp_path / "calendars"
    outside.mkdir()
    r = kam(repo, "agenda", "--format", "ics", "-o", str(outside / "team.ics"))
    assert "symbolic link" not in r.stderr, r.stderr
    assert (outside / "team.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    # a folder that does not exist yet, outside any repository, is created
    r = kam(repo, "plan", "klinikum", "-o", str(tmp_path / "plans" / "2027" / "k.md"))
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "plans" / "2027" / "k.md").is_file()


def test_output_through_a_symlink_out_of_the_repository_is_still_refused(kam, tmp_path):
    repo = _medtech_repo(tmp_path / "repo")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (repo / "out").symlink_to(outside, target_is_directory=True)
    r = kam(repo, "agenda", "--format", "ics", "-o", "out/team.ics")
    assert r.exit_code == 1
    assert "outside the repository through a symbolic link" in r.stderr
    assert not (outside / "team.ics").exists()


UNIT_CYCLE = """\
units:
  - {id: leitung, name: Klinikleitung, parent: verwaltung}
  - {id: verwaltung, name: Verwaltung, parent: leitung}
"""


def test_unit_cycle_speaks_of_units_in_both_languages(kam, tmp_path):
    """KAM005 on org.yaml said "unit parents" inside the Chinese message and told the
    user that "somebody at the top reports to nobody", which is about people."""
    write_account(tmp_path, "klinik", {"org.yaml": UNIT_CYCLE})
    r = kam(tmp_path, "check", "--format", "json")
    (f,) = [f for f in r.json()["findings"] if f["code"] == "KAM005"]
    assert (f["line"], f["message"]) == (
        2,
        "cycle in unit parents: leitung -> verwaltung -> leitung",
    )
    assert "unit" in f["hint"] and "reports to" not in f["hint"]
    r = kam(tmp_path, "check", "--format", "json", "--lang", "zh-CN")
    (f,) = [f for f in r.json()["findings"] if f["code"] == "KAM005"]
    assert f["message"] == "部门上下级关系中存在循环：leitung -> verwaltung -> leitung"
    assert "部门" in f["hint"] and "汇报" not in f["hint"]


def test_reporting_cycle_is_translated(kam, tmp_path):
    people = dedent(
        """\
        stakeholders:
          - {id: zhang-wei, name: 张伟, reports_to: li-na, attitude: 1}
          - {id: li-na, name: 李娜, reports_to: zhang-wei, attitude: "?"}
        """
    )
    write_account(tmp_path, "ruijin", {"stakeholders.yaml": people})
    r = kam(tmp_path, "validate", "--lang", "zh-CN")
    assert r.exit_code == 1
    assert "汇报关系中存在循环：zhang-wei -> li-na -> zhang-wei" in r.stdout
    assert "reporting" not in r.stdout


RUIJIN_ACCOUNT = """\
id: ruijin
name: 上海交通大学医学院附属瑞金医院
owner: li.na
reviewed: 2026-10-01
position: 5
value: 3
"""

RUIJIN_PEOPLE = """\
stakeholders:
  - id: chen-yuanzhang
    name: 陈建国
    title: 院长
    roles: [D]
    attitude: "?"
    owner: li.na
    channels: []
"""


def _cells(line: str) -> int:
    from rich.cells import cell_len

    return cell_len(line)


def test_chinese_findings_wrap_between_characters_not_only_at_spaces(kam, tmp_path):
    """At 80 columns a Chinese finding broke at its last space ("KAM110 A" alone on a
    line, the sentence below): Chinese has no spaces, a line may break between
    characters, as the diff and the rule pages already do."""
    write_account(
        tmp_path, "ruijin", {"account.yaml": RUIJIN_ACCOUNT, "stakeholders.yaml": RUIJIN_PEOPLE}
    )
    for command in (["check"], ["grade", "ruijin"]):
        r = kam(tmp_path, *command, "--lang", "zh-CN", env={"COLUMNS": "80"})
        lines = r.stdout.splitlines()
        assert all(_cells(line) <= 80 for line in lines), r.stdout
        (first,) = [line for line in lines if "KAM110" in line]
        # the sentence starts on the finding's own line and fills it
        assert "级客户没有任何" in first and _cells(first) >= 76, r.stdout


def test_broken_account_on_stderr_fits_the_terminal(kam, tmp_path):
    """The findings of an account that did not load go to stderr; they were printed one
    line each even in an 80-column terminal, so the terminal cut them mid-word."""
    write_account(tmp_path, "klinik", {"org.yaml": UNIT_CYCLE})
    write_account(tmp_path, "ruijin")
    for lang in ("en", "zh-CN"):
        r = kam(tmp_path, "grade", "--lang", lang, env={"COLUMNS": "60"})
        assert r.exit_code == 1
        err = r.stderr.splitlines()
        assert len(err) >= 4 and all(_cells(line) <= 60 for line in err), r.stderr
        assert err[1].startswith("    ") and "KAM005" in err[0]
    # into a file or a pipe, one line per finding as before
    r = kam(tmp_path, "grade")
    assert "accounts/klinik/org.yaml:2:" in r.stderr
    assert any("leitung -> verwaltung -> leitung (error)" in line for line in r.stderr.splitlines())


USZ_PEOPLE = """\
stakeholders:
  - id: regula-bosshard
    name: Regula Bosshard-Nüesch
    roles: [D]
    attitude: 0
    owner: juergen.weiss
  - id: wang-lei
    name: 王磊 (Wang Lei)
    attitude: 3
  - id: beat-zuercher
    name: Beat Zürcher
    attitude: -2
"""


def test_part_of_a_name_or_id_gets_a_did_you_mean(kam, tmp_path):
    """`kam log usz regula` said only "no stakeholder 'regula'": difflib finds nothing
    close to a first name, but one person's id or name contains it."""
    write_account(tmp_path, "klinikum-nuernberg", {"stakeholders.yaml": USZ_PEOPLE})
    cases = [
        (["log", "klinikum-nuernberg", "regula"], "did you mean 'regula-bosshard'?"),
        (["log", "klinikum-nuernberg", "王"], "did you mean 'wang-lei'?"),
        (["touch", "klinikum-nuernberg", "Zürcher"], "did you mean 'Beat Zürcher'?"),
        (["plan", "nuernberg"], "no account 'nuernberg'; did you mean 'klinikum-nuernberg'?"),
    ]
    for args, message in cases:
        r = kam(tmp_path, *args)
        assert r.exit_code == 1 and message in r.stderr, (args, r.stderr)
    # a part that several people share suggests nobody
    r = kam(tmp_path, "log", "klinikum-nuernberg", "e")
    assert r.exit_code == 1 and "did you mean" not in r.stderr


def test_touch_refuses_a_contact_after_the_person_left(kam, tmp_path):
    """`kam log` refuses a contact with someone who had left by then; `kam touch` wrote
    the date anyway (Beat Zürcher left on 2026-11-20 and got last_contact 2026-11-24)."""
    people = USZ_PEOPLE.replace("    attitude: -2\n", "    attitude: -2\n    left_on: 2026-11-20\n")
    folder = write_account(tmp_path, "usz", {"stakeholders.yaml": people})
    before = (folder / "stakeholders.yaml").read_bytes()
    r = kam(tmp_path, "touch", "usz", "Beat Zürcher")
    assert r.exit_code == 1
    assert "left on 2026-11-20: a contact on 2026-11-24 cannot be recorded" in r.stderr
    r = kam(tmp_path, "touch", "usz", "beat-zuercher", "--lang", "zh-CN")
    assert r.exit_code == 1 and "已于 2026-11-20 离开" in r.stderr
    assert (folder / "stakeholders.yaml").read_bytes() == before
    # a contact before they left, and a review of the entry, are fine
    r = kam(tmp_path, "touch", "usz", "beat-zuercher", "--contact", "2026-11-19")
    assert r.exit_code == 0, r.stderr
    r = kam(tmp_path, "touch", "usz", "beat-zuercher", "--reviewed", "today")
    assert r.exit_code == 0, r.stderr
    text = (folder / "stakeholders.yaml").read_text(encoding="utf-8")
    assert "last_contact: 2026-11-19" in text and "reviewed: 2026-11-24" in text


def test_refusals_of_the_writing_commands_are_in_the_output_language(kam, tmp_path):
    """With --lang zh-CN, `kam touch`, `log` and `init` refused in English ("is read-only:
    not changed", "cannot be changed safely", "--kind must be one of")."""
    people = USZ_PEOPLE.replace("    attitude: -2\n", "    attitude: -2\n    left_on: 2026-11-20\n")
    folder = write_account(tmp_path, "usz", {"stakeholders.yaml": people})
    write_account(tmp_path, "klinik", {"org.yaml": UNIT_CYCLE})
    (tmp_path / "accounts" / "neu").write_text("", encoding="utf-8")
    target = folder / "stakeholders.yaml"
    target.chmod(0o444)
    try:
        cases = [
            (["touch", "usz", "regula-bosshard"], "usz/stakeholders.yaml 是只读文件：未修改"),
            (["log", "usz", "regula-bosshard", "--date", "2026-12-24"], "日期 2026-12-24 在未来"),
            (["log", "usz", "beat-zuercher"], "已于 2026-11-20 离开：无法记录 2026-11-24"),
            (["log", "usz", "regula-bosshard", "--kind", "meting"], "--kind 必须是"),
            (["log", "usz", "regula-bosshard", "--by", "li na"], "不是有效的人员代号"),
            (["log", "klinik", "boss"], "客户“klinik”无法安全修改：其文件有错误"),
            (
                ["init", "usz"],
                "已经是一个客户（已有 account.yaml 和 stakeholders.yaml）：未写入任何内容",
            ),
            (["init", "neu"], "已存在且不是文件夹"),
            (["init", "Bad_Id"], "“Bad_Id”不是有效的客户 id"),
        ]
        for args, message in cases:
            r = kam(tmp_path, *args, "--lang", "zh-CN")
            assert r.exit_code in (1, 2) and message in r.stderr, (args, r.stderr)
            assert "nothing written" not in r.stderr and "must be one of" not in r.stderr
        # English stays the source
        r = kam(tmp_path, "touch", "usz", "regula-bosshard")
        assert "stakeholders.yaml is read-only: not changed" in r.stderr
    finally:
        target.chmod(0o644)


def test_person_history_says_what_changed_for_that_person(kam, tmp_path):
    """`kam history ACCOUNT PERSON` showed the account's change on every row ("score
    62 → 52; 3 changes...") and cut the owner's handle to "juergen.w…" at 80 columns."""
    folder = write_account(tmp_path, "klinikum", {"stakeholders.yaml": USZ_PEOPLE})
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "t@example.com")
    git(tmp_path, "config", "user.name", "t")

    def commit(message, date):
        git(tmp_path, "add", "-A")
        env_date = f"{date}T10:00:00"
        subprocess.run(
            ["git", "commit", "-qm", message],
            cwd=tmp_path,
            check=True,
            env={
                **__import__("os").environ,
                "GIT_AUTHOR_DATE": env_date,
                "GIT_COMMITTER_DATE": env_date,
            },
        )

    commit("start", "2026-11-01")
    path = folder / "stakeholders.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("    attitude: 3\n", "    attitude: 1\n"),
        encoding="utf-8",
    )
    commit("Wang Lei cooled", "2026-11-10")
    path.write_text(
        path.read_text(encoding="utf-8").replace("    attitude: -2\n", "    attitude: -1\n"),
        encoding="utf-8",
    )
    commit("Beat warmed", "2026-11-20")
    r = kam(tmp_path, "history", "klinikum", "regula-bosshard", env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.stderr
    assert "juergen.we" in r.stdout and "…" not in r.stdout  # folded, not cut
    doc = kam(tmp_path, "history", "klinikum", "wang-lei", "--format", "json").json()
    changes = [rev["person_change"] for rev in doc["accounts"][0]["revisions"]]
    assert changes[1] == "attitude +3 → +1 ▼"
    assert changes[2] == "no change to this person"
    md = kam(tmp_path, "history", "klinikum", "wang-lei", "--format", "markdown").stdout
    assert "| attitude +3 → +1 ▼ |" in md and "| no change to this person |" in md
    zh = kam(tmp_path, "history", "klinikum", "wang-lei", "--lang", "zh-CN").stdout
    assert "此人无变化" in zh


def test_every_rule_page_fits_80_columns(kam, tmp_path):
    """`kam rules KAM117` began with a 90-column title line in an 80-column terminal."""
    write_account(tmp_path, "klinikum")
    codes = [r["code"] for r in kam(tmp_path, "rules", "--format", "json").json()["rules"]]
    assert "KAM117" in codes
    for code in codes:
        for lang in ("en", "zh-CN"):
            r = kam(tmp_path, "rules", code, "--lang", lang, env={"COLUMNS": "80"})
            wide = [line for line in r.stdout.splitlines() if _cells(line) > 80]
            assert not wide, (code, lang, wide)


KLINIKUM_ORG = """\
units:
  - {id: radiologie, name: Institut für Radiologie, buying_center: true}
"""

KLINIKUM_FOOTPRINT = """\
footprint:
  - {unit: radiologie, offering: mri, status: ours}
"""


def test_whitespace_table_legend_in_chinese_and_broken_accounts_like_elsewhere(kam, tmp_path):
    """The table's legend stayed English under --lang zh-CN (markdown had it translated);
    an account that did not load was printed without severity or hint, unwrapped."""
    account = "id: klinikum\nname: Klinikum\nowner: li.na\nreviewed: 2026-10-01\n"
    account += "position: 4\nvalue: 4\n" + KLINIKUM_FOOTPRINT
    write_account(tmp_path, "klinikum", {"account.yaml": account, "org.yaml": KLINIKUM_ORG})
    write_account(tmp_path, "klinik", {"org.yaml": UNIT_CYCLE})
    r = kam(tmp_path, "whitespace", "--lang", "zh-CN", env={"COLUMNS": "80"})
    assert r.exit_code == 1
    assert "向我们采购" in r.stdout and "they buy it from us" not in r.stdout
    assert "（错误）" in r.stderr and "建议：" in r.stderr
    assert all(_cells(line) <= 80 for line in r.stderr.splitlines()), r.stderr


def test_kam_yaml_problems_are_in_the_output_language(kam, tmp_path):
    """kam.yaml's own cross-field problems ("unknown rule code", "not a defined tier") and
    the closing "invalid configuration" stayed English under --lang zh-CN."""
    write_account(tmp_path, "klinikum")
    (tmp_path / "kam.yaml").write_text(
        "focus_tiers: [S, X]\nrules:\n  KAM1088: off\n  KAM001: warning\n",
        encoding="utf-8",
    )
    r = kam(tmp_path, "grade", "--lang", "zh-CN")
    assert r.exit_code == 2
    for text in (
        "重点级别“X”不是已定义的级别",
        "未知的规则代码“KAM1088”（您是指“KAM108”吗？）",
        "KAM001 报告的是损坏的文件",
        "配置无效",
    ):
        assert text in r.stderr, (text, r.stderr)
    r = kam(tmp_path, "grade")
    assert "unknown rule code 'KAM1088' (did you mean 'KAM108'?)" in r.stderr
    assert "invalid configuration" in r.stderr


def test_yaml_slips_are_named_in_chinese_too(kam, tmp_path):
    """Under --lang zh-CN the slip `attitude: ?` was explained in English, and a tab was
    not recognised as the slip at all (its libyaml words were already translated)."""
    bare = "stakeholders:\n  - id: sato\n    name: 佐藤 浩\n    attitude: ?\n"
    tab = "stakeholders:\n  - id: sato\n    name: 佐藤 浩\n\tattitude: 1\n"
    write_account(tmp_path, "keio", {"stakeholders.yaml": bare})
    write_account(tmp_path, "asan", {"stakeholders.yaml": tab})
    r = kam(tmp_path, "validate", "--format", "json", "--lang", "zh-CN")
    found = {f["path"].split("/")[1]: f for f in r.json()["findings"]}
    assert (found["keio"]["line"], found["keio"]["column"]) == (4, 15)
    assert found["keio"]["message"].startswith('attitude: ? 必须加引号：请写成 attitude: "?"')
    assert (found["asan"]["line"], found["asan"]["column"]) == (4, 1)
    assert found["asan"]["message"] == "制表符：YAML 只能用空格缩进；请把制表符换成空格"
    r = kam(tmp_path, "validate", "--format", "json")
    messages = sorted(f["message"] for f in r.json()["findings"])
    assert messages[0].startswith("a tab character") and "must be quoted" in messages[1]


def test_diff_does_not_list_people_of_a_file_that_stopped_parsing(kam, tmp_path):
    """A slip (`attitude: ?` unquoted) that made stakeholders.yaml unreadable showed
    every person as removed ("▼ removed"), and fixing it showed them all added."""
    people = "stakeholders:\n  - id: sato\n    name: 佐藤 浩\n    roles: [D]\n    attitude: 1\n"
    folder = write_account(tmp_path, "keio", {"stakeholders.yaml": people})
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "t@example.com")
    git(tmp_path, "config", "user.name", "t")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "start")
    (folder / "stakeholders.yaml").write_text(
        people.replace("attitude: 1", "attitude: ?"), encoding="utf-8"
    )
    doc = kam(tmp_path, "diff", "--format", "json").json()
    (acct,) = doc["accounts"]
    assert acct["stopped_loading"] is True
    # the account does not load, and one line says which file and that it is not compared
    assert [c["kind"] for c in acct["changes"]] == ["invalid", "unreadable"]
    assert [f["code"] for f in acct["new_findings"]] == ["KAM001"]
    git(tmp_path, "commit", "-qam", "slip")
    (folder / "stakeholders.yaml").write_text(people, encoding="utf-8")
    doc = kam(tmp_path, "diff", "--format", "json").json()
    (acct,) = doc["accounts"]
    assert [c["kind"] for c in acct["changes"]] == ["valid", "unreadable"]
    assert not any(c["kind"] == "person-added" for c in acct["changes"])
    # it was not graded before: its score now, never "unchanged"
    text = kam(tmp_path, "diff").stdout
    assert "(keio): the account loads again, score " in text and "unchanged)" not in text


def test_import_counts_its_problems_in_words(kam, tmp_path):
    """One bad manager id said "1 problem(s) in ...": singular and plural as words."""
    write_account(tmp_path, "klinikum")
    csv = tmp_path / "kontakte.csv"
    csv.write_bytes(
        "\ufeffId;FirstName;LastName;Title;ReportsToId\r\n"
        "003A1;Käthe;Müller;Leiterin Einkauf;003A9\r\n".encode()
    )
    r = kam(tmp_path, "import", "csv", str(csv), "--account", "klinikum")
    assert r.exit_code == 1 and "1 problem in kontakte.csv: nothing imported" in r.stderr


def test_init_aligns_the_owner_comment_whatever_the_handle(kam, tmp_path):
    """`kam init --owner juergen.weiss` pushed "# our account manager" four columns to
    the right of every other comment in account.yaml."""
    (tmp_path / "accounts").mkdir()
    r = kam(tmp_path, "init", "klinikum", "--owner", "juergen.weiss")
    assert r.exit_code == 0, r.stderr
    folder = tmp_path / "accounts" / "klinikum"
    for name, owner_line in (("account.yaml", "owner:"), ("stakeholders.yaml", "    owner:")):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        columns = {
            line.index(" # ") + 1
            for line in lines
            if " # " in line and not line.lstrip().startswith("#")
        }
        assert len(columns) == 1, (name, lines)
        assert any(line.startswith(owner_line + " juergen.weiss ") for line in lines)
    assert kam(tmp_path, "validate").exit_code == 0


def test_an_account_name_that_is_a_file_says_so(kam, tmp_path):
    """A file `accounts/neu` (an account folder someone replaced with a file) gave
    "no account 'neu' (accounts: ...)", as if the name were mistyped."""
    write_account(tmp_path, "klinikum")
    (tmp_path / "accounts" / "neu").write_text("", encoding="utf-8")
    for args in (
        ["grade", "neu"],
        ["plan", "neu"],
        ["log", "neu", "boss"],
        ["touch", "neu", "boss"],
    ):
        r = kam(tmp_path, *args)
        assert r.exit_code == 1, (args, r.stderr)
        assert "accounts/neu is not an account folder: it is a file" in r.stderr, (args, r.stderr)
    r = kam(tmp_path, "grade", "neu", "--lang", "zh-CN")
    assert "accounts/neu 不是客户文件夹" in r.stderr
    # from inside the accounts folder the name is a path, and says the same kind of thing
    r = kam(tmp_path / "accounts", "grade", "neu")
    assert r.exit_code in (1, 2) and "neu" in r.stderr and "Traceback" not in r.stderr


def test_history_helps_with_a_mistyped_account_or_person(kam, tmp_path):
    """`kam history klinikum` and `kam history ACCOUNT "Stefan Gross"` said only "no
    account / no person ... in the history", where every other command says "did you
    mean"; and the start of an id names that account, not a close spelling of another."""
    people = "stakeholders:\n  - {id: stefan-gross, name: Stefan Groß, attitude: 1}\n"
    write_account(tmp_path, "klinikum-nuernberg", {"stakeholders.yaml": people})
    write_account(tmp_path, "klinik-am-see")
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "t@example.com")
    git(tmp_path, "config", "user.name", "t")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "start")
    cases = [
        (["history", "klinikum"], "did you mean 'klinikum-nuernberg'?"),
        (["grade", "klinikum"], "did you mean 'klinikum-nuernberg'?"),
        (["history", "klinikum-nuernberg", "Stefen Gross"], "did you mean 'Stefan Groß'?"),
        (["history", "klinikum-nuernberg", "stefan"], "did you mean 'stefan-gross'?"),
    ]
    for args, message in cases:
        r = kam(tmp_path, *args)
        assert r.exit_code == 1 and message in r.stderr, (args, r.stderr)
    # "Stefan Gross" is Stefan Groß typed without the ß, for history as for kam log
    assert kam(tmp_path, "history", "klinikum-nuernberg", "Stefan Gross").exit_code == 0


def test_a_folder_of_accounts_inside_the_accounts_folder_says_so(kam, tmp_path):
    """A region folder (accounts/apac/keio) was two "required file missing" findings that
    sent the user to create account files in apac: now one finding names what is there."""
    write_account(tmp_path, "acme")
    write_account(tmp_path, "apac/keio")  # accounts/apac/keio: an account folder in apac
    write_account(tmp_path, "apac/kyoto")
    r = kam(tmp_path, "check", "--format", "json")
    found = [f for f in r.json()["findings"] if f["account"] == "apac"]
    assert len(found) == 1 and found[0]["code"] == "KAM006"
    assert "holds 2 account folders (keio, kyoto)" in found[0]["message"]
    assert "one level" in found[0]["hint"] and r.exit_code == 1
    # a folder with neither account files nor account folders stays "files missing"
    (tmp_path / "accounts" / "empty").mkdir()
    codes = [
        f["message"]
        for f in kam(tmp_path, "check", "--format", "json").json()["findings"]
        if f["account"] == "empty"
    ]
    assert codes and all("required file" in m for m in codes)


def test_global_options_before_the_command_name(kam, tmp_path):
    """SPEC 5 calls --config, --today, --format and --no-color global; `kam --today D grade`
    said 'No such option: --today'. Before the command's name they are passed on to it."""
    write_account(tmp_path, "acme")
    (tmp_path / "strict.yaml").write_text("language: en\n")
    after = kam(
        tmp_path, "grade", "--today", "2026-12-01", "--config", "strict.yaml", "--format", "json"
    )
    before = kam(tmp_path, "--today", "2026-12-01", "--config=strict.yaml", "-f", "json", "grade")
    assert after.exit_code == before.exit_code == 0
    assert before.stdout == after.stdout and '"today": "2026-12-01"' in before.stdout
    both = kam(tmp_path, "--no-color", "--lang", "zh-CN", "--today", "2026-12-01", "check")
    assert both.exit_code == 0 and "个客户" in both.stdout
    # a group's command (import csv) takes them too
    (tmp_path / "c.csv").write_text("Contact ID,First Name,Last Name,Title\n1,Ada,Byron,CTO\n")
    r = kam(
        tmp_path,
        "--today",
        "2026-12-01",
        "import",
        "csv",
        "c.csv",
        "--account",
        "acme",
        "--dry-run",
    )
    assert r.exit_code == 0, r.stderr
    assert ": 1 contact; 1 new" in r.stdout  # one contact, not '1 contacts'
    # a command that does not take the option refuses it as it would after its name
    r = kam(tmp_path, "--today", "2026-12-01", "schema")
    assert r.exit_code == 2 and "--today" in r.stderr


def test_examples_before_the_command_name(kam, tmp_path):
    """The README lists --examples among the common options that may come before the
    command's name; `kam --examples grade` said 'No such option: --examples'."""
    write_account(tmp_path, "acme")  # a repository of its own: --examples must not read it
    before = kam(tmp_path, "--examples", "--today", "2026-11-24", "grade", "--format", "json")
    after = kam(tmp_path, "grade", "--examples", "--today", "2026-11-24", "--format", "json")
    assert before.exit_code == after.exit_code == 0, before.stderr
    assert before.stdout == after.stdout
    ids = [a["id"] for a in before.json()["accounts"]]
    assert "nordtel" in ids and "acme" not in ids
    # a command without --examples refuses it, as after its name
    r = kam(tmp_path, "--examples", "diff")
    assert r.exit_code == 2 and "--examples" in r.stderr
