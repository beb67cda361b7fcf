"""Benchmark of the 1:1 meeting schedule.

Run through ``bench/engine.py`` (or alone: ``python bench/engine_schedule.py``).
Instances are generated with fixed seeds and the structure of real data:
affinities from sector interest, company quality and noise, rounded to four
decimals as the ranking reports them; investors with a few meetings each
(some with the default, every slot), companies with up to every slot and a
third of them with a minimum of 2 to 4 meetings.

- (a) 150 investors x 30 companies x 12 slots, 30 % of the pairs allowed,
  each person away in each slot with probability 10 %. In the same run the
  same instance goes to a plain MILP: x[i, c, s] binaries for every allowed
  pair and every slot (unavailable ones fixed at 0 by their bounds), the
  textbook constraints, HiGHS through scipy.optimize.milp, no warm start and
  no structure. Both must prove optimality; we compare the times.
- (a') the same with 40 % unavailability, where the relaxation's pairs no
  longer fit into the slots and the exact MILP stage does the work.
- (b) 1,000 investors x 500 companies x 20 slots, everyone available, 30 %
  of the pairs allowed (150,000 pairs); and (b') every pair allowed
  (500,000 pairs). Aim: proven optimal in under 1 s.
- (c) as (b) with 10 % unavailability, for information (no aim set).

Each time is the median of three runs, after one small warm-up solve that
pays for importing and initialising the solvers.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from matchmaking.engine.schedule import (  # noqa: E402
    SchedulePerson,
    ScheduleProblem,
    ScheduleResult,
    solve_schedule,
)

SEED = 2024
REPEATS = 3  # each time is the median of this many runs
_T = TypeVar("_T")
SMALL = (150, 30, 12)
LARGE = (1000, 500, 20)
PLAIN_LIMIT = 120.0
AIM_LARGE_SECONDS = 1.0
SECTORS = 8


def make_instance(
    n_inv: int, n_comp: int, slots: int, *, allowed: float, away: float, seed: int
) -> ScheduleProblem:
    """A realistic instance; the same arguments give the same instance."""
    rng = np.random.default_rng(seed)
    interest = rng.random((n_inv, SECTORS)) ** 2  # each investor cares for a few sectors
    sector = rng.integers(0, SECTORS, n_comp)
    quality = rng.beta(2, 2, n_comp)
    raw = 0.55 * interest[:, sector] + 0.25 * quality[None, :] + 0.2 * rng.random((n_inv, n_comp))
    aff = np.round(np.clip(raw, 0.0, 1.0), 4)
    mask = rng.random((n_inv, n_comp)) < allowed

    def unavailable(n: int) -> list[frozenset[int]]:
        grid = rng.random((n, slots)) < away
        return [frozenset(np.nonzero(row)[0].tolist()) for row in grid]

    inv_away = unavailable(n_inv)
    comp_away = unavailable(n_comp)
    investors = tuple(
        SchedulePerson(
            f"inv-{i:04d}",
            slots if rng.random() < 0.2 else int(rng.integers(3, 9)),
            0,
            inv_away[i],
        )
        for i in range(n_inv)
    )
    companies = []
    for c in range(n_comp):
        need = int(rng.integers(2, 5)) if rng.random() < 1 / 3 else 0
        cap = slots if rng.random() < 0.7 else int(rng.integers(max(need, 4), slots + 1))
        companies.append(SchedulePerson(f"p-{c:03d}", cap, need, comp_away[c]))
    ii, cc = np.nonzero(mask)
    affinity = {
        (investors[i].id, companies[c].id): float(aff[i, c])
        for i, c in zip(ii.tolist(), cc.tolist(), strict=True)
    }
    return ScheduleProblem(slots, investors, tuple(companies), affinity)


def plain_milp(problem: ScheduleProblem, time_limit: float) -> tuple[float, float, bool]:
    """The textbook model: x[i, c, s] for every allowed pair and every slot.

    Returns (value, bound, optimal) as HiGHS reports them.
    """
    slots = problem.slots
    inv_row = {p.id: k for k, p in enumerate(problem.investors)}
    comp_row = {p.id: k for k, p in enumerate(problem.companies)}
    pairs = sorted(k for k in problem.affinity if k not in problem.conflicts)
    pi = np.array([inv_row[i] for i, _ in pairs], dtype=np.int64)
    pc = np.array([comp_row[c] for _, c in pairs], dtype=np.int64)
    w = np.array([problem.affinity[k] for k in pairs])
    n_p, n_i, n_c = len(pairs), len(problem.investors), len(problem.companies)
    var_pair = np.repeat(np.arange(n_p), slots)
    var_slot = np.tile(np.arange(slots), n_p)
    i, c = pi[var_pair], pc[var_pair]
    inv_away = np.zeros((n_i, slots), dtype=bool)
    comp_away = np.zeros((n_c, slots), dtype=bool)
    for k, p in enumerate(problem.investors):
        inv_away[k, list(p.unavailable)] = True
    for k, p in enumerate(problem.companies):
        comp_away[k, list(p.unavailable)] = True
    upper = (~(inv_away[i, var_slot] | comp_away[c, var_slot])).astype(float)
    blocks = [
        (var_pair, n_p),
        (i * slots + var_slot, n_i * slots),
        (c * slots + var_slot, n_c * slots),
        (i, n_i),
        (c, n_c),
    ]
    rows, offset = [], 0
    for r, size in blocks:
        rows.append(r + offset)
        offset += size
    n = n_p * slots
    a = sp.csr_matrix(
        (np.ones(len(blocks) * n), (np.concatenate(rows), np.tile(np.arange(n), len(blocks)))),
        shape=(offset, n),
    )
    lb = np.concatenate(
        [
            np.zeros(n_p + n_i * slots + n_c * slots + n_i),
            [p.min_meetings for p in problem.companies],
        ]
    )
    ub = np.concatenate(
        [
            np.ones(n_p + n_i * slots + n_c * slots),
            [p.max_meetings for p in problem.investors],
            [p.max_meetings for p in problem.companies],
        ]
    )
    res = milp(
        -np.repeat(w, slots),
        integrality=np.ones(n),
        bounds=Bounds(0.0, upper),
        constraints=LinearConstraint(a, lb, ub),
        options={"time_limit": time_limit, "mip_rel_gap": 1e-9},
    )
    value = float(-res.fun) if res.x is not None else float("nan")
    return value, float(-res.mip_dual_bound), res.status == 0


def _size(n_i: int, n_c: int, slots: int, problem: ScheduleProblem, note: str) -> str:
    pairs = len(problem.affinity)
    return f"{n_i} investors x {n_c} companies x {slots} slots, {pairs:,} pairs, {note}"


def _describe(result: ScheduleResult) -> str:
    state = "proven optimal" if result.optimal else "not proven"
    return (
        f"{len(result.meetings):,} meetings, value {result.value:.4f}, "
        f"bound {result.bound:.4f} ({state})"
    )


def _median_time(solve: Callable[[], _T], repeats: int = REPEATS) -> tuple[_T, float]:
    """The answer and the median wall time of ``repeats`` runs (the machine is shared)."""
    times: list[float] = []
    answer: _T | None = None
    for _ in range(repeats):
        start = time.perf_counter()
        answer = solve()
        times.append(time.perf_counter() - start)
    assert answer is not None
    return answer, statistics.median(times)


def _ours(problem: ScheduleProblem) -> tuple[ScheduleResult, float]:
    return _median_time(lambda: solve_schedule(problem))


def _warm_up() -> None:
    """Import and initialise the solvers once, so no row pays for it."""
    solve_schedule(make_instance(20, 6, 4, allowed=0.5, away=0.2, seed=1))


def _against_plain(label: str, away: float, seed: int) -> list[dict[str, str]]:
    problem = make_instance(*SMALL, allowed=0.3, away=away, seed=seed)
    size = _size(*SMALL, problem, f"{away:.0%} unavailability, minimums")
    ours, t_ours = _ours(problem)
    (p_value, p_bound, p_optimal), t_plain = _median_time(lambda: plain_milp(problem, PLAIN_LIMIT))
    same = abs(ours.value - p_value) <= 1e-6
    met = ours.optimal and t_ours < t_plain
    ratio = t_plain / t_ours
    speed = f"{ratio:.1f} x faster" if ratio >= 1 else f"{1 / ratio:.1f} x slower"
    return [
        {
            "case": f"schedule {label}",
            "size": size,
            "time": f"{t_ours:.3f} s",
            "result": _describe(ours),
            "aim": "proven optimal, faster than the plain MILP" + (": met" if met else ": NOT met"),
        },
        {
            "case": f"schedule {label}, plain MILP (HiGHS, {PLAIN_LIMIT:.0f} s limit)",
            "size": size,
            "time": f"{t_plain:.3f} s",
            "result": f"value {p_value:.4f}, bound {p_bound:.4f} "
            + ("(proven optimal)" if p_optimal else "(not proven)"),
            "aim": "reference",
        },
        {
            "case": f"schedule {label}, ours vs plain MILP",
            "size": size,
            "time": speed,
            "result": "same optimal value"
            if same
            else f"values differ by {ours.value - p_value:+.6f}",
            "aim": "same value, faster",
        },
    ]


def _large(label: str, allowed: float, away: float, seed: int) -> dict[str, str]:
    problem = make_instance(*LARGE, allowed=allowed, away=away, seed=seed)
    ours, t_ours = _ours(problem)
    if away:
        note, aim = f"{away:.0%} unavailability, minimums", "none set (for information)"
    else:
        met = ours.optimal and t_ours < AIM_LARGE_SECONDS
        note = "everyone available, minimums"
        aim = f"proven optimal in < {AIM_LARGE_SECONDS:.0f} s" + (": met" if met else ": NOT met")
    return {
        "case": f"schedule {label}",
        "size": _size(*LARGE, problem, note),
        "time": f"{t_ours:.3f} s",
        "result": _describe(ours),
        "aim": aim,
    }


def run() -> list[dict[str, str]]:
    _warm_up()
    rows = _against_plain("(a)", 0.1, SEED)
    rows += _against_plain("(a')", 0.4, SEED)
    rows.append(_large("(b)", 0.3, 0.0, SEED))
    rows.append(_large("(b'), every pair allowed", 1.0, 0.0, SEED))
    rows.append(_large("(c)", 0.3, 0.1, SEED))
    return rows


if __name__ == "__main__":
    from machine import describe

    print(f"# schedule benchmark, {time.strftime('%Y-%m-%d')}, {describe()}")
    for r in run():
        print(" | ".join(r[k] for k in ("case", "size", "time", "result", "aim")))
