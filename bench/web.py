"""Web benchmark: stored match scores and ``/matches/`` at 2,000 x 10,000 (``make bench``).

Fills a fresh database with 2,000 approved investors with profiles and
10,000 submitted proposals (2,500 founders with one company and four
proposals each), in bulk, with values from the reference data and texts
from the generator of ``bench/engine_rank.py`` (fixed seed). Then, in the
same run:

- the time of :func:`recompute_all` (rank everything, store the best 200 of
  each investor: 400,000 rows), of a second one that finds nothing to change,
  and of :func:`recompute_for_proposal` and :func:`recompute_for_investor`
  (each ranks everything on the same corpus, then writes its rows);
- the server time of ``/matches/`` for a logged-in approved investor (the
  one with the most stored rows): median and p95 over 200 requests through
  the Flask test client, also with a search word and with a filter, each as
  a ratio against the baseline ``/healthz`` (one ``SELECT 1``) measured in
  the same run, as DEVELOPERS.md asks.

It runs on SQLite (a file in a temporary directory) and, when
``BENCH_DATABASE_URL`` or ``TEST_DATABASE_URL`` names a PostgreSQL server,
on PostgreSQL too, in a database it drops and creates
(``BENCH_DATABASE_URL``'s database, else ``matchmaking_bench``).
Aim: p95 of ``/matches/`` under 100 ms on both.
"""

from __future__ import annotations

import datetime
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for path in (str(ROOT), str(HERE)):
    if path not in sys.path:
        sys.path.insert(0, path)

from engine_rank import SECTOR_WORDS, _money, _text  # noqa: E402
from machine import cores, cpu_model, load  # noqa: E402
from sqlalchemy import create_engine, event, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

SEED = 20_151_126
N_INVESTORS = 2000
N_FOUNDERS = 2500
PER_FOUNDER = 4  # 10,000 proposals
REQUESTS = 200
WARM_UP = 10
AIM_P95_MS = 100.0
CHUNK = 5000
COLUMNS = ("database", "case", "size", "time", "vs baseline", "aim")

# The generator's sectors, as the reference data spells them.
SECTOR_SLUG = {"tech": "technology", "agriculture": "food"}
MATCHABLE_SPREAD = ("submitted", "in_screening", "resubmitted", "accepted", "pitched")


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _bulk(table: Any, rows: list[dict[str, Any]]) -> None:
    from matchmaking.extensions import db

    for chunk in _chunks(rows):
        db.session.execute(insert(table), chunk)


