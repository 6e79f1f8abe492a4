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
MISSING_ZH = "没有客户“nosuch”"


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


def _commands():
    """Every command path of kam (``["import", "csv"]`` included) with its click command."""
    from typer.main import get_command

    from kamtool.cli import app

    found = []

    def walk(command, path):
        found.append((path, command))
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, [*path, name])

    walk(get_command(app), [])
    return found


def _help_texts(command) -> set[str]:
    """The English texts kam declares for a command's --help: its own and each
    parameter's (typer puts each on one line in the help; compared word by word)."""
    texts = {command.help or ""} | {p.help or "" for p in command.params}
    return {" ".join(t.split()) for t in texts if t}


@pytest.mark.parametrize("columns", [80, 60])
def test_help_is_chinese_and_fits_the_terminal(kam, tmp_path, columns):
    """`kam CMD --help --lang zh-CN` was English throughout; every text kam declares for
    a command's help, the headings, the usage line and typer's notes are translated, and
    the Chinese lines fit the terminal, counted in cells (click counted characters)."""
    from rich.cells import cell_len

    commands = _commands()
    assert len(commands) > 15
    for path, command in commands:
        r = kam(tmp_path, *path, "--help", "--lang", "zh-CN", env={"COLUMNS": str(columns)})
        assert r.exit_code == 0, (path, r.stderr)
        flat = " ".join(r.stdout.split())
        for text in _help_texts(command):
            assert text not in flat, (path, text)
        assert r.stdout.startswith("用法：kam ")
        assert "选项：" in r.stdout and "显示本帮助并退出。" in r.stdout
        for english in ("Usage", "Options:", "Arguments:", "Commands:", "[default:", "required"):
            assert english not in r.stdout, (path, english)
        assert "[OPTIONS]" not in r.stdout and "<str>" not in r.stdout
        wide = [line for line in r.stdout.splitlines() if cell_len(line) > columns - 2]
        assert wide == [], (path, wide)
    # the list of commands names each with its translated first sentence
    r = kam(tmp_path, "--help", "--lang", "zh-CN")
    assert "命令：" in r.stdout and "为客户评级：级别、关系评分和评级字母。" in r.stdout
    assert "check       规则目录中的全部问题" in r.stdout


def test_help_in_english_names_placeholders_not_python_types(kam, tmp_path):
    """typer printed `paths... <list[str]>`, `--today <str>` and `{account}`: the help
    names what to type (the README's placeholders), and is still English by default."""
    for path, command in _commands():
        r = kam(tmp_path, *path, "--help", env={"COLUMNS": "80"})
        assert r.exit_code == 0 and r.stdout.startswith("Usage: kam"), path
        flat = " ".join(r.stdout.split())
        for text in _help_texts(command):
            assert text in flat, (path, text)
        for typer_artefact in ("<str>", "<path>", "<list[str]>", "{", "}"):
            assert typer_artefact not in r.stdout.replace("{choices}", ""), (path, r.stdout)
    touch = kam(tmp_path, "touch", "--help").stdout
    assert "Usage: kam touch [OPTIONS] ID [PERSON]" in touch
    assert "--contact DATE" in touch and "--config FILE" in touch
    grade = kam(tmp_path, "grade", "--help").stdout
    assert "Usage: kam grade [OPTIONS] [PATH]..." in grade
    assert "-f, --format FORMAT  table, json, csv or markdown. [default: table]" in grade
    # a usage error shows the same usage line, in Chinese when asked
    r = kam(tmp_path, "log", "acme", "--lang", "zh-CN")
    assert r.exit_code == 2
    assert r.stderr.startswith("用法：kam log [选项] ID PERSON...\n")
    assert "kam：错误：缺少参数“PERSON”" in r.stderr
    r = kam(tmp_path, "--lang", "zh-CN")
    assert r.exit_code == 2 and "kam：错误：缺少命令（kam -h 列出全部命令）" in r.stderr
    # a group's missing command names the group's own help
    r = kam(tmp_path, "import", "--lang", "zh-CN")
    assert r.exit_code == 2 and "缺少命令（kam import -h 列出全部命令）" in r.stderr, r.stderr


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
        "init",
        "themeVariables",
        "xyChart",
        "plotColorPalette",
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


def _allowed_words(files: list[Path] | None = None) -> set[str]:
    """Words that may stay ASCII in a Chinese output: from the account's data (``files``,
    default the example account's), the keys and values of the YAML files (as the schemas
    name them), codes, units and format syntax."""
    from ruamel.yaml import YAML

    from kamtool.write.scaffold import schemas

    words = set(SYNTAX) | TYPED
    if files is None:
        files = [*(REPO / "accounts" / ACCOUNT).glob("*.yaml"), REPO / "kam.yaml"]

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

    for path in files:
        if path.exists():
            try:
                walk(YAML(typ="safe").load(path.read_text(encoding="utf-8")))
            except Exception:  # a file a test broke on purpose: its words are not data
                continue
    for schema in schemas().values():  # keys and enumerated values a user types
        text = json.dumps(schema)
        words.update(re.findall(r'"([a-z_][a-z_0-9-]*)"\s*:', text))
        for values in re.findall(r'"enum":\s*\[([^\]]*)\]', text):
            words.update(WORD.findall(values))
    # values a user types in YAML, but labels when a report shows them: never English here
    return {w.lower() for w in words} - {"error", "warning", "info", "planned", "doing"}


