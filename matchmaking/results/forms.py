"""The follow-up report form."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import format_decimal
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, StopValidation, ValidationError

from matchmaking.formtools import FlaskForm, KronerField, strip
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.numbers import parse_decimal
from matchmaking.results.services import MAX_EMPLOYEES

#: The longest "few words" a report takes.
WORDS_MAX = 2000

#: At most one decimal, with a comma or a point (``2,5``, ``2.5``, ``3``).
_ONE_DECIMAL = re.compile(r"[0-9]+(?:[.,][0-9])?")


class FteField(StringField):
    """Full-time equivalents: a number with at most one decimal, ``2,5`` or ``2.5``."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip() if valuelist else ""
        self.raw_data = [text]
        self.data = None
        if not text:
            return
        number = parse_decimal(text) if _ONE_DECIMAL.fullmatch(text) else None
        if number is None:
            raise ValueError(
                str(_l("Write a number with at most one decimal, for example 2,5 or 3."))
            )
        self.data = number

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else format_decimal(self.data, "0.#")

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()
        if self.data is not None and not 0 <= self.data <= MAX_EMPLOYEES:
            raise ValidationError(
                str(
                    _l(
                        "Enter a number from 0 to %(max)s.",
                        max=f"{MAX_EMPLOYEES:,}".replace(",", " "),
                    )
                )
            )


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
        description=_l("Two half-time positions are 1. One decimal, for example 2,5."),
    )
    revenue_12m = KronerField(
        _l("Revenue in the last 12 months (kr)"),
        validators=[InputRequired(message=_l("Enter the revenue in whole kroner (0 if none)."))],
    )
    capital_since = KronerField(
        _l("Capital raised since the funding (kr)"),
        description=_l("Equity, loans and grants since the round, in whole kroner; 0 if none."),
    )
    words = TextAreaField(
        _l("A few words on how the company is doing (optional)"),
        filters=[strip],
        validators=[Length(max=WORDS_MAX, message=_l("At most %(max)d characters."))],
        render_kw={"rows": 4},
    )
