"""Count tables of many discrete variables against one shared variable.

The batched kernels of the selection layer: the tables (or their entropies)
of many candidate columns with one shared variable ``W`` (the selected set
and the target) at once, by ANDing per-level bitmasks of the samples and
counting bits (:func:`count_tables_masks`), by one ``np.bincount`` of joint
codes (:func:`count_tables`), or, for codes whose range is too large to
count, by sorting (:func:`joint_entropies`). Entropies in nats.
"""

import numpy as np

from ._chance import expected_mutual_info_level_batch

__all__ = [
    "PairTables",
    "count_tables",
    "count_tables_masks",
    "joint_entropies",
    "level_masks",
    "marginal_mutual_info",
    "marginal_mutual_info_of_tables",
    "table_entropies",
    "xlogx_table",
]

#: largest number of (row x sample) or table cells handled by one batch
_TABLE_BUDGET = 1 << 22
#: number of 64-bit words of one AND of a chunk of bitmasks (4 MiB)
_MASK_CHUNK = 1 << 19
#: words whose bit counts (at most 64 each) are summed in 16 bits
_SUM_BLOCK = (np.iinfo(np.uint16).max + 1) // 64 - 1


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


def _joint_level_counts(codes, rows, n_levels, y, ky):
    """Counts of the joint levels of ``codes[r]`` and ``y``, of several rows.

    Returns the counts of the rows one after another (``n_levels[r] * ky``
    cells each, ``x * ky + y`` in each) and where each row starts.
    """
    sizes = n_levels[rows] * ky
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    flat = np.stack([codes[r] for r in rows]).astype(np.int64)
    flat *= ky
    flat += y
    flat += offsets[:, None]
    return np.bincount(flat.ravel(), minlength=int(np.sum(sizes))), offsets


def _large_tables(n_levels, ky, n):
    """Which columns' tables with a target of ``ky`` levels are counted by
    sorting (too large for one ``np.bincount``)."""
    return n_levels * ky > max(_TABLE_BUDGET, 4 * n)


