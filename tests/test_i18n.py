"""The output language (SPEC 4 ``language``, SPEC 5 ``--lang``, issue 17): the catalogues,
how the language is chosen, and the Chinese outputs."""

from __future__ import annotations

import io
import json
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


# ---------------------------------------------------------------- the Chinese outputs
ZH = ["--lang", "zh-CN"]
ACCOUNT = "nordtel"
ZH_GOLDEN = [
    (["plan", ACCOUNT], f"zh-CN/plan-{ACCOUNT}.md"),
    (["grade", ACCOUNT, "--no-color"], f"zh-CN/grade-{ACCOUNT}.txt"),
    (["check", ACCOUNT, "--no-color"], f"zh-CN/check-{ACCOUNT}.txt"),
    (["map", ACCOUNT, "--format", "tree", "--no-color"], f"zh-CN/map-{ACCOUNT}.tree.txt"),
    (["map", ACCOUNT, "--format", "mermaid"], f"zh-CN/map-{ACCOUNT}.mmd"),
    (["map", ACCOUNT, "--format", "dot"], f"zh-CN/map-{ACCOUNT}.dot"),
    (["map", ACCOUNT, "--quadrant"], f"zh-CN/map-{ACCOUNT}.quadrant.mmd"),
]


def _zh(kam, args: list[str], width: int = 100):
    return kam(REPO, *args, *ZH, env={"COLUMNS": str(width)})


@pytest.mark.parametrize("args, name", ZH_GOLDEN, ids=[n for _a, n in ZH_GOLDEN])
def test_chinese_golden(kam, args, name):
    from golden_util import assert_golden

    r = _zh(kam, args)
    assert r.exit_code in (0, 1), r.stderr  # check exits 1 on its findings
    assert_golden(name, r.stdout)


#: words of the formats themselves (Markdown, Mermaid, Graphviz), never labels
SYNTAX = set(
    [
        "mermaid",
        "flowchart",
        "TD",
        "LR",
        "subgraph",
        "end",
        "classDef",
        "class",
        "style",
        "fill",
        "stroke",
        "color",
        "width",
        "dasharray",
        "direction",
        "config",
        "title",
        "nodeSpacing",
        "quadrantChart",
        "axis",
        "quadrant",
        "radius",
        "chartWidth",
        "chartHeight",
        "pointLabelFontSize",
        "xychart",
        "beta",
        "bar",
        "line",
        "digraph",
        "power_map",
        "node",
        "edge",
        "shape",
        "box",
        "rounded",
        "filled",
        "dashed",
        "fontname",
        "Helvetica",
        "fontsize",
        "fontcolor",
        "fillcolor",
        "label",
        "plaintext",
        "TABLE",
        "BORDER",
        "CELLBORDER",
        "CELLSPACING",
        "CELLPADDING",
        "BGCOLOR",
        "TR",
        "TB",
        "TD",
        "COLSPAN",
        "FONT",
        "COLOR",
        "POINT-SIZE",
        "constraint",
        "false",
        "true",
        "rankdir",
        "cluster_left",
        "penwidth",
        "legend",
        "legendbox",
        "left_group",
        "lg_text",
        "br",
        "dm",
        "left",
        "none",
        "rank",
        "same",
        "ffffff",
        "invis",
        "arrowhead",
        "labelloc",
        "labeljust",
        "graph",
        "splines",
        "ortho",
        "nodesep",
        "ranksep",
        "margin",
        "compound",
    ]
)
#: codes, units and words people type (commands in hints, file names, YAML keys and
#: values come from the schemas below)
TYPED = set(
    [
        "KAM",
        "PBIP",
        "EUR",
        "NOK",
        "USD",
        "kam",
        "yaml",
        "touch",
        "log",
        "validate",
        "schema",
        "grade",
        "check",
        "plan",
        "map",
        "rules",
        "today",
        "px",
        # the method's own term: AB角, a primary (A) and a backup (B) owner of a key person
        "AB",
        "ACCOUNT",
        "PERSON",
        "id",
    ]
)
WORD = re.compile(r"[A-Za-z][A-Za-z']+")
#: identifiers of the drawings (class names att_p1, node ids lg0, roleD), not words
IDENTIFIER = re.compile(r"\b[A-Za-z]\w*(?:_\w+|\d\w*)\b|\brole[A-Z]\w*")


