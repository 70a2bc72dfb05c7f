"""Hard partitions of the values of X: local moves and agglomeration.

A hard partition ``t(x)`` of the values of a discrete ``X`` into at most
``k`` clusters has the deterministic bottleneck objective
``H(T) - beta I(T;Y)``, which for a hard encoder is also the soft one
(``I(X;T) = H(T)``). Up to the constant ``beta H(Y)`` it is a sum over
clusters of a term that depends on the cluster's row ``p(t, y)`` alone
(:func:`cluster_terms`), so a move of a few values changes two or three
terms and is evaluated in ``O(k n_y)``.

:func:`refine_hard` descends with moves of growing size (Slonim, Friedman
and Tishby 2002 for the single-value moves): one value to another cluster,
two clusters merged, one cluster dissolved into the others, two values swapped,
two values to one cluster. Every accepted move strictly lowers the objective.
:func:`best_consecutive` is exact for a binary ``Y``.
:func:`merge_down` is the agglomerative bottleneck (Slonim and Tishby 1999):
from ``T = X``, the merge that raises the objective least, down to one
cluster.
"""

import numpy as np
from scipy.special import entr

__all__ = [
    "agglomerate",
    "best_consecutive",
    "cluster_terms",
    "merge_down",
    "refine_hard",
]

#: Most values merged by the agglomerative start (its pair costs are a matrix)
#: and moved two at a time by :func:`refine_hard`.
MAX_PAIRWISE = 256
#: Most values of a binary target partitioned exactly by :func:`best_consecutive`.
MAX_CONSECUTIVE = 1024
#: Largest number of entries of one block of pair costs.
_DISTANCE_BLOCK = 1 << 20
#: A move is accepted when it lowers the scaled objective by more than this.
_IMPROVEMENT = 1e-12


def cluster_terms(rows, beta):
    """Per-cluster terms of ``H(T) - beta I(T;Y) + beta H(Y)``, over ``max(1, beta)``.

    With ``rows[t] = p(t, y)`` the objective of a hard clustering is
    ``(1 - beta) H(T) + beta H(T, Y) - beta H(Y)``, a sum over clusters of
    ``(1 - beta) eta(q(t)) + beta sum_y eta(p(t, y))``, ``eta(p) = -p ln p``.
    Only differences of these terms decide a move; the reported
    information always comes from the plug-in kernels. The division by
    ``max(1, beta)`` keeps them finite at every beta.
    """
    rows = np.maximum(np.asarray(rows, dtype=np.float64), 0.0)
    scale = max(beta, 1.0)
    weight_t, weight_ty = (1.0 - beta) / scale, beta / scale
    return weight_t * entr(rows.sum(axis=-1)) + weight_ty * entr(rows).sum(axis=-1)


