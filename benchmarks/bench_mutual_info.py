"""Benchmark of the drop-in ``mutual_info_classif`` and ``mutual_info_regression``.

scikit-learn's functions and skmi's run on the same data, in the same process,
alternating (scikit-learn, skmi, scikit-learn, skmi, ...), with the same
``random_state`` and ``n_jobs=1`` for both unless ``--n-jobs`` says otherwise.
For each task and size the table shows the median wall-clock time of each, the
median of the per-pair time ratios (wall clock and CPU time; the CPU ratio is
the steadier one on a busy machine) and the largest absolute difference between
the two results, which must not exceed 1e-6 (the run exits with status 1
otherwise).

The data have 20 continuous features, 5 of them informative: a 3-class target
for the classification task and a noisy linear target for the regression task.

``--jobs-check`` instead times skmi with ``n_jobs=1`` against ``n_jobs=N``
(default 2) and checks that the results are identical.

Run from the repository root (with skmi installed, ``pip install .``)::

    python benchmarks/bench_mutual_info.py              # n = 1e3, 1e4, 1e5
    python benchmarks/bench_mutual_info.py --quick      # n = 1e3, 1e4
    python benchmarks/bench_mutual_info.py --sizes 100000 --repeats 5
    python benchmarks/bench_mutual_info.py --jobs-check --sizes 100000
"""

import argparse
import statistics
import sys
import time

import numpy as np
from sklearn import feature_selection as sk
from sklearn.datasets import make_classification, make_regression

import skmi

TOLERANCE = 1e-6


def make_data(task, n_samples, n_features, seed):
    """Continuous features and a discrete (classif) or continuous target."""
    if task == "classif":
        return make_classification(
            n_samples=n_samples,
            n_features=n_features,
            n_informative=5,
            n_redundant=0,
            n_classes=3,
            random_state=seed,
        )
    return make_regression(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=5,
        noise=1.0,
        random_state=seed,
    )


def timed(func, X, y, **kwargs):
    """Run ``func`` once; return (result, wall seconds, CPU seconds)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = func(X, y, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def compare(task, n_samples, n_features, repeats, n_jobs, seed):
    """Alternate scikit-learn and skmi runs; return one row of the table."""
    X, y = make_data(task, n_samples, n_features, seed)
    name = f"mutual_info_{'classif' if task == 'classif' else 'regression'}"
    funcs = [getattr(sk, name), getattr(skmi, name)]
    kwargs = {"random_state": seed, "n_jobs": n_jobs}
    for func in funcs:  # warm-up (imports, caches, worker pools)
        func(X[:200], y[:200], **kwargs)
    times = {"wall": ([], []), "cpu": ([], [])}
    diff = 0.0
    for _ in range(repeats):
        results = []
        for i, func in enumerate(funcs):
            result, wall, cpu = timed(func, X, y, **kwargs)
            results.append(result)
            times["wall"][i].append(wall)
            times["cpu"][i].append(cpu)
        diff = max(diff, float(np.max(np.abs(results[0] - results[1]))))
    ratio = {
        kind: statistics.median(a / b for a, b in zip(*pair, strict=True))
        for kind, pair in times.items()
    }
    return {
        "task": task,
        "n": n_samples,
        "sklearn": statistics.median(times["wall"][0]),
        "skmi": statistics.median(times["wall"][1]),
        "ratio": ratio["wall"],
        "cpu_ratio": ratio["cpu"],
        "diff": diff,
    }


def jobs_check(task, n_samples, n_features, repeats, n_jobs, seed):
    """Alternate skmi with n_jobs=1 and n_jobs=N; return one row of the table."""
    X, y = make_data(task, n_samples, n_features, seed)
    name = f"mutual_info_{'classif' if task == 'classif' else 'regression'}"
    func = getattr(skmi, name)
    for jobs in (1, n_jobs):  # warm-up, starts the worker pool
        func(X[:200], y[:200], random_state=seed, n_jobs=jobs)
    walls = ([], [])
    identical = True
    for _ in range(repeats):
        results = []
        for i, jobs in enumerate((1, n_jobs)):
            result, wall, _ = timed(func, X, y, random_state=seed, n_jobs=jobs)
            results.append(result)
            walls[i].append(wall)
        identical &= bool(np.array_equal(results[0], results[1]))
    return {
        "task": task,
        "n": n_samples,
        "serial": statistics.median(walls[0]),
        "parallel": statistics.median(walls[1]),
        "speedup": statistics.median(a / b for a, b in zip(*walls, strict=True)),
        "identical": identical,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000]
    )
    parser.add_argument("--quick", action="store_true", help="sizes 1e3 and 1e4")
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--tasks",
        nargs="+",
        choices=["classif", "regression"],
        default=["classif", "regression"],
    )
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument(
        "--jobs-check",
        action="store_true",
        help="time skmi with n_jobs=1 against n_jobs=N (N from --n-jobs, default 2)",
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sizes = [1_000, 10_000] if args.quick else args.sizes

    if args.jobs_check:
        n_jobs = args.n_jobs if args.n_jobs != 1 else 2
        title = f"skmi n_jobs=1 vs n_jobs={n_jobs}"
        header = (
            f"{'task':<11}{'n':>8}{'n_jobs=1 s':>12}"
            f"{f'n_jobs={n_jobs} s':>12}{'speed-up':>10}  identical"
        )

        def run(task, n):
            row = jobs_check(task, n, args.features, args.repeats, n_jobs, args.seed)
            line = (
                f"{row['serial']:>12.3f}{row['parallel']:>12.3f}"
                f"{row['speedup']:>9.2f}x  {row['identical']}"
            )
            return row["identical"], line
    else:
        title = f"scikit-learn vs skmi, n_jobs={args.n_jobs}"
        header = (
            f"{'task':<11}{'n':>8}{'sklearn s':>11}{'skmi s':>9}{'ratio':>8}"
            f"{'cpu ratio':>11}{'max |diff|':>12}"
        )

        def run(task, n):
            row = compare(task, n, args.features, args.repeats, args.n_jobs, args.seed)
            line = (
                f"{row['sklearn']:>11.3f}{row['skmi']:>9.3f}{row['ratio']:>7.2f}x"
                f"{row['cpu_ratio']:>10.2f}x{row['diff']:>12.1e}"
            )
            return row["diff"] <= TOLERANCE, line

    print(
        f"{title}, {args.features} features, median of {args.repeats} alternating runs"
    )
    print(header)
    ok = True
    for task in args.tasks:
        for n in sizes:
            passed, line = run(task, n)
            ok &= passed
            print(f"{task:<11}{n:>8}{line}", flush=True)
    if not ok:
        print("check failed: results differ", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
