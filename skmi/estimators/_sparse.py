"""Plug-in counts of sparse discrete columns, from their non-zeros only.

A discrete column stored in a CSC matrix has the level ``0`` (the value
zero, on every row that stores nothing) and one level per distinct non-zero
value. Its contingency table with a discrete target is counted from the
stored entries alone: the non-zero levels by one ``np.bincount`` over the
entries of a chunk of columns, and the zero level of each column by
subtraction from the class totals. Work and memory are proportional to the
entries of a chunk plus the size of its tables, never to ``n_samples``
times ``n_columns``; the values equal the dense plug-in count to rounding.

Every function takes clean arrays and returns raw nats (no validation).
"""

from collections.abc import Sequence
from functools import cached_property

import numpy as np

from ._chance import expected_mutual_info_margins, expected_mutual_info_tables
from ._codes import bin_quantile, factorize
from ._count_tables import xlogx_table
from ._variables import Variable

__all__ = [
    "SparseColumns",
    "sparse_candidate_table",
    "sparse_column_codes",
    "sparse_contingency",
    "sparse_levels",
    "sparse_mutual_info",
    "table_terms",
]

#: stored entries handled at once (bounds the working memory of a chunk)
CHUNK_ENTRIES = 1 << 18


def sparse_levels(data, indptr):
    """Level codes of the stored entries of a chunk of CSC columns.

    Parameters
    ----------
    data : ndarray of shape (n_entries,)
        Stored values of the columns, column after column.
    indptr : ndarray of shape (n_columns + 1,)
        Column pointers into ``data``, starting at 0.

    Returns
    -------
    levels : ndarray of shape (n_entries,), int64
        For each stored entry, a code unique to its (column, value) pair
        among the non-zero values of the chunk, in ``0..n_codes-1``; the
        codes of a column are contiguous and sorted by value. Explicitly
        stored zeros get ``-1`` (they belong to the zero level).
    first : ndarray of shape (n_columns,), int64
        Code of the first non-zero level of each column.
    n_nonzero_levels : ndarray of shape (n_columns,), int64
        Number of distinct non-zero values of each column.
    """
    n_columns = indptr.shape[0] - 1
    column_of = np.repeat(np.arange(n_columns), np.diff(indptr))
    nonzero = np.flatnonzero(data != 0)
    values = data[nonzero]
    owners = column_of[nonzero]
    # stable sort by value inside each column (entries are grouped by column)
    order = np.lexsort((values, owners))
    sorted_values = values[order]
    sorted_owners = owners[order]
    new = np.ones(order.shape[0], dtype=bool)
    new[1:] = (sorted_owners[1:] != sorted_owners[:-1]) | (
        sorted_values[1:] != sorted_values[:-1]
    )
    codes = np.cumsum(new) - 1
    levels = np.full(data.shape[0], -1, dtype=np.int64)
    levels[nonzero[order]] = codes
    n_nonzero_levels = np.bincount(sorted_owners[new], minlength=n_columns)
    first = np.cumsum(n_nonzero_levels) - n_nonzero_levels
    return levels, first.astype(np.int64), n_nonzero_levels.astype(np.int64)


def sparse_contingency(levels, rows, first, n_nonzero_levels, y, class_totals):
    """Contingency tables of a chunk of sparse columns with a discrete target.

    Parameters
    ----------
    levels, first, n_nonzero_levels : ndarray
        As returned by :func:`sparse_levels`.
    rows : ndarray of shape (n_entries,)
        Row index of every stored entry.
    y : ndarray of shape (n_samples,), int64
        Codes ``0..n_classes-1`` of the target.
    class_totals : ndarray of shape (n_classes,), int64
        Number of samples of each class.

    Returns
    -------
    nonzero : ndarray of shape (n_codes, n_classes), int64
        Counts of every non-zero level of the chunk per class.
    zero : ndarray of shape (n_columns, n_classes), int64
        Counts of the zero level of every column per class.
    """
    n_classes = class_totals.shape[0]
    n_codes = int(n_nonzero_levels.sum())
    stored = levels >= 0
    cells = levels[stored] * n_classes + y[rows[stored]]
    nonzero = np.bincount(cells, minlength=n_codes * n_classes).reshape(
        n_codes, n_classes
    )
    zero = np.broadcast_to(class_totals, (first.shape[0], n_classes)).copy()
    has = n_nonzero_levels > 0
    if n_codes:
        zero[has] -= np.add.reduceat(nonzero, first[has], axis=0)
    return nonzero, zero


