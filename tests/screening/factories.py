"""Plain factories for screening tests (also used by the access table)."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from typing import Any

from sqlalchemy import select

from matchmaking.accounts.models import User
from matchmaking.extensions import db, utcnow
from matchmaking.proposals.models import (
    Company,
    Instrument,
    Proposal,
    ProposalEvent,
    Status,
)
from matchmaking.reference.models import Municipality, Region, Sector, Stage, Subproject
from matchmaking.screening.models import Criterion

_serial = count(1)


def _get_or_add(model: Any, slug: str, **values: Any) -> Any:
    row = db.session.scalar(select(model).where(model.slug == slug))
    if row is None:
        row = model(slug=slug, **values)
        db.session.add(row)
        db.session.flush()
    return row


def reference() -> dict[str, Any]:
    """Two municipalities, two sectors, two stages and two sub-projects."""
    region = _get_or_add(Region, "t-ofoten", name_nb="Ofoten", name_en="Ofoten")
    return {
        "narvik": _get_or_add(Municipality, "t-narvik", name="Narvik", region_id=region.id),
        "evenes": _get_or_add(Municipality, "t-evenes", name="Evenes", region_id=region.id),
        "ocean": _get_or_add(Sector, "t-ocean", name_nb="Havbruk", name_en="Aquaculture"),
        "tourism": _get_or_add(Sector, "t-tourism", name_nb="Reiseliv", name_en="Tourism"),
        "idea": _get_or_add(Stage, "t-idea", name_nb="Idé", name_en="Idea", position=0),
        "seed": _get_or_add(Stage, "t-seed", name_nb="Såkorn", name_en="Seed", position=2),
        "capital": _get_or_add(
            Subproject, "t-capital", name_nb="Tidligfasekapital", name_en="Early-phase capital"
        ),
        "jobs": _get_or_add(Subproject, "t-jobs", name_nb="Nye arbeidsplasser", name_en="New jobs"),
    }


def make_proposal(
    owner: User,
    status: Status = Status.SUBMITTED,
    *,
    title: str | None = None,
    teaser: str = "Et kort sammendrag.",
    company_name: str | None = None,
    municipality: str = "narvik",
    sector: str = "ocean",
    stage: str = "seed",
    subproject: str | None = "capital",
    submitted_at: datetime | None = None,
) -> Proposal:
    """A proposal of ``owner``'s new company, put straight into ``status``."""
    ref = reference()
    n = next(_serial)
    company = Company(
        owner_id=owner.id,
        name=company_name or f"Firma {n} AS",
        municipality_id=ref[municipality].id,
        contact_name="Kari Nordmann",
        contact_email=f"kari{n}@example.no",
    )
    proposal = Proposal(
        company=company,
        title=title or f"Forslag {n}",
        teaser=teaser,
        description="Konfidensiell beskrivelse.",
        sector_id=ref[sector].id,
        stage_id=ref[stage].id,
        subproject_id=ref[subproject].id if subproject else None,
        ask=2_000_000,
        min_ticket=250_000,
        instrument=Instrument.EQUITY,
        use_of_funds="Utvikling.",
        status=status,
        submitted_at=None
        if status is Status.DRAFT
        else (submitted_at or utcnow() - timedelta(days=n)),
    )
    db.session.add_all([company, proposal])
    db.session.flush()
    if status is not Status.DRAFT:
        db.session.add(
            ProposalEvent(
                proposal_id=proposal.id,
                actor_id=owner.id,
                from_status=Status.DRAFT,
                to_status=Status.SUBMITTED,
                at=proposal.submitted_at,
            )
        )
    db.session.commit()
    return proposal


def make_criterion(name: str = "Testkriterium", weight: float = 1.0) -> Criterion:
    n = next(_serial)
    criterion = Criterion(
        slug=f"t-crit-{n}", name_nb=name, name_en=f"{name} (en)", weight=weight, position=100 + n
    )
    db.session.add(criterion)
    db.session.commit()
    return criterion
