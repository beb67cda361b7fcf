"""The close form: funded (what was raised, by whom) or closed without funding."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from matchmaking.formtools import CHOOSE, FlaskForm, Form, KronerField, strip
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.proposals.forms import INSTRUMENT_CHOICES
from matchmaking.rounds.notifications import REASON_LABELS

FUNDED, NOT_FUNDED = "funded", "not_funded"
WORDS_MAX = 2000
#: Rows for investors outside the network shown at first, and added by "More rows".
OUTSIDE_ROWS = 3
OUTSIDE_MAX = 30


class NetworkRow(Form):
    """One investor of the network with an active commitment: what they invested."""

    investor = HiddenField()
    amount = KronerField(_l("Invested"))


class OutsideRow(Form):
    """An investor outside the network (public co-funding, say): name and amount."""

    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[Length(max=160, message=_l("At most %(max)d characters."))],
    )
    amount = KronerField(_l("Amount"))


class CloseForm(FlaskForm):
    version = HiddenField()
    outcome = RadioField(
        _l("Outcome"),
        choices=[
            SelectChoice(FUNDED, _l("Funded")),
            SelectChoice(NOT_FUNDED, _l("Closed without funding")),
        ],
        validate_choice=False,
    )
    raised = KronerField(_l("Amount raised"), description=_l("In whole kroner."))
    funded_on = DateField(
        _l("Date of the funding"),
        validators=[Optional()],
        description=_l("Not in the future."),
    )
    instrument = SelectField(_l("Instrument"), choices=INSTRUMENT_CHOICES[1:])
    pre_money = KronerField(_l("Pre-money valuation (optional)"))
    #: Shown on the confirm step only when the amount raised is far above the
    #: target (its label, naming the amounts, is set by the view).
    raised_confirmed = BooleanField(_l("The amount raised is right"))
    network = FieldList(FormField(NetworkRow), max_entries=200)
    outside = FieldList(FormField(OutsideRow), min_entries=OUTSIDE_ROWS, max_entries=OUTSIDE_MAX)
    reason = SelectField(_l("Why the round closed without funding"), validate_choice=False)
    words = TextAreaField(
        _l("A few words (optional)"),
        filters=[strip],
        validators=[Length(max=WORDS_MAX, message=_l("At most %(max)d characters."))],
        render_kw={"rows": 3},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reason.choices = [SelectChoice("", CHOOSE)] + [
            SelectChoice(r.value, label) for r, label in REASON_LABELS.items()
        ]
