"""Throttling of password attempts and of account e-mails, safe under parallel requests.

Password attempts (logins, and the current-password check on the password
and e-mail change pages) are limited over a sliding ``LOGIN_WINDOW``: at
most ``LOGIN_MAX_PER_ACCOUNT`` for one e-mail address and
``LOGIN_MAX_PER_ADDRESS`` from one client address. A success clears the
account's count. Reset and confirmation e-mails are limited the same way
over ``MAIL_LIMIT_WINDOW``: ``MAIL_LIMIT_PER_RECIPIENT`` per kind of e-mail
and recipient, ``MAIL_LIMIT_PER_CLIENT`` per client address.

Every check records the attempt and decides in one atomic step, *before*
the password is verified (or the e-mail sent); checking the count first and
recording a failure afterwards let parallel requests all pass the check.
An attempt over a limit is not recorded (so waiting out the window works)
and is refused. An attempt within the limits stays recorded, and counts as
a failure until a success clears it.

How the step is made atomic:

- Redis (when ``REDIS_URL`` is set): one Lua script per attempt trims each
  sorted set to the window, compares every count with its limit and adds
  the attempt to all of them, or to none. Redis runs a script without
  interleaving any other command.
- PostgreSQL (READ COMMITTED): inserting a row and then counting is not
  enough, since each transaction counts before the others commit. The
  attempt therefore gets a short transaction of its own, which first takes
  a transaction-scoped advisory lock for the account (or recipient) and one
  for the client address, always in that order (no deadlock), then inserts
  its row, counts, deletes the row if a limit is passed, and commits, which
  releases the locks. Whoever takes the locks next sees the committed row.
  Old rows are removed with ``FOR UPDATE SKIP LOCKED``, so the clean-up never
  waits on another transaction; clearing an account takes its lock too.
- SQLite: the same transaction starts with the insert, which takes SQLite's
  single write lock; other writers wait for the commit.

The check commits the request's database session first (the views call it
before changing anything else).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, Protocol

from flask import Flask, current_app
from sqlalchemy import ColumnElement, delete, func, select, text

from matchmaking.accounts.models import LoginFailure, MailRequest
from matchmaking.extensions import db, utcnow


class Throttle(Protocol):
    def attempt(self, account: str, address: str) -> bool:
        """Record a password attempt; False (not recorded) if over a limit."""
        ...

    def succeed(self, account: str) -> None:
        """The password was right: clear the account's attempts."""
        ...

    def allow_email(self, kind: str, recipient: str, address: str) -> bool:
        """Record an e-mail of ``kind`` to ``recipient``; False if over a limit."""
        ...


class Limits:
    """The numbers from the configuration."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.login_window: timedelta = config["LOGIN_WINDOW"]
        self.per_account: int = config["LOGIN_MAX_PER_ACCOUNT"]
        self.per_address: int = config["LOGIN_MAX_PER_ADDRESS"]
        self.mail_window: timedelta = config["MAIL_LIMIT_WINDOW"]
        self.per_recipient: int = config["MAIL_LIMIT_PER_RECIPIENT"]
        self.per_client: int = config["MAIL_LIMIT_PER_CLIENT"]


def _lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key for ``name`` (a collision only serialises more)."""
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _lock(*names: str) -> None:
    """PostgreSQL: take transaction-scoped advisory locks, in the order given."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for name in names:
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(name)})


class DatabaseThrottle:
    """Attempts as rows in ``login_failure`` and ``mail_request``."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    def _record(
        self,
        row: LoginFailure | MailRequest,
        locks: tuple[str, ...],
        counts: list[tuple[ColumnElement[bool], int]],
        window: timedelta,
    ) -> bool:
        model = type(row)
        session = db.session
        session.commit()  # the attempt gets a short transaction of its own
        now = utcnow()
        since = now - window
        row.at = now
        # On SQLite the insert comes first: it takes the write lock.
        session.add(row)
        session.flush()
        _lock(*locks)
        allowed = True
        for where, limit in counts:
            n = session.scalar(
                select(func.count()).select_from(model).where(where, model.at > since)
            )
            if (n or 0) > limit:
                allowed = False
                break
        if not allowed:
            session.delete(row)
        # Old rows are of no further use; skip any another transaction holds.
        old = select(model.id).where(model.at <= since).with_for_update(skip_locked=True)
        session.execute(delete(model).where(model.id.in_(old)))
        session.commit()
        return allowed

    def attempt(self, account: str, address: str) -> bool:
        account, address = account[:254], address[:64]
        return self._record(
            LoginFailure(account=account, address=address),
            (f"login:account:{account}", f"login:address:{address}"),
            [
                (LoginFailure.account == account, self.limits.per_account),
                (LoginFailure.address == address, self.limits.per_address),
            ],
            self.limits.login_window,
        )

    def succeed(self, account: str) -> None:
        account = account[:254]
        _lock(f"login:account:{account}")
        db.session.execute(delete(LoginFailure).where(LoginFailure.account == account))
        db.session.flush()

    def allow_email(self, kind: str, recipient: str, address: str) -> bool:
        recipient, address = recipient.strip().lower()[:254], address[:64]
        return self._record(
            MailRequest(kind=kind, recipient=recipient, address=address),
            (f"mail:{kind}:{recipient}", f"mail:address:{address}"),
            [
                (
                    (MailRequest.kind == kind) & (MailRequest.recipient == recipient),
                    self.limits.per_recipient,
                ),
                (MailRequest.address == address, self.limits.per_client),
            ],
            self.limits.mail_window,
        )


