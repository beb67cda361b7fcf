"""Tests for the ranking (matchmaking.engine.rank and .text).

Run with ``pytest tests/engine --confcutdir=tests/engine``. Each rule of the
spec's ``rank`` section has a test; hypothesis checks the rules on random
small instances and that the vectorised ranking equals the plain loop.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import unicodedata
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.engine import text as text_module
from matchmaking.engine.errors import EngineInputError
from matchmaking.engine.rank import (
    DEFAULT_WEIGHTS,
    REASONS,
    RankedMatch,
    RankInvestor,
    RankPitch,
    Weights,
    rank,
    rank_reference,
)

#: The module (``matchmaking.engine.rank`` the attribute is the function the package exports).
rank_module = sys.modules["matchmaking.engine.rank"]

REGIONS = {
    "ofoten": ["narvik", "evenes", "tjeldsund", "ballangen", "tysfjord"],
    "sor-troms": ["harstad", "kvaefjord"],
}


def investor(**fields: object) -> RankInvestor:
    base: dict[str, object] = {
        "id": "inv-1",
        "sectors": ("marine",),
        "stages": ("seed",),
        "ticket_min": 100_000,
        "ticket_max": 1_000_000,
        "municipalities": ("narvik",),
        "subprojects": ("marin-kartlegging",),
        "thesis": "",
    }
    base.update(fields)
    return RankInvestor(**base)  # type: ignore[arg-type]


def pitch(**fields: object) -> RankPitch:
    base: dict[str, object] = {
        "id": "p-1",
        "sector": "marine",
        "stage": "seed",
        "ask": 500_000,
        "min_ticket": 100_000,
        "municipality": "narvik",
        "subproject": "marin-kartlegging",
        "text": "",
    }
    base.update(fields)
    return RankPitch(**base)  # type: ignore[arg-type]


def one(inv: RankInvestor, p: RankPitch, **kwargs: object) -> RankedMatch | None:
    """The match of one investor with one pitch, or None when excluded."""
    found = rank([inv], [p], regions=REGIONS, **kwargs)[inv.id]  # type: ignore[arg-type]
    return found[0] if found else None


def score(inv: RankInvestor, p: RankPitch, **kwargs: object) -> float:
    match = one(inv, p, **kwargs)
    assert match is not None
    return match.score


# -- the spec's example and the shape of the result ------------------------


def test_spec_example() -> None:
    inv = RankInvestor(
        id="inv-1",
        sectors=("marine", "tourism"),
        stages=("pre-seed", "seed"),
        ticket_min=100_000,
        ticket_max=1_000_000,
        municipalities=("narvik", "evenes"),
        subprojects=("marin-kartlegging",),
        thesis="free text, Norwegian or English",
    )
    p1 = RankPitch(
        id="p-1",
        sector="marine",
        stage="seed",
        ask=2_000_000,
        min_ticket=250_000,
        municipality="narvik",
        subproject="marin-kartlegging",
        text="title, summary and description, free text",
    )
    p3 = dataclasses.replace(p1, id="p-3")
    result = rank([inv], [p1, p3], conflicts=[("inv-1", "p-3")], regions=REGIONS, top=20)
    assert list(result) == ["inv-1"]
    [match] = result["inv-1"]
    assert match.pitch == "p-1"
    assert list(match.reasons) == list(REASONS)
    assert match.reasons["sector"] == DEFAULT_WEIGHTS.sector
    assert match.reasons["stage"] == DEFAULT_WEIGHTS.stage
    assert match.reasons["geography"] == DEFAULT_WEIGHTS.geography
    assert match.reasons["subproject"] == DEFAULT_WEIGHTS.subproject
    assert 0 < match.reasons["ticket"] < DEFAULT_WEIGHTS.ticket  # the ask is above the range
    assert 0 < match.reasons["text"] <= DEFAULT_WEIGHTS.text  # shared words
    assert math.isclose(match.score, sum(match.reasons.values()), abs_tol=1e-9)


def test_every_investor_is_a_key_even_with_nothing_to_match() -> None:
    rich = investor(id="rich", ticket_min=10_000_000, ticket_max=20_000_000)
    other = investor(id="other")
    result = rank([rich, other], [pitch()])
    assert list(result) == ["rich", "other"]
    assert result["rich"] == []
    assert [m.pitch for m in result["other"]] == ["p-1"]


def test_no_pitches_and_no_investors() -> None:
    assert rank([investor()], []) == {"inv-1": []}
    assert rank([], [pitch()]) == {}


def test_a_perfect_match_scores_one_without_text() -> None:
    weights = Weights(sector=0.3, stage=0.2, ticket=0.2, geography=0.2, subproject=0.1, text=0.0)
    assert score(investor(), pitch(), weights=weights) == 1.0


# -- hard exclusions -------------------------------------------------------


def test_a_pair_in_conflicts_is_left_out() -> None:
    assert one(investor(), pitch(), conflicts=[("inv-1", "p-1")]) is None


def test_conflicts_naming_unknown_ids_are_ignored_by_the_function() -> None:
    assert one(investor(), pitch(), conflicts=[("inv-9", "p-1"), ("inv-1", "p-9")]) is not None


@pytest.mark.parametrize(
    ("inv_range", "pitch_range", "kept"),
    [
        ((100_000, 1_000_000), (100_000, 500_000), True),
        ((100_000, 1_000_000), (1_000_000, 2_000_000), True),  # min_ticket == ticket_max
        ((100_000, 1_000_000), (1_000_001, 2_000_000), False),  # min_ticket > ticket_max
        ((500_000, 1_000_000), (0, 500_000), True),  # ticket_min == ask
        ((500_001, 1_000_000), (0, 500_000), False),  # ticket_min > ask
        ((0, 0), (0, 0), True),
    ],
)
def test_ticket_ranges_that_do_not_meet_are_left_out(
    inv_range: tuple[int, int], pitch_range: tuple[int, int], kept: bool
) -> None:
    inv = investor(ticket_min=inv_range[0], ticket_max=inv_range[1])
    p = pitch(min_ticket=pitch_range[0], ask=pitch_range[1])
    assert (one(inv, p) is not None) is kept


# -- the features ----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "named", "value"),
    [
        ("sectors", "sector", "marine"),
        ("stages", "stage", "seed"),
        ("subprojects", "subproject", "marin-kartlegging"),
    ],
)
def test_a_preference_earns_full_none_or_the_neutral_share(
    field: str, named: str, value: str
) -> None:
    p = pitch()
    weight = getattr(DEFAULT_WEIGHTS, named)
    reasons = {
        case: one(investor(**{field: names}), p).reasons[named]  # type: ignore[union-attr]
        for case, names in (("match", (value, "x")), ("miss", ("x",)), ("none", ()))
    }
    assert reasons["match"] == weight
    assert reasons["miss"] == 0.0
    assert reasons["none"] == weight * DEFAULT_WEIGHTS.no_preference
    assert reasons["miss"] <= reasons["none"] <= reasons["match"]


def test_a_pitch_without_sub_project_matches_no_named_sub_project() -> None:
    p = pitch(subproject=None)
    assert one(investor(subprojects=("a",)), p).reasons["subproject"] == 0.0  # type: ignore[union-attr]
    assert one(investor(subprojects=()), p).reasons["subproject"] == 0.05  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("named", "municipality", "share"),
    [
        (("narvik",), "narvik", 1.0),  # the municipality itself
        (("ofoten",), "tysfjord", 1.0),  # a region slug means all its municipalities
        (("narvik",), "evenes", 0.5),  # same region as a named municipality
        (("narvik",), "harstad", 0.0),  # another region
        (("narvik",), "bodo", 0.0),  # in no region
        (("bodo",), "bodo", 1.0),  # a municipality in no region still matches itself
        ((), "harstad", 0.5),  # no preference
    ],
)
def test_geography(named: tuple[str, ...], municipality: str, share: float) -> None:
    match = one(investor(municipalities=named), pitch(municipality=municipality))
    assert match is not None
    assert match.reasons["geography"] == DEFAULT_WEIGHTS.geography * share


def test_same_region_with_many_regions() -> None:
    regions = {f"r{k}": [f"m{k}a", f"m{k}b"] for k in range(140)}  # more than 2 x 63 bits
    inv = investor(municipalities=("m130a", "m3a"))
    ps = [pitch(id=f"p-{m}", municipality=m) for m in ("m130b", "m3b", "m64b", "m130a")]
    result = rank([inv], ps, regions=regions)["inv-1"]
    geography = {m.pitch: m.reasons["geography"] for m in result}
    assert geography == {"p-m130a": 0.15, "p-m130b": 0.075, "p-m3b": 0.075, "p-m64b": 0.0}
    assert rank_reference([inv], ps, regions=regions)["inv-1"] == result


def test_same_region_needs_the_regions() -> None:
    inv, p = investor(municipalities=("narvik",)), pitch(municipality="evenes")
    assert rank([inv], [p])["inv-1"][0].reasons["geography"] == 0.0


def test_ticket_fit_is_graded() -> None:
    inv = investor(ticket_min=100_000, ticket_max=1_000_000)

    def fit(min_ticket: int, ask: int) -> float:
        return one(inv, pitch(min_ticket=min_ticket, ask=ask)).reasons["ticket"]  # type: ignore[union-attr]

    inside = fit(200_000, 800_000)
    around = fit(50_000, 5_000_000)  # the investor's range lies inside the pitch's
    half = fit(300_000, 3_000_000)
    thin = fit(900_000, 50_000_000)
    edge = fit(1_000_000, 50_000_000)
    assert inside == around == DEFAULT_WEIGHTS.ticket
    assert DEFAULT_WEIGHTS.ticket > half > thin > edge == 0.0


def test_a_single_amount_inside_a_range_fits_fully() -> None:
    inv = investor(ticket_min=500_000, ticket_max=500_000)
    assert one(inv, pitch(min_ticket=100_000, ask=900_000)).reasons["ticket"] == 0.15  # type: ignore[union-attr]


def test_text_similarity_finds_the_parts_of_compound_words() -> None:
    inv = investor(thesis="Vi ser etter sjømat og oppdrett i nord.")
    compound = pitch(id="p-compound", text="Sjømateksport og lakseoppdrettsanlegg.")
    unrelated = pitch(id="p-other", text="Programvare for regnskap og lønn.")
    result = rank([inv], [compound, unrelated])["inv-1"]
    by_id = {m.pitch: m.reasons["text"] for m in result}
    assert by_id["p-compound"] > by_id["p-other"]
    assert result[0].pitch == "p-compound"


def test_text_similarity_works_in_english_and_is_zero_without_text() -> None:
    inv = investor(thesis="Renewable energy, batteries and hydrogen.")
    on_topic = pitch(id="p-a", text="A battery factory for renewable hydrogen energy storage.")
    off_topic = pitch(id="p-b", text="Guided aurora tours for hotel guests.")
    silent = pitch(id="p-c", text="")
    by_id = {
        m.pitch: m.reasons["text"] for m in rank([inv], [on_topic, off_topic, silent])["inv-1"]
    }
    assert by_id["p-a"] > by_id["p-b"] >= 0.0
    assert by_id["p-c"] == 0.0
    assert one(investor(thesis=""), on_topic).reasons["text"] == 0.0  # type: ignore[union-attr]


def test_identical_texts_earn_the_full_text_weight() -> None:
    text = "Tareoppdrett i Ofotfjorden med eksport til Europa."
    assert one(investor(thesis=text), pitch(text=text)).reasons["text"] == 0.2  # type: ignore[union-attr]


# -- order, top, threshold -------------------------------------------------


def test_sorted_by_score_then_pitch_id() -> None:
    inv = investor()
    twins = [pitch(id=name) for name in ("p-b", "p-c", "p-a")]
    worse = pitch(id="p-0", sector="energy")
    result = rank([inv], [*twins, worse])["inv-1"]
    assert [m.pitch for m in result] == ["p-a", "p-b", "p-c", "p-0"]


def test_top_keeps_the_first_of_the_full_ranking() -> None:
    inv = investor()
    ps = [pitch(id=f"p-{k}", sector=("marine", "energy")[k % 2]) for k in range(7)]
    full = rank([inv], ps)["inv-1"]
    for top in (1, 3, 7, 50):
        assert rank([inv], ps, top=top)["inv-1"] == full[:top]


def test_min_score_keeps_those_at_or_above_it() -> None:
    inv = investor()
    ps = [pitch(id="p-1"), pitch(id="p-2", sector="energy"), pitch(id="p-3", stage="idea")]
    full = rank([inv], ps)["inv-1"]
    cut = full[1].score
    kept = rank([inv], ps, min_score=cut)["inv-1"]
    assert kept == [m for m in full if m.score >= cut]
    assert rank([inv], ps, min_score=1.0)["inv-1"] == []


@pytest.mark.parametrize("top", [0, -1, True, 1.5])
def test_bad_top_is_refused(top: object) -> None:
    with pytest.raises(EngineInputError, match="top"):
        rank([investor()], [pitch()], top=top)  # type: ignore[arg-type]


def test_blocks_of_investors_give_the_same_ranking(monkeypatch: pytest.MonkeyPatch) -> None:
    invs = [investor(id=f"inv-{k}", sectors=(("marine",), ())[k % 2]) for k in range(9)]
    ps = [pitch(id=f"p-{k}", ask=100_000 * (k + 1)) for k in range(7)]
    whole = rank(invs, ps, top=4)
    monkeypatch.setattr(rank_module, "_BLOCK_PAIRS", 10)  # two investors a block
    assert rank(invs, ps, top=4) == whole


def test_same_input_same_output() -> None:
    invs = [investor(id=f"inv-{k}", thesis=f"sjømat {k}") for k in range(3)]
    ps = [pitch(id=f"p-{k}", text=f"laks og sjømat {k}") for k in range(4)]
    assert rank(invs, ps, regions=REGIONS) == rank(invs, ps, regions=REGIONS)


# -- checks on the input of the function -----------------------------------


@pytest.mark.parametrize(
    ("investors", "pitches", "message"),
    [
        ([investor(), investor()], [pitch()], r'investors\[1\]\.id: "inv-1" is declared twice'),
        ([investor()], [pitch(), pitch()], r'pitches\[1\]\.id: "p-1" is declared twice'),
        ([investor(id="")], [pitch()], r"investors\[0\]\.id"),
        (
            [investor(ticket_min=2, ticket_max=1)],
            [pitch()],
            r"investors\[0\]\.ticket_min: 2 is greater than ticket_max 1",
        ),
        ([investor()], [pitch(min_ticket=2, ask=1)], r"pitches\[0\]\.min_ticket"),
        ([investor(ticket_min=-1)], [pitch()], r"investors\[0\]\.ticket_min"),
        ([investor(ticket_max=1.5)], [pitch()], r"investors\[0\]\.ticket_max"),
        ([investor()], [pitch(ask=True)], r"pitches\[0\]\.ask"),
        ([investor()], [pitch(ask=2**63)], r"pitches\[0\]\.ask"),
    ],
)
def test_bad_input_to_the_function_is_refused(
    investors: list[RankInvestor], pitches: list[RankPitch], message: str
) -> None:
    with pytest.raises(EngineInputError, match=message):
        rank(investors, pitches)
    with pytest.raises(EngineInputError, match=message):
        rank_reference(investors, pitches)


def test_huge_money_is_fine() -> None:
    big = 2**63 - 1
    inv = investor(ticket_min=0, ticket_max=big)
    assert one(inv, pitch(min_ticket=big, ask=big)) is not None


# -- weights ---------------------------------------------------------------


def test_default_weights_add_up_to_one() -> None:
    assert math.isclose(sum(getattr(DEFAULT_WEIGHTS, n) for n in REASONS), 1.0)
    assert sum(DEFAULT_WEIGHTS.micro().values()) == 1_000_000


@pytest.mark.parametrize(
    "fields",
    [
        {"sector": 0.5},  # adds up to 1.25
        {"sector": -0.05, "text": 0.5},
        {"sector": math.nan},
        {"sector": True},
        {"no_preference": 1.5},
        {"same_region": -0.1},
    ],
)
def test_bad_weights_are_refused(fields: dict[str, object]) -> None:
    with pytest.raises(EngineInputError, match="weights"):
        Weights(**fields)  # type: ignore[arg-type]


def test_weights_in_thirds_keep_the_score_at_most_one() -> None:
    third = 1 / 3
    weights = Weights(sector=third, stage=third, ticket=third, geography=0, subproject=0, text=0)
    micro = weights.micro()
    assert sum(micro.values()) == 1_000_000
    assert score(investor(), pitch(), weights=weights) == 1.0


# -- text internals against plain Python ----------------------------------


def test_tokens_are_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "Båtbyggeri på Ærøy")
    assert text_module.tokenize(decomposed) == ["båtbyggeri", "på", "ærøy"]
    assert text_module.tokenize("a b cd-ef 12") == ["cd", "ef", "12"]


@pytest.mark.parametrize(
    "tokens",
    [
        ["ab", "sjømateksport", "banana", "x1", "ååå", "abcdefghijklmnop"],
        [chr(0x4E00 + k) * 2 for k in range(7000)],  # an alphabet too large for one int64
    ],
)
def test_character_ngrams_equal_scikit_learns(tokens: list[str]) -> None:
    counts = text_module._char_ngrams(tokens)
    analyzer = text_module._char_analyzer().build_analyzer()
    assert counts.shape[0] == len(tokens)
    for row, token in enumerate(tokens):
        expected = Counter(analyzer(token))
        got: Counter[int] = Counter()
        start, stop = counts.indptr[row], counts.indptr[row + 1]
        for column, count in zip(counts.indices[start:stop], counts.data[start:stop], strict=True):
            got[int(column)] += int(count)
        assert sorted(got.values()) == sorted(expected.values())
    # the same n-gram in two tokens has the same column
    twice = text_module._char_ngrams(["laks", "laksen"])
    shared = set(twice[0].indices) & set(twice[1].indices)
    assert len(shared) == 6  # " la", "lak", "aks", " lak", "laks", " laks"


@pytest.mark.parametrize("cut", [None, 2])
def test_text_similarity_equals_the_plain_python_one(
    cut: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if cut is not None:  # make the dropping of common features happen
        monkeypatch.setattr(text_module, "MIN_DF_CUT", cut)
        monkeypatch.setattr(text_module, "MAX_DF", 0.2)
    theses = ["Sjømat og havbruk i nord", "Renewable energy", "", "og og og i i"]
    texts = [
        "Lakseoppdrett og sjømateksport fra Ofoten",
        "Hydrogen og batterier: fornybar energi",
        "Aurora tourism and hotel guests",
        "",
        "og i på",
    ]
    fitted = text_module.fit_text(theses, texts)
    block = fitted.block(0, len(theses))
    vectors = text_module.reference_vectors(theses + texts)
    for i in range(len(theses)):
        for j in range(len(texts)):
            expected = text_module.reference_cosine(vectors[i], vectors[len(theses) + j])
            assert math.isclose(block[i, j], expected, abs_tol=1e-12)


def test_common_features_are_dropped_only_in_large_sets() -> None:
    assert text_module._df_cut(100) == text_module.MIN_DF_CUT
    assert text_module._df_cut(100_000) == 100_000 * text_module.MAX_DF


# -- properties on random small instances ----------------------------------

SECTORS = ["marine", "tourism", "energy"]
STAGES = ["idea", "seed", "growth"]
PLACES = ["narvik", "evenes", "harstad", "kvaefjord", "bodo"]
SUBPROJECTS = ["marin-kartlegging", "stedsutvikling"]
MONEY = [0, 10_000, 100_000, 250_000, 1_000_000, 5_000_000]
WORDS = [
    "sjømat", "laks", "oppdrett", "sjømateksport", "energi", "hydrogen", "battery", "hotel",
    "nordlys", "reiseliv", "og", "i", "the", "and", "fisk", "fiskeoppdrett", "software",
]  # fmt: skip


def _subset(items: list[str]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(items), unique=True, max_size=len(items)).map(tuple)


def _text() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join)


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[RankInvestor], list[RankPitch], list[tuple[str, str]]]:
    n_inv = draw(st.integers(1, 4))
    n_pitch = draw(st.integers(1, 7))
    investors = []
    for k in range(n_inv):
        low, high = sorted(draw(st.lists(st.sampled_from(MONEY), min_size=2, max_size=2)))
        investors.append(
            RankInvestor(
                id=f"inv-{k}",
                sectors=draw(_subset(SECTORS)),
                stages=draw(_subset(STAGES)),
                ticket_min=low,
                ticket_max=high,
                municipalities=draw(_subset([*PLACES, "ofoten", "sor-troms"])),
                subprojects=draw(_subset(SUBPROJECTS)),
                thesis=draw(_text()),
            )
        )
    pitches = []
    ids = draw(st.permutations([f"p-{k}" for k in range(n_pitch)]))
    for pid in ids:
        low, high = sorted(draw(st.lists(st.sampled_from(MONEY), min_size=2, max_size=2)))
        pitches.append(
            RankPitch(
                id=pid,
                sector=draw(st.sampled_from(SECTORS)),
                stage=draw(st.sampled_from(STAGES)),
                ask=high,
                min_ticket=low,
                municipality=draw(st.sampled_from(PLACES)),
                subproject=draw(st.sampled_from([*SUBPROJECTS, None])),
                text=draw(_text()),
            )
        )
    pairs = [(i.id, p.id) for i in investors for p in pitches]
    conflicts = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3))
    return investors, pitches, conflicts


PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
Instance = tuple[list[RankInvestor], list[RankPitch], list[tuple[str, str]]]


def _excluded(inv: RankInvestor, p: RankPitch, conflicts: list[tuple[str, str]]) -> bool:
    return (inv.id, p.id) in conflicts or p.min_ticket > inv.ticket_max or inv.ticket_min > p.ask


@PROPERTY
@given(instances())
def test_property_exclusions_sums_ranges_and_order(instance: Instance) -> None:
    investors, pitches, conflicts = instance
    result = rank(investors, pitches, conflicts=conflicts, regions=REGIONS)
    assert list(result) == [i.id for i in investors]
    for inv in investors:
        matches = result[inv.id]
        expected = {p.id for p in pitches if not _excluded(inv, p, conflicts)}
        assert {m.pitch for m in matches} == expected
        for m in matches:
            assert list(m.reasons) == list(REASONS)
            assert all(v >= 0 for v in m.reasons.values())
            assert 0.0 <= m.score <= 1.0
            assert abs(sum(m.reasons.values()) - m.score) <= 1e-6
            for name, value in m.reasons.items():
                assert value <= getattr(DEFAULT_WEIGHTS, name) + 1e-12
        keys = [(-m.score, m.pitch) for m in matches]
        assert keys == sorted(keys)


@PROPERTY
@given(instances())
def test_property_vectorised_equals_the_plain_loop(instance: Instance) -> None:
    investors, pitches, conflicts = instance
    fast = rank(investors, pitches, conflicts=conflicts, regions=REGIONS)
    slow = rank_reference(investors, pitches, conflicts=conflicts, regions=REGIONS)
    assert list(fast) == list(slow)
    for inv_id, matches in fast.items():
        reference = {m.pitch: m for m in slow[inv_id]}
        assert [m.pitch for m in matches] == [m.pitch for m in slow[inv_id]] or all(
            abs(a.score - b.score) <= 2e-6 for a, b in zip(matches, slow[inv_id], strict=True)
        )
        assert {m.pitch for m in matches} == set(reference)
        for m in matches:
            assert abs(m.score - reference[m.pitch].score) <= 2e-6
            for name in REASONS:
                assert abs(m.reasons[name] - reference[m.pitch].reasons[name]) <= 1e-6


@PROPERTY
@given(instances(), st.integers(1, 5), st.floats(0, 1))
def test_property_top_and_threshold_cut_the_full_ranking(
    instance: Instance, top: int, min_score: float
) -> None:
    investors, pitches, conflicts = instance
    full = rank(investors, pitches, conflicts=conflicts, regions=REGIONS)
    cut = rank(investors, pitches, conflicts=conflicts, regions=REGIONS, top=top)
    above = rank(investors, pitches, conflicts=conflicts, regions=REGIONS, min_score=min_score)
    for inv_id, matches in full.items():
        assert cut[inv_id] == matches[:top]
        # at least min_score is kept (a hair's breadth either way may go either way)
        assert above[inv_id] == [m for m in matches if m in above[inv_id]]
        assert all(m in above[inv_id] for m in matches if m.score >= min_score + 1e-9)
        assert all(m.score >= min_score - 1e-9 for m in above[inv_id])


@PROPERTY
@given(instances(), st.data())
def test_property_monotone_in_each_preference_list(instance: Instance, data: st.DataObject) -> None:
    investors, pitches, conflicts = instance
    kept = [
        (i, p)
        for i, inv in enumerate(investors)
        for p in pitches
        if not _excluded(inv, p, conflicts)
    ]
    if not kept:
        return
    row, p = data.draw(st.sampled_from(kept))
    before = rank(investors, pitches, conflicts=conflicts, regions=REGIONS)
    old = next(m.score for m in before[investors[row].id] if m.pitch == p.id)
    for field, value in (
        ("sectors", p.sector),
        ("stages", p.stage),
        ("municipalities", p.municipality),
        ("subprojects", p.subproject),
    ):
        inv = investors[row]
        if value is None or value in getattr(inv, field):
            continue
        grown = dataclasses.replace(inv, **{field: (*getattr(inv, field), value)})
        changed = [*investors[:row], grown, *investors[row + 1 :]]
        after = rank(changed, pitches, conflicts=conflicts, regions=REGIONS)
        new = next(m.score for m in after[inv.id] if m.pitch == p.id)
        assert new >= old, (field, value)
