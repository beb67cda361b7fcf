"""Introductions between an approved investor and a proposal's founder.

The flow: an approved investor who may read a proposal's confidential part
asks for an introduction with a message (``request_introduction``); the
founder is e-mailed the investor's display name, organisation and message,
never their e-mail address or phone. The founder accepts or declines
(``accept`` / ``decline``), optionally with an answer. On accept both sides
receive the other's contact details by e-mail, each in their own language,
and the proposal moves to "in dialogue" (``enter_dialogue``). On decline the
investor is told politely, without contact details.

One request per investor and proposal (a second is refused). Functions
flush, never commit; the view commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import force_locale
from sqlalchemy import ColumnElement, case, func, select

from matchmaking.accounts.models import User
from matchmaking.db_utils import unique_or
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.introductions.models import Introduction, IntroductionStatus
from matchmaking.investors.models import InvestorProfile
from matchmaking.mail import absolute_url, send_to
from matchmaking.proposals.lifecycle import OPEN_TO_INVESTORS
from matchmaking.proposals.models import Company, Proposal
from matchmaking.proposals.services import (
    can_see_confidential,
    enter_dialogue,
    is_owner,
)

#: The most characters a request message or a founder's answer may have.
MESSAGE_MAX = 2000


class IntroductionError(Exception):
    """A rule of introductions was broken; the message is for the user."""


@dataclass(frozen=True)
class InvestorCard:
    """How an investor is presented to a founder before any contact is shared."""

    name: str
    organisation: str | None


def investor_card(investor: User) -> InvestorCard:
    """The investor's display name and organisation (from the interest profile,
    else the account name); never the e-mail address or phone."""
    profile = db.session.scalar(
        select(InvestorProfile).where(InvestorProfile.user_id == investor.id)
    )
    if profile is None:
        return InvestorCard(investor.name, None)
    return InvestorCard(profile.display_name or investor.name, profile.organisation or None)


@dataclass(frozen=True)
class Contact:
    """The other party's contact details, shown once an introduction is accepted."""

    name: str
    organisation: str | None
    person: str | None
    email: str
    phone: str | None


def shared_contact(user: User, introduction: Introduction) -> Contact | None:
    """The other party's contact details for ``user``, when ``introduction`` is
    accepted and ``user`` is one of its two parties: the founder gets the
    investor's (as in the e-mail: name, organisation, e-mail address), the
    investor the company's contact person, e-mail and phone. Anyone else, and
    anyone before the founder accepts, gets None."""
    if introduction.status is not IntroductionStatus.ACCEPTED or not user.is_authenticated:
        return None
    if introduction.investor_id == user.id:
        company: Company = introduction.proposal.company
        return Contact(
            company.name, None, company.contact_name, company.contact_email, company.contact_phone
        )
    if is_owner(user, introduction.proposal):
        card = investor_card(introduction.investor)
        return Contact(card.name, card.organisation, None, introduction.investor.email, None)
    return None


def can_request(user: User, proposal: Proposal) -> bool:
    """An approved investor who may read the confidential part of an open proposal."""
    return bool(
        user.is_authenticated
        and user.is_approved_investor
        and proposal.status in OPEN_TO_INVESTORS
        and can_see_confidential(user, proposal)
    )


def existing_request(investor: User, proposal: Proposal) -> Introduction | None:
    return db.session.scalar(
        select(Introduction).where(
            Introduction.investor_id == investor.id, Introduction.proposal_id == proposal.id
        )
    )


