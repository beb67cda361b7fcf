"""The 1:1 meetings of a Springbrett session: requests, unavailable slots, the
engine's schedule and the organisers' hand edits. Functions flush, never commit.

Who takes part
    Once the line-up is published (``Event.lineup_published_at``), the
    *pitching companies* are the candidates whose founder has not declined
    (``EventCandidate.pitching``) and the *investors* are the signed-up,
    approved, active investors. Investors choose which pitching companies they
    want to meet, founders which investors; both mark the slots they cannot
    attend. Saving replaces that person's choices (requests kept from before
    keep their ``created_at``, so the schedule page can tell which requests
    came after the last build); the session's row is locked while they are
    replaced, so two saves at once (a double click) run one after the other.
    Choices stay editable after the schedule is built: the organisers see the
    late requests and decide whether to build again or add a meeting by hand.

Which pairs may meet, and how much each is worth (the engine's ``affinity``)
    A pair where either side asked is worth ``0.5 * match score + 0.25`` per
    side that asked (see :func:`affinity`). A pair nobody asked for but with a
    stored match score (``MatchScore``) may meet with affinity 0: the engine
    uses such a pair only when a company needs it to reach the organisers'
    minimum, and drops it otherwise (``matchmaking.engine.schedule``), so
    nobody is booked into a meeting nobody asked for just because they match.

People, not only companies
    The engine schedules companies: a founder with two pitching companies can
    be given two meetings in one slot. :func:`clashes` names that
    (``founder_double_booked``) for the organisers to move one by hand.

Conflicts of interest (never scheduled by the engine; listed as a clash when
a hand edit makes one)
    - the investor owns the proposal's company;
    - the investor marked the proposal "not interested" on their matches page,
      unless they asked to meet it at this session (their newer, explicit
      choice wins);
    - the founder declined the investor's introduction request, unless the
      founder asked to meet that investor at this session.

Rebuilding replaces the whole schedule, hand edits included; it is refused
once an outcome has been recorded for a meeting (that record would be lost).
Every schedule change by an organiser checks and bumps ``Event.version``, so
two organisers cannot overwrite each other's work unknowingly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import format_time
from sqlalchemy import select

from matchmaking.accounts.models import User
from matchmaking.engine import (
    InfeasibleError,
    SchedulePerson,
    ScheduleProblem,
    Violation,
    ViolationKind,
    solve_schedule,
)
from matchmaking.events.models import (
    Event,
    Meeting,
    MeetingRequest,
    MeetingSource,
    RequestSide,
    UnavailableSlot,
)
from matchmaking.events.programme import attendee_investors, pitching_candidates
from matchmaking.events.versioning import claim_version, is_current_version, lock
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.introductions.models import Introduction, IntroductionStatus
from matchmaking.investors.models import InvestorProfile
from matchmaking.matches.explain import Reason, explain, parse_reasons
from matchmaking.matches.models import MatchChoice, MatchScore
from matchmaking.proposals.models import Proposal

#: Seconds the engine may spend proving its schedule optimal in a web request.
DEFAULT_TIME_LIMIT = 10.0

#: Conflict reasons (see the module docstring).
OWNER = "owner"
NOT_INTERESTED = "not_interested"
DECLINED_INTRODUCTION = "declined_introduction"


def stale_message() -> str:
    """The same words as the session form uses for a stale save."""
    return str(_l("This session was changed by someone else – reload to see their changes."))


class MeetingError(Exception):
    """A rule was broken; ``field`` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --------------------------------------------------------------------------