# Trim every key to the window; if every count is below its limit, add the
# attempt to each key and answer 1, else change nothing and answer 0.
# ARGV: now, cutoff, member, ttl in seconds, then one limit per key.
_RECORD_SCRIPT = """
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[2])
end
for i, key in ipairs(KEYS) do
  if redis.call('ZCARD', key) >= tonumber(ARGV[4 + i]) then
    return 0
  end
end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, ARGV[1], ARGV[3])
  redis.call('EXPIRE', key, ARGV[4])
end
return 1
"""


class RedisThrottle:
    """Attempts as members of sorted sets scored by time, one set per key."""

    def __init__(self, url: str, limits: Limits, prefix: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self.limits = limits
        self.prefix = prefix
        self._script = self.client.register_script(_RECORD_SCRIPT)

    def _record(self, keys: list[tuple[str, int]], window: timedelta) -> bool:
        now = utcnow().timestamp()
        seconds = window.total_seconds()
        args: list[Any] = [now, now - seconds, f"{now}:{secrets.token_hex(8)}", int(seconds) + 1]
        args += [limit for _key, limit in keys]
        return bool(self._script(keys=[self.prefix + key for key, _limit in keys], args=args))

    def attempt(self, account: str, address: str) -> bool:
        return self._record(
            [
                (f"acct:{account}", self.limits.per_account),
                (f"addr:{address}", self.limits.per_address),
            ],
            self.limits.login_window,
        )

    def succeed(self, account: str) -> None:
        self.client.delete(f"{self.prefix}acct:{account}")

    def allow_email(self, kind: str, recipient: str, address: str) -> bool:
        recipient = recipient.strip().lower()
        return self._record(
            [
                (f"mail:{kind}:{recipient}", self.limits.per_recipient),
                (f"mail-client:{address}", self.limits.per_client),
            ],
            self.limits.mail_window,
        )


def init_app(app: Flask) -> None:
    limits = Limits(app.config)
    throttle: Throttle
    if app.config.get("REDIS_URL"):
        prefix = app.config.get("REDIS_PREFIX", "matchmaking:login:")
        throttle = RedisThrottle(app.config["REDIS_URL"], limits, prefix)
    else:
        throttle = DatabaseThrottle(limits)
    app.extensions["login_throttle"] = throttle


def get_throttle() -> Throttle:
    throttle: Throttle = current_app.extensions["login_throttle"]
    return throttle


def allow_email(kind: str, recipient: str, client: str) -> bool:
    """Whether an e-mail of ``kind`` ("reset", "confirm") may go to ``recipient`` now.

    Called where the e-mail would be sent. When it answers False the page
    answers exactly as it would otherwise, but sends nothing.
    """
    return get_throttle().allow_email(kind, recipient, client)
