"""Stored match scores: the adapters, the three recomputes and the hook on proposal moves."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from matchmaking.accounts.models import InvestorStatus, User
from matchmaking.engine.rank import REASONS, rank
from matchmaking.investors.models import InvestorProfile
from matchmaking.matches import services
from matchmaking.matches.models import MatchScore
from matchmaking.proposals.lifecycle import MATCHABLE
from matchmaking.proposals.models import Proposal, Status
from matchmaking.proposals.services import transition
from matchmaking.reference.models import Municipality, Region, Sector, Stage, Subproject

T1 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
T2 = T1 + timedelta(days=1)


def _rows(model: Any, slugs: Sequence[str]) -> list[Any]:
    from matchmaking.extensions import db

    return list(db.session.scalars(select(model).where(model.slug.in_(slugs))))


@pytest.fixture
def make_profile(db: Any, reference: None) -> Callable[..., InvestorProfile]:
    """Factory: an interest profile for ``user`` (slugs for the lists)."""

    def factory(
        user: User,
        *,
        sectors: Sequence[str] = (),
        stages: Sequence[str] = (),
        municipalities: Sequence[str] = (),
        regions: Sequence[str] = (),
        subprojects: Sequence[str] = (),
        ticket_min: int = 100_000,
        ticket_max: int = 5_000_000,
        thesis: str = "",
    ) -> InvestorProfile:
        profile = InvestorProfile(
            user_id=user.id,
            display_name=user.name,
            ticket_min=ticket_min,
            ticket_max=ticket_max,
            thesis=thesis,
        )
        profile.sectors = _rows(Sector, sectors)
        profile.stages = _rows(Stage, stages)
        profile.municipalities = _rows(Municipality, municipalities)
        profile.regions = _rows(Region, regions)
        profile.subprojects = _rows(Subproject, subprojects)
        db.session.add(profile)
        db.session.commit()
        return profile

    return factory


@pytest.fixture
def investor(make_user: Any, make_profile: Any) -> User:
    user: User = make_user("investor", approved=True)
    make_profile(
        user,
        sectors=["marine"],
        stages=["seed"],
        regions=["ofoten"],
        thesis="Havbruk, tare og sjømat i Ofoten.",
    )
    return user


def stored(db: Any, investor_id: int | None = None) -> dict[tuple[int, int], MatchScore]:
    db.session.expire_all()
    query = select(MatchScore)
    if investor_id is not None:
        query = query.where(MatchScore.investor_id == investor_id)
    return {(m.investor_id, m.proposal_id): m for m in db.session.scalars(query)}


def as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# Adapters ---------------------------------------------------------------------------


def test_investor_adapter_gives_the_engine_slugs_regions_tickets_and_thesis(
    db: Any, make_user: Any, make_profile: Any
) -> None:
    user = make_user("investor", approved=True)
    profile = make_profile(
        user,
        sectors=["tourism", "marine"],
        stages=["seed"],
        municipalities=["harstad"],
        regions=["ofoten"],
        subprojects=["tidligfasekapital"],
        ticket_min=200_000,
        ticket_max=1_000_000,
        thesis="Reiseliv",
    )
    got = services.rank_investor(profile)
    assert got.id == user.id  # typed: the database id itself
    assert got.sectors == ("marine", "tourism")
    assert got.stages == ("seed",)
    assert got.municipalities == ("harstad", "ofoten")
    assert got.subprojects == ("tidligfasekapital",)
    assert (got.ticket_min, got.ticket_max, got.thesis) == (200_000, 1_000_000, "Reiseliv")
    # The bulk loader reads the same from the tables.
    assert services.load_investors() == [got]


def test_region_members_come_from_the_reference_tables(db: Any, reference: None) -> None:
    regions = services.region_members()
    assert set(regions["ofoten"]) == {"narvik", "tysfjord", "tjeldsund", "evenes", "ballangen"}
    assert "harstad" in regions["sor-troms"]


def test_pitch_adapter_gives_slugs_money_and_the_whole_text(db: Any, make_proposal: Any) -> None:
    proposal = make_proposal(
        title="Tare",
        teaser="Kort",
        description="Lang beskrivelse",
        sector="food",
        stage="idea",
        municipality="evenes",
        subproject=None,
        ask=900_000,
        min_ticket=100_000,
    )
    got = services.rank_pitch(proposal)
    assert (got.id, got.sector, got.stage, got.municipality) == (
        proposal.id,  # typed: the database id itself
        "food",
        "idea",
        "evenes",
    )
    assert got.subproject is None
    assert (got.ask, got.min_ticket) == (900_000, 100_000)
    assert got.text == "Tare\nKort\nLang beskrivelse"
    pitches, owners = services.load_pitches()
    assert pitches == [got]
    assert owners == {proposal.id: proposal.company.owner_id}


@pytest.mark.parametrize("status", list(Status))
def test_only_matchable_statuses_are_loaded(db: Any, make_proposal: Any, status: Status) -> None:
    make_proposal(status=status.value)
    pitches, _ = services.load_pitches()
    assert bool(pitches) == (status in MATCHABLE)


# recompute_all ----------------------------------------------------------------------


def test_recompute_all_stores_the_engines_scores_and_reasons(
    db: Any, investor: User, make_user: Any, make_profile: Any, make_proposal: Any
) -> None:
    other = make_user("investor", approved=True)
    make_profile(other, sectors=["tourism"], thesis="Reiseliv og opplevelser")
    proposals = [
        make_proposal(title="Tareforedling"),
        make_proposal(title="Nordlysturer", sector="tourism", teaser="Turer for turister."),
        make_proposal(title="Vekst", stage="growth", ask=20_000_000, min_ticket=6_000_000),
    ]
    done = services.recompute_all(now=T1)
    db.session.commit()

    profiles = db.session.scalars(select(InvestorProfile).order_by(InvestorProfile.user_id))
    expected = rank(
        [services.rank_investor(p) for p in profiles],
        [services.rank_pitch(p) for p in proposals],
        regions=services.region_members(),
        top=services.TOP_N,
    )
    rows = stored(db)
    want = {(int(inv), int(m.pitch)): m for inv, matches in expected.items() for m in matches}
    assert set(rows) == set(want)
    # The last proposal's smallest ticket is above both investors' largest: excluded.
    assert all(p != proposals[2].id for _, p in rows)
    for key, row in rows.items():
        reasons = json.loads(row.reasons)
        assert list(reasons) == list(REASONS)
        assert reasons == want[key].reasons
        assert row.score == want[key].score
        assert sum(reasons.values()) == pytest.approx(row.score, abs=1e-9)
        assert as_utc(row.computed_at) == T1 == as_utc(row.first_seen_at)
    assert (done.investors, done.proposals, done.stored, done.inserted) == (2, 3, 4, 4)
    # The marine investor's best match is the kelp proposal.
    best = max(stored(db, investor.id).values(), key=lambda r: r.score)
    assert best.proposal_id == proposals[0].id


def test_a_second_recompute_keeps_first_seen_and_changes_nothing_else(
    db: Any, investor: User, make_proposal: Any
) -> None:
    make_proposal()
    services.recompute_all(now=T1)
    before = {k: (r.score, r.reasons) for k, r in stored(db).items()}
    done = services.recompute_all(now=T2)
    rows = stored(db)
    assert {k: (r.score, r.reasons) for k, r in rows.items()} == before
    assert (done.inserted, done.updated, done.deleted) == (0, 0, 0)
    for row in rows.values():
        assert as_utc(row.first_seen_at) == T1
        assert as_utc(row.computed_at) == T2


def test_a_changed_profile_updates_scores_but_keeps_first_seen(
    db: Any, investor: User, make_proposal: Any
) -> None:
    proposal = make_proposal()
    services.recompute_all(now=T1)
    old = stored(db)[investor.id, proposal.id].score
    profile = db.session.scalar(
        select(InvestorProfile).where(InvestorProfile.user_id == investor.id)
    )
    profile.sectors = _rows(Sector, ["tourism"])
    done = services.recompute_for_investor(investor, now=T2)
    row = stored(db)[investor.id, proposal.id]
    assert row.score < old
    assert done.updated == 1
    assert as_utc(row.first_seen_at) == T1
    assert as_utc(row.computed_at) == T2


def test_unapproved_and_disabled_investors_have_no_rows(
    db: Any, investor: User, make_user: Any, make_profile: Any, make_proposal: Any
) -> None:
    pending = make_user("investor", approved=False)
    make_profile(pending)
    disabled = make_user("investor", approved=True, disabled=True)
    make_profile(disabled)
    no_profile = make_user("investor", approved=True)
    make_proposal()
    services.recompute_all()
    assert {i for i, _ in stored(db)} == {investor.id}
    for user in (pending, disabled, no_profile):
        assert not services.rankable(user)
        services.recompute_for_investor(user)
        assert stored(db, user.id) == {}


def test_a_rejected_investor_loses_their_rows(db: Any, investor: User, make_proposal: Any) -> None:
    make_proposal()
    services.recompute_for_investor(investor)
    assert stored(db, investor.id)
    investor.investor_status = InvestorStatus.REJECTED
    done = services.recompute_for_investor(investor)
    assert stored(db, investor.id) == {}
    assert done.deleted == 1
    # The full recompute agrees.
    investor.investor_status = InvestorStatus.APPROVED
    services.recompute_all()
    investor.investor_status = InvestorStatus.REJECTED
    services.recompute_all()
    assert stored(db) == {}


def test_an_investor_never_matches_their_own_company(
    db: Any, investor: User, make_user: Any, make_profile: Any, make_proposal: Any
) -> None:
    own = make_proposal(owner=investor)
    other = make_proposal()
    services.recompute_all()
    assert set(stored(db, investor.id)) == {(investor.id, other.id)}
    # Another investor still sees it.
    second = make_user("investor", approved=True)
    make_profile(second)
    services.recompute_for_investor(second)
    assert set(stored(db, second.id)) == {(second.id, own.id), (second.id, other.id)}


def test_each_investor_keeps_only_the_best_n(
    db: Any, investor: User, make_proposal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "TOP_N", 2)
    best = make_proposal(title="Tare og sjømat", teaser="Havbruk i Ofoten, tare og sjømat.")
    second = make_proposal(title="Sjømat", teaser="Sjømat fra Narvik.")
    make_proposal(title="Butikk", sector="services", stage="growth", municipality="harstad")
    make_proposal(title="Hotell", sector="tourism", stage="idea", municipality="harstad")
    services.recompute_all()
    assert set(stored(db, investor.id)) == {(investor.id, best.id), (investor.id, second.id)}


# recompute_for_proposal and the hook on moves -------------------------------------------


def test_a_submitted_proposal_enters_the_lists_and_pushes_out_the_weakest(
    app: Any, db: Any, investor: User, make_proposal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "TOP_N", 1)
    weak = make_proposal(title="Butikk", sector="services", stage="growth")
    services.recompute_all(now=T1)
    assert set(stored(db, investor.id)) == {(investor.id, weak.id)}
    strong = make_proposal(title="Tare", status="draft", stage="idea")
    strong.deck_file = "deck.pdf"
    founder = strong.company.owner
    with app.app_context():  # a submission also tells the organisers, with links to it
        transition(strong, Status.SUBMITTED, founder)
        db.session.commit()
    rows = stored(db, investor.id)
    assert set(rows) == {(investor.id, strong.id)}
    assert as_utc(rows[investor.id, strong.id].first_seen_at) > T1


def test_leaving_the_matchable_statuses_removes_the_rows(
    app: Any, db: Any, investor: User, make_user: Any, make_proposal: Any, outbox: Any
) -> None:
    proposal = make_proposal()
    kept = make_proposal(title="Annen tare")
    ids = (investor.id, proposal.id, kept.id)
    services.recompute_all()
    assert ids[:2] in stored(db)
    organiser = make_user("organiser")
    with app.test_request_context():
        transition(proposal, Status.DECLINED, organiser, "Ikke moden nok.")
        db.session.commit()
    assert len(outbox) == 1
    assert set(stored(db)) == {(ids[0], ids[2])}


def test_moves_between_matchable_statuses_do_not_rank_again(
    app: Any,
    db: Any,
    investor: User,
    make_user: Any,
    make_proposal: Any,
    outbox: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    proposal = make_proposal()
    calls: list[int] = []
    monkeypatch.setattr(
        "matchmaking.matches.signals.recompute_for_proposal",
        lambda p: calls.append(p.id),
    )
    organiser = make_user("organiser")
    with app.test_request_context():
        transition(proposal, Status.IN_SCREENING, organiser)
        assert calls == []
        transition(proposal, Status.DECLINED, organiser, "Nei takk.")
    assert calls == [proposal.id]


def test_a_per_proposal_recompute_writes_what_a_full_one_would(
    db: Any, investor: User, make_user: Any, make_profile: Any, make_proposal: Any
) -> None:
    other = make_user("investor", approved=True)
    make_profile(other, thesis="Turisme og reiseliv i Harstad", municipalities=["harstad"])
    make_proposal(title="Tare")
    make_proposal(title="Turisme", sector="tourism", municipality="harstad")
    services.recompute_all(now=T1)
    new = make_proposal(title="Sjømat og turisme", status="draft")
    new.status = Status.SUBMITTED
    services.recompute_for_proposal(new, now=T2)
    partial = {k: (r.score, r.reasons) for k, r in stored(db).items() if k[1] == new.id}
    assert len(partial) == 2
    services.recompute_all(now=T2)
    full = {k: (r.score, r.reasons) for k, r in stored(db).items() if k[1] == new.id}
    assert partial == full


def test_no_investors_or_no_proposals_is_not_an_error(
    db: Any, reference: None, make_proposal: Any, make_user: Any, make_profile: Any
) -> None:
    assert services.recompute_all().stored == 0
    make_proposal()
    assert services.recompute_all().stored == 0
    user = make_user("investor", approved=True)
    make_profile(user)
    db.session.execute(Proposal.__table__.update().values(status=Status.WITHDRAWN.value))
    assert services.recompute_all().stored == 0
    assert db.session.scalar(select(func.count()).select_from(MatchScore)) == 0


def test_stored_reasons_are_json_in_the_engines_order() -> None:
    from matchmaking.engine.rank import RankedMatch

    parts = dict(zip(REASONS, (0.25, 0.075, 1e-06, 0.0, 0.1, 0.074999), strict=True))
    text = services.reasons_json(RankedMatch("1", sum(parts.values()), parts))
    assert json.loads(text) == parts
    assert list(json.loads(text)) == list(REASONS)
    assert " " not in text


def test_moving_the_company_recomputes_its_live_proposals(
    db: Any, investor: User, make_proposal: Any
) -> None:
    """Geography is part of the score and of its "why": a company that moves
    out of the investor's region must not keep the old credit."""
    from matchmaking.proposals.services import save_company

    proposal = make_proposal()
    services.recompute_all(now=T1)
    row = stored(db)[investor.id, proposal.id]
    before = row.score
    assert json.loads(row.reasons)["geography"] > 0
    company = proposal.company
    harstad = db.session.scalar(select(Municipality.id).where(Municipality.slug == "harstad"))
    save_company(
        company.owner,
        company,
        name=company.name,
        org_number=company.org_number,
        municipality_id=harstad,
        website=company.website,
        contact_name=company.contact_name,
        contact_email=company.contact_email,
        contact_phone=company.contact_phone,
        team=[(m.name, m.role, m.background) for m in company.team],
    )
    after = stored(db)[investor.id, proposal.id]
    assert json.loads(after.reasons)["geography"] == 0
    assert after.score < before
