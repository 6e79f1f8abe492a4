"""Defects of a sales-operations trial: kam rolled out to six teams in one repository and
tailored through kam.yaml (tiers of their own, stricter freshness, severities per rule,
currency and rates), every setting tried at sensible and at wrong values, and compared
with the JSON Schema `kam schema` writes.

- a kam.yaml that does not load reached no CI format: `kam check --format github` wrote
  the error as text on stderr (no annotation on the pull request that broke it), and
  SARIF, JUnit and Code Quality files came out empty;
- a table of tiers of its own without `focus_tiers` gave two errors at line 1 about
  focus tiers 'S' and 'A' the user never wrote;
- `planning: {deadline: 2026-03-31}` showed Python's `datetime.date(2026, 3, 31)`;
- a duration of 99999999999999y was taken, and `kam agenda` stopped with an internal
  error (so did an account `reviewed: 9999-12-20`);
- `rates: {USD: .inf}`, a revenue of 1e308 or .nan stopped `kam portfolio` and `kam
  plan` with an internal error;
- the schema took what kam refuses: `rates: {usd: 0.9}`, `planning: {deadline: 13-01}`.
"""

from __future__ import annotations

import json

import pytest

from conftest import write_account
from gitrepo import commit, new_repo


def _repo(tmp_path, config: str):
    repo = new_repo(tmp_path / "sales")
    (repo / "kam.yaml").write_text(config, encoding="utf-8")
    write_account(repo, "nordic-telco")
    commit(repo, "accounts")
    return repo


# ---------------------------------------------------------------- a broken kam.yaml in CI
BROKEN = "rules:\n  KAM106: erorr\n"


def test_a_broken_kam_yaml_is_annotated_on_its_line_in_github_format(kam, tmp_path):
    repo = _repo(tmp_path, BROKEN)
    r = kam(repo / "accounts" / "nordic-telco", "check", "--format", "github")
    assert r.exit_code == 2
    assert r.stdout.startswith("::error file=kam.yaml,line=2,col=11,title=KAM002 ")
    assert "got 'erorr' (did you mean 'error'?)" in r.stdout
    assert "kam: error: invalid configuration" in r.stderr


