"""
=========================================
Feature selection on a Dask cluster
=========================================

Two ways to use Dask: spread skmi's work over a cluster with joblib's Dask
backend (the data in the fitting process), or give a Dask array or data
frame as ``X`` with a plug-in estimator, whose counts are made block by block
where the blocks are, on a cluster or out of core from a file (the data
never gathered; see :ref:`dask_input`).

skmi parallelises its work over features (and over permutations of the
target) with joblib, so the same code runs on one core, on every core of a
machine, or on a Dask cluster: only the joblib backend changes, and the
results do not. Tie-breaking noise and permutations are drawn from
``random_state`` in the calling process before any work is sent out, so the
scores and the selected features are identical with ``n_jobs=1``, with
``n_jobs=-1`` and on a cluster.

This example starts a small local cluster, runs
:class:`~skmi.MutualInfoSelector` and
:class:`~skmi.ConditionalMutualInfoSelector` on it and checks the results
against a serial run. It needs the ``dask`` extra::

    pip install "skmi[dask]"

On a real cluster
-----------------
Install skmi (same version) on the scheduler's workers, connect a client to
the scheduler and fit inside ``parallel_backend("dask")``::

    from dask.distributed import Client
    from joblib import parallel_backend

    client = Client("tcp://scheduler-host:8786")  # or dask-jobqueue, Kubernetes...
    with parallel_backend("dask"):
        selector = MutualInfoSelector(k=20, n_permutations=200, random_state=0,
                                      n_jobs=-1).fit(X, y)

``n_jobs=-1`` (or None) uses every worker thread of the cluster. The data are
prepared (scaled, jittered, encoded) in the client, then each batch of
prepared features goes to the worker that scores it; joblib's Dask backend
scatters an argument shared by all tasks, such as the prepared target, once
per parallel call. A worker holds its batch (about ``8 n`` bytes per
continuous feature) and ``O(n)`` working memory, never the whole matrix.
"""

# %%
# A local cluster
# ---------------
# Two workers with one thread each, on the loopback interface. In-process
# workers (``processes=False``) start in a fraction of a second; a real
# cluster has worker processes on other machines.
import os
import tempfile
import time

import dask
import dask.array as da
import matplotlib.pyplot as plt
import numpy as np
from distributed import Client, LocalCluster
from joblib import parallel_backend
from sklearn.datasets import make_classification

from skmi import ConditionalMutualInfoSelector, MutualInfoSelector, from_memmap
from skmi.estimators import PlugIn

cluster = LocalCluster(
    n_workers=2,
    threads_per_worker=1,
    processes=False,
    protocol="tcp://",
    host="127.0.0.1",
    dashboard_address=None,
)
client = Client(cluster)

# %%
# Data: 1,000 samples, 20 features, 4 of them informative and 4 redundant
# copies (linear combinations) of them.
X, y = make_classification(
    n_samples=1000,
    n_features=20,
    n_informative=4,
    n_redundant=4,
    shuffle=False,
    random_state=0,
)

# %%
# Marginal scores with permutation p-values
# -----------------------------------------
# The same selector is fitted serially and on the cluster.
params = dict(k=8, n_permutations=30, random_state=0)

start = time.perf_counter()
serial = MutualInfoSelector(**params, n_jobs=1).fit(X, y)
t_serial = time.perf_counter() - start

start = time.perf_counter()
with parallel_backend("dask"):
    on_cluster = MutualInfoSelector(**params, n_jobs=-1).fit(X, y)
t_cluster = time.perf_counter() - start

print(f"serial: {t_serial:.2f} s, on the cluster: {t_cluster:.2f} s")
print("identical scores:", np.array_equal(serial.scores_, on_cluster.scores_))
print("identical p-values:", np.array_equal(serial.pvalues_, on_cluster.pvalues_))

