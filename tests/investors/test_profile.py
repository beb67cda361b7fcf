"""The investor's interest profile at /investor/profile."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from matchmaking.investors.models import DigestFrequency, InvestorProfile
from matchmaking.reference.models import Municipality, Region, Sector, Stage, Subproject

URL = "/investor/profile"


def _id(db: Any, model: Any, slug: str) -> str:
    return str(db.session.scalar(select(model.id).where(model.slug == slug)))


def _good(db: Any, **changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "display_name": "Kari Engel",
        "organisation": "Ofoten Invest AS",
        "sectors": [_id(db, Sector, "marine"), _id(db, Sector, "energy")],
        "stages": [_id(db, Stage, "seed")],
        "ticket_min": "250 000",
        "ticket_max": "2.000.000",
        "regions": [_id(db, Region, "sor-troms")],
        "municipalities": [_id(db, Municipality, "narvik")],
        "subprojects": [_id(db, Subproject, "tidligfasekapital")],
        "thesis": "Havbruk og fornybar energi i Ofoten.",
        "co_invest": "y",
        "digest_frequency": "daily",
    }
    form.update(changes)
    return form


def _profile(db: Any, user: Any) -> InvestorProfile | None:
    db.session.expire_all()
    return db.session.scalar(select(InvestorProfile).where(InvestorProfile.user_id == user.id))


def test_pending_investor_sees_the_form_and_the_notice(
    client: Any, login_as: Any, reference: None
) -> None:
    login_as("pending_investor", name="Kari Engel")
    page = client.get(URL).get_data(as_text=True)
    assert "venter på godkjenning" in page or "awaits approval" in page
    assert 'value="Kari Engel"' in page  # the account name to start with
    # Checkbox groups in fieldsets with legends, one per kind.
    english = client.get(URL + "?lang=en").get_data(as_text=True)
    for legend in (
        "Sectors",
        "Stages",
        "Whole regions",
        "Municipalities",
        "Programme sub-projects",
    ):
        assert f">{legend}</legend>" in english
    assert english.count("<fieldset") >= 7
    assert 'type="checkbox"' in english
    assert "Harstad" in english
    assert "Sør-Troms" in english


def test_approved_investor_has_no_pending_notice(
    client: Any, login_as: Any, reference: None
) -> None:
    login_as("investor")
    page = client.get(URL + "?lang=en").get_data(as_text=True)
    assert "awaits approval" not in page


def test_saving_a_good_profile(client: Any, login_as: Any, db: Any, reference: None) -> None:
    me = login_as("investor")
    response = client.post(URL + "?lang=en", data=_good(db))
    assert response.status_code == 302
    assert response.headers["Location"] == URL
    profile = _profile(db, me)
    assert profile is not None
    assert profile.display_name == "Kari Engel"
    assert profile.organisation == "Ofoten Invest AS"
    assert (profile.ticket_min, profile.ticket_max) == (250_000, 2_000_000)
    assert sorted(s.slug for s in profile.sectors) == ["energy", "marine"]
    assert [s.slug for s in profile.stages] == ["seed"]
    assert [r.slug for r in profile.regions] == ["sor-troms"]
    assert [m.slug for m in profile.municipalities] == ["narvik"]
    assert [s.slug for s in profile.subprojects] == ["tidligfasekapital"]
    assert profile.co_invest is True
    assert profile.digest_frequency is DigestFrequency.DAILY
    # The page shows what was saved, ready to change.
    page = client.get(URL + "?lang=en").get_data(as_text=True)
    assert "Your profile is saved" in page
    assert 'value="250 000"' in page.replace("\u00a0", " ")
    assert "Havbruk og fornybar energi i Ofoten." in page
    assert (
        page.count("checked") >= 8
    )  # 2 sectors, stage, region, municipality, sub-project, co-invest, daily


def test_saving_again_replaces_the_choices(
    client: Any, login_as: Any, db: Any, reference: None
) -> None:
    me = login_as("pending_investor")
    client.post(URL, data=_good(db))
    client.post(URL, data=_good(db, sectors=[], regions=[], municipalities=[], organisation=""))
    profile = _profile(db, me)
    assert profile is not None
    assert profile.sectors == []
    assert profile.regions == []
    assert profile.municipalities == []
    assert profile.organisation is None
    assert db.session.scalar(select(func.count()).select_from(InvestorProfile)) == 1


BAD = [
    ({"ticket_min": "3 000 000", "ticket_max": "1 000 000"}, "ticket_min", "cannot be larger"),
    ({"ticket_min": "-5"}, "ticket_min", "Write whole kroner"),
    ({"ticket_max": "-100"}, "ticket_max", "Write whole kroner"),
    ({"ticket_max": "0"}, "ticket_max", "more than 0 kr"),
    ({"ticket_max": "10 000 000 001"}, "ticket_max", "too large"),
    ({"ticket_max": "99999999999999999999"}, "ticket_max", "too large"),
    ({"ticket_min": "1,5 mill"}, "ticket_min", "Write whole kroner"),
    ({"ticket_min": ""}, "ticket_min", "Enter the smallest ticket"),
    ({"thesis": "x" * 5001}, "thesis", "At most 5000 characters"),
    ({"display_name": "  "}, "display_name", "Enter the name other users see"),
    ({"display_name": "x" * 121}, "display_name", "At most 120 characters"),
    ({"sectors": ["999999"]}, "sectors", "Choose from the list"),
    ({"sectors": ["marine"]}, "sectors", "Choose from the list"),
    ({"municipalities": ["999999"]}, "municipalities", "Choose from the list"),
    ({"digest_frequency": "hourly"}, "digest_frequency", "Not a valid choice"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD)
def test_bad_input_is_refused_beside_the_field(
    client: Any,
    login_as: Any,
    db: Any,
    reference: None,
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    me = login_as("investor", locale="en")
    response = client.post(URL + "?lang=en", data=_good(db, **changes))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    error = page.split(f'id="{field}-error"', 1)[1].split("</div>", 1)[0]
    assert message in error
    assert 'aria-invalid="true"' in page
    assert _profile(db, me) is None  # nothing saved
    # What was typed is still there.
    assert "Kari Engel" in page or field == "display_name"


def test_nul_characters_are_dropped_not_an_error(
    client: Any, login_as: Any, db: Any, reference: None
) -> None:
    me = login_as("investor")
    response = client.post(URL, data=_good(db, thesis="Tare\x00 og fisk", display_name="K\x00ari"))
    assert response.status_code == 302
    profile = _profile(db, me)
    assert profile is not None
    assert (profile.display_name, profile.thesis) == ("Kari", "Tare og fisk")


def test_a_bad_save_keeps_the_saved_profile(
    client: Any, login_as: Any, db: Any, reference: None
) -> None:
    me = login_as("investor")
    client.post(URL, data=_good(db))
    client.post(URL, data=_good(db, ticket_min="9 000 000", thesis="Endret"))
    profile = _profile(db, me)
    assert profile is not None
    assert profile.ticket_min == 250_000
    assert profile.thesis == "Havbruk og fornybar energi i Ofoten."


def test_a_retired_sector_stays_on_the_profile_but_is_not_offered_to_others(
    client: Any, login_as: Any, db: Any, reference: None
) -> None:
    me = login_as("investor")
    client.post(URL, data=_good(db))
    marine = db.session.scalar(select(Sector).where(Sector.slug == "marine"))
    from matchmaking.extensions import utcnow

    marine.retired_at = utcnow()
    db.session.commit()
    page = client.get(URL + "?lang=en").get_data(as_text=True)
    assert "Marine and aquaculture" in page
    assert client.post(URL, data=_good(db)).status_code == 302  # kept on a new save
    profile = _profile(db, me)
    assert profile is not None
    assert "marine" in {s.slug for s in profile.sectors}
    # Someone who did not have it cannot choose it.
    client.post("/auth/logout")
    login_as("investor")
    assert "Marine and aquaculture" not in client.get(URL + "?lang=en").get_data(as_text=True)
    response = client.post(URL + "?lang=en", data=_good(db))
    assert response.status_code == 200
    assert "Choose from the list" in response.get_data(as_text=True)


def test_saving_recomputes_the_matches(
    client: Any, login_as: Any, db: Any, reference: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matchmaking.investors import views

    seen: list[Any] = []
    monkeypatch.setattr(views, "_recompute", lambda user: seen.append(user.id))
    me = login_as("investor")
    client.post(URL, data=_good(db))
    assert seen == [me.id]
    client.post(URL, data=_good(db, ticket_max="0"))
    assert seen == [me.id]  # not for a refused save


def test_saving_stores_the_approved_investors_matches(
    client: Any, login_as: Any, db: Any, make_proposal: Any
) -> None:
    from matchmaking.matches.models import MatchScore

    kelp = make_proposal(title="Tare fra Efjorden", ask=2_000_000, min_ticket=250_000)
    make_proposal(title="For stort", ask=500_000_000, min_ticket=100_000_000)
    me = login_as("investor")
    client.post(URL, data=_good(db))
    db.session.expire_all()
    stored = list(
        db.session.scalars(select(MatchScore.proposal_id).where(MatchScore.investor_id == me.id))
    )
    assert stored == [kelp.id]  # the one outside the ticket range is no match


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ticket_min=st.text(max_size=25),
    ticket_max=st.one_of(st.text(max_size=25), st.integers(-(10**12), 10**12).map(str)),
    thesis=st.text(max_size=40),
)
def test_free_input_is_saved_or_refused_beside_a_field_never_an_error(
    client: Any,
    login_as: Any,
    db: Any,
    reference: None,
    ticket_min: str,
    ticket_max: str,
    thesis: str,
) -> None:
    if not hasattr(client, "_investor"):
        client._investor = login_as("investor")  # one login for every example
    response = client.post(
        URL, data=_good(db, ticket_min=ticket_min, ticket_max=ticket_max, thesis=thesis)
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert 'class="invalid-feedback' in response.get_data(as_text=True)
    else:
        profile = _profile(db, client._investor)
        assert profile is not None
        assert 0 <= profile.ticket_min <= profile.ticket_max <= 10_000_000_000
        assert profile.ticket_max > 0