def _sum_per_column(values, first, n_nonzero_levels):
    """Sums of ``values`` over the contiguous non-zero levels of each column."""
    out = np.zeros(first.shape[0])
    has = n_nonzero_levels > 0
    if values.shape[0]:
        out[has] = np.add.reduceat(values, first[has])
    return out


def sparse_mutual_info(
    data, indices, indptr, y, class_totals, xlogx=None, chance=False
):
    """Plug-in ``I(X_k; Y)`` of every column of a CSC matrix, in nats.

    Parameters
    ----------
    data, indices, indptr : ndarray
        The CSC arrays of the discrete columns (``indptr[0]`` may be
        non-zero: a slice of a larger matrix).
    y : ndarray of shape (n_samples,), int64
        Codes ``0..n_classes-1`` of the discrete target.
    class_totals : ndarray of shape (n_classes,), int64
        Number of samples of each class.
    xlogx : ndarray or None
        ``c log c`` for ``c = 0..n_samples`` (:func:`xlogx_table`), shared
        between calls.
    chance : bool
        Subtract the expectation of each estimate under independence with
        the observed margins (:func:`expected_mutual_info_tables`); columns
        with the same level totals share one computation.

    Returns
    -------
    mi : ndarray of shape (n_columns,)
        Plug-in estimates, equal to the dense count to rounding.
    n_levels : ndarray of shape (n_columns,), int64
        Number of occupied levels of each column (the zero level counts
        when some row of the column is zero).
    """
    n = int(class_totals.sum())
    if xlogx is None:
        xlogx = xlogx_table(n)
    n_columns = indptr.shape[0] - 1
    mi = np.empty(n_columns)
    n_levels = np.empty(n_columns, dtype=np.int64)
    s_y = xlogx[class_totals].sum()
    expected = {}
    for start, stop, lo, hi in _chunks(indptr):
        ptr = indptr[start : stop + 1] - lo
        levels, first, n_nz = sparse_levels(data[lo:hi], ptr)
        nonzero, zero = sparse_contingency(
            levels, indices[lo:hi], first, n_nz, y, class_totals
        )
        zero_totals = zero.sum(axis=1)
        s_xy = _sum_per_column(xlogx[nonzero].sum(axis=1), first, n_nz)
        s_xy += xlogx[zero].sum(axis=1)
        s_x = _sum_per_column(xlogx[nonzero.sum(axis=1)], first, n_nz)
        s_x += xlogx[zero_totals]
        mi[start:stop] = (s_xy - s_x - s_y) / n + np.log(n)
        n_levels[start:stop] = n_nz + (zero_totals > 0)
        if chance:
            level_totals = nonzero.sum(axis=1)
            for i in range(stop - start):
                totals = np.sort(
                    np.r_[level_totals[first[i] : first[i] + n_nz[i]], zero_totals[i]]
                )
                key = totals.tobytes()
                if key not in expected:
                    expected[key] = expected_mutual_info_margins(totals, class_totals)
                mi[start + i] -= expected[key]
    return mi, n_levels


def _chunks(indptr, budget=None):
    """Contiguous chunks of columns of about ``budget`` stored entries.

    Yields ``(start, stop, lo, hi)``: columns ``start..stop-1``, stored in
    ``lo..hi-1``; a chunk holds at least one column.
    """
    budget = CHUNK_ENTRIES if budget is None else budget
    n_columns = indptr.shape[0] - 1
    start = 0
    while start < n_columns:
        limit = indptr[start] + budget
        stop = int(np.searchsorted(indptr, limit, side="right")) - 1
        stop = min(max(stop, start + 1), n_columns)
        yield start, stop, int(indptr[start]), int(indptr[stop])
        start = stop


def sparse_column_codes(data, indices, n_samples):
    """Dense codes of one sparse discrete column (0 for the zero level).

    Parameters
    ----------
    data, indices : ndarray
        Stored values and their rows.
    n_samples : int
        Length of the column.

    Returns
    -------
    codes : ndarray of shape (n_samples,), int64
        ``0`` for zero values, ``1..L`` for the sorted distinct non-zero
        values (not necessarily dense when the column has no zero).
    n_levels : int
        ``L + 1``.
    """
    codes = np.zeros(n_samples, dtype=np.int64)
    nonzero = data != 0
    uniques, inverse = np.unique(data[nonzero], return_inverse=True)
    codes[indices[nonzero]] = inverse.reshape(-1) + 1
    return codes, int(uniques.shape[0]) + 1


