"""kam import: people from a CRM export into stakeholders.yaml, editing the text in place.

Two steps, both pure (no file is read or written here):

1. ``plan_import`` matches each export row to a person (by ``crm_id``, else by exact name
   for people who have no ``crm_id`` yet), decides what the export may change and names the
   new people. The export owns a person's title, reporting line (its manager column, read
   through crm ids), unit (its department, when that names an org unit) and crm id; it
   never touches attitude, intimacy, roles, owners, notes or personal details, and an empty
   cell never clears a value somebody typed.
2. ``apply_plan`` edits the YAML text: a changed value is replaced where it stands, a
   missing key is added after the person's last line, new people are appended after the
   last entry in the file's own indentation. Every other byte stays. The result is parsed
   again and compared with what was meant, so a surprise in the text's layout stops the
   import instead of writing something else.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kamtool.errors import Refused
from kamtool.i18n import _, line_list, listed, name_key, ngettext, quoted
from kamtool.load.csvimport import (
    ColumnMap,
    Export,
    Problem,
    RefusedRow,
    Row,
    _fold,
    alike_accounts,
    fold_account,
)
from kamtool.load.ids import is_slug, latin_slug
from kamtool.write.guard import yaml_text, yaml_text_as
from kamtool.write.layout import item_layout, item_lead, key_quote, key_text, value_start
from kamtool.write.newlines import (
    at_open_end,
    content_end,
    line_starts,
    line_text,
    opened,
    with_lf,
)

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from kamtool.analyse.diff import AccountDiff
    from kamtool.findings import Finding
    from kamtool.load.accounts import Account
    from kamtool.load.config import Config
    from kamtool.load.models import Stakeholder, Unit
    from kamtool.load.yamlread import Document, Path_, YamlData, YamlError

OWNED = ("title", "unit", "reports_to", "crm_id")  # what an import may set on a person


class ImportError_(Refused):
    """The edit cannot be made safely; nothing is written (exit 1)."""


# ---------------------------------------------------------------- the account's rows
def account_of(account: Account) -> Callable[[str], str]:
    """The account an export's account cell names, as ``fold_account`` compares names,
    where this account's name and its id are one (the folded id): ``read_export`` keeps
    one contact a row within it, ``keep_account_rows`` keeps its rows. A contact associated
    with several companies (a HubSpot export's ``Associated Company``: ``Acme Corp;Partner
    AS``) is this account's when one of them is."""
    ours = fold_account(account.id)
    names = {ours}
    if account.profile is not None:
        names.add(fold_account(account.profile.name))

    def key_of(cell: str) -> str:
        key = fold_account(cell)
        if key in names:
            return ours
        # split the folded text: NFKC makes the full-width ；a Chinese input method types
        # (华南电网；鹏城电力) the ASCII one
        if ";" in key and any(k in names for k in key.split(";")):
            return ours
        return key

    return key_of


def keep_account_rows(export: Export, account: Account) -> Export:
    """The rows of ``export`` that belong to ``account``, when the export has an account
    column (Salesforce's Account Name, HubSpot's Company Name...): CRM exports often cover
    many customers, and their contacts are not this account's people.

    A row belongs when its account cell is the account's name (account.yaml) or id, as
    ``fold_account`` compares them. When every row that names an account names this one, all
    rows stay (rows with an empty cell too: the export is this account's). When the export
    names other accounts as well, only this account's rows stay, and ``Export.left_out``
    counts the others (rows naming none among them) for the summary; their problems do not
    stop the import. When no row names this account: ImportError_, one line listing the
    accounts the file holds (nothing is imported: a wrong file, or a name the CRM spells
    otherwise)."""
    if "account" not in export.columns:
        return export
    key_of = account_of(account)
    ours = {key_of(account.id)}

    spelled: dict[str, str] = {}  # folded -> the first spelling in the file
    counts: dict[str, int] = {}
    # one count per CSV line: a row with a problem (a duplicate id, a note) is one row
    by_line = {p.line: p.account for p in export.problems if p.account is not None}
    by_line.update((r.line, r.account or "") for r in export.rows)
    for cell in by_line.values():
        key = key_of(cell)
        spelled.setdefault(key, cell)
        counts[key] = counts.get(key, 0) + 1

    # the account's name, not its id: ``ge`` is inside half the companies of an export
    our_name = account.profile.name if account.profile is not None else account.id

    # one name inside the other: the CRM's short form of the account, or a longer one
    similar = {k for k in counts if k and k not in ours and alike_accounts(spelled[k], our_name)}

    def alike(key: str) -> bool:
        return key in similar

    named = {k for k in counts if k}
    if not named or named <= ours:
        return export
    if not named & ours:
        # a name like this account's first (恒通电缆 for 恒通电缆有限公司): the one to fix
        shown = sorted(named, key=lambda k: (not alike(k), -counts[k], k))
        names = listed((quoted(spelled[k]) for k in shown), shown=5)
        name = account.profile.name if account.profile is not None else account.id
        raise ImportError_(
            _(
                "no row of {file} names account {name!r} ({id}): its rows name {names}; "
                "nothing imported (export this account's contacts, or make `name:` in "
                "account.yaml the name the CRM uses)"
            ).format(file=export.display, name=name, id=account.id, names=names)
        )

    left_out: dict[str, int] = {}
    # the names like this account's first: a list cut after five must not hide them
    for key in sorted(counts, key=lambda k: (not alike(k), -counts[k], k)):
        if key not in ours:
            left_out[spelled[key]] = counts[key]
    return dataclasses.replace(
        export,
        rows=[r for r in export.rows if key_of(r.account or "") in ours],
        problems=[p for p in export.problems if p.account is None or key_of(p.account) in ours],
        left_out=left_out,
        alike={spelled[k]: counts[k] for k in counts if k in similar},
    )


