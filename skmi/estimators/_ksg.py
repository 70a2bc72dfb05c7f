"""k-nearest-neighbour estimators of entropy, mutual and conditional information.

One small function per estimator, each citing its paper and equation. The
kernels receive clean float64 arrays (already scaled and jittered) and integer
codes, and return raw nats: no validation, no randomness, no clipping.

:func:`knn_conditional_mutual_info` dispatches a general query on prepared
:class:`~skmi.estimators._variables.Variable` objects to the kernels:

* discrete conditioning variables are handled exactly, as the
  ``p(z)``-weighted average of the information within each level of ``z``;
* a variable with both discrete and continuous coordinates is split by the
  chain rule ``I(Xd, Xc; Y | Z) = I(Xd; Y | Z) + I(Xc; Y | Z, Xd)``;
* continuous pairs use KSG [1]_ (or Gao et al. [4]_ when ``mixed=True``),
  continuous/discrete pairs Ross [2]_, discrete pairs plug-in counts, and
  continuous conditioning Frenzel-Pompe [3]_ (continuous ``x`` and ``y``) or
  the chain rule ``I(X; Y | Z) = I(X, Z; Y) - I(Z; Y)`` with Ross terms when
  ``y`` is discrete.

References
----------
.. [1] A. Kraskov, H. Stögbauer and P. Grassberger, "Estimating mutual
   information", Phys. Rev. E 69, 066138, 2004 (algorithm 1, eq. 8).
.. [2] B. C. Ross, "Mutual information between discrete and continuous data
   sets", PLoS ONE 9(2), e87357, 2014 (eq. 2).
.. [3] S. Frenzel and B. Pompe, "Partial mutual information for coupling
   analysis of multivariate time series", Phys. Rev. Lett. 99, 204101, 2007
   (eq. 8).
.. [4] W. Gao, S. Kannan, S. Oh and P. Viswanath, "Estimating mutual
   information for discrete-continuous mixtures", NeurIPS 2017 (algorithm 1).
.. [5] L. F. Kozachenko and N. N. Leonenko, "Sample estimate of the entropy of
   a random vector", Problems Inform. Transmission 23, 1987; in the
   maximum-norm form of [1]_, eq. 20.
"""

import numpy as np
from scipy.special import digamma

from ._neighbors import (
    count_strict,
    count_strict_sorted,
    kth_distance,
    kth_distance_blocks,
)
from ._plugin import conditional_mutual_info_counts, entropy_counts, mutual_info_counts
from ._variables import Variable

__all__ = [
    "gao_mi",
    "frenzel_pompe",
    "gao_mi_discrete",
    "kl_entropy",
    "knn_conditional_mutual_info",
    "knn_entropy",
    "ksg_cmi",
    "ksg_mi",
    "ksg_mi_1d",
    "ross_mi",
    "ross_mi_1d",
]


def _count_le(points, radius):
    """Non-strict counts ``d <= radius`` (each point counts itself)."""
    return count_strict(points, np.nextafter(radius, np.inf))


# --------------------------------------------------------------------------
# kernels on plain arrays
# --------------------------------------------------------------------------
def ksg_mi(x, y, k):
    """KSG algorithm 1 [1]_, eq. 8, for continuous ``x`` (n, dx) and ``y`` (n, dy).

    ``I = psi(k) + psi(N) - <psi(n_x + 1) + psi(n_y + 1)>`` with ``eps_i`` the
    max-norm distance to the k-th neighbour in the joint space and ``n_x``,
    ``n_y`` the strict marginal counts within ``eps_i``.
    """
    n = x.shape[0]
    eps = kth_distance(np.hstack([x, y]), k)
    nx = count_strict(x, eps) - 1
    ny = count_strict(y, eps) - 1
    return float(
        digamma(k) + digamma(n) - np.mean(digamma(nx + 1)) - np.mean(digamma(ny + 1))
    )


def ksg_mi_1d(x, y, k, y_order=None):
    """KSG algorithm 1 for 1-D ``x`` and ``y``.

    The joint k-th distances come from one k-d tree queried in its own point
    order; the marginal counts are searches of each column, sorted once, with
    the centres taken in sorted order. ``y_order`` (``np.argsort(y)``), when
    given, is the sort of a target computed once per fit and shared by every
    feature.
    """
    n = x.shape[0]
    eps = kth_distance(np.column_stack([x, y]), k)
    return float(
        digamma(k)
        + digamma(n)
        - _mean_digamma(_self_counts(x, eps))
        - _mean_digamma(_self_counts(y, eps, y_order))
    )


