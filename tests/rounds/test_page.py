"""The round page as each person reads it, opening a round, its terms under the
version lock, and the lead with its e-mails."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any

import pytest

from matchmaking.dates import oslo_today
from matchmaking.extensions import db as _db
from matchmaking.rounds import services
from tests.conftest import reload


def text(response: Any) -> str:
    """The page's words, as a reader sees them (tags dropped, spaces folded)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    words = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", words)


def login(client: Any, user: Any) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.fixture
def founder(make_user: Any) -> Any:
    return make_user("entrepreneur", name="Kari Gründer")


@pytest.fixture
def proposal(make_proposal: Any, founder: Any) -> Any:
    return make_proposal(founder, status="accepted", title="Tare", ask=1_000_000, min_ticket=50_000)


@pytest.fixture
def gathered(db: Any, proposal: Any, make_user: Any) -> dict[str, Any]:
    """An open round with 450 000 kr from two investors (one named to the
    founder, one offering to lead) and a withdrawn commitment."""
    named = make_user("investor", approved=True, name="Nora Navngitt")
    hidden = make_user("investor", approved=True, name="Skjult Investor")
    gone = make_user("investor", approved=True, name="Trukket Tilbake")
    services.commit(proposal, named, amount=200_000, named_to_founder=True)
    services.commit(proposal, hidden, amount=250_000, would_lead=True, conditions="Styreplass")
    services.withdraw(services.commit(proposal, gone, amount=100_000))
    db.session.commit()
    return {"named": named, "hidden": hidden, "gone": gone}


def round_page(client: Any, proposal: Any, lang: str = "nb") -> str:
    response = client.get(f"/proposals/{proposal.id}/round?lang={lang}")
    assert response.status_code == 200
    return text(response)


def test_organisers_see_every_commitment_with_names_and_the_withdrawn_marked(
    client: Any, make_user: Any, proposal: Any, gathered: dict[str, Any]
) -> None:
    login(client, make_user("organiser"))
    nb = round_page(client, proposal)
    for name in ("Nora Navngitt", "Skjult Investor", "Trukket Tilbake"):
        assert name in nb
    assert "Styreplass" in nb
    assert "450 000 kr av 1 000 000 kr (45 %)" in nb
    assert "Investorer med tilsagn: 2" in nb
    assert "Trukket " in nb
    en = round_page(client, proposal, "en")
    assert "450 000 kr of 1 000 000 kr (45 %)" in en
    assert "Withdrawn on" in en
    assert "Skjult Investor" in en


def test_the_founder_sees_the_total_the_bar_and_only_the_named_investors(
    client: Any, founder: Any, proposal: Any, gathered: dict[str, Any]
) -> None:
    login(client, founder)
    nb = round_page(client, proposal)
    assert "450 000 kr av 1 000 000 kr (45 %)" in nb
    assert "Investorer med tilsagn: 2" in nb
    assert "Nora Navngitt: 200 000 kr" in nb
    assert "Skjult Investor" not in nb
    assert "250 000" not in nb
    assert "Trukket Tilbake" not in nb
    assert "Styreplass" not in nb
    html = client.get(f"/proposals/{proposal.id}/round").get_data(as_text=True)
    assert re.search(r'<progress[^>]*max="1000000"[^>]*value="450000"', html)
    en = round_page(client, proposal, "en")
    assert "450 000 kr of 1 000 000 kr (45 %)" in en
    assert "Investors with a commitment: 2" in en
    assert "Nora Navngitt: 200 000 kr" in en
    assert "Skjult Investor" not in en


