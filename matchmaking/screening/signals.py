"""Screening's receivers for the signals of the features below it.

:func:`connect` is called once, at app start (``create_app``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from matchmaking.proposals.signals import founder_feedback
from matchmaking.screening.services import shared_feedback

if TYPE_CHECKING:
    from matchmaking.proposals.models import Proposal


def on_founder_feedback(proposal: Proposal, **_: Any) -> list[str]:
    """The reviewers' comments the founder may read (see :func:`shared_feedback`)."""
    return shared_feedback(proposal)


def connect() -> None:
    """Connect the receivers (idempotent)."""
    founder_feedback.connect(on_founder_feedback)
