"""Demo funding rounds, one in each state, and a funded company's follow-up reports.

- ``grunder@``'s battery recycling proposal (accepted for Springbrett) has an
  open round with four commitments, ``investor@``'s among them; one investor
  offers to lead, no lead is chosen yet.
- The autonomous sea-mapping proposal (pitched) has an open round at its
  target, with the lead chosen and agreed and the totals shown to investors.
- ``grunder@``'s rail-tracking proposal was funded about two years ago
  (``investor@`` committed and invested, with two investors outside the
  network) and has reported every six months since, one report entered by an
  organiser on the founder's behalf.
- The cold-chain air freight proposal (in dialogue) had a round that closed
  without funding: postponed until an airline signs. A round closed without
  funding leaves the proposal's status alone, so it stays in dialogue, free
  to open a new round.

Each round's times are read off its proposal's timeline (``ProposalEvent``):
a round opens after the step it follows, its commitments fall between the
opening and its close (or now), a funded round closes on the day of the
proposal's step to funded. So the rounds fit the timelines whenever the
proposals were loaded, and everything lies in the past.

Rows are written directly, without e-mails (as the proposals' timelines
are). A proposal that has any round already is left alone, so a second
load adds nothing, and a round whose proposal is no longer in a fitting
status (moved in a walk-through) is not made.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from matchmaking.accounts.models import User
from matchmaking.accounts.services import find_by_email
from matchmaking.dates import OSLO, in_oslo
from matchmaking.extensions import db, utcnow
from matchmaking.proposals.lifecycle import MAY_COMMIT
from matchmaking.proposals.models import Company, Proposal, ProposalEvent, Status
from matchmaking.results.models import ReportRequest, ResultReport
from matchmaking.rounds.models import CloseReason, Commitment, Investment, Round, RoundState

ORGANISER = "arrangor@demo.banofoten.no"
#: Of the span from the step a round follows to its close (or now): when it opened.
OPENS_AT = 0.1


@dataclass(frozen=True)
class DemoCommitment:
    investor: str  # e-mail
    amount: int
    at: float  # when, as a share of the span from the opening to the close (or now)
    conditions: str = ""
    would_lead: bool = False
    named_to_founder: bool = False
    withdrawn_at: float | None = None  # likewise, when withdrawn


@dataclass(frozen=True)
class DemoInvestment:
    amount: int
    investor: str | None = None  # e-mail of a member of the network
    outside_name: str | None = None  # or someone outside it


@dataclass(frozen=True)
class DemoReport:
    period: int  # n-th six months after funded_on
    days_late: int  # filed this many days after the request
    employees: float
    revenue_12m: int
    words: str
    capital_since: int = 0
    on_behalf: bool = False  # entered by an organiser for the founder


@dataclass(frozen=True)
class DemoRound:
    company: str
    title: str
    state: RoundState
    after: Status  # the timeline step the round opens after
    commitments: tuple[DemoCommitment, ...]
    opened_by_founder: bool = True
    closes_in_days: int | None = None  # an open round's closing date, from today
    totals_visible: bool = False
    lead: str | None = None  # e-mail; chosen by an organiser, agreed by the founder
    # Closed without funding: when, as a share of the span from the step
    # ``after`` to now; the reason and words.
    closed_at: float = 0.8
    close_reason: CloseReason | None = None
    close_words: str = ""
    # Funded: on the day of the proposal's step to funded.
    raised: int | None = None
    pre_money: int | None = None
    investments: tuple[DemoInvestment, ...] = ()
    reports: tuple[DemoReport, ...] = field(default=())


ROUNDS: tuple[DemoRound, ...] = (
    DemoRound(
        company="Polarlys Batterigjenvinning AS",
        title="Gjenvinning av litiumbatterier med vannkraft i Narvik",
        state=RoundState.OPEN,
        after=Status.ACCEPTED,
        closes_in_days=49,  # two weeks after the demo Springbrett session
        commitments=(
            DemoCommitment(
                "bjorn.lund@demo.banofoten.no",
                2_000_000,
                0.2,
                conditions="Ønsker en plass i styret.",
                would_lead=True,
                named_to_founder=True,
            ),
            DemoCommitment(
                "investor@demo.banofoten.no",
                500_000,
                0.4,
                conditions="Forutsetter at tilsagnet fra Innovasjon Norge står ved lag.",
                named_to_founder=True,
            ),
            DemoCommitment("geir.mathisen@demo.banofoten.no", 3_000_000, 0.6),
            DemoCommitment(
                "erik.johansen@demo.banofoten.no", 2_000_000, 0.85, named_to_founder=True
            ),
        ),
    ),
    DemoRound(
        company="Havbunnskart Nord AS",
        title="Autonome båter som kartlegger havbunnen",
        state=RoundState.OPEN,
        after=Status.PITCHED,
        closes_in_days=21,
        totals_visible=True,
        lead="ingvild.berg@demo.banofoten.no",
        commitments=(
            DemoCommitment(
                "ingvild.berg@demo.banofoten.no",
                1_500_000,
                0.15,
                would_lead=True,
                named_to_founder=True,
            ),
            DemoCommitment(
                "kristin.nilsen@demo.banofoten.no", 2_000_000, 0.3, named_to_founder=True
            ),
            DemoCommitment(
                "geir.mathisen@demo.banofoten.no",
                3_000_000,
                0.5,
                conditions="Avhengig av at Ingvild Berg leder runden.",
            ),
            DemoCommitment("tor.haugen@demo.banofoten.no", 1_000_000, 0.7, named_to_founder=True),
            DemoCommitment("maria.eriksen@demo.banofoten.no", 600_000, 0.85),
        ),
    ),
    DemoRound(
        company="Malmbanen Logistikk-IT AS",
        title="Sanntidssporing av gods på Ofotbanen",
        state=RoundState.FUNDED,
        after=Status.PITCHED,
        lead="arne.pettersen@demo.banofoten.no",
        commitments=(
            DemoCommitment(
                "arne.pettersen@demo.banofoten.no",
                1_000_000,
                0.1,
                conditions="Ønsker styreplass og kvartalsvis rapportering.",
                would_lead=True,
                named_to_founder=True,
            ),
            DemoCommitment("investor@demo.banofoten.no", 500_000, 0.25, named_to_founder=True),
            DemoCommitment("ingvild.berg@demo.banofoten.no", 500_000, 0.45),
        ),
        raised=3_000_000,
        pre_money=15_000_000,
        investments=(
            DemoInvestment(1_000_000, investor="arne.pettersen@demo.banofoten.no"),
            DemoInvestment(500_000, investor="investor@demo.banofoten.no"),
            DemoInvestment(400_000, investor="ingvild.berg@demo.banofoten.no"),
            DemoInvestment(600_000, outside_name="Beisfjord Kapital AS"),
            DemoInvestment(500_000, outside_name="Ankenes Næringsfond AS"),
        ),
        reports=(
            DemoReport(
                1,
                4,
                7.0,
                2_900_000,
                "Integrasjonen med malmterminalen i Narvik er i drift, og vi har ansatt "
                "en salgsansvarlig med base i Kiruna.",
            ),
            DemoReport(
                2,
                12,
                8.5,
                3_700_000,
                "Oppgitt på telefon: to nye kunder i Sverige og en utvikler ansatt. "
                "Registrert av BAN Ofoten fordi gründeren var på reise.",
                on_behalf=True,
            ),
            DemoReport(
                3,
                6,
                10.0,
                5_100_000,
                "Luleå havn er blitt kunde. Vi har åpnet et lite kontor i Kiruna med to ansatte.",
            ),
            DemoReport(
                4,
                6,
                12.5,
                6_800_000,
                "Lån på 2 mill. kr fra Innovasjon Norge til en prognosemodul. Ti kunder, "
                "årlig gjentakende inntekt 6,1 mill. kr.",
                capital_since=2_000_000,
            ),
        ),
    ),
    DemoRound(
        company="Evenes Kjølefrakt AS",
        title="Kjølt flyfrakt av fersk sjømat fra Evenes",
        state=RoundState.NOT_FUNDED,
        after=Status.PITCHED,
        commitments=(
            DemoCommitment(
                "arne.pettersen@demo.banofoten.no",
                4_000_000,
                0.2,
                conditions="Forutsetter en signert avtale med et flyselskap om fraktruten.",
                would_lead=True,
                named_to_founder=True,
            ),
            DemoCommitment(
                "erik.johansen@demo.banofoten.no", 3_000_000, 0.35, named_to_founder=True
            ),
            DemoCommitment("geir.mathisen@demo.banofoten.no", 5_000_000, 0.5, withdrawn_at=0.75),
            DemoCommitment("kristin.nilsen@demo.banofoten.no", 1_500_000, 0.6),
        ),
        closed_at=0.8,
        close_reason=CloseReason.POSTPONED,
        close_words=(
            "Flyselskapet vil ikke binde seg til fraktruten før terminalen er finansiert, "
            "og investorene vil se ruten på plass først. Vi åpner en ny runde når vi har "
            "en signert avtale om ruten."
        ),
    ),
)


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day if it has no such day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _user(email: str) -> User:
    user = find_by_email(email)
    if user is None:
        raise LookupError(f"demo rounds need the user {email}: load the demo users and investors")
    return user


def _proposal(spec: DemoRound) -> Proposal | None:
    proposal: Proposal | None = db.session.scalar(
        select(Proposal)
        .join(Company, Company.id == Proposal.company_id)
        .where(Company.name == spec.company, Proposal.title == spec.title)
    )
    return proposal


def _step(proposal: Proposal, status: Status) -> ProposalEvent | None:
    """The proposal's last step to ``status`` on its timeline."""
    steps = [e for e in proposal.events if e.to_status is status]
    return max(steps, key=lambda e: e.at) if steps else None


