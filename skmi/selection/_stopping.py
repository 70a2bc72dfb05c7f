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

import copy
from dataclasses import dataclass

import numpy as np
from joblib import effective_n_jobs

from ._steptest import StepTester, decisive_exceedances

__all__ = ["Decision", "StoppingRule"]

#: seeds of the step test's random state are drawn in ``[0, _MAX_SEED)``
_MAX_SEED = np.iinfo(np.int32).max


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


def _not_significant(step, alpha, tester, what):
    """``what`` (a sentence's start) and the step's p-value, statistic and rows."""
    return f"{what} at alpha={alpha:g}: {step.describe()} ({tester.rows_note()})"


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

    def __init__(
        self, n_features_to_select, tol, alpha, tester=None, names=None, units=" nats"
    ):
        self.auto = isinstance(n_features_to_select, str)
        self.n_select = None if self.auto else int(n_features_to_select)
        self.tol = tol
        self.alpha = alpha
        self.tester = tester
        self.names = names
        self.units = units
        self._step = None
        self._failed = None

    @classmethod
    def of(cls, params, columns, target, categorical, rng, estimator=None):
        """The rule of a search (see :class:`~skmi.selection._forward.ForwardParams`).

        The step test draws its rows and permutations from its own random
        state, seeded from a copy of ``rng``: ``rng`` is not advanced, so the
        rest of the search (the interaction screen) draws the same numbers
        whether the steps are tested or not, and "auto" selects the first
        features of the path of a fixed number. ``estimator`` (the search's)
        estimates the conditional information of a chosen candidate on
        neighbours (see :meth:`StepTester.test_chosen`).
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
                np.random.RandomState(copy.deepcopy(rng).randint(_MAX_SEED, size=2)[1]),
                params.n_permutations,
                decisive_exceedances(params.alpha, params.n_permutations),
                workers=effective_n_jobs(params.n_jobs),
                estimator=estimator,
            )
        units = "" if params.criterion == "disr" else " nats"
        return cls(
            params.n_features_to_select,
            params.tol,
            params.alpha,
            tester,
            params.feature_names,
            units,
        )

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

    def before_scoring(self, selected, pool, blocks_pending=False):
        """Test the step on its largest statistic, before any score is needed.

        When the test does not reject and synergistic blocks are pending,
        the answer waits for :meth:`decide`: the step is scored as a search
        of a fixed number of features scores it, and a block that search
        would let enter here enters (the screen tested it); otherwise the
        search stops.
        """
        self._failed = None
        if not self.tested:
            return GO
        self._step = self.tester.test(selected, pool)
        if self._step.pvalue <= self.alpha:
            return GO
        what = "No remaining candidate" if selected else "No candidate"
        what += " is significant (the largest statistic over them)"
        reason = _not_significant(self._step, self.alpha, self.tester, what)
        decision = Decision(True, reason, self._step.pvalue, self._step.n_permutations)
        if blocks_pending:
            self._failed = decision
            return GO
        return decision

    def _name(self, k):
        return repr(str(self.names[k])) if self.names is not None else f"x{k}"

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
        if self._failed is not None:
            return self._failed
        step = self.tester.test_chosen(k, self._step)
        reason = ""
        if step.pvalue > self.alpha:
            what = f"The best candidate {self._name(k)} (gain {score:.4g}{self.units})"
            what += " is not significant"
            reason = _not_significant(step, self.alpha, self.tester, what)
        return Decision(bool(reason), reason, step.pvalue, step.n_permutations)
