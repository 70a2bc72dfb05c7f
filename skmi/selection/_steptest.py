"""Testing a step of a forward search: is any conditional information left?

A step of a greedy search picks the best of many candidates, so the chosen
candidate's statistic is judged against the null distribution of the
*maximum* statistic over all candidates, by the sequential max-statistic
permutation test of :mod:`skmi.selection._permutation` (its permutations
respect the selected set: free for an empty set, within strata for a
discrete one, local among neighbours otherwise). This module provides the
statistic, cheap enough to recompute for every candidate and every
permutation (:class:`NeighbourDependence`): the nearest-neighbour
conditional dependence coefficient of Azadkia and Chatterjee (2021),
averaged over ``k`` neighbours as proposed by Lin and Han (2023). Its
neighbour lists depend on the features only, so they are built once per
step; a permutation of the target only gathers ranks.

:class:`StepTester` puts them together for a forward search: it holds a
random subsample of the rows (in random order, so that a sorted data set
cannot leak through the order of tied neighbours) with every column turned
into test coordinates, and tests a step given the selected set, the
remaining candidates and the chosen one.

References
----------
.. [1] P. H. Westfall and S. S. Young, "Resampling-Based Multiple Testing",
   Wiley, 1993.
.. [2] J. Besag and P. Clifford, "Sequential Monte Carlo p-values",
   Biometrika 78, 1991.
.. [3] J. Runge, "Conditional independence testing based on a
   nearest-neighbor estimator of conditional mutual information", AISTATS
   2018.
.. [4] M. Azadkia and S. Chatterjee, "A simple measure of conditional
   dependence", Annals of Statistics 49, 2021.
.. [5] Z. Lin and F. Han, "On boosting the power of Chatterjee's rank
   correlation", Biometrika 110, 2023.
"""

import numpy as np
from scipy.stats import rankdata

from ..estimators._codes import factorize, joint_codes
from ..estimators._sparse import SparseColumns
from ._permutation import (
    StepTest,
    decisive_exceedances,
    free_permutations,
    local_permutations,
    neighbours,
    query_others,
    sequential_pvalue,
    stratum_permutations,
)

__all__ = [
    "NeighbourDependence",
    "StepTester",
    # the permutation test itself lives in ._permutation (re-exported here for
    # the forward search, which sizes its test with it)
    "decisive_exceedances",
]

#: neighbours of the dependence statistic
N_NEIGHBOURS = 20
#: the neighbours in (Z, X_k) are sought among this many times as many
#: nearest neighbours in Z
N_CANDIDATE_NEIGHBOURS = 5
#: neighbours in Z among which a local permutation draws
N_PERMUTATION_NEIGHBOURS = 3
#: largest number of rows a step test uses (a random subsample beyond)
MAX_SAMPLES = 5000
#: largest number of stored neighbour indices (rows x candidates x k)
MAX_NEIGHBOUR_ENTRIES = 20_000_000
#: separation of the levels of a categorical coordinate (continuous
#: coordinates lie in [0, 1], so in the max-norm two samples with different
#: levels are farther apart than any two with the same levels)
_LEVEL_GAP = 2.0


# --------------------------------------------------------------------------
# the statistic
# --------------------------------------------------------------------------
def _ranks(values):
    """``R_i = #{j : y_j <= y_i}`` (ties share the largest rank).

    The smallest integer type that holds them: a permutation's statistics
    are gathers of ranks, whose cost is memory traffic.
    """
    ranks = rankdata(values, method="max")
    return ranks.astype(np.int16 if ranks.size <= np.iinfo(np.int16).max else np.int32)


def _mean_min_all(ranks):
    """``mean_{j != i} min(R_i, R_j)`` for every ``i`` (the empty conditioning)."""
    n = ranks.shape[0]
    ranks = ranks.astype(np.float64)
    s = np.sort(ranks)
    below = np.searchsorted(s, ranks, side="left")
    cums = np.concatenate([[0.0], np.cumsum(s)])
    total = cums[below] + ranks * (n - below)
    return (total - ranks) / max(n - 1, 1)


