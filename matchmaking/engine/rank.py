"""Score and explain every investor-pitch pair.

Each pair earns up to the weight of six features (see :class:`Weights`);
``reasons`` holds what each feature contributed and ``score`` is their sum:

``sector``
    The pitch's sector is one the investor named (full weight), the
    investor named none (the no-preference share), or it is not (0).
``stage``
    The same for the pitch's stage.
``ticket``
    How well the tickets meet: the pitch accepts any amount from its
    minimum ticket up to its ask, the investor invests from ticket_min to
    ticket_max; measured on a logarithmic scale, the overlap of the two
    ranges as a share of the narrower one (full weight when one range lies
    inside the other, less the thinner the overlap).
``geography``
    The pitch's municipality is one the investor named, or in a region the
    investor named (full weight); it lies in the same region as a
    municipality the investor named (the same-region share); the investor
    named none (the no-preference share); otherwise 0.
``subproject``
    The pitch belongs to a sub-project the investor named (full weight),
    the investor named none (the no-preference share), otherwise 0.
``text``
    How alike the investor's thesis and the pitch's text are: TF-IDF
    cosine over words and character n-grams (:mod:`matchmaking.engine.text`);
    0 when either is empty.

The weights are turned into whole millionths that add up to exactly one
million; every contribution is its share of its weight rounded to a whole
millionth, and the score is the sum of the contributions, so the reasons add
up to the score exactly and the score lies in [0, 1]. An empty preference list earns a fixed
share of its weight that is at most the full weight, so adding the pitch's
sector (stage, municipality, sub-project) to an investor's list never
lowers the pair's score.

Pairs in ``conflicts`` and pairs whose ticket ranges do not meet
(``pitch.min_ticket > investor.ticket_max`` or ``investor.ticket_min >
pitch.ask``) are left out. Each investor's list is sorted by score, highest
first, ties by pitch id.

:func:`rank` scores all pairs with numpy and scipy, a block of investors at
a time; :func:`rank_reference` computes the same numbers with a plain loop
over pairs, for tests and benchmarks.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from matchmaking.engine.errors import EngineInputError
from matchmaking.engine.text import (
    TextSimilarity,
    fit_text,
    reference_cosine,
    reference_vectors,
)
from matchmaking.engine.validate import (
    Id,
    check_declared,
    check_id,
    check_id_list,
    check_int,
    check_money,
    check_unique_ids,
    fail,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "REASONS",
    "RankInvestor",
    "RankPitch",
    "RankProblem",
    "RankedMatch",
    "Weights",
    "rank",
    "rank_problem",
    "rank_reference",
]

REASONS: Final = ("sector", "stage", "ticket", "geography", "subproject", "text")
"""The reason names, in the order they are documented."""

_MICRO: Final = 1_000_000
# Pairs scored at once: bounds the memory of one block of investors.
_BLOCK_PAIRS: Final = 1 << 20
# Pairs whose other features are computed while the text model is fitted.
_AHEAD_PAIRS: Final = 1 << 25

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, kw_only=True)
class RankInvestor:
    """An investor's preferences. Empty lists mean "no preference"."""

    id: Id
    ticket_min: int
    ticket_max: int
    sectors: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()  # may name region slugs
    subprojects: tuple[str, ...] = ()
    thesis: str = ""


@dataclass(frozen=True, kw_only=True)
class RankPitch:
    """What a pitch is about and what it asks for."""

    id: Id
    sector: str
    stage: str
    ask: int
    min_ticket: int
    municipality: str
    subproject: str | None = None
    text: str = ""


