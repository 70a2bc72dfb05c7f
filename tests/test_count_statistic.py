"""The count statistic of discrete steps: its two ways of counting (sparse
product, dense target), the indicators it counts, and the permutations
within strata it is tested on."""

import numpy as np
import pytest
from scipy.stats import chi2_contingency
from scipy.stats.contingency import crosstab

from skmi.estimators._codes import factorize
from skmi.estimators._variables import Variable
from skmi.selection._count_statistic import (
    CountDependence,
    Indicators,
    _SparseTables,
    _StratumTables,
)
from skmi.selection._permutation import stratum_permutations

KINDS = {True: _StratumTables, False: _SparseTables}


def _variables(X):
    return [Variable(codes=factorize(c)[0], n_levels=factorize(c)[1]) for c in X.T]


def _g_and_dof(x, z, y):
    """The G statistic of x and y given z, stratum by stratum (scipy's
    log-likelihood contingency test of the occupied levels), and its dof."""
    g, dof = 0.0, 0
    for s in np.unique(z):
        table = crosstab(x[z == s], y[z == s]).count
        if min(table.shape) > 1:
            stat, _, d, _ = chi2_contingency(
                table, correction=False, lambda_="log-likelihood"
            )
            g, dof = g + stat, dof + d
    return g, dof


def _sparse_counts(seed, n=400, n_strata=12):
    """Rare and common counts, a categorical column and a constant one; y
    depends on the second column."""
    rng = np.random.RandomState(seed)
    X = np.column_stack(
        [
            rng.poisson(0.05, n),
            rng.poisson(1.5, n),
            rng.randint(0, 4, n),
            rng.poisson(0.4, n),
            np.zeros(n, dtype=int),
        ]
    )
    z = rng.randint(0, n_strata, n)
    y = (X[:, 1] + rng.randint(0, 3, n)) % 3
    return X, z, y


@pytest.mark.parametrize("split", [True, False])
def test_both_countings_give_the_standardised_g(split):
    X, z, y = _sparse_counts(0)
    n = z.size
    stat = CountDependence(
        Indicators(_variables(X), n), np.arange(5), z, 12, y, 3, split
    )
    assert isinstance(stat.tables, KINDS[split])
    if split:  # both kinds of group ran: of one row, of several
        assert stat.tables.single_rows.size > 0 and stat.tables.multi.size > 0
    rng = np.random.RandomState(1)
    perms = np.vstack([np.arange(n)[None, :], stratum_permutations(z, 4, rng)])
    scores = stat.scores(perms)
    assert np.all(scores[:, 4] < -1e299)  # a constant column has no dof
    for b, perm in enumerate(perms):
        for k in range(4):
            g, d = _g_and_dof(X[:, k], z, y[perm])
            spread = 2 / (9 * d)
            got = d * (scores[b, k] * np.sqrt(spread) + 1 - spread) ** 3
            # (the terms c log c are on a grid of 2^-20)
            assert got == pytest.approx(g, rel=1e-9, abs=1e-4)


@pytest.mark.parametrize(
    "seed, n_strata, n_target", [(0, 1, 5), (1, 7, 2), (2, 60, 3), (3, 200, 8)]
)
def test_the_countings_agree_to_the_bit(seed, n_strata, n_target):
    rng = np.random.RandomState(seed)
    n = 600
    X = np.column_stack(
        [rng.poisson(lam, n) for lam in rng.gamma(0.5, 1.0, 30)]
        + [rng.randint(0, 3, n) for _ in range(5)]
    )
    z = rng.randint(0, n_strata, n)
    y = rng.randint(0, n_target, n)
    y[z % 5 == 1] = 1  # strata where the target is constant
    indicators = Indicators(_variables(X), n)
    perms = stratum_permutations(z, 10, rng)
    out = {}
    for split in (True, False, None):
        stat = CountDependence(
            indicators, np.arange(35), z, n_strata, y, n_target, split
        )
        out[split] = [stat.scores(np.arange(n)[None, :]), stat.scores(perms)]
        if split is None:  # the dense target but for many small strata
            assert isinstance(stat.tables, KINDS[n_strata < 200])
    for split in (False, None):
        for a, b in zip(out[True], out[split], strict=True):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("split", [True, False])