# Slots and participants
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A meeting slot: ``index`` from 0; times in UTC (shown in Oslo time)."""

    index: int
    starts_at: datetime
    ends_at: datetime
    exists: bool = True  # False: beyond the session's slots (they were reduced since)

    @property
    def number(self) -> int:
        return self.index + 1


def slot(event: Event, index: int) -> Slot:
    start = event.meetings_start_at + timedelta(minutes=index * event.meeting_minutes)
    return Slot(
        index,
        start,
        start + timedelta(minutes=event.meeting_minutes),
        0 <= index < event.meeting_slots,
    )


def slots(event: Event) -> list[Slot]:
    """The session's meeting slots: ``meetings_start_at + i * meeting_minutes``."""
    return [slot(event, i) for i in range(event.meeting_slots)]


def slot_label(event: Event, index: int) -> str:
    """ "Slot 3 (18:40)" in the reader's language and Oslo time."""
    return str(
        _l(
            "slot %(n)d (%(time)s)",
            n=index + 1,
            time=format_time(slot(event, index).starts_at, "short"),
        )
    )


def is_open(event: Event) -> bool:
    """Meetings can be chosen and scheduled once the line-up is published."""
    return event.is_published and event.lineup_published_at is not None


def pitching(event: Event) -> list[Proposal]:
    """The pitching companies' proposals, in line-up order (none before publishing)."""
    return [c.proposal for c in pitching_candidates(event)]


def investors(event: Event) -> list[User]:
    """The attending investors (:func:`matchmaking.events.programme.attendee_investors`)."""
    return attendee_investors(event)


@dataclass(frozen=True)
class InvestorName:
    """How an investor is shown: display name and organisation, never contact details."""

    name: str
    organisation: str | None

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


def investor_names(users: Iterable[User]) -> dict[int, InvestorName]:
    """Display name and organisation from the interest profile (else the account name)."""
    users = list(users)
    ids = [u.id for u in users]
    profiles = (
        {
            p.user_id: p
            for p in db.session.scalars(
                select(InvestorProfile).where(InvestorProfile.user_id.in_(ids))
            )
        }
        if ids
        else {}
    )
    names: dict[int, InvestorName] = {}
    for u in users:
        p = profiles.get(u.id)
        names[u.id] = (
            InvestorName(p.display_name or u.name, p.organisation or None)
            if p is not None
            else InvestorName(u.name, None)
        )
    return names


# --------------------------------------------------------------------------
# Who chooses: an investor, or a founder for one of their pitching companies
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Chooser:
    """The person choosing: an investor (``proposal`` None) or a founder for ``proposal``."""

    user: User
    proposal: Proposal | None = None

    @property
    def side(self) -> RequestSide:
        return RequestSide.FOUNDER if self.proposal is not None else RequestSide.INVESTOR


def founder_proposals(event: Event, user: User) -> list[Proposal]:
    """The user's own proposals that pitch at the session."""
    return [p for p in pitching(event) if p.owner_id == user.id]


def why_not(event: Event, user: User) -> str | None:
    """Why ``user`` cannot choose meetings at ``event`` (None: they can)."""
    if not is_open(event):
        return str(_l("The 1:1 meetings open when the line-up is published."))
    if user.is_organiser:
        return str(_l("Organisers plan the meetings on the schedule page."))
    if user.is_investor:
        if not user.is_approved_investor:
            return str(
                _l("You can choose meetings once an organiser has approved your investor profile.")
            )
        if user.id not in {u.id for u in investors(event)}:
            return str(_l("Sign up for the session to choose whom to meet."))
        return None
    if user.is_entrepreneur and founder_proposals(event, user):
        return None
    return str(_l("Only founders whose company pitches at this session choose meetings."))


def chooser(event: Event, user: User, proposal_id: int | None = None) -> Chooser:
    """The chooser for ``user``; a founder with several pitching companies picks one.

    Raises MeetingError (the reason, for the page) when the user cannot choose,
    or when ``proposal_id`` is not one of the founder's pitching proposals.
    """
    reason = why_not(event, user)
    if reason is not None:
        raise MeetingError(reason)
    if not user.is_entrepreneur:
        return Chooser(user)
    own = founder_proposals(event, user)
    if proposal_id is None:
        return Chooser(user, own[0])
    for p in own:
        if p.id == proposal_id:
            return Chooser(user, p)
    raise MeetingError(str(_l("Choose one of your companies that pitch at this session.")))


