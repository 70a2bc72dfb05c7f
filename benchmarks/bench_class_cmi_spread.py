"""Spread and time of I(X; Y | Z) estimates with a discrete Y.

Compares skmi's class-conditional Frenzel-Pompe estimate with the difference
of two Ross estimates I(X, Z; Y) - I(Z; Y) on the same samples, and with
ennemi's conditional estimator when ennemi is installed. Data: y ~ Bernoulli(1/2),
(x, z) | y ~ N(0, [[1, r_y], [r_y, 1]]), r = (0.8, 0.2); the true value is
I(X; Z | Y) - I(X; Z) = 0.2656183 - 0.1646077 = 0.1010106 nats.

    python benchmarks/bench_class_cmi_spread.py --n 400 --k 3 --seeds 300
    python benchmarks/bench_class_cmi_spread.py --time 100000 --repeats 7

With ``--time n`` it times both estimates instead on one sample of size n
(one continuous candidate, one continuous conditioning column, 3 classes),
alternating runs, and prints the median of the per-pair time ratios.
"""

import argparse
import time

import numpy as np

from skmi.estimators._ksg import ross_cmi, ross_mi
from skmi.estimators._variables import Variable

TRUTH = 0.1010106


def sample(n, seed, r=(0.8, 0.2)):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    r_y = np.where(y == 1, r[1], r[0])
    z = rng.standard_normal(n)
    x = r_y * z + np.sqrt(1 - r_y**2) * rng.standard_normal(n)
    x, z = (x - x.mean()) / x.std(), (z - z.mean()) / z.std()
    return x, y, z


def difference_of_ross(x, z, levels, k):
    xz = np.column_stack([x, z])
    return ross_mi(xz, levels, k) - ross_mi(xz[:, 1:], levels, k)


def class_conditional(x, z, levels, k):
    return ross_cmi(x[:, None], z[:, None], levels, k)


def timing(n, k, repeats):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, n)
    z = rng.standard_normal(n) + y
    x = z + rng.standard_normal(n)
    levels = Variable.from_discrete(y).level_indices
    ratios, times = [], {"class-conditional": [], "difference of Ross": []}
    for _ in range(repeats):
        pair = []
        for name, f in (
            ("difference of Ross", difference_of_ross),
            ("class-conditional", class_conditional),
        ):
            start = time.perf_counter()
            f(x, z, levels, k)
            pair.append(time.perf_counter() - start)
            times[name].append(pair[-1])
        ratios.append(pair[1] / pair[0])
    for name, t in times.items():
        print(f"{name:>20}: median {np.median(t):.3f} s")
    print(
        f"n={n} k={k}: class-conditional / difference of Ross, median ratio "
        f"{np.median(ratios):.2f}"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=300)
    parser.add_argument("--time", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    if args.time:
        timing(args.time, args.k, args.repeats)
        return
    try:
        import ennemi
    except ImportError:
        ennemi = None
    results = {"class-conditional": [], "difference of Ross": [], "ennemi": []}
    for seed in range(args.seeds):
        x, y, z = sample(args.n, seed)
        levels = Variable.from_discrete(y).level_indices
        results["class-conditional"].append(class_conditional(x, z, levels, args.k))
        results["difference of Ross"].append(difference_of_ross(x, z, levels, args.k))
        if ennemi is not None:
            value = ennemi.estimate_mi(
                y, x, cond=z, k=args.k, discrete_y=True, preprocess=False
            )
            results["ennemi"].append(float(np.ravel(value)[0]))
    print(f"n={args.n} k={args.k} seeds={args.seeds} truth={TRUTH}")
    for name, values in results.items():
        if values:
            v = np.array(values)
            print(f"{name:>20}: mean {v.mean():.4f}  sd {v.std(ddof=1):.4f}")


if __name__ == "__main__":
    main()
