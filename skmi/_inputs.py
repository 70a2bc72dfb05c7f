"""Validation and preparation of ``fit(X, y)`` for the scikit-learn estimators.

``fit`` reads: validate parameters -> :func:`prepare_fit` (``validate_data``,
discrete masks, target kind, scaling and seeded jitter through the
information estimator) -> selection layer -> fitted attributes.
"""

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array, check_consistent_length

from ._columns import (
    IdLikeColumnsWarning,
    check_finite_columns,
    discrete_target,
    id_like,
    read_columns,
    resolve_discrete,
)
from ._validation import validate_data
from .estimators import KSG
from .estimators._variables import Variable

__all__ = [
    "DefaultEstimatorMixin",
    "FitInputs",
    "id_like_advice",
    "id_like_columns",
    "prepare_fit",
    "resolve_estimator",
]


#: dtypes that X keeps through validation (anything else becomes float64):
#: integer data, usually discrete codes, is not copied to floats; each
#: column is converted where it is prepared
_KEPT_DTYPES = [
    np.float64,
    np.int64,
    np.int32,
    np.int16,
    np.int8,
    np.uint32,
    np.uint16,
    np.uint8,
]


def resolve_estimator(estimator):
    """The information estimator to use (a fresh ``KSG()`` when None), with
    its own parameters validated."""
    from sklearn.base import clone

    est = KSG() if estimator is None else clone(estimator)
    est._validate_params()
    return est


class DefaultEstimatorMixin:
    """``set_params`` that can tune the default estimator of ``estimator=None``.

    scikit-learn's conventions forbid an object as a default parameter, so
    the selectors default to ``estimator=None``, meaning ``KSG()``. Setting a
    nested parameter such as ``estimator__n_neighbors`` on it (as
    ``GridSearchCV`` does) first sets ``estimator=KSG()``, then the nested
    parameter.
    """

    def set_params(self, **params: object) -> "DefaultEstimatorMixin":
        """Set the parameters of this estimator.

        Nested parameters of the information estimator (``estimator__*``)
        may be set while `estimator` is None: the default ``KSG()`` is then
        created first, so the default estimator can be tuned in a grid
        search.

        Parameters
        ----------
        **params : dict
            Estimator parameters.

        Returns
        -------
        self : estimator instance
            Estimator instance.
        """
        nested = any(key.startswith("estimator__") for key in params)
        if nested and "estimator" not in params and self.estimator is None:
            self.estimator = KSG()
        return super().set_params(**params)


@dataclass
class FitInputs:
    """Prepared inputs of one fit."""

    X: object  #: validated X (ndarray or CSC matrix)
    y: np.ndarray  #: validated 1-D target
    columns: list  #: one prepared Variable per column of X
    target: Variable  #: prepared target
    discrete_mask: np.ndarray  #: which columns were treated as discrete
    target_discrete: bool  #: whether y was treated as discrete
    estimator: object  #: the information estimator used
    rng: np.random.RandomState  #: the random state after the jitter was drawn
    constant: np.ndarray  #: which columns hold a single value
    id_like: np.ndarray  #: discrete columns with more levels than half the samples

    @property
    def target_constant(self):
        """Whether the target holds a single value (class)."""
        return self.target.is_constant or self.target.n_samples == 0


def id_like_columns(columns, discrete_mask):
    """Indices of the discrete prepared columns with more distinct values than
    half the number of samples (identifiers, free text: see
    :func:`skmi._columns.id_like`)."""
    return np.array(
        [
            j
            for j in np.flatnonzero(discrete_mask)
            if id_like(columns[j].n_levels, columns[j].n_samples)
        ],
        dtype=np.intp,
    )


def id_like_advice(estimator, target_discrete):
    """What the scores of ID-like columns mean with this estimator and target."""
    if isinstance(estimator, KSG) and not target_discrete:
        return (
            "Against a continuous target the k-NN estimates of such columns "
            "(within groups of few samples) are centred near zero but noisy; "
            "consider dropping them."
        )
    if estimator._chance():
        return (
            "The counted information of such columns is adjusted for chance "
            "(an identifier scores zero); consider dropping them."
        )
    return (
        "The plug-in information of such columns is mostly chance: use an "
        "estimator with adjust='chance' (the default KSG() adjusts) or drop them."
    )


