"""Digest e-mails: the rules as pure functions, the sending, and the command."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from matchmaking.investors.models import DigestFrequency, InvestorProfile
from matchmaking.matches import digests
from matchmaking.matches.digests import Candidate, is_due, parse_now, select_matches
from matchmaking.matches.models import MatchChoice, MatchScore
from tests.conftest import links_in, reload

NOW = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
D, W, N = DigestFrequency.DAILY, DigestFrequency.WEEKLY, DigestFrequency.NEVER


# Pure rules (no app) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "since", "due"),
    [
        (D, None, True),
        (W, None, True),
        (N, None, False),
        (N, timedelta(days=365), False),
        (D, timedelta(hours=22, minutes=59), False),
        (D, timedelta(hours=23), True),
        (D, timedelta(days=3), True),
        (W, timedelta(days=6, hours=22, minutes=59), False),
        (W, timedelta(days=6, hours=23), True),
        (W, timedelta(days=1), False),
        (D, timedelta(0), False),  # just sent
        (D, -timedelta(hours=30), False),  # a --now before the last digest
    ],
)
def test_is_due(frequency: DigestFrequency, since: timedelta | None, due: bool) -> None:
    last = None if since is None else NOW - since
    assert is_due(frequency, last, NOW) is due


def _c(pid: int, score: float, hours_ago: float) -> Candidate:
    return Candidate(pid, score, NOW - timedelta(hours=hours_ago))


def test_first_digest_takes_the_best_ten_of_all_current_matches() -> None:
    candidates = [_c(i, i / 100, 24 * 30) for i in range(1, 16)]
    chosen = select_matches(candidates, None, NOW)
    assert [c.proposal_id for c in chosen] == list(range(15, 5, -1))


def test_later_digests_take_only_what_is_new_since_the_last() -> None:
    last = NOW - timedelta(days=1)
    candidates = [_c(1, 0.9, 48), _c(2, 0.5, 12), _c(3, 0.7, 1), _c(4, 0.8, 24)]
    chosen = select_matches(candidates, last, NOW)
    assert [c.proposal_id for c in chosen] == [3, 2]  # 4 was seen exactly at the last digest


def test_matches_after_now_wait_for_a_later_run() -> None:
    assert select_matches([_c(1, 0.9, -1)], None, NOW) == []


def test_ties_are_broken_by_id_so_the_choice_is_stable() -> None:
    chosen = select_matches([_c(3, 0.5, 2), _c(1, 0.5, 2), _c(2, 0.5, 2)], None, NOW, cap=2)
    assert [c.proposal_id for c in chosen] == [1, 2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-26T07:00:00+00:00", NOW),
        ("2026-11-26T08:00:00+01:00", NOW),
        ("2026-11-26T07:00", NOW),
        ("2026-11-26 07:00Z", NOW),
    ],
)
def test_parse_now(text: str, expected: datetime) -> None:
    assert parse_now(text) == expected


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-01", "26.11.2026"])
def test_parse_now_refuses_what_is_not_a_date(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - fromisoformat's own error
        parse_now(text)


# Sending (database) ----------------------------------------------------------------


@pytest.fixture
def request_context(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The service at https://match.banofoten.no; digests go out from a command,
    outside any request, so only an app context."""
    monkeypatch.setitem(app.config, "BASE_URL", "https://match.banofoten.no")
    with app.app_context():
        yield


def _investor(
    make_user: Any,
    db: Any,
    *,
    frequency: str = "daily",
    locale: str = "nb",
    last: datetime | None = None,
    approved: bool = True,
) -> Any:
    user = make_user("investor", approved=approved, locale=locale)
    profile = InvestorProfile(
        user_id=user.id,
        display_name=user.name,
        ticket_min=100_000,
        ticket_max=5_000_000,
        digest_frequency=DigestFrequency(frequency),
        last_digest_at=last,
    )
    db.session.add(profile)
    db.session.commit()
    return user


def _match(db: Any, user: Any, proposal: Any, score: float, seen: datetime) -> None:
    db.session.add(
        MatchScore(
            investor_id=user.id,
            proposal_id=proposal.id,
            score=score,
            reasons=json.dumps({"sector": score}),
            computed_at=seen,
            first_seen_at=seen,
        )
    )
    db.session.commit()


def _profile(db: Any, user: Any) -> InvestorProfile:
    from sqlalchemy import select

    db.session.expire_all()
    profile: InvestorProfile = db.session.scalar(
        select(InvestorProfile).where(InvestorProfile.user_id == user.id)
    )
    return profile