def _self_counts(x, radius, order=None):
    """Strict 1-D counts around every sample (itself included), in sorted order.

    Only the multiset of counts matters to the estimators, so they are
    returned in the order of ``np.argsort(x)`` (or of ``order``, a sort
    permutation of ``x`` computed beforehand).
    """
    if order is None:
        order = np.argsort(x)
    xs = x[order]
    return count_strict_sorted(xs, xs, radius[order])


def _mean_digamma(counts):
    """``np.mean(digamma(counts))`` for positive integer counts.

    The digamma function is evaluated once per distinct value and weighted by
    its frequency (the counts of a k-NN estimator take few distinct values).
    """
    freq = np.bincount(counts)
    values = np.flatnonzero(freq)
    return float(np.dot(freq[values].astype(np.float64), digamma(values))) / counts.size


def ksg_cmi(x, y, z, k):
    """Frenzel-Pompe conditional MI [3]_, eq. 8, for continuous x, y, z.

    ``I(X;Y|Z) = psi(k) - <psi(n_xz + 1) + psi(n_yz + 1) - psi(n_z + 1)>`` with
    ``eps_i`` the k-th neighbour distance in the joint (x, y, z) space.
    """
    eps = kth_distance(np.hstack([x, y, z]), k)
    return frenzel_pompe(
        k,
        count_strict(np.hstack([x, z]), eps),
        count_strict(np.hstack([y, z]), eps),
        count_strict(z, eps),
    )


def frenzel_pompe(k, count_xz, count_yz, count_z):
    """Eq. 8 of [3]_ from the strict ball counts (each sample counting itself)."""
    return float(
        digamma(k)
        - _mean_digamma(count_xz)
        - _mean_digamma(count_yz)
        + _mean_digamma(count_z)
    )


def _ross_terms(level_indices, n, k):
    """Per-sample k_i, class sizes and the mask of samples in non-singleton classes."""
    k_all = np.zeros(n, dtype=np.int64)
    sizes = np.zeros(n, dtype=np.int64)
    for idx in level_indices:
        sizes[idx] = idx.size
        k_all[idx] = min(k, idx.size - 1)
    return k_all, sizes, sizes > 1


def ross_mi(x, level_indices, k):
    """Ross [2]_, eq. 2: continuous ``x`` (n, d) and a discrete variable.

    ``I = psi(N) + <psi(k)> - <psi(N_c)> - <psi(m)>`` with ``d_i`` the distance
    to the k-th neighbour of the same class (``k = min(k, N_c - 1)``) and
    ``m_i`` the number of samples of any class strictly within ``d_i``, the
    sample itself included. Samples alone in their class have no neighbour
    and are left out, as in [2]_.

    Parameters
    ----------
    x : ndarray of shape (n, d)
    level_indices : list of ndarray
        Indices of the samples of each class.
    k : int
    """
    n = x.shape[0]
    k_all, sizes, keep = _ross_terms(level_indices, n, k)
    eps = np.zeros(n)
    for idx in level_indices:
        if idx.size > 1:
            eps[idx] = kth_distance(x[idx], min(k, idx.size - 1))
    if not keep.all():
        x, eps, k_all, sizes = x[keep], eps[keep], k_all[keep], sizes[keep]
    if x.shape[0] == 0:
        return 0.0
    m = count_strict(x, eps)
    return float(
        digamma(x.shape[0])
        + np.mean(digamma(k_all))
        - np.mean(digamma(sizes))
        - np.mean(digamma(m))
    )


