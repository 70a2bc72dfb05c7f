"""Greedy forward feature selection with conditional mutual information."""

from numbers import Integral, Real
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.feature_selection import SelectorMixin

from ._inputs import prepare_fit
from ._prepare import constant_columns
from ._validation import (
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    _fit_context,
    check_is_fitted,
)
from .estimators import BaseMIEstimator
from .selection._cache import cache_key, cached_path, uses_cache
from .selection._criteria import CRITERIA
from .selection._forward import forward_select

__all__ = ["ConditionalMutualInfoSelector"]


class ConditionalMutualInfoSelector(SelectorMixin, BaseEstimator):
    """Greedy forward feature selection with conditional mutual information.

    Starting from the empty set, each step adds the candidate feature ``X_k``
    with the highest criterion score given the set ``S`` already selected.
    Marginal ranking (``criterion="mim"``) keeps redundant copies of an
    informative feature and misses features that are informative only
    together; the other criteria account for the selected set through
    pairwise terms (Brown et al. 2012) or, for ``"cmi"``, the full
    conditional mutual information ``I(X_k; Y | X_S)``.

    Read more in the :ref:`User Guide <forward_selection>`.

    Parameters
    ----------
    n_features_to_select : "auto", int or float, default="auto"
        Number of features to select. An int selects that many (at most the
        number of features); a float in (0, 1] selects that fraction of the
        features (at least one). "auto" stops when the best candidate's score
        is not significant under the permutation test described in the Notes
        (or below `tol` when `tol` is given); the first, most relevant
        feature is always selected.

    criterion : {"jmi", "mim", "mifs", "mrmr", "cife", "jmim", "cmim", "icap", \
            "disr", "cmi"}, default="jmi"
        Score of a candidate ``X_k`` given the selected set ``S`` (see the
        Notes for the formulas).

    beta : float, default=1.0
        Weight of the redundancy term of ``criterion="mifs"``; ignored by the
        other criteria.

    estimator : BaseMIEstimator, default=None
        Information estimator that computes every term, e.g.
        :class:`~skmi.estimators.KSG` or :class:`~skmi.estimators.PlugIn`.
        None means ``KSG()`` (k-nearest neighbours for continuous columns,
        plug-in counts when the variables involved are all discrete).

    tol : float, default=None
        With ``n_features_to_select="auto"``: stop when the best candidate's
        score is below `tol` instead of running the permutation test. Ignored
        otherwise.

    n_permutations : int, default=100
        Number of permutations of the stopping test of
        ``n_features_to_select="auto"``. Each step costs `n_permutations`
        extra evaluations of the chosen candidate's score (one pairwise term
        per selected feature each, or one conditional mutual information for
        ``"cmi"``). The smallest p-value is ``1 / (n_permutations + 1)``.

    alpha : float, default=0.05
        Level of the stopping test: the search stops at the first step whose
        p-value exceeds `alpha`.

    discrete_features : "auto", bool or array-like, default="auto"
        Which features are discrete: "auto" detects them from the dtypes
        (categorical, object, boolean and few-valued integer columns; sparse
        input is all discrete), a bool applies to all, an array is a boolean
        mask or column indices.

    discrete_target : "auto" or bool, default="auto"
        Whether the target is discrete. "auto" follows
        :func:`~sklearn.utils.multiclass.type_of_target`: class labels
        (binary or multiclass, strings included) are discrete, anything else
        is continuous; a numeric target with more than 20 distinct values and
        fewer than five samples per value on average is continuous.

    n_jobs : int, default=None
        Number of jobs to run in parallel over candidate features.
        ``None`` means 1 unless in a :obj:`joblib.parallel_backend` context.
        ``-1`` means using all processors. Results do not depend on `n_jobs`.
        See :term:`Glossary <n_jobs>`.

    random_state : int, RandomState instance or None, default=None
        Determines the random numbers used for the tie-breaking noise of the
        k-NN estimator and the permutations of the stopping test.
        Pass an int for reproducible results across multiple calls.
        See :term:`Glossary <random_state>`.

    verbose : int, default=0
        When positive, print each step: the feature chosen, its score, its
        p-value and the elapsed time.

    interactions : "auto" or int, default="auto"
        Size of the feature sets screened for synergy before the greedy
        search: 1 screens nothing (plain greedy search); 2 screens every
        pair; 3 every pair and every triple. A set whose information about
        the target beyond its members' marginal information is significant
        (a permutation test valid for the best of all screened sets, at
        level `alpha`, with up to `n_permutations` permutations) and larger
        than each member's relevance enters the path as a block of
        consecutive selections: when the search picks one of its members,
        when its synergy per member exceeds the best candidate's score, or
        before the search would stop. "auto" screens pairs when there are at
        most 100 features and nothing otherwise. See the
        :ref:`User Guide <synergy>` for the rules and the costs.

    memory : str, object with the joblib.Memory interface or None, \
            default=None
        Used to cache the greedy path. With an integer
        `n_features_to_select`, refits on the same training data with the
        same other parameters reuse the stored path, and extend it when more
        features are asked for, so a grid search over
        `n_features_to_select` costs about one search per training set. By
        default no caching is done; a string is the path of the caching
        directory. With ``random_state=None`` a refit reuses the random
        numbers of the fit that stored the path.

    Attributes
    ----------
    support_ : ndarray of shape (n_features_in_,), dtype=bool
        Mask of the selected features.

    n_features_to_select_ : int
        Number of features selected.

    selection_order_ : ndarray of shape (n_features_to_select_,)
        Indices of the selected features, in the order they were chosen.

    conditional_gains_ : ndarray of shape (n_features_to_select_,)
        Criterion score of each selected feature at the step it was chosen
        (nats, except for the DISR ratios); the first is its relevance.

    relevance_ : ndarray of shape (n_features_in_,)
        ``I(X_k; Y)`` of every feature, in nats (unclipped estimates).

    pvalues_ : ndarray of shape (n_features_to_select_,) or None
        Permutation p-value of each selected feature when it was chosen, for
        ``n_features_to_select="auto"`` without `tol`; None otherwise.

    interaction_blocks_ : list of ndarray
        The synergistic sets that entered the path as blocks, each as the
        indices of its members in the order they were selected; empty when
        none did.

    discrete_features_ : ndarray of shape (n_features_in_,), bool
        Which features were treated as discrete.

    discrete_target_ : bool
        Whether the target was treated as discrete.

    estimator_ : BaseMIEstimator
        The information estimator used (a clone of `estimator`).

    n_features_in_ : int
        Number of features seen during :term:`fit`.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.feature_selection.SequentialFeatureSelector : Greedy selection
        with a cross-validated model score.
    sklearn.feature_selection.SelectKBest : Marginal ranking by a score such
        as :func:`~sklearn.feature_selection.mutual_info_classif`.

    Notes
    -----
    With ``S`` the selected set and ``X_j`` in ``S``, the scores are:

    - ``"mim"``: ``I(X_k;Y)`` (marginal ranking);
    - ``"mifs"``: ``I(X_k;Y) - beta sum_j I(X_k;X_j)`` (Battiti);
    - ``"mrmr"``: ``I(X_k;Y) - mean_j I(X_k;X_j)`` (Peng et al.);
    - ``"cife"``: ``I(X_k;Y) - sum_j [I(X_k;X_j) - I(X_k;X_j|Y)]``;
    - ``"icap"``: ``I(X_k;Y) - sum_j max(0, I(X_k;X_j) - I(X_k;X_j|Y))``;
    - ``"jmi"``: ``mean_j [I(X_k,X_j;Y) - I(X_j;Y)]``, the joint mutual
      information ``sum_j I(X_k,X_j;Y)`` less a constant and divided by
      ``|S|`` (same choice), which is ``mean_j I(X_k;Y|X_j)``;
    - ``"jmim"``: ``min_j I(X_k,X_j;Y)`` (Bennasar et al.);
    - ``"cmim"``: ``min_j I(X_k;Y|X_j)`` (Fleuret), updated lazily;
    - ``"disr"``: ``mean_j I(X_k,X_j;Y) / H(X_k,X_j,Y)`` (Meyer et al.);
    - ``"cmi"``: ``I(X_k;Y|X_S)`` with the whole selected set as one joint
      conditioning variable.

    With ``S`` empty every score is the relevance ``I(X_k;Y)``, so the first
    feature is the most relevant one, unless a synergistic block found by
    the `interactions` screen enters first. Ties go to the smallest column index.
    A candidate that duplicates a selected feature exactly (the same
    partition of the samples for a discrete column, the same values for a
    continuous one) carries no information given ``S`` and is chosen only
    when no other candidate is left; so is a constant feature, whose
    relevance is reported as 0. ``"disr"`` needs Shannon entropies: the
    prepared features and target must all be discrete (discrete columns, or
    ``estimator=PlugIn()``), otherwise fit raises a ValueError.

    The stopping test of ``n_features_to_select="auto"`` is a conditional
    permutation test of ``X_k`` independent of ``Y`` given ``X_S`` for the
    best candidate ``X_k``: its column is permuted within the strata of the
    selected features (their joint levels; continuous selected features are
    cut into equal-frequency bins, about 10 samples per stratum) and its
    score recomputed from scratch; the p-value is ``(1 + #{null >= score}) /
    (1 + n_permutations)``. The test is exact for discrete selected
    features and approximate for continuous ones. It does not correct for
    choosing the best of many candidates, so a lower `alpha` is advisable
    with many noise features.

    References
    ----------
    .. [1] G. Brown, A. Pocock, M.-J. Zhao and M. Luján, "Conditional
       likelihood maximisation: a unifying framework for information
       theoretic feature selection", JMLR 13, 2012.
    .. [2] F. Fleuret, "Fast binary feature selection with conditional mutual
       information", JMLR 5, 2004.
    .. [3] M. Bennasar, Y. Hicks and R. Setchi, "Feature selection using joint
       mutual information maximisation", Expert Systems with Applications
       42, 2015.
    .. [4] H. Peng, F. Long and C. Ding, "Feature selection based on mutual
       information: criteria of max-dependency, max-relevance, and
       min-redundancy", IEEE TPAMI 27, 2005.

    Examples
    --------
    >>> import numpy as np
    >>> from skmi import ConditionalMutualInfoSelector
    >>> from skmi.estimators import PlugIn
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randint(0, 2, size=(500, 4))
    >>> y = X[:, 0] ^ X[:, 1]  # informative only together
    >>> X[:, 2] = X[:, 0]  # an exact copy of column 0
    >>> selector = ConditionalMutualInfoSelector(
    ...     2, criterion="jmi", estimator=PlugIn(), discrete_features=True
    ... ).fit(X, y)
    >>> sorted(selector.selection_order_.tolist())
    [0, 1]
    >>> selector.transform(X).shape
    (500, 2)
    """

    _parameter_constraints: dict = {
        "n_features_to_select": [
            StrOptions({"auto"}),
            Interval(RealNotInt, 0, 1, closed="right"),
            Interval(Integral, 1, None, closed="left"),
        ],
        "criterion": [StrOptions(set(CRITERIA))],
        "beta": [Interval(Real, 0, None, closed="left")],
        "estimator": [None, BaseMIEstimator],
        "tol": [None, Interval(Real, None, None, closed="neither")],
        "n_permutations": [Interval(Integral, 1, None, closed="left")],
        "alpha": [Interval(Real, 0, 1, closed="neither")],
        "discrete_features": [StrOptions({"auto"}), "boolean", "array-like"],
        "discrete_target": [StrOptions({"auto"}), "boolean"],
        "n_jobs": [None, Integral],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "interactions": [StrOptions({"auto"}), Interval(Integral, 1, 3, closed="both")],
        "memory": [None, str, HasMethods(["cache"])],
    }

    def __init__(
        self,
        n_features_to_select: Literal["auto"] | int | float = "auto",
        *,
        criterion: Literal[
            "jmi",
            "mim",
            "mifs",
            "mrmr",
            "cife",
            "jmim",
            "cmim",
            "icap",
            "disr",
            "cmi",
        ] = "jmi",
        beta: float = 1.0,
        estimator: BaseMIEstimator | None = None,
        tol: float | None = None,
        n_permutations: int = 100,
        alpha: float = 0.05,
        discrete_features: Literal["auto"] | bool | ArrayLike = "auto",
        discrete_target: Literal["auto"] | bool = "auto",
        n_jobs: int | None = None,
        random_state: int | np.random.RandomState | None = None,
        verbose: int = 0,
        interactions: Literal["auto"] | int = "auto",
        memory: str | object | None = None,
    ) -> None:
        self.n_features_to_select = n_features_to_select
        self.criterion = criterion
        self.beta = beta
        self.estimator = estimator
        self.tol = tol
        self.n_permutations = n_permutations
        self.alpha = alpha
        self.discrete_features = discrete_features
        self.discrete_target = discrete_target
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.interactions = interactions
        self.memory = memory

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self, X: ArrayLike | sparse.spmatrix | sparse.sparray, y: ArrayLike
    ) -> "ConditionalMutualInfoSelector":
        """Select features greedily.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training samples. Sparse input is accepted when every column is
            discrete.

        y : array-like of shape (n_samples,)
            Target values: class labels or real numbers.

        Returns
        -------
        self : object
            Fitted selector.
        """
        fi = prepare_fit(
            self,
            X,
            y,
            estimator=self.estimator,
            discrete_features=self.discrete_features,
            discrete_target_=self.discrete_target,
            random_state=self.random_state,
        )
        n_features = self.n_features_in_
        n_select = self.n_features_to_select
        if isinstance(n_select, Integral):
            if n_select > n_features:
                raise ValueError(
                    f"n_features_to_select={n_select} must be at most "
                    f"n_features={n_features}, the number of features of X."
                )
        elif isinstance(n_select, Real):
            n_select = max(1, int(n_select * n_features))
        names = getattr(self, "feature_names_in_", None)
        raw = None if hasattr(fi.X, "tocsc") else np.asarray(fi.X)
        constant = constant_columns(fi.X)

        def search(n, path_state):
            return forward_select(
                fi.estimator,
                fi.columns,
                fi.target,
                criterion=self.criterion,
                n_features_to_select=n,
                tol=self.tol,
                alpha=self.alpha,
                n_permutations=self.n_permutations,
                beta=self.beta,
                raw=raw,
                constant=constant,
                rng=fi.rng,
                n_jobs=self.n_jobs,
                verbose=self.verbose,
                feature_names=None if names is None else [str(v) for v in names],
                interactions=self.interactions,
                path_state=path_state,
            )

        memory = uses_cache(self.memory)
        if memory is None:
            result = search(n_select, None)
        else:
            key = cache_key(self, fi.X, fi.y, ("n_features_to_select",))
            result = cached_path(memory, key, n_select, search)
        self.estimator_ = fi.estimator
        self.discrete_features_ = fi.discrete_mask
        self.discrete_target_ = fi.target_discrete
        self.selection_order_ = result.selection_order
        self.conditional_gains_ = result.gains
        self.pvalues_ = result.pvalues
        self.relevance_ = result.relevance
        self.interaction_blocks_ = [
            np.asarray(b.members, dtype=np.intp) for b in result.blocks
        ]
        self.n_features_to_select_ = int(result.selection_order.size)
        support = np.zeros(n_features, dtype=bool)
        support[result.selection_order] = True
        self.support_ = support
        return self

    def _get_support_mask(self):
        check_is_fitted(self)
        return self.support_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.sparse = True
        return tags
