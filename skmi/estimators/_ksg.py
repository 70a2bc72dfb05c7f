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
  continuous conditioning Frenzel-Pompe [3]_: on the joint space for
  continuous ``x`` and ``y``, within the classes of ``y`` when ``y`` is
  discrete (:func:`ross_cmi`; with ``mixed=True``, the chain rule
  ``I(X; Y | Z) = I(X, Z; Y) - I(Z; Y)`` with Gao's terms).

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
    BallCounter,
    count_strict,
    count_strict_sorted,
    kth_distance,
    kth_distance_blocks,
)
from ._plugin import (
    adjusted_mutual_info_counts,
    conditional_mutual_info_counts,
    entropy_counts,
    mutual_info_counts,
)
from ._variables import Variable

__all__ = [
    "ClassConditioning",
    "gao_mi",
    "frenzel_pompe",
    "gao_mi_discrete",
    "kl_entropy",
    "knn_conditional_mutual_info",
    "knn_entropy",
    "ksg_cmi",
    "ksg_mi",
    "ksg_mi_1d",
    "ross_cmi",
    "ross_mi",
    "ross_mi_1d",
    "within_class_frenzel_pompe",
]


def _count_equal(points, margin=0.0):
    """Number of samples within ``margin`` of each sample (itself included).

    With ``margin = 0`` this counts the samples at distance 0: ``d < r`` with
    ``r`` the smallest positive float is ``d == 0``.
    """
    radius = np.full(points.shape[0], np.nextafter(margin, 1.0))
    return count_strict(points, radius)


#: Rounding margin of Gao's estimator, in units of the largest coordinate
#: (see :func:`_gao_margin`).
GAO_ULPS = 8


def _gao_margin(points):
    """Distances closer than this are equal in Gao's estimator.

    On data with atoms, such as integers scaled to unit variance, two gaps
    equal in exact arithmetic differ by a few units in the last place of the
    coordinates, and which one counts as "strictly closer" would be decided
    by rounding. The authors' reference code absorbs this with an absolute
    margin of 1e-15: it counts the samples within ``rho - 1e-15`` (within
    ``1e-15`` for atoms). The margin here is ``GAO_ULPS`` units in the last
    place of the largest coordinate, which is the same for unit-variance
    data and scales with the data.
    """
    if points.size == 0:
        return 0.0
    return GAO_ULPS * np.finfo(np.float64).eps * float(np.max(np.abs(points)))


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


class ClassConditioning:
    """What :func:`ross_cmi` needs of ``Z`` and a discrete ``Y`` alone.

    ``I(X; Y | Z)`` is usually wanted for many ``X`` with the same ``Y`` and
    ``Z`` (the candidates of one step of a forward search); everything here
    depends on ``Z`` and the classes of ``Y`` only, so it is built once and
    passed to :func:`ross_cmi` for every ``X``: the samples kept (those whose
    class has another member), ``Z`` on them, and the structures that count
    the samples of ``Z`` within a radius, over all classes and within each
    class (the sort of a one-dimensional ``Z``, k-d trees otherwise).

    Parameters
    ----------
    z : ndarray of shape (n, dz)
        The continuous conditioning variable.
    level_indices : list of ndarray
        Indices of the samples of each class of ``Y``.
    counters : bool, default=True
        Build the counting structures now; otherwise
        :meth:`build_counters` must be called before :meth:`counts`.
    """

    def __init__(self, z, level_indices, counters=True):
        n = z.shape[0]
        sizes = np.array([idx.size for idx in level_indices], dtype=np.intp)
        kept_levels = [idx for idx in level_indices if idx.size > 1]
        #: indices of the samples kept, grouped by class
        self.kept = np.concatenate(kept_levels) if kept_levels else np.empty(0, np.intp)
        #: positions of each class's samples within ``kept``
        self.levels = np.split(
            np.arange(self.kept.size), np.cumsum(sizes[sizes > 1])[:-1]
        )
        self.n_samples = n
        self.z = z[self.kept]
        if counters:
            self.build_counters()

    def build_counters(self):
        """Build the structures that count samples of ``Z`` within a radius."""
        self._all = BallCounter(self.z)
        self._within = [BallCounter(self.z[pos]) for pos in self.levels]

    def mean_digamma_k(self, k):
        """``<psi(k_i)>`` over the kept samples, ``k_i = min(k, N_c - 1)``."""
        k_sum = 0.0
        for pos in self.levels:
            k_sum += pos.size * digamma(min(k, pos.size - 1))
        return k_sum / self.kept.size

    def counts(self, radius):
        """``(n_z, n_yz)``: samples of ``Z`` strictly within ``radius`` of
        each kept sample, over all classes and within its class (the sample
        itself included)."""
        n_z = self._all.count(radius)
        n_yz = np.empty_like(n_z)
        for pos, counter in zip(self.levels, self._within, strict=True):
            n_yz[pos] = counter.count(radius[pos])
        return n_z, n_yz


