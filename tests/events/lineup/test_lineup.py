"""The line-up as the organiser builds it: engine input, optimality, rules, pins, weight, versions."""

from __future__ import annotations

import itertools
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask_babel import force_locale

from matchmaking.engine import LineupProblem, solve_lineup
from matchmaking.events.lineup import adapter
from matchmaking.events.models import Event, EventCandidate, InvitationStatus
from matchmaking.extensions import db as _db
from tests.conftest import reload
from tests.events.factories import new_event
from tests.events.lineup_factories import (
    attend,
    candidate,
    founder_proposal,
    minimum,
    score,
    screen,
)


def _row(model: Any, ident: int) -> Any:
    """The row as the database has it now (test objects go stale across requests)."""
    _db.session.expire_all()
    return _db.session.get(model, ident)


def _version(event: Event) -> str:
    return str(reload(event).version)


@pytest.fixture
def small(login_as: Any, make_user: Any, make_proposal: Any, reference: None) -> dict[str, Any]:
    """A session with 3 pitch slots, 6 candidates in 3 municipalities, 4 investors.

    Logged in as the organiser (English). Scores are chosen so that the best
    line-up is not simply the three highest single values.
    """
    organiser = login_as("organiser", locale="en")
    event = new_event(organiser)
    event.pitch_slots = 3
    _db.session.commit()
    return _fill(event, make_user, make_proposal)


def _fill(event: Event, make_user: Any, make_proposal: Any) -> dict[str, Any]:
    places = [
        ("narvik", "marin-kartlegging"),
        ("narvik", "tidligfasekapital"),
        ("narvik", "tidligfasekapital"),
        ("evenes", "marin-kartlegging"),
        ("evenes", None),
        ("harstad", "tidligfasekapital"),
    ]
    proposals = [
        founder_proposal(make_user, make_proposal, municipality=m, subproject=s, title=f"Pitch {k}")
        for k, (m, s) in enumerate(places)
    ]
    candidates = [candidate(event, p) for p in proposals]
    investors = [make_user("investor", approved=True, name=f"Investor {k}") for k in range(4)]
    for inv in investors:
        attend(event, inv)
    table = [
        [0.90, 0.85, 0.10, 0.00, 0.20, 0.00],
        [0.80, 0.88, 0.00, 0.30, 0.00, 0.10],
        [0.00, 0.10, 0.70, 0.65, 0.00, 0.20],
        [0.00, 0.00, 0.60, 0.00, 0.75, 0.55],
    ]
    for i, row in enumerate(table):
        for j, value in enumerate(row):
            if value:
                score(investors[i], proposals[j], value)
    reviewer = make_user("organiser")
    screen(proposals[5], reviewer, 5)  # mean 5: bonus = weight
    screen(proposals[3], reviewer, 3)  # mean 3: bonus = weight / 2
    return {
        "event": event,
        "ids": [c.id for c in candidates],
        "proposals": proposals,
        "candidates": candidates,
        "investors": investors,
        "table": table,
        "places": places,
    }


def _brute_force(
    table: list[list[float]],
    bonus: list[float],
    places: list[tuple[str, str | None]],
    slots: int,
    *,
    cap: int | None = None,
    mins: dict[str, int] | None = None,
    pinned: set[int] = frozenset(),  # type: ignore[assignment]
    excluded: set[int] = frozenset(),  # type: ignore[assignment]
) -> tuple[float, set[int]]:
    """The best value over every subset of the right size that keeps the rules."""
    kept = [j for j in range(len(places)) if j not in excluded]
    size = min(slots, len(kept))
    best, best_set = -1.0, set()
    for combo in itertools.combinations(kept, size):
        chosen = set(combo)
        if not pinned <= chosen:
            continue
        if cap is not None and any(
            sum(1 for j in chosen if places[j][0] == m) > cap for m in {p[0] for p in places}
        ):
            continue
        if mins and any(sum(1 for j in chosen if places[j][1] == s) < n for s, n in mins.items()):
            continue
        value = sum(max(row[j] for j in chosen) for row in table) + sum(bonus[j] for j in chosen)
        if value > best + 1e-12:
            best, best_set = value, chosen
    return best, best_set


