"""Pairwise terms of sparse discrete candidates, counted from their entries.

The forward search over the columns of a sparse matrix keeps the matrix as
it is. Per step, the codes of the selected set ``Z`` and the table of
``(Z, Y)`` are built once (O(n)); each candidate's three-way table with
``Z`` and ``Y`` is then counted from its stored entries, the zero level by
subtraction (:func:`~skmi.estimators._sparse.sparse_candidate_table`), so a
step costs O(nnz of the candidates + n) instead of O(n x candidates).
"""

import numpy as np
from joblib import effective_n_jobs
from sklearn.utils.parallel import Parallel, delayed

from ..estimators._codes import factorize, joint_codes
from ..estimators._count_tables import xlogx_table
from ..estimators._sparse import sparse_candidate_table, table_terms
from ._relevance import chunks, relevance

__all__ = ["SparseCountRunner"]


class _Step:
    """Codes of the selected set and their table with the target."""

    def __init__(self, codes, n_levels, y, ky):
        # codes may be stored in one byte: widen before any arithmetic
        codes = np.asarray(codes, dtype=np.int64)
        y = np.asarray(y, dtype=np.int64)
        self.codes = codes
        self.n_levels = n_levels
        self.table = np.bincount(codes * ky + y, minlength=n_levels * ky).reshape(
            n_levels, ky
        )


class SparseCountRunner:
    """Forward-search terms of the discrete columns of a sparse matrix.

    Offers the methods the search calls on every term runner
    (``relevance``, ``conditioning``, ``terms``), with plug-in values equal
    to the dense counts.

    Parameters
    ----------
    estimator : BaseMIEstimator
        The estimator (used for the relevance of the columns).
    columns : SparseColumns
        The prepared sparse columns.
    target : Variable
        A discrete target.
    n_jobs : int or None
        Number of jobs (threads) over chunks of candidates.
    chance : bool, default=False
        Whether the information terms are adjusted for chance (the
        estimator's counts are).
    """

    #: fewest candidates the lazy CMIM update completes at a time
    min_batch = 16

    def __init__(self, estimator, columns, target, n_jobs, chance=False):
        self.estimator = estimator
        self.columns = columns
        self.target = target
        self.n_jobs = n_jobs
        self.n = target.n_samples
        self.xlogx = xlogx_table(self.n)
        self.chance = chance
        #: expectations under independence by margins, shared by candidates
        self.expected = {}

    def relevance(self):
        return relevance(self.estimator, self.columns, self.target, n_jobs=self.n_jobs)

    def conditioning(self, selected):
        parts = [self.columns[j] for j in selected]
        if len(parts) == 1:
            codes, n_levels = parts[0].codes, parts[0].n_levels
        else:
            codes, _ = joint_codes(
                [p.codes for p in parts], [p.n_levels for p in parts]
            )
            codes, n_levels = factorize(codes)
        return _Step(codes, n_levels, self.target.codes, self.target.n_levels)

    def _terms_of(self, tables, needs):
        values = [
            table_terms(t, self.xlogx, self.n, self.chance, needs, self.expected)
            for t in tables
        ]
        return {name: np.array([v[name] for v in values]) for name in needs}

    def _chunk(self, candidates, step, needs):
        y, ky = np.asarray(self.target.codes, dtype=np.int64), self.target.n_levels
        tables = (
            sparse_candidate_table(
                *self.columns.entries(k), step.codes, step.n_levels, y, ky, step.table
            )
            for k in candidates
        )
        return self._terms_of(tables, needs)

    def terms(self, candidates, step, needs):
        candidates = [int(k) for k in candidates]
        if effective_n_jobs(self.n_jobs) == 1 or len(candidates) < 8:
            return self._chunk(candidates, step, needs)
        parts = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(self._chunk)(part, step, needs)
            for part in chunks(candidates, self.n_jobs)
        )
        return {name: np.concatenate([p[name] for p in parts]) for name in needs}
