"""Greedy forward selection: the loop.

:func:`forward_select` adds one feature at a time, the candidate of highest
criterion score (see :mod:`skmi.selection._criteria`). Each concern is its
own piece, which the loop calls:

* the pairwise terms: a term runner (:mod:`skmi.selection._terms`);
* scoring a step's candidates: :class:`_Search` below. After a feature is
  selected, the remaining candidates are evaluated against it only, and their
  running sums or minima are updated; CMIM updates lazily (its scores only
  decrease, so a candidate whose partial minimum is already below the best
  complete score is not updated);
* whether to stop: :mod:`skmi.selection._stopping` (tol, the step test,
  scores that cannot be estimated);
* synergistic blocks: :mod:`skmi.selection._blocks`;
* a stored path to resume: :mod:`skmi.selection._cache`.

Candidate evaluations run in parallel in contiguous chunks; every random
number (the permutations of the stopping test) is drawn in the calling
process, so results never depend on ``n_jobs``.
"""

import time
from dataclasses import dataclass, field

import numpy as np
from joblib import effective_n_jobs

from ..estimators._sparse import SparseColumns
from ._blocks import Blocks
from ._criteria import Accumulator, terms_needed
from ._stopping import GO, Decision, StoppingRule
from ._terms import term_runner

__all__ = ["ForwardParams", "ForwardResult", "forward_select"]


@dataclass(frozen=True)
class ForwardParams:
    """The parameters of a forward search (validated by the caller).

    ``n_features_to_select`` is a number of features or "auto" for the
    stopping rule (:mod:`skmi.selection._stopping`): ``tol`` when it is not
    None, else the step test at level ``alpha`` with up to
    ``n_permutations`` permutations per step. ``beta`` is the MIFS
    redundancy weight. ``interactions`` is the size of the sets screened for
    synergy (1: none, 2: pairs, 3: pairs and triples, "auto": see
    :func:`~skmi.selection._interactions.resolve_interactions`).
    ``feature_names`` name the features in the progress messages printed
    when ``verbose`` is positive.
    """

    criterion: str = "jmi"
    n_features_to_select: int | str = "auto"
    tol: float | None = None
    alpha: float = 0.05
    n_permutations: int = 19
    beta: float = 1.0
    interactions: int | str = 1
    n_jobs: int | None = None
    verbose: int = 0
    feature_names: tuple | None = None


@dataclass
class ForwardResult:
    """Outcome of a forward search."""

    selection_order: np.ndarray  #: indices of the selected features, in order
    gains: np.ndarray  #: criterion score of each selected feature when selected
    pvalues: object  #: step-test p-value of each selected feature, or None
    relevance: np.ndarray  #: ``I(X_k; Y)`` of every feature
    stop_reason: str  #: why the search stopped
    #: permutations each selected feature's test needed, or None without tests
    n_permutations: object = None
    blocks: list = field(default_factory=list)  #: synergistic blocks entered


# --------------------------------------------------------------------------
# exact duplicates
# --------------------------------------------------------------------------
class _Duplicates:
    """Find candidates that duplicate a selected feature exactly.

    A discrete column duplicates another when the two induce the same
    partition of the samples (equal up to a relabelling of the values); a
    continuous column when its raw values are equal. Cheap keys (number of
    levels and sorted level counts, or a hash of the raw values) filter the
    pairs before the exact check.
    """

    def __init__(self, columns, raw):
        self.columns = columns
        self.raw = raw
        self.keys = [self._key(j) for j in range(len(columns))]

    def _key(self, j):
        if isinstance(self.columns, SparseColumns):
            if self.columns.continuous[j]:
                return ("x", j)
            counts = self.columns.level_counts(j)
            return ("d", counts.size, hash(counts.tobytes()))
        c = self.columns[j]
        if c.is_discrete:
            return ("d", c.n_levels, hash(np.sort(c.level_counts).tobytes()))
        if self.raw is not None and c.is_continuous:
            return ("c", hash(np.ascontiguousarray(self.raw[:, j]).tobytes()))
        return ("x", j)

    def _canonical(self, j):
        codes = self.columns[j].codes
        _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
        rank = np.empty(first.size, dtype=np.int64)
        rank[np.argsort(first)] = np.arange(first.size)
        return rank[inverse]

    def of(self, j, candidates):
        """Boolean mask of the ``candidates`` that duplicate column ``j``."""
        key = self.keys[j]
        out = np.zeros(len(candidates), dtype=bool)
        for i, k in enumerate(candidates):
            if self.keys[k] != key or key[0] == "x":
                continue
            if key[0] == "d":
                out[i] = np.array_equal(self._canonical(k), self._canonical(j))
            else:
                out[i] = np.array_equal(self.raw[:, k], self.raw[:, j])
        return out


