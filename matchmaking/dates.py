"""Dates and times as people read them: one helper for pages, e-mails and exports.

Norwegian: "fredag 8. januar 2027 kl. 17.00"; English (en-GB, 24-hour):
"Friday 8 January 2027, 17:00". Times are shown in Europe/Oslo, whatever
the server's zone; the database holds UTC. Never a zone name, never a
12-hour clock, never "12/4/26".

In templates: ``{{ dt|when }}``, ``{{ dt|when_short }}``, ``{{ dt|day }}``,
``{{ dt|day_short }}``, ``{{ dt|clock }}``. The language is the request's (or
the one :func:`flask_babel.force_locale` sets for an e-mail).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime

OSLO = ZoneInfo("Europe/Oslo")

# CLDR patterns, one per language and length. Quoted text is literal.
_PATTERNS: dict[str, dict[str, str]] = {
    "nb": {
        "when": "EEEE d. MMMM y 'kl.' HH.mm",
        "when_short": "d. MMM y 'kl.' HH.mm",
        "day": "EEEE d. MMMM y",
        "day_short": "d. MMM y",
        "clock": "HH.mm",
    },
    "en": {
        "when": "EEEE d MMMM y, HH:mm",
        "when_short": "d MMM y, HH:mm",
        "day": "EEEE d MMMM y",
        "day_short": "d MMM y",
        "clock": "HH:mm",
    },
}
#: What Babel calls the languages (en-GB: "Sept" is not used, weekdays as in Britain).
_BABEL_LOCALE = {"nb": "nb_NO", "en": "en_GB"}


def _language(language: str | None) -> str:
    if language is None:
        try:
            from flask_babel import get_locale

            current = get_locale()
        except (RuntimeError, KeyError):  # outside an app or request: the default
            current = None
        language = current.language if current is not None else "nb"
    return language if language in _PATTERNS else "nb"


def in_oslo(moment: datetime) -> datetime:
    """``moment`` (aware, any zone) as Oslo's wall clock shows it."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no place in time; store UTC")
    return moment.astimezone(OSLO)


def _format(value: datetime | date | None, kind: str, language: str | None) -> str:
    if value is None:
        return ""
    lang = _language(language)
    pattern = _PATTERNS[lang][kind]
    locale = _BABEL_LOCALE[lang]
    if isinstance(value, datetime):
        return str(_babel_datetime(in_oslo(value), pattern, tzinfo=OSLO, locale=locale))
    if kind in ("when", "when_short", "clock"):
        raise ValueError(f"{kind} needs a time of day, not a date")
    return str(_babel_date(value, pattern, locale=locale))


def oslo_today(now: datetime | None = None) -> date:
    """The date on Oslo's calendar at ``now`` (aware; default: now)."""
    return in_oslo(now if now is not None else datetime.now(OSLO)).date()


def when(value: datetime | None, language: str | None = None) -> str:
    """'fredag 8. januar 2027 kl. 17.00' / 'Friday 8 January 2027, 17:00'."""
    return _format(value, "when", language)


def when_short(value: datetime | None, language: str | None = None) -> str:
    """'8. jan. 2027 kl. 17.00' / '8 Jan 2027, 17:00': for tables and lists."""
    return _format(value, "when_short", language)


def day(value: datetime | date | None, language: str | None = None) -> str:
    """'fredag 8. januar 2027' / 'Friday 8 January 2027'."""
    return _format(value, "day", language)


def day_short(value: datetime | date | None, language: str | None = None) -> str:
    """'8. jan. 2027' / '8 Jan 2027'."""
    return _format(value, "day_short", language)


def clock(value: datetime | None, language: str | None = None) -> str:
    """'17.00' / '17:00' (Oslo time)."""
    return _format(value, "clock", language)


FILTERS = {
    "when": when,
    "when_short": when_short,
    "day": day,
    "day_short": day_short,
    "clock": clock,
}
