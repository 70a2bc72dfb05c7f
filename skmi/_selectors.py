"""Feature selection by the mutual information of each feature with the target."""

import warnings
from math import ceil
from numbers import Integral, Real
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.feature_selection import SelectorMixin

from ._inputs import prepare_fit
from ._validation import HasMethods, Interval, StrOptions, _fit_context, check_is_fitted
from .estimators import BaseMIEstimator, PlugIn
from .selection._cache import cache_key, cached_scores, uses_cache
from .selection._relevance import relevance
from .selection._significance import g_test_pvalues, permutation_pvalues

__all__ = ["MutualInfoSelector"]


class MutualInfoSelector(SelectorMixin, BaseEstimator):
    """Select the features with the highest mutual information with the target.

    Each feature is scored by its estimated mutual information with the
    target, ``I(X_k; Y)`` in nats, and the best ``k`` features (or a
    percentile of them, or those above a threshold) are kept. Unlike
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
        `percentile` or `threshold` is given.
    percentile : float in (0, 100], default=None
        If given, keep the top ``ceil(percentile / 100 * n_features)``
        features instead of `k` (at least one feature).
    threshold : float, default=None
        If given, keep the features whose score is at least `threshold`
        nats instead of the top `k`. Only one of `percentile` and `threshold`
        may be given.
    estimator : KSG or PlugIn instance, default=None
        The information estimator from :mod:`skmi.estimators`. None means
        ``KSG()``: k-nearest-neighbour estimates for continuous columns
        (Kraskov et al., or Ross's against a discrete target) and plug-in
        counts for discrete columns against a discrete target. The
        hyper-parameters of an estimator passed here can be tuned in a grid
        search, e.g. as ``estimator__n_neighbors`` with ``estimator=KSG()``
        (None has no parameters to tune).
    discrete_features : "auto", bool or array-like, default="auto"
        Which features are discrete. "auto" decides from the dtypes: sparse
        input, boolean, categorical, object and string columns, and integer
        columns with at most 20 distinct values are discrete; floating-point
        columns are continuous. A bool applies to all features; an array is
        a boolean mask of shape (n_features,) or the indices of the discrete
        features.
    discrete_target : "auto" or bool, default="auto"
        Whether the target is discrete. "auto" follows
        :func:`~sklearn.utils.multiclass.type_of_target`: class labels
        (binary or multiclass, strings included) are discrete, anything else
        is continuous; a numeric target with more than 20 distinct values and
        fewer than five samples per value on average is continuous.
    n_permutations : int, default=0
        Number of permutations of the target for the permutation p-values.
        0 computes no permutation test.
    test : {"auto", "permutation", "g-test"}, default="auto"
        The significance test behind `pvalues_`. "permutation" uses
        `n_permutations` permutations of the target (any estimator).
        "g-test" uses the chi-square distribution of ``2 N I`` (only for
        a :class:`~skmi.estimators.PlugIn` estimator without bias
        correction). "auto" means "permutation" when `n_permutations` > 0,
        else "g-test" when the estimator is an uncorrected ``PlugIn``, else
        no p-values.
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
        when no test was computed (see `test`).
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
    index, so among tied features the leftmost are kept.

    **p-values.** Tests use the unclipped estimates, which are more
    informative than the clipped ones near zero. The permutation p-value is
    ``(1 + #{b : I_b >= I}) / (1 + n_permutations)``, with ``I_b`` the
    estimate against the ``b``-th permutation of the target; it is valid at
    every sample size but never below ``1 / (1 + n_permutations)``. The
    permutations are drawn from `random_state` before any parallel work. The
    G-test is asymptotic: ``2 N I`` is compared with a chi-square
    distribution with ``(Kx - 1)(Ky - 1)`` degrees of freedom, ``Kx`` and
    ``Ky`` the numbers of occupied levels (or bins) of the feature and the
    target; it is unreliable when many cells of the table are nearly empty.
    Constant features get the p-value 1.

    References
    ----------
    .. [1] A. Kraskov, H. Stögbauer and P. Grassberger, "Estimating mutual
       information", Phys. Rev. E 69, 2004.
    .. [2] B. C. Ross, "Mutual information between discrete and continuous
       data sets", PLoS ONE 9(2), 2014.
    .. [3] B. Phipson and G. K. Smyth, "Permutation p-values should never be
       zero", Statistical Applications in Genetics and Molecular Biology
       9(1), 2010.

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
    array([0.  , 0.  , 0.87, 0.94, 0.06, 0.91])
    """

    _parameter_constraints: dict = {
        "k": [StrOptions({"all"}), Interval(Integral, 0, None, closed="left")],
        "percentile": [None, Interval(Real, 0, 100, closed="right")],
        "threshold": [None, Interval(Real, None, None, closed="neither")],
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
        uncorrected_plugin = (
            isinstance(estimator, PlugIn) and estimator.correction is None
        )
        if self.test == "permutation":
            if self.n_permutations == 0:
                raise ValueError(
                    "test='permutation' requires n_permutations >= 1; got "
                    "n_permutations=0."
                )
            return "permutation"
        if self.test == "g-test":
            if not uncorrected_plugin:
                raise ValueError(
                    "test='g-test' requires estimator=PlugIn(correction=None): the "
                    "G statistic 2 N I is chi-square distributed only for "
                    f"uncorrected plug-in estimates; got estimator={estimator!r}."
                )
            return "g-test"
        if self.n_permutations > 0:
            return "permutation"
        return "g-test" if uncorrected_plugin else None

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self, X: ArrayLike | sparse.spmatrix | sparse.sparray, y: ArrayLike
    ) -> "MutualInfoSelector":
        """Estimate the mutual information of each feature with the target.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training samples. DataFrames may hold categorical, object,
            string and boolean columns (treated as discrete when
            `discrete_features` is "auto"). Sparse input must be discrete.
        y : array-like of shape (n_samples,)
            Target: class labels (numbers or strings) or real numbers.

        Returns
        -------
        self : object
            The fitted selector.
        """
        if self.percentile is not None and self.threshold is not None:
            raise ValueError(
                "Only one of percentile and threshold may be given; got "
                f"percentile={self.percentile!r} and threshold={self.threshold!r}."
            )
        if self.estimator is not None:
            # the estimator's own parameters (not checked by _fit_context)
            self.estimator._validate_params()
        test = self._resolve_test(self.estimator)
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
        if (
            self.percentile is None
            and self.threshold is None
            and self.k != "all"
            and self.k > n_features
        ):
            warnings.warn(
                f"k={self.k} is greater than n_features={n_features}. All the "
                "features will be returned.",
                UserWarning,
                stacklevel=3,
            )

        def scores():
            # constant features (or a constant target) score exactly 0 in the
            # estimator, and their tests give the p-value 1
            raw = relevance(fi.estimator, fi.columns, fi.target, n_jobs=self.n_jobs)
            pvalues = None
            if test == "permutation":
                pvalues = permutation_pvalues(
                    fi.estimator,
                    fi.columns,
                    fi.target,
                    raw,
                    n_permutations=self.n_permutations,
                    rng=fi.rng,
                    n_jobs=self.n_jobs,
                )
            elif test is not None:
                pvalues = g_test_pvalues(fi.columns, fi.target, raw)
            return raw, pvalues

        memory = uses_cache(self.memory)
        if memory is None:
            raw, pvalues = scores()
        else:
            key = cache_key(self, fi.X, fi.y, ("k", "percentile", "threshold"))
            raw, pvalues = cached_scores(memory, key, scores)
        self.scores_ = np.maximum(raw, 0.0)
        self.pvalues_ = pvalues
        self.discrete_features_ = fi.discrete_mask
        self.discrete_target_ = fi.target_discrete
        self.estimator_ = fi.estimator
        return self

    def _ranking(self):
        """Feature indices from the highest score to the lowest (ties by index)."""
        return np.argsort(-self.scores_, kind="stable")

    def _get_support_mask(self):
        check_is_fitted(self)
        n_features = self.scores_.shape[0]
        mask = np.zeros(n_features, dtype=bool)
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
