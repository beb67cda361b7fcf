"""Whole kroner as people type them, and as the service shows them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matchmaking.money import format_kroner, parse_kroner


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1250000", 1_250_000),
        ("1 250 000", 1_250_000),
        ("1.250.000", 1_250_000),
        ("1\u00a0250\u00a0000", 1_250_000),
        ("1 250 000 kr", 1_250_000),
        ("kr 500", 500),
        ("250 000,-", 250_000),
        ("0", 0),
    ],
)
def test_accepted_forms(text: str, amount: int) -> None:
    assert parse_kroner(text) == amount


@pytest.mark.parametrize(
    "text",
    ["", "-5", "1,5", "1.5", "1 25 000", "1.250 000", "12,345", "mange", "١٢٣٤", "1e6", "１２３"],
)
def test_refused_forms(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is the field's
        parse_kroner(text)


@given(st.integers(min_value=0, max_value=10**12))
def test_what_is_shown_reads_back(amount: int) -> None:
    shown = format_kroner(amount)
    assert shown.endswith("\u00a0kr")
    assert parse_kroner(shown) == amount


def test_shown_the_norwegian_way() -> None:
    assert format_kroner(1_250_000) == "1\u00a0250\u00a0000\u00a0kr"
    assert format_kroner(None) == ""
