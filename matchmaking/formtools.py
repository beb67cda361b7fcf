"""Small pieces shared by the forms of every feature.

Every form of the project is a :class:`FlaskForm` (POST, with CSRF) or a
:class:`Form` (GET filters, sub-forms) from here: their fields are bound with
:func:`one_line` on every one-line input (names, titles, slugs, e-mail
addresses, numbers typed as text), so a line break or another control
character gets a message beside the field, in every form, also in forms
written later. A ``TextAreaField`` keeps its line breaks. Passwords are left
as typed: they are never shown, mailed or put in a calendar, and refusing a
character someone once chose would lock them out. (ruff refuses Flask-WTF's
and WTForms' own base forms outside this module.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import flask_wtf
import wtforms
from flask import render_template, request
from flask.typing import ResponseReturnValue
from wtforms import SelectField, StringField
from wtforms.fields.choices import Choice
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import Input

from matchmaking.i18n import lazy_gettext as _l
from matchmaking.money import format_kroner, parse_kroner
from matchmaking.numbers import coerce_id
from matchmaking.text import is_one_line

#: Input types whose value is not typed text on one line.
_NOT_ONE_LINE_INPUTS = frozenset(
    {"password", "hidden", "checkbox", "radio", "file", "submit", "button", "reset", "image"}
)

ONE_LINE_MESSAGE = _l("Write this on one line, without line breaks or control characters.")


def strip(value: Any) -> Any:
    """A WTForms filter: drop the spaces around typed text."""
    return value.strip() if isinstance(value, str) else value


def takes_one_line(field: Any) -> bool:
    """Whether ``field`` is typed on one line: an ``<input>`` that is not a
    password, hidden, a box to tick or a file."""
    widget = field.widget
    return isinstance(widget, Input) and widget.input_type not in _NOT_ONE_LINE_INPUTS


def one_line(form: Any, field: Any) -> None:
    """A validator: refuse a line break or another control character."""
    values = [field.data] if isinstance(field.data, str) else (field.raw_data or [])
    if any(isinstance(v, str) and not is_one_line(v) for v in values):
        raise StopValidation(str(ONE_LINE_MESSAGE))


class _OneLineMeta:
    """WTForms' hook for binding fields: :func:`one_line` first on every one-line input."""

    def bind_field(self, form: Any, unbound_field: Any, options: Any) -> Any:
        field = super().bind_field(form, unbound_field, options)  # type: ignore[misc]
        if takes_one_line(field):
            field.validators = [one_line, *field.validators]
        return field


class FlaskForm(flask_wtf.FlaskForm):
    """The base of every POST form (CSRF on)."""

    class Meta(_OneLineMeta):
        pass


class Form(wtforms.Form):
    """The base of every GET form (filters) and sub-form (no CSRF of its own)."""

    class Meta(_OneLineMeta):
        pass


#: The empty first choice of a required list ("Velg …").
CHOOSE = _l("Choose…")


class IdSelectField(SelectField):
    """A choice of rows by id. Whatever is posted that is not an id the columns
    hold (``²``, ``٣``, ``99999999999999999999999``, ``1.0``) gets the same
    message beside the field as an id that is not offered ("Not a valid
    choice."), never a traceback or a query the database refuses.

    With ``choose`` (the message, e.g. "Choose a sector."), the list starts
    with an empty "Choose…" that is selected until someone picks a real row,
    and sending it back empty shows ``choose`` beside the field: a required
    choice is never pre-filled with the first municipality or sector."""

    def __init__(
        self, label: Any = None, validators: Any = None, *, choose: Any = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("coerce", coerce_id)
        super().__init__(label, validators, **kwargs)
        self.choose = choose
        if choose is not None:
            self.flags.required = True

    def iter_choices(self) -> list[Choice]:
        choices: list[Choice] = list(super().iter_choices())
        if self.choose is None:
            return choices
        return [
            Choice(value="", label=str(CHOOSE), selected=self.data is None, render_kw={}),
            *choices,
        ]

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        if self.choose is not None and valuelist[0] == "":
            self.data = None
            return
        try:
            self.data = self.coerce(valuelist[0])
        except ValueError as exc:
            self.data = None
            raise ValueError(self.gettext("Not a valid choice.")) from exc

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()
        if self.choose is not None and self.data is None:
            raise StopValidation(str(self.choose))
        super().pre_validate(form)


class ConfirmActionForm(FlaskForm):
    """A bare form for POST buttons (confirm, retire, delete...): carries only the CSRF token."""


# Confirm steps (docs/confirm-steps.md) -------------------------------------------------


@dataclass
class ConfirmStep:
    """What the confirm page of an irreversible action says
    (``templates/confirm.html``, macro ``templates/macros/confirm.html``).

    ``heading`` is a question that names the object ("Disable Kari Nordmann?"),
    ``yes`` the button that does it ("Yes, disable Kari Nordmann"), ``cancel``
    the page to go back to, unchanged. ``explain`` says the consequences, a
    paragraph each; ``warnings`` what the person should know before going
    ahead (shown as a warning). ``carry`` are hidden fields posted again with
    the "Yes" (a version); ``fields`` are fields of the form shown on the page
    (an optional reason), so what was typed is neither lost nor hidden.
    ``action`` is where "Yes" posts: by default the action's own URL.
    ``back``, when given, labels a second button that posts what was carried
    back with ``back=1`` (and ``confirm=1``), for a view that then shows its
    form again as typed, so a mistake is corrected without typing it all again.
    """

    heading: str
    yes: str
    cancel: str
    explain: Sequence[str] = ()
    warnings: Sequence[str] = ()
    carry: Mapping[str, str] = field(default_factory=dict)
    fields: Sequence[Any] = ()
    action: str = ""
    back: str = ""


def confirmed(form: FlaskForm) -> bool:
    """Whether this request is the "Yes" of a confirm step: a POST with
    ``confirm=1`` whose form is valid (the CSRF token is checked app-wide as
    well). The first button posts without ``confirm``: then nothing is
    validated, so the confirm page shows no message yet, and nothing changes."""
    if request.method != "POST" or request.form.get("confirm") != "1":
        return False
    return bool(form.validate_on_submit())


def confirm_page(step: ConfirmStep, form: FlaskForm) -> ResponseReturnValue:
    """The confirm page; 400 when the "Yes" came with bad input (the message
    beside its field, the text kept), else 200. Nothing has changed."""
    status = 400 if form.errors else 200
    return render_template("confirm.html", step=step, form=form), status


#: The largest amount we accept: 10 billion kroner is far beyond any
#: early-phase round and catches a slip of the finger.
MAX_KRONER = 10_000_000_000


class KronerField(StringField):
    """Whole kroner typed as ``1250000``, ``1 250 000`` or ``1.250.000``."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.amount: int | None = None

    def process_data(self, value: Any) -> None:
        self.amount = value if isinstance(value, int) else None
        self.data = format_kroner(value).replace("\u00a0kr", "") if self.amount is not None else ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = valuelist[0].strip() if valuelist else ""
        self.amount = None
        if self.data:
            try:
                self.amount = parse_kroner(self.data)
            except ValueError as exc:
                raise ValueError(
                    str(_l("Write whole kroner, like 1250000, 1 250 000 or 1.250.000."))
                ) from exc

    def pre_validate(self, form: Any) -> None:
        if self.amount is not None and self.amount > MAX_KRONER:
            raise ValidationError(str(_l("That amount is too large; check the number of zeros.")))
