"""Reference-data rules: add, rename, retire, un-retire, delete; choices for forms.

Proposals, companies and (later) investor profiles refer to reference rows,
and other records refer to them by slug, so:

- a slug is lowercase ``a-z``, ``0-9`` and single hyphens, unique within its
  kind, and never changes after creation (only the names do);
- a row that anything refers to cannot be deleted, only retired; a retired
  row keeps working where it is already used but is not offered for new data
  (:func:`active_choices`);
- "in use" is found from the schema: every foreign key that points at the
  row's table is counted (:func:`usage`), so a table added later (an
  investor's sectors, say) protects the rows it refers to without a change
  here.

Functions flush, never commit; the request commits once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import func, select

from matchmaking.db_utils import unique_or
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.numbers import parse_id
from matchmaking.reference.models import Municipality, Region, Sector, Stage, Subproject

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 60

#: The kinds of reference data, by the name used in URLs.
KINDS: dict[str, Any] = {
    "regions": Region,
    "municipalities": Municipality,
    "sectors": Sector,
    "stages": Stage,
    "subprojects": Subproject,
}


class ReferenceDataError(Exception):
    """A rule was broken. ``field`` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Usage:
    """Where a row is used: ``{table name: number of rows}``; empty when unused."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __bool__(self) -> bool:
        return self.total > 0


def slug_is_valid(slug: str) -> bool:
    """Lowercase a-z, 0-9 and single hyphens inside, at most 60 characters."""
    return len(slug) <= SLUG_MAX and SLUG_RE.fullmatch(slug) is not None


def slug_taken(model: Any, slug: str) -> bool:
    return db.session.scalar(select(model.id).where(model.slug == slug)) is not None


# Reading -------------------------------------------------------------------


def display_name(row: Any) -> str:
    """The name in the current language (a municipality has only one)."""
    return str(row.name)


def ordered(model: Any, *, include_retired: bool = True) -> list[Any]:
    """All rows of ``model``: stages by position, others by Norwegian name;
    municipalities by region and name. Retired rows last."""
    query = select(model)
    if not include_retired:
        query = query.where(model.retired_at.is_(None))
    retired_last = model.retired_at.is_not(None)
    if model is Stage:
        query = query.order_by(retired_last, Stage.position, Stage.id)
    elif model is Municipality:
        query = query.join(Region).order_by(
            retired_last, Region.name_nb, Municipality.name, Municipality.id
        )
    else:
        query = query.order_by(retired_last, model.name_nb, model.id)
    return list(db.session.scalars(query))


def active_choices(
    model: Any,
    *,
    key: Literal["id", "slug"] = "id",
    include: Any = None,
) -> list[tuple[str, str]]:
    """Choices for a select field: ``(id or slug as text, name in the current language)``.

    Only rows that are not retired (and, for municipalities, whose region is
    not retired) are offered. Stages come by position, municipalities by
    region and name, the rest by name in the current language. ``include``
    (a row, an id or a slug) keeps the value an existing record already has
    in the list even if it was retired since, so editing does not lose it.
    """
    query = select(model).where(model.retired_at.is_(None))
    if model is Municipality:
        query = query.join(Region).where(Region.retired_at.is_(None))
    rows = list(db.session.scalars(query))
    if include is not None:
        current = _find(model, include)
        if current is not None and current not in rows:
            rows.append(current)
    if model is Stage:
        rows.sort(key=lambda r: (r.position, r.id))
    elif model is Municipality:
        rows.sort(key=lambda r: (r.region.name_nb.casefold(), r.name.casefold()))
    else:
        rows.sort(key=lambda r: display_name(r).casefold())
    return [(str(getattr(r, key)), display_name(r)) for r in rows]


def _find(model: Any, value: Any) -> Any:
    if isinstance(value, model):
        return value
    if isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit()):
        number = parse_id(value)
        return db.session.get(model, number) if number is not None else None
    if isinstance(value, str):
        return db.session.scalar(select(model).where(model.slug == value))
    return None


def usage(row: Any) -> Usage:
    """Count the rows in every table whose foreign keys point at ``row``."""
    table = row.__table__
    counts: dict[str, int] = {}
    for other in db.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is not table:
                continue
            n = db.session.scalar(
                select(func.count()).select_from(other).where(fk.parent == row.id)
            )
            if n:
                counts[other.name] = counts.get(other.name, 0) + int(n)
    return Usage(counts)


# Changing ------------------------------------------------------------------


def _slug_taken() -> str:
    return str(_l("This slug is in use already. Choose another."))


def _check_new_slug(model: Any, slug: str) -> None:
    if not slug_is_valid(slug):
        raise ReferenceDataError(
            str(_l("Use only lowercase letters a–z, digits and hyphens, like “sor-troms”.")),
            "slug",
        )
    if slug_taken(model, slug):
        raise ReferenceDataError(_slug_taken(), "slug")


def _clean(name: str, field: str) -> str:
    name = name.strip()
    if not name:
        raise ReferenceDataError(str(_l("Enter a name.")), field)
    return name


def _active_region(region_id: int, current: Region | None = None) -> Region:
    region = db.session.get(Region, region_id)
    if region is None or (region.retired_at is not None and region is not current):
        raise ReferenceDataError(str(_l("Choose a region that is in use.")), "region_id")
    return region


def create(model: Any, slug: str, **values: Any) -> Any:
    """Add a row. Named kinds take ``name_nb`` and ``name_en``; a municipality
    takes ``name`` and ``region_id``. A new stage goes last."""
    slug = slug.strip()
    _check_new_slug(model, slug)
    region = None
    if model is Municipality:
        region = _active_region(int(values["region_id"]))
        row: Any = Municipality(slug=slug, name=_clean(values["name"], "name"))
    else:
        row = model(
            slug=slug,
            name_nb=_clean(values["name_nb"], "name_nb"),
            name_en=_clean(values["name_en"], "name_en"),
        )
        if model is Stage:
            last = db.session.scalar(select(func.max(Stage.position)))
            row.position = 0 if last is None else last + 1
    # The same slug added at the same moment by someone else: told as above.
    with unique_or(lambda: ReferenceDataError(_slug_taken(), "slug")):
        db.session.add(row)
        if region is not None:  # joined inside the SAVEPOINT, undone with it
            row.region = region
    return row


def rename(row: Any, **values: Any) -> None:
    """Change the names (and a municipality's region); the slug never changes."""
    if isinstance(row, Municipality):
        name = _clean(values["name"], "name")
        row.region = _active_region(int(values["region_id"]), current=row.region)
        row.name = name
    else:
        name_nb = _clean(values["name_nb"], "name_nb")
        row.name_en = _clean(values["name_en"], "name_en")
        row.name_nb = name_nb
    db.session.flush()


def retire(row: Any, now: datetime | None = None) -> None:
    """Stop offering ``row`` for new data; what already uses it keeps it."""
    if row.retired_at is None:
        row.retired_at = now or utcnow()
        db.session.flush()


def unretire(row: Any) -> None:
    """Offer ``row`` again."""
    if row.retired_at is not None:
        row.retired_at = None
        db.session.flush()


def delete(row: Any) -> None:
    """Delete a row nothing uses; raise ReferenceDataError if anything does."""
    if usage(row):
        raise ReferenceDataError(
            str(_l("This is in use and cannot be deleted. Retire it instead."))
        )
    db.session.delete(row)
    db.session.flush()
