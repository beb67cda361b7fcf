"""A Springbrett session's 1:1 schedule for a spreadsheet: CSV (separator by
the reader's language) and an ``.xlsx`` workbook, from the same rows."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from matchmaking.events.agenda.outcomes import outcome_label, source_label
from matchmaking.events.agenda.services import slot_times
from matchmaking.events.meetings.services import investor_names
from matchmaking.events.models import Event
from matchmaking.events.programme import utc_to_oslo
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.spreadsheet import Cell, XlsxCell, csv_text, xlsx_bytes


def _iso(moment: datetime) -> str:
    return utc_to_oslo(moment).isoformat(timespec="minutes")


def _filename(event: Event, extension: str) -> str:
    """ASCII only: the session id and its date in Oslo."""
    day = utc_to_oslo(event.starts_at).date().isoformat()
    return f"springbrett-{event.id}-{day}-schedule.{extension}"


def csv_filename(event: Event) -> str:
    return _filename(event, "csv")


def xlsx_filename(event: Event) -> str:
    return _filename(event, "xlsx")


def _header() -> list[str]:
    return [
        str(_l("Slot")),
        str(_l("Start")),
        str(_l("End")),
        str(_l("Company")),
        str(_l("Proposal id")),
        str(_l("Investor")),
        str(_l("Investor id")),
        str(_l("How well they fit")),
        str(_l("Source")),
        str(_l("Outcome")),
        str(_l("Outcome note")),
    ]


def _rows(event: Event) -> list[list[XlsxCell]]:
    """One row per meeting, in the order of the schedule; start and end as
    aware datetimes (each format writes them its own way)."""
    names = investor_names(m.investor for m in event.meetings)
    rows: list[list[XlsxCell]] = []
    for m in event.meetings:
        start, end = slot_times(event, m.slot)
        rows.append(
            [
                m.slot + 1,
                start,
                end,
                m.proposal.title,
                m.proposal_id,
                str(names[m.investor_id]),
                m.investor_id,
                Decimal(f"{m.affinity:.4f}"),
                source_label(m.source),
                outcome_label(m.outcome),
                m.outcome_note,
            ]
        )
    return rows


def schedule_csv(event: Event) -> str:
    """The whole schedule, one row per meeting, headed in the reader's language
    (written by :func:`matchmaking.spreadsheet.csv_text`: safe in a spreadsheet;
    times as ISO 8601 with the Oslo offset)."""
    rows: list[list[Cell]] = [
        [_iso(v) if isinstance(v, datetime) else v for v in row] for row in _rows(event)
    ]
    return csv_text(_header(), rows)


def schedule_xlsx(event: Event) -> bytes:
    """The same rows as :func:`schedule_csv` as an Excel workbook: times as
    real date-times on Oslo's wall clock, the fit as a number."""
    rows = [
        [utc_to_oslo(v).replace(tzinfo=None) if isinstance(v, datetime) else v for v in row]
        for row in _rows(event)
    ]
    return xlsx_bytes(
        _header(),
        rows,
        title=str(_l("Schedule")),
        number_formats={1: "yyyy-mm-dd hh:mm", 2: "yyyy-mm-dd hh:mm", 7: "0.0000"},
    )
