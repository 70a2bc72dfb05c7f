"""Benchmark of work nobody asked for: ``MutualInfoSelector(k, PlugIn())``.

A selection by ``k`` reads no p-value, so a fit computes none (``pvalues_``
is computed on its first read). This script times
``MutualInfoSelector(10, estimator=PlugIn())`` on small discrete tables
shaped like scikit-feature's ``lung_small`` (73 samples, 7 classes, columns
with 3 levels: 100 columns, then 325), against the package as of commit
``efc4e9b`` (extracted with ``git archive`` into a temporary folder and
imported in this process as ``skmi_old``). Runs alternate (new, old, new,
...); the script prints the median CPU times, the median of the per-pair
ratios new / old, and checks that both keep the same features (exit status 1
when they differ or a ratio exceeds 2), with ``PlugIn(adjust=None)`` (the
estimator ``PlugIn()`` was at that commit) and with today's ``PlugIn()``,
which adjusts for chance by default (a cost of the estimator, not of a
test). It also times the first read of
``pvalues_`` (the G-test, with its permutation fallback on these sparse
tables), which the fit no longer pays.

Run from the repository root::

    python benchmarks/bench_defaults.py [--repeats 21]
"""

import argparse
import importlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

import skmi
from skmi.estimators import PlugIn

PREVIOUS = "efc4e9b"


def previous_package():
    """The package at commit PREVIOUS, importable as ``skmi_old``."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(skmi.__file__)))
    folder = tempfile.mkdtemp(prefix="skmi_previous_")
    archive = subprocess.run(
        ["git", "-C", root, "archive", PREVIOUS, "skmi"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    os.rename(os.path.join(folder, "skmi"), os.path.join(folder, "skmi_old"))
    sys.path.insert(0, folder)
    return folder, importlib.import_module("skmi_old")


def lung_like(n_features, seed=0):
    """73 x n_features columns of 3 levels, 7 classes; 10 columns informative."""
    rng = np.random.RandomState(seed)
    y = rng.randint(0, 7, 73)
    X = rng.randint(0, 3, (73, n_features))
    X[:, :10] = (y[:, None] + rng.randint(0, 2, (73, 10))) % 3
    return X, y


def cpu(fit):
    start = time.process_time()
    out = fit()
    return time.process_time() - start, out


def compare(n_features, old, repeats, new_estimator):
    X, y = lung_like(n_features)

    def new_fit():
        return skmi.MutualInfoSelector(
            10, estimator=new_estimator(), random_state=0
        ).fit(X, y)

    def old_fit():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return old.MutualInfoSelector(
                10, estimator=old.estimators.PlugIn(), random_state=0
            ).fit(X, y)

    new_times, old_times, ratios, same = [], [], [], True
    for _ in range(repeats):
        t_new, a = cpu(new_fit)
        t_old, b = cpu(old_fit)
        new_times.append(t_new)
        old_times.append(t_old)
        ratios.append(t_new / max(t_old, 1e-9))
        same &= np.array_equal(a.get_support(), b.get_support())
    selector = new_fit()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the fallback's warning)
        t_read, _ = cpu(lambda: selector.pvalues_)
    ratio = statistics.median(ratios)
    new_ms = statistics.median(new_times) * 1e3
    print(
        f"{new_estimator()!r:<20} 73 x {n_features:<4} fit: new {new_ms:7.1f} ms  "
        f"old {statistics.median(old_times) * 1e3:7.1f} ms  new/old {ratio:5.2f}  "
        f"same picks: {same}  | first read of pvalues_ {t_read:6.2f} s"
    )
    return same and ratio <= 2


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    folder, old = previous_package()
    try:
        print(
            f"MutualInfoSelector(10, estimator=PlugIn()) against {PREVIOUS}, "
            f"{args.repeats} alternating pairs, CPU time (target: new/old <= 2)"
        )
        # PlugIn() now adjusts for chance by default ("auto"); PlugIn(adjust=None)
        # is the estimator PlugIn() was at PREVIOUS
        ok = all(
            [
                compare(p, old, args.repeats, estimator)
                for estimator in (lambda: PlugIn(adjust=None), PlugIn)
                for p in (100, 325)
            ]
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
