"""The organisers' 1:1 schedule: the engine's input, the optimal grid, minimums,
conflicts, unavailability, hand edits with their warnings, and stale posts."""

from __future__ import annotations

import html
import itertools
import random
import re
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select, update

from matchmaking.engine import (
    SchedulePerson,
    ScheduleProblem,
    Violation,
    ViolationKind,
    check_schedule,
    solve_schedule,
)
from matchmaking.events.errors import EventError
from matchmaking.events.meetings import adapter, planning
from matchmaking.events.models import (
    Event,
    InvitationStatus,
    Meeting,
    MeetingOutcome,
    MeetingSource,
)
from matchmaking.extensions import db as _db
from matchmaking.introductions.models import Introduction, IntroductionStatus
from matchmaking.investors.models import InvestorProfile
from matchmaking.matches.models import MatchChoice
from tests.events import meeting_factories as mf
from tests.events.factories import new_event


def _event(event: Event) -> Event:
    """The session as the database has it now."""
    found = _db.session.get(Event, event.id, populate_existing=True)
    assert found is not None
    return found


def _new_event(organiser: Any, meeting_slots: int = 8) -> Event:
    event = new_event(organiser)
    event.meeting_slots = meeting_slots
    _db.session.commit()
    return event


def _meetings(event: Event) -> list[tuple[int, int, int]]:
    """(investor id, proposal id, slot) of the session's meetings, as stored."""
    rows = _db.session.execute(
        select(Meeting.investor_id, Meeting.proposal_id, Meeting.slot)
        .where(Meeting.event_id == event.id)
        .order_by(Meeting.slot, Meeting.id)
    )
    return [(i, p, s) for i, p, s in rows]


def _build(client: Any, event: Event) -> Any:
    return client.post(
        f"/events/{event.id}/schedule/build",
        data={"version": str(_event(event).version)},
        follow_redirects=True,
    )


def _profile(user: Any, name: str, organisation: str | None = None) -> None:
    _db.session.add(
        InvestorProfile(
            user_id=user.id,
            display_name=name,
            organisation=organisation,
            ticket_min=0,
            ticket_max=5_000_000,
        )
    )
    _db.session.commit()


@pytest.fixture
def organiser(login_as: Any, reference: None) -> Any:
    return login_as("organiser", locale="en")


# --------------------------------------------------------------------------
# The engine's input
# --------------------------------------------------------------------------


def test_affinity_boosts_pairs_where_both_sides_asked() -> None:
    assert adapter.affinity(0.6, False, False) == 0.0  # nobody asked: only for a minimum
    assert adapter.affinity(1.0, False, False) == 0.0
    assert adapter.affinity(0.6, True, False) == pytest.approx(0.55)
    assert adapter.affinity(0.6, False, True) == pytest.approx(0.55)
    assert adapter.affinity(0.6, True, True) == pytest.approx(0.8)
    assert adapter.affinity(None, True, False) == pytest.approx(0.25)
    assert adapter.affinity(1.0, True, True) == 1.0
    assert adapter.affinity(0.0, False, False) == 0.0
    assert adapter.affinity(1.7, True, True) == 1.0  # kept within [0, 1]


def test_engine_input_is_built_from_the_sessions_data(
    organiser: Any, make_user: Any, make_proposal: Any
) -> None:
    event = new_event(organiser)
    fa, fb = make_user("entrepreneur"), make_user("entrepreneur")
    a = make_proposal(fa, status="accepted", title="A")
    b = make_proposal(fb, status="accepted", title="B")
    gone = make_proposal(status="accepted", title="Declined")
    mf.publish_lineup(event, a, b)
    mf.publish_lineup(event, gone, status=InvitationStatus.DECLINED)
    i1 = make_user("investor", approved=True)
    i2 = make_user("investor", approved=True)
    i3 = make_user("investor", approved=True)
    pending = make_user("investor", approved=False)
    away = make_user("investor", approved=True)  # not signed up
    mf.sign_up(event, i1, i2, i3, pending)
    mf.score(i1, a, 0.8)
    mf.score(i2, b, 0.4)
    mf.score(i3, a, 0.6)
    mf.score(away, a, 0.9)
    mf.score(i1, gone, 0.9)
    mf.ask(event, i1, b)  # investor side only, no score
    mf.ask(event, i2, b, side="founder")  # both asked (with the request below)
    mf.ask(event, i2, b)
    mf.ask(event, pending, a)  # a pending investor does not take part
    mf.ask(event, i2, a, side="founder")  # but i2 said "not interested" in A
    mf.ask(event, i1, gone)  # not pitching
    _db.session.add(MatchChoice(investor_id=i2.id, proposal_id=a.id, not_interested=True))
    # i3's introduction to B was declined by B's founder: a conflict too.
    _db.session.add(
        Introduction(investor_id=i3.id, proposal_id=b.id, status=IntroductionStatus.DECLINED)
    )
    mf.score(i3, b, 0.9)
    _db.session.commit()
    mf.busy(event, 2, user=i1)
    mf.busy(event, 0, user=i1)
    mf.busy(event, 9, user=i2)  # a slot the session does not have: ignored
    mf.busy(event, 7, proposal=b)
    mf.busy(event, 3, user=pending)
    ev = _event(event)
    ev.min_meetings = 2
    _db.session.commit()

    got = adapter.engine_input(_event(event))

    # The engine's problem, with the database's own ids (no prefixes).
    expected_affinity = {
        (i1.id, a.id): 0.0,  # a match score of 0.8, but nobody asked
        (i1.id, b.id): 0.25,  # the investor asked, no score
        (i2.id, b.id): 0.7,  # 0.5 * 0.4 + both asked
        (i3.id, a.id): 0.0,
    }
    assert got.problem == ScheduleProblem(
        slots=8,
        investors=(
            SchedulePerson(i1.id, max_meetings=8, unavailable=frozenset({0, 2})),
            SchedulePerson(i2.id, max_meetings=8),
            SchedulePerson(i3.id, max_meetings=8),
        ),
        companies=(
            SchedulePerson(a.id, max_meetings=8, min_meetings=2),
            SchedulePerson(b.id, max_meetings=8, min_meetings=2, unavailable=frozenset({7})),
        ),
        affinity=expected_affinity,
        conflicts=frozenset({(i2.id, a.id), (i3.id, b.id)}),
    )
    assert list(got.problem.affinity) == sorted(expected_affinity)  # in a stable order
    assert got.conflicts == {
        (i2.id, a.id): adapter.NOT_INTERESTED,
        (i3.id, b.id): adapter.DECLINED_INTRODUCTION,
    }

    # The engine itself accepts the problem as it stands.
    assert solve_schedule(got.problem).optimal is True


