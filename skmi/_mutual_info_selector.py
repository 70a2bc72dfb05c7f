"""Feature selection by the mutual information of each feature with the target."""

import copy
import warnings
from math import ceil
from numbers import Integral, Real
from typing import Literal

import joblib
import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.feature_selection import SelectorMixin

from ._inputs import DefaultEstimatorMixin, prepare_fit
from ._validation import HasMethods, Interval, StrOptions, _fit_context, check_is_fitted
from .estimators import BaseMIEstimator
from .selection._cache import cache_key, cached_pvalues, cached_scores, uses_cache
from .selection._dask_table import is_dask_collection
from .selection._relevance import relevance
from .selection._significance import (
    FALLBACK_PERMUTATIONS,
    adjust_pvalues,
    g_test_pvalues,
    permutation_pvalues,
)

__all__ = ["MutualInfoSelector"]


class _PValueInputs:
    """What the p-values of a fit need, kept until they are computed.

    The random numbers are a copy of the fit's generator at the point where
    the scores were computed, so p-values computed on first read equal those
    computed in fit.
    """

    digest = None  #: hash of the cache key when ``memory`` is set

    def __init__(self, fi, raw, test, n_permutations, n_fallback):
        self.estimator = fi.estimator
        self.columns = fi.columns
        self.target = fi.target
        self.raw = raw
        self.rng = copy.deepcopy(fi.rng)
        self.test = test
        self.n_permutations = n_permutations
        self.n_fallback = n_fallback

    def compute(self, n_jobs):
        """``(pvalues, permuted)``: the p-values and which came from permutations."""
        # constant features (or a constant target) get the p-value 1
        if self.test == "permutation":
            pvalues = permutation_pvalues(
                self.estimator,
                self.columns,
                self.target,
                self.raw,
                n_permutations=self.n_permutations,
                rng=self.rng,
                n_jobs=n_jobs,
            )
            return pvalues, None
        # G = 2 N I of the raw counts, whether or not the scores are adjusted
        # for chance (the same prepared columns)
        counting = self.estimator._g_test_estimator()
        observed = self.raw
        if counting is not self.estimator:
            observed = relevance(counting, self.columns, self.target, n_jobs=n_jobs)
        return g_test_pvalues(
            counting,
            self.columns,
            self.target,
            observed,
            rng=self.rng,
            n_permutations=self.n_fallback,
            n_jobs=n_jobs,
        )


