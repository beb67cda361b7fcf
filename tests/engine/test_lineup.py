"""The Springbrett line-up (spec: engine-io.md, section "lineup").

Run alone with ``pytest tests/engine/test_lineup.py --confcutdir=tests/engine``:
nothing here needs Flask or a database.
"""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.engine.errors import EngineInputError, InfeasibleError
from matchmaking.engine.lineup import (
    LineupCandidate,
    LineupProblem,
    LineupResult,
    _solve,
    solve_lineup,
)

TOL = 1e-6


# ---------------------------------------------------------------------------
# An independent reference: the rules written out plainly, and exhaustive search.
# ---------------------------------------------------------------------------


def value_of(problem: LineupProblem, chosen: Iterable[str]) -> float:
    ids = list(chosen)
    bonus = {c.id: c.bonus for c in problem.candidates}
    total = sum(bonus[c] for c in ids)
    for a in problem.attendees:
        total += max((problem.affinity.get((a, c), 0.0) for c in ids), default=0.0)
    return total


def seats(problem: LineupProblem) -> int:
    kept = [c for c in problem.candidates if c.id not in problem.excluded]
    return min(problem.slots, len(kept))


def meets_rules(problem: LineupProblem, chosen: Sequence[str]) -> bool:
    cands = {c.id: c for c in problem.candidates}
    if len(chosen) != seats(problem) or len(set(chosen)) != len(chosen):
        return False
    if any(c not in cands or c in problem.excluded for c in chosen):
        return False
    if any(p not in chosen for p in problem.pinned):
        return False
    for sub, low in problem.min_per_subproject.items():
        if sum(1 for c in chosen if cands[c].subproject == sub) < low:
            return False
    cap = problem.max_per_municipality
    if cap is not None:
        for muni in {cands[c].municipality for c in chosen}:
            if sum(1 for c in chosen if cands[c].municipality == muni) > cap:
                return False
    return True


def exhaustive(problem: LineupProblem) -> float | None:
    """The best value over every valid line-up, or None when there is none."""
    kept = [c.id for c in problem.candidates if c.id not in problem.excluded]
    best: float | None = None
    for combo in itertools.combinations(kept, seats(problem)):
        if meets_rules(problem, combo):
            v = value_of(problem, combo)
            if best is None or v > best:
                best = v
    return best


def greedy_order(problem: LineupProblem, chosen: Iterable[str]) -> list[str]:
    """Largest marginal gain first, ties by id (the documented order)."""
    bonus = {c.id: c.bonus for c in problem.candidates}
    left = sorted(chosen)
    cur = dict.fromkeys(problem.attendees, 0.0)
    order: list[str] = []
    while left:

        def gain(c: str) -> float:
            g = bonus[c]
            for a in problem.attendees:
                g += max(problem.affinity.get((a, c), 0.0) - cur[a], 0.0)
            return g

        gains = {c: gain(c) for c in left}
        top = max(gains.values())
        pick = min(c for c in left if gains[c] >= top - 1e-9)
        order.append(pick)
        left.remove(pick)
        for a in problem.attendees:
            cur[a] = max(cur[a], problem.affinity.get((a, pick), 0.0))
    return order


