"""Refresh kam's message catalogues after a marked string changed (README, "Output
language"): `.venv/bin/python tools/catalogues.py`.

1. `pybabel extract` writes src/kamtool/locale/kam.pot from the code and the templates
   (babel.cfg says where), without line numbers so that moving code changes nothing;
2. `pybabel update` merges it into every language's kam.po (new strings come in empty,
   strings no longer in the code go);
3. each kam.po is compiled into the kam.mo kam reads (babel's write_mo).

Between 2 and 3 the Python format flag is taken off strings kam formats with
``str.format`` ("{n} days"): babel guesses %-formatting from a text like "80% of", and
its compile check would then refuse a translation without a "% o". Strings of the plan
templates use %-placeholders ("%(name)s") and keep the flag, so their check still runs.

`--check` changes nothing and exits 1 when a catalogue is not current (CI, tests).
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "kamtool" / "locale"
POT = LOCALE / "kam.pot"


def pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract(target: Path) -> None:
    pybabel(
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        "--no-location",
        "--sort-output",
        "--omit-header",
        "--project",
        "kam",
        "-o",
        str(target),
        str(ROOT),
    )


def languages() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/kam.po"))


def fix_flags(po: Path) -> None:
    with open(po, "rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        if "python-brace-format" in message.flags:
            message.flags.discard("python-format")
    # the extraction time changes nothing a reader sees: keeping it out of the header keeps
    # the .po and .mo unchanged (and unconflicted in merges) when no message changed
    catalog.creation_date = catalog.revision_date
    with open(po, "wb") as fh:
        write_po(fh, catalog, width=0, no_location=True, sort_output=True)


def compiled(po: Path) -> bytes:
    with open(po, "rb") as fh:
        catalog = read_po(fh)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def main(argv: list[str]) -> int:
    if "--check" in argv:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "kam.pot"
            extract(fresh)
            stale = fresh.read_text(encoding="utf-8") != POT.read_text(encoding="utf-8")
        stale = stale or any(
            compiled(po) != po.with_suffix(".mo").read_bytes() for po in languages()
        )
        print(
            "catalogues are not current: run tools/catalogues.py"
            if stale
            else "catalogues are current"
        )
        return 1 if stale else 0
    extract(POT)
    pybabel(
        "update",
        "-i",
        str(POT),
        "-d",
        str(LOCALE),
        "-D",
        "kam",
        "--no-fuzzy-matching",
        "--ignore-obsolete",
        "--no-wrap",
    )
    for po in languages():
        fix_flags(po)
        po.with_suffix(".mo").write_bytes(compiled(po))
        with open(po, "rb") as fh:
            catalog = read_po(fh)
        empty = [
            m.id
            for m in catalog
            if m.id and not (m.string if isinstance(m.string, str) else all(m.string))
        ]
        for message_id in empty:
            print(f"{po.parent.parent.name}: untranslated: {message_id!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
