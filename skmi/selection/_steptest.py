"""Testing a step of a forward search: is any conditional information left?

A step of a greedy search picks the best of many candidates, so the chosen
candidate's statistic is judged against the null distribution of the
*maximum* statistic over all candidates, by the sequential max-statistic
permutation test of :mod:`skmi.selection._permutation` (its permutations
respect the selected set: free for an empty set, within strata for a
discrete one, local among neighbours otherwise), with the statistic the
data allow: the conditional G statistics of the counts
(:mod:`skmi.selection._count_statistic`) or the neighbour statistic
(:mod:`skmi.selection._neighbour_statistic`).

:class:`StepTester` puts them together for a forward search: it holds a
random subsample of the rows (in random order, so that a sorted data set
cannot leak through the order of tied neighbours) with every column turned
into test coordinates, and tests a step given the selected set, the
remaining candidates and the chosen one (on neighbours, by the chosen
candidate's estimated conditional information on the same permutations,
:mod:`skmi.selection._chosen_cmi`).

References
----------
.. [1] P. H. Westfall and S. S. Young, "Resampling-Based Multiple Testing",
   Wiley, 1993.
.. [2] J. Besag and P. Clifford, "Sequential Monte Carlo p-values",
   Biometrika 78, 1991.
.. [3] J. Runge, "Conditional independence testing based on a
   nearest-neighbor estimator of conditional mutual information", AISTATS
   2018.
"""

import warnings

import numpy as np

from ..estimators._codes import bin_quantile, factorize, joint_codes
from ..estimators._sparse import SparseColumns
from ._chosen_cmi import PermutationRecord, chosen_cmi_test, joined
from ._count_statistic import CountDependence, Indicators
from ._neighbour_statistic import N_CANDIDATE_NEIGHBOURS, NeighbourDependence, _ranks
from ._permutation import (
    StepTest,
    decisive_exceedances,
    free_permutations,
    local_permutations,
    neighbours,
    sequential_pvalue,
    stratum_permutations,
)

__all__ = [
    "StepTester",
    # the permutation test itself lives in ._permutation (re-exported here for
    # the forward search, which sizes its test with it)
    "decisive_exceedances",
]

#: neighbours in Z among which a local permutation draws
N_PERMUTATION_NEIGHBOURS = 3
#: largest number of rows of the neighbour statistic (a random subsample beyond)
MAX_SAMPLES = 5000
#: the counts use at least this many rows (all when there are fewer) ...
MIN_COUNT_SAMPLES = 5000
#: ... and more while rows x candidates stays below this
MAX_COUNT_ENTRIES = 20_000_000
#: equal-frequency bins of a continuous target in the counts
TARGET_BINS = 5
#: selected continuous features from which the local permutations blur the
#: target's relation with them enough for a proxy of them to pass the
#: neighbour statistic (the chosen candidate is then always judged by its
#: conditional information): a proxy of the sum of two passed it in 0.12 to
#: 0.53 of data sets (500 to 2,000 rows), of one in at most alpha
BLURRED_SET = 2
#: equal-frequency bins of the non-zero values of a sparse continuous column
#: in the counts (its zero level aside)
SPARSE_BINS = 3
#: ... when they are zero in at least this share of their cells (the
#: neighbour statistic sees little among so many ties; columns of mostly
#: distinct values stay on neighbours: their bins would blur a selected
#: column's relation with the target, and a close proxy of it entered after
#: it in 5 of 20 data sets of sparse-stored dense normal columns)
SPARSE_ZEROS = 0.5
#: the statistics, as :meth:`StepTester.rows_note` names them
NEIGHBOURS = "neighbour statistic"
COUNTS = "conditional G statistic"
COUNTS_OF_BINS = (
    f"conditional G statistic of the sparse columns' zeros and {SPARSE_BINS} "
    "bins of their other values"
)
CHOSEN_CMI = "k-NN conditional mutual information of the chosen candidate"
#: separation of the levels of a categorical coordinate (continuous
#: coordinates lie in [0, 1], so in the max-norm two samples with different
#: levels are farther apart than any two with the same levels)
_LEVEL_GAP = 2.0


