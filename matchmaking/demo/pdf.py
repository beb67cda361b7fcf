"""Small, valid PDF pitch decks for the demo data, written byte by byte.

No dependency: a PDF 1.4 file with the standard Helvetica fonts (which every
reader has), WinAnsi encoding for the Norwegian letters, one content stream
per page and a correct cross-reference table, so that readers (and pypdf,
which checks uploaded decks) open it without repairs.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56
BRAND = "0.071 0.227 0.361"  # #123a5c, the header colour of the site


def _text(value: str) -> bytes:
    """A PDF literal string in WinAnsi (cp1252), with ( ) \\ escaped."""
    raw = value.encode("cp1252", errors="replace")
    raw = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + raw + b")"


def _info_text(value: str) -> bytes:
    """A text string for the document information: UTF-16BE with a BOM, in hex."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode() + b">"


def _wrap(paragraphs: Sequence[str], width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(textwrap.wrap(paragraph, width) or [""])
    return lines


def _page(heading: str, subheading: str, body: Sequence[str], footer: str) -> bytes:
    """The content stream of one page: a coloured band with the heading, then text."""
    ops = [
        f"{BRAND} rg 0 {PAGE_HEIGHT - 120} {PAGE_WIDTH} 120 re f".encode(),
        b"BT 1 1 1 rg",
        f"/F2 22 Tf {MARGIN} {PAGE_HEIGHT - 70} Td".encode(),
    ]
    for i, line in enumerate(textwrap.wrap(heading, 40)[:2]):
        if i:
            ops.append(b"0 -26 Td")
        ops.append(_text(line) + b" Tj")
    ops.append(b"ET")
    ops += [
        b"BT 0 0 0 rg",
        f"/F2 13 Tf {MARGIN} {PAGE_HEIGHT - 160} Td".encode(),
        _text(subheading) + b" Tj",
        b"/F1 11 Tf 16 TL T*",
    ]
    for line in _wrap(body, 88)[:38]:
        ops.append(b"T* " + _text(line) + b" Tj")
    ops.append(b"ET")
    ops += [
        b"BT 0.3 0.3 0.3 rg",
        f"/F1 9 Tf {MARGIN} 40 Td".encode(),
        _text(footer) + b" Tj",
        b"ET",
    ]
    return b"\n".join(ops) + b"\n"


def pitch_deck(
    title: str, company: str, pages: Sequence[tuple[str, Sequence[str]]], footer: str = ""
) -> bytes:
    """A PDF with one page per ``(subheading, paragraphs)``, each headed by ``title``."""
    if not pages:
        raise ValueError("a deck needs at least one page")
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title "
        + _info_text(title)
        + b" /Author "
        + _info_text(company)
        + b" /Producer (BAN Ofoten demo data) >>",
    ]
    page_ids = []
    for number, (subheading, paragraphs) in enumerate(pages, start=1):
        stream = _page(
            title, subheading, paragraphs, footer or f"{company} - side {number} av {len(pages)}"
        )
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"endstream"
        )
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 "
            + f"{PAGE_WIDTH} {PAGE_HEIGHT}".encode()
            + b"] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents "
            + f"{content_id} 0 R".encode()
            + b" >>"
        )
        page_ids.append(len(objects))
    kids = b" ".join(f"{i} 0 R".encode() for i in page_ids)
    objects[1] = (
        b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(len(page_ids)).encode() + b" >>"
    )

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 5 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
