"""kam check: the same findings in all six formats (golden files) and each format's own rules."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, write_account
from golden_util import assert_golden

FORMATS = {
    "text": "txt",
    "json": "json",
    "github": "github.txt",
    "sarif": "sarif",
    "junit": "xml",
    "gitlab": "gitlab.json",
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_examples_golden(kam, fmt):
    r = kam(REPO, "check", "--format", fmt, "--no-color")
    assert r.exit_code == 1  # the examples have stale contacts past the error threshold
    assert_golden(f"check.{FORMATS[fmt]}", r.stdout)


def test_all_formats_carry_the_same_findings(kam):
    base = kam(REPO, "check", "--format", "json").json()["findings"]
    keys = sorted((f["path"], f["line"], f["column"], f["code"]) for f in base)
    sarif = json.loads(kam(REPO, "check", "--format", "sarif").stdout)
    s_keys = sorted(
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
            r["ruleId"],
        )
        for r in sarif["runs"][0]["results"]
    )
    assert s_keys == keys
    gitlab = json.loads(kam(REPO, "check", "--format", "gitlab").stdout)
    assert sorted(
        (g["location"]["path"], g["location"]["lines"]["begin"], g["check_name"]) for g in gitlab
    ) == sorted((k[0], k[1], k[3]) for k in keys)
    assert len({g["fingerprint"] for g in gitlab}) == len(gitlab)
    text = kam(REPO, "check", "--format", "text").stdout
    assert sum(1 for line in text.splitlines() if ": KAM" in line) == len(keys)


def test_sarif_rules_metadata_and_fingerprints(kam):
    sarif = json.loads(kam(REPO, "check", "--format", "sarif").stdout)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules][:3] == ["KAM001", "KAM002", "KAM003"]
    for r in rules:
        assert r["shortDescription"]["text"] and r["help"]["text"]
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert not uri.startswith("/") and "\\" not in uri
        assert res["partialFingerprints"]["kamFinding/v1"]


def test_sarif_fingerprint_stable_when_lines_move(kam, tmp_path):
    write_account(
        tmp_path,
        "t",
        {"stakeholders.yaml": "stakeholders:\n  - {id: a, name: A, roles: [D], attitude: '?'}\n"},
    )
    one = json.loads(kam(tmp_path, "check", "--format", "sarif").stdout)["runs"][0]["results"]
    write_account(
        tmp_path,
        "t",
        {
            "stakeholders.yaml": "# a new comment\n\nstakeholders:\n  - {id: a, name: A, roles: [D], attitude: '?'}\n"
        },
    )
    two = json.loads(kam(tmp_path, "check", "--format", "sarif").stdout)["runs"][0]["results"]
    fp = lambda rs: sorted((r["ruleId"], r["partialFingerprints"]["kamFinding/v1"]) for r in rs)  # noqa: E731
    assert fp(one) == fp(two)

    def lines(rs):  # the findings in the file that moved (account.yaml has some too)
        return sorted(
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
            for r in rs
            if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
                "stakeholders.yaml"
            )
        )

    assert lines(two) == [n + 2 for n in lines(one)]


def test_fingerprints_survive_a_corrected_name_and_a_tier_change(kam, tmp_path):
    """SARIF and GitLab fingerprints read a finding without the names and the tier its
    message shows, as kam diff does: "Bobby" written out as "Robert Stone" (same id), or
    the account moved from tier S to A, is the same finding for code scanning, not one
    fixed and one new. Two people stay two findings."""
    people = (
        "stakeholders:\n"
        "  - {{id: bob, name: {bob}, roles: [D], attitude: 2, intimacy: 0, owner: li,"
        " reviewed: 2026-11-01}}\n"
        "  - {{id: eva, name: Eva Lind, roles: [E], attitude: 3, intimacy: -1, owner: li,"
        " reviewed: 2026-11-01}}\n"
    )
    profile = "id: t\nname: T AG\nowner: li\nreviewed: 2026-11-01\nposition: {p}\nvalue: {p}\n"

    def run(bob: str, position: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]], str]:
        write_account(
            tmp_path,
            "t",
            {
                "account.yaml": profile.format(p=position),
                "stakeholders.yaml": people.format(bob=bob),
            },
        )
        sarif = json.loads(kam(tmp_path, "check", "--format", "sarif").stdout)["runs"][0]
        gitlab = json.loads(kam(tmp_path, "check", "--format", "gitlab").stdout)
        return (
            sorted(
                (r["ruleId"], r["partialFingerprints"]["kamFinding/v1"]) for r in sarif["results"]
            ),
            sorted((i["check_name"], i["fingerprint"]) for i in gitlab),
            "\n".join(r["message"]["text"] for r in sarif["results"]),
        )

    sarif, gitlab, text = run("Bobby", 5)
    assert "Bobby (bob) supports us" in text and "tier S account" in text
    renamed = run("Robert Stone", 5)
    assert "Robert Stone (bob) supports us" in renamed[2]
    assert renamed[:2] == (sarif, gitlab)
    retiered = run("Robert Stone", 3)
    assert "tier A account" in retiered[2] and "tier S account" not in retiered[2]
    assert retiered[:2] == (sarif, gitlab)
    kam106 = [fp for code, fp in sarif if code == "KAM106"]
    assert len(set(kam106)) == 2  # Bob's and Eva's


def _multitool() -> str | None:
    for candidate in (
        os.environ.get("KAM_SARIF_MULTITOOL"),
        str(REPO / ".ci" / "node" / "node_modules" / ".bin" / "sarif-multitool"),
        shutil.which("sarif-multitool"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def multitool_errors(sarif_text: str, tmp_path: Path) -> list[dict]:
    """The SARIF Multitool's error-level results for a SARIF log (skips the test where the
    tool is not installed): the one validation every SARIF test runs."""
    tool = _multitool()
    if tool is None:
        pytest.skip("sarif-multitool not installed (.ci/run installs @microsoft/sarif-multitool)")
    sarif = tmp_path / "kam.sarif"
    sarif.write_text(sarif_text)
    out = tmp_path / "validation.sarif"
    proc = subprocess.run(
        [tool, "validate", str(sarif), "--output", str(out), "--log", "ForceOverwrite"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads(out.read_text())["runs"][0].get("results", [])
    return [r for r in results if r.get("level", "warning") == "error"]


def test_sarif_passes_microsoft_multitool(kam, tmp_path):
    errors = multitool_errors(kam(REPO, "check", "--format", "sarif").stdout, tmp_path)
    assert errors == [], errors


def test_junit_validates_against_xsd(kam, tmp_path):
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(Path(__file__).parent / "data" / "junit.xsd"))
    xml = kam(REPO, "check", "--format", "junit").stdout
    schema.validate(xml)
    import xml.etree.ElementTree as ET

    root = ET.fromstring(xml)
    cases = root.findall(".//testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    found = kam(REPO, "check", "--format", "json").json()["findings"]
    # every finding is a case; those at or above --fail-on (error) fail, the rest pass
    # with their text in system-out
    assert len(failures) == sum(1 for f in found if f["severity"] == "error")
    noted = [c for c in cases if c.find("system-out") is not None]
    assert len(failures) + len(noted) == len(found)
    passing = [c.get("classname") for c in cases if c.find("failure") is None]
    assert (
        "accounts/kessler-valves/stakeholders.yaml" in passing
    )  # a clean file gets a passing case
    assert all(c.get("classname").endswith(".yaml") for c in cases)


def test_junit_survives_control_characters(kam, tmp_path):
    xmlschema = pytest.importorskip("xmlschema")
    write_account(
        tmp_path,
        "t",
        {
            "stakeholders.yaml": 'stakeholders:\n  - {id: a, name: "A\\x01<&>\\"", roles: [D], attitude: "?"}\n'
        },
    )
    xml = kam(tmp_path, "check", "--format", "junit").stdout
    xmlschema.XMLSchema(str(Path(__file__).parent / "data" / "junit.xsd")).validate(xml)


def test_github_chosen_automatically_and_escaped(kam, tmp_path):
    write_account(
        tmp_path,
        "t",
        {
            "stakeholders.yaml": 'stakeholders:\n  - {id: a, name: "50% a,b:c\\nnext", roles: [D], attitude: "?"}\n'
        },
    )
    r = kam(tmp_path, "check", env={"GITHUB_ACTIONS": "true", "GITHUB_WORKFLOW": "ci"})
    line = next(ln for ln in r.stdout.splitlines() if "KAM101" in ln)
    assert line.startswith("::warning file=accounts/t/stakeholders.yaml,line=2,col=")
    assert "50%25 a,b:c%0Anext" in line  # message: %, CR and LF escaped
    assert "title=KAM101 Decision maker with unknown attitude::" in line
    # outside Actions the default is text
    assert kam(tmp_path, "check").stdout.startswith("accounts/t/")


def test_github_cap_of_ten_per_level(kam, tmp_path):
    people = "".join(
        f"  - {{id: p{i}, name: P{i}, roles: [D], attitude: '?'}}\n" for i in range(15)
    )
    write_account(tmp_path, "t", {"stakeholders.yaml": "stakeholders:\n" + people})
    r = kam(tmp_path, "check", "--format", "github")
    warnings = [ln for ln in r.stdout.splitlines() if ln.startswith("::warning")]
    assert len(warnings) == 10  # 9 findings + 1 summary annotation
    assert "more warning findings are not annotated" in warnings[-1]
    kam101 = [ln for ln in r.stdout.splitlines() if "KAM101" in ln]
    assert len(kam101) == 15  # the rest are still in the log
    assert r.stdout.count("::warning file=") == 9


def test_github_property_escaping_of_path(kam, tmp_path):
    from kamtool.report.ci import _gh_data, _gh_property

    assert _gh_property("a:b,c%d\r\n") == "a%3Ab%2Cc%25d%0D%0A"
    assert _gh_data("a:b,c%d\r\n") == "a:b,c%25d%0D%0A"


def test_sarif_results_are_the_json_writers_text(kam, tmp_path):
    """The SARIF results are written as text (fast on 90,000 findings): byte for byte what
    the JSON writer gives the same document, with quotes, backslashes, a tab,
    Chinese, emoji and a URI to escape."""
    from kamtool.report.jsonout import dumps

    # (a control character such as "\\x01" is refused as KAM001 where it is written)
    names = ['A \\"quoted\\" \\\\ back\\t', "张伟 😀", "O'Brien </script>"]
    people = "".join(
        f'  - {{id: p{i}, name: "{name}", roles: [D], attitude: "?", last_contact: 2020-01-0{i + 1}}}\n'
        for i, name in enumerate(names)
    )
    write_account(tmp_path, "t", {"stakeholders.yaml": "stakeholders:\n" + people})
    write_account(tmp_path, "客户-1", {"stakeholders.yaml": "stakeholders:\n" + people})
    out = kam(tmp_path, "check", "--format", "sarif").stdout
    sarif = json.loads(out)
    results = sarif["runs"][0]["results"]
    assert len(results) > 10
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} >= {
        "accounts/t/stakeholders.yaml",
        "accounts/%E5%AE%A2%E6%88%B7-1",  # KAM006: not a valid id, at the folder
    }
    assert any("张伟 😀" in r["message"]["text"] for r in results)
    assert any('"quoted" \\ back' in r["message"]["text"] for r in results)
    assert dumps(sarif) == out
    # no findings: an empty list, as the writer puts it
    clean = tmp_path / "clean"
    write_account(clean, "c")
    off = ("KAM306", "KAM307", "KAM110", "KAM116", "KAM113", "KAM119")
    (clean / "kam.yaml").write_text("rules:\n" + "".join(f"  {c}: off\n" for c in off))
    empty = kam(clean, "check", "--format", "sarif").stdout
    assert json.loads(empty)["runs"][0]["results"] == []
    assert dumps(json.loads(empty)) == empty


def test_junit_drops_exactly_the_characters_xml_cannot_carry():
    """JUnit's text drops what XML 1.0 cannot carry (its Char production), in one scan:
    every code point is kept or dropped as the production says."""
    from kamtool.report.ci import _xml_chars

    every = "".join(map(chr, range(0x110000)))
    allowed = "".join(
        ch
        for ch in every
        if ch in "\t\n\r"
        or 0x20 <= ord(ch) <= 0xD7FF
        or 0xE000 <= ord(ch) <= 0xFFFD
        or ord(ch) >= 0x10000
    )
    assert _xml_chars(every) == allowed
    assert _xml_chars("ok\x01\ud800\ufffe") == "ok"


def test_junit_attribute_values_are_quoted_as_the_standard_library_quotes_them():
    """JUnit's attribute values: the text ``xml.sax.saxutils.quoteattr`` gives (with
    newlines, carriage returns and tabs as references), after the characters XML cannot
    carry are dropped."""
    import itertools
    from xml.sax.saxutils import quoteattr as standard

    from kamtool.report.ci import _xml_chars, quoteattr

    entities = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
    alphabet = "&<>\"'\n\r\t a;é中\x01"
    for size in range(4):
        for chars in itertools.product(alphabet, repeat=size):
            text = "".join(chars)
            assert quoteattr(text) == standard(_xml_chars(text), entities)