def fill(seed: int = SEED) -> None:
    """The investors, founders, companies, proposals and profiles, in bulk."""
    from matchmaking.accounts.models import User
    from matchmaking.demo.services import load_reference_data
    from matchmaking.extensions import db, utcnow
    from matchmaking.investors import models as inv
    from matchmaking.proposals.models import Company, Proposal
    from matchmaking.reference.models import Municipality, Region, Sector, Stage, Subproject

    rng = random.Random(seed)
    load_reference_data()
    db.session.flush()

    def ids(model: Any) -> dict[str, int]:
        return dict(db.session.execute(select(model.slug, model.id)).all())

    sectors, stages, munis = ids(Sector), ids(Stage), ids(Municipality)
    regions, subprojects = ids(Region), ids(Subproject)
    gen_sectors = sorted(SECTOR_WORDS)
    now = utcnow()
    probe = User(email="x", name="x", role="investor")
    probe.set_password("bench-password-not-secret")
    common = {
        "password_hash": probe.password_hash,
        "locale": "nb",
        "email_confirmed_at": now,
        "session_token": "bench",
        "created_at": now,
    }
    users = [
        {
            **common,
            "email": f"investor{k:05d}@bench.example.no",
            "name": f"Investor {k}",
            "role": "investor",
            "investor_status": "approved",
        }
        for k in range(N_INVESTORS)
    ] + [
        {
            **common,
            "email": f"founder{k:05d}@bench.example.no",
            "name": f"Gründer {k}",
            "role": "entrepreneur",
            "investor_status": None,
        }
        for k in range(N_FOUNDERS)
    ]
    _bulk(User.__table__, users)
    by_email = dict(db.session.execute(select(User.email, User.id)).all())

    companies = [
        {
            "owner_id": by_email[f"founder{k:05d}@bench.example.no"],
            "name": f"Bedrift {k} AS",
            "org_number": None,
            "municipality_id": munis[rng.choice(sorted(munis))],
            "contact_name": f"Gründer {k}",
            "contact_email": f"founder{k:05d}@bench.example.no",
            "created_at": now,
        }
        for k in range(N_FOUNDERS)
    ]
    _bulk(Company.__table__, companies)
    company_ids = db.session.scalars(select(Company.id).order_by(Company.id)).all()

    proposals = []
    for n, company_id in enumerate(company_ids):
        for j in range(PER_FOUNDER):
            sector = rng.choice(gen_sectors)
            ask = _money(rng, 200_000, 50_000_000)
            body = _text(rng, [sector], rng.randint(60, 220))
            proposals.append(
                {
                    "company_id": company_id,
                    "title": f"{body.split()[0]} {n}-{j}",
                    "teaser": body[:280],
                    "description": body,
                    "sector_id": sectors[SECTOR_SLUG.get(sector, sector)],
                    "stage_id": stages[rng.choice(sorted(stages))],
                    "subproject_id": rng.choice([*subprojects.values(), None]),
                    "ask": ask,
                    "min_ticket": min(ask, _money(rng, 10_000, 2_000_000)),
                    "instrument": "equity",
                    "use_of_funds": "Produksjon og salg.",
                    "status": rng.choice(MATCHABLE_SPREAD),
                    "created_at": now,
                    "updated_at": now,
                    "submitted_at": now,
                }
            )
    _bulk(Proposal.__table__, proposals)

    investor_ids = [by_email[f"investor{k:05d}@bench.example.no"] for k in range(N_INVESTORS)]
    profiles = []
    for k, user_id in enumerate(investor_ids):
        low = _money(rng, 25_000, 2_000_000)
        profiles.append(
            {
                "user_id": user_id,
                "display_name": f"Investor {k}",
                "ticket_min": low,
                "ticket_max": max(low, _money(rng, 100_000, 10_000_000)),
                "thesis": _text(rng, rng.sample(gen_sectors, 2), rng.randint(20, 80)),
                "co_invest": False,
                "digest_frequency": "weekly",
                "created_at": now,
                "updated_at": now,
            }
        )
    _bulk(inv.InvestorProfile.__table__, profiles)
    profile_ids = db.session.scalars(
        select(inv.InvestorProfile.id).order_by(inv.InvestorProfile.id)
    ).all()
    links: dict[str, tuple[Any, dict[str, int], list[int]]] = {
        "sector": (inv.investor_sector, sectors, [0, 1, 2, 2, 3]),
        "stage": (inv.investor_stage, stages, [0, 1, 2, 2, 3]),
        "municipality": (inv.investor_municipality, munis, [0, 1, 1, 2]),
        "region": (inv.investor_region, regions, [0, 0, 1]),
        "subproject": (inv.investor_subproject, subprojects, [0, 0, 1, 2]),
    }
    for name, (table, choices, counts) in links.items():
        rows = [
            {"profile_id": pid, f"{name}_id": choices[slug]}
            for pid in profile_ids
            for slug in rng.sample(sorted(choices), min(len(choices), rng.choice(counts)))
        ]
        _bulk(table, rows)
    db.session.commit()


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def _requests(client: Any, path: str) -> list[float]:
    """Seconds per request (after a warm-up); every answer must be 200."""
    for _ in range(WARM_UP):
        assert client.get(path).status_code == 200, path
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, path
    return times


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def measure(label: str, url: str) -> list[dict[str, str]]:
    """Fill the database at ``url``, recompute, and time the pages."""
    from flask_migrate import upgrade

    from matchmaking import create_app
    from matchmaking.accounts.models import User
    from matchmaking.extensions import db
    from matchmaking.matches import services
    from matchmaking.matches.models import MatchScore
    from matchmaking.proposals.models import Proposal

    decks = tempfile.TemporaryDirectory(prefix="mm-bench-decks-")
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "DECK_DIR": decks.name})
    rows: list[dict[str, str]] = []
    size = f"{N_INVESTORS:,} investors x {N_FOUNDERS * PER_FOUNDER:,} proposals"

    def row(case: str, seconds: str, ratio: str = "", aim: str = "", what: str = size) -> None:
        rows.append(
            {
                "database": label,
                "case": case,
                "size": what,
                "time": seconds,
                "vs baseline": ratio,
                "aim": aim,
            }
        )
        print(f"  {case}: {seconds} {ratio} {aim}".rstrip(), flush=True)

    with app.app_context():
        upgrade()
        spent, _ = _timed(fill)
        row("fill the database (bulk inserts)", f"{spent:.1f} s")
        spent, done = _timed(services.recompute_all)
        db.session.commit()
        row(
            "recompute_all, empty table",
            f"{spent:.2f} s",
            what=f"{done.stored:,} pairs stored (best {services.TOP_N} each)",
        )
        if db.engine.dialect.name == "postgresql":
            # What autovacuum's autoanalyze does soon after a bulk load in
            # production; without it the planner guesses the table sizes.
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        spent, again = _timed(services.recompute_all)
        db.session.commit()
        row(
            "recompute_all again (nothing to change)",
            f"{spent:.2f} s",
            what=f"{again.inserted + again.updated + again.deleted} rows written",
        )
        proposal = db.session.scalars(select(Proposal).order_by(Proposal.id).limit(1)).one()
        spent, one = _timed(lambda: services.recompute_for_proposal(proposal))
        db.session.commit()
        row("recompute_for_proposal", f"{spent:.2f} s", what=f"{one.stored:,} rows in its scope")
        count = func.count().label("n")
        busiest = db.session.execute(
            select(MatchScore.investor_id, count)
            .group_by(MatchScore.investor_id)
            .order_by(count.desc(), MatchScore.investor_id)
            .limit(1)
        ).one()
        investor = db.session.get(User, busiest[0])
        assert investor is not None
        spent, _ = _timed(lambda: services.recompute_for_investor(investor))
        db.session.commit()
        row("recompute_for_investor", f"{spent:.2f} s", what=f"{busiest[1]} rows in its scope")
        word = proposal.description.split()[3].strip(".").lower()
        user_cookie = investor.get_id()
        sector = proposal.sector.slug

    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_cookie
        session["_fresh"] = True
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def count_statement(*_args: Any) -> None:
        statements.append("")

    event.listen(engine, "before_cursor_execute", count_statement)
    client.get("/matches/")
    event.remove(engine, "before_cursor_execute", count_statement)
    per_request = len(statements)
    baseline = _requests(client, "/healthz")
    base = statistics.median(baseline)
    row("baseline: /healthz (SELECT 1)", f"median {_ms(base)}, p95 {_ms(_p95(baseline))}", "1x")
    for case, path in (
        ("/matches/ (first page)", "/matches/"),
        ("/matches/ page 5", "/matches/?page=5"),
        (f"/matches/ searching {word!r}", f"/matches/?q={word}"),
        (f"/matches/ filtered to sector {sector}", f"/matches/?sector={sector}"),
    ):
        times = _requests(client, path)
        median, p95 = statistics.median(times), _p95(times)
        met = "met" if p95 * 1000 < AIM_P95_MS else "NOT met"
        row(
            case,
            f"median {_ms(median)}, p95 {_ms(p95)}",
            f"{median / base:.0f}x (p95 {p95 / base:.0f}x)",
            f"p95 < {AIM_P95_MS:.0f} ms: {met}",
            what=f"{REQUESTS} requests, investor with {busiest[1]} stored matches "
            f"({per_request} SQL statements on the first page)",
        )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    decks.cleanup()
    return rows


