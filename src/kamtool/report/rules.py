"""Reporters for ``kam rules``: the catalogue as a table, Markdown or JSON, or one rule in
full. Everything comes from ``kamtool.catalogue.RULES`` (declared beside each rule)."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Protocol

from kamtool.i18n import N_, SEVERITY_WORDS, _, pgettext
from kamtool.report.escape import md
from kamtool.report.jsonout import dumps

if TYPE_CHECKING:
    from kamtool.load.config import Config
    from kamtool.rule import Rule


class RulesReporter(Protocol):
    def render(self, rules: list[Rule], config: Config, *, full: bool, width: int) -> str: ...


def _shown(level: str) -> str:
    """A rule's level as the catalogue shows it: ``threshold`` reads "by threshold"."""
    return "by threshold" if level == "threshold" else level


def default_severity(rule: Rule) -> str:
    return _shown(rule.level())


def severity_text(severity: str) -> str:
    """A severity as people read it in the text outputs, in the output language (as every
    text output shows severities); JSON keeps the value kam.yaml takes."""
    if severity == "by threshold":
        return _("by threshold")
    return _(severity) if severity in SEVERITY_WORDS else severity


def configured_severity(rule: Rule, config: Config) -> str:
    """What kam.yaml makes of the rule: its setting, else the default (``Rule.level``)."""
    return _shown(rule.level(config))


def as_dict(rule: Rule, config: Config) -> dict[str, str | None]:
    return {
        "code": rule.code,
        "name": rule.name,
        "default_severity": default_severity(rule),
        "severity": configured_severity(rule, config),
        "summary": _(rule.summary),
        "finds": _(rule.finds),
        "why": _(rule.why),
        "fix": _(rule.fix),
        "hint": _(rule.hint),
        "family": rule.family,
        # the kam.yaml values the rule follows (null for a rule no setting changes: a key
        # without a value is null in JSON, never ""); the documentation gives the defaults
        "in_force": rule.in_force(config) or None,
    }


def in_force_text(rule: Rule, config: Config) -> str:
    """The settings in force as a sentence: "focus tiers S, A: warn after 14 days, ..."."""
    text = rule.in_force(config)
    return text[:1].upper() + text[1:] + _(".") if text else ""


class TableReporter:
    """A table of every rule; with ``full`` (one rule asked for) the whole entry as text."""

    def render(self, rules: list[Rule], config: Config, *, full: bool, width: int) -> str:
        if full:
            return "\n".join(self._one(r, config, width) for r in rules)
        from rich.markup import escape
        from rich.table import Table

        from kamtool.report.term import console as make_console
        from kamtool.report.term import (
            fits_unbroken,
            limited,
            print_table,
            record_lines,
            wrap_wide,
        )

        out = make_console(False, width)
        from kamtool import suggest

        title = _("kam rules ({command} for one in full)").format(
            command=suggest.command("rules", "CODE")
        )
        table = Table(title=escape(title), title_justify="left")  # a --config path: not markup
        # the configured column only when kam.yaml changes something
        changed = any(configured_severity(r, config) != default_severity(r) for r in rules)
        names = (N_("code"), N_("default"), N_("configured"), N_("name"), N_("summary"))
        heads = []
        for name in names if changed else tuple(n for n in names if n != "configured"):
            # a rule's name is a slug, not a person's name
            heads.append(pgettext("rule", "name") if name == "name" else _(name))
            table.add_column(heads[-1], overflow="fold")
        rows = []
        for r in rules:
            configured = configured_severity(r, config)
            cells = [r.code, severity_text(default_severity(r)), r.name, _(r.summary)]
            if changed:
                shown = "" if configured == default_severity(r) else severity_text(configured)
                cells.insert(2, shown)
            rows.append(cells)
        columns = [(head, "left") for head in heads]
        if limited(width) and not fits_unbroken(columns, rows, width):
            # 40 columns broke the rules' names ("yaml-sy" over "ntax"): a rule a record
            for line in [*wrap_wide(title, width), *record_lines(columns, rows, width)]:
                out.print(escape(line), soft_wrap=True)
            return str(out.file.getvalue())
        # drawn as every other table: a Chinese summary breaks between two characters,
        # not only at its spaces ("客户 id" was left alone on a line)
        print_table(out, table, rows)
        return str(out.file.getvalue())

    @staticmethod
    def _one(r: Rule, config: Config, width: int) -> str:
        wrap = max(40, min(width, 100)) - 2

        def para(title: str, text: str) -> list[str]:
            from kamtool.report.term import cell_len, wrap_wide

            if cell_len(text) == len(text):  # no wide (CJK) character: as always
                lines = textwrap.wrap(text, wrap, initial_indent="  ", subsequent_indent="  ")
            else:  # Chinese has no spaces to break at: break by terminal cells
                lines = wrap_wide(text, wrap, indent="  ", first="  ")
            return [title, *lines, ""]

        configured = configured_severity(r, config)
        sev = severity_text(default_severity(r))
        if configured != default_severity(r):
            sev += _(" (configured in kam.yaml: {severity})").format(
                severity=severity_text(configured)
            )
        from kamtool.report.term import wrap_wide

        # the title line too fits the width the paragraphs fit (it was 90 columns wide)
        title = wrap_wide(f"{r.code} {r.name}: {_(r.summary)}", wrap + 2, indent="  ")
        lines = [
            *title,
            _("severity: {severity}").format(severity=sev),
            "",
            *para(_("What it finds"), _(r.finds)),
            *(
                para(_("In this repository (kam.yaml)"), in_force_text(r, config))
                if r.settings
                else []
            ),
            *para(_("Why it matters"), _(r.why)),
            *para(_("How to fix it"), _(r.fix)),
            *para(_("Hint printed with each finding"), _(r.hint)),
        ]
        return "\n".join(lines)


class MarkdownReporter:
    def render(self, rules: list[Rule], config: Config, *, full: bool, width: int) -> str:
        if full:
            parts = []
            for r in rules:
                parts += [
                    f"## {r.code} {md(r.name)}",
                    "",
                    _("{summary}. Severity: {severity}").format(
                        summary=md(_(r.summary)), severity=configured_severity(r, config)
                    )
                    + (
                        _(" (default {severity})").format(severity=default_severity(r))
                        if configured_severity(r, config) != default_severity(r)
                        else ""
                    )
                    + _("."),
                    "",
                    "**{}** {}".format(_("What it finds."), _(r.finds)),
                    "",
                ]
                if r.settings is not None:
                    parts += [
                        "**{}** {}".format(
                            _("In this repository (kam.yaml):"), md(in_force_text(r, config))
                        ),
                        "",
                    ]
                parts += [
                    "**{}** {}".format(_("Why it matters."), _(r.why)),
                    "",
                    "**{}** {}".format(_("How to fix it."), _(r.fix)),
                    "",
                ]
            return "\n".join(parts)
        heads = (_("code"), _("default"), _("configured"), _("finds"))
        lines = ["| " + " | ".join(heads) + " |", "|---|---|---|---|"]
        for r in rules:
            configured = configured_severity(r, config)
            lines.append(
                f"| {r.code} | {severity_text(default_severity(r))} | {severity_text(configured)} "
                f"| {md(_(r.summary))} |"
            )
        return "\n".join(lines) + "\n"


class JsonReporter:
    def render(self, rules: list[Rule], config: Config, *, full: bool, width: int) -> str:
        return dumps({"rules": [as_dict(r, config) for r in rules]})


RULES_FORMATS: dict[str, type[RulesReporter]] = {
    "table": TableReporter,
    "markdown": MarkdownReporter,
    "json": JsonReporter,
}
