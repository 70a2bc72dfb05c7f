"""Screening of feature pairs and triples for synergy.

A greedy forward search starts from the marginal relevance ``I(X_k; Y)``, so
features that are informative only together (``Y = X_1 xor X_2``) never enter
it. The screen scores every pair (and, on request, every triple) by the
information it carries beyond its parts,

* pairs: ``S_ij = I(X_i, X_j; Y) - I(X_i; Y) - I(X_j; Y)`` (the interaction
  information);
* triples: ``T_ijk = I(X_i, X_j, X_k; Y) - max(I(X_i, X_j; Y) + I(X_k; Y), ...)``
  over the three ways of splitting the triple into a pair and a single
  feature (what the triple carries beyond its best pair),

on a coarse discretisation of the columns (continuous columns and a
continuous target are cut into a few equal-frequency bins; discrete ones keep
their codes) with plug-in counts, on at most ``MAX_SCREEN_SAMPLES`` samples
(a random subset of larger data sets, so that the cost of the screen does not
grow with n). Each plug-in term is first lowered by its
first-order bias ``(K - 1)(K_Y - 1) / (2 n)`` (``K`` the number of joint levels
of the features involved), so that sets with more cells are not favoured.

Significance is valid for the best of all screened sets: the target is
permuted, the statistics of every set are recomputed on each permutation and
the adjusted p-value of a set is the proportion of permutations whose
*maximum over all sets* reaches the set's statistic (the single-step
max-statistic method of Westfall and Young). The permutations are drawn by
the sequential Monte Carlo test of the forward search's steps
(:func:`~skmi.selection._permutation.sequential_pvalue`, Besag and Clifford),
which stops as soon as the decision of the best set is known. The test lives
in :func:`max_statistic_pvalues`; it only sees a function that maps
permutations to the maxima of the null statistics.

The significant sets are then confirmed with the selector's information
estimator (``I(X_B; Y) - sum_i I(X_i; Y)`` on the prepared, unbinned columns)
and kept as *blocks* when that synergy is positive and larger than the
relevance of each member (greedy search, which starts from relevance, would
not see them). :class:`BlockOffers` lets them enter the greedy path, their
members as consecutive selections.

References
----------
.. [1] W. J. McGill, "Multivariate information transmission",
   Psychometrika 19, 1954.
.. [2] P. H. Westfall and S. S. Young, "Resampling-based multiple testing",
   Wiley, 1993 (the single-step max-T adjusted p-values).
.. [3] J. Besag and P. Clifford, "Sequential Monte Carlo p-values",
   Biometrika 78, 1991.
"""

import copy
from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np
from joblib import effective_n_jobs
from threadpoolctl import ThreadpoolController

from ..estimators._codes import bin_quantile, factorize, joint_codes
from ..estimators._count_tables import PairTables
from ..estimators._sparse import SparseColumns
from ..estimators._variables import Variable
from ._permutation import (
    decisive_exceedances,
    free_permutations,
    reaches,
    sequential_pvalue,
)

__all__ = [
    "Block",
    "BlockOffers",
    "level_permutations",
    "max_statistic_pvalues",
    "resolve_interactions",
    "screen_blocks",
]

#: permutations of the screen, at least (the step test of a forward search
#: may use fewer, but a screen of many sets needs a finer p-value)
MIN_PERMUTATIONS = 99
#: significant sets confirmed with the selector's estimator, at most
MAX_CONFIRMED = 10
#: samples of the screen, at most (a random subset beyond)
MAX_SCREEN_SAMPLES = 5000
_MAX_SEED = np.iinfo(np.int32).max
_THREADPOOLS = []


def _blas_threads(n_jobs):
    """A context that limits the BLAS threads of the screen's matrix products."""
    if not _THREADPOOLS:  # inspecting the loaded libraries takes a while
        _THREADPOOLS.append(ThreadpoolController())
    return _THREADPOOLS[0].limit(limits=effective_n_jobs(n_jobs), user_api="blas")


@dataclass(frozen=True)
class Block:
    """A synergistic set of features that enters the path as one block."""

    members: tuple  #: feature indices, most relevant first
    statistic: float  #: screening statistic (binned, bias-adjusted, nats)
    pvalue: float  #: max-statistic adjusted permutation p-value
    synergy: float  #: ``I(X_B; Y) - sum_i I(X_i; Y)`` by the estimator, nats
    n_permutations: int = 0  #: permutations drawn by the screen's test of its family


