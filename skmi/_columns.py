"""The reader of user tables: what each column holds and whether it is discrete.

Every estimator of skmi (the selectors, the information bottleneck, the
drop-ins) and the command line read their input here, so a column means the
same thing everywhere. :func:`read_columns` turns numpy arrays, scipy sparse
matrices, pandas data frames (numpy or pyarrow backed) and polars data frames
into numbers, and tells which columns are discrete by one rule:

* sparse matrices: a column whose stored values are all integers (counts,
  indicators) is discrete; one with any non-integer value (TF-IDF, scaled
  values) is continuous, a mass at zero plus a continuous part;
* data frames are read column by column: strings, categoricals and enums,
  booleans, and object columns holding only strings or only booleans are
  categories, discrete and coded by their sorted values; integer columns
  (nullable integers included) with at most ``MAX_AUTO_LEVELS`` distinct
  values are discrete, other integer and floating-point columns continuous;
  datetimes and dates become seconds since the epoch (UTC) and durations
  seconds, both continuous;
* arrays: boolean arrays are discrete, integer arrays discrete column by
  column with at most ``MAX_AUTO_LEVELS`` distinct values, floating-point
  arrays continuous (whatever values they hold: a float column holding
  0, 1, 2 and 3 is continuous, as are measurements that happen to be
  rounded); object or string arrays are read like object columns;
* anything else (``Period``, intervals, lists, object columns that mix
  types, ...) raises one ValueError naming the column and what to do.

The dtype decides, not the values, so the same column is read the same way
in every fold of a cross-validation. Pass ``discrete_features`` to an
estimator to decide otherwise.
"""

import warnings
from dataclasses import dataclass, field
from numbers import Integral, Real

import numpy as np
from scipy import sparse

from .estimators._preprocess import column_blocks, make_discrete_mask

__all__ = [
    "MAX_AUTO_LEVELS",
    "Columns",
    "IdLikeColumnsWarning",
    "check_finite_columns",
    "check_numeric_columns",
    "discrete_target",
    "id_like",
    "is_discrete_target",
    "read_columns",
    "resolve_discrete",
]

#: An integer column of a DataFrame (or integer array) with at most this many
#: distinct values is taken as discrete by ``discrete_features="auto"``.
MAX_AUTO_LEVELS = 20


class IdLikeColumnsWarning(UserWarning):
    """Discrete columns with more distinct values than half the samples."""


def id_like(n_levels, n_samples):
    """Whether a discrete column with ``n_levels`` distinct values among
    ``n_samples`` rows looks like an identifier or free text: more distinct
    values than half the rows (it tells the rows apart rather than describe
    them)."""
    return 2 * np.asarray(n_levels) > n_samples


@dataclass
class Columns:
    """A table read by :func:`read_columns`.

    Attributes
    ----------
    X : ndarray or sparse matrix
        The values as numbers: a float64 array for data frames and object
        arrays (categories replaced by their codes), numeric arrays and
        sparse matrices unchanged.
    discrete : ndarray of bool or None
        The discrete columns by the rule of this module; None when the input
        is not a 2-D table (left to the validation that follows) or the
        levels of an integer array were not counted.
    categories : dict
        ``{position: sorted array of the categories}`` of the category
        columns; the codes of a column are positions in its array.
    """

    X: object
    discrete: np.ndarray | None
    categories: dict = field(default_factory=dict)


