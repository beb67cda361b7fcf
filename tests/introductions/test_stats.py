"""The founder's anonymous figures: top matches, saves, "not interested" reasons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matchmaking.extensions import db as _db
from matchmaking.matches.models import MatchChoice, MatchScore, NotInterestedReason
from matchmaking.matches.stats import founder_stats, summarise_reasons
from tests.introductions.conftest import login

R = NotInterestedReason


def test_summarise_reasons_counts_and_hides_texts_below_three() -> None:
    two = [(R.MARKET, "For lite marked"), (R.TEAM, "")]
    assert summarise_reasons(two) == ([(R.TEAM, 1), (R.MARKET, 1)], 2, [])
    three = [*two, (None, "  Feil tidspunkt ")]
    reasons, total, texts = summarise_reasons(three)
    assert reasons == [(R.TEAM, 1), (R.MARKET, 1), (R.OTHER, 1)]
    assert total == 3
    assert texts == ["Feil tidspunkt", "For lite marked"]  # alphabetical, not by time


def _score(investor: Any, proposal: Any, score: float) -> None:
    _db.session.add(
        MatchScore(investor_id=investor.id, proposal_id=proposal.id, score=score, reasons="{}")
    )


def _choice(investor: Any, proposal: Any, **values: Any) -> None:
    _db.session.add(MatchChoice(investor_id=investor.id, proposal_id=proposal.id, **values))


def test_known_numbers(
    make_investor: Callable[..., Any],
    make_proposal: Callable[..., Any],
    make_user: Callable[..., Any],
    founder_proposal: Callable[..., Any],
) -> None:
    proposal = founder_proposal()
    other_founder = make_user("entrepreneur")
    better = [
        make_proposal(other_founder, title=f"Annet forslag {i}", status="submitted")
        for i in range(20)
    ]
    withdrawn = make_proposal(other_founder, title="Trukket", status="withdrawn")

    # 21st for A: out of the top 20 ...
    a = make_investor(name="A")
    _score(a, proposal, 0.5)
    for i, p in enumerate(better):
        _score(a, p, 0.6 + i / 100)
    # ... and for C too, until one better proposal is marked "not interested".
    c = make_investor(name="C")
    _score(c, proposal, 0.5)
    for i, p in enumerate(better):
        _score(c, p, 0.6 + i / 100)
    _choice(c, better[0], not_interested=True, reason=R.SECTOR)
    # E: 21st only because of a withdrawn proposal, which no longer counts.
    e = make_investor(name="E")
    _score(e, proposal, 0.5)
    for i, p in enumerate(better[:19]):
        _score(e, p, 0.6 + i / 100)
    _score(e, withdrawn, 0.99)
    # B: first. Pending P: first, but not approved. D: first, but not interested.
    b = make_investor(name="B")
    _score(b, proposal, 0.9)
    pending = make_investor(name="P", approved=False)
    _score(pending, proposal, 0.9)
    _choice(pending, proposal, saved=True)
    d = make_investor(name="D")
    _score(d, proposal, 0.9)
    _choice(b, proposal, saved=True)
    _choice(d, proposal, not_interested=True, reason=R.MARKET, reason_text="For lite marked")
    _db.session.commit()

    stats = founder_stats(proposal)
    assert stats.in_top_matches == 3  # B, C and E
    assert stats.saved == 1  # B; the pending investor does not count
    assert stats.reasons == [(R.MARKET, 1)]
    assert stats.not_interested == 1
    assert stats.texts == []  # fewer than three: no free texts

    f, g = make_investor(name="F"), make_investor(name="G")
    _choice(f, proposal, not_interested=True, reason=R.MARKET)
    _choice(g, proposal, not_interested=True, reason=R.TEAM, reason_text="Mangler salgskompetanse")
    _db.session.commit()
    stats = founder_stats(proposal)
    assert stats.reasons == [(R.TEAM, 1), (R.MARKET, 2)]
    assert stats.not_interested == 3
    # The investors are told only organisers read their words: founders get counts.
    assert stats.texts == []


def test_founder_page_shows_counts_never_who(
    client: Any,
    make_investor: Callable[..., Any],
    founder_proposal: Callable[..., Any],
) -> None:
    proposal = founder_proposal()
    names = ["Hanne Hemmelig", "Ivar Inkognito", "Jorunn Janus"]
    investors = [
        make_investor(name=n, organisation=f"{n} Holding AS", email=f"inv{i}@hemmelig.no")
        for i, n in enumerate(names)
    ]
    for investor in investors:
        _score(investor, proposal, 0.8)
    _choice(investors[0], proposal, saved=True)
    _choice(investors[1], proposal, not_interested=True, reason=R.TICKET, reason_text="For stor")
    _db.session.commit()
    login(client, proposal.company.owner)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Investorenes interesse" in page
    assert "Investeringsbeløp" in page  # the reason given, as a count
    for investor in investors:
        assert investor.name not in page
        assert investor.email not in page
        assert "Holding AS" not in page
    assert "For stor" not in page  # one reason only: no free texts
    stats = founder_stats(proposal)
    assert (stats.in_top_matches, stats.saved, stats.not_interested) == (2, 1, 1)


def test_others_do_not_see_the_figures(
    client: Any, make_investor: Callable[..., Any], founder_proposal: Callable[..., Any]
) -> None:
    proposal = founder_proposal()
    login(client, make_investor())
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Investorenes interesse" not in page


def test_investors_words_never_reach_the_founder_only_the_organisers(
    client: Any,
    make_investor: Callable[..., Any],
    make_user: Callable[..., Any],
    founder_proposal: Callable[..., Any],
) -> None:
    """The "not interested" form promises that only organisers read the words:
    however many investors gave them, the founder's page has counts only."""
    proposal = founder_proposal()
    words = ["Altfor tidlig for oss", "Kjenner ikke markedet", "Mangler salgskompetanse"]
    for n, text in enumerate(words):
        investor = make_investor(name=f"Investor {n}")
        _choice(investor, proposal, not_interested=True, reason=R.TEAM, reason_text=text)
    _db.session.commit()
    login(client, proposal.company.owner)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Investorenes interesse" in page
    for text in words:
        assert text not in page
    login(client, make_user("organiser"))
    page = client.get(f"/screening/{proposal.id}").get_data(as_text=True)
    for text in words:
        assert text in page
