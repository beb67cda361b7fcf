"""Login throttling over a sliding 15-minute window.

After ``LOGIN_MAX_PER_ACCOUNT`` failures for one e-mail address, or
``LOGIN_MAX_PER_ADDRESS`` from one client address, further attempts are
refused until the oldest failure leaves the window. A success clears the
account's failures. Counters live in the database, or in Redis when
``REDIS_URL`` is set, so that every worker sees the same numbers.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Protocol

from flask import Flask, current_app
from sqlalchemy import delete, func, select

from matchmaking.accounts.models import LoginFailure
from matchmaking.extensions import db, utcnow


class Throttle(Protocol):
    def blocked(self, account: str, address: str) -> bool: ...
    def fail(self, account: str, address: str) -> None: ...
    def succeed(self, account: str) -> None: ...


class DatabaseThrottle:
    """Failures as rows in ``login_failure`` (flushed with the request)."""

    def __init__(self, window: timedelta, per_account: int, per_address: int) -> None:
        self.window, self.per_account, self.per_address = window, per_account, per_address

    def blocked(self, account: str, address: str) -> bool:
        since = utcnow() - self.window
        by_account = db.session.scalar(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.account == account, LoginFailure.at > since)
        )
        if (by_account or 0) >= self.per_account:
            return True
        by_address = db.session.scalar(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.address == address, LoginFailure.at > since)
        )
        return (by_address or 0) >= self.per_address

    def fail(self, account: str, address: str) -> None:
        db.session.add(LoginFailure(account=account, address=address, at=utcnow()))
        # Old rows are of no further use: keep the table small.
        db.session.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - self.window))
        db.session.flush()

    def succeed(self, account: str) -> None:
        db.session.execute(delete(LoginFailure).where(LoginFailure.account == account))
        db.session.flush()


class RedisThrottle:
    """Failures as members of sorted sets scored by time, one per key."""

    def __init__(
        self, url: str, window: timedelta, per_account: int, per_address: int, prefix: str
    ) -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self.window, self.per_account, self.per_address = window, per_account, per_address
        self.prefix = prefix

    def _count(self, key: str) -> int:
        now = utcnow().timestamp()
        pipe = self.client.pipeline()
        pipe.zremrangebyscore(key, 0, now - self.window.total_seconds())
        pipe.zcard(key)
        return int(pipe.execute()[1])

    def blocked(self, account: str, address: str) -> bool:
        return (
            self._count(f"{self.prefix}acct:{account}") >= self.per_account
            or self._count(f"{self.prefix}addr:{address}") >= self.per_address
        )

    def fail(self, account: str, address: str) -> None:
        now = utcnow().timestamp()
        ttl = int(self.window.total_seconds()) + 1
        pipe = self.client.pipeline()
        for key in (f"{self.prefix}acct:{account}", f"{self.prefix}addr:{address}"):
            pipe.zadd(key, {f"{now}:{secrets.token_hex(4)}": now})
            pipe.expire(key, ttl)
        pipe.execute()

    def succeed(self, account: str) -> None:
        self.client.delete(f"{self.prefix}acct:{account}")


def init_app(app: Flask) -> None:
    window = app.config["LOGIN_WINDOW"]
    per_account = app.config["LOGIN_MAX_PER_ACCOUNT"]
    per_address = app.config["LOGIN_MAX_PER_ADDRESS"]
    throttle: Throttle
    if app.config.get("REDIS_URL"):
        prefix = app.config.get("REDIS_PREFIX", "matchmaking:login:")
        throttle = RedisThrottle(app.config["REDIS_URL"], window, per_account, per_address, prefix)
    else:
        throttle = DatabaseThrottle(window, per_account, per_address)
    app.extensions["login_throttle"] = throttle


def get_throttle() -> Throttle:
    throttle: Throttle = current_app.extensions["login_throttle"]
    return throttle
