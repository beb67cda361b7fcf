"""The entrepreneur's pages: company profile, proposals, decks, the timeline.

Who sees what (``services.can_see_*``): a draft only its owner; another
founder's proposal is a 404 for an entrepreneur; the teaser any logged-in
investor or organiser; the confidential part and the deck the owner,
organisers and approved investors.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from matchmaking.accounts.access import roles_required
from matchmaking.accounts.models import Role, User
from matchmaking.db_utils import lock
from matchmaking.extensions import csrf, db
from matchmaking.numbers import positive_arg
from matchmaking.proposals import progress, services, storage
from matchmaking.proposals.forms import CommentForm, CompanyForm, DeckForm, ProposalForm, TeamForm
from matchmaking.proposals.lifecycle import HIDDEN_FROM_INVESTORS
from matchmaking.proposals.models import Company, Proposal, Status
from matchmaking.proposals.signals import founder_feedback
from matchmaking.reference.models import Municipality, Sector, Stage, Subproject
from matchmaking.reference.services import active_choices

bp = Blueprint("proposals", __name__, url_prefix="/proposals")

founder_required = roles_required(Role.ENTREPRENEUR)


@bp.app_template_global()
def proposal_steps(proposal: Proposal) -> list[progress.Step]:
    """The lifecycle bar of ``proposal`` (templates/proposals/_progress.html)."""
    return progress.steps(proposal)


def _user() -> User:
    user: User = current_user._get_current_object()
    return user


def _municipality_choices(current: int | None = None) -> list[tuple[str, str]]:
    """Active municipalities, labelled with their region ("Evenes (Ofoten)")."""
    regions = {str(m.id): m.region.name for m in db.session.scalars(select(Municipality))}
    return [
        (key, f"{name} ({regions[key]})")
        for key, name in active_choices(Municipality, include=current)
    ]


def _my_companies() -> list[Company]:
    """The founder's companies, by name (a serial founder may have several)."""
    query = select(Company).where(Company.owner_id == _user().id).order_by(Company.name, Company.id)
    return list(db.session.scalars(query))


def _company_to_edit(companies: list[Company]) -> Company | None:
    """``?company=<id>`` (one of the founder's, else 404); ``?new=1`` a new one;
    otherwise the only company, or None for a founder who has none yet."""
    wanted = request.args.get("company", type=positive_arg)
    if wanted is not None:
        for company in companies:
            if company.id == wanted:
                return company
        abort(404)
    if request.args.get("new") or not companies:
        return None
    return companies[0]


def _get_visible(proposal_id: int) -> Proposal:
    """The proposal if the user may see at least its teaser, else 404."""
    proposal = db.session.get(Proposal, proposal_id)
    user = _user()
    if proposal is None or not services.can_see_teaser(user, proposal):
        abort(404)
    if user.is_entrepreneur and not services.is_owner(user, proposal):
        abort(404)
    return proposal


