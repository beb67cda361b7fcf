"""Small pieces shared by the forms of every feature."""

from __future__ import annotations

from typing import Any


def strip(value: Any) -> Any:
    """A WTForms filter: drop the spaces around typed text."""
    return value.strip() if isinstance(value, str) else value
