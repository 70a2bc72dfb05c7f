"""Identifier columns with the plug-in estimator: adjusted scores, raw G-tests.

A discrete column with (almost) one level per sample has a raw plug-in
information close to ``H(Y)`` whatever the target; ``PlugIn()`` adjusts for
chance by default, so such a column scores about zero and never ranks
first, in both selectors and in the command line. The G-test still reads
the raw counts (``G = 2 N I``), so its p-values are those of
``PlugIn(adjust=None)``.
"""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from skmi import ConditionalMutualInfoSelector, MutualInfoSelector
from skmi.__main__ import main
from skmi.estimators import PlugIn


def customers(seed, n=300):
    rng = np.random.default_rng(seed)
    signal = rng.integers(0, 3, n)
    frame = pd.DataFrame(
        {
            "customer_id": [f"C{i:05d}" for i in rng.permutation(n)],
            "plan": rng.choice(["basic", "pro"], n),
            "signal": signal,
            "noise": rng.integers(0, 4, n),
        }
    )
    flip = rng.random(n) < 0.3
    y = np.where(flip, rng.integers(0, 3, n), signal)
    return frame, y


def fit_quietly(selector, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the ID-like warning
        return selector.fit(X, y)


@pytest.mark.parametrize("seed", range(3))
def test_identifier_scores_zero_and_ranks_last_with_plugin(seed):
    X, y = customers(seed)
    selector = fit_quietly(
        MutualInfoSelector(k=1, estimator=PlugIn(), discrete_features=True), X, y
    )
    scores = dict(zip(X.columns, selector.scores_, strict=True))
    assert scores["customer_id"] == pytest.approx(0.0, abs=0.02)
    assert selector.get_feature_names_out().tolist() == ["signal"]
    # raw counts would put the identifier first (about H(Y) = ln 3)
    raw = fit_quietly(
        MutualInfoSelector(k=1, estimator=PlugIn(adjust=None), discrete_features=True),
        X,
        y,
    )
    assert raw.get_feature_names_out().tolist() == ["customer_id"]
    assert raw.scores_[0] > 0.9


@pytest.mark.parametrize("seed", range(3))
def test_g_test_pvalues_are_those_of_the_raw_counts(seed):
    X, y = customers(seed)
    X = X.drop(columns="customer_id")  # (its table is too sparse: permutations)
    adjusted = MutualInfoSelector(
        k="all", estimator=PlugIn(), discrete_features=True, random_state=0
    ).fit(X, y)
    raw = MutualInfoSelector(
        k="all", estimator=PlugIn(adjust=None), discrete_features=True, random_state=0
    ).fit(X, y)
    np.testing.assert_array_equal(adjusted.pvalues_, raw.pvalues_)
    assert np.all(adjusted.scores_ <= raw.scores_)
    assert adjusted.pvalues_[list(X.columns).index("signal")] < 1e-10


def test_identifier_is_never_selected_first_by_the_forward_search():
    X, y = customers(0)
    selector = fit_quietly(
        ConditionalMutualInfoSelector(
            2, estimator=PlugIn(), discrete_features=True, random_state=0
        ),
        X,
        y,
    )
    order = X.columns[selector.selection_order_].tolist()
    assert order[0] == "signal"
    assert "customer_id" not in order


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_plugin_in_the_command_line_ranks_the_identifier_last(tmp_path, capsys):
    X, y = customers(1)
    path = tmp_path / "customers.csv"
    X.assign(churn=y).to_csv(path, index=False)
    argv = ["rank", str(path), "--target", "churn", "--estimator", "plugin"]
    assert main([*argv, "--k", "all", "--json", "-"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = report["features"]
    assert rows[0]["feature"] == "signal"
    ids = next(r for r in rows if r["feature"] == "customer_id")
    assert ids["mi_nats"] == pytest.approx(0.0, abs=0.02)