def _chosen(s: dict[str, Any]) -> set[int]:
    return {
        k
        for k, ident in enumerate(s["ids"])
        if _row(EventCandidate, ident).lineup_position is not None
    }


# --------------------------------------------------------------------------
# Engine input
# --------------------------------------------------------------------------


def test_engine_input_is_built_from_stored_scores_screening_quotas_and_flags(
    app: Flask, small: dict[str, Any], make_user: Any, make_proposal: Any
) -> None:
    event, props, ids, invs = small["event"], small["proposals"], small["ids"], small["investors"]
    # Who does not count: a pending investor, a disabled one, a withdrawn proposal,
    # a founder who declined.
    pending = make_user("investor", approved=False)
    attend(event, pending)
    score(pending, props[0], 0.99)
    disabled = make_user("investor", approved=True, disabled=True)
    attend(event, disabled)
    withdrawn = candidate(event, founder_proposal(make_user, make_proposal, status="withdrawn"))
    declined = candidate(
        event,
        founder_proposal(make_user, make_proposal),
        invitation=InvitationStatus.DECLINED,
    )
    minimum(event, "tidligfasekapital", 1)
    ev = reload(event)
    ev.max_per_municipality = 2
    ev.screening_weight = 2.0
    c1, c2 = (
        _db.session.get(EventCandidate, ids[1]),
        _db.session.get(EventCandidate, ids[2]),
    )
    c1.pinned = True
    c2.excluded = True
    _db.session.commit()

    with app.test_request_context(), force_locale("en"):
        inp = adapter.engine_input(reload(event))
    data = inp.problem  # typed: the database's own ids, no prefixes
    keys = list(ids)
    assert data.slots == 3
    assert list(data.attendees) == [u.id for u in invs]
    assert [c.id for c in data.candidates] == keys  # withdrawn and declined left out
    assert [c.municipality for c in data.candidates] == [p[0] for p in small["places"]]
    assert [c.subproject for c in data.candidates] == [p[1] for p in small["places"]]
    # bonus = weight * (mean - 1) / 4: mean 5 -> 2.0, mean 3 -> 1.0, unscored -> 0
    assert [c.bonus for c in data.candidates] == [0, 0, 0, 1.0, 0, 2.0]
    expected = sorted(
        [invs[i].id, keys[j], v]
        for i, row in enumerate(small["table"])
        for j, v in enumerate(row)
        if v
    )
    # a missing pair is 0, so not listed
    assert sorted([a, c, v] for (a, c), v in data.affinity.items()) == expected
    assert data.min_per_subproject == {"tidligfasekapital": 1}
    assert data.max_per_municipality == 2
    assert list(data.pinned) == [keys[1]]
    assert list(data.excluded) == [keys[2]]
    reasons = {r.candidate.id: r.left_out for r in inp.rows}
    assert "no longer accepted" in (reasons[withdrawn.id] or "")
    assert "declined" in (reasons[declined.id] or "")


def test_screening_bonus() -> None:
    assert adapter.screening_bonus(1.0, None) == 0.0
    assert adapter.screening_bonus(1.0, 1.0) == 0.0
    assert adapter.screening_bonus(1.0, 5.0) == 1.0
    assert adapter.screening_bonus(2.5, 3.0) == 1.25
    assert adapter.screening_bonus(0.0, 5.0) == 0.0


# --------------------------------------------------------------------------
# Runs: the value shown is the engine's, and it is the optimum
# --------------------------------------------------------------------------


