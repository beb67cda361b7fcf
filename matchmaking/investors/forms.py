"""Forms: the investor's interest profile and the organisers' approval decision."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput

from matchmaking.formtools import FlaskForm, KronerField, strip
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.investors import services
from matchmaking.investors.models import DigestFrequency
from matchmaking.numbers import coerce_id


def _no_nul(value: Any) -> Any:
    """Drop NUL characters: never typed on purpose, and PostgreSQL cannot store them."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def _at_most(n: int) -> Length:
    return Length(max=n, message=_l("At most %(max)d characters."))


class CheckboxGroupField(SelectMultipleField):
    """Several reference rows by id, shown as checkboxes in a fieldset.

    Anything that is not one of the offered ids (a tampered form, a row
    retired meanwhile) gets a message beside the group, never a traceback.
    """

    option_widget = CheckboxInput()

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", coerce_id)
        kwargs.setdefault("invalid_value_message", _l("Choose from the list."))
        kwargs.setdefault("invalid_choice_message", _l("Choose from the list."))
        super().__init__(label, validators, **kwargs)


DIGEST_CHOICES = [
    SelectChoice(DigestFrequency.NEVER.value, _l("Never")),
    SelectChoice(DigestFrequency.WEEKLY.value, _l("Weekly")),
    SelectChoice(DigestFrequency.DAILY.value, _l("Daily")),
]


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Display name"),
        filters=[_no_nul, strip],
        description=_l("The name organisers and, after an introduction, founders see."),
        validators=[
            DataRequired(message=_l("Enter the name other users see.")),
            _at_most(services.DISPLAY_NAME_MAX),
        ],
        render_kw={"autocomplete": "name"},
    )
    organisation = StringField(
        _l("Organisation (optional)"),
        filters=[_no_nul, strip],
        validators=[_at_most(services.ORGANISATION_MAX)],
        render_kw={"autocomplete": "organization"},
    )
    sectors = CheckboxGroupField(_l("Sectors"))
    stages = CheckboxGroupField(_l("Stages"))
    ticket_min = KronerField(
        _l("Smallest ticket (kr)"),
        description=_l("Whole kroner, like 250000 or 250 000."),
        validators=[InputRequired(message=_l("Enter the smallest ticket, in whole kroner."))],
    )
    ticket_max = KronerField(
        _l("Largest ticket (kr)"),
        description=_l("At most 10 000 000 000 kr."),
        validators=[InputRequired(message=_l("Enter the largest ticket, in whole kroner."))],
    )
    regions = CheckboxGroupField(_l("Whole regions"))
    municipalities = CheckboxGroupField(_l("Municipalities"))
    subprojects = CheckboxGroupField(_l("Programme sub-projects"))
    thesis = TextAreaField(
        _l("Investment thesis"),
        filters=[_no_nul, strip],
        description=_l(
            "In your own words: what you look for, what you bring besides money. At most 5,000 characters."
        ),
        validators=[_at_most(services.THESIS_MAX)],
        render_kw={"rows": 6},
    )
    co_invest = BooleanField(_l("I like to co-invest with other angels"))
    digest_frequency = RadioField(
        _l("E-mail digest of new matches"),
        choices=DIGEST_CHOICES,
        default=DigestFrequency.WEEKLY.value,
        validators=[DataRequired(message=_l("Choose how often you want the digest."))],
    )

    def validate_ticket_max(self, field: KronerField) -> None:
        if field.amount is not None and field.amount == 0:
            raise ValidationError(str(_l("The largest ticket must be more than 0 kr.")))

    def validate_ticket_min(self, field: KronerField) -> None:
        top = self.ticket_max.amount
        if field.amount is not None and top is not None and field.amount > top:
            raise ValidationError(str(_l("The smallest ticket cannot be larger than the largest.")))

    def to_data(self) -> services.ProfileData:
        return services.ProfileData(
            display_name=self.display_name.data or "",
            organisation=self.organisation.data or "",
            ticket_min=self.ticket_min.amount or 0,
            ticket_max=self.ticket_max.amount or 0,
            thesis=self.thesis.data or "",
            co_invest=bool(self.co_invest.data),
            digest_frequency=DigestFrequency(self.digest_frequency.data),
            sector_ids=self.sectors.data or [],
            stage_ids=self.stages.data or [],
            municipality_ids=self.municipalities.data or [],
            region_ids=self.regions.data or [],
            subproject_ids=self.subprojects.data or [],
        )

    def checkbox_groups(self) -> list[CheckboxGroupField]:
        return [self.sectors, self.stages, self.regions, self.municipalities, self.subprojects]


DECISION_CHOICES = [
    SelectChoice("approve", _l("Approve")),
    SelectChoice("reject", _l("Reject")),
]


class InvestorDecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=DECISION_CHOICES,
        validators=[DataRequired(message=_l("Choose a decision."))],
    )
    reason = TextAreaField(
        _l("Message to the investor"),
        filters=[_no_nul, strip],
        description=_l(
            "The investor receives this by e-mail. Required when you reject; optional when you approve."
        ),
        validators=[_at_most(services.REASON_MAX)],
        render_kw={"rows": 4},
    )

    def validate_reason(self, field: Any) -> None:
        if self.decision.data == "reject" and not field.data:
            raise ValidationError(
                str(_l("Give a reason: the investor receives it with the decision."))
            )
