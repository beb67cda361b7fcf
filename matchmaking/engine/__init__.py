"""The matching engine: pure Python with numpy, scipy and scikit-learn.

Nothing here imports Flask, SQLAlchemy or any part of :mod:`matchmaking`
outside this package (a test checks it), so the web app, the command line
(``python -m matchmaking.engine``) and other tools can all call it.

- :mod:`matchmaking.engine.rank`: score and explain every investor-pitch pair.
- :mod:`matchmaking.engine.lineup`: choose the pitches for a Springbrett session.
- :mod:`matchmaking.engine.schedule`: the 1:1 meetings after the pitches.
- :mod:`matchmaking.engine.validate`: the checks of the JSON contract.
- :mod:`matchmaking.engine.cli`: the command line.

Importing the package itself loads only the error types; each module above
is imported where it is used.
"""

from __future__ import annotations

from matchmaking.engine.errors import EngineInputError, InfeasibleError

__all__ = ["EngineInputError", "InfeasibleError"]
