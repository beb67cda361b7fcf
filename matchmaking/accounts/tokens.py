"""Signed, expiring tokens for the links sent by e-mail.

* confirm: ``{"uid", "email"}``; valid for ``CONFIRM_TOKEN_MAX_AGE`` (48 h).
* reset: ``{"uid", "fp"}``; valid for one hour.
* email: ``{"uid", "email", "fp"}`` for a change of e-mail; sent to the new
  address; valid for ``CONFIRM_TOKEN_MAX_AGE``.

``fp`` is :func:`account_fingerprint`: a digest of the account's e-mail
address, password hash and security stamp when the link was sent. Using the
link, changing the address or the password, or asking for a newer change of
address changes one of them, so every link sent before is refused: each
link works once, and only while the account is as it was when it was sent.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING, Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

if TYPE_CHECKING:
    from matchmaking.accounts.models import User

SALTS = {"confirm": "account-confirm", "reset": "password-reset", "email": "email-change"}


class TokenError(Exception):
    """The link is broken, expired or already used; ``expired`` tells which."""

    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(kind: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALTS[kind])


def account_fingerprint(user: User) -> str:
    """A digest of the state a link is issued for (address, password, stamp)."""
    state = "\0".join((user.email, user.password_hash, user.security_stamp))
    return hashlib.sha256(state.encode()).hexdigest()[:20]


def fingerprint_matches(data: dict[str, Any], user: User) -> bool:
    """Whether the token ``data`` was issued for ``user`` as the account is now."""
    fingerprint = data.get("fp")
    return (
        data.get("uid") == user.id
        and isinstance(fingerprint, str)
        and hmac.compare_digest(fingerprint, account_fingerprint(user))
    )


def make_token(kind: str, payload: dict[str, Any]) -> str:
    return str(_serializer(kind).dumps(payload))


def read_token(kind: str, token: str, max_age: int) -> dict[str, Any]:
    try:
        data = _serializer(kind).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenError(expired=True) from exc
    except BadSignature as exc:
        raise TokenError(expired=False) from exc
    if not isinstance(data, dict):
        raise TokenError(expired=False)
    return data
