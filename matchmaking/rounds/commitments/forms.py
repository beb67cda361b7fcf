"""The investor's soft commitment: an amount, conditions, and two choices.

The amount's bounds (the smallest ticket, the target) are the round's rules,
checked by ``services.commit``; its message is put beside the field it names.
"""

from __future__ import annotations

from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length

from matchmaking.formtools import FlaskForm, KronerField, strip
from matchmaking.i18n import lazy_gettext as _l

#: Conditions are a few sentences, not a term sheet.
CONDITIONS_MAX = 2000


class CommitmentForm(FlaskForm):
    amount = KronerField(_l("Amount you would put in (kr)"))
    conditions = TextAreaField(
        _l("Conditions (optional)"),
        filters=[strip],
        description=_l(
            "For example a seat on the board, or that others join the round. At most 2,000 characters."
        ),
        validators=[
            Length(max=CONDITIONS_MAX, message=_l("At most %(max)d characters.")),
        ],
        render_kw={"rows": 4},
    )
    would_lead = BooleanField(
        _l("I would lead the round"),
        description=_l(
            "The lead investor negotiates the terms on behalf of the others. The organisers choose the lead among those who offer, with the founder's agreement."
        ),
    )
    named_to_founder = BooleanField(
        _l("Show my name to the founder"),
        default=False,
        description=_l(
            "If you tick this, the founder sees your name beside your amount. If not, the founder sees your amount only within the round's total and number of investors. The organisers always see who you are."
        ),
    )
