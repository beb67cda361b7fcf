"""Tests for the 1:1 meeting schedule (matchmaking.engine.schedule).

Run with ``pytest tests/engine/test_schedule.py --confcutdir=tests/engine``.
Every result is checked by an independent feasibility checker written here;
small instances are compared with an exhaustive search written here too.
"""

from __future__ import annotations

import math
import random
import subprocess
import sys
from collections import Counter
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from matchmaking.engine import flow as flow_module
from matchmaking.engine import schedule as schedule_module
from matchmaking.engine.errors import EngineInputError, InfeasibleError
from matchmaking.engine.flow import lp_b_matching, max_weight_b_matching
from matchmaking.engine.schedule import (
    Meeting,
    SchedulePerson,
    ScheduleProblem,
    ScheduleResult,
    solve_schedule,
)

TOL = 1e-6


# --------------------------------------------------------------------------
# Independent checkers
# --------------------------------------------------------------------------


def allowed_pairs(problem: ScheduleProblem) -> dict[tuple[str, str], float]:
    return {k: v for k, v in problem.affinity.items() if k not in problem.conflicts}


def assert_feasible(problem: ScheduleProblem, result: ScheduleResult) -> None:
    """Every rule of the spec, checked from the output alone."""
    allowed = allowed_pairs(problem)
    inv = {p.id: p for p in problem.investors}
    comp = {p.id: p for p in problem.companies}
    pairs = Counter((m.investor, m.company) for m in result.meetings)
    assert all(n == 1 for n in pairs.values()), "a pair meets twice"
    busy = Counter()
    for m in result.meetings:
        assert (m.investor, m.company) in allowed, f"pair {m} not allowed"
        assert 0 <= m.slot < problem.slots
        assert m.slot not in inv[m.investor].unavailable
        assert m.slot not in comp[m.company].unavailable
        busy[("i", m.investor, m.slot)] += 1
        busy[("c", m.company, m.slot)] += 1
    assert all(n == 1 for n in busy.values()), "someone is in two meetings in one slot"
    deg = Counter()
    for m in result.meetings:
        deg[m.investor] += 1
        deg["company:" + m.company] += 1
    for p in problem.investors:
        assert deg[p.id] <= p.max_meetings
    for p in problem.companies:
        assert p.min_meetings <= deg["company:" + p.id] <= p.max_meetings
    keys = [(m.slot, m.investor, m.company) for m in result.meetings]
    assert keys == sorted(keys), "meetings are not sorted"
    recomputed = math.fsum(problem.affinity[(m.investor, m.company)] for m in result.meetings)
    assert result.value == pytest.approx(recomputed, abs=1e-9)
    assert result.bound >= result.value - 1e-9
    assert result.optimal == (result.bound - result.value <= TOL)


def slots_fit(problem: ScheduleProblem, pairs: list[tuple[str, str]]) -> bool:
    """Can these pairs all get a slot? Backtracking, most constrained pair first."""
    inv = {p.id: p for p in problem.investors}
    comp = {p.id: p for p in problem.companies}
    options = [
        [
            s
            for s in range(problem.slots)
            if s not in inv[i].unavailable and s not in comp[c].unavailable
        ]
        for i, c in pairs
    ]
    order = sorted(range(len(pairs)), key=lambda k: len(options[k]))
    used: set[tuple[str, int]] = set()

    def place(k: int) -> bool:
        if k == len(order):
            return True
        i, c = pairs[order[k]]
        for s in options[order[k]]:
            a, b = ("i" + i, s), ("c" + c, s)
            if a in used or b in used:
                continue
            used.add(a)
            used.add(b)
            if place(k + 1):
                return True
            used.discard(a)
            used.discard(b)
        return False

    return place(0)


def exhaustive_best(problem: ScheduleProblem) -> float | None:
    """Best value by trying every set of pairs (best first); None if infeasible."""
    pairs = sorted(allowed_pairs(problem))
    inv = {p.id: p for p in problem.investors}
    comp = {p.id: p for p in problem.companies}
    subsets = []
    for mask in range(1 << len(pairs)):
        chosen = [pairs[k] for k in range(len(pairs)) if mask >> k & 1]
        di = Counter(i for i, _ in chosen)
        dc = Counter(c for _, c in chosen)
        if any(di[i] > inv[i].max_meetings for i in di):
            continue
        if any(not comp[c].min_meetings <= dc[c] <= comp[c].max_meetings for c in comp):
            continue
        value = math.fsum(problem.affinity[p] for p in chosen)
        subsets.append((-value, mask, chosen))
    subsets.sort(key=lambda t: (t[0], t[1]))
    for neg_value, _, chosen in subsets:
        if slots_fit(problem, chosen):
            return -neg_value
    return None


