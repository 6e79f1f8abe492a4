"""kam portfolio: where the value is (DOMAIN 1-2): tiers, revenue shares, the position x value
matrix, scores per tier, value-curve shortfalls and manual tier overrides.

Revenue in different currencies is never added up (SPEC 4, v2): each account's revenue is
converted to the base currency (kam.yaml ``currency``) with ``rates``; revenue that cannot
be converted is kept per currency and left out of every share. Without ``currency`` the
base is the currency most accounts use (ties: alphabetical); revenue without a currency
is taken to be in the base currency. The renderers are in ``kamtool.report.portfolio``.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from kamtool.analyse.grading import computed_tier
from kamtool.i18n import percent, percents

if TYPE_CHECKING:
    from kamtool.core import AccountResult, RunResult
    from kamtool.jsontypes import JsonObject
    from kamtool.load.config import Config

LETTERS = "ABCDE"
MATRIX_NAMES = 6
"""Accounts named in one cell of the matrix; the rest are counted ("+ 12 more")."""


def _currency(text: str | None) -> str:
    return (text or "").strip().upper()


def base_currency(config: Config, accounts: list[AccountResult]) -> tuple[str, str]:
    """(the base currency, where it came from: "kam.yaml", "only", "most" or "")."""
    configured = _currency(getattr(config, "currency", None))
    if configured:
        return configured, "kam.yaml"
    facts = [a.account.profile.facts for a in accounts if a.account.profile is not None]
    used = Counter(
        _currency(f.currency)
        for f in facts
        if f is not None and f.revenue is not None and _currency(f.currency)
    )
    if not used:
        return "", ""
    if len(used) == 1:
        return next(iter(used)), "only"
    best = sorted(used.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return best, "most"


def _label(config: Config, tier: str) -> str:
    tdef = config.tier(tier)
    return (tdef.label if tdef is not None else None) or ""


def _row(tier: str, label: str, focus: bool) -> JsonObject:
    return {
        "tier": tier,
        "label": label,
        "focus": focus,
        "accounts": 0,
        "revenue": 0.0,
        "unconverted": {},
        "scores": [],
        "letters": dict.fromkeys(LETTERS, 0),
    }


def grade_totals(result: RunResult) -> JsonObject:
    """How many accounts, how many could not be read, how many have each score letter:
    ``kam grade``'s total line, and ``total`` in its JSON."""
    letters = dict.fromkeys(LETTERS, 0)
    broken = 0
    for a in result.accounts:
        if a.grade is None:
            broken += 1
        else:
            letters[a.grade.letter] += 1
    return {"accounts": len(result.accounts), "not_loaded": broken, "letters": letters}


