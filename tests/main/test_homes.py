"""Each person's home at ``/``: the founder's and the investor's (the marketing
page stays for visitors), the lifecycle bar, and where people land after login."""

from __future__ import annotations

import html as html_lib
import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from matchmaking.dates import day, when
from matchmaking.events.models import EventCandidate, InvitationStatus
from matchmaking.extensions import utcnow
from matchmaking.introductions.models import Introduction, IntroductionStatus
from matchmaking.investors.models import InvestorProfile
from matchmaking.matches.models import MatchChoice, MatchScore, NotInterestedReason
from matchmaking.matches.stats import founder_stats
from matchmaking.proposals.models import ProposalEvent, Status
from matchmaking.proposals.progress import StepState, steps
from tests.conftest import PASSWORD, reload
from tests.events.factories import new_event
from tests.events.meeting_factories import ask, publish_lineup, sign_up

MARKETING = "Tidligfasekapital for Narvik og Ofoten"


def text_of(html: str) -> str:
    """The page's text, tags removed and spaces collapsed (as a reader sees it)."""
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", text).replace(" .", ".")


def home(client: Any) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return text_of(response.get_data(as_text=True))


# Who sees what at / ---------------------------------------------------------


def test_visitors_see_the_marketing_page(client: Any, login_as: Any) -> None:
    # Organisers have their own home (tests/main/test_organiser_home.py).
    login_as("anonymous")
    assert MARKETING in home(client)


def test_a_founder_sees_their_home_not_the_marketing_page(
    client: Any, login_as: Any, make_proposal: Any
) -> None:
    founder = login_as("entrepreneur", name="Kari Gründer")
    make_proposal(founder, status="submitted", title="Tareforedling")
    page = home(client)
    assert MARKETING not in page
    assert "Velkommen, Kari Gründer" in page
    assert "Dine forslag" in page
    assert "Tareforedling" in page


def test_a_founder_without_a_company_is_told_to_register_it(client: Any, login_as: Any) -> None:
    login_as("entrepreneur", locale="en")
    page = home(client)
    assert "Register your company" in page


# The founder's next step, for each state -------------------------------------


def _founder(login_as: Any) -> Any:
    return login_as("entrepreneur", locale="en")


@pytest.mark.parametrize(
    ("status", "values", "expected"),
    [
        (
            "draft",
            {},
            "Before you submit, add a pitch deck (PDF), the company's organisation "
            "number (needed past the idea stage).",
        ),
        ("draft", {"deck_file": "deck.pdf", "stage": "idea"}, "submit it to BAN Ofoten."),
        (
            "changes_requested",
            {"deck_file": "deck.pdf", "stage": "idea", "use_of_funds": ""},
            "Before you submit, add the use of funds.",
        ),
        (
            "changes_requested",
            {"deck_file": "deck.pdf", "stage": "idea"},
            "Make the changes the organisers asked for, then submit again.",
        ),
        ("submitted", {}, "The organisers are screening your proposal."),
        ("resubmitted", {}, "The organisers are screening your proposal."),
        ("in_screening", {}, "The organisers are screening your proposal."),
        ("accepted", {}, "You can apply to pitch when the next Springbrett session is announced."),
        ("pitched", {}, "Investors can follow up your proposal"),
        ("in_dialogue", {}, "You are in dialogue with investors."),
        ("funded", {}, "Funded. Congratulations: nothing more to do here."),
        ("declined", {}, "The organisers declined this proposal; the reason is on its page."),
        ("withdrawn", {}, "You withdrew this proposal. You can write a new one."),
        ("closed", {}, "This proposal is closed."),
    ],
)
def test_each_state_has_its_next_step_in_words(
    client: Any,
    login_as: Any,
    make_proposal: Any,
    status: str,
    values: dict[str, Any],
    expected: str,
) -> None:
    founder = _founder(login_as)
    make_proposal(founder, status=status, title="Tareforedling", **values)
    page = home(client)
    assert "Next step" in page
    assert expected in page


def test_in_dialogue_the_next_step_is_the_funding_round(
    client: Any, db: Any, login_as: Any, make_proposal: Any
) -> None:
    from matchmaking.rounds import services as rounds

    founder = _founder(login_as)
    proposal = make_proposal(founder, status="in_dialogue", title="Tareforedling")
    page = home(client)
    assert "Open a funding round to gather soft commitments" in page
    assert f'href="/proposals/{proposal.id}/round/new"' in client.get("/").text
    rounds.start_round(proposal, None)
    db.session.commit()
    page = home(client)
    assert "your funding round is open" in page
    assert f'href="/proposals/{proposal.id}/round"' in client.get("/").text


