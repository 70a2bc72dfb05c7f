"""Tests of MutualInfoSelector: scores, selection rules, p-values, inputs, errors."""

import pickle
import re
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.stats import binom, chi2, chi2_contingency
from sklearn.base import clone
from sklearn.datasets import make_classification, make_friedman1
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from skmi import MutualInfoSelector, mutual_info_classif, mutual_info_regression
from skmi.estimators import KSG, PlugIn
from skmi.selection._significance import adjust_pvalues


def _tied_data(seed, n=120, d=6):
    """Continuous columns with many exact ties: the noise decides neighbours."""
    rng = np.random.RandomState(seed)
    X = np.round(rng.standard_normal((n, d)), 1)
    X[:, 0] += np.round(rng.standard_normal(n), 1)  # some signal below
    return X, rng


# --------------------------------------------------------------------------
# scores equal the drop-in functions
# --------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_scores_equal_mutual_info_classif(seed):
    X, rng = _tied_data(seed)
    y = (X[:, 0] + rng.standard_normal(X.shape[0]) > 0).astype(int)
    expected = mutual_info_classif(X, y, random_state=seed)
    selector = MutualInfoSelector(
        k="all", discrete_features=False, random_state=seed
    ).fit(X, y)
    np.testing.assert_array_equal(selector.scores_, expected)
    # the noise matters on tied data: another seed gives other scores
    other = mutual_info_classif(X, y, random_state=seed + 100)
    assert not np.array_equal(other, expected)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_scores_equal_mutual_info_regression(seed):
    # Ties in X and in y: the noise is drawn for X first, then for y, and a
    # different order would change the estimates.
    X, rng = _tied_data(seed)
    y = np.round(X[:, 0] + 0.5 * rng.standard_normal(X.shape[0]), 1)
    expected = mutual_info_regression(X, y, random_state=seed, n_neighbors=4)
    selector = MutualInfoSelector(
        k="all",
        estimator=KSG(n_neighbors=4),
        discrete_features=False,
        random_state=seed,
    ).fit(X, y)
    np.testing.assert_array_equal(selector.scores_, expected)


def test_scores_equal_drop_in_with_discrete_columns():
    rng = np.random.RandomState(3)
    X = np.column_stack(
        [rng.randint(0, 4, 150), rng.standard_normal(150), rng.randint(0, 3, 150)]
    ).astype(float)
    y = X[:, 0] + rng.standard_normal(150)
    expected = mutual_info_regression(X, y, discrete_features=[0, 2], random_state=0)
    # "auto" sees a float array: every column continuous, so pass the mask
    selector = MutualInfoSelector(
        k="all", discrete_features=[0, 2], random_state=0
    ).fit(X, y)
    np.testing.assert_array_equal(selector.scores_, expected)
    np.testing.assert_array_equal(selector.discrete_features_, [True, False, True])
    assert selector.discrete_target_ is False


def test_permutations_do_not_change_scores():
    X, rng = _tied_data(0)
    y = rng.randint(0, 2, X.shape[0])
    plain = MutualInfoSelector(k="all", random_state=0).fit(X, y)
    tested = MutualInfoSelector(k="all", n_permutations=9, random_state=0).fit(X, y)
    np.testing.assert_array_equal(plain.scores_, tested.scores_)
    assert plain.pvalues_ is None


# --------------------------------------------------------------------------
# recovering informative features
# --------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(4))
def test_recovers_informative_columns_of_make_classification(seed):
    # Eight classes on the vertices of a cube: each informative column
    # separates them.
    X, y = make_classification(
        n_samples=300,
        n_features=12,
        n_informative=3,
        n_redundant=0,
        n_classes=8,
        n_clusters_per_class=1,
        shuffle=False,
        random_state=seed,
    )
    selector = MutualInfoSelector(k=3, random_state=0).fit(X, y)
    np.testing.assert_array_equal(selector.get_support(indices=True), [0, 1, 2])


@pytest.mark.parametrize("seed", range(4))
def test_recovers_informative_columns_of_make_friedman1(seed):
    X, y = make_friedman1(n_samples=1000, n_features=10, noise=0.0, random_state=seed)
    selector = MutualInfoSelector(
        k=5, estimator=KSG(n_neighbors=10), random_state=0
    ).fit(X, y)
    np.testing.assert_array_equal(selector.get_support(indices=True), np.arange(5))
    assert selector.scores_[:5].min() > selector.scores_[5:].max()