def summarise(result: RunResult) -> JsonObject:
    """Analysis of the whole portfolio as plain data; every format renders this."""
    config = result.config
    tiers = [t.name for t in config.tiers]
    valid = [a for a in result.accounts if a.valid]
    base, base_source = base_currency(config, valid)
    rates = {_currency(k): float(v) for k, v in (getattr(config, "rates", None) or {}).items()}
    per_tier = {t: _row(t, _label(config, t), config.is_focus(t)) for t in tiers}
    untiered = _row("-", "no tier", False)
    total = _row("total", "", False)
    matrix = [[0] * 5 for _ in range(5)]  # [value-1][position-1]
    named: list[list[list[JsonObject]]] = [[[] for _ in range(5)] for _ in range(5)]
    overrides: list[JsonObject] = []
    ranked: list[tuple[tuple[bool, float, str, float, str, int], JsonObject]] = []
    unconverted: dict[str, JsonObject] = {}
    converted_from: dict[str, float] = {}
    # accounts whose account.yaml records no revenue add 0 to every sum: the shares are
    # those of the revenue recorded, and the reports must say whose is missing
    no_revenue: list[str] = []

    def to_base(amount: float, cur: str) -> float | None:
        """``amount`` of ``cur`` in the base currency; None when there is no rate for it."""
        if not amount or cur == base:
            return amount
        return amount * rates[cur] if cur in rates else None

    for analysed in valid:
        a = analysed.account.profile
        g = analysed.grade
        assert a is not None and g is not None  # valid
        row = per_tier.get(g.tier, untiered) if g.tier else untiered
        facts = a.facts
        money = float(facts.revenue) if facts is not None and facts.revenue is not None else 0.0
        if facts is None or facts.revenue is None:
            no_revenue.append(analysed.id)
        cur = _currency(facts.currency if facts is not None else None) or base
        in_base = to_base(money, cur)
        if money and in_base is not None and cur != base:
            converted_from[cur] = rates[cur]
        for r in (row, total):
            r["accounts"] += 1
            r["scores"].append(g.score)
            r["letters"][g.letter] += 1
            if in_base is None:
                r["unconverted"][cur] = r["unconverted"].get(cur, 0.0) + money
            else:
                r["revenue"] += in_base
        if in_base is None:
            entry = unconverted.setdefault(cur, {"currency": cur, "revenue": 0.0, "accounts": []})
            entry["revenue"] += money
            entry["accounts"].append(analysed.id)
        matrix[a.value - 1][a.position - 1] += 1
        manual = bool(a.tier and a.tier != g.computed_tier)
        named[a.value - 1][a.position - 1].append(
            {"id": analysed.id, "name": a.name, "tier": g.tier, "manual": manual}
        )
        if manual:
            overrides.append(
                {
                    "account": analysed.id,
                    "name": a.name,
                    "computed": g.computed_tier or "-",
                    "manual": a.tier,
                    "reason": " ".join((a.tier_reason or "").split()),
                }
            )
        for f in analysed.findings:
            if f.code == "KAM304":
                expected, actual = f.data.get("expected"), f.data.get("actual")
                missing = (
                    float(expected) - float(actual)
                    if isinstance(expected, (int, float)) and isinstance(actual, (int, float))
                    else 0.0
                )
                in_cur = _currency(str(f.data.get("currency") or "")) or cur
                in_base_missing = to_base(missing, in_cur)
                year = f.data.get("year")
                rank = (
                    in_base_missing is None,
                    -(in_base_missing or 0.0),
                    in_cur,
                    -missing,
                    analysed.id,
                    year if isinstance(year, int) else 0,
                )
                ranked.append(
                    (
                        rank,
                        {
                            "account": analysed.id,
                            "name": a.name,
                            "message": f.message,
                            "severity": f.severity,
                            "year": year,
                            "missing": missing,
                            "currency": in_cur,
                            # the revenue missing in the base currency, None without a rate
                            "missing_base": in_base_missing,
                        },
                    )
                )
    revenue_total = total["revenue"]
    rows = [*per_tier.values()] + ([untiered] if untiered["accounts"] else [])
    # whole percentages that add up to 100 down the column (largest remainder), as the
    # tables show them; the exact shares beside them
    focus_share = (
        sum(r["revenue"] for r in rows if r["focus"]) / revenue_total if revenue_total else 0.0
    )
    # the focus tiers' revenue shares add up to the focus share the headline holds against
    # 80%, rounded down (79.6% is 79%, never 80%), the other tiers' to the rest
    focus_percent = percent(focus_share)
    revenue_percents: dict[int, int] = {}
    for focus, points in ((True, focus_percent), (False, 100 - focus_percent)):
        group = [i for i, r in enumerate(rows) if bool(r["focus"]) == focus]
        if revenue_total:
            shares = percents((rows[i]["revenue"] for i in group), points)
            revenue_percents.update(zip(group, shares, strict=True))
    for key, percents_of in (
        ("account_percent", percents(r["accounts"] for r in rows)),
        ("revenue_percent", [revenue_percents.get(i, 0) for i in range(len(rows))]),
    ):
        for r, value in zip(rows, percents_of, strict=True):
            r[key] = value
        total[key] = sum(percents_of)
    # the shares and means exact, as every number of the JSON output is (the tables round
    # them where they print them): a share rounded here to 4 places made 79.996% of the
    # revenue 0.8, and "hold 79% of revenue (the 80/20 rule holds)" of the headline
    for r in [*rows, total]:
        r["revenue_share"] = r["revenue"] / revenue_total if revenue_total else 0.0
        r["account_share"] = r["accounts"] / len(valid) if valid else 0.0
        r["mean_score"] = sum(r["scores"]) / len(r["scores"]) if r["scores"] else None
        del r["scores"]
    # the biggest gap first, in the base currency; gaps in a currency without a rate
    # cannot be ranked against them and follow, by currency and amount
    shortfalls = [entry for _rank, entry in sorted(ranked, key=lambda pair: pair[0])]
    del total["tier"], total["label"], total["focus"]
    regions = [
        [computed_tier(pos, val, config) or "-" for pos in range(1, 6)] for val in range(1, 6)
    ]
    for line in named:
        for cell in line:
            cell.sort(key=lambda x: (x["name"] or "", x["id"]))
    return {
        "today": result.today.isoformat(),
        "accounts": len(result.accounts),
        "invalid": [a.id for a in result.accounts if not a.valid],
        # null, not "", when no account records a currency and kam.yaml names none
        "currency": base or None,
        "currency_source": base_source or None,
        "rates_used": dict(sorted(converted_from.items())),
        "unconverted": sorted(unconverted.values(), key=lambda x: x["currency"]),
        "revenue_total": revenue_total,
        "no_revenue": no_revenue,
        "focus_tiers": list(config.focus_tiers),
        "focus_revenue_share": focus_share,
        # rounded down: it is held against 80% (79.6% must not read 80%)
        "focus_revenue_percent": focus_percent,
        "tiers": rows,
        "total": total,
        "matrix": {
            "counts": matrix,
            "accounts": named,
            "tiers": regions,
            "rows": "value 1..5",
            "columns": "position 1..5",
        },
        "overrides": overrides,
        "shortfalls": shortfalls,
        # how many accounts a shortfall could be seen in (KAM304 needs an `actual`): "no
        # shortfalls" over accounts that record no actuals says nothing, and must say so
        "value_curve_accounts": sum(
            1
            for analysed in valid
            if analysed.account.profile is not None
            and any(v.actual is not None for v in analysed.account.profile.value_curve or [])
        ),
    }
