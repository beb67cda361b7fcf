"""Forms for asking for an introduction and for answering one."""

from __future__ import annotations

from typing import Any

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from matchmaking.formtools import FlaskForm
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.introductions.services import MESSAGE_MAX


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class RequestForm(FlaskForm):
    message = TextAreaField(
        _l("Your message to the founder"),
        filters=[_strip],
        description=_l(
            "Say who you are and why you would like to meet. At most %(max)d characters."
            " Your e-mail address is shared only if the founder accepts.",
            max=MESSAGE_MAX,
        ),
        validators=[
            DataRequired(message=_l("Write a message to the founder.")),
            Length(max=MESSAGE_MAX, message=_l("At most %(max)d characters, please.")),
        ],
        render_kw={"rows": 6, "maxlength": MESSAGE_MAX},
    )


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        _l("Your answer to the investor (optional)"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=MESSAGE_MAX, message=_l("At most %(max)d characters, please.")),
        ],
        render_kw={"rows": 3, "maxlength": MESSAGE_MAX},
    )
