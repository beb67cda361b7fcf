"""``flask --app wsgi results request``: the six-monthly requests for a report."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from matchmaking.extensions import db as _db
from matchmaking.extensions import utcnow
from matchmaking.results.models import ReportRequest
from matchmaking.results.periods import add_months, due_on, latest_due_period
from tests.conftest import links_in
from tests.results.factories import fund, funded


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(date(2026, 1, 15), 6) == date(2026, 7, 15)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 10, 1), 18) == date(2028, 4, 1)


def test_period_n_is_due_six_n_months_after_the_funding() -> None:
    funded_on = date(2026, 3, 10)
    assert [due_on(funded_on, n) for n in (1, 2, 3)] == [
        date(2026, 9, 10),
        date(2027, 3, 10),
        date(2027, 9, 10),
    ]
    assert latest_due_period(funded_on, date(2026, 9, 9)) is None
    assert latest_due_period(funded_on, date(2026, 9, 10)) == 1
    assert latest_due_period(funded_on, date(2027, 3, 9)) == 1
    assert latest_due_period(funded_on, date(2027, 3, 10)) == 2
    assert latest_due_period(funded_on, date(2031, 3, 10)) == 10
    with pytest.raises(ValueError, match="periods start at 1"):
        due_on(funded_on, 0)


def _run(app: Any, now: str) -> Any:
    result = app.test_cli_runner().invoke(args=["results", "request", "--now", now])
    assert result.exit_code == 0, result.output
    return result


def _requests(proposal: Any) -> list[tuple[int, date]]:
    _db.session.expire_all()
    rows = _db.session.scalars(
        select(ReportRequest)
        .where(ReportRequest.proposal_id == proposal.id)
        .order_by(ReportRequest.period)
    )
    return [(r.period, r.due_on) for r in rows]


def test_a_due_period_is_asked_for_once_in_the_founders_language(
    app: Any, make_user: Any, make_proposal: Any, outbox: list[Any]
) -> None:
    nb = make_user("entrepreneur", locale="nb")
    en = make_user("entrepreneur", locale="en")
    first = funded(make_proposal, nb, funded_on=date(2026, 3, 10), title="Tare")
    second = funded(make_proposal, en, funded_on=date(2026, 4, 20), title="Fisk")

    result = _run(app, "2026-09-09T12:00")
    assert "Report requests sent: 0." in result.output
    assert outbox == []

    result = _run(app, "2026-09-10T12:00")
    assert "Report requests sent: 1." in result.output
    assert "Tare" in result.output
    (message,) = outbox
    assert message.recipients == [nb.email]
    assert message.subject == f"Resultatrapport for «Tare»: hvordan går det med {nb.name} AS?"
    assert "Det er 6 måneder siden «Tare» ble finansiert" in message.body
    assert any(link.endswith(f"/proposals/{first.id}/results/new") for link in links_in(message))

    result = _run(app, "2026-09-10T18:00")  # run twice: sends once
    assert "Report requests sent: 0." in result.output
    assert len(outbox) == 1
    assert _requests(first) == [(1, date(2026, 9, 10))]

    outbox.clear()
    _run(app, "2026-10-21T06:00")
    (message,) = outbox
    assert message.recipients == [en.email]
    assert message.subject == f"Follow-up report for “Fisk”: how is {en.name} AS doing?"
    assert "It is 6 months since “Fisk” was funded" in message.body
    assert _requests(second) == [(1, date(2026, 10, 20))]


def test_a_year_missed_sends_one_request_for_the_latest_period(
    app: Any, make_user: Any, make_proposal: Any, outbox: list[Any]
) -> None:
    founder = make_user("entrepreneur")
    proposal = funded(make_proposal, founder, funded_on=date(2025, 1, 10))
    _run(app, "2026-01-20T12:00")
    assert len(outbox) == 1
    assert "Det er 12 måneder siden" in outbox[0].body
    assert _requests(proposal) == [(2, date(2026, 1, 10))]
    _run(app, "2026-07-10T12:00")
    assert _requests(proposal) == [(2, date(2026, 1, 10)), (3, date(2026, 7, 10))]
    assert len(outbox) == 2


def test_periods_count_from_the_first_funded_round(
    app: Any, make_user: Any, make_proposal: Any, outbox: list[Any]
) -> None:
    founder = make_user("entrepreneur")
    proposal = funded(make_proposal, founder, funded_on=date(2026, 1, 5))
    fund(proposal, funded_on=date(2026, 5, 1))  # a second round later
    _run(app, "2026-07-05T12:00")
    assert _requests(proposal) == [(1, date(2026, 7, 5))]


def test_the_day_is_norways(
    app: Any, make_user: Any, make_proposal: Any, outbox: list[Any]
) -> None:
    founder = make_user("entrepreneur")
    funded(make_proposal, founder, funded_on=date(2026, 3, 10))
    _run(app, "2026-09-09T21:30")  # UTC; 23.30 in Oslo: still the 9th
    assert outbox == []
    _run(app, "2026-09-09T22:30+00:00")  # 00.30 on the 10th in Oslo
    assert len(outbox) == 1


def test_a_disabled_founder_is_not_e_mailed_but_the_request_is_kept(
    app: Any, make_user: Any, make_proposal: Any, outbox: list[Any]
) -> None:
    founder = make_user("entrepreneur")
    proposal = funded(make_proposal, founder, funded_on=date(2026, 3, 10))
    founder.disabled_at = utcnow()
    _db.session.commit()
    result = _run(app, "2026-09-10T12:00")
    assert "not e-mailed" in result.output
    assert outbox == []
    assert _requests(proposal) == [(1, date(2026, 9, 10))]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--now", "tomorrow"], "--now must be a date and time like 2027-01-05T12:00"),
        (["--now", "2027-13-05T12:00"], "--now must be a date and time"),
        (["--soon"], "No such option"),
    ],
)
def test_bad_input_is_an_error_with_status_2(
    app: Any, db: Any, args: list[str], message: str
) -> None:
    result = app.test_cli_runner().invoke(args=["results", "request", *args])
    assert result.exit_code == 2
    assert "error: " in result.output
    assert message in result.output
    assert "Traceback" not in result.output


def _latest_by_brute_force(funded_on: date, today: date) -> int | None:
    period, n = None, 1
    while due_on(funded_on, n) <= today:
        period, n = n, n + 1
    return period


@given(
    funded_on=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    days=st.integers(min_value=-400, max_value=4000),
)
def test_the_latest_due_period_matches_counting_one_by_one(funded_on: date, days: int) -> None:
    today = funded_on + timedelta(days=days)
    assert latest_due_period(funded_on, today) == _latest_by_brute_force(funded_on, today)
