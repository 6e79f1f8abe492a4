"""kam diff: what changed in the relationships between two revisions, not which lines moved.

Both sides are read through git (``ls-tree`` + one ``cat-file --batch``), or from
the working tree, and graded with the same config and the same date. Accounts
whose files are byte-identical on both sides are not analysed at all.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kamtool.core import AccountResult, analyse
from kamtool.findings import Finding, fingerprint
from kamtool.load.accounts import (
    FILE_NAMES,
    UsageError,
    build_account,
    decode,
    read_if_present,
    size_error,
)
from kamtool.load.gitio import GitError, read_blobs, resolve_range, toplevel, tree_files
from kamtool.load.models import UNKNOWN

# file name -> what reading it gave: (text, None) or (None, (message, line, column)). Plain tuples,
# so that two sides compare equal exactly when kam would read the same thing from them.
Read = tuple[str | None, tuple[str, int, int] | None]
Files = dict[str, Read]


def _as_read(text: str | None, error: Any) -> Read:
    return (text, None if error is None else (error.message, error.line, error.column))


@dataclass
class Change:
    kind: str
    text: str
    person: str | None = None
    before: Any = None
    after: Any = None
    direction: int = 0  # +1 better for us, -1 worse, 0 neutral

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "person": self.person,
            "before": self.before,
            "after": self.after,
            "direction": self.direction,
            "text": self.text,
        }


@dataclass
class AccountDiff:
    id: str
    status: str  # added, removed, changed
    before: AccountResult | None
    after: AccountResult | None
    changes: list[Change] = field(default_factory=list)
    new_findings: list[Finding] = field(default_factory=list)
    resolved_findings: list[Finding] = field(default_factory=list)

    @property
    def score_before(self) -> int | None:
        return _score(self.before)

    @property
    def score_after(self) -> int | None:
        return _score(self.after)

    @property
    def worse(self) -> bool:
        b, a = self.score_before, self.score_after
        dropped = b is not None and a is not None and a < b
        broke = (
            self.before is not None
            and self.before.valid
            and self.after is not None
            and not self.after.valid
        )
        return dropped or broke or any(f.severity == "error" for f in self.new_findings)


@dataclass
class DiffResult:
    base_label: str
    head_label: str
    today: dt.date
    accounts: list[AccountDiff]
    unchanged: int

    @property
    def worse(self) -> bool:
        return any(a.worse for a in self.accounts)


def _score(r: AccountResult | None) -> int | None:
    return r.grade.score if r is not None and r.grade is not None else None


# ---------------------------------------------------------------- reading both sides
def _git_side(root: Path, commit: str, prefix: str, max_bytes: int) -> dict[str, Files]:
    entries = tree_files(root, commit, prefix)
    wanted: dict[str, dict[str, tuple[str, str]]] = {}
    names = set(FILE_NAMES.values())
    pre = (prefix.rstrip("/") + "/") if prefix not in ("", ".") else ""
    for path, (mode, oid) in entries.items():
        rest = path[len(pre) :]
        parts = rest.split("/")
        if len(parts) != 2 or parts[0].startswith((".", "_")):
            continue
        acct, name = parts
        wanted.setdefault(acct, {})
        if name in names:
            wanted[acct][name] = (mode, oid)
    # one batch for every blob (a symlink's blob is its target), one more for link targets
    blobs = read_blobs(root, [oid for files in wanted.values() for _mode, oid in files.values()])
    targets: dict[tuple[str, str], str | None] = {}
    for acct, files in wanted.items():
        for name, (mode, oid) in files.items():
            if mode == "120000":
                link = blobs.get(oid, b"").decode("utf-8", "replace")
                target = posixpath.normpath(posixpath.join(pre + acct, link))
                inside = (
                    not link.startswith("/") and target != ".." and not target.startswith("../")
                )
                targets[(acct, name)] = f"{commit}:{target}" if inside else None
    linked = read_blobs(root, [t for t in targets.values() if t])
    out: dict[str, Files] = {}
    for acct, files in wanted.items():
        out[acct] = {}
        for name, (mode, oid) in files.items():
            if mode == "120000":  # followed inside the repository, as on disk
                target = targets[(acct, name)]
                if target is None:
                    out[acct][name] = (
                        None,
                        ("symbolic link pointing outside the repository: not followed", 1, 1),
                    )
                    continue
                if target not in linked:
                    out[acct][name] = (
                        None,
                        ("symbolic link to a file that is not in this revision", 1, 1),
                    )
                    continue
                data = linked[target]
            else:
                data = blobs.get(oid, b"")
            too_big = size_error(len(data), max_bytes)
            out[acct][name] = _as_read(None, too_big) if too_big else _as_read(*decode(data))
    return out


def _worktree_side(folder: Path, root: Path, max_bytes: int) -> dict[str, Files]:
    """The working tree, read by the same rules as every other command (symlinks, size, UTF-8)."""
    out: dict[str, Files] = {}
    if not folder.is_dir():
        return out
    for sub in sorted(folder.iterdir()):
        if not sub.is_dir() or sub.name.startswith((".", "_")):
            continue
        files: Files = {}
        for name in FILE_NAMES.values():
            got = read_if_present(sub / name, root, max_bytes)
            if got is not None:
                files[name] = _as_read(*got)
        out[sub.name] = files
    return out


def _analyse_files(
    account_id: str, files: Files, display_root: str, config: Any, today: dt.date
) -> AccountResult:
    from kamtool.load.yamlread import YamlError

    def read(name: str) -> tuple[str | None, YamlError | None] | None:
        if name not in files:
            return None
        text, error = files[name]
        return text, None if error is None else YamlError(*error)

    display = f"{display_root}/{account_id}" if display_root not in ("", ".") else account_id
    acct = build_account(Path(display), display, read, lambda: list(files), config)
    return analyse(acct, config, today)


# ---------------------------------------------------------------- comparing
def _att(v: Any) -> str:
    from kamtool.load.models import scale_text

    return scale_text(v)


def _dir(before: Any, after: Any) -> int:
    """+1 when the change is good for us; learning an attitude counts by its sign."""
    b = None if before == UNKNOWN or before is None else int(before)
    a = None if after == UNKNOWN or after is None else int(after)
    if a is None and b is None:
        return 0
    if b is None:
        return (a > 0) - (a < 0)
    if a is None:
        return -1
    return (a > b) - (a < b)


def _label(p: Any) -> str:
    return f"{p.name} ({p.title})" if p.title else p.name


def _people_changes(
    before: AccountResult, after: AccountResult, include_personal: bool
) -> list[Change]:
    old = {p.id: p for p in before.account.stakeholders}
    new = {p.id: p for p in after.account.stakeholders}
    out: list[Change] = []
    removed = [i for i in old if i not in new]
    added = [i for i in new if i not in old]
    # an id that changed while the name stayed: a rename, not a removal plus an addition
    for rid in list(removed):
        match = next((aid for aid in added if new[aid].name == old[rid].name), None)
        if match:
            removed.remove(rid)
            added.remove(match)
            out.append(
                Change(
                    "person-renamed", f"{_label(new[match])}: id {rid} → {match}", match, rid, match
                )
            )
            old[match] = old.pop(rid)
    for pid in added:
        p = new[pid]
        roles = "".join(p.roles)
        what = "new decision maker" if "D" in p.roles else "new stakeholder"
        att = "attitude unknown" if p.attitude == UNKNOWN else f"attitude {_att(p.attitude)}"
        out.append(
            Change(
                "person-added",
                f"{_label(p)}: {what}{f' [{roles}]' if roles and 'D' not in p.roles else ''}, {att}",
                pid,
                None,
                p.id,
                -1 if ("D" in p.roles and (p.attitude == UNKNOWN or int(p.attitude) < 0)) else 0,
            )
        )
    for pid in removed:
        p = old[pid]
        out.append(
            Change(
                "person-removed",
                f"{_label(p)}: removed",
                pid,
                p.id,
                None,
                -1 if "D" in p.roles else 0,
            )
        )
    for pid in [i for i in new if i in old]:
        a, b = old[pid], new[pid]
        who = _label(b)
        if a.left_on is None and b.left_on is not None:
            out.append(
                Change(
                    "person-left",
                    f"{who}: left on {b.left_on.isoformat()}",
                    pid,
                    None,
                    b.left_on.isoformat(),
                    -1 if "D" in a.roles else 0,
                )
            )
        if a.name != b.name:
            out.append(Change("name", f"{b.name}: name {a.name} → {b.name}", pid, a.name, b.name))
        if a.title != b.title:
            out.append(
                Change(
                    "title",
                    f"{b.name}: title {a.title or '-'} → {b.title or '-'}",
                    pid,
                    a.title,
                    b.title,
                )
            )
        for fld in ("attitude", "intimacy"):
            x, y = getattr(a, fld), getattr(b, fld)
            if x != y:
                d = _dir(x, y)
                out.append(Change(fld, f"{who}: {fld} {_att(x)} → {_att(y)}", pid, x, y, d))
        if a.roles != b.roles:
            out.append(
                Change(
                    "roles",
                    f"{who}: roles {''.join(a.roles) or '-'} → {''.join(b.roles) or '-'}",
                    pid,
                    a.roles,
                    b.roles,
                )
            )
        for fld in ("owner", "backup", "sponsor", "layer", "reports_to", "competitor"):
            x, y = getattr(a, fld), getattr(b, fld)
            if x != y:
                d = 0
                if fld == "competitor":
                    d = -1 if y and not x else (1 if x and not y else 0)
                if fld in ("owner", "backup", "sponsor"):
                    d = -1 if x and not y else (1 if y and not x else 0)
                out.append(
                    Change(
                        fld, f"{who}: {fld.replace('_', ' ')} {x or '-'} → {y or '-'}", pid, x, y, d
                    )
                )
        if a.personal != b.personal:
            if include_personal:
                out.append(
                    Change(
                        "personal",
                        f"{who}: personal {a.personal or {}} → {b.personal or {}}",
                        pid,
                        a.personal,
                        b.personal,
                    )
                )
            else:
                out.append(Change("personal", f"{who}: personal details changed", pid))
    return out


def _finding_key(f: Finding) -> tuple[str, str]:
    return (f.code, fingerprint(f))


def compare(
    acct_id: str, before: AccountResult | None, after: AccountResult | None, include_personal: bool
) -> AccountDiff:
    if before is None:
        d = AccountDiff(acct_id, "added", None, after)
        d.new_findings = list(after.findings) if after else []
        return d
    if after is None:
        d = AccountDiff(acct_id, "removed", before, None)
        d.resolved_findings = list(before.findings)
        return d
    d = AccountDiff(acct_id, "changed", before, after)
    gb, ga = before.grade, after.grade
    if gb is not None and ga is not None:
        if gb.tier != ga.tier:
            d.changes.append(
                Change("tier", f"tier {gb.tier or '-'} → {ga.tier or '-'}", None, gb.tier, ga.tier)
            )
        if gb.computed_tier != ga.computed_tier and ga.tier_override:
            d.changes.append(
                Change(
                    "computed-tier",
                    f"computed tier {gb.computed_tier or '-'} → {ga.computed_tier or '-'}",
                    None,
                    gb.computed_tier,
                    ga.computed_tier,
                )
            )
        if gb.score != ga.score or gb.letter != ga.letter:
            letters = f" ({gb.letter} → {ga.letter})" if gb.letter != ga.letter else ""
            d.changes.append(
                Change(
                    "score",
                    f"score {gb.score} → {ga.score}{letters}",
                    None,
                    gb.score,
                    ga.score,
                    (ga.score > gb.score) - (ga.score < gb.score),
                )
            )
        d.changes.extend(_people_changes(before, after, include_personal))
    elif gb is not None and ga is None:
        d.changes.append(
            Change(
                "invalid",
                "the account no longer loads: its files have errors",
                None,
                None,
                None,
                -1,
            )
        )
    elif gb is None and ga is not None:
        d.changes.append(Change("valid", "the account loads again", None, None, None, 1))
    old = Counter(_finding_key(f) for f in before.findings)
    new = Counter(_finding_key(f) for f in after.findings)
    seen: Counter = Counter()
    for f in after.findings:
        k = _finding_key(f)
        seen[k] += 1
        if seen[k] > old.get(k, 0):
            d.new_findings.append(f)
    seen = Counter()
    for f in before.findings:
        k = _finding_key(f)
        seen[k] += 1
        if seen[k] > new.get(k, 0):
            d.resolved_findings.append(f)
    return d


def run_diff(
    base: str | None,
    head: str | None,
    *,
    config_path: str | Path | None = None,
    today: str | dt.date | None = None,
    cwd: str | Path | None = None,
    include_personal: bool = False,
) -> DiffResult:
    from kamtool.core import settings

    st = settings(config_path, today, cwd)
    cwd_p, day, config = st.cwd, st.today, st.config
    try:
        root = toplevel(cwd_p)
        base_c, head_c, base_label, head_label = resolve_range(cwd_p, base, head)
    except GitError as exc:
        raise UsageError(str(exc)) from None
    folder = st.accounts_dir.absolute()
    try:
        prefix = folder.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"the accounts folder {folder} is not inside the git repository") from None
    try:
        left = _git_side(root, base_c, prefix, config.max_file_size)
        right = (
            _worktree_side(folder, root, config.max_file_size)
            if head_c is None
            else _git_side(root, head_c, prefix, config.max_file_size)
        )
    except GitError as exc:
        raise UsageError(str(exc)) from None
    display_root = prefix
    diffs: list[AccountDiff] = []
    unchanged = 0
    for acct_id in sorted(set(left) | set(right)):
        lf, rf = left.get(acct_id), right.get(acct_id)
        if lf is not None and rf is not None and lf == rf:
            unchanged += 1
            continue
        before = _analyse_files(acct_id, lf, display_root, config, day) if lf is not None else None
        after = _analyse_files(acct_id, rf, display_root, config, day) if rf is not None else None
        d = compare(acct_id, before, after, include_personal)
        if (
            d.status == "changed"
            and not d.changes
            and not d.new_findings
            and not d.resolved_findings
        ):
            unchanged += 1  # only comments or formatting changed
            continue
        diffs.append(d)
    return DiffResult(base_label, head_label, day, diffs, unchanged)