@pytest.mark.parametrize("command", ["check", "stale", "validate"])
def test_a_broken_kam_yaml_is_a_finding_of_every_ci_format(kam, tmp_path, command):
    repo = _repo(tmp_path, BROKEN)
    sarif = kam(repo, command, "--format", "sarif")
    assert sarif.exit_code == 2
    # the log still says what to fix when the report goes to a file
    assert "kam.yaml:2:11: KAM002 rules.KAM106" in sarif.stderr
    (result,) = json.loads(sarif.stdout)["runs"][0]["results"]
    assert result["ruleId"] == "KAM002"
    region = result["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == "kam.yaml"
    assert region["region"] == {"startLine": 2, "startColumn": 11}
    gitlab = kam(repo, command, "--format", "gitlab")
    assert gitlab.exit_code == 2
    assert [(i["location"]["path"], i["location"]["lines"]["begin"]) for i in gitlab.json()] == [
        ("kam.yaml", 2)
    ]
    junit = kam(repo, command, "--format", "junit")
    assert junit.exit_code == 2
    assert 'failures="1"' in junit.stdout and 'classname="kam.yaml"' in junit.stdout
    data = kam(repo, command, "--format", "json")
    assert data.exit_code == 2
    assert [(f["path"], f["line"], f["code"]) for f in data.json()["findings"]] == [
        ("kam.yaml", 2, "KAM002")
    ]
    text = kam(repo, command)
    assert text.exit_code == 2 and text.stdout == ""
    assert "kam.yaml:2:11: KAM002 rules.KAM106" in text.stderr


# ---------------------------------------------------------------- mistakes in kam.yaml
def test_own_tiers_without_focus_tiers_is_one_error_at_tiers_naming_the_key(kam, tmp_path):
    repo = _repo(
        tmp_path,
        "# six teams\ntiers:\n"
        "  - {name: Key, position: 4, value: 4}\n"
        "  - {name: Rest, position: 1, value: 1}\n",
    )
    r = kam(repo, "check")
    assert r.exit_code == 2
    lines = [line for line in r.stderr.splitlines() if "KAM002" in line]
    assert lines == [
        "kam.yaml:2:1: KAM002 focus_tiers is not set, and its default (S, A) names S, A, "
        "which these tiers (Key, Rest) do not have: add focus_tiers with the tiers that "
        "get the most attention, such as focus_tiers: [Key] (error)"
    ]


def test_a_focus_tier_written_and_not_defined_is_still_named_where_written(kam, tmp_path):
    repo = _repo(tmp_path, "focus_tiers: [S, X]\n")
    r = kam(repo, "check")
    assert r.exit_code == 2
    assert "kam.yaml:1:18: KAM002 focus tier 'X' is not a defined tier (S, A, B, C)" in r.stderr


def test_a_deadline_written_as_a_date_is_shown_as_written(kam, tmp_path):
    repo = _repo(tmp_path, "planning: {deadline: 2026-03-31}\n")
    r = kam(repo, "check")
    assert r.exit_code == 2
    assert "datetime" not in r.stderr
    assert (
        "planning.deadline: must be a day of the year MM-DD, without the year; got "
        "2026-03-31 (did you mean '03-31'?)"
    ) in r.stderr


@pytest.mark.parametrize("written", ["99999999999999y", "1000y", "100000", "100000d", "10000w"])
def test_a_duration_past_999_years_is_refused(kam, tmp_path, written):
    repo = _repo(
        tmp_path, f"freshness:\n  account_reviewed: {{warn_after: {written}, error_after: 1y}}\n"
    )
    r = kam(repo, "agenda")
    assert r.exit_code == 2
    assert "freshness.account_reviewed.warn_after: must be a duration" in r.stderr
    assert "at most 99999d, 9999w, 9999m or 999y" in r.stderr


def test_the_longest_durations_and_a_far_future_date_make_an_agenda(kam, tmp_path):
    repo = _repo(
        tmp_path,
        "freshness:\n"
        "  account_reviewed: {warn_after: 999y, error_after: 999y}\n"
        "  stakeholder_reviewed: {warn_after: 9999m, error_after: 9999m}\n"
        "  sponsor_touch: {warn_after: 99999d, error_after: 99999}\n",
    )
    write_account(
        repo,
        "far-future",
        {
            "account.yaml": "id: far-future\nname: F\nowner: li.ming\nreviewed: 9999-12-20\n"
            "position: 3\nvalue: 3\n"
        },
    )
    r = kam(repo, "agenda", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert "internal error" not in r.stderr


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("rates: {USD: .inf}", "rates.USD: must be a finite number; got inf"),
        ("rates: {USD: .nan}", "rates.USD: must be a finite number; got nan"),
        (
            "rates: {USD: 1e10}",
            "rates.USD: must be less than or equal to 1000000000; got 10000000000",
        ),
        ("rates: {USD: 0}", "rates.USD: must be greater than 0; got 0"),
    ],
)
def test_a_rate_that_is_no_usable_number_is_refused(kam, tmp_path, config, message):
    repo = _repo(tmp_path, f"currency: EUR\n{config}\n")
    r = kam(repo, "portfolio")
    assert r.exit_code == 2
    assert message in r.stderr
    assert "internal error" not in r.stderr


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (".nan", "facts.revenue: must be a finite number; got nan"),
        (".inf", "facts.revenue: must be a finite number; got inf"),
        ("1e308", "facts.revenue: must be less than or equal to 1000000000000000000"),
    ],
)
def test_a_revenue_that_is_no_usable_number_is_a_finding_not_a_crash(
    kam, tmp_path, written, message
):
    repo = _repo(tmp_path, "currency: EUR\n")
    write_account(
        repo,
        "baltic-grid",
        {
            "account.yaml": "id: baltic-grid\nname: B\nowner: li.ming\nreviewed: 2026-10-01\n"
            f"position: 4\nvalue: 4\nfacts:\n  revenue: {written}\n  currency: EUR\n"
            "value_curve:\n  - {year: 2025, expected: .nan}\n"
        },
    )
    r = kam(repo, "portfolio")
    assert r.exit_code == 1
    assert message in r.stdout + r.stderr
    assert "value_curve #1 (2025).expected: must be a finite number; got nan" in r.stdout + r.stderr
    assert "internal error" not in r.stderr


