"""The round's terms form, and the lead's forms (each posts the round's version)."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField
from wtforms.validators import InputRequired, Optional, ValidationError

from matchmaking.formtools import FlaskForm, KronerField
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.proposals.forms import INSTRUMENT_CHOICES


class TermsForm(FlaskForm):
    """Open a round or change its terms. Founders get it without ``totals_visible``."""

    version = HiddenField()
    target = KronerField(
        _l("Target (kr)"),
        validators=[InputRequired(message=_l("Enter the round's target, in whole kroner."))],
        description=_l("How much the company seeks in this round."),
    )
    min_ticket = KronerField(
        _l("Smallest ticket (kr)"),
        validators=[InputRequired(message=_l("Enter the smallest ticket, in whole kroner."))],
        description=_l("The smallest amount an investor can commit."),
    )
    instrument = SelectField(
        _l("Instrument"),
        choices=INSTRUMENT_CHOICES,
        default="",
        validators=[InputRequired(message=_l("Choose an instrument."))],
    )
    closes_on = DateField(
        _l("Closing date (optional)"),
        validators=[Optional()],
        invalid_value_message=_l("Enter a date, e.g. 2027-02-18."),
        description=_l("Today or later. Leave it empty if it is not decided yet."),
    )
    totals_visible = BooleanField(
        _l("Show the total and the number of investors to investors"),
        description=_l(
            "Approved investors who may see the proposal then see what has been committed"
            " in all and by how many (never who). It can help a syndicate form."
        ),
    )

    def validate_target(self, field: KronerField) -> None:
        if field.amount is not None and field.amount == 0:
            raise ValidationError(str(_l("The target must be more than 0 kr.")))

    def validate_min_ticket(self, field: KronerField) -> None:
        if field.amount is not None and field.amount == 0:
            raise ValidationError(str(_l("The smallest ticket must be more than 0 kr.")))


class LeadForm(FlaskForm):
    """Organisers: who leads the round (``""``: no lead)."""

    version = HiddenField()
    lead = RadioField(_l("Lead investor"), choices=[], validate_choice=True, default="")

    def set_candidates(self, candidates: list[tuple[str, Any]]) -> None:
        self.lead.choices = [("", str(_l("No lead"))), *candidates]


class VersionForm(FlaskForm):
    """A button that changes the round: carries the version it showed."""

    version = HiddenField()
