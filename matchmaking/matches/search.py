"""Full-text search over proposals' title, teaser and description.

The content is Norwegian whatever the reader's interface language, so:

- PostgreSQL matches ``websearch_to_tsquery('norwegian', q)`` against the
  ``norwegian`` vector of the three columns; the expression is the one the
  GIN index ``ix_proposal_fts`` is built on (migration ``16cf188fdff4``), so
  the planner can use it. The Norwegian stemmer makes ``fiskeoppdrett``
  find ``fiskeoppdrettet``; ``"a phrase"``, ``or`` and ``-word`` work as on
  the web.
- SQLite matches the external-content FTS5 table ``proposal_fts``, kept in
  sync by triggers. FTS5 has no Norwegian stemmer, so every word is a prefix
  (``tare`` finds ``tareforedling``); all words must occur. The words are
  quoted, so FTS5's own syntax in what people type cannot cause an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    bindparam,
    false,
    func,
    literal,
    literal_column,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import joinedload

from matchmaking.extensions import db
from matchmaking.investors.models import (
    InvestorProfile,
    investor_municipality,
    investor_region,
    investor_sector,
    investor_stage,
    investor_subproject,
)
from matchmaking.matches.explain import (
    ProfileFacts,
    ProposalFacts,
    Reason,
    explain,
    parse_reasons,
)
from matchmaking.matches.models import MatchChoice, MatchScore
from matchmaking.proposals.lifecycle import HIDDEN_FROM_INVESTORS
from matchmaking.proposals.models import Company, Proposal
from matchmaking.reference.models import Municipality, Region, Sector, Stage, Subproject

#: Database objects made by the migration, not described by the models.
FTS_OBJECTS: Final = frozenset(
    {
        "proposal_fts",
        "proposal_fts_data",
        "proposal_fts_idx",
        "proposal_fts_content",
        "proposal_fts_docsize",
        "proposal_fts_config",
        "ix_proposal_fts",
    }
)

#: The indexed document on PostgreSQL; identical to the index's expression.
PG_DOCUMENT: Final = (
    "to_tsvector('norwegian'::regconfig,"
    " proposal.title || ' ' || proposal.teaser || ' ' || proposal.description)"
)

QUERY_MAX: Final = 200
_WORD = re.compile(r"\w+", re.UNICODE)


def fts5_query(q: str) -> str:
    """What people type, as an FTS5 query: each word a quoted prefix, all required.

    ``"tare og fôr"`` → ``"tare"* "og"* "fôr"*``; an empty string when there
    are no words (punctuation only).
    """
    words = _WORD.findall(q.casefold())
    return " ".join(f'"{w}"*' for w in words)


def matching_proposal_ids_clause(q: str) -> ColumnElement[bool]:
    """A WHERE clause on ``proposal``: its title, teaser or description matches ``q``.

    Dialect-specific (see the module's docstring); a query with no words
    matches nothing.
    """
    q = q.replace("\x00", "").strip()[:QUERY_MAX]  # PostgreSQL refuses NUL in text
    if db.engine.dialect.name == "postgresql":
        if not _WORD.search(q):
            return false()
        query = func.websearch_to_tsquery(literal_column("'norwegian'::regconfig"), q)
        # Materialised, so the GIN index finds the hits once: left to itself the
        # planner tests the investor's few hundred rows one by one, building
        # each proposal's vector anew (~0.15 ms each).
        hits = (
            select(Proposal.id)
            .where(literal_column(PG_DOCUMENT).op("@@")(query))
            .cte("fts_hits")
            .prefix_with("MATERIALIZED")
        )
        return Proposal.id.in_(select(hits.c.id))
    match = fts5_query(q)
    if not match:
        return false()
    ids = text("SELECT rowid FROM proposal_fts WHERE proposal_fts MATCH :fts_query").bindparams(
        bindparam("fts_query", match)
    )
    return Proposal.id.in_(ids.columns(literal_column("rowid")))


# The investor's matches: filters, search, paging -------------------------------

PER_PAGE: Final = 20
#: Page numbers beyond this are read as this (the offset must fit the database's integers).
MAX_PAGE: Final = 1_000_000


@dataclass(frozen=True)
class MatchFilters:
    """What the reader asked for; empty strings and ``None`` mean "any".

    ``sector``, ``stage``, ``municipality`` and ``subproject`` are slugs;
    ``ask_from`` and ``ask_to`` whole kroner; ``saved`` keeps only saved ones.
    """

    q: str = ""
    sector: str = ""
    stage: str = ""
    municipality: str = ""
    subproject: str = ""
    ask_from: int | None = None
    ask_to: int | None = None
    saved: bool = False


@dataclass(frozen=True)
class MatchRow:
    proposal: Proposal
    score: float
    reasons: str
    saved: bool


@dataclass(frozen=True)
class MatchPage:
    rows: list[MatchRow]
    total: int
    page: int
    pages: int
    per_page: int

    @property
    def first(self) -> int:
        """The 1-based position of the first row shown (0 when none)."""
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.per_page + len(self.rows)


def _slug_id(model: Any, slug: str) -> Any:
    return select(model.id).where(model.slug == slug).scalar_subquery()


def matches_query(investor_id: int, filters: MatchFilters) -> Select[int, float]:
    """``(proposal_id, score)`` of the investor's visible matches within ``filters``.

    From the stored scores only; proposals in a hidden status (draft,
    withdrawn, declined, closed) and those the investor turned down are left
    out. Not ordered.
    """
    query = (
        select(MatchScore.proposal_id, MatchScore.score)
        .join(Proposal, Proposal.id == MatchScore.proposal_id)
        .where(
            MatchScore.investor_id == investor_id,
            Proposal.status.not_in(sorted(HIDDEN_FROM_INVESTORS)),
            MatchScore.proposal_id.not_in(
                select(MatchChoice.proposal_id).where(
                    MatchChoice.investor_id == investor_id,
                    MatchChoice.not_interested.is_(True),
                )
            ),
        )
    )
    if filters.saved:
        query = query.where(
            MatchScore.proposal_id.in_(
                select(MatchChoice.proposal_id).where(
                    MatchChoice.investor_id == investor_id, MatchChoice.saved.is_(True)
                )
            )
        )
    if filters.sector:
        query = query.where(Proposal.sector_id == _slug_id(Sector, filters.sector))
    if filters.stage:
        query = query.where(Proposal.stage_id == _slug_id(Stage, filters.stage))
    if filters.subproject:
        query = query.where(Proposal.subproject_id == _slug_id(Subproject, filters.subproject))
    if filters.municipality:
        query = query.join(Company, Company.id == Proposal.company_id).where(
            Company.municipality_id == _slug_id(Municipality, filters.municipality)
        )
    if filters.ask_from is not None:
        query = query.where(Proposal.ask >= filters.ask_from)
    if filters.ask_to is not None:
        query = query.where(Proposal.ask <= filters.ask_to)
    if filters.q.strip():
        query = query.where(matching_proposal_ids_clause(filters.q))
    return query


def find_matches(
    investor_id: int, filters: MatchFilters, page: int = 1, per_page: int = PER_PAGE
) -> MatchPage:
    """One page of the investor's matches, best score first (ties by proposal id).

    Counting and paging happen in SQL; the proposals of the page come with
    what the page shows (sector, stage, sub-project, municipality and its
    region) in a fixed number of queries. A page past the end gives the last.
    """
    query = matches_query(investor_id, filters)
    paged = query.add_columns(MatchScore.reasons, func.count().over().label("total")).order_by(
        MatchScore.score.desc(), MatchScore.proposal_id
    )
    page = min(max(1, page), MAX_PAGE)
    # One query gives the page and the total (a window count over the filtered
    # rows); only a page past the end needs the count on its own.
    scored = db.session.execute(paged.limit(per_page).offset((page - 1) * per_page)).all()
    if scored:
        total = int(scored[0].total)
    else:
        total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        last = max(1, -(-total // per_page))
        if page > last:
            page = last
            scored = db.session.execute(paged.limit(per_page).offset((page - 1) * per_page)).all()
    pages = max(1, -(-total // per_page))
    ids = [row.proposal_id for row in scored]
    proposals: dict[int, Proposal] = {}
    saved: set[int] = set()
    if ids:
        proposals = {
            p.id: p
            for p in db.session.scalars(
                select(Proposal)
                .where(Proposal.id.in_(ids))
                .options(
                    joinedload(Proposal.sector),
                    joinedload(Proposal.stage),
                    joinedload(Proposal.subproject),
                    joinedload(Proposal.company)
                    .joinedload(Company.municipality)
                    .joinedload(Municipality.region),
                )
            ).unique()
        }
        saved = set(
            db.session.scalars(
                select(MatchChoice.proposal_id).where(
                    MatchChoice.investor_id == investor_id,
                    MatchChoice.proposal_id.in_(ids),
                    MatchChoice.saved.is_(True),
                )
            )
        )
    rows = [
        MatchRow(proposals[r.proposal_id], r.score, r.reasons, r.proposal_id in saved)
        for r in scored
    ]
    return MatchPage(rows=rows, total=total, page=page, pages=pages, per_page=per_page)


def saved_without_score(investor_id: int) -> list[Proposal]:
    """Proposals the investor saved that are no longer among their stored best
    matches (a better proposal pushed them out, or their profile changed).

    They are still saved, so the Saved tab lists them, without a score: scores
    are kept only for each investor's best matches, and a number computed
    apart from the others would not be comparable. Hidden statuses are left
    out, as on the list; newest saved first.
    """
    stored = select(MatchScore.proposal_id).where(MatchScore.investor_id == investor_id)
    return list(
        db.session.scalars(
            select(Proposal)
            .join(MatchChoice, MatchChoice.proposal_id == Proposal.id)
            .where(
                MatchChoice.investor_id == investor_id,
                MatchChoice.saved.is_(True),
                Proposal.status.not_in(sorted(HIDDEN_FROM_INVESTORS)),
                Proposal.id.not_in(stored),
            )
            .order_by(MatchChoice.updated_at.desc(), Proposal.id)
        )
    )


# Facts for the "why" sentences ---------------------------------------------------


def profile_facts(investor_id: int) -> ProfileFacts:
    """What the investor looks for, as slugs; empty when they have no profile yet.

    Two statements whatever the profile's size: the ticket range, then every
    chosen slug in one UNION ALL (the page is measured)."""
    profile = db.session.execute(
        select(InvestorProfile.id, InvestorProfile.ticket_min, InvestorProfile.ticket_max).where(
            InvestorProfile.user_id == investor_id
        )
    ).first()
    if profile is None:
        return ProfileFacts()

    def slugs(kind: str, link: Any, column: str, model: Any) -> Select[Any]:
        return (
            select(literal(kind).label("kind"), model.slug.label("slug"))
            .join(link, link.c[column] == model.id)
            .where(link.c.profile_id == profile.id)
        )

    chosen: CompoundSelect[Any] = union_all(
        slugs("sectors", investor_sector, "sector_id", Sector),
        slugs("stages", investor_stage, "stage_id", Stage),
        slugs("municipalities", investor_municipality, "municipality_id", Municipality),
        slugs("regions", investor_region, "region_id", Region),
        slugs("subprojects", investor_subproject, "subproject_id", Subproject),
        select(literal("municipality_regions").label("kind"), Region.slug.label("slug"))
        .join(Municipality, Municipality.region_id == Region.id)
        .join(investor_municipality, investor_municipality.c.municipality_id == Municipality.id)
        .where(investor_municipality.c.profile_id == profile.id),
    )
    found: dict[str, set[str]] = {}
    for kind, slug in db.session.execute(chosen):
        found.setdefault(kind, set()).add(slug)
    return ProfileFacts(
        sectors=frozenset(found.get("sectors", ())),
        stages=frozenset(found.get("stages", ())),
        municipalities=frozenset(found.get("municipalities", ())),
        regions=frozenset(found.get("regions", ())),
        municipality_regions=frozenset(found.get("municipality_regions", ())),
        subprojects=frozenset(found.get("subprojects", ())),
        ticket_min=profile.ticket_min,
        ticket_max=profile.ticket_max,
    )


def proposal_facts(proposal: Proposal) -> ProposalFacts:
    """The proposal's side of the sentences, names in the current language."""
    municipality = proposal.company.municipality
    return ProposalFacts(
        sector_key=proposal.sector.slug,
        sector=proposal.sector.name,
        stage_key=proposal.stage.slug,
        stage=proposal.stage.name,
        ask=proposal.ask,
        min_ticket=proposal.min_ticket,
        municipality_key=municipality.slug,
        municipality=municipality.name,
        region_key=municipality.region.slug,
        region=municipality.region.name,
        subproject_key=proposal.subproject.slug if proposal.subproject else None,
        subproject=proposal.subproject.name if proposal.subproject else None,
    )


def explain_row(row: MatchRow, profile: ProfileFacts) -> list[Reason]:
    """The "why" of one match on the page."""
    return explain(parse_reasons(row.reasons), proposal_facts(row.proposal), profile)


@dataclass(frozen=True)
class ProposalMatch:
    """The investor's side of one proposal, for its page: the stored score (None
    when it is not among their best matches), the "why", and their choices."""

    score: float | None
    reasons: list[Reason]
    saved: bool
    not_interested: bool


def proposal_match(investor_id: int, proposal: Proposal) -> ProposalMatch:
    """The stored score of ``proposal`` for the investor, in words, and whether
    they saved it or turned it down."""
    stored = db.session.get(MatchScore, (investor_id, proposal.id))
    choice = db.session.scalar(
        select(MatchChoice).where(
            MatchChoice.investor_id == investor_id, MatchChoice.proposal_id == proposal.id
        )
    )
    reasons = (
        explain(parse_reasons(stored.reasons), proposal_facts(proposal), profile_facts(investor_id))
        if stored is not None
        else []
    )
    return ProposalMatch(
        score=stored.score if stored is not None else None,
        reasons=reasons,
        saved=bool(choice and choice.saved),
        not_interested=bool(choice and choice.not_interested),
    )
