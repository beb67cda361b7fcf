"""The score arithmetic of screening: pure functions, no database.

The aggregate of a proposal (``aggregate_scores``), over the reviewers who
scored it (conflicts and empty reviews left out), using the *active*
criteria with their current weights:

    mean_c   = the mean of the reviewers' scores on criterion c
    weighted = Σ_c w_c · mean_c / Σ_c w_c      (c: active criteria scored by someone)

The spread is taken over each reviewer's own weighted total
(``Σ_c w_c · s_rc / Σ_c w_c`` over the criteria that reviewer scored): the
board shows it as min–max, and ``Aggregate.stdev`` is their population
standard deviation (0 with one reviewer).

:mod:`matchmaking.screening.services` reads the score sheets and weights
from the database and hands them here.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Aggregate:
    """Scores of one proposal. ``mean`` is None while nobody has scored."""

    reviews: int = 0
    conflicts: int = 0
    mean: float | None = None
    stdev: float | None = None
    low: float | None = None
    high: float | None = None
    per_criterion: dict[int, float] = field(default_factory=dict)


def weighted_total(sheet: Mapping[int, int | float], weights: Mapping[int, float]) -> float | None:
    """Σ w_c · s_c / Σ w_c over the criteria in both ``sheet`` and ``weights``."""
    keys = [c for c in sheet if c in weights]
    total_weight = sum(weights[c] for c in keys)
    if not keys or total_weight <= 0:
        return None
    return sum(weights[c] * sheet[c] for c in keys) / total_weight


def aggregate_scores(
    sheets: Sequence[Mapping[int, int]], weights: Mapping[int, float], conflicts: int = 0
) -> Aggregate:
    """The aggregate of reviewers' score sheets (``{criterion id: score}`` each).

    ``weights`` holds the active criteria only; scores on other criteria are
    ignored. The formula is in the module docstring.
    """
    counted = [{c: v for c, v in s.items() if c in weights} for s in sheets]
    counted = [s for s in counted if s]
    by_criterion: dict[int, list[int]] = defaultdict(list)
    for sheet in counted:
        for c, v in sheet.items():
            by_criterion[c].append(v)
    means = {c: sum(vs) / len(vs) for c, vs in by_criterion.items()}
    mean = weighted_total(means, weights)
    totals = [t for t in (weighted_total(s, weights) for s in counted) if t is not None]
    stdev = low = high = None
    if totals:
        centre = sum(totals) / len(totals)
        stdev = math.sqrt(sum((t - centre) ** 2 for t in totals) / len(totals))
        low, high = min(totals), max(totals)
    return Aggregate(
        reviews=len(counted),
        conflicts=conflicts,
        mean=mean,
        stdev=stdev,
        low=low,
        high=high,
        per_criterion=means,
    )
