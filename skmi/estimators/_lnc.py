"""The local non-uniformity correction (LNC) of the KSG estimator.

KSG estimates the joint density around each sample as uniform over the box
that holds its ``k`` nearest neighbours. When the variables are strongly
dependent the neighbours lie along a thin curve, most of that box is empty,
and the estimate of ``I(X; Y)`` saturates near ``log N`` (Gao, Ver Steeg and
Galstyan [1]_ show that KSG needs a number of samples exponential in the
information). The correction compares the volume ``V(i)`` of the box KSG
uses with the volume ``Vbar(i)`` of the smallest box aligned with the
principal axes of the neighbourhood that holds the same points, and, where
the neighbourhood is clearly non-uniform, adds the log-ratio of the two
volumes [1]_ (eq. 8):

``I_LNC = I_KSG - (1/N) sum_i log(Vbar(i) / V(i))`` over the samples with
``Vbar(i) / V(i) < alpha``.

The base estimate is KSG's second algorithm [2]_ (eq. 9), whose boxes are
rectangles: the neighbours of sample ``i`` are its ``k`` nearest in the
joint maximum norm, ``eps_x(i)`` and ``eps_y(i)`` are the largest
maximum-norm distances from ``x_i`` and ``y_i`` to those neighbours, and
``V(i)`` is the volume of the product of the two balls (a rectangle for
one-dimensional variables; the authors' code, written for one-dimensional
variables, takes the extent of each coordinate):

``I_KSG = psi(k) - 1/k + psi(N) - <psi(n_x) + psi(n_y)>`` with ``n_x`` the
number of other samples within ``eps_x(i)`` of ``x_i`` (and ``n_y`` alike).

The principal axes are the eigenvectors of ``(1/k) sum_j u_j u_j^T``, the
second moments of the offsets ``u_j`` of the neighbours from the sample, and
``Vbar(i)`` is the product over the axes of the largest absolute projection
of an offset. The correction needs ``k > d`` (``d = d_x + d_y``): with fewer
neighbours the box of the principal axes is flat, and no correction is made.

The threshold ``alpha`` separates non-uniform neighbourhoods from the
fluctuations of uniform ones: it is the 0.5% quantile of ``Vbar / V`` when
the density is uniform around the sample, so the correction is made at about
0.5% of the samples of a smooth density (the authors' table of thresholds,
from their own simulation, corresponds to quantiles between 0.5% and 2%:
0.18 against 0.10 here for ``d = 2, k = 3``, 0.37 against 0.33 for
``d = 2, k = 5``). On independent normal pairs (``N = 2000``) the correction
adds about 0.015 nats at ``k = 3`` (0.027 with a 1% quantile). The
quantile is computed once per ``(k, d_x, d_y)`` from 100,000 simulated
neighbourhoods of a uniform density (the ``k - 1`` nearer neighbours uniform
in the unit cube and the ``k``-th on its surface), drawn by a generator of
fixed seed, so the threshold is a constant.

References
----------
.. [1] S. Gao, G. Ver Steeg and A. Galstyan, "Efficient estimation of mutual
   information for strongly dependent variables", AISTATS 2015.
.. [2] A. Kraskov, H. Stögbauer and P. Grassberger, "Estimating mutual
   information", Phys. Rev. E 69, 066138, 2004 (algorithm 2, eq. 9).
"""

from functools import lru_cache

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import digamma

from ._neighbors import count_strict

__all__ = [
    "LNC_QUANTILE",
    "lnc_applies",
    "lnc_log_ratios",
    "lnc_mutual_info",
    "lnc_prepared",
    "lnc_threshold",
]

#: share of the samples of a locally uniform density that are corrected
LNC_QUANTILE = 0.005

#: simulated uniform neighbourhoods behind each threshold
_SIMULATED = 100_000

#: samples whose neighbourhoods are analysed at once (bounded memory)
_BLOCK = 4096


def lnc_applies(k, dx, dy):
    """Whether the principal-axes box of ``k`` neighbours has a volume."""
    return k > dx + dy


def _log_box_volumes(offsets, dx):
    """``log V`` and ``log Vbar`` of neighbourhoods (half-sides, no ``2^d``).

    Parameters
    ----------
    offsets : ndarray of shape (m, k, d)
        The ``k`` neighbours of ``m`` samples, less the sample.
    dx : int
        The first ``dx`` coordinates are ``X``, the others ``Y``.

    Returns
    -------
    log_v, log_vbar : ndarray of shape (m,)
    """
    d = offsets.shape[2]
    eps_x = np.max(np.abs(offsets[:, :, :dx]), axis=(1, 2))
    eps_y = np.max(np.abs(offsets[:, :, dx:]), axis=(1, 2))
    log_v = dx * np.log(eps_x) + (d - dx) * np.log(eps_y)
    moments = np.einsum("mki,mkj->mij", offsets, offsets) / offsets.shape[1]
    _, axes = np.linalg.eigh(moments)
    extents = np.max(np.abs(np.einsum("mki,mij->mkj", offsets, axes)), axis=1)
    with np.errstate(divide="ignore"):
        log_vbar = np.sum(np.log(extents), axis=1)
    return log_v, log_vbar