# --------------------------------------------------------------------------
# selection rules
# --------------------------------------------------------------------------
def _fitted(scores, **params):
    """A selector fitted on noise whose scores are then replaced by ``scores``.

    The selection rules read ``scores_`` only, so they can be checked on
    chosen scores.
    """
    scores = np.asarray(scores, dtype=float)
    rng = np.random.RandomState(0)
    X = rng.standard_normal((20, scores.size))
    y = rng.randint(0, 2, 20)
    params.setdefault("k", scores.size)
    selector = MutualInfoSelector(**params).fit(X, y)
    selector.scores_ = scores
    return selector


def test_k_keeps_the_top_scores_and_breaks_ties_by_column_index():
    selector = _fitted([0.1, 0.0, 0.3, 0.0, 0.3, 0.0], k=4)
    # 0.3 twice (columns 2 and 4), then 0.1, then the leftmost of the zeros
    np.testing.assert_array_equal(selector.get_support(indices=True), [0, 1, 2, 4])
    np.testing.assert_array_equal(selector._ranking(), [2, 4, 0, 1, 3, 5])


def test_k_all_and_k_zero():
    assert _fitted([0.2, 0.1, 0.0], k="all").get_support().all()
    assert not _fitted([0.2, 0.1, 0.0], k=0).get_support().any()


def test_k_larger_than_n_features_warns_and_keeps_everything():
    X = np.random.RandomState(0).standard_normal((30, 3))
    y = np.arange(30) % 2
    with pytest.warns(UserWarning, match="k=10 is greater than n_features=3"):
        selector = MutualInfoSelector(random_state=0).fit(X, y)
    assert selector.get_support().all()


@pytest.mark.parametrize(
    "percentile, expected",
    [(10, [2]), (20, [2]), (21, [2, 4]), (50, [2, 4, 0]), (100, [0, 1, 2, 3, 4])],
)
def test_percentile_keeps_the_smallest_share_that_reaches_it(percentile, expected):
    selector = _fitted([0.2, 0.1, 0.5, 0.0, 0.4], percentile=percentile)
    np.testing.assert_array_equal(selector.get_support(indices=True), sorted(expected))


@pytest.mark.parametrize(
    "percentile, n_features, n_kept", [(10, 30, 3), (0.1 * 24, 125, 3), (1e-9, 4, 1)]
)
def test_percentile_is_robust_to_rounding(percentile, n_features, n_kept):
    scores = np.linspace(1.0, 0.0, n_features)
    selector = _fitted(scores, percentile=percentile)
    assert selector.get_support().sum() == n_kept


def test_threshold_in_nats_overrides_k():
    selector = _fitted([0.2, 0.1, 0.5, 0.0, 0.4], threshold=0.2, k=1)
    np.testing.assert_array_equal(selector.get_support(indices=True), [0, 2, 4])
    selector = _fitted([0.2, 0.1, 0.5, 0.0, 0.4], threshold=0.0)
    assert selector.get_support().all()


def test_changing_k_after_fit_changes_the_selection_without_refitting():
    selector = _fitted([0.2, 0.1, 0.5, 0.0, 0.4], k=1)
    assert selector.get_support(indices=True).tolist() == [2]
    selector.set_params(k=2)
    assert selector.get_support(indices=True).tolist() == [2, 4]


# --------------------------------------------------------------------------
# constant columns and targets
# --------------------------------------------------------------------------
def test_constant_column_scores_exactly_zero_with_pvalue_one():
    rng = np.random.RandomState(0)
    X = rng.standard_normal((80, 3))
    X[:, 1] = 2.5
    y = (X[:, 0] > 0).astype(int)
    selector = MutualInfoSelector(k="all", n_permutations=19, random_state=0).fit(X, y)
    assert selector.scores_[1] == 0.0
    assert selector.pvalues_[1] == 1.0
    assert selector.pvalues_[0] == pytest.approx(1 / 20)


