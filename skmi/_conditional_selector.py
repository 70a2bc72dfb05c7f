"""Greedy forward feature selection with conditional mutual information."""

from dataclasses import replace
from numbers import Integral, Real
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.feature_selection import SelectorMixin

from ._inputs import DefaultEstimatorMixin, prepare_fit
from ._validation import (
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    _fit_context,
    check_is_fitted,
)
from .estimators import BaseMIEstimator, PlugIn
from .selection._cache import cache_key, cached_path, uses_cache
from .selection._criteria import CRITERIA
from .selection._dask_table import is_dask_collection
from .selection._forward import ForwardParams, ForwardResult, forward_select
from .selection._screen_plan import plan_screen

__all__ = ["ConditionalMutualInfoSelector"]


def _check_disr(columns, target):
    """DISR's joint entropies are Shannon entropies of discrete variables only."""
    if target.is_discrete and all(c.is_discrete for c in columns):
        return
    raise ValueError(
        "criterion='disr' divides by the joint entropy H(X_k, X_j, Y), which "
        "is a Shannon entropy only for discrete variables; here some prepared "
        "variables are continuous (their differential entropy may be zero or "
        "negative). Use estimator=PlugIn() to discretise them, mark the "
        "columns and target as discrete, or choose another criterion."
    )


