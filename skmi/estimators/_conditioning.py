"""Conditional information of many candidates given one set, per step.

A step of greedy forward selection scores every candidate ``X`` by
``I(X; Y | Z)`` with the same target ``Y`` and the same conditioning set
``Z``. The step structures here keep what depends on ``Y`` and ``Z`` only,
and compute each candidate's value exactly as the plain kernel does (the
same strict max-norm ball counts, so the same value to the rounding of the
final means):

* :class:`FrenzelPompeStep`, a continuous ``Y``: the value of
  :func:`~skmi.estimators._ksg.ksg_cmi`;
* :class:`WithinClassStep`, a discrete ``Y``: the value of
  :func:`~skmi.estimators._ksg.ross_cmi` (Frenzel-Pompe with the classes
  infinitely far apart; only the samples whose class has another member
  take part).

:func:`step_conditioning` picks the one that applies to prepared variables.

Both work the same way:

* ``Z`` of one or two dimensions (below :data:`_LIST_MIN_DIMS` and
  :data:`_CLASS_LIST_MIN_DIMS`, where the lists measured slower): the ball
  counters of the spaces that do not involve ``X`` are built once; each
  candidate builds its joint k-th distances and its ``(x, z)`` counter.
* more dimensions: every point the estimator looks at for sample ``i`` (its
  ``k`` nearest neighbours in the joint space and the points counted in the
  balls of radius ``eps_i``) lies in the ``z``-ball of radius ``eps_i``,
  since a max-norm distance in a joint space is at least the distance in
  ``z``. So each sample's ``m`` nearest samples in ``z`` are listed once,
  sorted by distance, and a candidate costs ``O(n m)``: the joint distances
  on the list give ``eps_i`` and the counts, exact whenever ``eps_i`` does
  not exceed the distance to the last listed sample (every sample strictly
  closer in ``z`` is then listed). The rows where it does (and, within
  classes, the rows of classes too small for ``k`` neighbours) are
  recomputed by brute force over all samples; when they are many, the lists
  are rebuilt longer for the following candidates.

A step is shared by the threads that score candidates in parallel: its
structures are built once under a lock, and a rebuild replaces them as one
tuple, so a reader always sees a consistent set.
"""

import threading

import numpy as np
from scipy.spatial import cKDTree

from ._ksg import (
    ClassConditioning,
    frenzel_pompe,
    ross_cmi,
    within_class_frenzel_pompe,
)
from ._neighbors import BallCounter, below, count_strict, kth_distance

__all__ = ["FrenzelPompeStep", "WithinClassStep", "step_conditioning"]

#: smallest conditioning dimension for which the neighbour lists are used
#: with a continuous target
_LIST_MIN_DIMS = 3
#: the same with a discrete target (whose within-class balls are wider)
_CLASS_LIST_MIN_DIMS = 3
#: starting length of the neighbour lists
_LIST_START = 64
#: rebuild the lists longer when more than this share of rows fall back
_LIST_GROW_AT = 0.02
#: largest number of list entries, n * (m + 1), kept per step
_LIST_MAX_ENTRIES = 1 << 22
#: largest number of distances in one block of the brute-force fallback
_BLOCK = 1 << 22


def step_conditioning(y, z, k):
    """The per-step structure for ``I(X; Y | Z)`` of prepared variables.

    Parameters
    ----------
    y : Variable
        Prepared target.
    z : Variable or None
        Prepared conditioning set.
    k : int
        Number of neighbours.

    Returns
    -------
    FrenzelPompeStep, WithinClassStep or None
        None when no step structure gives the value of
        :func:`~skmi.estimators._ksg.knn_conditional_mutual_info` (then
        every candidate takes the general path).
    """
    step = FrenzelPompeStep.of_variables(y, z, k)
    if step is None:
        step = WithinClassStep.of_variables(y, z, k)
    return step


def _max_abs_diff(a, rows):
    """``max_d |a[rows, d] - a[:, d]|`` as an array (len(rows), n)."""
    out = np.abs(a[rows, 0][:, None] - a[:, 0])
    for d in range(1, a.shape[1]):
        np.maximum(out, np.abs(a[rows, d][:, None] - a[:, d]), out=out)
    return out


