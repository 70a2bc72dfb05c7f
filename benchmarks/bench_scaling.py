"""Time of the drop-ins and ``MutualInfoSelector`` from n = 1e4 to 1e6 samples.

Part 1, growth with n (10 continuous features, ``n_jobs=1``): the median
wall-clock time of a few runs at each size, the time per ``n log n``
relative to the smallest size (constant for an ``n log n`` algorithm; it
rises steadily for a super-linearithmic one), and two least-squares slopes:
of ``log t`` against ``log n`` (about 1.0-1.1 for ``n log n`` over this range)
and against ``log(n log n)`` (about 1).

Part 2, parallel speed-up: ``n_jobs=1`` and ``n_jobs=2`` alternating on the
same data, the median of the per-pair ratios ``t(1) / t(2)``, and a check
that both give identical results. The machine this was written on has two
cores and other work on them: quote medians, not single runs.

Run from the repository root (with skmi installed, ``pip install .``)::

    python benchmarks/bench_scaling.py                     # both parts
    python benchmarks/bench_scaling.py --sizes 10000 100000 --repeats 5
    python benchmarks/bench_scaling.py --skip-growth --speedup-n 300000
"""

import argparse
import statistics
import time

import numpy as np

from skmi import MutualInfoSelector, mutual_info_classif, mutual_info_regression

N_FEATURES = 10


def make_data(n, seed=0):
    """10 continuous features, a 3-class label and a continuous target."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, N_FEATURES))
    signal = X[:, 0] + np.sin(2 * X[:, 1]) + 0.5 * X[:, 2] * X[:, 3]
    signal += 0.5 * rng.standard_normal(n)
    labels = np.digitize(signal, np.quantile(signal, [1 / 3, 2 / 3]))
    return X, labels, signal


TASKS = {
    "mutual_info_classif": lambda X, labels, signal, n_jobs: mutual_info_classif(
        X, labels, random_state=0, n_jobs=n_jobs
    ),
    "mutual_info_regression": lambda X, labels, signal, n_jobs: mutual_info_regression(
        X, signal, random_state=0, n_jobs=n_jobs
    ),
    "MutualInfoSelector": lambda X, labels, signal, n_jobs: (
        MutualInfoSelector(k=5, random_state=0, n_jobs=n_jobs).fit(X, labels).scores_
    ),
}


def timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - start, out


def growth(tasks, sizes, repeats):
    print(
        f"Part 1: time against n ({N_FEATURES} features, n_jobs=1, median of "
        f"{repeats} runs)"
    )
    for name in tasks:
        times = []
        TASKS[name](*make_data(2000), 1)  # warm-up: imports and first-call costs
        print(f"\n{name}")
        print(f"{'n':>10}{'median s':>11}{'min s':>9}{'t / (n ln n), rel.':>21}")
        for n in sizes:
            data = make_data(n)
            runs = [timed(TASKS[name], *data, 1)[0] for _ in range(repeats)]
            times.append(statistics.median(runs))
            per_nlogn = times[-1] / (n * np.log(n))
            if len(times) == 1:
                first = per_nlogn
            rel = per_nlogn / first
            print(f"{n:>10,}{times[-1]:>11.3f}{min(runs):>9.3f}{rel:>21.2f}")
        log_n = np.log(sizes)
        log_t = np.log(times)
        slope_n = np.polyfit(log_n, log_t, 1)[0]
        slope_nlogn = np.polyfit(np.log(np.asarray(sizes) * log_n), log_t, 1)[0]
        local = np.diff(log_t) / np.diff(log_n)
        print(
            f"  log-log slope: d log t / d log n = {slope_n:.2f}; "
            f"d log t / d log(n log n) = {slope_nlogn:.2f}"
        )
        print(
            "  local slopes d log t / d log n between consecutive sizes: "
            + ", ".join(f"{v:.2f}" for v in local)
        )


def _control(n_jobs, arrays):
    """Sorting independent arrays in threads: the parallelism the machine offers."""
    from joblib import Parallel, delayed

    return Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(np.sort)(a) for a in arrays
    )


def speedup(tasks, n, pairs):
    print(
        f"\nPart 2: speed-up of n_jobs=2 over n_jobs=1 at n={n:,} ({pairs} "
        "alternating pairs, median of the per-pair ratios)"
    )
    data = make_data(n)
    print(
        f"{'task':<24}{'t(1) s':>9}{'t(2) s':>9}{'speed-up':>10}{'min-max':>14}"
        "  identical"
    )
    for name in tasks:
        TASKS[name](*data, 2)  # start the workers once
        ratios, t1s, t2s, same = [], [], [], True
        for _ in range(pairs):
            t1, r1 = timed(TASKS[name], *data, 1)
            t2, r2 = timed(TASKS[name], *data, 2)
            ratios.append(t1 / t2)
            t1s.append(t1)
            t2s.append(t2)
            same &= bool(np.array_equal(r1, r2))
        _print_speedup(name, t1s, t2s, ratios, same)
    # control: what two threads of plain numpy sorting gain at the same time
    arrays = [np.random.default_rng(j).random(n) for j in range(16)]
    ratios, t1s, t2s = [], [], []
    for _ in range(pairs):
        t1s.append(timed(_control, 1, arrays)[0])
        t2s.append(timed(_control, 2, arrays)[0])
        ratios.append(t1s[-1] / t2s[-1])
    _print_speedup("control: np.sort x16", t1s, t2s, ratios, True)
    print(
        "(the control shows how much of the second core was free: about 2 on an "
        "idle two-core machine)"
    )


def _print_speedup(name, t1s, t2s, ratios, same):
    print(
        f"{name:<24}{statistics.median(t1s):>9.3f}{statistics.median(t2s):>9.3f}"
        f"{statistics.median(ratios):>10.2f}"
        f"{f'{min(ratios):.2f}-{max(ratios):.2f}':>14}  {same}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10_000, 30_000, 100_000, 300_000, 1_000_000],
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tasks", nargs="+", default=list(TASKS), choices=list(TASKS))
    parser.add_argument("--speedup-n", type=int, default=300_000)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--skip-growth", action="store_true")
    parser.add_argument("--skip-speedup", action="store_true")
    args = parser.parse_args(argv)
    if not args.skip_growth:
        growth(args.tasks, sorted(args.sizes), args.repeats)
    if not args.skip_speedup:
        speedup(args.tasks, args.speedup_n, args.pairs)


if __name__ == "__main__":
    main()
