"""Forms for Springbrett sessions."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import format_decimal
from wtforms import (
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput

from matchmaking.events.models import OUTCOME_NOTE_MAX, MeetingOutcome
from matchmaking.formtools import FlaskForm, strip
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.numbers import coerce_id, parse_decimal, parse_int

#: Beyond any count a session has; the service says which range each field takes.
NUMBER_MAX = 999_999


class NumberField(IntegerField):
    """A whole number (negative allowed, so the service can say why it is wrong)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = valuelist[0].strip() if valuelist else ""
        self.raw_data = [text]
        if not text:
            self.data = None
            return
        self.data = parse_int(text, minimum=-NUMBER_MAX, maximum=NUMBER_MAX)
        if self.data is None:
            if parse_int(text, minimum=-(10**20), maximum=10**20) is not None:
                raise ValueError(str(_l("Enter a whole number; that one is too large.")))
            raise ValueError(str(_l("Enter a whole number.")))

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()


def _number(label: Any, required: bool = True, description: Any = "") -> NumberField:
    validators: list[Any] = (
        [InputRequired(message=_l("Enter a whole number."))] if required else [Optional()]
    )
    return NumberField(label, validators=validators, description=description)


# --------------------------------------------------------------------------
# The session
# --------------------------------------------------------------------------


class EventForm(FlaskForm):
    version = HiddenField()
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter a title.")),
            Length(max=160, message=_l("At most %(max)d characters.")),
        ],
    )
    day = DateField(
        _l("Date"),
        invalid_value_message=_l("Enter a date, e.g. 2027-02-18."),
        validators=[InputRequired(message=_l("Enter the date."))],
        description=_l("Norwegian time (Europe/Oslo)."),
    )
    start = TimeField(
        _l("Start time"),
        validators=[InputRequired(message=_l("Enter the start time."))],
        invalid_value_message=_l("Enter a time of day, e.g. 17:00."),
    )
    venue = StringField(
        _l("Venue"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the venue.")),
            Length(max=200, message=_l("At most %(max)d characters.")),
        ],
    )
    municipality = SelectField(
        _l("Municipality"), validators=[DataRequired(message=_l("Choose a municipality."))]
    )
    pitch_slots = _number(_l("Pitch slots"))
    minutes_per_pitch = _number(_l("Minutes per pitch"))
    meetings_start = TimeField(
        _l("1:1 meetings start"),
        invalid_value_message=_l("Enter a time of day, e.g. 17:00."),
        validators=[InputRequired(message=_l("Enter when the 1:1 meetings start."))],
        description=_l("Same day, Norwegian time."),
    )
    meeting_slots = _number(_l("1:1 meeting slots"))
    meeting_minutes = _number(_l("Minutes per 1:1 meeting"))
    capacity = _number(_l("Investor places"))
    max_per_municipality = _number(
        _l("At most this many pitches per municipality"),
        required=False,
        description=_l("Leave empty for no limit."),
    )


def event_form(subprojects: list[tuple[str, str]], **kwargs: Any) -> EventForm:
    """The event form with one minimum field per active sub-project (``min_<id>``)."""

    class _Form(EventForm):
        pass

    for sid, name in subprojects:
        setattr(
            _Form,
            f"min_{sid}",
            _number(_l("Minimum pitches from %(name)s", name=name), required=False),
        )
    form = _Form(**kwargs)
    form.subproject_fields = [form[f"min_{sid}"] for sid, _ in subprojects]
    return form


class ProposalChoiceForm(FlaskForm):
    proposal = SelectField(
        _l("Proposal"), validators=[DataRequired(message=_l("Choose a proposal."))]
    )


# --------------------------------------------------------------------------
# The line-up
# --------------------------------------------------------------------------

_WEIGHT = re.compile(r"[0-9]{1,2}(?:[.,][0-9]{1,2})?")