def resolve_interactions(interactions, n_features):
    """Size of the screened sets: 1 (no screen), 2 (pairs) or 3 (and triples).

    ``"auto"`` means pairs (whether and on how many rows they are screened
    is decided by cost, see :mod:`skmi.selection._screen_plan`).
    """
    if isinstance(interactions, str):
        return 2 if n_features >= 2 else 1
    return int(min(interactions, n_features))


class BlockOffers:
    """The blocks offered to a greedy search, step by step.

    At each step the search's best candidate ``k`` (of score ``g``) is
    compared with the pending blocks, in decreasing order of synergy: when
    ``k`` is a member of a pending block, the block enters with ``k`` first;
    otherwise the first pending block whose synergy per member exceeds ``g``
    enters instead of ``k``. A block with a member already selected is no
    longer offered, and when the search would stop, the next pending block
    enters first. The members of an entering block are queued and selected
    at the next steps, without the search's own stopping test (the screen
    tested them).
    """

    def __init__(self, blocks=(), level=0.0):
        self.level = level  #: family-wise level of the screen (0: none ran)
        self.pending = list(blocks)
        self.entered = []
        self.members = []

    @property
    def queued(self):
        """Whether members of an entering block wait to be selected."""
        return bool(self.members)

    def pop(self):
        """The next queued member and its :class:`Block`."""
        return self.members.pop(0)

    def offer(self, selected, pick=None, score=None):
        """Queue a block at a step (see the class docstring); whether one was.

        ``pick`` and ``score`` are the search's best candidate and its score;
        without them the first pending block enters.
        """
        chosen = set(selected)
        self.pending = [b for b in self.pending if chosen.isdisjoint(b.members)]
        block = None
        if pick is not None:
            block = next((b for b in self.pending if pick in b.members), None)
        if block is None and pick is not None:
            block = next(
                (b for b in self.pending if b.synergy / len(b.members) > score), None
            )
        if block is None and pick is None and self.pending:
            block = self.pending[0]
        if block is None:
            return False
        self.pending.remove(block)
        first = [pick] if pick in block.members else []
        order = tuple(first + [k for k in block.members if k not in first])
        block = replace(block, members=order)
        self.entered.append(block)
        self.members = [(k, block) for k in order]
        return True


# --------------------------------------------------------------------------
# the permutation test (max statistic, sequential)
# --------------------------------------------------------------------------
def level_permutations(level, n_permutations, min_permutations=None):
    """The screen's largest number of permutations: ``n_permutations``, at
    least ``min_permutations`` (None: ``MIN_PERMUTATIONS``), and enough that
    a test of ``level`` can reject (the smallest p-value, ``1 / (B + 1)``, at
    most ``level``)."""
    if min_permutations is None:
        min_permutations = MIN_PERMUTATIONS
    return max(
        int(n_permutations), min_permutations, int(np.ceil(1.0 / level - 1e-9)) - 1
    )


