"""kam plan's method sections (DOMAIN 2, 8, 9): the account team and its role coverage, the
value curve as a table and a Mermaid xychart, needs by layer with whose need it is, the
whitespace grid and the strategy; on an account unlike the examples."""

from __future__ import annotations

from conftest import REPO, write_account
from test_plan_map_portfolio import mermaid_parse

KAM_YAML = """\
team_roles: [relationship-lead, technical-expert, sceptic]
offerings:
  - {id: vision, name: Machine vision}
  - {id: mes, name: MES}
"""
ACCOUNT = """\
id: werk
name: Müller Präzisionswerk GmbH
owner: jonas.weber
reviewed: 2026-10-01
position: 4
value: 4
facts: {revenue: 850000, currency: CHF}
value_curve:
  - {year: 2024, expected: 900000, actual: 610000}
  - {year: 2025, expected: 950000, actual: 990000}
  - {year: 2027, expected: 1100000}
  - {year: 2029, expected: 1400000}
needs:
  - {kind: explicit, text: Inline inspection of turbine blades}
  - {kind: individual, text: Wants fewer night shifts for the quality team, stakeholder: meier}
competitors:
  - name: Optika AG
team:
  - {person: jonas.weber, roles: [relationship-lead]}
  - {person: ana.silva, roles: [technical-expert, researcher]}
footprint:
  - {unit: quality, offering: vision, status: open}
  - {unit: quality, offering: mes, status: competitor, competitor: Optika AG}
"""
ORG = "units:\n  - {id: quality, name: Qualitätssicherung, buying_center: true}\n"
PEOPLE = """\
stakeholders:
  - id: meier
    name: Dr. Eva Meier
    title: Leiterin Qualität
    unit: quality
    roles: [D]
    attitude: 2
    intimacy: 1
    owner: jonas.weber
    backup: ana.silva
    channels: [calls, plant visits]
    last_contact: 2026-11-20
"""
TARGETS = """\
period: 2027
strategy:
  level: 2
  needed_level: 4
  strengths: [Our vision pilot found 3x more defects]
  weaknesses: [No MES integration, Optika owns the line software]
  big_play:
    - {kind: displace, text: Replace Optika's inspection with ours at the 2027 line upgrade}
"""


def _plan(kam, tmp_path, files):
    (tmp_path / "kam.yaml").write_text(KAM_YAML, encoding="utf-8")
    write_account(tmp_path, "werk", files)
    r = kam(tmp_path, "plan", "werk")
    assert r.exit_code == 0, r.stderr
    return r.stdout


def test_plan_shows_every_method_section(kam, tmp_path):
    out = _plan(
        kam,
        tmp_path,
        {
            "account.yaml": ACCOUNT,
            "org.yaml": ORG,
            "stakeholders.yaml": PEOPLE,
            "targets.yaml": TARGETS,
        },
    )
    # the team and its coverage against kam.yaml team_roles (3 roles here)
    assert "Role coverage: 2 of 3 roles covered." in out
    assert "| sceptic |  | **missing** |" in out
    assert "| technical expert | ana.silva | ✓ |" in out
    # the value curve: table with the shortfall marked, and the chart
    # 67.8% rounded down, as KAM304 says it (a share is never rounded up to a threshold)
    assert "| 2024 | 900,000 | 610,000 | **67%** |" in out
    assert "| 2025 | 950,000 | 990,000 | 104% |" in out
    assert "xychart-beta" in out and "bar [0.61, 0.99]" in out
    assert "line [0.9, 0.95, 1.02, 1.1, 1.25, 1.4]" in out and 'y-axis "CHF million"' in out
    # needs by layer and whose
    assert "- Inline inspection of turbine blades (the organisation)" in out
    assert (
        "- Wants fewer night shifts for the quality team (Dr. Eva Meier, Leiterin Qualität)" in out
    )
    assert "**Implicit organisational needs**\n\n- none recorded" in out
    # the whitespace grid of this account
    assert "| Qualitätssicherung | 1 | open | competitor (Optika AG) |" in out
    # the strategy
    assert "Relationship level: 2 of 5 now, 4 needed (raise it by 2)." in out
    assert "| Our vision pilot found 3x more defects | No MES integration |" in out
    assert "|  | Optika owns the line software |" in out
    assert "- **displace a competitor**: Replace Optika's inspection with ours" in out
    assert out.index("### Strategy") < out.index("### Targets")


