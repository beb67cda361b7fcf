"""The organisers' home, their menu's badges, the filtered lists the counts link
to, and the stale-plan notices on the session, schedule and agenda pages."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from matchmaking.events.models import Event
from matchmaking.extensions import db as _db
from matchmaking.extensions import utcnow
from matchmaking.introductions.models import Introduction
from matchmaking.proposals.models import Status
from matchmaking.screening.models import Criterion, Review, Score
from matchmaking.screening.services import seed_criteria
from tests.events.agenda_factories import scene


def _review(proposal: Any, reviewer: Any) -> None:
    criteria = list(_db.session.scalars(select(Criterion))) or seed_criteria()
    review = Review(proposal_id=proposal.id, reviewer_id=reviewer.id)
    review.scores = [Score(criterion_id=c.id, value=4) for c in criteria]
    _db.session.add(review)
    _db.session.commit()


def _count(page: str, key: str) -> tuple[int, str]:
    """The number and the link of one count on the home page."""
    found = re.search(
        rf'data-count="{key}">\s*<a href="([^"]+)">[^<]*</a>\s*<span[^>]*>(\d+)</span>', page
    )
    assert found is not None, key
    return int(found.group(2)), html.unescape(found.group(1))


def _world(make_user: Any, make_proposal: Any) -> dict[str, Any]:
    reviewers = [make_user("organiser"), make_user("organiser")]
    fresh = make_proposal(status="submitted", title="Uten vurderinger")
    half = make_proposal(status="in_screening", title="Én vurdering")
    done = make_proposal(status="resubmitted", title="To vurderinger")
    make_proposal(status="accepted", title="Allerede godkjent")
    _review(half, reviewers[0])
    for r in reviewers:
        _review(done, r)
    waiting = make_user("investor", approved=False, name="Venter Investor")
    make_user("investor", approved=True, name="Godkjent Investor")
    asker = make_user("investor", approved=True)
    old = make_proposal(status="accepted", title="Gammel forespørsel")
    new = make_proposal(status="accepted", title="Ny forespørsel")
    _db.session.add_all(
        [
            Introduction(
                investor_id=asker.id, proposal_id=old.id, created_at=utcnow() - timedelta(days=9)
            ),
            Introduction(
                investor_id=asker.id, proposal_id=new.id, created_at=utcnow() - timedelta(days=2)
            ),
        ]
    )
    _db.session.commit()
    return {"fresh": fresh, "half": half, "done": done, "waiting": waiting}


def test_the_organisers_home_counts_link_to_the_lists_of_exactly_those(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    _world(make_user, make_proposal)
    login_as("organiser", locale="en", name="Olga Organiser")
    page = client.get("/").text
    assert "What needs doing" in page
    assert "Hello, Olga Organiser." in page

    n, url = _count(page, "to_screen")
    assert n == 3
    listed = client.get(url).text
    assert all(t in listed for t in ("Uten vurderinger", "Én vurdering", "To vurderinger"))
    assert "Allerede godkjent" not in listed

    n, url = _count(page, "reviews_missing")
    assert n == 2
    assert "fewer than 2 reviews" in page
    listed = client.get(url).text
    assert "Uten vurderinger" in listed
    assert "Én vurdering" in listed
    assert "To vurderinger" not in listed
    assert '<option selected value="missing">' in listed  # the filter shows as chosen

    n, url = _count(page, "to_decide")
    assert n == 1
    listed = client.get(url).text
    assert "To vurderinger" in listed
    assert "Uten vurderinger" not in listed
    assert "Én vurdering" not in listed

    n, url = _count(page, "investors")
    assert n == 1
    listed = client.get(url).text
    assert "Venter Investor" in listed
    assert "Godkjent Investor" not in listed
    assert "Show all investors" in listed

    n, url = _count(page, "introductions")
    assert n == 1
    assert "unanswered for more than 7 days" in page
    listed = client.get(url).text
    assert "Gammel forespørsel" in listed
    assert "Ny forespørsel" not in listed
    everything = client.get("/introductions/open").text
    assert "Gammel forespørsel" in everything
    assert "Ny forespørsel" in everything


def test_the_menu_badges_say_what_their_numbers_mean(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    _world(make_user, make_proposal)
    login_as("organiser", locale="en")
    page = client.get("/events/").text
    assert '3<span class="visually-hidden"> proposals in screening</span>' in page
    assert '1<span class="visually-hidden"> awaiting approval</span>' in page
    assert '1<span class="visually-hidden"> unanswered for more than a week</span>' in page
    assert 'href="/screening/investors?status=pending"' in page
    assert 'href="/introductions/open?waiting=long"' in page
    # Norwegian as well.
    page = client.get("/events/?lang=nb").text
    assert '3<span class="visually-hidden"> forslag under vurdering</span>' in page


def test_no_badges_when_nothing_waits(client: Any, login_as: Any) -> None:
    login_as("organiser", locale="en")
    page = client.get("/events/").text
    assert 'visually-hidden"> proposals in screening' not in page
    assert "sessions need your action" not in page
    assert 'href="/introductions/open"' in page  # the menu item stays, without a badge


def test_the_home_lists_each_upcoming_session_with_what_needs_action(
    client: Any, make_user: Any, make_proposal: Any, login_as: Any
) -> None:
    organiser = login_as("organiser", locale="en")
    s = scene(make_user, make_proposal, organiser=organiser)
    page = client.get("/").text
    assert "Springbrett Narvik" in page
    assert 'data-notice="empty_place"' in page
    assert "Empty pitch places in the programme: 1." in page
    assert "Place 2, “Avlyst”: The founder declined the invitation to pitch." in page
    assert f'href="/events/{s.event.id}/lineup">Run the line-up again and publish it' in page
    assert 'data-notice="agendas_unsent"' in page
    assert f'href="/events/{s.event.id}#agenda-heading">Send the agendas</a>' in page
    # The menu carries the count of sessions that need action.
    assert '1<span class="visually-hidden"> sessions need your action</span>' in page
    # Fixed: the home says so.
    event = _db.session.get(Event, s.event.id)
    assert event is not None
    next(c for c in event.candidates if c.proposal.title == "Avlyst").lineup_position = None
    event.agendas_sent_at = utcnow()
    _db.session.commit()
    page = client.get("/").text
    assert "Nothing needs your action at this session." in page
    assert "sessions need your action" not in page


def test_a_past_session_is_not_on_the_home(
    client: Any, make_user: Any, make_proposal: Any, login_as: Any
) -> None:
    from tests.events.agenda_factories import set_start

    organiser = login_as("organiser", locale="en")
    s = scene(make_user, make_proposal, organiser=organiser)
    set_start(s.event, utcnow() - timedelta(days=1))
    page = client.get("/").text
    assert "Springbrett Narvik" not in page
    assert "No upcoming sessions." in page


def test_only_organisers_get_the_organisers_home(client: Any, login_as: Any) -> None:
    for role in ("anonymous", "entrepreneur", "investor", "pending_investor"):
        with client.session_transaction() as session:
            session.clear()
        login_as(role, locale="en")
        page = client.get("/?lang=en").text
        assert "What needs doing" not in page, role
        assert "proposals in screening" not in page, role


def test_the_stale_plan_notices_show_on_three_pages_for_organisers_only(
    client: Any, make_user: Any, make_proposal: Any, login_as: Any
) -> None:
    organiser = login_as("organiser", locale="en")
    s = scene(make_user, make_proposal, organiser=organiser)
    proposal = _db.session.get(type(s.proposals["Tare"]), s.proposals["Tare"].id)
    assert proposal is not None
    proposal.status = Status.WITHDRAWN
    _db.session.commit()
    eid = s.event.id
    for path in (f"/events/{eid}", f"/events/{eid}/schedule", f"/events/{eid}/agenda"):
        page = client.get(path).text
        assert "Needs your action" in page, path
        assert "Meetings with a company that no longer pitches: 2." in page, path
        assert f'href="/events/{eid}/schedule">Remove or move these meetings' in page, path
        assert 'class="alert alert-warning" data-notice="not_pitching"' in page, path
    # An organiser looking at one participant's agenda sees that agenda, not the notices.
    page = client.get(f"/events/{eid}/agenda?participant={s.ida.id}").text
    assert "Needs your action" not in page
    # Participants never see them.
    for user in (s.ida, s.founders["Sild"]):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        for path in (f"/events/{eid}", f"/events/{eid}/agenda"):
            page = client.get(path).text
            assert "Needs your action" not in page, path
            assert "no longer pitches" not in page, path
