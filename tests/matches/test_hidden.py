"""Investors change their mind: the Hidden tab lists what they turned down,
"Undo" brings it back; the proposal page shows their match score, why and the
save button (to approved investors only)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.accounts.models import User
from matchmaking.matches.models import MatchChoice
from matchmaking.proposals.models import Proposal, Status
from tests.matches.test_views import add_profile, add_score, titles


@pytest.fixture
def investor(login_as: Callable[..., Any]) -> User:
    user: User = login_as("investor", locale="en")
    return user


def _turn_down(client: Any, proposal: Any, reason: str = "ticket", text: str = "") -> None:
    response = client.post(
        f"/matches/{proposal.id}/not-interested", data={"reason": reason, "reason_text": text}
    )
    assert response.status_code == 302


def _hidden_titles(html: str) -> list[str]:
    return re.findall(r'id="hidden-\d+-title"><a [^>]*>([^<]+)</a>', html)


def test_the_hidden_tab_lists_what_was_turned_down_with_the_reason(
    client: Any, db: Any, investor: User, make_proposal: Any
) -> None:
    keep = make_proposal(title="Beholdes")
    drop = make_proposal(title="Fjernes")
    add_score(db, investor, keep, 0.4)
    add_score(db, investor, drop, 0.9)
    empty = client.get("/matches/?tab=hidden").get_data(as_text=True)
    assert "You have not hidden any proposal." in empty
    _turn_down(client, drop, "ticket", "Too big for me.")
    html = client.get("/matches/?tab=hidden").get_data(as_text=True)
    assert _hidden_titles(html) == ["Fjernes"]
    assert "The ask does not fit my ticket size" in html
    assert "Too big for me." in html
    assert 'aria-current="page" href="/matches/?tab=hidden">Hidden</a>' in html
    assert f'action="/matches/{drop.id}/undo-not-interested"' in html
    # The list itself no longer has it; the tab is offered there too.
    page = client.get("/matches/")
    assert titles(page) == ["Beholdes"]
    assert 'href="/matches/?tab=hidden">Hidden</a>' in page.get_data(as_text=True)


def test_undo_brings_the_match_back_and_drops_the_reason(
    client: Any, db: Any, investor: User, make_proposal: Any
) -> None:
    drop = make_proposal(title="Angret")
    add_score(db, investor, drop, 0.9)
    _turn_down(client, drop, "other", "Not now")
    response = client.post(
        f"/matches/{drop.id}/undo-not-interested", data={"next": "/matches/?tab=hidden"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/matches/?tab=hidden"
    html = client.get("/matches/?tab=hidden").get_data(as_text=True)
    assert "“Angret” is back among your matches." in html
    assert _hidden_titles(html) == []
    assert titles(client.get("/matches/")) == ["Angret"]
    choice = db.session.scalar(select(MatchChoice).where(MatchChoice.proposal_id == drop.id))
    assert not choice.not_interested
    assert choice.reason is None
    assert choice.reason_text == ""


def test_the_hidden_tab_shows_only_the_investors_own_and_open_proposals(
    client: Any, db: Any, investor: User, make_user: Any, make_proposal: Any
) -> None:
    mine = make_proposal(title="Min")
    closed = make_proposal(title="Lukket")
    theirs = make_proposal(title="Deres")
    _turn_down(client, mine)
    _turn_down(client, closed)
    other = make_user("investor", approved=True)
    db.session.add(
        MatchChoice(
            investor_id=other.id, proposal_id=theirs.id, not_interested=True, reason_text=""
        )
    )
    db.session.get(Proposal, closed.id).status = Status.WITHDRAWN
    db.session.commit()
    html = client.get("/matches/?tab=hidden").get_data(as_text=True)
    assert _hidden_titles(html) == ["Min"]


def test_hidden_tab_in_norwegian(client: Any, db: Any, login_as: Any, make_proposal: Any) -> None:
    login_as("investor")
    drop = make_proposal(title="Skjult")
    _turn_down(client, drop, "team")
    html = client.get("/matches/?tab=hidden").get_data(as_text=True)
    assert ">Skjult</a>" in html
    assert ">Skjulte</a>" in html  # the tab
    assert "Angre" in html
    assert "Teamet" in html


# --------------------------------------------------------------------------
# The proposal page
# --------------------------------------------------------------------------


def _your_match(html: str) -> str:
    found = re.search(r'<section aria-labelledby="your-match-heading".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_the_proposal_page_shows_the_score_why_and_save(
    client: Any, db: Any, investor: User, make_proposal: Any
) -> None:
    add_profile(db, investor)
    proposal = make_proposal(title="Tare AS")
    add_score(db, investor, proposal, 0.73)
    page = f"/proposals/{proposal.id}"
    part = _your_match(client.get(page).get_data(as_text=True))
    assert "73 %" in part
    assert "Sector: Marine – one of your sectors" in part or "Sector:" in part
    assert "Why:" in part
    assert ">Save</button>" in part
    response = client.post(f"/matches/{proposal.id}/save", data={"next": page})
    assert response.headers["Location"] == page  # back to the proposal, not the list
    part = _your_match(client.get(page).get_data(as_text=True))
    assert ">Remove from saved</button>" in part
    assert titles(client.get("/matches/?tab=saved")) == ["Tare AS"]


def test_the_proposal_page_offers_undo_for_a_hidden_proposal(
    client: Any, db: Any, investor: User, make_proposal: Any
) -> None:
    proposal = make_proposal(title="Skjult AS")
    add_score(db, investor, proposal, 0.5)
    _turn_down(client, proposal)
    page = f"/proposals/{proposal.id}"
    part = _your_match(client.get(page).get_data(as_text=True))
    assert "You said you were not interested" in part
    assert ">Save</button>" not in part
    response = client.post(f"/matches/{proposal.id}/undo-not-interested", data={"next": page})
    assert response.headers["Location"] == page
    assert "50 %" in _your_match(client.get(page).get_data(as_text=True))


def test_a_proposal_without_a_stored_score_says_so(
    client: Any, db: Any, investor: User, make_proposal: Any
) -> None:
    proposal = make_proposal(title="Uten poeng")
    part = _your_match(client.get(f"/proposals/{proposal.id}").get_data(as_text=True))
    assert "No match score" in part
    assert ">Save</button>" in part


@pytest.mark.parametrize("role", ["pending_investor", "entrepreneur", "organiser"])
def test_only_approved_investors_see_a_match_on_the_proposal_page(
    client: Any, db: Any, login_as: Any, make_user: Any, make_proposal: Any, role: str
) -> None:
    user = login_as(role, locale="en")
    proposal = make_proposal(owner=user if role == "entrepreneur" else None, title="Synlig")
    someone = make_user("investor", approved=True)
    add_score(db, someone, proposal, 0.9)
    response = client.get(f"/proposals/{proposal.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Synlig" in html
    assert 'id="your-match-heading"' not in html
    assert "/save" not in html
