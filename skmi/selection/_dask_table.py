"""A Dask array or data frame read block by block into plug-in count tables.

:class:`BlockTable` holds the row blocks of ``X`` and ``y`` as Dask tasks,
never the data. Every quantity is a sum over the blocks of what
:mod:`skmi.estimators._blocks` counts in one block, reduced by a tree of
additions and computed on whatever scheduler is active (threads by default,
processes, or a ``distributed.Client``): the blocks are read as the tasks
run, a few at a time, so an array larger than memory (a ``numpy.memmap``,
an on-disk store wrapped in ``dask.array``) is counted at the memory of a
few blocks.

Passes over the data:

1. :meth:`BlockTable.__init__` reads every column once for its range, its
   distinct values and their counts (which decide the discrete columns and
   give the exact quantile bins of columns with at most
   :data:`~skmi.estimators._blocks.MAX_DISTINCT` values);
2. only when a continuous column has more distinct values: its counts in
   the cells of a grid over its range (see :mod:`skmi.estimators._blocks`);
3. then one pass for the tables of the columns with the target, and one per
   request of :meth:`BlockTable.tables` (one per forward step).
"""

import numpy as np

from ..estimators._blocks import (
    GRID_CELLS,
    MAX_DISTINCT,
    Coding,
    block_column,
    block_columns,
    block_tables,
    encode_columns,
    grid_counts,
    merge_summaries,
    summarize,
)

__all__ = ["BlockTable", "dask_modules", "is_dask_collection"]

#: most distinct values of a numeric column read as discrete by "auto"
MAX_AUTO_LEVELS = 20
#: blocks combined by one task of the reduction tree
_FAN_IN = 8


def is_dask_collection(obj):
    """Whether ``obj`` is a Dask collection (dask is not imported to tell)."""
    import sys

    if "dask" not in sys.modules:
        return False
    return bool(sys.modules["dask"].is_dask_collection(obj))


def dask_modules():
    """``(dask, dask.array)``, or an ImportError that names the extra."""
    try:
        import dask
        import dask.array as da
    except ImportError as exc:  # pragma: no cover - dask is a test dependency
        raise ImportError(
            'Dask input needs dask: install the extra with pip install "skmi[dask]".'
        ) from exc
    return dask, da


# --------------------------------------------------------------------------
# the columns of a block
# --------------------------------------------------------------------------
def _frame_values(read, partition):
    """A data frame partition as one array per column, read by ``read``."""
    return [values for values, _ in read(partition)]


def _vector(block):
    """A target block (ndarray or pandas Series) as an array."""
    if isinstance(block, np.ndarray):
        return block.reshape(-1)
    values = block.to_numpy()
    if values.dtype == object:
        import pandas as pd

        if pd.isna(values).any():
            raise ValueError(
                "The target y holds missing values: drop those samples or give "
                "them a class of their own."
            )
    return values


# --------------------------------------------------------------------------
# what one block contributes (module functions: shipped to the workers)
# --------------------------------------------------------------------------
def _summaries(xb, yb):
    columns = block_columns(xb, np.arange(_n_columns(xb)))
    return [summarize(values) for values in columns], summarize(_vector(yb))


def _merge_summary_lists(*parts):
    xs, ys = parts[0]
    for other_x, other_y in parts[1:]:
        xs = [merge_summaries(a, b) for a, b in zip(xs, other_x, strict=True)]
        ys = merge_summaries(ys, other_y)
    return xs, ys


def _grid(xb, yb, columns, ranges, n_cells):
    return [
        grid_counts(block_column(xb, j), lo, hi, n)
        for j, (lo, hi), n in zip(columns, ranges, n_cells, strict=True)
    ]


def _add_lists(*parts):
    return [sum(items) for items in zip(*parts, strict=True)]


def _conditioning_codes(xb, n, codings, chain):
    """Codes of the conditioning variable: a column, then ``lut[x, z]`` folds."""
    if not chain:
        return np.zeros(n, dtype=np.int64), 1
    j, _ = chain[0]
    z = np.asarray(codings[j].encode(block_column(xb, j)), dtype=np.int64)
    kz = codings[j].n_levels
    for j, lut in chain[1:]:
        x = np.asarray(codings[j].encode(block_column(xb, j)), dtype=np.int64)
        z = lut[x, z]
        kz = int(lut.max()) + 1
    return z, kz


