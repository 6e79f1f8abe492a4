"""Where a command works: the repository, kam.yaml, the accounts folder, the date, and
what an account or person argument names. Every command starts here, so they all find
the same repository from any sub-folder and read an argument the same way (SPEC 1).

- The repository is found like git finds it: kam.yaml in the current folder or the
  nearest parent, stopping at the repository root (the folder holding ``.git``) or the
  file-system root.
- The accounts folder is ``accounts`` of kam.yaml (relative to it), else ``accounts/``
  at the repository root; outside git and without kam.yaml, ``accounts/`` in the
  nearest folder (the current one or a parent) that has one.
- An account argument is a path (an account folder, an accounts folder, or a file in an
  account) when one exists under that name, else an account id; a plain name that is not
  a valid id (``BigCo``) still names the account folder of that name, which then loads
  with its KAM006 finding.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kamtool import suggest
from kamtool.errors import (
    ConfigError,
    KamError,
    NoAccountsFolder,
    NotFound,
    NothingRead,
    UsageError,
    typed_form,
)
from kamtool.i18n import (
    _,
    aside,
    listed,
    name_key,
    ngettext,
    number,
    pgettext,
    quoted,
    simplified,
)
from kamtool.load.ids import is_slug

if TYPE_CHECKING:
    from kamtool.load.accounts import Account
    from kamtool.load.config import Config
    from kamtool.load.models import Stakeholder

CONFIG_NAME = "kam.yaml"
#: the largest kam.yaml kam reads (its own ``max_file_size`` cannot apply to itself): the
#: full load refuses a larger one with KAM001, and the language is read up to the same size
CONFIG_MAX_BYTES = 5_000_000
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: kam.yaml's top-level ``language`` key on a line of its own (a key at column 0 is always
#: a key of the top mapping: block scalars and nested mappings are indented)
_LANGUAGE_LINE = re.compile(
    r"""^language[ \t]*:[ \t]*(?:"([^"\r\n]*)"|'([^'\r\n]*)'|([^\s#'"][^\s#]*))[ \t]*(?:#[^\r\n]*)?\r?$""",
    re.MULTILINE,
)


def parse_date(value: str, option: str) -> dt.date:
    """A date given on the command line: exactly YYYY-MM-DD (not 20261127, not 2026-W48-1,
    which Python's ISO parser would take)."""
    text = value.strip()
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise UsageError(
                _("{option}: {value!r} is not a real calendar date").format(
                    option=option, value=value
                )
            ) from None
    from kamtool.load.models import iso_form

    iso = iso_form(text)  # 2026/11/20, 2026年11月20日: as a file's date is told
    raise UsageError(
        _("{option} must be a date YYYY-MM-DD, not {value!r}").format(option=option, value=value)
        + (_(": write {iso}").format(iso=iso) if iso else "")
    )


def parse_today(value: str, option: str) -> dt.date:
    """A date to judge against, given as text: the CLI's ``--today`` (checked as it is
    parsed, with the option's name) and the library's ``today`` (with the parameter's).
    One name each: both were told as "today (--today)", which read as neither, least of
    all in Chinese ("today (--today) 必须是..."), where ``--date`` read cleanly. An
    empty one (an unset variable) is an error too, never the clock's date."""
    if not value.strip():
        raise UsageError(
            _(
                "{option} is empty ({value!r}): give a date YYYY-MM-DD; an unset "
                "variable gives an empty argument"
            ).format(option=option, value=value)
        )
    return parse_date(value, option)


def resolve_today(value: str | dt.date | None = None) -> dt.date:
    """--today (the library's ``today``), else KAM_TODAY, else the system date. A
    datetime counts as its date; anything but a date or YYYY-MM-DD text is a UsageError."""
    if isinstance(value, dt.datetime):  # a date too, but its arithmetic is not a date's
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is not None and not isinstance(value, str):
        raise UsageError(
            _("today must be a date or text YYYY-MM-DD, not {kind} {value!r}").format(
                kind=type(value).__name__, value=value
            )
        )
    if value is not None:  # the command line's --today was checked as it was parsed
        return parse_today(value, "today")
    env = os.environ.get("KAM_TODAY", "").strip()
    if env:
        return parse_date(env, "KAM_TODAY")
    return dt.date.today()


def today_is_pinned(value: str | dt.date | None) -> bool:
    """Whether the date was given (--today or KAM_TODAY) rather than read from the clock:
    history then grades every revision as of that one date."""
    return bool(value) or bool(os.environ.get("KAM_TODAY", "").strip())


