"""Tests of the G-test (Williams' correction, Cochran's rule and the permutation
fallback) and of the corrections for multiple testing."""

import itertools
import warnings
from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import binom, chi2, chi2_contingency

import skmi.selection._significance as significance
from skmi import MutualInfoSelector
from skmi.estimators import KSG, PlugIn
from skmi.selection._relevance import relevance
from skmi.selection._significance import (
    adjust_pvalues,
    g_test_pvalues,
    permutation_pvalues,
    sparse_tables,
    williams_q,
)


def _table_data(table):
    """Samples (x, y) whose contingency table is ``table``."""
    x, y = [], []
    for (i, j), count in np.ndenumerate(np.asarray(table)):
        x += [i] * int(count)
        y += [j] * int(count)
    return np.array(x), np.array(y)


def _prepared(X, y, estimator, discrete=False):
    mask = np.full(X.shape[1], discrete)
    columns = estimator.prepare(X, mask)
    target = estimator.prepare_target(y, True)
    return columns, target, relevance(estimator, columns, target)


# --------------------------------------------------------------------------
# Williams' correction
# --------------------------------------------------------------------------
def test_williams_q_equals_a_hand_computation():
    # [[10, 5], [3, 12]]: R = (15, 15), C = (13, 17), N = 30, r = c = 2
    # q = 1 + (30 (1/15 + 1/15) - 1)(30 (1/13 + 1/17) - 1) / (6 * 30)
    #   = 1 + 3 * (900/221 - 1) / 180 = 1 + 2037 / 39780
    assert williams_q([15, 15], [13, 17]) == pytest.approx(
        float(Fraction(41817, 39780)), rel=1e-14
    )
    # a 2 x 3 table, R = (6, 9), C = (4, 5, 6), N = 15:
    # 1 + (15 (1/6 + 1/9) - 1)(15 (1/4 + 1/5 + 1/6) - 1) / (6 * 15 * 1 * 2)
    numerator = (15 * (Fraction(1, 6) + Fraction(1, 9)) - 1) * (
        15 * (Fraction(1, 4) + Fraction(1, 5) + Fraction(1, 6)) - 1
    )
    expected = 1 + numerator / (6 * 15 * 1 * 2)
    assert williams_q([6, 9], [4, 5, 6]) == pytest.approx(float(expected), rel=1e-14)


def test_selector_g_test_is_williams_corrected():
    table = [[10, 5], [3, 12]]  # expected counts 6.5 and 8.5: no fallback
    x, y = _table_data(table)
    g, _, dof, _ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
    q = float(Fraction(41817, 39780))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        selector = MutualInfoSelector(
            k="all", estimator=PlugIn(adjust=None), discrete_features=True
        ).fit(x[:, None], y)
    assert selector.scores_[0] == pytest.approx(g / 60, rel=1e-12)
    assert selector.pvalues_[0] == pytest.approx(chi2.sf(g / q, dof), rel=1e-10)
    # the correction makes the test more conservative
    assert selector.pvalues_[0] > chi2.sf(g, dof)


# --------------------------------------------------------------------------
# Cochran's rule
# --------------------------------------------------------------------------
def _cochran_brute_force(r_tot, c_tot):
    expected = np.outer(r_tot, c_tot) / np.sum(c_tot)
    return bool(np.any(expected < 1) or np.mean(expected < 5) > 0.2)


def test_sparse_tables_equals_the_rule_on_the_expected_table():
    rng = np.random.RandomState(0)
    checked = {True: 0, False: 0}
    for _ in range(300):
        n = int(rng.randint(20, 400))
        c_tot = np.bincount(rng.randint(0, rng.randint(2, 12), n))
        c_tot = c_tot[c_tot > 0]
        tables = []
        for _ in range(5):
            r_tot = np.bincount(rng.randint(0, rng.randint(2, 12), n))
            tables.append(r_tot[r_tot > 0])
        got = sparse_tables(tables, c_tot)
        for r_tot, flag in zip(tables, got, strict=True):
            assert flag == _cochran_brute_force(r_tot, c_tot)
            checked[bool(flag)] += 1
    assert min(checked.values()) > 100  # both outcomes were exercised


def test_sparse_tables_boundaries_are_exact():
    # expected counts exactly 5 are not small
    assert not sparse_tables([np.array([10, 10])], np.array([10, 10]))
    # one row with expected counts exactly 1 (10 of 60 cells, 17 % < 20 %)
    c_tot = np.full(10, 100)
    assert not sparse_tables([np.array([10, 198, 198, 198, 198, 198])], c_tot)[0]
    # ... and 0.9: below 1
    assert sparse_tables([np.array([9, 198, 198, 198, 198, 199])], c_tot)[0]
    # 2 of 8 cells at 4.5 (25 % > 20 %), none below 1
    r_tot, c_tot = np.array([9, 31]), np.array([20, 5, 5, 10])
    assert sparse_tables([r_tot], c_tot)[0] == _cochran_brute_force(r_tot, c_tot)


