"""The information curve of a bottleneck: ``(I(X;T), I(T;Y))`` over beta."""

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import clone

from ._information_bottleneck import InformationBottleneck
from ._validation import validate_params
from .bottleneck import default_betas, discrete_curve, gaussian_curve

__all__ = ["information_curve"]


@validate_params(
    {
        "estimator": [InformationBottleneck],
        "X": ["array-like"],
        "y": ["array-like"],
        "betas": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def information_curve(
    estimator: InformationBottleneck,
    X: ArrayLike,
    y: ArrayLike,
    *,
    betas: ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Trace the information curve ``(I(X;T), I(T;Y))`` of a bottleneck over beta.

    The estimator is cloned and fitted once; for the Gaussian method the
    curve then follows in closed form from its eigenvalues, for the discrete
    methods the bottleneck is solved at every beta, warm-started from the
    neighbouring beta (ascending betas for "iterative", descending for
    "deterministic") besides the random restarts of `n_init`.

    Read more in the :ref:`User Guide <bottleneck>`.

    Parameters
    ----------
    estimator : InformationBottleneck
        The bottleneck whose parameters (method, `n_components`, shrinkage,
        discretisation, restarts) define the curve; its `beta` is ignored.
    X : array-like of shape (n_samples, n_features)
        Training data.
    y : array-like of shape (n_samples,) or (n_samples, n_targets)
        Target.
    betas : array-like of shape (n_betas,), default=None
        Values of beta. ``None`` means, for the Gaussian method, 50 values
        spaced geometrically from 1 to ten times the largest finite critical
        beta, plus the critical betas; for the discrete methods 50 values from
        1 to 1000.

    Returns
    -------
    information_xt : ndarray of shape (n_betas,)
        ``I(X; T)`` in nats at each beta.
    information_ty : ndarray of shape (n_betas,)
        ``I(T; Y)`` in nats at each beta.
    betas : ndarray of shape (n_betas,)
        The betas, ascending.

    See Also
    --------
    InformationBottleneck : The transformer.

    Notes
    -----
    Both coordinates of the optimal curve are non-decreasing in beta, and the
    slope ``dI(T;Y) / dI(X;T)`` is ``1 / beta``. The Gaussian curve is
    exact under the Gaussian model of the sample covariances (Gaussian-model
    information: for a categorical `y` not bounded by ``H(Y)``); it
    approaches ``I(X;Y) = -1/2 sum ln(lambda_i)`` over the kept components.

    Examples
    --------
    >>> import numpy as np
    >>> from skmi import InformationBottleneck, information_curve
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((1000, 3))
    >>> y = X[:, 0] + rng.standard_normal(1000)
    >>> ixt, ity, betas = information_curve(
    ...     InformationBottleneck(), X, y, betas=[1.5, 3.0, 100.0]
    ... )
    >>> ity.round(2)
    array([0.  , 0.11, 0.31])
    >>> bool(np.all(np.diff(ixt) > 0))
    True
    """
    fitted = clone(estimator).fit(X, y)
    if betas is None:
        eigenvalues = fitted.eigenvalues_ if fitted.method == "gaussian" else None
        betas = default_betas(eigenvalues)
    betas = np.sort(np.asarray(betas, dtype=np.float64).ravel())
    if betas.size == 0 or not np.all(betas > 0) or not np.all(np.isfinite(betas)):
        raise ValueError("betas must be a non-empty array of finite positive values.")
    if fitted.method == "gaussian":
        information_xt, information_ty = gaussian_curve(fitted._curve_input, betas)
    else:
        information_xt, information_ty = discrete_curve(
            fitted._curve_input,
            fitted.n_components_,
            betas,
            deterministic=fitted.method == "deterministic",
            rng=fitted._generator(),
            n_init=fitted.n_init,
            max_iter=fitted.max_iter,
            tol=fitted.tol,
        )
    return information_xt, information_ty, betas