@dataclass(frozen=True)
class CompanyOption:
    """A pitching company as an investor sees it when choosing."""

    proposal: Proposal
    score: float | None
    reasons: list[Reason]
    not_interested: bool


@dataclass(frozen=True)
class InvestorOption:
    """A signed-up investor as a founder sees them when choosing."""

    user: User
    name: InvestorName


def company_options(event: Event, investor: User) -> list[CompanyOption]:
    """Every pitching company with the investor's match score and its "why"."""
    from matchmaking.matches.search import profile_facts, proposal_facts

    proposals = pitching(event)
    ids = [p.id for p in proposals]
    if not ids:
        return []
    scores = {
        s.proposal_id: s
        for s in db.session.scalars(
            select(MatchScore).where(
                MatchScore.investor_id == investor.id, MatchScore.proposal_id.in_(ids)
            )
        )
    }
    declined = set(
        db.session.scalars(
            select(MatchChoice.proposal_id).where(
                MatchChoice.investor_id == investor.id,
                MatchChoice.proposal_id.in_(ids),
                MatchChoice.not_interested.is_(True),
            )
        )
    )
    profile = profile_facts(investor.id)
    options = []
    for p in proposals:
        s = scores.get(p.id)
        reasons = explain(parse_reasons(s.reasons), proposal_facts(p), profile) if s else []
        options.append(CompanyOption(p, s.score if s else None, reasons, p.id in declined))
    return options


def investor_options(event: Event) -> list[InvestorOption]:
    """Every signed-up investor a founder may ask for, by display name."""
    users = investors(event)
    names = investor_names(users)
    options = [InvestorOption(u, names[u.id]) for u in users]
    options.sort(key=lambda o: (o.name.name.casefold(), o.user.id))
    return options


def _requests(event: Event, who: Chooser) -> list[MeetingRequest]:
    if who.proposal is None:
        return [
            r
            for r in event.meeting_requests
            if r.side is RequestSide.INVESTOR and r.investor_id == who.user.id
        ]
    return [
        r
        for r in event.meeting_requests
        if r.side is RequestSide.FOUNDER and r.proposal_id == who.proposal.id
    ]


def _marks(event: Event, who: Chooser) -> list[UnavailableSlot]:
    if who.proposal is None:
        return [u for u in event.unavailable_slots if u.user_id == who.user.id]
    return [u for u in event.unavailable_slots if u.proposal_id == who.proposal.id]


def current_choices(event: Event, who: Chooser) -> tuple[list[int], list[int]]:
    """What ``who`` chose so far: (the other side's ids, unavailable slot indexes)."""
    wanted = sorted(
        r.proposal_id if who.proposal is None else r.investor_id for r in _requests(event, who)
    )
    return wanted, sorted(u.slot for u in _marks(event, who))


