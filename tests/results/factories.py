"""Funded proposals for the follow-up report tests (a round made directly in
state FUNDED: the close form is another part of the issue)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from matchmaking.extensions import db, utcnow
from matchmaking.results.models import ReportRequest, ResultReport
from matchmaking.rounds.models import Investment, Round, RoundState


def funded(
    make_proposal: Any,
    owner: Any,
    *,
    funded_on: date | None = None,
    raised: int = 1_500_000,
    title: str = "Tareforedling",
    jobs_now: int = 2,
    jobs_in_3_years: int = 10,
    investors: tuple[Any, ...] = (),
) -> Any:
    """A proposal of ``owner`` with one funded round (``funded_on``: 200 days
    ago by default); each of ``investors`` invested 500 000 kr."""
    proposal = make_proposal(
        owner, status="funded", title=title, jobs_now=jobs_now, jobs_in_3_years=jobs_in_3_years
    )
    fund(proposal, funded_on=funded_on, raised=raised, investors=investors)
    return proposal


def fund(
    proposal: Any,
    *,
    funded_on: date | None = None,
    raised: int = 1_500_000,
    investors: tuple[Any, ...] = (),
) -> Round:
    """Give ``proposal`` a funded round."""
    round_ = Round(
        proposal=proposal,
        state=RoundState.FUNDED,
        target=proposal.ask,
        min_ticket=proposal.min_ticket,
        instrument=proposal.instrument,
        opened_at=utcnow() - timedelta(days=300),
        closed_at=utcnow() - timedelta(days=200),
        funded_on=funded_on or date.today() - timedelta(days=200),
        raised=raised,
    )
    db.session.add(round_)
    for position, investor in enumerate(investors):
        round_.investments.append(
            Investment(investor_id=investor.id, amount=500_000, position=position)
        )
    db.session.commit()
    return round_


def request_for(proposal: Any, period: int, due_on: date) -> ReportRequest:
    request = ReportRequest(proposal_id=proposal.id, period=period, due_on=due_on)
    db.session.add(request)
    db.session.commit()
    return request


def report(proposal: Any, by: Any, *, as_of: date, employees: float = 3.0, **values: Any) -> Any:
    row = ResultReport(
        proposal_id=proposal.id,
        as_of=as_of,
        employees=employees,
        revenue_12m=values.pop("revenue_12m", 800_000),
        capital_since=values.pop("capital_since", 0),
        words=values.pop("words", ""),
        entered_by_id=by.id,
        **values,
    )
    db.session.add(row)
    db.session.commit()
    return row
