"""Kernel inputs: discrete masks, columns read in blocks, scaling, seeded jitter.

The estimators turn validated numeric arrays into clean kernel inputs here:

* discrete masks from ``discrete_features`` (bool, mask, indices or "auto");
* columns of dense and sparse arrays, read a block of columns at a time;
* unit-variance scaling of continuous columns (k-NN estimates are not
  invariant to rescaling one variable relative to another);
* a tiny seeded jitter that breaks exact ties, drawn here, once, from the
  caller's random state and before any parallel work, so results never depend
  on ``n_jobs``;
* the validation of the samples of one variable given to an estimator's
  public methods.

User tables (data frames, strings, categories, dates) are read before, by
``skmi._columns``; nothing here knows about them.
"""

import numpy as np
from scipy import sparse

__all__ = [
    "JITTER",
    "add_jitter",
    "as_variable_array",
    "column",
    "column_block",
    "column_blocks",
    "column_scales",
    "constant_columns",
    "make_discrete_mask",
    "scale_columns",
    "standard_scales",
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


def standard_scales(a):
    """Standard deviation of each column of ``a`` (a positive value if constant).

    Computed on the columns divided by their largest magnitude, so no square
    overflows or underflows at extreme magnitudes. A constant column gets its
    largest magnitude (1 when it is all zeros), so dividing by the scale
    keeps it bounded.
    """
    top = np.max(np.abs(a), axis=0)
    top[~(top > 0)] = 1.0
    std = (a / top).std(axis=0)
    scale = top * std
    return np.where(scale > 0, scale, top)
