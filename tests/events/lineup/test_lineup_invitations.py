"""Publishing the line-up: invitations by e-mail, answers, the next best line-up, the programme."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from matchmaking.accounts.models import User
from matchmaking.dates import when
from matchmaking.events.models import Event, EventCandidate, InvitationStatus
from matchmaking.extensions import db as _db
from matchmaking.extensions import utcnow
from tests.conftest import links_in, reload
from tests.events.factories import new_event
from tests.events.lineup_factories import attend, candidate, founder_proposal, score

OSLO = ZoneInfo("Europe/Oslo")


def _row(model: Any, ident: int) -> Any:
    _db.session.expire_all()
    return _db.session.get(model, ident)


def _login(client: FlaskClient, user_id: int) -> None:
    user = _row(User, user_id)
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def _version(event_id: int) -> str:
    return str(_row(Event, event_id).version)


def _post(client: FlaskClient, event_id: int, path: str, **kw: Any) -> Any:
    return client.post(
        f"/events/{event_id}/lineup/{path}",
        data={"version": _version(event_id)},
        follow_redirects=True,
        **kw,
    )


@pytest.fixture
def setup(login_as: Any, make_user: Any, make_proposal: Any, reference: None) -> dict[str, Any]:
    """3 pitch slots, 5 candidates (one Norwegian founder), 3 investors; the
    organiser (English) is logged in. Without the screening, the best line-up
    is pitches 0, 1, 2; pitch 3 is the next best for investor 0."""
    organiser = login_as("organiser", locale="en")
    event = new_event(organiser, title="Springbrett Vinter")
    event.pitch_slots = 3
    _db.session.commit()
    founders = []
    proposals = []
    for k in range(5):
        p = founder_proposal(
            make_user, make_proposal, title=f"Pitch {k}", locale="nb" if k == 0 else "en"
        )
        proposals.append(p)
        founders.append(p.company.owner)
    ids = [candidate(event, p).id for p in proposals]
    investors = [make_user("investor", approved=True, name=f"Investor {k}") for k in range(3)]
    for inv in investors:
        attend(event, inv)
    table = [
        [0.9, 0.0, 0.0, 0.8, 0.1],
        [0.0, 0.9, 0.0, 0.0, 0.2],
        [0.0, 0.0, 0.9, 0.0, 0.3],
    ]
    for i, row in enumerate(table):
        for j, v in enumerate(row):
            if v:
                score(investors[i], proposals[j], v)
    return {
        "organiser": organiser.id,
        "organiser_email": organiser.email,
        "event": event.id,
        "ids": ids,
        "founders": [f.id for f in founders],
        "emails": [f.email for f in founders],
        "titles": [p.title for p in proposals],
        "investors": [inv.id for inv in investors],
    }


def _table(page: str, table_id: str) -> list[str]:
    """The body rows of the table with ``table_id``: place, time and proposal as text."""
    body = page.split(f'id="{table_id}"')[1].split("</tbody>")[0].split("<tbody>")[1]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S) for r in rows]
    return [
        " ".join(" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in row[:3]) for row in cells
    ]


def _clock(event_id: int, place: int, *, nb: bool = False) -> str:
    """The time of ``place`` (from 0) as an English ("17:20") or Norwegian
    ("17.20") page shows it."""
    event = _row(Event, event_id)
    at = (event.starts_at + timedelta(minutes=10 * place)).astimezone(OSLO)
    return at.strftime("%H.%M" if nb else "%H:%M")


def _places(ids: list[int]) -> dict[int, int]:
    """Candidate index -> stored place, for those with one."""
    rows = {k: _row(EventCandidate, ident).lineup_position for k, ident in enumerate(ids)}
    return {k: p for k, p in rows.items() if p is not None}


def _in_lineup(ids: list[int]) -> list[int]:
    """Indexes of the candidates in the stored line-up, by place."""
    rows = [(_row(EventCandidate, ident).lineup_position, k) for k, ident in enumerate(ids)]
    return [k for pos, k in sorted((p, k) for p, k in rows if p is not None)]


def test_publish_invites_each_founder_in_their_language(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    eid, ids = setup["event"], setup["ids"]
    _post(client, eid, "run")
    assert sorted(_in_lineup(ids)) == [0, 1, 2]
    response = _post(client, eid, "publish")
    assert "Founders invited by e-mail: 3." in response.text
    event = _row(Event, eid)
    assert event.lineup_published_at is not None
    for k in range(3):
        c = _row(EventCandidate, ids[k])
        assert c.invitation is InvitationStatus.INVITED
        assert c.invited_at is not None
    assert _row(EventCandidate, ids[3]).invitation is None
    invitations = [m for m in outbox if m.recipients[0] in setup["emails"][:3]]
    assert sorted(m.recipients[0] for m in invitations) == sorted(setup["emails"][:3])
    # The two left out are told "not this time" (tests/events/test_notices.py),
    # the three signed-up investors that they can choose whom to meet.
    assert len(outbox) == 3 + 2 + 3
    by_to = {m.recipients[0]: m for m in invitations}
    for k in range(3):
        message = by_to[setup["emails"][k]]
        c = _row(EventCandidate, ids[k])
        at = (event.starts_at + timedelta(minutes=10 * c.lineup_position)).astimezone(OSLO)
        if k == 0:  # the Norwegian founder
            assert message.subject == "Invitasjon til å pitche på Springbrett Vinter"
            assert "Hei" in message.body
            assert at.strftime("%H.%M") in message.body
        else:
            assert message.subject == "Invitation to pitch at Springbrett Vinter"
            assert at.strftime("%H:%M") in message.body
        assert (f"«Pitch {k}»" if k == 0 else f"“Pitch {k}”") in message.body
        assert any(link.endswith(f"/events/{eid}") for link in links_in(message))
        assert message.html is not None
    # Publishing again with nothing new invites nobody.
    outbox.clear()
    response = _post(client, eid, "publish")
    assert "nobody new to invite" in response.text
    assert outbox == []


def test_publish_is_refused_for_a_draft_session_or_without_a_line_up(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    eid = setup["event"]
    response = _post(client, eid, "publish")
    assert "Propose a line-up first" in response.text
    event = _row(Event, eid)
    event.status = event.status.__class__("draft")
    _db.session.commit()
    _post(client, eid, "run")
    page = client.get(f"/events/{eid}/lineup").text
    assert "Publish the session first" in page
    response = _post(client, eid, "publish")
    assert "Publish the session first" in response.text
    assert _row(Event, eid).lineup_published_at is None
    assert outbox == []


def test_publish_is_refused_once_the_session_has_started(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    eid = setup["event"]
    _post(client, eid, "run")
    event = _row(Event, eid)
    event.starts_at = utcnow() - timedelta(hours=1)
    _db.session.commit()
    response = _post(client, eid, "publish")
    assert "This session has already started" in response.text
    assert outbox == []


def test_founder_accepts_and_the_organiser_is_told(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    eid, ids = setup["event"], setup["ids"]
    _post(client, eid, "run")
    _post(client, eid, "publish")
    outbox.clear()
    _login(client, setup["founders"][1])
    page = client.get(f"/events/{eid}").text
    c = _row(EventCandidate, ids[1])
    at = (_row(Event, eid).starts_at + timedelta(minutes=10 * c.lineup_position)).astimezone(OSLO)
    assert "You are invited to pitch “Pitch 1” on " in page
    assert at.strftime("%H:%M") in page
    # One moment, one phrase (the date helper's): "on Friday 8 January 2027, 17:00."
    assert f"You are invited to pitch “Pitch 1” on {when(at, 'en')}." in page
    assert f"/events/{eid}/invitation/{ids[1]}/accept" in page
    version = _version(eid)
    response = client.post(f"/events/{eid}/invitation/{ids[1]}/accept", follow_redirects=True)
    assert "you have accepted the invitation" in response.text
    assert _version(eid) == version  # an organiser's open page is still current
    c = _row(EventCandidate, ids[1])
    assert c.invitation is InvitationStatus.ACCEPTED
    assert c.responded_at is not None
    assert [m.recipients[0] for m in outbox] == [setup["organiser_email"]]
    assert outbox[0].subject == "“Pitch 1” accepted the invitation to pitch"
    assert any(link.endswith(f"/events/{eid}/lineup") for link in links_in(outbox[0]))
    # A second accept changes nothing and sends nothing.
    response = client.post(f"/events/{eid}/invitation/{ids[1]}/accept", follow_redirects=True)
    assert "already registered" in response.text
    assert len(outbox) == 1


def test_decline_then_next_best_keeps_the_others_and_invites_only_the_newcomer(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any], make_user: Any
) -> None:
    eid, ids = setup["event"], setup["ids"]
    organiser_nb = make_user("organiser", locale="nb")
    nb_email = organiser_nb.email
    event = _row(Event, eid)
    event.created_by_id = organiser_nb.id  # answers go to the session's creator, in Norwegian
    _db.session.commit()
    _post(client, eid, "run")
    _post(client, eid, "publish")
    places = {k: _row(EventCandidate, ids[k]).lineup_position for k in range(3)}
    _login(client, setup["founders"][2])
    client.post(f"/events/{eid}/invitation/{ids[2]}/accept")
    outbox.clear()
    _login(client, setup["founders"][0])
    page = client.get(f"/events/{eid}").text
    # Norwegian: "fredag 8. januar 2027 kl. 17.00", one phrase from the date helper.
    assert re.search(
        r"Du er invitert til å pitche «Pitch 0» [a-zø]+dag \d{1,2}\. [a-z]+ \d{4} kl\. \d\d\.\d\d\.",
        page,
    ), "the Norwegian invitation names the moment with |when"
    version = _version(eid)
    response = client.post(
        f"/events/{eid}/invitation/{ids[0]}/decline", data={"confirm": "1"}, follow_redirects=True
    )
    assert int(_version(eid)) == int(version) + 1  # a page showing the line-up whole is stale
    assert "Du har takket nei til invitasjonen" in response.text  # the founder reads Norwegian
    assert _row(EventCandidate, ids[0]).invitation is InvitationStatus.DECLINED
    assert [m.recipients[0] for m in outbox] == [nb_email]
    assert outbox[0].subject == "«Pitch 0» takket nei til å pitche"
    # A declined founder cannot accept again silently.
    response = client.post(f"/events/{eid}/invitation/{ids[0]}/accept", follow_redirects=True)
    assert "Hvis du har ombestemt deg, ta kontakt med BAN Ofoten" in response.text
    assert _row(EventCandidate, ids[0]).invitation is InvitationStatus.DECLINED
    page = client.get(f"/events/{eid}").text
    assert "Du takket nei" in page
    assert f"/invitation/{ids[0]}/accept" not in page

    _login(client, setup["organiser"])
    page = client.get(f"/events/{eid}/lineup").text
    assert "“Pitch 0” declined the invitation to pitch." in page
    assert "Propose the next best line-up, keeping the others" in page
    assert "Publish the programme" not in page
    best = page.split('id="best-for"')[1].split("</table>")[0]
    # Investor 0 only liked pitch 0, which will not happen now.
    assert "None: no pitch in the line-up matches this investor" in best.split("Investor 0")[1]
    outbox.clear()
    response = _post(client, eid, "next-best")
    assert "Line-up proposed" in response.text
    chosen = _in_lineup(ids)
    assert sorted(chosen) == [1, 2, 3]  # pitch 3 is investor 0's next best
    for k in (1, 2):  # the others keep their places, so their times
        c = _row(EventCandidate, ids[k])
        assert c.lineup_position == places[k]
        assert c.pinned is True
    assert _row(EventCandidate, ids[3]).lineup_position == places[0]
    assert _row(EventCandidate, ids[0]).lineup_position is None
    response = _post(client, eid, "publish")
    assert (
        "Founders invited by e-mail: 1. Founders told they are no longer in the programme: 0."
        in response.text
    )
    assert [m.recipients[0] for m in outbox] == [setup["emails"][3]]
    assert _row(EventCandidate, ids[3]).invitation is InvitationStatus.INVITED
    assert _row(EventCandidate, ids[1]).invitation is InvitationStatus.INVITED
    assert _row(EventCandidate, ids[2]).invitation is InvitationStatus.ACCEPTED
    assert _row(EventCandidate, ids[0]).invitation is InvitationStatus.DECLINED


def test_next_best_without_a_decline_is_refused(client: FlaskClient, setup: dict[str, Any]) -> None:
    eid = setup["event"]
    _post(client, eid, "run")
    version = _version(eid)
    response = _post(client, eid, "next-best")
    assert "No founder in the line-up has declined" in response.text
    assert _version(eid) == version


def test_a_founder_dropped_from_the_line_up_is_told_and_uninvited(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    eid, ids = setup["event"], setup["ids"]
    _post(client, eid, "run")
    _post(client, eid, "publish")
    places = _places(ids)
    outbox.clear()
    client.post(f"/events/{eid}/lineup/candidates/{ids[1]}/exclude")
    client.post(f"/events/{eid}/lineup/candidates/{ids[4]}/pin")
    _post(client, eid, "run")
    # The newcomer takes the excluded founder's place; the others keep theirs. Until
    # publishing, the excluded founder keeps the published place (and time).
    new = _places(ids)
    assert new == {0: places[0], 1: places[1], 2: places[2], 4: places[1]}
    page = client.get(f"/events/{eid}/lineup").text
    assert "“Pitch 1” leaves the programme when you publish: It is excluded." in page
    assert _table(page, "lineup-table") == [
        f"{new[k] + 1} {_clock(eid, new[k])} Pitch {k}" for k in sorted((0, 2, 4), key=new.get)
    ]
    response = _post(client, eid, "publish")
    assert (
        "Founders invited by e-mail: 1. Founders told they are no longer in the programme: 1."
        in (response.text)
    )
    to = {m.recipients[0]: m for m in outbox}
    assert set(to) == {setup["emails"][1], setup["emails"][4]}
    removed = to[setup["emails"][1]]
    assert removed.subject == "Change to the programme of Springbrett Vinter"
    assert "no longer in it" in removed.body
    c = _row(EventCandidate, ids[1])
    assert c.invitation is None
    assert c.invited_at is None
    assert c.lineup_position is None
    assert _places(ids) == {0: places[0], 2: places[2], 4: places[1]}
    # The founder no longer sees an invitation.
    _login(client, setup["founders"][1])
    page = client.get(f"/events/{eid}").text
    assert f"/invitation/{ids[1]}/accept" not in page
    assert client.post(f"/events/{eid}/invitation/{ids[1]}/accept").status_code == 302
    assert _row(EventCandidate, ids[1]).invitation is None


def test_the_programme_shows_only_after_publishing_and_leaves_out_declines(
    client: FlaskClient, setup: dict[str, Any], login_as: Any
) -> None:
    eid, ids, titles = setup["event"], setup["ids"], setup["titles"]
    _post(client, eid, "run")
    organiser_page = client.get(f"/events/{eid}").text
    assert "A line-up is proposed but not published" in organiser_page
    assert f"/events/{eid}/lineup" in organiser_page
    for role in ("investor", "entrepreneur", "pending_investor"):
        login_as(role, locale="en")
        page = client.get(f"/events/{eid}").text
        assert 'id="lineup-heading"' not in page
        for t in titles:
            assert t not in page
        assert "Teaser of pitch" not in page
        assert f"/events/{eid}/lineup" not in page
    _login(client, setup["organiser"])
    _post(client, eid, "publish")
    _login(client, setup["founders"][1])
    client.post(f"/events/{eid}/invitation/{ids[1]}/decline", data={"confirm": "1"})
    event = _row(Event, eid)
    for role in ("investor", "entrepreneur", "pending_investor"):
        login_as(role, locale="en")
        page = client.get(f"/events/{eid}").text
        programme = page.split('id="lineup-heading"')[1].split("</section>")[0]
        shown = {k for k in range(5) if f"Pitch {k}<" in programme}
        assert shown == {0, 2}
        assert "Teaser of pitch" in programme
        assert "Pitch 1" not in programme  # declined
        for k in (0, 2):
            c = _row(EventCandidate, ids[k])
            at = (event.starts_at + timedelta(minutes=10 * c.lineup_position)).astimezone(OSLO)
            assert at.strftime("%H:%M") in programme
        assert f"/events/{eid}/lineup" not in page
        assert "@" not in programme  # no e-mail addresses


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_answers_are_refused_without_an_open_invitation_or_after_the_start(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any], answer: str
) -> None:
    eid, ids = setup["event"], setup["ids"]
    _login(client, setup["founders"][1])
    response = client.post(f"/events/{eid}/invitation/{ids[1]}/{answer}", follow_redirects=True)
    assert "There is no open invitation for this proposal" in response.text
    _login(client, setup["organiser"])
    _post(client, eid, "run")
    _post(client, eid, "publish")
    outbox.clear()
    event = _row(Event, eid)
    event.starts_at = utcnow() - timedelta(minutes=5)
    _db.session.commit()
    _login(client, setup["founders"][1])
    response = client.post(f"/events/{eid}/invitation/{ids[1]}/{answer}", follow_redirects=True)
    assert "This session has already started" in response.text
    assert _row(EventCandidate, ids[1]).invitation is InvitationStatus.INVITED
    assert outbox == []


def test_another_founders_or_another_sessions_invitation_is_404(
    client: FlaskClient, setup: dict[str, Any], make_user: Any
) -> None:
    eid, ids = setup["event"], setup["ids"]
    _post(client, eid, "run")
    _post(client, eid, "publish")
    _login(client, setup["founders"][1])
    assert client.post(f"/events/{eid}/invitation/{ids[0]}/accept").status_code == 404
    other = new_event(_row(User, setup["organiser"]), title="Annen")
    assert client.post(f"/events/{other.id}/invitation/{ids[1]}/accept").status_code == 404
    assert client.post(f"/events/{eid}/invitation/999999/accept").status_code == 404
    assert client.post(f"/events/{eid}/invitation/{ids[1]}/maybe").status_code == 404
    assert _row(EventCandidate, ids[0]).invitation is InvitationStatus.INVITED
    assert _row(EventCandidate, ids[1]).invitation is InvitationStatus.INVITED


def test_publish_stale_version_is_refused(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    eid = setup["event"]
    _post(client, eid, "run")
    stale = _version(eid)
    event = _row(Event, eid)
    event.version += 1  # another organiser saved meanwhile
    _db.session.commit()
    response = client.post(f"/events/{eid}/lineup/publish", data={"version": stale})
    assert "changed by someone else" in response.text
    assert _row(Event, eid).lineup_published_at is None
    assert outbox == []
    assert reload(_row(Event, eid)).lineup_run_at is not None


def test_investors_who_sign_up_after_the_run_are_mentioned_but_do_not_block(
    client: FlaskClient, setup: dict[str, Any], make_user: Any
) -> None:
    eid = setup["event"]
    _post(client, eid, "run")
    attendee = attend(_row(Event, eid), make_user("investor", approved=True))
    attendee.signed_up_at = utcnow() + timedelta(seconds=1)
    _db.session.commit()
    page = client.get(f"/events/{eid}/lineup").text
    assert "Investors who signed up after the last run: 1." in page
    assert "This line-up is out of date" not in page
    assert "Publish the programme" in page


# --------------------------------------------------------------------------
# After publishing: invited founders keep their times; only what was published shows
# --------------------------------------------------------------------------


def _programme(client: FlaskClient, eid: int) -> list[str]:
    """The session page's programme as "time title" lines."""
    page = client.get(f"/events/{eid}").text
    if 'id="lineup-heading"' not in page:
        return []
    section = page.split('id="lineup-heading"')[1].split("</section>")[0]
    items = re.findall(r"<h3[^>]*>(.*?)</h3>", section, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", i).replace("–", " ").split()) for i in items]


def test_a_smaller_line_up_after_publishing_moves_no_invited_founder(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    """The first founder is excluded and only two can pitch: the one invited for the
    last place keeps that time (the first place stays empty), before and after
    publishing, and only the excluded founder gets an e-mail."""
    eid, ids = setup["event"], setup["ids"]
    _post(client, eid, "run")
    _post(client, eid, "publish")
    places = _places(ids)
    assert sorted(places.values()) == [0, 1, 2]
    first, middle, last = sorted(places, key=places.__getitem__)
    outbox.clear()
    for k in (first, 3, 4):
        client.post(f"/events/{eid}/lineup/candidates/{ids[k]}/exclude")
    response = _post(client, eid, "run")
    assert "Line-up proposed" in response.text
    assert _places(ids) == places  # the excluded one keeps the published place until publishing
    page = client.get(f"/events/{eid}/lineup").text
    assert (
        "The line-up is smaller than before: 2 pitches. Founders already invited keep their"
        f" times, so these places stay empty: place 1 ({_clock(eid, 0)})."
    ) in " ".join(page.split())
    assert _table(page, "lineup-table") == [
        f"1 {_clock(eid, 0)} Empty place",
        f"2 {_clock(eid, 1)} Pitch {middle}",
        f"3 {_clock(eid, 2)} Pitch {last}",
    ]
    assert "This line-up is out of date" not in page
    # The investors read Norwegian.
    published = [f"{_clock(eid, places[k], nb=True)} Pitch {k}" for k in (first, middle, last)]
    _login(client, setup["investors"][0])
    assert _programme(client, eid) == published  # nothing changed for participants yet
    _login(client, setup["organiser"])
    assert outbox == []
    response = _post(client, eid, "publish")
    assert "Founders told they are no longer in the programme: 1." in response.text
    assert [m.recipients[0] for m in outbox] == [setup["emails"][first]]
    assert _places(ids) == {middle: 1, last: 2}
    _login(client, setup["investors"][0])
    assert _programme(client, eid) == published[1:]
    # The founder invited for the last place still reads the time they were invited for.
    _login(client, setup["founders"][last])
    page = " ".join(client.get(f"/events/{eid}").text.split())
    event = _row(Event, eid)
    invited_for = event.starts_at + timedelta(minutes=10 * 2)
    assert f"You are invited to pitch “Pitch {last}” on {when(invited_for, 'en')}." in page
    assert f", {_clock(eid, 2)}." in page


def test_an_unpublished_run_is_not_shown_to_participants(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    eid, ids = setup["event"], setup["ids"]
    _post(client, eid, "run")
    _post(client, eid, "publish")
    places = _places(ids)
    gone = next(k for k, p in places.items() if p == 0)
    client.post(f"/events/{eid}/lineup/candidates/{ids[gone]}/exclude")
    _post(client, eid, "run")
    newcomer = next(k for k, p in _places(ids).items() if k not in places)
    assert _places(ids)[newcomer] == 0  # the free place, once published
    investor = setup["investors"][0]
    _login(client, investor)
    programme = _programme(client, eid)
    assert f"{_clock(eid, 0, nb=True)} Pitch {gone}" in programme
    assert not any(f"Pitch {newcomer}" in line for line in programme)
    meetings = client.get(f"/events/{eid}/meetings").text
    assert f"Pitch {gone}" in meetings
    assert f"Pitch {newcomer}" not in meetings
    agenda = client.get(f"/events/{eid}/agenda").text
    assert f"Pitch {gone}" in agenda
    assert f"Pitch {newcomer}" not in agenda
    _login(client, setup["organiser"])
    _post(client, eid, "publish")
    _login(client, investor)
    programme = _programme(client, eid)
    assert programme[0] == f"{_clock(eid, 0, nb=True)} Pitch {newcomer}"
    assert not any(f"Pitch {gone}" in line for line in programme)
    assert f"Pitch {newcomer}" in client.get(f"/events/{eid}/meetings").text


def test_fewer_pitch_slots_after_publishing_never_move_an_invited_founder(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    """A place past the new number of slots is a rule to resolve, not a silent move."""
    eid, ids = setup["event"], setup["ids"]
    _post(client, eid, "run")
    _post(client, eid, "publish")
    places = _places(ids)
    last = next(k for k, p in places.items() if p == 2)
    event = _row(Event, eid)
    event.pitch_slots = 2  # as the session form would save it
    _db.session.commit()
    rule = (
        f"“Pitch {last}” is invited for place 3 ({_clock(eid, 2)}), but the session now has 2"
        " pitch slots. Invited founders keep their times: exclude it (publishing then tells the"
        " founder) or add pitch slots on the session form."
    )
    page = " ".join(client.get(f"/events/{eid}/lineup").text.split())
    assert rule in page
    assert "Publish the programme" not in page
    version = _version(eid)
    response = _post(client, eid, "run")
    assert rule in " ".join(response.text.split())
    assert _places(ids) == places
    assert _version(eid) == version
    outbox.clear()
    client.post(f"/events/{eid}/lineup/candidates/{ids[last]}/exclude")
    _post(client, eid, "run")
    assert {k: p for k, p in _places(ids).items() if k != last} == {
        k: p for k, p in places.items() if k != last
    }
    response = _post(client, eid, "publish")
    assert "Founders told they are no longer in the programme: 1." in response.text
    assert [m.recipients[0] for m in outbox] == [setup["emails"][last]]


# --------------------------------------------------------------------------
# A proposal taken out of investors' sight no longer pitches anywhere
# --------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["withdrawn", "closed"])
def test_a_withdrawn_or_closed_proposal_no_longer_pitches_anywhere(
    app: Flask, client: FlaskClient, setup: dict[str, Any], status: str
) -> None:
    """The programme, the meeting choices, the agendas and the schedule all follow the
    one rule (``EventCandidate.pitching``); a meeting already made with it is a clash."""
    from matchmaking.events.meetings import grid
    from matchmaking.events.models import Meeting, MeetingRequest, RequestSide
    from matchmaking.proposals.models import Proposal, Status

    eid, ids = setup["event"], setup["ids"]
    _post(client, eid, "run")
    _post(client, eid, "publish")
    gone = next(k for k in _places(ids))
    title = f"Pitch {gone}"
    investor = setup["investors"][gone] if gone < 3 else setup["investors"][0]
    _login(client, investor)
    assert title in client.get(f"/events/{eid}/meetings").text
    proposal = _db.session.get(Proposal, _row(EventCandidate, ids[gone]).proposal_id)
    proposal.status = Status(status)
    _db.session.commit()
    assert _row(EventCandidate, ids[gone]).holds_invitation  # still invited ...
    assert not _row(EventCandidate, ids[gone]).pitching  # ... but no longer pitching
    assert not any(title in line for line in _programme(client, eid))
    choices = client.get(f"/events/{eid}/meetings").text
    assert title not in choices
    assert f"Teaser of pitch {gone}" not in choices
    assert title not in client.get(f"/events/{eid}/agenda").text
    # The schedule seats only pitching companies, even where an investor asked for it.
    event = _row(Event, eid)
    for inv in setup["investors"]:
        for k in _places(ids):
            proposal_id = _row(EventCandidate, ids[k]).proposal_id
            event.meeting_requests.append(
                MeetingRequest(investor_id=inv, proposal_id=proposal_id, side=RequestSide.INVESTOR)
            )
    _db.session.commit()
    _login(client, setup["organiser"])
    response = client.post(
        f"/events/{eid}/schedule/build", data={"version": _version(eid)}, follow_redirects=True
    )
    assert response.status_code == 200
    seated = {m.proposal_id for m in _row(Event, eid).meetings}
    assert seated
    assert proposal.id not in seated
    # A meeting made with it before is listed as a clash.
    event = _row(Event, eid)
    slot = next(
        s
        for s in range(event.meeting_slots)
        if all(m.slot != s for m in event.meetings if m.investor_id == investor)
    )
    event.meetings.append(Meeting(investor_id=investor, proposal_id=proposal.id, slot=slot))
    _db.session.commit()
    with app.test_request_context():
        kinds = {(c.kind, c.meeting_id) for c in grid.clashes(_row(Event, eid))}
    added = next(m.id for m in _row(Event, eid).meetings if m.proposal_id == proposal.id)
    assert ("not_pitching", added) in kinds


def test_an_invited_founder_in_dialogue_keeps_their_place(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    """An accepted introduction moves the proposal to "in dialogue" before the
    session: the company still pitches, and a new run and publish keep it."""
    from matchmaking.proposals.models import Proposal, Status

    eid, ids = setup["event"], setup["ids"]
    _post(client, eid, "run")
    _post(client, eid, "publish")
    places = _places(ids)
    talking = next(iter(places))
    proposal = _db.session.get(Proposal, _row(EventCandidate, ids[talking]).proposal_id)
    proposal.status = Status.IN_DIALOGUE
    _db.session.commit()
    outbox.clear()
    page = _post(client, eid, "run")
    assert "no longer accepted" not in page.text
    _post(client, eid, "publish")
    assert _places(ids)[talking] == places[talking]
    assert outbox == []
    assert any(f"Pitch {talking}" in line for line in _programme(client, eid))


def test_after_publishing_a_place_nobody_may_take_stays_empty(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    """Exclude an invited founder when the limit per municipality leaves nobody
    for the place: the run keeps the others and leaves the place empty, and
    publishing tells the excluded founder (before publishing it is refused)."""
    eid, ids = setup["event"], setup["ids"]
    _post(client, eid, "run")
    _post(client, eid, "publish")
    places = _places(ids)
    gone, *stay = sorted(places, key=places.__getitem__)
    event = _row(Event, eid)
    event.max_per_municipality = 2  # every candidate is in Narvik
    _db.session.commit()
    client.post(f"/events/{eid}/lineup/candidates/{ids[gone]}/exclude")
    page = _post(client, eid, "run")
    assert "cannot all be met" not in page.text
    assert {k: p for k, p in _places(ids).items() if k != gone} == {k: places[k] for k in stay}
    outbox.clear()
    _post(client, eid, "publish")
    assert [m.recipients[0] for m in outbox] == [setup["emails"][gone]]
    assert gone not in _places(ids)


def _edit_form(event: Event, **changes: str) -> dict[str, str]:
    """The session form as the edit page fills it, with ``changes``."""
    start = event.starts_at.astimezone(OSLO)
    values = {
        "version": str(event.version),
        "title": event.title,
        "day": start.date().isoformat(),
        "start": start.strftime("%H:%M"),
        "venue": event.venue,
        "municipality": str(event.municipality_id),
        "pitch_slots": str(event.pitch_slots),
        "minutes_per_pitch": str(event.minutes_per_pitch),
        "meetings_start": event.meetings_start_at.astimezone(OSLO).strftime("%H:%M"),
        "meeting_slots": str(event.meeting_slots),
        "meeting_minutes": str(event.meeting_minutes),
        "capacity": str(event.capacity),
        "max_per_municipality": "",
    }
    values.update(changes)
    return values


def test_moving_a_published_session_tells_everyone_in_the_programme(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    eid, ids = setup["event"], setup["ids"]
    event = _row(Event, eid)
    event.starts_at = event.starts_at.replace(second=0)  # as the form gives it
    event.meetings_start_at = event.meetings_start_at.replace(second=0)
    _db.session.commit()
    _post(client, eid, "run")
    _post(client, eid, "publish")
    places = _places(ids)
    event = _row(Event, eid)
    outbox.clear()
    # The title alone: nobody's day changes, nobody is e-mailed.
    client.post(f"/events/{eid}/edit", data=_edit_form(event, title="Springbrett Vinter II"))
    assert outbox == []
    event = _row(Event, eid)
    later = (event.starts_at.astimezone(OSLO) + timedelta(minutes=30)).strftime("%H:%M")
    meetings = (event.meetings_start_at.astimezone(OSLO) + timedelta(minutes=30)).strftime("%H:%M")
    response = client.post(
        f"/events/{eid}/edit",
        data=_edit_form(event, start=later, meetings_start=meetings),
        follow_redirects=True,
    )
    assert "The new times were e-mailed to 6 people in the programme." in response.text
    by_to = {m.recipients[0]: m for m in outbox}
    assert len(outbox) == 6
    first = min(places, key=places.__getitem__)
    founder_mail = by_to[setup["emails"][first]]
    assert _clock(eid, places[first], nb=first == 0) in founder_mail.body
    if first == 0:
        assert founder_mail.subject == "Nye tidspunkter for Springbrett Vinter II"
    else:
        assert founder_mail.subject == "New times for Springbrett Vinter II"
    assert "/events/" in founder_mail.body


def test_declining_asks_first_and_the_reason_reaches_the_organisers(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    """The Decline button only asks (nothing changes, nobody is told); a reason too
    long is refused beside the field; "Yes" declines, and the organisers read the
    reason on the line-up page and in their e-mail (html and text)."""
    eid, ids = setup["event"], setup["ids"]
    _post(client, eid, "run")
    _post(client, eid, "publish")
    outbox.clear()
    _login(client, setup["founders"][1])  # writes English
    url = f"/events/{eid}/invitation/{ids[1]}/decline"
    version = _version(eid)

    page = client.post(url)
    assert page.status_code == 200
    assert '<h1 id="confirm-heading">Decline to pitch “Pitch 1” at Springbrett Vinter?</h1>' in (
        page.text
    )
    assert "Yes, decline the invitation" in page.text
    assert f'href="/events/{eid}#lineup-heading">Cancel</a>' in page.text
    assert _row(EventCandidate, ids[1]).invitation is InvitationStatus.INVITED
    assert _version(eid) == version
    assert outbox == []

    too_long = "Vi har fått en ordre. " * 50  # 1,100 characters
    page = client.post(url, data={"confirm": "1", "reason": too_long})
    assert page.status_code == 400
    assert re.search(r'id="reason-error"[^>]*>At most 1000 characters', page.text)
    assert too_long.strip() in page.text  # what was typed is kept
    assert _row(EventCandidate, ids[1]).invitation is InvitationStatus.INVITED
    assert outbox == []

    reason = "We are at a trade fair in Bergen that week."
    page = client.post(url, data={"confirm": "1", "reason": reason}, follow_redirects=True)
    assert "You have declined the invitation; the organisers are told." in page.text
    row = _row(EventCandidate, ids[1])
    assert row.invitation is InvitationStatus.DECLINED
    assert row.decline_reason == reason
    [mail] = outbox
    assert mail.recipients == [setup["organiser_email"]]
    assert f"The founder's reason: “{reason}”" in mail.body
    assert f"<p>The founder's reason: “{reason}”</p>" in mail.html

    _login(client, setup["organiser"])
    lineup = client.get(f"/events/{eid}/lineup").text
    assert f"The founder's reason: <q>{reason}</q>" in lineup  # the "declined" notice
    assert f"Reason: <q>{reason}</q>" in lineup  # the candidates table


def test_cancel_leaves_the_invitation_open(client: FlaskClient, setup: dict[str, Any]) -> None:
    eid, ids = setup["event"], setup["ids"]
    _post(client, eid, "run")
    _post(client, eid, "publish")
    _login(client, setup["founders"][1])
    page = client.post(f"/events/{eid}/invitation/{ids[1]}/decline").text
    cancel = re.search(r'<a class="btn btn-outline-secondary" href="([^"]+)">Cancel</a>', page)
    assert cancel is not None
    back = client.get(cancel.group(1).replace("&amp;", "&"))
    assert back.status_code == 200
    assert f"/invitation/{ids[1]}/decline" in back.text  # the buttons to answer are still there
    assert _row(EventCandidate, ids[1]).invitation is InvitationStatus.INVITED
