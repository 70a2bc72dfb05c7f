"""Tests of skmi.tree_information_gain against the trees' own impurities."""

import math
import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import (
    load_breast_cancer,
    load_iris,
    load_wine,
    make_classification,
)
from sklearn.exceptions import NotFittedError
from sklearn.tree import (
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    ExtraTreeClassifier,
)

from skmi import tree_information_gain

KEYS = ["node", "feature", "threshold", "n_samples", "impurity_decrease", "mutual_info"]


def _random_multiclass():
    return make_classification(
        n_samples=300,
        n_features=8,
        n_informative=5,
        n_redundant=1,
        n_classes=4,
        random_state=0,
    )


def _integer_features():
    # Many ties and a class that depends on two features.
    rng = np.random.default_rng(3)
    X = rng.integers(0, 5, size=(200, 3))
    y = (X[:, 0] + X[:, 1] + rng.integers(0, 2, size=200)) % 3
    return X, y


DATASETS = {
    "iris": lambda: load_iris(return_X_y=True),
    "wine": lambda: load_wine(return_X_y=True),
    "breast_cancer": lambda: load_breast_cancer(return_X_y=True),
    "random_multiclass": _random_multiclass,
    "integer_features": _integer_features,
}


def _bits_entropy(labels):
    """Plug-in entropy in bits, written from the definition."""
    if len(labels) == 0:
        return 0.0
    _, counts = np.unique(labels, return_counts=True)
    p = counts / counts.sum()
    return float(-np.sum(p * np.log2(p)))


def _brute_force_gain(tree, X, y):
    """Route each sample by hand and compute H(Y) - sum_c n_c/n H(Y | c)."""
    t = tree.tree_
    X32 = np.asarray(X, dtype=np.float32)
    members = {}
    for i in range(X32.shape[0]):
        node = 0
        while t.children_left[node] != t.children_right[node]:
            members.setdefault(node, []).append(i)
            value = X32[i, t.feature[node]]
            node = (
                t.children_left[node]
                if value <= t.threshold[node]
                else (t.children_right[node])
            )
    gains = {}
    for node, rows in members.items():
        rows = np.asarray(rows)
        left = X32[rows, t.feature[node]] <= t.threshold[node]
        yn = y[rows]
        gains[node] = (
            _bits_entropy(yn)
            - left.mean() * _bits_entropy(yn[left])
            - (~left).mean() * _bits_entropy(yn[~left])
        )
    return members, gains


@pytest.mark.parametrize("dataset", sorted(DATASETS))
@pytest.mark.parametrize("max_depth", [1, 3, None])
@pytest.mark.parametrize("criterion", ["entropy", "log_loss"])
def test_entropy_tree_gain_equals_plugin_mutual_info(dataset, max_depth, criterion):
    X, y = DATASETS[dataset]()
    tree = DecisionTreeClassifier(
        criterion=criterion, max_depth=max_depth, random_state=0
    ).fit(X, y)
    gain = tree_information_gain(tree, X, y)
    t = tree.tree_
    internal = np.flatnonzero(t.children_left != t.children_right)
    assert list(gain) == KEYS
    assert all(len(v) == internal.size for v in gain.values())
    assert internal.size >= 1
    np.testing.assert_array_equal(gain["node"], internal)
    np.testing.assert_array_equal(gain["feature"], t.feature[internal])
    np.testing.assert_array_equal(gain["threshold"], t.threshold[internal])
    np.testing.assert_array_equal(gain["n_samples"], t.n_node_samples[internal])
    np.testing.assert_allclose(
        gain["mutual_info"], gain["impurity_decrease"], rtol=0, atol=1e-12
    )
    # A split never loses information (zero-gain splits do happen when
    # no threshold helps, e.g. with the modular target of integer_features).
    assert np.all(gain["mutual_info"] > -1e-12)
    assert gain["mutual_info"][0] > 0


def test_oracle_best_split_of_ten_points():
    X = np.arange(10).reshape(-1, 1)
    y = np.array([0, 0, 0, 1, 0, 1, 1, 1, 2, 2])
    tree = DecisionTreeClassifier(criterion="entropy", max_depth=1).fit(X, y)
    gain = tree_information_gain(tree, X, y)
    assert gain["threshold"][0] == 7.5
    assert gain["mutual_info"][0] == pytest.approx(0.7219280949, abs=1e-10)
    assert gain["impurity_decrease"][0] == pytest.approx(0.7219280949, abs=1e-10)


