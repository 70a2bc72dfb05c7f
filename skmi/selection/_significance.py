"""Significance of relevance estimates: permutation and G-test p-values.

Both tests take the raw (unclipped) estimates ``I(X_k; Y)`` of prepared
columns against a prepared target and return one p-value per column.
"""

import numpy as np
from joblib import effective_n_jobs
from sklearn.utils.parallel import Parallel, delayed

from ._relevance import chunks, relevance

__all__ = ["g_test_pvalues", "permutation_pvalues"]

#: Permutation seeds are drawn in ``[0, _MAX_SEED)``.
_MAX_SEED = np.iinfo(np.int32).max


def _exceedances(estimator, columns, target, observed, seeds):
    """Count, per column, the permutations whose estimate reaches ``observed``."""
    counts = np.zeros(len(columns), dtype=np.int64)
    n_samples = target.n_samples
    for seed in seeds:
        order = np.random.RandomState(seed).permutation(n_samples)
        counts += relevance(estimator, columns, target.take(order)) >= observed
    return counts


def permutation_pvalues(
    estimator, columns, target, observed, *, n_permutations, rng, n_jobs=None
):
    """Permutation p-values of ``I(X_k; Y)`` for every prepared column.

    The target is permuted ``n_permutations`` times; each permutation breaks
    any dependence on ``Y`` while keeping both marginals. The p-value of
    column ``k`` is ``(1 + #{b : I_b >= I_obs}) / (1 + n_permutations)``,
    which is exact (never below the nominal level under independence).

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
        Number of permutations (at least 1).
    rng : numpy.random.RandomState
        Source of the permutations. One seed per permutation is drawn from it
        here, before any parallel work, so the p-values do not depend on
        ``n_jobs``.
    n_jobs : int or None
        Number of jobs (joblib semantics), over chunks of permutations.

    Returns
    -------
    pvalues : ndarray of shape (n_columns,)
    """
    observed = np.asarray(observed, dtype=float)
    seeds = rng.randint(_MAX_SEED, size=n_permutations)
    if not columns:
        return np.ones(0)
    if effective_n_jobs(n_jobs) == 1:
        counts = _exceedances(estimator, columns, target, observed, seeds)
    else:
        parts = chunks(seeds, n_jobs)
        counts = sum(
            Parallel(n_jobs=n_jobs, prefer="threads")(
                delayed(_exceedances)(estimator, columns, target, observed, part)
                for part in parts
            )
        )
    return (1.0 + counts) / (1.0 + n_permutations)


def g_test_pvalues(columns, target, observed):
    """Chi-square p-values of plug-in MI estimates (the G-test).

    For discrete (or binned) ``X`` with ``Kx`` occupied levels and ``Y`` with
    ``Ky``, the uncorrected plug-in estimate satisfies ``G = 2 N I`` (the
    log-likelihood-ratio statistic of the independence test), asymptotically
    chi-square with ``(Kx - 1)(Ky - 1)`` degrees of freedom under
    independence. A column or target with a single level has no degrees of
    freedom and gets the p-value 1.

    Parameters
    ----------
    columns : list of Variable
        Prepared discrete columns (integer codes).
    target : Variable
        Prepared discrete target.
    observed : ndarray of shape (n_columns,)
        Uncorrected plug-in estimates in nats.

    Returns
    -------
    pvalues : ndarray of shape (n_columns,)
    """
    from scipy.stats import chi2

    observed = np.asarray(observed, dtype=float)
    dof = np.array([(x.n_levels - 1) * (target.n_levels - 1) for x in columns])
    statistic = 2.0 * target.n_samples * np.maximum(observed, 0.0)
    pvalues = np.ones(len(columns))
    testable = dof > 0
    pvalues[testable] = chi2.sf(statistic[testable], dof[testable])
    return pvalues
