"""Whole Norwegian kroner: parse what people type, show it the Norwegian way."""

from __future__ import annotations

import re

_GROUPED = re.compile(r"^[0-9]{1,3}([ .\u00a0\u202f][0-9]{3})+$")


def parse_kroner(text: str) -> int:
    """``"1250000"``, ``"1 250 000"``, ``"1.250.000"`` (and ``kr``, ``NOK``) → 1250000.

    Raises ValueError for anything else: decimals, negative numbers, letters,
    or groups that are not of three digits.
    """
    value = text.strip()
    value = re.sub(r"(?i)\s*(kr\.?|nok)$", "", value).strip()
    value = re.sub(r"(?i)^(kr\.?|nok)\s*", "", value).strip()
    if value.endswith(",-"):
        value = value[:-2].strip()
    if re.fullmatch(r"[0-9]+", value):
        return int(value)
    if _GROUPED.fullmatch(value):
        separators = set(re.findall(r"[ .\u00a0\u202f]", value))
        if len(separators) == 1:
            return int(re.sub(r"[^0-9]", "", value))
    raise ValueError(value)


def format_kroner(amount: int | None) -> str:
    """1250000 → ``"1 250 000 kr"`` (a no-break space between groups)."""
    if amount is None:
        return ""
    grouped = f"{amount:,}".replace(",", "\u00a0")
    return f"{grouped}\u00a0kr"
