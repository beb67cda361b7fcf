"""Rules for Springbrett sessions: time zones, slots, quotas, versions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, insert, select, update

from matchmaking.events import programme
from matchmaking.events.models import Event
from matchmaking.events.session import services
from matchmaking.events.session.services import EventData, EventError
from matchmaking.extensions import db as _db
from matchmaking.reference.models import Municipality, Subproject

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _data(**kw: Any) -> EventData:
    values: dict[str, Any] = {
        "title": "Springbrett Narvik",
        "day": date(2027, 1, 20),
        "start": time(17, 0),
        "venue": "Malmen",
        "municipality_id": _db.session.scalar(
            select(Municipality.id).where(Municipality.slug == "narvik")
        ),
        "pitch_slots": 6,
        "minutes_per_pitch": 10,
        "meeting_slots": 8,
        "meeting_minutes": 20,
        "meetings_start": time(18, 30),
        "capacity": 30,
    }
    values.update(kw)
    return EventData(**values)


def test_oslo_time_is_stored_as_utc_in_winter_and_summer(reference: None) -> None:
    assert programme.oslo_to_utc(date(2027, 1, 20), time(17, 0)) == datetime(
        2027, 1, 20, 16, 0, tzinfo=UTC
    )
    assert programme.oslo_to_utc(date(2027, 6, 20), time(17, 0)) == datetime(
        2027, 6, 20, 15, 0, tzinfo=UTC
    )
    # The night the clocks go back (31 Oct 2027): 01:00 UTC is 02:00 in Oslo.
    assert programme.utc_to_oslo(datetime(2027, 10, 31, 1, 0, tzinfo=UTC)).hour == 2


def test_good_event_has_no_errors(reference: None) -> None:
    assert services.check_event(_data(), NOW) == {}


def test_event_in_the_past_is_refused(reference: None) -> None:
    errors = services.check_event(_data(day=date(2026, 11, 25)), NOW)
    assert "future" in errors["day"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("pitch_slots", 0),
        ("pitch_slots", -3),
        ("pitch_slots", 51),
        ("meeting_slots", 41),
        ("minutes_per_pitch", 0),
        ("meeting_minutes", -1),
        ("capacity", 0),
    ],
)
def test_zero_negative_and_absurd_numbers_are_refused(
    reference: None, name: str, value: int
) -> None:
    errors = services.check_event(_data(**{name: value}), NOW)
    assert "whole number from 1" in errors[name]


def test_quotas_that_cannot_be_met_name_the_subprojects(reference: None) -> None:
    subs = list(_db.session.scalars(select(Subproject).order_by(Subproject.id)))[:2]
    errors = services.check_event(_data(minimums={subs[0].id: 4, subs[1].id: 3}), NOW)
    message = errors["minimums"]
    assert "cannot be met" in message
    assert "7" in message
    assert "6 pitch slots" in message
    assert subs[0].name in message
    assert subs[1].name in message


def test_meetings_cannot_start_before_pitches_end(reference: None) -> None:
    # 6 x 10 minutes from 17:00 end at 18:00 Oslo time.
    errors = services.check_event(_data(meetings_start=time(17, 45)), NOW)
    assert "18.00" in errors["meetings_start"]
    assert services.check_event(_data(meetings_start=time(18, 0)), NOW) == {}


def test_stale_version_is_refused(reference: None, make_user: Any) -> None:
    organiser = make_user("organiser")
    event = services.create_event(_data(), organiser, NOW)
    services.update_event(event, _data(title="Ny tittel"), 1, NOW)
    assert event.version == 2
    with pytest.raises(EventError, match="someone else"):
        services.update_event(event, _data(title="Gammel"), 1, NOW)
    assert event.title == "Ny tittel"


def test_capacity_is_respected(reference: None, make_user: Any) -> None:
    event = services.create_event(_data(capacity=1), make_user("organiser"), NOW)
    services.publish(event)
    services.sign_up(event, make_user("investor", approved=True))
    with pytest.raises(EventError, match="full"):
        services.sign_up(event, make_user("investor", approved=True))
    with pytest.raises(EventError, match="approved"):
        services.sign_up(event, make_user("investor", approved=False))


def test_two_saves_at_once_the_second_is_refused(reference: None, make_user: Any) -> None:
    """Both organisers read version 1; the other one's save commits first. The
    version check and bump are one conditional UPDATE, so this save is refused
    even though the version it read matched, and the other title stays."""
    event = services.create_event(_data(), make_user("organiser"), NOW)
    _db.session.commit()
    _db.session.execute(
        update(Event)
        .where(Event.id == event.id)
        .values(version=2, title="Saved by the other organiser")
        .execution_options(synchronize_session=False)
    )
    _db.session.commit()
    assert event.version == 1  # this request still sees what it read
    with pytest.raises(EventError, match="someone else"):
        services.update_event(event, _data(title="Mine"), 1, NOW)
    _db.session.rollback()
    row = _db.session.get(Event, event.id, populate_existing=True)
    assert row is not None
    assert (row.title, row.version) == ("Saved by the other organiser", 2)


def test_a_save_claims_the_version_it_read(reference: None, make_user: Any) -> None:
    event = services.create_event(_data(), make_user("organiser"), NOW)
    _db.session.commit()
    services.update_event(event, _data(title="Ny tittel"), 1, NOW)
    _db.session.commit()
    row = _db.session.get(Event, event.id, populate_existing=True)
    assert row is not None
    assert (row.title, row.version) == ("Ny tittel", 2)


def test_a_founders_decline_adds_to_the_version_in_sql(
    app: Any, reference: None, make_user: Any, make_proposal: Any
) -> None:
    """An organiser's save commits between the founder's read and the decline:
    the decline adds one to the version in the database, so neither bump is lost."""
    from matchmaking.events.lineup import services as lineup
    from matchmaking.events.models import CandidateSource, EventCandidate, InvitationStatus

    organiser = make_user("organiser")
    event = services.create_event(_data(day=date.today() + timedelta(days=30)), organiser)
    services.publish(event)
    founder = make_user("entrepreneur")
    candidate = EventCandidate(
        proposal_id=make_proposal(founder, status="accepted").id,
        source=CandidateSource.NOMINATED,
        lineup_position=0,
        invitation=InvitationStatus.INVITED,
    )
    event.candidates.append(candidate)
    event.lineup_published_at = datetime.now(UTC)
    _db.session.commit()
    read = event.version
    _db.session.execute(
        update(Event)
        .where(Event.id == event.id)
        .values(version=read + 1)
        .execution_options(synchronize_session=False)
    )
    _db.session.commit()
    with app.test_request_context():
        assert lineup.answer(candidate, founder, accept=False) is True
        _db.session.commit()
    row = _db.session.get(Event, event.id, populate_existing=True)
    assert row is not None
    assert row.version == read + 2


def test_publishing_adds_to_the_version_in_sql(reference: None, make_user: Any) -> None:
    event = services.create_event(_data(), make_user("organiser"), NOW)
    _db.session.commit()
    _db.session.execute(
        update(Event)
        .where(Event.id == event.id)
        .values(version=2)
        .execution_options(synchronize_session=False)
    )
    _db.session.commit()  # another organiser's save, after this request read version 1
    services.publish(event)
    _db.session.commit()
    row = _db.session.get(Event, event.id, populate_existing=True)
    assert row is not None
    assert (row.is_published, row.version) == (True, 3)


# --------------------------------------------------------------------------
# Clock changes: a time that does not exist, a time that exists twice
# --------------------------------------------------------------------------

SPRING = date(2027, 3, 28)  # clocks go forward at 02:00 to 03:00
AUTUMN = date(2027, 10, 31)  # clocks go back at 03:00 to 02:00


@pytest.mark.parametrize("field", ["start", "meetings_start"])
def test_a_time_skipped_when_the_clocks_go_forward_is_refused(reference: None, field: str) -> None:
    values: dict[str, Any] = {"day": SPRING, "start": time(0, 30), "meetings_start": time(4, 0)}
    values[field] = time(2, 30)
    if field == "meetings_start":
        values["pitch_slots"] = 1
    errors = services.check_event(_data(**values), NOW)
    assert errors[field] == (
        "That time does not exist in Norway on this day (the clocks go forward)."
    )
    assert not services.exists_in_oslo(SPRING, time(2, 30))
    assert services.exists_in_oslo(SPRING, time(3, 0))
    assert services.exists_in_oslo(SPRING, time(1, 59))


def test_a_time_that_happens_twice_is_taken_as_the_first_summer_time(reference: None) -> None:
    # 02:30 happens at 00:30 UTC (summer time, +2) and again at 01:30 UTC (+1).
    assert services.exists_in_oslo(AUTUMN, time(2, 30))
    assert programme.oslo_to_utc(AUTUMN, time(2, 30)) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    errors = services.check_event(
        _data(day=AUTUMN, start=time(2, 30), meetings_start=time(4, 0), pitch_slots=1), NOW
    )
    assert errors == {}


# --------------------------------------------------------------------------
# Double clicks: the session's row is locked and its lists re-read
# --------------------------------------------------------------------------


def _behind_our_back(statement: Any) -> None:
    """Another request's change, committed after this one read the session."""
    _db.session.execute(statement)
    _db.session.commit()


