"""The rule catalogue of SPEC section 3: one entry per code, used by every reporter."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: str  # default; "threshold" for the freshness rules
    summary: str
    hint: str


_RULES = [
    Rule(
        "KAM001",
        "yaml-syntax",
        "error",
        "YAML syntax error or refused content",
        "Fix the YAML at this position; kam files hold plain data (no tags, no multi-documents, UTF-8).",
    ),
    Rule(
        "KAM002",
        "schema",
        "error",
        "Schema violation: missing key, wrong type, out of range, unknown key",
        "Correct the key or value as the message says; `kam schema` gives editors the same rules.",
    ),
    Rule(
        "KAM003",
        "broken-reference",
        "error",
        "Reference to something that does not exist",
        "Point at an existing id, or add the missing entry.",
    ),
    Rule(
        "KAM004",
        "duplicate-id",
        "error",
        "Duplicate id",
        "Give each entry its own id; merge the two entries if they are the same.",
    ),
    Rule(
        "KAM005",
        "cycle",
        "error",
        "Cycle in reporting lines or unit parents",
        "Break the cycle: somebody at the top reports to nobody.",
    ),
    Rule(
        "KAM006",
        "account-layout",
        "error",
        "Account id differs from its folder, or a required file is missing",
        "Make `id` equal the folder name; every account needs account.yaml and stakeholders.yaml.",
    ),
    Rule(
        "KAM101",
        "dm-attitude-unknown",
        "warning",
        "Decision maker with unknown attitude",
        "Make contact and record their attitude: an unknown decision maker is the first priority.",
    ),
    Rule(
        "KAM102",
        "dm-opposed",
        "warning",
        "Decision maker opposed",
        "Plan how to win them over (their needs, a sponsor at their level) or how to limit their weight.",
    ),
    Rule(
        "KAM103",
        "no-decision-maker",
        "warning",
        "No decision maker identified",
        "Map the decision chain and mark who decides (role D).",
    ),
    Rule(
        "KAM104",
        "ab-cover",
        "warning",
        "Key person without owner, without backup, or backup = owner",
        "Name a primary owner and a different backup so the relationship never hangs on one person.",
    ),
    Rule(
        "KAM105",
        "channels",
        "warning",
        "Key decision maker or coach with fewer than 2 information channels",
        "Open a second independent channel to cross-check what you hear.",
    ),
    Rule(
        "KAM106",
        "rational-turn-risk",
        "warning",
        "Supports us but not close: may turn when a competitor comes",
        "Deepen the personal relationship: they like the offer, not yet us.",
    ),
    Rule(
        "KAM107",
        "friendly-not-supportive",
        "info",
        "Close but not supportive",
        "Re-examine their needs and constraints; do not misread friendliness as support.",
    ),
    Rule(
        "KAM108",
        "no-coach",
        "info",
        "No coach",
        "Develop a coach: someone who supports us and guides us through the deal.",
    ),
    Rule(
        "KAM109",
        "outranked",
        "warning",
        "A competitor's backer outranks our most senior supporter",
        "Win a supporter at least as senior as the competitor's backer, or change the business goal.",
    ),
    Rule(
        "KAM110",
        "missing-layers",
        "warning",
        "Focus-tier account without general or organizational layer",
        "Cover all three relationship layers: key, general and organizational.",
    ),
    Rule(
        "KAM111",
        "new-in-post",
        "info",
        "Key person new in post",
        "A change of person in a key post can reset the relationship: re-verify their attitude.",
    ),
    Rule(
        "KAM112",
        "dm-left",
        "warning",
        "The decision maker left and no decision maker remains",
        "Re-map the decision chain: find who decides now.",
    ),
    Rule(
        "KAM113",
        "no-executive-sponsor",
        "info",
        "Focus-tier account where no decision maker has an executive sponsor",
        "Name an executive sponsor of equal status for a decision maker.",
    ),
    Rule(
        "KAM201",
        "stale-contact",
        "threshold",
        "Last contact older than the threshold",
        "Get in touch, then record it with `kam log ACCOUNT PERSON -m TEXT` "
        "(or `kam touch ACCOUNT PERSON` without a log).",
    ),
    Rule(
        "KAM202",
        "stale-entry",
        "threshold",
        "Stakeholder entry not reviewed within the threshold",
        "Confirm the entry is accurate, then `kam touch ACCOUNT PERSON --reviewed today`.",
    ),
    Rule(
        "KAM203",
        "stale-grading",
        "threshold",
        "Account grading inputs not reviewed within the threshold",
        "Review position, value and tier, then update `reviewed` in account.yaml.",
    ),
    Rule(
        "KAM204",
        "no-contact-date",
        "warning",
        "Key person without last_contact",
        'Record the last real contact, or mark the attitude "?" and plan a first contact.',
    ),
    Rule(
        "KAM205",
        "sponsor-touch",
        "threshold",
        "Focus-tier account: a key person's executive sponsor has not met them within the threshold",
        "Set up an executive meeting, then record it with "
        "`kam log ACCOUNT PERSON --kind executive-meeting --by SPONSOR`.",
    ),
    Rule(
        "KAM206",
        "future-date",
        "warning",
        "A date that cannot be in the future is",
        "Correct the date: a contact, a review or a start in post cannot lie ahead of today.",
    ),
    Rule(
        "KAM301",
        "action-overdue",
        "warning",
        "Action overdue",
        "Finish it, move its date, or set status to dropped.",
    ),
    Rule(
        "KAM302",
        "target-past-date",
        "warning",
        "Target or relationship goal past its date",
        "Close it out: record the result, move the date, or remove it.",
    ),
    Rule(
        "KAM303",
        "opportunity-not-ready",
        "warning",
        "Opportunity ready only after its PBIP",
        "Pull the delivery forward or the opportunity cannot be won.",
    ),
    Rule(
        "KAM304",
        "value-shortfall",
        "warning",
        "Value curve shortfall (actual below 80% of expected)",
        "Re-grade the account or change the strategy: we under-invested or over-rated it.",
    ),
    Rule(
        "KAM305",
        "tier-override",
        "info",
        "Manual tier differs from the computed tier",
        "Check the override is still justified by tier_reason, or remove it.",
    ),
]

RULES: dict[str, Rule] = {r.code: r for r in _RULES}
STRUCTURAL = frozenset({"KAM001", "KAM002", "KAM003", "KAM004", "KAM005", "KAM006"})
FRESHNESS = frozenset({"KAM201", "KAM202", "KAM203", "KAM204", "KAM205"})
