"""Shared k-nearest-neighbour machinery in the maximum norm.

All distances are maximum-norm (Chebyshev) distances and all ball counts are
*strict*: a point ``j`` is counted around ``i`` when ``d(i, j) < r``. Strict
inequality is evaluated exactly as ``d <= nextafter(r, 0)``.

One-dimensional counts use ``searchsorted`` on a column sorted once,
followed by a repair of the boundary with the true distance test, so they
equal a brute-force count bit for bit; the search bounds are sorted before
they are searched, which keeps the searches cache-friendly. One-dimensional
k-th distances need no tree: in a sorted block the neighbours of a point
form a contiguous window, so the within-class distances of all classes are
one vectorised pass over the column sorted and then stably partitioned by
class (:func:`kth_distance_blocks`). Trees are queried in their own,
spatially local, point order.

Ball counts in two or more dimensions use scikit-learn's ``KDTree`` with the
Chebyshev metric: it counts a node lying wholly inside a ball by its size,
where scipy's ``cKDTree.query_ball_point`` visits every point of such a node,
so its cost grows with the counts. Both compare the same max-norm distances
with the same radius, so the counts are identical. This is the one import of
the kernels beyond numpy and scipy (``sklearn.neighbors``, here only); the
k-th neighbour distances stay with scipy's ``cKDTree``, the faster of the two
for them.
"""

import numpy as np
from scipy.spatial import cKDTree
from sklearn.neighbors import KDTree

