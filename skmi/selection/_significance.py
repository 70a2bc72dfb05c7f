"""Significance of relevance estimates: permutation and G-test p-values.

Both tests take the raw (unclipped) estimates ``I(X_k; Y)`` of prepared
columns against a prepared target and return one p-value per column;
:func:`adjust_pvalues` corrects a vector of p-values for multiple testing.

References
----------
.. [1] D. A. Williams, "Improved likelihood ratio tests for complete
   contingency tables", Biometrika 63(1), 1976.
.. [2] W. G. Cochran, "Some methods for strengthening the common chi-square
   tests", Biometrics 10(4), 1954.
.. [3] J. Besag and P. Clifford, "Sequential Monte Carlo p-values",
   Biometrika 78(2), 1991.
.. [4] Y. Benjamini and Y. Hochberg, "Controlling the false discovery rate:
   a practical and powerful approach to multiple testing", Journal of the
   Royal Statistical Society B 57(1), 1995.
"""

from functools import partial

import numpy as np

from ..estimators._sparse import SparseColumns
from ._permutation import monte_carlo_pvalues
from ._relevance import level_totals, relevance, subset

__all__ = [
    "adjust_pvalues",
    "g_test_of_totals",
    "g_test_pvalues",
    "margin_groups",
    "permutation_pvalues",
    "sparse_tables",
    "williams_q",
]

#: Cochran's rule: the chi-square approximation of a table is trusted when
#: at most ``_MAX_SHARE_SMALL`` of its expected counts are below
#: ``_SMALL_EXPECTED`` and none is below 1.
_SMALL_EXPECTED = 5
_MAX_SHARE_SMALL = 0.2

#: permutations of the G-test's fallback when no number is given
FALLBACK_PERMUTATIONS = 999

#: the G-test's fallback stops permuting for a column once this many
#: permutations reach its statistic (Besag and Clifford)
STOP_AFTER = 10


# --------------------------------------------------------------------------
# permutation p-values
# --------------------------------------------------------------------------
def _permuted_relevance(estimator, columns, target, order):
    return relevance(estimator, columns, target.take(order))


def margin_groups(estimator, columns, target):
    """The column whose permuted estimates stand for each column's.

    When the estimator counts discrete variables (its ``_table_counting``
    hook: the plug-in information of the count table, raw or less its
    expectation given the margins), the estimate of discrete ``X`` and ``Y``
    is a function of their contingency table that does not change when the
    levels are relabelled, and a permutation of ``Y`` draws that table from
    the distribution fixed by the two margins alone. Columns whose level
    counts are equal up to order therefore share one permutation
    distribution: one of them (the first) is permuted for all. Any other
    column, or an estimator that does not count, stands for itself.

    Returns
    -------
    ndarray of shape (n_columns,), int
        Index of the representative of each column.
    """
    n_columns = len(columns)
    own = np.arange(n_columns)
    if estimator._table_counting() is None or not target.is_discrete:
        return own
    if isinstance(columns, SparseColumns):
        discrete = ~np.asarray(columns.continuous, dtype=bool)
    else:
        discrete = np.array([c.is_discrete for c in columns], dtype=bool)
    first = {}
    for j in np.flatnonzero(discrete):
        key = np.sort(level_totals(columns, j)).tobytes()
        own[j] = first.setdefault(key, j)
    return own


class _SharedRelevance:
    """``order -> I(X_k; Y_order)`` of the columns ``index``, each computed
    on its representative (see :func:`margin_groups`)."""

    def __init__(self, estimator, columns, target, representative, index):
        unique, self.inverse = np.unique(representative[index], return_inverse=True)
        self.estimator = estimator
        self.columns = subset(columns, unique)
        self.target = target

    def __call__(self, order):
        values = _permuted_relevance(self.estimator, self.columns, self.target, order)
        return np.asarray(values)[self.inverse]