class _Partition:
    """Labels of the values with the rows ``p(t, y)`` and terms of the clusters."""

    def __init__(self, pxy, labels, k, beta):
        self.pxy, self.beta = pxy, beta
        self.labels = np.array(labels, dtype=np.intp)
        self.rows = np.zeros((k, pxy.shape[1]))
        np.add.at(self.rows, self.labels, pxy)
        self.terms = cluster_terms(self.rows, beta)

    def copy(self):
        return _Partition(self.pxy, self.labels, self.rows.shape[0], self.beta)

    def move(self, x, t):
        """Move value ``x`` to cluster ``t``."""
        a = self.labels[x]
        self.labels[x] = t
        self.rows[t] += self.pxy[x]
        if np.any(self.labels == a):
            self.rows[a] -= self.pxy[x]
        else:  # exactly empty, without rounding residue
            self.rows[a] = 0.0
        self.terms[[a, t]] = cluster_terms(self.rows[[a, t]], self.beta)

    def move_values(self):
        """One sweep of single-value moves; whether any was made."""
        moved = False
        for x in range(self.pxy.shape[0]):
            a = self.labels[x]
            removed = cluster_terms(self.rows[a] - self.pxy[x], self.beta)
            gain = cluster_terms(self.rows + self.pxy[x], self.beta) - self.terms
            gain += removed - self.terms[a]
            gain[a] = 0.0
            t = int(np.argmin(gain))
            if gain[t] < -_IMPROVEMENT:
                self.move(x, t)
                moved = True
        return moved

    def merge_two(self):
        """Merge the pair of clusters that lowers the objective most."""
        rows, terms = self.rows, self.terms
        gain = cluster_terms(rows[:, None, :] + rows[None, :, :], self.beta)
        gain -= terms[:, None] + terms[None, :]
        gain[np.tril_indices(rows.shape[0])] = np.inf
        a, b = np.unravel_index(np.argmin(gain), gain.shape)
        if not gain[a, b] < -_IMPROVEMENT:
            return False
        for x in np.flatnonzero(self.labels == b):
            self.move(x, a)
        return True

    def dissolve_one(self):
        """Send the values of one cluster to their best other clusters.

        Escapes a cluster that no single value can leave alone, e.g. a small
        cluster between two others whose values belong half to each.
        """
        total = self.terms.sum()
        for c in np.flatnonzero(self.rows.sum(axis=1) > 0):
            trial = self.copy()
            for x in np.flatnonzero(self.labels == c):
                gain = cluster_terms(trial.rows + self.pxy[x], self.beta) - trial.terms
                gain[c] = np.inf
                trial.move(x, int(np.argmin(gain)))
            if trial.terms.sum() < total - _IMPROVEMENT:
                self.__dict__.update(trial.__dict__)
                return True
        return False

    def swap_values(self):
        """Swap two values of different clusters where neither move alone helps."""
        pxy, labels, rows, terms = self.pxy, self.labels, self.rows, self.terms
        for x in range(pxy.shape[0]):
            a = labels[x]
            delta = pxy - pxy[x]  # what cluster a gains, b loses
            gain = cluster_terms(rows[a] + delta, self.beta) - terms[a]
            gain += cluster_terms(rows[labels] - delta, self.beta) - terms[labels]
            gain[labels == a] = np.inf
            i = int(np.argmin(gain))
            if gain[i] < -_IMPROVEMENT:
                b = labels[i]
                self.move(x, b)
                self.move(i, a)
                return True
        return False

    def move_pairs(self):
        """Move two values to one cluster where neither move alone helps."""
        pxy, labels, rows, terms = self.pxy, self.labels, self.rows, self.terms
        n_x = pxy.shape[0]
        for x in range(n_x):
            a = labels[x]
            both = pxy[x] + pxy  # x with each partner
            alone = cluster_terms(rows[a] - pxy[x], self.beta) - terms[a]
            partner = cluster_terms(rows[labels] - pxy, self.beta) - terms[labels]
            removed = np.where(
                labels == a,
                cluster_terms(rows[a] - both, self.beta) - terms[a],
                alone + partner,
            )
            gain = cluster_terms(rows[None, :, :] + both[:, None, :], self.beta)
            gain += removed[:, None] - terms[None, :]
            gain[np.arange(n_x), labels] = np.inf
            gain[:, a] = np.inf
            gain[x] = np.inf
            i, t = np.unravel_index(np.argmin(gain), gain.shape)
            if gain[i, t] < -_IMPROVEMENT:
                self.move(x, t)
                self.move(i, t)
                return True
        return False


def refine_hard(encoder, pxy, beta, max_sweeps, record=None):
    """Move values and clusters while a move lowers the objective.

    Single-value moves first; when none helps, the best merge of two
    clusters, then the dissolution of one cluster, then (up to
    ``MAX_PAIRWISE`` values) the swap of two values of different clusters
    and the move of two values to one cluster. Each
    sweep calls ``record`` (if given) with the encoder.

    Parameters
    ----------
    encoder : ndarray of shape (n_x, k)
        One-hot rows.
    pxy : ndarray of shape (n_x, n_y)
    beta : float
    max_sweeps : int
    record : callable, default=None

    Returns
    -------
    encoder : ndarray of shape (n_x, k)
    """
    k = encoder.shape[1]
    partition = _Partition(pxy, np.argmax(encoder, axis=1), k, beta)
    pairs = pxy.shape[0] <= MAX_PAIRWISE
    for _ in range(max_sweeps):
        if not (
            partition.move_values()
            or partition.merge_two()
            or partition.dissolve_one()
            or (pairs and (partition.swap_values() or partition.move_pairs()))
        ):
            break
        if record is not None:
            record(np.eye(k)[partition.labels])
    return np.eye(k)[partition.labels]


def agglomerate(pxy, n_clusters, beta, max_sweeps):
    """The best partition of the agglomerative path, refined.

    See :func:`merge_down`; :func:`refine_hard` then polishes the partition.
    With enough clusters the path starts at the identity ``T = X``.
    """
    labels = merge_down(pxy, n_clusters, beta)
    encoder = np.eye(n_clusters)[labels]
    return refine_hard(encoder, pxy, beta, max_sweeps)