def expected_best_for(problem: LineupProblem, chosen: Iterable[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    ids = sorted(chosen)
    for a in problem.attendees:
        vals = [(problem.affinity.get((a, c), 0.0), c) for c in ids]
        top = max((v for v, _ in vals), default=0.0)
        out[a] = None if top <= 0 else min(c for v, c in vals if v == top)
    return out


def check(problem: LineupProblem, result: LineupResult) -> None:
    """Every promise of the spec about one result."""
    assert meets_rules(problem, result.lineup), result.lineup
    assert abs(result.value - value_of(problem, result.lineup)) <= TOL
    assert result.bound >= result.value - 1e-12
    assert result.optimal == (result.bound - result.value <= TOL)
    assert result.lineup == greedy_order(problem, result.lineup)
    assert result.best_for == expected_best_for(problem, result.lineup)
    assert list(result.best_for) == list(problem.attendees)
    assert result.value == round(result.value, 6)
    assert result.bound == round(result.bound, 6)


def cand(
    cid: str, muni: str = "narvik", sub: str | None = None, bonus: float = 0.0
) -> LineupCandidate:
    return LineupCandidate(cid, muni, sub, bonus)


def problem(
    slots: int,
    attendees: Sequence[str],
    candidates: Sequence[LineupCandidate],
    affinity: dict[tuple[str, str], float],
    **kw: object,
) -> LineupProblem:
    return LineupProblem(slots, tuple(attendees), tuple(candidates), affinity, **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# The rules, one by one.
# ---------------------------------------------------------------------------


def test_spec_example_shape() -> None:
    p = problem(
        6,
        ["inv-1", "inv-2"],
        [cand("p-1", "narvik", "marin-kartlegging", 0.2)],
        {("inv-1", "p-1"): 0.82},
        min_per_subproject={"marin-kartlegging": 1},
        max_per_municipality=2,
    )
    r = solve_lineup(p)
    assert r == LineupResult(["p-1"], 1.02, 1.02, True, {"inv-1": "p-1", "inv-2": None})


def test_coverage_beats_piling_up_on_the_same_attendee() -> None:
    # inv-1 loves a and b; inv-2 only likes c a little. Two seats: a and c.
    p = problem(
        2,
        ["inv-1", "inv-2"],
        [cand("a"), cand("b"), cand("c")],
        {("inv-1", "a"): 0.9, ("inv-1", "b"): 0.85, ("inv-2", "c"): 0.3},
    )
    r = solve_lineup(p)
    assert sorted(r.lineup) == ["a", "c"]
    assert r.value == pytest.approx(1.2)
    assert r.optimal
    assert r.bound == r.value
    check(p, r)


def test_bonus_is_added_and_can_decide() -> None:
    p = problem(
        1,
        ["i"],
        [cand("a", bonus=0.0), cand("b", bonus=0.5)],
        {("i", "a"): 0.9, ("i", "b"): 0.6},
    )
    r = solve_lineup(p)
    assert r.lineup == ["b"]
    assert r.value == pytest.approx(1.1)
    check(p, r)


def test_pinned_is_in_and_excluded_is_out() -> None:
    p = problem(
        2,
        ["i", "j"],
        [cand("a"), cand("b"), cand("c"), cand("d")],
        {("i", "a"): 1.0, ("j", "b"): 1.0, ("i", "c"): 0.1, ("j", "d"): 0.2},
        pinned=("c",),
        excluded=("a",),
    )
    r = solve_lineup(p)
    assert sorted(r.lineup) == ["b", "c"]
    assert r.value == pytest.approx(1.1)
    check(p, r)


def test_pinned_can_fill_every_seat() -> None:
    p = problem(
        2,
        ["i"],
        [cand("a"), cand("b"), cand("c")],
        {("i", "a"): 1.0},
        pinned=("b", "c"),
    )
    r = solve_lineup(p)
    assert sorted(r.lineup) == ["b", "c"]
    assert r.value == 0.0
    assert r.optimal
    check(p, r)


def test_min_per_subproject_forces_a_weaker_pitch() -> None:
    p = problem(
        2,
        ["i", "j"],
        [cand("a", sub="x"), cand("b", sub="x"), cand("c", sub="y")],
        {("i", "a"): 1.0, ("j", "b"): 1.0, ("j", "c"): 0.1},
        min_per_subproject={"y": 1},
    )
    r = solve_lineup(p)
    assert "c" in r.lineup
    assert r.value == pytest.approx(1.1)
    check(p, r)


def test_max_per_municipality_spreads_the_lineup() -> None:
    p = problem(
        2,
        ["i", "j"],
        [cand("a", "narvik"), cand("b", "narvik"), cand("c", "evenes")],
        {("i", "a"): 1.0, ("j", "b"): 1.0, ("j", "c"): 0.4},
        max_per_municipality=1,
    )
    r = solve_lineup(p)
    assert sorted(r.lineup) == ["a", "c"]
    check(p, r)


def test_null_subproject_and_no_cap_are_fine() -> None:
    p = problem(
        3,
        ["i"],
        [cand("a", "narvik", None), cand("b", "narvik", None), cand("c", "narvik", "x")],
        {("i", "a"): 0.5},
        min_per_subproject={"x": 1},
    )
    r = solve_lineup(p)
    assert sorted(r.lineup) == ["a", "b", "c"]
    check(p, r)


def test_more_slots_than_candidates_takes_every_kept_candidate() -> None:
    p = problem(
        10,
        ["i"],
        [cand("a"), cand("b"), cand("c")],
        {("i", "b"): 0.5},
        excluded=("c",),
    )
    r = solve_lineup(p)
    assert r.lineup == ["b", "a"]
    check(p, r)


def test_no_candidates() -> None:
    p = problem(6, ["i", "j"], [], {})
    r = solve_lineup(p)
    assert r == LineupResult([], 0.0, 0.0, True, {"i": None, "j": None})


def test_every_candidate_excluded() -> None:
    p = problem(3, ["i"], [cand("a")], {("i", "a"): 1.0}, excluded=("a",))
    assert solve_lineup(p) == LineupResult([], 0.0, 0.0, True, {"i": None})


def test_no_attendees_counts_only_bonuses() -> None:
    p = problem(2, [], [cand("a", bonus=0.3), cand("b", bonus=0.1), cand("c", bonus=0.2)], {})
    r = solve_lineup(p)
    assert r.lineup == ["a", "c"]
    assert r.value == pytest.approx(0.5)
    assert r.best_for == {}
    check(p, r)


def test_zero_slots() -> None:
    p = problem(0, ["i"], [cand("a")], {("i", "a"): 1.0})
    assert solve_lineup(p) == LineupResult([], 0.0, 0.0, True, {"i": None})


def test_all_affinities_zero() -> None:
    p = problem(2, ["i", "j"], [cand("b"), cand("a"), cand("c")], {("i", "a"): 0.0})
    r = solve_lineup(p)
    assert r.lineup == ["a", "b"]  # all ties: by id
    assert r.value == 0.0
    assert r.optimal
    assert r.best_for == {"i": None, "j": None}
    check(p, r)


def test_lineup_order_is_greedy_marginal_gain() -> None:
    # a alone is worth 1.5, b alone 1.6 but mostly overlaps a; c adds 0.7.
    p = problem(
        3,
        ["i", "j", "k"],
        [cand("a"), cand("b"), cand("c")],
        {
            ("i", "a"): 0.9,
            ("j", "a"): 0.6,
            ("i", "b"): 0.8,
            ("j", "b"): 0.8,
            ("k", "c"): 0.7,
        },
    )
    r = solve_lineup(p)
    # b first (1.6), then c (0.7 > a's 0.1).
    assert r.lineup == ["b", "c", "a"]
    check(p, r)


def test_best_for_breaks_ties_by_id() -> None:
    p = problem(
        2,
        ["i", "j"],
        [cand("b"), cand("a")],
        {("i", "a"): 0.5, ("i", "b"): 0.5, ("j", "b"): 0.2},
    )
    r = solve_lineup(p)
    assert r.best_for == {"i": "a", "j": "b"}
    check(p, r)


def test_value_is_rounded_and_recomputable() -> None:
    p = problem(
        2,
        ["i", "j", "k"],
        [cand("a", bonus=0.1), cand("b", bonus=0.2)],
        {("i", "a"): 0.1, ("j", "a"): 0.2, ("k", "b"): 1 / 3},
    )
    r = solve_lineup(p)
    assert r.value == round(0.1 + 0.2 + 1 / 3 + 0.1 + 0.2, 6)
    check(p, r)


# ---------------------------------------------------------------------------
# Constraints that no line-up can meet.
# ---------------------------------------------------------------------------


def _infeasible_cases() -> list[tuple[str, LineupProblem, tuple[str, ...]]]:
    two = [cand("a", "narvik", "x"), cand("b", "narvik", "y"), cand("c", "evenes", None)]
    aff = {("i", "a"): 1.0}
    return [
        (
            "pinned-and-excluded",
            problem(2, ["i"], two, aff, pinned=("a",), excluded=("a",)),
            ("pinned", "excluded", '"a"'),
        ),
        (
            "too-many-pinned",
            problem(1, ["i"], two, aff, pinned=("a", "b")),
            ("pinned", "1 seat"),
        ),
        (
            "minimums-exceed-lineup",
            problem(1, ["i"], two, aff, min_per_subproject={"x": 1, "y": 1}),
            ("min_per_subproject", "add up to 2"),
        ),
        (
            "minimum-exceeds-subproject",
            problem(3, ["i"], two, aff, min_per_subproject={"x": 2}),
            ('min_per_subproject["x"]', "only 1 candidate"),
        ),
        (
            "minimum-for-unknown-subproject",
            problem(2, ["i"], two, aff, min_per_subproject={"z": 1}),
            ('min_per_subproject["z"]', "only 0 candidates"),
        ),
        (
            "minimum-met-only-by-excluded",
            problem(2, ["i"], two, aff, min_per_subproject={"x": 1}, excluded=("a",)),
            ('min_per_subproject["x"]', "not excluded"),
        ),
        (
            "pinned-break-cap",
            problem(3, ["i"], two, aff, pinned=("a", "b"), max_per_municipality=1),
            ("max_per_municipality", "pinned", '"narvik"'),
        ),
        (
            "cap-cannot-fill",
            problem(3, ["i"], two, aff, max_per_municipality=1),
            ("max_per_municipality", "at most 2 of the 3 seats"),
        ),
        (
            "minimums-and-cap-together",
            problem(
                2,
                ["i"],
                two,
                aff,
                min_per_subproject={"x": 1, "y": 1},
                max_per_municipality=1,
            ),
            ("min_per_subproject and max_per_municipality", "together"),
        ),
        (
            "pinned-and-minimums-together",
            problem(2, ["i"], two, aff, pinned=("c",), min_per_subproject={"x": 1, "y": 1}),
            ("pinned and min_per_subproject", "together"),
        ),
        (
            "pinned-and-cap-and-minimum-together",
            problem(
                2,
                ["i"],
                [
                    cand("a", "narvik", "y"),
                    cand("b", "narvik", None),
                    cand("c", "evenes", None),
                    cand("d", "evenes", "x"),
                ],
                aff,
                pinned=("c",),
                min_per_subproject={"x": 1},
                max_per_municipality=1,
            ),
            ("pinned and min_per_subproject and max_per_municipality", "together"),
        ),
    ]


@pytest.mark.parametrize(
    ("name", "prob", "words"), _infeasible_cases(), ids=[c[0] for c in _infeasible_cases()]
)
def test_infeasible_constraints_are_named(
    name: str, prob: LineupProblem, words: tuple[str, ...]
) -> None:
    assert exhaustive(prob) is None
    with pytest.raises(InfeasibleError) as info:
        solve_lineup(prob)
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message, (name, message)
    assert isinstance(info.value, EngineInputError)


# ---------------------------------------------------------------------------
# Properties on random small instances, against exhaustive search.
# ---------------------------------------------------------------------------

AFFINITIES = [0.0, 0.0, 0.0, 0.2, 0.5, 0.5, 0.8, 1.0, 0.37]


@st.composite
def instances(
    draw: st.DrawFn,
    max_candidates: int = 7,
    max_attendees: int = 5,
    min_candidates: int = 0,
    min_slots: int = 0,
) -> LineupProblem:
    """Random instances; about half of them have no valid line-up."""
    n_c = draw(st.integers(min_candidates, max_candidates))
    n_a = draw(st.integers(0, max_attendees))
    cands = [
        LineupCandidate(
            f"c{j}",
            draw(st.sampled_from(["m0", "m1", "m2"])),
            draw(st.sampled_from([None, "s0", "s1"])),
            draw(st.sampled_from([0.0, 0.0, 0.1, 0.5])),
        )
        for j in range(n_c)
    ]
    attendees = [f"a{i}" for i in range(n_a)]
    affinity: dict[tuple[str, str], float] = {}
    for a in attendees:
        for c in cands:
            v = draw(st.sampled_from(AFFINITIES))
            if v or draw(st.booleans()):
                affinity[(a, c.id)] = v
    ids = [c.id for c in cands]
    pinned = draw(st.lists(st.sampled_from(ids), unique=True, max_size=2)) if ids else []
    excluded = draw(st.lists(st.sampled_from(ids), unique=True, max_size=1)) if ids else []
    mins = draw(
        st.dictionaries(
            st.sampled_from(["s0", "s1", "s0", "s1", "s2"]),
            st.sampled_from([0, 1, 1, 2]),
            max_size=2,
        )
    )
    cap = draw(st.sampled_from([None, None, 1, 2, 2, 3]))
    return LineupProblem(
        slots=draw(st.integers(min_slots, 6)),
        attendees=tuple(attendees),
        candidates=tuple(cands),
        affinity=affinity,
        min_per_subproject=mins,
        max_per_municipality=cap,
        pinned=tuple(pinned),
        excluded=tuple(excluded),
    )


def _agrees_with_exhaustive(p: LineupProblem) -> None:
    best = exhaustive(p)
    if best is None:
        with pytest.raises(InfeasibleError):
            solve_lineup(p)
        return
    r = solve_lineup(p)
    check(p, r)
    assert r.optimal
    assert abs(r.value - best) <= TOL
    assert r.bound >= best - TOL


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_small_instances_match_exhaustive_search(p: LineupProblem) -> None:
    _agrees_with_exhaustive(p)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_candidates=12, max_attendees=9, min_candidates=6, min_slots=2))
def test_larger_instances_match_exhaustive_search(p: LineupProblem) -> None:
    _agrees_with_exhaustive(p)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    instances(max_candidates=12, max_attendees=9, min_candidates=6, min_slots=2),
    st.integers(0, 3),
)
def test_a_search_cut_short_still_reports_an_honest_bound(p: LineupProblem, nodes: int) -> None:
    best = exhaustive(p)
    if best is None:
        return
    r = _solve(p, node_limit=nodes)
    check(p, r)
    assert r.bound >= best - TOL
    assert r.value <= best + TOL


