"""kam portfolio --since DATE|REV: how the portfolio moved since then.

The past side is read from git at that revision (for a date: the last first-parent commit
before that day) with that revision's kam.yaml, and graded as of that commit's date, as
``kam history`` does; the present side is the portfolio kam just graded. Accounts gained
and lost, tier changes, letter changes and score changes, and per tier the counts and mean
scores then and now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from kamtool.analyse.diff import (
    People,
    SettingChange,
    account_people,
    build_from_files,
    layout_at,
    match_accounts,
    moved_accounts,
    people_pairs,
    repo_settings,
    setting_changes,
)
from kamtool.analyse.history import DATE_RE, TextCache, config_at, date_of, since_commit
from kamtool.core import AccountResult, analyse
from kamtool.errors import UsageError
from kamtool.i18n import _
from kamtool.load.accounts import FILE_NAMES, read_if_present
from kamtool.load.gitio import (
    BlobTexts,
    GitError,
    abbrev_length,
    git,
    group_accounts,
    last_removals,
    refuse_shallow,
    tree_files,
)

if TYPE_CHECKING:
    from kamtool.core import RunResult
    from kamtool.jsontypes import JsonObject


def _then(
    since: str,
    config_path: str | Path | None,
    cwd: str | Path | None,
    pinned: dt.date | None = None,
) -> tuple[str | None, dt.date | None, list[AccountResult], str | None, _Past, list[SettingChange]]:
    """(commit, its date, the accounts graded then, a note, where the accounts were then,
    the kam.yaml settings that differ between then and now) for ``since``: graded as of
    the commit's date (what the portfolio was then), or as of ``pinned`` when --today or
    KAM_TODAY gives one date for both sides, as ``kam history`` does."""
    rs = repo_settings(config_path, None, cwd, "kam portfolio --since")
    root = rs.root
    try:
        if DATE_RE.fullmatch(since):
            refuse_shallow(root, "kam portfolio --since DATE")
        found = since_commit(root, since)
        if found is None:
            gained = _("no commit before {since}: every account counts as gained")
            return None, None, [], gained.format(since=since), _Past(root, rs.prefix, None, 7), []
        commit = found
        date = date_of(git(root, "log", "-1", "--format=%cI", commit).decode().strip())
        blobs = BlobTexts(root, rs.settings.config.max_file_size)
        # the accounts folder and kam.yaml where that revision had them (a folder moved
        # since is the same accounts, not all lost and all gained)
        prefix, found_config = layout_at(rs, blobs, commit, config_path is not None)
        config_rel = found_config if config_path is None else None
        tree = tree_files(root, commit, prefix, *([config_rel] if config_rel else []))
        config = rs.settings.config
        note = (
            _(
                "both sides graded as of {day} (--today or KAM_TODAY), the past included: "
                "a change can come from the date alone (stale contacts); without a pinned "
                "date the past is graded as of its commit's date"
            ).format(day=pinned.isoformat())
            if pinned is not None and pinned != date
            # each side as of its own date: the months between age every contact, so a
            # score may move with no file changed (it was said only with --today)
            else _(
                "the past graded as of its commit's date ({then}), today's files as of "
                "today: a change can come from the date alone (stale contacts); --today "
                "grades both as of one date"
            ).format(then=date.isoformat())
            if pinned is None and date is not None
            else None
        )
        if config_rel:
            entry = tree.get(config_rel)
            then, error = config_at(root, blobs, entry[1] if entry else None, TextCache(), config)
            if then is None:
                # the report still stands: that side graded with today's kam.yaml, as kam
                # diff grades both sides, and said so (it refused the whole report, exit
                # 2, though the kam.yaml in use was fine)
                unread = _(
                    "kam.yaml at {since} does not load ({error}): that side is graded with "
                    "today's kam.yaml"
                ).format(since=since, error=error)
                note = unread if note is None else f"{unread}; {note}"
            else:
                config = then
        # each side is graded with its own kam.yaml: a grade may have moved by a setting
        # alone (new score weights), which the section says, as kam diff does
        settings = (
            setting_changes(config, rs.settings.config)
            if config_rel and config is not rs.settings.config
            else []
        )
        accounts = moved_accounts(
            group_accounts(tree, prefix, set(FILE_NAMES.values())), prefix, rs
        )
        keys = blobs.account_files(commit, prefix, accounts)
        results = []
        for acct in sorted(keys):
            files = {name: blobs.read(k) for name, k in keys[acct].items()}
            built = build_from_files(acct, files, rs.shown(rs.prefix), config)
            results.append(analyse(built, config, pinned or date))
        past = _Past(root, prefix, commit, abbrev_length(root))
        return commit, date, results, note, past, settings
    except GitError as exc:
        raise UsageError(str(exc)) from None


@dataclass(frozen=True)
class _Past:
    """Where the accounts were at the start: the repository, its accounts folder then
    (repo-relative) and the commit (None: before the first)."""

    root: Path
    prefix: str
    commit: str | None
    #: how many hex digits git shows of a commit here (``abbrev_length``, asked once)
    abbrev: int

    def short(self, commit: str) -> str:
        return commit[: self.abbrev]

    def removed(self, account_ids: list[str]) -> dict[str, JsonObject]:
        """For each of ``account_ids`` that a commit before the start removed (its
        account.yaml), the last such commit as {"commit", "short", "date"}: an account
        gained since then is one restored when an earlier commit removed it."""
        if self.commit is None:
            return {}
        pre = f"{self.prefix}/" if self.prefix not in ("", ".") else ""
        found = last_removals(
            self.root, self.commit, (f"{pre}{a}/account.yaml" for a in account_ids)
        )
        out: dict[str, JsonObject] = {}
        for a in account_ids:
            if (hit := found.get(f"{pre}{a}/account.yaml")) is not None:
                sha, day = hit
                out[a] = {"commit": sha, "short": self.short(sha), "date": day.isoformat()}
        return out


def _brief(r: AccountResult) -> JsonObject:
    a = r.account.profile
    g = r.grade
    return {
        "id": r.id,
        "name": a.name if a is not None else None,
        "valid": g is not None,
        "tier": g.tier if g else None,
        "score": g.score if g else None,
        "letter": g.letter if g else None,
    }


def since_summary(
    result: RunResult,
    since: str,
    *,
    config_path: str | Path | None = None,
    cwd: str | Path | None = None,
    today: str | dt.date | None = None,
) -> JsonObject:
    """The portfolio's movement since ``since`` as plain data (every format renders it)."""
    from kamtool.load.gitio import reject_empty
    from kamtool.load.locate import today_is_pinned

    reject_empty(since, "--since")

    pinned = result.today if today_is_pinned(today) else None
    commit, date, then_results, note, past, settings = _then(since, config_path, cwd, pinned)
    then = {r.id: r for r in then_results}
    now = {r.id: r for r in result.accounts}
    # an account renamed since (``match_accounts``, as kam diff and kam history) is neither
    # lost nor gained: it is compared under its new id
    renames = match_accounts(
        {i: _profile_name(r) for i, r in then.items()},
        {i: _profile_name(r) for i, r in now.items()},
        lambda i: people_pairs(then[i].account.stakeholders),
        lambda i: _people_now(now[i], result.config.max_file_size),
    )
    then = {renames.get(i, i): r for i, r in then.items()}
    renamed = [
        {"from": old, "to": new, "name": _profile_name(now[new])}
        for old, new in sorted(renames.items(), key=lambda x: x[1])
    ]
    gained = [_brief(now[i]) for i in sorted(set(now) - set(then))]
    removals = past.removed([str(x["id"]) for x in gained])
    for x in gained:  # back after a commit before the start removed it
        x["restored"] = removals.get(str(x["id"]))
    lost = [_brief(then[i]) for i in sorted(set(then) - set(now))]
    tier_changes, letter_changes, score_changes = [], [], []
    for i in sorted(set(now) & set(then)):
        b, a = then[i].grade, now[i].grade
        if b is None or a is None:
            continue
        if b.tier != a.tier:
            tier_changes.append({"id": i, "from": b.tier, "to": a.tier})
        if b.letter != a.letter:
            letter_changes.append({"id": i, "from": b.letter, "to": a.letter})
        if b.score != a.score:
            score_changes.append(
                {"id": i, "from": b.score, "to": a.score, "change": a.score - b.score}
            )
    # drops first, then rises, each the largest first: sorted by the signed change, the
    # rises came smallest first (+16 above +18)
    score_changes.sort(key=_drops_then_rises)
    tiers: list[JsonObject] = []
    names: list[str | None] = [t.name for t in result.config.tiers]
    for r in list(then.values()) + list(now.values()):
        if r.grade is not None and r.grade.tier not in names:
            names.append(r.grade.tier)
    for t in names:
        then_in = [r for r in then.values() if r.grade is not None and r.grade.tier == t]
        now_in = [r for r in now.values() if r.grade is not None and r.grade.tier == t]
        if not then_in and not now_in:
            continue
        # a renamed account's then side under its new id
        then_ids = {i for i, r in then.items() if r.grade is not None and r.grade.tier == t}
        now_ids = {r.id for r in now_in}
        # an account whose files did not load on one side did not enter or leave a tier:
        # it was not graded there (the director read "entered S" for an account that was
        # S all year, broken for a while); it is named as such, so the counts add up
        unread_then = {i for i, r in then.items() if r.grade is None}
        unread_now = {i for i, r in now.items() if r.grade is None}
        tiers.append(
            {
                "tier": t if t is not None else "-",
                "accounts_then": len(then_in),
                "accounts_now": len(now_in),
                "mean_score_then": _mean([r.grade.score for r in then_in if r.grade is not None]),
                "mean_score_now": _mean([r.grade.score for r in now_in if r.grade is not None]),
                "entered": sorted(now_ids - then_ids - unread_then),
                "left": sorted(then_ids - now_ids - unread_now),
                "unread_then": sorted(now_ids & unread_then),
                "unread_now": sorted(then_ids & unread_now),
            }
        )
    return {
        "since": since,
        "commit": commit,
        "short": past.short(commit) if commit else None,
        "date": date.isoformat() if date else None,
        "note": note,
        # the top-level kam.yaml keys that differ between then and now, and each setting
        # with its value on each side, as kam diff gives them
        "settings_changed": list(dict.fromkeys(c.key.split(".")[0] for c in settings)),
        "settings": [{"key": c.key, "before": c.before, "after": c.after} for c in settings],
        "accounts_then": len(then),
        "accounts_now": len(now),
        "gained": gained,
        "lost": lost,
        "renamed": renamed,
        "tier_changes": tier_changes,
        "letter_changes": letter_changes,
        "score_changes": score_changes,
        "not_graded_then": sorted(r.id for r in then.values() if r.grade is None),
        "not_graded_now": sorted(i for i, r in now.items() if r.grade is None),
        "tiers": tiers,
    }


def _people_now(r: AccountResult, max_bytes: int) -> People:
    """An account's people in the working tree, for ``match_accounts`` (the run's results
    keep no people: ``AccountResult.slim``); a file linking out of the folder is not read."""
    folder = r.account.folder
    got = read_if_present(folder / FILE_NAMES["stakeholders"], folder, max_bytes)
    if got is None:
        return frozenset()
    return account_people({FILE_NAMES["stakeholders"]: (got[0], None)})


def _profile_name(r: AccountResult) -> str | None:
    """The account's name as ``match_accounts`` compares it (stripped; None: no profile)."""
    p = r.account.profile
    return (p.name or None) if p is not None and isinstance(p.name, str) else None


def _mean(scores: list[int]) -> float | None:
    return sum(scores) / len(scores) if scores else None  # exact: the tables round it


def _drops_then_rises(change: JsonObject) -> tuple[bool, int, str]:
    """The order of score changes: drops, then rises, each the largest first."""
    amount = cast(int, change["change"])
    return amount > 0, -abs(amount), str(change["id"])