def plain_milp_value(problem: ScheduleProblem) -> float:
    """The textbook MILP x[i, c, s], written independently of the engine."""
    pairs = sorted(allowed_pairs(problem))
    slots = problem.slots
    inv = {p.id: p for p in problem.investors}
    comp = {p.id: p for p in problem.companies}
    n = len(pairs) * slots
    cost = np.zeros(n)
    ub_var = np.ones(n)
    rows: list[tuple[list[int], float, float]] = []
    for k, (i, c) in enumerate(pairs):
        for s in range(slots):
            cost[k * slots + s] = -problem.affinity[(i, c)]
            if s in inv[i].unavailable or s in comp[c].unavailable:
                ub_var[k * slots + s] = 0
        rows.append(([k * slots + s for s in range(slots)], 0, 1))
    for pid, person in inv.items():
        ks = [k for k, (i, _) in enumerate(pairs) if i == pid]
        rows.append(([k * slots + s for k in ks for s in range(slots)], 0, person.max_meetings))
        for s in range(slots):
            rows.append(([k * slots + s for k in ks], 0, 1))
    for pid, person in comp.items():
        ks = [k for k, (_, c) in enumerate(pairs) if c == pid]
        rows.append(
            (
                [k * slots + s for k in ks for s in range(slots)],
                person.min_meetings,
                person.max_meetings,
            )
        )
        for s in range(slots):
            rows.append(([k * slots + s for k in ks], 0, 1))
    a = lil_matrix((len(rows), n))
    for r, (cols, _, _) in enumerate(rows):
        for col in cols:
            a[r, col] = 1
    res = milp(
        cost,
        integrality=np.ones(n),
        bounds=Bounds(0, ub_var),
        constraints=LinearConstraint(a.tocsr(), [r[1] for r in rows], [r[2] for r in rows]),
        options={"mip_rel_gap": 1e-9},
    )
    assert res.status == 0
    return float(-res.fun)


def person(
    pid: str, max_meetings: int, min_meetings: int = 0, unavailable: set[int] | None = None
) -> SchedulePerson:
    return SchedulePerson(pid, max_meetings, min_meetings, frozenset(unavailable or ()))


# --------------------------------------------------------------------------
# One test per rule
# --------------------------------------------------------------------------


def test_only_pairs_in_affinity_meet() -> None:
    problem = ScheduleProblem(
        slots=3,
        investors=(person("i1", 3), person("i2", 3)),
        companies=(person("c1", 3), person("c2", 3)),
        affinity={("i1", "c1"): 0.5, ("i2", "c2"): 0.7},
    )
    result = solve_schedule(problem)
    assert_feasible(problem, result)
    assert {(m.investor, m.company) for m in result.meetings} == {("i1", "c1"), ("i2", "c2")}
    assert result.value == pytest.approx(1.2)
    assert result.optimal


def test_conflicts_never_meet_even_when_listed_in_affinity() -> None:
    problem = ScheduleProblem(
        slots=2,
        investors=(person("i1", 2),),
        companies=(person("c1", 2), person("c2", 2)),
        affinity={("i1", "c1"): 1.0, ("i1", "c2"): 0.1},
        conflicts=frozenset({("i1", "c1")}),
    )
    result = solve_schedule(problem)
    assert [(m.investor, m.company) for m in result.meetings] == [("i1", "c2")]
    assert result.value == pytest.approx(0.1)
    assert result.bound == pytest.approx(0.1)


def test_each_pair_meets_at_most_once() -> None:
    problem = ScheduleProblem(
        slots=4,
        investors=(person("i1", 4),),
        companies=(person("c1", 4),),
        affinity={("i1", "c1"): 0.9},
    )
    result = solve_schedule(problem)
    assert len(result.meetings) == 1
    assert result.value == pytest.approx(0.9)


