"""The same form sent several times at once answers as a single click would.

Two requests that insert the same row both find nothing first; the
database's unique constraint then refuses the second. That must be an
ordinary answer ("saved", "this slug is in use"), never a 500, on SQLite
and on PostgreSQL. Real simultaneous requests on a database of their own
(tests/concurrency.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from matchmaking.extensions import db as _db
from matchmaking.matches.models import MatchChoice
from matchmaking.reference.models import Sector
from tests.concurrency import add_proposal, add_user, at_once, client_of, flashed, separate_app


@pytest.fixture
def race_app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    with separate_app(database_url, tmp_path) as app:
        yield app


ROUNDS = 3  # a race is a matter of timing: give it a few chances


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_save_clicked_four_times_at_once(race_app: Flask, lang: str) -> None:
    founder = add_user(race_app, "entrepreneur", "grunder@example.no")
    add_user(race_app, "investor", "investor@example.no", locale=lang)
    clients = [client_of(race_app, "investor@example.no", n) for n in range(4)]

    for n in range(ROUNDS):
        title = f"Tareforedling {n}"
        proposal_id = add_proposal(race_app, founder, title)

        def click(client, proposal_id=proposal_id):  # type: ignore[no-untyped-def]
            def post() -> tuple[int, list[str]]:
                response = client.post(f"/matches/{proposal_id}/save")
                return response.status_code, flashed(client.get("/matches/").text)

            return post

        answers = at_once([click(c) for c in clients])

        assert [status for status, _ in answers] == [302] * 4
        saved, unsaved = (
            (f"«{title}» er lagret.", f"«{title}» er ikke lenger lagret.")
            if lang == "nb"
            else (f"Saved “{title}”.", f"“{title}” is no longer saved.")
        )
        for _status, messages in answers:
            assert messages in ([saved], [unsaved])
        with race_app.app_context():
            rows = _db.session.scalars(
                select(MatchChoice).where(MatchChoice.proposal_id == proposal_id)
            ).all()
            assert len(rows) == 1
            if all(messages == [saved] for _status, messages in answers):
                assert rows[0].saved
            _db.session.remove()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_two_organisers_add_the_same_slug_at_once(race_app: Flask, lang: str) -> None:
    add_user(race_app, "organiser", "arrangor1@example.no", locale=lang)
    add_user(race_app, "organiser", "arrangor2@example.no", locale=lang)
    clients = [client_of(race_app, f"arrangor{n + 1}@example.no", n) for n in range(2)]
    taken = (
        "Dette kortnavnet er allerede i bruk. Velg et annet."
        if lang == "nb"
        else "This slug is in use already. Choose another."
    )

    for n in range(ROUNDS):
        slug = f"romfart-{n}"

        def add(client, slug=slug):  # type: ignore[no-untyped-def]
            return lambda: client.post(
                "/reference/sectors/new",
                data={"slug": slug, "name_nb": "Romfart", "name_en": "Space"},
            )

        responses = at_once([add(c) for c in clients])

        assert sorted(r.status_code for r in responses) == [200, 302]
        refused = next(r for r in responses if r.status_code == 200).text
        assert taken in refused
        with race_app.app_context():
            count = _db.session.scalar(
                select(func.count()).select_from(Sector).where(Sector.slug == slug)
            )
            assert count == 1
            _db.session.remove()


def _ids(app: Flask) -> dict[str, str]:
    from matchmaking.reference.models import Municipality, Region, Stage, Subproject

    with app.app_context():

        def one(model: Any, slug: str) -> str:
            return str(_db.session.scalar(select(model.id).where(model.slug == slug)))

        ids = {
            "narvik": one(Municipality, "narvik"),
            "marine": one(Sector, "marine"),
            "seed": one(Stage, "seed"),
            "sor-troms": one(Region, "sor-troms"),
            "tidligfasekapital": one(Subproject, "tidligfasekapital"),
        }
        _db.session.remove()
        return ids


def _twice_at_once(clients: list[Any], path: str, data: dict[str, Any]) -> list[Any]:
    def post(client: Any) -> Callable[[], Any]:
        return lambda: client.post(path, data=data)

    return at_once([post(c) for c in clients])


def _count(app: Flask, model: Any, *where: Any) -> int:
    with app.app_context():
        n = _db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0
        _db.session.remove()
        return n


def test_conflict_of_interest_declared_twice_at_once(race_app: Flask) -> None:
    from matchmaking.screening.models import Review

    founder = add_user(race_app, "entrepreneur", "grunder@example.no")
    add_user(race_app, "organiser", "arrangor@example.no")
    clients = [client_of(race_app, "arrangor@example.no", n) for n in range(2)]
    for n in range(ROUNDS):
        proposal_id = add_proposal(race_app, founder, f"Forslag {n}")

        responses = _twice_at_once(clients, f"/screening/{proposal_id}/conflict", {})

        assert [r.status_code for r in responses] == [302, 302]
        for client in clients:
            assert flashed(client.get("/").text) == [
                "Du har meldt inhabilitet. Du holdes utenfor dette forslaget."
            ]
        assert _count(race_app, Review, Review.proposal_id == proposal_id) == 1


def test_same_criterion_added_by_two_organisers_at_once(race_app: Flask) -> None:
    from matchmaking.screening.models import Criterion

    add_user(race_app, "organiser", "arrangor1@example.no", locale="en")
    add_user(race_app, "organiser", "arrangor2@example.no", locale="en")
    clients = [client_of(race_app, f"arrangor{n + 1}@example.no", n) for n in range(2)]
    for n in range(ROUNDS):
        data = {"new-name_nb": f"Bærekraft {n}", "new-name_en": f"Green {n}", "new-weight": "1"}

        responses = _twice_at_once(clients, "/screening/rubric/new", data)

        # Two clicks by two people add two criteria, as one after the other would.
        assert [r.status_code for r in responses] == [302, 302]
        for client in clients:
            assert flashed(client.get("/").text) == [f"The criterion “Green {n}” is added."]
        assert _count(race_app, Criterion, Criterion.name_en == f"Green {n}") == 2


def test_first_investor_profile_saved_twice_at_once(race_app: Flask) -> None:
    from matchmaking.investors.models import InvestorProfile

    investor = add_user(race_app, "investor", "investor@example.no")
    clients = [client_of(race_app, "investor@example.no", n) for n in range(2)]
    ids = _ids(race_app)
    data = {
        "display_name": "Kari Engel",
        "organisation": "Ofoten Invest AS",
        "sectors": [ids["marine"]],
        "stages": [ids["seed"]],
        "ticket_min": "250 000",
        "ticket_max": "2 000 000",
        "regions": [ids["sor-troms"]],
        "municipalities": [ids["narvik"]],
        "subprojects": [ids["tidligfasekapital"]],
        "thesis": "Havbruk.",
        "digest_frequency": "daily",
    }

    responses = _twice_at_once(clients, "/investor/profile", data)

    assert [r.status_code for r in responses] == [302, 302]
    for client in clients:
        assert flashed(client.get("/").text) == ["Profilen er lagret. Treffene dine er oppdatert."]
    assert _count(race_app, InvestorProfile, InvestorProfile.user_id == investor) == 1


def _company(ids: dict[str, str], **changes: str) -> dict[str, str]:
    data = {
        "name": "Efjord Tare AS",
        "org_number": "923 609 016",
        "municipality": ids["narvik"],
        "contact_name": "Kari Gründer",
        "contact_email": "kari@efjordtare.no",
        "team-members-0-name": "Kari Gründer",
        "team-members-0-role": "Daglig leder",
    }
    data.update(changes)
    return data


def test_first_company_saved_twice_at_once(race_app: Flask) -> None:
    from matchmaking.proposals.models import Company

    founder = add_user(race_app, "entrepreneur", "grunder@example.no")
    clients = [client_of(race_app, "grunder@example.no", n) for n in range(2)]

    responses = _twice_at_once(clients, "/proposals/company", _company(_ids(race_app)))

    # The second edits the company the first made, as a second click would.
    assert [r.status_code for r in responses] == [302, 302]
    for client in clients:
        assert flashed(client.get("/").text) == ["Selskapsprofilen er lagret."]
    assert _count(race_app, Company, Company.owner_id == founder) == 1


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_two_founders_save_the_same_org_number_at_once(race_app: Flask, lang: str) -> None:
    from matchmaking.proposals.models import Company

    taken = (
        "Et annet selskap er registrert med dette organisasjonsnummeret."
        if lang == "nb"
        else "Another company is registered with this organisation number."
    )
    ids = _ids(race_app)
    for n, org_number in enumerate(["923609008", "923609024", "923609032", "923609040"]):
        clients = []
        for k in range(2):
            email = f"grunder{n}-{k}@example.no"
            add_user(race_app, "entrepreneur", email, locale=lang)
            clients.append(client_of(race_app, email, k))

        responses = _twice_at_once(
            clients, "/proposals/company", _company(ids, org_number=org_number)
        )

        assert sorted(r.status_code for r in responses) == [200, 302]
        refused = next(r for r in responses if r.status_code == 200).text
        assert taken in refused
        assert _count(race_app, Company, Company.org_number == org_number) == 1


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_two_organisers_add_the_same_new_organiser_at_once(race_app: Flask, lang: str) -> None:
    from matchmaking.accounts.models import User

    taken = (
        "Det finnes allerede en konto med denne e-postadressen."
        if lang == "nb"
        else "An account with this e-mail address exists already."
    )
    clients = []
    for n in range(2):
        add_user(race_app, "organiser", f"arrangor{n}@example.no", locale=lang)
        clients.append(client_of(race_app, f"arrangor{n}@example.no", n))
    for n in range(ROUNDS):
        email = f"ny{n}@example.no"
        data = {
            "name": "Ny Arrangør",
            "email": email,
            "password": "a-long-new-password",
            "password_again": "a-long-new-password",
            "locale": "nb",
        }

        responses = _twice_at_once(clients, "/admin/users/new-organiser", data)

        assert sorted(r.status_code for r in responses) == [200, 302]
        assert taken in next(r for r in responses if r.status_code == 200).text
        assert _count(race_app, User, User.email == email) == 1
