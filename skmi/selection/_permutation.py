"""Permutation tests: every Monte Carlo test of the selection layer.

Both selectors judge an observed statistic against the same statistic on
permuted targets. This module holds every piece of those tests, each usable
on its own:

* **the tie rule** (:func:`reaches`): a permuted statistic *reaches* the
  observed one ``t`` when it is at least ``t - TIES * (1 + |t|)``. A permuted
  table equal to the observed one up to the order of its cells gives the same
  statistic but for rounding; counting such near-ties as exceedances keeps
  every p-value conservative (never below the exact one). Every test below
  uses this rule and nothing else;
* **sequential Monte Carlo p-values** (Besag and Clifford, 1991): drawing
  stops at the ``h``-th permutation that reaches the observed statistic, at
  the ``L``-th draw, with the p-value ``h / L``; when fewer than ``h`` of the
  ``B`` permutations do (``e`` of them), the p-value is the full test's
  ``(1 + e) / (1 + B)``. Both are valid: ``P(p <= u) <= u`` under the null.
  :func:`monte_carlo_pvalues` applies it to each of many columns at once (the
  marginal permutation p-values of ``MutualInfoSelector``);
  :func:`sequential_pvalue` to the maximum over candidates (the step test of
  the forward search and the interaction screen: a max-statistic test in the
  sense of Westfall and Young, so the best of many candidates is judged
  against the null distribution of the best);
  :func:`decisive_exceedances` gives the ``h`` at which a test of level
  ``alpha`` can stop with the full test's decision;
* **permutations that respect a conditioning set** ``Z``: free permutations
  (:func:`free_permutations`, an empty ``Z``), exact within-stratum
  permutations (:func:`stratum_permutations`, a discrete ``Z``), and local
  permutations among nearest neighbours in ``Z`` (:func:`local_permutations`
  after Runge, 2018, with :func:`neighbours`, a continuous or mixed ``Z``).

References
----------
.. [1] J. Besag and P. Clifford, "Sequential Monte Carlo p-values",
   Biometrika 78(2), 1991.
.. [2] P. H. Westfall and S. S. Young, "Resampling-Based Multiple Testing",
   Wiley, 1993.
.. [3] J. Runge, "Conditional independence testing based on a
   nearest-neighbor estimator of conditional mutual information", AISTATS
   2018.
"""

from dataclasses import dataclass

import numpy as np
from joblib import effective_n_jobs
from scipy.spatial import cKDTree
from sklearn.utils.parallel import Parallel, delayed

from ._relevance import chunks

__all__ = [
    "TIES",
    "StepTest",
    "decisive_exceedances",
    "free_permutations",
    "local_permutations",
    "monte_carlo_pvalues",
    "neighbours",
    "reaches",
    "sequential_pvalue",
    "stratum_permutations",
]

#: relative tolerance within which a permuted statistic ties the observed one
TIES = 1e-12
#: permutation seeds of :func:`monte_carlo_pvalues` are drawn in ``[0, _MAX_SEED)``
_MAX_SEED = np.iinfo(np.int32).max
#: permutations of :func:`monte_carlo_pvalues` between two stopping decisions
_BLOCK = 64
#: permutations :func:`sequential_pvalue` draws and scores together
BATCH = 10
#: strata below ``2^_STRATUM_BITS`` share one 64-bit sort key with a uniform
#: key of 53 bits (:func:`stratum_permutations`)
_STRATUM_BITS = 11


def reaches(permuted, observed):
    """Whether each permuted statistic reaches ``observed`` (the tie rule).

    ``permuted >= observed - TIES * (1 + |observed|)``, elementwise (both
    broadcast): statistics equal to the observed one up to rounding count as
    reaching it, which keeps the p-values conservative.

    Examples
    --------
    >>> from skmi.selection._permutation import reaches
    >>> reaches(np.array([0.3, 0.5 - 1e-15, 0.7]), 0.5).tolist()
    [False, True, True]
    """
    observed = np.asarray(observed, dtype=np.float64)
    return permuted >= observed - TIES * (1.0 + np.abs(observed))


def decisive_exceedances(alpha, n_permutations):
    """Smallest number of exceedances at which a test of level ``alpha`` accepts.

    With ``B = n_permutations`` permutations and ``e`` exceedances the full
    Monte Carlo test rejects iff ``(1 + e) / (1 + B) <= alpha``; once ``e``
    reaches the returned count, no further draw can change that decision.
    """
    return int(np.floor(alpha * (n_permutations + 1) - 1 + 1e-9)) + 1