def _clean(text: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise IntroductionError(str(_l("Write a message to the founder.")))
    if len(text) > MESSAGE_MAX:
        raise IntroductionError(str(_l("At most %(max)d characters, please.", max=MESSAGE_MAX)))
    return text


def request_introduction(investor: User, proposal: Proposal, message: str) -> Introduction:
    """Record ``investor``'s request and e-mail the founder (without the
    investor's contact details).

    Raises IntroductionError when the investor may not ask for this proposal,
    the message is empty or too long, or they have asked before.
    """
    if not can_request(investor, proposal):
        raise IntroductionError(str(_l("You cannot ask for an introduction to this proposal.")))
    message = _clean(message, required=True)
    if existing_request(investor, proposal) is not None:
        raise IntroductionError(
            str(_l("You have already asked for an introduction to this proposal."))
        )
    introduction = Introduction(
        investor_id=investor.id,
        proposal_id=proposal.id,
        message=message,
        status=IntroductionStatus.REQUESTED,
        created_at=utcnow(),
    )
    # Two requests at once: the unique constraint decides.
    with unique_or(
        lambda: IntroductionError(
            str(_l("You have already asked for an introduction to this proposal."))
        )
    ):
        db.session.add(introduction)
    founder = proposal.company.owner
    card = investor_card(investor)
    send_to(
        founder,
        _l("An investor asks to meet you about “%(title)s”", title=proposal.title),
        "introduction_request",
        founder=founder,
        proposal=proposal,
        investor=card,
        message=message,
        link=absolute_url("introductions.index"),
    )
    return introduction


def _decide(introduction: Introduction, founder: User, answer: str) -> str:
    if not is_owner(founder, introduction.proposal):
        raise IntroductionError(str(_l("Only the founder can answer this request.")))
    # Lock the row, so that two answers at once cannot both go through.
    db.session.refresh(introduction, with_for_update=True)
    if introduction.status is not IntroductionStatus.REQUESTED:
        raise IntroductionError(str(_l("This request has already been answered.")))
    investor = introduction.investor
    if not investor.is_approved_investor or investor.disabled_at is not None:
        raise IntroductionError(
            str(
                _l(
                    "This investor is no longer approved by BAN Ofoten, so the request cannot be answered."
                )
            )
        )
    return _clean(answer, required=False)


def accept(introduction: Introduction, founder: User, answer: str = "") -> Introduction:
    """The founder accepts: both sides get the other's contact details by
    e-mail and the proposal moves to "in dialogue"."""
    answer = _decide(introduction, founder, answer)
    introduction.status = IntroductionStatus.ACCEPTED
    introduction.answer = answer
    introduction.decided_at = utcnow()
    proposal = introduction.proposal
    investor = introduction.investor
    card = investor_card(investor)
    with force_locale(founder.locale):
        comment = str(_l("Accepted an introduction to %(name)s.", name=card.name))
    enter_dialogue(proposal, founder, comment)
    db.session.flush()
    company: Company = proposal.company
    send_to(
        investor,
        _l("Introduction accepted: “%(title)s”", title=proposal.title),
        "introduction_accepted_investor",
        investor=investor,
        proposal=proposal,
        company=company,
        answer=answer,
        link=absolute_url("introductions.index"),
    )
    send_to(
        founder,
        _l("Contact details for your introduction: “%(title)s”", title=proposal.title),
        "introduction_accepted_founder",
        founder=founder,
        proposal=proposal,
        investor=card,
        investor_email=investor.email,
        link=absolute_url("introductions.index"),
    )
    return introduction


def decline(introduction: Introduction, founder: User, answer: str = "") -> Introduction:
    """The founder declines: the investor is told politely, without contact details."""
    answer = _decide(introduction, founder, answer)
    introduction.status = IntroductionStatus.DECLINED
    introduction.answer = answer
    introduction.decided_at = utcnow()
    db.session.flush()
    investor = introduction.investor
    send_to(
        investor,
        _l("Answer to your introduction request: “%(title)s”", title=introduction.proposal.title),
        "introduction_declined",
        investor=investor,
        proposal=introduction.proposal,
        answer=answer,
        link=absolute_url("introductions.index"),
    )
    return introduction


def _pending_first() -> tuple[ColumnElement[Any], ...]:
    return (
        case((Introduction.status == IntroductionStatus.REQUESTED, 0), else_=1),
        Introduction.created_at.desc(),
        Introduction.id.desc(),
    )


def for_founder(founder: User) -> list[Introduction]:
    """Requests for ``founder``'s proposals, those awaiting an answer first, newest first."""
    return list(
        db.session.scalars(
            select(Introduction)
            .join(Proposal, Proposal.id == Introduction.proposal_id)
            .join(Company, Company.id == Proposal.company_id)
            .where(Company.owner_id == founder.id)
            .order_by(*_pending_first())
        )
    )


def for_investor(investor: User) -> list[Introduction]:
    """``investor``'s own requests, those awaiting an answer first, newest first."""
    return list(
        db.session.scalars(
            select(Introduction)
            .where(Introduction.investor_id == investor.id)
            .order_by(*_pending_first())
        )
    )


def founder_introduction(founder: User, introduction_id: int) -> Introduction | None:
    """The introduction if it concerns one of ``founder``'s proposals, else None."""
    introduction = db.session.get(Introduction, introduction_id)
    if introduction is None or not is_owner(founder, introduction.proposal):
        return None
    return introduction


def open_count(user: User) -> int:
    """Requests awaiting an answer: for a founder, on their proposals; for an
    approved investor, their own; 0 for anyone else."""
    if not user.is_authenticated:
        return 0
    query = select(func.count(Introduction.id)).where(
        Introduction.status == IntroductionStatus.REQUESTED
    )
    if user.is_entrepreneur:
        query = (
            query.join(Proposal, Proposal.id == Introduction.proposal_id)
            .join(Company, Company.id == Proposal.company_id)
            .where(Company.owner_id == user.id)
        )
    elif user.is_approved_investor:
        query = query.where(Introduction.investor_id == user.id)
    else:
        return 0
    return int(db.session.scalar(query) or 0)


#: An open request older than this is "waiting long": the organisers' home and
#: menu count them (docs/organiser-home.md).
WAITING_LONG = timedelta(days=7)


def _waiting_since(now: datetime | None) -> datetime:
    return (now or utcnow()) - WAITING_LONG


def open_requests(*, long_only: bool = False, now: datetime | None = None) -> list[Introduction]:
    """Every request still awaiting the founder's answer, oldest first (for
    organisers); with ``long_only``, those asked more than :data:`WAITING_LONG` ago."""
    query = select(Introduction).where(Introduction.status == IntroductionStatus.REQUESTED)
    if long_only:
        query = query.where(Introduction.created_at < _waiting_since(now))
    return list(db.session.scalars(query.order_by(Introduction.created_at, Introduction.id)))


def waiting_long_count(now: datetime | None = None) -> int:
    """How many requests have waited more than :data:`WAITING_LONG` for an answer."""
    query = select(func.count(Introduction.id)).where(
        Introduction.status == IntroductionStatus.REQUESTED,
        Introduction.created_at < _waiting_since(now),
    )
    return int(db.session.scalar(query) or 0)
