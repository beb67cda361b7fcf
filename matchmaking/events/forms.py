"""Forms for Springbrett sessions."""

from __future__ import annotations

from typing import Any

from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation

from matchmaking.events.models import OUTCOME_NOTE_MAX, MeetingOutcome
from matchmaking.formtools import FlaskForm, strip
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.numbers import parse_int

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


# --------------------------------------------------------------------------
# The 1:1 meetings
# --------------------------------------------------------------------------


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
