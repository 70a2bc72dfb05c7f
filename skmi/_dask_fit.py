"""Fitting the selectors and the drop-ins on Dask arrays and data frames.

The selectors route Dask input here (``fit`` checks
:func:`~skmi.selection._dask_table.is_dask_collection`, which does not import
dask); in-memory input never imports this module. Plug-in estimates are
counted block by block on the active Dask scheduler (see
:mod:`skmi.selection._dask_terms`); k-NN estimates need every row at once
and raise an error that says what to do instead.
"""

import warnings

import numpy as np
from sklearn.utils import check_random_state

from ._columns import _frame_columns, _UnreadableColumn
from ._inputs import FitInputs, _warn_about_columns, resolve_estimator
from .estimators import PlugIn
from .estimators._preprocess import make_discrete_mask
from .selection._dask_table import BlockTable, dask_modules
from .selection._dask_terms import DaskCountRunner, dask_forward_select, dask_relevance
from .selection._forward import ForwardResult

__all__ = [
    "from_memmap",
    "fit_conditional_dask",
    "fit_mutual_info_dask",
    "mutual_info_dask",
    "sample_rows",
]


def _plug_in(estimator):
    """The estimator to count with, or the error of a k-NN estimator."""
    est = resolve_estimator(estimator)
    if not isinstance(est, PlugIn):
        raise ValueError(
            f"estimator={est!r} estimates by k nearest neighbours, which needs "
            "every row in memory at once, and X is a Dask collection. Use "
            "estimator=PlugIn() to count block by block (continuous columns "
            "are binned), or fit on a subsample held in memory: "
            "X_small, y_small = skmi.sample_rows(X, y, n_samples=100_000, "
            "random_state=0)."
        )
    return est


def read_frame(frame):
    """``[(values, kind), ...]`` of the columns of a pandas partition.

    The column reader of in-memory data frames (:mod:`skmi._columns`) reads
    each partition, so a Dask data frame's columns mean what they mean in
    memory: ``kind`` is "category" (strings, categoricals, booleans),
    "integer" or "continuous" (numbers, dates and durations as seconds).
    """
    try:
        columns = _frame_columns(frame)
    except _UnreadableColumn as exc:
        raise ValueError(str(exc)) from None
    kinds = {"boolean": "category", "continuous": "float"}
    return [(values, kinds.get(kind, kind)) for _, values, kind in columns]


def _table(owner, X, y, est, discrete_features, discrete_target):
    """The :class:`BlockTable` of ``X`` and ``y``; sets the feature names."""
    n_features = len(X.columns) if hasattr(X, "divisions") else X.shape[1]

    def mask(auto):
        if isinstance(discrete_features, str) and discrete_features == "auto":
            return auto
        return make_discrete_mask(discrete_features, n_features)

    table = BlockTable(
        X, y, mask, discrete_target, est._n_bins, est.strategy == "quantile", read_frame
    )
    if owner is not None:
        owner.n_features_in_ = n_features
        names = table.column_names
        if names is not None and all(isinstance(c, str) for c in names):
            owner.feature_names_in_ = np.asarray(names, dtype=object)
        elif hasattr(owner, "feature_names_in_"):
            del owner.feature_names_in_
    return table


def _warn(owner, table, est):
    """The warnings of an in-memory fit about constant and identifier-like columns."""
    n_levels = table.n_levels
    constant = n_levels == 1
    id_like = np.flatnonzero(table.discrete & (2 * n_levels > table.n))
    fi = FitInputs(
        np.empty((table.n, 0)),
        None,
        None,
        _Target(table),
        table.discrete,
        table.target_discrete,
        est,
        None,
        constant,
        id_like,
    )
    _warn_about_columns(owner, fi)
    return fi


class _Target:
    """What the warnings read of a target: its number of samples and levels."""

    def __init__(self, table):
        self.n_samples = table.n
        self.is_constant = table.ky == 1


def fit_mutual_info_dask(selector, X, y, test):
    """``MutualInfoSelector.fit`` on Dask input (its parameters validated)."""
    est = _plug_in(selector.estimator)
    table = _table(
        selector, X, y, est, selector.discrete_features, selector.discrete_target
    )
    fi = _warn(selector, table, est)
    own_seed = getattr(est, "random_state", None)
    rng = check_random_state(selector.random_state if own_seed is None else own_seed)
    n_features = table.n_levels.size
    rules = (selector.percentile, selector.threshold, selector.alpha)
    if (
        all(r is None for r in rules)
        and selector.k != "all"
        and selector.k > n_features
    ):
        warnings.warn(
            f"k={selector.k} is greater than n_features={n_features}. All the "
            "features will be returned.",
            UserWarning,
            stacklevel=4,
        )
    n_fallback = selector._fallback_permutations(n_features)
    raw, pvalues, permuted = dask_relevance(
        table,
        correction=est.correction,
        adjust="chance" if est._chance() else None,
        test=test,
        n_permutations=selector.n_permutations if test == "permutation" else n_fallback,
        rng=rng,
    )
    if permuted is not None and permuted.any():
        selector._warn_sparse_tables(permuted, n_fallback)
        selector._warn_unattainable(n_fallback, n_features)
    if test == "permutation":
        selector._warn_unattainable(selector.n_permutations, n_features)
    selector.scores_ = np.maximum(raw, 0.0)
    selector._constant = fi.constant
    selector._nothing_to_select = fi.target_constant
    selector._pvalues = pvalues
    selector._pvalue_inputs = None
    selector.discrete_features_ = table.discrete
    selector.discrete_target_ = table.target_discrete
    selector.estimator_ = est
    return selector