def permutation_pvalues(
    estimator,
    columns,
    target,
    observed,
    *,
    n_permutations,
    rng,
    n_jobs=None,
    stop_after=None,
):
    """Permutation p-values of ``I(X_k; Y)`` for every prepared column.

    The target is permuted ``n_permutations`` times; each permutation breaks
    any dependence on ``Y`` while keeping both marginals. The p-value of
    column ``k`` is ``(1 + #{b : I_b >= I_obs}) / (1 + n_permutations)``,
    which is exact (never below the nominal level under independence).
    Discrete columns with equal margins share their permuted estimates with
    a plug-in estimator (:func:`margin_groups`): each permutation estimates
    one column per group of margins, and the p-values stay exact.

    Parameters
    ----------
    estimator : BaseMIEstimator
        The estimator whose kernels are used.
    columns : list of Variable
        Prepared columns ``X_k``.
    target : Variable
        Prepared target ``Y``.
    observed : ndarray of shape (n_columns,)
        Raw estimates on the unpermuted target.
    n_permutations : int
        Number of permutations (at least 1); the largest number with
        `stop_after`.
    rng : numpy.random.RandomState
        Source of the permutations. One seed per permutation is drawn from it
        here, before any parallel work, so the p-values do not depend on
        ``n_jobs``.
    n_jobs : int or None
        Number of jobs (joblib semantics), over chunks of permutations.
    stop_after : int or None, default=None
        If given, stop permuting for a column once ``stop_after``
        permutations reached its estimate, at the ``l``-th permutation, and
        give it the sequential p-value ``stop_after / l`` (Besag and
        Clifford, 1991).

    Returns
    -------
    pvalues : ndarray of shape (n_columns,)
    """
    representative = margin_groups(estimator, columns, target)
    statistic_of = partial(_SharedRelevance, estimator, columns, target, representative)
    return monte_carlo_pvalues(
        statistic_of,
        observed,
        target.n_samples,
        n_permutations,
        rng,
        n_jobs,
        stop_after=stop_after,
    )


# --------------------------------------------------------------------------
# the G-test
# --------------------------------------------------------------------------
def williams_q(row_totals, column_totals):
    """Williams' correction factor ``q`` of the G-test of an r x c table.

    ``q = 1 + (N sum_i 1/R_i - 1)(N sum_j 1/C_j - 1) / (6 N (r - 1)(c - 1))``
    with ``R_i`` and ``C_j`` the (positive) row and column totals; ``G / q``
    follows the chi-square distribution more closely than ``G`` [1]_.

    Parameters
    ----------
    row_totals, column_totals : ndarray of positive integers
        Totals of the occupied rows and columns (``r, c >= 2``).

    Returns
    -------
    float
    """
    r_tot = np.asarray(row_totals, dtype=np.float64)
    c_tot = np.asarray(column_totals, dtype=np.float64)
    n = r_tot.sum()
    r, c = r_tot.size, c_tot.size
    numerator = (n * np.sum(1.0 / r_tot) - 1.0) * (n * np.sum(1.0 / c_tot) - 1.0)
    return 1.0 + numerator / (6.0 * n * (r - 1) * (c - 1))


