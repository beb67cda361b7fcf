"""The demo Springbrett session: loaded once, upcoming, with people in it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from matchmaking.demo import services
from matchmaking.events.models import CandidateSource, Event, EventAttendee, EventCandidate

MODELS = (Event, EventAttendee, EventCandidate)


def _counts(db: Any) -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(m)) or 0 for m in MODELS)


def test_demo_session_loaded_twice_is_the_same(
    app: Flask, db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "DECK_DIR", str(tmp_path))
    with app.test_request_context():
        services.load()
        db.session.commit()
        first = _counts(db)
        services.load()
        db.session.commit()
        assert _counts(db) == first
    event = db.session.scalars(select(Event)).one()
    assert event.is_published
    assert event.starts_at > datetime.now(UTC)
    assert event.pitch_slots == 6
    assert event.meeting_slots == 8
    assert len(event.attendees) >= 3
    sources = {c.source for c in event.candidates}
    assert sources == {CandidateSource.APPLIED, CandidateSource.NOMINATED}
