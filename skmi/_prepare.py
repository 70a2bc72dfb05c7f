"""The one place where inputs are prepared for the estimation kernels.

Preparation turns validated user arrays into clean kernel inputs:

* discrete masks from ``discrete_features`` (bool, mask, indices or "auto");
* dense integer codes for discrete columns;
* unit-variance scaling of continuous columns (k-NN estimates are not
  invariant to rescaling one variable relative to another);
* a tiny seeded jitter that breaks exact ties, drawn here, once, from the
  caller's random state and before any parallel work, so results never depend
  on ``n_jobs``.
"""

import warnings

import numpy as np
from scipy import sparse

__all__ = [
    "JITTER",
    "MAX_AUTO_LEVELS",
    "add_jitter",
    "as_variable_array",
    "check_finite_columns",
    "column",
    "column_scales",
    "constant_columns",
    "discrete_target",
    "encode_categories",
    "encode_features",
    "fit_categories",
    "make_discrete_mask",
    "scale_columns",
]

#: Relative size of the tie-breaking noise (as in Kraskov et al. and
#: scikit-learn): ``1e-10 * max(1, mean(|x|))`` standard deviations.
JITTER = 1e-10


def make_discrete_mask(discrete_features, n_features, is_sparse=False):
    """Boolean mask of the discrete columns.

    Parameters
    ----------
    discrete_features : "auto", bool or array-like
        "auto" means all discrete for sparse input and all continuous
        otherwise (scikit-learn's rule); a bool applies to every column; an
        array is a boolean mask of length ``n_features`` or column indices.
    n_features : int
    is_sparse : bool

    Returns
    -------
    mask : ndarray of shape (n_features,), bool
    """
    if isinstance(discrete_features, str):
        if discrete_features != "auto":
            raise ValueError(
                "discrete_features must be 'auto', a bool, a boolean mask or "
                f"column indices; got {discrete_features!r}."
            )
        return np.full(n_features, bool(is_sparse))
    if isinstance(discrete_features, (bool, np.bool_)):
        return np.full(n_features, bool(discrete_features))
    features = np.asarray(discrete_features)
    if features.ndim != 1:
        raise ValueError(
            "discrete_features must be a 1-D boolean mask or array of indices; "
            f"got an array of shape {features.shape}."
        )
    if features.dtype == bool:
        if features.shape[0] != n_features:
            raise ValueError(
                f"The discrete_features mask has {features.shape[0]} entries but X "
                f"has {n_features} features."
            )
        return features.copy()
    if features.size and not np.issubdtype(features.dtype, np.integer):
        raise ValueError(
            "discrete_features must be a boolean mask or integer column indices; "
            f"got an array of dtype {features.dtype}."
        )
    features = features.astype(np.intp)
    if features.size and (features.min() < -n_features or features.max() >= n_features):
        raise ValueError(
            f"discrete_features has indices out of range for {n_features} features: "
            f"{features.tolist()}."
        )
    mask = np.zeros(n_features, dtype=bool)
    mask[features] = True
    return mask


def column(X, j):
    """Column ``j`` of a dense array or sparse matrix as a dense 1-D array."""
    if sparse.issparse(X):
        return np.asarray(X[:, [j]].toarray()).ravel()
    return X[:, j]


def column_blocks(X, columns, block=64, rows=1024):
    """The ``columns`` of ``X`` as contiguous rows, a block of columns at a time.

    Yields ``(index, part)``: ``index`` the positions in ``columns`` of the
    block and ``part`` an array of shape (len(index), n_samples) holding
    those columns (reused between blocks). Dense input is transposed in
    tiles of ``rows`` rows, which reads it far faster than column by column.
    """
    columns = np.asarray(columns, dtype=np.intp)
    if sparse.issparse(X):
        for i, j in enumerate(columns):
            yield np.array([i]), column(X, j)[None, :]
        return
    buffer = np.empty((min(block, columns.size), X.shape[0]), dtype=X.dtype)
    for start in range(0, columns.size, block):
        index = np.arange(start, min(start + block, columns.size))
        yield index, column_block(X, columns[index], rows, out=buffer[: index.size])