# ---------------------------------------------------------------- the schema agrees with kam
def _schema_says(kam, repo, config: str) -> bool:
    """Whether the kam.yaml schema `kam schema -o` writes takes ``config`` (read as kam
    reads YAML, dates as the text written, as an editor sees them)."""
    import datetime as dt

    import jsonschema

    from kamtool.load.yamlread import parse

    # written beside the repository: kam refuses to run in one whose kam.yaml is broken
    assert kam(repo.parent, "schema", "-o", "schemas").exit_code == 0
    schema = json.loads((repo.parent / "schemas" / "kam.schema.json").read_text(encoding="utf-8"))
    data = parse(config).data

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(x) for k, x in value.items()}
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return jsonschema.Draft4Validator(schema).is_valid(plain(data))


@pytest.mark.parametrize(
    "config",
    [
        "currency: EUR\nrates: {usd: 0.9}\n",
        "currency: EUR\nrates: {DOLLAR: 0.9}\n",
        "planning: {deadline: 13-01}\n",
        "planning: {deadline: 02-30}\n",
        "planning: {deadline: 31-03}\n",
        "freshness: {account_reviewed: {warn_after: 1000y, error_after: 1000y}}\n",
        "freshness: {account_reviewed: {warn_after: 100000, error_after: 100000}}\n",
        "rates: {USD: 1e10}\n",
    ],
)
def test_the_schema_refuses_what_kam_refuses(kam, tmp_path, config):
    repo = _repo(tmp_path, config)
    assert kam(repo, "validate").exit_code == 2
    assert not _schema_says(kam, repo, config)


@pytest.mark.parametrize(
    "config",
    [
        "currency: EUR\nrates: {USD: 0.92, NOK: 0.085, JPY: 0.0062}\n",
        "planning: {deadline: 02-29}\n",
        "planning: {deadline: 12-31}\n",
        "freshness: {account_reviewed: {warn_after: 999y, error_after: 999y}}\n",
        "freshness: {account_reviewed: {warn_after: 6w, error_after: 99999}}\n",
        'freshness: {account_reviewed: {warn_after: " 30d ", error_after: 60d}}\n',
    ],
)
def test_the_schema_takes_what_kam_takes(kam, tmp_path, config):
    repo = _repo(tmp_path, config)
    r = kam(repo, "validate")
    assert r.exit_code == 0, r.stderr
    assert _schema_says(kam, repo, config)


# ---------------------------------------------------------------- a pull request of settings
def test_kam_diff_of_a_settings_only_change_says_what_each_setting_became(kam, tmp_path):
    """A pull request that only tightened kam.yaml said "kam.yaml settings differ ...:
    freshness, rules" and "No relationship changes": the reviewer could not tell what
    the rules became without opening the file."""
    repo = _repo(tmp_path, "rules:\n  KAM301: info\n")
    (repo / "kam.yaml").write_text(
        "freshness:\n"
        "  last_contact:\n"
        "    focus: {warn_after: 3w, error_after: 6w}\n"
        "    other: {warn_after: 90d, error_after: 180d}\n"
        "rules:\n"
        "  KAM301: error\n"
        "  KAM106: off\n"
        "currency: EUR\n",
        encoding="utf-8",
    )
    commit(repo, "stricter settings")
    text = kam(repo, "diff", "HEAD~1", "HEAD")
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[1].startswith(
        "kam.yaml settings differ between HEAD~1 and HEAD: freshness, rules, currency"
    )
    assert lines[2:8] == [
        "  freshness.last_contact.focus.warn_after: 30d → 21d",
        "  freshness.last_contact.focus.error_after: 60d → 42d",
        "  rules.KAM301: info → error",
        "  rules.KAM106: warning (default) → off",
        "  currency: not set → EUR",
        "",
    ]
    md = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "markdown").stdout
    assert "- `rules.KAM106`: warning (default) → `off`\n" in md
    data = kam(repo, "diff", "HEAD~1", "HEAD", "--format", "json").json()
    assert data["settings_changed"] == ["freshness", "rules", "currency"]
    assert {"key": "rules.KAM106", "before": None, "after": "off"} in data["settings"]
    assert {"key": "freshness.last_contact.focus.warn_after", "before": 30, "after": 21} in data[
        "settings"
    ]


def test_kam_diff_shows_a_changed_tier_table_and_its_labels(kam, tmp_path):
    tiers = "tiers:\n  - {name: Key, label: %s, position: 4, value: 4}\n  - {name: Rest, position: 1, value: 1}\nfocus_tiers: [Key]\n"
    repo = _repo(tmp_path, tiers % "Strategic")
    (repo / "kam.yaml").write_text(tiers % "Key account", encoding="utf-8")
    r = kam(repo, "diff")
    assert (
        "  tiers: [Key (Strategic) 4/4, Rest 1/1] → [Key (Key account) 4/4, Rest 1/1]"
        in r.stdout.splitlines()
    )


