"""The statistic of a discrete step: conditional G statistics of counts.

When the candidates of a forward step are discrete and the selected set is
categorical, the step is tested on the counts the criterion itself sees:
:class:`CountDependence` gives every candidate's conditional G statistic
(``2 N`` times the plug-in ``I(X_k; Y | Z)``), standardised for its degrees
of freedom, for many permuted targets at once. Permutations within the
strata of ``Z`` keep every margin, so only the three-way counts are
recounted, as one product per batch of permutations: of each level's rows
in each stratum with the permuted targets as dense indicators
(:class:`_StratumTables`, the faster while strata are few), or of the
levels' indicators with those of the cells (stratum, permuted target)
(:class:`_SparseTables`). Both give the same statistics to the bit.

References
----------
.. [1] E. B. Wilson and M. M. Hilferty, "The distribution of chi-square",
   PNAS 17(12), 1931.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ..estimators._count_tables import xlogx_table

__all__ = ["CountDependence", "Indicators"]


#: the statistic of a candidate without degrees of freedom (below any other)
_UNTESTABLE = -1e300
#: dense counts per entry of the sparse product up to which the dense target
#: (:class:`_StratumTables`) is the faster (about 5 measured)
DENSE_PER_ENTRY = 4
#: largest number of dense counts (cells x target levels) per permutation
MAX_DENSE = 1 << 20


class Indicators:
    """Indicator columns of the non-reference levels of discrete columns.

    Column ``k`` with ``L_k`` occupied levels gives ``L_k - 1`` indicator
    columns, one per level but its most frequent (the reference, whose
    counts are what remains of each margin). A sparse count column (whose
    reference level is zero) so stays as sparse as it is.

    Parameters
    ----------
    columns : sequence of Variable or None
        Discrete columns (integer codes); None for a column that is not
        discrete (it gets no indicator).
    n_samples : int
        Number of test rows.
    rows : ndarray of int or None, default=None
        The test rows of the ``columns`` (None: the columns hold the test
        rows alone). The codes need not be dense on them.
    """

    def __init__(self, columns, n_samples, rows=None):
        n = n_samples
        discrete = [k for k, c in enumerate(columns) if c is not None]
        entry_rows, ids, owner = [], [], []
        width = 0
        # the columns in blocks of about 2^20 codes, all of a block at once
        step = max(1, 2**20 // max(n, 1))
        for start in range(0, len(discrete), step):
            block = discrete[start : start + step]
            n_levels = np.array([columns[k].n_levels for k in block], dtype=np.int64)
            first = np.concatenate([[0], np.cumsum(n_levels)[:-1]])
            codes = np.column_stack(
                [
                    columns[k].codes if rows is None else columns[k].codes[rows]
                    for k in block
                ]
            )
            codes = codes + first  # (int64, whatever the codes' type)
            counts = np.bincount(codes.ravel(), minlength=int(n_levels.sum()))
            column = np.repeat(np.arange(len(block)), n_levels)
            # the reference: the first most frequent level of each column
            top = np.maximum.reduceat(counts, first) if counts.size else counts
            tops = np.flatnonzero(counts == top[column])
            reference = tops[np.unique(column[tops], return_index=True)[1]]
            others = counts > 0
            others[reference] = False
            local = np.full(counts.size, -1, dtype=np.int64)
            local[others] = width + np.arange(np.count_nonzero(others))
            index = local[codes]
            hit_rows, hit_cols = np.nonzero(index >= 0)
            entry_rows.append(hit_rows)
            ids.append(index[hit_rows, hit_cols])
            owner.append(np.asarray(block, dtype=np.intp)[column[others]])
            width += np.count_nonzero(others)
        ids = np.concatenate(ids or [np.zeros(0, np.int64)])
        #: indicators x rows, each indicator's rows in increasing order
        self.matrix = sparse.csr_matrix(
            (
                np.ones(ids.size, dtype=np.int32),
                (ids, np.concatenate(entry_rows or [np.zeros(0, np.int64)])),
            ),
            shape=(width, n),
        )
        self.owner = np.concatenate(owner or [np.zeros(0, np.intp)])
        self.n_columns = len(columns)
        self._entry_ids = np.repeat(np.arange(width), np.diff(self.matrix.indptr))
        self._last = None

    def restrict(self, index, rows=None):
        """The entries of the indicators of the columns ``index`` on the rows
        ``rows`` (None: every row): the indicator (numbered among all) and
        the row (numbered among ``rows``) of each, in the order of the
        indicators, and the position in ``index`` of the column of each
        indicator (-1: not in ``index``)."""
        index = np.asarray(index, dtype=np.intp)
        position = np.full(self.n_columns, -1, dtype=np.intp)
        position[index] = np.arange(index.size)
        owner = position[self.owner]
        n = self.matrix.shape[1]
        on = np.zeros(n, dtype=bool)
        on[np.arange(n) if rows is None else rows] = True
        level, row = self._entries(owner >= 0, on)
        return level, (np.cumsum(on) - 1)[row], owner

    def _entries(self, kept, on):
        """The entries (indicator, row) of the indicators ``kept`` on the rows
        ``on`` (masks), in the order of the matrix: taken from those of the
        last call when it kept them all (a search's steps keep ever fewer
        rows and columns)."""
        last = self._last
        if (
            last is not None
            and not (kept & ~last[0]).any()
            and not (on & ~last[1]).any()
        ):
            ids, columns = last[2], last[3]
        else:
            ids, columns = self._entry_ids, self.matrix.indices
        entries = kept[ids] & on[columns]
        ids, columns = ids[entries], columns[entries]
        self._last = kept, on, ids, columns
        return ids, columns


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
    product per batch of permutations (dense in the target while that is
    the faster, sparse otherwise; ``split`` forces one or the other).

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
    split : bool or None, default=None
        True: the dense target (:class:`_StratumTables`) where it applies
        (see :meth:`_StratumTables.cells`); False: the sparse product
        (:class:`_SparseTables`); None: whichever is the faster (measured:
        the dense target up to ``DENSE_PER_ENTRY`` dense counts per entry of
        the sparse product, and at most ``MAX_DENSE`` per permutation).
    """

    def __init__(
        self, indicators, candidates, strata, n_strata, target, n_target, split=None
    ):
        self.n_candidates = len(candidates)
        # a stratum where the target takes one value adds exactly nothing to
        # any statistic or degree of freedom, whatever the permutation within
        # strata: its rows are left out of the counts (the sums are on a grid,
        # so the statistics are those of every row to the last bit), and the
        # strata left are numbered anew
        self.rows = None
        self.target_all = target
        margins = np.bincount(strata * n_target + target, minlength=n_strata * n_target)
        margins = margins.reshape(n_strata, n_target)
        levels = np.count_nonzero(margins, axis=1)  # target levels per stratum
        varied = levels[strata] > 1
        if not varied.all():
            self.rows = np.flatnonzero(varied)
            strata, target = strata[self.rows], target[self.rows]
        used = np.flatnonzero(levels > 1)
        renumber = np.zeros(n_strata, dtype=np.int64)
        renumber[used] = np.arange(used.size)
        strata, n_strata = renumber[strata], max(used.size, 1)
        margins = margins[used] if used.size else np.zeros((1, n_target), np.int64)
        level, row, owner = indicators.restrict(candidates, self.rows)
        xlogx = _grid(xlogx_table(strata.size))
        self.zy = xlogx[margins].sum()
        # occupied target levels per stratum, less one
        c_z = np.maximum(np.count_nonzero(margins, axis=1) - 1, 0)
        step = _Step(
            level, row, owner, self.n_candidates, strata, target, margins, xlogx
        )
        cells = None if split is False else _StratumTables.cells(step)
        if split is None and cells is not None:
            dense = cells[1].size * n_target
            # the sparse product is the faster (measured), or the lighter
            if dense > min(DENSE_PER_ENTRY * level.size, MAX_DENSE):
                cells = None
        if cells is None:
            self.tables = _SparseTables(step)
        else:
            self.tables = _StratumTables(step, cells)
        xz, xzy, self.dof = self.tables.of_data(c_z)
        self.base = xz - xlogx[margins.sum(axis=1)].sum()
        self._observed = self._standardised(xzy)

    def _standardised(self, xzy):
        """The statistics ``T_k`` of the tables ``xzy``, shape (b, n_candidates)."""
        g = 2.0 * np.maximum(xzy - self.base[:, None] - self.zy, 0.0)
        stat = np.full_like(g, _UNTESTABLE)
        testable = self.dof > 0
        d = self.dof[testable, None]
        spread = 2.0 / (9.0 * d)
        stat[testable] = (np.cbrt(g[testable] / d) - 1.0 + spread) / np.sqrt(spread)
        return stat.T

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
        if permutations.shape[0] == 1 and np.array_equal(
            permutations[0], np.arange(self.target_all.size)
        ):
            return self._observed.copy()  # the data (computed with the margins)
        return self._standardised(self.tables.of(self.target_of(permutations)))


