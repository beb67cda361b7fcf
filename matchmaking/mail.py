"""Sending e-mail: a plain-text and an HTML part, in the recipient's language.

``MAIL_BACKEND`` decides where a message goes: ``smtp`` (Flask-Mail through
``MAIL_SERVER``), ``log`` (development: written to the log and printed) or
``record`` (tests: kept in ``app.extensions["mail_outbox"]``).

Every link in a message (and in a calendar file) is made by
``absolute_url`` from the ``BASE_URL`` setting, never from the request's
host, so a forged ``Host`` header cannot send a reset link elsewhere.
Flask's ``url_for`` with its external flag is used nowhere in the code or
the e-mail templates (``tests/test_email_links.py`` checks).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message

from matchmaking.extensions import mail

log = logging.getLogger(__name__)


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


#: A file sent with a message: (file name, content type, data).
Attachment = tuple[str, str, bytes]


def send_email(
    to: str,
    subject: object,
    template: str,
    locale: str,
    *,
    attachments: Sequence[Attachment] = (),
    **context: object,
) -> Message:
    """Render ``email/<template>.txt`` and ``.html`` in ``locale`` and send them.

    ``subject`` is a lazy string (``lazy_gettext``), translated in ``locale``.
    ``attachments`` go with the message as files (an agenda's ``.ics``).
    """
    with force_locale(locale):
        message = Message(
            subject=str(subject),
            recipients=[to],
            body=render_template(f"email/{template}.txt", **context),
            html=render_template(f"email/{template}.html", **context),
        )
    for filename, content_type, data in attachments:
        message.attach(filename, content_type, data)
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "smtp":
        mail.send(message)
    elif backend == "record":
        current_app.extensions.setdefault("mail_outbox", []).append(message)
    else:
        files = "".join(f"[attached: {name}]\n" for name, _, _ in attachments)
        text = f"--- e-mail to {to}: {message.subject}\n{message.body}\n{files}---"
        log.info("%s", text)
        print(text, flush=True)
    return message
