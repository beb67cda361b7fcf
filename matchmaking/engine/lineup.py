"""Springbrett line-up: choose the pitches that give every attendee a reason to come.

The problem (``docs/engine-io.md``, section "lineup"): choose a set S
of exactly ``k = min(slots, number of candidates not excluded)`` candidates
that holds every constraint (pinned in, excluded out, at least
``min_per_subproject[p]`` from each sub-project p, at most
``max_per_municipality`` from any one municipality) and maximises

    value(S) = sum over attendees i of max over c in S of affinity(i, c)
             + sum over c in S of bonus(c).

This is a maximum-coverage (facility-location) problem with a cardinality
constraint and quotas; it is NP-hard, and its LP relaxation is weak when many
pitches are nearly as good as one another (a 4 % gap on the benchmark
instance), which is why a plain MILP takes minutes to prove optimality. The
solver works in three steps:

1. **Feasibility.** The quotas form a flow network (source -> sub-project ->
   municipality -> sink, one unit per candidate), so whether a partial choice
   can be completed to a valid line-up is a tiny max-flow question. Cheap
   checks name the single constraint at fault; when only a combination is at
   fault, the smallest set of constraint families that cannot hold together
   is named.
2. **Incumbent.** Greedy (largest marginal gain whose choice can still be
   completed), started from the empty set and from each of the best single
   pitches, each followed by best-improvement swap local search.
3. **Proof.** Best-first branch and bound on "candidate c in / out". The bound
   at a node is the Lagrangian relaxation of the attendee assignment
   constraints (multiplier ``u_i`` per attendee) and of the municipality caps
   (multiplier ``w_j`` per municipality):

       value(S) <= f(F) + sum_i u_i + sum_j w_j cap_j
                   + max over completions T of sum_{c in T} rho_c,
       rho_c = bonus_c + sum_i (affinity_ic - best_i(F) - u_i)^+ - w_muni(c),

   valid for *every* u, w >= 0 (F is the set fixed in at the node). The inner
   maximum, with the sub-project minimums kept, is solved exactly by taking
   the best pitches of each short sub-project first, then the best of the
   rest. The multipliers are improved by subgradient steps (Polyak steps
   towards the incumbent: ``ROOT_ITERATIONS`` at the root, then
   ``NODE_ITERATIONS`` per node warm-started from the parent), and the node is
   pruned as soon as any multiplier vector proves it cannot beat the
   incumbent. Each child is bounded when it is created, so the open bounds
   are the children's own. Every ``DIVE_EVERY`` nodes a dive (fix the best
   pick in, re-bound, repeat) looks for a better line-up, and a better
   line-up is polished by swaps. The same multipliers give reduced-cost fixings (a candidate
   whose forced inclusion, or exclusion, already cannot beat the incumbent is
   fixed) and the branching candidate (the pick of the inner maximum whose
   removal costs most). The bound reported when the work budget stops the
   search is the largest bound among the open nodes, so it is always a
   proven upper bound.

Attendees with identical affinity rows are merged (with a weight) and
attendees with no affinity at all are dropped before the search; both change
nothing in the value.

Determinism: everything is computed in a fixed order with ties broken by
candidate id, and there is no randomness. The search does not stop on the
clock: ``time_limit`` is turned into a budget of work units
(``WORK_PER_SECOND`` per second; a unit is about one array element touched,
counted from the instance's sizes), so the same input with the same
``time_limit`` does the same work and gives byte-identical output on every
run, even when the search is cut short (and on another machine too, as
far as numpy's floating-point results are the same there). The wall clock is
only a safety net at ``SAFETY_FACTOR * time_limit + SAFETY_SECONDS``
seconds, far beyond the expected time; only on a machine that much slower
than the benchmark machine could it stop the search first and so make the
output depend on the machine.
"""

from __future__ import annotations

