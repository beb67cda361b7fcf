"""The shared double-submit helpers, inside the test's own transaction."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from matchmaking.db_utils import get_or_create, insert, unique_or
from matchmaking.reference.models import Sector


def _sectors(db: Any, slug: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Sector).where(Sector.slug == slug))


def test_insert_refused_by_a_unique_constraint_rolls_back_only_itself(db: Any) -> None:
    assert insert(Sector(slug="romfart", name_nb="Romfart", name_en="Space"))
    other = Sector(slug="annet", name_nb="Annet", name_en="Other")
    db.session.add(other)  # pending work before the refused insert is kept

    duplicate = Sector(slug="romfart", name_nb="Rom", name_en="Space 2")
    assert insert(duplicate) is False

    assert duplicate not in db.session
    db.session.commit()
    assert _sectors(db, "romfart") == 1
    assert _sectors(db, "annet") == 1


def test_get_or_create_returns_the_row_made_first(db: Any) -> None:
    first, created = get_or_create(Sector, {"slug": "romfart"}, name_nb="Romfart", name_en="Space")
    assert created
    again, created = get_or_create(Sector, {"slug": "romfart"}, name_nb="X", name_en="X")
    assert (again, created) == (first, False)


def test_unique_or_raises_the_callers_error(db: Any) -> None:
    insert(Sector(slug="romfart", name_nb="Romfart", name_en="Space"))
    with pytest.raises(LookupError, match="taken"), unique_or(lambda: LookupError("taken")):
        db.session.add(Sector(slug="romfart", name_nb="Rom", name_en="Space"))
    assert _sectors(db, "romfart") == 1