def test_nobody_in_two_meetings_in_one_slot() -> None:
    problem = ScheduleProblem(
        slots=1,
        investors=(person("i1", 1), person("i2", 1)),
        companies=(person("c1", 1), person("c2", 1)),
        affinity={("i1", "c1"): 0.9, ("i1", "c2"): 0.8, ("i2", "c1"): 0.7},
    )
    result = solve_schedule(problem)
    assert_feasible(problem, result)
    # i1-c1 alone (0.9) loses to i1-c2 + i2-c1 (1.5) in the single slot.
    assert {(m.investor, m.company) for m in result.meetings} == {("i1", "c2"), ("i2", "c1")}
    assert result.value == pytest.approx(1.5)
    assert result.optimal


def test_nobody_meets_in_an_unavailable_slot() -> None:
    problem = ScheduleProblem(
        slots=3,
        investors=(person("i1", 3, unavailable={0, 1}),),
        companies=(person("c1", 3), person("c2", 3, unavailable={2})),
        affinity={("i1", "c1"): 0.4, ("i1", "c2"): 0.9},
    )
    result = solve_schedule(problem)
    assert_feasible(problem, result)
    # i1 is free only in slot 2, when c2 is away: only c1 can meet i1.
    assert result.meetings == [Meeting("i1", "c1", 2)]
    assert result.value == pytest.approx(0.4)
    assert result.optimal


def test_when_the_best_pairs_do_not_fit_the_slots_the_exact_stage_decides() -> None:
    # Without slots, i1 would meet both c1 and c2 (1.9); both are free only
    # in slot 0, so only one can, and the engine must prove 1.0 optimal.
    problem = ScheduleProblem(
        slots=2,
        investors=(person("i1", 2),),
        companies=(person("c1", 2, unavailable={1}), person("c2", 2, unavailable={1})),
        affinity={("i1", "c1"): 1.0, ("i1", "c2"): 0.9},
    )
    result = solve_schedule(problem)
    assert_feasible(problem, result)
    assert result.meetings == [Meeting("i1", "c1", 0)]
    assert result.value == pytest.approx(1.0)
    assert result.bound == pytest.approx(1.0)
    assert result.optimal


def test_max_meetings_hold_for_investors_and_companies() -> None:
    problem = ScheduleProblem(
        slots=5,
        investors=(person("i1", 2), person("i2", 5), person("i3", 5)),
        companies=(person("c1", 1), person("c2", 5), person("c3", 5)),
        affinity={(i, c): 0.5 for i in ("i1", "i2", "i3") for c in ("c1", "c2", "c3")},
    )
    result = solve_schedule(problem)
    assert_feasible(problem, result)
    per = Counter(m.investor for m in result.meetings) + Counter(m.company for m in result.meetings)
    assert per["i1"] == 2
    assert per["c1"] == 1
    assert result.value == pytest.approx(0.5 * 7)


def test_min_meetings_force_a_meeting_that_costs_value() -> None:
    # i1 prefers c1 (0.9) but has one meeting; c2 needs one and only i1 may meet it.
    problem = ScheduleProblem(
        slots=2,
        investors=(person("i1", 1),),
        companies=(person("c1", 2), person("c2", 2, min_meetings=1)),
        affinity={("i1", "c1"): 0.9, ("i1", "c2"): 0.2},
    )
    result = solve_schedule(problem)
    assert_feasible(problem, result)
    assert [(m.investor, m.company) for m in result.meetings] == [("i1", "c2")]
    assert result.value == pytest.approx(0.2)
    assert result.optimal


def test_zero_affinity_pairs_meet_only_when_a_minimum_needs_them() -> None:
    problem = ScheduleProblem(
        slots=3,
        investors=(person("i1", 3), person("i2", 3), person("i3", 3)),
        companies=(person("c1", 3), person("c2", 3, min_meetings=1)),
        affinity={
            ("i1", "c1"): 0.0,  # useless: never scheduled
            ("i2", "c2"): 0.0,  # needed for c2's minimum ...
            ("i3", "c2"): 0.0,  # ... but one of the two is enough
        },
    )
    result = solve_schedule(problem)
    assert_feasible(problem, result)
    assert [m.company for m in result.meetings] == ["c2"]
    assert len(result.meetings) == 1
    assert result.value == 0.0
    assert result.optimal