class ConditionalMutualInfoSelector(
    DefaultEstimatorMixin, SelectorMixin, BaseEstimator
):
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
        features (at least one). "auto" stops at the first step whose test,
        described in the Notes, does not reject at level `alpha` (or whose
        best score is below `tol` when `tol` is given); the first step is
        tested too, so "auto" selects no feature when none is significant.

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
        plug-in counts adjusted for chance when the variables involved are
        all discrete), except for ``criterion="disr"``, whose joint entropies
        need discrete variables: there None means ``PlugIn()``.
        ``estimator__n_neighbors`` can be tuned with None too. The
        estimator's ``random_state``, when set, replaces `random_state` as
        the source of the random numbers.

    tol : float, default=None
        With ``n_features_to_select="auto"``: stop when the best candidate's
        score is below `tol` instead of running the permutation test. Ignored
        otherwise.

    n_permutations : int, default=19
        Largest number of permutations of each step test of
        ``n_features_to_select="auto"`` (for the first step, raised to what
        its level needs when the interaction screen shares `alpha`); a step
        stops drawing as soon as its decision is known. The smallest p-value
        is ``1 / (n_permutations + 1)``, which must not exceed `alpha`.

    alpha : float, default=0.05
        Level of the step tests: the probability that a step admits a
        feature when no remaining candidate carries information on the
        target given the selected features. When the interaction screen
        runs, it shares `alpha` with the first step (the test that any
        feature is informative): the screen tests at ``alpha / 2`` and the
        first step at the ``alpha / 2`` left (with at least
        ``ceil(2 / alpha) - 1`` permutations: 39 at 0.05), so that pure
        noise is selected with probability at most `alpha`. The search stops
        at the first step whose p-value exceeds its level.

    discrete_features : "auto", bool or array-like, default="auto"
        Which features are discrete: "auto" reads the columns (strings,
        categoricals, booleans, integer columns with at most 20 distinct
        values and sparse columns of integers; see :ref:`column_types`), a
        bool applies to all, an array is a boolean mask or column indices.

    discrete_target : "auto" or bool, default="auto"
        Whether the target is discrete. "auto" follows
        :func:`~sklearn.utils.multiclass.type_of_target`: class labels
        (binary or multiclass, strings included) are discrete, anything else
        is continuous; a numeric target with more than 20 distinct values and
        fewer than five samples per value on average is continuous (with a
        warning when its values are integers).

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
        level ``alpha / 2``, with up to `n_permutations` permutations but at
        least 99, stopped once the decision is known) and larger
        than each member's relevance enters the path as a block of
        consecutive selections: when the search picks one of its members,
        when its synergy per member exceeds the best candidate's score, or
        before the search would stop. "auto" screens pairs where the screen
        costs at most about 30% of the plain search, judged from the number of
        samples, of features and of their pairs and the estimator (with at
        least enough permutations to reject at its level, on coarse copies of
        two or three bins and, when the budget asks for it, on a random
        subset of at least 500 rows), and does not screen otherwise;
        `interaction_screen_` says which. See the :ref:`User Guide <synergy>`
        for the rules and the costs.

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
        Step-test p-value of each selected feature when it was chosen, for
        ``n_features_to_select="auto"`` without `tol`; None otherwise. A
        selected feature's test drew every permutation, so its p-value is
        ``(1 + e) / (1 + n_permutations)`` with ``e`` permutations reaching
        its statistic: ``1 / (1 + n_permutations)`` is the finest resolution,
        and says "at most this".

    interaction_blocks_ : list of ndarray
        The synergistic sets that entered the path as blocks, each as the
        indices of its members in the order they were selected; empty when
        none did.

    interaction_screen_ : str
        What the interaction screen did: which sets it screened, on how many
        rows and bins with ``interactions="auto"``, or that it did not run
        (``interactions=1``, or "auto" where the screen would cost more than
        30% of the search; see `interactions`).

    stop_reason_ : str
        Why the search stopped: "n_features_to_select reached", "all
        features selected", the score below `tol`, or, in a sentence, the
        step that was not significant: the best candidate and its gain (or
        "No remaining candidate" when the test of the largest statistic over
        all candidates already failed), its p-value or, after an early stop
        of the permutations, its bound ("p >= 0.1 after 1 of 19
        permutations"), the statistic of the test and the rows it used.

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
    the `interactions` screen enters first. Scores within ``1e-12`` are tied;
    ties go to the most relevant candidate, then to the smallest column index.
    A candidate that duplicates a selected feature exactly (the same
    partition of the samples for a discrete column, the same values for a
    continuous one) carries no information given ``S`` and is chosen only
    when no other candidate is left; so is a constant feature, whose
    relevance is reported as 0. ``"disr"`` needs Shannon entropies: the
    prepared features and target must all be discrete (discrete columns, or
    ``PlugIn()``, the default estimator of ``"disr"``), otherwise fit raises
    a ValueError.

    Each step of ``n_features_to_select="auto"`` tests the hypothesis that no
    remaining candidate carries information on ``Y`` given ``X_S``: the
    chosen candidate's statistic is compared with the *largest* statistic
    over all remaining candidates for targets permuted so as to keep their
    relation with ``X_S`` (within the joint levels of categorical selected
    features, exactly; among the 3 nearest neighbours in the selected
    features otherwise, Runge 2018; freely for the first step). The
    statistic is a form of Azadkia and Chatterjee's nearest-neighbour
    coefficient of conditional dependence (20 neighbours, on the gaps
    between the target's ranks), cheap enough to recompute for
    every candidate and permutation; the permutations are drawn until the
    decision is known (Besag and Clifford 1991), on at most 5,000 rows (a
    random subsample beyond). The test is exact for categorical selected
    sets and the first step, approximate for continuous selected sets. See
    the :ref:`User Guide <stopping_rule>` for what it guarantees and costs.

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
    .. [5] J. Runge, "Conditional independence testing based on a
       nearest-neighbor estimator of conditional mutual information",
       AISTATS 2018.
    .. [6] M. Azadkia and S. Chatterjee, "A simple measure of conditional
       dependence", Annals of Statistics 49, 2021.
    .. [7] J. Besag and P. Clifford, "Sequential Monte Carlo p-values",
       Biometrika 78, 1991.

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

    With the default ``n_features_to_select="auto"`` the search stops when no
    remaining feature is significant given those selected:

    >>> X = rng.standard_normal((300, 6))
    >>> y = X[:, 0] + X[:, 1] + 0.5 * rng.standard_normal(300)
    >>> selector = ConditionalMutualInfoSelector(random_state=0).fit(X, y)
    >>> sorted(selector.selection_order_.tolist())
    [0, 1]
    >>> print(selector.stop_reason_)  # doctest: +NORMALIZE_WHITESPACE
    No remaining candidate is significant (the largest statistic over them) at
    alpha=0.05: p >= 0.1 after 2 of 19 permutations (neighbour statistic on
    all 300 rows)
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
        n_permutations: int = 19,
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
            Training samples: arrays, sparse matrices, pandas or polars
            DataFrames (see :ref:`column_types`).

        y : array-like of shape (n_samples,)
            Target values: class labels or real numbers.

        Returns
        -------
        self : object
            Fitted selector.
        """
        if is_dask_collection(X):  # counted block by block (skmi._dask_fit)
            from ._dask_fit import fit_conditional_dask

            return fit_conditional_dask(self, X, y)
        estimator = self.estimator
        if estimator is None and self.criterion == "disr":
            estimator = PlugIn()
        fi = prepare_fit(
            self,
            X,
            y,
            estimator=estimator,
            discrete_features=self.discrete_features,
            discrete_target_=self.discrete_target,
            random_state=self.random_state,
        )
        n_features = self.n_features_in_
        n_select = self._n_to_select(n_features)
        if self.criterion == "disr":
            _check_disr(fi.columns, fi.target)
        names = getattr(self, "feature_names_in_", None)
        params = ForwardParams(
            criterion=self.criterion,
            tol=self.tol,
            alpha=self.alpha,
            n_permutations=self.n_permutations,
            beta=self.beta,
            interactions=self.interactions,
            n_jobs=self.n_jobs,
            verbose=self.verbose,
            feature_names=None if names is None else tuple(str(v) for v in names),
        )
        raw = None if hasattr(fi.X, "tocsc") else np.asarray(fi.X)

        def search(n, path_state):
            return forward_select(
                fi.estimator,
                fi.columns,
                fi.target,
                replace(params, n_features_to_select=n),
                raw=raw,
                constant=fi.constant,
                categorical=fi.discrete_mask,
                rng=fi.rng,
                path_state=path_state,
            )

        memory = uses_cache(self.memory)
        if memory is None:
            result = search(n_select, None)
        else:
            key = cache_key(self, fi.X, fi.y, ("n_features_to_select",))
            result = cached_path(memory, key, n_select, search)
        if fi.target_constant:
            # nothing to learn: no feature is selected (prepare_fit warned)
            result = ForwardResult(
                np.zeros(0, dtype=np.intp),
                np.zeros(0),
                None,
                np.zeros(n_features),
                "constant target",
            )
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
        self.stop_reason_ = result.stop_reason
        self.interaction_screen_ = plan_screen(
            self.interactions,
            fi.estimator,
            fi.columns,
            fi.target,
            n_permutations=self.n_permutations,
            alpha=self.alpha,
            exclude=fi.constant,
        ).note
        self.n_features_to_select_ = int(result.selection_order.size)
        support = np.zeros(n_features, dtype=bool)
        support[result.selection_order] = True
        self.support_ = support
        return self

    def _n_to_select(self, n_features):
        """``n_features_to_select`` as a number of features, or "auto"."""
        n_select = self.n_features_to_select
        if isinstance(n_select, Integral):
            if n_select > n_features:
                raise ValueError(
                    f"n_features_to_select={n_select} must be at most "
                    f"n_features={n_features}, the number of features of X."
                )
        elif isinstance(n_select, Real):
            n_select = max(1, int(n_select * n_features))
        elif self.tol is None and self.alpha < 1.0 / (self.n_permutations + 1):
            raise ValueError(
                f"alpha={self.alpha:g} is below 1 / (n_permutations + 1) = "
                f"{1.0 / (self.n_permutations + 1):.3g}, the smallest p-value "
                f"{self.n_permutations} permutations can give: no feature could "
                "ever be selected. Raise n_permutations to at least "
                f"{int(np.ceil(1.0 / self.alpha)) - 1}."
            )
        return n_select

    def _get_support_mask(self):
        check_is_fitted(self)
        return self.support_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.sparse = True
        return tags
