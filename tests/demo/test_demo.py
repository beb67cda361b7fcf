"""The demo data: proposals across the region, loaded once, with real PDF decks."""

from __future__ import annotations

import io
import re
import tomllib
from fnmatch import fnmatch
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import func, select

from matchmaking.accounts.models import Role, User
from matchmaking.demo import data, services
from matchmaking.demo.pdf import pitch_deck
from matchmaking.demo.proposal_data import DATA, PROPOSALS, load_proposals
from matchmaking.demo.proposals import PATHS, path_is_allowed, valid_orgnr
from matchmaking.proposals.models import Company, Proposal, ProposalEvent, Status, TeamMember
from matchmaking.proposals.orgnr import is_valid_orgnr
from matchmaking.proposals.services import missing_for_submission
from matchmaking.reference.models import Municipality, Sector, Stage, Subproject
from matchmaking.screening.models import Criterion, Review, Score

MODELS = (User, Company, TeamMember, Proposal, ProposalEvent, Review, Score, Criterion)


def _counts(db: Any) -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in MODELS)


def test_loading_twice_adds_nothing_twice(app: Flask, db: Any, loaded: Path) -> None:
    before = _counts(db)
    files = sorted(loaded.iterdir())
    with app.test_request_context():
        services.load()
        db.session.commit()
    assert _counts(db) == before
    assert sorted(loaded.iterdir()) == files


def test_about_twenty_proposals_across_the_reference_data(db: Any, loaded: Path) -> None:
    proposals = db.session.scalars(select(Proposal)).all()
    assert 18 <= len(proposals) <= 22
    assert {p.subproject.slug for p in proposals if p.subproject} == set(
        db.session.scalars(select(Subproject.slug))
    )
    assert any(p.subproject is None for p in proposals)
    assert {p.stage.slug for p in proposals} == set(db.session.scalars(select(Stage.slug)))
    assert {p.sector.slug for p in proposals} == set(db.session.scalars(select(Sector.slug)))
    assert {p.company.municipality.slug for p in proposals} == set(
        db.session.scalars(select(Municipality.slug))
    )
    assert {p.company.municipality.region.slug for p in proposals} == {"ofoten", "sor-troms"}


def test_statuses_and_timelines(db: Any, loaded: Path) -> None:
    proposals = db.session.scalars(select(Proposal)).all()
    statuses = [p.status for p in proposals]
    assert statuses.count(Status.DRAFT) >= 2
    assert statuses.count(Status.ACCEPTED) >= 2
    assert statuses.count(Status.DECLINED) == 1
    assert statuses.count(Status.CHANGES_REQUESTED) == 1
    assert sum(s in (Status.SUBMITTED, Status.IN_SCREENING) for s in statuses) >= 4
    for proposal in proposals:
        events = proposal.events
        if proposal.status is Status.DRAFT:
            assert events == []
            continue
        # The timeline leads from draft to the status, in order, each move by the right people.
        assert events[0].from_status is Status.DRAFT
        assert events[-1].to_status is proposal.status
        for before, after in pairwise(events):
            assert before.to_status is after.from_status
            assert before.at < after.at
        for event in events:
            actor = db.session.get(User, event.actor_id)
            founder_move = event.to_status in (
                Status.SUBMITTED,
                Status.RESUBMITTED,
                Status.WITHDRAWN,
            )
            assert actor.role is (Role.ENTREPRENEUR if founder_move else Role.ORGANISER)
            if founder_move:
                assert actor.id == proposal.company.owner_id
        assert proposal.submitted_at is not None
        assert missing_for_submission(proposal) == []
    declined = next(p for p in proposals if p.status is Status.DECLINED)
    assert declined.events[-1].comment
    assert declined.share_review_comments


def test_every_demo_path_is_allowed_by_the_lifecycle() -> None:
    for status, path in PATHS.items():
        assert path_is_allowed(path), status
    assert not path_is_allowed(((Status.ACCEPTED, "organiser", ""),))


def test_teasers_amounts_and_org_numbers(db: Any, loaded: Path) -> None:
    for spec in PROPOSALS:
        assert len(spec.teaser) <= 300, spec.title
        assert 0 < spec.min_ticket <= spec.ask
        assert spec.jobs_in_3_years >= spec.jobs_now >= 0
    companies = db.session.scalars(select(Company)).all()
    numbers = [c.org_number for c in companies if c.org_number]
    assert len(numbers) == len(set(numbers)) >= 15
    assert all(is_valid_orgnr(n) for n in numbers)
    without = [c for c in companies if c.org_number is None]
    assert without
    assert all(p.stage.slug == "idea" for c in without for p in c.proposals)
    for proposal in db.session.scalars(select(Proposal)):
        assert isinstance(proposal.ask, int)
        assert proposal.company.team


def test_the_proposals_file_ships_with_the_package() -> None:
    """``proposals.toml`` is read at run time, so pyproject's package-data names it."""
    root = Path(__file__).resolve().parents[2]
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["matchmaking"]
    relative = DATA.relative_to(root / "matchmaking").as_posix()
    assert any(fnmatch(relative, pattern) for pattern in patterns)


def test_a_left_out_key_is_none_and_defaults_hold(tmp_path: Path) -> None:
    spec = PROPOSALS[0]
    path = tmp_path / "one.toml"
    path.write_text(
        """[[proposal]]
owner = "x@example.no"
company = "X AS"
municipality = "narvik"
team = [["Ada", "Daglig leder", "Gründer."]]
title = "T"
teaser = "Kort."
description = "Lang."
sector = "marine"
stage = "idea"
ask = 100_000
min_ticket = 50_000
instrument = "equity"
use_of_funds = ""
jobs_now = 0
jobs_in_3_years = 1
traction = ""
status = "draft"
days_ago = 1
""",
        encoding="utf-8",
    )
    (one,) = load_proposals(path)
    assert (one.orgnr_base, one.website, one.subproject, one.pre_money) == (None,) * 4
    assert one.team == (("Ada", "Daglig leder", "Gründer."),)
    assert (one.quality, one.conflict, one.review_comments) == (3, False, ("", ""))
    assert isinstance(spec.team[0], tuple)
    assert isinstance(spec.review_comments, tuple)