def _allowed_words() -> set[str]:
    """Words that may stay ASCII in a Chinese output: from the account's data, the keys and
    values of the YAML files (as the schemas name them), codes, units and format syntax."""
    from ruamel.yaml import YAML

    from kamtool.write.scaffold import schemas

    words = set(SYNTAX) | TYPED

    def walk(node) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                words.update(WORD.findall(str(k)))
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif node is not None:
            words.update(WORD.findall(str(node)))

    for path in [*(REPO / "accounts" / ACCOUNT).glob("*.yaml"), REPO / "kam.yaml"]:
        if path.exists():
            walk(YAML(typ="safe").load(path.read_text(encoding="utf-8")))
    for schema in schemas().values():  # keys and enumerated values a user types
        text = json.dumps(schema)
        words.update(re.findall(r'"([a-z_][a-z_0-9-]*)"\s*:', text))
        for values in re.findall(r'"enum":\s*\[([^\]]*)\]', text):
            words.update(WORD.findall(values))
    # values a user types in YAML, but labels when a report shows them: never English here
    return {w.lower() for w in words} - {"error", "warning", "info", "planned", "doing"}


@pytest.mark.parametrize("args, name", ZH_GOLDEN, ids=[n for _a, n in ZH_GOLDEN])
def test_no_english_label_left_in_chinese_outputs(kam, args, name):
    allowed = _allowed_words()
    text = _zh(kam, args).stdout
    # colours, entities (&amp;, Mermaid's #12345;), DOT's \n, drawing identifiers
    text = re.sub(r"#[0-9a-fA-F]{6}\b|#\d+;|&\w+;|\\n", " ", text)
    text = IDENTIFIER.sub(" ", text)
    text = re.sub(r"\S+\.(yaml|md|json)\b|[\w.-]+/[\w./-]+", " ", text)  # files, paths
    left = sorted({w for w in WORD.findall(text) if w.lower() not in allowed and len(w) > 1})
    assert left == [], f"English words in {name}: {left}"


@pytest.mark.parametrize(
    "args",
    [
        ["grade"],
        ["grade", "--explain"],
        ["stale"],
        ["portfolio"],
        ["check"],
        ["grade", ACCOUNT],
        ["agenda", "--today", "2026-11-30"],
    ],
    ids=lambda a: " ".join(a),
)
def test_chinese_terminal_output_fits_80_columns(kam, args):
    from rich.cells import cell_len

    r = _zh(kam, [*args, "--no-color"], width=80)
    assert r.exit_code in (0, 1), r.stderr
    assert re.search(r"[\u4e00-\u9fff]", r.stdout), "not in Chinese"
    wide = [line for line in r.stdout.splitlines() if cell_len(line) > 80]
    assert wide == [], "\n".join(wide)


def test_chinese_mermaid_parses_and_dot_renders(kam, tmp_path):
    from test_plan_map_portfolio import dot_render, mermaid_parse

    svg = dot_render(tmp_path, _zh(kam, ["map", ACCOUNT, "--format", "dot"]).stdout)
    assert svg.returncode == 0 and "<svg" in svg.stdout, svg.stderr
    assert "Warning" not in svg.stderr, svg.stderr
    assert "权力地图" in svg.stdout  # the title, as text of the drawing
    plan = _zh(kam, ["plan", ACCOUNT]).stdout
    blocks = [b.split("```")[0] for b in plan.split("```mermaid\n")[1:]]
    texts = {f"plan{i}.mmd": b for i, b in enumerate(blocks)}
    texts["map.mmd"] = _zh(kam, ["map", ACCOUNT, "--format", "mermaid"]).stdout
    texts["quadrant.mmd"] = _zh(kam, ["map", ACCOUNT, "--quadrant"]).stdout
    out = mermaid_parse(tmp_path, texts)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("ok ") == len(texts)


def test_machine_formats_keep_english_keys_and_codes(kam):
    en = kam(REPO, "check", ACCOUNT, "--format", "json").json()
    zh = kam(REPO, "check", ACCOUNT, "--format", "json", *ZH).json()
    assert en.keys() == zh.keys()
    for a, b in zip(en["findings"], zh["findings"], strict=True):
        assert a.keys() == b.keys()
        assert (a["code"], a["severity"], a["path"], a["line"]) == (
            b["code"],
            b["severity"],
            b["path"],
            b["line"],
        )
    assert any(
        a["message"] != b["message"] for a, b in zip(en["findings"], zh["findings"], strict=True)
    )
    sarif_en = kam(REPO, "check", ACCOUNT, "--format", "sarif").json()
    sarif_zh = kam(REPO, "check", ACCOUNT, "--format", "sarif", *ZH).json()
    rules = lambda s: [r["id"] for r in s["runs"][0]["tool"]["driver"]["rules"]]  # noqa: E731
    assert rules(sarif_en) == rules(sarif_zh)
    csv_en = kam(REPO, "grade", "--format", "csv").stdout.splitlines()[0]
    assert kam(REPO, "grade", "--format", "csv", *ZH).stdout.splitlines()[0] == csv_en
