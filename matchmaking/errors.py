"""Error pages in the user's language; no traceback ever reaches a user."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from markupsafe import escape
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    SecurityError,
    ServiceUnavailable,
)

from matchmaking.db_utils import is_database_busy
from matchmaking.extensions import db
from matchmaking.i18n import lazy_gettext as _l

log = logging.getLogger(__name__)

TITLES = {
    400: _l("Bad request"),
    403: _l("Not allowed"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    413: _l("File too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong"),
    503: _l("The service is busy"),
}
TEXTS = {
    400: _l(
        "The request could not be understood. If you sent a form, reload the page and try again."
    ),
    403: _l("You do not have access to this page."),
    404: _l("We could not find the page you asked for."),
    405: _l("This page cannot be used that way."),
    413: _l("The upload is larger than the service accepts (at most 25 MB)."),
    429: _l("Too many attempts. Wait a while and try again."),
    500: _l("An error occurred on our side. It has been logged; please try again later."),
    503: _l("Nothing was saved. Wait a moment and try again."),
}


def render_error(code: int, message: str | None = None) -> tuple[str, int]:
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=TITLES.get(code, TITLES[500]),
            text=message or TEXTS.get(code, TEXTS[500]),
        ),
        code,
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> tuple[str, int]:
        code = exc.code or 500
        if isinstance(exc, SecurityError):
            # A host outside TRUSTED_HOSTS: no URLs can be built for it, so a
            # bare page instead of the site's layout (which links everywhere).
            title, text = escape(TITLES[400]), escape(TEXTS[400])
            return (
                f"<!doctype html>\n<title>{title}</title>\n<h1>{title}</h1>\n<p>{text}</p>\n",
                400,
            )
        if code not in TITLES:
            code = 500 if code >= 500 else 400
        # A CSRF failure or other 400 carries a description meant for developers.
        return render_error(code)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> tuple[str, int]:
        if isinstance(exc, HTTPException):  # pragma: no cover - handled above
            return _http_error(exc)
        db.session.rollback()
        if is_database_busy(exc):
            # SQLite's write lock stayed taken for all of SQLITE_BUSY_TIMEOUT.
            log.warning("database busy: %s", exc)
            return render_error(ServiceUnavailable.code)
        log.exception("unhandled error", exc_info=exc)
        return render_error(InternalServerError.code)