def test_run_stores_the_optimal_line_up_and_the_page_shows_it(
    app: Flask, client: Any, small: dict[str, Any]
) -> None:
    event = small["event"]
    bonus = [0, 0, 0, 0.5, 0, 1.0]  # default weight 1
    best, best_set = _brute_force(small["table"], bonus, small["places"], 3)

    with app.test_request_context():
        inp = adapter.engine_input(reload(event))
    engine = solve_lineup(inp.problem, time_limit=5)

    response = client.post(
        f"/events/{event.id}/lineup/run", data={"version": _version(event)}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "the best possible under these rules" in response.text
    ev = reload(event)
    assert ev.lineup_value == pytest.approx(best, abs=1e-6)
    assert ev.lineup_value == engine.value
    assert ev.lineup_optimal is True
    assert ev.lineup_bound == pytest.approx(best, abs=1e-6)
    assert ev.lineup_run_at is not None
    assert _chosen(small) == best_set
    page = response.text
    assert f'<dd class="col-sm-8" id="lineup-value">{best:,.2f}</dd>' in page
    # The line-up in the engine's order, with Oslo times 10 minutes apart.
    titles = [f"Pitch {k}" for k in range(6)]
    keys = {ident: titles[k] for k, ident in enumerate(small["ids"])}
    order = [keys[k] for k in engine.lineup]
    table = page.split('id="lineup-table"')[1].split("</table>")[0]
    positions = [table.index(t) for t in order]
    assert positions == sorted(positions)
    start = ev.starts_at.astimezone(ZoneInfo("Europe/Oslo"))
    assert start.strftime("%H:%M") in table
    # Each investor's best pitch is the engine's best_for, with the match score.
    best_table = page.split('id="best-for"')[1].split("</table>")[0]
    for inv in small["investors"]:
        pick = engine.best_for[inv.id]
        row = best_table.split(inv.name)[1].split("</tr>")[0]
        assert keys[pick] in row


def test_weight_changes_the_bonus_and_the_optimum(client: Any, small: dict[str, Any]) -> None:
    event = small["event"]
    client.post(f"/events/{event.id}/lineup/run", data={"version": _version(event)})
    assert _chosen(small) == {1, 3, 5}  # weight 1: the top-scored proposal earns its place
    response = client.post(
        f"/events/{event.id}/lineup/weight",
        data={"version": _version(event), "screening_weight": "0"},
        follow_redirects=True,
    )
    assert "Weight saved" in response.text
    assert reload(event).screening_weight == 0.0
    client.post(f"/events/{event.id}/lineup/run", data={"version": _version(event)})
    best, best_set = _brute_force(small["table"], [0.0] * 6, small["places"], 3)
    assert reload(event).lineup_value == pytest.approx(best, abs=1e-6)
    assert _chosen(small) == best_set == {1, 2, 4}
    response = client.post(
        f"/events/{event.id}/lineup/weight",
        data={"version": _version(event), "screening_weight": "4,5"},
    )
    client.post(f"/events/{event.id}/lineup/run", data={"version": _version(event)})
    best, best_set = _brute_force(small["table"], [0, 0, 0, 2.25, 0, 4.5], small["places"], 3)
    assert reload(event).lineup_value == pytest.approx(best, abs=1e-6)
    assert _chosen(small) == best_set


def test_quotas_pins_and_excludes_are_kept_and_still_optimal(
    client: Any, small: dict[str, Any]
) -> None:
    event, ids = small["event"], small["ids"]
    ev = reload(event)
    ev.max_per_municipality = 2
    _db.session.commit()
    minimum(event, "marin-kartlegging", 1)
    client.post(f"/events/{event.id}/lineup/candidates/{ids[4]}/pin")
    client.post(f"/events/{event.id}/lineup/candidates/{ids[5]}/exclude")
    response = client.post(
        f"/events/{event.id}/lineup/run", data={"version": _version(event)}, follow_redirects=True
    )
    assert "Line-up proposed" in response.text
    bonus = [0, 0, 0, 0.5, 0, 1.0]
    best, best_set = _brute_force(
        small["table"],
        bonus,
        small["places"],
        3,
        cap=2,
        mins={"marin-kartlegging": 1},
        pinned={4},
        excluded={5},
    )
    assert _chosen(small) == best_set
    assert 4 in best_set
    assert 5 not in best_set
    assert reload(event).lineup_value == pytest.approx(best, abs=1e-6)


# --------------------------------------------------------------------------
# Rules that cannot be met: named, nothing lost
# --------------------------------------------------------------------------


def _run_once(client: Any, event: Event) -> tuple[set[int], float]:
    client.post(f"/events/{event.id}/lineup/run", data={"version": _version(event)})
    ev = reload(event)
    assert ev.lineup_value is not None
    return {c.id for c in ev.candidates if c.lineup_position is not None}, ev.lineup_value


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (
            "minimum",
            "“Strategic business plan” has a minimum of 1, but its candidates who can pitch (accepted and not excluded) number 0.",
        ),
        (
            "pins",
            "More candidates are pinned or already invited than the line-up has places: 4,"
            " places 3",
        ),
        (
            "pinned_cap",
            "Too many pinned or already invited candidates from Narvik: 2, but the limit per"
            " municipality is 1.",
        ),
        (
            "cap_fill",
            "The limit per municipality (1) leaves places empty: at most 1 of the 3 places can be filled",
        ),
        (
            "sub_cap",
            "“Early-phase capital” has a minimum of 3, but with the limit per municipality (1) at most 2 of its candidates can be chosen.",
        ),
        (
            "pins_crowd",
            "The pinned or already invited candidates leave too few free places for the"
            " sub-project minimums: free places 0, pitches still needed 1 (Marine mapping: 1).",
        ),
        # Each rule alone can be met, only the combination cannot.
        (
            "min_cap",
            "No line-up of 3 pitches meets these rules together: at least 1 from “Marine"
            " mapping”, at least 2 from “Early-phase capital”, and at most 1 from any one"
            " municipality.",
        ),
        (
            "pins_min_cap",
            "No line-up of 3 pitches meets these rules together: the pinned or already invited"
            " candidates (2), at least 1 from “Marine mapping”, and at most 1 from any one"
            " municipality.",
        ),
    ],
)
def test_rules_that_cannot_be_met_are_named_and_nothing_is_lost(
    client: Any, small: dict[str, Any], case: str, message: str
) -> None:
    event, ids = small["event"], small["ids"]
    before, value = _run_once(client, event)
    ev = reload(event)
    ev.screening_weight = 1.5
    _db.session.commit()
    if case == "minimum":
        minimum(event, "strategisk-naeringsplan", 1)
    elif case == "pins":
        for ident in ids[:4]:
            client.post(f"/events/{event.id}/lineup/candidates/{ident}/pin")
    elif case == "pinned_cap":
        reload(event).max_per_municipality = 1
        _db.session.commit()
        for ident in ids[:2]:
            client.post(f"/events/{event.id}/lineup/candidates/{ident}/pin")
    elif case == "cap_fill":
        reload(event).max_per_municipality = 1
        _db.session.commit()
        for ident in ids[3:]:
            client.post(f"/events/{event.id}/lineup/candidates/{ident}/exclude")
    elif case == "sub_cap":
        reload(event).max_per_municipality = 1
        _db.session.commit()
        minimum(event, "tidligfasekapital", 3)
    elif case == "pins_crowd":
        minimum(event, "marin-kartlegging", 1)
        for ident in (ids[1], ids[2], ids[5]):
            client.post(f"/events/{event.id}/lineup/candidates/{ident}/pin")
    elif case == "min_cap":  # Marine mapping only in Narvik, which Early-phase capital needs too
        reload(event).max_per_municipality = 1
        _db.session.commit()
        minimum(event, "marin-kartlegging", 1)
        minimum(event, "tidligfasekapital", 2)
        client.post(f"/events/{event.id}/lineup/candidates/{ids[3]}/exclude")
    elif case == "pins_min_cap":  # the pins fill Narvik, where the only Marine mapping one is
        reload(event).max_per_municipality = 1
        _db.session.commit()
        minimum(event, "marin-kartlegging", 1)
        client.post(f"/events/{event.id}/lineup/candidates/{ids[3]}/exclude")
        for ident in (ids[1], ids[5]):
            client.post(f"/events/{event.id}/lineup/candidates/{ident}/pin")
    flags = {c.id: (c.pinned, c.excluded) for c in reload(event).candidates}
    version = _version(event)
    response = client.post(f"/events/{event.id}/lineup/run", data={"version": version})
    assert response.status_code == 200
    assert "The rules cannot all be met" in response.text
    assert message in response.text
    assert "Nothing was changed" in response.text
    for engine_word in ("min_per_subproject", "max_per_municipality", "lineup of", "pinned:"):
        assert engine_word not in response.text
    ev = reload(event)
    assert {c.id for c in ev.candidates if c.lineup_position is not None} == before
    assert ev.lineup_value == value
    assert ev.screening_weight == 1.5
    assert {c.id: (c.pinned, c.excluded) for c in ev.candidates} == flags
    assert str(ev.version) == version


