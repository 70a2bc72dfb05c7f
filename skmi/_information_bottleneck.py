"""Supervised dimensionality reduction with the information bottleneck."""

import warnings
from numbers import Integral, Real
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array, check_X_y

from ._columns import (
    check_finite_columns,
    is_discrete_target,
    read_columns,
    resolve_discrete,
)
from ._validation import (
    Interval,
    StrOptions,
    _fit_context,
    check_is_fitted,
    validate_data,
)
from ._value_coding import _refuse_categories, _target_codes, _ValueCoder
from .bottleneck import (
    conditional_covariance,
    critical_betas,
    discrete_ib,
    gaussian_ib,
    gaussian_ib_information,
    gaussian_ib_scales,
)
from .estimators._codes import factorize
from .estimators._plugin import mutual_info_joint_probabilities
from .estimators._preprocess import standard_scales

__all__ = ["InformationBottleneck"]

#: Intermediate betas visited by each annealed run of the discrete methods.
_ANNEAL_STEPS = 10
#: beta="auto" for the discrete methods.
_DISCRETE_AUTO_BETA = 10.0
#: beta="auto" for the Gaussian method, as a multiple of the critical beta of
#: the weakest kept component.
_GAUSSIAN_AUTO_FACTOR = 2.0


#: private fitted state, cleared with the public fitted attributes on refit
_FIT_STATE = ("_categories", "_curve_input", "_coder")