def _numbered(keys, size):
    """Dense numbers of the ``keys`` (below ``size``) in increasing order of
    key, and the keys numbered."""
    occupied = np.zeros(size, dtype=bool)
    occupied[keys] = True
    return np.cumsum(occupied)[keys] - 1, np.flatnonzero(occupied)


def _ones(rows, columns, shape, dtype=np.float32):
    """The sparse matrix of ones at ``(rows, columns)`` (COO: built at no
    cost, and multiplies a dense matrix as fast as CSR)."""
    return sparse.coo_matrix((np.ones(rows.size, dtype=dtype), (rows, columns)), shape)


def _summing(groups, n_groups, dtype=np.float64):
    """The matrix that sums items into their ``groups``, ``(n_groups, items)``."""
    return _ones(groups, np.arange(groups.size), (n_groups, groups.size), dtype)


@dataclass
class _Step:
    """The counts of a step: the entries of the non-reference levels of the
    candidates on the rows kept, and the strata and target there."""

    level: np.ndarray  #: indicator of each entry (in increasing order)
    row: np.ndarray  #: row of each entry
    owner: np.ndarray  #: candidate of each indicator (-1: none)
    n_candidates: int
    strata: np.ndarray  #: dense codes of the strata of the rows
    target: np.ndarray  #: codes of the target on the rows
    margins: np.ndarray  #: counts ``N(z, y)``, shape (n_strata, n_target)
    xlogx: np.ndarray  #: ``c log c`` on the grid, ``c = 0..n_rows``