def test_empty_problem() -> None:
    problem = ScheduleProblem(slots=3, investors=(), companies=(), affinity={})
    assert solve_schedule(problem) == ScheduleResult([], 0.0, 0.0, True)


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        (
            ScheduleProblem(
                slots=4,
                investors=(person("i1", 4), person("i2", 4)),
                companies=(person("p-3", 4, min_meetings=3),),
                affinity={("i1", "p-3"): 0.5, ("i2", "p-3"): 0.5},
            ),
            'company "p-3" needs 3 meetings but has only 2 investors it may meet',
        ),
        (
            ScheduleProblem(
                slots=4,
                investors=(person("i1", 4), person("i2", 4)),
                companies=(person("p-3", 4, min_meetings=2),),
                affinity={("i1", "p-3"): 0.5, ("i2", "p-3"): 0.5},
                conflicts=frozenset({("i2", "p-3")}),
            ),
            'company "p-3" needs 2 meetings but has only 1 investor it may meet',
        ),
        (
            ScheduleProblem(
                slots=3,
                investors=(person("i1", 3), person("i2", 3)),
                companies=(person("p-1", 3, min_meetings=2, unavailable={0, 1}),),
                affinity={("i1", "p-1"): 0.5, ("i2", "p-1"): 0.5},
            ),
            'company "p-1" needs 2 meetings but is available in only 1 slot',
        ),
        (
            ScheduleProblem(
                slots=3,
                investors=(
                    person("i1", 3, unavailable={1, 2}),
                    person("i2", 3, unavailable={1, 2}),
                ),
                companies=(person("p-1", 3, min_meetings=2),),
                affinity={("i1", "p-1"): 0.5, ("i2", "p-1"): 0.5},
            ),
            'company "p-1" needs 2 meetings but only 1 can be placed',
        ),
        (
            ScheduleProblem(
                slots=3,
                investors=(person("i1", 1),),
                companies=(person("p-1", 3, min_meetings=1), person("p-2", 3, min_meetings=1)),
                affinity={("i1", "p-1"): 0.5, ("i1", "p-2"): 0.5},
            ),
            "min_meetings cannot all be met together",
        ),
        (
            ScheduleProblem(
                slots=2,
                investors=(person("i1", 2),),
                companies=(
                    person("p-1", 2, min_meetings=1, unavailable={1}),
                    person("p-2", 2, min_meetings=1, unavailable={1}),
                ),
                affinity={("i1", "p-1"): 0.5, ("i1", "p-2"): 0.5},
            ),
            "min_meetings cannot all be met together in the slots",
        ),
    ],
)
def test_impossible_minimums_raise_naming_the_company(
    problem: ScheduleProblem, message: str
) -> None:
    with pytest.raises(InfeasibleError, match=message) as info:
        solve_schedule(problem)
    assert isinstance(info.value, EngineInputError)
    assert "\n" not in str(info.value)


def test_meetings_are_sorted_by_slot_investor_company() -> None:
    ids_i = [f"inv-{k}" for k in range(6)]
    ids_c = [f"p-{k}" for k in range(4)]
    rnd = random.Random(3)
    problem = ScheduleProblem(
        slots=3,
        investors=tuple(person(i, 3) for i in ids_i),
        companies=tuple(person(c, 3) for c in ids_c),
        affinity={(i, c): round(rnd.random(), 3) for i in ids_i for c in ids_c},
    )
    result = solve_schedule(problem)
    assert_feasible(problem, result)
    keys = [(m.slot, m.investor, m.company) for m in result.meetings]
    assert keys == sorted(keys)


# --------------------------------------------------------------------------
# Exactness: no rounding of affinities
# --------------------------------------------------------------------------


def test_affinities_are_not_rounded() -> None:
    # Two ways to pair {i1, i2} with {c1, c2} in one slot:
    #   straight: 0.144444441 + 0.144444442 = 0.288888883  (rounded: 0.14 + 0.14 = 0.28)
    #   crossed:  0.135555551 + 0.146666662 = 0.282222213  (rounded: 0.14 + 0.15 = 0.29)
    # Two-digit integer costs pick the crossed pairing, 2.3 % below the optimum.
    aff = {
        ("i1", "c1"): 0.144444441,
        ("i2", "c2"): 0.144444442,
        ("i1", "c2"): 0.135555551,
        ("i2", "c1"): 0.146666662,
    }
    rounded = {k: round(v, 2) for k, v in aff.items()}
    straight = [("i1", "c1"), ("i2", "c2")]
    crossed = [("i1", "c2"), ("i2", "c1")]
    assert sum(rounded[p] for p in crossed) > sum(rounded[p] for p in straight)
    problem = ScheduleProblem(
        slots=1,
        investors=(person("i1", 1), person("i2", 1)),
        companies=(person("c1", 1), person("c2", 1)),
        affinity=aff,
    )
    result = solve_schedule(problem)
    assert_feasible(problem, result)
    assert sorted((m.investor, m.company) for m in result.meetings) == straight
    assert abs(result.value - (0.144444441 + 0.144444442)) <= 1e-12
    assert result.optimal


