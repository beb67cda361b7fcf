"""Reference data that organisers can edit; proposals refer to it by slug.

Nothing in use is ever deleted, only retired (``retired_at`` set).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import get_locale
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaking.extensions import UTCDateTime, db


class _Named:
    """Bilingual display name: ``name_nb`` and ``name_en``."""

    name_nb: Mapped[str]
    name_en: Mapped[str]

    @property
    def name(self) -> str:
        locale = get_locale()
        if locale is not None and locale.language == "en":
            return self.name_en
        return self.name_nb


class Region(_Named, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_nb: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    municipalities: Mapped[list[Municipality]] = relationship(
        back_populates="region", order_by="Municipality.name"
    )


class Municipality(db.Model):  # type: ignore[name-defined,misc]
    """A municipality (kommune); its name is the same in both languages."""

    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    region: Mapped[Region] = relationship(back_populates="municipalities")


class Sector(_Named, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "sector"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_nb: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Stage(_Named, db.Model):  # type: ignore[name-defined,misc]
    """A company stage; ``position`` orders them, earliest first."""

    __tablename__ = "stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_nb: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Subproject(_Named, db.Model):  # type: ignore[name-defined,misc]
    """One of the regional programme's sub-projects."""

    __tablename__ = "subproject"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_nb: Mapped[str] = mapped_column(String(160))
    name_en: Mapped[str] = mapped_column(String(160))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
