"""Norwegian organisation numbers: 9 digits, the last a MOD11 check digit."""

from __future__ import annotations

from typing import Literal

#: What is wrong with a typed number, for a message that says so plainly.
Problem = Literal["characters", "length", "check"]

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def normalise_orgnr(text: str) -> str:
    """Drop the spaces people type (``"923 609 016"``)."""
    return "".join(text.split())


def is_valid_orgnr(number: str) -> bool:
    """True for 9 digits whose last digit is the MOD11 check digit.

    Remainder 0 gives check digit 0; remainder 1 makes the number invalid.
    """
    if len(number) != 9 or not number.isascii() or not number.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(number[:8], WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return False
    check = 0 if remainder == 0 else 11 - remainder
    return check == int(number[8])


def orgnr_problem(number: str) -> Problem | None:
    """None for a valid number; else what is wrong with it: other characters
    than digits, not 9 digits, or a last digit that is not the check digit."""
    if not number.isascii() or not number.isdigit():
        return "characters"
    if len(number) != 9:
        return "length"
    return None if is_valid_orgnr(number) else "check"
