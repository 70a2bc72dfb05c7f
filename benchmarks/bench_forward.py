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

Part 3 (``--speed``), forward selection against the previous implementation
(the package as of commit ``efc4e9b``, extracted with ``git archive`` into a
temporary folder): every run is a fresh process that builds the data, fits
once and reports the CPU and wall time of the fit, its peak memory above the
data (the RSS high-water mark, reset through ``/proc/self/clear_refs`` just
before the fit) and the selection. The two implementations alternate (the
order reversed every pair); medians of the per-pair ratios are printed, with
their range, as a measure of the noise. Configurations:

* ``cmi/KSG``: ``criterion="cmi"`` with the k-NN estimator on continuous
  data (n = 2,000, p = 100, 10 informative and 10 redundant features, a
  continuous target that saturates in the informative ones), select 10;
* ``cmi/KSG/classes``: ``criterion="cmi"`` with the k-NN estimator on the
  same kind of features with a 3-class target (``make_classification``), select
  10 (the earlier implementation estimated ``I(X; Y | Z)`` as
  ``I(X, Z; Y) - I(Z; Y)``, so the selections may part after a few steps);
* ``jmi/KSG``: the same data with ``criterion="jmi"``;
* ``jmi/PlugIn``, ``mrmr/PlugIn``: discrete data as in part 1 at
  n = 100,000, p = 500, select 20.

Then ``n_jobs=2`` against ``n_jobs=1`` for the plug-in selectors (current
implementation, wall-clock ratio), for the whole fit and for the forward
search alone (the preparation of the columns is serial), next to a control:
the wall-clock speed-up of a GIL-free numpy loop in two threads, i.e. how
much of a second core was free meanwhile.

Run from the repository root::

    python benchmarks/bench_forward.py [--repeats 3] [--skip-knn]
    python benchmarks/bench_forward.py --speed [--pairs 3] [--configs ...]
    python benchmarks/bench_forward.py --jobs-only [--pairs 3]
    python benchmarks/bench_forward.py --stopping      # the cost of "auto"
    python benchmarks/bench_forward.py --interactions  # the pair screen
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
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
        n_samples=2000,
        n_features=100,
        n_informative=10,
        n_redundant=10,
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


# --------------------------------------------------------------------------
# part 3: against the previous implementation, one process per run
# --------------------------------------------------------------------------
PREVIOUS = "efc4e9b"

SPEED_CONFIGS = {
    "cmi/KSG": dict(data="continuous", criterion="cmi", select=10),
    "cmi/KSG/classes": dict(data="classes", criterion="cmi", select=10),
    "jmi/KSG": dict(data="continuous", criterion="jmi", select=10),
    "jmi/PlugIn": dict(data="discrete", criterion="jmi", select=20),
    "mrmr/PlugIn": dict(data="discrete", criterion="mrmr", select=20),
}


def continuous_data(n=2000, p=100, seed=0):
    """10 informative and 10 redundant continuous features (informative
    first), the rest noise; the target saturates in the informative ones."""
    from sklearn.datasets import make_classification

    X, _ = make_classification(
        n_samples=n,
        n_features=p,
        n_informative=10,
        n_redundant=10,
        shuffle=False,
        random_state=seed,
    )
    rng = np.random.RandomState(seed)
    w = rng.uniform(0.5, 1.5, 10)
    y = 3 * np.tanh(X[:, :10] @ w / 3) + 0.5 * rng.standard_normal(n)
    return X, y


def class_data(n=2000, p=100, seed=0):
    """10 informative and 10 redundant continuous features (informative
    first), the rest noise; a 3-class target."""
    from sklearn.datasets import make_classification

    return make_classification(
        n_samples=n,
        n_features=p,
        n_informative=10,
        n_redundant=10,
        n_classes=3,
        shuffle=False,
        random_state=seed,
    )


