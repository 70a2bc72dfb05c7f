"""Benchmark of the synergy screen (``interactions``).

Data: n = 2,000 samples, p = 200 continuous features, y = sign(x0 * x1)
(a synergistic pair among 198 noise columns).

Part 1, the whole pair screen (19,900 pairs, up to 100 permutations of the
target, the top pairs confirmed with ``KSG()``): median wall-clock and CPU
times (single-threaded BLAS, as with ``n_jobs=None``), and whether it finds
the pair.

Part 2, one pass of the screening statistics over all pairs (what each
permutation costs): the one-hot matrix products of the screen against the
shared batched ``bincount`` kernel (``joint_entropies``, one call per first
column of the pairs) on the same coarse codes, runs alternating, median
ratio, and the largest difference of the joint entropies (single precision
products: must be < 1e-5 nats).

Part 3, a whole fit, ``ConditionalMutualInfoSelector(10)`` with
``interactions=2`` against ``interactions=1`` (no screen), runs alternating:
the median ratio is the price of the screen relative to the greedy search
(``--estimator plugin``, the default here, keeps the run short; ``knn`` uses
``KSG()``, whose greedy search is much slower, so the screen costs
relatively less).

Part 4, the default screen (``interactions="auto"``, chosen by cost, see
``skmi/selection/_screen_plan.py``) against ``interactions=1``, CPU time,
runs alternating, for the default selector (``KSG()``, "auto" size) and
``PlugIn()``: on the XOR data (p = 101 and 200) the screen's own CPU time is
measured inside the fit and the ratio is ``(plain fit + screen) / plain fit``
(the paths differ: the screen finds the pair that the plain search cannot);
on data without synergy (a linear signal) the two whole fits are compared.
Target: at most 1.5. It prints what the screen did (its note).

Run from the repository root::

    python benchmarks/bench_interactions.py [--repeats 3] [--estimator {plugin,knn}]
    python benchmarks/bench_interactions.py --default-only [--repeats 5]
"""

import argparse
import statistics
import sys
import time

import numpy as np

import skmi.selection._blocks as blocks_module
from skmi import ConditionalMutualInfoSelector
from skmi.estimators import KSG, PlugIn
from skmi.estimators._count_tables import PairTables, joint_entropies
from skmi.selection._interactions import _codes, screen_blocks


def make_data(n=2000, p=200, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.standard_normal((n, p))
    return X, (X[:, 0] * X[:, 1] > 0).astype(int)


def timed(f):
    start = time.perf_counter()
    out = f()
    return time.perf_counter() - start, out


def cpu_timed(f):
    """Wall-clock and CPU seconds (the steadier one on a shared machine)."""
    start, cpu = time.perf_counter(), time.process_time()
    out = f()
    return time.perf_counter() - start, time.process_time() - cpu, out


def part1(X, y, repeats):
    est = KSG()
    rng = np.random.RandomState(0)
    cols = est.prepare(X, np.zeros(X.shape[1], bool), rng)
    target = est.prepare_target(y, True, rng)
    rel = np.array([est.mutual_info_prepared(c, target) for c in cols])
    times, cpu, found = [], [], True
    for r in range(repeats):
        t, c, blocks = cpu_timed(
            lambda r=r: screen_blocks(
                est,
                cols,
                target,
                rel,
                size=2,
                alpha=0.05,
                n_permutations=100,
                rng=np.random.RandomState(r),
            )
        )
        times.append(t)
        cpu.append(c)
        found &= bool(blocks) and sorted(blocks[0].members) == [0, 1]
    print(
        f"part 1: pair screen, {X.shape[1] * (X.shape[1] - 1) // 2} pairs, "
        f"n = {X.shape[0]}: median {statistics.median(times):.2f} s "
        f"wall-clock, {statistics.median(cpu):.2f} s CPU "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)}); pair found: {found}"
    )
    return cols, target, found


def bincount_pass(codes, levels, y, ky, xlogx):
    """H(X_i, X_j, Y) of every pair i < j with the shared bincount kernel."""
    p = codes.shape[0]
    out = np.zeros((p, p))
    for i in range(p - 1):
        rows = np.arange(i + 1, p)
        h, _ = joint_entropies(
            codes,
            rows,
            levels[rows],
            codes[i],
            levels[rows] * levels[i] * ky,
            xlogx,
            y=y,
            ky=ky,
        )
        out[i, rows] = h
    return out