def test_rules_are_named_in_norwegian(client: Any, small: dict[str, Any], login_as: Any) -> None:
    event = small["event"]
    login_as("organiser", locale="nb")
    minimum(event, "strategisk-naeringsplan", 2)
    response = client.post(f"/events/{event.id}/lineup/run", data={"version": _version(event)})
    assert "Strategisk næringsplan Ofoten" in response.text
    assert "The rules cannot all be met" not in response.text


def test_a_combination_of_rules_is_named_in_norwegian(
    client: Any, small: dict[str, Any], login_as: Any
) -> None:
    event, ids = small["event"], small["ids"]
    reload(event).max_per_municipality = 1
    _db.session.commit()
    minimum(event, "marin-kartlegging", 1)
    minimum(event, "tidligfasekapital", 2)
    client.post(f"/events/{event.id}/lineup/candidates/{ids[3]}/exclude")
    login_as("organiser", locale="nb")
    response = client.post(f"/events/{event.id}/lineup/run", data={"version": _version(event)})
    assert (
        "Ingen pitcherekkefølge med 3 pitcher oppfyller disse reglene samtidig: minst 1 fra"
        " «Marin kartlegging Ofoten, Efjord og Tysfjord», minst 2 fra «Tidligfasekapital (BAN"
        " Ofoten)» og høyst 1 fra én og samme kommune."
    ) in response.text
    assert "max_per_municipality" not in response.text
    assert reload(event).lineup_run_at is None


