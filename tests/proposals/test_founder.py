"""The entrepreneur's path: company, draft, deck, submit, see the answer."""

from __future__ import annotations

import io
from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.proposals.models import Company, Proposal, Status
from matchmaking.reference.models import Municipality, Sector, Stage, Subproject
from tests.conftest import reload, tiny_pdf

VALID_ORGNR = "923609016"


def _ids(db: Any) -> dict[str, int]:
    def one(model: Any, slug: str) -> int:
        return db.session.scalar(select(model.id).where(model.slug == slug))

    return {
        "narvik": one(Municipality, "narvik"),
        "marine": one(Sector, "marine"),
        "seed": one(Stage, "seed"),
        "idea": one(Stage, "idea"),
        "marin": one(Subproject, "marin-kartlegging"),
    }


def company_data(ids: dict[str, int], **changes: str) -> dict[str, Any]:
    data = {
        "name": "Efjord Tare AS",
        "org_number": "923 609 016",
        "municipality": str(ids["narvik"]),
        "website": "https://efjordtare.no",
        "contact_name": "Kari Gründer",
        "contact_email": "kari@efjordtare.no",
        "contact_phone": "+47 900 00 000",
        "team-members-0-name": "Kari Gründer",
        "team-members-0-role": "Daglig leder",
        "team-members-0-background": "Marinbiolog fra UiT",
    }
    data.update(changes)
    return data


def proposal_data(ids: dict[str, int], **changes: str) -> dict[str, Any]:
    data = {
        "title": "Tareforedling i Efjorden",
        "teaser": "Vi foredler tare fra Efjorden til fôr og mat.",
        "description": "Vi har testet dyrking i to sesonger.",
        "sector": str(ids["marine"]),
        "stage": str(ids["seed"]),
        "subproject": str(ids["marin"]),
        "ask": "2 000 000",
        "min_ticket": "250.000",
        "instrument": "equity",
        "pre_money": "",
        "use_of_funds": "Produksjonslinje og salg.",
        "jobs_now": "3",
        "jobs_in_3_years": "12",
        "traction": "Avtale med to fôrprodusenter.",
    }
    data.update(changes)
    return data


