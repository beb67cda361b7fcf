"""Every e-mail a funding round sends, each in its recipient's language.

Sent through the outbox, so they leave after the request's commit and only
if it commits. Each function says who is told.
"""

from __future__ import annotations

from sqlalchemy import select

from matchmaking.accounts.models import Role, User
from matchmaking.extensions import db
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.mail import absolute_url, send_to
from matchmaking.rounds.models import Round


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
