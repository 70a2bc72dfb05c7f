"""The statistic of a discrete step: conditional G statistics of counts.

When the candidates of a forward step are discrete and the selected set is
categorical, the step is tested on the counts the criterion itself sees:
:class:`CountDependence` gives every candidate's conditional G statistic
(``2 N`` times the plug-in ``I(X_k; Y | Z)``), standardised for its degrees
of freedom, for many permuted targets at once. Permutations within the
strata of ``Z`` keep every margin, so only the three-way counts are
recounted, as one sparse product per batch of permutations.

References
----------
.. [1] E. B. Wilson and M. M. Hilferty, "The distribution of chi-square",
   PNAS 17(12), 1931.
"""

import numpy as np
from scipy import sparse

__all__ = ["CountDependence", "Indicators"]

#: largest number of dense reference-level counts held at once
#: (candidates x strata x target levels x permutations)
MAX_DENSE_COUNTS = 4_000_000


#: the statistic of a candidate without degrees of freedom (below any other)
_UNTESTABLE = -1e300


class Indicators:
    """Indicator columns of the non-reference levels of discrete columns.

    Column ``k`` with ``L_k`` occupied levels gives ``L_k - 1`` indicator
    columns, one per level but its most frequent (the reference, whose
    counts are what remains of each margin). A sparse count column (whose
    reference level is zero) so stays as sparse as it is.

    Parameters
    ----------
    columns : sequence of Variable or None
        Discrete columns (integer codes) on the test rows; None for a column
        that is not discrete (it gets no indicator).
    n_samples : int
    """

    def __init__(self, columns, n_samples):
        rows, cols, owner = [], [], []
        width = 0
        for k, c in enumerate(columns):
            if c is None:
                continue
            counts = np.bincount(c.codes, minlength=c.n_levels)
            reference = int(np.argmax(counts))
            occupied = np.flatnonzero(counts)
            local = np.full(counts.size, -1, dtype=np.int64)
            others = occupied[occupied != reference]
            local[others] = width + np.arange(others.size)
            hit = np.flatnonzero(local[c.codes] >= 0)
            rows.append(hit)
            cols.append(local[c.codes[hit]])
            owner.append(np.full(others.size, k, dtype=np.intp))
            width += others.size
        n = n_samples
        self.matrix = sparse.csc_matrix(
            (
                np.ones(sum(r.size for r in rows), dtype=np.float64),
                (np.concatenate(rows or [[]]), np.concatenate(cols or [[]])),
            ),
            shape=(n, width),
        )
        self.owner = np.concatenate(owner or [np.zeros(0, np.intp)])
        self.n_columns = len(columns)

    def subset(self, index):
        """The indicators of the columns ``index`` and the owner of each."""
        index = np.asarray(index, dtype=np.intp)
        position = np.full(self.n_columns, -1, dtype=np.intp)
        position[index] = np.arange(index.size)
        keep = np.flatnonzero(position[self.owner] >= 0)
        return self.matrix[:, keep].T.tocsr(), position[self.owner[keep]]


def _sum_xlogx(values):
    out = np.zeros_like(values, dtype=np.float64)
    positive = values > 0
    out[positive] = values[positive] * np.log(values[positive])
    return out


