"""Full-text search over title, teaser and description, on SQLite (FTS5) and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.matches.search import fts5_query, matching_proposal_ids_clause
from matchmaking.proposals.models import Proposal


def found(q: str) -> list[str]:
    from matchmaking.extensions import db

    return list(
        db.session.scalars(
            select(Proposal.title).where(matching_proposal_ids_clause(q)).order_by(Proposal.id)
        )
    )


@pytest.fixture
def proposals(app: Any, db: Any, make_proposal: Any) -> dict[str, Any]:
    with app.app_context():
        return {
            "tare": make_proposal(
                title="Tareforedling i Efjorden",
                teaser="Vi foredler tare til fôr og mat.",
                description="Høsting av sukkertare langs kysten.",
            ),
            "fisk": make_proposal(
                title="Fiskeoppdrett på land",
                teaser="Resirkulering av vann i oppdrettsanlegg.",
                description="Vi oppdretter røye og laks.",
            ),
            "hotell": make_proposal(
                title="Nordlyshotell",
                teaser="Overnatting for turister i Narvik.",
                description="Utsikt mot fjellene.",
            ),
        }


def test_fts5_query_quotes_each_word_as_a_prefix() -> None:
    assert fts5_query("Tare og fôr") == '"tare"* "og"* "fôr"*'
    assert fts5_query('"AND" OR * ( NEAR') == '"and"* "or"* "near"*'
    assert fts5_query(" -- ") == ""


def test_words_in_title_teaser_and_description(app: Any, proposals: dict[str, Any]) -> None:
    with app.app_context():
        assert found("Efjorden") == ["Tareforedling i Efjorden"]  # title
        assert found("turister") == ["Nordlyshotell"]  # teaser
        assert found("røye") == ["Fiskeoppdrett på land"]  # description, ø
        assert found("RØYE") == ["Fiskeoppdrett på land"]  # case
        assert found("Narvik turister") == ["Nordlyshotell"]  # all words
        assert found("tare laks") == []
        assert found("ukjentord") == []


def test_norwegian_inflections(app: Any, proposals: dict[str, Any]) -> None:
    """Prefixes on SQLite, the Norwegian stemmer on PostgreSQL: both find these."""
    with app.app_context():
        assert found("tare") == ["Tareforedling i Efjorden"]
        assert found("fjell") == ["Nordlyshotell"]  # fjellene
        assert found("oppdrett") == ["Fiskeoppdrett på land"]  # oppdrettsanlegg


def test_no_words_and_search_syntax_match_nothing_without_error(
    app: Any, proposals: dict[str, Any]
) -> None:
    with app.app_context():
        assert found("") == []
        assert found("  ---  ") == []
        assert found('" OR ( AND * NEAR') == []
        assert found("x" * 500) == []
        assert found("tare\x00") == ["Tareforedling i Efjorden"]


def test_index_follows_changes(app: Any, db: Any, proposals: dict[str, Any]) -> None:
    with app.app_context():
        hotell = db.session.get(Proposal, proposals["hotell"].id)
        hotell.description = "Badstue og kajakker."
        db.session.commit()
        assert found("kajakker") == ["Nordlyshotell"]
        assert found("fjellene") == []
        fisk = db.session.get(Proposal, proposals["fisk"].id)
        db.session.delete(fisk)
        db.session.commit()
        assert found("røye") == []