class _SparseTables:
    """The tables of :class:`CountDependence` as one sparse product per batch.

    The non-reference levels (``h``, levels x rows) times the indicators of
    the cells ``(permutation, stratum, target)`` of the rows; the counts of
    the reference level of candidate ``k`` are the margin ``N(w)`` less its
    other levels, so they differ from ``N(w)`` only in the cells ``w`` its
    other levels touch.
    """

    def __init__(self, step):
        kept = step.owner >= 0
        per_level = np.bincount(step.level, minlength=kept.size)[kept]
        self.h = sparse.csr_matrix(
            (
                np.ones(step.row.size, dtype=np.int32),
                step.row,
                np.concatenate([[0], np.cumsum(per_level)]),
            ),
            shape=(per_level.size, step.strata.size),
        )
        self.owner, self.xlogx = step.owner[kept], step.xlogx
        # each candidate's sum of its levels' rows: the counts off its
        # reference level
        self.sum_levels = _summing(self.owner, step.n_candidates, np.int32).tocsr()
        self.n_candidates = step.n_candidates
        self.strata, self.n_strata = step.strata, step.margins.shape[0]
        self.target, self.n_target = step.target, step.margins.shape[1]

    def of(self, y):
        """``sum N log N`` of each candidate's table with the targets ``y``
        (one row per permutation), shape ``(n_candidates, b)``."""
        codes = self.strata[None, :] * self.n_target + y
        return self._tables(codes, self.n_strata * self.n_target)[0]

    def of_data(self, c_z):
        """``sum N log N`` of each candidate's table with the strata and with
        the strata and the data's target, and the degrees of freedom
        ``sum_z (r_kz - 1) c_z``: one product, in the cells of (stratum,
        target) (the strata alone in those of target 0)."""
        t, strata = self.n_target, self.strata
        size = self.n_strata * t
        codes = np.vstack([strata * t, strata * t + self.target])
        out, levels, off, margin = self._tables(codes, size)
        # r_kz - 1 = (occupied other levels) - (reference emptied), in the
        # cells of the strata alone (the first ``size`` cells)
        first = levels.indices < size
        owner = np.repeat(self.owner, np.diff(levels.indptr))[first]
        other = np.bincount(
            owner, weights=c_z[levels.indices[first] // t], minlength=self.n_candidates
        )
        first = off.indices < size
        emptied = off.data[first] == margin[off.indices[first]]
        candidate = np.repeat(np.arange(self.n_candidates), np.diff(off.indptr))
        emptied = np.bincount(
            candidate[first],
            weights=emptied * c_z[off.indices[first] // t],
            minlength=self.n_candidates,
        )
        return out[:, 0], out[:, 1:], other - emptied

    def _tables(self, codes, size):
        """``sum N log N`` of each candidate's table with ``codes`` (one row of
        ``codes`` per permutation, values below ``size``), shape
        ``(n_candidates, b)``, with the counts it summed: of each
        non-reference level and of each candidate off its reference level
        (sparse, non-reference levels or candidates x ``(b, code)``), and
        the margins.

        Sparse throughout: the counts of the reference level of candidate
        ``k`` are the margin ``N(w)`` less its other levels, so they differ
        from ``N(w)`` only in the cells ``w`` its other levels touch.
        """
        b, n = codes.shape
        cells = (codes + size * np.arange(b)[:, None]).T.ravel()
        w = sparse.csr_matrix(
            (np.ones(b * n, dtype=np.int32), cells, np.arange(0, b * n + 1, b)),
            shape=(n, b * size),
        )
        margin = np.bincount(cells, minlength=b * size)
        levels = self.h @ w  # non-reference levels x (b, code)
        # the rows off the reference level per candidate and cell: where the
        # reference level's count differs from the margin
        off = self.sum_levels @ levels
        k, xlogx = self.n_candidates, self.xlogx
        # sum N log N: the non-reference cells, plus the reference cells'
        # change from N(w) log N(w) where touched. Every term lies on a grid
        # of 2^-20, so the sums are exact whatever their order: equal tables
        # give bit-for-bit equal statistics (a tie is then a tie, see
        # ``reaches``)
        key = np.repeat(self.owner * b, np.diff(levels.indptr))
        key += levels.indices // size
        out = np.bincount(key, weights=xlogx[levels.data], minlength=k * b)
        # (float even without any entry: bincount of nothing gives integers)
        out = out.astype(np.float64, copy=False)
        key = np.repeat(np.arange(k) * b, np.diff(off.indptr))
        key += off.indices // size
        touched = margin[off.indices]
        out += np.bincount(
            key, weights=xlogx[touched - off.data] - xlogx[touched], minlength=k * b
        )
        out = out.reshape(k, b)
        out += xlogx[margin].reshape(b, size).sum(axis=1)[None, :]
        return out, levels, off, margin


class _StratumTables:
    """The tables of :class:`CountDependence` with the target dense.

    The rows of each non-reference level are split by stratum (a row per
    occupied ``(level, stratum)``, a *cell*) and multiplied by the
    indicators of the permuted targets, ``(rows, b x n_target)`` dense:
    ``nnz x b x n_target`` multiply-adds in dense rows (a few times faster
    per entry than the sparse product of :class:`_SparseTables`) and a
    result of ``b x n_target`` counts per cell: the faster while there are
    fewer cells than entries. Only a cell of two rows or more can count
    more than one (``0 log 0 = 1 log 1 = 0``), so only those are summed; the
    rows off the reference level are summed per candidate and stratum (a
    *group*) from the cells.
    """

    #: largest ``levels x strata`` (the numbering of the cells)
    MAX_CELLS = 1 << 22
    #: most rows (float32 holds every count up to 2^24 exactly)
    MAX_ROWS = 1 << 24

    @classmethod
    def cells(cls, step):
        """The cell of each entry (numbered in the order of ``level x
        n_strata + stratum``) and the cells' ``level x n_strata + stratum``
        (None: more than ``MAX_CELLS`` possible, or more than ``MAX_ROWS``
        rows)."""
        size = step.owner.size * step.margins.shape[0]
        if size > cls.MAX_CELLS or step.strata.size > cls.MAX_ROWS:
            return None
        return _numbered(
            step.level * step.margins.shape[0] + step.strata[step.row], size
        )

    def __init__(self, step, cells):
        (s, t), m, k = step.margins.shape, step.strata.size, step.n_candidates
        cell, cells = cells
        self.counts = np.bincount(cell, minlength=cells.size)
        self.cell_owner, self.cell_strata = step.owner[cells // s], cells % s
        self.cell_rows = _ones(cell, step.row, (cells.size, m))
        self.multi = np.flatnonzero(self.counts > 1)
        self.multi_sum = _summing(self.cell_owner[self.multi], k)
        group, groups = _numbered(self.cell_owner * s + self.cell_strata, k * s)
        self.group_owner, self.group_strata = groups // s, groups % s
        self.group_counts = np.bincount(group, self.counts, groups.size)
        # a group of one row changes N log N in its target's cell alone, by
        # (N - 1) log (N - 1) - N log N of the margin N there
        single = self.group_counts == 1
        lone = np.flatnonzero(single[group])
        entry = np.empty(cells.size, dtype=np.intp)
        entry[cell] = np.arange(cell.size)
        self.single_rows = step.row[entry[lone]]
        self.single_cells = self.cell_strata[lone] * t
        self.single_sum = _summing(self.cell_owner[lone], k)
        margins, xlogx = step.margins.ravel(), step.xlogx
        self.change = xlogx[np.maximum(margins - 1, 0)] - xlogx[margins]
        # the other groups: summed from their cells
        shared = np.flatnonzero(~single[group])
        number = np.cumsum(~single) - 1
        self.sum_cells = _ones(
            number[group[shared]], shared, (np.count_nonzero(~single), cells.size)
        )
        groups = np.flatnonzero(~single)
        self.group_sum = _summing(self.group_owner[groups], k)
        self.margins = step.margins[self.group_strata[groups]]
        # sum_y N(z, y) log N(z, y) of each candidate's groups
        self.margin_terms = (self.group_sum @ xlogx[self.margins]).sum(axis=1)
        self.margin_total = xlogx[margins].sum()
        self.step, self.xlogx = step, xlogx

    def of(self, y):
        """``sum N log N`` of each candidate's table with the targets ``y``
        (one row per permutation), shape ``(n_candidates, b)``."""
        (b, m), t, xlogx = y.shape, self.step.margins.shape[1], self.xlogx
        dense = np.zeros((m, b, t), dtype=np.float32)
        dense[np.arange(m)[:, None], np.arange(b)[None, :], y.T] = 1.0
        # the counts of every cell and target (below 2^24: exact in float32)
        counts = self.cell_rows @ dense.reshape(m, b * t)
        out = self.multi_sum @ xlogx[counts[self.multi].astype(np.intp)]
        off = (self.sum_cells @ counts).astype(np.intp).reshape(-1, b, t)
        off = xlogx[self.margins[:, None, :] - off].reshape(-1, b * t)
        out += self.group_sum @ off
        out = out.reshape(-1, b, t).sum(axis=2) - self.margin_terms[:, None]
        single = self.change[self.single_cells + y[:, self.single_rows]]
        out += self.single_sum @ single.T
        return out + self.margin_total

    def of_data(self, c_z):
        """As :meth:`_SparseTables.of_data`, from the cells."""
        xlogx, k = self.xlogx, self.step.n_candidates
        n_z = self.step.margins.sum(axis=1)
        off = n_z[self.group_strata] - self.group_counts.astype(np.int64)
        # (float even without any entry: bincount of nothing gives integers)
        xz = np.bincount(self.cell_owner, weights=xlogx[self.counts], minlength=k)
        xz = xz.astype(np.float64) + np.bincount(
            self.group_owner,
            weights=xlogx[off] - xlogx[n_z[self.group_strata]],
            minlength=k,
        )
        xz += xlogx[n_z].sum()
        other = np.bincount(self.cell_owner, weights=c_z[self.cell_strata], minlength=k)
        emptied = np.bincount(
            self.group_owner, weights=(off == 0) * c_z[self.group_strata], minlength=k
        )
        return xz, self.of(self.step.target[None, :]), other - emptied