def test_other_investors_see_the_total_only_when_organisers_show_it(
    client: Any, make_user: Any, proposal: Any, gathered: dict[str, Any]
) -> None:
    login(client, make_user("investor", approved=True))
    nb = round_page(client, proposal)
    assert "450 000" not in nb
    assert "Investorer med tilsagn" not in nb
    assert "Nora Navngitt" not in nb
    round_ = services.open_round(proposal)
    round_.totals_visible = True
    _db.session.commit()
    nb = round_page(client, proposal)
    assert "450 000 kr av 1 000 000 kr (45 %)" in nb
    assert "Investorer med tilsagn: 2" in nb
    for name in ("Nora Navngitt", "Skjult Investor", "Trukket Tilbake"):
        assert name not in nb
    en = round_page(client, proposal, "en")
    assert "Investors with a commitment: 2" in en


def test_the_founder_opens_a_round_from_the_proposal_s_terms(
    client: Any, founder: Any, proposal: Any
) -> None:
    login(client, founder)
    detail = text(client.get(f"/proposals/{proposal.id}?lang=nb"))
    assert "Kapitalrunde" in detail
    assert "Åpne en runde" in detail
    form = client.get(f"/proposals/{proposal.id}/round/new?lang=en")
    html = form.get_data(as_text=True)
    assert re.search(r'id="target"[^>]*value="1 000 000"', html.replace("\u00a0", " "))
    assert "totals_visible" not in html  # organisers only
    later = (oslo_today() + timedelta(days=30)).isoformat()
    response = client.post(
        f"/proposals/{proposal.id}/round/new",
        data={
            "target": "800 000",
            "min_ticket": "50000",
            "instrument": "equity",
            "closes_on": later,
        },
    )
    assert response.status_code == 302
    opened = services.open_round(proposal)
    assert (opened.target, opened.min_ticket, opened.closes_on.isoformat()) == (
        800_000,
        50_000,
        later,
    )
    assert "0 kr av 800 000 kr (0 %)" in round_page(client, proposal)
    # The founder's home shows it too, with a link to the round.
    home = client.get("/?lang=en")
    assert "0 kr of 800 000 kr (0 %)" in text(home)
    assert f"/proposals/{proposal.id}/round" in home.get_data(as_text=True)