def test_a_digest_lists_new_matches_in_the_investors_language(
    make_user: Any, make_proposal: Any, db: Any, outbox: list[Any], request_context: None
) -> None:
    english = _investor(make_user, db, locale="en")
    norsk = _investor(make_user, db, locale="nb")
    kelp = make_proposal(title="Tare fra Efjorden")
    hotel = make_proposal(title="Fjellhotell i Tysfjord", sector="tourism")
    for user in (english, norsk):
        _match(db, user, kelp, 0.81, NOW - timedelta(days=2))
        _match(db, user, hotel, 0.42, NOW - timedelta(days=1))
    run = digests.send_due_digests(NOW)
    assert (run.sent, run.nothing_new, list(run.failed)) == (2, 0, [])
    by_to = {m.recipients[0]: m for m in outbox}
    en, nb = by_to[english.email], by_to[norsk.email]
    assert en.subject == "New matches for you in BAN Ofoten"
    assert en.body.index("Tare fra Efjorden") < en.body.index("Fjellhotell i Tysfjord")
    assert "81%" in en.body
    assert "Marine and aquaculture" in en.body
    assert "2\u00a0000\u00a0000\u00a0kr" in en.body
    assert "Tare fra Efjorden" in en.html
    assert "https://match.banofoten.no/matches/" in links_in(en)
    assert f"https://match.banofoten.no/proposals/{kelp.id}" in links_in(en)
    assert "Havbruk og marin næring" in nb.body
    assert _profile(db, english).last_digest_at == NOW


def test_running_twice_sends_nothing_twice(
    make_user: Any, make_proposal: Any, db: Any, outbox: list[Any], request_context: None
) -> None:
    user = _investor(make_user, db)
    _match(db, user, make_proposal(), 0.6, NOW - timedelta(hours=5))
    assert digests.send_due_digests(NOW).sent == 1
    assert digests.send_due_digests(NOW).sent == 0
    assert digests.send_due_digests(NOW + timedelta(hours=1)).sent == 0
    # A day later, nothing new: still nothing.
    assert digests.send_due_digests(NOW + timedelta(days=1)).nothing_new == 1
    assert len(outbox) == 1


def test_the_next_digest_holds_only_what_is_new(
    make_user: Any, make_proposal: Any, db: Any, outbox: list[Any], request_context: None
) -> None:
    user = _investor(make_user, db, last=NOW - timedelta(days=2))
    _match(db, user, make_proposal(title="Gammel match"), 0.9, NOW - timedelta(days=3))
    _match(db, user, make_proposal(title="Ny match"), 0.3, NOW - timedelta(hours=3))
    digests.send_due_digests(NOW)
    [message] = outbox
    assert "Ny match" in message.body
    assert "Gammel match" not in message.body


def test_a_match_that_leaves_and_comes_back_is_not_told_again(
    make_user: Any, make_proposal: Any, db: Any, outbox: list[Any], request_context: None
) -> None:
    """A recompute can push a proposal out of the stored best matches and a
    later one bring it back with a new ``first_seen_at``: still not news."""
    from sqlalchemy import delete

    user = _investor(make_user, db)
    kelp = make_proposal(title="Tare fra Efjorden")
    _match(db, user, kelp, 0.6, NOW - timedelta(hours=5))
    assert digests.send_due_digests(NOW).sent == 1
    db.session.execute(delete(MatchScore).where(MatchScore.proposal_id == kelp.id))
    db.session.commit()
    _match(db, user, kelp, 0.6, NOW + timedelta(hours=30))
    _match(db, user, make_proposal(title="Fjellhotell"), 0.5, NOW + timedelta(hours=30))
    assert digests.send_due_digests(NOW + timedelta(days=2)).sent == 1
    assert len(outbox) == 2
    assert "Fjellhotell" in outbox[1].body
    assert "Tare fra Efjorden" not in outbox[1].body


def test_nothing_new_sends_nothing_and_keeps_the_last_digest_time(
    make_user: Any, make_proposal: Any, db: Any, outbox: list[Any], request_context: None
) -> None:
    last = NOW - timedelta(days=2)
    user = _investor(make_user, db, last=last)
    _match(db, user, make_proposal(), 0.9, NOW - timedelta(days=3))
    run = digests.send_due_digests(NOW)
    assert (run.sent, run.nothing_new) == (0, 1)
    assert outbox == []
    assert _profile(db, user).last_digest_at == last
    # A match that appears an hour later goes out at the next run.
    _match(db, user, make_proposal(title="Kom etterpå"), 0.5, NOW + timedelta(minutes=30))
    assert digests.send_due_digests(NOW + timedelta(hours=1)).sent == 1


