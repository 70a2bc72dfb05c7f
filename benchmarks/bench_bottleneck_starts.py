"""Cost and gain of the hard starts of the discrete information bottleneck.

``discrete_ib`` runs, besides its random (annealed) starts, one run from a
hard partition: the agglomerative merge of ``T = X`` down to the number of
clusters (deterministic method, up to 256 values), or the deterministic
solution (iterative method). This script times ``hard_start=True`` against
``hard_start=False`` (the solver without them) on the same tables in the same
process, runs alternating, and prints the median time ratio together with
how much lower the objective is with the hard starts (in nats, worst and
median over the tables; positive means better).

Run from the repository root::

    python benchmarks/bench_bottleneck_starts.py [--repeats 5]
"""

import argparse
import statistics
import time

import numpy as np

from skmi.bottleneck import discrete_ib


def tables(n_x, n_y, count, seed=0):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        pxy = rng.random((n_x, n_y)) ** 3
        yield pxy / pxy.sum()


def solve(pxy, k, beta, deterministic, hard_start, seed):
    return discrete_ib(
        pxy,
        k,
        beta,
        deterministic=deterministic,
        n_init=4,
        n_anneal=10,
        rng=np.random.default_rng(seed),
        hard_start=hard_start,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print("method         n_x  beta   time ratio (with/without)  gain worst/median")
    for deterministic in (False, True):
        for n_x, n_y, k in [(8, 4, 4), (64, 3, 4), (256, 3, 4)]:
            for beta in (5.0, 1000.0):
                cases = list(tables(n_x, n_y, 4, seed=n_x))
                times = {True: [], False: []}
                gains = []
                for r in range(args.repeats):
                    for hard_start in (r % 2 == 0, r % 2 == 1):
                        start = time.perf_counter()
                        results = [
                            solve(p, k, beta, deterministic, hard_start, i)
                            for i, p in enumerate(cases)
                        ]
                        times[hard_start].append(time.perf_counter() - start)
                        if r == 0:
                            gains.append([res.objective for res in results])
                # the first repeat runs hard_start=True, then False
                with_hard, without = np.array(gains[0]), np.array(gains[1])
                gain = without - with_hard
                ratio = statistics.median(times[True]) / statistics.median(times[False])
                name = "deterministic" if deterministic else "iterative"
                print(
                    f"{name:<13} {n_x:>4} {beta:>5g}   {ratio:>10.2f}"
                    f"                 {gain.min():>8.3g} / {np.median(gain):.3g}"
                )


if __name__ == "__main__":
    main()