@pytest.mark.parametrize("base", ["00000000", "91234567", "99999990", "12345678"])
def test_valid_orgnr(base: str) -> None:
    number = valid_orgnr(base)
    assert is_valid_orgnr(number)
    assert number[:8] >= base


def test_decks_are_real_pdfs(db: Any, loaded: Path) -> None:
    with_deck = [p for p in db.session.scalars(select(Proposal)) if p.deck_file]
    assert len(with_deck) >= 3
    for proposal in with_deck:
        assert re.fullmatch(r"[0-9a-f]{32}\.pdf", proposal.deck_file)
        assert proposal.deck_name.endswith(".pdf")
        raw = (loaded / proposal.deck_file).read_bytes()
        assert raw.startswith(b"%PDF-")
        assert raw.rstrip().endswith(b"%%EOF")
        assert proposal.deck_size == len(raw)
        reader = PdfReader(io.BytesIO(raw), strict=True)
        assert len(reader.pages) == 2
        assert proposal.title.split()[0] in reader.pages[0].extract_text()


def test_pdf_structure_without_a_library() -> None:
    """The cross-reference table points at each object, and startxref at the table."""
    raw = pitch_deck("Tare (og «blåskog») – 1\\2", "Tysfjord Tare AS", [("Side", ["æøå ÆØÅ"])])
    xref = int(re.search(rb"startxref\n(\d+)\n%%EOF", raw).group(1))
    assert raw[xref:].startswith(b"xref\n0 ")
    count = int(raw[xref:].split(b"\n")[1].split()[1])
    entries = raw[xref:].split(b"\n")[3 : 3 + count - 1]
    for number, entry in enumerate(entries, start=1):
        offset = int(entry.split()[0])
        assert raw[offset:].startswith(f"{number} 0 obj".encode())
    assert len(PdfReader(io.BytesIO(raw), strict=True).pages) == 1


def test_reviews_by_two_organisers(db: Any, loaded: Path) -> None:
    reviews = db.session.scalars(select(Review)).all()
    reviewers = {r.reviewer.email for r in reviews}
    assert reviewers == {"arrangor@demo.banofoten.no", "arrangor2@demo.banofoten.no"}
    assert all(r.reviewer.role is Role.ORGANISER for r in reviews)
    criteria = db.session.scalars(select(Criterion)).all()
    assert len(criteria) >= 6
    scored = [r for r in reviews if not r.conflict_of_interest]
    for review in scored:
        assert {s.criterion_id for s in review.scores} == {c.id for c in criteria}
        assert all(1 <= s.value <= 5 for s in review.scores)
    by_proposal: dict[int, int] = {}
    for review in scored:
        by_proposal[review.proposal_id] = by_proposal.get(review.proposal_id, 0) + 1
    assert sum(1 for n in by_proposal.values() if n == 2) >= 5
    conflicts = [r for r in reviews if r.conflict_of_interest]
    assert len(conflicts) == 1
    assert conflicts[0].scores == []


def test_every_demo_login_works(app: Flask, client: Any, db: Any, loaded: Path) -> None:
    logins = data.DEMO_USERS + data.MORE_DEMO_USERS
    assert len({e for e, *_ in logins}) == len(logins)
    owners = {spec.owner for spec in PROPOSALS}
    assert owners <= {e for e, _n, role, _s in logins if role == "entrepreneur"}
    # The demo founder has several proposals, but only one accepted for Springbrett;
    # every accepted proposal has its own founder (nobody pitches twice).
    assert sum(spec.owner == "grunder@demo.banofoten.no" for spec in PROPOSALS) >= 3
    accepted = [spec.owner for spec in PROPOSALS if spec.status == "accepted"]
    assert len(accepted) == len(set(accepted)) == 7
    assert accepted.count("grunder@demo.banofoten.no") == 1
    for email, _name, _role, _status in logins:
        assert email.endswith("@demo.banofoten.no")
        response = client.post("/auth/login", data={"email": email, "password": data.DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert not response.headers["Location"].startswith("/auth/login")
        client.post("/auth/logout")


def test_an_older_demo_database_gives_each_founder_their_company(
    app: Flask, db: Any, loaded: Path
) -> None:
    """A company an earlier version of the demo gave to another demo founder moves
    to its founder now, with its proposals, instead of being loaded twice."""
    drone = db.session.scalar(select(Company).where(Company.name == "Ofoten Droneinspeksjon AS"))
    kari = db.session.scalar(select(User).where(User.email == "grunder@demo.banofoten.no"))
    jorgen = drone.owner
    assert jorgen.email == "jorgen.lind@demo.banofoten.no"
    drone.owner = kari  # as the demo data had it before
    for event in drone.proposals[0].events:
        if event.actor_id == jorgen.id:
            event.actor_id = kari.id
    db.session.commit()
    before = _counts(db)
    with app.test_request_context():
        services.load()
        db.session.commit()
    assert _counts(db) == before
    drone = db.session.scalar(select(Company).where(Company.name == "Ofoten Droneinspeksjon AS"))
    assert drone.owner.email == "jorgen.lind@demo.banofoten.no"
    assert drone.contact_email == "jorgen.lind@demo.banofoten.no"
    submitted = next(e for e in drone.proposals[0].events if e.to_status is Status.SUBMITTED)
    assert submitted.actor_id == drone.owner_id
