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

This module holds the entry points, the input checks and the reference; the
types live in :mod:`matchmaking.engine.rank_types` (re-exported here) and
the vectorised scoring of the features in
:mod:`matchmaking.engine.rank_features`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Final

from matchmaking.engine.errors import EngineInputError
from matchmaking.engine.rank_features import (
    Scorer,
    expand_regions,
    log_money,
    region_sets,
    threshold,
    to_micro,
)
from matchmaking.engine.rank_types import (
    DEFAULT_WEIGHTS,
    MICRO,
    REASONS,
    RankedMatch,
    RankInvestor,
    RankPitch,
    Weights,
)
from matchmaking.engine.text import fit_text, reference_cosine, reference_vectors
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

# Pairs scored at once: bounds the memory of one block of investors.
_BLOCK_PAIRS: Final = 1 << 20
# Pairs whose other features are computed while the text model is fitted.
_AHEAD_PAIRS: Final = 1 << 25


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
    scorer = Scorer(investors, pitches, conflicts, regions, weights)
    min_micro = threshold(min_score)
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
    members, regions_of = region_sets(regions)
    banned = set(conflicts)
    vectors = reference_vectors([i.thesis for i in investors] + [p.text for p in pitches])
    log_tmin = log_money([i.ticket_min for i in investors]).tolist()
    log_tmax = log_money([i.ticket_max for i in investors]).tolist()
    log_ask = log_money([p.ask for p in pitches]).tolist()
    log_min = log_money([p.min_ticket for p in pitches]).tolist()
    scale = weights.micro()
    min_micro = threshold(min_score)

    def preference(named: tuple[str, ...], value: str | None) -> float:
        if not named:
            return weights.no_preference
        return 1.0 if value in named else 0.0

    result: dict[Id, list[RankedMatch]] = {}
    for i, inv in enumerate(investors):
        expanded = expand_regions(inv.municipalities, members)
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
            micro = {name: to_micro(scale[name], values[name]) for name in REASONS}
            total = sum(micro.values())
            if total < min_micro:
                continue
            matches.append(
                RankedMatch(
                    pitch=p.id,
                    score=total / MICRO,
                    reasons={name: micro[name] / MICRO for name in REASONS},
                )
            )
        matches.sort(key=lambda m: (-m.score, m.pitch))
        result[inv.id] = matches if top is None else matches[:top]
    return result
