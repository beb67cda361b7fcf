"""Signed, expiring tokens for the links sent by e-mail.

* confirm: ``{"uid", "email"}``; valid for ``CONFIRM_TOKEN_MAX_AGE`` (48 h).
* reset: ``{"uid", "pw"}`` where ``pw`` fingerprints the password hash, so
  the link works once: after the reset the hash, and so the fingerprint,
  differ. Valid for one hour.
* email: ``{"uid", "email"}`` for a change of e-mail; sent to the new address.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALTS = {"confirm": "account-confirm", "reset": "password-reset", "email": "email-change"}


class TokenError(Exception):
    """The link is broken, expired or already used; ``expired`` tells which."""

    def __init__(self, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(kind: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALTS[kind])


def password_fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:20]


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