def save_choices(
    event: Event, who: Chooser, wanted: Iterable[int], unavailable: Iterable[int]
) -> None:
    """Replace ``who``'s requests and unavailable slots with these.

    ``wanted`` are proposal ids (an investor choosing pitching companies) or
    investor user ids (a founder choosing signed-up investors). Anything else
    raises MeetingError beside the field and nothing changes. Requests that
    stay keep their ``created_at``.

    The session's row is locked first and the choices re-read under the lock,
    so a second save at the same moment (a double click) waits for the first
    and then replaces what it saved, instead of inserting the same rows again.
    """
    wanted, unavailable = set(wanted), set(unavailable)
    if who.proposal is None:
        allowed = {p.id for p in pitching(event)}
        if not wanted <= allowed:
            raise MeetingError(
                str(_l("Choose among the companies that pitch at this session.")), "wanted"
            )
    else:
        allowed = {u.id for u in investors(event)}
        if not wanted <= allowed:
            raise MeetingError(
                str(_l("Choose among the investors signed up for this session.")), "wanted"
            )
    if not unavailable <= set(range(event.meeting_slots)):
        raise MeetingError(str(_l("Choose among the session's meeting slots.")), "unavailable")

    lock(event, "meeting_requests", "unavailable_slots")
    for r in _requests(event, who):
        other = r.proposal_id if who.proposal is None else r.investor_id
        if other in wanted:
            wanted.discard(other)
        else:
            event.meeting_requests.remove(r)
    for other in sorted(wanted):
        if who.proposal is None:
            event.meeting_requests.append(
                MeetingRequest(investor_id=who.user.id, proposal_id=other, side=who.side)
            )
        else:
            event.meeting_requests.append(
                MeetingRequest(investor_id=other, proposal_id=who.proposal.id, side=who.side)
            )
    for u in _marks(event, who):
        if u.slot in unavailable:
            unavailable.discard(u.slot)
        else:
            event.unavailable_slots.remove(u)
    for s in sorted(unavailable):
        if who.proposal is None:
            event.unavailable_slots.append(UnavailableSlot(user_id=who.user.id, slot=s))
        else:
            event.unavailable_slots.append(UnavailableSlot(proposal_id=who.proposal.id, slot=s))
    db.session.flush()


# --------------------------------------------------------------------------
# The engine's input
# --------------------------------------------------------------------------


def affinity(score: float | None, investor_asked: bool, founder_asked: bool) -> float:
    """What a meeting is worth to the engine, in [0, 1].

    ``0.5 * match score + 0.25`` for each side that asked: a pair where both
    asked (0.5 boost) beats one where only one did (0.25), and among those the
    better match wins. A missing score counts as 0. A pair nobody asked for is
    worth 0, whatever its score: the engine schedules it only when a company
    needs it to reach the minimum.
    """
    if not (investor_asked or founder_asked):
        return 0.0
    value = 0.5 * min(max(score or 0.0, 0.0), 1.0)
    value += 0.25 * investor_asked + 0.25 * founder_asked
    return round(min(max(value, 0.0), 1.0), 6)


@dataclass
class EngineInput:
    """The engine's schedule problem (ids: investor user ids and proposal ids) and
    what it was made of."""

    problem: ScheduleProblem
    investors: dict[int, User]
    companies: dict[int, Proposal]
    #: (investor user id, proposal id) -> affinity, for every pair that may meet.
    affinity: dict[tuple[int, int], float]
    #: (investor user id, proposal id) -> conflict reason.
    conflicts: dict[tuple[int, int], str]
    #: Pairs asked for: (investor, proposal) -> sides that asked.
    asked: dict[tuple[int, int], set[RequestSide]] = field(default_factory=dict)


def conflicts(
    users: list[User], proposals: list[Proposal], asked: dict[tuple[int, int], set[RequestSide]]
) -> dict[tuple[int, int], str]:
    """Conflicts of interest among these investors and companies (module docstring)."""
    out: dict[tuple[int, int], str] = {}
    user_ids = [u.id for u in users]
    proposal_ids = [p.id for p in proposals]
    if not user_ids or not proposal_ids:
        return out
    for p in proposals:
        if p.owner_id in user_ids:
            out[(p.owner_id, p.id)] = OWNER
    for inv, pid in db.session.execute(
        select(MatchChoice.investor_id, MatchChoice.proposal_id).where(
            MatchChoice.investor_id.in_(user_ids),
            MatchChoice.proposal_id.in_(proposal_ids),
            MatchChoice.not_interested.is_(True),
        )
    ):
        if RequestSide.INVESTOR not in asked.get((inv, pid), set()):
            out.setdefault((inv, pid), NOT_INTERESTED)
    for inv, pid in db.session.execute(
        select(Introduction.investor_id, Introduction.proposal_id).where(
            Introduction.investor_id.in_(user_ids),
            Introduction.proposal_id.in_(proposal_ids),
            Introduction.status == IntroductionStatus.DECLINED,
        )
    ):
        if RequestSide.FOUNDER not in asked.get((inv, pid), set()):
            out.setdefault((inv, pid), DECLINED_INTRODUCTION)
    return out


