"""The report form's numbers, field by field: what people here type is read,
and what is wrong is said in the reader's language with numbers written its
way (docs/features/results.md, "Numbers")."""

from __future__ import annotations

from typing import Any

import pytest
from flask_babel import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from matchmaking.formtools import Form
from matchmaking.numbers import parse_decimal
from matchmaking.results.forms import FteField, ReportKronerField

NBSP, NNBSP = "\u00a0", "\u202f"


class _Figures(Form):
    employees = FteField()
    revenue = ReportKronerField()


def _read(app: Any, lang: str, **typed: str) -> _Figures:
    with app.test_request_context(f"/?lang={lang}"):
        form = _Figures(MultiDict(typed))
        form.validate()
        # Messages are made in the request (its language): read them now.
        form.messages = {name: [str(e) for e in f.errors] for name, f in form._fields.items()}
        return form


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1 000", 1000.0),
        (f"1{NBSP}000", 1000.0),
        (f"1{NNBSP}000,5", 1000.5),
        ("100 000", 100_000.0),
        ("1 000 000.25", 1_000_000.25),
        ("2,5", 2.5),
        ("2.5", 2.5),
        ("12", 12.0),
    ],
)
def test_grouped_decimals_are_read(typed: str, number: float) -> None:
    assert parse_decimal(typed, grouped=True) == number


@pytest.mark.parametrize(
    "typed",
    ["10 00", "1000 000", f"1 000{NBSP}000", " 1", "1 ", "1  000", "-1", "1 000,", "1e3", "nan"],
)
def test_odd_groups_are_not_numbers(typed: str) -> None:
    assert parse_decimal(typed, grouped=True) is None


def test_groups_need_asking_for() -> None:
    assert parse_decimal("1 000") is None  # the other callers keep what they had


@pytest.mark.parametrize(
    ("lang", "typed", "message"),
    [
        ("nb", "-1", "Må være 0 eller mer."),
        ("en", "−2,5", "Must be 0 or more."),  # the minus sign a phone offers
        ("nb", "100 000,1", f"Må være 100{NBSP}000 eller mindre."),
        ("en", "100 000,1", "Must be 100,000 or less."),
        ("nb", "2,55", "Høyst én desimal, for eksempel 2,5."),
        ("en", "2.55", "At most one decimal, for example 2.5."),
        ("en", "1,000", "At most one decimal, for example 2.5."),  # not read as 1
        ("nb", "tre", "Skriv et tall, for eksempel 2,5 eller 3."),
        ("en", "three", "Write a number, for example 2.5 or 3."),
    ],
)
def test_employees_say_precisely_what_is_wrong(
    app: Any, lang: str, typed: str, message: str
) -> None:
    form = _read(app, lang, employees=typed, revenue="0")
    assert form.messages["employees"] == [message]
    assert form.employees._value() == typed  # shown again as typed


@pytest.mark.parametrize(
    ("lang", "typed", "message"),
    [
        ("nb", "-1", "Må være 0 eller mer."),
        ("en", "-1 250 000", "Must be 0 or more."),
        ("en", "-1.000 kr", "Must be 0 or more."),
        ("nb", "12,5", "Bare hele kroner, uten øre."),
        ("en", "1250000.50", "Whole kroner only, without øre."),
        ("nb", "1,000", "Skriv hele kroner, som 1250000, 1 250 000 eller 1.250.000."),
        ("en", "lots", "Write whole kroner, like 1250000, 1 250 000 or 1.250.000."),
    ],
)
def test_kroner_say_precisely_what_is_wrong(app: Any, lang: str, typed: str, message: str) -> None:
    form = _read(app, lang, employees="1", revenue=typed)
    assert form.messages["revenue"] == [message]


@pytest.mark.parametrize("typed", ["1 250 000", f"1{NBSP}250{NBSP}000", "1.250.000", "1250000 kr"])
def test_kroner_in_groups_are_read(app: Any, typed: str) -> None:
    form = _read(app, "nb", employees="1", revenue=typed)
    assert form.messages["revenue"] == []
    assert form.revenue.amount == 1_250_000


@settings(max_examples=200, deadline=None)
@given(tenths=st.integers(min_value=0, max_value=1_000_000), lang=st.sampled_from(["nb", "en"]))
def test_any_employee_count_written_as_the_language_writes_it_is_read_back(
    app: Any, tenths: int, lang: str
) -> None:
    number = tenths / 10
    with app.test_request_context(f"/?lang={lang}"):
        # nb: "100 000,5" (no-break spaces); en: "100000.5" (a comma would be a decimal here).
        written = str(format_decimal(number, "#,##0.#" if lang == "nb" else "0.#"))
    for text in {written, written.replace(NBSP, " ")}:
        form = _read(app, lang, employees=text, revenue="0")
        assert form.messages["employees"] == []
        assert form.employees.data == number
