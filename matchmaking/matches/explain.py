"""A match's "why" in words, from the engine's reasons.

Pure functions: the facts of the proposal and the investor's profile come in
as small dataclasses (names already in the reader's language), the engine's
per-feature contributions as a mapping, and the sentences come out, the
largest contribution first. Only reasons that contributed are told. The
sentences are translatable (``lazy_gettext``); outside an app they are the
English source strings, so the functions are tested without one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from matchmaking.i18n import lazy_gettext as _l
from matchmaking.money import format_kroner

#: The engine's reason names (``matchmaking.engine.rank.REASONS``).
REASON_KEYS: Final = ("sector", "stage", "ticket", "geography", "subproject", "text")


@dataclass(frozen=True)
class ProposalFacts:
    """What the sentences say about the proposal. ``*_key`` are slugs (or ids)."""

    sector_key: str
    sector: str
    stage_key: str
    stage: str
    ask: int
    min_ticket: int
    municipality_key: str
    municipality: str
    region_key: str
    region: str
    subproject_key: str | None = None
    subproject: str | None = None


@dataclass(frozen=True)
class ProfileFacts:
    """What the investor said they look for; empty sets mean "no preference".

    ``municipality_regions`` are the regions of the municipalities they named.
    """

    sectors: frozenset[str] = field(default_factory=frozenset)
    stages: frozenset[str] = field(default_factory=frozenset)
    municipalities: frozenset[str] = field(default_factory=frozenset)
    regions: frozenset[str] = field(default_factory=frozenset)
    municipality_regions: frozenset[str] = field(default_factory=frozenset)
    subprojects: frozenset[str] = field(default_factory=frozenset)
    ticket_min: int = 0
    ticket_max: int = 0


@dataclass(frozen=True)
class Reason:
    """One sentence of "why" and the share of the score it stands for."""

    key: str
    contribution: float
    text: str


def parse_reasons(raw: str | None) -> dict[str, float]:
    """The stored JSON ``{"sector": 0.25, ...}`` as a dict; anything unreadable is ``{}``.

    Unknown names, non-numbers, NaN and infinities are dropped.
    """
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, float] = {}
    for key, value in data.items():
        if key not in REASON_KEYS or isinstance(value, bool):
            continue
        if isinstance(value, int | float) and math.isfinite(value):
            out[key] = float(value)
    return out


#: The least contribution for which a reason is told in words. Text similarity
#: is never exactly 0 between two texts that share a common word, and "the text
#: is similar to your thesis" would be a false claim for a cosine of 0.01: it is
#: told from a similarity of 0.1 (0.02 of the score at the default text weight).
MIN_TOLD: Final = {"text": 0.02}


def explain(
    reasons: Mapping[str, float], proposal: ProposalFacts, profile: ProfileFacts
) -> list[Reason]:
    """The reasons that contributed (> 0, and at least :data:`MIN_TOLD` where
    set), largest first (ties in the engine's order)."""
    order = {key: i for i, key in enumerate(REASON_KEYS)}
    told = [
        (key, value)
        for key, value in reasons.items()
        if key in order and math.isfinite(value) and value > 0 and value >= MIN_TOLD.get(key, 0.0)
    ]
    told.sort(key=lambda kv: (-kv[1], order[kv[0]]))
    return [Reason(key, value, sentence(key, proposal, profile)) for key, value in told]


def sentence(key: str, proposal: ProposalFacts, profile: ProfileFacts) -> str:
    """One reason in words."""
    if key == "sector":
        return _sector(proposal, profile)
    if key == "stage":
        return _stage(proposal, profile)
    if key == "ticket":
        return _ticket(proposal, profile)
    if key == "geography":
        return _geography(proposal, profile)
    if key == "subproject":
        return _subproject(proposal, profile)
    if key == "text":
        return str(_l("The text is similar to your investment thesis"))
    raise ValueError(key)


def _sector(p: ProposalFacts, profile: ProfileFacts) -> str:
    if p.sector_key in profile.sectors:
        return str(_l("Sector: %(name)s – one of your sectors", name=p.sector))
    return str(_l("Sector: %(name)s – you have no sector preference", name=p.sector))


def _stage(p: ProposalFacts, profile: ProfileFacts) -> str:
    if p.stage_key in profile.stages:
        return str(_l("Stage: %(name)s – one of your stages", name=p.stage))
    return str(_l("Stage: %(name)s – you have no stage preference", name=p.stage))


def _ticket(p: ProposalFacts, profile: ProfileFacts) -> str:
    ask = format_kroner(p.ask)
    low, high = profile.ticket_min, profile.ticket_max
    if low <= p.ask <= high:
        return str(_l("Ask %(ask)s – inside your range", ask=ask))
    if p.min_ticket <= high and low <= p.ask:
        return str(
            _l(
                "Ask %(ask)s – tickets from %(min)s fit your range",
                ask=ask,
                min=format_kroner(p.min_ticket),
            )
        )
    return str(
        _l(
            "Ask %(ask)s – close to your range of %(low)s to %(high)s",
            ask=ask,
            low=format_kroner(low),
            high=format_kroner(high),
        )
    )


def _geography(p: ProposalFacts, profile: ProfileFacts) -> str:
    if p.municipality_key in profile.municipalities:
        return str(_l("Municipality: %(name)s – one of your municipalities", name=p.municipality))
    if p.region_key in profile.regions:
        return str(
            _l(
                "Municipality: %(name)s – in %(region)s, a region you follow",
                name=p.municipality,
                region=p.region,
            )
        )
    if p.region_key in profile.municipality_regions:
        return str(
            _l(
                "Municipality: %(name)s – in %(region)s, near the municipalities you follow",
                name=p.municipality,
                region=p.region,
            )
        )
    return str(
        _l("Municipality: %(name)s – you have no preference for places", name=p.municipality)
    )


def _subproject(p: ProposalFacts, profile: ProfileFacts) -> str:
    name = p.subproject or ""
    if p.subproject_key is not None and p.subproject_key in profile.subprojects:
        return str(_l("Sub-project: %(name)s – one you follow", name=name))
    if p.subproject_key is None:
        return str(_l("Sub-project: none – you have no sub-project preference"))
    return str(_l("Sub-project: %(name)s – you have no sub-project preference", name=name))
