"""Screening rules: conflicts, hidden scores, decisions, the rubric (the pure
score arithmetic is tested in test_scores.py)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from matchmaking.proposals.models import Status
from matchmaking.screening import services
from matchmaking.screening.models import Criterion, Review
from matchmaking.screening.services import ScreeningError
from tests.conftest import reload

# The rubric ----------------------------------------------------------------------


def test_seed_criteria_is_idempotent_and_keeps_edits(db: Any, ctx: None) -> None:
    first = services.seed_criteria()
    assert [c.slug for c in first] == [c[0] for c in services.DEFAULT_CRITERIA]
    services.update_criterion(first[0], "Teamet", "The team", 3.0)
    again = services.seed_criteria()
    assert [c.id for c in again] == [c.id for c in first]
    assert again[0].name_nb == "Teamet"
    assert again[0].weight == 3.0
    assert len(services.all_criteria()) == 6


def test_add_update_retire_delete_criterion(db: Any, ctx: None, criteria: Any) -> None:
    new = services.add_criterion("Bærekraft", "Sustainability", 1.5)
    assert new.slug == "sustainability"
    assert services.add_criterion("Bærekraft 2", "Sustainability", 1.0).slug == "sustainability-2"
    assert new in services.active_criteria()
    services.retire_criterion(new)
    assert new not in services.active_criteria()
    assert new in services.all_criteria()
    services.restore_criterion(new)
    assert new in services.active_criteria()
    services.delete_criterion(new)
    assert db.session.get(Criterion, new.id) is None


@pytest.mark.parametrize(
    ("name_nb", "name_en", "weight"),
    [
        ("", "Team", 1.0),
        ("Team", "  ", 1.0),
        ("x" * 121, "Team", 1.0),
        ("Team", "Team", -1.0),
        ("Team", "Team", 0.0),
        ("Team", "Team", 1000.0),
        ("Team", "Team", math.nan),
        ("Team", "Team", math.inf),
    ],
)
def test_bad_criteria_are_refused(
    db: Any, ctx: None, criteria: Any, name_nb: str, name_en: str, weight: float
) -> None:
    with pytest.raises(ScreeningError):
        services.add_criterion(name_nb, name_en, weight)
    with pytest.raises(ScreeningError):
        services.update_criterion(criteria[0], name_nb, name_en, weight)


# Reviews -------------------------------------------------------------------------


def _sheet(criteria: list[Criterion], value: int = 3, comment: str = "") -> dict[int, Any]:
    return {c.id: (value, comment) for c in criteria}


def test_first_score_starts_screening_and_tells_the_founder(
    db: Any, ctx: None, criteria: Any, make_user: Any, make_proposal: Any, outbox: list[Any]
) -> None:
    reviewer = make_user("organiser")
    proposal = make_proposal(Status.SUBMITTED)
    services.save_review(proposal, reviewer, _sheet(criteria, 4), "Lovende.")
    db.session.commit()  # the request's commit: the e-mail goes out after it
    assert proposal.status is Status.IN_SCREENING
    event = proposal.events[-1]
    assert (event.from_status, event.to_status, event.actor_id) == (
        Status.SUBMITTED,
        Status.IN_SCREENING,
        reviewer.id,
    )
    assert [m.recipients for m in outbox] == [[proposal.company.owner.email]]
    # Saving again changes the scores, and moves nothing.
    services.save_review(proposal, reviewer, _sheet(criteria, 2), "")
    db.session.commit()
    review = services.review_of(proposal, reviewer)
    assert review is not None
    assert {s.value for s in review.scores} == {2}
    assert len(review.scores) == 6
    assert len(outbox) == 1


def test_resubmitted_also_moves_to_screening(
    db: Any, ctx: None, criteria: Any, make_user: Any, make_proposal: Any
) -> None:
    proposal = make_proposal(Status.RESUBMITTED)
    services.save_review(proposal, make_user("organiser"), _sheet(criteria), "")
    assert proposal.status is Status.IN_SCREENING


@pytest.mark.parametrize("value", [0, 6, -1])
def test_scores_outside_one_to_five_are_refused(
    db: Any, ctx: None, criteria: Any, make_user: Any, make_proposal: Any, value: int
) -> None:
    proposal = make_proposal(Status.IN_SCREENING)
    with pytest.raises(ScreeningError):
        services.save_review(proposal, make_user("organiser"), _sheet(criteria, value), "")


def test_every_active_criterion_must_be_scored(
    db: Any, ctx: None, criteria: Any, make_user: Any, make_proposal: Any
) -> None:
    proposal = make_proposal(Status.IN_SCREENING)
    sheet = _sheet(criteria[1:])
    with pytest.raises(ScreeningError):
        services.save_review(proposal, make_user("organiser"), sheet, "")


@pytest.mark.parametrize(
    "status", [Status.CHANGES_REQUESTED, Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN]
)
def test_only_proposals_in_screening_are_scored(
    db: Any, ctx: None, criteria: Any, make_user: Any, make_proposal: Any, status: Status
) -> None:
    proposal = make_proposal(status)
    with pytest.raises(ScreeningError):
        services.save_review(proposal, make_user("organiser"), _sheet(criteria), "")


def test_conflict_keeps_the_reviewer_out(
    db: Any, ctx: None, criteria: Any, make_user: Any, make_proposal: Any
) -> None:
    ada, bo = make_user("organiser"), make_user("organiser")
    proposal = make_proposal(Status.SUBMITTED)
    services.save_review(proposal, ada, _sheet(criteria, 5), "Bra")
    services.save_review(proposal, bo, _sheet(criteria, 1), "")
    assert services.proposal_aggregate(proposal).mean == pytest.approx(3.0)

    services.declare_conflict(proposal, ada)
    aggregate = services.proposal_aggregate(proposal)
    assert aggregate.mean == pytest.approx(1.0)  # Ada's scores no longer count
    assert (aggregate.reviews, aggregate.conflicts) == (1, 1)
    assert not services.can_see_others_scores(proposal, ada)
    services.set_show_scores_before_own(True)
    assert not services.can_see_others_scores(proposal, ada)  # never, with a conflict
    with pytest.raises(ScreeningError):
        services.save_review(proposal, ada, _sheet(criteria), "")
    with pytest.raises(ScreeningError):
        services.decide(proposal, ada, Status.ACCEPTED, "")
    assert proposal.status is Status.IN_SCREENING

    services.withdraw_conflict(proposal, ada)
    assert services.review_of(proposal, ada) is None
    services.save_review(proposal, ada, _sheet(criteria, 3), "")
    assert services.proposal_aggregate(proposal).reviews == 2


def test_others_scores_hidden_until_scored_unless_the_setting_is_on(
    db: Any, ctx: None, criteria: Any, make_user: Any, make_proposal: Any
) -> None:
    ada, bo = make_user("organiser"), make_user("organiser")
    proposal = make_proposal(Status.SUBMITTED)
    services.save_review(proposal, ada, _sheet(criteria, 4), "")
    assert services.can_see_others_scores(proposal, ada)
    assert not services.can_see_others_scores(proposal, bo)
    services.set_show_scores_before_own(True)
    assert services.show_scores_before_own()
    assert services.can_see_others_scores(proposal, bo)
    services.set_show_scores_before_own(False)
    assert not services.can_see_others_scores(proposal, bo)


def test_retired_criterion_no_longer_counts(
    db: Any, ctx: None, criteria: Any, make_user: Any, make_proposal: Any
) -> None:
    proposal = make_proposal(Status.SUBMITTED)
    sheet = _sheet(criteria, 2)
    sheet[criteria[0].id] = (5, "")
    services.save_review(proposal, make_user("organiser"), sheet, "")
    assert services.proposal_aggregate(proposal).mean == pytest.approx((5 + 5 * 2) / 6)
    services.retire_criterion(criteria[0])
    assert services.proposal_aggregate(proposal).mean == pytest.approx(2.0)
    with pytest.raises(ScreeningError):
        services.delete_criterion(criteria[0])  # in use: retire only


def test_weights_change_the_aggregate(
    db: Any, ctx: None, criteria: Any, make_user: Any, make_proposal: Any
) -> None:
    proposal = make_proposal(Status.SUBMITTED)
    sheet = _sheet(criteria, 1)
    sheet[criteria[0].id] = (5, "")
    services.save_review(proposal, make_user("organiser"), sheet, "")
    c0 = criteria[0]
    services.update_criterion(c0, c0.name_nb, c0.name_en, 5.0)
    assert services.proposal_aggregate(proposal).mean == pytest.approx((5 * 5 + 5 * 1) / 10)


# Decisions ---------------------------------------------------------------------


def test_decline_with_reason_and_shared_comments(
    db: Any, ctx: None, criteria: Any, make_user: Any, make_proposal: Any, outbox: list[Any]
) -> None:
    ada, bo = make_user("organiser", name="Ada Reviewer"), make_user("organiser")
    proposal = make_proposal(Status.SUBMITTED)
    sheet = _sheet(criteria, 2)
    sheet[criteria[1].id] = (2, "Markedet er lite.")
    services.save_review(proposal, ada, sheet, "For tidlig.")
    services.save_review(proposal, bo, _sheet(criteria, 3), "")
    db.session.commit()  # the request's commit: the e-mail goes out after it
    outbox.clear()
    assert services.shared_feedback(proposal) == []  # not declined yet

    services.decide(proposal, bo, Status.DECLINED, "  Ikke modent nok.  ", share_comments=True)
    db.session.commit()
    proposal = reload(proposal)
    assert proposal.status is Status.DECLINED
    assert proposal.share_review_comments
    assert proposal.events[-1].comment == "Ikke modent nok."
    assert len(outbox) == 1
    assert "Ikke modent nok." in outbox[0].body

    feedback = services.shared_feedback(proposal)
    assert feedback == ["Marked: Markedet er lite.", "For tidlig."]
    assert not any("Ada" in line or "2" in line for line in feedback)


def test_decline_without_sharing_shows_nothing(
    db: Any, ctx: None, criteria: Any, make_user: Any, make_proposal: Any
) -> None:
    ada = make_user("organiser")
    proposal = make_proposal(Status.SUBMITTED)
    services.save_review(proposal, ada, _sheet(criteria, 2, "Svak."), "Nei.")
    services.decide(proposal, ada, Status.DECLINED, "Ikke nå.", share_comments=False)
    assert services.shared_feedback(proposal) == []


@pytest.mark.parametrize("to", [Status.DECLINED, Status.CHANGES_REQUESTED])
def test_decline_and_changes_need_a_reason(
    db: Any, ctx: None, make_user: Any, make_proposal: Any, outbox: list[Any], to: Status
) -> None:
    proposal = make_proposal(Status.SUBMITTED)
    with pytest.raises(ScreeningError):
        services.decide(proposal, make_user("organiser"), to, "   ")
    assert proposal.status is Status.SUBMITTED
    assert outbox == []


def test_accept_never_shares_comments(
    db: Any, ctx: None, make_user: Any, make_proposal: Any, outbox: list[Any]
) -> None:
    proposal = make_proposal(Status.IN_SCREENING)
    event = services.decide(proposal, make_user("organiser"), Status.ACCEPTED, "", True)
    db.session.commit()  # the request's commit: the e-mail goes out after it
    assert event.to_status is Status.ACCEPTED
    assert not proposal.share_review_comments
    assert len(outbox) == 1


def test_after_acceptance_only_the_later_steps(
    db: Any, ctx: None, make_user: Any, make_proposal: Any
) -> None:
    organiser = make_user("organiser")
    proposal = make_proposal(Status.ACCEPTED)
    assert services.decision_moves(proposal) == [Status.PITCHED, Status.IN_DIALOGUE]
    with pytest.raises(ScreeningError):
        services.decide(proposal, organiser, Status.DECLINED, "Nei.")
    with pytest.raises(ScreeningError):
        services.decide(proposal, organiser, Status.FUNDED, "")
    services.decide(proposal, organiser, Status.PITCHED, "")
    assert proposal.status is Status.PITCHED


def test_conflict_declared_after_scoring_removes_scores(
    db: Any, ctx: None, criteria: Any, make_user: Any, make_proposal: Any
) -> None:
    ada = make_user("organiser")
    proposal = make_proposal(Status.SUBMITTED)
    services.save_review(proposal, ada, _sheet(criteria, 4, "x"), "y")
    review = services.declare_conflict(proposal, ada)
    db.session.commit()
    review = reload(review)
    assert isinstance(review, Review)
    assert review.conflict_of_interest
    assert review.scores == []
    assert review.comment == ""