def test_plan_says_what_is_missing(kam, tmp_path):
    bare = ACCOUNT.split("value_curve:")[0]
    plain_org = "units:\n  - {id: quality, name: Qualitätssicherung}\n"  # no buying centre
    out = _plan(
        kam, tmp_path, {"account.yaml": bare, "stakeholders.yaml": PEOPLE, "org.yaml": plain_org}
    )
    assert "No account team recorded" in out and "Role coverage: 0 of 3 roles covered." in out
    assert "No value curve yet" in out
    assert "No buying centres mapped" in out
    assert "No strategy yet" in out
    assert "```mermaid\nxychart-beta" not in out


def test_plan_mermaid_blocks_parse_with_the_value_chart(kam, tmp_path):
    out = _plan(
        kam,
        tmp_path,
        {
            "account.yaml": ACCOUNT,
            "org.yaml": ORG,
            "stakeholders.yaml": PEOPLE,
            "targets.yaml": TARGETS,
        },
    )
    blocks = [b.split("```")[0] for b in out.split("```mermaid\n")[1:]]
    nordtel = kam(REPO, "plan", "nordtel").stdout
    blocks += [b.split("```")[0] for b in nordtel.split("```mermaid\n")[1:]]
    assert sum("xychart-beta" in b for b in blocks) == 2
    result = mermaid_parse(tmp_path, {f"b{i}.mmd": b for i, b in enumerate(blocks)})
    assert result.returncode == 0, result.stdout
    assert result.stdout.count(" xychart") == 2, result.stdout


def test_value_chart_without_actuals_and_with_a_hostile_currency(kam, tmp_path):
    # a currency is three capitals (KAM002 otherwise, as in kam.yaml): one that would
    # break the chart's quoting never reaches it
    hostile = ACCOUNT.replace("currency: CHF", 'currency: "E\\"U]R"')
    (tmp_path / "kam.yaml").write_text(KAM_YAML, encoding="utf-8")
    write_account(tmp_path, "werk", {"account.yaml": hostile, "stakeholders.yaml": PEOPLE})
    refused = kam(tmp_path, "plan", "werk")
    assert refused.exit_code == 1
    assert "KAM002 facts.currency: must be a three-letter currency code" in refused.stderr
    account = (
        ACCOUNT.replace("currency: CHF", "currency: EUR")
        .replace(", actual: 610000", "")
        .replace(", actual: 990000", "")
    )
    out = _plan(
        kam, tmp_path, {"account.yaml": account, "stakeholders.yaml": PEOPLE, "org.yaml": ORG}
    )
    chart = out.split("\nxychart-beta")[1].split("```")[0]
    assert "bar [" not in chart  # no actual yet: no bars at all
    # the line in the dark grey it has beside bars, not the palette's pale first colour
    assert (
        '```mermaid\n%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#57606a"}}}}%%\nxychart-beta'
        in out
    )
    assert 'y-axis "EUR million"' in chart
    result = mermaid_parse(tmp_path, {"chart.mmd": "xychart-beta" + chart})
    assert result.returncode == 0, result.stdout


def test_value_chart_keeps_missing_years_on_its_axis(kam, tmp_path):
    """A value curve with gaps (2024, 2025, 2027, 2029): Mermaid spaces an xychart's
    categories evenly, so the chart drew the two years from 2025 to 2027 as one and the
    growth looked twice as steep. The missing years stand on the axis, the expected line
    straight across them (no bar: nothing was recorded), and the legend names them; the
    table lists only what was recorded."""
    files = {"account.yaml": ACCOUNT, "stakeholders.yaml": PEOPLE, "org.yaml": ORG}
    out = _plan(kam, tmp_path, files)
    chart = out.split("\nxychart-beta")[1].split("```")[0]
    assert 'x-axis ["2024", "2025", "2026", "2027", "2028", "2029"]' in chart
    assert "line [0.9, 0.95, 1.02, 1.1, 1.25, 1.4]" in chart and "bar [0.61, 0.99]" in chart
    assert "Years without an entry (2026, 2028) stand on the axis" in out
    assert "| 2026 |" not in out and "| 2028 |" not in out
    zh = kam(tmp_path, "plan", "werk", "--lang", "zh-CN")
    assert zh.exit_code == 0 and "没有记录的年份（2026、2028）" in zh.stdout, zh.stdout
    result = mermaid_parse(tmp_path, {"gaps.mmd": "xychart-beta" + chart})
    assert result.returncode == 0, result.stdout
    # a curve without gaps: the chart and its legend as before
    whole = ACCOUNT.replace("year: 2027", "year: 2026").replace("year: 2029", "year: 2027")
    out = _plan(kam, tmp_path, {**files, "account.yaml": whole})
    assert 'x-axis ["2024", "2025", "2026", "2027"]' in out and "Years without" not in out