@pytest.mark.parametrize("args, name", ZH_GOLDEN, ids=[n for _a, n in ZH_GOLDEN])
def test_no_english_label_left_in_chinese_outputs(kam, args, name):
    left = _english_words(_zh(kam, args).stdout, _allowed_words())
    assert left == [], f"English words in {name}: {left}"


def _english_words(text: str, allowed: set[str]) -> list[str]:
    """The ASCII words of ``text`` that are not allowed: what was left untranslated."""
    # colours, entities (&amp;, Mermaid's #12345;), DOT's \n, drawing identifiers
    text = re.sub(r"#[0-9a-fA-F]{6}\b|#\d+;|&\w+;|\\n", " ", text)
    text = text.replace("\\_", "_")  # Markdown's escaped underscore: `error\_after` is a key
    text = IDENTIFIER.sub(" ", text)
    text = re.sub(r"\S+\.(yaml|md|json|csv)\b|[\w.-]+/[\w./-]+", " ", text)  # files, paths
    return sorted({w for w in WORD.findall(text) if w.lower() not in allowed and len(w) > 1})


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


# ---------------------------------------------------------------- diff, history, import, rules
#: what git, the CRM export and the method's references put in these outputs: revision
#: names, map names, the method's documents and the abbreviations people type
HISTORY_TYPED = {"head", "salesforce", "domain", "rain", "ceo", "cfo", "cto", "utf", "yaml"}
HISTORY_TYPED |= {"diff", "history", "import", "portfolio"}  # kam's commands
#: the settings of a Mermaid chart (``%%{init: ...}%%``), not labels
HISTORY_TYPED |= {"init", "xychart", "themevariables", "plotcolorpalette"}


def _changed_repository(root: Path) -> Path:
    """The example accounts in a git repository of two commits; the second changes many
    kinds of thing (attitudes, titles, sponsors, a new decision maker, goals, actions,
    opportunities, the profile, the log), breaks one account's YAML (KAM001) and gives
    another a schema error (KAM002)."""
    import os
    import shutil

    def git(*args: str, day: str) -> None:
        stamp = f"{day}T10:00:00"
        env = dict(os.environ, GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)

    shutil.copytree(REPO / "accounts", root / "accounts")
    shutil.copy(REPO / "kam.yaml", root / "kam.yaml")
    git("init", "-q", "-b", "main", day="2026-10-01")
    git("config", "user.email", "kam@example.com", day="2026-10-01")
    git("config", "user.name", "kam", day="2026-10-01")
    git("add", "-A", day="2026-10-01")
    git("commit", "-qm", "first", day="2026-10-01")

    def edit(name: str, *pairs: tuple[str, str], append: str = "") -> None:
        path = root / "accounts" / name
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, old
            text = text.replace(old, new, 1)
        path.write_text(text + append, encoding="utf-8")

    edit(
        "nordtel/stakeholders.yaml",
        ("attitude: -1                 #", "attitude: -2                 #"),
        ("    competitor: Vantor\n", "    competitor: Vantor\n    sponsor: martin.kraus\n"),
        ("title: Chief Technology Officer", "title: Group CTO"),
        append="\n  - id: sofia-lind\n    name: Sofia Lind\n    title: Chief Financial Officer\n"
        '    roles: [D]\n    attitude: "?"\n    owner: li.ming\n',
    )
    edit(
        "nordtel/targets.yaml",
        (
            "    status: planned\n    stakeholder: maria-olsen",
            "    status: done\n    stakeholder: maria-olsen",
        ),
        ("pbip: 2027-04-30, ready: 2027-03-15", "pbip: 2027-04-30, ready: 2027-06-15"),
        ("    goal: 1\n    due: 2027-06-30", "    goal: 2\n    due: 2027-06-30"),
        (
            "{stakeholder: zhang-wei, attitude: 0, intimacy: 1, by: 2027-06-30",
            "{stakeholder: zhang-wei, attitude: 1, intimacy: 1, by: 2027-09-30",
        ),
        (
            "actions:\n",
            "actions:\n  - {id: cfo-lunch, text: Lunch with the new CFO, owner: "
            "li.ming, due: 2027-01-15, status: planned, stakeholder: sofia-lind}\n",
        ),
    )
    edit("nordtel/account.yaml", ("value: 4 ", "value: 3 "), ("stage: stabilize", "stage: build"))
    edit(
        "nordtel/log.yaml",
        append="\n  - date: 2026-11-25\n    with: [zhang-wei]\n    by: [li.ming]\n"
        "    kind: meeting\n    summary: Steering committee on the interoperability test.\n",
    )
    edit("hansa-bank/stakeholders.yaml", ("stakeholders:\n", "stakeholders:\n  - id: [broken\n"))
    edit("kessler-valves/stakeholders.yaml", ("attitude:", "attitude: 7\n    atitude:"))
    git("add", "-A", day="2026-11-26")
    git("commit", "-qm", "second", day="2026-11-26")
    return root


