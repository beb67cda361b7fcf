"""The matches page: stored scores in order, filters, search, paging, save and "not interested"."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import delete, select

from matchmaking.accounts.models import User
from matchmaking.investors.models import InvestorProfile
from matchmaking.matches.models import MatchChoice, MatchScore, NotInterestedReason
from matchmaking.reference.models import Region, Sector, Subproject
from tests.browser.fixtures import check_accessibility

REASONS = {"sector": 0.25, "ticket": 0.15, "geography": 0.15, "subproject": 0.1, "text": 0.05}


def add_score(db: Any, investor: User, proposal: Any, score: float, **reasons: float) -> None:
    db.session.add(
        MatchScore(
            investor_id=investor.id,
            proposal_id=proposal.id,
            score=score,
            reasons=json.dumps(reasons or REASONS),
        )
    )
    db.session.commit()


def add_profile(db: Any, investor: User) -> InvestorProfile:
    profile = InvestorProfile(
        user_id=investor.id,
        display_name=investor.name,
        ticket_min=500_000,
        ticket_max=3_000_000,
        thesis="Havbruk og tare i Ofoten",
    )
    profile.sectors = [db.session.scalar(select(Sector).where(Sector.slug == "marine"))]
    profile.regions = [db.session.scalar(select(Region).where(Region.slug == "ofoten"))]
    profile.subprojects = [
        db.session.scalar(select(Subproject).where(Subproject.slug == "marin-kartlegging"))
    ]
    db.session.add(profile)
    db.session.commit()
    return profile


def titles(response: Any) -> list[str]:
    """The match titles in the order the page lists them."""
    html = response.get_data(as_text=True)
    return re.findall(r'<h2 class="h5 card-title" id="match-\d+-title"><a [^>]*>([^<]+)</a>', html)


@pytest.fixture
def investor(login_as: Callable[..., Any]) -> User:
    user: User = login_as("investor")
    return user


@pytest.fixture
def english(login_as: Callable[..., Any]) -> User:
    user: User = login_as("investor", locale="en")
    return user


def test_ordered_by_stored_score_ties_by_id(
    client: Any, db: Any, investor: User, make_proposal: Any
) -> None:
    low = make_proposal(title="Lav")
    tie_a = make_proposal(title="Lik A")
    tie_b = make_proposal(title="Lik B")
    top = make_proposal(title="Topp")
    add_score(db, investor, low, 0.30)
    add_score(db, investor, tie_b, 0.50)
    add_score(db, investor, tie_a, 0.50)
    add_score(db, investor, top, 0.82)
    unscored = make_proposal(title="Uten score")
    page = client.get("/matches/")
    assert page.status_code == 200
    order = (
        ["Topp", "Lik A", "Lik B", "Lav"]
        if tie_a.id < tie_b.id
        else ["Topp", "Lik B", "Lik A", "Lav"]
    )
    assert titles(page) == order
    assert unscored.title not in page.get_data(as_text=True)


def test_each_match_shows_facts_score_and_why_in_words(
    client: Any, db: Any, investor: User, make_proposal: Any
) -> None:
    add_profile(db, investor)
    proposal = make_proposal(title="Tareforedling", ask=1_250_000, teaser="Tare til fôr og mat.")
    add_score(db, investor, proposal, 0.82, sector=0.25, ticket=0.15, geography=0.15, stage=0.0)
    html = client.get("/matches/").get_data(as_text=True)
    assert f'href="/proposals/{proposal.id}"' in html
    assert "Tare til fôr og mat." in html
    assert "1\u00a0250\u00a0000\u00a0kr" in html
    assert "Havbruk og marin næring" in html
    assert "Narvik" in html
    assert 'value="82"' in html
    assert "82 %" in html
    assert "Bransje: Havbruk og marin næring – en av dine bransjer" in html
    assert "Kapitalbehov 1\u00a0250\u00a0000\u00a0kr – innenfor ditt spenn" in html
    assert "Kommune: Narvik – i Ofoten, en region du følger" in html
    assert html.index("Bransje: Havbruk") < html.index("Kapitalbehov 1") < html.index("Kommune: N")
    assert "Fase:" not in html  # a reason that did not contribute is not told
    assert f'href="/matches/{proposal.id}/introduction"' in html
    assert f'action="/matches/{proposal.id}/save"' in html
    assert f'href="/matches/{proposal.id}/not-interested?next=/matches/"' in html


def test_why_in_english(client: Any, db: Any, english: User, make_proposal: Any) -> None:
    add_profile(db, english)
    proposal = make_proposal(title="Tareforedling")
    add_score(db, english, proposal, 0.5, subproject=0.1, text=0.2)
    html = client.get("/matches/").get_data(as_text=True)
    assert "The text is similar to your investment thesis" in html
    assert "Sub-project: Marine mapping – one you follow" in html


@pytest.mark.parametrize("status", ["draft", "withdrawn", "declined", "closed"])
def test_hidden_statuses_never_show(
    client: Any, db: Any, investor: User, make_proposal: Any, status: str
) -> None:
    shown = make_proposal(title="Synlig")
    hidden = make_proposal(title="Skjult", status=status)
    add_score(db, investor, shown, 0.4)
    add_score(db, investor, hidden, 0.9)
    assert titles(client.get("/matches/")) == ["Synlig"]


def test_only_the_investors_own_scores(
    client: Any, db: Any, investor: User, make_user: Any, make_proposal: Any
) -> None:
    other = make_user("investor", approved=True)
    mine, theirs = make_proposal(title="Min"), make_proposal(title="Deres")
    add_score(db, investor, mine, 0.4)
    add_score(db, other, theirs, 0.9)
    assert titles(client.get("/matches/")) == ["Min"]


def test_filters_keep_score_order(client: Any, db: Any, investor: User, make_proposal: Any) -> None:
    rows = [
        ("Havbruk lav", "marine", "seed", "narvik", 1_000_000, 0.3),
        ("Reiseliv", "tourism", "seed", "narvik", 1_000_000, 0.9),
        ("Havbruk høy", "marine", "seed", "narvik", 2_000_000, 0.8),
        ("Havbruk Harstad", "marine", "growth", "harstad", 5_000_000, 0.7),
    ]
    for title, sector, stage, municipality, ask, score in rows:
        owner = None
        proposal = make_proposal(
            owner,
            title=title,
            sector=sector,
            stage=stage,
            municipality=municipality,
            ask=ask,
            min_ticket=min(ask, 250_000),
        )
        add_score(db, investor, proposal, score)
    assert titles(client.get("/matches/?sector=marine")) == [
        "Havbruk høy",
        "Havbruk Harstad",
        "Havbruk lav",
    ]
    assert titles(client.get("/matches/?sector=marine&stage=seed")) == [
        "Havbruk høy",
        "Havbruk lav",
    ]
    assert titles(client.get("/matches/?municipality=harstad")) == ["Havbruk Harstad"]
    assert titles(client.get("/matches/?ask_from=1+500+000&ask_to=2.000.000")) == ["Havbruk høy"]
    assert titles(client.get("/matches/?ask_from=2000000")) == ["Havbruk høy", "Havbruk Harstad"]
    assert titles(client.get("/matches/?subproject=stedsutvikling")) == []
    html = client.get("/matches/?subproject=stedsutvikling").get_data(as_text=True)
    assert "Ingen treff med disse filtrene." in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("ask_from=3000000&ask_to=1000000", "ask_to", "«Til» må være minst «fra»."),
        ("ask_from=mange", "ask_from", "Skriv hele kroner"),
        ("ask_to=1,5", "ask_to", "Skriv hele kroner"),
        ("sector=no-such-sector", "sector", "Velg en fra listen."),
    ],
)
def test_bad_filter_input_gets_a_message_beside_the_field(
    client: Any, db: Any, investor: User, make_proposal: Any, query: str, field: str, message: str
) -> None:
    proposal = make_proposal(title="Fortsatt her")
    add_score(db, investor, proposal, 0.5)
    response = client.get(f"/matches/?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in html
    error = html[html.index(f'id="{field}-error"') :]
    assert message in error[: error.index("</div>")]
    assert 'aria-invalid="true"' in html
    assert titles(response) == ["Fortsatt her"]  # the rest of the page still works


def test_search_in_both_languages(client: Any, db: Any, login_as: Any, make_proposal: Any) -> None:
    tare = make_proposal(title="Tareforedling i Efjorden", teaser="Tare til fôr.")
    fisk = make_proposal(
        title="Fiskeoppdrett",
        teaser="Oppdrett av røye.",
        description="Lakselus er ikke et problem.",
    )
    hotell = make_proposal(title="Hotell i Narvik", teaser="Overnatting for turister.")
    for locale in ("nb", "en"):
        user = login_as("investor", locale=locale)
        for proposal, score in ((tare, 0.5), (fisk, 0.7), (hotell, 0.9)):
            add_score(db, user, proposal, score)
        assert titles(client.get("/matches/?q=tare")) == ["Tareforedling i Efjorden"]
        assert titles(client.get("/matches/?q=lakselus")) == ["Fiskeoppdrett"]  # description
        assert titles(client.get("/matches/?q=røye")) == ["Fiskeoppdrett"]  # a Norwegian letter
        assert titles(client.get("/matches/?q=Narvik+turister")) == ["Hotell i Narvik"]
        assert titles(client.get("/matches/?q=ingenting+her")) == []
        assert titles(client.get('/matches/?q="AND"+OR+*+(')) == []  # no error from the syntax


def test_paging(client: Any, db: Any, investor: User, make_proposal: Any) -> None:
    owner = None
    for i in range(45):
        proposal = make_proposal(owner, title=f"Forslag {i:02d}")
        owner = proposal.company.owner
        add_score(db, investor, proposal, 1 - i / 100)
    first = client.get("/matches/")
    assert titles(first) == [f"Forslag {i:02d}" for i in range(20)]
    html = first.get_data(as_text=True)
    assert "Viser 1–20 av 45 treff" in html
    assert 'aria-label="Sider med treff"' in html
    third = client.get("/matches/?page=3")
    assert titles(third) == [f"Forslag {i:02d}" for i in range(40, 45)]
    assert 'aria-current="page"' in third.get_data(as_text=True)
    assert titles(client.get("/matches/?page=99")) == titles(third)  # past the end: the last
    assert titles(client.get("/matches/?page=x")) == titles(first)
    assert titles(client.get("/matches/?page=-3")) == titles(first)
    assert titles(client.get(f"/matches/?page={10**30}")) == titles(third)


def test_paging_keeps_the_filters(client: Any, db: Any, investor: User, make_proposal: Any) -> None:
    owner = None
    for i in range(25):
        proposal = make_proposal(owner, title=f"Tare {i:02d}", sector="marine")
        owner = proposal.company.owner
        add_score(db, investor, proposal, 1 - i / 100)
    html = client.get("/matches/?sector=marine&q=tare").get_data(as_text=True)
    assert "/matches/?q=tare&amp;sector=marine&amp;page=2" in html


def test_not_interested_removes_it_with_the_reason(
    client: Any, db: Any, investor: User, make_proposal: Any
) -> None:
    keep, drop = make_proposal(title="Beholdes"), make_proposal(title="Fjernes")
    add_score(db, investor, keep, 0.4)
    add_score(db, investor, drop, 0.9)
    form = client.get(f"/matches/{drop.id}/not-interested?next=/matches/?page=1")
    assert form.status_code == 200
    assert "Fjernes" in form.get_data(as_text=True)
    response = client.post(
        f"/matches/{drop.id}/not-interested",
        data={"reason": "ticket", "reason_text": "For stort for meg.", "next": "/matches/?page=1"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/matches/?page=1"
    page = client.get("/matches/")
    assert titles(page) == ["Beholdes"]
    assert "er ikke lenger blant treffene dine" in page.get_data(as_text=True)
    choice = db.session.scalar(select(MatchChoice).where(MatchChoice.proposal_id == drop.id))
    assert choice.not_interested
    assert choice.reason is NotInterestedReason.TICKET
    assert choice.reason_text == "For stort for meg."


def test_not_interested_needs_a_reason_and_words_for_other(
    client: Any, db: Any, investor: User, make_proposal: Any
) -> None:
    proposal = make_proposal(title="Uklart")
    add_score(db, investor, proposal, 0.4)
    missing = client.post(f"/matches/{proposal.id}/not-interested", data={"reason_text": "Nei"})
    assert missing.status_code == 400
    html = missing.get_data(as_text=True)
    assert 'id="reason-error"' in html
    assert "Velg en grunn fra listen." in html
    assert "Nei</textarea>" in html  # what was typed is kept
    other = client.post(f"/matches/{proposal.id}/not-interested", data={"reason": "other"})
    assert other.status_code == 400
    assert 'id="reason_text-error"' in other.get_data(as_text=True)
    assert titles(client.get("/matches/")) == ["Uklart"]


def test_offsite_next_is_not_followed(
    client: Any, db: Any, investor: User, make_proposal: Any
) -> None:
    proposal = make_proposal()
    add_score(db, investor, proposal, 0.4)
    response = client.post(f"/matches/{proposal.id}/save", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/matches/"


def test_save_toggles_and_saved_tab_lists_them(
    client: Any, db: Any, investor: User, make_proposal: Any
) -> None:
    a, b = make_proposal(title="A lagret"), make_proposal(title="B ikke")
    add_score(db, investor, a, 0.4)
    add_score(db, investor, b, 0.9)
    assert titles(client.get("/matches/?tab=saved")) == []
    assert "Du har ikke lagret noen treff ennå." in client.get("/matches/?tab=saved").get_data(
        as_text=True
    )
    response = client.post(f"/matches/{a.id}/save", data={"next": "/matches/?tab=saved"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/matches/?tab=saved"
    page = client.get("/matches/?tab=saved")
    assert titles(page) == ["A lagret"]
    assert "Fjern fra lagrede" in page.get_data(as_text=True)
    assert titles(client.get("/matches/")) == ["B ikke", "A lagret"]  # still in the list
    client.post(f"/matches/{a.id}/save")
    assert titles(client.get("/matches/?tab=saved")) == []


def test_a_saved_proposal_pushed_out_of_the_best_matches_stays_on_the_saved_tab(
    client: Any, db: Any, investor: User, make_proposal: Any
) -> None:
    kept, pushed = make_proposal(title="Fortsatt blant de beste"), make_proposal(title="Skjøvet ut")
    add_score(db, investor, kept, 0.7)
    add_score(db, investor, pushed, 0.3)
    client.post(f"/matches/{kept.id}/save")
    client.post(f"/matches/{pushed.id}/save")
    # A recompute keeps only the best matches: the pushed one loses its stored score.
    db.session.execute(delete(MatchScore).where(MatchScore.proposal_id == pushed.id))
    db.session.commit()
    html = client.get("/matches/?tab=saved").get_data(as_text=True)
    assert titles(client.get("/matches/?tab=saved")) == ["Fortsatt blant de beste"]
    assert "Lagret, ikke lenger blant dine beste treff" in html
    assert "Skjøvet ut" in html
    # It can be removed from there, and then it is gone.
    client.post(f"/matches/{pushed.id}/save", data={"next": "/matches/?tab=saved"})
    client.get("/matches/")  # the flash that names it is shown and gone
    html = client.get("/matches/?tab=saved").get_data(as_text=True)
    assert "Skjøvet ut" not in html
    assert "Lagret, ikke lenger blant dine beste treff" not in html


def test_pending_investor_sees_a_notice(client: Any, login_as: Any) -> None:
    login_as("pending_investor")
    page = client.get("/matches/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "venter på godkjenning" in html
    assert 'href="/proposals/"' in html


def test_investors_have_matches_in_the_menu(client: Any, investor: User) -> None:
    assert 'href="/matches/"' in client.get("/").get_data(as_text=True)


def test_no_matches_yet(client: Any, investor: User) -> None:
    html = client.get("/matches/").get_data(as_text=True)
    assert "Ingen treff ennå." in html


def test_page_queries_do_not_grow_with_the_page(
    app: Any, client: Any, db: Any, investor: User, make_proposal: Any
) -> None:
    from sqlalchemy import event

    add_profile(db, investor)
    owner = None
    counts = []
    for n in (2, 20):
        while (
            db.session.scalar(
                select(MatchScore.proposal_id)
                .where(MatchScore.investor_id == investor.id)
                .offset(n - 1)
            )
            is None
        ):
            proposal = make_proposal(owner, title="Likt forslag")
            owner = proposal.company.owner
            add_score(db, investor, proposal, 0.5)
        statements: list[str] = []
        engine = db.session.get_bind()

        def count(*args: Any, statements: list[str] = statements, **kwargs: Any) -> None:
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get("/matches/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        counts.append(len(statements))
    assert counts[0] == counts[1]


@pytest.mark.browser
def test_in_a_browser_filter_save_and_turn_down(page: Any, live_server: Any) -> None:
    """The demo investor uses the page with CSRF on; axe-core checks each page."""
    from matchmaking.demo.data import DEMO_PASSWORD
    from matchmaking.extensions import db as live_db
    from matchmaking.proposals.models import Proposal, Status

    with live_server.app.app_context():
        investor = live_db.session.scalar(
            select(User).where(User.email == "investor@demo.banofoten.no")
        )
        for table in (MatchScore.__table__, MatchChoice.__table__):
            live_db.session.execute(table.delete().where(table.c.investor_id == investor.id))
        shown = live_db.session.scalars(
            select(Proposal)
            .where(Proposal.status.not_in([Status.DRAFT, Status.WITHDRAWN, Status.DECLINED]))
            .where(Proposal.status != Status.CLOSED)
            .order_by(Proposal.id)
            .limit(3)
        ).all()
        assert len(shown) >= 2
        for i, proposal in enumerate(shown):
            live_db.session.add(
                MatchScore(
                    investor_id=investor.id,
                    proposal_id=proposal.id,
                    score=0.9 - i / 10,
                    reasons=json.dumps(REASONS),
                )
            )
        live_db.session.commit()
        first, second = shown[0].title, shown[1].title
        live_db.session.remove()

    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill("investor@demo.banofoten.no")
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("button", name="Logg ut").wait_for()
    page.get_by_role("link", name="Treff", exact=True).click()
    page.get_by_role("heading", name="Treff", exact=True).wait_for()
    check_accessibility(page)
    assert page.get_by_role("heading", level=2).first.inner_text().startswith(first)

    page.get_by_label("Kapitalbehov fra (kr)").fill("mange")
    page.get_by_role("button", name="Vis").click()
    page.get_by_text("Skriv hele kroner").wait_for()
    check_accessibility(page)
    page.get_by_label("Kapitalbehov fra (kr)").fill("")

    page.get_by_role("button", name=f"Lagre ({first})").click()
    page.get_by_text(f"«{first}» er lagret.").wait_for()
    page.get_by_role("link", name="Lagret", exact=True).click()
    page.get_by_role("button", name=f"Fjern fra lagrede ({first})").wait_for()
    check_accessibility(page)

    page.visit("/matches/")
    page.get_by_role("link", name=f"Ikke interessert ({second})").click()
    page.get_by_role("heading", level=1).wait_for()
    check_accessibility(page)
    page.get_by_role("button", name="Fjern fra treffene mine").click()
    page.get_by_text("Velg en grunn fra listen.").first.wait_for()
    check_accessibility(page)
    page.get_by_label("Feil fase for meg").check()
    page.get_by_role("button", name="Fjern fra treffene mine").click()
    page.get_by_text(f"«{second}» er ikke lenger blant treffene dine").wait_for()
    check_accessibility(page)
    assert page.get_by_role("heading", name=second).count() == 0
    assert page.console_errors == []


def test_why_names_the_investors_own_municipality_or_its_region(
    client: Any, db: Any, investor: User, make_proposal: Any
) -> None:
    from matchmaking.reference.models import Municipality

    profile = add_profile(db, investor)
    profile.regions = []
    profile.municipalities = [
        db.session.scalar(select(Municipality).where(Municipality.slug == "evenes"))
    ]
    db.session.commit()
    own = make_proposal(title="I Evenes", municipality="evenes")
    near = make_proposal(title="I Narvik", municipality="narvik")
    add_score(db, investor, own, 0.6, geography=0.15)
    add_score(db, investor, near, 0.5, geography=0.05)
    html = client.get("/matches/").get_data(as_text=True)
    assert "Kommune: Evenes – en av dine kommuner" in html
    assert "Kommune: Narvik – i Ofoten, nær kommunene du følger" in html
