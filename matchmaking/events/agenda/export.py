"""A Springbrett session's 1:1 schedule as a CSV file, for a spreadsheet."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from matchmaking.events.agenda.outcomes import outcome_label, source_label
from matchmaking.events.agenda.services import slot_times
from matchmaking.events.meetings.services import investor_names
from matchmaking.events.models import Event
from matchmaking.events.programme import utc_to_oslo
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.spreadsheet import Cell, csv_text


def _iso(moment: datetime) -> str:
    return utc_to_oslo(moment).isoformat(timespec="minutes")


def csv_filename(event: Event) -> str:
    """ASCII only: the session id and its date in Oslo."""
    return f"springbrett-{event.id}-{utc_to_oslo(event.starts_at).date().isoformat()}-schedule.csv"


def schedule_csv(event: Event) -> str:
    """The whole schedule, one row per meeting, headed in the reader's language
    (written by :func:`matchmaking.spreadsheet.csv_text`: safe in a spreadsheet)."""
    header = [
        str(_l("Slot")),
        str(_l("Start")),
        str(_l("End")),
        str(_l("Company")),
        str(_l("Proposal id")),
        str(_l("Investor")),
        str(_l("Investor id")),
        str(_l("Affinity")),
        str(_l("Source")),
        str(_l("Outcome")),
        str(_l("Outcome note")),
    ]
    names = investor_names(m.investor for m in event.meetings)
    rows: list[list[Cell]] = []
    for m in event.meetings:
        start, end = slot_times(event, m.slot)
        rows.append(
            [
                m.slot + 1,
                _iso(start),
                _iso(end),
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
    return csv_text(header, rows)