def upload(client: Any, proposal_id: int, data: bytes, name: str = "deck.pdf") -> Any:
    return client.post(
        f"/proposals/{proposal_id}/deck",
        data={"deck": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_founder_goes_from_company_to_submitted_proposal(
    client: Any, db: Any, login_as: Any, reference: None, outbox: list[Any]
) -> None:
    founder = login_as("entrepreneur")
    ids = _ids(db)
    response = client.get("/proposals/new")
    assert response.headers["Location"].endswith("/proposals/company")

    response = client.post("/proposals/company", data=company_data(ids))
    assert response.status_code == 302, response.get_data(as_text=True)
    company = db.session.scalar(select(Company).where(Company.owner_id == founder.id))
    assert company.org_number == VALID_ORGNR
    assert [m.name for m in company.team] == ["Kari Gründer"]

    response = client.post("/proposals/new", data=proposal_data(ids))
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal).where(Proposal.company_id == company.id))
    assert proposal.status is Status.DRAFT
    assert proposal.ask == 2_000_000
    assert proposal.min_ticket == 250_000

    # Submitting without a deck says what is missing.
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "en pitchdeck (PDF)" in page
    response = client.post(
        f"/proposals/{proposal.id}/submit", data={"comment": ""}, follow_redirects=True
    )
    assert "Før du sender inn, legg til en pitchdeck (PDF)." in response.get_data(as_text=True)
    assert reload(proposal).status is Status.DRAFT

    assert upload(client, proposal.id, tiny_pdf("Efjord Tare")).status_code == 302
    proposal = reload(proposal)
    assert proposal.deck_file
    assert proposal.deck_name == "deck.pdf"

    response = client.post(f"/proposals/{proposal.id}/submit", data={"comment": "Klar!"})
    assert response.status_code == 302
    proposal = reload(proposal)
    assert proposal.status is Status.SUBMITTED
    assert proposal.submitted_at is not None
    assert [e.to_status for e in proposal.events] == [Status.DRAFT, Status.SUBMITTED]
    assert proposal.events[-1].comment == "Klar!"

    # Submitted: no more editing.
    response = client.get(f"/proposals/{proposal.id}/edit")
    assert response.status_code == 302
    response = client.post(f"/proposals/{proposal.id}/edit", data=proposal_data(ids, title="Nytt"))
    assert reload(proposal).title == "Tareforedling i Efjorden"
    page = client.get("/proposals/").get_data(as_text=True)
    assert "Tareforedling i Efjorden" in page
    assert "Sendt inn" in page
    assert "2\u00a0000\u00a0000\u00a0kr" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Gi forslaget en tittel."),
        ({"title": "x" * 161}, "Høyst 160 tegn."),
        ({"teaser": "x" * 301}, "Høyst 300 tegn."),
        ({"ask": ""}, "Skriv hvor mye kapital du søker"),
        ({"ask": "-5"}, "Skriv hele kroner"),
        ({"ask": "1,5 mill"}, "Skriv hele kroner"),
        ({"ask": "0"}, "må være mer enn 0 kr"),
        ({"ask": "999999999999999"}, "for stort"),
        ({"min_ticket": "3 000 000"}, "kan ikke være større enn kapitalbehovet"),
        ({"jobs_now": "-1"}, "fra 0 til"),
        ({"jobs_in_3_years": "mange"}, "Skriv et helt tall"),
        ({"sector": "999999"}, "Ikke et gyldig valg"),
    ],
)
def test_proposal_form_bad_input(
    client: Any, db: Any, login_as: Any, reference: None, changes: dict[str, str], message: str
) -> None:
    login_as("entrepreneur")
    ids = _ids(db)
    client.post("/proposals/company", data=company_data(ids))
    response = client.post("/proposals/new", data=proposal_data(ids, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "Ikke en gyldig heltallsverdi" not in page  # one message per field, ours
    assert 'aria-invalid="true"' in page
    if "title" not in changes:
        assert 'value="Tareforedling i Efjorden"' in page  # what was typed is kept
    assert db.session.scalar(select(Proposal)) is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"org_number": "923609017"},
            "Dette er ikke et gyldig organisasjonsnummer: det siste sifferet stemmer ikke."
            " Sjekk nummeret i Brønnøysundregistrene.",
        ),
        ({"org_number": "12345"}, "Et organisasjonsnummer har 9 sifre; du skrev 5."),
        ({"name": ""}, "Skriv inn selskapets navn."),
        ({"website": "efjord"}, "Skriv en nettadresse, for eksempel nordlysfisk.no."),
        ({"contact_email": "nope"}, "Skriv inn en gyldig e-postadresse"),
        (
            {"team-members-0-name": "", "team-members-0-role": "CTO"},
            "Skriv inn navnet på teammedlemmet.",
        ),
    ],
)
def test_company_form_bad_input(
    client: Any, db: Any, login_as: Any, reference: None, changes: dict[str, str], message: str
) -> None:
    login_as("entrepreneur")
    response = client.post("/proposals/company", data=company_data(_ids(db), **changes))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Company)) is None


def test_org_number_optional_and_unique(
    client: Any, db: Any, login_as: Any, make_user: Any, reference: None
) -> None:
    ids = _ids(db)
    login_as("entrepreneur")
    assert (
        client.post("/proposals/company", data=company_data(ids, org_number="")).status_code == 302
    )
    assert client.post("/proposals/company", data=company_data(ids)).status_code == 302
    client.post("/auth/logout")
    login_as("entrepreneur")
    response = client.post("/proposals/company", data=company_data(ids, name="Kopi AS"))
    assert "Et annet selskap er registrert med dette organisasjonsnummeret." in response.get_data(
        as_text=True
    )