def _n_to_select(selector, n_features):
    """The selector's number of features; "auto" needs ``tol`` on Dask input."""
    if selector.n_features_to_select == "auto" and selector.tol is None:
        raise ValueError(
            'n_features_to_select="auto" without tol stops by a permutation test '
            "of each step, which needs the rows in memory; X is a Dask "
            "collection. Give an int n_features_to_select, or tol (the smallest "
            "gain in nats)."
        )
    return selector._n_to_select(n_features)


def fit_conditional_dask(selector, X, y):
    """``ConditionalMutualInfoSelector.fit`` on Dask input (parameters validated)."""
    estimator = selector.estimator
    if estimator is None and selector.criterion == "disr":
        estimator = PlugIn()
    est = _plug_in(estimator)
    if est._table_counting() is None:
        raise ValueError(
            f"PlugIn(correction={est.correction!r}): forward selection on Dask "
            "input counts uncorrected plug-in terms; use PlugIn(correction=None)."
        )
    if selector.interactions not in ("auto", 1):
        raise ValueError(
            f"interactions={selector.interactions!r} screens sets of features "
            "by permutations of rows held in memory; X is a Dask collection. "
            'Use interactions=1 (interactions="auto" screens nothing on Dask '
            "input)."
        )
    table = _table(
        selector, X, y, est, selector.discrete_features, selector.discrete_target
    )
    n_features = table.n_levels.size
    n_select = _n_to_select(selector, n_features)
    fi = _warn(selector, table, est)
    if fi.target_constant:
        result = ForwardResult(
            np.zeros(0, dtype=np.intp),
            np.zeros(0),
            None,
            np.zeros(n_features),
            "constant target",
        )
    else:
        chance = est._table_counting() == "chance"
        runner = DaskCountRunner(table, selector.n_jobs, chance=chance)
        result = dask_forward_select(
            runner,
            criterion=selector.criterion,
            n_features_to_select=n_select,
            tol=selector.tol,
            beta=selector.beta,
            constant=fi.constant,
            n_jobs=selector.n_jobs,
        )
    selector.estimator_ = est
    selector.discrete_features_ = table.discrete
    selector.discrete_target_ = table.target_discrete
    selector.selection_order_ = result.selection_order
    selector.conditional_gains_ = result.gains
    selector.pvalues_ = None
    selector.relevance_ = result.relevance
    selector.interaction_blocks_ = []
    selector.stop_reason_ = result.stop_reason
    selector.n_features_to_select_ = int(result.selection_order.size)
    support = np.zeros(n_features, dtype=bool)
    support[result.selection_order] = True
    selector.support_ = support
    return selector


def mutual_info_dask(X, y, discrete_features, discrete_target):
    """The drop-ins' scores on Dask input: discrete features and target only."""
    table = _table(None, X, y, PlugIn(), discrete_features, bool(discrete_target))
    if not (table.discrete.all() and table.target_discrete):
        raise ValueError(
            "mutual_info_classif and mutual_info_regression count Dask input "
            "block by block, which needs discrete features (discrete_features="
            "True) and a discrete target (mutual_info_classif); continuous "
            "columns need k nearest neighbours and every row in memory. Use "
            "MutualInfoSelector(estimator=PlugIn()) to bin them, or "
            "skmi.sample_rows for a subsample in memory."
        )
    raw, _, _ = dask_relevance(
        table, correction=None, adjust=None, test=None, n_permutations=0, rng=None
    )
    return np.maximum(raw, 0.0)


