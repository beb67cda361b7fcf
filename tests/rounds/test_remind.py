"""``flask --app wsgi rounds remind``: everyone concerned is told once that an
open round's closing date is near (7 days before, or later while still open)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from matchmaking.extensions import db as _db
from matchmaking.rounds import services
from matchmaking.rounds.models import Round


@pytest.fixture
def soon(app: Any, db: Any, make_user: Any, make_proposal: Any) -> dict[str, Any]:
    """A round closing on 10 March 2027 with one commitment (an English
    reader); the founder and an organiser read Norwegian."""
    organiser = make_user("organiser")
    founder = make_user("entrepreneur")
    investor = make_user("investor", approved=True, locale="en")
    make_user("investor", approved=True)  # no commitment: not concerned
    proposal = make_proposal(founder, status="pitched", title="Kveite", min_ticket=100_000)
    with app.test_request_context():
        round_ = services.start_round(proposal, organiser, closes_on=date(2027, 3, 10))
        services.commit(proposal, investor, amount=200_000)
        _db.session.commit()
    return {
        "round_id": round_.id,
        "emails": sorted([organiser.email, founder.email, investor.email]),
        "investor": investor,
    }


def _remind(app: Any, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["rounds", "remind", *args])


def test_remind_runs_twice_and_sends_once_in_each_language(
    app: Any, soon: dict[str, Any], outbox: list[Any]
) -> None:
    early = _remind(app, "--now", "2027-03-02T12:00")  # 8 days before
    assert early.exit_code == 0, early.output
    assert "Rounds reminded: 0." in early.output
    assert outbox == []

    result = _remind(app, "--now", "2027-03-03T08:00")  # 7 days before, in Oslo
    assert result.exit_code == 0, result.output
    assert "Reminded 3 about the round for 'Kveite' (closes 2027-03-10)." in result.output
    assert "Rounds reminded: 1." in result.output
    assert sorted(m.recipients[0] for m in outbox) == soon["emails"]
    subjects = {m.recipients[0]: m.subject for m in outbox}
    assert subjects[soon["investor"].email] == "The round for “Kveite” closes soon"
    assert sorted(set(subjects.values())) == [
        "Runden for «Kveite» avsluttes snart",
        "The round for “Kveite” closes soon",
    ]
    english = next(m for m in outbox if m.recipients[0] == soon["investor"].email)
    assert "closes on Wednesday 10 March 2027" in english.body
    _db.session.expire_all()
    assert _db.session.get(Round, soon["round_id"]).closing_reminded_at is not None

    again = _remind(app, "--now", "2027-03-04T08:00")
    assert "Rounds reminded: 0." in again.output
    assert len(outbox) == 3


def test_a_round_past_its_date_and_still_open_is_reminded_a_closed_one_is_not(
    app: Any, soon: dict[str, Any], outbox: list[Any], make_user: Any
) -> None:
    from matchmaking.rounds.close import services as close
    from matchmaking.rounds.models import CloseReason

    result = _remind(app, "--now", "2027-04-01T12:00")
    assert "Rounds reminded: 1." in result.output
    outbox.clear()
    round_ = _db.session.get(Round, soon["round_id"])
    round_.closing_reminded_at = None  # as if never reminded
    with app.test_request_context():
        close.close_not_funded(round_, make_user("organiser"), reason=CloseReason.OTHER, words="")
        _db.session.commit()
    outbox.clear()
    assert "Rounds reminded: 0." in _remind(app, "--now", "2027-04-02T12:00").output
    assert outbox == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--now", "tomorrow"], "--now must be a date and time like 2027-01-05T12:00"),
        (["--now", "2027-13-05T12:00"], "--now must be a date and time"),
        (["--soon"], "No such option"),
    ],
)
def test_remind_bad_input_is_an_error_with_status_2(
    app: Any, db: Any, args: list[str], message: str
) -> None:
    result = _remind(app, *args)
    assert result.exit_code == 2
    assert "error: " in result.output
    assert message in result.output
    assert "Traceback" not in result.output