def test_oracle_split_on_new_data():
    # A tree learnt elsewhere that splits at 2.5, evaluated on the ORACLES
    # sample x = 0..7: mutual_info is measured on the given samples while
    # impurity_decrease stays the training value (a perfect 1-bit split).
    tree = DecisionTreeClassifier(criterion="entropy").fit(
        np.arange(6).reshape(-1, 1), [0, 0, 0, 1, 1, 1]
    )
    X = np.arange(8).reshape(-1, 1)
    y = np.array([0, 0, 0, 1, 0, 1, 1, 1])
    gain = tree_information_gain(tree, X, y)
    assert gain["threshold"].tolist() == [2.5]
    assert gain["n_samples"].tolist() == [8]
    assert gain["mutual_info"][0] == pytest.approx(0.5487949407, abs=1e-10)
    assert gain["impurity_decrease"][0] == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("criterion", ["gini"])
@pytest.mark.parametrize("dataset", ["iris", "wine", "random_multiclass"])
def test_gini_tree_has_nan_impurity_decrease_and_valid_mutual_info(criterion, dataset):
    X, y = DATASETS[dataset]()
    tree = DecisionTreeClassifier(criterion=criterion, max_depth=4, random_state=0)
    tree.fit(X, y)
    gain = tree_information_gain(tree, X, y)
    assert np.isnan(gain["impurity_decrease"]).all()
    members, expected = _brute_force_gain(tree, X, y)
    assert sorted(members) == gain["node"].tolist()
    for node, mi, n in zip(
        gain["node"], gain["mutual_info"], gain["n_samples"], strict=True
    ):
        assert n == len(members[node])
        assert mi == pytest.approx(expected[node], abs=1e-12)
    assert np.all(gain["mutual_info"] >= 0)


def test_held_out_data_counts_and_unreached_nodes():
    X, y = load_wine(return_X_y=True)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(y))
    train, test = order[:120], order[120:130]
    tree = DecisionTreeClassifier(criterion="entropy", random_state=0)
    tree.fit(X[train], y[train])
    gain = tree_information_gain(tree, X[test], y[test])
    members, expected = _brute_force_gain(tree, X[test], y[test])
    assert gain["n_samples"][0] == len(test)
    assert (gain["n_samples"] == 0).any()  # some leaves' parents are unreached
    for node, mi, n in zip(
        gain["node"], gain["mutual_info"], gain["n_samples"], strict=True
    ):
        assert n == len(members.get(node, []))
        if n == 0:
            assert np.isnan(mi)
        else:
            assert mi == pytest.approx(expected[node], abs=1e-12)
    # impurity_decrease is the stored training value, whatever the data.
    on_train = tree_information_gain(tree, X[train], y[train])
    np.testing.assert_array_equal(
        gain["impurity_decrease"], on_train["impurity_decrease"]
    )