# --------------------------------------------------------------------------
# the search
# --------------------------------------------------------------------------
#: scores closer than this are tied
_TIE = 1e-12


def _pick(candidates, scores, rel):
    """The candidate of highest score, and its score.

    Scores within ``_TIE`` of the best are tied; ties, and a step where no
    candidate's score is estimable (NaN), go to the most relevant candidate
    (highest ``I(X_k; Y)``), then to the smallest index. Column order alone
    never decides a step whose gains all vanish (e.g. the plug-in ``"cmi"``
    once every joint cell is empty).
    """
    candidates = np.asarray(candidates)
    scores = np.asarray(scores, dtype=np.float64)
    finite = np.where(np.isnan(scores), -np.inf, scores)
    top = finite.max()
    tied = finite >= top - _TIE if np.isfinite(top) else np.ones(scores.size, bool)
    r = np.where(np.isnan(rel[candidates]), -np.inf, rel[candidates])
    order = np.lexsort((candidates, -r, ~tied))
    i = int(order[0])
    return int(candidates[i]), float(scores[i])


class _Search:
    """Scores of the candidates given the selected features."""

    def __init__(self, runner, criterion, beta, rel, n_jobs):
        self.runner = runner
        self.criterion = criterion
        self.needs = terms_needed(criterion)
        self.rel = rel
        self.acc = Accumulator(criterion, rel, beta)
        self.selected = []
        # whether the scores include the last selected feature (a stored
        # path ends before its candidates were evaluated against it)
        self.current = False
        # CMIM: number of selected features folded into each partial minimum
        self.n_folded = np.zeros(rel.size, dtype=np.int64)
        self.batch = max(runner.min_batch, 4 * effective_n_jobs(n_jobs))

    def best(self, candidates):
        """The candidate of highest score and its score (ties: see :func:`_pick`)."""
        if self.criterion == "cmim" and self.selected:
            return self._best_lazy(candidates)
        return _pick(candidates, self.acc.scores(candidates), self.rel)

    def _fold(self, ks, position):
        j = self.selected[position]
        t = self.runner.terms(ks, self.runner.conditioning([j]), self.needs)
        self.acc.add(t, ks)

    def _best_lazy(self, candidates):
        """CMIM's best candidate, folding in only the terms that can matter.

        The partial minima only decrease, so candidates are completed in
        decreasing order of their partial minimum until the next one cannot
        reach (or tie) the best complete score.
        """
        s = len(self.selected)
        partial = self.acc.minimum
        ordering = candidates[np.lexsort((candidates, -partial[candidates]))]
        best = -np.inf
        done = []
        for start in range(0, ordering.size, self.batch):
            batch = ordering[start : start + self.batch]
            batch = batch[partial[batch] >= best - _TIE]
            if batch.size == 0:
                break
            for position in range(int(self.n_folded[batch].min()), s):
                ks = batch[self.n_folded[batch] <= position]
                self._fold(ks, position)
                self.n_folded[ks] = position + 1
            done.append(batch)
            best = max(best, float(np.nanmax(partial[batch], initial=-np.inf)))
        done = np.concatenate(done) if done else candidates
        return _pick(done, partial[done], self.rel)

    def select(self, k):
        self.selected.append(int(k))
        self.acc.step(self.rel[k])
        self.current = False

    def refresh(self, candidates):
        """Evaluate the candidates against the last selected feature, once."""
        if self.selected and not self.current:
            self.update(candidates)
            self.current = True

    def update(self, candidates):
        """Evaluate the remaining candidates against the newly selected feature."""
        if not self.needs or self.criterion == "cmim" or candidates.size == 0:
            return
        selected = self.selected if self.criterion == "cmi" else self.selected[-1:]
        z = self.runner.conditioning(selected)
        self.acc.add(self.runner.terms(candidates, z, self.needs), candidates)


class _Path:
    """The candidates left, the deferred ones and what each step recorded."""

    def __init__(self, columns, raw, constant, tested):
        n = len(columns)
        self.available = np.ones(n, dtype=bool)
        # constant columns and duplicates of selected ones: chosen last
        self.deferred = np.zeros(n, dtype=bool)
        if constant is not None:
            self.deferred |= constant
        self.duplicates = _Duplicates(columns, raw)
        self.tested = tested
        self.gains, self.pvalues, self.n_used = [], [], []

    def pool(self):
        """The candidates of a step: the available ones not deferred, if any."""
        pool = np.flatnonzero(self.available & ~self.deferred)
        return pool if pool.size else np.flatnonzero(self.available)

    def remaining(self):
        return np.flatnonzero(self.available)

    def take(self, k, score, decision):
        """Record the selection of ``k``; its p-value (None when untested)."""
        self.available[k] = False
        self.gains.append(score)
        if self.tested:
            self.pvalues.append(decision.pvalue)
            self.n_used.append(decision.n_permutations)
        remaining = self.remaining()
        self.deferred[remaining] |= self.duplicates.of(k, remaining)
        return decision.pvalue if self.tested else None

    def result(self, search, stop_reason, blocks):
        tested = self.tested
        return ForwardResult(
            selection_order=np.asarray(search.selected, dtype=np.intp),
            gains=np.asarray(self.gains, dtype=np.float64),
            pvalues=np.asarray(self.pvalues, dtype=np.float64) if tested else None,
            relevance=search.rel,
            stop_reason=stop_reason,
            n_permutations=np.asarray(self.n_used, dtype=np.int64) if tested else None,
            blocks=blocks.entered,
        )


