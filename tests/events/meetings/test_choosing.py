"""Investors and founders choosing each other for 1:1 meetings: what each side
sees of the other, who asked to meet them (mutual requests marked), and a
schedule that stays readable with 30 companies (compact cells, a page per
meeting for edits, a view by investor)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.events.models import Event, Meeting, MeetingSource
from matchmaking.extensions import db as _db
from matchmaking.investors.models import InvestorProfile
from matchmaking.reference.models import Sector, Stage
from tests.events import meeting_factories as mf
from tests.events.factories import new_event
from tests.events.meetings.test_meetings import _login
from tests.events.meetings.test_meetings import session as session


def _about(page: str, key: int) -> str:
    """What the choice page says beside one option (its ``wanted-<id>-about``)."""
    found = re.search(rf'<div id="wanted-{key}-about">(.*?)</div>\s*</div>', page, re.S)
    assert found is not None, key
    return found.group(1)


def _profile_details(user: Any) -> None:
    profile = _db.session.scalar(select(InvestorProfile).where(InvestorProfile.user_id == user.id))
    profile.ticket_min = 500_000
    profile.ticket_max = 3_000_000
    profile.sectors = [_db.session.scalar(select(Sector).where(Sector.slug == "marine"))]
    profile.stages = list(_db.session.scalars(select(Stage).where(Stage.slug == "seed")))
    _db.session.commit()


def test_founder_sees_each_investors_sectors_stages_ticket_and_score(
    client: Any, session: dict[str, Any]
) -> None:
    event, founder, tare = session["event"], session["founder"], session["tare"]
    ola, kari = session["other_investor"], session["investor"]
    _profile_details(ola)
    mf.score(ola, tare, 0.64)
    _login(client, founder)
    page = client.get(f"/events/{event.id}/meetings").text
    about = _about(page, ola.id)
    assert "Sectors</dt>" in about
    assert "Marine" in about or "Marin" in about
    assert "Seed" in about or "Såkorn" in about
    assert "500\xa0000\xa0kr–3\xa0000\xa0000\xa0kr" in about
    assert "64%" in about
    # An investor without a profile or a score: said plainly, not left blank.
    about = _about(page, kari.id)
    assert "Any sector" in about
    assert "Any stage" in about
    assert "Not given" in about
    assert "None: your company is not among this investor's best matches." in about


def test_both_sides_see_who_asked_to_meet_them_and_mutual_is_marked(
    client: Any, session: dict[str, Any]
) -> None:
    event, founder, tare, fisk = (session[k] for k in ("event", "founder", "tare", "fisk"))
    ola, kari = session["other_investor"], session["investor"]
    mf.ask(event, ola, tare)  # Ola asked Tare; Tare asks Ola too: mutual
    mf.ask(event, ola, tare, side="founder")
    mf.ask(event, kari, tare)  # Kari asked Tare: one-sided
    mf.ask(event, kari, fisk, side="founder")  # Fisk's founder asked Kari

    _login(client, founder)
    page = client.get(f"/events/{event.id}/meetings").text
    ola_about, kari_about = _about(page, ola.id), _about(page, kari.id)
    assert "This investor asked to meet you." in ola_about
    assert "Mutual:" in ola_about
    assert "You asked too." in ola_about
    assert '<span aria-hidden="true">⇄</span>' in ola_about  # a mark, not colour alone
    assert "This investor asked to meet you." in kari_about
    assert "Mutual:" not in kari_about

    _login(client, kari)
    page = client.get(f"/events/{event.id}/meetings").text
    assert "The founder asked to meet you." in _about(page, fisk.id)
    assert "Mutual:" not in _about(page, fisk.id)  # Kari has not asked Fisk
    assert "asked to meet you" not in _about(page, tare.id)  # Kari asked; Tare did not
    # Kari asks Fisk as well: now it is mutual on both pages.
    client.post(f"/events/{event.id}/meetings", data={"wanted": [str(fisk.id), str(tare.id)]})
    page = client.get(f"/events/{event.id}/meetings").text
    assert "Mutual:" in _about(page, fisk.id)


def test_nobody_sees_who_asked_someone_else(client: Any, session: dict[str, Any]) -> None:
    event, fisk, ola, kari = (session[k] for k in ("event", "fisk", "other_investor", "investor"))
    mf.ask(event, ola, fisk, side="founder")  # Fisk asked Ola, not Kari
    _login(client, kari)
    page = client.get(f"/events/{event.id}/meetings").text
    assert "asked to meet you" not in page


# --------------------------------------------------------------------------
# The schedule with 30 companies
# --------------------------------------------------------------------------

COMPANIES = 30


@pytest.fixture
def big(client: Any, login_as: Any, make_user: Any, make_proposal: Any) -> dict[str, Any]:
    """30 pitching companies, 10 investors, 4 slots; meetings of every kind."""
    organiser = login_as("organiser", locale="en")
    event = new_event(organiser)
    ev = _db.session.get(Event, event.id)
    ev.meeting_slots = 4
    _db.session.commit()
    proposals = [make_proposal(status="accepted", title=f"Selskap {n:02d}") for n in range(30)]
    mf.publish_lineup(event, *proposals)
    investors = [make_user("investor", approved=True) for _ in range(10)]
    for n, investor in enumerate(investors):
        _db.session.add(
            InvestorProfile(user_id=investor.id, display_name=f"Investor {n:02d}", ticket_max=1)
        )
    _db.session.commit()
    mf.sign_up(event, *investors)
    mf.built(event)
    meetings = []
    # Each investor meets three companies in slots 0..2: 30 meetings, each company once.
    for i, investor in enumerate(investors):
        for s in range(3):
            meetings.append(mf.meeting(event, investor, proposals[i * 3 + s], s))
    mf.ask(event, investors[0], proposals[0])
    mf.ask(event, investors[0], proposals[0], side="founder")  # mutual
    mf.ask(event, investors[0], proposals[1], side="founder")  # one-sided
    hand = _db.session.get(Meeting, meetings[3].id)  # investor 1, nobody asked, by hand
    hand.source = MeetingSource.MANUAL
    _db.session.commit()
    return {"event": event, "proposals": proposals, "investors": investors, "meetings": meetings}


def _grid(page: str) -> str:
    return page[page.index('<table class="table table-bordered table-sm schedule-grid">') :].split(
        "</table>"
    )[0]


def test_the_grid_of_30_companies_is_compact(client: Any, big: dict[str, Any]) -> None:
    event = big["event"]
    response = client.get(f"/events/{event.id}/schedule")
    assert response.status_code == 200
    page = response.text
    table = _grid(page)
    assert "<form" not in table  # no form per cell
    assert "<select" not in table
    assert page.count("<form") < 10  # the page's own few, not one per meeting (30)
    headers = re.findall(r'<th scope="col">Selskap \d\d', table)
    assert len(headers) == COMPANIES
    # Every meeting is a link to its own page, named by the investor only.
    links = re.findall(rf'href="/events/{event.id}/meetings/(\d+)">([^<]+)<', table)
    assert sorted(int(mid) for mid, _name in links) == sorted(m.id for m in big["meetings"])
    assert all(name.startswith("Investor ") for _mid, name in links)
    # The marks, each with words for screen readers and a legend for everyone.
    mutual, one_sided, minimum, hand = big["meetings"][0:4]
    assert "mutual: both asked" in _cell(table, mutual.id)
    assert "one-sided: the founder asked" in _cell(table, one_sided.id)
    assert "nobody asked: added for the minimum" in _cell(table, minimum.id)
    assert "nobody asked: added by hand" in _cell(table, hand.id)
    legend = page[page.index("What the marks mean:") : page.index("<table")]
    for words in ("mutual: both asked", "one-sided", "added for the minimum", "by hand"):
        assert words in legend


def _cell(table: str, meeting_id: int) -> str:
    found = re.search(rf'<td><a href="[^"]*/meetings/{meeting_id}[?"].*?</td>', table, re.S)
    assert found is not None, meeting_id
    return found.group(0)


def test_the_view_by_investor_lists_every_meeting_once(client: Any, big: dict[str, Any]) -> None:
    event = big["event"]
    page = client.get(f"/events/{event.id}/schedule?view=investor").text
    assert 'aria-current="page" href="/events/' in page
    table = _grid(page)
    assert "<form" not in table
    rows = re.findall(r'<th scope="row">(Investor \d\d)', table)
    assert rows == [f"Investor {n:02d}" for n in range(10)]
    columns = re.findall(r'<th scope="col" class="text-nowrap">Slot (\d)', table)
    assert columns == ["1", "2", "3", "4"]
    ids = [
        int(mid) for mid in re.findall(rf"/events/{event.id}/meetings/(\d+)\?view=investor", table)
    ]
    assert sorted(ids) == sorted(m.id for m in big["meetings"])  # each exactly once
    assert "Selskap 00" in _cell(table, big["meetings"][0].id)
    assert "mutual: both asked" in _cell(table, big["meetings"][0].id)


def test_a_meeting_is_edited_on_its_own_page(client: Any, big: dict[str, Any]) -> None:
    event, meeting = big["event"], big["meetings"][0]
    response = client.get(f"/events/{event.id}/meetings/{meeting.id}?view=investor")
    assert response.status_code == 200
    page = response.text
    assert "Meeting: Investor 00 and “Selskap 00”" in page
    assert "mutual: both asked" in page
    assert f'action="/events/{event.id}/meetings/{meeting.id}/move"' in page
    assert f'action="/events/{event.id}/meetings/{meeting.id}/remove"' in page
    assert f'<label class="form-label" for="move-{meeting.id}">Slot</label>' in page
    # Moving to the free slot 4 goes back to the view the organiser came from.
    version = _db.session.get(Event, event.id).version
    response = client.post(
        f"/events/{event.id}/meetings/{meeting.id}/move",
        data={"slot": "3", "version": str(version), "view": "investor"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/{event.id}/schedule?view=investor")
    assert _db.session.get(Meeting, meeting.id).slot == 3
    # A refused move shows this page again, with the reason beside the slot.
    version = _db.session.get(Event, event.id).version
    response = client.post(
        f"/events/{event.id}/meetings/{meeting.id}/move",
        data={"slot": "1", "version": str(version)},  # Investor 00 meets Selskap 01 there
    )
    assert response.status_code == 200
    assert "The meeting was not moved" in response.text
    assert 'aria-invalid="true"' in response.text
    assert _db.session.get(Meeting, meeting.id).slot == 3


def test_the_meeting_page_is_for_organisers_and_this_sessions_meetings(
    client: Any, big: dict[str, Any], login_as: Any, make_user: Any
) -> None:
    event, meeting = big["event"], big["meetings"][0]
    other = new_event(make_user("organiser"))
    assert client.get(f"/events/{other.id}/meetings/{meeting.id}").status_code == 404
    login_as("investor")
    assert client.get(f"/events/{event.id}/meetings/{meeting.id}").status_code == 403


def test_the_grid_in_norwegian(client: Any, big: dict[str, Any], login_as: Any) -> None:
    login_as("organiser", locale="nb")
    page = client.get(f"/events/{big['event'].id}/schedule?view=investor").text
    assert "Per investor" in page
    assert "Per selskap" in page
    assert "begge ba om møtet" in page