def read_columns(X, *, categories=None, count_levels=True):
    """Read the columns of ``X`` as numbers and detect the discrete ones.

    Parameters
    ----------
    X : array-like, DataFrame or sparse matrix
    categories : dict, default=None
        The ``categories`` of the :class:`Columns` read in ``fit``: the
        category columns are then coded by them (``transform``), a value
        unseen in ``fit`` getting the code -1. None learns them from ``X``.
    count_levels : bool, default=True
        Whether to count the distinct values of the columns of an integer
        array (a pass over the data that only the detection needs); when
        False its ``discrete`` is None.

    Returns
    -------
    Columns

    Raises
    ------
    ValueError
        Naming the column, for a column that holds neither numbers nor
        categories, or categories with missing values.

    Examples
    --------
    >>> import numpy as np
    >>> from skmi._columns import read_columns
    >>> read_columns(np.array([[0, 1.5], [3, 2.5]])).discrete
    array([False, False])
    >>> read_columns(np.array([["b", "x"], ["a", "x"]], dtype=object)).X
    array([[1., 0.],
           [0., 0.]])
    """
    if sparse.issparse(X):
        return Columns(X, _sparse_integer_columns(X))
    try:
        columns = _frame_columns(X)
    except _UnreadableColumn as exc:
        raise ValueError(str(exc)) from None
    if columns is None:
        a = np.asarray(X) if not hasattr(X, "dtype") else X
        if getattr(a, "ndim", 0) != 2:
            return Columns(X, None)
        if a.dtype.kind in "OUS":
            try:
                columns = [
                    (j, *_object_column(j, a[:, j], _missing_objects(a[:, j])))
                    for j in range(a.shape[1])
                ]
            except _UnreadableColumn:
                # left to scikit-learn's validation, which raises the usual
                # TypeError for arrays of arbitrary objects
                return Columns(X, None)
        elif a.dtype.kind in "Mm":
            columns = [(j, *_temporal_numpy(a[:, j])) for j in range(a.shape[1])]
        elif a.dtype.kind == "b":
            return Columns(X, np.ones(a.shape[1], dtype=bool))
        elif a.dtype.kind in "iu":
            mask = _few_levels(a, MAX_AUTO_LEVELS) if count_levels else None
            return Columns(X, mask)
        else:
            return Columns(X, np.zeros(a.shape[1], dtype=bool))
    return _numbers(columns, _n_rows(X), categories)


def _numbers(columns, n_samples, known):
    """The float64 table, discrete mask and categories of read columns."""
    if columns:
        n_samples = len(columns[0][1])
    out = np.empty((n_samples, len(columns)), dtype=np.float64)
    mask = np.zeros(len(columns), dtype=bool)
    categories = {}
    for j, (name, values, kind) in enumerate(columns):
        if kind in ("category", "boolean") or (known is not None and j in known):
            seen = _BOOLEANS if kind == "boolean" and known is None else None
            seen = known.get(j) if known is not None else seen
            out[:, j], categories[j] = _category_codes(name, values, seen)
            mask[j] = True
        else:
            out[:, j] = values
            if kind == "integer":
                finite = values[np.isfinite(values)]
                mask[j] = np.unique(finite).size <= MAX_AUTO_LEVELS
    return Columns(out, mask, categories)


#: the categories of a boolean column, whatever values it holds: False is 0
_BOOLEANS = np.array([False, True], dtype=object)


def resolve_discrete(discrete_features, columns, n_features, is_sparse=False):
    """The discrete mask of a fit: the reader's rule for "auto", else the user's.

    Parameters
    ----------
    discrete_features : "auto", bool or array-like
        "auto" takes :attr:`Columns.discrete` (all continuous when it is
        None); a bool, a boolean mask or column indices decide (see
        :func:`skmi.estimators._preprocess.make_discrete_mask`).
    columns : Columns
    n_features : int
    is_sparse : bool

    Returns
    -------
    mask : ndarray of shape (n_features,), bool
    """
    if isinstance(discrete_features, str) and discrete_features == "auto":
        if columns.discrete is None:
            return np.zeros(n_features, dtype=bool)
        return np.asarray(columns.discrete, dtype=bool).copy()
    return make_discrete_mask(discrete_features, n_features, is_sparse)


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


def _is_dataframe(X):
    return hasattr(X, "columns") and hasattr(X, "dtypes") and hasattr(X, "iloc")