def column_block(X, columns, rows=1024, out=None):
    """The ``columns`` of the dense array ``X`` as the rows of a new array.

    ``X`` is transposed in tiles of ``rows`` rows (contiguous reads, far
    faster than column by column); ``out`` of shape (len(columns),
    n_samples) receives them when given.
    """
    columns = np.asarray(columns, dtype=np.intp)
    n = X.shape[0]
    if out is None:
        out = np.empty((columns.size, n), dtype=X.dtype)
    if columns.size == 0:
        return out
    cols = columns
    if cols[-1] - cols[0] == cols.size - 1 and np.all(np.diff(cols) == 1):
        cols = slice(int(cols[0]), int(cols[-1]) + 1)  # a view, not a copy
    for r in range(0, n, rows):
        out[:, r : r + rows] = X[r : r + rows, cols].T
    return out


def column_scales(X):
    """Standard deviation of each column, computed without overflow.

    Columns whose standard deviation is below 10 machine epsilons (relative
    to their magnitude) count as constant and get scale 1, as in
    scikit-learn's ``scale``. Columns are processed one at a time, so the
    working memory is one column.
    """
    scales = np.ones(X.shape[1])
    if X.shape[0] == 0:
        return scales
    for j in range(X.shape[1]):
        col = X[:, j]
        magnitude = np.max(np.abs(col))
        if not magnitude > 0:
            continue
        std = np.std(col / magnitude)
        if std >= 10 * np.finfo(np.float64).eps:
            scales[j] = std * magnitude
    return scales


def scale_columns(X, *, center=False):
    """Scale each column of ``X`` to unit variance, in place.

    Parameters
    ----------
    X : ndarray of shape (n, d), float64
        Modified in place.
    center : bool, default=False
        Also subtract the column means. scikit-learn's drop-ins scale
        without centring, and so do skmi's (to return the same values);
        the estimators' own methods centre, which keeps the tie-breaking
        noise small relative to the spread for data far from the origin.

    Returns
    -------
    X : ndarray
    scales : ndarray of shape (d,)
        The standard deviations divided out (1 for constant columns).
    """
    scales = column_scales(X)
    for j in range(X.shape[1]):
        col = X[:, j]
        if center:
            col -= np.mean(col)
        col /= scales[j]
    return X, scales


def constant_columns(X):
    """Boolean mask of the columns of ``X`` that hold a single value."""
    if sparse.issparse(X):
        X = sparse.csc_matrix(X)
        n = X.shape[0]
        out = np.zeros(X.shape[1], dtype=bool)
        for j in range(X.shape[1]):
            data = X.data[X.indptr[j] : X.indptr[j + 1]]
            if data.size == 0:
                out[j] = True
            elif data.size == n or np.all(data == 0):
                out[j] = bool(np.all(data == data[0]))
        return out
    X = np.asarray(X)
    if X.shape[0] == 0:
        return np.zeros(X.shape[1], dtype=bool)
    out = np.empty(X.shape[1], dtype=bool)
    for index, part in column_blocks(X, np.arange(X.shape[1])):
        out[index] = np.all(part == part[:, :1], axis=1)
    return out


def add_jitter(X, rng):
    """Add ``JITTER * max(1, mean|x|)`` Gaussian noise to each column, in place.

    The noise is drawn as one ``(n_samples, n_columns)`` block from ``rng`` in
    row order, as scikit-learn draws it, so seeded results match; it is drawn
    and added in blocks of rows, which consumes the random stream in the same
    order with a bounded working memory.
    """
    means = np.array(
        [max(1.0, float(np.mean(np.abs(X[:, j])))) for j in range(X.shape[1])]
    )
    scale = JITTER * means
    for start in range(0, X.shape[0], _JITTER_BLOCK):
        rows = X[start : start + _JITTER_BLOCK]
        rows += scale * rng.standard_normal(size=rows.shape)
    return X


#: rows of noise drawn at a time by :func:`add_jitter`
_JITTER_BLOCK = 65536


