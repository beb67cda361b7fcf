"""Links in e-mails and calendar files: built from ``BASE_URL``, never from the request.

Every link in a message (and in a calendar file) is made by
:func:`absolute_url` from the ``BASE_URL`` setting, never from the request's
host, so a forged ``Host`` header cannot send a reset link elsewhere.
Flask's ``url_for`` with its external flag is used nowhere in the code or
the e-mail templates (``tests/test_email_links.py`` checks).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def check_base_url(text: str) -> str:
    """``text`` as a base URL (``https://host[:port][/prefix]``, no trailing slash).

    Raises ValueError saying what is wrong.
    """
    text = text.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.query
        or parts.fragment
    ):
        raise ValueError(
            f"BASE_URL must be the address people use to reach the service, like "
            f"https://match.banofoten.no, not {text!r}"
        )
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def base_url_from(config: Mapping[str, Any]) -> str:
    """The checked BASE_URL of ``config``, or PREFERRED_URL_SCHEME://SERVER_NAME
    when only the older SERVER_NAME is set. Raises ValueError."""
    text = config.get("BASE_URL")
    if not text and config.get("SERVER_NAME"):
        text = f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}"
    if not text:
        raise ValueError("BASE_URL must be set (e.g. https://match.banofoten.no)")
    return check_base_url(str(text))


def absolute_url(endpoint: str, **values: Any) -> str:
    """The absolute link to ``endpoint`` for an e-mail or a calendar file.

    Built from BASE_URL with the app's URL map, inside a request or not
    (commands), and never from the request's host.
    """
    parts = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def base_host() -> str:
    """BASE_URL's host name (e.g. for calendar UIDs)."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
