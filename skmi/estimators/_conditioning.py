"""Frenzel-Pompe conditional information of many candidates given one set.

A step of greedy forward selection scores every candidate ``X`` by
``I(X; Y | Z)`` with the same target ``Y`` and the same conditioning set
``Z``. :class:`FrenzelPompeStep` keeps what depends on ``Y`` and ``Z`` only,
and computes each candidate's value exactly as
:func:`~skmi.estimators._ksg.ksg_cmi` does (the same strict max-norm ball
counts, so the same value to the rounding of the final means):

* ``Z`` of one or two dimensions: the ball counters of the ``(y, z)`` and
  ``z`` spaces are built once; each candidate builds the joint k-th
  distances and the ``(x, z)`` counter.
* ``Z`` of three or more dimensions: every point the estimator looks at for
  sample ``i`` (its ``k`` nearest neighbours in ``(x, y, z)`` and the points
  counted in the ``(x, z)``, ``(y, z)`` and ``z`` balls of radius ``eps_i``)
  lies in the ``z``-ball of radius ``eps_i``, since a max-norm distance in a
  joint space is at least the distance in ``z``. So each sample's ``m``
  nearest samples in ``z`` are listed once, sorted by distance, and a
  candidate costs ``O(n m)``: the joint distances on the list give
  ``eps_i`` and the three counts, exact whenever ``eps_i`` does not exceed
  the distance to the last listed sample (every sample strictly closer in
  ``z`` is then listed). The rows where it does are recomputed by brute
  force over all samples; when they are many, the lists are rebuilt
  longer for the following candidates.

The step is shared by the threads that score candidates in parallel: its
structures are built once under a lock, and a rebuild replaces them as one
tuple, so a reader always sees a consistent set.
"""

import threading

import numpy as np
from scipy.spatial import cKDTree

from ._ksg import frenzel_pompe
from ._neighbors import BallCounter, below, count_strict, kth_distance

__all__ = ["FrenzelPompeStep"]

#: smallest conditioning dimension for which the neighbour lists are used
_LIST_MIN_DIMS = 3
#: starting length of the neighbour lists
_LIST_START = 64
#: rebuild the lists longer when more than this share of rows fall back
_LIST_GROW_AT = 0.02
#: largest number of list entries, n * (m + 1), kept per step
_LIST_MAX_ENTRIES = 1 << 22
#: largest number of distances in one block of the brute-force fallback
_BLOCK = 1 << 22


def _max_abs_diff(a, rows):
    """``max_d |a[rows, d] - a[:, d]|`` as an array (len(rows), n)."""
    out = np.abs(a[rows, 0][:, None] - a[:, 0])
    for d in range(1, a.shape[1]):
        np.maximum(out, np.abs(a[rows, d][:, None] - a[:, d]), out=out)
    return out


def _list_distances(a, idx):
    """``max_d |a[idx[i, j], d] - a[i, d]|``: distances along the lists."""
    out = np.abs(a[idx, 0] - a[:, :1])
    for d in range(1, a.shape[1]):
        np.maximum(out, np.abs(a[idx, d] - a[:, d : d + 1]), out=out)
    return out


class FrenzelPompeStep:
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
        self.y = y
        self.z = z
        self.k = int(k)
        self.n = y.shape[0]
        self.use_lists = z.shape[1] >= _LIST_MIN_DIMS
        self._lock = threading.Lock()
        self._counters = None
        self._lists = None

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
    def _step_counters(self):
        with self._lock:
            if self._counters is None:
                self._counters = (
                    BallCounter(np.hstack([self.y, self.z])),
                    BallCounter(self.z),
                )
        return self._counters

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
    def _cap(self):
        return int(min(self.n - 1, max(self.k + 1, _LIST_MAX_ENTRIES // self.n - 1)))

    def _build_lists(self, m):
        """Each sample's ``m + 1`` nearest samples in ``z`` (itself included)."""
        tree = cKDTree(self.z, balanced_tree=False, compact_nodes=False)
        dz, idx = tree.query(self.z, k=m + 1, p=np.inf)
        dyz = np.maximum(dz, _list_distances(self.y, idx))
        return m, idx, dz, dyz, dz[:, -1]

    def _step_lists(self):
        with self._lock:
            if self._lists is None:
                m = min(self._cap(), max(_LIST_START, 2 * self.k))
                self._lists = self._build_lists(m)
        return self._lists

    def _grow(self, m):
        """Replace the lists by lists 4 times longer (once per length)."""
        with self._lock:
            if self._lists[0] == m:
                self._lists = self._build_lists(min(4 * m, self._cap()))

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
        step = max(1, _BLOCK // self.n)
        for start in range(0, short.size, step):
            rows = short[start : start + step]
            bz = _max_abs_diff(self.z, rows)
            byz = np.maximum(bz, _max_abs_diff(self.y, rows))
            bxz = np.maximum(bz, _max_abs_diff(x, rows))
            e = np.partition(np.maximum(byz, bxz), k, axis=1)[:, k]
            rb = below(e)[:, None]
            count_z[rows] = np.count_nonzero(bz <= rb, axis=1)
            count_yz[rows] = np.count_nonzero(byz <= rb, axis=1)
            count_xz[rows] = np.count_nonzero(bxz <= rb, axis=1)
        if short.size > _LIST_GROW_AT * self.n and m < self._cap():
            self._grow(m)
        return frenzel_pompe(k, count_xz, count_yz, count_z)
