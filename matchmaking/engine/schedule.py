"""The optimal 1:1 meeting schedule after the pitches.

A schedule is a set of (investor, company, slot) meetings: each pair meets at
most once, nobody is in two meetings in one slot, nobody meets in a slot they
are unavailable, every ``max_meetings`` and ``min_meetings`` holds, and only
pairs listed in ``affinity`` and not in ``conflicts`` meet. Among those the
engine maximises the sum of the affinities of the pairs that meet.

Method (see docs/engine-schedule.md):

1. **Relaxation.** Forget the slots, keep the degree caps
   ``min(max_meetings, available slots)``, the companies' minimums, and only
   the pairs that share an available slot. What is left is a bipartite
   b-matching, a min-cost flow: :func:`matchmaking.engine.flow.max_weight_b_matching`
   solves it exactly (OR-Tools, costs scaled by 10^12, the rounding error
   bounded and added to the bound) and its value bounds every schedule.
2. **Slots.** Give the chosen pairs slots by bipartite edge colouring. With
   nobody unavailable, König's theorem guarantees this works (maximum degree
   <= slots), so the relaxation's optimum *is* the optimum. With
   unavailability, a list-colouring heuristic and then an exact small MILP
   (only the chosen pairs) try to place them; if they fit, we are optimal.
3. **Exact stage.** Otherwise the LP duals of the relaxation price every
   pair; the pairs placed so far are extended greedily, the neighbourhood of
   the pairs that found no slot is re-optimised by a small MILP, and MILP
   rounds over (pair, slot) variables that exist only where both people are
   available, shrunk by reduced-cost fixing against the best schedule known,
   run in HiGHS within the time limit. The bound reported is the smallest
   proven: the relaxation's, or the MILP's together with what the pairs left
   out could be worth.

Affinity-0 pairs add nothing: they are only considered for companies with a
minimum, and a 0-affinity meeting that the minimum does not need is dropped.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from operator import itemgetter

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import maximum_bipartite_matching

from matchmaking.engine.colouring import konig_colouring, list_colouring
from matchmaking.engine.errors import InfeasibleError, Rule, Violation, ViolationKind
from matchmaking.engine.flow import BMatching, LPTimeout, lp_b_matching, max_weight_b_matching
from matchmaking.engine.validate import (
    MAX_SCHEDULE_SLOTS,
    Id,
    check_id,
    check_int,
    check_pairs,
    check_unique_ids,
    fail,
)

__all__ = [
    "Meeting",
    "SchedulePerson",
    "ScheduleProblem",
    "ScheduleResult",
    "check_schedule",
    "solve_schedule",
]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: ``optimal`` means ``bound - value <= OPTIMALITY_TOLERANCE``.
OPTIMALITY_TOLERANCE = 1e-6
#: Margin kept by reduced-cost fixing, far above float noise in the duals.
_FIXING_MARGIN = 1e-7
#: HiGHS' relative gap; its absolute gap (1e-6) is what usually stops it.
_MIP_REL_GAP = 1e-9
#: Variables (pair, slot) in the first exact MILP round; each round has 4x more.
_FIRST_ROUND_VARIABLES = 20_000
#: No exact round models more (pair, slot) variables than this.
_MAX_ROUND_VARIABLES = 320_000
#: Beyond this many variables a time-limited MILP runs without HiGHS' presolve.
_PRESOLVE_MAX_VARIABLES = 30_000


@dataclass(frozen=True)
class SchedulePerson:
    """An investor or a company taking part in the meetings."""

    id: Id
    max_meetings: int
    min_meetings: int = 0  # companies only
    unavailable: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ScheduleProblem:
    """The input of :func:`solve_schedule`.

    It checks itself on construction with the command line's checks
    (``docs/engine-io.md``, "schedule"), raising :class:`EngineInputError`
    naming the field.
    """

    slots: int
    investors: tuple[SchedulePerson, ...]
    companies: tuple[SchedulePerson, ...]
    affinity: dict[tuple[Id, Id], float]  # (investor, company) -> [0, 1]
    conflicts: frozenset[tuple[Id, Id]] = frozenset()  # (investor, company)

    def __post_init__(self) -> None:
        check_int(self.slots, "slots", 1, MAX_SCHEDULE_SLOTS)
        for side, people in (("investors", self.investors), ("companies", self.companies)):
            for k, person in enumerate(people):
                at = f"{side}[{k}]"
                if side == "investors" and person.min_meetings:
                    fail(f"{at}.min_meetings", "unknown key; min_meetings is for companies only")
                busy = sorted(person.unavailable)
                for slot in busy:
                    check_int(slot, f"{at}.unavailable", 0, self.slots - 1)
                check_id(person.id, f"{at}.id")
                check_int(person.max_meetings, f"{at}.max_meetings", 0)
                check_int(person.min_meetings, f"{at}.min_meetings", 0)
            check_unique_ids(side, [p.id for p in people])
        investors = {p.id for p in self.investors}
        companies = {p.id for p in self.companies}
        roles, declared = ("investor", "company"), (investors, companies)
        check_pairs(self.affinity, "affinity", roles, declared, list(self.affinity.values()))
        check_pairs(self.conflicts, "conflicts", roles, declared)


@dataclass(frozen=True)
class Meeting:
    """One 1:1 meeting."""

    investor: Id
    company: Id
    slot: int


@dataclass(frozen=True)
class ScheduleResult:
    """A feasible schedule, its value and a proven upper bound on the best value."""

    meetings: list[Meeting]  # sorted by slot, then investor, then company
    value: float
    bound: float
    optimal: bool


@dataclass(frozen=True)
class _Instance:
    """The problem in index form: ids sorted, only usable pairs kept."""

    slots: int
    inv_ids: list[Id]
    comp_ids: list[Id]
    inv_avail: BoolArray  # (investors, slots)
    comp_avail: BoolArray  # (companies, slots)
    inv_cap: IntArray  # min(max_meetings, available slots), >= 0
    comp_cap: IntArray
    comp_min: IntArray
    inv: IntArray  # edges: investor index, sorted by (investor, company)
    comp: IntArray  # edges: company index
    weight: FloatArray  # edges: affinity
    any_unavailable: bool


# --------------------------------------------------------------------------
# Building the instance, diagnosing impossible minimums
# --------------------------------------------------------------------------


def _availability(people: list[SchedulePerson], slots: int) -> BoolArray:
    avail = np.ones((len(people), slots), dtype=np.bool_)
    for row, person in enumerate(people):
        for s in person.unavailable:
            if 0 <= s < slots:
                avail[row, s] = False
    return avail


def _pairs(
    problem: ScheduleProblem, inv_index: dict[Id, int], comp_index: dict[Id, int]
) -> tuple[IntArray, IntArray, FloatArray]:
    """Allowed pairs as index arrays sorted by (investor, company); conflicts removed."""
    n = len(problem.affinity)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64)
    # map/itemgetter keep the per-pair work in C (zip(*keys) is 10x slower).
    keys = problem.affinity.keys()
    inv = np.fromiter(map(inv_index.__getitem__, map(itemgetter(0), keys)), np.int64, count=n)
    comp = np.fromiter(map(comp_index.__getitem__, map(itemgetter(1), keys)), np.int64, count=n)
    weight = np.fromiter(problem.affinity.values(), dtype=np.float64, count=n)
    n_comp = max(len(comp_index), 1)
    code = inv * n_comp + comp
    if problem.conflicts:
        banned = np.array(
            [
                inv_index[i] * n_comp + comp_index[c]
                for i, c in problem.conflicts
                if i in inv_index and c in comp_index
            ],
            dtype=np.int64,
        )
        allowed = ~np.isin(code, banned)
        inv, comp, weight, code = inv[allowed], comp[allowed], weight[allowed], code[allowed]
    order = np.argsort(code, kind="stable")
    return inv[order], comp[order], np.clip(weight[order], 0.0, None)


def _build(problem: ScheduleProblem) -> _Instance:
    slots = max(problem.slots, 0)
    investors = sorted(problem.investors, key=lambda p: p.id)
    companies = sorted(problem.companies, key=lambda p: p.id)
    inv_index = {p.id: i for i, p in enumerate(investors)}
    comp_index = {p.id: c for c, p in enumerate(companies)}
    inv_avail = _availability(investors, slots)
    comp_avail = _availability(companies, slots)
    inv_cap = np.array(
        [
            max(0, min(p.max_meetings, int(n)))
            for p, n in zip(investors, inv_avail.sum(1), strict=True)
        ],
        dtype=np.int64,
    )
    comp_cap = np.array(
        [
            max(0, min(p.max_meetings, int(n)))
            for p, n in zip(companies, comp_avail.sum(1), strict=True)
        ],
        dtype=np.int64,
    )
    comp_min = np.array([max(0, p.min_meetings) for p in companies], dtype=np.int64)
    inv, comp, weight = _pairs(problem, inv_index, comp_index)
    # Affinity 0 adds nothing: such pairs matter only to a company's minimum.
    keep = (weight > 0.0) | (comp_min[comp] > 0)
    if len(weight):
        keep &= (
            (inv_avail[inv] & comp_avail[comp]).any(axis=1)
            & (inv_cap[inv] > 0)
            & (comp_cap[comp] > 0)
        )
    inv, comp, weight = inv[keep], comp[keep], weight[keep]
    return _Instance(
        slots=slots,
        inv_ids=[p.id for p in investors],
        comp_ids=[p.id for p in companies],
        inv_avail=inv_avail,
        comp_avail=comp_avail,
        inv_cap=inv_cap,
        comp_cap=comp_cap,
        comp_min=comp_min,
        inv=inv,
        comp=comp,
        weight=weight,
        any_unavailable=bool((~inv_avail).any() or (~comp_avail).any()),
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def check_schedule(problem: ScheduleProblem) -> list[Violation]:
    """Every company whose ``min_meetings`` no schedule can give it, even alone
    (empty: each company could get its minimum on its own).

    Per company, in id order, the first of these it fails: its minimum over
    its ``max_meetings`` (``minimum_over_maximum``), over the slots it is
    available in (``too_few_slots``), over the investors it may meet
    (``too_few_investors``: pairs in ``affinity``, not in ``conflicts``, with
    an investor who can have meetings and shares an available slot with it),
    over how many of those fit into slots where both are available (a
    bipartite matching: ``too_few_shared_slots``). Whether the minimums hold
    *together* is found only by solving: :func:`solve_schedule` raises
    :class:`InfeasibleError` with this list first, then with
    ``minimums_together``.
    """
    return _minimum_violations(problem, _build(problem))


def _minimum_violations(problem: ScheduleProblem, inst: _Instance) -> list[Violation]:
    out: list[Violation] = []
    companies = sorted(problem.companies, key=lambda p: p.id)
    for c, person in enumerate(companies):
        need = int(inst.comp_min[c])
        if need == 0:
            continue
        violation = _company_violation(inst, c, person, need)
        if violation is not None:
            out.append(violation)
    return out


def _company_violation(
    inst: _Instance, c: int, person: SchedulePerson, need: int
) -> Violation | None:
    """The first check company ``c`` fails alone (see :func:`check_schedule`)."""

    def short(kind: ViolationKind, available: int, rules: tuple[Rule, ...]) -> Violation:
        return Violation(
            kind, needed=need, available=available, companies=(person.id,), rules=rules
        )

    if need > person.max_meetings:
        return short(
            ViolationKind.MINIMUM_OVER_MAXIMUM,
            person.max_meetings,
            (Rule.MIN_MEETINGS, Rule.MAX_MEETINGS),
        )
    n_avail = int(inst.comp_avail[c].sum())
    if need > n_avail:
        return short(ViolationKind.TOO_FEW_SLOTS, n_avail, (Rule.MIN_MEETINGS, Rule.UNAVAILABLE))
    mine = np.nonzero(inst.comp == c)[0]
    if need > len(mine):
        return short(ViolationKind.TOO_FEW_INVESTORS, len(mine), (Rule.MIN_MEETINGS,))
    # How many of its meetings fit at all: a matching between those
    # investors and its slots where both are available.
    grid = inst.inv_avail[inst.inv[mine]] & inst.comp_avail[c][None, :]
    fit = int(
        (
            maximum_bipartite_matching(sp.csr_matrix(grid.astype(np.int8)), perm_type="column") >= 0
        ).sum()
    )
    if need > fit:
        return short(ViolationKind.TOO_FEW_SHARED_SLOTS, fit, (Rule.MIN_MEETINGS, Rule.UNAVAILABLE))
    return None


def _minimum_message(v: Violation) -> str:
    """The command line's one line for a company's minimum (``docs/engine-schedule.md``)."""
    head = f'company "{v.companies[0]}" needs {_plural(v.needed, "meeting")}'
    if v.kind is ViolationKind.MINIMUM_OVER_MAXIMUM:
        return f"{head} but its max_meetings is {v.available}"
    if v.kind is ViolationKind.TOO_FEW_SLOTS:
        return f"{head} but is available in only {_plural(v.available, 'slot')}"
    if v.kind is ViolationKind.TOO_FEW_INVESTORS:
        return f"{head} but has only {_plural(v.available, 'investor')} it may meet"
    return (
        f"{head} but only {v.available} can be placed in slots where it and the "
        "investors it may meet are all available"
    )


# --------------------------------------------------------------------------
# Schedules in index form: edge index -> slot (or -1)
# --------------------------------------------------------------------------


def _value(inst: _Instance, slot_of: IntArray) -> float:
    return math.fsum(inst.weight[slot_of >= 0].tolist())


def _is_feasible(inst: _Instance, slot_of: IntArray) -> bool:
    """Independent check of every rule for an assignment edge -> slot (-1 = no meeting)."""
    on = np.nonzero(slot_of >= 0)[0]
    s = slot_of[on]
    if len(on) and (s >= inst.slots).any():
        return False
    i, c = inst.inv[on], inst.comp[on]
    if not (inst.inv_avail[i, s].all() and inst.comp_avail[c, s].all()):
        return False
    if len(set(zip(i.tolist(), s.tolist(), strict=True))) != len(on):
        return False
    if len(set(zip(c.tolist(), s.tolist(), strict=True))) != len(on):
        return False
    deg_i = np.bincount(i, minlength=len(inst.inv_ids))
    deg_c = np.bincount(c, minlength=len(inst.comp_ids))
    return bool(
        (deg_i <= inst.inv_cap).all()
        and (deg_c <= inst.comp_cap).all()
        and (deg_c >= inst.comp_min).all()
    )


def _meets_minimums(inst: _Instance, slot_of: IntArray) -> bool:
    deg_c = np.bincount(inst.comp[slot_of >= 0], minlength=len(inst.comp_ids))
    return bool((deg_c >= inst.comp_min).all())


def _colour_chosen(inst: _Instance, chosen: BoolArray) -> IntArray:
    """Slots for the chosen edges by list colouring (-1 where it failed)."""
    idx = np.nonzero(chosen)[0]
    n_inv = len(inst.inv_ids)
    edges = list(zip(inst.inv[idx].tolist(), (n_inv + inst.comp[idx]).tolist(), strict=True))
    slot_of = np.full(len(inst.weight), -1, dtype=np.int64)
    if not len(idx):
        return slot_of
    if not inst.any_unavailable:
        colours = konig_colouring(n_inv + len(inst.comp_ids), edges, inst.slots)
    else:
        avail = inst.inv_avail.tolist() + inst.comp_avail.tolist()
        colours = list_colouring(n_inv + len(inst.comp_ids), edges, inst.slots, avail)
    slot_of[idx] = np.array(colours, dtype=np.int64)
    return slot_of


def _greedy_extend(inst: _Instance, slot_of: IntArray, rc: FloatArray) -> IntArray:
    """Add meetings greedily (best reduced cost, then weight) wherever they fit."""
    out = slot_of.copy()
    n_inv = len(inst.inv_ids)
    busy_i = np.zeros((n_inv, inst.slots), dtype=np.bool_)
    busy_c = np.zeros((len(inst.comp_ids), inst.slots), dtype=np.bool_)
    on = out >= 0
    busy_i[inst.inv[on], out[on]] = True
    busy_c[inst.comp[on], out[on]] = True
    deg_i = np.bincount(inst.inv[on], minlength=n_inv)
    deg_c = np.bincount(inst.comp[on], minlength=len(inst.comp_ids))
    candidates = [
        e for e in np.lexsort((-inst.weight, -rc)).tolist() if out[e] < 0 and inst.weight[e] > 0
    ]
    for e in candidates:
        i, c = int(inst.inv[e]), int(inst.comp[e])
        if deg_i[i] >= inst.inv_cap[i] or deg_c[c] >= inst.comp_cap[c]:
            continue
        free = inst.inv_avail[i] & inst.comp_avail[c] & ~busy_i[i] & ~busy_c[c]
        if not free.any():
            continue
        s = int(np.argmax(free))
        out[e] = s
        busy_i[i, s] = busy_c[c, s] = True
        deg_i[i] += 1
        deg_c[c] += 1
    return out


def _prune_zero_meetings(inst: _Instance, slot_of: IntArray) -> IntArray:
    """Drop 0-affinity meetings that no minimum needs (they add nothing)."""
    out = slot_of.copy()
    deg_c = np.bincount(inst.comp[out >= 0], minlength=len(inst.comp_ids))
    zero = np.nonzero((out >= 0) & (inst.weight <= 0.0))[0]
    # Deterministic: latest slot first, then last edge first.
    for e in sorted(zero.tolist(), key=lambda e: (-int(out[e]), -e)):
        c = int(inst.comp[e])
        if deg_c[c] > inst.comp_min[c]:
            out[e] = -1
            deg_c[c] -= 1
    return out


# --------------------------------------------------------------------------
# The exact MILP over (pair, slot) variables
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _MilpOutcome:
    slot_of: IntArray | None  # best schedule found, if any
    bound: float | None  # proven bound over the modelled space, if any
    infeasible: bool


def _solve_milp(
    inst: _Instance,
    edges: IntArray,
    *,
    forced: BoolArray | None,
    time_limit: float | None,
    objective: bool = True,
    fixed: IntArray | None = None,
) -> _MilpOutcome:
    """Maximise over y[e, s] for the given edges and slots where both are available.

    ``fixed`` (edge -> slot, -1 = none) holds meetings kept as they are: their
    slots are taken and their meetings count towards caps and minimums; the
    schedule returned includes them. ``edges`` must not meet in ``fixed``.
    """
    n_inv, n_comp, slots = len(inst.inv_ids), len(inst.comp_ids), inst.slots
    base = np.full(len(inst.weight), -1, dtype=np.int64) if fixed is None else fixed
    on = base >= 0
    busy_i = np.zeros((n_inv, slots), dtype=np.bool_)
    busy_c = np.zeros((n_comp, slots), dtype=np.bool_)
    busy_i[inst.inv[on], base[on]] = True
    busy_c[inst.comp[on], base[on]] = True
    used_i = np.bincount(inst.inv[on], minlength=n_inv)
    used_c = np.bincount(inst.comp[on], minlength=n_comp)
    ok = (
        inst.inv_avail[inst.inv[edges]]
        & inst.comp_avail[inst.comp[edges]]
        & ~busy_i[inst.inv[edges]]
        & ~busy_c[inst.comp[edges]]
    )
    local, s = np.nonzero(ok)
    e = edges[local]
    n = len(e)
    n_edges = len(edges)
    if n == 0:
        if _meets_minimums(inst, base) and (forced is None or not forced.any()):
            return _MilpOutcome(base.copy(), _value(inst, base), False)
        return _MilpOutcome(None, None, True)
    i, c = inst.inv[e], inst.comp[e]
    cols = np.arange(n)
    blocks = [
        (local, n_edges),  # each pair at most once
        (i * slots + s, n_inv * slots),  # investor in one meeting per slot
        (c * slots + s, n_comp * slots),  # company in one meeting per slot
        (i, n_inv),  # investor cap
        (c, n_comp),  # company cap and minimum
    ]
    rows: list[IntArray] = []
    offset = 0
    for r, size in blocks:
        rows.append(r + offset)
        offset += size
    a = sp.csr_matrix(
        (np.ones(len(blocks) * n), (np.concatenate(rows), np.tile(cols, len(blocks)))),
        shape=(offset, n),
    )
    pair_lb = np.zeros(n_edges) if forced is None else forced.astype(np.float64)
    lb = np.concatenate(
        [
            pair_lb,
            np.zeros(n_inv * slots),
            np.zeros(n_comp * slots),
            np.zeros(n_inv),
            np.maximum(inst.comp_min - used_c, 0),
        ]
    ).astype(np.float64)
    ub = np.concatenate(
        [
            np.ones(n_edges),
            np.ones(n_inv * slots),
            np.ones(n_comp * slots),
            inst.inv_cap - used_i,
            inst.comp_cap - used_c,
        ]
    ).astype(np.float64)
    cost = -inst.weight[e] if objective else np.zeros(n)
    options: dict[str, float | bool] = {"mip_rel_gap": _MIP_REL_GAP, "disp": False}
    if time_limit is not None:
        options["time_limit"] = max(time_limit, 0.01)
        # HiGHS' MIP presolve (probing on these set-packing rows) does not
        # look at the clock: on large models it alone can overrun the limit.
        options["presolve"] = n <= _PRESOLVE_MAX_VARIABLES
    res = milp(
        cost,
        integrality=np.ones(n),
        bounds=Bounds(0.0, 1.0),
        constraints=LinearConstraint(a, lb, ub),
        options=options,
    )
    if res.status == 2:
        return _MilpOutcome(None, None, True)
    slot_of: IntArray | None = None
    if res.x is not None:
        pick = np.asarray(res.x) > 0.5
        candidate = base.copy()
        candidate[e[pick]] = s[pick]
        if _is_feasible(inst, candidate):
            slot_of = candidate
    bound: float | None = None
    dual = getattr(res, "mip_dual_bound", None)
    if objective and dual is not None and math.isfinite(float(dual)):
        bound = -float(dual) + _value(inst, base)
    return _MilpOutcome(slot_of, bound, False)


# --------------------------------------------------------------------------
# The solver
# --------------------------------------------------------------------------


def _result(inst: _Instance, slot_of: IntArray, bound: float) -> ScheduleResult:
    slot_of = _prune_zero_meetings(inst, slot_of)
    if not _is_feasible(inst, slot_of):  # pragma: no cover - guarded upstream
        raise RuntimeError("internal error: the schedule found is not feasible")
    on = np.nonzero(slot_of >= 0)[0]
    # Ids are sorted, so index order is id order: sort by slot, investor, company.
    on = on[np.lexsort((inst.comp[on], inst.inv[on], slot_of[on]))]
    meetings = [
        Meeting(investor=inst.inv_ids[i], company=inst.comp_ids[c], slot=s)
        for i, c, s in zip(
            inst.inv[on].tolist(), inst.comp[on].tolist(), slot_of[on].tolist(), strict=True
        )
    ]
    value = _value(inst, slot_of)
    bound = max(bound, value)
    return ScheduleResult(
        meetings=meetings,
        value=value,
        bound=bound,
        optimal=bound - value <= OPTIMALITY_TOLERANCE,
    )


_TOGETHER = (
    "the companies' min_meetings cannot all be met together: the investors "
    "they may meet do not have enough meetings to go round"
)


_TOGETHER_IN_SLOTS = (
    "the companies' min_meetings cannot all be met together in the slots "
    "where the people are available"
)


def _together(inst: _Instance, rules: tuple[Rule, ...]) -> Violation:
    """The minimums cannot all be met together: the companies with one, their sum."""
    ids = tuple(inst.comp_ids[c] for c in np.flatnonzero(inst.comp_min > 0))
    return Violation(
        ViolationKind.MINIMUMS_TOGETHER,
        needed=int(inst.comp_min.sum()),
        available=int(inst.inv_cap.sum()),
        companies=ids,
        rules=rules,
    )


def _relax(inst: _Instance) -> BMatching:
    bm = max_weight_b_matching(
        len(inst.inv_ids),
        len(inst.comp_ids),
        inst.inv,
        inst.comp,
        inst.weight,
        inst.inv_cap,
        inst.comp_cap,
        inst.comp_min,
    )
    if bm is None:
        raise InfeasibleError(_TOGETHER, [_together(inst, (Rule.MIN_MEETINGS,))])
    return bm


@dataclass(frozen=True)
class _Priced:
    """The relaxation with LP duals: what the exact stage ranks pairs by."""

    chosen: BoolArray  # the relaxation's pairs (from the flow)
    bound: float  # best proven bound on every schedule
    dual_bound: float  # D: a schedule that holds pair e is worth at most D + rc[e]
    rc: FloatArray  # reduced cost of every pair


def _price(inst: _Instance, bm: BMatching, deadline: float) -> _Priced:
    """LP duals for the exact stage; trivial ones (rc = 0, D = bound) if time runs out.

    Zero reduced costs with D = the flow's bound are valid duals too (every
    schedule is worth at most D): they only rank nothing and fix nothing.
    """
    try:
        lp = lp_b_matching(
            len(inst.inv_ids),
            len(inst.comp_ids),
            inst.inv,
            inst.comp,
            inst.weight,
            inst.inv_cap,
            inst.comp_cap,
            inst.comp_min,
            deadline=deadline,
        )
    except LPTimeout:
        lp = None
    if lp is None or lp.reduced_cost is None:
        return _Priced(bm.chosen, bm.bound, bm.bound, np.zeros(len(inst.weight)))
    return _Priced(bm.chosen, min(bm.bound, lp.bound), lp.bound, lp.reduced_cost)


def solve_schedule(problem: ScheduleProblem, *, time_limit: float = 30.0) -> ScheduleResult:
    """The schedule of greatest total affinity, with a proven bound.

    Raises InfeasibleError when the companies' ``min_meetings`` cannot all be
    met: with :func:`check_schedule`'s list when some company cannot get its
    minimum even alone, else with one ``minimums_together`` violation. ``time_limit`` (seconds) bounds the exact MILP stage; when it runs
    out, the best schedule found is returned with an honest bound and
    ``optimal`` false. The one exception: with both minimums and
    unavailability, if no schedule meeting the minimums is known when time
    runs out, the search for a first one continues until it succeeds or
    proves that none exists.
    """
    deadline = time.monotonic() + time_limit
    inst = _build(problem)
    violations = _minimum_violations(problem, inst)
    if violations:
        raise InfeasibleError(_minimum_message(violations[0]), violations)
    bm = _relax(inst)

    # Slots for the relaxation's pairs: König (always succeeds without
    # unavailability), else list colouring, else an exact colouring MILP.
    slot_of = _colour_chosen(inst, bm.chosen)
    if (slot_of[bm.chosen] >= 0).all():
        return _result(inst, slot_of, bm.bound)
    chosen_edges = np.nonzero(bm.chosen)[0]
    exact = _solve_milp(
        inst,
        chosen_edges,
        forced=np.ones(len(chosen_edges), dtype=np.bool_),
        time_limit=deadline - time.monotonic(),
        objective=False,
    )
    if exact.slot_of is not None:
        return _result(inst, exact.slot_of, bm.bound)

    # The relaxation's pairs do not fit into the slots. Best known schedule:
    # the placed part of them, extended greedily (if it meets the minimums).
    # The exact stage ranks pairs by their LP reduced costs.
    priced = _price(inst, bm, deadline)
    greedy = _greedy_extend(inst, slot_of, priced.rc)
    best = greedy if _meets_minimums(inst, greedy) else None
    if best is not None:
        best = _repair(inst, priced, slot_of, best, deadline)
    return _exact_stage(inst, priced, best, deadline)


def _repair(
    inst: _Instance, priced: _Priced, placed: IntArray, best: IntArray, deadline: float
) -> IntArray:
    """Re-optimise around the relaxation's pairs that found no slot.

    Every meeting of the people those pairs join is released and re-planned by
    a MILP over their pairs (best reduced cost first, within the first round's
    size), the rest of ``best`` staying as it is. ``best`` is a solution of
    that MILP, so the result is never worse. It improves the schedule, not
    the bound, but a better schedule lets reduced-cost fixing shrink the exact
    rounds that follow (on the benchmark, from ~60 % of the pairs to ~20 %).
    """
    unplaced = priced.chosen & (placed < 0)
    near_i = np.zeros(len(inst.inv_ids), dtype=np.bool_)
    near_c = np.zeros(len(inst.comp_ids), dtype=np.bool_)
    near_i[inst.inv[unplaced]] = True
    near_c[inst.comp[unplaced]] = True
    touch = near_i[inst.inv] | near_c[inst.comp]
    fixed = best.copy()
    fixed[touch] = -1
    must = touch & (priced.chosen | (best >= 0))
    rest = np.nonzero(touch & ~must)[0]
    rest = rest[np.lexsort((rest, -priced.rc[rest]))]
    per_edge = (inst.inv_avail[inst.inv] & inst.comp_avail[inst.comp]).sum(axis=1)
    room = _FIRST_ROUND_VARIABLES - int(per_edge[must].sum())
    n_rest = int(np.searchsorted(np.cumsum(per_edge[rest]), room, side="right"))
    edges = np.sort(np.concatenate([np.nonzero(must)[0], rest[:n_rest]]))
    outcome = _solve_milp(
        inst,
        edges,
        forced=None,
        time_limit=(deadline - time.monotonic()) / 2,
        fixed=fixed,
    )
    if outcome.slot_of is not None and _value(inst, outcome.slot_of) > _value(inst, best):
        return outcome.slot_of
    return best


def _exact_stage(
    inst: _Instance, priced: _Priced, best: IntArray | None, deadline: float
) -> ScheduleResult:
    """MILP rounds on growing sets of pairs, ranked by reduced cost.

    With D the relaxation's bound and rc_e the reduced cost of pair e, every
    schedule that holds pair e is worth at most D + rc_e (weak duality). So a
    MILP over the pairs with rc_e >= r is exact for all schedules worth more
    than D + (best rc left out), and nothing outside is worth more than that:
    the bound of a round is max(MILP bound, D + best rc left out, best known).
    The relaxation's pairs and the best schedule's are always modelled; pairs
    that cannot be in a schedule better than the best known never are
    (reduced-cost fixing), and pairs whose absence would cost more than the
    gap are forced in. Each round models up to 4x more variables, until the
    bound meets the best schedule, the model is complete, or the next round
    would not fit in the time left.
    """
    rc = priced.rc
    dual = priced.dual_bound
    n_edges = len(rc)
    per_edge = (inst.inv_avail[inst.inv] & inst.comp_avail[inst.comp]).sum(axis=1)
    # Always modelled: the relaxation's pairs and the best schedule's pairs.
    must = priced.chosen.copy()
    if best is not None:
        must |= best >= 0
    rest = np.nonzero(~must)[0]
    rest = rest[np.lexsort((rest, -rc[rest]))]  # best reduced cost first, ties by pair
    rest_vars = np.cumsum(per_edge[rest])
    must_vars = int(per_edge[must].sum())
    bound = priced.bound
    budget = max(_FIRST_ROUND_VARIABLES, 2 * must_vars)
    while True:
        started = time.monotonic()
        best_value = _value(inst, best) if best is not None else -math.inf
        gap = dual - best_value  # fixing rests on D, not on a bound found later
        n_rest = int(np.searchsorted(rest_vars, budget - must_vars, side="right"))
        if best is not None:  # nothing below -gap can be in a better schedule
            n_rest = min(n_rest, int((rc[rest] >= -(gap + _FIXING_MARGIN)).sum()))
        complete = n_rest >= len(rest)
        outside = -math.inf if complete else dual + float(rc[rest[n_rest]])
        edges = np.sort(np.concatenate([np.nonzero(must)[0], rest[:n_rest]]))
        forced = (rc[edges] > gap + _FIXING_MARGIN) if best is not None else None
        outcome = _solve_milp(inst, edges, forced=forced, time_limit=deadline - started)
        if outcome.slot_of is not None and (
            best is None or _value(inst, outcome.slot_of) > best_value
        ):
            best = outcome.slot_of
            best_value = _value(inst, best)
        if outcome.infeasible:
            inside = -math.inf
        elif outcome.bound is not None:
            inside = outcome.bound
        else:
            inside = bound
        bound = min(bound, max(inside, outside, best_value))
        if best is None and outcome.infeasible and complete:
            raise InfeasibleError(
                _TOGETHER_IN_SLOTS, [_together(inst, (Rule.MIN_MEETINGS, Rule.UNAVAILABLE))]
            )
        if best is not None and bound - best_value <= OPTIMALITY_TOLERANCE:
            break
        now = time.monotonic()
        # Stop when complete, or when a 4x larger round would not fit in the time left.
        if complete or budget >= _MAX_ROUND_VARIABLES or 8 * (now - started) > deadline - now:
            break
        budget *= 4
    if best is None:
        # Minimums and unavailability, time is up, no schedule known yet:
        # find a first one (or prove there is none), however long it takes.
        first = _solve_milp(inst, np.arange(n_edges), forced=None, time_limit=None, objective=False)
        if first.slot_of is None:
            raise InfeasibleError(
                _TOGETHER_IN_SLOTS, [_together(inst, (Rule.MIN_MEETINGS, Rule.UNAVAILABLE))]
            )
        best = first.slot_of
    return _result(inst, best, bound)
