"""The two rules the hand-writing and CRM trial added: KAM008, text a `` #`` cut off
(``notes: order #123 pending`` is the text "order"), and KAM121, one colleague's handle
written two ways in one account (``Li.Ming`` and ``li.ming`` are counted as two people).
Through the real CLI on real files."""

from __future__ import annotations

from conftest import write_account
from rulecheck import check

ACCOUNT = "id: t\nname: T\nowner: li.ming\nreviewed: 2026-10-01\nposition: 2\nvalue: 2\n"
PEOPLE = """\
stakeholders:
  - id: boss
    name: The Boss
    title: Plant manager #2 site
    roles: [D, C]   # decision maker and coach
    attitude: 2
    owner: li.ming          # our A role
    channels:
      - wechat #boss-88
      - phone # the mobile
    notes: |
      order #123 pending
  - id: amy
    name: Amy
    attitude: 1
    notes: order #123 pending
    crm_id: "PM #3"
    title: 'C# lead'
"""


def _codes(found, code):
    return [f for f in found if f[0] == code]


def test_kam008_finds_text_a_comment_cut_and_nothing_else(kam, tmp_path):
    got = check(kam, tmp_path, {"account.yaml": ACCOUNT, "stakeholders.yaml": PEOPLE})
    assert _codes(got, "KAM008") == [("KAM008", 4, 26), ("KAM008", 9, 16), ("KAM008", 16, 18)]
    r = kam(tmp_path, "check", "--format", "json", "--fail-on", "info")
    messages = {f["line"]: f["message"] for f in r.json()["findings"] if f["code"] == "KAM008"}
    assert messages[16] == (
        "notes reads 'order': ' #' starts a comment in YAML, and '#123 pending' is cut off; "
        'to keep it, put the whole value in quotes: notes: "order #123 pending" (a comment: '
        "write '# ' with a space)"
    )
    assert '- "wechat #boss-88"' in messages[9] and messages[9].startswith("channels #1 reads")
    # a warning: the account still grades, and check passes at its default level
    assert kam(tmp_path, "check").exit_code == 0


def test_kam008_is_fixed_by_quotes_or_a_space(kam, tmp_path):
    fixed = (
        PEOPLE.replace("Plant manager #2 site", '"Plant manager #2 site"')
        .replace("wechat #boss-88", "wechat # boss-88")
        .replace("notes: order #123 pending", 'notes: "order #123 pending"')
    )
    got = check(kam, tmp_path, {"account.yaml": ACCOUNT, "stakeholders.yaml": fixed})
    assert _codes(got, "KAM008") == [], got


def test_kam008_in_chinese_and_not_turned_off_by_kam_yaml(kam, tmp_path):
    (tmp_path / ".git").mkdir()
    write_account(
        tmp_path,
        "t",
        {"account.yaml": ACCOUNT, "stakeholders.yaml": PEOPLE.replace("#123", "#二楼")},
    )
    (tmp_path / "kam.yaml").write_text("rules:\n  KAM008: off\n", encoding="utf-8")
    r = kam(tmp_path, "--lang", "zh-CN", "check", "--format", "json")
    assert r.exit_code == 2, r.stdout + r.stderr  # a structural code: kam.yaml cannot change it
    (tmp_path / "kam.yaml").unlink()
    r = kam(tmp_path, "--lang", "zh-CN", "check", "--format", "json")
    found = [f for f in r.json()["findings"] if f["code"] == "KAM008"]
    assert any("“#二楼 pending”被截掉了" in f["message"] for f in found), found


def test_kam008_and_a_hash_in_a_flow_mapping(kam, tmp_path):
    """Inside braces the cut also breaks the syntax: KAM001 at the '#', said so."""
    got = check(
        kam,
        tmp_path,
        {
            "account.yaml": ACCOUNT,
            "stakeholders.yaml": "stakeholders:\n  - {id: a, name: Room 5 #2, attitude: 1}\n",
        },
    )
    assert got == [("KAM001", 2, 26)], got
    r = kam(tmp_path, "validate", "--format", "json")
    assert "' #' inside {...} starts a comment" in r.json()["findings"][0]["message"]