def part2(cols, target, repeats):
    coded = [_codes(c, 3) for c in cols]
    codes = np.vstack([c for c, _ in coded])
    levels = np.array([k for _, k in coded])
    y, ky = target.codes, target.n_levels
    tables = PairTables(codes, levels)
    iu = np.triu_indices(codes.shape[0], 1)
    ratios, t_products, t_bincount = [], [], []
    difference = 0.0
    for r in range(repeats):
        yp = y[np.random.RandomState(r).permutation(y.size)]
        t0, ref = timed(
            lambda yp=yp: bincount_pass(codes, levels, yp, ky, tables.xlogx)
        )
        t1, got = timed(lambda yp=yp: tables.with_target(yp, ky))
        difference = max(difference, float(np.max(np.abs(ref[iu] - got[iu]))))
        t_bincount.append(t0)
        t_products.append(t1)
        ratios.append(t0 / t1)
    print(
        f"part 2: one pass over all pairs: bincount "
        f"{statistics.median(t_bincount):.3f} s, products "
        f"{statistics.median(t_products):.3f} s, median ratio "
        f"{statistics.median(ratios):.1f}x; largest difference {difference:.1e}"
    )
    return difference < 1e-5


def part3(X, y, repeats, estimator):
    est = PlugIn() if estimator == "plugin" else KSG()
    t_with, t_without, ratios = [], [], []
    for _ in range(repeats):
        t0, a = timed(
            lambda: ConditionalMutualInfoSelector(
                10, estimator=est, interactions=1, random_state=0
            ).fit(X, y)
        )
        t1, b = timed(
            lambda: ConditionalMutualInfoSelector(
                10, estimator=est, interactions=2, random_state=0
            ).fit(X, y)
        )
        t_without.append(t0)
        t_with.append(t1)
        ratios.append(t1 / t0)
    print(
        f"part 3: fit of 10 features ({estimator}): interactions=1 "
        f"{statistics.median(t_without):.2f} s, interactions=2 "
        f"{statistics.median(t_with):.2f} s, median ratio "
        f"{statistics.median(ratios):.2f}; the pair among the selected: "
        f"without {set(a.selection_order_[:10]) >= {0, 1}}, "
        f"with {set(b.selection_order_[:10]) >= {0, 1}}"
    )


def _screen_seconds(fit):
    """CPU seconds of the fit and of the screen inside it."""
    inside = []
    original = blocks_module.screen_blocks

    def timed_screen(*args, **kwargs):
        start = time.process_time()
        out = original(*args, **kwargs)
        inside.append(time.process_time() - start)
        return out

    blocks_module.screen_blocks = timed_screen
    try:
        start = time.process_time()
        selector = fit()
        total = time.process_time() - start
    finally:
        blocks_module.screen_blocks = original
    return total, sum(inside), selector


def part4(repeats):
    rng = np.random.RandomState(1)
    cases = []
    for p in (101, 200):
        X, y = make_data(2000, p)
        cases.append((f"XOR, p = {p}", X, y, True))
    X = rng.standard_normal((2000, 200))
    y = (X[:, :5].sum(axis=1) + rng.standard_normal(2000) > 0).astype(int)
    cases.append(("linear, p = 200", X, y, False))
    ok = True
    for estimator in (None, PlugIn()):
        name = "KSG()" if estimator is None else "PlugIn()"
        for label, X, y, synergy in cases:
            ratios, plain_t, screen_t = [], [], []
            for _ in range(repeats):
                t_plain, _, _ = _screen_seconds(
                    lambda X=X, y=y, e=estimator: ConditionalMutualInfoSelector(
                        estimator=e, interactions=1, random_state=0
                    ).fit(X, y)
                )
                t_auto, t_screen, fitted = _screen_seconds(
                    lambda X=X, y=y, e=estimator: ConditionalMutualInfoSelector(
                        estimator=e, random_state=0
                    ).fit(X, y)
                )
                plain_t.append(t_plain)
                screen_t.append(t_screen)
                cost = t_plain + t_screen if synergy else t_auto
                ratios.append(cost / t_plain)
            ratio = statistics.median(ratios)
            ok &= ratio <= 1.5
            found = [b.tolist() for b in fitted.interaction_blocks_]
            plain = statistics.median(plain_t)
            print(
                f"part 4: {name:<9} {label:<16} plain {plain:6.2f} s"
                f"  screen {statistics.median(screen_t):5.2f} s  ratio {ratio:4.2f}"
                f"  blocks {found}; {fitted.interaction_screen_}"
            )
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--estimator", choices=["plugin", "knn"], default="plugin")
    parser.add_argument("--n-samples", type=int, default=2000)
    parser.add_argument("--n-features", type=int, default=200)
    parser.add_argument("--default-only", action="store_true")
    args = parser.parse_args()
    default_ok = part4(args.repeats)
    if args.default_only:
        sys.exit(0 if default_ok else 1)
    X, y = make_data(args.n_samples, args.n_features)
    cols, target, found = part1(X, y, args.repeats)
    agree = part2(cols, target, args.repeats)
    part3(X, y, args.repeats, args.estimator)
    sys.exit(0 if found and agree and default_ok else 1)


if __name__ == "__main__":
    main()
