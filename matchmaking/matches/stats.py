"""What a founder learns about investors' interest in a proposal: counts, never who.

- **Among top matches**: the number of approved investors for whom the
  proposal is among their ``TOP_N`` (20) best stored match scores. Each
  investor's scores are ranked highest first (ties by proposal id), leaving
  out proposals they marked "not interested" and proposals no longer open
  (draft, withdrawn, declined, closed), as their match list would.
- **Saved**: the number of approved investors who saved it.
- **Not interested**: counts per reason, never the investors' own words (the
  "not interested" form promises them that only organisers read those).
  ``summarise_reasons`` can still give the free texts (only once at least
  ``MIN_FOR_TEXTS`` (3) investors have said "not interested", sorted
  alphabetically rather than by time), but ``founder_stats`` never passes
  them on: founders see no investor's words however many there are.
  Organisers see who said what (``organiser_view``).

``summarise_reasons`` is a pure function; ``founder_stats`` reads the database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, exists, func, select

from matchmaking.accounts.models import InvestorStatus, Role, User
from matchmaking.extensions import db
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.matches.models import MatchChoice, MatchScore, NotInterestedReason
from matchmaking.proposals.lifecycle import OPEN_TO_INVESTORS
from matchmaking.proposals.models import Proposal

TOP_N = 20
MIN_FOR_TEXTS = 3

REASON_LABELS = {
    NotInterestedReason.SECTOR: _l("Sector"),
    NotInterestedReason.STAGE: _l("Stage"),
    NotInterestedReason.TICKET: _l("Ticket size"),
    NotInterestedReason.GEOGRAPHY: _l("Geography"),
    NotInterestedReason.TEAM: _l("Team"),
    NotInterestedReason.MARKET: _l("Market"),
    NotInterestedReason.TIMING: _l("Timing"),
    NotInterestedReason.OTHER: _l("Other"),
}


@dataclass(frozen=True)
class FounderStats:
    in_top_matches: int
    saved: int
    #: (reason, count) for every reason given at least once, in the list's order.
    reasons: list[tuple[NotInterestedReason, int]] = field(default_factory=list)
    not_interested: int = 0
    #: Free texts, only when at least MIN_FOR_TEXTS investors said "not interested".
    texts: list[str] = field(default_factory=list)


def reason_label(reason: NotInterestedReason) -> str:
    return str(REASON_LABELS[reason])


def summarise_reasons(
    choices: Iterable[tuple[NotInterestedReason | None, str]], min_for_texts: int = MIN_FOR_TEXTS
) -> tuple[list[tuple[NotInterestedReason, int]], int, list[str]]:
    """Counts per reason (a missing reason counts as "other"), the number of
    investors, and the non-empty free texts sorted alphabetically, or none
    when fewer than ``min_for_texts`` investors gave reasons."""
    choices = list(choices)
    counts = Counter(reason or NotInterestedReason.OTHER for reason, _text in choices)
    ordered = [(reason, counts[reason]) for reason in NotInterestedReason if counts[reason]]
    texts: list[str] = []
    if len(choices) >= min_for_texts:
        texts = sorted(t.strip() for _reason, t in choices if t and t.strip())
    return ordered, len(choices), texts


def _approved() -> list[ColumnElement[bool]]:
    return [
        User.role == Role.INVESTOR,
        User.investor_status == InvestorStatus.APPROVED,
        User.disabled_at.is_(None),
    ]


def count_in_top(proposal_id: int, top: int = TOP_N) -> int:
    """Approved investors with ``proposal_id`` among their ``top`` best listed matches."""
    not_interested = exists().where(
        and_(
            MatchChoice.investor_id == MatchScore.investor_id,
            MatchChoice.proposal_id == MatchScore.proposal_id,
            MatchChoice.not_interested.is_(True),
        )
    )
    interested_in_this = select(MatchScore.investor_id).where(
        MatchScore.proposal_id == proposal_id, ~not_interested
    )
    ranked = (
        select(
            MatchScore.investor_id,
            MatchScore.proposal_id,
            func.row_number()
            .over(
                partition_by=MatchScore.investor_id,
                order_by=(MatchScore.score.desc(), MatchScore.proposal_id),
            )
            .label("position"),
        )
        .join(User, User.id == MatchScore.investor_id)
        .join(Proposal, Proposal.id == MatchScore.proposal_id)
        .where(
            *_approved(),
            Proposal.status.in_(OPEN_TO_INVESTORS),
            MatchScore.investor_id.in_(interested_in_this),
            ~not_interested,
        )
        .subquery()
    )
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(ranked)
            .where(ranked.c.proposal_id == proposal_id, ranked.c.position <= top)
        )
        or 0
    )


def founder_stats(proposal: Proposal) -> FounderStats:
    """The anonymous figures for ``proposal``'s founder."""
    saved = db.session.scalar(
        select(func.count(MatchChoice.id))
        .join(User, User.id == MatchChoice.investor_id)
        .where(MatchChoice.proposal_id == proposal.id, MatchChoice.saved.is_(True), *_approved())
    )
    choices = db.session.execute(
        select(MatchChoice.reason, MatchChoice.reason_text)
        .join(User, User.id == MatchChoice.investor_id)
        .where(
            MatchChoice.proposal_id == proposal.id,
            MatchChoice.not_interested.is_(True),
            User.role == Role.INVESTOR,
        )
    ).all()
    reasons, total, _texts = summarise_reasons((r, t or "") for r, t in choices)
    return FounderStats(
        in_top_matches=count_in_top(proposal.id),
        saved=int(saved or 0),
        reasons=reasons,
        not_interested=total,
        texts=[],  # the investors are told only organisers read their words
    )


@dataclass(frozen=True)
class InvestorResponse:
    """One investor's answer to a proposal, as organisers see it (with names)."""

    investor: str
    saved: bool
    not_interested: bool
    reason: NotInterestedReason | None
    text: str


def organiser_view(proposal: Proposal) -> tuple[FounderStats, list[InvestorResponse]]:
    """The founder's figures plus who said what: organisers see the reasons
    investors gave ("the organisers see the reasons"), the founder only counts."""
    rows = db.session.execute(
        select(User.name, MatchChoice)
        .join(User, User.id == MatchChoice.investor_id)
        .where(
            MatchChoice.proposal_id == proposal.id,
            (MatchChoice.saved.is_(True)) | (MatchChoice.not_interested.is_(True)),
            *_approved(),
        )
        .order_by(MatchChoice.not_interested.desc(), User.name)
    ).all()
    responses = [
        InvestorResponse(name, c.saved, c.not_interested, c.reason, c.reason_text)
        for name, c in rows
    ]
    return founder_stats(proposal), responses