def test_sparse_and_dataframe_inputs_match_dense():
    pd = pytest.importorskip("pandas")
    X, y = load_iris(return_X_y=True)
    tree = DecisionTreeClassifier(criterion="entropy", max_depth=3, random_state=0)
    dense = tree_information_gain(tree.fit(X, y), X, y)
    for X_other in (sparse.csr_matrix(X), sparse.csc_matrix(X)):
        other = tree_information_gain(tree, X_other, y)
        for key in KEYS:
            np.testing.assert_array_equal(other[key], dense[key])
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    tree_df = DecisionTreeClassifier(criterion="entropy", max_depth=3, random_state=0)
    tree_df.fit(frame, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from_frame = tree_information_gain(tree_df, frame, pd.Series(y))
    for key in KEYS:
        np.testing.assert_array_equal(from_frame[key], dense[key])


def test_missing_values_follow_the_tree():
    X, y = load_iris(return_X_y=True)
    X = X.copy()
    rng = np.random.default_rng(1)
    X[rng.random(X.shape) < 0.1] = np.nan
    tree = DecisionTreeClassifier(criterion="entropy", max_depth=4, random_state=0)
    tree.fit(X, y)
    gain = tree_information_gain(tree, X, y)
    np.testing.assert_array_equal(
        gain["n_samples"], tree.tree_.n_node_samples[gain["node"]]
    )
    np.testing.assert_allclose(
        gain["mutual_info"], gain["impurity_decrease"], rtol=0, atol=1e-12
    )


def test_string_labels_and_extra_tree():
    X, y = load_iris(return_X_y=True)
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    tree = ExtraTreeClassifier(criterion="entropy", random_state=0).fit(X, labels)
    gain = tree_information_gain(tree, X, labels)
    np.testing.assert_allclose(
        gain["mutual_info"], gain["impurity_decrease"], rtol=0, atol=1e-12
    )


def test_class_weight_makes_the_columns_differ():
    # Documented: mutual_info counts samples once, the tree's impurity is
    # computed from weighted counts.
    X, y = load_breast_cancer(return_X_y=True)
    tree = DecisionTreeClassifier(
        criterion="entropy", max_depth=1, class_weight={0: 5.0, 1: 1.0}
    ).fit(X, y)
    gain = tree_information_gain(tree, X, y)
    assert abs(gain["mutual_info"][0] - gain["impurity_decrease"][0]) > 1e-3
    _, expected = _brute_force_gain(tree, X, y)
    assert gain["mutual_info"][0] == pytest.approx(expected[0], abs=1e-12)


def test_single_leaf_tree_gives_empty_arrays():
    X = np.arange(6).reshape(-1, 1)
    y = np.zeros(6, dtype=int)
    tree = DecisionTreeClassifier(criterion="entropy").fit(X, y)
    gain = tree_information_gain(tree, X, y)
    assert list(gain) == KEYS
    assert all(v.shape == (0,) for v in gain.values())
    assert gain["node"].dtype == np.int64 and gain["mutual_info"].dtype == np.float64


def test_bits_are_nats_over_ln2():
    # Perfect binary split of balanced classes: one bit, not ln 2.
    X = np.arange(8).reshape(-1, 1)
    y = np.array([0] * 4 + [1] * 4)
    tree = DecisionTreeClassifier(criterion="gini").fit(X, y)
    gain = tree_information_gain(tree, X, y)
    assert gain["mutual_info"][0] == pytest.approx(1.0, abs=1e-12)
    assert gain["mutual_info"][0] != pytest.approx(math.log(2))


def test_input_validation():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(NotFittedError):
        tree_information_gain(DecisionTreeClassifier(), X, y)
    with pytest.raises(TypeError, match="DecisionTreeClassifier"):
        tree_information_gain(DecisionTreeRegressor().fit(X, y), X, y)
    tree = DecisionTreeClassifier(max_depth=2).fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features"):
        tree_information_gain(tree, X[:, :3], y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        tree_information_gain(tree, X, y[:-1])
    with pytest.raises(ValueError, match="y must be 1-D"):
        tree_information_gain(tree, X, np.c_[y, y])
    with pytest.raises(ValueError, match="Unknown label type"):
        tree_information_gain(tree, X, X[:, 0] + 0.5)
    multi = DecisionTreeClassifier(max_depth=2).fit(X, np.c_[y, y])
    with pytest.raises(ValueError, match="single-output"):
        tree_information_gain(multi, X, y)
    # A column vector y is accepted like a 1-D one.
    column = tree_information_gain(tree, X, y.reshape(-1, 1))
    np.testing.assert_array_equal(
        column["mutual_info"], tree_information_gain(tree, X, y)["mutual_info"]
    )


@pytest.mark.parametrize("held_out", [False, True])
def test_weighted_gains_sum_to_leaf_information(held_out):
    # Chain rule: sum over nodes of (n_node / N) * gain = H(Y) - H(Y | leaf).
    X, y = load_wine(return_X_y=True)
    rng = np.random.default_rng(1)
    order = rng.permutation(len(y))
    train = order[:100]
    rows = order[100:] if held_out else train
    tree = DecisionTreeClassifier(criterion="gini", max_depth=4, random_state=0)
    tree.fit(X[train], y[train])
    gain = tree_information_gain(tree, X[rows], y[rows])
    total = np.nansum(gain["n_samples"] / len(rows) * gain["mutual_info"])
    leaves = tree.apply(X[rows])
    conditional = sum(
        np.mean(leaves == leaf) * _bits_entropy(y[rows][leaves == leaf])
        for leaf in np.unique(leaves)
    )
    assert total == pytest.approx(_bits_entropy(y[rows]) - conditional, abs=1e-12)
