"""Issue 12, words and forms: empty required choices, a website without
https://, organisation numbers in plain words, the teaser's limit, and a deck
saved together with the proposal's fields (nothing typed is ever lost)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.proposals.models import Company, Proposal
from matchmaking.proposals.orgnr import orgnr_problem
from tests.conftest import reload, tiny_pdf
from tests.proposals.test_founder import _ids, company_data, proposal_data


def _select(page: str, name: str) -> str:
    match = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert match, name
    return match.group(1)


def _error(page: str, field: str) -> str:
    match = re.search(rf'<div id="{field}-error" class="invalid-feedback[^"]*">([^<]*)</div>', page)
    assert match, f"no message beside {field}"
    return match.group(1)


def test_required_choices_start_empty(client: Any, db: Any, login_as: Any, reference: None) -> None:
    login_as("entrepreneur")
    page = client.get("/proposals/company").text
    municipality = _select(page, "municipality")
    assert municipality.lstrip().startswith('<option selected value="">Velg …</option>')
    client.post("/proposals/company", data=company_data(_ids(db)))
    page = client.get("/proposals/new").text
    for name in ("sector", "stage", "instrument"):
        options = _select(page, name)
        assert re.match(r'\s*<option selected value="">Velg …</option>', options), name
        assert options.count("selected") == 1, name


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("sector", "Velg en bransje."),
        ("stage", "Velg en fase."),
        ("instrument", "Velg et instrument."),
    ],
)
def test_an_empty_choice_is_refused_beside_the_field_and_nothing_is_lost(
    client: Any, db: Any, login_as: Any, reference: None, field: str, message: str
) -> None:
    login_as("entrepreneur")
    ids = _ids(db)
    client.post("/proposals/company", data=company_data(ids))
    response = client.post("/proposals/new", data=proposal_data(ids, **{field: ""}))
    assert response.status_code == 200
    page = response.text
    assert _error(page, field) == message
    assert 'value="Tareforedling i Efjorden"' in page
    assert "Vi foredler tare fra Efjorden til fôr og mat." in page
    assert db.session.scalar(select(Proposal)) is None


def test_english_choices_say_choose(client: Any, db: Any, login_as: Any, reference: None) -> None:
    login_as("entrepreneur", locale="en")
    ids = _ids(db)
    page = client.post("/proposals/company", data=company_data(ids, municipality="")).text
    assert _error(page, "municipality") == "Choose the municipality."
    assert '<option selected value="">Choose…</option>' in page
    assert 'value="Efjord Tare AS"' in page
    assert db.session.scalar(select(Company)) is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("nordlysfisk.no", "https://nordlysfisk.no"),
        ("www.nordlysfisk.no/om-oss", "https://www.nordlysfisk.no/om-oss"),
        ("http://nordlysfisk.no", "http://nordlysfisk.no"),
    ],
)
def test_a_website_without_scheme_is_accepted(
    client: Any, db: Any, login_as: Any, reference: None, typed: str, stored: str
) -> None:
    login_as("entrepreneur")
    response = client.post("/proposals/company", data=company_data(_ids(db), website=typed))
    assert response.status_code == 302
    assert db.session.scalar(select(Company.website)) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("92360901", "Et organisasjonsnummer har 9 sifre; du skrev 8."),
        ("923 609 0166", "Et organisasjonsnummer har 9 sifre; du skrev 10."),
        ("923-609-016", "Et organisasjonsnummer består bare av sifre; du skrev «923-609-016»."),
        (
            "923609017",
            "Dette er ikke et gyldig organisasjonsnummer: det siste sifferet stemmer ikke."
            " Sjekk nummeret i Brønnøysundregistrene.",
        ),
    ],
)
def test_the_organisation_number_says_what_is_wrong(
    client: Any, db: Any, login_as: Any, reference: None, typed: str, message: str
) -> None:
    login_as("entrepreneur")
    response = client.post("/proposals/company", data=company_data(_ids(db), org_number=typed))
    assert response.status_code == 200
    assert _error(response.text, "org_number") == message
    assert f'value="{typed}"' in response.text  # as typed, not "normalised"
    assert db.session.scalar(select(Company)) is None


def test_the_organisation_number_in_english(
    client: Any, db: Any, login_as: Any, reference: None
) -> None:
    login_as("entrepreneur", locale="en")
    page = client.post(
        "/proposals/company", data=company_data(_ids(db), org_number="12345678")
    ).text
    assert _error(page, "org_number") == "An organisation number has 9 digits; you typed 8."


def test_orgnr_problem() -> None:
    assert orgnr_problem("923609016") is None
    assert orgnr_problem("92360901") == "length"
    assert orgnr_problem("9236O9016") == "characters"
    assert orgnr_problem("923609017") == "check"
    assert orgnr_problem("٩٢٣٦٠٩٠١٦") == "characters"


def test_the_teaser_names_its_limit_and_carries_a_counter(
    client: Any, db: Any, login_as: Any, reference: None
) -> None:
    login_as("entrepreneur")
    client.post("/proposals/company", data=company_data(_ids(db)))
    page = client.get("/proposals/new").text
    # Without JavaScript: the limit in the help text, and the box stops at it.
    assert "Høyst 300 tegn." in page
    assert re.search(r'<textarea[^>]*data-counter="teaser-count"[^>]*maxlength="300"', page) or (
        re.search(r'<textarea[^>]*maxlength="300"[^>]*data-counter="teaser-count"', page)
    )
    # With it: a polite live region that forms.js fills (a file, not inline: the CSP).
    assert re.search(r'<p id="teaser-count"[^>]*aria-live="polite"[^>]*hidden>', page)
    assert 'data-left="Tegn igjen: {n}"' in page
    assert '<script src="/static/js/forms.js" defer></script>' in page


def _edit(client: Any, proposal: Any, data: dict[str, Any]) -> Any:
    return client.post(
        f"/proposals/{proposal.id}/edit", data=data, content_type="multipart/form-data"
    )


@pytest.fixture
def draft(client: Any, db: Any, login_as: Any, make_proposal: Any) -> Any:
    founder = login_as("entrepreneur")
    return make_proposal(founder, status="draft")


def test_a_deck_is_saved_with_the_edits(client: Any, db: Any, draft: Any) -> None:
    data = proposal_data(_ids(db), title="Tare til fôr")
    data["deck"] = (io.BytesIO(tiny_pdf("one form")), "tare.pdf")
    response = _edit(client, draft, data)
    assert response.status_code == 302
    proposal = reload(draft)
    assert proposal.title == "Tare til fôr"
    assert proposal.deck_name == "tare.pdf"
    assert proposal.deck_size == len(tiny_pdf("one form"))


def test_a_bad_field_keeps_what_was_typed_and_still_stores_the_deck(
    client: Any, db: Any, draft: Any
) -> None:
    data = proposal_data(_ids(db), title="Tare til fôr", ask="mange penger")
    data["deck"] = (io.BytesIO(tiny_pdf("kept")), "tare.pdf")
    response = _edit(client, draft, data)
    assert response.status_code == 200
    page = response.text
    assert "Skriv hele kroner" in _error(page, "ask")
    assert 'value="Tare til fôr"' in page
    assert 'value="mange penger"' in page
    assert "Pitchdecken er lagret." in page
    proposal = reload(draft)
    assert proposal.title == "Tareforedling i Efjorden"  # the bad form is not saved
    assert proposal.deck_name == "tare.pdf"


def test_a_bad_deck_does_not_lose_the_edits(client: Any, db: Any, draft: Any) -> None:
    data = proposal_data(_ids(db), title="Tare til fôr")
    data["deck"] = (io.BytesIO(b"GIF89a not a pdf"), "tare.pdf")
    response = _edit(client, draft, data)
    assert response.status_code == 400
    page = response.text
    assert "Filen er ikke en PDF" in _error(page, "deck")
    assert "Endringene er lagret." in page
    assert 'value="Tare til fôr"' in page
    proposal = reload(draft)
    assert proposal.title == "Tare til fôr"
    assert proposal.deck_file is None


def test_the_edit_page_has_one_form_with_the_deck(client: Any, draft: Any) -> None:
    page = client.get(f"/proposals/{draft.id}/edit").text
    main = page.split("<main", 1)[1]
    assert main.count("<form ") == 1
    assert 'enctype="multipart/form-data"' in page
    assert 'data-max-bytes="20971520"' in page
    assert "Velg en PDF og lagre: pitchdecken lagres sammen med endringene over." in page
