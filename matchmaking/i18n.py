"""Languages: Norwegian bokmål by default, English on request.

The choice is taken, in order, from ``?lang=``, the session (set by
``?lang=`` or the header switch), the logged-in user's profile, and last the
default (``nb``). The catalogues (``translations/*/LC_MESSAGES/messages.po``)
are compiled to ``.mo`` at install (``make``) and, if missing or stale, when
the app starts.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, has_request_context, request, session
from flask_babel import get_locale, gettext
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup, escape

from matchmaking.extensions import babel

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
log = logging.getLogger(__name__)


class LazyText(LazyString):  # type: ignore[misc]
    """A translation made when it is used, and plain text wherever it goes.

    Flask-Babel's lazy strings tell Jinja and WTForms they are markup already
    (``__html__`` returns them unescaped), so a name put into one (a criterion
    in a form label, a session's title in a subject) was rendered as HTML.
    This one is escaped like any other text: in a page, a form label or an
    HTML e-mail, ``<b>`` shows as ``<b>``.
    """

    def __html__(self) -> Markup:
        return escape(str(self))


def lazy_gettext(string: str, **variables: Any) -> LazyText:
    """``gettext`` made when used, always as text (see :class:`LazyText`).

    Import it as ``_l`` (the name ``pybabel extract`` looks for); ruff refuses
    Flask-Babel's own ``lazy_gettext``.
    """
    return LazyText(gettext, string, **variables)


def supported(app_languages: tuple[str, ...], value: str | None) -> str | None:
    """``value`` if it names a supported language, else None."""
    if value and value in app_languages:
        return value
    return None


def select_locale() -> str:
    from flask import current_app

    languages: tuple[str, ...] = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands: the default, unless force_locale says otherwise
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    chosen = supported(languages, request.args.get("lang"))
    if chosen:
        session["lang"] = chosen
        return chosen
    chosen = supported(languages, session.get("lang"))
    if chosen:
        return chosen
    if current_user.is_authenticated:
        chosen = supported(languages, current_user.locale)
        if chosen:
            return chosen
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def compile_catalogues(directory: Path = TRANSLATIONS_DIR) -> list[Path]:
    """Compile every ``.po`` whose ``.mo`` is missing or older; return those written."""
    written = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalogue = read_po(fh, locale=po_path.parent.parent.name)
        try:
            with mo_path.open("wb") as fh:
                write_mo(fh, catalogue)
        except OSError as exc:  # a read-only install: the catalogue was compiled at install
            log.warning("could not compile %s: %s", po_path, exc)
            continue
        written.append(mo_path)
    return written


def init_app(app: Flask) -> None:
    compile_catalogues()
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(TRANSLATIONS_DIR),
    )

    from matchmaking.dates import FILTERS as date_filters
    from matchmaking.money import format_kroner

    app.jinja_env.filters["kroner"] = format_kroner
    app.jinja_env.filters.update(date_filters)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["LANGUAGES"] = app.config["LANGUAGES"]
