"""kam agenda: what each of our people should do in the next N days (SPEC 5, v2).

From loaded, valid accounts and their grades only (no files, no printing). The items,
in the SPEC's order:

1. people to contact: key people (and decision makers of the other layers) whose
   effective last contact is past, or within N days
   of, the warn threshold, and key people never met. Never-met decision makers first,
   then by tier (the order of ``tiers`` in kam.yaml), influence weight (D 3, S/E/I 2,
   C 1), and days overdue (never met counts as the most overdue);
2. actions (planned or doing) and relationship goals (not reached) due within N days or
   overdue, by date;
3. PBIPs within 90 days where a decision maker is not supportive (attitude <= 0 or "?");
4. people new in post (within ``new_in_post_days``) not met since they took the post;
5. announced departures (``left_on`` ahead, within 180 days or the agenda's span): plan
   the successor now, and meet the person two weeks before they leave;
6. executive sponsor touches due (focus tiers, ``sponsor_touch``);
7. reviews due: a person's entry (``stakeholder_reviewed``) or the account's grading
   (``account_reviewed``);
8. the annual plan of a focus-tier account (KAM306): the three-piece set of the year
   being planned (``Planning.year_in_preparation``: this year's until September, next
   year's from October; a later year when targets.yaml's `period` names one) when
   targets.yaml holds none and its deadline (``planning.deadline``) is past or within N
   days. A year's deadline is the one KAM306 judges by (``plan_due``): next year's set
   that targets.yaml already names is due by its own deadline in both, never by this
   year's.

A step that a rule of the catalogue defines follows that rule's setting, as the rule's
findings do: when kam.yaml turns the rule off (``rules: {KAM201: off}``), or a
``# kam: disable=`` comment silences it where its finding would stand, the step is not
on the agenda either (``follows``). A team that does not judge contacts by their age
gets no "contact X, due" steps. The rules: a contact due KAM201, a key person never met
KAM204, new in post KAM111, an announced departure KAM120, an executive sponsor touch
KAM205, a review KAM202 (a person's entry) and KAM203 (the account's grading), a PBIP
KAM308, the annual plan KAM306 (``STEP_RULES``; the agenda names those kam.yaml turns
off). Actions and relationship goals are the team's own dates (targets.yaml): they are
always listed. A rule's severity (``KAM201: info``) does not matter here.

Within 3-8 the earliest date comes first; ties go by account and person. Each item
names who should act (``owner``), everyone it concerns (``handles``: the person's
owner, backup and sponsor, and the action's or goal's owner), why, and the command that
records it.

Three kinds of step ask for the same thing, a meeting with one person: a contact due
(1), a new person in post not met since (4) and the last meeting before a departure
(5). When two or three of them fall within a week of each other for the same person,
they are one step, not two tasks for one meeting (``_merge_meetings``): the last
meeting before a departure wins over a contact, a contact over new in post, for the
title, the place in the ranking and the date (a contact or new-in-post step takes the
earlier of their dates); the reason names every one of them and ``categories`` lists
them. Steps more than a week apart stay apart (a contact due now and a farewell six
weeks ahead are two meetings). The successor step of a departure, PBIPs, relationship
goals and executive sponsor touches are not merged: each says what to achieve or who
else acts, beyond meeting the person.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kamtool import suggest
from kamtool.analyse.contact import effective_contacts, source, sponsor_touches
from kamtool.analyse.grading import contact_threshold, weight
from kamtool.analyse.handles import account_handles
from kamtool.i18n import N_, _, days_text, listed
from kamtool.load.models import handle_key

if TYPE_CHECKING:
    from collections.abc import Iterable

    from kamtool.analyse.grading import Grade
    from kamtool.load.accounts import Account
    from kamtool.load.config import Config
    from kamtool.load.models import Action, RelationshipGoal, Stakeholder
    from kamtool.load.yamlread import Path_

CATEGORIES = {
    "contact": 0,
    "action": 1,
    "goal": 1,
    "pbip": 2,
    "new-in-post": 3,
    "departure": 4,
    "sponsor": 5,
    "review": 6,
    "plan": 7,
}
#: steps about a person that come to nothing once they have gone (an announced
#: departure): not listed when due on or after their ``left_on``
GONE_BY_THEN = frozenset({"contact", "new-in-post", "sponsor", "review"})
#: the rules that say when a step is due (``follows`` in ``account_items``)
STEP_RULES = (
    "KAM111",
    "KAM120",
    "KAM201",
    "KAM202",
    "KAM203",
    "KAM204",
    "KAM205",
    "KAM306",
    "KAM308",
)
PBIP_WINDOW = 90
DEPARTURE_WINDOW = 180
#: the meeting with someone who leaves: this many days before their last day...
FAREWELL_BEFORE = 14
#: ...unless someone met them within this many days of it
FAREWELL_MET = 30


#: one part of an item\'s sort key
RankPart = int | str | dt.date


@dataclass
class Item:
    category: str
    account: str
    account_name: str
    title: str
    why: str
    command: str
    owner: str  # who should act
    due: dt.date  # when it is (or was) due; the calendar shows max(due, today)
    person: str | None = None
    handles: dict[str, str] = field(default_factory=dict)  # handle -> owner|backup|sponsor
    rank: tuple[RankPart, ...] = ()  # the sort key: category, then dates, numbers and ids
    key: str = ""  # what the item is about, stable from run to run (for calendar UIDs)
    #: every kind of step this one stands for, its own first (several when meetings with
    #: one person were merged, ``_merge_meetings``)
    categories: list[str] = field(default_factory=list)

    @property
    def uid(self) -> str:
        digest = hashlib.sha256(f"{self.account}|{self.category}|{self.key}".encode()).hexdigest()
        return f"{digest[:32]}@kam"

    def days_overdue(self, today: dt.date) -> int:
        return (today - self.due).days

    def to_dict(self, today: dt.date) -> dict[str, str | int | dict[str, str] | list[str] | None]:
        return {
            "category": self.category,
            "categories": self.categories or [self.category],
            "account": self.account,
            "account_name": self.account_name,
            "person": self.person,
            "owner": self.owner,
            "handles": self.handles,
            "due": self.due.isoformat(),
            "days_overdue": self.days_overdue(today),
            "title": self.title,
            "why": self.why,
            "command": self.command,
            "uid": self.uid,
        }


@dataclass
class Agenda:
    today: dt.date
    days: int
    owner: str | None
    items: list[Item]
    #: the accounts asked for that did not load (files with errors): no items of theirs
    invalid: list[str] = field(default_factory=list)
    #: the rules of ``STEP_RULES`` that kam.yaml turns off: no steps of theirs
    off: list[str] = field(default_factory=list)
    #: kam.yaml's ``colleagues_leaving`` by handle key (``handle_key``): a heading of
    #: theirs says so, for what they hand over (``last_day``)
    leaving: dict[str, dt.date] = field(default_factory=dict)

    def last_day(self, handle: str) -> dt.date | None:
        """The last day of a colleague in ``colleagues_leaving`` (any spelling), else None."""
        return self.leaving.get(handle_key(handle)) if self.leaving else None

    def by_owner(self) -> dict[str, list[Item]]:
        """Items per person who acts, handles in name order; with ``--owner`` one group."""
        groups: dict[str, list[Item]] = {}
        for item in self.items:
            groups.setdefault(self.owner or item.owner, []).append(item)
        return dict(sorted(groups.items()))


def _log_cmd(
    account: Account, person: str, by: str | None, *extra: str, gone: frozenset[str] = frozenset()
) -> str:
    """The ``kam log`` that records this item (``suggest``: the run's --config repeated,
    the account named so that the command finds it). ``gone``: the handle keys of
    colleagues past their last day (kam.yaml ``colleagues_leaving``), whom ``kam log``
    refuses as ``--by``: in their place (and in the place of an owner who is gone, the
    default ``--by``) the command says ``--by HANDLE``, for whoever takes part."""
    args = [suggest.account(account.id, account.folder, "log"), person]
    owner = account.profile.owner if account.profile is not None else None
    if gone and handle_key(by or owner or "") in gone:
        args += ["--by", "HANDLE"]
    elif by and by != owner:
        args += ["--by", by]
    return suggest.command("log", *args, *extra)


ROLE_TEXT = {
    "D": N_("decision maker"),
    "S": N_("sponsor/user"),
    "E": N_("evaluator"),
    "I": N_("influencer"),
    "C": N_("coach"),
}


def _roles_text(p: Stakeholder) -> str:
    """The person's most influential role, in words (S is the customer's sponsor/user,
    not our executive sponsor)."""
    if not p.roles:
        return _("key person")
    return _(ROLE_TEXT[max(p.roles, key=lambda r: (weight([r]), r == "D"))])


def _supportive(p: Stakeholder) -> bool:
    return p.attitude_at_least(1)


def _handles(p: Stakeholder) -> dict[str, str]:
    out: dict[str, str] = {}
    for role in ("owner", "backup", "sponsor"):
        handle = getattr(p, role)
        if handle and handle not in out:
            out[handle] = role
    return out


def _after(day: dt.date, days: int) -> dt.date:
    """``day`` plus ``days``, or the last day Python can count to when that is past it: a
    ``reviewed`` of 9999-12-20 (a KAM206 finding) is due that day, never a crash."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max


