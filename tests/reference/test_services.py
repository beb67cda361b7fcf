"""Reference-data rules: slugs, in use cannot be deleted, retire, choices."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from matchmaking.accounts.models import User
from matchmaking.extensions import db as _db
from matchmaking.proposals.models import Company, Instrument, Proposal
from matchmaking.reference import services
from matchmaking.reference.models import Municipality, Region, Sector, Stage, Subproject
from matchmaking.reference.services import ReferenceDataError


@pytest.fixture
def ctx(app: Flask, db: Any) -> Any:
    with app.test_request_context():
        yield db


def _region(slug: str = "ofoten", **kw: Any) -> Region:
    return services.create(Region, slug, name_nb=kw.get("nb", "Ofoten"), name_en="Ofoten")


def _company(owner: User, municipality: Municipality) -> Company:
    company = Company(
        owner_id=owner.id,
        name="Fjordlys AS",
        municipality=municipality,
        contact_name="Kari",
        contact_email="kari@example.no",
    )
    _db.session.add(company)
    _db.session.flush()
    return company


def _proposal(company: Company, sector: Sector, stage: Stage, sub: Subproject | None) -> Proposal:
    proposal = Proposal(
        company=company,
        title="Tareforedling",
        teaser="Tare fra Ofotfjorden",
        sector=sector,
        stage=stage,
        subproject=sub,
        ask=1_000_000,
        min_ticket=100_000,
        instrument=Instrument.EQUITY,
    )
    _db.session.add(proposal)
    _db.session.flush()
    return proposal


@pytest.mark.parametrize(
    "slug",
    ["", "Ofoten", "sør-troms", "sor troms", "-ofoten", "ofoten-", "a--b", "a_b", "x" * 61],
)
def test_bad_slugs_are_refused(ctx: Any, slug: str) -> None:
    with pytest.raises(ReferenceDataError) as error:
        services.create(Sector, slug, name_nb="Navn", name_en="Name")
    assert error.value.field == "slug"


@pytest.mark.parametrize("slug", ["ofoten", "sor-troms", "a", "fase-2", "x" * 60])
def test_good_slugs(slug: str) -> None:
    assert services.slug_is_valid(slug)


def test_duplicate_slug_is_refused_within_a_kind(ctx: Any) -> None:
    services.create(Sector, "marine", name_nb="Marin", name_en="Marine")
    with pytest.raises(ReferenceDataError, match="allerede i bruk") as error:
        services.create(Sector, "marine", name_nb="Hav", name_en="Sea")
    assert error.value.field == "slug"
    # Another kind may use the same slug.
    services.create(Subproject, "marine", name_nb="Marin", name_en="Marine")


def test_names_are_required(ctx: Any) -> None:
    with pytest.raises(ReferenceDataError) as error:
        services.create(Sector, "ok", name_nb="  ", name_en="Name")
    assert error.value.field == "name_nb"


def test_new_stage_goes_last(ctx: Any) -> None:
    first = services.create(Stage, "s-first", name_nb="A", name_en="A")
    last = services.create(Stage, "s-last", name_nb="B", name_en="B")
    assert last.position > first.position


def test_rename_keeps_the_slug(ctx: Any) -> None:
    sector = services.create(Sector, "marine", name_nb="Marin", name_en="Marine")
    services.rename(sector, name_nb="Havbruk", name_en="Aquaculture")
    assert (sector.slug, sector.name_nb, sector.name_en) == ("marine", "Havbruk", "Aquaculture")


def test_municipality_needs_an_active_region(ctx: Any) -> None:
    region = _region()
    services.retire(region)
    with pytest.raises(ReferenceDataError) as error:
        services.create(Municipality, "narvik", name="Narvik", region_id=region.id)
    assert error.value.field == "region_id"
    # An existing municipality keeps its retired region when renamed.
    services.unretire(region)
    narvik = services.create(Municipality, "narvik", name="Narvik", region_id=region.id)
    services.retire(region)
    services.rename(narvik, name="Narvik kommune", region_id=region.id)
    assert narvik.name == "Narvik kommune"


def test_in_use_cannot_be_deleted(ctx: Any, make_user: Any) -> None:
    region = _region()
    narvik = services.create(Municipality, "narvik", name="Narvik", region_id=region.id)
    sector = services.create(Sector, "marine", name_nb="Marin", name_en="Marine")
    stage = services.create(Stage, "seed-x", name_nb="Såkorn", name_en="Seed")
    sub = services.create(Subproject, "tidlig", name_nb="Tidlig", name_en="Early")
    company = _company(make_user("entrepreneur"), narvik)
    _proposal(company, sector, stage, sub)

    for row in (region, narvik, sector, stage, sub):
        assert services.usage(row), row
        with pytest.raises(ReferenceDataError, match="kan ikke slettes"):
            services.delete(row)
        assert _db.session.get(type(row), row.id) is row
    assert services.usage(region).counts == {"municipality": 1}
    assert services.usage(sector).counts == {"proposal": 1}


def test_unused_can_be_deleted(ctx: Any) -> None:
    sector = services.create(Sector, "unused", name_nb="Ubrukt", name_en="Unused")
    assert not services.usage(sector)
    services.delete(sector)
    assert _db.session.scalar(select(Sector).where(Sector.slug == "unused")) is None


def test_retire_and_unretire(ctx: Any) -> None:
    sector = services.create(Sector, "marine", name_nb="Marin", name_en="Marine")
    when = datetime(2026, 3, 1, tzinfo=UTC)
    services.retire(sector, now=when)
    assert sector.retired_at == when
    services.retire(sector)  # again: keeps the first date
    assert sector.retired_at == when
    services.unretire(sector)
    assert sector.retired_at is None


def test_active_choices_leave_out_retired_and_keep_the_current_value(ctx: Any) -> None:
    a = services.create(Sector, "zz-b", name_nb="Bølge", name_en="Alpha wave")
    b = services.create(Sector, "zz-a", name_nb="Anlegg", name_en="Zulu works")
    gone = services.create(Sector, "zz-gone", name_nb="Borte", name_en="Gone")
    services.retire(gone)
    with force_locale("nb"):
        choices = [
            c
            for c in services.active_choices(Sector)
            if c[0] in {str(a.id), str(b.id), str(gone.id)}
        ]
        assert choices == [(str(b.id), "Anlegg"), (str(a.id), "Bølge")]
    with force_locale("en"):
        slugs = [c for c in services.active_choices(Sector, key="slug") if c[0].startswith("zz-")]
        assert slugs == [("zz-b", "Alpha wave"), ("zz-a", "Zulu works")]
    kept = services.active_choices(Sector, include=gone.id)
    assert (str(gone.id), "Borte") in kept
    assert ("zz-gone", "Borte") in services.active_choices(Sector, key="slug", include="zz-gone")


def test_stage_choices_follow_position(ctx: Any) -> None:
    late = services.create(Stage, "zz-late", name_nb="Aaa sen", name_en="Late")
    early = services.create(Stage, "zz-early", name_nb="Zzz tidlig", name_en="Early")
    early.position, late.position = -2, -1
    ids = [c[0] for c in services.active_choices(Stage)]
    assert ids[:2] == [str(early.id), str(late.id)]


def test_municipalities_of_a_retired_region_are_not_offered(ctx: Any) -> None:
    region = _region("zz-region")
    town = services.create(Municipality, "zz-town", name="Zz-by", region_id=region.id)
    assert (str(town.id), "Zz-by") in services.active_choices(Municipality)
    services.retire(region)
    assert (str(town.id), "Zz-by") not in services.active_choices(Municipality)
    services.unretire(region)
    services.retire(town)
    assert (str(town.id), "Zz-by") not in services.active_choices(Municipality)