def max_statistic_pvalues(
    observed,
    null_maxima,
    n_samples,
    n_permutations,
    rng,
    *,
    families=None,
    alpha=0.05,
    min_permutations=None,
):
    """Single-step max-statistic adjusted permutation p-values.

    Each family of sets is tested at level ``alpha / n_families`` by the
    sequential Monte Carlo test of
    :func:`~skmi.selection._permutation.sequential_pvalue` on the maximum of
    its null statistics: the permutations stop as soon as the decision of
    the family's best set at that level is known
    (:func:`~skmi.selection._permutation.decisive_exceedances`), and every
    other set of the family gets its p-value on the same draws
    (:meth:`~skmi.selection._permutation.StepTest.pvalue_at`).

    Parameters
    ----------
    observed : ndarray of shape (n_sets,)
        Statistic of every screened set on the data.
    null_maxima : callable
        ``null_maxima(permutations, family)`` with ``permutations`` of shape
        ``(m, n_samples)`` returns an array of shape ``(m, 1)``: for each
        permutation of the target, the maximum of the statistics of the sets
        of ``family``.
    n_samples : int
    n_permutations : int
        Largest number of permutations per family (raised to the smallest
        number that can reject at the family's level, see
        :func:`level_permutations`).
    rng : numpy.random.RandomState
        Source of the permutations (drawn here, in this process).
    families : ndarray of shape (n_sets,), int, or None
        Family of each set (each family has its own maximum); None: one.
    alpha : float
        Family-wise level of the screen.
    min_permutations : int or None
        Smallest largest number of permutations per family (None:
        ``MIN_PERMUTATIONS``).

    Returns
    -------
    pvalues : ndarray of shape (n_sets,)
        ``(1 + #{b : max_b >= s}) / (1 + B)`` after ``B`` permutations, or
        the sequential p-value of Besag and Clifford after an early stop.
    n_done : ndarray of shape (n_families,)
        Permutations drawn for each family.
    """
    observed = np.asarray(observed, dtype=np.float64)
    if observed.size == 0:
        return np.ones(0), np.zeros(0, dtype=np.int64)
    families = (
        np.zeros(observed.size, dtype=np.intp)
        if families is None
        else np.asarray(families, dtype=np.intp)
    )
    n_families = int(families.max()) + 1
    level = alpha / n_families
    n_max = level_permutations(level, n_permutations, min_permutations)
    n_exceed = decisive_exceedances(level, n_max)
    pvalues = np.ones(observed.size)
    n_done = np.zeros(n_families, dtype=np.int64)

    def draw(b):
        return free_permutations(n_samples, b, rng)

    for f in range(n_families):
        sets = np.flatnonzero(families == f)
        test = sequential_pvalue(
            float(observed[sets].max()),
            lambda perms, f=f: null_maxima(perms, f),
            draw,
            n_max,
            n_exceed,
        )
        pvalues[sets] = _pvalues_at(test, observed[sets])
        n_done[f] = test.null.size
    return pvalues, n_done


