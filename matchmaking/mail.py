"""Sending e-mail: a plain-text and an HTML part, in the recipient's language.

``MAIL_BACKEND`` decides where a message goes: ``smtp`` (Flask-Mail through
``MAIL_SERVER``), ``log`` (development: written to the log and printed) or
``record`` (tests: kept in ``app.extensions["mail_outbox"]``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message

from matchmaking.extensions import mail
from matchmaking.text import single_line

log = logging.getLogger(__name__)


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

    ``subject`` is a lazy string (``lazy_gettext``), translated in ``locale``,
    and put on one line: a name stored with a line break cannot break the header.
    ``attachments`` go with the message as files (an agenda's ``.ics``).
    """
    with force_locale(locale):
        message = Message(
            subject=single_line(subject),
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
