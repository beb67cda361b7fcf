"""Screening pages: the board, scoring with two organisers, decisions, the rubric, bad input."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from matchmaking.extensions import utcnow
from matchmaking.proposals.models import Status
from matchmaking.screening import board, services
from matchmaking.screening.models import Criterion, Review
from tests.conftest import reload


def _login(client: Any, user: Any) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def _sheet(criteria: list[Criterion], value: int = 3, comment: str = "") -> dict[str, str]:
    data = {f"score_{c.id}": str(value) for c in criteria}
    data.update({f"comment_{c.id}": comment for c in criteria})
    return data


def _titles(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/screening/\d+">([^<]+)</a>', page)


# The board ---------------------------------------------------------------------


def test_board_groups_by_status_with_counts_and_never_shows_drafts(
    client: Any, login_as: Any, make_proposal: Any
) -> None:
    login_as("organiser")
    make_proposal(Status.DRAFT, title="Hemmelig utkast")
    make_proposal(Status.SUBMITTED, title="Sendt inn")
    make_proposal(Status.IN_SCREENING, title="Under vurdering")
    make_proposal(Status.DECLINED, title="Avslått")
    page = client.get("/screening/").get_data(as_text=True)
    assert sorted(_titles(page)) == ["Sendt inn", "Under vurdering"]
    assert "Hemmelig utkast" not in page
    all_page = client.get("/screening/?tab=all").get_data(as_text=True)
    assert sorted(_titles(all_page)) == ["Avslått", "Sendt inn", "Under vurdering"]
    declined = client.get("/screening/?tab=declined").get_data(as_text=True)
    assert _titles(declined) == ["Avslått"]
    assert _titles(client.get("/screening/?tab=draft").get_data(as_text=True)) == _titles(page)
    counts = board.board(board.BoardFilters(), reload_user(client)).counts
    assert counts["screening"] == 2
    assert counts["all"] == 3
    assert counts["declined"] == 1
    assert "draft" not in counts


def reload_user(client: Any) -> Any:
    from matchmaking.accounts.models import User
    from matchmaking.extensions import db

    with client.session_transaction() as session:
        user_id = int(session["_user_id"].split(":")[0])
    return db.session.get(User, user_id)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("municipality=t-evenes", ["Evenes-laks"]),
        ("sector=t-tourism", ["Nordlys-turer"]),
        ("stage=t-idea", ["Nordlys-turer"]),
        ("subproject=t-jobs", ["Evenes-laks"]),
        ("q=NORDLYS", ["Nordlys-turer"]),
        ("q=fjord", ["Evenes-laks"]),  # the teaser
        ("q=Ballangen+Kraft", ["Kraftprosjekt"]),  # the company name
        ("q=100%25", []),  # a literal %, not a wildcard
        ("municipality=t-evenes&sector=t-tourism", []),
    ],
)
def test_board_filters(
    client: Any, login_as: Any, make_proposal: Any, query: str, expected: list[str]
) -> None:
    login_as("organiser")
    make_proposal(
        title="Evenes-laks",
        teaser="Laks i fjorden.",
        municipality="evenes",
        subproject="jobs",
    )
    make_proposal(title="Nordlys-turer", sector="tourism", stage="idea", subproject=None)
    make_proposal(title="Kraftprosjekt", company_name="Ballangen Kraft AS")
    page = client.get(f"/screening/?tab=all&{query}").get_data(as_text=True)
    assert sorted(_titles(page)) == expected


def test_board_sorts_by_date_and_by_score_and_shows_spread(
    app: Any, client: Any, login_as: Any, make_user: Any, make_proposal: Any, criteria: Any
) -> None:
    me = login_as("organiser")
    other = make_user("organiser")
    now = utcnow()
    old = make_proposal(title="Gammel", submitted_at=now - timedelta(days=30))
    new = make_proposal(title="Ny", submitted_at=now - timedelta(days=1))
    unscored = make_proposal(title="Uvurdert", submitted_at=now - timedelta(days=10))
    page = client.get("/screening/").get_data(as_text=True)
    assert _titles(page) == ["Ny", "Uvurdert", "Gammel"]
    page = client.get("/screening/?sort=submitted_asc").get_data(as_text=True)
    assert _titles(page) == ["Gammel", "Uvurdert", "Ny"]

    from matchmaking.extensions import db

    with app.test_request_context():
        for proposal, mine, theirs in ((old, 2, 4), (new, 5, 3)):
            services.save_review(proposal, me, {c.id: (mine, "") for c in criteria}, "")
            services.save_review(proposal, other, {c.id: (theirs, "") for c in criteria}, "")
        services.save_review(unscored, other, {c.id: (5, "") for c in criteria}, "")
        db.session.commit()
    page = client.get("/screening/?sort=score_desc").get_data(as_text=True)
    # "Uvurdert" has the best score, but I have not scored it: hidden, and last.
    assert _titles(page) == ["Ny", "Gammel", "Uvurdert"]
    assert "4,00" in page  # Ny: mean of 5 and 3
    assert "3,00–5,00" in page  # Ny's spread
    assert "Hidden until you score" in page or "Skjult til du har gitt poeng" in page


# Scoring with two organisers --------------------------------------------------


def test_two_organisers_score_and_one_decides(
    client: Any, make_user: Any, make_proposal: Any, criteria: Any, outbox: list[Any]
) -> None:
    ada = make_user("organiser", name="Ada Arrangør")
    bo = make_user("organiser", name="Bo Bedømmer")
    proposal = make_proposal(Status.SUBMITTED, title="Havvind")

    _login(client, ada)
    page = client.get(f"/screening/{proposal.id}").get_data(as_text=True)
    assert "Konfidensiell beskrivelse." in page  # the confidential part
    response = client.post(
        f"/screening/{proposal.id}/review",
        data=_sheet(criteria, 4, "Sterkt team") | {"comment": "Ada mener ja"},
    )
    assert response.status_code == 302
    assert reload(proposal).status is Status.IN_SCREENING
    assert len(outbox) == 1  # the founder hears that screening started

    _login(client, bo)
    page = client.get(f"/screening/{proposal.id}?lang=en").get_data(as_text=True)
    assert "Ada mener ja" not in page  # hidden until Bo has scored
    assert "Sterkt team" not in page
    assert "<caption>Scores by reviewer</caption>" not in page
    assert "Reviews so far: 1." in page
    response = client.post(f"/screening/{proposal.id}/review", data=_sheet(criteria, 2))
    assert response.status_code == 302
    page = client.get(f"/screening/{proposal.id}").get_data(as_text=True)
    assert "Ada mener ja" in page
    assert "Sterkt team" in page
    assert "3.00" in page  # the weighted mean of 4 and 2 (English: a decimal point)
    assert "2.00–4.00" in page

    response = client.post(
        f"/screening/{proposal.id}/decision",
        data={"decision": "declined", "reason": "Ikke nå.", "share_comments": "y"},
    )
    assert response.status_code == 302
    proposal = reload(proposal)
    assert proposal.status is Status.DECLINED
    assert proposal.share_review_comments
    assert proposal.events[-1].actor_id == bo.id
    assert "Ikke nå." in outbox[-1].body
    assert services.shared_feedback(proposal)[-1] == "Ada mener ja"


def test_setting_shows_scores_before_own(
    client: Any, make_user: Any, make_proposal: Any, criteria: Any
) -> None:
    ada, bo = make_user("organiser"), make_user("organiser")
    proposal = make_proposal(Status.SUBMITTED)
    _login(client, ada)
    client.post(f"/screening/{proposal.id}/review", data=_sheet(criteria, 4) | {"comment": "Ja!"})
    _login(client, bo)
    assert "Ja!" not in client.get(f"/screening/{proposal.id}").get_data(as_text=True)
    assert (
        client.post(
            "/screening/settings", data={"show_scores_before_own": "y", "min_reviews": "2"}
        ).status_code
        == 302
    )
    assert "Ja!" in client.get(f"/screening/{proposal.id}").get_data(as_text=True)
    client.post("/screening/settings", data={"min_reviews": "2"})
    assert not services_setting()


def services_setting() -> bool:
    return services.show_scores_before_own()


def test_conflict_of_interest_through_the_pages(
    client: Any, make_user: Any, make_proposal: Any, criteria: Any
) -> None:
    ada, bo = make_user("organiser"), make_user("organiser", name="Bo Habil")
    proposal = make_proposal(Status.SUBMITTED)
    _login(client, ada)
    client.post(f"/screening/{proposal.id}/review", data=_sheet(criteria, 4) | {"comment": "Ja!"})
    _login(client, bo)
    assert client.post(f"/screening/{proposal.id}/conflict").status_code == 302
    page = client.get(f"/screening/{proposal.id}").get_data(as_text=True)
    assert "Ja!" not in page
    assert f'action="/screening/{proposal.id}/review"' not in page
    assert f'action="/screening/{proposal.id}/decision"' not in page
    # A crafted POST changes nothing.
    client.post(f"/screening/{proposal.id}/review", data=_sheet(criteria, 1))
    client.post(f"/screening/{proposal.id}/decision", data={"decision": "accepted", "confirm": "1"})
    assert reload(proposal).status is Status.IN_SCREENING
    assert services.proposal_aggregate(reload(proposal)).mean == pytest.approx(4.0)
    # Ada sees Bo's row as a conflict.
    _login(client, ada)
    page = client.get(f"/screening/{proposal.id}").get_data(as_text=True)
    assert "Bo Habil" in page
    # Bo withdraws the declaration and can score again.
    _login(client, bo)
    assert client.post(f"/screening/{proposal.id}/conflict/withdraw").status_code == 302
    client.post(f"/screening/{proposal.id}/review", data=_sheet(criteria, 2))
    assert services.proposal_aggregate(reload(proposal)).reviews == 2


# Bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": "7"}, "Choose a score from 1 to 5."),
        ({"value": "0"}, "Choose a score from 1 to 5."),
        ({"value": "tre"}, "Choose a score from 1 to 5."),
        ({"value": ""}, "Choose a score from 1 to 5."),
        ({"comment": "x" * 2001}, "At most 2000 characters."),
    ],
)
def test_bad_scores_get_a_message_beside_the_field_and_lose_nothing(
    client: Any,
    make_user: Any,
    make_proposal: Any,
    criteria: Any,
    change: dict[str, str],
    message: str,
) -> None:
    ada = make_user("organiser", locale="en")
    proposal = make_proposal(Status.SUBMITTED)
    _login(client, ada)
    client.post(f"/screening/{proposal.id}/review", data=_sheet(criteria, 4, "Først"))
    data = _sheet(criteria, 2, "Andre gang") | {"comment": "Kommentar"}
    first = criteria[0].id
    if "value" in change:
        data[f"score_{first}"] = change["value"]
    else:
        data[f"comment_{first}"] = change["comment"]
    response = client.post(f"/screening/{proposal.id}/review?lang=en", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(rf'id="(score|comment)_{first}-error"[^>]*>([^<]*)<', page)
    assert error is not None
    assert error.group(2) == message
    assert 'aria-invalid="true"' in page
    assert "Kommentar" in page  # what was typed is kept
    review = services.review_of(proposal, ada)
    assert review is not None
    assert {s.value for s in reload(review).scores} == {4}  # the saved review is unchanged


def test_overall_comment_too_long(
    client: Any, make_user: Any, make_proposal: Any, criteria: Any
) -> None:
    _login(client, make_user("organiser", locale="en"))
    proposal = make_proposal(Status.SUBMITTED)
    response = client.post(
        f"/screening/{proposal.id}/review?lang=en",
        data=_sheet(criteria, 3) | {"comment": "y" * 5001},
    )
    assert 'id="comment-error"' in response.get_data(as_text=True)
    assert reload(proposal).status is Status.SUBMITTED


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"decision": "declined", "reason": " "}, "reason", "Give a reason"),
        ({"decision": "changes_requested", "reason": ""}, "reason", "Give a reason"),
        ({"decision": "declined", "reason": "x" * 5001}, "reason", "At most 5000"),
        ({"reason": "Hvorfor"}, "decision", "Choose a decision."),
        ({"decision": "funded", "reason": "Hvorfor"}, "decision", "Choose one of the decisions"),
    ],
)
def test_bad_decisions_get_a_message_beside_the_field(
    client: Any,
    make_user: Any,
    make_proposal: Any,
    outbox: list[Any],
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    _login(client, make_user("organiser", locale="en"))
    proposal = make_proposal(Status.IN_SCREENING)
    response = client.post(f"/screening/{proposal.id}/decision?lang=en", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(rf'id="{field}-error"[^>]*>([^<]*)<', page)
    assert error is not None
    assert message in error.group(1)
    assert reload(proposal).status is Status.IN_SCREENING
    assert outbox == []


def test_request_changes_and_accept(
    client: Any, make_user: Any, make_proposal: Any, outbox: list[Any]
) -> None:
    _login(client, make_user("organiser"))
    first = make_proposal(Status.SUBMITTED)
    client.post(
        f"/screening/{first.id}/decision",
        data={"decision": "changes_requested", "reason": "Legg ved budsjett."},
    )
    assert reload(first).status is Status.CHANGES_REQUESTED
    assert "Legg ved budsjett." in outbox[-1].body
    second = make_proposal(Status.IN_SCREENING)
    client.post(
        f"/screening/{second.id}/decision",
        data={"decision": "accepted", "share_comments": "y", "confirm": "1"},
    )
    second = reload(second)
    assert second.status is Status.ACCEPTED
    assert not second.share_review_comments
    assert len(outbox) == 2


def test_accepting_with_too_few_reviews_names_who_has_not_reviewed(
    client: Any, make_user: Any, make_proposal: Any, criteria: Any, outbox: list[Any]
) -> None:
    """The rubric asks for 2 reviews by default: with one, accepting asks first and
    names the organisers who have not reviewed (not the one with a conflict, not a
    disabled one); "Cancel" and the first post change nothing; "Yes" accepts."""
    ada = make_user("organiser", name="Ada Arrangør", locale="en")
    make_user("organiser", name="Bo Bedømmer")
    make_user("organiser", name="Cecilie Castberg")
    conflicted = make_user("organiser", name="Kari Konflikt")
    make_user("organiser", name="Dag Deaktivert", disabled=True)
    proposal = make_proposal(Status.SUBMITTED, title="Nordlys Fisk")
    founder_email = proposal.company.owner.email
    _login(client, conflicted)
    client.post(f"/screening/{proposal.id}/conflict")
    _login(client, ada)
    client.post(f"/screening/{proposal.id}/review", data=_sheet(criteria, 4))
    outbox.clear()
    data = {"decision": "accepted", "reason": "Sterkt team."}
    page = client.post(f"/screening/{proposal.id}/decision", data=data)
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert "Accept “Nordlys Fisk” with 1 of 2 reviews?" in text
    assert "The rubric asks for 2 reviews before a proposal is accepted; it has 1." in text
    assert "Not reviewed yet: Bo Bedømmer, Cecilie Castberg." in text
    assert "Sterkt team." in page.text  # the reason is kept, to edit or confirm
    assert f'href="/screening/{proposal.id}">Cancel</a>' in page.text
    assert reload(proposal).status is Status.IN_SCREENING
    assert outbox == []

    done = client.post(f"/screening/{proposal.id}/decision", data=data | {"confirm": "1"})
    assert done.status_code == 302
    assert reload(proposal).status is Status.ACCEPTED
    assert [m.recipients for m in outbox] == [[founder_email]]


def test_enough_reviews_accepts_at_once_and_the_minimum_is_a_setting(
    client: Any, make_user: Any, make_proposal: Any, criteria: Any
) -> None:
    ada, bo = make_user("organiser", locale="en"), make_user("organiser", locale="en")
    proposal = make_proposal(Status.SUBMITTED)
    for who in (ada, bo):
        _login(client, who)
        client.post(f"/screening/{proposal.id}/review", data=_sheet(criteria, 4))
    # Three needed now: the two reviews are too few.
    response = client.post("/screening/settings", data={"min_reviews": "3"})
    assert response.status_code == 302
    assert services.min_reviews() == 3
    page = client.post(f"/screening/{proposal.id}/decision", data={"decision": "accepted"})
    assert "with 2 of 3 reviews?" in page.text
    assert reload(proposal).status is Status.IN_SCREENING
    # Two are enough again: accepted at once, no question.
    client.post("/screening/settings", data={"min_reviews": "2"})
    response = client.post(f"/screening/{proposal.id}/decision", data={"decision": "accepted"})
    assert response.status_code == 302
    assert reload(proposal).status is Status.ACCEPTED


@pytest.mark.parametrize("typed", ["", "to", "0", "-1", "11", "2.5"])
def test_a_bad_minimum_gets_a_message_beside_the_field(
    client: Any, make_user: Any, criteria: Any, typed: str
) -> None:
    _login(client, make_user("organiser", locale="en"))
    response = client.post(
        "/screening/settings?lang=en", data={"min_reviews": typed, "show_scores_before_own": "y"}
    )
    assert response.status_code == 400
    error = re.search(r'id="min_reviews-error"[^>]*>([^<]*)<', response.text)
    assert error is not None
    assert "Enter a whole number from 1 to 10." in error.group(1)
    assert f'name="min_reviews" type="text" value="{typed}"' in response.text
    assert services.min_reviews() == 2
    assert not services.show_scores_before_own()


# The rubric ---------------------------------------------------------------------


def test_rubric_lists_edits_adds_retires_and_deletes(
    client: Any, login_as: Any, criteria: Any, make_proposal: Any
) -> None:
    login_as("organiser", locale="en")
    page = client.get("/screening/rubric?lang=en").get_data(as_text=True)
    for name in ("Team", "Market", "Regional impact (jobs)"):
        assert name in page
    team = criteria[0]
    response = client.post(
        f"/screening/rubric/{team.id}",
        data={
            f"c{team.id}-name_nb": "Teamet",
            f"c{team.id}-name_en": "The team",
            f"c{team.id}-weight": "2,5",
        },
    )
    assert response.status_code == 302
    team = reload(team)
    assert (team.name_nb, team.name_en, team.weight) == ("Teamet", "The team", 2.5)

    response = client.post(
        "/screening/rubric/new",
        data={"new-name_nb": "Bærekraft", "new-name_en": "Sustainability", "new-weight": "1"},
    )
    assert response.status_code == 302
    new = services.all_criteria()[-1]
    assert new.slug == "sustainability"
    assert client.post(f"/screening/rubric/{new.id}/retire").status_code == 302
    assert reload(new).retired_at is not None
    assert new.id not in {c.id for c in services.active_criteria()}
    assert client.post(f"/screening/rubric/{new.id}/restore").status_code == 302
    assert reload(new).retired_at is None
    assert client.post(f"/screening/rubric/{new.id}/delete").status_code == 302
    assert services.all_criteria()[-1].slug != "sustainability"


def test_a_criterion_in_use_cannot_be_deleted(
    client: Any, make_user: Any, criteria: Any, make_proposal: Any
) -> None:
    organiser = make_user("organiser")
    _login(client, organiser)
    proposal = make_proposal(Status.SUBMITTED)
    client.post(f"/screening/{proposal.id}/review", data=_sheet(criteria, 3))
    page = client.get("/screening/rubric").get_data(as_text=True)
    assert f'action="/screening/rubric/{criteria[0].id}/delete"' not in page
    response = client.post(f"/screening/rubric/{criteria[0].id}/delete")
    assert response.status_code == 302
    assert reload(criteria[0]) is not None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name_nb": "", "name_en": "Team", "weight": "1"}, "name_nb", "Enter a name."),
        ({"name_nb": "Team", "name_en": "", "weight": "1"}, "name_en", "Enter a name."),
        ({"name_nb": "x" * 121, "name_en": "Team", "weight": "1"}, "name_nb", "At most 120"),
        ({"name_nb": "Team", "name_en": "Team", "weight": "-1"}, "weight", "0.1 to 10"),
        ({"name_nb": "Team", "name_en": "Team", "weight": "0"}, "weight", "0.1 to 10"),
        ({"name_nb": "Team", "name_en": "Team", "weight": "1e9"}, "weight", "0.1 to 10"),
        ({"name_nb": "Team", "name_en": "Team", "weight": "nan"}, "weight", "0.1 to 10"),
        ({"name_nb": "Team", "name_en": "Team", "weight": "mye"}, "weight", "0.1 to 10"),
        ({"name_nb": "Team", "name_en": "Team", "weight": ""}, "weight", "0.1 to 10"),
    ],
)
def test_bad_criteria_get_a_message_beside_the_field(
    client: Any, login_as: Any, criteria: Any, data: dict[str, str], field: str, message: str
) -> None:
    login_as("organiser", locale="en")
    team = criteria[0]
    for prefix, url in (
        (f"c{team.id}", f"/screening/rubric/{team.id}"),
        ("new", "/screening/rubric/new"),
    ):
        response = client.post(url + "?lang=en", data={f"{prefix}-{k}": v for k, v in data.items()})
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        error = re.search(rf'id="{prefix}-{field}-error"[^>]*>([^<]*)<', page)
        assert error is not None, (prefix, page[:200])
        assert message in error.group(1)
        assert 'aria-invalid="true"' in page
        if data["name_nb"]:
            assert data["name_nb"][:50] in page  # what was typed is kept
    team = reload(team)
    assert (team.name_nb, team.weight) == ("Team", 1.0)
    assert len(services.all_criteria()) == 6


def test_unknown_and_draft_proposals_are_not_found(
    client: Any, login_as: Any, make_proposal: Any, criteria: Any
) -> None:
    login_as("organiser")
    draft = make_proposal(Status.DRAFT)
    for path in (f"/screening/{draft.id}", "/screening/999999"):
        assert client.get(path).status_code == 404
    assert client.post(f"/screening/{draft.id}/review", data=_sheet(criteria)).status_code == 404
    assert client.post("/screening/rubric/999999/retire").status_code == 404
    assert reload(draft).status is Status.DRAFT
    assert not list_reviews(draft)


def list_reviews(proposal: Any) -> list[Review]:
    from sqlalchemy import select

    from matchmaking.extensions import db

    return list(db.session.scalars(select(Review).where(Review.proposal_id == proposal.id)))


def test_organiser_moves_an_accepted_proposal_on_but_funded_needs_a_recorded_round(
    client: Any, login_as: Any, make_user: Any, outbox: list[Any]
) -> None:
    from matchmaking.extensions import db
    from matchmaking.proposals.models import Proposal, Status
    from matchmaking.proposals.services import record_funded
    from tests.screening.factories import make_proposal as make

    founder = make_user("entrepreneur")
    proposal = make(founder, Status.ACCEPTED, title="Videre løp")
    db.session.commit()
    organiser = login_as("organiser")
    for step in ("pitched", "in_dialogue"):
        response = client.post(
            f"/screening/{proposal.id}/decision", data={"decision": step, "reason": ""}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    # Funded is no longer a decision: with no round yet the page leads to opening
    # one, and with an open round to recording its outcome.
    page = client.get(f"/screening/{proposal.id}").get_data(as_text=True)
    assert f"/proposals/{proposal.id}/round/new" in page
    assert f"/proposals/{proposal.id}/round/close" not in page
    from matchmaking.rounds import services as rounds

    rounds.start_round(proposal, None)
    db.session.commit()
    page = client.get(f"/screening/{proposal.id}").get_data(as_text=True)
    assert f"/proposals/{proposal.id}/round/close" in page
    response = client.post(f"/screening/{proposal.id}/decision", data={"decision": "funded"})
    assert "Velg en av beslutningene som vises." in response.get_data(as_text=True)
    db.session.expire_all()
    moved = db.session.get(Proposal, proposal.id)
    assert moved.status is Status.IN_DIALOGUE
    assert [e.to_status for e in moved.events][-2:] == [Status.PITCHED, Status.IN_DIALOGUE]
    assert len(outbox) == 2
    # Funded (recorded by a round's close) is final: no decision is offered any more.
    record_funded(moved, organiser)
    db.session.commit()
    response = client.post(f"/screening/{proposal.id}/decision", data={"decision": "closed"})
    assert "Ingen vurderingsbeslutning kan tas i denne statusen." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status is Status.FUNDED


def test_organisers_see_who_turned_a_proposal_down_and_why(
    client: Any, login_as: Any, make_user: Any
) -> None:
    from matchmaking.extensions import db
    from matchmaking.matches.models import MatchChoice, NotInterestedReason
    from matchmaking.proposals.models import Status
    from tests.screening.factories import make_proposal as make

    founder = make_user("entrepreneur")
    proposal = make(founder, Status.IN_SCREENING, title="Interesse")
    keen = make_user("investor", approved=True, name="Kari Investor")
    cool = make_user("investor", approved=True, name="Ola Investor")
    db.session.add_all(
        [
            MatchChoice(investor_id=keen.id, proposal_id=proposal.id, saved=True),
            MatchChoice(
                investor_id=cool.id,
                proposal_id=proposal.id,
                not_interested=True,
                reason=NotInterestedReason.TICKET,
                reason_text="For stort for meg.",
            ),
        ]
    )
    db.session.commit()
    login_as("organiser")
    page = client.get(f"/screening/{proposal.id}").get_data(as_text=True)
    assert "Ola Investor" in page
    assert "For stort for meg." in page
    assert "Kari Investor" in page
