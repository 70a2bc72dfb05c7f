"""Expected plug-in information under independence (adjustment for chance).

Under independence with the observed margins held fixed, each cell count of
a contingency table is hypergeometric; the expectation of the plug-in mutual
information is the sum over cells of ``E[(m/n) log(n m / (a b))]``, and a
conditional one sums such terms within each stratum. The functions below
compute it from codes (:func:`expected_mutual_info_counts`), from count
tables, one or many at a time (:func:`expected_mutual_info_tables`,
:func:`expected_mutual_info_table_batch`), or from the margins alone, of
one table or of many variables with one target
(:func:`expected_mutual_info_margins`,
:func:`expected_mutual_info_level_batch`), or of many tables that share their
column totals, as the candidates of a forward-selection step do
(:func:`expected_mutual_info_shared_columns`,
:func:`expected_mutual_info_row_batch`). Results in nats. The expectation is
that of Vinh, Epps and Bailey (2010), see :func:`expected_mutual_info_counts`;
each cell's sum runs over a window of the support that leaves out a
probability below ``2 exp(-40)`` (:func:`_windows`).
"""

import threading

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._codes import joint_codes

__all__ = [
    "expected_mutual_info_counts",
    "expected_mutual_info_level_batch",
    "expected_mutual_info_margins",
    "expected_mutual_info_row_batch",
    "expected_mutual_info_shared_columns",
    "expected_mutual_info_table_batch",
    "expected_mutual_info_tables",
]

#: largest number of hypergeometric terms evaluated at once
_EXPECTATION_BUDGET = 1 << 16
#: the sum of a cell leaves out a probability of at most 2 exp(-_TAIL_EXPONENT)
_TAIL_EXPONENT = 40.0


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


def _expected_cells(a, b, n, weight, group=None, n_groups=1, shares=None):
    """``sum_c weight_c E[(m/n) log(n m / (a b))]`` with ``m ~ Hypergeom(n, a, b)``.

    With ``group`` (an integer per cell in ``0..n_groups-1``), the sums of
    each group of cells, as an array of shape (n_groups,).

    The expectation of a cell depends on its ``(a, b, n)`` alone, and is
    symmetric in ``a`` and ``b`` (the hypergeometric law is): it is
    evaluated once per distinct ``(min(a, b), max(a, b), n)`` (the cells of
    the candidates of a step share most of them: the target's totals in
    each stratum are the same for all, and small totals recur). The cells
    not yet known are evaluated in ``shares`` (see
    :func:`_cell_expectations_in_shares`; a value does not depend on them).
    """
    a, b, n = np.minimum(a, b), np.maximum(a, b), n
    if np.max(n, initial=0) < 1 << _KEY_BITS:
        key = (a << 2 * _KEY_BITS) | (b << _KEY_BITS) | n
        unique, inverse = np.unique(key, return_inverse=True)
        values = _CELLS.expectations(unique, shares)[inverse]
    else:
        values = _cell_expectations_in_shares(a, b, n, shares)
    values *= weight
    if group is None:
        return float(np.sum(values))
    return np.bincount(group, weights=values, minlength=n_groups)


#: bits of each of ``min(a, b)``, ``max(a, b)`` and ``n`` in the key of a cell
_KEY_BITS = 20


