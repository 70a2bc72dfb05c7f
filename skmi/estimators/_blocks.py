"""Plug-in counts of row blocks: column summaries, codes and count tables.

Plug-in estimates are functions of counts, and counts add over row blocks.
This module holds what one block contributes, with no knowledge of how the
blocks are scheduled (:mod:`skmi.selection._dask_terms` does that):

* :func:`summarize` reads the columns of a block (their range, whether they
  are finite, and their distinct values with their counts while a column has
  at most ``MAX_DISTINCT`` of them); :func:`merge_summaries` adds two.
* :func:`grid_counts` counts the values of continuous columns in the cells
  of a fixed grid over their range (the second pass of the binning).
* :class:`Coding` maps the values of one column to the dense codes the
  in-memory path gives: the rank of a discrete value among the distinct
  values of the whole column, and for a continuous column the code of its
  bin (:func:`~skmi.estimators._plugin.bin_quantile` or
  :func:`~skmi.estimators._plugin.bin_uniform` over all the rows).
* :func:`block_tables` counts a block's contingency tables with
  :func:`~skmi.estimators._plugin.count_tables`; the tables of the blocks
  add up to the tables of the whole data.
* :func:`mutual_info_table` is :func:`~skmi.estimators._plugin.mutual_info_counts`
  (or its chance-adjusted form) from a table instead of codes.

Binning continuous columns
--------------------------
Quantile bins need the rank of every value. When a column has at most
``MAX_DISTINCT`` distinct values the first pass keeps each value with its
count, which gives the ranks, so the codes are exactly those of
``bin_quantile`` on the whole column. Beyond that, the values are counted
in ``GRID_CELLS`` equal cells between the column's minimum and maximum
(the cell of ``x`` is the ``bin_uniform`` code of ``x`` with that many bins),
and the cells are binned as ``bin_quantile`` bins values: the codes are
those of ``bin_quantile`` on the values rounded to their cell (every value
of a cell shares one bin). This is deterministic and needs no sort. Equal
width bins (``strategy="uniform"``) only need the range and are exact.
"""

from dataclasses import dataclass

import numpy as np

from ._chance import expected_mutual_info_margins
from ._codes import code_dtype, factorize
from ._count_tables import count_tables, count_tables_masks, level_masks
from ._plugin import _entropy_from_counts
from ._preprocess import column_block

__all__ = [
    "GRID_CELLS",
    "MAX_DISTINCT",
    "Coding",
    "block_tables",
    "grid_counts",
    "merge_summaries",
    "mutual_info_table",
    "summarize",
]

#: largest number of distinct values a column keeps through the first pass
MAX_DISTINCT = 1 << 16
#: cells of the grid over the range of a continuous column with more values
GRID_CELLS = 1 << 12


# --------------------------------------------------------------------------
# the first pass: ranges and distinct values
# --------------------------------------------------------------------------
@dataclass
class Summary:
    """What the first pass knows about one column of the rows read so far."""

    n: int  #: number of values
    lo: object  #: smallest value (numbers only, else None)
    hi: object  #: largest value (numbers only, else None)
    finite: bool  #: whether every value is a finite number (or not a number)
    values: object  #: sorted distinct values, or None once beyond MAX_DISTINCT
    counts: object  #: the count of each distinct value


def _distinct(values):
    """Sorted distinct values and their counts (integers without sorting)."""
    if values.dtype.kind in "ub" and values.dtype.itemsize == 1:
        counts = np.bincount(values.view(np.uint8), minlength=256)
        present = np.flatnonzero(counts)
        return present.astype(values.dtype), counts[present]
    if values.dtype.kind in "iub" and values.size:
        ints = values.astype(np.int64, copy=False)
        lo, hi = int(ints.min()), int(ints.max())
        if hi - lo < max(values.size, 1 << 16):
            counts = np.bincount(ints - lo, minlength=hi - lo + 1)
            present = np.flatnonzero(counts)
            return (present + lo).astype(values.dtype), counts[present]
    return np.unique(values, return_counts=True)


def summarize(values, keep_values=True):
    """The :class:`Summary` of the 1-D array ``values``.

    Parameters
    ----------
    values : ndarray of shape (n,)
        Numbers (any numeric or boolean dtype) or Python objects.
    keep_values : bool, default=True
        Whether to keep the distinct values (up to ``MAX_DISTINCT``).
    """
    numeric = values.dtype.kind in "biuf"
    lo = hi = None
    finite = True
    if numeric and values.size:
        if values.dtype.kind == "f":
            finite = bool(np.isfinite(values).all())
        if finite:
            lo, hi = values.min(), values.max()
    kept = counts = None
    if keep_values and finite:
        kept, counts = _distinct(values)
        if kept.size > MAX_DISTINCT:
            kept = counts = None
    return Summary(values.size, lo, hi, finite, kept, counts)


