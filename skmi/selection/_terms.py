"""How a step's pairwise terms are computed: the one factory of term runners.

A forward search asks a *term runner* three things: the relevance
``I(X_k; Y)`` of every column, the conditioning structure of a selected set
(built once per step and shared by every candidate) and the pairwise terms
of many candidates with that set. :func:`term_runner` picks the runner from
the columns and from what the estimator says it can do:

* :class:`~skmi.selection._sparse_terms.SparseCountRunner`: the discrete
  columns of a sparse matrix, counted from their stored entries;
* :class:`CountTermsRunner`: dense discrete columns and target, counted for
  many candidates at once (:class:`~skmi.selection._criteria.CountTerms`);
* :class:`EstimatorTerms`: anything else, through the estimator's
  ``*_prepared`` methods.

The counting runners apply only when the estimator's own values are plug-in
counts of the discrete tables, raw or adjusted for chance (the estimator's
``_table_counting`` hook); they then give the estimator's values.
"""

import numpy as np
from joblib import effective_n_jobs
from sklearn.utils.parallel import Parallel, delayed

from ..estimators._codes import code_dtype, factorize, joint_codes
from ..estimators._sparse import SparseColumns
from ..estimators._variables import Variable
from ._criteria import CountTerms, pair_terms
from ._relevance import chunks, relevance, subset
from ._sparse_terms import SparseCountRunner

__all__ = ["CountTermsRunner", "EstimatorTerms", "term_runner"]


def _concat(parts, needs):
    return {
        name: np.concatenate([p[name] for p in parts]) if parts else np.zeros(0)
        for name in needs
    }


class EstimatorTerms:
    """Pairwise terms through the estimator's ``*_prepared`` methods."""

    #: fewest candidates the lazy CMIM update completes at a time
    min_batch = 16

    def __init__(self, estimator, columns, target, n_jobs):
        self.estimator = estimator
        self.columns = columns
        self.target = target
        self.n_jobs = n_jobs

    def relevance(self):
        return relevance(self.estimator, self.columns, self.target, n_jobs=self.n_jobs)

    def conditioning(self, selected):
        """The conditioning variable of ``selected`` and its per-step structures.

        The structures (the estimator's ``_step_structure``, e.g. those of
        the Frenzel-Pompe estimator that depend only on the target and the
        set) are kept for every candidate of the step.
        """
        cols = [self.columns[j] for j in selected]
        z = (cols[0] if len(cols) == 1 else Variable.join(*cols)).precompute()
        return z, self.estimator._step_structure(self.target, z)

    def _run(self, variables, conditioning, needs):
        if not len(variables):
            return _concat([], needs)
        z, step = conditioning if conditioning is not None else (None, None)
        if effective_n_jobs(self.n_jobs) == 1:
            return pair_terms(self.estimator, variables, z, self.target, needs, step)
        parts = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(pair_terms)(
                self.estimator,
                subset(variables, part),
                z,
                self.target,
                needs,
                step,
            )
            for part in chunks(range(len(variables)), self.n_jobs)
        )
        return _concat(parts, needs)

    def terms(self, candidates, z, needs):
        # sparse columns stay sparse until each candidate is scored
        return self._run(subset(self.columns, candidates), z, needs)


class CountTermsRunner:
    """Pairwise terms of discrete variables by vectorised counting."""

    def __init__(self, columns, target, n_jobs, chance=False):
        n_levels = np.array([c.n_levels for c in columns], dtype=np.int64)
        # one byte per value for up to 256 levels
        dtype = code_dtype(int(n_levels.max()))
        codes = [c.codes.astype(dtype, copy=False) for c in columns]
        self.counts = CountTerms(codes, n_levels, target, n_jobs, chance=chance)
        self.n = target.n_samples
        self.n_jobs = n_jobs
        # counting is cheap per candidate; expectations for chance are not
        self.min_batch = 16 if chance else 256

    def relevance(self):
        return self.counts.relevance(slice(None))

    def conditioning(self, selected):
        c = self.counts
        if len(selected) == 1:
            j = selected[0]
            return c.columns[j], int(c.n_levels[j])
        parts = [c.columns[j] for j in selected]
        codes, size = joint_codes(parts, c.n_levels[selected])
        return factorize(codes)

    def terms(self, candidates, z, needs):
        candidates = np.asarray(candidates, dtype=np.intp)
        z_codes, kz = z
        if candidates.size == 0:
            return _concat([], needs)
        # (the counting runs in threads: see CountTerms)
        return self.counts.terms(candidates, z_codes, kz, needs)


def _all_discrete(columns, target):
    if isinstance(columns, SparseColumns):
        return columns.all_discrete and target.is_discrete
    return target.is_discrete and all(c.is_discrete for c in columns)


def term_runner(estimator, columns, target, n_jobs):
    """The term runner of a search (see the module docstring).

    Parameters
    ----------
    estimator : BaseMIEstimator
    columns : list of Variable or SparseColumns
        Prepared features (their per-column structures are computed here
        when the estimator's methods will be called on them).
    target : Variable
        Prepared target (its structures are computed here).
    n_jobs : int or None

    Returns
    -------
    EstimatorTerms, CountTermsRunner or SparseCountRunner
    """
    target.precompute()
    counting = estimator._table_counting()
    if counting is not None and _all_discrete(columns, target):
        chance = counting == "chance"
        if isinstance(columns, SparseColumns):
            return SparseCountRunner(estimator, columns, target, n_jobs, chance)
        return CountTermsRunner(columns, target, n_jobs, chance=chance)
    if not isinstance(columns, SparseColumns):  # (built on demand there)
        for c in columns:
            c.precompute()
    return EstimatorTerms(estimator, columns, target, n_jobs)
