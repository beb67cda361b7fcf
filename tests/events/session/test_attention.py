"""What needs an organiser's action at a session: each notice appears when the
plan goes stale and disappears once the action it names is done."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from matchmaking.dates import when
from matchmaking.events.meetings import planning
from matchmaking.events.models import Event, EventAttendee, InvitationStatus
from matchmaking.events.session import attention
from matchmaking.events.session.attention import Notice
from matchmaking.extensions import db as _db
from matchmaking.extensions import utcnow
from matchmaking.proposals.models import Status
from tests.events import meeting_factories as mf
from tests.events.agenda_factories import Scene, scene, set_start
from tests.events.factories import new_event


@pytest.fixture
def en(app: Flask) -> Iterator[None]:
    with app.test_request_context("/?lang=en"):
        yield


@pytest.fixture
def s(en: None, make_user: Any, make_proposal: Any) -> Scene:
    """Tare, Sild and Vind pitch; Avlyst declined place 2; meetings built, agendas not sent."""
    return scene(make_user, make_proposal)


def _event(event: Event) -> Event:
    found = _db.session.get(Event, event.id, populate_existing=True)
    assert found is not None
    return found


def _notices(event: Event) -> dict[str, Notice]:
    return {n.kind: n for n in attention.notices(_event(event))}


def test_a_declined_founder_leaves_an_empty_place_until_the_line_up_fills_it(s: Scene) -> None:
    avlyst = next(c for c in s.event.candidates if c.proposal.title == "Avlyst")
    avlyst.decline_reason = "Vi rekker det ikke"
    _db.session.commit()
    notice = _notices(s.event)[attention.EMPTY_PLACE]
    assert notice.count == 1
    assert notice.details == (
        "Place 2, “Avlyst”: The founder declined the invitation to pitch."
        " The founder wrote: “Vi rekker det ikke”",
    )
    assert notice.action == "Run the line-up again and publish it to fill them"
    assert notice.url == f"/events/{s.event.id}/lineup"
    # A new run gives the place to someone else (the declined founder loses it).
    avlyst.lineup_position = None
    _db.session.commit()
    assert attention.EMPTY_PLACE not in _notices(s.event)


def test_a_withdrawn_proposal_empties_its_place_and_its_meetings_go_stale(s: Scene) -> None:
    s.proposals["Tare"].status = Status.WITHDRAWN
    _db.session.commit()
    notices = _notices(s.event)
    assert notices[attention.EMPTY_PLACE].count == 2  # Tare's and Avlyst's places
    assert any("Tare" in d and "Withdrawn" in d for d in notices[attention.EMPTY_PLACE].details)
    gone = notices[attention.NOT_PITCHING]
    assert gone.count == 2  # Ida and Per both meet Tare
    assert gone.message == "Meetings with a company that no longer pitches: 2."
    assert gone.url == f"/events/{s.event.id}/schedule"
    assert all("Tare" in d for d in gone.details)
    event = _event(s.event)
    for key in (("Ida", "Tare"), ("Per", "Tare")):
        planning.remove_meeting(s.meetings[key], event.version)
    _db.session.commit()
    assert attention.NOT_PITCHING not in _notices(s.event)


def test_meetings_with_an_investor_who_cancelled(s: Scene) -> None:
    event = _event(s.event)
    per = next(a for a in event.attendees if a.user_id == s.per.id)
    _db.session.delete(per)
    _db.session.commit()
    notice = _notices(s.event)[attention.CANCELLED]
    assert notice.count == 2
    assert "Per Investor" in notice.details[0]
    event = _event(s.event)
    for key in (("Per", "Vind"), ("Per", "Tare")):
        planning.remove_meeting(s.meetings[key], event.version)
    _db.session.commit()
    assert attention.CANCELLED not in _notices(s.event)
    # Signing up again is also a fix (no meetings left to clash, nothing shown).
    _event(s.event).attendees.append(EventAttendee(user_id=s.per.id))
    _db.session.commit()
    assert attention.CANCELLED not in _notices(s.event)


def test_unanswered_invitations_name_the_reply_deadline(s: Scene) -> None:
    sild = next(c for c in s.event.candidates if c.proposal.title == "Sild")
    sild.invitation = InvitationStatus.INVITED
    deadline = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    _event(s.event).reply_by = deadline
    _db.session.commit()
    notice = _notices(s.event)[attention.UNANSWERED]
    assert notice.count == 1
    assert notice.message == (
        f"Invitations to pitch not answered yet: 1. They reply by {when(deadline)}."
    )
    assert notice.details == ("Sild",)
    # Past the deadline the notice says so.
    _event(s.event).reply_by = utcnow() - timedelta(hours=1)
    _db.session.commit()
    assert "has passed" in _notices(s.event)[attention.UNANSWERED].message
    sild.invitation = InvitationStatus.ACCEPTED
    _db.session.commit()
    assert attention.UNANSWERED not in _notices(s.event)


def test_a_line_up_out_of_date_and_a_run_not_published(s: Scene) -> None:
    event = _event(s.event)
    event.lineup_run_at = utcnow() + timedelta(seconds=5)
    event.lineup_bound = None  # a pin changed after the run
    _db.session.commit()
    notices = _notices(s.event)
    assert notices[attention.LINEUP].details == (
        "Pins, exclusions or the screening weight changed after the last run.",
    )
    assert notices[attention.LINEUP].action == "Run the line-up again"
    assert attention.LINEUP_UNPUBLISHED in notices
    event = _event(s.event)
    event.lineup_bound = 1.0
    _db.session.commit()
    notices = _notices(s.event)
    assert attention.LINEUP not in notices
    assert notices[attention.LINEUP_UNPUBLISHED].action == "Publish the line-up"
    event = _event(s.event)
    event.lineup_published_at = utcnow() + timedelta(seconds=10)
    event.agendas_sent_at = utcnow() + timedelta(seconds=20)
    _db.session.commit()
    assert attention.LINEUP_UNPUBLISHED not in _notices(s.event)


def test_agendas_not_sent_then_sent_then_out_of_date_after_a_hand_edit(s: Scene) -> None:
    notice = _notices(s.event)[attention.AGENDAS_UNSENT]
    assert notice.action == "Send the agendas"
    assert notice.url == f"/events/{s.event.id}#agenda-heading"
    event = _event(s.event)
    event.agendas_sent_at = utcnow()
    _db.session.commit()
    notices = _notices(s.event)
    assert attention.AGENDAS_UNSENT not in notices
    assert attention.AGENDAS_STALE not in notices
    event = _event(s.event)
    planning.move_meeting(s.meetings[("Ida", "Tare")], 5, event.version)
    _db.session.commit()
    event = _event(s.event)
    assert event.schedule_changed_at is not None
    assert event.agendas_sent_at is not None
    assert event.schedule_changed_at > event.agendas_sent_at
    stale = _notices(s.event)[attention.AGENDAS_STALE]
    assert stale.action == "Send the agendas again"
    assert when(event.agendas_sent_at) in stale.message
    event.agendas_sent_at = utcnow() + timedelta(seconds=1)
    _db.session.commit()
    assert attention.AGENDAS_STALE not in _notices(s.event)


def test_a_line_up_published_after_the_schedule_makes_the_schedule_and_agendas_stale(
    s: Scene,
) -> None:
    event = _event(s.event)
    event.schedule_built_at = event.schedule_changed_at = utcnow() - timedelta(minutes=20)
    event.agendas_sent_at = utcnow() - timedelta(minutes=10)
    event.lineup_published_at = utcnow() - timedelta(minutes=5)
    _db.session.commit()
    notices = _notices(s.event)
    assert attention.SCHEDULE_STALE in notices
    assert attention.AGENDAS_STALE in notices
    # Adding a meeting by hand is a change of the schedule after the publish.
    event = _event(s.event)
    planning.add_meeting(event, s.ida.id, s.proposals["Vind"].id, 3, event.version)
    _db.session.commit()
    event = _event(s.event)
    assert event.schedule_changed_at is not None
    assert event.lineup_published_at is not None
    assert event.schedule_changed_at > event.lineup_published_at
    assert attention.SCHEDULE_STALE not in _notices(s.event)


def test_building_the_schedule_records_the_change(
    en: None, make_user: Any, make_proposal: Any
) -> None:
    organiser = make_user("organiser")
    event = new_event(organiser)
    p = make_proposal(status="accepted", title="Bygg")
    mf.publish_lineup(event, p, status=InvitationStatus.ACCEPTED)
    investor = make_user("investor", approved=True)
    mf.sign_up(event, investor)
    mf.ask(event, investor, p)
    before = utcnow()
    event = _event(event)
    planning.build_schedule(event, event.version, time_limit=5)
    _db.session.commit()
    event = _event(event)
    assert event.schedule_changed_at is not None
    assert event.schedule_changed_at >= before
    assert event.schedule_changed_at == event.schedule_built_at
    assert [n.kind for n in attention.notices(event)] == [attention.AGENDAS_UNSENT]


def test_a_session_that_started_keeps_only_the_schedules_notices(s: Scene) -> None:
    set_start(s.event, utcnow() - timedelta(hours=1))
    s.proposals["Vind"].status = Status.WITHDRAWN
    _db.session.commit()
    assert set(_notices(s.event)) == {attention.NOT_PITCHING}


def test_the_menu_count_of_sessions_that_need_action(s: Scene) -> None:
    assert attention.sessions_needing_action_count() == 1
    event = _event(s.event)
    next(c for c in event.candidates if c.proposal.title == "Avlyst").lineup_position = None
    event.agendas_sent_at = utcnow()
    _db.session.commit()
    assert attention.notices(_event(s.event)) == []
    assert attention.sessions_needing_action_count() == 0
    event = _event(s.event)
    event.schedule_changed_at = utcnow() + timedelta(seconds=5)
    _db.session.commit()
    assert attention.sessions_needing_action_count() == 1
    set_start(s.event, utcnow() - timedelta(hours=1))  # past sessions do not count
    assert attention.sessions_needing_action_count() == 0
