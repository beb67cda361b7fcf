"""Organisers edit the reference data: list, add, rename, retire, un-retire, delete.

URLs: ``/reference/``, ``/reference/<kind>/``, ``/reference/<kind>/new``,
``/reference/<kind>/<id>/edit`` and POST ``/reference/<kind>/<id>/retire``,
``.../unretire`` and ``.../delete``; ``<kind>`` is one of regions,
municipalities, sectors, stages, subprojects.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from matchmaking.accounts.access import organiser_required
from matchmaking.extensions import db
from matchmaking.formtools import ConfirmActionForm
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.reference import services
from matchmaking.reference.forms import form_class
from matchmaking.reference.models import Municipality, Region
from matchmaking.reference.services import KINDS, ReferenceDataError

bp = Blueprint("reference", __name__, url_prefix="/reference")

KIND = "<any(" + ",".join(KINDS) + "):kind>"

LABELS: dict[str, dict[str, Any]] = {
    "regions": {
        "title": _l("Regions"),
        "new": _l("New region"),
        "edit": _l("Edit region"),
        "intro": _l("Regions group the municipalities, like Ofoten and Sør-Troms."),
    },
    "municipalities": {
        "title": _l("Municipalities"),
        "new": _l("New municipality"),
        "edit": _l("Edit municipality"),
        "intro": _l("Each company is in a municipality; each municipality is in a region."),
    },
    "sectors": {
        "title": _l("Sectors"),
        "new": _l("New sector"),
        "edit": _l("Edit sector"),
        "intro": _l("The sector of each proposal, and the sectors investors look for."),
    },
    "stages": {
        "title": _l("Stages"),
        "new": _l("New stage"),
        "edit": _l("Edit stage"),
        "intro": _l("How far a company has come, earliest first. A new stage goes last."),
    },
    "subprojects": {
        "title": _l("Sub-projects"),
        "new": _l("New sub-project"),
        "edit": _l("Edit sub-project"),
        "intro": _l("The sub-projects of the regional development programme."),
    },
}


def _get(kind: str, row_id: int) -> Any:
    row = db.session.get(KINDS[kind], row_id)
    if row is None:
        abort(404)
    return row


def _values(form: Any) -> dict[str, Any]:
    return {
        name: form[name].data
        for name in ("name", "region_id", "name_nb", "name_en")
        if name in form
    }


def _region_choices(form: Any, current: Region | None = None) -> None:
    if "region_id" in form:
        form.region_id.choices = services.active_choices(Region, include=current)


@bp.route("/")
@organiser_required
def index() -> ResponseReturnValue:
    kinds = [
        (kind, LABELS[kind], len(services.ordered(model, include_retired=False)))
        for kind, model in KINDS.items()
    ]
    return render_template("reference/index.html", kinds=kinds)


@bp.route(f"/{KIND}/")
@organiser_required
def list_rows(kind: str) -> ResponseReturnValue:
    rows = [(row, services.usage(row)) for row in services.ordered(KINDS[kind])]
    return render_template(
        "reference/list.html",
        kind=kind,
        labels=LABELS[kind],
        rows=rows,
    )


@bp.route(f"/{KIND}/new", methods=["GET", "POST"])
@organiser_required
def new(kind: str) -> ResponseReturnValue:
    form = form_class(kind, new=True)()
    _region_choices(form)
    if form.validate_on_submit():
        try:
            row = services.create(KINDS[kind], form.slug.data, **_values(form))
        except ReferenceDataError as error:
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash(_("“%(name)s” was added.", name=services.display_name(row)), "success")
            return redirect(url_for("reference.list_rows", kind=kind))
    return render_template(
        "reference/form.html", kind=kind, labels=LABELS[kind], form=form, row=None
    )


@bp.route(f"/{KIND}/<int:row_id>/edit", methods=["GET", "POST"])
@organiser_required
def edit(kind: str, row_id: int) -> ResponseReturnValue:
    row = _get(kind, row_id)
    form = form_class(kind, new=False)(obj=row)
    _region_choices(form, row.region if isinstance(row, Municipality) else None)
    if form.validate_on_submit():
        try:
            services.rename(row, **_values(form))
        except ReferenceDataError as error:
            db.session.rollback()
            _error_to_form(form, error)
        else:
            db.session.commit()
            flash(_("“%(name)s” was saved.", name=services.display_name(row)), "success")
            return redirect(url_for("reference.list_rows", kind=kind))
    return render_template(
        "reference/form.html",
        kind=kind,
        labels=LABELS[kind],
        form=form,
        row=row,
        usage=services.usage(row),
    )


def _error_to_form(form: Any, error: ReferenceDataError) -> None:
    if error.field and error.field in form:
        form[error.field].errors.append(error.message)
    else:
        form.form_errors.append(error.message)


def _confirmed() -> None:
    if not ConfirmActionForm().validate_on_submit():
        abort(400)


@bp.route(f"/{KIND}/<int:row_id>/retire", methods=["POST"])
@organiser_required
def retire(kind: str, row_id: int) -> ResponseReturnValue:
    _confirmed()
    row = _get(kind, row_id)
    services.retire(row)
    db.session.commit()
    flash(
        _(
            "“%(name)s” is retired: it is no longer offered for new data, and what uses it keeps it.",
            name=services.display_name(row),
        ),
        "success",
    )
    return redirect(url_for("reference.list_rows", kind=kind))


@bp.route(f"/{KIND}/<int:row_id>/unretire", methods=["POST"])
@organiser_required
def unretire(kind: str, row_id: int) -> ResponseReturnValue:
    _confirmed()
    row = _get(kind, row_id)
    services.unretire(row)
    db.session.commit()
    flash(_("“%(name)s” is offered again.", name=services.display_name(row)), "success")
    return redirect(url_for("reference.list_rows", kind=kind))


@bp.route(f"/{KIND}/<int:row_id>/delete", methods=["POST"])
@organiser_required
def delete(kind: str, row_id: int) -> ResponseReturnValue:
    _confirmed()
    row = _get(kind, row_id)
    name = services.display_name(row)
    try:
        services.delete(row)
    except ReferenceDataError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("reference.list_rows", kind=kind))
    db.session.commit()
    flash(_("“%(name)s” was deleted.", name=name), "success")
    return redirect(url_for("reference.list_rows", kind=kind))
