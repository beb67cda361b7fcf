"""Screening rules: the rubric, reviews, conflicts, the aggregate, decisions.

Plain typed functions; they flush, never commit (the request commits once).

The aggregate of a proposal is computed by the pure functions of
:mod:`matchmaking.screening.scores` (the formula is there), from the score
sheets and the active criteria's current weights read here. The board, the
organisers' overview, is :mod:`matchmaking.screening.board`.

Scoring starts screening: the first score saved on a ``submitted`` or
``resubmitted`` proposal moves it to ``in_screening`` (the reviewer is the
actor, and the founder is told), so nobody has to remember a button.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from matchmaking.accounts.models import Role, User
from matchmaking.db_utils import insert
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.proposals.lifecycle import SCREENING
from matchmaking.proposals.models import Proposal, ProposalEvent, Status
from matchmaking.proposals.services import (
    TransitionError,
    allowed_moves,
    transition,
)
from matchmaking.screening.models import Criterion, Review, Score, Setting
from matchmaking.screening.scores import Aggregate, aggregate_scores, weighted_total

MIN_SCORE, MAX_SCORE = 1, 5
MIN_WEIGHT, MAX_WEIGHT = 0.1, 10.0
COMMENT_MAX = 2000
OVERALL_COMMENT_MAX = 5000
SHOW_SCORES_BEFORE_OWN = "show_scores_before_own"
#: The setting for how many scored reviews a proposal should have before a decision.
MIN_REVIEWS = "min_reviews"
DEFAULT_MIN_REVIEWS = 2

#: The decisions an organiser makes on the screening page.
#: What organisers decide on the screening page: the screening decisions, and
#: the later steps of an accepted proposal (pitched, in dialogue, funded, closed).
DECISIONS = (
    Status.CHANGES_REQUESTED,
    Status.ACCEPTED,
    Status.DECLINED,
    Status.PITCHED,
    Status.IN_DIALOGUE,
    Status.FUNDED,
    Status.CLOSED,
)

#: The six default criteria: slug, Norwegian name, English name, weight.
DEFAULT_CRITERIA: tuple[tuple[str, str, str, float], ...] = (
    ("team", "Team", "Team", 1.0),
    ("market", "Marked", "Market", 1.0),
    ("solution", "Løsning", "Solution", 1.0),
    ("traction", "Trekkraft", "Traction", 1.0),
    ("programme-fit", "Passer med programmet", "Fit with the programme", 1.0),
    ("regional-impact", "Regional effekt (arbeidsplasser)", "Regional impact (jobs)", 1.0),
)


class ScreeningError(Exception):
    """A screening rule was broken; the message says which, for the user."""


# The rubric ------------------------------------------------------------------


def seed_criteria() -> list[Criterion]:
    """Create the six default criteria that are missing (get-or-create by slug).

    Idempotent: running it again adds nothing and changes no edited name or
    weight. Returns the default criteria in rubric order.
    """
    rows = []
    for position, (slug, name_nb, name_en, weight) in enumerate(DEFAULT_CRITERIA):
        row = db.session.scalar(select(Criterion).where(Criterion.slug == slug))
        if row is None:
            row = Criterion(
                slug=slug, name_nb=name_nb, name_en=name_en, weight=weight, position=position
            )
            db.session.add(row)
        rows.append(row)
    db.session.flush()
    return rows


def all_criteria() -> list[Criterion]:
    """Every criterion, active first, in rubric order."""
    query = select(Criterion).order_by(
        Criterion.retired_at.is_not(None), Criterion.position, Criterion.id
    )
    return list(db.session.scalars(query))


def active_criteria() -> list[Criterion]:
    """The criteria reviewers score now, in rubric order."""
    query = (
        select(Criterion)
        .where(Criterion.retired_at.is_(None))
        .order_by(Criterion.position, Criterion.id)
    )
    return list(db.session.scalars(query))


def _check_criterion(name_nb: str, name_en: str, weight: float) -> tuple[str, str]:
    name_nb, name_en = name_nb.strip(), name_en.strip()
    if not name_nb or not name_en:
        raise ScreeningError(str(_l("Give the criterion a name in both languages.")))
    if len(name_nb) > 120 or len(name_en) > 120:
        raise ScreeningError(str(_l("At most %(max)d characters.", max=120)))
    if not (math.isfinite(weight) and MIN_WEIGHT <= weight <= MAX_WEIGHT):
        raise ScreeningError(str(_l("Give a weight from 0.1 to 10.")))
    return name_nb, name_en


def _slugify(text: str) -> str:
    ascii_text = (
        unicodedata.normalize("NFKD", text.replace("ø", "o").replace("æ", "ae"))
        .encode("ascii", "ignore")
        .decode()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:50] or "criterion"


def add_criterion(name_nb: str, name_en: str, weight: float) -> Criterion:
    """Add a criterion at the end of the rubric; its slug comes from the English name."""
    name_nb, name_en = _check_criterion(name_nb, name_en, weight)
    base = _slugify(name_en)
    slug, n = base, 2
    while True:
        while db.session.scalar(select(Criterion.id).where(Criterion.slug == slug)) is not None:
            slug, n = f"{base}-{n}", n + 1
        last = db.session.scalar(select(func.max(Criterion.position))) or 0
        criterion = Criterion(
            slug=slug, name_nb=name_nb, name_en=name_en, weight=weight, position=last + 1
        )
        # The same name added by another organiser at the same moment took
        # the slug: this criterion takes the next one, as if added second.
        if insert(criterion):
            return criterion


def update_criterion(criterion: Criterion, name_nb: str, name_en: str, weight: float) -> None:
    """Rename a criterion or change its weight (the aggregate uses the new weight)."""
    criterion.name_nb, criterion.name_en = _check_criterion(name_nb, name_en, weight)
    criterion.weight = weight
    db.session.flush()


def retire_criterion(criterion: Criterion) -> None:
    """Take a criterion out of the rubric; its scores stay but no longer count."""
    if criterion.retired_at is None:
        criterion.retired_at = utcnow()
        db.session.flush()


def restore_criterion(criterion: Criterion) -> None:
    criterion.retired_at = None
    db.session.flush()


def criterion_in_use(criterion: Criterion) -> bool:
    query = select(func.count()).select_from(Score).where(Score.criterion_id == criterion.id)
    return bool(db.session.scalar(query))


def delete_criterion(criterion: Criterion) -> None:
    """Delete a criterion nobody has scored; one in use can only be retired."""
    if criterion_in_use(criterion):
        raise ScreeningError(str(_l("This criterion has scores, so it can only be retired.")))
    db.session.delete(criterion)
    db.session.flush()


# Settings --------------------------------------------------------------------


def show_scores_before_own() -> bool:
    """Whether reviewers see the others' scores before they have scored (default: no)."""
    row = db.session.get(Setting, SHOW_SCORES_BEFORE_OWN)
    return row is not None and row.value == "1"


