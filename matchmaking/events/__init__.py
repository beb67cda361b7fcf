"""Springbrett sessions, cut by sub-feature.

``session/`` (the session itself, sign-up, candidates), ``lineup/`` (who
pitches), ``meetings/`` (the 1:1 schedule) and ``agenda/`` (what each person
is sent, and what came of the meetings) each hold their views and services.
Beside them: ``models``, ``forms`` (every form), ``errors`` (one
:class:`EventError`), ``versioning`` (one optimistic lock), ``access`` (which
session a person may see), ``programme`` (one definition each of who
pitches, when, and which investors attend) and ``notifications`` (every
e-mail a session sends). The map is in ``docs/architecture.md``.

Importing this package registers every route on :data:`bp` (one way: this
module imports the view modules; they import ``blueprint``, not this).
"""

from matchmaking.events.agenda import views as _agenda_views  # noqa: F401
from matchmaking.events.blueprint import bp
from matchmaking.events.lineup import views as _lineup_views  # noqa: F401
from matchmaking.events.meetings import views as _meetings_views  # noqa: F401
from matchmaking.events.session import views as _session_views  # noqa: F401

__all__ = ["bp"]
