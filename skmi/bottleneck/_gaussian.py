"""Closed-form information bottleneck for jointly Gaussian variables.

For jointly Gaussian ``X`` and ``Y`` the optimal bottleneck variable is a
noisy linear projection ``T = A X + xi`` with ``xi ~ N(0, I)`` (Chechik,
Globerson, Tishby and Weiss 2005). The rows of ``A`` are the left
eigenvectors of ``S_{x|y} S_x^{-1}``, i.e. the solutions of the generalised
symmetric eigenproblem ``S_{x|y} v = lambda S_x v``, scaled by
``alpha_i(beta)``. Every function takes covariance matrices or eigenvalues
and returns raw nats: no validation, no randomness.

References
----------
.. [1] G. Chechik, A. Globerson, N. Tishby and Y. Weiss, "Information
   bottleneck for Gaussian variables", JMLR 6, 2005.
"""

import numpy as np
from numpy.typing import ArrayLike
from scipy import linalg

__all__ = [
    "conditional_covariance",
    "critical_betas",
    "gaussian_ib",
    "gaussian_ib_information",
    "gaussian_ib_scales",
]

#: Smallest eigenvalue used in the information formulas: ``lambda = 0`` (an
#: exactly predictable direction) would carry infinite information.
_MIN_EIGENVALUE = 1e-12

#: Eigenvalues within this distance of 1 are uninformative (``lambda = 1``).
_ONE_TOLERANCE = 1e-10

#: Relative ridge added to both covariances so that ``S_x`` is positive
#: definite even for constant or collinear columns.
_RIDGE = 1e-12


