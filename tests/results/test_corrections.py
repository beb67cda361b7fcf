"""After the user test: the form starts from the latest report, numbers are
read as people here type them, and a report can be corrected (the founder,
organisers) or deleted (organisers, after a confirm step)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from matchmaking.extensions import db
from matchmaking.results.models import ResultReport
from tests.results.factories import funded, report, request_for
from tests.results.test_reports import GOOD, _error_of, _reports, _text, _value_of

TODAY = date.today()
NBSP = "\u00a0"


def _stored(report_id: int) -> ResultReport | None:
    db.session.expire_all()
    return db.session.get(ResultReport, report_id)


# The form starts from the latest report ---------------------------------------------------


@pytest.mark.parametrize(("lang", "employees"), [("nb", "3,5"), ("en", "3.5")])
def test_a_new_report_starts_from_the_latest_reports_figures(
    client: FlaskClient, login_as: Any, make_proposal: Any, lang: str, employees: str
) -> None:
    founder = login_as("entrepreneur")
    proposal = funded(make_proposal, founder, funded_on=TODAY - timedelta(days=400))
    # The latest is the one with the latest date, not the last one entered.
    report(
        proposal,
        founder,
        as_of=TODAY - timedelta(days=20),
        employees=3.5,
        revenue_12m=1_200_000,
        capital_since=300_000,
        words="Forrige gang",
    )
    report(
        proposal,
        founder,
        as_of=TODAY - timedelta(days=200),
        employees=1.0,
        revenue_12m=5,
        capital_since=7,
    )
    client.get(f"/?lang={lang}")
    form = client.get(f"/proposals/{proposal.id}/results/new")
    assert _value_of(form, "as_of") == TODAY.isoformat()
    assert _value_of(form, "employees") == employees
    assert _value_of(form, "revenue_12m") == f"1{NBSP}200{NBSP}000"
    assert _value_of(form, "capital_since") == f"300{NBSP}000"
    assert "Forrige gang" not in form.get_data(as_text=True)  # the words are new each time
    text = _text(form)
    if lang == "nb":
        assert "Tallene er fylt inn fra den siste rapporten" in text
        assert "Kapital hentet siden finansieringen, totalt (kr)" in text
        assert "Ikke bare det som har kommet siden forrige rapport." in text
    else:
        assert "The figures are filled in from the latest report" in text
        assert "Capital raised since the funding, in total (kr)" in text
        assert "Not only what came since the last report." in text


def test_the_first_report_starts_with_no_capital_and_the_other_figures_empty(
    client: FlaskClient, login_as: Any, make_proposal: Any
) -> None:
    founder = login_as("entrepreneur")
    proposal = funded(make_proposal, founder)
    form = client.get(f"/proposals/{proposal.id}/results/new")
    assert _value_of(form, "capital_since") == "0"
    assert _value_of(form, "employees") == ""
    assert _value_of(form, "revenue_12m") == ""
    assert "fylt inn fra den siste rapporten" not in _text(form)


# Numbers as people here type them -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize(
    ("typed", "employees", "revenue"),
    [
        ({"employees": "1 000"}, 1000.0, 1_250_000),
        ({"employees": f"1{NBSP}000,5"}, 1000.5, 1_250_000),
        ({"employees": "2.5", "revenue_12m": f"1{NBSP}250{NBSP}000"}, 2.5, 1_250_000),
        ({"employees": "2,5", "revenue_12m": "1250000"}, 2.5, 1_250_000),
        ({"employees": " 100 000 ", "revenue_12m": "0"}, 100_000.0, 0),
        ({"employees": "7", "revenue_12m": "1 000 kr"}, 7.0, 1000),
    ],
)
def test_numbers_are_taken_as_people_here_type_them(
    client: FlaskClient,
    login_as: Any,
    make_proposal: Any,
    lang: str,
    typed: dict[str, str],
    employees: float,
    revenue: int,
) -> None:
    founder = login_as("entrepreneur")
    proposal = funded(make_proposal, founder)
    client.get(f"/?lang={lang}")
    data = GOOD | {"capital_since": f"2{NBSP}000{NBSP}000"} | typed
    response = client.post(f"/proposals/{proposal.id}/results/new", data=data)
    assert response.status_code == 302
    (saved,) = _reports(proposal)
    assert (saved.employees, saved.revenue_12m, saved.capital_since) == (
        employees,
        revenue,
        2_000_000,
    )


# Correcting a report ------------------------------------------------------------------------


def test_the_founder_corrects_a_report_and_the_history_says_so(
    client: FlaskClient, login_as: Any, make_proposal: Any
) -> None:
    founder = login_as("entrepreneur", name="Kari Gründer")
    proposal = funded(make_proposal, founder, jobs_now=2)
    request = request_for(proposal, 1, TODAY - timedelta(days=10))
    old = report(
        proposal,
        founder,
        as_of=TODAY - timedelta(days=5),
        employees=2.5,
        revenue_12m=1_250_000,
        capital_since=300_000,
        words="Første utkast",
        request_id=request.id,
    )
    history = client.get(f"/proposals/{proposal.id}/results").get_data(as_text=True)
    assert f"/proposals/{proposal.id}/results/{old.id}/edit" in history
    assert f"/results/{old.id}/delete" not in history  # only organisers delete

    form = client.get(f"/proposals/{proposal.id}/results/{old.id}/edit")
    assert form.status_code == 200
    assert "Rett rapporten per" in _text(form)
    assert _value_of(form, "as_of") == (TODAY - timedelta(days=5)).isoformat()
    assert _value_of(form, "employees") == "2,5"
    assert _value_of(form, "revenue_12m") == f"1{NBSP}250{NBSP}000"
    assert _value_of(form, "capital_since") == f"300{NBSP}000"
    assert "Første utkast" in form.get_data(as_text=True)

    changed = {
        "as_of": (TODAY - timedelta(days=4)).isoformat(),
        "employees": "3",
        "revenue_12m": "1 300 000",
        "capital_since": "350 000",
        "words": "Rettet tall",
    }
    response = client.post(f"/proposals/{proposal.id}/results/{old.id}/edit", data=changed)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/proposals/{proposal.id}/results")
    saved = _stored(old.id)
    assert saved is not None
    assert (saved.as_of, saved.employees, saved.revenue_12m, saved.capital_since) == (
        TODAY - timedelta(days=4),
        3.0,
        1_300_000,
        350_000,
    )
    assert saved.words == "Rettet tall"
    # Who entered it and the request it answered stay; who corrected it is recorded.
    assert (saved.entered_by_id, saved.request_id, saved.on_behalf) == (
        founder.id,
        request.id,
        False,
    )
    assert saved.changed_by_id == founder.id
    assert saved.changed_at is not None
    assert len(_reports(proposal)) == 1

    page = _text(client.get(f"/proposals/{proposal.id}/results"))
    assert "er rettet." in page
    assert "Ansatte (årsverk) 3,0 Endring siden innsending +1,0" in page
    assert "Kapital hentet siden finansieringen, totalt 350 000 kr" in page
    assert "Registrert av Kari Gründer" in page
    assert "Rettet av Kari Gründer" in page


@pytest.mark.parametrize(
    ("lang", "typed", "message"),
    [
        ("nb", {"employees": "-1"}, "Må være 0 eller mer."),
        ("en", {"employees": "-1"}, "Must be 0 or more."),
        ("nb", {"capital_since": "-1 000"}, "Må være 0 eller mer."),
        ("en", {"employees": "100 000,5"}, "Must be 100,000 or less."),
        ("nb", {"employees": "100 000,5"}, f"Må være 100{NBSP}000 eller mindre."),
    ],
)
def test_a_correction_follows_the_rules_of_a_new_report_and_keeps_what_was_typed(
    client: FlaskClient,
    login_as: Any,
    make_proposal: Any,
    lang: str,
    typed: dict[str, str],
    message: str,
) -> None:
    founder = login_as("entrepreneur")
    proposal = funded(make_proposal, founder)
    old = report(proposal, founder, as_of=TODAY - timedelta(days=5), employees=2.5)
    client.get(f"/?lang={lang}")
    data = GOOD | typed
    response = client.post(f"/proposals/{proposal.id}/results/{old.id}/edit", data=data)
    assert response.status_code == 200
    (field,) = typed
    assert _error_of(response, field) == message
    for name, value in data.items():
        if name != "words":
            assert _value_of(response, name) == value
    saved = _stored(old.id)
    assert saved is not None
    assert (saved.employees, saved.changed_by_id) == (2.5, None)


def test_an_organiser_corrects_a_founders_report_marked_as_the_organisers(
    client: FlaskClient, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    founder = make_user("entrepreneur", name="Kari Gründer")
    proposal = funded(make_proposal, founder)
    old = report(proposal, founder, as_of=TODAY - timedelta(days=5))
    organiser = login_as("organiser", name="Ola Arrangør", locale="en")
    client.get("/?lang=en")
    response = client.post(
        f"/proposals/{proposal.id}/results/{old.id}/edit", data=GOOD | {"employees": "4.5"}
    )
    assert response.status_code == 302
    saved = _stored(old.id)
    assert saved is not None
    assert (saved.employees, saved.entered_by_id, saved.changed_by_id) == (
        4.5,
        founder.id,
        organiser.id,
    )
    page = _text(client.get(f"/proposals/{proposal.id}/results"))
    assert "Entered by Kari Gründer" in page
    assert "Corrected by the organisers (Ola Arrangør" in page


def test_an_investor_of_the_company_corrects_and_deletes_nothing(
    client: FlaskClient, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    founder = make_user("entrepreneur")
    investor = login_as("investor")
    proposal = funded(make_proposal, founder, investors=(investor,))
    old = report(proposal, founder, as_of=TODAY - timedelta(days=5))
    history = client.get(f"/proposals/{proposal.id}/results").get_data(as_text=True)
    assert f"/results/{old.id}/edit" not in history
    assert f"/results/{old.id}/delete" not in history
    edit = f"/proposals/{proposal.id}/results/{old.id}/edit"
    assert client.post(edit, data=GOOD).status_code == 403
    delete = f"/proposals/{proposal.id}/results/{old.id}/delete"
    assert client.post(delete, data={"confirm": "1"}).status_code == 403
    assert _stored(old.id) is not None


# Deleting a report --------------------------------------------------------------------------


def test_an_organiser_deletes_a_report_after_confirming(
    client: FlaskClient, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    founder = make_user("entrepreneur")
    proposal = funded(make_proposal, founder)
    keep = report(proposal, founder, as_of=TODAY - timedelta(days=60), words="Beholdes")
    old = report(proposal, founder, as_of=TODAY - timedelta(days=5), words="Feilført")
    login_as("organiser")
    history = client.get(f"/proposals/{proposal.id}/results").get_data(as_text=True)
    delete = f"/proposals/{proposal.id}/results/{old.id}/delete"
    assert f'action="{delete}"' in history

    # The first click asks once more and changes nothing.
    asked = client.post(delete)
    assert asked.status_code == 200
    text = _text(asked)
    assert "Slette rapporten per" in text
    assert "Rapporten fjernes for godt" in text
    assert "forespørselen blir åpen igjen" not in text  # it answered no request
    html = asked.get_data(as_text=True)
    assert 'name="confirm" value="1"' in html
    assert f'href="/proposals/{proposal.id}/results"' in html  # Cancel: back to the history
    assert _stored(old.id) is not None

    done = client.post(delete, data={"confirm": "1"})
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/proposals/{proposal.id}/results")
    assert [r.id for r in _reports(proposal)] == [keep.id]
    page = _text(client.get(f"/proposals/{proposal.id}/results"))
    assert "er slettet." in page
    assert "Feilført" not in page
    assert "Beholdes" in page


def test_deleting_the_answer_to_the_latest_request_opens_it_again(
    client: FlaskClient, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    founder = make_user("entrepreneur", locale="en")
    proposal = funded(make_proposal, founder)
    request = request_for(proposal, 1, TODAY - timedelta(days=10))
    old = report(proposal, founder, as_of=TODAY - timedelta(days=5), request_id=request.id)
    login_as("organiser")
    client.get("/?lang=en")
    delete = f"/proposals/{proposal.id}/results/{old.id}/delete"
    asked = _text(client.post(delete))
    assert "Delete the report as of" in asked
    assert "that request is open again, and the founder's home asks for the report again" in asked
    client.post(delete, data={"confirm": "1"})
    assert _reports(proposal) == []
    # The founder's home asks for the report again.
    with client.session_transaction() as session:
        session["_user_id"] = founder.get_id()
    home = client.get("/").get_data(as_text=True)
    assert f"/proposals/{proposal.id}/results/new" in home
    assert "Report how the company is doing" in home
