"""The demo's funding rounds: one in each state, fitting the proposals' timelines,
and a funded company's follow-up reports over two years."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from matchmaking.accounts.models import User
from matchmaking.dates import in_oslo
from matchmaking.demo import services
from matchmaking.demo.rounds import ROUNDS, months_after
from matchmaking.investors.models import InvestorDecision
from matchmaking.proposals.lifecycle import MAY_COMMIT
from matchmaking.proposals.models import Status
from matchmaking.results.models import ReportRequest, ResultReport
from matchmaking.rounds.models import Commitment, Investment, Round, RoundState
from matchmaking.rounds.services import totals

INVESTOR = "investor@demo.banofoten.no"
FOUNDER = "grunder@demo.banofoten.no"
MODELS = (Round, Commitment, Investment, ReportRequest, ResultReport)


def _counts(db: Any) -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in MODELS)


def _rounds(db: Any, state: RoundState | None = None) -> list[Round]:
    query = select(Round).order_by(Round.id)
    if state is not None:
        query = query.where(Round.state == state)
    return list(db.session.scalars(query))


def _user(db: Any, email: str) -> User:
    user: User = db.session.scalars(select(User).where(User.email == email)).one()
    return user


def _today() -> date:
    return in_oslo(datetime.now(UTC)).date()


def test_a_round_in_every_state_loaded_once(app: Flask, db: Any, loaded: Path) -> None:
    before = _counts(db)
    with app.test_request_context():
        services.load()
        db.session.commit()
    assert _counts(db) == before
    # Each demo round found its proposal (a renamed proposal would lose its round).
    assert len(_rounds(db)) == len(ROUNDS)
    assert {r.state for r in _rounds(db)} == set(RoundState)

    open_rounds = _rounds(db, RoundState.OPEN)
    at_target = [r for r in open_rounds if totals(r).reached]
    gathering = [r for r in open_rounds if not totals(r).reached]
    assert at_target
    assert gathering
    for round_ in at_target:
        assert round_.target_reached_at is not None
        assert round_.lead is not None
        assert round_.lead_agreed_by_id == round_.proposal.company.owner_id
    for round_ in gathering:
        assert round_.target_reached_at is None
        active = [c for c in round_.commitments if c.is_active]
        assert len(active) >= 3
        assert any(c.would_lead for c in active)
        assert any(c.named_to_founder for c in active)
        assert not all(c.named_to_founder for c in active)
    for round_ in open_rounds:
        assert round_.proposal.status in MAY_COMMIT
        assert round_.closes_on is not None
        assert round_.closes_on > _today()

    for round_ in _rounds(db, RoundState.NOT_FUNDED):
        assert round_.close_reason is not None
        assert round_.close_words
        assert round_.raised is None
        assert round_.investments == []
        assert round_.closed_at is not None
        assert round_.closed_by_id is not None
        # Closed without funding, the proposal stays where it was: in dialogue.
        assert round_.proposal.status is Status.IN_DIALOGUE
        assert round_.proposal.events[-1].at < round_.closed_at


def test_the_demo_logins_have_rounds(db: Any, loaded: Path) -> None:
    investor = _user(db, INVESTOR)
    mine = db.session.scalars(
        select(Commitment).where(
            Commitment.investor_id == investor.id, Commitment.withdrawn_at.is_(None)
        )
    ).all()
    assert {c.round.state for c in mine} >= {RoundState.OPEN, RoundState.FUNDED}
    funded = next(c.round for c in mine if c.round.state is RoundState.FUNDED)
    assert investor.id in {i.investor_id for i in funded.investments}

    founder = _user(db, FOUNDER)
    founders_open = [r for r in _rounds(db, RoundState.OPEN) if r.proposal.company.owner == founder]
    assert len(founders_open) == 1
    # The demo investor's commitment there is named to the founder.
    assert any(
        c.investor_id == investor.id and c.named_to_founder for c in founders_open[0].commitments
    )


def test_funded_rounds_fit_their_proposals_timelines(db: Any, loaded: Path) -> None:
    funded_rounds = _rounds(db, RoundState.FUNDED)
    assert funded_rounds
    for round_ in funded_rounds:
        proposal = round_.proposal
        assert proposal.status is Status.FUNDED
        *earlier, last = proposal.events
        assert last.to_status is Status.FUNDED
        assert in_oslo(last.at).date() == round_.funded_on
        assert all(e.at < last.at for e in earlier)
        assert [e.to_status for e in earlier][-4:] == [
            Status.IN_SCREENING,
            Status.ACCEPTED,
            Status.PITCHED,
            Status.IN_DIALOGUE,
        ]
        assert round_.closed_at == last.at
        pitched = next(e for e in earlier if e.to_status is Status.PITCHED)
        assert pitched.at < round_.opened_at < round_.closed_at
        assert round_.raised is not None
        assert sum(i.amount for i in round_.investments) <= round_.raised
        assert any(i.outside_name and i.investor_id is None for i in round_.investments)
        committed = {c.investor_id for c in round_.commitments if c.is_active}
        members = {i.investor_id for i in round_.investments if i.investor_id}
        assert members <= committed
        assert round_.pre_money is not None
        assert round_.instrument is proposal.instrument
    # The demo's funded round is about two years old.
    age = _today() - funded_rounds[0].funded_on
    assert timedelta(days=730) <= age <= timedelta(days=790)


def test_commitments_within_bounds_and_in_the_past(db: Any, loaded: Path) -> None:
    now = datetime.now(UTC)
    rounds = _rounds(db)
    assert len(rounds) >= 4
    for round_ in rounds:
        assert 0 < round_.min_ticket <= round_.target
        assert round_.opened_at < now
        # Opened once the proposal could take commitments (accepted for Springbrett).
        accepted = next(e for e in round_.proposal.events if e.to_status is Status.ACCEPTED)
        assert accepted.at < round_.opened_at
        until = round_.closed_at or now
        assert round_.opened_at < until <= now
        for c in round_.commitments:
            assert round_.min_ticket <= c.amount <= round_.target, c.investor.email
            assert round_.opened_at < c.created_at < until
            if c.withdrawn_at is not None:
                assert c.created_at < c.withdrawn_at < until
            # Only after the investor was approved (investor@ is a demo login,
            # approved as it was made, without a recorded decision).
            assert c.investor.is_approved_investor
            approved = db.session.scalar(
                select(func.min(InvestorDecision.at)).where(
                    InvestorDecision.investor_id == c.investor_id
                )
            )
            assert approved is not None or c.investor.email == INVESTOR
            assert approved is None or approved < c.created_at, c.investor.email
        if round_.target_reached_at is not None:
            assert round_.opened_at < round_.target_reached_at < until
        if round_.lead_id is not None:
            assert round_.lead_id in {c.investor_id for c in round_.commitments if c.would_lead}
        for investment in round_.investments:
            assert investment.amount > 0


def test_follow_up_reports_every_six_months_for_two_years(db: Any, loaded: Path) -> None:
    (round_,) = _rounds(db, RoundState.FUNDED)
    proposal = round_.proposal
    assert round_.funded_on is not None
    requests = db.session.scalars(
        select(ReportRequest)
        .where(ReportRequest.proposal_id == proposal.id)
        .order_by(ReportRequest.period)
    ).all()
    assert [r.period for r in requests] == [1, 2, 3, 4]
    for request in requests:
        assert request.due_on == months_after(round_.funded_on, 6 * request.period)
        assert request.due_on < _today()
    reports = db.session.scalars(
        select(ResultReport)
        .where(ResultReport.proposal_id == proposal.id)
        .order_by(ResultReport.as_of)
    ).all()
    assert [r.request_id for r in reports] == [r.id for r in requests]
    for report in reports:
        assert report.request is not None
        assert report.request.due_on <= report.as_of < _today()
        assert report.words
    assert reports[-1].as_of - round_.funded_on >= timedelta(days=730)
    # Plausible growth from the jobs given at submission.
    employees = [r.employees for r in reports]
    assert employees == sorted(employees)
    assert proposal.jobs_now <= employees[0]
    revenue = [r.revenue_12m for r in reports]
    assert revenue == sorted(revenue)
    # One report entered by an organiser on the founder's behalf; the rest by the founder.
    behalf = [r for r in reports if r.on_behalf]
    assert len(behalf) == 1
    assert behalf[0].entered_by.is_organiser
    assert {r.entered_by_id for r in reports if not r.on_behalf} == {proposal.company.owner_id}


def test_a_round_closed_in_a_walk_through_does_not_come_back(
    app: Flask, db: Any, loaded: Path
) -> None:
    founder = _user(db, FOUNDER)
    (round_,) = [r for r in _rounds(db, RoundState.OPEN) if r.proposal.company.owner == founder]
    round_.state = RoundState.NOT_FUNDED
    round_.closed_at = datetime.now(UTC)
    db.session.commit()
    before = _counts(db)
    with app.test_request_context():
        services.load()
        db.session.commit()
    assert _counts(db) == before
    assert not [r for r in _rounds(db, RoundState.OPEN) if r.proposal.company.owner == founder]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 11, 20), 6, date(2025, 5, 20)),
        (date(2024, 11, 20), 24, date(2026, 11, 20)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
    ],
)
def test_months_after(day: date, months: int, expected: date) -> None:
    assert months_after(day, months) == expected
