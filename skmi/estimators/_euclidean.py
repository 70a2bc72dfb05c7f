"""KSG and Frenzel-Pompe with a Euclidean norm within each variable.

The maximum norm of :mod:`~skmi.estimators._ksg` takes the distance between
two samples of ``(X, Y)`` as the largest coordinate difference. Kraskov et
al. [1]_ allow any norm within each variable, the distance in the joint
space being the larger of the two (section II.A): with the Euclidean norm
within ``X`` and within ``Y`` the balls of a multivariate variable are round,
which lowers the bias in several dimensions (the choice of the "Beyond
Normal" benchmark's KSG). For one-dimensional variables the two choices
coincide.

Distances are computed exactly, ``sqrt(sum((a - b)**2))`` per pair, by
:func:`scipy.spatial.distance.cdist` on blocks of rows, so the working memory
is a few blocks of ``n`` distances, never an ``n x n`` matrix; the cost is
``O(n^2 d)`` (no tree): this is an option for moderate ``n`` and several
dimensions.

References
----------
.. [1] A. Kraskov, H. Stögbauer and P. Grassberger, "Estimating mutual
   information", Phys. Rev. E 69, 066138, 2004 (eq. 8 and section II.A).
.. [2] S. Frenzel and B. Pompe, "Partial mutual information for coupling
   analysis of multivariate time series", Phys. Rev. Lett. 99, 204101, 2007.
"""

import numpy as np
from scipy.spatial.distance import cdist
from scipy.special import digamma, ndtri
from scipy.stats import rankdata

__all__ = [
    "euclidean_mutual_info",
    "ksg_cmi_euclidean",
    "ksg_mi_euclidean",
    "norm_ball_counts",
    "normal_scores",
]

#: rows of the distance blocks (a block holds ``_BLOCK * n`` distances per variable)
_BLOCK = 256


def norm_ball_counts(variables, k, groups):
    """k-th joint distances and strict ball counts with per-variable Euclidean norms.

    The distance between samples ``i`` and ``j`` in the joint space of
    ``variables`` is ``max_v ||v_i - v_j||_2``; ``eps_i`` is the distance
    from ``i`` to its ``k``-th nearest other sample. For each group of
    variables, the count around ``i`` is the number of samples whose
    distance in the group's joint space is strictly below ``eps_i``, the
    sample itself included.

    Parameters
    ----------
    variables : list of ndarray of shape (n, d_v)
    k : int
        ``1 <= k < n``.
    groups : list of tuple of int
        Indices into ``variables``.

    Returns
    -------
    eps : ndarray of shape (n,)
    counts : list of ndarray of shape (n,), int64
        One per group.
    """
    n = variables[0].shape[0]
    eps = np.empty(n)
    counts = [np.empty(n, dtype=np.int64) for _ in groups]
    for start in range(0, n, _BLOCK):
        rows = slice(start, min(start + _BLOCK, n))
        dist = [cdist(v[rows], v) for v in variables]
        joint = dist[0] if len(dist) == 1 else np.maximum.reduce(dist)
        # column k of the sorted row (column 0 is the sample itself, at 0)
        eps[rows] = np.partition(joint, k, axis=1)[:, k]
        radius = eps[rows, None]
        for count, group in zip(counts, groups, strict=True):
            within = (
                dist[group[0]]
                if len(group) == 1
                else np.maximum.reduce([dist[g] for g in group])
            )
            count[rows] = np.count_nonzero(within < radius, axis=1)
    return eps, counts


def _mean_digamma(counts):
    return float(np.mean(digamma(counts)))


def ksg_mi_euclidean(x, y, k):
    """KSG algorithm 1 [1]_, eq. 8, with Euclidean norms within ``x`` and ``y``.

    ``I = psi(k) + psi(N) - <psi(n_x + 1) + psi(n_y + 1)>`` with ``n_x``,
    ``n_y`` the other samples strictly within ``eps_i`` in each variable.
    """
    _, (nx, ny) = norm_ball_counts([x, y], k, [(0,), (1,)])
    return float(
        digamma(k) + digamma(x.shape[0]) - _mean_digamma(nx) - _mean_digamma(ny)
    )


def ksg_cmi_euclidean(x, y, z, k):
    """Frenzel-Pompe [2]_ with Euclidean norms within ``x``, ``y`` and ``z``.

    ``I(X; Y | Z) = psi(k) - <psi(n_xz) + psi(n_yz) - psi(n_z)>`` with strict
    counts that include the sample itself.
    """
    _, (nxz, nyz, nz) = norm_ball_counts([x, y, z], k, [(0, 2), (1, 2), (2,)])
    return float(
        digamma(k) - _mean_digamma(nxz) - _mean_digamma(nyz) + _mean_digamma(nz)
    )


def euclidean_mutual_info(x, y, z, k):
    """``I(X; Y | Z)`` of prepared continuous variables with Euclidean norms.

    Returns None unless ``x``, ``y`` (and ``z``, if any) are purely
    continuous, non-constant and hold more than ``k`` samples, and one of
    them has several dimensions: the caller then uses the maximum-norm
    family (the same norm for one-dimensional variables).
    """
    if z is not None and z.is_empty:
        z = None
    parts = [x, y] if z is None else [x, y, z]
    if any(v.is_empty or v.codes is not None or v.is_constant for v in parts):
        return None
    if all(v.continuous.shape[1] == 1 for v in parts):
        return None
    if x.n_samples <= k:
        return None
    if z is None:
        return ksg_mi_euclidean(x.continuous, y.continuous, k)
    return ksg_cmi_euclidean(x.continuous, y.continuous, z.continuous, k)


def normal_scores(values):
    """``Phi^-1(rank / (n + 1))`` of a 1-D array (average ranks for ties)."""
    ranks = rankdata(values, method="average")
    return ndtri(ranks / (values.shape[0] + 1.0))