def min_reviews() -> int:
    """How many scored reviews the rubric asks for before a decision (the
    ``min_reviews`` setting; 2 when unset or not a positive whole number)."""
    row = db.session.get(Setting, MIN_REVIEWS)
    if row is not None and row.value.isdigit() and int(row.value) > 0:
        return int(row.value)
    return DEFAULT_MIN_REVIEWS


def set_show_scores_before_own(value: bool) -> None:
    row = db.session.get(Setting, SHOW_SCORES_BEFORE_OWN)
    if row is None:
        row = Setting(key=SHOW_SCORES_BEFORE_OWN, value="0")
        db.session.add(row)
    row.value = "1" if value else "0"
    db.session.flush()


# Reviews ---------------------------------------------------------------------


def _lock(proposal: Proposal) -> None:
    """Re-read the proposal's row FOR UPDATE (PostgreSQL), so that two
    organisers acting at once see each other's status change."""
    if db.session.get_bind().dialect.name == "postgresql":
        query = select(Proposal.status).where(Proposal.id == proposal.id).with_for_update()
        status = db.session.scalar(query)
        if status is not None and status is not proposal.status:
            proposal.status = status


def review_of(proposal: Proposal, reviewer: User) -> Review | None:
    query = select(Review).where(
        Review.proposal_id == proposal.id, Review.reviewer_id == reviewer.id
    )
    return db.session.scalar(query)