class _CellMemo:
    """The expectations of the cells evaluated so far, by key, kept between
    calls (a forward search meets the same cells step after step: the
    target's totals, and the small totals of joint levels, recur).

    A value depends on its key alone, so the results never depend on what
    was computed before, nor on the threads that share the memo: a reader
    takes the sorted keys and their values as one tuple, and a writer
    replaces the tuple under a lock.
    """

    #: largest number of cells kept, 1 MiB (beyond it, the memo starts afresh)
    LIMIT = 1 << 16

    def __init__(self):
        self._lock = threading.Lock()
        self._table = (np.empty(0, np.int64), np.empty(0))

    def expectations(self, keys, shares=None):
        """The expectations of the cells of the sorted, distinct ``keys``."""
        known, values = self._table
        at = np.minimum(np.searchsorted(known, keys), max(known.size - 1, 0))
        found = known[at] == keys if known.size else np.zeros(keys.size, bool)
        out = values[at] if known.size else np.zeros(keys.size)
        missing = np.flatnonzero(~found)
        if missing.size:
            new = keys[missing]
            mask = (1 << _KEY_BITS) - 1
            fresh = _cell_expectations_in_shares(
                new >> 2 * _KEY_BITS, (new >> _KEY_BITS) & mask, new & mask, shares
            )
            out[missing] = fresh
            self._add(new, fresh)
        return out

    def _add(self, keys, values):
        with self._lock:
            known, old = self._table
            if known.size + keys.size > self.LIMIT:
                self._table = (keys, values)
                return
            at = np.searchsorted(known, keys)
            if known.size:
                # (another thread may have added some of them meanwhile)
                new = known[np.minimum(at, known.size - 1)] != keys
                at, keys, values = at[new], keys[new], values[new]
            self._table = (np.insert(known, at, keys), np.insert(old, at, values))


_CELLS = _CellMemo()

#: fewest cells worth a share of their own
_CELLS_PER_SHARE = 512


