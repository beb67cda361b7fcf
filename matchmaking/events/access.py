"""Which session a person may see, and who is asking."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user

from matchmaking.events.models import Event
from matchmaking.extensions import db


def current_person() -> Any:
    """The logged-in user as a model object (not Flask-Login's proxy)."""
    return current_user._get_current_object()


def load_event(event_id: int) -> Event:
    """An event the user may see: drafts are 404 for all but organisers."""
    event = db.session.get(Event, event_id)
    if event is None or (not event.is_published and not current_user.is_organiser):
        abort(404)
    result: Event = event
    return result
