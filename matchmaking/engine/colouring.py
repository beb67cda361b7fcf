"""Bipartite edge colouring: the slot assignment of a chosen set of meetings.

König's theorem: the edges of a bipartite graph of maximum degree D can be
coloured with D colours so that no two edges at a vertex share a colour. The
constructive proof is the alternating-path (Kempe chain) algorithm used in
:func:`konig_colouring`: to colour edge (u, v), take a colour ``a`` free at
``u`` and ``b`` free at ``v``; if ``a`` is not free at ``v``, swap ``a`` and
``b`` along the a/b path that starts at ``v`` (it cannot reach ``u`` in a
bipartite graph), after which ``a`` is free at both ends. Cost O(|E| * |V|)
in the worst case, far less in practice.

:func:`list_colouring` is the same idea when each vertex may only use some
colours (slots where a person is unavailable): a first-fit greedy with Kempe
swaps that respect availability. It is a heuristic (list edge colouring is
NP-complete); edges it cannot place are reported back to the caller.

Vertices are numbered 0..n-1 (investors first, then companies); the tables
are flat Python lists ``nb[v * colours + c]`` = the neighbour joined to ``v``
by the edge of colour ``c``, or -1.
"""

from __future__ import annotations

from collections.abc import Sequence


def _path(nb: list[int], k: int, start: int, a: int, b: int) -> list[int]:
    """Vertices of the path from ``start`` whose edges alternate colours a, b, a, ..."""
    path = [start]
    x = start
    colour, other = a, b
    while True:
        y = nb[x * k + colour]
        if y < 0:
            return path
        path.append(y)
        x = y
        colour, other = other, colour


def _swap(nb: list[int], k: int, path: list[int], a: int, b: int) -> None:
    for x in path:
        ia, ib = x * k + a, x * k + b
        nb[ia], nb[ib] = nb[ib], nb[ia]


def konig_colouring(n_vertices: int, edges: Sequence[tuple[int, int]], colours: int) -> list[int]:
    """Colour bipartite ``edges`` (u, v) with ``colours`` >= max degree colours.

    Returns the colour of each edge, in edge order. Deterministic: edges are
    coloured in the given order, each with the lowest colour the method allows.
    """
    k = colours
    nb = [-1] * (n_vertices * k)
    for u, v in edges:
        bu, bv = u * k, v * k
        a = nb.index(-1, bu, bu + k) - bu  # lowest colour free at u
        if nb[bv + a] >= 0:
            b = nb.index(-1, bv, bv + k) - bv  # lowest colour free at v
            if nb[bu + b] < 0:
                a = b
            else:
                _swap(nb, k, _path(nb, k, v, a, b), a, b)
        nb[bu + a] = v
        nb[bv + a] = u
    out: list[int] = []
    for u, v in edges:
        bu = u * k
        out.append(nb.index(v, bu, bu + k) - bu)
    return out


def list_colouring(
    n_vertices: int,
    edges: Sequence[tuple[int, int]],
    colours: int,
    available: Sequence[Sequence[bool]],
    *,
    max_swaps: int = 64,
) -> list[int]:
    """Colour ``edges`` where vertex ``x`` may only use colours with ``available[x][c]``.

    Returns a colour per edge, or -1 for an edge the heuristic could not place
    (the others then form a valid partial colouring). Edges with the fewest
    common colours go first, ties in the given order; deterministic.
    """
    k = colours
    nb = [-1] * (n_vertices * k)
    common = [[c for c in range(k) if available[u][c] and available[v][c]] for u, v in edges]
    order = sorted(range(len(edges)), key=lambda e: (len(common[e]), e))
    result = [-1] * len(edges)

    def can_swap(path: list[int], a: int, b: int) -> bool:
        # Edge j of the path (path[j], path[j+1]) has colour a for even j, b
        # for odd j, and takes the other colour after the swap.
        for j in range(len(path) - 1):
            new = b if j % 2 == 0 else a
            if not (available[path[j]][new] and available[path[j + 1]][new]):
                return False
        return True

    for e in order:
        u, v = edges[e]
        bu, bv = u * k, v * k
        placed = -1
        for c in common[e]:
            if nb[bu + c] < 0 and nb[bv + c] < 0:
                placed = c
                break
        if placed < 0:
            tries = 0
            for a in common[e]:
                if tries >= max_swaps:
                    break
                # Make a free at the end(s) where it is taken, by an a/b swap
                # along the path from that end, with b free there.
                ends = [x for x in (u, v) if nb[x * k + a] >= 0]
                if len(ends) != 1:
                    continue
                x = ends[0]
                for b in range(k):
                    if b == a or nb[x * k + b] >= 0:
                        continue
                    tries += 1
                    path = _path(nb, k, x, a, b)
                    if path[-1] in (u, v) or not can_swap(path, a, b):
                        continue
                    _swap(nb, k, path, a, b)
                    placed = a
                    break
                if placed >= 0:
                    break
        if placed >= 0:
            nb[bu + placed] = v
            nb[bv + placed] = u
    for e, (u, v) in enumerate(edges):
        bu = u * k
        for c in range(k):
            if nb[bu + c] == v:
                result[e] = c
                break
    return result