@dataclass(frozen=True, kw_only=True)
class Weights:
    """How much each feature can contribute; the six weights add up to 1.

    ``no_preference`` is the share of a weight that an empty preference list
    earns, ``same_region`` the share of the geography weight that a pitch in
    the same region as a named municipality earns. Both lie in [0, 1], so a
    match is never worth less than no preference.
    """

    sector: float = 0.25
    stage: float = 0.15
    ticket: float = 0.15
    geography: float = 0.15
    subproject: float = 0.10
    text: float = 0.20
    no_preference: float = 0.5
    same_region: float = 0.5

    def __post_init__(self) -> None:
        for name in (*REASONS, "no_preference", "same_region"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise EngineInputError(f"weights.{name}: must be a number")
            if not math.isfinite(value) or value < 0:
                raise EngineInputError(f"weights.{name}: must be a finite number >= 0")
        for name in ("no_preference", "same_region"):
            if getattr(self, name) > 1:
                raise EngineInputError(f"weights.{name}: must be at most 1")
        total = math.fsum(getattr(self, name) for name in REASONS)
        if abs(total - 1.0) > 1e-9:
            raise EngineInputError(f"weights: the six weights add up to {total:g}, not 1")

    def micro(self) -> dict[str, int]:
        """The six weights in whole millionths, adding up to exactly 1,000,000.

        Each is its weight times a million, rounded down, and the millionths
        left over go to the largest remainders (ties in the order of
        :data:`REASONS`).
        """
        exact = [
            getattr(self, name) * _MICRO / math.fsum(getattr(self, n) for n in REASONS)
            for name in REASONS
        ]
        whole = [math.floor(x) for x in exact]
        left = _MICRO - sum(whole)
        by_remainder = sorted(range(len(REASONS)), key=lambda k: (whole[k] - exact[k], k))
        for k in by_remainder[:left]:
            whole[k] += 1
        return dict(zip(REASONS, whole, strict=True))


DEFAULT_WEIGHTS: Final = Weights()


@dataclass(frozen=True)
class RankedMatch:
    """One pitch in an investor's ranking, with why it is there."""

    pitch: Id
    score: float
    reasons: dict[str, float] = field(hash=False)


@dataclass(frozen=True, kw_only=True)
class RankProblem:
    """A ranking input that checks itself on construction, with the same
    refusals as the command line (``docs/engine-io.md``, "rank").

    ``conflicts`` and the ids must be declared, the lists of slugs hold no
    duplicates, ``regions`` maps a slug to its municipalities. Solve it with
    :func:`rank_problem`.
    """

    investors: tuple[RankInvestor, ...]
    pitches: tuple[RankPitch, ...]
    conflicts: tuple[tuple[Id, Id], ...] = ()
    regions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    top: int | None = None

    def __post_init__(self) -> None:
        for k, inv in enumerate(self.investors):
            at = f"investors[{k}]"
            check_id(inv.id, f"{at}.id")
            for name in ("sectors", "stages"):
                check_id_list(getattr(inv, name), f"{at}.{name}")
            for name in ("ticket_min", "ticket_max"):
                check_money(f"{at}.{name}", getattr(inv, name))
            for name in ("municipalities", "subprojects"):
                check_id_list(getattr(inv, name), f"{at}.{name}")
            _check_text(inv.thesis, f"{at}.thesis")
        for k, pitch in enumerate(self.pitches):
            at = f"pitches[{k}]"
            for name in ("id", "sector", "stage"):
                check_id(getattr(pitch, name), f"{at}.{name}")
            for name in ("ask", "min_ticket"):
                check_money(f"{at}.{name}", getattr(pitch, name))
            check_id(pitch.municipality, f"{at}.municipality")
            if pitch.subproject is not None:
                check_id(pitch.subproject, f"{at}.subproject")
            _check_text(pitch.text, f"{at}.text")
        investor_ids = {inv.id for inv in self.investors}
        pitch_ids = {p.id for p in self.pitches}
        for k, (inv_id, pitch_id) in enumerate(self.conflicts):
            check_declared(inv_id, investor_ids, f"conflicts[{k}]", "investor")
            check_declared(pitch_id, pitch_ids, f"conflicts[{k}]", "pitch")
        for slug, members in self.regions.items():
            if not isinstance(slug, str) or not slug:
                fail("regions", "a region slug must be a non-empty string")
            check_id_list(members, f"regions.{slug}")
        if self.top is not None:
            check_int(self.top, "top", 1)
        _check(self.investors, self.pitches, self.top, 0.0)


def _check_text(value: object, where: str) -> None:
    if not isinstance(value, str):
        fail(where, "must be a string")


def _micro(weight: int, value: float) -> int:
    """A share ``value`` in [0, 1] of ``weight`` millionths, rounded to a whole one."""
    return round(weight * value)


def _threshold(min_score: float) -> int:
    """The least score in millionths that ``min_score`` lets through."""
    return math.ceil(min_score * _MICRO - 1e-6)


def _micro_array(weight: int, value: FloatArray) -> Int32Array:
    """:func:`_micro` of each element (``value`` is overwritten)."""
    value *= weight
    np.rint(value, out=value)
    return value.astype(np.int32)


# -- checks shared by both implementations ---------------------------------


def _check(
    investors: Sequence[RankInvestor],
    pitches: Sequence[RankPitch],
    top: int | None,
    min_score: float,
) -> None:
    for kind, ids in (
        ("investors", [i.id for i in investors]),
        ("pitches", [p.id for p in pitches]),
    ):
        for index, ident in enumerate(ids):
            check_id(ident, f"{kind}[{index}].id")
        check_unique_ids(kind, ids)
    for index, inv in enumerate(investors):
        for name in ("ticket_min", "ticket_max"):
            check_money(f"investors[{index}].{name}", getattr(inv, name))
        if inv.ticket_min > inv.ticket_max:
            raise EngineInputError(
                f"investors[{index}].ticket_min: {inv.ticket_min} is greater than "
                f"ticket_max {inv.ticket_max}"
            )
    for index, pitch in enumerate(pitches):
        for name in ("ask", "min_ticket"):
            check_money(f"pitches[{index}].{name}", getattr(pitch, name))
        if pitch.min_ticket > pitch.ask:
            raise EngineInputError(
                f"pitches[{index}].min_ticket: {pitch.min_ticket} is greater than ask {pitch.ask}"
            )
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise EngineInputError("top: must be an integer >= 1")
    if not (isinstance(min_score, int | float) and 0.0 <= min_score <= 1.0):
        raise EngineInputError("min_score: must be a number in [0, 1]")


def _region_sets(
    regions: Mapping[str, Iterable[str]] | None,
) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """(members of each region, regions of each municipality)."""
    members = {slug: frozenset(munis) for slug, munis in (regions or {}).items()}
    of: dict[str, set[str]] = {}
    for slug, munis in members.items():
        for muni in munis:
            of.setdefault(muni, set()).add(slug)
    return members, {m: frozenset(r) for m, r in of.items()}


def _expand(named: Iterable[str], members: Mapping[str, frozenset[str]]) -> set[str]:
    """The municipalities an investor named, with each named region's members."""
    out: set[str] = set()
    for name in named:
        out.add(name)
        out |= members.get(name, frozenset())
    return out


def _log_money(values: Sequence[int]) -> FloatArray:
    """``ln(1 + kroner)``: the scale on which tickets are compared."""
    out: FloatArray = np.log1p(np.asarray(values, dtype=np.float64))
    return out


# -- the vectorised implementation -----------------------------------------


def _slug_index(values: Sequence[str | None], vocab: dict[str, int]) -> IntArray:
    """Each value's number in ``vocab`` (added if new); -1 for None."""
    return np.asarray(
        [-1 if v is None else vocab.setdefault(v, len(vocab)) for v in values], dtype=np.int64
    )


class _Named:
    """Which pitches carry a slug that each investor named (one preference list)."""

    def __init__(self, lists: Sequence[Iterable[str]], pitch_slugs: Sequence[str | None]) -> None:
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for row, names in enumerate(lists):
            for name in names:
                rows.append(row)
                cols.append(vocab.setdefault(name, len(vocab)))
        # A slug no investor named can never be hit: it maps to the last,
        # all-False column, as does a pitch without one (None).
        targets = [None if v not in vocab else v for v in pitch_slugs]
        self._targets = _slug_index(targets, vocab)
        self._matrix = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.bool_), (rows, cols)),
            shape=(len(lists), len(vocab) + 1),
            dtype=np.bool_,
        )

    def hits(self, start: int, stop: int) -> BoolArray:
        """``[i, j]``: investor ``start + i`` named pitch ``j``'s slug."""
        out: BoolArray = self._matrix[start:stop].toarray()[:, self._targets]
        return out


