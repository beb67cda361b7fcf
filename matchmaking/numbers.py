"""Whole numbers from the outside world, read in one place.

Ids in a path (the ``<int:...>`` converter), ids and numbers in a query
string, and numbers in forms (hidden ``version`` fields, choices of ids,
counts) all come through :func:`parse_int`: ASCII digits only (``"²"`` and
``"٣"`` pass ``str.isdigit()`` but are not numbers a person types here),
no sign unless negatives are allowed, no spaces, no decimal point, and
within what the database column holds. Anything else is ``None``, which a
caller turns into a 404 (an id in the path), an ignored filter (a query
string) or a message beside the field (a form).
"""

from __future__ import annotations

import re
from typing import Any, Final

#: The largest value of a 32-bit ``INTEGER`` column (every id and count here;
#: on PostgreSQL a larger one is an error from the database).
INT_MAX: Final = 2**31 - 1
#: The largest value of a 64-bit ``BIGINT`` column (the money columns).
BIGINT_MAX: Final = 2**63 - 1
#: The largest id: ids are ``INTEGER`` primary keys on PostgreSQL.
ID_MAX: Final = INT_MAX

# Long enough for any number the columns hold; a longer text is refused before
# int() sees it (int() refuses 4,300 digits and more with its own error).
_MAX_LENGTH: Final = 20
_UNSIGNED: Final = re.compile(r"[0-9]+")
_SIGNED: Final = re.compile(r"-?[0-9]+")


def parse_int(value: Any, *, minimum: int = 0, maximum: int = INT_MAX) -> int | None:
    """``value`` as a whole number from ``minimum`` to ``maximum``, else ``None``.

    Text must be ASCII digits (a leading ``-`` only when ``minimum`` is
    negative); an ``int`` (not a ``bool``) is taken as it is. Callers strip
    spaces first where a person may type them.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and len(value) <= _MAX_LENGTH:
        pattern = _SIGNED if minimum < 0 else _UNSIGNED
        if not pattern.fullmatch(value):
            return None
        number = int(value)
    else:
        return None
    return number if minimum <= number <= maximum else None


def parse_id(value: Any) -> int | None:
    """An id (1 .. :data:`ID_MAX`) from a path, a query string or a form, else ``None``."""
    return parse_int(value, minimum=1, maximum=ID_MAX)


def coerce_id(value: Any) -> int:
    """The WTForms ``coerce`` of every choice of ids (``0`` stands for "none" in
    some lists): what is not 0 .. 2^31 - 1 in ASCII digits is a ``ValueError``,
    which the field shows as "not a valid choice", never a number the database
    refuses."""
    number = parse_int(value, minimum=0, maximum=ID_MAX)
    if number is None:
        raise ValueError(f"not an id: {value!r}")
    return number


_DECIMAL: Final = re.compile(r"[0-9]{1,9}(?:[.,][0-9]{1,9})?|[.,][0-9]{1,9}")
#: Whole digits in groups of three, one kind of space between them: a space,
#: a no-break space (what a copied "1 000" often holds) or a narrow no-break space.
_SPACE_GROUPED: Final = re.compile(r"[0-9]{1,3}(?:([ \u00a0\u202f])[0-9]{3})(?:\1[0-9]{3})*")


def parse_decimal(value: Any, *, grouped: bool = False) -> float | None:
    """A decimal as people write it here (``1,5`` or ``1.5``, ASCII digits, no
    sign, no exponent, no ``nan``), else ``None``; callers check the range.

    With ``grouped``, the whole part may also be written in groups of three
    with spaces, as Norwegians write numbers (``1 000``, ``1 000,5``; a
    no-break space too, but one kind throughout)."""
    if not isinstance(value, str) or len(value) > _MAX_LENGTH:
        return None
    if grouped:
        whole = re.match(r"[^.,]*", value)
        if whole is not None and _SPACE_GROUPED.fullmatch(whole.group(0)):
            value = re.sub(r"[^0-9]", "", whole.group(0)) + value[whole.end() :]
    if not _DECIMAL.fullmatch(value):
        return None
    return float(value.replace(",", "."))


def at_most_pattern(maximum: int) -> str:
    """A regular expression for the whole numbers 1 .. ``maximum`` written
    without leading zeros (``at_most_pattern(250)`` matches ``1`` to ``250``)."""
    top = str(maximum)
    ways = [f"[1-9][0-9]{{0,{len(top) - 2}}}"] if len(top) > 1 else []
    for i, digit in enumerate(top):
        low = 1 if i == 0 else 0
        if int(digit) > low:
            rest = len(top) - i - 1
            ways.append(f"{top[:i]}[{low}-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    ways.append(top)
    return "(?:" + "|".join(ways) + ")"


def page_arg(value: str) -> int:
    """For ``request.args.get("page", 1, type=page_arg)``: a page number in ASCII
    digits; one beyond 2^31 - 1 is read as 2^31 - 1 (the list shows its last
    page), anything else gives the default."""
    if not isinstance(value, str) or len(value) > 100 or not _UNSIGNED.fullmatch(value):
        raise ValueError(f"not a page number: {value!r}")
    return min(int(value), INT_MAX) or 1


def positive_arg(value: str) -> int:
    """For ``request.args.get(name, default, type=positive_arg)`` (an id, a page
    number): anything but 1 .. 2^31 - 1 in ASCII digits gives the default."""
    number = parse_id(value)
    if number is None:
        raise ValueError(f"not a positive whole number: {value!r}")
    return number


def percent_half_up(part: int, whole: int) -> int:
    """``part`` of ``whole`` in whole per cent, rounded half up (2 of 3 is
    67); beyond 100 when ``part`` is larger. ``whole`` must be above 0."""
    return (part * 200 + whole) // (2 * whole)
