"""Shared k-nearest-neighbour machinery in the maximum norm.

All distances are maximum-norm (Chebyshev) distances and all ball counts are
*strict*: a point ``j`` is counted around ``i`` when ``d(i, j) < r``. Strict
inequality is evaluated exactly as ``d <= nextafter(r, 0)``.

One-dimensional counts use ``searchsorted`` on a column sorted once, followed
by a repair of the boundary with the true distance test, so they equal a
brute-force count bit for bit.
"""

import numpy as np
from scipy.spatial import cKDTree

__all__ = [
    "below",
    "count_strict",
    "count_strict_sorted",
    "kth_distance",
    "kth_distance_sorted",
]


def below(r):
    """The largest float smaller than ``r`` (so ``d < r`` iff ``d <= below(r)``)."""
    return np.nextafter(r, -np.inf)


def kth_distance(points, k):
    """Max-norm distance from each point to its ``k``-th nearest other point.

    Parameters
    ----------
    points : ndarray of shape (n, d), float64
    k : int
        ``1 <= k < n``.

    Returns
    -------
    distances : ndarray of shape (n,)
    """
    if points.shape[1] == 1:
        order = np.argsort(points[:, 0], kind="stable")
        return kth_distance_sorted(points[order, 0], k)[np.argsort(order)]
    tree = cKDTree(points)
    dist, _ = tree.query(points, k=k + 1, p=np.inf)
    return dist[:, k]


def kth_distance_sorted(xs, k):
    """k-th neighbour distance of each point of a sorted 1-D array.

    Within a sorted array the ``k`` nearest neighbours of a point, together
    with the point itself, form a contiguous window of ``k + 1`` values, so the
    ``k``-th distance is the smallest, over the ``k + 1`` windows containing
    the point, of the larger of the distances to the window's two ends.

    Parameters
    ----------
    xs : ndarray of shape (n,), sorted ascending
    k : int
        ``1 <= k < n``.

    Returns
    -------
    distances : ndarray of shape (n,), in the sorted order.
    """
    n = xs.shape[0]
    idx = np.arange(n)
    best = np.full(n, np.inf)
    for offset in range(k + 1):
        start = idx - offset
        stop = start + k
        valid = (start >= 0) & (stop < n)
        s = start[valid]
        i = idx[valid]
        width = np.maximum(xs[i] - xs[s], xs[s + k] - xs[i])
        best[i] = np.minimum(best[i], width)
    return best


def count_strict_sorted(xs, x, radius):
    """Count the values of ``xs`` strictly within ``radius`` of each ``x``.

    Parameters
    ----------
    xs : ndarray of shape (m,), sorted ascending
        The values to count.
    x : ndarray of shape (n,)
        Centres.
    radius : ndarray of shape (n,)
        Radii; a value ``v`` is counted when ``|v - x| < radius``.

    Returns
    -------
    counts : ndarray of shape (n,), int64
        The centre itself is counted when it belongs to ``xs``.
    """
    m = xs.shape[0]
    r = below(radius)
    lo = np.searchsorted(xs, x - r, side="left")
    hi = np.searchsorted(xs, x + r, side="right")
    # Boundary repair: ``x - r`` and ``x + r`` are rounded, so the sorted
    # position may be off by a few elements; fix it with the exact test
    # ``|xs[j] - x| <= r`` (monotone in j on each side of x).
    _repair_lower(xs, x, r, lo)
    _repair_upper(xs, x, r, hi, m)
    return hi - lo


def _repair_lower(xs, x, r, lo):
    # extend left while the previous element is inside
    active = np.flatnonzero(lo > 0)
    while active.size:
        j = lo[active] - 1
        inside = np.abs(xs[j] - x[active]) <= r[active]
        active = active[inside]
        lo[active] -= 1
        active = active[lo[active] > 0]
    # shrink from the left while the first element is outside
    active = np.flatnonzero(lo < xs.shape[0])
    while active.size:
        j = lo[active]
        outside = (np.abs(xs[j] - x[active]) > r[active]) & (xs[j] < x[active])
        active = active[outside]
        lo[active] += 1
        active = active[lo[active] < xs.shape[0]]


def _repair_upper(xs, x, r, hi, m):
    # extend right while the next element is inside
    active = np.flatnonzero(hi < m)
    while active.size:
        j = hi[active]
        inside = np.abs(xs[j] - x[active]) <= r[active]
        active = active[inside]
        hi[active] += 1
        active = active[hi[active] < m]
    # shrink from the right while the last element is outside
    active = np.flatnonzero(hi > 0)
    while active.size:
        j = hi[active] - 1
        outside = (np.abs(xs[j] - x[active]) > r[active]) & (xs[j] > x[active])
        active = active[outside]
        hi[active] -= 1
        active = active[hi[active] > 0]


def count_strict(points, radius, tree=None):
    """Count points strictly within max-norm ``radius`` of each point.

    Parameters
    ----------
    points : ndarray of shape (n, d), float64
    radius : ndarray of shape (n,)
    tree : cKDTree, optional
        A tree already built on ``points``.

    Returns
    -------
    counts : ndarray of shape (n,), int64
        Each point counts itself.
    """
    if points.shape[1] == 1:
        x = points[:, 0]
        return count_strict_sorted(np.sort(x), x, radius)
    if tree is None:
        tree = cKDTree(points)
    counts = tree.query_ball_point(points, below(radius), p=np.inf, return_length=True)
    return np.asarray(counts, dtype=np.int64)
