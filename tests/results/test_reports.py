"""The follow-up report form, the history and who sees it (docs/features/results.md)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from flask.testing import FlaskClient

from matchmaking.results.models import ResultReport
from tests.results.factories import funded, report, request_for

TODAY = date.today()


def _text(response: Any) -> str:
    """The page's text, tags and spaces squeezed (no-break spaces as spaces)."""
    html = response.get_data(as_text=True)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", unescape(text).replace("\u00a0", " "))


def _error_of(response: Any, field: str) -> str:
    html = response.get_data(as_text=True)
    found = re.search(rf'id="{field}-error"[^>]*>([^<]*)<', html)
    assert found, f"no message beside {field}"
    return unescape(found.group(1)).strip()


def _value_of(response: Any, field: str) -> str:
    html = response.get_data(as_text=True)
    found = re.search(rf'<input[^>]*id="{field}"[^>]*>', html)
    assert found, field
    value = re.search(r'value="([^"]*)"', found.group(0))
    return unescape(value.group(1)) if value else ""


GOOD = {
    "as_of": (TODAY - timedelta(days=3)).isoformat(),
    "employees": "2,5",
    "revenue_12m": "1 250 000",
    "capital_since": "300000",
    "words": "Ny produksjonslinje i Efjorden.",
}


def _reports(proposal: Any) -> list[ResultReport]:
    from sqlalchemy import select

    from matchmaking.extensions import db

    db.session.expire_all()
    return list(
        db.session.scalars(select(ResultReport).where(ResultReport.proposal_id == proposal.id))
    )


