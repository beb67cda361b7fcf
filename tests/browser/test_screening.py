"""In a browser, with CSRF on: two organisers score a proposal, one declines it;
every screening page (also with errors) passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from matchmaking.accounts.models import Role
from matchmaking.accounts.services import create_user
from matchmaking.extensions import db
from matchmaking.proposals.models import Proposal, Status
from matchmaking.screening.services import DEFAULT_CRITERIA, seed_criteria
from tests.browser.fixtures import LiveServer, check_accessibility
from tests.screening.factories import make_proposal

pytestmark = pytest.mark.browser

PASSWORD = "fjellheimen-over-narvik"


@pytest.fixture
def setup(live_server: LiveServer) -> dict[str, Any]:
    with live_server.app.app_context():
        seed_criteria()
        users = {
            key: create_user(
                email=f"{key}@example.no",
                name=name,
                password=PASSWORD,
                role=role,
                confirmed=True,
            )
            for key, name, role in (
                ("ada", "Ada Arrangør", Role.ORGANISER),
                ("bo", "Bo Bedømmer", Role.ORGANISER),
                ("founder", "Frida Gründer", Role.ENTREPRENEUR),
            )
        }
        proposal = make_proposal(users["founder"], Status.SUBMITTED, title="Tareforedling i Efjord")
        db.session.commit()
        ids = {"proposal": proposal.id}
        db.session.remove()
    return ids


def _login(page: Any, who: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("E-postadresse").fill(f"{who}@example.no")
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/")


def _logout(page: Any) -> None:
    page.get_by_role("button", name="Logg ut").click()


def _score(page: Any, value: str) -> None:
    for _slug, name_nb, _en, _w in DEFAULT_CRITERIA:
        page.get_by_role("group", name=name_nb, exact=True).get_by_label(value).check()


def test_two_organisers_score_and_one_declines(
    page: Any, live_server: LiveServer, setup: dict[str, Any]
) -> None:
    proposal_id = setup["proposal"]
    _login(page, "ada")
    page.visit("/screening/")
    page.get_by_role("link", name="Tareforedling i Efjord").click()
    page.wait_for_url(f"**/screening/{proposal_id}")
    check_accessibility(page)

    # Saving with criteria left out: messages beside the fields, the comment kept.
    page.get_by_label("Samlet kommentar").fill("Sterkt team, lite marked.")
    page.get_by_role("group", name="Team", exact=True).get_by_label("5 – utmerket").check()
    page.get_by_role("button", name="Lagre poengene mine").click()
    assert page.get_by_text("Poengene dine ble ikke lagret.").is_visible()
    assert page.get_by_label("Samlet kommentar").input_value() == "Sterkt team, lite marked."
    check_accessibility(page)
    _score(page, "4")
    page.get_by_role("button", name="Lagre poengene mine").click()
    assert page.get_by_text("Poengene dine er lagret.").is_visible()
    check_accessibility(page)
    _logout(page)

    _login(page, "bo")
    page.visit(f"/screening/{proposal_id}")
    assert not page.get_by_text("Sterkt team, lite marked.").is_visible()
    _score(page, "2")
    page.get_by_role("button", name="Lagre poengene mine").click()
    assert page.get_by_text("Sterkt team, lite marked.").is_visible()
    assert page.get_by_text("Vektet poengsum: 3,00").is_visible()

    # Declining without a reason is refused beside the field.
    page.get_by_label("Avslå").check()
    page.get_by_role("button", name="Lagre beslutningen").click()
    assert page.get_by_text("Gi en begrunnelse").is_visible()
    check_accessibility(page)
    page.get_by_label("Avslå").check()
    page.get_by_label("Begrunnelse til gründeren").fill("Markedet er for lite i dag.")
    page.get_by_label("Del vurderernes kommentarer").check()
    page.get_by_role("button", name="Lagre beslutningen").click()
    assert page.get_by_text("Beslutningen er lagret").is_visible()
    check_accessibility(page)

    with live_server.app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal is not None
        assert proposal.status is Status.DECLINED
        assert proposal.share_review_comments
        db.session.remove()
    decline_mail = [m for m in live_server.mail if m["To"] == "founder@example.no"][-1]
    assert "Markedet er for lite i dag." in decline_mail.get_body(("plain",)).get_content()


def test_rubric_page_with_errors_and_the_setting(
    page: Any, live_server: LiveServer, setup: dict[str, Any]
) -> None:
    _login(page, "ada")
    page.visit("/screening/rubric")
    form = page.get_by_role("region", name="Legg til et kriterium")
    form.get_by_label("Navn på norsk").fill("Bærekraft")
    form.get_by_label("Navn på engelsk").fill("Sustainability")
    form.get_by_label("Vekt").fill("-3")
    page.get_by_role("button", name="Legg til kriteriet").click()
    assert page.get_by_text("Oppgi en vekt fra 0,1 til 10.").first.is_visible()
    assert form.get_by_label("Navn på norsk").input_value() == "Bærekraft"
    check_accessibility(page)
    form.get_by_label("Vekt").fill("1,5")
    page.get_by_role("button", name="Legg til kriteriet").click()
    assert page.get_by_text("Kriteriet «Bærekraft» er lagt til.").is_visible()
    page.get_by_label("Vis de andre vurderernes poeng").check()
    page.get_by_role("button", name="Lagre innstillingene").click()
    assert page.get_by_text("Vurderere ser nå de andres poeng før").is_visible()
    check_accessibility(page)
    page.visit("/screening/?tab=all&sort=score_desc&q=tare")