# --------------------------------------------------------------------------
# the sequential test of a maximum statistic
# --------------------------------------------------------------------------
@dataclass
class StepTest:
    """Outcome of a sequential Monte Carlo test."""

    pvalue: float  #: Monte Carlo p-value
    n_permutations: int  #: permutations needed for the decision
    null: np.ndarray = None  #: maxima of the permuted statistics drawn, in order
    max_permutations: int = 0  #: largest number of permutations
    n_exceed: int = 1  #: exceedances that stop the drawing
    #: permutations among the ``n_permutations`` that reached the statistic
    n_reached: int = 0

    def _at(self, observed):
        hits = np.cumsum(reaches(self.null, observed))
        if hits.size and hits[-1] >= self.n_exceed:
            stop = int(np.searchsorted(hits, self.n_exceed)) + 1
            return self.n_exceed / stop, stop, self.n_exceed
        if self.null.size < self.max_permutations:
            raise ValueError("the draws stopped before this statistic's decision")
        exceed = int(hits[-1]) if hits.size else 0
        return (1.0 + exceed) / (1.0 + self.max_permutations), self.null.size, exceed

    @property
    def stopped_early(self):
        """Whether the drawing stopped at the ``n_exceed``-th exceedance."""
        return self.n_reached >= self.n_exceed and self.n_permutations > 0

    def describe(self):
        """The p-value as a sentence: its value, or its bound after an early stop.

        After an early stop at the ``e``-th exceedance among ``L`` of at most
        ``B`` permutations, the full test's p-value is at least
        ``(1 + e) / (1 + B)``, whatever the draws not made.

        Examples
        --------
        >>> from skmi.selection._permutation import StepTest
        >>> StepTest(1.0, 1, np.ones(1), 19, 1, 1).describe()
        'p >= 0.1 after 1 of 19 permutations'
        >>> StepTest(0.05, 19, np.zeros(19), 19, 1, 0).describe()
        'p = 0.05 after 19 of 19 permutations'
        """
        if self.stopped_early and self.n_permutations < self.max_permutations:
            bound = (1.0 + self.n_reached) / (1.0 + self.max_permutations)
            head = f"p >= {bound:.2g}"
        else:
            head = f"p = {self.pvalue:.3g}"
        drawn = f"{self.n_permutations} of {self.max_permutations}"
        return f"{head} after {drawn} permutations"

    def pvalue_at(self, observed):
        """The test of a lower ``observed`` statistic on the same draws.

        Valid for any statistic at most the one tested: its exceedances
        include the tested one's, so the sequential test of it would have
        stopped no later than these draws did.
        """
        pvalue, used, reached = self._at(observed)
        return StepTest(
            pvalue, used, self.null, self.max_permutations, self.n_exceed, reached
        )


def sequential_pvalue(observed, score, draw, n_permutations, n_exceed, batch=BATCH):
    """Sequential Monte Carlo p-value of a maximum statistic (Besag-Clifford).

    Permutations are drawn ``batch`` at a time; each is scored for every
    candidate and its maximum compared with ``observed`` (:func:`reaches`).
    Drawing stops at the ``n_exceed``-th permutation whose maximum reaches
    ``observed`` (the p-value is then ``n_exceed / L`` with ``L``
    permutations drawn) or after ``n_permutations`` permutations (the
    p-value is then ``(1 + e) / (1 + n_permutations)`` with ``e``
    exceedances).

    Parameters
    ----------
    observed : float
        The statistic of the tested candidate on the data.
    score : callable
        ``score(permutations)`` takes an int array of shape ``(b, n)`` and
        returns the statistics of every candidate for each permutation, an
        array of shape ``(b, n_candidates)``.
    draw : callable
        ``draw(b)`` returns ``b`` permutations, an int array ``(b, n)``; its
        random numbers are drawn in the calling process.
    n_permutations : int
        Largest number of permutations.
    n_exceed : int
        Number of exceedances after which the drawing stops.
    batch : int, default=BATCH
        Permutations drawn and scored together (a constant, so results do not
        depend on anything but the random state).

    Returns
    -------
    StepTest
        Its ``null`` holds the maxima drawn, in order, so that
        :meth:`StepTest.pvalue_at` gives the p-value of any lower observed
        statistic on the same draws.
    """
    maxima = []
    used = 0
    while used < n_permutations:
        b = min(batch, n_permutations - used)
        maxima.append(np.max(score(draw(b)), axis=1))
        used += b
        if np.sum(reaches(np.concatenate(maxima), observed)) >= n_exceed:
            break
    test = StepTest(1.0, 0, np.concatenate(maxima), n_permutations, n_exceed)
    return test.pvalue_at(observed)


