"""The score arithmetic: weighted totals and the aggregate, with no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matchmaking.screening.scores import aggregate_scores, weighted_total


def test_weighted_mean_and_spread_with_known_numbers() -> None:
    weights = {1: 2.0, 2: 1.0}
    # Reviewer A: 4 and 2; reviewer B: 2 and 5. A score on criterion 3 (not
    # active) is ignored.
    result = aggregate_scores([{1: 4, 2: 2}, {1: 2, 2: 5, 3: 1}], weights)
    assert result.reviews == 2
    assert result.per_criterion == {1: 3.0, 2: 3.5}
    assert result.mean == pytest.approx((2 * 3.0 + 1 * 3.5) / 3)  # 3.1667
    assert result.low == pytest.approx(10 / 3 - 1 / 3)  # B: (2*2 + 5) / 3 = 3.0
    assert result.high == pytest.approx(10 / 3)  # A: (2*4 + 2) / 3
    assert result.stdev == pytest.approx(1 / 6)  # population SD of 3.333 and 3.0


def test_mean_per_criterion_counts_only_those_who_scored_it() -> None:
    result = aggregate_scores([{1: 5}, {1: 1, 2: 3}], {1: 1.0, 2: 1.0})
    assert result.per_criterion == {1: 3.0, 2: 3.0}
    assert result.mean == pytest.approx(3.0)
    assert (result.low, result.high) == (pytest.approx(2.0), pytest.approx(5.0))


def test_no_scores_means_no_aggregate() -> None:
    result = aggregate_scores([], {1: 1.0}, conflicts=1)
    assert result.mean is None
    assert result.stdev is None
    assert result.reviews == 0
    assert result.conflicts == 1
    # A sheet with only retired criteria does not count as a review.
    assert aggregate_scores([{9: 5}], {1: 1.0}).reviews == 0


def test_one_reviewer_has_no_spread() -> None:
    result = aggregate_scores([{1: 4, 2: 2}], {1: 1.0, 2: 1.0})
    assert result.mean == pytest.approx(3.0)
    assert result.stdev == 0
    assert result.low == result.high


def test_weighted_total_weighs_the_criteria_in_both() -> None:
    assert weighted_total({1: 4, 2: 1}, {1: 3.0, 2: 1.0}) == pytest.approx(13 / 4)
    # A score on a criterion without a weight (retired) is left out.
    assert weighted_total({1: 4, 9: 1}, {1: 2.0}) == pytest.approx(4.0)


def test_weighted_total_of_nothing_is_none() -> None:
    assert weighted_total({}, {1: 1.0}) is None
    assert weighted_total({9: 5}, {1: 1.0}) is None
    assert weighted_total({1: 5}, {1: 0.0}) is None


sheets = st.lists(
    st.fixed_dictionaries({c: st.integers(1, 5) for c in (1, 2, 3)}), min_size=1, max_size=8
)
weights = st.fixed_dictionaries({c: st.floats(0.1, 10) for c in (1, 2, 3)})


@given(sheets, weights)
def test_aggregate_properties(sheets: list[dict[int, int]], weights: dict[int, float]) -> None:
    """With every criterion scored, the weighted mean is the mean of the
    reviewers' totals, and it lies between the lowest and highest total."""
    result = aggregate_scores(sheets, weights)
    assert result.reviews == len(sheets)
    assert result.mean is not None
    assert result.low is not None
    assert result.high is not None
    assert result.stdev is not None
    assert 1 - 1e-9 <= result.low <= result.mean + 1e-9
    assert result.mean <= result.high + 1e-9 <= 5 + 2e-9
    totals = [weighted_total(s, weights) or 0.0 for s in sheets]
    assert result.mean == pytest.approx(sum(totals) / len(totals))
    assert result.stdev >= 0
