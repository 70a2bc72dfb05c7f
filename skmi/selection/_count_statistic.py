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

from ..estimators._count_tables import xlogx_table

__all__ = ["CountDependence", "Indicators"]


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


#: the terms ``c log c`` are rounded to multiples of ``2^-_GRID_BITS``: sums of
#: fewer than ``2^(52 - _GRID_BITS)`` in magnitude are then exact
_GRID_BITS = 20


def _grid(values):
    """``values`` rounded to multiples of ``2^-_GRID_BITS``."""
    return np.rint(np.ldexp(values, _GRID_BITS)) * 2.0**-_GRID_BITS


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
        # a stratum where the target takes one value adds exactly nothing to
        # any statistic or degree of freedom, whatever the permutation within
        # strata: its rows are left out of the counts (the sums are on a grid,
        # so the statistics are those of every row to the last bit)
        self.rows = None
        self.target_all = target
        levels = np.bincount(
            np.unique(strata * n_target + target) // n_target, minlength=n_strata
        )
        varied = levels[strata] > 1
        if not varied.all():
            self.rows = np.flatnonzero(varied)
            self.h = self.h[:, self.rows]
            strata, target = strata[self.rows], target[self.rows]
        # each candidate's sum of its levels' rows: the counts off its
        # reference level
        self.sum_levels = sparse.csr_matrix(
            (
                np.ones(self.owner.size),
                (self.owner, np.arange(self.owner.size)),
            ),
            shape=(len(candidates), self.owner.size),
        )
        self.xlogx = _grid(xlogx_table(self.h.shape[1]))
        self.strata, self.n_strata = strata, n_strata
        self.target, self.n_target = target, n_target
        xz, dof_terms = self._tables(strata[None, :], n_strata, dof=True)
        self.base = xz[:, 0] - self.xlogx[np.bincount(strata, minlength=n_strata)].sum()
        zy = strata * n_target + target
        # occupied target levels per stratum, less one
        c_z = np.bincount(np.unique(zy) // n_target, minlength=n_strata) - 1
        self.dof = dof_terms(np.maximum(c_z, 0))

    def _tables(self, codes, size, dof=False):
        """``sum N log N`` of each candidate's table with ``codes`` (one row of
        ``codes`` per permutation), shape ``(n_candidates, b)``.

        Sparse throughout: the counts of the reference level of candidate
        ``k`` are the margin ``N(w)`` less its other levels, so they differ
        from ``N(w)`` only in the cells ``w`` its other levels touch. With
        ``dof`` (one row of codes), also the function ``c -> d_k`` that gives
        ``sum_w (r_kw - 1) c_w``, ``r_kw`` the occupied levels of candidate
        ``k`` in level ``w`` of the codes (every ``w`` is occupied).
        """
        b, n = codes.shape
        columns = (codes + size * np.arange(b)[:, None]).T.ravel()
        rows = np.repeat(np.arange(n), b)
        w = sparse.csr_matrix((np.ones(b * n), (rows, columns)), shape=(n, b * size))
        margin = np.bincount(columns, minlength=b * size)
        levels = self.h @ w  # non-reference levels x (b, code)
        counts = levels.tocoo()
        owner = self.owner[counts.row]
        # the rows off the reference level per candidate and cell: where the
        # reference level's count differs from the margin
        t = (self.sum_levels @ levels).tocoo()
        margin = margin.astype(np.int64)
        reference = margin[t.col] - t.data.astype(np.int64)
        xlogx = self.xlogx
        # sum N log N: the non-reference cells, plus the reference cells'
        # change from N(w) log N(w) where touched. Every term lies on a grid
        # of 2^-20, so the sums are exact whatever their order: equal tables
        # give bit-for-bit equal statistics (a tie is then a tie, see
        # ``reaches``)
        key = np.concatenate(
            [owner * b + counts.col // size, t.row * b + t.col // size]
        )
        values = np.concatenate(
            [
                xlogx[counts.data.astype(np.int64)],
                xlogx[reference] - xlogx[margin[t.col]],
            ]
        )
        out = np.bincount(key, weights=values, minlength=self.n_candidates * b)
        # (float even without any entry: bincount of nothing gives integers)
        out = out.astype(np.float64, copy=False).reshape(self.n_candidates, b)
        out += xlogx[margin].reshape(b, size).sum(axis=1)[None, :]
        if not dof:
            return out

        def dof_terms(c):
            # r_kw - 1 = (occupied other levels) - (reference emptied)
            other = np.bincount(owner, weights=c[counts.col], minlength=out.shape[0])
            emptied = np.bincount(
                t.row, weights=(reference == 0) * c[t.col], minlength=out.shape[0]
            )
            return other - emptied

        return out, dof_terms

    def target_of(self, permutations):
        """The permuted targets on the rows the counts keep."""
        if self.rows is None:
            return self.target_all[permutations]
        return self.target_all[permutations[:, self.rows]]

    def scores(self, permutations):
        """Statistics ``T_k`` of every candidate for each permuted target.

        Returns
        -------
        ndarray of shape (b, n_candidates)
        """
        y = self.target_of(permutations)
        codes = self.strata[None, :] * self.n_target + y
        size = self.n_strata * self.n_target
        xzy = self._tables(codes, size)
        # N(z, y) is the same for every permutation within strata
        zy = self.xlogx[np.bincount(codes[0], minlength=size)].sum()
        g = 2.0 * np.maximum(xzy - self.base[:, None] - zy, 0.0)
        stat = np.full_like(g, _UNTESTABLE)
        testable = self.dof > 0
        d = self.dof[testable, None]
        spread = 2.0 / (9.0 * d)
        stat[testable] = (np.cbrt(g[testable] / d) - 1.0 + spread) / np.sqrt(spread)
        return stat.T
