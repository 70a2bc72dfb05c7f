"""Peak memory of ``mutual_info_classif`` and ``MutualInfoSelector`` at scale.

Target: on n = 1,000,000 samples x 10 continuous float64 features (an 80 MB
input), the peak memory of a call stays below 3 x the input size + 200 MB,
input included, and no step allocates an n x n or an n x p x k array.

Each measurement runs in a fresh child process that imports skmi, warms it
up on a small problem, builds the data in place (no temporaries) and then
makes one call:

* ``rss``: the child's peak resident set size (``resource.getrusage``
  ``ru_maxrss``) above its peak before the data were built, so both the input
  and every allocation of the call count, whether made by numpy, scipy's
  k-d tree (C++, invisible to tracemalloc) or the interpreter;
* ``traced``: the peak of ``tracemalloc`` during the call alone (numpy's
  allocations are traced), i.e. the working memory beyond the input.

The second part is the static check against hidden quadratic or n x p x k
buffers: the traced peak of each call at n = 50,000, 100,000 and 200,000. A
linear algorithm has a constant number of bytes per sample and a growth ratio
of about 2 per doubling; an n x n array would need 80 GB at n = 100,000 (the
child dies or the ratio is about 4), and an n x p x k float64 array with k = 3
neighbours would need ``8 p k = 240`` bytes per sample, which the check also
reports against.

Run from the repository root (with skmi installed, ``pip install .``)::

    python benchmarks/bench_memory.py              # n = 1e6 and the scaling check
    python benchmarks/bench_memory.py --n 200000   # a quicker look
    python benchmarks/bench_memory.py --profile    # peak of each phase as well

The exit status is 1 when a target fails.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc

import numpy as np

MB = 1024.0**2
N_FEATURES = 10
K = 3  # the default n_neighbors
K_LARGE = 10


def make_data(n, p=N_FEATURES, seed=0):
    """``X`` (n, p) float64 built in blocks of rows, and a 3-class target."""
    rng = np.random.default_rng(seed)
    X = np.empty((n, p))
    for start in range(0, n, 65536):
        rng.standard_normal(out=X[start : start + 65536])
    # the class depends on the first two columns; no (n, p) temporaries
    y = (X[:, 0] > 0).astype(np.int64)
    y += X[:, 1] > 0.5
    return X, y


def run_task(task, X, y, k=K):
    from skmi import MutualInfoSelector, mutual_info_classif, mutual_info_regression
    from skmi.estimators import KSG

    if task == "mutual_info_classif":
        return mutual_info_classif(X, y, n_neighbors=k, random_state=0)
    if task == "mutual_info_regression":
        return mutual_info_regression(X, X[:, 0] + y, n_neighbors=k, random_state=0)
    if task == "MutualInfoSelector":
        selector = MutualInfoSelector(5, estimator=KSG(n_neighbors=k), random_state=0)
        return selector.fit(X, y).scores_
    raise ValueError(task)


def child(task, n, mode, k):
    """Measure one call in this (fresh) process and print a JSON line."""
    X, y = make_data(200)
    run_task(task, X, y)  # warm-up: lazy imports, caches
    del X, y
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024.0
    X, y = make_data(n)
    input_bytes = X.nbytes  # the 80 MB of the target; y adds 8 MB
    after_data = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024.0
    out = {"task": task, "n": n, "input": input_bytes}
    if mode == "traced":
        tracemalloc.start()
        start = time.perf_counter()
        run_task(task, X, y, k)
        out["seconds"] = time.perf_counter() - start
        out["traced_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    else:
        start = time.perf_counter()
        run_task(task, X, y)
        out["seconds"] = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024.0
        out["rss_peak_total"] = peak - before  # the input included
        out["rss_peak_call"] = peak - after_data  # beyond the input
    print(json.dumps(out))


def measure(task, n, mode, k=K):
    cmd = [
        sys.executable,
        __file__,
        "--child",
        task,
        "--n",
        str(n),
        "--mode",
        mode,
        "--k",
        str(k),
    ]
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        return {"task": task, "n": n, "error": res.stderr.strip()[-400:]}
    return json.loads(res.stdout.strip().splitlines()[-1])


def phases(n):
    """Traced peak of each phase of ``mutual_info_classif`` (run in a child).

    Also runs a leaner preparation: each column scaled on its own (O(n)
    temporaries instead of two copies of the block) and the tie-breaking noise
    added in blocks of rows, which draws the same numbers (a C-ordered
    ``standard_normal`` block fills row by row) without two full-size
    temporaries. It must give identical values.
    """
    from sklearn.utils.validation import check_X_y

    from skmi.estimators import KSG
    from skmi.estimators._preprocess import JITTER, scale_columns
    from skmi.estimators._variables import Variable
    from skmi.selection._relevance import relevance

    X, y = make_data(n)
    out = {"n": n, "input": X.nbytes}
    tracemalloc.start()

    def step(name, fn, *args):
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = fn(*args)
        out[name] = tracemalloc.get_traced_memory()[1] - base
        return result

    Xv, yv = step("validation", check_X_y, X, y)
    est = KSG()
    mask = np.zeros(X.shape[1], dtype=bool)
    columns = step("prepare", est.prepare, Xv, mask, np.random.RandomState(0))
    target = step("target", lambda: Variable.from_discrete(yv).precompute())
    step("relevance", relevance, est, columns, target)
    reference = np.hstack([c.continuous for c in columns])
    del columns

    def prepare_blocked(X, rng, rows=65536):
        block = np.array(X, dtype=np.float64, order="F", copy=True)
        means = np.empty(block.shape[1])
        for j in range(block.shape[1]):  # O(n) temporaries: one column at a time
            column = block[:, j : j + 1]
            scale_columns(column)
            means[j] = JITTER * max(1.0, float(np.mean(np.abs(column))))
        for start in range(0, block.shape[0], rows):
            stop = min(start + rows, block.shape[0])
            noise = rng.standard_normal((stop - start, block.shape[1]))
            block[start:stop] += means * noise
        return block

    blocked = step("prepare_blocked", prepare_blocked, Xv, np.random.RandomState(0))
    out["blocked_identical"] = bool(np.array_equal(blocked, reference))
    tracemalloc.stop()
    print(json.dumps(out))


def peak_profile(n):
    cmd = [sys.executable, __file__, "--child", "phases", "--n", str(n)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        print(res.stderr[-400:])
        return
    out = json.loads(res.stdout.strip().splitlines()[-1])
    print(
        f"\nWhere the peak is: mutual_info_classif phases at n={n:,} "
        "(tracemalloc peak above the memory live before each phase)"
    )
    for name in ("validation", "prepare", "target", "relevance", "prepare_blocked"):
        print(
            f"  {name:<17}{out[name] / MB:>8.1f} MB"
            f"{out[name] / out['input']:>7.2f} x input"
        )
    print(
        "  prepare_blocked: columns scaled one at a time, noise added in blocks "
        f"of 65,536 rows; identical values: {out['blocked_identical']}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument(
        "--tasks",
        nargs="+",
        default=["mutual_info_classif", "MutualInfoSelector", "mutual_info_regression"],
    )
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="rss", help=argparse.SUPPRESS)
    parser.add_argument("--k", type=int, default=K, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "phases":
        phases(args.n)
        return 0
    if args.child:
        child(args.child, args.n, args.mode, args.k)
        return 0

    ok = True
    print(f"Peak memory at n={args.n:,} x {N_FEATURES} float64 features")
    print(
        f"{'task':<24}{'input':>9}{'limit':>9}{'RSS tot':>9}{'RSS call':>10}"
        f"{'traced':>9}{'time s':>8}  verdict"
    )
    for task in args.tasks:
        rss = measure(task, args.n, "rss")
        traced = measure(task, args.n, "traced")
        if "error" in rss or "error" in traced:
            error = rss.get("error") or traced.get("error")
            print(f"{task:<24} FAILED TO RUN: {error}")
            ok = False
            continue
        limit = 3 * rss["input"] + 200 * MB
        passed = rss["rss_peak_total"] <= limit and traced["traced_peak"] <= limit
        ok &= passed
        print(
            f"{task:<24}{rss['input'] / MB:>8.0f}M{limit / MB:>8.0f}M"
            f"{rss['rss_peak_total'] / MB:>8.0f}M{rss['rss_peak_call'] / MB:>9.0f}M"
            f"{traced['traced_peak'] / MB:>8.0f}M{rss['seconds']:>8.1f}  "
            f"{'PASS' if passed else 'FAIL'}"
        )
    print(
        "(RSS tot: peak RSS above the process before the data, input included;"
        " RSS call: above the peak after the data were built; traced: tracemalloc"
        " peak of the call alone.)"
    )

    if not args.skip_scaling:
        sizes = [50_000, 100_000, 200_000]
        print(
            f"\nNo n x n and no n x p x k buffers: tracemalloc peak of the call in "
            f"bytes per sample at n = {sizes} (k = {K}) and at n = {sizes[-1]} "
            f"with k = {K_LARGE}"
        )
        print(
            f"{'task':<24}"
            + "".join(f"{str(n // 1000) + 'k':>8}" for n in sizes)
            + f"{'k=' + str(K_LARGE):>8}{'growth':>8}{'k ratio':>9}  verdict"
        )
        for task in args.tasks:
            peaks = [
                measure(task, n, "traced").get("traced_peak", np.nan) for n in sizes
            ]
            big_k = measure(task, sizes[-1], "traced", k=K_LARGE)
            big_k = big_k.get("traced_peak", np.nan)
            growth = peaks[-1] / peaks[-2]
            k_ratio = big_k / peaks[-1]
            # linear in n: ~2 per doubling (n x n: ~4); an n x p x k array
            # would grow the peak by K_LARGE / K = 3.3 from k=3 to k=10
            passed = bool(growth < 2.5 and k_ratio < 1.5)
            ok &= passed
            per_sample = [pk / n for pk, n in zip(peaks, sizes, strict=True)]
            print(
                f"{task:<24}"
                + "".join(f"{b:>8.0f}" for b in per_sample)
                + f"{big_k / sizes[-1]:>8.0f}{growth:>8.2f}{k_ratio:>9.2f}  "
                f"{'PASS' if passed else 'FAIL'}"
            )
        print(
            "(growth: peak(200k) / peak(100k), linear ~2, quadratic ~4; k ratio: "
            f"peak(k={K_LARGE}) / peak(k={K}), ~1 without n x p x k buffers.)"
        )

    if args.profile:
        peak_profile(args.n)
    print("\nOVERALL:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