# --------------------------------------------------------------------------
# the test of a forward step
# --------------------------------------------------------------------------
def _coordinates(variable, categorical, rng):
    """Test coordinates of one prepared column on the test rows.

    Continuous values become their ranks scaled to [0, 1], equal values
    ranked in a random order drawn from ``rng`` (as the estimator's jitter
    does; tied coordinates would give every sample of a tie the same few
    neighbours, and the statistic of the continuous part of a sparse column,
    zero on most rows, no power); ordinal codes
    (binned continuous columns) their codes scaled to [0, 1]; categorical
    codes are spread ``_LEVEL_GAP`` apart, so that neighbours share the
    level wherever the level has enough samples.
    """
    n = variable.n_samples
    parts = []
    if variable.continuous is not None:
        for col in variable.continuous.T:
            ranks = np.empty(n)
            ranks[np.lexsort((rng.random_sample(n), col))] = np.arange(n)
            parts.append(ranks / max(n - 1, 1))
    if variable.codes is not None:
        codes = variable.codes.astype(np.float64)
        if categorical:
            parts.append(_LEVEL_GAP * codes)
        else:
            parts.append(codes / max(variable.n_levels - 1, 1))
    return np.column_stack(parts) if parts else np.zeros((n, 1))


class _Sample:
    """A random sample of the rows and its columns, taken on demand.

    The ``binned`` columns (continuous columns of a sparse matrix) are taken
    as their binned codes (:meth:`SparseColumns.binned`, ``SPARSE_BINS``
    bins of the non-zero values).
    """

    def __init__(self, columns, target, rows, binned):
        self.rows = rows
        self.binned = binned
        self.n_samples = rows.size
        self.sparse = isinstance(columns, SparseColumns)
        # sparse columns: the rows first, then one column at a time (no
        # dense copy)
        self.source = columns.take(rows) if self.sparse else columns
        self.target = target.take(rows)
        self.cache = {}

    def column(self, j):
        if j not in self.cache:
            if not self.sparse:
                self.cache[j] = self.source[j].take(self.rows)
            elif self.binned[j]:
                self.cache[j] = self.source.binned(j, SPARSE_BINS)
            else:
                self.cache[j] = self.source[j]
        return self.cache[j]

    def strata(self, selected):
        """Dense codes of the joint levels of the ``selected`` columns."""
        if not selected:
            return np.zeros(self.n_samples, dtype=np.int64), 1
        cols = [self.column(j) for j in selected]
        return factorize(
            joint_codes([c.codes for c in cols], [c.n_levels for c in cols])[0]
        )


