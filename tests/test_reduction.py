"""scikit-learn compatibility of InformationBottleneck and its use in pipelines."""

import itertools
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmi import InformationBottleneck, information_curve
from skmi.estimators._plugin import mutual_info_joint_probabilities


def test_pipeline_grid_search_over_beta():
    X, y = load_wine(return_X_y=True)
    pipe = make_pipeline(
        StandardScaler(),
        InformationBottleneck(n_components=2),
        LogisticRegression(),
    )
    # beta = 1.05 lies below both critical betas (about 1.11 and 1.24): no
    # component is active, the output is zero and the classifier guesses
    search = GridSearchCV(
        pipe, {"informationbottleneck__beta": [1.05, 1.2, 5.0]}, cv=3
    ).fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert scores[0] < 0.45 and scores[2] > 0.95
    assert search.best_params_["informationbottleneck__beta"] == 5.0
    assert search.best_estimator_[:-1].transform(X).shape == (178, 2)


def test_pipeline_discrete_method_with_classifier():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 6, size=(600, 2))
    y = (X[:, 0] + X[:, 1]) % 3
    pipe = make_pipeline(
        InformationBottleneck(method="deterministic", n_components=3, random_state=0),
        LogisticRegression(),
    )
    search = GridSearchCV(pipe, {"informationbottleneck__beta": [0.5, 20.0]}, cv=3).fit(
        X, y
    )
    scores = search.cv_results_["mean_test_score"]
    # at beta = 0.5 everything merges into one cluster; at 20 the clusters are
    # the classes
    assert scores[0] < 0.45 and scores[1] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"beta": -1.0}, "beta"),
        ({"method": "kmeans"}, "method"),
        ({"shrinkage": 2.0}, "shrinkage"),
        ({"n_components": 0}, "n_components"),
    ],
)
def test_invalid_parameters(params, match):
    X, y = load_wine(return_X_y=True)
    with pytest.raises(ValueError, match=match):
        InformationBottleneck(**params).fit(X, y)


def test_pandas_output_names():
    pd = pytest.importorskip("pandas")
    X, y = load_wine(return_X_y=True, as_frame=True)
    ib = InformationBottleneck(n_components=2, beta=5.0).set_output(transform="pandas")
    out = ib.fit(X, y).transform(X)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["informationbottleneck0", "informationbottleneck1"]
    assert ib.feature_names_in_.tolist() == list(X.columns)


def test_non_finite_input_names_the_column():
    X, y = load_wine(return_X_y=True)
    X = X.copy()
    X[4, 2] = np.nan
    for method in ("gaussian", "deterministic"):
        with pytest.raises(ValueError, match=r"NaN or infinity in column\(s\) 2\."):
            InformationBottleneck(method=method).fit(X, y)


def test_gaussian_needs_shrinkage_when_features_outnumber_samples():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((5, 5)), np.array([0, 1, 0, 1, 1])
    with pytest.raises(ValueError, match="shrinkage > 0"):
        InformationBottleneck().fit(X, y)
    assert InformationBottleneck(shrinkage=0.1).fit(X, y).n_components_ == 1


@pytest.mark.parametrize("scale", [1e300, 1e-300])
def test_gaussian_invariant_to_a_common_scale(scale):
    X, y = load_wine(return_X_y=True)
    ref = InformationBottleneck(beta=5.0).fit(X, y)
    got = InformationBottleneck(beta=5.0).fit(X * scale, y)
    np.testing.assert_allclose(got.eigenvalues_, ref.eigenvalues_, rtol=1e-9)
    np.testing.assert_allclose(got.transform(X * scale), ref.transform(X), rtol=1e-7)
    # a continuous target at an extreme scale too
    ib = InformationBottleneck(beta=5.0, discrete_target=False)
    ref = ib.fit(X, y).eigenvalues_
    np.testing.assert_allclose(ib.fit(X, y * scale).eigenvalues_, ref, rtol=1e-9)


def _income_and_rate(seed=0, n=2000):
    """Income in dollars (spread ~1e5) next to a rate in [0, 1]."""
    rng = np.random.default_rng(seed)
    income = rng.lognormal(12.0, 1.0, n)
    rate = rng.uniform(0.0, 1.0, n)
    signal = rate + 2e-6 * income + 0.3 * rng.standard_normal(n)
    return np.column_stack([income, rate]), (signal > np.median(signal)).astype(int)


