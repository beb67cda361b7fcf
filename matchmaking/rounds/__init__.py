"""Funding rounds, cut by sub-feature.

``commitments/`` (an investor's soft commitment, and the investor's
portfolio), ``page/`` (the round page, opening a round, its terms and its
lead) and ``close/`` (recording the outcome) each hold their views. Beside
them: ``models``, ``services`` (the rules: opening, committing, totals),
``access`` (who may see, manage and commit) and ``notifications`` (every
e-mail a round sends).

Importing this package registers every route on :data:`bp` (one way: this
module imports the view modules; they import ``blueprint``, not this).
"""

from matchmaking.rounds.blueprint import bp
from matchmaking.rounds.close import views as _close_views  # noqa: F401
from matchmaking.rounds.commitments import views as _commitments_views  # noqa: F401
from matchmaking.rounds.page import views as _page_views  # noqa: F401

__all__ = ["bp"]
