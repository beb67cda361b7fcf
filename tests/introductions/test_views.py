"""Asking for and answering introductions: bad input, refusals, who sees what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from matchmaking.extensions import db as _db
from matchmaking.introductions.models import Introduction, IntroductionStatus
from matchmaking.introductions.services import MESSAGE_MAX, request_introduction
from matchmaking.proposals.models import Status
from matchmaking.proposals.services import enter_dialogue
from tests.conftest import reload
from tests.introductions.conftest import login


def _count() -> int:
    return int(_db.session.scalar(select(func.count(Introduction.id))) or 0)


def test_empty_message_is_refused_beside_the_field(
    client: Any,
    make_investor: Callable[..., Any],
    founder_proposal: Callable[..., Any],
    outbox: list,
) -> None:
    proposal = founder_proposal()
    login(client, make_investor())
    response = client.post(f"/matches/{proposal.id}/introduction", data={"message": "   "})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page
    assert "Skriv en melding til gründeren." in page
    assert _count() == 0
    assert outbox == []


def test_too_long_message_is_refused_and_kept(
    client: Any, make_investor: Callable[..., Any], founder_proposal: Callable[..., Any]
) -> None:
    proposal = founder_proposal()
    login(client, make_investor())
    text = "x" * (MESSAGE_MAX + 1)
    response = client.post(f"/matches/{proposal.id}/introduction", data={"message": text})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Skriv høyst 2000 tegn." in page
    assert text in page  # what was typed is not lost
    assert _count() == 0


def test_a_second_request_is_refused_politely(
    client: Any,
    make_investor: Callable[..., Any],
    founder_proposal: Callable[..., Any],
    outbox: list,
) -> None:
    proposal = founder_proposal()
    login(client, make_investor())
    assert (
        client.post(f"/matches/{proposal.id}/introduction", data={"message": "Hei!"}).status_code
        == 302
    )
    response = client.post(
        f"/matches/{proposal.id}/introduction",
        data={"message": "Hei igjen!"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "allerede bedt om en introduksjon" in response.get_data(as_text=True)
    assert _count() == 1
    assert len(outbox) == 1
    # The form itself says so instead of offering a second request.
    page = client.get(f"/matches/{proposal.id}/introduction").get_data(as_text=True)
    assert "Du ba om en introduksjon" in page
    assert 'name="message"' not in page


@pytest.mark.parametrize("status", ["draft", "withdrawn", "declined", "closed"])
def test_no_request_for_a_proposal_that_is_not_open(
    client: Any,
    make_investor: Callable[..., Any],
    founder_proposal: Callable[..., Any],
    status: str,
) -> None:
    proposal = founder_proposal(status=status)
    login(client, make_investor())
    assert client.get(f"/matches/{proposal.id}/introduction").status_code == 404
    response = client.post(f"/matches/{proposal.id}/introduction", data={"message": "Hei"})
    assert response.status_code == 404
    assert _count() == 0


def test_the_service_refuses_too(
    app: Any, make_investor: Callable[..., Any], founder_proposal: Callable[..., Any]
) -> None:
    from matchmaking.introductions.services import IntroductionError

    proposal = founder_proposal(status="declined")
    with app.test_request_context(), pytest.raises(IntroductionError):
        request_introduction(make_investor(), proposal, "Hei")


def test_pending_investor_and_founder_cannot_ask(
    client: Any,
    make_investor: Callable[..., Any],
    make_user: Callable[..., Any],
    founder_proposal: Callable[..., Any],
) -> None:
    proposal = founder_proposal()
    login(client, make_investor(approved=False))
    assert (
        client.post(f"/matches/{proposal.id}/introduction", data={"message": "Hei"}).status_code
        == 403
    )
    login(client, make_user("entrepreneur"))
    assert (
        client.post(f"/matches/{proposal.id}/introduction", data={"message": "Hei"}).status_code
        == 403
    )
    assert _count() == 0


def test_founder_sees_pending_first_and_no_contact_details(
    app: Any,
    client: Any,
    make_investor: Callable[..., Any],
    founder_proposal: Callable[..., Any],
) -> None:
    proposal = founder_proposal()
    founder = proposal.company.owner
    first = make_investor(name="Anders Først", email="anders@example.no")
    second = make_investor(name="Berit Andre", email="berit@example.no")
    with app.test_request_context():
        old = request_introduction(first, proposal, "Første melding")
        request_introduction(second, proposal, "Andre melding")
        old.status = IntroductionStatus.DECLINED
        _db.session.commit()
    login(client, founder)
    page = client.get("/introductions/").get_data(as_text=True)
    assert page.index("Berit Andre") < page.index("Anders Først")
    assert "anders@example.no" not in page
    assert "berit@example.no" not in page
    # Only the pending one can be answered.
    assert page.count("Godta og del kontaktinformasjon") == 1


def test_investor_sees_own_requests_only(
    app: Any,
    client: Any,
    make_investor: Callable[..., Any],
    founder_proposal: Callable[..., Any],
) -> None:
    mine = founder_proposal(title="Rensefisk fra Evenes")
    theirs = founder_proposal(title="Batterigjenvinning i Narvik")
    me, other = make_investor(), make_investor(name="Ola Annen")
    with app.test_request_context():
        request_introduction(me, mine, "Hei")
        request_introduction(other, theirs, "Hei")
        _db.session.commit()
    login(client, me)
    page = client.get("/introductions/").get_data(as_text=True)
    assert "Rensefisk fra Evenes" in page
    assert "Batterigjenvinning i Narvik" not in page
    assert "Venter på svar fra gründeren" in page
    assert "kontakt@sjoberg-havbruk.no" not in page  # not before the founder accepts


def test_another_founders_introduction_is_not_found(
    app: Any,
    client: Any,
    make_investor: Callable[..., Any],
    make_user: Callable[..., Any],
    founder_proposal: Callable[..., Any],
    outbox: list,
) -> None:
    proposal = founder_proposal()
    with app.test_request_context():
        introduction = request_introduction(make_investor(), proposal, "Hei")
        _db.session.commit()
    login(client, make_user("entrepreneur"))
    for action in ("accept", "decline"):
        assert client.post(f"/introductions/{introduction.id}/{action}").status_code == 404
    assert reload(introduction).status is IntroductionStatus.REQUESTED


def test_the_investor_cannot_accept_their_own_request(
    app: Any,
    client: Any,
    make_investor: Callable[..., Any],
    founder_proposal: Callable[..., Any],
) -> None:
    proposal = founder_proposal()
    investor = make_investor()
    with app.test_request_context():
        introduction = request_introduction(investor, proposal, "Hei")
        _db.session.commit()
    login(client, investor)
    assert client.post(f"/introductions/{introduction.id}/accept").status_code == 403
    assert reload(introduction).status is IntroductionStatus.REQUESTED
    assert reload(proposal).status is Status.SUBMITTED


def test_too_long_answer_is_shown_beside_the_field(
    app: Any,
    client: Any,
    make_investor: Callable[..., Any],
    founder_proposal: Callable[..., Any],
) -> None:
    proposal = founder_proposal()
    with app.test_request_context():
        introduction = request_introduction(make_investor(), proposal, "Hei")
        _db.session.commit()
    login(client, proposal.company.owner)
    answer = "y" * (MESSAGE_MAX + 1)
    response = client.post(
        f"/introductions/{introduction.id}/accept",
        data={f"intro-{introduction.id}-answer": answer},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page
    assert answer in page
    assert reload(introduction).status is IntroductionStatus.REQUESTED


def test_accepting_when_already_in_dialogue_adds_no_event(
    app: Any, make_investor: Callable[..., Any], founder_proposal: Callable[..., Any]
) -> None:
    proposal = founder_proposal(status="in_dialogue")
    events = len(proposal.events)
    with app.test_request_context():
        assert enter_dialogue(proposal, proposal.company.owner) is None
    assert reload(proposal).status is Status.IN_DIALOGUE
    assert len(reload(proposal).events) == events


def test_request_button_on_the_proposal_page(
    client: Any, make_investor: Callable[..., Any], founder_proposal: Callable[..., Any]
) -> None:
    proposal = founder_proposal()
    login(client, make_investor())
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'href="/matches/{proposal.id}/introduction"' in page
    login(client, make_investor(approved=False))
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f"/matches/{proposal.id}/introduction" not in page
