"""Choosing 1:1 meetings at a Springbrett session, as investors and founders meet it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.events.models import InvitationStatus, MeetingRequest, UnavailableSlot
from matchmaking.extensions import db as _db
from matchmaking.investors.models import InvestorProfile
from matchmaking.matches.models import MatchChoice
from tests.events import meeting_factories as mf
from tests.events.factories import new_event


def _login(client: Any, user: Any) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def _requests() -> list[tuple[int, int, str]]:
    rows = _db.session.scalars(select(MeetingRequest).order_by(MeetingRequest.id))
    return [(r.investor_id, r.proposal_id, r.side.value) for r in rows]


def _marks() -> list[tuple[int | None, int | None, int]]:
    rows = _db.session.scalars(select(UnavailableSlot).order_by(UnavailableSlot.slot))
    return [(u.user_id, u.proposal_id, u.slot) for u in rows]


@pytest.fixture
def session(make_user: Any, make_proposal: Any) -> dict[str, Any]:
    """A published session with two pitching companies, one that declined, and one
    that is only a candidate; two approved investors signed up."""
    organiser = make_user("organiser", locale="en")
    event = new_event(organiser)
    founder = make_user("entrepreneur", locale="en")
    tare = make_proposal(founder, status="accepted", title="Tare fra Efjorden")
    other_founder = make_user("entrepreneur", locale="en")
    fisk = make_proposal(
        other_founder, status="accepted", title="Fiskehelse AS", teaser="Friskere laks."
    )
    declined_founder = make_user("entrepreneur", locale="en")
    declined = make_proposal(declined_founder, status="accepted", title="Takket nei AS")
    mf.publish_lineup(event, tare, fisk)
    mf.publish_lineup(event, declined, status=InvitationStatus.DECLINED)
    investor = make_user("investor", approved=True, locale="en", email="kari@example.no")
    other_investor = make_user("investor", approved=True, locale="en", email="ola@example.no")
    _db.session.add(
        InvestorProfile(
            user_id=other_investor.id,
            display_name="Ola Nordmann",
            organisation="Nordnorsk Kapital AS",
            ticket_min=0,
            ticket_max=5_000_000,
        )
    )
    _db.session.commit()
    mf.sign_up(event, investor, other_investor)
    return {
        "organiser": organiser,
        "event": event,
        "founder": founder,
        "other_founder": other_founder,
        "tare": tare,
        "fisk": fisk,
        "declined": declined,
        "declined_founder": declined_founder,
        "investor": investor,
        "other_investor": other_investor,
    }


def test_investor_chooses_companies_and_slots(client: Any, session: dict[str, Any]) -> None:
    event, investor, tare, fisk = (session[k] for k in ("event", "investor", "tare", "fisk"))
    mf.score(investor, fisk, 0.8)
    event.starts_at = datetime(2027, 6, 20, 15, 0, tzinfo=UTC)  # 17:00 in Oslo (summer)
    event.meetings_start_at = datetime(2027, 6, 20, 16, 0, tzinfo=UTC)  # 18:00 in Oslo
    _db.session.commit()
    _login(client, investor)
    page = client.get(f"/events/{event.id}/meetings").text
    assert "Tare fra Efjorden" in page
    assert "Fiskehelse AS" in page
    assert "Friskere laks." in page
    assert "Match score: 80%" in page  # their match score, in the reader's locale
    assert "Takket nei AS" not in page  # declined: not pitching
    assert "Slot 1" in page
    assert '<time datetime="2027-06-20T16:00:00+00:00">18:00' in page  # slot 1, Oslo time
    assert '<time datetime="2027-06-20T18:40:00+00:00">20:40' in page  # slot 8 ends

    response = client.post(
        f"/events/{event.id}/meetings",
        data={"wanted": [str(tare.id), str(fisk.id)], "unavailable": ["0", "3"]},
        follow_redirects=True,
    )
    assert "Your choices are saved" in response.text
    assert _requests() == [
        (investor.id, tare.id, "investor"),
        (investor.id, fisk.id, "investor"),
    ]
    assert _marks() == [(investor.id, None, 0), (investor.id, None, 3)]
    assert f'value="{tare.id}" id="wanted-{tare.id}" aria-describedby' in response.text
    assert 'id="unavailable-3" checked' in response.text

    # Saving again replaces the choices; a request kept keeps its time.
    first = _db.session.scalars(select(MeetingRequest).where(MeetingRequest.proposal_id == fisk.id))
    asked_at = first.one().created_at
    client.post(
        f"/events/{event.id}/meetings", data={"wanted": [str(fisk.id)], "unavailable": ["5"]}
    )
    _db.session.expire_all()
    assert _requests() == [(investor.id, fisk.id, "investor")]
    assert _marks() == [(investor.id, None, 5)]
    kept = _db.session.scalars(select(MeetingRequest)).one()
    assert kept.created_at == asked_at


def test_founder_chooses_investors_by_display_name(client: Any, session: dict[str, Any]) -> None:
    event, founder, tare = session["event"], session["founder"], session["tare"]
    other = session["other_investor"]
    _login(client, founder)
    page = client.get(f"/events/{event.id}/meetings").text
    assert "Ola Nordmann, Nordnorsk Kapital AS" in page
    assert session["investor"].name in page  # no profile: the account name
    assert "@example.no" not in page  # never an e-mail address
    assert "Slots the company cannot attend" in page
    response = client.post(
        f"/events/{event.id}/meetings",
        data={"proposal": str(tare.id), "wanted": [str(other.id)], "unavailable": ["7"]},
        follow_redirects=True,
    )
    assert "Your choices are saved" in response.text
    assert _requests() == [(other.id, tare.id, "founder")]
    assert _marks() == [(None, tare.id, 7)]


def test_founder_with_two_pitching_companies_picks_one(
    client: Any, session: dict[str, Any], make_proposal: Any
) -> None:
    event, founder, fisk = session["event"], session["founder"], session["fisk"]
    second = make_proposal(founder, status="accepted", title="Andre selskap")
    mf.publish_lineup(event, second)
    _login(client, founder)
    page = client.get(f"/events/{event.id}/meetings?proposal={second.id}").text
    assert 'aria-current="page"' in page
    assert "“Andre selskap” wants to meet" in page
    client.post(
        f"/events/{event.id}/meetings",
        data={"proposal": str(second.id), "unavailable": ["1"]},
    )
    assert _marks() == [(None, second.id, 1)]
    # Another founder's company, or nonsense, is not theirs to choose for.
    assert client.get(f"/events/{event.id}/meetings?proposal={fisk.id}").status_code == 404
    assert client.get(f"/events/{event.id}/meetings?proposal=abc").status_code == 404
    response = client.post(
        f"/events/{event.id}/meetings", data={"proposal": str(fisk.id), "unavailable": ["1"]}
    )
    assert response.status_code == 404
    assert _marks() == [(None, second.id, 1)]


def test_others_are_told_why_and_cannot_save(
    client: Any, session: dict[str, Any], make_user: Any, make_proposal: Any
) -> None:
    event = session["event"]
    not_signed_up = make_user("investor", approved=True, locale="en")
    pending = make_user("investor", approved=False, locale="en")
    candidate_only = make_user("entrepreneur", locale="en")
    make_proposal(candidate_only, status="accepted", title="Bare kandidat")
    declined_founder = session["declined_founder"]
    cases = [
        (session["organiser"], "Organisers plan the meetings on the schedule page"),
        (not_signed_up, "Sign up for the session to choose whom to meet"),
        (pending, "once an organiser has approved your investor profile"),
        (candidate_only, "Only founders whose company pitches at this session"),
        (declined_founder, "Only founders whose company pitches at this session"),
    ]
    for user, message in cases:
        _login(client, user)
        page = client.get(f"/events/{event.id}/meetings").text
        assert message in page, user.email
        assert 'name="wanted"' not in page
        response = client.post(
            f"/events/{event.id}/meetings",
            data={"wanted": [str(session["tare"].id)], "unavailable": ["0"]},
        )
        if user.is_organiser:
            assert response.status_code == 403
        else:
            assert response.status_code == 302
            assert message in client.get(response.headers["Location"]).text
    assert _requests() == []
    assert _marks() == []


def test_nothing_to_choose_before_the_lineup_is_published(
    client: Any, make_user: Any, login_as: Any, reference: None
) -> None:
    event = new_event(make_user("organiser"))
    me = login_as("investor", locale="en")
    mf.sign_up(event, me)
    page = client.get(f"/events/{event.id}/meetings").text
    assert "The 1:1 meetings open when the line-up is published" in page
    assert "Choose whom to meet" not in client.get(f"/events/{event.id}").text
    response = client.post(f"/events/{event.id}/meetings", data={"unavailable": ["0"]})
    assert response.status_code == 302
    assert _marks() == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"wanted": ["declined"]}, "Choose among the companies that pitch at this session."),
        ({"wanted": ["999999"]}, "Choose among the companies that pitch at this session."),
        ({"wanted": ["abc"]}, "Choose among the companies that pitch at this session."),
        ({"unavailable": ["8"]}, "Choose among the session"),
        ({"unavailable": ["-1"]}, "Choose among the session"),
        ({"unavailable": ["first"]}, "Choose among the session"),
    ],
)
def test_bad_choices_are_refused_and_what_was_ticked_is_kept(
    client: Any, session: dict[str, Any], data: dict[str, list[str]], message: str
) -> None:
    event, investor, tare = session["event"], session["investor"], session["tare"]
    mf.ask(event, investor, session["fisk"])  # saved before: must survive
    _login(client, investor)
    wanted = [str(session["declined"].id) if w == "declined" else w for w in data.get("wanted", [])]
    form = {"wanted": [str(tare.id), *wanted], "unavailable": ["2", *data.get("unavailable", [])]}
    response = client.post(f"/events/{event.id}/meetings", data=form)
    assert response.status_code == 200
    assert message in response.text
    assert f'id="wanted-{tare.id}" aria-describedby="wanted-{tare.id}-about" checked' in (
        response.text
    )
    assert 'id="unavailable-2" checked' in response.text
    assert "Your choices are saved" not in response.text
    _db.session.expire_all()
    assert _requests() == [(investor.id, session["fisk"].id, "investor")]
    assert _marks() == []


def test_founder_cannot_choose_an_investor_who_is_not_signed_up(
    client: Any, session: dict[str, Any], make_user: Any
) -> None:
    event, founder = session["event"], session["founder"]
    stranger = make_user("investor", approved=True)
    _login(client, founder)
    response = client.post(f"/events/{event.id}/meetings", data={"wanted": [str(stranger.id)]})
    assert "Choose among the investors signed up for this session." in response.text
    assert _requests() == []


def test_choices_stay_open_after_the_build_and_say_so(client: Any, session: dict[str, Any]) -> None:
    event, investor = session["event"], session["investor"]
    mf.built(event)
    _login(client, investor)
    page = client.get(f"/events/{event.id}/meetings").text
    assert "The organisers have built the schedule" in page
    client.post(f"/events/{event.id}/meetings", data={"wanted": [str(session["tare"].id)]})
    assert _requests() == [(investor.id, session["tare"].id, "investor")]


def test_session_page_panel(client: Any, session: dict[str, Any]) -> None:
    event, investor = session["event"], session["investor"]
    mf.ask(event, investor, session["tare"])
    mf.busy(event, 1, user=investor)
    _login(client, investor)
    page = client.get(f"/events/{event.id}").text
    assert f'href="/events/{event.id}/meetings"' in page
    assert "Meetings asked for" in page
    _login(client, session["founder"])
    assert f'href="/events/{event.id}/meetings"' in client.get(f"/events/{event.id}").text
    _login(client, session["organiser"])
    page = client.get(f"/events/{event.id}").text
    assert f'href="/events/{event.id}/schedule"' in page
    assert 'Meeting requests</dt><dd class="col-sm-8">1</dd>' in page
    assert 'Unavailable slots marked</dt><dd class="col-sm-8">1</dd>' in page
    # Someone with nothing to choose gets no link.
    _login(client, session["declined_founder"])
    assert f'href="/events/{event.id}/meetings"' not in client.get(f"/events/{event.id}").text


def test_norwegian_investor_sees_the_page_in_norwegian(
    client: Any, session: dict[str, Any]
) -> None:
    event, investor = session["event"], session["investor"]
    investor.locale = "nb"
    event.meetings_start_at = datetime(2027, 1, 20, 17, 30, tzinfo=UTC)  # 18:30 in Oslo (winter)
    _db.session.commit()
    mf.score(investor, session["fisk"], 0.8)
    _login(client, investor)
    page = client.get(f"/events/{event.id}/meetings").text
    assert "18:30" in page
    assert "Lagre valgene mine" in page
    assert "Matchpoeng: 80\xa0%" in page  # the Norwegian percent format, one word for the score
    assert "Ingen matchpoeng:" in page  # Tare has no score for this investor


def test_a_not_interested_proposal_is_flagged_on_the_choice(
    client: Any, session: dict[str, Any]
) -> None:
    event, investor, tare = session["event"], session["investor"], session["tare"]
    _db.session.add(MatchChoice(investor_id=investor.id, proposal_id=tare.id, not_interested=True))
    _db.session.commit()
    _login(client, investor)
    page = client.get(f"/events/{event.id}/meetings").text
    assert "You said you were not interested in this proposal" in page


def test_draft_session_is_hidden(
    client: Any, make_user: Any, login_as: Any, reference: None
) -> None:
    draft = new_event(make_user("organiser"), published=False)
    login_as("investor")
    assert client.get(f"/events/{draft.id}/meetings").status_code == 404
    assert client.post(f"/events/{draft.id}/meetings").status_code == 404


# --------------------------------------------------------------------------
# Two saves at once (a double click): never an error page, nothing doubled
# --------------------------------------------------------------------------


def _other_click_saves(event: Any, investor: Any, proposal: Any, slot: int) -> None:
    """The other click's rows, committed after this request read the session."""
    from sqlalchemy import insert

    from matchmaking.events.models import RequestSide

    _db.session.execute(
        insert(MeetingRequest).values(
            event_id=event.id,
            investor_id=investor.id,
            proposal_id=proposal.id,
            side=RequestSide.INVESTOR,
            created_at=datetime.now(UTC),
        )
    )
    _db.session.execute(
        insert(UnavailableSlot).values(event_id=event.id, user_id=investor.id, slot=slot)
    )
    _db.session.commit()


