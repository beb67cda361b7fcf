"""The landing page, the language switch and the health check."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import text

from matchmaking.accounts import services as account_services
from matchmaking.accounts.forms import LanguageForm
from matchmaking.extensions import db
from matchmaking.main.home import founder, investor, organiser
from matchmaking.security import safe_next

bp = Blueprint("main", __name__)
bp.app_context_processor(organiser.menu_context)


@bp.route("/")
def index() -> ResponseReturnValue:
    """The marketing page for visitors; a logged-in person's home (``main/home/``)."""
    if current_user.is_authenticated:
        if current_user.is_entrepreneur:
            return founder.page()
        if current_user.is_investor:
            return investor.page()
        if current_user.is_organiser:
            return organiser.page()
    return render_template("main/index.html")


@bp.route("/language", methods=["POST"])
def set_language() -> ResponseReturnValue:
    """The header switch: remembered in the session and, when logged in, the profile."""
    form = LanguageForm()
    back = safe_next(request.form.get("next")) or url_for("main.index")
    if form.validate_on_submit():
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            account_services.set_locale(current_user._get_current_object(), form.lang.data)
            db.session.commit()
    return redirect(back)


@bp.route("/healthz")
def healthz() -> ResponseReturnValue:
    """200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database is "unhealthy"
        current_app.logger.exception("health check: database did not answer")
        db.session.rollback()
        return jsonify(status="unavailable", database="down"), 503
    return jsonify(status="ok", database="up"), 200