@pytest.mark.parametrize("y", [np.full(40, 1.5), np.full(40, "a")])
def test_constant_target_scores_zero(y):
    X = np.random.RandomState(0).standard_normal((40, 3))
    selector = MutualInfoSelector(k=2, estimator=PlugIn(n_bins=3)).fit(X, y)
    np.testing.assert_array_equal(selector.scores_, 0.0)
    np.testing.assert_array_equal(selector.pvalues_, 1.0)


# --------------------------------------------------------------------------
# p-values
# --------------------------------------------------------------------------
def _null_data(seed, n=200, d=200):
    rng = np.random.RandomState(seed)
    return rng.standard_normal((n, d)), rng.randint(0, 3, n)


def _assert_uniform(pvalues, level=0.05):
    """The share of p-values <= level is within a binomial band of ``level``."""
    n = pvalues.size
    low, high = binom.ppf([0.0005, 0.9995], n, level)
    assert low <= np.sum(pvalues <= level) <= high
    low, high = binom.ppf([0.0005, 0.9995], n, 0.5)
    assert low <= np.sum(pvalues <= 0.5) <= high


def test_permutation_pvalues_are_uniform_under_independence():
    X, y = _null_data(0)
    selector = MutualInfoSelector(
        estimator=PlugIn(n_bins=4), n_permutations=99, random_state=0
    ).fit(X, y)
    p = selector.pvalues_
    # the p-values are multiples of 1 / 100 between 1 / 100 and 1
    np.testing.assert_allclose(p * 100, np.round(p * 100))
    assert p.min() >= 0.01 and p.max() <= 1.0
    _assert_uniform(p)


@pytest.mark.slow
@pytest.mark.parametrize("continuous_target", [False, True])
def test_ksg_permutation_pvalues_are_uniform_under_independence(continuous_target):
    X, y = _null_data(1, d=100)
    if continuous_target:
        y = np.random.RandomState(2).standard_normal(y.size)
    selector = MutualInfoSelector(n_permutations=99, random_state=0).fit(X, y)
    _assert_uniform(selector.pvalues_)


def test_permutation_pvalue_of_a_dependent_column_is_the_smallest_possible():
    rng = np.random.RandomState(0)
    y = rng.randint(0, 2, 100)
    X = np.column_stack([y + 0.1 * rng.standard_normal(100), rng.standard_normal(100)])
    selector = MutualInfoSelector(k="all", n_permutations=49, random_state=0).fit(X, y)
    assert selector.pvalues_[0] == pytest.approx(1 / 50)
    assert selector.pvalues_[1] > 1 / 50


def test_g_test_pvalues_equal_scipy_chi2_contingency_with_williams_correction():
    rng = np.random.RandomState(0)
    X = rng.randint(0, 4, size=(300, 5))
    X[:, 1] = np.where(rng.uniform(size=300) < 0.2, X[:, 1], rng.randint(0, 3, 300))
    y = np.where(X[:, 0] >= 2, rng.randint(0, 3, 300), rng.randint(0, 2, 300))
    selector = MutualInfoSelector(
        k="all", estimator=PlugIn(adjust=None), discrete_features=True, random_state=0
    ).fit(X, y)
    assert selector.discrete_target_
    # adjusted scores (the default) leave the G-test on the raw counts
    adjusted = MutualInfoSelector(
        k="all", estimator=PlugIn(), discrete_features=True, random_state=0
    ).fit(X, y)
    assert np.all(adjusted.scores_ < selector.scores_)
    np.testing.assert_array_equal(adjusted.pvalues_, selector.pvalues_)
    for j in range(X.shape[1]):
        _, xj = np.unique(X[:, j], return_inverse=True)
        _, yc = np.unique(y, return_inverse=True)
        table = np.zeros((xj.max() + 1, yc.max() + 1))
        np.add.at(table, (xj, yc), 1)
        g, _, dof, _ = chi2_contingency(
            table, correction=False, lambda_="log-likelihood"
        )
        # Williams (1976): q = 1 + (N sum 1/R - 1)(N sum 1/C - 1) / (6N dof)
        rows, cols = table.sum(axis=1), table.sum(axis=0)
        q = 1 + (300 * np.sum(1 / rows) - 1) * (300 * np.sum(1 / cols) - 1) / (
            6 * 300 * dof
        )
        assert selector.scores_[j] == pytest.approx(g / (2 * 300), rel=1e-10)
        assert selector.pvalues_[j] == pytest.approx(
            chi2.sf(g / q, dof), rel=1e-8, abs=1e-300
        )