def ross_cmi(x, z, level_indices, k, conditioning=None):
    """``I(X; Y | Z)`` for a discrete ``Y`` and continuous ``X`` (n, dx), ``Z`` (n, dz).

    Frenzel-Pompe [3]_ with the classes of ``Y`` infinitely far apart, as
    Ross [2]_ treats a discrete variable: ``eps_i`` is the max-norm distance
    to the ``k``-th neighbour of the same class in the ``(x, z)`` space
    (``k_i = min(k, N_c - 1)``), and

    ``I = <psi(k_i)> - <psi(n_xz) + psi(n_yz) - psi(n_z)>``

    with ``n_xz`` and ``n_z`` the samples of any class strictly within
    ``eps_i`` in the ``(x, z)`` and ``z`` spaces, and ``n_yz`` those of the
    sample's class strictly within ``eps_i`` in ``z`` (each count includes
    the sample). Samples alone in their class are left out, as in [2]_.
    Unlike the difference of two Ross estimates ``I(X, Z; Y) - I(Z; Y)``,
    whose errors do not cancel, every term here is taken on the same ball.

    Parameters
    ----------
    x : ndarray of shape (n, dx)
    z : ndarray of shape (n, dz)
    level_indices : list of ndarray
        Indices of the samples of each class of ``Y``.
    k : int
    conditioning : ClassConditioning, optional
        The structures of ``z`` and the classes, built beforehand (they do
        not depend on ``x``).
    """
    if conditioning is None:
        conditioning = ClassConditioning(z, level_indices)
    c = conditioning
    if c.kept.size == 0:
        return 0.0
    xz = np.hstack([x[c.kept], c.z])
    eps = np.empty(c.kept.size)
    for pos in c.levels:
        eps[pos] = kth_distance(xz[pos], min(k, pos.size - 1))
    n_xz = count_strict(xz, eps)
    n_z, n_yz = c.counts(eps)
    return within_class_frenzel_pompe(c.mean_digamma_k(k), n_xz, n_yz, n_z)


def within_class_frenzel_pompe(mean_digamma_k, count_xz, count_yz, count_z):
    """The value of :func:`ross_cmi` from ``<psi(k_i)>`` and the strict counts."""
    return float(
        mean_digamma_k
        - _mean_digamma(count_xz)
        - _mean_digamma(count_yz)
        + _mean_digamma(count_z)
    )


def gao_mi(x, y, k):
    """Gao et al. [4]_, algorithm 1 as in the authors' reference code.

    ``I = log N + <psi(k~_i) - psi(n_x,i) - psi(n_y,i)>`` with ``rho_i`` the
    max-norm distance to the ``k``-th neighbour in the joint space. Where
    ``rho_i > 0``, ``k~_i = k`` and ``n_x,i``, ``n_y,i`` count the samples
    strictly closer than ``rho_i`` in each marginal space; where
    ``rho_i = 0`` (an atom), ``k~_i``, ``n_x,i`` and ``n_y,i`` count the
    samples at distance 0 in the joint and marginal spaces. Every count
    includes the sample itself. Distances within a rounding margin of each
    other are equal (see :func:`_gao_margin`): the counts are of the samples
    closer than ``rho_i - margin`` and atoms are ``rho_i <= margin``. (The
    paper prints ``log(n + 1)`` of counts that include the boundary; the
    reference code, whose digamma form is unbiased on continuous data, is
    what is implemented.)
    """
    n = x.shape[0]
    xy = np.hstack([x, y])
    margin = _gao_margin(xy)
    rho = kth_distance(xy, k)
    k_tilde = np.full(n, k, dtype=np.int64)
    atoms = rho <= margin
    radius = np.where(atoms, 0.0, rho - margin)
    nx = count_strict(x, radius)
    ny = count_strict(y, radius)
    if atoms.any():
        k_tilde[atoms] = _count_equal(xy, margin)[atoms]
        nx[atoms] = _count_equal(x, margin)[atoms]
        ny[atoms] = _count_equal(y, margin)[atoms]
    return float(
        np.log(n) + _mean_digamma(k_tilde) - _mean_digamma(nx) - _mean_digamma(ny)
    )