def test_an_investors_own_request_outweighs_their_earlier_not_interested(
    organiser: Any, make_user: Any, make_proposal: Any
) -> None:
    event = new_event(organiser)
    a = make_proposal(status="accepted", title="A")
    mf.publish_lineup(event, a)
    i1 = make_user("investor", approved=True)
    mf.sign_up(event, i1)
    _db.session.add(MatchChoice(investor_id=i1.id, proposal_id=a.id, not_interested=True))
    _db.session.commit()
    mf.ask(event, i1, a)
    got = adapter.engine_input(_event(event))
    assert got.problem.conflicts == frozenset()
    assert got.problem.affinity == {(i1.id, a.id): 0.25}


def test_an_investor_who_owns_the_company_never_meets_it(
    organiser: Any, make_user: Any, make_proposal: Any, client: Any
) -> None:
    event = new_event(organiser)
    owner = make_user("investor", approved=True)
    own = make_proposal(owner, status="accepted", title="Eget selskap")
    mf.publish_lineup(event, own)
    mf.sign_up(event, owner)
    mf.ask(event, owner, own)
    mf.score(owner, own, 1.0)
    got = adapter.engine_input(_event(event))
    assert got.problem.affinity == {}
    assert got.problem.conflicts == frozenset({(owner.id, own.id)})
    _build(client, event)
    assert _meetings(event) == []


# --------------------------------------------------------------------------
# Building: the schedule shown is the engine's optimal one
# --------------------------------------------------------------------------


def brute_force(
    slots: int,
    investor_busy: dict[str, set[int]],
    company_busy: dict[str, set[int]],
    minimum: int,
    affinity: dict[tuple[str, str], float],
) -> float:
    """The best total affinity over every schedule (tiny instances only)."""
    pairs = sorted(affinity)
    best = -1.0
    for choice in itertools.product(range(-1, slots), repeat=len(pairs)):
        seen: set[tuple[str, int]] = set()
        count: Counter[str] = Counter()
        total = 0.0
        for (i, c), s in zip(pairs, choice, strict=True):
            if s < 0:
                continue
            if s in investor_busy[i] or s in company_busy[c]:
                break
            if ("i" + i, s) in seen or ("c" + c, s) in seen:
                break
            seen |= {("i" + i, s), ("c" + c, s)}
            count[c] += 1
            total += affinity[(i, c)]
        else:
            if all(count[c] >= minimum for c in company_busy):
                best = max(best, total)
    return best


def _only_asked_for_or_needed(stored: Any, minimum: int) -> None:
    """A meeting nobody asked for (affinity 0) is there only to reach a company's minimum."""
    per_company: dict[int, list[float]] = {}
    for m in stored:
        per_company.setdefault(m.proposal_id, []).append(m.affinity)
    for values in per_company.values():
        asked = sum(v > 0 for v in values)
        assert len(values) - asked <= max(0, minimum - asked)


