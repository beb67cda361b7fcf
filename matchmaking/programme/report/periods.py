"""A report's period: Oslo calendar dates, both ends included, and the one before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from matchmaking.dates import OSLO


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included (Oslo's calendar)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    @property
    def starts_at(self) -> datetime:
        """Midnight in Oslo at the start, in UTC (included)."""
        return _midnight(self.start)

    @property
    def ends_at(self) -> datetime:
        """Midnight in Oslo after the last day, in UTC (excluded)."""
        return _midnight(self.end + timedelta(days=1))

    def holds(self, moment: datetime | None) -> bool:
        return moment is not None and self.starts_at <= moment < self.ends_at

    def holds_day(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @property
    def slug(self) -> str:
        """For file names: ``2026-01-01_2026-06-30``."""
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=OSLO).astimezone(UTC)
