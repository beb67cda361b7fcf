"""Forms for the reference data. Uniqueness is a rule in services, not a validator."""

from __future__ import annotations

from typing import Any

from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from matchmaking.formtools import FlaskForm, IdSelectField, strip
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.reference.services import SLUG_MAX, SLUG_RE


def _slug_field() -> StringField:
    return StringField(
        _l("Slug"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter a slug.")),
            Length(
                max=SLUG_MAX, message=_l("The slug can have at most %(max)d characters.", max=60)
            ),
            Regexp(
                SLUG_RE,
                message=_l("Use only lowercase letters a–z, digits and hyphens, like “sor-troms”."),
            ),
        ],
        description=_l(
            "A short name for links and data exchange: lowercase letters a–z, digits and hyphens. "
            "It cannot be changed later."
        ),
        render_kw={"autocomplete": "off", "spellcheck": "false", "maxlength": SLUG_MAX},
    )


def _name_field(label: Any, max_length: int) -> StringField:
    return StringField(
        label,
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter a name.")),
            Length(
                max=max_length,
                message=_l("The name can have at most %(max)d characters.", max=max_length),
            ),
        ],
        render_kw={"maxlength": max_length},
    )


def named_form(max_length: int, *, with_slug: bool) -> type[FlaskForm]:
    """A form for regions, sectors, stages and sub-projects (names in nb and en)."""

    class NamedForm(FlaskForm):
        pass

    if with_slug:
        NamedForm.slug = _slug_field()
    NamedForm.name_nb = _name_field(_l("Name in Norwegian"), max_length)
    NamedForm.name_en = _name_field(_l("Name in English"), max_length)
    return NamedForm


def municipality_form(*, with_slug: bool) -> type[FlaskForm]:
    """A form for a municipality: one name (the same in both languages) and its region."""

    class MunicipalityForm(FlaskForm):
        pass

    if with_slug:
        MunicipalityForm.slug = _slug_field()
    MunicipalityForm.name = _name_field(_l("Name"), 120)
    MunicipalityForm.region_id = IdSelectField(
        _l("Region"),
        validators=[DataRequired(message=_l("Choose a region."))],
        validate_choice=True,
        choose=_l("Choose a region."),
    )
    return MunicipalityForm


_NAME_LENGTHS = {"regions": 120, "sectors": 120, "stages": 120, "subprojects": 160}
_FORMS: dict[tuple[str, bool], type[FlaskForm]] = {}


def form_class(kind: str, *, new: bool) -> type[FlaskForm]:
    """The form for adding (with a slug) or renaming (without) a ``kind``."""
    key = (kind, new)
    if key not in _FORMS:
        if kind == "municipalities":
            _FORMS[key] = municipality_form(with_slug=new)
        else:
            _FORMS[key] = named_form(_NAME_LENGTHS[kind], with_slug=new)
    return _FORMS[key]
