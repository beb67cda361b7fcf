"""Screening forms: board filters, the rubric score sheet, decisions, criteria."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from matchmaking.formtools import FlaskForm, Form, strip
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.numbers import parse_decimal
from matchmaking.proposals.models import Status
from matchmaking.proposals.services import TRANSITIONS
from matchmaking.screening import services
from matchmaking.screening.models import Criterion


def _at_most(n: int) -> Length:
    return Length(max=n, message=_l("At most %(max)d characters."))


SORT_CHOICES = [
    SelectChoice("submitted_desc", _l("Newest submission first")),
    SelectChoice("submitted_asc", _l("Oldest submission first")),
    SelectChoice("score_desc", _l("Highest weighted score first")),
]


class BoardFilterForm(Form):
    """The board's filters: a GET form (no CSRF: it changes nothing)."""

    tab = StringField()
    municipality = SelectField(_l("Municipality"), validate_choice=False)
    subproject = SelectField(_l("Programme sub-project"), validate_choice=False)
    sector = SelectField(_l("Sector"), validate_choice=False)
    stage = SelectField(_l("Stage"), validate_choice=False)
    q = StringField(
        _l("Search"),
        filters=[strip],
        description=_l("Words in the title, the teaser or the company name."),
        validators=[_at_most(200)],
    )
    sort = SelectField(_l("Sort by"), choices=SORT_CHOICES, validate_choice=False)
    #: Choices set by the view (they name the rubric's minimum number of reviews).
    reviews = SelectField(_l("Reviews"), validate_choice=False)


SCORE_CHOICES = [
    SelectChoice("1", _l("1 – weak")),
    SelectChoice("2", "2"),
    SelectChoice("3", "3"),
    SelectChoice("4", "4"),
    SelectChoice("5", _l("5 – excellent")),
]


def _score_in_range(form: Any, field: Any) -> None:
    if field.data not in {c.value for c in SCORE_CHOICES}:
        raise ValidationError(str(_l("Choose a score from 1 to 5.")))


class ReviewFormBase(FlaskForm):
    comment = TextAreaField(
        _l("Overall comment"),
        filters=[strip],
        description=_l(
            "Optional. If the proposal is declined, the organiser may share the comments with the founder, without your name."
        ),
        validators=[_at_most(services.OVERALL_COMMENT_MAX)],
        render_kw={"rows": 4},
    )

    criteria: list[Criterion]

    def score_fields(self) -> list[tuple[Criterion, Any, Any]]:
        """(criterion, score field, comment field), in rubric order."""
        return [(c, self[f"score_{c.id}"], self[f"comment_{c.id}"]) for c in self.criteria]

    def scores(self) -> dict[int, tuple[int, str]]:
        return {c.id: (int(s.data), n.data or "") for c, s, n in self.score_fields()}


def review_form(criteria: list[Criterion], **kwargs: Any) -> ReviewFormBase:
    """A score sheet with a 1–5 choice and a comment per active criterion."""

    class ReviewForm(ReviewFormBase):
        pass

    for criterion in criteria:
        setattr(
            ReviewForm,
            f"score_{criterion.id}",
            RadioField(
                criterion.name,
                choices=SCORE_CHOICES,
                validate_choice=False,
                validators=[_score_in_range],
            ),
        )
        setattr(
            ReviewForm,
            f"comment_{criterion.id}",
            TextAreaField(
                _l("Comment on “%(criterion)s”", criterion=criterion.name),
                filters=[strip],
                validators=[_at_most(services.COMMENT_MAX)],
                render_kw={"rows": 2},
            ),
        )
    form = ReviewForm(**kwargs)
    form.criteria = criteria
    return form


DECISION_LABELS = {
    Status.CHANGES_REQUESTED: _l("Request changes"),
    Status.ACCEPTED: _l("Accept for Springbrett"),
    Status.DECLINED: _l("Decline"),
    Status.PITCHED: _l("Mark as pitched"),
    Status.IN_DIALOGUE: _l("Mark as in dialogue with investors"),
    Status.FUNDED: _l("Mark as funded"),
    Status.CLOSED: _l("Close"),
}


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        validators=[DataRequired(message=_l("Choose a decision."))],
        validate_choice=False,
    )
    reason = TextAreaField(
        _l("Reason for the founder"),
        filters=[strip],
        description=_l(
            "The founder receives this by e-mail. Required when you request changes or decline."
        ),
        validators=[_at_most(5000)],
        render_kw={"rows": 4},
    )
    share_comments = BooleanField(
        _l("Share the reviewers' comments with the founder (anonymously) when declining")
    )

    def set_choices(self, moves: list[Status]) -> None:
        self.decision.choices = [SelectChoice(s.value, DECISION_LABELS[s]) for s in moves]
        self.allowed = {s.value for s in moves}

    def validate_decision(self, field: Any) -> None:
        if field.data not in getattr(self, "allowed", set()):
            raise ValidationError(str(_l("Choose one of the decisions shown.")))

    def validate_reason(self, field: Any) -> None:
        needs = {m.to.value for moves in TRANSITIONS.values() for m in moves if m.needs_reason}
        if self.decision.data in needs and not field.data:
            raise ValidationError(
                str(_l("Give a reason: the founder receives it with the decision."))
            )


class WeightField(StringField):
    """A weight from 0.1 to 10; accepts a decimal comma (``1,5``)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.raw_text = valuelist[0] if valuelist else ""
        self.data = parse_decimal(str(self.raw_text).strip())

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        if self.data is None:
            return ""
        return f"{self.data:g}"

    def pre_validate(self, form: Any) -> None:
        if self.data is None or not services.MIN_WEIGHT <= self.data <= services.MAX_WEIGHT:
            raise ValidationError(str(_l("Give a weight from 0.1 to 10.")))


class CriterionForm(FlaskForm):
    name_nb = StringField(
        _l("Name in Norwegian"),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter a name.")), _at_most(120)],
        render_kw={"lang": "nb"},
    )
    name_en = StringField(
        _l("Name in English"),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter a name.")), _at_most(120)],
        render_kw={"lang": "en"},
    )
    weight = WeightField(
        _l("Weight"),
        description=_l(
            "From 0.1 to 10. A criterion with weight 2 counts twice as much as one with 1."
        ),
    )


class SettingsForm(FlaskForm):
    show_scores_before_own = BooleanField(
        _l("Show other reviewers' scores before a reviewer has scored")
    )
