"""Tests of the plug-in estimator's number of bins (``n_bins="auto"``)."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification

from skmi import ConditionalMutualInfoSelector
from skmi.estimators import KSG, PlugIn


def _rule_brute_force(n):
    """The largest b with 5 b^3 <= n (at least 2), by counting up."""
    b = 2
    while 5 * (b + 1) ** 3 <= n:
        b += 1
    return b


def _levels(estimator, n, seed=0):
    X = np.random.RandomState(seed).standard_normal((n, 2))
    return [c.n_levels for c in estimator.prepare(X, np.array([False, False]))]


def test_auto_is_the_default_and_survives_clone():
    assert PlugIn().get_params()["n_bins"] == "auto"
    assert clone(PlugIn()).n_bins == "auto"
    assert repr(PlugIn()) == "PlugIn()"


@pytest.mark.parametrize(
    "n", [10, 39, 40, 134, 135, 150, 319, 320, 1000, 1079, 1080, 10_000, 100_000]
)
def test_auto_bins_follow_the_rule(n):
    expected = _rule_brute_force(n)
    assert _levels(PlugIn(), n) == [expected, expected]
    assert _levels(PlugIn(strategy="uniform"), n, seed=1)[0] <= expected


@pytest.mark.parametrize("n, bins", [(150, 3), (1000, 5), (10_000, 12), (100_000, 27)])
def test_documented_examples(n, bins):
    assert _rule_brute_force(n) == bins
    assert PlugIn()._n_bins(n) == bins


def test_auto_rule_for_every_size_up_to_a_few_thousand():
    est = PlugIn()
    for n in range(1, 5000):
        b = est._n_bins(n)
        assert b == _rule_brute_force(n)
        if n >= 40:
            # the three-way table holds at least five samples per cell on
            # average, and one more bin would break that
            assert n / b**3 >= 5 > n / (b + 1) ** 3


def test_integer_n_bins_is_kept():
    assert _levels(PlugIn(n_bins=10), 150) == [10, 10]
    assert _levels(PlugIn(n_bins=2), 100_000) == [2, 2]


@pytest.mark.parametrize("n_bins", [1, "sturges", 2.5])
def test_invalid_n_bins(n_bins):
    with pytest.raises(ValueError, match="'n_bins' parameter of PlugIn"):
        PlugIn(n_bins=n_bins).mutual_info(np.arange(20.0), np.arange(20.0))


def test_discrete_columns_are_not_binned():
    x = np.repeat(np.arange(40), 5)  # 40 levels, 200 samples
    est = PlugIn()
    (column,) = est.prepare(x[:, None], np.array([True]))
    assert column.n_levels == 40


def _small_n_data(seed):
    return make_classification(
        n_samples=150,
        n_features=60,
        n_informative=10,
        n_redundant=0,
        n_repeated=0,
        n_clusters_per_class=1,
        class_sep=2.0,
        shuffle=False,
        random_state=seed,
    )


def _recovered(estimator, criterion, seeds):
    counts = []
    for seed in seeds:
        X, y = _small_n_data(seed)
        # the greedy search alone (no synergy screen): the binning is compared
        selector = ConditionalMutualInfoSelector(
            10,
            criterion=criterion,
            estimator=estimator,
            random_state=0,
            interactions=1,
        ).fit(X, y)
        counts.append(np.sum(selector.get_support()[:10]))
    return float(np.mean(counts))


@pytest.mark.slow
@pytest.mark.parametrize("criterion", ["jmi", "cmim"])
def test_auto_bins_recover_relevant_features_at_small_n(criterion):
    # 150 rows, 10 relevant + 50 noise columns: ten bins leave most cells of
    # the three-way tables empty; the automatic number (3) recovers more,
    # about as many as the k-NN estimator
    seeds = range(6)
    auto = _recovered(PlugIn(adjust=None), criterion, seeds)
    ten = _recovered(PlugIn(n_bins=10, adjust=None), criterion, seeds)
    knn = _recovered(KSG(), criterion, seeds)
    assert auto >= ten + 0.5
    assert auto >= knn - 1.0