def test_the_founder_files_a_report_and_sees_it_with_the_baseline(
    client: FlaskClient, login_as: Any, make_user: Any, make_proposal: Any, outbox: list[Any]
) -> None:
    organiser = make_user("organiser", locale="en")
    founder = login_as("entrepreneur", name="Kari Gründer")
    proposal = funded(make_proposal, founder, raised=1_750_000, jobs_now=2, jobs_in_3_years=12)
    form = client.get(f"/proposals/{proposal.id}/results/new")
    assert form.status_code == 200
    assert _value_of(form, "as_of") == TODAY.isoformat()  # today by default
    assert _value_of(form, "capital_since") == "0"
    assert "Du registrerer denne rapporten for gründeren" not in _text(form)

    response = client.post(f"/proposals/{proposal.id}/results/new", data=GOOD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/proposals/{proposal.id}/results")
    (saved,) = _reports(proposal)
    assert (saved.employees, saved.revenue_12m, saved.capital_since) == (2.5, 1_250_000, 300_000)
    assert saved.on_behalf is False
    assert saved.entered_by_id == founder.id

    page = _text(client.get(response.headers["Location"]))
    assert "Takk: rapporten din er lagret." in page
    assert "Arbeidsplasser ved innsending 2" in page
    assert "Planlagte arbeidsplasser om tre år 12" in page
    assert "1 750 000 kr hentet" in page
    assert "Ansatte (årsverk) 2,5" in page
    assert "Endring siden innsending +0,5" in page
    assert "Omsetning de siste 12 månedene 1 250 000 kr" in page
    assert "Kapital hentet siden finansieringen, totalt 300 000 kr" in page
    assert "Ny produksjonslinje i Efjorden." in page
    assert "Registrert av Kari Gründer" in page
    assert "arrangørene for gründeren" not in page

    # The organisers are told, once each, in their language.
    (notice,) = outbox
    assert notice.recipients == [organiser.email]
    assert notice.subject == "New follow-up report from “Tareforedling”"
    assert "Kari Gründer filed a follow-up report" in notice.body
    assert "2.5" in notice.body
    assert f"/proposals/{proposal.id}/results" in notice.body


def test_english_takes_a_decimal_point_and_shows_it_so(
    client: FlaskClient, login_as: Any, make_proposal: Any
) -> None:
    founder = login_as("entrepreneur", locale="en")
    proposal = funded(make_proposal, founder, jobs_now=4)
    client.get("/?lang=en")
    response = client.post(
        f"/proposals/{proposal.id}/results/new", data=GOOD | {"employees": "3.5"}
    )
    assert response.status_code == 302
    page = _text(client.get(f"/proposals/{proposal.id}/results"))
    assert "Employees (full-time equivalents) 3.5" in page
    assert "Change since submission -0.5" in page
    assert "Thank you: your report is saved." in page


def test_an_organiser_enters_a_report_for_the_founder_marked_as_such(
    client: FlaskClient, login_as: Any, make_user: Any, make_proposal: Any, outbox: list[Any]
) -> None:
    other_organiser = make_user("organiser")
    founder = make_user("entrepreneur")
    proposal = funded(make_proposal, founder)
    organiser = login_as("organiser", name="Ola Arrangør")
    form = client.get(f"/proposals/{proposal.id}/results/new")
    assert "Du registrerer denne rapporten for gründeren." in _text(form)
    response = client.post(f"/proposals/{proposal.id}/results/new", data=GOOD)
    assert response.status_code == 302
    (saved,) = _reports(proposal)
    assert saved.on_behalf is True
    assert saved.entered_by_id == organiser.id
    page = _text(client.get(f"/proposals/{proposal.id}/results"))
    assert "Rapporten er lagret, merket som registrert for gründeren." in page
    assert "Registrert av arrangørene for gründeren (Ola Arrangør" in page
    # The other organisers are told; not the one who entered it.
    assert [m.recipients for m in outbox] == [[other_organiser.email]]
    assert "on the founder's behalf" in outbox[0].body or "på vegne av gründeren" in outbox[0].body


RULES = [
    # field, typed, Norwegian message, English message (numbers as each language writes them)
    (
        "employees",
        "2,55",
        "Høyst én desimal, for eksempel 2,5.",
        "At most one decimal, for example 2.5.",
    ),
    (
        "employees",
        "to",
        "Skriv et tall, for eksempel 2,5 eller 3.",
        "Write a number, for example 2.5 or 3.",
    ),
    ("employees", "-1", "Må være 0 eller mer.", "Must be 0 or more."),
    ("employees", "-0,5", "Må være 0 eller mer.", "Must be 0 or more."),
    (
        "employees",
        "100000,1",
        "Må være 100\u00a0000 eller mindre.",
        "Must be 100,000 or less.",
    ),
    (
        "employees",
        "100 001",
        "Må være 100\u00a0000 eller mindre.",
        "Must be 100,000 or less.",
    ),
    ("employees", "", "Skriv antall årsverk.", "Enter the number of full-time equivalents."),
    ("revenue_12m", "12,5", "Bare hele kroner, uten øre.", "Whole kroner only, without øre."),
    (
        "revenue_12m",
        "1 250 000,50",
        "Bare hele kroner, uten øre.",
        "Whole kroner only, without øre.",
    ),
    ("revenue_12m", "-1", "Må være 0 eller mer.", "Must be 0 or more."),
    ("revenue_12m", "-1 000", "Må være 0 eller mer.", "Must be 0 or more."),
    (
        "revenue_12m",
        "",
        "Skriv omsetningen i hele kroner (0 hvis ingen).",
        "Enter the revenue in whole kroner (0 if none).",
    ),
    ("capital_since", "-5", "Må være 0 eller mer.", "Must be 0 or more."),
    (
        "capital_since",
        "mye",
        "Skriv hele kroner, som 1250000, 1 250 000 eller 1.250.000.",
        "Write whole kroner, like 1250000, 1 250 000 or 1.250.000.",
    ),
    (
        "as_of",
        (TODAY + timedelta(days=1)).isoformat(),
        "Datoen kan ikke være fram i tid: velg i dag eller tidligere.",
        "The date cannot be in the future: choose today or earlier.",
    ),
    (
        "as_of",
        (TODAY - timedelta(days=400)).isoformat(),
        "Rapportene begynner ved finansieringen",
        "Reports start at the funding",
    ),
    ("as_of", "i går", "Skriv en dato, f.eks. 2027-02-18.", "Enter a date, e.g. 2027-02-18."),
]


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize(("field", "typed", "nb", "en"), RULES)
def test_a_bad_value_gets_a_message_beside_its_field_and_nothing_is_lost(
    client: FlaskClient,
    login_as: Any,
    make_proposal: Any,
    lang: str,
    field: str,
    typed: str,
    nb: str,
    en: str,
) -> None:
    founder = login_as("entrepreneur")
    proposal = funded(make_proposal, founder)
    client.get(f"/?lang={lang}")
    response = client.post(f"/proposals/{proposal.id}/results/new", data=GOOD | {field: typed})
    assert response.status_code == 200
    message = nb if lang == "nb" else en
    if field == "as_of" and "begynner" in nb:
        assert message in _error_of(response, field)  # ends with the funding day
    else:
        assert _error_of(response, field) == message
    assert _reports(proposal) == []
    for name, value in (GOOD | {field: typed}).items():
        if name == "words":
            assert value in response.get_data(as_text=True)
        else:
            assert _value_of(response, name) == value


def test_the_report_answers_the_latest_request_not_yet_answered(
    client: FlaskClient, login_as: Any, make_proposal: Any
) -> None:
    founder = login_as("entrepreneur")
    proposal = funded(make_proposal, founder, funded_on=TODAY - timedelta(days=400))
    request_for(proposal, 1, TODAY - timedelta(days=220))
    second = request_for(proposal, 2, TODAY - timedelta(days=35))
    page = _text(client.get(f"/proposals/{proposal.id}/results/new"))
    assert "svarer på BAN Ofotens forespørsel om rapporten med frist" in page
    client.post(f"/proposals/{proposal.id}/results/new", data=GOOD)
    client.post(f"/proposals/{proposal.id}/results/new", data=GOOD | {"as_of": TODAY.isoformat()})
    reports = sorted(_reports(proposal), key=lambda r: r.id)
    # The first answers period 2; the second is a report of the founder's own
    # accord (period 1, skipped, stays unanswered).
    assert [r.request_id for r in reports] == [second.id, None]


def test_the_history_is_newest_first_with_the_change_since_submission(
    client: FlaskClient, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    founder = make_user("entrepreneur")
    proposal = funded(make_proposal, founder, funded_on=TODAY - timedelta(days=800), jobs_now=3)
    report(proposal, founder, as_of=TODAY - timedelta(days=600), employees=3.5, words="Første")
    report(proposal, founder, as_of=TODAY - timedelta(days=10), employees=1.0, words="Siste")
    report(proposal, founder, as_of=TODAY - timedelta(days=400), employees=3.0, words="Midt")
    login_as("organiser")
    page = _text(client.get(f"/proposals/{proposal.id}/results"))
    assert page.index("Siste") < page.index("Midt") < page.index("Første")
    assert "Ansatte (årsverk) 1,0 Endring siden innsending -2,0" in page
    assert "Ansatte (årsverk) 3,0 Endring siden innsending 0,0" in page
    assert "Ansatte (årsverk) 3,5 Endring siden innsending +0,5" in page


def test_a_proposal_never_funded_explains_and_has_no_form(
    client: FlaskClient, login_as: Any, make_proposal: Any
) -> None:
    founder = login_as("entrepreneur")
    proposal = make_proposal(founder, status="in_dialogue")
    page = client.get(f"/proposals/{proposal.id}/results")
    assert page.status_code == 200
    assert "Resultatrapportene begynner etter en finansiert kapitalrunde" in _text(page)
    assert "/results/new" not in page.get_data(as_text=True)
    assert client.get(f"/proposals/{proposal.id}/results/new").status_code == 404
    # The proposal page has no link to them either.
    assert "/results" not in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)


def test_an_investor_of_the_company_reads_the_reports_but_files_none(
    client: FlaskClient, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    founder = make_user("entrepreneur")
    investor = login_as("investor")
    proposal = funded(make_proposal, founder, investors=(investor,))
    report(proposal, founder, as_of=TODAY - timedelta(days=5), words="Godt år")
    page = client.get(f"/proposals/{proposal.id}/results")
    assert page.status_code == 200
    assert "Godt år" in _text(page)
    assert "/results/new" not in page.get_data(as_text=True)
    assert client.get(f"/proposals/{proposal.id}/results/new").status_code == 403
    assert client.post(f"/proposals/{proposal.id}/results/new", data=GOOD).status_code == 403
    detail = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f"/proposals/{proposal.id}/results" in detail


def test_other_investors_and_founders_do_not_see_the_reports(
    client: FlaskClient, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    founder = make_user("entrepreneur")
    investor = make_user("investor", approved=True)
    proposal = funded(make_proposal, founder, investors=(investor,))
    login_as("investor")  # approved, but put nothing in
    assert client.get(f"/proposals/{proposal.id}/results").status_code == 404
    detail = client.get(f"/proposals/{proposal.id}")
    assert detail.status_code == 200
    assert f"/proposals/{proposal.id}/results" not in detail.get_data(as_text=True)


def test_the_founders_home_asks_for_the_report_while_a_request_is_open(
    client: FlaskClient, login_as: Any, make_proposal: Any
) -> None:
    founder = login_as("entrepreneur")
    proposal = funded(make_proposal, founder, title="Tareforedling")
    home = _text(client.get("/"))
    assert "Se resultatrapportene" in home
    assert "Rapporter hvordan det går med selskapet" not in home
    request_for(proposal, 1, TODAY - timedelta(days=17))
    home = client.get("/").get_data(as_text=True)
    assert "BAN Ofoten ber om resultatrapporten med frist" in home
    assert "Rapporter hvordan det går med selskapet" in home
    assert f"/proposals/{proposal.id}/results/new" in home
    client.post(f"/proposals/{proposal.id}/results/new", data=GOOD)
    home = _text(client.get("/"))
    assert "Rapporter hvordan det går med selskapet" not in home
