"""Defects of a sales-operations trial (a team of six key account managers, medical
devices, German, Japanese and Spanish names): kam.yaml mistakes that got no "did you
mean" or a wrong one, refused command-line choices without one, the currency worded as a
regular expression, and the portfolio matrix joining account names with commas when the
names hold commas themselves."""

from __future__ import annotations

import pytest

from conftest import write_account


def _config(tmp_path, text: str):
    (tmp_path / "kam.yaml").write_text(text, encoding="utf-8")
    write_account(tmp_path, "klinikum")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("kam105", "KAM105"), ("Kam108", "KAM108"), ("KAM1O5", "KAM105"), ("KAMl08", "KAM108")],
)
def test_rule_code_in_another_case_or_with_a_letter_for_a_digit_is_named(
    kam, tmp_path, typed, meant
):
    """`rules: {kam105: off}` said "unknown rule code 'kam105'" and nothing else, though
    `kam rules kam105` and `# kam: disable=kam105` take the code in any case; KAM1O5 (a
    letter O) was offered KAM115. Each now names the code meant."""
    _config(tmp_path, f"rules:\n  {typed}: off\n")
    r = kam(tmp_path, "check")
    assert r.exit_code == 2
    assert f"kam.yaml:2:3: KAM002 unknown rule code '{typed}' (did you mean '{meant}'?)" in (
        r.stdout + r.stderr
    )


@pytest.mark.parametrize("typed", ["no", "false", "none", "disabled"])
def test_a_no_for_a_rule_severity_suggests_off(kam, tmp_path, typed):
    """`KAM108: no` (YAML 1.2 text, not false) was offered 'info', the closest spelling;
    `KAM108: false` got no suggestion. Both mean the rule off."""
    _config(tmp_path, f"rules:\n  KAM108: {typed}\n")
    r = kam(tmp_path, "check")
    out = r.stdout + r.stderr
    assert r.exit_code == 2 and "kam.yaml:2:11: KAM002 rules.KAM108: must be one of" in out
    assert "(did you mean 'off'?)" in out and "'info'?" not in out


def test_a_misspelt_severity_still_gets_the_closest_one(kam, tmp_path):
    _config(tmp_path, "rules:\n  KAM105: eror\n")
    r = kam(tmp_path, "check")
    assert "(did you mean 'error'?)" in r.stdout + r.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "--fail-on", "warn"), "not 'warn' (did you mean 'warning'?)"),
        (("check", "--format", "sarf"), "not 'sarf' (did you mean 'sarif'?)"),
        (("check", "--format", "JSON"), "not 'JSON' (did you mean 'json'?)"),
        (("grade", "--format", "tabel"), "not 'tabel' (did you mean 'table'?)"),
    ],
)
def test_refused_choices_on_the_command_line_say_what_was_meant(kam, tmp_path, args, message):
    """kam.yaml's mistakes got a "did you mean", the command line's did not: `--fail-on
    warn` listed the levels and left the reader to spot the one meant."""
    write_account(tmp_path, "klinikum")
    r = kam(tmp_path, *args)
    assert r.exit_code == 2 and message in r.stderr


def test_a_refused_choice_far_from_every_option_gets_no_guess(kam, tmp_path):
    write_account(tmp_path, "klinikum")
    r = kam(tmp_path, "check", "--fail-on", "none")
    assert r.exit_code == 2
    assert "--fail-on must be one of error, warning, info, not 'none'\n" in r.stderr


