"""The matching engine: pure Python with numpy, scipy and scikit-learn.

Nothing here imports Flask, SQLAlchemy or any part of :mod:`matchmaking`
outside this package (a test checks it), so the web app, the command line
(``python -m matchmaking.engine``) and other tools can all call it.

The public API is what this package exports (``__all__``): the three
solvers, their problem and result types, the ranking weights and the
errors. Problems check themselves on construction, with the same refusals
as the command line (:class:`EngineInputError` naming the field); ids are
the caller's own (strings, or integers such as database ids). An infeasible
line-up or schedule raises :class:`InfeasibleError`, whose ``violations``
say what is at fault as data (:class:`Violation`); :func:`check_lineup`
gives the same list without solving, and :func:`check_schedule` the
companies whose minimum cannot be met even alone (the list
:func:`solve_schedule` raises with before it solves).

- :mod:`matchmaking.engine.rank`: score and explain every investor-pitch pair.
- :mod:`matchmaking.engine.lineup`: choose the pitches for a Springbrett session.
- :mod:`matchmaking.engine.schedule`: the 1:1 meetings after the pitches.
- :mod:`matchmaking.engine.validate`: the checks of single values, one each.
- :mod:`matchmaking.engine.io`: the JSON contract (``docs/engine-io.md``),
  used only by :mod:`matchmaking.engine.cli`, the command line.

Importing the package loads the three solvers (numpy, scipy, scikit-learn).
Note that ``matchmaking.engine.rank`` is the function; the module of the same
name is ``sys.modules["matchmaking.engine.rank"]``.
"""

from __future__ import annotations

from matchmaking.engine.errors import (
    EngineInputError,
    Id,
    InfeasibleError,
    Rule,
    Violation,
    ViolationKind,
)
from matchmaking.engine.lineup import (
    LineupCandidate,
    LineupProblem,
    LineupResult,
    check_lineup,
    solve_lineup,
)
from matchmaking.engine.rank import (
    DEFAULT_WEIGHTS,
    REASONS,
    RankedMatch,
    RankInvestor,
    RankPitch,
    RankProblem,
    Weights,
    rank,
    rank_problem,
)
from matchmaking.engine.schedule import (
    Meeting,
    SchedulePerson,
    ScheduleProblem,
    ScheduleResult,
    check_schedule,
    solve_schedule,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "REASONS",
    "EngineInputError",
    "Id",
    "InfeasibleError",
    "LineupCandidate",
    "LineupProblem",
    "LineupResult",
    "Meeting",
    "RankInvestor",
    "RankPitch",
    "RankProblem",
    "RankedMatch",
    "Rule",
    "SchedulePerson",
    "ScheduleProblem",
    "ScheduleResult",
    "Violation",
    "ViolationKind",
    "Weights",
    "check_lineup",
    "check_schedule",
    "rank",
    "rank_problem",
    "solve_lineup",
    "solve_schedule",
]