def _pvalues_at(test, values):
    """``test.pvalue_at(v).pvalue`` of every value at most the tested one,
    in blocks of values (the same arithmetic, vectorised)."""
    out = np.empty(values.size)
    n_null = max(test.null.size, 1)
    step = max(1, 2**20 // n_null)
    for start in range(0, values.size, step):
        v = values[start : start + step]
        hits = np.cumsum(reaches(test.null[None, :], v[:, None]), axis=1)
        total = hits[:, -1] if test.null.size else np.zeros(v.size, dtype=np.int64)
        stopped = total >= test.n_exceed
        stop = np.argmax(hits >= test.n_exceed, axis=1) + 1 if test.null.size else 0
        out[start : start + step] = np.where(
            stopped,
            test.n_exceed / np.maximum(stop, 1),
            (1.0 + total) / (1.0 + test.max_permutations),
        )
    return out


# --------------------------------------------------------------------------
# coarse codes for the screen
# --------------------------------------------------------------------------
def screening_bins(n_samples, n_target_levels):
    """Bins per continuous column: 3 when every cell of a pair's table
    (3 x 3 x levels of the target) expects 10 samples, else 2."""
    return 3 if n_samples >= 10 * 9 * n_target_levels else 2


def _codes(variable, n_bins, max_levels=None):
    """Coarse dense codes of a prepared variable.

    Continuous parts are cut into ``n_bins`` equal-frequency bins; a discrete
    part with more than ``max_levels`` levels (default ``2 n_bins``: the bins
    of ``PlugIn``, a categorical feature with many values) is merged into ``n_bins``
    equal-frequency groups of consecutive codes. The screen's tables, and
    its cost, then stay small; its test stays valid whatever the coding.
    """
    parts, levels = [], []
    if variable.codes is not None:
        codes, k = variable.codes, variable.n_levels
        if k > (2 * n_bins if max_levels is None else max_levels):
            codes, k = bin_quantile(codes.astype(np.float64), n_bins)
        parts.append(codes)
        levels.append(k)
    if variable.continuous is not None:
        for col in variable.continuous.T:
            c, k = bin_quantile(col, n_bins)
            parts.append(c)
            levels.append(k)
    if len(parts) == 1:
        return parts[0], int(levels[0])
    return factorize(joint_codes(parts, levels)[0])


def _entropy(codes, size, xlogx):
    n = codes.shape[0]
    return np.log(n) - np.sum(xlogx[np.bincount(codes, minlength=size)]) / n


class _Screen:
    """Statistics of the screened sets for the target codes ``y`` (or any
    permutation of them)."""

    def __init__(self, codes, levels, y, ky, size):
        self.codes = codes
        self.levels = np.asarray(levels, dtype=np.int64)
        self.y, self.ky, self.size = y, int(ky), size
        self.n = y.shape[0]
        p = codes.shape[0]
        self.tables = PairTables(codes, levels)
        self.h_y = _entropy(y, ky, self.tables.xlogx)
        self.iu = np.triu_indices(p, 1)
        k = self.levels
        pair_bias = (np.outer(k, k) - 1) * (self.ky - 1) / (2.0 * self.n)
        self.pair_bias = pair_bias
        self.single_bias = (k - 1) * (self.ky - 1) / (2.0 * self.n)
        self.triples = np.zeros((0, 3), dtype=np.intp)
        if size >= 3 and p >= 3:
            self.triples = np.array(list(combinations(range(p), 3)), dtype=np.intp)
            i, j = self.iu
            # joint codes of each pair i < j (one row per pair), below K_i K_j;
            # the tables of (pair, single column) hold every triple
            self.pair_tables = PairTables(
                codes[i] + k[i][:, None] * codes[j], k[i] * k[j], codes, k
            )
            self.pair_index = -np.ones((p, p), dtype=np.intp)
            self.pair_index[i, j] = np.arange(i.size)
            self.triple_bias = (
                (k[self.triples].prod(axis=1) - 1) * (self.ky - 1) / (2.0 * self.n)
            )

    @property
    def sets(self):
        """The screened sets: pairs, then triples."""
        return [self.members(s) for s in range(self.iu[0].size + len(self.triples))]

    def members(self, s):
        """The ``s``-th screened set (pairs first, then triples)."""
        n_pairs = self.iu[0].size
        if s < n_pairs:
            return (int(self.iu[0][s]), int(self.iu[1][s]))
        return tuple(int(v) for v in self.triples[s - n_pairs])

    @property
    def families(self):
        return np.r_[
            np.zeros(self.iu[0].size, dtype=np.intp),
            np.ones(self.triples.shape[0], dtype=np.intp),
        ]

    def _pairs(self, y):
        t = self.tables
        h_xy = t.with_target(y, self.ky)
        info = t.h_pair + self.h_y - h_xy - self.pair_bias
        single = np.diag(info) + np.diag(self.pair_bias) - self.single_bias
        i, j = self.iu
        return info[i, j] - single[i] - single[j], info, single

    def statistics(self, y):
        """Bias-adjusted synergy of every pair (then every triple)."""
        pairs, info, single = self._pairs(y)
        if not self.triples.shape[0]:
            return pairs
        return np.r_[pairs, self._triples(y, info, single)]

    def _triples(self, y, info, single):
        a, b, c = self.triples.T
        t = self.pair_tables
        rows = self.pair_index[a, b]
        h_xyz_y = t.with_target(y, self.ky)[rows, c]
        joint = t.h_pair[rows, c] + self.h_y - h_xyz_y - self.triple_bias
        splits = np.maximum.reduce(
            [
                info[a, b] + single[c],
                info[a, c] + single[b],
                info[b, c] + single[a],
            ]
        )
        return joint - splits

    def null_maxima(self, permutations, family=0):
        """The largest statistic of the pairs (family 0) or of the triples
        (family 1) for each permuted target, shape ``(m, 1)``."""
        out = np.empty((permutations.shape[0], 1))
        n_pairs = self.iu[0].size
        for r, perm in enumerate(permutations):
            if family == 0:
                s = self._pairs(self.y[perm])[0]
            else:
                s = self.statistics(self.y[perm])[n_pairs:]
            out[r, 0] = s.max()
        return out


# --------------------------------------------------------------------------
# the screen
# --------------------------------------------------------------------------
def screen_blocks(
    estimator,
    columns,
    target,
    relevance,
    *,
    size,
    alpha,
    n_permutations,
    rng,
    exclude=None,
    n_jobs=None,
    max_rows=None,
    coarse_bins=None,
    min_permutations=None,
):
    """Significant synergistic pairs (and triples) that enter the path as blocks.

    Parameters
    ----------
    estimator : BaseMIEstimator
        The selector's estimator: confirms the synergy of the significant
        sets on the prepared columns.
    columns : list of Variable or SparseColumns
        Prepared features (sparse ones are restricted to the screen's rows
        before any column is coded).
    target : Variable
        Prepared target.
    relevance : ndarray of shape (n_columns,)
        ``I(X_k; Y)`` of every column by ``estimator``.
    size : int
        2 screens pairs; 3 pairs and triples (two families, each tested at
        level ``alpha / 2``).
    alpha : float
        Family-wise error rate of the screen.
    n_permutations : int
        Largest number of permutations of the target per family (raised as
        :func:`level_permutations` says).
    rng : numpy.random.RandomState
        Not advanced: the screen draws from a generator seeded by a copy of
        it, so the rest of the fit sees the same random numbers with or
        without the screen.
    exclude : ndarray of shape (n_columns,), bool, or None
        Columns left out of the screen (constant columns).
    n_jobs : int or None
        Threads of the matrix products (joblib semantics; None is one).
    max_rows : int or None
        Rows of the screen, at most (a random subset beyond; None:
        ``MAX_SCREEN_SAMPLES``).
    coarse_bins : int or None
        Bins of the coarse copies of continuous columns (None: 3 when every
        cell of a pair's table expects 10 rows, else 2).
    min_permutations : int or None
        Smallest largest number of permutations per family (see
        :func:`level_permutations`).

    Returns
    -------
    blocks : list of Block
        Disjoint blocks in the order they enter the path.
    """
    n = target.n_samples
    keep = np.arange(len(columns))
    if exclude is not None:
        keep = keep[~np.asarray(exclude, dtype=bool)]
    if size < 2 or keep.size < 2:
        return []
    own_rng = np.random.RandomState(copy.deepcopy(rng).randint(_MAX_SEED))
    # the rows first, then the coarse codes one column at a time: never a
    # dense copy of all columns on all rows (nor of sparse input)
    sub_target, sub_columns = target, columns
    max_rows = MAX_SCREEN_SAMPLES if max_rows is None else max_rows
    if n > max_rows:
        rows = np.sort(own_rng.choice(n, max_rows, replace=False))
        sub_target = target.take(rows)
        sub_columns = columns.take(rows) if isinstance(columns, SparseColumns) else None
        n = max_rows

    def column(k):
        if sub_columns is None:
            return columns[k].take(rows)
        return sub_columns[k]

    # class labels are kept up to 20 classes (one matrix product each)
    y, ky = _codes(sub_target, screening_bins(n, 1), max_levels=20)
    if ky < 2:
        return []
    n_bins = screening_bins(n, ky) if coarse_bins is None else coarse_bins
    codes = np.empty((keep.size, n), dtype=np.int64)
    levels = np.empty(keep.size, dtype=np.int64)
    for i, k in enumerate(keep):
        codes[i], levels[i] = _codes(column(k), n_bins)
    with _blas_threads(n_jobs):
        screen = _Screen(codes, levels, y, ky, size)
        observed = screen.statistics(y)
        families = screen.families
        pvalues, n_done = max_statistic_pvalues(
            observed,
            screen.null_maxima,
            n,
            n_permutations,
            own_rng,
            families=families,
            alpha=alpha,
            min_permutations=min_permutations,
        )
    level = alpha / (families.max() + 1)
    significant = np.flatnonzero(pvalues <= level)
    significant = significant[np.argsort(-observed[significant], kind="stable")]
    candidates = []
    for s in significant[:MAX_CONFIRMED]:
        members = tuple(int(keep[v]) for v in screen.members(s))
        joint = Variable.join(*[columns[k] for k in members]).precompute()
        synergy = float(estimator.mutual_info_prepared(joint, target)) - float(
            np.sum(relevance[list(members)])
        )
        if synergy > 0 and synergy > float(np.max(relevance[list(members)])):
            order = sorted(members, key=lambda k: (-relevance[k], k))
            candidates.append(
                Block(
                    tuple(order),
                    float(observed[s]),
                    float(pvalues[s]),
                    synergy,
                    int(n_done[families[s]]),
                )
            )
    blocks, used = [], set()
    for b in sorted(candidates, key=lambda b: -b.synergy):
        if used.isdisjoint(b.members):
            blocks.append(b)
            used.update(b.members)
    return blocks