def test_gaussian_income_next_to_rate_equals_standardised():
    # a ridge relative to the largest variance used to swamp the rate column
    X, y = _income_and_rate()
    ref = InformationBottleneck().fit(StandardScaler().fit_transform(X), y)
    got = InformationBottleneck().fit(X, y)
    assert got.information_ty_ == pytest.approx(ref.information_ty_, abs=1e-10)
    assert got.information_xt_ == pytest.approx(ref.information_xt_, abs=1e-10)
    np.testing.assert_allclose(got.eigenvalues_, ref.eigenvalues_, atol=1e-12)


@pytest.mark.parametrize("shrinkage", [0.0, 0.2])
@pytest.mark.parametrize("target", ["classes", "continuous", "two columns"])
def test_gaussian_invariant_to_per_column_units(shrinkage, target):
    X, y = load_wine(return_X_y=True)
    rng = np.random.default_rng(0)
    if target == "continuous":
        y = X[:, 0] + rng.standard_normal(X.shape[0])
    elif target == "two columns":
        noisy = X[:, [0, 5]] + rng.standard_normal((178, 2))
        y = noisy * [1.0, 1e6]  # target columns in different units too
    units = np.geomspace(1e-3, 1e4, X.shape[1])[rng.permutation(X.shape[1])]
    ib = InformationBottleneck(n_components=2, beta=8.0, shrinkage=shrinkage)
    ref = clone(ib).fit(X, y)
    got = clone(ib).fit(X * units, y)
    assert got.information_xt_ == pytest.approx(ref.information_xt_, abs=1e-10)
    assert got.information_ty_ == pytest.approx(ref.information_ty_, abs=1e-10)
    np.testing.assert_allclose(got.eigenvalues_, ref.eigenvalues_, atol=1e-10)
    # components_ follow the units inversely; the outputs do not change
    np.testing.assert_allclose(got.components_ * units, ref.components_, rtol=1e-8)
    np.testing.assert_allclose(
        got.transform(X * units), ref.transform(X), rtol=1e-8, atol=1e-10
    )


def test_discrete_methods_encode_categorical_frame_columns():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(1)
    colour = rng.choice(["red", "green", "blue"], size=300)
    size = rng.integers(0, 3, size=300)
    y = (colour == "red").astype(int) + size
    df = pd.DataFrame({"colour": pd.Categorical(colour), "size": size})
    codes = np.column_stack([np.unique(colour, return_inverse=True)[1], size])
    ib = InformationBottleneck(method="deterministic", beta=20.0, random_state=0)
    got = ib.fit(df, y).transform(df)
    ref = InformationBottleneck(method="deterministic", beta=20.0, random_state=0)
    np.testing.assert_array_equal(got, ref.fit(codes, y).transform(codes))
    # a subset with fewer categories keeps the codes of fit; an unseen
    # category gets the rule for unseen values: the largest cluster among the
    # nearest seen values, here those of the same size (every colour)
    subset = df[df["colour"] != "blue"].reset_index(drop=True)
    np.testing.assert_array_equal(ib.transform(subset), got[colour != "blue"])
    unseen = pd.DataFrame({"colour": ["purple"], "size": [0]})
    largest = np.argmax(got[size == 0].sum(axis=0))
    expected = np.eye(got.shape[1])[largest]
    np.testing.assert_array_equal(ib.transform(unseen)[0], expected)
    # the Gaussian method needs numbers: one error names the column
    with pytest.raises(ValueError, match="Column 'colour' holds categories"):
        InformationBottleneck().fit(df, y)


def test_refit_with_another_method_leaves_no_stale_attributes():
    rng = np.random.RandomState(0)
    X = rng.randint(0, 4, size=(200, 2)).astype(float)
    y = (X[:, 0] > 1).astype(int)
    ib = InformationBottleneck(method="deterministic").fit(X, y)
    assert hasattr(ib, "cluster_probabilities_")
    ib.set_params(method="gaussian").fit(X, y)
    assert not hasattr(ib, "cluster_probabilities_")
    assert not hasattr(ib, "encoder_")
    ib.set_params(method="iterative").fit(X, y)
    assert not hasattr(ib, "components_")
    assert not hasattr(ib, "eigenvalues_")


