"""Recording a round's outcome: funded (what was raised, by whom) or closed
without funding, through the confirm step, with its e-mails."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any

import pytest

from matchmaking.dates import in_oslo
from matchmaking.extensions import utcnow
from matchmaking.proposals.models import Status
from matchmaking.rounds import services
from matchmaking.rounds.models import CloseReason, Round, RoundState
from matchmaking.rounds.services import RoundError

YESTERDAY = (in_oslo(utcnow()).date() - timedelta(days=1)).isoformat()


@pytest.fixture
def setting(db: Any, login_as: Any, make_user: Any, make_proposal: Any) -> dict[str, Any]:
    """An organiser logged in; a proposal in dialogue with an open round and two
    commitments: Astrid (500 000, nb) and Bjørn (300 000, en)."""
    organiser = login_as("organiser")
    founder = make_user("entrepreneur", name="Frida Gründer")
    proposal = make_proposal(
        founder, status="in_dialogue", title="Tare", ask=2_000_000, min_ticket=100_000
    )
    astrid = make_user("investor", approved=True, name="Astrid Aas")
    bjorn = make_user("investor", approved=True, name="Bjørn Berg", locale="en")
    services.start_round(proposal, organiser)
    services.commit(proposal, astrid, amount=500_000)
    services.commit(proposal, bjorn, amount=300_000)
    db.session.commit()
    round_ = services.open_round(proposal)
    return {
        "organiser": organiser,
        "founder": founder,
        "proposal": proposal,
        "astrid": astrid,
        "bjorn": bjorn,
        "round": round_,
        "url": f"/proposals/{proposal.id}/round/close",
    }


def funded_form(s: dict[str, Any], **changes: str) -> dict[str, str]:
    data = {
        "version": str(s["round"].version),
        "outcome": "funded",
        "raised": "1 000 000",
        "funded_on": YESTERDAY,
        "instrument": "equity",
        "pre_money": "8 000 000",
        "network-0-investor": str(s["astrid"].id),
        "network-0-amount": "500 000",
        "network-1-investor": str(s["bjorn"].id),
        "network-1-amount": "0",
        "outside-0-name": "Innovasjon Norge",
        "outside-0-amount": "400 000",
        "outside-1-name": "",
        "outside-1-amount": "",
        "outside-2-name": "",
        "outside-2-amount": "",
    }
    return data | changes


def reload_round(db: Any, s: dict[str, Any]) -> Round:
    db.session.expire_all()
    found: Round = db.session.get(Round, s["round"].id)
    return found


def test_the_form_is_prefilled_from_the_commitments_and_the_round(
    client: Any, setting: dict[str, Any]
) -> None:
    page = client.get(setting["url"]).get_data(as_text=True)
    assert "Astrid Aas (tilsagn 500\u00a0000\u00a0kr)" in page
    assert 'value="500\u00a0000"' in page
    assert "Bjørn Berg (tilsagn 300\u00a0000\u00a0kr)" in page
    assert '<option selected value="equity">' in page
    # Three empty rows for investors outside the network.
    assert page.count('name="outside-') == 6
    assert "outside-3-name" not in page


def test_more_rows_keeps_what_was_typed(client: Any, setting: dict[str, Any]) -> None:
    data = funded_form(setting, more="1")
    response = client.post(setting["url"], data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Innovasjon Norge"' in page
    assert "outside-5-name" in page
    assert "outside-6-name" not in page
    assert setting["round"].is_open


def test_funded_asks_first_then_records_everything_and_moves_the_timeline(
    client: Any, db: Any, setting: dict[str, Any], outbox: list[Any]
) -> None:
    first = client.post(setting["url"], data=funded_form(setting))
    page = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "Registrere «Tare» som finansiert?" in page
    assert "Ja, registrer runden som finansiert" in page
    assert "fra 2 investorer ført opp i skjemaet" in page
    # The first click changes nothing.
    assert reload_round(db, setting).is_open
    assert outbox == []
    done = client.post(setting["url"], data=funded_form(setting, confirm="1"))
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/proposals/{setting['proposal'].id}/round")
    closed = reload_round(db, setting)
    assert closed.state is RoundState.FUNDED
    assert (closed.raised, closed.pre_money, closed.funded_on.isoformat()) == (
        1_000_000,
        8_000_000,
        YESTERDAY,
    )
    assert closed.closed_by_id == setting["organiser"].id
    assert [(i.investor_id, i.outside_name, i.amount) for i in closed.investments] == [
        (setting["astrid"].id, None, 500_000),
        (None, "Innovasjon Norge", 400_000),
    ]
    proposal = closed.proposal
    assert proposal.status is Status.FUNDED
    last = proposal.events[-1]
    assert (last.from_status, last.to_status, last.actor_id) == (
        Status.IN_DIALOGUE,
        Status.FUNDED,
        setting["organiser"].id,
    )
    subjects = {m.recipients[0]: m.subject for m in outbox}
    assert subjects == {
        setting["founder"].email: "Gratulerer: «Tare» er finansiert",
        setting["astrid"].email: "Takk for at du investerte i «Tare»",
        # Bjørn committed but invested 0, and reads English.
        setting["bjorn"].email: "The round for “Tare” has closed",
    }
    # The congratulation replaces the generic status e-mail: one e-mail each.
    assert len(outbox) == 3
    congratulation = next(m for m in outbox if m.recipients[0] == setting["founder"].email)
    assert "Runden for «Tare» er registrert som finansiert: 1\u00a0000\u00a0000\u00a0kr" in (
        congratulation.body
    )


def test_investments_above_the_amount_raised_are_refused_beside_the_field(
    client: Any, db: Any, setting: dict[str, Any]
) -> None:
    data = funded_form(setting, raised="800 000")
    response = client.post(setting["url"], data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="raised-error"' in page
    assert "Investeringene blir til sammen 900\u00a0000\u00a0kr" in page
    assert 'value="800 000"' in page
    assert 'value="Innovasjon Norge"' in page
    # Even posted straight to "Yes", nothing is recorded.
    client.post(setting["url"], data=data | {"confirm": "1"})
    assert reload_round(db, setting).is_open


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"funded_on": "2999-01-01"}, "funded_on", "Datoen kan ikke være fram i tid."),
        ({"raised": ""}, "raised", "Skriv hentet beløp i hele kroner"),
        ({"raised": "mange"}, "raised", "Skriv hele kroner"),
        (
            {"outside-0-amount": ""},
            "outside-0-amount",
            "Skriv beløpet Innovasjon Norge investerte.",
        ),
        (
            {"outside-1-amount": "10 000"},
            "outside-1-name",
            "Skriv hvem som investerte dette beløpet.",
        ),
        ({"outcome": ""}, "outcome", "Velg finansiert eller avsluttet uten finansiering."),
    ],
)
def test_bad_input_gets_a_message_beside_its_field(
    client: Any, db: Any, setting: dict[str, Any], changes: dict[str, str], field: str, words: str
) -> None:
    response = client.post(setting["url"], data=funded_form(setting, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page
    assert words in page
    assert reload_round(db, setting).is_open


def test_a_stale_version_shows_the_form_again_with_what_was_typed(
    client: Any, db: Any, setting: dict[str, Any], outbox: list[Any]
) -> None:
    data = funded_form(setting, confirm="1")
    # The founder changed the round's terms meanwhile.
    assert services.claim_version(setting["round"], setting["round"].version)
    db.session.commit()
    response = client.post(setting["url"], data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Noen andre endret runden" in page
    assert 'value="Innovasjon Norge"' in page
    assert reload_round(db, setting).is_open
    assert outbox == []


def test_claim_version_takes_only_the_current_version(db: Any, setting: dict[str, Any]) -> None:
    round_ = setting["round"]
    seen = round_.version
    assert not services.claim_version(round_, "not a number")
    assert not services.claim_version(round_, seen + 1)
    assert services.claim_version(round_, str(seen))
    assert round_.version == seen + 1
    # The same version a second time (a second tab) is refused.
    assert not services.claim_version(round_, seen)


def test_closed_without_funding_keeps_the_proposal_and_tells_the_committed(
    client: Any, db: Any, setting: dict[str, Any], outbox: list[Any]
) -> None:
    data = {
        "version": str(setting["round"].version),
        "outcome": "not_funded",
        "reason": "",
        "words": "Vi prøver igjen til våren.",
    }
    response = client.post(setting["url"], data=data)
    assert response.status_code == 400
    assert 'id="reason-error"' in response.get_data(as_text=True)
    data["reason"] = "postponed"
    first = client.post(setting["url"], data=data).get_data(as_text=True)
    assert "Avslutte runden for «Tare» uten finansiering?" in first
    assert "Grunn: Runden er utsatt." in first
    assert client.post(setting["url"], data=data | {"confirm": "1"}).status_code == 302
    closed = reload_round(db, setting)
    assert (closed.state, closed.close_reason, closed.close_words) == (
        RoundState.NOT_FUNDED,
        CloseReason.POSTPONED,
        "Vi prøver igjen til våren.",
    )
    assert closed.proposal.status is Status.IN_DIALOGUE
    subjects = {m.recipients[0]: m.subject for m in outbox}
    assert subjects == {
        setting["founder"].email: "Runden for «Tare» ble avsluttet uten finansiering",
        setting["astrid"].email: "Runden for «Tare» ble avsluttet uten finansiering",
        setting["bjorn"].email: "The round for “Tare” closed without funding",
    }
    english = next(m for m in outbox if m.recipients[0] == setting["bjorn"].email)
    assert "Reason: The round is postponed." in english.body
    # The round page shows the outcome.
    page = client.get(f"/proposals/{setting['proposal'].id}/round").get_data(as_text=True)
    assert "Grunn: Runden er utsatt." in page
    assert "Vi prøver igjen til våren." in page


def test_after_the_close_commitments_are_frozen_and_no_round_opens_by_itself(
    app: Any, db: Any, setting: dict[str, Any]
) -> None:
    from matchmaking.rounds.close import services as close

    round_ = setting["round"]
    with app.test_request_context():
        close.close_not_funded(round_, setting["organiser"], reason=CloseReason.OTHER, words="")
        db.session.commit()
        with pytest.raises(RoundError, match="Runden er avsluttet"):
            services.commit(setting["proposal"], setting["astrid"], amount=200_000)
        with pytest.raises(RoundError, match="kan ikke lenger endres"):
            services.withdraw(round_.commitments[0])
        with pytest.raises(RoundError, match="allerede avsluttet"):
            close.close_not_funded(round_, setting["organiser"], reason=CloseReason.OTHER, words="")
        assert services.open_round(setting["proposal"]) is None
        # A new round opened by the founder or organisers takes commitments again.
        services.start_round(setting["proposal"], setting["organiser"])
        made = services.commit(setting["proposal"], setting["astrid"], amount=200_000)
        assert made.round.is_open


def test_the_close_form_of_a_closed_round_goes_back_to_the_round(
    app: Any, client: Any, db: Any, setting: dict[str, Any]
) -> None:
    from matchmaking.rounds.close import services as close

    with app.test_request_context():
        close.close_not_funded(
            setting["round"], setting["organiser"], reason=CloseReason.OTHER, words=""
        )
        db.session.commit()
    response = client.get(setting["url"])
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/round")


def test_who_sees_which_names_of_a_funded_round(
    client: Any, db: Any, setting: dict[str, Any]
) -> None:
    client.post(setting["url"], data=funded_form(setting, confirm="1"))
    round_page = f"/proposals/{setting['proposal'].id}/round"
    page = client.get(round_page).get_data(as_text=True)
    assert "Finansiert: 1\u00a0000\u00a0000\u00a0kr hentet" in page
    assert "Astrid Aas" in page
    assert "Innovasjon Norge (utenfor nettverket)" in page
    assert "Registrer utfallet" not in page
    # An investor who invested sees only their own investment.
    with client.session_transaction() as session:
        session["_user_id"] = setting["astrid"].get_id()
    page = client.get(round_page).get_data(as_text=True)
    assert "Din investering: 500\u00a0000\u00a0kr" in page
    assert "Innovasjon Norge" not in page
    # The founder sees every name.
    with client.session_transaction() as session:
        session["_user_id"] = setting["founder"].get_id()
    page = client.get(round_page).get_data(as_text=True)
    assert "Innovasjon Norge (utenfor nettverket)" in page


def test_the_founder_closes_their_own_round_and_sees_the_button_while_open(
    client: Any, db: Any, setting: dict[str, Any]
) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = setting["founder"].get_id()
    page = client.get(f"/proposals/{setting['proposal'].id}/round").get_data(as_text=True)
    assert setting["url"] in page
    assert client.post(setting["url"], data=funded_form(setting, confirm="1")).status_code == 302
    closed = reload_round(db, setting)
    assert closed.state is RoundState.FUNDED
    assert closed.proposal.events[-1].actor_id == setting["founder"].id


def test_record_funded_only_from_the_statuses_that_take_commitments(
    db: Any, make_proposal: Any, make_user: Any
) -> None:
    from matchmaking.proposals.services import TransitionError, record_funded

    organiser = make_user("organiser")
    with pytest.raises(TransitionError):
        record_funded(make_proposal(status="submitted"), organiser)
    proposal = make_proposal(status="accepted")
    with pytest.raises(TransitionError):
        record_funded(proposal, make_user("entrepreneur"))
    from matchmaking.proposals.signals import proposal_status_changed

    heard: list[Any] = []
    with proposal_status_changed.connected_to(
        lambda sender, **kw: heard.append((sender, kw["before"])), sender=proposal
    ):
        event = record_funded(proposal, organiser, comment=" Runde registrert ")
    # matches listens to refresh its stored scores, as for any other move.
    assert heard == [(proposal, Status.ACCEPTED)]
    assert (event.from_status, event.to_status, event.comment) == (
        Status.ACCEPTED,
        Status.FUNDED,
        "Runde registrert",
    )


def text(response: Any) -> str:
    """The page's words, as a reader sees them (tags dropped, spaces folded)."""
    words = unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    return re.sub(r"\s+", " ", words.replace("\u00a0", " "))


