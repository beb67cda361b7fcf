"""The small-cell rule: no cell lets a reader recognise one or two companies or people.

Statistics offices publish no count under 3 (here: 1 or 2 companies or
people; 0 recognises nobody and is shown). A cell whose count is under the
threshold is *hidden* (primary suppression) and shown as "fewer than 3".

Hiding one cell is not enough when the column's total is shown: the total
minus the shown cells gives the hidden one back. So within each group of
cells that adds up to a shown total, the hidden cells must together count
at least the threshold (or none be hidden): the smallest shown cells are
hidden as well until they do (secondary suppression), and when no shown
cell is left the total is hidden too. A hierarchy (municipalities within
regions, regions within the whole) is handled from the bottom up by
:func:`suppress_groups`: a region subtotal hidden below takes part as a
hidden cell above.

Pure functions over counts; the report applies the result to every column
(a value such as capital is hidden with the count of companies behind it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

#: The smallest count a steering-group member or the public sees.
THRESHOLD: Final = 3


def is_small(count: int) -> bool:
    """A count that would let a reader recognise someone (1 or 2)."""
    return 0 < count < THRESHOLD


def suppress(
    counts: Sequence[int], *, hidden: Sequence[bool] | None = None
) -> tuple[list[bool], bool]:
    """Which cells of one group to hide, and whether to hide the group's total.

    ``counts`` are the companies (or people) behind each cell; ``hidden``
    marks cells already hidden for another reason (a subtotal hidden in its
    own group). Returns ``(hidden cells, hide the total)``.
    """
    out = [is_small(c) for c in counts]
    if hidden is not None:
        out = [a or b for a, b in zip(out, hidden, strict=True)]
    if not any(out):
        return out, False
    # Hide the smallest shown non-zero cells (the earliest first among
    # equals) until the hidden ones together count at least the threshold.
    _hide_more(counts, out)
    hidden_count = sum(c for c, h in zip(counts, out, strict=True) if h)
    # If every non-zero cell is hidden and they are still too few, the total
    # would tell their sum.
    return out, hidden_count < THRESHOLD


def suppress_groups(
    groups: Sequence[Sequence[int]],
) -> tuple[list[list[bool]], list[bool], bool]:
    """A two-level hierarchy: ``groups[g]`` are the cells of group ``g``
    (the municipalities of a region), whose subtotals add up to the whole.

    Returns ``(hidden cells per group, hidden subtotals, hide the whole)``.
    """
    cells: list[list[bool]] = []
    own_hidden: list[bool] = []
    for counts in groups:
        hidden, hide_subtotal = suppress(counts)
        cells.append(hidden)
        own_hidden.append(hide_subtotal)
    subtotals = [sum(counts) for counts in groups]
    hidden_subtotals, hide_whole = suppress(subtotals, hidden=own_hidden)
    # A subtotal hidden to protect another group must not be the sum of its
    # shown cells: hide its smallest cells until the hidden part of it
    # counts at least the threshold too.
    for counts, hidden, subtotal_hidden in zip(groups, cells, hidden_subtotals, strict=True):
        if subtotal_hidden:
            _hide_more(counts, hidden)
    return cells, hidden_subtotals, hide_whole


def _hide_more(counts: Sequence[int], hidden: list[bool]) -> None:
    """Hide the smallest shown non-zero cells until the hidden ones count at
    least the threshold (or none is left)."""
    total = sum(c for c, h in zip(counts, hidden, strict=True) if h)
    for count, index in sorted((c, i) for i, c in enumerate(counts) if c and not hidden[i]):
        if total >= THRESHOLD:
            return
        hidden[index] = True
        total += count
