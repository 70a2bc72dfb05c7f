"""The lean plug-in kernels of forward selection against direct counts.

Count tables by bitmasks (AND + popcount) and by batched ``np.bincount``
must equal a contingency table counted sample by sample; the three ways
:class:`~skmi.selection._criteria.CountTerms` computes terms (bitmasks,
tables, the general sorting kernel) must give the estimator's own plug-in
values; codes kept in one byte must never overflow when combined.
"""

import numpy as np
import pytest

from skmi import ConditionalMutualInfoSelector
from skmi._columns import _few_levels
from skmi.estimators import KSG, PlugIn
from skmi.estimators._codes import code_dtype, factorize, factorize_counted
from skmi.estimators._count_tables import count_tables, count_tables_masks, level_masks
from skmi.estimators._preprocess import column_blocks, constant_columns
from skmi.estimators._variables import Variable
from skmi.selection._criteria import CountTerms, pair_terms

needs_popcount = pytest.mark.skipif(
    not hasattr(np, "bitwise_count"), reason="np.bitwise_count needs numpy >= 2"
)


def direct_tables(codes, rows, k, w, kw):
    out = np.zeros((len(rows), k, kw), dtype=np.int64)
    for i, r in enumerate(rows):
        np.add.at(out[i], (codes[r].astype(np.intp), np.asarray(w, np.intp)), 1)
    return out