def test_g_test_pvalues_are_uniform_under_independence():
    X, y = _null_data(3)
    selector = MutualInfoSelector(estimator=PlugIn(n_bins=4)).fit(X, y)
    _assert_uniform(selector.pvalues_)


def test_no_pvalues_without_a_test():
    X, y = _null_data(0, n=50, d=3)
    assert MutualInfoSelector(k="all").fit(X, y).pvalues_ is None
    corrected = PlugIn(correction="miller-madow")
    assert MutualInfoSelector(k="all", estimator=corrected).fit(X, y).pvalues_ is None


def _sparse_tables_data(seed=0):
    """Discrete columns against 7 classes at n = 73: every table is too sparse
    for the chi-square approximation, so the G-test falls back to permutations."""
    rng = np.random.RandomState(seed)
    y = rng.randint(0, 7, 73)
    X = rng.randint(0, 3, (73, 12))
    X[:, 0] = y % 3
    return X, y


@pytest.mark.parametrize(
    "rule", [dict(k=3), dict(percentile=20), dict(threshold=0.05), dict(k="all")]
)
def test_selecting_by_score_runs_no_test_and_warns_of_none(rule, tests_run):
    X, y = _sparse_tables_data()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        selector = MutualInfoSelector(
            **rule, estimator=PlugIn(), n_permutations=0, random_state=0
        ).fit(X, y)
        selector.transform(X)
    assert tests_run == []
    assert selector.get_support()[0]


