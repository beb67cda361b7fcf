"""Every e-mail a funding round sends, each in its recipient's language.

Sent through the outbox, so they leave after the request's commit and only
if it commits. Each function says who is told.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from matchmaking.accounts.models import Role, User
from matchmaking.extensions import db
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.mail import absolute_url, send_to
from matchmaking.rounds.models import CloseReason, Commitment, Round


def organisers() -> list[User]:
    """Every active organiser with a confirmed address, by id."""
    query = select(User).where(
        User.role == Role.ORGANISER,
        User.disabled_at.is_(None),
        User.email_confirmed_at.is_not(None),
    )
    return list(db.session.scalars(query.order_by(User.id)))


def concerned(round_: Round) -> list[User]:
    """Everyone a round's news is for: the founder, the investors with an
    active commitment, and the organisers (each once)."""
    people: dict[int, User] = {}
    founder = round_.proposal.company.owner
    people[founder.id] = founder
    for commitment in round_.commitments:
        if commitment.is_active:
            people.setdefault(commitment.investor.id, commitment.investor)
    for organiser in organisers():
        people.setdefault(organiser.id, organiser)
    return list(people.values())


def target_reached(round_: Round, total: int) -> None:
    """Everyone concerned: the commitments have reached the round's target."""
    link = absolute_url("rounds.show", proposal_id=round_.proposal_id)
    title = round_.proposal.title
    for person in concerned(round_):
        send_to(
            person,
            _l("The round for “%(title)s” has reached its target", title=title),
            "round_target_reached",
            user=person,
            round=round_,
            proposal=round_.proposal,
            total=total,
            link=link,
        )


def lead_proposed(round_: Round, lead: User) -> None:
    """The founder: the organisers propose ``lead`` as lead investor; agree on the round page."""
    founder = round_.proposal.company.owner
    title = round_.proposal.title
    send_to(
        founder,
        _l(
            "%(name)s is proposed as lead investor for “%(title)s”",
            name=lead.name,
            title=title,
        ),
        "round_lead_proposed",
        user=founder,
        lead=lead,
        proposal=round_.proposal,
        link=absolute_url("rounds.show", proposal_id=round_.proposal_id),
    )


def lead_agreed(round_: Round, lead: User) -> None:
    """The chosen ``lead``: the founder has agreed that they lead the round."""
    send_to(
        lead,
        _l("You lead the round for “%(title)s”", title=round_.proposal.title),
        "round_lead_agreed",
        user=lead,
        proposal=round_.proposal,
        company=round_.proposal.company,
        link=absolute_url("rounds.show", proposal_id=round_.proposal_id),
    )


#: Why a round closed without funding, in words (the close form and its e-mails).
REASON_LABELS: dict[CloseReason, Any] = {
    CloseReason.TOO_LITTLE_INTEREST: _l("Too little interest from investors"),
    CloseReason.TERMS_NOT_AGREED: _l("The terms could not be agreed"),
    CloseReason.OTHER_FUNDING: _l("The company found other funding"),
    CloseReason.COMPANY_STOPPED: _l("The company stopped or changed course"),
    CloseReason.POSTPONED: _l("The round is postponed"),
    CloseReason.OTHER: _l("Another reason"),
}


def reason_label(reason: CloseReason | None) -> str:
    """The reason in words, in the current language ("" when none)."""
    return str(REASON_LABELS[reason]) if reason is not None else ""


def round_funded(round_: Round, not_invested: list[Commitment]) -> None:
    """A funded close: the founder is congratulated (amount, date); each network
    investor who invested is thanked; investors who committed but did not
    invest are told the round has closed."""
    link = absolute_url("rounds.show", proposal_id=round_.proposal_id)
    proposal = round_.proposal
    founder = proposal.company.owner
    send_to(
        founder,
        _l("Congratulations: “%(title)s” is funded", title=proposal.title),
        "round_funded_founder",
        user=founder,
        round=round_,
        proposal=proposal,
        link=link,
    )
    for investment in round_.investments:
        if investment.investor is None:
            continue
        send_to(
            investment.investor,
            _l("Thank you for investing in “%(title)s”", title=proposal.title),
            "round_funded_investor",
            user=investment.investor,
            round=round_,
            proposal=proposal,
            investment=investment,
            link=link,
        )
    for commitment in not_invested:
        send_to(
            commitment.investor,
            _l("The round for “%(title)s” has closed", title=proposal.title),
            "round_closed_committed",
            user=commitment.investor,
            round=round_,
            proposal=proposal,
            commitment=commitment,
            link=link,
        )


def round_not_funded(round_: Round) -> None:
    """A close without funding: the founder and the investors with an active
    commitment are told, with the reason."""
    link = absolute_url("rounds.show", proposal_id=round_.proposal_id)
    proposal = round_.proposal
    people = [proposal.company.owner] + [c.investor for c in round_.commitments if c.is_active]
    for person in people:
        send_to(
            person,
            _l("The round for “%(title)s” closed without funding", title=proposal.title),
            "round_not_funded",
            user=person,
            round=round_,
            proposal=proposal,
            founder=person.id == proposal.company.owner_id,
            reason=REASON_LABELS[round_.close_reason] if round_.close_reason else "",
            link=link,
        )


def closing_soon(round_: Round) -> list[User]:
    """Everyone concerned: the round's closing date is near (or has passed
    while the round is still open). Returns who was told."""
    link = absolute_url("rounds.show", proposal_id=round_.proposal_id)
    people = concerned(round_)
    for person in people:
        send_to(
            person,
            _l("The round for “%(title)s” closes soon", title=round_.proposal.title),
            "round_closing_soon",
            user=person,
            round=round_,
            proposal=round_.proposal,
            link=link,
        )
    return people