# %%
# Greedy forward selection
# ------------------------
# Each step of :class:`~skmi.ConditionalMutualInfoSelector` scores the
# remaining candidates in parallel; the order of selection is the same.
forward = dict(n_features_to_select=4, criterion="jmi", random_state=0)
serial_fw = ConditionalMutualInfoSelector(**forward, n_jobs=1).fit(X, y)
with parallel_backend("dask"):
    cluster_fw = ConditionalMutualInfoSelector(**forward, n_jobs=-1).fit(X, y)
print("selection order, serial:    ", serial_fw.selection_order_)
print("selection order, on cluster:", cluster_fw.selection_order_)

# %%
# The scores
# ----------
# Columns 0-3 are informative, 4-7 random linear combinations of them and the
# rest is noise. A combination can carry more information about the class
# than any informative column alone, so both selectors may prefer it.
fig, ax = plt.subplots(figsize=(7, 3))
colors = [
    "tab:orange" if j in cluster_fw.selection_order_ else "tab:blue"
    for j in range(X.shape[1])
]
ax.bar(np.arange(X.shape[1]), on_cluster.scores_, color=colors)
ax.set_xlabel("feature")
ax.set_ylabel("I(X_k; Y) [nats]")
ax.set_title("Scores computed on the cluster (orange: chosen by forward JMI)")
fig.tight_layout()
plt.show()

# %%
# Dask input: counted block by block on the workers
# ---------------------------------------------------
# With ``estimator=PlugIn()``, a Dask array (or data frame) is read where its
# blocks are: each worker counts the contingency tables of its blocks and
# the tables are added up. The binned columns, the scores and the path are
# those of the same data in memory. Here the data are a Dask array of 8
# blocks of 2,000 rows; on a real cluster they would be read from files by
# the workers (``dask.array.from_zarr``, ``dask.dataframe.read_parquet``).
rng = np.random.default_rng(0)
codes = rng.integers(0, 4, size=(16_000, 12)).astype(np.uint8)
target = (codes[:, 0] + codes[:, 1] // 2 + rng.integers(0, 2, 16_000)) % 3
X_dask = da.from_array(codes, chunks=(2_000, -1))
y_dask = da.from_array(target, chunks=2_000)

plug_in = dict(
    n_features_to_select=4, criterion="jmi", estimator=PlugIn(), interactions=1
)
start = time.perf_counter()
on_blocks = ConditionalMutualInfoSelector(**plug_in).fit(X_dask, y_dask)
print(f"on the cluster's workers: {time.perf_counter() - start:.2f} s")
in_memory = ConditionalMutualInfoSelector(**plug_in).fit(codes, target)
print("selection order, Dask input:", on_blocks.selection_order_)
print("selection order, in memory: ", in_memory.selection_order_)
print(
    "identical gains:",
    np.array_equal(on_blocks.conditional_gains_, in_memory.conditional_gains_),
)

# %%
# Close the client and the cluster when done.
client.close()
cluster.close()

# %%
# Out of core: a memmap read a few blocks at a time
# -------------------------------------------------
# A table on disk, here a ``numpy.memmap`` of ``uint8`` codes, wrapped in a
# Dask array by :func:`skmi.from_memmap` (``dask.array.from_array`` would
# copy it into memory) is selected with the threaded scheduler, which
# reads a few blocks at a time: the memory used is that of a few blocks,
# whatever the size of the file. (The table is small here so that the
# example runs in seconds; ``benchmarks/bench_dask.py`` selects a 3 GB one.)
folder = tempfile.mkdtemp()
path = os.path.join(folder, "table.uint8")
on_disk = np.memmap(path, dtype=np.uint8, mode="w+", shape=codes.shape)
on_disk[:] = codes
on_disk.flush()
del on_disk

table = np.memmap(path, dtype=np.uint8, mode="r", shape=codes.shape)
with dask.config.set(scheduler="threads"):
    out_of_core = MutualInfoSelector(k=3, estimator=PlugIn()).fit(
        from_memmap(table, rows=4_000), target
    )
print("G-test p-values out of core:", out_of_core.pvalues_.round(4)[:4])
print("kept features:", out_of_core.get_support(indices=True))
del table
os.remove(path)
os.rmdir(folder)
