"""The screening board: the organisers' overview of proposals with their
review state, filtered by reference data and text, by tab, and sorted.

Drafts never appear. A row's scores are shown only to an organiser who may
see them (:func:`matchmaking.screening.services.can_see_others_scores`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from matchmaking.accounts.models import User
from matchmaking.extensions import db
from matchmaking.proposals.lifecycle import SCREENING
from matchmaking.proposals.models import Company, Proposal, Status
from matchmaking.reference.models import Municipality, Sector, Stage, Subproject
from matchmaking.screening.models import Review
from matchmaking.screening.scores import Aggregate
from matchmaking.screening.services import (
    aggregates_for,
    has_scored,
    min_reviews,
    show_scores_before_own,
)

SORTS = ("submitted_desc", "submitted_asc", "score_desc")
#: Board tabs: "screening" (submitted, in screening, resubmitted), "all", or a status.
TAB_SCREENING, TAB_ALL = "screening", "all"
#: The reviews filter: fewer scored reviews than the rubric asks for, or at least as many.
REVIEWS_MISSING, REVIEWS_COMPLETE = "missing", "complete"
BOARD_STATUSES = tuple(s for s in Status if s is not Status.DRAFT)


@dataclass(frozen=True)
class BoardFilters:
    """What the board shows. Reference data by slug; ``text`` over title,
    teaser and company name (case-insensitive)."""

    tab: str = TAB_SCREENING
    municipality: str = ""
    subproject: str = ""
    sector: str = ""
    stage: str = ""
    text: str = ""
    sort: str = "submitted_desc"
    #: "" (any), :data:`REVIEWS_MISSING` or :data:`REVIEWS_COMPLETE` (see :func:`min_reviews`).
    reviews: str = ""


@dataclass(frozen=True)
class BoardRow:
    proposal: Proposal
    aggregate: Aggregate
    visible: bool  # whether this organiser may see the scores (see can_see_others_scores)
    conflict: bool


@dataclass(frozen=True)
class Board:
    rows: list[BoardRow]
    counts: dict[str, int]  # per tab key (status value, "screening", "all")


def _filtered(filters: BoardFilters) -> Select[Any]:
    query = (
        select(Proposal)
        .join(Proposal.company)
        .where(Proposal.status != Status.DRAFT)
        .options(
            selectinload(Proposal.company).selectinload(Company.municipality),
            selectinload(Proposal.sector),
            selectinload(Proposal.stage),
            selectinload(Proposal.subproject),
        )
    )
    if filters.municipality:
        query = query.join(Company.municipality).where(Municipality.slug == filters.municipality)
    if filters.subproject:
        query = query.join(Proposal.subproject).where(Subproject.slug == filters.subproject)
    if filters.sector:
        query = query.join(Proposal.sector).where(Sector.slug == filters.sector)
    if filters.stage:
        query = query.join(Proposal.stage).where(Stage.slug == filters.stage)
    text = filters.text.strip()
    if text:
        query = query.where(
            Proposal.title.icontains(text, autoescape=True)
            | Proposal.teaser.icontains(text, autoescape=True)
            | Company.name.icontains(text, autoescape=True)
        )
    return query


def board(filters: BoardFilters, viewer: User) -> Board:
    """The screening board for ``viewer``: rows of the chosen tab, and counts
    per tab under the same filters. Drafts never appear.

    Scores of proposals the viewer may not see yet (not scored, or a
    conflict) are hidden, and such rows sort after the scored ones when
    sorting by score, so the order does not give the scores away.
    """
    proposals: list[Proposal] = list(db.session.scalars(_filtered(filters)))
    if filters.reviews in (REVIEWS_MISSING, REVIEWS_COMPLETE):
        enough = min_reviews()
        counted = aggregates_for([p.id for p in proposals])
        missing = filters.reviews == REVIEWS_MISSING
        proposals = [p for p in proposals if (counted[p.id].reviews < enough) == missing]
    counts: dict[str, int] = {s.value: 0 for s in BOARD_STATUSES}
    for p in proposals:
        counts[p.status.value] += 1
    counts[TAB_SCREENING] = sum(counts[s.value] for s in SCREENING)
    counts[TAB_ALL] = len(proposals)
    if filters.tab == TAB_SCREENING:
        shown = [p for p in proposals if p.status in SCREENING]
    elif filters.tab == TAB_ALL:
        shown = proposals
    else:
        shown = [p for p in proposals if p.status.value == filters.tab]
    aggregates = aggregates_for([p.id for p in shown])
    own = {
        r.proposal_id: r
        for r in db.session.scalars(
            select(Review)
            .where(Review.reviewer_id == viewer.id, Review.proposal_id.in_([p.id for p in shown]))
            .options(selectinload(Review.scores))
        )
    }
    reveal = show_scores_before_own()
    rows = []
    for p in shown:
        review = own.get(p.id)
        conflict = review is not None and review.conflict_of_interest
        visible = not conflict and (reveal or has_scored(review))
        rows.append(BoardRow(p, aggregates[p.id], visible, conflict))
    epoch = 0.0

    def submitted(row: BoardRow) -> float:
        at = row.proposal.submitted_at or row.proposal.created_at
        return at.timestamp() if at else epoch

    if filters.sort == "score_desc":
        rows.sort(key=submitted, reverse=True)
        rows.sort(
            key=lambda r: (
                r.visible and r.aggregate.mean is not None,
                r.aggregate.mean if r.visible and r.aggregate.mean is not None else 0.0,
            ),
            reverse=True,
        )
    else:
        rows.sort(key=submitted, reverse=filters.sort != "submitted_asc")
    return Board(rows, counts)