def git_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding ``.git`` (a folder, or a file in a
    worktree or submodule), without running git."""
    for folder in (start, *start.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return None


def find_config(cwd: Path, stop: Path | None) -> Path | None:
    """kam.yaml in ``cwd`` or the nearest parent, not above ``stop`` (the repository root).
    A folder this user may not look into holds none that kam can read: the search goes on
    above it (``kam check`` run inside an account folder without read permission checks the
    portfolio and reports that account as unreadable)."""
    for folder in (cwd, *cwd.parents):
        candidate = folder / CONFIG_NAME
        if os.path.isfile(candidate):  # False, not PermissionError, in a closed folder
            return candidate
        if stop is not None and folder == stop:
            return None
    return None


def config_language(path: Path | None) -> str | None:
    """kam.yaml's ``language`` when that key alone is valid (``en`` or ``zh-CN``), read
    without parsing or validating the rest of the file: the output language has to be
    settled before any option is checked or any finding worded, and a kam.yaml that does
    not validate is still reported in the language it asks for. None when kam.yaml does
    not say, says something kam has no catalogue for, or cannot be read (the full load
    reports that)."""
    from kamtool.i18n import LANGUAGES

    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            # the whole file, as the full load reads it: a key past any shorter cut (a
            # kam.yaml with a long list of offerings or rates) is still found, and so is a
            # duplicate of it; a file over the limit the full load refuses says nothing
            if os.fstat(fh.fileno()).st_size > CONFIG_MAX_BYTES:
                return None
            head = fh.read(CONFIG_MAX_BYTES + 1)
    except OSError:
        return None
    if len(head) > CONFIG_MAX_BYTES:  # it grew while being read
        return None
    # utf-8-sig: a byte order mark before the first key (Windows editors write one), and
    # the pattern allows CRLF line ends, as the full load does
    found = _LANGUAGE_LINE.findall(head.decode("utf-8-sig", "replace"))
    if len(found) != 1:  # none, or a duplicate key (an error the full load reports)
        return None
    value = "".join(found[0])  # the one alternative that matched: quoted or plain
    return value if value in LANGUAGES else None


def find_config_for(config: str | Path | None, cwd: Path) -> Path | None:
    """The kam.yaml a command reads: the one named by --config (None when it does not
    exist: the workspace reports that), else the nearest one up to the repository root."""
    if config is not None:
        named = Path(os.path.abspath(cwd / Path(config)))
        return named if os.path.isfile(named) else None
    return find_config(cwd, git_root(cwd))


@dataclass(frozen=True)
class Workspace:
    """What every command starts from."""

    cwd: Path
    #: the repository root (git), else the folder of kam.yaml, else the folder that holds
    #: the accounts folder, else cwd: nothing is read or written through a symlink leaving it
    root: Path
    today: dt.date
    config: Config
    config_path: Path | None
    accounts_dir: Path

    def display(self, path: Path) -> str:
        """A path as the user should read it: relative to where they are, when below it."""
        from kamtool.load.accounts import display_path

        return display_path(path, self.cwd)


def current_folder() -> Path:
    """The folder kam runs in, absolute; a one-line UsageError when there is none: a shell
    left in a folder that was deleted or moved (``git worktree remove``, a CI step that
    cleaned up), or one whose path this user may not read."""
    try:
        return Path(os.path.abspath(os.getcwd()))
    except FileNotFoundError:
        raise UsageError(
            _(
                "the current folder no longer exists (it was deleted or moved while you were "
                "in it): change to the repository's folder again"
            )
        ) from None
    except OSError as exc:
        from kamtool.i18n import os_reason

        raise UsageError(
            _("cannot tell which folder this is: {reason}").format(reason=os_reason(exc))
        ) from None


def governing_config(arg: str, here: Path) -> Path | None:
    """The kam.yaml that governs what a path argument names: the nearest one at or above
    it, not above its repository's root, as ruff and eslint find a file's settings. None
    for an argument that is no path on disk (an id: the accounts folder of the run's own
    kam.yaml holds it) and for a path with no kam.yaml above it (an export outside any
    account repository: the run's own settings apply)."""
    if not arg:
        return None
    path = Path(os.path.abspath(here / arg))
    try:
        if not os.path.lexists(path):
            return None
        start = path if path.is_dir() else path.parent
    except OSError:
        return None
    return find_config(start, git_root(start))


def _governing(named: Sequence[str], here: Path, own: Path | None) -> tuple[Path | None, bool]:
    """The kam.yaml a run over the ``named`` arguments reads, without --config: the one
    that governs the paths named, else the one found from the current folder (``own``).
    In a monorepo whose team keeps its kam.yaml below the root, ``kam check
    sales/kunden`` from the root read the accounts with the built-in settings (other
    tiers, thresholds and severities): a gate could pass what the team's kam.yaml fails,
    and `kam log` wrote its schema at the root. A UsageError (exit 2) when the arguments
    lie under different kam.yaml files, each with its own settings: one run cannot read
    them with both. The second item: whether the kam.yaml came from a path."""
    paths: dict[Path, str] = {}  # each kam.yaml read, with the first argument it governs
    for arg in named:
        # ids and paths with no kam.yaml above them are read with the run's own kam.yaml
        found = governing_config(arg, here) or own
        if found is not None:
            paths.setdefault(found, arg)
    if len(paths) > 1:
        from kamtool.load.accounts import display_path

        (first, one), (second, other) = list(paths.items())[:2]
        raise UsageError(
            _(
                "{one} is read with {first} and {other} with {second}, each with settings "
                "of its own: run kam once for each, or name one kam.yaml with --config"
            ).format(
                one=one,
                other=other,
                first=display_path(first, here),
                second=display_path(second, here),
            )
        )
    if paths:
        (chosen,) = paths
        return chosen, chosen != own
    return own, False


def workspace(
    config: str | Path | None = None,
    today: str | dt.date | None = None,
    cwd: str | Path | None = None,
    named: Sequence[str] = (),
    speak: bool = True,
) -> Workspace:
    """Find the repository, kam.yaml and the accounts folder; resolve the date.

    ``named``: the account arguments of the command (ids, folders, files). Without
    --config, the kam.yaml that governs the paths among them is read (``_governing``),
    so a command reads an account with its own team's settings from wherever it runs.
    ``speak``: take kam.yaml's language for this run's output (False: a look at the
    workspace on the side, as a suggested command's, leaves the run's language alone).

    Raises UsageError (a bad date, a named config file that does not exist, paths under
    different kam.yaml files) or ConfigError (kam.yaml invalid)."""
    from kamtool import i18n
    from kamtool.load.accounts import load_config

    here = Path(os.path.abspath(cwd)) if cwd is not None else current_folder()
    repo = git_root(here)
    cfg_path = find_config_for(config, here)
    if config is None and named:
        cfg_path, elsewhere = _governing(named, here, cfg_path)
        if elsewhere and cfg_path is not None:
            repo = git_root(cfg_path.parent)
    # the language first: a bad date and every finding of an invalid kam.yaml are worded in it
    if speak:
        i18n.configure(config_language(cfg_path))
    if config is not None and cfg_path is None:
        given = here / config
        if os.path.isdir(given):  # --config teams/emea: the folder of a kam.yaml, not the file
            inside = Path(config) / CONFIG_NAME
            raise UsageError(
                _("--config names a file, and {path} is a folder: {hint}").format(
                    path=config,
                    hint=(
                        _("name the kam.yaml in it, --config {file}").format(file=inside.as_posix())
                        if os.path.isfile(given / CONFIG_NAME)
                        else _("it holds no kam.yaml")
                    ),
                )
            )
        raise UsageError(_("config file not found: {path}").format(path=config))
    day = resolve_today(today)
    cfg = load_config(cfg_path, here)
    if speak:
        i18n.configure(cfg.language)
    if cfg_path is not None:
        accounts = Path(os.path.abspath(cfg_path.parent / cfg.accounts))
        root = repo or cfg_path.parent
        _not_one_account(cfg_path, cfg.accounts, accounts, here)
    elif repo is not None:
        accounts, root = repo / "accounts", repo
    else:
        holder = next((f for f in (here, *here.parents) if os.path.isdir(f / "accounts")), here)
        accounts, root = holder / "accounts", holder
    return Workspace(here, root, day, cfg, cfg_path, accounts)


def _not_one_account(cfg_path: Path, value: str, accounts: Path, here: Path) -> None:
    """kam.yaml's `accounts:` names the folder of the account folders; one that holds
    account files itself (``accounts: accounts/acme``, or a stray account.yaml beside the
    account folders) was read as the one account of the portfolio: the gate checked it
    alone and passed. A ConfigError at `accounts:` (exit 2, in every format)."""
    from kamtool.load.accounts import config_finding, is_account_folder

    if not os.path.isdir(accounts) or not is_account_folder(accounts):
        return
    held = _account_files(accounts)
    raise ConfigError(
        [
            config_finding(
                cfg_path,
                here,
                ("accounts",),
                _(
                    "accounts: {value} is an account folder (it holds {files}): kam would "
                    "read it as the only account"
                ).format(value=value, files=listed(held, "and")),
                _(
                    "Name the folder that holds the account folders (its parent, if this "
                    "is one account), or move these files into an account's folder."
                ),
            )
        ]
    )


# ---------------------------------------------------------------- account arguments
def account_ids(accounts_dir: Path) -> list[str]:
    """The account folders' names under the accounts folder (for listings and hints)."""
    try:
        with os.scandir(accounts_dir) as entries:
            return sorted(
                e.name for e in entries if e.is_dir() and not e.name.startswith((".", "_"))
            )
    except OSError:
        return []


#: the most options a name is the start of that "did you mean" lists
STARTING_SHOWN = 5


def _did_you_mean(value: str, options: Iterable[str], same: dict[str, str] | None = None) -> str:
    """ "; did you mean 'x'?" for a close option, else for the one option that contains
    ``value`` (a first name, part of an id: ``regula`` for ``regula-bosshard``); the start
    of several options names them all ("'sarah-lin' or 'sarah-lindqvist'"). ``same``
    maps options that name one thing (a person's name) to the one suggested for a part
    (their id), so a person found by id and name is still one match."""
    return _meant(_close_options(value, options, same))


def _meant(names: list[str], notes: dict[str, str] | None = None) -> str:
    """ "; did you mean 'x'?" (or "'x' or 'y'") for the options ``_close_options``
    found, each followed by its note when ``notes`` has one ("'peder-lund' (left on
    2026-10-01)"); "" for none."""
    if not names:
        return ""
    notes = notes or {}
    if len(names) == 1 and names[0] not in notes:
        return _("; did you mean {name!r}?").format(name=names[0])
    return _("; did you mean {names}?").format(
        names=listed(
            (quoted(n) + aside(notes.get(n, "")) for n in names), "or", shown=STARTING_SHOWN
        )
    )


def _close_options(
    value: str, options: Iterable[str], same: dict[str, str] | None = None
) -> list[str]:
    """The options "did you mean" suggests for ``value`` (``_did_you_mean``), none when
    nothing is close."""
    choices = [o for o in options if o != value]  # never the very name typed
    same = same or {}
    value = typed_form(value)  # ｔａｉｙａｎｇ, typed in full width, is taiyang
    if not value.isascii():
        # a name typed in the other script, 张国强 for 張國強 (a colleague on the
        # mainland, a team in Taiwan): the one it is, with no letter in common
        script = simplified(value)
        same_name = sorted({o for o in choices if simplified(o) == script})
        if same_name:
            return same_name
    wanted = value.casefold()
    # the one option that starts with it beats a close spelling ('klinikum' is the start
    # of 'klinikum-nuernberg', not a typo of 'klinik-am-see'); the start of several
    # ('Sarah' of sarah-lin and sarah-lindqvist) names them all: the closest spelling
    # alone would pass for the one meant
    starting = {same.get(o, o) for o in choices if wanted and o.casefold().startswith(wanted)}
    if starting:
        return sorted(starting)
    slip = _one_character_slip(value, choices, same)
    if slip is not None:
        return [slip]
    near = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    if near:
        return near
    containing = {same.get(o, o) for o in choices if wanted and wanted in o.casefold()}
    if len(containing) == 1:
        return [containing.pop()]
    return []


def person_hint(arg: str, people: Sequence[Stakeholder], today: dt.date | None) -> str:
    """ "; did you mean ...?" for a person argument that names nobody: the account's
    current people first (a slip of 'Per Lunde' suggested only 'Peder Lund', who had
    left), then anyone who has left and is as close, said to have left ("'per-lunde' or
    'peder-lund' (left on 2026-10-01)"); an announced departure is said too ("leaves
    on ...").
    ``today`` tells a departure past from one announced (None: every ``left_on`` counts
    as a departure). One hint for every command that takes a person (``find_person``,
    ``kam history``)."""
    # a name several people share suggests itself, not one of them: typed next, it says
    # who they are ("2 people are named '王伟' ... (wang.wei, wang.wei2): use the id")
    counts = Counter(p.name for p in people)
    same = {p.name: p.id for p in people if counts[p.name] == 1}
    who = {**{p.name: p for p in people if counts[p.name] == 1}, **{p.id: p for p in people}}

    def gone(p: Stakeholder | None) -> bool:
        return p is not None and p.left_on is not None and (today is None or p.left_on <= today)

    current = [p for p in people if not gone(p)]
    everyone = _close_options(arg, [p.id for p in people] + [p.name for p in people], same)
    in_post = _close_options(arg, [p.id for p in current] + [p.name for p in current], same)
    names = [n for n in everyone if not gone(who.get(n))]
    if not everyone:
        # nothing close among everyone, but among the people in post: '王放' is one
        # character from 王芳 and from 王方, who left; of those in post, only from 王芳
        names = in_post
    elif len(names) < len(everyone):
        # the closest is someone who left: a current person nearly as close comes first
        # ('Peder Lunde' is 'Per Lunde' in post more likely than 'Peder Lund', who left),
        # a merely passable one does not ('karin-snd' is not 'maria-olsen')
        best = max(_likeness(arg, n) for n in everyone)
        names += [
            n for n in in_post if n not in names and _likeness(arg, n) >= best - NEARLY_AS_CLOSE
        ]
    # someone who left comes after them, said to have left: `kam history` and
    # `kam touch --reviewed` may mean them
    names += [n for n in everyone if gone(who.get(n)) and n not in names]
    notes: dict[str, str] = {}
    for name in names:
        p = who.get(name)
        if p is not None and p.left_on is not None:
            notes[name] = (_("left on {date}") if gone(p) else _("leaves on {date}")).format(
                date=p.left_on.isoformat()
            )
    return _meant(names, notes)


#: how much less alike (difflib's ratio) a current person may be than the closest person
#: who left, and still be suggested first
NEARLY_AS_CLOSE = 0.2


def _likeness(typed: str, option: str) -> float:
    return difflib.SequenceMatcher(None, typed.casefold(), option.casefold()).ratio()


#: the longest CJK name the one-character rule applies to (Chinese names are 2-4 characters)
_SHORT_CJK = 4


def _is_cjk(text: str) -> bool:
    """Every character wide (Chinese, Japanese, Korean script), as a name of people is."""
    import unicodedata

    return bool(text) and all(unicodedata.east_asian_width(c) in "WF" for c in text)


def _one_character_slip(value: str, choices: list[str], same: dict[str, str]) -> str | None:
    """The one option a short CJK name differs from in a single character, the rest the
    same and in place (刘阳 for 刘洋: same pinyin, the usual input-method slip). A
    two-character name shares only half its characters, below difflib's cutoff, yet that
    is exactly the slip; Latin text never takes this rule. None when no option, or more
    than one thing, is that close."""
    if not (2 <= len(value) <= _SHORT_CJK and _is_cjk(value)):
        return None
    close = [
        o
        for o in choices
        if len(o) == len(value) and sum(a != b for a, b in zip(o, value, strict=True)) == 1
    ]
    if len({same.get(o, o) for o in close}) != 1:
        return None
    return close[0]


def refuse_empty_account(arg: str) -> None:
    """An empty account argument (``kam plan "$ACCOUNT"`` with the variable unset) is a
    usage error: read as a path it is the current folder, which named some other
    account, every account, or "' ' is not an account folder"."""
    if not arg.strip():
        raise UsageError(
            _(
                "the account is empty ({arg!r}): name an account by id or folder; an "
                "unset variable gives an empty argument"
            ).format(arg=arg)
        )


def refuse_empty_person(arg: str) -> None:
    """An empty person argument (``kam log acme "$WHO"`` with the variable unset) is a
    usage error, as an empty account is, not "no stakeholder ''"."""
    if not arg.strip():
        raise UsageError(
            _(
                "the person is empty ({arg!r}): name a person by id or name; an unset "
                "variable gives an empty argument"
            ).format(arg=arg)
        )


def account_folder(ws: Workspace, arg: str) -> Path:
    """The one account an argument names: an id, an account folder, or a file in one."""
    from kamtool.load.accounts import is_account_folder

    refuse_empty_account(arg)
    path = Path(os.path.abspath(ws.cwd / arg))
    named = named_folder(ws, arg)
    if os.path.lexists(path) and named is None:
        folder = path.parent if path.is_file() else path
        if folder.is_dir() and is_account_folder(folder):
            return folder
        raise NotFound(_("{arg} is not an account folder (it has no account.yaml)").format(arg=arg))
    if named is not None:
        return named
    _not_a_folder(ws, arg)
    return _no_account(arg, account_ids(ws.accounts_dir), ws)


def named_folder(ws: Workspace, arg: str) -> Path | None:
    """The folder of the accounts folder an argument names by its name, else None: a
    valid id names its folder; any other plain name (``BigCo``, ``Big Co``) names the
    account folder of that name, so that it loads and its KAM006 finding says what is
    wrong with the name, rather than "no account 'BigCo'; did you mean 'BigCo'?"."""
    folder = ws.accounts_dir / arg
    if is_slug(arg):
        return folder if folder.is_dir() else None
    plain = arg not in ("", ".", "..") and Path(arg).name == arg and "/" not in arg
    if plain and _of_accounts_folder(ws, folder) and folder.is_dir():
        return folder
    return None


def _of_accounts_folder(ws: Workspace, folder: Path) -> bool:
    """Whether a folder stands directly in the accounts folder: then it is an account
    folder, with kam's files or without them, as the run over the whole portfolio reads it
    (``discover``: its KAM006 names the files it lacks), never an accounts folder of its
    own that holds no account."""
    if folder.name.startswith((".", "_")):
        return False
    try:
        return folder.parent.resolve() == ws.accounts_dir.resolve()
    except OSError:
        return False


def _not_a_folder(ws: Workspace, arg: str) -> None:
    """An id whose name in the accounts folder is a file (or a dangling link), not a
    folder: say so, rather than that there is no such account."""
    entry = ws.accounts_dir / arg
    if is_slug(arg) and os.path.lexists(entry) and not entry.is_dir():
        raise NotFound(
            _("{path} is not an account folder: it is a file, not a folder").format(
                path=ws.display(entry)
            )
        )


def _account_names(accounts_dir: Path, ids: Sequence[str], max_bytes: int) -> dict[str, str]:
    """name -> id of the accounts whose account.yaml reads and gives a name. Read only
    when an argument named no account (a run that finds its accounts reads nothing
    twice), by the rules of every other read (``max_bytes``: kam.yaml's
    ``max_file_size``), so that an account.yaml kam loads is found by its name whatever
    its size; a file that does not read (one over the limit included) is left out, the
    account's own run reports it (KAM001)."""
    names: dict[str, str] = {}
    for account_id, data in _each_file(accounts_dir, ids, "account.yaml", max_bytes):
        name = data.get("name") if isinstance(data, dict) else None
        if isinstance(name, str) and name.strip():
            names[name.strip()] = account_id
    return names


def _each_file(
    accounts_dir: Path, ids: Sequence[str], name: str, max_bytes: int
) -> Iterator[tuple[str, object]]:
    """(account id, data) of the file ``name`` of each account that has one that reads and
    parses; the others are left out (the account's own run reports them)."""
    from kamtool.load.accounts import parse_document, read_if_present
    from kamtool.load.yamlread import YamlError

    for account_id in ids:
        got = read_if_present(accounts_dir / account_id / name, accounts_dir, max_bytes)
        if got is None or got[0] is None:
            continue
        try:
            yield account_id, parse_document(got[0]).data
        except YamlError:
            continue


def _by_account_name(arg: str, accounts_dir: Path, ids: Sequence[str], max_bytes: int) -> str:
    """ "; did you mean 'pengcheng-power'?" for the customer's name or part of it
    ("鹏城电力集团有限公司", "鹏城电力", "Nordtel"), typed where the folder id goes; empty
    when no one account's name matches."""
    # in either script: 太阳光电 for 太陽光電科技股份有限公司
    wanted = simplified(arg.strip().casefold())
    if not wanted:
        return ""
    names = [
        (simplified(n.casefold()), i)
        for n, i in _account_names(accounts_dir, ids, max_bytes).items()
    ]
    found = {i for n, i in names if n == wanted}
    if not found:
        found = {i for n, i in names if wanted in n}
    if len(found) != 1:
        return ""
    return _("; did you mean {name!r}?").format(name=found.pop())


def _by_person(arg: str, accounts_dir: Path, ids: Sequence[str], max_bytes: int) -> str:
    """ "; 'sun.li' is a person of 'huarun': the account's id comes first" for a person's id
    or exact name typed where the account goes (``kam touch sun.li`` from inside the
    account's folder); empty unless exactly one account has such a person. Read, as
    ``_account_names`` reads, only when an argument named no account."""
    wanted = arg.strip()
    if not wanted:
        return ""
    found: set[str] = set()
    for account_id, data in _each_file(accounts_dir, ids, "stakeholders.yaml", max_bytes):
        people = data.get("stakeholders") if isinstance(data, dict) else None
        for person in people if isinstance(people, list) else ():
            if isinstance(person, dict) and wanted in (
                person.get("id"),
                str(person.get("name") or "").strip(),
            ):
                found.add(account_id)
    if len(found) != 1:
        return ""
    return _("; {person!r} is a person of account {account!r}: the account comes first").format(
        person=wanted, account=found.pop()
    )


def _one_level_down(arg: str, ids: Sequence[str], ws: Workspace) -> str:
    """ ": accounts/north/acme is one level too deep..." for an id that is the folder of an
    account inside a folder of the accounts folder (a region's), which kam does not read
    (KAM006 on the region): where it is and what to do, not the list of the regions."""
    from kamtool.load.accounts import is_account_folder

    if not is_slug(arg):
        return ""
    for group in ids:
        folder = ws.accounts_dir / group / arg
        if folder.is_dir() and is_account_folder(folder):
            return _(
                ": {folder} is one level too deep: kam reads account folders directly "
                "inside the accounts folder, not in {group}; move the account folders of "
                "{group} up one level"
            ).format(folder=ws.display(folder), group=group)
    return ""


def _no_account(arg: str, ids: Sequence[str], ws: Workspace) -> Path:
    """NotFound for an argument that names no account, with the id it most likely meant:
    a close id, else the account whose name (account.yaml) it is or is part of. With no
    accounts folder, that, and the kam.yaml below the current folder that holds it."""
    hint = _(
        "Name an account by its id or its folder, as the message suggests; `{init}` starts "
        "a new one."
    ).format(init=suggest.command("init", "ID"))
    if not ws.accounts_dir.is_dir():
        below = _below(ws, arg)
        folder = ws.display(ws.accounts_dir)
        message = (
            _(
                "no account {arg!r}: there is no accounts folder at {folder} and no "
                "kam.yaml in this folder or above it (kam looks upward, as git does); "
                "below it: {below}"
            ).format(arg=arg, folder=folder, below=below)
            if below
            else _("no account {arg!r}: there is no accounts folder at {folder}").format(
                arg=arg, folder=folder
            )
        )
        raise NothingRead(message, ws.cwd / arg, message, hint)
    advice = hint
    hint = _one_level_down(arg, ids, ws)
    if not hint:
        hint = _did_you_mean(arg, ids)
    if not hint:
        hint = _by_account_name(arg, ws.accounts_dir, ids, ws.config.max_file_size)
    if not hint:
        hint = _by_person(arg, ws.accounts_dir, ids, ws.config.max_file_size)
    if not hint and ids:
        hint = _(" (accounts: {listing})").format(listing=listed(ids, shown=10))
    elif not hint:
        hint = _(" (and no such file or folder)")
    message = _("no account {arg!r}{hint}").format(arg=arg, hint=hint)
    # NotFound (exit 1) that the gate commands' CI formats also write as a finding on
    # the argument, so that a report file read by the CI system is never empty
    raise NothingRead(message, ws.cwd / arg, message, advice)


def account_folders(ws: Workspace, args: Sequence[str | Path]) -> list[Path]:
    """The account folders named by the arguments (default: every account of the
    accounts folder): each argument an id, an account folder or an accounts folder."""
    from kamtool.load.accounts import discover, is_account_folder

    if not args:
        if not ws.accounts_dir.is_dir():
            raise no_accounts_folder(ws)
        if is_account_folder(ws.accounts_dir):
            raise _holds_account_files(ws)
        return _some(discover([ws.accounts_dir]), ws.display(ws.accounts_dir), ws.accounts_dir)
    chosen: list[Path] = []
    accounts: set[Path] = set()  # folders of the accounts folder: accounts, whatever they hold
    for raw in args:
        arg = os.fspath(raw)
        refuse_empty_account(arg)
        path = Path(os.path.abspath(ws.cwd / arg))
        named = named_folder(ws, arg)
        if os.path.lexists(path):
            if path.is_file() or is_account_folder(path):
                chosen.append(account_folder(ws, arg) if path.is_file() else path)
            elif path.is_dir():
                chosen.append(path)
                if _of_accounts_folder(ws, path):
                    accounts.add(path)
            else:  # a device, a socket, a pipe
                raise UsageError(
                    _("{arg} is neither a file nor a folder: name an account or a folder").format(
                        arg=arg
                    )
                )
        elif named is not None:
            chosen.append(named)
            accounts.add(named)
        elif is_slug(arg):
            _not_a_folder(ws, arg)
            _no_account(arg, account_ids(ws.accounts_dir), ws)
        elif Path(arg).name == arg and "/" not in arg and os.sep not in arg:
            # a plain name, not a path: an account that does not exist, as for any id
            _no_account(arg, account_ids(ws.accounts_dir), ws)
        else:
            message = _("no such file or folder: {arg}").format(arg=arg)
            hint = _("Correct the path: it names no file or folder.")
            # exit 2, as any usage error
            raise NoAccountsFolder(message, ws.cwd / arg, message, hint)
    return _some(
        discover(chosen, accounts),
        listed(os.fspath(a) for a in args),
        chosen[0] if len(chosen) == 1 else None,
    )


#: how many folders the search for a kam.yaml below the current folder looks into at most:
#: it runs only on the way to an error, and must stay quick in a company monorepo
BELOW_SEARCHED = 2000
BELOW_DEPTH = 3


def configs_below(ws: Workspace) -> list[str]:
    """The kam.yaml files in the folders below where kam runs (up to BELOW_DEPTH levels,
    hidden folders and node_modules left out, BELOW_SEARCHED folders at most), as the user
    should type them: kam looks for kam.yaml upward only, so from a monorepo's root it
    finds none of them, and the error can say where they are."""
    found: list[str] = []
    level = [ws.cwd]
    seen = 0
    for _depth in range(BELOW_DEPTH):
        below: list[Path] = []
        for folder in level:
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith(".") or entry.name == "node_modules":
                    continue
                try:
                    if not entry.is_dir(follow_symlinks=False):
                        continue
                except OSError:
                    continue
                seen += 1
                if seen > BELOW_SEARCHED:
                    return found
                path = Path(entry.path)
                if (path / "kam.yaml").is_file():
                    found.append(ws.display(path / "kam.yaml"))
                below.append(path)
        level = below
    return found


def _below(ws: Workspace, account: str | None = None) -> str:
    """ "crm/kam.yaml: run kam there (`cd crm`) or add `--config crm/kam.yaml`", what to do
    with the kam.yaml files below the current folder; "" when there is none, or when
    kam.yaml was found or named. With an ``account`` id, the kam.yaml whose accounts
    folder holds it is the one advised (with two teams' kam.yaml below a monorepo's root,
    the first found was named, whatever tree held the account)."""
    if ws.config_path is not None:
        return ""
    found = configs_below(ws)
    if not found:
        return ""
    if account is not None:
        holding = [c for c in found if _holds_account(ws.cwd / c, account)]
        found = holding + [c for c in found if c not in holding]
    return _("{configs}: run kam there (`cd {folder}`) or add `--config {config}`").format(
        configs=listed(found, shown=5),
        folder=suggest.word(os.path.dirname(found[0])),
        config=suggest.word(found[0]),
    )


def refuse_second_portfolio(ws: Workspace) -> None:
    """`kam init` where no kam.yaml governs and there is no accounts folder, with a
    team's kam.yaml below (a monorepo's root): it started a second portfolio at the root,
    whose accounts folder then hid the team's from every later run there. Refused as
    every other command there is refused, naming the kam.yaml below (exit 2)."""
    if ws.config_path is None and not os.path.lexists(ws.accounts_dir) and configs_below(ws):
        raise no_accounts_folder(ws)


def _holds_account(config: Path, account: str) -> bool:
    """Whether the accounts folder of the kam.yaml at ``config`` has a folder ``account``;
    False when that kam.yaml does not load (the run that reads it says why)."""
    from kamtool.load.accounts import load_config

    if not is_slug(account):
        return False
    try:
        folder = config.parent / load_config(config, config.parent).accounts / account
    except (KamError, OSError):
        return False
    return folder.is_dir()


def no_accounts_folder(ws: Workspace) -> KamError:
    """The error for an accounts folder that is not there. Without a kam.yaml it says so:
    in a monorepo whose kam.yaml lives in a sub-folder, a run from the repository root
    finds none, and `kam init` would start a second accounts folder at the root rather
    than use the one that exists. With one, the folder is its `accounts:` setting that
    names nothing: a ConfigError with kam.yaml's finding at that line, which check, stale
    and validate write in every CI format (their report files were empty, and the pull
    request that renamed the setting got no annotation); exit 2 either way."""
    folder = ws.display(ws.accounts_dir)
    below = _below(ws)
    # what the CI formats of check, stale and validate say, on the folder
    summary = _("no accounts folder at {folder}: nothing was read").format(folder=folder)
    if below:
        return NoAccountsFolder(
            _(
                "no accounts folder at {folder} and no kam.yaml in this folder or above it "
                "(kam looks upward, as git does); below it: {below}"
            ).format(folder=folder, below=below),
            ws.accounts_dir,
            summary,
        )
    if ws.config_path is None:
        return NoAccountsFolder(
            _(
                "no accounts folder at {folder} and no kam.yaml in this folder or above it: "
                "run kam in the folder of your kam.yaml (or name it with --config), "
                "or run `{init}` to start one"
            ).format(folder=folder, init=suggest.command("init", "ID")),
            ws.accounts_dir,
            summary,
        )
    # the folder comes from a kam.yaml, maybe one the user did not know was read (a
    # team's in a sub-folder): name it, and the key that set the folder
    from kamtool.load.accounts import config_finding

    init = suggest.command("init", "ID")
    finding = config_finding(
        ws.config_path,
        ws.cwd,
        ("accounts",),
        _("accounts: there is no folder {value} beside kam.yaml: no account was read").format(
            value=ws.config.accounts
        ),
        _(
            "Name the folder that holds the account folders in accounts:, or run `{init}` to "
            "start one there."
        ).format(init=init),
    )
    return ConfigError(
        [finding],
        _(
            "no accounts folder at {folder} (accounts: {value} in {config}, read from its "
            "folder): correct accounts: there or name another kam.yaml with --config, or run "
            "`{init}` to start one"
        ).format(
            folder=folder,
            value=ws.config.accounts,
            config=ws.display(ws.config_path),
            init=init,
        ),
    )


def _account_files(folder: Path) -> list[str]:
    """The names of kam's account files that ``folder`` holds itself."""
    from kamtool.load.accounts import FILE_NAMES

    return [name for name in FILE_NAMES.values() if os.path.lexists(folder / name)]


def _holds_account_files(ws: Workspace) -> NoAccountsFolder:
    """The accounts folder holds account files itself (an account.yaml saved beside the
    account folders): read as one account, it hid every account folder in it (only
    its own files were checked, and failed as an account without its files). Refused, as
    kam.yaml's `accounts:` naming such a folder is (``_not_one_account``)."""
    folder = ws.display(ws.accounts_dir)
    held = listed(_account_files(ws.accounts_dir), "and")
    return NoAccountsFolder(
        _(
            "the accounts folder {folder} holds account files of its own ({files}): kam would "
            "read it as one account and not the account folders in it; move them into an "
            "account's folder, or name one account's folder to check it alone"
        ).format(folder=folder, files=held),
        ws.accounts_dir,
        _(
            "{folder} holds account files of its own ({files}): the account folders in it "
            "were not read"
        ).format(folder=folder, files=held),
    )


def _some(folders: list[Path], where: str, folder: Path | None = None) -> list[Path]:
    """The account folders found, never none: a gate that read no account passed without
    looking (SPEC 7), so an empty accounts folder is an error, not "0 errors". ``folder``:
    the one folder that was read, which the CI formats report as a finding."""
    if not folders:
        raise NothingRead(
            _("no account folders in {where}: nothing was read; run `{init}` to start one").format(
                where=where, init=suggest.command("init", "ID")
            ),
            folder,
            _("no account folders in {where}: nothing was read").format(where=where),
        )
    return folders


def base_of(path: Path, ws: Workspace) -> Path:
    """The folder nothing under ``path`` may leave through a symlink: the workspace's root
    when ``path`` lies in it, else the repository holding ``path``, else ``path`` itself."""
    path = Path(os.path.abspath(path))
    if path == ws.root or ws.root in path.parents:
        return ws.root
    return git_root(path) or path


# ---------------------------------------------------------------- person arguments
def namesakes(account_id: str, arg: str, named: list[Stakeholder]) -> UsageError:
    """The one-line error for a name several people of an account share: each id with
    the title that tells the namesakes apart (an import gives ids such as
    crm-0035g0000000006aaa, which say nothing of who is who). Every command that takes a
    person by name refuses so rather than pick one (``find_person``, ``kam history``)."""
    ids = listed(
        pgettext("a person's id and title", "{id} ({title})").format(id=p.id, title=p.title)
        if p.title
        else p.id
        for p in named
    )
    return UsageError(
        _("{n} people are named {arg!r} in {account}: {ids}; use the id").format(
            n=len(named), arg=arg, account=account_id, ids=ids
        )
    )


def people_named(people: Sequence[Stakeholder], arg: str) -> list[tuple[int, Stakeholder]]:
    """The people (with their places in the list) a name on the command line names: those
    of exactly that name, else those whose name is typed as one says it ("anna lind",
    "Anna  Lind" for Anna Lind; 阿卜杜拉.买买提 for 阿卜杜拉·买买提: ``i18n.name_key``).
    Loosely only when the written name matches nobody, so a name that differs from
    another by case alone stays exact. One reading of a name for every command that takes
    a person (``find_person``, ``kam history``)."""
    named = [(i, p) for i, p in enumerate(people) if p.name == arg.strip()]
    if not named:
        loose = name_key(arg)
        named = [(i, p) for i, p in enumerate(people) if name_key(p.name) == loose]
    return named


def find_person(
    account: Account, arg: str, today: dt.date | None = None
) -> tuple[int, Stakeholder]:
    """A person named by id or, when unambiguous, by exact name (SPEC 1). Spaces at the
    ends of a name do not count, the full-width space a Chinese input method leaves
    after a name (``name: 邓海　``) included: nobody can see them, nor type them (the
    model's names come without them, ``models.Name``; the argument's are cut here).
    Nobody found: the error's "did you mean" is ``person_hint``'s (``today`` tells who
    has left)."""
    refuse_empty_person(arg)
    people = account.stakeholders
    for i, p in enumerate(people):
        if p.id == arg:
            return i, p
    named = people_named(people, arg)
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise namesakes(account.id, arg, [p for _i, p in named])
    hint = person_hint(arg, people, today) or _new_person_hint(account)
    raise NotFound(
        _("no stakeholder {arg!r} in {account}{hint}").format(
            arg=arg, account=account.id, hint=hint
        )
    )


def _new_person_hint(account: Account) -> str:
    """When nobody is close to the name typed: whom the account lists (a first `kam log`
    after `kam init` names the person met, whom stakeholders.yaml does not hold yet), and
    where a new person goes first."""
    ids = [p.id for p in account.stakeholders]
    if not ids:
        return _("; its stakeholders.yaml lists nobody yet: add the person there first")
    return ngettext(
        "; its stakeholders.yaml lists {n} person ({ids}): a new person goes there first",
        "; its stakeholders.yaml lists {n} people ({ids}): a new person goes there first",
        len(ids),
    ).format(n=number(len(ids)), ids=listed(ids, shown=5))