@needs_popcount
@pytest.mark.parametrize("n", [1, 63, 64, 65, 130, 1000])
@pytest.mark.parametrize("seed", [0, 1])
def test_count_tables_equal_direct_counts(n, seed):
    rng = np.random.default_rng(seed)
    k, kw = 5, 7
    codes = rng.integers(0, k, size=(9, n)).astype(np.uint8)
    w = rng.integers(0, kw, size=n)
    rows = np.array([3, 0, 8, 3, 5])
    expected = direct_tables(codes, rows, k, w, kw)
    masks = level_masks(codes, k)
    assert masks.shape == (9, k, (n + 63) // 64)
    assert np.array_equal(count_tables_masks(masks, rows, w, kw), expected)
    assert np.array_equal(count_tables(codes, rows, k, w, kw), expected)


@needs_popcount
def test_count_tables_skip_the_levels_a_row_lacks():
    """Rows of 1 to 6 levels in one mask array: rows are grouped by their
    number of levels and count only those; the tables are unchanged."""
    rng = np.random.default_rng(3)
    n, k = 700, 6
    levels = rng.integers(1, k + 1, size=30)
    codes = np.vstack([rng.integers(0, lv, size=n) for lv in levels]).astype(np.uint8)
    w = rng.integers(0, 5, size=n)
    rows = rng.permutation(30)[:25]
    expected = direct_tables(codes, rows, k, w, 5)
    masks = level_masks(codes, k)
    got = count_tables_masks(masks, rows, w, 5, levels[rows])
    assert np.array_equal(got, expected)


@needs_popcount
def test_count_tables_long_columns_sum_without_overflow():
    """Over 65,472 samples the bit counts are summed in several 16-bit
    blocks; a cell holding every sample must still be exact."""
    n = 200_001
    codes = np.zeros((2, n), dtype=np.uint8)
    codes[1, ::3] = 1
    w = np.zeros(n, dtype=np.int64)
    w[-1] = 1
    got = count_tables_masks(level_masks(codes, 2), np.array([0, 1]), w, 2)
    assert got[0].tolist() == [[n - 1, 1], [0, 0]]
    ones = len(range(0, n, 3))
    assert got[1].tolist() == [[n - ones - 1, 1], [ones, 0]]


def test_count_tables_many_batches(monkeypatch):
    """Batches and chunks smaller than the rows: the same tables."""
    import skmi.estimators._count_tables as tables

    rng = np.random.default_rng(2)
    codes = rng.integers(0, 3, size=(40, 300)).astype(np.uint8)
    w = rng.integers(0, 4, size=300)
    rows = np.arange(40)[::-1]
    expected = direct_tables(codes, rows, 3, w, 4)
    monkeypatch.setattr(tables, "_TABLE_BUDGET", 700)
    monkeypatch.setattr(tables, "_MASK_CHUNK", 20)
    # the kernels read their budgets from the module patched
    assert count_tables.__globals__ is count_tables_masks.__globals__ is vars(tables)
    assert np.array_equal(count_tables(codes, rows, 3, w, 4), expected)
    if hasattr(np, "bitwise_count"):
        got = count_tables_masks(level_masks(codes, 3), rows, w, 4)
        assert np.array_equal(got, expected)


def discrete_problem(seed, n=500, p=8, max_levels=6):
    rng = np.random.RandomState(seed)
    X = rng.randint(0, rng.randint(2, max_levels + 1, size=p), size=(n, p))
    X[:, 1] = (X[:, 0] + (rng.rand(n) < 0.2)) % 3
    y = (X[:, 0] + X[:, 2] + (rng.rand(n) < 0.3)) % 3
    return X, y


PATHS = {
    "masks": dict(),
    "tables": dict(MASK_CELLS=0),
    "sorting": dict(MASK_CELLS=0, TABLE_CELLS=0),
}


#: the kernel each counting path of CountTerms calls
KERNELS = {
    "masks": "count_tables_masks",
    "tables": "count_tables",
    "sorting": "joint_entropies",
}


def kernel_spy(monkeypatch):
    """Count the calls CountTerms makes to each counting kernel, by path."""
    import skmi.selection._criteria as criteria

    calls = dict.fromkeys(KERNELS, 0)

    def counting(path, kernel):
        def counted(*args, **kwargs):
            calls[path] += 1
            return kernel(*args, **kwargs)

        return counted

    for path, name in KERNELS.items():
        monkeypatch.setattr(criteria, name, counting(path, getattr(criteria, name)))
    return calls


def assert_ran(calls, path):
    """The forced path ran, and no path its switches turned off."""
    if path == "masks" and not hasattr(np, "bitwise_count"):
        return
    assert calls[path] > 0, calls
    earlier = list(KERNELS)[: list(KERNELS).index(path)]
    assert all(calls[p] == 0 for p in earlier), calls


ESTIMATORS = {
    "plugin": (PlugIn(adjust=None), False),
    "plugin-chance": (PlugIn(adjust="chance"), True),
    "ksg-chance": (KSG(), True),  # (KSG adjusts discrete pairs by default)
}


@pytest.mark.parametrize("path", list(PATHS))
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("estimator", list(ESTIMATORS))
def test_every_counting_path_gives_the_estimator_values(
    monkeypatch, path, seed, estimator
):
    for name, value in PATHS[path].items():
        monkeypatch.setattr(CountTerms, name, value)
    calls = kernel_spy(monkeypatch)
    X, y = discrete_problem(seed)
    columns = [Variable.from_discrete(X[:, j]) for j in range(X.shape[1])]
    target = Variable.from_discrete(y)
    codes = np.vstack([c.codes for c in columns])
    est, chance = ESTIMATORS[estimator]
    counts = CountTerms(codes, [c.n_levels for c in columns], target, chance=chance)
    if path == "masks" and hasattr(np, "bitwise_count"):
        assert counts.masks is not None
    needs = ("red", "cred", "joint", "hjoint", "crel")
    for z in (columns[2], Variable.join(columns[0], columns[3])):
        got = counts.terms(np.arange(X.shape[1]), z.codes, z.n_levels, needs)
        want = pair_terms(est, columns, z, target, needs)
        for name in needs:
            np.testing.assert_allclose(got[name], want[name], atol=1e-12, err_msg=name)
        red = counts.terms([4, 5], z.codes, z.n_levels, ("red",))["red"]
        np.testing.assert_allclose(red, want["red"][[4, 5]], atol=1e-12)
    rel = [est.mutual_info_prepared(c, target) for c in columns]
    np.testing.assert_allclose(counts.relevance(slice(None)), rel, atol=1e-12)
    assert_ran(calls, path)


@pytest.mark.parametrize("criterion", ["jmi", "mrmr", "cmi", "cife", "disr"])
def test_selection_identical_on_every_counting_path(monkeypatch, criterion):
    X, y = discrete_problem(3, n=400, p=10)
    kw = dict(
        criterion=criterion, estimator=PlugIn(adjust=None), discrete_features=True
    )
    reference = ConditionalMutualInfoSelector(5, **kw).fit(X, y)
    for path in ("tables", "sorting"):
        with monkeypatch.context() as m:
            for name, value in PATHS[path].items():
                m.setattr(CountTerms, name, value)
            calls = kernel_spy(m)
            got = ConditionalMutualInfoSelector(5, **kw).fit(X, y)
        assert_ran(calls, path)
        assert got.selection_order_.tolist() == reference.selection_order_.tolist()
        np.testing.assert_allclose(
            got.conditional_gains_, reference.conditional_gains_, atol=1e-12
        )


class UncountedKSG(KSG):
    """KSG that does not let the selection layer count its discrete tables."""

    def _table_counting(self):
        return None


def runner_spy(monkeypatch):
    """Record the term runner of every forward search."""
    import skmi.selection._forward as forward

    runners = []
    pick = forward.term_runner

    def spy(*args, **kwargs):
        runners.append(pick(*args, **kwargs))
        return runners[-1]

    monkeypatch.setattr(forward, "term_runner", spy)
    return runners


@pytest.mark.parametrize("criterion", ["jmi", "mrmr", "cmim", "cmi", "cife"])
def test_adjusted_counting_selects_as_the_estimator(monkeypatch, criterion):
    """KSG() adjusts discrete pairs for chance: the vectorised counting path
    gives the selections and gains of the estimator path."""
    from skmi.selection._terms import CountTermsRunner, EstimatorTerms

    X, y = discrete_problem(5, n=600, p=12, max_levels=8)
    X[:, 11] = np.arange(600) % 150  # a near-identifier, adjusted to ~0
    kw = dict(criterion=criterion, discrete_features=True)
    runners = runner_spy(monkeypatch)
    got = ConditionalMutualInfoSelector(6, estimator=KSG(), **kw).fit(X, y)
    want = ConditionalMutualInfoSelector(6, estimator=UncountedKSG(), **kw).fit(X, y)
    # the adjusted counting path ran, then the estimator's own path
    assert [type(r) for r in runners] == [CountTermsRunner, EstimatorTerms]
    assert runners[0].counts.chance
    assert got.selection_order_.tolist() == want.selection_order_.tolist()
    np.testing.assert_allclose(
        got.conditional_gains_, want.conditional_gains_, atol=1e-12
    )
    assert 11 not in got.selection_order_[:3]


def test_one_byte_codes_never_overflow():
    """Columns of 200 levels with a 3-class target: joint codes exceed 255."""
    rng = np.random.RandomState(0)
    n = 3000
    X = rng.randint(0, 200, size=(n, 3))
    y = rng.randint(0, 3, n)
    columns = [Variable.from_discrete(X[:, j]) for j in range(3)]
    assert all(c.codes.dtype == np.uint8 for c in columns)
    target = Variable.from_discrete(y)
    counts = CountTerms(
        np.vstack([c.codes for c in columns]), [c.n_levels for c in columns], target
    )
    needs = ("red", "joint", "cmi")
    got = counts.terms([1, 2], columns[0].codes, columns[0].n_levels, needs)
    want = pair_terms(PlugIn(adjust=None), columns[1:], columns[0], target, needs)
    for name in needs:
        np.testing.assert_allclose(got[name], want[name], atol=1e-12, err_msg=name)
    joint = Variable.join(columns[0], columns[1])
    direct = np.unique(X[:, :2], axis=0).shape[0]
    assert joint.n_levels == direct


def test_codes_kept_in_the_smallest_type():
    assert code_dtype(2) == np.uint8
    assert code_dtype(256) == np.uint8
    assert code_dtype(257) == np.uint16
    assert code_dtype(1 << 16) == np.uint16
    assert code_dtype((1 << 16) + 1) == np.uint32
    v = Variable.from_discrete(np.arange(300) % 290)
    assert v.codes.dtype == np.uint16 and v.n_levels == 290
    assert np.array_equal(v.level_counts, np.bincount(np.arange(300) % 290))


@pytest.mark.parametrize(
    "values",
    [
        np.array([5, -3, 5, 7, 7, -3, 0]),
        np.array([5.0, -3.0, 5.0, 7.0, 0.0, -0.0]),
        np.array([0.5, 1.5, 0.5]),
        np.array([1.0, np.nan, 1.0, 2.0]),
        np.array([0, 10**12, 3, 0]),
        np.array([2.0**62, 1.0, 2.0**62]),
        np.array([1e300, -1e300, 0.0]),
        np.array([3], dtype=np.uint8),
        np.array([True, False, True]),
    ],
)
def test_factorize_equals_unique(values):
    uniques, inverse = np.unique(values, return_inverse=True)
    codes, n_levels = factorize(values)
    assert codes.dtype == np.int64
    assert n_levels == uniques.size
    assert np.array_equal(codes, inverse.reshape(-1))


@pytest.mark.parametrize(
    "values",
    [
        np.array([5, -3, 5, 7, 7, -3, 0]),  # a gap in a short range
        np.arange(12) % 4 + 250,  # every value of a short range
        np.array([-128, 127, -128], dtype=np.int8),
        np.array([2**63, 2**63 + 5, 2**63], dtype=np.uint64),
        np.array([-(2**62), 2**62]),  # too long a range: None
        np.array([4.0, -1.0, 4.0]),
        np.array([0.5, 1.5]),  # not integers: None
        np.arange(1000) * 7 % 300,  # counted by bincount
    ],
)
def test_factorize_counted_equals_unique(values):
    counted = factorize_counted(values)
    uniques, inverse = np.unique(values, return_inverse=True)
    if counted is None:
        assert values.dtype.kind == "f" or np.ptp(values.astype(float)) > 1e6
        return
    codes, n_levels, counts = counted
    assert codes.dtype == code_dtype(n_levels)
    assert n_levels == uniques.size
    assert np.array_equal(codes, inverse.reshape(-1))
    assert np.array_equal(counts, np.bincount(inverse.reshape(-1)))
    variable = Variable.from_discrete(values)
    assert np.array_equal(variable.level_counts, counts)


def test_few_levels_with_extreme_integers():
    """Column ranges are taken in unsigned arithmetic: no overflow."""
    a = np.array([[-(2**63), 0, 5], [2**63 - 1, 0, 6], [0, 0, 900]])
    assert _few_levels(a, 2).tolist() == [False, True, False]
    assert _few_levels(a, 3).tolist() == [True, True, True]
    b = np.array([[0, 1], [2**64 - 1, 1], [7, 1]], dtype=np.uint64)
    assert _few_levels(b, 2).tolist() == [False, True]


def test_column_helpers_on_blocks():
    rng = np.random.RandomState(0)
    X = rng.randint(-50, 50, size=(5000, 150))
    X[:, 7] = 4
    X[:, 9] = rng.randint(0, 3, 5000) * 1000  # few levels, long range
    X[:, 11] = rng.randint(0, 10**9, 5000)  # many levels, very long range
    picks = (np.arange(3, 150), np.array([5, 2, 9, 10, 11]), np.arange(150)[::-3])
    for columns in picks:
        for index, part in column_blocks(X, columns):
            assert np.array_equal(part, X[:, columns[index]].T)
    expected = np.array([np.unique(X[:, j]).size <= 20 for j in range(150)])
    assert np.array_equal(_few_levels(X, 20), expected)
    assert constant_columns(X).tolist() == [j == 7 for j in range(150)]


def test_integer_input_selects_as_float_input():
    X, y = discrete_problem(4, n=300, p=7)
    kw = dict(criterion="jmi", estimator=PlugIn(adjust=None), discrete_features=True)
    a = ConditionalMutualInfoSelector(4, **kw).fit(X, y)
    b = ConditionalMutualInfoSelector(4, **kw).fit(X.astype(np.float64), y)
    assert a.selection_order_.tolist() == b.selection_order_.tolist()
    np.testing.assert_array_equal(a.conditional_gains_, b.conditional_gains_)


def test_prepare_in_threads_equals_serial():
    """Discrete columns coded a block per thread: the same variables."""
    rng = np.random.RandomState(5)
    X = rng.randint(-2, rng.randint(1, 40, 70), size=(400, 70)).astype(np.int16)
    X[:, 3] = 9
    X[:, 10] = rng.randint(-200, 100, 400)  # a range over 256 values
    X[:, 11] = rng.choice([-32768, 32767], 400)  # the extremes of the type
    X[:, 12] = rng.randint(-130, -120, 400)
    mask = np.ones(70, dtype=bool)
    mask[[5, 6]] = False  # continuous, prepared by the estimator
    for est in (PlugIn(adjust=None), PlugIn(n_bins=4, adjust=None)):
        serial = est.prepare(X, mask, 0)
        threads = est.prepare(X, mask, 0, n_jobs=2)
        for a, b in zip(serial, threads, strict=True):
            assert a.n_levels == b.n_levels
            assert np.array_equal(a.codes, b.codes)
            assert np.array_equal(a.level_counts, b.level_counts)
    for j in np.flatnonzero(mask):
        direct = Variable.from_discrete(X[:, j].astype(np.int64))
        uniques, inverse = np.unique(X[:, j], return_inverse=True)
        assert serial[j].n_levels == direct.n_levels == uniques.size
        assert np.array_equal(serial[j].codes, inverse.reshape(-1))
        assert np.array_equal(serial[j].level_counts, np.bincount(inverse))
    assert serial[3].is_constant
