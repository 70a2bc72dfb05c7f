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

KEYS = [
    "node",
    "feature",
    "feature_name",
    "threshold",
    "n_samples",
    "weighted_n_samples",
    "impurity_decrease",
    "mutual_info",
]


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
    np.testing.assert_array_equal(
        gain["weighted_n_samples"], t.weighted_n_node_samples[internal]
    )
    assert gain["feature_name"].tolist() == [f"x{j}" for j in t.feature[internal]]
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
        if key != "feature_name":
            np.testing.assert_array_equal(from_frame[key], dense[key])
    assert from_frame["feature_name"].tolist() == ["abcd"[j] for j in dense["feature"]]


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


def _brute_force_weighted_gain(tree, X, y, weights):
    """The weighted entropy decrease of every split, routing each sample by hand."""
    members, _ = _brute_force_gain(tree, X, y)
    t = tree.tree_
    X32 = np.asarray(X, dtype=np.float32)
    classes = np.unique(y)

    def entropy(rows):
        w = np.array([weights[rows][y[rows] == c].sum() for c in classes])
        p = w[w > 0] / w.sum()
        return float(-np.sum(p * np.log2(p))), w.sum()

    gains = {}
    for node, rows in members.items():
        rows = np.asarray(rows)
        rows = rows[weights[rows] > 0]
        left = X32[rows, t.feature[node]] <= t.threshold[node]
        h, w = entropy(rows)
        h_left, w_left = entropy(rows[left])
        h_right, w_right = entropy(rows[~left])
        gains[node] = h - (w_left * h_left + w_right * h_right) / w
    return gains


WEIGHTINGS = {
    "class_weight_dict": ({0: 5.0, 1: 1.0}, False),
    "class_weight_balanced": ("balanced", False),
    "sample_weight": (None, True),
    "both": ("balanced", True),
}


@pytest.mark.parametrize("weighting", sorted(WEIGHTINGS))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_weighted_trees_agree_with_their_own_impurity(weighting, seed):
    # ORACLES.md "Decision trees": the entropy decrease of a split is the
    # plug-in I(split; Y) on the node's samples, here with the tree's weights.
    X, y = load_breast_cancer(return_X_y=True)
    class_weight, with_sample_weight = WEIGHTINGS[weighting]
    rng = np.random.default_rng(seed)
    sample_weight = None
    if with_sample_weight:
        sample_weight = rng.integers(0, 4, size=len(y)).astype(float)  # zeros too
    tree = DecisionTreeClassifier(
        criterion="entropy", max_depth=4, class_weight=class_weight, random_state=seed
    ).fit(X, y, sample_weight=sample_weight)
    gain = tree_information_gain(tree, X, y, sample_weight=sample_weight)
    t = tree.tree_
    np.testing.assert_array_equal(gain["n_samples"], t.n_node_samples[gain["node"]])
    np.testing.assert_allclose(
        gain["weighted_n_samples"], t.weighted_n_node_samples[gain["node"]], rtol=1e-12
    )
    np.testing.assert_allclose(
        gain["mutual_info"], gain["impurity_decrease"], rtol=0, atol=1e-10
    )
    weights = np.ones(len(y)) if sample_weight is None else sample_weight
    if class_weight == "balanced":
        weights = weights * (len(y) / (2 * np.bincount(y)))[y]
    elif class_weight is not None:
        weights = weights * np.array([class_weight[c] for c in y])
    expected = _brute_force_weighted_gain(tree, X, y, weights)
    np.testing.assert_allclose(
        gain["mutual_info"], [expected[n] for n in gain["node"]], rtol=0, atol=1e-10
    )