def test_an_engine_refusal_rule_problems_does_not_know_is_named_in_words(
    client: Any, small: dict[str, Any], login_as: Any, monkeypatch: Any
) -> None:
    """Should the engine refuse a case the checks here miss, the page names the rule
    families in the user's language, never the engine's English text."""
    event = small["event"]
    reload(event).max_per_municipality = 1
    _db.session.commit()
    minimum(event, "tidligfasekapital", 3)  # the engine refuses it as well
    monkeypatch.setattr(adapter, "rule_problems", lambda *_a: [])
    login_as("organiser", locale="nb")
    response = client.post(f"/events/{event.id}/lineup/run", data={"version": _version(event)})
    assert "Ingen pitcherekkefølge oppfyller disse reglene samtidig:" in response.text
    assert "minimumene per delprosjekt og grensen per kommune" in response.text
    assert "max_per_municipality" not in response.text
    assert "min_per_subproject" not in response.text
    assert reload(event).lineup_run_at is None


def test_no_candidates_is_refused_with_a_reason(
    client: Any, login_as: Any, reference: None
) -> None:
    event = new_event(login_as("organiser", locale="en"))
    response = client.post(f"/events/{event.id}/lineup/run", data={"version": _version(event)})
    assert "There is no candidate who can pitch yet" in response.text
    assert reload(event).lineup_run_at is None


