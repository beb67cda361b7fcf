"""A scheduled Springbrett session for the agenda and outcome tests: a published
line-up, signed-up investors with profiles, meetings, all set directly and committed.

    investors: Ida (English, "Nordlys Invest") and Per (Norwegian, no profile
    organisation); founders: three with one accepted proposal each, pitching in
    the order Tare, Sild, Vind (created in another order), and a fourth,
    Avlyst, whose founder declined the second place: line-up positions Tare 0,
    Avlyst 1, Sild 2, Vind 3, so the pitches after the decline keep the times
    they were invited for (17:20 and 17:30 from a 17:00 start).

    slot 0: Ida - Tare,  Per - Vind
    slot 1: Ida - Sild,  Per - Tare
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from matchmaking.accounts.models import User
from matchmaking.events.models import (
    CandidateSource,
    Event,
    EventAttendee,
    EventCandidate,
    InvitationStatus,
    Meeting,
    MeetingSource,
)
from matchmaking.extensions import db
from matchmaking.investors.models import InvestorProfile
from matchmaking.proposals.models import Proposal
from tests.events.factories import new_event


@dataclass
class Scene:
    event: Event
    organiser: User
    ida: User
    per: User
    founders: dict[str, User] = field(default_factory=dict)
    proposals: dict[str, Proposal] = field(default_factory=dict)
    meetings: dict[tuple[str, str], Meeting] = field(default_factory=dict)


def set_start(event: Event, starts_at: datetime) -> None:
    """Move the session: pitches at ``starts_at`` (UTC), 1:1 meetings two hours later."""
    found = db.session.get(Event, event.id)
    assert found is not None
    found.starts_at = starts_at
    found.meetings_start_at = starts_at + timedelta(hours=2)
    db.session.commit()


def scene(
    make_user: Any,
    make_proposal: Any,
    *,
    organiser: User | None = None,
    starts_at: datetime | None = None,
    ida: User | None = None,
    tare_founder: User | None = None,
) -> Scene:
    organiser = organiser or make_user("organiser", name="Olga Organiser")
    event = new_event(organiser)
    if starts_at is not None:
        set_start(event, starts_at)
    ida = ida or make_user("investor", approved=True, name="Ida Konto", locale="en")
    per = make_user("investor", approved=True, name="Per Investor", locale="nb")
    db.session.add(
        InvestorProfile(user_id=ida.id, display_name="Ida Isaksen", organisation="Nordlys Invest")
    )
    s = Scene(event, organiser, ida, per)
    positions = {"Vind": 3, "Tare": 0, "Sild": 2, "Avlyst": 1}
    for title, position in positions.items():
        founder = (
            tare_founder
            if title == "Tare" and tare_founder is not None
            else make_user("entrepreneur", name=f"Gründer {title}", locale="nb")
        )
        proposal = make_proposal(founder, status="accepted", title=title)
        s.founders[title] = founder
        s.proposals[title] = proposal
        event.candidates.append(
            EventCandidate(
                proposal_id=proposal.id,
                source=CandidateSource.NOMINATED,
                lineup_position=position,
                invitation=InvitationStatus.DECLINED
                if title == "Avlyst"
                else InvitationStatus.ACCEPTED,
                invited_at=datetime.now(UTC),
            )
        )
    event.lineup_published_at = datetime.now(UTC)
    for user in (ida, per):
        event.attendees.append(EventAttendee(user_id=user.id))
    for slot, investor, title in (
        (0, ida, "Tare"),
        (0, per, "Vind"),
        (1, ida, "Sild"),
        (1, per, "Tare"),
    ):
        meeting = Meeting(
            investor_id=investor.id,
            proposal_id=s.proposals[title].id,
            slot=slot,
            affinity=0.5,
            source=MeetingSource.ENGINE,
        )
        event.meetings.append(meeting)
        s.meetings[(investor.name.split()[0], title)] = meeting
    event.schedule_built_at = datetime.now(UTC)
    db.session.commit()
    return s