def test_exact_on_many_close_affinities_against_an_independent_milp() -> None:
    rnd = random.Random(11)
    ids_i = [f"inv-{k:02d}" for k in range(14)]
    ids_c = [f"p-{k:02d}" for k in range(6)]
    # Nine-digit values packed in a narrow band, where rounding breaks ties wrongly.
    aff = {
        (i, c): 0.12 + rnd.randrange(10**7) * 1e-9
        for i in ids_i
        for c in ids_c
        if rnd.random() < 0.6
    }
    problem = ScheduleProblem(
        slots=3,
        investors=tuple(person(i, rnd.randint(1, 3)) for i in ids_i),
        companies=tuple(person(c, 3) for c in ids_c),
        affinity=aff,
    )
    result = solve_schedule(problem)
    assert_feasible(problem, result)
    assert result.optimal
    assert abs(result.value - plain_milp_value(problem)) <= 1e-6


def test_flow_and_lp_relaxations_agree_and_certify_their_bounds() -> None:
    rnd = np.random.default_rng(17)
    for _ in range(30):
        n_l, n_r = int(rnd.integers(1, 30)), int(rnd.integers(1, 15))
        mask = rnd.random((n_l, n_r)) < 0.5
        left, right = (a.astype(np.int64) for a in np.nonzero(mask))
        weight = rnd.random(len(left))
        left_cap = rnd.integers(0, 5, n_l).astype(np.int64)
        right_cap = rnd.integers(0, 6, n_r).astype(np.int64)
        right_min = np.zeros(n_r, dtype=np.int64)
        args = (n_l, n_r, left, right, weight, left_cap, right_cap, right_min)
        flow = max_weight_b_matching(*args)
        lp = lp_b_matching(*args)
        assert flow is not None
        assert lp is not None
        assert abs(flow.value - lp.value) <= 1e-9
        for bm in (flow, lp):
            assert bm.value <= bm.bound <= bm.value + 1e-9
            deg_l = np.bincount(left[bm.chosen], minlength=n_l)
            deg_r = np.bincount(right[bm.chosen], minlength=n_r)
            assert (deg_l <= left_cap).all()
            assert (deg_r <= right_cap).all()
        assert lp.reduced_cost is not None
        assert flow.reduced_cost is None


def test_without_ortools_the_lp_path_gives_the_same_optimum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = _random_problem(8, 25, 8, 4, 0.0)
    with_flow = solve_schedule(problem)
    monkeypatch.setattr(flow_module, "_min_cost_flow", lambda *args: "missing")
    without = solve_schedule(problem)
    assert_feasible(problem, without)
    assert without.optimal
    assert abs(without.value - with_flow.value) <= TOL


def test_a_refused_cost_range_falls_back_to_a_coarser_scale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = _random_problem(8, 25, 8, 4, 0.0)
    expected = solve_schedule(problem)
    original = flow_module._min_cost_flow
    scales: list[int] = []

    def picky(*args: Any) -> Any:
        scales.append(args[-1])
        return "cost range" if args[-1] > 10**9 else original(*args)

    monkeypatch.setattr(flow_module, "_min_cost_flow", picky)
    result = solve_schedule(problem)
    assert scales == [10**12, 10**9]
    assert_feasible(problem, result)
    assert result.optimal
    assert abs(result.value - expected.value) <= TOL


# --------------------------------------------------------------------------
# Determinism
# --------------------------------------------------------------------------


