"""Greedy forward selection with cached pairwise terms and a stopping rule.

:func:`forward_select` adds one feature at a time, the candidate of highest
criterion score (see :mod:`skmi.selection._criteria`). After a feature is
selected, the remaining candidates are evaluated against it only, and their
running sums or minima are updated; CMIM updates lazily (its scores only
decrease, so a candidate whose partial minimum is already below the best
complete score is not updated). Candidate evaluations run in parallel in
contiguous chunks; every random number (the permutations of the stopping
test) is drawn in the calling process, so results never depend on ``n_jobs``.
"""

import time
from dataclasses import dataclass, field

import numpy as np
from joblib import effective_n_jobs
from sklearn.utils.parallel import Parallel, delayed

from ..estimators._classes import KSG, PlugIn
from ..estimators._conditioning import FrenzelPompeStep
from ..estimators._plugin import code_dtype, factorize, joint_codes
from ..estimators._sparse import SparseColumns
from ..estimators._variables import Variable
from ._criteria import Accumulator, CountTerms, pair_terms, terms_needed
from ._interactions import BlockOffers, resolve_interactions, screen_blocks
from ._relevance import _counts_sparse, chunks, relevance, subset
from ._sparse_terms import SparseCountRunner
from ._steptest import StepTester, decisive_exceedances

__all__ = ["ForwardResult", "forward_select"]


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
# two ways of computing the pairwise terms
# --------------------------------------------------------------------------
def _concat(parts, needs):
    return {
        name: np.concatenate([p[name] for p in parts]) if parts else np.zeros(0)
        for name in needs
    }


class _EstimatorTerms:
    """Pairwise terms through the estimator's ``*_prepared`` methods."""

    def __init__(self, estimator, columns, target, n_jobs):
        self.estimator = estimator
        self.columns = columns
        self.target = target
        self.n_jobs = n_jobs

    def relevance(self):
        return relevance(self.estimator, self.columns, self.target, n_jobs=self.n_jobs)

    def conditioning(self, selected):
        """The conditioning variable of ``selected`` and its per-step structures.

        With the k-NN estimator on a continuous target and a continuous
        conditioning set, the structures of the Frenzel-Pompe estimator that
        depend only on the target and the set are kept for every candidate
        of the step (built on first use).
        """
        cols = [self.columns[j] for j in selected]
        z = (cols[0] if len(cols) == 1 else Variable.join(*cols)).precompute()
        step = None
        if isinstance(self.estimator, KSG) and self.estimator.ties == "jitter":
            step = FrenzelPompeStep.of_variables(
                self.target, z, self.estimator.n_neighbors
            )
        return z, step

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


class _CountTermsRunner:
    """Pairwise terms of discrete variables by vectorised counting."""

    def __init__(self, columns, target, n_jobs, chance=False):
        n_levels = np.array([c.n_levels for c in columns], dtype=np.int64)
        # one byte per value for up to 256 levels
        dtype = code_dtype(int(n_levels.max()))
        codes = [c.codes.astype(dtype, copy=False) for c in columns]
        self.counts = CountTerms(codes, n_levels, target, n_jobs, chance=chance)
        self.n = target.n_samples
        self.n_jobs = n_jobs

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


def _counts_apply(estimator, columns, target):
    """Whether vectorised counting gives the estimator's own values."""
    if isinstance(columns, SparseColumns):
        return False  # (sparse discrete columns have their own runner)
    if not (target.is_discrete and all(c.is_discrete for c in columns)):
        return False
    if isinstance(estimator, PlugIn):
        return estimator.correction is None
    return isinstance(estimator, KSG)


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
    def __init__(self, runner, columns, criterion, beta, rel, n_jobs):
        self.runner = runner
        self.columns = columns
        self.criterion = criterion
        self.needs = terms_needed(criterion)
        self.beta = beta
        self.rel = rel
        self.acc = Accumulator(criterion, rel, beta)
        self.selected = []
        # CMIM: number of selected features folded into each partial minimum
        self.n_folded = np.zeros(len(columns), dtype=np.int64)
        self.batch = max(16, 4 * effective_n_jobs(n_jobs))
        if isinstance(runner, _CountTermsRunner) and not runner.counts.chance:
            # (counting is cheap per candidate; expectations for chance are not)
            self.batch = max(256, self.batch)

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

    def update(self, candidates):
        """Evaluate the remaining candidates against the newly selected feature."""
        if not self.needs or self.criterion == "cmim" or candidates.size == 0:
            return
        selected = self.selected if self.criterion == "cmi" else self.selected[-1:]
        z = self.runner.conditioning(selected)
        self.acc.add(self.runner.terms(candidates, z, self.needs), candidates)