class NeighbourDependence:
    """Conditional dependence of a target on each candidate given ``Z``.

    For candidate ``X_k`` the statistic is the ``k``-neighbour form of
    Azadkia and Chatterjee's coefficient

    ``T_k = sum_i [a_k(i) - b(i)] / sum_i [R_i - b(i)]``,

    with ``R_i`` the rank of ``Y_i``, ``a_k(i)`` the mean of
    ``min(R_i, R_j)`` over the ``k`` nearest neighbours ``j`` of sample ``i``
    in ``(Z, X_k)`` and ``b(i)`` the same over its neighbours in ``Z`` (over
    all other samples when ``Z`` is empty). ``T_k`` estimates a measure that
    is zero iff ``Y`` is independent of ``X_k`` given ``Z`` and one iff ``Y``
    is a function of ``(Z, X_k)``; it sees any kind of dependence, and its
    neighbour lists depend on the features only.

    The neighbours in ``(Z, X_k)`` are the ``k`` nearest among the
    ``N_CANDIDATE_NEIGHBOURS * k`` nearest in ``Z`` (one tree query per
    step, then a partial sort per candidate): exact unless a true neighbour
    lies outside that pool, and, like any choice that ignores ``Y``, without
    effect on the validity of a permutation test.

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
        self.nbrs = np.empty((len(candidates), n, k), dtype=np.int32)
        if z is None:
            self.z_nbrs = None
            self._b_of_rank = _mean_min_all(ranks)
            for c, x in enumerate(candidates):
                self.nbrs[c] = neighbours(x, k, workers=workers)
            return
        # the neighbours in (Z, X_k) are sought among the m nearest in Z
        m = min(n - 1, N_CANDIDATE_NEIGHBOURS * k)
        dist, pool = query_others(z, m, workers)
        self.z_nbrs = pool[:, :k]
        for c, x in enumerate(candidates):
            d = np.abs(x[pool] - x[:, None, :]).max(axis=2)
            np.maximum(d, dist, out=d)
            nearest = np.argpartition(d, k - 1, axis=1)[:, :k] if k < m else None
            self.nbrs[c] = (
                pool if nearest is None else np.take_along_axis(pool, nearest, axis=1)
            )

    @staticmethod
    def _mean_min(r, nbrs):
        """``sum_i mean_j min(r_i, r_j)`` over the neighbours ``nbrs`` of ``i``.

        Integer ranks: the sums are exact, whatever the order of summation.
        """
        gathered = r[:, nbrs]
        np.minimum(r[:, :, None], gathered, out=gathered)
        return gathered.sum(axis=(1, 2), dtype=np.int64) / nbrs.shape[1]

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
        total = r.sum(axis=1, dtype=np.int64)
        if self.z_nbrs is None:
            b = self._b_of_rank[permutations].sum(axis=1)
        else:
            b = self._mean_min(r, self.z_nbrs)
        denominator = total - b
        out = np.empty((r.shape[0], self.nbrs.shape[0]))
        for c in range(self.nbrs.shape[0]):
            out[:, c] = self._mean_min(r, self.nbrs[c]) - b
        positive = denominator > 0
        out[positive] /= denominator[positive, None]
        out[~positive] = 0.0
        return out


# --------------------------------------------------------------------------
# the test of a forward step
# --------------------------------------------------------------------------
def _coordinates(variable, categorical):
    """Test coordinates of one prepared column on the test rows.

    Continuous values become their ranks scaled to [0, 1]; ordinal codes
    (binned continuous columns) their codes scaled to [0, 1]; categorical
    codes are spread ``_LEVEL_GAP`` apart, so that neighbours share the
    level wherever the level has enough samples.
    """
    n = variable.n_samples
    parts = []
    if variable.continuous is not None:
        for col in variable.continuous.T:
            parts.append((rankdata(col) - 1.0) / max(n - 1, 1))
    if variable.codes is not None:
        codes = variable.codes.astype(np.float64)
        if categorical:
            parts.append(_LEVEL_GAP * codes)
        else:
            parts.append(codes / max(variable.n_levels - 1, 1))
    return np.column_stack(parts) if parts else np.zeros((n, 1))


class StepTester:
    """The test of each step of a forward search.

    Built once per search: it draws the test rows (all rows in random order,
    or a random subsample of ``max_samples`` rows, fewer when many
    candidates would need more than ``MAX_NEIGHBOUR_ENTRIES`` stored
    neighbours), turns every column into test coordinates and ranks the
    target. :meth:`test` then tests one step: the chosen candidate's
    statistic against the maximum statistic over all candidates, for
    targets permuted within the selected set's strata (all selected columns
    categorical), locally among neighbours in the selected set (otherwise)
    or freely (no feature selected yet).

    Parameters
    ----------
    columns : list of Variable
        Prepared features.
    target : Variable
        Prepared target.
    categorical : ndarray of shape (n_columns,), bool
        Which columns are categorical (their codes have no order); the codes
        of the other discrete columns (binned continuous columns) are
        ordinal.
    rng : numpy.random.RandomState
        Source of the subsample and of every permutation.
    n_permutations : int
        Largest number of permutations per step.
    n_exceed : int
        Exceedances after which a step's drawing stops.
    max_samples : int, default=MAX_SAMPLES
    workers : int, default=1
    """

    def __init__(
        self,
        columns,
        target,
        categorical,
        rng,
        n_permutations,
        n_exceed,
        max_samples=MAX_SAMPLES,
        workers=1,
    ):
        n = target.n_samples
        budget = MAX_NEIGHBOUR_ENTRIES // (N_NEIGHBOURS * max(1, len(columns)))
        m = int(min(n, max_samples, max(budget, 100)))
        self.rows = rng.permutation(n)[:m]
        self.n_samples = m
        self.rng = rng
        self.n_permutations = n_permutations
        self.n_exceed = n_exceed
        self.workers = workers
        self.categorical = np.asarray(categorical, dtype=bool)
        if isinstance(columns, SparseColumns):
            # the rows first, then one column at a time: no dense copy
            self.columns = list(columns.take(self.rows))
        else:
            self.columns = [c.take(self.rows) for c in columns]
        self.coords = [
            _coordinates(c, cat)
            for c, cat in zip(self.columns, self.categorical, strict=True)
        ]
        y = target.take(self.rows)
        self.ranks = _ranks(y.continuous[:, 0] if y.continuous is not None else y.codes)

    def permutation_sampler(self, selected):
        """``draw(b)`` giving ``b`` target permutations that respect ``selected``."""
        rng, m = self.rng, self.n_samples
        if not selected:
            return lambda b: free_permutations(m, b, rng)
        if self.categorical[selected].all():
            cols = [self.columns[j] for j in selected]
            strata, _ = factorize(
                joint_codes([c.codes for c in cols], [c.n_levels for c in cols])[0]
            )
            return lambda b: stratum_permutations(strata, b, rng)
        z = np.hstack([self.coords[j] for j in selected])
        k = max(1, min(N_PERMUTATION_NEIGHBOURS, m))
        wide = min(m, N_CANDIDATE_NEIGHBOURS * k)
        nbrs = neighbours(z, wide, include_self=True, workers=self.workers)
        return lambda b: local_permutations(nbrs, b, rng, k)

    def statistic(self, selected, candidates):
        """The dependence statistic of ``candidates`` given ``selected``."""
        z = np.hstack([self.coords[j] for j in selected]) if selected else None
        return NeighbourDependence(
            z,
            [self.coords[k] for k in candidates],
            self.ranks,
            workers=self.workers,
        )

    def test(self, selected, candidates):
        """Test the step whose candidates are ``candidates``.

        The observed statistic is the largest over the candidates, so the
        test rejects only if some candidate carries conditional information;
        :meth:`StepTest.pvalue_at` on the returned test (with the statistic
        of the candidate a criterion chooses, :attr:`observed`) then gives
        the p-value of that candidate against the same null maxima.

        Returns
        -------
        StepTest
        """
        self.candidates = [int(k) for k in candidates]
        self.observed = np.zeros(len(self.candidates))
        if self.n_samples < 3 or not self.candidates:
            return StepTest(1.0, 0, np.zeros(0), 0, 1)
        stat = self.statistic(list(selected), self.candidates)
        identity = np.arange(self.n_samples)[None, :]
        self.observed = stat.scores(identity)[0]
        return sequential_pvalue(
            float(self.observed.max()),
            stat.scores,
            self.permutation_sampler(list(selected)),
            self.n_permutations,
            self.n_exceed,
        )

    def observed_of(self, k):
        """The observed statistic of candidate ``k`` in the last :meth:`test`."""
        return float(self.observed[self.candidates.index(int(k))])