def _before(day: dt.date, days: int) -> dt.date:
    """``day`` less ``days``, or the first day Python counts from (``_after``'s mirror: a
    ``left_on`` in the first days of year 1, a typo for a real date)."""
    try:
        return day - dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min


def account_items(
    account: Account, grade: Grade, config: Config, today: dt.date, days: int
) -> list[Item]:
    """Everything due within ``days`` for one valid account, unsorted."""
    a = account.profile
    assert a is not None  # a valid account
    horizon = _after(today, days)
    tier_order: dict[str | None, int] = {t.name: i for i, t in enumerate(config.tiers)}
    tier_rank = tier_order.get(grade.tier, len(tier_order))
    contacts = effective_contacts(account, today)
    items: list[Item] = []
    # our colleagues past their last day (kam.yaml colleagues_leaving), by handle key
    colleagues_gone = frozenset(
        handle_key(handle) for handle, day in config.colleagues_leaving.items() if day < today
    )

    def log_cmd(person: str, by: str | None, *extra: str) -> str:
        return _log_cmd(account, person, by, *extra, gone=colleagues_gone)

    def follows(code: str, kind: str, path: Path_, *, key: bool = False) -> bool:
        """Whether the rule ``code`` that says this step is due is in force where its
        finding about ``path`` would stand (not off in kam.yaml, not silenced by a
        ``# kam: disable=`` comment): see the module's docstring."""
        return not config.turns_off(code) and not account.silences(code, kind, path, key=key)

    keys: set[tuple[str, str]] = set()  # (category, key) of the items so far
    p: Stakeholder | None  # the person an item is about, when it is about one
    x: Action | RelationshipGoal

    def add(
        category: str,
        p: Stakeholder | None,
        rank: tuple[RankPart, ...],
        *,
        title: str,
        why: str,
        command: str,
        due: dt.date,
        key: str,
        owner: str | None = None,
    ) -> None:
        if (
            p is not None
            and p.left_on is not None
            and due >= p.left_on
            and category in GONE_BY_THEN
        ):
            # due on or after their last day: a contact, review or sponsor touch of
            # someone who has gone by then (the day before an announced departure, "Contact
            # Avery Davis, due in 13 days" was listed, and a calendar event put after the
            # day they leave); the departure's own steps are the meetings left with them
            return
        handles = _handles(p) if p is not None else {}
        # an action's or goal's owner, else who owns the person's relationship (their
        # owner, else the account's: Account.relationship_owner, as `kam stale` says)
        owner = owner or account.relationship_owner(p) or a.owner
        if owner not in handles:  # an action's or goal's owner, or the account owner
            handles = {owner: "owner", **handles}
        # one key, one calendar UID: two goals for one person by one date (two owners'
        # goals) were one UID twice, and a calendar kept one of the two events; the
        # later one in the file gets a number, the first keeps the UID it always had
        first, n = key, 2
        while (category, key) in keys:
            key, n = f"{first}|{n}", n + 1
        keys.add((category, key))
        items.append(
            Item(
                category=category,
                account=account.id,
                account_name=a.name,
                person=p.id if p is not None else None,
                owner=owner,
                handles=handles,
                rank=(CATEGORIES[category], *rank),
                title=title,
                why=why,
                command=command,
                due=due,
                key=key,
            )
        )

    current = [(i, p) for i, p in enumerate(account.stakeholders) if p.left_on is None]
    key = [(i, p) for i, p in current if p.is_key]
    announced = [
        (i, p)
        for i, p in enumerate(account.stakeholders)
        if p.left_on is not None and p.left_on > today
    ]
    # announced departures have not left yet (SPEC 2): they still count as current
    current += announced
    key += [(i, p) for i, p in announced if p.layer == "key"]
    # a decision maker outside the key layer (the customer's chairman, met at the top-level
    # meetings of the organizational layer) decides all the same: the method (DOMAIN 5,
    # decision chain) has us know and meet every decision maker, so they are contacted,
    # met when new in post and touched by their executive sponsor as key people are
    watched = key + [(i, p) for i, p in current if p.layer != "key" and "D" in p.roles]
    key.sort()
    watched.sort()
    current.sort()

    # 1. people to contact
    th = contact_threshold(grade.tier, config)
    for i, p in watched:
        contact = contacts.get(p.id)
        w = weight(p.roles)
        what = _roles_text(p)
        if p.layer != "key":
            what = _("{role}, {layer} layer").format(role=what, layer=_(p.layer))
        if contact is None:
            if not follows("KAM204", "stakeholders", ("stakeholders", i, "id"), key=True):
                continue
            never_dm = "D" in p.roles
            add(
                "contact",
                p,
                (0 if never_dm else 1, tier_rank, -w, 0, 1, account.id, p.id),
                title=_("Contact {name}").format(name=account.person_name(p.id)),
                why=_("{what}, never met").format(what=what),
                command=log_cmd(p.id, p.owner),
                due=today,
                key=f"contact|{p.id}",
            )
            continue
        if contact.date > today:
            # a last_contact after today (a log entry after today never counts): KAM206,
            # and not fresh in the score (SPEC 2), so no "due in 91 days" counted from a
            # day to come and "-1 days since the last contact": the date is to correct
            if not follows("KAM206", "stakeholders", ("stakeholders", i, "last_contact")):
                continue
            line = account.position("stakeholders", ("stakeholders", i, "last_contact"))[0]
            add(
                "contact",
                p,
                (1, tier_rank, -w, 1, 0, account.id, p.id),
                title=_("Correct the last contact of {name}").format(
                    name=account.person_name(p.id)
                ),
                why=_(
                    "{what}: the last contact is dated {date} ({where}), {days} after today: "
                    "not counted until the date is corrected"
                ).format(
                    what=what,
                    date=contact.date.isoformat(),
                    where=source(account, i, contact),
                    days=days_text((contact.date - today).days),
                ),
                command=_("correct last_contact at {where}").format(
                    where=f"{account.file_display('stakeholders')}:{line}"
                ),
                due=today,
                key=f"contact|{p.id}",
            )
            continue
        due = _after(contact.date, th.warn_after)
        if due > horizon:
            continue
        field_ = "last_contact" if p.last_contact is not None else "id"
        if not follows("KAM201", "stakeholders", ("stakeholders", i, field_)):
            continue
        age = (today - contact.date).days
        where = source(account, i, contact)
        # the limit by its kam.yaml key, as KAM201's message names it: never "warning
        # after" or "error after", which kam.yaml's `rules: {KAM201: ...}` may contradict.
        # The item fell due at warn_after, so "overdue 72d" counts from there: past both
        # limits, both are named, that one first (102 days "over the 60-day limit" and
        # "overdue 72d" did not add up)
        if age > th.error_after and th.error_after == th.warn_after:  # one limit, both keys
            state = _("over the {n}-day limit ({setting})").format(
                n=th.error_after, setting=listed(["warn_after", "error_after"])
            )
        elif age > th.error_after:
            state = _("over the {n}-day limit ({setting}) and the {m}-day one ({other})").format(
                n=th.warn_after, setting="warn_after", m=th.error_after, other="error_after"
            )
        elif age > th.warn_after:
            state = _("over the {n}-day limit ({setting})").format(
                n=th.warn_after, setting="warn_after"
            )
        elif due == today:
            state = _("due today, at the {n}-day limit ({setting})").format(
                n=th.warn_after, setting="warn_after"
            )
        else:
            state = _("due in {days}, at the {n}-day limit ({setting})").format(
                days=days_text((due - today).days), n=th.warn_after, setting="warn_after"
            )
        add(
            "contact",
            p,
            (1, tier_rank, -w, 1, -(today - due).days, account.id, p.id),
            title=_("Contact {name}").format(name=account.person_name(p.id)),
            why=_("{what}: {days} since the last contact ({where}), {state}").format(
                what=what, days=days_text(age), where=where, state=state
            ),
            command=log_cmd(p.id, p.owner),
            due=due,
            key=f"contact|{p.id}",
        )

    people = {p.id: p for p in account.stakeholders}
    t = account.targets
    if t is not None:
        # 2. actions and relationship goals
        for x in t.actions:
            if x.status not in ("planned", "doing") or x.due > horizon:
                continue
            p = people.get(x.stakeholder) if x.stakeholder else None
            gone = p is not None and p.left_on is not None and p.left_on <= today
            late = (today - x.due).days
            when = (
                _("{days} overdue").format(days=days_text(late))
                if late > 0
                else _("due {date}").format(date=x.due.isoformat())
            )
            if late == 0:
                when = _("due today")
            why = _("action {id} is {status}, {when}").format(
                id=x.id, status=_(x.status), when=when
            )
            line = account.position("targets", ("actions", t.actions.index(x), "status"))[0]
            where = f"{account.file_display('targets')}:{line}"
            if p is not None and not gone:
                command = log_cmd(p.id, x.owner, "-m", x.text)
                # the log records the meeting, not that the action is done: logged as
                # this step says, the action came back next week, still open
                why = _("{why}; once done, set status: done at {where}").format(
                    why=why, where=where
                )
            elif gone:
                # `kam log` refuses someone who left, and "done" would record what did not
                # happen: the method hands the action to the successor or drops it (KAM115)
                assert p is not None and p.left_on is not None
                why = _("action {id} is {status}, {when}; {name} left on {left_on}").format(
                    id=x.id,
                    status=_(x.status),
                    when=when,
                    name=account.person_name(p.id),
                    left_on=p.left_on.isoformat(),
                )
                command = _(
                    "close it at {where}: status done or dropped, or stakeholder: their successor"
                ).format(where=where)
            else:
                command = _("set status: done at {where}").format(where=where)
            add(
                "action",
                p,
                (x.due, account.id, x.id),
                owner=x.owner,
                title=_("Action: {text}").format(text=x.text),
                why=why,
                command=command,
                due=x.due,
                key=f"action|{x.id}",
            )
        for g, x in enumerate(t.relationship_goals):
            p = people.get(x.stakeholder)
            # someone who has left reaches no goal: the step is to close or move it
            if p is None or x.by > horizon or x.reached_by(p, today):
                continue
            late = (today - x.by).days
            # the date always: "attitude +2 3 days past its date" read as one number
            # running into the next
            when = (
                _("by {date}, {days} overdue").format(date=x.by.isoformat(), days=days_text(late))
                if late > 0
                else _("by {date}").format(date=x.by.isoformat())
            )
            why = _("{target} {when}; now attitude {att}, intimacy {intimacy}").format(
                target=x.target_text, when=when, att=p.attitude_text, intimacy=p.intimacy_text
            )
            command = log_cmd(p.id, x.owner)
            if p.left_on is not None and p.left_on <= today:
                # as an action with someone who left: `kam log` refuses them, and the goal
                # owner moves the goal to the successor or drops it (KAM115)
                line = account.position("targets", ("relationship_goals", g, "stakeholder"))[0]
                why = _("{target} {when}; {name} left on {left_on}").format(
                    target=x.target_text,
                    when=when,
                    name=account.person_name(p.id),
                    left_on=p.left_on.isoformat(),
                )
                command = _(
                    "close it at {where}: remove the goal, or stakeholder: their successor"
                ).format(where=f"{account.file_display('targets')}:{line}")
            add(
                "goal",
                p,
                (x.by, account.id, p.id),
                owner=x.owner,
                title=_("Relationship goal: {name}").format(name=account.person_name(p.id)),
                why=why,
                command=command,
                due=x.by,
                key=f"goal|{p.id}|{x.by.isoformat()}",
            )
        # 3. PBIPs within 90 days with a decision maker who is not supportive
        dms = [p for _i, p in current if "D" in p.roles and not _supportive(p)]
        for j, o in enumerate(t.opportunities):
            ahead = (o.pbip - today).days
            if not 0 <= ahead <= PBIP_WINDOW:
                continue
            if not follows("KAM308", "targets", ("opportunities", j, "pbip")):
                continue
            for p in dms:
                add(
                    "pbip",
                    p,
                    (o.pbip, account.id, o.id, p.id),
                    title=_("Win over {name} before the PBIP of {opportunity}").format(
                        name=account.person_name(p.id), opportunity=o.name
                    ),
                    why=_("PBIP {pbip} in {days}; decision maker attitude {att}").format(
                        pbip=o.pbip.isoformat(), days=days_text(ahead), att=p.attitude_text
                    ),
                    command=log_cmd(p.id, p.owner),
                    due=today,
                    key=f"pbip|{o.id}|{p.id}",
                )
    # 4. new in post, not met since
    for i, p in watched:
        since = p.in_post_since
        if since is None or since > today or (today - since).days > config.new_in_post_days:
            continue
        if not follows("KAM111", "stakeholders", ("stakeholders", i, "in_post_since")):
            continue
        contact = contacts.get(p.id)
        if contact is not None and contact.date >= since:
            continue
        add(
            "new-in-post",
            p,
            (since, account.id, p.id),
            title=_("Meet {name}, new in post").format(name=account.person_name(p.id)),
            why=_("in post since {since} ({days}), not met since: re-verify their attitude").format(
                since=since.isoformat(),
                days=days_text((today - since).days) if since < today else _("today"),
            ),
            command=log_cmd(p.id, p.owner),
            due=since,
            key=f"new-in-post|{p.id}|{since.isoformat()}",
        )
    # 5. announced departures: from 180 days ahead (or the agenda's whole span when it is
    # longer), secure the handover at once; and meet the person before they go (DOMAIN 3:
    # a change of person in a key post can send the account back to "build"), two weeks
    # before the day unless someone has met them in their last month
    for i, p in announced:
        left_on = p.left_on
        assert left_on is not None  # announced: a departure date ahead
        ahead = (left_on - today).days
        if ahead > max(DEPARTURE_WINDOW, days):
            continue
        if not follows("KAM120", "stakeholders", ("stakeholders", i, "left_on")):
            continue
        add(
            "departure",
            p,
            (left_on, account.id, p.id),
            title=_("Plan the successor of {name}").format(name=account.person_name(p.id)),
            why=_(
                "leaves on {left_on} (in {days}): meet their successor and move the relationship"
            ).format(left_on=left_on.isoformat(), days=days_text(ahead)),
            command=log_cmd(p.id, p.owner),
            due=today,
            key=f"departure|{p.id}|{left_on.isoformat()}",
        )
        farewell = max(today, _before(left_on, FAREWELL_BEFORE))
        contact = contacts.get(p.id)
        met_at_the_end = contact is not None and contact.date >= _before(left_on, FAREWELL_MET)
        if farewell > horizon or met_at_the_end:
            continue
        add(
            "departure",
            p,
            (left_on, account.id, p.id, 1),  # after the successor step
            title=_("Meet {name} before they leave").format(name=account.person_name(p.id)),
            why=_(
                "leaves on {left_on}: hand the relationship over (who takes their post, "
                "an introduction to them, what they leave open) while they are still there"
            ).format(left_on=left_on.isoformat()),
            command=log_cmd(p.id, p.owner),
            due=farewell,
            key=f"{FAREWELL}|{p.id}|{left_on.isoformat()}",
        )
    # 6. executive sponsor touches
    if grade.focus:
        sth = config.freshness.sponsor_touch
        touches = sponsor_touches(account, today)
        for i, p in watched:
            if not p.sponsor or not follows(
                "KAM205", "stakeholders", ("stakeholders", i, "sponsor")
            ):
                continue
            met = touches.get((p.id, p.sponsor))
            if met is None:
                due, why = (
                    today,
                    _("executive sponsor {sponsor} has not met them in the log").format(
                        sponsor=p.sponsor
                    ),
                )
            else:
                due = _after(met[0], sth.warn_after)
                if due > horizon:
                    continue
                age = (today - met[0]).days
                why = _(
                    "executive sponsor {sponsor} last met them {days} ago, due every {n}"
                ).format(sponsor=p.sponsor, days=days_text(age), n=days_text(sth.warn_after))
            add(
                "sponsor",
                p,
                (due, account.id, p.id),
                owner=p.sponsor,
                title=_("Executive meeting with {name}").format(name=account.person_name(p.id)),
                why=why,
                # the sponsor named (the owner, the default --by, takes no part)
                command=_log_cmd(
                    account,
                    p.id,
                    None,
                    "--kind",
                    "executive-meeting",
                    "--by",
                    "HANDLE" if handle_key(p.sponsor) in colleagues_gone else p.sponsor,
                ),
                due=due,
                key=f"sponsor|{p.id}|{p.sponsor}",
            )
    # 7. reviews
    rth = config.freshness.stakeholder_reviewed
    for i, p in current:
        if p.reviewed is None:
            continue
        due = _after(p.reviewed, rth.warn_after)
        if due > horizon:
            continue
        if not follows("KAM202", "stakeholders", ("stakeholders", i, "reviewed")):
            continue
        add(
            "review",
            p,
            (due, account.id, p.id),
            title=_("Review the entry of {name}").format(name=account.person_name(p.id)),
            why=_("last reviewed {reviewed} ({days} ago), due every {warn_after}").format(
                reviewed=p.reviewed.isoformat(),
                days=days_text((today - p.reviewed).days),
                warn_after=days_text(rth.warn_after),
            ),
            command=suggest.command(
                "touch",
                suggest.account(account.id, account.folder, "touch"),
                p.id,
                "--reviewed",
                "today",
            ),
            due=due,
            key=f"review|{p.id}",
        )
    ath = config.freshness.account_reviewed
    due = _after(a.reviewed, ath.warn_after)
    if due <= horizon and follows("KAM203", "account", ("reviewed",)):
        line = account.position("account", ("reviewed",))[0]
        add(
            "review",
            None,
            (due, account.id, ""),
            title=_("Review the account's grading"),  # the account follows it in every output
            # a review decides position, value and tier again, where they are written;
            # kam touch records that it was done
            why=_(
                "position, value and tier ({where}) last reviewed {reviewed}, due every "
                "{warn_after}"
            ).format(
                where=f"account.yaml:{line}",  # the account's folder: in the title
                reviewed=a.reviewed.isoformat(),
                warn_after=days_text(ath.warn_after),
            ),
            command=suggest.command(
                "touch",
                suggest.account(account.id, account.folder, "touch"),
                "--reviewed",
                "today",
            ),
            due=due,
            key="review-account",
        )
    # 8. the annual plan (focus tiers, KAM306): the set of the year being planned (this
    # year's until September, next year's from October, as `kam plan` titles it, or a
    # later one targets.yaml already names) when targets.yaml holds none and its
    # deadline is past or within the agenda's days; the year and the date KAM306 judges
    # by (plan_due), so the step and the finding never name different deadlines
    from kamtool.analyse.rules.planning import period_years, plan_covers, plan_due

    t = account.targets
    # a date in the last quarter of year 9999 (a typo) plans a year no date can name
    year, deadline = plan_due(config, config.planning.year_in_preparation(today), t)
    where_kind, where_path = ("account", ("id",)) if t is None else ("targets", ("period",))
    if (
        grade.focus
        and year <= dt.MAXYEAR
        and deadline <= horizon
        and follows("KAM306", where_kind, where_path)
        and not plan_covers(t, year)
    ):
        if t is None:
            state = _("no targets.yaml yet")
        elif t.period is None:
            state = _("targets.yaml has no period")
        else:
            state = _("targets.yaml is for {period}").format(period=t.period)
            years = period_years(t.period)
            if years is not None and years[1] >= year:
                # the year's file, empty (as kam init writes it): "is for 2027" alone
                # read as if the plan were there
                state = _("no target, goal or action yet; {state}").format(state=state)
        add(
            "plan",
            None,
            (deadline, account.id, ""),
            title=_("Issue the {year} plan").format(year=year),
            why=_(
                "the {year} three-piece set (assessment, target task book, action "
                "plan) is due by {deadline} (planning.deadline); {state}"
            ).format(year=year, deadline=deadline.isoformat(), state=state),
            command=_("write the {year} targets, goals and actions in {where}").format(
                year=year, where=account.file_display("targets")
            ),
            due=deadline,
            key=f"plan|{year}",
        )
    return _merge_meetings(items, today)