def _list_distances(a, idx):
    """``max_d |a[idx[i, j], d] - a[i, d]|``: distances along the lists."""
    out = _column_distances(a[:, 0], idx)
    for d in range(1, a.shape[1]):
        np.maximum(out, _column_distances(a[:, d], idx), out=out)
    return out


def _column_distances(column, idx):
    # (in place: a fresh array for every operation costs several times more)
    out = column.take(idx)
    out -= column[:, None]
    return np.abs(out, out=out)


def _z_lists(z, m):
    """Each sample's ``m + 1`` nearest samples in ``z`` (itself included),
    sorted by distance: indices and distances, each (n, m + 1)."""
    tree = cKDTree(z, balanced_tree=False, compact_nodes=False)
    dz, idx = tree.query(z, k=m + 1, p=np.inf)
    return idx, dz


class _Step:
    """What the two steps share: the lists of ``z``, built and grown under a
    lock, the ball counters of the tree path, and the row blocks of the
    brute-force fallback. A subclass sets ``use_lists`` and defines
    ``_build_lists(m)`` (a tuple starting with ``m``, ending with the
    distance to each row's last listed sample) and ``_build_counters()``."""

    def __init__(self, z, k):
        self.z = z
        self.k = int(k)
        self.n = z.shape[0]
        self._lock = threading.Lock()
        self._counters = None
        self._lists = None

    def __getstate__(self):
        # shipped to another process (e.g. joblib's Dask backend): the built
        # structures travel, the lock is made anew there
        state = self.__dict__.copy()
        del state["_lock"]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def _step_counters(self):
        with self._lock:
            if self._counters is None:
                self._counters = self._build_counters()
        return self._counters

    def _cap(self):
        budget = _LIST_MAX_ENTRIES // max(self.n, 1) - 1
        return int(min(self.n - 1, max(self.k + 1, budget)))

    def _step_lists(self):
        with self._lock:
            if self._lists is None:
                m = min(self._cap(), max(_LIST_START, 2 * self.k))
                self._lists = self._build_lists(m)
        return self._lists

    def _grow(self, m, n_short):
        """Replace the lists by lists 4 times longer (once per length) when
        the rows that fell back are too many (see :meth:`_too_short`)."""
        if not self._too_short(m, n_short) or m >= self._cap():
            return
        with self._lock:
            if self._lists[0] == m:
                self._lists = self._build_lists(min(4 * m, self._cap()))

    def _too_short(self, m, n_short):
        return n_short > _LIST_GROW_AT * self.n

    def _blocks(self, rows):
        """``rows`` in blocks of at most ``_BLOCK`` distances to all samples."""
        step = max(1, _BLOCK // self.n)
        for start in range(0, rows.size, step):
            yield rows[start : start + step]


class FrenzelPompeStep(_Step):
    """``I(X; Y | Z)`` of many continuous ``X`` with one ``Y`` and ``Z`` (nats).

    Parameters
    ----------
    y : ndarray of shape (n, dy), float64
        Prepared (scaled, jittered) target.
    z : ndarray of shape (n, dz), float64
        Prepared conditioning set.
    k : int
        Number of neighbours, ``1 <= k < n``.
    """

    def __init__(self, y, z, k):
        super().__init__(z, k)
        self.y = y
        self.use_lists = z.shape[1] >= _LIST_MIN_DIMS

    @classmethod
    def of_variables(cls, y, z, k):
        """The step of prepared variables, or None when the Frenzel-Pompe
        kernel is not the one :func:`~skmi.estimators._ksg.knn_conditional_mutual_info`
        uses for them (a discrete or constant ``y``, a discrete part in ``z``)."""
        if z is None or not z.is_continuous:
            return None
        if not y.is_continuous or y.is_constant or y.n_samples <= k:
            return None
        return cls(y.continuous, z.continuous, k)

    def conditional_mutual_info(self, x):
        """``I(X; Y | Z)`` of a prepared variable, or None when ``x`` is not
        continuous (the general dispatch then applies)."""
        if not x.is_continuous:
            return None
        if x.is_constant:
            return 0.0
        return self.cmi(x.continuous)

    def cmi(self, x):
        """``I(X; Y | Z)`` for the samples ``x`` of shape (n, dx), in nats."""
        if self.use_lists:
            return self._cmi_lists(x)
        return self._cmi_trees(x)

    # -- one or two conditioning dimensions: trees ---------------------------
    def _build_counters(self):
        return BallCounter(np.hstack([self.y, self.z])), BallCounter(self.z)

    def _cmi_trees(self, x):
        yz, z = self._step_counters()
        eps = kth_distance(np.hstack([x, self.y, self.z]), self.k)
        return frenzel_pompe(
            self.k,
            count_strict(np.hstack([x, self.z]), eps),
            yz.count(eps),
            z.count(eps),
        )

    # -- three or more: neighbour lists in z ------------------------------
    def _build_lists(self, m):
        idx, dz = _z_lists(self.z, m)
        dyz = np.maximum(dz, _list_distances(self.y, idx))
        return m, idx, dz, dyz, dz[:, -1]

    def _cmi_lists(self, x):
        k = self.k
        m, idx, dz, dyz, last = self._step_lists()
        dx = _list_distances(x, idx)
        eps = np.partition(np.maximum(dyz, dx), k, axis=1)[:, k]
        r = below(eps)[:, None]
        count_z = np.count_nonzero(dz <= r, axis=1)
        count_yz = np.count_nonzero(dyz <= r, axis=1)
        np.maximum(dx, dz, out=dx)
        count_xz = np.count_nonzero(dx <= r, axis=1)
        # rows whose k-th neighbour may lie beyond the list: brute force
        short = np.flatnonzero(eps > last)
        for rows in self._blocks(short):
            bz = _max_abs_diff(self.z, rows)
            byz = np.maximum(bz, _max_abs_diff(self.y, rows))
            bxz = np.maximum(bz, _max_abs_diff(x, rows))
            e = np.partition(np.maximum(byz, bxz), k, axis=1)[:, k]
            rb = below(e)[:, None]
            count_z[rows] = np.count_nonzero(bz <= rb, axis=1)
            count_yz[rows] = np.count_nonzero(byz <= rb, axis=1)
            count_xz[rows] = np.count_nonzero(bxz <= rb, axis=1)
        self._grow(m, short.size)
        return frenzel_pompe(k, count_xz, count_yz, count_z)


class WithinClassStep(_Step):
    """``I(X; Y | Z)`` of many continuous ``X`` with one discrete ``Y`` and
    one continuous ``Z`` (nats), the value of
    :func:`~skmi.estimators._ksg.ross_cmi`.

    Only the samples whose class has another member take part (as in
    :func:`~skmi.estimators._ksg.ross_cmi`); they are numbered ``0..n-1``
    below, grouped by class.

    Parameters
    ----------
    z : ndarray of shape (n_samples, dz), float64
        Prepared conditioning set.
    level_indices : list of ndarray
        Indices of the samples of each class of ``Y``.
    k : int
        Number of neighbours, ``k >= 1``.
    """

    def __init__(self, z, level_indices, k):
        self.classes = c = ClassConditioning(z, level_indices, counters=False)
        super().__init__(c.z, k)
        self.level_indices = level_indices
        self.z_all = z
        sizes = np.array([pos.size for pos in c.levels], dtype=np.intp)
        #: class of each kept sample, and its number of neighbours
        self.labels = np.repeat(np.arange(sizes.size), sizes)
        #: the kept samples of class ``c`` are ``bounds[c]:bounds[c + 1]``
        self.bounds = np.concatenate([[0], np.cumsum(sizes)])
        self.k_rows = np.minimum(self.k, np.repeat(sizes, sizes) - 1)
        self.mean_digamma_k = c.mean_digamma_k(self.k) if self.n else 0.0
        self.use_lists = z.shape[1] >= _CLASS_LIST_MIN_DIMS and self._cap() > self.k

    @classmethod
    def of_variables(cls, y, z, k):
        """The step of prepared variables, or None when
        :func:`~skmi.estimators._ksg.ross_cmi` is not the kernel
        :func:`~skmi.estimators._ksg.knn_conditional_mutual_info` uses for
        them (``y`` not discrete or constant, a discrete part in ``z``)."""
        if z is None or not z.is_continuous:
            return None
        if not y.is_discrete or y.is_constant:
            return None
        return cls(z.continuous, y.level_indices, k)

    def conditional_mutual_info(self, x):
        """``I(X; Y | Z)`` of a prepared variable, or None when ``x`` is not
        continuous (the general dispatch then applies)."""
        if not x.is_continuous or x.n_samples < 2:
            return None
        if x.is_constant:
            return 0.0
        return self.cmi(x.continuous)

    def cmi(self, x):
        """``I(X; Y | Z)`` for the samples ``x`` of shape (n_samples, dx), in nats."""
        if self.n == 0:
            return 0.0
        if self.use_lists:
            return self._cmi_lists(x[self.classes.kept])
        c = self._step_counters()
        return ross_cmi(x, self.z_all, self.level_indices, self.k, c)

    def _build_counters(self):
        self.classes.build_counters()
        return self.classes

    def _build_lists(self, m):
        idx, dz = _z_lists(self.z, m)
        # distances in z to the listed samples of the row's own class only
        dz_class = np.where(self.labels[idx] == self.labels[:, None], dz, np.inf)
        return m, idx, dz, dz_class, dz[:, -1]

    def _too_short(self, m, n_short):
        # a row that falls back costs about n distances, and lists 4 times
        # longer cost 3 m more per row for every row
        return n_short > 2 * m

    def _cmi_lists(self, x):
        k = self.k
        m, idx, dz, dz_class, last = self._step_lists()
        dx = _list_distances(x, idx)
        # (x, z) distances to the listed samples of the row's class
        joint = np.maximum(dz_class, dx)
        joint.partition(k, axis=1)
        eps = joint[:, k]
        r = below(eps)[:, None]
        count_z = np.count_nonzero(dz <= r, axis=1)
        count_yz = np.count_nonzero(dz_class <= r, axis=1)
        np.maximum(dx, dz, out=dx)
        count_xz = np.count_nonzero(dx <= r, axis=1)
        # rows whose k-th neighbour may lie beyond the list, and rows of
        # classes with k members or fewer: brute force
        short = np.flatnonzero((eps > last) | (self.k_rows < k))
        for rows in self._blocks(short):
            counts = self._brute_force(x, rows)
            count_xz[rows], count_yz[rows], count_z[rows] = counts
        self._grow(m, short.size)
        return within_class_frenzel_pompe(
            self.mean_digamma_k, count_xz, count_yz, count_z
        )

    def _brute_force(self, x, rows):
        """The strict counts ``(n_xz, n_yz, n_z)`` of ``rows`` over all samples."""
        k = self.k
        bz = _max_abs_diff(self.z, rows)
        bxz = np.maximum(bz, _max_abs_diff(x, rows))
        eps = np.empty(rows.size)
        labels = self.labels[rows]
        for c in np.unique(labels):
            mine = np.flatnonzero(labels == c)
            start, stop = self.bounds[c], self.bounds[c + 1]
            within = bxz[mine, start:stop]  # (a copy)
            kk = min(k, stop - start - 1)
            within.partition(kk, axis=1)
            eps[mine] = within[:, kk]
        inside = bz <= below(eps)[:, None]
        count_z = np.count_nonzero(inside, axis=1)
        count_yz = np.empty_like(count_z)
        for c in np.unique(labels):
            mine = np.flatnonzero(labels == c)
            count_yz[mine] = np.count_nonzero(
                inside[mine, self.bounds[c] : self.bounds[c + 1]], axis=1
            )
        count_xz = np.count_nonzero(bxz <= below(eps)[:, None], axis=1)
        return count_xz, count_yz, count_z