def _fits(spec: DemoRound, proposal: Proposal) -> bool:
    """Whether the proposal is (still) where the round's story needs it."""
    if spec.state is RoundState.FUNDED:
        return proposal.status is Status.FUNDED and _step(proposal, Status.FUNDED) is not None
    return proposal.status in MAY_COMMIT


def _at(start: datetime, end: datetime, share: float) -> datetime:
    return start + (end - start) * share


def _day(moment: datetime) -> date:
    return in_oslo(moment).date()


def load_rounds(now: datetime | None = None) -> list[Round]:
    """Create the demo rounds that are missing. Flushes, never commits.

    Needs the demo proposals, users and investors (``services.load`` loads
    them first).
    """
    now = now or utcnow()
    organiser = _user(ORGANISER)
    made = []
    for spec in ROUNDS:
        proposal = _proposal(spec)
        if proposal is None or not _fits(spec, proposal):
            continue
        if db.session.scalar(select(Round.id).where(Round.proposal_id == proposal.id)):
            continue
        after = _step(proposal, spec.after)
        if after is None:
            continue
        made.append(_round(spec, proposal, after.at, now, organiser))
    db.session.flush()
    return made


def _round(
    spec: DemoRound, proposal: Proposal, after: datetime, now: datetime, organiser: User
) -> Round:
    founder = proposal.company.owner
    funded = _step(proposal, Status.FUNDED) if spec.state is RoundState.FUNDED else None
    if funded is not None:
        end = funded.at
    elif spec.state is RoundState.NOT_FUNDED:
        end = _at(after, now, spec.closed_at)
    else:
        end = now - timedelta(hours=1)
    opened = _at(after, end, OPENS_AT)
    round_ = Round(
        proposal=proposal,
        state=spec.state,
        target=proposal.ask,
        min_ticket=proposal.min_ticket,
        instrument=proposal.instrument,
        totals_visible=spec.totals_visible,
        opened_at=opened,
        opened_by_id=(founder if spec.opened_by_founder else organiser).id,
    )
    db.session.add(round_)
    round_.target_reached_at = _commitments(round_, spec.commitments, opened, end)
    if spec.lead is not None:
        round_.lead_id = _user(spec.lead).id
        round_.lead_chosen_at = _at(opened, end, 0.9)
        round_.lead_agreed_at = _at(opened, end, 0.95)
        round_.lead_agreed_by_id = founder.id
    if spec.state is RoundState.OPEN:
        round_.closes_on = _day(now) + timedelta(days=spec.closes_in_days or 30)
    elif funded is not None:
        round_.closes_on = round_.funded_on = _day(end)
        round_.closed_at = end
        round_.closed_by_id = funded.actor_id
        round_.raised = spec.raised
        round_.pre_money = spec.pre_money
        for position, investment in enumerate(spec.investments):
            round_.investments.append(
                Investment(
                    investor_id=_user(investment.investor).id if investment.investor else None,
                    outside_name=investment.outside_name,
                    amount=investment.amount,
                    position=position,
                )
            )
        _reports(proposal, _day(end), spec.reports, now, founder, organiser)
    else:
        round_.closes_on = _day(end) - timedelta(days=2)
        round_.closed_at = end
        round_.closed_by_id = founder.id
        round_.close_reason = spec.close_reason
        round_.close_words = spec.close_words
    return round_