class _Progress:
    """The progress messages of ``verbose > 0``."""

    def __init__(self, params):
        self.params = params
        self.start = self.step_start = time.perf_counter()

    def begin_step(self):
        self.step_start = time.perf_counter()

    def selected(self, search, k, score, p, in_block):
        if self.params.verbose <= 0:
            return
        names, criterion = self.params.feature_names, self.params.criterion
        name = names[k] if names is not None else f"x{k}"
        extra = "" if p is None else f", p-value {p:.3g}"
        extra += " (synergistic block)" if in_block else ""
        units = "" if criterion == "disr" and len(search.selected) > 1 else " nats"
        now = time.perf_counter()
        print(
            f"[forward {criterion}] step {len(search.selected)}: {name} "
            f"(index {k}), score {score:.4g}{units}{extra}, "
            f"{now - self.step_start:.2f} s (total {now - self.start:.2f} s)"
        )

    def stopped(self, reason):
        if self.params.verbose > 0:
            print(f"[forward {self.params.criterion}] stopped: {reason}")


def forward_select(
    estimator,
    columns,
    target,
    params=None,
    *,
    raw=None,
    constant=None,
    categorical=None,
    rng=None,
    path_state=None,
):
    """Greedy forward selection of prepared columns.

    Parameters
    ----------
    estimator : BaseMIEstimator
        Information estimator whose kernels compute every term.
    columns : list of Variable or SparseColumns
        Prepared features.
    target : Variable
        Prepared target.
    params : ForwardParams or None, default=None
        The parameters of the search (None: the defaults).
    raw : ndarray of shape (n_samples, n_columns) or None
        Raw values of the columns, used to recognise exact duplicates of
        continuous columns.
    constant : ndarray of shape (n_columns,), bool, or None
        Columns that hold a single value: like exact duplicates of selected
        columns, they are chosen only when no other candidate is left.
    categorical : ndarray of shape (n_columns,), bool, or None
        Which columns are categorical for the step test (None: every column
        prepared as discrete codes, including binned continuous ones).
    rng : numpy.random.RandomState
        Source of the step tests' subsample and permutations (drawn in this
        process).
    path_state : PathState or None
        A path to resume and to store the path in (see
        :mod:`skmi.selection._cache`); integer ``n_features_to_select`` only.

    Returns
    -------
    ForwardResult
    """
    params = ForwardParams() if params is None else params
    progress = _Progress(params)
    runner = term_runner(estimator, columns, target, params.n_jobs)
    resumed = path_state is not None and path_state.saved
    rel = path_state.relevance if resumed else np.asarray(runner.relevance(), float)
    search = _Search(runner, params.criterion, params.beta, rel, params.n_jobs)
    path = _Path(columns, raw, constant, StoppingRule.tests(params))
    if resumed:
        offers = path_state.restore(search, path.available, path.deferred, path.gains)
        blocks = Blocks(offers)
    else:
        blocks = Blocks.screen(
            estimator, columns, target, rel, params, rng, path.deferred
        )
    stopping = StoppingRule.of(
        params, columns, target, categorical, rng, blocks.screen_level, estimator
    )
    stop_reason = stopping.completed
    while len(search.selected) < stopping.n_max(len(columns)):
        progress.begin_step()
        pool = path.pool()
        # the step test first: when even the largest statistic is not
        # significant, no candidate is, and the step's scores are not needed
        decision = (
            GO
            if blocks.queued
            else stopping.before_scoring(search.selected, pool, blocks.pending)
        )
        if not decision.stop:
            search.refresh(path.remaining())
            k, score, block = blocks.choose(search, pool)
            if block is None:
                decision = stopping.decide(k, score)
            else:  # a member of a synergistic block, tested by the screen
                decision = Decision.of_block(block)
        if decision.stop:
            stop_reason = decision.reason
            break
        search.select(k)
        p = path.take(k, score, decision)
        progress.selected(search, k, score, p, block is not None)
    progress.stopped(stop_reason)
    if path_state is not None:
        path_state.save(
            search, path.available, path.deferred, path.gains, blocks.offers
        )
    return path.result(search, stop_reason, blocks)
