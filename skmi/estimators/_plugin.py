"""Plug-in (count) estimators of entropy and mutual information.

Every function here takes clean integer codes (non-negative, ``int64``) or
probability tables and returns raw nats: no validation, no randomness, no
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

__all__ = [
    "bin_quantile",
    "bin_uniform",
    "conditional_mutual_info_counts",
    "entropy_counts",
    "entropy_probabilities",
    "factorize",
    "joint_codes",
    "mutual_info_counts",
    "mutual_info_joint_probabilities",
]

_MAX_CODE = np.iinfo(np.int64).max // 4


def factorize(values):
    """Map the rows of ``values`` to dense integer codes ``0..K-1``.

    Parameters
    ----------
    values : ndarray of shape (n,) or (n, d)
        Values of any sortable dtype.

    Returns
    -------
    codes : ndarray of shape (n,), int64
    n_levels : int
    """
    values = np.asarray(values)
    if values.ndim == 2:
        if values.shape[1] == 1:
            values = values[:, 0]
        else:
            columns = [factorize(values[:, j]) for j in range(values.shape[1])]
            return joint_codes([c for c, _ in columns], [k for _, k in columns])
    uniques, codes = np.unique(values, return_inverse=True)
    return codes.reshape(-1).astype(np.int64, copy=False), int(uniques.shape[0])


def joint_codes(codes, n_levels):
    """Combine several code arrays into one code of their joint values.

    The combination is ``a + Ka * (b + Kb * c)``; when the product of the
    numbers of levels would overflow, the partial code is re-densified first.

    Parameters
    ----------
    codes : sequence of ndarray of shape (n,)
        Dense integer codes, ``codes[i]`` in ``0..n_levels[i]-1``.
    n_levels : sequence of int
        Number of levels of each code array.

    Returns
    -------
    codes : ndarray of shape (n,), int64
        Joint code (not necessarily dense).
    n_levels : int
        An upper bound of the joint code plus one.
    """
    out = np.asarray(codes[0], dtype=np.int64)
    size = int(n_levels[0])
    for c, k in zip(codes[1:], n_levels[1:], strict=True):
        k = int(k)
        if size * k > _MAX_CODE:
            out, size = factorize(out)
        out = out + size * np.asarray(c, dtype=np.int64)
        size *= k
    return out, size


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


def bin_quantile(x, n_bins):
    """Equal-frequency bin codes of a 1-D float array.

    The code of a value is ``floor((r - 1/2) * n_bins / n)`` with ``r`` its
    average rank, so equal values share a bin and the codes are unchanged by
    any strictly increasing transform of ``x``.
    """
    n = x.shape[0]
    order = np.argsort(x, kind="stable")
    xs = x[order]
    # average ranks (1-based) of runs of equal values
    starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
    ends = np.r_[starts[1:], n]
    run_rank = (starts + ends + 1) / 2.0
    ranks = np.empty(n)
    ranks[order] = np.repeat(run_rank, ends - starts)
    codes = np.floor((ranks - 0.5) * n_bins / n).astype(np.int64)
    return factorize(codes)


def bin_uniform(x, n_bins):
    """Equal-width bin codes of a 1-D float array over its range."""
    lo, hi = float(np.min(x)), float(np.max(x))
    if hi <= lo:
        return np.zeros(x.shape[0], dtype=np.int64), 1
    # halves keep the differences finite for values near the float limits
    width = hi / 2 - lo / 2
    codes = np.floor((x / 2 - lo / 2) / width * n_bins).astype(np.int64)
    np.clip(codes, 0, n_bins - 1, out=codes)
    return factorize(codes)
