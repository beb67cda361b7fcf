"""Every link in every e-mail (and calendar file) starts with BASE_URL.

A forged ``Host`` or ``X-Forwarded-Host`` header used to become the host of
the links in e-mails: ``POST /auth/forgot`` with ``Host: evil.example`` sent
a reset link to ``http://evil.example/auth/reset/<token>`` (issue 10, item 1).

How the list of routes below was found: every caller of ``send_email``
(``grep -rn "send_email(" matchmaking``), followed up through the services
that call it (``grep -rn`` for each function: ``send_confirmation``,
``send_password_reset``, ``request_email_change``, ``notify_investor``,
``request_introduction``, ``accept``, ``decline``, ``notify_founder`` via
``transition`` and ``enter_dialogue``, ``tell_changed_times``, line-up
``publish`` and ``answer``, ``send_agendas``) to the views that call them.
``notify_founder`` is reached from the organiser's screening decision, the
first review (screening starts), a meeting outcome "follow up", and marking a
session held; the founder's own submit and withdraw notify nobody. The one
sender outside a request, ``flask digests send``, is checked too, and so is
the downloaded ``.ics`` (a calendar file built with the same links).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from matchmaking.events.models import Event
from matchmaking.extensions import db as _db
from matchmaking.introductions.models import Introduction
from matchmaking.investors.models import InvestorProfile
from matchmaking.mail import absolute_url, check_base_url
from matchmaking.screening.services import seed_criteria
from tests.conftest import PASSWORD, make_app
from tests.events.agenda_factories import scene
from tests.events.factories import new_event
from tests.events.lineup_factories import attend, candidate, founder_proposal, score

BASE_URL = "https://match.banofoten.example/springbrett"
EVIL = "evil.example"

#: How the poisoned requests reach the app: straight, and behind one proxy
#: (PROXY_COUNT=1) with and without PROXY_TRUST_HOST.
VARIANTS = {
    "direct": {},
    "proxy": {"PROXY_COUNT": 1},
    "proxy-trusting-host": {"PROXY_COUNT": 1, "PROXY_TRUST_HOST": True},
}
POISON = {"Host": EVIL, "X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "http"}


@pytest.fixture(params=list(VARIANTS))
def app(app: Flask, database_url: str, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """An app at BASE_URL (the session's app has built the tables)."""
    own = make_app(database_url, BASE_URL=BASE_URL, **VARIANTS[request.param])
    yield own
    with own.app_context():
        _db.engine.dispose()


@pytest.fixture
def client(app: Flask, db: Any) -> FlaskClient:
    """A client whose every request names the attacker's host."""
    client = app.test_client()
    plain_open = client.open

    def poisoned_open(*args: Any, **kwargs: Any) -> Any:
        kwargs["headers"] = {**POISON, **kwargs.get("headers", {})}
        return plain_open(*args, **kwargs)

    client.open = poisoned_open  # type: ignore[method-assign]
    return client


def _links(text: str) -> list[str]:
    return re.findall(r"""https?://[^\s"'<>]+""", text)


def assert_links_are_ours(messages: list[Any]) -> None:
    """Each message has links, every one starts with BASE_URL, and the
    attacker's host appears nowhere (text, HTML, attachments)."""
    assert messages, "the route sent no e-mail"
    for message in messages:
        parts = [message.body, message.html or ""]
        parts += [a.data.decode() for a in message.attachments]
        raw = message.as_string()
        assert EVIL not in raw, message.subject
        links = [link for part in parts for link in _links(part.replace("\r\n ", ""))]
        assert links, f"no link in {message.subject!r}"
        for link in links:
            assert link.startswith(BASE_URL + "/"), (message.subject, link)
        for attachment in message.attachments:
            if attachment.filename.endswith(".ics"):
                host = urlsplit(BASE_URL).hostname
                uids = re.findall(r"^UID:(.+)$", attachment.data.decode(), re.M)
                assert uids
                assert all(uid.strip().endswith(f"@{host}") for uid in uids)
                assert f"URL:{BASE_URL}/" in attachment.data.decode().replace("\r\n ", "")
    # The message as sent over SMTP (headers and all) names no other host.
    for message in messages:
        parsed = message_from_bytes(message.as_bytes())
        assert EVIL not in str(parsed)


class Ctx:
    """What a route scenario needs: the client, the factories, a login."""

    def __init__(self, client: FlaskClient, make_user: Any, make_proposal: Any, outbox: Any):
        self.client = client
        self.make_user = make_user
        self.make_proposal = make_proposal
        self.outbox = outbox

    def login(self, user: Any) -> None:
        # The cookie jar keeps cookies per host: log in on the host requests name.
        with self.client.session_transaction(headers=POISON) as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True

    def post(self, path: str, data: dict[str, str] | None = None) -> Any:
        response = self.client.post(path, data=data or {})
        assert response.status_code in (200, 302), (path, response.status_code)
        return response

    def version(self, event_id: int) -> str:
        _db.session.expire_all()
        event = _db.session.get(Event, event_id)
        assert event is not None
        return str(event.version)


# The routes ---------------------------------------------------------------------------


def register(c: Ctx) -> None:
    c.post(
        "/auth/register",
        {
            "name": "Sigrid Nilsen",
            "email": "sigrid@example.no",
            "password": "Tarefjord-sommer-2026",
            "password_again": "Tarefjord-sommer-2026",
            "role": "entrepreneur",
            "locale": "nb",
        },
    )


def register_known_address(c: Ctx) -> None:
    owner = c.make_user()
    c.post(
        "/auth/register",
        {
            "name": "Noen Andre",
            "email": owner.email,
            "password": "Tarefjord-sommer-2026",
            "password_again": "Tarefjord-sommer-2026",
            "role": "investor",
            "locale": "nb",
        },
    )
    # The owner's "someone tried to register" notice, with its links.
    assert [m.recipients for m in c.outbox] == [[owner.email]]


def resend_confirmation(c: Ctx) -> None:
    user = c.make_user(confirmed=False)
    c.post("/auth/confirm", {"email": user.email})


def forgot_password(c: Ctx) -> None:
    user = c.make_user()
    c.post("/auth/forgot", {"email": user.email})


def change_email(c: Ctx) -> None:
    c.login(c.make_user())
    c.post("/account/email", {"email": "new-address@example.no", "current_password": PASSWORD})


def investor_decision(c: Ctx) -> None:
    investor = c.make_user("investor", approved=False)
    c.login(c.make_user("organiser"))
    c.post(f"/screening/investors/{investor.id}/decision", {"decision": "approve"})


def _introduction(c: Ctx) -> tuple[Any, Any]:
    proposal = c.make_proposal(status="pitched")
    investor = c.make_user("investor", approved=True)
    _db.session.add(InvestorProfile(user_id=investor.id, display_name="Kari", organisation="K"))
    _db.session.commit()
    return proposal, investor


def introduction_request(c: Ctx) -> None:
    proposal, investor = _introduction(c)
    c.login(investor)
    c.post(f"/matches/{proposal.id}/introduction", {"message": "Jeg vil gjerne høre mer."})


def _requested(c: Ctx) -> Any:
    proposal, investor = _introduction(c)
    founder = proposal.company.owner
    c.login(investor)
    c.post(f"/matches/{proposal.id}/introduction", {"message": "Jeg vil gjerne høre mer."})
    c.outbox.clear()
    c.login(founder)
    return _db.session.scalar(select(Introduction).where(Introduction.proposal_id == proposal.id))


def introduction_accept(c: Ctx) -> None:
    intro = _requested(c)
    c.post(f"/introductions/{intro.id}/accept", {f"intro-{intro.id}-answer": "Velkommen!"})


def introduction_decline(c: Ctx) -> None:
    intro = _requested(c)
    c.post(f"/introductions/{intro.id}/decline", {f"intro-{intro.id}-answer": "Ikke nå."})


def screening_starts(c: Ctx) -> None:
    criteria = seed_criteria()
    _db.session.commit()
    proposal = c.make_proposal(status="submitted")
    c.login(c.make_user("organiser"))
    data = {f"score_{k.id}": "4" for k in criteria} | {f"comment_{k.id}": "" for k in criteria}
    c.post(f"/screening/{proposal.id}/review", data)


def proposal_decision(c: Ctx) -> None:
    proposal = c.make_proposal(status="in_screening")
    c.login(c.make_user("organiser"))
    c.post(f"/screening/{proposal.id}/decision", {"decision": "declined", "reason": "Ikke nå."})


def _lineup_session(c: Ctx) -> int:
    organiser = c.make_user("organiser", locale="en")
    event = new_event(organiser, title="Springbrett Vinter")
    event.starts_at = event.starts_at.replace(second=0, microsecond=0)
    event.meetings_start_at = event.meetings_start_at.replace(second=0, microsecond=0)
    event.pitch_slots = 2
    _db.session.commit()
    proposals = [founder_proposal(c.make_user, c.make_proposal, title=f"P{k}") for k in range(3)]
    for p in proposals:
        candidate(event, p)
    investor = c.make_user("investor", approved=True)
    attend(event, investor)
    for k, p in enumerate(proposals):
        score(investor, p, 0.9 - k / 10)
    c.login(organiser)
    c.post(f"/events/{event.id}/lineup/run", {"version": c.version(event.id)})
    return event.id


def lineup_publish(c: Ctx) -> None:
    eid = _lineup_session(c)
    c.post(f"/events/{eid}/lineup/publish", {"version": c.version(eid)})


def _published(c: Ctx) -> tuple[int, Any]:
    eid = _lineup_session(c)
    c.post(f"/events/{eid}/lineup/publish", {"version": c.version(eid)})
    invited = next(m for m in c.outbox)
    c.outbox.clear()
    return eid, invited.recipients[0]


def _answer(c: Ctx, answer: str) -> None:
    from matchmaking.accounts.models import User
    from matchmaking.events.models import EventCandidate

    eid, email = _published(c)
    founder = _db.session.scalar(select(User).where(User.email == email))
    row = next(
        r
        for r in _db.session.scalars(select(EventCandidate).where(EventCandidate.event_id == eid))
        if r.proposal.company.owner_id == founder.id
    )
    c.login(founder)
    c.post(f"/events/{eid}/invitation/{row.id}/{answer}", {"confirm": "1"})  # "Yes" of a decline


def lineup_accept(c: Ctx) -> None:
    _answer(c, "accept")


def lineup_decline(c: Ctx) -> None:
    # Declining tells the organisers and invites the next founder in line.
    _answer(c, "decline")


def session_moved(c: Ctx) -> None:
    from zoneinfo import ZoneInfo

    oslo = ZoneInfo("Europe/Oslo")
    eid, _email = _published(c)  # the organiser is still logged in
    event = _db.session.get(Event, eid)
    assert event is not None
    start = event.starts_at.astimezone(oslo) + timedelta(minutes=30)
    meetings = event.meetings_start_at.astimezone(oslo) + timedelta(minutes=30)
    c.post(
        f"/events/{eid}/edit",
        {
            "version": str(event.version),
            "title": event.title,
            "day": start.date().isoformat(),
            "start": start.strftime("%H:%M"),
            "venue": event.venue,
            "municipality": str(event.municipality_id),
            "pitch_slots": str(event.pitch_slots),
            "minutes_per_pitch": str(event.minutes_per_pitch),
            "meetings_start": meetings.strftime("%H:%M"),
            "meeting_slots": str(event.meeting_slots),
            "meeting_minutes": str(event.meeting_minutes),
            "capacity": str(event.capacity),
            "max_per_municipality": "",
        },
    )


def send_agendas(c: Ctx) -> None:
    s = scene(c.make_user, c.make_proposal, starts_at=datetime(2030, 1, 15, 16, 0, tzinfo=UTC))
    c.login(s.organiser)
    c.post(f"/events/{s.event.id}/agendas/send", {"version": c.version(s.event.id), "confirm": "1"})


def _past(c: Ctx) -> Any:
    starts = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    s = scene(c.make_user, c.make_proposal, starts_at=starts)
    c.login(s.organiser)
    return s


def meeting_follow_up(c: Ctx) -> None:
    s = _past(c)
    meeting = s.meetings[("Ida", "Tare")]
    c.post(
        f"/events/{s.event.id}/meetings/{meeting.id}/outcome",
        {f"m{meeting.id}-outcome": "follow_up", f"m{meeting.id}-note": ""},
    )


def session_held(c: Ctx) -> None:
    s = _past(c)
    c.post(f"/events/{s.event.id}/held")


ROUTES: list[Callable[[Ctx], None]] = [
    register,
    register_known_address,
    resend_confirmation,
    forgot_password,
    change_email,
    investor_decision,
    introduction_request,
    introduction_accept,
    introduction_decline,
    screening_starts,
    proposal_decision,
    lineup_publish,
    lineup_accept,
    lineup_decline,
    session_moved,
    send_agendas,
    meeting_follow_up,
    session_held,
]


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.__name__)
def test_every_link_in_every_email_starts_with_base_url(
    app: Flask,
    client: FlaskClient,
    make_user: Any,
    make_proposal: Any,
    reference: None,
    outbox: list[Any],
    route: Callable[[Ctx], None],
) -> None:
    route(Ctx(client, make_user, make_proposal, outbox))
    with app.app_context():  # Flask-Mail renders a message as sent inside one
        assert_links_are_ours(outbox)