def merge_summaries(a, b):
    """The :class:`Summary` of the rows of two summaries of the same column."""
    finite = a.finite and b.finite
    ends = [v for v in (a.lo, b.lo) if v is not None]
    lo = min(ends) if ends and finite else None
    ends = [v for v in (a.hi, b.hi) if v is not None]
    hi = max(ends) if ends and finite else None
    values = counts = None
    if finite and a.values is not None and b.values is not None:
        joined = np.concatenate([a.values, b.values])
        values, inverse = np.unique(joined, return_inverse=True)
        counts = np.bincount(
            inverse.reshape(-1), np.concatenate([a.counts, b.counts]), values.size
        ).astype(np.int64)
        if values.size > MAX_DISTINCT:
            values = counts = None
    return Summary(a.n + b.n, lo, hi, finite, values, counts)


# --------------------------------------------------------------------------
# codes
# --------------------------------------------------------------------------
def _uniform_cells(values, lo, hi, n_cells):
    """The ``bin_uniform`` codes of ``values`` with the range ``[lo, hi]``."""
    x = np.asarray(values, dtype=np.float64)
    if hi <= lo:
        return np.zeros(x.shape[0], dtype=np.int64)
    # (the operations of bin_uniform, in the same order)
    width = hi / 2 - lo / 2
    cells = np.floor((x / 2 - lo / 2) / width * n_cells).astype(np.int64)
    np.clip(cells, 0, n_cells - 1, out=cells)
    return cells


def grid_counts(values, lo, hi, n_cells=GRID_CELLS):
    """Counts of ``values`` in ``n_cells`` equal cells of ``[lo, hi]``."""
    return np.bincount(_uniform_cells(values, lo, hi, n_cells), minlength=n_cells)


def quantile_codes(counts, n_bins):
    """``bin_quantile`` codes of sorted distinct values with these counts.

    The code of a value is ``floor((r - 1/2) n_bins / n)``, ``r`` its average
    rank, computed with the operations of
    :func:`~skmi.estimators._plugin.bin_quantile`, then made dense.
    """
    counts = np.asarray(counts, dtype=np.int64)
    n = int(counts.sum())
    ends = np.cumsum(counts)
    starts = ends - counts
    run_rank = (starts + ends + 1) / 2.0
    codes = np.floor((run_rank - 0.5) * n_bins / n).astype(np.int64)
    return factorize(codes)


@dataclass
class Coding:
    """How the values of one column become dense codes ``0..n_levels-1``.

    ``kind`` is "values" (the code of a value is ``lut[i]``, ``i`` its index
    among the sorted distinct ``values``) or "cells" (``lut[c]``, ``c`` the
    cell of the value among ``n_cells`` equal cells of ``[lo, hi]``).
    """

    kind: str
    n_levels: int
    lut: np.ndarray
    values: object = None
    lo: float = 0.0
    hi: float = 0.0
    n_cells: int = 1

    @classmethod
    def discrete(cls, summary):
        """The codes of the distinct values (their ranks)."""
        k = summary.values.size
        return cls("values", k, np.arange(k), values=summary.values)

    @classmethod
    def quantile_values(cls, summary, n_bins):
        """Exact quantile bins, from the distinct values and their counts."""
        lut, k = quantile_codes(summary.counts, n_bins)
        return cls("values", k, lut, values=summary.values)

    @classmethod
    def uniform_values(cls, summary, n_bins):
        """Exact equal-width bins, from the distinct values."""
        lo, hi = float(summary.lo), float(summary.hi)
        lut, k = factorize(_uniform_cells(summary.values, lo, hi, n_bins))
        return cls("values", k, lut, values=summary.values)

    @classmethod
    def cells(cls, summary, counts, n_bins=None):
        """Bins of the grid cells: quantile bins (``n_bins``) or the cells."""
        present = counts > 0
        if n_bins is None:  # uniform bins: each cell is a bin
            lut = np.cumsum(present) - 1
            k = int(present.sum())
        else:
            lut = np.zeros(counts.size, dtype=np.int64)
            lut[present], k = quantile_codes(counts[present], n_bins)
        lo, hi = float(summary.lo), float(summary.hi)
        return cls("cells", k, lut, lo=lo, hi=hi, n_cells=counts.size)

    def is_identity(self, dtype):
        """Whether values of this unsigned ``dtype`` are their own codes."""
        v = self.values
        return (
            self.kind == "values"
            and np.dtype(dtype).kind in "ub"
            and v.dtype.kind in "ub"
            and v.size > 0
            and int(v[0]) == 0
            and int(v[-1]) == v.size - 1
            and np.array_equal(self.lut, np.arange(v.size))
        )

    def encode(self, values):
        """Dense codes of ``values`` (an array of shape (n,))."""
        if self.kind == "cells":
            return self.lut[_uniform_cells(values, self.lo, self.hi, self.n_cells)]
        v = self.values
        if v.dtype.kind in "iub" and values.dtype.kind in "iub" and v.size:
            lo = int(v[0])
            span = int(v[-1]) - lo + 1
            if self.is_identity(values.dtype):
                return values  # the values are their codes
            if span <= 1 << 20:
                table = np.zeros(span, dtype=np.int64)
                table[v.astype(np.int64) - lo] = self.lut
                return table[values.astype(np.int64) - lo]
        return self.lut[np.searchsorted(v, values)]


