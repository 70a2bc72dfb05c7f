"""What ends a forward search.

A search for a given number of features stops when it has them. With
``n_features_to_select="auto"`` a :class:`StoppingRule` decides each step:

* a step whose best score is not estimable (NaN for every candidate) stops;
* with ``tol``: a step whose best score is below ``tol`` stops;
* without ``tol``: the step test
  (:class:`~skmi.selection._steptest.StepTester`) of the hypothesis that no
  remaining candidate carries information on the target given the selected
  set. It is run before the candidates are scored (on the largest statistic
  over all of them: when even it is not significant, no candidate is), then
  read at the chosen candidate's statistic on the same permutations.

The rule only answers; the loop acts on its :class:`Decision`.
"""

from dataclasses import dataclass

import numpy as np
from joblib import effective_n_jobs

from ._steptest import StepTester, decisive_exceedances

__all__ = ["Decision", "StoppingRule"]


@dataclass(frozen=True)
class Decision:
    """The answer of a :class:`StoppingRule` at one step."""

    stop: bool  #: whether the search stops here
    reason: str = ""  #: why it stops
    pvalue: float | None = None  #: the step's p-value (tested steps)
    n_permutations: int | None = None  #: permutations the test needed

    @classmethod
    def of_block(cls, block):
        """A member of a synergistic block enters: the screen tested it."""
        return cls(False, "", block.pvalue, block.n_permutations)


#: the decision to go on, when there is nothing to say
GO = Decision(False)


def _not_significant(step, alpha):
    return (
        f"p-value {step.pvalue:.3g} > alpha={alpha:g} "
        f"({step.n_permutations} permutations)"
    )


class StoppingRule:
    """Whether a forward search stops at a step.

    Parameters
    ----------
    n_features_to_select : int or "auto"
    tol : float or None
        With "auto": the smallest best score that lets the search go on
        (instead of the step test).
    alpha : float
        Level of the step test.
    tester : StepTester or None
        The step test; given exactly when the rule is tested ("auto" without
        ``tol``).
    """

    def __init__(self, n_features_to_select, tol, alpha, tester=None):
        self.auto = isinstance(n_features_to_select, str)
        self.n_select = None if self.auto else int(n_features_to_select)
        self.tol = tol
        self.alpha = alpha
        self.tester = tester
        self._step = None

    @classmethod
    def of(cls, params, columns, target, categorical, rng):
        """The rule of a search (see :class:`~skmi.selection._forward.ForwardParams`).

        The step test draws its rows from ``rng`` here, when it is built.
        """
        auto = isinstance(params.n_features_to_select, str)
        tester = None
        if auto and params.tol is None:
            if categorical is None:
                categorical = np.array([c.is_discrete for c in columns], dtype=bool)
            tester = StepTester(
                columns,
                target,
                categorical,
                rng,
                params.n_permutations,
                decisive_exceedances(params.alpha, params.n_permutations),
                workers=effective_n_jobs(params.n_jobs),
            )
        return cls(params.n_features_to_select, params.tol, params.alpha, tester)

    @property
    def tested(self):
        """Whether the steps are tested (and get p-values)."""
        return self.tester is not None

    @property
    def completed(self):
        """The stop reason of a search that ran to its end."""
        return "all features selected" if self.auto else "n_features_to_select reached"

    def n_max(self, n_columns):
        """The largest number of features the search selects."""
        return n_columns if self.auto else min(self.n_select, n_columns)

    def before_scoring(self, selected, pool):
        """Test the step on its largest statistic, before any score is needed."""
        if not self.tested:
            return GO
        self._step = self.tester.test(selected, pool)
        if self._step.pvalue > self.alpha:
            return Decision(
                True,
                _not_significant(self._step, self.alpha),
                self._step.pvalue,
                self._step.n_permutations,
            )
        return GO

    def decide(self, k, score):
        """Whether the search stops rather than select ``k`` of score ``score``.

        Returns
        -------
        Decision
            With the p-value of ``k`` (against the null maxima drawn by
            :meth:`before_scoring`) when the steps are tested.
        """
        if self.auto and not np.isfinite(score):
            return Decision(True, "no candidate's score is estimable")
        if self.auto and self.tol is not None and score < self.tol:
            return Decision(True, f"best score {score:.4g} < tol={self.tol:g}")
        if not self.tested:
            return GO
        step = self._step.pvalue_at(self.tester.observed_of(k))
        reason = _not_significant(step, self.alpha) if step.pvalue > self.alpha else ""
        return Decision(bool(reason), reason, step.pvalue, step.n_permutations)
