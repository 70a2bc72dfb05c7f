"""The information curve: (I(X;T), I(T;Y)) of the optimal bottleneck over beta."""

import numpy as np
from numpy.typing import ArrayLike

from ._discrete import discrete_ib
from ._gaussian import critical_betas, gaussian_ib_information

__all__ = ["default_betas", "discrete_curve", "gaussian_curve"]


def default_betas(
    eigenvalues: ArrayLike | None = None, n_betas: int = 50
) -> np.ndarray:
    """A grid of betas that covers the interesting part of a curve.

    For the Gaussian bottleneck the grid is geometric from 1 to ten times the
    largest finite critical beta, with the critical betas added; without
    eigenvalues it is geometric from 1 to 1000.

    Parameters
    ----------
    eigenvalues : ndarray of shape (k,), default=None
        ``lambda_i`` of :func:`gaussian_ib`, or None for a discrete curve.
    n_betas : int, default=50
        Number of geometrically spaced values.

    Returns
    -------
    betas : ndarray
        Sorted unique betas.

    Examples
    --------
    >>> import numpy as np
    >>> from skmi.bottleneck import default_betas
    >>> default_betas(np.array([0.19, 0.64, 1.0]), n_betas=5).round(2)
    array([ 1.  ,  1.23,  2.3 ,  2.78,  5.27, 12.1 , 27.78])
    """
    top = 1000.0
    extra = np.empty(0)
    if eigenvalues is not None:
        crit = critical_betas(eigenvalues)
        extra = crit[np.isfinite(crit)]
        top = 10.0 * extra.max() if extra.size else 10.0
    grid = np.geomspace(1.0, top, n_betas)
    return np.unique(np.concatenate([grid, extra]))


def gaussian_curve(
    eigenvalues: ArrayLike, betas: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Closed-form information curve of the Gaussian bottleneck.

    Parameters
    ----------
    eigenvalues : ndarray of shape (k,)
        ``lambda_i`` of :func:`gaussian_ib`.
    betas : ndarray of shape (m,)
        Values of beta.

    Returns
    -------
    information_xt, information_ty : ndarray of shape (m,)
        ``I(X; T)`` and ``I(T; Y)`` in nats under the Gaussian model.

    Examples
    --------
    >>> import numpy as np
    >>> from skmi.bottleneck import gaussian_curve
    >>> xt, ty = gaussian_curve(np.array([0.19, 0.64, 1.0]), [1.5, 3.0, 10.0])
    >>> ty.round(4)
    array([0.2811, 0.648 , 0.9481])
    """
    return gaussian_ib_information(eigenvalues, np.asarray(betas, dtype=float))


def discrete_curve(
    pxy: np.ndarray,
    n_clusters: int,
    betas: ArrayLike,
    *,
    deterministic: bool,
    rng: np.random.Generator,
    **options,
) -> tuple[np.ndarray, np.ndarray]:
    """Information curve of the iterative or deterministic bottleneck.

    The betas are visited in the annealing direction (ascending for the soft
    bottleneck, so clusters split; descending for the deterministic one, so
    clusters merge), each run starting from the solution at the previous beta
    besides ``n_init - 1`` random starts. Then every beta gets the best of
    all solutions found, re-optimised at that beta; a final choice of the
    best solution for each beta among this common set makes both coordinates
    non-decreasing in beta, as they are on the optimal curve.

    Parameters
    ----------
    pxy : ndarray of shape (n_x, n_y)
        Joint probabilities of ``X`` and ``Y``.
    n_clusters : int
        Maximum number of clusters.
    betas : ndarray of shape (m,)
        Values of beta.
    deterministic : bool
        The deterministic bottleneck instead of the iterative one.
    rng : numpy.random.Generator
        Source of the random starts.
    **options
        ``n_init``, ``max_iter`` and ``tol`` of :func:`discrete_ib`.

    Returns
    -------
    information_xt, information_ty : ndarray of shape (m,)
        Plug-in ``I(X; T)`` and ``I(T; Y)`` in nats at each beta.

    Examples
    --------
    >>> import numpy as np
    >>> from skmi.bottleneck import discrete_curve
    >>> pxy = np.array([[0.3, 0.05], [0.25, 0.05], [0.05, 0.3]])
    >>> xt, ty = discrete_curve(
    ...     pxy, 2, [0.5, 10.0], deterministic=True, rng=np.random.default_rng(0)
    ... )
    >>> ty.round(3)
    array([0.  , 0.25])
    """
    betas = np.asarray(betas, dtype=float)
    order = np.argsort(betas, kind="stable")
    if deterministic:
        order = order[::-1]
    found = []  # (information_xt, information_ty, compression, encoder)

    def solve(beta, init, **kwargs):
        result = discrete_ib(
            pxy,
            n_clusters,
            beta,
            deterministic=deterministic,
            rng=rng,
            init=init,
            **kwargs,
        )
        found.append(
            (
                result.information_xt,
                result.information_ty,
                result.compression,
                result.encoder,
            )
        )
        return result.encoder

    encoder = None
    for i in order:
        encoder = solve(betas[i], encoder, **options)
    # the first pass ran the hard starts at every beta
    polish = {**options, "n_init": 1, "hard_start": False}
    for i in order:
        best = _envelope(found, betas[i : i + 1])[0]
        solve(betas[i], found[best][3], **polish)
    chosen = _envelope(found, betas)
    information_xt = np.array([found[c][0] for c in chosen])
    information_ty = np.array([found[c][1] for c in chosen])
    return information_xt, information_ty


def _envelope(found, betas):
    """Index of the solution with the lowest objective at each beta."""
    information_ty = np.array([f[1] for f in found])
    compression = np.array([f[2] for f in found])
    # the objective over max(1, beta): same order at each beta, no overflow
    scale = np.maximum(betas, 1.0)[:, None]
    objective = (
        compression[None, :] / scale
        - (betas[:, None] / scale) * information_ty[None, :]
    )
    # ties go to the solution keeping more about Y, consistently across betas
    lowest = objective.min(axis=1, keepdims=True)
    tied = objective <= lowest + 1e-12
    return np.argmax(np.where(tied, information_ty[None, :], -np.inf), axis=1)
