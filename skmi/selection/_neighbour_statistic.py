"""The neighbour statistic of a step test: conditional dependence on ranks.

The step test of :mod:`skmi.selection._steptest` needs a statistic cheap
enough to recompute for every candidate and every permutation of the
target: :class:`NeighbourDependence`, a form of the nearest-neighbour
conditional dependence coefficient of Azadkia and Chatterjee (2021),
averaged over ``k`` neighbours as proposed by Lin and Han (2023), on the
absolute differences of the target's ranks. Its neighbour lists depend on
the features only, so they are built once per step; a permutation of the
target only gathers ranks.

References
----------
.. [1] M. Azadkia and S. Chatterjee, "A simple measure of conditional
   dependence", Annals of Statistics 49, 2021.
.. [2] Z. Lin and F. Han, "On boosting the power of Chatterjee's rank
   correlation", Biometrika 110, 2023.
"""

import numpy as np
from scipy.stats import rankdata

from ._permutation import neighbours, query_others

__all__ = ["NeighbourDependence"]

#: neighbours of the dependence statistic
N_NEIGHBOURS = 20
#: the neighbours in (Z, X_k) are sought among this many times as many
#: nearest neighbours in Z
N_CANDIDATE_NEIGHBOURS = 5
#: largest number of stored neighbour indices (rows x candidates x k); the
#: neighbours of further candidates are sought again for each permutation batch
MAX_NEIGHBOUR_ENTRIES = 20_000_000


def _ranks(values):
    """``R_i = #{j : y_j <= y_i}`` (ties share the largest rank).

    The smallest integer type that holds them: a permutation's statistics
    are gathers of ranks, whose cost is memory traffic.
    """
    ranks = rankdata(values, method="max")
    return ranks.astype(np.int16 if ranks.size <= np.iinfo(np.int16).max else np.int32)


def _mean_gap_all(ranks):
    """``mean_{j != i} |R_i - R_j|`` for every ``i`` (the empty conditioning)."""
    n = ranks.shape[0]
    ranks = ranks.astype(np.float64)
    s = np.sort(ranks)
    below = np.searchsorted(s, ranks, side="left")
    above = np.searchsorted(s, ranks, side="right")
    cums = np.concatenate([[0.0], np.cumsum(s)])
    total = ranks * below - cums[below] + (cums[n] - cums[above]) - ranks * (n - above)
    return total / max(n - 1, 1)


