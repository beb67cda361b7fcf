"""The organisers' home lists the open funding rounds that need them: the
target reached, the closing date near (the reminder's 7 days) or passed
without an outcome, a lead offered and none chosen. Each links to the round
page, and goes once the organiser has done what it asks."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import pytest

from matchmaking.dates import oslo_today
from matchmaking.extensions import db as _db
from matchmaking.rounds import services
from matchmaking.rounds.attention import reasons
from matchmaking.rounds.models import Round


def _items(page: str) -> dict[str, tuple[str, list[str]]]:
    """Title -> (link, reason kinds) of each round listed on the home page."""
    found = {}
    for block in re.findall(r'<article[^>]*data-round="\d+">(.*?)</article>', page, re.S):
        head = re.search(r'<h3[^>]*><a href="([^"]+)">([^<]*)</a></h3>', block)
        assert head is not None
        found[html.unescape(head.group(2))] = (
            head.group(1),
            re.findall(r'data-reason="(\w+)"', block),
        )
    return found


@pytest.fixture
def rounds(app: Any, make_user: Any, make_proposal: Any, db: Any) -> dict[str, Any]:
    """Six open rounds: one of each reason, one with two, one that needs nothing."""
    today = oslo_today()
    astrid = make_user("investor", approved=True, name="Astrid Investor")
    bjorn = make_user("investor", approved=True, name="Bjørn Investor")
    made: dict[str, Any] = {}

    def open_round(title: str, closes_in: int | None, target: int = 1_000_000) -> Round:
        proposal = make_proposal(status="in_dialogue", title=title, ask=target, min_ticket=100_000)
        closes_on = today + timedelta(days=closes_in) if closes_in is not None else None
        round_ = services.start_round(proposal, None, closes_on=closes_on)
        made[title] = round_
        return round_

    reached = open_round("Nådd", None)
    services.commit(reached.proposal, astrid, amount=600_000)
    _db.session.commit()
    with app.test_request_context():  # the target-reached e-mail
        services.commit(reached.proposal, bjorn, amount=400_000)
        _db.session.commit()
    open_round("Snart", 7)  # the last day the reminder counts as near
    open_round("Forbi", -1)
    lead = open_round("Ledet", 30)
    services.commit(lead.proposal, astrid, amount=200_000, would_lead=True)
    both = open_round("Begge", 3)
    services.commit(both.proposal, bjorn, amount=100_000, would_lead=True)
    quiet = open_round("Rolig", 8)  # one day past the reminder's window, below the target
    services.commit(quiet.proposal, astrid, amount=100_000)
    _db.session.commit()
    made["astrid"] = astrid
    return made


def test_the_organiser_sees_each_round_that_needs_them_with_why_and_the_link(
    client: Any, login_as: Any, rounds: dict[str, Any]
) -> None:
    login_as("organiser", locale="en")
    page = client.get("/").text
    items = _items(page)
    assert items == {
        "Forbi": (f"/proposals/{rounds['Forbi'].proposal_id}/round", ["closing_passed"]),
        "Begge": (
            f"/proposals/{rounds['Begge'].proposal_id}/round",
            ["closing_soon", "lead_waiting"],
        ),
        "Snart": (f"/proposals/{rounds['Snart'].proposal_id}/round", ["closing_soon"]),
        "Ledet": (f"/proposals/{rounds['Ledet'].proposal_id}/round", ["lead_waiting"]),
        "Nådd": (f"/proposals/{rounds['Nådd'].proposal_id}/round", ["target_reached"]),
    }
    # Soonest closing date first (a passed one before all), rounds without a date last.
    assert list(items) == ["Forbi", "Begge", "Snart", "Ledet", "Nådd"]
    text = html.unescape(page)
    assert "The commitments have reached the target (1\u00a0000\u00a0000\u00a0kr of" in text
    assert "has passed and no outcome is recorded: record the outcome or set a later date." in text
    assert "Investors who offered to lead, with no lead chosen: 1. Choose the lead." in text


def test_in_norwegian_the_reasons_are_in_norwegian(
    client: Any, login_as: Any, rounds: dict[str, Any]
) -> None:
    login_as("organiser", locale="nb")
    text = html.unescape(client.get("/").text)
    assert "Kapitalrunder" in text
    assert (
        "Tilsagnene har nådd målet (1\u00a0000\u00a0000\u00a0kr av 1\u00a0000\u00a0000\u00a0kr)"
        in text
    )


@pytest.mark.parametrize("role", ["investor", "entrepreneur"])
def test_other_people_do_not_see_the_rounds_list(
    client: Any, login_as: Any, rounds: dict[str, Any], role: str
) -> None:
    login_as(role, locale="en")
    page = client.get("/").text
    assert "data-round=" not in page
    assert "data-reason=" not in page
    assert "Funding rounds" not in page


def test_with_no_round_needing_action_the_home_says_so(
    client: Any, login_as: Any, make_proposal: Any, db: Any
) -> None:
    proposal = make_proposal(status="accepted", title="Rolig")
    services.start_round(proposal, None, closes_on=oslo_today() + timedelta(days=30))
    _db.session.commit()
    login_as("organiser", locale="en")
    page = client.get("/").text
    assert _items(page) == {}
    assert "No funding round needs your action now." in page


def test_items_go_once_the_organiser_has_done_what_they_ask(
    client: Any, login_as: Any, rounds: dict[str, Any]
) -> None:
    login_as("organiser", locale="en")
    # Choosing the lead ends "lead waiting".
    lead = rounds["Ledet"]
    response = client.post(
        f"/proposals/{lead.proposal_id}/round/lead",
        data={"version": str(lead.version), "lead": str(rounds["astrid"].id)},
    )
    assert response.status_code == 302
    # A later closing date ends "closing soon" (the founder's or organisers' terms form).
    soon = rounds["Snart"]
    later = oslo_today() + timedelta(days=40)
    response = client.post(
        f"/proposals/{soon.proposal_id}/round/edit",
        data={
            "version": str(soon.version),
            "target": "1 000 000",
            "min_ticket": "100 000",
            "instrument": "equity",
            "closes_on": later.isoformat(),
        },
    )
    assert response.status_code == 302, response.text
    # Recording the outcome ends a passed date and a reached target.
    for title in ("Forbi", "Nådd"):
        url = f"/proposals/{rounds[title].proposal_id}/round/close"
        data = {
            "version": str(rounds[title].version),
            "outcome": "not_funded",
            "reason": "postponed",
            "words": "",
            "confirm": "1",
        }
        assert client.post(url, data=data).status_code == 302
    items = _items(client.get("/").text)
    assert items == {
        "Begge": (
            f"/proposals/{rounds['Begge'].proposal_id}/round",
            ["closing_soon", "lead_waiting"],
        )
    }


def test_the_near_date_is_the_reminder_s_rule(rounds: dict[str, Any], app: Any) -> None:
    """The home's "closes soon" and ``flask rounds remind`` pick the same rounds."""
    from matchmaking.extensions import utcnow

    with app.test_request_context():
        today = oslo_today()
        near = {
            t
            for t in ("Nådd", "Snart", "Forbi", "Ledet", "Begge", "Rolig")
            if {r.kind for r in reasons(rounds[t], today)} & {"closing_soon", "closing_passed"}
        }
        reminded = {r.proposal.title for r, _told in services.remind_closing(utcnow())}
    assert near == reminded == {"Snart", "Forbi", "Begge"}