# --------------------------------------------------------------------------
# the sequential test of each of many statistics
# --------------------------------------------------------------------------
def _hits(statistic, observed, n_samples, seeds):
    """``statistic(order_b)`` reaches ``observed``, one row per seed."""
    rows = np.zeros((len(seeds), observed.shape[0]), dtype=bool)
    for i, seed in enumerate(seeds):
        order = np.random.RandomState(seed).permutation(n_samples)
        rows[i] = reaches(statistic(order), observed)
    return rows


def _block_hits(statistic, observed, n_samples, seeds, n_jobs):
    if effective_n_jobs(n_jobs) == 1:
        return _hits(statistic, observed, n_samples, seeds)
    return np.vstack(
        Parallel(n_jobs=n_jobs, prefer="threads")(
            delayed(_hits)(statistic, observed, n_samples, part)
            for part in chunks(seeds, n_jobs)
        )
    )


def monte_carlo_pvalues(
    statistic_of, observed, n_samples, n_permutations, rng, n_jobs, stop_after=None
):
    """Monte Carlo p-values of many statistics under permutations of the samples.

    ``statistic_of(index)`` is the function ``order -> statistics of the
    columns index`` under the permutation ``order`` of the samples. With
    ``stop_after=None`` the p-value is ``(1 + #{b : T_b reaches T}) / (1 + B)``
    over the ``B = n_permutations`` permutations. With ``stop_after=h`` a
    column stops once ``h`` permutations reached its statistic, at the
    ``l``-th permutation, with the p-value ``h / l`` (Besag and Clifford,
    1991); columns that never do get ``(1 + g) / (1 + B)``, ``g < h`` their
    count. Both are valid: ``P(p <= a) <= a`` under exchangeability.

    One seed per permutation is drawn from ``rng`` before any parallel work,
    and the stopping points are exact whatever the blocks, so the p-values
    do not depend on ``n_jobs``.

    Returns
    -------
    ndarray of shape (n_statistics,)
    """
    observed = np.asarray(observed, dtype=float)
    seeds = rng.randint(_MAX_SEED, size=n_permutations)
    m = observed.shape[0]
    pvalues = np.empty(m)
    counts = np.zeros(m, dtype=np.int64)
    active = np.arange(m)
    for start in range(0, n_permutations, _BLOCK):
        if active.size == 0:
            break
        hits = _block_hits(
            statistic_of(active),
            observed[active],
            n_samples,
            seeds[start : start + _BLOCK],
            n_jobs,
        )
        running = counts[active] + np.cumsum(hits, axis=0)
        counts[active] = running[-1]
        if stop_after is not None:
            done = running[-1] >= stop_after
            stops = start + 1 + np.argmax(running[:, done] >= stop_after, axis=0)
            pvalues[active[done]] = stop_after / stops
            active = active[~done]
    pvalues[active] = (1.0 + counts[active]) / (1.0 + n_permutations)
    return pvalues


# --------------------------------------------------------------------------
# permutations that respect a conditioning set
# --------------------------------------------------------------------------
def free_permutations(n_samples, n_draws, rng):
    """``n_draws`` uniform permutations of ``0..n_samples-1`` (an empty ``Z``)."""
    return np.vstack([rng.permutation(n_samples) for _ in range(n_draws)])


def stratum_permutations(strata, n_draws, rng):
    """Permutations of ``0..n-1`` that keep every sample in its stratum.

    Exact: under exchangeability within the strata each permutation is
    equally likely. Each draw orders the samples of a stratum by uniform
    keys (``rng.random_sample(n)``, ties in the order of the samples).
    """
    strata = np.asarray(strata)
    n = strata.shape[0]
    base = np.argsort(strata, kind="stable")
    out = np.empty((n_draws, n), dtype=np.intp)
    if n and 0 <= strata.min() and strata.max() < 1 << _STRATUM_BITS:
        # the keys are multiples of 2^-53: key and stratum in one integer,
        # the stratum above the key's 53 bits, sort as (stratum, key)
        keys = np.ldexp(rng.random_sample((n_draws, n)), 53).astype(np.uint64)
        keys |= strata.astype(np.uint64) << np.uint64(53)
        order = np.argsort(keys, axis=1)
        ordered = np.take_along_axis(keys, order, axis=1)
        if np.any(ordered[:, 1:] == ordered[:, :-1]):  # (ties: in sample order)
            order = np.argsort(keys, axis=1, kind="stable")
        out[:, base] = order
        return out
    for b in range(n_draws):
        out[b, base] = np.lexsort((rng.random_sample(n), strata))
    return out