def test_training_data_without_the_tree_weights_is_refused():
    X, y = load_breast_cancer(return_X_y=True)
    rng = np.random.default_rng(0)
    sample_weight = rng.uniform(0.5, 2.0, size=len(y))
    tree = DecisionTreeClassifier(criterion="entropy", max_depth=3, random_state=0)
    tree.fit(X, y, sample_weight=sample_weight)
    with pytest.raises(ValueError, match="pass the sample_weight and the target"):
        tree_information_gain(tree, X, y)
    with pytest.raises(ValueError, match="differs from the tree's"):
        tree_information_gain(tree, X, y, sample_weight=sample_weight[::-1])
    # an unweighted tree with weights given: refused alike
    plain = DecisionTreeClassifier(criterion="entropy", max_depth=3).fit(X, y)
    with pytest.raises(ValueError, match="differs from the tree's"):
        tree_information_gain(plain, X, y, sample_weight=sample_weight)
    # the training X with another target is not refused by an unweighted tree
    flipped = tree_information_gain(plain, X, 1 - y)
    np.testing.assert_allclose(
        flipped["mutual_info"], tree_information_gain(plain, X, y)["mutual_info"]
    )
    # other data than the training data: the given weights are used as given
    held = tree_information_gain(tree, X[:200], y[:200])
    weighted = tree_information_gain(
        tree, X[:200], y[:200], sample_weight=sample_weight[:200]
    )
    np.testing.assert_array_equal(held["weighted_n_samples"], held["n_samples"])
    assert not np.allclose(weighted["mutual_info"], held["mutual_info"])


def test_sample_weight_is_validated():
    X, y = load_iris(return_X_y=True)
    tree = DecisionTreeClassifier(max_depth=2).fit(X, y)
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(150,\)"):
        tree_information_gain(tree, X, y, sample_weight=np.ones(10))
    with pytest.raises(ValueError, match="non-negative"):
        tree_information_gain(tree, X, y, sample_weight=-np.ones(150))
    with pytest.raises(ValueError, match="sample_weight"):
        tree_information_gain(tree, X, y, sample_weight=np.full(150, np.nan))


def test_feature_names_come_from_the_tree():
    pd = pytest.importorskip("pandas")
    X, y = load_iris(return_X_y=True)
    names = ["sepal length", "sepal width", "petal length", "petal width"]
    frame = pd.DataFrame(X, columns=names)
    tree = DecisionTreeClassifier(criterion="entropy", max_depth=3, random_state=0)
    gain = tree_information_gain(tree.fit(frame, y), frame, y)
    assert gain["feature_name"].tolist() == [names[j] for j in gain["feature"]]
    assert {"petal length", "petal width"} & set(gain["feature_name"])
    # a tree fitted on an array names the columns x0, x1, ... even for a frame
    tree = DecisionTreeClassifier(criterion="entropy", max_depth=3, random_state=0)
    tree.fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # X has feature names
        gain = tree_information_gain(tree, frame, y)
    assert gain["feature_name"].tolist() == [f"x{j}" for j in gain["feature"]]


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


def test_integer_weights_are_repeated_samples():
    # ORACLES.md "Decision trees": x = 0..9, y = [0,0,0,1,0,1,1,1,2,2]; weights
    # 1..10 count each sample that many times.
    X = np.arange(10).reshape(-1, 1)
    y = np.array([0, 0, 0, 1, 0, 1, 1, 1, 2, 2])
    weights = np.arange(1, 11)
    tree = DecisionTreeClassifier(criterion="entropy", max_depth=2, random_state=0)
    tree.fit(X, y, sample_weight=weights)
    gain = tree_information_gain(tree, X, y, sample_weight=weights)
    repeated = tree_information_gain(
        tree, np.repeat(X, weights, axis=0), np.repeat(y, weights)
    )
    np.testing.assert_allclose(
        gain["mutual_info"], repeated["mutual_info"], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        gain["weighted_n_samples"], repeated["n_samples"].astype(float)
    )
    np.testing.assert_allclose(
        gain["mutual_info"], gain["impurity_decrease"], rtol=0, atol=1e-12
    )
    # uniform weights change nothing: the oracle's 0.7219280949 bits at x <= 7.5
    flat = DecisionTreeClassifier(criterion="entropy", max_depth=1).fit(
        X, y, sample_weight=np.full(10, 2.5)
    )
    one = tree_information_gain(flat, X, y, sample_weight=np.full(10, 2.5))
    assert one["threshold"][0] == 7.5
    assert one["mutual_info"][0] == pytest.approx(0.7219280949, abs=1e-10)
