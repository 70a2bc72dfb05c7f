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


# --------------------------------------------------------------------------
# Dask arrays and data frames as input: counted block by block
# --------------------------------------------------------------------------
import subprocess  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
from numpy.testing import assert_allclose  # noqa: E402

from skmi import (  # noqa: E402
    ConditionalMutualInfoSelector,
    MutualInfoSelector,
    from_memmap,
    mutual_info_classif,
    sample_rows,
)
from skmi.estimators import KSG, PlugIn  # noqa: E402
from skmi.selection import _dask_table  # noqa: E402

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")

#: row and column chunks: one block, regular blocks, uneven blocks of both
CHUNKINGS = [(-1, -1), (100, 8), (250, 3)]
DISCRETE = np.arange(5)


def _data(n=600, seed=0):
    """Five discrete columns (one constant) and three continuous ones."""
    rng = np.random.default_rng(seed)
    disc = rng.integers(0, 4, (n, 5))
    disc[:, 4] = 2
    cont = rng.standard_normal((n, 3)).round(2)
    cont[:, 1] += disc[:, 2]
    y = (disc[:, 0] + disc[:, 1] + (cont[:, 0] > 0) + rng.integers(0, 2, n)) % 3
    return np.column_stack([disc, cont]), y


@pytest.fixture(autouse=True)
def threads():
    """The threaded scheduler, unless a test asks for the distributed client
    (created once for the module, which makes it the default)."""
    with dask.config.set(scheduler="threads"):
        yield


#: every chunking on threads; the uneven one on the distributed client
SCHEDULED = [("threads", c) for c in CHUNKINGS] + [("distributed", CHUNKINGS[2])]


@pytest.fixture
def on(request):
    """Run on the scheduler named by the test's ``on`` parameter."""
    if request.param == "threads":
        yield None
        return
    cluster_client = request.getfixturevalue("client")
    with dask.config.set(scheduler=cluster_client):
        yield cluster_client


def _dask(X, y, chunks):
    return da.from_array(X, chunks=chunks), da.from_array(y, chunks=chunks[0])


MARGINAL = {
    "g-test": dict(estimator=PlugIn()),
    "chance": dict(estimator=PlugIn(adjust="chance")),
    "miller-madow": dict(estimator=PlugIn(correction="miller-madow")),
    "uniform-permutation": dict(
        estimator=PlugIn(strategy="uniform"), n_permutations=20, random_state=0
    ),
}


@pytest.mark.parametrize(
    ("on", "chunks", "name"),
    [("threads", c, name) for c in CHUNKINGS for name in sorted(MARGINAL)]
    + [("distributed", CHUNKINGS[2], name) for name in ("chance", "g-test")],
    indirect=["on"],
)
def test_marginal_selector_equals_numpy(on, chunks, name):
    X, y = _data()
    params = dict(k=3, discrete_features=DISCRETE, **MARGINAL[name])
    reference = MutualInfoSelector(**params).fit(X, y)
    got = MutualInfoSelector(**params).fit(*_dask(X, y, chunks))
    assert_array_equal(got.scores_, reference.scores_)
    if reference.pvalues_ is None:
        assert got.pvalues_ is None
    else:
        assert_array_equal(got.pvalues_, reference.pvalues_)
    assert_array_equal(got.get_support(), reference.get_support())
    assert_array_equal(got.discrete_features_, reference.discrete_features_)


@pytest.mark.parametrize(("on", "chunks"), SCHEDULED, indirect=["on"])
@pytest.mark.parametrize("criterion", ["mrmr", "jmi", "cmim", "cmi"])
def test_forward_selection_equals_numpy(on, chunks, criterion):
    X, y = _data()
    params = dict(
        n_features_to_select=6,
        criterion=criterion,
        estimator=PlugIn(adjust="chance" if criterion == "jmi" else None),
        discrete_features=DISCRETE,
        interactions=1,
    )
    reference = ConditionalMutualInfoSelector(**params).fit(X, y)
    got = ConditionalMutualInfoSelector(**params).fit(*_dask(X, y, chunks))
    assert_array_equal(got.selection_order_, reference.selection_order_)
    assert_array_equal(got.conditional_gains_, reference.conditional_gains_)
    assert_array_equal(got.relevance_, reference.relevance_)
    assert got.pvalues_ is None and reference.pvalues_ is None


