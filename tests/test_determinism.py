"""Results never depend on ``n_jobs``, the joblib backend or the run.

Every public estimator and function is run with ``n_jobs=1`` as the
reference and then with ``n_jobs`` 2 and -1, with 8 threads (more workers
than cores, which changes the chunking and the batch size of the lazy CMIM
update), and with 2 loky processes; every fitted number must be identical,
bit for bit. Repeated fits with the same integer ``random_state`` must be
identical too.
"""

import numpy as np
import pytest
from joblib import parallel_backend
from numpy.testing import assert_array_equal
from sklearn.tree import DecisionTreeClassifier

from skmi import (
    ConditionalMutualInfoSelector,
    InformationBottleneck,
    MutualInfoSelector,
    mutual_info_classif,
    mutual_info_regression,
    tree_information_gain,
)
from skmi.estimators import PlugIn


def _mixed(n=150, n_continuous=8, n_discrete=4, seed=0):
    """Continuous and integer columns; a binary and a continuous target."""
    rng = np.random.default_rng(seed)
    cont = rng.standard_normal((n, n_continuous))
    disc = rng.integers(0, 3, (n, n_discrete)).astype(np.float64)
    X = np.column_stack([cont, disc])
    noise = 0.3 * rng.standard_normal(n)
    signal = cont[:, 0] + cont[:, 1] * cont[:, 2] + disc[:, 0] + noise
    discrete = np.arange(n_continuous, n_continuous + n_discrete)
    return X, (signal > np.median(signal)).astype(int), signal, discrete


def _wide_discrete(n=200, p=40, seed=1):
    """Many discrete columns, so that the candidates are split across workers."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 4, (n, p))
    X[:, 5] = X[:, 0]  # an exact copy
    y = (X[:, 0] + X[:, 1] + (rng.random(n) < 0.2)) % 3
    return X, y


def _selector_values(fitted):
    values = [fitted.get_support().astype(float)]
    for name in (
        "scores_",
        "pvalues_",
        "relevance_",
        "selection_order_",
        "conditional_gains_",
    ):
        value = getattr(fitted, name, None)
        if value is not None:
            values.append(np.asarray(value, dtype=float))
    return np.concatenate(values)


def _run_mic(n_jobs):
    X, y, _, discrete = _mixed()
    return mutual_info_classif(
        X, y, discrete_features=discrete, random_state=0, n_jobs=n_jobs
    )


def _run_mir(n_jobs):
    X, _, signal, discrete = _mixed()
    return mutual_info_regression(
        X, signal, discrete_features=discrete, random_state=0, n_jobs=n_jobs
    )


def _run_selector(n_jobs, **params):
    X, y, _, discrete = _mixed()
    selector = MutualInfoSelector(
        k=4, discrete_features=discrete, random_state=0, n_jobs=n_jobs, **params
    )
    return _selector_values(selector.fit(X, y))


def _run_forward(n_jobs, wide=False, **params):
    if wide:
        X, y = _wide_discrete()
        params.setdefault("estimator", PlugIn())
    else:
        X, y, _, discrete = _mixed()
        params.setdefault("discrete_features", discrete)
    selector = ConditionalMutualInfoSelector(random_state=0, n_jobs=n_jobs, **params)
    return _selector_values(selector.fit(X, y))


RUNS = {
    "mutual_info_classif": _run_mic,
    "mutual_info_regression": _run_mir,
    "MutualInfoSelector": _run_selector,
    "MutualInfoSelector[permutation]": lambda n_jobs: _run_selector(
        n_jobs, n_permutations=20
    ),
    "MutualInfoSelector[plugin-g-test]": lambda n_jobs: _run_selector(
        n_jobs, estimator=PlugIn(n_bins=4)
    ),
    "ConditionalMutualInfoSelector[jmi]": lambda n_jobs: _run_forward(
        n_jobs, n_features_to_select=4
    ),
    "ConditionalMutualInfoSelector[cmi-auto]": lambda n_jobs: _run_forward(
        n_jobs, criterion="cmi", n_permutations=19
    ),
    "ConditionalMutualInfoSelector[cmim-wide]": lambda n_jobs: _run_forward(
        n_jobs, wide=True, n_features_to_select=6, criterion="cmim"
    ),
    "ConditionalMutualInfoSelector[mrmr-wide]": lambda n_jobs: _run_forward(
        n_jobs, wide=True, n_features_to_select=6, criterion="mrmr"
    ),
}

PARALLEL = [
    pytest.param(None, 2, id="n_jobs=2"),
    pytest.param(None, -1, id="n_jobs=-1"),
    pytest.param("threading", 8, id="threading-8"),
    pytest.param("threading", None, id="threading-context"),
    pytest.param("loky", 2, id="loky-2"),
]


@pytest.fixture(scope="module")
def references():
    """The ``n_jobs=1`` result of every run, computed once."""
    return {name: run(1) for name, run in RUNS.items()}


@pytest.mark.parametrize("name", sorted(RUNS))
@pytest.mark.parametrize(("backend", "n_jobs"), PARALLEL)
def test_results_do_not_depend_on_parallelism(references, name, backend, n_jobs):
    if backend is None:
        got = RUNS[name](n_jobs)
    else:
        # n_jobs=None inherits the context's number of workers
        with parallel_backend(backend, n_jobs=2):
            got = RUNS[name](n_jobs)
    assert_array_equal(got, references[name])


@pytest.mark.parametrize("name", sorted(RUNS))
def test_repeated_runs_are_identical(references, name):
    assert_array_equal(RUNS[name](1), references[name])
    assert_array_equal(RUNS[name](None), references[name])


def test_seed_matters():
    """The test above could not fail if the seed were ignored: it is not."""
    X, y, _, _ = _mixed()
    a = MutualInfoSelector(random_state=0, n_permutations=20).fit(X, y).pvalues_
    b = MutualInfoSelector(random_state=1, n_permutations=20).fit(X, y).pvalues_
    assert not np.array_equal(a, b)


def _bottleneck_values(method):
    X, y, _, _ = _mixed()
    if method != "gaussian":
        X = np.round(X[:, [0, 8, 9]])
    ib = InformationBottleneck(
        n_components=2, method=method, n_init=2, random_state=0
    ).fit(X, y)
    return np.r_[
        ib.transform(X).ravel(), ib.information_xt_, ib.information_ty_, ib.n_iter_
    ]


@pytest.mark.parametrize("method", ["gaussian", "iterative", "deterministic"])
def test_bottleneck_is_reproducible(method):
    reference = _bottleneck_values(method)
    assert_array_equal(_bottleneck_values(method), reference)
    with parallel_backend("threading", n_jobs=2):
        assert_array_equal(_bottleneck_values(method), reference)


def test_tree_information_gain_is_reproducible():
    X, y, _, _ = _mixed()
    tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    first = tree_information_gain(tree, X, y)
    with parallel_backend("threading", n_jobs=2):
        again = tree_information_gain(tree, X, y)
    assert first.keys() == again.keys()
    for key in first:
        assert_array_equal(np.asarray(first[key]), np.asarray(again[key]))