@pytest.mark.parametrize("lock", [True, False])
def test_a_double_click_on_save_keeps_one_copy_of_the_choices(
    client: Any, session: dict[str, Any], monkeypatch: Any, lock: bool
) -> None:
    """The second click reads the session before the first commits. With the
    session's row locked it waits and replaces what the first saved; where
    nothing holds it back (SQLite), the duplicate is refused by the database
    and the page says what is saved, without an error page."""
    from matchmaking.events.meetings import services as service

    event, investor, tare, fisk = (session[k] for k in ("event", "investor", "tare", "fisk"))
    original = service.save_choices

    def racing(ev: Any, who: Any, wanted: Any, unavailable: Any) -> None:
        ev.meeting_requests, ev.unavailable_slots  # noqa: B018 - read before the other click
        _other_click_saves(ev, investor, tare, 2)
        original(ev, who, wanted, unavailable)

    monkeypatch.setattr(service, "save_choices", racing)
    if not lock:
        monkeypatch.setattr(service, "lock", lambda *a, **k: None)
    _login(client, investor)
    response = client.post(
        f"/events/{event.id}/meetings",
        data={"wanted": [str(tare.id), str(fisk.id)], "unavailable": ["2"]},
        follow_redirects=True,
    )
    assert response.status_code == 200
    if lock:
        assert "Your choices are saved" in response.text
        assert _requests() == [
            (investor.id, tare.id, "investor"),
            (investor.id, fisk.id, "investor"),
        ]
    else:
        assert "Your choices were being saved twice at the same moment" in response.text
        assert _requests() == [(investor.id, tare.id, "investor")]  # the other click's
        assert 'id="unavailable-2" checked' in response.text  # what is saved is shown
    assert _marks() == [(investor.id, None, 2)]