def engine_input(event: Event) -> EngineInput:
    """The ``schedule`` input for the session (see the module docstring).

    Investors: signed-up approved investors, unavailable from their marks.
    Companies: the pitching proposals, ``min_meetings = event.min_meetings``.
    Affinity: every pair someone asked for or with a stored match score, minus
    conflicts, valued by :func:`affinity` (0 for a pair nobody asked for, which
    the engine then uses only to reach a minimum). Conflicts: listed as well.
    Everything is sorted, so the same data gives the same input.
    """
    users = investors(event)
    proposals = pitching(event)
    user_ids = {u.id for u in users}
    proposal_ids = {p.id for p in proposals}
    n = event.meeting_slots

    asked: dict[tuple[int, int], set[RequestSide]] = {}
    for r in event.meeting_requests:
        if r.investor_id in user_ids and r.proposal_id in proposal_ids:
            asked.setdefault((r.investor_id, r.proposal_id), set()).add(r.side)
    scores: dict[tuple[int, int], float] = {}
    if user_ids and proposal_ids:
        for inv, pid, score in db.session.execute(
            select(MatchScore.investor_id, MatchScore.proposal_id, MatchScore.score).where(
                MatchScore.investor_id.in_(sorted(user_ids)),
                MatchScore.proposal_id.in_(sorted(proposal_ids)),
            )
        ):
            scores[(inv, pid)] = float(score)
    banned = conflicts(users, proposals, asked)
    values: dict[tuple[int, int], float] = {}
    for pair in sorted(set(asked) | set(scores)):
        if pair in banned:
            continue
        sides = asked.get(pair, set())
        values[pair] = affinity(
            scores.get(pair), RequestSide.INVESTOR in sides, RequestSide.FOUNDER in sides
        )

    busy_user: dict[int, set[int]] = {}
    busy_company: dict[int, set[int]] = {}
    for u in event.unavailable_slots:
        if not 0 <= u.slot < n:
            continue
        if u.user_id is not None and u.user_id in user_ids:
            busy_user.setdefault(u.user_id, set()).add(u.slot)
        elif u.proposal_id is not None and u.proposal_id in proposal_ids:
            busy_company.setdefault(u.proposal_id, set()).add(u.slot)

    problem = ScheduleProblem(
        slots=n,
        investors=tuple(
            SchedulePerson(uid, max_meetings=n, unavailable=frozenset(busy_user.get(uid, ())))
            for uid in sorted(user_ids)
        ),
        companies=tuple(
            SchedulePerson(
                pid,
                max_meetings=n,
                min_meetings=event.min_meetings,
                unavailable=frozenset(busy_company.get(pid, ())),
            )
            for pid in sorted(proposal_ids)
        ),
        affinity=dict(sorted(values.items())),
        conflicts=frozenset(banned),
    )
    return EngineInput(
        problem=problem,
        investors={u.id: u for u in users},
        companies={p.id: p for p in proposals},
        affinity=values,
        conflicts=banned,
        asked=asked,
    )


def _matching_size(options: dict[int, list[int]]) -> int:
    """The largest matching of investors to slots (``options``: investor -> free slots)."""
    owner: dict[int, int] = {}

    def place(inv: int, seen: set[int]) -> bool:
        for s in options[inv]:
            if s in seen:
                continue
            seen.add(s)
            if s not in owner or place(owner[s], seen):
                owner[s] = inv
                return True
        return False

    return sum(place(inv, set()) for inv in sorted(options))


