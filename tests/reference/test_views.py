"""The reference-data pages: organisers add, rename, retire, un-retire and delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from matchmaking.extensions import utcnow
from matchmaking.proposals.models import Company
from matchmaking.reference.models import Municipality, Region, Sector
from tests.conftest import reload


def _sector(db: Any, slug: str = "zz-marine", **kw: Any) -> Sector:
    sector = Sector(slug=slug, name_nb=kw.get("nb", "Marin"), name_en=kw.get("en", "Marine"))
    db.session.add(sector)
    db.session.commit()
    return sector


def _region(db: Any, slug: str = "zz-ofoten") -> Region:
    region = Region(slug=slug, name_nb="Zz-Ofoten", name_en="Zz-Ofoten")
    db.session.add(region)
    db.session.commit()
    return region


def test_pages_list_every_kind(client: Any, login_as: Any, db: Any) -> None:
    login_as("organiser")
    page = client.get("/reference/").get_data(as_text=True)
    for title in ("Regioner", "Kommuner", "Bransjer", "Faser", "Delprosjekter"):
        assert title in page
    _sector(db)
    for kind in ("regions", "municipalities", "sectors", "stages", "subprojects"):
        assert client.get(f"/reference/{kind}/").status_code == 200
        assert client.get(f"/reference/{kind}/new").status_code == 200
    assert "zz-marine" in client.get("/reference/sectors/").get_data(as_text=True)


def test_organiser_adds_a_sector(client: Any, login_as: Any, db: Any) -> None:
    login_as("organiser")
    response = client.post(
        "/reference/sectors/new",
        data={"slug": "zz-space", "name_nb": "Romfart", "name_en": "Space"},
    )
    assert response.status_code == 302
    sector = db.session.scalar(select(Sector).where(Sector.slug == "zz-space"))
    assert (sector.name_nb, sector.name_en, sector.retired_at) == ("Romfart", "Space", None)


def test_bad_and_duplicate_slugs_get_a_message_beside_the_field(
    client: Any, login_as: Any, db: Any
) -> None:
    login_as("organiser")
    _sector(db)
    for slug, message in [
        ("", "Skriv inn et kortnavn"),
        ("Store Bokstaver", "Bruk bare små bokstaver"),
        ("zz-marine", "er allerede i bruk"),
    ]:
        response = client.post(
            "/reference/sectors/new", data={"slug": slug, "name_nb": "Hav", "name_en": "Sea"}
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert message in page, slug
        assert 'id="slug-error"' in page
        assert 'aria-invalid="true"' in page
        # Nothing typed is lost.
        assert 'value="Hav"' in page
        assert 'value="Sea"' in page
    assert len(db.session.scalars(select(Sector).where(Sector.name_nb == "Hav")).all()) == 0


def test_rename_keeps_the_slug(client: Any, login_as: Any, db: Any) -> None:
    login_as("organiser")
    sector = _sector(db)
    page = client.get(f"/reference/sectors/{sector.id}/edit").get_data(as_text=True)
    assert 'name="slug"' not in page
    response = client.post(
        f"/reference/sectors/{sector.id}/edit",
        data={"slug": "changed", "name_nb": "Havbruk", "name_en": "Aquaculture"},
    )
    assert response.status_code == 302
    sector = reload(sector)
    assert (sector.slug, sector.name_nb, sector.name_en) == ("zz-marine", "Havbruk", "Aquaculture")


def test_rename_with_an_empty_name_keeps_the_old(client: Any, login_as: Any, db: Any) -> None:
    login_as("organiser")
    sector = _sector(db)
    response = client.post(
        f"/reference/sectors/{sector.id}/edit", data={"name_nb": "", "name_en": "Sea"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Skriv inn et navn." in page
    assert 'value="Sea"' in page
    assert reload(sector).name_en == "Marine"


def test_municipality_in_a_region(client: Any, login_as: Any, db: Any) -> None:
    login_as("organiser")
    region = _region(db)
    retired = _region(db, "zz-gone")
    retired.retired_at = utcnow()
    db.session.commit()
    page = client.get("/reference/municipalities/new").get_data(as_text=True)
    assert f'value="{region.id}"' in page
    assert f'value="{retired.id}"' not in page
    response = client.post(
        "/reference/municipalities/new",
        data={"slug": "zz-town", "name": "Zz-by", "region_id": str(retired.id)},
    )
    assert response.status_code == 200
    assert 'id="region_id-error"' in response.get_data(as_text=True)
    response = client.post(
        "/reference/municipalities/new",
        data={"slug": "zz-town", "name": "Zz-by", "region_id": str(region.id)},
    )
    assert response.status_code == 302
    town = db.session.scalar(select(Municipality).where(Municipality.slug == "zz-town"))
    assert town.region_id == region.id


def test_retire_and_offer_again(client: Any, login_as: Any, db: Any) -> None:
    login_as("organiser")
    sector = _sector(db)
    assert client.get(f"/reference/sectors/{sector.id}/retire").status_code == 405
    response = client.post(f"/reference/sectors/{sector.id}/retire", follow_redirects=True)
    assert "er tatt ut av bruk" in response.get_data(as_text=True)
    assert reload(sector).retired_at is not None
    client.post(f"/reference/sectors/{sector.id}/unretire")
    assert reload(sector).retired_at is None


def test_something_in_use_cannot_be_deleted(
    client: Any, login_as: Any, make_user: Any, db: Any
) -> None:
    login_as("organiser")
    region = _region(db)
    town = Municipality(slug="zz-town", name="Zz-by", region=region)
    db.session.add(town)
    db.session.commit()
    founder = make_user("entrepreneur")
    db.session.add(
        Company(
            owner_id=founder.id,
            name="Fjordlys AS",
            municipality=town,
            contact_name="Kari",
            contact_email="kari@example.no",
        )
    )
    db.session.commit()

    listing = client.get("/reference/municipalities/").get_data(as_text=True)
    assert f"/reference/municipalities/{town.id}/delete" not in listing
    for path in (f"/reference/municipalities/{town.id}", f"/reference/regions/{region.id}"):
        response = client.post(f"{path}/delete", follow_redirects=True)
        assert "er i bruk og kan ikke slettes" in response.get_data(as_text=True)
    assert reload(town) is not None
    assert reload(region) is not None


def test_unused_can_be_deleted(client: Any, login_as: Any, db: Any) -> None:
    login_as("organiser")
    sector = _sector(db)
    assert f"/reference/sectors/{sector.id}/delete" in client.get("/reference/sectors/").get_data(
        as_text=True
    )
    response = client.post(f"/reference/sectors/{sector.id}/delete")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Sector, sector.id) is None


def test_pages_in_english(client: Any, login_as: Any, db: Any) -> None:
    login_as("organiser")
    page = client.get("/reference/sectors/?lang=en").get_data(as_text=True)
    assert "New sector" in page
    assert '<th scope="col">' in page
