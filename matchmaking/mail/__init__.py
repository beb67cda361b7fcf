"""Sending e-mail: a plain-text and an HTML part, in the recipient's language.

``MAIL_BACKEND`` decides where a message goes: ``smtp`` (Flask-Mail through
``MAIL_SERVER``), ``log`` (development: written to the log and printed) or
``record`` (tests: kept in ``app.extensions["mail_outbox"]``).

A message is sent only if the work that caused it is kept (house style, "E-mail
and other side effects after the commit"): ``send_email`` renders the message
and queues it on the database session; the queue is delivered when the session
commits and dropped when it rolls back. A rolled-back SAVEPOINT
(``begin_nested``) drops only what was queued inside it (:mod:`.outbox`). With
``smtp`` the delivery happens on the app's mail thread, so no response waits
on the mail server; a failure there never reaches the request: it is retried
(``MAIL_RETRIES`` times, after ``MAIL_RETRY_DELAYS``), and a message that
still fails is logged (recipient and subject) and kept for the organisers,
who send it again or dismiss it (:mod:`.delivery`, :mod:`.failures`).
``record`` and ``log`` deliver at the commit itself, so tests and development
see the message as soon as the request is over.

``send_email(..., deliver_now=True)`` sends at once on the caller's thread and raises
the mail server's error, with no retry and no record: only for callers that
report failed sends themselves (the organiser's "send agendas", the digest
command). Commands call ``wait_for_deliveries()`` before they exit.

Every link in a message (and in a calendar file) is made by
``absolute_url`` from the ``BASE_URL`` setting, never from the request's
host (:mod:`.links`).

The package's modules, from the bottom: ``links``; ``backend`` (one message
to the configured backend, and what a failure means); ``failures`` (the
``failed_email`` table); ``delivery`` (the mail thread); ``outbox`` (the
session's queue).
"""

from __future__ import annotations

from matchmaking.mail.delivery import wait_for_deliveries
from matchmaking.mail.links import absolute_url, base_host, base_url_from, check_base_url
from matchmaking.mail.outbox import Attachment, Recipient, render_email, send_email, send_to

__all__ = [
    "Attachment",
    "Recipient",
    "absolute_url",
    "base_host",
    "base_url_from",
    "check_base_url",
    "render_email",
    "send_email",
    "send_to",
    "wait_for_deliveries",
]
