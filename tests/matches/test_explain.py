"""The "why" of a match in words: each reason, both languages, order and robustness."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask_babel import force_locale

from matchmaking.matches.explain import (
    ProfileFacts,
    ProposalFacts,
    explain,
    parse_reasons,
    sentence,
)

PROPOSAL = ProposalFacts(
    sector_key="marine",
    sector="havbruk",
    stage_key="seed",
    stage="såkorn",
    ask=2_000_000,
    min_ticket=250_000,
    municipality_key="narvik",
    municipality="Narvik",
    region_key="ofoten",
    region="Ofoten",
    subproject_key="marin-kartlegging",
    subproject="Marin kartlegging",
)
FOLLOWS = ProfileFacts(
    sectors=frozenset({"marine"}),
    stages=frozenset({"seed"}),
    regions=frozenset({"ofoten"}),
    subprojects=frozenset({"marin-kartlegging"}),
    ticket_min=500_000,
    ticket_max=3_000_000,
)
NBSP = "\u00a0"


def kr(text: str) -> str:
    """Amounts as format_kroner writes them: no-break spaces inside and before "kr"."""
    return re.sub(r"(?<=\d) (?=\d{3}\b|kr\b)", NBSP, text)


def test_each_reason_in_english_without_an_app() -> None:
    assert sentence("sector", PROPOSAL, FOLLOWS) == "Sector: havbruk – one of your sectors"
    assert sentence("stage", PROPOSAL, FOLLOWS) == "Stage: såkorn – one of your stages"
    assert sentence("ticket", PROPOSAL, FOLLOWS) == kr("Ask 2 000 000 kr – inside your range")
    assert (
        sentence("geography", PROPOSAL, FOLLOWS)
        == "Municipality: Narvik – in Ofoten, a region you follow"
    )
    assert (
        sentence("subproject", PROPOSAL, FOLLOWS)
        == "Sub-project: Marin kartlegging – one you follow"
    )
    assert sentence("text", PROPOSAL, FOLLOWS) == "The text is similar to your investment thesis"


def test_each_reason_in_norwegian(app: Any) -> None:
    with app.test_request_context(), force_locale("nb"):
        words = {key: sentence(key, PROPOSAL, FOLLOWS) for key in ("sector", "stage", "ticket")}
        words |= {key: sentence(key, PROPOSAL, FOLLOWS) for key in ("geography", "subproject")}
        words["text"] = sentence("text", PROPOSAL, FOLLOWS)
    assert words == {
        "sector": "Bransje: havbruk – en av dine bransjer",
        "stage": "Fase: såkorn – en av dine faser",
        "ticket": kr("Kapitalbehov 2 000 000 kr – innenfor ditt spenn"),
        "geography": "Kommune: Narvik – i Ofoten, en region du følger",
        "subproject": "Delprosjekt: Marin kartlegging – ett du følger",
        "text": "Teksten ligner på investeringstesen din",
    }


def test_no_preference_is_said_so() -> None:
    nothing = ProfileFacts(ticket_min=500_000, ticket_max=3_000_000)
    assert (
        sentence("sector", PROPOSAL, nothing) == "Sector: havbruk – you have no sector preference"
    )
    assert sentence("stage", PROPOSAL, nothing) == "Stage: såkorn – you have no stage preference"
    assert (
        sentence("geography", PROPOSAL, nothing)
        == "Municipality: Narvik – you have no preference for places"
    )
    assert (
        sentence("subproject", PROPOSAL, nothing)
        == "Sub-project: Marin kartlegging – you have no sub-project preference"
    )


def test_geography_names_the_municipality_or_the_region_it_shares() -> None:
    own = ProfileFacts(municipalities=frozenset({"narvik"}))
    assert (
        sentence("geography", PROPOSAL, own) == "Municipality: Narvik – one of your municipalities"
    )
    near = ProfileFacts(
        municipalities=frozenset({"evenes"}), municipality_regions=frozenset({"ofoten"})
    )
    assert (
        sentence("geography", PROPOSAL, near)
        == "Municipality: Narvik – in Ofoten, near the municipalities you follow"
    )


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (2_000_000, 2_000_000, "Ask 2 000 000 kr – inside your range"),
        (100_000, 500_000, "Ask 2 000 000 kr – tickets from 250 000 kr fit your range"),
        (
            3_000_000,
            9_000_000,
            "Ask 2 000 000 kr – close to your range of 3 000 000 kr to 9 000 000 kr",
        ),
    ],
)
def test_ticket_says_how_the_ask_meets_the_range(low: int, high: int, expected: str) -> None:
    profile = ProfileFacts(ticket_min=low, ticket_max=high)
    assert sentence("ticket", PROPOSAL, profile) == kr(expected)


def test_only_contributing_reasons_largest_first() -> None:
    reasons = {"sector": 0.25, "stage": 0.0, "ticket": 0.15, "geography": 0.15, "text": 0.31}
    told = explain(reasons, PROPOSAL, FOLLOWS)
    assert [r.key for r in told] == ["text", "sector", "ticket", "geography"]
    assert told[0].text == "The text is similar to your investment thesis"


def test_stored_reasons_are_read_defensively() -> None:
    assert parse_reasons('{"sector": 0.25, "text": 0.1}') == {"sector": 0.25, "text": 0.1}
    assert parse_reasons("") == {}
    assert parse_reasons("not json") == {}
    assert parse_reasons("[1, 2]") == {}
    assert parse_reasons('{"sector": "a lot", "colour": 0.3, "stage": true, "text": NaN}') == {}
    assert explain(parse_reasons("{}"), PROPOSAL, FOLLOWS) == []


def test_a_faint_text_likeness_is_not_told_as_similar() -> None:
    faint = explain({"sector": 0.25, "text": 0.004}, PROPOSAL, FOLLOWS)
    assert [r.key for r in faint] == ["sector"]
    clear = explain({"sector": 0.25, "text": 0.05}, PROPOSAL, FOLLOWS)
    assert [r.key for r in clear] == ["sector", "text"]
