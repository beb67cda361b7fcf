"""Issue 6 end to end in a browser, on the demo session, in Norwegian: the
organiser pins the demo founder's proposal, proposes and publishes the line-up, a founder accepts and chooses
investors, an investor chooses companies (by keyboard only), the organiser
builds the 1:1 schedule, is refused a hand move that double-books and makes a
valid one, sends the agendas; the investor and the founder open their agendas
and calendar files; after the session the investor records a wanted follow-up
(by keyboard only) and the founder's proposal is in dialogue.

What the pages show is checked against the engine run on the same input (the
line-up also against every possible line-up); e-mails go through a real SMTP
server on loopback; every .ics parses; axe checks every page visited.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from babel.numbers import format_decimal
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaking.demo.data import DEMO_PASSWORD
from tests.browser.fixtures import LiveServer, check_accessibility
from tests.smtp import text_and_html

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ORGANISER = "arrangor@demo.banofoten.no"
INVESTOR = "investor@demo.banofoten.no"
FOUNDER = "grunder@demo.banofoten.no"
OSLO = ZoneInfo("Europe/Oslo")


# --------------------------------------------------------------------------
# Reading the database and running the engine, as the test's own witness
# --------------------------------------------------------------------------


def _event(app: Any) -> Any:
    from matchmaking.demo.events import TITLE
    from matchmaking.events.models import Event
    from matchmaking.extensions import db

    event = db.session.scalar(select(Event).where(Event.title == TITLE))
    assert event is not None
    return event


def _user_id(app: Any, email: str) -> int:
    from matchmaking.accounts.models import User
    from matchmaking.extensions import db

    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        db.session.remove()
    assert user_id is not None
    return int(user_id)


def _investor_name(app: Any, user_id: int) -> Any:
    """How the pages name an investor: display name and organisation."""
    from matchmaking.accounts.models import User
    from matchmaking.events.meetings.services import investor_names
    from matchmaking.extensions import db

    with app.app_context():
        user = db.session.get(User, user_id)
        name = investor_names([user])[user_id]
        db.session.remove()
    return name


def _nb(value: float) -> str:
    """A value as the pages show it in Norwegian ("10,02")."""
    return str(format_decimal(value, "#,##0.00", locale="nb"))


def _hhmm(moment: datetime) -> str:
    """A time as the Norwegian pages show it ("17.00")."""
    return moment.astimezone(OSLO).strftime("%H.%M")


def _best_lineup_value(data: Any) -> float:
    """The best line-up value over every line-up that meets the rules (the spec's
    definition, by enumeration: the demo has a handful of candidates).
    ``data``: the engine's :class:`~matchmaking.engine.LineupProblem`."""
    affinity = data.affinity
    excluded = set(data.excluded)
    pool = [c for c in data.candidates if c.id not in excluded]
    size = min(data.slots, len(pool))
    pinned = set(data.pinned)
    cap = data.max_per_municipality
    best = -1.0
    for chosen in itertools.combinations(pool, size):
        ids = {c.id for c in chosen}
        if not pinned <= ids:
            continue
        towns = [c.municipality for c in chosen]
        if cap is not None and any(towns.count(t) > cap for t in towns):
            continue
        subs = [c.subproject for c in chosen]
        if any(subs.count(s) < n for s, n in data.min_per_subproject.items()):
            continue
        value = sum(
            max((affinity.get((i, c.id), 0.0) for c in chosen), default=0.0) for i in data.attendees
        ) + sum(c.bonus for c in chosen)
        best = max(best, value)
    assert best >= 0, "no line-up meets the rules"
    return best


@dataclass
class Lineup:
    engine_value: float
    best_value: float
    stored_value: float
    optimal: bool
    #: (place, proposal id, title, founder e-mail), in line-up order.
    places: list[tuple[int, int, str, str]]