def ross_mi_1d(x, level_indices, k):
    """Ross [2]_ for 1-D ``x``: no tree, windowed k-th distances per class.

    ``x`` is sorted once; a stable partition of the sorted samples by class
    gives every class in sorted order, so the within-class k-th distances of
    all classes are one windowed pass, and the counts over all samples are
    searches of the sorted column with sorted centres.
    """
    n = x.shape[0]
    sizes = np.array([idx.size for idx in level_indices], dtype=np.intp)
    keep = sizes > 1
    n_kept = int(sizes[keep].sum())
    if n_kept == 0:
        return 0.0
    # Class codes; samples in no class (none, when the classes partition the
    # samples) get one extra code and are left out like singletons.
    n_out = n - int(sizes.sum())
    labels = np.full(n, sizes.size, dtype=_label_dtype(sizes.size + 1))
    for code, idx in enumerate(level_indices):
        labels[idx] = code
    blocks, keep_blocks = sizes, keep
    if n_out:
        blocks, keep_blocks = np.append(sizes, n_out), np.append(keep, False)
    order = np.argsort(x)
    xs = x[order]
    # positions in ``xs`` grouped by class, sorted within each class
    by_class = np.argsort(labels[order], kind="stable")
    eps = np.empty(n)
    eps[by_class] = kth_distance_blocks(xs[by_class], k, blocks)
    if n_kept < n:
        # samples alone in their class have no neighbour and are left out
        kept = np.empty(n, dtype=bool)
        kept[by_class] = np.repeat(keep_blocks, blocks)
        xs, eps = xs[kept], eps[kept]
    m = count_strict_sorted(xs, xs, eps)
    sizes = sizes[keep]
    k_class = np.minimum(k, sizes - 1)
    return float(
        digamma(n_kept)
        + np.dot(sizes, digamma(k_class)) / n_kept
        - np.dot(sizes, digamma(sizes)) / n_kept
        - _mean_digamma(m)
    )


def _label_dtype(n_levels):
    """The smallest unsigned type for codes ``0..n_levels-1`` (radix-sortable)."""
    if n_levels <= 1 << 8:
        return np.uint8
    if n_levels <= 1 << 16:
        return np.uint16
    return np.intp


def gao_mi(x, y, k):
    """Gao et al. [4]_, algorithm 1, for continuous-discrete mixtures.

    ``I = <psi(k~_i) + log N - log(n_x + 1) - log(n_y + 1)>`` with ``rho_i`` the
    joint k-th neighbour distance, ``k~_i`` the number of samples at joint
    distance 0 when ``rho_i = 0`` (else ``k``), and non-strict marginal counts.
    """
    n = x.shape[0]
    xy = np.hstack([x, y])
    rho = kth_distance(xy, k)
    k_tilde = np.full(n, float(k))
    atoms = rho == 0
    if atoms.any():
        k_tilde[atoms] = (_count_le(xy, np.zeros(n)) - 1)[atoms]
    nx = _count_le(x, rho) - 1
    ny = _count_le(y, rho) - 1
    return float(
        np.mean(digamma(k_tilde) + np.log(n) - np.log(nx + 1) - np.log(ny + 1))
    )


def gao_mi_discrete(x, level_indices, k):
    """Gao et al. [4]_ with a discrete ``y`` (classes infinitely far apart)."""
    n = x.shape[0]
    k_all, sizes, keep = _ross_terms(level_indices, n, k)
    rho = np.zeros(n)
    k_tilde = k_all.astype(np.float64)
    for idx in level_indices:
        if idx.size > 1:
            xc = x[idx]
            r = kth_distance(xc, min(k, idx.size - 1))
            rho[idx] = r
            atoms = r == 0
            if atoms.any():
                k_tilde[idx[atoms]] = (_count_le(xc, np.zeros(idx.size)) - 1)[atoms]
    if not keep.all():
        x, rho, k_tilde, sizes = x[keep], rho[keep], k_tilde[keep], sizes[keep]
    if x.shape[0] == 0:
        return 0.0
    nx = _count_le(x, rho) - 1
    return float(
        np.mean(
            digamma(k_tilde) + np.log(x.shape[0]) - np.log(nx + 1) - np.log(sizes)
        )
    )


def kl_entropy(x, k):
    """Kozachenko-Leonenko differential entropy [5]_ in the maximum norm.

    ``H = psi(N) - psi(k) + d <log(2 eps_i)>`` with ``eps_i`` the distance to
    the k-th neighbour (the max-norm unit ball has volume ``2^d``).
    """
    n, d = x.shape
    eps = kth_distance(x, k)
    return float(digamma(n) - digamma(k) + d * np.mean(np.log(2.0 * eps)))


# --------------------------------------------------------------------------
# dispatch on prepared variables
# --------------------------------------------------------------------------
def _group_k(k, size):
    return min(k, size - 1)


