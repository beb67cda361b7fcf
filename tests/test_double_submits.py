"""The same form sent several times at once answers as a single click would.

Two requests that insert the same row both find nothing first; the
database's unique constraint then refuses the second. That must be an
ordinary answer ("saved", "this slug is in use"), never a 500, on SQLite
and on PostgreSQL. Real simultaneous requests on a database of their own
(tests/concurrency.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
