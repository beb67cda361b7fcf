"""Screening fixtures: the seeded rubric, proposals, and a request context for services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from matchmaking.proposals.models import Proposal
from matchmaking.screening.models import Criterion
from matchmaking.screening.services import seed_criteria
from tests.screening.factories import make_proposal as _make_proposal


@pytest.fixture
def criteria(db: Any) -> list[Criterion]:
    """The six default criteria (weight 1 each)."""
    rows = seed_criteria()
    db.session.commit()
    return rows


@pytest.fixture
def make_proposal(db: Any, make_user: Callable[..., Any]) -> Callable[..., Proposal]:
    """``make_proposal(status=..., owner=None, **fields)``; a new founder by default."""

    def factory(*args: Any, owner: Any = None, **kwargs: Any) -> Proposal:
        return _make_proposal(owner or make_user("entrepreneur"), *args, **kwargs)

    return factory


@pytest.fixture
def ctx(app: Flask, db: Any) -> Iterator[None]:
    """A request context, for calling services directly (they build links)."""
    with app.test_request_context():
        yield
