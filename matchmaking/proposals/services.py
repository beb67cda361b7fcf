"""Proposal rules: who may see and do what, and the lifecycle.

The lifecycle (``TRANSITIONS``), with who may make each move:

    draft ──submit──▶ submitted ──▶ in_screening ──▶ accepted ──▶ pitched ──▶ in_dialogue ──▶ closed
                         │   ▲           │   │            │                       │
                         │   └resubmitted◀┐  └▶ declined (with a reason)          └▶ closed
                         └──▶ changes_requested (organiser, with a reason)
    withdrawn: the founder, from any state before funded (and not from closed/declined).
    funded: from accepted, pitched or in_dialogue, only by recording a funded
    round (``record_funded``, called by the round's close).

Every move records who, when and a comment (``ProposalEvent``); the founder
gets an e-mail for each move an organiser makes (a decision named in its
subject) and a receipt for each submission and resubmission
(docs/notifications.md). Functions flush, never
commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from matchmaking.accounts.models import Role, User
from matchmaking.db_utils import unique_or
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.mail import absolute_url, send_to
from matchmaking.proposals.lifecycle import DIALOGUE_FROM, HIDDEN_FROM_INVESTORS, MAY_COMMIT
from matchmaking.proposals.models import (
    Company,
    Instrument,
    Proposal,
    ProposalEvent,
    Status,
    TeamMember,
)
from matchmaking.proposals.signals import company_moved, proposal_status_changed


class TransitionError(Exception):
    """A move the lifecycle does not allow; the message says why."""


class ProposalError(Exception):
    """A rule of the company or proposal was broken; the message is for the user."""


@dataclass(frozen=True)
class Move:
    to: Status
    by: Role
    needs_reason: bool = False
    notify: bool = False


S = Status
FOUNDER, ORGANISER = Role.ENTREPRENEUR, Role.ORGANISER

TRANSITIONS: dict[Status, tuple[Move, ...]] = {
    S.DRAFT: (Move(S.SUBMITTED, FOUNDER),),
    S.SUBMITTED: (
        Move(S.IN_SCREENING, ORGANISER, notify=True),
        Move(S.CHANGES_REQUESTED, ORGANISER, needs_reason=True, notify=True),
        Move(S.ACCEPTED, ORGANISER, notify=True),
        Move(S.DECLINED, ORGANISER, needs_reason=True, notify=True),
    ),
    S.IN_SCREENING: (
        Move(S.CHANGES_REQUESTED, ORGANISER, needs_reason=True, notify=True),
        Move(S.ACCEPTED, ORGANISER, notify=True),
        Move(S.DECLINED, ORGANISER, needs_reason=True, notify=True),
    ),
    S.CHANGES_REQUESTED: (Move(S.RESUBMITTED, FOUNDER),),
    S.RESUBMITTED: (
        Move(S.IN_SCREENING, ORGANISER, notify=True),
        Move(S.CHANGES_REQUESTED, ORGANISER, needs_reason=True, notify=True),
        Move(S.ACCEPTED, ORGANISER, notify=True),
        Move(S.DECLINED, ORGANISER, needs_reason=True, notify=True),
    ),
    S.ACCEPTED: (
        Move(S.PITCHED, ORGANISER, notify=True),
        Move(S.IN_DIALOGUE, ORGANISER, notify=True),
    ),
    S.PITCHED: (
        Move(S.IN_DIALOGUE, ORGANISER, notify=True),
        Move(S.CLOSED, ORGANISER, notify=True),
    ),
    # Funded comes only with a recorded round (rounds' close, record_funded below).
    S.IN_DIALOGUE: (Move(S.CLOSED, ORGANISER, notify=True),),
    S.DECLINED: (),
    S.FUNDED: (),
    S.CLOSED: (),
    S.WITHDRAWN: (),
}

WITHDRAWABLE = frozenset(TRANSITIONS) - {S.FUNDED, S.CLOSED, S.DECLINED, S.WITHDRAWN}
EDITABLE = frozenset({S.DRAFT, S.CHANGES_REQUESTED})
STATUS_LABELS = {
    S.DRAFT: _l("Draft"),
    S.SUBMITTED: _l("Submitted"),
    S.IN_SCREENING: _l("In screening"),
    S.CHANGES_REQUESTED: _l("Changes requested"),
    S.RESUBMITTED: _l("Resubmitted"),
    S.ACCEPTED: _l("Accepted for Springbrett"),
    S.DECLINED: _l("Declined"),
    S.PITCHED: _l("Pitched"),
    S.IN_DIALOGUE: _l("In dialogue with investors"),
    S.FUNDED: _l("Funded"),
    S.CLOSED: _l("Closed"),
    S.WITHDRAWN: _l("Withdrawn"),
}


def status_label(status: Status) -> str:
    return str(STATUS_LABELS[status])


# Access --------------------------------------------------------------------


def is_owner(user: User, proposal: Proposal) -> bool:
    return bool(user.is_authenticated and proposal.company.owner_id == user.id)


def can_see_teaser(user: User, proposal: Proposal) -> bool:
    """The owner always; organisers unless it is a draft; investors while it
    is open to them (not a draft, withdrawn, declined or closed)."""
    if not user.is_authenticated:
        return False
    if is_owner(user, proposal):
        return True
    if proposal.status is S.DRAFT:
        return False
    if user.is_organiser:
        return True
    return proposal.status not in HIDDEN_FROM_INVESTORS


def can_see_confidential(user: User, proposal: Proposal) -> bool:
    """The description, figures, team and deck: the owner, organisers, and
    approved investors while the proposal is open to investors."""
    if not can_see_teaser(user, proposal):
        return False
    return bool(is_owner(user, proposal) or user.is_organiser or user.is_approved_investor)


def can_edit(user: User, proposal: Proposal) -> bool:
    return is_owner(user, proposal) and proposal.status in EDITABLE


# Lifecycle -----------------------------------------------------------------


def allowed_moves(proposal: Proposal, role: Role) -> list[Move]:
    moves = [m for m in TRANSITIONS[proposal.status] if m.by is role]
    if role is FOUNDER and proposal.status in WITHDRAWABLE:
        moves.append(Move(S.WITHDRAWN, FOUNDER))
    return moves


def missing_for_submission(proposal: Proposal) -> list[str]:
    """What the founder must still fill in before submitting, in words."""
    missing = []
    if not proposal.description.strip():
        missing.append(str(_l("the confidential description")))
    if not proposal.use_of_funds.strip():
        missing.append(str(_l("the use of funds")))
    if proposal.deck_file is None:
        missing.append(str(_l("a pitch deck (PDF)")))
    if proposal.stage.slug != "idea" and not proposal.company.org_number:
        missing.append(str(_l("the company's organisation number (needed past the idea stage)")))
    return missing


def transition(proposal: Proposal, to: Status, actor: User, comment: str = "") -> ProposalEvent:
    """Move ``proposal`` to ``to`` as ``actor``; record it; e-mail the founder.

    Raises TransitionError when the move is not allowed for the actor, a
    reason is required but empty, or a submission is incomplete.
    """
    role = actor.role
    if role is FOUNDER and not is_owner(actor, proposal):
        raise TransitionError(str(_l("Only the owner can do this.")))
    move = next((m for m in allowed_moves(proposal, role) if m.to is to), None)
    if move is None:
        raise TransitionError(
            str(
                _l(
                    "A proposal that is “%(now)s” cannot become “%(to)s”.",
                    now=status_label(proposal.status),
                    to=status_label(to),
                )
            )
        )
    comment = comment.strip()
    if move.needs_reason and not comment:
        raise TransitionError(str(_l("Give a reason: the founder receives it.")))
    if to in (S.SUBMITTED, S.RESUBMITTED):
        missing = missing_for_submission(proposal)
        if missing:
            raise TransitionError(
                str(_l("Before you submit, add %(missing)s.", missing=", ".join(missing)))
            )
        proposal.submitted_at = utcnow()
    event = ProposalEvent(
        proposal=proposal,
        actor_id=actor.id,
        from_status=proposal.status,
        to_status=to,
        comment=comment,
        at=utcnow(),
    )
    before = proposal.status
    proposal.status = to
    db.session.add(event)
    db.session.flush()
    # matches recomputes the stored scores if the proposal entered or left MATCHABLE.
    proposal_status_changed.send(proposal, before=before)
    if move.notify:
        notify_founder(proposal, event)
    elif to in (S.SUBMITTED, S.RESUBMITTED):
        send_receipt(proposal, event)
    return event


def _status_subject(proposal: Proposal, status: Status) -> Any:
    """The subject of a status e-mail: a decision is named in it."""
    title = proposal.title
    if status is S.ACCEPTED:
        return _l("“%(title)s” is accepted for Springbrett", title=title)
    if status is S.DECLINED:
        return _l("“%(title)s” is declined", title=title)
    if status is S.CHANGES_REQUESTED:
        return _l("Changes requested to “%(title)s”", title=title)
    return _l("News about your proposal “%(title)s”", title=title)


def notify_founder(proposal: Proposal, event: ProposalEvent) -> None:
    founder = proposal.company.owner
    send_to(
        founder,
        _status_subject(proposal, event.to_status),
        "proposal_status",
        user=founder,
        proposal=proposal,
        event=event,
        status=event.to_status,
        link=absolute_url("proposals.detail", proposal_id=proposal.id),
    )


def send_receipt(proposal: Proposal, event: ProposalEvent) -> None:
    """The founder's receipt for a submission or resubmission."""
    founder = proposal.company.owner
    resubmitted = event.to_status is S.RESUBMITTED
    send_to(
        founder,
        _l("We have received “%(title)s” again", title=proposal.title)
        if resubmitted
        else _l("We have received “%(title)s”", title=proposal.title),
        "proposal_receipt",
        user=founder,
        proposal=proposal,
        event=event,
        resubmitted=resubmitted,
        link=absolute_url("proposals.detail", proposal_id=proposal.id),
    )