@contextmanager
def postgresql_database(server_url: str, name: str) -> Iterator[str]:
    """A fresh database ``name`` on the server of ``server_url``, dropped afterwards."""
    url = make_url(server_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def table(rows: list[dict[str, str]]) -> str:
    """A Markdown table of the rows, so it can be pasted into docs/benchmarks.md."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        lines.append("| " + " | ".join(row.get(c, "").replace("|", "/") for c in COLUMNS) + " |")
    return "\n".join(lines)


def run() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="mm-bench-web-") as tmp:
        print("SQLite:", flush=True)
        rows += measure("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
    server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if server:
        name = (
            make_url(os.environ["BENCH_DATABASE_URL"]).database
            if os.environ.get("BENCH_DATABASE_URL")
            else None
        ) or "matchmaking_bench"
        print(f"PostgreSQL (database {name}):", flush=True)
        with postgresql_database(server, name) as url:
            rows += measure("PostgreSQL", url)
    else:
        print("PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)")
    return rows


def main() -> int:
    print(f"date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"CPU: {cpu_model()}; cores: {cores()}; load average at start: {load()}")
    print(f"Python {platform.python_version()} on {platform.system()} {platform.release()}")
    print()
    rows = run()
    print()
    print(table(rows))
    print()
    print(f"load average at the end: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
