"""Small pieces shared by the forms of every feature."""

from __future__ import annotations

from typing import Any

from wtforms import SelectField
from wtforms.validators import StopValidation

from matchmaking.numbers import coerce_id


def strip(value: Any) -> Any:
    """A WTForms filter: drop the spaces around typed text."""
    return value.strip() if isinstance(value, str) else value


class IdSelectField(SelectField):
    """A choice of rows by id. Whatever is posted that is not an id the columns
    hold (``²``, ``٣``, ``99999999999999999999999``, ``1.0``) gets the same
    message beside the field as an id that is not offered ("Not a valid
    choice."), never a traceback or a query the database refuses."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", coerce_id)
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        try:
            self.data = self.coerce(valuelist[0])
        except ValueError as exc:
            self.data = None
            raise ValueError(self.gettext("Not a valid choice.")) from exc

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()
        super().pre_validate(form)
