"""Forms of the matches page: the filters (GET) and "not interested" (POST)."""

from __future__ import annotations

from typing import Any

from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from matchmaking.formtools import FlaskForm, Form, KronerField
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.matches.choices import REASON_TEXT_MAX
from matchmaking.matches.models import NotInterestedReason
from matchmaking.matches.search import QUERY_MAX


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class MatchFilterForm(Form):
    """The filters: a GET form (no CSRF: it changes nothing)."""

    q = StringField(
        _l("Search"),
        filters=[_strip],
        description=_l("Words in the title, the teaser or the description."),
        validators=[Length(max=QUERY_MAX, message=_l("At most %(max)d characters."))],
    )
    sector = SelectField(_l("Sector"), validate_choice=False)
    stage = SelectField(_l("Stage"), validate_choice=False)
    municipality = SelectField(_l("Municipality"), validate_choice=False)
    subproject = SelectField(_l("Programme sub-project"), validate_choice=False)
    ask_from = KronerField(_l("Ask from (kr)"))
    ask_to = KronerField(_l("Ask to (kr)"))

    def validate_ask_to(self, field: KronerField) -> None:
        low, high = self.ask_from.amount, field.amount
        if low is not None and high is not None and low > high:
            raise ValidationError(str(_l("“To” must be at least “from”.")))

    def choice_value(self, name: str) -> str:
        """The chosen slug, or "" when it is not one of the choices offered."""
        field = self[name]
        offered = {str(value) for value, _label in field.choices}
        return field.data if field.data in offered else ""

    def check_choices(self) -> None:
        """A slug that is not offered (retired, mistyped) gets a message beside its field."""
        for name in ("sector", "stage", "municipality", "subproject"):
            if self[name].data and not self.choice_value(name):
                self[name].errors = [str(_l("Choose one from the list."))]


REASON_CHOICES = [
    SelectChoice(NotInterestedReason.SECTOR.value, _l("Not my sector")),
    SelectChoice(NotInterestedReason.STAGE.value, _l("Wrong stage for me")),
    SelectChoice(NotInterestedReason.TICKET.value, _l("The ask does not fit my ticket size")),
    SelectChoice(NotInterestedReason.GEOGRAPHY.value, _l("Outside the area I invest in")),
    SelectChoice(NotInterestedReason.TEAM.value, _l("The team")),
    SelectChoice(NotInterestedReason.MARKET.value, _l("The market or the business model")),
    SelectChoice(NotInterestedReason.TIMING.value, _l("Not now: the timing is wrong for me")),
    SelectChoice(NotInterestedReason.OTHER.value, _l("Something else (say what below)")),
]


def reason_label(reason: NotInterestedReason | str) -> str:
    """A "not interested" reason in words."""
    labels = {choice.value: choice.label for choice in REASON_CHOICES}
    return str(labels[NotInterestedReason(reason).value])


class NotInterestedForm(FlaskForm):
    reason = RadioField(
        _l("Why not?"),
        choices=REASON_CHOICES,
        validators=[InputRequired(message=_l("Choose a reason from the list."))],
    )
    reason_text = TextAreaField(
        _l("In your own words (optional)"),
        filters=[_strip],
        description=_l(
            "Only the organisers read this. The founder sees only how many investors gave each reason, never who."
        ),
        validators=[Length(max=REASON_TEXT_MAX, message=_l("At most %(max)d characters."))],
    )
    next = HiddenField()


class SaveForm(FlaskForm):
    """The "save" toggle: a button and where to go back to."""

    next = HiddenField()