def _shuffled(problem: ScheduleProblem, seed: int) -> ScheduleProblem:
    rnd = random.Random(seed)
    inv, comp, aff = (
        list(problem.investors),
        list(problem.companies),
        list(problem.affinity.items()),
    )
    rnd.shuffle(inv)
    rnd.shuffle(comp)
    rnd.shuffle(aff)
    return ScheduleProblem(problem.slots, tuple(inv), tuple(comp), dict(aff), problem.conflicts)


def _random_problem(
    seed: int, n_inv: int, n_comp: int, slots: int, unavailable: float
) -> ScheduleProblem:
    rnd = random.Random(seed)
    ids_i = [f"inv-{k}" for k in range(n_inv)]
    ids_c = [f"p-{k}" for k in range(n_comp)]

    def away() -> set[int]:
        return {s for s in range(slots) if rnd.random() < unavailable}

    return ScheduleProblem(
        slots=slots,
        investors=tuple(person(i, rnd.randint(1, slots), unavailable=away()) for i in ids_i),
        companies=tuple(
            person(c, slots, min_meetings=rnd.choice([0, 0, 1]), unavailable=away()) for c in ids_c
        ),
        # Many equal values: ties must still be broken the same way every time.
        affinity={
            (i, c): rnd.choice([0.25, 0.5, 0.75])
            for i in ids_i
            for c in ids_c
            if rnd.random() < 0.5
        },
    )


@pytest.mark.parametrize("unavailable", [0.0, 0.3])
def test_same_input_same_output_whatever_the_order(unavailable: float) -> None:
    problem = _random_problem(5, 30, 10, 5, unavailable)
    first = solve_schedule(problem)
    assert_feasible(problem, first)
    assert solve_schedule(problem) == first
    for seed in range(3):
        assert solve_schedule(_shuffled(problem, seed)) == first


# --------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------


@st.composite
def small_problems(
    draw: st.DrawFn,
    *,
    max_people: int = 3,
    max_slots: int = 3,
    unavailability: bool = True,
    minimums: bool = True,
    conflicts: bool = True,
) -> ScheduleProblem:
    slots = draw(st.integers(1, max_slots))
    n_inv = draw(st.integers(1, max_people))
    n_comp = draw(st.integers(1, max_people))
    away = (
        st.frozensets(st.integers(0, slots - 1), max_size=slots)
        if unavailability
        else st.just(frozenset())
    )
    investors = tuple(
        SchedulePerson(f"i{k}", draw(st.integers(0, slots)), 0, draw(away)) for k in range(n_inv)
    )
    companies = tuple(
        SchedulePerson(
            f"c{k}",
            draw(st.integers(0, slots)),
            draw(st.integers(0, 2)) if minimums else 0,
            draw(away),
        )
        for k in range(n_comp)
    )
    value = st.one_of(
        st.sampled_from([0.0, 0.25, 0.5, 1.0]),
        st.floats(0.0, 1.0, allow_nan=False, allow_infinity=False),
    )
    affinity = {}
    for inv in investors:
        for comp in companies:
            if draw(st.booleans()):
                affinity[(inv.id, comp.id)] = draw(value)
    banned: frozenset[tuple[str, str]] = frozenset()
    if conflicts and affinity:
        banned = frozenset(draw(st.lists(st.sampled_from(sorted(affinity)), max_size=2)))
    # max_meetings >= min_meetings is the validator's job, not the engine's.
    companies = tuple(
        SchedulePerson(c.id, max(c.max_meetings, c.min_meetings), c.min_meetings, c.unavailable)
        for c in companies
    )
    return ScheduleProblem(slots, investors, companies, affinity, banned)


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_against_exhaustive(problem: ScheduleProblem) -> None:
    best = exhaustive_best(problem)
    if best is None:
        with pytest.raises(InfeasibleError):
            solve_schedule(problem)
        return
    result = solve_schedule(problem)
    assert_feasible(problem, result)
    assert result.optimal
    assert abs(result.value - best) <= TOL


@PROPERTY
@given(small_problems(unavailability=False, minimums=False, conflicts=False))
def test_plain_instances_equal_exhaustive_search(problem: ScheduleProblem) -> None:
    _check_against_exhaustive(problem)


@PROPERTY
@given(small_problems())
def test_all_rules_equal_exhaustive_search(problem: ScheduleProblem) -> None:
    _check_against_exhaustive(problem)


@PROPERTY
@given(small_problems(max_people=2, max_slots=4))
def test_more_slots_equal_exhaustive_search(problem: ScheduleProblem) -> None:
    _check_against_exhaustive(problem)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems(max_people=8, max_slots=4), st.integers(0, 3))
