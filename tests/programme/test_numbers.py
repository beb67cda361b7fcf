"""The report's numbers against the hand-counted scenario (tests/programme/scenario.py)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.extensions import db
from matchmaking.programme.report.build import build
from matchmaking.programme.report.facts import load
from matchmaking.programme.report.numbers import compute
from matchmaking.proposals.models import Status
from matchmaking.reference.models import Municipality, Subproject
from tests.programme import scenario
from tests.programme.scenario import PERIOD


@pytest.fixture
def programme(make_proposal: Any, make_user: Any) -> scenario.Scenario:
    return scenario.build(make_proposal, make_user)


def _id(model: Any, slug: str) -> int:
    return db.session.scalar(select(model.id).where(model.slug == slug))


def test_the_funnel_follows_the_periods_submissions_to_its_end(programme: Any) -> None:
    numbers = compute(load(PERIOD.ends_at), PERIOD)
    # Submitted A B C D G; screened A B C; accepted A C; pitched, in
    # dialogue and funded A.
    assert [c.value for c in numbers.funnel.steps] == [5, 3, 2, 1, 1, 1]
    stopped = {s: c.value for s, c in numbers.funnel.stopped.items()}
    assert stopped == {Status.DECLINED: 1, Status.WITHDRAWN: 1, Status.CLOSED: 0}
    assert numbers.funnel.under_way.value == 2  # D and G


def test_the_period_before_counts_only_its_own_submissions(programme: Any) -> None:
    before = compute(load(PERIOD.ends_at), PERIOD.previous())
    assert PERIOD.previous().start.isoformat() == "2025-07-04"
    assert [c.value for c in before.funnel.steps] == [1, 1, 1, 1, 0, 0]  # E


def test_breakdowns_by_municipality_and_sub_project(programme: Any) -> None:
    numbers = compute(load(PERIOD.ends_at), PERIOD)
    narvik = numbers.breakdowns["municipality"][_id(Municipality, "narvik")].cells
    assert narvik["proposals"].value == 3  # A B G
    assert narvik["sought"].value == 3_800_000
    assert narvik["committed"].value == 300_000  # the withdrawn 400 000 is not
    assert narvik["raised"].value == 1_200_000
    assert narvik["jobs_now"].value == 4
    assert narvik["jobs_in_3_years"].value == 17
    assert narvik["jobs_reported"].value == 4.5  # June's report, not July's
    evenes = numbers.breakdowns["municipality"][_id(Municipality, "evenes")].cells
    assert (evenes["proposals"].value, evenes["committed"].value) == (1, 500_000)
    early = numbers.breakdowns["subproject"][_id(Subproject, "tidligfasekapital")].cells
    assert (early["proposals"].value, early["sought"].value) == (3, 3_800_000)
    assert numbers.breakdowns["subproject"][None].cells["proposals"].value == 1  # D
    total = numbers.total.cells
    assert (total["proposals"].value, total["sought"].value) == (5, 7_300_000)
    assert (total["committed"].value, total["raised"].value) == (800_000, 1_200_000)


def test_service_to_founders(programme: Any) -> None:
    service = compute(load(PERIOD.ends_at), PERIOD).service
    # Answered: A in 15 days, B in 47, C in 9; G waited 60 days unanswered;
    # D's 30 days are not up.
    assert (service.answered, service.median_days) == (3, 15)
    assert (service.within, service.due) == (2, 4)


def test_the_investor_base(programme: Any) -> None:
    investors = compute(load(PERIOD.ends_at), PERIOD).investors
    assert investors.approved.value == 3
    assert investors.new.value == 2
    assert investors.active.value == 3  # each committed in March


def test_larger_initiatives_are_listed_apart(programme: Any) -> None:
    large = compute(load(PERIOD.ends_at), PERIOD).large
    assert [p.title for p in large] == ["C"]  # F (90 jobs) is a draft


def test_the_steering_group_sees_fewer_than_3_and_cannot_work_a_hidden_cell_out(
    app: Any, programme: Any
) -> None:
    with app.test_request_context():
        report = build(PERIOD, masked=True)
    table = next(t for t in report.tables if t.dimension == "municipality")
    cells = {name: row.cells["proposals"] for g in table.groups for name, row in g.rows}
    # Evenes (1) and Harstad (1) are hidden; Narvik (3) too, or Ofoten's
    # subtotal minus Narvik would give Evenes back.
    assert cells["Evenes"].hidden
    assert cells["Harstad"].hidden
    assert cells["Narvik"].hidden
    assert not cells["Tysfjord"].hidden  # 0 recognises nobody
    ofoten, sor_troms = table.groups
    assert ofoten.subtotal.cells["proposals"].hidden  # else the whole minus it gives Harstad
    assert sor_troms.subtotal.cells["proposals"].hidden
    assert not table.total.cells["proposals"].hidden  # 5 companies
    # The investor base: 3 approved is shown, 2 new is not.
    assert not report.current.investors.approved.hidden
    assert report.current.investors.new.hidden


def test_organisers_see_every_number(app: Any, programme: Any) -> None:
    with app.test_request_context():
        report = build(PERIOD, masked=False)
    table = next(t for t in report.tables if t.dimension == "municipality")
    assert not any(
        row.cells[c].hidden for g in table.groups for _, row in g.rows for c in row.cells
    )