# Companies and proposals ---------------------------------------------------


def _org_number_taken() -> ProposalError:
    return ProposalError(str(_l("Another company is registered with this organisation number.")))


def save_company(
    owner: User,
    company: Company | None,
    *,
    name: str,
    org_number: str | None,
    municipality_id: int,
    website: str | None,
    contact_name: str,
    contact_email: str,
    contact_phone: str | None,
    team: list[tuple[str, str, str]],
) -> Company:
    """Create (``company`` None) or update one of ``owner``'s companies; replace its team.

    An organisation number is optional (a company at the idea stage may not
    have one yet) and, when given, unique across companies.
    """
    if org_number:
        others = select(Company).where(Company.org_number == org_number)
        if company is not None:
            others = others.where(Company.id != company.id)
        if db.session.scalar(others) is not None:
            raise _org_number_taken()
    moved = company is not None and company.municipality_id != municipality_id
    # Another company saved with the same number at the same moment: the
    # unique constraint refuses this one, and the founder is told as above.
    with unique_or(_org_number_taken):
        if company is None:
            company = Company(owner_id=owner.id)
            db.session.add(company)
        company.name = name
        company.org_number = org_number
        company.municipality_id = municipality_id
        company.website = website
        company.contact_name = contact_name
        company.contact_email = contact_email
        company.contact_phone = contact_phone
        company.team.clear()
        for position, (member_name, role, background) in enumerate(team):
            company.team.append(
                TeamMember(position=position, name=member_name, role=role, background=background)
            )
        db.session.flush()
    if moved:
        # Geography is part of every match of the company's live proposals, and
        # of its "why": matches recomputes them.
        company_moved.send(company)
    return company