# ---------------------------------------------------------------- ids
def crm_slug(crm_id: str) -> str:
    """``0035g00000AbCdE`` -> ``crm-0035g00000abcde``."""
    return "crm-" + (re.sub(r"[^a-z0-9._-]+", "-", crm_id.lower()).strip("-._") or "x")


def new_id(name: str, crm_id: str, used: set[str], suffixes: dict[str, int] | None = None) -> str:
    """A valid slug for a new person, unique among ``used`` (which it joins): ``maria-garcia``,
    then ``maria-garcia-2``... ``suffixes`` remembers the last suffix of each base, so that
    thousands of people of one name do not each try every taken suffix again."""
    base = latin_slug(name) or crm_slug(crm_id)
    if not is_slug(base):
        base = crm_slug(crm_id)
    candidate = base
    if candidate in used:
        n = (suffixes or {}).get(base, 1) + 1
        candidate = f"{base}-{n}"
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        if suffixes is not None:
            suffixes[base] = n
    used.add(candidate)
    return candidate


# ---------------------------------------------------------------- planning
@dataclass
class NewPerson:
    id: str
    name: str
    crm_id: str
    line: int
    title: str | None = None
    unit: str | None = None
    reports_to: str | None = None
    layer: str = "key"  # ``--layer``; the default, key, is not written

    def entry(self) -> dict[str, str]:
        """The keys written for them, in this order; attitude "?": nobody has met them."""
        out = {"id": self.id, "name": self.name}
        for key in ("title", "unit", "reports_to"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.layer != "key":
            out["layer"] = self.layer
        out["attitude"] = "?"
        out["crm_id"] = self.crm_id
        return out


@dataclass
class Update:
    index: int  # position in the stakeholders list
    person: str
    field: str
    old: str | None
    new: str
    line: int  # the export row's CSV line


@dataclass
class Candidate:
    """In stakeholders.yaml but not in the export: maybe they left (``left_on``)."""

    id: str
    name: str
    crm_id: str | None


@dataclass
class ImportPlan:
    added: list[NewPerson] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    matched: int = 0
    unchanged: int = 0
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def changes(self) -> bool:
        return bool(self.added or self.updates)


def plan_import(
    people: list[Stakeholder],
    units: list[Unit],
    export: Export,
    colmap: ColumnMap,
    layer: str = "key",
    today: dt.date | None = None,
) -> ImportPlan:
    """Match the export's rows to ``people`` (Stakeholder models) and decide every change;
    new people come in on ``layer`` (``--layer``). Someone who left (``left_on`` on or
    before ``today``) is history: matched by crm id, their entry stays as it was; a name
    alone does not match them (a namesake in the CRM comes in as a new person, with a
    note)."""
    plan = ImportPlan(problems=list(export.problems))
    key = colmap.id_key
    by_crm: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    #: the names as written, else as every command reads a person's name (``name_key``:
    #: the 周　杰 a Chinese CRM pads to three characters' width is the file's 周杰)
    by_key: dict[str, list[int]] = {}
    left_by_key: dict[str, int] = {}  # name_key -> a person who left, for the note
    gone = {
        i
        for i, p in enumerate(people)
        if p.left_on is not None and (today is None or p.left_on <= today)
    }
    for i, p in enumerate(people):
        if p.crm_id is not None:
            by_crm.setdefault(key(p.crm_id), i)
        elif i in gone:
            left_by_key.setdefault(name_key(p.name), i)
        else:
            by_name.setdefault(_fold(p.name), []).append(i)
            by_key.setdefault(name_key(p.name), []).append(i)
    used = {p.id for p in people}
    suffixes: dict[str, int] = {}
    claimed: dict[int, int] = {}  # person index -> CSV line of the row that matched them
    target: dict[str, str] = {}  # crm key -> stakeholder id, for the manager column
    for p in people:
        if p.crm_id is not None:
            target.setdefault(key(p.crm_id), p.id)
    # a numeric CRM id with its leading zeros (000123) is 123 once Excel has opened the
    # export: matched by nobody, every person would come in a second time
    by_number = {
        p.crm_id.lstrip("0"): i
        for i, p in enumerate(people)
        if p.crm_id is not None and p.crm_id.isdigit()
    }
    zeros: list[tuple[Row, int]] = []
    matches: list[tuple[Row, int | None, NewPerson | None]] = []
    for row in export.rows:
        index = by_crm.get(key(row.crm_id))
        if index is None and row.crm_id.isdigit() and row.crm_id.lstrip("0") in by_number:
            zeros.append((row, by_number[row.crm_id.lstrip("0")]))
            # its problem says it all: rows naming it as their manager find that person
            target.setdefault(key(row.crm_id), people[zeros[-1][1]].id)
            continue
        if index is None:
            written = by_name.get(row.name) or by_key.get(name_key(row.name), [])
            same = [i for i in written if i not in claimed]
            if len(same) > 1:
                ids = listed(people[i].id for i in same)
                plan.problems.append(
                    Problem(
                        row.line,
                        _(
                            "{name!r} matches {n} people by name ({ids}): give the "
                            "right one `crm_id: {crm_id}` by hand"
                        ).format(name=row.name, n=len(same), ids=ids, crm_id=row.crm_id),
                    )
                )
                continue
            index = same[0] if same else None
        if index is not None and index in claimed:
            plan.problems.append(
                Problem(
                    row.line,
                    _("{name!r} matches {id!r}, whom line {line} matched already").format(
                        name=row.name, id=people[index].id, line=claimed[index]
                    ),
                )
            )
            continue
        if index is not None:
            claimed[index] = row.line
            target[key(row.crm_id)] = people[index].id
            matches.append((row, index, None))
        else:
            newcomer = NewPerson(
                new_id(row.name, row.crm_id, used, suffixes),
                row.name,
                row.crm_id,
                row.line,
                layer=layer,
            )
            target[key(row.crm_id)] = newcomer.id
            matches.append((row, None, newcomer))
            former = left_by_key.get(name_key(row.name))
            if former is not None:
                gone_person = people[former]
                assert gone_person.left_on is not None
                plan.problems.append(
                    Problem(
                        row.line,
                        _(
                            "{name!r} ({column} {crm_id!r}) has the name of {id!r}, who left "
                            "on {date}: imported as a new person, {new!r} (if it is them, "
                            "delete {new!r} and give {id!r} `crm_id: {crm_id}`)"
                        ).format(
                            name=row.name,
                            column=export.columns.get("crm_id", "crm_id"),
                            crm_id=row.crm_id,
                            id=gone_person.id,
                            date=gone_person.left_on.isoformat(),
                            new=newcomer.id,
                        ),
                        severity="note",
                    )
                )

    if zeros:
        row, index = zeros[0]
        message = _(
            "{column} {crm_id!r} and the crm_id {theirs!r} of {name} ({id}) differ only in "
            "leading zeros: Excel drops the zeros in front of a number when it opens a CSV "
            "file, and the import would take everyone for a new person. Export again and do "
            "not open and save the file in Excel (or import the column as text); if it is "
            "the crm_id in the file that lost them, correct it by hand"
        ).format(
            column=export.columns.get("crm_id", "crm_id"),
            crm_id=row.crm_id,
            name=people[index].name,
            id=people[index].id,
            theirs=people[index].crm_id,
        )
        if len(zeros) > 1:
            message += ngettext(
                " (so does {n} more row: {lines})",
                " (so do {n} more rows: {lines})",
                len(zeros) - 1,
            ).format(n=len(zeros) - 1, lines=line_list([r.line for r, _i in zeros[1:]]))
        plan.problems.append(Problem(row.line, message))

    unit_of = _unit_resolver(units, colmap, plan)
    # the refused rows whose problem is reported: a row of another account is left out
    # with its problem, and a manager on it has nothing else to say it
    reported = {p.line for p in export.problems if p.severity == "error"}
    refused = [r for r in export.refused if r.line in reported]
    manager_of = _manager_resolver(people, matches, target, key, refused)
    manager_col = export.columns.get("manager", "manager")
    # one problem a manager cell, however many rows name that manager: a name two people
    # share, written on 40 rows, was 40 errors with one fix
    manager_problems: dict[str, tuple[int, str, list[int]]] = {}
    for row, index, found in matches:
        person = found
        reports_to = None
        if row.manager is not None:
            own_id = (
                found.id if found is not None else people[index].id if index is not None else ""
            )
            reports_to, problem = manager_of(row, manager_col)
            if problem is not None:
                cell = name_key(row.manager)
                manager_problems.setdefault(cell, (row.line, problem, []))[2].append(row.line)
            elif reports_to == own_id:
                message = _("contact {crm_id!r} is their own manager ({column} {manager!r})")
                plan.problems.append(
                    Problem(
                        row.line,
                        message.format(crm_id=row.crm_id, column=manager_col, manager=row.manager),
                    )
                )
                reports_to = None
        unit = unit_of(row.department, row.line) if row.department else None
        values = {"title": row.title, "unit": unit, "reports_to": reports_to}
        if person is not None:
            person.title, person.unit, person.reports_to = row.title, unit, reports_to
            plan.added.append(person)
            continue
        assert index is not None
        plan.matched += 1
        p = people[index]
        if index in gone:  # history: the CRM may still list them, their entry stays
            plan.unchanged += 1
            continue
        if p.crm_id is None:
            values["crm_id"] = row.crm_id
        changed = False
        for name in OWNED:
            new = values.get(name)
            old = getattr(p, name)
            if new is not None and new != old:
                plan.updates.append(Update(index, p.id, name, old, new, row.line))
                changed = True
        plan.unchanged += not changed
    for line, problem, lines in manager_problems.values():
        if len(lines) > 1:
            problem += ngettext(
                "; {column} names the same on {n} more row ({lines})",
                "; {column} names the same on {n} more rows ({lines})",
                len(lines) - 1,
            ).format(column=manager_col, n=len(lines) - 1, lines=line_list(lines[1:]))
        plan.problems.append(Problem(line, problem))
    plan.candidates = [
        Candidate(p.id, p.name, p.crm_id)
        for i, p in enumerate(people)
        if i not in claimed and p.left_on is None
    ]
    new_lines = {row.line for row, _index, found in matches if found is not None}
    plan.problems = [
        pr for pr in plan.problems if pr.namesakes is None or set(pr.namesakes) & new_lines
    ]
    plan.problems.sort(key=lambda pr: pr.line)
    return plan


def _manager_resolver(
    people: list[Stakeholder],
    matches: list[tuple[Row, int | None, NewPerson | None]],
    target: dict[str, str],
    key: Callable[[str], str],
    refused: Sequence[RefusedRow] = (),
) -> Callable[[Row, str], tuple[str | None, str | None]]:
    """A row's manager cell -> (stakeholder id, None), or (None, what is wrong, naming the
    manager ``column``). A CRM id first (Salesforce's ReportsToId);
    else, as Dynamics, a Chinese CRM or a hand-made column write it, the e-mail of a contact
    in the export, else the name of one person (in the export or in the file; also
    written "Family, Given"), read as every command reads a name (``i18n.name_key``: the
    周　杰 a Chinese CRM pads to three characters' width is 周杰): a name two people share
    is refused with the lines, never guessed. A manager on a row the import ``refused`` (its own problem is reported) is
    (None, None): nothing is imported, and the fix of that row is the fix of this one."""
    by_email: dict[str, str] = {}
    by_name: dict[str, dict[str, str]] = {}  # name_key -> stakeholder id -> where
    for row, index, found in matches:
        sid = found.id if found is not None else people[index].id if index is not None else ""
        if row.email:
            by_email.setdefault(row.email.casefold(), sid)
        by_name.setdefault(name_key(row.name), {}).setdefault(
            sid, _("line {line}").format(line=row.line)
        )
    for p in people:
        by_name.setdefault(name_key(p.name), {}).setdefault(
            p.id, _("{id} in stakeholders.yaml").format(id=p.id)
        )
    refused_cells = {key(r.crm_id) for r in refused if r.crm_id}
    refused_cells |= {r.email.casefold() for r in refused if r.email}
    refused_names = {name_key(r.name) for r in refused if r.name}

    def resolve(row: Row, column: str) -> tuple[str | None, str | None]:
        cell = row.manager or ""
        found = target.get(key(cell)) or by_email.get(cell.casefold())
        if found is not None:
            return found, None
        named = by_name.get(name_key(cell), {})
        if not named and cell.count(",") == 1:
            # "Müller, Jürgen": the family name first, as address books and many CRM
            # views list people, for the contact named "Jürgen Müller"
            family, given = (part.strip() for part in cell.split(","))
            if family and given:
                named = by_name.get(name_key(f"{given} {family}"), {})
        if len(named) == 1:
            return next(iter(named)), None
        if not named and (
            key(cell) in refused_cells
            or cell.casefold() in refused_cells
            or name_key(cell) in refused_names
        ):
            return None, None
        if named:
            return None, _(
                "{column} {manager!r} of {name!r} names {n} people ({where}): put the "
                "manager's CRM id in the column"
            ).format(
                column=column,
                manager=cell,
                name=row.name,
                n=len(named),
                where=listed(named.values()),
            )
        return None, _(
            "{column} {manager!r} of {name!r} matches no CRM id, e-mail or name of a contact "
            "in the export or a person in stakeholders.yaml: export the manager too, or clear "
            "the cell"
        ).format(column=column, manager=cell, name=row.name)

    return resolve


def _unit_resolver(
    units: list[Unit], colmap: ColumnMap, plan: ImportPlan
) -> Callable[[str, int], str | None]:
    """Department text -> unit id: the map's ``units:``, else a unit with that id or name.
    A department that names no unit leaves the person's unit as it is (one note each)."""
    ids = {u.id for u in units}
    by_text: dict[str, str] = {}
    for u in units:
        by_text.setdefault(u.name.casefold(), u.id)
        by_text.setdefault(u.id, u.id)
    mapped = {k.casefold(): v for k, v in colmap.units.items()}
    noted: set[str] = set()

    def resolve(department: str, line: int) -> str | None:
        folded = department.casefold()
        if not units and not mapped:
            if not noted:  # one note, not one per department
                noted.add("")
                plan.problems.append(
                    Problem(
                        line,
                        _(
                            "the export has departments but the account has no org units: "
                            "no unit set (add units to org.yaml to place people in them)"
                        ),
                        "note",
                    )
                )
            return None
        if folded in mapped:
            unit = mapped[folded]
            if unit not in ids:
                if folded not in noted:
                    noted.add(folded)
                    plan.problems.append(
                        Problem(
                            line,
                            _(
                                "the map sends department {department!r} to unit {unit!r}, "
                                "which org.yaml does not have"
                            ).format(department=department, unit=unit),
                        )
                    )
                return None
            return unit
        found = by_text.get(folded) or by_text.get(latin_slug(department) or "")
        if found is None and folded not in noted:
            noted.add(folded)
            plan.problems.append(
                Problem(
                    line,
                    _(
                        "department {department!r} is no unit of org.yaml: unit left as it is "
                        "(add the unit, or map the department under `units:` in a MAP.yaml)"
                    ).format(department=department),
                    "note",
                )
            )
        return found

    return resolve


# ---------------------------------------------------------------- YAML text
def scalar(value: str) -> str:
    """A YAML scalar reading back as exactly the text ``value``, in block or flow context."""
    return yaml_text(value, flow=True)


@dataclass(order=True)
class _Edit:
    start: int
    order: int  # at the same offset: lower order ends up first in the text
    end: int = field(compare=False)
    text: str = field(compare=False)


def apply_plan(text: str, plan: ImportPlan) -> str:
    """The text with the plan's changes; raises ImportError_ when that cannot be done safely.

    ``text`` uses ``\\n`` line ends (the caller converts CRLF files back and forth)."""
    from kamtool.load.yamlread import YamlError, parse

    if not plan.changes:
        return text
    try:
        whole = parse(text)
    except YamlError as exc:
        raise ImportError_(
            _("stakeholders.yaml does not parse ({line}:{column}: {message})").format(
                line=exc.line, column=exc.column, message=exc.message
            )
        ) from None
    data = whole.data
    if not isinstance(data, dict):
        raise ImportError_(_("stakeholders.yaml is not a mapping with a `stakeholders:` list"))
    people = data.get("stakeholders")
    if people is not None and not isinstance(people, list):
        raise ImportError_(_("`stakeholders:` is not a list"))
    starts = line_starts(text)
    needed = {u.index for u in plan.updates}
    if plan.added and people:
        needed.add(len(people) - 1)
    if plan.updates and any(mark in text for mark in ("&", "*", "<<")):
        # an anchor, alias or merge key may hold a value for several people (touch does the same)
        from kamtool.load.yamlread import parse_python
        from kamtool.write.guard import refuse_shared

        full = parse_python(text, spans=True)
        for u in plan.updates:
            refuse_shared(full, ("stakeholders", u.index, u.field), u.person, u.field)
    doc = _layout(text, starts, whole, needed)
    last = _last_lines(doc, text, starts)
    edits: list[_Edit] = []
    by_person: dict[int, list[Update]] = {}
    for u in plan.updates:
        by_person.setdefault(u.index, []).append(u)
    for index, updates in by_person.items():
        edits.extend(_entry_edits(text, starts, doc, index, updates, last))
        for u in updates:
            people[index][u.field] = u.new  # type: ignore[index]  # what the file must say after
    if plan.added:
        where = [whole.position(("stakeholders", i)) for i in range(len(people or []))[-2:]]
        edits.append(_append(text, starts, doc, people, last, plan.added, where))
        if people is None:
            people = data["stakeholders"] = []
        people.extend(p.entry() for p in plan.added)
    if any(at_open_end(text, e.start) for e in edits):
        # new lines after the last line, which has no line break: it gets one first, and
        # the file is read so (``newlines.opened``), as kam touch does
        return apply_plan(opened(text), plan)
    out = _splice(text, edits)
    try:
        after = parse(out)
    except YamlError as exc:
        raise ImportError_(
            _("could not update stakeholders.yaml safely ({message}): nothing written").format(
                message=exc.message
            )
        ) from None
    if after.data != data:  # one reader on both sides: dates are dates on both
        raise ImportError_(
            _(
                "could not update stakeholders.yaml safely (the edit would change other data): "
                "nothing written"
            )
        )
    return out


class _View:
    """The positions the edits need (as ``parse(text, spans=True)`` gives them) for some
    entries only: the data of the whole file, the positions of ``stakeholders`` and of its
    first two entries, and every key, value and span of the entries being edited."""

    def __init__(self, data: YamlData) -> None:
        self.data = data
        self.values: dict[tuple, tuple[int, int]] = {}
        self.keys: dict[tuple, tuple[int, int]] = {}
        self.spans: dict[tuple, tuple[int, int, int, int]] = {}
        self.flow_ends: dict[tuple, tuple[int, int]] = {}
        self.last: dict[int, int] = {}  # entry -> its last line, when known without spans


_PLAIN_END = re.compile(r"[ \t]#")
_AFTER_LAST = re.compile(r"[\s\]},]*(?:#.*)?")


def _scalar_end(
    text: str, starts: list[int], pos: tuple[int, int], value: YamlData, flow: bool
) -> int | None:
    """The column after a scalar that starts at ``pos`` and ends on the same line, from the
    text alone (the native reader records where nodes start, not where they end); None for
    anything else (a block scalar, a quoted text over several lines, a text that does not
    read back as ``value``)."""
    if isinstance(value, (dict, list)) or value is None:
        return None
    line, col = pos
    origin = starts[line - 1]
    a = origin + col - 1
    end = text.find("\n", a)
    end = len(text) if end == -1 else end
    ch = text[a : a + 1]
    if ch == '"':
        j = a + 1
        while j < end:
            if text[j] == "\\":
                j += 2
            elif text[j] == '"':
                return j + 1 - origin + 1
            else:
                j += 1
        return None
    if ch == "'":
        j = a + 1
        while j < end:
            if text[j] == "'":
                if text[j + 1 : j + 2] == "'":
                    j += 2
                    continue
                return j + 1 - origin + 1
            j += 1
        return None
    if not ch or ch in "|>[{&*!":
        return None
    segment = text[a:end]
    m = _PLAIN_END.search(segment)
    if m:
        segment = segment[: m.start()]
    if flow:
        segment = re.split(r"[,\]}]", segment, maxsplit=1)[0]
    segment = segment.rstrip()
    from kamtool.load.yamlread import resolve_plain

    if resolve_plain(segment) != value:
        return None
    return a + len(segment) - origin + 1


def _fast_entry(
    text: str, starts: list[int], whole: Document, view: _View, index: int, stop: int
) -> int | None:
    """Positions of one block-style entry from the native reader's marks and the text:
    every key and value start, the span of each single-line scalar at the top of the entry,
    and the entry's last line, which it returns. None when the entry holds anything this
    cannot be sure about (a flow entry, a block scalar or a text over several lines where it
    matters, a flow list closed on a later line): the caller then reads it with spans."""
    entry = whole.data["stakeholders"][index]
    base = ("stakeholders", index)
    line, col = view.values[base]
    if not isinstance(entry, dict) or not entry or text[starts[line - 1] + col - 1] == "{":
        return None
    lines: set[int] = set()
    last_path: Path_ = base
    last_pos, last_flow = (0, 0), False
    values, keys = whole.values, whole.keys  # every position, indexed once per document

    def flow_at(pos: tuple[int, int]) -> bool:
        return text[starts[pos[0] - 1] + pos[1] - 1] in "[{"

    def visit(value: YamlData, path: Path_, flow: bool) -> None:
        nonlocal last_pos, last_path, last_flow
        pos = values[path]
        lines.add(pos[0])
        if pos > last_pos:
            last_pos, last_path, last_flow = pos, path, flow
        inner = flow or (isinstance(value, (dict, list)) and flow_at(pos))
        if isinstance(value, dict):
            for k, v in value.items():
                kpos = keys[(*path, k)]
                lines.add(kpos[0])
                if kpos > last_pos:
                    last_pos, last_path, last_flow = kpos, (*path, k, "key"), inner
                visit(v, (*path, k), inner)
        elif isinstance(value, list):
            for j, v in enumerate(value):
                visit(v, (*path, j), inner)

    visit(entry, base, False)
    # the last node must end on its line, and only blank lines and comments may follow it
    if last_path[-1] == "key":
        return None
    value: YamlData = entry
    for step in last_path[2:]:
        value = value[step]
    if isinstance(value, (dict, list)):
        if value or not flow_at(last_pos):
            return None
        a = starts[last_pos[0] - 1] + last_pos[1] - 1
        close = text.find("]" if text[a] == "[" else "}", a)
        if close == -1 or "\n" in text[a:close]:
            return None
        after = close + 1
    else:
        end_col = _scalar_end(text, starts, last_pos, value, last_flow)
        if end_col is None:
            return None
        after = starts[last_pos[0] - 1] + end_col - 1
    rest = line_text(text, starts, last_pos[0])[after - starts[last_pos[0] - 1] :]
    if not _AFTER_LAST.fullmatch(rest):
        return None
    last_line = last_pos[0]
    for n in range(last_line + 1, min(stop, len(starts) + 1)):
        stripped = line_text(text, starts, n).strip()
        if stripped and not stripped.startswith("#"):
            return None
    for key in entry:
        path = (*base, key)
        view.keys[path] = keys[path]
        view.values[path] = values[path]
    # the values an update may replace: single-line scalars, or the slow path
    for key in OWNED:
        if key not in entry:
            continue
        value = entry[key]
        path = (*base, key)
        pos = values[path]
        end_col = _scalar_end(text, starts, pos, value, False)
        if end_col is None:
            return None
        following = pos[0] + 1
        if following <= last_line and following not in lines:
            stripped = line_text(text, starts, following).strip()
            if stripped and not stripped.startswith("#"):
                return None  # a plain text continued on the next line
        view.spans[path] = (pos[0], pos[1], pos[0], end_col)
    return last_line


def _layout(text: str, starts: list[int], whole: Document, needed: set[int]) -> Document | _View:
    """Spans for the entries in ``needed``, each read by the Python reader from its own
    lines (from its dash to the next entry's): an import that edits a few people of a
    20,000-person file reads those few people twice, not the whole file with spans.
    Anything unusual (a flow list, an entry not on lines of its own) reads it all."""
    from kamtool.load.yamlread import YamlError, parse_python

    people = whole.data.get("stakeholders")
    view = _View(whole.data)
    if "stakeholders" in whole.data:
        view.keys[("stakeholders",)] = whole.position(("stakeholders",), key=True)
        view.values[("stakeholders",)] = whole.position(("stakeholders",))
    if not people:
        return view
    line, col = view.values[("stakeholders",)]
    if text[starts[line - 1] + col - 1] == "[":
        return parse_python(text, spans=True)
    item_lines: dict[int, int] = {}
    for i in sorted(needed | {0, 1} | {i + 1 for i in needed}):
        if i < len(people):
            view.values[("stakeholders", i)] = pos = whole.position(("stakeholders", i))
            item_lines[i] = pos[0]
    for i in sorted(needed):
        stop = item_lines[i + 1] if i + 1 < len(people) else len(starts) + 1
        fast = _fast_entry(text, starts, whole, view, i, stop)
        if fast is not None:
            view.last[i] = fast
            continue
        first = item_lines[i]
        lead = line_text(text, starts, first)[: view.values[("stakeholders", i)][1] - 1]
        if lead.strip() != "-":
            return parse_python(text, spans=True)
        end = starts[item_lines[i + 1] - 1] if i + 1 < len(people) else len(text)
        if i + 1 < len(people) and item_lines[i + 1] == first:
            return parse_python(text, spans=True)
        try:
            part = parse_python(text[starts[first - 1] : end], spans=True)
        except YamlError:
            return parse_python(text, spans=True)
        if not isinstance(part.data, list) or part.data != [people[i]]:
            return parse_python(text, spans=True)
        shift = first - 1
        base = ("stakeholders", i)
        for source, target in ((part.values, view.values), (part.keys, view.keys)):
            for path, (ln, cl) in source.items():
                if path[:1] == (0,):
                    target[(*base, *path[1:])] = (ln + shift, cl)
        for path, (sl, sc, el, ec) in part.spans.items():
            if path[:1] == (0,):
                view.spans[(*base, *path[1:])] = (sl + shift, sc, el + shift, ec)
        for path, (ln, cl) in part.flow_ends.items():
            if path[:1] == (0,):
                view.flow_ends[(*base, *path[1:])] = (ln + shift, cl)
    return view


def _splice(text: str, edits: list[_Edit]) -> str:
    """Apply non-overlapping edits in one pass, front to back."""
    parts: list[str] = []
    at = 0
    for e in sorted(edits):
        parts.append(text[at : e.start])
        parts.append(e.text)
        at = e.end
    parts.append(text[at:])
    return "".join(parts)


def _last_lines(doc: Document | _View, text: str, starts: list[int]) -> dict[int, int]:
    """Entry index -> the last line holding any of its content (one pass over the spans)."""
    from kamtool.load.yamlread import value_at

    last: dict[int, int] = {}
    tails: dict[int, Path_] = {}  # entry index -> the value whose span ends it
    for path, (_sl, _sc, el, ec) in doc.spans.items():
        i = path[1] if len(path) >= 2 and path[0] == "stakeholders" else None
        if isinstance(i, int):  # an entry's index (the list is stakeholders')
            end = el if ec > 1 else el - 1  # a block scalar's span ends on the next line
            if end > last.get(i, 0):
                last[i] = end
                tails[i] = path
    for path, (line, _col) in doc.keys.items():
        i = path[1] if len(path) >= 3 and path[0] == "stakeholders" else None
        if isinstance(i, int) and line > last.get(i, 0):
            last[i] = line
    for i, line in getattr(doc, "last", {}).items():
        last[i] = max(line, last.get(i, 0))
    for i, line in last.items():
        first = doc.values[("stakeholders", i)][0]
        tail = value_at(doc.data, tails[i]) if i in tails else None
        last[i] = content_end(text, starts, first, line, tail)
    return last


def _entry_edits(
    text: str,
    starts: list[int],
    doc: Document | _View,
    index: int,
    updates: list[Update],
    last: dict[int, int],
) -> list[_Edit]:
    base = ("stakeholders", index)
    line, col = doc.values[base]
    flow = text[starts[line - 1] + col - 1] == "{"
    entry = doc.data["stakeholders"][index]
    edits: list[_Edit] = []
    missing: list[tuple[str, str]] = []
    for u in updates:
        path = (*base, u.field)
        if u.field in entry:
            span = doc.spans.get(path)
            if span is None:
                raise ImportError_(
                    _("{person}: {field} is not a single value: change it by hand").format(
                        person=u.person, field=u.field
                    )
                )
            sl, sc, el, ec = span
            a, b = starts[sl - 1] + sc - 1, starts[el - 1] + ec - 1
            a = value_start(text, a, b)  # an anchor nothing uses, a tag: kept
            new = yaml_text_as(u.new, text[a:b], flow=True)  # in the quotes it had
            if a == b and text[a - 1 : a] not in (" ", "\t"):
                new = " " + new  # `reports_to:` with nothing after it
            if text[a:b].endswith("\n"):  # a block scalar: keep its line end
                new += "\n"
            edits.append(_Edit(a, 0, b, new))
        else:
            missing.append((u.field, scalar(u.new)))
    if not missing:
        return edits
    quote = key_quote(text, starts, [doc.keys[(*base, k)] for k in entry])
    if flow:
        end_line, end_col = doc.flow_ends[base]
        at = starts[end_line - 1] + end_col - 1
        added = "".join(f", {key_text(k, quote)}: {v}" for k, v in missing)
        edits.append(_Edit(at, 0, at, added))
        return edits
    key_cols = {doc.keys[(*base, k)][1] for k in entry}
    if len(key_cols) != 1:
        raise ImportError_(
            _("{id}: cannot tell the indentation of this entry's keys").format(id=entry.get("id"))
        )
    indent = " " * (next(iter(key_cols)) - 1)
    end = last[index]
    at = starts[end] if end < len(starts) else len(text)
    prefix = "\n" if at == len(text) and text and not text.endswith("\n") else ""
    lines = "".join(f"{indent}{key_text(k, quote)}: {v}\n" for k, v in missing)
    edits.append(_Edit(at, 0, at, prefix + lines))
    return edits


def _append(
    text: str,
    starts: list[int],
    doc: Document | _View,
    people: list[YamlData] | None,
    last: dict[int, int],
    added: Iterable[NewPerson],
    where: list[tuple[int, int]],
) -> _Edit:
    """New entries after the last one, written as the last one is (``layout``: its dash
    and key columns, its keys' quotes, a flow mapping ``{...}`` on one line where it is
    one, a blank line between entries where the last two have one); ``where``: the
    positions of the last two entries."""
    lead, gap, quote, flow = "  - ", "", "", False
    if people:
        found = item_lead(text, starts, where[-1])
        if found is None:
            raise ImportError_(
                "stakeholders.yaml does not write its people one `- id: ...` block per person "
                "(a flow list `[...]`?): kam cannot append new people to it; nothing written"
            )
        layout = item_layout(text, starts, where, found)
        lead, gap = layout.lead, "\n" if layout.gap else ""
        final = people[-1]
        line, col = where[-1]
        flow = text[starts[line - 1] + col - 1] == "{"
        if isinstance(final, dict) and not flow:
            base = ("stakeholders", len(people) - 1)
            # the keys as read (an update may have added one to the data already)
            keys = [doc.keys[path] for k in final if (path := (*base, k)) in doc.keys]
            quote = key_quote(text, starts, keys)
    indent = " " * len(lead)

    def written(p: NewPerson) -> str:
        fields = [(key_text(k, quote), scalar(v)) for k, v in p.entry().items()]
        if flow:
            return lead + "{" + ", ".join(f"{k}: {v}" for k, v in fields) + "}\n"
        return "".join(f"{indent if i else lead}{k}: {v}\n" for i, (k, v) in enumerate(fields))

    block = gap.join(written(p) for p in added)
    if people:
        end = last[len(people) - 1]
        item_indent = len(lead) - len(lead.lstrip())
        # comments indented under the last entry belong to it: the new ones go after them
        while end < len(starts) - 1:
            nxt = line_text(text, starts, end + 1)
            stripped = nxt.lstrip()
            if stripped.startswith("#") and len(nxt) - len(stripped) > item_indent:
                end += 1
            else:
                break
        at = starts[end] if end < len(starts) else len(text)
        prefix = "\n" if at == len(text) and text and not text.endswith("\n") else ""
        return _Edit(at, 1, at, prefix + gap + block)
    # no entries yet: `stakeholders: []`, `stakeholders:` (null), or no key at all
    if "stakeholders" not in doc.data:
        prefix = "" if not text or text.endswith("\n") else "\n"
        return _Edit(len(text), 1, len(text), prefix + "stakeholders:\n" + block)
    key_line = doc.keys[("stakeholders",)][0]
    line, col = doc.values[("stakeholders",)]
    a = starts[line - 1] + col - 1
    rest = line_text(text, starts, line)[col - 1 :]
    m = re.match(r"\[\s*\]|~|null|Null|NULL", rest)
    if line != key_line or (m is None and rest.strip() and not rest.lstrip().startswith("#")):
        raise ImportError_("`stakeholders:` is written in a form kam cannot append to")
    b = a + (m.end() if m else 0)
    if m and not rest[m.end() :].strip():
        while a > starts[line - 1] and text[a - 1] in " \t":
            a -= 1  # no trailing space left behind `stakeholders:`
    end_of_line = starts[line] if line < len(starts) else len(text)
    prefix = "\n" if end_of_line == len(text) and not text.endswith("\n") else ""
    return _Edit(a, 1, end_of_line, text[b:end_of_line] + prefix + block)


# ---------------------------------------------------------------- one import, start to end
@dataclass
class Prepared:
    """What an import would do to one account: the plan, the new file, the account after."""

    plan: ImportPlan
    path: Path  # of stakeholders.yaml
    account: Account  # as it is
    before_bytes: bytes
    after_bytes: bytes
    after: Account | None = None  # as it would be (None: nothing changes)
    diff: AccountDiff | None = None  # when asked for

    @property
    def changed(self) -> bool:
        return self.after_bytes != self.before_bytes

    @property
    def breaks(self) -> list[Finding]:
        """Errors the account would have after the import (a reporting cycle, say), where
        the new file would have them: see ``breaks_located`` for what to show."""
        if self.after is None:
            return []
        return [f for f in self.after.findings if f.severity == "error"]

    def breaks_located(self, export_display: str) -> list[Finding]:
        """``breaks`` at places the user can open: nothing is written, so a line of the
        stakeholders.yaml the import would have written is no line of any file. A finding
        in a new person's entry points at the export's row of that person; in an entry the
        import changed, at the row that changed it; in an entry it left alone, at that
        entry in the file as it is."""
        import dataclasses

        after = self.after
        if after is None:
            return []
        src = after.files.get("stakeholders")
        if src is None or src.doc is None:
            return self.breaks
        entries = len(after.stakeholders)
        starts = [src.doc.position(("stakeholders", i))[0] for i in range(entries)]
        existing = len(self.account.stakeholders)
        changed_by: dict[int, int] = {}  # index -> CSV line of the first row that changed it
        for u in self.plan.updates:
            changed_by.setdefault(u.index, u.line)
        out = []
        for f in self.breaks:
            if f.path != src.display or not starts or f.line < starts[0]:
                out.append(f)
                continue
            index = max(i for i, start in enumerate(starts) if start <= f.line)
            if index >= existing and index - existing < len(self.plan.added):
                line = self.plan.added[index - existing].line
                out.append(dataclasses.replace(f, path=export_display, line=line, column=1))
            elif index in changed_by:
                line = changed_by[index]
                out.append(dataclasses.replace(f, path=export_display, line=line, column=1))
            else:
                line, column = self.account.position("stakeholders", ("stakeholders", index))
                out.append(dataclasses.replace(f, line=line, column=column))
        return out


def prepare(
    account: Account,
    export: Export,
    colmap: ColumnMap,
    config: Config,
    today: dt.date,
    *,
    diff: bool = False,
    layer: str = "key",
) -> Prepared:
    """Plan the import into a loaded, valid account, build the new stakeholders.yaml in
    memory and load the account as it would be (its structural findings: the import must
    not break it). ``diff``: also grade both sides and compare them with kam diff's own
    comparison (``--dry-run``). Raises ImportError_ for an edit that cannot be made safely.
    Writes nothing."""
    from kamtool.load.accounts import (
        FILE_NAMES,
        build_account,
        decode,
        read_if_present,
        size_error,
    )

    path = account.folder / FILE_NAMES["stakeholders"]
    raw = path.read_bytes()
    units = account.org.units if account.org is not None else []
    plan = plan_import(account.stakeholders, units, export, colmap, layer, today)
    if plan.errors or not plan.changes:
        return Prepared(plan, path, account, raw, raw)
    bom = raw.startswith(b"\xef\xbb\xbf")
    text, err = decode(raw)
    if err is not None or text is None:
        raise ImportError_(
            _("stakeholders.yaml cannot be read: {message}").format(
                message=err.message if err else ""
            )
        )
    work, line_ends = with_lf(text)
    new = line_ends(apply_plan(work, plan))
    after_bytes = (b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8")
    # the file as kam will read it next time: over max_file_size it would not be read at all
    too_big = size_error(len(after_bytes), config.max_file_size)
    new_text = (None, too_big) if too_big is not None else decode(after_bytes)

    def read(name: str) -> tuple[str | None, YamlError | None] | None:
        if name == FILE_NAMES["stakeholders"]:
            return new_text
        return read_if_present(account.folder / name, None, config.max_file_size)

    def siblings() -> list[str]:
        return [p.name for p in account.folder.iterdir() if p.is_file()]

    after = build_account(account.folder, account.display, read, siblings, config)
    prepared = Prepared(plan, path, account, raw, after_bytes, after)
    if diff and after.valid:
        from kamtool.analyse.diff import compare
        from kamtool.core import analyse

        prepared.diff = compare(
            account.id, analyse(account, config, today), analyse(after, config, today), False
        )
    return prepared
