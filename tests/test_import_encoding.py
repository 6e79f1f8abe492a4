"""kam import csv: which encoding an export is in, told from its bytes, through the real CLI.

Excel saves plain "CSV" in the Windows code page: Windows-1252 on a Western Windows, GBK on a
Chinese one. Both decode nearly any bytes, so the wrong one writes garbled names; kam reads
the one whose text is plausible and refuses (exit 2) when it cannot tell.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_account
from kamtool.load.yamlread import parse


def people(folder: Path) -> list[dict]:
    return parse((folder / "stakeholders.yaml").read_text("utf-8")).data["stakeholders"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write_account(tmp_path, "huadong", {"stakeholders.yaml": "stakeholders: []\n"})
    return tmp_path


def write(folder: Path, name: str, text: str, encoding: str) -> str:
    (folder / name).write_bytes(text.encode(encoding))
    return name


CHINESE = (
    '"Contact ID","First Name","Last Name","Title","Department"\r\n'
    '"0035x01","建国","陈","首席信息官","信息技术部"\r\n'
    '"0035x02","晓燕","欧阳","采购总监（华东区）",""\r\n'
    '"0035x03","伟","张","IT经理",""\r\n'
)


def test_gbk_export_from_a_chinese_excel(kam, repo):
    name = write(repo, "gbk.csv", CHINESE, "gbk")
    r = kam(repo, "import", "csv", name, "--account", "huadong")
    assert r.exit_code == 0, r.stderr
    assert "gbk.csv (salesforce map, GBK/GB18030, ','): 3 contacts; 3 new" in r.stdout
    got = {p["crm_id"]: p for p in people(repo / "accounts/huadong")}
    assert got["0035x01"]["name"] == "陈建国"
    assert got["0035x01"]["title"] == "首席信息官"
    assert got["0035x02"]["name"] == "欧阳晓燕"
    assert got["0035x02"]["title"] == "采购总监（华东区）"
    assert got["0035x03"]["name"] == "张伟"
    # the same export saved as CSV UTF-8 (with its BOM) is the same data: nothing changes
    before = (repo / "accounts/huadong/stakeholders.yaml").read_bytes()
    name = write(repo, "utf8.csv", CHINESE, "utf-8-sig")
    r = kam(repo, "import", "csv", name, "--account", "huadong")
    assert r.exit_code == 0, r.stderr
    assert "UTF-8 with BOM" in r.stdout and "nothing to change" in r.stdout
    assert (repo / "accounts/huadong/stakeholders.yaml").read_bytes() == before


def test_gbk_headers_are_shown_readable_when_no_map_fits(kam, repo):
    text = "联系人编号;名;姓;职务\r\n1;伟;张;总经理\r\n2;丽;王;财务总监\r\n"
    name = write(repo, "cn.csv", text, "gbk")
    r = kam(repo, "import", "csv", name, "--account", "huadong")
    assert r.exit_code == 1
    assert "cannot tell which CRM wrote this export (columns '联系人编号', '名', '姓'" in r.stderr


def test_western_windows_1252_export_stays_windows_1252(kam, repo):
    # accented letters next to ASCII ones read as rare Chinese characters in GBK (Müller:
    # M黮ler): the Western reading must win, with semicolons as a German Excel writes them
    text = (
        "Id;FirstName;LastName;Title\r\n"
        "0031;Jürgen;Müller;Geschäftsführer\r\n"
        "0032;Hans;Weiß;Leiter Einkauf – Region Süd\r\n"
        "0033;ÄNNE;ÖZTÜRK;CFO\r\n"
        "0034;François;Lefèvre;Directeur général\r\n"
        "0035;Ægir;Þórsson;“Head of IT”\r\n"
    )
    name = write(repo, "de.csv", text, "cp1252")
    r = kam(repo, "import", "csv", name, "--account", "huadong")
    assert r.exit_code == 0, r.stderr
    assert "de.csv (salesforce map, Windows-1252, ';'): 5 contacts" in r.stdout
    got = {p["crm_id"]: p for p in people(repo / "accounts/huadong")}
    assert got["0031"]["name"] == "Jürgen Müller"
    assert got["0031"]["title"] == "Geschäftsführer"
    assert got["0032"]["title"] == "Leiter Einkauf – Region Süd"
    assert got["0033"]["name"] == "ÄNNE ÖZTÜRK"
    assert got["0035"]["name"] == "Ægir Þórsson"
    assert got["0035"]["title"] == "“Head of IT”"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (
            "Id,FirstName,LastName,Title\r\n1,太郎,山田,営業部長\r\n2,はな,佐藤,マネージャー\r\n",
            "shift_jis",
        ),
        ("Id,FirstName,LastName,Title\r\n1,민수,김,부장\r\n2,지영,이,과장\r\n", "cp949"),
        ("Id,FirstName,LastName,Title\r\n1,大明,王,總經理\r\n2,志明,陳,業務經理\r\n", "big5"),
        # neither code page has a character for 0x81 followed by a quote
        ('Id,FirstName,LastName\r\n1,"A\x81",B\r\n', "latin-1"),
    ],
    ids=["shift-jis", "korean", "big5", "undecodable"],
)
def test_an_encoding_kam_cannot_tell_is_refused_and_nothing_written(kam, repo, text, encoding):
    folder = repo / "accounts/huadong"
    before = (folder / "stakeholders.yaml").read_bytes()
    name = write(repo, "asia.csv", text, encoding)
    r = kam(repo, "import", "csv", name, "--account", "huadong")
    assert r.exit_code == 2
    (line,) = r.stderr.splitlines()
    assert line.startswith("kam: error: asia.csv: cannot tell the encoding of this export")
    assert '"CSV UTF-8"' in line and "--encoding" in line
    # the real reason, not three causes in one sentence
    assert ("or both do" not in line) and (("Korean" in line) == (encoding == "cp949"))
    assert ("can read" in line) == (encoding == "latin-1")
    assert (folder / "stakeholders.yaml").read_bytes() == before


def test_encoding_option(kam, repo):
    text = "Id,FirstName,LastName,Title\r\n1,太郎,山田,営業部長\r\n"
    name = write(repo, "jp.csv", text, "shift_jis")
    r = kam(repo, "import", "csv", name, "--account", "huadong", "--encoding", "Shift_JIS")
    assert r.exit_code == 0, r.stderr
    assert "(salesforce map, Shift-JIS, ',')" in r.stdout
    (p,) = people(repo / "accounts/huadong")
    assert p["name"] == "山田太郎" and p["title"] == "営業部長"
    # the option wins over detection: a GBK file read as what the user says
    name = write(repo, "cn.csv", CHINESE, "gbk")
    r = kam(repo, "import", "csv", name, "--account", "huadong", "--encoding", "gbk", "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert "(salesforce map, GBK, ',')" in r.stdout
    # a wrong explicit encoding: the bad byte's line, nothing imported
    r = kam(repo, "import", "csv", name, "--account", "huadong", "--encoding", "utf-8")
    assert r.exit_code == 1
    assert "cn.csv:2: not valid UTF-8 (byte 0xbd)" in r.stderr
    r = kam(repo, "import", "csv", name, "--account", "huadong", "--encoding", "klingon")
    assert r.exit_code == 2
    assert "--encoding: must be an encoding Python knows" in r.stderr


def import_dry(kam, repo, text, encoding, *extra):
    name = write(repo, "export.csv", text, encoding)
    return kam(repo, "import", "csv", name, "--account", "huadong", "--dry-run", *extra)


def test_a_small_gbk_export_is_not_taken_for_korean(kam, repo):
    """Nearly every character here is in GB2312's rows B0-C8, which EUC-KR fills with
    Hangul: read as Korean it is 11 Hangul syllables of 12, but random ones; read as
    Chinese, names and titles."""
    text = (
        '"Contact ID","First Name","Last Name","Title"\r\n'
        '"0035x01","建国","陈","采购经理"\r\n'
        '"0035x02","丽","高","财务经理"\r\n'
    )
    as_korean = [ch for ch in text.encode("gbk").decode("cp949") if not ch.isascii()]
    assert sum("\uac00" <= ch <= "\ud7a3" for ch in as_korean) >= 0.9 * len(as_korean)
    r = import_dry(kam, repo, text, "gbk")
    assert r.exit_code == 0, r.stderr
    assert "(salesforce map, GBK/GB18030, ',')" in r.stdout
    assert "陈建国" in r.stdout and "高丽" in r.stdout


def test_full_width_digits_letters_and_punctuation_read_as_chinese(kam, repo):
    text = (
        "Id,FirstName,LastName,Title,Department\r\n"
        "1,伟,张,第２销售部经理,ＩＴ部\r\n"
        "2,丽,王,１号仓库主管,物流部（上海）\r\n"
        "3,敏,刘,ＣＦＯ,财务部\r\n"
    )
    r = import_dry(kam, repo, text, "gbk")
    assert r.exit_code == 0, r.stderr
    assert "GBK/GB18030" in r.stdout
    r = kam(repo, "import", "csv", "export.csv", "--account", "huadong")
    assert r.exit_code == 0, r.stderr
    got = {p["crm_id"]: p for p in people(repo / "accounts/huadong")}
    assert got["1"]["title"] == "第２销售部经理" and got["3"]["title"] == "ＣＦＯ"
    assert got["2"]["title"] == "１号仓库主管"


def test_rare_name_characters_outside_gb2312_read_as_chinese(kam, repo):
    """喆, 堃 and 昇 are in GBK, not in GB2312: names carry them."""
    text = "Id,FirstName,LastName\r\n1,喆,王\r\n2,堃,李\r\n3,昇,陈\r\n"
    for ch in "喆堃昇":
        with pytest.raises(UnicodeEncodeError):
            ch.encode("gb2312")
    r = import_dry(kam, repo, text, "gbk")
    assert r.exit_code == 0, r.stderr
    assert "GBK/GB18030" in r.stdout
    r = kam(repo, "import", "csv", "export.csv", "--account", "huadong")
    assert r.exit_code == 0, r.stderr
    names = sorted(p["name"] for p in people(repo / "accounts/huadong"))
    assert names == sorted(["王喆", "李堃", "陈昇"])
    # with titles around them as well
    text = "Id,FirstName,LastName,Title\r\n1,喆,陈,销售总监\r\n2,国昇,林,采购经理\r\n"
    assert import_dry(kam, repo, text, "gbk").exit_code == 0


def test_a_korean_export_is_still_refused_and_read_with_encoding(kam, repo):
    text = (
        "Id,FirstName,LastName,Title\r\n"
        "1,예린,황,선임연구원\r\n"
        "2,건우,곽,품질관리 차장\r\n"
        "3,시우,엄,해외영업본부 상무\r\n"
    )
    r = import_dry(kam, repo, text, "cp949")
    assert r.exit_code == 2
    assert (
        "it reads as Korean (EUC-KR) rather than Chinese (GBK); Korean is read with --encoding cp949"
        in r.stderr
    )
    r = import_dry(kam, repo, text, "cp949", "--encoding", "cp949")
    assert r.exit_code == 0, r.stderr
    assert "황예린" in r.stdout


def test_western_text_that_gbk_also_decodes_stays_windows_1252(kam, repo):
    # every accented letter here is followed by an ASCII one: GBK decodes it all, into
    # rare ideographs (J黵gen, M黮ler), which are not names without Chinese around them
    text = (
        "Id,FirstName,LastName,Title\r\n"
        "1,Jürgen,Müller,Geschäftsführer\r\n"
        "2,Björn,Schäfer,Leiter Einkauf\r\n"
    )
    text.encode("cp1252").decode("gb18030")  # GBK reads it
    r = import_dry(kam, repo, text, "cp1252")
    assert r.exit_code == 0, r.stderr
    assert "Windows-1252" in r.stdout and "Jürgen Müller" in r.stdout


def test_both_readings_plausible_is_refused_saying_so(kam, repo):
    # "BÄÖ" is a name with two umlauts in Windows-1252 and one GB2312 character in GBK
    r = import_dry(kam, repo, "Id,FirstName,LastName\r\n1,Karl,BÄÖ\r\n", "cp1252")
    assert r.exit_code == 2
    assert "both Windows-1252 and GBK read it as plausible text" in r.stderr


def test_a_polish_windows_1250_export_is_refused_not_read_as_windows_1252(kam, tmp_path):
    """A Polish export in Windows-1250 read as Windows-1252 wrote `Wiœniewski (Kierownik
    Dzia³u)` with the id `piotr-wioeniewski`, exit 0: a symbol inside a word is a letter
    of another code page. Refused, with cp1250 named; read right with --encoding cp1250.
    A Western export with an apostrophe inside a name is still read without asking."""
    import gitrepo
    from conftest import write_account

    repo = gitrepo.new_repo(tmp_path / "repo")
    write_account(repo, "demo")
    rows = (
        "Id;FirstName;LastName;Title\r\n"
        "0035g00000PK0012;Piotr;Wiśniewski;Kierownik Działu\r\n"
        "0035g00000PK0013;Józef;Ćwiek;Inżynier\r\n"
    )
    (repo / "pl.csv").write_bytes(rows.encode("cp1250"))
    out = kam(repo, "import", "csv", "pl.csv", "--account", "demo", "--dry-run")
    assert out.exit_code == 2, out.stdout
    assert "cp1250 for Polish, Czech or Hungarian" in out.stderr, out.stderr
    ok = kam(repo, "import", "csv", "pl.csv", "--account", "demo", "--encoding", "cp1250")
    assert ok.exit_code == 0, ok.stderr
    people = (repo / "accounts" / "demo" / "stakeholders.yaml").read_text(encoding="utf-8")
    assert "Piotr Wiśniewski" in people and "Kierownik Działu" in people, people
    western = "Id;FirstName;LastName;Title\r\nX1;Seán;O’Brien;Directeur Général\r\n"
    (repo / "ie.csv").write_bytes(western.encode("cp1252"))
    read = kam(repo, "import", "csv", "ie.csv", "--account", "demo", "--dry-run")
    assert read.exit_code == 0, read.stderr
    assert "Seán O’Brien" in read.stdout, read.stdout
