"""What the organisers' schedule page shows: the schedule as a grid of slots and
companies, every clash in it, the requests made since the last build, the
counts and how close the engine got to the best possible value.

People, not only companies
    The engine schedules companies: a founder with two pitching companies can
    be given two meetings in one slot. :func:`clashes` names that
    (``founder_double_booked``) for the organisers to move one by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from matchmaking.accounts.models import User
from matchmaking.events.meetings.adapter import (
    NOT_INTERESTED,
    OWNER,
    conflicts,
)
from matchmaking.events.meetings.services import (
    InvestorName,
    Slot,
    investor_names,
    investors,
    pitching,
    slot,
    slot_label,
)
from matchmaking.events.models import Event, Meeting, MeetingSource, RequestSide
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.proposals.models import Proposal


@dataclass(frozen=True)
class Clash:
    """Something about the current schedule that breaks a rule, in words."""

    kind: str
    message: str
    meeting_id: int | None = None
    #: Further meetings the clash involves (both of a double-booked founder's).
    also: tuple[int, ...] = ()

    @property
    def meeting_ids(self) -> tuple[int, ...]:
        return (*((self.meeting_id,) if self.meeting_id is not None else ()), *self.also)


def clashes(event: Event) -> list[Clash]:
    """Every clash in the current schedule, naming who and which slot.

    Kinds: ``gone_slot`` (a slot the session no longer has),
    ``investor_unavailable``, ``company_unavailable``, ``not_pitching``,
    ``not_signed_up``, ``conflict``, ``founder_double_booked``,
    ``below_minimum``.

    ``founder_double_booked``: the same founder account is in two meetings at
    once (two of their companies meet investors in one slot). The engine
    schedules companies, not people, so it can produce this; it is a warning
    for the organisers, who move one of the meetings by hand.
    """
    meetings = list(event.meetings)
    if not meetings and event.schedule_built_at is None:
        return []
    users = investors(event)
    user_ids = {u.id for u in users}
    proposals = pitching(event)
    proposal_ids = {p.id for p in proposals}
    names = investor_names({m.investor_id: m.investor for m in meetings}.values())
    busy_user = {(u.user_id, u.slot) for u in event.unavailable_slots if u.user_id is not None}
    busy_company = {
        (u.proposal_id, u.slot) for u in event.unavailable_slots if u.proposal_id is not None
    }
    asked: dict[tuple[int, int], set[RequestSide]] = {}
    for r in event.meeting_requests:
        asked.setdefault((r.investor_id, r.proposal_id), set()).add(r.side)
    banned = conflicts(
        [m.investor for m in meetings if m.investor_id in user_ids],
        [m.proposal for m in meetings if m.proposal_id in proposal_ids],
        asked,
    )
    out: list[Clash] = []
    for m in meetings:
        who = {
            "investor": names[m.investor_id],
            "company": m.proposal.title,
            "slot": slot_label(event, m.slot),
        }
        if not 0 <= m.slot < event.meeting_slots:
            out.append(
                Clash(
                    "gone_slot",
                    str(
                        _l(
                            "%(investor)s meets “%(company)s” in %(slot)s, which the session"
                            " no longer has.",
                            **who,
                        )
                    ),
                    m.id,
                )
            )
        if (m.investor_id, m.slot) in busy_user:
            out.append(
                Clash(
                    "investor_unavailable",
                    str(
                        _l(
                            "%(investor)s meets “%(company)s” in %(slot)s, but marked that slot"
                            " as unavailable.",
                            **who,
                        )
                    ),
                    m.id,
                )
            )
        if (m.proposal_id, m.slot) in busy_company:
            out.append(
                Clash(
                    "company_unavailable",
                    str(
                        _l(
                            "“%(company)s” meets %(investor)s in %(slot)s, but the founder marked"
                            " that slot as unavailable.",
                            **who,
                        )
                    ),
                    m.id,
                )
            )
        if m.proposal_id not in proposal_ids:
            out.append(
                Clash(
                    "not_pitching",
                    str(
                        _l(
                            "“%(company)s” is not pitching at this session, but meets"
                            " %(investor)s in %(slot)s.",
                            **who,
                        )
                    ),
                    m.id,
                )
            )
        if m.investor_id not in user_ids:
            out.append(
                Clash(
                    "not_signed_up",
                    str(
                        _l(
                            "%(investor)s is no longer signed up (or approved), but meets"
                            " “%(company)s” in %(slot)s.",
                            **who,
                        )
                    ),
                    m.id,
                )
            )
        reason = banned.get((m.investor_id, m.proposal_id))
        if reason is not None:
            out.append(Clash("conflict", conflict_message(reason, who), m.id))
    out.extend(_founder_double_bookings(event, meetings, names))
    count: dict[int, int] = dict.fromkeys(proposal_ids, 0)
    for m in meetings:
        if m.proposal_id in count:
            count[m.proposal_id] += 1
    for p in proposals:
        if count[p.id] < event.min_meetings:
            out.append(
                Clash(
                    "below_minimum",
                    str(
                        _l(
                            "“%(company)s” has %(n)d meetings; the minimum is %(min)d.",
                            company=p.title,
                            n=count[p.id],
                            min=event.min_meetings,
                        )
                    ),
                )
            )
    return out


def _founder_double_bookings(
    event: Event, meetings: list[Meeting], names: dict[int, InvestorName]
) -> list[Clash]:
    """A founder account in two meetings in one slot (with two of its companies)."""
    by_person: dict[tuple[int, int], list[Meeting]] = {}
    for m in meetings:
        by_person.setdefault((m.proposal.owner_id, m.slot), []).append(m)
    out: list[Clash] = []
    for (_owner, slot_index), group in sorted(by_person.items(), key=lambda kv: kv[0][::-1]):
        first, *rest = sorted(group, key=lambda m: (m.proposal.title, m.proposal_id))
        for other in rest:
            out.append(
                Clash(
                    "founder_double_booked",
                    str(
                        _l(
                            "%(founder)s, the founder of both “%(company)s” and “%(other)s”,"
                            " has two meetings at once in %(slot)s: with %(investor)s and with"
                            " %(other_investor)s. The engine plans companies, not people:"
                            " move one of the meetings.",
                            founder=first.proposal.company.owner.name,
                            company=first.proposal.title,
                            other=other.proposal.title,
                            slot=slot_label(event, slot_index),
                            investor=names[first.investor_id],
                            other_investor=names[other.investor_id],
                        )
                    ),
                    other.id,
                    (first.id,),
                )
            )
    return out


def conflict_message(reason: str, who: dict[str, Any]) -> str:
    if reason == OWNER:
        text = _l(
            "%(investor)s owns “%(company)s” and meets it in %(slot)s: a conflict of interest.",
            **who,
        )
    elif reason == NOT_INTERESTED:
        text = _l(
            "%(investor)s said “not interested” in “%(company)s”, but meets it in %(slot)s.",
            **who,
        )
    else:
        text = _l(
            "The founder of “%(company)s” declined an introduction to %(investor)s, but they"
            " meet in %(slot)s.",
            **who,
        )
    return str(text)


@dataclass(frozen=True)
class Column:
    proposal: Proposal
    pitching: bool


#: Why a pair meets, as the schedule's marks say: both sides asked, one side
#: asked (which one), or nobody did (the engine added it for a company's
#: minimum, or an organiser added it by hand).
MUTUAL, INVESTOR_ASKED, FOUNDER_ASKED, MINIMUM, UNASKED = (
    "mutual",
    "investor",
    "founder",
    "minimum",
    "unasked",
)


def meeting_kinds(event: Event, meetings: list[Meeting] | None = None) -> dict[int, str]:
    """Each meeting's id and why the pair meets (:data:`MUTUAL`, ...), from the
    requests saved now."""
    asked: dict[tuple[int, int], set[RequestSide]] = {}
    for r in event.meeting_requests:
        asked.setdefault((r.investor_id, r.proposal_id), set()).add(r.side)
    kinds: dict[int, str] = {}
    for m in event.meetings if meetings is None else meetings:
        sides = asked.get((m.investor_id, m.proposal_id), set())
        if len(sides) == 2:
            kinds[m.id] = MUTUAL
        elif RequestSide.INVESTOR in sides:
            kinds[m.id] = INVESTOR_ASKED
        elif RequestSide.FOUNDER in sides:
            kinds[m.id] = FOUNDER_ASKED
        elif m.source is MeetingSource.ENGINE:
            kinds[m.id] = MINIMUM
        else:
            kinds[m.id] = UNASKED
    return kinds


@dataclass
class Grid:
    """Rows: slots; columns: companies; a cell: the meeting there (or None).
    ``kinds``: why each meeting's pair meets (:func:`meeting_kinds`)."""

    rows: list[Slot]
    columns: list[Column]
    cells: dict[tuple[int, int], Meeting]
    names: dict[int, InvestorName]
    kinds: dict[int, str]

    def cell(self, slot_index: int, proposal_id: int) -> Meeting | None:
        return self.cells.get((slot_index, proposal_id))