def conditional_covariance(
    X: np.ndarray, Y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Covariance of the residuals of the least-squares regression of X on Y.

    Both covariances use the ``1/N`` normalisation. With ``Y`` the one-hot
    indicators of a categorical variable this is the pooled within-class
    covariance.

    Parameters
    ----------
    X : ndarray of shape (n, d)
        Samples of ``X``.
    Y : ndarray of shape (n, q)
        Samples of ``Y`` (e.g. one-hot class indicators).

    Returns
    -------
    cov_x : ndarray of shape (d, d)
        ``S_x``, the covariance of ``X``.
    cov_x_given_y : ndarray of shape (d, d)
        ``S_{x|y} = S_x - S_xy S_y^+ S_yx``.

    Examples
    --------
    >>> import numpy as np
    >>> from skmi.bottleneck import conditional_covariance
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((1000, 2))
    >>> Y = X[:, :1] + rng.standard_normal((1000, 1))
    >>> cov_x, cov_x_given_y = conditional_covariance(X, Y)
    >>> np.diag(cov_x_given_y).round(2)
    array([0.52, 0.96])
    """
    n = X.shape[0]
    Xc = X - X.mean(axis=0)
    Yc = Y - Y.mean(axis=0)
    cov_x = Xc.T @ Xc / n
    # rank-deficient Y (e.g. centred one-hot columns) needs a relative cutoff
    cond = np.finfo(np.float64).eps * max(Yc.shape)
    coef = linalg.lstsq(Yc, Xc, cond=cond, lapack_driver="gelsd")[0]
    residuals = Xc - Yc @ coef
    cov_x_given_y = residuals.T @ residuals / n
    return _symmetric(cov_x), _symmetric(cov_x_given_y)


def _symmetric(a):
    return (a + a.T) / 2.0


def gaussian_ib(
    cov_x: np.ndarray, cov_x_given_y: np.ndarray, shrinkage: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Solve the Gaussian information bottleneck: eigenvalues and directions.

    Solves ``S_{x|y} v = lambda S_x v`` with ``v^T S_x v = 1``. Shrinkage
    replaces both matrices by ``(1 - s) S + s mu I``, ``mu = trace(S_x) / d``,
    which is the bottleneck of ``X`` plus independent isotropic noise, so
    ``0 <= lambda <= 1`` still holds. The ridge and the shrinkage target are
    isotropic: pass covariances of standardised columns for a result that
    does not depend on the units of the columns.

    Parameters
    ----------
    cov_x : ndarray of shape (d, d)
        Covariance ``S_x`` of ``X``.
    cov_x_given_y : ndarray of shape (d, d)
        Conditional covariance ``S_{x|y}`` (:func:`conditional_covariance`).
    shrinkage : float in [0, 1], default=0.0
        Weight of the isotropic target of both matrices.

    Returns
    -------
    eigenvalues : ndarray of shape (d,)
        ``lambda_i = 1 - rho_i^2`` (``rho_i`` the canonical correlations),
        ascending and clipped to ``[0, 1]``; values within 1e-10 of 1 are
        set to 1 (no correlation).
    vectors : ndarray of shape (d, d)
        Column ``i`` is ``v_i``, normalised by ``v_i^T S_x v_i = 1`` and with
        its entry of largest magnitude positive.

    Examples
    --------
    >>> import numpy as np
    >>> from skmi.bottleneck import gaussian_ib
    >>> cov_x = np.eye(2)
    >>> cov_x_given_y = np.diag([0.19, 0.64])  # canonical correlations 0.9, 0.6
    >>> eigenvalues, vectors = gaussian_ib(cov_x, cov_x_given_y)
    >>> eigenvalues.round(2)
    array([0.19, 0.64])
    """
    d = cov_x.shape[0]
    mu = np.trace(cov_x) / d
    if not mu > 0:
        mu = 1.0
    ridge = (shrinkage + _RIDGE) * mu * np.eye(d)
    a = (1.0 - shrinkage) * cov_x_given_y + ridge
    b = (1.0 - shrinkage) * cov_x + ridge
    eigenvalues, vectors = linalg.eigh(a, b)
    order = np.argsort(eigenvalues, kind="stable")
    eigenvalues, vectors = eigenvalues[order], vectors[:, order]
    rows = np.arange(d)
    pivot = np.argmax(np.abs(vectors), axis=0)
    vectors = vectors * np.sign(vectors[pivot, rows])
    # rounding leaves uninformative directions a hair below 1
    eigenvalues[eigenvalues > 1.0 - _ONE_TOLERANCE] = 1.0
    return np.clip(eigenvalues, 0.0, 1.0), vectors


def critical_betas(eigenvalues: ArrayLike) -> np.ndarray:
    """Critical values ``beta_i = 1 / (1 - lambda_i)`` (``inf`` for ``lambda = 1``).

    Component ``i`` is active, i.e. carries information, for ``beta > beta_i``.

    Parameters
    ----------
    eigenvalues : ndarray of shape (k,)
        ``lambda_i`` of :func:`gaussian_ib`, in ``[0, 1]``.

    Returns
    -------
    betas : ndarray of shape (k,)
        The critical betas.

    Examples
    --------
    >>> import numpy as np
    >>> from skmi.bottleneck import critical_betas
    >>> critical_betas(np.array([0.19, 0.64, 1.0])).round(4)
    array([1.2346, 2.7778,    inf])
    """
    eigenvalues = np.asarray(eigenvalues, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.where(eigenvalues < 1.0, 1.0 / (1.0 - eigenvalues), np.inf)


def gaussian_ib_scales(
    eigenvalues: ArrayLike, beta: float, norms: ArrayLike | None = None
) -> np.ndarray:
    """Compute the scales ``alpha_i(beta)`` of the projection rows ``alpha_i v_i``.

    ``alpha_i = sqrt((beta (1 - lambda_i) - 1) / (lambda_i r_i))`` for
    ``beta > beta_i`` and 0 otherwise, with ``r_i = v_i^T S_x v_i``.

    Parameters
    ----------
    eigenvalues : ndarray of shape (k,)
        ``lambda_i`` of :func:`gaussian_ib`.
    beta : float
        Trade-off parameter.
    norms : ndarray of shape (k,), default=None
        ``r_i``; ``None`` means the normalisation ``r_i = 1``.

    Returns
    -------
    alpha : ndarray of shape (k,)
        The scales, zero for inactive components.

    Examples
    --------
    >>> import numpy as np
    >>> from skmi.bottleneck import gaussian_ib_scales
    >>> gaussian_ib_scales(np.array([0.19, 0.64, 1.0]), 3.0).round(4)
    array([2.7434, 0.3536, 0.    ])
    """
    lam = np.maximum(np.asarray(eigenvalues, dtype=np.float64), _MIN_EIGENVALUE)
    norms = np.ones_like(lam) if norms is None else np.asarray(norms, dtype=float)
    gain = beta * (1.0 - lam) - 1.0
    # two square roots: the ratio overflows for beta near the float limit
    return np.sqrt(np.where(gain > 0, gain, 0.0)) / np.sqrt(lam * norms)


def gaussian_ib_information(
    eigenvalues: ArrayLike, beta: float | ArrayLike
) -> tuple[float, float] | tuple[np.ndarray, np.ndarray]:
    """Closed-form ``I(T; X)`` and ``I(T; Y)`` of the optimal projection, in nats.

    Over the active components (``beta (1 - lambda_i) > 1``):
    ``I(T;X) = 1/2 sum ln((beta - 1)(1 - lambda_i) / lambda_i)`` and
    ``I(T;Y) = I(T;X) - 1/2 sum ln(beta (1 - lambda_i))``.

    Parameters
    ----------
    eigenvalues : ndarray of shape (k,)
        ``lambda_i`` of :func:`gaussian_ib`.
    beta : float or ndarray of shape (m,)
        Trade-off parameter(s).

    Returns
    -------
    information_xt, information_ty : float or ndarray of shape (m,)
        ``I(T; X)`` and ``I(T; Y)`` in nats under the Gaussian model.

    Examples
    --------
    >>> import numpy as np
    >>> from skmi.bottleneck import gaussian_ib_information
    >>> xt, ty = gaussian_ib_information(np.array([0.19, 0.64, 1.0]), 3.0)
    >>> round(xt, 4), round(ty, 4)
    (1.1305, 0.648)
    """
    lam = np.maximum(np.asarray(eigenvalues, dtype=np.float64), _MIN_EIGENVALUE)
    betas = np.asarray(beta, dtype=np.float64)
    b = betas.reshape(-1, 1)
    active = b * (1.0 - lam) > 1.0
    # sums of logarithms, finite up to the largest float beta; per component
    # I(T;Y) = 1/2 ln((1 - 1/beta) / lambda), which tends to -1/2 ln(lambda)
    with np.errstate(divide="ignore", invalid="ignore"):
        xt = 0.5 * (np.log(b - 1.0) + np.log1p(-lam) - np.log(lam))
        ty = 0.5 * (np.log1p(-1.0 / b) - np.log(lam))
    information_xt = np.where(active, xt, 0.0).sum(axis=1)
    information_ty = np.where(active, ty, 0.0).sum(axis=1)
    if betas.ndim == 0:
        return float(information_xt[0]), float(information_ty[0])
    return information_xt, information_ty
