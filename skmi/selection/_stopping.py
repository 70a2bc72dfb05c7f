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
  When the interaction screen ran, it spent a share of ``alpha``
  (:data:`~skmi.selection._screen_plan.SCREEN_SHARE`) and the first step's
  test (the test that anything at all is informative) is at the level
  left, so that pure noise is selected (by a false block or a false first
  step) with probability at most ``alpha``; every later step is tested at
  ``alpha``.

The rule only answers; the loop acts on its :class:`Decision`.
"""

import copy
from dataclasses import dataclass

import numpy as np
from joblib import effective_n_jobs

from ._interactions import level_permutations
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


def _not_significant(step, rule, what):
    """``what`` (a sentence's start) and the step's p-value, statistic and rows."""
    level = f"alpha={rule.alpha:g}"
    if rule.level < rule.alpha:
        level = (
            f"level {rule.level:.3g} (alpha={rule.alpha:g} less the interaction "
            f"screen's {rule.alpha - rule.level:.3g})"
        )
    return f"{what} at {level}: {step.describe()} ({rule.tester.rows_note()})"


class StoppingRule:
    """Whether a forward search stops at a step.

    Parameters
    ----------
    n_features_to_select : int or "auto"
    tol : float or None
        With "auto": the smallest best score that lets the search go on
        (instead of the step test).
    alpha : float
        Level of the step tests.
    tester : StepTester or None
        The step test; given exactly when the rule is tested ("auto" without
        ``tol``).
    names : sequence of str or None
        Feature names, for the stop reason.
    units : str
        Units of the scores, for the stop reason.
    screen_level : float
        The level the interaction screen spent of ``alpha``: the first step
        is tested at what it left, with at least the permutations that level
        needs.
    """

    def __init__(
        self,
        n_features_to_select,
        tol,
        alpha,
        tester=None,
        names=None,
        units=" nats",
        screen_level=0.0,
    ):
        self.auto = isinstance(n_features_to_select, str)
        self.n_select = None if self.auto else int(n_features_to_select)
        self.tol = tol
        self.alpha = alpha
        self.first_level = alpha - screen_level
        self.level = alpha  #: the level of the step being decided
        self.tester = tester
        self.names = names
        self.units = units
        self._step = None
        self._failed = None

    @staticmethod
    def tests(params):
        """Whether a search of ``params`` tests its steps ("auto" without tol)."""
        return isinstance(params.n_features_to_select, str) and params.tol is None

    @classmethod
    def of(
        cls, params, columns, target, categorical, rng, screen_level=0.0, estimator=None
    ):
        """The rule of a search (see :class:`~skmi.selection._forward.ForwardParams`).

        The first step is tested at what the interaction screen (which
        tested at ``screen_level``, 0 when it did not run) left of
        ``params.alpha``, the others at ``params.alpha``.

        The step test draws its rows and permutations from its own random
        state, seeded from a copy of ``rng``: ``rng`` is not advanced, so the
        rest of the search (the interaction screen) draws the same numbers
        whether the steps are tested or not, and "auto" selects the first
        features of the path of a fixed number. ``estimator`` (the search's)
        estimates the conditional information of a chosen candidate on
        neighbours (see :meth:`StepTester.test_chosen`).
        """
        tester = None
        if cls.tests(params):
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
            screen_level,
        )

    def _budget(self, selected):
        """The level of the step after ``selected``, and its permutations
        (None: the tester's own) and decisive exceedances."""
        if selected or self.first_level >= self.alpha:
            return self.alpha, None, None
        n = level_permutations(self.first_level, self.tester.n_permutations, 0)
        return self.first_level, n, decisive_exceedances(self.first_level, n)

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
        self.level, n_permutations, n_exceed = self._budget(selected)
        self._step = self.tester.test(selected, pool, n_permutations, n_exceed)
        if self._step.pvalue <= self.level:
            return GO
        what = "No remaining candidate" if selected else "No candidate"
        what += " is significant (the largest statistic over them)"
        reason = _not_significant(self._step, self, what)
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
        if step.pvalue > self.level:
            what = f"The best candidate {self._name(k)} (gain {score:.4g}{self.units})"
            what += " is not significant"
            reason = _not_significant(step, self, what)
        return Decision(bool(reason), reason, step.pvalue, step.n_permutations)
