"""The selectors and the drop-ins on a Dask cluster give the ``n_jobs=1`` results.

A two-worker ``distributed.LocalCluster`` on the loopback interface is
started once for the module; every run of ``test_determinism.RUNS`` (the
drop-ins, ``MutualInfoSelector`` with and without permutation p-values and
``ConditionalMutualInfoSelector`` with k-NN and plug-in terms, lazy CMIM and
the permutation stopping test) under ``joblib.parallel_backend("dask")`` must
equal the serial run bit for bit. Skipped only when the ``dask`` extra
(``dask[distributed]``) is not installed.
"""

import pytest
from joblib import parallel_backend
from numpy.testing import assert_array_equal
from test_determinism import RUNS

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


@pytest.mark.parametrize("n_jobs", [-1, 2])
@pytest.mark.parametrize("name", sorted(RUNS))
def test_dask_backend_equals_serial(client, name, n_jobs):
    reference = RUNS[name](1)
    with parallel_backend("dask", wait_for_workers_timeout=TIMEOUT):
        got = RUNS[name](n_jobs)
    assert_array_equal(got, reference)


def test_dask_backend_runs_on_the_workers(client):
    """The test above could not fail if the work stayed here: tasks reach the
    cluster's workers."""
    with distributed.get_task_stream(client) as stream:
        with parallel_backend("dask", wait_for_workers_timeout=TIMEOUT):
            RUNS["mutual_info_classif"](-1)
    assert len(stream.data) >= 2
    assert {task["worker"] for task in stream.data} <= set(
        client.scheduler_info()["workers"]
    )