__all__ = [
    "BallCounter",
    "below",
    "count_strict",
    "count_strict_sorted",
    "kth_distance",
    "kth_distance_blocks",
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
        order = np.argsort(points[:, 0])
        out = np.empty(points.shape[0])
        out[order] = kth_distance_sorted(points[order, 0], k)
        return out
    # An unbalanced tree without shrunk node boxes builds faster, and
    # querying the points in the tree's own (spatially local) order is
    # cache-friendly; the distances are exact either way.
    tree = cKDTree(points, balanced_tree=False, compact_nodes=False)
    local = tree.indices
    out = np.empty(points.shape[0])
    out[local] = tree.query(tree.data[local], k=[k + 1], p=np.inf)[0][:, 0]
    return out


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
    return kth_distance_blocks(xs, k, np.array([xs.shape[0]]))


def kth_distance_blocks(xs, k, sizes):
    """Within-block k-th neighbour distances of consecutive sorted blocks.

    ``xs`` is the concatenation of blocks of the given sizes, each sorted
    ascending (the samples of each class, say). Each point's distance is
    taken to its ``min(k, size - 1)``-th nearest other point of its own block,
    with the window rule of :func:`kth_distance_sorted`, in one vectorised
    pass over all blocks.

    Parameters
    ----------
    xs : ndarray of shape (n,)
        Blocks of values, each sorted ascending.
    k : int
        ``k >= 1``.
    sizes : ndarray of shape (n_blocks,), int
        Block sizes, summing to ``n``.

    Returns
    -------
    distances : ndarray of shape (n,)
        In the order of ``xs``; ``inf`` for the points of blocks of size 1.
    """
    n = xs.shape[0]
    sizes = np.asarray(sizes, dtype=np.intp)
    best = np.full(n, np.inf)
    span = n - k  # number of windows of k + 1 consecutive values
    if span > 0:
        # a window is valid when it lies inside one block
        crossing = None
        if sizes.size > 1:
            block = np.repeat(np.arange(sizes.size, dtype=np.intp), sizes)
            crossing = block[:span] != block[k:]
        lower = xs[:span]
        upper = xs[k:]
        for offset in range(k + 1):
            centre = xs[offset : offset + span]
            width = np.maximum(centre - lower, upper - centre)
            if crossing is not None:
                width[crossing] = np.inf
            window = best[offset : offset + span]
            np.minimum(window, width, out=window)
    # a block of at most k points is its own single window
    small = np.flatnonzero((sizes > 1) & (sizes <= k))
    starts = np.cumsum(sizes) - sizes
    for start, stop in zip(starts[small], starts[small] + sizes[small], strict=True):
        values = xs[start:stop]
        best[start:stop] = np.maximum(values - values[0], values[-1] - values)
    return best


def count_strict_sorted(xs, x, radius):
    """Count the values of ``xs`` strictly within ``radius`` of each ``x``.

    The centres may be in any order: the lower and upper bounds are each
    sorted (argsort) and searched in ascending order, which is markedly faster
    than searching them in centre order, then repaired exactly.

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
        The centre itself is counted when it belongs to ``xs`` and its
        radius is positive.
    """
    r = below(radius)
    lo = _search_sorted_needles(xs, x - r, "left")
    hi = _search_sorted_needles(xs, x + r, "right")
    # Boundary repair: ``x - r`` and ``x + r`` are rounded, so the sorted
    # position may be off by a few elements; fix it with the exact test
    # ``|xs[j] - x| <= r`` (monotone in j on each side of x).
    _repair_lower(xs, x, r, lo)
    _repair_upper(xs, x, r, hi)
    # d < 0 holds for no distance: a zero radius counts nothing, not even the
    # copies of the centre (which the repair above cannot tell apart)
    return np.where(radius > 0, hi - lo, 0).astype(np.int64, copy=False)


def _search_sorted_needles(xs, needles, side):
    """``np.searchsorted(xs, needles, side)``, searching the needles in sorted order.

    Ascending needles let each binary search start where the previous one
    ended (the search keeps the last position as a hint). When many
    needles are out of order (a quarter or more of the consecutive pairs
    descend, as with the bounds of k-NN radii that vary from point to
    point), sorting them first costs less than it saves; bounds that are
    nearly in order already (smooth radii) are searched as they are.
    """
    if np.count_nonzero(needles[1:] < needles[:-1]) < needles.size // 4:
        return np.searchsorted(xs, needles, side=side)
    order = np.argsort(needles)
    out = np.empty(needles.shape[0], dtype=np.intp)
    out[order] = np.searchsorted(xs, needles[order], side=side)
    return out


def _inside(xs, j, x, r):
    return np.abs(xs[j] - x) <= r


def _repair_lower(xs, x, r, lo):
    m = xs.shape[0]
    # One vectorised test of the two elements around every boundary; the
    # loops below then run on the (usually empty) set of wrong boundaries.
    prev = xs.take(lo - 1, mode="clip")
    first = xs.take(lo, mode="clip")
    grow = (lo > 0) & (np.abs(prev - x) <= r)
    shrink = (lo < m) & (first < x) & (np.abs(first - x) > r)
    # extend left while the previous element is inside
    active = np.flatnonzero(grow)
    while active.size:
        lo[active] -= 1
        active = active[lo[active] > 0]
        active = active[_inside(xs, lo[active] - 1, x[active], r[active])]
    # shrink from the left while the first element is outside
    active = np.flatnonzero(shrink)
    while active.size:
        lo[active] += 1
        active = active[lo[active] < m]
        j = lo[active]
        outside = ~_inside(xs, j, x[active], r[active]) & (xs[j] < x[active])
        active = active[outside]


def _repair_upper(xs, x, r, hi):
    m = xs.shape[0]
    following = xs.take(hi, mode="clip")
    last = xs.take(hi - 1, mode="clip")
    grow = (hi < m) & (np.abs(following - x) <= r)
    shrink = (hi > 0) & (last > x) & (np.abs(last - x) > r)
    # extend right while the next element is inside
    active = np.flatnonzero(grow)
    while active.size:
        hi[active] += 1
        active = active[hi[active] < m]
        active = active[_inside(xs, hi[active], x[active], r[active])]
    # shrink from the right while the last element is outside
    active = np.flatnonzero(shrink)
    while active.size:
        hi[active] -= 1
        active = active[hi[active] > 0]
        j = hi[active] - 1
        outside = ~_inside(xs, j, x[active], r[active]) & (xs[j] > x[active])
        active = active[outside]


class BallCounter:
    """Strict max-norm ball counts around the points of one fixed set.

    Built once on ``points`` and queried with many radius vectors (the
    structures of a conditioning set are reused by every candidate of a
    forward-selection step): one dimension keeps the sort of the column,
    more dimensions a ``KDTree`` with the Chebyshev metric.

    Parameters
    ----------
    points : ndarray of shape (n, d), float64
    """

    def __init__(self, points):
        self.points = points
        if points.shape[1] == 1:
            self.order = np.argsort(points[:, 0])
            self.sorted = points[self.order, 0]
            self.tree = None
        else:
            self.tree = KDTree(points, metric="chebyshev")

    def count(self, radius):
        """``#{j : d(i, j) < radius_i}`` for every point ``i`` (itself included).

        Parameters
        ----------
        radius : ndarray of shape (n,)

        Returns
        -------
        counts : ndarray of shape (n,), int64
        """
        radius = np.broadcast_to(
            np.asarray(radius, dtype=np.float64), self.points.shape[:1]
        )
        if self.tree is None:
            counts = np.empty(radius.shape[0], dtype=np.int64)
            xs = self.sorted
            counts[self.order] = count_strict_sorted(xs, xs, radius[self.order])
            return counts
        # ``KDTree`` counts ``d <= r``: strict counts use the float below r
        counts = self.tree.query_radius(self.points, below(radius), count_only=True)
        return counts.astype(np.int64, copy=False)


def count_strict(points, radius):
    """Count points strictly within max-norm ``radius`` of each point.

    Parameters
    ----------
    points : ndarray of shape (n, d), float64
    radius : ndarray of shape (n,)

    Returns
    -------
    counts : ndarray of shape (n,), int64
        Each point counts itself.
    """
    return BallCounter(points).count(radius)