def sparse_candidate_table(data, indices, z, kz, y, ky, base_table):
    """Three-way table of a sparse candidate ``X``, a dense ``Z`` and ``Y``.

    Parameters
    ----------
    data, indices : ndarray
        Stored values and rows of the candidate column.
    z : ndarray of shape (n_samples,), int64
        Codes ``0..kz-1`` of the conditioning (selected) variable.
    y : ndarray of shape (n_samples,), int64
        Codes ``0..ky-1`` of the target.
    base_table : ndarray of shape (kz, ky), int64
        Counts of ``(Z, Y)`` over all samples (shared by every candidate).

    Returns
    -------
    table : ndarray of shape (n_x_levels, kz, ky), int64
        Counts of ``(X, Z, Y)``; level 0 of ``X`` is the value zero, counted
        by subtraction from ``base_table``.
    """
    nonzero = data != 0
    rows = indices[nonzero]
    uniques, inverse = np.unique(data[nonzero], return_inverse=True)
    kx = uniques.shape[0] + 1
    cells = ((inverse.reshape(-1) + 1) * kz + z[rows]) * ky + y[rows]
    table = np.bincount(cells, minlength=kx * kz * ky).reshape(kx, kz, ky)
    table[0] = base_table - table[1:].sum(axis=0)
    return table


def table_terms(table, xlogx, n, chance=False, needs=None, expected=None):
    """The pairwise terms of forward selection from a ``(X, Z, Y)`` table.

    Parameters
    ----------
    table : ndarray of shape (kx, kz, ky), int64
        Joint counts.
    xlogx : ndarray
        ``c log c`` for ``c = 0..n``.
    n : int
        Number of samples.
    chance : bool
        Subtract from each information its expectation under independence
        with the observed margins (within each level of the conditioning
        variable for conditional information).
    needs : sequence of str or None
        The terms whose expectation is needed (None: all).
    expected : dict or None
        Expectations already computed, by term and margins (shared between
        candidates: many sparse columns have the same margins).

    Returns
    -------
    dict
        The terms of :mod:`skmi.selection._criteria`, in nats: ``"joint"``
        ``I(X, Z; Y)``, ``"red"`` ``I(X; Z)``, ``"cred"`` ``I(X; Z | Y)``,
        ``"crel"`` and ``"cmi"`` ``I(X; Y | Z)``, ``"hjoint"`` ``H(X, Z, Y)``.
    """

    def s(counts):
        return float(xlogx[counts].sum())

    s_xzy = s(table)
    s_xz, s_xy, s_zy = s(table.sum(2)), s(table.sum(1)), s(table.sum(0))
    s_x, s_z, s_y = s(table.sum((1, 2))), s(table.sum((0, 2))), s(table.sum((0, 1)))
    log_n = np.log(n)
    cmi = (s_xzy + s_z - s_xz - s_zy) / n
    terms = {
        "joint": (s_xzy - s_xz - s_y) / n + log_n,
        "red": (s_xz - s_x - s_z) / n + log_n,
        "cred": (s_xzy + s_y - s_xy - s_zy) / n,
        "cmi": cmi,
        "hjoint": log_n - s_xzy / n,
    }
    if chance:
        kx, kz, ky = table.shape
        strata = {
            "joint": lambda: table.reshape(1, kx * kz, ky),
            "red": lambda: table.sum(axis=2)[None],
            "cred": lambda: table.transpose(2, 0, 1),
            "cmi": lambda: table.transpose(1, 0, 2),
        }
        wanted = {"crel" if name == "cmi" else name for name in strata}
        if needs is not None:
            wanted = {"cmi" if name == "crel" else name for name in needs}
        for name in wanted & strata.keys():
            tables = strata[name]()
            terms[name] -= _cached_expectation(tables, name, expected)
    terms["crel"] = terms["cmi"]
    return terms


def _cached_expectation(tables, name, cache):
    """:func:`expected_mutual_info_tables`, looked up by the tables' margins."""
    if cache is None:
        return expected_mutual_info_tables(tables)
    rows, columns = tables.sum(axis=2), tables.sum(axis=1)
    key = (name, rows.shape, rows.tobytes(), columns.tobytes())
    if key not in cache:
        cache[key] = expected_mutual_info_tables(tables)
    return cache[key]


