"""
=========================================
Feature selection on a Dask cluster
=========================================

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
import time

import matplotlib.pyplot as plt
import numpy as np
from distributed import Client, LocalCluster
from joblib import parallel_backend
from sklearn.datasets import make_classification

from skmi import ConditionalMutualInfoSelector, MutualInfoSelector

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
# Close the client and the cluster when done.
client.close()
cluster.close()