# --------------------------------------------------------------------------
# Pins, excludes, out of date
# --------------------------------------------------------------------------


def test_pin_and_exclude_are_exclusive_and_mark_the_line_up_out_of_date(
    client: Any, small: dict[str, Any]
) -> None:
    event, ids = small["event"], small["ids"]
    chosen, _ = _run_once(client, event)
    inside = _row(EventCandidate, next(ident for ident in ids if ident in chosen))
    inside_id = inside.id
    page = client.get(f"/events/{event.id}/lineup").text
    assert "This line-up is out of date" not in page
    assert "Publish the programme" in page

    version = reload(event).version
    client.post(f"/events/{event.id}/lineup/candidates/{inside_id}/pin")
    row = _row(EventCandidate, inside_id)
    assert (row.pinned, row.excluded) == (True, False)
    assert reload(event).version == version + 1
    response = client.post(
        f"/events/{event.id}/lineup/candidates/{inside_id}/exclude", follow_redirects=True
    )
    assert "is excluded" in response.text
    _db.session.expire_all()
    row = _row(EventCandidate, inside_id)
    assert (row.pinned, row.excluded) == (False, True)
    page = client.get(f"/events/{event.id}/lineup").text
    assert "This line-up is out of date" in page
    assert "is in the line-up but is now excluded" in page
    assert "Publish the programme" not in page
    # Not publishable, even by a hand-made post.
    response = client.post(f"/events/{event.id}/lineup/publish", data={"version": _version(event)})
    assert "out of date" in response.text
    assert reload(event).lineup_published_at is None
    # Running again brings it up to date.
    client.post(f"/events/{event.id}/lineup/run", data={"version": _version(event)})
    assert _row(EventCandidate, inside_id).lineup_position is None
    page = client.get(f"/events/{event.id}/lineup").text
    assert "This line-up is out of date" not in page
    client.post(f"/events/{event.id}/lineup/candidates/{inside_id}/clear")
    row = _row(EventCandidate, inside_id)
    assert (row.pinned, row.excluded) == (False, False)


def test_a_second_identical_click_changes_nothing(client: Any, small: dict[str, Any]) -> None:
    event, ident = small["event"], small["ids"][0]
    before = reload(event).version
    response = client.post(
        f"/events/{event.id}/lineup/candidates/{ident}/pin", follow_redirects=True
    )
    assert "“Pitch 0” is pinned." in response.text
    row = _row(EventCandidate, ident)
    assert (row.pinned, row.excluded) == (True, False)
    version = reload(event).version
    assert version == before + 1
    response = client.post(
        f"/events/{event.id}/lineup/candidates/{ident}/pin", follow_redirects=True
    )
    assert "is pinned." not in response.text  # no second "done"
    row = _row(EventCandidate, ident)
    assert (row.pinned, row.excluded) == (True, False)
    assert reload(event).version == version


def test_changed_weight_after_a_run_marks_it_out_of_date(
    client: Any, small: dict[str, Any]
) -> None:
    event = small["event"]
    _run_once(client, event)
    client.post(
        f"/events/{event.id}/lineup/weight",
        data={"version": _version(event), "screening_weight": "3"},
    )
    page = client.get(f"/events/{event.id}/lineup").text
    assert "changed after the last run" in page
    assert "None for the current choices" in page


def test_a_declined_or_withdrawn_candidate_cannot_be_pinned(
    client: Any, small: dict[str, Any], make_user: Any, make_proposal: Any
) -> None:
    event = small["event"]
    gone = candidate(event, founder_proposal(make_user, make_proposal, status="withdrawn")).id
    response = client.post(
        f"/events/{event.id}/lineup/candidates/{gone}/pin", follow_redirects=True
    )
    assert "cannot be pinned" in response.text
    assert _row(EventCandidate, gone).pinned is False
    page = client.get(f"/events/{event.id}/lineup").text
    assert "Not considered for the line-up" in page
    assert "The proposal is no longer accepted (now: Withdrawn)" in page