def sparse_tables(row_totals, column_totals):
    """Whether Cochran's rule rejects the chi-square approximation.

    The expected count of cell ``(i, j)`` under independence is
    ``R_i C_j / N``. The approximation is rejected when any expected count is
    below 1 or more than 20 % of them are below 5 [2]_. The counts are
    compared in integers (``R_i C_j < 5 N``), without building the table.

    Parameters
    ----------
    row_totals : list of ndarray
        Positive row totals of each table (one table per column).
    column_totals : ndarray of positive integers
        Column totals shared by every table (those of the target).

    Returns
    -------
    ndarray of shape (n_tables,), bool
    """
    c_tot = np.sort(np.asarray(column_totals, dtype=np.int64))
    n = int(c_tot.sum())
    out = np.zeros(len(row_totals), dtype=bool)
    for t, r_tot in enumerate(row_totals):
        r_tot = np.asarray(r_tot, dtype=np.int64)
        if r_tot.min() * c_tot[0] < n:
            out[t] = True
            continue
        # C_j < 5 N / R_i  <=>  C_j < ceil(5 N / R_i) for integers
        bounds = -(-(_SMALL_EXPECTED * n) // r_tot)
        n_small = int(np.searchsorted(c_tot, bounds, side="left").sum())
        out[t] = n_small > _MAX_SHARE_SMALL * r_tot.size * c_tot.size
    return out


def g_test_pvalues(
    estimator, columns, target, observed, *, rng, n_permutations=None, n_jobs=None
):
    """G-test p-values of plug-in MI estimates, with a permutation fallback.

    For discrete (or binned) ``X`` with ``r`` occupied levels and ``Y`` with
    ``c``, the uncorrected plug-in estimate satisfies ``G = 2 N I`` (the
    log-likelihood-ratio statistic of the independence test). ``G / q``, with
    Williams' factor ``q`` (:func:`williams_q`), is compared with the
    chi-square distribution with ``(r - 1)(c - 1)`` degrees of freedom.
    Where Cochran's rule rejects this approximation (:func:`sparse_tables`),
    the p-value is a permutation p-value of the same statistic instead
    (:func:`permutation_pvalues` on those columns, stopped for each column
    after ``STOP_AFTER`` permutations reach its statistic). A
    column or target with a single level has no degrees of freedom and gets
    the p-value 1.

    Far in the tail the chi-square approximation of ``G / q`` is slightly
    liberal at moderate expected counts (5 to 20 per cell): under
    independence the share of p-values below 0.01 is 1.03 to 1.11 times
    0.01, and about 1.0 to 1.2 times the level at 0.001, where the
    uncorrected ``G`` gives 1.5 to 2.4 times (``bench_g_test_tails.py`` in
    the repository's benchmarks). Multiple-testing corrections that reach
    such levels (Benjamini-Hochberg over many columns) inherit this excess;
    the permutation fallback is not its cause (its p-values are never below
    ``1 / (n_permutations + 1)``).

    Parameters
    ----------
    estimator : PlugIn
        An uncorrected plug-in estimator (for the permutations).
    columns : list of Variable
        Prepared discrete columns (integer codes).
    target : Variable
        Prepared discrete target.
    observed : ndarray of shape (n_columns,)
        Uncorrected plug-in estimates in nats.
    rng : numpy.random.RandomState
        Source of the permutations of the fallback.
    n_permutations : int or None, default=None
        Number of permutations of the fallback (None:
        ``FALLBACK_PERMUTATIONS``).
    n_jobs : int or None
        Number of jobs (joblib semantics), over chunks of permutations.

    Returns
    -------
    pvalues : ndarray of shape (n_columns,)
    permuted : ndarray of shape (n_columns,), bool
        Which p-values come from permutations.
    """
    c_tot = np.bincount(target.codes) if target.codes is not None else np.ones(1)
    r_tots = [level_totals(columns, j) for j in range(len(columns))]

    def fallback_pvalues(fallback):
        return permutation_pvalues(
            estimator,
            subset(columns, fallback),
            target,
            np.asarray(observed, dtype=float)[fallback],
            n_permutations=n_permutations or FALLBACK_PERMUTATIONS,
            rng=rng,
            n_jobs=n_jobs,
            stop_after=STOP_AFTER,
        )

    return g_test_of_totals(r_tots, c_tot, observed, target.n_samples, fallback_pvalues)


def g_test_of_totals(r_tots, c_tot, observed, n_samples, fallback_pvalues):
    """:func:`g_test_pvalues` from the level totals of the columns and target.

    Parameters
    ----------
    r_tots : list of ndarray
        Positive level totals of each column.
    c_tot : ndarray
        Level totals of the target (zeros are ignored).
    observed : ndarray of shape (n_columns,)
    n_samples : int
    fallback_pvalues : callable
        ``fallback_pvalues(index)``: the permutation p-values of the columns
        ``index`` whose tables are too sparse for the chi-square law.

    Returns
    -------
    pvalues, permuted : as :func:`g_test_pvalues`
    """
    from scipy.stats import chi2

    observed = np.asarray(observed, dtype=float)
    n_columns = len(r_tots)
    pvalues = np.ones(n_columns)
    permuted = np.zeros(n_columns, dtype=bool)
    c_tot = np.asarray(c_tot)
    c_tot = c_tot[c_tot > 0]
    testable = np.array([r.size > 1 and c_tot.size > 1 for r in r_tots], dtype=bool)
    index = np.flatnonzero(testable)
    if index.size == 0:
        return pvalues, permuted
    sparse = sparse_tables([r_tots[j] for j in index], c_tot)
    asymptotic = index[~sparse]
    if asymptotic.size:
        dof = np.array([(r_tots[j].size - 1) * (c_tot.size - 1) for j in asymptotic])
        q = np.array([williams_q(r_tots[j], c_tot) for j in asymptotic])
        g = 2.0 * n_samples * np.maximum(observed[asymptotic], 0.0)
        pvalues[asymptotic] = chi2.sf(g / q, dof)
    fallback = index[sparse]
    if fallback.size:
        pvalues[fallback] = fallback_pvalues(fallback)
        permuted[fallback] = True
    return pvalues, permuted


# --------------------------------------------------------------------------
# multiple testing
# --------------------------------------------------------------------------
def adjust_pvalues(pvalues, method):
    """p-values adjusted for testing every column at once.

    ``"bonferroni"``: ``min(1, m p_k)``, which controls the family-wise error
    rate. ``"fdr_bh"``: Benjamini-Hochberg, ``min(1, min_{j >= i} m
    p_(j) / j)`` for the ``i``-th smallest p-value, which controls the false
    discovery rate for independent (or positively dependent) tests [4]_.
    Rejecting the hypotheses whose adjusted p-value is at most ``alpha``
    is the corresponding procedure at level ``alpha``.

    Parameters
    ----------
    pvalues : ndarray of shape (m,)
    method : {"fdr_bh", "bonferroni"}

    Returns
    -------
    ndarray of shape (m,)
    """
    p = np.asarray(pvalues, dtype=float)
    m = p.size
    if m == 0:
        return p.copy()
    if method == "bonferroni":
        return np.minimum(1.0, m * p)
    if method != "fdr_bh":
        raise ValueError(f"unknown correction {method!r}")
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    return adjusted