def test_frequency_and_approval_decide_who_gets_one(
    make_user: Any, make_proposal: Any, db: Any, outbox: list[Any], request_context: None
) -> None:
    proposal = make_proposal()
    weekly_recent = _investor(make_user, db, frequency="weekly", last=NOW - timedelta(days=3))
    weekly_due = _investor(make_user, db, frequency="weekly", last=NOW - timedelta(days=7))
    never = _investor(make_user, db, frequency="never")
    pending = _investor(make_user, db, approved=False)
    for user in (weekly_recent, weekly_due, never, pending):
        _match(db, user, proposal, 0.5, NOW - timedelta(hours=2))
    digests.send_due_digests(NOW)
    assert [m.recipients[0] for m in outbox] == [weekly_due.email]


def test_turned_down_and_closed_proposals_are_left_out(
    make_user: Any, make_proposal: Any, db: Any, outbox: list[Any], request_context: None
) -> None:
    user = _investor(make_user, db)
    turned_down = make_proposal(title="Ikke for meg")
    withdrawn = make_proposal(title="Trukket tilbake", status="withdrawn")
    kept = make_proposal(title="Fortsatt aktuell")
    for proposal in (turned_down, withdrawn, kept):
        _match(db, user, proposal, 0.5, NOW - timedelta(hours=2))
    db.session.add(
        MatchChoice(investor_id=user.id, proposal_id=turned_down.id, not_interested=True)
    )
    db.session.commit()
    digests.send_due_digests(NOW)
    [message] = outbox
    assert "Fortsatt aktuell" in message.body
    assert "Ikke for meg" not in message.body
    assert "Trukket tilbake" not in message.body


def test_a_failing_mail_server_does_not_advance_the_digest(
    make_user: Any,
    make_proposal: Any,
    db: Any,
    request_context: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = _investor(make_user, db)
    _match(db, user, make_proposal(), 0.5, NOW - timedelta(hours=2))

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError

    monkeypatch.setattr(digests, "send_to", refuse)
    run = digests.send_due_digests(NOW)
    assert list(run.failed) == [user.email]
    assert reload(user) is not None
    assert _profile(db, user).last_digest_at is None


# The command --------------------------------------------------------------------------


def test_the_command_sends_the_due_digests(
    app: Flask, make_user: Any, make_proposal: Any, db: Any, outbox: list[Any]
) -> None:
    user = _investor(make_user, db)
    _match(db, user, make_proposal(), 0.5, NOW - timedelta(hours=2))
    runner = app.test_cli_runner()
    args = ["digests", "send", "--now", "2026-11-26T07:00:00+00:00"]
    result = runner.invoke(args=[*args, "--base-url", "https://match.banofoten.no"])
    assert result.exit_code == 0, result.output
    assert "Digests sent: 1" in result.output
    assert len(outbox) == 1
    assert "https://match.banofoten.no/matches/" in links_in(outbox[0])
    again = runner.invoke(args=[*args, "--base-url", "https://match.banofoten.no"])
    assert "Digests sent: 0" in again.output
    assert len(outbox) == 1


@pytest.mark.parametrize("now", ["yesterday", "2026-02-30T07:00", ""])
def test_the_command_refuses_a_bad_now(app: Flask, db: Any, now: str) -> None:
    result = app.test_cli_runner().invoke(
        args=["digests", "send", "--now", now, "--base-url", "https://x.no"]
    )
    assert result.exit_code == 2
    assert "error: --now must be a date and time" in result.output
    assert "Traceback" not in result.output


def test_the_command_links_to_base_url_without_being_told(
    app: Flask, make_user: Any, make_proposal: Any, db: Any, outbox: list[Any]
) -> None:
    # The links used to need SERVER_NAME or --base-url; BASE_URL is always set now.
    user = _investor(make_user, db)
    _match(db, user, make_proposal(), 0.5, NOW - timedelta(hours=2))
    result = app.test_cli_runner().invoke(
        args=["digests", "send", "--now", "2026-11-26T07:00:00+00:00"]
    )
    assert result.exit_code == 0, result.output
    assert "http://localhost/matches/" in links_in(outbox[0])


@pytest.mark.parametrize("base_url", ["match.banofoten.no", "ftp://x.no", "https://"])
def test_the_command_refuses_a_base_url_that_is_no_address(
    app: Flask, db: Any, base_url: str
) -> None:
    result = app.test_cli_runner().invoke(args=["digests", "send", "--base-url", base_url])
    assert result.exit_code == 2
    assert "error: --base-url must be an address like https://" in result.output
    assert "Traceback" not in result.output
    assert app.config["BASE_URL"] == "http://localhost"
