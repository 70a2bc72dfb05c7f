"""Plug-in selection on Dask input: relevance, tests and forward terms by blocks.

The in-memory plug-in path computes everything from contingency tables:
:class:`~skmi.selection._criteria.CountTerms` turns the tables of the
candidates against ``(Z, Y)`` into entropies and terms, and the relevance
``I(X_k; Y)`` and its G-test come from the table of each column with the
target. Here the same tables are counted block by block
(:class:`~skmi.selection._dask_table.BlockTable`) and then go through the
same code: :class:`BlockCountTerms` is ``CountTerms`` whose two counting
methods read the tables of one pass over the blocks instead of codes in
memory, so every step of a forward search is one pass over the data and its
terms are those of the in-memory search.

For the conditioning set of ``"cmi"`` (the joint code of the selected
features), the dense code of ``(X_j, Z)`` is read from the table of the
previous step, where ``X_j`` was a candidate against ``Z``: the codes are
numbered in the order of the in-memory joint code, and no extra pass is
needed.
"""

import numpy as np

from ..estimators._blocks import mutual_info_table
from ..estimators._count_tables import (
    marginal_mutual_info_of_tables,
    table_entropies,
    xlogx_table,
)
from ..estimators._threads import n_threads
from ._criteria import CountTerms
from ._forward import ForwardResult, _Search
from ._permutation import monte_carlo_pvalues
from ._significance import FALLBACK_PERMUTATIONS, STOP_AFTER, g_test_of_totals

__all__ = [
    "BlockCountTerms",
    "DaskCountRunner",
    "dask_forward_select",
    "dask_relevance",
]

#: largest number of table cells (all candidates) counted by one pass
_PASS_CELLS = 1 << 25
#: the empty codes handed to CountTerms.terms, whose counting is overridden
_NO_CODES = np.zeros(0, dtype=np.int64)