@pytest.fixture(scope="module")
def changed(tmp_path_factory) -> Path:
    return _changed_repository(tmp_path_factory.mktemp("changed"))


def _data_words(repo: Path, *extra: str) -> set[str]:
    """The words kam may show as they are: the accounts' data before and after the change
    (the data is the user's text, never translated), the words people type, ``extra``."""
    files = [*REPO.glob("accounts/*/*.yaml"), *repo.glob("accounts/*/*.yaml"), REPO / "kam.yaml"]
    words = _allowed_words(files) | HISTORY_TYPED | {w.lower() for w in extra}
    return words


def _no_english(text: str, allowed: set[str]) -> list[str]:
    """English left in ``text``: code spans, options and git or CRM ids (hex and mixed
    tokens) are typed or machine text, not labels."""
    text = re.sub(r"`[^`\n]*`", " ", text)  # code spans: commands, keys and values typed
    text = re.sub(r"--[\w-]+|\b\w*\d\w*\b", " ", text)  # options; ids with digits in them
    text = re.sub(r"\b[DSEIC]{2,5}\b", " ", text)  # role letters as a person has them
    text = text.replace("'", " ")  # quotes around keys and names
    text = re.sub(r"</?[a-z]+>", " ", text)  # HTML of a Markdown comment: <details>, <sub>
    return _english_words(text, allowed)


def _fits_80(text: str) -> list[str]:
    from rich.cells import cell_len

    return [line for line in text.splitlines() if cell_len(line) > 80]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_chinese_diff_has_no_english_label(kam, changed, fmt):
    r = kam(changed, "diff", "HEAD~1", "HEAD", "--format", fmt, *ZH, env={"COLUMNS": "80"})
    assert r.exit_code == 1, r.stderr  # an account no longer loads (SPEC 7)
    out = r.stdout
    # every part of the comparison is there, in Chinese: the groups, people, plan, findings
    for said in (
        "客户概况",
        "规划",
        "接触日志",
        "新决策者",
        "支持度 -1 → -2",
        "目标值 1 → 2",  # a target's figure, not 目标 (a target, a relationship goal)
        "高层赞助人",
        "无法读取",
        "已解决",
        "KAM001",
        "KAM002",
    ):
        assert said in out, said
    assert _no_english(out, _data_words(changed)) == []
    assert re.search(r"评分 \d+ → \d+", out)
    if fmt == "markdown":
        assert "**人员**" in out and "**新发现的问题**" in out
        assert "| 客户 | 级别 | 评分 | 变化 | 问题 |" in out
    if fmt == "text":
        assert _fits_80(out) == [], "\n".join(_fits_80(out))