class WeightField(StringField):
    """A decimal from the form, with a comma or a point (``1,5``); None when not a number."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]).strip() if valuelist else ""
        self.raw_data = [text]
        self.data = parse_decimal(text) if _WEIGHT.fullmatch(text) else None

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else format_decimal(self.data, "0.##")

    def pre_validate(self, form: Any) -> None:
        if self.data is None:
            raise ValidationError(
                str(_l("Enter a number from 0 to 10 with at most two decimals, for example 1,5."))
            )


class WeightForm(FlaskForm):
    version = HiddenField()
    screening_weight = WeightField(
        _l("Weight of the screening score"),
        description=_l(
            "From 0 to 10. A candidate's bonus is the weight × (screening score − 1) / 4:"
            " with weight 1 a top-scored proposal counts like one investor with a perfect"
            " match; 0 leaves the screening out. Unscored proposals get no bonus."
        ),
    )


#: The longest reason a founder may give for declining an invitation to pitch.
DECLINE_REASON_MAX = 1000


class DeclineForm(FlaskForm):
    """The confirm step of declining an invitation to pitch: an optional reason."""

    reason = TextAreaField(
        _l("Why can you not pitch? (optional; the organisers see it)"),
        filters=[strip],
        validators=[
            Length(max=DECLINE_REASON_MAX, message=_l("At most %(max)d characters, please."))
        ],
        render_kw={"rows": 3},
    )


# --------------------------------------------------------------------------
# The 1:1 meetings
# --------------------------------------------------------------------------


class IdsField(SelectMultipleField):
    """Ticked checkboxes by id. A value that is not a number (a tampered form)
    gets the message beside the group; the valid ticks are kept."""

    option_widget = CheckboxInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        numbers = [parse_int(str(v if v is not None else "").strip()) for v in valuelist]
        self.data = [n for n in numbers if n is not None]
        if any(n is None for n in numbers):
            raise ValueError(self.invalid_value_message)

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            return
        super().pre_validate(form)


class ChoicesForm(FlaskForm):
    """What an investor wants: the companies to meet and the slots they cannot attend."""

    proposal = HiddenField()
    wanted = IdsField(
        _l("Companies you want to meet"),
        coerce=coerce_id,
        invalid_value_message=_l("Choose among the companies that pitch at this session."),
        invalid_choice_message=_l("Choose among the companies that pitch at this session."),
    )
    unavailable = IdsField(
        _l("Slots you cannot attend"),
        coerce=coerce_id,
        invalid_value_message=_l("Choose among the session's meeting slots."),
        invalid_choice_message=_l("Choose among the session's meeting slots."),
    )


class FounderChoicesForm(ChoicesForm):
    """What a founder wants for their company: the investors to meet, the slots it cannot attend."""

    wanted = IdsField(
        _l("Investors you want to meet"),
        coerce=coerce_id,
        invalid_value_message=_l("Choose among the investors signed up for this session."),
        invalid_choice_message=_l("Choose among the investors signed up for this session."),
    )
    unavailable = IdsField(
        _l("Slots the company cannot attend"),
        coerce=coerce_id,
        invalid_value_message=_l("Choose among the session's meeting slots."),
        invalid_choice_message=_l("Choose among the session's meeting slots."),
    )


class PublishLineupForm(FlaskForm):
    """Publishing the line-up: the version the page showed and the reply deadline."""

    version = HiddenField()
    reply_by = DateTimeLocalField(
        _l("Founders answer by"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
        invalid_value_message=_l("Enter a date and time, e.g. 2027-01-08 17:00."),
        description=_l(
            "Norwegian time, before the session starts. Founders who have not answered"
            " are reminded by e-mail 48 hours before."
        ),
    )


class MinimumForm(FlaskForm):
    version = HiddenField()
    min_meetings = NumberField(
        _l("Least number of meetings per pitching company"),
        validators=[InputRequired(message=_l("Enter a whole number."))],
    )


class VersionForm(FlaskForm):
    """A button that changes the schedule: carries the version the page showed."""

    version = HiddenField()


class AddMeetingForm(FlaskForm):
    version = HiddenField()
    investor = SelectField(
        _l("Investor"),
        validators=[InputRequired(message=_l("Choose an investor signed up for this session."))],
        invalid_choice_message=_l("Choose an investor signed up for this session."),
    )
    company = SelectField(
        _l("Company"),
        validators=[InputRequired(message=_l("Choose a company that pitches at this session."))],
        invalid_choice_message=_l("Choose a company that pitches at this session."),
    )
    slot = SelectField(
        _l("Slot"),
        validators=[InputRequired(message=_l("Choose one of the session's slots."))],
        invalid_choice_message=_l("Choose one of the session's slots."),
    )


# --------------------------------------------------------------------------
# Agendas and outcomes
# --------------------------------------------------------------------------


class SendAgendasForm(FlaskForm):
    version = HiddenField()


class OutcomeForm(FlaskForm):
    """One meeting's outcome; made with ``prefix="m<meeting id>"`` so many fit on a page."""

    outcome = RadioField(
        _l("Outcome"),
        choices=[
            SelectChoice(MeetingOutcome.FOLLOW_UP.value, _l("Follow-up wanted")),
            SelectChoice(MeetingOutcome.NO_FOLLOW_UP.value, _l("No follow-up")),
        ],
        validate_choice=False,  # the service says what is wrong, in our words
        validators=[InputRequired(message=_l("Choose whether a follow-up is wanted."))],
    )
    note = TextAreaField(
        _l("Note (optional)"),
        filters=[strip],
        validators=[
            Length(max=OUTCOME_NOTE_MAX, message=_l("At most %(max)d characters, please."))
        ],
        description=_l(
            "For the organisers and the investor in this meeting; the founder never sees it."
        ),
    )