def knn_entropy(x, k):
    """Entropy of a prepared variable: plug-in for its discrete part, then
    Kozachenko-Leonenko within each level for its continuous part."""
    if x.is_empty:
        return 0.0
    if x.constant:
        # a point mass has differential entropy minus infinity
        return -np.inf
    if x.codes is None:
        return kl_entropy(x.continuous, k)
    h = entropy_counts(x.codes, x.n_levels)
    if x.continuous is not None:
        n = x.n_samples
        for idx in x.level_indices:
            if idx.size > 1:
                kk = _group_k(k, idx.size)
                h += idx.size / n * kl_entropy(x.continuous[idx], kk)
    return h


def _pair(x, y, k, mixed):
    """I(X; Y) for variables that are each purely continuous or discrete."""
    if x.is_discrete and y.is_discrete:
        return mutual_info_counts(x.codes, x.n_levels, y.codes, y.n_levels)
    if x.is_discrete:
        x, y = y, x
    if y.is_discrete:
        if mixed:
            return gao_mi_discrete(x.continuous, y.level_indices, k)
        if x.is_1d:
            return ross_mi_1d(x.continuous[:, 0], y.level_indices, k)
        return ross_mi(x.continuous, y.level_indices, k)
    if mixed:
        return gao_mi(x.continuous, y.continuous, k)
    if x.is_1d and y.is_1d:
        return ksg_mi_1d(
            x.continuous[:, 0], y.continuous[:, 0], k, y_order=y.sort_order
        )
    return ksg_mi(x.continuous, y.continuous, k)


def knn_conditional_mutual_info(x, y, z, k, mixed=False):
    """``I(X; Y | Z)`` (``I(X; Y)`` when ``z`` is None) of prepared variables.

    Parameters
    ----------
    x, y : Variable
    z : Variable or None
    k : int
        Number of neighbours.
    mixed : bool
        Use Gao et al.'s estimator for continuous coordinates with atoms
        instead of KSG/Ross on jittered values.

    Returns
    -------
    float
        Estimate in nats (unclipped).
    """
    if z is not None and z.is_empty:
        z = None
    if x.is_empty or y.is_empty or x.n_samples < 2:
        return 0.0
    if x.is_constant or y.is_constant:
        # A constant carries no information: exactly zero, not an estimate of
        # the information in the tie-breaking noise.
        return 0.0
    if x.is_discrete and y.is_discrete and (z is None or z.is_discrete):
        if z is None:
            return mutual_info_counts(x.codes, x.n_levels, y.codes, y.n_levels)
        return conditional_mutual_info_counts(
            x.codes, x.n_levels, y.codes, y.n_levels, z.codes, z.n_levels
        )
    # Discrete conditioning: exact p(z)-weighted average over the levels of z.
    if z is not None and z.codes is not None:
        zc = z.continuous_part() if z.continuous is not None else None
        n = x.n_samples
        total = 0.0
        for idx in z.level_indices:
            if idx.size < 2:
                continue
            kk = _group_k(k, idx.size)
            z_level = None if zc is None else zc.take(idx)
            total += idx.size * knn_conditional_mutual_info(
                x.take(idx), y.take(idx), z_level, kk, mixed
            )
        return total / n
    # Chain rule over the discrete and continuous parts of x, then of y.
    if x.codes is not None and x.continuous is not None:
        xd = x.discrete_part()
        return knn_conditional_mutual_info(
            xd, y, z, k, mixed
        ) + knn_conditional_mutual_info(
            x.continuous_part(), y, Variable.join(z, xd), k, mixed
        )
    if y.codes is not None and y.continuous is not None:
        return knn_conditional_mutual_info(y, x, z, k, mixed)
    if z is None:
        return _pair(x, y, k, mixed)
    # Continuous conditioning variable.
    if x.is_continuous and y.is_continuous:
        if mixed:
            return gao_mi(x.continuous, np.hstack([y.continuous, z.continuous]), k) - (
                gao_mi(x.continuous, z.continuous, k)
            )
        return ksg_cmi(x.continuous, y.continuous, z.continuous, k)
    if x.is_discrete and y.is_discrete:
        # I(X;Y|Z) = I(X;Y) + I(Y;Z|X) - I(Y;Z)
        return (
            mutual_info_counts(x.codes, x.n_levels, y.codes, y.n_levels)
            + knn_conditional_mutual_info(z, y, x, k, mixed)
            - _pair(z, y, k, mixed)
        )
    if x.is_discrete:
        x, y = y, x
    # x continuous, y discrete: I(X;Y|Z) = I(X,Z;Y) - I(Z;Y)
    return _pair(Variable.join(x, z), y, k, mixed) - _pair(z, y, k, mixed)