def _cell_expectations_in_shares(a, b, n, shares):
    """:func:`_cell_expectations` in shares: ``shares`` is None (one share) or
    a pair ``(k, map)``, ``map(function, items)`` returning the list of
    ``function(item)`` (a pool of threads of the layer above); share ``i``
    holds every ``k``-th cell from the ``i``-th (about equal work whatever
    the order)."""
    k = 1 if shares is None else min(shares[0], a.size // _CELLS_PER_SHARE)
    if k <= 1:
        return _cell_expectations(a, b, n)
    parts = [slice(i, None, k) for i in range(k)]
    out = np.empty(a.size)
    values = shares[1](lambda j: _cell_expectations(a[j], b[j], n[j]), parts)
    for part, value in zip(parts, values, strict=True):
        out[part] = value
    return out


def _windows(a, b, n):
    """First term and number of terms of the sum of each cell (``a <= b``).

    The sum runs over ``lo <= m <= hi``, the support ``max(1, a + b - n)
    .. a`` cut to ``mean - t_lo .. mean + t_hi`` with ``mean = a p``,
    ``p = b / n``, ``v = mean (1 - p)``, ``L = _TAIL_EXPONENT`` and
    ``t = L M / 3 + sqrt((L M / 3)^2 + 2 L v)``, ``M = 1 - p`` for ``t_hi``
    and ``M = p`` for ``t_lo``. The probability left out is at most
    ``2 exp(-L)``. The hypergeometric count is the number of marked balls
    among ``a`` drawn without replacement from ``n`` of which ``b`` are
    marked; Hoeffding (1963, theorem 4) bounds the expectation of every
    continuous convex function of it, ``exp(+-s m)`` among them, by that of
    the count of ``a`` draws with replacement, a sum of independent
    Bernoulli(p) variables ``B_i`` of total variance ``v``. Bernstein's
    inequality for sums of independent variables with ``X_i - E X_i <= M``,
    ``P(sum X_i - E >= t) <= exp(-t^2 / (2 (v + M t / 3)))``, applied to
    ``X_i = B_i`` (``M = 1 - p``) and to ``X_i = -B_i`` (``M = p``) through
    these exponential moments, then gives ``P(m >= mean + t_hi)`` and
    ``P(m <= mean - t_lo)`` at most ``exp(-L)`` each.
    """
    p = b / n
    mean = a * p
    tail = 2 * _TAIL_EXPONENT * mean * (1.0 - p)
    reach = _TAIL_EXPONENT / 3 * np.stack((p, 1.0 - p))
    below, above = reach + np.sqrt(reach * reach + tail)
    lo = np.maximum(np.maximum(1, a + b - n), np.floor(mean - below).astype(np.int64))
    hi = np.minimum(a, np.ceil(mean + above).astype(np.int64))
    return lo, np.maximum(hi - lo + 1, 0)


#: widths of the blocks of terms: each cell's terms are padded to the next
_WIDTHS = np.unique(np.ceil(1.25 ** np.arange(80)).astype(np.int64))

_PADDED = (np.zeros(0), np.zeros(0), 0)


def _padded_log_factorials(n, pad):
    """``table[pad + k] = log k!`` for ``k = 0..n`` (at least), ``+inf`` on the
    ``pad`` (at least) entries before (a count outside the support then has
    probability ``exp(-inf) = 0``), the table reversed, and ``pad``; kept."""
    global _PADDED
    table, reverse, kept = _PADDED
    if kept < pad or table.shape[0] - kept <= n:
        pad = max(pad, kept)
        size = max(n + 1, 2 * (table.shape[0] - kept))
        from scipy.special import gammaln

        table = np.full(pad + size, np.inf)
        table[pad:] = gammaln(np.arange(1, size + 1, dtype=np.float64))
        _PADDED = table, table[::-1].copy(), pad
    return _PADDED


def _cell_expectations(a, b, n):
    """``E[(m/n) log(n m / (a b))]`` with ``m ~ Hypergeom(n, a, b)``, per cell.

    Each cell ``c`` of a contingency table with row total ``a_c``, column
    total ``b_c`` and grand total ``n_c`` contributes, under independence
    with fixed margins, ``sum_m P(m) (m / n) log(n m / (a b))`` over the
    support ``max(1, a + b - n) <= m <= min(a, b)`` of the hypergeometric
    law [4]_ (eq. 24a). The sum runs over the window of :func:`_windows`,
    which leaves out a probability of at most ``2 exp(-L)``; every term is
    at most ``P(m) (a / n) log n`` in absolute value (``1 <= m <= a`` and
    ``1 / n <= n m / (a b) <= n``), so a value differs from the sum over
    the whole support by at most ``2 exp(-L) (a / n) log n``, below
    ``1e-17 log n`` for ``L = 40``, and the expectation of a table (whose
    cells' ``a / n`` add up to at most its number of columns) by far less
    than the rounding of its terms.

    With ``mean = a b / n`` and ``m P(m) = mean P'(m - 1)``, ``P'`` the law
    ``Hypergeom(n - 1, a - 1, b - 1)``, the sum is
    ``mean (S1 - log(mean) S0) / n`` with ``S0 = sum_m P'(m - 1)`` and
    ``S1 = sum_m P'(m - 1) log m`` over the same window: an error common to
    the probabilities of a cell (from the log-factorials) cancels in the
    difference as in ``sum_m P(m) m log(n m / (a b))``. The cells are
    evaluated in blocks of equal width (``_WIDTHS``), each a matrix of cells
    x terms whose log-factorials are contiguous slices of one table.
    """
    a, b = np.minimum(a, b), np.maximum(a, b)
    out = np.zeros(a.shape[0])
    lo, sizes = _windows(a, b, n)
    kept = np.flatnonzero(sizes > 0)
    if not kept.size:
        return out
    width = _WIDTHS[np.searchsorted(_WIDTHS, sizes[kept])]
    order = np.argsort(width, kind="stable")
    kept, width = kept[order], width[order]
    a, b, n, lo = a[kept], b[kept], n[kept], lo[kept]
    widest, largest = int(width[-1]), int(np.max(n))
    table, reverse, pad = _padded_log_factorials(largest + widest, widest)
    log_m = _log_integers(largest + widest)
    view, reverse_view = (sliding_window_view(t, widest) for t in (table, reverse))
    log_view = sliding_window_view(log_m, widest)
    plain = table[pad:]
    # m P(m) = mean P'(m - 1), P' the law of Hypergeom(n - 1, a - 1, b - 1)
    head = plain[a - 1] + plain[b - 1] + plain[n - a] + plain[n - b] - plain[n - 1]
    last = table.shape[0] - 1 - pad  # reverse[last - k] = log k!
    s0, s1 = np.empty(a.size), np.empty(a.size)
    cuts = np.flatnonzero(np.diff(width)) + 1
    for first, stop in zip(np.r_[0, cuts], np.r_[cuts, a.size], strict=True):
        w = int(width[first])
        step = max(1, _EXPECTATION_BUDGET // w)
        for i in range(first, stop, step):
            j = slice(i, min(i + step, stop))
            low = lo[j]
            # log P'(m - 1) = head - log (m - 1)! - log (a - m)! - log (b - m)!
            #                 - log (n - a - b + m)!
            log_p = view[pad + n[j] - a[j] - b[j] + low, :w]
            log_p += view[pad + low - 1, :w]
            log_p += reverse_view[last - a[j] + low, :w]
            log_p += reverse_view[last - b[j] + low, :w]
            np.subtract(head[j, None], log_p, out=log_p)
            np.exp(log_p, out=log_p)
            s0[j] = log_p.sum(axis=1)
            s1[j] = np.einsum("ij,ij->i", log_p, log_view[low, :w])
    mean = a * b / n
    out[kept] = mean * (s1 - np.log(mean) * s0) / n
    return out


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


def _cross(za, zb):
    """Pairs ``(row, column)`` of the rows and columns in the same stratum
    (``za``, ``zb``: the sorted strata of the rows and of the columns)."""
    starts_b = np.searchsorted(zb, za, side="left")
    counts_b = np.searchsorted(zb, za, side="right") - starts_b
    rows = np.repeat(np.arange(za.size), counts_b)
    first_col = starts_b - np.cumsum(counts_b) + counts_b
    return rows, np.repeat(first_col, counts_b) + np.arange(rows.size)


def _expected_of_groups(za, a, ca, zb, b, cb, n_z, n, per=None):
    """The expectation of :func:`expected_mutual_info_counts` from grouped margins.

    ``(za, a, ca)``: stratum, row total and multiplicity of each distinct
    occupied row margin, sorted by stratum; ``(zb, b, cb)`` the same for the
    columns; ``n_z`` the size of each stratum; ``n`` the number of samples.
    With ``per``, strata ``per * g .. per * g + per - 1`` belong to table
    ``g``, and the expectation of each table is returned.
    """
    rows, cols = _cross(za, zb)
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
        )
    return _expected_cells(
        a[rows],
        b[cols],
        n_z[strata],
        weight.astype(np.float64),
        group=strata // per,
        n_groups=n_z.size // per,
    )


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


def expected_mutual_info_level_batch(
    level_totals, variable, n_variables, target_totals
):
    """Expected plug-in ``I(X_g; Y)`` under independence of many ``X_g``, one ``Y``.

    The expectation of :func:`expected_mutual_info_margins` for each of
    ``n_variables`` variables ``X_g`` observed on the samples of one ``Y``:
    the margins of all of them are grouped together and their hypergeometric
    terms evaluated as one set of flat arrays.

    Parameters
    ----------
    level_totals : ndarray of int
        Numbers of samples of the levels of every ``X_g``, one after another
        (zeros are ignored).
    variable : ndarray of int, of the shape of ``level_totals``
        The index ``g`` of the variable of each level.
    n_variables : int
        Number of variables.
    target_totals : ndarray of int
        Numbers of samples of each level of ``Y``.

    Returns
    -------
    ndarray of shape (n_variables,)
    """
    level_totals = np.asarray(level_totals, dtype=np.int64)
    occupied = np.flatnonzero(level_totals)
    return expected_mutual_info_row_batch(
        np.asarray(variable, dtype=np.int64)[occupied],
        np.zeros(occupied.size, dtype=np.int64),
        level_totals[occupied],
        n_variables,
        np.asarray(target_totals, dtype=np.int64)[None, :],
    )


def expected_mutual_info_shared_columns(row_totals, column_totals, shares=None):
    """Expected plug-in ``I(A_g; B | S)`` under independence of many ``A_g``, one ``B``.

    The expectation of :func:`expected_mutual_info_tables` for each of many
    tables that share their column totals within each stratum (the
    candidates of a forward-selection step: the totals of the target, or of
    the selected feature, are the same for all): the distinct row totals of
    all tables, stratum by stratum, are crossed with the column totals once,
    and each table adds up the values of its rows.

    Parameters
    ----------
    row_totals : ndarray of shape (n_tables, n_strata, ka), int
        ``row_totals[g, s, a]``: the number of samples of level ``a`` of
        ``A_g`` in stratum ``s`` (zeros are ignored).
    column_totals : ndarray of shape (n_strata, kb), int
        Number of samples of each level of ``B`` in each stratum.
    shares : None or (int, callable), default=None
        With ``(k, map)``, the cells not yet known are evaluated in ``k``
        shares by ``map(function, parts)`` (a pool of threads, say); the
        values do not depend on it.

    Returns
    -------
    ndarray of shape (n_tables,)

    Examples
    --------
    >>> import numpy as np
    >>> from skmi.estimators._chance import (
    ...     expected_mutual_info_shared_columns, expected_mutual_info_margins)
    >>> rows = np.array([[[3, 5, 2]], [[9, 1, 0]]])
    >>> both = expected_mutual_info_shared_columns(rows, np.array([[4, 6]]))
    >>> bool(np.isclose(both[1], expected_mutual_info_margins([9, 1], [4, 6])))
    True
    """
    row_totals = np.asarray(row_totals, dtype=np.int64)
    n_tables, n_strata, k = row_totals.shape
    flat = row_totals.reshape(-1)
    at = np.flatnonzero(flat)
    return expected_mutual_info_row_batch(
        at // (n_strata * k),
        at // k % n_strata,
        flat[at],
        n_tables,
        np.asarray(column_totals, dtype=np.int64),
        shares,
    )


def _distinct(keys, size):
    """The sorted distinct ``keys`` (in ``0..size-1``) and the index of each
    key among them (as ``np.unique``; by marking a table when it is small)."""
    if size > 4 * keys.size + (1 << 16):
        return np.unique(keys, return_inverse=True)
    seen = np.zeros(size, dtype=np.intp)
    seen[keys] = 1
    distinct = np.flatnonzero(seen)
    np.cumsum(seen, out=seen)
    return distinct, seen[keys] - 1


def expected_mutual_info_row_batch(
    owner, strata, totals, n_owners, column_totals, shares=None
):
    """:func:`expected_mutual_info_shared_columns` from the occupied rows alone.

    Parameters
    ----------
    owner, strata, totals : ndarray of shape (n_rows,), int
        The table, the stratum and the total of every occupied row.
    n_owners : int
        Number of tables.
    column_totals : ndarray of shape (n_strata, kb), int
        Number of samples of each level of ``B`` in each stratum, the same
        for every table.
    shares : None or (int, callable), default=None
        As in :func:`expected_mutual_info_shared_columns`.

    Returns
    -------
    ndarray of shape (n_owners,)
    """
    n_z = column_totals.sum(axis=1)
    n = int(n_z.sum())
    if n_owners == 0 or n == 0:
        return np.zeros(n_owners)
    zb, b, cb = _table_margin_groups(column_totals, n)
    distinct, inverse = _distinct(strata * (n + 1) + totals, n_z.size * (n + 1))
    za, a = distinct // (n + 1), distinct % (n + 1)
    rows, cols = _cross(za, zb)
    size = n_z[za[rows]]
    per_row = _expected_cells(
        a[rows],
        b[cols],
        size,
        cb[cols] * (size / n),
        group=rows,
        n_groups=distinct.size,
        shares=shares,
    )
    return np.bincount(owner, weights=per_row[inverse], minlength=n_owners)
