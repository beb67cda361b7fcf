"""The 1:1 meetings of a Springbrett session: the slots, who takes part and
what each of them chose. Functions flush, never commit.

The rest of the feature, one job per module:

- :mod:`~matchmaking.events.meetings.adapter`: the engine boundary (the
  schedule problem made of these rows, affinity, conflicts of interest, the
  engine's refusal in words);
- :mod:`~matchmaking.events.meetings.planning`: the organisers' minimum,
  building the schedule and the hand edits;
- :mod:`~matchmaking.events.meetings.grid`: what the schedule page shows
  (the grid, the clashes, late requests).

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
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from matchmaking.accounts.models import User
from matchmaking.dates import clock
from matchmaking.events.errors import EventError
from matchmaking.events.models import Event, MeetingRequest, RequestSide, UnavailableSlot
from matchmaking.events.programme import attendee_investors, pitching_candidates
from matchmaking.events.versioning import lock
from matchmaking.extensions import db
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.investors.models import InvestorProfile
from matchmaking.matches.explain import Reason, explain, parse_reasons
from matchmaking.matches.models import MatchChoice, MatchScore
from matchmaking.proposals.models import Proposal

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
            time=clock(slot(event, index).starts_at),
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

    Raises EventError (the reason, for the page) when the user cannot choose,
    or when ``proposal_id`` is not one of the founder's pitching proposals.
    """
    reason = why_not(event, user)
    if reason is not None:
        raise EventError(reason)
    if not user.is_entrepreneur:
        return Chooser(user)
    own = founder_proposals(event, user)
    if proposal_id is None:
        return Chooser(user, own[0])
    for p in own:
        if p.id == proposal_id:
            return Chooser(user, p)
    raise EventError(str(_l("Choose one of your companies that pitch at this session.")))


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
    raises EventError beside the field and nothing changes. Requests that
    stay keep their ``created_at``.

    The session's row is locked first and the choices re-read under the lock,
    so a second save at the same moment (a double click) waits for the first
    and then replaces what it saved, instead of inserting the same rows again.
    """
    wanted, unavailable = set(wanted), set(unavailable)
    if who.proposal is None:
        allowed = {p.id for p in pitching(event)}
        if not wanted <= allowed:
            raise EventError(
                str(_l("Choose among the companies that pitch at this session.")), "wanted"
            )
    else:
        allowed = {u.id for u in investors(event)}
        if not wanted <= allowed:
            raise EventError(
                str(_l("Choose among the investors signed up for this session.")), "wanted"
            )
    if not unavailable <= set(range(event.meeting_slots)):
        raise EventError(str(_l("Choose among the session's meeting slots.")), "unavailable")

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