def test_kam121_one_handle_written_two_ways(kam, tmp_path):
    people = """\
        stakeholders:
          - id: boss
            name: The Boss
            attitude: 2
            owner: Li.Ming
            backup: wang fang
          - id: amy
            name: Amy
            attitude: 1
            owner: li.ming
            backup: wang.fang
        """
    log = """\
        entries:
          - {date: 2026-11-20, with: [amy], by: [LI.MING, ｗａｎｇ．ｆａｎｇ], summary: Lunch}
        """
    got = check(
        kam, tmp_path, {"account.yaml": ACCOUNT, "stakeholders.yaml": people, "log.yaml": log}
    )
    assert _codes(got, "KAM121") == [
        ("KAM121", 2, 42),
        ("KAM121", 2, 51),
        ("KAM121", 5, 12),
        ("KAM121", 6, 13),
    ], got
    r = kam(tmp_path, "check", "--format", "json", "--fail-on", "info")
    by_line = {
        (f["path"].rsplit("/", 1)[-1], f["line"], f["column"]): f
        for f in r.json()["findings"]
        if f["code"] == "KAM121"
    }
    boss = by_line[("stakeholders.yaml", 5, 12)]
    assert boss["message"] == (
        "'Li.Ming' is 'li.ming' (account.yaml:3) written another way: kam counts two "
        "colleagues, and `kam agenda --owner li.ming` misses this one; write 'li.ming' here"
    )
    assert boss["data"]["handle"] == "Li.Ming" and boss["data"]["meant"] == "li.ming"
    # the spelling to keep has no spaces (kam log --by takes no other)
    assert by_line[("stakeholders.yaml", 6, 13)]["data"]["meant"] == "wang.fang"
    zh = kam(tmp_path, "--lang", "zh-CN", "check", "--format", "json")
    assert any("是同一账号的不同写法" in f["message"] for f in zh.json()["findings"])


def test_kam121_distinct_handles_and_one_spelling_are_fine(kam, tmp_path):
    people = """\
        stakeholders:
          - {id: boss, name: The Boss, attitude: 2, owner: li.ming, backup: li.mingyu}
          - {id: amy, name: Amy, attitude: 1, owner: li.ming, backup: lim.ing2}
        """
    got = check(kam, tmp_path, {"account.yaml": ACCOUNT, "stakeholders.yaml": people})
    assert _codes(got, "KAM121") == [], got


def test_kam121_a_handle_typed_without_its_accents_is_the_same_colleague(kam, tmp_path):
    """`ayse.yilmaz` is `ayşe.yılmaz` typed on a keyboard without Turkish letters (and
    `lukasz` Łukasz's): one colleague, as `kam log --by` already said. Kana keep their
    marks (が is not か), and names in Chinese are compared as written."""
    account = "id: t\nname: T\nowner: ayşe.yılmaz\nreviewed: 2026-10-01\nposition: 2\nvalue: 2\n"
    people = """\
        stakeholders:
          - {id: boss, name: The Boss, attitude: 2, owner: ayse.yilmaz, backup: łukasz.nowak}
          - {id: amy, name: Amy, attitude: 1, owner: ayşe.yılmaz, backup: lukasz.nowak}
          - {id: ken, name: Ken, attitude: 1, owner: が.たろう, backup: か.たろう}
          - {id: wei, name: Wei, attitude: 1, owner: 王芳, backup: 汪芳}
        """
    got = check(kam, tmp_path, {"account.yaml": account, "stakeholders.yaml": people})
    # the spelling kept is the one `kam log --by` takes: ASCII, no spaces
    assert _codes(got, "KAM121") == [("KAM121", 3, 8), ("KAM121", 2, 73)], got


def test_kam_log_by_names_the_spelling_the_account_uses(kam, tmp_path):
    """The same folding as KAM121: `--by Li_Ming` is told the account's `li.ming`."""
    (tmp_path / ".git").mkdir()
    write_account(tmp_path, "t", {"account.yaml": ACCOUNT})
    r = kam(tmp_path, "log", "t", "boss", "--by", "Li_Ming", "-m", "Lunch")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "did you mean 'li.ming'?" in r.stderr, r.stderr