def _lineup(live_server: LiveServer) -> Lineup:
    """The stored line-up, and the engine's value for the same input now."""
    from matchmaking.engine import solve_lineup
    from matchmaking.events.lineup.adapter import engine_input
    from matchmaking.extensions import db

    with live_server.app.test_request_context():
        event = _event(live_server.app)
        data = engine_input(event).problem
        result = Lineup(
            engine_value=float(solve_lineup(data).value),
            best_value=_best_lineup_value(data),
            stored_value=float(event.lineup_value),
            optimal=bool(event.lineup_optimal),
            places=sorted(
                (
                    c.lineup_position,
                    c.proposal_id,
                    c.proposal.title,
                    c.proposal.company.owner.email,
                )
                for c in event.candidates
                if c.lineup_position is not None
            ),
        )
        db.session.remove()
    return result


@dataclass
class Schedule:
    engine_value: float
    stored_value: float
    #: The engine's meetings as the grid shows them: (slot number, company, investor name).
    engine_grid: set[tuple[int, str, str]]
    #: The stored meetings: (investor id, proposal id, slot index).
    stored: set[tuple[int, int, int]]
    titles: dict[int, str]
    names: dict[int, Any]
    #: Who cannot attend which slot: ("i", user id) or ("p", proposal id) -> slot indexes.
    unavailable: dict[tuple[str, int], set[int]]
    slot_starts: list[datetime]


def _schedule(live_server: LiveServer) -> Schedule:
    """The stored schedule, and the engine's schedule for the same input now."""
    from matchmaking.engine import solve_schedule
    from matchmaking.events.meetings import services as meetings
    from matchmaking.events.meetings.adapter import engine_input
    from matchmaking.extensions import db

    with live_server.app.test_request_context():
        event = _event(live_server.app)
        inp = engine_input(event)
        out = solve_schedule(inp.problem)
        names = meetings.investor_names(inp.investors.values())
        titles = {pid: p.title for pid, p in inp.companies.items()}
        unavailable: dict[tuple[str, int], set[int]] = {}
        for u in event.unavailable_slots:
            key = ("i", u.user_id) if u.user_id is not None else ("p", u.proposal_id)
            unavailable.setdefault(key, set()).add(u.slot)
        result = Schedule(
            engine_value=float(out.value),
            stored_value=float(event.schedule_value or 0),
            engine_grid={
                (
                    int(m.slot) + 1,
                    titles[int(m.company)],
                    names[int(m.investor)].name,
                )
                for m in out.meetings
            },
            stored={(m.investor_id, m.proposal_id, m.slot) for m in event.meetings},
            titles=titles,
            names=names,
            unavailable=unavailable,
            slot_starts=[s.starts_at for s in meetings.slots(event)],
        )
        assert out.optimal is True
        db.session.remove()
    return result


def _move_event_into_the_past(live_server: LiveServer) -> None:
    """The app cannot time-travel: the session (and its meetings) took place last week."""
    from matchmaking.extensions import db

    with live_server.app.app_context():
        event = _event(live_server.app)
        shift = timedelta(days=(event.starts_at - datetime.now(UTC)).days + 7)
        event.starts_at -= shift
        event.meetings_start_at -= shift
        db.session.commit()
        db.session.remove()


# --------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------


def _login(page: Any, email: str) -> None:
    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    _go(page, page.get_by_role("button", name="Logg inn"))
    page.get_by_role("button", name="Logg ut").wait_for()


def _logout(page: Any) -> None:
    _go(page, page.get_by_role("button", name="Logg ut"))
    page.get_by_role("navigation").get_by_role("link", name="Logg inn").wait_for()


def _go(page: Any, target: Any) -> None:
    """Click a link or a button and wait for the page it leads to."""
    with page.expect_navigation():
        target.click()


def _open_session(page: Any, event_id: int) -> None:
    page.visit("/events/")
    _go(page, page.get_by_role("link", name="Springbrett Narvik – vinter 2027"))
    page.wait_for_url(f"**/events/{event_id}")
    check_accessibility(page)