def test_an_accepted_proposal_is_offered_the_next_session_with_the_apply_button(
    client: Any, db: Any, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    founder = _founder(login_as)
    proposal = make_proposal(founder, status="accepted", title="Tareforedling")
    organiser = make_user("organiser")
    new_event(organiser, published=False, title="Draft session")
    event = new_event(organiser, title="Springbrett Narvik")
    response = client.get("/")
    html = response.get_data(as_text=True)
    with client.application.test_request_context(headers={"Accept-Language": "en"}):
        expected = f"Apply to pitch at Springbrett {day(event.starts_at, 'en')}."
    assert expected in text_of(html)
    assert f'action="/events/{event.id}/apply"' in html
    assert f'name="proposal" value="{proposal.id}"' in html

    # The button applies; the next step then says so.
    answer = client.post(f"/events/{event.id}/apply", data={"proposal": str(proposal.id)})
    assert answer.status_code == 302
    assert db.session.scalar(
        select(EventCandidate).where(
            EventCandidate.event_id == event.id, EventCandidate.proposal_id == proposal.id
        )
    )
    page = home(client)
    assert "You have applied to pitch at Springbrett Narvik" in page
    assert "Apply to pitch at Springbrett" not in page


def test_an_invitation_is_the_next_step_with_its_reply_deadline(
    client: Any, db: Any, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    founder = _founder(login_as)
    proposal = make_proposal(founder, status="accepted", title="Tareforedling")
    deadline = (utcnow() + timedelta(days=7)).replace(second=0, microsecond=0)
    event = new_event(make_user("organiser"), title="Springbrett Narvik", reply_by=deadline)
    publish_lineup(event, proposal)
    page = home(client)
    assert (
        f"Answer the invitation to pitch at Springbrett Narvik before {when(deadline, 'en')}."
        in page
    )
    assert f'href="/events/{event.id}#lineup-heading"' in client.get("/").get_data(as_text=True)

    candidate = db.session.scalar(select(EventCandidate))
    candidate.invitation = InvitationStatus.ACCEPTED
    db.session.commit()
    page = home(client)
    assert f"You pitch at Springbrett Narvik on {when(event.starts_at, 'en')}." in page
    assert "Choose whom to meet" in page


def test_after_the_reply_deadline_the_founder_is_told_it_passed_and_may_still_answer(
    client: Any, db: Any, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    """Answers are taken until the session starts (lineup.services.answer), so
    past the deadline the home and the session page say it has passed and
    that answering is still possible, never "answer before" a time gone by."""
    founder = _founder(login_as)
    proposal = make_proposal(founder, status="accepted", title="Tareforedling")
    deadline = (utcnow() - timedelta(hours=3)).replace(second=0, microsecond=0)
    event = new_event(make_user("organiser"), title="Springbrett Narvik", reply_by=deadline)
    publish_lineup(event, proposal)

    page = home(client)
    assert "Answer the invitation to pitch at Springbrett Narvik before" not in page
    assert (
        f"The reply deadline for the invitation to pitch at Springbrett Narvik, "
        f"{when(deadline, 'en')}, has passed. You can still answer until the session starts:"
        " answer now, so the organisers can plan." in page
    )
    session = text_of(client.get(f"/events/{event.id}").get_data(as_text=True))
    assert f"The reply deadline, {when(deadline, 'en')}, has passed." in session
    assert "You can still answer until the session starts" in session
    assert "Please answer by" not in session

    # And it is true: the answer is still taken.
    candidate = db.session.scalar(select(EventCandidate))
    response = client.post(f"/events/{event.id}/invitation/{candidate.id}/accept")
    assert response.status_code == 302
    assert reload(candidate).invitation is InvitationStatus.ACCEPTED
    assert f"You pitch at Springbrett Narvik on {when(event.starts_at, 'en')}." in home(client)


def test_the_passed_deadline_in_norwegian(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    founder = login_as("entrepreneur")
    proposal = make_proposal(founder, status="accepted", title="Tareforedling")
    deadline = (utcnow() - timedelta(hours=3)).replace(second=0, microsecond=0)
    event = new_event(make_user("organiser"), title="Springbrett Narvik", reply_by=deadline)
    publish_lineup(event, proposal)
    page = home(client)
    assert (
        f"Svarfristen for invitasjonen til å pitche på Springbrett Narvik, {when(deadline, 'nb')}, er passert."
        in page
    )
    session = text_of(client.get(f"/events/{event.id}").get_data(as_text=True))
    assert f"Svarfristen, {when(deadline, 'nb')}, er passert." in session


def test_pending_introductions_come_first_with_their_link(
    client: Any, db: Any, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    founder = _founder(login_as)
    proposal = make_proposal(founder, status="accepted", title="Tareforedling")
    for n, status in enumerate(
        [IntroductionStatus.REQUESTED, IntroductionStatus.REQUESTED, IntroductionStatus.DECLINED]
    ):
        investor = make_user("investor", approved=True, name=f"Investor {n}")
        db.session.add(
            Introduction(investor_id=investor.id, proposal_id=proposal.id, status=status)
        )
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    page = text_of(html)
    assert "Introductions awaiting your answer 2" in page
    assert "Investors waiting for your answer to an introduction: 2." in page
    assert "Investor 0 asks to meet you about “Tareforedling”" in page
    assert "Investor 2" not in page
    assert 'href="/introductions/"' in html


def test_interest_counts_are_the_founders_figures(
    client: Any, db: Any, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    founder = _founder(login_as)
    proposal = make_proposal(founder, status="submitted", title="Tareforedling")
    investors = [make_user("investor", approved=True) for _ in range(4)]
    for i, investor in enumerate(investors):
        db.session.add(
            MatchScore(investor_id=investor.id, proposal_id=proposal.id, score=5 - i, reasons="{}")
        )
    db.session.add(MatchChoice(investor_id=investors[0].id, proposal_id=proposal.id, saved=True))
    db.session.add(
        MatchChoice(
            investor_id=investors[1].id,
            proposal_id=proposal.id,
            not_interested=True,
            reason=NotInterestedReason.STAGE,
        )
    )
    db.session.commit()
    stats = founder_stats(proposal)
    assert (stats.in_top_matches, stats.saved, stats.not_interested) == (3, 1, 1)
    page = home(client)
    assert "Among the best matches of 3 investors · saved by 1 · “not interested”: 1" in page


def test_drafts_show_no_interest_figures(client: Any, login_as: Any, make_proposal: Any) -> None:
    make_proposal(_founder(login_as), status="draft")
    assert "Among the best matches" not in home(client)


# The lifecycle bar ------------------------------------------------------------


def _history(proposal: Any, *moves: tuple[str | None, str]) -> None:
    from matchmaking.extensions import db

    for n, (before, after) in enumerate(moves):
        db.session.add(
            ProposalEvent(
                proposal_id=proposal.id,
                from_status=Status(before) if before else None,
                to_status=Status(after),
                at=utcnow() + timedelta(seconds=n),
            )
        )
    db.session.commit()
    db.session.refresh(proposal)


def test_the_bar_marks_the_current_step_and_the_steps_done(make_proposal: Any) -> None:
    proposal = make_proposal(status="accepted")
    _history(
        proposal,
        (None, "draft"),
        ("draft", "submitted"),
        ("submitted", "in_screening"),
        ("in_screening", "accepted"),
    )
    states = [(s.status.value, s.state) for s in steps(proposal)]
    assert states == [
        ("draft", StepState.DONE),
        ("submitted", StepState.DONE),
        ("in_screening", StepState.DONE),
        ("accepted", StepState.CURRENT),
        ("pitched", StepState.TODO),
        ("in_dialogue", StepState.TODO),
        ("funded", StepState.TODO),
    ]


def test_a_side_exit_stands_after_the_step_it_left_from(make_proposal: Any) -> None:
    proposal = make_proposal(status="declined")
    _history(
        proposal,
        (None, "draft"),
        ("draft", "submitted"),
        ("submitted", "in_screening"),
        ("in_screening", "declined"),
    )
    states = [(s.status.value, s.state) for s in steps(proposal)]
    assert states[2:5] == [
        ("in_screening", StepState.DONE),
        ("declined", StepState.EXIT),
        ("accepted", StepState.TODO),
    ]
    assert sum(s.is_current for s in steps(proposal)) == 1


def test_steps_jumped_over_are_shown_as_skipped(make_proposal: Any) -> None:
    proposal = make_proposal(status="in_dialogue")
    _history(proposal, (None, "draft"), ("draft", "submitted"), ("submitted", "in_dialogue"))
    states = {s.status.value: s.state for s in steps(proposal)}
    assert states["in_screening"] is StepState.SKIPPED
    assert states["accepted"] is StepState.SKIPPED
    assert states["in_dialogue"] is StepState.CURRENT


def test_the_proposal_page_shows_the_bar_on_top_and_the_timeline_folded(
    client: Any, login_as: Any, make_proposal: Any
) -> None:
    founder = login_as("entrepreneur")
    proposal = make_proposal(founder, status="changes_requested")
    _history(proposal, (None, "draft"), ("draft", "submitted"), ("submitted", "changes_requested"))
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    bar = html[
        html.index('<ol class="lifecycle"') : html.index(
            "</ol>", html.index('<ol class="lifecycle"')
        )
    ]
    assert html.index('<ol class="lifecycle"') < html.index('id="teaser-heading"')
    current = re.findall(r'<li class="lifecycle-step lifecycle-(\w+)" aria-current="step">', bar)
    assert current == ["exit"]
    assert "Endringer etterspurt" in bar
    assert "status-badge" not in html.split("<h1>", 1)[1].split("</p>", 1)[0]
    assert "<details" in html
    assert "Vis hvert steg, med datoer og kommentarer" in html


# The investor's home ---------------------------------------------------------


def _score(db: Any, investor: Any, proposal: Any, value: float, seen: Any = None) -> None:
    db.session.add(
        MatchScore(
            investor_id=investor.id,
            proposal_id=proposal.id,
            score=value,
            reasons="{}",
            first_seen_at=seen or utcnow(),
        )
    )
    db.session.commit()


def _new_count(page: str) -> int:
    found = re.search(r"New since your last visit: (\d+)\.", page)
    if found:
        return int(found.group(1))
    assert "No new matches since your last visit." in page
    return 0


def test_new_matches_count_what_the_matches_page_lists_and_reset_after_a_visit(
    client: Any, db: Any, login_as: Any, make_proposal: Any
) -> None:
    investor = login_as("investor", locale="en")
    a = make_proposal(status="submitted", title="Alfa")
    b = make_proposal(status="accepted", title="Beta")
    hidden = make_proposal(status="withdrawn", title="Gamma")
    turned_down = make_proposal(status="submitted", title="Delta")
    for proposal, value in ((a, 3.0), (b, 4.0), (hidden, 5.0), (turned_down, 2.0)):
        _score(db, investor, proposal, value)
    db.session.add(
        MatchChoice(investor_id=investor.id, proposal_id=turned_down.id, not_interested=True)
    )
    db.session.commit()

    page = home(client)
    assert _new_count(page) == 2
    assert page.index("Beta") < page.index("Alfa")  # best first
    assert "Gamma" not in page
    assert "Delta" not in page

    assert client.get("/matches/").status_code == 200
    seen_at = reload(investor).matches_seen_at
    assert seen_at is not None
    assert _new_count(home(client)) == 0

    later = make_proposal(status="submitted", title="Epsilon")
    _score(db, investor, later, 1.0, seen=seen_at + timedelta(seconds=1))
    listed_since = db.session.scalar(
        select(func.count())
        .select_from(MatchScore)
        .where(MatchScore.investor_id == investor.id, MatchScore.first_seen_at > seen_at)
    )
    assert listed_since == 1
    assert _new_count(home(client)) == 1


def test_sessions_show_the_investors_place_and_open_meeting_choices(
    client: Any, db: Any, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    investor = login_as("investor", locale="en")
    organiser = make_user("organiser")
    signed = new_event(organiser, title="Springbrett Narvik")
    other = new_event(organiser, title="Springbrett Harstad")
    new_event(organiser, title="Not published", published=False)
    full = new_event(organiser, title="Springbrett Evenes", capacity=1)
    sign_up(full, make_user("investor", approved=True))
    one, two = (
        make_proposal(status="accepted", title="En"),
        make_proposal(status="accepted", title="To"),
    )
    publish_lineup(signed, one, two)
    sign_up(signed, investor)
    ask(signed, investor, one)
    ask(signed, investor, two)

    html = client.get("/").get_data(as_text=True)
    page = text_of(html)
    assert "Not published" not in page
    narvik = page[page.index("Springbrett Narvik") : page.index("Springbrett Harstad")]
    assert "You are signed up." in narvik
    assert "Meeting choices are open: you have asked to meet 2 companies." in narvik
    assert f'href="/events/{signed.id}/meetings"' in html
    harstad = page[page.index("Springbrett Harstad") : page.index("Springbrett Evenes")]
    assert "You are not signed up." in harstad
    assert f'action="/events/{other.id}/signup"' in html
    assert "Sorry, this session is full." in page
    assert f'action="/events/{full.id}/signup"' not in html


def test_introductions_and_their_answers(
    client: Any, db: Any, login_as: Any, make_proposal: Any
) -> None:
    investor = login_as("investor", locale="en")
    statuses = [
        IntroductionStatus.REQUESTED,
        IntroductionStatus.ACCEPTED,
        IntroductionStatus.ACCEPTED,
        IntroductionStatus.DECLINED,
    ]
    for n, status in enumerate(statuses):
        proposal = make_proposal(status="submitted", title=f"Forslag {n}")
        db.session.add(
            Introduction(
                investor_id=investor.id,
                proposal_id=proposal.id,
                status=status,
                answer="Gjerne, ring meg." if n == 1 else "",
            )
        )
    db.session.commit()
    page = home(client)
    assert "Awaiting the founder's answer: 1 · accepted: 2 · declined: 1" in page
    assert "Gjerne, ring meg." in page


def test_profile_completeness_names_what_is_missing(client: Any, db: Any, login_as: Any) -> None:
    investor = login_as("investor", locale="en")
    assert "You have not filled in your interest profile yet" in home(client)
    db.session.add(
        InvestorProfile(
            user_id=investor.id, display_name="Ola", ticket_min=100_000, ticket_max=500_000
        )
    )
    db.session.commit()
    page = home(client)
    assert (
        "2 of 7 parts filled in. Missing: your organisation, sectors, stages, "
        "places (regions or municipalities), an investment thesis." in page
    )
    assert 'href="/investor/profile"' in client.get("/").get_data(as_text=True)


def test_a_pending_investor_awaits_approval_and_sees_what_to_do_meanwhile(
    client: Any, login_as: Any
) -> None:
    login_as("pending_investor", locale="en")
    page = home(client)
    assert "Your account awaits approval" in page
    assert "fill in your interest profile" in page
    assert "New matches" not in page


def test_the_investor_home_in_norwegian(client: Any, login_as: Any) -> None:
    login_as("investor")
    page = home(client)
    assert "Nye treff" in page
    assert "Kommende Springbrett-samlinger" in page


# Where people land after login --------------------------------------------------


def _login(client: Any, email: str, query: str = "") -> Any:
    return client.post(f"/auth/login{query}", data={"email": email, "password": PASSWORD})


def test_after_login_founders_land_on_their_home(client: Any, make_user: Any) -> None:
    make_user("entrepreneur", email="kari@example.no", name="Kari")
    response = _login(client, "kari@example.no")
    assert response.headers["Location"] == "/"
    assert "Velkommen, Kari" in home(client)


def test_after_login_investors_land_on_their_home(client: Any, make_user: Any) -> None:
    make_user("investor", approved=True, email="ola@example.no")
    assert _login(client, "ola@example.no").headers["Location"] == "/"
    assert "Nye treff" in home(client)


@pytest.mark.parametrize(
    "target", ["/\\evil.example/", "/\t/evil.example/", "//evil.example/", "https://evil.example/"]
)
def test_login_does_not_follow_a_next_that_leaves_the_site(
    client: Any, make_user: Any, target: str
) -> None:
    make_user("entrepreneur", email="kari@example.no")
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": "kari@example.no", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_a_logged_in_person_at_the_login_page_goes_to_next(client: Any, login_as: Any) -> None:
    login_as("entrepreneur")
    assert client.get("/auth/login?next=/proposals/").headers["Location"] == "/proposals/"
    assert client.get("/auth/login").headers["Location"] == "/"


def test_the_apply_step_in_norwegian_names_the_session_day(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any
) -> None:
    founder = login_as("entrepreneur")
    make_proposal(founder, status="accepted")
    event = new_event(make_user("organiser"))
    page = home(client)
    assert f"Søk om å pitche på Springbrett {day(event.starts_at, 'nb')}." in page
    assert "Neste steg" in page
