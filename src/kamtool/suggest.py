"""The kam commands kam suggests: in hints, the agenda's steps, notes and errors.

A suggested command is pasted into the same shell, in the same folder. It must reach the
same portfolio as the run that printed it: a run given ``--config sales/kam/kam.yaml``
(or ``--examples``) suggests ``kam check acme --config sales/kam/kam.yaml``, not
``kam check acme``, which would read another kam.yaml or none. Every suggestion is built
here, by :func:`command`, from the invocation's context (:func:`begin` and
:func:`remember`, called by the CLI as it parses its options), so that no message
spells a command of its own. Free text that names commands in backticks (the rule
catalogue's hints, in every language) goes through :func:`commands_in`.

What is repeated: ``--config FILE`` as typed (the suggestion runs in the same folder),
for every command that takes it; ``--examples`` for the commands that read the example
accounts. Not repeated: ``--today`` (a command that records a contact records it on the
day it is pasted), ``--format``, ``--lang`` and the like, which do not choose the
portfolio. An account is named by its id when the suggested command finds it by that
id, else by its folder: its path from the working folder when it lies below it
(``kam check crm/accounts`` suggests ``kam log crm/accounts/acme boss``), else its full
path (``kam check ../crm/accounts`` suggests ``kam log /home/li/crm/accounts/acme
boss``). With ``--examples`` the commands that write (``kam log``, ``kam touch``) keep
the id: the example accounts are part of kam's installation and are not written to;
those suggestions show the command to type for your own accounts.

The library (``kamtool.core``) never calls :func:`begin`: its suggestions are the plain
commands, accounts named by id.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

#: the commands that take ``--config`` (``kam schema`` reads no kam.yaml)
TAKES_CONFIG = frozenset(
    {
        "agenda",
        "check",
        "diff",
        "grade",
        "history",
        "import csv",
        "init",
        "log",
        "map",
        "plan",
        "portfolio",
        "rules",
        "stale",
        "touch",
        "validate",
        "whitespace",
    }
)
#: the commands that take ``--examples``
TAKES_EXAMPLES = frozenset(
    {"agenda", "check", "grade", "map", "plan", "portfolio", "stale", "validate", "whitespace"}
)
#: the words of a command that name an account in the catalogue's texts
ACCOUNT_WORDS = ("ACCOUNT", "ID")


@dataclass
class Invocation:
    """What a suggestion repeats of the run that prints it."""

    cwd: Path
    config: str | None = None
    examples: bool = False
    #: the revisions ``kam diff`` was given, as typed: its own suggestions repeat them
    revisions: tuple[str, ...] = ()
    #: (account id, its folder, the suggested command) -> how the suggestion names it,
    #: worked out once a run
    names: dict[tuple[str, str, str], str] = field(default_factory=dict)
    #: the accounts folder a suggested command finds ids in: None until needed
    accounts_dir: Path | None = None
    resolved: bool = False
    #: ``commands_in``'s texts with their commands built, the words filled in later
    #: (``_Template``), by text, account, folder and which words are filled in
    templates: dict[tuple[object, ...], _Template] = field(default_factory=dict)


_current: Invocation | None = None


def begin(cwd: Path | None = None) -> None:
    """A new run of the CLI: nothing repeated until its options are parsed."""
    global _current
    try:
        here = cwd if cwd is not None else Path(os.path.abspath(os.getcwd()))
    except OSError:  # the current folder is gone: the command says so; ids are suggested
        _current = None
        return
    _current = Invocation(cwd=here)


def end() -> None:
    """The run is over: back to the library's plain suggestions."""
    global _current
    _current = None


def remember(
    *,
    config: str | os.PathLike[str] | None = None,
    examples: bool = False,
    revisions: tuple[str, ...] = (),
) -> None:
    """An option of this run that the suggested commands repeat (``--config``,
    ``--examples``; ``kam diff``'s revisions, for the ``kam diff`` it suggests)."""
    if _current is None:
        return
    if revisions:
        _current.revisions = revisions
    if config is not None:
        _current.config = os.fspath(config)
    if examples:
        _current.examples = True
    _current.resolved = False
    _current.names.clear()
    _current.templates.clear()