def _published_before_the_build(event: Any) -> None:
    """The line-up was published two hours ago (a schedule is built after it)."""
    from datetime import timedelta

    from matchmaking.events.models import Event

    row = _db.session.get(Event, event.id)
    assert row is not None
    row.lineup_published_at = datetime.now(UTC) - timedelta(hours=2)
    _db.session.commit()


def test_a_schedule_changed_by_hand_after_the_agendas_went_out_may_still_change(
    client: Any, session: dict[str, Any]
) -> None:
    """The note compares the agendas with the schedule's last change, a hand
    edit included, not only with its build: an organiser removes a meeting
    after sending the agendas, and the agenda says the plan may still change."""
    from datetime import timedelta

    from matchmaking.events.models import Event, Meeting

    event, investor, other, tare, fisk = (
        session[k] for k in ("event", "investor", "other_investor", "tare", "fisk")
    )
    mf.meeting(event, investor, tare, 2)
    mf.meeting(event, other, fisk, 3)
    _published_before_the_build(event)
    mf.built(event, minutes_ago=60)
    row = _db.session.get(Event, event.id)
    assert row is not None
    row.agendas_sent_at = datetime.now(UTC) - timedelta(minutes=30)
    _db.session.commit()
    note = "The schedule may still change until the organisers send the agendas."
    _login(client, investor)
    assert note not in client.get(f"/events/{event.id}/agenda").text

    _login(client, session["organiser"])
    gone = _db.session.scalar(select(Meeting).where(Meeting.investor_id == other.id))
    assert gone is not None
    version = _db.session.get(Event, event.id).version  # type: ignore[union-attr]
    response = client.post(
        f"/events/{event.id}/meetings/{gone.id}/remove",
        data={"version": str(version), "confirm": "1"},
    )
    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Meeting, gone.id) is None
    _login(client, investor)
    page = client.get(f"/events/{event.id}/agenda").text
    assert "Tare fra Efjorden" in page
    assert note in page


def test_the_agenda_says_the_schedule_may_change_until_agendas_are_sent(
    client: Any, session: dict[str, Any]
) -> None:
    """Participants see their meetings as soon as the schedule is built; until
    the organisers send the agendas (or after a rebuild since) the page says
    the schedule may still change."""
    from datetime import timedelta

    from matchmaking.events.models import Event

    event, investor, tare = (session[k] for k in ("event", "investor", "tare"))
    mf.meeting(event, investor, tare, 2)
    _published_before_the_build(event)
    mf.built(event, minutes_ago=60)
    note = "The schedule may still change until the organisers send the agendas."
    _login(client, investor)
    page = client.get(f"/events/{event.id}/agenda").text
    assert "Tare fra Efjorden" in page
    assert note in page
    row = _db.session.get(Event, event.id)
    assert row is not None
    row.agendas_sent_at = datetime.now(UTC) - timedelta(minutes=30)  # after the build
    _db.session.commit()
    assert note not in client.get(f"/events/{event.id}/agenda").text
    row = _db.session.get(Event, event.id)
    assert row is not None
    row.schedule_built_at = datetime.now(UTC)  # built again since the agendas went out
    _db.session.commit()
    assert note in client.get(f"/events/{event.id}/agenda").text