def _get_own(proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not services.is_owner(_user(), proposal):
        abort(404)
    return proposal


@bp.route("/")
@login_required
def index() -> ResponseReturnValue:
    """Founders: their proposals. Organisers: the screening board. Investors: teasers."""
    user = _user()
    if user.is_organiser:
        return redirect(url_for("screening.board"))
    if user.is_investor:
        proposals = db.session.scalars(
            select(Proposal)
            .where(Proposal.status.not_in(HIDDEN_FROM_INVESTORS))
            .order_by(Proposal.submitted_at.desc())
        ).all()
        return render_template("proposals/teasers.html", proposals=proposals)
    companies = _my_companies()
    proposals = [p for c in companies for p in c.proposals]
    proposals.sort(key=lambda p: p.created_at, reverse=True)
    return render_template("proposals/mine.html", companies=companies, proposals=proposals)


@bp.route("/company", methods=["GET", "POST"])
@founder_required
def company() -> ResponseReturnValue:
    if request.method == "POST":
        # A double submit waits here for the first request, then edits the
        # company it made instead of making a second one.
        lock(_user())
    existing = _company_to_edit(_my_companies())
    form = CompanyForm(obj=existing)
    if existing is not None and request.method == "GET":
        form.municipality.data = existing.municipality_id
    if existing is None and request.method == "GET":
        form.contact_name.data = _user().name
        form.contact_email.data = _user().email
    form.municipality.choices = _municipality_choices(
        existing.municipality_id if existing else None
    )
    team_form = TeamForm(prefix="team")
    if request.method == "GET":
        members = existing.team if existing else []
        for _i in range(len(team_form.members.entries), len(members) + 2):
            team_form.members.append_entry()
        for entry, member in zip(team_form.members.entries, members, strict=False):
            entry.form.name.data = member.name
            entry.form.role.data = member.role
            entry.form.background.data = member.background
    if form.validate_on_submit() & team_form.validate_on_submit():
        try:
            saved = services.save_company(
                _user(),
                existing,
                name=form.name.data,
                org_number=form.org_number.data or None,
                municipality_id=form.municipality.data,
                website=form.website.data or None,
                contact_name=form.contact_name.data,
                contact_email=form.contact_email.data,
                contact_phone=form.contact_phone.data or None,
                team=[
                    (e.form.name.data, e.form.role.data or "", e.form.background.data or "")
                    for e in team_form.members.entries
                    if e.form.name.data
                ],
            )
        except services.ProposalError as exc:
            form.org_number.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The company profile is saved."), "success")
            if not saved.proposals:
                return redirect(url_for("proposals.new", company=saved.id))
            return redirect(url_for("proposals.index"))
    return render_template(
        "proposals/company.html", form=form, team_form=team_form, company=existing
    )


def _fill_choices(form: ProposalForm, proposal: Proposal | None) -> None:
    form.sector.choices = active_choices(Sector, include=proposal.sector_id if proposal else None)
    form.stage.choices = active_choices(Stage, include=proposal.stage_id if proposal else None)
    form.subproject.choices = [
        ("0", _("None")),
        *active_choices(Subproject, include=proposal.subproject_id if proposal else None),
    ]


def _proposal_values(form: ProposalForm) -> dict[str, Any]:
    return {
        "title": form.title.data,
        "teaser": form.teaser.data,
        "description": form.description.data or "",
        "sector_id": form.sector.data,
        "stage_id": form.stage.data,
        "subproject_id": form.subproject.data or None,
        "ask": form.ask.amount,
        "min_ticket": form.min_ticket.amount,
        "instrument": form.instrument.data,
        "pre_money": form.pre_money.amount,
        "use_of_funds": form.use_of_funds.data or "",
        "jobs_now": form.jobs_now.data,
        "jobs_in_3_years": form.jobs_in_3_years.data,
        "traction": form.traction.data or "",
    }


@bp.route("/new", methods=["GET", "POST"])
@founder_required
def new() -> ResponseReturnValue:
    companies = _my_companies()
    if not companies:
        flash(_("First tell us about your company."), "info")
        return redirect(url_for("proposals.company"))
    form = ProposalForm()
    _fill_choices(form, None)
    form.company.choices = [(str(c.id), c.name) for c in companies]
    if request.method == "GET":
        wanted = request.args.get("company", type=positive_arg)
        form.company.data = wanted if wanted in {c.id for c in companies} else companies[0].id
    elif len(companies) == 1 and not request.form.get("company"):
        form.company.data = companies[0].id  # one company: nothing to choose
    if form.validate_on_submit():
        company = next(c for c in companies if c.id == form.company.data)
        proposal = services.create_proposal(company, _user(), **_proposal_values(form))
        db.session.commit()
        flash(_("The draft is saved. Add a pitch deck, then submit it."), "success")
        return redirect(url_for("proposals.edit", proposal_id=proposal.id))
    return render_template("proposals/edit.html", form=form, proposal=None, deck_form=None)


@bp.route("/<int:proposal_id>")
@login_required
def detail(proposal_id: int) -> ResponseReturnValue:
    proposal = _get_visible(proposal_id)
    user = _user()
    confidential = services.can_see_confidential(user, proposal)
    owner = services.is_owner(user, proposal)
    feedback: list[str] = []
    if owner and proposal.status is Status.DECLINED and proposal.share_review_comments:
        # screening answers with the reviewers' anonymised comments.
        for _receiver, comments in founder_feedback.send(proposal):
            feedback.extend(comments)
    return render_template(
        "proposals/detail.html",
        proposal=proposal,
        confidential=confidential,
        owner=owner,
        moves=services.allowed_moves(proposal, Role.ENTREPRENEUR) if owner else [],
        missing=services.missing_for_submission(proposal) if owner else [],
        can_edit=services.can_edit(user, proposal),
        comment_form=CommentForm(),
        feedback=feedback,
        decision=services.latest_decision(proposal),
    )


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@founder_required
def edit(proposal_id: int) -> ResponseReturnValue:
    proposal = _get_own(proposal_id)
    if not services.can_edit(_user(), proposal):
        flash(_("This proposal cannot be changed now: it is with the organisers."), "warning")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    form = ProposalForm(obj=proposal)
    del form.company
    if request.method == "GET":
        form.sector.data = proposal.sector_id
        form.stage.data = proposal.stage_id
        form.subproject.data = proposal.subproject_id or 0
        form.instrument.data = proposal.instrument.value
    _fill_choices(form, proposal)
    if form.validate_on_submit():
        services.update_proposal(proposal, **_proposal_values(form))
        db.session.commit()
        flash(_("Your changes are saved."), "success")
        return redirect(url_for("proposals.edit", proposal_id=proposal.id))
    return render_template(
        "proposals/edit.html", form=form, proposal=proposal, deck_form=DeckForm()
    )


@bp.route("/<int:proposal_id>/deck", methods=["GET"])
@login_required
def deck(proposal_id: int) -> ResponseReturnValue:
    proposal = _get_visible(proposal_id)
    if not services.can_see_confidential(_user(), proposal):
        abort(403)
    path = storage.deck_path(proposal)
    if path is None:
        abort(404)
    response = send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=proposal.deck_name or "deck.pdf",
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:proposal_id>/deck", methods=["POST"])
@csrf.exempt  # checked below, once the size of the request is known
@founder_required
def upload_deck(proposal_id: int) -> ResponseReturnValue:
    proposal = _get_own(proposal_id)
    if not services.can_edit(_user(), proposal):
        abort(403)
    try:
        request.files  # noqa: B018 - reads the body; over MAX_CONTENT_LENGTH this raises 413
    except RequestEntityTooLarge:
        # Over the request cap (25 MB) the upload is never read, so neither is
        # its CSRF token (the app-wide check would read the body first and
        # show the bare 413 page): say so beside the field, on the edit page
        # with the saved proposal. Nothing is changed.
        deck_form = DeckForm(formdata=None)
        deck_form.deck.errors = [storage.too_large_message()]
        return _render_edit(proposal, deck_form, 413)
    if current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()  # the app-wide check, as every other form gets it
    deck_form = DeckForm()
    if deck_form.validate_on_submit():
        upload = deck_form.deck.data
        if upload is None or not getattr(upload, "filename", ""):
            deck_form.deck.errors.append(_("Choose a PDF file to upload."))
        else:
            try:
                storage.save_deck(proposal, upload.read(storage_limit(proposal)), upload.filename)
            except storage.DeckError as exc:
                deck_form.deck.errors.append(str(exc))
            else:
                db.session.commit()
                flash(_("The pitch deck is stored."), "success")
                return redirect(url_for("proposals.edit", proposal_id=proposal.id))
    return _render_edit(proposal, deck_form, 400)


def _render_edit(proposal: Proposal, deck_form: DeckForm, status: int) -> ResponseReturnValue:
    """The edit page with the saved proposal and the deck form's errors."""
    form = ProposalForm(obj=proposal, formdata=None)
    del form.company
    form.sector.data = proposal.sector_id
    form.stage.data = proposal.stage_id
    form.subproject.data = proposal.subproject_id or 0
    form.instrument.data = proposal.instrument.value
    _fill_choices(form, proposal)
    return render_template(
        "proposals/edit.html", form=form, proposal=proposal, deck_form=deck_form
    ), status


def storage_limit(_proposal: Proposal) -> int:
    """Read one byte past the cap, so an oversized file is recognised without reading it all."""
    return int(current_app.config["DECK_MAX_BYTES"]) + 1


@bp.route("/<int:proposal_id>/submit", methods=["POST"])
@founder_required
def submit(proposal_id: int) -> ResponseReturnValue:
    proposal = _get_own(proposal_id)
    target = Status.RESUBMITTED if proposal.status is Status.CHANGES_REQUESTED else Status.SUBMITTED
    return _move(proposal, target, _("Your proposal is submitted. The organisers will answer you."))


@bp.route("/<int:proposal_id>/withdraw", methods=["POST"])
@founder_required
def withdraw(proposal_id: int) -> ResponseReturnValue:
    proposal = _get_own(proposal_id)
    return _move(proposal, Status.WITHDRAWN, _("Your proposal is withdrawn."))


def _move(proposal: Proposal, to: Status, done: str) -> ResponseReturnValue:
    form = CommentForm()
    if not form.validate_on_submit():
        flash(
            " ".join(form.comment.errors) or _("The form could not be read. Try again."), "danger"
        )
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    try:
        services.transition(proposal, to, _user(), form.comment.data or "")
    except services.TransitionError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))