def reviews_of(proposal: Proposal) -> list[Review]:
    """Every review of ``proposal`` (conflicts included), oldest first."""
    query = (
        select(Review)
        .where(Review.proposal_id == proposal.id)
        .options(selectinload(Review.scores), selectinload(Review.reviewer))
        .order_by(Review.created_at, Review.id)
    )
    return list(db.session.scalars(query))


def has_scored(review: Review | None) -> bool:
    """A review counts once it holds scores and no conflict is declared."""
    return review is not None and not review.conflict_of_interest and bool(review.scores)


def has_conflict(proposal: Proposal, reviewer: User) -> bool:
    review = review_of(proposal, reviewer)
    return review is not None and review.conflict_of_interest


def can_see_others_scores(proposal: Proposal, reviewer: User) -> bool:
    """Others' scores (and the aggregate) are hidden from a reviewer with a
    conflict, and from one who has not scored yet unless the setting
    ``show_scores_before_own`` is on."""
    review = review_of(proposal, reviewer)
    if review is not None and review.conflict_of_interest:
        return False
    return has_scored(review) or show_scores_before_own()


def can_score(proposal: Proposal) -> bool:
    return proposal.status in SCREENING


def save_review(
    proposal: Proposal,
    reviewer: User,
    scores: Mapping[int, tuple[int, str]],
    comment: str = "",
) -> Review:
    """Save ``reviewer``'s scores: ``{criterion id: (score 1–5, comment)}``.

    Every active criterion must be scored. The first scores on a submitted or
    resubmitted proposal move it to ``in_screening`` (actor: the reviewer).
    Raises ScreeningError for a conflict, a proposal not in screening, a
    missing or out-of-range score, or a too long comment.
    """
    if not reviewer.is_organiser:
        raise ScreeningError(str(_l("Only organisers review proposals.")))
    _lock(proposal)
    if not can_score(proposal):
        raise ScreeningError(str(_l("This proposal is not in screening, so it cannot be scored.")))
    review = review_of(proposal, reviewer)
    if review is not None and review.conflict_of_interest:
        raise ScreeningError(
            str(_l("You have declared a conflict of interest and cannot score this proposal."))
        )
    criteria = active_criteria()
    if not criteria:
        raise ScreeningError(str(_l("The rubric has no criteria yet.")))
    if len(comment) > OVERALL_COMMENT_MAX:
        raise ScreeningError(str(_l("At most %(max)d characters.", max=OVERALL_COMMENT_MAX)))
    for criterion in criteria:
        if criterion.id not in scores:
            raise ScreeningError(str(_l("Score every criterion from 1 to 5.")))
        value, note = scores[criterion.id]
        if not MIN_SCORE <= value <= MAX_SCORE:
            raise ScreeningError(str(_l("Score every criterion from 1 to 5.")))
        if len(note) > COMMENT_MAX:
            raise ScreeningError(str(_l("At most %(max)d characters.", max=COMMENT_MAX)))
    if review is None:
        review = Review(proposal_id=proposal.id, reviewer_id=reviewer.id, created_at=utcnow())
        db.session.add(review)
    review.comment = comment.strip()
    review.updated_at = utcnow()
    existing = {s.criterion_id: s for s in review.scores}
    for criterion in criteria:
        value, note = scores[criterion.id]
        score = existing.get(criterion.id)
        if score is None:
            score = Score(criterion_id=criterion.id)
            review.scores.append(score)
        score.value = value
        score.comment = note.strip()
    db.session.flush()
    if proposal.status in (Status.SUBMITTED, Status.RESUBMITTED):
        transition(proposal, Status.IN_SCREENING, reviewer)
    return review


def declare_conflict(proposal: Proposal, reviewer: User) -> Review:
    """Keep ``reviewer`` out of ``proposal``: their scores and comments are removed."""
    if not reviewer.is_organiser:
        raise ScreeningError(str(_l("Only organisers review proposals.")))
    _lock(proposal)  # a double click waits for the first, then finds its review
    review = review_of(proposal, reviewer)
    if review is None:
        review = Review(proposal_id=proposal.id, reviewer_id=reviewer.id, created_at=utcnow())
        db.session.add(review)
    review.conflict_of_interest = True
    review.comment = ""
    review.scores.clear()
    review.updated_at = utcnow()
    db.session.flush()
    return review


