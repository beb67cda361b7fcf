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
import threading
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import current_app
from pypdf import PdfReader
from pypdf.errors import LimitReachedError, PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject
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
    """Return the page count of a PDF, or raise DeckError saying what is wrong.

    The file comes from a stranger, so the check is bounded: at most
    ``DECK_MAX_PAGES`` pages are counted (the page tree is walked without
    building page objects, to a bounded depth), everything stops at
    ``DECK_CHECK_SECONDS``, whatever pypdf raises on a hostile file becomes a
    refusal in words, and pypdf's own warnings are silenced: a refused deck
    writes one log line of ours.
    """
    config = current_app.config
    if len(data) > config["DECK_MAX_BYTES"]:
        raise DeckError(too_large_message())
    if not data:
        raise DeckError(str(_l("The file is empty.")))
    if not data.lstrip()[:5] == b"%PDF-":
        raise DeckError(str(_l("The file is not a PDF. Save the deck as PDF and try again.")))
    max_pages = int(config["DECK_MAX_PAGES"])
    stream = _DeadlineStream(data, time.monotonic() + float(config["DECK_CHECK_SECONDS"]))
    try:
        with _quiet_pypdf():
            reader = PdfReader(stream, strict=False)
            if reader.is_encrypted:
                raise DeckError(
                    str(_l("The PDF is password-protected. Upload it without a password."))
                )
            pages = _count_pages(reader, max_pages, stream)
    except DeckError:
        raise
    except (_TimeUp, _TooComplex, LimitReachedError, RecursionError, MemoryError) as exc:
        _log_refusal(exc)
        if isinstance(exc, _TimeUp):
            message = _l(
                "The PDF is too complex to check: it takes too long to read. Save it again as PDF from your presentation program and try again."
            )
        else:
            message = _l(
                "The PDF is too complex to check: it is built in an unusual way. Save it again as PDF from your presentation program and try again."
            )
        raise DeckError(str(message)) from None
    except Exception as exc:
        # Any failure to parse a stranger's file is a refusal, not a 500: pypdf
        # raises its own errors (PyPdfError) but also ValueError, KeyError,
        # OverflowError, NotImplementedError, ... on hostile input.
        _log_refusal(exc)
        raise DeckError(
            str(
                _l(
                    "The PDF could not be opened: it may be damaged or protected. Save it again as PDF and try again."
                )
            )
        ) from None
    if pages < 1:
        raise DeckError(str(_l("The PDF has no pages.")))
    if pages > max_pages:
        raise DeckError(
            str(
                _l(
                    "The deck has more than %(max)d pages. Upload a shorter version.",
                    max=max_pages,
                )
            )
        )
    return pages


#: How deep a page tree may be. Writers build flat or balanced trees (a
#: 300-page deck is at most a few levels deep); pypdf's own limit is 100.
MAX_PAGE_TREE_DEPTH = 32


class _TooComplex(Exception):
    """The page tree is deeper or larger than a deck's can be."""


class _TimeUp(BaseException):
    """The check ran past its deadline.

    A BaseException, like ``KeyboardInterrupt``, so that pypdf's own recovery
    (``except Exception``: log a warning and try the next object) cannot
    swallow it and carry on; only ``check_pdf`` catches it.
    """


class _DeadlineStream(io.BytesIO):
    """The upload as pypdf reads it: every read and seek checks the deadline.

    pypdf reads the file piece by piece, so a file made to keep it busy (a
    huge cross-reference table, thousands of objects to repair, deep nesting)
    is stopped at the deadline without threads or signals. The check costs
    a little per read, which matters only for files of very many objects.
    """

    def __init__(self, data: bytes, deadline: float) -> None:
        super().__init__(data)
        self.deadline = deadline

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise _TimeUp

    def read(self, size: int | None = -1, /) -> bytes:
        if time.monotonic() > self.deadline:
            raise _TimeUp
        return io.BytesIO.read(self, size)

    def readline(self, size: int | None = -1, /) -> bytes:
        self.check()
        return io.BytesIO.readline(self, size)

    def seek(self, offset: int, whence: int = 0, /) -> int:
        if time.monotonic() > self.deadline:
            raise _TimeUp
        return io.BytesIO.seek(self, offset, whence)


def _count_pages(reader: PdfReader, limit: int, stream: _DeadlineStream) -> int:
    """The number of pages in the page tree, counting no further than ``limit + 1``.

    An explicit stack, not recursion; a node listed twice counts twice (as a
    viewer would show it), so a tree that repeats itself reaches the limit
    quickly, and a cycle reaches the depth limit.
    """
    top = reader.root_object.get("/Pages")
    top = top.get_object() if top is not None else None
    if not isinstance(top, DictionaryObject):
        raise PdfReadError("the catalogue has no page tree")
    pages = 0
    nodes = 0
    stack: list[tuple[DictionaryObject, int]] = [(top, 0)]
    while stack:
        stream.check()
        node, depth = stack.pop()
        nodes += 1
        if depth > MAX_PAGE_TREE_DEPTH or nodes > 10 * limit + 100:
            raise _TooComplex(f"page tree deeper than {MAX_PAGE_TREE_DEPTH} or too many nodes")
        if node.get("/Type") == "/Pages" or "/Kids" in node:
            kids = node.get("/Kids")
            kids = kids.get_object() if kids is not None else ArrayObject()
            if not isinstance(kids, ArrayObject):
                raise PdfReadError("/Kids is not an array")
            for kid in reversed(kids):
                child = kid.get_object()
                if isinstance(child, DictionaryObject) and child:
                    stack.append((child, depth + 1))
        else:
            pages += 1
            if pages > limit:
                break
    return pages


class _QuietPypdf:
    """Silence pypdf's logger (and its children) while any deck is checked.

    pypdf logs a warning for every damaged object it repairs: thousands for a
    hostile file. The level is raised while at least one check runs (counted,
    so that a check ending in one thread does not unmute another's).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._saved_level = logging.NOTSET

    @contextmanager
    def __call__(self) -> Iterator[None]:
        logger = logging.getLogger("pypdf")
        with self._lock:
            if self._running == 0:
                self._saved_level = logger.level
                logger.setLevel(logging.CRITICAL + 1)
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                if self._running == 0:
                    logger.setLevel(self._saved_level)


_quiet_pypdf = _QuietPypdf()


def _log_refusal(exc: BaseException) -> None:
    """One line: why a deck was refused (the message cut short, on one line)."""
    detail = " ".join(str(exc).split())[:200]
    log.info("refused deck: %s: %s", type(exc).__name__, detail)


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