# ---------------------------------------------------------------------------
# A medium instance, determinism, the time limit, and purity.
# ---------------------------------------------------------------------------


def medium(n_c: int = 40, n_a: int = 80, slots: int = 8, seed: int = 7) -> LineupProblem:
    """Structured random affinities: sector interest, home municipality, quality, noise."""
    rng = np.random.default_rng(seed)
    munis = [f"m{j}" for j in range(6)]
    subs = ["s0", "s1", "s2", "s3", None]
    c_muni = rng.integers(0, len(munis), n_c)
    c_sub = rng.integers(0, len(subs), n_c)
    c_sector = rng.integers(0, 6, n_c)
    quality = rng.random(n_c)
    cands = tuple(
        LineupCandidate(
            f"p-{j:03d}",
            munis[c_muni[j]],
            subs[c_sub[j]],
            round(float(rng.random()), 2) if rng.random() < 0.3 else 0.0,
        )
        for j in range(n_c)
    )
    attendees = tuple(f"inv-{i:03d}" for i in range(n_a))
    affinity: dict[tuple[str, str], float] = {}
    for a in attendees:
        likes = rng.choice(6, size=int(rng.integers(1, 3)), replace=False)
        home = rng.integers(0, len(munis))
        for j, c in enumerate(cands):
            if rng.random() < 0.4:
                continue
            v = (
                0.45 * (c_sector[j] in likes)
                + 0.15 * (c_muni[j] == home)
                + 0.25 * quality[j]
                + 0.15 * rng.random()
            )
            affinity[(a, c.id)] = round(float(v), 4)
    return LineupProblem(
        slots=slots,
        attendees=attendees,
        candidates=cands,
        affinity=affinity,
        min_per_subproject={"s0": 1, "s1": 1, "s2": 1, "s3": 1},
        max_per_municipality=2,
    )


