"""An investor's soft commitment (the form, changing it, withdrawing it after
the confirm step), the portfolio, and the links that lead to them."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from matchmaking.extensions import utcnow
from matchmaking.proposals.models import Status
from matchmaking.rounds import services
from matchmaking.rounds.models import Commitment, Investment, Round, RoundState
from tests.conftest import reload


@pytest.fixture
def accepted(make_proposal: Any) -> Any:
    return make_proposal(
        status="accepted", title="Tare i Efjorden", ask=1_000_000, min_ticket=100_000
    )


def page_of(proposal: Any, suffix: str = "") -> str:
    return f"/proposals/{proposal.id}/round/commitment{suffix}"


def beside(page: str, name: str) -> str:
    """The message beside the field ``name`` (empty when there is none)."""
    found = re.search(rf'<div id="{name}-error" class="invalid-feedback">(.*?)</div>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


def value_of(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else ""


def checked(page: str, name: str) -> bool:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert found, name
    return "checked" in found.group(0)


def flashes(page: str) -> str:
    return " ".join(
        html.unescape(m)
        for m in re.findall(r'<div class="alert alert-\w+" role="\w+">(.*?)</div>', page)
    )


def commitments_of(db: Any, proposal: Any) -> list[Commitment]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Commitment).join(Round).where(Round.proposal_id == proposal.id))
    )


def close(db: Any, proposal: Any, state: RoundState = RoundState.NOT_FUNDED) -> Round:
    round_ = services.open_round(proposal) or services.start_round(proposal, None)
    round_.state = state
    round_.closed_at = utcnow()
    if state is RoundState.FUNDED:
        round_.funded_on = date(2026, 11, 2)
        round_.raised = round_.target
    db.session.commit()
    return round_


# The form ------------------------------------------------------------------------------


def test_an_approved_investor_registers_a_commitment(
    client: Any, login_as: Any, accepted: Any, db: Any
) -> None:
    me = login_as("investor")
    page = client.get(page_of(accepted)).text
    assert "<h1>Registrer et foreløpig tilsagn</h1>" in page
    # The round's terms (the proposal's, as no round is open yet) and the bounds by the field.
    assert "1\u00a0000\u00a0000\u00a0kr" in page
    assert (
        "Minst 100\u00a0000\u00a0kr (minste investering), høyst 1\u00a0000\u00a0000\u00a0kr" in page
    )
    assert "Ingen runde er åpnet ennå" in page
    # Showing one's name to the founder is off until the investor chooses it, and says what it means.
    assert not checked(page, "named_to_founder")
    assert "ser gründeren navnet ditt ved beløpet ditt" in page
    response = client.post(
        page_of(accepted),
        data={"amount": "500 000", "conditions": " Styreplass ", "would_lead": "y"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/proposals/{accepted.id}/round")
    shown = flashes(client.get(response.headers["Location"]).text)
    assert (
        "Ditt foreløpige tilsagn på 500\u00a0000\u00a0kr til «Tare i Efjorden» er registrert."
        in shown
    )
    assert "Du har tilbudt deg å være hovedinvestor i runden." in shown
    assert "Gründeren ser ikke navnet ditt." in shown
    (made,) = commitments_of(db, accepted)
    assert (made.investor_id, made.amount, made.conditions) == (me.id, 500_000, "Styreplass")
    assert made.would_lead
    assert not made.named_to_founder
    assert made.round.is_open


@pytest.mark.parametrize(
    ("locale", "amount", "message"),
    [
        ("nb", "99 999", "Selskapets minste investering er 100\u00a0000\u00a0kr"),
        (
            "en",
            "99 999",
            "The company's smallest ticket is 100\u00a0000\u00a0kr: write at least that.",
        ),
        ("nb", "1 000 001", "høyst"),
        (
            "en",
            "1 000 001",
            "The company seeks 1\u00a0000\u00a0000\u00a0kr in all: write at most that.",
        ),
        ("nb", "", "hele kroner"),
        ("en", "", "Write the amount in whole kroner, for example 500 000."),
        ("nb", "fem hundre tusen", "Skriv hele kroner"),
        ("en", "500,5", "Write whole kroner, like 1250000, 1 250 000 or 1.250.000."),
        ("en", "900000000000", "That amount is too large; check the number of zeros."),
    ],
)
def test_a_bad_amount_is_refused_beside_the_field_and_nothing_is_lost(
    client: Any, login_as: Any, accepted: Any, db: Any, locale: str, amount: str, message: str
) -> None:
    login_as("investor", locale=locale)
    response = client.post(
        page_of(accepted),
        data={
            "amount": amount,
            "conditions": "Styreplass og innsyn",
            "would_lead": "y",
            "named_to_founder": "y",
        },
    )
    assert response.status_code == 400
    page = response.text
    assert message in beside(page, "amount"), beside(page, "amount")
    assert 'aria-invalid="true"' in page
    # What was typed is all still there.
    assert value_of(page, "amount") == amount
    assert "Styreplass og innsyn</textarea>" in page
    assert checked(page, "would_lead")
    assert checked(page, "named_to_founder")
    assert commitments_of(db, accepted) == []
    # A rule broken inside the service opens no round either.
    assert services.open_round(reload(accepted)) is None


def test_conditions_too_long_are_refused_beside_their_field(
    client: Any, login_as: Any, accepted: Any, db: Any
) -> None:
    login_as("investor", locale="en")
    response = client.post(page_of(accepted), data={"amount": "200000", "conditions": "x" * 2001})
    assert response.status_code == 400
    assert beside(response.text, "conditions") == "At most 2000 characters."
    assert value_of(response.text, "amount") == "200000"
    assert commitments_of(db, accepted) == []


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(typed=st.text(max_size=30))
def test_whatever_is_typed_as_the_amount_is_registered_or_refused_in_words(
    client: Any, login_as: Any, accepted: Any, db: Any, typed: str
) -> None:
    login_as("investor", locale="en")
    response = client.post(page_of(accepted), data={"amount": typed})
    if response.status_code == 302:
        (made,) = commitments_of(db, accepted)
        assert 100_000 <= made.amount <= 1_000_000
        db.session.delete(made)
        db.session.commit()
    else:
        assert response.status_code == 400
        assert beside(response.text, "amount")


def test_the_form_is_prefilled_and_a_change_says_so(
    client: Any, login_as: Any, accepted: Any, db: Any
) -> None:
    me = login_as("investor", locale="en")
    services.commit(
        accepted,
        me,
        amount=300_000,
        conditions="Board seat",
        would_lead=True,
        named_to_founder=True,
    )
    db.session.commit()
    page = client.get(page_of(accepted)).text
    assert "<h1>Change your soft commitment</h1>" in page
    assert value_of(page, "amount") == "300\u00a0000"
    assert "Board seat</textarea>" in page
    assert checked(page, "would_lead")
    assert checked(page, "named_to_founder")
    response = client.post(
        page_of(accepted),
        data={"amount": "450000", "conditions": "Board seat"},
        follow_redirects=True,
    )
    shown = flashes(response.text)
    assert "Your soft commitment to “Tare i Efjorden” is changed to 450\u00a0000\u00a0kr." in shown
    assert "The founder does not see your name." in shown
    (made,) = commitments_of(db, accepted)
    assert (made.amount, made.would_lead, made.named_to_founder) == (450_000, False, False)


def test_withdrawing_asks_once_more_and_the_form_keeps_what_was_written(
    client: Any, login_as: Any, accepted: Any, db: Any
) -> None:
    me = login_as("investor")
    services.commit(accepted, me, amount=250_000, conditions="Styreplass")
    db.session.commit()
    # The round page shows the commitment with Change and Withdraw.
    round_page = client.get(f"/proposals/{accepted.id}/round").text
    assert "Ditt foreløpige tilsagn" in round_page
    assert f'href="{page_of(accepted)}">Endre tilsagnet ditt</a>' in round_page
    assert f'action="{page_of(accepted, "/withdraw")}"' in round_page
    # The first POST only asks.
    first = client.post(page_of(accepted, "/withdraw"))
    assert first.status_code == 200
    assert "Trekke tilbake det foreløpige tilsagnet ditt til «Tare i Efjorden»?" in first.text
    assert "250\u00a0000\u00a0kr" in first.text
    assert 'name="confirm" value="1"' in first.text
    assert f'href="/proposals/{accepted.id}/round">Avbryt</a>' in first.text
    assert all(c.is_active for c in commitments_of(db, accepted))
    # "Yes" withdraws it.
    done = client.post(page_of(accepted, "/withdraw"), data={"confirm": "1"})
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/proposals/{accepted.id}/round")
    (withdrawn,) = commitments_of(db, accepted)
    assert withdrawn.withdrawn_at is not None
    round_page = client.get(done.headers["Location"]).text
    assert "Ditt foreløpige tilsagn til «Tare i Efjorden» er trukket tilbake." in flashes(
        round_page
    )
    assert "Du trakk tilbake tilsagnet ditt på 250\u00a0000\u00a0kr" in round_page
    assert f'href="{page_of(accepted)}">Registrer et foreløpig tilsagn</a>' in round_page
    # The form still holds it; registering again brings the same row back.
    page = client.get(page_of(accepted)).text
    assert "Du trakk tilbake tilsagnet ditt" in page
    assert value_of(page, "amount") == "250\u00a0000"
    assert "Styreplass</textarea>" in page
    client.post(page_of(accepted), data={"amount": "250000", "conditions": "Styreplass"})
    (again,) = commitments_of(db, accepted)
    assert again.id == withdrawn.id
    assert again.is_active


def test_withdrawing_the_lead_warns_first(
    client: Any, login_as: Any, accepted: Any, db: Any
) -> None:
    me = login_as("investor", locale="en")
    made = services.commit(accepted, me, amount=250_000, would_lead=True)
    made.round.lead_id = me.id
    db.session.commit()
    first = client.post(page_of(accepted, "/withdraw"))
    assert "You are the round&#39;s lead investor." in first.text
    client.post(page_of(accepted, "/withdraw"), data={"confirm": "1"})
    assert reload(made.round).lead_id is None


def test_nothing_to_withdraw_goes_back_with_a_word(
    client: Any, login_as: Any, accepted: Any, db: Any
) -> None:
    login_as("investor", locale="en")
    services.start_round(accepted, None)
    db.session.commit()
    response = client.post(page_of(accepted, "/withdraw"), follow_redirects=True)
    assert "You have no soft commitment to withdraw in this round." in response.text


def test_a_closed_round_takes_no_commitments_and_keeps_them(
    client: Any, login_as: Any, accepted: Any, db: Any
) -> None:
    me = login_as("investor", locale="en")
    services.commit(accepted, me, amount=200_000)
    db.session.commit()
    close(db, accepted)
    page = client.get(page_of(accepted))
    assert page.status_code == 200
    assert (
        "The round has closed: soft commitments can no longer be registered or changed."
        in page.text
    )
    assert 'name="amount"' not in page.text
    # Posting anyway changes nothing and opens no new round.
    response = client.post(page_of(accepted), data={"amount": "300000"}, follow_redirects=True)
    assert "The round has closed" in flashes(response.text)
    rounds = db.session.scalar(select(func.count(Round.id)).where(Round.proposal_id == accepted.id))
    assert rounds == 1
    # Nor can it be withdrawn: the service says why, without asking first.
    response = client.post(page_of(accepted, "/withdraw"), follow_redirects=True)
    assert "The round has closed: its commitments can no longer change." in flashes(response.text)
    (kept,) = commitments_of(db, accepted)
    assert (kept.amount, kept.is_active) == (200_000, True)
    round_page = client.get(f"/proposals/{accepted.id}/round").text
    assert "The round has closed: your commitment can no longer change." in round_page
    assert page_of(accepted, "/withdraw") not in round_page


@pytest.mark.parametrize(("status", "label"), [("submitted", "Submitted"), ("funded", "Funded")])
def test_a_proposal_that_takes_no_commitments_says_why(
    client: Any, login_as: Any, make_proposal: Any, db: Any, status: str, label: str
) -> None:
    login_as("investor", locale="en")
    proposal = make_proposal(status=status, title="Sild")
    page = client.get(page_of(proposal))
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Soft commitments can be registered while a proposal is accepted for Springbrett" in text
    assert f"“Sild” is now “{label}”." in text
    assert 'name="amount"' not in text
    response = client.post(page_of(proposal), data={"amount": "500000"})
    assert response.status_code == 302
    assert commitments_of(db, proposal) == []


def test_founders_organisers_and_pending_investors_are_refused(
    client: Any, login_as: Any, accepted: Any, db: Any
) -> None:
    for role in ("pending_investor", "organiser", "entrepreneur"):
        login_as(role)
        assert client.get(page_of(accepted)).status_code == 403
        assert client.post(page_of(accepted), data={"amount": "500000"}).status_code == 403
        assert client.post(page_of(accepted, "/withdraw"), data={"confirm": "1"}).status_code == 403
    # The founder of the proposal too: a founder does not commit to their own company.
    with client.session_transaction() as session:
        session["_user_id"] = reload(accepted).company.owner.get_id()
        session["_fresh"] = True
    assert client.get(page_of(accepted)).status_code == 403
    assert commitments_of(db, accepted) == []


# The portfolio -------------------------------------------------------------------------


def test_the_portfolio_lists_commitments_and_investments_with_their_sums(
    client: Any, login_as: Any, make_proposal: Any, make_user: Any, db: Any
) -> None:
    me = login_as("investor", locale="en")
    someone = make_user("investor", approved=True)
    open_one = make_proposal(status="pitched", title="Tare", ask=2_000_000, min_ticket=100_000)
    second = make_proposal(status="in_dialogue", title="Sild", ask=2_000_000, min_ticket=100_000)
    left = make_proposal(status="accepted", title="Vind", ask=2_000_000, min_ticket=100_000)
    funded = make_proposal(status="accepted", title="Laks", ask=3_000_000, min_ticket=100_000)
    failed = make_proposal(status="accepted", title="Kveite", ask=2_000_000, min_ticket=100_000)
    services.commit(open_one, me, amount=400_000, would_lead=True)
    services.commit(second, me, amount=150_000, named_to_founder=True)
    services.withdraw(services.commit(left, me, amount=900_000))
    services.commit(funded, me, amount=500_000)
    services.commit(funded, someone, amount=700_000)
    services.commit(failed, me, amount=300_000)
    services.commit(open_one, someone, amount=800_000)
    db.session.commit()
    round_ = close(db, funded, RoundState.FUNDED)
    round_.investments.extend(
        [
            Investment(investor_id=me.id, amount=600_000, position=0),
            Investment(investor_id=someone.id, amount=700_000, position=1),
            Investment(outside_name="Innovasjon Norge", amount=1_000_000, position=2),
        ]
    )
    funded.status = Status.FUNDED
    db.session.commit()
    close(db, failed)

    page = client.get("/investor/portfolio").text
    text = html.unescape(page)
    # Commitments: the two active in open rounds count; withdrawn and closed ones are marked.
    assert "Commitments in open rounds: 2, in all 550\u00a0000\u00a0kr." in text
    for proposal in (open_one, second, left, funded, failed):
        assert f'<a href="/proposals/{proposal.id}/round">{proposal.title}</a>' in page
    assert re.search(r"Vind</a></th>.*?Withdrawn ", text, re.S)
    assert re.search(r"Laks</a></th>.*?Funded", text, re.S)
    assert re.search(r"Kveite</a></th>.*?Closed without funding", text, re.S)
    assert "800\u00a0000" not in text  # someone else's
    # Investments from the funded round: the investor's own, with date and instrument.
    assert "Invested in funded rounds: 1, in all 600\u00a0000\u00a0kr." in text
    assert re.search(
        r"Laks</a></th>\s*<td[^>]*>600\u00a0000\u00a0kr</td>\s*<td[^>]*>Monday 2 November 2026</td>\s*<td[^>]*>Equity</td>",
        text,
    )
    assert "Innovasjon Norge" not in text
    assert "700\u00a0000" not in text
    # The same sums on the home page, linking to the portfolio.
    home = html.unescape(client.get("/").text)
    assert "Your soft commitments in open rounds: 2, in all 550\u00a0000\u00a0kr." in home
    assert 'href="/investor/portfolio">See your portfolio' in home


def test_the_portfolio_dates_a_closed_round_by_its_outcome_and_an_open_one_by_its_plan(
    client: Any, login_as: Any, make_proposal: Any, db: Any
) -> None:
    """A funded round shows the day it was funded and what the investor put in,
    a round closed without funding the day it closed, an open round its
    planned closing date, said to be planned (never a funded round's plan)."""
    me = login_as("investor", locale="en")
    funded = make_proposal(status="accepted", title="Laks", ask=3_000_000, min_ticket=100_000)
    failed = make_proposal(status="accepted", title="Kveite", ask=2_000_000, min_ticket=100_000)
    planned = make_proposal(status="pitched", title="Tare", ask=2_000_000, min_ticket=100_000)
    undated = make_proposal(status="pitched", title="Sild", ask=2_000_000, min_ticket=100_000)
    for proposal in (funded, failed, planned, undated):
        services.commit(proposal, me, amount=500_000)
    db.session.commit()
    for proposal, closes_on in ((funded, date(2026, 12, 20)), (failed, date(2026, 12, 21))):
        services.open_round(proposal).closes_on = closes_on
    services.open_round(planned).closes_on = date(2027, 3, 15)
    db.session.commit()
    round_ = close(db, funded, RoundState.FUNDED)  # funded on 2 November 2026
    round_.investments.append(Investment(investor_id=me.id, amount=450_000, position=0))
    funded.status = Status.FUNDED
    db.session.commit()
    failed_round = close(db, failed)
    failed_round.closed_at = datetime(2026, 11, 9, 23, 30, tzinfo=UTC)  # 10 November in Oslo
    db.session.commit()

    text = html.unescape(client.get("/investor/portfolio").text)

    def cells(title: str) -> list[str]:
        found = re.search(rf"{title}</a></th>(.*?)</tr>", text, re.S)
        assert found, title
        return [
            re.sub(r"<[^>]+>", " ", c).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", found.group(1), re.S)
        ]

    assert cells("Laks")[-2:] == ["Funded Monday 2 November 2026", "450\u00a0000\u00a0kr"]
    assert cells("Kveite")[-2:] == ["Closed Tuesday 10 November 2026", "—"]
    assert cells("Tare")[-2:] == ["Planned for Monday 15 March 2027", "—"]
    assert cells("Sild")[-2:] == ["No closing date set", "—"]
    assert "20 December 2026" not in text
    assert "21 December 2026" not in text


def test_a_proposal_hidden_since_is_listed_without_a_link(
    client: Any, login_as: Any, make_proposal: Any, db: Any
) -> None:
    me = login_as("investor", locale="en")
    proposal = make_proposal(status="accepted", title="Stengt", min_ticket=100_000)
    services.commit(proposal, me, amount=100_000)
    db.session.commit()
    close(db, proposal)
    proposal.status = Status.CLOSED
    db.session.commit()
    page = client.get("/investor/portfolio").text
    assert '<th scope="row">Stengt</th>' in page
    assert f"/proposals/{proposal.id}/round" not in page


def test_an_empty_portfolio_and_a_pending_investor_s_explanation(
    client: Any, login_as: Any, db: Any
) -> None:
    login_as("investor", locale="en")
    page = html.unescape(client.get("/investor/portfolio").text)
    assert "You have not registered any soft commitments yet." in page
    assert "No investments yet." in page
    assert "You have no soft commitments in open rounds." in html.unescape(client.get("/").text)
    login_as("pending_investor")
    response = client.get("/investor/portfolio")
    assert response.status_code == 200
    assert "Du kan registrere foreløpige tilsagn når BAN Ofoten har godkjent" in response.text
    assert "<table" not in response.text


# Entry points --------------------------------------------------------------------------


def test_the_menu_offers_the_portfolio_to_investors_only(client: Any, login_as: Any) -> None:
    for role, shown in (
        ("investor", True),
        ("pending_investor", True),
        ("entrepreneur", False),
        ("organiser", False),
    ):
        login_as(role)
        page = client.get("/").text
        assert ('href="/investor/portfolio">Portefølje</a>' in page) is shown, role


def test_matches_and_the_proposal_page_offer_to_register_or_change(
    client: Any, login_as: Any, make_proposal: Any, db: Any
) -> None:
    from tests.matches.test_views import add_profile, add_score

    me = login_as("investor", locale="en")
    add_profile(db, me)
    takes = make_proposal(status="pitched", title="Tare", min_ticket=100_000)
    too_early = make_proposal(status="submitted", title="Sild")
    closed = make_proposal(status="accepted", title="Vind", min_ticket=100_000)
    close(db, closed)
    for proposal, score in ((takes, 0.9), (too_early, 0.8), (closed, 0.7)):
        add_score(db, me, proposal, score)
    page = client.get("/matches/").text
    assert f'href="{page_of(takes)}">Register a soft commitment' in page
    assert page_of(too_early) not in page
    assert page_of(closed) not in page
    detail = client.get(f"/proposals/{takes.id}").text
    assert f'href="{page_of(takes)}">Register a soft commitment</a>' in detail
    assert page_of(too_early) not in client.get(f"/proposals/{too_early.id}").text
    services.commit(takes, me, amount=100_000)
    db.session.commit()
    page = client.get("/matches/").text
    assert f'href="{page_of(takes)}">Change your commitment' in page
    detail = client.get(f"/proposals/{takes.id}").text
    assert f'href="{page_of(takes)}">Change your commitment</a>' in detail


def test_a_wanted_follow_up_offers_a_commitment(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None, db: Any
) -> None:
    from datetime import UTC, datetime, timedelta

    from tests.events.agenda_factories import scene

    me = login_as("investor", locale="en", name="Ida Konto")
    starts = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    s = scene(make_user, make_proposal, starts_at=starts, ida=me)
    tare, sild = s.meetings[("Ida", "Tare")], s.meetings[("Ida", "Sild")]
    for meeting, outcome in ((tare, "follow_up"), (sild, "no_follow_up")):
        client.post(
            f"/events/{s.event.id}/meetings/{meeting.id}/outcome",
            data={f"m{meeting.id}-outcome": outcome},
        )
    page = client.get(f"/events/{s.event.id}/outcomes").text
    assert f'href="{page_of(s.proposals["Tare"])}">Register a soft commitment' in page
    assert page_of(s.proposals["Sild"]) not in page