def test_pvalues_computed_on_first_read_equal_those_of_fit(tests_run):
    X, y = _sparse_tables_data()
    params = dict(k=3, estimator=PlugIn(), random_state=0)
    with pytest.warns(UserWarning, match="G-test is unreliable"):
        eager = MutualInfoSelector(test="g-test", **params).fit(X, y)
    assert tests_run == ["g-test"]
    lazy = MutualInfoSelector(**params).fit(X, y)
    assert tests_run == ["g-test"]
    with pytest.warns(UserWarning, match="G-test is unreliable"):
        np.testing.assert_array_equal(lazy.pvalues_, eager.pvalues_)
    assert tests_run == ["g-test", "g-test"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # computed once, warned once
        np.testing.assert_array_equal(lazy.pvalues_, eager.pvalues_)
    assert len(tests_run) == 2
    assert eager.pvalues_[0] < 0.01
    # the same with a permutation test and any estimator
    params = dict(k=3, n_permutations=19, random_state=0)
    eager = MutualInfoSelector(test="permutation", **params).fit(X, y)
    lazy = MutualInfoSelector(**params).fit(X, y)
    assert len(tests_run) == 3
    np.testing.assert_array_equal(lazy.pvalues_, eager.pvalues_)
    assert tests_run[3:] == ["permutation"]


def test_lazy_pvalues_survive_pickle_and_clone(tests_run):
    X, y = _sparse_tables_data()
    selector = MutualInfoSelector(k=3, estimator=PlugIn(), random_state=0).fit(X, y)
    restored = pickle.loads(pickle.dumps(selector))
    assert tests_run == []
    with pytest.warns(UserWarning, match="G-test is unreliable"):
        first = restored.pvalues_
    with pytest.warns(UserWarning, match="G-test is unreliable"):
        np.testing.assert_array_equal(selector.pvalues_, first)
    assert pickle.loads(pickle.dumps(selector)).pvalues_ is not None
    np.testing.assert_array_equal(restored.transform(X), selector.transform(X))
    unfitted = clone(selector)
    assert not hasattr(unfitted, "pvalues_")
    assert len(tests_run) == 2


def test_explicit_permutation_test_with_plugin():
    X, y = _null_data(0, n=50, d=3)
    selector = MutualInfoSelector(
        k="all",
        estimator=PlugIn(n_bins=3),
        test="permutation",
        n_permutations=9,
        random_state=0,
    ).fit(X, y)
    np.testing.assert_allclose(selector.pvalues_ * 10, np.round(selector.pvalues_ * 10))


# --------------------------------------------------------------------------
# selection by p-values (alpha, correction)
# --------------------------------------------------------------------------
def _signal_and_noise(seed, n=200, n_signal=30, n_null=120):
    """Binary target; ``n_signal`` columns shifted by the class, then noise."""
    rng = np.random.RandomState(seed)
    y = rng.randint(0, 2, n)
    shift = rng.uniform(0.2, 0.8, n_signal)
    signal = rng.standard_normal((n, n_signal)) + np.outer(y, shift)
    X = np.column_stack([signal, rng.standard_normal((n, n_null))])
    return X, y


@pytest.mark.parametrize("alpha", [0.05, 0.2])
def test_benjamini_hochberg_controls_the_false_discovery_proportion(alpha):
    fdp, discoveries = [], []
    for seed in range(30):
        X, y = _signal_and_noise(seed)
        support = (
            MutualInfoSelector(alpha=alpha, estimator=PlugIn()).fit(X, y).get_support()
        )
        false = np.sum(support[30:])
        fdp.append(false / max(1, support.sum()))
        discoveries.append(np.sum(support[:30]))
    # BH: FDR <= m0 / m * alpha = 0.8 alpha, up to the Monte Carlo error
    assert np.mean(fdp) <= 0.8 * alpha + 2 * np.std(fdp) / np.sqrt(30) + 0.01
    assert np.mean(discoveries) >= 8  # and it does find signal
    # without a correction, the same level admits many more null columns
    X, y = _signal_and_noise(0)
    raw = MutualInfoSelector(estimator=PlugIn()).fit(X, y).pvalues_
    assert np.sum(raw[30:] <= alpha) > np.sum(support[30:]) + 2


def test_bonferroni_controls_the_family_wise_error_rate():
    # pure noise: the probability of keeping any column is at most alpha
    alpha, n_runs = 0.1, 60
    any_kept = 0
    for seed in range(n_runs):
        rng = np.random.RandomState(seed)
        X, y = rng.standard_normal((150, 100)), rng.randint(0, 3, 150)
        selector = MutualInfoSelector(
            alpha=alpha, correction="bonferroni", estimator=PlugIn()
        ).fit(X, y)
        any_kept += bool(selector.get_support().any())
    assert any_kept <= binom.ppf(0.999, n_runs, alpha)
    # BH on the same kind of data keeps at least as many columns
    X, y = _signal_and_noise(1)
    bh = MutualInfoSelector(alpha=0.1, estimator=PlugIn()).fit(X, y)
    bonferroni = clone(bh).set_params(correction="bonferroni").fit(X, y)
    assert bonferroni.get_support().sum() <= bh.get_support().sum()
    assert not np.any(bonferroni.get_support() & ~bh.get_support())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_alpha_selects_as_select_fdr_and_select_fwe(seed):
    from sklearn.feature_selection import SelectFdr, SelectFwe

    X, y = _signal_and_noise(seed, n_signal=10, n_null=40)
    selector = MutualInfoSelector(alpha=0.05, estimator=PlugIn()).fit(X, y)
    result = (selector.scores_, selector.pvalues_)

    def score(X, y):
        return result

    fdr = SelectFdr(score, alpha=0.05).fit(X, y)
    np.testing.assert_array_equal(selector.get_support(), fdr.get_support())
    assert 3 <= selector.get_support().sum() < 50
    selector.set_params(correction="bonferroni")  # no refit needed
    fwe = SelectFwe(score, alpha=0.05).fit(X, y)
    np.testing.assert_array_equal(selector.get_support(), fwe.get_support())


def test_alpha_ignores_k():
    X, y = _signal_and_noise(0, n_signal=10, n_null=10)
    selector = MutualInfoSelector(k=1, alpha=0.05, estimator=PlugIn()).fit(X, y)
    assert selector.get_support().sum() > 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "k is greater than n_features"
        MutualInfoSelector(k=100, alpha=0.05, estimator=PlugIn()).fit(X, y)


def test_alpha_with_permutation_pvalues():
    X, y = _signal_and_noise(0, n=120, n_signal=3, n_null=5)
    selector = MutualInfoSelector(alpha=0.1, n_permutations=199, random_state=0).fit(
        X, y
    )
    adjusted = np.minimum(1, 8 * selector.pvalues_)
    selector.set_params(correction="bonferroni")
    np.testing.assert_array_equal(selector.get_support(), adjusted <= 0.1)


@pytest.mark.parametrize(
    "correction, n_permutations, needed",
    [("fdr_bh", 9, 20), ("bonferroni", 99, 160)],
)
def test_alpha_warns_when_permutations_cannot_reach_it(
    correction, n_permutations, needed
):
    X, y = _signal_and_noise(0, n=60, n_signal=2, n_null=6)
    selector = MutualInfoSelector(
        alpha=0.05,
        correction=correction,
        n_permutations=n_permutations,
        random_state=0,
    )
    with pytest.warns(UserWarning, match=f"Use n_permutations >= {needed}"):
        selector.fit(X, y)
    assert not selector.get_support().any()


def test_alpha_with_the_g_test_fallback_can_select_strong_features():
    # 50 classes, 1,000 rows: the G-test falls back to permutations, and
    # with 100 features Bonferroni needs a p-value of at most 0.05 / 100
    rng = np.random.RandomState(0)
    y = rng.randint(0, 50, 1000)
    X = rng.standard_normal((1000, 100))
    X[:, :3] += (y[:, None] % 5) * 0.5
    selector = MutualInfoSelector(
        alpha=0.05, correction="bonferroni", estimator=PlugIn(), random_state=0
    )
    with pytest.warns(UserWarning, match="at most 2000 permutations"):
        selector.fit(X, y)
    assert set(selector.get_support(indices=True)) >= {0, 1, 2}
    assert selector.get_support().sum() <= 5
    # with the 999 permutations of the default, no feature could pass
    selector.set_params(alpha=None, n_permutations=999, test="g-test")
    with pytest.warns(UserWarning, match="at most 999 permutations"):
        pvalues = selector.fit(X, y).pvalues_
    assert pvalues[:3].max() == pytest.approx(1 / 1000)
    assert np.all(adjust_pvalues(pvalues, "bonferroni") > 0.05)


def test_nothing_significant_selects_no_feature():
    rng = np.random.RandomState(0)
    X, y = rng.standard_normal((100, 5)), rng.randint(0, 2, 100)
    selector = MutualInfoSelector(
        alpha=0.001, correction="bonferroni", estimator=PlugIn()
    ).fit(X, y)
    assert not selector.get_support().any()
    with pytest.warns(UserWarning, match="No features were selected"):
        assert selector.transform(X).shape == (100, 0)


def test_alpha_set_after_a_fit_without_pvalues_is_an_error():
    X, y = _null_data(0, n=50, d=3)
    selector = MutualInfoSelector(k=1).fit(X, y)
    selector.set_params(alpha=0.05)
    with pytest.raises(ValueError, match="needs p-values, and none were computed"):
        selector.get_support()


# --------------------------------------------------------------------------
# determinism
# --------------------------------------------------------------------------
def test_results_do_not_depend_on_n_jobs():
    X, rng = _tied_data(5, n=100, d=8)
    y = rng.randint(0, 3, 100)
    fits = [
        MutualInfoSelector(
            k="all", n_permutations=15, n_jobs=n_jobs, random_state=7
        ).fit(X, y)
        for n_jobs in (1, 2)
    ]
    with joblib.parallel_backend("loky", n_jobs=2):
        fits.append(
            MutualInfoSelector(k="all", n_permutations=15, random_state=7).fit(X, y)
        )
    for other in fits[1:]:
        np.testing.assert_array_equal(other.scores_, fits[0].scores_)
        np.testing.assert_array_equal(other.pvalues_, fits[0].pvalues_)


def test_same_random_state_same_result_and_random_state_instance():
    X, rng = _tied_data(6)
    y = rng.randint(0, 2, X.shape[0])
    a = MutualInfoSelector(k="all", n_permutations=9, random_state=3).fit(X, y)
    b = MutualInfoSelector(
        k="all", n_permutations=9, random_state=np.random.RandomState(3)
    ).fit(X, y)
    np.testing.assert_array_equal(a.scores_, b.scores_)
    np.testing.assert_array_equal(a.pvalues_, b.pvalues_)


# --------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------
def _mixed_frame(seed=0, n=300):
    rng = np.random.RandomState(seed)
    colour = rng.choice(["red", "green", "blue"], n)
    y = np.where(colour == "red", "yes", rng.choice(["yes", "no"], n))
    frame = pd.DataFrame(
        {
            "noise": rng.standard_normal(n),
            "colour": pd.Categorical(colour),
            "shape": pd.Series(rng.choice(["a", "b"], n), dtype=object),
            "flag": rng.uniform(size=n) < 0.5,
            "count": rng.randint(0, 5, n),
        }
    )
    return frame, y


def test_pandas_categorical_object_bool_and_integer_columns_are_discrete():
    frame, y = _mixed_frame()
    selector = MutualInfoSelector(k=1, random_state=0).fit(frame, y)
    np.testing.assert_array_equal(
        selector.discrete_features_, [False, True, True, True, True]
    )
    assert selector.discrete_target_
    np.testing.assert_array_equal(selector.feature_names_in_, frame.columns)
    assert selector.get_feature_names_out().tolist() == ["colour"]
    # the discrete scores are plug-in MI of the contingency tables, adjusted
    # for chance
    for name in ("colour", "shape", "flag", "count"):
        expected = PlugIn(adjust="chance").mutual_info(
            frame[name].astype(str), y, x_discrete=True, y_discrete=True
        )
        j = frame.columns.get_loc(name)
        assert selector.scores_[j] == pytest.approx(max(expected, 0.0), abs=1e-12)


def test_pandas_output_keeps_the_original_columns():
    frame, y = _mixed_frame()
    selector = MutualInfoSelector(k=3, random_state=0).set_output(transform="pandas")
    out = selector.fit(frame, y).transform(frame)
    assert isinstance(out, pd.DataFrame)
    assert out.columns.tolist() == selector.get_feature_names_out().tolist()
    assert "colour" in out.columns
    for name in out.columns:
        pd.testing.assert_series_equal(out[name], frame[name])
    # default output: the selected columns of the input as one array
    plain = clone(selector).set_output(transform="default").fit(frame, y)
    assert plain.transform(frame).shape == (frame.shape[0], 3)


def test_string_labels_give_the_same_scores_as_integer_labels():
    X, y = make_classification(n_samples=120, n_features=5, random_state=0)
    labels = np.array(["cat", "dog"])[y]
    a = MutualInfoSelector(random_state=0, k=2).fit(X, y)
    b = MutualInfoSelector(random_state=0, k=2).fit(X, labels)
    np.testing.assert_array_equal(a.scores_, b.scores_)


def test_discrete_target_override_treats_integers_as_numbers():
    rng = np.random.RandomState(0)
    X = rng.standard_normal((100, 3))
    y = np.round(3 * X[:, 0]).astype(int)
    auto = MutualInfoSelector(k=1, random_state=0).fit(X, y)
    as_numbers = MutualInfoSelector(k=1, discrete_target=False, random_state=0).fit(
        X, y
    )
    assert auto.discrete_target_ and not as_numbers.discrete_target_
    expected = mutual_info_regression(X, y.astype(float), random_state=0)
    np.testing.assert_array_equal(as_numbers.scores_, expected)


def test_sparse_discrete_input():
    rng = np.random.RandomState(0)
    dense = rng.randint(0, 3, size=(60, 4)) * (rng.uniform(size=(60, 4)) < 0.5)
    y = dense[:, 2] % 2
    selector = MutualInfoSelector(k=1, random_state=0).fit(sparse.csr_matrix(dense), y)
    assert selector.discrete_features_.all()
    dense_fit = MutualInfoSelector(k=1, discrete_features=True, random_state=0).fit(
        dense.astype(float), y
    )
    np.testing.assert_allclose(selector.scores_, dense_fit.scores_)
    assert selector.get_support(indices=True).tolist() == [2]


# --------------------------------------------------------------------------
# scikit-learn integration
# --------------------------------------------------------------------------
def test_grid_search_over_k_and_the_estimator_hyper_parameters():
    X, y = make_classification(
        n_samples=120, n_features=8, n_informative=3, shuffle=False, random_state=0
    )
    select = MutualInfoSelector(estimator=KSG(), random_state=0)
    pipe = Pipeline([("select", select), ("clf", LogisticRegression())])
    grid = {"select__k": [2, 4], "select__estimator__n_neighbors": [3, 7]}
    search = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    best = search.best_estimator_.named_steps["select"]
    params = search.best_params_
    assert best.estimator_.n_neighbors == params["select__estimator__n_neighbors"]
    assert best.get_support().sum() == params["select__k"]
    assert select.estimator.n_neighbors == 3  # the search works on clones


def test_clone_inverse_transform_and_feature_names():
    X, y = make_classification(
        n_samples=80, n_features=6, shuffle=False, random_state=1
    )
    selector = MutualInfoSelector(k=2, estimator=KSG(n_neighbors=5), random_state=0)
    copy = clone(selector)
    assert copy.estimator is not selector.estimator
    assert copy.get_params()["estimator__n_neighbors"] == 5
    Xt = selector.fit_transform(X, y)
    back = selector.inverse_transform(Xt)
    support = selector.get_support()
    np.testing.assert_array_equal(back[:, support], X[:, support])
    np.testing.assert_array_equal(back[:, ~support], 0.0)
    names = selector.get_feature_names_out()
    assert names.tolist() == [f"x{j}" for j in np.flatnonzero(support)]


# --------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "params, match",
    [
        ({"k": -1}, "'k' parameter"),
        ({"k": "some"}, "'k' parameter"),
        ({"percentile": 0}, "'percentile' parameter"),
        ({"percentile": 150}, "'percentile' parameter"),
        ({"estimator": "ksg"}, "'estimator' parameter"),
        ({"discrete_target": "yes"}, "'discrete_target' parameter"),
        ({"n_permutations": -1}, "'n_permutations' parameter"),
        ({"test": "chi2"}, "'test' parameter"),
        (
            {"percentile": 10, "threshold": 0.1},
            "Only one of percentile, threshold and alpha may be given; got "
            "percentile=10 and threshold=0.1",
        ),
        ({"alpha": 0}, "'alpha' parameter"),
        ({"alpha": 1.5}, "'alpha' parameter"),
        ({"correction": "holm"}, "'correction' parameter"),
        ({"alpha": 0.1, "percentile": 10}, "Only one of percentile, threshold and"),
        ({"alpha": 0.1, "threshold": 0.0}, "Only one of percentile, threshold and"),
        (
            {"alpha": 0.1},
            re.escape(
                "alpha=0.1 selects features by their p-values, and this selector "
                "computes none: pass n_permutations >= 1 (a permutation test, "
                "with any estimator) or estimator=PlugIn(correction=None)"
            ),
        ),
        (
            {"alpha": 0.1, "estimator": PlugIn(correction="miller-madow")},
            "pass n_permutations >= 1",
        ),
        ({"estimator": KSG(n_neighbors=0)}, "'n_neighbors' parameter of KSG"),
        ({"estimator": PlugIn(n_bins=1)}, "'n_bins' parameter of PlugIn"),
        ({"test": "permutation"}, "requires n_permutations >= 1"),
        ({"test": "g-test"}, re.escape("requires estimator=PlugIn(correction=None)")),
        (
            {"test": "g-test", "estimator": PlugIn(correction="chao-shen")},
            "requires estimator=PlugIn",
        ),
    ],
)
def test_invalid_parameters(params, match):
    X, y = _null_data(0, n=30, d=3)
    with pytest.raises(ValueError, match=match):
        MutualInfoSelector(**params).fit(X, y)


def test_multi_output_target_is_rejected():
    X, y = _null_data(0, n=30, d=3)
    with pytest.raises(ValueError, match="Multi-output targets are not supported"):
        MutualInfoSelector().fit(X, np.column_stack([y, y]))


def test_missing_values_are_named():
    frame, y = _mixed_frame(n=40)
    frame.loc[3, "noise"] = np.nan
    with pytest.raises(ValueError, match="'noise'"):
        MutualInfoSelector().fit(frame, y)


def test_too_few_samples_for_the_neighbours():
    X, y = _null_data(0, n=5, d=2)
    with pytest.raises(ValueError, match="n_neighbors=5 requires at least n_neighbors"):
        MutualInfoSelector(estimator=KSG(n_neighbors=5)).fit(X, y)
