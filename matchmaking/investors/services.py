"""Investor rules: the interest profile and the organisers' approval.

Plain functions that flush, never commit; the request commits once. A
function that sends an e-mail does so after flushing, so a failing mail
server raises before the caller commits and nothing half-done is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from matchmaking.accounts.models import InvestorStatus, Role, User
from matchmaking.db_utils import lock
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.investors.models import DigestFrequency, InvestorDecision, InvestorProfile
from matchmaking.mail import absolute_url, send_to
from matchmaking.reference.models import Municipality, Region, Sector, Stage, Subproject

#: Limits the form also enforces (the service checks them again).
MAX_TICKET = 10_000_000_000
THESIS_MAX = 5_000
DISPLAY_NAME_MAX = 120
ORGANISATION_MAX = 160
REASON_MAX = 5_000


class InvestorError(Exception):
    """A rule was broken. ``field`` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class ProfileData:
    """What the profile form sends; ids refer to reference rows."""

    display_name: str
    ticket_min: int
    ticket_max: int
    organisation: str = ""
    thesis: str = ""
    co_invest: bool = False
    digest_frequency: DigestFrequency = DigestFrequency.WEEKLY
    sector_ids: Sequence[int] = field(default_factory=list)
    stage_ids: Sequence[int] = field(default_factory=list)
    municipality_ids: Sequence[int] = field(default_factory=list)
    region_ids: Sequence[int] = field(default_factory=list)
    subproject_ids: Sequence[int] = field(default_factory=list)


# Reading -------------------------------------------------------------------------


def profile_of(user: User) -> InvestorProfile | None:
    """The investor's profile, or None before they first save it."""
    return db.session.scalar(
        select(InvestorProfile).where(InvestorProfile.user_id == user.id).options(*_profile_loads())
    )


def _profile_loads() -> list[Any]:
    return [
        selectinload(InvestorProfile.sectors),
        selectinload(InvestorProfile.stages),
        selectinload(InvestorProfile.municipalities),
        selectinload(InvestorProfile.regions),
        selectinload(InvestorProfile.subprojects),
    ]


@dataclass(frozen=True)
class InvestorRow:
    """One investor on the organisers' list."""

    user: User
    profile: InvestorProfile | None
    last_decision: InvestorDecision | None


_STATUS_ORDER = {InvestorStatus.PENDING: 0, InvestorStatus.APPROVED: 1, InvestorStatus.REJECTED: 2}


def investors_for_screening() -> list[InvestorRow]:
    """Every investor: pending first (oldest registration first, so nobody
    waits longest), then approved, then rejected (each by name)."""
    status_rank = case(
        *((User.investor_status == s, n) for s, n in _STATUS_ORDER.items()),
        else_=3,
    )
    users = list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.INVESTOR)
            .order_by(
                status_rank,
                case((User.investor_status == InvestorStatus.PENDING, User.created_at), else_=None),
                User.name,
                User.id,
            )
        )
    )
    ids = [u.id for u in users]
    profiles = {
        p.user_id: p
        for p in db.session.scalars(
            select(InvestorProfile)
            .where(InvestorProfile.user_id.in_(ids))
            .options(*_profile_loads())
        )
    }
    last: dict[int, InvestorDecision] = {}
    for decision in db.session.scalars(
        select(InvestorDecision)
        .where(InvestorDecision.investor_id.in_(ids))
        .order_by(InvestorDecision.at, InvestorDecision.id)
    ):
        last[decision.investor_id] = decision
    return [InvestorRow(u, profiles.get(u.id), last.get(u.id)) for u in users]


def investor_by_id(user_id: int) -> User | None:
    """An investor account by id; None for unknown ids and other roles."""
    user = db.session.get(User, user_id)
    if user is None or user.role is not Role.INVESTOR:
        return None
    return user


def decisions_of(investor: User) -> list[InvestorDecision]:
    """The organisers' decisions on ``investor``, newest first."""
    return list(
        db.session.scalars(
            select(InvestorDecision)
            .where(InvestorDecision.investor_id == investor.id)
            .options(selectinload(InvestorDecision.decided_by))
            .order_by(InvestorDecision.at.desc(), InvestorDecision.id.desc())
        )
    )


# The profile -----------------------------------------------------------------------


def _rows(model: Any, ids: Sequence[int], current: Sequence[Any], field_name: str) -> list[Any]:
    """The rows for ``ids``: active ones, or retired ones the profile has already."""
    wanted = list(dict.fromkeys(int(i) for i in ids))
    if not wanted:
        return []
    found = {r.id: r for r in db.session.scalars(select(model).where(model.id.in_(wanted)))}
    kept = {r.id for r in current}
    rows = []
    for row_id in wanted:
        row = found.get(row_id)
        if row is None or (row.retired_at is not None and row_id not in kept):
            raise InvestorError(str(_l("Choose from the list.")), field_name)
        rows.append(row)
    return rows


