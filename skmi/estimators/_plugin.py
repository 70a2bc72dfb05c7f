"""Plug-in (count) estimators of entropy and mutual information.

Every function here takes clean integer codes (non-negative integers of
any width) or probability tables and returns raw nats: no validation, no randomness, no
clipping. Joint variables are handled by combining codes into a single code
(:func:`joint_codes`), so every quantity reduces to one ``np.bincount``.

References
----------
.. [1] G. A. Miller, "Note on the bias of information estimates",
   Information Theory in Psychology, 1955.
.. [2] A. Chao and T.-J. Shen, "Nonparametric estimation of Shannon's index of
   diversity when there are unseen species in sample", Environmental and
   Ecological Statistics 10, 2003.
.. [3] J. Hausser and K. Strimmer, "Entropy inference and the James-Stein
   estimator, with application to nonlinear gene association networks",
   JMLR 10, 2009.
"""

import numpy as np

__all__ = [
    "bin_quantile",
    "bin_uniform",
    "code_dtype",
    "conditional_mutual_info_counts",
    "count_tables",
    "count_tables_masks",
    "entropy_counts",
    "entropy_probabilities",
    "factorize",
    "factorize_counted",
    "factorize_shifted",
    "joint_codes",
    "joint_entropies",
    "level_masks",
    "mutual_info_counts",
    "mutual_info_joint_probabilities",
    "table_entropies",
    "xlogx_table",
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


def entropy_probabilities(p):
    """Shannon entropy of a probability table, in nats (0 log 0 = 0)."""
    p = np.asarray(p, dtype=np.float64).ravel()
    p = p[p > 0]
    return float(-np.sum(p * np.log(p)))


def mutual_info_joint_probabilities(pxy):
    """Mutual information of a joint probability table ``pxy[x, y]``, in nats."""
    pxy = np.asarray(pxy, dtype=np.float64)
    return (
        entropy_probabilities(pxy.sum(axis=1))
        + entropy_probabilities(pxy.sum(axis=0))
        - entropy_probabilities(pxy)
    )


def _entropy_from_counts(counts, n, correction, n_cells):
    counts = counts[counts > 0].astype(np.float64)
    p = counts / n
    if correction is None:
        return float(-np.sum(p * np.log(p)))
    if correction == "miller-madow":
        # [1]: H_MM = H_ML + (m - 1) / (2N), m the number of occupied cells.
        return float(-np.sum(p * np.log(p)) + (counts.size - 1) / (2.0 * n))
    if correction == "chao-shen":
        # [2]: coverage-adjusted Horvitz-Thompson estimator.
        singletons = np.count_nonzero(counts == 1)
        if singletons == n:
            singletons = n - 1
        coverage = 1.0 - singletons / n
        pa = coverage * p
        inclusion = 1.0 - (1.0 - pa) ** n
        return float(-np.sum(pa * np.log(pa) / inclusion))
    if correction == "shrinkage":
        # [3]: James-Stein shrinkage of the cell frequencies towards uniform
        # over ``n_cells`` cells (empty cells included).
        n_cells = max(int(n_cells), counts.size)
        target = 1.0 / n_cells
        n_empty = n_cells - counts.size
        denominator = (n - 1.0) * (np.sum((target - p) ** 2) + n_empty * target**2)
        if n <= 1 or denominator == 0.0:
            lam = 1.0
        else:
            lam = (1.0 - np.sum(p**2)) / denominator
        lam = min(1.0, max(0.0, lam))
        shrunk = lam * target + (1.0 - lam) * p
        h = -np.sum(shrunk * np.log(shrunk))
        if n_empty and lam > 0:
            h -= n_empty * (lam * target) * np.log(lam * target)
        return float(h)
    raise ValueError(f"unknown correction {correction!r}")


def entropy_counts(codes, n_levels, correction=None):
    """Plug-in entropy of integer codes, in nats.

    Parameters
    ----------
    codes : ndarray of shape (n,), int64
        Codes in ``0..n_levels-1``.
    n_levels : int
        Number of possible values (used by the shrinkage correction).
    correction : {None, "miller-madow", "chao-shen", "shrinkage"}
        Bias correction.
    """
    n = codes.shape[0]
    if n == 0:
        return 0.0
    counts = np.bincount(codes)
    return _entropy_from_counts(counts, n, correction, n_levels)


def mutual_info_counts(x, kx, y, ky, correction=None):
    """Plug-in mutual information ``H(X) + H(Y) - H(X, Y)`` of codes, in nats.

    Without a correction this equals ``G / (2N)``, ``G`` the G-test statistic
    of the contingency table of ``x`` and ``y``.
    """
    xy, kxy = joint_codes([x, y], [kx, ky])
    return (
        entropy_counts(x, kx, correction)
        + entropy_counts(y, ky, correction)
        - entropy_counts(xy, kxy, correction)
    )


def conditional_mutual_info_counts(x, kx, y, ky, z, kz, correction=None):
    """Plug-in ``I(X; Y | Z) = H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z)``, in nats."""
    xz, kxz = joint_codes([x, z], [kx, kz])
    yz, kyz = joint_codes([y, z], [ky, kz])
    xyz, kxyz = joint_codes([xz, y], [kxz, ky])
    return (
        entropy_counts(xz, kxz, correction)
        + entropy_counts(yz, kyz, correction)
        - entropy_counts(xyz, kxyz, correction)
        - entropy_counts(z, kz, correction)
    )


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


# --------------------------------------------------------------------------
# compact codes and count tables of many variables with one shared variable
# --------------------------------------------------------------------------
#: largest number of (row x sample) or table cells handled by one batch
_TABLE_BUDGET = 1 << 22
#: number of 64-bit words of one AND of a chunk of bitmasks (4 MiB)
_MASK_CHUNK = 1 << 19
#: words whose bit counts (at most 64 each) are summed in 16 bits
_SUM_BLOCK = (np.iinfo(np.uint16).max + 1) // 64 - 1


def code_dtype(n_levels):
    """The smallest unsigned integer type holding the codes ``0..n_levels-1``."""
    for dtype in (np.uint8, np.uint16, np.uint32):
        if n_levels <= np.iinfo(dtype).max + 1:
            return dtype
    return np.int64


def level_masks(codes, n_levels_max, out=None):
    """Bitmasks of the samples at every level of every row of ``codes``.

    Parameters
    ----------
    codes : ndarray of shape (m, n), unsigned integers
        Codes in ``0..n_levels_max-1``.
    n_levels_max : int
    out : ndarray of shape (m, n_levels_max, ceil(n / 64)), uint64, optional
        Zeros, to receive the masks.

    Returns
    -------
    masks : ndarray of shape (m, n_levels_max, ceil(n / 64)), uint64
        Bit ``i`` of ``masks[r, a]`` is set when sample ``i`` of row ``r``
        has code ``a`` (bit order: little-endian within each word). The
        masks take ``n_levels_max / 8`` bytes per code.
    """
    m, n = codes.shape
    if out is None:
        out = np.zeros((m, n_levels_max, (n + 63) // 64), dtype=np.uint64)
    as_bytes = out.view(np.uint8)
    block = max(1, _TABLE_BUDGET // max(1, n))
    for start in range(0, m, block):
        part = codes[start : start + block]
        for a in range(n_levels_max):
            bits = np.packbits(part == a, axis=1, bitorder="little")
            as_bytes[start : start + block, a, : bits.shape[1]] = bits
    return out


def count_tables_masks(masks, rows, w, kw, levels=None):
    """Joint counts of each row's levels with the codes ``w`` by AND + popcount.

    Parameters
    ----------
    masks : ndarray of shape (m_all, K, words), uint64
        :func:`level_masks` of the candidate codes.
    rows : ndarray of shape (m,)
        The rows of ``masks`` to count.
    w : ndarray of shape (n,), integer
        Codes ``0..kw-1`` shared by every row.
    kw : int
    levels : ndarray of shape (m,), int, default=None
        Number of levels of each of the ``rows``. When given, a row's masks
        beyond its own levels (all zero) are not counted.

    Returns
    -------
    tables : ndarray of shape (m, K, kw), int64
        ``tables[i, a, b] = #{samples: row rows[i] = a and w = b}``.

    Notes
    -----
    The rows are ordered by their number of levels, then by position. A
    chunk of rows with the same number of levels (a run of consecutive rows
    of ``masks`` is read in place; scattered rows are gathered) is ANDed
    with the masks of every level of ``w`` at once, and the bits of the
    result counted and summed: a few numpy calls a chunk, each on about
    ``_MASK_CHUNK`` words. The calls are long because they release the GIL:
    threads counting different rows run in parallel only when their calls
    take far longer than handing the GIL over between calls (gathering rows
    holds it, hence the runs read in place). The bit counts (at most 64 a
    word) are summed in blocks of ``_SUM_BLOCK`` words in 16-bit integers,
    which cannot overflow and sum about 4x faster than 64-bit ones. The
    buffers are reused from chunk to chunk.
    """
    rows = np.asarray(rows, dtype=np.intp)
    _, k_all, words = masks.shape
    w_masks = level_masks(np.asarray(w).reshape(1, -1), kw)[0]
    out = np.zeros((rows.size, k_all, kw), dtype=np.int64)
    if rows.size == 0:
        return out
    if levels is None:
        levels = np.full(rows.size, k_all)
    levels = np.minimum(np.asarray(levels), k_all)
    order = np.lexsort((rows, levels))
    sorted_rows, sorted_levels = rows[order], levels[order]
    n_blocks = -(-words // _SUM_BLOCK)
    step = min(rows.size, max(1, _MASK_CHUNK // (k_all * kw * words)))
    gathered = np.empty((step, k_all, words), dtype=np.uint64)
    anded = np.empty((step, k_all, kw, words), dtype=np.uint64)
    bits = np.zeros((step, k_all, kw, n_blocks * _SUM_BLOCK), dtype=np.uint8)
    start = 0
    while start < rows.size:
        k = int(sorted_levels[start])
        stop = min(start + step, rows.size)
        stop = start + int(np.searchsorted(sorted_levels[start:stop], k, "right"))
        chunk_rows = sorted_rows[start:stop]
        breaks = np.flatnonzero(np.diff(chunk_rows) != 1)
        run = chunk_rows.size if breaks.size == 0 else int(breaks[0]) + 1
        if 2 * run >= chunk_rows.size:  # a run of consecutive rows, in place
            stop = start + run
            first = int(chunk_rows[0])
            chunk = masks[first : first + run, :k]
        else:
            r = chunk_rows.size
            # (with `out`, the default mode="raise" copies through a temporary)
            np.take(masks, chunk_rows, axis=0, out=gathered[:r], mode="clip")
            chunk = gathered[:r, :k]
        r = stop - start
        a, b = anded[:r, :k], bits[:r, :k]
        np.bitwise_and(chunk[:, :, None, :], w_masks, out=a)
        np.bitwise_count(a, out=b[..., :words])
        partial = b.reshape(r, k, kw, n_blocks, _SUM_BLOCK).sum(-1, dtype=np.uint16)
        out[order[start:stop], :k] = partial.sum(axis=-1, dtype=np.int64)
        start = stop
    return out


def count_tables(codes, rows, n_levels_max, w, kw):
    """Joint counts of each row's codes with the codes ``w`` by ``np.bincount``.

    The same tables as :func:`count_tables_masks`, from the codes: the joint
    codes ``kw * codes[r] + w`` of a batch of rows, offset into disjoint
    ranges, are counted by one ``np.bincount``.

    Parameters
    ----------
    codes : ndarray of shape (m_all, n), integer
    rows : ndarray of shape (m,)
    n_levels_max : int
        An upper bound of the codes of the rows, plus one.
    w : ndarray of shape (n,), integer
        Codes ``0..kw-1``.
    kw : int

    Returns
    -------
    tables : ndarray of shape (m, n_levels_max, kw), int64
    """
    n = codes.shape[1]
    cells = n_levels_max * kw
    step = max(1, _TABLE_BUDGET // max(n, cells))
    dtype = np.int32 if step * cells < np.iinfo(np.int32).max else np.int64
    w = np.asarray(w, dtype=dtype)
    out = np.empty((len(rows), n_levels_max, kw), dtype=np.int64)
    offsets = (np.arange(step, dtype=dtype) * dtype(cells))[:, None]
    for start in range(0, len(rows), step):
        batch = rows[start : start + step]
        joint = codes[batch].astype(dtype)
        joint *= dtype(kw)
        joint += w
        joint += offsets[: len(batch)]
        counts = np.bincount(joint.ravel(), minlength=len(batch) * cells)
        out[start : start + len(batch)] = counts.reshape(len(batch), n_levels_max, kw)
    return out


def table_entropies(tables, n, xlogx):
    """Plug-in entropies (nats) of the count tables ``tables[i, ...]``."""
    flat = tables.reshape(tables.shape[0], -1)
    return np.log(n) - xlogx[flat].sum(axis=1) / n


# --------------------------------------------------------------------------
# many joint entropies at once (the batched kernel of forward selection)
# --------------------------------------------------------------------------
#: largest number of bins counted by one ``np.bincount`` call
_BINCOUNT_BUDGET = 1 << 22


def xlogx_table(n):
    """``c log c`` for ``c = 0..n`` (with ``0 log 0 = 0``)."""
    c = np.arange(n + 1, dtype=np.float64)
    c[0] = 1.0
    return np.arange(n + 1) * np.log(c)


def joint_entropies(base, rows, mult, z, sizes, xlogx, y=None, ky=1):
    """Plug-in entropies (nats) of the codes ``c_i = base[rows[i]] + mult[i] * z``.

    Parameters
    ----------
    base : ndarray of shape (m_all, n), int64
        Candidate codes.
    rows : ndarray of shape (m,)
        The rows of ``base`` to use.
    mult : ndarray of shape (m,), int64
        Multiplier of ``z`` for each row (the number of levels of the row).
    z : ndarray of shape (n,), int64
        Codes shared by every row.
    sizes : ndarray of shape (m,), int64
        Upper bounds of the codes counted for each row (including the
        factor ``ky`` when ``y`` is given).
    xlogx : ndarray of shape (n + 1,)
        ``c log c`` for ``c = 0..n`` (``0 log 0 = 0``).
    y : ndarray of shape (n,), int64, default=None
        When given, count the joint codes ``y + ky * c_i`` instead.
    ky : int, default=1
        Number of levels of ``y``.

    Returns
    -------
    h : ndarray of shape (m,)
        ``log n - sum_c c log c / n`` of each row, ``c`` its counts.
    h_without_y : ndarray of shape (m,) or None
        When ``y`` is given, the entropies of the codes ``c_i`` alone
        (``y`` summed out of the same counts).

    Notes
    -----
    The rows are offset into disjoint ranges and counted by one
    ``np.bincount`` per group of rows; a row's sum involves only its own
    counts, so its entropy never depends on the other rows of the group.
    Groups hold at most ``_BINCOUNT_BUDGET`` bins and samples.
    """
    rows = np.asarray(rows, dtype=np.intp)
    mult = np.asarray(mult, dtype=np.int64)
    sizes = np.asarray(sizes, dtype=np.int64)
    m, n = rows.shape[0], base.shape[1]
    h = np.empty(m)
    hf = np.empty(m) if y is not None else None
    log_n = np.log(n)
    products = {}

    def fill(out, i, offset):
        k = int(mult[i])
        if k not in products:
            products[k] = k * z
        np.add(base[rows[i]], products[k], out=out)
        if y is not None:
            out *= ky
            out += y
        if offset:
            out += offset

    big = sizes > max(_BINCOUNT_BUDGET, 4 * n)
    code = np.empty(n, dtype=np.int64)
    for i in np.flatnonzero(big):
        fill(code, i, 0)
        h[i] = log_n - np.sum(xlogx[np.unique(code, return_counts=True)[1]]) / n
        if y is not None:
            folded = np.unique(code // ky, return_counts=True)[1]
            hf[i] = log_n - np.sum(xlogx[folded]) / n
    small = np.flatnonzero(~big)
    max_rows = max(1, _BINCOUNT_BUDGET // n)
    start = 0
    while start < small.size:
        cum = np.cumsum(sizes[small[start : start + max_rows]])
        stop = start + max(1, int(np.searchsorted(cum, _BINCOUNT_BUDGET, "right")))
        group = small[start:stop]
        offsets = np.concatenate(([0], np.cumsum(sizes[group])[:-1]))
        flat = np.empty((group.size, n), dtype=np.int64)
        for i, g in enumerate(group):
            fill(flat[i], g, int(offsets[i]))
        counts = np.bincount(
            flat.ravel(), minlength=int(offsets[-1] + sizes[group[-1]])
        )
        h[group] = log_n - np.add.reduceat(xlogx[counts], offsets) / n
        if y is not None:
            folded = counts.reshape(-1, ky).sum(axis=1)
            hf[group] = log_n - np.add.reduceat(xlogx[folded], offsets // ky) / n
        start = stop
    return h, hf


# --------------------------------------------------------------------------
# expected plug-in information under independence (adjustment for chance)
# --------------------------------------------------------------------------
#: largest number of hypergeometric terms evaluated at once
_EXPECTATION_BUDGET = 1 << 16
#: log-probabilities below this are taken as zero
_LOG_NEGLIGIBLE = -600.0


_LOG_FACTORIALS = np.zeros(1)


def _log_factorials(n):
    """``log k!`` for ``k = 0..n`` (at least), from a table kept between calls."""
    global _LOG_FACTORIALS
    table = _LOG_FACTORIALS
    if table.shape[0] <= n:
        from scipy.special import gammaln

        table = gammaln(np.arange(max(n + 1, 2 * table.shape[0]), dtype=np.float64) + 1)
        _LOG_FACTORIALS = table
    return table


_LOG_INTEGERS = np.zeros(1)


def _log_integers(n):
    """``log k`` for ``k = 0..n`` (at least; ``log 0`` taken as 0), kept."""
    global _LOG_INTEGERS
    table = _LOG_INTEGERS
    if table.shape[0] <= n:
        k = np.arange(max(n + 1, 2 * table.shape[0]), dtype=np.float64)
        k[0] = 1.0
        table = np.log(k)
        _LOG_INTEGERS = table
    return table


def _expected_cells(a, b, n, weight, log_fact, group=None, n_groups=1):
    """``sum_c weight_c E[(m/n) log(n m / (a b))]`` with ``m ~ Hypergeom(n, a, b)``.

    With ``group`` (an integer per cell in ``0..n_groups-1``), the sums of
    each group of cells, as an array of shape (n_groups,).

    Each cell ``c`` of a contingency table with row total ``a_c``, column
    total ``b_c`` and grand total ``n_c`` contributes, under independence
    with fixed margins, ``sum_m P(m) (m / n) log(n m / (a b))`` over the
    support ``max(1, a + b - n) <= m <= min(a, b)`` of the hypergeometric
    law [4]_ (eq. 24a), restricted to where the probabilities are not
    negligible. The terms of all cells are evaluated as flat arrays, in
    blocks of at most ``_EXPECTATION_BUDGET`` terms.
    """
    # Chvatal's bound P(|m - ab/n| >= d) <= 2 exp(-2 d^2 / min(a, b)): beyond
    # d = 7 sqrt(min(a, b)) the probabilities are below 2 exp(-98) ~ 1e-42, and
    # their terms (each at most log n) are far below the rounding of the sum
    # at double precision, so the sum runs over that window of the support
    mean = a * b / n
    half = np.ceil(7.0 * np.sqrt(np.minimum(a, b))).astype(np.int64) + 1
    lo = np.maximum(np.maximum(1, a + b - n), np.floor(mean).astype(np.int64) - half)
    hi = np.minimum(np.minimum(a, b), np.ceil(mean).astype(np.int64) + half)
    sizes = np.maximum(hi - lo + 1, 0)
    keep = sizes > 0
    a, b, n, weight, lo, sizes = (v[keep] for v in (a, b, n, weight, lo, sizes))
    totals = np.zeros(n_groups)
    if group is not None:
        group = group[keep]
    # log of the part of P(m) that does not depend on m
    head = log_fact[a] + log_fact[b] + log_fact[n - a] + log_fact[n - b] - log_fact[n]
    # each term is P(m) (m / n) (log m + shift), shift = log(n / (a b)); the
    # arguments of the factorials in P(m) are base + offset or base - offset
    shift = np.log(n) - np.log(a) - np.log(b)
    log_m = _log_integers(int(np.max(a, initial=1)))
    bases = (lo, a - lo, b - lo, n - a - b + lo)
    ends = np.cumsum(sizes)
    start = 0
    while start < sizes.size:
        first = int(ends[start] - sizes[start])
        stop = max(
            start + 1,
            int(np.searchsorted(ends, first + _EXPECTATION_BUDGET, side="right")),
        )
        starts = ends[start:stop] - sizes[start:stop] - first
        cell = np.repeat(np.arange(stop - start), sizes[start:stop])
        offset = np.arange(cell.size) - starts[cell]
        m, from_a, from_b, rest = (base[start:stop][cell] for base in bases)
        m += offset
        log_p = head[start:stop][cell]
        log_p -= log_fact[m]
        log_p -= log_fact[from_a - offset]
        log_p -= log_fact[from_b - offset]
        log_p -= log_fact[rest + offset]
        # probabilities below exp(-600) add nothing at double precision, and
        # left as subnormal numbers they would slow every later operation
        prob = np.zeros_like(log_p)
        np.exp(log_p, out=prob, where=log_p > _LOG_NEGLIGIBLE)
        term = log_m[m]
        term += shift[start:stop][cell]
        term *= m
        term *= prob
        # (the terms of each cell are contiguous)
        per_cell = np.add.reduceat(term, starts) * (weight / n)[start:stop]
        if group is None:
            totals[0] += np.sum(per_cell)
        else:
            totals += np.bincount(
                group[start:stop], weights=per_cell, minlength=n_groups
            )
        start = stop
    return float(totals[0]) if group is None else totals


def _margin_groups(strata, codes, n_levels):
    """Distinct ``(stratum, level total)`` pairs and how many levels share each.

    Returns the stratum, the total and the multiplicity of each pair, sorted
    by stratum.
    """
    n = codes.shape[0]
    pair, size = joint_codes([codes, strata], [n_levels, int(strata.max()) + 1])
    if size <= max(4 * n, 1 << 20):
        totals = np.bincount(pair, minlength=size)
        occupied = np.flatnonzero(totals)
        totals = totals[occupied]
    else:
        occupied, totals = np.unique(pair, return_counts=True)
    key = (occupied // n_levels) * (n + 1) + totals
    unique_key, multiplicity = np.unique(key, return_counts=True)
    return unique_key // (n + 1), unique_key % (n + 1), multiplicity


def expected_mutual_info_counts(x, kx, y, ky, z=None, kz=1):
    """Expected plug-in ``I(X; Y)`` (or ``I(X; Y | Z)``) under independence, in nats.

    The expectation is over all tables with the observed margins, that is
    over the permutations of ``y`` (within each level of ``z`` when given):
    the hypergeometric expectation of Vinh, Epps and Bailey [4]_ (eq. 24a),
    averaged over the levels of ``z`` with weights ``n_z / n``. Subtracting
    it from the plug-in estimate gives information adjusted for chance: a
    variable with one level per sample has plug-in information ``H(Y)``
    (``H(Y | Z)``) and exactly that expectation.

    Distinct margins are grouped, so the cost is the number of hypergeometric
    terms of distinct ``(row total, column total)`` pairs, not of cells.

    Parameters
    ----------
    x, y : ndarray of shape (n,), int64
        Codes in ``0..kx-1`` and ``0..ky-1``.
    kx, ky : int
        Numbers of levels.
    z : ndarray of shape (n,), int64, or None
        Codes of the conditioning variable.
    kz : int
        Number of levels of ``z``.

    Returns
    -------
    float

    References
    ----------
    .. [4] N. X. Vinh, J. Epps and J. Bailey, "Information theoretic measures
       for clusterings comparison: variants, properties, normalization and
       correction for chance", JMLR 11, 2010.
    """
    n = x.shape[0]
    if n == 0:
        return 0.0
    z = np.zeros(n, dtype=np.int64) if z is None else np.asarray(z, dtype=np.int64)
    za, a, ca = _margin_groups(z, x, kx)
    zb, b, cb = _margin_groups(z, y, ky)
    return _expected_of_groups(za, a, ca, zb, b, cb, np.bincount(z), n)


def _expected_of_groups(za, a, ca, zb, b, cb, n_z, n, per=None):
    """The expectation of :func:`expected_mutual_info_counts` from grouped margins.

    ``(za, a, ca)``: stratum, row total and multiplicity of each distinct
    occupied row margin, sorted by stratum; ``(zb, b, cb)`` the same for the
    columns; ``n_z`` the size of each stratum; ``n`` the number of samples.
    With ``per``, strata ``per * g .. per * g + per - 1`` belong to table
    ``g``, and the expectation of each table is returned.
    """
    # cross product of the row and column totals within each stratum
    starts_b = np.searchsorted(zb, za, side="left")
    counts_b = np.searchsorted(zb, za, side="right") - starts_b
    rows = np.repeat(np.arange(a.size), counts_b)
    first_col = starts_b - np.cumsum(counts_b) + counts_b
    cols = np.repeat(first_col, counts_b) + np.arange(rows.size)
    strata = za[rows]
    if per is not None:  # (n: the samples of each table)
        n = np.add.reduceat(n_z, np.arange(0, n_z.size, per))[strata // per]
    weight = ca[rows] * cb[cols] * (n_z[strata] / n)
    if per is None:
        return _expected_cells(
            a[rows],
            b[cols],
            n_z[strata],
            weight.astype(np.float64),
            _log_factorials(n),
        )
    return _expected_cells(
        a[rows],
        b[cols],
        n_z[strata],
        weight.astype(np.float64),
        _log_factorials(int(n_z.max())),
        group=strata // per,
        n_groups=n_z.size // per,
    )


def adjusted_mutual_info_counts(x, kx, y, ky, z=None, kz=1):
    """Plug-in ``I(X; Y)`` (``I(X; Y | Z)``) minus its expectation under independence.

    See :func:`expected_mutual_info_counts`; the result is in nats, zero on
    average under independence and exactly zero for a variable with one
    level per sample.
    """
    if z is None:
        observed = mutual_info_counts(x, kx, y, ky)
    else:
        observed = conditional_mutual_info_counts(x, kx, y, ky, z, kz)
    return observed - expected_mutual_info_counts(x, kx, y, ky, z, kz)


def _table_margin_groups(totals, n):
    """Distinct ``(stratum, total)`` pairs of a ``(n_strata, k)`` table of totals."""
    strata, level = np.nonzero(totals)
    key = strata * (n + 1) + totals[strata, level]
    unique_key, multiplicity = np.unique(key, return_counts=True)
    return unique_key // (n + 1), unique_key % (n + 1), multiplicity


def expected_mutual_info_tables(tables):
    """Expected plug-in ``I(A; B | S)`` under independence, from contingency tables.

    The same expectation as :func:`expected_mutual_info_counts`, for data
    given by its counts: ``tables[s, a, b]`` is the number of samples with
    ``S = s``, ``A = a`` and ``B = b`` (a single stratum for ``I(A; B)``).
    Only the margins of each stratum's table enter.

    Parameters
    ----------
    tables : ndarray of shape (n_strata, ka, kb), int
        Counts.

    Returns
    -------
    float
    """
    tables = np.asarray(tables, dtype=np.int64)
    a_totals = tables.sum(axis=2)
    b_totals = tables.sum(axis=1)
    n_z = a_totals.sum(axis=1)
    n = int(n_z.sum())
    if n == 0:
        return 0.0
    za, a, ca = _table_margin_groups(a_totals, n)
    zb, b, cb = _table_margin_groups(b_totals, n)
    return _expected_of_groups(za, a, ca, zb, b, cb, n_z, n)


def expected_mutual_info_table_batch(tables):
    """:func:`expected_mutual_info_tables` of each of a batch of tables at once.

    The margins of all tables are grouped together and their hypergeometric
    terms evaluated as one set of flat arrays, so many small tables (the
    candidates of a forward-selection step) cost about as much as one table
    of their total size. Tables may hold different numbers of samples.

    Parameters
    ----------
    tables : ndarray of shape (n_tables, n_strata, ka, kb), int
        ``tables[g, s, a, b]``: counts of table ``g`` (a table without
        samples has expectation 0).

    Returns
    -------
    ndarray of shape (n_tables,)
    """
    tables = np.asarray(tables, dtype=np.int64)
    n_tables, n_strata = tables.shape[:2]
    if n_tables == 0:
        return np.zeros(0)
    a_totals = tables.sum(axis=3).reshape(n_tables * n_strata, -1)
    b_totals = tables.sum(axis=2).reshape(n_tables * n_strata, -1)
    n_z = a_totals.sum(axis=1)
    n = int(n_z.max(initial=0))
    if n == 0:
        return np.zeros(n_tables)
    za, a, ca = _table_margin_groups(a_totals, n)
    zb, b, cb = _table_margin_groups(b_totals, n)
    return _expected_of_groups(za, a, ca, zb, b, cb, n_z, None, per=n_strata)


def expected_mutual_info_margins(row_totals, column_totals):
    """Expected plug-in ``I(A; B)`` under independence, from the two margins.

    Parameters
    ----------
    row_totals, column_totals : ndarray of int
        Numbers of samples of each level of ``A`` and of ``B`` (both summing
        to the number of samples; zeros are ignored).

    Returns
    -------
    float
    """
    row_totals = np.asarray(row_totals, dtype=np.int64)
    column_totals = np.asarray(column_totals, dtype=np.int64)
    n = int(row_totals.sum())
    if n == 0:
        return 0.0
    za, a, ca = _table_margin_groups(row_totals[None, :], n)
    zb, b, cb = _table_margin_groups(column_totals[None, :], n)
    return _expected_of_groups(za, a, ca, zb, b, cb, np.array([n]), n)