def sample_rows(
    X: object,
    y: object = None,
    *,
    n_samples: int,
    random_state: int | np.random.RandomState | None = None,
) -> object:
    """A uniform random subsample of the rows of a Dask collection, in memory.

    The rows are drawn without replacement, kept in their order, and read
    block by block; k-NN estimators, which need every row at once, can then
    be fitted on them.

    Parameters
    ----------
    X : dask.array.Array or dask DataFrame of shape (n_rows, n_features)
        The rows to draw from.
    y : dask.array.Array, dask Series, ndarray or None, default=None
        A target with one value per row of `X`, drawn at the same rows.
    n_samples : int
        Number of rows to draw (at most the number of rows).
    random_state : int, RandomState instance or None, default=None
        Determines the random numbers used for the choice of the rows.
        Pass an int for reproducible results across multiple calls.
        See :term:`Glossary <random_state>`.

    Returns
    -------
    X_sample : ndarray or pandas DataFrame of shape (n_samples, n_features)
        The drawn rows of `X`.
    y_sample : ndarray or pandas Series of shape (n_samples,)
        The drawn values of `y` (returned only when `y` is given).

    Examples
    --------
    >>> import dask.array as da
    >>> from skmi import sample_rows
    >>> X = da.arange(20, chunks=5).reshape(10, 2)
    >>> X_small, y_small = sample_rows(X, X[:, 0], n_samples=3, random_state=0)
    >>> X_small.shape, y_small.shape
    ((3, 2), (3,))
    """
    dask, _ = dask_modules()
    frame = hasattr(X, "divisions")
    if frame:
        lengths = dask.compute(*[dask.delayed(len)(p) for p in X.to_delayed()])
        n = int(sum(lengths))
    else:
        n = X.shape[0]
    if not 1 <= n_samples <= n:
        raise ValueError(
            f"n_samples={n_samples} must be in [1, {n}], the number of rows."
        )
    rng = check_random_state(random_state)
    rows = np.sort(rng.choice(n, size=n_samples, replace=False))

    def take(data):
        if not hasattr(data, "divisions"):
            return data[rows]
        import pandas as pd

        bounds = np.concatenate([[0], np.cumsum(lengths)])
        parts = [
            dask.delayed(lambda p, idx: p.iloc[idx])(
                part, rows[(rows >= a) & (rows < b)] - a
            )
            for part, a, b in zip(
                data.to_delayed(), bounds[:-1], bounds[1:], strict=True
            )
        ]
        return dask.delayed(pd.concat)(parts)

    if y is None:
        return dask.compute(take(X))[0]
    if hasattr(y, "divisions") and not frame:
        y = y.to_dask_array(lengths=True)
    return dask.compute(take(X), take(y) if hasattr(y, "dask") else np.asarray(y)[rows])


def _whole_rows(key, shape):
    """``(start, stop)`` when ``key`` selects whole rows of a C-ordered 2-D array."""
    if not isinstance(key, tuple) or len(key) != 2 or len(shape) != 2:
        return None
    rows, cols = key
    if not (isinstance(rows, slice) and isinstance(cols, slice)):
        return None
    if rows.step not in (None, 1) or cols.indices(shape[1]) != (0, shape[1], 1):
        return None
    start, stop, _ = rows.indices(shape[0])
    return start, max(start, stop)


class _OnDisk:
    """A memmap as ``dask.array.from_array`` reads it: block by block.

    ``from_array`` copies whatever has a ``copy`` method into memory (dask
    issue 11850), a numpy memmap included; this view has none, is tokenized
    by its file rather than its contents, and reads blocks of whole rows of
    a C-ordered memmap from the file into memory of its own.
    """

    def __init__(self, mm):
        self.mm = mm
        self.shape, self.dtype, self.ndim = mm.shape, mm.dtype, mm.ndim

    def __getitem__(self, key):
        rows = _whole_rows(key, self.shape)
        if rows is None or self.mm.filename is None:
            return np.array(self.mm[key])
        # read into memory of our own: mapped pages of the file would count
        # in the resident set of the process until the kernel reclaims them
        start, stop = rows
        row_bytes = self.shape[1] * self.dtype.itemsize
        count = (stop - start) * self.shape[1]
        with open(self.mm.filename, "rb") as f:
            f.seek(self.mm.offset + start * row_bytes)
            block = np.fromfile(f, dtype=self.dtype, count=count)
        return block.reshape(stop - start, self.shape[1])

    def __dask_tokenize__(self):
        return (str(self.mm.filename), self.mm.offset, self.shape, str(self.dtype))


def from_memmap(mm: np.memmap, rows: int = 100_000) -> object:
    """A Dask array of a ``numpy.memmap`` whose blocks are read from the file.

    ``dask.array.from_array(mm)`` copies a memmap into memory; the array
    returned here reads each block of `rows` rows (and every column) from
    the file when a task needs it, so a selection on it holds a few blocks
    in memory, whatever the size of the file. Use the threaded scheduler
    (the default): the blocks are read by threads of this process. On a
    cluster, store the table in a format the workers read (zarr, HDF5,
    Parquet).

    Parameters
    ----------
    mm : numpy.memmap of shape (n_rows, n_features)
        The table on disk (open it read-only: ``mode="r"``).
    rows : int, default=100_000
        Number of rows of each block.

    Returns
    -------
    dask.array.Array of shape (n_rows, n_features)
        The table, in blocks of `rows` rows.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from skmi import from_memmap
    >>> path = os.path.join(tempfile.mkdtemp(), "table.uint8")
    >>> np.arange(20, dtype=np.uint8).reshape(10, 2).tofile(path)
    >>> X = from_memmap(np.memmap(path, np.uint8, "r", shape=(10, 2)), rows=4)
    >>> X.chunks
    ((4, 4, 2), (2,))
    >>> int(X.sum().compute())
    190
    >>> del X; os.remove(path)
    """
    _, da = dask_modules()
    return da.from_array(_OnDisk(mm), chunks=(rows, -1), asarray=False)
