"""Signals sent by accounts, for features above it to react to.

``accounts`` imports nothing from the features above it; when a change here
must cause work there, it sends one of these and the higher feature connects
a receiver at app start (docs/architecture.md, "Signals").
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Someone confirmed the e-mail address of a new account (the sender is the
#: :class:`~matchmaking.accounts.models.User`, flushed, not committed). Sent
#: once per account, at its first confirmation; ``notices`` tells the
#: organisers of a new investor.
account_confirmed = _signals.signal("account-confirmed")
