"""The drop-in scores against scikit-learn's own functions.

skmi.mutual_info_classif/regression use the same estimators, scaling and
seeded noise as scikit-learn's, so on the same data and seed they return the
same values (to 1e-6, in practice to rounding).

One caveat is scikit-learn's, not ours: for a class of ``n_c`` samples with
``n_neighbors >= n_c // 2``, scikit-learn finds the within-class neighbours by
brute force with Euclidean distances computed as ``|a|^2 - 2ab + |b|^2``,
which can exceed the true distance, so the k-th neighbour at the boundary of
a ball may be counted (by up to 0.5 nats on integer-valued columns). The
comparisons here keep every class large enough (``check_classes``); small
classes are tested against an exact O(n^2) reference.
"""

import numpy as np
import pandas as pd
import pytest
from joblib import parallel_backend
from scipy import sparse
from sklearn import feature_selection as sk
from sklearn.datasets import make_classification, make_regression

import skmi

SEEDS = [0, 1, 2]
GRID_SEEDS = [0, 1]  # for the larger parameter grids
TOL = 1e-6


def features(seed, n=300, n_features=5, discrete=()):
    """Continuous features (some informative) with integer columns at ``discrete``."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, n_features))
    X[:, -1] = X[:, 0] + 0.5 * X[:, -1]
    for j in discrete:
        X[:, j] = rng.integers(0, 2 + j, n)
    y = X[:, 0] + np.sin(2 * X[:, -1]) + 0.5 * rng.standard_normal(n)
    if discrete:
        y += X[:, discrete[0]]
    labels = np.digitize(y, np.quantile(y, [0.25, 0.5, 0.8]))
    return X, y, labels


def check_classes(discrete, n_neighbors):
    """Assert scikit-learn uses a tree (exact distances) for every class."""
    _, sizes = np.unique(discrete, return_counts=True)
    sizes = sizes[sizes > 1]
    assert np.all(n_neighbors < sizes // 2)


def both(name, *args, **kwargs):
    """The scores of scikit-learn's and skmi's function of the same name."""
    return getattr(sk, name)(*args, **kwargs), getattr(skmi, name)(*args, **kwargs)


@pytest.mark.parametrize("seed", GRID_SEEDS)
@pytest.mark.parametrize("n_neighbors", [1, 3, 8])
@pytest.mark.parametrize("shape", [(120, 1), (300, 5), (500, 3)])
def test_regression_matches_sklearn_on_continuous_data(seed, n_neighbors, shape):
    X, y, _ = features(seed, *shape)
    expected, got = both(
        "mutual_info_regression", X, y, n_neighbors=n_neighbors, random_state=seed
    )
    assert got.shape == (shape[1],)
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)
    assert got.max() > 0.1  # informative features score: not 0 == 0


@pytest.mark.parametrize("seed", GRID_SEEDS)
@pytest.mark.parametrize("n_neighbors", [1, 3, 8])
@pytest.mark.parametrize("shape", [(120, 1), (300, 5), (500, 3)])
def test_classif_matches_sklearn_on_continuous_data(seed, n_neighbors, shape):
    X, _, labels = features(seed, *shape)
    check_classes(labels, n_neighbors)
    expected, got = both(
        "mutual_info_classif", X, labels, n_neighbors=n_neighbors, random_state=seed
    )
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)
    assert got.max() > 0.1


@pytest.mark.parametrize("seed", GRID_SEEDS)
@pytest.mark.parametrize("n_neighbors", [2, 3])
@pytest.mark.parametrize(
    "discrete_features",
    [[1, 3], np.array([False, True, False, True, False]), [-2]],
    ids=["indices", "mask", "negative-index"],
)
@pytest.mark.parametrize("name", ["mutual_info_regression", "mutual_info_classif"])
def test_mixed_discrete_features_match_sklearn(
    seed, n_neighbors, discrete_features, name
):
    X, y, labels = features(seed, discrete=(1, 3))
    target = y if name == "mutual_info_regression" else labels
    for discrete in [labels, X[:, 1], X[:, 3]]:
        check_classes(discrete, n_neighbors)
    expected, got = both(
        name,
        X,
        target,
        discrete_features=discrete_features,
        n_neighbors=n_neighbors,
        random_state=seed,
    )
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_discrete_features_match_sklearn(seed, fmt):
    rng = np.random.default_rng(seed)
    X = sparse.random(250, 6, density=0.3, random_state=seed, format=fmt)
    X.data = np.round(X.data) + 1
    dense = X.toarray()
    for j in range(dense.shape[1]):
        check_classes(dense[:, j], 3)
    labels = (dense[:, 0] + rng.integers(0, 2, 250)) % 3
    y = dense[:, 1] + rng.standard_normal(250)
    targets = [("mutual_info_classif", labels), ("mutual_info_regression", y)]
    for name, target in targets:
        expected, got = both(name, X, target, random_state=seed)
        np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)
        # "auto" means discrete for sparse input: the dense array says so
        dense_got = getattr(skmi, name)(
            dense, target, discrete_features=True, random_state=seed
        )
        np.testing.assert_allclose(got, dense_got, rtol=0, atol=TOL)
        assert got[0 if name == "mutual_info_classif" else 1] > 0.05


def test_all_discrete_matches_sklearn():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 4, (300, 4))
    labels = (X[:, 0] + rng.integers(0, 2, 300)) % 4
    expected, got = both("mutual_info_classif", X, labels, discrete_features=True)
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)
    assert got[0] > 0.3


def test_targets_with_singleton_and_string_classes_match_sklearn():
    X, _, labels = features(0)
    names = np.array(["low", "mid", "high", "top"], dtype=object)[labels]
    names[0] = "alone"  # a class with one sample is left out of Ross's estimate
    expected, got = both("mutual_info_classif", X, names, random_state=0)
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)


def test_tied_features_match_sklearn():
    # With ties both add the same seeded noise, so they still agree.
    rng = np.random.default_rng(0)
    X = rng.integers(0, 5, (300, 4)).astype(float)
    y = X[:, 0] + rng.integers(0, 3, 300)
    expected, got = both("mutual_info_regression", X, y, random_state=0)
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)


def test_random_state_instance_and_pandas_input_match_sklearn():
    X, y, labels = features(3)
    expected = sk.mutual_info_classif(X, labels, random_state=np.random.RandomState(5))
    got = skmi.mutual_info_classif(
        pd.DataFrame(X), pd.Series(labels), random_state=np.random.RandomState(5)
    )
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)


@pytest.mark.parametrize("name", ["mutual_info_regression", "mutual_info_classif"])
def test_results_do_not_depend_on_n_jobs_or_backend(name):
    X, y, labels = features(4, n=400, n_features=7, discrete=(2,))
    target = y if name == "mutual_info_regression" else labels
    func = getattr(skmi, name)
    kwargs = {"discrete_features": [2], "random_state": 7}
    reference = func(X, target, n_jobs=1, **kwargs)
    np.testing.assert_array_equal(func(X, target, n_jobs=2, **kwargs), reference)
    for backend in ["threading", "loky"]:
        with parallel_backend(backend, n_jobs=2):
            np.testing.assert_array_equal(func(X, target, **kwargs), reference)
        np.testing.assert_array_equal(func(X, target, n_jobs=2, **kwargs), reference)
    assert reference.max() > 0.1


@pytest.mark.parametrize("name", ["mutual_info_regression", "mutual_info_classif"])
def test_input_is_not_modified(name):
    X, y, labels = features(0, discrete=(2,))
    target = y if name == "mutual_info_regression" else labels
    X_before, target_before = X.copy(), target.copy()
    getattr(skmi, name)(X, target, copy=False, random_state=0)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(target, target_before)


def test_scores_are_clipped_at_zero():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((200, 30))
    y = rng.standard_normal(200)
    mi = skmi.mutual_info_regression(X, y, random_state=0)
    raw = [
        skmi.estimators.KSG(random_state=0).mutual_info(X[:, j], y)
        for j in range(X.shape[1])
    ]
    assert min(raw) < 0  # independent features: some raw estimates are negative
    assert mi.min() == 0.0


# --------------------------------------------------------------------------
# scikit-learn's docstring examples
# --------------------------------------------------------------------------
def test_sklearn_regression_docstring_example():
    X, y = make_regression(
        n_samples=50, n_features=3, n_informative=1, noise=1e-4, random_state=42
    )
    for seed in SEEDS:
        expected, got = both("mutual_info_regression", X, y, random_state=seed)
        np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)
        np.testing.assert_allclose(got, [0.117, 2.645, 0.0287], atol=2e-3)


def test_sklearn_classif_docstring_example():
    X, y = make_classification(
        n_samples=100,
        n_features=10,
        n_informative=2,
        n_clusters_per_class=1,
        shuffle=False,
        random_state=42,
    )
    for seed in SEEDS:
        expected, got = both("mutual_info_classif", X, y, random_state=seed)
        np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)
    np.testing.assert_allclose(got[:4], [0.589, 0.107, 0.196, 0.0968], atol=0.02)
    np.testing.assert_allclose(got[4:], 0, atol=0.02)


@pytest.mark.parametrize("seed", SEEDS)
def test_drop_ins_agree_with_the_ksg_estimator(seed):
    # One continuous column: the same noise is drawn in the same order (x,
    # then y), so the drop-in is the clipped KSG estimate.
    X, y, labels = features(seed, n=300, n_features=1)
    x = X[:, 0]
    est = skmi.estimators.KSG(n_neighbors=4, random_state=seed)
    got = skmi.mutual_info_regression(X, y, n_neighbors=4, random_state=seed)
    assert got[0] == max(0.0, est.mutual_info(x, y))
    got = skmi.mutual_info_classif(X, labels, n_neighbors=4, random_state=seed)
    assert got[0] == pytest.approx(
        max(0.0, est.mutual_info(x, labels, y_discrete=True)), abs=1e-12
    )
    assert got[0] > 0.1


# --------------------------------------------------------------------------
# small classes, n_neighbors per class, invalid input: as scikit-learn
# --------------------------------------------------------------------------
def exact_ross_scores(X, labels, n_neighbors, seed):
    """Ross's estimate of each column, exactly, on the drop-in's own values
    (scaled and jittered as scikit-learn does, from ``seed``)."""
    from test_estimators_bruteforce import bf_ross

    est = skmi.estimators.KSG(n_neighbors=n_neighbors)
    columns = est.prepare(X, np.zeros(X.shape[1], bool), np.random.RandomState(seed))
    scores = [bf_ross(c.continuous, labels, n_neighbors) for c in columns]
    return np.maximum(scores, 0.0)


def test_n_neighbors_is_capped_per_class():
    # classes of 10 and n_neighbors = 30: each class uses its 9 neighbours
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1, 2], 10)
    X = rng.standard_normal((30, 3)) + 0.8 * labels[:, None]
    got = skmi.mutual_info_classif(X, labels, n_neighbors=30, random_state=0)
    np.testing.assert_allclose(got, exact_ross_scores(X, labels, 30, 0), atol=1e-12)
    assert got.max() > 0.1
    # the same for the levels of discrete features against a continuous target
    y = X[:, 0] + labels
    got = skmi.mutual_info_regression(
        labels[:, None], y, discrete_features=True, n_neighbors=30, random_state=0
    )
    assert got[0] > 0.3


@pytest.mark.parametrize("integer_valued", [False, True])
def test_small_classes_give_the_exact_estimate(integer_valued):
    # Classes of 2 to 2k + 1 samples, where scikit-learn's brute-force
    # Euclidean distances can move its values (by up to 0.5 nats on
    # integer-valued columns): skmi's are Ross's estimate, exactly.
    rng = np.random.default_rng(1)
    sizes = [2, 3, 4, 5, 6, 7]
    labels = np.repeat(np.arange(len(sizes)), sizes)
    X = rng.standard_normal((labels.size, 4)) + 0.4 * labels[:, None]
    if integer_valued:
        X = np.round(2 * X)
    for seed in SEEDS:
        got = skmi.mutual_info_classif(X, labels, n_neighbors=3, random_state=seed)
        expected = exact_ross_scores(X, labels, 3, seed)
        np.testing.assert_allclose(got, expected, atol=1e-12)


@pytest.mark.parametrize("name", ["mutual_info_regression", "mutual_info_classif"])
@pytest.mark.parametrize(
    "discrete_features", [[1, 4], [0, -4], [True, False, True, False], [True]]
)
def test_out_of_range_discrete_features_raise_index_and_value_error(
    name, discrete_features
):
    X, y, labels = features(0, n_features=3)
    target = y if name == "mutual_info_regression" else labels
    func = getattr(skmi, name)
    for kind in (IndexError, ValueError):
        with pytest.raises(kind, match="discrete_features"):
            func(X, target, discrete_features=discrete_features)
    if discrete_features in ([1, 4], [True, False, True, False]):
        # scikit-learn's own test asserts an IndexError for these
        with pytest.raises(IndexError):
            getattr(sk, name)(X, target, discrete_features=discrete_features)


@pytest.mark.parametrize("name", ["mutual_info_regression", "mutual_info_classif"])
@pytest.mark.parametrize("kind", ["category", "object", "string"])
def test_non_numeric_dataframe_column_is_named(name, kind):
    X, y, labels = features(0, n_features=2)
    frame = pd.DataFrame(X, columns=["a", "b"])
    frame["colour"] = pd.Series(np.where(X[:, 0] > 0, "red", "blue")).astype(kind)
    target = y if name == "mutual_info_regression" else labels
    with pytest.raises(ValueError, match="column\\(s\\) 'colour' hold non-numeric"):
        getattr(skmi, name)(frame, target)


def test_numeric_categorical_dataframe_column_is_accepted():
    # categories that are numbers convert, as in scikit-learn
    X, _, labels = features(0, n_features=2)
    frame = pd.DataFrame(X, columns=["a", "b"])
    frame["level"] = pd.Categorical(labels)
    expected, got = both(
        "mutual_info_classif", frame, labels, discrete_features=[2], random_state=0
    )
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)