def _region_masks(
    expanded: Sequence[set[str]],
    pitch_munis: Sequence[str],
    regions_of: Mapping[str, frozenset[str]],
) -> tuple[IntArray, IntArray]:
    """Bit masks of the regions each investor touches and each pitch lies in.

    Column ``w`` of both holds regions ``63 w`` to ``63 w + 62``.
    """
    slugs = sorted({slug for found in regions_of.values() for slug in found})
    bit = {slug: k for k, slug in enumerate(slugs)}
    words = max(1, -(-len(slugs) // 63))

    def mask(region_sets: Iterable[Iterable[str]], n: int) -> IntArray:
        out = np.zeros((n, words), dtype=np.int64)
        for row, found in enumerate(region_sets):
            for slug in found:
                out[row, bit[slug] // 63] |= 1 << (bit[slug] % 63)
        return out

    touched = mask(
        ({slug for m in named for slug in regions_of.get(m, ())} for named in expanded),
        len(expanded),
    )
    lies_in = mask((regions_of.get(m, ()) for m in pitch_munis), len(pitch_munis))
    return touched, lies_in


# The states of the four slug features, and how many each has.
_MISS, _NAMED, _NO_PREFERENCE, _SAME_REGION = 0, 1, 2, 3
_SLUG_FEATURES: Final = (("sector", 3), ("stage", 3), ("subproject", 3), ("geography", 4))


@dataclass(frozen=True)
class _Part:
    """What a block of investors scores on everything but the text."""

    start: int
    stop: int
    state: npt.NDArray[np.uint8]
    ticket: Int32Array
    keep: BoolArray


@dataclass(frozen=True)
class _Block:
    """The scores of a block of investors (rows) against every pitch (columns)."""

    total: Int32Array  # the score in millionths
    keep: BoolArray  # not excluded (conflict, tickets that do not meet, too low)
    state: npt.NDArray[np.uint8]  # the slug features' states, as one mixed-radix number
    ticket: Int32Array  # millionths
    text: Int32Array  # millionths


class _Scorer:
    """All pairs of investors and pitches, scored a block of investors at a time.

    Pitches are kept in id order, so that a column number breaks ties by id.
    The four slug features (sector, stage, sub-project, geography) take a
    few states each; a pair's states are packed into one small number and
    their contributions read from a table.
    """

    def __init__(
        self,
        investors: Sequence[RankInvestor],
        pitches: Sequence[RankPitch],
        conflicts: Iterable[tuple[Id, Id]],
        regions: Mapping[str, Iterable[str]] | None,
        weights: Weights,
    ) -> None:
        ps = sorted(pitches, key=lambda p: p.id)
        self.n_investors, self.n_pitches = len(investors), len(ps)
        self.pitch_ids = [p.id for p in ps]
        members, regions_of = _region_sets(regions)
        expanded = [_expand(i.municipalities, members) for i in investors]

        self._named = {
            "sector": _Named([i.sectors for i in investors], [p.sector for p in ps]),
            "stage": _Named([i.stages for i in investors], [p.stage for p in ps]),
            "subproject": _Named([i.subprojects for i in investors], [p.subproject for p in ps]),
            "geography": _Named(expanded, [p.municipality for p in ps]),
        }
        self._no_preference = {
            name: np.asarray([not getattr(i, attr) for i in investors], dtype=np.bool_)
            for name, attr in (
                ("sector", "sectors"),
                ("stage", "stages"),
                ("subproject", "subprojects"),
                ("geography", "municipalities"),
            )
        }
        self._touched, self._lies_in = _region_masks(
            expanded, [p.municipality for p in ps], regions_of
        )

        self._tmin = np.asarray([i.ticket_min for i in investors], dtype=np.int64)[:, None]
        self._tmax = np.asarray([i.ticket_max for i in investors], dtype=np.int64)[:, None]
        self._ask = np.asarray([p.ask for p in ps], dtype=np.int64)
        self._min_ticket = np.asarray([p.min_ticket for p in ps], dtype=np.int64)
        log_tmin = _log_money([i.ticket_min for i in investors])
        log_tmax = _log_money([i.ticket_max for i in investors])
        log_ask = _log_money([p.ask for p in ps])
        log_min = _log_money([p.min_ticket for p in ps])
        self._log_tmin, self._log_tmax = log_tmin[:, None], log_tmax[:, None]
        self._log_ask, self._log_min = log_ask, log_min
        self._inv_span = (log_tmax - log_tmin)[:, None]
        self._pitch_span = log_ask - log_min

        row_of = {inv.id: row for row, inv in enumerate(investors)}
        column = {pid: col for col, pid in enumerate(self.pitch_ids)}
        found = [(row_of[i], column[p]) for i, p in conflicts if i in row_of and p in column]
        self._conflicts = np.asarray(sorted(found), dtype=np.int64).reshape(-1, 2)

        self.theses = [i.thesis for i in investors]
        self.texts = [p.text for p in ps]
        self._scale = weights.micro()
        self._table = self._state_table(weights)
        self._state_total = np.zeros_like(self._table["sector"])
        for micro in self._table.values():
            self._state_total += micro

    def _state_table(self, weights: Weights) -> dict[str, Int32Array]:
        """For each slug feature, its millionths for every packed state."""
        share = {
            _MISS: 0.0,
            _NAMED: 1.0,
            _NO_PREFERENCE: weights.no_preference,
            _SAME_REGION: weights.same_region,
        }
        n_states = math.prod(size for _, size in _SLUG_FEATURES)
        table = {}
        radix = 1
        for name, size in _SLUG_FEATURES:
            state = (np.arange(n_states) // radix) % size
            micro = [_micro(self._scale[name], share[k]) for k in range(size)]
            table[name] = np.asarray(micro, dtype=np.int32)[state]
            radix *= size
        return table

    def _states(self, start: int, stop: int) -> npt.NDArray[np.uint8]:
        packed = np.zeros((stop - start, self.n_pitches), dtype=np.uint8)
        radix = 1
        for name, size in _SLUG_FEATURES:
            state = self._named[name].hits(start, stop).view(np.uint8)  # _MISS or _NAMED
            if name == "geography":
                near = np.zeros_like(packed, dtype=np.bool_)
                for word in range(self._touched.shape[1]):
                    near |= (self._touched[start:stop, word, None] & self._lies_in[:, word]) != 0
                near &= state == _MISS
                state[near] = _SAME_REGION
            state[self._no_preference[name][start:stop]] = _NO_PREFERENCE
            if radix > 1:
                state *= radix
            packed += state
            radix *= size
        return packed

    def _ticket(self, start: int, stop: int) -> Int32Array:
        rows = slice(start, stop)
        share = np.minimum(self._log_tmax[rows], self._log_ask)
        share -= np.maximum(self._log_tmin[rows], self._log_min)
        narrower = np.minimum(self._inv_span[rows], self._pitch_span)
        with np.errstate(divide="ignore", invalid="ignore"):
            share /= narrower
        share[narrower <= 0] = 1.0
        np.clip(share, 0.0, 1.0, out=share)
        return _micro_array(self._scale["ticket"], share)

    def structure(self, start: int, stop: int) -> _Part:
        """Everything but the text, for investors ``start:stop``."""
        keep = self._min_ticket <= self._tmax[start:stop]
        keep &= self._tmin[start:stop] <= self._ask
        rows, cols = self._conflicts[:, 0], self._conflicts[:, 1]
        lo, hi = np.searchsorted(rows, [start, stop])
        keep[rows[lo:hi] - start, cols[lo:hi]] = False
        return _Part(start, stop, self._states(start, stop), self._ticket(start, stop), keep)

    def score(self, part: _Part, text: TextSimilarity, min_micro: int) -> _Block:
        """The scores of a part's investors against every pitch."""
        similarity = _micro_array(self._scale["text"], text.block(part.start, part.stop))
        total = self._state_total[part.state]
        total += part.ticket
        total += similarity
        keep = part.keep
        if min_micro > 0:
            keep &= total >= min_micro
        return _Block(total, keep, part.state, part.ticket, similarity)

    def matches(self, block: _Block, top: int | None) -> list[list[RankedMatch]]:
        """Each row's kept pairs, best first (ties by pitch id), at most ``top``."""
        n_rows, n_cols = block.total.shape
        # Ascending order of this key is descending score, then ascending
        # column; pairs not kept sort last.
        key = np.multiply(block.total, -n_cols, dtype=np.int64)
        key += np.arange(n_cols)
        key[~block.keep] = np.iinfo(np.int64).max
        if top is not None and top < n_cols:
            cand = np.argpartition(key, top - 1, axis=1)[:, :top]
            cand_key = np.take_along_axis(key, cand, axis=1)
            order = np.take_along_axis(cand, np.argsort(cand_key, axis=1), axis=1)
        else:
            order = np.argsort(key, axis=1)
        counts = np.take_along_axis(block.keep, order, axis=1).sum(axis=1)
        rows = np.repeat(np.arange(n_rows), counts)
        cols = order[np.arange(order.shape[1]) < counts[:, None]]
        state = block.state[rows, cols]
        micro = {name: self._table[name][state] for name, _ in _SLUG_FEATURES}
        micro["ticket"] = block.ticket[rows, cols]
        micro["text"] = block.text[rows, cols]
        scores = (block.total[rows, cols] / _MICRO).tolist()
        reasons = zip(*((micro[name] / _MICRO).tolist() for name in REASONS), strict=True)
        found = [
            RankedMatch(self.pitch_ids[col], score, dict(zip(REASONS, parts, strict=True)))
            for col, score, parts in zip(cols.tolist(), scores, reasons, strict=True)
        ]
        bounds = np.concatenate([[0], np.cumsum(counts)]).tolist()
        return [found[bounds[r] : bounds[r + 1]] for r in range(n_rows)]


def rank(
    investors: Sequence[RankInvestor],
    pitches: Sequence[RankPitch],
    *,
    conflicts: Iterable[tuple[Id, Id]] = (),
    regions: Mapping[str, Iterable[str]] | None = None,
    top: int | None = None,
    min_score: float = 0.0,
    weights: Weights = DEFAULT_WEIGHTS,
) -> dict[Id, list[RankedMatch]]:
    """Rank the pitches for each investor, with the reasons for each score.

    ``conflicts`` holds (investor id, pitch id) pairs that must never be
    matched (pairs naming ids not given are ignored); ``regions`` maps a
    region slug to its municipalities. ``top`` keeps at most that many
    pitches per investor (``None``: all), ``min_score`` only those scoring
    at least that much: the web app asks for the best few, or for all above
    a threshold. Every investor is a key of the result, in the order given.
    Raises :class:`EngineInputError` for duplicate ids, negative or
    non-integer money, and ticket ranges whose minimum exceeds their maximum.
    """
    _check(investors, pitches, top, min_score)
    scorer = _Scorer(investors, pitches, conflicts, regions, weights)
    min_micro = _threshold(min_score)
    step = max(1, _BLOCK_PAIRS // max(1, scorer.n_pitches))
    bounds = [(a, min(scorer.n_investors, a + step)) for a in range(0, scorer.n_investors, step)]
    # Fitting the text model is mostly Python; the other features are numpy,
    # which lets go of the interpreter lock: do the first while the second
    # runs for as many blocks as _AHEAD_PAIRS allows, on two cores.
    ahead = max(1, _AHEAD_PAIRS // (step * max(1, scorer.n_pitches)))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rank-text") as pool:
        fitting = pool.submit(fit_text, scorer.theses, scorer.texts)
        parts = deque(scorer.structure(a, b) for a, b in bounds[:ahead])
        text = fitting.result()
    result: dict[Id, list[RankedMatch]] = {inv.id: [] for inv in investors}
    for start, stop in bounds:
        part = parts.popleft() if parts else scorer.structure(start, stop)
        block = scorer.score(part, text, min_micro)
        for offset, matches in enumerate(scorer.matches(block, top)):
            result[investors[start + offset].id] = matches
    return result


def rank_problem(
    problem: RankProblem, *, min_score: float = 0.0, weights: Weights = DEFAULT_WEIGHTS
) -> dict[Id, list[RankedMatch]]:
    """:func:`rank` of a checked :class:`RankProblem`."""
    return rank(
        problem.investors,
        problem.pitches,
        conflicts=problem.conflicts,
        regions=problem.regions,
        top=problem.top,
        min_score=min_score,
        weights=weights,
    )


# -- the plain reference ---------------------------------------------------


def rank_reference(
    investors: Sequence[RankInvestor],
    pitches: Sequence[RankPitch],
    *,
    conflicts: Iterable[tuple[Id, Id]] = (),
    regions: Mapping[str, Iterable[str]] | None = None,
    top: int | None = None,
    min_score: float = 0.0,
    weights: Weights = DEFAULT_WEIGHTS,
) -> dict[Id, list[RankedMatch]]:
    """The same as :func:`rank`, one pair at a time in plain Python.

    Slow; it exists to check :func:`rank` and to measure how much faster
    that is. Text vectors are built in plain Python too
    (:func:`matchmaking.engine.text.reference_vectors`).
    """
    _check(investors, pitches, top, min_score)
    members, regions_of = _region_sets(regions)
    banned = set(conflicts)
    vectors = reference_vectors([i.thesis for i in investors] + [p.text for p in pitches])
    log_tmin = _log_money([i.ticket_min for i in investors]).tolist()
    log_tmax = _log_money([i.ticket_max for i in investors]).tolist()
    log_ask = _log_money([p.ask for p in pitches]).tolist()
    log_min = _log_money([p.min_ticket for p in pitches]).tolist()
    scale = weights.micro()
    min_micro = _threshold(min_score)

    def preference(named: tuple[str, ...], value: str | None) -> float:
        if not named:
            return weights.no_preference
        return 1.0 if value in named else 0.0

    result: dict[Id, list[RankedMatch]] = {}
    for i, inv in enumerate(investors):
        expanded = _expand(inv.municipalities, members)
        touched = {slug for muni in expanded for slug in regions_of.get(muni, ())}
        matches: list[RankedMatch] = []
        for j, p in enumerate(pitches):
            if (inv.id, p.id) in banned:
                continue
            if p.min_ticket > inv.ticket_max or inv.ticket_min > p.ask:
                continue
            if not inv.municipalities:
                geography = weights.no_preference
            elif p.municipality in expanded:
                geography = 1.0
            elif touched & regions_of.get(p.municipality, frozenset()):
                geography = weights.same_region
            else:
                geography = 0.0
            overlap = min(log_tmax[i], log_ask[j]) - max(log_tmin[i], log_min[j])
            narrower = min(log_tmax[i] - log_tmin[i], log_ask[j] - log_min[j])
            ticket = min(1.0, max(0.0, overlap / narrower)) if narrower > 0 else 1.0
            values = {
                "sector": preference(inv.sectors, p.sector),
                "stage": preference(inv.stages, p.stage),
                "ticket": ticket,
                "geography": geography,
                "subproject": preference(inv.subprojects, p.subproject),
                "text": reference_cosine(vectors[i], vectors[len(investors) + j]),
            }
            micro = {name: _micro(scale[name], values[name]) for name in REASONS}
            total = sum(micro.values())
            if total < min_micro:
                continue
            matches.append(
                RankedMatch(
                    pitch=p.id,
                    score=total / _MICRO,
                    reasons={name: micro[name] / _MICRO for name in REASONS},
                )
            )
        matches.sort(key=lambda m: (-m.score, m.pitch))
        result[inv.id] = matches if top is None else matches[:top]
    return result