def test_distributed_counts_on_the_workers(client):
    """The test above could not fail if the counting stayed in the client."""
    X, y = _data()
    with dask.config.set(scheduler=client):
        with distributed.get_task_stream(client) as stream:
            MutualInfoSelector(estimator=PlugIn(), discrete_features=DISCRETE).fit(
                *_dask(X, y, (100, 8))
            )
    names = {
        task["key"][0] if isinstance(task["key"], tuple) else task["key"]
        for task in stream.data
    }
    assert any("_step_tables" in str(name) for name in names)
    assert {task["worker"] for task in stream.data} <= set(
        client.scheduler_info()["workers"]
    )


def _frame(n=500, seed=3):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
            "city": rng.choice(["Oslo", "Lima", "Pune", "Kobe"], n),
            "flag": rng.integers(0, 2, n).astype(bool),
            "count": rng.integers(0, 5, n),
            "price": rng.standard_normal(n).round(2),
            "weight": rng.gamma(2.0, size=n).round(1),
        }
    )
    signal = (frame["colour"] == "red").to_numpy() + (frame["price"] > 0.3).to_numpy()
    y = pd.Series((signal + rng.integers(0, 2, n)) % 3, name="y")
    return frame, y


@pytest.mark.parametrize(
    ("on", "criterion"),
    [("threads", c) for c in ("mrmr", "jmi", "cmim", "cmi")] + [("distributed", "cmi")],
    indirect=["on"],
)
def test_data_frame_equals_pandas(on, criterion):
    frame, y = _frame()
    ddf = dd.from_pandas(frame.assign(y=y), npartitions=3)
    X_dask, y_dask = ddf.drop(columns="y"), ddf["y"]
    params = dict(
        n_features_to_select=5, criterion=criterion, estimator=PlugIn(), interactions=1
    )
    reference = ConditionalMutualInfoSelector(**params).fit(frame, y)
    got = ConditionalMutualInfoSelector(**params).fit(X_dask, y_dask)
    assert_array_equal(got.discrete_features_, [True, True, True, True, False, False])
    assert_array_equal(got.discrete_features_, reference.discrete_features_)
    assert_array_equal(got.feature_names_in_, frame.columns)
    assert_array_equal(got.selection_order_, reference.selection_order_)
    assert_array_equal(got.conditional_gains_, reference.conditional_gains_)
    marginal = MutualInfoSelector(k=2, estimator=PlugIn())
    assert_array_equal(
        marginal.fit(X_dask, y_dask).scores_, marginal.fit(frame, y).scores_
    )
    assert_array_equal(
        marginal.fit(X_dask, y_dask).pvalues_, marginal.fit(frame, y).pvalues_
    )


def test_grid_bins_equal_numpy_on_the_same_cells(monkeypatch):
    """Columns with many values are binned on a grid: the codes of in-memory
    quantile bins of the values' cells (computed here independently)."""
    monkeypatch.setattr("skmi.estimators._blocks.MAX_DISTINCT", 30)
    calls = []
    original = _dask_table.grid_counts
    monkeypatch.setattr(
        _dask_table, "grid_counts", lambda *a: calls.append(1) or original(*a)
    )
    rng = np.random.default_rng(5)
    n = 800
    X = rng.standard_normal((n, 3)) * [1.0, 1e-3, 1e6]
    y = (X[:, 0] + X[:, 1] * 1e3 + rng.standard_normal(n) > 0).astype(int)
    lo, hi = X.min(axis=0), X.max(axis=0)
    cells = np.floor((X / 2 - lo / 2) / (hi / 2 - lo / 2) * 4096)
    cells = np.clip(cells, 0, 4095)
    params = dict(
        n_features_to_select=3,
        criterion="jmi",
        estimator=PlugIn(n_bins=5),
        interactions=1,
        discrete_features=False,
    )
    got = ConditionalMutualInfoSelector(**params).fit(*_dask(X, y, (300, 3)))
    assert calls, "the grid pass did not run"
    reference = ConditionalMutualInfoSelector(**params).fit(cells, y)
    assert_array_equal(got.selection_order_, reference.selection_order_)
    assert_array_equal(got.conditional_gains_, reference.conditional_gains_)
    # the grid is fine enough for these columns to leave the selection as is
    exact = ConditionalMutualInfoSelector(**params).fit(X, y)
    assert_allclose(got.relevance_, exact.relevance_, atol=2e-3)


