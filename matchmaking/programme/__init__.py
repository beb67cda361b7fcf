"""The regional programme: the steering group's report (``report/``).

BAN Ofoten is one of the programme's five sub-projects; this package reads
what every other feature recorded (proposals, Springbrett sessions, rounds,
follow-up reports) and reports it by sub-project and municipality. It only
reads: nothing below it knows it exists.

Importing this package registers every route on :data:`bp` (one way: this
module imports the views; they import ``blueprint``, not this).
"""

from matchmaking.programme.blueprint import bp
from matchmaking.programme.report import views as _views  # noqa: F401

__all__ = ["bp"]