def _column_names(owner, indices, limit=10):
    names = getattr(owner, "feature_names_in_", None)
    shown = [repr(str(names[j])) if names is not None else str(j) for j in indices]
    more = "" if len(shown) <= limit else f" and {len(shown) - limit} more"
    return ", ".join(shown[:limit]) + more


def _warn(message, category=UserWarning):
    # _warn <- _warn_about_columns <- prepare_fit <- fit <- the fit context
    # wrapper <- the caller
    warnings.warn(message, category, stacklevel=6)


def _warn_about_columns(owner, fi):
    """Warn, naming them, about constant and identifier-like columns and about
    a target with a single value."""
    n_samples = fi.X.shape[0]
    if fi.constant.any():
        which = np.flatnonzero(fi.constant)
        subject = "Features" if which.size > 1 else "Feature"
        verb = "are" if which.size > 1 else "is"
        _warn(
            f"{subject} {_column_names(owner, which)} {verb} constant: no "
            "information, ranked after every other feature."
        )
    if fi.id_like.size:
        advice = id_like_advice(fi.estimator, fi.target_discrete)
        _warn(
            f"Discrete features {_column_names(owner, fi.id_like)} have more "
            f"distinct values than half the number of samples ({n_samples}); "
            f"they look like identifiers or free text. {advice}",
            IdLikeColumnsWarning,
        )
    if fi.target_constant:
        _warn(
            "The target y holds a single value: no feature carries information "
            "about it and no feature is selected."
        )


def prepare_fit(
    owner,
    X,
    y,
    *,
    estimator=None,
    discrete_features="auto",
    discrete_target_="auto",
    random_state=None,
):
    """Validate ``X`` and ``y`` and prepare them for the selection layer.

    Warns, naming the columns, about constant columns, about discrete
    columns with more distinct values than half the number of samples, and
    about a target with a single value.

    Parameters
    ----------
    owner : BaseEstimator
        The estimator being fitted (``n_features_in_`` and
        ``feature_names_in_`` are set on it).
    X : array-like, DataFrame or sparse matrix of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    estimator : BaseMIEstimator or None
        Information estimator (None: ``KSG()``).
    discrete_features : "auto", bool or array-like
        "auto" detects discrete columns from what the columns hold (see
        :mod:`skmi._columns`).
    discrete_target_ : "auto" or bool
        Whether ``y`` is discrete ("auto": see
        :func:`skmi._columns.discrete_target`).
    random_state : None, int or RandomState
        The owner's random state. The random numbers of the fit (the
        tie-breaking noise, then the permutations) come from the
        estimator's ``random_state`` when it has one that is not None,
        else from this one; they are drawn here, before any parallel work.

    Returns
    -------
    FitInputs
    """
    est = resolve_estimator(estimator)
    detect = isinstance(discrete_features, str) and discrete_features == "auto"
    read = read_columns(X, count_levels=detect)
    X_num = check_array(
        read.X,
        accept_sparse="csc",
        dtype=_KEPT_DTYPES,
        ensure_all_finite=False,
        estimator=owner,
        input_name="X",
    )
    # feature names and their number, from the input as given
    validate_data(owner, X, skip_check_array=True, reset=True)
    X = X_num
    n_samples = X.shape[0]
    too_few = est._too_few_samples(n_samples)
    if too_few is not None:
        raise ValueError(too_few)
    check_finite_columns(X, getattr(owner, "feature_names_in_", None))
    if y is None:
        raise ValueError(
            f"{type(owner).__name__} requires y to be passed, but the target y is None."
        )
    y, y_discrete = discrete_target(y, discrete_target_)
    check_consistent_length(X, y)
    n_features = X.shape[1]
    mask = resolve_discrete(discrete_features, read, n_features, sparse.issparse(X))
    own_seed = getattr(est, "random_state", None)
    rng = check_random_state(random_state if own_seed is None else own_seed)
    columns = est.prepare(X, mask, rng, n_jobs=getattr(owner, "n_jobs", None))
    target = est.prepare_target(y, y_discrete, rng)
    constant = np.array([c.is_constant for c in columns], dtype=bool)
    id_like = id_like_columns(columns, mask)
    fi = FitInputs(X, y, columns, target, mask, y_discrete, est, rng, constant, id_like)
    _warn_about_columns(owner, fi)
    return fi
