"""Account forms. Field names ``email`` and ``password`` are part of the contract."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from matchmaking.accounts.models import NoticeMode
from matchmaking.accounts.passwords import MAX_LENGTH, password_problem
from matchmaking.formtools import FlaskForm, strip
from matchmaking.i18n import lazy_gettext as _l

LANGUAGE_CHOICES = [
    SelectChoice("nb", "Norsk bokmål", render_kw={"lang": "nb"}),
    SelectChoice("en", "English", render_kw={"lang": "en"}),
]


class PasswordPolicy:
    """Validator: the password policy, with the form's e-mail (or the user's) for the check."""

    def __init__(self, email_field: str | None = "email") -> None:
        self.email_field = email_field

    def __call__(self, form: Any, field: Any) -> None:
        email = None
        if self.email_field and self.email_field in form:
            email = form[self.email_field].data
        email = email or getattr(form, "account_email", None)
        problem = password_problem(field.data or "", email)
        if problem:
            raise ValidationError(problem)


def _email_field(label: Any = None) -> EmailField:
    return EmailField(
        label or _l("E-mail address"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Length(max=254, message=_l("The e-mail address is too long.")),
            Email(
                message=_l("Enter a valid e-mail address, like name@example.no."),
                check_deliverability=False,
            ),
        ],
        render_kw={"autocomplete": "email"},
    )


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    return (
        PasswordField(
            _l("Password"),
            validators=[DataRequired(message=_l("Choose a password.")), PasswordPolicy()],
            description=_l("At least 10 characters. A few unrelated words make a good password."),
            render_kw={"autocomplete": "new-password", "maxlength": MAX_LENGTH},
        ),
        PasswordField(
            _l("Repeat the password"),
            validators=[
                DataRequired(message=_l("Repeat the password.")),
                EqualTo("password", message=_l("The two passwords are not the same.")),
            ],
            render_kw={"autocomplete": "new-password"},
        ),
    )


class RegisterForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter your name.")),
            Length(max=120, message=_l("The name can have at most 120 characters.")),
        ],
        render_kw={"autocomplete": "name"},
    )
    email = _email_field()
    password, password_again = _new_password_fields()
    role = RadioField(
        _l("I am"),
        choices=[
            SelectChoice("entrepreneur", _l("an entrepreneur with a business proposal")),
            SelectChoice("investor", _l("an investor (business angel)")),
        ],
        validators=[
            DataRequired(message=_l("Choose whether you are an entrepreneur or an investor."))
        ],
    )
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="nb")


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Remember me on this device for 14 days"))


class EmailOnlyForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password, password_again = _new_password_fields()


class ProfileForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter your name.")),
            Length(max=120, message=_l("The name can have at most 120 characters.")),
        ],
    )
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    #: Organisers only (the view removes it for everyone else).
    notice_mode = SelectField(
        _l("E-mail about new proposals and investors"),
        choices=[
            SelectChoice(NoticeMode.IMMEDIATELY.value, _l("At once, one e-mail each")),
            SelectChoice(NoticeMode.DAILY.value, _l("A daily summary")),
            SelectChoice(NoticeMode.NEVER.value, _l("Never")),
        ],
        invalid_choice_message=_l("Choose one of the three."),
        description=_l(
            "New submissions, resubmissions and investor registrations. The daily summary"
            " comes once a day and only when something happened."
        ),
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password, password_again = _new_password_fields()


class ChangeEmailForm(FlaskForm):
    email = _email_field(_l("New e-mail address"))
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )


class NewOrganiserForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the name.")),
            Length(max=120, message=_l("The name can have at most 120 characters.")),
        ],
    )
    email = _email_field()
    password, password_again = _new_password_fields()
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="nb")


class LanguageForm(FlaskForm):
    """The header's language switch."""

    lang = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
