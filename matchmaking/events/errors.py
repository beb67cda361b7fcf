"""The one error every Springbrett rule raises, and the one "changed by someone else"."""

from __future__ import annotations

from collections.abc import Sequence

from matchmaking.i18n import lazy_gettext as _l


class EventError(Exception):
    """A rule was broken. ``message`` is for the person, in their language;
    ``field`` names the form field it belongs beside (None: above the form);
    ``reasons`` lists every rule an engine run cannot meet (the line-up page
    shows them as a list under the message)."""

    def __init__(
        self, message: str, field: str | None = None, *, reasons: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.reasons = list(reasons)


def stale_message() -> str:
    """What an organiser is told when the page they acted on is out of date."""
    return str(_l("This session was changed by someone else – reload to see their changes."))


class StaleError(EventError):
    """The page the post was made from showed an older version of the session.
    It belongs above the form (no ``field``): the page itself is out of date."""

    def __init__(self) -> None:
        super().__init__(stale_message())
