"""kam init and kam schema: new account folders and JSON Schemas for editors."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from kamtool.load.accounts import UsageError
from kamtool.load.ids import is_slug
from kamtool.report.jsonout import dumps
from kamtool.write.atomic import WriteError, atomic_write

SCHEMA_FILES = {
    "account": "account.schema.json",
    "stakeholders": "stakeholders.schema.json",
    "org": "org.schema.json",
    "targets": "targets.schema.json",
    "log": "log.schema.json",
    "config": "kam.schema.json",
}


def schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema (draft 2020-12) per file kind, from the models the validator uses."""
    from kamtool.load.config import Config
    from kamtool.load.models import FILE_MODELS

    models = {**FILE_MODELS, "config": Config}
    out = {}
    for kind, model in models.items():
        schema = model.model_json_schema(mode="validation")
        name = SCHEMA_FILES[kind]
        out[kind] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://kamtool.invalid/schemas/{name}",
            **schema,
        }
    return out


def write_schemas(folder: Path, force: bool) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, schema in schemas().items():
        path = folder / SCHEMA_FILES[kind]
        data = dumps(schema).encode()
        try:
            atomic_write(path, data, overwrite=force)
        except WriteError as exc:
            raise UsageError(str(exc)) from None
        written.append(path)
    return written


def _modeline(folder: Path, schema_dir: Path, kind: str) -> str:
    rel = os.path.relpath(schema_dir / SCHEMA_FILES[kind], folder).replace(os.sep, "/")
    return f"# yaml-language-server: $schema={rel}\n"


def init_account(
    accounts: Path, account_id: str, name: str | None, owner: str, today: dt.date, schema_dir: Path
) -> list[Path]:
    if not is_slug(account_id):
        raise UsageError(
            f"{account_id!r} is not a valid account id: use lowercase letters, digits, '.', '_' and '-'"
        )
    folder = accounts / account_id
    if folder.exists() and any(folder.iterdir()):
        raise UsageError(f"{folder.as_posix()} already exists and is not empty: nothing written")
    folder.mkdir(parents=True, exist_ok=True)
    title = name or account_id.replace("-", " ").title()
    d = today.isoformat()
    files = {
        "account.yaml": f"""{_modeline(folder, schema_dir, "account")}# The account profile and its grading inputs. See `kam grade --explain`.
id: {account_id}
name: {json.dumps(title, ensure_ascii=False)}
industry: ""                  # free text
owner: {owner}                # our account manager
stage: build                  # build | stabilize | strengthen
reviewed: {d}          # last review of position and value
position: 1                   # 1-5: the customer's own standing in its market
value: 1                      # 1-5: the value of its business with us
# tier: A                     # manual override of the computed tier...
# tier_reason: ...            # ...needs a reason
facts:
  supplier_position: none     # sole | primary | secondary | marginal | none
competitors: []               # - {{name: Rival, notes: ...}}
""",
        "stakeholders.yaml": f"""{_modeline(folder, schema_dir, "stakeholders")}# The people. attitude: -3 active opponent .. +3 exclusive supporter,
# "?" = not yet contacted (never write 0 for someone you have not met).
# roles: D decision maker, S sponsor/user, E evaluator, I influencer, C coach.
stakeholders:
  - id: first-contact
    name: First Contact
    title: ""
    roles: [D]
    attitude: "?"
    intimacy: "?"
    owner: {owner}            # our A role
    # backup: someone.else    # our B role: must differ from owner
    channels: []
""",
        "org.yaml": f"""{_modeline(folder, schema_dir, "org")}# Organisation units; `parent` names another unit.
units: []
""",
        "targets.yaml": f"""{_modeline(folder, schema_dir, "targets")}# Targets, relationship goals, actions and opportunities for the period.
period: {today.year + (1 if today.month >= 10 else 0)}
targets: []
relationship_goals: []
actions: []
opportunities: []
""",
    }
    written = []
    try:
        for fname, text in files.items():
            path = folder / fname
            atomic_write(path, text.encode("utf-8"), overwrite=False)
            written.append(path)
    except WriteError as exc:
        raise UsageError(str(exc)) from None
    return written