def test_submission_past_the_idea_stage_needs_an_org_number(
    client: Any, db: Any, login_as: Any, reference: None
) -> None:
    login_as("entrepreneur")
    ids = _ids(db)
    client.post("/proposals/company", data=company_data(ids, org_number=""))
    client.post("/proposals/new", data=proposal_data(ids))
    proposal = db.session.scalar(select(Proposal))
    upload(client, proposal.id, tiny_pdf())
    response = client.post(f"/proposals/{proposal.id}/submit", data={}, follow_redirects=True)
    assert "organisasjonsnummer" in response.get_data(as_text=True)
    assert reload(proposal).status is Status.DRAFT
    # At the idea stage it may go without.
    client.post(f"/proposals/{proposal.id}/edit", data=proposal_data(ids, stage=str(ids["idea"])))
    client.post(f"/proposals/{proposal.id}/submit", data={})
    assert reload(proposal).status is Status.SUBMITTED


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"GIF89a not a pdf at all", "deck.pdf", "Filen er ikke en PDF"),
        (b"%PDF-1.4\n this is broken", "deck.pdf", "PDF-en kunne ikke åpnes"),
        (b"", "deck.pdf", "Filen er tom."),
    ],
)
def test_bad_decks_are_refused_and_the_old_one_kept(
    client: Any, login_as: Any, make_proposal: Any, data: bytes, name: str, message: str
) -> None:
    founder = login_as("entrepreneur")
    proposal = make_proposal(founder, status="draft")
    assert upload(client, proposal.id, tiny_pdf("first")).status_code == 302
    first = reload(proposal).deck_file
    response = upload(client, proposal.id, data, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert reload(proposal).deck_file == first
    response = client.get(f"/proposals/{proposal.id}/deck")
    assert response.status_code == 200
    response.close()


def test_upload_without_a_file(client: Any, login_as: Any, make_proposal: Any) -> None:
    founder = login_as("entrepreneur")
    proposal = make_proposal(founder, status="draft")
    response = client.post(
        f"/proposals/{proposal.id}/deck", data={}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "Velg en PDF-fil å laste opp." in response.get_data(as_text=True)


def test_oversized_deck_is_refused(
    app: Any, client: Any, login_as: Any, make_proposal: Any
) -> None:
    founder = login_as("entrepreneur")
    proposal = make_proposal(founder, status="draft")
    app.config["DECK_MAX_BYTES"] = 1000
    try:
        response = upload(client, proposal.id, tiny_pdf() + b"%" * 2000)
    finally:
        app.config["DECK_MAX_BYTES"] = 20 * 1024 * 1024
    assert response.status_code == 400
    assert "større enn 0 MB" in response.get_data(
        as_text=True
    ) or "større enn" in response.get_data(as_text=True)
    assert reload(proposal).deck_file is None


def test_replacing_a_deck_removes_the_old_file_after_saving(
    app: Any, client: Any, login_as: Any, make_proposal: Any
) -> None:
    from pathlib import Path

    founder = login_as("entrepreneur")
    proposal = make_proposal(founder, status="draft")
    upload(client, proposal.id, tiny_pdf("one"), "Første utkast.pdf")
    first = reload(proposal)
    first_file = first.deck_file
    old_path = Path(app.config["DECK_DIR"]) / first_file
    assert old_path.exists()
    assert first.deck_name == "Forste_utkast.pdf"
    upload(client, proposal.id, tiny_pdf("two"), "../../etc/passwd")
    second = reload(proposal)
    assert second.deck_file != first_file
    assert not old_path.exists()
    assert second.deck_name == "etc_passwd.pdf"
    response = client.get(f"/proposals/{proposal.id}/deck")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment; filename=etc_passwd.pdf" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"%PDF-")
    response.close()


def test_decks_are_stored_outside_static(app: Any) -> None:
    from pathlib import Path

    static = Path(app.static_folder).resolve()
    assert static not in Path(app.config["DECK_DIR"]).resolve().parents


def test_withdraw(client: Any, login_as: Any, make_proposal: Any) -> None:
    founder = login_as("entrepreneur")
    proposal = make_proposal(founder, status="in_screening")
    reason = "Vi fikk finansiering andre steder."
    client.post(f"/proposals/{proposal.id}/withdraw", data={"comment": reason, "confirm": "1"})
    proposal = reload(proposal)
    assert proposal.status is Status.WITHDRAWN
    assert proposal.events[-1].comment == reason
    # Withdrawn is final.
    response = client.post(f"/proposals/{proposal.id}/withdraw", data={}, follow_redirects=True)
    assert "kan ikke bli" in response.get_data(as_text=True)


def test_withdrawing_asks_once_more(client: Any, login_as: Any, make_proposal: Any) -> None:
    founder = login_as("entrepreneur")
    proposal = make_proposal(founder, status="in_screening", title="Nordlys Fisk")
    # The first button only asks; the page names the proposal and says it is final.
    page = client.post(f"/proposals/{proposal.id}/withdraw", data={})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<h1 id="confirm-heading">Trekke forslaget «Nordlys Fisk»?</h1>' in html
    assert "Ja, trekk forslaget «Nordlys Fisk»" in html
    assert f'href="/proposals/{proposal.id}"' in html  # Cancel: back, nothing changed
    assert reload(proposal).status is Status.IN_SCREENING
    # A reason too long: the message beside the field, the text kept, nothing changed.
    long = "x" * 5001
    page = client.post(f"/proposals/{proposal.id}/withdraw", data={"comment": long, "confirm": "1"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert 'id="comment-error"' in html
    assert long in html
    assert reload(proposal).status is Status.IN_SCREENING
    # Cancel is a link back: following it changes nothing.
    assert client.get(f"/proposals/{proposal.id}").status_code == 200
    assert reload(proposal).status is Status.IN_SCREENING


def test_founder_sees_the_decision_reason_and_timeline(
    app: Any,
    client: Any,
    db: Any,
    login_as: Any,
    make_user: Any,
    make_proposal: Any,
    outbox: list[Any],
) -> None:
    from matchmaking.proposals.services import transition

    founder = make_user("entrepreneur", locale="nb")
    organiser = make_user("organiser")
    proposal = make_proposal(founder, status="submitted")
    with app.test_request_context():
        transition(proposal, Status.DECLINED, organiser, "Markedet er for lite i regionen.")
        db.session.commit()
    (message,) = outbox
    assert message.recipients == [founder.email]
    assert "Avslått" in message.body
    assert "Markedet er for lite i regionen." in message.body
    assert message.html

    with client.session_transaction() as session:
        session["_user_id"] = founder.get_id()
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Arrangørenes beslutning: Avslått" in page
    assert "Markedet er for lite i regionen." in page
    assert "Tidslinje" in page


def test_money_is_shown_the_norwegian_way(client: Any, login_as: Any, make_proposal: Any) -> None:
    founder = login_as("entrepreneur")
    proposal = make_proposal(founder, status="draft", ask=1_250_000)
    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert 'value="1\u00a0250\u00a0000"' in page


@pytest.mark.parametrize("status", ["withdrawn", "declined", "closed"])
def test_proposals_taken_out_are_hidden_from_investors(
    app: Any, client: Any, login_as: Any, make_user: Any, make_proposal: Any, status: str
) -> None:
    from matchmaking.extensions import db
    from matchmaking.proposals.storage import save_deck

    founder = make_user("entrepreneur")
    proposal = make_proposal(founder, status=status, title="Tatt ut")
    with app.app_context():
        save_deck(proposal, tiny_pdf(), "deck.pdf")
        db.session.commit()
    login_as("investor")
    assert client.get(f"/proposals/{proposal.id}").status_code == 404
    assert client.get(f"/proposals/{proposal.id}/deck").status_code == 404
    assert "Tatt ut" not in client.get("/proposals/").get_data(as_text=True)
    client.post("/auth/logout")
    login_as("organiser")
    response = client.get(f"/proposals/{proposal.id}")
    assert response.status_code == 200
    assert "Tatt ut" in response.get_data(as_text=True)


def test_deck_over_the_request_cap_gets_a_message_beside_the_field(
    app: Any, client: Any, login_as: Any, make_proposal: Any
) -> None:
    founder = login_as("entrepreneur")
    proposal = make_proposal(founder, status="draft")
    app.config["MAX_CONTENT_LENGTH"] = 5000
    try:
        response = upload(client, proposal.id, tiny_pdf() + b"%" * 10_000)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 25 * 1024 * 1024
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Pitchdecken er større enn 20 MB." in page
    assert 'value="Tareforedling i Efjorden"' in page  # the saved proposal is all there
    assert reload(proposal).deck_file is None


def test_a_founder_with_two_companies(client: Any, db: Any, login_as: Any, reference: None) -> None:
    ids = _ids(db)
    login_as("entrepreneur")
    client.post("/proposals/company", data=company_data(ids))
    response = client.post(
        "/proposals/company?new=1", data=company_data(ids, name="Andre AS", org_number="")
    )
    assert response.status_code == 302
    first, second = db.session.scalars(select(Company).order_by(Company.name)).all()
    assert (first.name, second.name) == ("Andre AS", "Efjord Tare AS")
    # Each is edited on its own; an unknown or someone else's company is a 404.
    page = client.get(f"/proposals/company?company={second.id}").get_data(as_text=True)
    assert 'value="Efjord Tare AS"' in page
    assert client.get("/proposals/company?company=999999").status_code == 404
    # A new proposal goes to the company chosen.
    client.post("/proposals/new", data=proposal_data(ids, company=str(second.id)))
    client.post("/proposals/new", data=proposal_data(ids, company=str(first.id), title="Andre"))
    by_title = {p.title: p.company.name for p in db.session.scalars(select(Proposal))}
    assert by_title == {"Tareforedling i Efjorden": "Efjord Tare AS", "Andre": "Andre AS"}
    page = client.get("/proposals/").get_data(as_text=True)
    assert "Andre AS" in page
    assert "Efjord Tare AS" in page
    response = client.post("/proposals/new", data=proposal_data(ids, company="999999"))
    assert "Ikke et gyldig valg" in response.get_data(as_text=True)