#: the steps whose whole content is "meet this person", strongest first (their key's
#: first part): merged when they fall in one week (``_merge_meetings``)
FAREWELL = "farewell"
MEETINGS = (FAREWELL, "contact", "new-in-post")
#: steps for one person at most this many days apart are one meeting
SAME_WEEK = 6


def _merge_meetings(items: list[Item], today: dt.date) -> list[Item]:
    """One step per meeting with a person: the contact, new-in-post and farewell steps of
    one person within a week of each other become the strongest of them, carrying every
    reason (see the module's docstring). Everything else is returned as it was."""
    meetings: dict[str, list[Item]] = {}
    for item in items:
        if item.person is not None and item.key.split("|", 1)[0] in MEETINGS:
            meetings.setdefault(item.person, []).append(item)
    merged_away: set[int] = set()
    for steps in meetings.values():
        if len(steps) < 2:
            continue
        steps.sort(key=lambda x: MEETINGS.index(x.key.split("|", 1)[0]))
        while steps:
            first, *rest = steps
            day = max(first.due, today)
            same = [x for x in rest if abs((max(x.due, today) - day).days) <= SAME_WEEK]
            steps = [x for x in rest if x not in same]
            if not same:
                continue
            first.categories = [first.category]
            for other in same:
                first.why = _("{reason}; {other_reason}").format(
                    reason=first.why, other_reason=other.why
                )
                first.handles = {**first.handles, **other.handles}
                first.categories.append(other.category)
                if not first.key.startswith(FAREWELL):  # the departure's date wins
                    first.due = min(first.due, other.due)
                merged_away.add(id(other))
    return [x for x in items if id(x) not in merged_away]


def known_handles(results: list[tuple[Account, Grade]]) -> set[str]:
    """Every handle of our side the accounts name (``account_handles`` of each)."""
    out: set[str] = set()
    for account, _grade in results:
        out |= account_handles(account)
    return out


def build(
    results: list[tuple[Account, Grade]],
    config: Config,
    today: dt.date,
    days: int = 7,
    owner: str | None = None,
    invalid: Iterable[str] = (),
) -> Agenda:
    """The agenda over (account, grade) pairs of valid accounts, ranked; ``owner`` keeps
    the items where that handle is the owner, backup or sponsor. ``invalid``: the ids of
    the accounts that did not load, which the agenda names as left out."""
    items: list[Item] = []
    for account, grade in results:
        items.extend(account_items(account, grade, config, today, days))
    if owner is not None:
        items = [x for x in items if owner in x.handles]
    items.sort(key=lambda x: x.rank)
    return Agenda(
        today=today,
        days=days,
        owner=owner,
        items=items,
        invalid=sorted(set(invalid)),
        off=[code for code in STEP_RULES if config.turns_off(code)],
        leaving={handle_key(h): day for h, day in config.colleagues_leaving.items()},
    )
