"""Security headers and the idle timeout, applied to every response."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, session
from flask_login import current_user

from matchmaking.extensions import utcnow

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    app.before_request(_idle_timeout)
    app.after_request(_headers)


def _idle_timeout() -> None:
    """End a login idle for longer than ``IDLE_TIMEOUT`` (checked server-side).

    The cookie's own expiry is only a hint to the browser; the last-seen time
    kept in the signed session makes the timeout hold for a replayed cookie.
    Only the session's login is dropped: a valid "remember me" cookie logs
    the user in again, as it should, for its 14 days.
    """
    session.permanent = True
    now = utcnow().timestamp()
    last_seen = session.get("_seen")
    timeout = current_app.config["IDLE_TIMEOUT"].total_seconds()
    if last_seen is not None and "_user_id" in session and now - float(last_seen) > timeout:
        for key in ("_user_id", "_fresh", "_id"):
            session.pop(key, None)
        g.pop("_login_user", None)
    session["_seen"] = now


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
    if current_app.config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