class MutualInfoSelector(DefaultEstimatorMixin, SelectorMixin, BaseEstimator):
    """Select the features with the highest mutual information with the target.

    Each feature is scored by its estimated mutual information with the
    target, ``I(X_k; Y)`` in nats, and the best ``k`` features (or a
    percentile of them, or those above a threshold, or those significant
    after a correction for multiple testing) are kept. Unlike
    ``SelectKBest(mutual_info_classif)``, the information estimator is a
    parameter that can be tuned, discrete columns and targets are detected
    from their types, permutation or G-test p-values are available, and the
    results are reproducible for a given `random_state` whatever `n_jobs`.

    Read more in the :ref:`User Guide <marginal_selection>`.

    Parameters
    ----------
    k : int or "all", default=10
        Number of top features to keep, or "all" to keep every feature
        (useful in a grid search). A `k` larger than the number of features
        keeps every feature with a warning, as :class:`SelectKBest
        <sklearn.feature_selection.SelectKBest>` does. Ignored when
        `percentile`, `threshold` or `alpha` is given.
    percentile : float in (0, 100], default=None
        If given, keep the top ``ceil(percentile / 100 * n_features)``
        features instead of `k` (at least one feature).
    threshold : float, default=None
        If given, keep the features whose score is at least `threshold`
        nats instead of the top `k`. Only one of `percentile`, `threshold`
        and `alpha` may be given.
    alpha : float in (0, 1], default=None
        If given, keep the features whose p-value, adjusted for testing
        every feature with `correction`, is at most `alpha`, instead of the
        top `k` (as :class:`~sklearn.feature_selection.SelectFdr` and
        :class:`~sklearn.feature_selection.SelectFwe` do). Requires a test
        (see `test`): ``n_permutations >= 1``, or an uncorrected
        :class:`~skmi.estimators.PlugIn` estimator. No feature is kept when
        none is significant.
    correction : {"fdr_bh", "bonferroni"}, default="fdr_bh"
        Correction for multiple testing used with `alpha`.
        "fdr_bh" (Benjamini-Hochberg) bounds the expected share of false
        discoveries among the kept features by `alpha`; "bonferroni" bounds
        the probability of keeping any independent feature by `alpha`.
    estimator : KSG or PlugIn instance, default=None
        The information estimator from :mod:`skmi.estimators`. None means
        ``KSG()``: k-nearest-neighbour estimates for continuous columns
        (Kraskov et al., or Ross's against a discrete target) and plug-in
        counts for discrete columns against a discrete target. The
        hyper-parameters of the estimator can be tuned in a grid search, e.g.
        as ``estimator__n_neighbors`` (with None, this first sets
        ``estimator=KSG()``). The estimator's ``random_state``, when set,
        replaces `random_state` as the source of the random numbers.
    discrete_features : "auto", bool or array-like, default="auto"
        Which features are discrete. "auto" reads the columns: strings,
        categoricals, booleans, integer columns with at most 20 distinct
        values and sparse columns of integers are discrete; floating-point,
        datetime and other sparse columns are continuous (see
        :ref:`column_types`). A bool applies to all features; an array is
        a boolean mask of shape (n_features,) or the indices of the discrete
        features.
    discrete_target : "auto" or bool, default="auto"
        Whether the target is discrete. "auto" follows
        :func:`~sklearn.utils.multiclass.type_of_target`: class labels
        (binary or multiclass, strings included) are discrete, anything else
        is continuous; a numeric target with more than 20 distinct values and
        fewer than five samples per value on average is continuous (with a
        warning when its values are integers).
    n_permutations : int, default=0
        Number of permutations of the target for the permutation p-values.
        0 computes no permutation test. With ``test="g-test"``, the largest
        number of permutations for the features whose table is too sparse
        for the chi-square approximation.
    test : {"auto", "permutation", "g-test"}, default="auto"
        The significance test behind `pvalues_`. "permutation" uses
        `n_permutations` permutations of the target (any estimator).
        "g-test" uses the chi-square distribution of ``2 N I`` with
        Williams' correction, and permutations where the feature's table
        with the target is too sparse for it (see Notes); only for a
        :class:`~skmi.estimators.PlugIn` estimator without bias
        correction, whose raw counts it reads also when the scores are
        adjusted for chance (the default). "auto" means "permutation" when
        `n_permutations` > 0, else "g-test" when the estimator is an
        uncorrected ``PlugIn``, else no p-values.
    n_jobs : int, default=None
        Number of jobs to run in parallel (over the features, and over the
        permutations). ``None`` means 1 unless in a
        :obj:`joblib.parallel_backend` context. ``-1`` means using all
        processors. Results do not depend on `n_jobs`.
        See :term:`Glossary <n_jobs>`.
    random_state : int, RandomState instance or None, default=None
        Determines the random numbers used for the tie-breaking noise and
        the permutations. Pass an int for reproducible results across
        multiple calls. See :term:`Glossary <random_state>`.
    memory : str, object with the joblib.Memory interface or None, \
            default=None
        Used to cache the scores and p-values, which do not depend on `k`,
        `percentile` or `threshold`: refits on the same training data with
        the same other parameters reuse them (a grid search over `k` then
        estimates them once per training set). By default no caching is
        done; a string is the path of the caching directory. With
        ``random_state=None`` a refit reuses the random numbers of the fit
        that stored the scores.

    Attributes
    ----------
    scores_ : ndarray of shape (n_features,)
        Estimated mutual information of each feature with the target, in
        nats, clipped at zero. A constant feature scores exactly zero, and so
        does every feature when the target is constant.
    pvalues_ : ndarray of shape (n_features,) or None
        p-values of the independence of each feature and the target, or None
        when no test applies (see `test`). They are computed in fit when
        `alpha` is given or `test` is named, and otherwise on the first read
        of `pvalues_` (then kept): selecting by `k`, `percentile` or
        `threshold` runs no test.
    discrete_features_ : ndarray of shape (n_features,), bool
        Which features were treated as discrete.
    discrete_target_ : bool
        Whether the target was treated as discrete.
    estimator_ : KSG or PlugIn
        The information estimator used (a clone of `estimator`).
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    skmi.mutual_info_classif : The scores for a discrete target.
    skmi.mutual_info_regression : The scores for a continuous target.
    sklearn.feature_selection.SelectKBest : Selection on any score function.

    Notes
    -----
    **Scores.** With the default estimator and the same `random_state`,
    `scores_` equal :func:`skmi.mutual_info_classif` or
    :func:`skmi.mutual_info_regression` with the same discrete features
    (the noise that breaks ties is drawn for the features first, then for
    the target). Note that ``discrete_features="auto"`` differs: here it
    reads the dtypes, while the drop-in functions, like scikit-learn's,
    treat every dense column as continuous. Estimates are clipped at zero as
    in scikit-learn: a negative estimate is an estimate of zero.

    **Ranking.** Features are ranked by decreasing score; equal scores
    (for instance several clipped to zero) are ranked by increasing column
    index, so among tied features the leftmost are kept, except that
    constant features (named in a warning) come after all the others. A
    target with a single value selects no feature, with a warning.

    **p-values.** No test runs unless its p-values are needed: with `alpha`
    or a named `test`, fit computes them; with ``test="auto"`` and no
    `alpha`, the first read of `pvalues_` does, from the prepared data and
    the random numbers of the fit (the same values as in fit; the fitted
    selector keeps its prepared columns until then). Tests use the
    unclipped estimates, which are more informative than the clipped ones
    near zero. The permutation p-value is
    ``(1 + #{b : I_b >= I}) / (1 + n_permutations)``, with ``I_b`` the
    estimate against the ``b``-th permutation of the target; it is valid at
    every sample size but never below ``1 / (1 + n_permutations)``. The
    permutations are drawn from `random_state` before any parallel work. The
    G-test is asymptotic: ``G = 2 N I`` divided by Williams' factor ``q`` is
    compared with a chi-square distribution with ``(Kx - 1)(Ky - 1)``
    degrees of freedom, ``Kx`` and ``Ky`` the numbers of occupied levels (or
    bins) of the feature and the target. Where the table has too many small
    expected counts for that approximation (Cochran's rule: any expected
    count below 1, or more than 20 % below 5), the feature's p-value is a
    permutation p-value of the same statistic, and a warning names the
    features concerned. These permutations stop early (Besag and Clifford,
    1991): once 10 permutations reach the feature's statistic, at the
    ``l``-th permutation, its p-value is ``10 / l``; otherwise it is
    ``(1 + g) / (1 + B)`` after ``B`` permutations, ``g`` the number that
    reached it. ``B`` is `n_permutations`, or when it is 0, 999 or, with
    `alpha`, ``ceil(n_features / alpha)`` if larger, so that a strong
    feature can pass the correction. Constant features get the p-value 1.

    **Multiple testing.** With `alpha`, the kept features are those whose
    adjusted p-value is at most `alpha`: ``min(1, m p)`` for "bonferroni",
    and the Benjamini-Hochberg step-up values for "fdr_bh" (``m`` the number
    of features). As permutation p-values are never below
    ``1 / (1 + n_permutations)``, a Bonferroni selection needs
    ``n_permutations`` of at least about ``m / alpha``; a warning says so when
    no feature could be kept.

    References
    ----------
    .. [1] A. Kraskov, H. Stögbauer and P. Grassberger, "Estimating mutual
       information", Phys. Rev. E 69, 2004.
    .. [2] B. C. Ross, "Mutual information between discrete and continuous
       data sets", PLoS ONE 9(2), 2014.
    .. [3] B. Phipson and G. K. Smyth, "Permutation p-values should never be
       zero", Statistical Applications in Genetics and Molecular Biology
       9(1), 2010.
    .. [4] D. A. Williams, "Improved likelihood ratio tests for complete
       contingency tables", Biometrika 63(1), 1976.
    .. [5] J. Besag and P. Clifford, "Sequential Monte Carlo p-values",
       Biometrika 78(2), 1991.
    .. [6] Y. Benjamini and Y. Hochberg, "Controlling the false discovery
       rate: a practical and powerful approach to multiple testing", Journal
       of the Royal Statistical Society B 57(1), 1995.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skmi import MutualInfoSelector
    >>> X, y = make_classification(
    ...     n_samples=200, n_features=6, n_informative=2, n_redundant=0,
    ...     n_clusters_per_class=1, class_sep=2, shuffle=False, random_state=0
    ... )
    >>> selector = MutualInfoSelector(k=2, random_state=0).fit(X, y)
    >>> selector.scores_.round(2)
    array([0.23, 0.66, 0.02, 0.01, 0.  , 0.  ])
    >>> selector.get_support(indices=True)
    array([0, 1])
    >>> selector.transform(X).shape
    (200, 2)

    With a plug-in estimator on quartile bins, the G-test gives p-values:

    >>> from skmi.estimators import PlugIn
    >>> selector = MutualInfoSelector(k=2, estimator=PlugIn(n_bins=4)).fit(X, y)
    >>> selector.pvalues_.round(2)
    array([0.  , 0.  , 0.88, 0.95, 0.06, 0.91])

    With `alpha`, the features significant after a Benjamini-Hochberg
    correction are kept, however many they are:

    >>> selector = MutualInfoSelector(alpha=0.05, estimator=PlugIn(n_bins=4))
    >>> selector.fit(X, y).get_support(indices=True)
    array([0, 1])
    """

    _parameter_constraints: dict = {
        "k": [StrOptions({"all"}), Interval(Integral, 0, None, closed="left")],
        "percentile": [None, Interval(Real, 0, 100, closed="right")],
        "threshold": [None, Interval(Real, None, None, closed="neither")],
        "alpha": [None, Interval(Real, 0, 1, closed="right")],
        "correction": [StrOptions({"fdr_bh", "bonferroni"})],
        "estimator": [None, BaseMIEstimator],
        "discrete_features": [StrOptions({"auto"}), "boolean", "array-like"],
        "discrete_target": [StrOptions({"auto"}), "boolean"],
        "n_permutations": [Interval(Integral, 0, None, closed="left")],
        "test": [StrOptions({"auto", "permutation", "g-test"})],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "memory": [None, str, HasMethods(["cache"])],
    }

    def __init__(
        self,
        k: int | Literal["all"] = 10,
        *,
        percentile: float | None = None,
        threshold: float | None = None,
        alpha: float | None = None,
        correction: Literal["fdr_bh", "bonferroni"] = "fdr_bh",
        estimator: BaseMIEstimator | None = None,
        discrete_features: Literal["auto"] | bool | ArrayLike = "auto",
        discrete_target: Literal["auto"] | bool = "auto",
        n_permutations: int = 0,
        test: Literal["auto", "permutation", "g-test"] = "auto",
        n_jobs: int | None = None,
        random_state: int | np.random.RandomState | None = None,
        memory: str | object | None = None,
    ) -> None:
        self.k = k
        self.percentile = percentile
        self.threshold = threshold
        self.alpha = alpha
        self.correction = correction
        self.estimator = estimator
        self.discrete_features = discrete_features
        self.discrete_target = discrete_target
        self.n_permutations = n_permutations
        self.test = test
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.memory = memory

    def _resolve_test(self, estimator):
        """The test behind ``pvalues_`` ("permutation", "g-test" or None)."""
        counts = estimator is not None and estimator._g_test_estimator() is not None
        if self.test == "permutation":
            if self.n_permutations == 0:
                raise ValueError(
                    "test='permutation' requires n_permutations >= 1; got "
                    "n_permutations=0."
                )
            return "permutation"
        if self.test == "g-test":
            if not counts:
                raise ValueError(
                    "test='g-test' requires estimator=PlugIn(correction=None): "
                    "the G statistic 2 N I is chi-square distributed only for "
                    "uncorrected plug-in estimates; got "
                    f"estimator={estimator!r}."
                )
            return "g-test"
        if self.n_permutations > 0:
            return "permutation"
        return "g-test" if counts else None

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self, X: ArrayLike | sparse.spmatrix | sparse.sparray, y: ArrayLike
    ) -> "MutualInfoSelector":
        """Estimate the mutual information of each feature with the target.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training samples: arrays, sparse matrices, pandas or polars
            DataFrames (with columns of the kinds listed in
            :ref:`column_types`).
        y : array-like of shape (n_samples,)
            Target: class labels (numbers or strings) or real numbers.

        Returns
        -------
        self : object
            The fitted selector.
        """
        rules = {
            name: getattr(self, name)
            for name in ("percentile", "threshold", "alpha")
            if getattr(self, name) is not None
        }
        if len(rules) > 1:
            given = " and ".join(f"{k}={v!r}" for k, v in rules.items())
            raise ValueError(
                "Only one of percentile, threshold and alpha may be given; got "
                f"{given}."
            )
        if self.estimator is not None:
            # the estimator's own parameters (not checked by _fit_context)
            self.estimator._validate_params()
        test = self._resolve_test(self.estimator)
        if self.alpha is not None and test is None:
            raise ValueError(
                f"alpha={self.alpha!r} selects features by their p-values, and "
                "this selector computes none: pass n_permutations >= 1 (a "
                "permutation test, with any estimator) or "
                "estimator=PlugIn(correction=None) (a G-test)."
            )
        if is_dask_collection(X):  # counted block by block (skmi._dask_fit)
            from ._dask_fit import fit_mutual_info_dask

            return fit_mutual_info_dask(self, X, y, test)
        fi = prepare_fit(
            self,
            X,
            y,
            estimator=self.estimator,
            discrete_features=self.discrete_features,
            discrete_target_=self.discrete_target,
            random_state=self.random_state,
        )
        n_features = fi.X.shape[1]
        if not rules and self.k != "all" and self.k > n_features:
            warnings.warn(
                f"k={self.k} is greater than n_features={n_features}. All the "
                "features will be returned.",
                UserWarning,
                stacklevel=3,
            )

        raw = self._relevance(fi)
        # the p-values are computed in fit when they decide the selection
        # (alpha) or a test was named; otherwise on the first read of pvalues_
        inputs = None
        if test is not None:
            inputs = _PValueInputs(
                fi,
                raw,
                test,
                self.n_permutations,
                self._fallback_permutations(n_features),
            )
            if uses_cache(self.memory) is not None:
                inputs.digest = joblib.hash(
                    cache_key(self, fi.X, fi.y, ("k", "percentile", "threshold"))
                )
        self.scores_ = np.maximum(raw, 0.0)
        self._constant = fi.constant
        self._nothing_to_select = fi.target_constant
        self._pvalues = None
        self._pvalue_inputs = inputs
        if inputs is not None and (self.alpha is not None or self.test != "auto"):
            self._compute_pvalues()
        self.discrete_features_ = fi.discrete_mask
        self.discrete_target_ = fi.target_discrete
        self.estimator_ = fi.estimator
        return self

    def _relevance(self, fi):
        """The raw scores, from the cache when ``memory`` is set."""

        def scores():
            # constant features (or a constant target) score exactly 0
            return relevance(fi.estimator, fi.columns, fi.target, n_jobs=self.n_jobs)

        memory = uses_cache(self.memory)
        if memory is None:
            return scores()
        key = cache_key(self, fi.X, fi.y, ("k", "percentile", "threshold"))
        # the scores do not depend on the test's parameters either
        for name in ("alpha", "correction", "n_permutations", "test"):
            key["params"].pop(name, None)
        return cached_scores(memory, key, scores)

    @property
    def pvalues_(self):
        """p-values of the independence of each feature and the target.

        Computed on first read (or in fit, see the Notes) and kept; None
        when no test applies.
        """
        check_is_fitted(self, "scores_")
        if self._pvalue_inputs is not None:
            self._compute_pvalues()
        return self._pvalues

    def _compute_pvalues(self):
        inputs = self._pvalue_inputs

        def run():
            return inputs.compute(self.n_jobs)

        memory = uses_cache(self.memory)
        if memory is None or inputs.digest is None:
            pvalues, permuted = run()
        else:
            pvalues, permuted = cached_pvalues(memory, inputs.digest, run)
        if permuted is not None and permuted.any():
            self._warn_sparse_tables(permuted, inputs.n_fallback)
            self._warn_unattainable(inputs.n_fallback, pvalues, permuted)
        if inputs.test == "permutation":
            self._warn_unattainable(inputs.n_permutations, pvalues)
        self._pvalues = pvalues
        self._pvalue_inputs = None

    def _fallback_permutations(self, n_features):
        """Largest number of permutations of the G-test's fallback."""
        if self.n_permutations:
            return self.n_permutations
        if self.alpha is None:
            return FALLBACK_PERMUTATIONS
        # enough for the smallest p-value to pass Bonferroni at alpha
        return max(FALLBACK_PERMUTATIONS, ceil(n_features / self.alpha))

    def _warn_sparse_tables(self, permuted, n_permutations):
        columns = np.flatnonzero(permuted)
        names = getattr(self, "feature_names_in_", None)
        shown = [str(names[j]) if names is not None else int(j) for j in columns]
        more = f" and {len(shown) - 10} more" if len(shown) > 10 else ""
        warnings.warn(
            f"The G-test is unreliable for {len(shown)} of {permuted.size} "
            "features (too many small expected counts in their tables with the "
            f"target): {shown[:10]}{more}. Their p-values are permutation "
            f"p-values (at most {n_permutations} permutations of the target). "
            "Fewer bins (PlugIn(n_bins=...)) make the tables denser.",
            UserWarning,
            stacklevel=4,
        )

    def _warn_unattainable(self, n_permutations, pvalues, permuted=None):
        """Warn when the permutations drawn are too few for the correction.

        Bonferroni: the smallest permutation p-value, ``1 / (1 + B)``, times
        the number of features exceeds ``alpha``. Benjamini-Hochberg: the
        smallest p-value exceeds ``alpha`` (whatever the data), or nothing
        passes while ``r`` features sit at that smallest p-value, whose
        adjusted p-value ``m / (r (1 + B))`` more permutations would lower.
        """
        if self.alpha is None:
            return
        m = pvalues.size
        floor = 1.0 / (1.0 + n_permutations)
        permuted = np.ones(m, dtype=bool) if permuted is None else permuted
        at_floor = int(np.sum(permuted & (pvalues <= floor * (1 + 1e-9))))
        if self.correction == "bonferroni":
            factor = m
        elif floor > self.alpha:
            factor = 1
        elif at_floor and not np.any(adjust_pvalues(pvalues, "fdr_bh") <= self.alpha):
            factor = m / at_floor
        else:
            return
        smallest = factor * floor
        if smallest > self.alpha:
            needed = ceil(factor / self.alpha - 1e-9)
            warnings.warn(
                f"No feature tested by permutations can be selected at "
                f"alpha={self.alpha!r} with correction={self.correction!r}: with "
                f"{n_permutations} permutations the smallest adjusted p-value is "
                f"{smallest:.3g}. Use n_permutations >= {needed}.",
                UserWarning,
                stacklevel=4,
            )

    def _ranking(self):
        """Feature indices from the highest score to the lowest (ties: the
        non-constant features first, then by index)."""
        index = np.arange(self.scores_.shape[0])
        return np.lexsort((index, self._constant, -self.scores_))

    def _get_support_mask(self):
        check_is_fitted(self)
        n_features = self.scores_.shape[0]
        mask = np.zeros(n_features, dtype=bool)
        if self._nothing_to_select:
            return mask
        if self.alpha is not None:
            if self.pvalues_ is None:
                raise ValueError(
                    f"alpha={self.alpha!r} needs p-values, and none were "
                    "computed in fit: refit with n_permutations >= 1 or "
                    "estimator=PlugIn(correction=None)."
                )
            return adjust_pvalues(self.pvalues_, self.correction) <= self.alpha
        if self.threshold is not None:
            mask[self.scores_ >= self.threshold] = True
            return mask
        if self.percentile is not None:
            # rounded first, so that 0.1 * 24 percent of 125 features keeps 3
            n_keep = max(1, ceil(round(self.percentile * n_features / 100, 9)))
        elif self.k == "all":
            n_keep = n_features
        else:
            n_keep = min(self.k, n_features)
        mask[self._ranking()[:n_keep]] = True
        return mask

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.sparse = True
        return tags