@pytest.mark.parametrize(
    ("line", "where", "tail"),
    [
        ("currency: euro", "currency", "got 'euro'"),
        ("currency: eur", "currency", "got 'eur' (did you mean 'EUR'?)"),
        ("rates: {jpy: 0.0062}", "rates.jpy", "got 'jpy' (did you mean 'JPY'?)"),
    ],
)
def test_currency_mistakes_are_worded_without_a_regular_expression(
    kam, tmp_path, line, where, tail
):
    """`currency: euro` said "must match the pattern ^[A-Z]{3}$": a regular expression
    for a sales-operations reader. It now says what a currency code is, and names the
    code in capitals when only the case was wrong."""
    _config(tmp_path, line + "\n")
    r = kam(tmp_path, "check")
    out = " ".join((r.stdout + r.stderr).split())
    assert r.exit_code == 2 and "pattern" not in out and "[A-Z]" not in out
    assert f"KAM002 {where}: must be a three-letter currency code in capitals, such as" in out
    assert tail in out
    zh = kam(tmp_path, "check", "--lang", "zh-CN")
    assert "必须是大写的三字母货币代码" in zh.stdout + zh.stderr


def _two_in_one_cell(tmp_path):
    for account_id, name in [
        ("grupo-andaluz", "Grupo Hospitalario Andaluz, S.A."),
        ("vivantes", "Vivantes Labordiagnostik GmbH & Co. KG"),
    ]:
        write_account(
            tmp_path,
            account_id,
            {
                "account.yaml": f"""\
                    id: {account_id}
                    name: "{name}"
                    owner: li.ming
                    reviewed: 2026-10-01
                    position: 4
                    value: 4
                    """
            },
        )


def test_portfolio_matrix_parts_account_names_that_hold_commas(kam, tmp_path):
    """Two accounts in one cell of the position x value matrix were joined with ", ":
    "Grupo Hospitalario Andaluz, S.A., Vivantes Labordiagnostik GmbH & Co. KG" reads as
    three or four accounts. The terminal now gives each account of a shared cell its own
    line after a dash (at 80 columns too, where the names wrap), Markdown a line break."""
    _two_in_one_cell(tmp_path)
    text = kam(tmp_path, "portfolio", "--no-color", env={"COLUMNS": "200"}).stdout
    assert "S.A., Vivantes" not in text
    cell = [line.split("│")[5].strip() for line in text.splitlines() if line.count("│") == 7]
    starts = [c.split()[1] for c in cell if c.startswith("- ")]
    assert starts == ["Grupo", "Vivantes"], cell
    # at 80 columns the names follow the matrix, whole, parted by ";"
    text = kam(tmp_path, "portfolio", "--no-color", env={"COLUMNS": "80"}).stdout
    assert "S.A., Vivantes" not in text
    assert (
        "  value 4, position 4 (S): Grupo Hospitalario Andaluz, S.A.;\n"
        "    Vivantes Labordiagnostik GmbH & Co. KG"
    ) in text or (
        "  value 4, position 4 (S): Grupo Hospitalario Andaluz, S.A.; Vivantes "
        "Labordiagnostik GmbH & Co. KG"
    ) in text, text
    md = kam(tmp_path, "portfolio", "--format", "markdown").stdout
    assert (
        "| (S) Grupo Hospitalario Andaluz, S.A.<br>Vivantes Labordiagnostik GmbH & Co. KG |" in md
    )
    one = kam(tmp_path, "portfolio", "vivantes", "--no-color", env={"COLUMNS": "200"}).stdout
    assert "(S) Vivantes Labordiagnostik GmbH & Co. KG" in one and "- Vivantes" not in one


def test_kam_rules_names_the_code_meant_as_kam_yaml_does(kam, tmp_path):
    """`kam rules KAM1O5` (a letter O) offered KAM115, and unquoted ("did you mean
    KAM309?") where every other "did you mean" quotes what to type."""
    r = kam(tmp_path, "rules", "KAM1O5")
    assert r.exit_code == 1
    assert "no rule 'KAM1O5'; did you mean 'KAM105'?" in r.stderr
    assert "no rule 'KAM390'; did you mean 'KAM309'?" in kam(tmp_path, "rules", "KAM390").stderr
    # a code no slip away from any names none (KAM999 is not KAM309)
    assert kam(tmp_path, "rules", "KAM999").stderr == "kam: error: no rule 'KAM999'\n"