def as_variable_array(a, name, *, discrete, n_samples=None, min_samples=1):
    """Validate the samples of one variable and return them as (n, d).

    Continuous variables must be finite and numeric (returned as float64);
    discrete variables may hold any sortable values (returned as an integer
    code array of shape (n, 1) when there is more than one column, the joint
    code is still computed later from the (n, d) array).

    Raises
    ------
    ValueError
        With a message naming ``name`` for sparse, empty, 3-D, non-finite or
        non-numeric input, or for a length different from ``n_samples``.
    """
    if sparse.issparse(a):
        a = a.toarray()
    a = np.asarray(a)
    if a.ndim == 0 or a.ndim > 2:
        raise ValueError(
            f"{name} must be an array of shape (n_samples,) or (n_samples, "
            f"n_dims); got an array with {a.ndim} dimensions."
        )
    if a.ndim == 1:
        a = a[:, None]
    if a.shape[0] == 0 or a.shape[1] == 0:
        raise ValueError(f"{name} is empty (shape {a.shape}).")
    if n_samples is not None and a.shape[0] != n_samples:
        raise ValueError(
            f"{name} has {a.shape[0]} samples but the other variables have {n_samples}."
        )
    if a.shape[0] < min_samples:
        raise ValueError(
            f"{name} has {a.shape[0]} samples; at least {min_samples} are needed "
            "(n_neighbors + 1)."
        )
    if discrete:
        if a.dtype.kind == "f" and not np.isfinite(a).all():
            raise ValueError(f"{name} contains NaN or infinity.")
        if a.dtype.kind == "O":
            try:
                a = np.asarray(a, dtype=str) if _all_str(a) else a.astype(np.float64)
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"{name} holds values that cannot be compared: {exc}"
                ) from exc
        return a
    if a.dtype.kind not in "biuf":
        raise ValueError(
            f"{name} must be numeric to be treated as continuous; got dtype "
            f"{a.dtype}. Mark it as discrete or encode it first."
        )
    a = a.astype(np.float64)
    if not np.isfinite(a).all():
        raise ValueError(f"{name} contains NaN or infinity.")
    return a


def _all_str(a):
    return all(isinstance(v, str) for v in a.ravel())


# --------------------------------------------------------------------------
# inputs of the scikit-learn estimators
# --------------------------------------------------------------------------
#: An integer column of a DataFrame (or integer array) with at most this many
#: distinct values is taken as discrete by ``discrete_features="auto"``.
MAX_AUTO_LEVELS = 20


def _is_dataframe(X):
    return hasattr(X, "columns") and hasattr(X, "dtypes") and hasattr(X, "iloc")


def _is_categorical(dtype):
    """Whether a DataFrame column of this dtype holds categories, not numbers."""
    import pandas as pd

    return (
        isinstance(dtype, pd.CategoricalDtype)
        or dtype == np.dtype(object)
        or pd.api.types.is_string_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
    )


def fit_categories(X):
    """Sorted categories of the non-numeric columns of a DataFrame.

    Categorical, object, string and boolean columns hold categories; the
    returned ``{column name: sorted pandas.Index}`` maps their values to
    codes, in ``fit`` and ``transform`` alike (see :func:`encode_categories`).
    Anything that is not a DataFrame has no categories.

    Raises
    ------
    ValueError
        Naming the first such column that holds missing values.
    """
    if not _is_dataframe(X):
        return {}
    import pandas as pd

    categories = {}
    for j, name in enumerate(X.columns):
        col = X.iloc[:, j]
        if _is_categorical(col.dtype):
            if col.isna().any():
                raise ValueError(
                    f"Input X contains NaN or missing values in column {name!r}."
                )
            categories[name] = pd.Index(pd.unique(col.to_numpy())).sort_values()
    return categories


def encode_categories(X, categories):
    """Replace the columns listed in ``categories`` by their float codes.

    A value absent from a column's categories (unseen in ``fit``) gets the
    code -1, which no value seen in ``fit`` has. A DataFrame stays a
    DataFrame, so its feature names are kept.
    """
    if not categories or not _is_dataframe(X):
        return X
    X = X.copy()
    for name, index in categories.items():
        if name in X.columns:
            if X[name].isna().any():
                raise ValueError(
                    f"Input X contains NaN or missing values in column {name!r}."
                )
            X[name] = index.get_indexer(X[name].to_numpy()).astype(np.float64)
    return X