# --------------------------------------------------------------------------
# calibration under independence
# --------------------------------------------------------------------------
def _share_below(pvalues, level=0.05):
    return float(np.mean(pvalues < level))


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_g_test_is_calibrated_with_many_classes_and_few_samples_per_cell(seed):
    # 2,000 rows, 100 classes, binned continuous columns: about 3 samples
    # per cell, where the chi-square approximation fails (before the
    # fallback, most p-values were below 0.05)
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((2000, 300))
    y = rng.randint(0, 100, 2000)
    selector = MutualInfoSelector(
        k="all",
        estimator=PlugIn(adjust=None),
        test="g-test",
        n_permutations=199,
        random_state=seed,
    )
    with pytest.warns(UserWarning, match="G-test is unreliable for 300 of 300"):
        selector.fit(X, y)
    assert 0.02 <= _share_below(selector.pvalues_) <= 0.08
    # sequential p-values: 10 / l for the columns that stopped early, else
    # multiples of 1 / 200
    p = selector.pvalues_
    stopped = np.isclose(10 / p, np.round(10 / p)) & (p > 10 / 200)
    assert stopped.mean() > 0.8
    np.testing.assert_allclose(p[~stopped] * 200, np.round(p[~stopped] * 200))
    # the uncorrected chi-square p-values of the same data are invalid
    est = PlugIn(adjust=None)
    columns, target, raw = _prepared(X, y, est)
    dof = [(c.n_levels - 1) * (target.n_levels - 1) for c in columns]
    assert _share_below(chi2.sf(2 * 2000 * raw, dof)) > 0.3


@pytest.mark.parametrize(
    "n_classes, n_samples, n_bins", [(100, 2000, 2), (5, 300, 3), (20, 300, 2)]
)
def test_williams_g_test_is_calibrated_where_cochran_allows_it(
    n_classes, n_samples, n_bins
):
    shares = []
    for seed in range(3):
        rng = np.random.RandomState(seed)
        X = rng.standard_normal((n_samples, 200))
        y = rng.randint(0, n_classes, n_samples)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no fallback here
            selector = MutualInfoSelector(
                k="all", estimator=PlugIn(n_bins=n_bins, adjust=None)
            ).fit(X, y)
        shares.append(_share_below(selector.pvalues_))
    assert 0.02 <= np.mean(shares) <= 0.08


@pytest.mark.slow
def test_fallback_permutation_pvalues_are_uniform(monkeypatch):
    # only the fallback: 10 bins against 20 classes with 300 rows (1.5 per
    # cell). Equal-frequency bins give every column the same margins, so each
    # permutation is estimated on one column for all (they share their
    # draws, and their p-values are dependent): the p-value of one column is
    # uniform over independent data sets
    sizes = []
    original = significance._permuted_relevance

    def spy(estimator, columns, target, order):
        sizes.append(len(columns))
        return original(estimator, columns, target, order)

    monkeypatch.setattr(significance, "_permuted_relevance", spy)
    est = PlugIn(n_bins=10, adjust=None)
    first = []
    for seed in range(200):
        rng = np.random.RandomState(seed)
        X = rng.standard_normal((300, 4))
        y = rng.randint(0, 20, 300)
        columns, target, raw = _prepared(X, y, est)
        p, permuted = g_test_pvalues(
            est, columns, target, raw, rng=rng, n_permutations=49
        )
        assert permuted.all()
        first.append(p[0])
    assert set(sizes) == {1}  # one column stood for the four
    first = np.array(first)
    for level in (0.05, 0.2, 0.5):
        high = binom.ppf(0.9995, first.size, level)
        low = binom.ppf(0.0005, first.size, level * 0.6)
        assert low <= np.sum(first <= level) <= high