# --------------------------------------------------------------------------
# Versions and bad input
# --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["run", "publish", "next-best"])
def test_stale_posts_are_refused(client: Any, small: dict[str, Any], path: str) -> None:
    event = small["event"]
    stale = _version(event)
    client.post(f"/events/{event.id}/lineup/candidates/{small['ids'][0]}/pin")
    for version in (stale, "", "abc", "99999999999999999999"):
        response = client.post(f"/events/{event.id}/lineup/{path}", data={"version": version})
        assert response.status_code == 200
        assert "changed by someone else" in response.text
    ev = reload(event)
    assert ev.lineup_run_at is None
    assert ev.lineup_published_at is None


def test_stale_weight_is_refused_and_what_was_typed_kept(
    client: Any, small: dict[str, Any]
) -> None:
    event = small["event"]
    stale = _version(event)
    client.post(f"/events/{event.id}/lineup/candidates/{small['ids'][0]}/pin")
    response = client.post(
        f"/events/{event.id}/lineup/weight", data={"version": stale, "screening_weight": "7,25"}
    )
    assert "changed by someone else" in response.text
    assert 'value="7,25"' in response.text
    assert reload(event).screening_weight == 1.0


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a number from 0 to 10"),
        ("abc", "Enter a number from 0 to 10"),
        ("-1", "Enter a number from 0 to 10"),
        ("1.234", "at most two decimals"),
        ("nan", "Enter a number from 0 to 10"),
        ("1e3", "Enter a number from 0 to 10"),
        ("10,5", "The weight must be from 0 to 10"),
        ("11", "The weight must be from 0 to 10"),
    ],
)
def test_bad_weights_are_shown_beside_the_field(
    client: Any, small: dict[str, Any], typed: str, message: str
) -> None:
    event = small["event"]
    response = client.post(
        f"/events/{event.id}/lineup/weight",
        data={"version": _version(event), "screening_weight": typed},
    )
    assert response.status_code == 200
    assert message in response.text
    assert 'id="screening_weight-error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert f'value="{typed}"' in response.text
    assert reload(event).screening_weight == 1.0


@pytest.mark.parametrize("typed", ["0", "10", "0,5", "2.75"])
def test_weights_at_the_edges_are_taken(client: Any, small: dict[str, Any], typed: str) -> None:
    event = small["event"]
    client.post(
        f"/events/{event.id}/lineup/weight",
        data={"version": _version(event), "screening_weight": typed},
    )
    assert reload(event).screening_weight == float(typed.replace(",", "."))


def test_unknown_action_or_candidate_is_404(client: Any, small: dict[str, Any]) -> None:
    event, ident = small["event"], small["ids"][0]
    assert client.post(f"/events/{event.id}/lineup/candidates/{ident}/toggle").status_code == 404
    assert client.post(f"/events/{event.id}/lineup/candidates/0/pin").status_code == 404
    assert client.get(f"/events/{event.id}/lineup/candidates/{ident}/pin").status_code == 405


# --------------------------------------------------------------------------
# The demo session, end to end for the organiser
# --------------------------------------------------------------------------


def _best_by_brute_force(data: LineupProblem) -> float:
    """The optimum of any engine problem, over every subset (small inputs only)."""
    cands = [c for c in data.candidates if c.id not in data.excluded]
    size = min(data.slots, len(cands))
    aff = data.affinity
    cap = data.max_per_municipality
    best = -1.0
    for combo in itertools.combinations(cands, size):
        ids = {c.id for c in combo}
        if not set(data.pinned) <= ids:
            continue
        munis = [c.municipality for c in combo]
        if cap is not None and any(munis.count(m) > cap for m in munis):
            continue
        subs = [c.subproject for c in combo]
        if any(subs.count(s) < n for s, n in data.min_per_subproject.items()):
            continue
        value = sum(
            max((aff.get((a, c), 0.0) for c in ids), default=0.0) for a in data.attendees
        ) + sum(c.bonus for c in combo)
        best = max(best, value)
    return best


