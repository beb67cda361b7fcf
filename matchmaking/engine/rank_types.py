"""The ranking's types: an investor, a pitch, the weights and a ranked match.

:mod:`matchmaking.engine.rank` re-exports them, with the rules that score a
pair; :mod:`matchmaking.engine.rank_features` scores the features.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Final

from matchmaking.engine.errors import EngineInputError, Id

__all__ = [
    "DEFAULT_WEIGHTS",
    "MICRO",
    "REASONS",
    "RankInvestor",
    "RankPitch",
    "RankedMatch",
    "Weights",
]

REASONS: Final = ("sector", "stage", "ticket", "geography", "subproject", "text")
"""The reason names, in the order they are documented."""

MICRO: Final = 1_000_000
"""Scores and their reasons are counted in whole millionths of this."""


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
            getattr(self, name) * MICRO / math.fsum(getattr(self, n) for n in REASONS)
            for name in REASONS
        ]
        whole = [math.floor(x) for x in exact]
        left = MICRO - sum(whole)
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
