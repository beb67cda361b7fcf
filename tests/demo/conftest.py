"""The demo data loaded once per test (rolled back after it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from matchmaking.demo import services


@pytest.fixture
def loaded(app: Flask, db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo data loaded once; the decks go to a temporary DECK_DIR."""
    monkeypatch.setitem(app.config, "DECK_DIR", str(tmp_path))
    with app.test_request_context():
        services.load()
        db.session.commit()
    return tmp_path
