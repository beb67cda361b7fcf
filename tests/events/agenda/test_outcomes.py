"""Meeting outcomes after a Springbrett session, and marking the session as held."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from matchmaking.events.models import Meeting, MeetingOutcome
from matchmaking.extensions import db as _db
from matchmaking.proposals.models import Proposal, Status
from tests.conftest import reload
from tests.events.agenda_factories import Scene, scene


def _past(make_user: Any, make_proposal: Any, **kw: Any) -> Scene:
    """A session that began three hours ago: both meeting slots have started
    (slot 0 an hour ago, slot 1 forty minutes ago)."""
    starts = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    return scene(make_user, make_proposal, starts_at=starts, **kw)


def _login(client: Any, user: Any) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def _record(client: Any, s: Scene, meeting: Meeting, **data: str) -> Any:
    fields = {f"m{meeting.id}-{k}": v for k, v in data.items()}
    return client.post(
        f"/events/{s.event.id}/meetings/{meeting.id}/outcome", data=fields, follow_redirects=True
    )


def test_organiser_records_a_follow_up_and_the_proposal_enters_dialogue(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None, outbox: Any
) -> None:
    me = login_as("organiser", locale="en", name="Olga Organiser")
    s = _past(make_user, make_proposal, organiser=me)
    page = client.get(f"/events/{s.event.id}/outcomes").text
    for title in ("Tare", "Sild", "Vind"):
        assert title in page
    assert "Ida Isaksen (Nordlys Invest)" in page
    meeting = s.meetings[("Ida", "Tare")]
    response = _record(client, s, meeting, outcome="follow_up", note="Vil se regnskapet")
    assert "Outcome saved." in response.text
    assert "recorded by Olga Organiser" in response.text
    saved = reload(meeting)
    assert saved.outcome is MeetingOutcome.FOLLOW_UP
    assert saved.outcome_note == "Vil se regnskapet"
    assert saved.outcome_by_id == me.id
    assert saved.outcome_at is not None
    proposal = reload(s.proposals["Tare"])
    assert proposal.status is Status.IN_DIALOGUE
    entry = proposal.events[-1]
    assert entry.to_status is Status.IN_DIALOGUE
    assert entry.actor_id == me.id
    assert "ønsker en investor å følge opp" in entry.comment  # the founder's language
    # The founder is told, in Norwegian, without the investor's name or the note.
    (mail,) = outbox
    assert mail.recipients == [s.founders["Tare"].email]
    for secret in ("Ida", "Nordlys", "regnskapet"):
        assert secret not in mail.body
    # A second investor wanting a follow-up changes nothing more and sends nothing.
    outbox.clear()
    _record(client, s, s.meetings[("Per", "Tare")], outcome="follow_up")
    assert reload(s.proposals["Tare"]).status is Status.IN_DIALOGUE
    assert outbox == []


def test_no_follow_up_leaves_the_proposal_where_it_is(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None, outbox: Any
) -> None:
    me = login_as("organiser", locale="en")
    s = _past(make_user, make_proposal, organiser=me)
    _record(client, s, s.meetings[("Per", "Vind")], outcome="no_follow_up")
    assert reload(s.meetings[("Per", "Vind")]).outcome is MeetingOutcome.NO_FOLLOW_UP
    assert reload(s.proposals["Vind"]).status is Status.ACCEPTED
    assert outbox == []


def test_founder_never_learns_which_investor(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    founder = login_as("entrepreneur", locale="en", name="Gründer Tare")
    s = _past(make_user, make_proposal, tare_founder=founder)
    assert client.get(f"/events/{s.event.id}/outcomes").status_code == 403
    meeting = s.meetings[("Ida", "Tare")]
    assert _record(client, s, meeting, outcome="follow_up").status_code == 403
    _login(client, s.ida)
    _record(client, s, meeting, outcome="follow_up", note="Sterkt team")
    _login(client, founder)
    page = client.get(f"/proposals/{s.proposals['Tare'].id}").text
    assert "In dialogue with investors" in page
    for secret in ("Ida", "Nordlys", "Sterkt team"):
        assert secret not in page
    agenda = client.get(f"/events/{s.event.id}/agenda").text
    assert "Follow-up wanted" not in agenda
    assert "Sterkt team" not in agenda


def test_investor_records_only_their_own_meetings(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("investor", locale="en", name="Ida Konto")
    s = _past(make_user, make_proposal, ida=me)
    page = client.get(f"/events/{s.event.id}/outcomes").text
    assert "Tare" in page
    assert "Sild" in page
    assert "Vind" not in page  # Per's meeting
    agenda = client.get(f"/events/{s.event.id}/agenda").text
    assert "Record the outcome of your meetings" in agenda
    response = _record(client, s, s.meetings[("Ida", "Sild")], outcome="no_follow_up", note="")
    assert "Outcome saved." in response.text
    assert reload(s.meetings[("Ida", "Sild")]).outcome_by_id == me.id
    agenda = client.get(f"/events/{s.event.id}/agenda").text
    assert "No follow-up" in agenda
    # Per's meeting through the same URL: it does not exist for her.
    per_meeting = s.meetings[("Per", "Vind")]
    assert _record(client, s, per_meeting, outcome="follow_up").status_code == 404
    assert reload(per_meeting).outcome is None
    # After a wanted follow-up she is pointed to the introduction request.
    response = _record(client, s, s.meetings[("Ida", "Tare")], outcome="follow_up")
    assert f'href="/matches/{s.proposals["Tare"].id}/introduction"' in response.text


def test_another_events_meeting_through_this_events_url_is_404(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("organiser", locale="en")
    s = _past(make_user, make_proposal, organiser=me)
    other = _past(make_user, make_proposal, organiser=me)
    meeting = other.meetings[("Ida", "Tare")]
    response = client.post(
        f"/events/{s.event.id}/meetings/{meeting.id}/outcome",
        data={f"m{meeting.id}-outcome": "follow_up"},
    )
    assert response.status_code == 404
    assert reload(meeting).outcome is None


def test_recording_before_the_meeting_is_refused(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("organiser", locale="en")
    s = scene(make_user, make_proposal, organiser=me)  # four weeks ahead
    page = client.get(f"/events/{s.event.id}/outcomes").text
    assert "The outcome can be recorded once the meeting has started." in page
    meeting = s.meetings[("Ida", "Tare")]
    assert f'action="/events/{s.event.id}/meetings/{meeting.id}/outcome"' not in page
    response = _record(client, s, meeting, outcome="follow_up", note="For tidlig")
    assert response.status_code == 200
    assert "Its outcome can be recorded once it has started." in response.text
    assert reload(meeting).outcome is None
    assert reload(s.proposals["Tare"]).status is Status.ACCEPTED


def test_slot_not_yet_started_while_an_earlier_one_has(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    """Meetings began ten minutes ago: slot 1 (20 minutes later) has not started."""
    me = login_as("organiser", locale="en")
    starts = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2, minutes=10)
    s = scene(make_user, make_proposal, organiser=me, starts_at=starts)
    assert (
        "Outcome saved."
        in _record(client, s, s.meetings[("Ida", "Tare")], outcome="follow_up").text
    )
    response = _record(client, s, s.meetings[("Ida", "Sild")], outcome="follow_up")
    assert "Its outcome can be recorded once it has started." in response.text
    assert reload(s.meetings[("Ida", "Sild")]).outcome is None


def test_bad_values_are_refused_beside_the_field_and_the_note_kept(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("organiser", locale="en")
    s = _past(make_user, make_proposal, organiser=me)
    meeting = s.meetings[("Ida", "Tare")]
    prefix = f"m{meeting.id}"
    for data in ({"note": "Mitt notat"}, {"outcome": "maybe", "note": "Mitt notat"}):
        response = _record(client, s, meeting, **data)
        assert response.status_code == 200
        assert "Choose whether a follow-up is wanted." in response.text
        assert f'id="{prefix}-outcome-error"' in response.text
        assert "Mitt notat</textarea>" in response.text
    long_note = "x" * 2001
    response = _record(client, s, meeting, outcome="follow_up", note=long_note)
    assert "At most 2000 characters, please." in response.text
    assert f'id="{prefix}-note-error"' in response.text
    assert long_note in response.text
    assert reload(meeting).outcome is None
    assert reload(s.proposals["Tare"]).status is Status.ACCEPTED


def test_an_outcome_can_be_changed(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("organiser", locale="en")
    s = _past(make_user, make_proposal, organiser=me)
    meeting = s.meetings[("Per", "Vind")]
    _record(client, s, meeting, outcome="no_follow_up")
    response = _record(client, s, meeting, outcome="follow_up", note="Likevel interessert")
    assert "Change the outcome" in response.text
    assert reload(meeting).outcome is MeetingOutcome.FOLLOW_UP
    assert reload(s.proposals["Vind"]).status is Status.IN_DIALOGUE
    # Changing back keeps the dialogue going: it may have begun already.
    _record(client, s, meeting, outcome="no_follow_up")
    assert reload(s.proposals["Vind"]).status is Status.IN_DIALOGUE


def test_marking_the_session_held_moves_accepted_to_pitched(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None, outbox: Any
) -> None:
    me = login_as("organiser", locale="en")
    s = _past(make_user, make_proposal, organiser=me)
    _record(client, s, s.meetings[("Ida", "Tare")], outcome="follow_up")  # Tare: in dialogue
    outbox.clear()
    response = client.post(f"/events/{s.event.id}/held", follow_redirects=True)
    assert "2 proposals are now “Pitched”." in response.text
    assert reload(s.proposals["Sild"]).status is Status.PITCHED
    assert reload(s.proposals["Vind"]).status is Status.PITCHED
    assert reload(s.proposals["Tare"]).status is Status.IN_DIALOGUE
    assert reload(s.proposals["Avlyst"]).status is Status.ACCEPTED  # declined to pitch
    assert sorted(m.recipients[0] for m in outbox) == sorted(
        [s.founders["Sild"].email, s.founders["Vind"].email]
    )
    # Again: nothing more to move.
    response = client.post(f"/events/{s.event.id}/held", follow_redirects=True)
    assert (
        "Every pitching proposal had already moved past “Accepted for Springbrett”."
        in response.text
    )
    # A follow-up after that moves a pitched proposal on to dialogue.
    _record(client, s, s.meetings[("Ida", "Sild")], outcome="follow_up")
    assert reload(s.proposals["Sild"]).status is Status.IN_DIALOGUE


def test_session_cannot_be_marked_held_before_it_starts(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("organiser", locale="en")
    s = scene(make_user, make_proposal, organiser=me)
    page = client.get(f"/events/{s.event.id}/outcomes").text
    assert "Once the session has started you can mark it as held" in page
    response = client.post(f"/events/{s.event.id}/held", follow_redirects=True)
    assert "it can be marked as held once it has started" in response.text
    assert reload(s.proposals["Sild"]).status is Status.ACCEPTED
    assert _db.session.get(Proposal, s.proposals["Vind"].id).status is Status.ACCEPTED
