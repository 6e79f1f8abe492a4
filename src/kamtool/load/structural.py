"""KAM001-KAM008: the codes the loader emits (``kamtool.load.accounts``), declared in one
table beside it. A file with one of the errors (KAM001-KAM006) cannot be graded, so
kam.yaml can neither lower their severity nor turn them off; KAM007 (a warning about a
``# kam: disable=`` comment) and KAM008 (text a `` #`` cut, ``kamtool.load.cut_text``)
are fixed where they are, in the file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kamtool.i18n import N_
from kamtool.rule import Rule, declare

if TYPE_CHECKING:
    from kamtool.load.config import Config

_EMITTER = "kamtool.load.accounts"


def _file_size_settings(config: Config) -> str:
    """KAM001's setting in force: the largest file kam reads (``max_file_size``)."""
    from kamtool.i18n import _

    return _("files over {limit:,} bytes are refused").format(limit=config.max_file_size)


STRUCTURAL_RULES = tuple(
    declare(r)
    for r in (
        Rule(
            "KAM001",
            "yaml-syntax",
            "error",
            N_("YAML syntax error or refused content"),
            N_(
                "Fix the YAML at this position; kam files hold plain data (no tags, no multi-documents, UTF-8)."
            ),
            doc="""Finds: a file that is not plain YAML kam can read: a syntax error, a file
            that is not UTF-8, a control character, an empty required file, a YAML tag such
            as `!!python/object`, aliases that expand past the limit, nesting deeper than
            100 levels, several documents in one file, a file over `max_file_size`, or a
            folder or a symbolic link leading outside the repository where a file should be.

            Why: nothing in an unreadable file can be checked or graded, and a tag that
            constructs objects is a way to run code on whoever reads the file.

            Fix: correct the YAML at the reported line and column; quote values such as
            `"?"`, indent with spaces, and save the file as UTF-8.""",
            family="structural",
            emitter=_EMITTER,
            settings=_file_size_settings,
        ),
        Rule(
            "KAM002",
            "schema",
            "error",
            N_("Schema violation: missing key, wrong type, out of range, unknown key"),
            N_(
                "Correct the key or value as the message says; `kam schema` gives editors the same rules."
            ),
            doc="""Finds: a key that is missing, unknown (with "did you mean"), of the wrong
            type or out of range, in an account file or in kam.yaml.

            Why: grading and every rule read these values; a misspelt key would otherwise
            be silently ignored and the account graded on what is left.

            Fix: correct the key or value as the message says. `kam schema -o schemas`
            gives your editor the same rules while you type.""",
            family="structural",
            emitter=_EMITTER,
        ),
        Rule(
            "KAM003",
            "broken-reference",
            "error",
            N_("Reference to something that does not exist"),
            N_("Point at an existing id, or add the missing entry."),
            doc="""Finds: a reference to something that does not exist: a stakeholder's
            `unit`, `reports_to`, `influences` or `competitor`, a unit's `parent`, a need's
            or goal's or action's `stakeholder`, an action's `target`, a footprint cell's
            `unit`, `competitor` or `offering` (once kam.yaml lists `offerings`), a log
            entry's `with`.

            Why: the power map, the decision chain and the whitespace grid are built from
            these links; a broken one drops a person or a cell without a word.

            Fix: point at an existing id (the hint suggests a close one), or add the
            missing entry (to org.yaml, stakeholders.yaml, `competitors`, or kam.yaml
            `offerings`).""",
            family="structural",
            emitter=_EMITTER,
        ),
        Rule(
            "KAM004",
            "duplicate-id",
            "error",
            N_("Duplicate id"),
            N_("Give each entry its own id; merge the two entries if they are the same."),
            doc="""Finds: two entries of the same kind with the same id in one account
            (stakeholders, units, targets, actions, opportunities), or two people with the
            same `crm_id`.

            Why: every reference, goal, diff and `kam touch` names an entry by its id; two
            entries with one id make all of them ambiguous.

            Fix: give each entry its own id, or merge the two entries if they are the same
            person or thing.""",
            family="structural",
            emitter=_EMITTER,
        ),
        Rule(
            "KAM005",
            "cycle",
            "error",
            N_("Cycle in reporting lines or unit parents"),
            N_("Break the cycle: somebody at the top reports to nobody."),
            doc="""Finds: reporting lines (`reports_to`) or unit parents (`parent`) that go
            round in a circle, including someone reporting to themselves.

            Why: seniority is a person's depth in the reporting tree; a cycle has no top,
            so nobody's seniority (and so the competitive standing) can be worked out.

            Fix: break the cycle: the most senior person (or unit) reports to nobody.""",
            family="structural",
            emitter=_EMITTER,
        ),
        Rule(
            "KAM006",
            "account-layout",
            "error",
            N_(
                "Account id differs from its folder, a required file is missing, or a file is misnamed"
            ),
            N_(
                "Make `id` equal the folder name; every account needs account.yaml and stakeholders.yaml."
            ),
            doc="""Finds: an account folder whose name is not a valid id, whose
            account.yaml `id` differs from the folder name, or that lacks account.yaml or
            stakeholders.yaml; and a file that was meant to be one of kam's files but is
            named otherwise (`targets.yml`, `Targets.yaml`, `log.yml`, `logs.yaml`,
            `stakeholder.yaml`, `acount.yaml`), in `kam check` and in both sides of `kam
            diff` and `kam history`. A file of your own beside kam's (`notes.yaml`,
            `blog.yaml`, `log-2024.yaml`, `account-old.yaml`) is left alone.

            Why: the folder name is the account's id on the command line, in diffs and in
            CI; an account without its two required files cannot be graded. kam reads
            only the exact file names: a misnamed targets.yaml is no targets.yaml, and the
            account would read, without a word, as if it had no plan.

            Fix: make `id` equal the folder name (or rename the folder), add the
            missing file (`kam init ID` scaffolds both), and rename a misnamed file to the
            name the finding gives.""",
            family="structural",
            emitter=_EMITTER,
        ),
        Rule(
            "KAM007",
            "unknown-disable-code",
            "warning",
            N_("A `# kam: disable=` comment names no rule"),
            N_("Correct the code in the comment (`kam rules` lists them), or remove it."),
            doc="""Finds: a code in a `# kam: disable=` comment that is no rule of kam's
            (`KAM1O5` with a letter O, `KAM999`, a rule of another tool), with the code it
            most likely means.

            Why: such a comment silences nothing, and says nothing: the finding it was
            written for keeps being reported (or, once it is, the comment looks as if it
            had silenced it), and a reader trusts a comment that does not work.

            Fix: correct the code in the comment (`kam rules` lists every code), or remove
            the comment. A misspelt comment is fixed in place, so kam.yaml cannot turn
            this warning off.""",
            family="structural",
            emitter=_EMITTER,
        ),
        Rule(
            "KAM008",
            "text-cut-by-comment",
            "warning",
            N_("A plain value cut short by ' #', which starts a comment"),
            N_(
                "Put the whole value in quotes; for a comment, write '# ' with a space after the hash."
            ),
            doc="""Finds: a value written without quotes where a space and a `#` stand
            right against the next word (`notes: order #123 pending`,
            `title: Manager #2 plant`): YAML reads ` #` as the start of a comment, so the
            value is only the text before it ("order") and the rest is gone. A comment
            written on purpose, `# ` with a space after the hash, is left alone, and so is
            a `#` inside quotes or in a block scalar (`notes: |`).

            Why: the file looks right to whoever reads it, and kam, the plan and every
            report show the cut text; nothing says that the order number or the second
            half of a title is missing.

            Fix: put the whole value in quotes (`notes: "order #123 pending"`), as the
            message writes it; if the `#` does start a comment, write a space after it
            (`# urgent`). Fixed in place, like KAM007, so kam.yaml cannot turn it off.""",
            family="structural",
            emitter=_EMITTER,
        ),
    )
)

#: the codes kam.yaml cannot change or turn off (``kamtool.catalogue`` re-exports it; this
#: module is light, so the library can import it without importing every rule family)
STRUCTURAL = frozenset(r.code for r in STRUCTURAL_RULES)
