"""Score the six features of investor-pitch pairs (the rules are in
:mod:`matchmaking.engine.rank`).

The arithmetic in whole millionths and the region helpers that both
implementations share (the vectorised :func:`~matchmaking.engine.rank.rank`
and the plain :func:`~matchmaking.engine.rank.rank_reference`), and
:class:`Scorer`, which scores all pairs with numpy and scipy a block of
investors at a time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from matchmaking.engine.errors import Id
from matchmaking.engine.rank_types import (
    MICRO,
    REASONS,
    RankedMatch,
    RankInvestor,
    RankPitch,
    Weights,
)
from matchmaking.engine.text import TextSimilarity

__all__ = [
    "Scorer",
    "expand_regions",
    "log_money",
    "region_sets",
    "threshold",
    "to_micro",
    "to_micro_array",
]

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


# -- shared by both implementations ----------------------------------------


def to_micro(weight: int, value: float) -> int:
    """A share ``value`` in [0, 1] of ``weight`` millionths, rounded to a whole one."""
    return round(weight * value)


def threshold(min_score: float) -> int:
    """The least score in millionths that ``min_score`` lets through."""
    return math.ceil(min_score * MICRO - 1e-6)


def to_micro_array(weight: int, value: FloatArray) -> Int32Array:
    """:func:`to_micro` of each element (``value`` is overwritten)."""
    value *= weight
    np.rint(value, out=value)
    return value.astype(np.int32)


def region_sets(
    regions: Mapping[str, Iterable[str]] | None,
) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """(members of each region, regions of each municipality)."""
    members = {slug: frozenset(munis) for slug, munis in (regions or {}).items()}
    of: dict[str, set[str]] = {}
    for slug, munis in members.items():
        for muni in munis:
            of.setdefault(muni, set()).add(slug)
    return members, {m: frozenset(r) for m, r in of.items()}


def expand_regions(named: Iterable[str], members: Mapping[str, frozenset[str]]) -> set[str]:
    """The municipalities an investor named, with each named region's members."""
    out: set[str] = set()
    for name in named:
        out.add(name)
        out |= members.get(name, frozenset())
    return out


def log_money(values: Sequence[int]) -> FloatArray:
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


class Scorer:
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
        members, regions_of = region_sets(regions)
        expanded = [expand_regions(i.municipalities, members) for i in investors]

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
        log_tmin = log_money([i.ticket_min for i in investors])
        log_tmax = log_money([i.ticket_max for i in investors])
        log_ask = log_money([p.ask for p in ps])
        log_min = log_money([p.min_ticket for p in ps])
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
            micro = [to_micro(self._scale[name], share[k]) for k in range(size)]
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
        return to_micro_array(self._scale["ticket"], share)

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
        similarity = to_micro_array(self._scale["text"], text.block(part.start, part.stop))
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
        scores = (block.total[rows, cols] / MICRO).tolist()
        reasons = zip(*((micro[name] / MICRO).tolist() for name in REASONS), strict=True)
        found = [
            RankedMatch(self.pitch_ids[col], score, dict(zip(REASONS, parts, strict=True)))
            for col, score, parts in zip(cols.tolist(), scores, reasons, strict=True)
        ]
        bounds = np.concatenate([[0], np.cumsum(counts)]).tolist()
        return [found[bounds[r] : bounds[r + 1]] for r in range(n_rows)]