def test_memmap_is_read_a_block_at_a_time(tmp_path, monkeypatch):
    X, y = _data(n=900)
    path = tmp_path / "X.uint8"
    mm = np.memmap(path, dtype=np.uint8, mode="w+", shape=X[:, :5].shape)
    mm[:] = X[:, :5]
    mm.flush()
    seen = []
    original = _dask_table.encode_columns
    monkeypatch.setattr(
        _dask_table,
        "encode_columns",
        lambda columns, codings: (
            seen.append(len(columns[0])) or original(columns, codings)
        ),
    )
    mm = np.memmap(path, dtype=np.uint8, mode="r", shape=mm.shape)
    params = dict(n_features_to_select=3, estimator=PlugIn(), interactions=1)
    X_disk = from_memmap(mm, rows=200)
    got = ConditionalMutualInfoSelector(**params).fit(X_disk, y)
    reference = ConditionalMutualInfoSelector(**params).fit(np.asarray(mm), y)
    assert_array_equal(got.selection_order_, reference.selection_order_)
    assert_array_equal(got.conditional_gains_, reference.conditional_gains_)
    assert seen and max(seen) <= 200


def test_one_pass_per_forward_step(monkeypatch):
    """Summaries, relevance, then one pass a step; never X.compute()."""
    X, y = _data()
    passes = []
    original = _dask_table.BlockTable._sum
    monkeypatch.setattr(
        _dask_table.BlockTable,
        "_sum",
        lambda self, *a, **k: passes.append(a[0].__name__) or original(self, *a, **k),
    )

    def refuse(*args, **kwargs):
        raise AssertionError("the whole array was computed")

    monkeypatch.setattr(da.Array, "compute", refuse)
    params = dict(
        n_features_to_select=5,
        criterion="cmi",
        estimator=PlugIn(),
        discrete_features=DISCRETE,
        interactions=1,
    )
    ConditionalMutualInfoSelector(**params).fit(*_dask(X, y, (100, 8)))
    # the relevance pass, then steps 2 to 5 (the first step needs none)
    assert passes == ["_step_tables"] * 5


def test_duplicates_and_constants_are_deferred_as_in_memory():
    X, y = _data()
    X = np.column_stack([X, X[:, 0], X[:, 6]])
    params = dict(
        n_features_to_select=X.shape[1],
        criterion="mrmr",
        estimator=PlugIn(),
        discrete_features=[0, 1, 2, 3, 4, 8],
        interactions=1,
    )
    reference = ConditionalMutualInfoSelector(**params).fit(X, y)
    got = ConditionalMutualInfoSelector(**params).fit(*_dask(X, y, (150, 4)))
    assert_array_equal(got.selection_order_, reference.selection_order_)
    assert_array_equal(got.conditional_gains_, reference.conditional_gains_)
    # the duplicate of column 0 and the constant column come last
    assert set(got.selection_order_[-3:]) >= {4, 8}


def test_tol_stops_as_in_memory():
    X, y = _data()
    params = dict(
        tol=0.01,
        criterion="jmi",
        estimator=PlugIn(),
        discrete_features=DISCRETE,
        interactions=1,
    )
    reference = ConditionalMutualInfoSelector(**params).fit(X, y)
    got = ConditionalMutualInfoSelector(**params).fit(*_dask(X, y, (100, 8)))
    assert_array_equal(got.selection_order_, reference.selection_order_)
    assert got.stop_reason_ == reference.stop_reason_


