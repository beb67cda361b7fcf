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
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

#: What makes a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: Where a reader might start a new cell: after either separator, a tab or a
#: line break; spaces and quote marks before the formula character count too.
_PIECE = re.compile(r'(^|[,;\t\r\n])([ "]*)(?=[=+\-@\t\r])')

Cell = str | int | float | Decimal | None


def neutralise(text: str) -> str:
    """``text`` with a ``'`` before the whole and before every piece a spreadsheet
    could read as a formula (``Kristin;=1+2`` becomes ``Kristin;'=1+2``)."""
    return _PIECE.sub(lambda m: f"{m.group(1)}{m.group(2)}'", text)


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("write a truth value as words")
    if isinstance(value, int | float | Decimal):
        return str(value)
    return neutralise(str(value))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A CSV file as text: a byte-order mark (so Excel reads UTF-8), the header,
    the rows; every field quoted and guarded (see the module's docstring)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()