def test_a_closing_date_in_the_past_is_refused_beside_the_field_and_nothing_lost(
    client: Any, founder: Any, proposal: Any
) -> None:
    login(client, founder)
    yesterday = (oslo_today() - timedelta(days=1)).isoformat()
    response = client.post(
        f"/proposals/{proposal.id}/round/new?lang=en",
        data={
            "target": "900 000",
            "min_ticket": "60 000",
            "instrument": "loan",
            "closes_on": yesterday,
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'id="closes_on-error"[^>]*>The closing date has passed', html)
    assert 'value="900 000"' in html
    assert f'value="{yesterday}"' in html
    assert services.open_round(proposal) is None


def test_a_second_open_round_is_refused_with_a_message_and_the_typed_terms_kept(
    client: Any, founder: Any, proposal: Any
) -> None:
    login(client, founder)
    client.get(f"/proposals/{proposal.id}/round/new")
    services.start_round(proposal, None)  # someone else opened one meanwhile
    _db.session.commit()
    response = client.post(
        f"/proposals/{proposal.id}/round/new?lang=nb",
        data={"target": "777 000", "min_ticket": "70 000", "instrument": "equity"},
    )
    assert response.status_code == 400
    words = text(response)
    assert "har allerede en åpen kapitalrunde: avslutt den" in words
    assert 'value="777 000"' in response.get_data(as_text=True)
    assert len(services.rounds_of(proposal)) == 1


def test_a_smallest_ticket_above_the_target_is_refused(
    client: Any, founder: Any, proposal: Any
) -> None:
    services.start_round(proposal, None)
    _db.session.commit()
    login(client, founder)
    response = client.post(
        f"/proposals/{proposal.id}/round/edit?lang=en",
        data={"version": "1", "target": "100 000", "min_ticket": "200 000", "instrument": "equity"},
    )
    assert response.status_code == 400
    assert re.search(
        r'id="min_ticket-error"[^>]*>The smallest ticket cannot be more than the target',
        response.get_data(as_text=True),
    )
    assert reload(services.open_round(proposal)).target == 1_000_000


def summary_links(html: str) -> dict[str, str]:
    """The error summary at the top of the form: each link's target and words."""
    found = re.search(r'<div[^>]*id="form-problems".*?</div>', html, flags=re.S)
    assert found is not None, "no error summary"
    # Above the form: before the first message beside a field.
    assert html.index('id="form-problems"') < html.index('-error" class="invalid-feedback')
    links = re.findall(r'<a href="#([^"]+)">(.*?)</a>', found.group(0), flags=re.S)
    return {target: unescape(words).replace("\u00a0", " ") for target, words in links}


@pytest.mark.parametrize(
    ("lang", "messages"),
    [
        (
            "en",
            {
                "min_ticket": "The smallest ticket cannot be more than the target (100 000 kr).",
                "instrument": "Choose an instrument.",
                "closes_on": "The closing date has passed: choose today or a later date.",
            },
        ),
        (
            "nb",
            {
                "min_ticket": "Minste investering kan ikke være mer enn målet (100 000 kr).",
                "instrument": "Velg et instrument.",
                "closes_on": "Sluttdatoen har passert: velg i dag eller en senere dato.",
            },
        ),
    ],
)
def test_every_wrong_term_gets_its_message_on_the_first_submit_and_nothing_is_lost(
    client: Any, founder: Any, proposal: Any, lang: str, messages: dict[str, str]
) -> None:
    login(client, founder)
    yesterday = (oslo_today() - timedelta(days=1)).isoformat()
    response = client.post(
        f"/proposals/{proposal.id}/round/new?lang={lang}",
        data={
            "target": "100 000",
            "min_ticket": "200 000",
            "instrument": "",
            "closes_on": yesterday,
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    plain = unescape(html).replace("\u00a0", " ")
    for field, message in messages.items():
        assert re.search(rf'id="{field}-error"[^>]*>{re.escape(message)}', plain), field
    # The summary at the top names every one and leads to its field.
    links = summary_links(html)
    assert set(links) == set(messages)
    for field, message in messages.items():
        assert message in links[field]
    assert 'value="100 000"' in html
    assert 'value="200 000"' in html
    assert f'value="{yesterday}"' in html
    assert services.open_round(proposal) is None


def test_changing_the_terms_shows_an_empty_target_and_a_past_date_together(
    client: Any, founder: Any, proposal: Any
) -> None:
    services.start_round(proposal, None)
    _db.session.commit()
    login(client, founder)
    yesterday = (oslo_today() - timedelta(days=1)).isoformat()
    response = client.post(
        f"/proposals/{proposal.id}/round/edit?lang=nb",
        data={
            "version": "1",
            "target": "",
            "min_ticket": "0",
            "instrument": "loan",
            "closes_on": yesterday,
        },
    )
    assert response.status_code == 400
    html = unescape(response.get_data(as_text=True))
    assert re.search(r'id="target-error"[^>]*>Skriv rundens mål i hele kroner\.<', html)
    assert re.search(r'id="min_ticket-error"[^>]*>Minste investering må være mer enn 0 kr\.<', html)
    assert re.search(r'id="closes_on-error"[^>]*>Sluttdatoen har passert', html)
    assert set(summary_links(html)) == {"target", "min_ticket", "closes_on"}
    assert '<option selected value="loan">' in html
    round_ = reload(services.open_round(proposal))
    assert (round_.target, round_.closes_on) == (1_000_000, None)


def test_concurrent_edits_cannot_overwrite_each_other_unseen(
    app: Any, client: Any, founder: Any, make_user: Any, proposal: Any
) -> None:
    services.start_round(proposal, None)
    _db.session.commit()
    organiser_client = app.test_client()
    login(organiser_client, make_user("organiser"))
    login(client, founder)
    shown = client.get(f"/proposals/{proposal.id}/round/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in shown
    # The organiser saves first, from the same version.
    saved = organiser_client.post(
        f"/proposals/{proposal.id}/round/edit",
        data={
            "version": "1",
            "target": "1 500 000",
            "min_ticket": "50 000",
            "instrument": "equity",
        },
    )
    assert saved.status_code == 302
    # The founder's save from the stale page is refused; what they typed stays.
    stale = client.post(
        f"/proposals/{proposal.id}/round/edit?lang=en",
        data={"version": "1", "target": "600 000", "min_ticket": "50 000", "instrument": "loan"},
    )
    assert stale.status_code == 409
    words = text(stale)
    assert "Someone else changed this round" in words
    assert "The terms as they are now" in words
    assert "1 500 000 kr" in words
    html = stale.get_data(as_text=True)
    assert 'value="600 000"' in html
    assert 'name="version" type="hidden" value="2"' in html
    assert reload(services.open_round(proposal)).target == 1_500_000
    # Saving again, having seen the current terms, replaces them.
    again = client.post(
        f"/proposals/{proposal.id}/round/edit",
        data={"version": "2", "target": "600 000", "min_ticket": "50 000", "instrument": "loan"},
    )
    assert again.status_code == 302
    current = reload(services.open_round(proposal))
    assert (current.target, current.version) == (600_000, 3)


def test_the_version_is_claimed_once(db: Any, proposal: Any) -> None:
    round_ = services.start_round(proposal, None)
    assert services.claim_version(round_, "1")
    assert not services.claim_version(round_, "1")
    assert not services.claim_version(round_, "x")
    assert round_.version == 2


def test_lowering_the_target_below_what_is_committed_is_allowed_and_said(
    client: Any, founder: Any, proposal: Any, gathered: dict[str, Any], outbox: list[Any]
) -> None:
    login(client, founder)
    response = client.post(
        f"/proposals/{proposal.id}/round/edit?lang=nb",
        data={"version": "1", "target": "400 000", "min_ticket": "50 000", "instrument": "equity"},
        follow_redirects=True,
    )
    words = text(response)
    assert (
        "Målet (400 000 kr) er nå lavere enn det investorene har gitt tilsagn om (450 000 kr)"
        in words
    )
    assert "450 000 kr av 400 000 kr (113 %)" in words
    # The round now reaches its target: everyone concerned is told once.
    assert any("har nådd målet" in m.subject for m in outbox)


def test_the_lead_is_chosen_agreed_and_both_are_told(
    app: Any,
    client: Any,
    founder: Any,
    make_user: Any,
    proposal: Any,
    gathered: dict[str, Any],
    outbox: list[Any],
) -> None:
    organiser_client = app.test_client()
    login(organiser_client, make_user("organiser"))
    shown = text(organiser_client.get(f"/proposals/{proposal.id}/round?lang=en"))
    assert "Choose the lead investor" in shown
    hidden, named = gathered["hidden"], gathered["named"]
    # Only an investor who offered to lead can be chosen.
    refused = organiser_client.post(
        f"/proposals/{proposal.id}/round/lead?lang=en",
        data={"version": "1", "lead": str(named.id)},
        follow_redirects=True,
    )
    assert "Choose one of the investors who offered to lead" in text(refused)
    organiser_client.post(
        f"/proposals/{proposal.id}/round/lead", data={"version": "1", "lead": str(hidden.id)}
    )
    (asked,) = outbox
    assert asked.recipients == [founder.email]
    assert asked.subject == "Skjult Investor er foreslått som hovedinvestor for «Tare»"
    assert f"/proposals/{proposal.id}/round" in asked.body

    login(client, founder)
    nb = round_page(client, proposal)
    # The founder sees who is proposed, to agree (not the amount).
    assert "Jeg sier ja til at Skjult Investor er hovedinvestor" in nb
    assert "250 000" not in nb
    # A page left open while the organisers changed the lead cannot agree to the new one.
    stale = client.post(
        f"/proposals/{proposal.id}/round/lead/agree?lang=en",
        data={"version": "1"},
        follow_redirects=True,
    )
    assert "Someone else changed this round" in text(stale)
    assert reload(services.open_round(proposal)).lead_agreed_at is None
    client.post(f"/proposals/{proposal.id}/round/lead/agree", data={"version": "2"})
    round_ = reload(services.open_round(proposal))
    assert round_.lead_agreed_by_id == founder.id
    told = outbox[-1]
    assert told.recipients == [hidden.email]
    assert told.subject == "Du er hovedinvestor i runden for «Tare»"
    assert "gründeren sa ja" in round_page(client, proposal)
    # The lead sees that they lead; another investor sees no name.
    login(client, hidden)
    assert "Skjult Investor (deg)" in round_page(client, proposal)
    login(client, make_user("investor", approved=True))
    nb = round_page(client, proposal)
    assert "Valgt, og gründeren har sagt ja" in nb
    assert "Skjult Investor" not in nb

    # Clearing the lead clears the agreement.
    organiser_client.post(f"/proposals/{proposal.id}/round/lead", data={"version": "3", "lead": ""})
    round_ = reload(services.open_round(proposal))
    assert (round_.lead_id, round_.lead_agreed_at) == (None, None)


def test_the_proposal_page_shows_the_round_to_each_person(
    app: Any, client: Any, founder: Any, make_user: Any, proposal: Any, gathered: dict[str, Any]
) -> None:
    login(client, founder)
    words = text(client.get(f"/proposals/{proposal.id}?lang=en"))
    assert "Funding round" in words
    assert "450 000 kr of 1 000 000 kr (45 %)" in words
    assert "See the round" in words
    login(client, gathered["named"])
    response = client.get(f"/proposals/{proposal.id}?lang=nb")
    words = text(response)
    assert "Ditt foreløpige tilsagn: 200 000 kr." in words
    assert "450 000" not in words  # the total is not shown to investors here
    # The link to the commitment form appears once that page exists (after the merge).
    link = f"/proposals/{proposal.id}/round/commitment"
    assert (link in response.get_data(as_text=True)) == ("rounds.commitment" in app.view_functions)


def test_the_lead_e_mails_through_smtp_in_each_recipient_s_language(
    database_url: str, db: Any, make_user: Any, make_proposal: Any
) -> None:
    from matchmaking.mail import wait_for_deliveries
    from tests.conftest import make_app
    from tests.smtp import smtp_server, text_and_html

    founder = make_user("entrepreneur", locale="en", name="Kari Gründer")
    lead = make_user("investor", approved=True, locale="nb", name="Lena Leder")
    proposal = make_proposal(founder, status="accepted", title="Tare", ask=1_000_000)
    services.commit(proposal, lead, amount=300_000, would_lead=True)
    db.session.commit()
    with smtp_server() as (port, received):
        app = make_app(database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        organiser_client, founder_client = app.test_client(), app.test_client()
        login(organiser_client, make_user("organiser"))
        login(founder_client, founder)
        organiser_client.post(
            f"/proposals/{proposal.id}/round/lead", data={"version": "1", "lead": str(lead.id)}
        )
        founder_client.post(f"/proposals/{proposal.id}/round/lead/agree", data={"version": "2"})
        wait_for_deliveries(app=app)
        mail = {m["Subject"]: m for m in received}
    asked = mail["Lena Leder is proposed as lead investor for “Tare”"]
    assert asked["To"] == founder.email
    body, html = text_and_html(asked)
    assert "If you agree, say so on the round page" in body
    assert f"/proposals/{proposal.id}/round" in html
    told = mail["Du er hovedinvestor i runden for «Tare»"]
    assert told["To"] == lead.email
    body, html = text_and_html(told)
    assert "har sagt ja til at du er hovedinvestor" in body
    assert f"/proposals/{proposal.id}/round" in html
