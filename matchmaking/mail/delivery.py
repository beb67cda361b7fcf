"""The app's mail thread: each committed message is sent, retried, or kept for the organisers.

With ``MAIL_BACKEND=smtp`` a committed message is handed to the app's one
mail thread, so no response waits on the mail server. The thread sends the
messages one after another, each as soon as it is due. A message that fails
for a reason that may pass (no connection, a timeout, a 4xx answer) is due
again after ``MAIL_RETRY_DELAYS[n]`` seconds, up to ``MAIL_RETRIES`` times;
in the meantime the thread sends the messages behind it, so one failing
message never holds the others (they do queue behind each attempt, which
``MAIL_TIMEOUT`` bounds). A message that still fails, or that the server
refused for good (a 5xx answer), is logged (recipient and subject) and
recorded in ``failed_email`` for the organisers (:mod:`.failures`).

The thread runs only while there is something to send or retry. When the
process exits, waiting retries are cut short: each message has one last
attempt at once and, failing that, is recorded, so nothing is dropped
silently. ``wait_for_deliveries`` waits for messages, retries and records.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from flask import Flask, current_app
from flask_mail import Message

from matchmaking.extensions import db, utcnow
from matchmaking.mail import failures
from matchmaking.mail.backend import (
    SEND_ERRORS,
    Failure,
    Outgoing,
    classify,
    deliver,
    log,
    recipients,
)

#: While a retry waits, how often the thread looks whether the process is exiting.
_POLL = 1.0


@dataclass(eq=False)
class _Job:
    outgoing: Outgoing
    attempts: int = 0
    first_failed_at: datetime | None = None


@dataclass(order=True)
class _Due:
    at: float
    order: int
    job: _Job = field(compare=False)


def _exiting() -> bool:
    """Whether the interpreter is shutting down (the main thread has ended)."""
    return not threading.main_thread().is_alive()


def _retry_delay(app: Flask, attempts: int) -> float | None:
    """Seconds until the next attempt after ``attempts`` failed ones, or None: no more."""
    if attempts > int(app.config["MAIL_RETRIES"]):
        return None
    delays = [float(d) for d in app.config["MAIL_RETRY_DELAYS"]] or [0.0]
    return max(0.0, delays[min(attempts, len(delays)) - 1])


class MailThread:
    """The app's mail thread and the messages handed to it but not yet done."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._cond = threading.Condition()
        self._due: list[_Due] = []
        self._order = itertools.count()
        self._unfinished = 0
        self._thread: threading.Thread | None = None

    def submit(self, outgoing: Outgoing) -> None:
        """Send ``outgoing`` soon. RuntimeError if no thread can be started (exiting)."""
        with self._cond:
            entry = _Due(time.monotonic(), next(self._order), _Job(outgoing))
            heapq.heappush(self._due, entry)
            self._unfinished += 1
            if self._thread is None:
                thread = threading.Thread(target=self._run, name="mail")
                try:
                    thread.start()
                except RuntimeError:
                    self._due.remove(entry)
                    heapq.heapify(self._due)
                    self._unfinished -= 1
                    raise
                self._thread = thread
            self._cond.notify_all()

    def wait(self, timeout: float | None) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._unfinished == 0, timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                job = self._next()
                if job is None:
                    self._thread = None
                    return
            try:
                retry_in = self._attempt(job)
            except Exception:  # a bug here must not stop the thread for good
                log.exception("the mail thread failed on a message")
                retry_in = None
            with self._cond:
                if retry_in is None:
                    self._unfinished -= 1
                else:
                    heapq.heappush(
                        self._due, _Due(time.monotonic() + retry_in, next(self._order), job)
                    )
                self._cond.notify_all()

    def _next(self) -> _Job | None:
        """The next message due (waiting for it), or None when there is none. Lock held."""
        while self._due:
            wait = self._due[0].at - time.monotonic()
            if wait <= 0 or _exiting():
                return heapq.heappop(self._due).job
            self._cond.wait(min(wait, _POLL))
        return None

    def _attempt(self, job: _Job) -> float | None:
        """Try once; seconds until the next try, or None when done (sent or recorded)."""
        message = job.outgoing.message
        try:
            deliver(self.app, message)
        except Exception as error:  # never raised on the mail thread
            job.attempts += 1
            job.first_failed_at = job.first_failed_at or utcnow()
            failure = classify(error)
            retry_in = None if failure.permanent else _retry_delay(self.app, job.attempts)
            if retry_in is not None and not _exiting():
                log.warning(
                    "e-mail to %s (subject %r) failed (attempt %d, retrying in %g s): %s",
                    recipients(message),
                    message.subject,
                    job.attempts,
                    retry_in,
                    failure.detail,
                )
                return retry_in
            log.error(
                "e-mail to %s (subject %r) could not be sent after %d attempt(s): %s",
                recipients(message),
                message.subject,
                job.attempts,
                failure.detail,
                exc_info=not isinstance(error, SEND_ERRORS),  # a bug: its traceback
            )
            self._record(job, failure)
        return None

    def _record(self, job: _Job, failure: Failure) -> None:
        try:
            with self.app.app_context():
                failures.record(
                    job.outgoing,
                    failure,
                    attempts=job.attempts,
                    failed_at=job.first_failed_at or utcnow(),
                )
                db.session.commit()
        except Exception:
            log.exception(
                "e-mail to %s (subject %r) could not be recorded for the organisers",
                recipients(job.outgoing.message),
                job.outgoing.message.subject,
            )


_threads_lock = threading.Lock()


def _mail_thread(app: Flask) -> MailThread:
    with _threads_lock:
        thread = app.extensions.get("mail_deliveries")
        if thread is None:
            thread = app.extensions["mail_deliveries"] = MailThread(app)
        return cast(MailThread, thread)


def _deliver_logged(app: Flask, message: Message) -> None:
    """Deliver on this thread: a failure is logged, never raised."""
    try:
        deliver(app, message)
    except Exception:
        log.exception(
            "e-mail to %s (subject %r) could not be sent", recipients(message), message.subject
        )


def hand_over(app: Flask, outgoing: Outgoing) -> None:
    """Deliver a committed message: on the mail thread for SMTP, else at once."""
    if app.config["MAIL_BACKEND"] == "smtp":
        try:
            _mail_thread(app).submit(outgoing)
            return
        except RuntimeError:  # the interpreter is shutting down: send it here
            pass
    _deliver_logged(app, outgoing.message)


def wait_for_deliveries(timeout: float | None = 60, app: Flask | None = None) -> bool:
    """Wait until every message handed to the mail thread is sent or recorded as failed.

    Returns False if some are still pending (or waiting for a retry) after
    ``timeout`` seconds. ``app`` defaults to the current app.
    """
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    thread = app.extensions.get("mail_deliveries")
    return True if thread is None else bool(thread.wait(timeout))
