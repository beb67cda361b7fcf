"""Hostile and oversized pitch decks: refused in words beside the field, quickly and quietly.

The PDFs are written byte by byte here (each a few kilobytes, built in
milliseconds), with a correct cross-reference table unless a test breaks it.
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest

from matchmaking.demo.pdf import pitch_deck
from tests.conftest import csrf_token, reload, tiny_pdf
from tests.proposals.test_founder import upload

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"

TOO_COMPLEX_NB = "PDF-en er for komplisert til at vi kan sjekke den"
DAMAGED_NB = "PDF-en kunne ikke åpnes: den kan være skadet eller beskyttet."


def build_pdf(objects: Sequence[bytes], *, xref_size: int | None = None) -> bytes:
    """A PDF whose objects 1..n are ``objects`` (object 1 the catalogue)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    size = len(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (xref_size or size)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def repeated_page_pdf(pages: int) -> bytes:
    """``pages`` pages, all the same page object: a long deck in a few bytes."""
    kids = b" ".join([b"3 0 R"] * pages)
    return build_pdf([CATALOG, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages), PAGE])


def slides(count: int) -> bytes:
    """A real deck of ``count`` pages from the demo data's writer."""
    return pitch_deck("Tare", "Test AS", [(f"Side {i}", ["Tekst"]) for i in range(count)])


@contextmanager
def setting(app: Any, name: str, value: Any) -> Iterator[None]:
    old = app.config[name]
    app.config[name] = value
    try:
        yield
    finally:
        app.config[name] = old


def deck_error(page: str) -> str:
    """The text of the error beside the deck field (empty if none)."""
    match = re.search(r'<div id="deck-error" class="invalid-feedback">(.*?)</div>', page, re.S)
    return match.group(1) if match else ""


def refused(client: Any, proposal: Any, data: bytes) -> str:
    """Upload ``data`` over a stored deck; assert it is refused and the old deck kept."""
    first = reload(proposal).deck_file
    response = upload(client, proposal.id, data)
    assert response.status_code == 400, response.status_code
    assert reload(proposal).deck_file == first
    return deck_error(response.get_data(as_text=True))


@pytest.fixture
def founder_proposal(client: Any, login_as: Any, make_proposal: Any) -> Any:
    """A logged-in founder's draft with a deck already stored."""
    founder = login_as("entrepreneur")
    proposal = make_proposal(founder, status="draft")
    assert upload(client, proposal.id, tiny_pdf("first")).status_code == 302
    return proposal


def test_a_deck_pypdf_refuses_with_limit_reached_gets_a_message_not_a_500(
    client: Any, founder_proposal: Any
) -> None:
    # The cross-reference table claims a million objects in a 300-byte file:
    # pypdf raises LimitReachedError (a PyPdfError, not a PdfReadError).
    hostile = build_pdf(
        [CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE], xref_size=999_999
    )
    assert TOO_COMPLEX_NB in refused(client, founder_proposal, hostile)


@pytest.mark.parametrize(
    ("label", "data"),
    [
        ("truncated", tiny_pdf()[:500]),
        ("cut before the trailer", tiny_pdf().rsplit(b"trailer", 1)[0]),
        # A start-of-xref offset too large for a C integer: OverflowError in pypdf.
        (
            "absurd startxref",
            re.sub(rb"startxref\s+\d+", b"startxref\n99999999999999999999", tiny_pdf()),
        ),
        # An encryption method pypdf does not know: NotImplementedError.
        (
            "unknown encryption",
            tiny_pdf().replace(
                b"trailer\n<<", b"trailer\n<< /Encrypt << /Filter /Standard /V 99 /R 99 >>", 1
            ),
        ),
        ("no page tree", build_pdf([b"<< /Type /Catalog >>"])),
    ],
)
def test_a_damaged_deck_is_refused_in_words(
    client: Any, founder_proposal: Any, label: str, data: bytes
) -> None:
    assert DAMAGED_NB in refused(client, founder_proposal, data), label


def test_a_refused_deck_is_told_at_the_top_of_the_page_too(
    client: Any, founder_proposal: Any
) -> None:
    # The reason stands beside the deck field, far down a long page: the top
    # of the page, where the founder lands, says that the upload failed.
    response = upload(client, founder_proposal.id, b"%PDF-1.4 not really a PDF")
    page = response.get_data(as_text=True)
    top = page[: page.index('id="deck-heading"')]
    assert "Pitchdecken ble ikke lastet opp." in top
    assert 'href="#deck-heading"' in top
    assert DAMAGED_NB in deck_error(page)


