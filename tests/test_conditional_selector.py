"""ConditionalMutualInfoSelector as a scikit-learn estimator."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skmi import ConditionalMutualInfoSelector
from skmi.estimators import KSG


def data(seed=0, n=300):
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((n, 6))
    y = (X[:, 0] + X[:, 1] * X[:, 2] > 0).astype(int)
    return X, y


def test_attributes():
    X, y = data()
    s = ConditionalMutualInfoSelector(3, random_state=0).fit(X, y)
    assert s.n_features_to_select_ == 3
    assert s.support_.sum() == 3 and s.support_.dtype == bool
    assert set(np.flatnonzero(s.support_)) == set(s.selection_order_.tolist())
    assert s.conditional_gains_.shape == (3,)
    assert s.relevance_.shape == (6,)
    assert s.conditional_gains_[0] == pytest.approx(s.relevance_.max())
    assert s.pvalues_ is None
    assert isinstance(s.estimator_, KSG)
    assert s.transform(X).shape == (300, 3)


def test_fraction_of_features():
    X, y = data()
    s = ConditionalMutualInfoSelector(0.5, random_state=0).fit(X, y)
    assert s.n_features_to_select_ == 3
    tiny = ConditionalMutualInfoSelector(0.01, random_state=0).fit(X, y)
    assert tiny.n_features_to_select_ == 1


def test_too_many_features_error():
    X, y = data()
    with pytest.raises(ValueError, match="at most n_features=6"):
        ConditionalMutualInfoSelector(7).fit(X, y)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"criterion": "nope"}, "criterion"),
        ({"alpha": 1.5}, "alpha"),
        ({"n_permutations": 0}, "n_permutations"),
        ({"beta": -1.0}, "beta"),
    ],
)
def test_invalid_parameters(params, match):
    X, y = data()
    with pytest.raises(ValueError, match=match):
        ConditionalMutualInfoSelector(**params).fit(X, y)


def test_pandas_output_and_feature_names():
    pd = pytest.importorskip("pandas")
    X, y = data()
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(6)])
    s = ConditionalMutualInfoSelector(3, random_state=0).set_output(transform="pandas")
    out = s.fit(df, y).transform(df)
    assert isinstance(out, pd.DataFrame)
    expected = [f"f{i}" for i in sorted(s.selection_order_)]
    assert list(out.columns) == expected
    assert list(s.get_feature_names_out()) == expected


def test_pandas_categorical_columns_are_discrete(capsys):
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    n = 500
    a = rng.choice(["u", "v", "w"], n)
    b = rng.choice(["p", "q"], n)
    y = ((a == "u") ^ (b == "p")).astype(int)
    df = pd.DataFrame({"a": pd.Categorical(a), "b": b, "noise": rng.standard_normal(n)})
    s = ConditionalMutualInfoSelector(
        2, criterion="jmi", random_state=0, verbose=1
    ).fit(df, y)
    assert sorted(s.get_feature_names_out()) == ["a", "b"]
    assert "step 1: " in capsys.readouterr().out


def test_pipeline_and_grid_search():
    rng = np.random.RandomState(0)
    X = rng.standard_normal((240, 6))
    y = (X[:, 0] + 0.8 * X[:, 1] + 0.6 * X[:, 2] > 0).astype(int)
    pipe = make_pipeline(
        ConditionalMutualInfoSelector(random_state=0), LogisticRegression()
    )
    grid = GridSearchCV(
        pipe,
        {
            "conditionalmutualinfoselector__criterion": ["mim", "jmi", "mrmr"],
            "conditionalmutualinfoselector__n_features_to_select": [1, 3],
        },
        cv=3,
    )
    grid.fit(X, y)
    assert grid.best_params_["conditionalmutualinfoselector__n_features_to_select"] == 3
    best = grid.best_estimator_[0]
    assert {0, 1} <= set(best.selection_order_.tolist())


def test_sparse_discrete_input_equals_dense():
    from scipy import sparse

    rng = np.random.RandomState(0)
    X = rng.randint(0, 3, size=(300, 6)) * (rng.rand(300, 6) < 0.5)
    y = (X[:, 0] + X[:, 1]) % 2
    dense = ConditionalMutualInfoSelector(
        3, criterion="cmim", discrete_features=True
    ).fit(X, y)
    csr = ConditionalMutualInfoSelector(3, criterion="cmim").fit(
        sparse.csr_matrix(X), y
    )
    np.testing.assert_array_equal(dense.selection_order_, csr.selection_order_)
    np.testing.assert_allclose(dense.conditional_gains_, csr.conditional_gains_)
    assert csr.transform(sparse.csr_matrix(X)).shape == (300, 3)


def test_fitted_kinds_of_features_and_target():
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        {
            "x": rng.standard_normal(120),
            "c": pd.Categorical(rng.choice(["a", "b"], 120)),
        }
    )
    y = (X["x"] > 0).astype(int)
    sel = ConditionalMutualInfoSelector(1, random_state=0).fit(X, y)
    assert sel.discrete_features_.tolist() == [False, True]
    assert sel.discrete_target_ is True
