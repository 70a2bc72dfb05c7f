"""Cost of the adjustment for chance on discrete data.

Times the selectors on discrete features and a discrete target with the
default estimator (``KSG()``, which adjusts the counted pairs for chance) and
with ``KSG(adjust=None)`` (raw counts), runs alternating, and prints the
median of the per-pair ratios (adjusted / raw). Also times the kernel
``expected_mutual_info_counts`` against one plug-in ``mutual_info_counts``
on the same columns.

    PYTHONPATH=. python benchmarks/bench_chance.py
    PYTHONPATH=. python benchmarks/bench_chance.py --n 20000 --features 100
"""

import argparse
import time

import numpy as np

from skmi import ConditionalMutualInfoSelector, MutualInfoSelector
from skmi.estimators import KSG
from skmi.estimators._chance import expected_mutual_info_counts
from skmi.estimators._codes import factorize
from skmi.estimators._plugin import mutual_info_counts


def data(n, d, seed=0):
    rng = np.random.default_rng(seed)
    levels = rng.integers(2, 30, d)
    X = np.column_stack([rng.integers(0, k, n) for k in levels])
    y = (X[:, 0] + X[:, 1] + rng.integers(0, 3, n)) % 4
    return X, y


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def compare(name, adjusted, raw, repeats):
    ratios, t_adj, t_raw = [], [], []
    for _ in range(repeats):
        a, r = timed(adjusted), timed(raw)
        t_adj.append(a)
        t_raw.append(r)
        ratios.append(a / r)
    print(
        f"{name:<52} adjusted {1e3 * np.median(t_adj):9.2f} ms"
        f"  raw {1e3 * np.median(t_raw):9.2f} ms"
        f"  median ratio {np.median(ratios):6.2f}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--features", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    X, y = data(args.n, args.features)
    fit = dict(discrete_features=True, random_state=0)

    def marginal(est):
        return lambda: MutualInfoSelector(k=5, estimator=est, **fit).fit(X, y)

    def forward(est, criterion):
        return lambda: ConditionalMutualInfoSelector(
            n_features_to_select=5, criterion=criterion, estimator=est, **fit
        ).fit(X, y)

    print(f"n = {args.n}, {args.features} discrete features, 4-class target")
    compare(
        "MutualInfoSelector", marginal(KSG()), marginal(KSG(adjust=None)), args.repeats
    )
    for criterion in ("jmi", "cmi"):
        compare(
            f"ConditionalMutualInfoSelector({criterion!r})",
            forward(KSG(), criterion),
            forward(KSG(adjust=None), criterion),
            args.repeats,
        )
    (cx, kx), (cy, ky) = factorize(X[:, 2]), factorize(y)
    compare(
        "expected_mutual_info_counts vs mutual_info_counts",
        lambda: expected_mutual_info_counts(cx, kx, cy, ky),
        lambda: mutual_info_counts(cx, kx, cy, ky),
        args.repeats,
    )


if __name__ == "__main__":
    main()