def test_the_schedule_shown_is_the_engines_optimal_one(
    client: Any, organiser: Any, make_user: Any, make_proposal: Any
) -> None:
    event = _new_event(organiser, 3)
    fx, fy = make_user("entrepreneur"), make_user("entrepreneur")
    x = make_proposal(fx, status="accepted", title="Xylo AS")
    y = make_proposal(fy, status="accepted", title="Ymir AS")
    mf.publish_lineup(event, x, y)
    a, b, c = (make_user("investor", approved=True) for _ in range(3))
    _profile(a, "Anne Aas", "Aas Invest")
    _profile(b, "Bjørn Berg")
    _profile(c, "Cecilie Dahl")
    mf.sign_up(event, a, b, c)
    for inv, prop, value in ((a, x, 0.9), (a, y, 0.7), (b, x, 0.6), (b, y, 0.2), (c, x, 0.8)):
        mf.score(inv, prop, value)
    mf.ask(event, a, y)
    mf.ask(event, a, y, side="founder")
    mf.ask(event, b, x, side="founder")
    mf.ask(event, c, y)
    mf.busy(event, 0, user=a)
    mf.busy(event, 1, user=c)
    mf.busy(event, 2, proposal=x)
    ev = _event(event)
    ev.min_meetings = 1
    _db.session.commit()

    # The affinities as the docs promise them: 0.5 * score + 0.25 per side that
    # asked; a pair nobody asked for is worth 0 (it may meet only for the minimum).
    affinity = {
        ("a", "x"): 0.0,
        ("a", "y"): 0.35 + 0.5,
        ("b", "x"): 0.3 + 0.25,
        ("b", "y"): 0.0,
        ("c", "x"): 0.0,
        ("c", "y"): 0.25,
    }
    best = brute_force(3, {"a": {0}, "b": set(), "c": {1}}, {"x": {2}, "y": set()}, 1, affinity)

    response = _build(client, event)
    assert "Schedule built" in response.text
    assert "proven optimal" in response.text
    ev = _event(event)
    assert ev.schedule_value == pytest.approx(best, abs=1e-6)
    assert ev.schedule_optimal is True
    assert ev.schedule_edited is False
    assert ev.schedule_built_at is not None
    assert f"{best:.2f}" in response.text
    assert "Proven optimal" in response.text
    stored = _db.session.scalars(select(Meeting).where(Meeting.event_id == event.id)).all()
    assert sum(m.affinity for m in stored) == pytest.approx(best, abs=1e-6)
    assert all(m.source is MeetingSource.ENGINE for m in stored)
    # Every rule holds: unavailability, nobody twice in a slot, the minimum.
    busy = {(a.id, 0), (c.id, 1), (x.id, 2)}
    for m in stored:
        assert (m.investor_id, m.slot) not in busy
        assert (m.proposal_id, m.slot) not in busy
    assert len({(m.investor_id, m.slot) for m in stored}) == len(stored)
    assert len({(m.proposal_id, m.slot) for m in stored}) == len(stored)
    assert {m.proposal_id for m in stored} == {x.id, y.id}
    _only_asked_for_or_needed(stored, minimum=1)

    # The grid shows each meeting in its slot's row, under its company's column.
    names = {a.id: "Anne Aas", b.id: "Bjørn Berg", c.id: "Cecilie Dahl"}
    columns = {x.id: 1, y.id: 2}
    table = response.text[response.text.index("<table") : response.text.index("</table>")]
    assert "<caption>" in table
    assert 'scope="col">Xylo AS' in table
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]
    assert len(rows) == 3
    for m in stored:
        cells = re.findall(r"<t[hd][ >](.*?)</t[hd]>", rows[m.slot], flags=re.S)
        assert names[m.investor_id] in cells[columns[m.proposal_id]]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_tiny_sessions_match_the_brute_force(
    client: Any, organiser: Any, make_user: Any, make_proposal: Any, seed: int
) -> None:
    """Random scores, requests and unavailable slots; the built value is the best there is."""
    rng = random.Random(seed)
    slots = 3
    event = _new_event(organiser, slots)
    companies = [make_proposal(status="accepted", title=f"C{k}") for k in range(2)]
    mf.publish_lineup(event, *companies)
    people = [make_user("investor", approved=True) for _ in range(3)]
    mf.sign_up(event, *people)
    affinity: dict[tuple[str, str], float] = {}
    for i, inv in enumerate(people):
        for c, company in enumerate(companies):
            score = rng.choice([None, 0.2, 0.5, 0.9])
            by_investor, by_founder = rng.random() < 0.4, rng.random() < 0.3
            if score is not None:
                mf.score(inv, company, score)
            if by_investor:
                mf.ask(event, inv, company)
            if by_founder:
                mf.ask(event, inv, company, side="founder")
            if by_investor or by_founder:
                affinity[(str(i), str(c))] = (
                    0.5 * (score or 0) + 0.25 * by_investor + 0.25 * by_founder
                )
            elif score is not None:
                affinity[(str(i), str(c))] = 0.0  # may meet, worth nothing
    investor_busy = {str(i): {rng.randrange(slots)} for i in range(3)}
    company_busy = {str(c): set() for c in range(2)}
    for i, inv in enumerate(people):
        mf.busy(event, next(iter(investor_busy[str(i)])), user=inv)
    best = brute_force(slots, investor_busy, company_busy, 0, affinity)
    _build(client, event)
    ev = _event(event)
    assert ev.schedule_value == pytest.approx(best, abs=1e-6)
    assert ev.schedule_optimal is True
    stored = _db.session.scalars(select(Meeting).where(Meeting.event_id == event.id)).all()
    _only_asked_for_or_needed(stored, minimum=0)


def test_both_sides_asking_wins_the_one_slot(
    client: Any, organiser: Any, make_user: Any, make_proposal: Any
) -> None:
    event = _new_event(organiser, 1)
    p = make_proposal(status="accepted", title="Én plass")
    mf.publish_lineup(event, p)
    keen, both = make_user("investor", approved=True), make_user("investor", approved=True)
    mf.sign_up(event, keen, both)
    mf.score(keen, p, 0.9)  # 0.45 + 0.25 = 0.70
    mf.score(both, p, 0.5)  # 0.25 + 0.50 = 0.75
    mf.ask(event, keen, p)
    mf.ask(event, both, p)
    mf.ask(event, both, p, side="founder")
    _build(client, event)
    assert _meetings(event) == [(both.id, p.id, 0)]


def test_a_pair_nobody_asked_for_meets_only_when_a_minimum_needs_it(
    client: Any, organiser: Any, make_user: Any, make_proposal: Any
) -> None:
    """Investors who match a company well but did not ask for it (nor did its
    founder) are not booked into it, even with free slots; with a minimum of 1
    the company gets exactly one such meeting, not one per matching investor."""
    event = _new_event(organiser, 4)
    asked = make_proposal(status="accepted", title="Ønsket")
    matched = make_proposal(status="accepted", title="Bare match")
    mf.publish_lineup(event, asked, matched)
    i1, i2 = make_user("investor", approved=True), make_user("investor", approved=True)
    mf.sign_up(event, i1, i2)
    for inv in (i1, i2):
        mf.score(inv, asked, 0.3)
        mf.score(inv, matched, 0.95)
    mf.ask(event, i1, asked)
    mf.ask(event, asked_by_founder := i2, asked, side="founder")
    assert asked_by_founder is i2
    _build(client, event)
    assert sorted((i, p) for i, p, _ in _meetings(event)) == sorted(
        [(i1.id, asked.id), (i2.id, asked.id)]
    )
    ev = _event(event)
    assert ev.schedule_value == pytest.approx(2 * (0.15 + 0.25))
    client.post(
        f"/events/{event.id}/schedule/minimum",
        data={"min_meetings": "1", "version": str(ev.version)},
    )
    _build(client, event)
    counts = Counter(p for _, p, _ in _meetings(event))
    assert counts == {asked.id: 2, matched.id: 1}
    stored = _db.session.scalars(select(Meeting).where(Meeting.event_id == event.id)).all()
    assert [m.affinity for m in stored if m.proposal_id == matched.id] == [0.0]