def test_a_second_sign_up_at_the_same_moment_is_told_it_is_done(
    reference: None, make_user: Any
) -> None:
    from matchmaking.events.models import EventAttendee

    event = services.create_event(_data(), make_user("organiser"), NOW)
    services.publish(event)
    investor = make_user("investor", approved=True)
    _db.session.commit()
    assert event.attendees == []  # read before the other click's row is there
    _behind_our_back(insert(EventAttendee).values(event_id=event.id, user_id=investor.id))
    with pytest.raises(EventError, match="already signed up"):
        services.sign_up(event, investor)
    _db.session.rollback()
    count = _db.session.scalar(
        select(func.count(EventAttendee.id)).where(EventAttendee.event_id == event.id)
    )
    assert count == 1


def test_the_last_place_goes_to_one_investor_only(reference: None, make_user: Any) -> None:
    from matchmaking.events.models import EventAttendee

    event = services.create_event(_data(capacity=1), make_user("organiser"), NOW)
    services.publish(event)
    first, second = make_user("investor", approved=True), make_user("investor", approved=True)
    _db.session.commit()
    assert event.attendees == []
    _behind_our_back(insert(EventAttendee).values(event_id=event.id, user_id=first.id))
    with pytest.raises(EventError, match="full"):
        services.sign_up(event, second)


