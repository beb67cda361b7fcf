"""Issue 4's whole path in a browser: a new entrepreneur signs up and submits a
proposal with a deck; two organisers score it; one declines with a reason and
shares the comments; the founder sees the decision, the reason, the comments
and the timeline, and got the e-mails. axe-core checks every page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from matchmaking.demo.data import DEMO_PASSWORD
from matchmaking.screening.services import DEFAULT_CRITERIA
from tests.browser.fixtures import LiveServer, check_accessibility
from tests.conftest import tiny_pdf
from tests.smtp import text_and_html

pytestmark = pytest.mark.browser

FOUNDER = "solveig@example.no"
FOUNDER_PASSWORD = "nordlys-over-ofotfjorden"


def _login(page: Any, email: str, password: str) -> None:
    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("button", name="Logg ut").wait_for()


def _score_all(page: Any, value: str) -> None:
    for _slug, name_nb, _en, _w in DEFAULT_CRITERIA:
        page.get_by_role("group", name=name_nb, exact=True).get_by_label(value).check()


def test_sign_up_submit_score_decide_and_see_the_answer(
    page: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    # Sign up and confirm with the e-mailed link.
    page.visit("/auth/register")
    page.get_by_label("Fullt navn").fill("Solveig Sjøberg")
    page.get_by_label("E-postadresse").fill(FOUNDER)
    page.get_by_label("Passord", exact=True).fill(FOUNDER_PASSWORD)
    page.get_by_label("Gjenta passordet").fill(FOUNDER_PASSWORD)
    page.get_by_label("gründer med en forretningsidé").check()
    page.get_by_role("button", name="Opprett konto").click()
    page.get_by_role("heading", name="Sjekk e-posten din").wait_for()
    text, _html = text_and_html(live_server.mail[-1])
    page.goto(re.search(r"https?://\S+/auth/confirm/\S+", text).group(0))
    _login(page, FOUNDER, FOUNDER_PASSWORD)

    # The company profile, with a wrong organisation number first.
    page.get_by_role("link", name="Mine forslag").click()
    page.get_by_role("link", name="Registrer selskapet ditt").click()
    check_accessibility(page)
    page.get_by_label("Selskapets navn").fill("Sjøberg Havbruk AS")
    page.get_by_label("Organisasjonsnummer").fill("923 609 017")
    page.get_by_label("Kommune").select_option(label="Evenes (Ofoten)")
    page.get_by_label("Kontaktperson", exact=True).fill("Solveig Sjøberg")
    page.get_by_label("Navn", exact=True).first.fill("Solveig Sjøberg")
    page.get_by_label("Rolle").first.fill("Daglig leder")
    page.get_by_role("button", name="Lagre selskapsprofilen").click()
    assert page.get_by_text("Ikke et gyldig organisasjonsnummer").is_visible()
    assert page.get_by_label("Selskapets navn").input_value() == "Sjøberg Havbruk AS"
    check_accessibility(page)
    page.get_by_label("Organisasjonsnummer").fill("923 609 016")
    page.get_by_role("button", name="Lagre selskapsprofilen").click()

    # The proposal: bad money first, then right.
    page.get_by_role("heading", name="Nytt forslag").wait_for()
    check_accessibility(page)
    page.get_by_label("Tittel").fill("Rensefisk fra Evenes")
    page.get_by_label("Offentlig sammendrag").fill(
        "Oppdrett av rognkjeks som rensefisk for lakseoppdrett i Ofoten."
    )
    page.get_by_label("Konfidensiell beskrivelse").fill(
        "Vi har konsesjon og et pilotanlegg i drift."
    )
    page.get_by_label("Bransje").select_option(label="Havbruk og marin næring")
    page.get_by_label("Fase").select_option(label="Såkorn")
    page.get_by_label("Delprosjekt i programmet").select_option(
        label="Marin kartlegging Ofoten, Efjord og Tysfjord"
    )
    page.get_by_label("Kapitalbehov (kr)").fill("3,5 millioner")
    page.get_by_label("Minste investering du tar imot (kr)").fill("250 000")
    page.get_by_label("Bruk av kapitalen").fill("Utvidelse av klekkeriet.")
    page.get_by_label("Arbeidsplasser i dag").fill("4")
    page.get_by_label("Arbeidsplasser om tre år").fill("15")
    page.get_by_role("button", name="Lagre utkastet").click()
    assert page.get_by_text("Skriv hele kroner").is_visible()
    assert page.get_by_label("Tittel").input_value() == "Rensefisk fra Evenes"
    check_accessibility(page)
    page.get_by_label("Kapitalbehov (kr)").fill("3.500.000")
    page.get_by_role("button", name="Lagre utkastet").click()
    page.get_by_text("Utkastet er lagret.").wait_for()
    check_accessibility(page)

    # A renamed non-PDF is refused; then the real deck.
    fake = tmp_path / "deck.pdf"
    fake.write_bytes(b"PK\x03\x04 this is a zip file")
    page.get_by_label("Pitch deck (PDF, høyst 20 MB)").set_input_files(str(fake))
    page.get_by_role("button", name="Last opp decken").click()
    assert page.get_by_text("Filen er ikke en PDF.").is_visible()
    check_accessibility(page)
    deck = tmp_path / "Rensefisk.pdf"
    deck.write_bytes(tiny_pdf("Rensefisk fra Evenes"))
    page.get_by_label("Pitch deck (PDF, høyst 20 MB)").set_input_files(str(deck))
    page.get_by_role("button", name="Last opp decken").click()
    page.get_by_text("Pitch decken er lagret.").wait_for()

    page.get_by_role("link", name="Se forslaget og send det inn").click()
    check_accessibility(page)
    page.get_by_role("button", name="Send inn til BAN Ofoten").click()
    page.get_by_text("Forslaget er sendt inn.").wait_for()
    assert page.get_by_text("Sendt inn").first.is_visible()
    proposal_url = page.url
    proposal_id = proposal_url.rstrip("/").rsplit("/", 1)[-1]
    page.get_by_role("button", name="Logg ut").click()

    # Two organisers score it; the second declines, sharing the comments.
    for email, value, comment in (
        ("arrangor@demo.banofoten.no", "4", "Godt team og tydelig plan."),
        ("arrangor2@demo.banofoten.no", "2", "Markedet for rensefisk er presset."),
    ):
        _login(page, email, DEMO_PASSWORD)
        page.visit(f"/screening/{proposal_id}")
        _score_all(page, value)
        page.get_by_label("Samlet kommentar").fill(comment)
        page.get_by_role("button", name="Lagre poengene mine").click()
        page.get_by_text("Poengene dine er lagret.").wait_for()
        check_accessibility(page)
        if email.startswith("arrangor2"):
            page.get_by_label("Avslå").check()
            page.get_by_label("Begrunnelse til gründeren").fill(
                "Vi trenger mer om markedet før Springbrett."
            )
            page.get_by_label("Del vurderernes kommentarer").check()
            page.get_by_role("button", name="Lagre beslutningen").click()
            page.get_by_text("Beslutningen er lagret").wait_for()
            check_accessibility(page)
        page.get_by_role("button", name="Logg ut").click()

    # The founder sees the decision, the reason, the comments and the timeline.
    _login(page, FOUNDER, FOUNDER_PASSWORD)
    page.visit(proposal_url.replace(live_server.url, ""))
    assert page.get_by_text("Arrangørenes beslutning: Avslått").is_visible()
    assert page.get_by_text("Vi trenger mer om markedet før Springbrett.").first.is_visible()
    assert page.get_by_text("Markedet for rensefisk er presset.").is_visible()
    timeline = page.get_by_role("region", name="Tidslinje")
    timeline.get_by_text("Vis hvert steg, med datoer og kommentarer").click()  # collapsed
    for label in ("Utkast", "Sendt inn", "Til vurdering", "Avslått"):
        assert timeline.get_by_text(label, exact=True).first.is_visible()
    assert "Per Arrangør" not in page.content()  # reviewers stay anonymous to the founder

    to_founder = [m for m in live_server.mail if m["To"] == FOUNDER]
    bodies = [text_and_html(m)[0] for m in to_founder]
    assert any("Avslått" in b and "Vi trenger mer om markedet" in b for b in bodies)
    assert page.console_errors == []