#: a control character (C0, DEL, C1), which a shell word must not carry as it is; or a
#: byte of a file name that is not UTF-8 (``os.listdir`` gives it as a lone surrogate)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\udc80-\udcff]")


def _escaped(c: str) -> str:
    """One character of a word in bash's $'...'."""
    if "\udc80" <= c <= "\udcff":  # the byte itself: bash passes it back as it was
        return f"\\x{ord(c) - 0xDC00:02x}"
    if _CONTROL.match(c):
        return f"\\x{ord(c):02x}" if c < "\x80" else f"\\u{ord(c):04x}"
    return "\\" + c if c in "\\'" else c


@functools.lru_cache(maxsize=4096)  # the same few words in every hint of a large check
def word(arg: str) -> str:
    """A shell word as a person would type it: bare when safe, else in single quotes, or
    in double quotes for text with an apostrophe (``'Krause'"'"'s'`` is hard to read)."""
    if _CONTROL.search(arg):  # a folder named with a newline, an escape sequence or a
        # byte that is not UTF-8: bash's $'...', which says the character in letters
        # (pasted, it means it) and never prints it to the terminal or begins a line of
        # the CI log
        return "$'" + "".join(map(_escaped, arg)) + "'"
    quoted = shlex.quote(arg)
    if quoted == arg or "'" not in arg or any(c in arg for c in '$`"\\!'):
        return quoted
    return f'"{arg}"'


def command(name: str, *args: str) -> str:
    """``kam NAME ARGS...`` as the user pastes it, with this run's ``--config FILE`` and
    ``--examples`` when it had them and NAME takes them. ``args`` are plain words
    (quoted here); placeholders such as ``ID`` or ``TEXT`` stay as they are."""
    return " ".join(word(p) for p in _words(name, args))


def _words(name: str, args: tuple[T, ...]) -> list[str | T]:
    """The words of ``kam NAME ARGS...`` before quoting, with this run's ``--config`` and
    ``--examples`` where NAME takes them: ``command`` and ``commands_in`` write these."""
    parts: list[str | T] = ["kam", *name.split(), *args]
    inv = _current
    if inv is not None:
        if inv.config is not None and name in TAKES_CONFIG:
            parts += ["--config", inv.config]
        if inv.examples and name in TAKES_EXAMPLES:
            parts.append("--examples")
    return parts


def account(account_id: str, folder: str | os.PathLike[str] | None = None, name: str = "") -> str:
    """How a suggested ``kam NAME`` names the account of ``folder``: its id when that
    command finds the account by its id (in the accounts folder this run's kam.yaml, or
    ``--examples``, gives it), else the folder as seen from the working folder."""
    inv = _current
    if inv is None or folder is None:
        return account_id
    key = (account_id, os.fspath(folder), name)
    known = inv.names.get(key)
    if known is not None:
        return known
    full = Path(os.path.abspath(inv.cwd / folder))
    home = _accounts_dir(inv)
    by_id = full == home / account_id if home is not None else False
    # an id as a word the command reads as an option (a folder `-rf`) is named by its path
    if (
        home is None
        or (by_id and not account_id.startswith("-"))
        or (inv.examples and name not in TAKES_EXAMPLES)
    ):
        shown = account_id
    else:
        from kamtool.load.accounts import display_path

        shown = display_path(full, inv.cwd)
        if shown.startswith("-"):  # a folder `-sales/...` would be read as an option
            shown = f"./{shown}"
    inv.names[key] = shown
    return shown


def _accounts_dir(inv: Invocation) -> Path | None:
    """The accounts folder a suggested command reads ids from: the example accounts with
    ``--examples``, else the workspace's (None when it cannot be found: ids are used)."""
    if not inv.resolved:
        inv.resolved = True
        from kamtool.errors import KamError

        try:
            if inv.examples:
                from kamtool.core import examples_dir

                inv.accounts_dir = examples_dir()
            else:
                from kamtool.load.locate import workspace

                # where the suggested command runs from: ids resolve by its kam.yaml,
                # which may not be the one this run read for the paths it was given
                found = workspace(inv.config, None, inv.cwd, speak=False)
                inv.accounts_dir = found.accounts_dir
        except (KamError, OSError):
            inv.accounts_dir = None
    return inv.accounts_dir


