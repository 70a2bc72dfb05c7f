"""The k-NN conditional mutual information of a step's chosen candidate.

The step test of :mod:`skmi.selection._steptest` judges the largest
neighbour statistic over all candidates; a criterion then chooses its own
candidate. On continuous (or mixed) data the neighbour statistic and the
criterion's k-NN estimates do not always agree on which candidate carries
information: a candidate the criterion chooses with a clear conditional
information can rank far down the neighbour statistics, and the neighbour
statistic sees a close proxy of the selected features where the estimate
does not (see the user guide). (When the neighbour statistic summed
``min(R_i, R_j)`` it also lost its power on an ``|x|`` term given three
selected features, 0 of 38 against 37 of 38 for the k-NN CMI; with the gap
``|R_i - R_j|`` both pass 40 of 40.)

So the chosen candidate ``X_k`` is judged by the Frenzel-Pompe/KSG estimate
of ``I(X_k; Y | X_S)`` (the same k-NN family the default criterion uses),
against the same estimate on candidates drawn again given the selected set
by the permutations the step test drew (within strata or among neighbours
of the selected set), in the same sequential Monte Carlo test (Besag and
Clifford, 1991). The candidates are drawn again, not the target (a
conditional randomisation in the manner of Candes et al., 2018, with the
candidate's law given the set approximated by a fit on it, least squares
on its columns and their squares plus a mean of the residuals over
neighbours, and permuted
residuals, :class:`Resampler`): a permutation of the target among
neighbours blurs its relation with three or more selected features, which
a close proxy of them then seems to restore, while the draws of a proxy
stay a function of the set; and with the target and the set fixed, every
estimate of the step shares the estimator's structures of them. The step
admits ``X_k`` only when both tests reject: the test of the largest neighbour
statistic keeps the level under the hypothesis that no candidate carries
information, and the test of the chosen one keeps a candidate without
information from entering when another one carries some.

References
----------
.. [1] S. Frenzel and B. Pompe, "Partial mutual information for coupling
   analysis of multivariate time series", Physical Review Letters 99, 2007.
.. [2] J. Runge, "Conditional independence testing based on a
   nearest-neighbor estimator of conditional mutual information", AISTATS
   2018.
.. [3] E. Candes, Y. Fan, L. Janson and J. Lv, "Panning for gold: model-X
   knockoffs for high dimensional controlled variable selection", Journal
   of the Royal Statistical Society B 80, 2018.
"""

import dataclasses

import numpy as np

from ..estimators._variables import Variable
from ._permutation import query_others, reaches, sequential_pvalue

__all__ = [
    "PermutationRecord",
    "Resampler",
    "smoothing_neighbours",
    "chosen_cmi_test",
    "joined",
    "step_estimate",
]

#: candidates of largest neighbour statistic on each permutation against
#: which the chosen candidate is judged
N_RIVALS = 2
#: neighbours in the selected set over which a candidate's residuals on its
#: linear fit are averaged (the local part of its fit)
N_SMOOTHING = 5
#: rows per column of a candidate's least-squares fit on the selected set
#: below which its squares are left out
ROWS_PER_TERM = 10
#: separation of the levels of the selected set's discrete part when its
#: neighbours are sought (continuous coordinates are standardised)
_LEVEL_GAP = 1e6


class PermutationRecord:
    """The step test's permutations and each one's strongest candidates.

    Wraps the sampler and the statistic of a step test so that the chosen
    candidate's test can replay the same permutations, and match the chosen
    candidate against the candidates of its kind whose statistic was
    largest on each. (Kinds: the estimates of continuous and of discrete
    candidates are not on one scale, e.g. those of a discrete candidate
    given a continuous set lie lower, so a candidate is matched against
    its own kind.)

    Parameters
    ----------
    draw : callable
        ``draw(b)`` gives ``b`` permutations (an int array ``(b, n)``).
    score : callable
        ``score(permutations)`` gives the statistics of every candidate.
    n_rivals : int, default=N_RIVALS
        Candidates kept per permutation and kind.
    kinds : ndarray of int or None, default=None
        The kind of each candidate (None: one kind).
    """

    def __init__(self, draw, score, n_rivals=N_RIVALS, kinds=None):
        self._draw, self._score, self.n_rivals = draw, score, n_rivals
        self.kinds = None if kinds is None else np.asarray(kinds)
        self.drawn, self._rivals = [], {}

    def draw(self, b):
        perms = self._draw(b)
        self.drawn.append(perms)
        return perms

    def score(self, permutations):
        scores = self._score(permutations)
        if permutations.shape[0] > 1 or not np.array_equal(
            permutations[0], np.arange(permutations.shape[1])
        ):
            kinds = np.zeros(scores.shape[1], int) if self.kinds is None else self.kinds
            for kind in np.unique(kinds):
                members = np.flatnonzero(kinds == kind)
                m = min(self.n_rivals, members.size)
                top = np.argpartition(-scores[:, members], m - 1, axis=1)[:, :m]
                self._rivals.setdefault(int(kind), []).append(members[top])
        return scores

    def rivals(self, k):
        """The strongest candidates of ``k``'s kind on each permutation drawn,
        an int array ``(n_drawn, n_rivals)`` (fewer columns for a small kind)."""
        kind = 0 if self.kinds is None else int(self.kinds[k])
        return np.vstack(self._rivals[kind])

    @property
    def n_drawn(self):
        return sum(p.shape[0] for p in self.drawn)