# --------------------------------------------------------------------------
# n_components beyond the data, float32, beta near the float limit


def test_gaussian_n_components_above_n_features_raises():
    X, y = load_wine(return_X_y=True)
    match = "n_components=14 must be at most n_features=13"
    with pytest.raises(ValueError, match=match):
        InformationBottleneck(n_components=14).fit(X, y)
    with pytest.raises(ValueError, match="n_features=13"):
        information_curve(InformationBottleneck(n_components=20), X, y)
    assert InformationBottleneck(n_components=13).fit(X, y).n_components_ == 13


@pytest.mark.parametrize("method", ["iterative", "deterministic"])
def test_discrete_n_components_above_n_values_warns(method):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 3, size=(200, 1))
    y = (X[:, 0] + rng.integers(0, 2, 200)) % 3
    ib = InformationBottleneck(n_components=5, method=method, random_state=0)
    with pytest.warns(UserWarning, match="n_components=5 is more than the 3"):
        ib.fit(X, y)
    assert ib.n_components_ == 3 and ib.transform(X).shape == (200, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ib.set_params(n_components=3).fit(X, y)


@pytest.mark.parametrize("method", ["gaussian", "iterative", "deterministic"])
def test_float32_in_float32_out(method):
    X, y = load_wine(return_X_y=True)
    X = X[:, :3] if method != "gaussian" else X
    ib = InformationBottleneck(n_components=2, method=method, random_state=0)
    ref = ib.fit(X, y).transform(X)
    assert ref.dtype == np.float64
    X32 = X.astype(np.float32)
    got = ib.transform(X32)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, ib.transform(X32.astype(np.float64)), rtol=1e-6)
    fitted32 = clone(ib).fit(X32, y)
    assert fitted32.transform(X32).dtype == np.float32
    assert fitted32.fit_transform(X32, y).dtype == np.float32


def test_gaussian_beta_at_the_float_limit():
    X, y = load_wine(return_X_y=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        ib = InformationBottleneck(beta=1e308).fit(X, y)
        out = ib.transform(X)
        ixt, ity, _ = information_curve(ib, X, y, betas=[10.0, 1e6, 1e308])
    assert np.isfinite(ib.components_).all() and np.isfinite(out).all()
    assert np.isfinite(ib.information_xt_) and ib.information_xt_ > 300
    # as beta -> inf, I(T;Y) -> I(X;Y) = -1/2 sum ln(lambda_i) of the kept ones
    information_xy = -0.5 * np.sum(np.log(ib.eigenvalues_))
    assert ib.information_ty_ == pytest.approx(information_xy, rel=1e-12)
    assert ity[-1] == pytest.approx(information_xy, rel=1e-12)
    assert np.all(np.isfinite(ixt)) and np.all(np.diff(ixt) > 0)
    assert np.all(np.diff(ity) > 0)


@pytest.mark.parametrize("method", ["iterative", "deterministic"])
def test_discrete_beta_at_the_float_limit(method):
    rng = np.random.default_rng(3)
    x = rng.integers(0, 6, size=2000)
    y = (x + rng.integers(0, 3, size=2000)) % 4
    X = x.reshape(-1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        full = InformationBottleneck(
            n_components=6, beta=1e308, method=method, random_state=0
        ).fit(X, y)
        two = InformationBottleneck(
            n_components=2, beta=1e308, method=method, random_state=0
        ).fit(X, y)
        ixt, ity, _ = information_curve(two, X, y, betas=[2.0, 50.0, 1e308])
    assert np.isfinite(full.encoder_).all() and np.isfinite(two.encoder_).all()
    # enough clusters: T keeps all of I(X;Y)
    assert full.information_ty_ == pytest.approx(full.information_xy_, abs=1e-12)
    # two clusters: the limit is the largest I(T;Y) of a two-way partition
    counts = np.zeros((6, 4))
    np.add.at(counts, (x, y), 1.0)
    pxy = counts / counts.sum()
    best = max(
        mutual_info_joint_probabilities(np.eye(2)[list(labels)].T @ pxy)
        for labels in itertools.product(range(2), repeat=6)
    )
    assert two.information_ty_ == pytest.approx(best, abs=1e-12)
    assert ity[-1] == pytest.approx(best, abs=1e-12)
    assert np.all(np.isfinite(ixt)) and np.all(np.isfinite(ity))
