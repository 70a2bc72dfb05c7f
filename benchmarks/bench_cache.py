"""Benchmark of ``memory``: a grid search over ``n_features_to_select`` / ``k``.

Two cases, each run without and with ``memory``, alternating (without,
with, without, ...), each "with" run in a fresh cache directory:

* ``breast_cancer`` (the default): a 3-fold ``GridSearchCV`` over
  ``n_features_to_select`` = 1, ..., 8 of the default
  ``ConditionalMutualInfoSelector`` in a pipeline ``selector -> GaussianNB``
  (a model whose fit costs little next to the selector's) on
  ``load_breast_cancer``
  (``refit=False``); then ``MutualInfoSelector`` over ``k`` = 1, ..., 8 with
  ``PlugIn()`` (whose G-test p-values nobody reads, so none are computed)
  and with the default estimator. Target: the cached grid of the greedy
  selector at least 3x cheaper in CPU time.
* ``synthetic``: ten values 2, 4, ..., 20 on continuous data (n = 900, 100
  features, default estimator and criterion), for both selectors
  (``MutualInfoSelector`` with ``n_permutations=20``), in a pipeline
  ``selector -> StandardScaler -> LogisticRegression``. Target: 5x.

Without ``memory`` every candidate runs its own greedy search on each
training fold; with ``memory`` the first candidate of a fold stores its path
(the relevance, the interaction screen, the search state) and the others
slice or extend it. The script prints the median CPU and wall-clock times,
the medians of the per-pair ratios, and checks that both give the same
cross-validation scores (exit status 1 when the scores differ or a target is
missed).

Run from the repository root::

    python benchmarks/bench_cache.py [--repeats 5] [--case breast_cancer|synthetic|all]
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmi import ConditionalMutualInfoSelector, MutualInfoSelector
from skmi.estimators import PlugIn


def make_data(n, p, seed=0):
    """Ten informative continuous features (one synergistic pair), the rest noise."""
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((n, p))
    signal = X[:, :8] @ np.linspace(1.0, 0.3, 8) + 1.5 * X[:, 8] * X[:, 9]
    y = (signal + rng.normal(0, 1.0, n) > 0).astype(int)
    return X, y


def grid_search(selector, param, values, X, y, memory, model):
    selector = selector.set_params(memory=memory)
    pipe = make_pipeline(selector, *model())
    name = type(selector).__name__.lower()
    grid = {f"{name}__{param}": values}
    cpu, wall = time.process_time(), time.perf_counter()
    search = GridSearchCV(pipe, grid, cv=3, refit=False).fit(X, y)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu, wall, search.cv_results_["mean_test_score"]


def compare(label, selector, param, values, X, y, repeats, model):
    """Median CPU ratio (without / with memory) and whether the scores agree."""
    times = {"cpu0": [], "cpu1": [], "wall0": [], "wall1": []}
    cpu_ratios, wall_ratios = [], []
    same = True
    for _ in range(repeats):
        c0, w0, s0 = grid_search(selector, param, values, X, y, None, model)
        directory = tempfile.mkdtemp(prefix="skmi-bench-cache-")
        try:
            c1, w1, s1 = grid_search(selector, param, values, X, y, directory, model)
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        same &= np.array_equal(s0, s1)
        for key, value in zip(times, (c0, c1, w0, w1), strict=True):
            times[key].append(value)
        cpu_ratios.append(c0 / c1)
        wall_ratios.append(w0 / w1)
    med = {key: statistics.median(v) for key, v in times.items()}
    cpu_ratio = statistics.median(cpu_ratios)
    print(
        f"{label:<40} CPU without {med['cpu0']:6.2f} s  with {med['cpu1']:6.2f} s  "
        f"ratio {cpu_ratio:5.1f}x | wall ratio "
        f"{statistics.median(wall_ratios):5.1f}x | same scores: {same}"
    )
    return same, cpu_ratio


def naive_bayes():
    return (GaussianNB(),)


def logistic():
    return StandardScaler(), LogisticRegression(max_iter=500)


def breast_cancer(repeats):
    X, y = load_breast_cancer(return_X_y=True)
    values = list(range(1, 9))
    print(
        f"load_breast_cancer (569 x 30), GridSearchCV 3 folds, 8 values, "
        f"{repeats} alternating repeats"
    )
    ok, ratio = compare(
        "ConditionalMutualInfoSelector (n 1..8)",
        ConditionalMutualInfoSelector(random_state=0),
        "n_features_to_select",
        values,
        X,
        y,
        repeats,
        naive_bayes,
    )
    if ratio < 3:
        print("  target: at least 3x")
        ok = False
    for label, selector in [
        (
            "MutualInfoSelector PlugIn() (k 1..8)",
            MutualInfoSelector(estimator=PlugIn()),
        ),
        ("MutualInfoSelector KSG() (k 1..8)", MutualInfoSelector(random_state=0)),
    ]:
        same, _ = compare(label, selector, "k", values, X, y, repeats, naive_bayes)
        ok &= same
    return ok


def synthetic(repeats, n, p):
    X, y = make_data(n, p)
    values = list(range(2, 21, 2))
    print(
        f"synthetic, GridSearchCV 3 folds, 10 values, n = {n}, p = {p}, "
        f"{repeats} alternating repeats"
    )
    ok, ratio = compare(
        "ConditionalMutualInfoSelector (n)",
        ConditionalMutualInfoSelector(random_state=0),
        "n_features_to_select",
        values,
        X,
        y,
        repeats,
        logistic,
    )
    if ratio < 5:
        print("  target: at least 5x")
        ok = False
    same, _ = compare(
        "MutualInfoSelector (k)",
        MutualInfoSelector(random_state=0, n_permutations=20),
        "k",
        values,
        X,
        y,
        repeats,
        logistic,
    )
    return ok and same


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--case", choices=["breast_cancer", "synthetic", "all"], default="breast_cancer"
    )
    parser.add_argument("--n-samples", type=int, default=900)
    parser.add_argument("--n-features", type=int, default=100)
    args = parser.parse_args()
    ok = True
    if args.case in ("breast_cancer", "all"):
        ok &= breast_cancer(args.repeats)
    if args.case in ("synthetic", "all"):
        ok &= synthetic(args.repeats, args.n_samples, args.n_features)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
