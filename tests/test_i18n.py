"""The output language (SPEC 4 ``language``, SPEC 5 ``--lang``, issue 17): the catalogues,
how the language is chosen, and the Chinese outputs."""

from __future__ import annotations

import io
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, write_account

LOCALE = REPO / "src" / "kamtool" / "locale"
PO = LOCALE / "zh_CN" / "LC_MESSAGES" / "kam.po"
MO = LOCALE / "zh_CN" / "LC_MESSAGES" / "kam.mo"
POT = LOCALE / "kam.pot"


# ---------------------------------------------------------------- the catalogues
def _marked() -> set[str]:
    """Every string marked for translation in the code and the templates, found the way
    `pybabel extract -F babel.cfg` finds them."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with open(REPO / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(REPO), method_map, options_map
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _read(path: Path):
    from babel.messages.pofile import read_po

    with open(path, "rb") as fh:
        return read_po(fh, locale="zh_CN" if path.suffix == ".po" else None)


def _ids(catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_catalogues_hold_every_marked_string_and_nothing_else():
    marked = _marked()
    assert len(marked) > 20
    po, pot = _ids(_read(PO)), _ids(_read(POT))
    refresh = "refresh with the commands of the README, 'Output language'"
    assert marked - pot == set(), f"kam.pot lacks strings marked in the code: {refresh}"
    assert marked - po == set(), f"zh_CN/kam.po lacks strings marked in the code: {refresh}"
    assert po - marked == set(), f"zh_CN/kam.po has strings no longer in the code: {refresh}"


def test_every_chinese_translation_is_done_and_keeps_its_placeholders():
    catalog = _read(PO)
    fields = string.Formatter()
    for m in catalog:
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        assert "fuzzy" not in m.flags, f"fuzzy translation: {ids[0]!r}"
        for text in strings:
            assert text, f"untranslated: {ids[0]!r}"
            if "python-brace-format" in m.flags:
                want = {f for _t, f, _s, _c in fields.parse(ids[-1]) if f is not None}
                got = {f for _t, f, _s, _c in fields.parse(text) if f is not None}
                assert got == want, f"{ids[0]!r}: placeholders {got} instead of {want}"
            if "python-format" in m.flags:
                pattern = r"%\((\w+)\)[sd]"
                want_p = set(re.findall(pattern, ids[-1]))
                assert set(re.findall(pattern, text)) == want_p, ids[0]


def test_compiled_catalogue_is_current():
    """kam reads the committed .mo; it must say what the .po says
    (pybabel compile -d src/kamtool/locale -D kam refreshes it)."""
    from babel.messages.mofile import write_mo

    compiled = io.BytesIO()
    write_mo(compiled, _read(PO))
    assert MO.read_bytes() == compiled.getvalue(), "kam.mo is stale: run pybabel compile"


# ---------------------------------------------------------------- start-up
def test_version_loads_no_catalogue_and_no_babel():
    probe = (
        "import sys\n"
        "from kamtool import cli, i18n\n"
        "sys.argv = ['kam', '--version']\n"
        "try:\n"
        "    cli.main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = [m for m in ('babel', 'jinja2') if m in sys.modules]\n"
        "print('LOADED', loaded, len(i18n._cache))\n"
    )
    env = {"LANG": "zh_CN.UTF-8", "PATH": "/usr/bin:/bin"}
    r = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    assert r.returncode == 0, r.stderr
    assert "LOADED [] 0" in r.stdout, r.stdout


# ---------------------------------------------------------------- choosing the language
def _small_repo(tmp_path: Path, kam_yaml: str | None = None) -> Path:
    (tmp_path / ".git").mkdir(parents=True)  # a repository root for kam's upward search
    write_account(tmp_path, "acme")
    if kam_yaml is not None:
        (tmp_path / "kam.yaml").write_text(kam_yaml, encoding="utf-8")
    return tmp_path


MISSING_EN = "no account 'nosuch'"
MISSING_ZH = "没有客户 'nosuch'"


@pytest.mark.parametrize(
    "args, env, kam_yaml, chinese",
    [
        (["--lang", "zh-CN"], {}, None, True),
        (["--lang=zh_CN"], {}, None, True),
        ([], {"LANG": "zh_CN.UTF-8"}, None, True),
        ([], {"LANG": "zh_Hans"}, None, True),
        ([], {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_GB.UTF-8"}, None, True),
        ([], {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, None, False),  # LC_ALL decides
        ([], {"LANG": "de_DE.UTF-8"}, None, False),  # no catalogue: English
        ([], {}, "language: zh-CN\n", True),
        ([], {"LANG": "zh_CN.UTF-8"}, "language: en\n", False),  # kam.yaml over LANG
        (["--lang", "en"], {}, "language: zh-CN\n", False),  # --lang over kam.yaml
        (["--lang", "zh-CN"], {"LC_ALL": "en_US.UTF-8"}, "language: en\n", True),
    ],
)
def test_language_is_chosen_by_lang_then_kam_yaml_then_locale(
    kam, tmp_path, args, env, kam_yaml, chinese
):
    repo = _small_repo(tmp_path, kam_yaml)
    r = kam(repo, "grade", "nosuch", *args, env=env)
    assert r.exit_code == 1
    assert (MISSING_ZH if chinese else MISSING_EN) in r.stderr, r.stderr


def test_lang_before_the_command_and_after_it(kam, tmp_path):
    repo = _small_repo(tmp_path)
    assert MISSING_ZH in kam(repo, "--lang", "zh-CN", "grade", "nosuch").stderr
    # a later run in the same process starts from the locale again
    assert MISSING_EN in kam(repo, "grade", "nosuch").stderr


def test_every_command_takes_lang(kam, tmp_path):
    from typer.main import get_command

    from kamtool.cli import app

    group = get_command(app)
    names = sorted(group.commands)  # type: ignore[attr-defined]
    assert {"check", "grade", "plan", "map", "validate", "touch"} <= set(names)
    for name in names:
        r = kam(tmp_path, name, "--help")
        assert "--lang" in r.stdout, name


def test_unknown_language_is_a_usage_error(kam, tmp_path):
    repo = _small_repo(tmp_path)
    r = kam(repo, "check", "--lang", "fr")
    assert r.exit_code == 2
    assert "--lang must be one of en, zh-CN, not 'fr'" in r.stderr
    r = kam(_small_repo(tmp_path / "other", "language: fr\n"), "check")
    assert r.exit_code == 2 and "KAM002" in r.stderr
