"""The notices' receivers for the signals of the features below it.

:func:`connect` is called once, at app start (``create_app``).
"""

from __future__ import annotations

from typing import Any

from matchmaking.accounts.models import User
from matchmaking.accounts.signals import account_confirmed
from matchmaking.notices import services
from matchmaking.proposals.models import Proposal, Status
from matchmaking.proposals.signals import proposal_status_changed


def on_proposal_status_changed(proposal: Proposal, **_: Any) -> None:
    """A submission or resubmission: the "immediately" organisers are told."""
    if proposal.status in (Status.SUBMITTED, Status.RESUBMITTED):
        services.proposal_submitted(proposal)


def on_account_confirmed(user: User, **_: Any) -> None:
    """A new investor confirmed the address: the "immediately" organisers are told."""
    if user.is_investor:
        services.investor_registered(user)


def connect() -> None:
    """Connect the receivers (idempotent)."""
    proposal_status_changed.connect(on_proposal_status_changed)
    account_confirmed.connect(on_account_confirmed)