def minimum_problem(event: Event, inp: EngineInput) -> str | None:
    """Why the minimum cannot be met by some company on its own, in the reader's
    language and naming the company (None: each could get it on its own)."""
    need = event.min_meetings
    if need <= 0:
        return None
    free = set(range(event.meeting_slots))
    busy_user = {int(i.id): set(i.unavailable) for i in inp.problem.investors}
    for c in inp.problem.companies:
        pid = int(c.id)
        title = inp.companies[pid].title
        mine = free - set(c.unavailable)
        if need > len(mine):
            return str(
                _l(
                    "“%(company)s” needs at least %(need)d meetings, but its founder marked"
                    " all but %(free)d of the %(slots)d slots as unavailable."
                    " Lower the minimum, or ask the founder to free more slots.",
                    company=title,
                    need=need,
                    free=len(mine),
                    slots=event.meeting_slots,
                )
            )
        partners = sorted(i for (i, p) in inp.affinity if p == pid)
        if need > len(partners):
            return str(
                _l(
                    "“%(company)s” needs at least %(need)d meetings, but only %(n)d signed-up"
                    " investors may meet it (those who asked, whom the founder asked for, or"
                    " who match it, minus conflicts of interest)."
                    " Lower the minimum, or ask more investors to choose it.",
                    company=title,
                    need=need,
                    n=len(partners),
                )
            )
        fit = _matching_size({i: sorted(mine - busy_user.get(i, set())) for i in partners})
        if need > fit:
            return str(
                _l(
                    "“%(company)s” needs at least %(need)d meetings, but only %(fit)d fit into"
                    " slots where both the company and the investors who may meet it are"
                    " available. Lower the minimum, or ask them to free more slots.",
                    company=title,
                    need=need,
                    fit=fit,
                )
            )
    return None


# --------------------------------------------------------------------------
# Organisers: the minimum, building, hand edits
# --------------------------------------------------------------------------


def check_version(event: Event, version: int | str | None) -> None:
    """Refuse a post made from a page older than the last schedule change."""
    if not is_current_version(event, version):
        raise MeetingError(stale_message())


def _claim(event: Event, version: int | str | None) -> None:
    """Check the version and bump it in one conditional UPDATE
    (:func:`matchmaking.events.versioning.claim_version`): of two organisers
    posting at the same moment, the second is refused as stale."""
    if not claim_version(event, version):
        raise MeetingError(stale_message())


def _edited(event: Event) -> None:
    event.schedule_edited = True
    db.session.flush()


def set_minimum(event: Event, minimum: int, version: int | str | None) -> None:
    """The least number of meetings every pitching company gets (0 .. meeting slots)."""
    check_version(event, version)
    if not 0 <= minimum <= event.meeting_slots:
        raise MeetingError(
            str(_l("Enter a whole number from 0 to %(max)d.", max=event.meeting_slots)),
            "min_meetings",
        )
    _claim(event, version)
    event.min_meetings = minimum
    db.session.flush()


@dataclass(frozen=True)
class Built:
    """What a build did: the engine's value, bound and whether it is proven optimal."""

    meetings: int
    value: float
    bound: float
    optimal: bool