def _not_significant(step, alpha):
    return (
        f"p-value {step.pvalue:.3g} > alpha={alpha:g} "
        f"({step.n_permutations} permutations)"
    )


def forward_select(
    estimator,
    columns,
    target,
    *,
    criterion="jmi",
    n_features_to_select="auto",
    tol=None,
    alpha=0.05,
    n_permutations=19,
    beta=1.0,
    raw=None,
    constant=None,
    categorical=None,
    rng=None,
    n_jobs=None,
    verbose=0,
    feature_names=None,
    interactions=1,
    path_state=None,
):
    """Greedy forward selection of prepared columns.

    Parameters
    ----------
    estimator : BaseMIEstimator
        Information estimator whose kernels compute every term.
    columns : list of Variable
        Prepared features.
    target : Variable
        Prepared target.
    criterion : str
        One of :data:`skmi.selection._criteria.CRITERIA`.
    n_features_to_select : int or "auto"
        Number of features to select, or "auto" for the stopping rule: stop
        when the best candidate's score is below ``tol`` (when ``tol`` is not
        None), or else when the step test of
        :class:`~skmi.selection._steptest.StepTester` does not reject at
        level ``alpha``. The first step is tested too, so "auto" may select
        no feature.
    tol : float or None
    alpha : float
    n_permutations : int
        Largest number of permutations per step test; the drawing stops as
        soon as the decision at level ``alpha`` is known.
    beta : float
        MIFS redundancy weight.
    raw : ndarray of shape (n_samples, n_columns) or None
        Raw values of the columns, used to recognise exact duplicates of
        continuous columns.
    constant : ndarray of shape (n_columns,), bool, or None
        Columns that hold a single value: their relevance is set to 0 and,
        like exact duplicates of selected columns, they are chosen only when
        no other candidate is left.
    categorical : ndarray of shape (n_columns,), bool, or None
        Which columns are categorical for the step test (None: every column
        prepared as discrete codes, including binned continuous ones).
    rng : numpy.random.RandomState
        Source of the step tests' subsample and permutations (drawn in this
        process).
    n_jobs : int or None
    verbose : int
    feature_names : sequence of str or None
        Names used in the progress messages.
    interactions : int or "auto"
        1: no screen; 2: screen pairs for synergy; 3: pairs and triples;
        "auto": pairs when there are few features (see
        :mod:`skmi.selection._interactions`). Significant synergistic sets
        are offered at each step and enter as blocks of consecutive
        selections, which the step test does not test again (the screen
        tested them).
    path_state : PathState or None
        A path to resume and to store the path in (see
        :mod:`skmi.selection._cache`); integer ``n_features_to_select`` only.

    Returns
    -------
    ForwardResult
    """
    start = time.perf_counter()
    n_columns = len(columns)
    if criterion == "disr" and not (
        target.is_discrete and all(c.is_discrete for c in columns)
    ):
        raise ValueError(
            "criterion='disr' divides by the joint entropy H(X_k, X_j, Y), which "
            "is a Shannon entropy only for discrete variables; here some prepared "
            "variables are continuous (their differential entropy may be zero or "
            "negative). Use estimator=PlugIn() to discretise them, mark the "
            "columns and target as discrete, or choose another criterion."
        )
    target.precompute()
    if _counts_sparse(estimator, columns, target, None):
        runner = SparseCountRunner(estimator, columns, target, n_jobs)
    elif _counts_apply(estimator, columns, target):
        chance = estimator._chance()
        runner = _CountTermsRunner(columns, target, n_jobs, chance=chance)
    else:
        if not isinstance(columns, SparseColumns):  # (built on demand there)
            for c in columns:
                c.precompute()
        runner = _EstimatorTerms(estimator, columns, target, n_jobs)
    if path_state is not None and path_state.saved:
        rel = path_state.relevance
    else:
        rel = np.asarray(runner.relevance(), dtype=np.float64)
    deferred = np.zeros(n_columns, dtype=bool)
    if constant is not None:
        deferred |= constant
    search = _Search(runner, columns, criterion, beta, rel, n_jobs)
    duplicates = _Duplicates(columns, raw)
    auto = isinstance(n_features_to_select, str)
    tested = auto and tol is None
    tester = None
    if tested:
        if categorical is None:
            categorical = np.array([c.is_discrete for c in columns], dtype=bool)
        tester = StepTester(
            columns,
            target,
            categorical,
            rng,
            n_permutations,
            decisive_exceedances(alpha, n_permutations),
            workers=effective_n_jobs(n_jobs),
        )
    n_max = n_columns if auto else min(int(n_features_to_select), n_columns)
    available = np.ones(n_columns, dtype=bool)
    gains, pvalues, n_used = [], [], []
    stop_reason = "all features selected" if auto else "n_features_to_select reached"
    if path_state is not None and path_state.saved:
        offers = path_state.restore(search, available, deferred, gains)
    else:
        offers = BlockOffers(
            screen_blocks(
                estimator,
                columns,
                target,
                rel,
                size=resolve_interactions(interactions, n_columns),
                alpha=alpha,
                n_permutations=n_permutations,
                rng=rng,
                exclude=deferred,
                n_jobs=n_jobs,
            )
        )
    # whether the scores include the last selected feature (a stored path
    # ends before its candidates were evaluated against it)
    current = False
    while len(search.selected) < n_max:
        step_start = time.perf_counter()
        pool = np.flatnonzero(available & ~deferred)
        if pool.size == 0:
            pool = np.flatnonzero(available)
        step = None
        if tested and not offers.queued:
            # the largest statistic first: when even it is not significant,
            # no candidate is, and the step's scores are not needed
            step = tester.test(search.selected, pool)
            if step.pvalue > alpha:
                if offers.offer(search.selected):  # a block before stopping
                    continue
                stop_reason = _not_significant(step, alpha)
                break
        if search.selected and not current:
            search.update(np.flatnonzero(available))
            current = True
        if not offers.queued:
            k, score = search.best(pool)
            offers.offer(search.selected, k, score)
        in_block = offers.queued
        if in_block:  # a member of a synergistic block, tested by the screen
            k, block = offers.pop()
            score = search.best(np.array([k]))[1]
        else:
            stop = None
            if auto and not np.isfinite(score):
                stop = "no candidate's score is estimable"
            elif auto and tol is not None and score < tol:
                stop = f"best score {score:.4g} < tol={tol:g}"
            elif tested:
                step = step.pvalue_at(tester.observed_of(k))
                if step.pvalue > alpha:
                    stop = _not_significant(step, alpha)
            if stop is not None:
                if offers.offer(search.selected):  # a block before stopping
                    continue
                stop_reason = stop
                break
        p = None
        if tested:
            p, used = (
                (block.pvalue, block.n_permutations)
                if in_block
                else (step.pvalue, step.n_permutations)
            )
            pvalues.append(p)
            n_used.append(used)
        search.select(k)
        current = False
        available[k] = False
        gains.append(score)
        remaining = np.flatnonzero(available)
        deferred[remaining] |= duplicates.of(k, remaining)
        if verbose > 0:
            name = feature_names[k] if feature_names is not None else f"x{k}"
            extra = "" if p is None else f", p-value {p:.3g}"
            extra += " (synergistic block)" if in_block else ""
            units = "" if criterion == "disr" and len(search.selected) > 1 else " nats"
            print(
                f"[forward {criterion}] step {len(search.selected)}: {name} "
                f"(index {k}), score {score:.4g}{units}{extra}, "
                f"{time.perf_counter() - step_start:.2f} s "
                f"(total {time.perf_counter() - start:.2f} s)"
            )
    if verbose > 0:
        print(f"[forward {criterion}] stopped: {stop_reason}")
    if path_state is not None:
        path_state.save(search, available, deferred, gains, offers)
    return ForwardResult(
        selection_order=np.asarray(search.selected, dtype=np.intp),
        gains=np.asarray(gains, dtype=np.float64),
        pvalues=np.asarray(pvalues, dtype=np.float64) if tested else None,
        relevance=rel,
        stop_reason=stop_reason,
        n_permutations=np.asarray(n_used, dtype=np.int64) if tested else None,
        blocks=list(offers.entered),
    )