def encode_features(X, count_levels=True):
    """Read the columns of ``X`` as numbers and detect the discrete ones.

    The rules (documented in the User Guide, "How column types are read"):

    * sparse matrices: a column whose stored values are all integers (counts,
      indicators) is discrete; one with any non-integer value (TF-IDF,
      scaled values) is continuous, a mass at zero plus a continuous part;
    * DataFrames (pandas, pyarrow-backed pandas, polars) are read column by
      column: strings, categoricals and enums, booleans, and object columns
      holding only strings or only booleans are discrete categories (coded by
      their sorted values); integer columns with at most ``MAX_AUTO_LEVELS``
      distinct values are discrete, other integer and floating-point
      columns continuous; datetimes and dates become seconds since the
      epoch (UTC) and durations seconds, both continuous;
    * arrays: boolean arrays are discrete, integer arrays discrete column by
      column with at most ``MAX_AUTO_LEVELS`` distinct values, float arrays
      continuous; object or string arrays are read like object columns;
    * anything else (``Period``, intervals, lists, object columns that mix
      types, ...) raises a ValueError naming the column and what to do.

    Parameters
    ----------
    X : array-like, DataFrame or sparse matrix
    count_levels : bool, default=True
        Whether to count the distinct values of the columns of an integer
        array (a pass over the data that only the detection needs); when
        False their ``auto_mask`` is None.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), sparse matrix or the input
        DataFrames and object arrays as float64 arrays (categories replaced by
        codes); sparse and numeric input unchanged.
    auto_mask : ndarray of bool or None
        The discrete columns by the rules above; None when the number of
        columns is not known yet (invalid input, left to the validation that
        follows).
    """
    if sparse.issparse(X):
        return X, _sparse_integer_columns(X)
    try:
        columns = _frame_columns(X)
    except _UnreadableColumn as exc:
        raise ValueError(str(exc)) from None
    if columns is None:
        a = np.asarray(X) if not hasattr(X, "dtype") else X
        if getattr(a, "ndim", 0) != 2:
            return X, None
        if a.dtype.kind in "OUS":
            try:
                columns = [
                    (j, *_object_column(j, a[:, j], _missing_objects(a[:, j])))
                    for j in range(a.shape[1])
                ]
            except _UnreadableColumn:
                # left to scikit-learn's validation, which raises the usual
                # TypeError for arrays of arbitrary objects
                return X, None
        elif a.dtype.kind in "Mm":
            columns = [(j, *_temporal_numpy(a[:, j])) for j in range(a.shape[1])]
        elif a.dtype.kind == "b":
            return X, np.ones(a.shape[1], dtype=bool)
        elif a.dtype.kind in "iu":
            return X, _few_levels(a, MAX_AUTO_LEVELS) if count_levels else None
        else:
            return X, np.zeros(a.shape[1], dtype=bool)
    n_samples = len(columns[0][1]) if columns else _n_rows(X)
    out = np.empty((n_samples, len(columns)), dtype=np.float64)
    mask = np.zeros(len(columns), dtype=bool)
    for j, (name, values, kind) in enumerate(columns):
        if kind == "category":
            out[:, j] = _category_codes(name, values)
            mask[j] = True
        else:
            out[:, j] = values
            if kind == "integer":
                finite = values[np.isfinite(values)]
                mask[j] = np.unique(finite).size <= MAX_AUTO_LEVELS
    return out, mask


def _n_rows(X):
    shape = getattr(X, "shape", None)
    return int(shape[0]) if shape is not None else len(X)


def _label(name):
    """How a column is named in messages."""
    if isinstance(name, (int, np.integer)):
        return f"column {name}"
    return f"column {name!r}"


