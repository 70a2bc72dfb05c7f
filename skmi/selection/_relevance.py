"""Relevance ``I(X_k; Y)`` of many columns, batched and parallel."""

import numpy as np
from joblib import effective_n_jobs
from sklearn.utils.parallel import Parallel, delayed

from ..estimators._count_tables import marginal_mutual_info
from ..estimators._sparse import SparseColumns

__all__ = ["chunks", "relevance", "subset"]


def chunks(items, n_jobs, per_worker=2):
    """Split ``items`` into contiguous chunks, a few per worker.

    Large chunks amortise the cost of sending the shared arguments (the
    target, the selected set) to the workers; the split depends only on the
    number of items and workers, and the results never depend on it.
    """
    items = list(items)
    n_chunks = max(1, min(len(items), effective_n_jobs(n_jobs) * per_worker))
    parts = np.array_split(np.asarray(items, dtype=object), n_chunks)
    return [list(c) for c in parts if len(c)]


def subset(columns, index):
    """The prepared columns ``index``; sparse columns stay sparse."""
    if isinstance(columns, SparseColumns):
        return columns.subset(index)
    return [columns[j] for j in index]


def level_totals(columns, j):
    """Counts of the occupied levels of the discrete column ``j`` (any order)."""
    if isinstance(columns, SparseColumns):
        return columns.level_counts(j)
    codes = columns[j].codes
    if codes is None:
        return np.ones(1, dtype=np.int64)
    counts = np.bincount(codes)
    return counts[counts > 0]


def _counts_sparse(estimator, columns, target, conditioning):
    """Whether plug-in counts of the stored entries give the estimator's values."""
    if not isinstance(columns, SparseColumns) or conditioning is not None:
        return False
    if not (columns.all_discrete and target.is_discrete):
        return False
    return estimator._table_counting() is not None


def _sparse_relevance(estimator, columns, target, n_jobs):
    chance = estimator._table_counting() == "chance"
    parts = [
        slice(int(part[0]), int(part[-1]) + 1)
        for part in chunks(range(len(columns)), n_jobs)
    ]
    if len(parts) == 1:
        return columns.mutual_info(target, chance=chance)
    results = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(columns.mutual_info)(target, part, chance) for part in parts
    )
    return np.concatenate(results)


def _counts_dense(estimator, columns, target, conditioning):
    """Whether batched plug-in counts of dense columns give the estimator's values."""
    if isinstance(columns, SparseColumns) or conditioning is not None:
        return False
    if not (target.is_discrete and all(c.is_discrete for c in columns)):
        return False
    return estimator._table_counting() is not None


def _dense_relevance(estimator, columns, target, n_jobs):
    """``I(X_k; Y)`` of dense discrete columns, counted in batches.

    One count of every column's table with the target and, for information
    adjusted for chance, one batch of expectations, per share of the columns
    (the estimator's values: a constant column or target scores exactly 0).
    """
    chance = estimator._table_counting() == "chance"
    y = np.asarray(target.codes, dtype=np.int64)
    n_levels = np.array([c.n_levels for c in columns], dtype=np.int64)

    def share(part):
        codes = [columns[j].codes for j in part]
        return marginal_mutual_info(codes, n_levels[part], y, target.n_levels, chance)

    everything = np.arange(len(columns))
    if effective_n_jobs(n_jobs) == 1:
        return share(everything)
    parts = [np.asarray(p, dtype=np.intp) for p in chunks(everything, n_jobs)]
    results = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(share)(part) for part in parts
    )
    return np.concatenate(results)


def _relevance_chunk(estimator, columns, target, conditioning):
    return [
        estimator.conditional_mutual_info_prepared(x, target, conditioning)
        for x in columns
    ]


def relevance(estimator, columns, target, *, conditioning=None, n_jobs=None):
    """Estimate ``I(X_k; Y)`` (or ``I(X_k; Y | Z)``) for every prepared column.

    Parameters
    ----------
    estimator : BaseMIEstimator
        The estimator whose kernels are used.
    columns : list of Variable
        Prepared columns ``X_k``.
    target : Variable
        Prepared target ``Y``; its sort order or class partition is computed
        once here, before the parallel work.
    conditioning : Variable or None
        Optional conditioning variable ``Z``.
    n_jobs : int or None
        Number of jobs (joblib semantics).

    Returns
    -------
    scores : ndarray of shape (n_columns,)
        Estimates in nats, unclipped.
    """
    if not len(columns):
        return np.zeros(0)
    target.precompute()
    if _counts_sparse(estimator, columns, target, conditioning):
        return _sparse_relevance(estimator, columns, target, n_jobs)
    if _counts_dense(estimator, columns, target, conditioning):
        return _dense_relevance(estimator, columns, target, n_jobs)
    if conditioning is not None:
        conditioning.precompute()
    if effective_n_jobs(n_jobs) == 1:
        return np.asarray(
            _relevance_chunk(estimator, columns, target, conditioning), dtype=float
        )
    parts = chunks(range(len(columns)), n_jobs)
    results = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(_relevance_chunk)(
            estimator, subset(columns, part), target, conditioning
        )
        for part in parts
    )
    return np.asarray([v for part in results for v in part], dtype=float)
