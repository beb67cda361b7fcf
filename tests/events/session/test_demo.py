"""The demo Springbrett session: loaded once, upcoming, with people in it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from matchmaking.demo import services
from matchmaking.events.models import (
    CandidateSource,
    Event,
    EventAttendee,
    EventCandidate,
    MeetingRequest,
    RequestSide,
    UnavailableSlot,
)

MODELS = (Event, EventAttendee, EventCandidate, MeetingRequest, UnavailableSlot)
DEMO_FOUNDER = "grunder@demo.banofoten.no"


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
    assert event.min_meetings == 2
    # Each candidate has its own founder; the demo founder has exactly one.
    owners = [c.proposal.company.owner.email for c in event.candidates]
    assert len(owners) == len(set(owners))
    assert owners.count(DEMO_FOUNDER) == 1
    # Meeting requests: every signed-up investor asks for 2-4 of their best matches,
    # a few founders ask for an investor; the demo founder's company is left to the
    # walk-through.
    by_investor: dict[int, int] = {}
    for r in event.meeting_requests:
        if r.side is RequestSide.INVESTOR:
            by_investor[r.investor_id] = by_investor.get(r.investor_id, 0) + 1
    assert set(by_investor) == {a.user_id for a in event.attendees}
    assert all(2 <= n <= 4 for n in by_investor.values())
    assert 1 <= sum(r.side is RequestSide.FOUNDER for r in event.meeting_requests) <= 4
    assert not any(r.proposal.company.owner.email == DEMO_FOUNDER for r in event.meeting_requests)


def test_the_demo_session_runs_from_line_up_to_schedule(
    app: Flask, db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, outbox: Any
) -> None:
    """What a new user does first: propose the line-up (a real choice under the
    rules), publish it, build the schedule; both come back proven optimal."""
    from matchmaking.events.lineup import services as lineup
    from matchmaking.events.meetings import grid, planning

    monkeypatch.setitem(app.config, "DECK_DIR", str(tmp_path))
    with app.test_request_context():
        services.load()
        db.session.commit()
        event = db.session.scalars(select(Event)).one()
        assert len(event.candidates) > event.pitch_slots  # the engine has to choose
        assert len(event.attendees) == 8
        result = lineup.run(event, event.version)
        db.session.commit()
        chosen = [c for c in event.candidates if c.lineup_position is not None]
        assert len(chosen) == event.pitch_slots
        assert result.lineup.optimal is True
        towns = [c.proposal.company.municipality.slug for c in chosen]
        assert max(towns.count(t) for t in towns) <= 3
        assert any(
            c.proposal.subproject and c.proposal.subproject.slug == "marin-kartlegging"
            for c in chosen
        )
        lineup.publish(event, event.version)
        db.session.commit()

        # Every founder in the line-up is invited, once; every founder left out
        # is told "not this time", once; the signed-up investors are told they
        # can choose whom to meet; nobody else is written to.
        def to(*subjects: str) -> list[str]:
            return sorted(m.recipients[0] for m in outbox if m.subject.startswith(subjects))

        assert to("Invitation to pitch", "Invitasjon til å pitche") == sorted(
            c.proposal.company.owner.email for c in chosen
        )
        assert to("Not this time", "Ikke denne gangen") == sorted(
            c.proposal.company.owner.email for c in event.candidates if c.lineup_position is None
        )
        assert to("Choose whom to meet", "Velg hvem du vil møte") == sorted(
            a.user.email for a in event.attendees
        )
        assert len(outbox) == len(event.candidates) + len(event.attendees)
        built = planning.build_schedule(event, event.version)
        db.session.commit()
        assert built.optimal
        assert built.meetings > 0
        assert built.value == pytest.approx(event.schedule_value)
        # Nobody is in two meetings at once: no investor, and no founder (a person
        # behind two companies would be).
        investor_slots = [(m.investor_id, m.slot) for m in event.meetings]
        assert len(set(investor_slots)) == len(investor_slots)
        founder_slots = [(m.proposal.company.owner_id, m.slot) for m in event.meetings]
        assert len(set(founder_slots)) == len(founder_slots)
        # Every pitching company gets its minimum, and most meetings were asked for.
        pitching = {c.proposal_id for c in event.candidates if c.pitching}
        assert {m.proposal_id for m in event.meetings} == pitching
        for pid in pitching:
            assert sum(m.proposal_id == pid for m in event.meetings) >= event.min_meetings
        asked = {(r.investor_id, r.proposal_id) for r in event.meeting_requests}
        wanted = sum((m.investor_id, m.proposal_id) in asked for m in event.meetings)
        assert wanted * 2 > len(event.meetings)
        assert grid.clashes(event) == []
        leaving = {u.user_id for u in event.unavailable_slots}
        assert leaving
        assert not any(
            m.investor_id in leaving and m.slot >= event.meeting_slots - 2 for m in event.meetings
        )
