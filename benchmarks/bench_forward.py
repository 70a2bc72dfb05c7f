"""Benchmark of greedy forward selection (ConditionalMutualInfoSelector).

Part 1, discrete data (n = 5,000 samples, 200 features, select 20), JMI and
mRMR side by side with two other implementations, runs alternating, median
time ratios printed and selections compared:

* scikit-feature (``pip install skfeature-chappers``): the criterion loop of
  its ``LCSI.lcsi`` written out here on its own ``midd`` and ``cmidd``
  estimators, with ``beta = gamma = 1/|S|`` for JMI and ``beta = 1/|S|``,
  ``gamma = 0`` for mRMR (as in Brown et al. 2012). The packaged
  ``JMI.jmi``/``MRMR.mrmr`` of skfeature-chappers 1.2.1 are not used: they
  return ranks where their documentation promises indices, and ``JMI.jmi``
  passes no 1/|S| weights to ``LCSI.lcsi`` (so it runs LCSI with its default
  beta = 0.8, gamma = 0.5, not JMI). The loop below is the LCSI loop with the
  weights JMI and mRMR need.
* fast-select (``pip install fast-select``): its numba ``mRMR`` (MID), which
  computes the full redundancy matrix; mRMR only.

Part 2, continuous data (n = 2,000, 100 features, select 10): JMI with the
k-NN estimator (``KSG()``, the default), ``n_jobs=2``.

Neither peer package is a dependency of skmi; a part whose peer is missing is
skipped with the command to install it.

Run from the repository root::

    python benchmarks/bench_forward.py [--repeats 3] [--skip-knn]
"""

import argparse
import statistics
import time

import numpy as np

from skmi import ConditionalMutualInfoSelector
from skmi.estimators import PlugIn


def discrete_data(n=5000, p=200, seed=0):
    """Discrete features: 10 informative, noisy copies of them, and noise."""
    rng = np.random.RandomState(seed)
    informative = rng.randint(0, 4, size=(n, 10))
    signal = informative @ np.linspace(1.0, 0.3, 10) + rng.normal(0, 1.5, n)
    y = np.digitize(signal, np.quantile(signal, [1 / 3, 2 / 3]))
    copies = []
    for j in range(40):
        src = informative[:, j % 10]
        noisy = np.where(rng.rand(n) < 0.2 + 0.01 * j, rng.randint(0, 4, n), src)
        copies.append(noisy)
    noise = rng.randint(0, rng.randint(2, 6, size=p - 50), size=(n, p - 50))
    X = np.column_stack([informative, np.column_stack(copies), noise])
    return X.astype(np.int64), y.astype(np.int64)


def skfeature_lcsi(X, y, n_select, criterion):
    """LCSI's greedy loop on scikit-feature's ``midd``/``cmidd`` (pure Python).

    JMI: ``I(f;y) - 1/|S| sum_j I(fj;f) + 1/|S| sum_j I(fj;f|y)``; mRMR: the
    same with the last term dropped (it is still computed, as LCSI does).
    """
    from skfeature.utility.entropy_estimators import cmidd, midd

    n_features = X.shape[1]
    t1 = np.array([midd(X[:, i], y) for i in range(n_features)])
    t2 = np.zeros(n_features)
    t3 = np.zeros(n_features)
    selected = [int(np.argmax(t1))]
    while len(selected) < n_select:
        f_select = X[:, selected[-1]]
        beta = 1.0 / len(selected)
        gamma = beta if criterion == "jmi" else 0.0
        best, best_i = -np.inf, -1
        for i in range(n_features):
            if i in selected:
                continue
            f = X[:, i]
            t2[i] += midd(f_select, f)
            t3[i] += cmidd(f_select, f, y)
            t = t1[i] - beta * t2[i] + gamma * t3[i]
            if t > best:
                best, best_i = t, i
        selected.append(best_i)
    return np.array(selected)


def skmi_select(X, y, n_select, criterion):
    selector = ConditionalMutualInfoSelector(
        n_select, criterion=criterion, estimator=PlugIn(), discrete_features=True
    )
    return selector.fit(X, y).selection_order_


def fast_select_mrmr(X, y, n_select):
    from fast_select import mRMR

    selector = mRMR(n_select, method="MID", backend="cpu").fit(X, y)
    return np.asarray(selector.top_features_)


def have(module, install):
    try:
        __import__(module)
    except ImportError:
        print(f"  skipped: {module} is not installed (pip install {install})")
        return False
    return True


def compare(label, runs, repeats):
    """Run each function of ``runs`` in turn, ``repeats`` times; print medians."""
    times = {name: [] for name in runs}
    results = {}
    for _ in range(repeats):
        for name, fn in runs.items():
            t0 = time.perf_counter()
            results[name] = fn()
            times[name].append(time.perf_counter() - t0)
    ref = statistics.median(times["skmi"])
    print(f"{label}:")
    for name in runs:
        med = statistics.median(times[name])
        same = np.array_equal(results[name], results["skmi"])
        print(
            f"  {name:<12} median {med:8.3f} s  ratio {med / ref:8.1f}x  "
            f"same selection as skmi: {same}"
        )
        if not same:
            print(f"    skmi: {results['skmi'].tolist()}")
            print(f"    {name}: {np.asarray(results[name]).tolist()}")


def part_discrete(repeats):
    X, y = discrete_data()
    print(f"Discrete data: n={X.shape[0]}, {X.shape[1]} features, select 20")
    has_skf = have("skfeature", "skfeature-chappers")
    has_fs = have("fast_select", "fast-select")
    if has_fs:  # compile the numba kernels outside the timings
        fast_select_mrmr(X[:200, :5], y[:200], 2)
    for criterion in ("jmi", "mrmr"):
        runs = {"skmi": lambda c=criterion: skmi_select(X, y, 20, c)}
        if has_skf:
            runs["scikit-feature"] = lambda c=criterion: skfeature_lcsi(X, y, 20, c)
        if has_fs and criterion == "mrmr":
            runs["fast-select"] = lambda: fast_select_mrmr(X, y, 20)
        compare(criterion.upper(), runs, repeats)


def part_knn():
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=2000, n_features=100, n_informative=10, n_redundant=10,
        random_state=0,
    )
    selector = ConditionalMutualInfoSelector(
        10, criterion="jmi", n_jobs=2, random_state=0
    )
    t0 = time.perf_counter()
    selector.fit(X, y)
    elapsed = time.perf_counter() - t0
    print(
        "JMI, k-NN estimator, continuous data (n=2000, 100 features, select 10, "
        f"n_jobs=2): {elapsed:.1f} s (target < 60 s); selected "
        f"{selector.selection_order_.tolist()}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-knn", action="store_true")
    parser.add_argument("--skip-discrete", action="store_true")
    args = parser.parse_args()
    if not args.skip_discrete:
        part_discrete(args.repeats)
    if not args.skip_knn:
        part_knn()


if __name__ == "__main__":
    main()
