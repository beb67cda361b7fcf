"""matchmaking: investor matchmaking for BAN Ofoten.

The application factory lives in :mod:`matchmaking.app`; it is imported
lazily here so that ``python -m matchmaking.engine`` loads neither Flask nor
SQLAlchemy (the engine is framework-free).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Any = None, overrides: Any = None) -> Flask:
    """Build the Flask application (see :func:`matchmaking.app.create_app`)."""
    from matchmaking.app import create_app as _create_app

    return _create_app(config, overrides)