def test_the_downloaded_calendar_file_links_to_base_url(
    client: FlaskClient, make_user: Any, make_proposal: Any, reference: None, outbox: list[Any]
) -> None:
    s = scene(make_user, make_proposal, starts_at=datetime(2030, 1, 15, 16, 0, tzinfo=UTC))
    Ctx(client, make_user, make_proposal, outbox).login(s.ida)
    data = client.get(f"/events/{s.event.id}/agenda.ics").get_data(as_text=True)
    assert EVIL not in data
    assert f"URL:{BASE_URL}/events/{s.event.id}/agenda" in data.replace("\r\n ", "")


def test_no_link_is_built_from_the_request_host() -> None:
    """Links for e-mails and calendars come from ``mail.absolute_url`` only:
    ``url_for``'s external flag (which takes the request's host) appears
    nowhere in the code, and e-mail templates build no URLs themselves."""
    root = Path(__file__).resolve().parent.parent
    offenders = [
        str(path.relative_to(root))
        for path in (root / "matchmaking").rglob("*.py")
        if re.search(r"\b_external\b|request\.(host|url_root|host_url|base_url)", path.read_text())
    ]
    templates = [*(root / "templates" / "email").iterdir(), *(root / "templates").rglob("*.ics")]
    offenders += [
        str(path.relative_to(root))
        for path in templates
        if re.search(r"url_for\(|_external|request\.", path.read_text())
    ]
    assert offenders == []