def build_schedule(
    event: Event,
    version: int | str | None,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    now: datetime | None = None,
) -> Built:
    """Run the engine and replace the session's meetings with its schedule.

    Raises MeetingError (and changes nothing) on a stale version, before the
    line-up is published, with no investors or no pitching companies, once
    outcomes are recorded, or when the minimum cannot be met (naming the
    company and why).
    """
    check_version(event, version)
    if not is_open(event):
        raise MeetingError(str(_l("The 1:1 meetings open when the line-up is published.")))
    if any(m.outcome is not None for m in event.meetings):
        raise MeetingError(
            str(
                _l(
                    "Outcomes have been recorded for meetings of this session; building"
                    " again would lose them. Edit the schedule by hand instead."
                )
            )
        )
    inp = engine_input(event)
    if not inp.companies:
        raise MeetingError(str(_l("No company is pitching, so there is nobody to meet.")))
    if not inp.investors:
        raise MeetingError(str(_l("No approved investor has signed up yet.")))
    problem = minimum_problem(event, inp)
    if problem is not None:
        raise MeetingError(problem)
    try:
        result = solve_schedule(inp.problem, time_limit=time_limit)
    except InfeasibleError as e:
        raise MeetingError(refusal(event, inp, e.violations)) from e

    # The engine only read; the version is claimed just before the write, so a
    # long engine run never holds the session's row.
    _claim(event, version)
    event.meetings.clear()
    db.session.flush()
    for m in sorted(result.meetings, key=lambda m: (m.slot, m.investor, m.company)):
        inv, pid = int(m.investor), int(m.company)
        event.meetings.append(
            Meeting(
                investor_id=inv,
                proposal_id=pid,
                slot=int(m.slot),
                affinity=inp.affinity[(inv, pid)],
                source=MeetingSource.ENGINE,
            )
        )
    event.schedule_value = round(float(result.value), 6) + 0.0
    event.schedule_bound = round(float(result.bound), 6) + 0.0
    event.schedule_optimal = bool(result.optimal)
    event.schedule_built_at = now or utcnow()
    event.schedule_edited = False
    db.session.flush()
    return Built(
        len(result.meetings), event.schedule_value, event.schedule_bound, event.schedule_optimal
    )


def refusal(event: Event, inp: EngineInput, violations: list[Violation]) -> str:
    """The engine's refusal of the minimum in the reader's language, from its
    violations (data: the kind, the company, what is needed and available)."""
    for v in violations:
        if not v.companies or v.kind is ViolationKind.MINIMUMS_TOGETHER:
            continue
        title = inp.companies[int(v.companies[0])].title
        if v.kind is ViolationKind.TOO_FEW_SLOTS:
            return str(
                _l(
                    "“%(company)s” needs at least %(need)d meetings, but its founder marked"
                    " all but %(free)d of the %(slots)d slots as unavailable."
                    " Lower the minimum, or ask the founder to free more slots.",
                    company=title,
                    need=v.needed,
                    free=v.available,
                    slots=event.meeting_slots,
                )
            )
        if v.kind is ViolationKind.TOO_FEW_INVESTORS:
            return str(
                _l(
                    "“%(company)s” needs at least %(need)d meetings, but only %(n)d signed-up"
                    " investors may meet it (those who asked, whom the founder asked for, or"
                    " who match it, minus conflicts of interest)."
                    " Lower the minimum, or ask more investors to choose it.",
                    company=title,
                    need=v.needed,
                    n=v.available,
                )
            )
        if v.kind is ViolationKind.TOO_FEW_SHARED_SLOTS:
            return str(
                _l(
                    "“%(company)s” needs at least %(need)d meetings, but only %(fit)d fit into"
                    " slots where both the company and the investors who may meet it are"
                    " available. Lower the minimum, or ask them to free more slots.",
                    company=title,
                    need=v.needed,
                    fit=v.available,
                )
            )
    return str(
        _l(
            "Every company can get %(need)d meetings on its own, but not all at once:"
            " there are not enough free investor slots for all of them together."
            " Lower the minimum, or ask investors to free more slots.",
            need=event.min_meetings,
        )
    )


def _slot_index(event: Event, value: int | None) -> int:
    if value is None or not 0 <= value < event.meeting_slots:
        raise MeetingError(str(_l("Choose one of the session's slots.")), "slot")
    return value