class _MarginalInformation:
    """``I(X_r; Y)`` of many columns from their counts, in one fixed order of
    operations whatever produced the counts (codes in memory, or tables
    summed over blocks of rows), so the two give the same bits.

    A constant column, or any column with a constant target, carries no
    information: it is not counted and its value is exactly 0, not the
    rounding of a difference of equal entropies (:attr:`varying` tells the
    columns to count).
    """

    def __init__(self, n_levels, y_counts, chance):
        m = n_levels.size
        self.varying = n_levels > 1
        if np.count_nonzero(y_counts) < 2:
            self.varying[:] = False
        self.n = int(np.sum(y_counts))
        self.xlogx = xlogx_table(self.n)
        self.log_n = np.log(self.n)
        self.y_counts = y_counts
        self.chance = chance
        # (the columns not counted keep zeros, then score exactly 0)
        self.h_x, self.h_xy = np.zeros(m), np.zeros(m)
        self.totals, self.owner = [], []

    def large(self, r, level, cells):
        """Column ``r`` from its occupied levels' and cells' counts (in the
        order of their codes)."""
        self.h_x[r] = self.log_n - np.sum(self.xlogx[level]) / self.n
        self.h_xy[r] = self.log_n - np.sum(self.xlogx[cells]) / self.n
        self.totals.append(level)
        self.owner.append(np.full(level.size, r))

    def small(self, rows, counts, offsets, n_levels, ky):
        """Columns ``rows`` from their tables one after another (``x * ky + y``)."""
        self.h_xy[rows] = (
            self.log_n - np.add.reduceat(self.xlogx[counts], offsets) / self.n
        )
        folded = counts.reshape(-1, ky).sum(axis=1)
        self.h_x[rows] = (
            self.log_n - np.add.reduceat(self.xlogx[folded], offsets // ky) / self.n
        )
        self.totals.append(folded)
        self.owner.append(np.repeat(rows, n_levels[rows]))

    def values(self):
        h_y = self.log_n - np.sum(self.xlogx[self.y_counts]) / self.n
        mi = self.h_x + h_y - self.h_xy
        if self.chance and self.totals:
            mi -= expected_mutual_info_level_batch(
                np.concatenate(self.totals),
                np.concatenate(self.owner),
                mi.size,
                self.y_counts,
            )
        return np.where(self.varying, mi, 0.0)


def marginal_mutual_info(codes, n_levels, y, ky, chance=False):
    """Plug-in ``I(X_r; Y)`` of many discrete columns with one target, in nats.

    The count tables of all columns with ``y`` are counted by one
    ``np.bincount`` per group of columns (at most ``_TABLE_BUDGET`` cells
    and samples), by sorting for a column whose table is too large to count;
    with ``chance``, the expectations under independence of all columns come
    from their level totals in one batch
    (:func:`~skmi.estimators._chance.expected_mutual_info_level_batch`).
    :func:`marginal_mutual_info_of_tables` gives the same values from the
    tables.

    Parameters
    ----------
    codes : sequence of ndarray of shape (n,), integer
        Codes of each column in ``0..n_levels[r]-1``.
    n_levels : ndarray of shape (m,), int
    y : ndarray of shape (n,), int64
        Codes of the target in ``0..ky-1``.
    ky : int
    chance : bool, default=False
        Subtract from each information its expectation under independence
        given the margins.

    Returns
    -------
    ndarray of shape (m,)
        ``H(X_r) + H(Y) - H(X_r, Y)``, unclipped (less its expectation);
        exactly 0 for a constant column, and for every column when the
        target is constant.
    """
    n_levels = np.asarray(n_levels, dtype=np.int64)
    n = y.shape[0]
    out = _MarginalInformation(n_levels, np.bincount(y, minlength=ky), chance)
    big = _large_tables(n_levels, ky, n)
    for r in np.flatnonzero(big & out.varying):
        x = np.asarray(codes[r], dtype=np.int64)
        level = np.unique(x, return_counts=True)[1]
        out.large(r, level, np.unique(x * ky + y, return_counts=True)[1])
    small = np.flatnonzero(~big & out.varying)
    cells = np.cumsum(n_levels[small] * ky + n)
    start = 0
    while start < small.size:
        done = cells[start - 1] if start else 0
        fit = np.searchsorted(cells[start:] - done, _TABLE_BUDGET, "right")
        stop = start + max(1, int(fit))
        rows = small[start:stop]
        out.small(
            rows, *_joint_level_counts(codes, rows, n_levels, y, ky), n_levels, ky
        )
        start = stop
    return out.values()


def marginal_mutual_info_of_tables(tables, n_levels, y_counts, chance=False):
    """:func:`marginal_mutual_info` from the columns' count tables.

    The same values to the last bit as from the codes with these tables
    (tables summed over blocks of rows give the values of the whole data).

    Parameters
    ----------
    tables : ndarray of shape (m, k, ky), int
        ``tables[r, a, c]``: samples of level ``a`` of column ``r`` and
        class ``c`` (levels ``a >= n_levels[r]`` are empty).
    n_levels : ndarray of shape (m,), int
    y_counts : ndarray of shape (ky,), int
        Samples of each class of the target.
    chance : bool, default=False

    Returns
    -------
    ndarray of shape (m,)
    """
    tables = np.asarray(tables, dtype=np.int64)
    n_levels = np.asarray(n_levels, dtype=np.int64)
    y_counts = np.asarray(y_counts, dtype=np.int64)
    ky = y_counts.size
    out = _MarginalInformation(n_levels, y_counts, chance)
    big = _large_tables(n_levels, ky, out.n)
    for r in np.flatnonzero(big & out.varying):
        cells = tables[r, : n_levels[r]].ravel()
        level = tables[r, : n_levels[r]].sum(axis=1)
        out.large(r, level[level > 0], cells[cells > 0])
    small = np.flatnonzero(~big & out.varying)
    if small.size:
        counts = np.concatenate([tables[r, : n_levels[r]].ravel() for r in small])
        offsets = np.concatenate(([0], np.cumsum(n_levels[small] * ky)[:-1]))
        out.small(small, counts, offsets, n_levels, ky)
    return out.values()


# --------------------------------------------------------------------------
# batched counts of every pair of columns (the synergy screen)
# --------------------------------------------------------------------------
def _onehot(codes, levels, offsets, dtype):
    out = np.zeros((codes.shape[1], int(np.sum(levels))), dtype=dtype)
    rows = np.arange(codes.shape[1])
    for k in range(codes.shape[0]):
        out[rows, offsets[k] + codes[k]] = 1.0
    return out


class PairTables:
    """Plug-in entropies of every pair (left row, right row) of code rows,
    with and without Y.

    The counts of all pairs come from one product of one-hot indicator
    matrices, ``L^T R`` (``L`` of shape ``(n, sum_a K_a)`` for the left rows,
    ``R`` likewise for the right ones, ``R = L`` by default), and, for each
    class ``c`` of the target but the largest, ``L_c^T R_c`` over the samples
    of that class (the largest class is the total less the others); the
    block ``(a, b)`` of the product is the contingency table of rows ``a``
    and ``b``. With ``R = L`` the diagonal blocks give ``H(X_a)`` and
    ``H(X_a, Y)``. The values are the plug-in entropies of the joint codes
    (``sum c log c`` of the counts, as
    :func:`~skmi.estimators._count_tables.joint_entropies`), computed with matrix
    products instead of one ``bincount`` per pair, in single precision below
    2**24 samples (about 1e-6 nats).
    """

    def __init__(self, codes, levels, right_codes=None, right_levels=None):
        n = codes.shape[1]
        self.n = n
        dtype = np.float32 if n < 2**24 else np.float64  # exact counts
        self.levels = np.asarray(levels, dtype=np.int64)
        self.offsets = np.concatenate(([0], np.cumsum(self.levels)[:-1]))
        self.left = _onehot(codes, self.levels, self.offsets, dtype)
        if right_codes is None:
            self.right, self.right_offsets = self.left, self.offsets
            self.right_levels = self.levels
        else:
            right_levels = np.asarray(right_levels, dtype=np.int64)
            self.right_levels = right_levels
            self.right_offsets = np.concatenate(([0], np.cumsum(right_levels)[:-1]))
            self.right = _onehot(right_codes, right_levels, self.right_offsets, dtype)
        self.xlogx = xlogx_table(n)
        self.total = self.left.T @ self.right
        self.sum_total = self._block_sums(self.total)
        self.h_pair = np.log(n) - self.sum_total / n

    def _block_sums(self, counts):
        """``sum c log c`` of each block of a count matrix."""
        # in the precision of the counts (single below 2**24 samples): the
        # observed and the permuted statistics are computed alike
        v = counts * np.log(np.maximum(counts, 1))
        v = np.add.reduceat(v, self.offsets, axis=0)
        return np.add.reduceat(v, self.right_offsets, axis=1).astype(np.float64)

    def with_target(self, y, ky):
        """``H(X_a, X_b, Y)`` of every pair (``H(X_a, Y)`` on the diagonal
        when ``R = L``)."""
        counts = np.bincount(y, minlength=ky)
        largest = int(np.argmax(counts))
        rest = np.array(self.total)
        s = np.zeros_like(self.sum_total)
        for c in range(ky):
            if c == largest or counts[c] == 0:
                continue
            mask = y == c
            part = self.left[mask].T @ self.right[mask]
            rest -= part
            s += self._block_sums(part)
        s += self._block_sums(rest)
        return np.log(self.n) - s / self.n
