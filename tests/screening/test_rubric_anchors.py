"""What a score of 1 and of 5 means: seeded for the default rubric, edited on
the rubric page, shown beside each score on the review form."""

from __future__ import annotations

from typing import Any

from matchmaking.proposals.models import Status
from matchmaking.screening import services
from tests.conftest import reload
from tests.screening.test_views import _login


def test_the_default_criteria_say_what_1_and_5_mean(criteria: Any) -> None:
    for criterion in criteria:
        assert criterion.low_nb
        assert criterion.low_en
        assert criterion.high_nb
        assert criterion.high_en
    team = criteria[0]
    assert (
        team.high_en == "A complete team with experience of the industry and of building a company"
    )


def test_seeding_again_keeps_edited_explanations(db: Any, criteria: Any) -> None:
    team = criteria[0]
    services.update_criterion(
        team, team.name_nb, team.name_en, 1.0, {"low_nb": "Ingen", "low_en": "Nobody"}
    )
    services.seed_criteria()
    assert (team.low_nb, team.low_en) == ("Ingen", "Nobody")
    assert team.high_nb  # untouched


def test_the_rubric_page_edits_what_1_and_5_mean(client: Any, login_as: Any, criteria: Any) -> None:
    login_as("organiser")
    page = client.get("/screening/rubric").text
    team = criteria[0]
    assert "Hva 1 betyr, på norsk" in page
    assert "Hva 5 betyr, på engelsk" in page
    assert team.low_nb in page
    data = {
        f"c{team.id}-name_nb": "Team",
        f"c{team.id}-name_en": "Team",
        f"c{team.id}-weight": "1",
        f"c{team.id}-low_nb": "Gründeren alene",
        f"c{team.id}-low_en": "The founder alone",
        f"c{team.id}-high_nb": "Alle roller fylt",
        f"c{team.id}-high_en": "Every role filled",
    }
    assert client.post(f"/screening/rubric/{team.id}", data=data).status_code == 302
    team = reload(team)
    assert (team.low_nb, team.low_en, team.high_nb, team.high_en) == (
        "Gründeren alene",
        "The founder alone",
        "Alle roller fylt",
        "Every role filled",
    )
    # Too long: a message beside the field, what was typed kept, nothing saved.
    response = client.post(
        f"/screening/rubric/{team.id}", data=data | {f"c{team.id}-high_en": "x" * 201}
    )
    assert response.status_code == 200
    assert f'id="c{team.id}-high_en-error"' in response.text
    assert "Høyst 200 tegn." in response.text
    assert 'value="Gründeren alene"' in response.text
    assert reload(team).high_en == "Every role filled"


def test_a_new_criterion_takes_its_explanations(client: Any, login_as: Any, criteria: Any) -> None:
    login_as("organiser")
    response = client.post(
        "/screening/rubric/new",
        data={
            "new-name_nb": "Bærekraft",
            "new-name_en": "Sustainability",
            "new-weight": "1",
            "new-low_nb": "Ikke vurdert",
            "new-low_en": "Not considered",
            "new-high_nb": "Kjernen i forretningen",
            "new-high_en": "At the heart of the business",
        },
    )
    assert response.status_code == 302
    new = services.all_criteria()[-1]
    assert (new.low_en, new.high_nb) == ("Not considered", "Kjernen i forretningen")


def test_the_review_form_shows_what_1_and_5_mean_beside_the_scores(
    client: Any, make_user: Any, make_proposal: Any, criteria: Any
) -> None:
    _login(client, make_user("organiser"))
    proposal = make_proposal(Status.SUBMITTED)
    page = client.get(f"/screening/{proposal.id}").text
    team = criteria[0]
    help_text = f'<div id="score_{team.id}-help" class="form-text mt-0 mb-1">1: {team.low_nb} · 5: {team.high_nb}</div>'
    assert help_text in page
    assert f'aria-describedby="score_{team.id}-help"' in page
    page = client.get(f"/screening/{proposal.id}?lang=en").text
    assert f"1: {team.low_en} · 5: {team.high_en}" in page
