"""An account folder whose name is not a valid id (``BigCo``, ``Big Co``): naming it loads
it, so every command shows its KAM006 finding and exits 1, and no hint suggests back
the very name typed."""

from __future__ import annotations

import pytest

from conftest import write_account

PROFILE = (
    "id: bigco\nname: Big Co 大公司\nowner: li.ming\nreviewed: 2026-11-01\nposition: 4\nvalue: 4\n"
)
PEOPLE = "stakeholders:\n  - {id: wu, name: Wu Lei, attitude: 1}\n"


@pytest.fixture
def repo(tmp_path):
    for name in ("BigCo", "Big Co"):
        write_account(tmp_path, name, {"account.yaml": PROFILE, "stakeholders.yaml": PEOPLE})
    write_account(tmp_path, "fine-gmbh")
    return tmp_path


COMMANDS = [
    ["touch", "{a}", "wu", "--contact", "2026-11-20"],
    ["log", "{a}", "wu", "-m", "called about the renewal"],
    ["plan", "{a}"],
    ["map", "{a}"],
    ["grade", "{a}"],
    ["check", "{a}"],
    ["validate", "{a}"],
    ["stale", "{a}"],
    ["whitespace", "{a}"],
]


@pytest.mark.parametrize("name", ["BigCo", "Big Co"])
@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_every_command_shows_the_folder_name_finding(kam, repo, name, command):
    before = (repo / "accounts" / name / "stakeholders.yaml").read_bytes()
    r = kam(repo, *[part.format(a=name) for part in command])
    assert r.exit_code == 1, r.stdout + r.stderr
    out = r.stdout + r.stderr
    assert f"KAM006 folder name '{name}' is not a valid account id" in out
    assert "did you mean" not in out
    assert "no such file or folder" not in out
    assert (repo / "accounts" / name / "stakeholders.yaml").read_bytes() == before
    assert not (repo / "accounts" / name / "log.yaml").exists()
    if "(kam validate " in r.stderr:  # the command to run next, as a shell reads it
        assert ("kam validate 'Big Co'" if " " in name else "kam validate BigCo") in r.stderr


@pytest.mark.parametrize("command", [["plan"], ["grade"], ["touch", "--contact", "2026-11-20"]])
def test_an_unknown_plain_name_is_not_found_alike(kam, repo, command):
    """A name that is no folder: 'no account', exit 1, for commands of one account and of
    many alike; the hint is a close folder, never the name itself."""
    args = [command[0], "BigC", *(["wu"] if command[0] == "touch" else []), *command[1:]]
    r = kam(repo, *args)
    assert r.exit_code == 1, r.stderr
    assert r.stderr.strip() == "kam: error: no account 'BigC'; did you mean 'BigCo'?"
    r = kam(repo, "grade", "Nope Co")
    assert r.exit_code == 1
    assert r.stderr.strip().startswith("kam: error: no account 'Nope Co'")


def test_a_path_that_does_not_exist_stays_a_usage_error(kam, repo):
    r = kam(repo, "grade", "accounts/Nope Co")
    assert r.exit_code == 2
    assert "no such file or folder: accounts/Nope Co" in r.stderr


def test_the_folder_finding_says_what_to_name_the_folder(kam, tmp_path):
    """`accounts/华信/` gave "folder name '华信' is not a valid account id" with the hint
    "make `id` equal the folder name", and a second error "id 'huaxin' differs from the
    folder name '华信'" with the same hint: both pointed at writing 华信 into `id`, which
    is no id either. Now one finding says what to name the folder: the id account.yaml
    gives when it is one, else an id in latin letters."""
    profile = PROFILE.replace("id: bigco", "id: huaxin")
    write_account(tmp_path, "华信", {"account.yaml": profile, "stakeholders.yaml": PEOPLE})
    nameless = PROFILE.replace("id: bigco", "id: 华信重工")
    write_account(tmp_path, "重工", {"account.yaml": nameless, "stakeholders.yaml": PEOPLE})
    r = kam(tmp_path, "validate")
    assert r.exit_code == 1
    out = r.stdout
    assert "folder name '华信' is not a valid account id (its account.yaml has id 'huaxin'" in out
    assert (
        "folder name '重工' is not a valid account id (an account id is written in latin letters"
        in out
    )
    assert "differs from the folder name" not in out
    assert "make `id` equal the folder name" not in out.lower()
    assert out.count("hint: Rename the folder to a valid id") == 2
    zh = kam(tmp_path, "validate", "--lang", "zh-CN").stdout
    assert "其 account.yaml 的 id 为“huaxin”" in zh and "把文件夹改名为有效的 id" in zh


def test_an_id_with_accents_is_told_the_id_without_them(kam, tmp_path):
    """`kam init josé` and `id: Müller` in a file: the message names the id to write
    (jose, muller), as it does for capitals and spaces."""
    (tmp_path / "accounts").mkdir()
    r = kam(tmp_path, "init", "josé")
    assert r.exit_code != 0 and "(did you mean 'jose'?)" in r.stderr, r.stderr
    r = kam(tmp_path, "init", "Müller Straße GmbH")
    assert "(did you mean 'muller-strasse-gmbh'?)" in r.stderr, r.stderr
    assert not any((tmp_path / "accounts").iterdir())
    write_account(tmp_path, "acme")
    people = (tmp_path / "accounts/acme/stakeholders.yaml").read_text()
    first_id = people.split("id: ", 1)[1].split("\n", 1)[0]
    (tmp_path / "accounts/acme/stakeholders.yaml").write_text(
        people.replace(f"id: {first_id}", "id: Ana.Müller", 1)
    )
    messages = [
        f["message"] for f in kam(tmp_path, "validate", "--format", "json").json()["findings"]
    ]
    assert any("(did you mean 'ana.muller'?)" in m for m in messages), messages


def test_a_missing_file_in_a_folder_named_in_chinese_suggests_no_refused_init(kam, tmp_path):
    """The hint of a required file missing in `accounts/华信` said "`kam init '华信'`
    writes both", a command kam refuses (an id is written in latin letters): the
    folder's own finding says to rename it, and the hint keeps `kam init ID`."""
    (tmp_path / "accounts" / "华信").mkdir(parents=True)
    write_account(tmp_path, "ok")
    r = kam(tmp_path, "validate")
    assert "`kam init ID` writes both" in r.stdout, r.stdout
    assert "kam init '华信'" not in r.stdout
    assert kam(tmp_path, "init", "华信").exit_code == 2  # what the old hint suggested
    (tmp_path / "accounts" / "华信").rmdir()
    (tmp_path / "accounts" / "huaxin").mkdir()
    r = kam(tmp_path, "validate")
    assert "`kam init huaxin` writes both" in r.stdout, r.stdout
