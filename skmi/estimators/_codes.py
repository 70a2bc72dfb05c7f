"""Integer codes of discrete variables: factorising, joint codes, bins.

Every function takes clean arrays and returns codes ``0..k-1`` with their
number of levels ``k``: no validation, no randomness. A joint variable is one
code, ``a + Ka * (b + Kb * c)`` (:func:`joint_codes`), factorised back to a
compact range when it grows, so every count reduces to one ``np.bincount``.
Continuous columns are cut into equal-frequency or equal-width bins.
"""

import numpy as np

__all__ = [
    "bin_quantile",
    "bin_uniform",
    "code_dtype",
    "factorize",
    "factorize_counted",
    "factorize_shifted",
    "joint_codes",
]

_MAX_CODE = np.iinfo(np.int64).max // 4


def factorize(values):
    """Map the rows of ``values`` to dense integer codes ``0..K-1``.

    Parameters
    ----------
    values : ndarray of shape (n,) or (n, d)
        Values of any sortable dtype.

    Returns
    -------
    codes : ndarray of shape (n,), int64
    n_levels : int
    """
    values = np.asarray(values)
    if values.ndim == 2:
        if values.shape[1] == 1:
            values = values[:, 0]
        else:
            columns = [factorize(values[:, j]) for j in range(values.shape[1])]
            return joint_codes([c for c, _ in columns], [k for _, k in columns])
    counted = factorize_counted(values)
    if counted is not None:  # integers in a short range: no sorting
        codes, n_levels, _ = counted
        return codes.astype(np.int64), n_levels
    uniques, codes = np.unique(values, return_inverse=True)
    return codes.reshape(-1).astype(np.int64, copy=False), int(uniques.shape[0])


#: largest range of integers counted value by value rather than by bincount
_EQUAL_COUNT_SPAN = 16


def factorize_counted(values):
    """Dense codes of integer values in a short range, and the level counts.

    The codes are those of :func:`factorize` (each value's rank among the
    values present), kept in the smallest unsigned type that holds them.
    Values within ``_EQUAL_COUNT_SPAN`` of each other are counted value by
    value (``count_nonzero`` of an equality, several times faster than
    ``np.bincount`` and free of the GIL); when every value of the range is
    present, the shifted values are the codes. Longer ranges are counted
    with ``np.bincount`` and mapped through their running count.

    Parameters
    ----------
    values : ndarray of shape (n,)

    Returns
    -------
    codes : ndarray of shape (n,), unsigned integers
    n_levels : int
    level_counts : ndarray of shape (n_levels,), int64
        Number of samples at each code.

    Or None when the values are not all integers or their range is longer
    than ``max(n, 2**16)``.
    """
    if values.ndim != 1 or values.size == 0 or values.dtype.kind not in "iuf":
        return None
    if values.dtype.kind == "f":
        with np.errstate(invalid="ignore"):
            ints = values.astype(np.int64)
        if not np.array_equal(ints, values):  # fractions, NaN, huge values
            return None
    else:
        ints = values
    lo, hi = int(ints.min()), int(ints.max())
    span = hi - lo + 1
    if span > max(values.size, 1 << 16):
        return None
    if span <= 256:
        # the values minus lo, modulo 256 (exact, as the span is at most 256)
        shifted = ints.astype(np.uint8)
        shifted -= np.uint8(lo % 256)
    else:
        if ints.dtype.kind == "i":  # (narrow signed types would overflow)
            ints = ints.astype(np.int64, copy=False)
        shifted = (ints - lo).astype(np.intp, copy=False)
    return factorize_shifted(shifted, span)


def factorize_shifted(shifted, span):
    """:func:`factorize_counted` of values already shifted to ``0..span-1``.

    Parameters
    ----------
    shifted : ndarray of shape (n,), unsigned or intp
        The values minus their minimum.
    span : int
        One more than the largest shifted value.

    Returns
    -------
    codes : ndarray of shape (n,), unsigned integers
    n_levels : int
    level_counts : ndarray of shape (n_levels,), int64
    """
    if span <= _EQUAL_COUNT_SPAN:
        counts = np.array([np.count_nonzero(shifted == v) for v in range(span)])
    else:
        counts = np.bincount(shifted, minlength=span)
    present = counts > 0
    n_levels = int(np.count_nonzero(present))
    dtype = code_dtype(n_levels)
    if n_levels == span:
        codes = shifted.astype(dtype, copy=False)
    else:
        rank = (np.cumsum(present) - 1).astype(dtype)
        codes = rank[shifted]
    return codes, n_levels, counts[present].astype(np.int64)


def joint_codes(codes, n_levels):
    """Combine several code arrays into one code of their joint values.

    The combination is ``a + Ka * (b + Kb * c)``; when the product of the
    numbers of levels would overflow, the partial code is re-densified first.

    Parameters
    ----------
    codes : sequence of ndarray of shape (n,)
        Dense integer codes, ``codes[i]`` in ``0..n_levels[i]-1``.
    n_levels : sequence of int
        Number of levels of each code array.

    Returns
    -------
    codes : ndarray of shape (n,), int64
        Joint code (not necessarily dense).
    n_levels : int
        An upper bound of the joint code plus one.
    """
    out = np.asarray(codes[0], dtype=np.int64)
    size = int(n_levels[0])
    for c, k in zip(codes[1:], n_levels[1:], strict=True):
        k = int(k)
        if size * k > _MAX_CODE:
            out, size = factorize(out)
        out = out + size * np.asarray(c, dtype=np.int64)
        size *= k
    return out, size


def bin_quantile(x, n_bins):
    """Equal-frequency bin codes of a 1-D float array.

    The code of a value is ``floor((r - 1/2) * n_bins / n)`` with ``r`` its
    average rank, so equal values share a bin and the codes are unchanged by
    any strictly increasing transform of ``x``.
    """
    n = x.shape[0]
    order = np.argsort(x, kind="stable")
    xs = x[order]
    # average ranks (1-based) of runs of equal values
    starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
    ends = np.r_[starts[1:], n]
    run_rank = (starts + ends + 1) / 2.0
    ranks = np.empty(n)
    ranks[order] = np.repeat(run_rank, ends - starts)
    codes = np.floor((ranks - 0.5) * n_bins / n).astype(np.int64)
    return factorize(codes)


def bin_uniform(x, n_bins):
    """Equal-width bin codes of a 1-D float array over its range."""
    lo, hi = float(np.min(x)), float(np.max(x))
    if hi <= lo:
        return np.zeros(x.shape[0], dtype=np.int64), 1
    # halves keep the differences finite for values near the float limits
    width = hi / 2 - lo / 2
    codes = np.floor((x / 2 - lo / 2) / width * n_bins).astype(np.int64)
    np.clip(codes, 0, n_bins - 1, out=codes)
    return factorize(codes)


def code_dtype(n_levels):
    """The smallest unsigned integer type holding the codes ``0..n_levels-1``."""
    for dtype in (np.uint8, np.uint16, np.uint32):
        if n_levels <= np.iinfo(dtype).max + 1:
            return dtype
    return np.int64
