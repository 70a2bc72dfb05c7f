"""Spread of I(X; Y | Z) estimates with a discrete Y, over many samples.

Compares skmi's class-conditional Frenzel-Pompe estimate with the difference
of two Ross estimates I(X, Z; Y) - I(Z; Y) on the same samples, and with
ennemi's conditional estimator when ennemi is installed. Data: y ~ Bernoulli(1/2),
(x, z) | y ~ N(0, [[1, r_y], [r_y, 1]]), r = (0.8, 0.2); the true value is
I(X; Z | Y) - I(X; Z) = 0.2656183 - 0.1646077 = 0.1010106 nats.

    python benchmarks/bench_class_cmi_spread.py --n 400 --k 3 --seeds 300
"""

import argparse

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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=300)
    args = parser.parse_args()
    try:
        import ennemi
    except ImportError:
        ennemi = None
    results = {"class-conditional": [], "difference of Ross": [], "ennemi": []}
    for seed in range(args.seeds):
        x, y, z = sample(args.n, seed)
        levels = Variable.from_discrete(y).level_indices
        xz = np.column_stack([x, z])
        results["class-conditional"].append(
            ross_cmi(x[:, None], z[:, None], levels, args.k)
        )
        results["difference of Ross"].append(
            ross_mi(xz, levels, args.k) - ross_mi(xz[:, 1:], levels, args.k)
        )
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