def check_tickets(ticket_min: int, ticket_max: int) -> None:
    """The ticket range: whole kroner, 0 ≤ min ≤ max, 0 < max ≤ 10 000 000 000."""
    if ticket_min < 0:
        raise InvestorError(str(_l("Enter 0 or more.")), "ticket_min")
    if ticket_max <= 0:
        raise InvestorError(str(_l("The largest ticket must be more than 0 kr.")), "ticket_max")
    if ticket_max > MAX_TICKET:
        raise InvestorError(
            str(_l("That amount is too large; check the number of zeros.")), "ticket_max"
        )
    if ticket_min > ticket_max:
        raise InvestorError(
            str(_l("The smallest ticket cannot be larger than the largest.")), "ticket_min"
        )


def save_profile(user: User, data: ProfileData) -> InvestorProfile:
    """Create or update ``user``'s profile; raise InvestorError for bad input.

    Only investors (pending or approved) have a profile. Flushes. The caller
    recomputes the investor's match scores before committing.
    """
    if not user.is_investor:
        raise InvestorError(str(_l("Only investors have an interest profile.")))
    display_name = data.display_name.strip()
    if not display_name:
        raise InvestorError(str(_l("Enter the name other users see.")), "display_name")
    if len(display_name) > DISPLAY_NAME_MAX:
        raise InvestorError(
            str(_l("At most %(max)d characters.", max=DISPLAY_NAME_MAX)), "display_name"
        )
    organisation = data.organisation.strip()
    if len(organisation) > ORGANISATION_MAX:
        raise InvestorError(
            str(_l("At most %(max)d characters.", max=ORGANISATION_MAX)), "organisation"
        )
    thesis = data.thesis.strip()
    if len(thesis) > THESIS_MAX:
        raise InvestorError(str(_l("At most %(max)d characters.", max=THESIS_MAX)), "thesis")
    check_tickets(data.ticket_min, data.ticket_max)

    # A double submit of the first save waits here for the first request and
    # then updates the profile it made, instead of making a second one.
    lock(user)
    profile = profile_of(user)
    sectors = _rows(Sector, data.sector_ids, profile.sectors if profile else [], "sectors")
    stages = _rows(Stage, data.stage_ids, profile.stages if profile else [], "stages")
    municipalities = _rows(
        Municipality,
        data.municipality_ids,
        profile.municipalities if profile else [],
        "municipalities",
    )
    regions = _rows(Region, data.region_ids, profile.regions if profile else [], "regions")
    subprojects = _rows(
        Subproject, data.subproject_ids, profile.subprojects if profile else [], "subprojects"
    )
    if profile is None:
        profile = InvestorProfile(user_id=user.id, user=user)
        db.session.add(profile)
    profile.sectors = sectors
    profile.stages = stages
    profile.municipalities = municipalities
    profile.regions = regions
    profile.subprojects = subprojects
    profile.display_name = display_name
    profile.organisation = organisation or None
    profile.thesis = thesis
    profile.ticket_min = data.ticket_min
    profile.ticket_max = data.ticket_max
    profile.co_invest = data.co_invest
    profile.digest_frequency = DigestFrequency(data.digest_frequency)
    profile.updated_at = utcnow()
    db.session.flush()
    return profile


# Approval -------------------------------------------------------------------------


def approve(investor: User, organiser: User, reason: str = "") -> InvestorDecision:
    """Approve a pending (or earlier rejected) investor and tell them by e-mail.

    Approving an approved investor is refused. The caller recomputes the
    investor's match scores before committing.
    """
    if not investor.is_investor:
        raise InvestorError(str(_l("Only investor accounts can be approved.")))
    if investor.investor_status is InvestorStatus.APPROVED:
        raise InvestorError(str(_l("%(name)s is approved already.", name=investor.name)))
    return _decide(investor, organiser, InvestorStatus.APPROVED, reason)


def reject(investor: User, organiser: User, reason: str) -> InvestorDecision:
    """Reject an investor (pending, or approved earlier) with a reason they receive.

    A rejected investor keeps their login and sees only teasers.
    """
    if not investor.is_investor:
        raise InvestorError(str(_l("Only investor accounts can be rejected.")))
    if not reason.strip():
        raise InvestorError(
            str(_l("Give a reason: the investor receives it with the decision.")), "reason"
        )
    if investor.investor_status is InvestorStatus.REJECTED:
        raise InvestorError(str(_l("%(name)s is rejected already.", name=investor.name)))
    return _decide(investor, organiser, InvestorStatus.REJECTED, reason)


def _decide(
    investor: User, organiser: User, status: InvestorStatus, reason: str
) -> InvestorDecision:
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise InvestorError(str(_l("At most %(max)d characters.", max=REASON_MAX)), "reason")
    investor.investor_status = status
    decision = InvestorDecision(
        investor_id=investor.id,
        decided_by_id=organiser.id,
        status=status,
        reason=reason,
        at=utcnow(),
    )
    db.session.add(decision)
    db.session.flush()
    notify_investor(investor, decision)
    return decision


def notify_investor(investor: User, decision: InvestorDecision) -> None:
    """E-mail the decision (text and HTML) in the investor's language."""
    approved = decision.status is InvestorStatus.APPROVED
    send_to(
        investor,
        _l("You are approved as an investor in BAN Ofoten")
        if approved
        else _l("Your investor registration with BAN Ofoten"),
        "investor_decision",
        user=investor,
        approved=approved,
        reason=decision.reason,
        profile_link=absolute_url("investors.profile"),
        proposals_link=absolute_url("proposals.index"),
    )