def test_medium_instance_is_proven_optimal() -> None:
    p = medium()
    r = solve_lineup(p)
    check(p, r)
    assert r.optimal
    assert r.bound == r.value
    assert len(r.lineup) == 8


def test_same_input_same_output() -> None:
    p = medium(seed=11)
    assert solve_lineup(p) == solve_lineup(p)


def test_time_limit_returns_a_valid_lineup_and_an_honest_bound() -> None:
    p = medium(seed=3)
    full = solve_lineup(p)
    assert full.optimal
    cut = solve_lineup(p, time_limit=0.0)
    check(p, cut)
    assert cut.bound >= full.value
    assert cut.value <= full.value
    assert not cut.optimal or cut.value == full.value


def _as_json(p: LineupProblem) -> dict[str, object]:
    """The problem as the command's JSON input."""
    return {
        "slots": p.slots,
        "attendees": list(p.attendees),
        "candidates": [
            {
                "id": c.id,
                "municipality": c.municipality,
                "subproject": c.subproject,
                "bonus": c.bonus,
            }
            for c in p.candidates
        ],
        "affinity": [[a, c, v] for (a, c), v in p.affinity.items()],
        "min_per_subproject": p.min_per_subproject,
        "max_per_municipality": p.max_per_municipality,
    }


# Large enough that a 0.02 s budget (8 million work units) stops the search part-way.
CUT_SHORT = {"n_c": 120, "n_a": 200, "slots": 10, "seed": 3}