class StepTester:
    """The test of each step of a forward search.

    Built once per search: it orders the rows at random (so that a sorted
    data set cannot leak through the order of tied neighbours) and tests a
    step given the selected set and the remaining candidates with the
    statistic the data allow:

    * discrete candidates given a categorical selected set (or none): the
      conditional G statistics of the counts (:class:`CountDependence`),
      with exact permutations within the selected set's strata, on up to
      ``max(MIN_COUNT_SAMPLES, MAX_COUNT_ENTRIES / p)`` rows (all rows of
      any table of a few million cells); the continuous columns of a sparse
      matrix of mostly zeros count as categorical columns of their binned
      codes (:meth:`SparseColumns.binned`);
    * otherwise the neighbour statistic (:class:`NeighbourDependence`) on
      up to ``max_samples`` rows, with permutations within the strata of a
      categorical selected set, local among neighbours in any other, free
      for an empty one.

    The test of a step is a max-statistic test: the largest statistic over
    the candidates against the permutation distribution of the largest.
    Which rows a test used is in :attr:`n_rows` after it.

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
        Largest number of rows of the neighbour statistic.
    workers : int, default=1
    estimator : BaseMIEstimator or None, default=None
        The search's estimator, which prepared the columns: with it, a
        candidate a criterion chooses on neighbours is judged by its
        estimate of the conditional information (:meth:`test_chosen`);
        without, by its neighbour statistic.
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
        estimator=None,
    ):
        n = target.n_samples
        p = max(1, len(columns))
        self.n_total = n
        order = rng.permutation(n)
        m_count = int(min(n, max(MIN_COUNT_SAMPLES, MAX_COUNT_ENTRIES // p)))
        m_near = int(min(n, max_samples))
        # the continuous columns of a sparse matrix of mostly zeros are tested
        # on their binned codes, as categorical columns
        self.binned = binned = _binned(columns)
        self.counting = _Sample(columns, target, order[:m_count], binned)
        self.near = (
            self.counting
            if m_near == m_count
            else _Sample(columns, target, order[:m_near], binned)
        )
        self.rows, self.n_samples = self.near.rows, m_near
        # each step draws from a generator of its own (seeded by the step's
        # number), so its permutations do not depend on how many the earlier
        # steps drew
        self._seed = int(rng.randint(np.iinfo(np.int32).max))
        self.n_permutations = n_permutations
        self.n_exceed = n_exceed
        self.workers = workers
        self.estimator = estimator
        self.categorical = np.asarray(categorical, dtype=bool) | binned
        self.discrete = (
            np.array([_is_codes(columns, j) for j in range(len(columns))]) | binned
        )
        self.coords = {}
        self._indicators = None
        y = self.near.target
        self.ranks = _ranks(y.continuous[:, 0] if y.continuous is not None else y.codes)
        self.n_rows, self.kind, self._warned = 0, "", set()

    def _coordinates(self, j):
        if j not in self.coords:
            # a generator per column: its coordinates do not depend on the
            # order in which the steps ask for the columns
            rng = np.random.RandomState([self._seed, j, 1])
            self.coords[j] = _coordinates(self.near.column(j), self.categorical[j], rng)
        return self.coords[j]

    def counts_apply(self, selected, candidates):
        """Whether the step is tested on counts (see the class description)."""
        return bool(
            self.categorical[list(selected)].all()
            and self.discrete[list(candidates)].all()
        )

    def permutation_sampler(self, selected, sample=None):
        """``draw(b)`` giving ``b`` target permutations that respect ``selected``."""
        sample = self.near if sample is None else sample
        rng = np.random.RandomState([self._seed, len(selected)])
        m = sample.n_samples
        if not selected:
            return lambda b: free_permutations(m, b, rng)
        if self.categorical[selected].all():
            strata, _ = sample.strata(selected)
            return lambda b: stratum_permutations(strata, b, rng)
        z = np.hstack([self._coordinates(j) for j in selected])
        k = max(1, min(N_PERMUTATION_NEIGHBOURS, m))
        wide = min(m, N_CANDIDATE_NEIGHBOURS * k)
        nbrs = neighbours(z, wide, include_self=True, workers=self.workers)
        return lambda b: local_permutations(nbrs, b, rng, k)

    def statistic(self, selected, candidates):
        """The dependence statistic of ``candidates`` given ``selected``."""
        if self.counts_apply(selected, candidates):
            sample = self.counting
            if self._indicators is None:
                # dense columns: their codes on the sample's rows, untaken
                pick = sample.column if sample.sparse else sample.source.__getitem__
                self._indicators = Indicators(
                    [
                        pick(j) if self.discrete[j] else None
                        for j in range(self.discrete.size)
                    ],
                    sample.n_samples,
                    None if sample.sparse else sample.rows,
                )
            strata, n_strata = sample.strata(selected)
            return CountDependence(
                self._indicators,
                np.asarray(candidates),
                strata,
                n_strata,
                *_target_codes(sample.target),
            )
        z = np.hstack([self._coordinates(j) for j in selected]) if selected else None
        return NeighbourDependence(
            z,
            [self._coordinates(k) for k in candidates],
            self.ranks,
            workers=self.workers,
        )

    def test(self, selected, candidates, n_permutations=None, n_exceed=None):
        """Test the step whose candidates are ``candidates``.

        ``n_permutations`` and ``n_exceed`` replace the tester's own for
        this step (a step tested at another level).

        The observed statistic is the largest over the candidates, so the
        test rejects only if some candidate carries conditional information;
        :meth:`StepTest.pvalue_at` on the returned test (with the statistic
        of the candidate a criterion chooses, :attr:`observed`) then gives
        the p-value of that candidate against the same null maxima.

        Returns
        -------
        StepTest
        """
        selected = [int(j) for j in selected]
        self.candidates = [int(k) for k in candidates]
        self.observed = np.zeros(len(self.candidates))
        counts = self.counts_apply(selected, self.candidates)
        sample = self.counting if counts else self.near
        self.n_rows = sample.n_samples
        self.kind = NEIGHBOURS
        if counts:
            binned = self.binned[selected + self.candidates].any()
            self.kind = COUNTS_OF_BINS if binned else COUNTS
        if self.n_rows < self.n_total and self.kind not in self._warned:
            self._warned.add(self.kind)
            warnings.warn(
                f"The step test ({self.kind}) uses a random subsample of "
                f"{self.n_rows} of the {self.n_total} rows; its p-values are "
                "those of the subsample.",
                UserWarning,
                stacklevel=2,
            )
        self._record, self._selected = None, selected
        if sample.n_samples < 3 or not self.candidates:
            return StepTest(1.0, 0, np.zeros(0), 0, 1)
        stat = self.statistic(selected, self.candidates)
        identity = np.arange(sample.n_samples)[None, :]
        self.observed = stat.scores(identity)[0]
        self._record = PermutationRecord(
            self.permutation_sampler(selected, sample),
            stat.scores,
            kinds=self.discrete[self.candidates],
        )
        return sequential_pvalue(
            float(self.observed.max()),
            self._record.score,
            self._record.draw,
            self.n_permutations if n_permutations is None else n_permutations,
            self.n_exceed if n_exceed is None else n_exceed,
        )

    def test_chosen(self, k, step):
        """The test of candidate ``k``, chosen by a criterion, after :meth:`test`.

        On counts (or without an estimator), its statistic against the null
        maxima of ``step`` (:meth:`StepTest.pvalue_at`); on neighbours, once
        ``step`` rejected, the estimate of its conditional mutual
        information on the same permutations against a screened maximum
        (:func:`chosen_cmi_test`), except that with fewer than
        ``BLURRED_SET`` selected features a candidate whose neighbour
        statistic beat the null maxima is judged on it alone.

        Returns
        -------
        StepTest
        """
        own = step.pvalue_at(self.observed_of(k))
        sample = self.near
        if (
            self.kind != NEIGHBOURS
            or self.estimator is None
            or sample.sparse
            or self._record is None
            or step.n_permutations < step.max_permutations
            or own.n_reached < step.n_exceed
            and len(self._selected) < BLURRED_SET
        ):
            return own
        self.kind = CHOSEN_CMI
        return chosen_cmi_test(
            lambda j: sample.column(self.candidates[j]),
            self.candidates.index(int(k)),
            sample.target,
            joined([sample.column(j) for j in self._selected]),
            step,
            self._record,
            self.estimator,
        )

    def rows_note(self):
        """The statistic and the rows of the last :meth:`test`, in words."""
        if self.n_rows < self.n_total:
            rows = f"{self.n_rows} of {self.n_total} rows, a random subsample"
        else:
            rows = f"all {self.n_total} rows"
        return f"{self.kind} on {rows}"

    def observed_of(self, k):
        """The observed statistic of candidate ``k`` in the last :meth:`test`."""
        return float(self.observed[self.candidates.index(int(k))])


def _binned(columns):
    """Which columns are tested on their binned codes: the continuous columns
    of a sparse matrix whose continuous columns are zero in at least
    ``SPARSE_ZEROS`` of their entries (see :class:`_Sample`), tested as
    categorical columns.

    One rule for all of them (and not column by column): a step test is one
    statistic over every candidate, so a few frequent terms among thousands
    of rare ones must not move the whole test to the neighbour statistic.
    """
    if not isinstance(columns, SparseColumns):
        return np.zeros(len(columns), dtype=bool)
    continuous = np.asarray(columns.continuous, dtype=bool)
    cells = columns.n_samples * int(continuous.sum())
    zeros = cells - int(columns.n_nonzero[continuous].sum())
    return continuous & (zeros >= SPARSE_ZEROS * cells)


def _is_codes(columns, j):
    """Whether column ``j`` is prepared as integer codes alone."""
    if isinstance(columns, SparseColumns):
        return not bool(columns.continuous[j])
    c = columns[j]
    return c.codes is not None and c.continuous is None


def _target_codes(target):
    """Codes of the target for the counts (a continuous one binned)."""
    if target.codes is not None and target.continuous is None:
        return factorize(target.codes)
    return bin_quantile(target.continuous[:, 0], TARGET_BINS)
