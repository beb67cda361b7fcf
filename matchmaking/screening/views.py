"""Screening for organisers: the board, a proposal's score sheet and decision,
the rubric and its setting. Thin: parse the form, call a service, commit once."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaking.accounts.access import organiser_required
from matchmaking.extensions import db
from matchmaking.formtools import ConfirmActionForm
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.matches.stats import organiser_view
from matchmaking.money import format_kroner
from matchmaking.proposals.models import Company, Instrument, Proposal, Status
from matchmaking.proposals.services import status_label
from matchmaking.reference.models import Municipality, Sector, Stage, Subproject
from matchmaking.screening import services
from matchmaking.screening.board import (
    BOARD_STATUSES,
    REVIEWS_COMPLETE,
    REVIEWS_MISSING,
    SORTS,
    TAB_ALL,
    TAB_SCREENING,
    BoardFilters,
)
from matchmaking.screening.board import board as screening_board
from matchmaking.screening.forms import (
    BoardFilterForm,
    CriterionForm,
    DecisionForm,
    ReviewFormBase,
    SettingsForm,
    review_form,
)
from matchmaking.screening.models import Criterion
from matchmaking.screening.services import ScreeningError

bp = Blueprint("screening", __name__, url_prefix="/screening")

INSTRUMENT_LABELS = {
    Instrument.EQUITY: _l("Equity"),
    Instrument.CONVERTIBLE: _l("Convertible loan"),
    Instrument.LOAN: _l("Loan"),
    Instrument.OTHER: _l("Other"),
}


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "kroner": format_kroner,
        "status_label": status_label,
        "instrument_label": lambda i: str(INSTRUMENT_LABELS[i]),
        "score": lambda x: "–" if x is None else format_decimal(x, format="0.00"),
    }


def _user() -> Any:
    return current_user._get_current_object()


def _proposal(proposal_id: int) -> Proposal:
    """A proposal organisers may screen: 404 for drafts and unknown ids."""
    proposal = db.session.scalar(
        select(Proposal)
        .where(Proposal.id == proposal_id)
        .options(
            selectinload(Proposal.company).selectinload(Company.team),
            selectinload(Proposal.events),
        )
    )
    if proposal is None or proposal.status is Status.DRAFT:
        abort(404)
    result: Proposal = proposal
    return result


def _choices(model: Any, label: str) -> list[tuple[str, str]]:
    rows = db.session.scalars(select(model).order_by(model.id)).all()
    return [("", label), *sorted(((r.slug, r.name) for r in rows), key=lambda c: c[1])]


# The board -------------------------------------------------------------------


@bp.route("/")
@organiser_required
def board() -> ResponseReturnValue:
    form = BoardFilterForm(request.args)
    form.municipality.choices = _choices(Municipality, _("All municipalities"))
    form.subproject.choices = _choices(Subproject, _("All sub-projects"))
    form.sector.choices = _choices(Sector, _("All sectors"))
    stages = db.session.scalars(select(Stage).order_by(Stage.position)).all()
    form.stage.choices = [("", _("All stages"))] + [(s.slug, s.name) for s in stages]
    enough = services.min_reviews()
    form.reviews.choices = [
        ("", _("Any number of reviews")),
        (REVIEWS_MISSING, _("Fewer than %(n)d reviews", n=enough)),
        (REVIEWS_COMPLETE, _("At least %(n)d reviews", n=enough)),
    ]
    form.validate()
    tab = form.tab.data or TAB_SCREENING
    tabs = [TAB_SCREENING, TAB_ALL] + [s.value for s in BOARD_STATUSES]
    if tab not in tabs:
        tab = TAB_SCREENING
    sort = form.sort.data if form.sort.data in SORTS else "submitted_desc"
    filters = BoardFilters(
        tab=tab,
        municipality=form.municipality.data or "",
        subproject=form.subproject.data or "",
        sector=form.sector.data or "",
        stage=form.stage.data or "",
        text="" if form.q.errors else (form.q.data or ""),
        sort=sort,
        reviews=form.reviews.data
        if form.reviews.data in (REVIEWS_MISSING, REVIEWS_COMPLETE)
        else "",
    )
    result = screening_board(filters, _user())
    query = {k: v for k, v in request.args.items() if k != "tab" and v}
    return render_template(
        "screening/board.html",
        form=form,
        board=result,
        tab=tab,
        tabs=tabs,
        query=query,
        tab_label=_tab_label,
    )


def _tab_label(tab: str) -> str:
    if tab == TAB_SCREENING:
        return str(_("To screen"))
    if tab == TAB_ALL:
        return str(_("All"))
    return status_label(Status(tab))


# One proposal ------------------------------------------------------------------


def _render_detail(
    proposal: Proposal,
    review_form_: ReviewFormBase | None = None,
    decision_form: DecisionForm | None = None,
) -> ResponseReturnValue:
    me = _user()
    criteria = services.active_criteria()
    own = services.review_of(proposal, me)
    conflict = own is not None and own.conflict_of_interest
    if review_form_ is None:
        review_form_ = review_form(criteria, formdata=None)
        if own is not None and not conflict:
            saved = {s.criterion_id: s for s in own.scores}
            review_form_.comment.data = own.comment
            for criterion, score_field, comment_field in review_form_.score_fields():
                if criterion.id in saved:
                    score_field.data = str(saved[criterion.id].value)
                    comment_field.data = saved[criterion.id].comment
    moves = services.decision_moves(proposal)
    if decision_form is None:
        decision_form = DecisionForm(formdata=None)
    decision_form.set_choices(moves)
    reviews = services.reviews_of(proposal)
    weights = {c.id: c.weight for c in criteria}
    deck_url = url_for("proposals.deck", proposal_id=proposal.id) if proposal.deck_file else None
    detail_url = url_for("proposals.detail", proposal_id=proposal.id)
    return render_template(
        "screening/detail.html",
        proposal=proposal,
        interest=organiser_view(proposal),
        criteria=criteria,
        all_criteria={c.id: c for c in services.all_criteria()},
        own=own,
        conflict=conflict,
        has_scored=services.has_scored(own),
        can_score=services.can_score(proposal) and not conflict and bool(criteria),
        see_others=services.can_see_others_scores(proposal, me),
        reveal_setting=services.show_scores_before_own(),
        reviews=[r for r in reviews if r.reviewer_id != me.id],
        totals={r.id: services.reviewer_total(r, weights) for r in reviews},
        aggregate=services.aggregate_of_reviews(reviews, weights),
        review_form=review_form_,
        decision_form=decision_form,
        can_decide=bool(moves) and not conflict,
        action_form=ConfirmActionForm(),
        deck_url=deck_url,
        detail_url=detail_url,
        feedback=services.shared_feedback(proposal),
    )


@bp.route("/<int:proposal_id>")
@organiser_required
def detail(proposal_id: int) -> ResponseReturnValue:
    return _render_detail(_proposal(proposal_id))


@bp.route("/<int:proposal_id>/review", methods=["POST"])
@organiser_required
def review(proposal_id: int) -> ResponseReturnValue:
    proposal = _proposal(proposal_id)
    form = review_form(services.active_criteria())
    if not form.validate_on_submit():
        flash(_("Your scores were not saved. Please correct the fields marked below."), "danger")
        return _render_detail(proposal, review_form_=form)
    try:
        services.save_review(proposal, _user(), form.scores(), form.comment.data or "")
    except ScreeningError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_detail(_proposal(proposal_id), review_form_=form)
    db.session.commit()
    flash(_("Your scores are saved."), "success")
    return redirect(url_for(".detail", proposal_id=proposal_id) + "#scores")


@bp.route("/<int:proposal_id>/conflict", methods=["POST"])
@organiser_required
def declare_conflict(proposal_id: int) -> ResponseReturnValue:
    proposal = _proposal(proposal_id)
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    services.declare_conflict(proposal, _user())
    db.session.commit()
    flash(_("You have declared a conflict of interest. You are kept out of this proposal."), "info")
    return redirect(url_for(".detail", proposal_id=proposal_id))


@bp.route("/<int:proposal_id>/conflict/withdraw", methods=["POST"])
@organiser_required
def withdraw_conflict(proposal_id: int) -> ResponseReturnValue:
    proposal = _proposal(proposal_id)
    if not ConfirmActionForm().validate_on_submit():
        abort(400)
    services.withdraw_conflict(proposal, _user())
    db.session.commit()
    flash(_("Your conflict of interest is withdrawn. You can score this proposal."), "info")
    return redirect(url_for(".detail", proposal_id=proposal_id))


@bp.route("/<int:proposal_id>/decision", methods=["POST"])
@organiser_required
def decide(proposal_id: int) -> ResponseReturnValue:
    proposal = _proposal(proposal_id)
    form = DecisionForm()
    form.set_choices(services.decision_moves(proposal))
    if not form.validate_on_submit():
        return _render_detail(proposal, decision_form=form)
    to = Status(form.decision.data)
    try:
        services.decide(proposal, _user(), to, form.reason.data or "", form.share_comments.data)
    except ScreeningError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _render_detail(_proposal(proposal_id), decision_form=form)
    db.session.commit()
    flash(
        _("Decision saved: “%(status)s”. The founder has been told.", status=status_label(to)),
        "success",
    )
    return redirect(url_for(".detail", proposal_id=proposal_id))


# The rubric --------------------------------------------------------------------


def _criterion(criterion_id: int) -> Criterion:
    criterion = db.session.get(Criterion, criterion_id)
    if criterion is None:
        abort(404)
    return criterion


def _criterion_form(criterion: Criterion, formdata: Any = None) -> CriterionForm:
    kwargs: dict[str, Any] = {"prefix": f"c{criterion.id}"}
    if formdata is None:
        kwargs.update(formdata=None, obj=criterion)
    return CriterionForm(**kwargs)


def _render_rubric(
    bound: CriterionForm | None = None,
    bound_id: int | None = None,
    new_form: CriterionForm | None = None,
) -> ResponseReturnValue:
    criteria = services.all_criteria()
    forms = {
        c.id: bound if bound is not None and c.id == bound_id else _criterion_form(c)
        for c in criteria
    }
    settings_form = SettingsForm(formdata=None)
    settings_form.show_scores_before_own.data = services.show_scores_before_own()
    return render_template(
        "screening/rubric.html",
        criteria=criteria,
        forms=forms,
        in_use={c.id: services.criterion_in_use(c) for c in criteria},
        new_form=new_form or CriterionForm(prefix="new", formdata=None, data={"weight": 1.0}),
        settings_form=settings_form,
        action_form=ConfirmActionForm(),
    )


@bp.route("/rubric")
@organiser_required
def rubric() -> ResponseReturnValue:
    return _render_rubric()


@bp.route("/rubric/new", methods=["POST"])
@organiser_required
def add_criterion() -> ResponseReturnValue:
    form = CriterionForm(prefix="new")
    if form.validate_on_submit():
        try:
            criterion = services.add_criterion(
                form.name_nb.data, form.name_en.data, form.weight.data or 0.0
            )
        except ScreeningError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The criterion “%(name)s” is added.", name=criterion.name), "success")
            return redirect(url_for(".rubric"))
    return _render_rubric(new_form=form)


@bp.route("/rubric/<int:criterion_id>", methods=["POST"])
@organiser_required
def edit_criterion(criterion_id: int) -> ResponseReturnValue:
    criterion = _criterion(criterion_id)
    form = _criterion_form(criterion, formdata=request.form)
    if form.validate_on_submit():
        try:
            services.update_criterion(
                criterion, form.name_nb.data, form.name_en.data, form.weight.data or 0.0
            )
        except ScreeningError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The criterion “%(name)s” is saved.", name=criterion.name), "success")
            return redirect(url_for(".rubric"))
    return _render_rubric(bound=form, bound_id=criterion_id)


def _confirm() -> None:
    if not ConfirmActionForm().validate_on_submit():
        abort(400)


@bp.route("/rubric/<int:criterion_id>/retire", methods=["POST"])
@organiser_required
def retire_criterion(criterion_id: int) -> ResponseReturnValue:
    criterion = _criterion(criterion_id)
    _confirm()
    services.retire_criterion(criterion)
    db.session.commit()
    flash(
        _(
            "The criterion “%(name)s” is retired: it is no longer scored or counted.",
            name=criterion.name,
        ),
        "success",
    )
    return redirect(url_for(".rubric"))


@bp.route("/rubric/<int:criterion_id>/restore", methods=["POST"])
@organiser_required
def restore_criterion(criterion_id: int) -> ResponseReturnValue:
    criterion = _criterion(criterion_id)
    _confirm()
    services.restore_criterion(criterion)
    db.session.commit()
    flash(_("The criterion “%(name)s” is back in the rubric.", name=criterion.name), "success")
    return redirect(url_for(".rubric"))


@bp.route("/rubric/<int:criterion_id>/delete", methods=["POST"])
@organiser_required
def delete_criterion(criterion_id: int) -> ResponseReturnValue:
    criterion = _criterion(criterion_id)
    _confirm()
    name = criterion.name
    try:
        services.delete_criterion(criterion)
    except ScreeningError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for(".rubric"))
    db.session.commit()
    flash(_("The criterion “%(name)s” is deleted.", name=name), "success")
    return redirect(url_for(".rubric"))


@bp.route("/settings", methods=["POST"])
@organiser_required
def settings() -> ResponseReturnValue:
    form = SettingsForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_show_scores_before_own(form.show_scores_before_own.data)
    db.session.commit()
    if form.show_scores_before_own.data:
        flash(_("Reviewers now see the others' scores before they score."), "success")
    else:
        flash(_("Reviewers now see the others' scores only after they have scored."), "success")
    return redirect(url_for(".rubric"))