class Resampler:
    """A candidate drawn again given the selected set, by a permutation of rows.

    Under the hypothesis that ``X_k`` carries no information on ``Y`` given
    ``Z``, the candidate may be drawn again from its distribution given
    ``Z`` while ``Y`` and ``Z`` stay as they are. A continuous candidate is
    split into a fit on ``Z`` and residuals; a draw permutes the residuals
    by a permutation that respects ``Z`` (within its strata, or among its
    neighbours) and puts the candidate's own values back in the order of
    the result, so that the draw has exactly the candidate's values, ties
    included. The fit is a least-squares fit on ``Z``'s continuous
    coordinates and their squares (:func:`_design`) plus,
    given ``neighbours`` in ``Z``, the mean of its residuals over them. A
    smooth function of ``Z`` (a close proxy of a sum, or of a sum of
    squares, of selected features) is thus drawn as a function of ``Z``
    again, which a permutation of the rows alone blurs in three and more
    dimensions, and a mean over neighbours too. Discrete (or mixed)
    candidates are permuted as they are.

    Parameters
    ----------
    x : Variable
        The candidate.
    z : Variable or None
        The selected set (None: the first step, where a draw is a
        permutation of the candidate).
    neighbours : ndarray of shape (n, m) or None, default=None
        Each row's nearest other rows in ``Z`` (see :func:`smoothing_neighbours`).

    Examples
    --------
    >>> import numpy as np
    >>> from skmi.estimators._variables import Variable
    >>> from skmi.selection._chosen_cmi import Resampler
    >>> rng = np.random.RandomState(0)
    >>> z = rng.standard_normal(500)
    >>> x = Variable(2 * z + 0.1 * rng.standard_normal(500))
    >>> perm = rng.permutation(500)
    >>> drawn = Resampler(x, Variable(z)).draw(perm).continuous[:, 0]
    >>> bool(np.array_equal(np.sort(drawn), np.sort(x.continuous[:, 0])))
    True
    >>> bool(np.abs(drawn - 2 * z).max() < 1.0)  # still a function of z
    True
    >>> bool(np.abs(x.continuous[perm, 0] - 2 * z).max() < 1.0)  # not so
    False
    """

    def __init__(self, x, z, neighbours=None):
        self.x = x
        self.fitted = None
        if x.is_continuous and not x.constant:
            values = x.continuous
            design = _design(z, values.shape[0])
            beta = np.linalg.lstsq(design, values, rcond=None)[0]
            self.fitted = design @ beta
            if neighbours is not None:
                self.fitted += (values - self.fitted)[neighbours].mean(axis=1)
            self.residuals = values - self.fitted
            self.values = np.sort(values, axis=0)

    def draw(self, permutation):
        """The candidate drawn with the rows' residuals permuted."""
        if self.fitted is None:
            return self.x.take(permutation)
        drawn = self.fitted + self.residuals[permutation]
        out = np.empty_like(drawn)
        np.put_along_axis(
            out, np.argsort(drawn, axis=0, kind="stable"), self.values, axis=0
        )
        return Variable(out)


def _design(z, n):
    """The least-squares design of a candidate's fit on ``z``: an intercept,
    ``z``'s continuous columns and, while the design keeps ``ROWS_PER_TERM``
    rows per column, their squares.

    (Not their products: on ``load_digits`` a fit with the products of the
    selected pixels followed the candidates so closely that the search
    stopped at 7 features rather than 12, its draws keeping what the
    candidates add.)
    """
    parts = [np.ones((n, 1))]
    if z is not None and z.continuous is not None:
        c = z.continuous
        parts.append(c)
        if (1 + 2 * c.shape[1]) * ROWS_PER_TERM <= n:
            parts.append(c**2)
    return np.hstack(parts)


def smoothing_neighbours(z, m=N_SMOOTHING):
    """Each row's ``m`` nearest other rows in ``z`` for :class:`Resampler`,
    or None where no smoothing applies.

    None without a continuous part: given strata alone, a draw is then a
    permutation of the candidate within them (exact). Neighbours share the
    level of ``z``'s discrete part where it has enough rows; continuous
    coordinates are standardised values, not the step test's rank
    coordinates: a smoother follows a function of the values, and ranks
    squeeze its tails (the step test's own neighbours admitted a proxy of
    the sum of squares of two selected features in 0.62 of the data sets of
    ``benchmarks/bench_stopping.py``, these in 0.25).
    """
    if z is None or z.continuous is None or z.n_samples <= m:
        return None
    c = z.continuous
    spread = c.std(axis=0)
    parts = [(c - c.mean(axis=0)) / np.where(spread > 0, spread, 1.0)]
    if z.codes is not None:
        parts.append(_LEVEL_GAP * z.codes[:, None].astype(np.float64))
    return query_others(np.hstack(parts), m, 1)[1]