def test_chinese_diff_keeps_json_keys_kinds_and_codes(kam, changed):
    en = kam(changed, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    zh = kam(changed, "diff", "HEAD~1", "HEAD", "--format", "json", *ZH).json()
    assert en.keys() == zh.keys()
    for a, b in zip(en["accounts"], zh["accounts"], strict=True):
        assert a.keys() == b.keys() and a["status"] == b["status"]
        assert [c["kind"] for c in a["changes"]] == [c["kind"] for c in b["changes"]]
        assert [c.keys() for c in a["changes"]] == [c.keys() for c in b["changes"]]
        assert [f["code"] for f in a["new_findings"]] == [f["code"] for f in b["new_findings"]]
    assert any(
        x["text"] != y["text"]
        for a, b in zip(en["accounts"], zh["accounts"], strict=True)
        for x, y in zip(a["changes"], b["changes"], strict=True)
    )


@pytest.mark.parametrize(
    "args",
    [
        ["history", "nordtel"],
        ["history", "nordtel", "zhang-wei"],
        ["history", "--format", "markdown"],
        ["portfolio", "--since", "2026-10-15"],
        ["portfolio", "--since", "HEAD~1", "--format", "markdown"],
    ],
    ids=lambda a: " ".join(a),
)
def test_chinese_history_and_portfolio_since(kam, changed, args):
    r = kam(
        changed,
        *args,
        "--no-color" if "markdown" not in args else "--lang=zh-CN",
        *ZH,
        env={"COLUMNS": "80"},
    )
    assert r.exit_code in (0, 1), r.stderr
    assert re.search(r"[\u4e00-\u9fff]", r.stdout), "not in Chinese"
    assert _no_english(r.stdout, _data_words(changed)) == []
    if "markdown" not in args:
        assert _fits_80(r.stdout) == [], "\n".join(_fits_80(r.stdout))
    if args[0] == "portfolio":
        since = r.stdout[r.stdout.index("自 ") :]  # the --since part, after the portfolio
        for said in ("按客户级别", "级别变化", "评分变化", "未评级（文件有错误）"):
            assert said in since, said


def test_chinese_import(kam, tmp_path):
    repo = _small_repo(tmp_path)
    shutil_copy = __import__("shutil").copytree
    shutil_copy(REPO / "accounts" / ACCOUNT, repo / "accounts" / ACCOUNT)
    (repo / "kam.yaml").write_text((REPO / "kam.yaml").read_text(encoding="utf-8"))
    csv_text = (
        '"Id","FirstName","LastName","Title","ReportsToId","Department"\r\n'
        '"0031t00000NtB7aAAF","Anders","Berg","Group Chief Executive","",""\r\n'
        '"0031t00000NtZZZAAA","Sofia","Lind","Chief Financial Officer","0031t00000NtB7aAAF",'
        '"Finanzabteilung"\r\n'
    )
    (repo / "export.csv").write_text(csv_text, encoding="utf-8")
    allowed = _data_words(
        repo,
        "Sofia",
        "Lind",
        "Group",
        "Chief",
        "Executive",
        "Financial",
        "Officer",
        "Finanzabteilung",
        "acme",
    )
    r = kam(
        repo,
        "import",
        "csv",
        "export.csv",
        "--account",
        ACCOUNT,
        "--dry-run",
        *ZH,
        env={"COLUMNS": "80"},
    )
    assert r.exit_code == 0, r.stderr
    for said in (
        "新干系人",
        "个联系人",
        "可能需要设置 left_on",
        "注意：部门“Finanzabteilung”",
        "试运行：未写入任何内容",
    ):
        assert said in r.stdout, said
    assert _no_english(r.stdout, allowed) == []
    assert _fits_80(r.stdout) == [], "\n".join(_fits_80(r.stdout))
    # the import itself lists what it set (the dry run's diff has shown it already)
    r = kam(repo, "import", "csv", "export.csv", "--account", ACCOUNT, *ZH, env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.stderr
    assert "根据导出文件更新了已有人员的信息" in r.stdout
    assert _no_english(r.stdout, allowed) == []
    # a row that cannot be imported: the problem and the refusal, in Chinese
    (repo / "bad.csv").write_text(csv_text + '"0031t00000NtYYYAAA","Ola","Nord","","X",""\r\n')
    r = kam(repo, "import", "csv", "bad.csv", "--account", ACCOUNT, *ZH)
    assert r.exit_code == 1
    assert "既不匹配导出文件中的联系人" in r.stderr and "未导入任何内容" in r.stderr
    assert _no_english(r.stderr, allowed | {"ola", "nord", "reportstoid"}) == []


@pytest.mark.parametrize(
    "account, code, said",
    [
        ("hansa-bank", "KAM001", "此处打开的 [ 没有闭合：请用 ] 结束这个列表"),
        ("kessler-valves", "KAM002", "必须是 -3 到 3 的整数"),
        ("kessler-valves", "KAM002", "中有未知的键“atitude”（您是指“attitude”吗？）"),
    ],
)
def test_chinese_reader_and_schema_findings(kam, changed, account, code, said):
    r = kam(changed, "check", account, "--no-color", *ZH, env={"COLUMNS": "300"})
    assert r.exit_code == 1
    out = r.stdout + r.stderr
    assert code in out and said in out, out
    assert _no_english(out, _data_words(changed, "atitude")) == []
    en = kam(changed, "check", account, "--format", "json").json()
    zh = kam(changed, "check", account, "--format", "json", *ZH).json()
    assert [f["code"] for f in en["findings"]] == [f["code"] for f in zh["findings"]]


@pytest.mark.parametrize(
    "yaml_text, said",
    [
        # bad indentation: named as such where the key above shows the indentation meant
        ("stakeholders:\n  - id: a\n   name: x\n", "此键缩进了 3 个空格，而上面的键是 4 个"),
        ("stakeholders:\n  - id: a\n    roles:\n   name: x\n", "解析块集合时"),
        ("stakeholders: [a, b\n", "此处打开的 [ 没有闭合"),
        ("a: 1\na: 2\n", "a 在这个条目中写了两次"),
        ("stakeholders: !!python/object x\n", "不允许使用 YAML 标签 !!python/object"),
    ],
)
def test_chinese_yaml_syntax_messages(kam, tmp_path, yaml_text, said):
    repo = _small_repo(tmp_path)
    (repo / "accounts" / "acme" / "stakeholders.yaml").write_text(yaml_text, encoding="utf-8")
    r = kam(repo, "check", "acme", "--format", "json", *ZH)
    messages = [f["message"] for f in r.json()["findings"] if f["code"] == "KAM001"]
    assert any(said in m for m in messages), messages
    assert _no_english(" ".join(messages), _allowed_words([])) == []


@pytest.mark.parametrize(
    "field, value, said",
    [
        ("attitude", "[1]", "必须是 -3 到 3 的整数"),
        ("intimacy", "x", "必须是 -3 到 3 的整数"),
        ("roles", "D", "必须是写在方括号里的列表，而不是文本：应写成 roles: [D]"),
        ("last_contact", "2026-02-30", "不是真实存在的日期"),
        ("channels", "{a: 1}", "必须是列表，而不是键值映射"),
        ("name", "[]", "必须是文本，而不是列表"),
    ],
)
def test_chinese_schema_messages(kam, tmp_path, field, value, said):
    from conftest import STAKEHOLDERS

    repo = _small_repo(tmp_path)
    lines = [ln for ln in STAKEHOLDERS.splitlines() if not ln.strip().startswith(f"{field}:")]
    at = next(i for i, ln in enumerate(lines) if ln.strip().startswith("- id:"))
    indent = lines[at].index("-") + 2
    lines.insert(at + 1, " " * indent + f"{field}: {value}")
    (repo / "accounts" / "acme" / "stakeholders.yaml").write_text(
        "\n".join(lines) + "\n", encoding="utf-8"
    )
    r = kam(repo, "check", "acme", "--format", "json", *ZH)
    messages = [f["message"] for f in r.json()["findings"] if f["code"] == "KAM002"]
    assert any(said in m for m in messages), messages


def test_chinese_rule_documentation(kam):
    from kamtool.catalogue import RULES

    allowed = _allowed_words([]) | HISTORY_TYPED
    for code in RULES:
        r = kam(REPO, "rules", code, *ZH, env={"COLUMNS": "80"})
        assert r.exit_code == 0, r.stderr
        for heading in ("发现什么", "为什么重要", "如何修正"):
            assert heading in r.stdout, (code, heading)
        left = _no_english(r.stdout.split("\n", 1)[1], allowed)  # after "CODE name: ..."
        assert left == [], f"{code}: {left}"
        assert _fits_80(r.stdout) == [], "\n".join(_fits_80(r.stdout))
    # the same paragraphs in English, as written in the rule's docstring
    r = kam(REPO, "rules", "KAM104")
    assert RULES["KAM104"].finds in " ".join(r.stdout.split())
    assert "Finds" not in r.stdout and "What it finds" in r.stdout


def test_rule_paragraphs_are_in_the_catalogue():
    """The extraction method of babel.cfg puts every Finds/Why/Fix paragraph, as
    ``Rule.section`` gives it, in the catalogue beside the marked strings."""
    from kamtool.catalogue import RULES
    from kamtool.rule import extract_messages

    marked = _marked()
    for rule in RULES.values():
        for text in (rule.finds, rule.why, rule.fix):
            assert text in marked, (rule.code, text)
    source = (
        b'def f():\n    """Finds: one\n    thing.\n\n    Why: it matters.\n\n    Fix: fix it."""\n'
    )
    found = [m for _l, _f, m, _c in extract_messages(io.BytesIO(source), ["_"], [], {})]
    assert found == ["One thing.", "It matters.", "Fix it."]


def test_a_changed_rule_paragraph_makes_the_catalogue_stale(tmp_path):
    """`tools/catalogues.py --check` fails when a rule's documentation changed and the
    catalogue was not refreshed, as it does for any marked string."""
    import shutil

    skip = shutil.ignore_patterns("__pycache__", "*.so", "*.pyc")
    shutil.copytree(REPO / "src", tmp_path / "src", ignore=skip)
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    (tmp_path / "tools").mkdir()
    shutil.copy(REPO / "tools" / "catalogues.py", tmp_path / "tools")
    shutil.copy(REPO / "babel.cfg", tmp_path)

    def check() -> int:
        script = str(tmp_path / "tools" / "catalogues.py")
        return subprocess.run([sys.executable, script, "--check"], capture_output=True).returncode

    assert check() == 0
    rules = tmp_path / "src" / "kamtool" / "analyse" / "rules" / "relationships.py"
    text = rules.read_text(encoding="utf-8")
    assert "    Why: " in text
    rules.write_text(text.replace("    Why: ", "    Why: really, ", 1), encoding="utf-8")
    assert check() == 1


def test_chinese_text_in_a_very_narrow_terminal_ends(kam, tmp_path):
    """Wrapping put a wide character into a room of one cell and never got past it: a
    Chinese finding at COLUMNS=6 ran forever. Now each character goes whole and nothing
    of the text is lost."""
    from kamtool.report.term import wrap, wrap_wide

    # 张伟 is four cells: after a four-cell indent one character a line, one cell over
    assert wrap("张伟 张伟", 5, indent="    ") == ["张伟", "    张", "    伟"]
    assert "".join(wrap_wide("决策者张伟（CTO）", 3, indent="  ")).replace(" ", "") == (
        "决策者张伟（CTO）"
    )
    r = kam(REPO, "check", "accounts/nordtel", "--lang", "zh-CN", env={"COLUMNS": "6"})
    # it ends (it used to run forever), down to its summary line
    assert r.exit_code == 0 and r.stdout.rstrip().replace("\n", "").endswith("个提示")


# ---------------------------------------------------------------- settled before any option
ZH_YAML = "language: zh-CN\n"


@pytest.mark.parametrize(
    "args, chinese",
    [
        (["check", "--format", "xml"], "--format 必须是"),
        (["check", "--today", "2026-1-5"], "--today 必须是 YYYY-MM-DD 格式的日期"),
        (["check", "--fail-on", "never"], "--fail-on 必须是"),
        (["agenda", "--days", "-3"], "--days 必须是 0 或更大的整数天数，而不是“-3”"),
        (["agenda", "--days", "abc"], "--days 必须是 0 或更大的整数天数，而不是“abc”"),
        (["log", "acme", "the-boss", "--kind", "lunch"], "--kind 必须是"),
        (["check", "--lang", "fr"], "--lang 必须是 en、zh-CN 之一"),
        (["check", "--bogus"], "没有选项 --bogus"),
        (["check", "--fail-o"], "没有选项 --fail-o；您是指 --fail-on 吗？"),
        (["log"], "缺少参数“ID”"),
        (["log", "acme", "the-boss", "--kind"], "选项 --kind 需要一个值"),
        (["nosuch"], "没有命令“nosuch”"),
    ],
)
def test_usage_errors_speak_kam_yaml_language(kam, tmp_path, args, chinese):
    """kam.yaml's language is settled before any option is checked (issue: usage errors
    came out in English unless --lang was given), click's usage errors included."""
    repo = _small_repo(tmp_path, ZH_YAML)
    r = kam(repo, *args)
    assert r.exit_code == 2
    assert chinese in r.stderr, r.stderr
    assert "kam：错误：" in r.stderr
    assert "Input should be" not in r.stderr and "Error:" not in r.stderr


def test_usage_errors_stay_english_without_chinese(kam, tmp_path):
    repo = _small_repo(tmp_path, "language: en\n")
    r = kam(repo, "check", "--bogus")
    assert r.exit_code == 2 and "No such option: --bogus" in r.stderr
    r = kam(repo, "agenda", "--days", "abc")
    assert r.exit_code == 2
    assert "--days must be a whole number of days, 0 or more, not 'abc'" in r.stderr
    # --lang on the command line still wins over kam.yaml for usage errors
    r = kam(_small_repo(tmp_path / "zh", ZH_YAML), "check", "--format", "xml", "--lang", "en")
    assert "--format must be one of" in r.stderr


def test_config_option_names_the_language_file(kam, tmp_path):
    """--config names the kam.yaml whose language applies, from anywhere."""
    repo = _small_repo(tmp_path / "repo")
    other = tmp_path / "elsewhere.yaml"
    other.write_text("# team settings\nlanguage: 'zh-CN'   # 中文\n", encoding="utf-8")
    r = kam(repo, "check", "--today", "soon", "--config", str(other))
    assert "--today 必须是" in r.stderr, r.stderr
    assert "--today must be" in kam(repo, "check", "--today", "soon").stderr


def test_invalid_kam_yaml_is_reported_in_its_valid_language(kam, tmp_path):
    """kam.yaml does not validate (currency: 3), but its language key alone is valid:
    the findings and the error line are in that language."""
    repo = _small_repo(tmp_path, "language: zh-CN\naccounts: accounts\ncurrency: 3\n")
    r = kam(repo, "check")
    assert r.exit_code == 2
    assert "kam.yaml:3:11: KAM002 currency：必须是文本，而不是数字" in r.stderr, r.stderr
    assert "kam：错误：配置无效" in r.stderr
    # an invalid language itself: nothing to go by, English
    r = kam(_small_repo(tmp_path / "fr", "language: fr\ncurrency: 3\n"), "check")
    assert r.exit_code == 2 and "kam: error: invalid configuration" in r.stderr


def test_library_run_reports_invalid_config_in_its_language(tmp_path, monkeypatch):
    """Not only the CLI: the library's workspace reads the language before the rest."""
    from kamtool import i18n
    from kamtool.errors import ConfigError
    from kamtool.load.locate import workspace

    repo = _small_repo(tmp_path, "currency: 3\nlanguage: zh-CN\n")
    monkeypatch.setenv("LANG", "C.UTF-8")
    i18n.reset()
    try:
        with pytest.raises(ConfigError) as caught:
            workspace(cwd=repo, today="2026-11-30")
        assert "必须是文本" in caught.value.findings[0].message
    finally:
        i18n.reset()


# ---------------------------------------------------------------- writes refused in the language
def _read_only(folder: Path) -> bool:
    """Make ``folder`` read-only for whoever runs the tests: its mode for a user, the
    immutable attribute for root (who writes into any mode). False when neither works."""
    import os

    if os.geteuid() != 0:
        folder.chmod(0o555)
        return True
    r = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    return r.returncode == 0


def _writable(folder: Path) -> None:
    import os

    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    folder.chmod(0o755)


@pytest.mark.parametrize(
    "lang, message",
    [("zh-CN", "accounts 是只读文件夹"), ("en", "accounts is a read-only folder: nothing written")],
)
def test_init_into_a_read_only_accounts_folder_says_so(kam, tmp_path, lang, message):
    """`kam init` into a read-only accounts/ said "cannot create the folder ...:
    Operation not permitted" in English, where every other write names the read-only
    folder in the output language; and it leaves nothing behind (no schemas)."""
    repo = _small_repo(tmp_path, f"language: {lang}\n")
    accounts = repo / "accounts"
    if not _read_only(accounts):
        pytest.skip("cannot make a folder read-only here")
    try:
        r = kam(repo, "init", "neu", "--name", "新客户")
        assert r.exit_code == 1, r.stderr
        assert message in r.stderr, r.stderr
        assert "cannot create" not in r.stderr and "Operation not permitted" not in r.stderr
        assert not (accounts / "neu").exists() and not (repo / "schemas").exists()
    finally:
        _writable(accounts)


def test_portfolio_row_of_untiered_accounts_is_translated(kam, tmp_path):
    """`kam portfolio` in Chinese showed "- no tier" for the accounts no tier covers."""
    kam_yaml = (
        "language: zh-CN\n"
        "tiers:\n"
        "  - {name: K, label: 核心, position: 5, value: 5}\n"
        "focus_tiers: [K]\n"
    )
    repo = _small_repo(tmp_path, kam_yaml)  # acme: position 3, value 3: under no tier
    for fmt in ("table", "markdown"):
        r = kam(repo, "portfolio", "--format", fmt, env={"COLUMNS": "120"})
        assert r.exit_code == 0, r.stderr
        assert "- 未分级" in r.stdout, r.stdout
        assert "no tier" not in r.stdout
    # JSON keeps the data as it is
    doc = kam(repo, "portfolio", "--format", "json").json()
    assert any(row["label"] == "no tier" for row in doc["tiers"]), doc["tiers"]


def _comments_of(text: str) -> list[str]:
    """The comment texts of a YAML file kam wrote (the schema modeline left out)."""
    found = []
    for line in text.splitlines():
        at = line.find("#")
        if at >= 0 and "yaml-language-server" not in line:
            found.append(line[at:].lstrip("# "))
    return [c for c in found if c and not c.startswith(("tier", "backup"))]


def test_files_kam_writes_carry_comments_in_the_output_language(kam, tmp_path):
    """`kam init` and the log.yaml `kam log` creates wrote English comments for a zh-CN
    team; the comments follow the output language, keys stay English, and the Chinese
    scaffold is still a valid account."""
    repo = tmp_path / "zh"
    (repo / ".git").mkdir(parents=True)
    (repo / "kam.yaml").write_text(ZH_YAML, encoding="utf-8")
    r = kam(repo, "init", "huaxin", "--name", "华信证券", "--owner", "王芳")
    assert r.exit_code == 0, r.stderr
    folder = repo / "accounts" / "huaxin"
    texts = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.yaml")}
    assert "# 客户概况及其分级依据" in texts["account.yaml"]
    assert "# 我方客户经理" in texts["account.yaml"]
    assert "# 干系人。attitude" in texts["stakeholders.yaml"]
    assert (
        "owner: 王芳" in texts["stakeholders.yaml"]
        and "stakeholders:\n" in texts["stakeholders.yaml"]
    )
    for name, text in texts.items():
        for comment in _comments_of(text):
            # every comment of prose is Chinese (value lists such as build | stabilize, and
            # the commented example entries of targets.yaml, are data and stay)
            if "|" not in comment and not comment.startswith("- {"):
                assert re.search(r"[\u4e00-\u9fff]", comment), (name, comment)
        assert "our account manager" not in text and "The people" not in text
    r = kam(repo, "check", "huaxin")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert kam(repo, "validate", "huaxin").exit_code == 0
    r = kam(repo, "log", "huaxin", "first-contact", "-m", "初次拜访")
    assert r.exit_code == 0, r.stderr
    log = (folder / "log.yaml").read_text(encoding="utf-8")
    assert log.splitlines()[1] == "# 联系记录，按时间先后排列；`kam log` 把新记录追加在末尾。"
    assert kam(repo, "validate", "huaxin").exit_code == 0
    # English stays as it was for an English team
    r = kam(_small_repo(tmp_path / "en", "language: en\n"), "init", "beta")
    assert r.exit_code == 0, r.stderr
    en = (tmp_path / "en" / "accounts" / "beta" / "account.yaml").read_text(encoding="utf-8")
    assert "# The account profile and its grading inputs." in en
    assert "owner: your.name              # our account manager\n" in en


def _person(pid: str, name: str) -> str:
    return (
        f"  - id: {pid}\n    name: {name}\n    roles: [E]\n    attitude: 1\n"
        "    intimacy: 1\n    owner: li.ming\n    last_contact: 2026-11-20\n"
        "    reviewed: 2026-11-01\n"
    )


@pytest.mark.parametrize(
    "people, typed, suggested",
    [
        ([("liu-yang", "刘洋"), ("chen-zong", "陈建国")], "刘阳", "“刘洋”"),  # same pinyin
        ([("liu-yang", "刘洋"), ("chen-zong", "陈建国")], "陈建", "“chen-zong”"),
        ([("liu-yang", "刘洋"), ("chen-zong", "陈建国")], "陈键国", "“陈建国”"),
        ([("liu-yang", "刘洋"), ("liu-yang2", "刘扬")], "刘阳", None),  # two as close: none
        ([("liu-yang", "刘洋"), ("chen-zong", "陈建国")], "李阳", None),  # two apart: none
    ],
)
def test_did_you_mean_catches_a_one_character_slip_in_a_short_chinese_name(
    kam, tmp_path, people, typed, suggested
):
    """`kam log huaxin 刘阳` for 刘洋 gave no suggestion: two characters sharing one is
    below difflib's cutoff, yet it is the usual input-method slip."""
    stakeholders = "stakeholders:\n" + "".join(_person(i, n) for i, n in people)
    repo = tmp_path
    (repo / ".git").mkdir()
    write_account(repo, "huaxin", {"stakeholders.yaml": stakeholders})
    r = kam(repo, "log", "huaxin", typed, "-m", "x", "--lang", "zh-CN")
    assert r.exit_code == 1, r.stderr
    assert f"没有干系人“{typed}”" in r.stderr, r.stderr
    if suggested is None:
        assert "您是指" not in r.stderr, r.stderr
    else:
        assert f"您是指{suggested}吗？" in r.stderr, r.stderr


def test_kam307_names_each_missing_year_with_its_unit_in_chinese(kam, tmp_path):
    """KAM307 ran the years together in Chinese ("缺少 2027和2029 年")."""
    repo = _small_repo(tmp_path, ZH_YAML)  # acme: position 3, value 3: tier A, a focus tier

    def kam307(account_yaml_extra: str = "") -> str:
        if account_yaml_extra:
            path = repo / "accounts" / "acme" / "account.yaml"
            path.write_text(path.read_text(encoding="utf-8") + account_yaml_extra, "utf-8")
        doc = kam(repo, "check", "--format", "json", "--fail-on", "info").json()
        (f,) = [f for f in doc["findings"] if f["code"] == "KAM307"]
        return f["message"]

    assert "缺少 2027 年和 2029 年的预期价值" in kam307(), kam307()
    one = kam307("value_curve:\n  - {year: 2027, expected: 1.2e7}\n")
    assert "缺少 2029 年的预期价值" in one and "2027" not in one, one
    english = kam(repo, "check", "--format", "json", "--fail-on", "info", "--lang", "en").json()
    (f,) = [f for f in english["findings"] if f["code"] == "KAM307"]
    assert "no expected value for 2029 (one and three years out)" in f["message"]
    (repo / "accounts" / "acme" / "account.yaml").write_text(
        (repo / "accounts" / "acme" / "account.yaml")
        .read_text(encoding="utf-8")
        .replace("value_curve:\n  - {year: 2027, expected: 1.2e7}\n", ""),
        encoding="utf-8",
    )
    both = kam(repo, "check", "--format", "json", "--fail-on", "info", "--lang", "en").json()
    (f,) = [f for f in both["findings"] if f["code"] == "KAM307"]
    assert "for 2027 and 2029 (one and three years out)" in f["message"], f["message"]


def test_no_text_is_marked_only_inside_an_f_string():
    """babel reads a Python file token by token: up to Python 3.11 an f-string is one
    token, so `f"kam.yaml: {_('unreadable')}"` marked a text that the catalogue never
    got (kam said "unreadable" in Chinese output), while on 3.12 and later babel finds
    it, and the catalogues made on two Pythons differ. Each text marked inside an
    f-string must be in the catalogue (marked elsewhere too), whatever Python runs this."""
    import ast

    pot = _ids(_read(POT))
    marks = {"_", "N_", "ngettext", "pgettext"}
    missing = []
    for path in sorted((REPO / "src" / "kamtool").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fstring in ast.walk(tree):
            if not isinstance(fstring, ast.JoinedStr):
                continue
            for call in ast.walk(fstring):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id in marks
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                    and isinstance(call.args[0].value, str)
                    and call.args[0].value not in pot
                ):
                    missing.append(
                        f"{path.relative_to(REPO)}:{call.lineno}: {call.args[0].value!r}"
                    )
    assert missing == [], (
        "marked inside an f-string only (take it out of the f-string):\n" + "\n".join(missing)
    )
