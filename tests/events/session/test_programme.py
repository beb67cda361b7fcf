"""Who takes part in a session, one definition each (``matchmaking.events.programme``):
a candidate in dialogue still stands, a candidate out is told why (founder and
organisers, both languages), and the line-up and the meetings pages count the
same investors."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from matchmaking.accounts.models import User
from matchmaking.events.models import Event, EventCandidate
from matchmaking.extensions import db as _db
from matchmaking.proposals.models import Proposal, Status
from tests.events.factories import new_event
from tests.events.lineup_factories import attend, candidate, founder_proposal, score


def _row(model: Any, ident: int) -> Any:
    _db.session.expire_all()
    return _db.session.get(model, ident)


def _login(client: FlaskClient, user_id: int) -> None:
    user = _row(User, user_id)
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def _post(client: FlaskClient, event_id: int, path: str) -> Any:
    return client.post(
        f"/events/{event_id}/lineup/{path}",
        data={"version": str(_row(Event, event_id).version)},
        follow_redirects=True,
    )


@pytest.fixture
def session_(login_as: Any, make_user: Any, make_proposal: Any, reference: None) -> dict[str, Any]:
    """2 pitch slots; candidates "Talking" (in dialogue before any invitation,
    the best match), "Plain" (accepted), "Gone" (withdrawn), "Sold" (funded);
    one investor who attends. The organiser (English) is logged in."""
    organiser = login_as("organiser", locale="en")
    event = new_event(organiser, title="Springbrett Vår")
    event.pitch_slots = 2
    _db.session.commit()
    investor = make_user("investor", approved=True, name="Investor Ida")
    attend(event, investor)
    ids, founders, proposals = {}, {}, {}
    for title in ("Talking", "Plain", "Gone", "Sold"):
        p = founder_proposal(make_user, make_proposal, title=title)
        ids[title] = candidate(event, p).id
        founders[title] = p.company.owner.id
        proposals[title] = p.id
        score(investor, p, 0.9 if title == "Talking" else 0.2)
    # The proposals move on after they became candidates, before any invitation.
    for title, status in (
        ("Talking", Status.IN_DIALOGUE),
        ("Gone", Status.WITHDRAWN),
        ("Sold", Status.FUNDED),
    ):
        _db.session.get(Proposal, proposals[title]).status = status
    _db.session.commit()
    return {"organiser": organiser.id, "event": event.id, "ids": ids, "founders": founders}


def test_a_candidate_in_dialogue_before_the_invitation_still_stands(
    client: FlaskClient, session_: dict[str, Any]
) -> None:
    """An accepted introduction before the line-up is published does not end
    the candidacy: the engine may choose the company, and publishing invites it."""
    eid, ids = session_["event"], session_["ids"]
    page = _post(client, eid, "run").text
    assert "Talking: The proposal is no longer accepted" not in page
    assert _row(EventCandidate, ids["Talking"]).lineup_position is not None
    _post(client, eid, "publish")
    talking = _row(EventCandidate, ids["Talking"])
    assert talking.invitation is not None
    assert talking.pitching
    assert talking.proposal.status is Status.IN_DIALOGUE


def test_organisers_see_why_a_candidate_is_out(
    client: FlaskClient, session_: dict[str, Any]
) -> None:
    eid = session_["event"]
    page = _post(client, eid, "run").text
    assert "Not considered for the line-up" in page
    assert "Gone: The proposal is no longer accepted (now: Withdrawn)" in page
    assert "Sold: The proposal is no longer accepted (now: Funded)" in page
    assert "Talking:" not in page.split("Not considered for the line-up")[1].split("</ul>")[0]


@pytest.mark.parametrize(
    ("locale", "says"),
    [
        ("en", "It cannot be chosen for the line-up: The proposal is no longer accepted"),
        ("nb", "Det kan ikke velges til programmet: Forslaget er ikke lenger godkjent"),
    ],
)
def test_a_founder_sees_why_their_candidate_is_out(
    client: FlaskClient, session_: dict[str, Any], locale: str, says: str
) -> None:
    eid = session_["event"]
    founder = _row(User, session_["founders"]["Gone"])
    founder.locale = locale
    _db.session.commit()
    _login(client, founder.id)
    page = client.get(f"/events/{eid}").text
    assert says in page
    # The founder in dialogue is still a plain candidate.
    _login(client, session_["founders"]["Talking"])
    page = client.get(f"/events/{eid}").text
    assert "is a candidate." in page
    assert "cannot be chosen" not in page


def _best_for(page: str) -> list[str]:
    body = page.split('id="best-for"')[1].split("</tbody>")[0]
    return re.findall(r'<th scope="row">([^<]*)</th>', body)


def _signed_up(page: str) -> int:
    found = re.search(r"Investors signed up</dt><dd[^>]*>(\d+)</dd>", page)
    assert found is not None
    return int(found.group(1))


@pytest.mark.parametrize("kind", ["unconfirmed", "disabled", "pending"])
def test_lineup_and_meetings_count_the_same_investors(
    client: FlaskClient, session_: dict[str, Any], make_user: Any, kind: str
) -> None:
    """An investor signed up who cannot log in (e-mail not confirmed, or the
    account disabled) or is not approved counts on neither page."""
    eid = session_["event"]
    other = make_user(
        "investor",
        approved=kind != "pending",
        name="Investor Odd",
        confirmed=kind != "unconfirmed",
        disabled=kind == "disabled",
    )
    event = _row(Event, eid)
    attend(event, other)
    for p in _db.session.query(Proposal).all():
        score(other, p, 0.5)
    _post(client, eid, "run")
    _post(client, eid, "publish")
    lineup = client.get(f"/events/{eid}/lineup").text
    schedule = client.get(f"/events/{eid}/schedule").text
    assert _best_for(lineup) == ["Investor Ida"]
    assert _signed_up(schedule) == len(_best_for(lineup)) == 1


def test_funding_before_the_session_ends_an_invited_founders_place(
    client: FlaskClient, session_: dict[str, Any]
) -> None:
    """Funded before the session: the founder's place ends (the line-up page
    and the founder say why); once the session has started, a proposal funded
    since stays in the programme as what was pitched."""
    from datetime import timedelta

    from matchmaking.extensions import utcnow

    eid, ids = session_["event"], session_["ids"]
    _post(client, eid, "run")
    _post(client, eid, "publish")
    plain = _row(EventCandidate, ids["Plain"])
    assert plain.pitching
    plain.proposal.status = Status.FUNDED
    _db.session.commit()
    assert not _row(EventCandidate, ids["Plain"]).pitching
    page = client.get(f"/events/{eid}/lineup").text
    assert "Plain: The proposal is no longer accepted (now: Funded)" in page
    _login(client, session_["founders"]["Plain"])
    page = client.get(f"/events/{eid}").text
    assert "It cannot be chosen for the line-up: The proposal is no longer accepted" in page
    event = _row(Event, eid)
    event.starts_at = utcnow() - timedelta(hours=1)
    _db.session.commit()
    assert _row(EventCandidate, ids["Plain"]).pitching