def _apply(proposal: Proposal, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if key == "instrument":
            value = Instrument(value)
        setattr(proposal, key, value)


def create_proposal(company: Company, actor: User, **values: Any) -> Proposal:
    """A new draft, with its first timeline entry."""
    proposal = Proposal(company=company, status=Status.DRAFT)
    _apply(proposal, values)
    db.session.add(proposal)
    db.session.flush()
    db.session.add(
        ProposalEvent(
            proposal=proposal,
            actor_id=actor.id,
            from_status=None,
            to_status=Status.DRAFT,
            at=utcnow(),
        )
    )
    db.session.flush()
    return proposal


def update_proposal(proposal: Proposal, **values: Any) -> None:
    if proposal.status not in EDITABLE:
        raise ProposalError(str(_l("This proposal cannot be changed now.")))
    _apply(proposal, values)
    db.session.flush()


DECISIONS = frozenset({S.CHANGES_REQUESTED, S.ACCEPTED, S.DECLINED})


def latest_decision(proposal: Proposal) -> ProposalEvent | None:
    """The organisers' most recent decision (changes requested, accepted, declined)."""
    for event in reversed(proposal.events):
        if event.to_status in DECISIONS:
            return event
    return None


def enter_dialogue(proposal: Proposal, actor: User, comment: str = "") -> ProposalEvent | None:
    """Move ``proposal`` to "in dialogue" because a founder accepted an
    introduction, recording who and why on the timeline.

    From submitted, in screening, resubmitted, accepted or pitched only; in
    any other state (already in dialogue, changes requested, funded, ...)
    nothing changes and None is returned. No e-mail: the founder made the move.
    """
    if proposal.status not in DIALOGUE_FROM:
        return None
    event = ProposalEvent(
        proposal=proposal,
        actor_id=actor.id,
        from_status=proposal.status,
        to_status=S.IN_DIALOGUE,
        comment=comment.strip(),
        at=utcnow(),
    )
    proposal.status = S.IN_DIALOGUE
    db.session.add(event)
    db.session.flush()
    return event


def record_funded(proposal: Proposal, actor: User, comment: str = "") -> ProposalEvent:
    """Move ``proposal`` to "funded" because its round closed as funded,
    recording who on the timeline (from accepted, pitched or in dialogue; by
    the founder or an organiser).

    No status e-mail: the round's close congratulates the founder instead.
    Raises TransitionError from any other status or for any other actor.
    """
    if proposal.status not in MAY_COMMIT:
        raise TransitionError(
            str(
                _l(
                    "A proposal that is “%(now)s” cannot become “%(to)s”.",
                    now=status_label(proposal.status),
                    to=status_label(S.FUNDED),
                )
            )
        )
    if not (actor.role is ORGANISER or is_owner(actor, proposal)):
        raise TransitionError(str(_l("Only the owner can do this.")))
    event = ProposalEvent(
        proposal=proposal,
        actor_id=actor.id,
        from_status=proposal.status,
        to_status=S.FUNDED,
        comment=comment.strip(),
        at=utcnow(),
    )
    before = proposal.status
    proposal.status = S.FUNDED
    db.session.add(event)
    db.session.flush()
    proposal_status_changed.send(proposal, before=before)
    return event
