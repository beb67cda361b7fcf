"""Maximum-weight bipartite b-matching with degree caps and lower bounds.

The schedule engine chooses which (investor, company) pairs meet by solving

    maximise    sum_e w_e x_e
    subject to  sum_{e at left vertex i}  x_e <= cap_i
                min_c <= sum_{e at right vertex c} x_e <= cap_c
                x_e in {0, 1}

a min-cost flow (source -> investor -> company -> sink, plus a sink ->
source return arc; a company's minimum is a lower bound on its sink arc).
Two exact solvers:

- :func:`max_weight_b_matching`: OR-Tools' min-cost flow (cost scaling, in
  C++) on integer costs ``round(w * S)`` with S = 10^12. Rounding moves each
  weight by at most delta (~1e-13), so the flow's matching is within
  ``(|M| + |M*|) * delta`` of the true optimum; that is the certified bound
  reported, far inside the 1e-6 the engine promises. 0.07 s for 150,000
  pairs where HiGHS' simplex needs 2 s.
- :func:`lp_b_matching`: the LP on the float weights (its matrix is totally
  unimodular, so HiGHS' basic solution is integral), by column generation:
  start from each vertex's best few edges, price all others from the duals
  in one vectorised pass, add those with a positive reduced cost, repeat.
  Slower, but it gives the duals, hence the reduced cost of every pair that
  the exact MILP stage uses, and a weak-duality bound over all edges. It is
  also the fallback when OR-Tools is not installed or refuses the costs.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: An edge whose reduced cost exceeds this enters the restricted LP.
PRICING_TOLERANCE = 1e-9


class LPTimeout(Exception):
    """The b-matching LP did not finish before its deadline."""


#: Integer costs are round(w * COST_SCALE) (affinities lie in [0, 1]).
COST_SCALE = 10**12


@dataclass(frozen=True)
class BMatching:
    """An optimal b-matching and the certificate behind it."""

    chosen: BoolArray  # over edges: in the matching
    value: float  # sum of the chosen weights (math.fsum)
    bound: float  # certified upper bound on every b-matching
    reduced_cost: FloatArray | None  # w_e - u_left - v_right (LP only)


def dual_bound(
    left: IntArray,
    right: IntArray,
    weight: FloatArray,
    left_cap: IntArray,
    right_cap: IntArray,
    right_min: IntArray,
    left_dual: FloatArray,
    right_dual: FloatArray,
) -> tuple[float, FloatArray]:
    """Weak-duality upper bound for *any* duals, and the reduced costs.

    For u >= 0 and free v, every feasible b-matching x satisfies
    ``w.x <= sum_i cap_i u_i + sum_c (cap_c max(v_c,0) + min_c min(v_c,0))
    + sum_e max(0, w_e - u_i - v_c)``, since ``w.x = sum_e x_e (w_e - u_i - v_c)
    + sum_i u_i deg_i + sum_c v_c deg_c``.
    """
    u = np.maximum(left_dual, 0.0)
    v = right_dual
    rc = weight - u[left] - v[right]
    parts = [
        float(left_cap.astype(np.float64) @ u),
        float(right_cap.astype(np.float64) @ np.maximum(v, 0.0)),
        float(right_min.astype(np.float64) @ np.minimum(v, 0.0)),
        math.fsum(np.maximum(rc, 0.0).tolist()),
    ]
    return math.fsum(parts), rc


def _top_per_group(group: IntArray, by_weight: IntArray, k: IntArray, n_groups: int) -> BoolArray:
    """Mask of each group's k[g] heaviest edges.

    ``by_weight`` lists the edges heaviest first (ties by edge index); a
    stable sort on the group keeps that order within each group. Groups fit in
    16 bits in practice, where numpy's stable sort is a radix sort.
    """
    mask = np.zeros(len(by_weight), dtype=np.bool_)
    if len(by_weight) == 0:
        return mask
    keys = group[by_weight]
    if n_groups <= np.iinfo(np.int16).max:
        keys = keys.astype(np.int16)
    order = by_weight[np.argsort(keys, kind="stable")]
    sorted_group = group[order]
    start = np.searchsorted(sorted_group, np.arange(n_groups))
    rank = np.arange(len(order)) - start[sorted_group]
    mask[order[rank < k[sorted_group]]] = True
    return mask


def _incidence(n_left: int, n_right: int, left: IntArray, right: IntArray) -> sp.csr_matrix:
    n = len(left)
    cols = np.arange(n)
    return sp.csr_matrix(
        (np.ones(2 * n), (np.concatenate([left, n_left + right]), np.concatenate([cols, cols]))),
        shape=(n_left + n_right, n),
    )


def lp_b_matching(
    n_left: int,
    n_right: int,
    left: IntArray,
    right: IntArray,
    weight: FloatArray,
    left_cap: IntArray,
    right_cap: IntArray,
    right_min: IntArray,
    *,
    start_factor: int = 2,
    deadline: float | None = None,
) -> BMatching | None:
    """Solve the b-matching LP by column generation; None when infeasible.

    Edges are given as parallel arrays (``left[e]``, ``right[e]``,
    ``weight[e]``), with no pair repeated. The result is deterministic for
    a given edge order. Raises :class:`LPTimeout` when ``deadline`` (a
    ``time.monotonic()`` instant) passes first.
    """
    n_edges = len(weight)
    has_min = right_min > 0
    if n_edges == 0:
        if has_min.any():
            return None
        empty_f = np.zeros(0, dtype=np.float64)
        return BMatching(
            chosen=np.zeros(0, dtype=np.bool_),
            value=0.0,
            bound=0.0,
            reduced_cost=empty_f,
        )
    # Initial columns: each vertex's best few edges, plus every edge of a
    # company with a minimum (so the restricted LP is feasible exactly when
    # the full one is: only those edges can serve the lower bounds).
    by_weight = np.argsort(-weight, kind="stable").astype(np.int64)
    active = (
        _top_per_group(left, by_weight, start_factor * left_cap + 1, n_left)
        | _top_per_group(right, by_weight, start_factor * right_cap + 1, n_right)
        | has_min[right]
    )
    min_rows = np.nonzero(has_min)[0]
    b_ub = np.concatenate([left_cap, right_cap, -right_min[min_rows]]).astype(np.float64)
    while True:
        idx = np.nonzero(active)[0]
        a = _incidence(n_left, n_right, left[idx], right[idx])
        if len(min_rows):
            a = sp.vstack([a, -a[n_left + min_rows]], format="csr")
        options: dict[str, float | str] = {"simplex_dual_edge_weight_strategy": "devex"}
        if deadline is not None:
            left_time = deadline - time.monotonic()
            if left_time <= 0:
                raise LPTimeout
            options["time_limit"] = left_time
        res = linprog(
            -weight[idx],
            A_ub=a,
            b_ub=b_ub,
            bounds=(0.0, 1.0),
            method="highs-ds",
            options=options,
        )
        if res.status == 2:
            return None
        if res.status == 1:
            raise LPTimeout
        if res.status != 0 or res.x is None:  # pragma: no cover - HiGHS failure
            raise RuntimeError(f"b-matching LP failed: {res.message}")
        y = -np.asarray(res.ineqlin.marginals, dtype=np.float64)
        u = y[:n_left]
        v = y[n_left : n_left + n_right].copy()
        if len(min_rows):
            v[min_rows] -= y[n_left + n_right :]
        rc = weight - np.maximum(u, 0.0)[left] - v[right]
        entering = (rc > PRICING_TOLERANCE) & ~active
        if not entering.any():
            break
        active |= entering
    x = np.zeros(n_edges, dtype=np.float64)
    x[idx] = res.x
    if np.abs(x - np.round(x)).max() > 1e-6:  # pragma: no cover - TU: cannot happen
        x = _integral_b_matching(
            n_left, n_right, left, right, weight, left_cap, right_cap, right_min, idx
        )
    chosen = x > 0.5
    bound, rc = dual_bound(left, right, weight, left_cap, right_cap, right_min, u, v)
    value = math.fsum(weight[chosen].tolist())
    return BMatching(
        chosen=chosen,
        value=value,
        bound=max(bound, value),
        reduced_cost=rc,
    )


def _integral_b_matching(  # pragma: no cover - fallback for a non-basic LP answer
    n_left: int,
    n_right: int,
    left: IntArray,
    right: IntArray,
    weight: FloatArray,
    left_cap: IntArray,
    right_cap: IntArray,
    right_min: IntArray,
    idx: IntArray,
) -> FloatArray:
    a = _incidence(n_left, n_right, left[idx], right[idx])
    lb = np.concatenate([np.zeros(n_left), right_min]).astype(np.float64)
    ub = np.concatenate([left_cap, right_cap]).astype(np.float64)
    res = milp(
        -weight[idx],
        integrality=np.ones(len(idx)),
        bounds=Bounds(0.0, 1.0),
        constraints=LinearConstraint(a, lb, ub),
    )
    x = np.zeros(len(weight), dtype=np.float64)
    if res.x is not None:
        x[idx] = np.round(res.x)
    return x


def max_weight_b_matching(
    n_left: int,
    n_right: int,
    left: IntArray,
    right: IntArray,
    weight: FloatArray,
    left_cap: IntArray,
    right_cap: IntArray,
    right_min: IntArray,
) -> BMatching | None:
    """An optimal b-matching by min-cost flow; None when the minimums cannot be met.

    Falls back to :func:`lp_b_matching` when OR-Tools is missing or refuses
    the cost range. ``reduced_cost`` is None on the flow path.
    """
    if (right_min > right_cap).any():
        return None
    scale = COST_SCALE
    while scale >= 10**6:
        outcome = _min_cost_flow(
            n_left, n_right, left, right, weight, left_cap, right_cap, right_min, scale
        )
        if isinstance(outcome, np.ndarray):
            return _certify(weight, left_cap, right_cap, outcome, scale)
        if outcome == "infeasible":
            return None
        if outcome != "cost range":
            break
        scale //= 1000
    return lp_b_matching(n_left, n_right, left, right, weight, left_cap, right_cap, right_min)


def _certify(
    weight: FloatArray, left_cap: IntArray, right_cap: IntArray, chosen: BoolArray, scale: int
) -> BMatching:
    """Bound from the rounding: OPT <= value + (|M| + max |M*|) * delta.

    The flow is optimal for w' = round(w * scale) / scale, and |w - w'| <=
    delta on every edge, so for any b-matching M*:
    w(M*) <= w'(M*) + |M*| delta <= w'(M) + |M*| delta <= w(M) + (|M| + |M*|) delta.
    delta includes a few ulps for the float arithmetic that computes it.
    """
    rounded = np.round(weight * scale) / scale
    delta = (float(np.abs(weight - rounded).max()) if len(weight) else 0.0) + 2.0**-50
    largest = min(int(left_cap.sum()), int(right_cap.sum()), len(weight))
    value = math.fsum(weight[chosen].tolist())
    return BMatching(
        chosen=chosen,
        value=value,
        bound=value + (int(chosen.sum()) + largest) * delta,
        reduced_cost=None,
    )


def _min_cost_flow(
    n_left: int,
    n_right: int,
    left: IntArray,
    right: IntArray,
    weight: FloatArray,
    left_cap: IntArray,
    right_cap: IntArray,
    right_min: IntArray,
    scale: int,
) -> BoolArray | str:
    """OR-Tools' min-cost circulation; the chosen edges, or a status word."""
    try:
        from ortools.graph.python import min_cost_flow
    except ImportError:  # pragma: no cover - ortools is a dependency
        return "missing"
    n_edges = len(weight)
    src, snk = n_left + n_right, n_left + n_right + 1
    lefts = np.arange(n_left, dtype=np.int64)
    rights = n_left + np.arange(n_right, dtype=np.int64)
    tails = np.concatenate([left, np.full(n_left, src), rights, [snk]])
    heads = np.concatenate([n_left + right, lefts, np.full(n_right, snk), [src]])
    capacities = np.concatenate(
        [np.ones(n_edges, dtype=np.int64), left_cap, right_cap - right_min, [left_cap.sum() + 1]]
    )
    costs = np.concatenate(
        [-np.round(weight * scale).astype(np.int64), np.zeros(n_left + n_right + 1, np.int64)]
    )
    # A company's minimum is a lower bound on its sink arc: send it up front.
    supplies = np.zeros(n_left + n_right + 2, dtype=np.int64)
    supplies[rights] = -right_min
    supplies[snk] = right_min.sum()
    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        capacities.astype(np.int64),
        costs.astype(np.int64),
    )
    solver.set_nodes_supplies(np.arange(n_left + n_right + 2, dtype=np.int32), supplies)
    status = solver.solve()
    if status == solver.OPTIMAL:
        flows = np.asarray(solver.flows(np.asarray(arcs)[:n_edges]), dtype=np.int64)
        chosen: BoolArray = flows > 0
        return chosen
    if status == solver.INFEASIBLE:
        return "infeasible"
    if status == solver.BAD_COST_RANGE:
        return "cost range"
    return "failed"  # pragma: no cover - unexpected solver status
