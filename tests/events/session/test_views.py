"""Springbrett sessions as users meet them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from matchmaking.events.models import Event, EventAttendee, EventCandidate
from matchmaking.extensions import db as _db
from matchmaking.reference.models import Municipality, Subproject
from tests.conftest import reload
from tests.events.factories import new_event


def _form(**kw: str) -> dict[str, str]:
    day = (datetime.now(UTC) + timedelta(days=40)).date().isoformat()
    values = {
        "title": "Springbrett Narvik – vinter",
        "day": day,
        "start": "17:00",
        "venue": "Malmen",
        "municipality": str(
            _db.session.scalar(select(Municipality.id).where(Municipality.slug == "narvik"))
        ),
        "pitch_slots": "6",
        "minutes_per_pitch": "10",
        "meetings_start": "18:30",
        "meeting_slots": "8",
        "meeting_minutes": "20",
        "capacity": "30",
        "max_per_municipality": "",
    }
    values.update(kw)
    return values


def _count() -> int:
    return _db.session.scalar(select(func.count(Event.id))) or 0


def test_organiser_creates_and_publishes(client: Any, login_as: Any, reference: None) -> None:
    login_as("organiser", locale="en")
    response = client.post("/events/new", data=_form(), follow_redirects=True)
    assert "Session saved as a draft" in response.text
    assert "17:00" in response.text  # shown in Oslo time, stored as UTC
    event = _db.session.scalars(select(Event)).one()
    assert event.starts_at.hour in (15, 16)
    response = client.post(f"/events/{event.id}/publish", follow_redirects=True)
    assert "Session published" in response.text


def test_bad_input_is_shown_beside_the_field_and_kept(
    client: Any, login_as: Any, reference: None
) -> None:
    login_as("organiser", locale="en")
    sub = _db.session.scalars(select(Subproject)).first()
    assert sub is not None
    cases = {
        "day": ({"day": "2020-01-01"}, "must start in the future"),
        "pitch_slots": ({"pitch_slots": "0"}, "whole number from 1 to 50"),
        "meeting_slots": ({"meeting_slots": "99"}, "whole number from 1 to 40"),
        "minutes_per_pitch": ({"minutes_per_pitch": "-5"}, "whole number from 1"),
        "meetings_start": ({"meetings_start": "17:30"}, "cannot start before the pitches end"),
        f"min_{sub.id}": ({f"min_{sub.id}": "9"}, "cannot be met"),
    }
    for name, (change, message) in cases.items():
        response = client.post("/events/new", data=_form(**change))
        assert response.status_code == 200
        assert message in response.text, name
        assert 'value="Springbrett Narvik – vinter"' in response.text
        if name.startswith("min_"):
            assert 'id="minimums-error"' in response.text
        else:
            assert f'id="{name}-error"' in response.text
            assert 'aria-invalid="true"' in response.text
    assert _count() == 0


def test_a_date_or_time_that_is_not_one_is_told_in_norwegian(
    client: Any, login_as: Any, reference: None
) -> None:
    login_as("organiser", locale="nb")
    for change, message in (
        ({"start": "25:99"}, "Skriv et klokkeslett, f.eks. 17:00."),
        ({"meetings_start": "halv sju"}, "Skriv et klokkeslett, f.eks. 17:00."),
        ({"day": "i morgen"}, "Skriv en dato, f.eks. 2027-02-18."),
    ):
        response = client.post("/events/new", data=_form(**change))
        assert response.status_code == 200
        assert message in response.text, change
        assert "Not a valid" not in response.text
    assert _count() == 0


def test_stale_edit_is_refused_and_typed_data_kept(
    client: Any, login_as: Any, reference: None
) -> None:
    me = login_as("organiser", locale="en")
    event = new_event(me)
    event.version = 3
    _db.session.commit()
    response = client.post(f"/events/{event.id}/edit", data=_form(title="Min endring", version="2"))
    assert "changed by someone else" in response.text
    assert 'value="Min endring"' in response.text
    _db.session.expire_all()
    assert _db.session.get(Event, event.id).title == "Springbrett Narvik"
    response = client.post(
        f"/events/{event.id}/edit",
        data=_form(title="Min endring", version="3"),
        follow_redirects=True,
    )
    assert "Session saved" in response.text
    assert "Min endring" in response.text


def test_draft_is_hidden_from_others(
    client: Any, login_as: Any, make_user: Any, reference: None
) -> None:
    draft = new_event(make_user("organiser"), published=False, title="Hemmelig")
    login_as("investor", locale="en")
    assert client.get(f"/events/{draft.id}").status_code == 404
    assert "Hemmelig" not in client.get("/events/").text


def test_sign_up_cancel_and_capacity(
    client: Any, login_as: Any, make_user: Any, reference: None
) -> None:
    event = new_event(make_user("organiser"), capacity=1)
    login_as("investor", locale="en")
    response = client.post(f"/events/{event.id}/signup", follow_redirects=True)
    assert "You are signed up" in response.text
    response = client.post(f"/events/{event.id}/cancel", follow_redirects=True)
    assert "Your place is cancelled" in response.text
    client.post(f"/events/{event.id}/signup")
    login_as("investor", locale="en")
    response = client.post(f"/events/{event.id}/signup", follow_redirects=True)
    assert "this session is full" in response.text
    assert _db.session.scalar(select(func.count(EventAttendee.id))) == 1


def test_pending_investor_is_told_why(
    client: Any, login_as: Any, make_user: Any, reference: None
) -> None:
    event = new_event(make_user("organiser"))
    login_as("pending_investor", locale="en")
    response = client.get(f"/events/{event.id}")
    assert "once an organiser has approved your investor profile" in response.text
    client.post(f"/events/{event.id}/signup")
    assert _db.session.scalar(select(func.count(EventAttendee.id))) == 0


def test_founder_applies_once_with_own_accepted_proposal(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    event = new_event(make_user("organiser"))
    others = make_proposal(status="accepted", title="Andres")
    me = login_as("entrepreneur", locale="en")
    submitted = make_proposal(me, status="submitted", title="Ikke ennå")
    mine = make_proposal(me, status="accepted", title="Mitt")
    page = client.get(f"/events/{event.id}").text
    assert "Mitt" in page
    assert "Ikke ennå" not in page
    for p in (others, submitted):
        response = client.post(
            f"/events/{event.id}/apply", data={"proposal": p.id}, follow_redirects=True
        )
        assert "Choose one of your accepted proposals" in response.text or "accepted" in (
            response.text
        )
    response = client.post(
        f"/events/{event.id}/apply", data={"proposal": mine.id}, follow_redirects=True
    )
    assert "Your application is registered" in response.text
    response = client.post(
        f"/events/{event.id}/apply", data={"proposal": mine.id}, follow_redirects=True
    )
    assert "already a candidate" in response.text
    assert _db.session.scalar(select(func.count(EventCandidate.id))) == 1


def test_organiser_nominates_and_removes(
    client: Any, login_as: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("organiser", locale="en")
    event = new_event(me)
    accepted = make_proposal(status="accepted", title="Tare AS")
    response = client.post(
        f"/events/{event.id}/nominate", data={"proposal": accepted.id}, follow_redirects=True
    )
    assert "Proposal nominated" in response.text
    assert "Nominated" in response.text
    candidate = _db.session.scalars(select(EventCandidate)).one()
    response = client.post(
        f"/events/{event.id}/candidates/{candidate.id}/remove", follow_redirects=True
    )
    assert "Candidate removed" in response.text
    assert _db.session.scalar(select(func.count(EventCandidate.id))) == 0


@pytest.mark.parametrize("answer", ["invited", "accepted"])
def test_an_invited_candidate_is_not_removed_behind_the_founders_back(
    client: Any, login_as: Any, make_proposal: Any, reference: None, answer: str
) -> None:
    from matchmaking.events.models import CandidateSource, InvitationStatus

    me = login_as("organiser", locale="en")
    event = new_event(me)
    candidate = EventCandidate(
        event_id=event.id,
        proposal_id=make_proposal(status="accepted", title="Tare AS").id,
        source=CandidateSource.NOMINATED,
        invitation=InvitationStatus(answer),
    )
    _db.session.add(candidate)
    _db.session.commit()
    response = client.post(
        f"/events/{event.id}/candidates/{candidate.id}/remove", follow_redirects=True
    )
    assert "“Tare AS” is invited to pitch. Exclude it on the line-up page" in response.text
    assert _db.session.scalar(select(func.count(EventCandidate.id))) == 1
    # A founder who declined can be taken off the list.
    candidate = reload(candidate)
    candidate.invitation = InvitationStatus.DECLINED
    _db.session.commit()
    response = client.post(
        f"/events/{event.id}/candidates/{candidate.id}/remove", follow_redirects=True
    )
    assert "Candidate removed" in response.text
    assert _db.session.scalar(select(func.count(EventCandidate.id))) == 0


def test_norwegian_user_sees_oslo_time_in_norwegian(
    client: Any, login_as: Any, make_user: Any, reference: None
) -> None:
    event = new_event(make_user("organiser"))
    event.starts_at = datetime(2027, 6, 20, 15, 0, tzinfo=UTC)  # 17:00 in Oslo (summer)
    _db.session.commit()
    login_as("investor")
    page = client.get(f"/events/{event.id}").text
    assert "17:00" in page
    assert "juni" in page
    assert "Meld meg på" in page


def test_edit_keeps_a_retired_subprojects_minimum(
    client: Any, login_as: Any, reference: None
) -> None:
    from matchmaking.events.models import EventSubprojectMinimum

    me = login_as("organiser", locale="en")
    event = new_event(me)
    sub = _db.session.scalars(select(Subproject)).first()
    assert sub is not None
    event.minimums.append(EventSubprojectMinimum(subproject_id=sub.id, minimum=2))
    sub.retired_at = datetime.now(UTC)
    _db.session.commit()
    page = client.get(f"/events/{event.id}/edit").text
    assert f'name="min_{sub.id}"' in page
    assert sub.name_en in page


# --------------------------------------------------------------------------
# Double clicks: a friendly message, never an error page
# --------------------------------------------------------------------------


@pytest.fixture
def double_click(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> Any:
    """Post an action while "the other click" commits the same row just before
    this request writes (after it read the session)."""
    from sqlalchemy import insert

    from matchmaking.events.models import CandidateSource
    from matchmaking.events.session import services

    def run(action: str, monkeypatch: Any, *, lock: bool) -> tuple[Any, Any]:
        organiser = make_user("organiser", locale="en")
        event = new_event(organiser)
        if action == "signup":
            user = login_as("investor", locale="en")
            row = insert(EventAttendee).values(event_id=event.id, user_id=user.id)
            name, data = "sign_up", {}
        else:
            user = login_as("entrepreneur" if action == "apply" else "organiser", locale="en")
            proposal = make_proposal(user if action == "apply" else None, status="accepted")
            row = insert(EventCandidate).values(
                event_id=event.id,
                proposal_id=proposal.id,
                source=CandidateSource.APPLIED,
                created_at=datetime.now(UTC),
            )
            name, data = action, {"proposal": str(proposal.id)}
        original = getattr(services, name)

        def racing(ev: Any, *args: Any) -> Any:
            ev.attendees, ev.candidates  # noqa: B018 - this request has read them
            _db.session.execute(row)
            _db.session.commit()
            return original(ev, *args)

        monkeypatch.setattr(services, name, racing)
        if not lock:  # as on SQLite, where nothing holds the second click back
            monkeypatch.setattr(services, "lock", lambda *a, **k: None)
        response = client.post(f"/events/{event.id}/{action}", data=data, follow_redirects=True)
        return response, event

    return run


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ("signup", "You are already signed up."),
        ("apply", "That proposal is already a candidate."),
        ("nominate", "That proposal is already a candidate."),
    ],
)
@pytest.mark.parametrize("lock", [True, False])
def test_a_double_click_is_told_it_is_done(
    double_click: Any, monkeypatch: Any, action: str, message: str, lock: bool
) -> None:
    response, event = double_click(action, monkeypatch, lock=lock)
    assert response.status_code == 200
    assert message in response.text
    table = EventAttendee if action == "signup" else EventCandidate
    assert _db.session.scalar(select(func.count(table.id)).where(table.event_id == event.id)) == 1


def test_a_second_cancel_is_told_it_is_done(
    client: Any, login_as: Any, make_user: Any, reference: None
) -> None:
    event = new_event(make_user("organiser"))
    login_as("investor", locale="en")
    client.post(f"/events/{event.id}/signup")
    assert (
        "Your place is cancelled"
        in client.post(f"/events/{event.id}/cancel", follow_redirects=True).text
    )
    response = client.post(f"/events/{event.id}/cancel", follow_redirects=True)
    assert response.status_code == 200
    assert "You are not signed up." in response.text


def _spring_forward_day() -> datetime:
    """The next last Sunday of March at least a month ahead (the clocks go forward)."""
    year = (datetime.now(UTC) + timedelta(days=31)).year
    while True:
        day = datetime(year, 3, 31, tzinfo=UTC)
        day -= timedelta(days=(day.weekday() + 1) % 7)
        if day > datetime.now(UTC) + timedelta(days=31):
            return day
        year += 1


def test_a_time_that_does_not_exist_in_norway_is_refused_beside_the_field(
    client: Any, login_as: Any, reference: None
) -> None:
    login_as("organiser", locale="en")
    day = _spring_forward_day().date().isoformat()
    response = client.post(
        "/events/new", data=_form(day=day, start="02:30", pitch_slots="1", meetings_start="04:00")
    )
    assert response.status_code == 200
    assert "That time does not exist in Norway on this day (the clocks go forward)." in (
        response.text
    )
    assert 'id="start-error"' in response.text
    assert 'value="02:30"' in response.text
    assert _count() == 0
    response = client.post(
        "/events/new",
        data=_form(day=day, start="03:00", pitch_slots="1", meetings_start="04:00"),
        follow_redirects=True,
    )
    assert "Session saved as a draft" in response.text
    event = _db.session.scalars(select(Event)).one()
    assert event.starts_at.hour == 1  # 03:00 summer time is 01:00 UTC


def test_the_venue_does_not_repeat_the_municipality(
    client: Any, login_as: Any, make_user: Any, reference: None
) -> None:
    event = new_event(make_user("organiser"))
    event.venue = "Malmen, Narvik"
    _db.session.commit()
    login_as("investor", locale="en")
    for url in (f"/events/{event.id}", "/events/"):
        page = client.get(url).text
        assert "Malmen, Narvik" in page
        assert "Narvik, Narvik" not in page
