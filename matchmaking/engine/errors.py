"""Errors the engine raises for input that a person must correct.

Every one carries a message that names the field or the constraint; the
command-line face prints it as ``error: <message>`` and exits with status 2.

:class:`InfeasibleError` also carries the constraints at fault as data
(:class:`Violation`: a :class:`ViolationKind`, the ids involved, what is
needed and what is available), so a caller words them in its own language
and never reads the English message.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

__all__ = ["EngineInputError", "Id", "InfeasibleError", "Rule", "Violation", "ViolationKind"]

Id: TypeAlias = str | int
"""An id in a problem: the JSON layer's strings, or a caller's own (database) integers.
Within one list all are strings or all integers, since ties go by id order."""


class EngineInputError(ValueError):
    """Input that is malformed, out of range or refers to an undeclared id."""


class Rule(enum.StrEnum):
    """A family of constraints, named as in the JSON contract."""

    PINNED = "pinned"
    EXCLUDED = "excluded"
    MIN_PER_SUBPROJECT = "min_per_subproject"
    MAX_PER_MUNICIPALITY = "max_per_municipality"
    MIN_MEETINGS = "min_meetings"
    MAX_MEETINGS = "max_meetings"
    UNAVAILABLE = "unavailable"


class ViolationKind(enum.StrEnum):
    """Why no line-up or schedule can meet the constraints."""

    # -- lineup --------------------------------------------------------
    #: ``candidates`` are both pinned and excluded.
    PINNED_AND_EXCLUDED = "pinned_and_excluded"
    #: More candidates pinned (``needed``) than the line-up has seats (``available``).
    TOO_MANY_PINNED = "too_many_pinned"
    #: The sub-project minimums add up (``needed``) to more than the seats (``available``).
    MINIMUMS_OVER_SEATS = "minimums_over_seats"
    #: ``subprojects[0]`` needs ``needed`` but has ``available`` candidates not excluded.
    TOO_FEW_CANDIDATES = "too_few_candidates"
    #: ``subprojects[0]`` needs ``needed``; with the cap ``limit`` per municipality
    #: at most ``available`` of its candidates can be chosen.
    SUBPROJECT_MINIMUM = "subproject_minimum"
    #: ``needed`` pinned candidates in ``municipalities[0]``, the cap is ``available``.
    PINNED_CONFLICT = "pinned_conflict"
    #: The cap ``limit`` per municipality lets at most ``available`` of the
    #: ``needed`` seats be filled, from ``municipalities``.
    MUNICIPALITY_CAP = "municipality_cap"
    #: The pins (``candidates``) leave ``available`` free seats but the minimums
    #: still need ``needed``: ``shortfall[k]`` more from ``subprojects[k]``.
    PINS_CROWD_MINIMUMS = "pins_crowd_minimums"
    #: Each rule alone can be met, not all together. ``rules``: the smallest
    #: failing set of rule families; ``subprojects`` (with their minimums in
    #: ``shortfall``), ``candidates`` (the pins, when they take part) and
    #: ``limit`` (the cap): the smallest failing combination in detail.
    #: ``needed``: the seats.
    COMBINATION = "combination"
    # -- schedule ------------------------------------------------------
    #: ``companies[0]`` needs ``needed`` meetings, its max_meetings is ``available``.
    MINIMUM_OVER_MAXIMUM = "minimum_over_maximum"
    #: ``companies[0]`` needs ``needed`` meetings, is available in ``available`` slots.
    TOO_FEW_SLOTS = "too_few_slots"
    #: ``companies[0]`` needs ``needed`` meetings, may meet ``available`` investors.
    TOO_FEW_INVESTORS = "too_few_investors"
    #: ``companies[0]`` needs ``needed`` meetings, ``available`` fit into slots where
    #: it and the investors it may meet are all available.
    TOO_FEW_SHARED_SLOTS = "too_few_shared_slots"
    #: Each company's minimum can be met alone, not all together (``rules``
    #: names whether the people's unavailability takes part).
    MINIMUMS_TOGETHER = "minimums_together"


@dataclass(frozen=True)
class Violation:
    """One constraint (or combination) that no solution can meet."""

    kind: ViolationKind
    needed: int = 0
    available: int = 0
    subprojects: tuple[Id, ...] = ()
    municipalities: tuple[Id, ...] = ()
    candidates: tuple[Id, ...] = ()
    companies: tuple[Id, ...] = ()
    #: Per sub-project in ``subprojects``: how many it still needs (see the kind).
    shortfall: tuple[int, ...] = ()
    #: The cap per municipality, where it takes part.
    limit: int | None = None
    #: The rule families at fault.
    rules: tuple[Rule, ...] = ()


class InfeasibleError(EngineInputError):
    """A constraint set that no solution can meet.

    ``violations`` holds every constraint at fault (the first one is the
    message's); the message is for the command line and logs only.
    """

    def __init__(self, message: str, violations: Sequence[Violation] = ()) -> None:
        super().__init__(message)
        self.violations: list[Violation] = list(violations)