def test_columns_with_equal_margins_share_their_permutations():
    rng = np.random.RandomState(0)
    n = 120
    y = rng.randint(0, 8, n)
    base = rng.randint(0, 12, n)
    X = np.column_stack(
        [
            base,
            (base * 7 + 3) % 12,  # a relabelling: the same table up to order
            rng.permutation(base),  # the same margins, another table
            y + 8 * rng.randint(0, 2, n),  # dependent, other margins
            rng.randint(0, 12, n),  # (almost surely) other margins
        ]
    )
    est = PlugIn(adjust=None)
    columns, target, raw = _prepared(X, y, est, discrete=True)
    groups = significance.margin_groups(est, columns, target)
    np.testing.assert_array_equal(groups, [0, 0, 0, 3, 4])
    p, permuted = g_test_pvalues(
        est, columns, target, raw, rng=np.random.RandomState(1), n_permutations=300
    )
    assert permuted.all()
    assert p[0] == p[1]  # equal statistics, the same draws
    assert p[3] == pytest.approx(1 / 301)
    # each p-value: the sequential test of its statistic against the
    # permuted statistics of its group's first column
    seeds = np.random.RandomState(1).randint(np.iinfo(np.int32).max, size=300)
    for j in range(5):
        expected = _besag_clifford_brute_force(
            est, columns[groups[j]], target, raw[j], seeds, 10
        )
        assert p[j] == pytest.approx(expected, rel=1e-12)
    # continuous columns, or an estimator that does not count tables: no sharing
    ksg_columns, ksg_target, _ = _prepared(X.astype(float), y, KSG())
    np.testing.assert_array_equal(
        significance.margin_groups(KSG(), ksg_columns, ksg_target), np.arange(5)
    )
    corrected = PlugIn(correction="miller-madow")
    np.testing.assert_array_equal(
        significance.margin_groups(corrected, columns, target), np.arange(5)
    )


def _besag_clifford_brute_force(est, column, target, observed, seeds, h):
    """The sequential p-value of one column, one permutation at a time."""
    count = 0
    for i, seed in enumerate(seeds, start=1):
        order = np.random.RandomState(seed).permutation(target.n_samples)
        count += relevance(est, [column], target.take(order))[0] >= observed
        if count == h:
            return h / i
    return (1 + count) / (1 + len(seeds))


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_fallback_only_for_the_sparse_columns_and_sequential(n_jobs):
    rng = np.random.RandomState(0)
    n = 200
    y = rng.randint(0, 4, n)
    X = np.column_stack(
        [
            rng.randint(0, 2, n),  # 2 x 4 table, expected 25: chi-square
            rng.randint(0, 40, n),  # 40 x 4 table, expected 1.25: permutations
            y * 10 + rng.randint(0, 10, n),  # dependent, sparse
            rng.randint(0, 30, n),
            rng.randint(0, 60, n),
        ]
    )
    est = PlugIn(adjust=None)
    columns, target, raw = _prepared(X, y, est, discrete=True)
    p, permuted = g_test_pvalues(
        est,
        columns,
        target,
        raw,
        rng=np.random.RandomState(1),
        n_permutations=300,
        n_jobs=n_jobs,
    )
    np.testing.assert_array_equal(permuted, [False, True, True, True, True])
    assert p[2] == pytest.approx(1 / 301)  # no permutation reaches the observed
    # the same seeds, one permutation at a time, stopped at 10 exceedances
    seeds = np.random.RandomState(1).randint(np.iinfo(np.int32).max, size=300)
    for j in (1, 2, 3, 4):
        expected = _besag_clifford_brute_force(
            est, columns[j], target, raw[j], seeds, 10
        )
        assert p[j] == pytest.approx(expected, rel=1e-12)
    assert np.sum(p[[1, 3, 4]] > 10 / 300) >= 2  # some stopped early


@pytest.mark.slow
def test_sequential_pvalues_are_valid_under_independence():
    # P(p <= a) <= a for the stopped p-values, over many null columns
    rng = np.random.RandomState(5)
    X = rng.randint(0, 25, size=(150, 400))
    y = rng.randint(0, 6, 150)
    est = PlugIn(adjust=None)
    columns, target, raw = _prepared(X, y, est, discrete=True)
    p, permuted = g_test_pvalues(
        est, columns, target, raw, rng=np.random.RandomState(0), n_permutations=999
    )
    assert permuted.all()
    for level in (0.05, 0.1, 0.25, 0.5):
        high = binom.ppf(0.9995, p.size, level)
        low = binom.ppf(0.0005, p.size, level * 0.6)
        assert low <= np.sum(p <= level) <= high