def test_g_test_fallback_permutations_equal_numpy():
    """Sparse tables: the G-test's permutations give the in-memory p-values."""
    rng = np.random.default_rng(2)
    X = rng.integers(0, 12, (60, 4))
    y = (X[:, 0] + rng.integers(0, 3, 60)) % 4
    params = dict(
        estimator=PlugIn(), discrete_features=True, random_state=0, n_permutations=30
    )
    with pytest.warns(UserWarning, match="unreliable"):
        reference = MutualInfoSelector(test="g-test", **params).fit(X, y)
    with pytest.warns(UserWarning, match="unreliable"):
        got = MutualInfoSelector(test="g-test", **params).fit(*_dask(X, y, (25, 2)))
    assert_array_equal(got.pvalues_, reference.pvalues_)


def test_drop_in_on_discrete_dask_input():
    X, y = _data()
    Xd, yd = _dask(X[:, :4], y, (100, 2))
    got = mutual_info_classif(Xd, yd, discrete_features=True)
    assert_array_equal(got, mutual_info_classif(X[:, :4], y, discrete_features=True))
    with pytest.raises(ValueError, match="discrete_features=True"):
        mutual_info_classif(*_dask(X, y, (100, 8)))


@pytest.mark.parametrize(
    "make",
    [
        lambda: MutualInfoSelector(),
        lambda: MutualInfoSelector(estimator=KSG()),
        lambda: ConditionalMutualInfoSelector(n_features_to_select=2),
    ],
)
def test_knn_on_dask_input_says_what_to_do(make):
    X, y = _data()
    with pytest.raises(ValueError, match=r"PlugIn\(\).*sample_rows"):
        make().fit(*_dask(X, y, (100, 8)))


def test_what_dask_input_cannot_do_is_an_error():
    X, y = _data()
    Xd, yd = _dask(X, y, (100, 8))
    with pytest.raises(ValueError, match="tol"):
        ConditionalMutualInfoSelector(estimator=PlugIn()).fit(Xd, yd)
    with pytest.raises(ValueError, match="interactions=1"):
        ConditionalMutualInfoSelector(
            n_features_to_select=2, estimator=PlugIn(), interactions=2
        ).fit(Xd, yd)
    X[X[:, 5] > 1, 5] = np.nan
    Xn = da.from_array(X, chunks=(100, 8))
    with pytest.raises(ValueError, match="Column '5'.*NaN"):
        MutualInfoSelector(estimator=PlugIn()).fit(Xn, yd)


def test_sample_rows_of_a_frame_and_an_array():
    frame, y = _frame()
    ddf = dd.from_pandas(frame, npartitions=4)
    small = sample_rows(ddf, n_samples=40, random_state=0)
    rows = np.sort(np.random.RandomState(0).choice(len(frame), 40, replace=False))
    assert_array_equal(small.index, rows)
    assert_array_equal(small.to_numpy(object), frame.iloc[rows].to_numpy(object))
    X, yy = _data()
    Xs, ys = sample_rows(*_dask(X, yy, (100, 8)), n_samples=40, random_state=0)
    rows = np.sort(np.random.RandomState(0).choice(len(X), 40, replace=False))
    assert_array_equal(Xs, X[rows])
    assert_array_equal(ys, yy[rows])


def test_in_memory_fits_do_not_import_dask():
    code = (
        "import sys, numpy as np\n"
        "from skmi import ConditionalMutualInfoSelector, MutualInfoSelector\n"
        "from skmi.estimators import PlugIn\n"
        "X = np.random.RandomState(0).randint(0, 3, (100, 4)); y = X[:, 0]\n"
        "MutualInfoSelector(k=2, estimator=PlugIn()).fit(X, y)\n"
        "ConditionalMutualInfoSelector(n_features_to_select=2).fit(X, y)\n"
        "assert 'dask' not in sys.modules, 'dask was imported'\n"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        cwd=str(__import__("pathlib").Path(__file__).resolve().parents[1]),
    )