def test_a_search_cut_short_gives_the_same_output_every_time() -> None:
    # The search stops on a count of work, not on the clock: the same input and
    # time limit do the same work, so the output is identical even when cut short.
    p = medium(**CUT_SHORT)
    runs = [solve_lineup(p, time_limit=0.02) for _ in range(3)]
    assert not runs[0].optimal, "the instance must be cut short for this test to mean anything"
    check(p, runs[0])
    assert runs[1] == runs[0]
    assert runs[2] == runs[0]


def test_the_command_cut_short_gives_byte_identical_output(tmp_path: Path) -> None:
    p = medium(**CUT_SHORT)
    source = tmp_path / "session.json"
    source.write_text(json.dumps(_as_json(p)), encoding="utf-8")
    outputs: list[bytes] = []
    for n in range(2):
        target = tmp_path / f"out{n}.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "matchmaking.engine",
                "lineup",
                str(source),
                "-o",
                str(target),
                "--time-limit",
                "0.02",
            ],
            check=True,
            capture_output=True,
        )
        outputs.append(target.read_bytes())
    assert json.loads(outputs[0])["optimal"] is False
    assert outputs[1] == outputs[0]


def test_a_longer_time_limit_does_more_work_and_never_loosens_the_bound() -> None:
    p = medium(**CUT_SHORT)
    short = solve_lineup(p, time_limit=0.02)
    longer = solve_lineup(p, time_limit=0.2)
    check(p, longer)
    assert longer.value >= short.value
    assert longer.bound <= short.bound