def _sparse_integer_columns(X):
    """Columns of a sparse matrix whose stored values are all integers."""
    X = X.tocsc()
    data = np.asarray(X.data)
    if data.dtype.kind in "iub":
        return np.ones(X.shape[1], dtype=bool)
    with np.errstate(invalid="ignore"):
        fractional = data != np.floor(data)
    column_of = np.repeat(np.arange(X.shape[1]), np.diff(X.indptr))
    mask = np.ones(X.shape[1], dtype=bool)
    mask[np.unique(column_of[fractional])] = False
    return mask


class _UnreadableColumn(ValueError):
    """A column whose values are neither numbers nor categories."""


def _unsupported(name, what, todo):
    return _UnreadableColumn(f"{_label(name).capitalize()} {what}: {todo}")


def _frame_columns(X):
    """``[(name, values, kind), ...]`` of a pandas or polars DataFrame, else None.

    ``kind`` is "category" (``values`` an object array of comparable values),
    "integer" or "continuous" (``values`` float64, NaN where missing).
    """
    module = type(X).__module__.split(".")[0]
    if module == "polars" and hasattr(X, "get_column"):
        return [(name, *_polars_column(name, X.get_column(name))) for name in X.columns]
    if _is_dataframe(X):
        return [
            (name, *_pandas_column(name, X.iloc[:, j]))
            for j, name in enumerate(X.columns)
        ]
    return None


def _missing_objects(values):
    """Which entries of an object array are None or NaN."""
    return np.array(
        [v is None or (isinstance(v, float) and v != v) for v in values], dtype=bool
    )


def _object_column(name, values, missing):
    """Kind of a column of Python objects: all strings or all booleans are
    categories, all real numbers are numbers; anything else is refused."""
    from numbers import Integral, Real

    values = np.asarray(values, dtype=object)
    present = values[~missing]
    if all(isinstance(v, str) for v in present):
        return _with_missing(name, values, missing), "category"
    if all(isinstance(v, (bool, np.bool_)) for v in present):
        return _with_missing(name, values, missing), "category"
    if all(isinstance(v, Real) for v in present):
        numbers = np.full(values.shape[0], np.nan)
        numbers[~missing] = present.astype(np.float64)
        integer = all(isinstance(v, Integral) for v in present)
        return numbers, "integer" if integer else "continuous"
    kinds = sorted({type(v).__name__ for v in present})
    if len(kinds) > 1:
        raise _unsupported(
            name,
            f"mixes values of types {', '.join(kinds)}",
            "convert it to one type first, e.g. .astype(str) to treat its values "
            "as categories or pandas.to_numeric(..., errors='coerce') for numbers.",
        )
    raise _unsupported(
        name,
        f"holds {kinds[0]} objects, which are neither numbers nor categories",
        "convert them to numbers (pandas.to_datetime for dates) or to strings.",
    )


def _with_missing(name, values, missing):
    if missing.any():
        raise ValueError(
            f"Input X contains NaN or missing values in {_label(name)}: impute "
            "them, drop the rows, or make missing a category of its own (for "
            "instance with .fillna('missing'))."
        )
    return values


def _category_codes(name, values):
    """Codes of the sorted distinct values of a category column."""
    try:
        _, codes = np.unique(values, return_inverse=True)
    except TypeError as exc:
        raise _unsupported(
            name,
            "holds categories that cannot be compared with each other",
            f"convert them to strings with .astype(str) ({exc}).",
        ) from exc
    return codes.reshape(-1).astype(np.float64)


def _temporal_numpy(values):
    """Seconds (since the epoch for datetimes) of a datetime64/timedelta64 array."""
    missing = np.isnat(values)
    unit = "datetime64[us]" if values.dtype.kind == "M" else "timedelta64[us]"
    seconds = values.astype(unit).astype(np.int64) / 1e6
    seconds[missing] = np.nan
    return seconds, "continuous"