def gao_mi_discrete(x, level_indices, k):
    """Gao et al. [4]_ (reference code) with a discrete ``y``.

    The levels of ``y`` are infinitely far apart, so ``rho_i`` is the
    distance to the ``k``-th neighbour within the sample's class
    (``k = min(k, N_c - 1)``), ``n_y,i`` is the class size ``N_c`` and
    ``n_x,i`` counts the samples of any class strictly within ``rho_i`` (at
    distance 0 when ``rho_i = 0``), the sample itself included. On tie-free
    data this is Ross's estimate with ``log N`` for ``psi(N)``. Samples
    alone in their class are left out, as in Ross's estimator.
    """
    n = x.shape[0]
    margin = _gao_margin(x)
    k_all, sizes, keep = _ross_terms(level_indices, n, k)
    rho = np.zeros(n)
    k_tilde = k_all.copy()
    for idx in level_indices:
        if idx.size > 1:
            xc = x[idx]
            r = kth_distance(xc, min(k, idx.size - 1))
            rho[idx] = r
            atoms = r <= margin
            if atoms.any():
                k_tilde[idx[atoms]] = _count_equal(xc, margin)[atoms]
    if not keep.all():
        x, rho, k_tilde, sizes = x[keep], rho[keep], k_tilde[keep], sizes[keep]
    if x.shape[0] == 0:
        return 0.0
    atoms = rho <= margin
    nx = count_strict(x, np.where(atoms, 0.0, rho - margin))
    if atoms.any():
        nx[atoms] = _count_equal(x, margin)[atoms]
    return float(
        np.log(x.shape[0])
        + _mean_digamma(k_tilde)
        - _mean_digamma(sizes)
        - _mean_digamma(nx)
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


def _counts_mi(x, y, z, chance):
    """Plug-in ``I(X; Y | Z)`` of discrete variables, adjusted for chance if asked."""
    zc, kz = (None, 1) if z is None else (z.codes, z.n_levels)
    if chance:
        return adjusted_mutual_info_counts(
            x.codes, x.n_levels, y.codes, y.n_levels, zc, kz
        )
    if z is None:
        return mutual_info_counts(x.codes, x.n_levels, y.codes, y.n_levels)
    return conditional_mutual_info_counts(
        x.codes, x.n_levels, y.codes, y.n_levels, zc, kz
    )


def _pair(x, y, k, mixed, chance=False):
    """I(X; Y) for variables that are each purely continuous or discrete."""
    if x.is_discrete and y.is_discrete:
        return _counts_mi(x, y, None, chance)
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


def knn_conditional_mutual_info(x, y, z, k, mixed=False, chance=False):
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
    chance : bool
        Subtract from every plug-in term of two discrete variables its
        expectation under independence (information adjusted for chance).

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
        return _counts_mi(x, y, z, chance)
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
                x.take(idx), y.take(idx), z_level, kk, mixed, chance
            )
        return total / n
    # Chain rule over the discrete and continuous parts of x, then of y.
    if x.codes is not None and x.continuous is not None:
        xd = x.discrete_part()
        return knn_conditional_mutual_info(
            xd, y, z, k, mixed, chance
        ) + knn_conditional_mutual_info(
            x.continuous_part(), y, Variable.join(z, xd), k, mixed, chance
        )
    if y.codes is not None and y.continuous is not None:
        return knn_conditional_mutual_info(y, x, z, k, mixed, chance)
    if z is None:
        return _pair(x, y, k, mixed, chance)
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
            _counts_mi(x, y, None, chance)
            + knn_conditional_mutual_info(z, y, x, k, mixed, chance)
            - _pair(z, y, k, mixed, chance)
        )
    if x.is_discrete:
        x, y = y, x
    if mixed:
        # x continuous, y discrete: I(X;Y|Z) = I(X,Z;Y) - I(Z;Y), Gao's terms
        joint = _pair(Variable.join(x, z), y, k, mixed, chance)
        return joint - _pair(z, y, k, mixed, chance)
    return ross_cmi(x.continuous, z.continuous, y.level_indices, k)
