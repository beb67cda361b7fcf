"""CSV files a spreadsheet opens safely: every export goes through :func:`csv_text`.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return before one) as a formula, so a name like
``=HYPERLINK(...)`` typed into a form could run in the organiser's Excel.
Which character separates the cells depends on the reader: Excel set up for
Norwegian splits on ``;``, an English one on ``,``; a reader that splits on
the "wrong" one also cuts through our quotes. So a text is guarded once as a
whole and again at every place where either separator (or a tab or a line
break) could start a new cell: a ``'`` goes before any such piece that starts
like a formula, and the spreadsheet shows the text as text. Every field is
quoted. Numbers are written as they are.

The separator follows the reader's language: Norwegian gets ``;``, a decimal
comma and a byte-order mark (what Excel set up for Norwegian opens correctly
on a double click: UTF-8, one column per field); English gets ``,``, a decimal
point and no byte-order mark (plain UTF-8 CSV, what English Excel, Numbers and
scripts read). The same rows also go to an ``.xlsx`` workbook
(:func:`xlsx_bytes`), which needs no guessing at all.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Literal

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

#: What makes a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: Where a reader might start a new cell: after either separator, a tab or a
#: line break; spaces and quote marks before the formula character count too.
_PIECE = re.compile(r'(^|[,;\t\r\n])([ "]*)(?=[=+\-@\t\r])')

Cell = str | int | float | Decimal | None

#: A cell of a workbook may also be a moment (written as the wall clock shows it).
XlsxCell = Cell | datetime

Language = Literal["nb", "en"]


def _language(language: str | None) -> Language:
    """``language``, or the request's (Norwegian outside a request)."""
    if language is None:
        try:
            from flask_babel import get_locale

            current = get_locale()
        except (RuntimeError, KeyError):
            current = None
        language = current.language if current is not None else "nb"
    return "en" if language == "en" else "nb"


def csv_dialect(language: str | None = None) -> tuple[str, bool]:
    """(separator, whether a byte-order mark leads) for a reader of ``language``."""
    return (",", False) if _language(language) == "en" else (";", True)


def neutralise(text: str) -> str:
    """``text`` with a ``'`` before the whole and before every piece a spreadsheet
    could read as a formula (``Kristin;=1+2`` becomes ``Kristin;'=1+2``)."""
    return _PIECE.sub(lambda m: f"{m.group(1)}{m.group(2)}'", text)


def _cell(value: Cell, decimal_comma: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("write a truth value as words")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",") if decimal_comma else str(value)
    return neutralise(str(value))


def csv_text(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], language: str | None = None
) -> str:
    """A CSV file as text for a reader of ``language`` (default: the request's):
    Norwegian with a byte-order mark, ``;`` and decimal commas, English with
    ``,`` and no mark; the header, the rows; every field quoted and guarded
    (see the module's docstring)."""
    separator, bom = csv_dialect(language)
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=separator, quoting=csv.QUOTE_ALL)
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v, decimal_comma=separator == ";") for v in row])
    return out.getvalue()


def xlsx_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[XlsxCell]],
    *,
    title: str,
    number_formats: dict[int, str] | None = None,
) -> bytes:
    """An ``.xlsx`` workbook of one sheet named ``title``: the header in row 1
    (frozen), then the rows. Texts are stored as texts, never as formulas
    (a title typed as ``=HYPERLINK(...)`` stays a string); numbers and
    moments keep their type. ``number_formats`` maps a column (0-based) to an
    Excel number format, e.g. ``"yyyy-mm-dd hh:mm"``."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([str(h) for h in header])
    for line, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=line, column=column)
            if isinstance(value, bool):
                raise TypeError("write a truth value as words")
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # openpyxl would take "=..." for a formula
            else:
                cell.value = value
    for column, fmt in (number_formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
            cell.number_format = fmt
    for column in range(1, len(header) + 1):
        letter = get_column_letter(column)
        width = max((len(str(c.value or "")) for c in sheet[letter]), default=8)
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 50)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