class SparseColumns(Sequence):
    """The columns of a CSC matrix, prepared one at a time.

    A sequence of :class:`Variable` whose items are built on demand from the
    stored entries (the codes or values of one column at a time), so a fit
    keeps the sparse matrix and never a dense copy of it. Kernels that know
    the layout (:meth:`mutual_info`) count the discrete columns straight from
    the stored entries.

    Parameters
    ----------
    X : sparse matrix or array of shape (n_samples, n_columns), CSC
        Validated columns.
    continuous : ndarray of shape (n_columns,), bool, or None
        Which columns are continuous (None: none).
    prepare_continuous : callable or None
        ``prepare_continuous(data, rows, n_samples, seed) -> Variable``, the
        estimator's preparation of one continuous column from its stored
        entries.
    seeds : ndarray of shape (n_columns,) or None
        Seed of each continuous column's tie-breaking noise, drawn before
        any parallel work.
    """

    def __init__(self, X, continuous=None, prepare_continuous=None, seeds=None):
        self.X = X
        self.n_samples = int(X.shape[0])
        self.continuous = (
            np.zeros(X.shape[1], dtype=bool) if continuous is None else continuous
        )
        self.prepare_continuous = prepare_continuous
        self.seeds = seeds

    @property
    def all_discrete(self):
        return not self.continuous.any()

    def __len__(self):
        return int(self.X.shape[1])

    def entries(self, j):
        """Stored values and rows of column ``j``."""
        lo, hi = self.X.indptr[j], self.X.indptr[j + 1]
        return self.X.data[lo:hi], self.X.indices[lo:hi]

    def _like(self, X, index=slice(None)):
        seeds = None if self.seeds is None else self.seeds[index]
        return SparseColumns(X, self.continuous[index], self.prepare_continuous, seeds)

    def take(self, rows):
        """The columns restricted to the samples ``rows``, still sparse."""
        return self._like(self.X[np.asarray(rows, dtype=np.intp)])

    def subset(self, index):
        """The columns ``index`` (a sequence of column numbers), still sparse."""
        index = np.asarray(index, dtype=np.intp)
        return self._like(self.X[:, index], index)

    def binned(self, j, n_bins):
        """Codes of column ``j`` with its non-zero values in ``n_bins`` bins.

        The zero level stays a level of its own; the non-zero values are cut
        into equal-frequency bins (equal values share a bin), so a sparse
        continuous column is seen as what it mostly carries: whether an entry
        is present, and roughly how large it is.

        Returns
        -------
        Variable
            Dense codes ``0..L-1`` (the zero level first when present).
        """
        data, rows = self.entries(int(j))
        nonzero = data != 0
        codes = np.zeros(self.n_samples, dtype=np.int64)
        if nonzero.any():
            bins, _ = bin_quantile(data[nonzero], n_bins)
            codes[rows[nonzero]] = bins + 1
        codes, n_levels = factorize(codes)
        return Variable(codes=codes, n_levels=n_levels)

    def level_counts(self, j):
        """Sorted counts of the occupied levels of column ``j`` (O(entries))."""
        data, _ = self.entries(int(j))
        _, counts = np.unique(data[data != 0], return_counts=True)
        n_zero = self.n_samples - int(counts.sum())
        return np.sort(np.r_[counts, n_zero] if n_zero else counts)

    def __getitem__(self, j):
        if isinstance(j, slice):
            return [self[i] for i in range(*j.indices(len(self)))]
        data, rows = self.entries(int(j))
        if self.continuous[j]:
            return self.prepare_continuous(data, rows, self.n_samples, self.seeds[j])
        codes, n_levels = sparse_column_codes(data, rows, self.n_samples)
        if np.count_nonzero(data) == self.n_samples:
            codes -= 1  # no zero in the column: levels 1..L become 0..L-1
            n_levels -= 1
        return Variable(codes=codes, n_levels=n_levels)

    def mutual_info(self, target, columns=None, chance=False):
        """Plug-in ``I(X_k; Y)`` of the columns with a discrete target.

        Parameters
        ----------
        target : Variable
            A discrete target.
        columns : slice or None
            Contiguous range of columns (None: all).
        chance : bool
            Adjust each estimate for chance (see :func:`sparse_mutual_info`).

        Returns
        -------
        ndarray
        """
        start, stop, _ = (columns or slice(None)).indices(len(self))
        indptr = self.X.indptr[start : stop + 1]
        mi, n_levels = sparse_mutual_info(
            self.X.data,
            self.X.indices,
            indptr,
            target.codes,
            target.level_counts,
            chance=chance,
        )
        return mi

    @cached_property
    def n_nonzero(self):
        """Number of non-zero values of every column (stored zeros aside)."""
        owners = np.repeat(np.arange(len(self)), np.diff(self.X.indptr))
        return np.bincount(owners[self.X.data != 0], minlength=len(self))

    @cached_property
    def n_levels(self):
        """Number of occupied levels of every column (zero included if present)."""
        out = np.empty(len(self), dtype=np.int64)
        for start, stop, lo, hi in _chunks(self.X.indptr):
            data = self.X.data[lo:hi]
            ptr = self.X.indptr[start : stop + 1] - lo
            _, _, n_nz = sparse_levels(data, ptr)
            out[start:stop] = n_nz
        return out + (self.n_nonzero < self.n_samples)
