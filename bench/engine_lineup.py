"""Benchmark of the Springbrett line-up: 150 candidates x 250 attendees x 8 slots.

Run through ``bench/engine.py`` (or alone: ``python bench/engine_lineup.py``).
The instance is generated with a fixed seed and has the structure of real
data: 8 municipalities (Narvik the largest), 5 sub-projects with a minimum of
one pitch each and 30 % of the pitches in none, at most 2 pitches per
municipality, about a third of the attendee-pitch pairs non-zero (the rest
are ruled out by ticket size or conflicts), affinities built from sector
interest, home municipality, pitch quality and noise and rounded to four
decimals as the ranking reports them, and a screening bonus on 30 % of the
pitches.

In the same run, the same instance is given to a plain MILP (the strong
facility-location model: x_c per candidate, y_ic <= x_c per non-zero pair,
sum_c y_ic <= 1, HiGHS through scipy.optimize.milp) with a time limit, and
the two are compared. A medium instance (40 x 80 x 8) is run both ways too,
and a larger one (300 x 400 x 10, seed 3) by the engine alone, twice, to show
that a search stopped by the work budget gives the same answer every run.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from matchmaking.engine.lineup import (  # noqa: E402
    LineupCandidate,
    LineupProblem,
    LineupResult,
    lineup_value,
    solve_lineup,
)

SEED = 2024
LARGE = (150, 250, 8)
MEDIUM = (40, 80, 8)
#: A larger session than the issue's aim, where the default budget stops the proof.
LARGER = (300, 400, 10)
LARGER_SEED = 3
PLAIN_LIMIT = 30.0
AIM_SECONDS = 5.0
AIM_GAP = 0.001

MUNICIPALITIES = [
    "narvik",
    "evenes",
    "tjeldsund",
    "ballangen",
    "hamaroy",
    "harstad",
    "kvaefjord",
    "lodingen",
]
MUNICIPALITY_WEIGHT = [0.30, 0.12, 0.10, 0.10, 0.08, 0.14, 0.08, 0.08]
SUBPROJECTS = [
    "marin-kartlegging",
    "stedsutvikling",
    "strategisk-naeringsplan",
    "tidligfasekapital",
    "nye-arbeidsplasser",
]
N_SECTORS = 10


def make_instance(n_candidates: int, n_attendees: int, slots: int, seed: int) -> LineupProblem:
    """A realistic line-up instance (see the module docstring)."""
    rng = np.random.default_rng(seed)
    weight = np.array(MUNICIPALITY_WEIGHT) / sum(MUNICIPALITY_WEIGHT)
    c_muni = rng.choice(len(MUNICIPALITIES), size=n_candidates, p=weight)
    c_sub = rng.choice(len(SUBPROJECTS) + 1, size=n_candidates, p=[0.14] * 5 + [0.30])
    c_sector = rng.integers(0, N_SECTORS, size=n_candidates)
    quality = rng.beta(2, 2, size=n_candidates)
    bonus = np.where(
        rng.random(n_candidates) < 0.3, np.round(rng.uniform(0, 1, n_candidates), 2), 0.0
    )
    aff = np.zeros((n_attendees, n_candidates))
    for i in range(n_attendees):
        likes = rng.choice(N_SECTORS, size=int(rng.integers(1, 4)), replace=False)
        home = rng.choice(len(MUNICIPALITIES), p=weight)
        match = np.isin(c_sector, likes)
        row = (
            0.45 * match
            + 0.15 * (c_muni == home)
            + 0.25 * quality
            + 0.15 * rng.random(n_candidates)
        )
        row[rng.random(n_candidates) < 0.45] = 0.0  # ticket sizes do not meet, or a conflict
        row[~match & (rng.random(n_candidates) < 0.5)] = 0.0
        aff[i] = np.round(np.clip(row, 0.0, 1.0), 4)
    candidates = tuple(
        LineupCandidate(
            f"p-{j:03d}",
            MUNICIPALITIES[int(c_muni[j])],
            SUBPROJECTS[int(c_sub[j])] if c_sub[j] < len(SUBPROJECTS) else None,
            float(bonus[j]),
        )
        for j in range(n_candidates)
    )
    attendees = tuple(f"inv-{i:03d}" for i in range(n_attendees))
    affinity = {
        (attendees[i], candidates[j].id): float(aff[i, j])
        for i, j in zip(*np.nonzero(aff), strict=False)
    }
    return LineupProblem(
        slots=slots,
        attendees=attendees,
        candidates=candidates,
        affinity=affinity,
        min_per_subproject=dict.fromkeys(SUBPROJECTS, 1),
        max_per_municipality=2,
    )


def plain_milp(problem: LineupProblem, time_limit: float) -> tuple[float, float, bool, list[str]]:
    """The strong facility-location MILP, solved by HiGHS: (value, bound, optimal, lineup)."""
    cands = list(problem.candidates)
    col = {c.id: j for j, c in enumerate(cands)}
    row = {a: i for i, a in enumerate(problem.attendees)}
    pairs = [(row[a], col[c], v) for (a, c), v in sorted(problem.affinity.items()) if v > 0]
    n_c, n_y = len(cands), len(pairs)
    n = n_c + n_y
    ii = np.array([p[0] for p in pairs], dtype=np.int64)
    cc = np.array([p[1] for p in pairs], dtype=np.int64)
    vv = np.array([p[2] for p in pairs])
    cost = -np.concatenate([np.array([c.bonus for c in cands]), vv])
    r = np.arange(n_y)
    link = sp.coo_matrix(
        (np.r_[np.ones(n_y), -np.ones(n_y)], (np.r_[r, r], np.r_[n_c + r, cc])), shape=(n_y, n)
    )
    assign = sp.coo_matrix((np.ones(n_y), (ii, n_c + r)), shape=(len(row), n))
    quota_rows: list[np.ndarray] = []
    low: list[float] = []
    high: list[float] = []
    size = min(problem.slots, n_c)
    quota_rows.append(np.r_[np.ones(n_c), np.zeros(n_y)])
    low.append(size)
    high.append(size)
    for sub, least in problem.min_per_subproject.items():
        quota_rows.append(np.r_[[float(c.subproject == sub) for c in cands], np.zeros(n_y)])
        low.append(least)
        high.append(np.inf)
    if problem.max_per_municipality is not None:
        for muni in sorted({c.municipality for c in cands}):
            quota_rows.append(np.r_[[float(c.municipality == muni) for c in cands], np.zeros(n_y)])
            low.append(-np.inf)
            high.append(problem.max_per_municipality)
    constraints = [
        LinearConstraint(link.tocsr(), -np.inf, 0.0),
        LinearConstraint(assign.tocsr(), -np.inf, 1.0),
        LinearConstraint(np.array(quota_rows), low, high),
    ]
    res = milp(
        cost,
        integrality=np.r_[np.ones(n_c), np.zeros(n_y)],
        bounds=Bounds(0.0, 1.0),
        constraints=constraints,
        options={"time_limit": time_limit, "mip_rel_gap": 0.0},
    )
    if res.x is None:
        return float("nan"), -float(res.mip_dual_bound), False, []
    lineup = [cands[j].id for j in range(n_c) if res.x[j] > 0.5]
    value = lineup_value(problem, lineup)
    bound = -float(res.mip_dual_bound)
    return value, bound, res.status == 0, lineup


def _gap(value: float, bound: float) -> float:
    return (bound - value) / value if value else 0.0


def _size(n_c: int, n_a: int, slots: int) -> str:
    return f"{n_c} candidates x {n_a} attendees x {slots} slots, quotas"


def _ours(problem: LineupProblem) -> tuple[LineupResult, float]:
    start = time.perf_counter()
    result = solve_lineup(problem)
    return result, time.perf_counter() - start


def _describe(value: float, bound: float, optimal: bool) -> str:
    state = "proven optimal" if optimal else "not proven"
    return f"value {value:.4f}, bound {bound:.4f}, gap {100 * _gap(value, bound):.3f} % ({state})"


def run() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    n_c, n_a, slots = LARGE
    large = make_instance(n_c, n_a, slots, SEED)
    ours, t_ours = _ours(large)
    rows.append(
        {
            "case": "lineup",
            "size": _size(*LARGE),
            "time": f"{t_ours:.2f} s",
            "result": _describe(ours.value, ours.bound, ours.optimal),
            "aim": f"within {100 * AIM_GAP:.1f} % of optimal in < {AIM_SECONDS:.0f} s"
            + (
                ": met"
                if t_ours < AIM_SECONDS and _gap(ours.value, ours.bound) <= AIM_GAP
                else ": NOT met"
            ),
        }
    )
    start = time.perf_counter()
    p_value, p_bound, p_optimal, _ = plain_milp(large, PLAIN_LIMIT)
    t_plain = time.perf_counter() - start
    rows.append(
        {
            "case": f"lineup, plain MILP (HiGHS, {PLAIN_LIMIT:.0f} s limit)",
            "size": _size(*LARGE),
            "time": f"{t_plain:.2f} s",
            "result": _describe(p_value, p_bound, p_optimal),
            "aim": "reference",
        }
    )
    rows.append(
        {
            "case": "lineup, ours vs plain MILP",
            "size": _size(*LARGE),
            "time": f"{t_plain / t_ours:.1f} x less time"
            + ("" if p_optimal else " (the MILP stopped at its limit)"),
            "result": f"value ratio {ours.value / p_value:.5f}, "
            f"bound ours {ours.bound:.4f} vs MILP {p_bound:.4f}",
            "aim": "at least as good, faster",
        }
    )
    n_c, n_a, slots = LARGER
    larger = make_instance(n_c, n_a, slots, LARGER_SEED)
    big, t_big = _ours(larger)
    again, _ = _ours(larger)
    rows.append(
        {
            "case": f"lineup, larger (seed {LARGER_SEED}), default budget",
            "size": _size(*LARGER),
            "time": f"{t_big:.2f} s",
            "result": _describe(big.value, big.bound, big.optimal)
            + ("; identical on a second run" if again == big else "; DIFFERENT on a second run"),
            "aim": f"within {100 * AIM_GAP:.1f} % of optimal"
            + (": met" if _gap(big.value, big.bound) <= AIM_GAP else ": NOT met"),
        }
    )
    n_c, n_a, slots = MEDIUM
    medium = make_instance(n_c, n_a, slots, SEED)
    m_ours, t_m_ours = _ours(medium)
    start = time.perf_counter()
    m_value, m_bound, m_optimal, _ = plain_milp(medium, PLAIN_LIMIT)
    t_m_plain = time.perf_counter() - start
    rows.append(
        {
            "case": "lineup, medium",
            "size": _size(*MEDIUM),
            "time": f"{t_m_ours:.2f} s (plain MILP {t_m_plain:.2f} s)",
            "result": _describe(m_ours.value, m_ours.bound, m_ours.optimal)
            + f"; MILP {_describe(m_value, m_bound, m_optimal)}",
            "aim": "proven optimal" + (": met" if m_ours.optimal else ": NOT met"),
        }
    )
    return rows


if __name__ == "__main__":
    from machine import describe

    print(f"# lineup benchmark, {time.strftime('%Y-%m-%d')}, {describe()}")
    for r in run():
        print(" | ".join(r[k] for k in ("case", "size", "time", "result", "aim")))