def grid(event: Event) -> Grid:
    """The schedule as a grid: the session's slots (plus any slot a meeting is still
    in that the session no longer has) and the pitching companies (plus any
    company that still has a meeting but no longer pitches)."""
    meetings = list(event.meetings)
    top = max([event.meeting_slots - 1, *(m.slot for m in meetings)], default=-1)
    rows = [slot(event, i) for i in range(top + 1)]
    rows = [r for r in rows if r.exists or any(m.slot == r.index for m in meetings)]
    columns = [Column(p, True) for p in pitching(event)]
    seen = {c.proposal.id for c in columns}
    for m in meetings:
        if m.proposal_id not in seen:
            seen.add(m.proposal_id)
            columns.append(Column(m.proposal, False))
    return Grid(
        rows=rows,
        columns=columns,
        cells={(m.slot, m.proposal_id): m for m in meetings},
        names=investor_names({m.investor_id: m.investor for m in meetings}.values()),
        kinds=meeting_kinds(event, meetings),
    )


@dataclass(frozen=True)
class InvestorRow:
    user: User
    name: InvestorName
    attending: bool


@dataclass
class InvestorGrid:
    """The schedule by investor. Rows: investors; columns: slots; a cell: the
    meeting there (or None). An investor meets at most one company per slot
    (a unique constraint), so every meeting is in exactly one cell."""

    rows: list[InvestorRow]
    slots: list[Slot]
    cells: dict[tuple[int, int], Meeting]
    kinds: dict[int, str]

    def cell(self, investor_id: int, slot_index: int) -> Meeting | None:
        return self.cells.get((investor_id, slot_index))


