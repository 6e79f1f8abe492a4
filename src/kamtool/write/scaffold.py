"""kam init and kam schema: new account folders and JSON Schemas for editors."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kamtool.errors import KamError, Refused
from kamtool.i18n import N_, _, os_reason
from kamtool.report.jsonout import dumps
from kamtool.write.guard import (
    check_handle,
    check_id,
    check_writable,
    folded_handle,
    make_folder,
    new_account_line_ending,
    write_file,
    yaml_text,
)

if TYPE_CHECKING:
    from kamtool.jsontypes import JsonObject
    from kamtool.load.locate import Workspace

SCHEMA_FILES = {
    "account": "account.schema.json",
    "stakeholders": "stakeholders.schema.json",
    "org": "org.schema.json",
    "targets": "targets.schema.json",
    "log": "log.schema.json",
    "config": "kam.schema.json",
}


#: The dialect of the published schemas. Draft 4, the one where "integer" means a number
#: written without a fraction: from draft 6 on, 2.0 is an integer (the same number as 2),
#: so a 2020-12 schema cannot refuse ``attitude: 2.0``, which kam refuses (KAM002: a
#: whole number is written 2). Draft 4 validators (check-jsonschema, Python's jsonschema,
#: pre-commit hooks) then agree with kam on every integer field; editors read draft 4
#: too (the most widely supported dialect).
DIALECT = "http://json-schema.org/draft-04/schema#"


def schemas() -> dict[str, JsonObject]:
    """JSON Schema (draft 4, see ``DIALECT``) per file kind, from the models the
    validator uses."""
    from pydantic import BaseModel

    from kamtool.load.accounts import REQUIRED
    from kamtool.load.config import Config
    from kamtool.load.models import FILE_MODELS

    models: dict[str, type[BaseModel]] = {**FILE_MODELS, "config": Config}
    out = {}
    for kind, model in models.items():
        schema = model.model_json_schema(mode="validation")
        if kind == "config":
            _configurable_rules(schema)
        if kind not in REQUIRED:
            # a file of comments only (or empty) is no data, which kam reads as none of
            # its entries (kam.yaml: every default); only account.yaml and
            # stakeholders.yaml must hold their keys
            schema["type"] = ["object", "null"]
        name = SCHEMA_FILES[kind]
        out[kind] = {
            "$schema": DIALECT,
            "id": f"https://kamtool.invalid/schemas/{name}",
            **_draft4(schema),
        }
    return out


#: the keys whose values are maps of names (not keywords) to schemas
_NAMED_SCHEMAS = ("properties", "patternProperties", "$defs", "definitions")


def _draft4(node: Any) -> Any:  # any JSON value: a schema, a list of them, a scalar
    """pydantic's schema (draft 2020-12) in draft 4's words: ``const`` is a one-value
    ``enum``, a numeric ``exclusiveMinimum`` is ``minimum`` with ``exclusiveMinimum:
    true`` (kam.yaml's ``rules`` lists its codes as properties: _configurable_rules).
    ``$ref`` to ``#/$defs/...`` stays: a JSON pointer, resolved the same by every draft."""
    if isinstance(node, list):
        return [_draft4(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: JsonObject = {}
    for key, value in node.items():
        if key in _NAMED_SCHEMAS and isinstance(value, dict):
            out[key] = {name: _draft4(sub) for name, sub in value.items()}
        elif key == "const":
            out["enum"] = [value]
        elif key in ("exclusiveMinimum", "exclusiveMaximum") and not isinstance(value, bool):
            out["minimum" if key == "exclusiveMinimum" else "maximum"] = value
            out[key] = True
        else:
            out[key] = _draft4(value)
    if "patternProperties" in out and "additionalProperties" not in out:
        # pydantic's dict with keys of a pattern (kam.yaml's ``rates``: currency codes)
        # says nothing of the other keys, which kam refuses (``usd``, ``DOLLAR``); draft 4
        # has no propertyNames: any key that matches no pattern is refused here
        out["additionalProperties"] = False
    return out


def _configurable_rules(schema: JsonObject) -> None:
    """kam.yaml's ``rules`` takes only codes kam has and may change: not an unknown code,
    not KAM001-KAM006 (a broken file is always an error). The model keeps ``dict[str, ...]``
    so that kam says which code is wrong and what it may have meant (rule_code_problems);
    the schema says the same to an editor."""
    from kamtool.catalogue import RULES, STRUCTURAL

    rules = schema["properties"]["rules"]
    severity = rules.pop("additionalProperties")
    # draft 4 has no propertyNames: each code kam lets you change is a property of its
    # own (the hover help names the rule), any other key is refused
    rules["properties"] = {
        code: {**severity, "description": f"{code}: {rule.summary} (off, error, warning or info)."}
        for code, rule in RULES.items()
        if code not in STRUCTURAL
    }
    rules["additionalProperties"] = False


def write_schemas(
    ws: Workspace,
    folder: Path,
    force: bool,
    *,
    replace_option: str | None = None,
    only_missing: bool = False,
    into: list[Path] | None = None,
) -> list[Path]:
    """One .schema.json per file kind in ``folder`` (created), through the write guard.
    ``replace_option``: the caller's option that replaces an existing file, named when one
    is refused (`kam schema --force`; `kam init` has none). ``only_missing``: a schema
    file already there is left as it is (`kam init` beside a partial schemas folder).
    ``into``: the list each written file is added to as it is written (what a failure
    part of the way leaves, for `kam init` to take back)."""
    folder = Path(os.path.abspath(ws.cwd / folder))
    written = into if into is not None else []
    for kind, schema in schemas().items():
        path = folder / SCHEMA_FILES[kind]
        if only_missing and os.path.lexists(path):
            continue
        write_file(
            ws,
            path,
            dumps(schema).encode(),
            create=not force,
            make_folders=True,
            replace_option=replace_option,
        )
        written.append(path)
    return written


def _modeline(folder: Path, schema_dir: Path, kind: str) -> str:
    rel = os.path.relpath(schema_dir / SCHEMA_FILES[kind], folder).replace(os.sep, "/")
    return f"# yaml-language-server: $schema={rel}\n"


def _column(line: str, at: int = 30) -> str:
    """``line`` padded so the comment after it starts in column ``at`` as the other
    comments of the scaffold do (an owner longer than ``li.ming`` pushed it right); at
    least one space. Wide characters (``王芳``) count two columns, as a terminal shows them."""
    from rich.cells import cell_len

    return line + " " * max(1, at - cell_len(line))


def comment_lines(text: str) -> str:
    """``text`` (a translation may hold several lines) as YAML comment lines."""
    return "".join(f"# {line}".rstrip() + "\n" for line in text.splitlines() or [""])


def _commented(line: str, comment: str) -> str:
    """A scaffold line with its comment in column 30; a comment is one line (a
    translation's line breaks become spaces: a YAML comment ends at the line's end)."""
    return _column(line) + "# " + " ".join(comment.split()) + "\n"


def init_account(ws: Workspace, account_id: str, name: str | None, owner: str) -> list[Path]:
    """A new account folder whose files pass `kam validate`, each with a schema modeline;
    the schemas are written too when the repository has none, so the modeline works. Its
    files end their lines as most of the repository's accounts do ("\\r\\n" or "\\n")."""
    check_id(account_id, N_("account id"), "account argument")
    # no account names a handle yet: the text's own handle form is the suggestion (`kam
    # log --by` suggests only handles the account knows)
    owner = check_handle(owner, "--owner", folded_handle(owner))
    if name is not None and not name.strip():
        # a name of spaces alone is no name (KAM002 in account.yaml): not the id instead
        from kamtool.errors import UsageError

        raise UsageError(
            _("--name {name!r} is blank: give the customer's name, or leave --name out").format(
                name=name
            )
        )
    today = ws.today
    folder = ws.accounts_dir / account_id
    if os.path.lexists(folder) and not folder.is_dir():
        raise Refused(
            _("{path} exists and is not a folder: nothing written").format(path=ws.display(folder))
        )
    try:
        held = set(os.listdir(folder)) if folder.is_dir() else set()
    except PermissionError as exc:  # there, and this user may not look into it
        raise Refused(
            _("{path} already exists and cannot be read ({reason}): nothing written").format(
                path=ws.display(folder), reason=os_reason(exc)
            )
        ) from None
    # a folder made before its account (a CRM export saved there first), or an account
    # that lacks a required file: its missing files are written, nothing there is
    # replaced (KAM006's hint sends the user here); an account that has both required
    # files is one already
    from kamtool.load.accounts import FILE_NAMES, REQUIRED, meant_name, nested_accounts

    kept = held & set(FILE_NAMES.values())
    if held or os.path.islink(folder):
        # what kam init must not write into: a link to another folder (its files would
        # land there, under another id), a folder of account folders (it would become an
        # account and hide them), an account whose files are misnamed (a fresh scaffold
        # beside them would silence the finding that says to rename them)
        misnamed = sorted(n for n in held - kept if meant_name(n) is not None)
        why = (
            _("it is a symbolic link")
            if os.path.islink(folder)
            else _("it holds account folders")
            if nested_accounts(folder)
            else _("it holds {files}: rename them to kam's names instead").format(
                files=", ".join(misnamed)
            )
            if misnamed
            else None
        )
        if why is not None:
            raise Refused(
                _("{path} already exists: {why}; nothing written").format(
                    path=ws.display(folder), why=why
                )
            )
    required = [FILE_NAMES[kind] for kind in REQUIRED]
    if set(required) <= kept:
        raise Refused(
            _(
                "{path} is an account already (it has account.yaml and stakeholders.yaml): "
                "nothing written"
            ).format(path=ws.display(folder))
        )
    for name_of_file in required:
        if name_of_file not in kept:
            check_writable(ws, folder / name_of_file, create=True)
    schema_dir = (ws.config_path.parent if ws.config_path else ws.root) / "schemas"
    title = name if name is not None else account_id.replace("-", " ").title()
    title = title.strip()
    d = today.isoformat()
    from kamtool.load.config import Planning

    period = Planning.year_in_preparation(today)
    # the example manual tier is one of this repository's tiers: "A" under kam.yaml's own
    # tiers (strategic, growth, ...) was a KAM002 the moment it was uncommented
    tiers = [t.name for t in ws.config.tiers]
    manual_example = yaml_text(tiers[1] if len(tiers) > 1 else tiers[0] if tiers else "A")
    # the comments are in the output language (kam.yaml's team reads them); keys, values
    # and the modelines stay as they are: they are data
    files = {
        "account.yaml": _modeline(folder, schema_dir, "account")
        + comment_lines(_("The account profile and its grading inputs. See `kam grade --explain`."))
        + f"id: {yaml_text(account_id)}\n"  # 0042 quoted: an id, not a number
        + f"name: {yaml_text(title)}\n"
        + _commented('industry: ""', _("free text"))
        + _commented("owner: " + yaml_text(owner), _("our account manager"))
        + _commented("stage: build", "build | stabilize | strengthen")
        + _commented(f"reviewed: {d}", _("last review of position and value"))
        + _commented("position: 1", _("1-5: the customer's own standing in its market"))
        + _commented("value: 1", _("1-5: the value of its business with us"))
        + _commented("# tier: " + manual_example, _("manual override of the computed tier..."))
        + _commented("# tier_reason: ...", _("...needs a reason"))
        + "facts:\n"
        + _commented("  supplier_position: none", "sole | primary | secondary | marginal | none")
        + _commented("competitors: []", _("- {name: Rival, notes: ...}")),
        "stakeholders.yaml": _modeline(folder, schema_dir, "stakeholders")
        + comment_lines(
            _(
                "The people. attitude: -3 active opponent .. +3 exclusive supporter,\n"
                '"?" = not yet contacted (never write 0 for someone you have not met).\n'
                "roles: D decision maker, S sponsor/user, E evaluator, I influencer, C coach."
            )
        )
        + "stakeholders:\n"
        + "  - id: first-contact\n"
        # the placeholder in the output language: until it is replaced, findings name it
        # (决策者 First Contact 没有记录个人需求 read oddly in a Chinese repository)
        + "    name: "
        + _("First Contact")
        + "\n"
        + '    title: ""\n'
        + "    roles: [D]\n"
        + '    attitude: "?"\n'
        + '    intimacy: "?"\n'
        + _commented("    owner: " + yaml_text(owner), _("our A role"))
        + _commented("    # backup: someone.else", _("our B role: must differ from owner"))
        + "    channels: []\n",
        "org.yaml": _modeline(folder, schema_dir, "org")
        + comment_lines(_("Organisation units; `parent` names another unit."))
        + "units: []\n",
        "targets.yaml": _modeline(folder, schema_dir, "targets")
        + comment_lines(_("Targets, relationship goals, actions and opportunities for the period."))
        + f"period: {period}\n"
        # one commented entry above each empty list: what an entry holds, with its required
        # keys and the values a key takes (a first target without `kind` was a schema error
        # whose words did not say what kind takes)
        + f"# - {{id: first-order, kind: beachhead, text: ..., due: {period}-06-30, owner: {owner}}}\n"
        + "#   kind: beachhead | share | profit | competition | relationship\n"
        + "targets: []\n"
        + f"# - {{stakeholder: first-contact, attitude: 1, by: {period}-06-30, owner: {owner}}}\n"
        + comment_lines("  " + _("the attitude (-3..+3) the person should have by that date"))
        + "relationship_goals: []\n"
        + f"# - {{id: first-meeting, text: ..., owner: {owner}, due: {period}-01-31, status: planned, stakeholder: first-contact}}\n"
        + "#   status: planned | doing | done | dropped\n"
        + "actions: []\n"
        + f"# - {{id: first-deal, name: ..., pbip: {period}-09-30, ready: {period}-06-30}}\n"
        + comment_lines(
            "  "
            + _("pbip: the customer's investment decision; ready: when our offer can be delivered")
        )
        + "opportunities: []\n",
    }
    # the line ending of the repository's accounts ("\r\n" where they are edited on
    # Windows), asked before the new folder exists
    nl = new_account_line_ending(ws.accounts_dir)
    written: list[Path] = []
    # every folder this run makes, the deepest first: `accounts/` itself in a repository
    # that had none, which a failed run left behind empty
    made = [f for top in (folder, schema_dir) for f in _missing_folders(top)]
    make_folder(ws, folder)  # first: a folder that cannot be made leaves no schemas behind
    try:
        if not (schema_dir / SCHEMA_FILES["account"]).exists():
            write_schemas(ws, schema_dir, force=False, only_missing=True, into=written)
        for fname, text in files.items():
            if fname in kept:
                continue
            path = folder / fname
            data = text.replace("\n", nl).encode("utf-8")
            write_file(ws, path, data, create=True, make_folders=True)
            written.append(path)
    except KamError:
        # all or nothing: a write that failed part of the way (a full disk) took back what
        # this run wrote, where it left account.yaml without stakeholders.yaml, which
        # another `kam init` then refused as "already exists and is not empty"
        _take_back(written, made)
        raise
    return written


def _missing_folders(path: Path) -> list[Path]:
    """``path`` and those of its parents that do not exist yet, the deepest first."""
    missing: list[Path] = []
    while not os.path.isdir(path) and path.parent != path:
        missing.append(path)
        path = path.parent
    return missing


def _take_back(files: list[Path], folders: list[Path]) -> None:
    """Remove the files a failed run wrote, then the folders it made (when empty)."""
    for path in reversed(files):
        with contextlib.suppress(OSError):
            path.unlink()
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty: nothing of anyone else's goes
