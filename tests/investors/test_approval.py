"""Organisers approve or reject investors at /screening/investors."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.accounts.models import InvestorStatus
from matchmaking.investors import services
from matchmaking.investors.models import InvestorDecision, InvestorProfile
from tests.conftest import links_in, reload


def _decisions(db: Any, user: Any) -> list[InvestorDecision]:
    return list(
        db.session.scalars(select(InvestorDecision).where(InvestorDecision.investor_id == user.id))
    )


def test_the_list_shows_pending_first_with_their_profile(
    client: Any, login_as: Any, make_user: Any, db: Any, reference: None
) -> None:
    approved = make_user("investor", approved=True, name="Agnes Godkjent")
    pending = make_user("investor", approved=False, name="Petter Venter")
    rejected = make_user("investor", approved=False, name="Rolf Avvist")
    rejected.investor_status = InvestorStatus.REJECTED
    db.session.add(
        InvestorProfile(
            user_id=pending.id,
            display_name="Petter V.",
            organisation="Venter Kapital AS",
            ticket_min=100_000,
            ticket_max=900_000,
            thesis="Reiseliv i Tysfjord.",
        )
    )
    db.session.commit()
    login_as("organiser")
    page = client.get("/screening/investors?lang=en").get_data(as_text=True)
    assert page.index("Petter Venter") < page.index("Agnes Godkjent") < page.index("Rolf Avvist")
    assert page.index("Awaiting approval") < page.index("Approved") < page.index("Rejected")
    assert "Venter Kapital AS" in page
    assert "100\u00a0000\u00a0kr – 900\u00a0000\u00a0kr" in page
    assert f"/screening/investors/{pending.id}" in page
    assert 'scope="col"' in page
    assert 'scope="row"' in page
    assert approved.email in page


def test_approving_tells_the_investor_in_their_language(
    client: Any, login_as: Any, make_user: Any, db: Any, outbox: list[Any]
) -> None:
    investor = make_user("investor", approved=False, locale="en", name="Emma English")
    organiser = login_as("organiser")
    page = client.get(f"/screening/investors/{investor.id}?lang=en").get_data(as_text=True)
    assert "No interest profile yet." in page
    response = client.post(
        f"/screening/investors/{investor.id}/decision",
        data={"decision": "approve", "reason": "Welcome aboard."},
    )
    assert response.status_code == 302
    assert reload(investor).investor_status is InvestorStatus.APPROVED
    [decision] = _decisions(db, investor)
    assert decision.status is InvestorStatus.APPROVED
    assert decision.decided_by_id == organiser.id
    assert decision.reason == "Welcome aboard."
    [message] = outbox
    assert message.recipients == [investor.email]
    assert message.subject == "You are approved as an investor in BAN Ofoten"
    assert "Welcome aboard." in message.body
    assert "Welcome aboard." in message.html
    assert "approved you as an investor" in message.body
    assert any(link.endswith("/investor/profile") for link in links_in(message))
    # Seen as approved on the list, with the decision.
    page = client.get("/screening/investors?lang=en").get_data(as_text=True)
    assert "Welcome aboard." in page


def test_approving_recomputes_the_matches(
    client: Any, login_as: Any, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matchmaking.investors import views

    seen: list[int] = []
    monkeypatch.setattr(views, "_recompute", lambda user: seen.append(user.id))
    investor = make_user("investor", approved=False)
    login_as("organiser")
    client.post(f"/screening/investors/{investor.id}/decision", data={"decision": "approve"})
    assert seen == [investor.id]


def test_rejecting_needs_a_reason(
    client: Any, login_as: Any, make_user: Any, db: Any, outbox: list[Any]
) -> None:
    investor = make_user("investor", approved=False)
    login_as("organiser", locale="en")
    response = client.post(
        f"/screening/investors/{investor.id}/decision?lang=en",
        data={"decision": "reject", "reason": "   "},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    error = page.split('id="reason-error"', 1)[1].split("</div>", 1)[0]
    assert "Give a reason" in error
    assert reload(investor).investor_status is InvestorStatus.PENDING
    assert _decisions(db, investor) == []
    assert outbox == []


def test_rejecting_with_a_reason_tells_the_investor_in_norwegian(
    client: Any, login_as: Any, make_user: Any, db: Any, outbox: list[Any]
) -> None:
    investor = make_user("investor", approved=False, locale="nb")
    login_as("organiser")
    response = client.post(
        f"/screening/investors/{investor.id}/decision",
        data={"decision": "reject", "reason": "Vi fant ingen investorerfaring."},
    )
    assert response.status_code == 302
    assert reload(investor).investor_status is InvestorStatus.REJECTED
    [decision] = _decisions(db, investor)
    assert decision.status is InvestorStatus.REJECTED
    [message] = outbox
    assert message.subject == "Din investorregistrering hos BAN Ofoten"
    assert "Vi fant ingen investorerfaring." in message.body
    assert "Vi fant ingen investorerfaring." in message.html
    assert "ikke godkjent" in message.body


def test_a_nul_in_the_reason_is_dropped(
    client: Any, login_as: Any, make_user: Any, db: Any, outbox: list[Any]
) -> None:
    investor = make_user("investor", approved=False)
    login_as("organiser")
    response = client.post(
        f"/screening/investors/{investor.id}/decision",
        data={"decision": "reject", "reason": "Nei\x00 takk."},
    )
    assert response.status_code == 302
    [decision] = _decisions(db, investor)
    assert decision.reason == "Nei takk."


def test_approving_an_approved_investor_is_refused_politely(
    client: Any, login_as: Any, make_user: Any, db: Any, outbox: list[Any]
) -> None:
    investor = make_user("investor", approved=True, name="Alma Allerede")
    login_as("organiser")
    response = client.post(
        f"/screening/investors/{investor.id}/decision?lang=en", data={"decision": "approve"}
    )
    assert response.status_code == 200
    assert "Alma Allerede is approved already." in response.get_data(as_text=True)
    assert _decisions(db, investor) == []
    assert outbox == []


def test_an_unknown_decision_is_refused(client: Any, login_as: Any, make_user: Any) -> None:
    investor = make_user("investor", approved=False)
    login_as("organiser")
    response = client.post(
        f"/screening/investors/{investor.id}/decision?lang=en", data={"decision": "promote"}
    )
    assert response.status_code == 200
    assert reload(investor).investor_status is InvestorStatus.PENDING


def test_a_rejected_investor_can_be_approved_later(
    make_user: Any, app: Any, db: Any, outbox: list[Any]
) -> None:
    investor = make_user("investor", approved=False)
    organiser = make_user("organiser")
    with app.test_request_context():
        services.reject(investor, organiser, "Ikke nå.")
        with pytest.raises(services.InvestorError):
            services.reject(investor, organiser, "Igjen.")
        services.approve(investor, organiser)
        db.session.commit()  # the request's commit: the e-mails go out after it
    assert investor.investor_status is InvestorStatus.APPROVED
    assert len(outbox) == 2


def test_only_investors_are_decided_on(make_user: Any, app: Any, db: Any) -> None:
    founder = make_user("entrepreneur")
    organiser = make_user("organiser")
    with app.test_request_context():
        with pytest.raises(services.InvestorError):
            services.approve(founder, organiser)
        with pytest.raises(services.InvestorError):
            services.reject(founder, organiser, "Nei.")
    assert founder.investor_status is None


def test_pending_investor_sees_teasers_only_until_approved(
    client: Any, login_as: Any, make_proposal: Any, make_user: Any, db: Any
) -> None:
    proposal = make_proposal(description="Hemmelige tall fra driften.")
    me = login_as("pending_investor")
    assert "Hemmelige tall" not in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    organiser = make_user("organiser")
    me.investor_status = InvestorStatus.APPROVED
    db.session.add(me)
    db.session.commit()
    assert organiser.is_organiser
    assert "Hemmelige tall" in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)


def test_approval_and_rejection_bring_and_remove_the_stored_matches(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, db: Any
) -> None:
    from matchmaking.matches.models import MatchScore

    proposal = make_proposal(title="Tare fra Efjorden", ask=2_000_000, min_ticket=250_000)
    investor = make_user("investor", approved=False)
    db.session.add(
        InvestorProfile(
            user_id=investor.id,
            display_name="Kari",
            ticket_min=100_000,
            ticket_max=3_000_000,
            thesis="Tare og havbruk.",
        )
    )
    db.session.commit()

    def stored() -> list[int]:
        db.session.expire_all()
        return list(
            db.session.scalars(
                select(MatchScore.proposal_id).where(MatchScore.investor_id == investor.id)
            )
        )

    login_as("organiser")
    assert stored() == []
    client.post(f"/screening/investors/{investor.id}/decision", data={"decision": "approve"})
    assert stored() == [proposal.id]
    client.post(
        f"/screening/investors/{investor.id}/decision",
        data={"decision": "reject", "reason": "Feil registrering."},
    )
    assert stored() == []