class BlockCountTerms(CountTerms):
    """:class:`CountTerms` whose tables are counted over the blocks of a table.

    ``terms(index, chain, kz, needs)`` takes the conditioning variable as the
    ``chain`` of :meth:`BlockTable.tables`; the counts of one pass replace the
    codes of ``CountTerms`` in its two counting methods, ``_joint`` (the
    tables of the candidates) and ``_single`` (the counts of ``Z`` and of
    ``(Z, Y)``). The tables have the layout of the in-memory ones, so the
    entropies are summed in the same order.

    Parameters
    ----------
    table : BlockTable
    n_jobs : int or None
        Threads of the adjustment for chance (the counting runs on the Dask
        scheduler).
    chance : bool
        Adjust every information term for chance (see ``CountTerms``).
    """

    def __init__(self, table, n_jobs=None, chance=False):
        self.table = table
        self.columns = None
        self.chance = chance
        self.workers = n_threads(n_jobs)
        self.n_levels = np.asarray(table.n_levels, dtype=np.int64)
        self.k_max = int(self.n_levels.max()) if self.n_levels.size else 1
        self.y = _NO_CODES
        self.ky = int(table.ky)
        self.n = int(table.n)
        self.xlogx = xlogx_table(self.n)
        self.masks = None
        # the in-memory tables span every level when the columns fit bitmasks
        self.global_levels = hasattr(np, "bitwise_count") and (
            self.k_max <= self.MASK_LEVELS
        )
        rows = np.arange(self.n_levels.size)
        self._count(rows, (), 1, True)
        self.h_y = self._single(_NO_CODES, self.ky)
        self.h_xy, self.h_x, tables = self._joint(rows, _NO_CODES, 1, True)
        #: the table of each column with the target, (n_columns, k_max, ky)
        self.target_tables = tables[:, :, 0, :]
        self.expected_relevance = np.zeros(rows.size)
        if chance:
            expected = self._expected(rows, None, 1, tables, ("crel",))
            self.expected_relevance = expected["crel"]

    def _k_max(self, rows):
        if self.global_levels or rows.size == 0:
            return self.k_max
        return int(self.n_levels[rows].max())

    def _count(self, rows, chain, kz, with_y):
        """One pass: the tables of ``rows`` against ``(Z, Y)``, kept for the terms."""
        k = self._k_max(rows)
        cells = k * kz * (self.ky if with_y else 1)
        step = max(1, _PASS_CELLS // cells)
        parts = [
            self.table.tables(rows[i : i + step], chain, kz, with_y, k)
            for i in range(0, max(rows.size, 1), step)
        ]
        tables = np.concatenate([p[0] for p in parts])
        self._counted = (tables, parts[0][1])

    def _single(self, codes, size):
        counts = self._counted[1]
        if counts.size != size:  # Z alone: Y summed out
            counts = counts.reshape(size, -1).sum(axis=1)
        return float(table_entropies(counts[None, :], self.n, self.xlogx)[0])

    def _joint(self, rows, z, kz, with_y):
        tables = self._counted[0]
        m, k = tables.shape[:2]
        h = table_entropies(tables.reshape(m, k, -1), self.n, self.xlogx)
        if not with_y:
            return h, None, tables
        folded = tables.sum(axis=3)
        return h, table_entropies(folded, self.n, self.xlogx), tables

    def terms(self, index, chain, kz, needs):
        """Terms of the columns ``index`` with ``Z`` given by ``chain``: one pass."""
        rows = np.asarray(index, dtype=np.intp)
        self._count(rows, chain, int(kz), set(needs) != {"red"})
        return super().terms(rows, _NO_CODES, kz, needs)


def _columns_of(chain):
    """The columns of a conditioning chain (which determine its codes)."""
    return tuple(j for j, _ in chain)


class DaskCountRunner:
    """The term runner of a forward search on Dask input.

    The interface of the in-memory ``_CountTermsRunner``: ``relevance()``,
    ``conditioning(selected)`` and ``terms(candidates, z, needs)``.
    """

    #: candidates evaluated together by CMIM's lazy search (all of them)
    min_batch = 1 << 30

    def __init__(self, table, n_jobs=None, chance=False):
        self.table = table
        self.counts = BlockCountTerms(table, n_jobs, chance)
        self.n = table.n
        self._last = None
        self._chains = {}

    def relevance(self):
        return self.counts.relevance(slice(None))

    def conditioning(self, selected):
        """``(chain, kz)`` of the joint code of the ``selected`` columns.

        The chain of a set is that of the set without its last column,
        extended by the table of that column against it (kept from the step
        that evaluated it as a candidate); the chains are kept.
        """
        key = tuple(int(j) for j in selected)
        if key not in self._chains:
            if len(key) == 1:
                self._chains[key] = (
                    ((key[0], None),),
                    int(self.counts.n_levels[key[0]]),
                )
            else:
                chain, kz = self.conditioning(key[:-1])
                present = self._pair_table(key[-1], chain, kz) > 0
                lut = (np.cumsum(present.ravel()) - 1).reshape(present.shape)
                self._chains[key] = ((*chain, (key[-1], lut)), int(present.sum()))
        return self._chains[key]

    def _pair_table(self, j, chain, kz):
        """Counts of ``(X_j, Z)``: from the last step's tables, or one pass."""
        k = int(self.counts.n_levels[j])
        if self._last is not None and self._last[0] == _columns_of(chain):
            rows, tables = self._last[1], self._last[2]
            where = np.flatnonzero(rows == j)
            if where.size:
                return tables[where[0], :k].sum(axis=-1)
        tables, _ = self.table.tables(np.array([j]), chain, kz, False, k)
        return tables[0].sum(axis=-1)

    def terms(self, candidates, z, needs):
        chain, kz = z
        candidates = np.asarray(candidates, dtype=np.intp)
        if candidates.size == 0:
            return {name: np.zeros(0) for name in needs}
        out = self.counts.terms(candidates, chain, kz, needs)
        self._last = (_columns_of(chain), candidates, self.counts._counted[0])
        return out


# --------------------------------------------------------------------------
# the forward search
# --------------------------------------------------------------------------
def _partition_equal(pair):
    """Whether the table of two discrete columns pairs their levels one to one."""
    occupied = pair > 0
    return bool((occupied.sum(axis=0) <= 1).all() and (occupied.sum(axis=1) <= 1).all())


def _duplicates_of(runner, j, candidates):
    """Which ``candidates`` induce the partition of column ``j`` (a pass if any may)."""
    tables = runner.counts.target_tables
    counts = tables.sum(axis=2)

    def key(c):
        levels = counts[c][counts[c] > 0]
        return levels.size, np.sort(levels).tobytes()

    own = key(j)
    maybe = [k for k in candidates if key(k) == own]
    out = np.zeros(len(candidates), dtype=bool)
    if not maybe:
        return out
    kz = int(runner.counts.n_levels[j])
    pairs, _ = runner.table.tables(np.array(maybe), ((j, None),), kz, False)
    same = {
        k: _partition_equal(p.sum(axis=-1)) for k, p in zip(maybe, pairs, strict=True)
    }
    return np.array([same.get(k, False) for k in candidates], dtype=bool)


def dask_forward_select(
    runner, *, criterion, n_features_to_select, tol, beta, constant, n_jobs=None
):
    """Greedy forward selection on Dask input (one pass over the data a step).

    The search of :func:`~skmi.selection._forward.forward_select` without its
    permutation tests and interaction screen: ``n_features_to_select`` is an
    int, or "auto" with ``tol``. Ties, constant columns and exact duplicates
    of a selected column are handled as there. CMIM evaluates every
    candidate at every step (one pass) rather than lazily (one pass per
    selected feature a candidate is behind).

    Returns
    -------
    ForwardResult
    """
    rel = np.asarray(runner.relevance(), dtype=np.float64)
    n_columns = rel.size
    search = _Search(runner, criterion, beta, rel, n_jobs)
    deferred = np.asarray(constant, dtype=bool).copy()
    auto = isinstance(n_features_to_select, str)
    n_max = n_columns if auto else min(int(n_features_to_select), n_columns)
    available = np.ones(n_columns, dtype=bool)
    gains = []
    stop_reason = "all features selected" if auto else "n_features_to_select reached"
    while len(search.selected) < n_max:
        pool = np.flatnonzero(available & ~deferred)
        if pool.size == 0:
            pool = np.flatnonzero(available)
        search.refresh(np.flatnonzero(available))
        k, score = search.best(pool)
        if auto and not np.isfinite(score):
            stop_reason = "no candidate's score is estimable"
            break
        if auto and tol is not None and score < tol:
            stop_reason = f"best score {score:.4g} < tol={tol:g}"
            break
        search.select(k)
        available[k] = False
        gains.append(score)
        remaining = np.flatnonzero(available & ~deferred)
        deferred[remaining] |= _duplicates_of(runner, k, remaining)
    return ForwardResult(
        selection_order=np.asarray(search.selected, dtype=np.intp),
        gains=np.asarray(gains, dtype=np.float64),
        pvalues=None,
        relevance=rel,
        stop_reason=stop_reason,
    )


# --------------------------------------------------------------------------
# relevance and its tests
# --------------------------------------------------------------------------
def _target_table_mi(tables, n_levels, y_counts, correction, adjust):
    """The relevance of columns from their tables with the target: the
    batched kernel of dense columns in memory where it applies (the same
    bits), the estimator's table function otherwise."""
    ky = len(y_counts)
    if correction is None:
        return marginal_mutual_info_of_tables(
            tables[:, :, :ky], n_levels, y_counts, chance=adjust == "chance"
        )
    return np.array(
        [
            mutual_info_table(t[: int(k), :ky], correction, adjust)
            for t, k in zip(tables, n_levels, strict=True)
        ]
    )


def dask_relevance(table, *, correction, adjust, test, n_permutations, rng):
    """Relevance of every column of a :class:`BlockTable`, and its p-values.

    The scores are those of the estimator's ``mutual_info_prepared`` on the
    codes in memory (:func:`~skmi.estimators._blocks.mutual_info_table`);
    the G-test and the permutation p-values are those of
    :mod:`skmi.selection._significance`, each permutation of the target a
    pass over the data (the target's codes are then held in memory).

    Parameters
    ----------
    table : BlockTable
    correction, adjust : the PlugIn estimator's parameters
    test : {"g-test", "permutation", None}
    n_permutations : int
        Permutations of the test (of the G-test's fallback: ``0`` means
        ``FALLBACK_PERMUTATIONS``).
    rng : numpy.random.RandomState

    Returns
    -------
    scores : ndarray of shape (n_columns,)
    pvalues : ndarray or None
    permuted : ndarray of bool or None
        Which p-values of the G-test came from permutations.
    """
    rows = np.arange(table.n_levels.size)
    k_max = int(table.n_levels.max()) if rows.size else 1
    tables, y_counts = table.tables(rows, k_max=k_max)
    tables = tables[:, :, 0, :]
    observed = _target_table_mi(tables, table.n_levels, y_counts, correction, adjust)
    y_codes = []

    def permuted_pvalues(index, statistic_args, reference, stop_after=None):
        if not y_codes:
            y_codes.append(table.target_codes())

        def statistic_of(active):
            columns = index[active]
            k = int(table.n_levels[columns].max())

            def statistic(order):
                t = table.permuted_tables(columns, y_codes[0][order], k)
                return _target_table_mi(
                    t, table.n_levels[columns], y_counts, *statistic_args
                )

            return statistic

        return monte_carlo_pvalues(
            statistic_of,
            reference[index],
            table.n,
            n_permutations or FALLBACK_PERMUTATIONS,
            rng,
            1,
            stop_after=stop_after,
        )

    if test == "permutation":
        pvalues = permuted_pvalues(rows, (correction, adjust), observed)
        return observed, pvalues, None
    if test == "g-test":
        # G = 2 N I of the raw counts, whether or not the scores are adjusted
        raw = observed
        if adjust is not None:
            raw = _target_table_mi(tables, table.n_levels, y_counts, None, None)
        r_tots = [t.sum(axis=1)[t.sum(axis=1) > 0] for t in tables]
        return (
            observed,
            *g_test_of_totals(
                r_tots,
                y_counts,
                raw,
                table.n,
                lambda index: permuted_pvalues(index, (None, None), raw, STOP_AFTER),
            ),
        )
    return observed, None, None
