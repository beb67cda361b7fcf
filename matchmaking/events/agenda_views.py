"""Agendas: each participant's page, print view, iCalendar file and e-mail; the CSV export; meeting outcomes.

Routes hang on the events blueprint; :func:`panel` gives the session page its part.
"""

from __future__ import annotations

from typing import Any

from matchmaking.events.models import Event
from matchmaking.events.views import bp

__all__ = ["bp", "panel"]


def panel(event: Event, user: Any) -> dict[str, Any]:
    """What ``templates/events/_agenda_panel.html`` needs on the session page."""
    return {}
