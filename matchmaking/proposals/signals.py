"""Signals sent by proposals, for features above it to react to.

``proposals`` imports nothing from the features above it (see
docs/architecture.md); when a change here must cause work there, it sends
one of these and the higher feature connects a receiver at app start.
Receivers run synchronously, inside the sender's transaction: what they
write is committed or rolled back with the change that caused it.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: A proposal's status changed (the sender is the proposal; ``before`` is
#: the old :class:`~matchmaking.proposals.models.Status`). Sent after the
#: timeline event is flushed, before the founder is notified.
proposal_status_changed = _signals.signal("proposal-status-changed")

#: A company moved to another municipality (the sender is the company, already
#: flushed). Geography is part of every match of its proposals.
company_moved = _signals.signal("company-moved")

#: Asked when a declined proposal's founder opens it and the organiser chose
#: to share the reviewers' comments (the sender is the proposal). Each
#: receiver returns a list of comments to show; ``screening`` answers with
#: the anonymised review comments.
founder_feedback = _signals.signal("founder-feedback")