def _commitments(
    round_: Round, specs: Sequence[DemoCommitment], opened: datetime, end: datetime
) -> datetime | None:
    """Add the commitments; return when the active ones first reached the target."""
    reached = None
    events: list[tuple[datetime, int]] = []
    for spec in specs:
        at = _at(opened, end, spec.at)
        withdrawn = None if spec.withdrawn_at is None else _at(opened, end, spec.withdrawn_at)
        round_.commitments.append(
            Commitment(
                investor_id=_user(spec.investor).id,
                amount=spec.amount,
                conditions=spec.conditions,
                would_lead=spec.would_lead,
                named_to_founder=spec.named_to_founder,
                created_at=at,
                updated_at=withdrawn or at,
                withdrawn_at=withdrawn,
            )
        )
        events.append((at, spec.amount))
        if withdrawn is not None:
            events.append((withdrawn, -spec.amount))
    total = 0
    for at, change in sorted(events):
        total += change
        if reached is None and total >= round_.target:
            reached = at
    return reached


def _reports(
    proposal: Proposal,
    funded_on: date,
    specs: Sequence[DemoReport],
    now: datetime,
    founder: User,
    organiser: User,
) -> None:
    """The six-monthly requests that have fallen due, and the reports filed since."""
    today = _day(now)
    for spec in specs:
        due = months_after(funded_on, 6 * spec.period)
        if due >= today:
            continue
        request = ReportRequest(
            proposal=proposal,
            period=spec.period,
            due_on=due,
            sent_at=datetime.combine(due, time(7, 0), tzinfo=OSLO),
        )
        db.session.add(request)
        as_of = due + timedelta(days=spec.days_late)
        if as_of >= today:
            continue  # asked, not yet answered
        db.session.add(
            ResultReport(
                proposal=proposal,
                request=request,
                as_of=as_of,
                employees=spec.employees,
                revenue_12m=spec.revenue_12m,
                capital_since=spec.capital_since,
                words=spec.words,
                entered_by_id=(organiser if spec.on_behalf else founder).id,
                on_behalf=spec.on_behalf,
                created_at=datetime.combine(as_of, time(10, 0), tzinfo=OSLO),
            )
        )