@lru_cache(maxsize=64)
def lnc_threshold(k, dx, dy):
    """The threshold ``alpha`` for ``k`` neighbours of a ``(dx, dy)`` pair.

    The :data:`LNC_QUANTILE` quantile of ``Vbar / V`` over simulated
    neighbourhoods of a uniform density (see the module's docstring).

    Parameters
    ----------
    k, dx, dy : int
        ``k > dx + dy``.

    Returns
    -------
    float
        ``alpha`` in (0, 1).
    """
    d = dx + dy
    rng = np.random.default_rng(0)
    m = _SIMULATED
    offsets = rng.uniform(-1.0, 1.0, (m, k, d))
    # the k-th neighbour lies on the surface of the max-norm ball
    face = rng.integers(0, d, m)
    offsets[np.arange(m), k - 1, face] = rng.choice([-1.0, 1.0], m)
    log_v, log_vbar = _log_box_volumes(offsets, dx)
    return float(np.exp(np.quantile(log_vbar - log_v, LNC_QUANTILE)))


def _neighbours(points, k):
    """Indices (n, k) of the ``k`` nearest other samples (joint maximum norm)."""
    n = points.shape[0]
    tree = cKDTree(points)
    idx = tree.query(points, k=k + 1, p=np.inf)[1]
    own = idx == np.arange(n)[:, None]
    # a sample ties with a copy of itself at distance 0: drop one of the k + 1
    own[~own.any(axis=1), -1] = True
    own &= np.cumsum(own, axis=1) == 1
    return idx[~own].reshape(n, k)


def lnc_log_ratios(x, y, k):
    """``log(Vbar(i) / V(i))``, ``eps_x(i)`` and ``eps_y(i)`` of every sample.

    Parameters
    ----------
    x : ndarray of shape (n, dx)
    y : ndarray of shape (n, dy)
    k : int
        ``1 <= k < n``.

    Returns
    -------
    log_ratio : ndarray of shape (n,)
        ``-inf`` where the principal-axes box is flat (always when
        ``k <= dx + dy``).
    eps_x, eps_y : ndarray of shape (n,)
    """
    points = np.hstack([x, y])
    dx = x.shape[1]
    neighbours = _neighbours(points, k)
    n = points.shape[0]
    log_ratio, eps_x, eps_y = np.empty(n), np.empty(n), np.empty(n)
    for start in range(0, n, _BLOCK):
        rows = slice(start, min(start + _BLOCK, n))
        offsets = points[neighbours[rows]] - points[rows, None, :]
        eps_x[rows] = np.max(np.abs(offsets[:, :, :dx]), axis=(1, 2))
        eps_y[rows] = np.max(np.abs(offsets[:, :, dx:]), axis=(1, 2))
        if lnc_applies(k, dx, points.shape[1] - dx):
            log_v, log_vbar = _log_box_volumes(offsets, dx)
            log_ratio[rows] = log_vbar - log_v
        else:
            log_ratio[rows] = -np.inf
    return log_ratio, eps_x, eps_y


def lnc_mutual_info(x, y, k, alpha):
    """KSG algorithm 2 with the local non-uniformity correction [1]_.

    Parameters
    ----------
    x : ndarray of shape (n, dx)
    y : ndarray of shape (n, dy)
        Continuous samples without ties.
    k : int
        ``1 <= k < n``.
    alpha : float or None
        Threshold of the correction; None makes none (KSG algorithm 2).

    Returns
    -------
    float
        ``I_KSG - (1/N) sum_i log(Vbar(i) / V(i))`` over the samples with
        ``0 < Vbar(i) / V(i) < alpha``, in nats.
    """
    n = x.shape[0]
    log_ratio, eps_x, eps_y = lnc_log_ratios(x, y, k)
    # other samples within eps (inclusive): strict counts of the next float
    nx = count_strict(x, np.nextafter(eps_x, np.inf)) - 1
    ny = count_strict(y, np.nextafter(eps_y, np.inf)) - 1
    base = (
        digamma(k) - 1.0 / k + digamma(n) - np.mean(digamma(nx)) - np.mean(digamma(ny))
    )
    if alpha is None or not lnc_applies(k, x.shape[1], y.shape[1]):
        return float(base)
    # a box of zero volume (neighbours exactly on a line) has no finite ratio:
    # such a sample is left uncorrected
    corrected = (log_ratio < np.log(alpha)) & np.isfinite(log_ratio)
    return float(base - np.sum(log_ratio[corrected]) / n)


def lnc_prepared(x, y, z, k):
    """``I(X; Y)`` of prepared variables with the correction, or None.

    None unless ``z`` is absent or empty and ``x`` and ``y`` are purely
    continuous, non-constant and hold more than ``k`` samples (the caller
    then uses the general dispatch). Pairs with ``k <= dx + dy`` get KSG's
    second algorithm without correction.
    """
    if z is not None and not z.is_empty:
        return None
    if any(v.is_empty or v.codes is not None or v.is_constant for v in (x, y)):
        return None
    if x.n_samples <= k:
        return None
    dx, dy = x.continuous.shape[1], y.continuous.shape[1]
    alpha = lnc_threshold(k, dx, dy) if lnc_applies(k, dx, dy) else None
    return lnc_mutual_info(x.continuous, y.continuous, k, alpha)