def by_investor(event: Event) -> InvestorGrid:
    """The schedule by investor: the attending investors by name (plus any who
    still have a meeting but no longer attend), and the slots of :func:`grid`."""
    meetings = list(event.meetings)
    by_company = grid(event)
    attending = investors(event)
    users = {u.id: u for u in attending}
    gone = {m.investor_id: m.investor for m in meetings if m.investor_id not in users}
    names = investor_names([*attending, *gone.values()])
    rows = [InvestorRow(u, names[u.id], True) for u in attending]
    rows.sort(key=lambda r: (r.name.name.casefold(), r.user.id))
    rows.extend(
        sorted(
            (InvestorRow(u, names[u.id], False) for u in gone.values()),
            key=lambda r: (r.name.name.casefold(), r.user.id),
        )
    )
    return InvestorGrid(
        rows=rows,
        slots=by_company.rows,
        cells={(m.investor_id, m.slot): m for m in meetings},
        kinds=by_company.kinds,
    )


@dataclass(frozen=True)
class LateRequest:
    """A request made after the last build, and whether the pair meets now."""

    investor: InvestorName
    company: str
    side: RequestSide
    at: datetime
    scheduled: bool


def late_requests(event: Event) -> list[LateRequest]:
    """Requests made after the schedule was built (for pairs that may still meet)."""
    built = event.schedule_built_at
    if built is None:
        return []
    user_ids = {u.id for u in investors(event)}
    proposal_ids = {p.id for p in pitching(event)}
    late = [
        r
        for r in event.meeting_requests
        if r.created_at > built and r.investor_id in user_ids and r.proposal_id in proposal_ids
    ]
    names = investor_names({r.investor_id: r.investor for r in late}.values())
    met = {(m.investor_id, m.proposal_id) for m in event.meetings}
    return [
        LateRequest(
            names[r.investor_id],
            r.proposal.title,
            r.side,
            r.created_at,
            (r.investor_id, r.proposal_id) in met,
        )
        for r in sorted(late, key=lambda r: (r.created_at, r.id))
    ]


@dataclass(frozen=True)
class Counts:
    requests: int
    unavailable: int
    meetings: int


def counts(event: Event) -> Counts:
    return Counts(len(event.meeting_requests), len(event.unavailable_slots), len(event.meetings))


def gap(event: Event) -> float | None:
    """How far the value may be from the best possible, as a fraction of the bound."""
    if event.schedule_value is None or event.schedule_bound is None or event.schedule_optimal:
        return None
    if event.schedule_bound <= 0:
        return 0.0
    return max(event.schedule_bound - event.schedule_value, 0.0) / event.schedule_bound