def _step_tables(xb, yb, codings, y_coding, rows, chain, k_max, with_y):
    """Tables of the columns ``rows`` against ``(Z, Y)`` (or ``Z``) in one block.

    Returns the tables (len(rows), k_max, kw) and the counts of ``w``.
    """
    y = np.asarray(y_coding.encode(_vector(yb)), dtype=np.int64)
    z, kz = _conditioning_codes(xb, y.size, codings, chain)
    ky = y_coding.n_levels if with_y else 1
    w = z * ky + y if with_y else z
    kw = kz * ky
    codes = encode_columns(block_columns(xb, rows), [codings[j] for j in rows])
    return [block_tables(codes, k_max, w, kw), np.bincount(w, minlength=kw)]


def _permuted_tables(xb, y_codes, codings, rows, k_max, ky):
    """Tables of the columns ``rows`` against given target codes (permuted)."""
    codes = encode_columns(block_columns(xb, rows), [codings[j] for j in rows])
    return [block_tables(codes, k_max, np.asarray(y_codes, np.int64), ky)]


def _n_columns(xb):
    return xb.shape[1] if isinstance(xb, np.ndarray) else len(xb)


def _n_rows(xb, yb):
    return xb.shape[0] if isinstance(xb, np.ndarray) else len(yb)


def _tree(dask, parts, combine):
    """One delayed value: the parts combined by a tree of ``_FAN_IN``-way tasks."""
    delayed = dask.delayed(combine, pure=True)
    while len(parts) > 1:
        parts = [
            delayed(*parts[i : i + _FAN_IN])
            if len(parts[i : i + _FAN_IN]) > 1
            else parts[i]
            for i in range(0, len(parts), _FAN_IN)
        ]
    return parts[0]