def test_minimum_gives_every_company_its_meetings(
    client: Any, organiser: Any, make_user: Any, make_proposal: Any
) -> None:
    event = _new_event(organiser, 2)
    star = make_proposal(status="accepted", title="Stjerne")
    quiet = make_proposal(status="accepted", title="Stille")
    mf.publish_lineup(event, star, quiet)
    i1, i2 = make_user("investor", approved=True), make_user("investor", approved=True)
    mf.sign_up(event, i1, i2)
    for inv in (i1, i2):
        mf.score(inv, star, 1.0)
        mf.score(inv, quiet, 0.0)  # may meet, but worth nothing to the engine
        mf.ask(event, inv, star)
    _build(client, event)
    # Without a minimum nobody meets the quiet company.
    counts = Counter(p for _, p, _ in _meetings(event))
    assert counts[star.id] == 2
    assert counts[quiet.id] == 0
    client.post(
        f"/events/{event.id}/schedule/minimum",
        data={"min_meetings": "2", "version": str(_event(event).version)},
    )
    assert _event(event).min_meetings == 2
    _build(client, event)
    counts = Counter(p for _, p, _ in _meetings(event))
    assert counts[star.id] >= 2
    assert counts[quiet.id] >= 2


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("partners", "“Stille” needs at least 2 meetings, but only 1 signed-up investors may"),
        ("company_busy", "“Stille” needs at least 2 meetings, but its founder marked all but 1"),
        ("fit", "“Stille” needs at least 2 meetings, but only 1 fit into slots"),
        ("together", "Every company can get 2 meetings on its own, but not all at once"),
    ],
)
def test_an_impossible_minimum_is_explained_and_nothing_is_lost(
    client: Any,
    organiser: Any,
    make_user: Any,
    make_proposal: Any,
    case: str,
    message: str,
) -> None:
    event = _new_event(organiser, 2)
    star = make_proposal(status="accepted", title="Stjerne")
    quiet = make_proposal(status="accepted", title="Stille")
    mf.publish_lineup(event, star, quiet)
    i1, i2 = make_user("investor", approved=True), make_user("investor", approved=True)
    mf.sign_up(event, i1, i2)
    for inv in (i1, i2):
        mf.score(inv, star, 0.9)
        mf.ask(event, inv, star)
    mf.score(i1, quiet, 0.3)
    if case != "partners":
        mf.score(i2, quiet, 0.3)
    if case == "company_busy":
        mf.busy(event, 0, proposal=quiet)
    if case == "fit":
        mf.busy(event, 0, user=i1)  # i1 and i2 can meet "Stille" only in slot 1
        mf.busy(event, 0, user=i2)
        i3 = make_user("investor", approved=True)  # and "Stjerne" in slot 0 too
        mf.sign_up(event, i3)
        mf.score(i3, star, 0.9)
    if case == "together":
        mf.busy(event, 1, user=i2)  # 3 investor slots for 4 meetings
    _build(client, event)
    before = _meetings(event)
    assert before
    version = _event(event).version
    ev = _event(event)
    ev.min_meetings = 2
    _db.session.commit()
    response = _build(client, event)
    assert message in response.text
    assert _meetings(event) == before
    ev = _event(event)
    assert ev.version == version
    assert ev.min_meetings == 2


