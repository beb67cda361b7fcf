"""The follow-up report form (a new report, and the correction of one).

Every number field takes what people here type: ``2,5`` or ``2.5``, and
groups of three with a space or a no-break space (``1 000``). What is wrong
is said precisely, with numbers written the way the reader's language
writes them ("Must be 100 000 or less." / "Must be 100,000 or less.").
Parsing is the shared one: :func:`matchmaking.numbers.parse_decimal` and
:func:`matchmaking.money.parse_kroner` (through ``KronerField``).
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import format_decimal
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, StopValidation, ValidationError

from matchmaking.formtools import FlaskForm, KronerField, strip
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.money import parse_kroner
from matchmaking.numbers import parse_decimal
from matchmaking.results.services import AT_LEAST_ZERO, MAX_EMPLOYEES, at_most

#: The longest "few words" a report takes.
WORDS_MAX = 2000

#: A minus as typed: the hyphen-minus, or the minus sign a phone may offer.
_MINUS = ("-", "\u2212")


def _example() -> str:
    """2.5 as the reader's language writes it ("2,5" / "2.5")."""
    return str(format_decimal(2.5, "0.0"))


class FteField(StringField):
    """Full-time equivalents: a number with at most one decimal (``2,5``,
    ``2.5``, ``1 000``); 0 to :data:`MAX_EMPLOYEES`."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip() if valuelist else ""
        self.raw_data = [text]
        self.data = None
        if not text:
            return
        negative = text.startswith(_MINUS)
        number = parse_decimal(text[1:].lstrip() if negative else text, grouped=True)
        if number is None:
            raise ValueError(
                str(_l("Write a number, for example %(example)s or 3.", example=_example()))
            )
        if len(_fraction(text)) > 1:  # "2,55"; and "1,000" is not read as 1
            raise ValueError(
                str(_l("At most one decimal, for example %(example)s.", example=_example()))
            )
        self.data = -number if negative else number

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else str(format_decimal(self.data, "0.#"))

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()
        if self.data is not None and self.data < 0:
            raise ValidationError(str(AT_LEAST_ZERO))
        if self.data is not None and self.data > MAX_EMPLOYEES:
            raise ValidationError(at_most(MAX_EMPLOYEES))


class ReportKronerField(KronerField):
    """Whole kroner, as ``KronerField`` reads them, saying precisely what is
    wrong with a negative amount ("Must be 0 or more.") or one with øre."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            text = str(self.data)
            if text.startswith(_MINUS) and _amount(text[1:].strip()):
                raise ValueError(str(AT_LEAST_ZERO)) from None
            if _amount(text) and _fraction(text):
                raise ValueError(str(_l("Whole kroner only, without øre."))) from None
            raise


def _fraction(text: str) -> str:
    """The digits typed after the decimal comma or point ("" if none)."""
    found = re.search(r"[.,]([0-9]*)$", text)
    return found.group(1) if found else ""


def _amount(text: str) -> bool:
    """Whether ``text`` is an amount, whole or with øre (``1 250 000``, ``12,50``;
    not ``1,000``, which may mean a thousand)."""
    try:
        parse_kroner(text)
    except ValueError:
        return parse_decimal(text, grouped=True) is not None and len(_fraction(text)) <= 2
    return True


class ReportForm(FlaskForm):
    as_of = DateField(
        _l("As of"),
        invalid_value_message=_l("Enter a date, e.g. 2027-02-18."),
        validators=[InputRequired(message=_l("Enter the date the figures are for."))],
        description=_l("The day the figures below are for: today, or an earlier day."),
    )
    employees = FteField(
        _l("Employees now (full-time equivalents)"),
        validators=[InputRequired(message=_l("Enter the number of full-time equivalents."))],
        description=_l("Two half-time positions are 1. One decimal, for example 2.5."),
    )
    revenue_12m = ReportKronerField(
        _l("Revenue in the last 12 months (kr)"),
        validators=[InputRequired(message=_l("Enter the revenue in whole kroner (0 if none)."))],
    )
    capital_since = ReportKronerField(
        _l("Capital raised since the funding, in total (kr)"),
        description=_l(
            "Everything raised since the funding round, added up: equity, loans and grants,"
            " in whole kroner; 0 if none. Not only what came since the last report."
        ),
    )
    words = TextAreaField(
        _l("A few words on how the company is doing (optional)"),
        filters=[strip],
        validators=[Length(max=WORDS_MAX, message=_l("At most %(max)d characters."))],
        render_kw={"rows": 4},
    )
