"""The information curve: (I(X;T), I(T;Y)) of the optimal bottleneck over beta."""

import numpy as np

from ._discrete import discrete_ib
from ._gaussian import critical_betas, gaussian_ib_information

__all__ = ["default_betas", "discrete_curve", "gaussian_curve"]


def default_betas(eigenvalues=None, n_betas=50):
    """A grid of betas that covers the interesting part of a curve.

    For the Gaussian bottleneck the grid is geometric from 1 to ten times the
    largest finite critical beta, with the critical betas added; without
    eigenvalues it is geometric from 1 to 1000.
    """
    top = 1000.0
    extra = np.empty(0)
    if eigenvalues is not None:
        crit = critical_betas(eigenvalues)
        extra = crit[np.isfinite(crit)]
        top = 10.0 * extra.max() if extra.size else 10.0
    grid = np.geomspace(1.0, top, n_betas)
    return np.unique(np.concatenate([grid, extra]))


def gaussian_curve(eigenvalues, betas):
    """Closed-form information curve of the Gaussian bottleneck.

    Parameters
    ----------
    eigenvalues : ndarray of shape (k,)
    betas : ndarray of shape (m,)

    Returns
    -------
    information_xt, information_ty : ndarray of shape (m,)
    """
    return gaussian_ib_information(eigenvalues, np.asarray(betas, dtype=float))


def discrete_curve(pxy, n_clusters, betas, *, deterministic, rng, **options):
    """Information curve of the iterative or deterministic bottleneck.

    The betas are visited in the annealing direction (ascending for the soft
    bottleneck, so clusters split; descending for the deterministic one, so
    clusters merge), each run starting from the solution at the previous beta
    besides ``n_init - 1`` random starts.

    Parameters
    ----------
    pxy : ndarray of shape (n_x, n_y)
    n_clusters : int
    betas : ndarray of shape (m,)
    deterministic : bool
    rng : numpy.random.Generator
    **options
        ``n_init``, ``max_iter`` and ``tol`` of :func:`discrete_ib`.

    Returns
    -------
    information_xt, information_ty : ndarray of shape (m,)
    """
    betas = np.asarray(betas, dtype=float)
    order = np.argsort(betas, kind="stable")
    if deterministic:
        order = order[::-1]
    information_xt = np.empty(betas.shape[0])
    information_ty = np.empty(betas.shape[0])
    encoder = None
    for i in order:
        result = discrete_ib(
            pxy,
            n_clusters,
            betas[i],
            deterministic=deterministic,
            rng=rng,
            init=encoder,
            **options,
        )
        encoder = result.encoder
        information_xt[i] = result.information_xt
        information_ty[i] = result.information_ty
    return information_xt, information_ty
