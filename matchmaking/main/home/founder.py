"""The founder's home: each proposal with its lifecycle, its one next step,
the investors' interest in it; and the introductions awaiting an answer.

The next step is the most pressing thing the founder can do for the
proposal, in this order: an invitation to pitch to answer (before the reply
deadline), investors asking to meet, then what the proposal's status asks
for (what is missing before submitting; "Apply to pitch at Springbrett
<day>" once accepted, with the button; and so on). Once the reply deadline has
passed the invitation says so, and that it can still be answered until the
session starts (:func:`matchmaking.events.lineup.services.answer` takes
answers until then).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask import render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from matchmaking.accounts.models import User
from matchmaking.dates import day, when
from matchmaking.events.models import Event, EventCandidate, EventStatus, InvitationStatus
from matchmaking.extensions import db, utcnow
from matchmaking.formtools import ConfirmActionForm
from matchmaking.introductions import services as introductions
from matchmaking.introductions.models import Introduction, IntroductionStatus
from matchmaking.matches.stats import FounderStats, founder_stats
from matchmaking.proposals import services as proposals
from matchmaking.proposals.lifecycle import MAY_APPLY, OPEN_TO_INVESTORS
from matchmaking.proposals.models import Company, Proposal, Status
from matchmaking.results import access as results_access
from matchmaking.results import services as results
from matchmaking.rounds import services as rounds
from matchmaking.rounds.services import Totals

S = Status


@dataclass(frozen=True)
class NextStep:
    """One thing to do, in words; with a link, or the button to apply to a session."""

    text: str
    link: str | None = None
    link_text: str | None = None
    #: "Apply to pitch": the session to apply to (a POST button on the page).
    apply_to: Event | None = None


@dataclass(frozen=True)
class ProposalCard:
    proposal: Proposal
    next_step: NextStep
    #: The investors' interest (None for a proposal they do not see).
    stats: FounderStats | None
    #: Introductions awaiting the founder's answer on this proposal.
    waiting: int
    #: The open round's total against its target (None: no open round).
    round: Totals | None = None


def _upcoming(now: datetime) -> list[Event]:
    """Published sessions not yet started, soonest first."""
    return list(
        db.session.scalars(
            select(Event)
            .where(Event.status == EventStatus.PUBLISHED, Event.starts_at > now)
            .order_by(Event.starts_at, Event.id)
        )
    )


def _candidacies(proposal_ids: list[int]) -> dict[int, list[EventCandidate]]:
    if not proposal_ids:
        return {}
    found: dict[int, list[EventCandidate]] = {}
    for candidate in db.session.scalars(
        select(EventCandidate)
        .join(Event, Event.id == EventCandidate.event_id)
        .where(
            EventCandidate.proposal_id.in_(proposal_ids),
            Event.status == EventStatus.PUBLISHED,
        )
        .order_by(Event.starts_at, Event.id)
    ):
        found.setdefault(candidate.proposal_id, []).append(candidate)
    return found


def _session_link(event: Event) -> str:
    return url_for("events.show", event_id=event.id)


def _springbrett_step(
    proposal: Proposal, candidacies: list[EventCandidate], upcoming: list[Event], now: datetime
) -> NextStep:
    """An accepted (or pitching) proposal: where it stands with the sessions."""
    for c in candidacies:
        if c.event.starts_at <= now:
            continue
        if c.invitation is InvitationStatus.ACCEPTED and c.pitching:
            return NextStep(
                _(
                    "You pitch at %(title)s on %(when)s. Choose the investors you want to meet.",
                    title=c.event.title,
                    when=when(c.event.starts_at),
                ),
                url_for("events.meetings", event_id=c.event_id),
                _("Choose whom to meet"),
            )
        if c.invitation is None:
            return NextStep(
                _(
                    "You have applied to pitch at %(title)s (%(day)s). "
                    "The organisers choose the line-up; you get an e-mail.",
                    title=c.event.title,
                    day=day(c.event.starts_at),
                ),
                _session_link(c.event),
                _("See the session"),
            )
    if proposal.status in MAY_APPLY:
        taken = {c.event_id for c in candidacies}
        for event in upcoming:
            if event.id not in taken and event.lineup_published_at is None:
                return NextStep(
                    _("Apply to pitch at Springbrett %(day)s.", day=day(event.starts_at)),
                    _session_link(event),
                    _("About the session"),
                    apply_to=event,
                )
        return NextStep(
            _(
                "Your proposal is accepted. You can apply to pitch when the next "
                "Springbrett session is announced."
            )
        )
    return NextStep(
        _("Investors can follow up your proposal: answer them when they ask to meet you.")
    )


def next_step(
    proposal: Proposal,
    candidacies: list[EventCandidate],
    upcoming: list[Event],
    waiting: int,
    now: datetime,
) -> NextStep:
    """The one next step for ``proposal``, in words (see the module's docstring)."""
    for c in candidacies:
        if c.invitation is InvitationStatus.INVITED and c.pitching and c.event.starts_at > now:
            reply_by = c.event.reply_by
            if reply_by is None:
                text = _("Answer the invitation to pitch at %(title)s.", title=c.event.title)
            elif reply_by > now:
                text = _(
                    "Answer the invitation to pitch at %(title)s before %(deadline)s.",
                    title=c.event.title,
                    deadline=when(reply_by),
                )
            else:  # answers are taken until the session starts (lineup.services.answer)
                text = _(
                    "The reply deadline for the invitation to pitch at %(title)s, %(deadline)s,"
                    " has passed. You can still answer until the session starts: answer now,"
                    " so the organisers can plan.",
                    title=c.event.title,
                    deadline=when(reply_by),
                )
            link = url_for("events.show", event_id=c.event_id, _anchor="lineup-heading")
            return NextStep(text, link, _("Answer the invitation"))
    if waiting:
        return NextStep(
            _("Investors waiting for your answer to an introduction: %(n)d.", n=waiting),
            url_for("introductions.index"),
            _("Answer the introduction requests"),
        )
    status = proposal.status
    detail = url_for("proposals.detail", proposal_id=proposal.id)
    edit = url_for("proposals.edit", proposal_id=proposal.id)
    if status in (S.DRAFT, S.CHANGES_REQUESTED):
        missing = proposals.missing_for_submission(proposal)
        if missing:
            return NextStep(
                _("Before you submit, add %(missing)s.", missing=", ".join(missing)),
                edit,
                _("Edit the proposal and the deck"),
            )
        if status is S.CHANGES_REQUESTED:
            return NextStep(
                _("Make the changes the organisers asked for, then submit again."),
                detail,
                _("See what they asked for"),
            )
        return NextStep(
            _("Your proposal is complete: submit it to BAN Ofoten."),
            detail,
            _("Submit the proposal"),
        )
    if status in (S.SUBMITTED, S.RESUBMITTED, S.IN_SCREENING):
        return NextStep(
            _("The organisers are screening your proposal. You get an e-mail when they decide.")
        )
    if status in (S.ACCEPTED, S.PITCHED, S.IN_DIALOGUE):
        if status is S.IN_DIALOGUE and not any(
            c.event.starts_at > now and c.pitching for c in candidacies
        ):
            if rounds.open_round(proposal) is not None:
                return NextStep(
                    _(
                        "You are in dialogue with investors and your funding round is open."
                        " When the investment is agreed, record the outcome on the round page."
                    ),
                    url_for("rounds.show", proposal_id=proposal.id),
                    _("See the round"),
                )
            return NextStep(
                _(
                    "You are in dialogue with investors. Open a funding round to gather"
                    " soft commitments; when the investment is agreed, record its outcome there."
                ),
                url_for("rounds.new", proposal_id=proposal.id),
                _("Open a round"),
            )
        return _springbrett_step(proposal, candidacies, upcoming, now)
    if status is S.FUNDED:
        return _funded_step(proposal)
    if status is S.DECLINED:
        return NextStep(
            _("The organisers declined this proposal; the reason is on its page."),
            detail,
            _("See the reason"),
        )
    if status is S.WITHDRAWN:
        return NextStep(_("You withdrew this proposal. You can write a new one."))
    return NextStep(_("This proposal is closed."))


def _funded_step(proposal: Proposal) -> NextStep:
    """A funded proposal: the follow-up report BAN Ofoten asked for, if any."""
    if not results_access.is_funded(proposal):
        return NextStep(_("Funded. Congratulations: nothing more to do here."))
    request = results.open_request(proposal)
    if request is not None:
        return NextStep(
            _("BAN Ofoten asks for the follow-up report due %(day)s.", day=day(request.due_on)),
            url_for("results.new", proposal_id=proposal.id),
            _("Report how the company is doing"),
        )
    return NextStep(
        _(
            "Funded. Congratulations! BAN Ofoten asks for a short follow-up report "
            "every six months; you can also report at any time."
        ),
        url_for("results.history", proposal_id=proposal.id),
        _("See the follow-up reports"),
    )


def _proposals(user: User) -> list[Proposal]:
    return list(
        db.session.scalars(
            select(Proposal)
            .join(Company, Company.id == Proposal.company_id)
            .where(Company.owner_id == user.id)
            .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        )
    )


def cards(user: User, now: datetime | None = None) -> list[ProposalCard]:
    """Every proposal of ``user``, newest first, with its next step and figures."""
    now = now or utcnow()
    own = _proposals(user)
    candidacies = _candidacies([p.id for p in own])
    upcoming = _upcoming(now)
    waiting = Counter(i.proposal_id for i in introductions.for_founder(user) if _awaits_answer(i))
    return [
        ProposalCard(
            proposal=p,
            next_step=next_step(p, candidacies.get(p.id, []), upcoming, waiting[p.id], now),
            stats=founder_stats(p) if p.status in OPEN_TO_INVESTORS else None,
            waiting=waiting[p.id],
            round=_open_round_totals(p),
        )
        for p in own
    ]


def _open_round_totals(proposal: Proposal) -> Totals | None:
    opened = rounds.open_round(proposal)
    return rounds.totals(opened) if opened is not None else None


def _awaits_answer(introduction: Introduction) -> bool:
    return introduction.status is IntroductionStatus.REQUESTED


def page() -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    pending = [i for i in introductions.for_founder(user) if _awaits_answer(i)]
    return render_template(
        "main/home/founder.html",
        cards=cards(user),
        pending=pending,
        investor_cards={i.id: introductions.investor_card(i.investor) for i in pending},
        has_company=db.session.scalar(select(Company.id).where(Company.owner_id == user.id))
        is not None,
        apply_form=ConfirmActionForm(),
    )