# ---------------------------------------------------------------- small slips, better advice
def test_an_empty_tiers_key_is_not_told_to_be_an_empty_list(kam, tmp_path):
    """`tiers:` with nothing after it was told "write tiers: [] for none", which kam then
    refuses (a table of tiers needs one tier)."""
    repo = _repo(tmp_path, "tiers:\n")
    r = kam(repo, "check")
    assert r.exit_code == 2
    assert (
        "kam.yaml:1:7: KAM002 tiers: must be a list, not empty (nothing after tiers: write "
        "at least one item in brackets, or delete the line)"
    ) in r.stderr
    offerings = kam(_repo(tmp_path / "b", "offerings:\n"), "check")
    assert "write offerings: [] for none" in offerings.stderr


def test_a_rule_code_typed_with_b_for_8_is_named(kam, tmp_path):
    repo = _repo(tmp_path, "rules:\n  KAM10B: off\n")
    r = kam(repo, "check")
    assert "kam.yaml:2:3: KAM002 unknown rule code 'KAM10B' (did you mean 'KAM108'?)" in r.stderr


def test_a_team_kam_yaml_in_a_sub_folder_is_named_when_its_accounts_are_not_there(kam, tmp_path):
    """A team's own kam.yaml in teams/emea (to make its rules stricter) is the one kam
    reads from there, its accounts folder read from that folder: "no accounts folder at
    accounts" did not say which kam.yaml had sent kam there."""
    repo = _repo(tmp_path, "")
    team = repo / "teams" / "emea"
    team.mkdir(parents=True)
    (team / "kam.yaml").write_text("rules: {KAM106: error}\n", encoding="utf-8")
    r = kam(team, "check")
    assert r.exit_code == 2
    assert (
        "no accounts folder at accounts (accounts: accounts in kam.yaml, read from its "
        "folder): correct accounts: there or name another kam.yaml with --config"
    ) in r.stderr
    ok = kam(team, "check", "--config", "../../kam.yaml")
    assert ok.exit_code == 0, ok.stderr


# ---------------------------------------------------------------- currency and rates
def test_rates_without_a_currency_are_refused_with_what_to_add(kam, tmp_path):
    """`rates: {USD: 0.92}` without `currency:` was read against the currency most
    accounts use that day (here NOK): the USD revenue was added in as NOK at 0.92, and
    the totals would change meaning as accounts came and went."""
    repo = _repo(tmp_path, "# rates to EUR\nrates: {USD: 0.92}\n")
    r = kam(repo, "portfolio")
    assert r.exit_code == 2
    assert (
        "kam.yaml:2:1: KAM002 rates say what one unit of each currency is worth in currency, "
        "which is not set: add currency: with the currency of the rates, such as currency: EUR"
    ) in r.stderr


def test_a_rate_for_the_base_currency_other_than_1_is_refused(kam, tmp_path):
    repo = _repo(tmp_path, "currency: EUR\nrates:\n  USD: 0.92\n  EUR: 2\n")
    r = kam(repo, "portfolio")
    assert r.exit_code == 2
    assert (
        "kam.yaml:4:3: KAM002 EUR is the base currency (currency: EUR): one EUR is 1 EUR; "
        "delete this rate"
    ) in r.stderr
    (repo / "kam.yaml").write_text("currency: EUR\nrates: {USD: 0.92, EUR: 1}\n", encoding="utf-8")
    assert kam(repo, "portfolio").exit_code == 0


def test_config_naming_a_folder_says_so_and_names_the_file_in_it(kam, tmp_path):
    """`--config teams/emea` (the folder of a team's kam.yaml) said "config file not
    found: teams/emea", though the folder and the file in it are there."""
    repo = _repo(tmp_path, "")
    (repo / "teams" / "emea").mkdir(parents=True)
    (repo / "teams" / "emea" / "kam.yaml").write_text("accounts: ../../accounts\n")
    r = kam(repo, "check", "--config", "teams/emea")
    assert r.exit_code == 2
    assert (
        "kam: error: --config names a file, and teams/emea is a folder: name the kam.yaml "
        "in it, --config teams/emea/kam.yaml"
    ) in r.stderr
    assert "it holds no kam.yaml" in kam(repo, "check", "--config", "teams").stderr
    assert kam(repo, "check", "--config", "teams/emea/kam.yaml").exit_code == 0