def test_the_pages_refusal_of_a_minimum_is_the_engines_one_check(
    client: Any,
    organiser: Any,
    make_user: Any,
    make_proposal: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The page keeps no rule check of its own: it asks the engine's
    ``check_schedule`` once, words its violations with ``refusal`` and does not
    solve; and when the page's call says nothing, the engine's solver refuses
    with the same words, because it runs the same check."""
    event = _new_event(organiser, 2)
    star = make_proposal(status="accepted", title="Stjerne")
    quiet = make_proposal(status="accepted", title="Stille")
    mf.publish_lineup(event, star, quiet)
    i1, i2 = make_user("investor", approved=True), make_user("investor", approved=True)
    mf.sign_up(event, i1, i2)
    for inv in (i1, i2):
        mf.score(inv, star, 0.9)
        mf.ask(event, inv, star)
    mf.score(i1, quiet, 0.3)  # only i1 may meet "Stille"
    ev = _event(event)
    ev.min_meetings = 2
    _db.session.commit()
    inp = adapter.engine_input(_event(event))
    violations = check_schedule(inp.problem)
    assert [(v.kind, v.companies, v.needed, v.available) for v in violations] == [
        (ViolationKind.TOO_FEW_INVESTORS, (quiet.id,), 2, 1)
    ]
    expected = adapter.refusal(_event(event), inp, violations)
    assert expected.startswith("“Stille” needs at least 2 meetings, but only 1 signed-up")

    asked: list[ScheduleProblem] = []

    def check(problem: ScheduleProblem) -> list[Violation]:
        asked.append(problem)
        return check_schedule(problem)

    def unsolved(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the page solves only once the check passes")

    monkeypatch.setattr(planning, "check_schedule", check)
    monkeypatch.setattr(planning, "solve_schedule", unsolved)
    assert expected in html.unescape(_build(client, event).text)
    assert asked == [inp.problem]

    monkeypatch.setattr(planning, "check_schedule", lambda problem: [])
    monkeypatch.setattr(planning, "solve_schedule", solve_schedule)
    assert expected in html.unescape(_build(client, event).text)
    assert _meetings(event) == []


def test_a_minimum_over_the_sessions_slots_is_named_as_such(
    client: Any, organiser: Any, make_user: Any, make_proposal: Any
) -> None:
    """The slots were reduced after the minimum was set: each company may have
    as many meetings as there are slots, so the minimum is what is wrong."""
    event = _new_event(organiser, 3)
    quiet = make_proposal(status="accepted", title="Stille")
    mf.publish_lineup(event, quiet)
    investors = [make_user("investor", approved=True) for _ in range(3)]
    mf.sign_up(event, *investors)
    for inv in investors:
        mf.ask(event, inv, quiet)
    ev = _event(event)
    ev.min_meetings = 3
    ev.meeting_slots = 2
    _db.session.commit()
    text = html.unescape(_build(client, event).text)
    assert (
        "The minimum is 3 meetings per company, but the session has only 2 meeting slots." in text
    )
    assert _event(event).schedule_built_at is None


def test_building_needs_investors_companies_and_a_published_lineup(
    client: Any, organiser: Any, make_user: Any, make_proposal: Any
) -> None:
    event = new_event(organiser)
    response = _build(client, event)
    assert "The 1:1 meetings open when the line-up is published" in response.text
    page = client.get(f"/events/{event.id}/schedule").text
    assert "The 1:1 meetings open when the line-up is published" in page
    mf.publish_lineup(event)
    assert "No company is pitching" in _build(client, event).text
    mf.publish_lineup(event, make_proposal(status="accepted"))
    assert "No approved investor has signed up yet" in _build(client, event).text
    assert _event(event).schedule_built_at is None


def test_rebuilding_is_refused_once_outcomes_are_recorded(
    client: Any, organiser: Any, make_user: Any, make_proposal: Any
) -> None:
    event = new_event(organiser)
    p = make_proposal(status="accepted")
    mf.publish_lineup(event, p)
    i = make_user("investor", approved=True)
    mf.sign_up(event, i)
    m = mf.meeting(event, i, p, 3)
    m = _db.session.get(Meeting, m.id)
    m.outcome = MeetingOutcome.FOLLOW_UP
    _db.session.commit()
    mf.score(i, p, 0.9)
    kept = [(i.id, p.id, 3)]
    response = _build(client, event)
    assert "Outcomes have been recorded" in response.text
    assert _meetings(event) == kept


# --------------------------------------------------------------------------
# The minimum form
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Enter a whole number."),
        ("", "Enter a whole number."),
        ("2.5", "Enter a whole number."),
        ("-1", "Enter a whole number from 0 to 8."),
        ("9", "Enter a whole number from 0 to 8."),
    ],
)
def test_minimum_bad_input_is_shown_beside_the_field_and_kept(
    client: Any, organiser: Any, typed: str, message: str
) -> None:
    event = new_event(organiser)
    response = client.post(
        f"/events/{event.id}/schedule/minimum", data={"min_meetings": typed, "version": "1"}
    )
    assert response.status_code == 200
    assert message in response.text
    assert 'id="min_meetings-error"' in response.text
    assert f'name="min_meetings" required type="number" value="{typed}"' in response.text
    assert _event(event).min_meetings == 0


def test_minimum_is_saved(client: Any, organiser: Any) -> None:
    event = new_event(organiser)
    response = client.post(
        f"/events/{event.id}/schedule/minimum",
        data={"min_meetings": "3", "version": "1"},
        follow_redirects=True,
    )
    assert "The minimum is saved" in response.text
    ev = _event(event)
    assert ev.min_meetings == 3
    assert ev.version == 2


# --------------------------------------------------------------------------
# Hand edits
# --------------------------------------------------------------------------


@pytest.fixture
def scheduled(client: Any, organiser: Any, make_user: Any, make_proposal: Any) -> dict[str, Any]:
    """Two companies, two investors; meetings set directly: a-x in slot 0, b-y in slot 1."""
    event = new_event(organiser)
    x = make_proposal(status="accepted", title="Xylo AS")
    y = make_proposal(status="accepted", title="Ymir AS")
    mf.publish_lineup(event, x, y)
    a, b = make_user("investor", approved=True), make_user("investor", approved=True)
    _profile(a, "Anne Aas")
    _profile(b, "Bjørn Berg")
    mf.sign_up(event, a, b)
    mf.built(event)
    ax = mf.meeting(event, a, x, 0)
    by = mf.meeting(event, b, y, 1)
    return {"event": event, "x": x, "y": y, "a": a, "b": b, "ax": ax, "by": by}


def _move(client: Any, s: dict[str, Any], meeting: str, slot: str, version: Any = None) -> Any:
    event = s["event"]
    return client.post(
        f"/events/{event.id}/meetings/{s[meeting].id}/move",
        data={"slot": slot, "version": str(version or _event(event).version)},
        follow_redirects=True,
    )


def test_a_meeting_is_moved_by_hand(client: Any, scheduled: dict[str, Any]) -> None:
    s = scheduled
    version = _event(s["event"]).version
    response = _move(client, s, "ax", "4")
    assert _flash(response) == ("success", "The meeting is moved.")
    assert _meetings(s["event"]) == [(s["b"].id, s["y"].id, 1), (s["a"].id, s["x"].id, 4)]
    ev = _event(s["event"])
    assert ev.schedule_edited is True
    assert ev.version == version + 1
    assert _db.session.get(Meeting, s["ax"].id).source is MeetingSource.MANUAL
    assert "Yes, since the engine built it" in response.text
    assert "by hand" in response.text


def test_a_meeting_is_removed_and_the_minimum_warning_names_the_company(
    client: Any, scheduled: dict[str, Any]
) -> None:
    s = scheduled
    ev = _event(s["event"])
    ev.min_meetings = 1
    _db.session.commit()
    response = client.post(
        f"/events/{s['event'].id}/meetings/{s['by'].id}/remove",
        data={"version": str(_event(s["event"]).version)},
        follow_redirects=True,
    )
    assert _meetings(s["event"]) == [(s["a"].id, s["x"].id, 0)]
    category, text = _flash(response)
    assert category == "warning"
    assert text == (
        "The meeting is removed. It creates a clash: “Ymir AS” has 0 meetings; the minimum is 1."
    )
    assert _event(s["event"]).schedule_edited is True


def test_a_meeting_with_an_outcome_is_not_removed(client: Any, scheduled: dict[str, Any]) -> None:
    s = scheduled
    mid = s["ax"].id
    m = _db.session.get(Meeting, mid)
    m.outcome = MeetingOutcome.FOLLOW_UP
    m.outcome_note = "Vil se regnskapet."
    _db.session.commit()
    version = _event(s["event"]).version
    response = client.post(
        f"/events/{s['event'].id}/meetings/{mid}/remove",
        data={"version": str(version)},
        follow_redirects=True,
    )
    category, text = _flash(response)
    assert category == "warning"
    assert text == (
        "The meeting of Anne Aas with “Xylo AS” has an outcome recorded, so it stays in the"
        " schedule: removing it would lose that record. Move it instead if it took place in"
        " another slot."
    )
    kept = _db.session.get(Meeting, mid, populate_existing=True)
    assert kept is not None
    assert (kept.outcome, kept.outcome_note) == (MeetingOutcome.FOLLOW_UP, "Vil se regnskapet.")
    ev = _event(s["event"])
    assert ev.version == version
    assert ev.schedule_edited is False


def test_a_founder_with_two_companies_in_one_slot_is_a_clash(
    client: Any, organiser: Any, make_user: Any, make_proposal: Any
) -> None:
    """The engine plans companies: the same founder can get two meetings at once.
    The schedule page names the person, both companies, both investors and the slot."""
    event = _new_event(organiser, 2)
    founder = make_user("entrepreneur", name="Gunn Gründer")
    x = make_proposal(founder, status="accepted", title="Xylo AS")
    y = make_proposal(founder, status="accepted", title="Ymir AS")
    mf.publish_lineup(event, x, y)
    a, b = make_user("investor", approved=True), make_user("investor", approved=True)
    _profile(a, "Anne Aas")
    _profile(b, "Bjørn Berg")
    mf.sign_up(event, a, b)
    mf.ask(event, a, x)
    mf.ask(event, b, y)
    mf.busy(event, 1, user=a)
    mf.busy(event, 1, user=b)  # both are free only in the first slot: both meet there
    response = _build(client, event)
    assert sorted(_meetings(event)) == sorted([(a.id, x.id, 0), (b.id, y.id, 0)])
    clashes = response.text[response.text.index("Clashes") : response.text.index("<table")]
    assert (
        "Gunn Gründer, the founder of both “Xylo AS” and “Ymir AS”, has two meetings at once"
        " in slot 1 (" in clashes
    )
    assert "with Anne Aas and with Bjørn Berg. The engine plans companies, not people" in clashes
    assert response.text.count('<span class="visually-hidden">clash</span>') == 2  # both cells
    assert len(_clash_list(response.text)) == 1

    # Moving one of them away clears it (Bjørn cannot come then: that clash
    # instead); a hand move back warns by name.
    mid = _db.session.scalars(
        select(Meeting.id).where(Meeting.event_id == event.id, Meeting.proposal_id == y.id)
    ).one()
    client.post(
        f"/events/{event.id}/meetings/{mid}/move",
        data={"slot": "1", "version": str(_event(event).version)},
    )
    page = client.get(f"/events/{event.id}/schedule").text
    [only] = _clash_list(page)
    assert only.startswith("Bjørn Berg meets “Ymir AS” in slot 2 (")
    assert only.endswith("), but marked that slot as unavailable.")
    response = client.post(
        f"/events/{event.id}/meetings/{mid}/move",
        data={"slot": "0", "version": str(_event(event).version)},
        follow_redirects=True,
    )
    category, text = _flash(response)
    assert category == "warning"
    assert "Gunn Gründer, the founder of both “Xylo AS” and “Ymir AS”" in text


@pytest.mark.parametrize(
    ("meeting", "slot", "message"),
    [
        ("ax", "1", "Anne Aas already has a meeting in slot 2"),
        ("by", "0", "“Xylo AS” already has a meeting in slot 1"),
    ],
)
def test_a_move_that_double_books_is_refused_and_the_choice_kept(
    client: Any, scheduled: dict[str, Any], meeting: str, slot: str, message: str
) -> None:
    s = scheduled
    if meeting == "by":  # b would meet Xylo in slot 0, where Xylo meets a
        m = _db.session.get(Meeting, s["by"].id)
        m.proposal_id = s["x"].id
        _db.session.commit()
    else:  # a would be in slot 1 twice
        m = _db.session.get(Meeting, s["by"].id)
        m.slot = 2
        _db.session.commit()
        mf.meeting(s["event"], s["a"], s["y"], 1)
    before = _meetings(s["event"])
    version = _event(s["event"]).version
    response = _move(client, s, meeting, slot)
    assert response.status_code == 200
    assert "The meeting was not moved" in response.text
    assert message in response.text
    assert _meetings(s["event"]) == before
    assert _event(s["event"]).version == version
    mid = s[meeting].id
    select_html = re.search(rf'<select id="move-{mid}".*?</select>', response.text, flags=re.S)
    assert select_html is not None
    assert f'<option value="{slot}" selected>' in select_html.group(0)
    assert 'aria-invalid="true"' in select_html.group(0)


@pytest.mark.parametrize("slot", ["abc", "8", "-1", ""])
def test_a_move_to_a_slot_that_does_not_exist_is_refused(
    client: Any, scheduled: dict[str, Any], slot: str
) -> None:
    s = scheduled
    before = _meetings(s["event"])
    response = _move(client, s, "ax", slot)
    assert "Choose one of the session" in response.text
    assert _meetings(s["event"]) == before


def _clash_list(page: str) -> list[str]:
    """The clashes listed on the schedule page, one per item."""
    part = page[page.index('id="clashes-heading"') : page.index("<table")]
    return re.findall(r"<li>(.*?)</li>", part, flags=re.S)


def _flash(response: Any) -> tuple[str, str]:
    """The category and text of the message at the top of the page."""
    found = re.search(r'<div class="alert alert-(\w+)" role="\w+">(.*?)</div>', response.text, re.S)
    assert found is not None
    return found.group(1), found.group(2)


def test_hand_edits_that_clash_are_saved_and_warned_about(
    client: Any, scheduled: dict[str, Any]
) -> None:
    s = scheduled
    mf.busy(s["event"], 5, user=s["a"])
    mf.busy(s["event"], 6, proposal=s["y"])
    response = _move(client, s, "ax", "5")
    # Saved, but the message at the top is a warning naming the clash, not a success.
    category, text = _flash(response)
    assert category == "warning"
    assert text.startswith("The meeting is moved. It creates a clash: ")
    assert "Anne Aas meets “Xylo AS” in slot 6" in text
    assert "but marked that slot as unavailable" in text
    assert (s["a"].id, s["x"].id, 5) in _meetings(s["event"])
    response = _move(client, s, "by", "6")
    category, text = _flash(response)
    assert category == "warning"
    assert "“Ymir AS” meets Bjørn Berg in slot 7" in text
    assert "the founder marked that slot as unavailable" in text
    assert "Anne Aas meets" not in text  # only the clash this edit created
    # Both clashes are listed, always, at the top of the grid.
    page = client.get(f"/events/{s['event'].id}/schedule").text
    clashes = page[page.index("Clashes") : page.index("<table")]
    assert "Anne Aas meets “Xylo AS” in slot 6" in clashes
    assert "“Ymir AS” meets Bjørn Berg in slot 7" in clashes


def test_a_company_that_stops_pitching_is_warned_about(
    client: Any, scheduled: dict[str, Any]
) -> None:
    s = scheduled
    ev = _event(s["event"])
    for c in ev.candidates:
        if c.proposal_id == s["y"].id:
            c.invitation = InvitationStatus.DECLINED
    _db.session.commit()
    page = client.get(f"/events/{s['event'].id}/schedule").text
    assert "“Ymir AS” is not pitching at this session, but meets Bjørn Berg in slot 2 (" in page
    assert "not pitching</span>" in page  # its column is marked


def test_fewer_slots_or_a_cancelled_place_after_the_build_are_warned_about(
    client: Any, scheduled: dict[str, Any]
) -> None:
    s = scheduled
    ev = _event(s["event"])
    ev.meeting_slots = 1  # the session was edited: slot 2 is gone
    ev.attendees = [a for a in ev.attendees if a.user_id != s["a"].id]  # a cancelled
    _db.session.commit()
    page = client.get(f"/events/{s['event'].id}/schedule").text
    assert "Bjørn Berg meets “Ymir AS” in slot 2 (" in page
    assert "which the session no longer has" in page
    assert "no longer a slot" in page  # its row is still shown, to move it
    assert "Anne Aas is no longer signed up (or approved), but meets “Xylo AS” in slot 1" in page


def test_a_meeting_is_added_by_hand(client: Any, scheduled: dict[str, Any]) -> None:
    s = scheduled
    _db.session.add(MatchChoice(investor_id=s["b"].id, proposal_id=s["x"].id, not_interested=True))
    _db.session.commit()
    response = client.post(
        f"/events/{s['event'].id}/schedule/add",
        data={
            "investor": str(s["b"].id),
            "company": str(s["x"].id),
            "slot": "3",
            "version": str(_event(s["event"]).version),
        },
        follow_redirects=True,
    )
    assert (s["b"].id, s["x"].id, 3) in _meetings(s["event"])
    # A conflict of interest is saved, but the message warns about it by name.
    category, text = _flash(response)
    assert category == "warning"
    assert text.startswith("The meeting is added. It creates a clash: ")
    assert "Bjørn Berg said “not interested” in “Xylo AS”, but meets it in slot 4 (" in text
    clashes = response.text[response.text.index("Clashes") : response.text.index("<table")]
    assert "Bjørn Berg said “not interested” in “Xylo AS”" in clashes
    assert _event(s["event"]).schedule_edited is True


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"investor": "abc"}, "investor", "Choose an investor signed up for this session."),
        ({"investor": "stranger"}, "investor", "Choose an investor signed up for this session."),
        ({"investor": ""}, "investor", "Choose an investor signed up for this session."),
        ({"company": "declined"}, "company", "Choose a company that pitches at this session."),
        ({"company": "999999"}, "company", "Choose a company that pitches at this session."),
        ({"slot": "99"}, "slot", "Choose one of the session"),
        ({"slot": "x"}, "slot", "Choose one of the session"),
        ({"slot": "0"}, "slot", "Anne Aas already has a meeting in slot 1"),
        ({"company": "@y", "slot": "1"}, "slot", "“Ymir AS” already has a meeting in slot 2"),
        ({"company": "@x", "slot": "5"}, "slot", "Anne Aas already meets “Xylo AS”, in slot 1 ("),
    ],
)
def test_adding_bad_input_or_a_double_booking_is_refused_and_kept(
    client: Any,
    scheduled: dict[str, Any],
    make_user: Any,
    make_proposal: Any,
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    s = scheduled
    stranger = make_user("investor", approved=True)
    declined = make_proposal(status="accepted", title="Takket nei")
    mf.publish_lineup(s["event"], declined, status=InvitationStatus.DECLINED)
    values = {"stranger": str(stranger.id), "declined": str(declined.id)}
    values |= {"@x": str(s["x"].id), "@y": str(s["y"].id)}
    data = {"investor": str(s["a"].id), "company": str(s["y"].id), "slot": "4"}
    data |= {k: values.get(v, v) for k, v in change.items()}
    data["version"] = str(_event(s["event"]).version)
    before = _meetings(s["event"])
    response = client.post(f"/events/{s['event'].id}/schedule/add", data=data)
    assert response.status_code == 200
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    assert "The meeting was not added" in response.text
    assert _meetings(s["event"]) == before
    # What was chosen is still chosen (where it was one of the options).
    if data["investor"] == str(s["a"].id):
        assert f'<option selected value="{s["a"].id}">' in response.text


# --------------------------------------------------------------------------
# Two organisers: a stale post is refused, nothing lost
# --------------------------------------------------------------------------


def test_stale_posts_are_refused(client: Any, scheduled: dict[str, Any]) -> None:
    s = scheduled
    event = s["event"]
    old = _event(event).version
    ev = _event(event)
    ev.version = old + 1  # another organiser saved meanwhile
    _db.session.commit()
    before = _meetings(event)
    stale = "changed by someone else – reload"

    response = _move(client, s, "ax", "4", version=old)
    assert stale in response.text
    assert re.search(rf'<select id="move-{s["ax"].id}".*?value="4" selected', response.text, re.S)

    response = client.post(
        f"/events/{event.id}/meetings/{s['ax'].id}/remove",
        data={"version": str(old)},
        follow_redirects=True,
    )
    assert stale in response.text

    response = client.post(
        f"/events/{event.id}/schedule/add",
        data={
            "investor": str(s["b"].id),
            "company": str(s["x"].id),
            "slot": "5",
            "version": str(old),
        },
    )
    assert stale in response.text
    assert f'<option selected value="{s["b"].id}">' in response.text

    response = client.post(
        f"/events/{event.id}/schedule/minimum", data={"min_meetings": "1", "version": str(old)}
    )
    assert stale in response.text
    assert 'value="1"' in response.text

    response = client.post(
        f"/events/{event.id}/schedule/build", data={"version": str(old)}, follow_redirects=True
    )
    assert stale in response.text

    response = client.post(
        f"/events/{event.id}/schedule/minimum", data={"min_meetings": "1", "version": "abc"}
    )
    assert stale in response.text

    assert _meetings(event) == before
    ev = _event(event)
    assert ev.version == old + 1
    assert ev.min_meetings == 0


def test_a_post_racing_another_organiser_is_refused(scheduled: dict[str, Any]) -> None:
    """The page's version matched when read, but another organiser's change
    committed first: the conditional UPDATE refuses, nothing changes."""
    s = scheduled
    event = _event(s["event"])
    meeting = _db.session.get(Meeting, s["ax"].id)
    assert meeting is not None
    old = event.version
    _db.session.execute(
        update(Event)
        .where(Event.id == event.id)
        .values(version=old + 1)
        .execution_options(synchronize_session=False)
    )
    assert event.version == old  # this request still sees the old version
    with pytest.raises(EventError, match="changed by someone else"):
        planning.move_meeting(meeting, 4, old)
    _db.session.rollback()
    assert _meetings(event) == [(s["a"].id, s["x"].id, 0), (s["b"].id, s["y"].id, 1)]


def test_every_schedule_change_bumps_the_version(client: Any, scheduled: dict[str, Any]) -> None:
    s = scheduled
    event = s["event"]
    versions = [_event(event).version]
    _move(client, s, "ax", "4")
    versions.append(_event(event).version)
    client.post(
        f"/events/{event.id}/schedule/add",
        data={
            "investor": str(s["b"].id),
            "company": str(s["x"].id),
            "slot": "5",
            "version": str(versions[-1]),
        },
    )
    versions.append(_event(event).version)
    client.post(
        f"/events/{event.id}/meetings/{s['by'].id}/remove", data={"version": str(versions[-1])}
    )
    versions.append(_event(event).version)
    client.post(
        f"/events/{event.id}/schedule/minimum",
        data={"min_meetings": "0", "version": str(versions[-1])},
    )
    versions.append(_event(event).version)
    _build(client, event)
    versions.append(_event(event).version)
    assert versions == list(range(versions[0], versions[0] + 6))


# --------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------


def test_a_schedule_not_proven_optimal_shows_its_gap(
    client: Any, scheduled: dict[str, Any]
) -> None:
    ev = _event(scheduled["event"])
    ev.schedule_value, ev.schedule_bound, ev.schedule_optimal = 9.0, 10.0, False
    _db.session.commit()
    page = client.get(f"/events/{ev.id}/schedule").text
    assert "Not proven optimal: at most 10.0% below the best possible (upper bound 10.00)" in page
    assert "9.00" in page


def test_requests_after_the_build_are_listed(client: Any, scheduled: dict[str, Any]) -> None:
    s = scheduled
    mf.ask(s["event"], s["b"], s["x"])  # made now, after the build an hour ago
    page = client.get(f"/events/{s['event'].id}/schedule").text
    late = page[page.index("Requests since the schedule was built") :]
    assert "Bjørn Berg" in late
    assert "Xylo AS" in late
    assert "the investor" in late


def test_a_meeting_of_another_session_is_not_found_here(
    client: Any, scheduled: dict[str, Any], organiser: Any
) -> None:
    s = scheduled
    other = new_event(organiser)
    url = f"/events/{other.id}/meetings/{s['ax'].id}"
    assert client.post(f"{url}/move", data={"slot": "3", "version": "1"}).status_code == 404
    assert client.post(f"{url}/remove", data={"version": "1"}).status_code == 404
    assert _meetings(s["event"])[0] == (s["a"].id, s["x"].id, 0)


def test_norwegian_organiser_sees_the_grid_in_norwegian(
    client: Any, scheduled: dict[str, Any], login_as: Any
) -> None:
    login_as("organiser", locale="nb")
    s = scheduled
    page = client.get(f"/events/{s['event'].id}/schedule").text
    assert "Bygg møteplanen" in page
    assert "Tidsluke 1" in page
    assert "Kollisjoner" in page
    assert "Ingen kollisjoner." in page
    assert "matchpoengene" in page  # one word for the match score on every event page
    response = client.post(
        f"/events/{s['event'].id}/schedule/add",
        data={
            "investor": str(s["a"].id),
            "company": str(s["x"].id),
            "slot": "5",
            "version": str(_event(s["event"]).version),
        },
    )
    found = re.search(
        r"Anne Aas møter allerede «Xylo AS», i tidsluke 1 \(kl\. [0-9.]+\)\.", response.text
    )
    assert found is not None  # no brackets inside brackets
