"""The top of an agenda: the person's own next item, what a phone shows first
on the day. Times are those of the agenda scene: pitches from 17:00 Oslo time
(Tare 17:00, Sild 17:20, Vind 17:30, ten minutes each), 1:1 meetings of twenty
minutes from 19:00 (Ida meets Tare at 19:00 and Sild at 19:20)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask

from matchmaking.events.models import Event
from matchmaking.extensions import db as _db
from tests.events.agenda_factories import Scene, scene

#: 17:00 in Oslo on a winter day (UTC+1).
WINTER = datetime(2030, 1, 15, 16, 0, tzinfo=UTC)


def _scene(make_user: Any, make_proposal: Any, **kw: Any) -> Scene:
    return scene(make_user, make_proposal, starts_at=WINTER, **kw)


def _next_at(app: Flask, s: Scene, who: Any, minutes_after_17: int) -> str | None:
    """What ``who``'s agenda gives as next at 17:00 + ``minutes_after_17``, in words."""
    from matchmaking.events.agenda.services import agenda_for, next_item

    with app.test_request_context():
        event = _db.session.get(Event, s.event.id)
        assert event is not None
        item = next_item(agenda_for(event, who), WINTER + timedelta(minutes=minutes_after_17))
        if item is None:
            return None
        start = (item.starts_at - WINTER).total_seconds() // 60
        if item.pitch is not None:
            return f"+{start:.0f} pitch {item.pitch.title}"
        if item.meeting is not None:
            return f"+{start:.0f} meeting {item.meeting.with_name}"
        return f"+{start:.0f} programme until +{(item.ends_at - WINTER).seconds // 60}"


def test_an_investors_next_item_moves_through_the_day(
    app: Flask, make_user: Any, make_proposal: Any, reference: None
) -> None:
    s = _scene(make_user, make_proposal)
    ida = s.ida
    assert _next_at(app, s, ida, -600) == "+0 programme until +40"
    assert _next_at(app, s, ida, 39) == "+0 programme until +40"
    assert _next_at(app, s, ida, 40) == "+120 meeting Tare"
    assert _next_at(app, s, ida, 139) == "+120 meeting Tare"  # still on
    assert _next_at(app, s, ida, 140) == "+140 meeting Sild"
    assert _next_at(app, s, ida, 160) is None  # the day is over


def test_a_founders_next_item_is_their_pitch_then_their_meetings(
    app: Flask, make_user: Any, make_proposal: Any, reference: None
) -> None:
    s = _scene(make_user, make_proposal)
    tare = s.founders["Tare"]
    assert _next_at(app, s, tare, -60) == "+0 pitch Tare"
    assert _next_at(app, s, tare, 10) == "+120 meeting Ida Isaksen"


def test_the_agenda_page_opens_with_the_next_item(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("entrepreneur", locale="en", name="Gründer Tare")
    s = _scene(make_user, make_proposal, tare_founder=me)
    page = client.get(f"/events/{s.event.id}/agenda").text
    start = page.index("Next for you")
    assert start < page.index("Pitch programme")
    box = " ".join(page[start : page.index("</section>", start)].split())
    assert "17:00</time>–<time" in box
    assert "Your pitch: “Tare”" in box
    assert "Tuesday 15 January 2030 · Malmen, Narvik" in box


def test_the_organisers_overview_has_no_next_item(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("organiser", locale="en")
    s = _scene(make_user, make_proposal, organiser=me)
    page = client.get(f"/events/{s.event.id}/agenda").text
    assert "Everyone with an agenda" in page
    assert "Next for you" not in page
    assert "agenda-next" not in page
