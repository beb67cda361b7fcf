"""Dates and times read the way people write them, in Oslo time, in both languages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from matchmaking import dates

WINTER = datetime(2027, 1, 8, 16, 0, tzinfo=UTC)  # 17.00 in Oslo (CET)
SUMMER = datetime(2027, 6, 4, 16, 30, tzinfo=UTC)  # 18.30 in Oslo (CEST)


def test_norwegian_reads_weekday_day_month_year_and_kl() -> None:
    assert dates.when(WINTER, "nb") == "fredag 8. januar 2027 kl. 17.00"
    assert dates.day(WINTER, "nb") == "fredag 8. januar 2027"
    assert dates.clock(SUMMER, "nb") == "18.30"
    assert dates.when_short(WINTER, "nb") == "8. jan. 2027 kl. 17.00"


def test_english_is_british_and_24_hour() -> None:
    assert dates.when(WINTER, "en") == "Friday 8 January 2027, 17:00"
    assert dates.day_short(date(2027, 1, 8), "en") == "8 Jan 2027"
    assert dates.clock(SUMMER, "en") == "18:30"


def test_oslo_time_follows_summer_time_and_the_date_line_at_midnight() -> None:
    late = datetime(2027, 1, 8, 23, 30, tzinfo=UTC)  # 00.30 on Saturday in Oslo
    assert dates.when(late, "nb") == "lørdag 9. januar 2027 kl. 00.30"


def test_nothing_shows_nothing_and_a_naive_time_is_refused() -> None:
    assert dates.when(None) == ""
    with pytest.raises(ValueError, match="naive"):
        dates.when(datetime(2027, 1, 8, 17, 0))


def test_templates_use_the_request_language(app) -> None:  # type: ignore[no-untyped-def]
    from flask import render_template_string

    with app.test_request_context("/?lang=en"):
        assert render_template_string("{{ t|when }}", t=WINTER) == "Friday 8 January 2027, 17:00"
    with app.test_request_context("/"):
        assert render_template_string("{{ t|when }}", t=WINTER) == "fredag 8. januar 2027 kl. 17.00"
