"""Rules for Springbrett sessions: time zones, slots, quotas, versions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.events import services
from matchmaking.events.services import EventData, EventError
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
    assert services.oslo_to_utc(date(2027, 1, 20), time(17, 0)) == datetime(
        2027, 1, 20, 16, 0, tzinfo=UTC
    )
    assert services.oslo_to_utc(date(2027, 6, 20), time(17, 0)) == datetime(
        2027, 6, 20, 15, 0, tzinfo=UTC
    )
    # The night the clocks go back (31 Oct 2027): 01:00 UTC is 02:00 in Oslo.
    assert services.utc_to_oslo(datetime(2027, 10, 31, 1, 0, tzinfo=UTC)).hour == 2


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
    assert "18:00" in errors["meetings_start"]
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
