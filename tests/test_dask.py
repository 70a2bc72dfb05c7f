"""The selectors and the drop-ins on a Dask cluster give the ``n_jobs=1`` results.

A two-worker ``distributed.LocalCluster`` on the loopback interface is
started once for the module; every run under ``joblib.parallel_backend("dask")``
must equal the serial run bit for bit. Skipped only when the ``dask`` extra
(``dask[distributed]``) is not installed.
"""

import numpy as np
import pytest
from joblib import parallel_backend
from numpy.testing import assert_array_equal

from skmi import (
    ConditionalMutualInfoSelector,
    MutualInfoSelector,
    mutual_info_classif,
    mutual_info_regression,
)
from skmi.estimators import PlugIn

distributed = pytest.importorskip("distributed")

TIMEOUT = 60  # seconds, for the cluster to start and for every computation


@pytest.fixture(scope="module")
def client():
    # processes=False keeps the workers in this process (threads), which
    # starts in well under a second and needs no pickling of the test module;
    # with the tcp protocol (the in-process default does not take a host) the
    # scheduler and the workers still talk over the loopback interface.
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
    )
    client = distributed.Client(cluster, timeout=TIMEOUT)
    try:
        client.wait_for_workers(2, timeout=TIMEOUT)
        yield client
    finally:
        client.close(timeout=TIMEOUT)
        cluster.close(timeout=TIMEOUT)


def _data(n=150, seed=0):
    rng = np.random.default_rng(seed)
    cont = rng.standard_normal((n, 10))
    disc = rng.integers(0, 3, (n, 4)).astype(np.float64)
    X = np.column_stack([cont, disc])
    signal = cont[:, 0] + cont[:, 1] * cont[:, 2] + disc[:, 0]
    signal = signal + 0.3 * rng.standard_normal(n)
    discrete = np.arange(10, 14)
    return X, (signal > np.median(signal)).astype(int), signal, discrete


def _fitted_values(selector):
    values = [selector.get_support().astype(float)]
    for name in ("scores_", "pvalues_", "relevance_", "selection_order_",
                 "conditional_gains_"):
        value = getattr(selector, name, None)
        if value is not None:
            values.append(np.asarray(value, dtype=float))
    return np.concatenate(values)


def _mic(n_jobs):
    X, y, _, discrete = _data()
    return mutual_info_classif(
        X, y, discrete_features=discrete, random_state=0, n_jobs=n_jobs
    )


def _mir(n_jobs):
    X, _, signal, discrete = _data()
    return mutual_info_regression(
        X, signal, discrete_features=discrete, random_state=0, n_jobs=n_jobs
    )


def _selector(n_jobs):
    X, y, _, discrete = _data()
    selector = MutualInfoSelector(
        k=4, discrete_features=discrete, n_permutations=10, random_state=0,
        n_jobs=n_jobs,
    )
    return _fitted_values(selector.fit(X, y))


def _forward(n_jobs, **params):
    X, y, _, discrete = _data()
    selector = ConditionalMutualInfoSelector(
        discrete_features=discrete, random_state=0, n_jobs=n_jobs, **params
    )
    return _fitted_values(selector.fit(X, y))


def _forward_wide(n_jobs):
    rng = np.random.default_rng(3)
    X = rng.integers(0, 4, (200, 30))
    y = (X[:, 0] + X[:, 1] + (rng.random(200) < 0.2)) % 3
    selector = ConditionalMutualInfoSelector(
        5, criterion="cmim", estimator=PlugIn(), random_state=0, n_jobs=n_jobs
    )
    return _fitted_values(selector.fit(X, y))


RUNS = {
    "mutual_info_classif": _mic,
    "mutual_info_regression": _mir,
    "MutualInfoSelector": _selector,
    "ConditionalMutualInfoSelector[jmi]": lambda n_jobs: _forward(
        n_jobs, n_features_to_select=3
    ),
    "ConditionalMutualInfoSelector[auto]": lambda n_jobs: _forward(
        n_jobs, criterion="cmi", n_permutations=19
    ),
    "ConditionalMutualInfoSelector[cmim-plugin]": _forward_wide,
}


@pytest.mark.parametrize("n_jobs", [-1, 2])
@pytest.mark.parametrize("name", sorted(RUNS))
def test_dask_backend_equals_serial(client, name, n_jobs):
    reference = RUNS[name](1)
    with parallel_backend("dask", wait_for_workers_timeout=TIMEOUT):
        got = RUNS[name](n_jobs)
    assert_array_equal(got, reference)


def test_dask_backend_runs_on_the_workers(client):
    """The test above could not fail if the work stayed here: tasks reach the
    cluster."""
    with distributed.get_task_stream(client) as stream:
        with parallel_backend("dask", wait_for_workers_timeout=TIMEOUT):
            _mic(-1)
    assert len(stream.data) >= 2
    assert {task["worker"] for task in stream.data} <= set(
        client.scheduler_info()["workers"]
    )