def _frame_columns(X):
    """``[(name, values, kind), ...]`` of a pandas or polars DataFrame, else None.

    ``kind`` is "category" or "boolean" (``values`` an object array of
    comparable values), "integer" or "continuous" (``values`` float64, NaN
    where missing).
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
    values = np.asarray(values, dtype=object)
    present = values[~missing]
    if all(isinstance(v, str) for v in present):
        return _with_missing(name, values, missing), "category"
    if all(isinstance(v, (bool, np.bool_)) for v in present):
        return _with_missing(name, values, missing), "boolean"
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


def _category_codes(name, values, seen=None):
    """Codes of a category column and its sorted categories.

    With ``seen`` (the categories of ``fit``) the codes are positions in it
    and an unseen value gets -1; else the categories are the sorted distinct
    values.
    """
    values = np.asarray(values, dtype=object)
    try:
        if seen is None:
            seen, codes = np.unique(values, return_inverse=True)
            return codes.reshape(-1).astype(np.float64), seen
        if seen.size == 0:
            return np.full(values.shape[0], -1.0), seen
        pos = np.minimum(np.searchsorted(seen, values), seen.size - 1)
        found = seen[pos] == values
    except TypeError as exc:
        raise ValueError(
            f"{_label(name).capitalize()} holds categories that cannot be "
            f"compared with each other or with those seen in fit: convert them "
            f"to strings with .astype(str) ({exc})."
        ) from None
    return np.where(found, pos, -1).astype(np.float64), seen


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
        return _with_missing(name, col.to_numpy(dtype=object), missing), "boolean"
    if types.is_datetime64_any_dtype(dtype) or (
        arrow is not None and _arrow_is_date(arrow)
    ):
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


def _arrow_is_date(arrow_type):
    import pyarrow as pa

    return pa.types.is_date(arrow_type) or pa.types.is_timestamp(arrow_type)


def _polars_column(name, col):
    """``(values, kind)`` of one polars column."""
    import polars as pl

    dtype = col.dtype
    missing = col.is_null().to_numpy()
    if dtype == pl.Boolean:
        values = np.asarray(col.to_numpy(), dtype=object)
        return _with_missing(name, values, missing), "boolean"
    if dtype == pl.String or isinstance(dtype, (pl.Categorical, pl.Enum)):
        values = np.asarray(col.cast(pl.String).to_numpy(), dtype=object)
        return _with_missing(name, values, missing), "category"
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


def check_numeric_columns(X):
    """Raise a ValueError naming the columns of ``X`` that are not numeric."""
    if sparse.issparse(X):
        return
    if hasattr(X, "columns") and hasattr(X, "dtypes"):  # a data frame
        names = [repr(str(c)) for c in X.columns]
        kinds = [getattr(dtype, "kind", "O") for dtype in X.dtypes]

        def values(j):
            return X.iloc[:, j] if hasattr(X, "iloc") else X[:, j]

    else:
        a = np.asarray(X)
        if a.ndim != 2 or a.dtype.kind in "biuf":
            return
        names = [str(j) for j in range(a.shape[1])]
        kinds = [a.dtype.kind] * a.shape[1]

        def values(j):
            return a[:, j]

    bad = []
    for j, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        if kind in "biuf":
            continue
        try:
            np.asarray(values(j), dtype=np.float64)
        except (TypeError, ValueError):
            bad.append(name)
    if bad:
        raise ValueError(
            "mutual_info_classif and mutual_info_regression need numeric "
            f"features; column(s) {', '.join(bad)} hold non-numeric values "
            "(strings or categories): encode them as integers (OrdinalEncoder, "
            "say) and mark them in discrete_features."
        )


def is_discrete_target(y, kind="auto"):
    """Whether a target of one or several columns is discrete.

    ``kind`` is the ``discrete_target`` parameter: one column follows
    :func:`discrete_target`; several columns are continuous outputs under
    "auto".
    """
    if kind != "auto":
        return bool(kind)
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return False
    return discrete_target(y)[1]