@pytest.mark.parametrize("how", ["apply", "nominate"])
def test_a_second_application_at_the_same_moment_is_told_it_is_done(
    reference: None, make_user: Any, make_proposal: Any, how: str
) -> None:
    from matchmaking.events.models import CandidateSource, EventCandidate

    event = services.create_event(_data(), make_user("organiser"), NOW)
    services.publish(event)
    founder = make_user("entrepreneur")
    proposal = make_proposal(founder, status="accepted")
    _db.session.commit()
    assert event.candidates == []
    _behind_our_back(
        insert(EventCandidate).values(
            event_id=event.id,
            proposal_id=proposal.id,
            source=CandidateSource.APPLIED,
            created_at=datetime.now(UTC),
        )
    )

    def again() -> Any:
        if how == "apply":
            return services.apply(event, proposal, founder)
        return services.nominate(event, proposal)

    with pytest.raises(EventError, match="already a candidate"):
        again()


@pytest.mark.parametrize(
    ("venue", "shown"),
    [
        ("Malmen", "Malmen, Narvik"),
        ("Malmen, Narvik", "Malmen, Narvik"),
        ("Malmen, narvik ", "Malmen, narvik"),
        ("Narvik rådhus", "Narvik rådhus, Narvik"),
    ],
)
def test_the_place_names_the_municipality_once(
    reference: None, make_user: Any, venue: str, shown: str
) -> None:
    event = services.create_event(_data(venue=venue), make_user("organiser"), NOW)
    assert programme.place(event) == shown