def _tab_to(page: Any, target: Any, limit: int = 400) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would."""
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("el => document.activeElement === el", handle):
            return
    raise AssertionError(f"Tab never reached {target}")


def _dd(page: Any, term: str) -> Any:
    """The description beside a term in a definition list."""
    return page.locator(f'dt:text-is("{term}") + dd')


def _grid(page: Any) -> set[tuple[int, str, str]]:
    """The schedule grid as (slot number, company, investor name)."""
    table = page.get_by_role(
        "table", name="Møter etter tidsluke (rader) og selskap (kolonner)", exact=False
    )
    cells = table.evaluate(
        """t => {
          const heads = [...t.tHead.rows[0].cells].map(c => c.firstChild.textContent.trim());
          const out = [];
          for (const row of t.tBodies[0].rows) {
            const slot = parseInt(row.cells[0].firstChild.textContent.match(/\\d+/)[0], 10);
            [...row.cells].slice(1).forEach((cell, i) => {
              const who = cell.querySelector('a');  // the investor's name opens the meeting
              if (who) out.push([slot, heads[i + 1], who.firstChild.textContent.trim()]);
            });
          }
          return out;
        }"""
    )
    return {(int(s), str(c), str(i)) for s, c, i in cells}


def _cell_link(page: Any, investor: str, company: str) -> Any:
    """The schedule cell's link to the meeting of ``investor`` with ``company``."""
    return page.locator("table.schedule-grid td a", has_text=f"{investor}, {company}, Tidsluke ")


def _mails_since(live_server: LiveServer, start: int) -> list[EmailMessage]:
    return list(live_server.mail[start:])


def _recipients(messages: list[EmailMessage]) -> list[str]:
    return sorted(to for m in messages for to in m.get_all("To", []))


def _ics_of(message: EmailMessage) -> icalendar.Calendar:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, message["Subject"]
    return icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))


def _vevents(cal: icalendar.Calendar) -> list[Any]:
    return [c for c in cal.walk("VEVENT")]


def _oslo(vevent: Any, name: str) -> datetime:
    prop = vevent[name]
    assert prop.params["TZID"] == "Europe/Oslo"
    moment = vevent.decoded(name)
    assert isinstance(moment, datetime)
    return moment.astimezone(OSLO)


# --------------------------------------------------------------------------
# The journey
# --------------------------------------------------------------------------