class InformationBottleneck(
    ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator
):
    """Supervised dimensionality reduction with the information bottleneck.

    Compresses `X` into a representation ``T`` that keeps what predicts `y`,
    minimising ``I(X; T) - beta I(T; Y)``. Larger `beta` keeps more
    information about `y` at the price of less compression. All information
    quantities are in nats.

    Read more in the :ref:`User Guide <bottleneck>`.

    Parameters
    ----------
    n_components : int, default=None
        Maximum number of output columns (components for the Gaussian method,
        clusters for the discrete ones). ``None`` means, for the Gaussian
        method, the number of target columns for a continuous `y` and the
        number of classes minus one for a categorical `y` (as in linear
        discriminant analysis), and, for the discrete methods, the number of
        distinct values of `y`; this default is capped by the number of
        features (Gaussian) or of distinct values of `X` seen in ``fit``
        (discrete), and is at least one. A given value above the number of
        features raises a ValueError with the Gaussian method, as in
        :class:`~sklearn.decomposition.PCA`; above the number of distinct
        values of `X` seen in ``fit`` (after binning), which depends on the
        sample, the discrete methods warn and use that number.

    beta : float or "auto", default="auto"
        Trade-off between compression and prediction. For the Gaussian
        method, component ``i`` is active only when `beta` exceeds its
        critical value ``1 / (1 - lambda_i)``; "auto" means twice the largest
        finite critical beta of the kept components, so every kept component
        with ``lambda_i < 1`` is active (2 if none is finite). A component has
        zero scale at its own critical beta; at twice that value the weakest
        kept component carries ``1/2 ln((1 + lambda_i) / lambda_i) >= 1/2 ln 2``
        nats about `X`. When a value of `beta` leaves components inactive their
        output columns are zero, so the output always has `n_components_`
        columns. For the discrete
        methods "auto" means ``beta = 10`` (one nat about `y` is worth ten
        nats of compression). Any finite value up to the largest float is
        valid (the computations avoid overflow); as `beta` grows
        ``I(T; Y)`` tends to its largest value: ``-1/2 sum ln(lambda_i)``
        over the kept components (Gaussian), the largest ``I(T; Y)`` of a
        partition of the values of `X` into `n_components_` clusters
        (discrete), which is ``I(X; Y)`` when there are enough clusters.

    method : {"gaussian", "iterative", "deterministic"}, default="gaussian"
        "gaussian": the closed-form bottleneck of jointly Gaussian variables
        (Chechik et al. 2005), a linear projection.
        "iterative": the soft clustering of the values of a discrete `X`
        (Tishby et al. 1999). "deterministic": hard clusters minimising
        ``H(T) - beta I(T; Y)`` (Strouse and Schwab 2017).

    shrinkage : float, default=0.0
        Gaussian method: both the covariance of the standardised `X` (its
        correlation matrix) and its conditional covariance given `y` are
        replaced by ``(1 - shrinkage) S + shrinkage mu I`` with ``mu`` the
        mean variance of the standardised features (1 unless some are
        constant), which is the bottleneck of `X` plus independent noise of
        the same relative size in every column. Use a positive
        value when features outnumber samples: with ``shrinkage=0`` and
        ``n_samples <= n_features`` the covariance of `X` is singular and
        ``fit`` raises a ValueError.

    discrete_target : "auto" or bool, default="auto"
        Whether `y` is categorical. "auto" means categorical when scikit-learn
        calls `y` "binary" or "multiclass", except a numeric `y` with more
        than 20 distinct values and fewer than five samples per value on
        average (the selectors' rule); a `y` with several columns is
        continuous. A categorical `y` gives the Gaussian
        method the pooled within-class covariance (the directions of linear
        discriminant analysis); a continuous `y` (one or several columns) the
        covariance of the residuals of the linear regression of `X` on `y`.
        The discrete methods cut a continuous `y` into `n_bins`
        equal-frequency bins per column.

    discrete_features : "auto", bool or array-like, default="auto"
        Discrete methods only: which columns of `X` are discrete. "auto" reads
        the columns as the selectors do (:ref:`column types <column_types>`):
        booleans, strings, categoricals and integer columns with at most 20
        distinct values are discrete, floating-point columns continuous
        (whatever values they hold), dates and durations continuous. The
        other columns are cut
        into `n_bins` equal-frequency bins with edges learnt in ``fit``; the
        value of `X` is the joint value of all its columns. Categorical,
        object and string columns of a DataFrame (pandas or polars) are coded
        by their sorted categories seen in ``fit`` and are always discrete,
        whatever their number of categories or the mask (the Gaussian method
        rejects them, naming the column; it uses boolean columns as 0/1 and
        dates as seconds since 1970).

    n_bins : int, default=10
        Discrete methods: number of equal-frequency bins of each continuous
        column of `X` and `y`, the quantile bins of :class:`~skmi.estimators.PlugIn`
        (tied values share a bin, so a column may get fewer). The number does
        not depend on `n_samples`: each bin holds about ``n_samples / n_bins``
        training rows. The smallest training value of each bin is its lower
        edge, so new values fall in the bins learnt in ``fit``. With ``d``
        binned columns `X` has up to ``n_bins ** d`` values; when that far
        exceeds `n_samples`, most training rows are values of their own, the
        plug-in informations are those of the sample (``information_xy_``
        close to ``H(Y)``) and new rows are placed by their nearest values
        (see Notes).

    n_init : int, default=4
        Discrete methods: number of runs from different random starts; the
        run with the lowest objective is kept. More runs start from hard
        partitions: the best partition met while merging the values of `X`
        greedily, from one cluster per value down to one cluster (when `X`
        has at most 256 values seen in ``fit``), for a binary `y` the best
        partition of all (found exactly among runs of values ordered by
        ``p(y=1|x)``, up to 1024 values), and for the iterative method also
        ``T = X`` (when `n_components` allows it) and one deterministic
        solution, since the soft updates can stall far from the hard optima at
        large `beta`. So the iterative objective is never worse than keeping
        every value nor than the best hard partition found. The
        deterministic clusters are then polished by moves of one value, two
        values and whole clusters while they lower the objective.

    annealing : bool, default=True
        Discrete methods: each run first visits a sequence of betas, from 1 up
        to `beta` for the iterative method (clusters split at their critical
        betas) and from ``4 beta`` down to `beta` for the deterministic one
        (clusters merge), which avoids poor local optima.

    max_iter : int, default=300
        Discrete methods: maximum number of iterations at each beta.

    tol : float, default=1e-8
        Discrete methods: stop when no entry of the encoder ``q(t|x)`` changes
        by more than `tol`.

    random_state : int, RandomState instance or None, default=None
        Determines the random numbers used for the initialisation and the
        annealing perturbations of the discrete methods.
        Pass an int for reproducible results across multiple calls.
        See :term:`Glossary <random_state>`.

    Attributes
    ----------
    components_ : ndarray of shape (n_components_, n_features_in_)
        Gaussian method: the rows ``alpha_i(beta) v_i`` of the optimal
        projection, ``v_i`` normalised by ``v_i^T S_x v_i = 1``. Inactive
        components are rows of zeros, so their output columns are zero.

    eigenvalues_ : ndarray of shape (n_components_,)
        Gaussian method: ``lambda_i = 1 - rho_i^2`` of the kept components,
        ascending (``rho_i`` the canonical correlations of `X` and `y`).

    critical_betas_ : ndarray of shape (n_components_,)
        Gaussian method: ``1 / (1 - lambda_i)`` (``inf`` for ``lambda_i = 1``).

    mean_ : ndarray of shape (n_features_in_,)
        Gaussian method: the mean of `X`.

    encoder_ : ndarray of shape (n_values, n_components_)
        Discrete methods: ``q(t|x)`` for each value of `X` seen in ``fit``
        (one-hot rows for the deterministic method).

    cluster_probabilities_ : ndarray of shape (n_components_,)
        Discrete methods: ``q(t)``.

    n_components_ : int
        Number of output columns.

    beta_ : float
        The beta used (`beta`, or its value for "auto").

    information_xt_ : float
        ``I(X; T)`` in nats at `beta_`: for the Gaussian method the closed
        form under the Gaussian model of `X` and `y` (Gaussian-model
        information), for the discrete methods the plug-in Shannon
        information of the empirical joint distribution.

    information_ty_ : float
        ``I(T; Y)`` in nats, computed in the same way. For a categorical `y`
        the Gaussian method's value treats the class indicators as Gaussian:
        it is not the Shannon information of the class variable and can
        exceed its entropy ``H(Y)`` (about 2.7 nats on the ten digits of
        :func:`~sklearn.datasets.load_digits`, where ``H(Y) = ln 10 = 2.30``).
        The discrete methods' value never exceeds ``H(Y)``.

    information_xy_ : float
        Discrete methods only: the plug-in ``I(X; Y)`` in nats of the
        (discretised) data, the limit of ``I(T; Y)`` for large `beta` and
        enough clusters.

    n_iter_ : int
        Discrete methods: iterations of the kept run at `beta_`. The Gaussian
        method solves one eigenproblem and sets it to 1.

    discrete_features_ : ndarray of shape (n_features_in_,), bool
        Which features were treated as discrete: `discrete_features`, with the
        category columns of a DataFrame always discrete. With "auto" it is the
        mask of :class:`~skmi.MutualInfoSelector` and
        :class:`~skmi.ConditionalMutualInfoSelector` for the same `X`. The
        Gaussian method reads every column as a number and only reports it.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during ``fit``. Defined only when `X` has
        feature names that are all strings.

    See Also
    --------
    information_curve : ``I(X;T)`` and ``I(T;Y)`` over a range of beta.
    sklearn.discriminant_analysis.LinearDiscriminantAnalysis : The directions
        of the Gaussian method for a categorical `y`.
    sklearn.cross_decomposition.CCA : Canonical correlation analysis.

    Notes
    -----
    Gaussian method: with ``S_x`` the covariance of `X` and ``S_{x|y}`` its
    conditional covariance given `y` (both normalised by ``1/N``), the
    eigenproblem ``S_{x|y} v = lambda S_x v`` gives the directions; component
    ``i`` is active for ``beta > 1 / (1 - lambda_i)`` with scale
    ``alpha_i = sqrt((beta (1 - lambda_i) - 1) / lambda_i)``. `transform`
    returns ``(X - mean_) @ components_.T``, the bottleneck variable without
    its unit-variance noise. The information values are those of the Gaussian
    model (exact for jointly Gaussian data); for a categorical `y` they are
    not the Shannon information of the class variable and are not bounded by
    its entropy, so :class:`~skmi.plotting.InformationPlaneDisplay` labels
    them "Gaussian-model". The columns of `X`
    (and of a continuous `y`) are standardised internally, so the result does
    not depend on their units: multiplying column ``j`` by ``c`` leaves the
    information values and the output of `transform` unchanged and divides
    ``components_[:, j]`` by ``c``.

    Discrete methods: `transform` returns the membership ``q(t|x)`` of each
    row's value (soft for "iterative", one-hot for "deterministic"). A value
    not seen in ``fit`` takes the average membership of the nearest values
    seen in ``fit``, weighted by their training frequencies (for
    "deterministic" the cluster with the largest weight). The distance adds,
    for each column, the difference of bin numbers divided by the number of
    bins minus one (continuous) or 1 for different values (discrete), so
    every column weighs at most 1. A value that differs from every seen value
    in every column thus gets the prior ``q(t)`` (the largest cluster for
    "deterministic"), the membership of a value that carries no information
    about `y`.

    References
    ----------
    .. [1] N. Tishby, F. C. Pereira and W. Bialek, "The information bottleneck
       method", Proc. 37th Allerton Conference, 1999.
    .. [2] G. Chechik, A. Globerson, N. Tishby and Y. Weiss, "Information
       bottleneck for Gaussian variables", JMLR 6, 2005.
    .. [3] D. J. Strouse and D. J. Schwab, "The deterministic information
       bottleneck", Neural Computation 29(6), 2017.

    Examples
    --------
    >>> from sklearn.datasets import load_wine
    >>> from skmi import InformationBottleneck
    >>> X, y = load_wine(return_X_y=True)
    >>> ib = InformationBottleneck(n_components=2, beta=5.0).fit(X, y)
    >>> ib.transform(X).shape
    (178, 2)
    >>> ib.critical_betas_.round(2)
    array([1.11, 1.24])
    >>> round(float(ib.information_ty_), 2)
    1.75
    """

    _parameter_constraints: dict = {
        "n_components": [Interval(Integral, 1, None, closed="left"), None],
        "beta": [Interval(Real, 0, None, closed="neither"), StrOptions({"auto"})],
        "method": [StrOptions({"gaussian", "iterative", "deterministic"})],
        "shrinkage": [Interval(Real, 0, 1, closed="both")],
        "discrete_target": [StrOptions({"auto"}), "boolean"],
        "discrete_features": [StrOptions({"auto"}), "boolean", "array-like"],
        "n_bins": [Interval(Integral, 2, None, closed="left")],
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "annealing": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_components: int | None = None,
        *,
        beta: float | Literal["auto"] = "auto",
        method: Literal["gaussian", "iterative", "deterministic"] = "gaussian",
        shrinkage: float = 0.0,
        discrete_target: Literal["auto"] | bool = "auto",
        discrete_features: Literal["auto"] | bool | ArrayLike = "auto",
        n_bins: int = 10,
        n_init: int = 4,
        annealing: bool = True,
        max_iter: int = 300,
        tol: float = 1e-8,
        random_state: int | np.random.RandomState | None = None,
    ) -> None:
        self.n_components = n_components
        self.beta = beta
        self.method = method
        self.shrinkage = shrinkage
        self.discrete_target = discrete_target
        self.discrete_features = discrete_features
        self.n_bins = n_bins
        self.n_init = n_init
        self.annealing = annealing
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: ArrayLike, y: ArrayLike) -> "InformationBottleneck":
        """Fit the bottleneck to `X` and `y`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target: categorical, continuous, or several continuous columns.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        # a refit (possibly with another method) starts from a clean slate
        for name in [a for a in vars(self) if a.endswith("_") or a in _FIT_STATE]:
            delattr(self, name)
        X, y = self._read(X, y)
        categorical = is_discrete_target(y, self.discrete_target)
        if self.method == "gaussian":
            self._fit_gaussian(X, y, categorical)
        else:
            self._fit_discrete(X, y, categorical)
        return self

    def _read(self, X, y=None, reset=True):
        """`X` as numbers through the reader of user tables (and `y` in fit).

        In ``fit`` the categories of the category columns are learnt and
        ``discrete_features_`` is set; ``transform`` codes them by those of
        ``fit``.
        """
        seen = None if reset else self._categories
        read = read_columns(X, categories=seen)
        if reset:
            numbers, y = check_X_y(
                read.X,
                y,
                multi_output=True,
                ensure_min_samples=2,
                dtype=np.float64,
                ensure_all_finite=False,
                estimator=self,
            )
        else:
            numbers = check_array(
                read.X,
                dtype=[np.float64, np.float32],
                ensure_all_finite=False,
                estimator=self,
            )
        # feature names and their number, from the input as given
        validate_data(self, X, skip_check_array=True, reset=reset)
        names = getattr(self, "feature_names_in_", None)
        if reset:
            self._categories = read.categories
            if self.method == "gaussian":
                _refuse_categories(read.categories, names)
            mask = resolve_discrete(self.discrete_features, read, numbers.shape[1])
            # category columns are discrete whatever the mask: their codes
            # have no order to bin
            mask[list(read.categories)] = True
            self.discrete_features_ = mask
        check_finite_columns(numbers, names)
        return numbers, y

    def _fit_gaussian(self, X, y, categorical):
        if categorical:
            codes, n_classes = factorize(y)
            Y = np.zeros((X.shape[0], n_classes))
            Y[np.arange(X.shape[0]), codes] = 1.0
            n_default = n_classes - 1
        else:
            Y = np.asarray(y, dtype=np.float64).reshape(X.shape[0], -1)
            n_default = Y.shape[1]
        n_samples, n_features = X.shape
        if self.shrinkage == 0 and n_samples <= n_features:
            raise ValueError(
                f"With n_samples={n_samples} <= n_features={n_features} the "
                "covariance of X is singular and the Gaussian bottleneck is not "
                "defined; set shrinkage > 0 (e.g. shrinkage=0.1)."
            )
        if self.n_components is not None and self.n_components > n_features:
            raise ValueError(
                f"n_components={self.n_components} must be at most "
                f"n_features={n_features} with method='gaussian'."
            )
        wanted = n_default if self.n_components is None else self.n_components
        self.n_components_ = int(max(1, min(wanted, n_features)))
        # The bottleneck is invariant to the units of each column; working on
        # standardised columns makes the ridge and the shrinkage target
        # unit-free too, and no covariance overflows or underflows.
        scale_x, scale_y = standard_scales(X), standard_scales(Y)
        cov_x, cov_x_given_y = conditional_covariance(X / scale_x, Y / scale_y)
        eigenvalues, vectors = gaussian_ib(cov_x, cov_x_given_y, self.shrinkage)
        k = self.n_components_
        self.eigenvalues_ = eigenvalues[:k]
        self.critical_betas_ = critical_betas(self.eigenvalues_)
        if self.beta == "auto":
            finite = self.critical_betas_[np.isfinite(self.critical_betas_)]
            base = finite.max() if finite.size else 1.0
            self.beta_ = float(_GAUSSIAN_AUTO_FACTOR * base)
        else:
            self.beta_ = float(self.beta)
        alpha = gaussian_ib_scales(self.eigenvalues_, self.beta_)
        self.components_ = alpha[:, None] * vectors[:, :k].T / scale_x[None, :]
        self.mean_ = X.mean(axis=0)
        self.information_xt_, self.information_ty_ = gaussian_ib_information(
            self.eigenvalues_, self.beta_
        )
        self.n_iter_ = 1
        self._curve_input = self.eigenvalues_

    def _fit_discrete(self, X, y, categorical):
        self._coder = _ValueCoder(X, self.discrete_features_, self.n_bins)
        y_codes, n_y = _target_codes(y, categorical, self.n_bins)
        n_x = self._coder.values.shape[0]
        counts = np.bincount(self._coder.index * n_y + y_codes, minlength=n_x * n_y)
        pxy = counts.reshape(n_x, n_y) / X.shape[0]
        if self.n_components is not None and self.n_components > n_x:
            # the limit depends on the data (a fold may miss a category), so a
            # warning rather than PCA's error, which would break a grid search
            warnings.warn(
                f"n_components={self.n_components} is more than the {n_x} "
                f"distinct value(s) of X seen in fit (after binning) with "
                f"method={self.method!r}; using n_components_={n_x}.",
                UserWarning,
                stacklevel=4,
            )
        wanted = n_y if self.n_components is None else self.n_components
        self.n_components_ = int(max(1, min(wanted, n_x)))
        self.beta_ = _DISCRETE_AUTO_BETA if self.beta == "auto" else float(self.beta)
        rng = self._generator()
        result = discrete_ib(
            pxy,
            self.n_components_,
            self.beta_,
            deterministic=self.method == "deterministic",
            n_init=self.n_init,
            n_anneal=_ANNEAL_STEPS if self.annealing else 0,
            max_iter=self.max_iter,
            tol=self.tol,
            rng=rng,
        )
        self.encoder_ = result.encoder
        self.cluster_probabilities_ = result.marginal
        self.information_xt_ = result.information_xt
        self.information_ty_ = result.information_ty
        self.information_xy_ = mutual_info_joint_probabilities(pxy)
        self.n_iter_ = max(result.n_iter, 1)
        self._curve_input = pxy

    def _generator(self):
        seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        return np.random.default_rng(seed)

    def transform(self, X: ArrayLike) -> np.ndarray:
        """Project `X` onto the bottleneck representation.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_components_)
            ``(X - mean_) @ components_.T`` for the Gaussian method; the
            cluster memberships ``q(t|x)`` for the discrete methods. Computed
            in float64 and returned as float32 for a float32 `X`.
        """
        check_is_fitted(self)
        X, _ = self._read(X, reset=False)
        # computed in float64, returned in the dtype of X (as PCA does)
        dtype, X = X.dtype, X.astype(np.float64, copy=False)
        if self.method == "gaussian":
            out = (X - self.mean_) @ self.components_.T
        else:
            out = self._coder.lookup(X, self.encoder_)
            if self.method == "deterministic":
                # an unseen value takes the largest cluster among its nearest values
                out = np.eye(out.shape[1])[np.argmax(out, axis=1)]
        return out.astype(dtype, copy=False)

    @property
    def _n_features_out(self):
        return self.n_components_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
