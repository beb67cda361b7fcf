"""Investors hear of a published session (with the link to sign up) and of
meeting choices opening, once each, in their language; only approved, active
investors."""

from __future__ import annotations

from typing import Any

from matchmaking.events.models import Event
from matchmaking.extensions import db as _db
from tests.conftest import links_in, reload
from tests.events.factories import new_event
from tests.events.lineup_factories import attend, candidate, founder_proposal


def test_publishing_a_session_tells_each_approved_active_investor_once(
    client: Any, login_as: Any, make_user: Any, outbox: list[Any], reference: None
) -> None:
    organiser = login_as("organiser", locale="en")
    nb = make_user("investor", approved=True, locale="nb", name="Kari Nord")
    en = make_user("investor", approved=True, locale="en", name="Ann West")
    make_user("investor", approved=False)  # waiting for approval
    make_user("investor", approved=True, disabled=True)
    make_user("investor", approved=True, confirmed=False)
    make_user("entrepreneur")
    event = new_event(organiser, published=False, title="Springbrett Lofoten")
    response = client.post(f"/events/{event.id}/publish", follow_redirects=True)
    assert "Session published" in response.text
    assert sorted(m.recipients[0] for m in outbox) == sorted([nb.email, en.email])
    to = {m.recipients[0]: m for m in outbox}
    assert to[nb.email].subject == "Ny Springbrett-samling: Springbrett Lofoten"
    assert "Meld deg på på samlingens side:" in to[nb.email].body
    assert to[en.email].subject == "New Springbrett session: Springbrett Lofoten"
    assert "Sign up on the session page:" in to[en.email].body
    assert "Hello Ann West" in to[en.email].body
    for message in outbox:
        assert any(link.endswith(f"/events/{event.id}") for link in links_in(message))
        assert message.html is not None
    assert reload(event).announced_at is not None
    # Publishing again is refused, and nobody is told twice.
    outbox.clear()
    client.post(f"/events/{event.id}/publish", follow_redirects=True)
    assert outbox == []


def test_a_session_announced_before_is_not_announced_again(
    client: Any, login_as: Any, make_user: Any, outbox: list[Any], reference: None
) -> None:
    organiser = login_as("organiser", locale="en")
    make_user("investor", approved=True)
    event = new_event(organiser, published=False)
    event.announced_at = event.created_at
    _db.session.commit()
    client.post(f"/events/{event.id}/publish", follow_redirects=True)
    assert outbox == []


def test_publishing_the_line_up_tells_the_signed_up_investors_once_that_choices_are_open(
    client: Any,
    login_as: Any,
    make_user: Any,
    make_proposal: Any,
    outbox: list[Any],
    reference: None,
) -> None:
    organiser = login_as("organiser", locale="en")
    event = new_event(organiser, title="Springbrett Vinter")
    for k in range(2):
        candidate(event, founder_proposal(make_user, make_proposal, title=f"Pitch {k}"))
    nb = make_user("investor", approved=True, locale="nb")
    en = make_user("investor", approved=True, locale="en")
    absent = make_user("investor", approved=True)  # not signed up
    for investor in (nb, en):
        attend(event, investor)
    nb_email, en_email, absent_email = nb.email, en.email, absent.email
    client.post(
        f"/events/{event.id}/lineup/run",
        data={"version": str(reload(event).version)},
        follow_redirects=True,
    )
    client.post(
        f"/events/{event.id}/lineup/publish",
        data={"version": str(reload(event).version)},
        follow_redirects=True,
    )
    choices = [m for m in outbox if m.recipients[0] in (nb_email, en_email, absent_email)]
    assert sorted(m.recipients[0] for m in choices) == sorted([nb_email, en_email])
    to = {m.recipients[0]: m for m in choices}
    assert to[nb_email].subject == "Velg hvem du vil møte på Springbrett Vinter"
    assert "Nå kan du velge hvilke selskaper du vil møte" in to[nb_email].body
    assert to[en_email].subject == "Choose whom to meet at Springbrett Vinter"
    assert any(link.endswith(f"/events/{event.id}/meetings") for link in links_in(to[en_email]))
    assert reload(event).choices_announced_at is not None
    # A second publishing (a new run after a change) does not tell them again.
    outbox.clear()
    event = _db.session.get(Event, event.id)
    client.post(
        f"/events/{event.id}/lineup/publish",
        data={"version": str(reload(event).version)},
        follow_redirects=True,
    )
    assert [m for m in outbox if m.recipients[0] in (nb_email, en_email)] == []