class CountDependence:
    """Conditional G statistics of a discrete target on discrete candidates.

    For candidate ``X_k`` given the strata ``Z`` (the joint levels of the
    selected set) the statistic is the log-likelihood-ratio statistic of
    conditional independence in the three-way table of counts,
    ``G_k = 2 N I(X_k; Y | Z)`` with the plug-in estimate of the criterion's
    counting path, standardised by the Wilson-Hilferty normal approximation
    of its chi-square law,
    ``T_k = ((G_k / d_k)^(1/3) - 1 + 2 / (9 d_k)) / sqrt(2 / (9 d_k))`` with
    ``d_k = sum_z (r_kz - 1)(c_z - 1)`` (``r_kz``, ``c_z``: occupied levels of
    ``X_k`` and ``Y`` in stratum ``z``), so that candidates with many levels
    and with few compete on one scale (a finite, increasing function of the
    chi-square tail, where ``-log P(chi2 >= G)`` overflows).
    The chi-square law only orders the candidates: the test's null
    distribution is the permutation distribution of the maximum, so it
    holds whatever the counts. Permutations within the strata leave every
    margin ``N(x, z)``, ``N(y, z)`` unchanged (and ``d_k`` with them); only
    the three-way counts are recounted, for every candidate at once, as one
    sparse product of the indicators with the indicators of ``(Z, Y)``.

    Parameters
    ----------
    indicators : Indicators
        Indicators of every discrete column on the test rows.
    candidates : ndarray of int
    strata : ndarray of shape (n,), int64
        Dense codes of the selected set's joint levels (zeros when empty).
    n_strata : int
    target : ndarray of shape (n,), int64
        Dense codes of the target.
    n_target : int
    """

    def __init__(self, indicators, candidates, strata, n_strata, target, n_target):
        self.h, self.owner = indicators.subset(candidates)
        self.n_candidates = len(candidates)
        self.strata, self.n_strata = strata, n_strata
        self.target, self.n_target = target, n_target
        xz, occupied_xz = self._tables(strata[None, :], n_strata, occupied=True)
        self.base = xz[:, 0] - _sum_xlogx(np.bincount(strata, minlength=n_strata)).sum()
        zy = strata * n_target + target
        c_z = np.bincount(
            np.unique(zy) // n_target, minlength=n_strata
        )  # occupied target levels per stratum
        self.dof = (np.maximum(occupied_xz - 1, 0) * np.maximum(c_z - 1, 0)).sum(axis=1)

    def _tables(self, codes, size, occupied=False):
        """``sum N log N`` of each candidate's table with ``codes`` (one row of
        ``codes`` per permutation), shape ``(n_candidates, b)``; with
        ``occupied``, also the occupied levels of each candidate in each
        level of ``codes`` (one row of codes only)."""
        b, n = codes.shape
        columns = (codes + size * np.arange(b)[:, None]).T.ravel()
        rows = np.repeat(np.arange(n), b)
        w = sparse.csr_matrix((np.ones(b * n), (rows, columns)), shape=(n, b * size))
        margin = np.asarray(w.sum(axis=0)).ravel()
        counts = (self.h @ w).tocoo()  # non-reference levels x (b, code)
        owner = self.owner[counts.row]
        # summed in the order of the values, so that equal tables give
        # bit-for-bit equal statistics (a tie is then a tie, see ``reaches``)
        key = owner * b + counts.col // size
        values = _sum_xlogx(counts.data)
        order = np.lexsort((values, key))
        out = np.bincount(
            key[order], weights=values[order], minlength=self.n_candidates * b
        ).reshape(self.n_candidates, b)
        # reference levels: the margin less the other levels, in chunks
        step = max(1, MAX_DENSE_COUNTS // max(1, b * size))
        n_occupied = np.zeros((self.n_candidates, size)) if occupied else None
        for lo in range(0, self.n_candidates, step):
            hi = min(lo + step, self.n_candidates)
            inside = (owner >= lo) & (owner < hi)
            others = np.zeros((hi - lo, b * size))
            np.add.at(
                others, (owner[inside] - lo, counts.col[inside]), counts.data[inside]
            )
            reference = margin[None, :] - others
            out[lo:hi] += _sum_xlogx(reference).reshape(hi - lo, b, size).sum(axis=2)
            if occupied:
                n_occupied[lo:hi] = reference > 0.5
                np.add.at(
                    n_occupied,
                    (owner[inside], counts.col[inside]),
                    counts.data[inside] > 0.5,
                )
        return (out, n_occupied) if occupied else out

    def scores(self, permutations):
        """Statistics ``T_k`` of every candidate for each permuted target.

        Returns
        -------
        ndarray of shape (b, n_candidates)
        """
        y = self.target[permutations]
        codes = self.strata[None, :] * self.n_target + y
        size = self.n_strata * self.n_target
        xzy = self._tables(codes, size)
        zy = _sum_xlogx(
            np.bincount(codes[0], minlength=size)
        ).sum()  # N(z, y) is the same for every permutation within strata
        g = 2.0 * np.maximum(xzy - self.base[:, None] - zy, 0.0)
        stat = np.full_like(g, _UNTESTABLE)
        testable = self.dof > 0
        d = self.dof[testable, None]
        spread = 2.0 / (9.0 * d)
        stat[testable] = (np.cbrt(g[testable] / d) - 1.0 + spread) / np.sqrt(spread)
        return stat.T
