"""The batched relevance of dense discrete columns equals the estimator's values."""

import numpy as np
import pytest

from skmi.estimators import KSG, PlugIn, _count_tables
from skmi.estimators._chance import (
    expected_mutual_info_level_batch,
    expected_mutual_info_margins,
)
from skmi.estimators._variables import Variable
from skmi.selection._relevance import relevance

ESTIMATORS = {
    "raw": PlugIn(adjust=None),
    "chance": PlugIn(adjust="chance"),
    "ksg-chance": KSG(),  # (KSG adjusts discrete pairs by default)
    "ksg-raw": KSG(adjust=None),
}


def columns_of_many_levels(seed, n=73):
    """Columns of 1 (constant), 2, 3, 5, 12, 40 levels and one level per sample."""
    rng = np.random.RandomState(seed)
    y = rng.randint(0, 7, n)
    cols = [np.zeros(n, dtype=int)]
    for k in (2, 3, 5, 12, 40):
        cols.append(rng.randint(0, k, n))
    cols.append((y + rng.randint(0, 2, n)) % 3)  # informative
    cols.append(rng.permutation(n))  # one level per sample
    cols.append(np.where(rng.rand(n) < 0.97, 0, 1))  # nearly constant
    return [Variable.from_discrete(c) for c in cols], Variable.from_discrete(y)


def per_column(estimator, columns, target):
    return np.array([estimator.mutual_info_prepared(c, target) for c in columns])


def spy(monkeypatch):
    """Count the columns whose tables the batched kernel counts."""
    calls = []
    counting = _count_tables._joint_level_counts

    def counted(codes, rows, *args):
        calls.append(len(rows))
        return counting(codes, rows, *args)

    monkeypatch.setattr(_count_tables, "_joint_level_counts", counted)
    return calls


@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", list(ESTIMATORS))
def test_batched_relevance_equals_the_estimator(monkeypatch, name, seed, n_jobs):
    estimator = ESTIMATORS[name]
    columns, target = columns_of_many_levels(seed)
    want = per_column(estimator, columns, target)
    calls = spy(monkeypatch)
    got = relevance(estimator, columns, target, n_jobs=n_jobs)
    assert sum(calls) == len(columns) - 1  # (all but the constant column)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    assert got[0] == 0.0
    if name != "raw" and name != "ksg-raw":
        # one level per sample: plug-in H(Y), exactly its expectation
        assert abs(got[7]) < 1e-12
    else:
        assert got[7] == pytest.approx(estimator.entropy_prepared(target))


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_shares_do_not_change_the_values(n_jobs):
    rng = np.random.RandomState(3)
    y = Variable.from_discrete(rng.randint(0, 4, 50))
    columns = [Variable.from_discrete(rng.randint(0, 1 + j % 9, 50)) for j in range(40)]
    one = relevance(PlugIn(), columns, y, n_jobs=1)
    assert np.array_equal(relevance(PlugIn(), columns, y, n_jobs=n_jobs), one)


@pytest.mark.parametrize("name", ["raw", "chance"])
def test_constant_target_scores_zero(monkeypatch, name):
    columns, _ = columns_of_many_levels(0)
    target = Variable.from_discrete(np.full(73, 5))
    calls = spy(monkeypatch)
    for n_jobs in (1, 2):
        got = relevance(ESTIMATORS[name], columns, target, n_jobs=n_jobs)
        assert np.array_equal(got, np.zeros(len(columns)))
    assert calls == []  # (nothing to count)
    want = per_column(ESTIMATORS[name], columns, target)
    assert np.array_equal(want, np.zeros(len(columns)))


@pytest.mark.parametrize("name", ["raw", "chance"])
def test_only_constant_columns(name):
    target = Variable.from_discrete(np.arange(20) % 3)
    columns = [Variable.from_discrete(np.ones(20)) for _ in range(3)]
    for n_jobs in (1, 2):
        got = relevance(ESTIMATORS[name], columns, target, n_jobs=n_jobs)
        assert np.array_equal(got, np.zeros(3))


