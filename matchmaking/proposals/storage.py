"""Pitch decks on disk: checked by content, size-capped, stored by a random name.

A deck must open as a PDF (pypdf reads it and finds at least one page); a
renamed file of another kind is refused. Files live in ``DECK_DIR`` (outside
``static/``) under a random name and are only ever sent by the access-checked
deck route. Replacing a deck keeps the old file until the new one is stored
and committed: the old file is removed after the commit, and a new file is
removed again if the transaction rolls back.
"""

from __future__ import annotations

import io
import logging
import os
import secrets
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from flask import current_app
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.proposals.models import Proposal

log = logging.getLogger(__name__)


class DeckError(ValueError):
    """The upload is not an acceptable deck; the message is for the user."""


def deck_dir() -> Path:
    path = Path(current_app.config["DECK_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def too_large_message() -> str:
    limit = current_app.config["DECK_MAX_BYTES"]
    return str(_l("The deck is larger than %(mb)d MB.", mb=limit // (1024 * 1024)))


def check_pdf(data: bytes) -> int:
    """Return the page count of a PDF, or raise DeckError saying what is wrong."""
    if len(data) > current_app.config["DECK_MAX_BYTES"]:
        raise DeckError(too_large_message())
    if not data:
        raise DeckError(str(_l("The file is empty.")))
    if not data.lstrip()[:5] == b"%PDF-":
        raise DeckError(str(_l("The file is not a PDF. Save the deck as PDF and try again.")))
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise DeckError(str(_l("The PDF is password-protected. Upload it without a password.")))
        pages = len(reader.pages)
    except DeckError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        log.info("refused deck: %s", exc)
        raise DeckError(str(_l("The PDF could not be opened. It may be damaged."))) from exc
    if pages < 1:
        raise DeckError(str(_l("The PDF has no pages.")))
    return pages


_NORDIC = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O"})


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_NORDIC))
    return text.encode("ascii", "ignore").decode()


def safe_deck_name(original_name: str, title: str) -> str:
    """A download name with only safe characters, ending in .pdf."""
    name = secure_filename(_ascii(original_name)) or secure_filename(_ascii(title))
    name = (name or "deck")[:150]
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return name


def save_deck(proposal: Proposal, data: bytes, original_name: str) -> None:
    """Check ``data`` and store it as the proposal's deck (flushes)."""
    check_pdf(data)
    directory = deck_dir()
    stored = f"{secrets.token_hex(16)}.pdf"
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, directory / stored)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    old = proposal.deck_file
    proposal.deck_file = stored
    proposal.deck_name = safe_deck_name(original_name, proposal.title)
    proposal.deck_size = len(data)
    proposal.deck_uploaded_at = utcnow()
    session = db.session()
    session.info.setdefault("deck_new", []).append(directory / stored)
    if old:
        session.info.setdefault("deck_old", []).append(directory / old)
    session.flush()


def deck_path(proposal: Proposal) -> Path | None:
    if not proposal.deck_file:
        return None
    path = deck_dir() / proposal.deck_file
    return path if path.is_file() else None


@event.listens_for(Session, "after_commit")
def _after_commit(session: Any) -> None:
    for path in session.info.pop("deck_old", []):
        Path(path).unlink(missing_ok=True)
    session.info.pop("deck_new", None)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Any, previous_transaction: Any) -> None:
    for path in session.info.pop("deck_new", []):
        Path(path).unlink(missing_ok=True)
    session.info.pop("deck_old", None)