def merge_down(pxy, n_clusters, beta):
    """Labels of the best partition on the agglomerative path.

    From one cluster per value, the pair of clusters whose merge raises
    ``H(T) - beta I(T;Y)`` least is merged, down to one cluster; of the
    partitions on this path with at most ``n_clusters`` clusters, the one
    with the lowest objective is returned, labelled ``0, 1, ...``.

    The merge costs of all pairs are kept in a matrix (hence the cap
    ``MAX_PAIRWISE`` on the number of values in the callers), with each
    row's minimum, so a step costs O(n_x) besides the rows whose minimum it
    changed.
    """
    n_x = pxy.shape[0]
    rows = pxy.copy()
    terms = cluster_terms(rows, beta)
    alive = np.ones(n_x, dtype=bool)
    cost = np.empty((n_x, n_x))
    step = max(1, _DISTANCE_BLOCK // (n_x * rows.shape[1]))
    for start in range(0, n_x, step):
        block = slice(start, start + step)
        merged = cluster_terms(rows[block, None, :] + rows[None, :, :], beta)
        cost[block] = merged - terms[block, None] - terms[None, :]
    np.fill_diagonal(cost, np.inf)
    best = cost.argmin(axis=1)
    lowest = cost[np.arange(n_x), best]
    labels = np.arange(n_x)
    chosen, chosen_total = labels.copy(), terms.sum()
    if n_x > n_clusters:
        chosen_total = np.inf
    for n_left in range(n_x - 1, 0, -1):
        a = int(np.argmin(lowest))
        b = int(best[a])
        rows[a] += rows[b]
        terms[a] = cluster_terms(rows[a], beta)
        terms[b] = 0.0
        alive[b] = False
        labels[labels == b] = a
        row = cluster_terms(rows[a] + rows, beta) - terms[a] - terms
        row[~alive] = np.inf
        row[a] = np.inf
        cost[a], cost[:, a] = row, row
        cost[b], cost[:, b] = np.inf, np.inf
        lowest[b] = np.inf
        # rows whose best partner was merged: recompute; others may prefer a
        stale = np.flatnonzero(alive & ((best == a) | (best == b)))
        best[stale] = cost[stale].argmin(axis=1)
        lowest[stale] = cost[stale, best[stale]]
        better = alive & (row < lowest)
        best[better], lowest[better] = a, row[better]
        total = terms.sum()
        # ties go to the partition with more clusters
        if n_left <= n_clusters and total < chosen_total - _IMPROVEMENT:
            chosen, chosen_total = labels.copy(), total
    return np.unique(chosen, return_inverse=True)[1].reshape(-1)


def best_consecutive(pxy, n_clusters, beta):
    """Labels of the best partition into runs of values ordered by ``p(y|x)``.

    For a binary ``Y`` this is the best hard partition of all: each cluster
    term is a concave function of the cluster's row ``(p(t, 0), p(t, 1))``
    (``eta`` is concave, and ``beta (q eta-terms of p(y|t))`` is a
    perspective of a concave function), so the objective is a concave
    function of the partition, minimal at a vertex of the partition
    polytope; in two dimensions the vertices are the partitions into
    consecutive runs of the values sorted by ``p(y = 1 | x)`` (Barnes,
    Hoffman and Rothblum 1992; the dynamic programme of Kurkoski and Yagi
    2014 for the same ordering). A dynamic programme over the start of the
    last run finds the best one with at most ``n_clusters`` runs in
    ``O(n_clusters n_x^2)``.
    """
    n_x = pxy.shape[0]
    order = np.argsort(pxy[:, -1] / pxy.sum(axis=1), kind="stable")
    prefix = np.vstack([np.zeros(pxy.shape[1]), np.cumsum(pxy[order], axis=0)])
    # cost[i, j]: the run of sorted values i..j-1
    cost = cluster_terms(prefix[None, :, :] - prefix[:, None, :], beta)
    cost[np.tril_indices(n_x + 1)] = np.inf
    total = np.full(n_x + 1, np.inf)
    total[0] = 0.0
    starts = []
    best_total, best_runs = np.inf, 0
    for runs in range(1, min(n_clusters, n_x) + 1):
        candidates = total[:, None] + cost
        starts.append(np.argmin(candidates, axis=0))
        total = candidates[starts[-1], np.arange(n_x + 1)]
        if total[n_x] < best_total - _IMPROVEMENT:
            best_total, best_runs = total[n_x], runs
    labels = np.empty(n_x, dtype=np.intp)
    end = n_x
    for run in range(best_runs - 1, -1, -1):
        start = starts[run][end]
        labels[order[start:end]] = run
        end = start
    return labels