def chosen_cmi_test(column, k, y, z, step, record, estimator):
    """The test of ``I(X_k; Y | Z)`` on the step test's permutations.

    The observed statistic is the estimate of ``I(X_k; Y | Z)``. Each
    permutation of the step test draws the candidates again given ``Z``
    (:class:`Resampler`: their residuals on ``Z`` permuted, ``Y`` and ``Z``
    kept), and the null statistic is the largest estimate over ``X_k`` and
    the candidates of its kind (continuous or discrete) whose neighbour
    statistics were largest on that permutation
    (:meth:`PermutationRecord.rivals`; a screened maximum: the chosen
    candidate is judged against the best of a short list, not against
    itself alone). The other
    candidates of a permutation are not estimated once ``X_k``'s estimate
    reaches the observed one (the maximum then does too). As ``Y`` and
    ``Z`` stay, every estimate of the test shares the estimator's
    structures of the step (its neighbour lists of ``Z`` and the target).

    Parameters
    ----------
    column : callable
        ``column(j)`` gives candidate ``j`` (position ``j`` in the step's
        candidates) on the test rows, a Variable.
    k : int
        Position of the chosen candidate.
    y : Variable
        The target on the test rows.
    z : Variable or None
        The selected set on the test rows (None: the first step).
    step : StepTest
        The step test (of the largest statistic), whose permutations
        ``record`` holds (all of them: a step test that rejected drew every
        permutation).
    record : PermutationRecord
    estimator : BaseMIEstimator
        The estimator of the conditional information (the search's own, which
        prepared the columns).

    Returns
    -------
    StepTest
        The sequential test of the chosen candidate's estimate on the
        recorded permutations, with the larger of its p-value and the step
        test's (the step admits the candidate only when both reject).

    Examples
    --------
    >>> import numpy as np
    >>> from skmi.estimators import KSG
    >>> from skmi.estimators._variables import Variable
    >>> from skmi.selection._chosen_cmi import PermutationRecord, chosen_cmi_test
    >>> from skmi.selection._permutation import free_permutations, sequential_pvalue
    >>> rng = np.random.RandomState(0)
    >>> a = rng.standard_normal(200)
    >>> x, y = Variable(a), Variable(a + 0.5 * rng.standard_normal(200))
    >>> record = PermutationRecord(
    ...     lambda b: free_permutations(200, b, rng), lambda p: np.zeros((len(p), 1))
    ... )
    >>> step = sequential_pvalue(1.0, record.score, record.draw, 19, 1)
    >>> chosen_cmi_test(lambda j: x, 0, y, None, step, record, KSG()).pvalue
    0.05
    """
    if record.n_drawn < step.max_permutations:
        raise ValueError("the step test stopped before its last permutation")
    perms = np.vstack(record.drawn)
    strongest = record.rivals(k)
    estimate = step_estimate(estimator, y, z)
    resamplers, nearby = {}, smoothing_neighbours(z)

    def resampler(j):
        if j not in resamplers:
            resamplers[j] = Resampler(column(j), z, nearby)
        return resamplers[j]

    position = [0]

    def draw(b):
        start = position[0]
        position[0] = start + b
        return np.arange(start, start + b)[:, None]

    def score(rows):
        out = np.empty((rows.shape[0], 1))
        for i, b in enumerate(rows[:, 0]):
            others = sorted({int(j) for j in strongest[b]} - {k})
            out[i, 0] = -np.inf
            for j in [k, *others]:  # once one reaches, the maximum does
                out[i, 0] = max(out[i, 0], estimate(resampler(j).draw(perms[b])))
                if reaches(out[i, 0], observed):
                    break
        return out

    observed = estimate(column(k))
    chosen = sequential_pvalue(
        observed, score, draw, step.max_permutations, step.n_exceed, batch=1
    )
    return dataclasses.replace(chosen, pvalue=max(chosen.pvalue, step.pvalue))


def step_estimate(estimator, y, z):
    """``estimate(x)``: the estimator's ``I(X; Y | Z)`` for a step's ``y``, ``z``.

    Through the estimator's structures of ``y`` and ``z`` where it has them
    (built once for every candidate and draw of the step), otherwise its
    plain estimate; both give the same value.
    """
    structure = None if z is None else estimator._step_structure(y, z)

    def estimate(x):
        value = None if structure is None else structure.conditional_mutual_info(x)
        if value is None:
            value = estimator.conditional_mutual_info_prepared(x, y, z)
        return value

    return estimate


def joined(columns):
    """The joint variable of ``columns`` (None for none)."""
    return Variable.join(*columns) if columns else None