def block_columns(block, columns):
    """The ``columns`` of a block as rows.

    A block is a 2-D array, transposed in tiles of rows (far faster than
    copying its columns one by one), or a sequence of 1-D arrays, one per
    column (a data frame's partition as the column reader reads it).
    """
    if isinstance(block, np.ndarray):
        return column_block(block, columns, rows=256)
    return [block[j] for j in columns]


def block_column(block, j):
    """Column ``j`` of a block (see :func:`block_columns`) as a 1-D array."""
    if isinstance(block, np.ndarray):
        return block[:, j]
    return block[j]


def encode_columns(columns, codings):
    """Codes of several columns as the rows of one array.

    Parameters
    ----------
    columns : ndarray of shape (m, n) or sequence of ndarray of shape (n,)
        The values of each column (:func:`block_columns`).
    codings : sequence of Coding

    Returns
    -------
    ndarray of shape (len(columns), n), the smallest unsigned type; the
    input itself when its values are their codes
    """
    k_max = max((c.n_levels for c in codings), default=1)
    dtype = code_dtype(k_max)
    if isinstance(columns, np.ndarray) and columns.dtype == dtype:
        if all(c.is_identity(dtype) for c in codings):
            return columns
    n = columns[0].shape[0] if len(columns) else 0
    out = np.empty((len(columns), n), dtype=dtype)
    for i, (values, coding) in enumerate(zip(columns, codings, strict=True)):
        out[i] = coding.encode(values)
    return out


# --------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------
def block_tables(codes, k_max, w, kw):
    """Count tables of every row of ``codes`` against the codes ``w``.

    :func:`~skmi.estimators._plugin.count_tables` of one block; the tables of
    the blocks add up to those of all the rows.

    Parameters
    ----------
    codes : ndarray of shape (m, n_block), integer
    k_max : int
        An upper bound of the codes, plus one.
    w : ndarray of shape (n_block,), integer
        Codes ``0..kw-1``.
    kw : int

    Returns
    -------
    ndarray of shape (m, k_max, kw), int64
    """
    rows = np.arange(codes.shape[0])
    if hasattr(np, "bitwise_count") and k_max <= 16 and k_max * kw <= 128:
        # few levels: AND and count bitmasks of the samples, as CountTerms does
        masks = level_masks(codes, k_max)
        return count_tables_masks(masks, rows, w, kw)
    return count_tables(codes, rows, k_max, w, kw)


def _ordered_counts(table):
    """The nonzero counts of ``table`` in the order of ``np.bincount``."""
    flat = np.ravel(table)
    return flat[flat > 0]


def mutual_info_table(table, correction=None, adjust=None):
    """Plug-in ``I(X; Y)`` in nats from the table ``table[x, y]`` of counts.

    The value of :func:`~skmi.estimators._plugin.mutual_info_counts` (or of
    ``adjusted_mutual_info_counts`` with ``adjust="chance"``) on codes with
    these counts, with the same operations in the same order, so the two
    are equal to the last bit. As in :class:`~skmi.estimators.PlugIn`, a
    variable with one occupied level gives exactly 0.

    Parameters
    ----------
    table : ndarray of shape (kx, ky), int
        ``kx`` and ``ky`` are the numbers of levels of the codes.
    correction : {None, "miller-madow", "chao-shen", "shrinkage"}
    adjust : {None, "chance"}

    Returns
    -------
    float
    """
    table = np.asarray(table, dtype=np.int64)
    kx, ky = table.shape
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    n = int(rows.sum())
    if n == 0 or np.count_nonzero(rows) < 2 or np.count_nonzero(cols) < 2:
        return 0.0
    if adjust == "chance":
        correction = None
    # the joint code of mutual_info_counts is x + kx * y: y-major order
    value = (
        _entropy_from_counts(_ordered_counts(rows), n, correction, kx)
        + _entropy_from_counts(_ordered_counts(cols), n, correction, ky)
        - _entropy_from_counts(_ordered_counts(table.T), n, correction, kx * ky)
    )
    if adjust == "chance":
        value -= expected_mutual_info_margins(rows, cols)
    return value
