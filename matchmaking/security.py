"""Security headers, the idle timeout (applied to every response) and safe redirect targets."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Request, Response, current_app, g, request, session
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.utils import cached_property

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


def _without_nul(values: MultiDict[str, str]) -> ImmutableMultiDict[str, str]:
    return ImmutableMultiDict(
        [
            (key.replace("\x00", ""), value.replace("\x00", ""))
            for key, value in values.items(multi=True)
        ]
    )


class CleanRequest(Request):
    """Form fields and query values without NUL characters.

    Nobody types one on purpose, and PostgreSQL cannot store them: left in,
    a NUL pasted into any field would end as a 500 page on PostgreSQL and
    be saved on SQLite. Dropping them for every form keeps both the same.
    """

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"])

    @cached_property
    def args(self) -> ImmutableMultiDict[str, str]:
        return _without_nul(super().args)


def init_app(app: Flask) -> None:
    app.request_class = CleanRequest
    app.before_request(_idle_timeout)
    app.after_request(_headers)


def _idle_timeout() -> None:
    """End a login idle for longer than ``IDLE_TIMEOUT`` (checked server-side).

    The cookie's own expiry is only a hint to the browser; the last-seen time
    kept in the signed session makes the timeout hold for a replayed cookie.
    Only the session's login is dropped: a valid "remember me" cookie logs
    the user in again, as it should, for its 14 days.

    Static files (the stylesheet, the scripts, the icon the browser fetches
    late) neither read nor write the session, and unknown paths only end an
    idle login: a slow response to such a request carries the cookie as it was
    when the request left, and would otherwise overwrite a newer one (a
    language chosen on the next page was lost that way).
    """
    if request.endpoint == "static":
        return
    now = utcnow().timestamp()
    last_seen = session.get("_seen")
    timeout = current_app.config["IDLE_TIMEOUT"].total_seconds()
    if last_seen is not None and "_user_id" in session and now - float(last_seen) > timeout:
        for key in ("_user_id", "_fresh", "_id"):
            session.pop(key, None)
        g.pop("_login_user", None)
    if request.endpoint is not None:
        session.permanent = True
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


def safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after login."""
    if not target:
        return None
    # Browsers read a backslash as a slash and drop tabs and newlines: such a
    # path would lead off the site as "//evil.example" does.
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
