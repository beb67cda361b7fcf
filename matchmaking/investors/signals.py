"""Signals sent by investors, for features above it to react to.

``investors`` imports nothing from ``matches``; when an investor's profile
or approval changes, it sends :data:`investor_profile_changed` and
``matches`` (connected at app start) refreshes the investor's stored
scores, synchronously, inside the same transaction.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: An investor's interest profile was saved, or the investor was approved or
#: rejected (the sender is the investor's :class:`~matchmaking.accounts.models.User`;
#: the change is flushed, not committed).
investor_profile_changed = _signals.signal("investor-profile-changed")
