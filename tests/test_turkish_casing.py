"""Turkish casing: Unicode's case folding turns I into i, not into the ı of Yılmaz, so a
CRM export in capitals (AYŞE YILMAZ, BOĞAZİÇİ ENERJİ A.Ş.) matched no one: `kam log`
advised adding a duplicate person and `kam import` added one, or left the customer's
rows out as another account's."""

from __future__ import annotations

from conftest import write_account

ACCOUNT = (
    "id: demo\nname: Boğaziçi Enerji A.Ş.\nowner: jan.k\nreviewed: 2026-11-01\n"
    "position: 3\nvalue: 3\n"
)
PEOPLE = (
    "stakeholders:\n  - id: ayse-yilmaz\n    name: Ayşe Yılmaz\n    attitude: 1\n"
    "  - id: ilker-isik\n    name: İlker Işık\n    attitude: 0\n"
)


def _account(tmp_path):
    (tmp_path / ".git").mkdir()
    write_account(tmp_path, "demo", {"account.yaml": ACCOUNT, "stakeholders.yaml": PEOPLE})


def test_names_in_capitals_or_typed_without_turkish_letters_find_the_person(kam, tmp_path):
    _account(tmp_path)
    for typed, person in (("AYŞE YILMAZ", "ayse-yilmaz"), ("ilker ışık", "ilker-isik")):
        done = kam(tmp_path, "log", "demo", typed, "-m", "call")
        assert done.exit_code == 0, done.stderr
        assert f"({person})" in done.stdout, done.stdout


def test_an_export_in_capitals_is_the_same_customer_and_the_same_people(kam, tmp_path):
    _account(tmp_path)
    export = tmp_path / "tr.csv"
    export.write_text(
        "Id;FirstName;LastName;Title;Account Name\r\n"
        "0035g00000TR0002;AYŞE;YILMAZ;Müdür;BOĞAZİÇİ ENERJİ A.Ş.\r\n",
        encoding="utf-8",
    )
    out = kam(tmp_path, "import", "csv", "tr.csv", "--account", "demo", "--format", "json")
    assert out.exit_code == 0, out.stdout + out.stderr
    people = (tmp_path / "accounts" / "demo" / "stakeholders.yaml").read_text(encoding="utf-8")
    assert "ayse-yilmaz-2" not in people and "AYŞE" not in people, people
    assert "crm_id: 0035g00000TR0002" in people and "title: Müdür" in people, people


def test_a_date_option_takes_today_in_chinese_and_says_today_is_taken(kam, tmp_path):
    """`kam touch ... --contact 今天` was only told the date format; the word for today a
    Chinese user types is taken, and any other word is told that 'today' is."""
    _account(tmp_path)
    done = kam(tmp_path, "touch", "demo", "ayse-yilmaz", "--contact", "今天")
    assert done.exit_code == 0, done.stderr
    people = (tmp_path / "accounts" / "demo" / "stakeholders.yaml").read_text(encoding="utf-8")
    assert "last_contact: 2026-11-24" in people, people
    bad = kam(tmp_path, "touch", "demo", "ayse-yilmaz", "--contact", "yesterday")
    assert bad.exit_code == 2
    assert "(or 'today' for 2026-11-24)" in bad.stderr, bad.stderr
