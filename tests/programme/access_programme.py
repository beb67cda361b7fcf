"""Access rows for the programme's pages (see ``tests/test_access.py``).

The report is for organisers: anonymous visitors are sent to the login page,
every other role gets 403, as on the other organiser-only pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.test_access import ORGANISERS, Route

#: Endpoint -> the routes tried for it, with what each role gets.
ROWS: dict[str, list[Route]] = {
    "programme.report": [
        Route("GET", "/programme/report", ORGANISERS),
        Route("GET", "/programme/report?from=2026-01-01&to=2026-06-30", ORGANISERS),
        # A period that cannot be read: told beside the field, the default shown.
        Route("GET", "/programme/report?from=2026-13-01&to=2025-01-01", ORGANISERS),
    ],
}
#: Ctx key -> a factory that makes the object (called with the Ctx).
CTX: dict[str, Callable[[Any], Any]] = {}
