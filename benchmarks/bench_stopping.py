"""Cost of the stopping rule of ConditionalMutualInfoSelector.

``n_features_to_select="auto"`` (the default) tests every step; the budget is
at most 5x a run with ``n_features_to_select`` fixed to the number of
features "auto" selects, on the same data with the same parameters. Two
problems:

* ``load_breast_cancer`` (569 x 30, continuous features, binary target);
* a continuous regression problem, n = 100,000, p = 5:
  ``y = x0 + x1 / 2 + x2 / 4 + e`` with two noise columns.

For each, the "auto" run is made once to learn the number of features, then
"auto" and the fixed run alternate ``--repeats`` times; the median times and
their ratio are printed.

Run from the repository root::

    python benchmarks/bench_stopping.py [--repeats 5] [--skip-large]
"""

import argparse
import statistics
import time

import numpy as np
from sklearn.datasets import load_breast_cancer

from skmi import ConditionalMutualInfoSelector


def large_problem(n=100_000, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 5))
    y = X[:, 0] + 0.5 * X[:, 1] + 0.25 * X[:, 2] + rng.standard_normal(n)
    return X, y


def timed(X, y, n_features_to_select):
    start = time.perf_counter()
    selector = ConditionalMutualInfoSelector(n_features_to_select, random_state=0)
    selector.fit(X, y)
    return time.perf_counter() - start, selector


def compare(name, X, y, repeats):
    _, auto = timed(X, y, "auto")
    m = auto.n_features_to_select_
    print(
        f"{name}: 'auto' selects {m} features {auto.selection_order_.tolist()}, "
        f"p-values {np.round(auto.pvalues_, 3).tolist()}; stopped: "
        f"{auto.stop_reason_}"
    )
    if m == 0:
        print("  nothing selected: no fixed run to compare with")
        return
    times = {"auto": [], "fixed": []}
    for _ in range(repeats):
        times["auto"].append(timed(X, y, "auto")[0])
        times["fixed"].append(timed(X, y, m)[0])
    a, f = statistics.median(times["auto"]), statistics.median(times["fixed"])
    print(
        f"  median 'auto' {a:.3f} s, median n_features_to_select={m} {f:.3f} s, "
        f"ratio {a / f:.2f} (budget 5)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    compare("load_breast_cancer", *load_breast_cancer(return_X_y=True), args.repeats)
    if not args.skip_large:
        compare("continuous 1e5 x 5", *large_problem(), args.repeats)


if __name__ == "__main__":
    main()