def test_selector_warning_names_the_sparse_features():
    import pandas as pd

    rng = np.random.RandomState(0)
    n = 200
    frame = pd.DataFrame(
        {"coarse": rng.randint(0, 2, n), "fine": rng.randint(0, 40, n)}
    ).astype("category")
    y = rng.randint(0, 4, n)
    match = r"1 of 2 features.*\['fine'\].*at most 999 perm"
    selector = MutualInfoSelector(k="all", estimator=PlugIn(), random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no test is run by fit
        selector.fit(frame, y)
    with pytest.warns(UserWarning, match=match):
        assert selector.pvalues_ is not None


def test_constant_column_or_target_keeps_pvalue_one_without_permutations():
    rng = np.random.RandomState(0)
    X = np.column_stack([np.zeros(50), rng.randint(0, 30, 50)])
    est = PlugIn(adjust=None)
    columns, target, raw = _prepared(X, rng.randint(0, 5, 50), est, discrete=True)
    p, permuted = g_test_pvalues(
        est, columns, target, raw, rng=np.random.RandomState(0)
    )
    assert p[0] == 1.0 and not permuted[0] and permuted[1]
    columns, target, raw = _prepared(X, np.zeros(50), est, discrete=True)
    p, permuted = g_test_pvalues(
        est, columns, target, raw, rng=np.random.RandomState(0)
    )
    np.testing.assert_array_equal(p, 1.0)
    assert not permuted.any()


# --------------------------------------------------------------------------
# corrections for multiple testing
# --------------------------------------------------------------------------
def _bh_brute_force(p):
    """Benjamini-Hochberg adjusted p-values from their definition."""
    m = p.size
    order = np.argsort(p, kind="stable")
    ranks = np.empty(m, dtype=int)
    ranks[order] = np.arange(1, m + 1)
    out = np.empty(m)
    for i in range(m):
        # min over the p-values ranked at or above p_i of m p_(j) / j
        out[i] = min(
            min(1.0, m * p[j] / ranks[j]) for j in range(m) if ranks[j] >= ranks[i]
        )
    return out


@pytest.mark.parametrize("seed", range(5))
def test_adjusted_pvalues_match_their_definitions(seed):
    rng = np.random.RandomState(seed)
    p = np.concatenate([rng.uniform(size=30), rng.uniform(0, 0.01, 10), [0.02] * 4])
    rng.shuffle(p)
    np.testing.assert_allclose(adjust_pvalues(p, "fdr_bh"), _bh_brute_force(p))
    bonferroni = np.minimum(1, p.size * p)
    np.testing.assert_allclose(adjust_pvalues(p, "bonferroni"), bonferroni)
    assert adjust_pvalues(np.zeros(0), "fdr_bh").shape == (0,)


@pytest.mark.parametrize("seed", range(5))
def test_bh_rejections_equal_the_step_up_procedure(seed):
    # reject H_(1..k*), k* the largest k with p_(k) <= k alpha / m
    rng = np.random.RandomState(seed)
    p = np.concatenate([rng.uniform(size=40), rng.uniform(0, 0.005, 8)])
    for alpha in (0.01, 0.05, 0.2):
        ps = np.sort(p)
        ok = np.flatnonzero(ps <= alpha * np.arange(1, p.size + 1) / p.size)
        expected = p <= ps[ok.max()] if ok.size else np.zeros(p.size, bool)
        np.testing.assert_array_equal(adjust_pvalues(p, "fdr_bh") <= alpha, expected)


def test_exhaustive_small_permutation_test_is_exact():
    # the Monte Carlo p-value estimates the exact one, the share of all the
    # permutations of 7 samples that reach the observed statistic
    rng = np.random.RandomState(0)
    x = rng.randint(0, 3, 7)
    y = rng.randint(0, 2, 7)
    est = PlugIn(adjust=None)
    columns, target, raw = _prepared(x[:, None], y, est, discrete=True)
    values = []
    for perm in itertools.permutations(range(7)):
        values.append(relevance(est, columns, target.take(np.array(perm)))[0])
    values = np.array(values)
    exact = np.mean(values >= raw[0] - 1e-12)
    p = permutation_pvalues(
        est, columns, target, raw, rng=np.random.RandomState(1), n_permutations=4999
    )
    assert p[0] == pytest.approx(exact, abs=0.03)


def test_bh_warns_when_the_permutations_are_too_few_for_the_data():
    # a perfect predictor among 100 columns: its permutation p-value is the
    # smallest possible, 1 / 100, and its BH-adjusted p-value 100 / 100
    rng = np.random.RandomState(0)
    y = rng.randint(0, 2, 200)
    X = np.column_stack([y + 0.01 * rng.standard_normal(200), rng.randn(200, 99)])
    selector = MutualInfoSelector(
        alpha=0.05, n_permutations=99, correction="fdr_bh", random_state=0
    )
    with pytest.warns(UserWarning, match=r"'fdr_bh'.*Use n_permutations >= ") as w:
        selector.fit(X, y)
    assert selector.pvalues_[0] == pytest.approx(1 / 100)
    # r columns at that p-value: their adjusted p-value is 100 / (100 r)
    r = int(np.sum(selector.pvalues_ <= 1 / 100 + 1e-12))
    assert f"n_permutations >= {int(np.ceil(100 / (r * 0.05)))}." in str(w[0].message)
    assert not selector.get_support().any()
    # with enough permutations the predictor is kept, without the warning
    selector.set_params(n_permutations=1999)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        selector.fit(X, y)
    assert selector.get_support()[0]
