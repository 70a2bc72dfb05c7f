"""Benchmark of ``memory``: a grid search over ``n_features_to_select``.

A ``GridSearchCV`` over ten values of ``n_features_to_select`` (2, 4, ..., 20)
of a pipeline ``ConditionalMutualInfoSelector -> LogisticRegression``, 3-fold,
``refit=False``, on continuous data (n = 900 samples, 100 features, default
estimator and criterion). Without ``memory`` every candidate runs its own
greedy search on each training fold; with ``memory`` the first candidate of a
fold stores its path and the others slice or extend it, so a fold costs about
one search to 20 features. Runs alternate (without, with, without, ...), each
"with" run in a fresh cache directory; the script prints the median times,
the median of the per-pair ratios, and checks that both give the same
cross-validation scores (exit status 1 otherwise).

The same for ``MutualInfoSelector`` over ten values of ``k``.

Run from the repository root::

    python benchmarks/bench_cache.py [--repeats 3] [--n-samples 900] [--n-features 100]
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from skmi import ConditionalMutualInfoSelector, MutualInfoSelector


def make_data(n, p, seed=0):
    """Ten informative continuous features (one synergistic pair), the rest noise."""
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((n, p))
    signal = X[:, :8] @ np.linspace(1.0, 0.3, 8) + 1.5 * X[:, 8] * X[:, 9]
    y = (signal + rng.normal(0, 1.0, n) > 0).astype(int)
    return X, y


def grid_search(selector, param, values, X, y, memory):
    selector = selector.set_params(memory=memory)
    pipe = make_pipeline(selector, LogisticRegression(max_iter=500))
    name = type(selector).__name__.lower()
    grid = {f"{name}__{param}": values}
    start = time.perf_counter()
    search = GridSearchCV(pipe, grid, cv=3, refit=False).fit(X, y)
    return time.perf_counter() - start, search.cv_results_["mean_test_score"]


def compare(label, selector, param, values, X, y, repeats):
    without, with_, ratios = [], [], []
    same = True
    for _ in range(repeats):
        t0, s0 = grid_search(selector, param, values, X, y, None)
        directory = tempfile.mkdtemp(prefix="skmi-bench-cache-")
        try:
            t1, s1 = grid_search(selector, param, values, X, y, directory)
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        same &= np.array_equal(s0, s1)
        without.append(t0)
        with_.append(t1)
        ratios.append(t0 / t1)
    print(
        f"{label:<34} without {statistics.median(without):7.2f} s   "
        f"with {statistics.median(with_):6.2f} s   "
        f"ratio {statistics.median(ratios):5.1f}x   same scores: {same}"
    )
    return same, statistics.median(ratios)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n-samples", type=int, default=900)
    parser.add_argument("--n-features", type=int, default=100)
    args = parser.parse_args()
    X, y = make_data(args.n_samples, args.n_features)
    print(
        f"GridSearchCV, 3 folds, 10 values, n = {args.n_samples}, "
        f"p = {args.n_features}, {args.repeats} alternating repeats"
    )
    ok = True
    same, ratio = compare(
        "ConditionalMutualInfoSelector (n)",
        ConditionalMutualInfoSelector(random_state=0),
        "n_features_to_select",
        list(range(2, 21, 2)),
        X,
        y,
        args.repeats,
    )
    ok &= same
    if ratio < 5:
        print("  target: at least 5x")
        ok = False
    same, _ = compare(
        "MutualInfoSelector (k)",
        MutualInfoSelector(random_state=0, n_permutations=20),
        "k",
        list(range(2, 21, 2)),
        X,
        y,
        args.repeats,
    )
    ok &= same
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
