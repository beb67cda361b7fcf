"""Forms for the company profile, proposals, decks and lifecycle moves."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import FieldList
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from matchmaking.formtools import CHOOSE, FlaskForm, Form, IdSelectField, KronerField, strip
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.numbers import parse_int
from matchmaking.proposals.models import Instrument
from matchmaking.proposals.orgnr import normalise_orgnr, orgnr_problem

MAX_JOBS = 100_000


class WholeNumberField(IntegerField):
    """A whole number; what is not one gets one message (ours), not two."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = valuelist[0].strip() if valuelist else ""
        self.raw_text = text
        if not text:
            self.data = None
            return
        self.data = parse_int(text)
        if self.data is None:
            raise ValueError(str(_l("Enter a whole number from 0 to %(max)d.", max=MAX_JOBS)))

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()


def with_scheme(value: Any) -> Any:
    """A WTForms filter: ``nordlysfisk.no`` becomes ``https://nordlysfisk.no``
    (people type addresses as they see them; a link needs the scheme)."""
    if isinstance(value, str) and value and "://" not in value:
        return "https://" + value.removeprefix("//")
    return value


class CompanyForm(FlaskForm):
    name = StringField(
        _l("Company name"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the company's name.")),
            Length(max=160, message=_l("At most %(max)d characters.")),
        ],
    )
    org_number = StringField(
        _l("Organisation number"),
        filters=[strip],
        description=_l("9 digits. Optional while the company is at the idea stage."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    municipality = IdSelectField(
        _l("Municipality"), validate_choice=True, choose=_l("Choose the municipality.")
    )
    website = StringField(
        _l("Website"),
        filters=[strip, with_scheme],
        description=_l("For example nordlysfisk.no."),
        validators=[
            Optional(),
            URL(message=_l("Enter a web address, like nordlysfisk.no.")),
            Length(max=300, message=_l("At most %(max)d characters.")),
        ],
        render_kw={"autocomplete": "url"},
    )
    contact_name = StringField(
        _l("Contact person"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the contact person's name.")),
            Length(max=120, message=_l("At most %(max)d characters.")),
        ],
    )
    contact_email = StringField(
        _l("Contact e-mail"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the contact person's e-mail address.")),
            Email(
                message=_l("Enter a valid e-mail address, like name@example.no."),
                check_deliverability=False,
            ),
            Length(max=254, message=_l("At most %(max)d characters.")),
        ],
    )
    contact_phone = StringField(
        _l("Contact phone"),
        filters=[strip],
        validators=[Optional(), Length(max=40, message=_l("At most %(max)d characters."))],
        render_kw={"autocomplete": "tel"},
    )

    def validate_org_number(self, field: Any) -> None:
        if not field.data:
            return
        typed = field.data
        number = normalise_orgnr(typed)
        problem = orgnr_problem(number)
        if problem == "characters":
            raise ValidationError(
                str(
                    _l(
                        "An organisation number has only digits; you typed “%(typed)s”.",
                        typed=typed,
                    )
                )
            )
        if problem == "length":
            raise ValidationError(
                str(
                    _l(
                        "An organisation number has 9 digits; you typed %(n)d.",
                        n=len(number),
                    )
                )
            )
        if problem == "check":
            raise ValidationError(
                str(
                    _l(
                        "This is not a valid organisation number: the last digit does not"
                        " match. Check it in Brønnøysundregistrene."
                    )
                )
            )
        field.data = number


class TeamMemberForm(Form):
    name = StringField(
        _l("Name"),
        filters=[strip],
        validators=[Length(max=120, message=_l("At most %(max)d characters."))],
    )
    role = StringField(
        _l("Role"),
        filters=[strip],
        validators=[Length(max=120, message=_l("At most %(max)d characters."))],
    )
    background = TextAreaField(
        _l("Short background"),
        filters=[strip],
        validators=[Length(max=500, message=_l("At most %(max)d characters."))],
        render_kw={"rows": 2},
    )

    def validate_name(self, field: Any) -> None:
        if not field.data and (self.role.data or self.background.data):
            raise ValidationError(str(_l("Enter the team member's name.")))


class TeamForm(FlaskForm):
    members = FieldList(FormField(TeamMemberForm), min_entries=1, max_entries=12)


INSTRUMENT_CHOICES = [
    SelectChoice("", CHOOSE),
    SelectChoice(Instrument.EQUITY.value, _l("Equity")),
    SelectChoice(Instrument.CONVERTIBLE.value, _l("Convertible loan")),
    SelectChoice(Instrument.LOAN.value, _l("Loan")),
    SelectChoice(Instrument.OTHER.value, _l("Other")),
]


def _long_text(
    label: Any, max_length: int, required_message: Any = None, rows: int = 6
) -> TextAreaField:
    validators: list[Any] = [Length(max=max_length, message=_l("At most %(max)d characters."))]
    return TextAreaField(label, filters=[strip], validators=validators, render_kw={"rows": rows})


class ProposalForm(FlaskForm):
    #: Which of the founder's companies a new proposal belongs to (the edit
    #: page removes the field: a proposal stays with its company).
    company = IdSelectField(_l("Company"))
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Give the proposal a title.")),
            Length(max=160, message=_l("At most %(max)d characters.")),
        ],
    )
    teaser = TextAreaField(
        _l("Public teaser"),
        filters=[strip],
        description=_l("At most 300 characters. Every logged-in investor can read it."),
        validators=[
            DataRequired(message=_l("Write a short teaser.")),
            Length(max=300, message=_l("At most %(max)d characters.")),
        ],
        render_kw={"rows": 3, "maxlength": 300, "data-counter": "teaser-count"},
    )
    description = _long_text(_l("Confidential description"), 20_000, rows=8)
    sector = IdSelectField(_l("Sector"), choose=_l("Choose a sector."))
    stage = IdSelectField(_l("Stage"), choose=_l("Choose a stage."))
    subproject = IdSelectField(_l("Programme sub-project"))
    ask = KronerField(
        _l("Capital sought (kr)"),
        validators=[InputRequired(message=_l("Enter how much capital you seek, in whole kroner."))],
    )
    min_ticket = KronerField(
        _l("Smallest investment you accept (kr)"),
        validators=[InputRequired(message=_l("Enter the smallest ticket, in whole kroner."))],
    )
    instrument = SelectField(
        _l("Instrument"),
        choices=INSTRUMENT_CHOICES,
        default="",
        validators=[InputRequired(message=_l("Choose an instrument."))],
    )
    pre_money = KronerField(_l("Pre-money valuation (kr, optional)"))
    use_of_funds = _long_text(_l("Use of funds"), 5_000, rows=4)
    jobs_now = WholeNumberField(
        _l("Jobs today"),
        validators=[
            InputRequired(message=_l("Enter a whole number, 0 or more.")),
            NumberRange(min=0, max=MAX_JOBS, message=_l("Enter a whole number from 0 to %(max)d.")),
        ],
        default=0,
    )
    jobs_in_3_years = WholeNumberField(
        _l("Jobs in three years"),
        validators=[
            InputRequired(message=_l("Enter a whole number, 0 or more.")),
            NumberRange(min=0, max=MAX_JOBS, message=_l("Enter a whole number from 0 to %(max)d.")),
        ],
        default=0,
    )
    traction = _long_text(_l("Traction so far"), 5_000, rows=4)

    def validate_ask(self, field: KronerField) -> None:
        if field.amount is not None and field.amount == 0:
            raise ValidationError(str(_l("The capital sought must be more than 0 kr.")))

    def validate_min_ticket(self, field: KronerField) -> None:
        ask = self.ask.amount
        if field.amount is not None and ask is not None and field.amount > ask:
            raise ValidationError(
                str(_l("The smallest ticket cannot be larger than the capital sought."))
            )


class DeckForm(FlaskForm):
    deck = FileField(
        _l("Pitch deck (PDF, at most 20 MB)"),
        description=_l(
            "Choose a PDF and save: the deck is stored together with the changes above."
        ),
        render_kw={"accept": "application/pdf,.pdf"},
    )


class CommentForm(FlaskForm):
    """A lifecycle move with an optional (or required) comment."""

    comment = TextAreaField(
        _l("Comment"),
        filters=[strip],
        validators=[Length(max=5_000, message=_l("At most %(max)d characters."))],
        render_kw={"rows": 3},
    )