def test_absolute_url_works_outside_a_request_and_keeps_the_path_prefix(app: Flask) -> None:
    with app.app_context():
        assert absolute_url("auth.reset_password", token="abc") == (f"{BASE_URL}/auth/reset/abc")
        assert absolute_url("proposals.detail", proposal_id=7, tab="x") == (
            f"{BASE_URL}/proposals/7?tab=x"
        )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://Match.Banofoten.no/", "https://match.banofoten.no"),
        ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
        ("https://banofoten.no/match/", "https://banofoten.no/match"),
    ],
)
def test_base_url_is_read_in_one_form(given: str, expected: str) -> None:
    assert check_base_url(given) == expected


@pytest.mark.parametrize(
    "given",
    ["", "match.banofoten.no", "ftp://x.no", "https://", "https://x.no/?a=1", "https://u@x.no"],
)
def test_base_url_that_is_no_address_is_refused(given: str) -> None:
    with pytest.raises(ValueError, match="BASE_URL must be the address"):
        check_base_url(given)


def test_development_defaults_to_the_local_port() -> None:
    import subprocess
    import sys

    code = "import config; print(config.DevelopmentConfig.BASE_URL)"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "http://127.0.0.1:5000"
    run = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "PORT": "8080"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == "http://127.0.0.1:8080"