def test_medium_instances_feasible_honest_and_deterministic(
    problem: ScheduleProblem, seed: int
) -> None:
    try:
        result = solve_schedule(problem)
    except InfeasibleError:
        with pytest.raises(InfeasibleError):
            solve_schedule(_shuffled(problem, seed))
        return
    assert_feasible(problem, result)
    assert solve_schedule(_shuffled(problem, seed)) == result


def _hard_problems(seed: int, count: int) -> list[ScheduleProblem]:
    """Small instances with much unavailability: the relaxation's pairs often do not fit."""
    rnd = random.Random(seed)
    problems: list[ScheduleProblem] = []
    while len(problems) < count:
        slots = rnd.randint(1, 4)

        def away(slots: int = slots) -> frozenset[int]:
            return frozenset(s for s in range(slots) if rnd.random() < 0.4)

        investors = tuple(
            SchedulePerson(f"i{k}", rnd.randint(1, slots), 0, away())
            for k in range(rnd.randint(1, 4))
        )
        companies = []
        for k in range(rnd.randint(1, 4)):
            need = rnd.choice([0, 0, 0, 0, 1, 2])
            companies.append(
                SchedulePerson(f"c{k}", max(need, rnd.randint(1, slots)), need, away())
            )
        affinity = {
            (i.id, c.id): rnd.choice([0.0, 0.3, 0.5, 0.7, 1.0, rnd.random()])
            for i in investors
            for c in companies
            if rnd.random() < 0.7
        }
        if len(affinity) <= 10:
            problems.append(ScheduleProblem(slots, investors, tuple(companies), affinity))
    return problems


@pytest.mark.parametrize("small_rounds", [False, True])
def test_seeded_hard_instances_equal_exhaustive_search(
    monkeypatch: pytest.MonkeyPatch, small_rounds: bool
) -> None:
    calls: Counter[str] = Counter()
    original = schedule_module._solve_milp

    def counting(*args: Any, **kwargs: Any) -> Any:
        kind = "repair" if kwargs.get("fixed") is not None else "exact"
        calls[kind if kwargs.get("objective", True) else "fit"] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(schedule_module, "_solve_milp", counting)
    if small_rounds:
        # Tiny MILP rounds: exercises the repair step, growing rounds and
        # the bound from pairs left out, on instances we can check by hand.
        monkeypatch.setattr(schedule_module, "_FIRST_ROUND_VARIABLES", 1)
        monkeypatch.setattr(schedule_module, "_PRESOLVE_MAX_VARIABLES", 1)
    for problem in _hard_problems(21 + small_rounds, 500):
        _check_against_exhaustive(problem)
    # The slow paths were exercised, not only the relaxation + colouring.
    assert calls["fit"] >= 10
    assert calls["exact"] >= 10
    if small_rounds:
        assert calls["repair"] >= 10


def test_plain_instance_is_optimal_against_an_independent_milp() -> None:
    problem = _random_problem(8, 25, 8, 4, 0.0)
    result = solve_schedule(problem)
    assert_feasible(problem, result)
    assert result.optimal
    assert abs(result.value - plain_milp_value(problem)) <= TOL


def test_unavailability_instance_is_optimal_against_an_independent_milp() -> None:
    problem = _random_problem(9, 25, 8, 4, 0.35)
    result = solve_schedule(problem)
    assert_feasible(problem, result)
    assert result.optimal
    assert abs(result.value - plain_milp_value(problem)) <= TOL


def test_a_tiny_time_limit_still_gives_a_feasible_schedule_and_an_honest_bound() -> None:
    problem = _random_problem(13, 60, 15, 6, 0.4)
    result = solve_schedule(problem, time_limit=0.0)
    assert_feasible(problem, result)
    full = solve_schedule(problem)
    assert result.bound >= full.value - TOL
    assert result.value <= full.value + TOL


# --------------------------------------------------------------------------
# The engine stays pure
# --------------------------------------------------------------------------


def test_schedule_imports_no_web_stack() -> None:
    code = (
        "import sys, matchmaking.engine.schedule\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy', 'flask_sqlalchemy')"
        " or (m.startswith('matchmaking.') and not m.startswith('matchmaking.engine'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
