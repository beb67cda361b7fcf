"""The round's core rules: opening, one open round, amounts, withdrawing, totals,
and the one e-mail when the target is reached."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from matchmaking.rounds import services
from matchmaking.rounds.models import Round, RoundState
from matchmaking.rounds.services import RoundError


@pytest.fixture
def accepted(make_proposal: Any) -> Any:
    return make_proposal(status="accepted", ask=1_000_000, min_ticket=100_000)


def test_a_round_opens_with_the_proposal_s_terms(db: Any, accepted: Any, make_user: Any) -> None:
    organiser = make_user("organiser")
    opened = services.start_round(accepted, organiser)
    assert (opened.target, opened.min_ticket, opened.instrument) == (
        1_000_000,
        100_000,
        accepted.instrument,
    )
    assert opened.state is RoundState.OPEN
    assert services.current_round(accepted) is opened


def test_a_second_open_round_is_refused(db: Any, accepted: Any) -> None:
    services.start_round(accepted, None)
    with pytest.raises(RoundError, match="already has an open round"):
        services.start_round(accepted, None)
    # Even written past the check, the database refuses a second open round.
    db.session.add(Round(proposal=accepted, target=1, min_ticket=1, instrument=accepted.instrument))
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        db.session.flush()
    db.session.rollback()


def test_a_round_needs_an_accepted_pitched_or_in_dialogue_proposal(
    db: Any, make_proposal: Any
) -> None:
    with pytest.raises(RoundError, match="accepted for Springbrett"):
        services.start_round(make_proposal(status="submitted"), None)


def test_terms_that_do_not_hold_together_name_their_field(db: Any, accepted: Any) -> None:
    with pytest.raises(RoundError) as error:
        services.start_round(accepted, None, min_ticket=2_000_000)
    assert error.value.field == "min_ticket"
    with pytest.raises(RoundError) as error:
        services.start_round(accepted, None, closes_on=date(2026, 1, 1), today=date(2026, 6, 1))
    assert error.value.field == "closes_on"


def test_amounts_between_the_smallest_ticket_and_the_target(
    db: Any, accepted: Any, make_user: Any
) -> None:
    investor = make_user("investor", approved=True)
    for amount, words in (
        (99_999, "smallest ticket"),
        (1_000_001, "at most"),
        (None, "whole kroner"),
    ):
        with pytest.raises(RoundError, match=words) as error:
            services.commit(accepted, investor, amount=amount)
        assert error.value.field == "amount"
    made = services.commit(accepted, investor, amount=100_000, conditions=" Styreplass ")
    assert (made.amount, made.conditions) == (100_000, "Styreplass")


def test_only_approved_investors_commit_while_the_proposal_may_take_commitments(
    db: Any, make_proposal: Any, make_user: Any
) -> None:
    pending = make_user("investor", approved=False)
    accepted = make_proposal(status="accepted")
    with pytest.raises(RoundError):
        services.commit(accepted, pending, amount=500_000)
    investor = make_user("investor", approved=True)
    with pytest.raises(RoundError):
        services.commit(make_proposal(status="submitted"), investor, amount=500_000)


def test_committing_again_changes_the_one_commitment_and_withdrawing_keeps_it(
    db: Any, accepted: Any, make_user: Any
) -> None:
    investor = make_user("investor", approved=True)
    first = services.commit(accepted, investor, amount=200_000)
    again = services.commit(accepted, investor, amount=300_000, would_lead=True)
    assert first.id == again.id
    assert again.amount == 300_000
    assert again.would_lead
    round_ = services.open_round(accepted)
    assert services.totals(round_).total == 300_000
    services.withdraw(again)
    assert not again.is_active
    assert services.totals(round_) == services.Totals(total=0, count=0, target=1_000_000)
    back = services.commit(accepted, investor, amount=150_000)
    assert back.is_active
    assert services.totals(round_).count == 1


def test_reaching_the_target_tells_everyone_concerned_once(
    app: Any, db: Any, accepted: Any, make_user: Any, outbox: list[Any]
) -> None:
    organiser = make_user("organiser")
    first, second = make_user("investor", approved=True), make_user("investor", approved=True)
    with app.test_request_context():
        services.commit(accepted, first, amount=600_000)
        db.session.commit()
        assert outbox == []
        services.commit(accepted, second, amount=400_000)
        db.session.commit()
        told = sorted(m.recipients[0] for m in outbox)
        founder = accepted.company.owner
        assert told == sorted([founder.email, first.email, second.email, organiser.email])
        assert all("har nådd målet" in m.subject for m in outbox), [m.subject for m in outbox]
        totals = services.totals(services.open_round(accepted))
        assert totals.reached
        assert totals.percent == 100
        # Changing a commitment after the target was reached sends nothing more.
        services.commit(accepted, second, amount=450_000)
        db.session.commit()
        assert len(outbox) == 4


def test_the_share_of_the_target_is_rounded_half_up() -> None:
    assert services.Totals(total=2_000_000, count=2, target=3_000_000).share == 67
    assert services.Totals(total=450_000, count=1, target=400_000).share == 113
    assert services.Totals(total=450_000, count=1, target=400_000).percent == 100
    assert services.Totals(total=1, count=1, target=3_000_000).share == 0
    assert services.Totals(total=0, count=0, target=0).share == 0