def withdraw_conflict(proposal: Proposal, reviewer: User) -> None:
    """Undo a conflict declared by mistake; the reviewer starts with an empty review."""
    review = review_of(proposal, reviewer)
    if review is not None and review.conflict_of_interest:
        db.session.delete(review)
        db.session.flush()


# The aggregate ---------------------------------------------------------------


def _weights() -> dict[int, float]:
    return {c.id: c.weight for c in active_criteria()}


def aggregate_of_reviews(reviews: Iterable[Review], weights: Mapping[int, float]) -> Aggregate:
    reviews = list(reviews)
    sheets = [
        {s.criterion_id: s.value for s in r.scores} for r in reviews if not r.conflict_of_interest
    ]
    conflicts = sum(1 for r in reviews if r.conflict_of_interest)
    return aggregate_scores(sheets, weights, conflicts)


def proposal_aggregate(proposal: Proposal) -> Aggregate:
    """The aggregate of ``proposal`` with the rubric's current weights."""
    return aggregate_of_reviews(reviews_of(proposal), _weights())


def aggregates_for(proposal_ids: Sequence[int]) -> dict[int, Aggregate]:
    """Aggregates of many proposals with two queries (for the board)."""
    if not proposal_ids:
        return {}
    weights = _weights()
    query = (
        select(Review)
        .where(Review.proposal_id.in_(proposal_ids))
        .options(selectinload(Review.scores))
    )
    grouped: dict[int, list[Review]] = defaultdict(list)
    for review in db.session.scalars(query):
        grouped[review.proposal_id].append(review)
    return {pid: aggregate_of_reviews(grouped.get(pid, []), weights) for pid in proposal_ids}


def reviewer_total(review: Review, weights: Mapping[int, float]) -> float | None:
    return weighted_total({s.criterion_id: s.value for s in review.scores}, weights)


# Decisions -------------------------------------------------------------------


def decision_moves(proposal: Proposal) -> list[Status]:
    """The decisions an organiser can make on ``proposal`` now."""
    allowed = {m.to for m in allowed_moves(proposal, Role.ORGANISER)}
    return [s for s in DECISIONS if s in allowed]


def decide(
    proposal: Proposal, organiser: User, to: Status, reason: str, share_comments: bool = False
) -> ProposalEvent:
    """Request changes, accept or decline (or a later step), with a reason the founder receives.

    ``share_comments`` (declines only) lets the founder read the anonymous
    reviewer comments (``shared_feedback``). A reviewer with a conflict of
    interest cannot decide. Raises ScreeningError.
    """
    if to not in DECISIONS:
        raise ScreeningError(str(_l("Choose a decision.")))
    _lock(proposal)
    if has_conflict(proposal, organiser):
        raise ScreeningError(
            str(_l("You have declared a conflict of interest and cannot decide on this proposal."))
        )
    try:
        event = transition(proposal, to, organiser, reason)
    except TransitionError as exc:
        raise ScreeningError(str(exc)) from exc
    proposal.share_review_comments = bool(share_comments) and to is Status.DECLINED
    db.session.flush()
    return event


def shared_feedback(proposal: Proposal) -> list[str]:
    """The reviewers' comments a declined founder may read, anonymised.

    Empty unless the proposal is declined and the organiser chose to share.
    Each entry is one comment: per-criterion comments as "Criterion: text"
    (criterion name in the current language), overall comments as they are.
    No names and no scores: the comments carry the reasons, while bare
    numbers from a small committee invite haggling and could point to who
    gave them. Conflicted reviewers have no comments to share.
    """
    if proposal.status is not Status.DECLINED or not proposal.share_review_comments:
        return []
    names = {c.id: c.name for c in all_criteria()}
    feedback: list[str] = []
    for review in reviews_of(proposal):
        if review.conflict_of_interest:
            continue
        for score in sorted(review.scores, key=lambda s: s.criterion_id):
            if score.comment.strip():
                feedback.append(f"{names.get(score.criterion_id, '')}: {score.comment.strip()}")
        if review.comment.strip():
            feedback.append(review.comment.strip())
    return feedback
