"""After an accepted introduction both parties find the other's contact details
on their introductions page, not only in the e-mail; nobody else sees them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.extensions import db as _db
from matchmaking.introductions.models import Introduction
from tests.introductions.conftest import login

FOUNDER_CONTACT = ("kontakt@sjoberg-havbruk.no", "+47 976 54 321")
INVESTOR_EMAIL = "kari@ofoten-invest.no"


def _ask(client: Any, investor: Any, proposal: Any) -> Introduction:
    login(client, investor)
    response = client.post(f"/matches/{proposal.id}/introduction", data={"message": "Meet?"})
    assert response.status_code == 302
    found = _db.session.scalar(
        select(Introduction).where(
            Introduction.investor_id == investor.id, Introduction.proposal_id == proposal.id
        )
    )
    assert found is not None
    return found


@pytest.fixture
def pair(
    client: Any, make_investor: Callable[..., Any], founder_proposal: Callable[..., Any]
) -> tuple[Any, Any, Any, Introduction]:
    """An investor's request to a founder's proposal, not yet answered."""
    proposal = founder_proposal(title="Sjøberg Havbruk")
    investor = make_investor(email=INVESTOR_EMAIL, locale="en")
    founder = proposal.company.owner
    return investor, founder, proposal, _ask(client, investor, proposal)


def _answer(client: Any, founder: Any, introduction: Introduction, action: str) -> None:
    login(client, founder)
    response = client.post(
        f"/introductions/{introduction.id}/{action}",
        data={f"intro-{introduction.id}-answer": "Gladly"},
    )
    assert response.status_code == 302


def _page(client: Any, user: Any) -> str:
    login(client, user)
    response = client.get("/introductions/")
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def test_both_parties_see_the_others_contact_details_once_accepted(
    client: Any, pair: tuple[Any, Any, Any, Introduction]
) -> None:
    investor, founder, _proposal, introduction = pair
    # Before the answer: neither page shows the other's details.
    assert INVESTOR_EMAIL not in _page(client, founder)
    investor_page = _page(client, investor)
    assert not any(detail in investor_page for detail in FOUNDER_CONTACT)

    _answer(client, founder, introduction, "accept")

    founder_page = _page(client, founder)
    assert f'<a href="mailto:{INVESTOR_EMAIL}">{INVESTOR_EMAIL}</a>' in founder_page
    assert "Ofoten Invest AS" in founder_page
    assert "Kontaktopplysninger" in founder_page  # the founder reads Norwegian

    investor_page = _page(client, investor)
    assert "Contact details" in investor_page
    assert "Sjøberg Havbruk" in investor_page
    assert "Solveig Sjøberg" in investor_page
    assert '<a href="mailto:kontakt@sjoberg-havbruk.no">' in investor_page
    assert '<a href="tel:+4797654321">+47 976 54 321</a>' in investor_page


def test_a_declined_introduction_shares_nothing(
    client: Any, pair: tuple[Any, Any, Any, Introduction]
) -> None:
    investor, founder, _proposal, introduction = pair
    _answer(client, founder, introduction, "decline")
    assert INVESTOR_EMAIL not in _page(client, founder)
    investor_page = _page(client, investor)
    assert not any(detail in investor_page for detail in FOUNDER_CONTACT)


def test_nobody_else_sees_the_contact_details(
    client: Any,
    make_user: Callable[..., Any],
    make_investor: Callable[..., Any],
    founder_proposal: Callable[..., Any],
    pair: tuple[Any, Any, Any, Introduction],
) -> None:
    _investor, founder, proposal, introduction = pair
    _answer(client, founder, introduction, "accept")
    # Another investor who asked the same founder, still waiting for an answer.
    other_investor = make_investor(name="Ola Annen", email="ola@annen.no")
    _ask(client, other_investor, proposal)
    other_founder = founder_proposal(title="Annen AS").company.owner
    for someone in (other_investor, other_founder):
        page = _page(client, someone)
        assert INVESTOR_EMAIL not in page
        assert not any(detail in page for detail in FOUNDER_CONTACT)
    # Organisers and pending investors have no introductions page; the
    # proposal page does not show the details to anyone.
    for role, approved in (("organiser", None), ("investor", False)):
        login(client, make_user(role, approved=approved))
        assert client.get("/introductions/").status_code == 403
        page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
        assert INVESTOR_EMAIL not in page
        assert "+47 976 54 321" not in page
