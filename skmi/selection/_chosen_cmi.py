"""The k-NN conditional mutual information of a step's chosen candidate.

The step test of :mod:`skmi.selection._steptest` judges the largest
neighbour statistic over all candidates; a criterion then chooses its own
candidate. On continuous (or mixed) data the neighbour statistic and the
criterion's k-NN estimates do not always agree on which candidate carries
information: with three or more selected features the neighbour statistic
loses most of its power on nonlinear dependence (an ``|x|`` term given three
selected features: power 0 of 40 against 30 of 40 for the k-NN CMI, see the
user guide), and a candidate the criterion chooses with a clear conditional
information can rank far down the neighbour statistics.

So the chosen candidate ``X_k`` is judged by the Frenzel-Pompe/KSG estimate
of ``I(X_k; Y | X_S)`` (the same k-NN family the default criterion uses),
against the same estimate on the target permuted by the permutations the
step test drew (within strata or among neighbours of the selected set), in
the same sequential Monte Carlo test (Besag and Clifford, 1991). The step
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
"""

import dataclasses

import numpy as np

from ..estimators._variables import Variable
from ._permutation import sequential_pvalue

__all__ = ["PermutationRecord", "chosen_cmi_test", "joined"]


class PermutationRecord:
    """A permutation sampler that keeps what it drew, to draw it again.

    Parameters
    ----------
    draw : callable
        ``draw(b)`` gives ``b`` permutations (an int array ``(b, n)``).
    """

    def __init__(self, draw):
        self._draw = draw
        self.drawn = []

    def __call__(self, b):
        perms = self._draw(b)
        self.drawn.append(perms)
        return perms

    def replay(self):
        """``draw(b)`` giving the recorded permutations again, in order."""
        stack = np.vstack(self.drawn) if self.drawn else np.zeros((0, 0), int)
        position = [0]

        def draw(b):
            start = position[0]
            position[0] = start + b
            return stack[start : start + b]

        return draw, stack.shape[0]


def chosen_cmi_test(x, y, z, step, record, estimator):
    """The permutation test of ``I(X; Y | Z)`` on the step test's draws.

    Parameters
    ----------
    x, y : Variable
        The chosen candidate and the target on the test rows.
    z : Variable or None
        The selected set on the test rows (None: the first step).
    step : StepTest
        The step test (of the largest statistic), whose permutations
        ``record`` holds (all of them: a step test that rejected drew every
        permutation).
    record : PermutationRecord
    estimator : BaseMIEstimator
        The estimator of the conditional information (the search's own, which
        prepared ``x``, ``y`` and ``z``).

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
    >>> record = PermutationRecord(lambda b: free_permutations(200, b, rng))
    >>> step = sequential_pvalue(1.0, lambda p: np.zeros((len(p), 1)), record, 19, 1)
    >>> chosen_cmi_test(x, y, None, step, record, KSG()).pvalue
    0.05
    """
    draw, available = record.replay()
    if available < step.max_permutations:
        raise ValueError("the step test stopped before its last permutation")

    def estimate(target):
        return estimator.conditional_mutual_info_prepared(x, target, z)

    def score(permutations):
        return np.array([[estimate(y.take(p))] for p in permutations])

    chosen = sequential_pvalue(
        estimate(y), score, draw, step.max_permutations, step.n_exceed, batch=1
    )
    return dataclasses.replace(chosen, pvalue=max(chosen.pvalue, step.pvalue))


def joined(columns):
    """The joint variable of ``columns`` (None for none)."""
    return Variable.join(*columns) if columns else None