def _pandas_column(name, col):
    """``(values, kind)`` of one pandas column (numpy or pyarrow backed)."""
    import pandas as pd

    dtype = col.dtype
    types = pd.api.types
    arrow = getattr(dtype, "pyarrow_dtype", None)
    missing = col.isna().to_numpy(dtype=bool)
    if isinstance(dtype, pd.PeriodDtype):
        raise _unsupported(
            name,
            f"has the Period dtype {dtype}",
            "convert it with .dt.to_timestamp() (a date, read as a number) or "
            ".astype(str) (categories).",
        )
    if isinstance(dtype, (pd.CategoricalDtype, pd.StringDtype)) or (
        arrow is not None and _arrow_is_dictionary(arrow)
    ):
        return _with_missing(name, col.to_numpy(dtype=object), missing), "category"
    if types.is_bool_dtype(dtype):
        return _with_missing(name, col.to_numpy(dtype=object), missing), "category"
    if types.is_datetime64_any_dtype(dtype):
        stamps = pd.to_datetime(col, utc=True)
        seconds = (stamps - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(seconds=1)
        return seconds.to_numpy(dtype=np.float64, na_value=np.nan), "continuous"
    if types.is_timedelta64_dtype(dtype) or (
        arrow is not None and _arrow_is_duration(arrow)
    ):
        seconds = col / pd.Timedelta(seconds=1)
        return seconds.to_numpy(dtype=np.float64, na_value=np.nan), "continuous"
    if types.is_integer_dtype(dtype):
        return col.to_numpy(dtype=np.float64, na_value=np.nan), "integer"
    if types.is_float_dtype(dtype):
        return col.to_numpy(dtype=np.float64, na_value=np.nan), "continuous"
    if types.is_string_dtype(dtype) or dtype == np.dtype(object):
        return _object_column(name, col.to_numpy(dtype=object), missing)
    raise _unsupported(
        name,
        f"has the unsupported dtype {dtype}",
        "convert it to numbers, booleans, strings or a categorical.",
    )


def _arrow_is_dictionary(arrow_type):
    import pyarrow as pa

    return pa.types.is_dictionary(arrow_type)


def _arrow_is_duration(arrow_type):
    import pyarrow as pa

    return pa.types.is_duration(arrow_type)


def _polars_column(name, col):
    """``(values, kind)`` of one polars column."""
    import polars as pl

    dtype = col.dtype
    missing = col.is_null().to_numpy()
    if (
        dtype == pl.String
        or isinstance(dtype, (pl.Categorical, pl.Enum))
        or dtype == pl.Boolean
    ):
        values = (col if dtype == pl.Boolean else col.cast(pl.String)).to_numpy()
        return _with_missing(name, np.asarray(values, dtype=object), missing), (
            "category"
        )
    if dtype.is_integer():
        return col.cast(pl.Float64).to_numpy(), "integer"
    if dtype.is_float() or dtype.is_decimal():
        return col.cast(pl.Float64).to_numpy(), "continuous"
    if dtype == pl.Date or isinstance(dtype, pl.Datetime):
        millis = col.dt.epoch("ms").cast(pl.Float64).to_numpy()
        return millis / 1e3, "continuous"
    if isinstance(dtype, pl.Duration):
        return col.dt.total_milliseconds().cast(pl.Float64).to_numpy() / 1e3, (
            "continuous"
        )
    raise _unsupported(
        name,
        f"has the unsupported dtype {dtype}",
        "convert it to numbers, booleans, strings or a categorical.",
    )


def _few_levels(a, limit):
    """Which integer columns of ``a`` hold at most ``limit`` distinct values.

    Columns are read in contiguous blocks; a column whose range is short is
    counted with ``np.bincount`` instead of sorted.
    """
    out = np.ones(a.shape[1], dtype=bool)
    if a.shape[0] == 0:
        return out
    # columns whose range is shorter than the limit need no counting
    # (reducing along the rows reads the array in its own order)
    # (hi - lo in unsigned 64-bit arithmetic is exact for any integer type)
    span = a.max(axis=0).astype(np.uint64) - a.min(axis=0).astype(np.uint64)
    wide = np.flatnonzero(span >= limit)
    for index, part in column_blocks(a, wide):
        for i, col in zip(wide[index], part, strict=True):
            lo, hi = int(col.min()), int(col.max())
            if hi - lo < max(col.size, 1 << 16):
                shifted = (col - lo).astype(np.intp, copy=False)
                out[i] = np.count_nonzero(np.bincount(shifted)) <= limit
            else:
                out[i] = np.unique(col).size <= limit
    return out


def check_finite_columns(X, feature_names=None):
    """Raise a ValueError naming the first columns that hold NaN or infinity."""
    if X.dtype.kind in "biu":  # (integers and booleans are always finite)
        return
    if sparse.issparse(X):
        data_ok = np.isfinite(X.data).all()
        if data_ok:
            return
        X = sparse.csc_matrix(X)
        bad = [
            j
            for j in range(X.shape[1])
            if not np.isfinite(X.data[X.indptr[j] : X.indptr[j + 1]]).all()
        ]
    else:
        finite = np.isfinite(X)
        if finite.all():
            return
        bad = np.flatnonzero(~finite.all(axis=0)).tolist()
    names = [
        repr(feature_names[j]) if feature_names is not None else str(j) for j in bad[:5]
    ]
    more = "" if len(bad) <= 5 else f" and {len(bad) - 5} more"
    raise ValueError(
        "Input X contains NaN or infinity in column(s) " + ", ".join(names) + more + "."
    )


def discrete_target(y, discrete_target="auto"):
    """Whether ``y`` is treated as discrete, and its validated 1-D form.

    "auto" follows :func:`sklearn.utils.multiclass.type_of_target`: binary
    and multiclass targets (strings included) are discrete, continuous ones
    are not; multi-output targets are rejected. One exception: a numeric
    target with more than ``MAX_AUTO_LEVELS`` distinct values and fewer than
    five samples per value on average is continuous (integer-valued
    measurements rather than class labels), with a warning that says how to
    override the decision.
    """
    from sklearn.utils.multiclass import type_of_target

    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(
            "Multi-output targets are not supported: y must be 1-D, got shape "
            f"{y.shape}. Select features for each output separately."
        )
    if y.dtype == object and _missing_objects(y).any():
        raise ValueError(
            "Input y contains missing values (None or NaN): drop those samples "
            "or give them a class of their own."
        )
    kind = type_of_target(y, input_name="y")
    if kind in ("multilabel-indicator",) or kind.endswith("multioutput"):
        raise ValueError(
            f"Multi-output targets are not supported (type_of_target(y) = {kind!r})."
        )
    if discrete_target == "auto":
        if kind == "unknown":
            raise ValueError(
                "Unknown label type: y must hold class labels or numbers; got an "
                f"array of dtype {y.dtype}."
            )
        is_discrete = kind in ("binary", "multiclass")
        if is_discrete and y.dtype.kind in "iuf":
            # Integer-valued numbers with many rare values (prices in cents,
            # counts) are measurements, not class labels: as classes they
            # would be mostly singletons, which the estimators cannot use.
            n_levels = np.unique(y).size
            is_discrete = n_levels <= max(MAX_AUTO_LEVELS, y.shape[0] // 5)
            if not is_discrete:
                warnings.warn(
                    f"The target y holds {n_levels} distinct integer values, "
                    f"{y.shape[0] / n_levels:.1f} samples per value on average: "
                    "it is treated as continuous (a numeric target is discrete "
                    f"when it has at most {MAX_AUTO_LEVELS} distinct values or "
                    "at least 5 samples per value on average). Pass "
                    "discrete_target=True if its values are class labels, or "
                    "discrete_target=False to silence this warning.",
                    UserWarning,
                    stacklevel=5,
                )
    else:
        is_discrete = bool(discrete_target)
    if not is_discrete:
        if y.dtype.kind not in "biuf":
            try:
                y = y.astype(np.float64)
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    "A continuous target must be numeric; got values that cannot "
                    f"be converted to float: {exc}"
                ) from exc
        y = y.astype(np.float64)
        if not np.isfinite(y).all():
            raise ValueError("Input y contains NaN or infinity.")
    elif y.dtype.kind == "f" and not np.isfinite(y).all():
        raise ValueError("Input y contains NaN or infinity.")
    return y, is_discrete