# --------------------------------------------------------------------------
# the table
# --------------------------------------------------------------------------
class BlockTable:
    """The coded columns of a Dask ``X`` and target ``y``, counted block by block.

    Parameters
    ----------
    X : dask.array.Array of shape (n_samples, n_features) or dask DataFrame
    y : dask.array.Array, dask Series or ndarray of shape (n_samples,)
    discrete_mask : callable
        ``discrete_mask(auto)``: the boolean mask of the discrete columns,
        given the mask that the rules of ``discrete_features="auto"`` give.
    discrete_target : "auto" or bool
    n_bins : callable
        ``n_bins(n_samples)``: the number of bins of continuous columns.
    strategy : {"quantile", "uniform"}
    read_frame : callable
        ``read_frame(partition)``: ``[(values, kind), ...]`` of the columns
        of a pandas partition of a Dask data frame (the column reader of
        in-memory frames); ``kind`` is "category", "integer" or "float".
    """

    def __init__(
        self, X, y, discrete_mask, discrete_target, n_bins, strategy, read_frame
    ):
        self.read_frame = read_frame
        self.dask, da = dask_modules()
        self._block_rows = None
        self._blocks(X, y, da)
        xs, ys = self.dask.compute(
            _tree(
                self.dask,
                self._per_block(_summaries),
                _merge_summary_lists,
            )
        )[0]
        self.n = int(ys.n)
        for j, s in enumerate(xs):
            if not s.finite:
                raise ValueError(
                    f"Column {self.names[j]!r} of X holds NaN or infinite values: "
                    "drop or impute them before fitting."
                )
        if not ys.finite:
            raise ValueError("The target y holds NaN or infinite values.")
        auto = np.array(
            [
                kind == "category"
                or (
                    kind == "integer"
                    and s.values is not None
                    and s.values.size <= MAX_AUTO_LEVELS
                )
                for kind, s in zip(self.kinds, xs, strict=True)
            ],
            dtype=bool,
        )
        self.discrete = np.asarray(discrete_mask(auto), dtype=bool)
        self.target_discrete = self._target_kind(ys, discrete_target)
        self.n_bins = n_bins(self.n)
        self.strategy = strategy
        summaries = list(xs) + [ys]
        kinds = [*self.discrete, self.target_discrete]
        names = [*self.names, "y"]
        codings = [
            self._coding(s, d, name)
            for s, d, name in zip(summaries, kinds, names, strict=True)
        ]
        self._grid_pass(summaries, codings)
        self.codings, self.y_coding = codings[:-1], codings[-1]
        self.n_levels = np.array([c.n_levels for c in self.codings], dtype=np.int64)
        self.ky = self.y_coding.n_levels
        self.level_counts = None  # set by the first call of tables()

    # -- reading ---------------------------------------------------------
    def _blocks(self, X, y, da):
        """The delayed row blocks of X and y, aligned."""
        if hasattr(X, "divisions"):  # a data frame
            self.names = [str(c) for c in X.columns]
            self.column_names = list(X.columns)
            self.kinds = [kind for _, kind in self.read_frame(X._meta)]
            read = self.dask.delayed(_frame_values, pure=True)
            self.x_blocks = [read(self.read_frame, p) for p in X.to_delayed()]
            if hasattr(y, "divisions"):
                if y.npartitions != X.npartitions:
                    raise ValueError(
                        f"y has {y.npartitions} partitions and X {X.npartitions}: "
                        "give them the same partitions (y a column of X's frame, "
                        "say)."
                    )
                self.y_blocks = list(y.to_delayed())
                return
            lengths = self.dask.compute(
                *[self.dask.delayed(len)(b) for b in self.x_blocks]
            )
            self._y_by_rows(y, np.asarray(lengths), da)
            return
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D; got a Dask array of shape {X.shape}.")
        if any(np.isnan(c) for c in X.chunks[0]):
            X = X.compute_chunk_sizes()
        if X.numblocks[1] > 1:
            X = X.rechunk({1: -1})  # the rows of a block hold every column
        self.names = [str(j) for j in range(X.shape[1])]
        self.column_names = None
        kind = X.dtype.kind
        if kind not in "biufOUS":
            raise ValueError(f"X of dtype {X.dtype} cannot be read: give numbers.")
        self.kinds = [
            "category" if kind in "bOUS" else "integer" if kind in "iu" else "float"
        ] * X.shape[1]
        self.x_blocks = list(X.to_delayed()[:, 0])
        if hasattr(y, "divisions"):
            y = y.to_dask_array(lengths=True)
        self._y_by_rows(y, np.asarray(X.chunks[0]), da)

    def _y_by_rows(self, y, lengths, da):
        n = int(lengths.sum())
        if len(y) != n if not hasattr(y, "chunks") else y.shape[0] != n:
            raise ValueError(
                f"Found input variables with inconsistent numbers of samples: "
                f"[{n}, {y.shape[0]}]."
            )
        if hasattr(y, "chunks") and hasattr(y, "dask"):
            if y.ndim != 1:
                raise ValueError("y must be 1-D.")
            self.y_blocks = list(
                y.rechunk((tuple(int(v) for v in lengths),)).to_delayed()
            )
            return
        y = np.asarray(y).reshape(-1)
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        self.y_blocks = [y[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]

    def _per_block(self, function, *args, y_blocks=None):
        """One delayed call of ``function(x_block, y_block, *args)`` per block."""
        delayed = self.dask.delayed
        # each argument one task shared by the blocks, neither hashed nor
        # traversed (the codings of many columns would take long to do so)
        shared = [
            a if np.isscalar(a) else delayed(a, pure=False, traverse=False)
            for a in args
        ]
        call = delayed(function, pure=True)
        y_blocks = self.y_blocks if y_blocks is None else y_blocks
        return [
            call(xb, yb, *shared)
            for xb, yb in zip(self.x_blocks, y_blocks, strict=True)
        ]

    def _sum(self, function, *args, y_blocks=None):
        parts = self._per_block(function, *args, y_blocks=y_blocks)
        return self.dask.compute(_tree(self.dask, parts, _add_lists))[0]

    # -- coding ----------------------------------------------------------
    def _target_kind(self, s, discrete_target):
        if not isinstance(discrete_target, str):
            return bool(discrete_target)
        if s.values is None:
            return False
        if s.values.dtype.kind in "fc":
            if not np.array_equal(s.values, np.round(s.values)):
                return False
        return s.values.dtype.kind not in "iufc" or s.values.size <= max(
            MAX_AUTO_LEVELS, self.n // 5
        )

    def _coding(self, summary, discrete, name):
        if discrete:
            if summary.values is None:
                raise ValueError(
                    f"Column {name!r} is marked discrete and has more than "
                    f"{MAX_DISTINCT} distinct values, more than Dask input codes: "
                    "mark it continuous (it is then binned) or recode it."
                )
            return Coding.discrete(summary)
        if summary.lo is None:
            raise ValueError(
                f"Column {name!r} holds categories and is marked continuous: mark "
                "it discrete (discrete_features)."
            )
        if summary.values is None:
            return None  # binned on a grid: the second pass
        if self.strategy == "quantile":
            return Coding.quantile_values(summary, self.n_bins)
        return Coding.uniform_values(summary, self.n_bins)

    def _grid_pass(self, summaries, codings):
        """Codings of the continuous columns with many values, from a grid."""
        missing = [i for i, c in enumerate(codings) if c is None]
        if not missing:
            return
        quantile = self.strategy == "quantile"
        n_cells = [GRID_CELLS if quantile else self.n_bins] * len(missing)
        ranges = [(float(summaries[i].lo), float(summaries[i].hi)) for i in missing]
        in_x = [i for i in missing if i < len(self.names)]
        counts = (
            self._sum(_grid, in_x, ranges[: len(in_x)], n_cells[: len(in_x)])
            if in_x
            else []
        )
        if len(in_x) < len(missing):  # the target: the grid of its own block
            counts = list(counts) + self._target_grid(ranges[-1], n_cells[-1])
        for i, c in zip(missing, counts, strict=True):
            codings[i] = Coding.cells(
                summaries[i], c, self.n_bins if quantile else None
            )

    def _target_grid(self, lo_hi, n_cells):
        def grid(xb, yb, lo, hi, n):
            return [grid_counts(_vector(yb), lo, hi, n)]

        return self._sum(grid, lo_hi[0], lo_hi[1], n_cells)

    # -- counting --------------------------------------------------------
    def tables(self, rows, chain=(), kz=1, with_y=True, k_max=None):
        """Tables of the columns ``rows`` against ``(Z, Y)``: one pass.

        Parameters
        ----------
        rows : ndarray of int
        chain : sequence of (int, ndarray or None)
            The conditioning variable ``Z``: the first column's codes, then
            for each next ``(j, lut)``, ``lut[x_j, z]``. Empty: ``Z = 0``.
        kz : int
            Number of levels of ``Z``.
        with_y : bool
        k_max : int or None
            Levels of the tables' second axis (default: the largest of the
            rows).

        Returns
        -------
        tables : ndarray of shape (len(rows), k_max, kz, ky) (ky = 1 without y)
        w_counts : ndarray of shape (kz * ky,)
            Counts of the joint values of ``(Z, Y)``.
        """
        rows = np.asarray(rows, dtype=np.intp)
        if k_max is None:
            k_max = int(self.n_levels[rows].max()) if rows.size else 1
        tables, w_counts = self._sum(
            _step_tables,
            self.codings,
            self.y_coding,
            rows,
            tuple(chain),
            int(k_max),
            bool(with_y),
        )
        ky = self.ky if with_y else 1
        return tables.reshape(rows.size, k_max, kz, ky), w_counts

    def target_codes(self):
        """The codes of the target, in memory (for permutation tests)."""

        def codes(xb, yb, coding):
            return [coding.encode(_vector(yb))]

        parts = self._per_block(codes, self.y_coding)
        out = self.dask.compute(*parts)
        return np.concatenate([p[0] for p in out]).astype(np.int64)

    def permuted_tables(self, rows, y_codes, k_max):
        """Tables of the columns ``rows`` against the target codes ``y_codes``."""
        bounds = np.concatenate([[0], np.cumsum(self._lengths())])
        blocks = [y_codes[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        return self._sum(
            _permuted_tables,
            self.codings,
            np.asarray(rows),
            int(k_max),
            self.ky,
            y_blocks=blocks,
        )[0]

    def _lengths(self):
        """Number of rows of each block."""
        if self._block_rows is None:
            parts = self._per_block(_n_rows)
            self._block_rows = [int(v) for v in self.dask.compute(*parts)]
        return self._block_rows