import heapq
import itertools
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .errors import InfeasibleError, Rule, Violation, ViolationKind
from .validate import (
    MAX_BONUS,
    Id,
    check_declared,
    check_id,
    check_id_list,
    check_int,
    check_number,
    check_pairs,
    check_unique_ids,
    fail,
    key_path,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Values and bounds are reported rounded to this many decimals.
DECIMALS = 6
#: ``optimal`` is reported when the proven bound is within this of the value.
OPTIMALITY_TOLERANCE = 1e-6
#: A node is pruned when its bound does not exceed the incumbent by more than this.
PRUNE_TOLERANCE = 1e-7
#: Gains at or below this are treated as no gain (guards against float noise).
GAIN_EPSILON = 1e-12
#: How many best single pitches seed a greedy start (besides the empty start).
GREEDY_STARTS = 24
#: The first subgradient step, as a fraction of the Polyak step towards the incumbent.
FIRST_STEP = 2.0
#: The same at the other nodes (15 steps each, warm-started from the parent).
NODE_STEP = 1.5
#: Subgradient steps at the root, and at every other node.
ROOT_ITERATIONS = 1000
NODE_ITERATIONS = 15
#: Every this many nodes the search dives from the node it expands for a better line-up.
DIVE_EVERY = 50
#: How much work the search may do per second of ``time_limit``. The search stops on
#: this deterministic count, never on the clock, so the same input and time limit give
#: the same output on every run. A work unit is about one array element touched: a
#: subgradient step costs the non-zero affinities it scans plus the sort of the open
#: candidates, and a greedy step or swap pass the whole affinity matrix; each step also
#: costs ``ITERATION_OVERHEAD`` for numpy's per-call overhead. Calibrated so that a
#: search that uses up its budget takes at most about ``time_limit`` seconds on the
#: benchmark machine (2 cores of an AMD EPYC: 4 billion units took 7-9 s there while
#: other jobs shared it at load average 3-4; a busier machine takes longer).
WORK_PER_SECOND = 400_000_000.0
#: Work units charged per step on top of the elements it touches.
ITERATION_OVERHEAD = 20_000.0
#: The wall-clock safety net: the search also stops after
#: ``SAFETY_FACTOR * time_limit + SAFETY_SECONDS`` seconds, far beyond the expected time.
#: Only on a machine that many times slower could this net, and so the machine, decide
#: the output.
SAFETY_FACTOR = 10.0
SAFETY_SECONDS = 10.0


@dataclass(frozen=True)
class LineupCandidate:
    """A pitch that may be chosen for the session."""

    id: Id
    municipality: Id
    subproject: Id | None
    bonus: float = 0.0


@dataclass(frozen=True)
class LineupProblem:
    """A line-up instance (see the module docstring for the model).

    It checks itself on construction with the command line's checks
    (``docs/engine-io.md``, "lineup"), raising :class:`EngineInputError`
    naming the field. Whether its constraints can all hold together is a
    separate question: :func:`check_lineup`.
    """

    slots: int
    attendees: tuple[Id, ...]
    candidates: tuple[LineupCandidate, ...]
    #: (attendee, candidate) -> value in [0, 1]; a missing pair is 0.
    affinity: dict[tuple[Id, Id], float]
    min_per_subproject: dict[Id, int] = field(default_factory=dict)
    max_per_municipality: int | None = None
    pinned: tuple[Id, ...] = ()
    excluded: tuple[Id, ...] = ()

    def __post_init__(self) -> None:
        if not (type(self.slots) is int and self.slots == 0):  # 0: an empty line-up
            check_int(self.slots, "slots", 1)
        check_id_list(self.attendees, "attendees")
        for k, c in enumerate(self.candidates):
            at = f"candidates[{k}]"
            check_id(c.id, f"{at}.id")
            check_id(c.municipality, f"{at}.municipality")
            if c.subproject is not None:
                check_id(c.subproject, f"{at}.subproject")
            check_number(c.bonus, f"{at}.bonus", MAX_BONUS)
        check_unique_ids("candidates", [c.id for c in self.candidates])
        attendees = set(self.attendees)
        cand_ids = {c.id for c in self.candidates}
        check_pairs(
            self.affinity,
            "affinity",
            ("attendee", "candidate"),
            (attendees, cand_ids),
            list(self.affinity.values()),
        )
        for sub, count in self.min_per_subproject.items():
            if isinstance(sub, bool) or not (
                isinstance(sub, int) or (isinstance(sub, str) and sub)
            ):
                fail("min_per_subproject", "a sub-project slug must be a non-empty string")
            check_int(count, key_path("min_per_subproject", sub), 0)
        if self.max_per_municipality is not None:
            check_int(self.max_per_municipality, "max_per_municipality", 1)
        for name in ("pinned", "excluded"):
            ids = getattr(self, name)
            check_id_list(ids, name)
            for k, ident in enumerate(ids):
                check_declared(ident, cand_ids, f"{name}[{k}]", "candidate")


@dataclass(frozen=True)
class LineupResult:
    """The chosen line-up, its value and a proven upper bound on the best value.

    ``lineup`` is in greedy order of marginal contribution: first the pitch
    with the largest value on its own, then the one that adds most to the
    pitches before it, and so on (ties by id); the running sums of these
    gains add up to ``value``.
    """

    lineup: list[Id]
    value: float
    bound: float
    optimal: bool
    best_for: dict[Id, Id | None]


# ---------------------------------------------------------------------------
# Quotas: which partial choices can be completed to a valid line-up.
# ---------------------------------------------------------------------------


class _Quotas:
    """The sub-project minimums and municipality caps over the candidates kept.

    Candidates are grouped by sub-project (one group per sub-project with a
    positive minimum, plus one group for everything else) and by municipality
    (each with an unlimited cap when there is no ``max_per_municipality``).
    A choice of ``seats`` candidates is a flow of ``seats`` units through
    source -> group -> municipality -> sink; the quotas are arc bounds.
    """

    def __init__(self, group: IntArray, group_min: IntArray, muni: IntArray, cap: int | None):
        self.group = group
        self.group_min = group_min
        self.muni = muni
        self.n_groups = int(group_min.shape[0])
        self.n_munis = int(muni.max()) + 1 if muni.size else 1
        self.cap = cap
        self.muni_cap = np.full(self.n_munis, cap if cap is not None else muni.size, np.int64)

    def counts(self, mask: BoolArray) -> tuple[IntArray, IntArray]:
        """Chosen candidates per group and per municipality."""
        g = np.bincount(self.group[mask], minlength=self.n_groups).astype(np.int64)
        m = np.bincount(self.muni[mask], minlength=self.n_munis).astype(np.int64)
        return g, m

    def completable(
        self,
        chosen: BoolArray,
        allowed: BoolArray,
        seats: int,
        *,
        use_min: bool = True,
        use_cap: bool = True,
    ) -> bool:
        """Can ``chosen`` be extended with ``allowed`` candidates to ``seats`` that meet the quotas?"""
        n_chosen = int(chosen.sum())
        rest = seats - n_chosen
        if rest < 0:
            return False
        g_cnt, m_cnt = self.counts(chosen)
        room = self.muni_cap - m_cnt if use_cap else np.full(self.n_munis, seats, np.int64)
        if use_cap and bool((room < 0).any()):
            return False
        need = np.maximum(self.group_min - g_cnt, 0) if use_min else np.zeros_like(g_cnt)
        if int(need.sum()) > rest:
            return False
        free = allowed & ~chosen
        cell = np.zeros((self.n_groups, self.n_munis), np.int64)
        np.add.at(cell, (self.group[free], self.muni[free]), 1)
        return two_phase_flow(cell, need, np.maximum(room, 0), rest)


def two_phase_flow(cell: IntArray, need: IntArray, room: IntArray, seats: int) -> bool:
    """Is there an integer flow of exactly ``seats`` with group totals >= need?

    ``cell[g, j]`` candidates of group g (a sub-project with a minimum, or the
    rest) in municipality j; ``need[g]`` the group's minimum; ``room[j]`` the
    municipality's free places. The web app asks the same question to name the
    rules a line-up cannot meet, so it is public.

    Nodes: 0 source, 1..G groups, G+1..G+J municipalities, G+J+1 sink. Phase one
    routes the minimums (source arcs capped at ``need``); phase two lifts the
    source caps and keeps augmenting. Augmenting paths never reduce the flow
    on a source arc, so phase two keeps the minimums; and a flow larger than
    ``seats`` can be trimmed by removing paths through groups above their
    minimum, because the minimums add up to at most ``seats``.
    """
    n_g, n_m = cell.shape
    n = n_g + n_m + 2
    sink = n - 1
    capm = [[0] * n for _ in range(n)]
    for g in range(n_g):
        capm[0][1 + g] = int(need[g])
        for j in range(n_m):
            capm[1 + g][1 + n_g + j] = int(cell[g, j])
    for j in range(n_m):
        capm[1 + n_g + j][sink] = int(room[j])

    def augment(limit: int) -> int:
        total = 0
        while total < limit:
            parent = [-1] * n
            parent[0] = 0
            queue = [0]
            for v in queue:
                row = capm[v]
                for w in range(n):
                    if parent[w] < 0 and row[w] > 0:
                        parent[w] = v
                        queue.append(w)
                if parent[sink] >= 0:
                    break
            if parent[sink] < 0:
                break
            push = limit - total
            w = sink
            while w != 0:
                push = min(push, capm[parent[w]][w])
                w = parent[w]
            w = sink
            while w != 0:
                capm[parent[w]][w] -= push
                capm[w][parent[w]] += push
                w = parent[w]
            total += push
        return total

    needed = int(need.sum())
    if augment(needed) < needed:
        return False
    for g in range(n_g):
        capm[0][1 + g] += seats
    return needed + augment(seats - needed) >= seats


# ---------------------------------------------------------------------------
# The instance as arrays.
# ---------------------------------------------------------------------------


@dataclass
class _Model:
    ids: list[Id]  # kept candidates (not excluded), sorted by id
    affinity: FloatArray  # distinct non-zero attendee rows x kept candidates
    weight: FloatArray  # how many attendees share each row
    bonus: FloatArray
    pinned: BoolArray
    quotas: _Quotas
    seats: int

    def value(self, mask: BoolArray) -> float:
        best = np.max(self.affinity[:, mask], axis=1, initial=0.0)
        return float(self.weight @ best) + float(self.bonus[mask].sum())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass
class _Setup:
    """What the check and the solver share: the candidates kept and the quotas."""

    kept: list[LineupCandidate]  # not excluded, sorted by id
    seats: int
    pinned_set: set[Id]
    excluded_set: set[Id]
    mins: dict[Id, int]  # the positive minimums, by sub-project id
    munis: list[Id]
    quotas: _Quotas
    pinned: BoolArray  # over kept

    def size_note(self, slots: int) -> str:
        return (
            f"the lineup has {_plural(self.seats, 'seat')} "
            f"(slots {slots}, {len(self.kept)} candidates not excluded)"
        )


def _setup(problem: LineupProblem) -> _Setup:
    pinned_set = set(problem.pinned)
    excluded_set = set(problem.excluded)
    kept = sorted(
        (c for c in problem.candidates if c.id not in excluded_set),
        key=lambda c: c.id,
    )
    seats = max(0, min(problem.slots, len(kept)))
    mins = {p: m for p, m in sorted(problem.min_per_subproject.items()) if m > 0}
    munis: list[Id] = sorted({c.municipality for c in kept})
    group_of = {p: g for g, p in enumerate(mins)}
    other = len(mins)
    group = np.array(
        [group_of.get(c.subproject, other) if c.subproject is not None else other for c in kept],
        dtype=np.int64,
    )
    group_min = np.array([*mins.values(), 0], dtype=np.int64)
    muni_of = {m: j for j, m in enumerate(munis)}
    muni = np.array([muni_of[c.municipality] for c in kept], dtype=np.int64)
    quotas = _Quotas(group, group_min, muni, problem.max_per_municipality)
    pinned = np.array([c.id in pinned_set for c in kept], dtype=np.bool_)
    return _Setup(kept, seats, pinned_set, excluded_set, mins, munis, quotas, pinned)


#: The kinds the solver names in its message before any other (in this order),
#: as it always has; the others are named by the combination they belong to.
_FIRST_NAMED = (
    ViolationKind.PINNED_AND_EXCLUDED,
    ViolationKind.TOO_MANY_PINNED,
    ViolationKind.MINIMUMS_OVER_SEATS,
    ViolationKind.TOO_FEW_CANDIDATES,
    ViolationKind.PINNED_CONFLICT,
    ViolationKind.MUNICIPALITY_CAP,
)


def check_lineup(problem: LineupProblem) -> list[Violation]:
    """Every constraint of ``problem`` that no line-up can meet (empty: one can).

    Each rule alone first: candidates both pinned and excluded, more pins
    than seats, minimums over the seats, a sub-project with too few
    candidates (or too few once the cap per municipality is applied), pins
    over a municipality's cap, a cap that leaves seats empty. Then, only
    when each of these holds: pins that crowd out a minimum, and then any
    combination of pins, minimums and cap that cannot hold together (the
    quota flow), named by its smallest failing part. :func:`solve_lineup`
    raises :class:`InfeasibleError` with this list.
    """
    return _violations(problem, _setup(problem))


def _violations(problem: LineupProblem, st: _Setup) -> list[Violation]:
    out: list[Violation] = []
    both = sorted(st.pinned_set & st.excluded_set)
    if both:
        out.append(
            Violation(
                ViolationKind.PINNED_AND_EXCLUDED,
                candidates=tuple(both),
                rules=(Rule.PINNED, Rule.EXCLUDED),
            )
        )
    seats, cap = st.seats, problem.max_per_municipality
    if len(st.pinned_set) > seats:
        out.append(
            Violation(
                ViolationKind.TOO_MANY_PINNED,
                needed=len(st.pinned_set),
                available=seats,
                candidates=tuple(c for c in problem.pinned),
                rules=(Rule.PINNED,),
            )
        )
    if sum(st.mins.values()) > seats:
        out.append(
            Violation(
                ViolationKind.MINIMUMS_OVER_SEATS,
                needed=sum(st.mins.values()),
                available=seats,
                subprojects=tuple(st.mins),
                shortfall=tuple(st.mins.values()),
                rules=(Rule.MIN_PER_SUBPROJECT,),
            )
        )
    for p, m in st.mins.items():
        have = [c for c in st.kept if c.subproject == p]
        if m > len(have):
            out.append(
                Violation(
                    ViolationKind.TOO_FEW_CANDIDATES,
                    needed=m,
                    available=len(have),
                    subprojects=(p,),
                    candidates=tuple(c.id for c in have),
                    rules=(Rule.MIN_PER_SUBPROJECT,),
                )
            )
        elif cap is not None:
            per_muni: dict[Id, int] = {}
            for c in have:
                per_muni[c.municipality] = per_muni.get(c.municipality, 0) + 1
            reachable = sum(min(cap, n) for n in per_muni.values())
            if m > reachable:
                out.append(
                    Violation(
                        ViolationKind.SUBPROJECT_MINIMUM,
                        needed=m,
                        available=reachable,
                        subprojects=(p,),
                        limit=cap,
                        rules=(Rule.MIN_PER_SUBPROJECT, Rule.MAX_PER_MUNICIPALITY),
                    )
                )
    if cap is not None:
        pinned_per: dict[Id, list[Id]] = {}
        for c in st.kept:
            if c.id in st.pinned_set:
                pinned_per.setdefault(c.municipality, []).append(c.id)
        for mname, ids in sorted(pinned_per.items()):
            if len(ids) > cap:
                out.append(
                    Violation(
                        ViolationKind.PINNED_CONFLICT,
                        needed=len(ids),
                        available=cap,
                        municipalities=(mname,),
                        candidates=tuple(ids),
                        limit=cap,
                        rules=(Rule.PINNED, Rule.MAX_PER_MUNICIPALITY),
                    )
                )
        counts = np.bincount(st.quotas.muni, minlength=len(st.munis)).tolist()
        fill = sum(min(cap, int(n)) for n in counts)
        if fill < seats:
            out.append(
                Violation(
                    ViolationKind.MUNICIPALITY_CAP,
                    needed=seats,
                    available=fill,
                    municipalities=tuple(st.munis),
                    limit=cap,
                    rules=(Rule.MAX_PER_MUNICIPALITY,),
                )
            )
    if out:
        return out
    if st.pinned_set and st.mins:
        free = seats - len(st.pinned_set)
        need = {
            p: max(0, m - sum(1 for c in st.kept if c.id in st.pinned_set and c.subproject == p))
            for p, m in st.mins.items()
        }
        if sum(need.values()) > free:
            short = [(p, n) for p, n in need.items() if n]
            out.append(
                Violation(
                    ViolationKind.PINS_CROWD_MINIMUMS,
                    needed=sum(need.values()),
                    available=free,
                    subprojects=tuple(p for p, _ in short),
                    shortfall=tuple(n for _, n in short),
                    candidates=tuple(problem.pinned),
                    rules=(Rule.PINNED, Rule.MIN_PER_SUBPROJECT),
                )
            )
            return out
    if seats > 0:
        combination = _combination(problem, st)
        if combination is not None:
            out.append(combination)
    return out


def _with_mins(quotas: _Quotas, keep: Sequence[int]) -> _Quotas:
    """The quotas with only the minimums of the groups ``keep``."""
    group_min = np.zeros_like(quotas.group_min)
    for g in keep:
        group_min[g] = quotas.group_min[g]
    return _Quotas(quotas.group, group_min, quotas.muni, quotas.cap)


def _combination(problem: LineupProblem, st: _Setup) -> Violation | None:
    """When the pins, minimums and cap cannot hold together: the smallest
    failing set of rule families, and in detail the smallest failing set of
    sub-project minimums (with the pins only when the minimums and the cap
    alone can hold)."""
    quotas, seats, pinned = st.quotas, st.seats, st.pinned
    everything = np.ones(len(st.kept), dtype=np.bool_)
    if quotas.completable(pinned, everything, seats):
        return None
    none = np.zeros_like(pinned)
    rules = _smallest_families(quotas, pinned, everything, seats)
    with_pins = pinned if quotas.completable(none, everything, seats) else none
    groups = list(range(len(st.mins)))
    chosen: tuple[int, ...] = tuple(groups)
    if len(groups) <= 8:
        chosen = next(
            (
                combo
                for k in range(len(groups) + 1)
                for combo in itertools.combinations(groups, k)
                if not _with_mins(quotas, combo).completable(with_pins, everything, seats)
            ),
            chosen,
        )
    subs = list(st.mins)
    return Violation(
        ViolationKind.COMBINATION,
        needed=seats,
        subprojects=tuple(subs[g] for g in chosen),
        shortfall=tuple(st.mins[subs[g]] for g in chosen),
        candidates=tuple(c.id for c, p in zip(st.kept, with_pins, strict=True) if p),
        limit=problem.max_per_municipality,
        rules=rules,
    )


def _smallest_families(
    quotas: _Quotas, pinned: BoolArray, allowed: BoolArray, seats: int
) -> tuple[Rule, ...]:
    """The smallest set of constraint families that cannot hold together."""
    families: list[Rule] = []
    if pinned.any():
        families.append(Rule.PINNED)
    if quotas.group_min.any():
        families.append(Rule.MIN_PER_SUBPROJECT)
    if quotas.cap is not None:
        families.append(Rule.MAX_PER_MUNICIPALITY)
    none = np.zeros_like(pinned)
    for size in range(1, len(families) + 1):
        for combo in itertools.combinations(families, size):
            ok = quotas.completable(
                pinned if Rule.PINNED in combo else none,
                allowed,
                seats,
                use_min=Rule.MIN_PER_SUBPROJECT in combo,
                use_cap=Rule.MAX_PER_MUNICIPALITY in combo,
            )
            if not ok:
                return combo
    return ()


def _message(problem: LineupProblem, st: _Setup, violations: Sequence[Violation]) -> str:
    """The command line's one line for the violations (the first the solver names)."""
    first = next((v for v in violations if v.kind in _FIRST_NAMED), None)
    seats, cap = st.seats, problem.max_per_municipality
    if first is None:
        everything = np.ones(len(st.kept), dtype=np.bool_)
        combo = _smallest_families(st.quotas, st.pinned, everything, seats)
        if not combo:
            return f"no lineup of {_plural(seats, 'candidate')} meets the constraints together"
        names = " and ".join(combo)
        return f"{names}: no lineup of {_plural(seats, 'candidate')} meets {names} together"
    kind = first.kind
    if kind is ViolationKind.PINNED_AND_EXCLUDED:
        names = ", ".join(f'"{c}"' for c in first.candidates)
        return f"pinned and excluded: {names} cannot be both pinned and excluded"
    if kind is ViolationKind.TOO_MANY_PINNED:
        return f"pinned: {first.needed} candidates are pinned but {st.size_note(problem.slots)}"
    if kind is ViolationKind.MINIMUMS_OVER_SEATS:
        return (
            f"min_per_subproject: the minimums add up to {first.needed} "
            f"but {st.size_note(problem.slots)}"
        )
    if kind is ViolationKind.TOO_FEW_CANDIDATES:
        have = first.available
        return (
            f'min_per_subproject["{first.subprojects[0]}"] is {first.needed} but only '
            f"{_plural(have, 'candidate')} of that sub-project "
            f"{'is' if have == 1 else 'are'} not excluded"
        )
    if kind is ViolationKind.PINNED_CONFLICT:
        return (
            f"max_per_municipality is {cap} but {first.needed} pinned candidates "
            f'are in "{first.municipalities[0]}"'
        )
    n_munis = len(first.municipalities)
    return (
        f"max_per_municipality is {cap}, so at most {first.available} of the "
        f"{_plural(seats, 'seat')} can be filled from {_plural(n_munis, 'municipality')}"
        if n_munis == 1
        else f"max_per_municipality is {cap}, so at most {first.available} of the "
        f"{_plural(seats, 'seat')} can be filled from {n_munis} municipalities"
    )


def _build(problem: LineupProblem) -> _Model:
    """Check the constraints (raising InfeasibleError) and build the arrays."""
    st = _setup(problem)
    violations = _violations(problem, st)
    if violations:
        raise InfeasibleError(_message(problem, st, violations), violations)
    kept = st.kept
    col = {c.id: j for j, c in enumerate(kept)}
    row = {a: i for i, a in enumerate(problem.attendees)}
    dense = np.zeros((len(problem.attendees), len(kept)), dtype=np.float64)
    for (a, cid), v in problem.affinity.items():
        j = col.get(cid)
        if j is not None and a in row:
            dense[row[a], j] = float(v)
    dense = dense[dense.max(axis=1, initial=0.0) > 0.0]
    if dense.shape[0]:
        rows, counts = np.unique(dense, axis=0, return_counts=True)
    else:
        rows, counts = dense, np.zeros(0, dtype=np.int64)
    return _Model(
        ids=[c.id for c in kept],
        affinity=np.ascontiguousarray(rows, dtype=np.float64),
        weight=counts.astype(np.float64),
        bonus=np.array([float(c.bonus) for c in kept], dtype=np.float64),
        pinned=st.pinned,
        quotas=st.quotas,
        seats=st.seats,
    )


# ---------------------------------------------------------------------------
# Incumbent: greedy starts and swap local search.
# ---------------------------------------------------------------------------


def _greedy(model: _Model, start: BoolArray) -> BoolArray | None:
    """Add the largest-gain candidate whose choice can still be completed, until full."""
    chosen = start.copy()
    allowed = np.ones_like(chosen)
    a = model.affinity
    cur = np.max(a[:, chosen], axis=1, initial=0.0)
    while int(chosen.sum()) < model.seats:
        gain = model.weight @ np.maximum(a - cur[:, None], 0.0) + model.bonus
        gain[chosen] = -np.inf
        picked = False
        for c in np.argsort(-gain, kind="stable"):
            if chosen[c]:
                break
            chosen[c] = True
            if model.quotas.completable(chosen, allowed, model.seats):
                cur = np.maximum(cur, a[:, c])
                picked = True
                break
            chosen[c] = False
        if not picked:
            return None
    return chosen


def _local_search(model: _Model, chosen: BoolArray) -> tuple[BoolArray, int]:
    """Best-improvement 1-swap local search that keeps every quota; also the passes made."""
    a, w, bonus, q = model.affinity, model.weight, model.bonus, model.quotas
    chosen = chosen.copy()
    n_rows = a.shape[0]
    rows = np.arange(n_rows)
    passes = 0
    while True:
        members = np.flatnonzero(chosen & ~model.pinned)
        inside = np.flatnonzero(chosen)
        if members.size == 0 or inside.size == int(chosen.size):
            return chosen, passes
        passes += 1
        sub = a[:, inside]
        if inside.size > 1:
            part = np.argpartition(-sub, 1, axis=1)[:, :2]
            v0 = sub[rows, part[:, 0]]
            v1 = sub[rows, part[:, 1]]
            swap = v1 > v0
            best_pos = np.where(swap, part[:, 1], part[:, 0])
            first = np.maximum(v0, v1)
            second = np.minimum(v0, v1)
        else:
            best_pos = np.zeros(n_rows, dtype=np.int64)
            first = sub[:, 0] if n_rows else np.zeros(0)
            second = np.zeros(n_rows)
        best_c = inside[best_pos] if n_rows else np.zeros(0, dtype=np.int64)
        total = float(w @ first)
        g_cnt, m_cnt = q.counts(chosen)
        outside = ~chosen
        gains = np.full((members.size, chosen.size), -np.inf)
        for r, out in enumerate(members):
            base = np.where(best_c == out, second, first)
            gain = w @ np.maximum(a, base[:, None]) - total + bonus - bonus[out]
            ok = outside.copy()
            go = q.group[out]
            if g_cnt[go] - 1 < q.group_min[go]:
                ok &= q.group == go
            full = (m_cnt + 1 > q.muni_cap)[q.muni]
            ok &= ~full | (q.muni == q.muni[out])
            gains[r] = np.where(ok, gain, -np.inf)
        flat = int(np.argmax(gains))
        r, c = divmod(flat, chosen.size)
        if not gains[r, c] > GAIN_EPSILON:
            return chosen, passes
        chosen[members[r]] = False
        chosen[c] = True


def _scan_work(model: _Model) -> float:
    """Work units of one greedy step or one swap pass: a scan of the affinity matrix."""
    return float(model.affinity.size + model.affinity.shape[1]) + ITERATION_OVERHEAD


def _incumbent(
    model: _Model, budget: float = math.inf, deadline: float = math.inf
) -> tuple[BoolArray, float]:
    """The best line-up found by greedy + swap local search from several starts.

    Returns it with the work spent (see ``WORK_PER_SECOND``). Starts after the
    first are skipped once the work spent reaches ``budget`` (or, as a safety
    net only, once ``deadline`` on the wall clock has passed).
    """
    scan = _scan_work(model)
    work = 0.0
    starts: list[BoolArray] = [model.pinned.copy()]
    if int(model.pinned.sum()) < model.seats:
        single = (
            model.weight
            @ np.maximum(
                model.affinity
                - np.max(model.affinity[:, model.pinned], axis=1, initial=0.0)[:, None],
                0.0,
            )
            + model.bonus
        )
        single[model.pinned] = -np.inf
        allowed = np.ones_like(model.pinned)
        for c in np.argsort(-single, kind="stable")[:GREEDY_STARTS]:
            if model.pinned[c]:
                continue
            start = model.pinned.copy()
            start[c] = True
            if model.quotas.completable(start, allowed, model.seats):
                starts.append(start)
    best: BoolArray | None = None
    best_value = -math.inf
    seen: set[bytes] = set()
    for start in starts:
        if best is not None and (work >= budget or time.monotonic() > deadline):
            break
        greedy = _greedy(model, start)
        work += scan * (model.seats - int(start.sum()))
        if greedy is None:
            continue
        found, passes = _local_search(model, greedy)
        work += scan * passes * model.seats
        key = np.packbits(found).tobytes()
        if key in seen:
            continue
        seen.add(key)
        v = model.value(found)
        if v > best_value + GAIN_EPSILON:
            best, best_value = found, v
    if best is None:  # pragma: no cover - the feasibility check guarantees a start
        raise InfeasibleError("no lineup meets the constraints")
    return best, work


# ---------------------------------------------------------------------------
# Proof: best-first branch and bound with a Lagrangian bound.
# ---------------------------------------------------------------------------


@dataclass(order=True)
class _Node:
    key: float  # minus the parent's bound (heapq is a min-heap)
    seq: int
    chosen: BoolArray = field(compare=False)
    banned: BoolArray = field(compare=False)
    level: FloatArray = field(compare=False)  # per attendee row: the u_i as an absolute level
    price: FloatArray = field(compare=False)  # per municipality: the cap multiplier w_j
    bound: _Bound | None = field(default=None, compare=False)  # None only at the root


@dataclass
class _Search:
    model: _Model
    best: BoolArray
    best_value: float
    #: Work units the search may spend (see ``WORK_PER_SECOND``); the search stops there.
    budget: float
    #: The wall-clock safety net (``time.monotonic()``), far beyond the expected time.
    deadline: float
    node_limit: int | None = None
    nodes: int = 0
    work: float = 0.0

    def spent(self) -> bool:
        """Has the search used up its work budget (or hit the wall-clock safety net)?"""
        return self.work >= self.budget or time.monotonic() > self.deadline

    def offer(self, mask: BoolArray, polish: bool = True) -> None:
        """Take ``mask`` as the incumbent if it is better; polish a better one by swaps."""
        v = self.model.value(mask)
        if polish and v > self.best_value + GAIN_EPSILON:
            mask, passes = _local_search(self.model, mask)
            self.work += _scan_work(self.model) * passes * self.model.seats
            v = self.model.value(mask)
        if v > self.best_value + GAIN_EPSILON:
            self.best, self.best_value = mask.copy(), v


def _select(rho: FloatArray, group: IntArray, need: IntArray, rest: int) -> IntArray:
    """Positions of the best ``rest`` entries of ``rho`` that meet the group minimums.

    With the groups a partition, taking the best ``need[g]`` of every group
    and then the best of the rest is optimal (an exchange argument).
    """
    order = np.argsort(-rho, kind="stable")
    top = order[:rest]
    if not need.any() or bool((np.bincount(group[top], minlength=need.shape[0]) >= need).all()):
        return np.sort(top)
    take = np.zeros(rho.shape[0], dtype=np.bool_)
    ordered_group = group[order]
    for g in np.flatnonzero(need):
        take[order[ordered_group == g][: int(need[g])]] = True
    left = rest - int(take.sum())
    if left > 0:
        take[order[~take[order]][:left]] = True
    return np.flatnonzero(take)


@dataclass
class _Bound:
    """A node's best Lagrangian bound and what it was computed from."""

    value: float
    free_idx: IntArray  # candidates still open at the node
    level: FloatArray
    price: FloatArray
    rho: FloatArray  # over free_idx, at the best multipliers
    take: IntArray  # positions in free_idx of the inner maximiser
    need: IntArray  # sub-project minimums still to meet
    rest: int  # seats still to fill


def _bound_node(
    search: _Search,
    chosen: BoolArray,
    banned: BoolArray,
    start_level: FloatArray,
    start_price: FloatArray,
    iterations: int,
    patience: int = 5,
    first_step: float = FIRST_STEP,
) -> _Bound | None:
    """Improve the node's multipliers; None when the node cannot beat the incumbent.

    The step is halved after ``patience`` steps without a better bound.
    """
    model = search.model
    q = model.quotas
    a, wt = model.affinity, model.weight
    g_cnt, m_cnt = q.counts(chosen)
    room = q.muni_cap - m_cnt
    free_idx = np.flatnonzero(~chosen & ~banned & (room[q.muni] > 0))
    rest = model.seats - int(chosen.sum())
    need = np.maximum(q.group_min - g_cnt, 0)
    h = np.max(a[:, chosen], axis=1, initial=0.0)
    base = float(model.bonus[chosen].sum())
    # Only the entries above what the fixed pitches already give can count.
    af = a[:, free_idx]
    rows, cols = np.nonzero(af > h[:, None])
    vals = af[rows, cols]
    w_rows = wt[rows]
    n_free = free_idx.shape[0]
    search.work += float(af.size) + ITERATION_OVERHEAD
    in_take = np.zeros(n_free, dtype=np.bool_)
    bonus_f = model.bonus[free_idx]
    group_f = q.group[free_idx]
    muni_f = q.muni[free_idx]
    capped = q.cap is not None
    level = np.maximum(start_level, h)
    price = start_price.copy() if capped else np.zeros_like(start_price)
    best: _Bound | None = None
    step = first_step
    stall = 0
    n_rows = level.shape[0]
    iteration_work = float(3 * vals.shape[0] + n_free * n_free.bit_length()) + ITERATION_OVERHEAD
    for _ in range(iterations):
        excess = vals - level[rows]
        above = excess > 0.0
        np.maximum(excess, 0.0, out=excess)
        excess *= w_rows
        rho: FloatArray = np.bincount(cols, weights=excess, minlength=n_free).astype(
            np.float64, copy=False
        )
        rho += bonus_f
        if capped:
            rho -= price[muni_f]
        take = _select(rho, group_f, need, rest)
        bound = float(wt @ level) + base + float(rho[take].sum())
        if capped:
            bound += float(price @ room)
        if best is None or bound < best.value - 1e-9:
            best = _Bound(bound, free_idx, level, price, rho, take, need, rest)
            stall = 0
        else:
            stall += 1
            if stall >= patience:
                step /= 2.0
                stall = 0
                if step < 1e-3:
                    break
        if best.value <= search.best_value + PRUNE_TOLERANCE:
            return None
        search.work += iteration_work
        if search.spent():
            break
        # Subgradient, projected onto level >= h and price >= 0.
        in_take.fill(False)
        in_take[take] = True
        covered = np.bincount(rows[above & in_take[cols]], minlength=n_rows)
        g_level = wt * (1.0 - covered)
        g_level[(g_level > 0) & (level <= h)] = 0.0
        norm = float(g_level @ g_level)
        if capped:
            t_cnt = np.bincount(muni_f[take], minlength=q.n_munis)
            g_price = (room - t_cnt).astype(np.float64)
            g_price[(g_price > 0) & (price <= 0)] = 0.0
            norm += float(g_price @ g_price)
        if norm <= 0.0:
            break
        t = step * (bound - search.best_value) / norm
        level = np.maximum(level - t * g_level, h)
        if capped:
            price = np.maximum(price - t * g_price, 0.0)
    if best is None:  # pragma: no cover - iterations >= 1
        return None
    # The inner maximiser is often a good line-up itself.
    t_cnt = np.bincount(muni_f[best.take], minlength=q.n_munis)
    if bool((t_cnt <= room).all()):
        mask = chosen.copy()
        mask[free_idx[best.take]] = True
        search.offer(mask)
    return best


def _fixings(
    bnd: _Bound, group: IntArray, n_groups: int, target: float
) -> tuple[BoolArray, BoolArray, FloatArray]:
    """Open candidates that must be out, and that must be in, to beat ``target``.

    Both come from the node's multipliers, which stay valid when a candidate
    is forced: forcing c in gives at most bound + rho_c - (what the inner
    maximum loses by giving up one seat in c's group); forcing c out gives at
    most the bound with the inner maximum recomputed without c.
    """
    rho, take, need, rest = bnd.rho, bnd.take, bnd.need, bnd.rest
    n = rho.shape[0]
    inner = float(rho[take].sum())
    in_take = np.zeros(n, dtype=np.bool_)
    in_take[take] = True
    loss = np.full(n_groups, math.inf)
    for g in range(n_groups):
        need2 = need.copy()
        if need2[g] > 0:
            need2[g] -= 1
        if rest - 1 >= int(need2.sum()):
            loss[g] = inner - float(rho[_select(rho, group, need2, rest - 1)].sum())
    ban = ~in_take & (bnd.value + rho - loss[group] <= target)
    fix = np.zeros(n, dtype=np.bool_)
    out_bound = np.full(n, math.inf)
    for p in take:
        without = rho.copy()
        without[p] = -math.inf
        rest_value = float(without[_select(without, group, need, rest)].sum())
        out_bound[p] = bnd.value - inner + rest_value
        if out_bound[p] <= target:
            fix[p] = True
    return ban, fix, out_bound


def _dive(
    search: _Search, chosen: BoolArray, banned: BoolArray, bnd: _Bound, iterations: int
) -> None:
    """Look for a better line-up below a node: fix its best pick in, re-bound, repeat.

    Each step takes the open pick of the inner maximiser with the largest
    reduced value and bounds the node with it fixed in (which also offers that
    node's inner maximiser); the dive stops when the node is full or cannot
    beat the incumbent.
    """
    model = search.model
    q = model.quotas
    chosen = chosen.copy()
    while True:
        picks = bnd.take[np.argsort(-bnd.rho[bnd.take], kind="stable")]
        for p in picks:
            c = int(bnd.free_idx[p])
            chosen[c] = True
            if q.completable(chosen, ~banned, model.seats):
                break
            chosen[c] = False
        else:
            return
        if model.seats == int(chosen.sum()):
            search.offer(chosen)
            return
        nxt = _bound_node(search, chosen, banned, bnd.level, bnd.price, iterations, 5, NODE_STEP)
        if nxt is None:
            return
        bnd = nxt


def _branch_and_bound(
    search: _Search, root_iterations: int = ROOT_ITERATIONS, node_iterations: int = NODE_ITERATIONS
) -> tuple[float, bool]:
    """Search until proven or out of time; returns (proven upper bound, finished)."""
    model = search.model
    q = model.quotas
    n_rows = model.affinity.shape[0]
    seq = itertools.count()
    # A trivial bound for the root: every attendee gets its best pitch, plus the best bonuses.
    trivial = float(model.weight @ np.max(model.affinity, axis=1, initial=0.0)) + float(
        np.sort(model.bonus)[::-1][: model.seats].sum()
    )
    # Start the levels at what each attendee gets from the incumbent.
    start_level = np.max(model.affinity[:, search.best], axis=1, initial=0.0)
    root = _Node(
        -trivial,
        next(seq),
        model.pinned.copy(),
        np.zeros_like(model.pinned),
        start_level if n_rows else np.zeros(0),
        np.zeros(q.n_munis),
    )
    heap: list[_Node] = [root]
    while heap:
        if -heap[0].key <= search.best_value + PRUNE_TOLERANCE:
            return search.best_value, True
        if search.spent() or search.nodes == search.node_limit:
            return max(search.best_value, -heap[0].key), False
        node = heapq.heappop(heap)
        search.nodes += 1
        if model.seats == int(node.chosen.sum()):
            search.offer(node.chosen)
            continue
        chosen, banned = node.chosen, node.banned
        bnd = node.bound
        if bnd is None:  # the root; every other node is bounded when it is created
            bnd = _bound_node(search, chosen, banned, node.level, node.price, root_iterations, 20)
            if bnd is None:
                continue
        elif bnd.value <= search.best_value + PRUNE_TOLERANCE:
            continue  # the incumbent has improved since the node was bounded
        if DIVE_EVERY and search.nodes % DIVE_EVERY == 1:
            _dive(search, chosen, banned, bnd, node_iterations)
        ban, fix, out_bound = _fixings(
            bnd, q.group[bnd.free_idx], q.n_groups, search.best_value + PRUNE_TOLERANCE
        )
        n_free = bnd.free_idx.shape[0]
        search.work += (q.n_groups + bnd.take.shape[0]) * (
            n_free * n_free.bit_length() + ITERATION_OVERHEAD
        )
        if ban.any() or fix.any():
            chosen = chosen.copy()
            chosen[bnd.free_idx[fix]] = True
            banned = banned.copy()
            banned[bnd.free_idx[ban]] = True
            if not q.completable(chosen, ~banned, model.seats):
                continue
            if model.seats == int(chosen.sum()):
                search.offer(chosen)
                continue
        # Branch on the open pick of the inner maximiser whose loss would hurt most.
        open_take = bnd.take[~fix[bnd.take]]
        if open_take.size == 0:  # pragma: no cover - fixings leave open seats here
            continue
        pos = int(open_take[int(np.argmin(out_bound[open_take]))])
        c = int(bnd.free_idx[pos])
        with_c = chosen.copy()
        with_c[c] = True
        without_c = banned.copy()
        without_c[c] = True
        # The parent's bound holds for both children (without c, also the bound
        # recomputed without it); each child is bounded now, warm-started from
        # the parent's multipliers, and keeps the smallest of these, so that the
        # largest open bound is as tight as the work done allows and never grows.
        node_bound = min(bnd.value, -node.key)
        for child_in, child_out, inherited in (
            (with_c, banned, node_bound),
            (chosen, without_c, min(node_bound, float(out_bound[pos]))),
        ):
            if not q.completable(child_in, ~child_out, model.seats):
                continue
            if model.seats == int(child_in.sum()):
                search.offer(child_in)
                continue
            if inherited <= search.best_value + PRUNE_TOLERANCE:
                continue
            child = _bound_node(
                search, child_in, child_out, bnd.level, bnd.price, node_iterations, 5, NODE_STEP
            )
            if child is None:
                continue
            key = -min(inherited, child.value)
            heapq.heappush(
                heap,
                _Node(key, next(seq), child_in, child_out, child.level, child.price, child),
            )
    return search.best_value, True


# ---------------------------------------------------------------------------
# The entry point.
# ---------------------------------------------------------------------------


def _ceil(x: float) -> float:
    """Round up to DECIMALS places, ignoring float noise below 1e-9."""
    scale = 10.0**DECIMALS
    return math.ceil(round(x * scale, 3)) / scale


def _ordered(problem: LineupProblem, ids: Sequence[Id]) -> list[Id]:
    """Greedy order of marginal contribution, largest first, ties by id."""
    left = sorted(ids)
    bonus = {c.id: c.bonus for c in problem.candidates}
    cols = np.array(
        [[problem.affinity.get((a, c), 0.0) for c in left] for a in problem.attendees],
        dtype=np.float64,
    ).reshape(len(problem.attendees), len(left))
    cur = np.zeros(len(problem.attendees))
    order: list[Id] = []
    remaining = list(range(len(left)))
    while remaining:
        gains = [
            round(math.fsum(np.maximum(cols[:, j] - cur, 0.0)) + bonus[left[j]], 12)
            for j in remaining
        ]
        pos = max(range(len(remaining)), key=lambda p: (gains[p], -p))
        j = remaining.pop(pos)
        order.append(left[j])
        cur = np.maximum(cur, cols[:, j])
    return order


def lineup_value(problem: LineupProblem, lineup: Iterable[Id]) -> float:
    """value(S) of the spec, summed exactly (math.fsum) from the problem's own data."""
    ids = list(lineup)
    bonus = {c.id: c.bonus for c in problem.candidates}
    terms = [
        max((problem.affinity.get((a, c), 0.0) for c in ids), default=0.0)
        for a in problem.attendees
    ]
    terms.extend(bonus[c] for c in ids)
    return float(math.fsum(terms))


def _best_for(problem: LineupProblem, lineup: Sequence[Id]) -> dict[Id, Id | None]:
    ids = sorted(lineup)
    out: dict[Id, Id | None] = {}
    for a in problem.attendees:
        best: Id | None = None
        best_v = 0.0
        for c in ids:
            v = problem.affinity.get((a, c), 0.0)
            if v > best_v:
                best, best_v = c, v
        out[a] = best
    return out


def solve_lineup(problem: LineupProblem, *, time_limit: float = 10.0) -> LineupResult:
    """Choose the line-up (see the module docstring); raise InfeasibleError when none exists.

    ``time_limit`` (seconds) sets the search's work budget
    (``time_limit * WORK_PER_SECOND`` work units, about ``time_limit`` seconds
    on the benchmark machine); when it is used up, the best line-up found so far
    is returned with the largest bound still open (``optimal`` false unless they
    meet). The budget is a count, not a clock, so the output is the same on
    every run; the clock only stops a search that runs ``SAFETY_FACTOR`` times
    longer than expected (see the module docstring).
    """
    return _solve(problem, time_limit=time_limit)


def _solve(
    problem: LineupProblem, *, time_limit: float = 10.0, node_limit: int | None = None
) -> LineupResult:
    """solve_lineup, plus a node limit (tests use it to stop the search part-way)."""
    budget = max(time_limit, 0.0) * WORK_PER_SECOND
    deadline = time.monotonic() + SAFETY_FACTOR * max(time_limit, 0.0) + SAFETY_SECONDS
    model = _build(problem)
    if model.seats == 0:
        best = model.pinned.copy()
        bound, finished = 0.0, True
    else:
        best, work = _incumbent(model, budget / 3, deadline)
        search = _Search(model, best, model.value(best), budget, deadline, node_limit, work=work)
        bound, finished = _branch_and_bound(search)
        best = search.best
    ids = [model.ids[j] for j in np.flatnonzero(best)]
    value = round(lineup_value(problem, ids), DECIMALS)
    bound_out = value if finished else max(value, _ceil(bound))
    optimal = bound_out - value <= OPTIMALITY_TOLERANCE + 1e-12
    if optimal:
        bound_out = value
    return LineupResult(
        lineup=_ordered(problem, ids),
        value=value,
        bound=bound_out,
        optimal=optimal,
        best_for=_best_for(problem, ids),
    )
