"""The organisers' report page: ``GET /programme/report?from=YYYY-MM-DD&to=YYYY-MM-DD``.

Without a period it shows 1 January of this year (Oslo) to today; a period
that cannot be read is told beside its field and the default period's report
is shown. Organisers see every number (``masked=False``); the template
honours the small-cell rule's ``hidden`` flags everywhere, so the steering
group's page can use it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal, format_percent
from sqlalchemy import select
from wtforms import DateField
from wtforms.validators import Optional

from matchmaking.accounts.access import organiser_required
from matchmaking.dates import day, oslo_today
from matchmaking.extensions import db
from matchmaking.formtools import Form
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.money import format_kroner
from matchmaking.numbers import percent_half_up
from matchmaking.programme.blueprint import bp
from matchmaking.programme.report.build import Report, build
from matchmaking.programme.report.numbers import COLUMNS, STEPS, Cell
from matchmaking.programme.report.periods import Period
from matchmaking.programme.report.sessions import SESSION_COLUMNS
from matchmaking.proposals.services import STATUS_LABELS
from matchmaking.reference.models import Municipality
from matchmaking.results.views import fte

#: The longest period a report covers.
MAX_YEARS: Final = 10
#: The dates a period may start and end between (the service began long
#: after the first; a report cannot look further ahead than the last).
EARLIEST: Final = date(2000, 1, 1)
LATEST: Final = date(2100, 12, 31)

#: How each breakdown column's numbers are written.
KINDS: Final = {
    "proposals": "count",
    "sought": "kroner",
    "committed": "kroner",
    "raised": "kroner",
    "jobs_now": "count",
    "jobs_in_3_years": "count",
    "jobs_reported": "fte",
}
COLUMN_LABELS: Final = {
    "proposals": _l("Proposals submitted"),
    "sought": _l("Capital sought"),
    "committed": _l("Capital committed"),
    "raised": _l("Capital raised"),
    "jobs_now": _l("Jobs now"),
    "jobs_in_3_years": _l("Jobs in 3 years"),
    "jobs_reported": _l("Jobs reported (full-time equivalents)"),
}
STEP_LABELS: Final = {
    "submitted": _l("Submitted"),
    "screened": _l("Screened"),
    "accepted": _l("Accepted for Springbrett"),
    "pitched": _l("Pitched"),
    "in_dialogue": _l("In dialogue with investors"),
    "funded": _l("Funded"),
}
SESSION_LABELS: Final = {
    "pitches": _l("Pitches"),
    "investors": _l("Investors attending"),
    "meetings": _l("1:1 meetings"),
    "follow_ups": _l("Follow-ups wanted"),
}
TABLE_CAPTIONS: Final = {
    "subproject": _l("By sub-project"),
    "municipality": _l("By municipality, grouped by region"),
    "sector": _l("By sector"),
    "stage": _l("By stage"),
}
TABLE_FIRST_COLUMN: Final = {
    "subproject": _l("Sub-project"),
    "municipality": _l("Municipality"),
    "sector": _l("Sector"),
    "stage": _l("Stage"),
}


class PeriodForm(Form):
    start = DateField(
        _l("From"),
        name="from",
        validators=[Optional()],
        invalid_value_message=_l("Enter a date, e.g. 2027-02-18."),
    )
    end = DateField(
        _l("To"),
        name="to",
        validators=[Optional()],
        invalid_value_message=_l("Enter a date, e.g. 2027-02-18."),
    )


def default_period(today: date | None = None) -> Period:
    """1 January of this year (Oslo) to today. (When steering-group meetings
    exist: since the previous meeting.)"""
    today = today or oslo_today()
    return Period(date(today.year, 1, 1), today)


def _years_later(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def read_period(form: PeriodForm, default: Period) -> Period | None:
    """The period asked for, the default when none is, or ``None`` when the
    form has errors (each told beside its field)."""
    if not form.validate():
        return None
    start = form.start.data or default.start
    end = form.end.data or default.end
    range_message = _l(
        "Choose a date from %(first)s to %(last)s.", first=day(EARLIEST), last=day(LATEST)
    )
    for field, value in ((form.start, start), (form.end, end)):
        if field.data is not None and not EARLIEST <= value <= LATEST:
            field.errors.append(str(range_message))
    if form.errors:
        return None
    if end < start:
        form.end.errors.append(
            str(_l("The end is before the start. Choose %(day)s or later.", day=day(start)))
        )
        return None
    if end >= _years_later(start, MAX_YEARS):
        form.end.errors.append(
            str(
                _l(
                    "A report covers at most %(years)d years. Choose a shorter period.",
                    years=MAX_YEARS,
                )
            )
        )
        return None
    return Period(start, end)


def show(cell: Cell, kind: str) -> str:
    """A cell's number as the page writes it (the template shows a hidden
    cell as "fewer than 3" before asking)."""
    if kind == "kroner":
        return format_kroner(round(cell.value))
    if kind == "fte":
        return fte(cell.value)
    return str(format_decimal(round(cell.value), "#,##0"))


def change(now: Cell, before: Cell, kind: str) -> str | None:
    """The change from the period before with its sign; ``None`` when
    either number is hidden (the change would tell it)."""
    if now.hidden or before.hidden:
        return None
    difference = now.value - before.value
    difference = round(difference, 1) if kind == "fte" else round(difference)
    if difference == 0:
        return show(Cell(0), kind)
    sign = "+" if difference > 0 else "\u2212"
    return sign + show(Cell(abs(difference)), kind)


def percent(part: float, whole: float) -> str | None:
    """``part`` of ``whole`` in whole per cent, rounded half up; ``None`` of nothing."""
    if whole <= 0:
        return None
    share = percent_half_up(int(part), int(whole))
    return str(format_percent(share / 100))


@dataclass
class FunnelStep:
    label: str
    cell: Cell
    before: Cell
    conversion: str | None


def _funnel(report: Report) -> list[FunnelStep]:
    steps = []
    current, before = report.current.funnel.steps, report.before.funnel.steps
    for index, name in enumerate(STEPS):
        cell = current[index]
        conversion = None
        if index:
            previous = current[index - 1]
            if not (cell.hidden or previous.hidden):
                conversion = percent(cell.value, previous.value)
        steps.append(FunnelStep(str(STEP_LABELS[name]), cell, before[index], conversion))
    return steps


def _days(days: float | None) -> str | None:
    """'15 days', '1 day', '2,5 days'; ``None`` when there is nothing to count."""
    if days is None:
        return None
    shown = format_decimal(days, "#,##0.#")
    if days == 1:
        return str(_l("%(days)s day", days=shown))
    return str(_l("%(days)s days", days=shown))


@bp.app_template_global("report_number")
def report_number(cell: Cell, kind: str = "count") -> str:
    return show(cell, kind)


@bp.get("/report")
@organiser_required
def report() -> ResponseReturnValue:
    default = default_period()
    form = PeriodForm(request.args)
    asked = "from" in request.args or "to" in request.args
    period = read_period(form, default) if asked else default
    if not asked:
        form.start.data, form.end.data = default.start, default.end
    return render_page(build(period or default, masked=False), form, refused=period is None)


def render_page(content: Report, form: PeriodForm, *, refused: bool) -> str:
    """The report page for ``content`` (exact or with the small-cell rule applied)."""
    municipalities = dict(db.session.execute(select(Municipality.id, Municipality.name)).all())
    service = content.current.service
    return render_template(
        "programme/report.html",
        form=form,
        report=content,
        refused=refused,
        columns=COLUMNS,
        kinds=KINDS,
        column_labels=COLUMN_LABELS,
        funnel=_funnel(content),
        stop_labels=STATUS_LABELS,
        session_columns=SESSION_COLUMNS,
        session_labels=SESSION_LABELS,
        captions=TABLE_CAPTIONS,
        first_columns=TABLE_FIRST_COLUMN,
        municipalities=municipalities,
        change=change,
        within_share=percent(service.within, service.due),
        median_days=_days(service.median_days),
    )