def revisions() -> tuple[str, ...]:
    """The revisions this ``kam diff`` run was given (none: HEAD and the working tree)."""
    return _current.revisions if _current is not None else ()


#: a command in backticks in free text: `kam log ACCOUNT PERSON -m TEXT`
_IN_TEXT = re.compile(r"`kam ([^`]+)`")


@dataclass(frozen=True)
class _Filled:
    """A word of a suggested command that ``commands_in`` fills in from its ``words``
    (``PERSON`` -> ``boss``) when the text is written out, not when it is built."""

    key: str


#: the text between the words filled in, and the keys of those words, alternating:
#: ``("`kam log acme ", "PERSON", " -m TEXT`")``
_Template = tuple[str, ...]

#: ``commands_in``'s templates while no run of the CLI is under way (the library's plain
#: suggestions depend on nothing else); emptied when it holds this many
_PLAIN_TEMPLATES: dict[tuple[object, ...], _Template] = {}
_PLAIN_LIMIT = 65536


def commands_in(
    text: str,
    account_id: str | None = None,
    folder: str | os.PathLike[str] | None = None,
    words: dict[str, str] | None = None,
    lead: dict[str, tuple[str, ...]] | None = None,
) -> str:
    """Free text with each ```kam ...``` in it built by :func:`command`: the account's
    word (``ACCOUNT``, ``ID``) made its argument (``account``) and the other ``words``
    (``PERSON`` -> ``boss``) filled in, when known; ``lead``: arguments that come first
    for a command (``{"diff": revisions()}``).

    A text is built once for each account, folder and set of words given, and the words'
    values are filled into that (``_template``): a check of a neglected portfolio writes
    the hints of 90,000 findings, nearly every one with another person in the same few
    commands, and building each command anew was a third of its text output's time."""
    words = words or {}
    key = (
        text,
        account_id,
        folder,
        tuple(words),
        tuple(lead.items()) if lead else None,
    )
    inv = _current
    templates = inv.templates if inv is not None else _PLAIN_TEMPLATES
    template = templates.get(key)
    if template is None:
        if inv is None and len(templates) >= _PLAIN_LIMIT:
            templates.clear()
        template = templates[key] = _template(text, account_id, folder, tuple(words), lead)
    if len(template) == 1:
        return template[0]
    out = list(template)
    for i in range(1, len(out), 2):
        out[i] = word(words[out[i]])
    return "".join(out)


def _may_name(command: str, account_id: str) -> bool:
    """Whether a suggested ``command`` may name the account by ``account_id``: `kam init`
    takes a new id, so a folder whose name is no id (``accounts/华信``) leaves its ``ID``
    as written (`kam init '华信'` would be refused); every other command finds the account
    by its folder."""
    if command != "init":
        return True
    from kamtool.load.ids import is_slug

    return is_slug(account_id)


def _template(
    text: str,
    account_id: str | None,
    folder: str | os.PathLike[str] | None,
    keys: tuple[str, ...],
    lead: dict[str, tuple[str, ...]] | None,
) -> _Template:
    """``commands_in``'s text with the words of ``keys`` left to fill in: each command
    built as ``command`` builds it, its words quoted one by one, so that a word quoted
    when filled in is the word ``command`` would have quoted in its place."""
    lead = lead or {}
    out: list[str] = []
    pending: list[str] = []  # the text since the last word left to fill in
    last = 0
    for match in _IN_TEXT.finditer(text):
        pending.append(text[last : match.start()])
        last = match.end()
        tokens = match.group(1).split()
        name = tokens[0]
        rest = tokens[1:]
        if name == "import" and rest:
            name, rest = f"import {rest[0]}", rest[1:]
        args: list[str | _Filled] = list(lead.get(name, ()))
        for token in rest:
            if token in ACCOUNT_WORDS and account_id and _may_name(name, account_id):
                args.append(account(account_id, folder, name))
            elif token in keys:
                args.append(_Filled(token))
            else:
                args.append(token)
        pending.append("`")
        for i, part in enumerate(_words(name, tuple(args))):
            if i:
                pending.append(" ")
            if isinstance(part, _Filled):
                out += ["".join(pending), part.key]
                pending = []
            else:
                pending.append(word(part))
        pending.append("`")
    pending.append(text[last:])
    out.append("".join(pending))
    return tuple(out)