def test_duplicate_attendee_rows_count_each_attendee() -> None:
    p = problem(
        1,
        ["i", "j", "k"],
        [cand("a"), cand("b")],
        {("i", "a"): 0.5, ("j", "a"): 0.5, ("k", "b"): 0.9},
    )
    r = solve_lineup(p)
    assert r.lineup == ["a"]
    assert r.value == 1.0
    check(p, r)


def test_engine_lineup_imports_no_web_stack() -> None:
    code = (
        "import sys, matchmaking.engine.lineup\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy')"
        " or (m.startswith('matchmaking.') and not m.startswith('matchmaking.engine'))]\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    # matchmaking/__init__.py may import the app factory lazily; nothing of it may load here.
    assert out == "[]", out


def test_value_helper_matches_reference() -> None:
    p = medium(n_c=12, n_a=20, slots=4, seed=5)
    r = solve_lineup(p)
    assert math.isclose(r.value, value_of(p, r.lineup), abs_tol=TOL)


@pytest.mark.parametrize("seed", range(8))
def test_structured_instances_match_exhaustive_search(seed: int) -> None:
    p = medium(n_c=14, n_a=25, slots=5, seed=seed)
    p = LineupProblem(
        p.slots,
        p.attendees,
        p.candidates,
        p.affinity,
        {"s0": 1, "s1": 1},
        2 if seed % 2 else None,
        pinned=(p.candidates[seed].id,) if seed % 3 == 0 else (),
        excluded=(p.candidates[13 - seed].id,) if seed % 4 == 1 else (),
    )
    _agrees_with_exhaustive(p)