def test_the_demo_session_end_to_end_for_the_organiser(
    app: Flask,
    client: Any,
    db: Any,
    login_as: Any,
    tmp_path: Any,
    monkeypatch: Any,
    outbox: list[Any],
) -> None:
    """The demo has few accepted proposals (all fit), so this checks the path, not the search."""
    from sqlalchemy import select

    from matchmaking.demo import services as demo

    monkeypatch.setitem(app.config, "DECK_DIR", str(tmp_path))
    with app.test_request_context():
        demo.load()
        db.session.commit()
    event = db.session.scalars(select(Event)).one()
    login_as("organiser", locale="en")
    with app.test_request_context():
        data = adapter.engine_input(reload(event)).problem
    assert data.affinity, "the demo investors have stored match scores"
    response = client.post(
        f"/events/{event.id}/lineup/run", data={"version": _version(event)}, follow_redirects=True
    )
    assert "the best possible under these rules" in response.text
    ev = reload(event)
    assert ev.lineup_value == pytest.approx(_best_by_brute_force(data), abs=1e-6)
    chosen = [c for c in ev.candidates if c.lineup_position is not None]
    assert len(chosen) == min(6, len(data.candidates))
    response = client.post(
        f"/events/{event.id}/lineup/publish",
        data={"version": _version(event)},
        follow_redirects=True,
    )
    assert f"Founders invited by e-mail: {len(chosen)}." in response.text
    # Publishing also tells the signed-up investors that meeting choices are open.
    invitations = [
        m
        for m in outbox
        if m.subject.startswith(("Invitation to pitch", "Invitasjon til å pitche"))
    ]
    assert sorted(m.recipients[0] for m in invitations) == sorted(
        c.proposal.company.owner.email for c in chosen
    )


def test_an_unproven_line_up_says_so_with_its_gap(
    app: Flask, client: Any, small: dict[str, Any], monkeypatch: Any
) -> None:
    monkeypatch.setitem(app.config, "LINEUP_TIME_LIMIT", 0.0)
    event = small["event"]
    response = client.post(
        f"/events/{event.id}/lineup/run", data={"version": _version(event)}, follow_redirects=True
    )
    ev = reload(event)
    assert ev.lineup_optimal is False  # no search budget: the bound stays above the value
    assert ev.lineup_bound is not None
    assert ev.lineup_value is not None
    assert ev.lineup_bound > ev.lineup_value
    gap = (ev.lineup_bound - ev.lineup_value) / ev.lineup_bound * 100
    assert "the search ran out of time before it could tell" in response.text
    assert (
        f"Perhaps not: it scores at most {gap:.1f}% less than the best possible line-up"
        f" (which cannot score above {ev.lineup_bound:,.2f})." in response.text
    )


def test_a_session_edit_after_the_run_makes_the_line_up_out_of_date(
    client: Any, small: dict[str, Any]
) -> None:
    event = small["event"]
    _run_once(client, event)
    ev = reload(event)
    ev.pitch_slots = 2  # as the session form would save it
    _db.session.commit()
    page = client.get(f"/events/{event.id}/lineup").text
    assert "The line-up no longer has the right size: pitches 3, places now 2." in page
    assert "Publish the programme" not in page
    minimum(event, "marin-kartlegging", 2)
    ev = reload(event)
    ev.pitch_slots = 3
    _db.session.commit()
    assert _chosen(small) == {1, 3, 5}  # one from Marine mapping
    page = client.get(f"/events/{event.id}/lineup").text
    assert "The line-up no longer meets the minimum for “Marine mapping”: 1 of 2." in page