@pytest.mark.parametrize("name", ["raw", "chance"])
def test_small_budget_groups_and_sorts(monkeypatch, name):
    """Groups of a few columns, and columns too large to count sorted."""
    monkeypatch.setattr(_count_tables, "_TABLE_BUDGET", 300)
    columns, target = columns_of_many_levels(4, n=60)
    estimator = ESTIMATORS[name]
    want = per_column(estimator, columns, target)
    groups = []
    count = _count_tables._joint_level_counts

    def counted(codes, rows, *args):
        groups.append(list(rows))
        return count(codes, rows, *args)

    monkeypatch.setattr(_count_tables, "_joint_level_counts", counted)
    got = relevance(estimator, columns, target, n_jobs=1)
    # several groups; the column of 60 levels (60 x 7 cells > max(300, 4 n),
    # column 7) is counted by sorting, and the constant column 0 not at all
    assert len(groups) > 1
    assert sorted(sum(groups, [])) == [1, 2, 3, 4, 5, 6, 8]
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


@pytest.mark.parametrize("chance", [False, True])
@pytest.mark.parametrize("budget", [300, None])
def test_tables_give_the_bits_of_the_codes(monkeypatch, chance, budget):
    """Tables summed over blocks of rows (Dask input) give the values of the
    codes in memory to the last bit, for counted and sorted columns."""
    if budget is not None:
        monkeypatch.setattr(_count_tables, "_TABLE_BUDGET", budget)
    columns, target = columns_of_many_levels(5, n=60)
    columns = [c for c in columns if c.n_levels > 1]
    y, ky = target.codes.astype(np.int64), target.n_levels
    codes = [c.codes for c in columns]
    n_levels = np.array([c.n_levels for c in columns])
    want = _count_tables.marginal_mutual_info(codes, n_levels, y, ky, chance)
    tables = np.zeros((len(columns), n_levels.max(), ky), dtype=np.int64)
    for half in (slice(0, 25), slice(25, None)):  # two blocks of rows
        for r, x in enumerate(codes):
            np.add.at(tables[r], (x[half], y[half]), 1)
    got = _count_tables.marginal_mutual_info_of_tables(
        tables, n_levels, np.bincount(y, minlength=ky), chance
    )
    assert np.array_equal(got, want)
    if budget is not None:  # the column of 60 levels was sorted
        assert np.any(_count_tables._large_tables(n_levels, ky, y.size))


def test_level_batch_equals_the_expectation_of_each_variable():
    rng = np.random.RandomState(5)
    target = np.bincount(rng.randint(0, 6, 90), minlength=8)  # (two empty levels)
    variables = [
        np.bincount(rng.randint(0, k, 90), minlength=k + 1) for k in (1, 2, 4, 9, 90)
    ]
    totals = np.concatenate(variables)
    owner = np.repeat(np.arange(len(variables)), [v.size for v in variables])
    got = expected_mutual_info_level_batch(totals, owner, len(variables), target)
    want = [expected_mutual_info_margins(v, target) for v in variables]
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    assert got[0] == 0.0  # (a constant variable)
    assert np.array_equal(expected_mutual_info_level_batch([], [], 0, target), [])


def test_level_batch_equals_exhaustive_permutations():
    """Independent check: the mean plug-in MI over every permutation of y."""
    from itertools import permutations

    x = np.array([0, 0, 1, 1, 1, 2])
    y = np.array([0, 1, 1, 0, 0, 1])

    def plug_in(a, b):
        joint = np.bincount(a * 2 + b) / a.size
        pa, pb = np.bincount(a) / a.size, np.bincount(b) / a.size
        nz = joint > 0
        outer = np.outer(pa, pb).ravel()[: joint.size]
        return np.sum(joint[nz] * np.log(joint[nz] / outer[nz]))

    mean = np.mean([plug_in(x, y[list(p)]) for p in permutations(range(6))])
    got = expected_mutual_info_level_batch(
        np.bincount(x), np.zeros(3, int), 1, np.bincount(y)
    )
    assert got[0] == pytest.approx(mean, abs=1e-12)
