"""Cost of the adjustment for chance on discrete data.

Times the selectors on discrete features and a discrete target with the
default estimator (``KSG()``, which adjusts the counted pairs for chance) and
with ``KSG(adjust=None)`` (raw counts), runs alternating, and prints the
median of the per-pair ratios (adjusted / raw), in CPU time. The forward
selector (criteria JMI, mRMR and CMI) is timed as fitted by default (with the
synergy screen that ``interactions="auto"`` runs on at most 100 features) and
with ``interactions=1`` (the search alone); ``MutualInfoSelector`` as fitted
and its scores alone (the batched relevance of every column,
``marginal_mutual_info``). The expectations of the cells kept between calls
are dropped before every run, so each run costs what a first fit costs. Also
times the kernel ``expected_mutual_info_counts`` against one plug-in
``mutual_info_counts`` on the same columns. Without ``--n``, runs both
sizes: n = 5,000 with 50 features and n = 20,000 with 100.

    PYTHONPATH=. python benchmarks/bench_chance.py
    PYTHONPATH=. python benchmarks/bench_chance.py --n 20000 --features 100
"""

import argparse
import time

import numpy as np

from skmi import ConditionalMutualInfoSelector, MutualInfoSelector
from skmi.estimators import KSG, _chance
from skmi.estimators._chance import expected_mutual_info_counts
from skmi.estimators._codes import factorize
from skmi.estimators._count_tables import marginal_mutual_info
from skmi.estimators._plugin import mutual_info_counts


def data(n, d, seed=0):
    rng = np.random.default_rng(seed)
    levels = rng.integers(2, 30, d)
    X = np.column_stack([rng.integers(0, k, n) for k in levels])
    y = (X[:, 0] + X[:, 1] + rng.integers(0, 3, n)) % 4
    return X, y


def timed(fn):
    # CPU time of the process (all its threads): steadier than the wall clock
    # on a shared machine
    start = time.process_time()
    fn()
    return time.process_time() - start


def compare(name, adjusted, raw, repeats):
    ratios, t_adj, t_raw = [], [], []
    for _ in range(repeats):
        # every run as a first fit: no cell expectation kept from earlier runs
        _chance._CELLS = _chance._CellMemo()
        a, r = timed(adjusted), timed(raw)
        t_adj.append(a)
        t_raw.append(r)
        ratios.append(a / r)
    print(
        f"{name:<60} adjusted {1e3 * np.median(t_adj):9.2f} ms"
        f"  raw {1e3 * np.median(t_raw):9.2f} ms"
        f"  median ratio {np.median(ratios):6.2f}"
    )


def bench(n, features, repeats):
    X, y = data(n, features)
    fit = dict(discrete_features=True, random_state=0)

    def marginal(est):
        return lambda: MutualInfoSelector(k=5, estimator=est, **fit).fit(X, y)

    def forward(est, criterion, **kw):
        return lambda: ConditionalMutualInfoSelector(
            n_features_to_select=5, criterion=criterion, estimator=est, **fit, **kw
        ).fit(X, y)

    codes = [factorize(X[:, j]) for j in range(X.shape[1])]
    columns, levels = [c for c, _ in codes], np.array([k for _, k in codes])
    cy, ky = factorize(y)

    def scores(chance):
        return lambda: marginal_mutual_info(columns, levels, cy, ky, chance=chance)

    print(f"n = {n}, {features} discrete features, 4-class target")
    compare("MutualInfoSelector", marginal(KSG()), marginal(KSG(adjust=None)), repeats)
    compare(
        "MutualInfoSelector: the scores alone", scores(True), scores(False), repeats
    )
    for criterion in ("jmi", "mrmr", "cmi"):
        compare(
            f"ConditionalMutualInfoSelector({criterion!r})",
            forward(KSG(), criterion),
            forward(KSG(adjust=None), criterion),
            repeats,
        )
        # the search alone, without the default synergy screen
        compare(
            f"ConditionalMutualInfoSelector({criterion!r}, interactions=1)",
            forward(KSG(), criterion, interactions=1),
            forward(KSG(adjust=None), criterion, interactions=1),
            repeats,
        )
    (cx, kx) = codes[2]
    compare(
        "expected_mutual_info_counts vs mutual_info_counts",
        lambda: expected_mutual_info_counts(cx, kx, cy, ky),
        lambda: mutual_info_counts(cx, kx, cy, ky),
        repeats,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=None)
    parser.add_argument("--features", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    if args.n is None:
        sizes = [(5000, 50), (20000, 100)]
    else:
        sizes = [(args.n, args.features or 50)]
    for n, features in sizes:
        bench(n, features, args.repeats)


if __name__ == "__main__":
    main()