def summary_links(page: str) -> dict[str, str]:
    """The error summary at the top of the form: each link's target and words."""
    found = re.search(r'<div[^>]*id="form-problems".*?</div>', page, flags=re.S)
    assert found is not None, "no error summary"
    # Above the form: before the first message beside a field.
    assert page.index('id="form-problems"') < page.index('-error" class="invalid-feedback')
    links = re.findall(r'<a href="#([^"]+)">(.*?)</a>', found.group(0), flags=re.S)
    return {target: unescape(words).replace("\u00a0", " ") for target, words in links}


def test_an_incomplete_outside_row_is_named_in_a_summary_at_the_top(
    client: Any, db: Any, setting: dict[str, Any]
) -> None:
    response = client.post(
        setting["url"], data=funded_form(setting, **{"outside-1-amount": "10 000"})
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    links = summary_links(page)
    assert links == {
        "outside-1-name": "Investor utenfor nettverket 2: navn: Skriv hvem som investerte dette beløpet."
    }
    assert 'value="10 000"' in page
    assert reload_round(db, setting).is_open


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "nb",
            {
                "funded_on": "Datoen kan ikke være fram i tid.",
                "pre_money": "Pre-money-verdsettelsen må være mer enn 0 kr.",
                "outside-0-amount": "Skriv beløpet Innovasjon Norge investerte.",
                "outside-1-name": "Skriv hvem som investerte dette beløpet.",
            },
        ),
        (
            "en",
            {
                "funded_on": "The date cannot be in the future.",
                "pre_money": "The pre-money valuation must be more than 0 kr.",
                "outside-0-amount": "Write the amount Innovasjon Norge invested.",
                "outside-1-name": "Write who invested this amount.",
            },
        ),
    ],
)
def test_every_error_of_the_close_form_shows_at_once_beside_its_field_and_at_the_top(
    client: Any, db: Any, setting: dict[str, Any], lang: str, expected: dict[str, str]
) -> None:
    data = funded_form(
        setting,
        funded_on="2999-01-01",
        pre_money="0",
        **{"outside-0-amount": "", "outside-1-amount": "10 000"},
    )
    response = client.post(f"{setting['url']}?lang={lang}", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for field, words in expected.items():
        assert re.search(rf'id="{field}-error"[^>]*>{re.escape(words)}<', page), field
    links = summary_links(page)
    assert set(links) == set(expected)
    for field, words in expected.items():
        assert links[field].endswith(words)
    assert 'value="2999-01-01"' in page
    assert 'value="Innovasjon Norge"' in page
    assert reload_round(db, setting).is_open


def test_an_amount_raised_far_above_the_target_is_asked_about_then_recorded(
    client: Any, db: Any, setting: dict[str, Any]
) -> None:
    # The target is 2 000 000 kr: twice it is not asked about, more than that is.
    twice = client.post(f"{setting['url']}?lang=en", data=funded_form(setting, raised="4 000 000"))
    assert "Record “Tare” as funded?" in text(twice)
    assert "more than twice" not in text(twice)
    assert 'name="raised_confirmed"' not in twice.get_data(as_text=True)
    data = funded_form(setting, raised="5 000 000")
    first = client.post(f"{setting['url']}?lang=nb", data=data)
    assert first.status_code == 200
    words = text(first)
    assert (
        "Hentet beløp, 5 000 000 kr, er mer enn dobbelt så mye som rundens mål (2 000 000 kr)."
        in words
    )
    assert "Ja, 5 000 000 kr stemmer: runden hentet mer enn dobbelt så mye som målet" in words
    assert 'name="raised_confirmed"' in first.get_data(as_text=True)
    # "Yes" without ticking the box records nothing and says why beside the box.
    unticked = client.post(setting["url"], data=data | {"confirm": "1"})
    assert unticked.status_code == 400
    assert re.search(
        r'id="raised_confirmed-error"[^>]*>Kryss av hvis hentet beløp stemmer',
        unticked.get_data(as_text=True),
    )
    assert reload_round(db, setting).is_open
    english = client.post(f"{setting['url']}?lang=en", data=data)
    assert "more than twice the round's target (2 000 000 kr)" in text(english)
    done = client.post(setting["url"], data=data | {"confirm": "1", "raised_confirmed": "y"})
    assert done.status_code == 302
    closed = reload_round(db, setting)
    assert (closed.state, closed.raised) == (RoundState.FUNDED, 5_000_000)


def test_the_confirm_step_goes_back_to_the_form_with_everything_typed(
    client: Any, db: Any, setting: dict[str, Any]
) -> None:
    data = funded_form(setting, raised="50 000 000")
    first = client.post(setting["url"], data=data)
    assert "Gå tilbake til skjemaet for å endre det" in text(first)
    back = client.post(setting["url"], data=data | {"confirm": "1", "back": "1"})
    assert back.status_code == 200
    page = back.get_data(as_text=True)
    assert "Registrer rundens utfall" in text(back)
    assert 'value="50 000 000"' in page
    assert 'value="Innovasjon Norge"' in page
    assert f'value="{YESTERDAY}"' in page
    assert reload_round(db, setting).is_open
