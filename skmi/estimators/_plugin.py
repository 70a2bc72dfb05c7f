"""Plug-in (count) estimators of entropy and mutual information.

Every function here takes clean integer codes (non-negative integers of
any width) or probability tables and returns raw nats: no validation, no randomness, no
clipping. Joint variables are handled by combining codes into a single code
(:func:`joint_codes`), so every quantity reduces to one ``np.bincount``.

References
----------
.. [1] G. A. Miller, "Note on the bias of information estimates",
   Information Theory in Psychology, 1955.
.. [2] A. Chao and T.-J. Shen, "Nonparametric estimation of Shannon's index of
   diversity when there are unseen species in sample", Environmental and
   Ecological Statistics 10, 2003.
.. [3] J. Hausser and K. Strimmer, "Entropy inference and the James-Stein
   estimator, with application to nonlinear gene association networks",
   JMLR 10, 2009.
"""

import numpy as np

from ._chance import expected_mutual_info_counts
from ._codes import joint_codes

__all__ = [
    "adjusted_mutual_info_counts",
    "conditional_mutual_info_counts",
    "entropy_counts",
    "entropy_probabilities",
    "mutual_info_counts",
    "mutual_info_joint_probabilities",
]


def entropy_probabilities(p):
    """Shannon entropy of a probability table, in nats (0 log 0 = 0)."""
    p = np.asarray(p, dtype=np.float64).ravel()
    p = p[p > 0]
    return float(-np.sum(p * np.log(p)))


def mutual_info_joint_probabilities(pxy):
    """Mutual information of a joint probability table ``pxy[x, y]``, in nats."""
    pxy = np.asarray(pxy, dtype=np.float64)
    return (
        entropy_probabilities(pxy.sum(axis=1))
        + entropy_probabilities(pxy.sum(axis=0))
        - entropy_probabilities(pxy)
    )


def _entropy_from_counts(counts, n, correction, n_cells):
    counts = counts[counts > 0].astype(np.float64)
    p = counts / n
    if correction is None:
        return float(-np.sum(p * np.log(p)))
    if correction == "miller-madow":
        # [1]: H_MM = H_ML + (m - 1) / (2N), m the number of occupied cells.
        return float(-np.sum(p * np.log(p)) + (counts.size - 1) / (2.0 * n))
    if correction == "chao-shen":
        # [2]: coverage-adjusted Horvitz-Thompson estimator.
        singletons = np.count_nonzero(counts == 1)
        if singletons == n:
            singletons = n - 1
        coverage = 1.0 - singletons / n
        pa = coverage * p
        inclusion = 1.0 - (1.0 - pa) ** n
        return float(-np.sum(pa * np.log(pa) / inclusion))
    if correction == "shrinkage":
        # [3]: James-Stein shrinkage of the cell frequencies towards uniform
        # over ``n_cells`` cells (empty cells included).
        n_cells = max(int(n_cells), counts.size)
        target = 1.0 / n_cells
        n_empty = n_cells - counts.size
        denominator = (n - 1.0) * (np.sum((target - p) ** 2) + n_empty * target**2)
        if n <= 1 or denominator == 0.0:
            lam = 1.0
        else:
            lam = (1.0 - np.sum(p**2)) / denominator
        lam = min(1.0, max(0.0, lam))
        shrunk = lam * target + (1.0 - lam) * p
        h = -np.sum(shrunk * np.log(shrunk))
        if n_empty and lam > 0:
            h -= n_empty * (lam * target) * np.log(lam * target)
        return float(h)
    raise ValueError(f"unknown correction {correction!r}")


def entropy_counts(codes, n_levels, correction=None):
    """Plug-in entropy of integer codes, in nats.

    Parameters
    ----------
    codes : ndarray of shape (n,), int64
        Codes in ``0..n_levels-1``.
    n_levels : int
        Number of possible values (used by the shrinkage correction).
    correction : {None, "miller-madow", "chao-shen", "shrinkage"}
        Bias correction.
    """
    n = codes.shape[0]
    if n == 0:
        return 0.0
    counts = np.bincount(codes)
    return _entropy_from_counts(counts, n, correction, n_levels)


def mutual_info_counts(x, kx, y, ky, correction=None):
    """Plug-in mutual information ``H(X) + H(Y) - H(X, Y)`` of codes, in nats.

    Without a correction this equals ``G / (2N)``, ``G`` the G-test statistic
    of the contingency table of ``x`` and ``y``.
    """
    xy, kxy = joint_codes([x, y], [kx, ky])
    return (
        entropy_counts(x, kx, correction)
        + entropy_counts(y, ky, correction)
        - entropy_counts(xy, kxy, correction)
    )


def conditional_mutual_info_counts(x, kx, y, ky, z, kz, correction=None):
    """Plug-in ``I(X; Y | Z) = H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z)``, in nats."""
    xz, kxz = joint_codes([x, z], [kx, kz])
    yz, kyz = joint_codes([y, z], [ky, kz])
    xyz, kxyz = joint_codes([xz, y], [kxz, ky])
    return (
        entropy_counts(xz, kxz, correction)
        + entropy_counts(yz, kyz, correction)
        - entropy_counts(xyz, kxyz, correction)
        - entropy_counts(z, kz, correction)
    )


def adjusted_mutual_info_counts(x, kx, y, ky, z=None, kz=1):
    """Plug-in ``I(X; Y)`` (``I(X; Y | Z)``) minus its expectation under independence.

    See :func:`expected_mutual_info_counts`; the result is in nats, zero on
    average under independence and exactly zero for a variable with one
    level per sample.
    """
    if z is None:
        observed = mutual_info_counts(x, kx, y, ky)
    else:
        observed = conditional_mutual_info_counts(x, kx, y, ky, z, kz)
    return observed - expected_mutual_info_counts(x, kx, y, ky, z, kz)
