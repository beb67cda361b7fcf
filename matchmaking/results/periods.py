"""When a funded company is asked for a report: pure date arithmetic, no app.

Period ``n`` (1, 2, 3 ...) is due ``6 * n`` months after the funding date
(``Round.funded_on``). A day that the target month lacks moves to the
month's last day: funded on 31 August, the first period is due on
28 (or 29) February.
"""

from __future__ import annotations

import calendar
from datetime import date

#: Months between two requests for a report.
MONTHS_PER_PERIOD = 6


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months on, clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def due_on(funded_on: date, period: int) -> date:
    """The day period ``period`` (1 = six months after funding) is due."""
    if period < 1:
        raise ValueError(f"periods start at 1, not {period}")
    return add_months(funded_on, MONTHS_PER_PERIOD * period)


def latest_due_period(funded_on: date, today: date) -> int | None:
    """The latest period due on or before ``today``; None before the first."""
    period = None
    # A guess from the months elapsed, then corrected by the exact days.
    months = (today.year - funded_on.year) * 12 + today.month - funded_on.month
    n = max(months // MONTHS_PER_PERIOD, 1)
    while n > 1 and due_on(funded_on, n) > today:
        n -= 1
    while due_on(funded_on, n) <= today:
        period = n
        n += 1
    return period