def test_a_deeply_nested_deck_is_refused_and_logs_at_most_one_line(
    client: Any, founder_proposal: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # A page tree 3,000 levels deep, each level with a kid that is not a page
    # node, and a catalogue with 800 nested dictionaries: pypdf warns for
    # every one of them.
    depth = 3000
    objects = [CATALOG.replace(b">>", b"/Junk " + b"<< /A " * 800 + b">>" * 800 + b">>")]
    for level in range(depth):
        objects.append(b"<< /Type /Pages /Kids [%d 0 R (junk)] /Count 1 >>" % (level + 3))
    objects.append(b"<< /Type /Page /MediaBox [0 0 595 842] >>")
    hostile = build_pdf(objects)
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    message = refused(client, founder_proposal, hostile)
    assert TOO_COMPLEX_NB in message
    lines = caplog.text.splitlines()
    assert len(lines) <= 1, lines[:5]
    assert all(r.name == "matchmaking.proposals.storage" for r in caplog.records)


def test_a_deck_with_more_pages_than_the_cap_is_refused_quickly(
    client: Any, founder_proposal: Any
) -> None:
    # 301 pages: one over the default cap of 300.
    assert "Pitchdecken har mer enn 300 sider." in refused(
        client, founder_proposal, repeated_page_pdf(301)
    )
    # 250,000 pages in 5 kB: a tree of 500 nodes that each list one page 500
    # times. The check stops counting at the cap instead of building them all.
    kids = b" ".join([b"3 0 R"] * 500)
    pages = b" ".join([b"4 0 R"] * 500)
    huge = build_pdf(
        [
            CATALOG,
            b"<< /Type /Pages /Kids [%s] /Count 250000 >>" % kids,
            b"<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count 500 >>" % pages,
            b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] >>",
        ]
    )
    assert len(huge) < 10_000
    started = time.monotonic()
    assert "Pitchdecken har mer enn 300 sider." in refused(client, founder_proposal, huge)
    assert time.monotonic() - started < 5


def test_the_page_cap_is_a_setting_and_said_in_english_too(
    app: Any, client: Any, login_as: Any, make_proposal: Any
) -> None:
    founder = login_as("entrepreneur", locale="en")
    proposal = make_proposal(founder, status="draft")
    with setting(app, "DECK_MAX_PAGES", 3):
        assert upload(client, proposal.id, slides(3)).status_code == 302
        response = upload(client, proposal.id, slides(4))
    assert response.status_code == 400
    assert deck_error(response.get_data(as_text=True)) == (
        "The deck has more than 3 pages. Upload a shorter version."
    )
    hostile = build_pdf(
        [CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE], xref_size=999_999
    )
    assert "The PDF is too complex to check" in deck_error(
        upload(client, proposal.id, hostile).get_data(as_text=True)
    )


def test_checking_a_deck_stops_at_the_time_limit(
    app: Any, client: Any, founder_proposal: Any
) -> None:
    # 5,000 objects for pypdf to read through before it reaches the pages;
    # with a time limit of a millisecond the check gives up. (Kept under
    # 500 kB, above which the test client spools the upload to a file.)
    filler = [b"0"] * 5_000
    slow = build_pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE, *filler])
    assert len(slow) < 500_000
    with setting(app, "DECK_CHECK_SECONDS", 0.001):
        message = refused(client, founder_proposal, slow)
    assert TOO_COMPLEX_NB in message
    assert "tar for lang tid" in message


def test_a_normal_deck_is_still_accepted(client: Any, founder_proposal: Any) -> None:
    response = upload(client, founder_proposal.id, slides(12))
    assert response.status_code == 302
    assert reload(founder_proposal).deck_size == len(slides(12))
    # A deck of exactly the cap is fine too.
    assert upload(client, founder_proposal.id, repeated_page_pdf(300)).status_code == 302


def test_deck_over_the_request_cap_with_csrf_on_keeps_the_page(
    app: Any, client: Any, founder_proposal: Any
) -> None:
    """With CSRF checking on (as in production), a request over MAX_CONTENT_LENGTH
    still gets the edit page with the message beside the deck field."""
    proposal = founder_proposal
    with setting(app, "WTF_CSRF_ENABLED", True), setting(app, "MAX_CONTENT_LENGTH", 5000):
        token = csrf_token(client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True))
        response = client.post(
            f"/proposals/{proposal.id}/deck",
            data={"csrf_token": token, "deck": (io.BytesIO(tiny_pdf() + b"%" * 10_000), "d.pdf")},
            content_type="multipart/form-data",
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 413
        assert deck_error(page) == "Pitchdecken er større enn 20 MB."
        # The saved proposal is all there, and the form can be sent again.
        assert 'value="Tareforedling i Efjorden"' in page
        assert "Vi foredler tare fra Efjorden til fôr og mat." in page
        assert 'value="2\u00a0000\u00a0000"' in page
        assert csrf_token(page)
        # Without a CSRF token a small upload is still refused.
        response = client.post(
            f"/proposals/{proposal.id}/deck",
            data={"deck": (io.BytesIO(tiny_pdf("second")), "d.pdf")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 400
    assert reload(proposal).deck_size == len(tiny_pdf("first"))