def _double_booking(
    event: Event, investor_id: int, proposal_id: int, slot_index: int, moving: Meeting | None
) -> str | None:
    """Why a meeting of this pair in this slot would double-book someone (None: it would not)."""
    others = [m for m in event.meetings if m is not moving]
    names = investor_names([m.investor for m in others if m.investor_id == investor_id])
    for m in others:
        if m.investor_id == investor_id and m.proposal_id == proposal_id:
            return str(
                _l(
                    "%(investor)s already meets “%(company)s”, in %(slot)s.",
                    investor=names[investor_id],
                    company=m.proposal.title,
                    slot=slot_label(event, m.slot),
                )
            )
    for m in others:
        if m.slot != slot_index:
            continue
        if m.investor_id == investor_id:
            return str(
                _l(
                    "%(investor)s already has a meeting in %(slot)s, with “%(company)s”.",
                    investor=names[investor_id],
                    slot=slot_label(event, slot_index),
                    company=m.proposal.title,
                )
            )
        if m.proposal_id == proposal_id:
            name = investor_names([m.investor])[m.investor_id]
            return str(
                _l(
                    "“%(company)s” already has a meeting in %(slot)s, with %(investor)s.",
                    company=m.proposal.title,
                    slot=slot_label(event, slot_index),
                    investor=name,
                )
            )
    return None


def move_meeting(meeting: Meeting, slot_index: int | None, version: int | str | None) -> None:
    """Move a meeting to another slot; refused (nothing changes) if it double-books."""
    event = meeting.event
    _claim(event, version)
    target = _slot_index(event, slot_index)
    if target == meeting.slot:
        raise MeetingError(str(_l("The meeting is already in that slot.")), "slot")
    problem = _double_booking(event, meeting.investor_id, meeting.proposal_id, target, meeting)
    if problem is not None:
        raise MeetingError(problem, "slot")
    meeting.slot = target
    meeting.source = MeetingSource.MANUAL
    _edited(event)


def remove_meeting(meeting: Meeting, version: int | str | None) -> None:
    """Take a meeting out of the schedule; refused once its outcome is recorded
    (the record and its note would be lost with it)."""
    event = meeting.event
    _claim(event, version)
    db.session.refresh(meeting)  # an outcome recorded since the page was shown counts
    if meeting.outcome is not None:
        name = investor_names([meeting.investor])[meeting.investor_id]
        raise MeetingError(
            str(
                _l(
                    "The meeting of %(investor)s with “%(company)s” has an outcome recorded,"
                    " so it stays in the schedule: removing it would lose that record."
                    " Move it instead if it took place in another slot.",
                    investor=name,
                    company=meeting.proposal.title,
                )
            )
        )
    event.meetings.remove(meeting)
    _edited(event)


def add_meeting(
    event: Event,
    investor_id: int | None,
    proposal_id: int | None,
    slot_index: int | None,
    version: int | str | None,
) -> Meeting:
    """Add a meeting by hand: a signed-up investor, a pitching company, a slot.

    A double booking is refused; a clash (an unavailable slot, a conflict of
    interest) is saved and shown among the clashes.
    """
    _claim(event, version)
    users = {u.id: u for u in investors(event)}
    companies = {p.id: p for p in pitching(event)}
    if investor_id not in users:
        raise MeetingError(str(_l("Choose an investor signed up for this session.")), "investor")
    if proposal_id not in companies:
        raise MeetingError(str(_l("Choose a company that pitches at this session.")), "company")
    target = _slot_index(event, slot_index)
    problem = _double_booking(event, investor_id, proposal_id, target, None)
    if problem is not None:
        raise MeetingError(problem, "slot")
    inp = engine_input(event)
    meeting = Meeting(
        investor_id=investor_id,
        proposal_id=proposal_id,
        slot=target,
        affinity=inp.affinity.get((investor_id, proposal_id), 0.0),
        source=MeetingSource.MANUAL,
    )
    event.meetings.append(meeting)
    _edited(event)
    return meeting


# --------------------------------------------------------------------------
# What the schedule page shows
# --------------------------------------------------------------------------


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


@dataclass
class Grid:
    """Rows: slots; columns: companies; a cell: the meeting there (or None)."""

    rows: list[Slot]
    columns: list[Column]
    cells: dict[tuple[int, int], Meeting]
    names: dict[int, InvestorName]

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
