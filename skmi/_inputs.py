"""Validation and preparation of ``fit(X, y)`` for the scikit-learn estimators.

``fit`` reads: validate parameters -> :func:`prepare_fit` (``validate_data``,
discrete masks, target kind, scaling and seeded jitter through the
information estimator) -> selection layer -> fitted attributes.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_consistent_length

from ._prepare import (
    check_finite_columns,
    discrete_target,
    encode_features,
    make_discrete_mask,
)
from ._validation import validate_data
from .estimators import KSG
from .estimators._variables import Variable

__all__ = ["FitInputs", "prepare_fit", "resolve_estimator"]


#: dtypes that X keeps through validation (anything else becomes float64):
#: integer data, usually discrete codes, is not copied to floats; each
#: column is converted where it is prepared
_KEPT_DTYPES = [
    np.float64, np.int64, np.int32, np.int16, np.int8,
    np.uint32, np.uint16, np.uint8,
]


def resolve_estimator(estimator):
    """The information estimator to use (a fresh ``KSG()`` when None), with
    its own parameters validated."""
    from sklearn.base import clone

    est = KSG() if estimator is None else clone(estimator)
    est._validate_params()
    return est


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
        "auto" detects discrete columns from dtypes (see
        :func:`skmi._prepare.encode_features`).
    discrete_target_ : "auto" or bool
        Whether ``y`` is discrete ("auto": from ``type_of_target``).
    random_state : None, int or RandomState
        Source of the tie-breaking noise, drawn once here before any parallel
        work.

    Returns
    -------
    FitInputs
    """
    est = resolve_estimator(estimator)
    X_enc, auto_mask = encode_features(X)
    X = validate_data(
        owner,
        X_enc,
        accept_sparse="csc",
        dtype=_KEPT_DTYPES,
        ensure_all_finite=False,
        ensure_min_samples=est._min_samples(),
        reset=True,
    )
    check_finite_columns(X, getattr(owner, "feature_names_in_", None))
    if y is None:
        raise ValueError(
            f"{type(owner).__name__} requires y to be passed, but the target y is None."
        )
    y, y_discrete = discrete_target(y, discrete_target_)
    check_consistent_length(X, y)
    n_features = X.shape[1]
    if isinstance(discrete_features, str) and discrete_features == "auto":
        mask = auto_mask if auto_mask is not None else np.zeros(n_features, bool)
    else:
        mask = make_discrete_mask(discrete_features, n_features, sparse.issparse(X))
    if sparse.issparse(X) and not mask.all():
        raise ValueError(
            "Sparse input is supported for discrete columns only; columns "
            f"{np.flatnonzero(~mask)[:10].tolist()} are continuous. Densify X or "
            "mark them discrete with discrete_features."
        )
    rng = check_random_state(random_state)
    columns = est.prepare(X, mask, rng)
    target = est.prepare_target(y, y_discrete, rng)
    return FitInputs(X, y, columns, target, mask, y_discrete, est, rng)
