"""The schedule for a spreadsheet: CSV with ';' and a byte-order mark for
Norwegian readers, ',' without one for English, and an .xlsx workbook."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import openpyxl

from matchmaking.events.models import Meeting
from matchmaking.extensions import db as _db
from tests.events.agenda.test_agenda import _scene

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_norwegian_csv_has_semicolons_a_bom_and_decimal_commas(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("organiser", locale="nb")
    s = _scene(make_user, make_proposal, organiser=me)
    response = client.get(f"/events/{s.event.id}/schedule.csv")
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    text = response.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith('"Tidsluke";"Start";"Slutt";')
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(rows) == 1 + 4
    assert all(len(row) == 11 for row in rows)
    assert rows[0][7] == "Hvor godt de passer"
    assert {row[7] for row in rows[1:]} == {"0,5000"}


def test_english_csv_has_commas_and_no_bom(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("organiser", locale="en")
    s = _scene(make_user, make_proposal, organiser=me)
    data = client.get(f"/events/{s.event.id}/schedule.csv").data
    assert not data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8")
    assert text.splitlines()[0].startswith('"Slot","Start","End",')
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert all(len(row) == 11 for row in rows)
    assert {row[7] for row in rows[1:]} == {"0.5000"}


def test_the_schedule_as_xlsx_has_the_same_rows(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("organiser", locale="en")
    s = _scene(make_user, make_proposal, organiser=me)
    meeting = _db.session.get(Meeting, s.meetings[("Per", "Tare")].id)
    meeting.outcome_note = '=HYPERLINK("http://evil.example","x")'
    _db.session.commit()
    response = client.get(f"/events/{s.event.id}/schedule.xlsx")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="springbrett-{s.event.id}-2030-01-15-schedule.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "Slot", "Start", "End", "Company", "Proposal id", "Investor", "Investor id",
        "How well they fit", "Source", "Outcome", "Outcome note",
    ]  # fmt: skip
    p = s.proposals
    assert [r[:9] for r in rows[1:]] == [
        [1, datetime(2030, 1, 15, 19, 0), datetime(2030, 1, 15, 19, 20), "Tare", p["Tare"].id,
         "Ida Isaksen (Nordlys Invest)", s.ida.id, 0.5, "Planned automatically"],
        [1, datetime(2030, 1, 15, 19, 0), datetime(2030, 1, 15, 19, 20), "Vind", p["Vind"].id,
         "Per Investor", s.per.id, 0.5, "Planned automatically"],
        [2, datetime(2030, 1, 15, 19, 20), datetime(2030, 1, 15, 19, 40), "Sild", p["Sild"].id,
         "Ida Isaksen (Nordlys Invest)", s.ida.id, 0.5, "Planned automatically"],
        [2, datetime(2030, 1, 15, 19, 20), datetime(2030, 1, 15, 19, 40), "Tare", p["Tare"].id,
         "Per Investor", s.per.id, 0.5, "Planned automatically"],
    ]  # fmt: skip
    # A text that looks like a formula is stored as text, not run.
    note = sheet.cell(row=5, column=11)
    assert note.value == '=HYPERLINK("http://evil.example","x")'
    assert note.data_type == "s"


def test_the_xlsx_link_sits_beside_the_csv_link(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("organiser", locale="nb")
    s = _scene(make_user, make_proposal, organiser=me)
    agenda = client.get(f"/events/{s.event.id}/agenda").text
    assert f'href="/events/{s.event.id}/schedule.csv"' in agenda
    assert f'href="/events/{s.event.id}/schedule.xlsx">Hele møteplanen som Excel (.xlsx)' in agenda
    show = client.get(f"/events/{s.event.id}").text
    assert f'href="/events/{s.event.id}/schedule.xlsx">som Excel (.xlsx)' in show