def test_a_target_constant_in_every_stratum_leaves_nothing_to_test(split):
    rng = np.random.RandomState(3)
    n = 200
    z = rng.randint(0, 4, n)
    X = rng.poisson(1.0, (n, 3))
    stat = CountDependence(
        Indicators(_variables(X), n), np.arange(3), z, 4, z % 2, 2, split
    )
    assert stat.rows.size == 0
    scores = stat.scores(stratum_permutations(z, 3, rng))
    assert scores.shape == (3, 3) and np.all(scores < -1e299)


@pytest.mark.parametrize("split", [True, False])
def test_indicators_of_full_columns_on_test_rows(split):
    # codes not dense on the test rows, and ties for the reference level:
    # the statistic is that of the columns taken and made dense again
    rng = np.random.RandomState(4)
    n, m = 900, 500
    X = np.column_stack(
        [rng.randint(0, 6, n), rng.poisson(0.7, n), rng.randint(0, 2, n)]
    )
    X[:, 0][X[:, 0] == 5] = 4
    rows = rng.permutation(n)[:m]
    rows = rows[X[rows, 0] != 3]
    X[rows[:50], 2], X[rows[50:100], 2] = 0, 1
    z = rng.randint(0, 5, rows.size)
    y = (X[rows, 1] + rng.randint(0, 2, rows.size)) % 3
    full = Indicators(_variables(X), rows.size, rows)
    taken = Indicators(_variables(X[rows]), rows.size)
    perms = np.vstack([np.arange(rows.size)[None, :], stratum_permutations(z, 5, rng)])
    a = CountDependence(full, np.arange(3), z, 5, y, 3, split).scores(perms)
    b = CountDependence(taken, np.arange(3), z, 5, y, 3, split).scores(perms)
    np.testing.assert_array_equal(a, b)


def test_a_restriction_starts_from_the_last_when_it_holds_it():
    X, z, y = _sparse_counts(5, n=300)
    indicators = Indicators(_variables(X), 300)
    asked = [
        ([0, 1, 2, 3], np.arange(0, 300, 2)),
        ([1, 3], np.arange(0, 300, 6)),  # held by the last: from its entries
        ([1], np.arange(0, 300, 5)),  # rows not held: from all
        ([0, 1], np.arange(0, 300, 5)),  # columns not held: from all
    ]
    entries = indicators._entry_ids
    for i, (index, rows) in enumerate(asked):
        # a restriction from all entries would fail
        indicators._entry_ids = None if i == 1 else entries
        fresh = Indicators(_variables(X), 300).restrict(index, rows)
        for a, b in zip(indicators.restrict(index, rows), fresh, strict=True):
            np.testing.assert_array_equal(a, b)


def _lexsorted(strata, n_draws, rng):
    """The definition: each draw orders a stratum's samples by uniform keys
    (ties in sample order)."""
    out = np.empty((n_draws, strata.size), dtype=np.intp)
    base = np.argsort(strata, kind="stable")
    for b in range(n_draws):
        out[b, base] = np.lexsort((rng.random_sample(strata.size), strata))
    return out


class _CoarseKeys(np.random.RandomState):
    """Keys in quarters: ties in every stratum."""

    def random_sample(self, size=None):
        return np.floor(super().random_sample(size) * 4) / 4


@pytest.mark.parametrize("n_strata", [1, 40, 2047, 2048, 4000])
def test_stratum_permutations_order_each_stratum_by_uniform_keys(n_strata):
    rng = np.random.RandomState(n_strata)
    strata = rng.randint(0, n_strata, 5000)
    for source in (np.random.RandomState, _CoarseKeys):
        got, expected = source(7), source(7)
        np.testing.assert_array_equal(
            stratum_permutations(strata, 6, got), _lexsorted(strata, 6, expected)
        )
        assert got.randint(1 << 30) == expected.randint(1 << 30)  # same draws used


def test_too_many_rows_for_float32_counts_are_counted_sparse(monkeypatch):
    X, z, y = _sparse_counts(6)
    indicators = Indicators(_variables(X), z.size)
    monkeypatch.setattr(_StratumTables, "MAX_ROWS", z.size - 1)
    for split in (True, None):
        stat = CountDependence(indicators, np.arange(5), z, 12, y, 3, split)
        assert isinstance(stat.tables, _SparseTables)
