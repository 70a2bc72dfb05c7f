"""scikit-learn compatibility of InformationBottleneck and its use in pipelines."""

import numpy as np
import pytest
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skmi import InformationBottleneck


@parametrize_with_checks(
    [
        InformationBottleneck(),
        InformationBottleneck(n_components=2, beta=3.0, shrinkage=0.1),
        InformationBottleneck(method="iterative"),
        InformationBottleneck(method="deterministic"),
    ]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


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