def _status_kib(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise KeyError(key)


def speed_child(config, n_jobs, search_only=False):
    """One fit in this process (or, with ``search_only``, the forward search
    on inputs prepared beforehand); prints a JSON line."""
    from skmi import ConditionalMutualInfoSelector as Selector
    from skmi.estimators import PlugIn as PlugInEstimator

    c = SPEED_CONFIGS[config]
    if c["data"] in ("continuous", "classes"):
        X, y = continuous_data() if c["data"] == "continuous" else class_data()
        kw = dict(random_state=0)
    else:
        X, y = discrete_data(100_000, 500)
        kw = dict(estimator=PlugInEstimator(), discrete_features=True)
    # the plain forward search: no synergy screen (interactions="auto" would
    # screen the 4,950 pairs of the continuous data, which earlier versions
    # did not have)
    screen = {}
    if "interactions" in Selector().get_params():
        screen = dict(interactions=1)
    selector = Selector(
        c["select"], criterion=c["criterion"], n_jobs=n_jobs, **kw, **screen
    )
    fit = selector.fit
    if search_only:
        from skmi._inputs import prepare_fit
        from skmi.selection._forward import ForwardParams, forward_select

        fi = prepare_fit(
            selector,
            X,
            y,
            estimator=selector.estimator,
            discrete_features=selector.discrete_features,
            random_state=0,
        )

        def fit(X, y):
            params = ForwardParams(
                criterion=c["criterion"],
                n_features_to_select=c["select"],
                n_jobs=n_jobs,
                **screen,
            )
            result = forward_select(fi.estimator, fi.columns, fi.target, params)
            selector.selection_order_ = result.selection_order
            selector.conditional_gains_ = result.gains

    try:
        with open("/proc/self/clear_refs", "w") as f:  # reset the RSS peak
            f.write("5")
        base = _status_kib("VmRSS")
    except OSError:
        base = None
    wall, cpu = time.perf_counter(), time.process_time()
    fit(X, y)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = None if base is None else (_status_kib("VmHWM") - base) / 1024
    import skmi

    print(
        json.dumps(
            {
                "cpu": cpu,
                "wall": wall,
                "peak_mb": peak,
                "package": skmi.__file__,
                "order": selector.selection_order_.tolist(),
                "gains": selector.conditional_gains_.tolist(),
            }
        )
    )


def previous_checkout(root):
    """The package at commit PREVIOUS, extracted into a temporary folder."""
    folder = tempfile.mkdtemp(prefix="skmi_previous_")
    archive = subprocess.run(
        ["git", "-C", root, "archive", PREVIOUS, "skmi"],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    return folder


def run_child(path, config, n_jobs=1, search_only=False):
    env = dict(os.environ, PYTHONPATH=path)
    mode = "search" if search_only else "fit"
    script = os.path.abspath(__file__)
    out = subprocess.run(
        [sys.executable, script, "--child", config, str(n_jobs), mode],
        capture_output=True,
        text=True,
        env=env,
        cwd=tempfile.gettempdir(),
    )
    if out.returncode:
        raise RuntimeError(out.stderr)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if not result["package"].startswith(os.path.join(path, "skmi")):
        raise RuntimeError(f"expected skmi from {path}, got {result['package']}")
    return result


def _ratios(a, b, key):
    return [x[key] / y[key] for x, y in zip(a, b, strict=True)]


def _spread(values):
    low, high = min(values), max(values)
    return f"{statistics.median(values):5.2f}x (range {low:.2f}-{high:.2f})"


def part_speed(configs, pairs):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    previous = previous_checkout(root)
    print(
        f"Forward selection, this checkout against commit {PREVIOUS}; one process "
        f"per fit, {pairs} alternating pairs, n_jobs=1"
    )
    for config in configs:
        runs = {"new": [], "old": []}
        for r in range(pairs):
            order = [("new", root), ("old", previous)]
            for name, path in order if r % 2 == 0 else order[::-1]:
                runs[name].append(run_child(path, config))
        new, old = runs["new"], runs["old"]
        same = all(a["order"] == old[0]["order"] for a in new + old)
        diff = max(
            float(np.max(np.abs(np.subtract(a["gains"], old[0]["gains"])))) for a in new
        )
        print(f"{config}:")
        print(
            f"  CPU  new {statistics.median(x['cpu'] for x in new):8.2f} s  "
            f"old {statistics.median(x['cpu'] for x in old):8.2f} s  "
            f"speed-up {_spread(_ratios(old, new, 'cpu'))}"
        )
        print(
            f"  wall new {statistics.median(x['wall'] for x in new):8.2f} s  "
            f"old {statistics.median(x['wall'] for x in old):8.2f} s  "
            f"speed-up {_spread(_ratios(old, new, 'wall'))}"
        )
        if new[0]["peak_mb"] is not None:
            peak_new = statistics.median(x["peak_mb"] for x in new)
            peak_old = statistics.median(x["peak_mb"] for x in old)
            print(
                f"  peak memory above the data: new {peak_new:7.1f} MB  old "
                f"{peak_old:7.1f} MB  (new/old {peak_new / max(peak_old, 1e-9):.2f})"
            )
        print(f"  same selection: {same}; largest gain difference {diff:.1e}")


def _control_threads(repeats=3):
    """Wall-clock speed-up of a GIL-free numpy loop in two threads."""
    a = np.random.RandomState(0).randint(0, 2**62, size=(2, 1 << 22), dtype=np.int64)

    def work(row):
        for _ in range(20):
            np.bitwise_and(a[row], a[1 - row]).sum()

    ratios = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        work(0)
        work(1)
        one = time.perf_counter() - t0
        threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ratios.append(one / (time.perf_counter() - t0))
    return ratios


def part_jobs(pairs):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    print(f"n_jobs=2 against n_jobs=1 (this checkout, {pairs} alternating pairs)")
    for config in ("jmi/PlugIn", "mrmr/PlugIn"):
        for search_only in (False, True):
            runs = {1: [], 2: []}
            for r in range(pairs):
                for jobs in (1, 2) if r % 2 == 0 else (2, 1):
                    runs[jobs].append(run_child(root, config, jobs, search_only))
            same = all(x["order"] == runs[1][0]["order"] for x in runs[1] + runs[2])
            what = "search only" if search_only else "whole fit"
            print(
                f"  {config} ({what}): wall speed-up "
                f"{_spread(_ratios(runs[1], runs[2], 'wall'))}; same selection {same}"
            )
    print(f"  control, numpy loop in 2 threads: {_spread(_control_threads())}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-knn", action="store_true")
    parser.add_argument("--skip-discrete", action="store_true")
    parser.add_argument(
        "--speed",
        action="store_true",
        help="part 3 only: against the previous implementation, and n_jobs",
    )
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument(
        "--configs", nargs="+", default=list(SPEED_CONFIGS), choices=SPEED_CONFIGS
    )
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument("--jobs-only", action="store_true")
    parser.add_argument(
        "--stopping",
        action="store_true",
        help="the cost of the stopping rule: 'auto' against a run of the same "
        "size (bench_stopping.py)",
    )
    parser.add_argument(
        "--interactions",
        action="store_true",
        help="the cost of the pair screen of interactions=2 at p = 200, n = 2,000 "
        "(bench_interactions.py)",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.interactions:
        import bench_interactions

        sys.argv = [sys.argv[0], "--repeats", str(args.repeats)]
        bench_interactions.main()
        return
    if args.stopping:
        import bench_stopping

        sys.argv = [sys.argv[0], "--repeats", str(max(args.repeats, 5))]
        bench_stopping.main()
        return
    if args.child:
        config, n_jobs, *mode = args.child
        speed_child(config, int(n_jobs), mode == ["search"])
        return
    if args.jobs_only:
        part_jobs(args.pairs)
        return
    if args.speed:
        part_speed(args.configs, args.pairs)
        if not args.skip_jobs:
            part_jobs(args.pairs)
        return
    if not args.skip_discrete:
        part_discrete(args.repeats)
    if not args.skip_knn:
        part_knn()


if __name__ == "__main__":
    main()