class NeighbourDependence:
    """Conditional dependence of a target on each candidate given ``Z``.

    For candidate ``X_k`` the statistic compares how close the target's
    ranks are among neighbours in ``(Z, X_k)`` and among neighbours in ``Z``:

    ``T_k = 1 - sum_i a_k(i) / sum_i b_k(i)``,

    with ``R_i`` the rank of ``Y_i``, ``a_k(i)`` the mean of
    ``|R_i - R_j|`` over the ``k`` nearest neighbours ``j`` of sample ``i``
    in ``(Z, X_k)`` and ``b_k(i)`` the same over its neighbours in ``Z``
    alone (over all other samples when ``Z`` is empty). ``T_k`` is near zero
    when ``Y`` is independent of ``X_k`` given ``Z`` and one when ``Y`` is a
    function of ``(Z, X_k)``; it sees any kind of dependence, and its
    neighbour lists depend on the features only.

    It is the ``k``-neighbour coefficient of Azadkia and Chatterjee with
    ``|R_i - R_j|`` in place of ``min(R_i, R_j)``. As ``min(a, b) = (a + b -
    |a - b|) / 2``, theirs adds the level of the neighbours' ranks,
    ``sum_i sum_j R_j``: each sample's rank weighted by how often it is a
    neighbour. Neighbours drawn from a pool in ``Z`` lie towards the middle
    of ``X_k`` (its tails have few samples), so for a target that is an even
    function of ``X_k`` (``|x|``, ``x^2``) the neighbours' targets lie low
    and that level pulls the coefficient below zero, below every candidate
    without information: with ``y`` the sum of five selected features plus
    ``|x|`` and noise, ``x`` scored 4 standard deviations below 30 noise
    candidates with ``min``, 4.7 above with ``|R_i - R_j|`` (500 rows).
    The level carries no information on whether close samples have close
    targets, which is what a test of conditional dependence asks.

    The neighbours in ``(Z, X_k)`` are the ``k`` nearest among the
    ``N_CANDIDATE_NEIGHBOURS * k`` nearest in ``Z`` (one tree query per
    step, then a partial sort per candidate): exact unless a true neighbour
    lies outside that pool, and, like any choice that ignores ``Y``, without
    effect on the validity of a permutation test.

    The baseline ``b_k(i)`` is taken at the candidate's own distance: over
    the neighbours of ``i`` in ``Z`` that lie within the ``Z``-distance of
    its farthest neighbour in ``(Z, X_k)`` (at least the ``k`` nearest).
    A neighbour in ``(Z, X_k)`` must be close in ``X_k`` too, so it lies
    farther in ``Z`` than the ``k`` nearest in ``Z`` do, most of all for a
    categorical candidate, whose neighbours share its level. Against the
    ``k`` nearest in ``Z`` a candidate without information would score below
    zero, by an amount that depends on the candidate and that permutations
    of the target among neighbours in ``Z`` (which blur its relation with
    ``Z``) do not reproduce: its statistic then sits low in its own
    permutation distribution, and the largest statistic over candidates of
    different kinds misses a categorical candidate that carries information.
    At the matched distance, the neighbours in ``(Z, X_k)`` of a candidate
    without information are a random part of the baseline's.

    Parameters
    ----------
    z : ndarray of shape (n, d) or None
        Test coordinates of the conditioning set.
    candidates : list of ndarray of shape (n, d_k)
        Test coordinates of each candidate.
    ranks : ndarray of shape (n,)
        Ranks of the target (see :func:`_ranks`).
    k : int
        Number of neighbours.
    workers : int
        Threads of the neighbour queries.
    """

    def __init__(self, z, candidates, ranks, k=N_NEIGHBOURS, workers=1):
        n = ranks.shape[0]
        self.ranks = ranks
        self.k = k = max(1, min(k, n - 1))
        self.candidates, self.workers = candidates, workers
        if z is None:
            self.pool = self.dist = None
            self._b_of_rank = _mean_gap_all(ranks)
        else:
            # the neighbours in (Z, X_k) are sought among the m nearest in Z
            m = min(n - 1, N_CANDIDATE_NEIGHBOURS * k)
            self.dist, self.pool = query_others(z, m, workers)
        # the neighbour lists (and baseline sizes) of as many candidates as
        # the memory budget holds are kept; the others are sought again at
        # each call
        self.n_kept = min(len(candidates), MAX_NEIGHBOUR_ENTRIES // max(1, n * k))
        self.nbrs = np.empty((self.n_kept, n, k), dtype=np.int32)
        self.reach = None
        if self.pool is not None:
            size = np.min_scalar_type(self.pool.shape[1])
            self.reach = np.empty((self.n_kept, n), dtype=size)
        for c in range(self.n_kept):
            self.nbrs[c], reach = self._neighbours(c)
            if reach is not None:
                self.reach[c] = reach

    def _neighbours(self, c):
        """The ``k`` nearest neighbours of every sample in ``(Z, X_c)``, and
        how many of its nearest in ``Z`` lie as close in ``Z`` as the
        farthest of them (None without ``Z``)."""
        x, k = self.candidates[c], self.k
        if self.pool is None:
            return neighbours(x, k, workers=self.workers), None
        m = self.pool.shape[1]
        if k >= m:
            return self.pool, np.full(self.pool.shape[0], m)
        d = np.abs(x[self.pool] - x[:, None, :]).max(axis=2)
        np.maximum(d, self.dist, out=d)
        nearest = np.argpartition(d, k - 1, axis=1)[:, :k]
        radius = np.take_along_axis(self.dist, nearest, axis=1).max(axis=1)
        reach = np.count_nonzero(self.dist <= radius[:, None], axis=1)
        return np.take_along_axis(self.pool, nearest, axis=1), reach

    def _candidate(self, c):
        """Neighbour lists and baseline sizes of candidate ``c`` (see
        :meth:`_neighbours`)."""
        if c >= self.n_kept:
            return self._neighbours(c)
        return self.nbrs[c], None if self.reach is None else self.reach[c]

    @staticmethod
    def _mean_gap(r, nbrs):
        """``sum_i mean_j |r_i - r_j|`` over the neighbours ``nbrs`` of ``i``.

        Integer ranks: the sums are exact, whatever the order of summation.
        A row's sum over its neighbours fits 32 bits when the ranks fit 16
        (the cheaper accumulation), the sum over rows is taken in 64.
        """
        gathered = r[:, nbrs]
        np.subtract(gathered, r[:, :, None], out=gathered)
        np.abs(gathered, out=gathered)
        per_row = np.int32 if r.dtype == np.int16 else np.int64
        per_row = gathered.sum(axis=2, dtype=per_row)
        return per_row.sum(axis=1, dtype=np.int64) / nbrs.shape[1]

    def _baselines(self, r, permutations):
        """``b_k = sum_i b_k(i)`` for each permutation (whose ranks are
        ``r``), as a function of a candidate's baseline sizes."""
        if self.pool is None:
            b = self._b_of_rank[permutations].sum(axis=1)
            return lambda reach: b
        # running sums of |R_i - R_j| along each sample's neighbours in Z,
        # nearest first: a baseline is one entry per sample
        gathered = r[:, self.pool]
        np.subtract(gathered, r[:, :, None], out=gathered)
        np.abs(gathered, out=gathered)
        running = np.cumsum(gathered, axis=2, dtype=np.int64)
        rows = np.arange(r.shape[1])

        def baseline(reach):
            reach = reach.astype(np.intp)
            return (running[:, rows, reach - 1] / reach).sum(axis=1)

        return baseline

    def scores(self, permutations):
        """Statistics of every candidate for each permuted target.

        Parameters
        ----------
        permutations : ndarray of shape (b, n)
            Row ``b`` gives sample ``i`` the target of sample ``perm[b, i]``.

        Returns
        -------
        ndarray of shape (b, n_candidates)
        """
        r = self.ranks[permutations]
        baseline = self._baselines(r, permutations)
        out = np.zeros((r.shape[0], len(self.candidates)))
        for c in range(len(self.candidates)):
            nbrs, reach = self._candidate(c)
            b = baseline(reach)
            positive = b > 0
            a = self._mean_gap(r, nbrs)
            out[positive, c] = (b - a)[positive] / b[positive]
        return out