def neighbours(points, k, *, include_self=False, workers=1):
    """Indices of ``k`` nearest neighbours of every row (max-norm).

    Without ``include_self`` the row itself is left out (also when it is tied
    with other rows at distance zero). In one dimension the neighbours are
    the ``k`` samples nearest in rank, a window of the sorted column (the
    nearest in value up to the asymmetry at the window's ends), found
    without a tree.
    """
    n = points.shape[0]
    if points.shape[1] == 1:
        order = np.argsort(points[:, 0], kind="stable")
        position = np.empty(n, dtype=np.intp)
        position[order] = np.arange(n)
        width = k if include_self else k + 1
        low = np.clip(position - (width - 1) // 2, 0, n - width)
        window = low[:, None] + np.arange(width)
        if not include_self:
            window = window[window != position[:, None]].reshape(n, k)
        return order[window]
    if include_self:
        tree = cKDTree(points)
        _, idx = tree.query(points, k=k, p=np.inf, workers=workers)
        return np.asarray(idx, dtype=np.intp).reshape(n, k)
    return query_others(points, k, workers)[1]


def query_others(points, k, workers):
    """Distances and indices of the ``k`` nearest other rows, nearest first."""
    n = points.shape[0]
    dist, idx = cKDTree(points).query(points, k=k + 1, p=np.inf, workers=workers)
    dist = np.asarray(dist, dtype=np.float64).reshape(n, k + 1)
    idx = np.asarray(idx, dtype=np.intp).reshape(n, k + 1)
    keep = idx != np.arange(n)[:, None]
    keep[keep.all(axis=1), k] = False
    return dist[keep].reshape(n, k), idx[keep].reshape(n, k)


def local_permutations(nbrs, n_draws, rng, k=None):
    """Local permutations: each sample takes the value of a neighbour in Z.

    Runge's (2018) scheme, vectorised and made a true permutation: in
    rounds, every sample without a value proposes one of its ``k`` nearest
    neighbours that is still unused, at random; a neighbour claimed twice
    goes to the sample of higher (random) priority. Samples whose ``k``
    neighbours are all used (about one in ten) then take their nearest
    unused neighbour further down ``nbrs``, and the last few (if any) are
    matched at random to the last unused samples, so no value is ever drawn
    twice. (Drawing a used neighbour again, as the original scheme does,
    duplicates values among close samples and biases a statistic that
    compares close samples.)

    Parameters
    ----------
    nbrs : ndarray of shape (n, m)
        Neighbours of each sample in Z, nearest first, the sample itself
        included.
    n_draws : int
    rng : numpy.random.RandomState
    k : int or None
        Size of the neighbourhood drawn from at random (None: ``m``).

    Returns
    -------
    ndarray of shape (n_draws, n)
        Row ``b`` gives sample ``i`` the target of sample ``perm[b, i]``.
    """
    n, m = nbrs.shape
    k = m if k is None else min(k, m)
    out = np.empty((n_draws, n), dtype=np.intp)
    for b in range(n_draws):
        priority = rng.permutation(n)
        taken = np.full(n, -1, dtype=np.intp)
        used = np.zeros(n, dtype=bool)
        free = np.arange(n)
        for r in range(2 * k + m - k):
            if free.size == 0:
                break
            width = k if r < 2 * k else m
            open_ = ~used[nbrs[free, :width]]
            has = open_.any(axis=1)
            asking, open_ = free[has], open_[has]
            if r < 2 * k:  # a random open neighbour among the k nearest
                keys = np.where(open_, rng.random_sample(open_.shape), -1.0)
            else:  # the nearest open neighbour
                keys = np.where(open_, -np.arange(width, dtype=np.float64), -np.inf)
            want = nbrs[asking, np.argmax(keys, axis=1)]
            order = np.lexsort((priority[asking], want))
            asking, want = asking[order], want[order]
            first = np.ones(want.size, dtype=bool)
            first[1:] = want[1:] != want[:-1]
            taken[asking[first]] = want[first]
            used[want[first]] = True
            free = np.flatnonzero(taken < 0)
        left = np.flatnonzero(taken < 0)
        taken[left] = rng.permutation(np.flatnonzero(~used))
        out[b] = taken
    return out