def test_the_demo_session_end_to_end(page: Any, live_server: LiveServer) -> None:
    app = live_server.app
    with app.app_context():
        from matchmaking.extensions import db

        event = _event(app)
        event_id = int(event.id)
        investor = next(a.user for a in event.attendees if a.user.email == INVESTOR)
        # The demo investor is approved and signed up; the founder has candidates.
        assert investor.is_approved_investor
        investor_name = investor.name
        own = sorted(
            (c.id, c.proposal_id, c.proposal.title)
            for c in event.candidates
            if c.proposal.company.owner.email == FOUNDER
        )
        assert own
        assert len(event.candidates) > event.pitch_slots
        db.session.remove()
    investor_id = _user_id(app, INVESTOR)
    # The founder's proposal this journey follows: pinned by the organiser, so it
    # is in the line-up whatever the match scores say.
    _cid, proposal_id, title = own[0]

    # 1. The organiser pins it, proposes the line-up and publishes.
    _login(page, ORGANISER)
    _open_session(page, event_id)
    _go(page, page.get_by_role("link", name="Sett opp pitcherekkefølgen"))
    check_accessibility(page)
    _go(page, page.get_by_role("button", name=f"Lås inn {title}"))
    expect(page.get_by_text(f"«{title}» er låst inn.")).to_be_visible()
    _go(page, page.get_by_role("button", name="Foreslå pitcherekkefølge", exact=True))
    expect(
        page.get_by_text("Pitcherekkefølgen er foreslått: den best mulige med disse reglene.")
    ).to_be_visible()
    assert _dd(page, "Best mulig?").inner_text() == (
        "Ja: dette er den best mulige pitcherekkefølgen med disse reglene."
    )
    check_accessibility(page)
    lineup = _lineup(live_server)
    assert lineup.optimal
    assert lineup.engine_value == pytest.approx(lineup.stored_value, abs=1e-9)
    assert lineup.best_value == pytest.approx(lineup.engine_value, abs=1e-6)
    assert _dd(page, "Samlede matchpoeng").inner_text() == _nb(lineup.engine_value)
    assert len(lineup.places) == 6
    assert proposal_id in {pid for _, pid, _, _ in lineup.places}
    table = page.get_by_role("table", name="Pitcherekkefølgen med planlagt tidspunkt", exact=False)
    assert table.get_by_role("rowheader").all_inner_texts() == [t for _, _, t, _ in lineup.places]

    sent = len(live_server.mail)
    _go(page, page.get_by_role("button", name="Publiser programmet"))
    expect(
        page.get_by_text("Programmet er publisert. Gründere invitert på e-post: 6.")
    ).to_be_visible()
    check_accessibility(page)
    published = _mails_since(live_server, sent)
    subject = "Invitasjon til å pitche på Springbrett Narvik – vinter 2027"
    invitations = [m for m in published if m["Subject"] == subject]
    assert _recipients(invitations) == sorted(email for *_, email in lineup.places)
    # The rest: "not this time" to the founder left out, "choose whom to meet"
    # to the signed-up investors (docs/notifications.md).
    others = {m["Subject"] for m in published if m not in invitations}
    assert others
    assert all(
        o.startswith(("Ikke denne gangen:", "Velg hvem du vil møte på", "Choose whom to meet at"))
        for o in others
    )
    to_founder = [m for m in invitations if m["To"] == FOUNDER]
    assert any(title in text_and_html(m)[0] for m in to_founder)
    _logout(page)

    # 2. The founder accepts, then chooses an investor and marks a slot.
    ola = _investor_name(app, investor_id)
    ola_label = f"{ola.name}, {ola.organisation}" if ola.organisation else ola.name
    _login(page, FOUNDER)
    _open_session(page, event_id)
    expect(page.get_by_text(f"Du er invitert til å pitche «{title}»")).to_be_visible()
    sent = len(live_server.mail)
    _go(page, page.get_by_role("button", name=f"Takk ja {title}"))
    expect(page.get_by_text("Takk! Du har takket ja til å pitche.")).to_be_visible()
    expect(page.get_by_text(f"Du har takket ja: du pitcher «{title}»")).to_be_visible()
    check_accessibility(page)
    assert [m["To"] for m in _mails_since(live_server, sent)] == [ORGANISER]
    _go(page, page.get_by_role("link", name="Velg hvem du vil møte"))
    intro = f"Velg investorene «{title}» vil møte etter pitchene"
    if not page.get_by_text(intro).count():  # the founder has more than one company pitching
        pills = page.get_by_role("navigation", name="Selskapene dine på denne samlingen")
        _go(page, pills.get_by_role("link", name=title, exact=True))
    expect(page.get_by_text(intro)).to_be_visible()
    check_accessibility(page)
    page.get_by_role("checkbox", name=ola_label, exact=True).check()
    page.get_by_role("checkbox", name="Tidsluke 2:").check()
    _go(page, page.get_by_role("button", name="Lagre valgene mine"))
    expect(page.get_by_text("Valgene dine er lagret.")).to_be_visible()
    expect(page.get_by_text(intro)).to_be_visible()
    assert page.get_by_role("checkbox", name=ola_label, exact=True).is_checked()
    assert page.get_by_role("checkbox", name="Tidsluke 2:").is_checked()
    check_accessibility(page)
    _logout(page)

    # 3. The investor (signed up) chooses the company and marks a slot, by keyboard only.
    _login(page, INVESTOR)
    _open_session(page, event_id)
    expect(page.get_by_text("Du er påmeldt.")).to_be_visible()
    _go(page, page.get_by_role("link", name="Velg hvem du vil møte"))
    check_accessibility(page)
    company = page.get_by_role("checkbox", name=title, exact=True)
    slot_1 = page.get_by_role("checkbox", name="Tidsluke 1:")
    assert not company.is_checked()
    _tab_to(page, company)
    page.keyboard.press("Space")
    _tab_to(page, slot_1)
    page.keyboard.press("Space")
    _tab_to(page, page.get_by_role("button", name="Lagre valgene mine"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text("Valgene dine er lagret.").wait_for()
    assert page.get_by_role("checkbox", name=title, exact=True).is_checked()
    assert page.get_by_role("checkbox", name="Tidsluke 1:").is_checked()
    check_accessibility(page)
    _logout(page)

    # 4. The organiser builds the schedule: the engine's optimal one.
    _login(page, ORGANISER)
    _open_session(page, event_id)
    _go(page, page.get_by_role("link", name="Planlegg 1:1-møtene"))
    check_accessibility(page)
    _go(page, page.get_by_role("button", name="Bygg møteplanen"))
    schedule = _schedule(live_server)
    built = (
        f"Møteplanen er bygget: {len(schedule.stored)} møter, den best mulige med disse reglene."
    )
    expect(page.get_by_text(built)).to_be_visible()
    assert (
        _dd(page, "Best mulig?").inner_text()
        == "Ja: dette er den best mulige møteplanen med disse reglene."
    )
    check_accessibility(page)
    assert schedule.stored_value == pytest.approx(schedule.engine_value, abs=1e-9)
    assert _dd(page, "Samlede matchpoeng").inner_text().startswith(_nb(schedule.engine_value) + " ")
    grid = _grid(page)
    assert grid == schedule.engine_grid
    assert len(grid) == len(schedule.stored) > 0
    # The choices were kept: both asked, so they meet, and nobody meets in a slot they marked.
    ours = [s for i, p, s in schedule.stored if (i, p) == (investor_id, proposal_id)]
    assert len(ours) == 1
    ours_slot = ours[0]
    for i, p, s in schedule.stored:
        assert s not in schedule.unavailable.get(("i", i), set())
        assert s not in schedule.unavailable.get(("p", p), set())
    assert 0 in schedule.unavailable[("i", investor_id)]
    assert 1 in schedule.unavailable[("p", proposal_id)]

    # A hand move that double-books the investor is refused, and nothing changes.
    busy = sorted(s for i, _p, s in schedule.stored if i == investor_id and s != ours_slot)
    assert busy
    clash_slot = busy[0]
    other = next(
        schedule.titles[p] for i, p, s in schedule.stored if i == investor_id and s == clash_slot
    )
    # Both asked to meet: the cell marks it as mutual, in words for screen readers.
    cell = _cell_link(page, ola.name, title)
    assert "gjensidig: begge ba om møtet" in cell.locator("xpath=..").inner_text()
    # Each meeting is edited on its own page, opened from its cell.
    schedule_url = page.url
    _go(page, cell)
    check_accessibility(page)
    page.get_by_label("Tidsluke", exact=True).select_option(str(clash_slot))
    _go(page, page.get_by_role("button", name="Flytt", exact=True))
    reason = (
        f"{ola} har allerede et møte i tidsluke {clash_slot + 1}"
        f" (kl. {_hhmm(schedule.slot_starts[clash_slot])}), med «{other}»."
    )
    expect(page.get_by_role("alert").get_by_text("Møtet ble ikke flyttet:")).to_be_visible()
    expect(page.get_by_role("alert").get_by_text(reason)).to_be_visible()
    assert page.get_by_text(reason).count() == 2  # at the top, and beside the meeting's slot
    mover = page.get_by_label("Tidsluke", exact=True)
    expect(mover).to_have_value(str(clash_slot))  # the choice is kept, to correct it
    check_accessibility(page)
    page.visit(schedule_url.removeprefix(live_server.url))
    assert _grid(page) == grid
    assert _schedule(live_server).stored == schedule.stored

    # A valid move: a meeting to a slot where both sides are free and available.
    def free(kind: str, who: int, slot_index: int) -> bool:
        side = 0 if kind == "i" else 1
        taken = {m[2] for m in schedule.stored if m[side] == who}
        return slot_index not in taken | schedule.unavailable.get((kind, who), set())

    move = next(
        (i, p, s, t)
        for i, p, s in sorted(schedule.stored)
        for t in range(len(schedule.slot_starts))
        if free("i", i, t) and free("p", p, t)
    )
    i, p, s, t = move
    who, company_title = schedule.names[i].name, schedule.titles[p]
    _go(page, _cell_link(page, who, company_title))
    page.get_by_label("Tidsluke", exact=True).select_option(str(t))
    _go(page, page.get_by_role("button", name="Flytt", exact=True))
    expect(page.get_by_text("Møtet er flyttet.")).to_be_visible()
    assert _dd(page, "Endret for hånd").inner_text().startswith("Ja")
    assert _dd(page, "Samlede matchpoeng").inner_text().startswith(_nb(schedule.engine_value) + " ")
    expect(page.get_by_text("Ingen kollisjoner.")).to_be_visible()
    check_accessibility(page)
    moved = (grid - {(s + 1, company_title, who)}) | {(t + 1, company_title, who)}
    assert _grid(page) == moved
    after_move = _schedule(live_server)
    assert after_move.stored == (schedule.stored - {(i, p, s)}) | {(i, p, t)}

    # Agendas go out by e-mail, each in its reader's language, with the .ics.
    _go(page, page.get_by_role("link", name="Tilbake til samlingen"))
    sent = len(live_server.mail)
    _go(page, page.get_by_role("button", name="Send agendaer"))
    with app.test_request_context():
        from matchmaking.events.agenda.services import participants

        people = {p.user.email: (p.user.locale, p.meetings) for p in participants(_event(app))}
        db.session.remove()
    # Sending asks once more (docs/confirm-steps.md).
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sende agendaene for ")
    check_accessibility(page)
    assert len(live_server.mail) == sent  # nothing sent yet
    _go(page, page.get_by_role("button", name=f"Ja, send {len(people)} agendaer"))
    expect(page.get_by_text(f"Agendaen er sendt til {len(people)} deltakere.")).to_be_visible()
    check_accessibility(page)
    agendas = _mails_since(live_server, sent)
    assert _recipients(agendas) == sorted(people)
    assert {locale for locale, _ in people.values()} == {"nb", "en"}  # the demo has both
    for message in agendas:
        locale, count = people[message["To"]]
        text, html = text_and_html(message)
        vevents = _vevents(_ics_of(message))
        assert len(vevents) == 1 + count  # the pitches, and one per meeting
        summaries = [str(v["SUMMARY"]) for v in vevents]
        if locale == "en":
            assert message["Subject"] == "Your agenda for Springbrett Narvik – vinter 2027"
            assert "Here is your agenda for" in text
            assert "Here is your agenda for" in html
            assert sum(s.startswith("1:1 meeting: ") for s in summaries) == count
        else:
            assert message["Subject"] == "Din agenda for Springbrett Narvik – vinter 2027"
            assert "Her er din agenda for" in text
            assert "Her er din agenda for" in html
            assert sum(s.startswith("1:1-møte: ") for s in summaries) == count
        for vevent in vevents:
            assert _oslo(vevent, "DTSTART") < _oslo(vevent, "DTEND")
    _logout(page)

    # 5. The investor's agenda, and its calendar file with the same Oslo times.
    _login(page, INVESTOR)
    _open_session(page, event_id)
    _go(page, page.get_by_role("link", name="Din agenda", exact=True))
    check_accessibility(page)
    rows = page.get_by_role("table", name="Møtene i tidsrekkefølge", exact=False).get_by_role("row")
    shown = {
        row.get_by_role("rowheader").inner_text(): row.get_by_role("cell").first.inner_text()
        for row in rows.all()[1:]
    }
    mine = {after_move.titles[p]: s for i, p, s in after_move.stored if i == investor_id}
    assert set(shown) == set(mine)
    for company_name, slot_index in mine.items():
        start = after_move.slot_starts[slot_index]
        assert shown[company_name] == f"{_hhmm(start)}–{_hhmm(start + timedelta(minutes=20))}"
    with page.expect_download() as download:
        page.get_by_role("link", name="Legg til i kalenderen (.ics)").click()
    path = download.value.path()
    assert download.value.suggested_filename == f"springbrett-{event_id}.ics"
    with open(path, "rb") as f:
        calendar = icalendar.Calendar.from_ical(f.read())
    meetings_in_ics = {
        str(v["SUMMARY"]).removeprefix("1:1-møte: "): (_oslo(v, "DTSTART"), _oslo(v, "DTEND"))
        for v in _vevents(calendar)
        if str(v["SUMMARY"]).startswith("1:1-møte: ")
    }
    assert set(meetings_in_ics) == set(shown)
    for company_name, when in shown.items():
        start, end = meetings_in_ics[company_name]
        assert f"{start:%H.%M}–{end:%H.%M}" == when
        assert start == after_move.slot_starts[mine[company_name]]
    pitches = next(v for v in _vevents(calendar) if "-pitches@" in str(v["UID"]))
    assert f"{_oslo(pitches, 'DTSTART'):%H:%M}" == "17:00"  # the demo starts at 17:00 Oslo time
    expect(page.get_by_text("fra kl. 17.00", exact=True)).to_be_visible()
    _logout(page)

    # 6. The founder's agenda: their pitch and their meetings, by investor name.
    _login(page, FOUNDER)
    _open_session(page, event_id)
    _go(page, page.get_by_role("link", name="Din agenda", exact=True))
    check_accessibility(page)
    expect(page.get_by_text(f"Du pitcher «{title}» kl.")).to_be_visible()
    founder_table = page.get_by_role("table", name="Møtene i tidsrekkefølge", exact=False)
    theirs = [
        (s, after_move.names[i].name)
        for i, p, s in after_move.stored
        if p in {pid for _, pid, _ in own}
    ]
    shown_names = founder_table.get_by_role("rowheader").all_inner_texts()
    assert len(shown_names) == len(theirs)
    assert sorted(n.split(",")[0] for n in shown_names) == sorted(n for _, n in theirs)
    with_ola = founder_table.get_by_role("rowheader", name=ola.name)
    assert with_ola.count() == sum(n == ola.name for _, n in theirs) >= 1
    founders_ics = page.request.get(f"/events/{event_id}/agenda.ics")
    assert founders_ics.ok
    founder_events = _vevents(icalendar.Calendar.from_ical(founders_ics.body()))
    assert any(ola.name in str(v["SUMMARY"]) for v in founder_events)
    _logout(page)

    # 7. After the session the investor records a wanted follow-up, by keyboard only.
    _move_event_into_the_past(live_server)
    _login(page, INVESTOR)
    _open_session(page, event_id)
    _go(page, page.get_by_role("link", name="Din agenda", exact=True))
    _tab_to(page, page.get_by_role("link", name="Registrer utfallet av møtene dine"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("heading", name="Utfall av møtene", exact=False).wait_for()
    check_accessibility(page)
    card = page.locator("section", has=page.get_by_role("heading", name=title))
    follow_up = card.get_by_role("radio", name="Ønsker oppfølging")
    _tab_to(page, follow_up)
    page.keyboard.press("Space")
    assert follow_up.is_checked()
    _tab_to(page, card.get_by_role("button", name="Lagre utfallet"))
    sent = len(live_server.mail)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text("Utfallet er lagret.").wait_for()
    expect(card.locator("strong").filter(has_text="Ønsker oppfølging")).to_be_visible()
    expect(card.get_by_text(f"registrert av {investor_name}")).to_be_visible()
    check_accessibility(page)
    told = _mails_since(live_server, sent)
    assert [m["To"] for m in told] == [FOUNDER]
    assert told[0]["Subject"] == f"Nytt om forslaget ditt «{title}»"
    text, html = text_and_html(told[0])
    assert "ønsker en investor å følge opp" in text
    assert ola.name not in text  # never which investor
    assert ola.name not in html
    _logout(page)

    # The founder sees the proposal in dialogue.
    _login(page, FOUNDER)
    page.visit(f"/proposals/{proposal_id}")
    expect(page.locator('.lifecycle [aria-current="step"] .lifecycle-label')).to_have_text(
        "I dialog"
    )
    timeline = page.get_by_role("region", name="Tidslinje")
    timeline.get_by_text("Vis hvert steg, med datoer og kommentarer").click()  # collapsed
    expect(timeline.get_by_text("ønsker en investor å følge opp")).to_be_visible()
    assert page.get_by_text(ola.name).count() == 0
    assert page.console_errors == []
