"""Access rows for the round's close views (see ``tests/test_access.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.test_access import Route

#: Endpoint -> the routes tried for it, with what each role gets.
ROWS: dict[str, list[Route]] = {}
#: Ctx key -> a factory that makes the object (called with the Ctx).
CTX: dict[str, Callable[[Any], Any]] = {}
